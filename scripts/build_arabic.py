"""Derive khaldun's Arabic data files from ../shared/refdata (run by hand; the outputs are committed).

    .venv/bin/python scripts/build_arabic.py [--refdata DIR]

Writes under khaldun/data/arabic/:
- states.tsv: ISO 3166 country names in Arabic -> ISO3 (pycountry's Arabic catalogue, LGPL-2.1; names only)
- up_actors.tsv: UniversalPETRARCH Arabic actor dictionary entries -> country, sector (MIT)
- up_agents.tsv: UniversalPETRARCH Arabic agent dictionary -> PLOVER/CAMEO sector (MIT)
- up_verbs.tsv: UniversalPETRARCH Arabic verb dictionary lemmas whose patterns agree on one PLOVER type (MIT)
Every output starts with a provenance line. Forms are stored normalized (khaldun.arabic.text.norm_key).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from khaldun.arabic.text import norm_key  # noqa: E402

OUT = ROOT / "khaldun" / "data" / "arabic"
CODE_RE = re.compile(r"\[([A-Z~]{3,})(?:\s+[^\]]*)?\]")
KEEP_TYPES = {"ASSAULT", "PROTEST", "COERCE", "ACCUSE", "THREATEN", "AID", "MOBILIZE", "REJECT", "SANCTION",
              "REQUEST", "RETREAT"}


def iso3(refdata: Path) -> set[str]:
    with (refdata / "pycountry_arabic" / "iso3166-1_ar.csv").open(encoding="utf-8") as fh:
        return {r["alpha_3"] for r in csv.DictReader(fh)}


def states(refdata: Path) -> None:
    rows = []
    with (refdata / "pycountry_arabic" / "iso3166-1_ar.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            for name in (r["name_ar"], r["official_name_ar"]):
                if name and re.search(r"[\u0600-\u06FF]", name):
                    rows.append((norm_key(name), r["alpha_3"]))
    with (OUT / "states.tsv").open("w", encoding="utf-8") as fh:
        fh.write("# provenance: pycountry 26.2.16 Arabic ISO 3166-1 catalogue (Debian iso-codes, LGPL-2.1), "
                 "names normalized by scripts/build_arabic.py\n# form\tISO3\n")
        for form, code in sorted(set(rows)):
            fh.write(f"{form}\t{code}\n")


def up_actors(refdata: Path, codes: set[str]) -> None:
    rows: dict[str, tuple[str, str]] = {}
    name = None
    for line in (refdata / "arabic_dictionaries" / "actor_dict_ar_v3.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = CODE_RE.search(line)
        head = CODE_RE.sub("", line).split("#")[0].strip()
        if head and not line.startswith(("\t", "  ")):
            name = head
        if m and name:
            code = m.group(1).lstrip("~")
            if code[:3] in codes and len(norm_key(name)) >= 3:
                rows.setdefault(norm_key(name), (code[:3], code[3:6]))
    with (OUT / "up_actors.tsv").open("w", encoding="utf-8") as fh:
        fh.write("# provenance: UniversalPETRARCH Arabic actor dictionary actor_dict_ar_v3.txt (MIT, (c) 2016 Open "
                 "Event Data Alliance), first code of each entry, derived by scripts/build_arabic.py\n"
                 "# form\tcountry\tsector\n")
        for form, (c, s) in sorted(rows.items()):
            fh.write(f"{form}\t{c}\t{s}\n")


def up_agents(refdata: Path) -> None:
    rows: dict[str, tuple[str, str]] = {}
    rx = re.compile(r"^(?P<en>[A-Z_!{} ]+?)\s*(?:\{\})?\s*\[~(?P<code>[A-Z]{3})\]\s*(?:#[^\u0600-\u06FF]*)?(?P<ar>.*)$")
    for line in (refdata / "arabic_dictionaries" / "agents.all.ar.txt").read_text(encoding="utf-8").splitlines():
        m = rx.match(line.strip())
        if not m:
            continue
        ar = norm_key(m.group("ar").strip())
        en = m.group("en").replace("!PERSON!", "").replace("_", " ").replace("{}", "").strip().lower()
        if ar and re.search(r"[\u0600-\u06FF]", ar) and len(ar) >= 3:
            rows.setdefault(ar, (m.group("code"), en))
    with (OUT / "up_agents.tsv").open("w", encoding="utf-8") as fh:
        fh.write("# provenance: UniversalPETRARCH Arabic agents dictionary agents.all.ar.txt (MIT, (c) 2016 Open "
                 "Event Data Alliance), derived by scripts/build_arabic.py\n# form\tsector\tenglish\n")
        for form, (c, en) in sorted(rows.items()):
            fh.write(f"{form}\t{c}\t{en}\n")


def cameo_plover(refdata: Path) -> dict[str, str]:
    out = {}
    for line in (refdata / "plover" / "CAMEO2PLOVER-2021.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\d{2,4}):\s*([A-Z]+)", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def up_verbs(refdata: Path) -> None:
    c2p = cameo_plover(refdata)
    text = (refdata / "arabic_dictionaries" / "CAMEO.ar.0.5.txt").read_text(encoding="utf-8")
    body = text.split("####### VERB PATTERNS #######", 1)[1]
    rows: dict[str, tuple[str, str]] = {}
    for block in re.split(r"\n---\s", body):
        lemmas: list[str] = []
        codes: Counter[str] = Counter()
        for line in block.splitlines()[1:]:
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            if s.startswith("-"):
                m = re.search(r"\[(\d{2,4})\]", s)
                if m:
                    code = m.group(1)
                    t = c2p.get(code) or c2p.get(code[:3]) or c2p.get(code[:2])
                    if t:
                        codes[t] += 1
                continue
            lemma = s.split("#")[0].strip()
            if lemma and "+" not in lemma and " " not in lemma:
                lemmas.append(norm_key(lemma))
        if not codes or not lemmas:
            continue
        t, n = codes.most_common(1)[0]
        if t in KEEP_TYPES and n >= 2 and n / sum(codes.values()) >= 0.7:
            for lem in lemmas:
                if len(lem) >= 3:
                    rows.setdefault(lem, (t, "UP"))
    with (OUT / "up_verbs.tsv").open("w", encoding="utf-8") as fh:
        fh.write("# provenance: UniversalPETRARCH Arabic verb dictionary CAMEO.ar.0.5.txt (MIT, (c) 2016 Open Event "
                 "Data Alliance); lemmas of blocks whose patterns agree (>= 70%) on one PLOVER type via "
                 "CAMEO2PLOVER-2021, derived by scripts/build_arabic.py\n# lemma\ttype\n")
        for form, (t, _) in sorted(rows.items()):
            fh.write(f"{form}\t{t}\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--refdata", type=Path, default=ROOT.parent / "shared" / "refdata")
    a = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    codes = iso3(a.refdata)
    states(a.refdata)
    up_actors(a.refdata, codes)
    up_agents(a.refdata)
    up_verbs(a.refdata)


if __name__ == "__main__":
    main()
