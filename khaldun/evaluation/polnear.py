"""PolNeAR v1.0 dev: attributions (source, cue, content) in US political news.

Gold: ``dev/text/*.txt`` and ``dev/attributions/*.ann`` (brat standoff; ``T`` lines typed Source, Cue,
Content with possibly discontinuous fragments, ``E`` lines linking an attribution's parts; other types
such as Discuss/Discard are ignored). Some articles were annotated twice; the first annotation file in
name order is used. ``metadata.tsv`` gives the publisher and date passed to the analyzer.

Scoring rule
------------
- Predictions are ``Document.quotes``: source = ``speaker_span``, cue = ``cue``, content = ``content``
  (offsets mapped back from ``Document.text`` to the file text).
- Spans are compared as sets of word tokens (``\\w+`` runs) of the file text, so surrounding spaces,
  punctuation and quotation marks do not matter; a discontinuous gold span is the union of its fragments.
- For each of source, cue and content separately, gold and predicted spans of a document are matched
  one-to-one (largest token overlap first): ``exact`` when the token sets are equal, ``partial`` when
  the shared tokens are at least half of the longer span (gold or predicted). P/R/F1 per part.
- ``attribution_partial_f1``: a gold attribution and a quote match when their contents match
  partially and their sources match partially (or neither has a source); one-to-one.
"""

from __future__ import annotations

import csv
import itertools
import re
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
    Tokens,
    analyze_records,
    baseline,
    clip,
    greedy_match,
    half_overlap,
    rnd,
)
from khaldun.models import Document

SCORING = """Gold attributions vs Document.quotes, per part (source=speaker_span, cue, content): spans as
word-token
sets, one-to-one; exact = same tokens, partial = shared tokens >= half of the longer span. Attribution match =
content and source both partial."""

PARTS = ("source", "cue", "content")
Frags = list[tuple[int, int]]


@dataclass
class Attribution:
    source: Frags | None
    cue: Frags | None
    content: Frags | None


@dataclass
class Record:
    name: str
    text: str
    publisher: str | None
    published: str | None
    gold: list[Attribution]


def parse_ann(path: Path) -> list[Attribution]:
    spans: dict[str, Frags] = {}
    links: list[dict[str, str]] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                continue
            tid, body = parts[0], parts[1]
            if tid.startswith("T"):
                typ, _, locs = body.partition(" ")
                if typ in ("Source", "Cue", "Content"):
                    frags = []
                    for loc in locs.split(";"):
                        a, b = loc.split()
                        frags.append((int(a), int(b)))
                    spans[tid] = frags
            elif tid.startswith("E"):
                link = {}
                for arg in body.split():
                    role, _, ref = arg.partition(":")
                    link[role] = ref
                links.append(link)
    out = []
    for link in links:
        if "Content" not in link and "Cue" not in link:
            continue
        out.append(
            Attribution(
                spans.get(link.get("Source", "")),
                spans.get(link.get("Cue", "")),
                spans.get(link.get("Content", "")),
            )
        )
    return out


def _metadata(folder: Path) -> dict[str, tuple[str | None, str | None]]:
    path = folder / "metadata.tsv"
    if not path.is_file():
        return {}
    with open(path, encoding="utf-8", newline="") as fh:
        return {
            row["filename"]: (row.get("publisher"), row.get("publication_date"))
            for row in csv.DictReader(fh, delimiter="\t")
        }


def load(folder: Path, limit: int | None = None) -> Iterator[Record]:
    def gen() -> Iterator[Record]:
        meta = _metadata(folder)
        anns = sorted((folder / "dev" / "attributions").glob("*.ann"))
        for txt in sorted((folder / "dev" / "text").glob("*.txt")):
            ann = next((a for a in anns if re.fullmatch(re.escape(txt.stem) + r"_[0-9a-f]+", a.stem)), None)
            if ann is None:
                continue
            text = txt.read_text(encoding="utf-8")
            publisher, published = meta.get(txt.stem, (None, None))
            yield Record(txt.stem, text, publisher, published, parse_ann(ann))

    return itertools.islice(gen(), limit)


def predicted(doc: Document, omap: OffsetMap) -> list[Attribution]:
    out = []
    for q in doc.quotes:
        src = omap.span(q.speaker_span.start, q.speaker_span.end) if q.speaker_span else None
        cue = omap.span(q.cue.start, q.cue.end) if q.cue else None
        content = omap.span(q.content.start, q.content.end)
        out.append(
            Attribution([src] if src else None, [cue] if cue else None, [content] if content else None)
        )
    return out


# The trivial extractor the figures are read against: every passage between double quotation marks of at
# least four words is one attribution's content, with no source and no cue.
_QUOTED = re.compile(r'"([^"\n]+)"|\u201c([^\u201d\n]+)\u201d')


def quoted_passages(text: str) -> list[Attribution]:
    """The baseline's attributions: the quoted passages of four words or more."""
    out = []
    for m in _QUOTED.finditer(text):
        g = 1 if m.group(1) is not None else 2
        if len(re.findall(r"\w+", m.group(g))) >= 4:
            out.append(Attribution(None, None, [(m.start(g), m.end(g))]))
    return out


def _match_part(gold: list[frozenset[int]], pred: list[frozenset[int]]) -> tuple[PRF, PRF, set[int]]:
    pairs = greedy_match(gold, pred, lambda g, p: float(len(g & p)))
    exact = PRF()
    partial = PRF()
    exact.tp = sum(gold[g] == pred[p] for g, p in pairs)
    partial.tp = sum(half_overlap(gold[g], pred[p]) for g, p in pairs)
    for counts in (exact, partial):
        counts.fp = len(pred) - counts.tp
        counts.fn = len(gold) - counts.tp
    return exact, partial, {g for g, p in pairs if half_overlap(gold[g], pred[p])}


def _tokset(toks: Tokens, a: Attribution, part: str) -> frozenset[int]:
    frags = getattr(a, part)
    return toks.cover(frags) if frags else frozenset()


def attribution_score(toks: Tokens, g: Attribution, p: Attribution) -> float:
    """Shared content tokens when content and source both match partially (or neither has a source)."""
    gc, pc = _tokset(toks, g, "content"), _tokset(toks, p, "content")
    if not half_overlap(gc, pc):
        return 0.0
    gs, ps = _tokset(toks, g, "source"), _tokset(toks, p, "source")
    if (gs or ps) and not half_overlap(gs, ps):
        return 0.0
    return float(len(gc & pc))


def _score_baseline(toks: Tokens, rec: Record, whole: PRF, content: PRF) -> None:
    """Add the quotation-marks baseline's counts for one document (the same matching as khaldun's)."""
    base = quoted_passages(rec.text)
    g = [x for x in (toks.cover(a.content) for a in rec.gold if a.content) if x]
    p = [x for x in (toks.cover(a.content) for a in base if a.content) if x]
    content.add(_match_part(g, p)[1])
    pairs = greedy_match(rec.gold, base, lambda ga, pa: attribution_score(toks, ga, pa))
    whole.tp += len(pairs)
    whole.fp += len(base) - len(pairs)
    whole.fn += len(rec.gold) - len(pairs)


def run(folder: Path, limit: int | None, analyzer: Analyzer) -> dict[str, Any]:
    exact, partial = LabelPRF(), LabelPRF()
    attrib = PRF()
    quoted, quoted_content = PRF(), PRF()  # the quotation-marks baseline
    examples = Examples(3)
    n = 0

    def item(r: Record) -> dict[str, Any]:
        return {"text": r.text, "outlet": r.publisher, "published": r.published, "language": "en"}

    doc: Document
    for rec, doc in analyze_records(load(folder, limit), item, analyzer, chunk=8):
        n += 1
        omap = OffsetMap(rec.text, doc.text)
        toks = Tokens(rec.text)
        preds = predicted(doc, omap)
        for part in PARTS:
            g = [toks.cover(getattr(a, part)) for a in rec.gold if getattr(a, part)]
            p = [toks.cover(getattr(a, part)) for a in preds if getattr(a, part)]
            g = [x for x in g if x]
            p = [x for x in p if x]
            ex, pa, _ = _match_part(g, p)
            exact[part].add(ex)
            partial[part].add(pa)

        _score_baseline(toks, rec, quoted, quoted_content)
        pairs = greedy_match(rec.gold, preds, lambda g, p, toks=toks: attribution_score(toks, g, p))
        attrib.tp += len(pairs)
        attrib.fp += len(preds) - len(pairs)
        attrib.fn += len(rec.gold) - len(pairs)
        found = {g for g, _ in pairs}
        used = {p for _, p in pairs}
        for gi, a in enumerate(rec.gold):
            if gi not in found and a.content:
                s, e = a.content[0]
                src = rec.text[a.source[0][0] : a.source[0][1]] if a.source else "none"
                examples.add("missed", doc=rec.name[:40], source=src, content=clip(rec.text[s:e], 100))
        for pi, a in enumerate(preds):
            if pi not in used and a.content:
                s, e = a.content[0]
                src = rec.text[a.source[0][0] : a.source[0][1]] if a.source else "none"
                examples.add("spurious", doc=rec.name[:40], source=src, content=clip(rec.text[s:e], 100))

    metrics: dict[str, Any] = {"documents": n, "gold_attributions": attrib.gold, "quotes": attrib.pred}
    for part in PARTS:
        metrics[f"{part}_exact_f1"] = rnd(exact[part].f1)
        metrics[f"{part}_partial_f1"] = rnd(partial[part].f1)
    metrics["attribution_partial_p"] = rnd(attrib.precision)
    metrics["attribution_partial_r"] = rnd(attrib.recall)
    metrics["attribution_partial_f1"] = rnd(attrib.f1)
    rule = "every double-quoted passage of 4+ words one attribution, no source, no cue"
    return {
        "records": n,
        "metrics": metrics,
        "baselines": [baseline("content_partial_f1", metrics["content_partial_f1"], quoted_content.f1, rule),
                      baseline("attribution_partial_f1", metrics["attribution_partial_f1"], quoted.f1, rule)],
        "tables": {
            "parts (exact tokens)": exact.table(PARTS, first="part", micro=False),
            "parts (half overlap)": partial.table(PARTS, first="part", micro=False),
        },
        "examples": examples.items,
        "notes": [],
    }
