"""PLOVER gold standard records (sentences from the CAMEO manual, PLOVER 0.5b1 coding).

Gold: ``plover_gsr_cameo_manual.jsonl``, one sentence a record with its ``expected`` events (type,
source and target actors with a country code). Records with ``evaluate: false`` are skipped.

Scoring rule
------------
- Type names: PLOVER 0.5 names map to today's 16 types: FIGHT -> ASSAULT, DEMAND -> REQUEST,
  DISAPPROVE -> ACCUSE (mode ``disapprove``), INVESTIGATE -> ACCUSE (mode ``investigate``); the other
  names are unchanged.
- A sentence's prediction is every claim of the Document made from it (the sentence is the whole
  text sent). Gold events and predicted claims are matched one-to-one by type: each gold event, in
  order, takes an unmatched claim of the same type, preferring the one whose actor/recipient countries
  overlap the gold source/target countries most. A matched pair is a TP of its type, an unmatched gold
  event an FN of its type, an unmatched claim an FP of its type (so a sentence coded with two events
  where the gold has one costs precision). Per-type and micro P/R/F1 follow.
- Country codes: gold codes are ISO 3166 alpha-3 after fixing two legacy codes (JAP -> JPN,
  ITL -> ITA); non-country codes (IGO, NGO, IMG, ...) give no country.
- ``type_source_country_acc``: over gold events with at least one source country, the share matched
  (same type) to a claim with at least one of those countries among ``claim.actors[].country``;
  ``type_target_country_acc`` likewise for targets and ``claim.recipients``.
- ``exact_records``: share of gold events matched to a claim of the same type whose actor country set
  equals the gold source country set and whose recipient country set equals the gold target set; for
  reciprocal events (markup ``SRC/TAR:``) the union of actor and recipient countries must equal the
  union of gold countries. ``exact_sentences`` also requires no unmatched claim in the sentence.
- ``accuse_mode_acc``: among matched ACCUSE events from DISAPPROVE/INVESTIGATE, the mode agrees.
- ``sentence_type_hit``: the gold type is among the sentence's claim types; ``no_claim_rate``: share of
  sentences with no claim.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from khaldun.evaluation.metrics import (
    Analyzer,
    Examples,
    LabelPRF,
    analyze_records,
    baseline,
    clip,
    confusion_table,
    majority,
    ratio,
    rnd,
)
from khaldun.models import PLOVER_TYPES, Claim, Document

SCORING = """Gold events and claims of the sentence matched one-to-one by type (PLOVER 0.5 names mapped:
FIGHT->ASSAULT, DEMAND->REQUEST, DISAPPROVE/INVESTIGATE->ACCUSE); unmatched gold = FN, unmatched claim = FP.
Country accuracies need the same type and a shared ISO3 country; exact records need equal country sets."""

FILE = "plover_gsr_cameo_manual.jsonl"

TYPE_MAP: dict[str, tuple[str, str | None]] = {
    "FIGHT": ("ASSAULT", None),
    "DEMAND": ("REQUEST", None),
    "DISAPPROVE": ("ACCUSE", "disapprove"),
    "INVESTIGATE": ("ACCUSE", "investigate"),
}
LEGACY_CODES = {"JAP": "JPN", "ITL": "ITA"}


@lru_cache(maxsize=1)
def _iso3() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries) | {"XKX"}


def country_code(code: str | None) -> str | None:
    """ISO alpha-3 for a gold actor code, None for non-country codes (IGO, NGO, ...)."""
    if not code:
        return None
    code = LEGACY_CODES.get(code.upper(), code.upper())
    return code if code in _iso3() else None


@dataclass
class GoldEvent:
    type: str
    mode: str | None  # the ACCUSE mode implied by the 0.5 name, else None
    source: frozenset[str]
    target: frozenset[str]
    reciprocal: bool
    original: str


@dataclass
class Record:
    id: str
    text: str
    date: str | None
    events: list[GoldEvent]


def load(folder: Path, limit: int | None = None) -> Iterator[Record]:
    """Stream the records to evaluate, in file order."""

    def gen() -> Iterator[Record]:
        with open(folder / FILE, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                raw = json.loads(line)
                if not raw.get("evaluate", True):
                    continue
                reciprocal = "SRC/TAR:" in (raw.get("markup") or "")
                events = []
                for e in raw.get("expected") or []:
                    name = (e.get("plover") or "").upper()
                    etype, mode = TYPE_MAP.get(name, (name, None))
                    src = frozenset(c for a in e.get("source") or [] if (c := country_code(a.get("code"))))
                    tgt = frozenset(c for a in e.get("target") or [] if (c := country_code(a.get("code"))))
                    events.append(GoldEvent(etype, mode, src, tgt, reciprocal, name))
                yield Record(raw["id"], raw["text"], raw.get("date"), events)

    return itertools.islice(gen(), limit)


def _countries(actors: list[Any]) -> frozenset[str]:
    return frozenset(a.country for a in actors if a.country)


def _exact(g: GoldEvent, c: Claim) -> bool:
    actors, recips = _countries(c.actors), _countries(c.recipients)
    if g.reciprocal:
        return actors | recips == g.source | g.target
    return actors == g.source and recips == g.target


def _claim_order(c: Claim) -> tuple[int, int]:
    return (c.evidence.start, c.event.trigger_start if c.event.trigger_start is not None else 0)


def match(events: list[GoldEvent], claims: list[Claim]) -> list[tuple[int, int]]:
    """One-to-one by type; among same-type claims prefer most country overlap, then text order."""
    used: set[int] = set()
    pairs = []
    for gi, g in enumerate(events):
        best, best_score = None, -1
        for ci, c in enumerate(claims):
            if ci in used or c.event.type != g.type:
                continue
            score = len(g.source & _countries(c.actors)) + len(g.target & _countries(c.recipients))
            if score > best_score:
                best, best_score = ci, score
        if best is not None:
            used.add(best)
            pairs.append((gi, best))
    return pairs


def run(folder: Path, limit: int | None, analyzer: Analyzer) -> dict[str, Any]:
    prf = LabelPRF()
    confusions: Counter[tuple[str, str]] = Counter()
    examples = Examples(3)
    n_sent = n_gold = 0
    src_n = src_ok = tgt_n = tgt_ok = exact_ok = exact_sent_ok = 0
    mode_n = mode_ok = hit = no_claim = 0

    def item(r: Record) -> dict[str, Any]:
        return {"text": r.text, "published": r.date, "language": "en"}

    gold_sets: list[list[str]] = []
    doc: Document
    for rec, doc in analyze_records(load(folder, limit), item, analyzer):
        n_sent += 1
        gold_sets.append([g.type for g in rec.events])
        claims = sorted(doc.claims, key=_claim_order)
        pairs = match(rec.events, claims)
        matched_g = {g: c for g, c in pairs}
        matched_c = set(matched_g.values())
        if not claims:
            no_claim += 1
        pred_types = [c.event.type for c in claims]
        sentence_exact = len(matched_c) == len(claims)
        for gi, g in enumerate(rec.events):
            n_gold += 1
            if g.type in pred_types:
                hit += 1
            ci = matched_g.get(gi)
            claim = claims[ci] if ci is not None else None
            if claim is None:
                prf.fn(g.type)
                others = [t for k, t in enumerate(pred_types) if k not in matched_c]
                confusions[(g.type, others[0] if others else "none")] += 1
                examples.add(
                    "missed" if not others else "wrong_type",
                    id=rec.id,
                    gold=g.type,
                    predicted=",".join(others) or "none",
                    text=clip(rec.text),
                )
                sentence_exact = False
                if g.source:
                    src_n += 1
                if g.target:
                    tgt_n += 1
                continue
            prf.tp(g.type)
            if g.source:
                src_n += 1
                src_ok += bool(g.source & _countries(claim.actors))
            if g.target:
                tgt_n += 1
                tgt_ok += bool(g.target & _countries(claim.recipients))
            if _exact(g, claim):
                exact_ok += 1
            else:
                sentence_exact = False
                examples.add(
                    "countries",
                    id=rec.id,
                    type=g.type,
                    gold=f"{sorted(g.source)}->{sorted(g.target)}",
                    predicted=f"{sorted(_countries(claim.actors))}->{sorted(_countries(claim.recipients))}",
                    text=clip(rec.text),
                )
            if g.mode:
                mode_n += 1
                mode_ok += claim.event.mode == g.mode
        for ci, c in enumerate(claims):
            if ci not in matched_c:
                prf.fp(c.event.type)
                if len(matched_c) == len(rec.events):  # every gold event found: this claim is extra
                    examples.add(
                        "extra",
                        id=rec.id,
                        predicted=c.event.type,
                        trigger=c.event.trigger,
                        text=clip(rec.text),
                    )
        exact_sent_ok += sentence_exact

    micro = prf.micro()
    # majority class: one claim of the most frequent gold type for every sentence
    maj, _ = majority(t for ts in gold_sets for t in ts)
    tp = sum(maj in ts for ts in gold_sets)
    bp, br = ratio(tp, n_sent), ratio(tp, n_gold)
    base_f1 = 2 * bp * br / (bp + br) if bp + br else 0.0
    metrics = {
        "sentences": n_sent,
        "gold_events": n_gold,
        "type_micro_p": rnd(micro.precision),
        "type_micro_r": rnd(micro.recall),
        "type_micro_f1": rnd(micro.f1),
        "type_macro_f1": rnd(prf.macro_f1()),
        "sentence_type_hit": rnd(ratio(hit, n_gold)),
        "no_claim_rate": rnd(ratio(no_claim, n_sent)),
        "type_source_country_acc": rnd(ratio(src_ok, src_n)),
        "type_target_country_acc": rnd(ratio(tgt_ok, tgt_n)),
        "exact_records": rnd(ratio(exact_ok, n_gold)),
        "exact_sentences": rnd(ratio(exact_sent_ok, n_sent)),
        "accuse_mode_acc": rnd(ratio(mode_ok, mode_n)),
    }
    return {
        "records": n_sent,
        "metrics": metrics,
        "baselines": [baseline("type_micro_f1", metrics["type_micro_f1"], base_f1,
                               f"one {maj} claim per sentence (majority class)"),
                      baseline("no_claim_rate", metrics["no_claim_rate"], 1.0, "no claim at all")],
        "tables": {
            "event type (one-to-one per sentence)": prf.table(PLOVER_TYPES, first="type"),
            "missed gold type -> unmatched predicted type": confusion_table(confusions),
        },
        "examples": examples.items,
        "notes": [
            f"country accuracies over {src_n} gold events with a source country and "
            f"{tgt_n} with a target country"
        ],
    }
