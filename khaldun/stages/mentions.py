"""The mention stage: each paragraph's typed table of mentions and actors (`ParaMentions`: registry actors,
places, materiel, dates, agent nouns with their sectors, registered persons' affiliations), built once before
frames; the document's focus country, the materiel earlier paragraphs named last, and the document's mention
list. Later stages read these tables; they never call back into mention finding or actor resolution."""

from __future__ import annotations

from typing import Any

from ..events import focus_country
from ..mentions import build, mentions_for_document
from .base import WorkDoc


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
