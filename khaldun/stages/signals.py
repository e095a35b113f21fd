"""Source-criticism signals of a claim (never a verdict)."""

from __future__ import annotations

from ..lexicon import words as lexicon_words
from ..models import Claim, Signal
from ..trusted import trusted
from .base import WorkDoc
from .common import UNNAMED_WHY

PARTY_SECTORS = lexicon_words("pipeline", "party_sectors")
OWN_SIDE_TYPES = lexicon_words("pipeline", "own_side_types")



def signals(c: Claim, claims: list[Claim]) -> list[Signal]:
    """Source-criticism signals (never a verdict)."""
    out: list[Signal] = []
    a = c.attribution
    sp = a.speaker
    if sp is not None and sp.id is None and sp.why == UNNAMED_WHY:
        sp = None  # an unnamed source named as written ("two Turkish officials") is still unnamed
    if sp is None and a.quote == "none":
        out.append(trusted(Signal, signal="outlet_voice",
                           reason="stated by the outlet in its own voice, no source named"))
    elif sp is None:
        reason = f"attributed to unnamed {a.speaker_role}" if a.speaker_role else "attributed to an unnamed source"
        if a.speaker_affiliation is not None:
            reason += f" ({a.speaker_affiliation.text})"
        out.append(trusted(Signal, signal="anonymous_source", reason=reason))
    # an unnamed source still speaks for the side it is named with ("two Turkish officials said")
    sp = sp if sp is not None else a.speaker_affiliation
    if sp is not None:
        party = sp.sector in PARTY_SECTORS or sp.kind in ("armed_group", "state")
        if party:
            out.append(trusted(Signal, signal="party_to_conflict",
                               reason=f"{sp.text} speaks for a party (sector {sp.sector or sp.kind})"))
        side = {sp.id, sp.country} - {None}
        own = any(x.id in side or (x.country in side and x.sector == sp.sector) for x in c.actors)
        if own and c.event.type in OWN_SIDE_TYPES:
            out.append(trusted(Signal, signal="own_side_success",
                               reason="the speaker reports its own side's action"))
        if c.event.type in ("ACCUSE",) or (not own and c.event.type in ("ASSAULT", "AID") and party):
            out.append(trusted(Signal, signal="adversary_wrongdoing",
                               reason="the speaker reports another party's action"))
    out.append(trusted(Signal, signal="single_source",
                       reason="one source in this document; corroboration is counted across documents"))
    if c.factuality.tense == "future":
        out.append(trusted(Signal, signal="future_claim", reason="about something that has not happened yet"))
    if a.evidence_basis:
        out.append(trusted(Signal, signal="evidence_stated", reason=f"rests on: {a.evidence_basis}"))
    elif sp is not None:
        out.append(trusted(Signal, signal="no_evidence_stated", reason="the speaker gives no basis"))
    return out



class SignalStage:
    name = "signals"

    def __call__(self, doc: WorkDoc) -> WorkDoc:
        for c in doc.claims:
            c.attribution.signals = signals(c, doc.claims)
        return doc
