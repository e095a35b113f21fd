"""The typed data model: khaldun's output contract, version 1 (docs/contract.md).

Every stage reads and writes these models; `Document.model_dump()` is the contract JSON.
Fields may be added; contract fields are never renamed or dropped. Unknown values are
``None`` (or ``[]``), never a guess. Extra fields that explain *why* a value was set live in
``why`` dictionaries so the contract fields stay clean.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

CONTRACT_VERSION = 1

EventType = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]
PLOVER_TYPES: tuple[str, ...] = EventType.__args__  # type: ignore[attr-defined]
ActorKind = Literal["state", "person", "organization", "armed_group", "igo", "media", "unknown"]
MaterielCategory = Literal[
    "aircraft", "uav", "air_defence", "armoured_vehicles", "artillery", "missiles", "ships",
    "naval_weapons", "sensors", "small_arms", "ammunition", "explosives", "military_vehicles",
    "mercenaries", "other",
]
PlaceKind = Literal["country", "region", "city", "airport", "base", "other"]
ViaKind = Literal["outlet", "broadcast", "interview", "statement", "document", "social_media"]
FindingStatus = Literal["potential_violation", "possibly_exempt", "not_covered"]
AidType = Literal["military", "economic", "humanitarian", "personnel", "training"]


# the two Document.warnings that a store counts rather than lists
UNDATED_WARNING = ("date unknown: the document gives no publication date, so relative dates ('Tuesday') are "
                   "left unresolved and the embargo check of a claim without its own date says so")
NO_CLAIM_WARNING = "no claim found"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Span(Model):
    start: int
    end: int


class Actor(Model):
    text: str
    id: str | None = None
    name: str | None = None
    kind: ActorKind = "unknown"
    country: str | None = None
    sector: str | None = None
    wikidata: str | None = None
    # additions (allowed by the contract): where the mention is and why it resolved so
    start: int | None = None
    end: int | None = None
    why: str | None = None


class Materiel(Model):
    text: str
    category: MaterielCategory = "other"
    designation: str | None = None
    quantity: int | None = None
    start: int | None = None
    end: int | None = None


class Place(Model):
    text: str
    name: str | None = None
    kind: PlaceKind = "other"
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    gazetteer_id: str | None = None
    start: int | None = None
    end: int | None = None


class When(Model):
    text: str | None = None
    date: str | None = None
    precision: Literal["day", "month", "year"] | None = None


class Event(Model):
    type: EventType
    mode: str | None = None
    aid_type: AidType | None = None
    cameo: str | None = None
    trigger: str
    trigger_start: int | None = None
    trigger_end: int | None = None
    # additions: ACLED's event_type and sub_event_type for the same event (khaldun.acled), or null
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None


class Factuality(Model):
    certainty: Literal["certain", "probable", "possible"] = "certain"
    polarity: Literal["positive", "negative"] = "positive"
    tense: Literal["past", "present", "future"] = "past"
    cues: list[str] = Field(default_factory=list)


class Via(Model):
    name: str
    kind: ViaKind


class Signal(Model):
    signal: str
    reason: str


class Attribution(Model):
    speaker: Actor | None = None
    # addition: the organization or state the speaker speaks for ("spokesman of the LNA" -> LNA)
    speaker_affiliation: Actor | None = None
    speaker_role: str | None = None
    cue: str | None = None
    quote: Literal["direct", "indirect", "mixed", "none"] = "none"
    via: list[Via] = Field(default_factory=list)
    evidence_basis: str | None = None
    signals: list[Signal] = Field(default_factory=list)
    # addition: when the statement was made, where the text says so ("said Tuesday evening"); `When` of the
    # claim is the date of the act
    stated: When | None = None


class Passage(Model):
    text: str
    start: int
    end: int
    sentence: int


class Evidence(Passage):
    more: list[Passage] = Field(default_factory=list)


class Finding(Model):
    regime: str
    instrument: str
    in_force: bool
    status: FindingStatus
    reason: str


class Claim(Model):
    id: str
    event: Event
    actors: list[Actor] = Field(default_factory=list)
    recipients: list[Actor] = Field(default_factory=list)
    funders: list[Actor] = Field(default_factory=list)
    materiel: list[Materiel] = Field(default_factory=list)
    location: Place | None = None
    when: When = Field(default_factory=When)
    factuality: Factuality = Field(default_factory=Factuality)
    attribution: Attribution = Field(default_factory=Attribution)
    evidence: Evidence
    embargo: list[Finding] = Field(default_factory=list)
    # addition: field -> one-line reason it was set (e.g. {"funders": "passive 'with Qatari funds'"})
    why: dict[str, str] = Field(default_factory=dict)


class Source(Model):
    path: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    language: str | None = None


class Mention(Model):
    """An entity mention found in the text, whether or not it takes part in a claim."""

    text: str
    start: int
    end: int
    kind: Literal["actor", "materiel", "place", "date", "agent"]
    label: str | None = None  # actor kind / materiel category / place kind / agent sector
    id: str | None = None  # registry id, designation or gazetteer id
    country: str | None = None


class Dropped(Model):
    """A candidate claim the pipeline did not keep, and why (`khaldun analyze --explain`)."""

    stage: Literal["assertion", "furniture", "reporting_act", "modality", "assessment", "no_agent"]
    reason: str
    event_type: str
    trigger: str
    evidence: Passage


class Quote(Model):
    speaker: Actor | None = None
    speaker_span: Span | None = None
    cue: Passage | None = None
    content: Passage
    quote: Literal["direct", "indirect", "mixed"] = "indirect"
    via: list[Via] = Field(default_factory=list)
    evidence_basis: str | None = None


class Document(Model):
    id: str
    source: Source = Field(default_factory=Source)
    title: str | None = None
    text: str
    claims: list[Claim] = Field(default_factory=list)
    # additions: what the text stage removed, every entity mention, and every attribution
    removed: list[Passage] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    # addition: one line per thing a reader must know about this document's analysis
    # ("language 'fa' is not analyzed: no claims", "no publication date: dates and embargo checks are unanchored")
    warnings: list[str] = Field(default_factory=list)
    # addition: candidate claims that were not kept, each with its reason (printed with `analyze --explain`)
    dropped: list[Dropped] = Field(default_factory=list)
