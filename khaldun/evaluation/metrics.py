"""Shared scoring machinery for the evaluation suites.

What lives here and why:

- ``PRF`` / ``LabelPRF``: true/false positive and false negative counters with precision, recall and
  F1, per label and micro/macro, so every suite reports the same way.
- ``Table`` helpers that turn counters into JSON-able ``{"columns": [...], "rows": [...]}`` tables.
- Span helpers: overlap tests, word-token sets, greedy one-to-one matching.
- ``OffsetMap``: the pipeline returns offsets into ``Document.text``, its *normalized* text, which may
  differ from the text a suite sent (whitespace, quotes, removed boilerplate). Gold offsets point into
  the sent text, so predicted offsets are mapped back before they are compared.
- ``detokenize``: several gold sets ship tokens, not text; this rebuilds readable text and the
  character offsets of every token.
- ``analyze_records``: feeds records to the analyzer in chunks (streaming, bounded memory) and yields
  each record with its Document.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from khaldun.models import Document
from khaldun.text import OffsetMap

T = TypeVar("T")
Analyzer = Callable[[list[dict[str, Any]]], list[Document]]

ROUND = 4


def rnd(value: float | None) -> float | None:
    """Round a metric for the report (None stays None)."""
    return None if value is None else round(value, ROUND)


def ratio(num: float, den: float) -> float | None:
    """num/den, or None when there is nothing to divide by (an undefined metric, not a zero)."""
    return num / den if den else None


# --------------------------------------------------------------------------- counters


@dataclass
class PRF:
    """Counts of true positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def pred(self) -> int:
        return self.tp + self.fp

    def row(self) -> list[Any]:
        return [self.gold, self.pred, self.tp, rnd(self.precision), rnd(self.recall), rnd(self.f1)]


PRF_COLUMNS = ["gold", "pred", "tp", "P", "R", "F1"]


@dataclass
class LabelPRF:
    """PRF counters keyed by label, with micro and macro averages."""

    counts: dict[str, PRF] = field(default_factory=dict)

    def __getitem__(self, label: str) -> PRF:
        if label not in self.counts:
            self.counts[label] = PRF()
        return self.counts[label]

    def tp(self, label: str, n: int = 1) -> None:
        self[label].tp += n

    def fp(self, label: str, n: int = 1) -> None:
        self[label].fp += n

    def fn(self, label: str, n: int = 1) -> None:
        self[label].fn += n

    def micro(self, labels: Iterable[str] | None = None) -> PRF:
        total = PRF()
        for label in self.counts if labels is None else labels:
            if label in self.counts:
                total.add(self.counts[label])
        return total

    def macro_f1(self, labels: Iterable[str] | None = None) -> float:
        """Mean F1 over the labels that occur in gold or predictions."""
        chosen = [
            lab
            for lab in (self.counts if labels is None else labels)
            if lab in self.counts and (self.counts[lab].gold or self.counts[lab].pred)
        ]
        return sum(self.counts[lab].f1 for lab in chosen) / len(chosen) if chosen else 0.0

    def table(
        self, order: Sequence[str] | None = None, first: str = "label", micro: bool = True
    ) -> dict[str, Any]:
        """Per-label rows (in `order`, then the rest sorted), then a micro row."""
        labels = [lab for lab in (order or []) if lab in self.counts]
        labels += sorted(lab for lab in self.counts if lab not in labels)
        rows = [[lab, *self.counts[lab].row()] for lab in labels]
        if micro:
            rows.append(["(micro)", *self.micro(labels).row()])
        return {"columns": [first, *PRF_COLUMNS], "rows": rows}


def classification(gold: Sequence[str | None], pred: Sequence[str | None], none: str = "none") -> LabelPRF:
    """Single-label classification counts: a miss is an FN for the gold label and an FP for the guess."""
    out = LabelPRF()
    for g, p in zip(gold, pred, strict=True):
        g = g or none
        p = p or none
        if g == p:
            out.tp(g)
        else:
            if g != none:
                out.fn(g)
            if p != none:
                out.fp(p)
    return out


def accuracy(gold: Sequence[Any], pred: Sequence[Any]) -> float | None:
    return ratio(sum(g == p for g, p in zip(gold, pred, strict=True)), len(gold))


def confusion_table(
    pairs: Counter[tuple[str, str]], top: int = 15, columns: tuple[str, str] = ("gold", "predicted")
) -> dict[str, Any]:
    """The most frequent (gold, predicted) disagreements."""
    rows = [[g, p, n] for (g, p), n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    return {"columns": [*columns, "count"], "rows": rows}


def simple_table(columns: list[str], rows: list[list[Any]]) -> dict[str, Any]:
    return {"columns": columns, "rows": rows}


# --------------------------------------------------------------------------- spans and tokens


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Half-open character spans share at least one character."""
    return a_start < b_end and b_start < a_end


def overlap_len(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


_WORD = re.compile(r"\w+")


class Tokens:
    """Word tokens (``\\w+`` runs) of a text, to compare spans by the words they cover.

    Comparing word sets makes 'exact' matching insensitive to a trailing full stop, a quotation mark
    or surrounding spaces, which annotators and extractors place differently.
    """

    def __init__(self, text: str):
        spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def cover(self, fragments: Iterable[tuple[int, int]]) -> frozenset[int]:
        """Indices of the tokens that overlap any of the (start, end) fragments."""
        out: set[int] = set()
        for start, end in fragments:
            if end <= start:
                continue
            i = bisect.bisect_right(self.ends, start)  # first token ending after start
            while i < len(self.starts) and self.starts[i] < end:
                out.add(i)
                i += 1
        return frozenset(out)


def half_overlap(gold: frozenset[int], pred: frozenset[int]) -> bool:
    """Shared tokens are at least half of the longer of the two spans."""
    if not gold or not pred:
        return False
    return 2 * len(gold & pred) >= max(len(gold), len(pred))


def greedy_match(
    golds: Sequence[T], preds: Sequence[Any], score: Callable[[T, Any], float]
) -> list[tuple[int, int]]:
    """One-to-one matching: pairs with a positive score, best first (ties: earlier gold, earlier pred)."""
    cands = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            s = score(g, p)
            if s > 0:
                cands.append((-s, gi, pi))
    cands.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi))
    return sorted(out)


def span_prf(
    gold: Sequence[tuple[int, int]], pred: Sequence[tuple[int, int]], mode: str = "exact"
) -> tuple[PRF, list[tuple[int, int]]]:
    """Character spans, one-to-one: `exact` needs identical (start, end); `overlap` any shared char."""
    if mode == "exact":

        def score(g: tuple[int, int], p: tuple[int, int]) -> float:
            return 1.0 if g == p else 0.0
    else:

        def score(g: tuple[int, int], p: tuple[int, int]) -> float:
            return overlap_len(*g, *p) / max(g[1] - g[0], p[1] - p[0], 1)

    pairs = greedy_match(gold, pred, score)
    return PRF(tp=len(pairs), fp=len(pred) - len(pairs), fn=len(gold) - len(pairs)), pairs


# --------------------------------------------------------------------------- offsets


# OffsetMap lives in khaldun.text (the pipeline maps caller offsets with it too)


# --------------------------------------------------------------------------- text from tokens

_NO_SPACE_BEFORE = {
    ",",
    ".",
    ":",
    ";",
    "!",
    "?",
    ")",
    "]",
    "}",
    "%",
    "...",
    "…",
    "''",
    "”",
    "’",
    "-RRB-",
    "-RSB-",
    "-RCB-",
}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "#", "``", "“", "‘", "US$", "£", "-LRB-", "-LSB-", "-LCB-"}
_CLITICS = {"'s", "’s", "n't", "n’t", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d", "’d", "'m", "’m", "'"}
_APOSTROPHE_TAILS = {"s", "t", "re", "ve", "ll", "d", "m"}
_PTB = {
    "``": '"',
    "''": '"',
    "-LRB-": "(",
    "-RRB-": ")",
    "-LSB-": "[",
    "-RSB-": "]",
    "-LCB-": "{",
    "-RCB-": "}",
}


def detokenize(sentences: Sequence[Sequence[str]], sep: str = " ") -> tuple[str, list[list[tuple[int, int]]]]:
    """Readable text from tokenized sentences, and the (start, end) of every token in it.

    Punctuation attaches to its neighbour, clitics ('s, n't) to the word before, PTB brackets and
    quote tokens become characters, a straight double quote opens or closes by alternation, and a
    hyphen token between two words joins them ("pro - regime" -> "pro-regime").
    """
    parts: list[str] = []
    offsets: list[list[tuple[int, int]]] = []
    pos = 0
    for si, sent in enumerate(sentences):
        if si:
            parts.append(sep)
            pos += len(sep)
        sent_offsets: list[tuple[int, int]] = []
        quote_open = False  # inside a straight-quoted passage
        glue_next = False  # the previous token forbids a space after it
        for ti, raw in enumerate(sent):
            tok = _PTB.get(raw, raw)
            prev = sent[ti - 1] if ti else ""
            nxt = sent[ti + 1] if ti + 1 < len(sent) else ""
            space = ti > 0 and not glue_next
            glue_next = raw in _NO_SPACE_AFTER
            if raw in _NO_SPACE_BEFORE or raw.lower() in _CLITICS:
                space = False
            elif prev == "’" and raw.lower() in _APOSTROPHE_TAILS:
                space = False
            elif raw == '"':
                if quote_open:
                    space = False
                else:
                    glue_next = True
                quote_open = not quote_open
            elif raw == "-" and prev[-1:].isalnum() and nxt[:1].isalnum():
                space = False
                glue_next = True
            if space:
                parts.append(" ")
                pos += 1
            sent_offsets.append((pos, pos + len(tok)))
            parts.append(tok)
            pos += len(tok)
        offsets.append(sent_offsets)
    return "".join(parts), offsets


# --------------------------------------------------------------------------- running the analyzer


def default_analyzer() -> Analyzer:
    """khaldun's own pipeline; raises a clear error while it does not exist yet."""
    try:
        import khaldun.pipeline  # noqa: F401 - analyze_many imports it lazily; fail early, not mid-suite
        from khaldun import analyze_many
    except ImportError as exc:  # pragma: no cover - depends on the lead's pipeline
        raise RuntimeError(f"khaldun.analyze_many is not available ({exc}): pass analyzer=...") from exc

    def run(items: list[dict[str, Any]]) -> list[Document]:
        return list(analyze_many(items, batch_size=32))

    def code_at(text: str, triggers: list[tuple[int, int, str | None]]) -> list[Any]:
        from khaldun.pipeline import default_pipeline

        return default_pipeline().code_at(text, triggers)[1]

    run.code_at = code_at  # type: ignore[attr-defined]  # suites scoring argument linking at gold triggers
    return run


def batched(iterable: Iterable[T], n: int) -> Iterator[list[T]]:
    it = iter(iterable)
    while chunk := list(itertools.islice(it, n)):
        yield chunk


class AnalyzerFailures:
    """Items the analyzer crashed on: they are scored as documents without predictions and reported,
    so one pipeline bug costs its items, not the whole run."""

    def __init__(self) -> None:
        self.count = 0
        self.first: list[str] = []

    def reset(self) -> None:
        self.count = 0
        self.first = []

    def add(self, text: str, exc: BaseException) -> None:
        self.add_message(f"{type(exc).__name__}: {exc} (text: {clip(text, 60)})")

    def add_message(self, message: str) -> None:
        self.count += 1
        if len(self.first) < 3:
            self.first.append(message)


FAILURES = AnalyzerFailures()


def majority(labels: Iterable[Any]) -> tuple[Any, float]:
    """The most frequent gold label and the accuracy of answering it for every record (the majority-class
    baseline every figure is read against)."""
    counts = Counter(labels)
    if not counts:
        return None, 0.0
    label, n = counts.most_common(1)[0]
    return label, n / sum(counts.values())


def baseline(metric: str, khaldun: Any, value: float | None, rule: str) -> dict[str, Any]:
    """One row of a report's baselines table: khaldun's figure next to a trivial answer's."""
    return {"metric": metric, "khaldun": khaldun, "baseline": rnd(value) if value is not None else None,
            "rule": rule}


def gold_date(value: Any) -> str | None:
    """A gold record's date as ISO 8601 for the analyzer: ISO dates pass, compact YYYYMMDD and the
    YYMMDD of the CAMEO/PETRARCH wire sets ("121108" = 2012-11-08; years 69-99 are 19xx) are expanded;
    anything else gives None (the record is analyzed undated rather than failing)."""
    from datetime import date

    from khaldun.dates import parse_published

    if value is None or isinstance(value, date):
        return value.isoformat() if isinstance(value, date) else None
    s = str(value).strip()
    if len(s) == 6 and s.isdigit():
        yy = int(s[:2])
        s = f"{2000 + yy if yy < 69 else 1900 + yy}{s[2:]}"
    try:
        d = parse_published(s)
    except ValueError:
        return None
    return d.isoformat() if d else None


def with_published(it: dict[str, Any]) -> dict[str, Any]:
    if it.get("published") is None:
        return it
    return {**it, "published": gold_date(it["published"])}


def analyze_records(
    records: Iterable[T], item: Callable[[T], dict[str, Any]], analyzer: Analyzer, chunk: int = 64
) -> Iterator[tuple[T, Document]]:
    """Yield (record, Document) in order, calling the analyzer on `chunk` records at a time.

    When the analyzer raises on a chunk, its items are retried one by one; an item that still fails
    yields an empty Document (same text, no predictions) and is counted in ``FAILURES``.
    """
    for group in batched(records, chunk):
        items = [with_published(item(r)) for r in group]
        try:
            docs = analyzer(items)
        except Exception:  # noqa: BLE001 - isolate the failing items below
            docs = []
            for it in items:
                try:
                    docs.extend(analyzer([it]))
                except Exception as exc:  # noqa: BLE001 - scored as no prediction, reported
                    FAILURES.add(it.get("text") or "", exc)
                    docs.append(Document(id="analyzer-error", text=it.get("text") or ""))
        if len(docs) != len(group):
            raise RuntimeError(f"analyzer returned {len(docs)} documents for {len(group)} items")
        yield from zip(group, docs, strict=True)


def clip(text: str, n: int = 160) -> str:
    """Short one-line excerpt for error examples."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


class Examples:
    """Keeps the first `limit` error examples of each kind, in data order (deterministic)."""

    def __init__(self, limit: int = 4):
        self.limit = limit
        self.items: list[dict[str, Any]] = []
        self._seen: Counter[str] = Counter()

    def add(self, kind: str, **info: Any) -> None:
        if self._seen[kind] < self.limit:
            self.items.append({"kind": kind, **info})
        self._seen[kind] += 1

    def counts(self) -> dict[str, int]:
        return dict(self._seen)


# --------------------------------------------------------------------------- event roles

SLOTS = ("actors", "recipients", "funders", "materiel", "location")


def claim_entities(claim: Any, omap: OffsetMap) -> list[tuple[str, int, int, str]]:
    """(slot, start, end, text) of every claim argument that has offsets, mapped to the sent text."""
    out = []
    for slot in SLOTS:
        value = getattr(claim, slot)
        for ent in value if isinstance(value, list) else ([value] if value is not None else []):
            span = omap.span(ent.start, ent.end)
            if span:
                out.append((slot, span[0], span[1], ent.text))
    return out


def score_roles(
    gold_args: Sequence[tuple[str, int, int]],
    entities: Sequence[tuple[str, int, int, str]],
    type_roles: Sequence[str],
    role_slots: dict[str, tuple[str, ...]],
    counts: LabelPRF,
) -> list[tuple[str, int, int, bool]]:
    """Score one event's arguments by span overlap; returns (role, start, end, found) per gold argument.

    Gold arguments are (role, start, end). A predicted entity in slot S may fill any role of the
    event type whose slots include S (`role_slots`); it takes the first such role whose gold span it
    overlaps (a TP, once per gold argument) or else the first such role (an FP). Entities in slots no
    role of the type uses are not scored. Unfound gold arguments are FNs of their role.
    """
    gold = [(r, s, e) for r, s, e in gold_args if r in role_slots]
    found = [False] * len(gold)
    for slot, start, end, _ in entities:
        roles = [r for r in type_roles if slot in role_slots.get(r, ())]
        if not roles:
            continue
        hit = None
        for gi, (r, s, e) in enumerate(gold):
            if r in roles and overlaps(start, end, s, e):
                if not found[gi]:
                    hit = gi
                    break
                hit = -1  # overlaps an argument already found: a duplicate, not scored
        if hit is None:
            counts.fp(roles[0])
        elif hit >= 0:
            found[hit] = True
            counts.tp(gold[hit][0])
    for (r, _, _), ok in zip(gold, found, strict=True):
        if not ok:
            counts.fn(r)
    return [(r, s, e, ok) for (r, s, e), ok in zip(gold, found, strict=True)]
