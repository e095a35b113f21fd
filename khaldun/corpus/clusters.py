"""Clusters: the claims of many documents about one event, with how well they are corroborated.

A claim joins a cluster when it is about the same event, judged only on resolved values (never on
the language or the surface text, so an Arabic report joins an English one once Arabic is read):

- **event family**: the PLOVER type, except that AID and an AGREE about materiel or military aid are
  one family (an arms deal and its delivery);
- **participants**: actor and recipient ids (AGREE, CONSULT and COOPERATE compare both sides as one
  set). Two participants match on the same registry id, or on the same country when one of them is a
  bare state ("Libya") or unresolved with a known country ("forces loyal to Haftar", LBY). A side
  known on both sides that shares nothing vetoes the join; at least one shared participant, or the
  same specific place (a base, an airport, a city), is required;
- **materiel**: categories must overlap when both are known (``other`` is unknown);
- **dates**: within ``window`` days (14 by default) of the cluster's dated claims, and the cluster's
  dated span stays within twice that; a claim without a date is placed before its publication (up
  to 30 days for the past tense, 180 days ahead for the future);
- **places**: the same country, or one of them unknown; for events that happen at one place (ASSAULT,
  COERCE, PROTEST, MOBILIZE, RETREAT) also within 50 km when both places have coordinates (a strike
  on Mitiga airport is not a strike on al-Watiya air base the same week).

Claims that copy one another in syndicated copies of a story (:func:`khaldun.corpus.dedup.align_copies`)
always join the same cluster. A text published word for word by several outlets comes in as one
Document per appearance (same id, each with its outlet, URL and date: the store's
``documents(per_appearance=True)``, or `khaldun analyze` run on each copy): every appearance is a
report and counts its outlet, and identical texts are always one syndication group, so they rest on
one independent source. Among compatible clusters the one sharing the most participants wins.

Then for each cluster: ``reports`` (claims), ``outlets`` (distinct), ``independent_sources`` (primary
sources of the supporting claims after merging, :mod:`khaldun.corpus.dedup`), ``first_seen``,
``speakers``, ``contradictions`` (claims of the opposite polarity: denials) and ``embargo`` (per
regime, the gravest finding of the supporting claims).
"""

from __future__ import annotations

import hashlib
import math
import random
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from khaldun.models import (
    Actor,
    Attribution,
    Claim,
    Document,
    Event,
    Evidence,
    Factuality,
    Finding,
    Materiel,
    Place,
    Source,
    When,
)

from .dedup import (
    Syndication,
    align_copies,
    chain_text,
    find_syndication,
    merge_sources,
    outlet_key,
    outlet_name,
    primary_source,
    published_date,
)

__all__ = [
    "Cluster",
    "ClusterWhen",
    "Contradiction",
    "SourceGroup",
    "Report",
    "Corpus",
    "build_clusters",
    "analyze_corpus",
    "filter_clusters",
    "event_family",
    "bench_clusters",
    "WINDOW_DAYS",
]

WINDOW_DAYS = 14
UNDATED_PAST_DAYS = 30
UNDATED_FUTURE_DAYS = 180
SYMMETRIC = frozenset({"AGREE", "CONSULT", "COOPERATE"})
# events that happen at one place: two places further apart than PLACE_KM are two events
LOCATED = frozenset({"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "RETREAT"})
PLACE_KM = 50.0
# no cluster holds claims (by their date, else their publication) more than a year apart
MAX_SPAN_DAYS = 365
# a party's REJECT ("Moscow dismissed the reports") contradicts the cluster of an event it took part in
# when published within this many days after the event's dates
DENIAL_DAYS = 60
DENIAL_TYPES = frozenset({"REJECT"})
# candidates per blocking key: the clusters most recently joined under it (a whole country's live clusters in a
# busy fortnight can run to thousands; a claim that shares more than its country finds its cluster under its
# other keys), so that the cost per claim is bounded and clustering time linear in the number of claims
CANDIDATES_PER_KEY = 64
SEVERITY = {"not_covered": 0, "possibly_exempt": 1, "potential_violation": 2}
_PLACE_RANK = {"base": 5, "airport": 5, "city": 4, "other": 3, "region": 2, "country": 1}
_PRECISION_DAYS = {"day": 0, "month": 30, "year": 364}


# --------------------------------------------------------------------------- the model


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClusterWhen(_M):
    """The dates the cluster's claims give: earliest..latest (YYYY-MM-DD), null when none is dated."""

    earliest: str | None = None
    latest: str | None = None
    precision: Literal["day", "month", "year"] | None = None
    text: str | None = None  # "2020-05-08" or "2020-05-04..2020-05-08"


class Contradiction(_M):
    claim: str
    why: str


class Report(_M):
    """One claim as one document carries it, with its chain of transmission."""

    claim: str
    document: str
    outlet: str
    published: str | None = None
    url: str | None = None
    title: str | None = None
    chain: str
    polarity: Literal["positive", "negative"] = "positive"
    certainty: str = "certain"
    evidence: str
    evidence_basis: str | None = None
    copy_of: str | None = None  # the outlet whose story this document republishes (syndication origin)
    same_text: bool = False  # a word-for-word copy: the very text of ``copy_of`` (same document id)


class SourceGroup(_M):
    """One independent source: the reports that rest on the same primary source."""

    key: str
    label: str
    kind: str  # speaker | venue | outlet
    supports: bool = True  # False: its reports contradict the cluster (denials)
    reports: list[Report] = Field(default_factory=list)
    outlets: list[str] = Field(default_factory=list)
    first_seen: str | None = None
    evidence_basis: list[str] = Field(default_factory=list)


class Cluster(_M):
    """Contract section "Corpus": the claims of many documents about one event."""

    id: str
    event: Event
    actors: list[Actor] = Field(default_factory=list)
    recipients: list[Actor] = Field(default_factory=list)
    funders: list[Actor] = Field(default_factory=list)
    materiel: list[Materiel] = Field(default_factory=list)
    when: ClusterWhen = Field(default_factory=ClusterWhen)
    location: Place | None = None
    claims: list[str] = Field(default_factory=list)
    reports: int = 0
    outlets: int = 0
    independent_sources: int = 0
    first_seen: str | None = None
    speakers: list[Actor] = Field(default_factory=list)
    contradictions: list[Contradiction] = Field(default_factory=list)
    embargo: list[Finding] = Field(default_factory=list)
    # additions
    family: str
    polarity: Literal["positive", "negative"] = "positive"
    certainty: Literal["certain", "probable", "possible"] = "certain"
    outlet_names: list[str] = Field(default_factory=list)
    documents: int = 0  # published articles (appearances: document, outlet, URL)
    texts: int = 0  # distinct texts among them (identical wire copy is one text)
    sources: list[SourceGroup] = Field(default_factory=list)
    counts: dict[str, dict[str, int]] = Field(
        default_factory=dict
    )  # "actors"/"recipients" id -> claims naming it
    why: dict[str, str] = Field(default_factory=dict)


# --------------------------------------------------------------------------- claim features


class _P(NamedTuple):
    id: str | None
    country: str | None
    bare: bool  # a bare state ("Libya") or an actor without id: matches any actor of its country


def _participant(a: Actor) -> _P | None:
    if a.id:
        bare = a.kind == "state" or (len(a.id) == 3 and a.id.isupper() and a.id == a.country)
        return _P(a.id, a.country, bare)
    if a.country:
        return _P(None, a.country, True)
    return None


def _match(a: _P, b: _P) -> bool:
    if a.id is not None and a.id == b.id:
        return True
    return (a.bare or b.bare) and a.country is not None and a.country == b.country


def _overlap(xs: Iterable[_P], ys: Iterable[_P], anchored: bool = False) -> int:
    """How many of ``xs`` match one of ``ys``; ``anchored``: only matches where a registry id takes part
    (two unresolved actors of one country are compatible, but no evidence of one event)."""
    ys = list(ys)
    return sum(1 for x in xs if any(_match(x, y) and (not anchored or x.id or y.id) for y in ys))


def event_family(claim: Claim) -> str:
    """AID and an AGREE about materiel or military aid are one family; other types are their own."""
    t = claim.event.type
    if t == "AGREE" and (claim.materiel or claim.event.aid_type):
        return "AID"
    return t


def _date_interval(claim: Claim, published: date | None) -> tuple[date | None, date | None, bool]:
    """(lo, hi, dated): the days the event can fall on."""
    w = claim.when
    if w.date:
        try:
            d = date.fromisoformat(w.date[:10])
        except ValueError:
            d = None
        if d is not None:
            prec = w.precision or "day"
            return d, d + timedelta(days=_PRECISION_DAYS.get(prec, 0)), True
    if published is None:
        return None, None, False
    tense = claim.factuality.tense
    if tense == "future":
        return published, published + timedelta(days=UNDATED_FUTURE_DAYS), False
    if tense == "present":
        return (
            published - timedelta(days=UNDATED_PAST_DAYS),
            published + timedelta(days=UNDATED_PAST_DAYS),
            False,
        )
    return published - timedelta(days=UNDATED_PAST_DAYS), published, False


def _gap(lo: date, hi: date, clo: date, chi: date) -> int:
    return max(0, (lo - chi).days, (clo - hi).days)


def _place_key(p: Place | None) -> str | None:
    if p is None or p.kind == "country":
        return None
    if p.gazetteer_id:
        return f"g:{p.gazetteer_id}"
    name = (p.name or p.text or "").lower().strip()
    return f"n:{name}" if name else None


@dataclass(slots=True)
class _Item:
    """One claim's clustering features. ``doc``/``claim`` are None for the compact items of a streamed
    clustering (:mod:`khaldun.corpus.stored`), which keep only ``key``, the claim's place in the store."""

    ref: int
    doc_i: int
    claim_i: int
    doc: Document | None
    claim: Claim | None
    family: str
    symmetric: bool
    actors: tuple[_P, ...]
    recipients: tuple[_P, ...]
    cats: frozenset[str]
    lo: date | None
    hi: date | None
    dated: bool
    country: str | None
    place: str | None
    coords: tuple[float, float] | None
    published: date | None
    align: tuple[int, int] | None
    day: bool = False  # dated to the day (the span limit applies to these)
    doc_id: str = ""
    claim_id: str = ""
    key: tuple[str, int] | None = None  # (document id, ordinal) in the store

    @property
    def anchor(self) -> date | None:
        """The day the claim is about for the one-year limit: its own date, else its publication."""
        return self.lo if self.dated else self.published


def claim_item(
    c: Claim, pub: date | None, ref: int = 0, doc_i: int = 0, claim_i: int = 0, doc: Document | None = None,
    keep: bool = True, align: tuple[int, int] | None = None, doc_id: str = "", key: tuple[str, int] | None = None,
) -> _Item:
    """The clustering features of one claim published on ``pub``; ``keep=False`` drops the claim and
    document (a compact item for streamed clustering)."""
    lo, hi, dated = _date_interval(c, pub)
    acts = tuple(p for p in map(_participant, c.actors) if p is not None)
    recs = tuple(p for p in map(_participant, c.recipients) if p is not None)
    loc = c.location
    return _Item(
        ref=ref,
        doc_i=doc_i,
        claim_i=claim_i,
        doc=doc if keep else None,
        claim=c if keep else None,
        family=event_family(c),
        symmetric=c.event.type in SYMMETRIC,
        actors=acts,
        recipients=recs,
        cats=frozenset(m.category for m in c.materiel if m.category != "other"),
        lo=lo,
        hi=hi,
        dated=dated,
        country=loc.country if loc else None,
        place=_place_key(loc),
        published=pub,
        align=align,
        coords=(loc.lat, loc.lon)
        if loc and loc.lat is not None and loc.lon is not None and loc.kind != "country"
        else None,
        day=dated and (c.when.precision or "day") == "day",
        doc_id=doc.id if doc is not None else doc_id,
        claim_id=c.id,
        key=key,
    )


def _items(docs: Sequence[Document], aligned: dict[tuple[int, int], tuple[int, int]]) -> list[_Item]:
    out: list[_Item] = []
    for di, d in enumerate(docs):
        pub = published_date(d)
        for ci, c in enumerate(d.claims):
            out.append(claim_item(c, pub, len(out), di, ci, d, align=aligned.get((di, ci))))
    return out


@dataclass
class _Acc:
    family: str
    items: list[_Item] = field(default_factory=list)
    actors: set[_P] = field(default_factory=set)
    recipients: set[_P] = field(default_factory=set)
    symmetric: bool = False
    cats: set[str] = field(default_factory=set)
    dlo: date | None = None  # dated claims
    dhi: date | None = None
    ddlo: date | None = None  # claims dated to the day
    ddhi: date | None = None
    slo: date | None = None  # all claims (undated ones by publication)
    shi: date | None = None
    countries: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    coords: list[tuple[float, float]] = field(default_factory=list)
    alo: date | None = None  # the claims' own days (their date, else their publication): the year limit
    ahi: date | None = None
    denials: set[int] = field(default_factory=set)  # refs of REJECT claims that deny this event (contradictions)

    def add(self, it: _Item) -> None:
        self.items.append(it)
        a = it.anchor
        if a is not None:
            self.alo = a if self.alo is None else min(self.alo, a)
            self.ahi = a if self.ahi is None else max(self.ahi, a)
        self.actors.update(it.actors)
        self.recipients.update(it.recipients)
        self.symmetric = self.symmetric or it.symmetric
        self.cats.update(it.cats)
        if it.lo is not None and it.hi is not None:
            if it.dated:
                self.dlo = it.lo if self.dlo is None else min(self.dlo, it.lo)
                self.dhi = it.hi if self.dhi is None else max(self.dhi, it.hi)
            if it.day:
                self.ddlo = it.lo if self.ddlo is None else min(self.ddlo, it.lo)
                self.ddhi = it.lo if self.ddhi is None else max(self.ddhi, it.lo)
            self.slo = it.lo if self.slo is None else min(self.slo, it.lo)
            self.shi = it.hi if self.shi is None else max(self.shi, it.hi)
        if it.country:
            self.countries.add(it.country)
        if it.place:
            self.places.add(it.place)
        if it.coords and it.coords not in self.coords:
            self.coords.append(it.coords)


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km."""
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _side(mine: Sequence[_P], theirs: Iterable[_P]) -> int | None:
    """Shared participants of one side, None when the side vetoes the join.

    Resolved non-state participants decide when both sides have some (ids must meet: the LNA is not
    the GNA, though both are Libyan); otherwise bare states and unresolved actors match by country.
    Only matches with a registry id on one side count as shared."""
    theirs = list(theirs)
    mine_nb = [p for p in mine if not p.bare]
    theirs_nb = [p for p in theirs if not p.bare]
    if mine_nb and theirs_nb:
        shared = _overlap(mine_nb, theirs_nb)
        return shared + _overlap([p for p in mine if p.bare], theirs, True) if shared else None
    if mine and theirs and not _overlap(mine, theirs):
        return None
    return _overlap(mine, theirs, True)


def _fit(it: _Item, acc: _Acc, window: int) -> int | None:
    """The checks that need no participant matching (dates, materiel, country, place): None when one fails,
    else the gap in days between the claim's dates and the cluster's. Cheap, so they come first."""
    if (it.lo is None) != (acc.slo is None):
        return None  # a claim with neither a date nor a publication date joins only claims like it
    a = it.anchor
    if a is not None and acc.alo is not None and acc.ahi is not None and (
        (max(a, acc.ahi) - min(a, acc.alo)).days > MAX_SPAN_DAYS
    ):
        return None
    if it.cats and acc.cats and not (it.cats & acc.cats):
        return None
    if it.country and acc.countries and it.country not in acc.countries:
        return None
    gap = 0
    if it.lo is not None and it.hi is not None:
        if acc.dlo is not None and acc.dhi is not None:
            gap = _gap(it.lo, it.hi, acc.dlo, acc.dhi)
            if gap > window:
                return None
            if (
                it.day
                and acc.ddlo is not None
                and acc.ddhi is not None
                and (max(it.lo, acc.ddhi) - min(it.lo, acc.ddlo)).days > 2 * window
            ):
                return None
        elif acc.slo is not None and acc.shi is not None:
            gap = _gap(it.lo, it.hi, acc.slo, acc.shi)
            if gap > window:
                return None
    if (
        it.coords
        and acc.coords
        and it.family in LOCATED
        and not any(_km(it.coords, c) <= PLACE_KM for c in acc.coords)
    ):
        return None
    return gap


def _score(it: _Item, acc: _Acc, window: int) -> int | None:
    """None when the claim cannot join the cluster; else how well it fits (higher is better)."""
    gap = _fit(it, acc, window)
    if gap is None:
        return None
    if it.symmetric or acc.symmetric:
        shared = _side(it.actors + it.recipients, acc.actors | acc.recipients)
        if shared is None:
            return None
    else:
        sa = _side(it.actors, acc.actors)
        sr = _side(it.recipients, acc.recipients)
        if sa is None or sr is None:
            return None
        shared = sa + sr
    same_place = bool(it.place and it.place in acc.places)
    if not shared and not same_place:
        return None
    return 100 * shared + 10 * same_place + 5 * len(it.cats & acc.cats) - gap


def _order_key(it: _Item) -> tuple[Any, ...]:
    far = date.max
    return (it.family, it.lo or it.published or far, it.published or far, it.doc_id, it.claim_id, it.ref)


def index_keys(it: _Item, query: bool) -> set[str]:
    """Blocking keys ``FAMILY|kind:value``: a participant is filed under its id and under its country as
    bare (b:) or not (n:); a resolved participant looks up its id and the bare ones of its country, a
    bare one every participant of its country; a specific place is a key of its own."""
    ks: set[str] = set()
    f = it.family
    for p in it.actors + it.recipients:
        if p.id:
            ks.add(f"{f}|i:{p.id}")
        if p.country:
            ks.add(f"{f}|b:{p.country}" if p.bare else f"{f}|n:{p.country}")
            if query and p.bare:
                ks.add(f"{f}|n:{p.country}")
            elif query:
                ks.add(f"{f}|b:{p.country}")
    if it.place:
        ks.add(f"{f}|p:{it.place}")
    return ks


def denial_keys(it: _Item) -> set[str]:
    """The participant keys (no family) a denial looks clusters up by: the parties that deny."""
    ks: set[str] = set()
    for p in it.actors:
        if p.id:
            ks.add(f"i:{p.id}")
        if p.country and p.bare:
            ks.add(f"b:{p.country}")
            ks.add(f"n:{p.country}")
    return ks


def denial_rank(it: _Item, acc: _Acc, window: int) -> tuple[int, int, int, int] | None:
    """How well a REJECT claim fits as the denial of a cluster, None when it does not: the denying party
    is one of the cluster's actors (a registry id takes part), materiel does not conflict, and it was
    said from ``window`` days before the event's days to ``DENIAL_DAYS`` after."""
    if acc.family in DENIAL_TYPES or it.family not in DENIAL_TYPES:
        return None
    shared = _overlap(it.actors, acc.actors, anchored=True)
    if not shared:
        return None
    if it.cats and acc.cats and not (it.cats & acc.cats):
        return None
    a = it.anchor
    if a is None or acc.alo is None or acc.ahi is None:
        return None
    if a < acc.alo - timedelta(days=window) or a > acc.ahi + timedelta(days=DENIAL_DAYS):
        return None
    return shared, len(it.cats & acc.cats), -_gap(a, a, acc.alo, acc.ahi), len(acc.items)


class Assigner:
    """The greedy single pass: claims come in :func:`_order_key` order (date order within a family) and
    join the best compatible live cluster found through a blocking index (family x participant or
    place); a cluster whose dates end more than ``window`` days before the current claim never matches
    again, so it leaves the index (and, streamed, can be written out: :meth:`pop_finished`)."""

    def __init__(self, window: int = WINDOW_DAYS) -> None:
        self.window = window
        self.accs: dict[int, _Acc] = {}
        self.index: dict[str, list[int]] = {}
        self.by_align: dict[tuple[int, int], int] = {}
        self.next_id = 0
        self.family: str | None = None

    def add(self, it: _Item, forced: int | None = None) -> int:
        """Put ``it`` in its cluster and return the cluster's id. ``forced``: the id another run of the
        same pass chose (:mod:`khaldun.corpus.partitioned` replays a worker's choices): no scoring, but
        the index is kept exactly as that run kept it."""
        window, accs, index = self.window, self.accs, self.index
        target: int | None = None
        if it.align is not None and it.align in self.by_align and self.by_align[it.align] in accs:
            target = self.by_align[it.align]
        else:
            cand: set[int] = set()
            horizon = it.lo - timedelta(days=window) if it.lo is not None else None
            for k in index_keys(it, True):
                lst = index.get(k)
                if not lst:
                    continue
                if horizon is not None:
                    # claims come in date order: a cluster that ended before the horizon never matches again
                    live = [ai for ai in lst[-4 * CANDIDATES_PER_KEY:]
                            if ai in accs and (accs[ai].shi is None or accs[ai].shi >= horizon)]
                    if len(live) < len(lst):
                        index[k] = lst = live
                cand.update(lst[-CANDIDATES_PER_KEY:])
            best: tuple[int, int] | None = None
            for ai in sorted(cand) if forced is None else ():
                acc = accs.get(ai)
                s = _score(it, acc, window) if acc is not None else None
                if s is not None and (best is None or s > best[0]):
                    best = (s, ai)
            if best is not None:
                target = best[1]
        if forced is not None:
            target = forced
            if target not in accs:
                accs[target] = _Acc(family=it.family)
                self.next_id = max(self.next_id, target + 1)
        if target is None:
            target = self.next_id
            self.next_id += 1
            accs[target] = _Acc(family=it.family)
        accs[target].add(it)
        self.family = it.family
        if it.align is not None:
            self.by_align.setdefault(it.align, target)
        for k in index_keys(it, False):
            lst = index.setdefault(k, [])
            if not lst or lst[-1] != target:
                if target not in lst[-8:]:
                    lst.append(target)
        return target

    def pop_finished(self, family: str | None, horizon: date | None) -> list[_Acc]:
        """Remove and return the clusters no later claim can join: those of other families than
        ``family`` (claims come family by family), and those whose dates end before ``horizon``."""
        done = [
            ai
            for ai, acc in self.accs.items()
            if acc.family != family or (horizon is not None and acc.shi is not None and acc.shi < horizon)
        ]
        out = [self.accs.pop(ai) for ai in done]
        if done:
            self.index = {k: kept for k, lst in self.index.items() if (kept := [a for a in lst if a in self.accs])}
            self.by_align = {k: v for k, v in self.by_align.items() if v in self.accs}
        return out


def _assign(items: list[_Item], window: int) -> list[_Acc]:
    """Every claim into a cluster (:class:`Assigner`), then each REJECT claim as the denial of the one
    cluster of an event its party took part in that it fits best (:func:`denial_rank`)."""
    asg = Assigner(window)
    for it in sorted(items, key=_order_key):
        asg.add(it)
    accs = list(asg.accs.values())
    link_denials(accs, [it for it in items if it.family in DENIAL_TYPES], window)
    return accs


def link_denials(accs: Sequence[_Acc], denials: Iterable[_Item], window: int) -> None:
    """Attach each REJECT claim to the cluster it denies, if any (in place)."""
    by_key: dict[str, list[int]] = {}
    for ai, acc in enumerate(accs):
        if acc.family in DENIAL_TYPES:
            continue
        for p in acc.actors:
            if p.id:
                by_key.setdefault(f"i:{p.id}", []).append(ai)
            if p.country:
                by_key.setdefault(f"{'b' if p.bare else 'n'}:{p.country}", []).append(ai)
    for it in denials:
        cand = {ai for k in denial_keys(it) for ai in by_key.get(k, ())}
        ranked = [(r, ai) for ai in cand if (r := denial_rank(it, accs[ai], window)) is not None]
        if ranked:
            _, ai = max(ranked)
            accs[ai].items.append(it)
            accs[ai].denials.add(it.ref)


# --------------------------------------------------------------------------- building the Cluster models


def _actor_key(a: Actor) -> str:
    return a.id or f"{(a.name or a.text).lower()}|{a.country or ''}"


def _distinct_actors(lists: Iterable[tuple[str, list[Actor]]]) -> tuple[list[Actor], dict[str, int]]:
    """Distinct actors of (document id, actors) pairs: named by the most documents first, resolved
    ones (registry id) before unresolved ones on a tie; counts are documents naming each."""
    seen: dict[str, Actor] = {}
    docs: dict[str, set[str]] = {}
    first: dict[str, int] = {}
    for doc_id, lst in lists:
        for a in lst:
            k = _actor_key(a)
            docs.setdefault(k, set()).add(doc_id)
            first.setdefault(k, len(first))
            if k not in seen or (a.name and not seen[k].name):
                seen[k] = a
    order = sorted(seen, key=lambda k: (-len(docs[k]), seen[k].id is None, first[k]))
    return [_clean_actor(seen[k]) for k in order], {k: len(docs[k]) for k in order}


def _clean_actor(a: Actor) -> Actor:
    """The actor without document offsets (they point into one document only)."""
    if a.start is None and a.end is None:
        return a
    return Actor.model_construct(**{**a.__dict__, "start": None, "end": None})  # already valid: no re-check


def _distinct_materiel(lists: Iterable[list[Materiel]]) -> list[Materiel]:
    out: dict[tuple[str, str | None], Materiel] = {}
    for lst in lists:
        for m in lst:
            k = (m.category, m.designation)
            prev = out.get(k)
            if prev is None:
                out[k] = m.model_copy(update={"start": None, "end": None})
            elif m.quantity and (prev.quantity or 0) < m.quantity:
                out[k] = prev.model_copy(update={"quantity": m.quantity})
    # an undesignated entry adds nothing when the same category is known by designation, nor does a
    # designation that a longer one extends ("Bayraktar" beside "Bayraktar TB2")
    named = {c for c, d in out if d}
    keep = []
    for (c, d), m in out.items():
        if not d and c in named:
            continue
        if d and any(c2 == c and d2 and d2 != d and d2.lower().startswith(d.lower() + " ") for c2, d2 in out):
            continue
        keep.append(m)
    return keep


def _location(items: list[_Item]) -> Place | None:
    places = [it.claim.location for it in items if it.claim.location is not None]
    if not places:
        return None
    counts = Counter((p.name or p.text).lower() for p in places)
    best = max(places, key=lambda p: (_PLACE_RANK.get(p.kind, 0), counts[(p.name or p.text).lower()]))
    return best.model_copy(update={"start": None, "end": None})


def _when(items: list[_Item]) -> ClusterWhen:
    dated = [it for it in items if it.dated and it.lo is not None]
    if not dated:
        return ClusterWhen()
    days = [it for it in dated if (it.claim.when.precision or "day") == "day"]
    use = days or dated
    lo = min(it.lo for it in use)  # type: ignore[type-var]
    hi = max(it.lo for it in use)  # type: ignore[type-var]
    prec = "day" if days else (use[0].claim.when.precision or "day")
    text = lo.isoformat() if lo == hi else f"{lo.isoformat()}..{hi.isoformat()}"
    return ClusterWhen(earliest=lo.isoformat(), latest=hi.isoformat(), precision=prec, text=text)  # type: ignore[arg-type]


def _event(items: list[_Item]) -> Event:
    types = Counter(it.claim.event.type for it in items)
    # the family's defining type leads (AID over AGREE), then the most frequent
    fam = items[0].family
    top = fam if fam in types else types.most_common(1)[0][0]
    same = [it.claim.event for it in items if it.claim.event.type == top]
    modes = Counter(e.mode for e in same if e.mode)
    aids = Counter(e.aid_type for e in same if e.aid_type)
    cameos = Counter(e.cameo for e in same if e.cameo)
    return Event(
        type=top,
        mode=modes.most_common(1)[0][0] if modes else None,
        aid_type=aids.most_common(1)[0][0] if aids else None,
        cameo=cameos.most_common(1)[0][0] if cameos else None,
        trigger=same[0].trigger,
    )


def _findings(items: list[_Item]) -> list[Finding]:
    """Per regime, the gravest finding; on a tie the one in force, then one from a dated claim. Reports that
    name no recipient ("a cargo ship unloaded drones at Misrata port") count only when none does: their
    "recipient not identified" says nothing against the recipient the others name."""
    best: dict[str, tuple[tuple[int, bool, bool], Finding]] = {}
    named = [it for it in items if it.claim.recipients]
    for it in named or items:
        for f in it.claim.embargo:
            rank = (SEVERITY[f.status], f.in_force, it.dated)
            prev = best.get(f.regime)
            if prev is None or rank > prev[0]:
                best[f.regime] = (rank, f)
    return sorted((f for _, f in best.values()), key=lambda f: (-SEVERITY[f.status], f.regime))


def _why_contradiction(it: _Item) -> str:
    c = it.claim
    cues = [q for q in c.factuality.cues if q]
    who = c.attribution.speaker.name or c.attribution.speaker.text if c.attribution.speaker else None
    verb = f"'{c.event.trigger}'" if c.event.type in DENIAL_TYPES else (f"'{cues[0]}'" if cues else "negative polarity")
    if who is None and c.event.type in DENIAL_TYPES and c.actors:
        who = c.actors[0].name or c.actors[0].text
    pub = f", {it.doc.source.published}" if it.doc.source.published else ""
    by = f" by {who}" if who else ""
    return f'denial ({verb}){by} in {outlet_name(it.doc)}{pub}: "{c.evidence.text.strip()}"'


def _report(it: _Item, synd: Syndication) -> Report:
    c, d = it.claim, it.doc
    origin = synd.origin_outlet(it.doc_i)
    copy_of = (
        origin
        if len(synd.copies(it.doc_i)) > 1 and synd.origin[synd.group_of[it.doc_i]] != it.doc_i
        else None
    )
    origin_id = synd.origin_doc(it.doc_i).id
    return Report(
        claim=c.id,
        document=d.id,
        outlet=outlet_name(d),
        published=d.source.published,
        url=d.source.url,
        title=d.title,
        chain=chain_text(c, d),
        polarity=c.factuality.polarity,
        certainty=c.factuality.certainty,
        evidence=c.evidence.text.strip(),
        evidence_basis=c.attribution.evidence_basis,
        copy_of=copy_of,
        same_text=copy_of is not None and origin_id == d.id,
    )


def _sources(items: list[_Item], synd: Syndication, supporting: set[int]) -> list[SourceGroup]:
    prim = {it.ref: primary_source(it.claim, it.doc_i, synd) for it in items}
    # aligned copies of one claim rest on one source: the majority's (tie: the origin document's)
    by_align: dict[tuple[int, int], list[_Item]] = {}
    for it in items:
        if it.align is not None:
            by_align.setdefault(it.align, []).append(it)
    for its in by_align.values():
        votes = Counter(prim[it.ref].key for it in its)
        origin_keys = {prim[it.ref].key for it in its if synd.origin[synd.group_of[it.doc_i]] == it.doc_i}
        win = max(votes, key=lambda k: (votes[k], k in origin_keys, k))
        chosen = next(prim[it.ref] for it in its if prim[it.ref].key == win)
        for it in its:
            prim[it.ref] = chosen
    uf = merge_sources((prim[it.ref].key, it.claim, None) for it in items)
    _merge_relays(items, prim, uf)
    groups: dict[tuple[object, bool], list[_Item]] = {}
    for it in items:
        groups.setdefault((uf.find(prim[it.ref].key), it.ref in supporting), []).append(it)
    out: list[SourceGroup] = []
    for (root, sup), its in groups.items():
        ps = [prim[it.ref] for it in its]
        kinds = Counter(p.kind for p in ps)
        kind = "speaker" if kinds.get("speaker") else ("venue" if kinds.get("venue") else "outlet")
        labels = Counter(p.label for p in ps if p.kind == kind)
        label = max(labels, key=lambda lab: (labels[lab], len(lab)))
        anon = Counter(p.anonymous for p in ps if p.anonymous)
        if kind != "speaker" and anon:
            label = f"{label} (unnamed {anon.most_common(1)[0][0]})"
        pubs = sorted(it.doc.source.published for it in its if it.doc.source.published)
        outs = list(dict.fromkeys(outlet_name(it.doc) for it in its))
        basis = list(
            dict.fromkeys(
                it.claim.attribution.evidence_basis for it in its if it.claim.attribution.evidence_basis
            )
        )
        out.append(
            SourceGroup(
                key=str(root),
                label=label,
                kind=kind,
                supports=sup,
                reports=[_report(it, synd) for it in its],
                outlets=outs,
                first_seen=pubs[0] if pubs else None,
                evidence_basis=basis,
            )
        )
    out.sort(key=lambda s: (not s.supports, -len(s.outlets), s.first_seen or "9999", s.label))
    return out


def _merge_relays(items: list[_Item], prim: dict[int, Any], uf: Any) -> None:
    """A report that rests on another outlet ("..., Levant Wire reported") is that outlet's source: when
    the relayed outlet's own reports are in the cluster and rest on one source, the relay joins it (an
    outlet and the source it relays are one independent source, not two)."""
    own = {it.ref: outlet_key(outlet_name(it.doc)) for it in items}  # type: ignore[arg-type]
    by_outlet: dict[str, set[str]] = {}
    for it in items:
        by_outlet.setdefault(own[it.ref], set()).add(prim[it.ref].key)
    for it in items:
        k = prim[it.ref].key
        if not k.startswith("outlet:") or k[7:] == own[it.ref] or k[7:] not in by_outlet:
            continue
        theirs = {uf.find(x) for x in by_outlet[k[7:]]}
        if len(theirs) == 1:
            uf.union(next(iter(theirs)), k)


def _cluster(acc: _Acc, synd: Syndication) -> Cluster:
    items = acc.items
    own = [it for it in items if it.ref not in acc.denials] or items
    positive = [it for it in own if it.claim.factuality.polarity == "positive"]
    polarity = "positive" if positive else "negative"
    support = positive or own
    supporting = {it.ref for it in support}
    against = [it for it in items if it.ref not in supporting]
    seed = min(own, key=_order_key)
    cid = "cl-" + hashlib.sha256(f"{acc.family}|{seed.doc.id}|{seed.claim.id}".encode()).hexdigest()[:16]
    actors, a_counts = _distinct_actors((it.doc.id, it.claim.actors) for it in support)
    recipients, r_counts = _distinct_actors((it.doc.id, it.claim.recipients) for it in support)
    funders, _ = _distinct_actors((it.doc.id, it.claim.funders) for it in support)
    speakers, _ = _distinct_actors(
        (it.doc.id, [it.claim.attribution.speaker]) for it in items if it.claim.attribution.speaker
    )
    sources = _sources(items, synd, supporting)
    outlets = list(dict.fromkeys(outlet_name(it.doc) for it in items))
    pubs = sorted(it.doc.source.published for it in support if it.doc.source.published)
    certs = [it.claim.factuality.certainty for it in support]
    certainty = next((c for c in ("certain", "probable", "possible") if c in certs), "certain")
    docs = {(it.doc.id, outlet_name(it.doc), it.doc.source.url) for it in items}
    n_ind = sum(1 for s in sources if s.supports)
    return Cluster(
        id=cid,
        event=_event(support),
        actors=actors,
        recipients=recipients,
        funders=funders,
        materiel=_distinct_materiel(it.claim.materiel for it in support),
        when=_when(support),
        location=_location(support),
        claims=list(dict.fromkeys(it.claim.id for it in items)),
        reports=len(items),
        outlets=len(outlets),
        independent_sources=n_ind,
        first_seen=pubs[0] if pubs else None,
        speakers=speakers,
        contradictions=[Contradiction(claim=it.claim.id, why=_why_contradiction(it)) for it in against],
        embargo=_findings(support),
        family=acc.family,
        polarity=polarity,
        certainty=certainty,  # type: ignore[arg-type]
        outlet_names=outlets,
        documents=len(docs),
        texts=len({it.doc.id for it in items}),
        sources=sources,
        counts={"actors": a_counts, "recipients": r_counts},
        why={
            "independent_sources": f"{n_ind} primary source(s) among {len(support)} supporting report(s) "
            "after collapsing syndicated copies and quotations of one speaker"
        },
    )


@dataclass
class Corpus:
    """Documents, their syndication groups and the clusters built from them."""

    documents: list[Document]
    syndication: Syndication
    clusters: list[Cluster]

    def counts(self) -> dict[str, int]:
        return {
            "documents": len(self.documents),  # one per appearance: a text from three outlets is three
            "texts": len({d.id for d in self.documents}),
            "claims": sum(len(d.claims) for d in self.documents),
            "syndicated_groups": len(self.syndication.syndicated()),
            "syndicated_copies": sum(len(g) - 1 for g in self.syndication.syndicated()),
            "clusters": len(self.clusters),
            "multi_report_clusters": sum(1 for c in self.clusters if c.reports > 1),
        }


def build_clusters(
    docs: Sequence[Document], window: int = WINDOW_DAYS, synd: Syndication | None = None
) -> list[Cluster]:
    """Cluster the claims of ``docs``; clusters come most reported first, then by date."""
    synd = synd or find_syndication(docs)
    aligned = align_copies(docs, synd)
    accs = _assign(_items(docs, aligned), window)
    clusters = [_cluster(a, synd) for a in accs if a.items]
    clusters.sort(
        key=lambda c: (-c.independent_sources, -c.reports, c.when.earliest or c.first_seen or "9999", c.id)
    )
    return clusters


def analyze_corpus(docs: Iterable[Document], window: int = WINDOW_DAYS) -> Corpus:
    """Syndication groups and clusters of a set of analysed documents."""
    docs = list(docs)
    synd = find_syndication(docs)
    return Corpus(documents=docs, syndication=synd, clusters=build_clusters(docs, window, synd))


# --------------------------------------------------------------------------- filters


def _actor_hit(a: Actor, q: str) -> bool:
    ql = q.lower()
    return bool(
        (a.id and (a.id.lower() == ql or a.id.lower().endswith("/" + ql)))
        or (a.country and a.country.lower() == ql and a.kind == "state")
        or ql in (a.name or "").lower()
        or ql in a.text.lower()
    )


def _overlaps(c: Cluster, start: date | None, end: date | None) -> bool:
    lo_s = c.when.earliest or c.first_seen
    hi_s = c.when.latest or c.first_seen
    if lo_s is None or hi_s is None:
        return start is None and end is None
    lo, hi = date.fromisoformat(lo_s[:10]), date.fromisoformat(hi_s[:10])
    return (start is None or hi >= start) and (end is None or lo <= end)


def filter_clusters(
    clusters: Iterable[Cluster],
    actor: str | None = None,
    type: str | None = None,
    start: date | None = None,
    end: date | None = None,
    place: str | None = None,
    embargo: str | None = None,
    regime: str | None = None,
    min_sources: int = 0,
) -> list[Cluster]:
    """Clusters matching every given filter.

    ``actor``: registry id ("TUR", "org/lna", or its last part "lna") or part of a name, on any side;
    ``type``: an event type or family (AID also finds AGREE deals); ``start``/``end``: the cluster's
    dates (or first_seen) overlap the range; ``place``: ISO3 country or part of the place name;
    ``embargo``: a finding status (potential_violation, possibly_exempt, not_covered), ``any`` or
    ``none``; ``regime``: part of the regime's name ("libya"); ``min_sources``: independent sources."""
    out = []
    for c in clusters:
        if actor and not any(_actor_hit(a, actor) for a in c.actors + c.recipients + c.funders):
            continue
        if type and type.upper() not in (c.event.type, c.family):
            continue
        if (start or end) and not _overlaps(c, start, end):
            continue
        if place:
            loc = c.location
            pl = place.lower()
            if loc is None or not ((loc.country or "").lower() == pl or pl in (loc.name or loc.text).lower()):
                continue
        finds = [f for f in c.embargo if not regime or regime.lower() in f.regime.lower()]
        if embargo:
            e = embargo.lower()
            if e == "none" and finds:
                continue
            if e == "any" and not finds:
                continue
            if e not in ("any", "none") and not any(f.status == e for f in finds):
                continue
        elif regime and not finds:
            continue
        if c.independent_sources < min_sources:
            continue
        out.append(c)
    return out


# --------------------------------------------------------------------------- throughput


def _generated_documents(n_claims: int, seed: int = 7, per_doc: int = 4) -> list[Document]:
    """Documents with random claims over a small world (40 states, 60 groups, 8 types, 2 years)."""
    rng = random.Random(seed)
    states = [f"S{i:02d}" for i in range(40)]
    groups = [(f"org/g{i}", rng.choice(states)) for i in range(60)]
    types = ["AID", "ASSAULT", "AGREE", "ACCUSE", "SUPPORT", "MOBILIZE", "COERCE", "THREATEN"]
    cats = ["uav", "air_defence", "small_arms", "armoured_vehicles", "other"]
    base = date(2019, 1, 1)
    docs: list[Document] = []
    made = 0
    di = 0
    while made < n_claims:
        pub = base + timedelta(days=rng.randrange(730))
        claims = []
        for k in range(min(per_doc, n_claims - made)):

            def actor() -> Actor:
                if rng.random() < 0.5:
                    s = rng.choice(states)
                    return Actor(text=s, id=s, kind="state", country=s)
                g, s = rng.choice(groups)
                return Actor(text=g, id=g, kind="armed_group", country=s)

            when = (
                When(date=(pub - timedelta(days=rng.randrange(7))).isoformat(), precision="day")
                if rng.random() < 0.7
                else When()
            )
            pol = "negative" if rng.random() < 0.05 else "positive"
            speaker = actor() if rng.random() < 0.6 else None
            claims.append(
                Claim(
                    id=f"c{di}-{k}",
                    event=Event(type=rng.choice(types), trigger="x"),
                    actors=[actor()],
                    recipients=[actor()] if rng.random() < 0.8 else [],
                    materiel=[Materiel(text="m", category=rng.choice(cats))] if rng.random() < 0.4 else [],
                    when=when,
                    factuality=Factuality(polarity=pol),
                    attribution=Attribution(speaker=speaker),
                    evidence=Evidence(text=f"claim {di} {k}", start=0, end=10, sentence=k),
                )
            )
            made += 1
        docs.append(
            Document(
                id=f"d{di:08d}",
                source=Source(outlet=f"Outlet {rng.randrange(50)}", published=pub.isoformat()),
                text=f"generated document {di} " + " ".join(rng.choice(states) for _ in range(30)),
                claims=claims,
            )
        )
        di += 1
    return docs


def bench_clusters(n_claims: int = 20000, window: int = WINDOW_DAYS) -> dict[str, Any]:
    """Clustering throughput on generated claims: claims/s for syndication + clustering, and sizes."""
    docs = _generated_documents(n_claims)
    t0 = time.perf_counter()
    synd = find_syndication(docs)
    t1 = time.perf_counter()
    clusters = build_clusters(docs, window, synd)
    t2 = time.perf_counter()
    total = t2 - t0
    return {
        "claims": n_claims,
        "documents": len(docs),
        "clusters": len(clusters),
        "multi_report_clusters": sum(1 for c in clusters if c.reports > 1),
        "syndication_s": round(t1 - t0, 3),
        "clustering_s": round(t2 - t1, 3),
        "total_s": round(total, 3),
        "claims_per_s": round(n_claims / total, 1) if total else None,
    }
