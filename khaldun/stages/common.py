"""What several stages share: the lexicon files they read (scope.yaml, sources.yaml), the order of a chain
of transmission, the speaker as written when no registry resolves it, and when two speakers are one."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, get_args

from ..attribution import SPEAKER_ROLES
from ..lexicon import document
from ..models import Actor, ActorKind


@lru_cache(maxsize=1)
def _scope() -> dict[str, Any]:
    return document("scope")  # (the lexicon layer's reader: parsed once, with libyaml)



@lru_cache(maxsize=1)
def _source_nouns() -> dict[str, frozenset[str]]:
    data = document("sources")
    return {k: frozenset(v) for k, v in data.items() if isinstance(v, list)}

VIA_RANK = {"outlet": 0, "broadcast": 1, "document": 2, "social_media": 3, "statement": 3, "interview": 3}



def chain_order(via: list[Any]) -> list[Any]:
    """Nearest first (contract): the outlets and broadcasts the article cites come before the interview,
    statement or post in which the speaker spoke ("told Nour TV ..., Levant Wire reported" -> Levant Wire,
    then Nour TV). Within a rank the order of mention is kept."""
    return sorted(via, key=lambda v: VIA_RANK.get(v.kind, 3))

ACTOR_KINDS = frozenset(get_args(ActorKind))

UNNAMED_WHY = "an unnamed source, as the text describes it"

UNRESOLVED_WHY = "a source named as written, which the registry does not resolve"



def unnamed_speaker(phrase: str, affiliation: Any, anonymous: bool, start: int | None = None) -> Actor | None:
    """The speaker of a frame whose source is not resolved to an actor: the source phrase as written ("a
    military source", "senior opposition officials", "the Gulf country"), with the country of the side it is
    named with; None when the phrase is empty or too long to be a name."""
    text = " ".join(phrase.split()).strip(" ,.;:")
    text = re.sub(r"^(?:(?:the|an?)\s+)+", "", text, flags=re.IGNORECASE)
    if not text or len(text) > 80 or text.split()[0].lower() in _source_nouns()["not_a_source"]:
        return None
    core = re.split(r"\s(?:in|at|from|of|by|with|for|on|who|which|that|reviewed|seen|cited|obtained|quoted|close|"
                    r"familiar)\s", " " + text.lower() + " ")[0].split()
    if set(core) & _source_nouns()["evidence"]:
        return None  # data, imagery, an incident: what a claim rests on, not who makes it
    if set(core) & (SPEAKER_ROLES | {r + "s" for r in SPEAKER_ROLES}):
        anonymous = True  # "diplomats in Nairobi", "a senior official": a role, not a name
    s0 = e0 = None
    if start is not None:
        s0 = start + phrase.find(text) if text in phrase else start
        e0 = s0 + len(text)
    return Actor(text=text, kind="unknown", country=getattr(affiliation, "country", None), start=s0, end=e0,
                 why=UNNAMED_WHY if anonymous else UNRESOLVED_WHY)



def _initials(text: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w'-]*", text) if w[0].isupper())



def same_speaker(x: Actor, y: Actor) -> bool:
    """Two speakers are one: the same registry id, the same words, or a name and its acronym ("the Syrian
    Observatory for Human Rights" ... "the SOHR")."""
    if x.id and y.id:
        return x.id == y.id
    tx, ty = x.text.strip(), y.text.strip()
    if tx.lower() == ty.lower():
        return True
    short, long_ = sorted((tx, ty), key=len)
    return short.isupper() and 2 <= len(short) <= 8 and _initials(long_) == short



def _actor_keys(actors: list[Any]) -> set[str]:
    return {a.id or a.country or a.text.lower() for a in actors} | {a.country for a in actors if a.country}

