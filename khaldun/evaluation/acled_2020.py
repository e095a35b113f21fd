"""ACLED rows (27 Apr - 9 May 2020, global): event type and first actor from the ``notes`` text.

Gold: the CSV in the folder, one event a row in file order; the analyzer gets ``notes`` as text and
``event_date`` as the publication date. ACLED data is used for local evaluation only.

khaldun -> ACLED event_type (``acled_type``)
-------------------------------------------
- PROTEST -> Protests; with a riot mode (mode contains "riot" or "violent") -> Riots.
- ASSAULT by a crowd (an actor's text is rioters, mob, protesters, demonstrators, crowd, villagers) ->
  Riots; else with mode ``destroy`` -> Strategic developments (ACLED's property destruction); else
  Explosions/Remote violence when the mode or materiel is remote (aerial, drone, heavy-weapons, shelling,
  artillery, missile, rocket, mortar, bomb, IED, mine, grenade, explosives, suicide; materiel categories
  aircraft, uav, artillery, missiles, explosives); else Violence against civilians when the mode is
  abduction, sexual violence, torture, beating, massacre or execution, or every recipient has a civilian
  sector (CVL, REF, JRN, MED, EDU, LAB, BUS, REL, HLH, AGR, NGO); else Battles.
- COERCE -> Violence against civilians for abduction/kidnapping modes, else Strategic developments
  (arrests, seizures, destruction of property).
- MOBILIZE, RETREAT, CONCEDE, AGREE, AID, SANCTION, COOPERATE -> Strategic developments.
- Other types (statements, threats, talks, accusations...) have no ACLED counterpart (None).

Scoring rule
------------
- The row's prediction is the first claim in text order (evidence start, then trigger) whose type maps
  to an ACLED event_type. ``event_type_acc``: its mapped type equals the gold event_type (no mapped claim
  = wrong); per-type P/R/F1 count a wrong guess as FP of the guessed type and FN of the gold type.
  ``event_type_any``: the gold type is among the mapped types of all claims. ``coverage``: rows with a
  mapped claim.
- actor1 (``actor1_name_acc``): the actors of that claim (or of the first claim when none maps) match the
  gold actor1 when: the gold name is generic and the class fits (Protesters/Rioters: a PROTEST claim or a
  crowd word; Military Forces of X: sector MIL or a military word; Police Forces of X: sector COP or
  "police"; Unidentified ...: sector UAF/CRM/REB or gunmen-like words; Civilians: sector CVL or civilian
  words; Government of X: sector GOV); otherwise an actor's text or name is a fuzzy match
  (rapidfuzz token_set_ratio >= 85) of a part of the gold name (the acronym before ':' , the long name,
  each side of 'and/or', parentheses removed).
- ``actor1_country_acc``: over rows whose actor1 names a country ("Protesters (India)", "Military Forces of
  Yemen (2016-)"), some actor of that claim has that ISO3 country.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from khaldun.evaluation.metrics import (
    Analyzer,
    Examples,
    analyze_records,
    baseline,
    classification,
    clip,
    confusion_table,
    majority,
    ratio,
    rnd,
)
from khaldun.models import Actor, Claim, Document

SCORING = """First claim (text order) whose type maps to an ACLED event_type (acled_type) is the row's
prediction; accuracy against event_type. actor1 matches by generic class (protesters, military, police,
unidentified, civilians) or fuzzy name; actor1 country by ISO3 of any actor of that claim."""

from khaldun.acled import (  # noqa: E402  (the typing rules live in the product; this module scores them)
    ACLED_TYPES,
    acled_type,
)

# ACLED country names that pycountry does not resolve by name
ALIASES = {
    "democratic republic of congo": "COD",
    "republic of congo": "COG",
    "russia": "RUS",
    "syria": "SYR",
    "iran": "IRN",
    "palestine": "PSE",
    "kosovo": "XKX",
    "ivory coast": "CIV",
    "south korea": "KOR",
    "north korea": "PRK",
    "laos": "LAO",
    "vietnam": "VNM",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "tanzania": "TZA",
    "moldova": "MDA",
    "eswatini": "SWZ",
    "turkey": "TUR",
    "taiwan": "TWN",
    "the philippines": "PHL",
    "philippines": "PHL",
    "united states": "USA",
    "united kingdom": "GBR",
    "czech republic": "CZE",
    "micronesia": "FSM",
    "brunei": "BRN",
    "cape verde": "CPV",
    "east timor": "TLS",
    "macedonia": "MKD",
    "north macedonia": "MKD",
    "bosnia and herzegovina": "BIH",
    "the gambia": "GMB",
    "gambia": "GMB",
    "artsakh": None,
    "novorossiya": None,
}


@lru_cache(maxsize=2048)
def country_iso3(name: str) -> str | None:
    """ISO alpha-3 for an ACLED country name, None when it is not a recognized country."""
    key = name.strip().lower()
    if key in ALIASES:
        return ALIASES[key]
    import pycountry

    try:
        return pycountry.countries.lookup(name.strip()).alpha_3
    except LookupError:
        return None


# generic ACLED actor names -> (claim types that fit, sectors that fit, words in the actor text that fit)
GENERIC: list[tuple[re.Pattern[str], set[str], set[str], re.Pattern[str]]] = [
    (
        re.compile(r"^(protesters|rioters)\b", re.I),
        {"PROTEST"},
        set(),
        re.compile(r"protest|demonstrat|riot|mob|crowd|resident|villager|worker|student|supporter", re.I),
    ),
    (
        re.compile(r"^military forces of\b", re.I),
        set(),
        {"MIL"},
        re.compile(r"army|military|forces|troops|soldier|militar|navy|air force|coalition", re.I),
    ),
    (re.compile(r"^police forces of\b", re.I), set(), {"COP"}, re.compile(r"polic|officer|gendarm", re.I)),
    (
        re.compile(r"^unidentified\b", re.I),
        set(),
        {"UAF", "CRM", "REB"},
        re.compile(
            r"gunm[ae]n|unidentified|unknown|armed (men|group)|assailant|attacker|gang|militant|bandit", re.I
        ),
    ),
    (
        re.compile(r"^civilians\b", re.I),
        set(),
        {"CVL"},
        re.compile(r"civilian|villager|resident|farmer|woman|child", re.I),
    ),
    (
        re.compile(r"^government of\b", re.I),
        set(),
        {"GOV"},
        re.compile(r"government|ministry|minister|authorit", re.I),
    ),
]


@dataclass
class Record:
    id: str
    notes: str
    date: str | None
    event_type: str
    actor1: str
    country: str | None  # ISO3 named by actor1, if any


def actor1_country(actor1: str) -> str | None:
    for pattern in (r"\b(?:forces|government) of (?:the )?([A-Z][^()]*?)\s*(?:\(|$)", r"\(([^()\d]+)\)"):
        m = re.search(pattern, actor1, re.I)
        if m:
            code = country_iso3(m.group(1))
            if code:
                return code
    return None


def _iso_date(value: str) -> str | None:
    for fmt in ("%d-%b-%y", "%d %B %Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return None


def load(folder: Path, limit: int | None = None) -> Iterator[Record]:
    def gen() -> Iterator[Record]:
        for path in sorted(folder.glob("*.csv")):
            with open(path, encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    notes = (row.get("notes") or "").strip()
                    if not notes or not row.get("event_type"):
                        continue
                    actor1 = row.get("actor1") or ""
                    yield Record(
                        row.get("event_id_cnty") or row.get("data_id") or "",
                        notes,
                        _iso_date(row.get("event_date") or ""),
                        row["event_type"],
                        actor1,
                        actor1_country(actor1),
                    )

    return itertools.islice(gen(), limit)


def _name_parts(actor1: str) -> list[str]:
    parts = []
    for alt in re.split(r"\s+and/or\s+", actor1):
        alt = re.sub(r"\([^)]*\)", " ", alt)
        for piece in alt.split(":"):
            piece = " ".join(piece.split())
            if piece:
                parts.append(piece)
    return parts


def actor_matches(actor1: str, claim: Claim | None) -> bool:
    """Does some actor of the claim fit the gold actor1 (generic class or fuzzy name)?"""
    if claim is None or not claim.actors:
        return False
    from rapidfuzz import fuzz
    from rapidfuzz.utils import default_process

    actors: list[Actor] = claim.actors
    for alt in re.split(r"\s+and/or\s+", actor1):
        for pattern, types, sectors, words in GENERIC:
            if pattern.search(alt):
                if claim.event.type in types:
                    return True
                if any((a.sector or "") in sectors or words.search(a.text) for a in actors):
                    return True
    for part in _name_parts(actor1):
        for a in actors:
            for cand in (a.text, a.name or ""):
                if cand and (
                    cand.lower() == part.lower()
                    or fuzz.token_set_ratio(cand, part, processor=default_process) >= 85
                ):
                    return True
    return False


def _order(c: Claim) -> tuple[int, int]:
    return (c.evidence.start, c.event.trigger_start if c.event.trigger_start is not None else 0)


def run(folder: Path, limit: int | None, analyzer: Analyzer) -> dict[str, Any]:
    gold_types: list[str] = []
    pred_types: list[str | None] = []
    examples = Examples(3)
    n = any_hit = covered = name_ok = country_n = country_ok = 0
    confusions: Counter[tuple[str, str]] = Counter()

    def item(r: Record) -> dict[str, Any]:
        return {"text": r.notes, "published": r.date, "language": "en"}

    doc: Document
    for rec, doc in analyze_records(load(folder, limit), item, analyzer):
        n += 1
        claims = sorted(doc.claims, key=_order)
        mapped = [(c, acled_type(c)) for c in claims]
        mapped = [(c, t) for c, t in mapped if t]
        chosen, ptype = mapped[0] if mapped else (claims[0] if claims else None, None)
        covered += bool(mapped)
        any_hit += any(t == rec.event_type for _, t in mapped)
        gold_types.append(rec.event_type)
        pred_types.append(ptype)
        if ptype != rec.event_type:
            confusions[(rec.event_type, ptype or "none")] += 1
            examples.add(
                "event_type",
                id=rec.id,
                gold=rec.event_type,
                predicted=ptype or "none",
                claims=",".join(c.event.type for c in claims) or "none",
                text=clip(rec.notes),
            )
        ok = actor_matches(rec.actor1, chosen)
        name_ok += ok
        if not ok:
            examples.add(
                "actor1",
                id=rec.id,
                gold=rec.actor1,
                predicted="; ".join(a.text for a in chosen.actors) if chosen else "none",
                text=clip(rec.notes),
            )
        if rec.country:
            country_n += 1
            country_ok += bool(chosen and any(a.country == rec.country for a in chosen.actors))

    counts = classification(gold_types, pred_types)
    maj, maj_acc = majority(gold_types)
    acc = rnd(ratio(sum(g == p for g, p in zip(gold_types, pred_types, strict=True)), n))
    return {
        "records": n,
        "baselines": [baseline("event_type_acc", acc, maj_acc, f"every row '{maj}' (majority class)")],
        "metrics": {
            "rows": n,
            "event_type_acc": rnd(ratio(sum(g == p for g, p in zip(gold_types, pred_types, strict=True)), n)),
            "event_type_macro_f1": rnd(counts.macro_f1(ACLED_TYPES)),
            "event_type_any": rnd(ratio(any_hit, n)),
            "coverage": rnd(ratio(covered, n)),
            "actor1_name_acc": rnd(ratio(name_ok, n)),
            "actor1_country_acc": rnd(ratio(country_ok, country_n)),
            "actor1_country_rows": country_n,
        },
        "tables": {
            "ACLED event_type": counts.table(ACLED_TYPES, first="event_type"),
            "event_type errors (gold -> predicted)": confusion_table(confusions),
        },
        "examples": examples.items,
        "notes": ["ACLED terms: local evaluation only, never redistribute rows"],
    }
