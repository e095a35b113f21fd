"""The panels stage: a UN Panel of Experts named generically ("UN experts", "the Panel of Experts") becomes
the panel of the regime the document is about (`khaldun.panels.resolve_panels`), on the assembled Document."""

from __future__ import annotations

from typing import Any

from ..panels import resolve_panels
from .base import WorkDoc


class PanelStage:
    name = "panels"

    def __init__(self, registry: Any) -> None:
        self.registry = registry

    def __call__(self, doc: WorkDoc) -> WorkDoc:
        assert doc.document is not None, "runs after the assemble stage"
        doc.document = resolve_panels(doc.document, self.registry)
        return doc
