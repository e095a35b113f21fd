"""Materiel: find weapons, platforms and armed personnel named in a text.

Two lexicons, matched with Aho-Corasick automatons on word boundaries:

- generic nouns (``data/materiel/generic.yaml``): "air defence systems", "drones", "APCs",
  "mercenaries", expanded at load time into plurals and US/UK/hyphen spellings and matched
  case-insensitively (acronyms such as "SAM" or "UAV" case-sensitively);
- designations (``data/materiel/known_systems.yaml``, hand-curated, and the generated
  ``data/materiel/designations.tsv`` from the shared seed list and SIPRI designation names):
  "Bayraktar TB2", "Pantsir", "Grad", "MiG-29", matched case-sensitively. A name that is also an
  ordinary word ("Cobra", "Knox", "Patriot") counts only when a materiel noun, "-class" or
  "system(s)" follows it ("Patriot batteries").

The longest non-overlapping matches win; a designation directly followed by a generic noun is
merged into one mention ("Bayraktar TB2 drones": uav, designation "Bayraktar TB2"). A number word
or numeral in front gives the quantity ("six drones" -> 6, "12 tanks" -> 12); vague amounts
("several", "dozens of") give ``None``.

Some nouns are materiel only in an arms context ("pickup trucks", "Syrian fighters", "equipment");
`find_materiel` returns them unless ``contextual=False`` and `needs_context` tells them apart,
so the caller decides with the event it is coding.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import ahocorasick
import yaml

from khaldun.lexicon import table, words
from khaldun.models import Materiel, MaterielCategory

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster

__all__ = ["find_materiel", "materiel_lexicon_terms", "match_materiel", "needs_context", "MaterielMatch"]

_CATEGORIES: frozenset[str] = frozenset(MaterielCategory.__args__)  # type: ignore[attr-defined]
_DATA = Path(__file__).resolve().parent / "data" / "materiel"

# the word classes and tables of data/lexicon/materiel.yaml (spellings, hyphenable compounds, count words)
_LEXICON_FILE = Path(__file__).resolve().parent / "data" / "lexicon" / "materiel.yaml"
_SPELLINGS: dict[str, str] = table("materiel", "spellings")
_HYPHENABLE = words("materiel", "hyphenable")
_IRREGULAR_PLURALS: dict[str, str] = table("materiel", "irregular_plurals")


def _alternation(ws: frozenset[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(ws, key=lambda w: (-len(w), w)))


# words after a designation that make it a type mention without being a materiel noun
_HEAD_WORDS = re.compile(r"[ -]?(?:" + _alternation(words("materiel", "head_words")) + r")\b", re.IGNORECASE)
_GAP_WORDS = _alternation(words("materiel", "gap_words"))
_CLASS_GAP = re.compile(r"[ -]*(?:(?:" + _GAP_WORDS + r")[ -]+)?", re.IGNORECASE)
_GAP = re.compile(r"^(?:[ -]|[ -](?:" + _GAP_WORDS + r")[ -])$", re.IGNORECASE)
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_AR_PREFIXES = "وبلفك"
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"} | {
    "\u2019": "'", "\u2018": "'", "\u00a0": " ", "\t": " ", "\n": " ", "\r": " ", "\u202f": " ",
})


@dataclass(frozen=True)
class _Entry:
    """One lexicon entry behind an automaton key."""

    category: str
    designation: str | None = None
    needs_context: bool = False  # materiel only in an arms context (pickup trucks, "Syrian fighters")
    requires_head: bool = False  # ambiguous name: only with a following materiel noun ("Cobra APCs")
    not_after: frozenset[str] = frozenset()
    rank: int = 0  # lower wins on identical spans: curated < seed < SIPRI
    # other readings of the same ambiguous name ("Typhoon" jets vs "Typhoon" APCs), chosen by the noun after it
    alternatives: tuple[_Entry, ...] = ()


@dataclass(frozen=True)
class MaterielMatch:
    """A materiel mention plus what the contract model has no field for."""

    materiel: Materiel
    needs_context: bool


@dataclass(frozen=True)
class _Lexicon:
    nocase: Any  # ahocorasick.Automaton over the lower-cased text
    case: Any  # ahocorasick.Automaton over the text as written
    entries: tuple[_Entry, ...]
    blocked_followers: frozenset[str]
    terms: dict[str, str]


# --------------------------------------------------------------------------- loading


def _read_text(name: str) -> str:
    return (_DATA / name).read_text(encoding="utf-8")


def _pluralise(term: str, invariant: frozenset[str]) -> list[str]:
    """Plural forms of a term (its last word); none for invariant heads."""
    head = re.split(r"[ -]", term)[-1]
    if head.lower() in invariant or head in invariant:
        return []
    stem = term[: len(term) - len(head)]
    if head.lower() in _IRREGULAR_PLURALS:
        plural = _IRREGULAR_PLURALS[head.lower()]
    elif head.isupper():
        plural = head + "s"
    elif re.search(r"[^aeiou]y$", head):
        plural = head[:-1] + "ies"
    elif re.search(r"(s|x|z|ch|sh)$", head):
        plural = head + "es"
    else:
        plural = head + "s"
    return [stem + plural] if plural != head else []


def _spelling_variants(term: str) -> set[str]:
    """UK/US spellings, hyphen/space/closed forms of a generic term."""
    forms = {term}
    uk, us = term, term
    for a, b in _SPELLINGS.items():
        uk, us = uk.replace(b, a), us.replace(a, b)
    forms |= {uk, us}
    for form in list(forms):
        if "-" in form:
            forms.add(form.replace("-", " "))
            forms.add(re.sub(r"\banti-", "anti", form))
            forms.add(form.replace("pick-up", "pickup"))
    for form in list(forms):
        for compound in _HYPHENABLE:
            if compound in form:
                forms.add(form.replace(compound, compound.replace(" ", "-")))
    return forms


def _arabic_forms(term: str) -> set[str]:
    """An Arabic term and its definite form (article on every word not yet carrying it)."""
    definite = " ".join(w if w.startswith("ال") else "ال" + w for w in term.split())
    return {term, definite}


def _generic_entries(doc: dict[str, Any]) -> list[tuple[str, _Entry, bool]]:
    """(surface form, entry, case_sensitive) for every generic lexicon form."""
    invariant = frozenset(w.lower() for w in doc.get("invariant", [])) | frozenset(doc.get("invariant", []))
    out: list[tuple[str, _Entry, bool]] = []
    for category, items in doc["categories"].items():
        if category not in _CATEGORIES:
            raise ValueError(f"generic.yaml: unknown category {category!r}")
        for item in items:
            if isinstance(item, dict) and "nationality_fighters" in item:
                specs = [{"term": f"{nat} fighter", "context": True} for nat in item["nationality_fighters"]]
            elif isinstance(item, dict):
                specs = [item]
            else:
                specs = [{"term": str(item)}]
            for spec in specs:
                term = str(spec["term"])
                entry = _Entry(
                    category=category,
                    needs_context=bool(spec.get("context", False)),
                    not_after=frozenset(w.lower() for w in spec.get("not_after", [])),
                )
                base = [term] + (_pluralise(term, invariant) if spec.get("plural", True) else [])
                case_sensitive = any(ch.isupper() for ch in term) and term.upper() == term
                for b in base:
                    for form in _spelling_variants(b):
                        out.append((form, entry, case_sensitive))
    for category, items in (doc.get("arabic") or {}).items():
        for term in items:
            for form in _arabic_forms(str(term)):
                out.append((form, _Entry(category=category), False))
    return out


def _designation_plurals(alias: str) -> list[str]:
    """'Grad' -> 'Grads', 'TB2' -> 'TB2s'; none for names already ending in s or non-Latin ones."""
    if _ARABIC.search(alias) or not alias[-1].isalnum() or alias[-1] in "sS":
        return []
    return [alias + "s"]


def _designation_entries() -> list[tuple[str, _Entry, str]]:
    """(alias, entry, level) for curated systems first, then the generated table."""
    out: list[tuple[str, _Entry, str]] = []
    doc = yaml.load(_read_text("known_systems.yaml"), Loader=_Loader)
    for sys_ in doc["systems"]:
        category = sys_["category"]
        if category not in _CATEGORIES:
            raise ValueError(f"known_systems.yaml: unknown category {category!r}")
        for alias in sys_["aliases"]:
            name, level = (alias["alias"], alias.get("level", "case")) if isinstance(alias, dict) else (alias, "case")
            entry = _Entry(
                category=category,
                designation=sys_["designation"],
                needs_context=bool(sys_.get("needs_context", False)),
                requires_head=level == "context",
                rank=0,
            )
            out.append((str(name), entry, level))
    rows = csv.reader((ln for ln in _read_text("designations.tsv").splitlines() if ln and not ln.startswith("#")),
                      delimiter="\t")
    for alias, designation, category, level, source in rows:
        entry = _Entry(category=category, designation=designation, requires_head=level == "context",
                       rank=1 if source == "seed" else 2)
        out.append((alias, entry, level))
    return out


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    """Both automatons, once per process: from the user disk cache (:mod:`khaldun.cache`) while the data
    files and this module are unchanged, else built (about 15k keys, a fraction of a second)."""
    from .cache import cached

    files = [*sorted(f for f in _DATA.iterdir() if f.is_file()), _LEXICON_FILE, Path(__file__)]
    return cached("materiel", files, _build_lexicon)


def _build_lexicon() -> _Lexicon:
    generic_doc = yaml.load(_read_text("generic.yaml"), Loader=_Loader)
    entries: list[_Entry] = []
    nocase: dict[str, int] = {}
    case: dict[str, int] = {}
    terms: dict[str, str] = {}

    def add(table: dict[str, int], key: str, entry: _Entry) -> None:
        if len(key) < 2 or key.isdigit():
            return
        if key in table:
            first = entries[table[key]]
            if (first.requires_head and entry.requires_head and first.designation and entry.designation
                    and first.category != entry.category and entry.rank == 0):
                entries[table[key]] = replace(first, alternatives=(*first.alternatives, entry))
            return
        table[key] = len(entries)
        entries.append(entry)

    for form, entry, case_sensitive in _generic_entries(generic_doc):
        terms.setdefault(form.lower(), entry.category)
        if case_sensitive:
            add(case, form, entry)
        else:
            add(nocase, _lower(form), entry)
    for alias, entry, level in _designation_entries():
        for form in [alias, *_designation_plurals(alias)]:
            if level == "nocase":
                add(nocase, _lower(form), entry)
            else:
                add(case, form, entry)

    def automaton(table: dict[str, int]) -> Any:
        auto = ahocorasick.Automaton()
        for key, idx in table.items():
            auto.add_word(key, (len(key), idx))
        auto.make_automaton()
        return auto

    blocked = frozenset(w.lower() for w in generic_doc.get("blocked_followers", []))
    return _Lexicon(automaton(nocase), automaton(case), tuple(entries), blocked, terms)


# --------------------------------------------------------------------------- matching


def _lower(text: str) -> str:
    """Lower-case without changing the length (so offsets stay valid)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


_BEFORE = re.compile(r"([\w'-]+)[ ]+$")
_AFTER = re.compile(r"[ -]+(\w+)")


def _word_before(text: str, start: int) -> str:
    m = _BEFORE.search(text, max(0, start - 40), start)
    return m.group(1).lower() if m else ""


def _word_after(text: str, end: int) -> str:
    m = _AFTER.match(text, end, end + 40)
    return m.group(1).lower() if m else ""


def _left_ok(text: str, start: int) -> bool:
    if start == 0:
        return True
    prev = text[start - 1]
    if prev.isalnum():
        # Arabic one-letter proclitics (و ب ل ف ك) attach to the word they precede
        return (_ARABIC.match(text[start]) is not None and prev in _AR_PREFIXES
                and (start == 1 or not text[start - 2].isalnum()))
    if prev == "-" and start >= 2 and text[start - 2].isalnum():
        return False  # "anti-tank": not the noun "tank"
    return True


def _right_ok(text: str, end: int) -> bool:
    return end >= len(text) or not text[end].isalnum()


@dataclass
class _Cand:
    start: int
    end: int
    entry: _Entry


def _candidates(text: str, lex: _Lexicon) -> list[_Cand]:
    """Every lexicon hit that sits on word boundaries and passes the follower/preceder rules."""
    cands: list[_Cand] = []
    for source, auto in ((_lower(text), lex.nocase), (text, lex.case)):
        if len(auto) == 0:
            continue
        for end_idx, (length, idx) in auto.iter(source):
            start, end = end_idx - length + 1, end_idx + 1
            if not (_left_ok(text, start) and _right_ok(text, end)):
                continue
            entry = lex.entries[idx]
            if _word_after(text, end) in lex.blocked_followers:
                continue
            if entry.not_after and _word_before(text, start) in entry.not_after:
                continue
            cands.append(_Cand(start, end, entry))
    generic_starts = {c.start for c in cands if c.entry.designation is None}
    kept = []
    for c in cands:
        if c.entry.requires_head:
            nxt = _CLASS_GAP.match(text, c.end).end()  # type: ignore[union-attr]
            if nxt not in generic_starts and not _HEAD_WORDS.match(text, c.end):
                continue
        kept.append(c)
    return kept


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Longest first, then designation before generic, then curated before SIPRI; no overlaps."""
    chosen: list[_Cand] = []
    taken = bytearray(max((c.end for c in cands), default=0))
    order = sorted(cands, key=lambda c: (-(c.end - c.start), c.entry.designation is None, c.entry.rank, c.start))
    for c in order:
        if any(taken[c.start:c.end]):
            continue
        chosen.append(c)
        taken[c.start:c.end] = b"\x01" * (c.end - c.start)
    return sorted(chosen, key=lambda c: c.start)


def _merge(text: str, chosen: list[_Cand]) -> list[tuple[int, int, _Entry, bool]]:
    """Join a designation with the materiel noun after it; extend it over 'system(s)' and the like."""
    out: list[tuple[int, int, _Entry, bool]] = []
    i = 0
    while i < len(chosen):
        c = chosen[i]
        start, end, entry, ctx = c.start, c.end, c.entry, c.entry.needs_context
        if entry.designation is not None:
            while i + 1 < len(chosen):
                nxt = chosen[i + 1]
                gap = text[end:nxt.start]
                if nxt.entry.designation is None and _GAP.match(gap):
                    end = nxt.end
                    if entry.alternatives and nxt.entry.category != entry.category:
                        entry = next((a for a in entry.alternatives if a.category == nxt.entry.category), entry)
                    if nxt.entry.category == "ammunition":  # "ZU-23 shells": ammunition for that system
                        entry = replace(entry, category="ammunition")
                    i += 1
                    continue
                break
            head = _HEAD_WORDS.match(text, end)
            if head and (i + 1 >= len(chosen) or chosen[i + 1].start >= head.end()):
                end = head.end()
        out.append((start, end, entry, ctx))
        i += 1
    return out


# --------------------------------------------------------------------------- quantity

_UNITS: dict[str, int] = table("materiel", "units")
_SCALES: dict[str, int] = table("materiel", "scales")
_IDIOMS = {tuple(k.split()): v for k, v in table("materiel", "number_idioms").items()}
_VAGUE = words("materiel", "vague_amounts")
_SKIPPABLE = words("materiel", "skippable")
_YEAR_PREPS = words("materiel", "year_words")
_FILLERS = words("materiel", "number_fillers")
_LINKS = words("materiel", "number_links")
_LEADING = words("materiel", "number_leading")
_COLLECTIVE = words("materiel", "collective_counts")
_ORIGIN = re.compile(r"-(?:" + _alternation(words("materiel", "origin_participles")) + r")$")
_TOKEN = re.compile(r"\d[\d,.]*|[A-Za-z]+(?:-[A-Za-z]+)*|\S")


def _parse_number_words(words: list[str]) -> int | None:
    """'two hundred' -> 200, 'twenty-four' -> 24, 'half a dozen' -> 6 (words in reading order)."""
    idiom = next((v for k, v in _IDIOMS.items() if tuple(words[-len(k):]) == k), None)
    if idiom is not None:
        return idiom
    total, current, seen = 0, 0, False
    for w in words:
        if w in _FILLERS:
            continue
        parts = w.split("-")
        if all(p in _UNITS for p in parts):
            current += sum(_UNITS[p] for p in parts)
            seen = True
        elif w in _SCALES:
            current = (current or 1) * _SCALES[w]
            if _SCALES[w] >= 1000:
                total, current = total + current, 0
            seen = True
        else:
            return None
    return total + current if seen else None


def _quantity(text: str, start: int) -> int | None:
    """The count written just before a mention, skipping adjectives ("six Turkish-made drones")."""
    toks = _TOKEN.findall(text[max(0, start - 80):start])
    i = len(toks) - 1
    skipped = 0
    while i >= 0 and skipped <= 3:
        tok, low = toks[i], toks[i].lower()
        if low in _VAGUE:
            return None
        if re.fullmatch(r"\d[\d,]*", tok):
            if "," in tok and not re.fullmatch(r"\d{1,3}(,\d{3})+", tok):
                return None
            n = int(tok.replace(",", ""))
            prev = toks[i - 1].lower() if i > 0 else ""
            if "," not in tok and 1900 <= n <= 2100 and (prev in _YEAR_PREPS or not prev or not prev.isalpha()):
                return None
            nxt = toks[i + 1].lower() if i + 1 < len(toks) else ""
            return n * _SCALES[nxt] if nxt in _SCALES else n
        if low in _UNITS or low in _SCALES or all(p in _UNITS for p in low.split("-")):
            j = i
            while j - 1 >= 0 and (toks[j - 1].lower() in _UNITS or toks[j - 1].lower() in _SCALES
                                  or toks[j - 1].lower() in _LINKS
                                  or all(p in _UNITS for p in toks[j - 1].lower().split("-"))):
                j -= 1
            words = [t.lower() for t in toks[j:i + 1]]
            if len(words) == 1 and words[0] in _COLLECTIVE:  # "dozen drones" without "a": not a count we trust
                return None
            while words and words[0] in _LEADING:
                words = words[1:]
            return _parse_number_words(words) if words else None
        if low == "of" and i > 0:
            prev = toks[i - 1].lower()
            if prev in _COLLECTIVE:
                i -= 1
                continue
            return None
        if low in _SKIPPABLE or tok[:1].isupper() or _ORIGIN.search(low):
            skipped += 1
            i -= 1
            continue
        return None
    return None


# --------------------------------------------------------------------------- public API


_DASH_PAIRS = tuple((chr(k), v) for k, v in _DASHES.items())


def _normalized(text: str) -> str:
    """`text.translate(_DASHES)`: dashes, quotes and spaces of other kinds made plain, one character for one
    (as replacements of the few that occur: `str.translate` walks a text with one non-ASCII character in it
    character by character through the table, ten times slower)."""
    for a, b in _DASH_PAIRS:
        if a in text:
            text = text.replace(a, b)
    return text


def match_materiel(text: str) -> list[MaterielMatch]:
    """All materiel mentions in `text`, each with its `needs_context` flag, in text order."""
    if not text:
        return []
    lex = _lexicon()
    norm = _normalized(text)
    out: list[MaterielMatch] = []
    for start, end, entry, ctx in _merge(norm, _select(_candidates(norm, lex))):
        materiel = Materiel(
            text=text[start:end],
            category=entry.category,  # type: ignore[arg-type]
            designation=entry.designation,
            quantity=_quantity(norm, start),
            start=start,
            end=end,
        )
        out.append(MaterielMatch(materiel, ctx))
    return out


def find_materiel(text: str, *, contextual: bool = True) -> list[Materiel]:
    """Longest non-overlapping materiel mentions with offsets, category, designation and quantity.

    ``contextual=False`` drops nouns that are materiel only in an arms context ("pickup trucks",
    "Syrian fighters", "equipment"); see `needs_context`.
    """
    return [m.materiel for m in match_materiel(text) if contextual or not m.needs_context]


def needs_context(materiel: Materiel) -> bool:
    """True when `materiel` (from `find_materiel`) is materiel only if the event is an arms transfer."""
    if materiel.designation is not None:
        for m in match_materiel(materiel.text):
            if m.materiel.designation == materiel.designation:
                return m.needs_context
        return False
    key = materiel.text.lower()
    for m in match_materiel(materiel.text):
        if m.materiel.text.lower() == key:
            return m.needs_context
    return False


def materiel_lexicon_terms() -> dict[str, str]:
    """Lower-case generic materiel nouns (all plural/spelling variants, English and Arabic) -> category.

    Designations are not included: this is the vocabulary for checking whether a head noun is
    materiel ("drones" -> "uav", "mercenaries" -> "mercenaries").
    """
    return dict(_lexicon().terms)
