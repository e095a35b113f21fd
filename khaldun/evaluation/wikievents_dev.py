"""WikiEvents dev (KAIROS ontology): attack/explosion events, their roles, and WEA/VEH mentions.

Gold: ``dev.jsonl``. The ``text`` field glues sentences together without separators, so the text is
rebuilt from ``sentences`` (each sentence text placed at its first token's offset, gaps filled with
spaces); every token offset of the gold then points into the rebuilt text unchanged.

Scoring rule
------------
- Attack triggers: gold = events of type ``Conflict.Attack.*`` (Unspecified and DetonateExplode);
  predicted = distinct trigger spans of ASSAULT claims. Recall: gold triggers overlapped by a predicted
  one. ``trigger_p_strict``: predicted triggers overlapping a gold attack trigger;
  ``trigger_p_lenient``: overlapping any gold violent trigger (attack, Life.Die, Life.Injure,
  ArtifactExistence.DamageDestroy*: PLOVER folds killings and destruction into ASSAULT).
- Roles of attack events: each gold attack event takes the first ASSAULT claim whose trigger overlaps
  it; Attacker -> actors; Target -> recipients, materiel or location; Instrument and ExplosiveDevice ->
  materiel; Place -> location. Span overlap as in ``metrics.score_roles``; arguments of missed events
  are FN.
- Mentions: gold entity mentions typed WEA and VEH; predicted = ``Document.mentions`` of kind materiel,
  VEH for aircraft, uav, ships, armoured_vehicles, military_vehicles and WEA for the other categories
  (mercenaries not scored). Per-type P/R/F1, exact offsets and overlap (one-to-one, same type), and
  ``materiel_untyped_overlap_f1`` with WEA/VEH confusions forgiven.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khaldun.evaluation.metrics import (
    PRF,
    Analyzer,
    Examples,
    LabelPRF,
    OffsetMap,
    analyze_records,
    baseline,
    claim_entities,
    overlaps,
    ratio,
    rnd,
    score_roles,
    simple_table,
    span_prf,
)
from khaldun.models import Claim, Document

SCORING = """Attack triggers (Conflict.Attack.*) vs ASSAULT claim triggers by overlap (lenient precision also
accepts Life.Die/Injure and Damage/Destroy triggers); attack roles by span overlap with the claim's arguments;
WEA/VEH mentions vs materiel mentions (vehicles -> VEH), exact and overlap."""

VIOLENT = ("Conflict.Attack.", "Life.Die.", "Life.Injure.", "ArtifactExistence.DamageDestroy")
VEHICLES = {"aircraft", "uav", "ships", "armoured_vehicles", "military_vehicles"}
ROLE_SLOTS: dict[str, tuple[str, ...]] = {
    "Attacker": ("actors",),
    "Target": ("recipients", "materiel", "location"),
    "Instrument": ("materiel",),
    "ExplosiveDevice": ("materiel",),
    "Place": ("location",),
}
ROLES = tuple(ROLE_SLOTS)


@dataclass
class Event:
    type: str
    trigger: tuple[int, int]
    args: list[tuple[str, int, int]]


@dataclass
class Record:
    id: str
    text: str
    events: list[Event]  # all gold events (attack and others)
    mentions: list[tuple[str, int, int]]  # WEA / VEH


def rebuild(sentences: list[Any]) -> str:
    text = ""
    for toks, sent_text in sentences:
        base = toks[0][1] if toks else len(text)
        text += " " * max(0, base - len(text)) + sent_text
    return text


def load(folder: Path, limit: int | None = None) -> Iterator[Record]:
    def gen() -> Iterator[Record]:
        with open(folder / "dev.jsonl", encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                raw = json.loads(line)
                text = rebuild(raw["sentences"])
                toks = [(a, b) for s in raw["sentences"] for _, a, b in s[0]]

                def span(start: int, end: int, toks: list[tuple[int, int]] = toks) -> tuple[int, int]:
                    return toks[start][0], toks[end - 1][1]

                ents = {m["id"]: m for m in raw["entity_mentions"]}
                events = []
                for ev in raw["event_mentions"]:
                    args = [
                        (a["role"], *span(ents[a["entity_id"]]["start"], ents[a["entity_id"]]["end"]))
                        for a in ev["arguments"]
                        if a["entity_id"] in ents
                    ]
                    events.append(
                        Event(ev["event_type"], span(ev["trigger"]["start"], ev["trigger"]["end"]), args)
                    )
                mentions = [
                    (m["entity_type"], *span(m["start"], m["end"]))
                    for m in raw["entity_mentions"]
                    if m["entity_type"] in ("WEA", "VEH")
                ]
                yield Record(raw["doc_id"], text, events, mentions)

    return itertools.islice(gen(), limit)


def mention_type(category: str | None) -> str | None:
    if category == "mercenaries":
        return None
    return "VEH" if category in VEHICLES else "WEA"


def run(folder: Path, limit: int | None, analyzer: Analyzer) -> dict[str, Any]:
    trig = PRF()
    strict_tp = lenient_tp = n_pred = 0
    subtypes: dict[str, list[int]] = {}  # subtype -> [gold, found]
    role_prf = LabelPRF()
    exact, overlap = LabelPRF(), LabelPRF()
    untyped = PRF()
    examples = Examples(3)
    n = 0

    def item(r: Record) -> dict[str, Any]:
        return {"text": r.text, "language": "en"}

    doc: Document
    for rec, doc in analyze_records(load(folder, limit), item, analyzer):
        n += 1
        omap = OffsetMap(rec.text, doc.text)
        assaults: list[tuple[tuple[int, int], Claim]] = []
        for c in doc.claims:
            span = omap.span(c.event.trigger_start, c.event.trigger_end)
            if c.event.type == "ASSAULT" and span:
                assaults.append((span, c))
        pred_triggers = sorted({s for s, _ in assaults})
        attacks = [e for e in rec.events if e.type.startswith("Conflict.Attack.")]
        violent = [e for e in rec.events if e.type.startswith(VIOLENT)]
        n_pred += len(pred_triggers)
        for s in pred_triggers:
            strict = any(overlaps(*s, *e.trigger) for e in attacks)
            strict_tp += strict
            lenient_tp += any(overlaps(*s, *e.trigger) for e in violent)
            if not strict:
                examples.add("spurious_trigger", id=rec.id, trigger=rec.text[s[0] : s[1]])
        for ev in attacks:
            sub = ev.type.split(".")[-1]
            claim = next((c for s, c in assaults if overlaps(*s, *ev.trigger)), None)
            counts = subtypes.setdefault(sub, [0, 0])
            counts[0] += 1
            if claim is None:
                trig.fn += 1
                examples.add(
                    "missed_trigger", id=rec.id, type=sub, trigger=rec.text[ev.trigger[0] : ev.trigger[1]]
                )
            else:
                trig.tp += 1
                counts[1] += 1
            entities = claim_entities(claim, omap) if claim is not None else []
            scored = score_roles(ev.args, entities, ROLES, ROLE_SLOTS, role_prf)
            if claim is not None:
                for role, s, e, ok in scored:
                    if not ok:
                        examples.add(
                            "role",
                            id=rec.id,
                            role=role,
                            gold=rec.text[s:e],
                            predicted="; ".join(f"{sl}:{tx}" for sl, _, _, tx in entities) or "none",
                        )
        preds = []
        for m in doc.mentions:
            if m.kind != "materiel":
                continue
            typ = mention_type(m.label)
            span = omap.span(m.start, m.end)
            if typ and span and (typ, *span) not in preds:
                preds.append((typ, *span))
        for typ in ("WEA", "VEH"):
            g = [(s, e) for t, s, e in rec.mentions if t == typ]
            p = [(s, e) for t, s, e in preds if t == typ]
            ex, _ = span_prf(g, p, "exact")
            ov, pairs = span_prf(g, p, "overlap")
            exact[typ].add(ex)
            overlap[typ].add(ov)
            hit = {gi for gi, _ in pairs}
            for gi, (s, e) in enumerate(g):
                if gi not in hit:
                    examples.add(f"missed_{typ}", id=rec.id, gold=rec.text[s:e])
        um, _ = span_prf([(s, e) for _, s, e in rec.mentions], [(s, e) for _, s, e in preds], "overlap")
        untyped.add(um)
    trig.fp = n_pred - strict_tp
    micro_roles = role_prf.micro()
    return {
        "records": n,
        "metrics": {
            "documents": n,
            "attack_triggers": trig.gold,
            "trigger_r": rnd(trig.recall),
            "trigger_p_strict": rnd(strict_tp / n_pred) if n_pred else None,
            "trigger_p_lenient": rnd(lenient_tp / n_pred) if n_pred else None,
            "trigger_f1_strict": rnd(trig.f1),
            "role_micro_p": rnd(micro_roles.precision),
            "role_micro_r": rnd(micro_roles.recall),
            "role_micro_f1": rnd(micro_roles.f1),
            "wea_overlap_f1": rnd(overlap["WEA"].f1),
            "veh_overlap_f1": rnd(overlap["VEH"].f1),
            "wea_exact_f1": rnd(exact["WEA"].f1),
            "veh_exact_f1": rnd(exact["VEH"].f1),
            "materiel_untyped_overlap_f1": rnd(untyped.f1),
        },
        "baselines": [baseline("role_micro_f1", rnd(micro_roles.f1), 0.0, "no role filler")],
        "tables": {
            "attack trigger recall by subtype": simple_table(
                ["subtype", "gold", "found", "R"],
                [[k, g, f, rnd(ratio(f, g))] for k, (g, f) in sorted(subtypes.items())],
            ),
            "attack roles": role_prf.table(ROLES, first="role"),
            "WEA/VEH mentions (exact)": exact.table(("WEA", "VEH"), first="type"),
            "WEA/VEH mentions (overlap)": overlap.table(("WEA", "VEH"), first="type"),
        },
        "examples": examples.items,
        "notes": ["trigger recall only by subtype: ASSAULT claims carry no KAIROS subtype"],
    }
