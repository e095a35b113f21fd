"""The model's attribute ruler, matched by table lookup instead of spaCy's general token Matcher.

en_core_web_sm ends its tagging with an ``attribute_ruler``: 179 token patterns (a tag map, pronoun and
auxiliary exceptions, a few two-token rules such as "gon na") that set POS, MORPH, LEMMA, TAG or DEP. spaCy
runs them through its general Matcher, which costs about as much as the dependency parser itself (0.27 s
of 1.8 s on the bench's 48 articles). Every one of these patterns tests only a token's own TAG, LOWER,
DEP or IS_SPACE (and, in two-token rules, its neighbour's), so the set of patterns a token matches is a
function of those four values: :class:`TableRuler` works it out once per distinct tuple and caches it.
The word (LOWER) enters that tuple only as far as the patterns read it: a word that no pattern names
is replaced by the first word seen with the same answers to the patterns' regular expressions, so
every unnamed word of one such class shares one cache entry (the cache holds a few hundred tuples
instead of one per distinct word, and a new word costs a dictionary look-up and the few regexes).

The result is the same, token for token: the patterns are read from the loaded model (nothing is copied
here), matched on the annotation as it stood before the ruler ran (as the Matcher does), and applied in
pattern order with spaCy's own ``set_token_attrs`` (later patterns win, as in ``AttributeRuler``).
``tests/test_nlp.py`` checks POS, TAG, DEP, MORPH and LEMMA against spaCy's ruler on the shipped corpus.
A pattern this module cannot read (an operator, another attribute) leaves spaCy's ruler in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

# token attributes a pattern may test, in the order of the feature tuple
_FEATURES = ("TAG", "LOWER", "DEP", "IS_SPACE")
_Feat = tuple[str, str, str, bool]
_Pred = Callable[[_Feat], bool]
_MAX_KEYS = 200_000  # distinct (tag, word, dependency, space) tuples cached before the cache starts over


def _value_test(pos: int, spec: Any) -> _Pred | None:
    if isinstance(spec, (str, bool)):
        return lambda f: f[pos] == spec
    if isinstance(spec, dict) and len(spec) == 1:
        (op, arg), = spec.items()
        if op == "IN" and isinstance(arg, list):
            members = frozenset(arg)
            return lambda f: f[pos] in members
        if op == "NOT_IN" and isinstance(arg, list):
            members = frozenset(arg)
            return lambda f: f[pos] not in members
        if op == "REGEX" and isinstance(arg, str) and pos != 3:
            rx = re.compile(arg)
            return lambda f: rx.search(f[pos]) is not None
    return None


def _lower_reads(patterns: Iterable[dict[str, Any]]) -> tuple[frozenset[str], list[re.Pattern[str]]] | None:
    """The words the patterns name in LOWER, and their LOWER regexes; None if LOWER is tested otherwise."""
    words: set[str] = set()
    regexes: list[re.Pattern[str]] = []
    for entry in patterns:
        for pattern in entry["patterns"]:
            for spec in pattern:
                v = spec.get("LOWER")
                if v is None:
                    continue
                if isinstance(v, str):
                    words.add(v)
                elif isinstance(v, dict) and len(v) == 1 and next(iter(v)) in ("IN", "NOT_IN"):
                    words.update(next(iter(v.values())))
                elif isinstance(v, dict) and len(v) == 1 and "REGEX" in v:
                    regexes.append(re.compile(v["REGEX"]))
                else:
                    return None
    return frozenset(words), regexes


def _token_test(spec: dict[str, Any]) -> _Pred | None:
    """A predicate on one token's features, or None when the spec uses anything else."""
    tests = []
    for key, value in spec.items():
        if key not in _FEATURES:
            return None
        t = _value_test(_FEATURES.index(key), value)
        if t is None:
            return None
        tests.append(t)
    return lambda f: all(t(f) for t in tests)


class TableRuler:
    """Drop-in replacement for a loaded ``AttributeRuler`` (same patterns, same output)."""

    def __init__(self, ruler: Any, single: list[tuple[int, _Pred]],
                 multi: list[tuple[int, int, list[_Pred]]]) -> None:
        from spacy.tokens._retokenize import set_token_attrs

        self.name = getattr(ruler, "name", "attribute_ruler")
        self._ruler = ruler
        self._attrs = ruler.attrs
        self._set = set_token_attrs
        self._single = single
        self._multi = multi
        self._strings = ruler.vocab.strings
        self._by_key: dict[tuple[int, int, int, bool], list[int]] = {}
        self._starts: dict[tuple[int, int, int, bool], list[int]] = {}
        reads = _lower_reads(ruler.patterns)
        self._named = frozenset(self._strings.add(w) for w in reads[0]) if reads else None
        self._regexes = reads[1] if reads else []
        self._word_class: dict[int, int] = {}  # LOWER id -> the id standing for its class
        self._class_of_mask: dict[tuple[bool, ...], int] = {}

    @classmethod
    def from_ruler(cls, ruler: Any) -> TableRuler | None:
        single: list[tuple[int, _Pred]] = []
        multi: list[tuple[int, int, list[_Pred]]] = []
        for i, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                tests = [_token_test(spec) for spec in pattern]
                if not tests or any(t is None for t in tests):
                    return None
                index = entry.get("index", 0)
                if len(tests) == 1:
                    if index not in (0, -1):
                        return None
                    single.append((i, tests[0]))  # type: ignore[arg-type]
                else:
                    if not -len(tests) <= index < len(tests):
                        return None
                    multi.append((i, index % len(tests), tests))  # type: ignore[arg-type]
        return cls(ruler, single, multi)

    def _canon(self, lower: int) -> int:
        """The LOWER id that stands for ``lower`` in the cache key (itself when a pattern names it)."""
        if self._named is None or lower in self._named:
            return lower
        mask = tuple(rx.search(self._strings[lower]) is not None for rx in self._regexes)
        return self._class_of_mask.setdefault(mask, lower)

    def _feat(self, key: tuple[int, int, int, bool]) -> _Feat:
        s = self._strings
        return (s[key[0]], s[key[1]], s[key[2]], key[3])

    def __call__(self, doc: Any) -> Any:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        n = len(doc)
        if not n:
            return doc
        arr = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
        wc = self._word_class
        if len(wc) >= _MAX_KEYS:
            wc.clear()
        canon = self._canon
        keys = []
        for r in arr:
            w = wc.get(r[1])
            if w is None:
                w = wc[r[1]] = canon(r[1])
            keys.append((r[0], w, r[2], bool(r[3])))
        hits: list[list[int]] = [[] for _ in range(n)]
        by_key, starts = self._by_key, self._starts
        for k, key in enumerate(keys):
            ids = by_key.get(key)
            if ids is None:
                if len(by_key) >= _MAX_KEYS:  # a backfill of millions of articles: keep memory bounded
                    by_key.clear()
                    starts.clear()
                feat = self._feat(key)
                ids = by_key[key] = [i for i, test in self._single if test(feat)]
                starts[key] = [m for m, (_, _, tests) in enumerate(self._multi) if tests[0](feat)]
            if ids:
                hits[k].extend(ids)  # a two-token rule may already have marked this token
            for m in starts[key]:
                i, index, tests = self._multi[m]
                end = k + len(tests)
                if end <= n and all(tests[j - k](self._feat(keys[j])) for j in range(k + 1, end)):
                    hits[k + index].append(i)
        attrs = self._attrs
        for k, ids in enumerate(hits):
            if ids:
                tok = doc[k]
                for i in sorted(ids):
                    self._set(tok, attrs[i])
        return doc

    def pipe(self, stream: Iterable[Any], batch_size: int = 128) -> Iterator[Any]:
        for doc in stream:
            yield self(doc)


def install(nlp: Any) -> bool:
    """Swap the model's attribute ruler for a :class:`TableRuler`; False (and nothing changed) when
    the model has none or a pattern needs spaCy's Matcher."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    table = TableRuler.from_ruler(ruler)
    if table is None:
        return False
    # the pipeline keeps its component list; only the callable at that slot changes
    # (component_names, not pipe_names: a disabled "senter" also holds a slot)
    nlp._components[nlp.component_names.index("attribute_ruler")] = ("attribute_ruler", table)
    return True
