"""Factuality stage: certainty, polarity and tense of an event mention, with the cue words that set them.

Scope rules (dependency-based, see `scope`): a cue counts when it sits on the mention, on the words it
completes (an infinitive's or object's governor: "plans to attack", "may have an impact", "negotiated the
purchase"), on a coordinated verb's shared auxiliaries, or on the verb governing its clause ("believes
that ..."); subjects, relative clauses and adjuncts are not reached by the cues of the verbs they attach
to. First-person "I think"-type parentheticals count anywhere in the sentence of the speaker's content.
"denied that X" makes X negative, as do heads that stop or put off what they govern ("stop selling", "the
delayed delivery"); events under "prevent/ban/prohibit" or inside requests are not asserted; "if/unless"
clauses are at most possible. `assess_spans` and `assess_tokens` give any event mention of a text its
factuality, claim or not; `sentence_is_hedged` is a parse-free sentence-level uncertainty test.

The cue words are data (data/lexicon/factuality.yaml: word classes and word -> certainty tables); the code
holds the scope walk and two ordered rule tables over them: auxiliaries -> tense (`_AUX_TENSE`) and a scope
word's children -> certainty or polarity (`_CHILD_CUES`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .lexicon import cue_sets, document, table, words
from .nlp import lemma, sent_of
from .token_table import TokenTable, children_of, token_table


@lru_cache(maxsize=1)
def _allegations() -> dict[str, frozenset[str]]:
    data = document("scope")
    return {k: frozenset(data[k]) for k in ("allegation_nouns", "credible_adjectives", "allegation_path_deps")}


def _alleged(trigger: Any, fact: Fact) -> None:
    """The event is what an allegation is about ("allegations of X supplying ...", "claims that X sent
    ..."): possible; weighed as credible by whoever cites it ("credible allegations"), probable."""
    words = _allegations()
    tab = token_table(trigger.doc)  # (the walk up reads the token table: a Token for an allegation noun only)
    up = trigger.i
    for _ in range(4):
        if tab.head[up] == up or tab.dep[up] not in words["allegation_path_deps"]:
            return
        up = tab.head[up]
        if tab.pos[up] == "NOUN" and tab.lower[up] in words["allegation_nouns"]:
            cur = trigger.doc[up]
            credible = next((c for c in cur.children if c.dep_ == "amod"
                             and c.lower_ in words["credible_adjectives"]), None)
            if credible is not None:
                fact.hedge("probable", f"{credible.text} {cur.text}")
            else:
                fact.hedge("possible", cur.text)
            return


CERTAINTY_ORDER = {"certain": 0, "probable": 1, "possible": 2}


def _w(name: str) -> frozenset[str]:
    return words("factuality", name)


def _t(name: str) -> dict[str, Any]:
    return table("factuality", name)


# the word classes and cue tables (data/lexicon/factuality.yaml says what each one is)
FUTURE_HEADS = _w("future_heads")
FUTURE_NOUNS = _w("future_nouns")
FUTURE_ADJ = _w("future_adjectives")
TEMPORAL_MARKS = _w("temporal_marks")
IMPLICATIVE = _w("implicative")
MODAL_CERTAINTY = _t("modal_certainty")
ADV_CERTAINTY = _t("adverb_certainty")
UNLIKELY = _t("unlikely")
ADJ_CERTAINTY = _t("adjective_certainty")
HEDGE_VERBS = _t("hedge_verbs")
HEDGE_NOUNS = _t("hedge_nouns")
HEARSAY = _t("hearsay")
NEGATING = _w("negating")
NEGATING_ADJ = _w("negating_adjectives")
PREP_HEADS = _w("prep_heads")
_TAG_TENSE = _t("tag_tense")
_NEGATED_BY = _t("negated_by")  # "no longer": the head word and the negative word it needs
_PROGRESSIVE_FUTURE = _w("progressive_future")
_NEGATIVE_WORDS, _NEGATIVE_WORD_DEPS = _w("negative_words"), _w("negative_word_deps")
_CONDITIONAL_MARKS = frozenset(document("scope")["conditional_marks"])  # "if", "unless": defined in scope.yaml
_QUESTION_MARKS = _w("question_marks")
_INSTRUMENT_PREPS, _FIRST_PERSON = _w("instrument_preps"), _w("first_person_subjects")
_INFINITIVE_MARKS = _w("aux_infinitive")
_CLAUSE_MARKS = _CONDITIONAL_MARKS | _QUESTION_MARKS
# spaCy dependency-label groups of the scope walk
_AUX_DEPS, _OWN_DEPS, _COPULA_DEPS = _w("aux_deps"), _w("own_deps"), _w("copula_deps")
_COMPLEMENT_DEPS, _CLAUSE_DEPS, _PREP_OBJECT_DEPS = _w("complement_deps"), _w("clause_deps"), _w("prep_object_deps")
_MODIFIER_DEPS, _TEMPORAL_MARK_DEPS = _w("modifier_deps"), _w("temporal_mark_deps")
# parts of speech (universal tags)
_VERBAL, _NOMINAL, _MODIFIER = frozenset({"VERB", "AUX"}), frozenset({"NOUN", "PROPN"}), frozenset({"ADV", "ADJ"})
_GOVERNING_POS = _VERBAL | {"NOUN"}
_MENTION_POS = _VERBAL | {"NOUN", "ADJ"}
# scope link kinds (see `scope`)
_GOV_LEX = frozenset({"gov", "lex"})
_GOVERNING_LINKS = _GOV_LEX | {"clause"}


@dataclass
class Fact:
    certainty: str = "certain"
    polarity: str = "positive"
    tense: str = "past"
    cues: list[str] = field(default_factory=list)
    asserted: bool = True
    why: list[str] = field(default_factory=list)

    def hedge(self, level: str, cue: str) -> None:
        if CERTAINTY_ORDER[level] > CERTAINTY_ORDER[self.certainty]:
            self.certainty = level
        if cue not in self.cues:
            self.cues.append(cue)

    def negate(self, cue: str) -> None:
        self.polarity = "negative"
        self.cues.append(cue)


def _in(tok: Any, words: Any) -> str | None:
    """The lexicon form of tok found in `words` (a set or dict of lemmas), trying a silent e for the stems
    khaldun's small lemma table does not know ("negotiated" -> "negotiate"), or None."""
    lem = lemma(tok)
    if lem in words:
        return lem
    if lem + "e" in words:
        return lem + "e"
    return None


@dataclass(frozen=True)
class _AuxRule:
    """An auxiliary class and the tense it gives its verb (when the verb has `tag`, if given); `cue`: the
    auxiliary is the tense's cue word."""

    words: frozenset[str]
    tense: str
    cue: bool = False
    tag: str | None = None


# Tense from auxiliaries: the groups are tried in order, each over all of a verb's auxiliaries; the first rule
# of a group that an auxiliary meets decides. A future auxiliary anywhere wins over a perfect one ("will have
# left"); a perfect one makes a perfect infinitive past ("claimed to have hit"); "may win", "must return" are
# not (yet) the case, "can reach" is an ability now; a bare infinitive is not (yet) realised unless an
# implicative verb governs it; a progressive or passive auxiliary gives its own tense ("is supplying").
_AUX_TENSE: tuple[tuple[_AuxRule, ...], ...] = (
    (_AuxRule(_w("aux_future"), "future", cue=True),),
    (_AuxRule(_w("aux_perfect"), "past", tag="VBN"),),
    (_AuxRule(_w("aux_modal"), "future", cue=True, tag="VB"), _AuxRule(_w("aux_ability"), "present", tag="VB")),
    (_AuxRule(_w("aux_infinitive"), "future"),),
    (_AuxRule(_w("aux_past"), "past"), _AuxRule(_w("aux_present"), "present")),
)


def _verb_tense(v: Any) -> tuple[str | None, str | None]:
    """Tense from a verb's auxiliaries (`_AUX_TENSE`) and else its tag: (tense, cue) or (None, None) when it
    says nothing."""
    auxes = [(c, c.lower_) for c in v.children if c.dep_ in _AUX_DEPS]  # (each string asked of spaCy once)
    tag = v.tag_
    for group in _AUX_TENSE:
        for a, lo in auxes:
            for r in group:
                if lo in r.words and (r.tag is None or tag == r.tag):
                    return r.tense, (a.text if r.cue else None)
    return _TAG_TENSE.get(tag), None


def _own_aux(v: Any) -> bool:
    return any(c.dep_ in _OWN_DEPS for c in v.children)


def _prep_link(h: Any) -> tuple[Any, str | None]:
    """The scope step through a preposition `h` that a trigger is the object of: (the word reached, its link
    kind), or (the word, None) when the walk ends there."""
    hh = h.head
    if hh.pos_ in _NOMINAL:
        return hh, "lex"  # "delay in delivery", "a strike with the help of": the head noun's event holds this one
    if hh.pos_ == "VERB" and h.i == hh.i + 1 and _in(hh, PREP_HEADS):
        return hh, "gov"  # "called for a re-run", "pushed for talks"
    if hh.pos_ in _MODIFIER and hh.dep_ in _MODIFIER_DEPS:
        return hh, "gov"  # "likely with the aid of": the adverb and what it modifies
    if hh.pos_ == "VERB" and h.lower_ in _INSTRUMENT_PREPS:
        return hh, "tense"  # "planning a strike with the help of": the help is as future
    return hh, None


def scope(trigger: Any, content_root: Any | None = None) -> list[tuple[Any, str]]:
    """The trigger and the words whose cues reach it, each with how it governs the trigger.

    - "own": the trigger and its copula ("is not viable"): negation, modals, adverbs, tense.
    - "gov": a verb or noun the trigger completes, directly or through a chain of such links: an
      infinitive or gerund complement ("expects to cut", "allowed to bid", "stop selling"), a direct object
      ("may have an impact", "negotiated the purchase"), a coordinated verb sharing its auxiliaries, a
      compound ("job cuts"): modals, adverbs, hedge, future and negating verbs (not "not": "did not
      attempt to compete" leaves "compete" unnegated, as MEANTIME and FactBank annotate).
    - "conj": the verb the trigger is coordinated with, sharing its auxiliaries ("will design and build"),
      not its meaning ("killed one and wounded two": "wounded" is not under "killed").
    - "lex": a head whose meaning alone reaches the trigger (a passive subject: "the delivery was delayed",
      a noun's prepositional object: "delay in delivery", a noun's infinitive: "contract to supply").
    - "clause": the verb governing the trigger's clause ("believes that ...", "denied that ...").
    - "adv": the head of an adverbial clause ("when it arrives" under "will wear"), for tense only.
    - "tense": the verb an instrument or manner phrase attaches to ("planning a strike with the help of"),
      whose future reaches the phrase's event.
    Subjects, relative clauses and adjuncts are not reached by the cues of the verbs they attach to.
    A walk stops at content_root (the reported clause of a speech frame: beyond it the reporter speaks).
    """
    out: list[tuple[Any, str]] = [(trigger, "own")]
    cur = trigger
    kind = "own"
    for _ in range(12):
        if cur.head.i == cur.i or (content_root is not None and cur.i == content_root.i):
            break
        dep, h = cur.dep_, cur.head
        if dep in _COPULA_DEPS and kind == "own" and lemma(h) == "be":
            out.append((h, "own"))
        elif dep in _COMPLEMENT_DEPS:
            kind = "gov"
            out.append((h, kind))
        elif dep == "conj" and not _own_aux(cur) and h.pos_ in _VERBAL:
            out.append((h, "conj"))  # a coordinated event: its auxiliaries are shared, its meaning is not
            kind = "gov"
        elif dep == "nsubjpass":
            out.append((h, "lex"))
            break
        elif dep == "acl" and any(c.dep_ == "aux" and c.lower_ in _INFINITIVE_MARKS for c in cur.children) \
                and h.pos_ in _NOMINAL:
            out.append((h, "lex"))
            break
        elif dep in _PREP_OBJECT_DEPS and h.dep_ == "prep" and h.head.i != h.i:
            hh, link = _prep_link(h)
            if link is not None:
                out.append((hh, link))
            if link not in ("lex", "gov"):
                break
            kind = link
            cur = hh
            continue
        elif dep in _CLAUSE_DEPS:
            out.append((h, "clause"))
            break
        elif dep == "advcl":
            out.append((h, "adv"))
            break
        else:
            break
        cur = h
    return out


@dataclass
class _TenseWalk:
    """Tense along a scope: the nearest verb that says it; implicative heads ("began selling", "managed to")
    pass theirs on; future heads and nouns ("plans to", "expected to", "options to") make it future. Links of
    kind adv, tense, conj and clause only inform (`_TENSE_ASIDES`); the others are read in order until one
    gives a tense."""

    trigger: Any
    fact: Fact
    tense: str | None = None
    purpose: bool = False

    def run(self, sc: list[tuple[Any, str]]) -> str:
        for n, (t, k) in enumerate(sc):
            link = sc[n - 1][0] if n else self.trigger  # the word the walk came from
            aside = _TENSE_ASIDES.get(k)
            if aside is not None:
                aside(self, t, link)
                continue
            if self.tense is not None or self._future_head(t, k, link):
                break
            if t.pos_ in _VERBAL and (k != "lex" or t is self.trigger):
                self._verb(t)
            elif t.pos_ in _NOMINAL and t is self.trigger:
                adj = next((c for c in t.children if c.dep_ == "amod" and c.lower_ in FUTURE_ADJ), None)
                if adj is not None:
                    self.tense = "future"
                    self.fact.cues.append(adj.text)
        return self.tense or "past"

    def _future_head(self, t: Any, k: str, link: Any) -> bool:
        """A governing future verb or noun ("plans to", "plans for", "is going to"): the event is to come."""
        if t is self.trigger or k not in _GOV_LEX:
            return False
        future_noun = t.lower_ in FUTURE_NOUNS and (link.dep_ == "acl" or (
            link.dep_ in _PREP_OBJECT_DEPS and link.head.lower_ == "for"))
        if (t.pos_ in _VERBAL and (_in(t, FUTURE_HEADS) or (lemma(t) in _PROGRESSIVE_FUTURE and t.tag_ == "VBG"))) \
                or (t.pos_ == "NOUN" and future_noun):
            self.tense = "future"
            self.fact.cues.append(t.text)
            return True
        return False

    def _verb(self, t: Any) -> None:
        tv, cue = _verb_tense(t)
        if tv == "future" and cue is None:  # an infinitive: only the event's own makes it future
            if t is not self.trigger:
                return
            if t.dep_ == "advcl":
                self.purpose = True  # "sent troops to secure": as the sending
                return
            if t.dep_ == "xcomp" and _in(t.head, IMPLICATIVE):
                return  # "managed to land": the governing verb's tense
        if tv:
            self.tense = tv
            if cue:
                self.fact.cues.append(cue)

    def adverbial(self, t: Any, link: Any) -> None:
        head_tense = _verb_tense(t)[0]
        if head_tense == "future" and self.tense in (None, "present") and (
                any(c.dep_ in _TEMPORAL_MARK_DEPS and c.lower_ in TEMPORAL_MARKS for c in link.children)
                or (link.tag_ in ("VBG", "VBN") and not _own_aux(link))):
            self.tense = "future"  # "when it arrives", "prompting a coup", under "will ..."
        elif self.tense is None and self.purpose:
            # a purpose infinitive happens as its main verb does (or is yet to, if that one has no tense)
            self.tense = head_tense or "future"

    def instrument(self, t: Any, link: Any) -> None:
        if self.tense is None and (_verb_tense(t)[0] == "future" or _in(t, FUTURE_HEADS)):
            self.tense = "future"

    def conjunct(self, t: Any, link: Any) -> None:
        tv, cue = _verb_tense(t)  # a shared auxiliary ("will design and build") or the sibling's tense
        if self.tense is None and (cue is not None or tv in ("past", "present")):
            self.tense = tv

    def clause(self, t: Any, link: Any) -> None:
        return None  # the governing clause's tense is its own


_TENSE_ASIDES: dict[str, Callable[[_TenseWalk, Any, Any], None]] = {
    "adv": _TenseWalk.adverbial, "tense": _TenseWalk.instrument, "conj": _TenseWalk.conjunct,
    "clause": _TenseWalk.clause}


# -- certainty and polarity: cues on the words of the scope ---------------------------------------------

# The child rules read the Doc's token table (`tab`, `kids`: children_of) by token index: a scope word's
# children are tested without making a spaCy Token for each.

def _negator(tab: TokenTable, kids: list[list[int]], head: int, c: int) -> bool:
    """c negates its head: a negation ("not"), "no"/"never" as determiner or adverb, "no longer"."""
    lo = tab.lower[c]
    return tab.dep[c] == "neg" or (lo in _NEGATIVE_WORDS and tab.dep[c] in _NEGATIVE_WORD_DEPS) or (
        lo in _NEGATED_BY and any(tab.lower[x] == _NEGATED_BY[lo] for x in kids[c]))


def _flip(fact: Fact, tab: TokenTable, c: int) -> None:
    fact.polarity = "negative" if fact.polarity == "positive" else "positive"
    fact.cues.append(tab.text[c])


def _condition(fact: Fact, tab: TokenTable, c: int) -> None:
    fact.hedge("possible", tab.text[c])
    fact.asserted = tab.lower[c] not in _QUESTION_MARKS


def _level(levels: dict[str, Any]) -> Callable[[Fact, TokenTable, int], None]:
    def act(fact: Fact, tab: TokenTable, c: int) -> None:
        fact.hedge(levels[tab.lower[c]], tab.text[c])
    return act


def _in_at(tab: TokenTable, i: int, words: Any) -> str | None:
    """`_in` of token i, read from the token table."""
    lem = tab.lemma[i]
    if lem in words:
        return lem
    if lem + "e" in words:
        return lem + "e"
    return None


@dataclass(frozen=True)
class _ChildCue:
    """A cue a child word of a scope word carries: read on the scope links `kinds`, when `test(tab, kids, head,
    child)` holds, doing `act(fact, tab, child)`. The first rule of `_CHILD_CUES` that holds for a child
    decides."""

    kinds: frozenset[str]
    test: Callable[[TokenTable, list[list[int]], int, int], bool]
    act: Callable[[Fact, TokenTable, int], None]


_OWN, _OWN_GOV = frozenset({"own"}), frozenset({"own", "gov"})
_CHILD_CUES: tuple[_ChildCue, ...] = (
    # "may send", "could have sent"
    _ChildCue(_OWN_GOV, lambda tb, kids, h, c: tb.dep[c] == "aux" and tb.lower[c] in MODAL_CERTAINTY,
              _level(MODAL_CERTAINTY)),
    # "reportedly sent"
    _ChildCue(_OWN_GOV, lambda tb, kids, h, c: tb.dep[c] == "advmod" and tb.lower[c] in ADV_CERTAINTY,
              _level(ADV_CERTAINTY)),
    # "did not send", "no deliveries", "no longer sends": polarity flips (a double negation flips back)
    _ChildCue(_OWN, _negator, _flip),
    # "if they send", "whether they send" (not asserted)
    _ChildCue(_OWN, lambda tb, kids, h, c: tb.dep[c] == "mark" and tb.lower[c] in _CLAUSE_MARKS,
              _condition),
    # "the alleged delivery"
    _ChildCue(_OWN, lambda tb, kids, h, c: tb.dep[c] == "amod" and tb.pos[h] in _NOMINAL
              and tb.lower[c] in ADJ_CERTAINTY, _level(ADJ_CERTAINTY)),
    # "the cancelled delivery", "the delayed shipment"
    _ChildCue(_OWN, lambda tb, kids, h, c: tb.dep[c] == "amod" and tb.pos[h] in _NOMINAL and bool(
        _in_at(tb, c, NEGATING) or tb.lower[c] in NEGATING_ADJ), lambda f, tb, c: f.negate(tb.text[c])),
)


def _child_cues(t: Any, k: str, fact: Fact) -> None:
    doc = t.doc
    tab, kids = token_table(doc), children_of(doc)
    rules = [r for r in _CHILD_CUES if k in r.kinds]
    for c in kids[t.i]:
        rule = next((r for r in rules if r.test(tab, kids, t.i, c)), None)
        if rule is not None:
            rule.act(fact, tab, c)


def _modifier_cue(t: Any, fact: Fact) -> None:
    """An adverb or adjective the trigger completes: "likely to send", "unlikely to send" (probably not)."""
    lo = t.lower_
    if lo in ADV_CERTAINTY:
        fact.hedge(ADV_CERTAINTY[lo], t.text)
    elif lo in UNLIKELY:
        fact.hedge(UNLIKELY[lo], t.text)  # FactBank PR-
        fact.polarity = "negative"


def _governing_cue(trigger: Any, t: Any, k: str, fact: Fact) -> None:
    """Cues of a verb or noun governing the trigger (links gov, lex, clause): not asserted under "prevent",
    "ask"; hedged under "believe", "plans"; passive hearsay ("is said to"); negated under "cancel", "delay"
    and, for a clause or a verb's complement, "deny"."""
    cs = cue_sets()
    if t.pos_ == "VERB" and _in(t, cs["non_assertive"]):
        fact.asserted = False
        fact.why.append(f"under '{t.text}'")
    hv = _in(t, HEDGE_VERBS) if t.pos_ != "NOUN" else (t.lower_ if t.lower_ in HEDGE_NOUNS else None)
    if hv and k != "lex":
        fact.hedge(HEDGE_VERBS.get(hv) or HEDGE_NOUNS[hv], t.text)
    elif hv and k == "lex" and t.pos_ == "NOUN":
        fact.hedge(HEDGE_NOUNS[hv], t.text)
    elif k in _GOV_LEX and _in(t, HEARSAY) and any(c.dep_ == "nsubjpass" for c in t.children):
        fact.hedge(HEARSAY[_in(t, HEARSAY)], t.text)  # "is said to be", "is believed to be"
    if k in _GOV_LEX and _in(t, NEGATING):
        fact.negate(t.text)
    if t.pos_ == "VERB" and _in(t, cs["denial"]) and (k == "clause" or (k == "gov" and trigger.pos_ == "VERB")):
        fact.negate(t.text)


def _scope_cues(trigger: Any, t: Any, k: str, fact: Fact) -> None:
    """The certainty and polarity cues one scope word brings, by its link kind."""
    if k == "conj":  # a shared modal: "could design and build"
        for c in t.children:
            if c.dep_ == "aux" and c.lower_ in MODAL_CERTAINTY:
                fact.hedge(MODAL_CERTAINTY[c.lower_], c.text)
        return
    if k == "gov" and t.pos_ in _MODIFIER:
        _modifier_cue(t, fact)
    if k in _OWN_GOV:
        _child_cues(t, k, fact)
    if t is not trigger and k in _GOVERNING_LINKS and t.pos_ in _GOVERNING_POS:
        _governing_cue(trigger, t, k, fact)


def _first_person_hedge(sent: Any, fact: Fact) -> None:
    """First-person parenthetical hedges anywhere in the sentence ("..., I think, ...")."""
    doc = sent.doc
    tab = token_table(doc)
    lems, pos = tab.lemma, tab.pos
    for i in range(sent.start, sent.end):  # a Token only for a hedge verb
        if lems[i] not in HEDGE_VERBS or pos[i] != "VERB":
            continue
        t = doc[i]
        if any(c.dep_ == "nsubj" and c.lower_ in _FIRST_PERSON for c in t.children):
            cue = f"{[c for c in t.children if c.dep_ == 'nsubj'][0].text} {t.text}"
            fact.hedge(HEDGE_VERBS[lemma(t)], cue)


def assess(trigger: Any, content_root: Any | None = None, frame_certainty: str | None = None,
           frame_cue: str | None = None, denial: str | None = None) -> Fact:
    """Factuality of the event whose trigger token is `trigger` (scope: see `scope`).

    content_root: the root token of the reported content (the clause a reporting verb governs), beyond
    which cues belong to the reporter, not the event. frame_certainty: the certainty the reporting verb
    itself conveys ("claimed" -> probable). denial: the denial verb of the frame ("denied that ...")."""
    fact = Fact()
    sc = scope(trigger, content_root)
    fact.tense = _TenseWalk(trigger, fact).run(sc)
    _alleged(trigger, fact)
    for t, k in sc:
        _scope_cues(trigger, t, k, fact)
    _first_person_hedge(sent_of(trigger), fact)
    if frame_certainty and frame_certainty != "certain":
        fact.hedge(frame_certainty, frame_cue or frame_certainty)
    if denial:
        fact.polarity = "negative"
        if denial not in fact.cues:
            fact.cues.append(denial)
    return fact


@lru_cache(maxsize=1)
def _sentence_hedge_lexicon() -> dict[str, Any]:
    """khaldun/data/lexicon/sentence_hedges.yaml (hedge, weasel and peacock cues), read once."""
    return document("sentence_hedges")


def _alt(*lists: list[str]) -> str:
    """A non-capturing regex group of literal terms, longest first, a space matching any run of spaces."""
    terms = sorted({t for terms in lists for t in terms}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in terms) + ")"


_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")


@dataclass(frozen=True)
class _HedgeCues:
    """sentence_hedges.yaml compiled for speed: single cue words and multi-word phrases are looked up in
    sets over the sentence's lower-cased words; each constructional rule is a regex run only when one of
    its trigger words occurs."""

    words: frozenset[str]
    phrases: frozenset[tuple[str, ...]]
    phrase_lengths: tuple[int, ...]
    rules: tuple[tuple[frozenset[str], re.Pattern[str]], ...]
    quantifiers: frozenset[str]
    quantifier: re.Pattern[str]
    amount: re.Pattern[str]


def _lower_words(terms: list[str]) -> frozenset[str]:
    return frozenset(t.lower() for t in terms)


@lru_cache(maxsize=1)
def _sentence_hedge_patterns() -> _HedgeCues:
    """The cues of sentence_hedges.yaml: words and phrases (any one makes a sentence uncertain), the
    constructional rules with their trigger words, and the vague quantifiers with the amount expressions
    in which they do not count."""
    sh = _sentence_hedge_lexicon()
    terms = [t.lower() for group in sh["words"].values() for t in group] + [t.lower() for t in sh["phrases"]]
    phrases = frozenset(tuple(_WORD.findall(t)) for t in terms if len(_WORD.findall(t)) > 1)
    adverbs = r"(?:(?:\w+ly|often|also|sometimes|still|now|even|always|long|once|more|most)\s+){0,2}"
    speakers = sh["sources"] + sh["source_pronouns"]
    openers = [s for s in sh["sources"] if s not in sh["not_openers"]]
    rules = [
        # "it is quite possible", "it remains unclear"
        (["it"], r"\bit\s+(?:is|was|seems|seemed|appears|appeared|remains|would\s+be|may\s+be|might\s+be)\s+"
         r"(?:(?:\w+ly|also|quite|very|more|less|even)\s+)?" + _alt(sh["impersonal_adjectives"]) + r"\b"),
        # "one of the most", "one of the world's finest", "among the greatest"
        (sh["superlatives"], r"\b(?:one\s+of|among)\s+(?:the\s+)?(?:\S+\s+){0,2}?" + _alt(sh["superlatives"])
         + r"\b"),
        # agentless passive: "is considered", "has often been described as", not "... by X"
        (sh["passive"], r"\b(?:is|are|was|were|been|be|being)\s+" + adverbs + _alt(sh["passive"])
         + r"\b(?!\s+by\b)"),
        # "generally accepted", "widely regarded", "commonly known as"
        (sh["consensus_adverbs"], r"\b" + _alt(sh["consensus_adverbs"]) + r"\s+(?:(?:also|been|be)\s+)?"
         + _alt(sh["consensus_participles"]) + r"\b"),
        # "may have been built"
        (sh["modal_perfect"], r"\b" + _alt(sh["modal_perfect"]) + r"\s+have\s+\w+(?:ed|en|wn|ne|t)\b"),
        # "there is some debate", "there have been claims"
        (["there"], r"\bthere\s+(?:is|are|was|were|has\s+been|have\s+been|remains?)\s+(?:\w+\s+)?"
         + _alt(sh["there_is_nouns"]) + r"\b"),
        # an unnamed source saying or thinking: "critics argue", "some have suggested", "they claim"
        (speakers, r"\b" + _alt(speakers) + r"\s+(?:(?:have|had|also|often|even|\w+ly)\s+){0,2}"
         + _alt(sh["source_verbs"]) + r"\b"),
        # a sentence opening with "Most", "Others" or a source (not "Most of", "Most often", "People ...")
        (sh["openers"] + sh["sources"], r"^\W*" + _alt(sh["openers"], openers)
         + r"\b(?!\s+(?:of|often|\w+ly)\b)"),
    ]
    quant = _alt(sh["quantifiers"])
    amount = (r"\b" + _alt(sh["amount_before"]) + r"\s+many\b|\bas\s+many\s+(?:\S+\s+){0,3}?as\b"
              r"|\b" + _alt(sh["definite_before"]) + r"\s+" + quant + r"\b|\bmany\s+more\b"
              r"|\b" + quant + r"\s+(?:\d|" + _alt(sh["number_words"]) + r"\b|(?:\w+\s+)?"
              + _alt(sh["measures"]) + r"\b)")
    return _HedgeCues(
        words=frozenset(t for t in terms if len(_WORD.findall(t)) == 1),
        phrases=phrases,
        phrase_lengths=tuple(sorted({len(ph) for ph in phrases})),
        rules=tuple((_lower_words(trigger), re.compile(rx, re.I)) for trigger, rx in rules),
        quantifiers=_lower_words(sh["quantifiers"]),
        quantifier=re.compile(r"\b" + quant + r"\b", re.I),
        amount=re.compile(amount, re.I),
    )


def _vague_quantifier(text: str, cues: _HedgeCues) -> bool:
    """Whether a vague quantifier ("some", "many", "several") occurs outside an amount expression or a
    definite set ("the many", "its several", "many more")."""
    amounts = [m.span() for m in cues.amount.finditer(text)]
    return any(not any(s <= q.start() < e for s, e in amounts) for q in cues.quantifier.finditer(text))


def sentence_is_hedged(text: str) -> bool:
    """Whether a sentence is uncertain as a whole, in the CoNLL-2010 sense (no parse needed): it holds an
    epistemic hedge ("probably", "it is possible", "may have been"), a weasel word that hides the source
    of a claim ("some", "many critics argue", "Most historians", "is considered", "there is debate"), or
    a peacock word that praises without a source ("one of the finest", "famous"). A quantifier that states
    an amount ("some 70 km", "several years", "as many as") does not count, nor does a passive whose
    agent is named ("was described by the press as"). The cue lists and why a lone "may" or "often" does
    not count are in data/lexicon/sentence_hedges.yaml."""
    cues = _sentence_hedge_patterns()
    tokens = _WORD.findall(text.lower())
    present = set(tokens)
    if present & cues.words:
        return True
    for n in cues.phrase_lengths:
        if any(tuple(tokens[i:i + n]) in cues.phrases for i in range(len(tokens) - n + 1)):
            return True
    if any(not trigger.isdisjoint(present) and rx.search(text) for trigger, rx in cues.rules):
        return True
    return not cues.quantifiers.isdisjoint(present) and _vague_quantifier(text, cues)


# -- factuality of any event mention, outside the claim pipeline ------------------------------------------

def _span_head(doc: Any, start: int, end: int) -> Any | None:
    """The syntactic head of the tokens overlapping [start, end) in a parsed paragraph, or None."""
    toks = [t for t in doc if t.idx < end and t.idx + len(t) > start and not t.is_space]
    if not toks:
        return None
    ids = {t.i for t in toks}
    for t in toks:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return toks[0]


def _units(text: str, by_line: bool) -> list[Any]:
    from .nlp import Paragraph, paragraphs

    if not by_line:
        return paragraphs(text)
    out = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append(Paragraph(pos, line, len(out)))
        pos += len(line) + 1
    return out


def assess_spans(text: str, spans: list[tuple[int, int]], published: Any = None,
                 by_line: bool = False) -> list[Fact | None]:
    """Factuality of the event mentioned at each character span of `text`, whether or not khaldun codes
    it as a claim: the text is parsed once (paragraph by paragraph as the pipeline does, or line by line
    with `by_line` for one-sentence-a-line corpora) and each span's head token is assessed with `assess`
    (no speech frame: cues are read on the mention, the verbs that govern it within its clause and the
    clause's governing verb). None for a span outside every token. `published` is accepted for symmetry
    with the pipeline; tense is grammatical, not date arithmetic."""
    from .nlp import load_model

    nlp = load_model()
    paras = _units(text, by_line)
    docs = list(nlp.pipe([p.text for p in paras]))
    out: list[Fact | None] = []
    for s, e in spans:
        fact = None
        for p, doc in zip(paras, docs, strict=True):
            if p.start <= s < p.start + len(p.text):
                tok = _span_head(doc, s - p.start, e - p.start)
                if tok is not None:
                    fact = assess(tok)
                break
        out.append(fact)
    return out


def assess_tokens(text: str, published: Any = None, by_line: bool = False) -> list[tuple[int, int, Fact]]:
    """(start, end, Fact) for every verb, noun and adjective of `text`: factuality for any event mention."""
    from .nlp import load_model

    nlp = load_model()
    paras = _units(text, by_line)
    out: list[tuple[int, int, Fact]] = []
    for p, doc in zip(paras, nlp.pipe([p.text for p in paras]), strict=True):
        for t in doc:
            if t.pos_ in _MENTION_POS or (t.pos_ == "PROPN" and t.tag_.startswith("VB")):
                out.append((p.start + t.idx, p.start + t.idx + len(t), assess(t)))
    return out
