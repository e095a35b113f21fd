"""Re-typing: an event's type as its speaker and tense make it (PLOVER): "X says Y must ..." is a REQUEST,
an own side's "will not" a REJECT, an own side's future act an AGREE (intent) or a THREATEN."""

from __future__ import annotations

from typing import Any

from ..factuality import UNLIKELY
from ..lexicon import words as lexicon_words
from ..models import Claim
from ..nlp import lemma
from .base import WorkDoc
from .common import _scope

INTENT_TYPES = lexicon_words("pipeline", "intent_types")
THREAT_TYPES = lexicon_words("pipeline", "threat_types")  # announced sanctions stay SANCTION (PLOVER)
DEONTIC = lexicon_words("pipeline", "deontic")
OFFICIAL_PROTEST = (lexicon_words("pipeline", "official_protest_words"), lexicon_words("pipeline", "official_protest_kinds"),
                    lexicon_words("pipeline", "official_protest_sectors"))
OPPOSED = lexicon_words("pipeline", "opposed_sectors")



def _conditional(trigger: Any) -> bool:
    marks = set(_scope()["conditional_marks"])
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in marks for m in c.children)
               for c in trigger.children)



def _own_side(speaker: Any, actors: list[Any]) -> bool:
    """The claim's actor speaks about itself: no speaker named (the outlet relays an announcement),
    or the speaker is the actor, belongs to it, or to the same state."""
    if not actors:
        return False
    if speaker is None or speaker.kind == "media":
        return True  # the outlet, or an agency it cites, relays the actor's own announcement
    keys = {speaker.id, speaker.country} - {None}
    rival = speaker.sector in OPPOSED  # rebels share a country with the government they oppose, not a side
    return any(a.id in keys or (a.country and a.country in keys and not (rival and a.sector != speaker.sector))
               for a in actors)


def official_protest(claim: Claim, trigger: Any) -> None:
    """A protest made by states or their governments is a disapproval (CAMEO 110, PLOVER ACCUSE), not a
    demonstration (pipeline.yaml official_protest_*)."""
    trigger_words, kinds, sectors = OFFICIAL_PROTEST
    event = claim.event
    if event.type != "PROTEST" or lemma(trigger) not in trigger_words or not claim.actors:
        return
    if trigger.pos_ != "VERB" and not (trigger.dep_ == "dobj" and trigger.tag_ == "NN"):
        return  # the noun made as one ("filed a formal protest"), not protests resumed nor one the act took place in
    # (a bare demonym names the people, not the state: "Iraqis protested in the streets", as the
    # registry's note on the match says)
    if all(a.kind in kinds and (a.sector in sectors or (a.sector is None and "demonym" not in (a.why or "")))
           for a in claim.actors):
        claim.why["event"] = f"'{event.trigger}' made by a state or its government: an official disapproval -> ACCUSE"
        event.type, event.cameo = "ACCUSE", "110"
        event.mode = "disapprove"


def retype(claim: Claim, trigger: Any) -> None:
    """Re-type one claim by its speaker and tense (PLOVER); `trigger` is the token its event came from."""
    event, fact, why, speaker = claim.event, claim.factuality, claim.why, claim.attribution.speaker
    typed = event.type  # as the frame stage coded it
    verb = trigger.head if trigger.pos_ == "ADJ" and trigger.dep_ == "acomp" else trigger
    if speaker is not None and not _own_side(speaker, claim.actors) and any(
            c.dep_ == "aux" and c.lower_ in DEONTIC for c in verb.children) and event.type != "REQUEST":
        # "X said Y must hand over ...": X asks Y (PLOVER REQUEST)
        why["event"] = f"'{speaker.text}' says others must {event.trigger} -> REQUEST"
        claim.recipients, claim.actors = claim.actors, [speaker]
        event.type, event.mode, event.cameo, event.aid_type = "REQUEST", None, "020", None
    elif fact.polarity == "negative" and fact.tense == "future" and event.type in INTENT_TYPES | {"AGREE"} \
            and _own_side(speaker, claim.actors) and not {c.lower() for c in fact.cues} & UNLIKELY.keys():
        # (not an outside judgement: "Turkey is unlikely to send troops" is no refusal by Turkey)
        why["event"] = f"own side will not {event.trigger} -> REJECT (PLOVER)"
        event.type, event.mode, event.cameo = "REJECT", None, "120"
        # the refusal is what is asserted ("Egypt will not allow ..." is a REJECT that happens), not its negation
        fact.polarity = "positive"
        why["polarity"] = "the negation is the refusal itself (REJECT)"
    elif fact.tense == "future" and fact.polarity == "positive" and _own_side(speaker, claim.actors):
        # PLOVER: an actor announcing what it will do expresses intent (AGREE), or threatens
        if _conditional(trigger) and event.type in THREAT_TYPES | {"SANCTION", "RETREAT"}:
            why["event"] = f"future {event.type} on a condition ('unless', 'if') -> THREATEN (PLOVER)"
            event.type = "THREATEN"
            event.cameo = "130"
        elif event.type in INTENT_TYPES:
            why["event"] = f"future {event.type} announced by its own side -> AGREE (PLOVER intent)"
            event.type = "AGREE"
            event.cameo = {"military": "0332", "economic": "0331", "humanitarian": "0333"}.get(
                event.aid_type or "", "030")
        elif event.type in THREAT_TYPES:
            why["event"] = f"future {event.type} announced by its own side -> THREATEN (PLOVER)"
            event.type = "THREATEN"
            event.cameo = "138" if typed == "ASSAULT" else "130"
    if event.type == "AGREE" and event.aid_type is not None and event.cameo in ("030", None):
        event.cameo = "033"


class RetypeStage:
    """Re-typing, after attribution & factuality: each claim's type as its speaker and tense make it."""

    name = "retype"

    def __call__(self, doc: WorkDoc) -> WorkDoc:
        for claim in doc.claims:
            official_protest(claim, doc.triggers[id(claim)])
            retype(claim, doc.triggers[id(claim)])
        return doc
