"""Chains of transmission at document level: the wire service of the dateline is the nearest step of every
claim's chain; a claim without a chain takes the one its speaker was introduced with in the document."""

from __future__ import annotations

from ..models import Via
from .base import WorkDoc
from .common import chain_order


class ChainStage:
    name = "chain"

    def __call__(self, doc: WorkDoc) -> WorkDoc:
        dateline = doc.prepared.get("dateline")
        agency = dateline and dateline[1]
        for c in doc.claims:
            if agency and all(v.name != agency for v in c.attribution.via):
                c.attribution.via.insert(0, Via(name=agency, kind="outlet"))
                c.why["via"] = f"the story carries the dateline of {agency}"
            if not c.attribution.via and c.attribution.speaker is not None and doc.book is not None:
                e = doc.book.get(c.attribution.speaker)
                if e and e.via:
                    c.attribution.via = chain_order(e.via)
                    c.why["via"] = "the chain this speaker was introduced with in the document"
        return doc
