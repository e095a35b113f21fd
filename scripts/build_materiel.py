#!/usr/bin/env python3
"""Build khaldun/data/materiel/designations.tsv from the shared reference data.

Why a generated file: the runtime must not read ../shared, and the two upstream tables need
normalising (aliases, name variants, SIPRI categories mapped to khaldun's materiel categories)
before they are useful to an Aho-Corasick matcher. Hand-curated systems live in
khaldun/data/materiel/known_systems.yaml and override this file at run time.

Inputs (read-only):
- refdata/weapon_taxonomies/weapon_systems_seed.csv (CC0 seed list; SIPRI-derived fields (c) SIPRI):
  canonical names, aliases and types.
- refdata/sipri_trade_register_2000_2024/sipri_designation_index.csv ((c) SIPRI, reference only):
  ONLY the designation name and its SIPRI category/description are used, to assign one of our
  categories. No supplier, recipient, date or trade row is copied.

Output: one line per alias: alias, designation, category, level, source. ``level`` says how the
matcher treats the alias: ``case`` (case-sensitive), ``context`` (case-sensitive and only when a
generic materiel noun or "-class"/"system" follows: single common-word names such as "Knox"), ``nocase``.

Usage: .venv/bin/python scripts/build_materiel.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "khaldun" / "data" / "materiel" / "designations.tsv"

# SIPRI descriptions that move a designation out of its SIPRI category into a finer khaldun one.
_MISSILE_DESC_TO_CATEGORY: tuple[tuple[str, str], ...] = (
    ("torpedo", "naval_weapons"),
    ("naval mine", "naval_weapons"),
    ("loitering munition", "uav"),
    ("guided shell", "ammunition"),
    ("portable sam", "air_defence"),
    ("abm", "air_defence"),
    ("sam", "air_defence"),
)
_SIPRI_CATEGORY = {
    "Aircraft": "aircraft",
    "Air defence systems": "air_defence",
    "Armoured vehicles": "armoured_vehicles",
    "Artillery": "artillery",
    "Missiles": "missiles",
    "Naval weapons": "naval_weapons",
    "Other": "other",
    "Sensors": "sensors",
    "Ships": "ships",
}
_SKIP_SIPRI = {"Engines", "Satellites"}
_CALIBRE = re.compile(r"\s+\d+(?:\.\d+)?mm$")
_TRAILING_DASH = re.compile(r"\s+-+$")
# "MiG-29S" -> family "MiG-29"; "T-72B" -> "T-72"; "Mi-24V" -> "Mi-24" (suffix of 1-3 letters, opt. digit)
_FAMILY = re.compile(r"^([A-Z][A-Za-z]{0,3}-\d{1,4})([A-Za-z]{1,3}\d?)$")
# "MiG-29" -> "MiG 29", "MiG29" (press spellings) when the prefix has two or more letters
_LETTER_DIGIT = re.compile(r"^([A-Za-z]{2,4})-(\d{1,4}[A-Za-z0-9]*)$")
# a SIPRI name that carries its own type word is unambiguous even without digits ("Heron UAV")
_TYPE_WORDS = {
    "UAV", "UCAV", "APC", "APV", "IFV", "SAMS", "SAM", "MRL", "OPV", "FAC", "ATM", "ARV", "AEV",
    "MCM", "TEL", "CDS", "AD", "MI", "SH", "PC", "RWS", "MRAP",
}


def sipri_category(category: str, description: str) -> str | None:
    """Map a SIPRI armament category + description to a khaldun materiel category (None = skip)."""
    category = category.split("|")[0].strip()
    description = description.split("|")[0].strip().lower()
    if category in _SKIP_SIPRI:
        return None
    if category == "Aircraft":
        return "uav" if "uav" in description else "aircraft"
    if category == "Missiles":
        for key, value in _MISSILE_DESC_TO_CATEGORY:
            if key in description:
                return value
        return "missiles"
    if category == "Other" and "sam" in description:
        return "air_defence"
    if category == "Sensors" and "coastal defence" in description:
        return "missiles"
    return _SIPRI_CATEGORY.get(category)


def seed_category(type_: str) -> str:
    """Map the seed list's free-text `type` to a khaldun materiel category."""
    t = type_.lower()
    if "uav" in t or "ucav" in t:
        return "uav"
    if "anti-tank" in t:
        return "missiles"
    if any(k in t for k in ("sam", "anti-aircraft", "manpads", " ad system", "air defence")):
        return "air_defence"
    if "rocket launcher" in t or "mrl" in t or "artillery" in t:
        return "artillery"
    if any(k in t for k in ("apc", "mrap", "apv", "armoured")):
        return "armoured_vehicles"
    if "electronic warfare" in t or "radar" in t:
        return "sensors"
    if any(k in t for k in ("aircraft", "helicopter", "bomber", "fighter")):
        return "aircraft"
    return "other"


def level_for(alias: str, source: str = "sipri") -> str:
    """How ambiguous an alias is: digits or a type word make it safe; bare words need context.

    Seed names were chosen for their relevance, so only their single plain words need context;
    SIPRI's 2,300 names include ship classes called "Austin", "Knox" or "Abu Dhabi".
    """
    if re.search(r"[\u0600-\u06ff]", alias):
        return "nocase"
    words = alias.split()
    if re.fullmatch(r"[A-Z]-\d", alias) and source != "seed":  # "G-5" is also the G5 Sahel
        return "context"
    if any(ch.isdigit() for ch in alias):
        return "case"
    if source == "seed":
        return "context" if len(words) == 1 and not alias.isupper() else "case"
    if any(w in _TYPE_WORDS for w in words[1:]):
        return "case"
    # all-capital words ("SMART", "FLASH", "ARTHUR") are ordinary words in capitalised headlines
    if "-" in alias and not re.match(r"(?i)al-", alias):  # "Igla-S", "Tor-M", not "Al-Jawad"
        return "case"
    return "context"


def variants(name: str) -> list[str]:
    """Press spellings of a designation: calibre dropped, hyphen/space/none between letters and digits."""
    if " / " in name:
        return [v for part in name.split(" / ") for v in variants(part)]
    out: list[str] = []
    base = _CALIBRE.sub("", _TRAILING_DASH.sub("", name.strip()))
    for cand in (name.strip(), base):
        if cand and cand not in out:
            out.append(cand)
    if base.endswith(" SAMS"):
        out.append(base[: -len(" SAMS")])
    for cand in list(out):
        m = _LETTER_DIGIT.match(cand)
        if m:
            letters, number = m.group(1), m.group(2)
            digits = len(re.match(r"\d*", number).group(0))
            forms = [f"{letters} {number}", f"{letters}{number}"] if digits >= 2 else (
                [f"{letters}{number}"] if not letters.isupper() else [])  # "Mi8", not "SH 2"
            for v in forms:
                if v not in out:
                    out.append(v)
    return out


def family(name: str) -> str | None:
    """The family designation of a variant ("MiG-29S" -> "MiG-29"), else None."""
    base = _CALIBRE.sub("", _TRAILING_DASH.sub("", name.strip()))
    m = _FAMILY.match(base)
    return m.group(1) if m else None


def build(shared: Path) -> list[tuple[str, str, str, str, str]]:
    """Rows (alias, designation, category, level, source); seed rows first, then SIPRI; an alias once."""
    rows: list[tuple[str, str, str, str, str]] = []
    seen_alias: set[str] = set()

    def add(designation: str, category: str, source: str, aliases: list[str]) -> None:
        for alias in aliases:
            for v in variants(alias):
                if v.lower() not in seen_alias and len(v) >= 2:
                    seen_alias.add(v.lower())
                    rows.append((v, designation, category, level_for(v, source), source))

    seed = shared / "refdata" / "weapon_taxonomies" / "weapon_systems_seed.csv"
    with seed.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            aliases = [r["canonical_name"]] + [a for a in r["aliases"].split("|") if a.strip()]
            add(r["canonical_name"], seed_category(r["type"]), "seed", aliases)

    index = shared / "refdata" / "sipri_trade_register_2000_2024" / "sipri_designation_index.csv"
    families: dict[str, str] = {}
    with index.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            cat = sipri_category(r["sipri_armament_category"], r["description"])
            if cat is None:
                continue
            name = r["designation_normalized"].strip() or r["designation"].strip()
            if re.match(r"^[a-z]", name):  # generic placeholders ("aircraft engine 1001-2000")
                continue
            add(name, cat, "sipri", [name])
            fam = family(name)
            if fam:
                families.setdefault(fam, cat)
    for fam, cat in sorted(families.items()):
        add(fam, cat, "sipri-family", [fam])
    return rows


HEADER = """\
# khaldun materiel designations (generated by scripts/build_materiel.py; do not edit by hand)
# Sources:
#   weapon_systems_seed.csv (shared/refdata/weapon_taxonomies): canonical names, aliases, types; CC0
#     seed list, its SIPRI-derived fields (c) SIPRI.
#   sipri_designation_index.csv (shared/refdata/sipri_trade_register_2000_2024): designation NAMES and
#     armament categories only, mapped to khaldun categories. Source: SIPRI Arms Transfers Database
#     (c) SIPRI, https://www.sipri.org/databases/armstransfers. No trade rows are included.
#   source=sipri-family: family names derived from SIPRI variant names (MiG-29S -> MiG-29).
# Columns: alias, designation, category, level (case|context|nocase), source
"""


def main(argv: list[str] | None = None) -> int:
    """Write the TSV; exit 1 when the shared reference data is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args(argv)
    if not (args.shared / "refdata").is_dir():
        print(f"no reference data under {args.shared}", file=sys.stderr)
        return 1
    rows = build(args.shared)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER)
        for row in rows:
            fh.write("\t".join(row) + "\n")
    print(f"wrote {len(rows)} aliases of {len({r[1] for r in rows})} designations to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
