"""Attribution & factuality: a raw claim of the frame stage becomes a contract Claim (its factuality, its
speaker and chain, its date, its evidence sentence); what the text does not assert is dropped here."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

from ..dates import resolve_when
from ..events import RawClaim
from ..factuality import assess
from ..lexicon import words as lexicon_words
from ..models import Attribution, Claim, Dropped, Event, Evidence, Factuality, Passage, When
from ..nlp import doc_text
from ..token_table import children_of, subtree_indices, token_table
from ..trusted import trusted
from .base import WorkDoc
from .common import _scope, _source_nouns, chain_order


def _bounds_period(before: str) -> bool:
    """The words just before a date make it the bound of a period ("since November", "until early May")."""
    words = re.findall(r"[a-z]+", before.lower())
    nouns = _source_nouns()
    while words and words[-1] in nouns["period_modifiers"]:
        words.pop()
    return bool(words) and words[-1] in nouns["period_bounds"]

STATED_DEPS = lexicon_words("pipeline", "stated_deps")
UNDER_DEPS = lexicon_words("pipeline", "unasserted_under_deps")
UNDER_POS = lexicon_words("pipeline", "unasserted_under_pos")


def stated_when(f: Any, published: date | None) -> When | None:
    """When the statement was made, where the text says so: a date or time phrase on the reporting cue,
    outside the reported words ("said Tuesday evening", "told reporters on 3 May")."""
    cue = f.cue_tok
    if cue is None:
        return None
    toks = []
    doc = cue.doc
    tab = token_table(doc)  # (the children tested by index: Tokens only for a phrase on the cue)
    for ci in children_of(doc)[cue.i]:
        if tab.dep[ci] not in STATED_DEPS or ci in f.content:
            continue
        sub = [doc[t] for t in subtree_indices(doc, ci) if t not in f.content]
        if any(t.ent_type_ in ("DATE", "TIME") for t in sub):
            toks.extend(t for t in sub if t.ent_type_ in ("DATE", "TIME"))
    if not toks:
        return None
    toks.sort(key=lambda t: t.i)
    text = doc_text(doc)[toks[0].idx:toks[-1].idx + len(toks[-1])]
    if len(text) > 40:
        return None
    w = resolve_when(text, published)
    return w if w.text else When(text=text)


def _unasserted_reason(fact: Any, trigger: Any) -> str | None:
    """Why an event is not asserted by its text, or None when it is."""
    if not fact.asserted:
        cues = ", ".join(f"'{c}'" for c in fact.cues) or "its context"
        return f"not asserted: {cues}"
    if _under_unasserted(trigger):
        return f"not asserted: '{trigger.text}' is what a refusing, requesting or preventing verb is about"
    if _hypothetical(trigger):
        return f"not asserted: '{trigger.text}' is the condition of an if-clause"
    return None


@lru_cache(maxsize=1)
def _scope_sets() -> dict[str, frozenset[str]]:
    """The scope lexicon's lists that every candidate is tested against, as sets (built once)."""
    return {k: frozenset(v) for k, v in _scope().items() if isinstance(v, list)}


def _under_unasserted(trigger: Any) -> bool:
    """True when the event is the complement of a refusing / requesting / preventing verb ("refused to
    deploy", "demanded that the US cancel the sale"): that verb is the event, not the embedded action."""
    heads = _scope_sets()["unasserted_under"]
    tab = token_table(trigger.doc)  # (the walk up reads the token table: no Token made)
    cur = trigger.i
    for _ in range(6):
        up = tab.head[cur]
        if up == cur or tab.dep[cur] in ("conj",) and tab.pos[up] != "VERB":
            return False
        if tab.dep[cur] not in UNDER_DEPS:
            return False
        cur = up
        if tab.pos[cur] in UNDER_POS and tab.lemma[cur] in heads:
            return True
        if tab.dep[cur] in ("ROOT",):
            return False
    return False


def _hypothetical(trigger: Any) -> bool:
    """The event is the condition itself ("... if it is attacked"): not asserted."""
    marks = _scope_sets()["conditional_marks"]
    doc = trigger.doc
    tab, kids = token_table(doc), children_of(doc)
    cur = trigger.i
    for _ in range(3):
        if any(tab.dep[c] == "mark" and tab.lower[c] in marks for c in kids[cur]):
            return True
        if tab.pos[cur] in ("VERB", "AUX") or tab.head[cur] == cur:
            return False
        cur = tab.head[cur]
    return False


def _dedupe_materiel(ms: list[Any]) -> list[Any]:
    out = []
    seen = set()
    for m in ms:
        k = (m.start, m.end, m.text)
        if k in seen:
            continue
        seen.add(k)
        out.append(m)
    return out


def claim_of(rc: RawClaim, body: str, published: date | None, sent_spans: list[tuple[int, int]],
             basis: str | None, keep_unasserted: bool = False, drops: list[Dropped] | None = None) -> Claim | None:
    """The contract Claim of a raw claim of the frame stage, as its frame and factuality make it (`basis`: what
    the words governing the trigger say they rest on, which the frame stage found), or None when the text does
    not assert it (the reason goes to `drops`; with `keep_unasserted` the claim is kept, its factuality says
    so). Its type is the frame stage's: re-typing is a stage of its own (`stages/retype.py`)."""
    f = rc.frame
    own_cue = f is not None and f.cue_tok is not None and rc.trigger.i == f.cue_tok.i
    # the denial itself ("The UAE denied arming either side": REJECT) is asserted, not denied
    fact = assess(rc.trigger, f.content_root if f else None, f.certainty if f else None,
                  f.cue_text if f else None, f.denial if f and not own_cue else None)
    if "negates" in rc.spec.flags:  # "denied military involvement": a negative claim by the denier
        fact.polarity = "negative" if fact.polarity == "positive" else "positive"
        fact.cues.append(rc.trigger.text)
    s, e = sent_spans[rc.sentence]
    ev_text = body[s:e]
    # trim whitespace at the ends so the evidence is the sentence itself
    while ev_text and ev_text[-1].isspace():
        e -= 1
        ev_text = body[s:e]
    if not keep_unasserted:
        why_not = _unasserted_reason(fact, rc.trigger)
        if why_not is not None:
            if drops is not None:
                drops.append(Dropped(stage="assertion", reason=why_not, event_type=rc.type,
                                     trigger=rc.trigger_text,
                                     evidence=Passage(text=ev_text, start=s, end=e, sentence=rc.sentence)))
            return None
    when = When()
    dms = [m for m in rc.date_ments if not _bounds_period(body[max(0, m.start - 30):m.start])]
    if dms:
        dm = dms[0]
        when = resolve_when(dm.text, published)
        rc.why["when"] = f"date expression '{dm.text}' in the event's clause"
    elif rc.date_ments:
        rc.why["when"] = f"'{rc.date_ments[0].text}' bounds a period ('since ...'), it is not the date of the act"
    if f is not None and f.speaker is not None:
        speaker = f.speaker
        attribution = trusted(Attribution, speaker=speaker, speaker_affiliation=f.affiliation or f.body, speaker_role=f.role,
                              cue=f.cue_text, quote=f.quote, via=chain_order(f.via), evidence_basis=basis,
                              stated=stated_when(f, published))
        rc.why["speaker"] = f"reporting cue '{f.cue_text}'" if f.cue_text else "direct quote continuing"
    elif f is not None:
        attribution = trusted(Attribution, speaker=None, speaker_affiliation=f.affiliation or f.body, speaker_role=f.role,
                              cue=f.cue_text, quote=f.quote, via=chain_order(f.via), evidence_basis=basis,
                              stated=stated_when(f, published))
        rc.why["speaker"] = "unnamed source" if f.anonymous else "speaker not resolved"
    else:
        attribution = trusted(Attribution, speaker=None, quote="none", evidence_basis=basis)
        rc.why["speaker"] = "no reporting cue: the outlet states it in its own voice"
    # the models below are built without validation (their fields are given as the models' types, lists and
    # dictionaries copied as validation would): ~6 models a claim, a tenth of the stages' CPU when validated
    event = trusted(Event, type=rc.type, mode=rc.mode, aid_type=rc.aid_type if rc.type in ("AID", "AGREE") else None,
                    cameo=rc.cameo, trigger=rc.trigger_text, trigger_start=rc.trigger_start,
                    trigger_end=rc.trigger_end)
    claim = trusted(Claim, id="", event=event, actors=list(rc.actors), recipients=list(rc.recipients),
                    funders=list(rc.funders), materiel=list(_dedupe_materiel(rc.materiel)), location=rc.location,
                    when=when,
                    factuality=trusted(Factuality, certainty=fact.certainty, polarity=fact.polarity, tense=fact.tense,
                                       cues=list(fact.cues)),
                    attribution=attribution,
                    evidence=trusted(Evidence, text=ev_text, start=s, end=e, sentence=rc.sentence), why=dict(rc.why))
    return claim


class ClaimStage:
    """Attribution & factuality: every candidate of the frame stage becomes a Claim, or is dropped as not
    asserted (stage `assertion`)."""

    name = "claims"

    def __call__(self, doc: WorkDoc) -> WorkDoc:
        for rank, (rc, basis) in enumerate(zip(doc.raws, doc.bases, strict=True)):
            drops: list[Dropped] = []
            c = claim_of(rc, doc.body, doc.published, doc.sent_spans, basis, drops=drops)
            for d in drops:
                doc.drop(d, rank)
            if c is None:
                continue
            doc.claims.append(c)
            doc.triggers[id(c)] = rc.trigger
            doc.ranks[id(c)] = rank
        return doc
