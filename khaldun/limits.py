"""Per-document caps and time bounds, defined once.

Hostile or broken input must cost a bounded amount of time and memory and end in a one-line error
naming the file and the reason, never in a crash, a hang or a poisoned store. Every cap khaldun
enforces on its input lives here; the readers (:mod:`khaldun.ingest`, WARC, fetched URLs), the
pipeline and the store use these names and nothing else.

Why these values:

* ``MAX_TEXT_CHARS``: a 1 MB document needed 735 MB; at the cap, 300,000 characters (some 50,000
  words, longer than any news article or most reports), `khaldun analyze` peaks at 460 MB against
  330 MB for one sentence (measured 2026-12-07 with ``/usr/bin/time -f %M``).
* ``MAX_PARAGRAPH_CHARS``: spaCy refuses a text over ``nlp.max_length`` (1,000,000) and its parser
  cost grows with the paragraph; a news paragraph is a few hundred characters.
* ``MAX_DATE_CHARS``: a date as sources write it ("Tuesday, 9 April 2019 23:30:00 +0000") is under
  50 characters; dateparser's cost grows much faster than the string (650 KB took 93 s).
* ``MAX_JSON_DEPTH``: an article object is 1 or 2 levels deep; Python's JSON decoder overflows its
  recursion limit near 1,000.
* ``MAX_ALIAS_CHARS``: the longest registered actor name is under 100 characters; a 1 MB alias
  crashes the Aho-Corasick automaton (pyahocorasick) at exit.
* ``FETCH_DEADLINE``: ``--fetch-timeout`` bounds each network read; this bounds a whole URL, so a
  server sending a byte a second cannot hold ingest.
* ``PG_CONNECT_TIMEOUT``: a PostgreSQL host that accepts the connection and never answers fails
  after this many seconds (libpq waits forever by default).
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["FETCH_DEADLINE", "MAX_ALIAS_CHARS", "MAX_DATE_CHARS", "MAX_JSON_DEPTH", "MAX_PARAGRAPH_CHARS",
           "MAX_TEXT_CHARS", "PG_CONNECT_TIMEOUT", "alias_problem", "article_problem", "date_problem",
           "item_problem", "json_depth_problem", "paragraph_problem", "text_problem"]

MAX_TEXT_CHARS = 300_000
MAX_PARAGRAPH_CHARS = 100_000
MAX_DATE_CHARS = 100
MAX_JSON_DEPTH = 64
MAX_ALIAS_CHARS = 300
FETCH_DEADLINE = 60.0
PG_CONNECT_TIMEOUT = 10

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(text: str) -> str | None:
    """Why ``text`` is refused as one document (too long in all or in one paragraph, or not valid
    Unicode: half a UTF-16 surrogate pair, which no encoder and no tokenizer takes), or None."""
    if len(text) > MAX_TEXT_CHARS:
        return f"text too long: {len(text):,} characters, the limit is {MAX_TEXT_CHARS:,} (khaldun.limits)"
    bad = _SURROGATE.search(text)
    if bad:
        return f"text is not valid Unicode: an unpaired surrogate \\u{ord(bad.group()):04x} at character {bad.start()}"
    return paragraph_problem(text)


def paragraph_problem(text: str) -> str | None:
    """Why a paragraph of ``text`` is refused, or None.

    Paragraphs as the pipeline cuts them (:func:`khaldun.nlp.paragraphs` on the normalized text);
    texts whose every line break is under the limit are passed without normalizing."""
    if len(text) <= MAX_PARAGRAPH_CHARS:
        return None
    from .nlp import paragraphs
    from .text import normalize

    longest = max((len(p.text) for p in paragraphs(normalize(text))), default=0)
    if longest > MAX_PARAGRAPH_CHARS:
        return (f"paragraph too long: {longest:,} characters, the limit is {MAX_PARAGRAPH_CHARS:,} "
                "(khaldun.limits)")
    return None


def date_problem(value: Any) -> str | None:
    """Why a date string is refused before any parsing (too long), or None."""
    if isinstance(value, str) and len(value) > MAX_DATE_CHARS:
        return (f"date string too long: {len(value):,} characters, the limit is {MAX_DATE_CHARS} "
                "(khaldun.limits)")
    return None


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in a JSON text (strings skipped), without recursion."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text)) if ('"' in text) else _NOT_BRACKET.sub("", text)
    depth = best = 0
    for ch in brackets:
        if ch in "[{":
            depth += 1
            if depth > best:
                best = depth
        else:
            depth -= 1
    return best


def json_depth_problem(text: str) -> str | None:
    """Why a JSON text is refused before decoding (nested too deeply), or None."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return None
    depth = json_depth(text)
    if depth > MAX_JSON_DEPTH:
        return f"JSON nested too deeply: {depth} levels, the limit is {MAX_JSON_DEPTH} (khaldun.limits)"
    return None


def alias_problem(name: str) -> str | None:
    """Why a registry name or alias is refused (too long), or None."""
    if len(name) > MAX_ALIAS_CHARS:
        return f"name or alias too long: {len(name):,} characters, the limit is {MAX_ALIAS_CHARS} (khaldun.limits)"
    return None


def article_problem(text: str, published: Any = None) -> str | None:
    """Why an article (its text and raw publication date) is refused, or None."""
    return date_problem(published) or text_problem(text)


def item_problem(item: dict[str, Any]) -> str | None:
    """Why a pipeline input (``text`` plus metadata strings) is refused, or None: the article caps, and
    metadata that is not valid Unicode (it could never be written out as JSON or stored)."""
    problem = article_problem(item.get("text") or "", item.get("published"))
    if problem:
        return problem
    for key, value in item.items():
        if key != "text" and isinstance(value, str) and _SURROGATE.search(value):
            return f"{key!r} is not valid Unicode (an unpaired surrogate)"
    return None
