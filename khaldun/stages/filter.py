"""The claim filter as a stage: page furniture, the outlet's own reporting acts, hypotheticals and legal
rules are no claims (`khaldun/claim_filter.py`); each one dropped keeps its reason. The headline repeated in
the body is set aside for the merge stage to fold into the body's claim."""

from __future__ import annotations

from ..claim_filter import HEADLINE_REASON, PageContext, drop_reason
from ..models import Dropped, Passage
from .base import WorkDoc


class FilterStage:
    name = "filter"

    def __call__(self, doc: WorkDoc) -> WorkDoc:
        page = PageContext(doc.body, doc.prepared["title"])
        kept = []
        for c in doc.claims:
            reason = drop_reason(c, doc.triggers[id(c)], page)
            if reason == HEADLINE_REASON:
                doc.headlines.append(c)
                continue
            if reason is not None:
                doc.drop(Dropped(stage=reason.split(":")[0].replace(" ", "_"), reason=reason,  # type: ignore[arg-type]
                                 event_type=c.event.type, trigger=c.event.trigger,
                                 evidence=Passage(text=c.evidence.text, start=c.evidence.start,
                                                  end=c.evidence.end, sentence=c.evidence.sentence)),
                         doc.ranks[id(c)])
                continue
            kept.append(c)
        doc.claims = kept
        doc.triggers = {id(c): doc.triggers[id(c)] for c in kept}
        return doc
