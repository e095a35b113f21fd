"""Named entities without spaCy's NER (measured option: ``KHALDUN_NO_NER=1``).

en_core_web_sm's NER carries its own token encoder and is about 40% of the model's CPU time. This
component fills ``doc.ents`` from what khaldun knows anyway, after the parser:

* actor registry matches (its Aho-Corasick automaton): a person is PERSON, a state GPE, a demonym
  NORP, any other actor ORG;
* gazetteer places: GPE (towns, regions, countries) or FAC/LOC;
* date words of :mod:`khaldun.dates` (month and weekday names) and four-digit years, with the
  numbers next to them: DATE;
* any other run of proper nouns (the parse's PROPN): PERSON when it is two or three capitalized
  words without a determiner before them, ORG otherwise.

It is not the default: `khaldun eval` and the real-article suite decide (see the bench notes in the
README); the figures with and without it are in the report of the change that added it.
"""

from __future__ import annotations

import os
from typing import Any

_KIND_LABEL = {"person": "PERSON", "state": "GPE"}
#: doc.user_data key of the registry and gazetteer matches this component found (`mentions.build` reuses them)
FOUND_KEY = "khaldun_found"


def no_ner_requested() -> bool:
    return os.environ.get("KHALDUN_NO_NER", "").strip().lower() in ("1", "true", "yes", "on")


class EntityFinder:
    """A pipeline component setting ``doc.ents`` from the registry, the gazetteer, dates and PROPN runs."""

    name = "khaldun_ents"

    def __init__(self, registry: Any, gazetteer: Any) -> None:
        from .dates import _MONTHS, _WEEKDAYS

        self.registry = registry
        self.gazetteer = gazetteer
        self.date_words = frozenset(_MONTHS) | frozenset(_WEEKDAYS)

    def _char_spans(self, doc: Any, text: str) -> list[tuple[int, int, str]]:
        out: list[tuple[int, int, str]] = []
        matches = self.registry.find(text)
        for m in matches:
            label = "NORP" if m.how == "demonym" else _KIND_LABEL.get(m.entry.kind, "ORG")
            out.append((m.start, m.end, label))
        try:
            places = self.gazetteer.find(text)
        except Exception:  # noqa: BLE001  a place lookup must never cost the parse
            places = []
        else:  # the mention stage asks the same two questions of the same text: it reads these answers
            doc.user_data[FOUND_KEY] = (self.registry, self.gazetteer, text, matches, places)
        for p in places:
            if p.start is not None and p.end is not None:
                out.append((p.start, p.end, "GPE" if p.kind in ("city", "region", "country", "town") else "LOC"))
        return out

    def __call__(self, doc: Any) -> Any:
        from spacy.util import filter_spans

        if not len(doc):
            return doc
        text = doc.text
        spans = []
        for s, e, label in self._char_spans(doc, text):
            sp = doc.char_span(s, e, label=label, alignment_mode="expand")
            if sp is not None and len(sp):
                spans.append(sp)
        taken = bytearray(len(doc))
        for sp in spans:
            taken[sp.start:sp.end] = b"\x01" * len(sp)
        spans.extend(self._dates(doc, taken))
        spans.extend(self._propn_runs(doc, taken))
        doc.set_ents(filter_spans(spans), default="outside")
        return doc

    def _dates(self, doc: Any, taken: bytearray) -> list[Any]:
        out = []
        i, n = 0, len(doc)
        while i < n:
            t = doc[i]
            if not taken[i] and (t.lower_.rstrip(".") in self.date_words or _year(t)):
                s, e = i, i + 1
                while s > 0 and not taken[s - 1] and (doc[s - 1].like_num or doc[s - 1].lower_ == "the"):
                    s -= 1
                while e < n and not taken[e] and (doc[e].like_num or doc[e].lower_.rstrip(".") in self.date_words
                                                  or (doc[e].text == "," and e + 1 < n and _year(doc[e + 1]))):
                    e += 1
                if doc[s].lower_ == "the":
                    s += 1
                out.append(_span(doc, s, e, "DATE"))
                for k in range(s, e):
                    taken[k] = 1
                i = e
            else:
                i += 1
        return out

    def _propn_runs(self, doc: Any, taken: bytearray) -> list[Any]:
        out = []
        i, n = 0, len(doc)
        while i < n:
            if taken[i] or doc[i].pos_ != "PROPN":
                i += 1
                continue
            e = i + 1
            while e < n and not taken[e] and doc[e].pos_ == "PROPN":
                e += 1
            words = [doc[k].text for k in range(i, e)]
            person = (2 <= len(words) <= 3 and all(w[:1].isupper() and w[1:].islower() for w in words)
                      and not (i and doc[i - 1].pos_ == "DET"))  # "the Velmar Trust" names no person
            out.append(_span(doc, i, e, "PERSON" if person else "ORG"))
            i = e
        return out


def _year(t: Any) -> bool:
    return len(t.text) == 4 and t.text.isdigit() and 1900 <= int(t.text) <= 2099


def _span(doc: Any, s: int, e: int, label: str) -> Any:
    from spacy.tokens import Span

    return Span(doc, s, e, label=label)


def model_for(registry: Any, gazetteer: Any) -> Any:
    """The model a Pipeline uses: the default one, or with ``KHALDUN_NO_NER`` the model without "ner"
    and this finder appended (to the pipeline's component list, as the table ruler is swapped in)."""
    from .nlp import EXCLUDE, load_model

    if not no_ner_requested():
        return load_model()
    nlp = load_model(tuple(EXCLUDE) + ("ner",))
    comps = [c for c in nlp._components if c[0] != EntityFinder.name]
    comps.append((EntityFinder.name, EntityFinder(registry, gazetteer)))
    nlp._components[:] = comps
    return nlp
