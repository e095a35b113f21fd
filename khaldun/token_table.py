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

        n = len(doc)
        if not n:
            table = doc.user_data[TABLE_KEY] = TokenTable([], [], [], [], [], [], [], [])
            return table
        arr = doc.to_array([LOWER, POS, TAG, DEP, ORTH, IS_SPACE, HEAD])
        cols = arr[:, :6].T.tolist()
        known = _STRINGS
        get = known.__getitem__
        try:
            lo, pos, tag, dep, text = (list(map(get, c)) for c in cols[:5])
        except KeyError:  # a string id not seen before: each new one looked up once
            if len(known) > _MAX_STRINGS:
                known.clear()
                known[0] = ""
            strings = doc.vocab.strings
            for c in cols[:5]:
                for sid in c:
                    if sid not in known:
                        known[sid] = strings[sid]
            lo, pos, tag, dep, text = (list(map(get, c)) for c in cols[:5])
        space = [x != 0 for x in cols[5]]
        head = [i + off for i, off in enumerate(arr[:, 6].astype("int64").tolist())]  # HEAD: the offset to the head
        table = doc.user_data[TABLE_KEY] = TokenTable(lo, pos, tag, dep, list(map(_lemma, lo, tag)), head, text,
                                                      space)
    return table


CHILDREN_KEY = "khaldun_children"


def children_of(doc: Any) -> list[list[int]]:
    """Each token's children (their indices, in order), from the table's heads; built once per Doc."""
    kids = doc.user_data.get(CHILDREN_KEY)
    if kids is None:
        kids = [[] for _ in range(len(doc))]
        for i, h in enumerate(token_table(doc).head):
            if h != i:
                kids[h].append(i)
        doc.user_data[CHILDREN_KEY] = kids
    return kids  # type: ignore[no-any-return]


def subtree_indices(doc: Any, i: int) -> list[int]:
    """The indices of `doc[i].subtree`, in the order spaCy yields them (each left child's subtree, the token,
    each right child's subtree: a non-projective parse's subtree is not a run of indices), without a Token."""
    kids = children_of(doc)
    out: list[int] = []

    def walk(k: int) -> None:
        ch = kids[k]
        if not ch:
            out.append(k)
            return
        for c in ch:
            if c < k:
                walk(c)
        out.append(k)
        for c in ch:
            if c > k:
                walk(c)

    walk(i)
    return out


def span_bounds(span: Any) -> tuple[Any, int, int]:
    """(Doc, start, end): the Doc and token offsets of a Span, or a whole Doc."""
    start = getattr(span, "start", None)
    return (span, 0, len(span)) if start is None else (span.doc, start, span.end)
