"""Role repairs of the frame stage: who acts in a charged act, who wields a weapon, who carries out what
another undergoes. They read the roles the paragraph's extractor resolves (`EventExtractor.actors_of`)."""

from __future__ import annotations

from typing import Any

from ..events import EventExtractor, RawClaim
from ..lexicon import words as lexicon_words
from ..nlp import lemma


def _charge_verb(tok: Any) -> bool:
    return lemma(tok) in lexicon_words("pipeline", "charge_verbs")



def _charged_act_host(trigger: Any) -> Any:
    """The charge verb whose charged act the gerund trigger names ("accused X of arming Y", "blamed X for
    shelling Y", "accused X of being involved by sending Y", "accused X of training and arming Y"), or None."""
    preps = lexicon_words("pipeline", "charge_preps")
    if trigger.tag_ != "VBG" or any(c.dep_ in ("nsubj", "nsubjpass") for c in trigger.children):
        return None
    cur = trigger
    if cur.dep_ == "conj" and _charge_verb(cur.head) and any(
            c.dep_ == "prep" and c.lower_ in preps for c in cur.head.children):
        return cur.head  # the parser coordinated the second gerund with the charge verb itself
    for _ in range(6):
        if cur.dep_ == "conj":
            cur = cur.head
            continue
        if cur.dep_ not in ("pcomp", "pobj") or cur.head.dep_ != "prep":
            return None
        prep = cur.head
        if prep.lower_ == "by" and prep.head.pos_ in ("VERB", "AUX"):
            cur = prep.head  # the means of the charged act: "involved in the war by sending arms"
            continue
        if prep.lower_ not in preps:
            return None
        host = prep.head
        while host.dep_ == "conj" and host.pos_ in ("NOUN", "PROPN"):
            host = host.head  # "accused A and B of killing": the parser hangs the act on B
        if host.pos_ in lexicon_words("pipeline", "party_pos") and host.dep_ in ("dobj", "nsubjpass"):
            host = host.head
        return host if _charge_verb(host) else None
    return None



def charged_agents(rc: RawClaim, ex: EventExtractor) -> None:
    """The agent of an act a speaker charges a party with is that party: when the act's clause names no
    subject, its actors are the charged party, never the accuser the act's clause borrowed."""
    host = _charged_act_host(rc.trigger)
    if host is None:
        return
    party = next((c for c in host.children if c.dep_ in ("nsubjpass", "dobj")), None)
    if party is None:
        return
    accuser = {t.idx + ex.pm.base for c in host.children if c.dep_ == "nsubj" for t in c.subtree}
    if rc.actors and not all(a.start in accuser for a in rc.actors):
        return
    actors = [a for a in ex.actors_of(party) if a.start is None or a.start < rc.trigger_start]
    if actors:
        rc.actors = actors
        rc.why["actors"] = f"the party '{party.text}' is charged with the act ('{host.text}')"



def weapon_wielders(rc: RawClaim, ex: EventExtractor) -> None:
    """An attack whose subject is a weapon or its fire names no actor; who wields it does: "fire from the army
    hit X", "the drones of the militia struck X", "rockets fired by X hit Y"."""
    if rc.actors or rc.type != "ASSAULT" or rc.trigger.pos_ != "VERB":
        return
    subj = next((c for c in rc.trigger.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return
    preps = lexicon_words("pipeline", "wielder_preps")
    owners = [g for c in subj.children if c.dep_ == "prep" and c.lower_ in preps for g in c.children
              if g.dep_ == "pobj"]
    owners += [g for c in subj.children if c.dep_ == "acl" for a in c.children if a.dep_ == "agent"
               for g in a.children if g.dep_ == "pobj"]
    for o in owners:
        actors = [a for a in ex.actors_of(o) if a.id or a.country]
        if actors:
            rc.actors = actors
            rc.why["actors"] = f"'{o.text}' wields the '{subj.text}' that is the subject of the attack"
            return



def under_act(rc: RawClaim, ex: EventExtractor) -> None:
    """"X was under siege by Y", "the town came under attack from Y": the subject undergoes the act (a
    target or recipient), the one after "by" or "from" carries it out."""
    t = rc.trigger
    if t.pos_ != "NOUN" or t.dep_ != "pobj" or t.head.lower_ not in lexicon_words("pipeline", "under_preps"):
        return
    verb = t.head.head
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    agent_preps = lexicon_words("pipeline", "under_agent_preps")
    by = [g for h in (t, verb) for c in h.children if c.dep_ in ("prep", "agent") and c.lower_ in agent_preps
          for g in c.children if g.dep_ == "pobj"]
    if subj is None:
        return
    agents = [a for o in by for a in ex.actors_of(o)]
    toks = list(subj.subtree)
    lo, hi = ex.pm.base + toks[0].idx, ex.pm.base + toks[-1].idx + len(toks[-1].text)
    inside = [a for a in rc.actors if a.start is not None and lo <= a.start < hi]
    if rc.actors and len(inside) == len(rc.actors):
        rc.actors = []
        rc.recipients = inside + [r for r in rc.recipients if r not in inside]
        rc.why["recipients"] = f"'{subj.text}' is under the {t.text}, it does not carry it out"
    if agents and not rc.actors:
        rc.actors = agents
        rc.why["actors"] = f"the {t.text} is carried out by '{agents[0].text}'"

