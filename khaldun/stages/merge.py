"""Merging: one claim per reported event. Paying clauses fold into the transfer they pay for, purpose
clauses into the act they explain, a lead sentence and the quote it summarizes into one claim, the headline
repeated in the body into the body's claim."""

from __future__ import annotations

import re
from typing import Any

from ..claim_filter import HEADLINE_REASON
from ..factuality import CERTAINTY_ORDER
from ..lexicon import words as lexicon_words
from ..models import Claim, Dropped, Passage
from .base import WorkDoc
from .common import _actor_keys, _source_nouns, chain_order, same_speaker


def fold_payers(claims: list[Claim]) -> None:
    """A paying clause in the sentence of a transfer ("..., while Doha pays for them") names the
    transfer's funders; the paying claim stays as its own economic-aid claim too."""
    for p in claims:
        if p.event.type != "AID" or p.event.aid_type != "economic" or not p.actors:
            continue
        for t in claims:
            if t is p or t.event.type not in ("AID", "AGREE") or t.evidence.start != p.evidence.start:
                continue
            if t.event.aid_type == "economic" or not t.materiel:
                continue
            known = {(f.id, f.country) for f in t.funders}
            for a in p.actors:
                if (a.id, a.country) not in known and a.country not in {x.country for x in t.actors}:
                    t.funders.append(a)
                    t.why["funders"] = f"paying clause '{p.event.trigger}' in the same sentence"

PURPOSE_DEPS = lexicon_words("pipeline", "purpose_deps")

PURPOSE_FAMILY = {"AID": "AID", "SUPPORT": "AID", "AGREE": "AID"}



def fold_purposes(claims: list[Claim], triggers: dict[int, Any]) -> list[Claim]:
    """An act and its purpose in one sentence ("X supplied the rebels with rifles to help them hold the town")
    are one claim: the purpose clause's aid or support joins the act it explains."""
    out: list[Claim] = []
    by_tok = {triggers[id(c)].i: c for c in claims if id(c) in triggers}
    for c in claims:
        tok = triggers.get(id(c))
        target = None
        if tok is not None and tok.dep_ in PURPOSE_DEPS and any(x.dep_ == "aux" and x.lower_ == "to"
                                                                for x in tok.children):
            fam = PURPOSE_FAMILY.get(c.event.type)
            cur = tok
            for _ in range(6):  # the act the purpose clause hangs on, or the parser's nearest word to it
                if cur.head.i == cur.i or fam is None:
                    break
                cur = cur.head
                head = by_tok.get(cur.i)
                if head is not None and head is not c and PURPOSE_FAMILY.get(head.event.type) == fam \
                        and head.evidence.start == c.evidence.start:
                    target = head
                    break
        if target is None:
            out.append(c)
            continue
        target.why["purpose"] = f"'{c.event.trigger}' is the purpose of '{target.event.trigger}', not another act"
    return out



def merge_claims(claims: list[Claim]) -> list[Claim]:
    """One claim per reported event: a lead sentence and the quote it summarizes (same speaker, same event
    family, shared actor, compatible materiel and tense) become one claim; the later passage goes to
    `evidence.more`, the weaker certainty wins, and roles are unioned."""
    out: list[Claim] = []
    for c in claims:
        target = next((o for o in out if o.evidence.start != c.evidence.start and _compatible(o, c)), None)
        if target is None:
            # same sentence, same event and same participants: keep one
            dup = next((o for o in out if o.evidence.start == c.evidence.start and o.event.type == c.event.type
                        and o.factuality.polarity == c.factuality.polarity
                        and (_actor_keys(o.actors) & _actor_keys(c.actors) or not o.actors or not c.actors)), None)
            if dup is not None:
                _union(dup, c, same_passage=True)
                continue
            out.append(c)
            continue
        _union(target, c)
    return out



def fold_headline(h: Claim, claims: list[Claim]) -> bool:
    """The headline repeated in the body joins the first body claim of the same event it names (same type
    family and polarity, no conflicting participants): the body's passage stays the evidence, the
    headline goes to `evidence.more`, and the headline's participants fill the ones the body leaves open.
    False when no body claim reports it."""
    fam = {"AID": "AID", "AGREE": "AID"}

    def fits(o: Claim) -> bool:
        if fam.get(o.event.type, o.event.type) != fam.get(h.event.type, h.event.type):
            return False
        if o.factuality.polarity != h.factuality.polarity:
            return False
        if o.actors and h.actors and not (_actor_keys(o.actors) & _actor_keys(h.actors)):
            return False
        ko = {x.id or x.country for x in o.recipients} - {None}
        kh = {x.id or x.country for x in h.recipients} - {None}
        # a headline names parties loosely ("rebels", "Ruritanian rebels"): only known, different parties differ
        return not (ko and kh and not ko & kh)

    target = next((o for o in sorted(claims, key=lambda c: c.evidence.start) if fits(o)), None)
    if target is None:
        return False
    _union(target, h)
    target.why["merged"] = "the headline repeated in the body reports this claim"
    return True



def _compatible(a: Claim, b: Claim) -> bool:
    fam = {"AID": "AID", "AGREE": "AID"}
    if fam.get(a.event.type, a.event.type) != fam.get(b.event.type, b.event.type):
        return False
    if a.factuality.polarity != b.factuality.polarity:
        return False
    if a.event.type == "REJECT" and bool(a.recipients) != bool(b.recipients):
        return False  # "denied responsibility for the raid", later "denied any role in the war": two denials
    sa, sb = a.attribution.speaker, b.attribution.speaker
    if (sa is None) != (sb is None):
        return False
    if sa is not None and sb is not None and not same_speaker(sa, sb):
        return False
    if a.event.type in ("AID", "AGREE") and a.materiel and b.materiel:
        if not {m.category for m in a.materiel} & {m.category for m in b.materiel}:
            return False
    if a.event.type in ("AID", "AGREE") and not a.materiel and not b.materiel and not (
            _actor_keys(a.recipients) & _actor_keys(b.recipients)):
        return False  # two payments or two pledges are one event only with the same recipient
    if a.event.type == "AID" and (a.event.aid_type and b.event.aid_type) and a.event.aid_type != b.event.aid_type:
        return False
    ids_a = {x.id for x in a.actors if x.id}
    ids_b = {x.id for x in b.actors if x.id}
    same_ids = bool(ids_a & ids_b)
    retelling = False
    if not same_ids and (not a.actors or not b.actors) and sa is not None and a.event.type == b.event.type \
            and abs(a.evidence.sentence - b.evidence.sentence) <= AGENTLESS_MERGE_SENTENCES and _retold(a, b):
        # an agentless retelling ("six were killed in the strikes, X added") of the same speaker's report
        retelling = True
    elif not same_ids:
        # different named actors of one country are one event only when the materiel says so
        shared_mat = bool({m.category for m in a.materiel} & {m.category for m in b.materiel})
        if not (shared_mat and {x.country for x in a.actors} & {x.country for x in b.actors} - {None}):
            return False
    if a.event.type == "ASSAULT" and a.location and b.location and a.location.name != b.location.name:
        return False
    if a.factuality.tense != b.factuality.tense and "future" in (a.factuality.tense, b.factuality.tense):
        return False
    if a.recipients and b.recipients and not any(_same_party(x, y) for x in a.recipients for y in b.recipients) \
            and not (retelling and a.event.type == "ASSAULT"):
        return False  # drones to the GNA and drones to the LNA: two transfers, whoever reports them
        # (an attack retold names its target or its victims: a depot, then the guards killed there)
    return not _different_days(a.when, b.when)

AGENTLESS_MERGE_SENTENCES = 6



def _retold(a: Claim, b: Claim) -> bool:
    """Two passages tell the same act: the same place, the same kind of weapon, a victim or target in common,
    or the same count."""
    if a.location and b.location and a.location.name and a.location.name == b.location.name:
        return True
    if {m.category for m in a.materiel} & {m.category for m in b.materiel} - {"other"}:
        return True
    wa = {w for r in a.recipients for w in re.findall(r"[a-z]{4,}", r.text.lower())}
    wb = {w for r in b.recipients for w in re.findall(r"[a-z]{4,}", r.text.lower())}
    if wa & wb:
        return True

    def counts(c: Claim) -> set[str]:
        words = re.findall(r"[\w-]+", c.evidence.text.lower())
        return {w for w in words if (w.isdigit() and len(w) < 4) or w in _source_nouns()["number_words"]}

    return bool(counts(a) & counts(b))



def _same_party(x: Any, y: Any) -> bool:
    """Two role fillers may be the same party: the same registry id, or, when either is unresolved, the same
    country or the same words (two different registered ids are two parties, even of one country)."""
    if x.id and y.id:
        return bool(x.id == y.id)
    return bool(x.country and x.country == y.country) or x.text.lower() == y.text.lower()



def _different_days(a: Any, b: Any) -> bool:
    """Both claims carry a date and they differ: resolved dates that differ, or, unresolved, two written
    dates with numbers in them ("3 May", "12 May") that differ. "Tuesday" and "yesterday" may be one day."""
    if a is None or b is None:
        return False
    if a.date and b.date:
        return bool(a.date != b.date)
    ta, tb = (a.text or "").lower(), (b.text or "").lower()
    return bool(ta and tb and ta != tb and any(ch.isdigit() for ch in ta) and any(ch.isdigit() for ch in tb))



def _union(t: Claim, c: Claim, same_passage: bool = False) -> None:
    def add(xs: list[Any], ys: list[Any]) -> None:
        keys = {(x.id, x.country, x.text.lower()) for x in xs}
        for y in ys:
            k = (y.id, y.country, y.text.lower())
            if k not in keys and not (y.id and any(x.id == y.id for x in xs)):
                xs.append(y)
                keys.add(k)

    add(t.actors, c.actors)
    add(t.recipients, c.recipients)
    add(t.funders, c.funders)
    mk = {(m.category, m.designation) for m in t.materiel}
    for m in c.materiel:
        if (m.category, m.designation) not in mk:
            t.materiel.append(m)
            mk.add((m.category, m.designation))
    t.location = t.location or c.location
    if t.when.date is None and c.when.date is not None:
        t.when = c.when
    if CERTAINTY_ORDER[c.factuality.certainty] > CERTAINTY_ORDER[t.factuality.certainty]:
        t.factuality.certainty = c.factuality.certainty
    for cue in c.factuality.cues:
        if cue not in t.factuality.cues:
            t.factuality.cues.append(cue)
    ta, ca = t.attribution, c.attribution
    ta.evidence_basis = ta.evidence_basis or ca.evidence_basis
    for v in ca.via:
        if all(v.name != w.name for w in ta.via):
            ta.via.append(v)
    ta.via = chain_order(ta.via)
    if ta.quote != ca.quote and "none" not in (ta.quote, ca.quote):
        ta.quote = "mixed"
    if t.event.aid_type is None:
        t.event.aid_type = c.event.aid_type
    if not same_passage and all(p.start != c.evidence.start for p in t.evidence.more):
        t.evidence.more.append(Passage(text=c.evidence.text, start=c.evidence.start, end=c.evidence.end,
                                       sentence=c.evidence.sentence))
        t.why["merged"] = "the same claim by the same speaker reported again in a later passage"
    for k, v in c.why.items():
        t.why.setdefault(k, v)



class FoldStage:
    """Before speakers: a paying clause names its transfer's funders, a purpose clause joins its act."""

    name = "folds"

    def __call__(self, doc: WorkDoc) -> WorkDoc:
        fold_payers(doc.claims)
        doc.claims = fold_purposes(doc.claims, doc.triggers)
        return doc


class MergeStage:
    """One claim per reported event; the headline repeated in the body joins the body's claim, or is dropped
    (stage `furniture`) when no claim of the body reports it."""

    name = "merge"

    def __call__(self, doc: WorkDoc) -> WorkDoc:
        doc.claims = merge_claims(doc.claims)
        for h in doc.headlines:
            if not fold_headline(h, doc.claims):
                doc.drop(Dropped(stage="furniture", reason=HEADLINE_REASON + " (no claim of the body reports it)",
                                 event_type=h.event.type, trigger=h.event.trigger,
                                 evidence=Passage(text=h.evidence.text, start=h.evidence.start,
                                                  end=h.evidence.end, sentence=h.evidence.sentence)),
                         len(doc.raws))
        return doc
