"""Document-level speakers: one speaker table per document, so a claim and its quote agree (definite
descriptions, quotes around a claim, relays and citations, examiners of evidence, authors of products)."""

from __future__ import annotations

import re
from typing import Any

from ..lexicon import words as lexicon_words
from ..models import Actor, Claim, Quote, Via
from ..nlp import lemma, sent_of
from ..token_table import children_of, subtree_indices, token_table
from .base import WorkDoc
from .common import ACTOR_KINDS, _source_nouns, chain_order, same_speaker, unnamed_speaker


def resolve_definites(quotes: list[Quote], claims: list[Claim], body: str) -> None:
    """The speaker table of the document: a definite description ("the ministry", "the panel", "the
    spokesman") that no registry resolves points back to the latest earlier source named with the same head
    word ("the Bordurian defence ministry said ... The ministry added ..."); quotes and claims take the same
    entry."""
    table: list[Actor] = []
    resolved: dict[tuple[int | None, int | None], Actor] = {}
    for q in sorted(quotes, key=lambda q: q.content.start):
        sp = q.speaker
        if sp is None:
            continue
        words = sp.text.lower().split()
        if sp.id is None and sp.start is not None and len(words) == 1 \
                and body[max(0, sp.start - 4):sp.start].lower() == "the ":
            earlier = next((e for e in reversed(table) if len(e.text.split()) > 1
                            and e.text.lower().split()[-1] == words[0]), None)
            if earlier is not None:
                resolved[(sp.start, sp.end)] = earlier
                q.speaker = earlier
                continue
        table.append(sp)
    for c in claims:
        sp = c.attribution.speaker
        if sp is not None and (sp.start, sp.end) in resolved:
            c.attribution.speaker = resolved[(sp.start, sp.end)]
            c.why["speaker"] = f"'the {sp.text}' refers back to '{c.attribution.speaker.text}'"



def speak_from_quotes(claims: list[Claim], quotes: list[Quote], body: str) -> None:
    """A claim's speaker and its quote come from one place: a claim in the outlet's voice whose trigger lies
    in the words a quote attributes (the innermost quote with a speaker), or is that quote's own cue ("X
    denied ..."), takes the quote's speaker, cue and chain; a media speaker that cites its sources ("X
    reported, citing officials") passes the claim to those sources, the outlet going to `via`."""
    reporting: list[Quote] | None = None  # the quotes that report words (read once, on first need)
    for c in claims:
        a = c.attribution
        t0 = c.event.trigger_start if c.event.trigger_start is not None else c.evidence.start
        if a.speaker is None:
            if a.speaker_role is None and a.quote == "none":
                if reporting is None:
                    reporting = [q for q in quotes if _reports_words(q)]
                quotes_ = reporting
            else:  # an unnamed source of the claim's own frame: its quote names it as written
                quotes_ = quotes
            inside = [q for q in quotes_ if q.speaker is not None and q.content.start <= t0 < q.content.end]
            own = [q for q in quotes_ if q.speaker is not None and q.cue is not None
                   and q.cue.start <= t0 < q.cue.end]
            q = min(inside, key=lambda q: q.content.end - q.content.start) if inside else (own[0] if own else None)
            if q is None and c.event.type in ("REJECT", "ACCUSE") and c.actors and a.quote == "none" \
                    and c.event.trigger.lower().split()[0] in _source_nouns()["speech_act_cues"]:
                a.speaker = c.actors[0]
                c.why["speaker"] = f"the {c.event.type.lower()} is the act of speaking of '{c.actors[0].text}'"
                continue
            if q is None:
                continue
            a.speaker = q.speaker
            if q.cue is not None:
                a.cue = a.cue or q.cue.text
            if a.quote == "none":
                a.quote = q.quote
            for v in q.via:
                if all(v.name != w.name for w in a.via):
                    a.via.append(v)
            a.via = chain_order(a.via)
            a.evidence_basis = a.evidence_basis or q.evidence_basis
            c.why["speaker"] = f"the quote '{body[q.content.start:q.content.start + 40]}...' is attributed to " \
                               f"'{q.speaker.text}'"
        elif a.speaker.kind == "media":
            _cited_sources(c, quotes, body)
        else:
            _reported_speech_act(c, quotes)



def relay_speakers(claims: list[Claim], triggers: dict[int, Any], body: str) -> None:
    """A speaker who says something while quoting or citing another ("the agency said, quoting a commander")
    relays it: the one quoted speaks, the relaying speaker becomes the nearest step of `via`."""
    for c in claims:
        sp, tok = c.attribution.speaker, triggers.get(id(c))
        if sp is None or tok is None:
            continue
        src = relayed_source(tok, body, c.evidence.start - sent_of(tok).start_char)
        if src is None or src.text == sp.text:
            continue
        if all(v.name not in (sp.name, sp.text) for v in c.attribution.via):
            c.attribution.via.insert(0, Via(name=sp.name or sp.text,
                                            kind="outlet" if sp.kind == "media" else "statement"))
        c.attribution.speaker = src
        c.why["speaker"] = f"'{sp.text}' relays '{src.text}', whom it quotes or cites"



def examiner_speakers(claims: list[Claim], triggers: dict[int, Any], body: str) -> None:
    """A claim in the outlet's voice that rests on evidence someone examined takes that examiner as speaker."""
    for c in claims:
        tok = triggers.get(id(c))
        if c.attribution.speaker is not None or tok is None:
            continue
        ex_tok = examined_source(tok)
        if ex_tok is None:
            continue
        sp = _phrase_actor(ex_tok, body, c.evidence.start - sent_of(tok).start_char)
        if sp is not None:
            c.attribution.speaker = sp
            c.why["speaker"] = f"'{sp.text}' examined the evidence the claim rests on"



def authors_of_products(claims: list[Claim], quotes: list[Quote], mentions: list[Any]) -> None:
    """Document-level attribution for sources that are things: a written product speaks for its author (named
    in the phrase, or the latest earlier speaker that is an actor), evidence and events speak for no one."""
    nouns = _source_nouns()
    for c in claims:
        a = c.attribution
        sp = a.speaker
        if sp is None or sp.id is not None:
            continue
        head = _head_word(sp)
        if head in nouns["evidence"]:
            a.evidence_basis = a.evidence_basis or sp.text
            a.speaker = None
            c.why["speaker"] = f"'{sp.text}' shows, it does not speak: the outlet's own voice"
            continue
        if head not in nouns["products"]:
            continue
        owner = None
        if sp.start is not None and sp.end is not None:
            owner = next((m for m in mentions if m.kind == "actor" and m.id and sp.start <= m.start < sp.end), None)
        if owner is not None:
            kind = owner.label if owner.label in ACTOR_KINDS else "unknown"
            a.speaker = Actor(text=owner.text, id=owner.id, kind=kind, country=owner.country,
                              start=owner.start, end=owner.end, why=f"the author of '{sp.text}'")
            a.via = chain_order([*a.via, Via(name=sp.text, kind="document")]) if all(
                v.name != sp.text for v in a.via) else a.via
            c.why["speaker"] = f"'{sp.text}' is the product of '{owner.text}'"
            continue
        earlier = [q.speaker for q in quotes if q.speaker is not None and q.content.start < c.evidence.start
                   and _head_word(q.speaker) not in nouns["products"] | nouns["evidence"]]
        if earlier:
            a.speaker = earlier[-1]
            c.why["speaker"] = f"'{sp.text}' refers back to the latest source named before it, '{earlier[-1].text}'"



def relayed_source(trigger: Any, body: str, base: int) -> Actor | None:
    """The source that the reporting verb above the trigger relays ("X was delivered, the agency said, quoting
    a senior commander"; "X reported, citing two diplomats"): the quoted or cited phrase, as written."""
    relay, deps = lexicon_words("pipeline", "relay_verbs"), lexicon_words("pipeline", "relay_deps")
    doc = trigger.doc
    tab, kids = token_table(doc), children_of(doc)  # (the walk reads the token table: Tokens for a find only)
    cur = trigger.i
    for _ in range(6):
        for c in kids[cur]:
            if tab.dep[c] in deps and tab.tag[c] == "VBG" and tab.lemma[c] in relay and c != trigger.i:
                obj = next((o for o in kids[c] if tab.dep[o] == "dobj"), None)
                if obj is None:
                    continue
                toks = [doc[x] for x in subtree_indices(doc, obj)]
                while len(toks) > 1 and toks[0].dep_ in ("det", "nummod"):
                    toks = toks[1:]  # "one senior figure", "two diplomats": the count is no part of the name
                start = base + toks[0].idx
                return unnamed_speaker(body[start:base + toks[-1].idx + len(toks[-1].text)], None, False, start)
        if tab.head[cur] == cur:
            break
        cur = tab.head[cur]
    return None



def _phrase_actor(tok: Any, body: str, base: int) -> Actor | None:
    toks = list(tok.subtree)
    start = base + toks[0].idx
    return unnamed_speaker(body[start:base + toks[-1].idx + len(toks[-1].text)], None, False, start)



def _examiner(noun: Any) -> Any:
    """Who examined the evidence `noun` names: the subject of the verb it is the object of ("experts analyzed
    images"), or the agent of its participle ("images analyzed by X")."""
    verbs = lexicon_words("pipeline", "analysis_verbs")
    if noun.dep_ in ("dobj", "conj"):
        head = noun.head
        while head.dep_ == "conj" and head.pos_ in ("NOUN", "PROPN"):
            head = head.head
        if lemma(head) in verbs:
            return next((c for c in head.children if c.dep_ == "nsubj"), None)
    for c in noun.children:
        if c.dep_ == "acl" and lemma(c) in verbs:
            return next((g for a in c.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"), None)
    return None



def examined_source(trigger: Any) -> Any:
    """The examiner of the evidence a claim rests on ("experts have analyzed images which appear to show X";
    "activists have documented X"), as a token, or None."""
    verbs, shows = lexicon_words("pipeline", "analysis_verbs"), lexicon_words("pipeline", "show_verbs")
    doc = trigger.doc
    tab = token_table(doc)  # (the walk up reads the token table: Tokens once a verb is found)
    up = trigger.i
    for _ in range(8):
        if tab.head[up] == up:
            return None
        up = tab.head[up]
        if tab.lemma[up] in verbs:
            return next((doc[c] for c in children_of(doc)[up] if tab.dep[c] == "nsubj"), None)
        if tab.lemma[up] not in shows:
            continue
        cur = doc[up]
        v = cur.head if cur.dep_ == "xcomp" else cur  # "appear to show"
        subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.tag_ in ("WDT", "WP") and v.dep_ == "relcl":
            subj = v.head  # "images, which appear to show"
        return _examiner(subj) if subj is not None else None
    return None



def _head_word(a: Actor) -> str:
    words = [w for w in re.split(r"[^\w'-]+", a.text.lower()) if w]
    if not words:
        return ""
    # "statement from NISA", "report by the panel": the head comes before the preposition
    for k, w in enumerate(words):
        if w in lexicon_words("pipeline", "author_preps") and k:
            return words[k - 1]
    return words[-1]



def _reported_speech_act(c: Claim, quotes: list[Quote]) -> None:
    """A speech act told in another source's words ("the captain revealed that X had threatened ..."): the
    act is X's, the claim is the teller's, as for any other act in those words."""
    a = c.attribution
    sp = a.speaker
    t0 = c.event.trigger_start
    if sp is None or t0 is None or c.event.type == "REJECT":
        return  # a denial stays the denier's: it is the denier's commitment, whoever relays it
    own_cue = bool(a.cue) and a.cue.split()[0].lower() == c.event.trigger.split()[0].lower()
    if not own_cue and not any(q.cue is not None and q.cue.start <= t0 < q.cue.end and q.speaker is not None
                               and same_speaker(q.speaker, sp) for q in quotes):
        return
    outer = [q for q in quotes if q.speaker is not None and q.content.start <= t0 < q.content.end
             and not same_speaker(q.speaker, sp) and _reports_words(q)]
    if outer:
        q = min(outer, key=lambda q: q.content.end - q.content.start)
        a.speaker = q.speaker
        a.cue = q.cue.text if q.cue is not None else a.cue
        c.why["speaker"] = f"'{sp.text}' {c.event.trigger} in the words of '{q.speaker.text}'" if q.speaker else ""



def _reports_words(q: Quote) -> bool:
    """The quote reports words or published findings ("said", "found", "revealed"), not a stance or an
    intention ("raised concerns about", "agreed to"): only such a quote speaks for the claims in it."""
    if q.cue is None:
        return q.quote == "direct"
    return bool(set(re.findall(r"[a-z]+", q.cue.text.lower())) & _source_nouns()["finding_cues"])



def _cited_sources(c: Claim, quotes: list[Quote], body: str) -> None:
    """'X reported, citing senior officials': the officials speak, X is the nearest step of the chain."""
    a = c.attribution
    sp = a.speaker
    if sp is None:
        return
    for q in quotes:
        if q.cue is None or not q.cue.text.lower().startswith("citing") or q.speaker is None:
            continue
        if not (c.evidence.start <= q.cue.start < c.evidence.end) or (q.speaker.id or q.speaker.text) != (
                sp.id or sp.text):
            continue
        src = unnamed_speaker(q.content.text, None, True)
        if src is None:
            continue
        a.speaker = src
        if all(v.name != sp.text for v in a.via):
            a.via.insert(0, Via(name=sp.name or sp.text, kind="outlet"))
        c.why["speaker"] = f"'{sp.text}' cites '{src.text}': they speak, the outlet relays"
        return



class SpeakerStage:
    """Document-level speakers: the document's speaker table resolves definite descriptions, quotes give the
    claims in their words their speaker, relays and citations pass a claim to its source, examiners of
    evidence and the authors of written products speak for what they examined or wrote."""

    name = "speakers"

    def __call__(self, doc: WorkDoc) -> WorkDoc:
        resolve_definites(doc.quotes, doc.claims, doc.body)
        speak_from_quotes(doc.claims, doc.quotes, doc.body)
        relay_speakers(doc.claims, doc.triggers, doc.body)
        examiner_speakers(doc.claims, doc.triggers, doc.body)
        authors_of_products(doc.claims, doc.quotes, doc.mentions)
        return doc
