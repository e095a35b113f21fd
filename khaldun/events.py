"""Events stage: trigger words (verbs and nominalizations) -> PLOVER event with roles read off the
dependency parse: actor, recipient (target), funder, materiel, location.

Rules handle active and passive voice ("will be bought with foreign money", "by X"), "X sent Y to Z",
"through X", nominal events ("the raids of our air force on the depot"), coordination ("A, B and C"),
"with the help of X", reciprocal meetings ("talks between A and B"), first-person actors ("our forces"
-> the speaker's side), and accusations carried by a speaker's own words ("the role of A and B in
stirring unrest"). Sentences the rules leave without an event go to the frame engine (khaldun/frames):
CAMEO 2.0 verb patterns compiled as data.
"""

from __future__ import annotations

from collections.abc import Callable, Set
from dataclasses import dataclass, field, replace
from typing import Any

from .attribution import Frame, phrase_indices, phrase_text
from .config import frames_mode
from .factuality import assess
from .frames.engine import SUBJ_DEPS, FrameEngine, FrameMatch
from .frames.lexicon import FramePattern
from .lexicon import Trigger, cue_sets, triggers, words
from .mentions import ARMED_SECTORS, ROLE_NOUNS, ROLE_SECTOR, Ment, ParaMentions, head_class
from .models import Actor, Materiel, Place
from .nlp import doc_text, lemma, sent_list, sent_of
from .token_table import children_of, subtree_indices, token_table

PATIENT_NOUNS = words("events", "patient_nouns")
# transfers named from the receiving end: the subject receives, "from X" gives ("Libya bought drones from
# Turkey": Turkey supplies Libya)
RECEIVE_VERBS = words("events", "receive_verbs")
RECEIVE_NOUNS = words("events", "receive_nouns")
# verbs whose object is the subject of their infinitive ("urged Iran to stop", "allowed the rebels to attack")
OBJECT_CONTROL = words("events", "object_control")
RELATIVE_PRONOUNS = frozenset({"who"})  # "which"/"that" often take a whole clause as antecedent
MONEY_NOUNS = words("events", "money_nouns")
AID_NOUNS = words("events", "aid_nouns") | MONEY_NOUNS
PERSONNEL_NOUNS = words("events", "personnel_nouns")
HUMANITARIAN_NOUNS = words("events", "humanitarian_nouns")
LOC_PREPS = words("events", "loc_preps")
# "in response", "at times", "in the war": nouns after a locative preposition that name no site
NON_SITE_NOUNS = words("events", "non_site_nouns")
NO_ACTOR_WORDS = words("events", "no_actor_words")
# nouns of purpose as a clause's subject ("the goal is to ...", "his priority was to ..."): their owner acts
PURPOSE_NOUNS = words("events", "purpose_nouns")


ACCUSE_VERBS = words("events", "accuse_verbs")
BACKGROUND_PREPS = words("events", "background_preps")
GENERIC_EVENT_HEADS = words("events", "generic_event_heads")
RESTRAINTS = words("events", "restraints")
LIGHT_VERBS = words("events", "light_verbs")
ORIGIN_PREPS = words("events", "origin_preps")
ORIGIN_TYPES = words("events", "origin_types")
OBJECT_CLASSES = {
    "relobj": words("events", "object_classes.relobj"),
    "shareobj": words("events", "object_classes.shareobj"),
    "signobj": words("events", "object_classes.signobj"),
    "roadobj": words("events", "object_classes.roadobj"),
    "forceobj": words("events", "object_classes.forceobj"),
}
# keeping or breaking a measure already in place: its noun is no SANCTION event
MEASURE_VERBS = words("events", "measure_verbs")
MEASURE_NOUNS = words("events", "measure_nouns")
CARRY_VERBS = words("events", "carry_verbs")
SHIPMENT_NOUNS = words("events", "shipment_nouns")
BATCH_NOUNS = words("events", "batch_nouns")
GROUP_NOUNS = words("events", "group_nouns")
QUANTITY_HEADS = words("events", "quantity_heads")
JOIN_VERBS = words("events", "join_verbs")
BORDER_NOUNS = words("events", "border_nouns")
COMMIT_ADJS = words("events", "commit_adjs")
COMMIT_TRIGGER = Trigger("ready", "A", "AGREE", None, "030", frozenset({"commit"}))
COMMIT_VERBS = words("events", "commit_verbs")
THREAT_INNER = words("events", "threat_inner")
PAY_TRIGGER = Trigger("pay", "V", "AID", None, "071", frozenset({"pay"}))
# verbs of getting that code a transfer when what is got is weapons, troops, money or aid (the receiver is the
# subject, the giver the "from" phrase: RECEIVE_VERBS)
GET_AID_VERBS = words("events", "get_aid_verbs")
RECEIVE_TRIGGER = Trigger("receive", "V", "AID", None, "070", frozenset({"aidobj"}))
_FUNDING_WORDS = MONEY_NOUNS | words("events", "funders_of.1")  # the words `funders_of` reads
SUBJECT_DEPS = words("events", "subject_of.1")  # a verb's own subject (see subject_of)
_POBJ_HOLDERS = words("events", "pobjs.1")  # the dependencies of a preposition whose objects `_pobjs` reads
# the verbs `_pays` and `_gets_aid` may code without a trigger entry (see EventExtractor._trigger_positions)
_PAYING_OR_GETTING = GET_AID_VERBS | words("events", "spend_verbs") | words("events", "pays.1") | words("events", "pays.care_verbs")
# giving verbs whose object (or passive subject) is the one given to ("reimbursed the hosts", "were compensated")
# (not "pay", "grant", "supply", "provide": their object is as often the thing given)
RECEIVER_OBJECT_VERBS = words("events", "receiver_object_verbs")
# verbs of using a weapon: their object is the weapon ("detonated a car bomb", "fired rockets at the town")
WEAPON_USE_VERBS = words("events", "weapon_use_verbs")
# nouns of fire that name the attack, not its author, as a subject ("mortar fire hit the district")
FIRE_NOUNS = words("events", "fire_nouns")
# nouns naming a restrictive measure: the object of "imposed"/"lifted", never its target
SANCTION_NOUNS = words("events", "sanction_nouns")
# dependencies that open another finite clause: a place named inside one is not the place of an event outside it
OTHER_CLAUSE_DEPS = words("events", "other_clause_deps")
# events that happen at a site on the ground: the only ones that take a place their sentence merely names
SITED_TYPES = words("events", "sited_types")
# verbs of getting: a nominal transfer as their object names what the subject receives ("we got funding")
GET_VERBS = words("events", "get_verbs")
# intransitive verbs whose subject undergoes the event ("three soldiers died")
PATIENT_SUBJECT_VERBS = words("events", "patient_subject_verbs")
# what carries a shipment: as the subject of a transfer ("a cargo ship delivered weapons") it is no party;
# its owner or flag ("a Turkish cargo ship", "an Emirati plane") is the supplier, else the supplier is unnamed
CARRIER_NOUNS = words("events", "carrier_nouns")


@dataclass
class RawClaim:
    trigger: Any  # token
    spec: Trigger
    type: str
    mode: str | None
    cameo: str | None
    trigger_text: str
    trigger_start: int
    trigger_end: int
    actors: list[Actor] = field(default_factory=list)
    recipients: list[Actor] = field(default_factory=list)
    funders: list[Actor] = field(default_factory=list)
    materiel: list[Materiel] = field(default_factory=list)
    location: Place | None = None
    aid_type: str | None = None
    frame: Frame | None = None
    sentence: int = 0
    why: dict[str, str] = field(default_factory=dict)
    date_ments: list[Ment] = field(default_factory=list)


@dataclass
class _VerbCase:
    """The parse facts of one verb trigger that its role-resolution steps share."""
    v: Any
    spec: Trigger
    rc: RawClaim
    frame: Frame | None
    subj: Any
    passive: bool
    lem: str
    dobj: Any
    iobj: Any
    agent_objs: list[Any]
    patient: Any = None
    t: str = ""
    to: list[Any] = field(default_factory=list)  # the transfer's 'to'/'for'/'into' phrases
    withs: list[Any] = field(default_factory=list)  # the transfer's 'with' phrases


@dataclass
class _NounCase:
    """The parse facts of one noun trigger that its role-resolution steps share."""
    n: Any
    rc: RawClaim
    frame: Frame | None
    lem: str
    lo: str
    t: str
    of_objs: list[Any]
    by_objs: list[Any]
    between: list[Any]
    with_objs: list[Any]
    patient_noun: bool
    buyers: list[Actor] = field(default_factory=list)  # a noun of buying: its owner and 'by' agent buy


def _clause_verb(tok: Any) -> Any | None:
    """The verb of the clause `tok` stands in: itself when a verb, else its nearest verb ancestor."""
    if tok.pos_ in ("VERB", "AUX"):
        return tok
    return next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)


def _antecedent(v: Any) -> Any:
    """The noun a relative clause `v` is about: the noun just before the clause when the parser hung the
    clause higher, on a phrase holding that noun ("X, a member of the unit that fired": the unit)."""
    left = v.left_edge.i
    prev = v.doc[left - 1] if left > 0 else None
    if prev is not None and prev.pos_ in ("NOUN", "PROPN") and prev.i != v.head.i and v.head.is_ancestor(prev):
        return prev
    return v.head


def _within_ids(pm: ParaMentions, ids: list[int], kind: str) -> list[Ment]:
    """`pm.within` the tokens of indices `ids` (no Token object needed)."""
    seen: list[Ment] = []
    by_token = pm.by_token
    for i in ids:
        for m in by_token.get(i, ()):
            if m.kind == kind and m not in seen:
                seen.append(m)
    return seen


def _ments_under(pm: ParaMentions, tok: Any, kind: str) -> list[Ment]:
    """`pm.within(list(tok.subtree), kind)`, read from the parse table (no Token for each word of the subtree):
    the paragraph's few mentions of `kind` each ask whether `tok` governs one of their words; only when two or
    more are found is the subtree walked, for its order."""
    root = tok.i
    head = token_table(tok.doc).head
    found: list[Ment] = []
    for m in pm.all:
        if m.kind != kind:
            continue
        for k in range(m.tok_start, m.tok_end):
            while k != root and head[k] != k:
                k = head[k]
            if k == root:
                found.append(m)
                break
    if len(found) < 2:
        return found
    seen: list[Ment] = []
    by_token = pm.by_token
    for i in subtree_indices(tok.doc, tok.i):
        for m in by_token.get(i, ()):
            if m.kind == kind and m not in seen:
                seen.append(m)
    return seen


def _first_child(tok: Any, deps: Set[str] | tuple[str, ...], pos: Set[str] | None = None) -> Any | None:
    """`next(c for c in tok.children if c.dep_ in deps (and c.pos_ in pos))`, read from the parse table: a Token
    only for the child found."""
    doc = tok.doc
    table = token_table(doc)
    dep, ppos = table.dep, table.pos
    for c in children_of(doc)[tok.i]:
        if dep[c] in deps and (pos is None or ppos[c] in pos):
            return doc[c]
    return None


def _in_other_clause_at(doc: Any, h: int, tok: Any) -> bool:
    """Whether token `h` sits in a finite clause (complement, adverbial, relative) that does not hold `tok`
    (EventExtractor._in_other_clause, read from the parse table)."""
    table = token_table(doc)
    head, dep, pos = table.head, table.dep, table.pos
    above = {tok.i}
    k = tok.i
    while head[k] != k:
        k = head[k]
        above.add(k)
    cur = h
    verb = tok.pos_ == "VERB"
    while cur not in above:
        if dep[cur] in OTHER_CLAUSE_DEPS and not verb:
            return True  # (for a verb event the sentence's other clauses still place it: PLOVER-tested)
        if dep[cur] == "acl" and pos[cur] == "VERB" and tok.i not in (head[cur], head[head[cur]]):
            # "documents seized at al-Watiya prove that ...": a participle on a phrase of another clause (not
            # on the event's own participant: "a newspaper based in Beirut violated ...")
            return True
        if head[cur] == cur:
            break
        cur = head[cur]
    return False


def _dedupe(actors: list[Actor]) -> list[Actor]:
    out: list[Actor] = []
    seen: set[tuple[str | None, str]] = set()
    for a in actors:
        k = (a.id, a.text.lower()) if a.id is None else (a.id, a.sector or "")
        if k in seen:
            continue
        seen.add(k)
        out.append(a)
    return out


def _misparsed_past(tok: Any) -> bool:
    """A past verb with its own subject that the parser hung on its object as a modifier ("A ship unloaded
    armoured vehicles": 'unloaded' amod of 'vehicles', 'ship' its nsubj)."""
    return tok.dep_ == "amod" and tok.tag_ == "VBD" and any(c.dep_ == "nsubj" for c in tok.children)


def _in_origin(tok: Any) -> bool:
    """Whether `tok` sits in a 'from' phrase (where something came from)."""
    cur = tok
    for _ in range(4):
        if cur.dep_ == "pobj" and cur.head.lower_ in ORIGIN_PREPS:
            return True
        if cur.head.i == cur.i or cur.dep_ not in words("events", "origin_path_deps"):
            return False
        cur = cur.head
    return False


def _vessel(obj: Any | None) -> bool:
    """A ship, boat, plane, truck or cargo named by the phrase ("the MV Star", "a cargo ship", "the dhow")."""
    return obj is not None and any(lemma(t) in words("events", "vessel_words") for t in obj.subtree)


def _misparsed_call(v: Any) -> bool:
    """'X called Tuesday on Y to act': a call on someone the parser hung on X as a modifier ("a group called
    Z" names it instead, with no 'on'/'for' phrase and no infinitive)."""
    return lemma(v) == "call" and v.dep_ == "acl" and any(
        c.dep_ == "prep" and c.lower_ in words("events", "verb_roles.3") for c in v.children) and any(
        c.dep_ in ("advcl", "xcomp") for c in v.children)


def _without_span_of(materiel: list[Materiel], tok: Any, base: int, categories: tuple[str, ...] = ()) -> list[Materiel]:
    """`materiel` less the mention that covers `tok` (of one of `categories`, when given)."""
    at = base + tok.idx
    return [m for m in materiel if not (m.start is not None and m.end is not None and m.start <= at < m.end
                                        and (not categories or m.category in categories))]


class EventExtractor:
    def __init__(self, pm: ParaMentions, frames: list[Frame], registry: Any, focus_country: str | None,
                 sent_offset: int, book: Any = None, earlier_materiel: Materiel | None = None) -> None:
        self.book = book
        self.earlier_materiel = earlier_materiel  # the materiel the document's earlier paragraphs named last
        self.pm = pm
        self.frames = frames
        self._frame_index: tuple[dict[int, Frame], dict[int, Frame]] | None = None  # built by frame_for
        self.registry = registry
        self.focus = focus_country
        self.sent_offset = sent_offset
        self.trig = triggers()
        self.cs = cue_sets()
        self.sent_index = {s.start: sent_offset + i for i, s in enumerate(sent_list(pm.doc))}

    # -- frames ---------------------------------------------------------------------------------------
    def frame_for(self, tok: Any) -> Frame | None:
        """The frame whose cue the token is ("He accused X of ...": the accusation is the speaker's own
        act), else the narrowest frame whose content holds it (first of equals)."""
        if self._frame_index is None:
            by_cue: dict[int, Frame] = {}
            by_content: dict[int, Frame] = {}
            for f in self.frames:
                if f.cue_tok is not None and f.speaker is not None:
                    by_cue.setdefault(f.cue_tok.i, f)
                for i in f.content:
                    best = by_content.get(i)
                    if best is None or len(f.content) < len(best.content):
                        by_content[i] = f
            self._frame_index = (by_cue, by_content)
        by_cue, by_content = self._frame_index
        return by_cue.get(tok.i) or by_content.get(tok.i)

    # -- actors ---------------------------------------------------------------------------------------
    def speaker_side(self, frame: Frame | None, text: str, start: int, end: int, sector: str | None) -> Actor | None:
        if frame is None or frame.speaker is None:
            return None
        side = frame.affiliation or frame.speaker
        return Actor(text=text, id=side.id, name=side.name, kind=side.kind if side.kind != "person" else "organization",
                     country=side.country, sector=sector or side.sector, wikidata=side.wikidata, start=start,
                     end=end, why=f"first person in {frame.speaker.text}'s words -> the speaker's side")

    def actors_of(self, tok: Any, frame: Frame | None = None, depth: int = 0) -> list[Actor]:
        """Actors named by the phrase headed by tok, following coordination and 'X of Y' roles."""
        if depth > 6 or tok is None:
            return []
        pm = self.pm
        out: list[Actor] = []
        base = pm.base
        lo = tok.lower_
        m = pm.at(tok, "actor")
        place = pm.at(tok, "place")
        if m is not None and m.actor is not None and m.actor.kind == "person" and m.actor.country is None:
            # "the Norwegian Trade Minister Y", "Peru's President X": the title carries the country; so
            # does an apposition ("Z, Chile's best-known trade unionist")
            owner = self._phrase_state(tok) or next(
                (o for c in tok.children if c.dep_ == "appos" and c.i > tok.i for o in [self._phrase_state(c)] if o),
                None)
            if owner is not None:
                out.append(m.actor.model_copy(update={
                    "country": owner.country, "sector": m.actor.sector or self._phrase_sector(tok) or "GOV",
                    "why": f"unregistered person; country from '{owner.text}' in the title"}))
                m = None
        if m is not None and m.actor is not None:
            usable = True
            if place is not None and m.actor.kind == "state" and m.how in ("capital",) and tok.dep_ not in words("events", "actors_of.1") and tok.head.lower_ in LOC_PREPS:
                usable = False
            if place is not None and m.actor.id is None and m.how == "ner":
                usable = False  # "delivered weapons to Misrata": a known place the recognizer took for a person
            if usable:
                out.append(self._resident_people(tok, m.actor))
        elif lo in self.cs["first_person"] and tok.pos_ == "PRON":
            a = self._side_named_with(frame, tok) or self.speaker_side(frame, tok.text, base + tok.idx,
                                                                       base + tok.idx + len(tok), None)
            if a:
                out.append(a)
        elif tok.pos_ == "PRON" and frame is not None and frame.speaker is not None and (
                (lo in ("it", "its") and frame.speaker.kind != "person") or lo in ("they", "their")):
            out.append(frame.speaker.model_copy(update={"text": tok.text, "start": base + tok.idx,
                                                        "end": base + tok.idx + len(tok),
                                                        "why": f"'{tok.text}' refers to the speaker {frame.speaker.text}"}))
        elif lo in words("events", "actors_of.2") and tok.pos_ == "PRON" and (
                ante := self._person_before(tok) or (e.actor if self.book is not None
                                                     and (e := self.book.last_person()) else None)) is not None:
            out.append(ante.model_copy(update={"text": tok.text, "start": base + tok.idx,
                                               "end": base + tok.idx + len(tok),
                                               "why": f"'{tok.text}' refers back to {ante.text}"}))
        elif tok.pos_ == "NOUN" and lemma(tok) in GROUP_NOUNS and frame is not None and any(
                c.dep_ == "det" and c.lower_ == "the" for c in tok.children) and len(list(tok.subtree)) <= 3 and (
                side := frame.affiliation or (frame.speaker if frame.speaker is not None
                                              and frame.speaker.kind in ("organization", "armed_group") else None)):
            # "an RSF adviser said the group had never bought drones": the group the source speaks for
            out.append(side.model_copy(update={"text": tok.text, "start": base + tok.idx, "end": base + tok.idx + len(tok),
                                               "why": f"'the {tok.text}' is the side of the source ({side.text})"}))
        elif tok.pos_ in ("NOUN", "NUM") and lemma(tok) in QUANTITY_HEADS and self._pobjs(tok, {"of"}):
            # "Dozens of Sudanese fighters", "a group of Chadian rebels": who they are is after "of"
            txt, s0, e0 = phrase_text(tok, base, strip_det=True)
            for a in (a for p in self._pobjs(tok, {"of"}) for a in self.actors_of(p, frame, depth + 1)):
                out.append(a.model_copy(update={"text": txt, "start": s0, "end": e0}) if len(txt) <= 80 else a)
        elif tok.pos_ in ("NOUN", "PROPN") and not place:
            out.extend(self._agent_actor(tok, frame, depth))
        dep = token_table(tok.doc).dep
        for c in [tok.doc[k] for k in children_of(tok.doc)[tok.i] if dep[k] in ("conj", "appos")]:
            if c.dep_ == "conj":
                if _starts_clause(c):
                    continue  # "to the militants and Qatar will pay": a new clause, mis-attached
                out.extend(self.actors_of(c, frame, depth + 1))
            elif c.dep_ == "appos" and not out:
                out.extend(self.actors_of(c, frame, depth + 1))
        return _dedupe(out)

    def _resident_people(self, tok: Any, actor: Actor) -> Actor:
        """A people named by one state's demonym and living in another that its modifier names ("Croatian
        Serbs", "Kosovo Albanians"): coded to the state it lives in, as PLOVER's coders code them."""
        if actor.kind != "state" or tok.tag_ not in ("NNS", "NNPS"):
            return actor
        for c in tok.children:
            mm = self.pm.at(c, "actor") if c.dep_ in ("amod", "compound") and c.i < tok.i else None
            if mm is not None and mm.actor is not None and mm.actor.kind == "state" and mm.actor.country \
                    and mm.actor.country != actor.country:
                txt, s0, e0 = phrase_text(tok, self.pm.base, strip_det=True)
                return mm.actor.model_copy(update={
                    "text": txt, "start": s0, "end": e0, "sector": None,
                    "why": f"'{tok.text}' living in the state named by '{c.text}' ({mm.actor.country})"})
        return actor

    def _side_named_with(self, frame: Frame | None, tok: Any) -> Actor | None:
        """A first-person pronoun in the words of a source whose side its own sentence names ('"We will send
        troops," a Borduria envoy said'): that name, the mention a subjectless act of the quote takes too."""
        if frame is None or frame.speaker is None:
            return None
        # the speaker itself only when it is a registered body (an unregistered name may be a person's)
        side = frame.affiliation or (frame.speaker if frame.speaker.kind != "person" and frame.speaker.id else None)
        if side is None or side.start is None or side.end is None:
            return None
        sent, base = sent_of(tok), self.pm.base
        if not (base + sent.start_char <= side.start and side.end <= base + sent.end_char):
            return None
        return side.model_copy(update={"why": f"'{tok.text}' in {frame.speaker.text}'s words: the speaker's side, "
                                              f"named in the sentence ({side.text})"})

    def _person_before(self, tok: Any) -> Actor | None:
        """The last registered person named before a 'he'/'she' in its own sentence ("Haftar backs the RSF,
        although he denies it"): the nearest antecedent, ahead of the last speaker."""
        start = sent_of(tok).start
        found = [m for m in self.pm.all if m.kind == "actor" and m.actor is not None and m.actor.kind == "person"
                 and m.actor.id is not None and start <= m.tok_start and m.tok_end <= tok.i]
        return max(found, key=lambda m: m.tok_end).actor if found else None

    def _agent_actor(self, tok: Any, frame: Frame | None, depth: int) -> list[Actor]:
        """A common-noun phrase: 'the Turkish army', 'our armed forces', 'leaders of X', 'militants'."""
        pm = self.pm
        base = pm.base
        lem = lemma(tok)
        sector = pm.sectors.get(tok.i)  # "armed groups", "terrorist groups": the modifier decides (mention table)
        role_noun = tok.lower_ in ROLE_NOUNS or lem in ROLE_NOUNS
        if not sector and not role_noun:
            return []
        txt, s, e = phrase_text(tok, base, strip_det=True)
        # owner: possessive, demonym/compound actor, "of X"
        owners: list[Actor] = []
        first_person = False
        for c in tok.children:
            if c.dep_ in words("events", "agent_actor.1"):
                if c.lower_ in self.cs["first_person"]:
                    first_person = True
                mm = pm.at(c, "actor")
                if mm and mm.actor:
                    owners.append(mm.actor)
                elif c.dep_ == "amod" and lemma(c) in words("events", "owner_participles"):
                    # "Ethiopian-led forces": the one leading them owns them (not "Iranian-backed": a backer)
                    owners.extend(m2.actor for x in c.children if x.i < c.i
                                  for m2 in [pm.at(x, "actor")] if m2 is not None and m2.actor is not None)
                elif c.dep_ == "poss" and c.pos_ == "NOUN":
                    # "the Ghanaian president's troops": the owner is a role or agent phrase of its own
                    owners.extend(a for a in self.actors_of(c, frame, depth + 1) if a.country)
                elif c.dep_ == "poss" and c.lower_ in words("events", "agent_actor.5") and frame is not None and \
                        frame.speaker is not None:
                    # "an LNA commander said his forces had ...": the speaker's side
                    side = frame.affiliation or (frame.speaker if frame.speaker.kind != "person" else None)
                    if side is not None:
                        owners.append(side)
            elif c.dep_ == "prep" and c.lower_ in words("events", "agent_actor.4"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        owners.extend(self.actors_of(p, frame, depth + 1))
        if first_person:
            a = self.speaker_side(frame, txt, s, e, sector)
            return [a] if a else []
        if role_noun and owners:
            # the owner acts through its role holder: "the leaders of al-Qaeda, Qatar and Turkey"
            res = []
            for o in owners:
                sec = ROLE_SECTOR.get(lem, o.sector) or o.sector
                res.append(o.model_copy(update={"sector": sec if o.kind == "state" else o.sector,
                                                "why": f"'{tok.text}' of {o.text}"}))
            return res
        if owners:
            o = owners[0]
            return [Actor(text=txt, id=o.id, name=o.name, kind=o.kind if o.kind != "person" else "organization",
                          country=o.country, sector=sector or o.sector, wikidata=o.wikidata, start=s, end=e,
                          why=f"agent noun '{tok.text}' ({sector}) of {o.text}")]
        if not sector:
            return []
        # generic actor: country from a place in the phrase, else the document's focus country for armed actors
        country = None
        why = f"generic agent '{tok.text}' -> sector {sector}"
        places = [m for m in _within_ids(pm, phrase_indices(tok), "place") if m.place and m.place.country]
        if places:
            country = places[0].place.country  # type: ignore[union-attr]
            why += f", country from '{places[0].text}'"
        elif sector in ARMED_SECTORS and self.focus:
            country = self.focus
            why += f", country from the document's focus ({self.focus})"
        kind = "armed_group" if sector in words("events", "agent_actor.2") else "unknown"
        if sector in words("actors", "state_organ_sectors") and country:
            kind = "state"
        return [Actor(text=txt, id=None, name=None, kind=kind, country=country, sector=sector, start=s, end=e,
                      why=why)]

    # -- other roles ------------------------------------------------------------------------------------
    def materiel_in(self, toks: Any) -> list[Materiel]:
        return [m.materiel for m in self.pm.within(toks, "materiel") if m.materiel is not None]

    def _materiel_under(self, tok: Any) -> list[Materiel]:
        """`materiel_in(tok.subtree)`, without a Token for each word of the subtree."""
        return [m.materiel for m in _ments_under(self.pm, tok, "materiel") if m.materiel is not None]

    def _weapon_head(self, tok: Any) -> bool:
        """Whether the phrase headed by `tok` names a weapon ("two Turkish drones") rather than a thing a weapon
        word only modifies ("the drone hangar", "a weapons depot": a target)."""
        return any(m.tok_start <= tok.i < m.tok_end for m in _ments_under(self.pm, tok, "materiel")
                   if m.materiel is not None)

    def place_in(self, toks: Any, skip: set[int] | None = None, near: Any = None, clause_of: Any = None,
                 origin_last: bool = False) -> Place | None:
        """The place named in `toks` (countries only in a locative phrase), never a mention in `skip`; with
        `clause_of`, none inside another clause than that token's ("calls between A and B show that Turkey will
        arm the militias in Tripoli": Tripoli is where the arming goes, not where the calls were)."""
        return self._pick_place(self.pm.within(toks, "place"), skip, near, clause_of, origin_last)

    def _pick_place(self, found: list[Ment], skip: set[int] | None = None, near: Any = None, clause_of: Any = None,
                    origin_last: bool = False) -> Place | None:
        """`place_in` of the place mentions `found` (read from the parse table: no Token for each mention)."""
        doc = self.pm.doc
        table = token_table(doc)
        lower, head = table.lower, table.head
        ms = [m for m in found if m.place is not None
              and not (skip and m.start in skip)
              and (m.place.kind != "country" or lower[head[m.tok_end - 1]] in LOC_PREPS)
              and not self._acting_place(m)
              and not (clause_of is not None and _in_other_clause_at(doc, m.tok_end - 1, clause_of))]
        if not ms:
            return None
        # prefer the most specific: base/airport > city > region > country; with `near`, the closest to that token
        rank = {"base": 0, "airport": 0, "city": 1, "region": 2, "other": 3, "country": 4}
        if near is not None:
            ms.sort(key=lambda m: abs(m.tok_start - near.i))
        else:
            ms.sort(key=lambda m: rank.get(m.place.kind, 3))  # type: ignore[union-attr]
        if origin_last:  # (a stable sort: a place in a 'from' phrase only when there is no other)
            ms.sort(key=lambda m: _in_origin(doc[m.tok_start]))
        return ms[0].place

    @staticmethod
    def _in_other_clause(h: Any, tok: Any) -> bool:
        """Whether `h` sits in a finite clause (complement, adverbial, relative) that does not hold `tok`."""
        return _in_other_clause_at(tok.doc, h.i, tok)

    def _acting_place(self, m: Ment) -> bool:
        """A place name in an actor's position ("Moscow urged ..."): the government, not a location."""
        k = m.tok_end - 1
        return token_table(self.pm.doc).dep[k] in words("events", "acting_place.1") and any(
            x.kind == "actor" for x in self.pm.by_token.get(k, ()))

    def funders_of(self, tok: Any, frame: Frame | None) -> list[Actor]:
        """Funders named in 'with X funds', 'funded by X', 'X's money' inside tok's phrase."""
        out: list[Actor] = []
        doc = tok.doc
        table = token_table(doc)
        # (a Token only for the words that name money or a funding participle)
        for t in [doc[i] for i in subtree_indices(doc, tok.i) if table.lemma[i] in _FUNDING_WORDS
                  or table.lower[i] in MONEY_NOUNS]:
            if lemma(t) in MONEY_NOUNS or t.lower_ in MONEY_NOUNS:
                for c in t.children:
                    if c.dep_ in words("events", "agent_actor.1"):
                        out.extend(self.actors_of(c, frame))
                    if c.dep_ == "prep" and c.lower_ in ("from", "of"):
                        for p in c.children:
                            if p.dep_ == "pobj":
                                out.extend(self.actors_of(p, frame))
            if lemma(t) in words("events", "funders_of.1") and t.tag_ == "VBN":
                for c in t.children:
                    if c.dep_ == "agent":
                        for p in c.children:
                            if p.dep_ == "pobj":
                                out.extend(self.actors_of(p, frame))
        return _dedupe(out)

    def subject_of(self, v: Any) -> tuple[Any | None, bool]:
        """(subject token, passive) of a verb, inheriting through conj/xcomp."""
        doc = v.doc
        table, kids = token_table(doc), children_of(doc)
        dep, pos, tag = table.dep, table.pos, table.tag
        i = v.i
        passive = any(dep[c] in ("nsubjpass", "auxpass") for c in kids[i])
        vd, vt, h = dep[i], tag[i], table.head[i]  # (the parse read from the table: a Token only for the answer)
        hh = table.head[h]
        for c in kids[i]:
            if dep[c] in SUBJECT_DEPS:
                if table.lower[c] in RELATIVE_PRONOUNS and vd == "relcl" and pos[h] in ("NOUN", "PROPN"):
                    return doc[h], passive  # "a bomber who detonated his belt": the bomber
                return doc[c], passive
        # "... to the militants and Qatar will pay": the parser hangs the subject on the previous clause
        j = i - 1
        while j >= 0 and tag[j] in ("MD", "RB") or (j >= 0 and dep[j] in ("aux", "neg")):
            j -= 1
        if j >= 0 and dep[j] == "conj" and pos[j] == "PROPN" and self.pm.at(doc[j], "actor"):
            return doc[j], passive
        if vd == "conj" and pos[h] in ("VERB", "AUX"):
            s, head_passive = self.subject_of(doc[h])
            # "was bribed or blackmailed by X": the second participle shares the first one's passive
            return s, passive or (head_passive and vt == "VBN")
        if vd == "xcomp" and pos[h] == "ADJ" and dep[h] == "acomp" and pos[hh] in ("VERB", "AUX"):
            return self.subject_of(doc[hh])[0], passive  # "X is likely / able to provide": X provides
        if vd in ("xcomp",) and pos[h] in ("VERB", "AUX"):
            obj = next((doc[c] for c in kids[h] if dep[c] == "dobj" and c < i), None)
            if obj is not None and table.lemma[h] in OBJECT_CONTROL:
                return obj, passive  # "forced France to capitulate": France capitulates
            s, _ = self.subject_of(doc[h])
            return s, passive
        if vd == "xcomp" and pos[h] == "ADJ" and dep[h] == "acomp" and pos[hh] in ("VERB", "AUX") \
                and table.lower[h] not in COMMIT_ADJS:
            # "X is likely / able / expected to send": X sends ("ready to", "prepared to" commit: COMMIT_TRIGGER)
            s, _ = self.subject_of(doc[hh])
            return s, passive
        if vd == "advcl" and vt in ("VBG", "VB") and pos[h] in ("VERB", "AUX"):
            s, _ = self.subject_of(doc[h])  # "police opened fire, killing one and arresting 12"
            return s, passive
        if _misparsed_call(v):
            return doc[h], False  # "the government called Tuesday on X to act": the government calls
        if vd in ("acl", "relcl") and vt == "VBN":
            return doc[h], True
        if vd == "acl" and vt == "VBG":
            return doc[h], passive  # "demonstrators protesting the results"
        if vd == "pcomp" and table.lower[h] in ("of", "for") and table.lemma[hh] in ACCUSE_VERBS:
            obj = _first_child(doc[hh], ("dobj", "nsubjpass"))
            return obj, False  # "accused Qatar of financing ...", "Qatar was accused of financing": Qatar finances
        return None, passive

    # -- the main loop ----------------------------------------------------------------------------------
    def extract(self) -> list[RawClaim]:
        out: list[RawClaim] = []
        mode = frames_mode()
        if mode == "engine":
            return self._implicit_targets(drop_backdrop(drop_subsidiary(fold_commitments(self._frame_fallback([])))))
        doc = self.pm.doc
        used: set[int] = set()
        for i in self._trigger_positions(token_table(doc)):
            if i in used:
                continue
            tok = doc[i]
            spec, n_words = self._match_trigger(tok)
            if spec is None:
                continue
            for k in range(n_words):
                used.add(tok.i + k)
            if n_words == 2 and spec.pos == "N" and tok.head.i == tok.i + 1:
                rc = self._build(tok.doc[tok.i + 1], spec, 1, start_tok=tok)  # "general strike": head noun
            else:
                rc = self._build(tok, spec, n_words)
            if rc is not None:
                out.append(rc)
        out.extend(self._accusations())
        out.extend(self._demands(out))
        if mode == "first":
            out = self._engine_first(out)
        elif mode == "fallback":
            out = self._object_patterns(out)
        if mode != "rules":
            out.extend(self._frame_fallback(out))
        return self._implicit_targets(drop_backdrop(drop_subsidiary(fold_commitments(out))))

    def _implicit_targets(self, raws: list[RawClaim]) -> list[RawClaim]:
        """The party the text leaves implicit: a visit's host, a protest's government, the country of a group
        protesting against (or making demands of) one country's authorities."""
        for rc in raws:
            if rc.recipients:
                if rc.type in words("events", "domestic_source_types"):
                    self._home_side(rc)
                continue
            if rc.type == "CONSULT":
                self._visit_host(rc)
            elif rc.type in words("events", "domestic_target_types"):
                self._home_government(rc)
            else:
                self._restrained_place(rc)
                if not rc.recipients:
                    self._committed_to(rc)
        return raws

    def _committed_to(self, rc: RawClaim) -> None:
        """A commitment whose promised act is no event of its own names its party after 'to' ("offered to hand
        the suspects over to <state>", "promised to extend credit to <state>"): that state is the target."""
        trig = rc.trigger
        if rc.type not in ("AGREE", "THREATEN") or trig is None or \
                not (lemma(trig) in COMMIT_VERBS or "commit" in rc.spec.flags):
            return
        for c in trig.children:
            if c.dep_ != "xcomp":
                continue
            for h in (c, *(d for d in c.children if d.dep_ == "dobj")):
                for o in (o for p in h.children if p.dep_ in ("prep", "dative") and p.lower_ == "to"
                          for o in p.children if o.dep_ == "pobj"):
                    st = self._phrase_state(o)
                    if st is None or not st.country or any(a.country == st.country for a in rc.actors):
                        continue
                    why = f"the party the promised act is directed to ('{st.text}')"
                    rc.recipients = [self._state_actor(st.country, st.text, st.start, st.end, why) or st]
                    rc.why.setdefault("recipients", why)
                    return

    @staticmethod
    def _restrained_place(rc: RawClaim) -> None:
        """A restraint imposed, threatened or eased on a place that names no party ("declared a curfew in
        <city>", "lifted the siege of <town>"): the target is the population of the place, coded to its country."""
        where, trig = rc.location, rc.trigger
        if where is None or not where.country or trig is None:
            return
        near = [trig, *trig.children, *(g for c in trig.children if c.dep_ in ("xcomp", "dobj") for g in c.children)]
        if not any({lemma(t), t.lower_} & RESTRAINTS for t in near if t.pos_ in ("NOUN", "PROPN")):
            return
        rc.recipients = [Actor(text=where.text, kind="unknown", country=where.country, start=where.start,
                               end=where.end, why=f"the population of the place restrained ({where.text})")]
        rc.why.setdefault("recipients", f"no party named: the people of '{where.text}' bear the restraint")

    @staticmethod
    def _home_side(rc: RawClaim) -> None:
        """A group the text gives no country ("teachers demanded the dismissal of the <demonym> minister",
        "nurses struck over a decree of the <demonym> ministry"): of the country whose authorities
        it faces, when they are of one country (PLOVER codes a domestic protest or demand so). Only a group
        named by an agent word of society (not an organ of a state, not an organisation or person)."""
        faced = {a.country for a in rc.recipients if a.country}
        if len(faced) != 1:
            return
        country = faced.pop()
        organs = words("actors", "state_organ_sectors")  # (ministers or forces of no country: foreign ones)
        rc.actors = [a.model_copy(update={"country": country,
                                          "why": f"{a.why}; the country of the authorities it faces ({country})"})
                     if not (a.country or a.id) and a.sector and a.sector not in organs else a for a in rc.actors]

    def _state_actor(self, country: str, text: str, start: int | None, end: int | None, why: str) -> Actor | None:
        """The government of `country` (a registry state), named by `text`."""
        entry = self.registry.get(country)
        if entry is None:
            return None
        a = self.registry.to_actor(entry, text, start=start, end=end)
        return a.model_copy(update={"sector": a.sector or "GOV", "why": why})

    def _home_government(self, rc: RawClaim) -> None:
        """A protest that names no target ("students demonstrated in <city>"): the government of the country
        where it happens, else of the protesters' own country (CAMEO codes a domestic protest against that
        government; PLOVER's coders infer it from the location). (Not for coercive acts: an arrest's implicit
        target is the population, which RAMS-style role scoring reads as a party the text does not name.)"""
        where = rc.location
        if where is not None and where.country:
            host = self._state_actor(where.country, where.text, where.start, where.end,
                                     f"the government of the country where it happens ({where.text})")
        else:
            own = next((a for a in rc.actors if a.country), None)
            entry = None if own is None or not own.country else self.registry.get(own.country)
            host = None if own is None or entry is None else self._state_actor(
                entry.id, entry.name, None, None, f"the government of the protesters' own country ({own.text})")
        if host is not None:
            rc.recipients = [host]
            rc.why.setdefault("recipients", "no target named: " + (host.why or ""))

    def _visit_host(self, rc: RawClaim) -> None:
        """A visit that names no partner ("arrived in Harare", "a visit to Harare"): the host is the government
        of the country visited, as CAMEO codes a visit (the 'arrive in ^' patterns of its verb dictionary), when
        that country is not the visitor's own."""
        where = rc.location
        if where is None or not where.country or lemma(rc.trigger) not in words("events", "visit_words") or \
                any(a.country == where.country for a in rc.actors):
            return
        host = self._state_actor(where.country, where.text, where.start, where.end,
                                 f"the government of the place visited ({where.text})")
        if host is not None:
            rc.recipients = [host]
            rc.why.setdefault("recipients", f"host of the visit: the country of '{where.text}'")

    # -- the frame engine primary for the verb clauses it matches (KHALDUN_FRAMES=first) -------------------
    def _engine_first(self, found: list[RawClaim]) -> list[RawClaim]:
        """The engine decides the type of the verb clauses the rules coded and one of its patterns matches;
        the rules keep what it does not cover (event nouns, speech acts, khaldun's families of material acts:
        moving forces and giving), the verbs where they agree with it on the type (their roles are the
        richer) and fill the roles it leaves empty. Verbs the rules left uncoded are the fallback's (adding
        the engine's every other verb clause cost precision on real pages: secondary clauses)."""
        engine = _engine()
        speech = engine.sx["speech_types"]
        by_tok = {rc.trigger.i: rc for rc in found}
        out = list(found)
        for s in sent_list(self.pm.doc):
            for m in engine.match_span(s):
                t = m.trigger
                if t.pos_ != "VERB" or m.pattern.type in speech or (m.pattern.lemma, "V") in engine.lex.families \
                        or not self._frame_new(m):
                    continue
                rule = by_tok.get(t.i)
                if rule is None or rule.type == m.pattern.type or rule.type in speech or "frame" in rule.spec.flags \
                        or rule.type in engine.sx["complement_types"]:
                    # (a verb the rules left uncoded in a coded sentence: see _frame_fallback; khaldun's own
                    # families of material acts, moving forces and giving, which CAMEO splits otherwise)
                    continue
                rc = self._from_frame(m)
                if rc is None:
                    continue
                # the engine decides the type; what it leaves unfilled the rules' reading of the clause gives
                rc.actors, rc.recipients = rc.actors or rule.actors, rc.recipients or rule.recipients
                rc.materiel, rc.funders = rc.materiel or rule.materiel, rc.funders or rule.funders
                rc.location, rc.date_ments = rc.location or rule.location, rc.date_ments or rule.date_ments
                out = [r for r in out if r is not rule]
                out.append(rc)
                by_tok[t.i] = rc
                if m.pattern.obj:
                    # the pattern names its object word ("resumed talks", "cut ties"): that noun is read as part
                    # of the verb's event, not coded again as one of its own
                    phrase = {x.i for o in m.args.obj for x in o.subtree}
                    out = [r for r in out if r is rc or r.trigger.i not in phrase or r.type in speech]
        return out

    def _object_patterns(self, found: list[RawClaim]) -> list[RawClaim]:
        """A verb pattern of the dictionary that names its object word ("suspended the talks", "ruled out a
        resumption of the negotiations") codes the verb with that noun as one event, as PETRARCH codes it:
        where the rules coded only the event noun inside that object phrase (with another type), the verb's
        frame replaces the noun's claim (the talks are what was suspended, not a meeting that took place); where
        they coded the verb itself with another type, the pattern's type wins when `_defers_to` says so.
        Only an asserted clause on the sentence's own spine (not a clause modifying a noun) and only a noun
        in the object's own phrase (not a clause hanging off it). A speech noun too ("ignored the appeal",
        "played down the threat"): the appeal is the other side's, the subject refuses it."""
        engine = _engine()
        rule_toks = {rc.trigger.i for rc in found}
        # a verb the rules coded, where every reading of theirs keeps its type whatever the pattern (see
        # `_defers_to`), or off the clause spine, can yield nothing below: not matched (a frame claim added
        # for a token below never defers either)
        kept = {i for i in rule_toks if not all(self._never_defers(rc) for rc in found if rc.trigger.i == i)}
        out = list(found)
        for s in sent_list(self.pm.doc):
            for m in engine.match_span(s, lambda t: t.pos_ == "VERB" and (t.i not in rule_toks or (
                    t.i in kept and _on_clause_spine(t))), _names_object):
                p = m.pattern
                if not p.type or not p.obj or not _on_clause_spine(m.trigger) or not self._frame_new(m):
                    continue
                phrase = {x.i for o in m.args.obj for x in _noun_phrase(o)}
                nouns = [r for r in out if r.trigger.i in phrase and r.spec.pos == "N"
                         and r.type not in engine.sx["object_nouns_kept"]]
                if any(r.type in engine.sx["noun_acts_kept"] and self._names_own_party(r) for r in nouns):
                    continue  # "directed an attack against X": an act with a party of its own stays one
                if m.trigger.i in rule_toks:
                    rule = next((r for r in out if r.trigger.i == m.trigger.i), None)
                    if rule is None or not self._defers_to(rule, m):
                        continue
                    nouns.append(rule)
                if not nouns or any(r.type == p.type for r in nouns):
                    continue
                rc = self._from_frame(m)
                if rc is None:
                    continue
                if any(r.trigger.i == m.trigger.i and _coded_sides(r) > _coded_sides(rc) for r in nouns):
                    continue  # the rules' reading of the verb codes more of its parties than the frame does
                for r in nouns:  # what the verb's frame leaves uncoded the rules' reading gives
                    rc.actors = rc.actors if any(map(_coded, rc.actors)) else r.actors or rc.actors
                    rc.recipients = rc.recipients if any(map(_coded, rc.recipients)) else r.recipients or rc.recipients
                    rc.location, rc.date_ments = rc.location or r.location, rc.date_ments or r.date_ments
                rc.why["event"] += f"; replaces the event noun{'s' if len(nouns) > 1 else ''} of its object (" \
                    + ", ".join(f"'{r.trigger_text}' {r.type}" for r in nouns) + ")"
                out = [r for r in out if all(r is not n for n in nouns)] + [rc]
        return out

    def _names_own_party(self, rc: RawClaim) -> bool:
        """Whether a party of an event noun's claim is named inside the noun's own phrase ("an attack on X",
        "their patrols": a possessive names its owner)."""
        sub = list(rc.trigger.subtree)
        lo, hi = self.pm.base + sub[0].idx, self.pm.base + sub[-1].idx + len(sub[-1])
        return any(c.dep_ == "poss" for c in rc.trigger.children) \
            or any(a.start is not None and lo <= a.start < hi for a in rc.actors + rc.recipients)

    @staticmethod
    def _defers_to(rule: RawClaim, m: FrameMatch) -> bool:
        """Whether the rules' reading of a verb gives way to a dictionary pattern naming the verb's object word
        ("returned fire", "broke off talks"): not for speech acts on either side (what was said is the rules'
        lexicon's to type), nor for khaldun's own families of material acts (moving forces, giving), nor for a
        claim the engine made itself."""
        sx, lex = _engine().sx, _engine().lex
        return not (EventExtractor._never_defers(rule) or m.pattern.type in sx["speech_types"]
                    or (m.pattern.lemma, "V") in lex.families)

    @staticmethod
    def _never_defers(rule: RawClaim) -> bool:
        """What keeps the rules' reading of a verb whatever the pattern (see `_defers_to`): a trigger naming the
        object word too ("imposed a curfew": as specific), a speech act, a claim the engine made, a complement
        type."""
        sx = _engine().sx
        return " " in rule.trigger_text.strip() or rule.type in sx["speech_types"] or "frame" in rule.spec.flags \
            or rule.type in sx["complement_types"]

    # -- the frame engine where the rules code nothing -------------------------------------------------------
    def _frame_fallback(self, found: list[RawClaim]) -> list[RawClaim]:
        """Sentences the rules left without an event: the frame engine's patterns (CAMEO 2.0 compiled, and
        khaldun's own lexicon) code the clause highest in the sentence that one of them matches."""
        coded = {rc.sentence for rc in found}
        # (a speech act's content is an event of its own: "accused X of arming Y" codes the arming too)
        rule_toks = ({rc.trigger.i for rc in found},
                     {rc.trigger.i for rc in found if rc.type not in _engine().sx["speech_types"]})
        out: list[RawClaim] = []
        engine = _engine()
        for s in sent_list(self.pm.doc):
            if self.sent_index[s.start] in coded:
                # (only a verb that is no rule trigger can pass _frame_beside: the others are not matched)
                ms = [m for m in engine.match_span(s, lambda t: t.pos_ == "VERB" and t.i not in rule_toks[0],
                                                   _beside_pattern)
                      if self._frame_new(m) and self._frame_beside(m, rule_toks)]
                for m in ms:
                    rc = self._from_frame(m)
                    if rc is not None:
                        out.append(rc)
                continue
            ms = _instrument_acts([m for m in engine.match_span(s) if self._frame_new(m)])
            ms.sort(key=lambda m: (m.trigger.pos_ != "VERB", _depth(m.trigger), m.trigger.i))
            for k, m in enumerate(ms):
                rc = self._from_frame(m)
                if rc is not None:
                    out.append(rc)
                    out.extend(self._frame_content(rc, ms[k + 1:]))
                    break
        return out

    def _frame_content(self, rc: RawClaim, rest: list[FrameMatch]) -> list[RawClaim]:
        """An accusation or a commitment the engine coded governs a clause that tells an event of its own
        ("accused X of arming Y"; "agreed to withdraw the troops", which fold_commitments folds into the
        commitment, giving it the act's parties): the first verb frame in its open clause."""
        if rc.type not in _engine().sx["content_types"]:
            return []
        for m in rest:
            t = m.trigger
            if t.pos_ == "VERB" and t.head.i == rc.trigger.i and t.dep_ in _engine().sx["content_deps"]:
                got = self._from_frame(m)
                if got is not None:
                    return [got]
        return []

    @staticmethod
    def _frame_beside(m: FrameMatch, rule_toks: tuple[set[int], set[int]]) -> bool:
        """A frame in a sentence the rules coded adds an event only in a clause of its own: a verb of
        khaldun's own patterns, of a type of material acts (moving forces, giving), that is no rule
        trigger, neither governs nor is governed by one (other than a speech act, whose content is an event
        of its own), and has a subject of its own if it modifies a noun ("fighters armed with rifles" is a
        description), unless a khaldun frame names the participle's act."""
        t = m.trigger
        sx = _engine().sx
        if t.pos_ != "VERB" or "CAMEO" in m.pattern.source or m.pattern.type not in sx["complement_types"]:
            return False
        if t.dep_ in sx["modifier_deps"] and not any(c.dep_ in SUBJ_DEPS or c.dep_ == "nsubjpass" for c in t.children) \
                and not m.pattern.source.startswith("data/frames"):
            return False  # (khaldun's own frames name what a participle does: "rockets bound for X")
        near = {t.head.i} | {c.i for c in t.children}
        return t.i not in rule_toks[0] and not near & rule_toks[1]

    @staticmethod
    def _coded_parties(rc: RawClaim) -> bool:
        """A party identified (a registry id, a country or an agent sector): the precision PETRARCH gets from
        coding only between dictionary actors."""
        def known(a: Actor) -> bool:
            return bool(a.id or a.country or a.sector)
        if rc.type in _engine().sx["force_types"]:  # force: who on whom, both named
            return any(known(a) for a in rc.actors) and any(known(a) for a in rc.recipients)
        return any(known(a) for a in rc.actors + rc.recipients)

    def _frame_new(self, m: FrameMatch) -> bool:
        """Whether a frame adds to the rules: not one whose object is an event noun they declined ("respects
        the embargo": keeping a measure is no act), nor a transfer of the carrier itself, nor an event noun."""
        if m.pattern.pos == "N" or m.trigger.dep_ in _engine().sx["non_clause_deps"]:
            return False  # event nouns all come from the rule lexicon, which weighed them already; "according to"
        goods = m.roles.get("materiel", [])
        if m.pattern.type == "AID" and lemma(m.trigger) in _engine().sx["operate_verbs"]:
            return False  # "drones flown by X": the craft operated, not goods delivered
        if m.pattern.type == "AID" and goods and all(lemma(t) in CARRIER_NOUNS or t.lower_ in CARRIER_NOUNS
                                                      for t in goods):
            return False  # "flew the jet to Cairo": the vehicle moved is the carrier, not goods delivered
        if m.pattern.source.startswith("data/frames") or m.pattern.obj:
            # khaldun's own frames name their object's class ("shipments bound for X"); a dictionary pattern
            # that names its object word ("resumed talks", "cut ties") weighed that noun with this verb
            return True
        # an event noun as its object: the verb adds an event only when it is that noun's own (a light or an
        # aspectual verb: "the curfew was tightened", "began the assault"), which the rules left uncoded
        nouns = [self.trig.nouns.get(t.lower_) or self.trig.nouns.get(lemma(t))
                 for t in m.args.obj + m.roles.get("target", [])]
        return all(n is None or n.type == m.pattern.type for n in nouns)

    def _from_frame(self, m: FrameMatch) -> RawClaim | None:
        tok, p = m.trigger, m.pattern
        base = self.pm.base
        frame = self.frame_for(tok)
        spec = Trigger(p.lemma, p.pos, p.type or "", p.mode, p.cameo, frozenset({"frame"}))
        rc = RawClaim(tok, spec, spec.type, p.mode, p.cameo, tok.text, base + tok.idx, base + tok.idx + len(tok),
                      frame=frame, sentence=self.sent_index[sent_of(tok).start])
        rc.why["event"] = f"frame pattern {m.why}" + (f"; {'; '.join(m.args.notes)}" if m.args.notes else "")
        for role, slot in (("actor", "actors"), ("recipient", "recipients"), ("target", "recipients")):
            for t in m.roles.get(role, []):
                getattr(rc, slot).extend(self.actors_of(t, frame) or self._entity(t))
            if getattr(rc, slot) and slot not in rc.why:
                rc.why[slot] = f"the {role} slot of the frame ({', '.join(t.text for t in m.roles[role])})"
        for t in m.roles.get("materiel", []) + m.roles.get("target", []):
            if self._weapon_head(t) or lemma(t) in SHIPMENT_NOUNS:
                # the slot's own head names the weapon (or a shipment of it), not a word inside its phrase
                rc.materiel += self._materiel_under(t)
        if p.type == "AID" and not rc.actors:
            # "Iranian rockets bound for the militia": the goods' owner supplies them
            rc.actors = [a for t in m.roles.get("materiel", []) if self._weapon_head(t) for x in t.children
                         if x.dep_ in words("english", "prenominal_modifier_deps") and x.i < t.i for a in self.actors_of(x, frame)]
            if rc.actors:
                rc.why["actors"] = "the owner of the goods"
        places = [x for t in m.roles.get("place", []) for x in t.subtree]
        rc.location = self.place_in(places) if places else None
        if rc.location is None:
            rc.location = self.place_in(sent_of(tok), {a.start for a in rc.actors + rc.recipients if a.start},
                                        clause_of=tok)
        # weapons alone make an event only in a clause of its own ("the drones were moved"), not in a participle
        # describing goods the text already named ("vehicles unloaded from a ship")
        if not (self._coded_parties(rc) or self._one_side_force(m, rc)) and not (rc.materiel and rc.type not in ("ASSAULT", "COERCE")
                                                and tok.dep_ not in _engine().sx["modifier_deps"]) \
                and not self._moved_to_place(m):
            return None  # as in PETRARCH: a dictionary verb codes an event between parties it can name (or weapons)
        rc.actors, rc.recipients, rc.materiel = _dedupe(rc.actors), _dedupe(rc.recipients), rc.materiel[:3]
        self._aid_type(rc, tok)
        rc.date_ments = [d for d in _ments_under(self.pm, self._clause(tok), "date")]
        return rc

    def _one_side_force(self, m: FrameMatch, rc: RawClaim) -> bool:
        """An act of force with one side named is coded, by a pattern naming more than its verb, done to a thing
        force acts on physically (`_acts_on_matter`), in a clause not denied, when that side is
        one of the clause's own arguments
        (its subject, agent or object names a known party: "X shelled the town", "X's soldiers were
        ambushed"), not a party found inside an event noun ("the war in X forced ..."), and the clause stands
        on the sentence's spine (not a clause modifying a noun: "fighters who are accused of ...", "a decision
        to dissolve ...")."""
        if rc.type not in _engine().sx["one_side_force_types"] or not _on_clause_spine(m.trigger):
            return False
        if not m.pattern.specificity and not self._force_passive(m):
            return False  # a bare verb of the dictionary ("take", "force", "restrict") has other senses
        if not self._acts_on_matter(m):
            return False  # "X attacked the plan", "took decisive measures": force in a figure, on no thing
        fact = assess(m.trigger)
        if {fact.polarity, fact.certainty, fact.tense} & _engine().sx["one_side_unasserted"]:
            return False  # "did not burn the houses": no act told
        base = self.pm.base
        known = [a.start for a in rc.actors + rc.recipients if (a.id or a.country or a.sector) and a.start is not None]
        for role in sorted(_engine().sx["party_roles"]):
            for tok in m.roles.get(role, []):
                if self._is_trigger_noun(tok):
                    continue  # an event noun's place or owner names no party of this act
                sub = list(tok.subtree)
                lo, hi = base + sub[0].idx, base + sub[-1].idx + len(sub[-1])
                if any(lo <= k < hi for k in known):
                    return True
        return False

    @staticmethod
    def _force_passive(m: FrameMatch) -> bool:
        """A bare verb of force said in the passive of its victim with no agent named ("a diplomat was stabbed"),
        as the rules code their own verbs of force: only a verb whose every
        pattern in the frame lexicon that codes an event codes force (not "take", "force" or "beat", which also
        code taking part, an impulse or a defeat; a pattern that codes nothing names a figure by its own words,
        which then did not match), with no 'by' phrase the parse could not read as the agent."""
        sx = _engine().sx
        if not m.args.passive or m.roles.get("actor") or m.args.subj or "by" in m.args.preps \
                or m.trigger.dep_ not in sx["force_passive_deps"]:
            return False
        types = {p.type for p in _engine().lex.patterns.get((m.pattern.lemma, "V"), []) if p.type}
        return bool(types) and types <= sx["one_side_force_types"]

    def _acts_on_matter(self, m: FrameMatch) -> bool:
        """Whether what a one-sided act of force is done to is something force acts on physically: a person, a
        group or people ("detained dozens of protesters", "X's soldiers were ambushed"), a place or a building
        ("shelled the village"), a vehicle or a weapon ("torched a truck", "hurled firebombs"), or nothing named
        ("the rebels attacked at dawn"). An abstract object ("attacked the plan", "took measures") or an event
        noun ("began the offensive": the noun's own event, which the rules read) makes no act of force
        with one side. The object is the object or passive subject, and the target slot (dates aside)."""
        sx = _engine().sx
        acted = m.args.obj + m.roles.get("target", [])
        if not m.args.obj and (m.trigger.tag_ == "VBG" or m.trigger.pos_ in sx["nominal_pos"]):
            # a gerund or a noun: its 'of' phrase is what is acted on ("X's burning of the houses")
            acted += [t for p in sorted(sx["noun_phrase_preps"]) for t in m.args.preps.get(p, [])]
        acted = [t for t in acted if self.pm.at(t, "date") is None]
        return not acted or any(self._matter(t) or self._own_act(t, m) for t in acted)

    def _own_act(self, tok: Any, m: FrameMatch) -> bool:
        """An object that names the verb's own act of force ("carried out a raid", "X's waging of the
        offensive"): an event noun of the rules whose type is the one the dictionary's pattern gives the
        whole phrase, the pattern naming more than its verb (CAMEO 2.0 "launch ... attack"), so that the
        side named is the one who does it (syntax.yaml force_own_act_types; empty: off)."""
        if m.pattern.type not in _engine().sx["force_own_act_types"] or not m.pattern.specificity:
            return False
        spec = self.trig.nouns.get(tok.lower_) or self.trig.nouns.get(lemma(tok))
        return spec is not None and spec.type == m.pattern.type

    def _matter(self, tok: Any) -> bool:
        """A noun phrase's head naming a thing force acts on physically (see `_acts_on_matter`): a personal
        pronoun, a mention of an actor, agent, place or weapon at the head, a head noun of a person, a group or a
        place (mentions.head_class: heads.yml and the agents dictionary), or a word of the classes of bodies,
        places, vehicles and arms of the frame dictionary (syntax.yaml force_matter_synsets). A quantity takes
        the class of its 'of' phrase ("dozens of protesters", "one of the soldiers")."""
        sx = _engine().sx
        if tok.pos_ == "PRON":
            return tok.lower_ in sx["force_matter_pronouns"]
        if (tok.pos_ == "NUM" or lemma(tok) in sx["quantity_heads"]) and self._pobjs(tok, {"of"}):
            return any(self._matter(o) for o in self._pobjs(tok, {"of"}))
        if self._is_trigger_noun(tok):
            return False
        if any(self.pm.at(tok, kind) for kind in sorted(sx["force_matter_mentions"])):
            return True
        if head_class(tok) in sx["force_matter_heads"] and (tok.pos_ == "PROPN" or tok.tag_ in ("NNS", "NNPS")
                                                             or any(True for _ in tok.lefts)):
            return True  # a bare singular noun is part of a set phrase ("took shelter"), not a thing named
        engine = _engine()
        return any(engine._word_ok(tok, "@" + c) for c in sorted(sx["force_matter_synsets"]))

    def _moved_to_place(self, m: FrameMatch) -> bool:
        """A movement worth keeping with no party named: a pattern that matched forces, fighters or weapons as
        what moves ("recruits who arrived in Tripoli"), brought to a place of a known country named in the
        verb's own phrase."""
        p = m.pattern
        moved = {w for w in p.subj + p.obj if w.startswith("@")} & {"@personnel", "@force", "@materiel"}
        if p.type != "MOBILIZE" or not moved:
            return False
        place = self.place_in([x for t in m.roles.get("place", []) for x in t.subtree])
        return place is not None and place.country is not None

    # -- coding the event at a given word ------------------------------------------------------------------
    def at(self, tok: Any, event_type: str | None = None) -> RawClaim | None:
        """The event whose trigger is `tok`, with its roles, when the caller names the trigger (an analyst
        selecting a word; RAMS-style argument linking). The lexicon gives the type, unless `event_type`
        overrides it; a word the lexicon does not know is coded only with `event_type`. None of the
        corpus filters apply (participant-less events, background references, the 'mil' sense test):
        the caller has said this word is an event. Roles come from the same dependency rules as
        `extract`, and an unregistered phrase in a role position is kept as an unresolved actor."""
        if tok.pos_ == "ADJ" and tok.dep_ == "amod" and tok.head.pos_ == "NOUN":
            tok = tok.head  # "the fatal shooting of X": the roles hang on the noun
        lem = lemma(tok)
        spec = self._at_spec(tok, lem, event_type)
        if spec is None:
            return None
        frame = self.frame_for(tok)
        rc = RawClaim(tok, spec, spec.type, spec.mode, spec.cameo, tok.text, self.pm.base + tok.idx,
                      self.pm.base + tok.idx + len(tok), frame=frame, sentence=self.sent_index[sent_of(tok).start])
        rc.why["event"] = f"trigger '{tok.text}' given by the caller" + (
            f", type {event_type} given" if event_type else f", type {spec.type} from the lexicon")
        if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "ADJ" and "commit" in spec.flags):
            self._verb_roles(tok, spec, rc, frame)
            self._at_verb_roles(tok, lem, rc)
        else:
            self._noun_roles(tok, spec, rc, frame)
            self._at_noun_roles(tok, rc, frame)
        for step in _AT_STEPS:
            step(self, tok, lem, rc)
        return rc

    def _at_spec(self, tok: Any, lem: str, event_type: str | None) -> Trigger | None:
        """The trigger entry of a caller's word: the lexicon's (verb sense for a verb, else the noun by form
        or lemma), a verb of getting with aid as its object, or a bare entry of the caller's type."""
        verbal = tok.pos_ in words("english", "verbal_pos")
        spec = (self.trig.verbs.get(lem) if verbal else None) or self.trig.nouns.get(tok.lower_) \
            or self.trig.nouns.get(lem) or self.trig.verbs.get(lem)
        if verbal and event_type in (None, "AID") and (spec is None or spec.type != "AID") and self._gets_aid(tok, lem):
            spec = RECEIVE_TRIGGER
        if event_type is not None and (spec is None or spec.type != event_type):
            spec = Trigger(lem, "V" if verbal else "N", event_type, None, None, frozenset())
        return spec

    def _at_verb_roles(self, tok: Any, lem: str, rc: RawClaim) -> None:
        """The roles a caller's verb still lacks: its subject (also that of the clause a 'before -ing' phrase
        hangs on), which undergoes the event for intransitives of undergoing and for receiving verbs."""
        subj, passive = self.subject_of(tok)
        if subj is None and tok.dep_ == "pcomp" and tok.tag_ == "VBG" and tok.head.dep_ == "prep" and \
                tok.head.head.pos_ in ("VERB", "AUX"):
            subj, _ = self.subject_of(tok.head.head)  # "hug them before detonating the bomb": the huggers
        undergoer = lem in PATIENT_SUBJECT_VERBS or (rc.type == "AID" and lem in RECEIVE_VERBS)
        if lem in PATIENT_SUBJECT_VERBS and subj is not None and not passive:
            # "three soldiers died": the subject undergoes the event
            rc.recipients = rc.actors + rc.recipients
            rc.actors = []
        if subj is not None and not passive:
            found = self._entity(subj)
            if undergoer and not rc.recipients:
                rc.recipients = found
            elif not undergoer and not rc.actors:
                rc.actors = found
        if passive and not rc.actors and not undergoer:
            rc.actors = [a for p in self._pobjs(tok, {"by"}) for a in self._entity(p)]  # "was paid by X"
        self._at_verb_objects(tok, rc, subj, passive, undergoer)

    def _at_verb_objects(self, tok: Any, rc: RawClaim, subj: Any, passive: bool, undergoer: bool) -> None:
        """The other party of a caller's verb: the 'to'/'for'/'into' phrase (the 'from' phrase gives when the
        subject undergoes), the receiver of a giving verb, and the object (or passive subject) as target."""
        if rc.type in words("events", "at.2") and not (rc.recipients if not undergoer else rc.actors):
            preps = words("events", "receiver_preps") if not undergoer else {"from"}
            found = [a for p in self._pobjs(tok, preps) for a in self._entity(p)]
            if undergoer:
                rc.actors = found
            else:
                rc.recipients = found
        if rc.type == "AID" and not undergoer and not rc.recipients:
            self._aid_receiver(tok, subj, passive, rc)
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        if passive:
            obj = subj
        if rc.type != "AID" and not rc.recipients and obj is not None:
            rc.recipients = self._entity(obj)

    def _at_noun_roles(self, tok: Any, rc: RawClaim, frame: Frame | None) -> None:
        """The roles a caller's noun still lacks: its 'by' agent, its 'to'/'for'/'on'/'against' party, the
        subject of the verb that gets it or governs it, and the victims of an attack noun's 'of' phrase."""
        if not rc.actors:
            rc.actors = [a for p in self._pobjs(tok, {"by"}) for a in self._entity(p)]  # "killings by X"
        if rc.type in words("events", "at.2") and not rc.recipients:
            rc.recipients = [a for p in self._pobjs(tok, words("events", "event_noun_recipient_preps")) for a in self._entity(p)]
        gov = self._governing_verb(tok)
        got = self._at_gotten(tok, gov, rc)
        if not rc.actors and gov is not None and not got:
            subj, passive = self.subject_of(gov)
            head = self.pm.base + subj.idx if subj is not None else -1
            buyer = any(a.start is not None and a.start <= head < (a.end or a.start) for a in rc.recipients)
            if subj is not None and not passive and not buyer:  # "Egypt completed the purchase": the buyer
                rc.actors = self.actors_of(subj, frame) or self._unresolved(subj)
                rc.why["actors"] = f"subject of '{gov.text}' ({tok.text} is its object)"
        if rc.type == "ASSAULT" and not rc.recipients:
            for p in self._pobjs(tok, words("events", "assault_noun_victim_preps")):  # "the slaughter of civilians"
                rc.recipients += self._entity(p)

    def _at_gotten(self, tok: Any, gov: Any, rc: RawClaim) -> bool:
        """A transfer noun as the object of a verb of getting ("we got funding"): the subject receives and the
        'from' phrase gives. True when it named the receiver."""
        if not (rc.type == "AID" and not rc.recipients and gov is not None and lemma(gov) in GET_VERBS):
            return False
        subj, passive = self.subject_of(gov)
        if subj is None or passive:
            return False
        rc.recipients = self._entity(subj)
        if not rc.recipients:
            return False
        rc.why["recipients"] = f"subject of '{gov.text}' ({tok.text} is what it gets): the receiver"
        rc.actors = [a for a in rc.actors if a.start != rc.recipients[0].start]
        if not rc.actors:
            rc.why.pop("actors", None)
            rc.actors = [a for h in (tok, gov) for p in self._pobjs(h, {"from"}) for a in self._entity(p)]
            if rc.actors:
                rc.why["actors"] = f"the 'from' phrase of what '{gov.text}' gets: the giver"
        return True

    def _at_assault_materiel(self, tok: Any, lem: str, rc: RawClaim) -> None:
        """An attack's weapons: the object of a verb of using a weapon, else the weapons named in its clause,
        else the one named nearest in its sentence (never a target's span)."""
        if rc.type != "ASSAULT":
            return
        self._weapon_objects(tok, rc)
        if rc.materiel:
            return
        taken = {a.start for a in rc.recipients if a.start is not None}
        rc.materiel = [m for m in self._materiel_under(self._clause(tok)) if m.start not in taken]
        if rc.materiel:
            rc.why["materiel"] = "weapons named in the event's clause"
        else:
            near = sorted((m for m in self.materiel_in(sent_of(tok)) if m.start not in taken),
                          key=lambda m: abs((m.start or 0) - rc.trigger_start))
            rc.materiel = near[:1]
            if rc.materiel:
                rc.why["materiel"] = "weapons named in the event's sentence"

    def _at_sentence_place(self, tok: Any, lem: str, rc: RawClaim) -> None:
        """Without a place from the roles: the place named in the event's sentence (not a participant's)."""
        if rc.location is not None:
            return
        loc = self.place_in(sent_of(tok), {a.start for a in rc.actors + rc.recipients if a.start is not None},
                            near=tok, clause_of=tok if tok.pos_ == "NOUN" else None)
        if loc is not None:
            rc.location = loc
            rc.why["location"] = f"the place named in the event's sentence ({loc.text})"

    def _at_site(self, tok: Any, lem: str, rc: RawClaim) -> None:
        """Still without a place: the named site in the trigger's locative phrase."""
        if rc.location is not None:
            return
        rc.location = self._named_site(tok)
        if rc.location is not None:
            rc.why["location"] = f"the site in the trigger's locative phrase ({rc.location.text})"

    def _at_nearest_place(self, tok: Any, lem: str, rc: RawClaim) -> None:
        """An event on the ground still without a place takes the place named nearest its trigger."""
        if rc.location is not None or rc.type not in SITED_TYPES:
            return
        # only an event that happens on the ground takes a place its sentence merely names: in "stipends for
        # USA rowers" or "urged Russia", the place is a party or a topic, not where it happened
        taken = {a.start for a in rc.actors + rc.recipients if a.start is not None}
        ms = [m for m in self.pm.within(sent_of(tok), "place") if m.place is not None and m.start not in taken
              and not self._acting_place(m)]
        if ms:
            m = min(ms, key=lambda m: abs(m.tok_start - tok.i))
            rc.location = m.place
            rc.why["location"] = f"the place named nearest the trigger in its sentence ({m.text})"

    def _at_tidy(self, tok: Any, lem: str, rc: RawClaim) -> None:
        """Parties once each; the aid type; the dates in the trigger's clause."""
        rc.actors = _dedupe(rc.actors)
        rc.recipients = _dedupe(rc.recipients)
        rc.funders = _dedupe(rc.funders)
        self._aid_type(rc, tok)
        rc.date_ments = [m for m in _ments_under(self.pm, self._clause(tok), "date")]

    def _at_nearest_actor(self, tok: Any, lem: str, rc: RawClaim) -> None:
        """No agent in the parse: the nearest named actor acts (after an attack word, the one before it;
        before a receiving word, it receives)."""
        if rc.actors:
            return
        receiving = rc.type == "AID" and (lem in RECEIVE_VERBS or tok.lower_ in RECEIVE_NOUNS)
        # after an attack word the next name is mostly its victim or a bystander, not the attacker
        near = self._nearest_actor(tok, {a.start for a in rc.recipients if a.start is not None},
                                   after=rc.type != "ASSAULT")
        side = "before" if near is None or near.start is None or near.start < rc.trigger_start else "after"
        if near is not None and receiving and not rc.recipients and side == "before":
            # "... Iran obtained": a transfer named from the receiving end; the name before it is the receiver
            rc.recipients = [near]
            rc.why["recipients"] = f"nearest named actor before '{tok.text}', which names the receiving side"
        elif near is not None:
            rc.actors = [near]
            rc.why["actors"] = f"nearest named actor {side} the trigger ({near.text}); no syntactic agent"

    def _at_why(self, tok: Any, lem: str, rc: RawClaim) -> None:
        """A default reason for each filled party slot that has none."""
        for slot, role in (("actors", "agent"), ("recipients", "patient or recipient")):
            if getattr(rc, slot) and slot not in rc.why:
                rc.why[slot] = f"the {role} of '{tok.text}' in the parse (subject, object or prepositional phrase)"

    def _weapon_objects(self, tok: Any, rc: RawClaim) -> None:
        """The object of a verb of using a weapon is the weapon, not the target ("detonated a car bomb",
        "fired rockets at the town"): it moves to materiel when the lexicon knows it as a weapon, and the
        target is read from the verb's "at"/"on"/"against" phrase."""
        dobj = next((c for c in tok.children if c.dep_ == "dobj"), None) if tok.pos_ == "VERB" else None
        if dobj is None or lemma(tok) not in WEAPON_USE_VERBS:
            return
        head = self.pm.base + dobj.idx
        moved = [a for a in rc.recipients if a.start is not None and a.start <= head < (a.end or a.start)]
        if not moved:
            return
        rc.recipients = [a for a in rc.recipients if a not in moved]
        weapons = [m.materiel for m in _within_ids(self.pm, phrase_indices(dobj), "materiel")
                   if m.materiel is not None and m.materiel not in rc.materiel]
        if weapons:
            rc.materiel = weapons + rc.materiel
            rc.why["materiel"] = f"the weapon '{tok.text}' uses (its object)"
        rc.recipients += [a for p in self._pobjs(tok, words("events", "aim_preps"))
                          for a in self._entity(p)]
        if rc.recipients:
            rc.why["recipients"] = f"what '{tok.text}' is aimed at ('at', 'on', 'against' phrase)"
        else:
            rc.why.pop("recipients", None)

    def _aid_receiver(self, v: Any, subj: Any, passive: bool, rc: RawClaim) -> None:
        """The receiver of a giving verb when no 'to'/'for' phrase names one: the indirect object ("paid him
        $500", "lent them money"), the subject of a passive with a second object or of a verb whose object is
        the one helped ("were granted access", "was reimbursed"), the object of such a verb ("compensated
        the families")."""
        iobj = _first_child(v, ("dative", "iobj"), words("english", "nominal_pos"))
        lem = lemma(v)
        dobj = next((c for c in v.children if c.dep_ == "dobj"), None)
        if iobj is not None:
            rc.recipients = self._entity(iobj)
            why = f"indirect object of '{v.text}'"
        elif passive and subj is not None and (dobj is not None or lem in RECEIVER_OBJECT_VERBS) and \
                not self._materiel_under(subj) and lemma(subj) not in MONEY_NOUNS:
            rc.recipients = self._entity(subj)
            why = f"subject of passive '{v.text}' (the one given to)"
        elif not passive and dobj is not None and lem in RECEIVER_OBJECT_VERBS and \
                not self._materiel_under(dobj) and lemma(dobj) not in MONEY_NOUNS:
            rc.recipients = self._entity(dobj)
            why = f"object of '{v.text}' (the one given to)"
        else:
            return
        if rc.recipients:
            rc.why["recipients"] = why

    def _named_site(self, tok: Any) -> Place | None:
        """A site no gazetteer knows in the trigger's own locative phrase ("stabbed at her home", "protested
        in the streets"), for a nominal trigger the phrase of the verb it is the object of."""
        heads = [tok]
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("dobj", "pobj") and tok.head.pos_ == "VERB":
            heads.append(tok.head)
        for h in heads:
            for p in self._pobjs(h, words("events", "site_preps")):
                if p.pos_ in ("NOUN", "PROPN") and p.ent_type_ not in ("DATE", "TIME") and \
                        self.pm.at(p, "date") is None and p.lower_ not in NON_SITE_NOUNS:
                    txt, s, e = phrase_text(p, self.pm.base, strip_det=True)
                    if len(txt) <= 60:
                        return Place(text=txt, kind="other", start=s, end=e)
        return None

    def _nearest_actor(self, tok: Any, skip: set[int], after: bool = True) -> Actor | None:
        """The closest actor named before `tok` in its sentence, else (with `after`) the first one after it
        (the subject of the sentence before was tried as well: on RAMS it added little recall for much
        precision)."""
        pm = self.pm
        for t in reversed(list(sent_of(tok))[: tok.i - sent_of(tok).start]):
            m = pm.at(t, "actor")
            if m is not None and m.actor is not None and m.start not in skip and not self._barred_actor(tok, m):
                return m.actor
        if not after:
            return None
        for t in list(sent_of(tok))[tok.i - sent_of(tok).start + 1:]:
            m = pm.at(t, "actor")
            if m is not None and m.actor is not None and m.start not in skip and not self._barred_actor(tok, m):
                return m.actor
        return None

    @staticmethod
    def _barred_actor(tok: Any, m: Ment) -> bool:
        """A name the nearest-actor fallback passes over because the parse gives it another part: the phrase
        a relative clause's antecedent hangs in ("X, a member of the unit that fired ..."), the subject of the
        clause an adjunct gerund governing a nominal trigger hangs on ("besides arranging the sale, X ...": X
        arranges, the sale is another's), a name in a coordinated clause that does not hold the trigger ("we
        got the loan but X's bank closed")."""
        cand = tok.doc[m.tok_start:m.tok_end].root
        clause = _clause_verb(tok)
        if clause is None:
            return False
        if clause.dep_ == "relcl":
            ante = _antecedent(clause)
            if cand.i != ante.i and cand.is_ancestor(ante):
                return True
        own = _clause_verb(cand)
        if own is not None and own.dep_ == "conj" and own.i != clause.i and not own.is_ancestor(tok):
            return True
        if tok.pos_ in ("VERB", "AUX") or clause.tag_ != "VBG" or clause.dep_ not in ("pcomp", "advcl") \
                or any(c.dep_ in SUBJ_DEPS for c in clause.children):
            return False
        matrix = _clause_verb(clause.head) if clause.dep_ == "pcomp" else clause.head
        return matrix is not None and any(c.dep_ in SUBJ_DEPS and (c.i == cand.i or c.is_ancestor(cand))
                                          for c in matrix.children)

    def _entity(self, tok: Any) -> list[Actor]:
        """An unregistered participant in a role position: a name, a noun phrase ("the protesters",
        "buyers") or a pronoun."""
        if tok.pos_ == "PRON":
            return self._pronoun(tok)
        return self._unresolved(tok)  # (keeping only person/group heads was tried: lost more than it saved)

    def _pronoun(self, tok: Any) -> list[Actor]:
        """A pronoun in a role position, kept as written when the caller asked for this event's roles."""
        if tok.pos_ != "PRON" or tok.lower_ in words("events", "pronoun.1"):
            return []
        base = self.pm.base
        return [Actor(text=tok.text, kind="unknown", start=base + tok.idx, end=base + tok.idx + len(tok),
                      why="pronoun; its antecedent is not resolved")]

    def _trigger_positions(self, table: Any) -> list[int]:
        """The tokens at which `_match_trigger` may find a trigger, in order: the others fail its part-of-speech
        gate or every one of its lexicon lookups (read from the token table, without a Token object)."""
        gate = words("events", "match_trigger.1")
        firsts, verbs, nouns = self.trig.phrase_firsts, self.trig.verbs, self.trig.nouns
        return [i for i, (p, lo, lem) in enumerate(zip(table.pos, table.lower, table.lemma, strict=True))
                if p in gate and (lo in firsts or lem in firsts
                                  or (p == "VERB" and (lem in verbs or lem in _PAYING_OR_GETTING))
                                  or (p == "NOUN" and (lo in nouns or lem in nouns))
                                  or (p == "ADJ" and lo in COMMIT_ADJS))]

    def _match_trigger(self, tok: Any) -> tuple[Trigger | None, int]:
        lo = tok.lower_
        pos = tok.pos_
        if pos not in words("events", "match_trigger.1"):
            return None, 1  # (every branch below needs one of these)
        lem = lemma(tok)
        firsts = self.trig.phrase_firsts
        if (lo in firsts or lem in firsts) and tok.i + 1 < len(tok.doc):
            nxt = tok.doc[tok.i + 1]
            for key in (f"{lo} {nxt.lower_}", f"{lo} {lemma(nxt)}", f"{lem} {nxt.lower_}"):
                if key in self.trig.phrases:
                    return self.trig.phrases[key], 2
        if tok.pos_ == "VERB":
            if tok.dep_ == "amod" and not _misparsed_past(tok):
                return None, 1  # "intercepted calls": a participle used as an adjective (not a past verb with a
                # subject the parser hung there: "A ship unloaded armoured vehicles")
            if tok.dep_ in ("relcl", "acl") and tok.head.pos_ in ("NOUN", "PROPN") and tok.tag_ != "VBG" \
                    and not self._is_trigger_noun(tok.head) and not self._content_clause(tok) \
                    and not (_object_gap(tok) and getattr(self.trig.verbs.get(lem), "type", "AID") == "AID") \
                    and not _misparsed_call(tok):
                # (a transfer in a relative clause without a relative word is told: "the weapons they bought")
                return None, 1  # "weapons seized last year", "where 24 people were killed": a description
            spec = self.trig.verbs.get(lem)
            if spec is None and self._pays(tok):
                return PAY_TRIGGER, 1
            if (spec is None or spec.type != "AID") and self._gets_aid(tok, lem):
                return RECEIVE_TRIGGER, 1  # "received 20 jets from Egypt": a transfer, not a visit
            return spec, 1
        if tok.pos_ == "ADJ" and lo in COMMIT_ADJS and any(c.dep_ == "xcomp" for c in tok.children):
            return COMMIT_TRIGGER, 1  # "is ready / willing / prepared to ..."
        if tok.pos_ == "NOUN" and (tok.dep_ != "compound" or lemma(tok.head) in GENERIC_EVENT_HEADS):
            spec = self.trig.nouns.get(lo) or self.trig.nouns.get(lem)
            if spec is not None and self._argument_of_event(tok):
                return None, 1  # "lifted the curfew", "dismissed an appeal": an argument, not an event
            if spec is not None and tok.dep_ == "pobj" and tok.head.lower_ in BACKGROUND_PREPS:
                return None, 1  # "following a government offensive": a reference to an earlier event
            if spec is not None and any(c.dep_ == "det" and c.lower_ in ("any", "every") for c in tok.children):
                return None, 1  # "would respond to any attack": no attack in particular
            if spec is not None and spec.type == "SANCTION" and self._existing_measure(tok):
                return None, 1  # "respects the embargo", "in violation of the embargo": one already in place
            return spec, 1
        return None, 1

    @staticmethod
    def _content_clause(v: Any) -> bool:
        """A noun's 'that' clause with its own subject ("reports that it had received weapons"): what the
        reports say, not a description of the noun."""
        return any(c.dep_ == "mark" and c.lower_ == "that" for c in v.children) and any(
            c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in words("events", "content_clause.1") for c in v.children)

    def _gets_aid(self, v: Any, lem: str) -> bool:
        """Whether a verb of getting has weapons, troops, money or aid as its object ("received jets from
        Egypt", "obtained funding", "took delivery of drones")."""
        if lem not in GET_AID_VERBS and not (lem == "take" and any(
                c.dep_ == "dobj" and c.lower_ == "delivery" for c in v.children)):
            return False
        obj = next((c for c in v.children if c.dep_ in ("dobj", "nsubjpass")), None)
        if obj is None and _object_gap(v):
            obj = v.head  # "the weapons they received from X"
        if obj is None:
            return False
        return bool(self._materiel_under(obj)) or bool(
            ({lemma(x) for x in obj.subtree} | {x.lower_ for x in obj.subtree}) & AID_NOUNS)

    def _build(self, tok: Any, spec: Trigger, n_words: int, start_tok: Any = None) -> RawClaim | None:
        pm = self.pm
        base = pm.base
        frame = self.frame_for(tok)
        doc = pm.doc
        first = start_tok if start_tok is not None else tok
        end_tok = doc[tok.i + n_words - 1]
        rc = RawClaim(tok, spec, spec.type, spec.mode, spec.cameo, doc_text(doc)[first.idx:end_tok.idx + len(end_tok)],
                      base + first.idx, base + end_tok.idx + len(end_tok), frame=frame,
                      sentence=self.sent_index[sent_of(tok).start])
        is_verb = tok.pos_ == "VERB"
        lem = lemma(tok)
        if is_verb and lem in self.cs["reporting"] and spec.type in words("events", "build.1"):
            # "warned that ...", "denied ..." are speech frames; they code an event only with a target
            # (a passive's subject is its target: "X was accused of ...", "the raids were condemned"; so is what
            # one complains or protests about: "complained to the UN over the raids")
            has_target = any(c.dep_ in ("dobj",) or (c.dep_ == "nsubjpass" and c.lower_ not in NO_ACTOR_WORDS)
                             or (c.dep_ == "prep" and c.lower_ in words("events", "build.3"))
                             for c in tok.children) or (
                spec.type == "REQUEST" and any(c.dep_ == "ccomp" for c in tok.children))
            if not has_target and spec.type not in ("THREATEN",):
                return None
        if is_verb and not self._object_ok(tok, spec):
            return None
        if is_verb and "negatesobj" in spec.flags and any(
                c.dep_ == "dobj" and lemma(c) in words("events", "accusation_nouns") for c in tok.children):
            rc.spec = replace(spec, flags=spec.flags | {"negates"})  # "dismissed the allegations": a denial
        if is_verb and spec.type == "CONCEDE" and lem in words("events", "build.2"):
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None)
            if obj is not None and {lemma(obj), obj.lower_} & RESTRAINTS:
                rc.type, rc.mode, rc.cameo = "RETREAT", "access", "0813"  # easing a curfew or blockade
        if is_verb or tok.pos_ == "ADJ":
            ok = self._verb_roles(tok, spec, rc, frame)
        else:
            ok = self._noun_roles(tok, spec, rc, frame)
        if not ok:
            return None
        if "generic" in spec.flags and "actors" in rc.why and rc.why["actors"].startswith("subject of"):
            return None  # "refugees fleeing the war": a war is coded only with its own parties
        if not rc.actors and not rc.recipients and not (rc.type == "ASSAULT" and (rc.location or rc.materiel)
                                                        and "generic" not in spec.flags) and not (
                rc.type == "AID" and rc.materiel and self._delivered_at(tok, rc)):
            # who did what to whom: an event with no participant is kept only as a located attack, or as weapons
            # delivered somewhere ("a ship unloaded armoured vehicles at Benghazi port"), the supplier unnamed
            return None
        if rc.location is None:
            loc = self.place_in(sent_of(tok), {a.start for a in rc.actors + rc.recipients if a.start is not None},
                                clause_of=tok, origin_last=rc.type in ORIGIN_TYPES)
            if loc is not None:  # countries count here only inside a locative phrase ("in Syria")
                rc.location = loc
                rc.why["location"] = f"the place named in the event's sentence ({loc.text})"
        if rc.location is None and rc.type == "MOBILIZE":
            # "deployed jets to Libya": the country the forces go to is where the deployment is
            starts = {a.start for a in rc.recipients if a.kind == "state"}
            rc.location = next((m.place for m in pm.all if m.kind == "place" and m.place is not None
                                and m.start in starts), None)
            if rc.location is not None:
                rc.why["location"] = f"the country the forces go to ({rc.location.text})"
        if rc.location is not None and rc.location.country:
            # unregistered local actors ("demonstrators", "prisoners") belong to where the event happens
            for group in (rc.actors, rc.recipients):
                for i, a in enumerate(group):
                    if a.country is None and a.id is None:
                        group[i] = a.model_copy(update={"country": rc.location.country, "why": (
                            a.why or "") + f"; country from the event's place ({rc.location.text})"})
        rc.actors = _dedupe(rc.actors)
        rc.recipients = [r for r in _dedupe(rc.recipients) if not any(
            r.id and r.id == a.id and r.sector == a.sector for a in rc.actors) or rc.type == "CONSULT"]
        rc.funders = _dedupe(rc.funders)
        if is_verb and n_words == 1:
            # "imposed an arms embargo", "lifted the sanctions": the event noun belongs to the trigger's span
            table = token_table(doc)
            obj = next((c for c in (doc[k] for k in children_of(doc)[tok.i] if table.dep[k] == "dobj"
                                    and 0 < k - tok.i <= 6) if self._is_trigger_noun(c) and self._argument_of_event(c)),
                       None)
            if obj is not None:
                rc.trigger_end = pm.base + obj.idx + len(obj)
                rc.trigger_text = doc_text(doc)[first.idx:obj.idx + len(obj)]
        self._aid_type(rc, tok)
        if rc.type == "AID" and "aidobj" in spec.flags and not rc.materiel and rc.aid_type is None and not \
                _said_words(tok, is_verb) & AID_NOUNS:
            return None  # "send a letter" is not aid; "send supplies / aid / troops" is
        if "mil" in spec.flags and rc.type == "ASSAULT" and not self._military_context(tok, rc):
            return None
        rc.date_ments = [m for m in _ments_under(pm, self._clause(tok), "date")
                         if not (frame and frame.cue_tok is not None and m.tok_start in
                                 {x.i for x in frame.cue_tok.children})]
        return rc

    def _clause(self, tok: Any) -> Any:
        cur = tok
        while cur.pos_ not in ("VERB", "AUX") and cur.head.i != cur.i:
            cur = cur.head
        if _misparsed_past(cur):
            return cur.head  # "A ship unloaded armoured vehicles ... on 3 March": the misparsed clause is the head's
        return cur

    def _military_context(self, tok: Any, rc: RawClaim) -> bool:
        if rc.materiel:
            return True
        for a in rc.actors + rc.recipients:
            if a.sector in ARMED_SECTORS or a.kind in ("state", "armed_group"):
                return True
        sent_words = {lemma(t) for t in sent_of(tok)}
        if sent_words & words("events", "military_context_words"):
            return True
        if self.materiel_in(sent_of(tok)):
            return True  # a weapon named in the sentence ("mortar fire hit ...")
        if sent_words & words("events", "labour_strike_words"):
            rc.type, rc.mode, rc.cameo = "PROTEST", "strike", "143"
            return True
        return False

    def _aid_type(self, rc: RawClaim, tok: Any) -> None:
        if rc.type not in ("AID", "AGREE") or "pay" in rc.spec.flags:
            return
        table = token_table(tok.doc)
        sub = subtree_indices(tok.doc, tok.i)
        said = {table.lemma[i] for i in sub} | {table.lower[i] for i in sub}
        if tok.pos_ == "NOUN":
            said |= {table.lower[i] for i in subtree_indices(tok.doc, tok.head.i)} if tok.dep_ == "pobj" else set()
        if rc.materiel:
            cats = {m.category for m in rc.materiel}
            rc.aid_type = "personnel" if cats == {"mercenaries"} else "military"
            rc.why["aid_type"] = f"materiel: {', '.join(m.text for m in rc.materiel)}"
        elif said & PERSONNEL_NOUNS:
            rc.aid_type = "personnel"
            rc.why["aid_type"] = "troops or fighters supplied"
        elif lemma(tok) in ("train",) or "training" in said:
            rc.aid_type = "training"
        elif lemma(tok) in words("events", "aid_type.1") or said & MONEY_NOUNS:
            rc.aid_type = "economic"
            rc.why["aid_type"] = "money"
        elif said & HUMANITARIAN_NOUNS:
            rc.aid_type = "humanitarian"
        elif lemma(tok) in words("events", "aid_type.2") or said & words("events", "military_aid_words"):
            rc.aid_type = "military"
        if rc.aid_type and rc.cameo in (None, "070"):
            rc.cameo = {"military": "072", "economic": "071", "humanitarian": "073", "personnel": "072",
                        "training": "072"}.get(rc.aid_type, rc.cameo)

    def _materiel_or_antecedent(self, tok: Any, v: Any, rc: RawClaim) -> list[Materiel]:
        if tok.lower_ in words("events", "materiel_or_antecedent.1"):
            prev = [m.materiel for m in self.pm.within([x for x in sent_of(v) if x.i < tok.i], "materiel")]
            if prev and prev[-1] is not None:
                rc.why["materiel"] = f"'{tok.text}' refers back to '{prev[-1].text}'"
                return [prev[-1]]
            return []
        own = self._materiel_under(tok)
        if not own and (lemma(tok) in BATCH_NOUNS or tok.lower_ in BATCH_NOUNS) and any(
                c.dep_ == "det" and c.lower_ in words("events", "materiel_or_antecedent.2") for c in tok.children):
            # "the first batch has arrived": a batch of what the document named before
            prev = [m.materiel for m in self.pm.within([x for x in self.pm.doc if x.i < tok.i], "materiel")
                    if m.materiel is not None] or ([self.earlier_materiel] if self.earlier_materiel else [])
            if prev:
                rc.why["materiel"] = f"'{phrase_text(tok)[0]}' refers back to '{prev[-1].text}'"
                return [prev[-1]]
        return own

    def _pays(self, v: Any) -> bool:
        """'take care of the funds', 'pay for', 'cover the costs', 'foot the bill': paying is economic aid."""
        lem = lemma(v)
        if lem in words("events", "pays.care_verbs") and any(
                c.dep_ == "dobj" and c.lower_ in words("events", "pays.care_objects") for c in v.children):
            objs = self._pobjs(v, {"of"}) + [p for c in v.children if c.dep_ == "dobj" for p in self._pobjs(c, {"of"})]
            return any(lemma(o) in MONEY_NOUNS or o.lower_ in MONEY_NOUNS for o in objs)
        if lem in words("events", "spend_verbs") and self._spent_on(v):
            sums = [c for c in v.children if c.dep_ in ("dobj", "nsubjpass")]
            return any(c.pos_ == "NUM" or any(t.tag_ == "$" or lemma(t) in MONEY_NOUNS or t.lower_ in MONEY_NOUNS
                                              for t in c.subtree) for c in sums)  # "spent $2 million on mercenaries": paying for what the 'on' phrase names
        if lem in words("events", "pays.1"):
            objs = [c for c in v.children if c.dep_ == "dobj"] + self._pobjs(v, {"for"})
            return any(lemma(o) in MONEY_NOUNS | words("events", "expense_nouns")
                       or o.lower_ in MONEY_NOUNS for o in objs) or bool(self._pobjs(v, {"for"})) or any(
                c.dep_ == "prep" and c.lower_ == "for" for c in v.children)
        return False

    def _spent_on(self, v: Any) -> list[Any]:
        """What a verb of spending pays for: its 'on' phrase, on the verb or on the sum ("spent $2 million on
        drones")."""
        return self._pobjs(v, {"on"}) + [p for c in v.children if c.dep_ == "dobj" for p in self._pobjs(c, {"on"})]

    def _between(self, n: Any) -> list[Any]:
        """The parties of 'between/among A, B and C'. 'between' takes two or more: when the parser closed the
        phrase after A (and made "B and C" the subject of the next verb), the list is read on to its end."""
        heads = self._pobjs(n, {"between", "among"})
        if len(heads) != 1 or any(c.dep_ == "conj" for c in heads[0].children):
            return heads
        sent = sent_of(n)
        i = heads[0].right_edge.i + 1
        if i >= sent.end or self.pm.doc[i].text not in (",", "and"):
            return heads
        for t in self.pm.doc[i:sent.end]:
            if t.pos_ in ("VERB", "AUX") or (t.pos_ in words("events", "between.2") and t.lower_ != "the"):
                break
            if t.pos_ in ("NOUN", "PROPN") and t.dep_ not in words("events", "between.1"):
                heads.append(t)  # (its conjuncts are followed by actors_of)
        return heads

    def _pobjs(self, tok: Any, preps: Set[str]) -> list[Any]:
        doc = tok.doc
        table, kids = token_table(doc), children_of(doc)
        dep, lower = table.dep, table.lower
        out = []
        for c in kids[tok.i]:
            if dep[c] in _POBJ_HOLDERS and lower[c] in preps:
                out.extend(doc[p] for p in kids[c] if dep[p] in ("pobj", "pcomp"))
        return out

    def _location(self, tok: Any, extra: list[Any], rc: RawClaim | None = None) -> Place | None:
        """A place in the trigger's locative phrases (then in `extra` phrases), never a participant."""
        skip = {a.start for a in (rc.actors + rc.recipients + rc.funders) if a.start is not None} if rc else set()
        doc = tok.doc
        table = token_table(doc)
        dep, lower = table.dep, table.lower
        cands = [c for c in children_of(doc)[tok.i] if dep[c] == "prep" and lower[c] in LOC_PREPS]
        if rc is not None and rc.type in ORIGIN_TYPES:
            # "fired missiles from Yemen at a ship in the Red Sea": where it went or hit before where it came from
            cands.sort(key=lambda c: lower[c] in ORIGIN_PREPS)
        for x in [doc[c] for c in cands] + list(extra):
            p = self._pick_place(_ments_under(self.pm, x, "place"), skip)
            if p is not None:
                return p
        return None

    # -- roles of a verb trigger: shared parse facts, then the steps of the event's family --------------
    def _verb_roles(self, v: Any, spec: Trigger, rc: RawClaim, frame: Frame | None) -> bool:
        """Roles of a verb trigger: the parse facts every step shares (subject, voice, objects, agents),
        the steps every family runs, then the steps of the event's family (`_VERB_FAMILIES`), in order.
        False when the verb turns out to name no event."""
        if "commit" in spec.flags and v.pos_ == "ADJ":
            return self._commit_adjective(v, rc, frame)
        subj, passive = self.subject_of(v)
        lem = lemma(v)
        if not self._call_sense(v, lem, spec, rc):
            return False
        c = self._verb_case(v, spec, rc, frame, subj, passive, lem)
        self._carrier_subject(c)
        self._weapon_subject(c)
        if "pay" in spec.flags:
            self._payment(c)
            return True
        if "matsubj" in spec.flags:
            return self._materiel_subject(c)
        for applies, steps in _VERB_FAMILIES:
            if applies(c):
                for step in steps:
                    step(self, c)
                break
        return True

    def _commit_adjective(self, v: Any, rc: RawClaim, frame: Frame | None) -> bool:
        """A commitment adjective ("X is ready to ..."): its subject, or its head verb's, commits."""
        subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
        if subj is None and v.head.i != v.i:
            subj, _ = self.subject_of(v.head)
        rc.actors = self.actors_of(subj, frame) if subj is not None else []
        return True

    @staticmethod
    def _call_sense(v: Any, lem: str, spec: Trigger, rc: RawClaim) -> bool:
        """'call' with a particle of demand ("called on X to ...") is a request; the phone-call sense needs a
        phone word in the clause. False when the verb names no event."""
        if lem == "call" and any(c.lower_ in words("events", "verb_roles.3") for c in v.children):
            rc.type, rc.mode, rc.cameo = "REQUEST", None, "020"
        elif lem == "call" and "phonecall" in spec.flags:
            if not any(lemma(c) in ("phone", "telephone") for c in v.subtree):
                return False
        return True

    def _verb_case(self, v: Any, spec: Trigger, rc: RawClaim, frame: Frame | None, subj: Any, passive: bool,
                   lem: str) -> _VerbCase:
        """The parse facts of a verb trigger: its direct and indirect object, its 'by' agents in the passive,
        and its patient (the passive subject or the direct object); the agent fills `rc.actors`."""
        dobj = _first_child(v, ("dobj",))
        if dobj is None and _misparsed_past(v) and v.head.i > v.i and v.head.pos_ == "NOUN" and \
                subj is not None and subj.i < v.i:
            dobj = v.head  # "A ship unloaded armoured vehicles": a past verb the parser took for a modifier
        if dobj is None and _object_gap(v):
            dobj = v.head  # "the support they are getting from X": the modified noun is the object
        iobj = _first_child(v, ("dative", "iobj"), words("english", "nominal_pos"))
        c = _VerbCase(v, spec, rc, frame, subj, passive, lem, dobj, iobj, self._pobjs(v, {"by"}) if passive else [])
        if passive:
            self._passive_agents(c)
        else:
            self._active_agents(c)
        c.t = rc.type
        return c

    def _passive_agents(self, c: _VerbCase) -> None:
        """Passive voice: the 'by' phrase acts, the subject undergoes (also the subject of a participle
        clause, "weapons shipped ...")."""
        c.rc.actors = [a for p in c.agent_objs for a in self.actors_of(p, c.frame)]
        subj = c.subj
        c.patient = subj if subj is not None and subj.dep_ != "agent" else None
        if subj is not None and subj.dep_ in ("nsubj",) and c.v.dep_ in ("acl", "relcl"):
            c.patient = subj

    def _active_agents(self, c: _VerbCase) -> None:
        """Active voice: the subject acts (kept unresolved when no actor is known), the object undergoes."""
        c.rc.actors = self.actors_of(c.subj, c.frame) if c.subj is not None else []
        if not c.rc.actors and c.subj is not None:
            c.rc.actors = self._unresolved(c.subj)
        c.patient = c.dobj

    def _carrier_subject(self, c: _VerbCase) -> None:
        """A vehicle as the subject of a transfer carries the goods and is no party; its owner or flag
        supplies them, else the supplier is unnamed."""
        subj, rc = c.subj, c.rc
        if not (c.t == "AID" and subj is not None and not c.passive and lemma(subj) in CARRIER_NOUNS):
            return
        # "a (Turkish) cargo ship delivered weapons": the carrier is no party; its owner or flag supplies
        carrier, cs, ce = phrase_text(subj, self.pm.base, strip_det=True)
        owners = [a for x in subj.children if x.dep_ in words("events", "agent_actor.1") and x.i < subj.i
                  for a in self.actors_of(x, c.frame)]
        rc.actors = [a.model_copy(update={"text": carrier, "start": cs, "end": ce, "why": (
            f"{a.why}; the owner or flag of the carrier '{carrier}'" if a.why else None)}) for a in owners[:1]]
        rc.why["actors"] = (f"the owner or flag of the carrier '{carrier}'" if rc.actors else
                            f"'{carrier}' only carries the shipment; the supplier is not named")

    def _weapon_subject(self, c: _VerbCase) -> None:
        """A weapon (or a fire noun) as the agent of an attack is materiel; the weapon's owner acts."""
        if c.t != "ASSAULT":
            return
        rc = c.rc
        # "LNA aircraft struck the port", "was hit by Turkish drones": the weapon is materiel, its owner acts
        for w in (c.agent_objs if c.passive else [c.subj] if c.subj is not None else []):
            if self._weapon_head(w):
                rc.materiel.extend(self._materiel_under(w))
                owners = [a for x in w.children if x.dep_ in words("events", "agent_actor.1")
                          for a in self.actors_of(x, c.frame)]
                head = self.pm.base + w.idx
                rc.actors = owners + [a for a in rc.actors if not (
                    a.start is not None and a.start <= head < (a.end or a.start))]
                rc.why["actors"] = f"the owner of '{phrase_text(w)[0]}', the weapon that acts"
            elif w.pos_ == "NOUN" and (self._is_trigger_noun(w) or lemma(w) in FIRE_NOUNS):
                rc.materiel.extend(self._materiel_under(w))  # "mortar fire hit ...": the weapon used
                head = self.pm.base + w.idx
                rc.actors = [a for a in rc.actors if not (a.start is not None and a.start <= head < (a.end or a.start))]

    def _payment(self, c: _VerbCase) -> None:
        """A verb of paying: economic aid; what it pays 'for' (or, in the passive, what was paid for) is
        materiel, and then the payer funds a military transfer."""
        v, rc = c.v, c.rc
        rc.aid_type = "economic"
        rc.why["event"] = f"paying: '{phrase_text(v)[0]}'"
        spend = lemma(v) in words("events", "spend_verbs")
        for p in self._pobjs(v, {"for"}) + (self._spent_on(v) if spend else []):
            rc.materiel.extend(self._materiel_under(p))
        if spend and rc.materiel and rc.actors:
            rc.aid_type = "military"  # "spent $2 million on mercenaries": the spender funds what it pays for
            rc.funders = list(rc.actors)
            rc.why["funders"] = f"who spends the money ('{phrase_text(v)[0]}')"
        if c.passive and c.patient is not None:
            rc.materiel.extend(self._materiel_or_antecedent(c.patient, v, rc))
            rc.actors = rc.actors or self.funders_of(v, c.frame)
            if rc.materiel:
                rc.aid_type = "military"
                rc.funders = list(rc.actors)
                rc.why["funders"] = "money named with the payment ('with X funds')"

    def _materiel_subject(self, c: _VerbCase) -> bool:
        """A verb whose subject is the goods moved ("arrive", "come from"): the goods' owner, else the
        'from' phrase, supplies; 'to'/'for' receives. False without goods (or without the required 'from')."""
        v, rc, subj, frame = c.v, c.rc, c.subj, c.frame
        # "Turkish air defence systems will arrive": the materiel is the subject, its owner the supplier
        if subj is None:
            return False
        froms = self._pobjs(v, {"from"})
        if "fromreq" in c.spec.flags and not froms:
            return False  # "the missiles came from Iran", not "the missiles came"
        rc.materiel = self._materiel_or_antecedent(subj, v, rc)
        if not rc.materiel:
            return False
        rc.actors = [a for x in subj.children if x.dep_ in words("english", "prenominal_modifier_deps")
                     for a in self.actors_of(x, frame)]
        if not rc.actors:
            # "the weapons came from Iran", "drones arrived from Turkey": the state they came from supplies
            rc.actors = [a for p in froms for a in self.actors_of(p, frame)]
            if rc.actors:
                rc.why["actors"] = f"where the goods came from ('from {phrase_text(froms[0])[0]}')"
        rc.recipients = [a for p in self._pobjs(v, {"to", "for"}) for a in self.actors_of(p, frame)]
        rc.funders = self.funders_of(v, frame)
        rc.location = self._location(v, [], rc)
        return True

    # transfers (AID, and agreeing verbs of giving)
    def _transfer_goods(self, c: _VerbCase) -> None:
        """The object of a giving verb is the goods: an anaphoric object ("sent them") takes the sentence's
        previous materiel; a carrier object laden with goods ("sent ships laden with X") is not itself goods."""
        v, rc = c.v, c.rc
        for o in [x for x in (c.patient, c.dobj) if x is not None]:
            if o.lower_ in words("events", "materiel_or_antecedent.1"):
                prev = [m.materiel for m in self.pm.within([x for x in sent_of(v) if x.i < v.i], "materiel")]
                if prev:
                    rc.materiel.extend(prev[-1:])
                    rc.why["materiel"] = f"'{o.text}' refers back to '{prev[-1].text}'"
            elif o.i == v.head.i and _misparsed_past(v):
                # the goods the verb was misparsed as modifying: not the verb's own subtree (its subject)
                verb_part = {x.i for x in v.subtree}
                rc.materiel.extend(self.materiel_in([x for x in o.subtree if x.i not in verb_part]))
            else:
                rc.materiel.extend(self._materiel_under(o))
                if lemma(o) in CARRIER_NOUNS and any(x.dep_ in ("acl", "amod") and x.i > o.i and self._materiel_under(x)
                                                     for x in o.children):
                    # "sent several ships laden with explosives": the ships carry the goods
                    rc.materiel = _without_span_of(rc.materiel, o, self.pm.base)

    def _with_goods(self, c: _VerbCase) -> None:
        """'provide X with Y': the 'with' phrase (on the verb or on its object) names goods, unless money."""
        withs = self._pobjs(c.v, {"with"})
        if not withs and c.dobj is not None and not self.materiel_in([c.dobj]):
            withs = self._pobjs(c.dobj, {"with"})  # "provided the GNA with drones": hung on the object
        for w in withs:
            if lemma(w) not in MONEY_NOUNS:
                c.rc.materiel.extend(self._materiel_under(w))
        c.withs = withs

    def _transfer_receivers(self, c: _VerbCase) -> None:
        """The receiver of a transfer: its 'to'/'for'/'into' phrase and its indirect object."""
        c.to = self._pobjs(c.v, words("events", "receiver_preps"))
        if not c.to and c.dobj is not None:
            c.to = self._pobjs(c.dobj, {"to", "for"})  # "provided air support for the militia": hung on the goods
        c.rc.recipients = [a for p in c.to for a in self._target(p, c.frame)]
        if c.iobj is not None:
            c.rc.recipients += self.actors_of(c.iobj, c.frame)

    def _flown_aircraft(self, c: _VerbCase) -> None:
        """'fly' with no party to receive (only a place) moves the aircraft itself, which is not cargo."""
        if c.lem == "fly" and c.dobj is not None and not any(self.pm.at(p, "place") is None and self._target(p, c.frame)
                                                            for p in c.to):
            # "flew weapons to Benghazi", "flew 37 flights carrying weapons", "flew drones to the RSF": cargo;
            # "flew the jet to Cairo" with no party to receive it (only a place): the aircraft flown
            c.rc.materiel = _without_span_of(c.rc.materiel, c.dobj, self.pm.base, ("aircraft", "uav"))

    def _object_receiver(self, c: _VerbCase) -> None:
        """When the goods are in a 'with' phrase (or the verb takes its receiver as object), a direct object
        that is no materiel receives."""
        dobj = c.dobj
        if (c.lem in words("events", "verb_roles.5")
                or (c.withs and c.rc.materiel)) and dobj is not None and not self.materiel_in([dobj]):
            # "provided the GNA with drones": with the goods in a 'with' phrase, the object receives
            c.rc.recipients += self.actors_of(dobj, c.frame)

    def _financed_purchase(self, c: _VerbCase) -> None:
        """Verbs of financing: the passive agent funds; "finance the purchase of X for Y" makes the subject
        the funder, X the goods and Y the receiver."""
        if c.lem not in words("events", "verb_roles.1"):
            return
        rc, dobj = c.rc, c.dobj
        if c.passive and rc.actors:
            rc.funders = list(rc.actors)
        bought = dobj if dobj is not None and (lemma(dobj) in RECEIVE_NOUNS or dobj.lower_ in RECEIVE_NOUNS) \
            else None
        if bought is not None and not c.passive:
            # "Qatar will finance the purchase of Turkish drones for the GNA": Qatar pays, the GNA receives
            goods = self._pobjs(bought, {"of"})
            rc.materiel.extend(m for g in goods for m in self._materiel_under(g) if m not in rc.materiel)
            fors = self._pobjs(bought, {"for", "by"}) + [p for g in goods for p in self._pobjs(g, {"for"})]
            rc.recipients += [a for p in fors for a in self._target(p, c.frame)]
            rc.funders = list(rc.actors)
            rc.why["funders"] = f"'{c.v.text}' pays for the {bought.text}"
            if rc.recipients:
                rc.why["recipients"] = f"the {bought.text} is 'for' them"

    def _through_intermediaries(self, c: _VerbCase) -> None:
        """'through'/'via' X: a place is the route, an actor takes part in the transfer."""
        rc = c.rc
        for th in self._pobjs(c.v, {"through", "via"}):
            if self.pm.at(th, "place") is not None:
                # "flown in through Chad", "shipped via Egypt": a route, not a supplier
                rc.why["route"] = f"through {phrase_text(th)[0]}"
                continue
            extra = self.actors_of(th, c.frame)
            rc.actors += extra
            if extra:
                rc.why["actors"] = f"'through {phrase_text(th)[0]}'"

    def _transfer_funders(self, c: _VerbCase) -> None:
        """Money named with the transfer ('with X funds', 'funded by X') names its funders."""
        c.rc.funders += self.funders_of(c.v, c.frame)
        if c.rc.funders:
            c.rc.why["funders"] = "money named with the transfer ('with X funds', 'funded by X')"

    def _coordinated_payer(self, c: _VerbCase) -> None:
        """A coordinated clause about money with a subject of its own names a funder."""
        v, rc = c.v, c.rc
        # "X will send Y to Z and W will take care of funds": a coordinated paying clause
        siblings = [x for x in v.children if x.dep_ == "conj"]
        if v.dep_ == "conj":
            siblings.append(v.head)
        if v.dep_ in ("ccomp", "xcomp") and v.head.i != v.i:
            siblings += [x for x in v.head.children if x.dep_ == "conj"]
        for cand in siblings:
            if cand.pos_ == "VERB" and any(lemma(x) in MONEY_NOUNS or x.lower_ in MONEY_NOUNS
                                           for x in cand.subtree if x.i > cand.i):
                s2, _ = self.subject_of(cand)
                if s2 is not None and (c.subj is None or s2.i != c.subj.i):
                    rc.funders += self.actors_of(s2, c.frame)
                    rc.why["funders"] = f"coordinated clause '{phrase_text(cand)[0]}'"

    def _personnel(self, c: _VerbCase) -> None:
        """A transfer of people ("send troops") with no materiel is personnel aid."""
        patient = c.patient
        if patient is not None and not c.rc.materiel and patient.pos_ in ("NOUN", "PROPN"):
            # "send troops": personnel
            if lemma(patient) in PERSONNEL_NOUNS or patient.lower_ in PERSONNEL_NOUNS:
                c.rc.why["aid_type"] = "personnel"

    def _receiving_verb(self, c: _VerbCase) -> None:
        """A transfer named from the receiving end ("bought", "imported from"): the subject receives, the
        'from' phrase (on the verb or on the goods) gives."""
        v, rc, dobj = c.v, c.rc, c.dobj
        if not (c.lem in RECEIVE_VERBS or (c.lem == "import" and self._pobjs(v, {"from"}))):
            return
        # the subject (or the passive's agent) receives; the giver is "from X"
        receivers = [a for a in rc.actors if a not in rc.funders]
        rc.actors = [a for p in self._pobjs(v, {"from"}) for a in self.actors_of(p, c.frame)]
        if not rc.actors and dobj is not None:  # "received 20 jets from Egypt": hung on the goods
            rc.actors = [a for p in self._pobjs(dobj, {"from"}) for a in self.actors_of(p, c.frame)]
        rc.recipients = _dedupe(receivers + [a for a in rc.recipients if a not in receivers])
        rc.why["recipients"] = f"'{v.text}' names the receiving side as its subject"
        if rc.actors:
            rc.why["actors"] = "the side it comes 'from'"

    def _goods_origin(self, c: _VerbCase) -> None:
        """A transfer with no supplier named as its agent: the goods' own 'from' phrase gives ("weapons from
        Belarus and Iran were imported into Chad"; on any conjunct of the goods)."""
        if c.rc.actors or c.patient is None or not c.rc.materiel:
            return
        goods = [c.patient] + [x for x in c.patient.conjuncts]
        froms = [p for g in goods for p in self._pobjs(g, {"from"})]
        c.rc.actors = _dedupe([a for p in froms for a in self.actors_of(p, c.frame)])
        if c.rc.actors:
            c.rc.why["actors"] = f"where the goods come from ('from {phrase_text(froms[0])[0]}')"
            return
        # "smuggled shipments of Turkish rifles": the state the weapons are named after supplies them
        owners = [x for g in goods for w in g.subtree if self._weapon_head(w) for x in w.children
                  if x.dep_ in ("amod", "compound") and x.i < w.i]
        c.rc.actors = _dedupe([a for x in owners for a in self.actors_of(x, c.frame) if a.kind == "state"])
        if c.rc.actors:
            c.rc.why["actors"] = f"the goods are named after their supplier ('{owners[0].text}')"

    def _transfer_location(self, c: _VerbCase) -> None:
        """Where a transfer happens: the verb's locative phrases, then its 'to' phrases."""
        c.rc.location = self._location(c.v, c.to, c.rc)

    # attacks
    def _assault_targets(self, c: _VerbCase) -> None:
        """The target of an attack: the passive subject or the direct object (unless a weapon), then its
        'on'/'against'/'at' phrases."""
        v, rc = c.v, c.rc
        if c.passive:
            rc.recipients = self.actors_of(c.patient, c.frame) if c.patient is not None else []
        else:
            rc.recipients = self.actors_of(c.dobj, c.frame) if c.dobj is not None else []
        target = c.patient if c.passive else c.dobj
        if not rc.recipients and target is not None and not self._weapon_head(target):
            rc.recipients = self._target(target, c.frame) or self._unresolved(target)
            rc.recipients += [a for p in self._pobjs(v, words("events", "attack_target_preps")) for a in self.actors_of(p, c.frame)]

    def _assault_instruments(self, c: _VerbCase) -> None:
        """The instrument phrase of an attack ('with', 'using', and in the active voice 'by') is materiel."""
        v = c.v
        for w in self._pobjs(v, words("events", "instrument_preps")) if not c.passive else self._pobjs(v, {"with", "using"}):
            c.rc.materiel.extend(self._materiel_under(w))

    def _downed_weapon(self, c: _VerbCase) -> None:
        """A weapon as the object of a verb of downing is materiel, and its owner is hit."""
        dobj, rc = c.dobj, c.rc
        if dobj is not None and c.lem in words("events", "verb_roles.6") and \
                self._weapon_head(dobj):
            rc.materiel.extend(self._materiel_under(dobj))
            if not rc.recipients:
                # "shot down a Turkish drone": the drone's owner is hit
                rc.recipients = [a for x in dobj.children if x.dep_ in words("events", "agent_actor.1")
                                 and x.i < dobj.i for a in self.actors_of(x, c.frame)]
                if rc.recipients:
                    rc.why["recipients"] = f"the owner of '{phrase_text(dobj)[0]}'"

    def _destroyed_in_passing(self, c: _VerbCase) -> None:
        """A participle clause of destroying attached to an attack names what the attack destroyed."""
        rc = c.rc
        for x in c.v.children:
            # "targeted a convoy near Sirte, destroying three armoured vehicles": what the attack destroyed
            if x.dep_ in ("advcl", "conj") and x.tag_ == "VBG" and lemma(x) in words("events", "verb_roles.7"):
                for o in x.children:
                    if o.dep_ == "dobj" and self._weapon_head(o):
                        rc.materiel.extend(m for m in self._materiel_under(o) if m not in rc.materiel)
                        rc.why["materiel"] = f"what '{x.text}' names"

    def _assault_location(self, c: _VerbCase) -> None:
        """Where an attack happens: the verb's locative phrases, then those of its object or patient."""
        c.rc.location = self._location(c.v, [x for x in (c.dobj, c.patient) if x is not None], c.rc)

    # meetings
    def _consult_partners(self, c: _VerbCase) -> None:
        """The other party of a meeting: 'with' X, or the object of a verb that takes its partner as object."""
        c.rc.recipients = [a for p in self._pobjs(c.v, {"with"}) for a in self.actors_of(p, c.frame)]
        partner = c.patient if c.passive else c.dobj  # "X was received by Y": X is Y's partner
        if partner is not None and c.lem in words("events", "verb_roles.8"):
            c.rc.recipients += self.actors_of(partner, c.frame)

    def _plain_location(self, c: _VerbCase) -> None:
        """Where the event happens: the verb's own locative phrases."""
        c.rc.location = self._location(c.v, [], c.rc)

    # every other type
    def _object_target(self, c: _VerbCase) -> None:
        """The direct object is the target; a weapon (or fighters) deployed is materiel instead."""
        dobj, rc = c.dobj, c.rc
        if dobj is not None and c.t == "MOBILIZE" and self._weapon_head(dobj):
            # "deployed Syrian mercenaries / air defences to Tripoli": what is deployed, not whom it targets
            rc.materiel.extend(self._materiel_under(dobj))
            rc.why["materiel"] = f"what '{c.v.text}' deploys"
        elif dobj is not None:
            rc.recipients = self._target(dobj, c.frame)

    def _border_crossers(self, c: _VerbCase) -> None:
        """Fighters who cross a border are what moves (materiel of the mobilization)."""
        if c.t == "MOBILIZE" and "borderobj" in c.spec.flags and c.subj is not None and not c.passive:
            # "Sudanese fighters crossed the border into Libya": foreign fighters are what moves (mercenaries
            # when the text calls them so or names their nationality)
            c.rc.materiel.extend(self._materiel_under(c.subj))

    def _joined_side(self, c: _VerbCase) -> None:
        """A mobilization's purpose clause of joining names the side the forces go to."""
        if c.t != "MOBILIZE":
            return
        rc = c.rc
        # "... to join Haftar's forces", "to reinforce the GNA": the side they go to
        for x in c.v.children:
            if x.dep_ in ("advcl", "xcomp") and lemma(x) in JOIN_VERBS and any(
                    a.dep_ == "aux" and a.lower_ == "to" for a in x.children):
                side = next((y for y in x.children if y.dep_ == "dobj"), None)
                joined = self.actors_of(side, c.frame) if side is not None else []
                if joined:
                    rc.recipients += joined
                    rc.why["recipients"] = f"the side they go to '{x.text}' ({phrase_text(side)[0]})"

    def _passive_patient(self, c: _VerbCase) -> None:
        """The passive subject: the agent of types whose passive keeps it ("were demobilized"), else the one
        the event is done to ("was accused of")."""
        patient, rc = c.patient, c.rc
        if c.passive and patient is not None and not rc.actors and c.t in words("events", "verb_roles.9"):
            rc.actors = self.actors_of(patient, c.frame) or self._unresolved(patient)  # "were demobilized"
        elif c.passive and patient is not None and not rc.recipients:
            rc.recipients = self.actors_of(patient, c.frame) or self._unresolved(patient)  # "was accused of"

    def _threat_condition(self, c: _VerbCase) -> None:
        """A threat is aimed at the subject of its condition clause ('if'/'unless')."""
        rc = c.rc
        if c.t != "THREATEN" or rc.recipients:
            return
        # "If Turkey sends troops, Egypt will intervene, Sisi warned": the threat is aimed at the one whose
        # act is the condition
        for x in c.v.subtree:
            if x.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in x.children):
                s2, _ = self.subject_of(x)
                if s2 is not None:
                    rc.recipients = self.actors_of(s2, c.frame)
                    if rc.recipients:
                        rc.why["recipients"] = f"the subject of the condition '{phrase_text(x)[0][:60]}'"
                        break

    def _request_addressee(self, c: _VerbCase) -> None:
        """A demand's addressee is the subject of its content clause ("demanded that X end ...")."""
        rc = c.rc
        if c.t != "REQUEST" or rc.recipients:
            return
        for x in c.v.children:  # "demanded that the government end ...": the one asked
            if x.dep_ == "ccomp":
                s2, _ = self.subject_of(x)
                if s2 is not None:
                    rc.recipients = self.actors_of(s2, c.frame) or self._unresolved(s2)

    def _prep_targets(self, c: _VerbCase) -> None:
        """The verb's 'to'/'against'/'on'/'with'/'from'/'of' phrases name further targets."""
        c.rc.recipients += [a for p in self._pobjs(c.v, words("events", "further_target_preps"))
                            for a in self._target(p, c.frame)]

    def _measure_materiel(self, c: _VerbCase) -> None:
        """The object of a sanction or coercion (what is banned, seized) is materiel."""
        if c.t == "SANCTION" or c.t == "COERCE":
            c.rc.materiel.extend(self._materiel_under(c.dobj) if c.dobj is not None else [])

    def _seized_cargo(self, c: _VerbCase) -> None:
        """A seizure of a carrier: its cargo is what is seized, and those it was bound for lose it."""
        if not (c.t == "COERCE" and c.lem in words("events", "verb_roles.10")):
            return
        v, rc = c.v, c.rc
        # "seized a dhow carrying missile components bound for the Houthis": the cargo is what is seized,
        # and those it was bound for lose it
        carried = [o for x in v.subtree if x.dep_ in ("advcl", "acl") and lemma(x) in CARRY_VERBS
                   for o in x.children if o.dep_ == "dobj"]
        rc.materiel.extend(m for o in carried for m in self._materiel_under(o) if m not in rc.materiel)
        bound = [p for x in v.subtree if x.lower_ == "bound" and x.dep_ in words("events", "verb_roles.11")
                 for p in self._pobjs(x, {"for"})]
        for_whom = [a for p in bound for a in self.actors_of(p, c.frame)]
        if for_whom and not rc.recipients:
            rc.recipients = for_whom
            rc.why["recipients"] = f"what was seized was bound for {phrase_text(bound[0])[0]}"

    def _measure_target(self, c: _VerbCase) -> None:
        """A measure imposed or lifted 'on'/'against' X: the measure is what is imposed, X its target."""
        dobj, rc = c.dobj, c.rc
        if c.t not in ("SANCTION", "CONCEDE") or dobj is None:
            return
        on = [a for p in self._pobjs(dobj, {"on", "against"}) for a in self._target(p, c.frame)]
        measure = lemma(dobj) in SANCTION_NOUNS or dobj.lower_.removesuffix("s") in SANCTION_NOUNS
        if on and measure:
            # "imposed an arms embargo on Libya", "lifted its sanctions against Belarus": the measure is
            # what is imposed or lifted, the 'on/against' phrase its target
            head = self.pm.base + dobj.idx
            rc.recipients = [a for a in rc.recipients
                             if not (a.start is not None and a.start <= head < (a.end or a.start))]
            rc.why["recipients"] = f"the 'on/against' phrase of '{dobj.text}'"
        if c.t == "SANCTION" or measure:
            rc.recipients += on

    def _object_participants(self, c: _VerbCase) -> None:
        """With no target yet, the parties named in the object's 'between'/'among'/'of' phrase."""
        if c.dobj is not None and not c.rc.recipients:
            # "monitored conversations between A and B": the participants
            c.rc.recipients = [a for p in self._pobjs(c.dobj, words("events", "participant_preps"))
                               for a in self.actors_of(p, c.frame)]

    # -- roles of a noun trigger: shared parse facts, then the steps of the event's family --------------
    def _noun_roles(self, n: Any, spec: Trigger, rc: RawClaim, frame: Frame | None) -> bool:
        """Roles of a noun trigger: the parse facts every step shares (compound owner, 'of'/'by'/'between'/
        'with' phrases), the steps of the event's family (`_NOUN_FAMILIES`), then the clause it serves, its
        governing verb, its place and its weapons. False when the noun turns out to name no event."""
        if "resolution" in spec.flags:
            return self._resolution(n, rc, frame)
        if "phonecall" in spec.flags and not any(lemma(c) in ("phone", "telephone") for c in n.children):
            return False
        if "outcome" in spec.flags:
            return self._battle_outcome(n, spec, rc, frame)
        if "agentnoun" in spec.flags:
            return self._agent_noun(n, rc, frame)
        if "vesselobj" in spec.flags and not any(_vessel(o) for o in self._pobjs(n, {"of"}) + [
                c for c in n.children if c.dep_ == "appos"]):
            return False  # "an inspection of the MV Star", not "a weapons inspection" of a site
        self._military_support(n, spec, rc)
        c = self._noun_case(n, rc, frame)
        for applies, steps in _NOUN_FAMILIES:
            if applies(c):
                for step in steps:
                    step(self, c)
                break
        self._helped_clause(c)
        self._accused_in_clause(c)
        self._gotten_from(c)
        self._noun_governor(c)
        self._noun_location(c)
        self._noun_instruments(c)
        return True

    def _agent_noun(self, n: Any, rc: RawClaim, frame: Frame | None) -> bool:
        """A noun naming who does the act ("sponsor", "supplier"), said of a subject ("X is a sponsor of Y")
        or an apposition ("X, the main backer of Y"): that one acts; 'of'/'to' names the other side. False
        when nothing registered holds the noun."""
        if n.dep_ == "attr" and n.head.pos_ in ("AUX", "VERB"):
            holder = self.subject_of(n.head)[0]
        elif n.dep_ == "appos":
            holder = n.head
        else:
            return False
        rc.actors = self.actors_of(holder, frame) if holder is not None else []
        if not rc.actors:
            return False
        rc.recipients = [a for p in self._pobjs(n, set(words("events", "agent_noun.1"))) for a in self.actors_of(p, frame)]
        rc.why["actors"] = f"'{holder.text}' is the {n.text}"
        if rc.type == "AID":
            rc.materiel = self._materiel_under(n)
        return True

    def _battle_outcome(self, n: Any, spec: Trigger, rc: RawClaim, frame: Frame | None) -> bool:
        """A battle's outcome as the object of a verb ("claimed a victory over X", "suffered a setback"): the
        fighting, with the verb's subject as the winner, or (for a loss it did not inflict) as the side that
        lost; the other side is after 'over'/'on'/'against'. False without a governing verb with a subject."""
        gov = self._governing_verb(n)
        subj = self.subject_of(gov)[0] if gov is not None else None
        if subj is None:
            return False
        c = self._noun_case(n, rc, frame)
        side = self.actors_of(subj, frame) or self._unresolved(subj)
        preps = words("events", "outcome_preps")  # ("a defeat on X" or "inflicted on X a defeat")
        other = [a for p in self._pobjs(n, preps) + self._pobjs(gov, preps) for a in self._target(p, frame)]
        if "armedside" in spec.flags and not any(a.sector in ARMED_SECTORS or a.kind in ("state", "armed_group")
                                                 for a in side + other):
            return False  # "the company reported losses": no fighting
        if "undergone" in spec.flags and lemma(gov) not in words("events", "inflict_verbs"):
            rc.actors, rc.recipients = other, side
            rc.why["recipients"] = f"subject of '{gov.text}': the side that lost"
        else:
            rc.actors, rc.recipients = side, other
            rc.why["actors"] = f"subject of '{gov.text}': the side that won"
        self._noun_location(c)
        return True

    def _resolution(self, n: Any, rc: RawClaim, frame: Frame | None) -> bool:
        """A resolution noun as the object of a verb of adopting: an intergovernmental subject acts on the
        first state the resolution names; the trigger spans verb and noun. False otherwise."""
        gov = n.head if n.dep_ in ("dobj", "nsubjpass") else None
        if gov is None or lemma(gov) not in words("events", "noun_roles.3"):
            return False
        subj, _ = self.subject_of(gov)
        rc.actors = self.actors_of(subj, frame) if subj is not None else []
        if not any(a.kind == "igo" or (a.id or "").startswith("igo/") for a in rc.actors):
            return False
        rc.recipients = self._first_state_in(n)
        rc.trigger_text = f"{gov.text} {n.text}"
        rc.trigger_start = self.pm.base + gov.idx
        rc.trigger_end = self.pm.base + n.idx + len(n)
        rc.location = None
        return bool(rc.recipients)

    @staticmethod
    def _military_support(n: Any, spec: Trigger, rc: RawClaim) -> None:
        """A support noun with a military modifier, or in 'with the help of', is aid."""
        if n.lower_ in words("events", "noun_roles.1") and spec.type in ("SUPPORT", "AID"):
            # "military support" / "with the help of X" are aid; bare political support stays SUPPORT
            if any(c.lower_ in words("events", "noun_roles.4") for c in n.children) or (
                    n.dep_ == "pobj" and n.head.lower_ == "with"):
                rc.type, rc.cameo = "AID", "070"

    def _noun_case(self, n: Any, rc: RawClaim, frame: Frame | None) -> _NounCase:
        """The parse facts of a noun trigger. Its compound owner and 'by' phrase act ("Turkish strikes",
        "strikes by X"), except for a noun of buying, where they buy."""
        lo = n.lower_
        lem = lemma(n)
        compound_actors = []
        for x in n.children:
            if x.dep_ in words("events", "agent_actor.1"):
                compound_actors += self.actors_of(x, frame)
        c = _NounCase(n, rc, frame, lem, lo, rc.type, self._pobjs(n, {"of"}), self._pobjs(n, {"by"}), self._between(n),
                      self._pobjs(n, {"with"}), lem in PATIENT_NOUNS or lo in PATIENT_NOUNS)
        rc.actors = list(compound_actors) + [a for p in c.by_objs for a in self.actors_of(p, frame)]
        if c.t == "AID" and (lem in RECEIVE_NOUNS or lo in RECEIVE_NOUNS):
            # "American oil purchases from Saudi Arabia": the owner buys, "from X" sells
            # ("purchases by the GNA": the by-agent of a purchase buys too)
            c.buyers = list(compound_actors) + [a for p in c.by_objs for a in self.actors_of(p, frame)]
            rc.actors = []
        return c

    def _consult_noun_parties(self, c: _NounCase) -> None:
        """A meeting noun: 'between' and 'of' phrases take part, 'with' names the other side; with several
        participants and no 'with', the first meets the others. A phone word makes it a phone call."""
        rc, n, frame = c.rc, c.n, c.frame
        rc.actors += [a for p in c.between for a in self.actors_of(p, frame)]
        rc.actors += [a for p in c.of_objs for a in self.actors_of(p, frame)]
        rc.recipients = [a for p in c.with_objs for a in self.actors_of(p, frame)]
        if not rc.recipients and len(rc.actors) > 1:
            rc.recipients = rc.actors[1:]
            rc.actors = rc.actors[:1]
            rc.why["recipients"] = "reciprocal: the other participants"
        if "phone" in {lemma(x) for x in n.children} or "telephone" in {lemma(x) for x in n.children}:
            rc.mode = "phone"
            rc.cameo = "041"

    def _clash_sides(self, c: _NounCase) -> None:
        """A reciprocal attack noun with 'between A and B': each side acts against the other (a place in a
        locative phrase inside it is no side)."""
        rc = c.rc
        # "clashes between the army and the rebels": both sides act, each against the other
        # (not a place in a locative phrase: "rival militias in Tripoli")
        doc = self.pm.doc
        sides = _dedupe([m.actor for p in c.between for m in _ments_under(self.pm, p, "actor")
                         if m.actor is not None and not (doc[m.tok_end - 1].head.lower_ in LOC_PREPS and
                                                         self.pm.at(doc[m.tok_end - 1], "place") is not None)]
                        or [a for p in c.between for a in self._unresolved(p)])
        rc.actors = rc.actors or sides[:1]
        rc.recipients = sides[1:]
        rc.why["recipients"] = "reciprocal: the other side named with 'between'"

    def _noun_victims(self, c: _NounCase) -> None:
        """A noun whose 'of' phrase undergoes the event ("the killing of X"): the 'of' actors, else its goods,
        and the 'on'/'against' phrase, are the targets."""
        rc = c.rc
        targets = [a for p in c.of_objs for a in self.actors_of(p, c.frame)]
        rc.recipients = targets
        if not targets:
            for p in c.of_objs:
                rc.materiel.extend(self._materiel_under(p))
        rc.recipients += [a for p in self._pobjs(c.n, {"on", "against"}) for a in self.actors_of(p, c.frame)]

    def _of_agent(self, c: _NounCase) -> None:
        """Without an owner or 'by' agent, the 'of' phrase acts ("the intervention of X")."""
        if not c.rc.actors:
            c.rc.actors = [a for p in c.of_objs for a in self.actors_of(p, c.frame)]

    def _transfer_noun_parties(self, c: _NounCase) -> None:
        """A transfer noun: 'of' names goods, 'to'/'for' (and the buyers) receive, 'from' gives; for a noun
        of buying the seller may hang on the goods."""
        rc, n, frame = c.rc, c.n, c.frame
        for p in c.of_objs:
            rc.materiel.extend(self._materiel_under(p))
        rc.recipients = c.buyers + [a for p in self._pobjs(n, {"to", "for"}) for a in self.actors_of(p, frame)]
        rc.actors += [a for p in self._pobjs(n, {"from"}) for a in self.actors_of(p, frame)]
        if not rc.actors and (c.lem in RECEIVE_NOUNS or c.lo in RECEIVE_NOUNS):
            # "the purchase of 24 jets from France": the parser hangs the seller on the goods
            rc.actors = [a for o in c.of_objs for p in self._pobjs(o, {"from"}) for a in self.actors_of(p, frame)]

    def _noun_targets(self, c: _NounCase) -> None:
        """Any other event noun: its 'on'/'against'/'to'/'with' phrases name the target."""
        # (for a protest an unregistered phrase counts when it names a state or an agent, as a verb's object
        # does: "riots against the Kenyan government's new rules")
        read = self._target if c.t in words("events", "policy_target_types") else self.actors_of
        c.rc.recipients = [a for p in self._pobjs(c.n, words("events", "event_noun_target_preps"))
                           for a in read(p, c.frame)]
        if not c.rc.recipients and c.n.dep_ == "dobj":
            # "held protests in the capital against X": the parser hangs the noun's target on its light verb
            c.rc.recipients = [a for p in self._pobjs(c.n.head, words("events", "light_verb_target_preps"))
                               for a in read(p, c.frame)]

    def _helped_clause(self, c: _NounCase) -> None:
        """'with the help of X' inside a clause: the clause's agents are helped."""
        rc, n = c.rc, c.n
        if c.t == "AID" and n.dep_ == "pobj" and n.head.lower_ == "with" and not rc.recipients:
            # "... planning a strike with the help of X": the helped are the ones acting in the clause
            rc.recipients = self._clause_agent(n.head, c.frame)
            if rc.recipients:
                rc.why["recipients"] = "the agents of the clause the help serves"

    def _gotten_from(self, c: _NounCase) -> None:
        """Support or aid described by a relative clause of getting ("support they are getting from X"):
        X gives it, the clause's subject gets it."""
        rc, n = c.rc, c.n
        if c.t not in ("SUPPORT", "AID") or rc.actors:
            return
        for v in n.children:
            if v.dep_ in words("events", "gotten_from.1") and lemma(v) in GET_AID_VERBS:
                givers = [a for p in self._pobjs(v, {"from"}) for a in self.actors_of(p, c.frame)]
                if givers:
                    subj, _ = self.subject_of(v)
                    rc.actors = givers
                    rc.recipients = rc.recipients or (self.actors_of(subj, c.frame) if subj is not None
                                                      and subj.lower_ not in RELATIVE_PRONOUNS else [])
                    rc.why["actors"] = f"'from' phrase of '{v.text}', the clause describing '{n.text}'"
                return

    def _accused_in_clause(self, c: _NounCase) -> None:
        """An accusation noun with its 'that' clause ("accusations that X armed the rebels"): X is accused."""
        rc, n = c.rc, c.n
        if c.t != "ACCUSE" or rc.recipients:
            return
        for v in n.children:
            if v.dep_ in ("acl", "ccomp") and self._content_clause(v):
                subj, passive = self.subject_of(v)
                if subj is not None and not passive:
                    rc.recipients = self.actors_of(subj, c.frame)
                    rc.why["recipients"] = f"subject of the clause '{n.text}' states: the accused"
                return

    def _noun_governor(self, c: _NounCase) -> None:
        """The verb governing the noun: its subject buys a purchase or acts an event with no agent yet; a
        subjectless verb of planning lends its clause's agent."""
        rc, n, frame = c.rc, c.n, c.frame
        receive_noun = c.t == "AID" and (c.lem in RECEIVE_NOUNS or c.lo in RECEIVE_NOUNS)
        # (a purchase "from X" has its seller; the buyer is still the subject: "Egypt completed the purchase")
        gov = self._governing_verb(n) if not rc.actors or (receive_noun and not rc.recipients) else None
        if gov is None:
            return
        subj, passive = self.subject_of(gov)
        active = subj is not None and (not passive or lemma(gov) in ("engage", "involve"))
        if active and receive_noun:
            if not rc.recipients:
                rc.recipients = self.actors_of(subj, frame) or self._unresolved(subj)
                rc.why["recipients"] = f"subject of '{gov.text}' ({n.text} is its object): the buyer"
        elif active and not rc.actors:
            rc.actors = self.actors_of(subj, frame) or self._unresolved(subj)
            rc.why["actors"] = f"subject of '{gov.text}' ({n.text} is its object)"
        elif subj is None and not rc.actors and lemma(gov) in ("plan", "prepare"):
            rc.actors = self._clause_agent(gov, frame)

    def _noun_location(self, c: _NounCase) -> None:
        """The noun's locative phrases, else (for a noun in certain relations to a verb) the verb's."""
        rc, n = c.rc, c.n
        rc.location = self._location(n, [], rc)
        if rc.location is None and n.dep_ in words("events", "noun_roles.2"):
            rc.location = self._location(n.head, [], rc) if n.head.pos_ == "VERB" else None

    def _noun_instruments(self, c: _NounCase) -> None:
        """An attack noun's instrument phrase and weapon modifier ("a drone strike") are materiel."""
        if c.t != "ASSAULT":
            return
        rc, n = c.rc, c.n
        for p in self._pobjs(n, words("events", "instrument_preps")):
            rc.materiel.extend(self._materiel_under(p))
        # "a drone strike", "the missile attack", "mortar fire": the weapon names the attack (and keeps an attack
        # whose parties are not named: MUC-4 incidents gained more than PLOVER lost)
        rc.materiel.extend(m for x in n.children if x.dep_ in ("compound", "amod") and x.i < n.i
                           for m in self._materiel_under(x))

    def _is_trigger_noun(self, n: Any) -> bool:
        return (self.trig.nouns.get(n.lower_) or self.trig.nouns.get(lemma(n))) is not None

    def _argument_of_event(self, n: Any) -> bool:
        """A nominal trigger that is the object of an event verb ("imposed an embargo", "lifted the curfew",
        "conceded to demands", "suspended aid deliveries") is that event's argument, not a second event."""
        head = n.head
        if n.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in words("events", "argument_of_event.1"):
            head = head.head
        elif n.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in words("events", "argument_of_event.2") and \
                self.trig.verbs.get(lemma(head.head)) is not None and \
                self.trig.verbs[lemma(head.head)].type in words("events", "argument_of_event.3"):
            return True  # "blamed Israel for the bombing": what the accusation is about
        elif n.dep_ not in ("dobj", "nsubjpass"):
            return False
        if head.pos_ != "VERB" or head.i == n.i:
            return False
        spec = self.trig.verbs.get(lemma(head))
        return spec is not None and lemma(head) not in LIGHT_VERBS

    def _object_ok(self, v: Any, spec: Trigger) -> bool:
        """Verbs that are events only with a certain kind of object ("cut ties", "share intelligence",
        "strengthen its forces", "ordered X to ...", "denied the request")."""
        obj = _first_child(v, ("dobj", "nsubjpass"))
        if "borderobj" in spec.flags and not (
                (obj is not None and {lemma(obj), obj.lower_} & BORDER_NOUNS)
                or any(c.dep_ == "prep" and c.lower_ == "into" for c in v.children)):
            return False  # "crossed the border", "crossed into Libya"; not "crossed the road"
        for flag, nouns in OBJECT_CLASSES.items():
            if flag in spec.flags:
                if obj is None:
                    return False
                named = {lemma(obj), obj.lower_} | {lemma(c) for c in obj.children if c.dep_ in ("compound", "amod")}
                if not named & nouns:
                    return False
        if ("orderobj" in spec.flags or "xcompobj" in spec.flags) and not any(
                c.dep_ in ("xcomp", "ccomp") for c in v.children):
            return False
        if "nominalobj" in spec.flags and (obj is None or any(c.dep_ == "ccomp" for c in v.children)):
            return False
        if "proxyobj" in spec.flags and not self._armed_proxy(obj):
            return False
        if "vesselobj" in spec.flags and not _vessel(obj):
            return False
        return True

    def _armed_proxy(self, obj: Any | None) -> bool:
        """An armed group, militia or mercenaries as an object ("used militias", "employs the X Group"); a
        state or its army is no proxy."""
        if obj is None:
            return False
        named = {lemma(obj), obj.lower_} | {lemma(c) for c in obj.children if c.dep_ in ("compound", "amod")}
        if named & words("events", "proxy_nouns"):
            return True
        m = self.pm.at(obj, "actor")
        return m is not None and m.actor is not None and m.actor.kind != "state" and (
            m.actor.kind == "armed_group" or m.actor.sector in ARMED_SECTORS)

    def _target(self, tok: Any | None, frame: Frame | None) -> list[Actor]:
        """Actors of an object/target phrase; an unregistered phrase counts only when it names a state or an
        agent ("Palestinian detainees", "two British soldiers")."""
        if tok is None:
            return []
        acts = self.actors_of(tok, frame)
        if acts:
            return acts
        # "denounced the minister's refusal to act", "condemned X's treatment of Y": a possessor the
        # registry knows is the party of a phrase that names none itself
        acts = [a for c in tok.children if c.dep_ == "poss" for a in self.actors_of(c, frame) if a.country]
        if acts:
            return acts
        acts = self._unresolved(tok)
        return [a for a in acts if a.country or a.sector]

    @staticmethod
    def _existing_measure(tok: Any) -> bool:
        """A sanction noun that names a measure already in place rather than imposing one: the object of a
        verb or noun of keeping or breaking it ("fully respects the embargo", "violated the arms embargo",
        "a breach of the embargo")."""
        h = tok.head
        if tok.dep_ in ("dobj", "nsubjpass") and lemma(h) in MEASURE_VERBS:
            return True
        return tok.dep_ == "pobj" and h.lower_ == "of" and lemma(h.head) in MEASURE_NOUNS

    def _delivered_at(self, tok: Any, rc: RawClaim) -> bool:
        """A participant-less transfer worth keeping: a verb whose goods are materiel (weapons, vehicles,
        mercenaries; not money or aid in general) brought to a place named in the verb's own phrase ("at the
        port of Benghazi", "to Misrata"), or named as its object. Sets the location when found."""
        if tok.pos_ == "NOUN" and rc.materiel:
            return self._goods_brought_into(tok, rc)
        if tok.pos_ != "VERB" or not rc.materiel:
            return False
        if rc.location is None:
            # (the parser hangs the place on the goods, "unloaded ammunition at the port", or makes the verb
            # the goods' modifier)
            heads = [tok] + [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")] + (
                [tok.head] if _misparsed_past(tok) else [])
            for p in [p for h in heads for p in self._pobjs(h, words("events", "arrival_place_preps"))]:
                pl = next((m for m in _ments_under(self.pm, p, "place") if m.place is not None), None)
                if pl is not None and pl.place is not None:
                    rc.location = pl.place
                    rc.why["location"] = f"where the shipment was brought ('{phrase_text(p)[0]}')"
                    break
        if rc.location is not None and rc.location.country is not None:
            return True
        # no place, no party, but the verb's own goods are weapons ("dozens of tanks have been delivered"): a
        # transfer worth recording with its supplier unknown
        goods = [x for c in tok.children if c.dep_ in _engine().sx["goods_deps"] for x in c.subtree]
        return bool(self.materiel_in(goods))

    def _goods_brought_into(self, n: Any, rc: RawClaim) -> bool:
        """A participant-less transfer noun worth keeping: weapons (its 'of' phrase) brought 'into' somewhere
        ("the flow of rifles into the region"), or 'to' a named place ("shipments of mortars to Mali")."""
        for p in self._pobjs(n, {"into", "to"}):
            pl = next((m.place for m in _ments_under(self.pm, p, "place") if m.place is not None), None)
            if pl is not None and rc.location is None:
                rc.location = pl
                rc.why["location"] = f"where the goods were brought ('{phrase_text(p)[0]}')"
            if p.head.lower_ == "into" or (pl is not None and pl.country is not None):
                return True
        return False

    def _unresolved(self, tok: Any) -> list[Actor]:
        """A subject no registry knows ("Druze inhabitants of the Golan"): kept as an unresolved actor so
        the event is still recorded; id and country stay null."""
        if tok.lower_ in NO_ACTOR_WORDS or tok.pos_ not in ("NOUN", "PROPN") or tok.lower_ in self.cs["first_person"]:
            return []
        if tok.dep_ == "nsubj" and (lemma(tok) in SHIPMENT_NOUNS or tok.lower_ in SHIPMENT_NOUNS):
            return []  # "the shipments would violate the embargo": goods and their movements act for no one
        if tok.pos_ == "NOUN" and tok.dep_ in ("nsubj", "nsubjpass") and self._is_trigger_noun(tok) and \
                self.trig.nouns.get(tok.lower_, self.trig.nouns.get(lemma(tok))).type in ("ASSAULT", "COERCE"):
            # "a drone strike ... killed 53 people": the attack is the event, not who did it; its owner did it
            # ("Israeli air raids killed ...", "the army's shelling hit ...", "an attack by rebels")
            owners = [a for c in tok.children if c.dep_ in words("events", "agent_actor.1") and c.i < tok.i
                      for a in self.actors_of(c)] + [a for p in self._pobjs(tok, {"by"}) for a in self.actors_of(p)]
            state = self._phrase_state(tok) if not owners else None
            return owners or ([state] if state is not None and state.start is not None else [])
        if tok.pos_ == "NOUN" and tok.dep_ == "nsubj" and lemma(tok) in PURPOSE_NOUNS:
            # "the primary goal (of X) is to provide aid", "his priority was to tackle trafficking": the one whose
            # goal it is acts, not the goal
            owners = [c for c in tok.children if c.dep_ == "poss"] + self._pobjs(tok, {"of"})
            return [a for o in owners[:1] for a in self._entity(o)]
        txt, s, e = phrase_text(tok, self.pm.base, strip_det=True)
        if len(txt) > 80:
            txt, s, e = tok.text, self.pm.base + tok.idx, self.pm.base + tok.idx + len(tok)
        phrase = phrase_indices(tok)  # (read once for both)
        owner = self._phrase_state(tok, phrase)
        sector = self._phrase_sector(tok, phrase)
        if owner is not None:
            return [Actor(text=txt, kind="state" if sector in words("events", "unresolved.1") else "unknown",
                          country=owner.country, sector=sector, start=s, end=e,
                          why=f"unregistered phrase; country from '{owner.text}'" + (", sector from an agent word"
                                                                                    if sector else ""))]
        return [Actor(text=txt, kind="unknown", sector=sector, start=s, end=e, why="subject not in any registry")]

    def _phrase_state(self, tok: Any, phrase: list[int] | None = None) -> Actor | None:
        """The first state (country name, demonym, capital) named inside tok's own phrase (its token indices
        `phrase`, when the caller read them already)."""
        for t in phrase if phrase is not None else phrase_indices(tok):
            m = self.pm.at_index(t, "actor")
            p = self.pm.at_index(t, "place")
            if m is not None and m.actor is not None and m.actor.country and m.actor.kind in ("state",):
                if p is not None and p.place is not None and p.place.country and p.end - p.start > m.end - m.start:
                    # a state's name inside a longer place name ("Benin City", "New Mexico") is that place
                    return Actor(text=p.text, country=p.place.country, kind="state")
                return m.actor
            if p is not None and p.place is not None and p.place.kind == "country" and p.place.country:
                return Actor(text=p.text, country=p.place.country, kind="state")
        return None

    def _phrase_sector(self, tok: Any, phrase: list[int] | None = None) -> str | None:
        pos = token_table(tok.doc).pos
        for t in reversed(phrase if phrase is not None else phrase_indices(tok)):
            if pos[t] in ("NOUN", "PROPN"):
                sec = self.pm.word_sectors.get(t)
                if sec:
                    return sec
        return None

    def _governing_verb(self, n: Any) -> Any | None:
        """The verb a nominal event is the object of: 'held talks', 'launched a mediation effort', 'arrived
        on a visit', 'started a hunger strike', 'in protest of' (via its preposition)."""
        cur = n
        for _ in range(3):
            if cur.dep_ in words("events", "governing_verb.1") and cur.head.i != cur.i:
                cur = cur.head
                if cur.pos_ in ("VERB", "AUX"):
                    return cur
            else:
                return None
        return None

    def _clause_agent(self, tok: Any, frame: Frame | None) -> list[Actor]:
        cur = tok
        for _ in range(8):
            if cur.head.i == cur.i:
                break
            cur = cur.head
            if cur.pos_ in ("VERB", "AUX"):
                subj, _ = self.subject_of(cur)
                if subj is not None and subj.lower_ not in NO_ACTOR_WORDS:
                    a = self.actors_of(subj, frame)
                    if a:
                        return a
            for p in self._pobjs(cur, words("events", "clause_agent_preps")):
                a = self.actors_of(p, frame)
                if a:
                    return a
        return []

    def _first_state_in(self, n: Any) -> list[Actor]:
        for t in n.subtree:
            m = self.pm.at(t, "actor")
            if m and m.actor and m.actor.kind == "state" and t.dep_ == "pobj":
                return [m.actor]
        return []

    # -- demands carried by the speaker's words ----------------------------------------------------------
    def _demands(self, found: list[RawClaim]) -> list[RawClaim]:
        """'X said (that) Y must / should V' is X asking Y (PLOVER REQUEST), whatever V is: coded here when
        V is not itself a trigger (triggers are turned into REQUEST later, in the pipeline)."""
        out: list[RawClaim] = []
        spec = Trigger("must", "V", "REQUEST", None, "020", frozenset())
        coded = {r.trigger.i for r in found}
        for f in self.frames:
            root = f.content_root
            if f.speaker is None or root is None or root.i in coded or root.pos_ not in ("VERB", "AUX"):
                continue
            if not any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in root.children):
                continue
            subj, _ = self.subject_of(root)
            if subj is None:
                continue
            asked = self.actors_of(subj, f) or self._unresolved(subj)
            if not asked or any(a.id and a.id == f.speaker.id for a in asked):
                continue
            rc = RawClaim(root, spec, "REQUEST", None, "020", root.text, self.pm.base + root.idx,
                          self.pm.base + root.idx + len(root), frame=f, sentence=self.sent_index[sent_of(root).start])
            rc.actors = [f.speaker]
            rc.recipients = asked
            rc.why["event"] = f"{f.speaker.text} says {asked[0].text} must {root.text}"
            out.append(rc)
        return out

    # -- accusations carried by the speaker's words ------------------------------------------------------
    def _accusations(self) -> list[RawClaim]:
        out: list[RawClaim] = []
        pm = self.pm
        spec = Trigger("accuse", "N", "ACCUSE", "allege", "112", frozenset())
        tab = token_table(pm.doc)
        for f in self.frames:
            if f.speaker is None:
                continue
            toks = sorted(f.content)
            for i in toks:
                pos, lem, lo = tab.pos[i], tab.lemma[i], tab.lower[i]  # (a Token only for a word of wrongdoing)
                if not ((pos == "NOUN" and (lem in self.cs["wrong_nouns"] or lo in self.cs["wrong_nouns"])) or
                        (pos == "VERB" and lem in self.cs["wrong_verbs"])):
                    continue
                w = pm.doc[i]
                accused: list[Actor] = []
                if w.pos_ == "NOUN":
                    for c in w.children:
                        if c.dep_ in words("english", "prenominal_modifier_deps"):
                            accused += self.actors_of(c, f)
                        elif c.dep_ == "prep" and c.lower_ in ("of", "by"):
                            for p in c.children:
                                if p.dep_ == "pobj":
                                    accused += self.actors_of(p, f)
                        elif c.dep_ in ("acl",):
                            for p in self._pobjs(c, {"by"}):
                                accused += self.actors_of(p, f)
                else:
                    subj, passive = self.subject_of(w)
                    if subj is not None and not passive:
                        accused += self.actors_of(subj, f)
                side = {x for x in ((f.affiliation.id if f.affiliation else None), f.speaker.id) if x}
                accused = [a for a in _dedupe(accused) if not (a.id and a.id in side) and a.kind != "person" or
                           a.kind == "person" and a.id not in side]
                accused = [a for a in accused if a.kind in words("events", "accusations.1")]
                # a speaker's own state is its side too: "Erdogan said Turkey would continue to support ..."
                own = {x.country for x in (f.speaker, f.affiliation) if x is not None and x.country and x.kind in (
                    "person", "state") or (x is not None and x.sector in ("GOV", "MIL") and x.kind != "armed_group")}
                accused = [a for a in accused if not (a.kind == "state" and a.country in own)]
                if not accused:
                    continue
                rc = RawClaim(w, spec, "ACCUSE", "allege", "112", w.text, pm.base + w.idx, pm.base + w.idx + len(w),
                              frame=f, sentence=self.sent_index[sent_of(w).start])
                rc.actors = [f.speaker]
                rc.recipients = accused
                rc.why["event"] = f"the speaker attributes '{w.text}' to {', '.join(a.text for a in accused)}"
                out.append(rc)
        return out


MATERIAL_TYPES = words("events", "material_types")

def _is_transfer(c: _VerbCase) -> bool:
    """Transfers: AID, and the verbs of agreeing that give (AGREE with a giving lemma)."""
    return c.t == "AID" or (c.t == "AGREE" and c.lem in words("events", "verb_roles.2"))


def _is_assault(c: _VerbCase) -> bool:
    """Attacks."""
    return c.t == "ASSAULT"


def _is_consult(c: _VerbCase) -> bool:
    """Meetings and talks."""
    return c.t == "CONSULT"


def _any_type(c: _VerbCase) -> bool:
    """Every other event type."""
    return True


# the role-resolution steps of a verb trigger per event family, run in order (first family that applies)
_VERB_FAMILIES: tuple[tuple[Callable[[_VerbCase], bool], tuple[Callable[[EventExtractor, _VerbCase], None], ...]], ...] = (
    (_is_transfer, (EventExtractor._transfer_goods, EventExtractor._with_goods, EventExtractor._transfer_receivers,
                    EventExtractor._flown_aircraft, EventExtractor._object_receiver, EventExtractor._financed_purchase,
                    EventExtractor._through_intermediaries, EventExtractor._transfer_funders,
                    EventExtractor._coordinated_payer, EventExtractor._personnel, EventExtractor._receiving_verb,
                    EventExtractor._goods_origin, EventExtractor._transfer_location)),
    (_is_assault, (EventExtractor._assault_targets, EventExtractor._assault_instruments, EventExtractor._downed_weapon,
                   EventExtractor._destroyed_in_passing, EventExtractor._assault_location)),
    (_is_consult, (EventExtractor._consult_partners, EventExtractor._plain_location)),
    (_any_type, (EventExtractor._object_target, EventExtractor._border_crossers, EventExtractor._joined_side,
                 EventExtractor._passive_patient, EventExtractor._threat_condition, EventExtractor._request_addressee,
                 EventExtractor._prep_targets, EventExtractor._measure_materiel, EventExtractor._seized_cargo,
                 EventExtractor._measure_target, EventExtractor._object_participants, EventExtractor._plain_location)),
)


def _noun_consult(c: _NounCase) -> bool:
    """Meetings and talks."""
    return c.t == "CONSULT"


def _noun_clash(c: _NounCase) -> bool:
    """Attacks between named sides ("clashes between A and B")."""
    return c.t == "ASSAULT" and bool(c.between) and not c.patient_noun


def _noun_of_patient(c: _NounCase) -> bool:
    """Nouns whose 'of' phrase undergoes the event."""
    return c.patient_noun


def _noun_transfer(c: _NounCase) -> bool:
    """Transfers."""
    return c.t == "AID"


def _noun_any(c: _NounCase) -> bool:
    """Every other event noun."""
    return True


# the role-resolution steps of a noun trigger per event family, run in order (first family that applies)
_NOUN_FAMILIES: tuple[tuple[Callable[[_NounCase], bool], tuple[Callable[[EventExtractor, _NounCase], None], ...]], ...] = (
    (_noun_consult, (EventExtractor._consult_noun_parties,)),
    (_noun_clash, (EventExtractor._clash_sides,)),
    (_noun_of_patient, (EventExtractor._noun_victims,)),
    (_noun_transfer, (EventExtractor._of_agent, EventExtractor._transfer_noun_parties)),
    (_noun_any, (EventExtractor._of_agent, EventExtractor._noun_targets)),
)


# what `EventExtractor.at` does after the roles, in order
_AT_STEPS: tuple[Callable[[EventExtractor, Any, str, RawClaim], None], ...] = (
    EventExtractor._at_assault_materiel, EventExtractor._at_sentence_place, EventExtractor._at_site,
    EventExtractor._at_nearest_place, EventExtractor._at_tidy, EventExtractor._at_nearest_actor,
    EventExtractor._at_why,
)


def drop_subsidiary(raws: list[RawClaim]) -> list[RawClaim]:
    """One event, one claim: a purpose clause of an event of the same type ("telephoned X to discuss"), or
    a demand voiced by a protest ("demonstrated, calling for independence"), is part of that event."""
    by_tok = {r.trigger.i: r for r in raws}
    keep = []
    for r in raws:
        t = r.trigger
        parents = []
        if t.dep_ in words("events", "drop_subsidiary.1") and t.head.i != t.i:
            parents.append(by_tok.get(t.head.i))
            # "continued their hunger strike to demand ...": the protest is the light verb's object
            parents += [by_tok.get(c.i) for c in t.head.children if c.dep_ == "dobj"]
        if r.type == "REQUEST":  # "rioted ..., joining demonstrators in demanding ...": the protest's demand
            cur = t
            for _ in range(4):
                if cur.head.i == cur.i:
                    break
                cur = cur.head
                parents.append(by_tok.get(cur.i))
        parent = next((p for p in parents if p is not None and p is not r and (
            p.type == r.type or (p.type == "PROTEST" and r.type == "REQUEST"))), None)
        if parent is not None:
            parent.why.setdefault("event", f"includes '{r.trigger_text}'")
            _lend_parties(parent, r)
            continue
        if t.dep_ in ("advcl", "xcomp") and t.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to"
                                                                   for c in t.children) \
                and t.head.i in by_tok and r.type != "AGREE":
            _lend_parties(by_tok[t.head.i], r)
            continue  # "resigned to allow elections": a purpose, intended but not done
        # "accused X of violating ...": the charge is the accusation's content; material actions stay claims
        if t.dep_ == "pcomp" and t.head.lower_ in ("of", "for") and t.head.head.i in by_tok and \
                by_tok[t.head.head.i].type == "ACCUSE" and r.type not in MATERIAL_TYPES:
            continue
        keep.append(r)
    return keep


def drop_backdrop(raws: list[RawClaim]) -> list[RawClaim]:
    """An event noun of a backdrop type inside a prepositional phrase of another event's verb clause is the
    scene of that event, not one told of its own ("accused X of stalling in the talks", "praised X for its
    part in the negotiations"): the verb's event is the claim, as PETRARCH codes one event for the clause
    (events.yaml backdrop_types, backdrop_preps)."""
    types, preps = words("events", "backdrop_types"), words("events", "backdrop_preps")
    verbs = {r.trigger.i: r for r in raws if r.trigger.pos_ == "VERB"}
    keep = []
    for r in raws:
        t = r.trigger
        if r.type in types and t.pos_ != "VERB" and t.dep_ == "pobj" and t.head.lower_ in preps:
            host = next((verbs[a.i] for a in t.ancestors if a.i in verbs), None)
            if host is not None and host.type != r.type:
                host.why.setdefault("event", f"'{r.trigger_text}' is its scene")
                continue
        keep.append(r)
    return keep


def _lend_parties(head: RawClaim, inner: RawClaim) -> None:
    """'refused to receive X', 'threatened to bomb X's ports': the act the head governs is not coded on its own,
    but its target is the head's (CAMEO codes the refusal or threat against the party of the refused or
    threatened act) when the head names none of its own. Not for a material act: what it leads to ("a mine went
    off, wounding 20") names its victims, not what it targeted (MUC-4 scores the mined road, not the wounded)."""
    if head.recipients or not inner.recipients or head.type in MATERIAL_TYPES:
        return
    head.recipients = [a for a in inner.recipients if a not in head.actors]
    if head.recipients:
        head.why.setdefault("recipients", f"the target of '{inner.trigger_text}', the act it governs")


def fold_commitments(raws: list[RawClaim]) -> list[RawClaim]:
    """'X agreed / promised / is ready to V ...' is one AGREE claim (PLOVER): the embedded action lends it
    its recipients, materiel, aid type and location, and is not coded again on its own."""
    by_tok = {r.trigger.i: r for r in raws}
    drop: set[int] = set()
    for r in raws:
        if r.type not in ("AGREE", "THREATEN"):
            continue
        if not (lemma(r.trigger) in COMMIT_VERBS or "commit" in r.spec.flags):
            continue
        for c in r.trigger.children:
            if c.dep_ not in ("xcomp", "ccomp") or c.i not in by_tok:
                continue
            inner = by_tok[c.i]
            if inner is r or inner.type == "AGREE":
                continue
            if inner.type in THREAT_INNER:
                # "vowed to fight", "swore to boycott": a commitment to harm is a threat
                r.type, r.mode, r.cameo = "THREATEN", None, "130"
            if not r.recipients:
                r.recipients = inner.recipients or [a for a in inner.actors if a not in r.actors and inner.type in
                                                    ("CONSULT", "COOPERATE")]
            r.materiel = r.materiel or inner.materiel
            r.funders = r.funders or inner.funders
            r.location = r.location or inner.location
            if not r.actors:
                r.actors = inner.actors
            if inner.type == "AID":
                r.aid_type = inner.aid_type
                r.cameo = {"military": "0332", "economic": "0331", "humanitarian": "0333"}.get(inner.aid_type or "",
                                                                                               "033")
            r.why["event"] = f"commitment '{r.trigger_text}' to '{inner.trigger_text}' ({inner.type})"
            drop.add(id(inner))
        # everything else promised inside the commitment's complement is part of the promise
        for c in r.trigger.children:
            if c.dep_ in ("xcomp", "ccomp"):
                for x in c.subtree:
                    if x.i in by_tok and by_tok[x.i] is not r and by_tok[x.i].type not in ("AGREE",):
                        drop.add(id(by_tok[x.i]))
    return [r for r in raws if id(r) not in drop]


_ENGINE: list[FrameEngine] = []


def _engine() -> FrameEngine:
    if not _ENGINE:
        _ENGINE.append(FrameEngine())
    return _ENGINE[0]


def _names_object(p: FramePattern) -> bool:
    """A pattern `_object_patterns` reads: a typed one naming its object word."""
    return bool(p.type and p.obj)


def _beside_pattern(p: FramePattern) -> bool:
    """A pattern `_frame_beside` may accept: khaldun's own, of a type of material acts."""
    return "CAMEO" not in p.source and p.type in _engine().sx["complement_types"]


def _said_words(tok: Any, is_verb: bool) -> set[str]:
    """The words (lemmas and lower case) of a trigger's phrase, with the noun its relative clause fills."""
    said = list(tok.subtree) + ([tok.head] if is_verb and _object_gap(tok) else [])
    return {lemma(x) for x in said} | {x.lower_ for x in said}


def _object_gap(v: Any) -> bool:
    """A relative clause with its own subject, no object and no relative word: the noun it modifies is its
    object ("the support they are getting", "the drones it bought"), as in the frame engine."""
    return _engine().object_gap(v)


def _instrument_acts(ms: list[FrameMatch]) -> list[FrameMatch]:
    """'issued a decree dissolving X': the act the decree names is the event, not its issuing."""
    inst = _engine().sx["instrument_nouns"]
    trig = {m.trigger.i for m in ms}
    return [m for m in ms if not any(lemma(o) in inst and any(c.dep_ == "acl" and c.i in trig for c in o.children)
                                     for o in m.args.obj)]


def _coded(a: Actor) -> bool:
    """A party identified: a registry id, a country or an agent sector."""
    return bool(a.id or a.country or a.sector)


def _coded_sides(rc: RawClaim) -> int:
    return any(map(_coded, rc.actors)) + any(map(_coded, rc.recipients))


def _on_clause_spine(tok: Any) -> bool:
    """True when no noun governs the clause of `tok` up to the sentence root: the clause is told, not a
    modifier of a noun phrase ("the plan to withdraw", "forces that attacked") or a nominal inside one."""
    cur = tok
    for _ in range(12):
        if cur.dep_ in _engine().sx["modifier_deps"] or (cur is not tok and cur.pos_ in _engine().sx["nominal_pos"]):
            return False
        if cur.head.i == cur.i:
            return True
        cur = cur.head
    return False


def _noun_phrase(head: Any) -> list[Any]:
    """The tokens of the noun phrase headed by `head`: its determiners, modifiers and 'of' phrases, without
    the clauses that modify it ("steps to enhance X": 'steps' only)."""
    sx = _engine().sx
    out, stack = [], [head]
    while stack:
        t = stack.pop()
        out.append(t)
        stack += [c for c in t.children if c.dep_ in sx["noun_phrase_deps"]
                  and (c.dep_ != "prep" or c.lower_ in sx["noun_phrase_preps"])]
    return out


def _depth(tok: Any) -> int:
    d = 0
    while tok.head.i != tok.i and d < 50:
        tok, d = tok.head, d + 1
    return d


def _starts_clause(tok: Any) -> bool:
    """True when tok is followed by a verb group that has no subject of its own: the parser attached a
    clause subject to the previous noun phrase ("... to the militants and Qatar will take care of ...")."""
    j = tok.i + 1
    doc = tok.doc
    while j < len(doc) and (doc[j].tag_ in ("MD", "RB") or doc[j].dep_ in ("aux", "neg")):
        if doc[j].tag_ == "MD":
            return True
        j += 1
    if j < len(doc) and doc[j].tag_ in words("events", "starts_clause.1") and doc[j].pos_ == "VERB":
        return not any(c.dep_ in ("nsubj", "nsubjpass") for c in doc[j].children)
    return False
