"""Mentions & actors stage: every actor, generic agent, place, materiel and date mention of a paragraph,
aligned to spaCy tokens, and the rules that turn a syntactic argument into actors.

Registries (actor, gazetteer, materiel) match on the raw paragraph text (Aho-Corasick, fast); the
matches are aligned to tokens so the event stage can ask "which actors does this noun phrase name?".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from . import actors as actor_registry
from .materiel import find_materiel
from .models import Actor, Materiel, Mention, Place
from .nlp import lemma
from .places import Gazetteer

# nouns that name a role whose holder acts for the "of X" / "X's" / demonym organization
ROLE_NOUNS = frozenset(
    """president leader leaders head heads chief chiefs amir emir king prince minister ministers premier
    spokesman spokeswoman spokesperson spokesmen official officials commander commanders general
    ambassador envoy representative representatives delegation government regime ruler rulers
    administration cabinet sheikh monarch crown chairman secretary diplomat diplomats""".split()
)
ROLE_SECTOR = {
    "president": "GOV", "leader": "GOV", "amir": "GOV", "emir": "GOV", "king": "GOV", "prince": "GOV",
    "minister": "GOV", "premier": "GOV", "government": "GOV", "regime": "GOV", "administration": "GOV",
    "cabinet": "GOV", "ruler": "GOV", "monarch": "GOV", "sheikh": "GOV", "ambassador": "GOV",
    "envoy": "GOV", "diplomat": "GOV", "secretary": "GOV", "commander": "MIL", "general": "MIL",
    "spokesman": None, "spokeswoman": None, "spokesperson": None, "official": "GOV", "chairman": "GOV",
}
ARMED_SECTORS = frozenset({"REB", "UAF", "INS", "MIL", "PRM", "SPY", "COP"})
PRONOUN_PERSON = frozenset({"he", "him", "his", "she", "her"})


@dataclass
class Ment:
    kind: str  # actor | agent | place | materiel | date
    start: int  # document offsets
    end: int
    text: str
    tok_start: int  # paragraph token indices [tok_start, tok_end)
    tok_end: int
    actor: Actor | None = None
    place: Place | None = None
    materiel: Materiel | None = None
    how: str | None = None  # registry match kind (alias / demonym / capital)
    entry: Any = None


@dataclass
class ParaMentions:
    doc: Any  # spaCy Doc of the paragraph
    base: int  # offset of the paragraph in the document text
    published: date | None
    by_token: dict[int, list[Ment]] = field(default_factory=dict)
    all: list[Ment] = field(default_factory=list)

    def add(self, m: Ment) -> None:
        self.all.append(m)
        for i in range(m.tok_start, m.tok_end):
            self.by_token.setdefault(i, []).append(m)

    def at(self, tok: Any, kind: str) -> Ment | None:
        for m in self.by_token.get(tok.i, ()):
            if m.kind == kind:
                return m
        return None

    def within(self, toks: Any, kind: str) -> list[Ment]:
        seen: list[Ment] = []
        for t in toks:
            for m in self.by_token.get(t.i, ()):
                if m.kind == kind and m not in seen:
                    seen.append(m)
        return seen


def _span(doc: Any, start: int, end: int) -> Any:
    return doc.char_span(start, end, alignment_mode="expand")


def build(doc: Any, base: int, published: date | None, registry: Any, gazetteer: Gazetteer,
          context_countries: set[str] | None = None) -> ParaMentions:
    """Find all mentions of one parsed paragraph."""
    pm = ParaMentions(doc, base, published)
    text = doc.text
    for m in registry.find(text):
        sp = _span(doc, m.start, m.end)
        if sp is None:
            continue
        act = registry.to_actor(m.entry, m.text, on=published, start=base + m.start, end=base + m.end)
        pm.add(Ment("actor", base + m.start, base + m.end, m.text, sp.start, sp.end, actor=act, how=m.how,
                    entry=m.entry))
    for p in gazetteer.find(text, context_countries=context_countries):
        if p.start is None or p.end is None:
            continue
        sp = _span(doc, p.start, p.end)
        if sp is None:
            continue
        place = p.model_copy(update={"start": base + p.start, "end": base + p.end})
        pm.add(Ment("place", base + p.start, base + p.end, p.text, sp.start, sp.end, place=place))
    for mat in find_materiel(text):
        if mat.start is None or mat.end is None:
            continue
        sp = _span(doc, mat.start, mat.end)
        if sp is None:
            continue
        mm = mat.model_copy(update={"start": base + mat.start, "end": base + mat.end})
        pm.add(Ment("materiel", base + mat.start, base + mat.end, mat.text, sp.start, sp.end, materiel=mm))
    for ent in doc.ents:
        if ent.label_ in ("DATE", "TIME"):
            pm.add(Ment("date", base + ent.start_char, base + ent.end_char, ent.text, ent.start, ent.end))
        elif ent.label_ == "PERSON" and not any(pm.at(t, "actor") for t in ent):
            # an unregistered person: keep the mention so speakers and participants can use it
            act = Actor(text=ent.text, kind="person", start=base + ent.start_char, end=base + ent.end_char,
                        why="named-entity recognizer: PERSON not in the registry")
            pm.add(Ment("actor", base + ent.start_char, base + ent.end_char, ent.text, ent.start, ent.end,
                        actor=act, how="ner"))
    for tok in doc:
        if tok.pos_ not in ("NOUN", "PROPN") or pm.at(tok, "actor"):
            continue
        sector = actor_registry.agent_sector(lemma(tok)) or actor_registry.agent_sector(tok.lower_)
        if sector:
            pm.add(Ment("agent", base + tok.idx, base + tok.idx + len(tok), tok.text, tok.i, tok.i + 1,
                        how=sector))
    return pm


def mentions_for_document(pms: list[ParaMentions]) -> list[Mention]:
    out: list[Mention] = []
    for pm in pms:
        for m in pm.all:
            if m.kind == "actor" and m.actor is not None:
                out.append(Mention(text=m.text, start=m.start, end=m.end, kind="actor", label=m.actor.kind,
                                   id=m.actor.id, country=m.actor.country))
            elif m.kind == "place" and m.place is not None:
                out.append(Mention(text=m.text, start=m.start, end=m.end, kind="place", label=m.place.kind,
                                   id=m.place.gazetteer_id, country=m.place.country))
            elif m.kind == "materiel" and m.materiel is not None:
                out.append(Mention(text=m.text, start=m.start, end=m.end, kind="materiel",
                                   label=m.materiel.category, id=m.materiel.designation))
            elif m.kind == "date":
                out.append(Mention(text=m.text, start=m.start, end=m.end, kind="date"))
            elif m.kind == "agent":
                out.append(Mention(text=m.text, start=m.start, end=m.end, kind="agent", label=m.how))
    out.sort(key=lambda x: (x.start, x.end))
    return out
