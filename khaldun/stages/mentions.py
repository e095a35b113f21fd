"""The mention stage: each paragraph's typed table of mentions and actors (`ParaMentions`: registry actors,
places, materiel, dates, agent nouns with their sectors, registered persons' affiliations), built once before
frames; the document's focus country, the materiel earlier paragraphs named last, and the document's mention
list. Later stages read these tables; they never call back into mention finding or actor resolution."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..lexicon import words
from ..mentions import ParaMentions, build, mentions_for_document
from .base import WorkDoc

LOC_PREPS = words("events", "loc_preps")  # (the frame stage's locative prepositions)


def focus_country(pms: list[ParaMentions]) -> str | None:
    """The country a document is mostly about: where its places are. Cities, bases and regions count
    three times; a country name counts only in a locative phrase ("in Libya", "to Libya"), since a bare
    country name is usually an actor."""
    c: Counter[str] = Counter()
    for pm in pms:
        for m in pm.all:
            if m.kind == "place" and m.place and m.place.country:
                if m.place.kind != "country":
                    c[m.place.country] += 3
                elif pm.doc[m.tok_end - 1].head.lower_ in LOC_PREPS:
                    c[m.place.country] += 2
    return c.most_common(1)[0][0] if c else None


class MentionStage:
    name = "mentions"

    def __init__(self, registry: Any, gazetteer: Any) -> None:
        self.registry = registry
        self.gazetteer = gazetteer

    def __call__(self, doc: WorkDoc) -> WorkDoc:
        others: dict[str, str] = {}  # registered persons the document's own namesakes shadow
        for p in doc.paras:
            p.table = build(p.sdoc, p.start, doc.published, self.registry, self.gazetteer, others=others)
        tables = [p.table for p in doc.paras if p.table is not None]
        doc.focus = focus_country(tables)
        last = None  # the materiel named last in earlier paragraphs ("the first batch has arrived")
        for p in doc.paras:
            p.earlier_materiel = last
            last = next((m.materiel for m in reversed(p.table.all) if m.kind == "materiel"  # type: ignore[union-attr]
                         and m.materiel is not None), last)
        doc.mentions = mentions_for_document(tables)
        return doc
