"""RAMS 1.0 dev (Roles Across Multiple Sentences): event trigger typing and argument roles.

Gold: ``dev.jsonlines``: each record is a five-sentence news window with ONE annotated trigger and its
arguments (token spans); ``meta.json`` lists each type's roles. Only records whose RAMS type maps to
khaldun types (``TYPE_MAP`` below) are scored; the others are skipped before analysis.

Text: the tokens are rebuilt into text (``metrics.detokenize``; sentences joined by a space), so every
gold token has character offsets; predicted offsets are mapped back from ``Document.text``.

Scoring rule
------------
- Trigger: the predicted claims whose ``event.trigger_start..trigger_end`` overlaps the gold trigger;
  if several, one whose type is acceptable for the gold type is preferred. ``trigger_found``: some claim
  overlaps; ``trigger_type_acc``: the chosen claim's type is in the gold type's acceptable set (over all
  scored records); ``doc_type_hit``: some claim anywhere in the window has an acceptable type.
- Roles (``ROLE_SLOTS``): giver -> actors or funders; recipient, beneficiary -> recipients; artifact,
  instrument, vehicle -> materiel (artifact also recipients: a destroyed thing); origin -> location or
  actors; destination -> location or recipients; attacker, killer, injurer, transporter, communicator,
  participant, preventer... -> actors; target, victim -> recipients (target also materiel/location);
  place, territoryorfacility -> location. ``money`` and ``crime`` have no khaldun slot and are
  not scored.
  With the claim chosen for the trigger, each argument entity (with offsets) in slot S fills the first
  role of the gold type whose slots include S and whose gold span it overlaps (TP), else that type's
  first role with S (FP); gold arguments not overlapped are FN (all of them when no claim was found).
  Predicted claims at other triggers are not scored: RAMS annotates one trigger per window.
- Gold trigger given (``gold_trigger_*``; RAMS's own task, Ebner et al. 2020: argument linking for a known
  trigger): when the analyzer has ``code_at`` (khaldun's does: ``Pipeline.code_at``), the gold trigger span
  and the first khaldun type of its RAMS type are handed to it and the claim it returns is scored with
  the same role rule. ``gold_trigger_coded`` is the share of triggers it returned a claim for.
- ``core_*``: the same figures on the families roadmap 2 names (aid, supply, transfer, money, attack,
  threat: ``CORE_FAMILIES``); the other mapped families (talks, requests, deaths, arrests...) widen it.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from khaldun.evaluation.metrics import (
    FAILURES,
    Analyzer,
    Examples,
    LabelPRF,
    OffsetMap,
    analyze_records,
    baseline,
    claim_entities,
    clip,
    confusion_table,
    detokenize,
    majority,
    overlaps,
    ratio,
    rnd,
    score_roles,
    simple_table,
)
from khaldun.models import Claim, Document

SCORING = """One gold trigger per window; the claim whose trigger overlaps it must have an acceptable khaldun
type (TYPE_MAP). Roles by span overlap between gold arguments and the claim's actors, recipients, funders,
materiel, location (ROLE_SLOTS); gold arguments of missed triggers are FN."""

# RAMS type (exact, or its first two levels) -> acceptable khaldun types
TYPE_MAP: dict[str, tuple[str, ...]] = {
    # aid, supply, transfer, money
    "transaction.transaction.giftgrantprovideaid": ("AID",),
    "transaction.transfermoney.giftgrantprovideaid": ("AID",),
    "transaction.transferownership.giftgrantprovideaid": ("AID",),
    "transaction.transaction.embargosanction": ("SANCTION",),
    "transaction.transfermoney.embargosanction": ("SANCTION",),
    "transaction.transferownership.embargosanction": ("SANCTION",),
    "transaction.transaction.transfercontrol": ("CONCEDE", "RETREAT", "AID"),
    "transaction.transaction": ("AID", "COOPERATE"),
    "transaction.transfermoney": ("AID", "COOPERATE"),
    "transaction.transferownership": ("AID", "COOPERATE"),
    "movement.transportartifact.sendsupplyexport": ("AID",),
    "movement.transportartifact.receiveimport": ("AID",),
    "movement.transportartifact.smuggleextract": ("AID",),
    # violence
    "conflict.attack": ("ASSAULT",),
    "life.die.deathcausedbyviolentevents": ("ASSAULT",),
    "life.injure.injurycausedbyviolentevents": ("ASSAULT",),
    "artifactexistence.damagedestroy": ("ASSAULT", "COERCE"),
    "justice.arrestjaildetain": ("COERCE",),
    # threats, demands, talks, agreements
    "contact.threatencoerce": ("THREATEN", "COERCE"),
    "contact.requestadvise": ("REQUEST",),
    "contact.negotiate": ("CONSULT",),
    "contact.discussion": ("CONSULT",),
    "government.agreements.acceptagreementcontractceasefire": ("AGREE",),
    "conflict.yield": ("RETREAT", "CONCEDE"),
    "conflict.demonstrate": ("PROTEST",),
}

# the families roadmap 2 names (aid, supply, transfer, money, attack, threat); the rest of TYPE_MAP widens
# the check to talks, requests, deaths, arrests... and is reported as well
CORE_FAMILIES = frozenset({"transaction.transaction", "transaction.transfermoney", "transaction.transferownership",
                           "movement.transportartifact", "conflict.attack", "contact.threatencoerce"})

ACTORS = ("actors",)
ROLE_SLOTS: dict[str, tuple[str, ...]] = {
    "giver": ("actors", "funders"),
    "recipient": ("recipients",),
    "beneficiary": ("recipients",),
    "artifact": ("materiel", "recipients"),
    "artifactmoney": ("materiel",),
    "instrument": ("materiel",),
    "vehicle": ("materiel",),
    "origin": ("location", "actors"),
    "destination": ("location", "recipients"),
    "place": ("location",),
    "territoryorfacility": ("location",),
    "attacker": ACTORS,
    "killer": ACTORS,
    "injurer": ACTORS,
    "damager": ACTORS,
    "destroyer": ACTORS,
    "damagerdestroyer": ACTORS,
    "transporter": ACTORS,
    "communicator": ACTORS,
    "participant": ("actors", "recipients"),
    "preventer": ACTORS,
    "jailer": ACTORS,
    "demonstrator": ACTORS,
    "retreater": ACTORS,
    "surrenderer": ACTORS,
    "yielder": ACTORS,
    "target": ("recipients", "materiel", "location"),
    "victim": ("recipients",),
    "detainee": ("recipients",),
}
ROLE_ORDER = (
    "giver",
    "recipient",
    "beneficiary",
    "artifact",
    "origin",
    "destination",
    "attacker",
    "target",
    "instrument",
    "place",
)


def acceptable(rams_type: str) -> tuple[str, ...] | None:
    """khaldun types acceptable for a RAMS type, None when the type is out of scope."""
    if rams_type in TYPE_MAP:
        return TYPE_MAP[rams_type]
    return TYPE_MAP.get(".".join(rams_type.split(".")[:2]))


def family(rams_type: str) -> str:
    return ".".join(rams_type.split(".")[:2])


@lru_cache(maxsize=4)
def type_roles(folder: Path) -> dict[str, list[str]]:
    with open(folder / "meta.json", encoding="utf-8") as fh:
        meta = json.load(fh)
    return {t: [re.sub(r"^evt\d+arg\d+", "", r) for r in roles] for t, roles in meta}


@dataclass
class Record:
    id: str
    url: str | None
    text: str
    type: str
    accept: tuple[str, ...]
    trigger: tuple[int, int]
    args: list[tuple[str, int, int]]


def load(folder: Path, limit: int | None = None) -> Iterator[Record]:
    def gen() -> Iterator[Record]:
        with open(folder / "dev.jsonlines", encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                raw = json.loads(line)
                ((t_start, t_end, labels),) = raw["evt_triggers"][:1]
                rtype = labels[0][0]
                accept = acceptable(rtype)
                if accept is None:
                    continue
                text, offsets = detokenize(raw["sentences"])
                flat = [o for sent in offsets for o in sent]
                args = [
                    (re.sub(r"^evt\d+arg\d+", "", role), flat[a][0], flat[b][1])
                    for _, (a, b), role in raw["gold_evt_links"]
                ]
                yield Record(
                    raw["doc_key"],
                    raw.get("source_url"),
                    text,
                    rtype,
                    accept,
                    (flat[t_start][0], flat[t_end][1]),
                    args,
                )

    return itertools.islice(gen(), limit)


def choose(rec: Record, claims: list[Claim], omap: OffsetMap) -> Claim | None:
    """The claim at the gold trigger, preferring an acceptable type."""
    at = []
    for c in claims:
        span = omap.span(c.event.trigger_start, c.event.trigger_end)
        if span and overlaps(*span, *rec.trigger):
            at.append(c)
    at.sort(key=lambda c: c.event.type not in rec.accept)
    return at[0] if at else None


def run(folder: Path, limit: int | None, analyzer: Analyzer) -> dict[str, Any]:
    roles_of = type_roles(folder)
    role_prf = LabelPRF()
    fam: dict[str, Counter[str]] = {}
    confusions: Counter[tuple[str, str]] = Counter()
    examples = Examples(3)
    n = found = typed = doc_hit = args_in_matched = args_found_in_matched = 0

    def item(r: Record) -> dict[str, Any]:
        return {"text": r.text, "url": r.url, "language": "en"}

    code_at = getattr(analyzer, "code_at", None)
    given_prf = LabelPRF()
    given_core = LabelPRF()
    core_prf = LabelPRF()
    given_n = given_coded = 0
    doc: Document
    accepts: list[tuple[str, ...]] = []
    for rec, doc in analyze_records(load(folder, limit), item, analyzer):
        n += 1
        accepts.append(tuple(rec.accept))
        core = family(rec.type) in CORE_FAMILIES
        if code_at is not None:
            given_n += 1
            try:
                (gclaim,) = code_at(rec.text, [(rec.trigger[0], rec.trigger[1], rec.accept[0])])
            except Exception as exc:  # noqa: BLE001 - scored as no prediction, reported
                FAILURES.add(rec.text, exc)
                gclaim = None
            given_coded += gclaim is not None
            gents = claim_entities(gclaim, OffsetMap(rec.text, rec.text)) if gclaim is not None else []
            for counts in (given_prf, given_core) if core else (given_prf,):
                score_roles(rec.args, gents, roles_of.get(rec.type, []), ROLE_SLOTS, counts)
        omap = OffsetMap(rec.text, doc.text)
        claim = choose(rec, doc.claims, omap)
        f = fam.setdefault(family(rec.type), Counter())
        f["n"] += 1
        ok = claim is not None and claim.event.type in rec.accept
        found += claim is not None
        typed += ok
        f["found"] += claim is not None
        f["typed"] += ok
        doc_hit += any(c.event.type in rec.accept for c in doc.claims)
        trig = rec.text[rec.trigger[0] : rec.trigger[1]]
        if not ok:
            confusions[(family(rec.type), claim.event.type if claim else "none")] += 1
            examples.add(
                "trigger",
                id=rec.id,
                gold=rec.type,
                trigger=trig,
                predicted=claim.event.type if claim else "none",
                claims=",".join(f"{c.event.type}:{c.event.trigger}" for c in doc.claims) or "none",
            )
        entities = claim_entities(claim, omap) if claim is not None else []
        scored = score_roles(rec.args, entities, roles_of.get(rec.type, []), ROLE_SLOTS, role_prf)
        if core:
            score_roles(rec.args, entities, roles_of.get(rec.type, []), ROLE_SLOTS, core_prf)
        if claim is not None:
            args_in_matched += len(scored)
            args_found_in_matched += sum(ok_ for *_, ok_ in scored)
            for role, s, e, ok_ in scored:
                if not ok_:
                    examples.add(
                        "role",
                        id=rec.id,
                        type=rec.type,
                        role=role,
                        gold=rec.text[s:e],
                        predicted="; ".join(f"{sl}:{tx}" for sl, _, _, tx in entities) or "none",
                        trigger=trig,
                    )
                    break
        if claim is None and rec.args:
            examples.add(
                "no_claim",
                id=rec.id,
                type=rec.type,
                trigger=trig,
                text=clip(rec.text[max(0, rec.trigger[0] - 80) : rec.trigger[1] + 80]),
            )

    micro = role_prf.micro()
    scored_roles = [r for r in ROLE_ORDER if r in role_prf.counts]
    core = role_prf.micro(scored_roles)
    given_listed = given_prf.micro([r for r in ROLE_ORDER if r in given_prf.counts])
    fam_rows = [
        [k, v["n"], v["found"], v["typed"], rnd(ratio(v["typed"], v["n"]))]
        for k, v in sorted(fam.items(), key=lambda kv: -kv[1]["n"])
    ]
    # majority class: the khaldun type most windows accept, answered for every window
    maj, _ = majority(t for acc in accepts for t in set(acc))
    maj_hit = ratio(sum(maj in acc for acc in accepts), n)
    return {
        "records": n,
        "baselines": [baseline("doc_type_hit", rnd(ratio(doc_hit, n)), maj_hit, f"one {maj} claim per window"),
                      baseline("role_micro_f1", rnd(micro.f1), 0.0, "no role filler")],
        "metrics": {
            "triggers": n,
            "trigger_found": rnd(ratio(found, n)),
            "trigger_type_acc": rnd(ratio(typed, n)),
            "doc_type_hit": rnd(ratio(doc_hit, n)),
            "role_micro_p": rnd(micro.precision),
            "role_micro_r": rnd(micro.recall),
            "role_micro_f1": rnd(micro.f1),
            "role_f1_listed_roles": rnd(core.f1),
            "role_recall_given_trigger": rnd(ratio(args_found_in_matched, args_in_matched)),
            "core_role_micro_f1": rnd(core_prf.micro().f1),
            "gold_trigger_role_p": rnd(given_prf.micro().precision) if given_n else None,
            "gold_trigger_role_r": rnd(given_prf.micro().recall) if given_n else None,
            "gold_trigger_role_f1": rnd(given_prf.micro().f1) if given_n else None,
            "gold_trigger_core_role_f1": rnd(given_core.micro().f1) if given_n else None,
            "gold_trigger_role_f1_listed_roles": rnd(given_listed.f1) if given_n else None,
            "gold_trigger_coded": rnd(ratio(given_coded, given_n)) if given_n else None,
            "gold_arguments": micro.gold,
        },
        "tables": {
            "roles (end to end)": role_prf.table(ROLE_ORDER, first="role"),
            **({"roles (gold trigger given)": given_prf.table(ROLE_ORDER, first="role")} if given_n else {}),
            "trigger by RAMS family": simple_table(["family", "n", "found", "type_ok", "acc"], fam_rows),
            "trigger errors (family -> predicted)": confusion_table(confusions),
        },
        "examples": examples.items,
        "notes": [
            "records are the dev windows whose RAMS type maps to khaldun types (TYPE_MAP)",
            "role_f1_listed_roles, gold_trigger_role_f1_listed_roles: micro F1 over the roles roadmap 2 lists "
            "(giver, recipient, beneficiary, artifact, origin, destination, attacker, target, instrument, place); "
            "the other role figures count every role of the mapped types (communicator, victim, participant...)",
            "gold_trigger_*: RAMS's own task (Ebner et al. 2020): the gold trigger and its type (mapped to "
            "khaldun's first acceptable type) are given to Pipeline.code_at; roles scored as end to end",
            "core_*: only the families the roadmap names (aid/supply/transfer/money, attack, threat): "
            + ", ".join(sorted(CORE_FAMILIES)),
        ],
    }
