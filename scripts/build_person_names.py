"""Derive khaldun/data/lexicon/person_names.txt: word forms used in people's names.

Source: the Wikidata English->Arabic person-name transliteration dictionary of Merhav & Ash (COLING 2018,
github.com/steveash/NETransliteration-COLING2018, data CC0 1.0), as kept in
../shared/refdata/translit_netransliteration_wikidata_ar. Only the Latin name tokens seen in at least
MIN_COUNT names are kept, minus English stop words and the head nouns of khaldun's own lexicon (a
"Council" is no one's name). Run: python scripts/build_person_names.py [REFDATA_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "khaldun" / "data" / "lexicon" / "person_names.txt"
MIN_COUNT = 5


def main() -> int:
    ref = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "refdata"
    src = ref / "translit_netransliteration_wikidata_ar" / "wd_arabic.normalized.aligned.tokens"
    if not src.is_file():
        print(f"{src}: not found (pass the refdata directory)", file=sys.stderr)
        return 2
    from spacy.lang.en.stop_words import STOP_WORDS

    sys.path.insert(0, str(ROOT))
    from khaldun.mentions import _heads

    heads = set().union(*_heads().values())
    keep: set[str] = set()
    for line in src.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) != 3 or not cols[2].isdigit() or int(cols[2]) < MIN_COUNT:
            continue
        w = cols[0].strip().lower()
        if len(w) >= 3 and w.isalpha() and w.isascii() and w not in STOP_WORDS and w not in heads:
            keep.add(w)
    head = ("# Word forms of people's names (lower case, one a line), read by khaldun/nlp_ents.py.\n"
            "# source: Wikidata person-name transliteration dictionary, Merhav & Ash, COLING 2018 "
            "(github.com/steveash/NETransliteration-COLING2018, data CC0 1.0); tokens seen in >= "
            f"{MIN_COUNT} names, minus English stop words and khaldun's head nouns; built by "
            "scripts/build_person_names.py\n")
    OUT.write_text(head + "\n".join(sorted(keep)) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(keep)} names")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
