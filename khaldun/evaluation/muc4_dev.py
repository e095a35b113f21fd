"""MUC-4 dev (terrorism in Latin-American news, GTT processing): role fillers at document level.

Gold: ``dev.json`` (one JSON document a line: ``docid``, ``doctext``, ``templates``). The processed
texts are lower-cased; they are sent as they are. Each template slot holds entities, each a list of
coreferent mention strings.

Scoring rule (template-agnostic, as in GRIT-style document-level evaluation)
---------------------------------------------------------------------------
- Roles: perpetrator = PerpInd + PerpOrg entities; target = Target + Victim entities; weapon = Weapon
  entities, pooled over the document's templates (entities of two templates that share a normalized
  mention are one entity).
- Predictions come from the document's ASSAULT and COERCE claims (MUC incidents are attacks, bombings,
  arson, kidnappings, robberies): perpetrator = ``claim.actors``, target = ``claim.recipients``,
  weapon = ``claim.materiel``; the distinct texts per role.
- A predicted text matches a gold entity when, after normalization (lower case, punctuation and
  leading articles removed), it equals one of the entity's mentions, or shares that mention's head
  (last word) and one's words are a subset of the other's. Each gold entity is matched once
  (TP); a predicted text matching no gold entity is an FP; one that matches only an already matched
  entity is ignored; unmatched gold entities are FN.
- ``incident`` P/R/F1: a document has an incident when it has a template (gold) or an ASSAULT/COERCE
  claim (predicted).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khaldun.evaluation.metrics import PRF, Analyzer, Examples, LabelPRF, analyze_records, baseline, clip, ratio, rnd
from khaldun.models import Document

SCORING = """Document-level role fillers pooled over templates: perpetrator (PerpInd+PerpOrg), target
(Target+Victim), weapon; predicted from ASSAULT/COERCE claims' actors/recipients/materiel. Match = same
normalized mention or same head word with word-subset; one TP per gold entity."""

ROLES = ("perpetrator", "target", "weapon")
SLOTS = {"perpetrator": ("PerpInd", "PerpOrg"), "target": ("Target", "Victim"), "weapon": ("Weapon",)}
TYPES = {"ASSAULT", "COERCE"}
_ARTICLES = {"the", "a", "an", "some", "several", "two", "three"}


def normalize(text: str) -> tuple[str, ...]:
    words = re.findall(r"\w+", text.lower())
    while words and words[0] in _ARTICLES:
        words = words[1:]
    return tuple(words)


def mention_match(pred: str, mention: str) -> bool:
    p, m = normalize(pred), normalize(mention)
    if not p or not m:
        return False
    if p == m:
        return True
    return p[-1] == m[-1] and (set(p) <= set(m) or set(m) <= set(p))


@dataclass
class Record:
    id: str
    text: str
    has_incident: bool
    entities: dict[str, list[list[str]]]  # role -> entities (lists of mention strings)


def load(folder: Path, limit: int | None = None) -> Iterator[Record]:
    def gen() -> Iterator[Record]:
        with open(folder / "dev.json", encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                raw = json.loads(line)
                entities: dict[str, list[list[str]]] = {r: [] for r in ROLES}
                for role, slots in SLOTS.items():
                    keys: list[set[tuple[str, ...]]] = []
                    for tpl in raw.get("templates") or []:
                        for slot in slots:
                            for ent in tpl.get(slot) or []:
                                names = [m[0] for m in ent if m and m[0]]
                                norm = {normalize(x) for x in names}
                                same = next((i for i, k in enumerate(keys) if k & norm), None)
                                if same is None:
                                    keys.append(norm)
                                    entities[role].append(names)
                                else:  # the same entity in another template: merge its mentions
                                    keys[same] |= norm
                                    entities[role][same] += [
                                        x for x in names if x not in entities[role][same]
                                    ]
                yield Record(raw["docid"], raw["doctext"], bool(raw.get("templates")), entities)

    return itertools.islice(gen(), limit)


def predicted(doc: Document) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {r: [] for r in ROLES}
    for c in doc.claims:
        if c.event.type not in TYPES:
            continue
        for role, items in (("perpetrator", c.actors), ("target", c.recipients), ("weapon", c.materiel)):
            for x in items:
                if x.text and x.text not in out[role]:
                    out[role].append(x.text)
    return out


def score_doc(gold: list[list[str]], preds: list[str]) -> tuple[PRF, list[int], list[str]]:
    """PRF for one role of one document; also the unmatched gold entity indices and unmatched texts."""
    matched: set[int] = set()
    counts = PRF()
    spurious = []
    for p in preds:
        hits = [i for i, ent in enumerate(gold) if any(mention_match(p, m) for m in ent)]
        free = [i for i in hits if i not in matched]
        if free:
            matched.add(free[0])
            counts.tp += 1
        elif not hits:
            counts.fp += 1
            spurious.append(p)
    missed = [i for i in range(len(gold)) if i not in matched]
    counts.fn += len(missed)
    return counts, missed, spurious


def run(folder: Path, limit: int | None, analyzer: Analyzer) -> dict[str, Any]:
    roles = LabelPRF()
    incident = PRF()
    examples = Examples(3)
    n = 0

    def item(r: Record) -> dict[str, Any]:
        return {"text": r.text, "language": "en"}

    doc: Document
    for rec, doc in analyze_records(load(folder, limit), item, analyzer):
        n += 1
        preds = predicted(doc)
        has_pred = any(c.event.type in TYPES for c in doc.claims)
        incident.tp += rec.has_incident and has_pred
        incident.fp += has_pred and not rec.has_incident
        incident.fn += rec.has_incident and not has_pred
        if rec.has_incident and not has_pred:
            examples.add("missed_incident", id=rec.id, text=clip(rec.text))
        for role in ROLES:
            counts, missed, spurious = score_doc(rec.entities[role], preds[role])
            roles[role].add(counts)
            for i in missed:
                examples.add(
                    f"missed_{role}",
                    id=rec.id,
                    gold=" | ".join(rec.entities[role][i][:3]),
                    predicted="; ".join(preds[role]) or "none",
                )
            for p in spurious:
                examples.add(f"spurious_{role}", id=rec.id, predicted=p)

    micro = roles.micro()
    share = ratio(incident.tp + incident.fn, n)
    return {
        "records": n,
        "baselines": [baseline("incident_f1", rnd(incident.f1), 2 * share / (1 + share) if share else 0.0,
                               "every document an incident"),
                      baseline("role_micro_f1", rnd(micro.f1), 0.0, "no role filler")],
        "metrics": {
            "documents": n,
            "role_micro_p": rnd(micro.precision),
            "role_micro_r": rnd(micro.recall),
            "role_micro_f1": rnd(micro.f1),
            "perpetrator_f1": rnd(roles["perpetrator"].f1),
            "target_f1": rnd(roles["target"].f1),
            "weapon_f1": rnd(roles["weapon"].f1),
            "incident_p": rnd(incident.precision),
            "incident_r": rnd(incident.recall),
            "incident_f1": rnd(incident.f1),
        },
        "tables": {"role fillers (document level)": roles.table(ROLES, first="role")},
        "examples": examples.items,
        "notes": ["MUC-4 texts are lower-cased in this processing, which handicaps name detection"],
    }
