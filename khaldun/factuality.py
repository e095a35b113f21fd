"""Factuality stage: certainty, polarity and tense of an event mention, with the cue words that set them.

Scope rules (dependency-based): a cue counts when it sits on the trigger, on the verbs that govern it
within its clause, or (for first-person "I think"-type parentheticals) anywhere in the same sentence of
the speaker's content. "denied that X" makes X negative; events under "prevent/ban/prohibit" or inside
requests are not asserted; "if/unless" clauses are at most possible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .lexicon import cue_sets
from .nlp import lemma

CERTAINTY_ORDER = {"certain": 0, "probable": 1, "possible": 2}
FUTURE_HEADS = frozenset({"plan", "intend", "prepare", "aim", "attempt", "expect", "threaten", "seek", "want",
                          "schedule", "set", "vow", "pledge", "promise", "decide", "agree", "try", "going",
                          "propose", "consider", "hope", "wish", "offer", "ready"})
FUTURE_NOUNS = frozenset({"attempt", "plan", "plans", "intention", "bid", "effort", "preparation", "preparations",
                          "threat", "readiness", "offer", "proposal", "decision", "pledge", "promise"})
MODAL_CERTAINTY = {"may": "possible", "might": "possible", "could": "possible", "would": "probable",
                   "should": "probable", "must": "probable", "can": "probable"}
ADV_CERTAINTY = {"reportedly": "possible", "allegedly": "possible", "possibly": "possible",
                 "perhaps": "possible", "maybe": "possible", "purportedly": "possible",
                 "supposedly": "possible", "apparently": "probable", "probably": "probable",
                 "likely": "probable", "presumably": "probable", "seemingly": "probable"}
HEDGE_VERBS = {"think": "probable", "believe": "probable", "expect": "probable", "suspect": "possible",
               "guess": "probable", "assume": "probable", "suppose": "probable", "doubt": "possible",
               "seem": "probable", "appear": "probable", "estimate": "probable", "fear": "possible"}
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


def _verb_tense(v: Any) -> tuple[str | None, str | None]:
    """Tense from a verb's auxiliaries and tag: (tense, cue) or (None, None) when it says nothing."""
    auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    for a in auxes:
        lo = a.lower_
        if lo in ("will", "shall", "'ll", "wo"):
            return "future", a.text
        if lo == "would":
            return "future", a.text
    for a in auxes:
        if a.lower_ in ("has", "have", "had", "'ve", "'d") and v.tag_ == "VBN":
            return "past", None
        if a.lower_ in ("was", "were", "did"):
            return "past", None
        if a.lower_ in ("is", "are", "am", "'s", "'re", "does", "do") and v.tag_ in ("VBG",):
            return "present", None
        if a.lower_ in ("is", "are", "am", "'s", "'re") and v.tag_ == "VBN":
            return "present", None
        if a.lower_ in ("is", "are", "am", "'s", "'re", "does", "do"):
            return "present", None
    if v.tag_ == "VBD":
        return "past", None
    if v.tag_ in ("VBZ", "VBP"):
        return "present", None
    return None, None


def assess(trigger: Any, content_root: Any | None = None, frame_certainty: str | None = None,
           frame_cue: str | None = None, denial: str | None = None) -> Fact:
    """Factuality of the event whose trigger token is `trigger`.

    content_root: the root token of the reported content (the clause a reporting verb governs), beyond
    which cues belong to the reporter, not the event. frame_certainty: the certainty the reporting verb
    itself conveys ("claimed" -> probable)."""
    cs = cue_sets()
    fact = Fact()
    sent = trigger.sent
    # the verbs governing the trigger inside the content clause
    chain = [trigger]
    for h in _head_chain(trigger):
        chain.append(h)
        if content_root is not None and h.i == content_root.i:
            break
        if h.dep_ in CLAUSE_DEPS and content_root is None:
            break
    verbs = [t for t in chain if t.pos_ in ("VERB", "AUX")]
    # tense: the trigger's own verb first, then governing verbs; nouns inherit
    tense = None
    for v in verbs:
        lem = lemma(v)
        if v is not trigger and (lem in FUTURE_HEADS or (lem == "go" and v.tag_ == "VBG")):
            tense = "future"
            fact.cues.append(v.text)
            break
        t, cue = _verb_tense(v)
        if t:
            tense = t
            if cue:
                fact.cues.append(cue)
            break
    for h in chain[1:]:
        if h.pos_ == "NOUN" and h.lower_ in FUTURE_NOUNS:
            tense = "future"
            fact.cues.append(h.text)
            break
    if tense is None:
        tense = "future" if trigger.tag_ == "VB" and any(c.lower_ == "to" for c in trigger.children) else "past"
    fact.tense = tense
    # certainty and polarity cues on the trigger and governing verbs
    for v in chain:
        for c in v.children:
            lo = c.lower_
            if c.dep_ == "aux" and lo in MODAL_CERTAINTY:
                if lo == "would" and fact.tense == "future":
                    continue
                fact.hedge(MODAL_CERTAINTY[lo], c.text)
            elif c.dep_ == "advmod" and lo in ADV_CERTAINTY:
                fact.hedge(ADV_CERTAINTY[lo], c.text)
            elif c.dep_ == "neg" or (lo in ("no", "never") and c.dep_ in ("det", "neg", "advmod")):
                fact.polarity = "negative" if fact.polarity == "positive" else "positive"
                fact.cues.append(c.text)
            elif c.dep_ == "mark" and lo in ("if", "unless", "whether"):
                fact.hedge("possible", c.text)
                fact.asserted = lo != "whether"
        lem = lemma(v)
        if v is not trigger and lem in cs["non_assertive"] and v.pos_ == "VERB":
            fact.asserted = False
            fact.why.append(f"under '{v.text}'")
        if v is not trigger and lem in HEDGE_VERBS and v.pos_ == "VERB":
            fact.hedge(HEDGE_VERBS[lem], v.text)
        if v is not trigger and lem in ("deny", "refute", "dismiss", "reject") and v.pos_ == "VERB":
            fact.polarity = "negative"
            fact.cues.append(v.text)
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


_HEDGE_RE: re.Pattern[str] | None = None


def sentence_is_hedged(text: str) -> bool:
    """A sentence-level hedge test from the cue lexicon (no parse needed): any hedge cue as a whole word."""
    global _HEDGE_RE
    if _HEDGE_RE is None:
        cs = cue_sets()
        words = sorted(cs["hedge_possible"] | cs["hedge_probable"], key=len, reverse=True)
        _HEDGE_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)
    return bool(_HEDGE_RE.search(text))
