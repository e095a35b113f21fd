"""Plain per-token data of a parse (lower case, coarse and fine tag, dependency label, khaldun's lemma, the head's
index, the text, whether it is whitespace), built once per Doc and cached on it, for the loops that look at every
token of a sentence only to pick a few: they read strings from lists and build a spaCy Token (spaCy makes a new one
on every `doc[i]` and every step of an iteration) only for the tokens they pick. The table is read from one
`Doc.to_array` (no Token object at all), the string ids turned into strings through one dictionary."""

from __future__ import annotations

from typing import Any, NamedTuple

from .nlp import TABLE_KEY, _lemma


class TokenTable(NamedTuple):
    lower: list[str]
    pos: list[str]
    tag: list[str]
    dep: list[str]
    lemma: list[str]
    head: list[int]  # the index of each token's head (itself for a root)
    text: list[str]  # the token as written
    space: list[bool]  # a whitespace token (`Token.is_space`)


# spaCy's string ids are hashes of the strings, the same in every vocabulary: one dictionary serves them all
_STRINGS: dict[int, str] = {0: ""}
_MAX_STRINGS = 500_000  # distinct ids remembered before the dictionary starts over (a backfill of millions)


def token_table(doc: Any) -> TokenTable:
    """The table of a parsed Doc (built on first use; the stages read a parse they no longer change)."""
    table = doc.user_data.get(TABLE_KEY)
    if table is None:
        from spacy.attrs import DEP, HEAD, IS_SPACE, LOWER, ORTH, POS, TAG

        rows = doc.to_array([LOWER, POS, TAG, DEP, HEAD, ORTH, IS_SPACE]).tolist() if len(doc) else []
        known = _STRINGS
        if len(known) > _MAX_STRINGS:
            known.clear()
            known[0] = ""
        strings = doc.vocab.strings
        for r in rows:
            for sid in (r[0], r[1], r[2], r[3], r[5]):
                if sid not in known:
                    known[sid] = strings[sid]
        lo = [known[r[0]] for r in rows]
        pos = [known[r[1]] for r in rows]
        tag = [known[r[2]] for r in rows]
        dep = [known[r[3]] for r in rows]
        head = [i + (r[4] if r[4] < 2**63 else r[4] - 2**64) for i, r in enumerate(rows)]
        lem = [_lemma(w, t) for w, t in zip(lo, tag, strict=True)]
        text = [known[r[5]] for r in rows]
        space = [bool(r[6]) for r in rows]
        table = doc.user_data[TABLE_KEY] = TokenTable(lo, pos, tag, dep, lem, head, text, space)
    return table


def span_bounds(span: Any) -> tuple[Any, int, int]:
    """(Doc, start, end): the Doc and token offsets of a Span, or a whole Doc."""
    start = getattr(span, "start", None)
    return (span, 0, len(span)) if start is None else (span.doc, start, span.end)
