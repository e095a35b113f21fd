"""Coding for other schemes and registers: ACLED's event type and sub-type, and the UN arms-embargo findings
of each claim (`khaldun/acled.py`, `khaldun/embargo.py`)."""

from __future__ import annotations

from datetime import date

from ..acled import acled_sub_type, acled_type
from ..embargo import check_claim
from ..models import Claim
from .base import WorkDoc


def code_claim(c: Claim, published: date | None) -> None:
    c.event.acled_event_type = acled_type(c)
    c.event.acled_sub_event_type = acled_sub_type(c, c.event.acled_event_type)
    c.embargo = check_claim(c, published)


class CodeStage:
    name = "coding"

    def __call__(self, doc: WorkDoc) -> WorkDoc:
        for c in doc.claims:
            code_claim(c, doc.published)
        return doc
