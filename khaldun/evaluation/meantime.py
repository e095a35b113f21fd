"""MEANTIME (NewsReader) airbus + apple topics: factuality of gold event mentions.

Gold: ``corpus_airbus/*.conll`` and ``corpus_apple/*.conll`` (files in name order): token lines with an
event tag (``B-E-n``/``I-E-n``) and the event's certainty (CERTAIN, PROBABLE, POSSIBLE), polarity (POS,
NEG) and time (NON_FUTURE, FUTURE), each possibly UNDERSPECIFIED. The text is rebuilt from the tokens
(``metrics.detokenize``, one sentence a line).

Scoring rule
------------
- Every gold event is assessed where it stands, whether or not khaldun codes it as a claim:
  ``khaldun.factuality.assess_spans(text, spans, by_line=True)`` parses each sentence line and assesses the
  syntactic head of the event's first token span (cues on the mention, on the verbs governing it within its
  clause and on the clause's governing verb, as for claims). certainty certain/probable/possible ->
  CERTAIN/PROBABLE/POSSIBLE, polarity positive/negative -> POS/NEG, tense past/present -> NON_FUTURE and
  future -> FUTURE. A span no token covers gets the default CERTAIN/POS/NON_FUTURE.
- For each attribute, gold UNDERSPECIFIED values are left out. Accuracy and macro-F1 (over the gold
  labels present) are reported on all events (``*_acc``, ``*_macro_f1``, the headline).
- The claims of the pipeline are scored too, on the events they cover: a gold event is covered when some
  claim's ``event.trigger_start..trigger_end`` overlaps one of its tokens; the first such claim in text
  order gives the prediction (``covered_*``; ``coverage`` is the share covered: khaldun codes conflict and
  political events, so most business-news events are not claims).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khaldun.evaluation.metrics import (
    Analyzer,
    Examples,
    OffsetMap,
    analyze_records,
    baseline,
    classification,
    detokenize,
    majority,
    overlaps,
    ratio,
    rnd,
)
from khaldun.factuality import Fact, assess_spans
from khaldun.models import Claim, Document, Factuality

SCORING = """Every gold event assessed in its sentence by khaldun.factuality.assess_spans (head of its first
token
span); certainty, polarity and tense (past/present -> NON_FUTURE) compared with gold, UNDERSPECIFIED gold left
out; accuracy and macro-F1. covered_*: the claims' own factuality on the gold events a claim trigger covers."""

FOLDERS = ("corpus_airbus", "corpus_apple")
ATTRS = ("certainty", "polarity", "tense")
CERTAINTY = {"certain": "CERTAIN", "probable": "PROBABLE", "possible": "POSSIBLE"}
POLARITY = {"positive": "POS", "negative": "NEG"}
TENSE = {"past": "NON_FUTURE", "present": "NON_FUTURE", "future": "FUTURE"}


@dataclass
class GoldEvent:
    id: str
    tokens: list[tuple[int, int]]  # character spans in the rebuilt text
    certainty: str
    polarity: str
    tense: str


@dataclass
class Record:
    name: str
    text: str
    events: list[GoldEvent]


def _value(tag: str) -> tuple[str, str] | None:
    """'B-CERTAIN-10' -> ('10', 'CERTAIN'); '_' -> None."""
    if tag in ("_", "") or "-" not in tag:
        return None
    body = tag[2:] if tag[:2] in ("B-", "I-") else tag
    label, _, num = body.rpartition("-")
    return num, label


def parse(path: Path) -> Record:
    sentences: list[list[str]] = []
    rows: list[list[tuple[str, ...]]] = []
    current: list[str] = []
    current_rows: list[tuple[str, ...]] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 2:
                if current:
                    sentences.append(current)
                    rows.append(current_rows)
                current, current_rows = [], []
                continue
            current.append(cols[1])
            current_rows.append(tuple(cols[2:6]) + ("_",) * (4 - len(cols[2:6])))
    if current:
        sentences.append(current)
        rows.append(current_rows)
    text, offsets = detokenize(sentences, sep="\n")
    events: dict[str, GoldEvent] = {}
    for sent_rows, sent_offsets in zip(rows, offsets, strict=True):
        for (ev, cert, pol, tense), span in zip(sent_rows, sent_offsets, strict=True):
            got = _value(ev)
            if got is None:
                continue
            num = got[0]
            if num not in events:
                values = {}
                for key, tag in (("certainty", cert), ("polarity", pol), ("tense", tense)):
                    v = _value(tag)
                    values[key] = v[1] if v else "UNDERSPECIFIED"
                events[num] = GoldEvent(num, [], **values)
            events[num].tokens.append(span)
    return Record(path.name, text, list(events.values()))


def load(folder: Path, limit: int | None = None) -> Iterator[Record]:
    def gen() -> Iterator[Record]:
        for sub in FOLDERS:
            for path in sorted((folder / sub).glob("*.conll")):
                yield parse(path)

    return itertools.islice(gen(), limit)


def predict(f: Factuality | Fact) -> dict[str, str]:
    return {"certainty": CERTAINTY[f.certainty], "polarity": POLARITY[f.polarity], "tense": TENSE[f.tense]}


def run(folder: Path, limit: int | None, analyzer: Analyzer) -> dict[str, Any]:
    gold: dict[str, list[str]] = {a: [] for a in ATTRS}
    pred: dict[str, list[str]] = {a: [] for a in ATTRS}
    cgold: dict[str, list[str]] = {a: [] for a in ATTRS}
    cpred: dict[str, list[str]] = {a: [] for a in ATTRS}
    default = predict(Factuality())
    examples = Examples(4)
    n_docs = n_events = covered = 0
    distribution: Counter[str] = Counter()

    def item(r: Record) -> dict[str, Any]:
        return {"text": r.text, "language": "en"}

    doc: Document
    for rec, doc in analyze_records(load(folder, limit), item, analyzer, chunk=16):
        n_docs += 1
        omap = OffsetMap(rec.text, doc.text)
        triggers: list[tuple[tuple[int, int], Claim]] = []
        for c in sorted(doc.claims, key=lambda c: c.event.trigger_start or 0):
            span = omap.span(c.event.trigger_start, c.event.trigger_end)
            if span:
                triggers.append((span, c))
        facts = assess_spans(rec.text, [ev.tokens[0] for ev in rec.events], by_line=True)
        for ev, fact in zip(rec.events, facts, strict=True):
            n_events += 1
            claim = next((c for span, c in triggers if any(overlaps(*span, *t) for t in ev.tokens)), None)
            p = predict(fact) if fact is not None else default
            cp = predict(claim.factuality) if claim else None
            covered += claim is not None
            distribution["-".join(getattr(ev, a) for a in ATTRS)] += 1
            for a in ATTRS:
                g = getattr(ev, a)
                if g == "UNDERSPECIFIED":
                    continue
                gold[a].append(g)
                pred[a].append(p[a])
                if cp is not None:
                    cgold[a].append(g)
                    cpred[a].append(cp[a])
                if g != p[a]:
                    s, e = ev.tokens[0]
                    examples.add(
                        a,
                        doc=rec.name[:40],
                        trigger=rec.text[s:e],
                        gold=g,
                        predicted=p[a],
                        cues=",".join(fact.cues) if fact is not None and fact.cues else "none",
                    )

    metrics: dict[str, Any] = {
        "documents": n_docs,
        "gold_events": n_events,
        "coverage": rnd(ratio(covered, n_events)),
    }
    tables = {}
    base: list[dict[str, Any]] = []
    for a in ATTRS:
        counts = classification(gold[a], pred[a])
        labels = sorted(set(gold[a]))
        metrics[f"{a}_acc"] = rnd(
            ratio(sum(g == p for g, p in zip(gold[a], pred[a], strict=True)), len(gold[a]))
        )
        metrics[f"{a}_macro_f1"] = rnd(counts.macro_f1(labels))
        ccounts = classification(cgold[a], cpred[a])
        metrics[f"covered_{a}_acc"] = rnd(
            ratio(sum(g == p for g, p in zip(cgold[a], cpred[a], strict=True)), len(cgold[a]))
        )
        metrics[f"covered_{a}_macro_f1"] = rnd(ccounts.macro_f1(sorted(set(cgold[a])))) if cgold[a] else None
        tables[f"{a} (all events, defaults included)"] = counts.table(labels, first=a, micro=False)
        maj, acc = majority(gold[a])
        base.append(baseline(f"{a}_acc", metrics[f"{a}_acc"], acc, f"every event '{maj}' (majority class)"))
        base.append(baseline(f"{a}_macro_f1", metrics[f"{a}_macro_f1"],
                             (2 * acc / (1 + acc)) / len(labels) if labels else 0.0, f"every event '{maj}'"))
    return {
        "records": n_docs,
        "baselines": base,
        "metrics": metrics,
        "tables": tables,
        "examples": examples.items,
        "notes": [
            "headline metrics: assess_spans on every gold event; covered_*: the claims' factuality",
            "gold distribution: " + ", ".join(f"{k} {v}" for k, v in distribution.most_common(6)),
        ],
    }
