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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from .lexicon import cue_sets
from .nlp import lemma, sent_of


@lru_cache(maxsize=1)
def _allegations() -> dict[str, frozenset[str]]:
    data = yaml.safe_load((resources.files("khaldun") / "data" / "lexicon" / "scope.yaml").read_text("utf-8"))
    return {k: frozenset(data[k]) for k in ("allegation_nouns", "credible_adjectives", "allegation_path_deps")}


def _alleged(trigger: Any, fact: Fact) -> None:
    """The event is what an allegation is about ("allegations of X supplying ...", "claims that X sent
    ..."): possible; weighed as credible by whoever cites it ("credible allegations"), probable."""
    cur = trigger
    for _ in range(4):
        if cur.head.i == cur.i or cur.dep_ not in _allegations()["allegation_path_deps"]:
            return
        cur = cur.head
        if cur.pos_ == "NOUN" and cur.lower_ in _allegations()["allegation_nouns"]:
            credible = next((c for c in cur.children if c.dep_ == "amod"
                             and c.lower_ in _allegations()["credible_adjectives"]), None)
            if credible is not None:
                fact.hedge("probable", f"{credible.text} {cur.text}")
            else:
                fact.hedge("possible", cur.text)
            return


CERTAINTY_ORDER = {"certain": 0, "probable": 1, "possible": 2}
# heads that put what they govern in the future ("plans to", "expected to", "agreed to", "going to")
FUTURE_HEADS = frozenset({"plan", "intend", "prepare", "aim", "expect", "threaten", "seek", "want",
                          "schedule", "set", "vow", "pledge", "promise", "decide", "agree", "going",
                          "propose", "consider", "hope", "wish", "offer", "ready", "allow", "permit", "negotiate",
                          "request", "demand", "urge", "ask", "call", "order", "force", "due", "await",
                          "push", "need", "require", "able"})
FUTURE_NOUNS = frozenset({"attempt", "plan", "plans", "intention", "bid", "effort", "preparation", "preparations",
                          "threat", "readiness", "offer", "proposal", "pledge", "promise", "option", "options",
                          "negotiations", "talks", "contract", "agreement", "deal", "request", "call", "demand"})
FUTURE_ADJ = frozenset({"upcoming", "forthcoming", "future", "planned", "proposed", "scheduled", "impending",
                        "expected", "prospective", "intended", "imminent"})
TEMPORAL_MARKS = frozenset({"when", "before", "after", "until", "once", "as", "while", "till"})
# verbs whose infinitive or gerund complement shares their own tense: it happened if they did
IMPLICATIVE = frozenset({"manage", "begin", "start", "continue", "use", "help", "enable", "like", "love",
                         "happen", "seem", "appear", "tend", "come", "get", "remember", "bother", "dare", "keep",
                         "finish", "stop", "cease", "resume", "fail", "refuse", "decline", "be",
                         "attempt", "try"})  # "attempted to storm": an attack that was made, not one to come
# modal verbs of possibility and obligation (what must happen has not happened yet); "would" is a future in
# the past
MODAL_CERTAINTY = {"may": "possible", "might": "possible", "could": "possible", "can": "possible",
                   "must": "probable", "should": "probable"}
ADV_CERTAINTY = {"reportedly": "possible", "allegedly": "possible", "possibly": "possible",
                 "perhaps": "possible", "maybe": "possible", "purportedly": "possible",
                 "supposedly": "possible", "apparently": "probable", "probably": "probable",
                 "likely": "probable", "presumably": "probable", "seemingly": "probable"}
UNLIKELY = {"unlikely": "probable", "improbable": "probable", "doubtful": "possible"}
ADJ_CERTAINTY = {"possible": "possible", "potential": "possible", "alleged": "possible", "suspected": "possible",
                 "reported": "possible", "rumoured": "possible", "rumored": "possible", "purported": "possible",
                 "unconfirmed": "possible", "likely": "probable", "probable": "probable", "expected": "probable",
                 "apparent": "probable"}
# verbs governing an event (a complement, or the clause it heads) that make it less than certain
HEDGE_VERBS = {"think": "probable", "believe": "probable", "expect": "probable", "suspect": "possible",
               "guess": "probable", "assume": "probable", "suppose": "probable", "doubt": "possible",
               "seem": "probable", "appear": "probable", "estimate": "probable", "fear": "possible",
               "intend": "probable", "plan": "probable", "schedule": "probable", "allow": "possible",
               "permit": "possible", "attempt": "possible", "try": "possible", "negotiate": "possible",
               "seek": "possible", "speculate": "possible", "predict": "probable", "anticipate": "probable"}
HEDGE_NOUNS = {"plan": "probable", "plans": "probable", "intention": "probable", "option": "possible",
               "options": "possible", "attempt": "possible", "bid": "possible", "negotiations": "possible",
               "talks": "possible", "possibility": "possible", "prospect": "possible", "rumours": "possible",
               "rumors": "possible", "speculation": "possible"}
# passive hearsay: "is said to", "is believed to", "are reported to"
HEARSAY = {"say": "possible", "report": "possible", "rumour": "possible", "rumor": "possible",
           "claim": "possible", "allege": "possible", "believe": "probable", "think": "probable",
           "expect": "probable", "suppose": "probable", "understand": "probable", "know": "certain",
           "consider": "probable", "estimate": "probable"}
# heads that stop, call off or put off what they govern
NEGATING = frozenset({"cancel", "cease", "stop", "halt", "end", "suspend", "scrap", "abandon", "postpone", "delay",
                      "terminate", "fail", "refuse", "abort", "shelve", "drop", "block", "freeze",
                      "cancellation", "suspension", "postponement", "failure", "refusal"})
NEGATING_ADJ = frozenset({"cancelled", "canceled", "scrapped", "postponed", "delayed", "abandoned", "suspended",
                          "failed", "aborted", "shelved", "called-off", "now-cancelled", "now-canceled"})
# verbs whose adjacent preposition joins an event to them ("called for a re-run", "pushed for talks")
PREP_HEADS = frozenset({"call", "push", "ask", "press", "vote", "wait", "hope", "prepare", "negotiate", "plan",
                        "argue", "lobby", "appeal", "campaign", "apply", "agree", "commit", "consent"})
CLAUSE_DEPS = frozenset({"ccomp", "parataxis"})


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


def _head_chain(tok: Any, stop: set[int] | None = None) -> list[Any]:
    chain = []
    cur = tok
    while cur.head.i != cur.i:
        cur = cur.head
        if stop and cur.i in stop:
            break
        chain.append(cur)
    return chain


def _in(tok: Any, words: Any) -> str | None:
    """The lexicon form of tok found in `words` (a set or dict of lemmas), trying a silent e for the stems
    khaldun's small lemma table does not know ("negotiated" -> "negotiate"), or None."""
    lem = lemma(tok)
    if lem in words:
        return lem
    if lem + "e" in words:
        return lem + "e"
    return None


def _verb_tense(v: Any) -> tuple[str | None, str | None]:
    """Tense from a verb's auxiliaries and tag: (tense, cue) or (None, None) when it says nothing."""
    auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    for a in auxes:
        lo = a.lower_
        if lo in ("will", "shall", "'ll", "wo", "would"):
            return "future", a.text
    for a in auxes:
        if a.lower_ in ("has", "have", "had", "'ve", "'d") and v.tag_ == "VBN":
            return "past", None  # also a perfect infinitive: "claimed to have hit"
    for a in auxes:
        if a.lower_ in ("may", "might", "could", "should", "must") and v.tag_ == "VB":
            return "future", a.text  # "may win", "must return": not (yet) the case
        if a.lower_ == "can" and v.tag_ == "VB":
            return "present", None  # "can reach": an ability now
    if any(a.lower_ == "to" for a in auxes):
        return "future", None  # an infinitive: not (yet) realised, unless an implicative verb governs it
    for a in auxes:
        if a.lower_ in ("was", "were", "did"):
            return "past", None
        if a.lower_ in ("is", "are", "am", "'s", "'re", "does", "do"):
            return "present", None  # "is supplying", "are fighting", "is deployed"
    if v.tag_ == "VBD":
        return "past", None
    if v.tag_ in ("VBZ", "VBP"):
        return "present", None
    return None, None


def _own_aux(v: Any) -> bool:
    return any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in v.children)


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
        if dep in ("acomp", "attr") and kind == "own" and lemma(h) == "be":
            out.append((h, "own"))
        elif dep in ("xcomp", "dobj", "oprd", "compound", "acomp", "attr"):
            kind = "gov"
            out.append((h, kind))
        elif dep == "conj" and not _own_aux(cur) and h.pos_ in ("VERB", "AUX"):
            out.append((h, "conj"))  # a coordinated event: its auxiliaries are shared, its meaning is not
            kind = "gov"
        elif dep == "nsubjpass":
            out.append((h, "lex"))
            break
        elif dep == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children) and \
                h.pos_ in ("NOUN", "PROPN"):
            out.append((h, "lex"))
            break
        elif dep in ("pobj", "pcomp") and h.dep_ == "prep" and h.head.i != h.i:
            hh = h.head
            if hh.pos_ in ("NOUN", "PROPN"):
                # "delay in delivery", "a strike with the help of": the head noun's event holds this one
                kind = "lex"
                out.append((hh, kind))
                cur = hh
                continue
            if hh.pos_ in ("VERB",) and h.i == hh.i + 1 and _in(hh, PREP_HEADS):
                kind = "gov"  # "called for a re-run", "pushed for talks"
                out.append((hh, kind))
                cur = hh
                continue
            if hh.pos_ in ("ADV", "ADJ") and hh.dep_ in ("advmod", "amod", "acomp"):
                kind = "gov"  # "likely with the aid of": the adverb and what it modifies
                out.append((hh, kind))
                cur = hh
                continue
            if hh.pos_ in ("VERB",) and h.lower_ in ("with", "by", "through", "via"):
                out.append((hh, "tense"))  # "planning a strike with the help of": the help is as future
            break
        elif dep in ("ccomp", "parataxis", "csubj"):
            out.append((h, "clause"))
            break
        elif dep == "advcl":
            out.append((h, "adv"))
            break
        else:
            break
        cur = h
    return out


def assess(trigger: Any, content_root: Any | None = None, frame_certainty: str | None = None,
           frame_cue: str | None = None, denial: str | None = None) -> Fact:
    """Factuality of the event whose trigger token is `trigger` (scope: see `scope`).

    content_root: the root token of the reported content (the clause a reporting verb governs), beyond
    which cues belong to the reporter, not the event. frame_certainty: the certainty the reporting verb
    itself conveys ("claimed" -> probable). denial: the denial verb of the frame ("denied that ...")."""
    cs = cue_sets()
    fact = Fact()
    sent = sent_of(trigger)
    sc = scope(trigger, content_root)
    # -- tense: the nearest verb that says it; implicative heads ("began selling", "managed to") pass
    # theirs on; future heads and nouns ("plans to", "expected to", "options to") make it future
    tense = None
    purpose = False
    for n, (t, k) in enumerate(sc):
        link = sc[n - 1][0] if n else trigger  # the word the walk came from
        if k == "adv":
            head_tense = _verb_tense(t)[0]
            if head_tense == "future" and tense in (None, "present") and (
                    any(c.dep_ in ("mark", "advmod") and c.lower_ in TEMPORAL_MARKS for c in link.children)
                    or (link.tag_ in ("VBG", "VBN") and not _own_aux(link))):
                tense = "future"  # "when it arrives", "prompting a coup", under "will ..."
            elif tense is None and purpose:
                # a purpose infinitive happens as its main verb does (or is yet to, if that one has no tense)
                tense = head_tense or "future"
            continue
        if k == "tense":
            if tense is None and (_verb_tense(t)[0] == "future" or _in(t, FUTURE_HEADS)):
                tense = "future"
            continue
        if k in ("clause",):
            continue
        if k == "conj":
            tv, cue = _verb_tense(t)  # a shared auxiliary ("will design and build") or the sibling's tense
            if tense is None and (cue is not None or tv in ("past", "present")):
                tense = tv
            continue
        if tense is not None:
            break
        if t is not trigger and k in ("gov", "lex"):
            future_noun = t.lower_ in FUTURE_NOUNS and (link.dep_ == "acl" or (
                link.dep_ in ("pobj", "pcomp") and link.head.lower_ == "for"))  # "plans to", "plans for"
            if (t.pos_ in ("VERB", "AUX") and (_in(t, FUTURE_HEADS) or (lemma(t) == "go" and t.tag_ == "VBG"))) \
                    or (t.pos_ == "NOUN" and future_noun):
                tense = "future"
                fact.cues.append(t.text)
                break
        if t.pos_ in ("VERB", "AUX") and (k != "lex" or t is trigger):
            tv, cue = _verb_tense(t)
            if tv == "future" and cue is None:  # an infinitive: only the event's own makes it future
                if t is not trigger:
                    continue
                if t.dep_ == "advcl":
                    purpose = True  # "sent troops to secure": as the sending
                    continue
                if t.dep_ == "xcomp" and _in(t.head, IMPLICATIVE):
                    continue  # "managed to land": the governing verb's tense
            if tv:
                tense = tv
                if cue:
                    fact.cues.append(cue)
        elif t.pos_ in ("NOUN", "PROPN") and t is trigger:
            adj = next((c for c in t.children if c.dep_ == "amod" and c.lower_ in FUTURE_ADJ), None)
            if adj is not None:
                tense = "future"
                fact.cues.append(adj.text)
    fact.tense = tense or "past"
    # -- certainty, polarity, assertion
    _alleged(trigger, fact)
    for t, k in sc:
        if k == "conj":
            for c in t.children:
                if c.dep_ == "aux" and c.lower_ in MODAL_CERTAINTY:
                    fact.hedge(MODAL_CERTAINTY[c.lower_], c.text)
            continue
        if k == "gov" and t.pos_ in ("ADV", "ADJ") and t.lower_ in ADV_CERTAINTY:
            fact.hedge(ADV_CERTAINTY[t.lower_], t.text)
        elif k == "gov" and t.pos_ in ("ADV", "ADJ") and t.lower_ in UNLIKELY:
            # "is unlikely to send troops": probably not (FactBank PR-)
            fact.hedge(UNLIKELY[t.lower_], t.text)
            fact.polarity = "negative"
        if k in ("own", "gov"):
            for c in t.children:
                lo = c.lower_
                if c.dep_ == "aux" and lo in MODAL_CERTAINTY:
                    fact.hedge(MODAL_CERTAINTY[lo], c.text)
                elif c.dep_ == "advmod" and lo in ADV_CERTAINTY:
                    fact.hedge(ADV_CERTAINTY[lo], c.text)
                elif k == "own" and (c.dep_ == "neg" or (lo in ("no", "never") and c.dep_ in ("det", "neg", "advmod"))
                                     or (lo == "longer" and any(x.lower_ == "no" for x in c.children))):
                    fact.polarity = "negative" if fact.polarity == "positive" else "positive"
                    fact.cues.append(c.text)
                elif k == "own" and c.dep_ == "mark" and lo in ("if", "unless", "whether"):
                    fact.hedge("possible", c.text)
                    fact.asserted = lo != "whether"
                elif k == "own" and c.dep_ == "amod" and t.pos_ in ("NOUN", "PROPN"):
                    if lo in ADJ_CERTAINTY:
                        fact.hedge(ADJ_CERTAINTY[lo], c.text)
                    elif _in(c, NEGATING) or lo in NEGATING_ADJ:
                        fact.polarity = "negative"
                        fact.cues.append(c.text)
        if t is trigger:
            continue
        if k in ("gov", "lex", "clause") and t.pos_ in ("VERB", "AUX", "NOUN"):
            if t.pos_ == "VERB" and _in(t, cs["non_assertive"]):
                fact.asserted = False
                fact.why.append(f"under '{t.text}'")
            hv = _in(t, HEDGE_VERBS) if t.pos_ != "NOUN" else (t.lower_ if t.lower_ in HEDGE_NOUNS else None)
            if hv and k != "lex":
                fact.hedge(HEDGE_VERBS.get(hv) or HEDGE_NOUNS[hv], t.text)
            elif hv and k == "lex" and t.pos_ == "NOUN":
                fact.hedge(HEDGE_NOUNS[hv], t.text)
            elif k in ("gov", "lex") and _in(t, HEARSAY) and any(c.dep_ == "nsubjpass" for c in t.children):
                fact.hedge(HEARSAY[_in(t, HEARSAY)], t.text)  # "is said to be", "is believed to be"
            if k in ("gov", "lex") and _in(t, NEGATING):
                fact.polarity = "negative"
                fact.cues.append(t.text)
            if t.pos_ == "VERB" and _in(t, cs["denial"]) and (k == "clause" or (k == "gov" and trigger.pos_ == "VERB")):
                fact.polarity = "negative"
                fact.cues.append(t.text)
    # first-person parenthetical hedges anywhere in the sentence ("..., I think, ...")
    for t in sent:
        if lemma(t) in HEDGE_VERBS and t.pos_ == "VERB" and any(
                c.dep_ == "nsubj" and c.lower_ in ("i", "we") for c in t.children):
            cue = f"{[c for c in t.children if c.dep_ == 'nsubj'][0].text} {t.text}"
            fact.hedge(HEDGE_VERBS[lemma(t)], cue)
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
    from importlib import resources

    import yaml

    path = resources.files("khaldun") / "data" / "lexicon" / "sentence_hedges.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


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
            if t.pos_ in ("VERB", "NOUN", "ADJ", "AUX") or (t.pos_ == "PROPN" and t.tag_.startswith("VB")):
                out.append((p.start + t.idx, p.start + t.idx + len(t), assess(t)))
    return out
