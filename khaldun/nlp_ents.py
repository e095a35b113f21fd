"""Named entities without spaCy's NER: the default entity source (``KHALDUN_NER=finder``; ``KHALDUN_NER=spacy`` or the
older ``KHALDUN_NO_NER=0`` runs the model's own NER instead).

en_core_web_sm's NER carries its own token encoder and is about 40% of the model's CPU time. This
component fills ``doc.ents`` from what khaldun knows anyway, after the parser:

* actor registry matches (its Aho-Corasick automaton): a person is PERSON, a state GPE, a demonym
  NORP, any other actor ORG; gazetteer places: GPE (towns, regions, countries) or LOC. A leading
  "the" is left out, as the recognizer leaves it out ("the UN" -> "UN");
* date words of :mod:`khaldun.dates` (month and weekday names) and four-digit years, with the
  numbers next to them: DATE; a stretch of time with its modifiers ("last month", "two weeks ago",
  "earlier this year"): DATE, or TIME for hours and parts of a day ("Friday afternoon", "9:50 am");
* any other run of proper nouns (the parse's PROPN), joined over name particles and hyphens
  ("Abd al-Wahid", "al-Ruqaybi"), and over "of"/"for" after a head noun that names a body or a place
  ("Ministry of Interior"); titles before a name are cut off ("General X" -> "X", a PERSON), a
  title inside a run splits it ("Air Force Gen. X" -> ORG "Air Force", PERSON "X"). A run is typed
  by what the project's data knows: its last word a body's head noun (heads.yml: "Agency",
  "Brigade") -> ORG, a place's head noun ("Province", "Port") -> LOC; a title before it, a person
  noun in apposition ("X, a spokesman") or before it ("spokesman X"), or a first word found among
  people's names (person_names.txt, derived from Wikidata) -> PERSON; a single unknown word that
  is the subject of a reporting verb ("X said") -> PERSON; else ORG.

:func:`document_ents` then reads one document's paragraphs together: a single proper noun typed ORG
whose words the document uses in a person's name elsewhere ("Tarek Fennouh ... Fennouh said") becomes PERSON.

It is the default (:data:`DEFAULT_NER`) since stop 15: on the real-article suite and every gold suite (`khaldun eval`)
it equals or beats spaCy's NER (re3d, MUC-4 roles, WikiEvents triggers, RAMS gold-trigger roles are above it), at
about 1.5x the speed; RAMS end to end finds more triggers (0.297 vs 0.293), so its ratios over found triggers
(role precision 0.665 vs 0.667, role recall given a trigger 0.436 vs 0.440) are a little lower while its role F1s
are higher (see the bench notes in the README).
"""

from __future__ import annotations

import os
import re
from typing import Any

from .nlp import doc_text

_KIND_LABEL = {"person": "PERSON", "state": "GPE"}
#: doc.user_data key of the registry and gazetteer matches this component found (`mentions.build` reuses them)
FOUND_KEY = "khaldun_found"
#: doc.user_data key of the token ranges [start, end) of those matches (None: no token), by their characters
ALIGNED_KEY = "khaldun_aligned"
#: doc.user_data key of the token spans typed from proper-noun runs (not from the registry or the gazetteer)
RUNS_KEY = "khaldun_propn_runs"
_INITIAL = re.compile(r"^[A-Z]\.$")
_HYPHENS = ("-", "\u2010", "\u2011")
#: labels a name run takes from its last word when it names no body, person or place
_OTHER_LABELS = ("LAW", "EVENT", "WORK_OF_ART")
#: a word with a capital inside after three lower-case letters: a brand's or a site's name ("NewsHub"), no
#: person's ("McKay", "DeLuca" have shorter prefixes; longer ones are listed in nlp_ents.yaml)
_CAMEL = re.compile(r"^([A-Z][a-z]{2,})[A-Z][a-z]")
_CLOCK = re.compile(r"^\d{1,2}[:.]\d{2}$|^\d{4}$")


#: where a Pipeline's named entities come from when the environment names no source
DEFAULT_NER = "finder"
_NER_SOURCES = ("finder", "spacy")
_YES, _NO = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def ner_source() -> str:
    """"finder" (this module, the default) or "spacy" (the model's own NER): ``KHALDUN_NER`` names it;
    the older ``KHALDUN_NO_NER`` still works (1: the finder, 0: spaCy's NER) when ``KHALDUN_NER`` is unset."""
    val = os.environ.get("KHALDUN_NER", "").strip().lower()
    if val:
        if val not in _NER_SOURCES:
            raise ValueError(f"KHALDUN_NER: {val!r} is not one of {', '.join(_NER_SOURCES)}")
        return val
    old = os.environ.get("KHALDUN_NO_NER", "").strip().lower()
    if old in _YES:
        return "finder"
    if old in _NO:
        return "spacy"
    return DEFAULT_NER


def no_ner_requested() -> bool:
    """Does the Pipeline run without spaCy's NER (the finder instead)?"""
    return ner_source() == "finder"


class _Words:
    """The word sets the finder reads, loaded once (lexicon layer and heads.yml)."""

    def __init__(self) -> None:
        from .dates import _MONTHS, _WEEKDAYS
        from .lexicon import cue_sets, word_lines, words
        from .mentions import _heads

        def w(name: str) -> frozenset[str]:
            return words("nlp_ents", name)

        heads = _heads()
        self.date_words = frozenset(_MONTHS) | frozenset(_WEEKDAYS)
        self.particles = w("name_particles")
        self.name_suffixes = w("name_suffixes")
        self.hyphen_particles = w("hyphen_particles")
        self.openers = w("name_openers")
        self.place_of = w("place_of")
        self.loc_preps = words("mentions", "_loc_preps")
        self.place_preps = self.loc_preps | w("place_preps")
        self.other_heads = {**dict.fromkeys(w("event_heads"), "EVENT"), **dict.fromkeys(w("law_heads"), "LAW"),
                            **dict.fromkeys(w("work_heads"), "WORK_OF_ART")}
        self.event_openers = w("event_openers")
        self.regions = w("regions")
        self.languages = w("languages")
        self.joiners = w("name_joiners")
        self.determiners = w("leading_determiners")
        self.date_units = w("date_units")
        self.time_units = w("time_units")
        self.units = self.date_units | self.time_units
        self.date_modifiers = w("date_modifiers")
        self.date_after = w("date_after")
        self.clock_words = w("clock_words")
        self.bare_dates = w("bare_dates")
        self.body_heads = w("body_heads")
        self.group_heads = heads["group"] | self.body_heads
        self.place_heads = heads["place"]
        self.person_heads = heads["person"]
        self.outlet_names = heads["news_outlet_names"]
        self.name_heads = self.group_heads | self.place_heads  # a name ending in one is a body's or a place's
        self.common_heads = self.person_heads | self.place_heads  # alone, a capitalized common noun
        self.business_titles = w("business_titles")
        self.titles = words("mentions", "_title_words") | words("mentions", "_name_titles") | self.business_titles
        self.group_words = w("group_words")
        self.surname_prefixes = w("surname_prefixes")
        self.names = word_lines("person_names.txt")
        self.reporting = cue_sets()["reporting"]
        # the same words as the 64-bit hashes of spaCy's LOWER attribute: the candidate scans read token arrays
        from spacy.strings import hash_string

        def hashes(ws: frozenset[str]) -> frozenset[int]:
            return frozenset(hash_string(x) for w in ws for x in (w, w + "."))

        self.date_hashes = hashes(self.date_words)
        self.time_hashes = hashes(self.units | self.clock_words)
        self.particle_hashes = hashes(self.particles | self.hyphen_particles)
        self.group_hashes = frozenset(hash_string(x) for x in self.group_words)


class EntityFinder:
    """A pipeline component setting ``doc.ents`` from the registry, the gazetteer, dates and PROPN runs."""

    name = "khaldun_ents"

    def __init__(self, registry: Any, gazetteer: Any) -> None:
        self.registry = registry
        self.gazetteer = gazetteer
        self.w = _Words()

    @property
    def date_words(self) -> frozenset[str]:
        return self.w.date_words

    def _char_spans(self, doc: Any, text: str) -> list[tuple[int, int, str, int]]:
        """(start, end, label, place) of the registry and gazetteer matches; place is 1 for a state or a country,
        2 for a town or another place below a country, 0 for anything else."""
        out: list[tuple[int, int, str, int]] = []
        matches = self.registry.find(text)
        for m in matches:
            label = "NORP" if m.how == "demonym" else _KIND_LABEL.get(m.entry.kind, "ORG")
            # a capital city's or a state's name may be part of a person's name ("Hana Jordan")
            out.append((m.start, m.end, label, 2 if m.how == "capital" else int(label == "GPE")))
        try:
            places = self.gazetteer.find(text)
        except Exception:  # noqa: BLE001  a place lookup must never cost the parse
            places = []
        else:  # the mention stage asks the same two questions of the same text: it reads these answers
            doc.user_data[FOUND_KEY] = (self.registry, self.gazetteer, text, matches, places)
        for p in places:
            if p.start is not None and p.end is not None:
                label = "GPE" if p.kind in ("city", "region", "country", "town") else "LOC"
                out.append((p.start, p.end, label, 1 if p.kind == "country" else 2))
        return out

    def __call__(self, doc: Any) -> Any:
        from spacy.util import filter_spans

        if not len(doc):
            return doc
        text = doc_text(doc)  # (cached on the Doc: the mention stage reads the same text)
        spans = []
        toks = _Tokens(doc)  # a Token made once, and only for the few places the passes below look at
        aligned: dict[tuple[int, int], tuple[int, int] | None] = {}
        doc.user_data[ALIGNED_KEY] = aligned  # (the mention stage aligns the same matches: it reads these)
        for s, e, label, town in self._char_spans(doc, text):
            sp = doc.char_span(s, e, label=label, alignment_mode="expand")
            aligned[(s, e)] = None if sp is None else (sp.start, sp.end)
            if town and sp is not None and self._inside_name(toks, sp, town == 2):
                continue  # "Charles Douglas", "Douglas Venmore-Ash": a town's name inside a person's
            if town and sp is not None:
                sp = self._outlet_named_after(toks, sp)  # "the Tripoli Post": an outlet, not the city
            if sp is not None and len(sp) > 1 and sp[0].lower_ in self.w.determiners:
                sp = _span(doc, sp.start + 1, sp.end, label)  # "the UN": the recognizer's span is "UN"
            if sp is not None and len(sp):
                spans.append(self._name_tail(toks, sp) if label != "PERSON" else self._whole_person(toks, sp))
        taken = bytearray(len(doc))
        for sp in spans:
            taken[sp.start:sp.end] = b"\x01" * len(sp)
        dates, times, names, caseless, groups = self._candidates(doc)
        if groups:
            spans.extend(self._groups(toks, taken, groups))
        spans.extend(self._dates(toks, taken, dates))
        spans.extend(self._spans_of_time(toks, taken, times))
        runs = self._propn_runs(toks, taken, names, caseless)
        spans.extend(runs)
        kept = self._coordinated_people(toks, filter_spans(spans), runs)
        doc.set_ents(kept, default="outside")
        if runs:
            run_set = {(r.start, r.end) for r in runs}
            doc.user_data[RUNS_KEY] = [(e.start, e.end) for e in kept if (e.start, e.end) in run_set]
        return doc

    def _coordinated_people(self, doc: Any, kept: list[Any], runs: list[Any]) -> list[Any]:
        """A lone unknown name typed ORG for want of evidence, coordinated with a person's name, is a person too
        ("Brannick or Osei")."""
        lone = [k for k, e in enumerate(kept) if len(e) == 1 and e.label_ == "ORG" and not e[0].text.isupper()]
        if not lone:
            return kept
        run_set = {(r.start, r.end) for r in runs}
        person_at = {i for e in kept if e.label_ == "PERSON" for i in range(e.start, e.end)}
        out = list(kept)
        for k in lone:
            e = kept[k]
            if (e.start, e.end) not in run_set:
                continue
            t = doc[e.start]
            linked = [t.head.i] if t.dep_ == "conj" else []
            linked += [c.i for c in t.children if c.dep_ == "conj"]
            if any(i in person_at for i in linked):
                out[k] = _span(doc, e.start, e.end, "PERSON")
        return out

    def _inside_name(self, doc: Any, sp: Any, town: bool) -> bool:
        """Is a place match part of a longer proper name: after a given name or an initial ("Charles Douglas",
        "K. Osei"), or a given name itself before a family name ("Douglas Venmore-Ash")?"""
        s, e = sp.start, sp.end
        if s and doc[s - 1].pos_ == "PROPN" and doc[s - 1].text[:1].isupper() and \
                (doc[s - 1].lower_ in self.w.names or _INITIAL.match(doc[s - 1].text)):
            return True
        if town and e - s == 1 and e < len(doc) and doc[s].lower_ in self.w.names and doc[e].pos_ == "PROPN" and \
                doc[e].text[:1].isupper() and _singular_lower(doc[e]) not in self.w.name_heads:
            return True
        return False

    def _outlet_named_after(self, doc: Any, sp: Any) -> Any:
        """A place's name followed by a news outlet's name word ("X Times", "Y Post") or a company's ("X Airlines")
        names the outlet or the company (ORG)."""
        e = sp.end
        while e < len(doc) and doc[e].pos_ == "PROPN" and doc[e].text[:1].isupper() and e - sp.end < 3:
            e += 1
        if e > sp.end and (doc[e - 1].lower_ in self.w.outlet_names or _singular_lower(doc[e - 1]) in self.w.body_heads):
            return _span(doc, sp.start, e, "ORG")  # "the X Post", "X Airlines", "X University"
        return sp

    def _whole_person(self, doc: Any, sp: Any) -> Any:
        """A registered person's name with the given names before it and a suffix after it, as the recognizer
        reads it ("Lara Erdogan" holds the registered "Erdogan": the mention stage then tells them apart;
        "X Haftar Jr."); not over an acronym before it ("the US X": a country's, not a given name)."""
        s, e = sp.start, sp.end
        while s and doc[s - 1].pos_ == "PROPN" and doc[s - 1].text[:1].isupper() and doc[s - 1].is_alpha and \
                doc[s - 1].lower_ not in self.w.titles and doc[s - 1].lower_ not in self.w.common_heads and \
                (not doc[s - 1].is_upper or doc[sp.start].is_upper) and (doc[s - 1].lower_ in self.w.names or (doc[s - 1].dep_ == "compound" and s <= doc[s - 1].head.i < e)):
            s -= 1
        if e < len(doc) and doc[e].lower_.rstrip(".") in self.w.name_suffixes:
            e += 1
        return sp if (s, e) == (sp.start, sp.end) else _span(doc, s, e, "PERSON")

    def _name_tail(self, doc: Any, sp: Any) -> Any:
        """A registered name followed by a hyphened family name ("Abu X al-Y") is one person's name."""
        e, n = sp.end, len(doc)
        if e + 2 < n and doc[e].lower_ in self.w.hyphen_particles and doc[e + 1].text == "-" and \
                not doc[e].whitespace_ and not doc[e + 1].whitespace_ and doc[e + 2].text[:1].isupper() and \
                doc[e - 1].whitespace_:
            return _span(doc, sp.start, e + 3, "PERSON")
        return sp

    # -- dates and times ------------------------------------------------------------------------------
    def _candidates(self, doc: Any) -> tuple[list[int], list[int], list[int], bool, list[int]]:
        """Token indices where a date, a time expression or a name run may start, read from the Doc's arrays
        (no Token objects), and whether the text is written without capitals."""
        from spacy.attrs import IS_ALPHA, IS_DIGIT, IS_LOWER, LENGTH, LOWER, POS
        from spacy.symbols import PROPN

        lows, poss, digit, length, alphas, lowers = doc.to_array([LOWER, POS, IS_DIGIT, LENGTH, IS_ALPHA,
                                                                  IS_LOWER]).T.tolist()
        w = self.w
        dates = [i for i, h in enumerate(lows) if h in w.date_hashes or (digit[i] and length[i] == 4)]
        times = [i for i, h in enumerate(lows) if h in w.time_hashes]
        names = [i for i, p in enumerate(poss) if p == PROPN or lows[i] in w.particle_hashes]
        alpha = sum(alphas)  # (plain lists: numpy's sum costs more than the few hundred flags it adds)
        caseless = alpha >= 8 and sum(lowers) >= alpha - alpha // 50
        groups = [i for i, h in enumerate(lows) if h in w.group_hashes]
        return dates, times, names, caseless, groups

    def _groups(self, doc: Any, taken: bytearray, candidates: list[int]) -> list[Any]:
        """A capitalized word naming a people, a faith or a sect standing alone ("European leaders", "the Kurds",
        "Sunni clerics"): NORP. Inside a longer name ("European Council", "Islamic Jihad") the name run types it;
        a language's name not before a noun is the language ("speaks Kurdish")."""
        out = []
        n = len(doc)
        for i in candidates:
            t = doc[i]
            if taken[i] or not t.text[:1].isupper():
                continue
            if i + 1 < n and not taken[i + 1] and doc[i + 1].pos_ == "PROPN" and doc[i + 1].text[:1].isupper():
                continue
            if i and not taken[i - 1] and (doc[i - 1].pos_ == "PROPN" and doc[i - 1].text[:1].isupper()
                                           or doc[i - 1].text in _HYPHENS and not doc[i - 1].whitespace_):
                continue
            if t.lower_ in self.w.languages and t.dep_ not in ("amod", "compound"):
                continue
            out.append(_span(doc, i, i + 1, "NORP"))
            taken[i] = 1
        return out

    def _dates(self, doc: Any, taken: bytearray, candidates: list[int]) -> list[Any]:
        out = []
        n = len(doc)
        dw = self.w.date_words
        i = 0
        for c in candidates:
            if c < i:
                continue
            i = c
            t = doc[i]
            if not taken[i] and (t.lower_.rstrip(".") in dw or _year(t)):
                s, e = i, i + 1
                while s > 0 and not taken[s - 1] and (doc[s - 1].like_num or doc[s - 1].lower_ == "the"):
                    s -= 1
                while e < n and not taken[e] and (doc[e].like_num or doc[e].lower_.rstrip(".") in dw
                                                  or (doc[e].text == "," and e + 1 < n and _year(doc[e + 1]))):
                    e += 1
                if doc[s].lower_ == "the":
                    s += 1
                out.append(_span(doc, s, e, "DATE"))
                for k in range(s, e):
                    taken[k] = 1
                i = e
        return out

    def _spans_of_time(self, doc: Any, taken: bytearray, candidates: list[int]) -> list[Any]:
        """Stretches of time around a unit noun ("last month", "the next few hours", "two days ago",
        "earlier this year") and clock times ("9:50 am", "0750 GMT")."""
        w = self.w
        out = []
        n = len(doc)
        for i in candidates:
            if taken[i]:
                continue
            lo = doc[i].lower_
            if lo in w.clock_words and i and not taken[i - 1] and _CLOCK.match(doc[i - 1].text):
                out.append(_span(doc, i - 1, i + 1, "TIME"))
                taken[i - 1:i + 1] = b"\x01\x01"
                continue
            if lo not in w.units:
                continue
            s = i
            while s > 0 and not taken[s - 1] and (doc[s - 1].lower_ in w.date_modifiers or doc[s - 1].like_num
                                                  or doc[s - 1].lower_ in w.determiners):
                s -= 1
            e = i + 1
            if e < n and not taken[e] and doc[e].lower_ in w.date_after and doc[e].dep_ in ("advmod", "npadvmod"):
                e += 1
            after_date = i > 0 and taken[i - 1] and doc[i - 1].ent_type_ == "" and doc[i - 1].lower_ in w.date_words
            if s == i and lo not in w.bare_dates and not after_date and not (i and _is_date_word(doc[i - 1], w)):
                continue  # a bare "day" or "years" is no date
            out.append(_span(doc, s, e, "TIME" if lo in w.time_units else "DATE"))
            taken[s:e] = b"\x01" * (e - s)
        return out

    # -- proper-noun runs -----------------------------------------------------------------------------
    def _namey(self, doc: Any, k: int, taken: bytearray) -> bool:
        """Is token k part of a name run: a proper noun, or a name particle or a hyphen between name parts?"""
        if taken[k]:
            return False
        t = doc[k]
        if t.pos_ == "PROPN":
            return True
        if k > 1 and t.is_alpha and t.text[:1].isupper() and doc[k - 1].text in _HYPHENS and \
                not doc[k - 1].whitespace_ and not doc[k - 2].whitespace_:
            return True  # the capitalized part after a name's hyphen, whatever its tag ("Fazl-ur-Rehman")
        n = len(doc)
        if k + 1 >= n or taken[k + 1]:
            return False
        nxt = doc[k + 1]
        if t.lower_ in self.w.hyphen_particles and nxt.text == "-" and not t.whitespace_:
            return True  # "al-Amin", "as-Sadr"
        if t.lower_ in self.w.particles:  # "bin Hassan"
            return nxt.pos_ == "PROPN"
        if t.text in _HYPHENS and not t.whitespace_ and k and not doc[k - 1].whitespace_:
            return (nxt.pos_ == "PROPN" or (nxt.is_alpha and nxt.text[:1].isupper()) or nxt.lower_ in self.w.particles
                    or self._glued_link(doc, k + 1))
        return self._glued_link(doc, k)

    def _glued_link(self, doc: Any, k: int) -> bool:
        """A short lower-case word between two hyphens inside a name ("Fazl-ur-Rahman")?"""
        t = doc[k]
        return (len(t.text) <= 3 and t.is_alpha and t.is_lower and not t.whitespace_ and k + 2 < len(doc)
                and doc[k - 1].text in _HYPHENS and not doc[k - 1].whitespace_ and doc[k + 1].text in _HYPHENS
                and not doc[k + 1].whitespace_ and doc[k + 2].text[:1].isupper())

    def _run_end(self, doc: Any, i: int, taken: bytearray) -> int:
        n = len(doc)
        e = i + 1
        while e < n:
            if self._namey(doc, e, taken):
                e += 1
            elif (doc[e].lower_ in self.w.joiners and e + 1 < n and doc[e - 1].text[:1].isupper()
                  and _singular_lower(doc[e - 1]) in self.w.name_heads
                  and self._namey(doc, e + 1, taken)):
                e += 2  # "Ministry of Interior", "Council for Peace"
            else:
                break
        return e

    def _propn_runs(self, doc: Any, taken: bytearray, candidates: list[int], caseless: bool) -> list[Any]:
        out: list[Any] = []
        i = 0
        for c in candidates:
            if c < i:
                continue
            i = c
            if not self._run_start(doc, i, taken, caseless):
                continue
            e = self._run_end(doc, i, taken)
            while e > i and (doc[e - 1].text in _HYPHENS or doc[e - 1].lower_ in self.w.particles
                             or doc[e - 1].lower_ in self.w.hyphen_particles):
                e -= 1
            out.extend(self._typed_parts(doc, self._capitalized_nouns_before(doc, i, e, taken), e))
            i = max(e, i + 1)
        return out

    def _capitalized_nouns_before(self, doc: Any, s: int, e: int, taken: bytearray) -> int:
        """The start of a body's name whose first words the tagger took for common nouns ("the Arms Tracing
        Collective"): capitalized nouns hung on the run, after a determiner, when the run ends in a body's head."""
        k = s
        while k > 1 and not taken[k - 1] and doc[k - 1].pos_ == "NOUN" and doc[k - 1].text[:1].isupper() and \
                doc[k - 1].dep_ == "compound" and s <= doc[k - 1].head.i < e:
            k -= 1
        if k < s and doc[k - 1].pos_ == "DET" and _singular_lower(doc[e - 1]) in self.w.group_heads:
            return k
        return s

    def _run_start(self, doc: Any, i: int, taken: bytearray, caseless: bool) -> bool:
        """Can a name run start at token i: a proper noun (or a name particle) written as a name, capitalized
        (or in lower case in a text written all in lower case), not the second half of "pro-Western"?"""
        t = doc[i]
        lo = t.lower_
        if t.pos_ != "PROPN" and lo not in self.w.particles and lo not in self.w.hyphen_particles:
            return False
        first = t.text[:1]
        if not (first.isupper() or (caseless and first.islower()) or lo in self.w.particles
                or lo in self.w.hyphen_particles):
            return False  # digits, symbols, other scripts, a lower-case word tagged PROPN
        if i and doc[i - 1].text in _HYPHENS and not doc[i - 1].whitespace_:
            return False
        return self._namey(doc, i, taken)

    def _is_title(self, t: Any) -> bool:
        lo = t.lower_.rstrip(".")
        return (t.text[:1].isupper() or t.pos_ == "PROPN") and (lo in self.w.titles or lo in self.w.person_heads)

    def _typed_parts(self, doc: Any, s: int, e: int) -> list[Any]:
        """The typed entities of the run [s, e): titles cut off, a title inside splitting it."""
        out = []
        titled = False
        k = s
        while k < e:
            if k < e - 1 and self._is_title(doc[k]) and not self._ends_in_head(doc, k, e):
                if k > s and (self._ends_in_head(doc, s, k) or doc[k].lower_ in self.w.business_titles
                              or any(doc[j].lower_ in self.w.names for j in range(s, k))):
                    out.append(self._typed(doc, s, k, titled))  # "Air Force" in "Air Force Gen. X"
                # else the words before the title are the office's own ("Foreign Minister X")
                joined = False
                while k < e - 1 and (self._is_title(doc[k]) or doc[k].lower_ in self.w.joiners or doc[k].text == "."):
                    joined = joined or doc[k].lower_ in self.w.joiners
                    k += 1  # "Lieutenant General", "State Minister of"
                while joined and k < e - 1 and doc[k].lower_ not in self.w.names:
                    k += 1  # the office's own words: "Minister of Defence X"
                s, titled = k, True
                continue
            k += 1
        if s < e:
            out.append(self._typed(doc, s, e, titled))
        return [sp for sp in out if sp is not None]

    def _ends_in_head(self, doc: Any, k: int, e: int) -> bool:
        """Does the run from k on end in a body's or a place's head noun ("General Command", "Prince Sultan
        Air Base")? Then the title word belongs to the name."""
        last = _singular_lower(doc[e - 1])
        return last in self.w.group_heads or last in self.w.place_heads

    def _typed(self, doc: Any, s: int, e: int, titled: bool) -> Any:
        if e <= s or (e - s == 1 and len(doc[s].text) == 1):
            return None  # "T" of "T-shirt"
        if not titled and e - s == 1 and _singular_lower(doc[s]) in self.w.common_heads:
            return None  # a capitalized common noun ("Rebels", "Members"), no name
        return _span(doc, s, e, self._label(doc, s, e, titled))

    def _label(self, doc: Any, s: int, e: int, titled: bool) -> str:
        w = self.w
        last = next((doc[k - 1] for k in range(s + 1, e) if doc[k].lower_ in w.joiners), doc[e - 1])
        last_lo = _singular_lower(last)  # the head: the last word, or the word before "of" ("Ministry of X")
        if any(_INITIAL.match(doc[k].text) for k in range(s + 1, e - 1)) and last_lo not in w.place_heads:
            return "PERSON"  # a middle initial: "Quillon R. Tribe"
        if last_lo in w.group_heads and last.text[:1].isupper():
            return "ORG"
        if last_lo in w.place_heads and last.text[:1].isupper():
            return "LOC"
        other = w.other_heads.get(last_lo) or ("EVENT" if doc[s].lower_ in w.event_openers and e - s > 1 else None)
        if other is not None and last.text[:1].isupper():
            return other  # "the Gulf War", "Resolution", "the Green Charter": no body, person or place
        first_lo = doc[s].lower_
        if e - s > 1 and first_lo in w.place_heads and doc[s].text[:1].isupper():
            return "LOC"  # "Lake X", "Camp Y"
        if e - s == 1 and first_lo in w.regions:
            return "LOC"
        if e - s == 1 and first_lo in w.languages and last.dep_ not in ("compound", "amod"):
            return "LANGUAGE"
        if e - s == 1 and last.text.isupper() and len(last.text) > 1 and last.is_alpha:
            return "ORG"  # an acronym
        if titled or self._person_context(doc, s, e):
            return "PERSON"
        words_ = [doc[k] for k in range(s, e) if doc[k].text != "-" and doc[k].lower_ not in w.particles]
        if not words_:
            return "ORG"
        named = sum(t.lower_ in w.names for t in words_)
        if (first_lo in w.names or first_lo in w.openers or words_[0].lower_ in w.names
                or (len(words_) > 1 and 2 * named >= len(words_))
                or (len(words_) > 2 and self._hyphened_article(doc, s, e))) and not _determined(doc, s, e) \
                and not self._names_a_thing(doc, s, e):
            return "PERSON"
        root = _root(doc, s, e)
        if self._placed(root):
            return "GPE"  # "in X", "the town of X": a place the gazetteer lacks
        if len(words_) <= 3 and root.dep_ in ("nsubj", "nsubjpass") and _lemma_of(root.head) in w.reporting and \
                all(t.text[:1].isupper() for t in words_) and not _determined(doc, s, e) and \
                not any(self._camel(t.text) for t in words_):
            return "PERSON"  # "Fennouh said"; not a brand written in camel case ("NewsHub said")
        return "ORG"

    def _names_a_thing(self, doc: Any, s: int, e: int) -> bool:
        """Does the run modify a common noun that names no person and no body ("the X bombing", "X procession",
        not "the X administration")? Then a given name in it names a place, an event or a thing after someone."""
        root = _root(doc, s, e)
        head = root.head
        return (root.dep_ == "compound" and head.i >= e and head.pos_ == "NOUN"
                and _singular_lower(head) not in self.w.person_heads and _singular_lower(head) not in self.w.group_heads)

    def _camel(self, text: str) -> bool:
        m = _CAMEL.match(text)
        return m is not None and m.group(1).lower() not in self.w.surname_prefixes

    def _hyphened_article(self, doc: Any, s: int, e: int) -> bool:
        """Does the run hold an Arabic family name with its article ("... al-Mazidi")?"""
        return any(doc[k].lower_ in self.w.hyphen_particles and doc[k + 1].text == "-" for k in range(s + 1, e - 1))

    def _placed(self, root: Any) -> bool:
        while root.dep_ == "conj" and root.head.i != root.i:
            root = root.head  # "the towns of X and Y"
        if root.dep_ != "pobj":
            return False
        prep = root.head
        if prep.lower_ in self.w.place_preps:
            return True
        return prep.lower_ == "of" and (prep.head.lower_ in self.w.place_of or _singular_lower(prep.head) in self.w.place_of)

    def _person_context(self, doc: Any, s: int, e: int) -> bool:
        """A person noun in apposition ("X, a spokesman for ...", "the captain, X,") or just before the name
        ("spokesman X")."""
        root = _root(doc, s, e)
        from .mentions import head_class

        if s and doc[s - 1].pos_ == "NOUN" and _singular_lower(doc[s - 1]) in self.w.person_heads:
            return True  # "spokesman X"
        if root.dep_ == "appos" and root.head.pos_ == "NOUN" and head_class(root.head) == "person":
            return True  # "a local doctor, X,"
        if root.dep_ == "appos" and e - s > 1 and root.head.dep_ == "pobj" and root.head.head.dep_ == "prep" and \
                root.head.head.head.pos_ == "NOUN" and head_class(root.head.head.head) == "person":
            return True  # "the director of the centre, X Y," (the parser hangs X Y on the centre)
        # "X, a spokesman for"
        return any(c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN") and head_class(c) == "person"
                   for c in root.children)


def _determined(doc: Any, s: int, e: int) -> bool:
    """Is the run the head of a determiner before it ("the Velmar Trust"), not a modifier of the determined
    noun ("the Bush administration")?"""
    return bool(s) and doc[s - 1].pos_ == "DET" and s <= doc[s - 1].head.i < e


def _root(doc: Any, s: int, e: int) -> Any:
    """The run's token whose head lies outside it (its last token when the parse disagrees)."""
    for k in range(s, e):
        h = doc[k].head
        if h.i < s or h.i >= e or h.i == k:
            return doc[k]
    return doc[e - 1]


def _is_date_word(t: Any, w: _Words) -> bool:
    return t.ent_type_ in ("DATE", "TIME") or t.lower_ in w.date_words


def _singular_lower(t: Any) -> str:
    lo = t.lower_.rstrip(".")
    if t.tag_ in ("NNS", "NNPS") and lo.endswith("s") and not lo.endswith("ss"):
        return lo[:-3] + "y" if lo.endswith("ies") else lo[:-1]
    return lo


def _lemma_of(t: Any) -> str:
    from .nlp import lemma

    return lemma(t) if t.pos_ in ("VERB", "AUX") else t.lower_


def _year(t: Any) -> bool:
    return len(t.text) == 4 and t.text.isdigit() and 1900 <= int(t.text) <= 2099


class _Tokens:
    """A Doc's tokens, each Token object made on first use and kept (the passes index the same few tokens many
    times), with the Doc at hand for spans."""

    __slots__ = ("_made", "doc")

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self._made: list[Any] = [None] * len(doc)

    def __len__(self) -> int:
        return len(self._made)

    def __getitem__(self, i: int) -> Any:
        t = self._made[i]
        if t is None:
            t = self._made[i] = self.doc[i]
        return t


def _span(doc: Any, s: int, e: int, label: str) -> Any:
    from spacy.tokens import Span

    return Span(doc.doc if isinstance(doc, _Tokens) else doc, s, e, label=label)


def document_ents(nlp: Any, docs: list[Any]) -> None:
    """One document's paragraphs read together (only with the finder in `nlp`): a proper-noun run typed
    ORG whose every word the document uses in a longer PERSON elsewhere is that person ("Tarek Fennouh ...
    Fennouh said"), and so is the plural of such a name ("the Okafors"); a run typed as a plan, a law or an event by its last word whose other words are such a
    person's name is that person's ("Okafor Plan" after "Ada Okafor": PERSON "Okafor", the plan a noun)."""
    if not docs or not any(name == EntityFinder.name for name, _ in getattr(nlp, "pipeline", ())):
        return
    finder = dict(nlp.pipeline)[EntityFinder.name]
    person_words: set[str] = set()
    for d in docs:
        for ent in d.ents:
            if ent.label_ == "PERSON":
                person_words.update(t.lower_ for t in ent if t.lower_ not in finder.w.particles and t.text != "-")
    if not person_words:
        return
    for d in docs:
        runs = d.user_data.get(RUNS_KEY)
        if not runs:
            continue
        runs = set(runs)
        ents = list(d.ents)
        changed = False
        for k, ent in enumerate(ents):
            if (ent.start, ent.end) not in runs:
                continue
            if ent.label_ == "ORG" and len(ent) <= 2 and all(t.lower_ in person_words or t.text == "-" for t in ent):
                ents[k] = _span(d, ent.start, ent.end, "PERSON")
                changed = True
            elif ent.label_ == "ORG" and len(ent) == 1 and ent[0].tag_ == "NNPS" and ent[0].lower_[:-1] in person_words:
                ents[k] = _span(d, ent.start, ent.end, "PERSON")  # "the Okafors" after "Ada Okafor": the family
                changed = True
            elif ent.label_ in _OTHER_LABELS and 2 <= len(ent) <= 3 and \
                    all(t.lower_ in person_words for t in ent[:-1]):
                ents[k] = _span(d, ent.start, ent.end - 1, "PERSON")  # "the Okafor Plan": Okafor's plan
                changed = True
        if changed:
            d.set_ents(ents, default="outside")


def model_for(registry: Any, gazetteer: Any) -> Any:
    """The model a Pipeline uses: without "ner" and with this finder appended (to the pipeline's component
    list, as the table ruler is swapped in), or with ``KHALDUN_NER=spacy`` the model with its own NER."""
    from .nlp import EXCLUDE, load_model

    if not no_ner_requested():
        return load_model()
    nlp = load_model(tuple(EXCLUDE) + ("ner",))
    comps = [c for c in nlp._components if c[0] != EntityFinder.name]
    comps.append((EntityFinder.name, EntityFinder(registry, gazetteer)))
    nlp._components[:] = comps
    return nlp
