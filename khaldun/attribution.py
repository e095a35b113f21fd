"""Attribution stage: who says so, how (cue, direct or indirect quote), through which chain (`via`), and on
what basis (`evidence_basis`).

Per paragraph it finds frames (source, cue, content):
- a cue verb with its subject: speech ("X said that ...", '"...," X said'), and, from the wider
  attribution lexicon of cues.yaml, belief, intention, evaluation and evidence ("X believes", "X wants
  to", "polls show"). A subjectless participle or coordinated verb takes its governor's subject ("...,
  adding that"), a relative pronoun its antecedent ("who said"), a passive its agent.
- a chain of cue words: "went on to explain", "refused to say", "was able to tout" (the governing verb or
  copula lends subject, tense and negation, and the chain is the cue), and the medium or time the cue
  takes in ("said in an interview", "said Friday morning").
- stances: a verb whose object names a stance or statement ("offered no proof that", "raised concerns
  about", "has no illusions about"), a copula with a stance predicate ("is critical of", "were willing to",
  "is a staunch opponent of"), a stance or statement noun with its source ("his disdain for", "criticism
  from X of", "a New York Times report that") or, with a that-clause, without one ("growing concerns that").
- an agentless passive of a cue verb ("he was accused of ...", "the veto is expected to ..."): a quote
  without a source; "as X put it" and other as-clauses of speech ("as experts have pointed out, ..."):
  the governing clause is the content.
- "according to X", "in a new poll", "X's claim that ...", and layout: 'X said:' closing a paragraph
  (the next paragraph is the content), 'NAME: words' (transcripts), 'words ― NAME' (signed quotes, one
  per line when a paragraph stacks several).
- direct quotes: a quote said in part is said in full, a quote resumed after '"...," he said.' goes on,
  and a quote paragraph with no cue goes to the previous speaker.
Speakers are resolved through a document-level book: appositions ("the spokesman ..., Ahmad
al-Mesmari"), pronouns ("he", "it"), and definite descriptions ("the Libyan National Army spokesman")
point back to the speaker already introduced.

Frames serve two readers. `Document.quotes` lists the attributions the outlet reports (`Frame.quotable`:
not those inside a direct quote or another speaker's words, nor generic second-person or infinitival
cues; a negated, conditional or first-person cue is listed: "did not say whether" reports a source's silence; each word belongs to
one listed attribution, so a belief or stance inside another listed frame's content is not listed again).
Claims take their speaker from the innermost frame around their trigger: a belief or intention frame
inside another speaker's words keeps that speaker ("he said they want ..." is his claim),
and a frame that does not report words ("demanded an inquiry", "agreed to", "polls show") is transparent
to claims, which stay in the outlet's voice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .lexicon import cue_sets, cues, document, table
from .lexicon import words as lexicon_words
from .mentions import ParaMentions
from .models import Actor, Passage, Via
from .nlp import doc_text, lemma, sent_list, sent_no, sent_of
from .token_table import TokenTable, children_of, subtree_indices, token_table


def _w(name: str) -> frozenset[str]:
    """A word (or parser-label) class of this module, from data/lexicon/attribution.yaml."""
    return lexicon_words("attribution", name)


QUOTE_CHARS = '"“”«»„'
DASHES = frozenset({"―", "—", "–", "--"})
SPEAKER_ROLES = _w("speaker_roles")
ROLE_FORMS = SPEAKER_ROLES | {r + "s" for r in SPEAKER_ROLES}
RANK_ROLES, SPEAKER_BODIES, BODY_PREPS = _w("rank_roles"), _w("speaker_bodies"), _w("body_prepositions")
MEDIA_WORDS = _w("media_words")
NEWS_WORDS = frozenset(document("sources")["news_words"])
PRONOUNS = _w("pronouns")
SOCIAL = {w.lower(): w for w in _w("social_platforms")}
# cue verbs whose agentless passive still has a source, only an unnamed one ("was accused of", "is reported to")
UNNAMED_PASSIVE_SOURCES = _w("unnamed_passive_sources")
PARTICIPLES = table("attribution", "participles")
TIME_WORDS = _w("time_words")
LAYOUT_WORDS = _w("layout_words")
QUOTING_VERBS = _w("quoting_verbs")
META_NOUNS = _w("meta_nouns")
MEDIUM_NOUNS = _w("medium_nouns")
WRITTEN_NOUNS = _w("written_nouns")
QUANTITY_NOUNS = _w("quantity_nouns")
CUE_PREPS = _w("cue_prepositions")
DETERMINERS = _w("determiners")
# the other classes of attribution.yaml, each named after its class (see the comments there)
PERSON_PRONOUNS, SOURCE_PRONOUNS, FIRST_PERSON = _w("person_pronouns"), _w("source_pronouns"), _w("first_person_subjects")
RELATIVE, WH_SUBJECTS, NO_CONTENT_SUBJECTS = _w("relative_pronouns"), _w("wh_subjects"), _w("no_content_subjects")
NO_SOURCE_POSS, GENERIC_SUBJECTS = _w("no_source_possessives"), _w("generic_subjects")
UNNAMED_HEADS, ANONYMOUS_HEADS, SOURCE_HEADS = _w("unnamed_source_heads"), _w("anonymous_heads"), _w("source_heads")
INDEFINITE, BACK_DETS, ROLE_BACK_DETS = _w("indefinite_articles"), _w("back_reference_determiners"), \
    _w("role_back_determiners")
LOCATION_PREPS, SOURCE_PREPS = _w("location_prepositions"), _w("source_prepositions")
PLATFORM_PREPS, POST_WORDS, POST_NOUNS = _w("platform_prepositions"), _w("post_words"), _w("post_nouns")
PASSIVE_PREPS, INTERVIEW_VERBS = _w("passive_prepositions"), _w("interview_verbs")
INTERVIEW_PREPS, ADDRESSEE_PREPS = _w("interview_prepositions"), _w("addressee_prepositions")
RELAY_VERBS, BROADCAST_VERBS = _w("relay_verbs"), _w("broadcast_verbs")
EXAMINING_VERBS = _w("examining_verbs")
STATEMENT_NOUNS, NOT_DOCUMENT_STEPS = _w("statement_nouns"), _w("not_document_steps")
SPEECH_NOUNS, BROADCAST_MODIFIERS = _w("speech_nouns"), _w("broadcast_modifiers")
BASIS_PREPS, NOT_TOPIC_PREPS = _w("basis_prepositions"), _w("not_topic_prepositions")
NOT_CUE_ADVERBS, PRO_WORDS, MANNER_NOUNS = _w("not_cue_adverbs"), _w("pro_words"), _w("manner_nouns")
DENIAL_NOUNS, NO_FALLBACK_VERBS, ACCUSING_VERBS = _w("denial_nouns"), _w("no_fallback_verbs"), _w("accusing_verbs")
# parser labels
CLAUSAL, CLAUSAL_NO_PARATAXIS = _w("dep_clausal"), _w("dep_clausal_no_parataxis")
PASSIVE_CONTENT, OBJECT_CLAUSE = _w("dep_passive_content"), _w("dep_object_clause")
THAT_CLAUSE, NOUN_CLAUSE, CLAUSE_MODIFIER = _w("dep_that_clause"), _w("dep_noun_clause"), _w("dep_clause_modifier")
CLAUSE_ON_SUBJECT, RELATIVE_CLAUSE = _w("dep_clause_on_subject"), _w("dep_relative_clause")
SENTENCE_ADVERBIAL, GOVERNING_CLAUSE = _w("dep_sentence_adverbial"), _w("dep_governing_clause")
SUBJECT_LIKE, SUBJECT, PRONOUN_ARGUMENT = _w("dep_subject_like"), _w("dep_subject"), _w("dep_pronoun_argument")
OBJECT, STRAY_NAME, BORROWED_SUBJECT = _w("dep_object"), _w("dep_stray_name"), _w("dep_borrowed_subject")
MODIFIER, NAME_MODIFIER, PLATFORM_MODIFIER = _w("dep_modifier"), _w("dep_name_modifier"), _w("dep_platform_modifier")
CUE_PREFIX, QUOTE_PREFIX = _w("dep_cue_prefix"), _w("dep_quote_prefix")
FINITE, CUE_WORD_POS, STANCE_MODIFIER_POS = _w("tag_finite"), _w("pos_cue_word"), _w("pos_stance_modifier")
SIGNATURE_POS, NAME_ENTS = _w("pos_signature"), _w("ent_name")


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
    body: Actor | None = None  # the body the speaker speaks for when no registry knows it ("coalition spokesman")
    anonymous: bool = False
    speech: bool = True  # a speech act (say, claim, deny); False for belief, intention, evidence frames
    nested: bool = False  # inside another speaker's words: claim fields are the outer frame's
    own_speaker: Actor | None = None  # the frame's own source, for the quote list
    speaker_span: tuple[int, int] | None = None  # document offsets of the source phrase
    own_cue_tok: Any | None = None  # a nested frame's own cue (cue_tok is the outer frame's)
    quotable: bool = True  # listed in Document.quotes (see Attributor.quotable)
    layout: bool = False  # marked by layout ("NAME: ...", "... ― NAME", "X said:" before a paragraph)
    claim: bool = True  # the claims in the content are this speaker's (False: a quote only, see _transparent)
    own_via: list[Via] | None = None  # a transparent frame's chain, for the quote list

    @property
    def key(self) -> str | None:
        if self.speaker is None:
            return None
        return self.speaker.id or self.speaker.text.lower()


def _person_before(tok: Any, pm: ParaMentions) -> Actor | None:
    """The last registered person named before `tok` in its own sentence."""
    start = sent_of(tok).start
    found = [m for m in pm.all if m.kind == "actor" and m.actor is not None and m.actor.kind == "person"
             and m.actor.id is not None and start <= m.tok_start and m.tok_end <= tok.i]
    return max(found, key=lambda m: m.tok_end).actor if found else None


@dataclass
class SpeakerEntry:
    actor: Actor
    role: str | None
    affiliation: Actor | None
    via: list[Via] = field(default_factory=list)
    evidence_basis: str | None = None
    heads: set[str] = field(default_factory=set)  # common-noun heads it was named with ("experts" of "UN experts")


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
        if a.id is None and a.kind == "person" and " " not in a.text.strip():
            # a bare family name ("al-Ghariani") after the full name of an unregistered person
            for e in reversed(self.entries):
                full = e.actor.text.lower().split()
                if e.actor.id is None and e.actor.kind == "person" and len(full) > 1 and full[-1] == k:
                    return e
        return None

    def record(self, actor: Actor, role: str | None, affiliation: Actor | None, via: list[Via],
               head: Any | None = None) -> SpeakerEntry:
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
        if head is not None and head.pos_ == "NOUN":
            e.heads.add(lemma(head))
        return e

    def by_head(self, noun: str) -> SpeakerEntry | None:
        """The latest speaker first named with this common noun: "the experts" after "UN experts said"."""
        return next((e for e in reversed(self.entries) if noun in e.heads), None)

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


def _manner_of_speaking(prep: Any, pobjs: list[Any]) -> bool:
    """"spoke on condition of anonymity", "said on the record": how the words were given, not what they are."""
    return _manner_at(token_table(prep.doc), prep.i, [p.i for p in pobjs])


def _manner_at(tab: TokenTable, prep: int, pobjs: list[int]) -> bool:
    """`_manner_of_speaking` of token indices, read from the token table."""
    return tab.lower[prep] == "on" and any(tab.lemma[p] in MANNER_NOUNS for p in pobjs)


_PHRASE_KEY = "khaldun_phrase_tokens"  # Doc.user_data: token index -> the indices of its phrase (phrase_tokens)


def phrase_tokens(tok: Any) -> list[Any]:
    """Tokens of tok's phrase, stopping at its own coordination or apposition and leaving out relative
    clauses anywhere inside ("the capital, Tripoli, which reached ..." -> "the capital, Tripoli"). Read once per
    token and Doc (the roles, speakers and actors of a paragraph ask for the same phrases again); the indices are
    kept, not the Tokens, so the Doc holds no reference to itself."""
    doc = tok.doc
    return [doc[i] for i in phrase_indices(tok)]


def phrase_indices(tok: Any) -> list[int]:
    """The token indices of `phrase_tokens(tok)`, without a Token for each (the caller must not change the list:
    it is the one kept for the Doc)."""
    doc = tok.doc
    memo = doc.user_data.get(_PHRASE_KEY)
    if memo is None:
        memo = doc.user_data[_PHRASE_KEY] = {}
    ids = memo.get(tok.i)
    if ids is None:
        ids = memo[tok.i] = [t.i for t in _phrase_tokens(tok)]
    return ids  # type: ignore[no-any-return]


def _phrase_tokens(tok: Any) -> list[Any]:
    # (token indices from the token table; a Token for the edges and punctuation tests only)
    doc, ti = tok.doc, tok.i
    tab, kids = token_table(doc), children_of(doc)
    cut: set[int] = set()
    for c in kids[ti]:
        if c > ti:
            break  # (the left children come first)
        # a sentence adverbial the parser hung on the noun ("On 9 May 2020, medical interns ...", "In
        # Tripoli, militias ..."): English puts a noun's own prepositional phrases after it
        if tab.dep[c] in SENTENCE_ADVERBIAL:
            ct = doc[c]
            if ct.right_edge.i + 1 < ti and tab.text[ct.right_edge.i + 1] == ",":
                cut.update(range(ct.left_edge.i, ct.right_edge.i + 2))
    whole = subtree_indices(doc, ti)
    for t in whole:
        # (collected first: a relative pronoun comes before its clause's head, "the capital, which reached")
        if tab.dep[t] in ("relcl",) or (tab.dep[t] == "acl" and tab.head[t] == ti):
            cut.update(subtree_indices(doc, t))
    # the phrase ends where its own coordination or apposition begins (with that phrase's determiners and
    # the comma before it: "a foreign state, a charge the group rejected" -> "a foreign state")
    # (an apposition without a comma is a name after its title: "Minister for Interior Aftab Ahmad Khan")
    stop = min((doc[c].left_edge.i for c in kids[ti] if c > ti and (tab.dep[c] in ("cc", "conj") or (
        tab.dep[c] == "appos" and doc[c].left_edge.i > 0 and doc[doc[c].left_edge.i - 1].is_punct))), default=None)
    keep = []
    for t in whole:
        if stop is not None and t >= stop:
            break
        if t in cut:
            continue
        keep.append(t)
    while keep and doc[keep[-1]].is_punct:
        keep.pop()
    return [doc[i] for i in keep]


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
    return doc_text(tok.doc)[s:e], base + s, base + e


_QUOTE_MARK = re.compile(r"''|[\"“”«»„]")


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (inside the marks) of direct quotes in a paragraph; an unclosed quote runs to the end.
    Two apostrophes ('') count as a double quote mark, as some newspapers' archives print them."""
    spans = []
    open_at = None
    for m in _QUOTE_MARK.finditer(text):
        ch = m.group()
        ambiguous = ch in ('"', "''")
        opening = ch in "“«„" or (ambiguous and open_at is None)
        closing = ch in "”»" or (ambiguous and open_at is not None)
        if open_at is None and opening:
            open_at = m.end()
        elif open_at is not None and closing:
            if m.start() > open_at:
                spans.append((open_at, m.start()))
            open_at = None
    if open_at is not None and len(text) - open_at > 1:
        spans.append((open_at, len(text)))
    # a quoted phrase of one or two words is a scare quote, not speech
    return [(s, e) for s, e in spans if len(text[s:e].split()) >= 4]


def _media_in(toks: list[Any], pm: ParaMentions) -> list[Any]:
    """The media-outlet mentions among toks."""
    return [m for m in pm.within(toks, "actor") if m.actor and m.actor.kind == "media"]


def _media_label(m: Any) -> str:
    return m.actor.name or m.text


def _examining_clause(c: Any) -> bool:
    """A participle or relative clause of seeing or obtaining on a noun ("seen by X", "which X obtained")."""
    return c.dep_ in RELATIVE_CLAUSE and lemma(c) in EXAMINING_VERBS


# the via rules of Attributor.vias, in the order they are tried on a token (the first that applies reads it)
VIA_RULES = ("_via_interview", "_via_told", "_via_relay", "_via_according", "_via_seen", "_via_document_subject",
             "_via_written", "_via_statement", "_via_televised", "_via_platform", "_via_post")


class _Quotes(NamedTuple):
    """The direct quotes of a paragraph: character spans, the quote of each token inside one, and the
    tokens of each quote."""
    spans: list[tuple[int, int]]
    of_tok: dict[int, int]
    toks: list[list[int]]


@dataclass
class _Cue:
    """A cue verb being read: its source and the heads of what it says."""
    t: Any
    lem: str
    subj: Any
    antecedent: Any | None  # the token that names the speaker of a relative subject ("who said")
    cue_from: Any  # where the cue starts ("went on to explain")
    lead: Any  # the verb a chain of cue words starts from
    kids: list[Any] = field(default_factory=list)
    prep_tok: Any | None = None  # a content preposition that ends the cue ("called for")
    put_it: Any | None = None  # "it" of "as X put it"
    stance_end: Any | None = None  # the stance noun or its preposition that ends the cue ("raised concerns about")


def _phrase_role(tok: Any, phrase: list[Any]) -> str | None:
    """The speaker role a phrase names: its head's when the head is a role, else the last role noun in it that
    is no rank (a spokesman named with his rank speaks as the spokesman), else the last rank."""
    role = rank = None
    for t in phrase:
        if t.lower_ in SPEAKER_ROLES and t.pos_ in ("NOUN", "PROPN"):
            if t.i == tok.i:
                return t.lower_
            if t.lower_ in RANK_ROLES:
                rank = t.lower_
            else:
                role = t.lower_
    return role or rank


def _body_of_role(r: Any) -> Any | None:
    """The body noun a role noun speaks for: its modifier or possessor ("coalition spokesman", "the
    alliance's envoy") or the object of "for"/"of" after it ("a spokesman for the coalition")."""
    for c in r.children:
        if c.dep_ in MODIFIER and c.i < r.i and c.lower_ in SPEAKER_BODIES:
            return c
        if c.dep_ == "prep" and c.lower_ in BODY_PREPS and c.i > r.i:
            for p in c.children:
                if p.dep_ == "pobj" and p.lower_ in SPEAKER_BODIES:
                    return p
    return None


def _as_body(tok: Any, actor: Actor, pm: ParaMentions) -> Actor:
    """A registry actor named as the modifier of a body noun that heads the speaker phrase ("the Saudi-led
    coalition said"): that actor, kept as written with the body noun (so the body's spokesmen elsewhere meet
    it, see corpus.dedup.merge_sources); the actor itself for any other head."""
    if tok.pos_ != "NOUN" or tok.lower_ not in SPEAKER_BODIES or pm.at(tok, "actor") is not None:
        return actor
    text, s0, e0 = phrase_text(tok, pm.base, strip_det=True)
    if "," in text or len(text) > 80 or actor.start is None or not (s0 <= actor.start and e0 >= (actor.end or 0)):
        return actor
    return actor.model_copy(update={"text": text, "start": s0, "end": e0,
                                    "why": f"{actor.why or actor.text}; the {tok.lower_} it leads or names"})


def speaker_body(tok: Any, pm: ParaMentions) -> Actor | None:
    """The body a speaker phrase says its speaker speaks for when no registry knows it ("coalition spokesman
    Colonel X", "a spokesman for the alliance", "the coalition's spokesman X"): the body's phrase as written,
    unresolved; None when the phrase names no body noun tied to a role, or the body is a registry actor."""
    roles = [t for t in tok.subtree if t.lower_ in SPEAKER_ROLES and t.pos_ in ("NOUN", "PROPN")]
    for r in roles:
        b = _body_of_role(r)
        if b is None or pm.at(b, "actor") is not None:
            continue
        mods = [c for c in b.children if c.dep_ in MODIFIER and c.i < b.i and c.dep_ != "det" and c.pos_ != "DET"]
        first = min([b, *(x for m in mods for x in m.subtree)], key=lambda x: x.i)
        if any(pm.at(x, "actor") is not None for x in pm.doc[first.i:b.i]):
            continue  # "the Saudi-led coalition's spokesman": the registry actor is the affiliation
        s0, e0 = pm.base + first.idx, pm.base + b.idx + len(b)
        return Actor(text=pm.doc.text[first.idx:b.idx + len(b)], kind="organization", start=s0, end=e0,
                     why=f"the body the {r.lower_} speaks for, no registry knows it")
    return None


def _stray_name_subject(t: Any) -> Any | None:
    """"In a meeting with the Post Trump said ...": a name right before a root verb that the parser hung
    elsewhere."""
    if t.dep_ == "ROOT" and t.i > sent_of(t).start and t.tag_ in ("VBD", "VBZ"):
        prev = t.doc[t.i - 1]
        if prev.pos_ == "PROPN" and prev.ent_type_ in NAME_ENTS and prev.dep_ in STRAY_NAME:
            return prev
    return None


def _positions(words: list[str], word: str) -> list[int]:
    """The positions of `word` in `words` (list.index scans: no Python loop over the other words)."""
    out: list[int] = []
    k = -1
    while True:
        try:
            k = words.index(word, k + 1)
        except ValueError:
            return out
        out.append(k)


def _quote_index(doc: Any) -> _Quotes:
    qspans = quote_spans(doc_text(doc))
    q_of_tok: dict[int, int] = {}
    q_toks: list[list[int]] = [[] for _ in qspans]
    if not qspans:
        return _Quotes(qspans, q_of_tok, q_toks)  # (most paragraphs quote nobody)
    from spacy.attrs import IDX

    for i, idx in enumerate(doc.to_array(IDX).tolist()):  # (each token's offset, without a Token)
        k = next((k for k, (s, e) in enumerate(qspans) if s <= idx < e), None)
        if k is not None:
            q_of_tok[i] = k
            q_toks[k].append(i)
    return _Quotes(qspans, q_of_tok, q_toks)


def _quote_kind(content: set[int], q_of_tok: dict[int, int]) -> str:
    n_in = sum(1 for i in content if i in q_of_tok)
    return "direct" if n_in >= 0.8 * len(content) else ("mixed" if n_in else "indirect")


def _trim_leading(content: set[int], doc: Any) -> None:
    """No leading conjunction or punctuation in a content."""
    order = sorted(content)
    while order and (doc[order[0]].is_punct or doc[order[0]].dep_ == "cc"):
        content.discard(order.pop(0))


def _closing_colon(t: Any, skip: set[int]) -> set[int]:
    """'He said:' closing the paragraph: the colon (the next paragraph holds the words)."""
    rest = [x for x in t.doc[t.i + 1:] if not x.is_space]
    if rest and rest[0].text == ":" and all(x.is_punct or x.i in skip for x in rest):
        return {rest[0].i}
    return set()


# what a cue verb without content heads says, tried in this order (see Attributor._verb_content)
VERB_CONTENT_FALLBACKS = ("_governing_clause", "_stray_quote", "_closing_source")


_CUE_LEXICON: list[tuple[Any, Any, dict[str, Any]]] = []  # [(cues(), cue_sets(), the sets built from them)]


def _cue_lexicon() -> dict[str, Any]:
    """The word sets an Attributor reads, built from the cue lexicon once (again only if the lexicon itself was
    reloaded: the cache is keyed on the very objects `cues()` and `cue_sets()` return)."""
    c, cs = cues(), cue_sets()
    if _CUE_LEXICON and _CUE_LEXICON[0][0] is c and _CUE_LEXICON[0][1] is cs:
        return _CUE_LEXICON[0][2]
    att = c.get("attribution", {})
    reporting = c["reporting_verbs"]
    stance = att.get("stance", {})
    survey_nouns = frozenset(att.get("survey_nouns", ()))
    chain_verbs = frozenset(att.get("chain_verbs", ()))
    stance_verbs, copulas = frozenset(stance.get("verbs", ())), frozenset(stance.get("copulas", ()))
    lx: dict[str, Any] = dict(
        cs=cs, reporting=reporting,
        lex=frozenset(reporting) | frozenset(att.get("verbs", ())) | frozenset(att.get("more_verbs", ())),
        pronoun_object=frozenset(att.get("pronoun_object", ())),
        addressee_verbs=frozenset(att.get("addressee_object", ())),
        as_verbs=frozenset(att.get("as_object", ())),
        preps=att.get("prepositions", {}),
        no_it=frozenset(att.get("no_it_subject", ())),
        not_quoted=frozenset(att.get("not_quoted", ())),
        quote_only=frozenset(att.get("quote_only", ())),
        no_passive=frozenset(att.get("no_passive", ())),
        noun_cues=frozenset(att.get("nouns", ())),
        claim_objects=frozenset(att.get("claim_object", ())),
        survey_nouns=survey_nouns,
        chain_verbs=chain_verbs,
        chain_adjs=frozenset(att.get("chain_adjectives", ())),
        media_nouns=frozenset(att.get("medium_nouns", ())),
        document_nouns=frozenset(att.get("document_nouns", ())) | cs["reporting_nouns"] | survey_nouns,
        publish_verbs=frozenset(att.get("publish_verbs", ())),
        # cue verbs that take no stray quote or that-clause from their sentence: chain and copula verbs, which
        # are cues only through what they govern, and seeing and showing
        no_fallback=(chain_verbs | copulas | NO_FALLBACK_VERBS) - frozenset(reporting),
        stance_verbs=stance_verbs,
        stance_nouns=frozenset(stance.get("nouns", ())),
        stance_preps=frozenset(stance.get("prepositions", ())),
        stance_verb_preps=frozenset(stance.get("verb_prepositions", ())),
        copulas=copulas,
        stance_or_copula=stance_verbs | copulas,
        stance_adjs=frozenset(stance.get("adjectives", ())),
        stance_holders=frozenset(stance.get("holders", ())),
    )
    _CUE_LEXICON[:] = [(c, cs, lx)]
    return lx


class Attributor:
    """Finds the speech frames of a paragraph, given its mentions and the document's speaker book."""

    def __init__(self, book: SpeakerBook, registry: Any) -> None:
        self.book = book
        self.registry = registry
        lx = _cue_lexicon()  # the word sets, built once per process (an Attributor is made for every document)
        self.cs: dict[str, frozenset[str]] = lx["cs"]
        self.reporting: dict[str, str] = lx["reporting"]
        self.lex: frozenset[str] = lx["lex"]
        self.pronoun_object: frozenset[str] = lx["pronoun_object"]
        self.addressee_verbs: frozenset[str] = lx["addressee_verbs"]
        self.as_verbs: frozenset[str] = lx["as_verbs"]
        self.preps: dict[str, list[str]] = lx["preps"]
        self.no_it: frozenset[str] = lx["no_it"]
        self.not_quoted: frozenset[str] = lx["not_quoted"]
        self.quote_only: frozenset[str] = lx["quote_only"]
        self.no_passive: frozenset[str] = lx["no_passive"]
        self.noun_cues: frozenset[str] = lx["noun_cues"]
        self.claim_objects: frozenset[str] = lx["claim_objects"]
        self.survey_nouns: frozenset[str] = lx["survey_nouns"]
        self.chain_verbs: frozenset[str] = lx["chain_verbs"]
        self.chain_adjs: frozenset[str] = lx["chain_adjs"]
        self.media_nouns: frozenset[str] = lx["media_nouns"]
        self.document_nouns: frozenset[str] = lx["document_nouns"]
        self.publish_verbs: frozenset[str] = lx["publish_verbs"]
        self.no_fallback: frozenset[str] = lx["no_fallback"]
        self.stance_verbs: frozenset[str] = lx["stance_verbs"]
        self.stance_nouns: frozenset[str] = lx["stance_nouns"]
        self.stance_preps: frozenset[str] = lx["stance_preps"]
        self.stance_verb_preps: frozenset[str] = lx["stance_verb_preps"]
        self.copulas: frozenset[str] = lx["copulas"]
        self.stance_or_copula: frozenset[str] = lx["stance_or_copula"]  # (_frame_lemma asks it of every verb)
        self.stance_adjs: frozenset[str] = lx["stance_adjs"]
        self.stance_holders: frozenset[str] = lx["stance_holders"]
        self._pm: ParaMentions | None = None
        self._cue_from: Any | None = None
        self._extra_subjects: list[Any] = []
        self._media_para: tuple[ParaMentions, bool] | None = None  # (paragraph, whether it names an outlet)
        self._pending: Frame | None = None  # 'X said:' ending a paragraph: the next paragraph is the content
        self._seen: dict[tuple[int, int], str] = {}  # cue of an unauthored text an outlet saw -> the text (basis)
        self._via_gate: tuple[frozenset[str], frozenset[str]] | None = None

    # -- speakers -------------------------------------------------------------------------------------
    def resolve_speaker(self, tok: Any, pm: ParaMentions) -> tuple[Actor | None, str | None, Actor | None, bool]:
        """(speaker, role, affiliation, anonymous) for the subject token of a reporting verb, tried in order: a
        pronoun or a phrase that points back, a person named in the phrase, a role that stays unnamed or points
        back, an outlet, a state's body, an organization, a name no registry knows."""
        lo = tok.lower_
        if lo in PRONOUNS:
            return self._pronoun_speaker(tok, pm)
        # not the names in a participle or relative clause on the head ("a UN report seen by Reuters said")
        doc, tab = tok.doc, token_table(tok.doc)
        clauses = {x for c in children_of(doc)[tok.i] if tab.dep[c] in RELATIVE_CLAUSE and c > tok.i
                   for x in subtree_indices(doc, c)}
        # ... nor the outlet that saw a text anywhere in the phrase ("the document, a memo seen by Reuters, said")
        whole = subtree_indices(doc, tok.i)
        clauses |= {x for c in whole if tab.dep[c] in RELATIVE_CLAUSE and tab.lemma[c] in EXAMINING_VERBS
                    for x in subtree_indices(doc, c)}  # (_examining_clause)
        phrase = [doc[x] for x in whole if x not in clauses]
        named = pm.within(phrase, "actor")  # (the actors of the phrase, read once)
        if tab.pos[tok.i] == "NOUN" and any(tab.dep[c] == "det" and tab.lower[c] in BACK_DETS
                                            for c in children_of(doc)[tok.i]) and not named:
            e = self.book.by_head(lemma(tok)) or self._described_outlet(phrase)
            if e is not None:  # "UN experts wrote ... The experts said": the same source again
                return e.actor, e.role, e.affiliation, False
        persons = [m for m in named if m.actor and m.actor.kind == "person"]
        # "diplomats in Nairobi", "officials at the airport": where the source is, not whom it speaks for
        located = {x for c in children_of(doc)[tok.i] if tab.dep[c] == "prep" and tab.lower[c] in LOCATION_PREPS
                   and c > tok.i for x in subtree_indices(doc, c) if pm.by_token.get(x)
                   and pm.at(doc[x], "place") is not None}
        placed = pm.within([x for x in phrase if x.i not in located], "actor") if located else named
        orgs = [m for m in placed if m.actor and m.actor.kind != "person"]
        role = _phrase_role(tok, phrase)
        affiliation = orgs[0].actor if orgs else None
        if persons:
            # the person named in the phrase (apposition or title + name); the subject's own name before a
            # person named further on ("X, a teacher in Y's village")
            own = next((m for m in persons if m.tok_start <= tok.i < m.tok_end), None)
            pick = own or (persons[-1] if tok.dep_ != "appos" else persons[0])
            return self._person_speaker(pick, role, affiliation, pm)
        by_role = self._role_speaker(tok, role, affiliation, bool(orgs))
        if by_role is not None:
            return by_role
        outlet = self._named_outlet(tok, phrase, pm)
        if outlet is not None:
            return outlet, role, None, False
        if orgs and tok.pos_ in ("NOUN", "PROPN") and pm.at(tok, "actor") is None:
            # "the Egyptian foreign ministry", "Turkey's defence ministry": a state's body speaks for the state,
            # kept as written with the body's sector (as events name their agents)
            body = self._state_body(tok, pm)
            if body is not None:
                return body, role, None, False
        if orgs:
            return _as_body(tok, orgs[0].actor, pm), role, None, False
        return self._unregistered_source(tok, phrase, role, affiliation, pm)

    def _person_speaker(self, p: Any, role: str | None, affiliation: Actor | None,
                        pm: ParaMentions) -> tuple[Actor | None, str | None, Actor | None, bool]:
        """A person named in the speaker phrase, with the affiliation the mention table or the book gives it."""
        actor = p.actor
        entry = self.book.get(actor) if actor else None
        if affiliation is None and actor is not None and actor.id and self.registry is not None:
            affiliation = pm.affiliations.get(actor.id)  # the mention table's
        if entry:
            role = role or entry.role
            affiliation = affiliation or entry.affiliation
        if actor is not None and actor.country is None and affiliation is not None:
            actor = actor.model_copy(update={"country": affiliation.country,
                                             "sector": actor.sector or affiliation.sector})
        return actor, role, affiliation, False

    def _role_speaker(self, tok: Any, role: str | None, affiliation: Actor | None,
                      has_org: bool) -> tuple[Actor | None, str | None, Actor | None, bool] | None:
        """A source named by its role: "a source", "an official" stay unnamed; "the spokesman", "the
        ministry's spokesman" point back to the speaker with that role; None when the head is no role."""
        if role is None or tok.lower_ not in ROLE_FORMS:
            return None
        if tok.lower_ in SOURCE_HEADS or any(c.lower_ in INDEFINITE for c in tok.children) and not has_org:
            if tok.lower_ in UNNAMED_HEADS:
                return None, role, affiliation, True
        e = self.book.by_role(role, affiliation)
        if e and any(c.lower_ in ROLE_BACK_DETS for c in tok.children) | has_org:
            return e.actor, e.role, e.affiliation, False
        if tok.lower_ in ANONYMOUS_HEADS:
            return None, role, affiliation, True
        return None

    @staticmethod
    def _unregistered_source(tok: Any, phrase: list[Any], role: str | None, affiliation: Actor | None,
                             pm: ParaMentions) -> tuple[Actor | None, str | None, Actor | None, bool]:
        """A name no registry knows is a named source, not an anonymous one: kept as written, unresolved."""
        names = [t for t in phrase if t.pos_ == "PROPN"]
        if tok.pos_ == "PROPN" and tok.lower_ not in SPEAKER_ROLES:
            text, s0, e0 = phrase_text(tok, pm.base, strip_det=True)
            if "," in text:  # not an apposition ("The Sentry, a watchdog group")
                text = text.split(",")[0].rstrip()
                e0 = s0 + len(text)
            if len(text) <= 80:
                kind = {"ORG": "organization", "PERSON": "person"}.get(tok.ent_type_, "unknown")
                return Actor(text=text, kind=kind, start=s0, end=e0, why="a named source no registry knows"), \
                    role, affiliation, False
        return None, role, affiliation, not names

    def _described_outlet(self, phrase: list[Any]) -> SpeakerEntry | None:
        """"the news network", "the broadcaster" after "CNN says": the latest outlet that spoke."""
        if not any(t.lower_ in NEWS_WORDS for t in phrase):
            return None
        return next((e for e in reversed(self.book.entries) if e.actor.kind == "media"), None)

    def _pronoun_speaker(self, tok: Any, pm: ParaMentions) -> tuple[Actor | None, str | None, Actor | None, bool]:
        """A pronoun subject: "he"/"she" after a person named in its sentence is that person ("X backs Y,
        although he denies it"); otherwise the speaker-table entry it points back to."""
        lo = tok.lower_
        near = _person_before(tok, pm) if lo in ("he", "she") else None
        if near is not None:
            return near, None, None, False
        e = self._pronoun_entry(lo)
        return (e.actor, e.role, e.affiliation, False) if e else (None, None, None, True)

    def _pronoun_entry(self, lo: str) -> SpeakerEntry | None:
        """The speaker-table entry a pronoun subject points back to: "he"/"she" the latest person, "it" the
        latest speaker that is not a person (a government, a ministry, a mission), "I"/"we" the latest."""
        if lo in PERSON_PRONOUNS:
            return self.book.last_person()
        if lo == "it":
            return next((x for x in reversed(self.book.entries) if x.actor.kind != "person"), None)
        return self.book.entries[-1] if self.book.entries else None

    @staticmethod
    def _named_outlet(tok: Any, phrase: list[Any], pm: ParaMentions) -> Actor | None:
        """An outlet named with its country and kind ("US news agency Bloomberg", "the Qatari channel Al
        Jazeera"): the outlet, not the state."""
        name_head = None
        # "agency", "network", "post" alone name spies and armies too: a news word must be there
        news = {t.i for t in phrase if t.lower_ in NEWS_WORDS}
        if not news:
            return None
        if tok.lower_ in MEDIA_WORDS:
            name_head = next((c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        elif tok.pos_ == "PROPN" and any(t.lower_ in MEDIA_WORDS and t.i < tok.i for t in phrase):
            name_head = tok
        if name_head is None:
            return None
        media = pm.at(name_head, "actor")
        if media is not None and media.actor is not None and media.actor.kind == "media":
            return media.actor
        names = [t for t in name_head.subtree if t.pos_ == "PROPN" and t.lower_ not in MEDIA_WORDS
                 and (t.i == name_head.i or t.dep_ == "compound")]
        names = [t for t in names if t.i <= name_head.i] or [name_head]
        text = pm.doc.text[names[0].idx:name_head.idx + len(name_head)]
        return Actor(text=text, kind="media", start=pm.base + names[0].idx, end=pm.base + name_head.idx + len(name_head),
                     why="an outlet named with its country, not the state")

    @staticmethod
    def _state_body(tok: Any, pm: ParaMentions) -> Actor | None:
        """A state's body or agents named by a common noun with the state as modifier or possessor ("the
        Egyptian foreign ministry", "Turkey's defence ministry"), as an Actor with the state's id and the
        noun's sector; None when the noun names no agent or no state owns it."""
        sector = pm.sectors.get(tok.i)  # (the mention table's)
        if not sector:
            return None
        owner = None
        for c in tok.children:
            if c.dep_ in MODIFIER and c.i < tok.i:
                m = pm.at(c, "actor")
                if m is not None and m.actor is not None and m.actor.kind == "state":
                    owner = m.actor
                    break
        if owner is None:
            return None
        text, s0, e0 = phrase_text(tok, pm.base, strip_det=True)
        return Actor(text=text, id=owner.id, name=owner.name, kind=owner.kind, country=owner.country, sector=sector,
                     wikidata=owner.wikidata, start=s0, end=e0,
                     why=f"agent noun '{tok.text}' ({sector}) of {owner.text}")

    # -- via ------------------------------------------------------------------------------------------
    def vias(self, sent: Any, pm: ParaMentions) -> list[Via]:
        """The chain a sentence's words came through (interviews, outlets, documents, broadcasts, platforms):
        each token is read by the first via rule of VIA_RULES that applies to it."""
        out: list[Via] = []
        made_by: list[int] = []  # the token whose rule gave each step of `out`

        def add(name: str, kind: str, at: int = -1, before: int | None = None) -> bool:
            if not name or any(v.name == name for v in out):
                return False
            k = len(out) if before is None else before
            out.insert(k, Via(name=name, kind=kind))  # type: ignore[arg-type]
            made_by.insert(k, at)
            return True

        via_lowers, via_lemmas = self._via_words()
        doc, tab = sent.doc, token_table(sent.doc)
        rules = [getattr(self, r) for r in VIA_RULES] if not (
            via_lowers.isdisjoint(tab.lower[sent.start:sent.end])
            and via_lemmas.isdisjoint(tab.lemma[sent.start:sent.end])) else []
        for i in range(sent.start, sent.end) if rules else ():  # (no word of a via rule: most sentences)
            lo, lem = tab.lower[i], tab.lemma[i]
            if lo not in via_lowers and lem not in via_lemmas:
                continue  # no via rule applies to a word none of them names
            t = doc[i]
            for rule in rules:
                steps = rule(t, lo, lem, pm)
                if steps is not None:
                    carried = self._carried_step(t, rule, made_by)
                    for name, kind in steps:
                        if add(name, kind, i, carried) and carried is not None:
                            carried += 1
                    break
        if any(v.kind == "social_media" and v.name != "social media post" for v in out):
            out = [v for v in out if v.name != "social media post"]  # the platform is named
        # a media outlet as the object of "on" next to a broadcast word ("said on Al Jazeera")
        if self._media_para is None or self._media_para[0] is not pm:
            self._media_para = (pm, any(m.kind == "actor" and m.actor and m.actor.kind == "media" for m in pm.all))
        if not self._media_para[1]:
            return out  # (no outlet in the paragraph: most paragraphs)
        for m in [m for m in pm.within_range(sent.start, sent.end, "actor") if m.actor and m.actor.kind == "media"]:
            tok = sent.doc[m.tok_end - 1]  # (the outlets of the sentence, as _media_in(list(sent)) finds them)
            if tok.head.lower_ in ("on",) and all(v.name != _media_label(m) for v in out):
                add(_media_label(m), "broadcast")
        return out

    def _carried_step(self, t: Any, rule: Any, made_by: list[int]) -> int | None:
        """"a statement carried by X", "a video aired by X": the relaying verb modifies the medium it relays,
        so its outlet is nearer than that medium and goes before it in the chain (whatever the order of the
        words); None when the verb modifies no step already found."""
        if getattr(rule, "__name__", "") != "_via_relay" or t.dep_ not in ("acl", "relcl") or t.head.i == t.i:
            return None
        return made_by.index(t.head.i) if t.head.i in made_by else None

    def _via_words(self) -> tuple[frozenset[str], frozenset[str]]:
        """The words (lower case, lemmas) of which every via rule needs one before it applies to a token: each
        rule below starts by asking its token's word, so a token with none of them is read by no rule."""
        if self._via_gate is None:
            self._via_gate = (frozenset({"interview", "according"}) | STATEMENT_NOUNS | SPEECH_NOUNS | frozenset(SOCIAL)
                              | POST_WORDS,
                              frozenset({"interview"}) | INTERVIEW_VERBS | RELAY_VERBS | self.document_nouns
                              | self.cs["evidence_nouns"] | WRITTEN_NOUNS)
        return self._via_gate

    # Via rules: (token, lower, lemma, mentions) -> the (name, kind) steps it names, or None when the rule does
    # not apply to the token (the next rule is tried). Each starts with a test of the token's word (lower case
    # or lemma) that `_via_words` collects: a rule added here adds its words there.
    @staticmethod
    def _media_name(t: Any, pm: ParaMentions) -> str:
        ms = _media_in(list(t.subtree), pm)
        if ms:
            return _media_label(ms[0])
        txt, _, _ = phrase_text(t)
        return re.sub(r"^(the|a|an)\s+", "", txt, flags=re.I)

    def _via_interview(self, t: Any, lo: str, lem: str, pm: ParaMentions) -> list[tuple[str, str]] | None:
        """"in an interview with X", "X's interview"."""
        if lo != "interview" and lem != "interview":
            return None
        steps = [(self._media_name(p, pm), "interview") for c in t.children
                 if c.dep_ == "prep" and c.lower_ in INTERVIEW_PREPS for p in c.children if p.dep_ == "pobj"]
        return steps + [(_media_label(m), "interview") for m in _media_in(list(t.subtree), pm)]

    def _via_told(self, t: Any, lo: str, lem: str, pm: ParaMentions) -> list[tuple[str, str]] | None:
        """"told the BBC", "spoke to a newspaper": an interview when the addressee is a medium."""
        if lem not in INTERVIEW_VERBS or t.pos_ != "VERB":
            return None
        steps = []
        for c in t.children:
            objs = [c] if c.dep_ in OBJECT else (
                [p for p in c.children if p.dep_ == "pobj"] if c.dep_ == "prep" and c.lower_ in ADDRESSEE_PREPS
                else [])
            steps += [(self._media_name(o, pm), "interview") for o in objs
                      if _media_in(list(o.subtree), pm) or any(w.lower_ in MEDIA_WORDS for w in o.subtree)]
        return steps

    def _via_relay(self, t: Any, lo: str, lem: str, pm: ParaMentions) -> list[tuple[str, str]] | None:
        """"quoted by X", "X reported", "aired by X": the outlet that relays the words."""
        if lem not in RELAY_VERBS or t.pos_ != "VERB":
            return None
        kind = "broadcast" if lem in BROADCAST_VERBS else "outlet"
        steps = []
        for c in t.children:
            if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
                steps += [(self._media_name(p, pm), kind) for p in c.children if p.dep_ == "pobj"]
            if c.dep_ == "nsubj":
                steps += [(_media_label(m), kind) for m in _media_in(list(c.subtree), pm)[:1]]
        return steps

    @staticmethod
    def _via_according(t: Any, lo: str, lem: str, pm: ParaMentions) -> list[tuple[str, str]] | None:
        """"according to X" with X a medium."""
        if lo != "according" or not any(c.lower_ == "to" for c in t.children):
            return None
        return [(_media_label(m), "outlet") for c in t.children for p in c.children if p.dep_ == "pobj"
                for m in _media_in(list(p.subtree), pm)[:1]]

    def _via_seen(self, t: Any, lo: str, lem: str, pm: ParaMentions) -> list[tuple[str, str]] | None:
        """"a report seen by X", "documents obtained by X", "the letter, which X has reviewed": the outlet that
        saw the text, then the text itself."""
        ex = self._examiner(t, pm)
        if ex is None:
            return None
        return [(self._media_name(ex, pm), "outlet"), (phrase_text(t, strip_det=True)[0], "document")]

    def _examiner(self, t: Any, pm: ParaMentions) -> Any | None:
        """The outlet (a token of its phrase) that saw, obtained or reviewed the text the noun `t` names, or None."""
        if t.pos_ != "NOUN" or (lemma(t) not in self.document_nouns and lemma(t) not in self.cs["evidence_nouns"]) \
                or t.lower_ in SPEAKER_ROLES:
            return None
        for c in t.children:
            if c.dep_ == "appos":  # "the document, a memo seen by X"
                ex = self._examiner(c, pm)
                if ex is not None:
                    return ex
            if not _examining_clause(c):
                continue
            who = [p for a in c.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj"]
            who += [a for a in c.children if a.dep_ == "nsubj" and a.lower_ not in RELATIVE]
            for w in who:
                if _media_in(list(w.subtree), pm) or any(x.lower_ in MEDIA_WORDS | NEWS_WORDS for x in w.subtree):
                    return w
        return None

    def _seen_document(self, fr: Frame, pm: ParaMentions) -> None:
        """A source that is a text an outlet saw and that names no author ("a letter seen by AFP says", "according
        to a report obtained by X"): the text is the evidence basis, the claims stay in the outlet's voice with
        the outlet and the text in `via`; a named author ("a UN report seen by X") stays the speaker."""
        tok = fr.speaker_tok
        if fr.nested or tok is None or fr.speaker is not None:
            return
        if self._examiner(tok, pm) is None or pm.within([x for x in tok.subtree if x.i <= tok.i], "actor"):
            return
        fr.speaker = fr.own_speaker = fr.speaker_tok = fr.speaker_span = None
        fr.role, fr.affiliation, fr.anonymous, fr.claim = None, None, False, True
        fr.evidence_basis = phrase_text(tok)[0]
        if fr.cue_tok is not None:
            self._seen[(id(fr.cue_tok.doc), fr.cue_tok.i)] = fr.evidence_basis

    def _via_document_subject(self, t: Any, lo: str, lem: str, pm: ParaMentions) -> list[tuple[str, str]] | None:
        """"a UN report said": the text its author speaks through ("the analysis shows" is a basis)."""
        if not (t.dep_ == "nsubj" and t.pos_ == "NOUN" and lem in self.document_nouns and lem not in NOT_DOCUMENT_STEPS
                and t.head.pos_ == "VERB" and self.cue_lemma(t.head)) or (
                lem in self.cs["evidence_nouns"] and lemma(t.head) in self.cs["evidence_verbs"]):
            return None
        return [(phrase_text(t, strip_det=True)[0], "social_media" if lem in POST_NOUNS else "document")]

    def _via_written(self, t: Any, lo: str, lem: str, pm: ParaMentions) -> list[tuple[str, str]] | None:
        """"wrote in a confidential report seen by X", "said in a letter to the council"."""
        if not (lem in WRITTEN_NOUNS and t.pos_ == "NOUN" and t.dep_ == "pobj" and t.head.lower_ == "in"
                and self.cue_lemma(t.head.head) is not None):
            return None
        return [(phrase_text(t, strip_det=True)[0], "document")]

    @staticmethod
    def _via_statement(t: Any, lo: str, lem: str, pm: ParaMentions) -> list[tuple[str, str]] | None:
        return [("statement", "statement")] if lo in STATEMENT_NOUNS and t.pos_ == "NOUN" else None

    @staticmethod
    def _via_televised(t: Any, lo: str, lem: str, pm: ParaMentions) -> list[tuple[str, str]] | None:
        if lo in SPEECH_NOUNS and any(c.lower_ in BROADCAST_MODIFIERS for c in t.children):
            return [(f"televised {lo}", "broadcast")]
        return None

    @staticmethod
    def _via_platform(t: Any, lo: str, lem: str, pm: ParaMentions) -> list[tuple[str, str]] | None:
        """"on Twitter", "on his Facebook page"."""
        if lo in SOCIAL and (t.dep_ == "pobj" and t.head.lower_ in PLATFORM_PREPS or (
                t.dep_ in PLATFORM_MODIFIER and t.head.dep_ == "pobj" and t.head.head.lower_ in PLATFORM_PREPS)):
            return [(SOCIAL[lo], "social_media")]
        return None

    @staticmethod
    def _via_post(t: Any, lo: str, lem: str, pm: ParaMentions) -> list[tuple[str, str]] | None:
        if lo in POST_WORDS:
            return [("Twitter" if "tweet" in lo else "social media post", "social_media")]
        return None

    # -- evidence basis ---------------------------------------------------------------------------------
    def evidence_basis(self, trigger: Any, stop: Any | None, include_self: bool = False) -> str | None:
        """What the words governing `trigger` (up to `stop`, the cue) say they rest on: the subject of an
        evidence verb ("analysis of the calls indicates that ..."), or what a clause is "based on" or
        "according to". With `include_self` the trigger itself may be the evidence verb (a quote's content
        root)."""
        cs = self.cs
        doc = trigger.doc
        tab, kids = token_table(doc), children_of(doc)  # (token indices: Tokens only for what is returned)
        chain = [trigger.i] if include_self else []
        cur = trigger.i
        while tab.head[cur] != cur and (stop is None or cur != stop.i):
            cur = tab.head[cur]
            chain.append(cur)
        for h in chain:
            if tab.lemma[h] in cs["evidence_verbs"] and (
                    tab.pos[h] == "VERB" or any(tab.dep[c] == "ccomp" for c in kids[h])):
                # (a verb the tagger took for a noun keeps its clause: "images obtained by the BBC show that")
                for c in kids[h]:
                    if tab.dep[c] in SUBJECT_LIKE:
                        heads = {tab.lemma[c], tab.lower[c]}
                        if heads & cs["evidence_nouns"] or any(
                                tab.lemma[t] in cs["evidence_nouns"] for t in subtree_indices(doc, c)
                                if tab.dep[t] in ("compound", "pobj")):
                            subs = [x for x in kids[h] if tab.dep[x] in ("nsubj", "nsubjpass") and c <= x < h]
                            if len(subs) > 1:  # "calls between A, B and C show": the parser split the phrase
                                end = doc[subs[-1]].right_edge
                                return doc_text(doc)[doc[c].left_edge.idx:end.idx + len(end)]
                            return phrase_text(doc[c])[0]
            for c in kids[h]:
                if tab.dep[c] == "prep" and tab.lower[c] in BASIS_PREPS:
                    for p in subtree_indices(doc, c):
                        if tab.dep[p] == "pobj" and tab.lemma[p] in cs["evidence_nouns"]:
                            return phrase_text(doc[p])[0]
            if stop is not None and h == stop.i:
                break
        # "a letter seen by X says that ...", "according to a report obtained by X": the text the outlet saw
        return self._seen.get((id(stop.doc), stop.i)) if stop is not None else None

    # -- frames -----------------------------------------------------------------------------------------
    def cue_lemma(self, tok: Any) -> str | None:
        """The cue-lexicon lemma of a verb token, or None. khaldun's lemma table knows only the lexicon
        verbs, so an unknown "-ed"/"-ing" stem is also tried with a silent e ("cited" -> "cite")."""
        return self._cue_lemma_at(token_table(tok.doc), tok.i)

    def _cue_lemma_at(self, tab: TokenTable, i: int) -> str | None:
        """`cue_lemma` of token i, read from its Doc's token table (no Token needed)."""
        if tab.pos[i] not in ("VERB", "AUX") and not tab.tag[i].startswith("VB"):
            return None
        lem = tab.lemma[i]
        if lem in self.lex:
            return lem
        lo = tab.lower[i]
        cands = [lem + "e", lo[:-1] if lo.endswith(("s", "d")) else "", lo[:-2] if lo.endswith(("ed", "es")) else "",
                 PARTICIPLES.get(lo, "")]
        for cand in cands:
            if cand in self.lex:
                return cand
        return None

    def _subject(self, t: Any) -> tuple[Any | None, Any | None]:
        """(subject token, token whose antecedent names the speaker) of cue verb t. A participle or
        coordinated verb without a subject takes its governing verb's ("..., adding that", "and warned");
        a relative pronoun ("who said") is the span, its antecedent the speaker."""
        doc, tab = t.doc, token_table(t.doc)
        kids = children_of(doc)
        subjects = [doc[c] for c in kids[t.i] if tab.dep[c] == "nsubj"]
        if len(subjects) > 1:
            # a name the parser split into two subjects ("al - Mismari"): the one an actor mention covers
            pm = self._pm
            named = [c for c in subjects if pm is not None and pm.within(list(c.subtree), "actor")]
            self._extra_subjects = subjects
            return (named or subjects)[-1], None
        if subjects:
            return self._own_subject(subjects[0], t)
        agent = next((p for c in kids[t.i] if tab.dep[c] == "agent" for p in kids[c] if tab.dep[p] == "pobj"), None)
        if agent is not None:
            return doc[agent], None
        stray = _stray_name_subject(t)
        if stray is not None:
            return stray, None
        return self._borrowed_subject(t)

    def _own_subject(self, c: Any, t: Any) -> tuple[Any | None, Any | None]:
        """The verb's own subject c; a relative pronoun points to its antecedent, except that "released a
        letter that says ..." makes the publisher speak."""
        if c.lower_ not in RELATIVE or t.dep_ != "relcl":
            return c, None
        h = t.head
        if lemma(h) in self.document_nouns and h.dep_ == "dobj" and c.lower_ != "who" and \
                self._publish_lemma(h.head) is not None:  # (not "received a letter that says")
            s = next((x for x in h.head.children if x.dep_ == "nsubj"), None)
            if s is not None and s.lower_ not in RELATIVE:
                self._cue_from = h.head  # "released a letter that says ...": the publisher speaks
                return s, None
        return c, t.head

    def _borrowed_subject(self, t: Any) -> tuple[Any | None, Any | None]:
        """The subject of the verb that governs a subjectless cue (up to three steps up)."""
        cur = t
        for _ in range(3):
            h, found = self._governor(cur)
            if h is None:
                return found
            if h.pos_ == "ADJ" and h.dep_ == "acomp" and lemma(h) in self.chain_adjs:
                h = h.head  # "he was able to tout ...": the copula's subject
            if h.pos_ not in ("VERB", "AUX"):
                return None, None
            s = next((c for c in h.children if c.dep_ == "nsubj"), None)
            if s is not None:
                if s.lower_ in RELATIVE and h.dep_ == "relcl":
                    return s, h.head
                return s, None
            cur = h
        return None, None

    def _governor(self, cur: Any) -> tuple[Any | None, tuple[Any | None, Any | None]]:
        """(the verb whose subject a subjectless cue takes, None) or (None, the subject found on the way)."""
        if cur.dep_ in BORROWED_SUBJECT and cur.tag_.startswith("VB"):
            return cur.head, (None, None)
        if cur.dep_ == "pcomp" and cur.head.dep_ in ("prep", "conj"):
            return self._pcomp_governor(cur)
        if cur.dep_ == "acl" and cur.tag_ == "VBG" and cur.head.pos_ in ("NOUN", "PROPN"):
            h = cur.head
            if lemma(h) in self.document_nouns and h.dep_ == "dobj" and h.head.pos_ in ("VERB", "AUX"):
                self._cue_from = h.head  # "issued a statement saying": the issuer speaks, the cue runs from "issued"
                return h.head, (None, None)
            ok = h.pos_ == "PROPN" or h.lower_ in SPEAKER_ROLES or lemma(h) in self.document_nouns
            return None, ((h, None) if ok else (None, None))  # "a tweet attacking ...": the tweet is the source
        return None, (None, None)

    @staticmethod
    def _pcomp_governor(cur: Any) -> tuple[Any | None, tuple[Any | None, Any | None]]:
        """"in promoting ... and for saying that ...", "aside from saying": the verb the preposition hangs on;
        "quoted a military source as saying", "he was quoted by Tasnim as saying": the source speaks, the
        outlet relays."""
        p = cur.head
        while p.dep_ == "conj" and p.head.dep_ in ("prep", "conj") and p.head.i < p.i:
            p = p.head
        if p.dep_ != "prep":
            return None, (None, None)
        h = p.head
        if p.lower_ == "as" and h.pos_ == "VERB" and lemma(h) in QUOTING_VERBS:
            o = next((c for c in h.children if c.dep_ in ("dobj", "nsubjpass")), None)
            if o is not None:
                return None, (o, None)
        if h.dep_ == "advmod" and h.pos_ == "ADV" and h.head.pos_ in ("VERB", "AUX"):
            h = h.head
        return h, (None, None)

    def _chain_lead(self, t: Any) -> Any:
        """The verb a chain of cue words starts from: "went on to explain", "appeared to suggest", "was
        able to tout", "has been slow to embrace" (governing verbs or copula adjectives that lend their
        subject, tense and negation); t itself when it governs itself."""
        tab = token_table(t.doc)
        dep, hi = tab.dep[t.i], tab.head[t.i]
        if not (dep == "xcomp" or dep == "advcl" and any(
                tab.dep[c] == "aux" and tab.lower[c] == "to" for c in children_of(t.doc)[t.i])) or hi > t.i:
            return t  # (no chain: neither a complement nor an infinitive after its governor)
        h = t.doc[hi]
        if lemma(h) in self.chain_verbs and (t.dep_ == "xcomp" or any(c.dep_ == "prt" for c in h.children)):
            return h  # an infinitive of purpose chains only after a particle verb ("went on to explain")
        if h.pos_ == "ADJ" and h.dep_ == "acomp" and lemma(h) in self.chain_adjs and lemma(h.head) in self.copulas:
            return h.head
        return t

    def _publish_lemma(self, t: Any) -> str | None:
        """The publishing-verb lemma of verb t ("released" -> "release"), or None."""
        return self._publish_lemma_at(token_table(t.doc), t.i)

    def _publish_lemma_at(self, tab: TokenTable, i: int) -> str | None:
        """`_publish_lemma` of token i, read from its Doc's token table."""
        if tab.pos[i] != "VERB":
            return None
        lem, lo = tab.lemma[i], tab.lower[i]
        return next((c for c in (lem, lem + "e", lo[:-1], lo[:-2]) if c in self.publish_verbs), None)

    def _published(self, t: Any) -> Any | None:
        """The object of a publishing verb when it is a text or recording ("released a letter", "sent a
        letter", "issued a series of tweets"): the publisher speaks through it. None otherwise ("released
        the hostages", "sent troops")."""
        if self._publish_lemma(t) is None:
            return None
        for obj in t.children:
            if obj.dep_ != "dobj" or obj.pos_ not in ("NOUN", "PROPN"):
                continue
            head = obj
            if obj.lower_ in QUANTITY_NOUNS:
                of = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
                head = next((p for p in of.children if p.dep_ == "pobj"), obj) if of is not None else obj
            if lemma(head) in self.document_nouns or head.lower_ in self.document_nouns or (
                    head.lower_.endswith("s") and head.lower_[:-1] in self.document_nouns):
                if any(x.dep_ in CLAUSE_MODIFIER and x.i > obj.i and self.cue_lemma(x) for x in t.subtree):
                    return None  # "sent a letter urging ...", "a letter that says ...": that cue's frame
                return obj
        return None

    def _stance_object(self, t: Any, subj: Any | None) -> tuple[Any, list[Any]] | None:
        """(last cue token, content heads) when verb t's object names a stance or a statement and says
        what it is about: "offered no proof that ...", "raised concerns about ...", "has no illusions
        about ...", "took aim at ...". The verb through the noun (and its preposition) is the cue."""
        if lemma(t) in self.copulas:
            return self._stance_predicate(t)
        pub = self._published(t)  # "delivered a speech on ...", "released a report about ..."
        if lemma(t) not in self.stance_verbs and pub is None:
            return None
        for obj in t.children:
            if obj.dep_ != "dobj" or obj.pos_ != "NOUN" or (lemma(obj) not in self.stance_nouns and (pub is None or obj.i != pub.i)):
                continue
            for c in obj.children:
                if c.i > obj.i and c.dep_ in OBJECT_CLAUSE and c.pos_ in ("VERB", "AUX") and any(
                        x.dep_ == "mark" and x.lower_ == "that" or x.dep_ == "aux" and x.lower_ == "to"
                        for x in c.children) and not any(x.dep_ in ("nsubj", "dobj") and x.lower_ in ("that", "which")
                                                         for x in c.children):
                    return obj, [c]
            for owner in (obj, t):
                for c in owner.children:
                    if c.dep_ == "prep" and c.i > obj.i and c.lower_ in self.stance_preps and not (
                            c.lower_ == "of" and obj.lower_ in QUANTITY_NOUNS):
                        pobjs = [p for p in c.children if p.dep_ in ("pobj", "pcomp")]
                        if any(p.lower_ in TIME_WORDS or p.ent_type_ in ("DATE", "TIME") for p in pobjs):
                            continue  # "released the video on Friday": a time, not a topic
                        if pobjs and (owner is obj or (c.lower_ in self.stance_verb_preps and all(
                                x.i < c.i for x in obj.subtree))):
                            return c, pobjs
        return None

    def _stance_predicate(self, t: Any) -> tuple[Any, list[Any]] | None:
        """A copula with a stance as its predicate: "is critical of ...", "was sure that ...", "were willing
        to ...", "is a staunch opponent of ...", "is against ..."; the copula through the stance word (and
        its preposition) is the cue."""
        for c in t.children:
            words = None
            if c.dep_ == "acomp" and lemma(c) in self.stance_adjs:
                words = c
            elif c.dep_ == "attr" and c.pos_ == "NOUN" and lemma(c) in self.stance_holders:
                words = c
            elif c.dep_ == "prep" and c.lower_ == "against" and c.i == t.i + 1:
                pobjs = [p for p in c.children if p.dep_ in ("pobj", "pcomp")]
                if pobjs:
                    return c, pobjs
            if words is None:
                continue
            for k in words.children:
                if k.i > words.i and k.dep_ in ("xcomp", "ccomp") and words.pos_ == "ADJ":
                    return words, [k]
                if k.i > words.i and k.dep_ == "prep" and k.lower_ in self.stance_preps:
                    pobjs = [p for p in k.children if p.dep_ in ("pobj", "pcomp")]
                    if pobjs:
                        return k, pobjs
            for k in t.children:
                if k.i > words.i and k.dep_ in ("ccomp", "xcomp") and words.pos_ == "ADJ":
                    return words, [k]
        return None

    def _content_kids(self, t: Any, lem: str, subj: Any | None) -> tuple[list[Any], Any | None]:
        """Children of cue verb t that hold what is said, thought or shown, and the preposition that
        joins a prepositional content to its cue ("called for", "talked about"), if any."""
        # (read from the token table, indices throughout: Tokens only for the heads returned)
        doc, ti = t.doc, t.i
        tab, tree = token_table(doc), children_of(doc)
        dep, low = tab.dep, tab.lower
        children = tree[ti]
        kids = [c for c in children if dep[c] in CLAUSAL]
        prep_tok = None
        objects = lem not in self.addressee_verbs
        for c in children:
            if dep[c] in ("dobj", "oprd") and objects:
                if lem in self.pronoun_object and tab.pos[c] != "PRON" and low[c] not in PRO_WORDS:
                    continue  # "said the words": content only for what stands for words ("said so", "the same")
                kids.append(c)
            elif dep[c] == "prep" and (low[c] in self.preps.get(lem, ()) or (
                    low[c] == "as" and lem in self.as_verbs and any(
                        dep[o] == "dobj" and o < c for o in children))) and c > ti:
                # ("described the plan as ...", not "described as reckless a tweet that ...")
                # (a topic follows its verb: not "On Thursday, Trump spoke to ...")
                pobjs = [p for p in tree[c] if dep[p] in ("pobj", "pcomp")]
                if _manner_at(tab, c, pobjs):
                    continue
                if pobjs:
                    kids.extend(pobjs)
                    if not kids[:-len(pobjs)] and all(tab.head[k] == ti and dep[k] == "advmod"
                                                      for k in range(ti + 1, c)):
                        prep_tok = c  # "called for", "spoke emotionally of"
                    obj = next((o for o in children if dep[o] in ("dobj", "dative") and ti < o < c), None)
                    obj_tree = subtree_indices(doc, obj) if obj is not None else []
                    if obj is not None and max(obj_tree) == c - 1 and len(obj_tree) <= 3 \
                            and (lem in self.addressee_verbs or lem in ACCUSING_VERBS or low[c] == "as"):
                        # "accused her of ...", "asked Clinton about ...": the person addressed is in the cue;
                        # "described the move as ...": what it is cast as is the content, the verb the cue
                        kids = [k for k in kids if k != obj]
                        prep_tok = c if low[c] != "as" else None
        if not kids and lem in self.reporting:
            # a clause the parser hung on a speech verb as an adverbial ("said after the convention he would
            # not ...", "have not said when they would ..."): with its own subject and no subordinator, it is said
            kids = [c for c in children if dep[c] == "advcl" and c > ti and any(
                dep[x] in SUBJECT for x in tree[c]) and not any(dep[x] == "mark" for x in tree[c])]
        if any(dep[c] == "agent" for c in children):
            kids += [c for c in children if dep[c] == "nsubjpass"]  # "was endorsed by X": X endorsed it
        kids = [k for k in kids if subj is None or k != subj.i]
        return [doc[k] for k in sorted(kids)], (doc[prep_tok] if prep_tok is not None else None)

    def frames(self, pm: ParaMentions, sent_offset: int) -> list[Frame]:
        """Speech and attribution frames of one paragraph, in text order (see the module doc)."""
        doc = pm.doc
        quotes = _quote_index(doc)
        sents = sent_list(doc)
        frames: list[Frame] = self._layout_frames(pm, sent_offset, sents, quotes.of_tok, quotes.toks)
        for si, sent in enumerate(sents):
            sidx = sent_offset + si
            via = self.vias(sent, pm)
            sent_frames = self._cue_frames(sent, pm, sidx, via, quotes, sents)
            sent_frames += self._noun_frames(sent, pm, sidx, via, quotes.of_tok)
            sent_frames += self._according_frames(sent, pm, sidx, via)
            for fr in sent_frames:
                self._seen_document(fr, pm)
                if fr.affiliation is None and fr.speaker_tok is not None and fr.speaker_tok.lower_ not in PRONOUNS:
                    fr.body = speaker_body(fr.speaker_tok, pm)
            # nesting once the sentence is done: the outer cue may follow ('"..., I think, ...," he said')
            for fr in sent_frames:
                self._nest(fr, [f for f in frames + sent_frames if f is not fr])
            for fr in sent_frames:
                if not fr.nested and not fr.claim:
                    self._transparent(fr)
            frames.extend(sent_frames)
        self._mark_quotable(frames, quotes.of_tok)
        self._orphan_quotes(frames, doc, sent_offset, quotes.toks)
        return frames

    def _frame_lemma(self, t: Any) -> str | None:
        """The lemma a verb is read as a cue by: a cue word, a stance verb or copula, or a publishing verb
        with a text as its object; None for any other token."""
        return self._frame_lemma_at(t.doc, t.i)

    def _frame_lemma_at(self, doc: Any, i: int) -> str | None:
        """`_frame_lemma` of token i: read from the token table, a Token made only for a publishing verb."""
        tab = token_table(doc)
        lem = self._cue_lemma_at(tab, i)
        if lem is None and tab.pos[i] in ("VERB", "AUX") and tab.lemma[i] in self.stance_or_copula:
            lem = tab.lemma[i]
        if lem is None and tab.pos[i] == "VERB" and self._publish_lemma_at(tab, i) is not None \
                and self._published(doc[i]) is not None:
            lem = tab.lemma[i]
        return lem

    def _cue_frames(self, sent: Any, pm: ParaMentions, sidx: int, via: list[Via], quotes: _Quotes,
                    sents: list[Any]) -> list[Frame]:
        """The frames of a sentence's cue verbs: the verb's own frame, else a source named after the words,
        else an agentless passive. Each speaker goes into the book as it is found."""
        out: list[Frame] = []
        doc, tab = sent.doc, token_table(sent.doc)
        for i in range(sent.start, sent.end):
            if tab.pos[i] not in ("VERB", "AUX") and not tab.tag[i].startswith("VB"):
                continue  # only a verb is a cue (_frame_lemma reads None for any other word)
            lem = self._frame_lemma_at(doc, i)
            if lem is None:
                continue
            t = doc[i]
            if _examining_clause(t) and self._examiner(t.head, pm) is not None:
                continue  # "a report seen by X": X saw the text, it says nothing (a step of via, see _via_seen)
            fr = self._verb_frame(t, lem, pm, sidx, via, quotes.of_tok, quotes.toks, quotes.spans, sents)
            if fr is None and lem in self.reporting:
                fr = self._postposed_frame(t, lem, pm, sidx, via, quotes.of_tok)
            if fr is None and lem in self.lex and lem not in self.no_passive:
                fr = self._passive_frame(t, lem, pm, sidx, via, quotes.of_tok)
            if fr is None:
                continue
            if fr.claim and fr.speaker is not None and fr.speaker_tok.lower_ not in FIRST_PERSON:
                self.book.record(fr.speaker, fr.role, fr.affiliation, via, head=fr.speaker_tok)
            out.append(fr)
        return out

    def _noun_frames(self, sent: Any, pm: ParaMentions, sidx: int, via: list[Via],
                     q_of_tok: dict[int, int]) -> list[Frame]:
        """The frames of a sentence's sources read "in" ("in a new poll") and of its statement and stance nouns."""
        out: list[Frame] = []
        doc, tab = sent.doc, token_table(sent.doc)
        lowers, lemmas = tab.lower[sent.start:sent.end], tab.lemma[sent.start:sent.end]
        if self.noun_cues.isdisjoint(lowers) and self.noun_cues.isdisjoint(lemmas) \
                and self.stance_nouns.isdisjoint(lemmas):
            # no cue noun (most sentences): only an "in" can hold a frame
            at: Iterable[int] = [sent.start + k for k in _positions(lowers, "in")]
        else:
            at = range(sent.start, sent.end)
        for i in at:
            lo, lem = tab.lower[i], tab.lemma[i]
            if tab.dep[i] == "prep" and lo == "in" and tab.pos[tab.head[i]] in CUE_WORD_POS:
                out.append(self._in_source(doc[i], pm, sidx, via))
            if tab.pos[i] in ("NOUN", "PROPN") and (lo in self.noun_cues or lem in self.noun_cues
                                                    or lem in self.stance_nouns):
                out.append(self._noun_frame(doc[i], pm, sidx, via, q_of_tok))
        return [fr for fr in out if fr is not None]

    def _according_frames(self, sent: Any, pm: ParaMentions, sidx: int, via: list[Via]) -> list[Frame]:
        out: list[Frame] = []
        doc, lowers = sent.doc, token_table(sent.doc).lower
        if "according" not in lowers[sent.start:sent.end]:
            return out
        for i in range(sent.start, sent.end):
            if lowers[i] != "according":
                continue
            t = doc[i]
            if not any(c.lower_ == "to" for c in t.children):
                continue
            fr = self._according(t, sent, pm, sidx, via)
            if fr is None:
                continue
            out.append(fr)
            if fr.speech and fr.speaker is not None and fr.speaker.kind != "media":
                self.book.record(fr.speaker, fr.role, fr.affiliation, via)
        return out

    def _mark_quotable(self, frames: list[Frame], q_of_tok: dict[int, int]) -> None:
        """Which frames the quote list shows (see quotable); each word belongs to one attribution: a non-speech
        cue inside the words of another listed one is part of them."""
        for f in frames:
            f.quotable = self.quotable(f, frames, q_of_tok)
        for f in frames:
            cue = f.own_cue_tok or f.cue_tok
            if f.quotable and cue is not None and not f.speech and any(
                    g is not f and g.quotable and cue.i in g.content and (g.own_cue_tok or g.cue_tok) is not None
                    and (g.own_cue_tok or g.cue_tok).i not in f.content for g in frames):
                f.quotable = False

    def _orphan_quotes(self, frames: list[Frame], doc: Any, sent_offset: int, q_toks: list[list[int]]) -> None:
        """Direct quotes no frame covers: the previous speaker goes on."""
        for toks in q_toks:
            if not toks or any(i in f.content for f in frames for i in toks):
                continue
            prev = self.book.last_person()
            if prev is None:
                continue
            sent_i = sent_offset + sent_no(doc[toks[0]])
            frames.append(Frame(sent_i, prev.actor, None, prev.role, None, None, None, None,
                                set(toks), None, "direct", "certain", None, via=[], affiliation=prev.affiliation))

    def _layout_frames(self, pm: ParaMentions, sent_offset: int, sents: list[Any], q_of_tok: dict[int, int],
                       q_toks: list[list[int]]) -> list[Frame]:
        """Attributions marked by layout rather than a verb: a paragraph that follows 'X said:' (the words
        are the paragraph, or its opening quote), 'NAME: words' (transcripts, headlines) and 'words ― NAME'
        (quotes signed with a dash, embedded posts)."""
        doc = pm.doc
        out: list[Frame] = []
        tab = token_table(doc)
        texts, space = tab.text, tab.space
        word_ids = [i for i in range(len(doc)) if not space[i]]  # Tokens only where a rule below needs them
        if not word_ids:
            return out
        pending, self._pending = self._pending, None
        colon_i = next((i for i in word_ids[:6] if texts[i] == ":"), None)
        words = [doc[i] for i in word_ids] if pending is not None or colon_i is not None else []
        if pending is not None:
            content = set(q_toks[q_of_tok[words[1].i]]) if words[0].text in QUOTE_CHARS and len(words) > 1 and \
                words[1].i in q_of_tok else {t.i for t in words}
            fr = Frame(sent_offset, pending.speaker, None, pending.role, None, pending.cue_text, pending.cue_start,
                       pending.cue_end, content, None, "direct" if words[0].text in QUOTE_CHARS else "indirect",
                       pending.certainty, pending.denial, via=list(pending.via), affiliation=pending.affiliation,
                       anonymous=pending.anonymous)
            fr.own_speaker, fr.speaker_span, fr.layout = pending.own_speaker, pending.speaker_span, True
            out.append(fr)
        # NAME: words
        colon = doc[colon_i] if colon_i is not None else None
        if colon is not None and colon.i + 1 < len(doc):
            name = [t for t in words if t.i < colon.i and t.text not in QUOTE_CHARS]
            ents = [e for e in doc.ents if e.label_ in NAME_ENTS and e.start <= name[0].i
                    and e.end >= colon.i] if name else []
            caps = bool(name) and all(t.is_upper and len(t.text) > 2 and t.text.lower() not in LAYOUT_WORDS
                                      for t in name)
            # a headline's 'Pence: ...', 'Poll: ...': a short proper name or a survey the parser did not tag
            named = bool(name) and len(name) <= 3 and all(t.pos_ == "PROPN" or lemma(t) in self.survey_nouns
                                                         for t in name)
            rest = [t for t in words if t.i > colon.i and t.text not in QUOTE_CHARS]
            if (ents or caps or named and len(rest) >= 3) and rest and not any(
                    t.text.lower() in LAYOUT_WORDS for t in name):
                out.append(self._layout_frame(pm, sent_offset, name, colon, rest, q_of_tok))
        # words ― NAME, once per line: a paragraph of signed quotes, one a line ('"..." ― NAME')
        if DASHES.isdisjoint(texts):
            return out  # (no dash in the paragraph: most paragraphs)
        lines: list[list[int]] = [[]]
        for i in range(len(doc)):
            if space[i] and "\n" in texts[i]:
                lines.append([])
            elif not space[i]:
                lines[-1].append(i)
        for line_ids in lines if len(lines) > 1 else [word_ids]:
            dash_i = next((i for i in reversed(line_ids[-14:]) if texts[i] in DASHES), None)
            if dash_i is None or dash_i - line_ids[0] <= 2:
                continue
            line = [doc[i] for i in line_ids]
            dash = doc[dash_i]
            name = [t for t in line if t.i > dash.i]
            who = []
            for t in name:
                if t.pos_ != "PROPN" and not (who and t.text in ".-'"):
                    break
                who.append(t)
            tail_ok = all(t.pos_ in SIGNATURE_POS or t.text.startswith("@") for t in name)
            rest = [t for t in line if t.i < dash.i and t.text not in QUOTE_CHARS]
            if who and tail_ok and rest and not any(t.pos_ == "VERB" for t in name):
                out.append(self._layout_frame(pm, sent_offset, who, dash, rest, q_of_tok))
        return out

    def _layout_frame(self, pm: ParaMentions, sent_offset: int, name: list[Any], cue: Any, rest: list[Any],
                      q_of_tok: dict[int, int]) -> Frame:
        base = pm.base
        head = next((t for t in name if t.head.i == t.i or t.head.i < name[0].i or t.head.i > name[-1].i), name[-1])
        speaker, role, affiliation, anon = self.resolve_speaker(head, pm)
        sidx = sent_offset + sent_no(cue)
        content = {t.i for t in rest}
        n_in = sum(1 for i in content if i in q_of_tok)
        fr = Frame(sidx, speaker, None, role, None, cue.text, base + cue.idx, base + cue.idx + len(cue), content,
                   None, "direct" if n_in >= 0.8 * len(content) else "indirect", "certain", None,
                   via=self.vias(sent_of(cue), pm), affiliation=affiliation, anonymous=anon)
        fr.own_speaker = speaker
        fr.speaker_span = (base + name[0].idx, base + name[-1].idx + len(name[-1]))
        fr.layout = True
        if speaker is not None:
            self.book.record(speaker, role, affiliation, fr.via)
        return fr

    def quotable(self, f: Frame, frames: list[Frame], q_of_tok: dict[int, int]) -> bool:
        """Whether a frame is an attribution the outlet reports, to be listed among the document's quotes.
        Frames inside a direct quote or nested in another speaker's words are part of that quote (a
        non-speech frame inside another listed frame's content is dropped after this, in `frames`);
        generic second-person and infinitival cues ("you think", "wants to know") are not attributions the
        outlet reports, while a negated, conditional or first-person one is ("did not say whether", "if the
        I.R.S. has questions about", an op-ed's "I know"), as attribution annotation (PolNeAR) marks them.
        They stay frames, for the certainty and polarity of the claims under them."""
        if f.layout:
            return True
        cue = f.own_cue_tok or f.cue_tok
        if f.nested or cue is None or cue.i in q_of_tok:
            return False
        if cue.pos_ == "NOUN" and cue.dep_ == "pobj" and cue.head.lower_ == "in" and any(
                g is not f and g.cue_tok is not None and g.cue_tok.i == cue.head.head.i and g.content & f.content
                for g in frames):
            return False  # "wrote in a report that ...": the writing is the attribution, the report its medium
        if cue.lower_ in ("according", "in") or cue.pos_ in ("NOUN", "PROPN"):
            return not (f.speaker_tok is not None and f.speaker_tok.lower_ == "you")
        lem = self.cue_lemma(cue)
        if lem in self.quote_only and f.quote == "indirect":
            return False
        if f.speaker_tok is not None and f.speaker_tok.lower_ in GENERIC_SUBJECTS and not (
                f.speaker_tok.lower_ == "that" and f.speaker_tok.head.dep_ == "relcl"):
            return False  # second person (generic "you"), "that" as a demonstrative (a relative "that" has a source)
        lead = self._chain_lead(cue)  # "went on to explain", "was able to tout": the chain is the cue
        if lem in self.not_quoted or lead.dep_ in ("xcomp", "csubj"):
            return False
        if lead.dep_ == "ccomp" and (self.cue_lemma(lead.head) or lead.head.i == lead.i) and not (
                lead.head.i in q_of_tok and lead.i not in q_of_tok):
            return False  # inside the words of an outer cue (not a quoted "say" the parser hung it on: '"...
            # I would say, 'That's ridiculous,'" the president added.')
        first = lead
        while first.dep_ == "conj" and first.head.i < first.i and first.head.pos_ in ("VERB", "AUX"):
            first = first.head  # "could reverse the rules or decline to ...": the first conjunct decides
        purpose = first.dep_ == "advcl" and first.head.i < first.i and first.head.tag_ in FINITE \
            and any(c.dep_ == "nsubj" for c in first.head.children)
        if lead.tag_ == "VB" and first.tag_ == "VB" and first.dep_ not in ("ROOT", "ccomp") and not purpose and not (
                any(c.dep_ == "nsubj" for c in first.children) and not any(
                    c.dep_ == "aux" and c.lower_ == "to" for c in first.children)):
            return False  # "to say", "wants to know": not an attribution the outlet reports (a present tense
            # the tagger took for a base form keeps its subject: "..., advisers to Mr. Obama say, ...")
        # a negated cue is still an attribution ("did not say whether"), and so is a conditional one ("if
        # the I.R.S. has questions about"): the outlet reports who would hold the view
        return True

    def _verb_frame(self, t: Any, lem: str, pm: ParaMentions, sidx: int, via: list[Via],
                    q_of_tok: dict[int, int], q_toks: list[list[int]], qspans: list[tuple[int, int]],
                    sents: list[Any]) -> Frame | None:
        """The frame of cue verb t: its source, the heads of what it says, the content they span (with the
        fallbacks of VERB_CONTENT_FALLBACKS when the parser hung the words elsewhere), widened to whole
        quotes, and the cue as a quote lists it. None when the verb defers to another cue or has no source
        or no content; a 'X said:' closing the paragraph is kept pending for the next one."""
        if self._defers(t, lem):
            return None
        cue = self._cue_source(t, lem, pm)
        if cue is None or not self._cue_heads(cue):
            return None
        quotes = _Quotes(qspans, q_of_tok, q_toks)
        content, carry = self._verb_content(cue, quotes)
        if not content or (all(pm.doc[i].is_punct for i in content) and not carry):
            return None
        self._extend_quotes(t, content, quotes)
        if not carry:
            _trim_leading(content, pm.doc)
        if not content:
            return None
        fr = self._build_verb_frame(cue, content, pm, sidx, via, q_of_tok)
        if carry:
            self._pending = fr
            return None
        return fr

    def _defers(self, t: Any, lem: str) -> bool:
        """Cue verbs that hold no frame of their own: "quoted X as saying ..." (the saying's frame, with X as
        its source), "point" without "out" or "to", "refused to say" (the governed cue's frame carries the
        chain), "it is said", "he was asked" (no source on this verb)."""
        tab, tree = token_table(t.doc), children_of(t.doc)  # (token indices: no Token made)
        dep, low, kids = tab.dep, tab.lower, tree[t.i]
        if tab.lemma[t.i] in QUOTING_VERBS and any(dep[c] == "prep" and low[c] == "as" and any(
                dep[p] == "pcomp" and self._cue_lemma_at(tab, p) for p in tree[c]) for c in kids):
            return True
        if lem == "point" and not any((dep[c] == "prt" and low[c] == "out") or (dep[c] == "prep" and low[c] == "to")
                                      for c in kids):
            return True
        if lem in self.chain_verbs and any(dep[c] == "xcomp" and c > t.i and self._cue_lemma_at(tab, c) for c in kids):
            return True
        deps = {dep[c] for c in kids}
        return "expl" in deps or ("nsubjpass" in deps and "agent" not in deps)

    def _cue_source(self, t: Any, lem: str, pm: ParaMentions) -> _Cue | None:
        """The cue with its subject (and the antecedent that names the speaker) and where the cue starts;
        None when there is no subject that can be a source."""
        self._cue_from = None
        self._pm = pm
        self._extra_subjects = []
        subj, antecedent = self._subject(t)
        cue_from = self._cue_from or t
        lead = self._chain_lead(t)
        if self._cue_from is None and lead is not t:
            cue_from = lead  # "went on to explain": the cue runs from the governing verb
        if subj is None or (subj.lower_ in WH_SUBJECTS and antecedent is None) or (
                subj.lower_ == "it" and lem in self.no_it):
            return None
        return _Cue(t, lem, subj, antecedent, cue_from, lead)

    def _cue_heads(self, cue: _Cue) -> bool:
        """Sets the heads of what the cue says (and the preposition, stance noun or "it" that ends the cue);
        False when the verb is no cue here or another cue's frame covers its words."""
        t, lem = cue.t, cue.lem
        cue.kids, cue.prep_tok = self._content_kids(t, lem, cue.subj)
        # "as X put it, ...": "put it" is a speech cue whose "it" stands for the words around it
        cue.put_it = next((c for c in t.children if c.dep_ == "dobj" and c.lower_ == "it"), None) if lem == "put" \
            else None
        stance = self._stance_object(t, cue.subj) if cue.put_it is None else None
        if cue.put_it is not None:
            cue.kids = [k for k in cue.kids if k.i != cue.put_it.i]
        elif stance is not None:
            # "offered no proof that ...", "raised concerns about ...": the object noun is part of the cue
            cue.stance_end, cue.kids = stance
            cue.prep_tok = None
        elif lem not in self.lex and (lem not in self.publish_verbs or self._published(t) is None):
            return False
        # "issued a statement saying ...": the frame of "saying" covers it
        return not any(k.dep_ == "dobj" and lemma(k) in self.document_nouns and any(
            c.dep_ == "acl" and c.tag_ == "VBG" and self.cue_lemma(c) for c in k.children) for k in cue.kids)

    def _verb_content(self, cue: _Cue, quotes: _Quotes) -> tuple[set[int], bool]:
        """(content, carry): the tokens the cue's heads span, else the first fallback that finds words, else
        a closing colon (carry: the next paragraph holds the words); without the outlet's comments."""
        t, subj = cue.t, cue.subj
        doc = t.doc
        skip = set(subtree_indices(doc, subj.i)) | {t.i}
        if t.dep_ == "acl" and t.head.i == subj.i and lemma(subj) in self.document_nouns:
            # "a tweet attacking the mayor": the tweet says it
            skip -= {x for x in subtree_indices(doc, t.i) if x != t.i}
        content = {x for c in cue.kids for x in subtree_indices(doc, c.i) if x not in skip}
        for fallback in VERB_CONTENT_FALLBACKS:
            if content:
                break
            content = getattr(self, fallback)(cue, skip, quotes)
        carry = False
        if not content:
            content = _closing_colon(t, skip)
            carry = bool(content)
        space = token_table(doc).space
        content = {i for i in content if not space[i]}
        self._drop_comments(content, doc)
        return content, carry

    # Content fallbacks: (cue, tokens to skip, quotes) -> the content they find, or an empty set.
    def _governing_clause(self, cue: _Cue, skip: set[int], quotes: _Quotes) -> set[int]:
        """"The deal, he said, was good", "As experts have pointed out, ...": the governing clause is the content."""
        t = cue.t
        if not (t.dep_ == "parataxis" or t.dep_ == "advcl" and (cue.lem in self.reporting or cue.put_it is not None)
                and any(c.dep_ == "mark" and c.lower_ == "as" for c in t.children)):
            return set()
        inner = {x.i for x in t.subtree}
        return {x.i for x in t.head.subtree if x.i not in inner and not x.is_punct}

    def _stray_quote(self, cue: _Cue, skip: set[int], quotes: _Quotes) -> set[int]:
        """'"...," Trump said.' parsed without a clausal complement: the quote in the sentence (or next to it)
        is said (not by a verb that is a cue only through what it governs: "appeared on a show", "as shown
        by")."""
        t = cue.t
        if t.i in quotes.of_tok or cue.lem in self.no_fallback:
            return set()
        sent = sent_of(t)
        content = {i for i in quotes.of_tok if sent.start <= i < sent.end and i not in skip}
        return content or self._adjacent_quote(t, skip, quotes.of_tok, quotes.toks, quotes.spans) or \
            self._short_quote_or_that(t, skip)

    def _closing_source(self, cue: _Cue, skip: set[int], quotes: _Quotes) -> set[int]:
        """"..., two port workers said.": the words before the source (see _words_before_source)."""
        if cue.lem not in self.reporting:
            return set()
        content = self._words_before_source(cue.t, cue.subj)
        if content:
            self._extra_subjects = [x for x in self._extra_subjects if x.i not in content]
        return content

    def _drop_comments(self, content: set[int], doc: Any) -> None:
        """"said that ..., according to a statement carried by IRNA": how the words came out; "... from a
        foreign state, a charge the group rejected": the outlet's comment on them. Neither is said."""
        tab = token_table(doc)
        for i in sorted(content):
            if tab.lower[i] != "according" and not (tab.dep[i] == "appos" and tab.lemma[i] in META_NOUNS):
                continue  # (the test below needs one or the other)
            x = doc[i]
            if x.i not in content or x.left_edge.i == 0 or doc[x.left_edge.i - 1].text != ",":
                continue
            if (x.lower_ == "according" and self._medium_according(x)) or (
                    x.dep_ == "appos" and lemma(x) in META_NOUNS):
                content.difference_update({y.i for y in x.subtree} | {x.left_edge.i - 1})

    def _extend_quotes(self, t: Any, content: set[int], quotes: _Quotes) -> None:
        """A direct quote said in part is said in full, and a quote resumed after '..., he said.' goes on."""
        doc = t.doc
        q_of_tok, q_toks, qspans = quotes.of_tok, quotes.toks, quotes.spans
        said = sorted({q_of_tok[i] for i in content if i in q_of_tok} - {q_of_tok.get(t.i)})
        if not said:
            return
        for k in said:
            content.update(q_toks[k])
        k = said[-1]
        while k + 1 < len(qspans) and q_toks[k + 1] and qspans[k][1] < t.idx < qspans[k + 1][0]:
            gap = doc_text(doc)[qspans[k][1]:qspans[k + 1][0]]
            nxt = sent_of(doc[q_toks[k + 1][-1]])
            tail = [x for x in nxt if x.i > q_toks[k + 1][-1] and not x.is_punct]
            tail += [x for x in doc if qspans[k][1] <= x.idx < qspans[k + 1][0] and x.i != t.i]
            if len(re.findall(r"\w+", gap)) > 12 or any(self.cue_lemma(x) for x in tail):
                break
            content.update(q_toks[k + 1])
            k += 1

    def _build_verb_frame(self, cue: _Cue, content: set[int], pm: ParaMentions, sidx: int, via: list[Via],
                          q_of_tok: dict[int, int]) -> Frame:
        t, lem, subj = cue.t, cue.lem, cue.subj
        doc, base = pm.doc, pm.base
        speech, evidential, claim = self._verb_frame_kind(cue, content, q_of_tok)
        speaker, role, affiliation, anon = self._verb_speaker(cue, speech, pm)
        cue_end_tok = self._cue_end(cue)
        cue_text = doc_text(doc)[t.idx:cue_end_tok.idx + len(cue_end_tok)]
        cue_from, cue_end_tok = self._cue_extent(cue.cue_from, cue_end_tok, t, content, cue.lead)
        certainty, denial = self._verb_certainty(t, lem, speech)
        root = next((c for c in cue.kids if c.i in content), None)
        if root is None:
            root = doc[min(content)]
        fr = Frame(sidx, speaker, subj, role, t, cue_text, base + cue_from.idx, base + cue_end_tok.idx + len(cue_end_tok),
                   content, root if speech else None, _quote_kind(content, q_of_tok), certainty, denial, via=list(via),
                   affiliation=affiliation, anonymous=anon)
        fr.speech = speech
        fr.claim = claim
        fr.own_speaker = speaker
        not_source = content | set(q_of_tok)
        fr.speaker_span = self._speaker_span(subj, t, base, not_source)
        for other in self._extra_subjects:
            o = self._speaker_span(other, t, base, not_source)
            fr.speaker_span = (min(fr.speaker_span[0], o[0]), max(fr.speaker_span[1], o[1]))
        if not speech and (evidential or speaker is None):
            fr.quote = "none"  # the outlet's own statement resting on what the subject shows
            fr.speaker = None
            fr.anonymous = False
        return fr

    def _verb_frame_kind(self, cue: _Cue, content: set[int], q_of_tok: dict[int, int]) -> tuple[bool, bool, bool]:
        """(speech, evidential, claim). A frame speaks for the claims in its content when it reports words: a
        clause or quote said, or the object of a verb that reports on an event ("denied the attack");
        "demanded an inquiry", "wants to", "called it a disaster" stay quotes but leave their claims to the
        outlet (or an outer speaker). An evidence noun with an evidence verb ("the images show") is no speech."""
        lem = cue.lem
        evidential = lemma(cue.subj) in self.cs["evidence_nouns"] and lem in self.cs["evidence_verbs"]
        speech = (lem in self.reporting or cue.put_it is not None) and not evidential
        clausal = any(k.dep_ in CLAUSAL or (k.dep_ == "dobj" and k.pos_ == "PRON") for k in cue.kids) or \
            not cue.kids or any(i in q_of_tok for i in content)
        claim = speech and cue.stance_end is None and (clausal or lem in self.claim_objects)
        return speech, evidential, claim

    def _verb_speaker(self, cue: _Cue, speech: bool, pm: ParaMentions) -> tuple[Actor | None, str | None,
                                                                                 Actor | None, bool]:
        who = cue.antecedent if cue.antecedent is not None else cue.subj
        if who.lower_ != "it":
            return self.resolve_speaker(who, pm)
        if not speech and cue.lem in self.cs["evidence_verbs"]:
            return None, None, None, False  # "it shows ...": a text or recording
        e = next((x for x in reversed(self.book.entries) if x.actor.kind != "person"), None)
        return (e.actor, e.role, e.affiliation, False) if e else (None, None, None, False)

    @staticmethod
    def _cue_end(cue: _Cue) -> Any:
        """The last word of the cue proper: "it" of "put it", a stance noun or its preposition, a content
        preposition ("called for"), a particle right after the verb, or the verb."""
        end = next((x for x in (cue.put_it, cue.stance_end, cue.prep_tok) if x is not None), None)
        if end is not None:
            return end
        t = cue.t
        tab = token_table(t.doc)
        prt = next((c for c in children_of(t.doc)[t.i] if tab.dep[c] == "prt" and c == t.i + 1), None)
        return t.doc[prt] if prt is not None else t

    def _verb_certainty(self, t: Any, lem: str, speech: bool) -> tuple[str, str | None]:
        """(certainty, denial) of a cue verb: its lexicon certainty; "has not confirmed the delivery", "did
        not deny it": a negated speech verb commits the speaker to neither side."""
        certainty = self.reporting.get(lem, "certain") if speech else "certain"
        denial = t.text if lem in self.cs["denial"] else None
        if speech and any(token_table(t.doc).dep[c] == "neg" for c in children_of(t.doc)[t.i]):
            certainty, denial = "possible", None
        return certainty, denial

    @staticmethod
    def _words_before_source(t: Any, subj: Any) -> set[int]:
        """"A ship unloaded armoured vehicles in Benghazi, two port workers said.": a speech verb closing its
        sentence after ", SOURCE", whose clause the parser did not hang on it (it made "unloaded" a modifier
        and "vehicles" a second subject). The words before the comma are what the source says. Only when
        nothing but the verb's own time, place or medium follows it ("said on Monday", "told Reuters")."""
        doc = t.doc
        sent = sent_of(t)
        le = subj.left_edge.i
        if not (sent.start + 3 < le < t.i) or doc[le - 1].text != "," or subj.i > t.i or t.dep_ != "ROOT":
            return set()
        if subj.pos_ == "PRON" and subj.lower_ not in SOURCE_PRONOUNS:
            return set()
        if any(x.head.i == t.i and x.dep_ in GOVERNING_CLAUSE for x in doc[sent.start:le - 1]):
            return set()  # "When Congress cut the funds, Mexico said enough": the clause is the verb's own
        if any(x.i < le - 1 for x in subj.subtree):
            return set()
        after = [x for x in doc[t.i + 1:sent.end] if not x.is_punct and not x.is_space]
        if any(not any(a.i == t.i for a in x.ancestors) or x.dep_ in CLAUSAL_NO_PARATAXIS for x in after):
            return set()
        words = [doc[i] for i in range(sent.start, le - 1) if not doc[i].is_space]
        if sum(1 for x in words if not x.is_punct) < 3 or not any(x.pos_ in ("VERB", "AUX") for x in words):
            return set()
        return {x.i for x in words}

    def _postposed_frame(self, t: Any, lem: str, pm: ParaMentions, sidx: int, via: list[Via],
                         q_of_tok: dict[int, int]) -> Frame | None:
        """A source named after its words, which the parser did not make their governor: "Turkey sent drones
        to the GNA, a diplomat told Reuters on condition of anonymity" (the source parsed as an apposition of
        'GNA' with 'told' hanging on it, or 'told' coordinated with 'sent'). The words before the comma are
        the content."""
        if any(c.dep_ in CLAUSAL_NO_PARATAXIS for c in t.children):
            return None
        doc, base = pm.doc, pm.base
        if t.dep_ == "acl" and t.head.dep_ == "appos" and t.head.i < t.i and t.head.pos_ in ("NOUN", "PROPN"):
            who = t.head
        elif t.dep_ == "conj" and t.head.pos_ in ("VERB", "AUX") and t.head.i < t.i:
            who = next((c for c in t.children if c.dep_ == "nsubj" and c.i < t.i), None)
            if who is None or who.pos_ not in ("NOUN", "PROPN"):
                return None
        else:
            return None
        sent = sent_of(t)
        le = who.left_edge.i
        if le - 1 <= sent.start or doc[le - 1].text != ",":
            return None
        content = {i for i in range(sent.start, le - 1) if not doc[i].is_space}
        while content and (doc[max(content)].is_punct or doc[min(content)].is_punct):
            content.discard(max(content) if doc[max(content)].is_punct else min(content))
        if len(content) < 3:
            return None
        root = next((doc[i] for i in sorted(content) if doc[i].dep_ == "ROOT" or doc[i].head.i not in content),
                    doc[min(content)])
        speaker, role, affiliation, anon = self.resolve_speaker(who, pm)
        n_in = sum(1 for i in content if i in q_of_tok)
        qk = "direct" if n_in >= 0.8 * len(content) else ("mixed" if n_in else "indirect")
        fr = Frame(sidx, speaker, who, role, t, t.text, base + t.idx, base + t.idx + len(t), content, root, qk,
                   self.reporting.get(lem, "certain"), t.text if lem in self.cs["denial"] else None, via=list(via),
                   affiliation=affiliation, anonymous=anon)
        fr.speaker_span = self._speaker_span(who, t, base, content | set(q_of_tok))
        if speaker is not None and speaker.start is not None and not (
                fr.speaker_span[0] <= speaker.start < fr.speaker_span[1]):
            # a name found under the cue ("told Reuters"), not in the source phrase: the source is unnamed
            fr.speaker, fr.affiliation, fr.anonymous = None, None, True
        fr.own_speaker = fr.speaker
        return fr

    def _passive_frame(self, t: Any, lem: str, pm: ParaMentions, sidx: int, via: list[Via],
                       q_of_tok: dict[int, int]) -> Frame | None:
        """An agentless passive of a cue verb: "he was accused of ...", "the merits are being debated",
        "the veto is expected to come": an attribution whose source the text does not name. The passive
        subject and what it is accused of, expected to do or viewed as are the content; the cue runs from
        the auxiliaries through the verb (and its preposition). The frame reports no words (its claims
        stay the outlet's) and is listed as a quote without a source, as PolNeAR annotates these."""
        if t.pos_ != "VERB" or t.tag_ != "VBN":
            return None
        deps = {c.dep_ for c in t.children}
        if "auxpass" not in deps or "nsubjpass" not in deps or "agent" in deps or "expl" in deps:
            return None
        subj = next(c for c in t.children if c.dep_ == "nsubjpass")
        if subj.lower_ in NO_CONTENT_SUBJECTS:
            return None  # a relative or expletive subject: the content is elsewhere
        kids = [subj]
        prep_tok = None
        for c in t.children:
            if c.dep_ in PASSIVE_CONTENT:
                kids.append(c)
            elif c.dep_ == "prep" and c.i == t.i + 1 and (c.lower_ in self.preps.get(lem, ())
                                                         or c.lower_ in PASSIVE_PREPS):
                pobjs = [p for p in c.children if p.dep_ in ("pobj", "pcomp")]
                if _manner_of_speaking(c, pobjs):
                    continue
                if pobjs:
                    kids.extend(pobjs)
                    prep_tok = c
        content = {x.i for k in kids for x in k.subtree if not x.is_space}
        if not content:
            return None
        first, last = self._cue_extent(t, prep_tok or t, t, content)
        doc, base = pm.doc, pm.base
        n_in = sum(1 for i in content if i in q_of_tok)
        fr = Frame(sidx, None, None, None, t, doc_text(doc)[t.idx:last.idx + len(last)], base + first.idx,
                   base + last.idx + len(last), content, None,
                   "direct" if n_in >= 0.8 * len(content) else ("mixed" if n_in else "indirect"), via=list(via))
        fr.speech = fr.claim = False
        if lem in UNNAMED_PASSIVE_SOURCES:
            # "Turkey was accused of sending weapons", "drones are reported to have landed": someone the text does
            # not name alleges or reports it; the outlet does not say it in its own voice
            fr.speech = fr.claim = fr.anonymous = True
        return fr

    def _short_quote_or_that(self, t: Any, skip: set[int]) -> set[int]:
        """Last resorts for a speech verb without content: a short quote in its sentence ('"Okay," I said')
        or a that-clause the parser hung lower in its subtree ("said on Friday during a conference that ...")."""
        sent = sent_of(t)
        spans = []
        open_at = None
        for m in _QUOTE_MARK.finditer(sent.text):
            if open_at is None:
                open_at = m.end()
            else:
                spans.append((sent.start_char + open_at, sent.start_char + m.start()))
                open_at = None
        for s, e in spans:
            toks = {x.i for x in sent if s <= x.idx < e and x.i not in skip and not x.is_punct}
            if toks and not (s <= t.idx < e):
                owner = next((a for a in t.doc[min(toks)].ancestors if a.i == t.i or self.cue_lemma(a)), None)
                if owner is not None and owner.i != t.i:
                    continue  # another cue's words ('Speaking at a rally, Trump says he is making "a demand"')
                return toks
        for x in t.subtree:
            if x.i > t.i and x.dep_ in THAT_CLAUSE and any(
                    c.dep_ == "mark" and c.lower_ == "that" for c in x.children) and x.head.i != t.i:
                return {y.i for y in x.subtree}
        return set()

    def _adjacent_quote(self, t: Any, skip: set[int], q_of_tok: dict[int, int], q_toks: list[list[int]],
                        qspans: list[tuple[int, int]]) -> set[int]:
        """A quote the parser put in a sentence of its own: '"Who would have believed it?" Trump said.'
        (the cue opens the next sentence) or 'He said: "..."' (the quote follows the colon)."""
        doc = t.doc
        sent = sent_of(t)
        before = [x for x in sent if x.i < t.i and x.i not in skip and not x.is_punct and x.dep_ not in QUOTE_PREFIX]
        if not before:
            for k in range(len(qspans) - 1, -1, -1):
                if q_toks[k] and qspans[k][1] <= sent.start_char and not doc_text(doc)[qspans[k][1]:sent.start_char].strip(
                        ' ,"“”\'\n'):
                    return set(q_toks[k])
        nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
        if nxt is not None and nxt.text == ":":
            after = [x.i for x in doc[nxt.i + 1:] if not x.is_space]
            if after:
                k = q_of_tok.get(after[0] + (1 if doc[after[0]].is_punct else 0))
                if k is not None:
                    return set(q_toks[k])
                return {i for i in after if sent_no(doc[i]) == sent_no(doc[after[0]])}
        return set()

    def _cue_extent(self, first: Any, last: Any, verb: Any, content: set[int], lead: Any = None) -> tuple[Any, Any]:
        """The cue as a quote lists it: the verb with the auxiliaries, negation and adverbs right before it
        ("has also said"; those of `lead`, the verb a chain starts from: "has not yet tried to explain") and
        the particle, time word or preposition right after it ("said Tuesday", "pointed to", "said Friday
        morning"), and the medium it was said in ("said in a statement", "wrote in an email"), as attribution
        annotation (PolNeAR) marks cues."""
        doc = verb.doc
        tab = token_table(doc)
        sent = sent_of(verb)
        lead = lead if lead is not None else verb
        i = first.i - 1
        while i >= sent.start and tab.head[i] == lead.i and tab.dep[i] in CUE_PREFIX \
                and tab.lower[i] not in NOT_CUE_ADVERBS and i not in content:
            i -= 1
        if i + 1 < first.i:
            first = doc[i + 1]
        j = last.i + 1
        while j < sent.end and j not in content:
            xi = j
            while tab.head[xi] != verb.i and tab.head[xi] != xi and tab.head[xi] > j and tab.head[xi] < sent.end:
                xi = tab.head[xi]  # "said Friday morning": the phrase the first word belongs to
            if tab.head[xi] != verb.i or xi == verb.i or min(subtree_indices(doc, xi)) != j:
                break
            x = doc[xi]
            if x.dep_ == "prt" or (x.dep_ == "npadvmod" and (x.lower_ in TIME_WORDS or (
                    x.ent_type_ in ("DATE", "TIME") and all(y.ent_type_ in ("DATE", "TIME") for y in x.subtree)))):
                last = max(x.subtree, key=lambda y: y.i) if x.dep_ == "npadvmod" else x
            elif x.dep_ == "prep" and x.lower_ in CUE_PREPS and not any(
                    p.dep_ == "pobj" and (p.lower_ in TIME_WORDS or p.ent_type_ in ("DATE", "TIME"))
                    for p in x.children):
                last = x
            elif x.dep_ == "prep" and x.lower_ == "in" and (
                    medium := next((p for p in x.children if p.dep_ == "pobj" and lemma(p) in self.media_nouns),
                                   None)) is not None and not any(k in content for k in range(x.i, medium.i + 1)):
                last = medium  # "said in a recent interview" (not what follows the noun: "with the Post")
            else:
                break
            j = last.i + 1
        return first, last

    def _speaker_span(self, subj: Any, cue: Any, base: int, exclude: set[int] | None = None) -> tuple[int, int]:
        """The source phrase: the subject's subtree, without a relative clause or apposition that holds
        a cue of its own ("Mr. King, who said ..."), the cue itself or words of the content (a quote the
        parser hung on the subject): the unbroken run of words around the subject's head."""
        doc = subj.doc
        tab = token_table(doc)
        drop: set[int] = set(exclude or ())
        for c in children_of(doc)[subj.i]:
            if tab.dep[c] in CLAUSE_ON_SUBJECT:
                sub = subtree_indices(doc, c)
                if any(x == cue.i or self._cue_lemma_at(tab, x) for x in sub):
                    drop.update(sub)
        keep = {x for x in subtree_indices(doc, subj.i) if x not in drop and x != cue.i}
        keep.add(subj.i)
        lo = hi = subj.i
        while lo - 1 in keep:
            lo -= 1
        while hi + 1 in keep:
            hi += 1
        space = tab.space  # (trimmed from both ends: a Token made only for each end tested)
        while hi > lo and (space[hi] or doc[hi].is_punct):
            hi -= 1
        while hi > lo and (space[lo] or doc[lo].is_punct):
            lo += 1
        first, last = doc[lo], doc[hi]
        return base + first.idx, base + last.idx + len(last)

    @staticmethod
    def _transparent(fr: Frame) -> None:
        """A frame that is a quote but not a source for the claims in it: to those claims it is as if there
        were no frame (the outlet's own voice), so it neither names a speaker nor hides an outer one."""
        fr.own_cue_tok = fr.own_cue_tok or fr.cue_tok
        fr.own_via = fr.via
        fr.speaker = fr.role = fr.affiliation = fr.body = fr.cue_tok = fr.content_root = fr.cue_text = fr.denial = None
        fr.quote, fr.certainty, fr.via, fr.anonymous = "none", "certain", [], False

    def _nest(self, fr: Frame, earlier: list[Frame]) -> None:
        """A belief, intention or first-person frame inside another speaker's words ("he said they want
        ...", '"..., I think, ..." he said') is part of those words: its claims keep the outer speaker,
        cue and certainty, while the frame itself still lists its own source and cue as a quote."""
        if fr.speech and fr.speaker_tok is not None and fr.speaker_tok.lower_ not in FIRST_PERSON:
            return
        outer = None
        for f in earlier:
            if fr.cue_tok is not None and fr.cue_tok.i in f.content and f.claim and not f.nested and (
                    outer is None or len(f.content) < len(outer.content)):
                outer = f
        if outer is None:
            return
        fr.nested = True
        fr.speaker, fr.role, fr.affiliation, fr.anonymous = outer.speaker, outer.role, outer.affiliation, outer.anonymous
        fr.body = outer.body
        fr.quote, fr.certainty, fr.denial, fr.via = outer.quote, outer.certainty, outer.denial, list(outer.via)
        fr.cue_text = outer.cue_text
        fr.content_root = outer.content_root
        fr.own_cue_tok = fr.cue_tok
        fr.cue_tok = outer.cue_tok

    def _noun_frame(self, t: Any, pm: ParaMentions, sidx: int, via: list[Via], q_of_tok: dict[int, int]) -> Frame | None:
        """A noun naming a statement or a stance, with what it says or is about: "X's claim that ...", "her
        promise to ...", "his disdain for ...", "criticism from X of ...", "growing concerns that ...". The
        possessor (or the "by"/"from" phrase) is the source; without one the attribution has no source and
        needs a clause ("an agreement to ...", "charges that ...")."""
        base = pm.base
        if t.dep_ == "dobj" and t.head.pos_ in ("VERB", "AUX"):
            st = self._stance_object(t.head, None)
            if st is not None and (st[0].i == t.i or st[0].head.i in (t.i, t.head.i)):
                return None  # "raised concerns about ...": the verb's frame
        if t.dep_ in ("attr", "acomp") and lemma(t.head) in self.copulas and self._stance_predicate(t.head) is not None:
            return None
        poss = next((c for c in t.children if c.dep_ == "poss"), None)
        if poss is not None and poss.lower_ in NO_SOURCE_POSS:
            return None
        agent = None
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in SOURCE_PREPS and c.i > t.i:
                p = next((x for x in c.children if x.dep_ == "pobj"), None)
                if p is not None and (p.pos_ == "PROPN" or p.lower_ in SPEAKER_ROLES or pm.within(list(p.subtree),
                                                                                                   "actor")):
                    agent = p
        source = poss if poss is not None else agent
        named = None
        if source is None:
            # "a New York Times report that ...", "European reluctance to ...": a name inside the noun phrase
            named = next((c for c in t.children if c.i < t.i and c.dep_ in NAME_MODIFIER and
                          c.ent_type_ in NAME_ENTS), None)
            source = named
        kids = [c for c in t.children if c.i > t.i and c.dep_ in NOUN_CLAUSE and any(
            x.dep_ == "mark" and x.lower_ == "that" or x.dep_ == "aux" and x.lower_ == "to" for x in c.children)
            and not any(x.dep_ in PRONOUN_ARGUMENT and x.lower_ in ("that", "which") for x in c.children)]
        end = t
        if not kids and source is not None:
            for c in t.children:
                if c.dep_ == "prep" and c.i == t.i + 1 and c.lower_ in self.stance_preps and c.lower_ not in NOT_TOPIC_PREPS:
                    pobjs = [p for p in c.children if p.dep_ in ("pobj", "pcomp")]
                    if pobjs:
                        kids, end = pobjs, c
                        break
        if source is None and not (kids and (t.lower_ in self.noun_cues or lemma(t) in self.noun_cues or any(
                x.dep_ == "mark" and x.lower_ == "that" for k in kids for x in k.children))):
            return None  # without a source: a statement noun, or a stance with a that-clause ("fears that ...")
        content = {x.i for c in kids for x in c.subtree}
        if source is not None:
            content -= {x.i for x in source.subtree}
        if not content:
            return None
        start = t
        while start.i - 1 >= 0 and t.doc[start.i - 1].head.i == t.i and t.doc[start.i - 1].dep_ in ("amod", "compound") \
                and t.doc[start.i - 1].pos_ in STANCE_MODIFIER_POS and t.doc[start.i - 1].ent_type_ == "":
            start = t.doc[start.i - 1]  # "heavy criticism", "growing concerns"
        speaker, role, affiliation, anon = self.resolve_speaker(source, pm) if source is not None else (
            None, None, None, False)
        n_in = sum(1 for i in content if i in q_of_tok)
        fr = Frame(sidx, speaker, source, role, t, t.text, base + start.idx, base + end.idx + len(end), content, None,
                   "direct" if n_in >= 0.8 * len(content) else ("mixed" if n_in else "indirect"), "certain",
                   t.text if t.lower_ in DENIAL_NOUNS else None, via=list(via),
                   affiliation=affiliation, anonymous=anon)
        fr.speech = False
        fr.claim = False
        fr.own_speaker = speaker
        if poss is not None:
            toks = [x for x in poss.subtree if not (x.dep_ == "case" and x.head.i == poss.i)]
            fr.speaker_span = (base + toks[0].idx, base + toks[-1].idx + len(toks[-1])) if toks else None
        elif agent is not None:
            fr.speaker_span = self._speaker_span(agent, t, base)
        elif named is not None:
            toks = [x for x in named.subtree if x.i < t.i and not x.is_punct]
            toks = [x for x in toks if x.ent_type_] or [named]
            fr.speaker_span = (base + toks[0].idx, base + toks[-1].idx + len(toks[-1]))
        return fr

    def _in_source(self, t: Any, pm: ParaMentions, sidx: int, via: list[Via]) -> Frame | None:
        """"X leads Y by 9 points in a new poll": a survey the clause is read in is its source."""
        base = pm.base
        pobj = next((p for p in t.children if p.dep_ == "pobj"), None)
        if pobj is None or lemma(pobj) not in self.survey_nouns:
            return None
        inner = {x.i for x in t.subtree}
        toks = [x for x in t.head.subtree if x.i not in inner and not x.is_space]
        while toks and (toks[0].is_punct or toks[0].dep_ == "cc"):
            toks.pop(0)
        while toks and toks[-1].is_punct:
            toks.pop()
        if not toks:
            return None
        fr = Frame(sidx, None, pobj, None, t, t.text, base + t.idx, base + t.idx + len(t), {x.i for x in toks}, None,
                   "indirect", "certain", None, via=list(via))
        fr.speech = fr.claim = False
        fr.speaker_span = self._speaker_span(pobj, t, base)
        return fr

    def _medium_according(self, t: Any) -> bool:
        """"according to a statement (carried by IRNA)", "according to a transcript": a text or recording in
        which a speaker named elsewhere in the sentence spoke, when a speech verb with its own subject is there."""
        to = next((c for c in t.children if c.lower_ == "to"), None)
        pobj = next((p for p in to.children if p.dep_ == "pobj"), None) if to is not None else None
        if pobj is None or lemma(pobj) not in MEDIUM_NOUNS:
            return False
        own = {y.i for y in t.subtree}
        return any(x.i not in own and x.pos_ == "VERB" and lemma(x) in self.reporting
                   and any(c.dep_ == "nsubj" for c in x.children) for x in sent_of(t))

    def _according(self, t: Any, sent: Any, pm: ParaMentions, sidx: int, via: list[Via]) -> Frame | None:
        """"according to X": X is the source of the rest of the sentence."""
        if self._medium_according(t):
            return None  # the speech verb's frame is the attribution; the statement is its medium (via)
        base = pm.base
        to = next(c for c in t.children if c.lower_ == "to")
        pobj = next((p for p in to.children if p.dep_ == "pobj"), None)
        if pobj is None:
            # "according to show insiders": a noun the parser took for a verb ("show") heads the phrase
            pc = next((p for p in to.children if p.dep_ == "pcomp"), None)
            pobj = next((x for x in pc.children if x.dep_ == "dobj"), None) if pc is not None else None
        if pobj is None:
            return None
        # "according to flight-tracking data reviewed by Reuters": the data are the basis (a name after the
        # head noun says who holds them); "according to a UN report": the UN is the source
        basis = lemma(pobj) in self.cs["evidence_nouns"] and not pm.within(
            [x for x in pobj.subtree if x.i <= pobj.i], "actor")
        speaker, role, affiliation, anon = self.resolve_speaker(pobj, pm)
        skip = {x.i for x in t.subtree}
        if t.head.i == t.i:
            # "According to X, the move reeks of ...": the parser made the phrase the root; the source is
            # the noun phrase, the rest of the sentence the content
            skip = {t.i} | {x.i for x in to.subtree if x.i <= pobj.i}
        toks = [x for x in sent if x.i not in skip and not x.is_space]
        # "X, according to Y, more words": the clause the phrase attaches to, not trailing appositions
        while toks and (toks[0].is_punct or toks[0].dep_ == "cc"):
            toks.pop(0)
        while toks and toks[-1].is_punct:
            toks.pop()
        content = {x.i for x in toks}
        if not content:
            return None
        fr = Frame(sidx, speaker, pobj, role, t, "according to", base + t.idx, base + to.idx + len(to),
                   content, sent.root, "indirect", "certain", None, via=list(via), affiliation=affiliation,
                   anonymous=anon)
        fr.own_speaker = speaker
        fr.speaker_span = self._speaker_span(pobj, t, base, content)
        if basis:
            # "according to documents": an evidence basis, handled by evidence_basis; still a quote
            fr.speech = False
            fr.claim = False
            fr.speaker = None
            fr.quote = "none"
            fr.anonymous = False
            fr.evidence_basis = phrase_text(pobj)[0]
        return fr


def passage(doc_text: str, start: int, end: int, sentence: int) -> Passage:
    return Passage(text=doc_text[start:end], start=start, end=end, sentence=sentence)
