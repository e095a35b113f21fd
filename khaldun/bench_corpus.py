"""Corpus-scale figures for `khaldun bench`: ingest into SQLite, clustering, and query latency on 1M claims.

Three measurements, each run in a fresh spawned child process so that its peak RSS is its own:

* **ingest** (:func:`bench_ingest`): ``n`` generated articles (:func:`generated_articles`) written
  as JSON Lines and ingested by :func:`khaldun.store.runner.run_ingest` into a temporary SQLite
  store, exactly as `khaldun ingest` does (full pipeline, one commit per chunk); docs/s, claims/s
  and peak RSS of the writer and of the analysis workers. The claims it produced are then read
  back and clustered (:func:`khaldun.corpus.analyze_corpus`), which times clustering on real
  pipeline output.
* **clusters** (:func:`bench_clusters_child`): :func:`khaldun.corpus.bench_clusters` on ``n``
  random claims over a small world, claims/s.
* **queries** (:func:`bench_queries`): a store of ``n`` synthetic claims built directly through
  the Store API (:func:`synthetic_documents`, no NLP), then the filters an analyst uses every day
  through :meth:`Store.claims` (by actor, event type + date range, embargo status, location
  country, speaker, and actor + type + dates), p50/p95 latency per kind for the first page of
  results.

The generated articles and claims draw their actors, materiel, places, outlets and embargo regimes
from khaldun's own registries (``khaldun/data``), so they look like the news khaldun is built for
and 10,000 of them are 10,000 different stories, not copies of one text. Frequencies are skewed
(a few states and groups are in most stories, as in real coverage) with a long tail.
"""

from __future__ import annotations

import csv
import hashlib
import json
import multiprocessing as mp
import os
import queue
import random
import resource
import statistics
import string
import tempfile
import time
import traceback
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any, TypeVar

__all__ = [
    "QUERY_KINDS", "World", "bench_clusters_child", "bench_ingest", "bench_queries", "build_query_store",
    "generated_articles", "query_plan", "run_corpus_bench", "synthetic_documents", "world", "write_articles",
]

T = TypeVar("T")
_DATA = Path(__file__).parent / "data"
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# countries whose wars fill the news khaldun reads: most generated places are in one of them
_CONFLICT = ("LBY", "SYR", "YEM", "SDN", "SSD", "SOM", "IRQ", "AFG", "UKR", "MLI", "COD", "CAF", "ETH",
             "NGA", "LBN", "PSE", "MMR", "BFA", "NER", "TCD", "MOZ", "ISR", "IRN", "EGY", "TUN")
_START, _END = date(2011, 1, 1), date(2024, 12, 31)
# article-less names: a state name takes "the" when it reads like a common-noun phrase
_THE_WORDS = ("United", "Republic", "Kingdom", "Democratic", "Central African", "Islamic Republic",
              "Russian Federation", "Holy See", "State of", "Federated", "Plurinational")
_THE_ENDINGS = ("Islands", "Republic", "Emirates", "Territories", "States", "lands", "ines", "amas", "ives",
                "elles", "oros")
_NO_THE_PREFIXES = ("al-", "Al-", "Al ", "el-", "El-")


# --------------------------------------------------------------------------------------------
# the world: entities from khaldun's registries
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ent:
    """A registry entity as the generators use it: its id and country, and the forms written in text."""

    id: str
    forms: tuple[str, ...]
    kind: str
    country: str | None
    sector: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class City:
    name: str
    country: str
    country_name: str
    lat: float
    lon: float
    gazetteer_id: str


@dataclass(frozen=True)
class Regime:
    target: str
    target_name: str
    name: str
    instrument: str


@dataclass(frozen=True)
class World:
    """Everything the generators draw from, most frequently reported first in each list."""

    states: tuple[Ent, ...]
    groups: tuple[Ent, ...]
    people: tuple[Ent, ...]
    igos: tuple[Ent, ...]
    media: tuple[Ent, ...]
    systems: tuple[tuple[str, str], ...]  # (designation as written, category)
    generic: tuple[tuple[str, str], ...]  # (plural noun phrase, category)
    cities: tuple[City, ...]
    regimes: tuple[Regime, ...]


def _yaml(rel: str) -> Any:
    import yaml

    return yaml.safe_load((_DATA / rel).read_text(encoding="utf-8"))


def _state_form(name: str) -> str:
    if name.startswith(_THE_WORDS) or name.endswith(_THE_ENDINGS):
        return "the " + name
    return name


def _group_form(name: str) -> str:
    if name.startswith(_NO_THE_PREFIXES) or name.startswith("the ") or " " not in name:
        return name
    return "the " + name


def _ents(rel: str, kinds: tuple[str, ...] | None = None, form: Callable[[str], str] = str) -> list[Ent]:
    out = []
    for e in _yaml(rel)["entries"]:
        if kinds and e.get("kind") not in kinds:
            continue
        aliases = [a for a in (e.get("aliases") or []) if isinstance(a, str) and len(a) > 2][:1]
        forms = tuple(dict.fromkeys(form(x) for x in [e["name"], *aliases]))
        out.append(Ent(e["id"], forms, e.get("kind") or "unknown", e.get("country"), e.get("sector"), e["name"]))
    return out


def _plural(term: str, invariant: frozenset[str]) -> str:
    head = term.split()[-1]
    if head in invariant or head.endswith("s"):
        return term
    if head.endswith("y") and head[-2:-1] not in "aeiou":
        return term[:-1] + "ies"
    if head.endswith(("sh", "ch", "x")):
        return term + "es"
    return term + "s"


@lru_cache(maxsize=1)
def world() -> World:
    """The registries as the generators use them (read once; a second or so)."""
    curated = _ents("actors/states.yaml", form=_state_form)
    seen = {e.id for e in curated}
    with (_DATA / "actors" / "states.json").open(encoding="utf-8") as f:
        table = json.load(f)
    cols = table["columns"]
    rest = []
    for row in table["rows"]:
        r = dict(zip(cols, row, strict=True))
        if r["id"] not in seen and r.get("kind") == "state":
            rest.append(Ent(r["id"], (_state_form(r["name"]),), "state", r["country"], None, r["name"]))
    groups = _ents("actors/libya.yaml", ("armed_group", "organization"), _group_form) \
        + _ents("actors/institutions.yaml", form=_group_form)
    people = _ents("actors/people.yaml", ("person",))
    igos = _ents("actors/igos.yaml", form=lambda n: n if n.startswith("the ") else "the " + n)
    media = _ents("actors/media.yaml")
    systems = []
    for s in _yaml("materiel/known_systems.yaml")["systems"]:
        aliases = [a for a in s.get("aliases") or [] if isinstance(a, str)]
        if aliases and s.get("category") and not s.get("needs_context"):
            systems.append((aliases[0], s["category"]))
    gen = _yaml("materiel/generic.yaml")
    inv = frozenset(gen.get("invariant") or [])
    generic = [(_plural(t, inv), cat) for cat, terms in gen["categories"].items() for t in terms
               if isinstance(t, str) and t.islower() and len(t.split()) <= 3]
    countries: dict[str, str] = {}
    by_country: dict[str, list[tuple[int, City]]] = {}
    with (_DATA / "places" / "places.tsv").open(encoding="utf-8") as f:
        rows = csv.DictReader((ln for ln in f if not ln.startswith("#")), delimiter="\t")
        for r in rows:
            if r["kind"] == "country":
                countries[r["country"]] = r["name"]
            elif r["kind"] == "city" and r["lat"] and r["population"]:
                pop = int(r["population"])
                if pop >= 100_000 or (r["country"] in _CONFLICT and pop >= 20_000):
                    c = City(r["name"], r["country"], "", float(r["lat"]), float(r["lon"]), r["id"])
                    by_country.setdefault(r["country"], []).append((pop, c))
    cities: list[City] = []
    # conflict countries first (their 12 largest cities), then the rest of the world by population
    for cc in _CONFLICT:
        for _pop, c in sorted(by_country.get(cc, []), key=lambda x: -x[0])[:12]:
            cities.append(c)
    others = sorted((x for cc, xs in by_country.items() if cc not in _CONFLICT for x in xs), key=lambda x: -x[0])
    cities.extend(c for _pop, c in others)
    cities = [City(c.name, c.country, countries.get(c.country, c.country), c.lat, c.lon, c.gazetteer_id)
              for c in cities]
    regimes = [Regime(r["target"], _state_form(countries.get(r["target"], r["target"])), r["name"],
                      r["instrument"]) for r in _yaml("embargoes.yaml")["regimes"]
               if r.get("target") and not str(r.get("id", "")).endswith(("-1992", "-1998"))]
    return World(tuple(curated + rest), tuple(groups), tuple(people), tuple(igos), tuple(media),
                 tuple(systems), tuple(generic), tuple(cities), tuple(regimes))


class _Pick:
    """Zipf-like weighted choice over a list (rank r has weight 1/(r+1)^s): a few very common, a long tail."""

    def __init__(self, items: Sequence[T], s: float = 1.0) -> None:
        self.items = list(items)
        self.cum = list(accumulate(1.0 / (r + 1) ** s for r in range(len(self.items))))

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect_right(self.cum, rng.random() * self.cum[-1])]


@lru_cache(maxsize=1)
def _pickers() -> dict[str, _Pick]:
    w = world()
    return {
        "state": _Pick(w.states, 1.1), "group": _Pick(w.groups, 0.8), "person": _Pick(w.people, 0.9),
        "igo": _Pick(w.igos, 1.0), "media": _Pick(w.media, 0.7), "system": _Pick(w.systems, 0.6),
        "generic": _Pick(w.generic, 0.5), "city": _Pick(w.cities, 0.9),
    }


def _day(rng: random.Random, lo: date = _START, hi: date = _END) -> date:
    return lo + timedelta(days=rng.randrange((hi - lo).days + 1))


# --------------------------------------------------------------------------------------------
# generated articles (for ingest)
# --------------------------------------------------------------------------------------------

_NUMBERS = ["two", "three", "four", "five", "six", "eight", "10", "12", "dozens of", "several"]

# Each template is one sentence of a conflict news story; {A} {B} {C} are the story's actors (A acts,
# B is acted on or receives, C funds or mediates), {P} a named speaker, {G} the speaker's group,
# {I} an international body, {M} {M2} materiel, {L} {L2} places, {D} a date phrase, {N} a number.
_TEMPLATES = [
    "{A} delivered {M} to {B} in {L} {D}, {P} told {O}.",
    "{A} shipped {M} to {B} {D}, according to a confidential report by {I}.",
    "A cargo ship carrying {M} from {A} docked in {L} {D}, port officials said.",
    "{P}, a spokesman for {G}, said {A} had sent {M} and {M2} to {B}.",
    "{A} has supplied {B} with {M} since {Y}, {I} said in a report seen by {O}.",
    "{C} paid for the {M}, {P} added.",
    "{A} pledged {N} million dollars in humanitarian aid to {B} {D}.",
    "{A} forces shelled positions held by {B} near {L} {D}, killing {N} people, local officials said.",
    "Drones operated by {A} struck a convoy of {B} outside {L} {D}.",
    "{B} said its fighters shot down a drone belonging to {A} near {L}.",
    "An air strike on {L} {D} killed {N} civilians, {I} said.",
    "Fighting between {A} and {B} resumed south of {L} {D}.",
    "{P} accused {A} of arming {B} in violation of the arms embargo.",
    "{A} denied sending weapons to {B}, calling the reports fabricated.",
    "{B} rejected a proposal by {A} to hold talks in {L2}.",
    "{A} and {B} signed a military cooperation agreement in {L2} {D}.",
    "Officials from {A} met envoys of {B} in {L2} {D} to discuss a ceasefire.",
    "{P} travelled to {L2} {D} for talks with {C}.",
    "{A} threatened to strike {B} if its forces advanced on {L}.",
    "{A} imposed sanctions on {B} {D}, freezing the assets of its commanders.",
    "{A} arrested {N} members of {B} in {L} {D}.",
    "{A} deployed {N} troops and {M} to {L} {D}.",
    "Hundreds of people protested in {L} {D} against the role of {A} in the war.",
    "{B} withdrew from {L} {D} after weeks of fighting with {A}.",
    "{A} called on {B} to withdraw its forces from {L}.",
    "{C} said it supported the ceasefire brokered by {I} {D}.",
    "Flight-tracking data showed {N} cargo flights from {L2} landing in {L} over the past week.",
    "{P} told {O} that {M2} had been seen at an air base near {L}.",
    "{I} imposed an arms embargo on {X} in {Y2}.",
    "The reports could not be independently verified.",
    "{P} did not give further details.",
]
_HEADLINES = [
    "{A} sends {M} to {B}, {P} says",
    "Fighting flares near {L} as {A} presses {B}",
    "{P} accuses {A} of arming {B}",
    "{A} and {B} agree on talks in {L2}",
    "{I} report details {A} shipments to {B}",
    "{A} denies supplying {B}",
]


def _materiel_phrase(rng: random.Random, pick: dict[str, _Pick]) -> str:
    if rng.random() < 0.45:
        designation, category = pick["system"](rng)
        noun = {"uav": "drones", "air_defence": "air defence systems", "armoured_vehicles": "armoured vehicles",
                "aircraft": "aircraft", "ships": "vessels", "artillery": "artillery pieces",
                "missiles": "missiles"}.get(category, "")
        return f"{rng.choice(_NUMBERS)} {designation} {noun}".strip()
    term, _category = pick["generic"](rng)
    return f"{rng.choice(_NUMBERS)} {term}" if rng.random() < 0.5 else term


def _date_phrase(rng: random.Random, pub: date) -> tuple[str, date]:
    ev = pub - timedelta(days=rng.randrange(0, 21))
    r = rng.random()
    if r < 0.35:
        return f"on {ev.day} {_MONTHS[ev.month - 1]} {ev.year}", ev
    if r < 0.55 and (pub - ev).days < 7 and ev != pub:
        return f"on {_WEEKDAYS[ev.weekday()]}", ev
    if r < 0.7:
        return rng.choice(["last week", "earlier this month", "in recent days"]), ev
    if r < 0.85:
        return f"in {_MONTHS[ev.month - 1]}", ev
    return "", ev


def _actor_form(rng: random.Random, e: Ent) -> str:
    return rng.choice(e.forms)


def _cast(rng: random.Random, pick: dict[str, _Pick]) -> list[Ent]:
    """Three distinct actors for one story: states and groups, mostly one of each side."""
    out: list[Ent] = []
    while len(out) < 3:
        e = pick["state"](rng) if rng.random() < 0.55 else pick["group"](rng)
        if all(e.id != o.id for o in out):
            out.append(e)
    return out


def _article(rng: random.Random, i: int) -> dict[str, Any]:
    w, pick = world(), _pickers()
    pub = _day(rng, date(2012, 1, 1))
    outlet = pick["media"](rng)
    a, b, c = _cast(rng, pick)
    speaker = pick["person"](rng)
    affiliated = rng.choice([a, b, c])
    city, city2 = pick["city"](rng), pick["city"](rng)
    target = rng.choice(w.regimes)
    slots = {
        "A": lambda: _actor_form(rng, a), "B": lambda: _actor_form(rng, b), "C": lambda: _actor_form(rng, c),
        "P": lambda: rng.choice(speaker.forms), "G": lambda: _actor_form(rng, affiliated),
        "I": lambda: rng.choice(pick["igo"](rng).forms), "O": lambda: outlet.forms[0],
        "M": lambda: _materiel_phrase(rng, pick), "M2": lambda: _materiel_phrase(rng, pick),
        "L": lambda: city.name, "L2": lambda: city2.name, "D": lambda: _date_phrase(rng, pub)[0],
        "N": lambda: str(rng.choice([2, 3, 4, 5, 7, 9, 11, 14, 20, 35, 120])),
        "Y": lambda: str(rng.randrange(2011, pub.year + 1)),
        "Y2": lambda: str(rng.randrange(1992, 2019)),
        "X": lambda: target.target_name,
    }

    def fill(t: str) -> str:
        vals = {f: slots[f]() for _, f, _, _ in string.Formatter().parse(t) if f}
        s = t.format(**vals).replace(" ,", ",").replace(" .", ".").replace("  ", " ")
        return s[0].upper() + s[1:]

    n_sent = rng.randint(6, 10)
    sents = [fill(t) for t in rng.sample(_TEMPLATES, n_sent)]
    paras, k = [], 0
    while k < len(sents):
        step = rng.choice([1, 2, 2])
        paras.append(" ".join(sents[k:k + step]))
        k += step
    if rng.random() < 0.5:
        paras[0] = f"{city.name.upper()}, {city.country_name} ({outlet.forms[0]}) - {paras[0]}"
    title = fill(rng.choice(_HEADLINES))
    slug = hashlib.blake2b(f"{i}:{title}".encode(), digest_size=6).hexdigest()
    return {"title": title, "text": title + "\n\n" + "\n\n".join(paras), "outlet": outlet.name,
            "published": pub.isoformat(), "url": f"https://news.example/{pub.year}/{slug}", "language": "en"}


def generated_articles(n: int, seed: int = 11) -> list[dict[str, Any]]:
    """``n`` distinct news articles (JSON Lines objects: title, text, outlet, published, url, language).

    Each is its own story: three actors, a speaker, places, materiel and dates drawn from the
    registries, 6-10 sentences sampled from 31 templates of deliveries, strikes, accusations,
    denials, talks, sanctions and protests. Repeated texts are redrawn, so the texts are distinct.
    """
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    i = 0
    while len(out) < n:
        art = _article(rng, i)
        i += 1
        if art["text"] not in seen:
            seen.add(art["text"])
            out.append(art)
    return out


def write_articles(articles: Sequence[dict[str, Any]], directory: Path, per_file: int = 1000) -> list[Path]:
    """Write articles as JSON Lines files of ``per_file`` lines (each far under the reader's size cap)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(0, len(articles), per_file):
        p = directory / f"articles-{k // per_file:05d}.jsonl"
        with p.open("w", encoding="utf-8") as f:
            for a in articles[k:k + per_file]:
                f.write(json.dumps(a, ensure_ascii=False) + "\n")
        paths.append(p)
    return paths


# --------------------------------------------------------------------------------------------
# synthetic claims (for the query store): built from the models, no NLP
# --------------------------------------------------------------------------------------------

# event types by share of claims (assaults and accusations dominate conflict news)
_TYPES = [("ASSAULT", 24), ("ACCUSE", 11), ("CONSULT", 10), ("AID", 9), ("SUPPORT", 6), ("MOBILIZE", 6),
          ("COERCE", 6), ("THREATEN", 5), ("REJECT", 4), ("AGREE", 4), ("REQUEST", 4), ("PROTEST", 3),
          ("SANCTION", 3), ("COOPERATE", 2), ("RETREAT", 2), ("CONCEDE", 1)]
_TRIGGERS = {"ASSAULT": "shelled", "ACCUSE": "accused", "CONSULT": "met", "AID": "delivered", "SUPPORT": "backed",
             "MOBILIZE": "deployed", "COERCE": "arrested", "THREATEN": "threatened", "REJECT": "rejected",
             "AGREE": "agreed", "REQUEST": "called on", "PROTEST": "protested", "SANCTION": "sanctioned",
             "COOPERATE": "cooperated", "RETREAT": "withdrew", "CONCEDE": "released"}
_CATEGORY_OF_TYPE = {"AID": 0.7, "ASSAULT": 0.35, "MOBILIZE": 0.5}  # share of claims naming materiel


def _actor(e: Ent, rng: random.Random) -> Any:
    from .models import Actor

    return Actor(text=rng.choice(e.forms), id=e.id, name=e.name, kind=e.kind,  # type: ignore[arg-type]
                 country=e.country, sector=e.sector)


def _side(rng: random.Random, pick: dict[str, _Pick]) -> Ent:
    r = rng.random()
    return pick["state"](rng) if r < 0.5 else pick["group"](rng) if r < 0.9 else pick["person"](rng)


def synthetic_documents(n_claims: int, seed: int = 5, start: int = 0) -> Iterator[Any]:
    """Documents holding ``n_claims`` claims in all (1-9 a document, 5 on average), as the pipeline
    would produce them, built directly from :mod:`khaldun.models`.

    Actors and speakers come from the registries with skewed frequencies; 85% of claims have a
    date, 70% a place (mostly in conflict countries), 60% a speaker; military deliveries into an
    embargoed country carry an embargo finding. ``start`` numbers the documents (to continue a store).
    """
    from .models import (
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

    rng = random.Random(seed * 1_000_003 + start)
    w, pick = world(), _pickers()
    types = [t for t, _ in _TYPES]
    cum = list(accumulate(n for _, n in _TYPES))
    regimes = {r.target: r for r in w.regimes}
    made, di = 0, start
    while made < n_claims:
        pub = _day(rng, date(2011, 3, 1))
        outlet = pick["media"](rng)
        k_claims = min(rng.randint(1, 9), n_claims - made)
        doc_id = hashlib.sha256(f"khaldun-bench-document-{seed}-{di}".encode()).hexdigest()
        claims, sents, pos = [], [], 0
        for k in range(k_claims):
            etype = types[bisect_right(cum, rng.random() * cum[-1])]
            actors = [_actor(_side(rng, pick), rng)]
            if rng.random() < 0.1:
                actors.append(_actor(_side(rng, pick), rng))
            recipients = []
            if rng.random() < 0.75:
                other = _side(rng, pick)
                while other.id == actors[0].id:
                    other = _side(rng, pick)
                recipients.append(_actor(other, rng))
            funders = [_actor(pick["state"](rng), rng)] if etype == "AID" and rng.random() < 0.08 else []
            materiel = []
            if rng.random() < _CATEGORY_OF_TYPE.get(etype, 0.03):
                designation, cat = pick["system"](rng)
                materiel.append(Materiel(text=designation, category=cat, designation=designation,  # type: ignore[arg-type]
                                         quantity=rng.choice([None, 2, 6, 12])))
            loc = None
            if rng.random() < 0.7:
                c = pick["city"](rng)
                loc = Place(text=c.name, name=c.name, kind="city", country=c.country, lat=c.lat, lon=c.lon,
                            gazetteer_id=c.gazetteer_id)
            when = When()
            r = rng.random()
            if r < 0.75:
                d = pub - timedelta(days=rng.randrange(0, 15))
                when = When(text=f"on {d.day} {_MONTHS[d.month - 1]}", date=d.isoformat(), precision="day")
            elif r < 0.85:
                when = When(text=f"in {_MONTHS[pub.month - 1]}", date=pub.isoformat()[:7], precision="month")
            speaker = None
            if rng.random() < 0.6:
                speaker = _actor(pick["person"](rng) if rng.random() < 0.6 else
                                 pick["igo"](rng) if rng.random() < 0.5 else _side(rng, pick), rng)
            embargo = []
            target = (loc.country if loc else None) or (recipients[0].country if recipients else None)
            if etype in ("AID", "MOBILIZE") and materiel and target in regimes:
                reg = regimes[target]
                x = rng.random()
                status = "potential_violation" if x < 0.65 else "possibly_exempt" if x < 0.85 else "not_covered"
                embargo.append(Finding(regime=reg.name, instrument=reg.instrument, in_force=status != "not_covered",
                                       status=status, reason="generated finding"))  # type: ignore[arg-type]
            trig = _TRIGGERS[etype]
            sent = f"{actors[0].text} {trig} {recipients[0].text if recipients else 'positions'}" \
                   f"{' in ' + loc.text if loc else ''} {when.text or ''}".strip() + "."
            cid = hashlib.blake2b(f"{doc_id}:{k}".encode(), digest_size=8).hexdigest()
            claims.append(Claim(
                id=cid,
                event=Event(type=etype, trigger=trig, trigger_start=pos + len(actors[0].text) + 1,  # type: ignore[arg-type]
                            trigger_end=pos + len(actors[0].text) + 1 + len(trig),
                            aid_type="military" if etype == "AID" and materiel else None),
                actors=actors, recipients=recipients, funders=funders, materiel=materiel, location=loc,
                when=when,
                factuality=Factuality(certainty=rng.choice(["certain", "certain", "probable", "possible"]),  # type: ignore[arg-type]
                                      polarity="negative" if rng.random() < 0.05 else "positive"),
                attribution=Attribution(speaker=speaker, cue="said" if speaker else None,
                                        quote="indirect" if speaker else "none"),
                evidence=Evidence(text=sent, start=pos, end=pos + len(sent), sentence=k),
                embargo=embargo,
            ))
            sents.append(sent)
            pos += len(sent) + 1
            made += 1
        yield Document(id=doc_id, source=Source(outlet=outlet.name, published=pub.isoformat(), language="en",
                                                url=f"https://news.example/g/{doc_id[:16]}"),
                       title=claims[0].evidence.text[:60], text=" ".join(sents), claims=claims)
        di += 1


# --------------------------------------------------------------------------------------------
# measurements (each returns a flat dict of figures)
# --------------------------------------------------------------------------------------------


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def bench_ingest(n: int, workers: int = 1, batch_size: int = 8, directory: Path | None = None,
                 cluster: bool = True, seed: int = 11) -> dict[str, Any]:
    """Ingest ``n`` generated articles into a fresh SQLite store; throughput, then clustering of what was stored.

    Articles are written to JSON Lines first (not timed) so the figure is ingest alone: reading,
    hashing, analysis, and writing to SQLite. With ``cluster`` the stored documents are read back
    and clustered (:func:`khaldun.corpus.analyze_corpus`), timed apart.
    """
    from .store import Store
    from .store.runner import IngestOptions, run_ingest

    with tempfile.TemporaryDirectory(prefix="khaldun-bench-", dir=directory) as tmp:
        t = Path(tmp)
        t0 = time.perf_counter()
        paths = write_articles(generated_articles(n, seed), t / "in")
        gen_s = time.perf_counter() - t0
        words = sum(len(json.loads(ln)["text"].split()) for p in paths for ln in p.open(encoding="utf-8"))
        db = t / "ingest.db"
        with Store.open(str(db)) as store:
            rep = run_ingest(paths, store, IngestOptions(workers=workers, batch_size=batch_size),
                             command="khaldun bench --ingest")
            out: dict[str, Any] = {
                "articles": n, "words": words, "workers": workers, "batch_size": batch_size,
                "generate_s": round(gen_s, 2), "seconds": round(rep.seconds, 2), "added": rep.added,
                "claims": rep.claims, "errors": len(rep.errors),
                "docs_per_s": round(rep.added / rep.seconds, 2) if rep.seconds else None,
                "claims_per_s": round(rep.claims / rep.seconds, 1) if rep.seconds else None,
                "words_per_s": round(words / rep.seconds) if rep.seconds else None,
                "rss_mb": round(_rss_mb()), "workers_rss_mb": round(_children_rss_mb()) if workers > 1 else None,
                "db_mb": round(sum(f.stat().st_size for f in t.glob("ingest.db*")) / 2**20, 1),
            }
            if cluster:
                from .corpus import analyze_corpus

                t0 = time.perf_counter()
                docs = list(store.documents(per_appearance=True))  # as `khaldun clusters` reads them
                t1 = time.perf_counter()
                corpus = analyze_corpus(docs)
                t2 = time.perf_counter()
                counts = corpus.counts()
                out.update({
                    "cluster_read_s": round(t1 - t0, 2), "cluster_s": round(t2 - t1, 2),
                    "cluster_claims": counts["claims"], "clusters": counts["clusters"],
                    "multi_report_clusters": counts["multi_report_clusters"],
                    "syndicated_groups": counts["syndicated_groups"],
                    "cluster_claims_per_s": round(counts["claims"] / (t2 - t1), 1) if t2 > t1 else None,
                    "rss_after_cluster_mb": round(_rss_mb()),
                })
    return out


def bench_clusters_child(n: int) -> dict[str, Any]:
    """:func:`khaldun.corpus.bench_clusters` on ``n`` random claims, with this process's peak RSS."""
    from .corpus import bench_clusters

    res = bench_clusters(n)
    res["rss_mb"] = round(_rss_mb())
    return res


def build_query_store(url: str, n_claims: int, seed: int = 5, batch_claims: int = 10_000,
                      progress: Callable[[int], None] | None = None, cluster: bool = False) -> dict[str, Any]:
    """Fill the store at ``url`` with ``n_claims`` synthetic claims through :meth:`Store.add_documents`.

    A store that already holds at least ``n_claims`` claims is used as it is (so a large store
    can be built once and queried many times). Returns the claims written and claims/s. The
    store ends as a `khaldun ingest` run leaves it: with the planner statistics of
    :meth:`Store.optimize` (sampled, milliseconds), nothing more; its claims are queued for clustering
    but not clustered unless ``cluster`` (:func:`bench_stored_clusters` rebuilds them in one pass).
    """
    from .store import Store

    with Store.open(url) as store:
        have = store.counts()
        if have["claims"] >= n_claims:
            return {"claims": have["claims"], "documents": have["documents"], "built": False}
        t0 = time.perf_counter()
        made, batch, in_batch = have["claims"], [], 0
        start = have["documents"]
        for d in synthetic_documents(n_claims - made, seed, start=start):
            batch.append(d)
            in_batch += len(d.claims)
            if in_batch >= batch_claims:
                store.add_documents(batch, cluster=cluster)
                made += in_batch
                batch, in_batch = [], 0
                if progress:
                    progress(made)
        if batch:
            store.add_documents(batch, cluster=cluster)
            made += in_batch
        store.optimize()  # planner statistics, as the end of a `khaldun ingest` run refreshes them
        dt = time.perf_counter() - t0
        counts = store.counts()
    return {"claims": counts["claims"], "documents": counts["documents"], "claim_actors": counts["claim_actors"],
            "built": True, "build_s": round(dt, 1),
            "build_claims_per_s": round((counts["claims"] - have["claims"]) / dt) if dt else None}


QUERY_KINDS = ("actor", "type+dates", "embargo", "location", "speaker", "actor+type+dates")
CLUSTER_QUERY_KINDS = ("actor", "type+dates", "actor+type+dates", "embargo+regime", "place", "min_sources",
                       "by_id")


def recluster_child(url: str) -> dict[str, Any]:
    """`khaldun recluster` on the store at ``url``: seconds and this process's peak RSS."""
    from .store import Store

    with Store.open(url) as store:
        t0, c0 = time.perf_counter(), time.process_time()
        got = store.recluster()
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        counts = store.counts()
    return {**got, "recluster_s": round(dt, 1), "cpu_s": round(cpu, 1),
            "claims_per_s": round(got["claims"] / dt) if dt else None,
            "claims_per_cpu_s": round(got["claims"] / cpu) if cpu else None,
            "rss_mb": round(_rss_mb()), "clusters_stored": counts["clusters"], "queued": counts["cluster_queue"]}


def cluster_query_plan(n: int, ids: Sequence[str], seed: int = 29) -> list[tuple[str, dict[str, Any]]]:
    """``n`` queries of each kind in :data:`CLUSTER_QUERY_KINDS`, interleaved, as ``Store.query_clusters``
    keyword arguments (``by_id``: ``{"id": ...}`` for :meth:`Store.get_cluster`); values drawn as in
    :func:`query_plan` (half by frequency, half uniformly), date ranges of 90 days."""
    plan = query_plan(n, seed)
    rng = random.Random(seed)
    w = world()
    regimes = [r.name for r in w.regimes] or [None]
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for kind, kw in plan:
        by_kind.setdefault(kind, []).append(kw)
    out: list[tuple[str, dict[str, Any]]] = []
    for i in range(n):
        a = by_kind["actor"][i]
        td = by_kind["type+dates"][i]
        atd = by_kind["actor+type+dates"][i]
        out.append(("actor", {"actor": a["actor"]}))
        out.append(("type+dates", {"type": td["event_type"], "date_from": td["date_from"], "date_to": td["date_to"]}))
        out.append(("actor+type+dates", {"actor": atd["actor"], "type": atd["event_type"],
                                         "date_from": atd["date_from"], "date_to": atd["date_to"]}))
        out.append(("embargo+regime", {"embargo_status": "potential_violation", "regime": rng.choice(regimes)}))
        out.append(("place", {"place": by_kind["location"][i]["location_country"]}))
        out.append(("min_sources", {"min_sources": rng.choice([2, 3]), "type": td["event_type"]}))
        out.append(("by_id", {"id": rng.choice(list(ids)) if ids else "cl-none"}))
    return out


def cluster_queries_child(url: str, per_kind: int = 40, limit: int = 50) -> dict[str, Any]:
    """p50/p95 of stored-cluster queries (a page of ``limit`` and the total count), then `khaldun
    clusters`' stream of every cluster: its seconds and this process's peak RSS."""
    import sqlalchemy as sa

    from .store import Store
    from .store.queries import iter_clusters
    from .store.schema import ClusterRow

    cl = ClusterRow.__table__
    with Store.open(url, create=False) as store:
        with store.engine.connect() as conn:
            n = int(conn.execute(sa.select(sa.func.count()).select_from(cl)).scalar() or 0)
            step = max(1, n // 500)
            ids = [r for k, r in enumerate(conn.execute(sa.select(cl.c.id).order_by(cl.c.id)).scalars())
                   if k % step == 0]
        times: dict[str, list[float]] = {k: [] for k in CLUSTER_QUERY_KINDS}
        rows: dict[str, list[int]] = {k: [] for k in CLUSTER_QUERY_KINDS}
        for kind, kw in cluster_query_plan(2, ids, seed=97):  # warm-up
            store.get_cluster(kw["id"]) if kind == "by_id" else store.query_clusters(**kw, limit=limit)
        for kind, kw in cluster_query_plan(per_kind, ids):
            t0 = time.perf_counter()
            if kind == "by_id":
                got = 1 if store.get_cluster(kw["id"]) is not None else 0
            else:
                got = len(store.query_clusters(**kw, limit=limit)[0])
            times[kind].append((time.perf_counter() - t0) * 1000)
            rows[kind].append(got)
        rss_queries = round(_rss_mb())
        t0 = time.perf_counter()
        streamed = 0
        with store.engine.connect() as conn:
            for _ in iter_clusters(conn):
                streamed += 1
        stream_s = time.perf_counter() - t0
    every = [t for v in times.values() for t in v]
    kinds = {k: {"p50_ms": round(_pct(v, 0.5), 2), "p95_ms": round(_pct(v, 0.95), 2), "max_ms": round(max(v), 2),
                 "mean_rows": round(statistics.fmean(rows[k]), 1), "queries": len(v)} for k, v in times.items()}
    return {"clusters": n, "limit": limit, "per_kind": per_kind, "kinds": kinds,
            "p95_ms": round(_pct(every, 0.95), 2), "p50_ms": round(_pct(every, 0.5), 2),
            "rss_queries_mb": rss_queries, "stream_clusters": streamed, "stream_s": round(stream_s, 1),
            "rss_mb": round(_rss_mb())}


def bench_stored_clusters(n_claims: int, url: str | None = None, per_kind: int = 40, limit: int = 50,
                          directory: Path | None = None, seed: int = 5, in_child: bool = True) -> dict[str, Any]:
    """Stored clusters on ``n_claims`` synthetic claims: build the store (no NLP; reused when ``url``
    already holds them), rebuild its clusters (`khaldun recluster`) in a child process (time, peak RSS),
    then cluster query latency and the stream of all clusters in another (p50/p95, peak RSS)."""
    run: Callable[..., dict[str, Any]] = _in_child if in_child else (lambda name, **kw: globals()[name](**kw))
    tmp = None
    if url is None:
        tmp = tempfile.TemporaryDirectory(prefix="khaldun-bench-", dir=directory)
        url = str(Path(tmp.name) / "clusters.db")
    try:
        built = build_query_store(url, n_claims, seed)
        rec = run("recluster_child", url=url)
        qs = run("cluster_queries_child", url=url, per_kind=per_kind, limit=limit)
        from .store import Store

        with Store.open(url, create=False) as store:
            dialect = store.dialect
            size = None
            if dialect == "sqlite":
                db = Path(store.engine.url.database or "")
                size = round(sum(f.stat().st_size for f in db.parent.glob(db.name + "*")) / 2**20)
        return {**built, "dialect": dialect, "db_mb": size, "recluster": rec, "queries": qs}
    finally:
        if tmp is not None:
            tmp.cleanup()


def query_plan(n: int, seed: int = 23) -> list[tuple[str, dict[str, Any]]]:
    """``n`` queries of each kind in :data:`QUERY_KINDS`, interleaved, as ``(kind, Store.claims kwargs)``.

    Half the values are drawn with the frequencies of the generated data (the actors analysts ask
    about most are the most reported), half uniformly (the long tail, where an index must avoid
    a full scan). Date ranges are 90 days.
    """
    w, pick = world(), _pickers()
    rng = random.Random(seed)
    speakers = list(w.people) + list(w.igos)

    def either(weighted: Callable[[], Any], uniform: Callable[[], Any]) -> Any:
        return weighted() if rng.random() < 0.5 else uniform()

    def actor() -> str:
        return str(either(lambda: _side(rng, pick).id,
                          lambda: rng.choice(rng.choice([w.states, w.groups, w.people])).id))

    def window() -> dict[str, str]:
        d = _day(rng, date(2011, 3, 1))
        return {"date_from": d.isoformat(), "date_to": (d + timedelta(days=90)).isoformat()}

    def etype() -> str:
        return str(either(lambda: rng.choices([t for t, _ in _TYPES], [n for _, n in _TYPES])[0],
                          lambda: rng.choice(_TYPES)[0]))

    out: list[tuple[str, dict[str, Any]]] = []
    for _ in range(n):
        out.append(("actor", {"actor": actor()}))
        out.append(("type+dates", {"event_type": etype(), **window()}))
        out.append(("embargo", {"embargo_status": rng.choice(["potential_violation", "possibly_exempt",
                                                              "not_covered"])}))
        out.append(("location", {"location_country": either(lambda: pick["city"](rng).country,
                                                             lambda: rng.choice(w.cities).country)}))
        out.append(("speaker", {"speaker": either(lambda: pick["person"](rng).id,
                                                  lambda: rng.choice(speakers).id)}))
        out.append(("actor+type+dates", {"actor": actor(), "event_type": etype(), **window()}))
    return out


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def bench_queries(n_claims: int = 1_000_000, url: str | None = None, per_kind: int = 40, limit: int = 100,
                  directory: Path | None = None, seed: int = 5) -> dict[str, Any]:
    """Query latency on a store of ``n_claims`` synthetic claims (built first unless ``url`` holds them).

    Each query is ``list(Store.claims(**filters, limit=limit))``: the first page of results, as an
    analyst's screen or an export's first batch asks for, rebuilt as :class:`Claim` objects. Queries
    of all kinds are interleaved (so load on the machine spreads over every kind) after one warm-up
    round. ``url=None`` builds a temporary SQLite store and deletes it afterwards.
    """
    from .store import Store

    tmp = None
    if url is None:
        tmp = tempfile.TemporaryDirectory(prefix="khaldun-bench-", dir=directory)
        url = str(Path(tmp.name) / "claims.db")
    try:
        built = build_query_store(url, n_claims, seed)
        plan = query_plan(per_kind)
        times: dict[str, list[float]] = {k: [] for k in QUERY_KINDS}
        rows: dict[str, list[int]] = {k: [] for k in QUERY_KINDS}
        with Store.open(url) as store:
            for _kind, kw in query_plan(2, seed=99):  # warm-up: connections, statement caches
                list(store.claims(**kw, limit=limit))
            for kind, kw in plan:
                t0 = time.perf_counter()
                got = list(store.claims(**kw, limit=limit or None))
                times[kind].append((time.perf_counter() - t0) * 1000)
                rows[kind].append(len(got))
            size = None
            if store.dialect == "sqlite":
                db = Path(store.engine.url.database or "")
                size = round(sum(f.stat().st_size for f in db.parent.glob(db.name + "*")) / 2**20)
        kinds = {k: {"p50_ms": round(_pct(v, 0.5), 2), "p95_ms": round(_pct(v, 0.95), 2),
                     "max_ms": round(max(v), 2), "mean_rows": round(statistics.fmean(rows[k]), 1),
                     "queries": len(v)} for k, v in times.items()}
        return {**built, "limit": limit, "per_kind": per_kind, "db_mb": size, "rss_mb": round(_rss_mb()),
                "kinds": kinds}
    finally:
        if tmp is not None:
            tmp.cleanup()


# --------------------------------------------------------------------------------------------
# running the parts in child processes, and the report
# --------------------------------------------------------------------------------------------


def _child(name: str, kwargs: dict[str, Any], q: Any) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        q.put(("ok", globals()[name](**kwargs)))
    except BaseException as exc:  # noqa: BLE001  reported by the parent, which goes on with the other parts
        q.put(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))


def _in_child(name: str, **kwargs: Any) -> dict[str, Any]:
    """Run ``name(**kwargs)`` in a fresh spawned process (its peak RSS is its own); re-raise its error."""
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(name, kwargs, q))
    p.start()
    while True:
        try:
            status, res = q.get(timeout=2.0)
            break
        except queue.Empty:
            if not p.is_alive():  # killed (out of memory?) before it could report
                try:
                    status, res = q.get(timeout=2.0)
                    break
                except queue.Empty:
                    raise RuntimeError(f"{name}: the benchmark process died (exit code {p.exitcode})") from None
    p.join()
    if status != "ok":
        raise RuntimeError(f"{name} failed: {res}")
    return res


def _load() -> str:
    try:
        one, five, _ = os.getloadavg()
        return f"load average {one:.2f} / {five:.2f} (1 / 5 min) on {os.cpu_count()} CPUs"
    except OSError:
        return f"{os.cpu_count()} CPUs"


def run_corpus_bench(ingest: int | None = None, clusters: int | None = None, query_claims: int | None = None,
                     workers: int = 1, batch_size: int = 8, query_db: str | None = None, per_kind: int = 40,
                     limit: int = 100, directory: Path | None = None, in_child: bool = True,
                     emit: Callable[[str], None] | None = None, stored_clusters: int | None = None,
                     cluster_db: str | None = None) -> str:
    """The corpus figures asked for, as a text report ending with one JSON line of every figure.

    ``emit`` receives each line as soon as its part is measured (the whole run can take half an hour).
    """
    run: Callable[..., dict[str, Any]] = _in_child if in_child else (lambda name, **kw: globals()[name](**kw))
    results: dict[str, Any] = {}
    lines: list[str] = []

    def say(*new: str) -> None:
        for ln in new:
            lines.append(ln)
            if emit:
                emit(ln)

    say(f"khaldun bench (corpus): {_load()} at start")
    if ingest:
        r = run("bench_ingest", n=ingest, workers=workers, batch_size=batch_size, directory=directory)
        results["ingest"] = r
        say(f"ingest into SQLite: {r['added']} of {r['articles']} generated articles ({r['words']} words), "
            f"{r['workers']} worker(s), batch {r['batch_size']}: {r['seconds']:.1f} s",
            f"  {r['docs_per_s']:.2f} docs/s, {r['claims_per_s']:.1f} claims/s ({r['claims']} claims), "
            f"{r['words_per_s']} words/s; peak RSS {r['rss_mb']} MB"
            + (f" (writer), {r['workers_rss_mb']} MB (largest worker)" if r.get("workers_rss_mb") else "")
            + f"; store {r['db_mb']} MB; {r['errors']} error(s)")
        if "cluster_s" in r:
            say(f"  clustering the stored claims: {r['cluster_claims']} claims -> {r['clusters']} clusters "
                f"({r['multi_report_clusters']} with >1 report) in {r['cluster_s']:.2f} s "
                f"({r['cluster_claims_per_s']} claims/s; reading back {r['cluster_read_s']:.2f} s)")
        say(f"  {_load()}")
    if clusters:
        r = run("bench_clusters_child", n=clusters)
        results["clusters"] = r
        say(f"clustering {r['claims']} generated claims ({r['documents']} documents): {r['total_s']:.2f} s "
            f"(syndication {r['syndication_s']:.2f} s + clusters {r['clustering_s']:.2f} s), "
            f"{r['claims_per_s']} claims/s, {r['clusters']} clusters; peak RSS {r['rss_mb']} MB",
            f"  {_load()}")
    if stored_clusters:
        r = bench_stored_clusters(stored_clusters, cluster_db, per_kind=per_kind, directory=directory,
                                  in_child=in_child)
        results["stored_clusters"] = r
        rc, q = r["recluster"], r["queries"]
        how = (f"built in {r['build_s']:.0f} s ({r['build_claims_per_s']} claims/s)" if r.get("built")
               else "already built")
        say(f"stored clusters ({r['dialect']}): {r['claims']} claims / {r['documents']} documents, {how}",
            f"  recluster: {rc['clusters']} clusters in {rc['recluster_s']:.1f} s, {rc['cpu_s']:.1f} s CPU "
            f"({rc['claims_per_cpu_s']} claims per CPU second, "
            f"{rc['denials_linked']} denials linked); peak RSS {rc['rss_mb']} MB",
            f"  cluster queries ({q['limit']} per page + total, {q['per_kind']} per kind): p50 {q['p50_ms']:.1f} ms, "
            f"p95 {q['p95_ms']:.1f} ms; peak RSS {q['rss_queries_mb']} MB",
            f"  {'query':18}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'rows':>7}")
        for k, v in q["kinds"].items():
            say(f"  {k:18}{v['p50_ms']:>9.1f}{v['p95_ms']:>9.1f}{v['max_ms']:>9.1f}{v['mean_rows']:>7.0f}")
        say(f"  every cluster streamed (as `khaldun clusters`): {q['stream_clusters']} in {q['stream_s']:.1f} s; "
            f"peak RSS {q['rss_mb']} MB", f"  {_load()}")
    if query_claims:
        r = run("bench_queries", n_claims=query_claims, url=query_db, per_kind=per_kind, limit=limit,
                directory=directory)
        results["queries"] = r
        how = (f"built in {r['build_s']:.0f} s ({r['build_claims_per_s']} claims/s)" if r.get("built")
               else "already built")
        say(f"query latency: store of {r['claims']} claims / {r['documents']} documents "
            f"({r['db_mb']} MB), {how}; first {r['limit']} rows per query, "
            f"{r['per_kind']} queries per kind; peak RSS {r['rss_mb']} MB",
            f"  {'query':18}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'rows':>7}")
        for k, v in r["kinds"].items():
            say(f"  {k:18}{v['p50_ms']:>9.1f}{v['p95_ms']:>9.1f}{v['max_ms']:>9.1f}{v['mean_rows']:>7.0f}")
        say(f"  {_load()}")
    say(json.dumps(results))
    return "\n".join(lines)
