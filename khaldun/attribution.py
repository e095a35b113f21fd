"""Attribution stage: who says so, how (cue, direct or indirect quote), through which chain (`via`), and on
what basis (`evidence_basis`).

Per sentence it finds speech frames: a reporting verb with its subject ("X said that ...", "..., X
said"), "according to X", and direct quotes (paired quote marks) with the cue next to them or, for a
quote paragraph with no cue, the previous speaker. Speakers are resolved through a document-level book:
appositions ("the spokesman ..., Ahmad al-Mesmari"), pronouns ("he"), and definite descriptions ("the
Libyan National Army spokesman") point back to the speaker already introduced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .lexicon import cue_sets, cues
from .mentions import ParaMentions
from .models import Actor, Passage, Via
from .nlp import lemma

QUOTE_CHARS = '"“”«»„'
SPEAKER_ROLES = frozenset(
    """spokesman spokeswoman spokesperson spokesmen minister president official officials commander
    leader chief source sources envoy ambassador adviser advisor aide general colonel brigadier
    director secretary chairman head analyst expert witness witnesses resident residents activist
    activists diplomat diplomats officer officers lawmaker lawmakers member deputy premier prime
    emir amir king prince sheikh governor mayor representative negotiator monitor monitors""".split()
)
MEDIA_WORDS = frozenset({"tv", "television", "channel", "radio", "newspaper", "agency", "news", "daily", "times",
                         "post", "press", "broadcaster", "network", "website", "outlet"})
SOCIAL = {"twitter": "Twitter", "facebook": "Facebook", "telegram": "Telegram", "instagram": "Instagram",
          "x": "X", "youtube": "YouTube", "tiktok": "TikTok"}


@dataclass
class Frame:
    sentence: int  # document sentence index
    speaker: Actor | None
    speaker_tok: Any | None
    role: str | None
    cue_tok: Any | None
    cue_text: str | None
    cue_start: int | None
    cue_end: int | None
    content: set[int]  # paragraph token indices the speaker is responsible for
    content_root: Any | None
    quote: str  # direct | indirect | mixed
    certainty: str = "certain"
    denial: str | None = None
    via: list[Via] = field(default_factory=list)
    evidence_basis: str | None = None
    affiliation: Actor | None = None
    anonymous: bool = False

    @property
    def key(self) -> str | None:
        if self.speaker is None:
            return None
        return self.speaker.id or self.speaker.text.lower()


@dataclass
class SpeakerEntry:
    actor: Actor
    role: str | None
    affiliation: Actor | None
    via: list[Via] = field(default_factory=list)
    evidence_basis: str | None = None


class SpeakerBook:
    """The speakers of one document, most recent last, for back-references and shared chains."""

    def __init__(self) -> None:
        self.entries: list[SpeakerEntry] = []

    def key(self, a: Actor) -> str:
        return a.id or a.text.lower()

    def get(self, a: Actor) -> SpeakerEntry | None:
        k = self.key(a)
        for e in self.entries:
            if self.key(e.actor) == k:
                return e
        return None

    def record(self, actor: Actor, role: str | None, affiliation: Actor | None, via: list[Via]) -> SpeakerEntry:
        e = self.get(actor)
        if e is None:
            e = SpeakerEntry(actor, role, affiliation)
            self.entries.append(e)
        else:
            self.entries.remove(e)
            self.entries.append(e)
            e.role = e.role or role
            e.affiliation = e.affiliation or affiliation
        for v in via:
            if all(v.name != w.name for w in e.via):
                e.via.append(v)
        return e

    def last_person(self) -> SpeakerEntry | None:
        for e in reversed(self.entries):
            if e.actor.kind == "person":
                return e
        return self.entries[-1] if self.entries else None

    def by_role(self, role: str | None, org: Actor | None) -> SpeakerEntry | None:
        for e in reversed(self.entries):
            if org is not None and e.affiliation is not None and (
                    (org.id and org.id == e.affiliation.id) or org.country == e.affiliation.country):
                if role is None or e.role is None or role == e.role:
                    return e
            if org is None and role and e.role == role:
                return e
        return None


def _subtree_span(tok: Any) -> tuple[int, int]:
    toks = list(tok.subtree)
    return toks[0].idx, toks[-1].idx + len(toks[-1])


DETERMINERS = frozenset({"the", "a", "an", "these", "those", "this", "that", "some", "any"})


def phrase_tokens(tok: Any) -> list[Any]:
    """Tokens of tok's phrase, stopping at its own coordination or apposition and leaving out relative
    clauses anywhere inside ("the capital, Tripoli, which reached ..." -> "the capital, Tripoli")."""
    keep = []
    cut: set[int] = set()
    for t in tok.subtree:
        if t.i > tok.i and t.dep_ in ("cc", "conj", "appos") and t.head.i == tok.i:
            break
        if t.dep_ in ("relcl",) or (t.dep_ == "acl" and t.head.i == tok.i):
            cut.update(x.i for x in t.subtree)
        if t.i in cut:
            continue
        keep.append(t)
    while keep and keep[-1].is_punct:
        keep.pop()
    return keep


def phrase_text(tok: Any, base: int = 0, strip_det: bool = False) -> tuple[str, int, int]:
    """The noun phrase of `tok` without coordination, relative clauses, outer punctuation and (with
    strip_det) leading determiners; offsets are `base` + paragraph offsets of exactly that text."""
    keep = phrase_tokens(tok)
    while keep and (keep[-1].is_punct or keep[-1].is_space):
        keep.pop()
    while keep and (keep[0].is_punct or keep[0].is_space or (strip_det and keep[0].lower_ in DETERMINERS
                                                             and keep[0].i != tok.i)):
        keep.pop(0)
    if not keep:
        return tok.text, base + tok.idx, base + tok.idx + len(tok)
    s, e = keep[0].idx, keep[-1].idx + len(keep[-1])
    return tok.doc.text[s:e], base + s, base + e


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (inside the marks) of direct quotes in a paragraph; an unclosed quote runs to the end."""
    spans = []
    open_at = None
    for i, ch in enumerate(text):
        if ch not in QUOTE_CHARS:
            continue
        opening = ch in "“«„" or (ch == '"' and open_at is None)
        closing = ch in "”»" or (ch == '"' and open_at is not None)
        if open_at is None and opening:
            open_at = i + 1
        elif open_at is not None and closing:
            if i > open_at:
                spans.append((open_at, i))
            open_at = None
    if open_at is not None and len(text) - open_at > 1:
        spans.append((open_at, len(text)))
    # a quoted phrase of one or two words is a scare quote, not speech
    return [(s, e) for s, e in spans if len(text[s:e].split()) >= 4]


class Attributor:
    """Finds the speech frames of a paragraph, given its mentions and the document's speaker book."""

    def __init__(self, book: SpeakerBook, registry: Any) -> None:
        self.book = book
        self.registry = registry
        self.cs = cue_sets()
        self.reporting = cues()["reporting_verbs"]

    # -- speakers -------------------------------------------------------------------------------------
    def resolve_speaker(self, tok: Any, pm: ParaMentions) -> tuple[Actor | None, str | None, Actor | None, bool]:
        """(speaker, role, affiliation, anonymous) for the subject token of a reporting verb."""
        lo = tok.lower_
        if lo in ("he", "she", "him", "her"):
            e = self.book.last_person()
            if e:
                return e.actor, e.role, e.affiliation, False
            return None, None, None, True
        if lo in ("i", "we"):
            e = self.book.entries[-1] if self.book.entries else None
            return (e.actor, e.role, e.affiliation, False) if e else (None, None, None, True)
        phrase = list(tok.subtree)
        persons = [m for m in pm.within(phrase, "actor") if m.actor and m.actor.kind == "person"]
        orgs = [m for m in pm.within(phrase, "actor") if m.actor and m.actor.kind != "person"]
        role = None
        for t in phrase:
            if t.lower_ in SPEAKER_ROLES and t.pos_ in ("NOUN", "PROPN"):
                role = t.lower_
                if t.i == tok.i:
                    break
        affiliation = orgs[0].actor if orgs else None
        if persons:
            # the person named in the phrase (apposition or title + name)
            p = persons[-1] if tok.dep_ != "appos" else persons[0]
            actor = p.actor
            entry = self.book.get(actor) if actor else None
            if affiliation is None and actor is not None and actor.id and self.registry is not None:
                ent = self.registry.get(actor.id)
                if ent is not None and getattr(ent, "affiliation", None):
                    aff_entry = self.registry.get(ent.affiliation)
                    if aff_entry is not None:
                        affiliation = self.registry.to_actor(aff_entry, aff_entry.name, on=pm.published)
            if entry:
                role = role or entry.role
                affiliation = affiliation or entry.affiliation
            if actor is not None and actor.country is None and affiliation is not None:
                actor = actor.model_copy(update={"country": affiliation.country,
                                                 "sector": actor.sector or affiliation.sector})
            return actor, role, affiliation, False
        if role is not None and tok.lower_ in SPEAKER_ROLES | {r + "s" for r in SPEAKER_ROLES}:
            if tok.lower_ in ("source", "sources") or any(c.lower_ in ("a", "an") for c in tok.children) and not orgs:
                if tok.lower_ in ("source", "sources", "official", "officials", "witness", "witnesses"):
                    return None, role, affiliation, True
            e = self.book.by_role(role, affiliation)
            if e and any(c.lower_ in ("the", "this", "that") for c in tok.children) | bool(orgs):
                return e.actor, e.role, e.affiliation, False
            if tok.lower_ in ("source", "sources", "official", "officials"):
                return None, role, affiliation, True
        if orgs:
            return orgs[0].actor, role, None, False
        return None, role, affiliation, True

    # -- via ------------------------------------------------------------------------------------------
    def vias(self, sent: Any, pm: ParaMentions) -> list[Via]:
        out: list[Via] = []

        def media_name(t: Any) -> str:
            ms = [m for m in pm.within(list(t.subtree), "actor") if m.actor and m.actor.kind == "media"]
            if ms:
                return ms[0].actor.name or ms[0].text  # type: ignore[union-attr]
            txt, _, _ = phrase_text(t)
            return re.sub(r"^(the|a|an)\s+", "", txt, flags=re.I)

        def add(name: str, kind: str) -> None:
            if name and all(v.name != name for v in out):
                out.append(Via(name=name, kind=kind))  # type: ignore[arg-type]

        for t in sent:
            lo = t.lower_
            lem = lemma(t)
            if lo == "interview" or lem == "interview":
                for c in t.children:
                    if c.dep_ == "prep" and c.lower_ in ("with", "to", "on"):
                        for p in c.children:
                            if p.dep_ == "pobj":
                                add(media_name(p), "interview")
                for m in pm.within(list(t.subtree), "actor"):
                    if m.actor and m.actor.kind == "media":
                        add(m.actor.name or m.text, "interview")
            elif lem in ("tell", "speak") and t.pos_ == "VERB":
                for c in t.children:
                    objs = [c] if c.dep_ in ("dobj", "dative", "iobj") else (
                        [p for p in c.children if p.dep_ == "pobj"] if c.dep_ == "prep" and c.lower_ in ("to", "with")
                        else [])
                    for o in objs:
                        ms = [m for m in pm.within(list(o.subtree), "actor") if m.actor and m.actor.kind == "media"]
                        if ms or any(w.lower_ in MEDIA_WORDS for w in o.subtree):
                            add(media_name(o), "interview")
            elif lem in ("quote", "cite", "report", "carry", "air", "broadcast", "publish") and t.pos_ == "VERB":
                kind = "broadcast" if lem in ("air", "broadcast") else "outlet"
                for c in t.children:
                    if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
                        for p in c.children:
                            if p.dep_ == "pobj":
                                add(media_name(p), kind)
                    if c.dep_ == "nsubj":
                        ms = [m for m in pm.within(list(c.subtree), "actor") if m.actor and m.actor.kind == "media"]
                        if ms:
                            add(ms[0].actor.name or ms[0].text, kind)  # type: ignore[union-attr]
            elif lo == "according" and any(c.lower_ == "to" for c in t.children):
                for c in t.children:
                    for p in c.children:
                        if p.dep_ == "pobj":
                            ms = [m for m in pm.within(list(p.subtree), "actor") if m.actor and m.actor.kind == "media"]
                            if ms:
                                add(ms[0].actor.name or ms[0].text, "outlet")  # type: ignore[union-attr]
            elif lo in ("statement", "communique", "communiqué", "release") and t.pos_ == "NOUN":
                add("statement", "statement")
            elif lo in ("speech", "address") and any(c.lower_ in ("televised", "broadcast", "televized") for c in
                                                     t.children):
                add(f"televised {lo}", "broadcast")
            elif lo in SOCIAL and t.dep_ == "pobj" and t.head.lower_ in ("on", "via"):
                add(SOCIAL[lo], "social_media")
            elif lo in ("tweet", "tweeted", "posted"):
                add("Twitter" if "tweet" in lo else "social media post", "social_media")
        # a media outlet as the object of "on" next to a broadcast word ("said on Al Jazeera")
        for m in pm.within(list(sent), "actor"):
            if m.actor and m.actor.kind == "media":
                tok = sent.doc[m.tok_end - 1]
                if tok.head.lower_ in ("on",) and all(v.name != (m.actor.name or m.text) for v in out):
                    add(m.actor.name or m.text, "broadcast")
        return out

    # -- evidence basis ---------------------------------------------------------------------------------
    def evidence_basis(self, trigger: Any, stop: Any | None) -> str | None:
        cs = self.cs
        cur = trigger
        while cur.head.i != cur.i:
            h = cur.head
            if lemma(h) in cs["evidence_verbs"] and h.pos_ == "VERB":
                for c in h.children:
                    if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
                        heads = {lemma(c), c.lower_}
                        if heads & cs["evidence_nouns"] or any(lemma(t) in cs["evidence_nouns"] for t in c.subtree
                                                              if t.dep_ in ("compound", "pobj")):
                            return phrase_text(c)[0]
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ in ("based", "according"):
                    for p in c.subtree:
                        if p.dep_ == "pobj" and lemma(p) in cs["evidence_nouns"]:
                            return phrase_text(p)[0]
            if stop is not None and h.i == stop.i:
                break
            cur = h
        return None

    # -- frames -----------------------------------------------------------------------------------------
    def frames(self, pm: ParaMentions, sent_offset: int) -> list[Frame]:
        doc = pm.doc
        base = pm.base
        frames: list[Frame] = []
        qspans = quote_spans(doc.text)

        def in_quote(tok: Any) -> tuple[int, int] | None:
            for s, e in qspans:
                if s <= tok.idx < e:
                    return (s, e)
            return None

        covered_quotes: set[tuple[int, int]] = set()
        for si, sent in enumerate(doc.sents):
            sidx = sent_offset + si
            via = self.vias(sent, pm)
            sent_frames: list[Frame] = []
            for t in sent:
                lem = lemma(t)
                if t.pos_ not in ("VERB", "AUX") or lem not in self.reporting:
                    continue
                if lem == "point" and not any(c.dep_ == "prt" and c.lower_ == "out" for c in t.children):
                    continue
                subj = next((c for c in t.children if c.dep_ in ("nsubj",)), None)
                if subj is None:
                    agent = next((c for c in t.children if c.dep_ == "agent"), None)
                    subj = next((p for p in agent.children if p.dep_ == "pobj"), None) if agent else None
                content_kids = [c for c in t.children if c.dep_ in ("ccomp", "xcomp", "parataxis")]
                if lem in ("deny", "reject", "dismiss", "confirm", "report", "accuse", "blame", "condemn",
                           "welcome", "describe"):
                    content_kids += [c for c in t.children if c.dep_ == "dobj"]
                if lem in ("accuse", "blame", "charge", "condemn", "criticize", "criticise", "praise", "thank"):
                    content_kids += [c for c in t.children if c.dep_ == "prep" and c.lower_ in ("of", "for")]
                if lem in ("say", "tell", "add") and not content_kids:
                    content_kids = [c for c in t.children if c.dep_ in ("dobj",) and c.pos_ in ("PRON",)]
                if subj is None or not content_kids:
                    continue
                if subj.lower_ in ("it", "that", "this", "which", "what"):
                    continue
                if lemma(subj) in self.cs["evidence_nouns"] and lem in self.cs["evidence_verbs"]:
                    continue  # "the analysis ... indicates that": an evidence basis, not a speaker
                content: set[int] = set()
                for c in content_kids:
                    content.update(x.i for x in c.subtree)
                speaker, role, affiliation, anon = self.resolve_speaker(subj, pm)
                # first-person inner frames ("what we have said") belong to the outer speaker
                if subj.lower_ in ("we", "i") and any(t.i in f.content for f in sent_frames):
                    continue
                qk = "indirect"
                qs = [in_quote(doc[i]) for i in content]
                n_in = sum(1 for q in qs if q)
                if n_in and n_in >= 0.8 * len(content):
                    qk = "direct"
                elif n_in:
                    qk = "mixed"
                for q in qs:
                    if q:
                        covered_quotes.add(q)
                certainty = self.reporting.get(lem, "certain")
                denial = t.text if lem in self.cs["denial"] else None
                fr = Frame(sidx, speaker, subj, role, t, t.text + (" out" if lem == "point" else ""),
                           base + t.idx, base + t.idx + len(t), content, content_kids[0], qk, certainty,
                           denial, via=list(via), affiliation=affiliation, anonymous=anon)
                sent_frames.append(fr)
                if speaker is not None:
                    self.book.record(speaker, role, affiliation, via)
            # according to X
            for t in sent:
                if t.lower_ == "according" and any(c.lower_ == "to" for c in t.children):
                    to = next(c for c in t.children if c.lower_ == "to")
                    pobj = next((p for p in to.children if p.dep_ == "pobj"), None)
                    if pobj is None:
                        continue
                    if lemma(pobj) in self.cs["evidence_nouns"] and not pm.within(list(pobj.subtree), "actor"):
                        continue  # "according to documents": an evidence basis, handled by evidence_basis
                    speaker, role, affiliation, anon = self.resolve_speaker(pobj, pm)
                    skip = set(x.i for x in t.subtree)
                    content = {x.i for x in sent if x.i not in skip and not x.is_punct}
                    if not content:
                        continue
                    fr = Frame(sidx, speaker, pobj, role, t, "according to", base + t.idx,
                               base + to.idx + len(to), content, sent.root, "indirect", "certain", None,
                               via=list(via), affiliation=affiliation, anonymous=anon)
                    sent_frames.append(fr)
                    if speaker is not None and speaker.kind != "media":
                        self.book.record(speaker, role, affiliation, via)
            frames.extend(sent_frames)
        # direct quotes without a cue in their sentence: the previous speaker goes on
        for s, e in qspans:
            if (s, e) in covered_quotes:
                continue
            toks = [t for t in doc if s <= t.idx < e]
            if not toks:
                continue
            if any(t.i in f.content for f in frames for t in toks):
                continue
            prev = self.book.last_person()
            if prev is None:
                continue
            sent_i = sent_offset + list(doc.sents).index(toks[0].sent)
            frames.append(Frame(sent_i, prev.actor, None, prev.role, None, None, None, None,
                                {t.i for t in toks}, None, "direct", "certain", None, via=[],
                                affiliation=prev.affiliation))
        return frames


def passage(doc_text: str, start: int, end: int, sentence: int) -> Passage:
    return Passage(text=doc_text[start:end], start=start, end=end, sentence=sentence)
