"""re3d (Dstl): entity mentions in defence and security text.

Gold: every ``*/documents.json`` and ``*/entities.json`` sub-corpus (mongoexport JSON lines; documents in
folder-name then file order). An entity row is gold when its ``confidence`` >= 0.5 and its type is
scored (Weapon, MilitaryPlatform, Vehicle, Organisation, Person, Location); when one span carries
several such types, the most confident is kept.

Labels of ``Document.mentions`` (``LABELS``):
- materiel: aircraft, uav, ships, armoured_vehicles, military_vehicles, sensors -> MilitaryPlatform;
  small_arms, artillery, missiles, air_defence, naval_weapons, ammunition, explosives, other -> Weapon;
  mercenaries is not scored. No khaldun label yields Vehicle (re3d's civilian vehicles).
- actor: person -> Person; state, organization, armed_group, igo, media, unknown -> Organisation
  (re3d tags a country as Organisation when it acts and as Location when it is a place, so a state
  actor counts as Organisation and a place mention as Location); agent (generic groups such as
  "militants", "civilians", which re3d tags Organisation) -> Organisation.
  A span that khaldun reports both as a state actor and as a place is Organisation when it is an
  argument of a claim and Location otherwise.
- place (any kind) -> Location. date mentions are not scored.

``Document.mentions`` are noun-phrase mentions (see the section comment in ``khaldun/mentions.py``):
"the Iraqi military" is one agent mention, "Iraqi President Fuad Masum" one person, personal pronouns
("he", "we") are actor mentions (person / unknown), and a country name is reported once, as a state
actor when it acts and as a place otherwise. The scoring rule below is unchanged by that.

Scoring rule
------------
Per type P/R/F1, one-to-one: ``exact`` needs identical character offsets (after trimming whitespace)
and the same label; ``overlap`` needs a shared character and the same label (best overlap first).
``materiel_f1`` is the micro F1 over Weapon+MilitaryPlatform, ``materiel_untyped_f1`` the same with
Weapon/MilitaryPlatform confusions forgiven, ``actors_places_f1`` the micro F1 over
Organisation+Person+Location. Gold pronouns ("we", "they", ...) are counted in the gold and reported.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
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
    confusion_table,
    overlaps,
    rnd,
    span_prf,
)
from khaldun.models import Document, Mention

SCORING = """Gold = entities with confidence >= 0.5 of the six scored types; predictions = Document.mentions
mapped to re3d labels (materiel categories -> Weapon/MilitaryPlatform, actors/agents -> Organisation or
Person,
places -> Location). Per-type P/R/F1, one-to-one, exact offsets or any overlap, same label."""

TYPES = ("Weapon", "MilitaryPlatform", "Vehicle", "Organisation", "Person", "Location")
MATERIEL_TYPES = ("Weapon", "MilitaryPlatform")
ACTOR_PLACE_TYPES = ("Organisation", "Person", "Location")
PLATFORMS = {"aircraft", "uav", "ships", "armoured_vehicles", "military_vehicles", "sensors"}
PRONOUNS = {
    "i",
    "me",
    "my",
    "we",
    "us",
    "our",
    "ours",
    "you",
    "your",
    "he",
    "him",
    "his",
    "she",
    "her",
    "it",
    "its",
    "they",
    "them",
    "their",
    "theirs",
    "who",
    "which",
    "this",
    "that",
    "here",
    "there",
}


def label(m: Mention) -> str | None:
    """re3d type for a khaldun mention, None when re3d has no counterpart."""
    if m.kind == "materiel":
        if m.label == "mercenaries":
            return None
        return "MilitaryPlatform" if m.label in PLATFORMS else "Weapon"
    if m.kind == "actor":
        return "Person" if m.label == "person" else "Organisation"
    if m.kind == "agent":
        return "Organisation"
    if m.kind == "place":
        return "Location"
    return None


@dataclass
class Record:
    id: str
    folder: str
    text: str
    url: str | None
    gold: list[tuple[str, int, int]]  # (type, start, end)


def _json_lines(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8-sig") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


# The trivial tagger the figures are read against: every run of capitalized words is one mention of the
# gold's most frequent scored type (no lexicon, no parse).
_CAPITALIZED_RUN = re.compile(r"\b[A-Z][\w'.-]*(?:[ \t]+[A-Z][\w'.-]*)*")


def capitalized_runs(text: str) -> list[tuple[int, int]]:
    """Character spans of the runs of capitalized words of a text (the baseline's mentions)."""
    return [(m.start(), m.end()) for m in _CAPITALIZED_RUN.finditer(text)]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def load(folder: Path, limit: int | None = None) -> Iterator[Record]:
    def gen() -> Iterator[Record]:
        for sub in sorted(p for p in folder.iterdir() if (p / "documents.json").is_file()):
            best: dict[str, dict[tuple[int, int], tuple[float, str]]] = {}
            if (sub / "entities.json").is_file():
                for e in _json_lines(sub / "entities.json"):
                    if e.get("type") not in TYPES or float(e.get("confidence", 0)) < 0.5:
                        continue
                    spans = best.setdefault(e["documentId"], {})
                    key = (int(e["begin"]), int(e["end"]))
                    conf = float(e["confidence"])
                    if key not in spans or conf > spans[key][0]:
                        spans[key] = (conf, e["type"])
            for d in _json_lines(sub / "documents.json"):
                text = d["text"]
                gold = []
                for (s, e), (_, typ) in sorted(best.get(d["_id"], {}).items()):
                    s, e = _trim(text, s, e)
                    if e > s:
                        gold.append((typ, s, e))
                yield Record(d["_id"], sub.name, text, d.get("sourceUrl"), gold)

    return itertools.islice(gen(), limit)


def predictions(doc: Document, omap: OffsetMap) -> list[tuple[str, int, int]]:
    """(re3d label, start, end) of the mentions, offsets in the sent text, without duplicates.

    khaldun reports a country name both as a state actor and as a place; re3d tags it Organisation
    when it acts and Location otherwise, so such a span is Organisation when it is an argument of a
    claim (actor, recipient or funder) and Location when it is not.
    """
    labelled: dict[tuple[int, int], list[str]] = {}
    for m in doc.mentions:
        lab = label(m)
        if lab is not None and lab not in labelled.setdefault((m.start, m.end), []):
            labelled[(m.start, m.end)].append(lab)
    in_claims = [
        (a.start, a.end)
        for c in doc.claims
        for a in [*c.actors, *c.recipients, *c.funders]
        if a.start is not None and a.end is not None
    ]
    out = []
    for (start, end), labs in labelled.items():
        if "Organisation" in labs and "Location" in labs:
            acting = any(overlaps(start, end, s, e) for s, e in in_claims)
            labs = [lab for lab in labs if lab != ("Location" if acting else "Organisation")]
        span = omap.span(start, end)
        if span is None:
            continue
        out.extend((lab, *span) for lab in labs)
    return out


def run(folder: Path, limit: int | None, analyzer: Analyzer) -> dict[str, Any]:
    exact, overlap = LabelPRF(), LabelPRF()
    untyped_materiel = PRF()
    confusions: Counter[tuple[str, str]] = Counter()
    examples = Examples(3)
    n = pronouns = 0
    runs = PRF()  # the capitalized-runs baseline, overlap, one type for every run
    gold_types: Counter[str] = Counter()
    run_spans: list[tuple[list[tuple[str, int, int]], list[tuple[int, int]]]] = []

    def item(r: Record) -> dict[str, Any]:
        return {"text": r.text, "url": r.url, "language": "en"}

    doc: Document
    for rec, doc in analyze_records(load(folder, limit), item, analyzer):
        n += 1
        omap = OffsetMap(rec.text, doc.text)
        preds = [(lab, *_trim(rec.text, s, e)) for lab, s, e in predictions(doc, omap)]
        pronouns += sum(rec.text[s:e].lower() in PRONOUNS for _, s, e in rec.gold)
        gold_types.update(t for t, _, _ in rec.gold)
        run_spans.append((rec.gold, capitalized_runs(rec.text)))
        for typ in TYPES:
            g = [(s, e) for t, s, e in rec.gold if t == typ]
            p = [(s, e) for t, s, e in preds if t == typ]
            ex, _ = span_prf(g, p, "exact")
            ov, pairs = span_prf(g, p, "overlap")
            exact[typ].add(ex)
            overlap[typ].add(ov)
            matched_g = {gi for gi, _ in pairs}
            matched_p = {pi for _, pi in pairs}
            for gi, (s, e) in enumerate(g):
                if gi not in matched_g and typ in ("Weapon", "MilitaryPlatform", "Person", "Organisation"):
                    other = [t for t, ps, pe in preds if overlaps(s, e, ps, pe)]
                    examples.add(
                        f"missed_{typ}",
                        doc=rec.id[:8],
                        gold=rec.text[s:e],
                        predicted=",".join(other) or "none",
                    )
            for pi, (s, e) in enumerate(p):
                if pi not in matched_p and typ in MATERIEL_TYPES:
                    examples.add(f"spurious_{typ}", doc=rec.id[:8], predicted=rec.text[s:e])
        g_mat = [(s, e) for t, s, e in rec.gold if t in MATERIEL_TYPES]
        p_mat = [(s, e) for t, s, e in preds if t in MATERIEL_TYPES]
        um, _ = span_prf(g_mat, p_mat, "overlap")
        untyped_materiel.add(um)
        for t, s, e in rec.gold:
            for pt, ps, pe in preds:
                if pt != t and overlaps(s, e, ps, pe):
                    confusions[(t, pt)] += 1

    metrics: dict[str, Any] = {"documents": n, "gold_mentions": sum(c.gold for c in exact.counts.values())}
    for name, counts in (("exact", exact), ("overlap", overlap)):
        mat, ap, allp = counts.micro(MATERIEL_TYPES), counts.micro(ACTOR_PLACE_TYPES), counts.micro(TYPES)
        metrics[f"{name}_micro_f1"] = rnd(allp.f1)
        metrics[f"{name}_materiel_f1"] = rnd(mat.f1)
        metrics[f"{name}_actors_places_f1"] = rnd(ap.f1)
    metrics["overlap_materiel_untyped_f1"] = rnd(untyped_materiel.f1)
    metrics["gold_pronouns"] = pronouns
    top = gold_types.most_common(1)[0][0] if gold_types else TYPES[0]
    for gold, spans in run_spans:
        ov, _ = span_prf([(s, e) for t, s, e in gold if t == top], spans, "overlap")
        runs.add(ov)
        runs.fn += sum(t != top for t, _, _ in gold)
    return {
        "records": n,
        "metrics": metrics,
        "baselines": [baseline("overlap_micro_f1", metrics["overlap_micro_f1"], runs.f1,
                               f"every run of capitalized words one '{top}' mention (majority type)")],
        "tables": {
            "entities (exact span)": exact.table(TYPES, first="type"),
            "entities (overlap)": overlap.table(TYPES, first="type"),
            "overlapping spans with another label (gold -> predicted)": confusion_table(confusions),
        },
        "examples": examples.items,
        "notes": [
            "khaldun has no civilian-vehicle label: Vehicle recall is 0 by construction",
            f"{pronouns} gold Organisation/Person/Location mentions are pronouns or deictics",
        ],
    }
