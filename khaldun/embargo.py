"""UN arms-embargo check: does a claimed arms transfer fall under a UN Security Council embargo?

The regimes (``data/embargoes.yaml``) are periods of a scope on a target: the whole ``territory``
(Libya since UNSCR 1970 (2011)), ``non_state_only`` recipients (DRC since 2008, Iraq since 2004, CAR
since 2024-07-30) or ``targeted`` designated groups (ISIL/Al-Qaida, Taliban, Houthis, Al-Shabaab since
2023), each with an import, export or two-way direction, plus government exemptions with their dates
and procedure.

`check_claim` looks only at arms-transfer claims: AID with aid_type military, personnel or training,
or with materiel (aid_type None or economic aid for a military purpose); a funder of such a transfer
is named in the same finding. The target is the recipients' country, else the claim's location,
and for two-way regimes also the supplier's own country when the recipient is elsewhere (an export).
The date is the claim's date, else the publication date, else the data's ``as_of`` date (said so
in the reason). One finding per regime touched:

- ``potential_violation``: in force, and the recipient is an armed group, non-state, foreign forces
  or unknown, or the government of a target for which the regime has no exemption on that date;
- ``possibly_exempt``: the recipient is the recognised government (or the UN) and the regime provides
  an exemption in force on that date (the reason names the resolution and the procedure);
- ``not_covered``: the regime was not in force on that date (``in_force`` False; reported only for
  the regime nearest in time on that target, so a 2010 Libya claim gets one Libya finding), or its
  scope excludes this recipient (the Federal Government of Somalia after 2023-12-01).

Negative claims ("Turkey denied sending weapons") assert no transfer and get no finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from khaldun.lexicon import words
from khaldun.models import Actor, Claim, Finding, FindingStatus

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster

__all__ = ["Regime", "Period", "Exemption", "Designation", "load_regimes", "check_claim", "as_of"]

_DATA = Path(__file__).resolve().parent / "data" / "embargoes.yaml"
_GOV_SECTORS = words("actors", "state_organ_sectors")  # organs of a state, the one class actors.py uses
_NONSTATE_SECTORS = frozenset({"REB", "PRM", "UAF", "CRM", "OPP", "PRE", "ELI"})
_TRANSFER_AID = frozenset({"military", "personnel", "training"})
_SEVERITY: dict[str, int] = {"not_covered": 0, "possibly_exempt": 1, "potential_violation": 2}


# --------------------------------------------------------------------------- data model


def _date(value: Any) -> date | None:
    """YYYY-MM-DD, YYYY-MM or YYYY (first day) -> date; None for empty or unparsable values."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", str(value).strip())
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


def _in(d: date, start: date | None, end: date | None) -> bool:
    """start <= d < end, open ends allowed."""
    return (start is None or start <= d) and (end is None or d < end)


@dataclass(frozen=True)
class _Names:
    """Compiled name matcher: acronyms (all capitals, short) case-sensitive, other names not."""

    names: tuple[str, ...] = ()
    ids: frozenset[str] = frozenset()
    _ci: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    _cs: re.Pattern[str] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def build(cls, names: list[str] | None, ids: list[str] | None) -> _Names:
        names = [str(n) for n in (names or [])]
        acronyms = [n for n in names if len(n) <= 6 and not n.islower() and n.replace("'", "") == n.upper()]
        others = [n for n in names if n not in acronyms]

        def rx(items: list[str], flags: int) -> re.Pattern[str] | None:
            if not items:
                return None
            alt = "|".join(re.escape(n) for n in sorted(items, key=len, reverse=True))
            return re.compile(rf"(?<!\w)(?:{alt})(?!\w)", flags)

        return cls(tuple(names), frozenset(str(i).lower() for i in (ids or [])),
                   rx(others, re.IGNORECASE), rx(acronyms, 0))

    def matches(self, actor: Actor) -> bool:
        """True when the actor's id is listed (or extends a listed id) or its name/text contains a name."""
        if actor.id:
            aid = actor.id.lower()
            if aid in self.ids or any(aid.startswith(i + "-") for i in self.ids if "/" in i):
                return True
        for s in (actor.name, actor.text):
            if s and ((self._ci is not None and self._ci.search(s)) or (self._cs is not None and self._cs.search(s))):
                return True
        return False


@dataclass(frozen=True)
class Period:
    """A stretch of time with one scope and direction; ``end`` is exclusive."""

    start: date
    end: date | None
    scope: str  # territory | non_state_only | targeted
    direction: str  # import | two_way | export
    by: str  # the resolution and paragraph that set it
    export_by: str | None = None
    categories: frozenset[str] = frozenset()  # empty: all materiel

    def covers(self, d: date) -> bool:
        return _in(d, self.start, self.end)


@dataclass(frozen=True)
class Exemption:
    """A dated exemption: who benefits (government, security_forces, igo), under what, how."""

    start: date
    end: date | None
    beneficiary: str
    by: str
    procedure: str
    aid_types: frozenset[str] = frozenset()  # empty: any
    excludes: frozenset[str] = frozenset()  # materiel categories never exempt (mercenaries)


@dataclass(frozen=True)
class Designation:
    """A designated group of a targeted regime, with its sanctions-list reference and listing date."""

    ref: str
    listed_on: date
    names: _Names
    note: str | None = None


@dataclass(frozen=True)
class _Rule:
    """A party that is never the government for exemption purposes (from a date)."""

    label: str
    names: _Names
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Regime:
    """One UN arms-embargo regime as a sequence of periods, with its parties and exemptions."""

    id: str
    name: str
    instrument: str
    targets: tuple[str, ...]
    place: str | None
    periods: tuple[Period, ...]
    government: _Names = field(default_factory=_Names)
    government_label: str | None = None
    recognised: tuple[tuple[date, date | None, str], ...] = ()
    not_government: tuple[_Rule, ...] = ()
    exemptions: tuple[Exemption, ...] = ()
    designated: tuple[Designation, ...] = ()
    area_label: str | None = None
    area: _Names | None = None
    covers: str | None = None
    later: str | None = None
    ended: str | None = None
    scope_note: str | None = None
    committee: str | None = None
    panel: str | None = None  # registry id of its UN Panel (Group) of Experts
    confidence: str | None = None
    history: tuple[tuple[str, str, str], ...] = ()

    @property
    def start(self) -> date:
        return self.periods[0].start

    @property
    def end(self) -> date | None:
        return self.periods[-1].end

    def period_on(self, d: date) -> Period | None:
        """The period in force on `d`, or None."""
        return next((p for p in self.periods if p.covers(d)), None)

    def in_force(self, d: date) -> bool:
        return self.period_on(d) is not None

    def distance(self, d: date) -> int:
        """Days between `d` and the nearest in-force day of the regime (0 when in force)."""
        best = None
        for p in self.periods:
            if p.covers(d):
                return 0
            gap = (p.start - d).days if d < p.start else (d - p.end).days + 1 if p.end else 0
            best = gap if best is None else min(best, gap)
        return best if best is not None else 10**6

    def is_government(self, actor: Actor, d: date) -> bool:
        return _classify(self, actor, d)[0] == "government"


def _regime(doc: dict[str, Any]) -> Regime:
    targets = tuple(doc.get("targets") or ([doc["target"]] if doc.get("target") else []))
    periods = tuple(
        Period(
            start=_date(p["from"]) or date.min, end=_date(p.get("to")), scope=p["scope"],
            direction=p.get("direction", "import"), by=p["by"], export_by=p.get("export_by"),
            categories=frozenset(p.get("categories") or []),
        )
        for p in doc["periods"]
    )
    gov = doc.get("government") or {}
    exemptions = tuple(
        Exemption(
            start=_date(e["from"]) or date.min, end=_date(e.get("to")), beneficiary=e["beneficiary"], by=e["by"],
            procedure=e["procedure"], aid_types=frozenset(e.get("aid_types") or []),
            excludes=frozenset(e.get("excludes") or []),
        )
        for e in doc.get("exemptions") or []
    )
    rules = tuple(
        _Rule(r["label"], _Names.build(r.get("names"), r.get("ids")), _date(r.get("from")), _date(r.get("to")))
        for r in doc.get("not_government") or []
    )
    designated = tuple(
        Designation(str(x["ref"]), _date(x["listed_on"]) or date.min, _Names.build(x.get("names"), x.get("ids")),
                    x.get("note"))
        for x in doc.get("designated") or []
    )
    area = doc.get("area")
    return Regime(
        id=doc["id"], name=doc["name"], instrument=doc["instrument"], targets=targets, place=doc.get("place"),
        periods=periods,
        government=_Names.build(gov.get("names"), gov.get("ids")),
        government_label=gov.get("label"),
        recognised=tuple((_date(r["from"]) or date.min, _date(r.get("to")), r["name"])
                         for r in gov.get("recognised") or []),
        not_government=rules, exemptions=exemptions, designated=designated,
        area_label=area["label"] if area else None,
        area=_Names.build(area.get("names"), None) if area else None,
        covers=doc.get("covers"), later=doc.get("later"), ended=doc.get("ended"), scope_note=doc.get("scope_note"),
        committee=doc.get("committee"), panel=doc.get("panel"), confidence=doc.get("confidence"),
        history=tuple((h["resolution"], str(h["adopted"]), h["change"]) for h in doc.get("history") or []),
    )


@lru_cache(maxsize=1)
def _doc() -> dict[str, Any]:
    return yaml.load(_DATA.read_text(encoding="utf-8"), Loader=_Loader)


@lru_cache(maxsize=1)
def _regimes() -> tuple[Regime, ...]:
    return tuple(_regime(r) for r in _doc()["regimes"])


def load_regimes() -> list[Regime]:
    """All regimes of ``data/embargoes.yaml`` (parsed once per process)."""
    return list(_regimes())


def as_of() -> date:
    """The date the regime data describe; used for claims without any date (never today's date: the run's day
    says nothing about an undated story)."""
    d = _date(_doc()["as_of"])
    if d is None:
        raise ValueError("data/embargoes.yaml: 'as_of' is missing or not a date (YYYY-MM-DD)")
    return d


# --------------------------------------------------------------------------- parties


def _classify(regime: Regime, actor: Actor, d: date) -> tuple[str, str | None]:
    """(government | non_state | igo | foreign | unknown, note) of a recipient under `regime` on `d`."""
    for rule in regime.not_government:
        if _in(d, rule.start, rule.end) and rule.names.matches(actor):
            return "non_state", rule.label
    if actor.kind == "igo":
        return "igo", None
    targets = set(regime.targets)
    if actor.kind == "armed_group" or (actor.sector or "").upper() in _NONSTATE_SECTORS:
        return "non_state", None
    if regime.government.matches(actor):
        return "government", None
    if actor.kind == "state" and (actor.id in targets or actor.country in targets):
        return "government", None
    if actor.country in targets and (actor.sector or "").upper() in _GOV_SECTORS:
        return "government", None
    if actor.country in targets and actor.kind in ("person", "organization"):
        return "non_state", None
    if actor.country and actor.country not in targets:
        return "foreign", None
    return "unknown", None


def _designation(regime: Regime, actor: Actor) -> Designation | None:
    if not regime.designated:
        return None
    return _designation_of(regime.id, actor.id, actor.name, actor.text)


@lru_cache(maxsize=4096)
def _designation_of(regime_id: str, actor_id: str | None, name: str | None, text: str | None) -> Designation | None:
    """The first listed designation matching an actor's id, name or text (one regex pass over a regime's
    list per distinct actor, not per claim)."""
    regime = next(r for r in _regimes() if r.id == regime_id)
    probe = Actor(text=text or "", name=name, id=actor_id)
    return next((x for x in regime.designated if x.names.matches(probe)), None)


def _countries(actors: list[Actor]) -> set[str]:
    return {a.country for a in actors if a.country}


# --------------------------------------------------------------------------- applicability


def _applies(claim: Claim) -> bool:
    """Arms-transfer claims only: AID that is military/personnel/training or carries materiel, AGREE
    claims that promise such aid (PLOVER codes an announced future transfer as AGREE), and MOBILIZE claims
    that deploy weapons or mercenaries into another country."""
    ev = claim.event
    if ev.type == "MOBILIZE" and claim.factuality.polarity != "negative" and claim.materiel:
        # "Turkey deployed Syrian mercenaries to Tripoli": a deployment of armed personnel or weapons into
        # another country is a supply under an arms embargo (UNSCR 1970 op.9 names armed mercenary personnel)
        home = _countries(claim.actors)
        there = _countries(claim.recipients) | ({claim.location.country} if claim.location and
                                                 claim.location.country else set())
        return bool(home) and bool(there - home)
    if ev.type not in ("AID", "AGREE") or claim.factuality.polarity == "negative":
        return False
    if ev.type == "AGREE" and ev.aid_type is None and not claim.materiel:
        return False
    if ev.aid_type in _TRANSFER_AID:
        return True
    if ev.aid_type == "humanitarian":
        return False
    return bool(claim.materiel)  # aid_type None or economic: military only when materiel is named


def _claim_date(claim: Claim, published: date | str | None) -> tuple[date, str]:
    """(date, source): the claim's date ("claim"), else the publication date ("published"), else the
    data's as_of date ("as_of")."""
    d = _date(claim.when.date) if claim.when else None
    if d is not None:
        return d, "claim"
    d = _date(published)
    return (d, "published") if d is not None else (as_of(), "as_of")


# --------------------------------------------------------------------------- wording


def _names(actors: list[Actor]) -> str:
    seen: list[str] = []
    for a in actors:
        n = a.text or a.name
        if n and n not in seen:
            seen.append(n)
    if len(seen) <= 2:
        return " and ".join(seen)
    return ", ".join(seen[:-1]) + " and " + seen[-1]


def _what(claim: Claim) -> str:
    texts: list[str] = []
    for m in claim.materiel:
        t = m.text.strip()
        if t and t.lower() not in (x.lower() for x in texts):
            texts.append(t)
    if texts:
        return " and ".join([", ".join(texts[:3][:-1]), texts[:3][-1]]) if len(texts[:3]) > 1 else texts[0]
    return {"personnel": "military personnel", "training": "military training"}.get(claim.event.aid_type or "",
                                                                                    "military aid")


def _subject(claim: Claim, suppliers: list[Actor], recipients: list[Actor], place: str | None,
             d: date, known: str, export: bool) -> str:
    """'The alleged supply of X by A, funded by F, to R in P on D'."""
    certain = claim.factuality.certainty == "certain" and claim.attribution.speaker is None
    adj = "reported" if certain else "alleged"
    if claim.factuality.tense == "future":
        adj = "planned" if certain else "alleged planned"
    noun = "export" if export else {"personnel": "deployment", "training": "provision"}.get(
        claim.event.aid_type or "", "supply")
    if any(m.category == "mercenaries" for m in claim.materiel) and not export:
        noun = "deployment"
    # fighters who move themselves ("Sudanese fighters crossed into Libya") are not supplied by anyone named
    spans = [(m.start, m.end) for m in claim.materiel if m.start is not None and m.end is not None]
    suppliers = [a for a in suppliers if a.start is None or not any(s <= a.end and a.start <= e for s, e in spans
                                                                     if a.end is not None)]
    if noun == "deployment" and claim.event.type == "MOBILIZE" and not suppliers:
        noun = "movement"
    def key(a: Actor) -> str:
        return a.id or a.text

    pays_only = bool(claim.funders) and {key(a) for a in suppliers} == {key(a) for a in claim.funders}
    if pays_only:
        # "Qatar will finance the purchase of drones for the GNA": the one who pays is the one who acts
        s = f"The {adj} financing by {_names(claim.funders)} of {_what(claim)}"
    else:
        s = f"The {adj} {noun} of {_what(claim)}"
    if export and place:
        s += f" from {place}"
    if suppliers and not pays_only:
        s += f" by {_names(suppliers)}"
    if claim.funders and not pays_only:
        s += f", funded by {_names(claim.funders)},"
    if recipients:
        s += f" {'for' if pays_only else 'to'} {_names(recipients)}"
    if place and not export:
        s += f" in {place}"
    if known == "claim":
        s += f" on {d.isoformat()}"
    elif known == "published":
        s += f" (undated; article published {d.isoformat()})"
    else:
        s += f" (date unknown: neither the claim nor the article is dated; regimes read as described on {d.isoformat()})"
    return s


def _since(regime: Regime, period: Period) -> date:
    """Start of the unbroken run of periods that ends with `period`."""
    start = period.start
    for p in reversed(regime.periods[: regime.periods.index(period)]):
        if p.end != start:
            break
        start = p.start
    return start


def _under(regime: Regime, period: Period, export: bool) -> str:
    kind = "two-way arms embargo" if period.direction == "two_way" else "arms embargo"
    by = period.export_by if export and period.export_by else period.by
    since = _since(regime, period)
    s = f"falls under the {kind} of {by}, in force since {since.isoformat()}"
    if since != period.start:
        s += f" (in its present scope since {period.start.isoformat()})"
    return s


# --------------------------------------------------------------------------- assessment


@dataclass
class _Touch:
    """Why a claim touches a regime: as an import into / export from its target, or via a designated group."""

    export: bool = False
    via_target: bool = False
    domestic: bool = False  # supplier in the target, recipient too: not a supply *to* the target
    designated: list[tuple[Actor, Designation]] = field(default_factory=list)


def _exemption(regime: Regime, beneficiary: str, d: date, claim: Claim) -> Exemption | None:
    cats = {m.category for m in claim.materiel}
    for e in regime.exemptions:
        if e.beneficiary != beneficiary or not _in(d, e.start, e.end):
            continue
        if e.aid_types and claim.event.aid_type not in e.aid_types:
            continue
        if cats & e.excludes:
            continue
        return e
    return None


def _recognised(regime: Regime, d: date) -> str:
    for start, end, name in regime.recognised:
        if _in(d, start, end):
            return name
    return regime.government_label or "the government"


def _assess_in_force(regime: Regime, period: Period, claim: Claim, touch: _Touch, suppliers: list[Actor],
                     recipients: list[Actor], d: date, known: str) -> tuple[FindingStatus, str]:
    place = regime.place
    subject = _subject(claim, suppliers, recipients, place, d, known, touch.export)
    if period.scope == "targeted":
        listed = [(a, x) for a, x in touch.designated if x.listed_on <= d]
        if listed:
            a, x = listed[0]
            return "potential_violation", (
                f"{subject} {_under(regime, period, False)}; the recipient, {a.text or a.name}, falls under "
                f"listing {x.ref} (listed {x.listed_on.isoformat()}), which allows no exemption.")
        if touch.designated:
            a, x = touch.designated[0]
            return "not_covered", (
                f"{subject} is not covered by {period.by}: the recipient {a.text or a.name} was designated "
                f"({x.ref}) only on {x.listed_on.isoformat()}.")
        return "not_covered", (
            f"{subject} is not covered: since {period.start.isoformat()}, under {period.by}, the embargo applies "
            f"only to designated groups, and no recipient is designated.")
    if touch.domestic and not touch.designated:
        return "not_covered", (
            f"{subject} is not covered: {period.by} bars supplies to {place or 'the target'} from other States "
            f"or their nationals, and this transfer is by an actor of {place or 'the target'} itself.")
    if touch.export:
        if period.direction in ("two_way", "export"):
            return "potential_violation", (
                f"{subject} {_under(regime, period, True)}; exports from {place or 'the target'} have no "
                f"government exemption.")
        return "not_covered", f"{subject} is not covered: {period.by} restricts supplies to, not exports from, {place}."
    if period.direction == "export":
        return "not_covered", f"{subject} is not covered: on that date {period.by} restricted exports only."
    if period.categories and claim.materiel and not ({m.category for m in claim.materiel} & period.categories):
        cats = ", ".join(sorted(period.categories)).replace("_", " ")
        return "not_covered", f"{subject} is not covered: on that date {period.by} applied to {cats} only."
    # a deployment "to Libya" names where the forces go, not a government that receives them
    parties = [(a, *_classify(regime, a, d)) for a in recipients
               if not (claim.event.type == "MOBILIZE" and a.kind == "state")] or [(None, "unknown", None)]
    kinds = {k for _, k, _ in parties}
    notes = [n for _, _, n in parties if n]
    area_note = ""
    if regime.area is not None:
        loc = claim.location
        where = Actor(text=loc.text, name=loc.name) if loc is not None and loc.kind != "country" else None
        if where is not None and not regime.area.matches(where):
            return "not_covered", (f"{subject} is not covered: {period.by} applies to {regime.area_label} only, "
                                   f"and the location is {loc.name or loc.text}.")  # type: ignore[union-attr]
        if where is None:
            if kinds <= {"government", "igo"}:
                return "not_covered", (f"{subject} is not covered: {period.by} applies to {regime.area_label} "
                                       f"only, and the claim does not place the transfer there.")
            area_note = f" (the embargo covers {regime.area_label} only; the claim does not say where it went)"
    if period.scope == "non_state_only":
        if kinds <= {"government", "igo"}:
            return "not_covered", (
                f"{subject} is not covered: since {period.start.isoformat()}, under {period.by}, the embargo "
                f"applies only to non-governmental recipients, and the recipient is {_recognised(regime, d)}"
                + (f" ({regime.scope_note})." if regime.scope_note else "."))
        return "potential_violation", (
            f"{subject} {_under(regime, period, False)}; "
            + ("the recipient is not identified as the government, so the embargo may apply"
               if kinds <= {"unknown"} else "non-state recipients are covered and have no exemption")
            + area_note + ".")
    # territory
    if kinds <= {"government", "igo"}:
        chosen: list[Exemption] = []
        for k in sorted(kinds):
            e = _exemption(regime, "government" if k == "government" else "igo", d, claim)
            if e is None and k == "government":
                e = _exemption(regime, "security_forces", d, claim)
            if e is None:
                break
            chosen.append(e)
        else:
            who = _recognised(regime, d) if "government" in kinds else "UN or humanitarian personnel"
            e = chosen[0]
            return "possibly_exempt", (
                f"{subject} {_under(regime, period, False)}, but supplies to {who} can be exempt under {e.by}: "
                f"{e.procedure}.")
        if any(m.category == "mercenaries" for m in claim.materiel):
            why = "armed mercenary personnel are prohibited and no exemption covers them"
        elif regime.exemptions:
            why = f"no exemption for {_recognised(regime, d)} was available on that date"
        else:
            why = f"the regime provides no general exemption for {_recognised(regime, d)}" + (
                f" ({regime.scope_note})" if regime.scope_note else "")
        return "potential_violation", f"{subject} {_under(regime, period, False)}; {why}{area_note}."
    gov_ex = [e for e in regime.exemptions if e.beneficiary == "government" and _in(d, e.start, e.end)]
    tail = (f" (the government exemption of {gov_ex[0].by} covers only {_recognised(regime, d)})"
            if gov_ex else "") + area_note
    if notes:
        why = "; ".join(dict.fromkeys(notes)) + ", so no exemption applies" + tail
    elif "non_state" in kinds:
        why = "non-state recipients have no exemption" + tail
    elif "foreign" in kinds:
        why = f"transfers into {place or 'the target'} to foreign forces have no exemption" + tail
    else:
        why = "the recipient is not identified, so no exemption can be assumed" + tail
    return "potential_violation", f"{subject} {_under(regime, period, False)}; {why}."


def _not_in_force(regime: Regime, claim: Claim, suppliers: list[Actor], recipients: list[Actor], d: date,
                  known: str, others: list[Regime], export: bool) -> str:
    subject = _subject(claim, suppliers, recipients, regime.place, d, known, export)
    before = [r for r in others if r.end is not None and r.end <= d]
    if d < regime.start:
        s = f"{subject} precedes the arms embargo of {regime.instrument}, in force from {regime.start.isoformat()}"
        if before:
            prev = max(before, key=lambda r: r.end or date.min)
            s += f" (the earlier {prev.instrument} embargo: {prev.ended or 'ended ' + (prev.end or d).isoformat()})"
        return s + "."
    gap = next((p for p in regime.periods if p.start > d), None)
    if gap is not None:
        return (f"{subject} falls in a gap of the arms embargo of {regime.instrument}: not in force on that date "
                f"(re-applied from {gap.start.isoformat()} by {gap.by}).")
    return (f"{subject} comes after the arms embargo of {regime.instrument} ended"
            + (f" ({regime.ended})." if regime.ended else f" on {(regime.end or d).isoformat()}."))


def check_claim(claim: Claim, published: date | str | None) -> list[Finding]:
    """One Finding per UN arms-embargo regime the claim's arms transfer touches (see module docstring)."""
    if not _applies(claim):
        return []
    d, known = _claim_date(claim, published)
    suppliers = [a for a in claim.actors if a.kind != "media"]
    supplier_countries = _countries(suppliers)
    foreign_funders = bool(_countries(claim.funders) - supplier_countries)
    # recipients that are the supplier's own forces (Turkey -> Turkish troops) say nothing about the target
    loc_country = claim.location.country if claim.location is not None else None
    recipients = [r for r in claim.recipients
                  if not (r.country and r.country in supplier_countries and r.kind != "state"
                          and (r.sector or "").upper() in _GOV_SECTORS and loc_country and loc_country != r.country)]
    import_targets = _countries(recipients)
    if not import_targets and claim.location is not None and claim.location.country:
        import_targets = {claim.location.country}

    touched: dict[str, _Touch] = {}
    for regime in _regimes():
        t = _Touch()
        if regime.targets:
            if import_targets & set(regime.targets):
                t.via_target = True
                t.domestic = bool(supplier_countries) and supplier_countries <= set(regime.targets) \
                    and not foreign_funders
            elif (supplier_countries & set(regime.targets)
                  and any(p.direction in ("two_way", "export") for p in regime.periods)
                  and not (import_targets & set(regime.targets))
                  and (import_targets or recipients)):
                t.via_target, t.export = True, True
        t.designated = [(a, x) for a in recipients for x in [_designation(regime, a)] if x is not None]
        if t.via_target or t.designated:
            touched[regime.id] = t

    findings: list[Finding] = []
    by_id = {r.id: r for r in _regimes()}
    # regimes not in force: keep only the nearest in time per target (one Libya finding for a 2010 claim)
    groups: dict[tuple[str, ...], list[Regime]] = {}
    for rid in touched:
        r = by_id[rid]
        groups.setdefault(r.targets or (r.id,), []).append(r)
    for regimes in groups.values():
        active = [r for r in regimes if r.in_force(d)]
        if not active:
            nearest = min(regimes, key=lambda r: (r.distance(d), -r.start.toordinal()))
            others = [r for r in load_regimes() if r.targets == nearest.targets and r is not nearest] \
                if nearest.targets else []
            t = touched[nearest.id]
            findings.append(Finding(
                regime=nearest.name, instrument=nearest.instrument,
                in_force=False, status="not_covered",
                reason=_not_in_force(nearest, claim, suppliers, claim.recipients, d, known, others, t.export)))
            continue
        for r in active:
            period = r.period_on(d)
            assert period is not None
            status, reason = _assess_in_force(r, period, claim, touched[r.id], suppliers, claim.recipients, d, known)
            findings.append(Finding(regime=r.name, instrument=r.instrument, in_force=True, status=status,
                                    reason=reason))
    findings.sort(key=lambda f: (-_SEVERITY[f.status], f.regime))
    return findings
