"""CoNLL-2010 shared task 1, Wikipedia (weasel/hedge) train file: is a sentence hedged?

Gold: ``train.csv`` (``text,label``; 1 = uncertain, 0 = certain), rows in file order. The text is cleaned
of Penn Treebank escapes (-LRB- -> "(", `` and '' -> '"') before it is analyzed. The file lists every
certain sentence before the hedged ones, so ``limit`` N takes the first rows of each label in the file's
proportion (see ``load``) rather than a prefix.

Scoring rule
------------
A sentence is predicted hedged when any of its claims has ``factuality.certainty`` other than
``certain``, or when ``khaldun.factuality.sentence_is_hedged(text)`` (the hedge-cue test) says so, if
that function exists. Precision, recall and F1 of the hedged class are reported for the combination
(the headline), for claims alone and for the cue function alone, with accuracy and the share of
sentences that yield a claim. Without a pipeline the suite runs on the cue function alone.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khaldun.evaluation.metrics import PRF, Analyzer, Examples, analyze_records, baseline, clip, ratio, rnd
from khaldun.models import Document

SCORING = """Hedged = any claim with certainty probable/possible OR
khaldun.factuality.sentence_is_hedged(text);
P/R/F1 of the hedged class against label 1, for the combination, claims alone and the cue function alone."""

ANALYZER_OPTIONAL = True
_PTB = {
    "-LRB-": "(",
    "-RRB-": ")",
    "-LSB-": "[",
    "-RSB-": "]",
    "-LCB-": "{",
    "-RCB-": "}",
    "``": '"',
    "''": '"',
}


def clean(text: str) -> str:
    for k, v in _PTB.items():
        text = text.replace(k, v)
    return " ".join(text.split())


@dataclass
class Record:
    index: int
    text: str
    hedged: bool


def load(folder: Path, limit: int | None = None) -> Iterator[Record]:
    """Rows in file order; with a limit, the first rows of each label in the file's proportion.

    The file lists all certain sentences before all hedged ones, so a plain prefix would hold no
    hedged sentence; the first k hedged and first N - k certain rows (k = N x the hedged share,
    rounded) keep the subset deterministic and representative.
    """
    with open(folder / "train.csv", encoding="utf-8", newline="") as fh:
        rows = [
            Record(i, text, (row.get("label") or "0").strip() == "1")
            for i, row in enumerate(csv.DictReader(fh))
            if (text := clean(row.get("text") or ""))
        ]
    if limit is None or limit >= len(rows):
        return iter(rows)
    hedged = [r for r in rows if r.hedged]
    k = min(len(hedged), round(limit * len(hedged) / len(rows)))
    certain = [r for r in rows if not r.hedged][: limit - k]
    return iter(sorted(hedged[:k] + certain, key=lambda r: r.index))


def _cue_function() -> Callable[[str], bool] | None:
    try:
        from khaldun.factuality import sentence_is_hedged
    except ImportError:
        return None
    return sentence_is_hedged


def _add(counts: PRF, gold: bool, pred: bool) -> None:
    counts.tp += gold and pred
    counts.fp += pred and not gold
    counts.fn += gold and not pred


def run(folder: Path, limit: int | None, analyzer: Analyzer | None) -> dict[str, Any]:
    cue = _cue_function()
    combined, by_claims, by_cue = PRF(), PRF(), PRF()
    examples = Examples(4)
    n = correct = with_claim = 0

    def item(r: Record) -> dict[str, Any]:
        return {"text": r.text, "language": "en"}

    empty = Document(id="", text="")
    pairs: Iterator[tuple[Record, Document]]
    if analyzer is not None:
        pairs = analyze_records(load(folder, limit), item, analyzer, chunk=128)
    else:
        pairs = ((r, empty) for r in load(folder, limit))
    for rec, doc in pairs:
        n += 1
        claims_say = any(c.factuality.certainty != "certain" for c in doc.claims)
        cue_says = bool(cue and cue(rec.text))
        pred = claims_say or cue_says
        with_claim += bool(doc.claims)
        _add(combined, rec.hedged, pred)
        _add(by_claims, rec.hedged, claims_say)
        _add(by_cue, rec.hedged, cue_says)
        correct += pred == rec.hedged
        if pred != rec.hedged:
            examples.add(
                "missed_hedge" if rec.hedged else "false_hedge",
                row=rec.index,
                text=clip(rec.text, 140),
                by="claims" if claims_say else ("cue" if cue_says else "-"),
            )

    notes = []
    if cue is None:
        notes.append("khaldun.factuality.sentence_is_hedged not found: claims alone")
    if analyzer is None:
        notes.append("no analyzer: cue function alone")
    share = ratio(combined.gold, n)
    return {
        "records": n,
        "baselines": [
            baseline("hedged_f1", rnd(combined.f1), 2 * share / (1 + share) if share else 0.0,
                     "every sentence hedged"),
            baseline("accuracy", rnd(ratio(correct, n)), max(share, 1 - share), "every sentence the majority class"),
        ],
        "metrics": {
            "sentences": n,
            "gold_hedged": combined.gold,
            "hedged_p": rnd(combined.precision),
            "hedged_r": rnd(combined.recall),
            "hedged_f1": rnd(combined.f1),
            "accuracy": rnd(ratio(correct, n)),
            "claims_only_f1": rnd(by_claims.f1) if analyzer is not None else None,
            "cue_only_f1": rnd(by_cue.f1) if cue is not None else None,
            "sentences_with_claim": rnd(ratio(with_claim, n)),
        },
        "tables": {
            "hedged class": {
                "columns": ["predictor", "gold", "pred", "tp", "P", "R", "F1"],
                "rows": [
                    ["claims or cue", *combined.row()],
                    ["claims", *by_claims.row()],
                    ["cue function", *by_cue.row()],
                ],
            },
        },
        "examples": examples.items,
        "notes": notes,
    }
