"""The stage protocol: one typed document flows through stages, each a callable with a name.

A stage takes the `WorkDoc` and returns it (the same object, filled further): `stage(doc) -> doc`. What a
stage drops goes to `doc.dropped` (with its stage and reason) and ends in `Document.dropped`; a stage never
re-runs an earlier one, it reads what the earlier ones left on the document (the mention table of each
paragraph, the frames and the speaker book, the claims). `run(stages, doc)` runs a list of stages in order; the English
pipeline is `khaldun.pipeline.Pipeline.stages`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ..models import Claim, Document, Dropped, Mention, Quote

if TYPE_CHECKING:
    from ..attribution import Attributor, Frame, SpeakerBook
    from ..events import EventExtractor, RawClaim
    from ..mentions import ParaMentions
    from ..models import Materiel


@runtime_checkable
class Stage(Protocol):
    """One step of the pipeline: `name` says which, calling it fills the document further."""

    name: str

    def __call__(self, doc: WorkDoc) -> WorkDoc: ...


@dataclass
class Para:
    """One paragraph: its place in the body, its parse, its typed mention & actor table (the mention stage)
    and what the frame stage found in it."""

    start: int  # offset of the paragraph in the body
    sdoc: Any  # the spaCy Doc of the paragraph
    table: ParaMentions | None = None
    earlier_materiel: Materiel | None = None  # the materiel earlier paragraphs named last
    frames: list[Frame] = field(default_factory=list)
    extractor: EventExtractor | None = None


@dataclass
class WorkDoc:
    """The document on its way through the stages. `prepared` is the text stage's output (body, title,
    date, language, removed furniture, dateline); each later stage fills its own fields."""

    id: str
    body: str
    published: date | None
    prepared: dict[str, Any]
    paras: list[Para]
    focus: str | None = None  # mention stage: the country the document is mostly about
    mentions: list[Mention] = field(default_factory=list)  # mention stage: the document's mentions
    book: SpeakerBook | None = None  # frame stage: the document's speakers
    attributor: Attributor | None = None
    raws: list[RawClaim] = field(default_factory=list)  # frame stage: candidate events with their roles
    bases: list[str | None] = field(default_factory=list)  # frame stage: each candidate's evidence basis
    quotes: list[Quote] = field(default_factory=list)
    sent_spans: list[tuple[int, int]] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    triggers: dict[int, Any] = field(default_factory=dict)  # id(claim) -> its trigger token
    ranks: dict[int, int] = field(default_factory=dict)  # id(claim) -> the rank of its candidate in `raws`
    headlines: list[Claim] = field(default_factory=list)  # the headline repeated in the body, to fold
    dropped: list[Dropped] = field(default_factory=list)  # in the order of the candidates
    drop_ranks: list[int] = field(default_factory=list)
    document: Document | None = None  # the last stage's output

    def drop(self, dropped: Dropped, rank: int) -> None:
        """Record a candidate claim a stage does not keep (contract: `Document.dropped`), in the order of the
        candidates (`rank`: its index in `raws`; later than every candidate: `len(raws)`)."""
        k = bisect_right(self.drop_ranks, rank)
        self.drop_ranks.insert(k, rank)
        self.dropped.insert(k, dropped)


def run(stages: Iterable[Stage], doc: WorkDoc) -> WorkDoc:
    """Run the stages in order."""
    for stage in stages:
        doc = stage(doc)
    return doc
