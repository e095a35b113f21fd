"""Mentions & actors stage: every actor, generic agent, place, materiel and date mention of a paragraph,
aligned to spaCy tokens, and the rules that turn a syntactic argument into actors.

Registries (actor, gazetteer, materiel) match on the raw paragraph text (Aho-Corasick, fast); the
matches are aligned to tokens so the event stage can ask "which actors does this noun phrase name?".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from . import actors as actor_registry
from .lexicon import ordered, words
from .materiel import find_materiel
from .models import Actor, Materiel, Mention, Place
from .nlp import TABLE_KEY, doc_text, lemma
from .nlp_ents import ALIGNED_KEY, FOUND_KEY
from .places import Gazetteer
from .token_table import token_table
from .trusted import trusted

# nouns that name a role whose holder acts for the "of X" / "X's" / demonym organization
ROLE_NOUNS = words("mentions", "role_nouns")
ROLE_SECTOR = {
    "president": "GOV", "leader": "GOV", "amir": "GOV", "emir": "GOV", "king": "GOV", "prince": "GOV",
    "minister": "GOV", "premier": "GOV", "government": "GOV", "regime": "GOV", "administration": "GOV",
    "cabinet": "GOV", "ruler": "GOV", "monarch": "GOV", "sheikh": "GOV", "ambassador": "GOV",
    "envoy": "GOV", "diplomat": "GOV", "secretary": "GOV", "commander": "MIL", "general": "MIL",
    "spokesman": None, "spokeswoman": None, "spokesperson": None, "official": "GOV", "chairman": "GOV",
}
ARMED_SECTORS = words("mentions", "armed_sectors")
PRONOUN_PERSON = words("mentions", "pronoun_person")


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
    # the actor table, resolved once here so later stages read it and never resolve again:
    word_sectors: dict[int, str] = field(default_factory=dict)  # noun token -> PLOVER sector of the noun alone
    sectors: dict[int, str] = field(default_factory=dict)  # noun token -> sector of its phrase ("armed groups")
    affiliations: dict[str, Actor] = field(default_factory=dict)  # registered person id -> its affiliation

    def add(self, m: Ment) -> None:
        self.all.append(m)
        for i in range(m.tok_start, m.tok_end):
            self.by_token.setdefault(i, []).append(m)

    def drop(self, m: Ment) -> None:
        self.all.remove(m)
        for i in range(m.tok_start, m.tok_end):
            self.by_token[i].remove(m)

    def at(self, tok: Any, kind: str) -> Ment | None:
        for m in self.by_token.get(tok.i, ()):
            if m.kind == kind:
                return m
        return None

    def at_index(self, i: int, kind: str) -> Ment | None:
        """`at` the token of index i (no Token object needed)."""
        for m in self.by_token.get(i, ()):
            if m.kind == kind:
                return m
        return None

    def within_range(self, start: int, end: int, kind: str) -> list[Ment]:
        """`within` the tokens start..end-1 (no Token object needed)."""
        seen: list[Ment] = []
        by_token = self.by_token
        for i in range(start, end):
            for m in by_token.get(i, ()):
                if m.kind == kind and m not in seen:
                    seen.append(m)
        return seen

    def within(self, toks: Any, kind: str) -> list[Ment]:
        """The mentions of `kind` on the tokens `toks` (Tokens, or a Span), in the order of their first token."""
        start = getattr(toks, "start", None)
        if start is not None:  # a Span (a sentence): its token range, no Token objects
            return self.within_range(start, toks.end, kind)
        seen: list[Ment] = []
        for t in toks:
            for m in self.by_token.get(t.i, ()):
                if m.kind == kind and m not in seen:
                    seen.append(m)
        return seen


def _span(doc: Any, start: int, end: int) -> Any:
    return doc.char_span(start, end, alignment_mode="expand")


_UNALIGNED = (-1, -1)


def _token_range(doc: Any, start: int, end: int, aligned: dict[tuple[int, int], Any] | None) -> tuple[int, int] | None:
    """The tokens [s, e) of the characters [start, end) as `_span` finds them, or None: the entity finder's
    answer when it aligned the same characters of this Doc (`ALIGNED_KEY`), else spaCy's."""
    if aligned is not None:
        r = aligned.get((start, end), _UNALIGNED)
        if r is not _UNALIGNED:
            return r  # type: ignore[no-any-return]
    sp = _span(doc, start, end)
    return None if sp is None else (sp.start, sp.end)


_TITLE_WORDS = words("mentions", "_title_words")
_HEAD_TITLES = words("actors", "head_titles")
_NAME_LABELS = words("mentions", "_name_labels")


def _other_person(doc: Any, s: int, e: int, entry: Any) -> str | None:
    """A registered person's alias (the tokens [s, e)) matched inside a longer name the recognizer read as one
    PERSON whose other words are names, not titles, and which is none of the entry's own names: another person
    with the same family name."""
    ent = next((x for x in doc.ents if x.label_ == "PERSON" and x.start <= s and e <= x.end), None)
    if ent is None or (ent.start == s and ent.end == e):
        return None
    extra = [t for t in ent if not (s <= t.i < e)]
    if not extra or any(t.lower_.rstrip(".") in _TITLE_WORDS or not t.text[:1].isupper() for t in extra):
        return None
    own = {a.casefold() for a in (*entry.aliases, entry.name)}
    given = {w for a in own for w in a.split()[:-1]}  # "Khalifa Belqasim Haftar" is still Khalifa Haftar
    if ent.text.casefold() in own or any(t.lower_ in given for t in extra):
        return None
    return ent.text


def build(doc: Any, base: int, published: date | None, registry: Any, gazetteer: Gazetteer,
          context_countries: set[str] | None = None, others: dict[str, str] | None = None) -> ParaMentions:
    """Find all mentions of one parsed paragraph. `others` (shared by the paragraphs of one document)
    maps a registered person's id to the other person's full name the document uses for that family
    name, so a later bare "al-Ghariani" stays with the document's Fathi al-Ghariani."""
    pm = ParaMentions(doc, base, published)
    text = doc_text(doc)
    others = others if others is not None else {}
    found = doc.user_data.get(FOUND_KEY)  # what the entity finder (no-NER model) found in this very text
    if found is None or found[0] is not registry or found[1] is not gazetteer or found[2] != text \
            or context_countries is not None:
        found = None
    aligned = doc.user_data.get(ALIGNED_KEY) if found else None  # the finder's token ranges of its matches
    for m in (found[3] if found else registry.find(text)):
        r = _token_range(doc, m.start, m.end, aligned)
        if r is None:
            continue
        if m.entry.kind == "person":
            full = _other_person(doc, r[0], r[1], m.entry)
            if full:
                others[m.entry.id] = full
                continue  # "Fathi al-Ghariani" is not the registered Sadiq al-Ghariani: the NER keeps him
            if m.entry.id in others and len(m.text.split()) == 1 and m.text.casefold() in others[m.entry.id].casefold():
                continue  # the bare family name again: the document's own person, not the registered one
        act = registry.to_actor(m.entry, m.text, on=published, start=base + m.start, end=base + m.end)
        pm.add(Ment("actor", base + m.start, base + m.end, m.text, r[0], r[1], actor=act, how=m.how,
                    entry=m.entry))
    for p in (found[4] if found else gazetteer.find(text, context_countries=context_countries)):
        if p.start is None or p.end is None:
            continue
        r = _token_range(doc, p.start, p.end, aligned)
        if r is None:
            continue
        if any(m.actor is not None and m.actor.kind in ("person", "media") for i in range(r[0], r[1])
               for m in [pm.at_index(i, "actor")] if m):
            continue  # "Obama" the president, not the Japanese town; "Libya" in "Libya Herald"
        place = p.model_copy(update={"start": base + p.start, "end": base + p.end})
        pm.add(Ment("place", base + p.start, base + p.end, p.text, r[0], r[1], place=place))
    for mat in find_materiel(text):
        if mat.start is None or mat.end is None:
            continue
        sp = _span(doc, mat.start, mat.end)
        if sp is None:
            continue
        mm = mat.model_copy(update={"start": base + mat.start, "end": base + mat.end})
        pm.add(Ment("materiel", base + mat.start, base + mat.end, mat.text, sp.start, sp.end, materiel=mm))
    _entity_mentions(pm, text, registry, published)
    _sector_table(pm)
    for i, sector in list(pm.word_sectors.items()):  # nouns only, in token order
        if pm.by_token.get(i) and any(m.kind == "actor" for m in pm.by_token[i]):
            continue
        tok = doc[i]
        pm.add(Ment("agent", base + tok.idx, base + tok.idx + len(tok), tok.text, i, i + 1, how=sector))
    _affiliation_table(pm, registry)
    return pm


def _entity_mentions(pm: ParaMentions, text: str, registry: Any, published: date | None) -> None:
    """The recognizer's dates and times, the outlets it names (whatever its label), and the persons the
    registry does not know. (An entity's characters and text are read from the paragraph's text: a Span's
    `text` walks its tokens.)"""
    doc, base = pm.doc, pm.base
    for ent in doc.ents:
        s, e, label = ent.start, ent.end, ent.label_
        start_char, end_char = ent.start_char, ent.end_char
        if label in ("DATE", "TIME"):
            pm.add(Ment("date", base + start_char, base + end_char, text[start_char:end_char], s, e))
        elif any(pm.at_index(i, "actor") for i in range(s, e)):
            continue  # the registry's actor
        elif cue := _ner_outlet_cue(doc, ent):
            # an outlet the registry does not know ("Levant Wire", "Libya Herald"), whatever the recognizer
            # took it for (a person, a place, an organisation): typed as media, so chains of transmission
            # and speakers treat it as one, and no place inside its name
            for i in range(s, e):
                for m in [m for m in pm.by_token.get(i, ()) if m.kind == "place"]:
                    pm.drop(m)
            name = text[start_char:end_char]
            act = Actor(text=name, kind="media", start=base + start_char, end=base + end_char,
                        why=f"named-entity recognizer: {label} named as a news outlet ('{cue}'), "
                            "not in the registry")
            pm.add(Ment("actor", base + start_char, base + end_char, name, s, e, actor=act, how="ner"))
        elif label == "PERSON":
            # an unregistered person: keep the mention so speakers and participants can use it
            name = text[start_char:end_char]
            act = _titled_head(doc, ent, registry, published, base) or Actor(
                text=name, kind="person", start=base + start_char, end=base + end_char,
                why="named-entity recognizer: PERSON not in the registry")
            pm.add(Ment("actor", base + start_char, base + end_char, name, s, e, actor=act, how="ner"))


def _titled_head(doc: Any, ent: Any, registry: Any, published: date | None, base: int) -> Actor | None:
    """A recognizer's PERSON that is a head-of-state title and a bare family name ("President Kufuor", or
    "Kufuor" right after "President"): the registered head of that family name (see
    ActorRegistry.head_by_surname), as a mention of that person."""
    find = getattr(registry, "head_by_surname", None)
    toks = list(ent)
    titles = _HEAD_TITLES
    while toks and toks[0].lower_.rstrip(".") in titles:
        toks = toks[1:]
    titled = len(toks) < len(ent) or (ent.start > 0 and doc[ent.start - 1].lower_.rstrip(".") in titles)
    if find is None or not titled or len(toks) != 1:
        return None
    entry = find(toks[0].text)
    if entry is None:
        return None
    act = registry.to_actor(entry, ent.text, on=published, start=base + ent.start_char, end=base + ent.end_char)
    return act.model_copy(update={"why": f"a title and the family name of {entry.name}; {act.why}"})


def _sector_table(pm: ParaMentions) -> None:
    """The PLOVER sector of each noun as an agent (`word_sectors`: the noun's lemma, else its form) and of the
    phrase it heads (`sectors`: the last modifier-and-noun pair that is an agent, "armed groups", else the
    noun's own)."""
    tab = token_table(pm.doc)  # no Token object at all: words, tags and heads from the token table
    lower, head, dep = tab.lower, tab.head, tab.dep
    modifiers: dict[int, list[int]] = {}  # noun -> its modifiers before it, in order (its children, as spaCy's)
    for j, h in enumerate(head):
        if h > j and dep[j] in ("amod", "compound"):
            modifiers.setdefault(h, []).append(j)
    agent_sector = actor_registry.agent_sector
    for i, pos in enumerate(tab.pos):
        if pos not in ("NOUN", "PROPN"):
            continue
        word = agent_sector(tab.lemma[i]) or agent_sector(lower[i])
        sector = None
        for j in modifiers.get(i, ()):
            sector = agent_sector(f"{lower[j]} {lower[i]}") or sector
        sector = sector or word
        if word:
            pm.word_sectors[i] = word
        if sector:
            pm.sectors[i] = sector


def _affiliation_table(pm: ParaMentions, registry: Any) -> None:
    """The registered affiliation of each registered person the paragraph names, as an actor on its date."""
    get = getattr(registry, "get", None)
    if get is None:
        return
    for m in pm.all:
        a = m.actor
        if m.kind != "actor" or a is None or a.kind != "person" or not a.id or a.id in pm.affiliations:
            continue
        ent = get(a.id)
        if ent is not None and getattr(ent, "affiliation", None):
            aff = get(ent.affiliation)
            if aff is not None:
                pm.affiliations[a.id] = registry.to_actor(aff, aff.name, on=pm.published)


def _ner_outlet_cue(doc: Any, ent: Any) -> str | None:
    """The words that make a recognizer's proper name a news outlet: a name of two words or more ending in
    an outlet's last word ("... Herald", "... Wire") whatever its label among the names (`_NAME_LABELS`);
    for an ORG also an outlet noun before it or as its end (see `_outlet_cue`)."""
    if ent.label_ not in _NAME_LABELS:
        return None
    if len(ent) > 1 and ent[-1].lower_ in _heads()["news_outlet_names"]:
        return ent[-1].text
    return _outlet_cue(doc, ent) if ent.label_ == "ORG" else None


def _outlet_cue(doc: Any, ent: Any) -> str | None:
    """The words that make a named-entity ORG a news outlet (heads.yml ``news_outlet``): one or two
    words right before it ("the news agency ATA") or its own last word ("Al-Wasat newspaper")."""
    heads = _heads()
    words = [t.lower_ for t in ent]
    if len(words) > 1 and (words[-1] in heads["news_outlet_names"] or " ".join(words[-2:]) in heads["news_outlet"]):
        return ent.text
    for n in (2, 1):
        if ent.start - n >= 0:
            before = doc[ent.start - n:ent.start]
            if " ".join(t.lower_ for t in before) in heads["news_outlet"]:
                return f"{before.text} {ent.text}"
    return None


def mentions_for_document(pms: list[ParaMentions]) -> list[Mention]:
    """Every entity mention of the document, at noun-phrase level (see :func:`phrase_mentions`),
    plus materiel and date mentions as the registries found them."""
    prepared = [(pm, _phrase_units(pm)) for pm in pms]
    names = _person_name_tokens(prepared)
    out: list[Mention] = []
    for pm, units in prepared:
        _relabel_names(units, names)
        out.extend(phrase_mentions(pm, units))
    out.sort(key=lambda x: (x.start, x.end))
    return out


_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
# what Wikipedia-style text leaves glued to a phrase's last token: ".[3", ",[1]", "(Arabic"
_TRAILING_JUNK = re.compile(r"(?:[.,;:]?\[\d*\]?|\([^)]*)$")
_NAME_TITLES = words("mentions", "_name_titles")


def _person_name_tokens(prepared: list[tuple[ParaMentions, list[_Unit]]]) -> frozenset[str]:
    """Proper-noun tokens the document uses in a person's name ("Karim Wasifi", "Mr Alzoubi"), so
    that a later bare "Karim" or "Alzoubi" the recognizer took for a place or an organisation is
    read as the same person."""
    names: set[str] = set()
    for pm, units in prepared:
        for u in units:
            if u.done or u.cls != "person":
                continue
            for t in pm.doc[u.start:u.end]:
                if t.pos_ == "PROPN" and t.text[:1].isupper() and t.lower_ not in _NAME_TITLES and \
                        (t.ent_type_ == "PERSON" or (u.ment is not None and u.ment.actor is not None)
                         or any(c.lower_.rstrip(".") in _NAME_TITLES for c in t.lefts)):
                    names.add(_name_part(t.text))
    return frozenset(names)


def _name_part(text: str) -> str:
    """A name token without what the tokenizer left glued to it ("Qanbar(Arabic" -> "Qanbar")."""
    m = _WORD_RE.match(text)
    return m.group(0) if m else text


def _relabel_names(units: list[_Unit], names: frozenset[str]) -> None:
    """A unit typed only by the recognizer (no registry or gazetteer hit) whose proper nouns are all
    known parts of a person's name is that person; a proper noun after "Mr", "Dr" is a person."""
    for u in units:
        if u.done or u.cls not in words("mentions", "relabel_names.1") or u.ment is not None:
            continue
        root = u.root
        props = [t for t in root.doc[u.start:u.end] if t.pos_ == "PROPN"]
        titled = any(c.lower_.rstrip(".") in _NAME_TITLES and c.dep_ == "compound" for c in root.lefts)
        if titled or (props and all(_name_part(t.text) in names for t in props)):
            u.cls = "person"


# --------------------------------------------------------------------------- noun-phrase mentions
#
# An entity mention is the whole noun phrase that names the entity, as annotators of entity corpora
# (ACE, re3d) mark it: "the Iraqi military", "Iraqi President Fuad Masum", "the Government of Iraq",
# "the port city of Tartus", "three women and three children", not the registry hits inside it
# ("Iraqi", "President", "Iraq"). How a phrase is found:
#   - a spaCy noun chunk (already computed by the parser: no extra model pass); inside a chunk whose
#     head names nothing, its possessor or compound modifier ("the Asad regime's attacks", "U.S.
#     assistance"); nouns the chunker left out; one registered name over several chunks;
#   - extended over its "of" complement ("the Government of Iraq"), a person title's "for/to"
#     complement ("the UN High Commissioner for Refugees"), coordinated plural nouns for people
#     ("women and children"), a title run and the name after it ("Deputy" "Secretary of State"
#     "Antony Blinken"), and "City, Country".
# Its type comes from its head: a registered name (person, organisation, state), a gazetteer place,
# the recognizer's label, a personal pronoun (I, he, she, we, they: not "it", which names things as
# often), or a head noun typed by the heads lexicon (khaldun/data/actors/heads.yml) and the
# PLOVER/Phoenix agents dictionary (a plural person noun is a group). A state or country name is an
# actor when it acts (subject, object, possessor or modifier of a non-place noun, object of
# with/by/against) and a place otherwise ("in Iraq", "to Syria", "the Syria conference"). A name the
# recognizer typed as an organisation or place is a person when the document uses all its words in a
# person's name elsewhere ("Karim Wasifi" ... "Karim"). Phrases whose head is none of these leave
# the registry hits inside them as they were; materiel and dates are reported as found.

_PERSON_PRONOUNS = words("mentions", "_person_pronouns")
_GROUP_PRONOUNS = words("mentions", "_group_pronouns")
_ACTING_PREPS = words("mentions", "_acting_preps")
_TITLE_PREPS = frozenset({"for", "to"})
# nouns whose country modifier says where, not who ("the Syria conference", "Iraq's war")
_PLACE_EVENTS = words("mentions", "_place_events")
# prepositions after which a recognizer's PERSON is more likely a place the gazetteer lacks
_LOC_PREPS = words("mentions", "_loc_preps")
_PERSON_SUFFIXES = ordered("mentions", "person_noun_endings")
_SIBILANT_PLURALS = ordered("english", "sibilant_plural_endings")


@functools.lru_cache(maxsize=4)
def _deictic_ids(vocab: Any) -> frozenset[int]:
    """Ids of the deictic place adverbs "here" and "there"."""
    return frozenset(vocab.strings[w] for w in ("here", "there"))


@functools.lru_cache(maxsize=1)
@functools.lru_cache(maxsize=1)
def _heads() -> dict[str, frozenset[str]]:
    """The heads lexicon: class -> words (two-word entries written with "_" in the file)."""
    path = Path(__file__).resolve().parent / "data" / "actors" / "heads.yml"
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {k: frozenset(w.replace("_", " ") for w in str(v).split()) for k, v in raw.items() if k != "source"}


def _lower(tok: Any) -> str:
    """The token's lower-case word without glued citation marks ("state.[2" -> "state")."""
    return _clean_lower(tok.lower_)


def _clean_lower(lo: str) -> str:
    if lo.isalpha():
        return lo
    m = _WORD_RE.match(lo)
    return m.group(0) if m else lo


_IRREGULAR_PLURALS = {"children": "child", "people": "person", "men": "man", "women": "woman",
                      "police": "police", "clergy": "clergy", "staff": "staff", "personnel": "personnel"}


def _singular(tok: Any) -> str:
    return _singular_of(_lower(tok), tok.tag_)


def _singular_of(lo: str, tag: str) -> str:
    """The singular of a (cleaned) lower-case word of this fine tag."""
    if lo in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[lo]
    if tag in ("NNS", "NNPS"):
        if lo.endswith("men") and len(lo) > 4:
            return lo[:-3] + "man"
        if lo.endswith("s") and not lo.endswith("ss"):
            return _regular_singular(lo)
    return lo


def _regular_singular(lo: str) -> str:
    """Singular of a regular plural noun ("cities" -> "city", "churches" -> "church")."""
    if lo.endswith("ies") and len(lo) > 4:
        return lo[:-3] + "y"
    if lo.endswith(_SIBILANT_PLURALS):
        return lo[:-2]
    return lo[:-1]


_HeadKey = tuple[str, str, str, str | None]
_HEAD_CLASSES: dict[_HeadKey, str | None] = {}  # head_class's answers by what it reads of a token
_MAX_HEAD_CLASSES = 200_000  # answers remembered before the memo starts over


def head_class(tok: Any) -> str | None:
    """'person', 'group' or 'place' for a common-noun head, None when it names no entity.

    Lexicon first (heads.yml), then the agents dictionary: a plural agent noun is a group, a
    singular one a person when it has a person-noun ending (-er, -ist, -ian, -man ...) and a group
    otherwise ("the army", "the cabinet").

    The answer depends only on the token's coarse tag, lower-case word and fine tag and on the word of a
    compound or adjective modifier right before it (read from the Doc's token table when it has one): it is
    remembered by those."""
    i = tok.i
    tab = tok.doc.user_data.get(TABLE_KEY)
    if tab is not None:
        pos = tab.pos[i]
        if pos not in ("NOUN", "PROPN"):
            return None
        j = i - 1  # a left child right before the token (`tok.lefts`: the tokens before it headed by it)
        left = tab.lower[j] if j >= 0 and tab.head[j] == i and tab.dep[j] in ("compound", "amod") else None
        key: _HeadKey = (pos, tab.lower[i], tab.tag[i], left)
    else:
        pos = tok.pos_
        if pos not in ("NOUN", "PROPN"):
            return None
        left = next((c.lower_ for c in tok.lefts if c.dep_ in ("compound", "amod") and c.i == i - 1), None)
        key = (pos, tok.lower_, tok.tag_, left)
    known = _HEAD_CLASSES.get(key, _UNKNOWN)
    if known is _UNKNOWN:
        if len(_HEAD_CLASSES) >= _MAX_HEAD_CLASSES:
            _HEAD_CLASSES.clear()
        known = _HEAD_CLASSES[key] = _head_class(*key)
    return known  # type: ignore[return-value]


_UNKNOWN = object()


def _head_class(pos: str, lower: str, tag: str, left: str | None) -> str | None:
    """`head_class` of a nominal token from what it reads: its coarse tag, lower-case word, fine tag and the
    lower-case word of a compound or adjective modifier right before it (None without one)."""
    heads = _heads()
    lo = _clean_lower(lower)
    sing = _singular_of(lo, tag)
    plural = (tag in ("NNS", "NNPS") or lo in _IRREGULAR_PLURALS) and sing != lo
    if sing in heads["not_entity"] or lo in heads["not_entity"]:
        return None
    if left is not None:  # two-word heads of the lexicon ("front line", "bus station")
        two = f"{left} {sing}"
        for cls in ordered("mentions", "head_classes"):
            if two in heads[cls]:
                return "group" if cls == "person" and plural else cls
    if sing in heads["place"] or lo in heads["place"]:
        return "place"
    if lo in heads["group"] or sing in heads["group"]:
        return "group"
    if sing in heads["person"]:
        return "group" if plural else "person"
    if pos == "PROPN":
        return None
    table = actor_registry._agents()
    if lo in table or sing in table:
        if plural:
            return "group"
        if sing.endswith(_PERSON_SUFFIXES) and not sing.endswith("ment"):
            return "person"
        return "group"
    return None


def _is_people(tok: Any) -> bool:
    """A plural noun for people ("women", "civilians", "teachers"), not an organised body."""
    if (tok.tag_ not in ("NNS", "NNPS") and _lower(tok) not in _IRREGULAR_PLURALS) or head_class(tok) != "group":
        return False
    sing = _singular(tok)
    heads = _heads()
    if sing in heads["person"]:
        return True
    return sing not in heads["group"] and sing.endswith(_PERSON_SUFFIXES) and not sing.endswith("ment")


def _title_before(root: Any) -> bool:
    """Is a proper name preceded by a capitalized title in its compound chain ("Special Advisor
    Thames", "King Nebuchadnezzar II", "Dr. Ahmed Kamil Murad", "Defense Secretary Ash Carter")?"""
    for c in root.lefts:
        if c.dep_ != "compound":
            continue
        for t in c.subtree:
            if t.i < root.i and t.text[:1].isupper() and (
                    t.lower_.rstrip(".") in _NAME_TITLES or (t.pos_ in ("NOUN", "PROPN") and head_class(t) == "person"
                                                              and t.tag_ in ("NN", "NNP"))):
                return True
    return False


@dataclass
class _Unit:
    start: int  # token indices [start, end)
    end: int
    root: Any
    cls: str | None = None  # person | group | place | state | org | pronoun_person | pronoun_group
    ment: Ment | None = None  # the registry mention that decided the class
    done: bool = False


def _acting(tok: Any) -> bool:
    """Does a country name act here (subject, possessor, object of with/by/against) rather than
    name a place ("in Iraq", "to Syria", "the Syria conference")?"""
    t = tok
    while t.dep_ in ("conj", "appos") and t.head is not t:
        t = t.head
    dep = t.dep_
    if dep in words("mentions", "acting.1"):
        return True
    if dep in words("mentions", "acting.2"):  # "Syria's war" is a place; "U.S. efforts" an actor
        return head_class(t.head) != "place" and t.head.lower_ not in _PLACE_EVENTS
    if dep == "pobj":
        return t.head.lower_ in _ACTING_PREPS
    if dep in ("dobj", "obj"):
        return True
    return False


_UnitClass = tuple[str | None, Ment | None]


def _unit_class(pm: ParaMentions, root: Any) -> tuple[str | None, Ment | None]:
    """Class of a phrase from its head token, and the registry mention that decided it: a pronoun by its
    form; materiel is no party; else the first of `_UNIT_CLASS_STEPS` that decides (registry actor,
    gazetteer place, proper-noun head, recognizer label), else the head noun's class."""
    if root.pos_ == "PRON":
        return _pronoun_class(root)
    act = place = None
    if pm.by_token.get(root.i):  # (most heads carry no mention at all)
        if pm.at(root, "materiel") is not None:
            return None, None
        act = pm.at(root, "actor")
        place = pm.at(root, "place")
        if act is not None and act.how == "ner" and not (act.actor is not None and act.actor.kind == "media"):
            act = None  # the recognizer's PERSON: typed below, with its known errors corrected (an outlet by
            # its name stays one, an organisation, whatever the recognizer's label)
    for step in _UNIT_CLASS_STEPS:
        found = step(root, act, place)
        if found is not None:
            return found
    return head_class(root), None


def _pronoun_class(root: Any) -> _UnitClass:
    """A personal pronoun names a person or a group ("her" only in the roles where it is not a possessive)."""
    lo = root.lower_
    if lo in _PERSON_PRONOUNS or (lo == "her" and root.dep_ in words("mentions", "unit_class.2")):
        return "pronoun_person", None
    if lo in _GROUP_PRONOUNS:
        return "pronoun_group", None
    return None, None


def _registry_class(root: Any, act: Ment | None, place: Ment | None) -> _UnitClass | None:
    """A registry actor: a person; an office or titled name held by a person; a state (see `_state_class`);
    any other kind an organisation."""
    if act is None or act.actor is None:
        return None
    kind = act.actor.kind
    if kind == "person":
        return "person", act
    if kind in words("mentions", "unit_class.1") and root.pos_ in ("NOUN", "PROPN") and (
            head_class(root) == "person" and root.tag_ in ("NN", "NNP")
            or (root.pos_ == "PROPN" and _title_before(root) and head_class(root) is None)):
        return "person", act  # an office ("the Secretary of State"), a titled name
    if kind == "state":
        return _state_class(root, act, place)
    return "org", act


def _state_class(root: Any, act: Ment, place: Ment | None) -> _UnitClass:
    """A state's name: a plural demonym noun is a group of its people, a determined singular one a person
    (a bare one, or a modifier, nothing); a capital is the state through its place; else the state."""
    if act.how == "demonym":
        if root.pos_ in ("NOUN", "PROPN") and root.dep_ not in ("amod", "compound"):
            if root.tag_ in ("NNS", "NNPS"):
                return "group", act  # "Iraqis", "the Syrians"
            if any(c.dep_ == "det" for c in root.children):
                return "person", act  # "an Iraqi"; a bare "Arabic" is a language
        return None, None
    if act.how == "capital" and place is not None:
        return "state", place  # a capital city: the government when it acts, else the city
    return "state", act


def _gazetteer_class(root: Any, act: Ment | None, place: Ment | None) -> _UnitClass | None:
    """A gazetteer place: a country is a state, anything else a place."""
    if place is None:
        return None
    if place.place is not None and place.place.kind == "country":
        return "state", place
    return "place", place


def _proper_head_class(root: Any, act: Ment | None, place: Ment | None) -> _UnitClass | None:
    """A proper name whose head noun names a place or group ("X Province") takes that class; an unknown
    head after a title ("Dr. X") is a person."""
    if root.pos_ != "PROPN":
        return None
    hc = head_class(root)  # "Hibhib Village", "Kirkuk Province": the head noun wins
    if hc in ("place", "group"):
        return hc, None
    if hc is None and _title_before(root):
        return "person", None
    return None


def _person_entity_class(root: Any, act: Ment | None, place: Ment | None) -> _UnitClass | None:
    """The recognizer's PERSON is a person, unless a locative preposition precedes it (a place the
    gazetteer lacks)."""
    if root.ent_type_ != "PERSON":
        return None
    if root.dep_ == "pobj" and root.head.lower_ in _LOC_PREPS:
        return "place", None  # "in Daquq": an unknown place, not a person
    first = root
    while first.ent_iob_ == "I" and first.i > 0:
        first = first.doc[first.i - 1]
    if first.lower_ in _LOC_PREPS:
        return "place", None  # "Near Kobani" read as a name: a place the gazetteer lacks
    return "person", None


def _entity_label_class(root: Any, act: Ment | None, place: Ment | None) -> _UnitClass | None:
    """The recognizer's other labels on a proper name: ORG an organisation, GPE a state, LOC/FAC a place;
    NORP a group (plural) or a person."""
    ent = root.ent_type_
    if ent == "ORG" and root.pos_ == "PROPN":
        return "org", None
    if ent in ("GPE",) and root.pos_ == "PROPN":
        return "state", None
    if ent in ("LOC", "FAC") and root.pos_ == "PROPN":
        return "place", None
    if ent == "NORP" and root.pos_ in ("NOUN", "PROPN"):
        return ("group" if root.tag_ in ("NNS", "NNPS") else "person"), None
    return None


# the steps of `_unit_class` after pronouns and materiel, in order: the first that decides wins
_UNIT_CLASS_STEPS: tuple[Callable[[Any, Ment | None, Ment | None], _UnitClass | None], ...] = (
    _registry_class, _gazetteer_class, _proper_head_class, _person_entity_class, _entity_label_class,
)


def noun_chunks(doc: Any) -> list[Any]:
    """The Doc's base noun phrases, as `doc.noun_chunks` gives them, read from the token table: spaCy's English
    iterator walks every token of the paragraph as a Token object; this one makes a Token only for the left
    edge of a chunk's head (the same rule: a nominal whose label heads a noun phrase, or a conjunct of one,
    not nested in the previous chunk). Another language's iterator is asked as it is."""
    if getattr(doc.noun_chunks_iterator, "__module__", "") != "spacy.lang.en.syntax_iterators":
        return list(doc.noun_chunks)
    from spacy.tokens import Span

    tab = token_table(doc)
    pos, dep, head = tab.pos, tab.dep, tab.head
    nominal, np_deps = words("english", "nominal_pos"), words("english", "noun_chunk_deps")
    out = []
    prev_end = -1
    for i in range(len(pos)):
        if pos[i] not in nominal:
            continue
        ok = dep[i] in np_deps
        if not ok and dep[i] == "conj":
            h = head[i]
            while dep[h] == "conj" and head[h] < h:
                h = head[h]
            ok = dep[h] in np_deps  # coordinated to a noun phrase: a noun phrase
        if not ok:
            continue  # (spaCy tests the nesting first: the same answer, a Token only for a chunk)
        left = doc[i].left_edge.i
        if left <= prev_end:
            continue
        prev_end = i
        out.append(Span(doc, left, i + 1))  # (doc[left:i + 1] without the slice's normalizing)
    return out


def _units(pm: ParaMentions) -> list[_Unit]:
    """Candidate phrases: spaCy noun chunks; inside a chunk whose head names no entity, its
    possessor and compound modifiers ("the Asad regime's attacks", "coalition air strikes");
    and nouns the chunker left out."""
    doc = pm.doc
    tab = token_table(doc)
    units: list[_Unit] = []
    in_chunk = bytearray(len(doc))
    chunks = noun_chunks(doc) if doc.has_annotation("DEP") else ()  # no parse, no phrases
    for c in chunks:
        u = _Unit(c.start, c.end, c.root)
        u.cls, u.ment = _unit_class(pm, u.root)
        in_chunk[c.start:c.end] = b"\x01" * (c.end - c.start)
        if u.cls is None:
            for i in range(c.start, c.end):  # (a Token only for a possessor or compound modifier)
                if i == u.root.i or tab.dep[i] not in words("mentions", "acting.2") or tab.head[i] < i:
                    continue
                if tab.dep[i] == "compound" and tab.dep[tab.head[i]] == "compound":
                    continue  # inner part of a longer compound name
                t = doc[i]
                cls, ment = _unit_class(pm, t)
                if cls is not None and not cls.startswith("pronoun"):
                    units.append(_Unit(max(t.left_edge.i, c.start), t.i + 1, t, cls, ment))
            units.append(u)
        else:
            units.append(u)
    nominal = words("english", "nominal_pos")
    for i, pos in enumerate(tab.pos):  # nouns and pronouns outside every chunk
        if in_chunk[i] or pos not in nominal:  # ("Over 30 people", coordinated objects)
            continue
        if tab.dep[i] in words("english", "prenominal_modifier_deps"):
            continue
        t = doc[i]
        cls, ment = _unit_class(pm, t)
        if cls is None:
            continue
        start = i
        while start > 0 and not in_chunk[start - 1] and tab.head[start - 1] == i and \
                tab.dep[start - 1] in words("mentions", "units.2"):
            start -= 1
        units.append(_Unit(start, t.i + 1, t, cls, ment))
    units.sort(key=lambda u: (u.start, -u.end))
    for m in pm.all:  # one registered name over several chunks: "the Islamic State of Iraq and the Levant"
        if m.kind not in ("actor", "place") or m.how == "demonym" or m.tok_end - m.tok_start < 3:
            continue
        over = [u for u in units if u.start < m.tok_end and m.tok_start < u.end and not u.done]
        if len(over) < 2 or any(u.end > m.tok_end and u.root.i < m.tok_end for u in over) or \
                any(u.end > m.tok_end for u in over[:-1]) or any(u.start < m.tok_start - 1 for u in over[1:]):
            continue  # the first piece may start before the name ("Spokesman ... Ahmad al"), the last
            # may go on to a head of its own ("... and the Levant terrorists")
        last = over[-1]
        keep = last if last.end > m.tok_end else next(
            (u for u in over if m.tok_start <= u.root.i < m.tok_end), over[0])
        keep.start = min(u.start for u in over)
        keep.end = max(max(u.end for u in over), m.tok_end)
        if keep.root.i >= m.tok_end and keep is not last:
            keep.root = doc[m.tok_end - 1]
        keep.cls, keep.ment = _unit_class(pm, keep.root)
        for u in over:
            if u is not keep:
                u.done = True
    by_root = {u.root.i: u for u in units if not u.done}
    heads = _heads()
    # partitives: "thousands of fighters", "members of the council" take the class of their object
    for u in units:
        if u.cls is None and u.root.lower_ in heads["partitive"]:
            for c in u.root.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    for g in c.children:
                        o = by_root.get(g.i)
                        if g.dep_ == "pobj" and o is not None and o.cls in words("mentions", "units.3"):
                            u.cls = "group" if o.cls == "person" else o.cls
                            u.ment = o.ment
    return units


def _extend(u: _Unit, by_root: dict[int, _Unit], depth: int = 0) -> None:
    """Grow an entity phrase over its "of" complement (and a title's "for/to" complement)."""
    if depth > 4:
        return
    tok = u.root
    for c in tok.children:
        if c.dep_ != "prep" or c.i < tok.i or c.i != u.end:
            continue
        lo = c.lower_
        if lo == "of" or (lo in _TITLE_PREPS and u.cls == "person" and tok.pos_ == "NOUN"):
            for g in c.children:
                o = by_root.get(g.i)
                if g.dep_ == "pobj" and o is not None and not o.done and o.start == c.i + 1:
                    o.done = True
                    _extend(o, by_root, depth + 1)
                    u.end = o.end


def _merge_lists(pm: ParaMentions, units: list[_Unit], by_root: dict[int, _Unit]) -> None:
    """Coordinated plural nouns for people ("women and children", "teachers, doctors and dentists"),
    a title run and the name after it ("Deputy" "Secretary of State" "Antony Blinken"; "U.S."
    "Secretary of State Kerry"), and "City, Country" become one phrase each."""
    doc = pm.doc
    for u in units:
        if u.done or u.cls is None:
            continue
        for c in u.root.children:
            o = by_root.get(c.i)
            if o is None or o.done or o.start < u.end:
                continue
            gap = doc[u.end:o.start].text.strip()
            if c.dep_ == "conj" and gap in words("mentions", "merge_lists.2") and \
                    u.cls == "group" and o.cls == "group" and _is_people(u.root) and _is_people(o.root):
                o.done = True
                u.end = o.end
    live = sorted((u for u in units if not u.done and u.cls is not None), key=lambda u: u.start)
    for a, b in zip(live, live[1:], strict=False):  # adjacent title pieces and the name they qualify
        if a.done or b.cls != "person":
            continue
        if a.end != b.start:
            continue
        first = doc[a.start]
        if (a.cls == "person" and a.root.text[:1].isupper() and (a.root.pos_ == "NOUN" or _title_before(b.root)
                                                                 or head_class(a.root) == "person")) or \
                (a.cls == "state" and doc[b.start].text[:1].isupper() and first.pos_ in ("PROPN", "DET")):
            b.start = a.start
            a.done = True
    starting: dict[int, list[_Unit]] = {}
    for x in units:
        starting.setdefault(x.start, []).append(x)
    for u in units:  # "Berlin, Germany": a place and its country or region, not two countries
        at = pm.at(u.root, "place")
        city = u.cls == "place" or (u.cls in ("state", "org") and (
            (at is not None and at.place is not None and at.place.kind != "country")
            or (u.ment is not None and u.ment.how == "capital")))
        if u.done or not city or u.end >= len(doc) - 1:
            continue
        o = next((x for x in starting.get(u.end + 1, ()) if not x.done), None)
        if o is not None and doc[u.end].text == "," and o.cls in ("state", "place") and \
                o.root.head.i in range(u.start, u.end) and o.root.dep_ in words("mentions", "merge_lists.1"):
            o.done = True
            u.end = o.end
            u.cls = "place"


def _phrase_units(pm: ParaMentions) -> list[_Unit]:
    """The entity phrases of one paragraph, extended and merged (see the section comment)."""
    units = _units(pm)
    by_root = {u.root.i: u for u in units}
    for u in units:
        if u.cls is not None and not u.done:
            _extend(u, by_root)
    _merge_lists(pm, units, by_root)
    return units


def phrase_mentions(pm: ParaMentions, units: list[_Unit] | None = None) -> list[Mention]:
    """The mentions of one paragraph: entity noun phrases typed by their head, the registry hits
    no such phrase covers, and materiel and date mentions."""
    doc = pm.doc
    base = pm.base
    if units is None:
        units = _phrase_units(pm)
    out: list[Mention] = []
    covered = bytearray(len(doc) + 1)
    for u in units:
        if u.done or u.cls is None:
            continue
        m = _phrase_mention(pm, u)
        if m is None:
            continue
        out.append(m)
        covered[u.start:u.end] = b"\x01" * (u.end - u.start)
    deictic = _deictic_ids(doc.vocab)
    for i, low in enumerate(doc.to_array("LOWER").tolist()):  # "here", "there" (not "there is")
        if low not in deictic or covered[i]:
            continue
        tok = doc[i]
        if tok.dep_ == "advmod":
            out.append(trusted(Mention, text=tok.text, start=base + tok.idx, end=base + tok.idx + len(tok),
                               kind="place", label="other"))
    for m in pm.all:
        inside = any(covered[m.tok_start:m.tok_end])
        if m.kind == "materiel" and m.materiel is not None:
            out.append(trusted(Mention, text=m.text, start=m.start, end=m.end, kind="materiel",
                               label=m.materiel.category, id=m.materiel.designation))
        elif m.kind == "date":
            out.append(trusted(Mention, text=m.text, start=m.start, end=m.end, kind="date"))
        elif inside:
            continue
        elif m.kind == "actor" and m.actor is not None:
            if m.how == "demonym" and doc[m.tok_end - 1].dep_ in ("amod", "compound"):
                continue  # a nationality adjective ("Syrian refugees") is not an entity mention
            out.append(trusted(Mention, text=m.text, start=m.start, end=m.end, kind="actor", label=m.actor.kind,
                               id=m.actor.id, country=m.actor.country))
        elif m.kind == "place" and m.place is not None:
            out.append(trusted(Mention, text=m.text, start=m.start, end=m.end, kind="place", label=m.place.kind,
                               id=m.place.gazetteer_id, country=m.place.country))
    return _dedupe_mentions(out)


def _dedupe_mentions(ms: list[Mention]) -> list[Mention]:
    seen: set[tuple[int, int, str]] = set()
    out = []
    for m in ms:
        key = (m.start, m.end, m.kind)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def _owner_country(pm: ParaMentions, u: _Unit) -> tuple[str | None, Ment | None]:
    """Country of a phrase from the registry hits inside it, and the registered actor it belongs
    to ("the leaders of al-Qaeda" -> al-Qaeda; "the Iraqi military" -> Iraq)."""
    owner: Ment | None = None
    actor_country: str | None = None
    place_country: str | None = None
    for i in range(u.start, u.end):
        for m in pm.by_token.get(i, ()):
            if m.kind == "actor" and m.actor is not None:
                if owner is None or m.tok_start <= u.root.i < m.tok_end:
                    owner = m
                if m.actor.country and actor_country is None:
                    actor_country = m.actor.country
            elif m.kind == "place" and m.place is not None and m.place.country and place_country is None:
                if owner is None or not (owner.tok_start <= m.tok_start and m.tok_end <= owner.tok_end):
                    place_country = m.place.country  # not "Iraq" inside "Islamic State of Iraq"
    if owner is not None and owner.actor is not None and owner.actor.country:
        return owner.actor.country, owner
    return actor_country or place_country, owner


def _trim_first(t: Any, place_before_root: bool) -> bool:
    """A leading token that is no part of the mention: punctuation, a date, a conjunction, or a locative
    preposition the tagger took for a name before a place's head ("Near Kobani")."""
    return t.is_punct or t.ent_type_ in ("DATE", "TIME") or t.pos_ == "CCONJ" or (
        place_before_root and t.lower_ in _LOC_PREPS and t.pos_ == "PROPN")


def _trim_last(t: Any) -> bool:
    """A trailing punctuation token other than a full stop (kept: "U.S.", "Inc.")."""
    return t.is_punct and t.text not in (".",)


def _phrase_mention(pm: ParaMentions, u: _Unit) -> Mention | None:
    doc = pm.doc
    # no leading/trailing punctuation in the mention
    s, e = u.start, u.end
    while s < e and _trim_first(doc[s], s < u.root.i and u.cls == "place"):
        s += 1  # "2015 - U.S. forces" (a dateline the chunker joined), "Near Kobani"
    while e > s and _trim_last(doc[e - 1]):
        e -= 1
    if s >= e:
        return None
    first, last = doc[s], doc[e - 1]  # the characters and text of doc[s:e], without the Span (its text walks it)
    start_char, end_char = first.idx, last.idx + len(last)
    start = pm.base + start_char
    end = pm.base + end_char
    text = doc_text(doc)[start_char:end_char]
    junk = _TRAILING_JUNK.search(text)
    if junk is not None and junk.start() > 0:
        text = text[:junk.start()].rstrip()
        end = start + len(text)
    cls, head_ment = u.cls, u.ment
    country, owner = _owner_country(pm, u)
    if cls == "pronoun_person":
        return trusted(Mention, text=text, start=start, end=end, kind="actor", label="person")
    if cls == "pronoun_group":
        return trusted(Mention, text=text, start=start, end=end, kind="actor", label="unknown")
    if cls == "state":
        if _acting(u.root):
            ment = head_ment if head_ment is not None and head_ment.kind == "actor" else None
            if ment is None:
                ment = next((m for m in pm.by_token.get(u.root.i, ()) if m.kind == "actor"), None)
            return trusted(Mention, text=text, start=start, end=end, kind="actor", label="state",
                           id=ment.actor.id if ment and ment.actor else None, country=country)
        cls = "place"
    if cls == "place":
        pl = head_ment.place if head_ment is not None and head_ment.place is not None else None
        if pl is None:
            pm_place = next((m for i in range(u.start, u.end) for m in pm.by_token.get(i, ())
                             if m.kind == "place" and m.place is not None), None)
            pl = pm_place.place if pm_place else None
        return trusted(Mention, text=text, start=start, end=end, kind="place", label=pl.kind if pl else "other",
                       id=pl.gazetteer_id if pl else None, country=pl.country if pl else country)
    if cls in ("person", "org"):
        act = head_ment.actor if head_ment is not None and head_ment.actor is not None else None
        media = next((m.actor for i in range(u.start, u.end) for m in pm.by_token.get(i, ())
                      if m.kind == "actor" and m.actor is not None and m.actor.kind == "media"), None)
        if act is None and media is not None:
            act = media
        if act is not None and act.kind == "media":  # "Levant Wire": whatever the recognizer's label, an outlet
            return trusted(Mention, text=text, start=start, end=end, kind="actor", label="media", id=act.id,
                           country=act.country)
    if cls == "person":
        return trusted(Mention, text=text, start=start, end=end, kind="actor", label="person",
                       id=act.id if act else None, country=(act.country if act else None) or country)
    if cls == "org":
        return trusted(Mention, text=text, start=start, end=end, kind="actor",
                       label=act.kind if act else "organization",
                       id=act.id if act else None, country=act.country if act else country)
    if cls == "group":
        root = u.root
        if token_table(doc).pos[root.i] in ("NOUN", "PROPN"):
            sector = pm.sectors.get(root.i)  # (the same rule, read from the paragraph's sector table)
        else:
            sector = None
            for c in root.children:
                if c.dep_ in ("amod", "compound") and c.i < root.i:
                    sector = actor_registry.agent_sector(f"{c.lower_} {root.lower_}") or sector
            sector = sector or actor_registry.agent_sector(lemma(root)) or actor_registry.agent_sector(root.lower_)
        return trusted(Mention, text=text, start=start, end=end, kind="agent", label=sector, country=country,
                       id=owner.actor.id if owner is not None and owner.actor is not None else None)
    return None
