"""The last stage: claim ids, the document's warnings, and the contract Document."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from .. import __version__
from ..models import NO_CLAIM_WARNING, UNDATED_WARNING, Claim, Document, Source
from .base import WorkDoc


def document_warnings(published: date | None, claims: list[Any]) -> list[str]:
    """What a reader must know about a document's analysis (contract: ``Document.warnings``)."""
    out = []
    if published is None:
        out.append(UNDATED_WARNING)
    if not claims:
        out.append(NO_CLAIM_WARNING)
    return out


def _claim_id(doc_id: str, c: Claim, i: int) -> str:
    key = f"{doc_id}|{__version__}|{c.event.type}|{c.event.trigger_start}|{c.evidence.start}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


class AssembleStage:
    name = "assemble"

    def __call__(self, doc: WorkDoc) -> WorkDoc:
        for i, c in enumerate(doc.claims):
            c.id = _claim_id(doc.id, c, i)
        pr = doc.prepared
        item = pr["item"]
        published = doc.published
        src = Source(path=item.get("path"), url=item.get("url"), outlet=item.get("outlet"),
                     published=published.isoformat() if published else None, language=pr["language"])
        doc.document = Document(id=doc.id, source=src, title=pr["title"], text=doc.body, claims=doc.claims,
                                warnings=document_warnings(published, doc.claims),
                                removed=pr["removed"], mentions=doc.mentions, quotes=doc.quotes,
                                dropped=doc.dropped)
        return doc
