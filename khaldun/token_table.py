"""Plain per-token data of a parse (lower case, coarse and fine tag, dependency label, khaldun's lemma), built
once per Doc and cached on it, for the loops that look at every token of a sentence only to pick a few: they
read strings from lists and build a spaCy Token (spaCy makes a new one on every `doc[i]` and every step of an
iteration) only for the tokens they pick."""

from __future__ import annotations

from typing import Any, NamedTuple

from .nlp import lemma


class TokenTable(NamedTuple):
    lower: list[str]
    pos: list[str]
    tag: list[str]
    dep: list[str]
    lemma: list[str]


def token_table(doc: Any) -> TokenTable:
    """The table of a parsed Doc (built on first use; the frame stage reads a parse it no longer changes)."""
    table = doc.user_data.get("khaldun_token_table")
    if table is None:
        cols: tuple[list[str], ...] = ([], [], [], [], [])
        lo, pos, tag, dep, lem = cols
        for t in doc:
            lo.append(t.lower_)
            pos.append(t.pos_)
            tag.append(t.tag_)
            dep.append(t.dep_)
            lem.append(lemma(t))
        table = doc.user_data["khaldun_token_table"] = TokenTable(lo, pos, tag, dep, lem)
    return table


def span_bounds(span: Any) -> tuple[Any, int, int]:
    """(Doc, start, end): the Doc and token offsets of a Span, or a whole Doc."""
    start = getattr(span, "start", None)
    return (span, 0, len(span)) if start is None else (span.doc, start, span.end)
