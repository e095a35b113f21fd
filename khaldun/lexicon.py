"""Loaders for khaldun's own lexicons (data files under khaldun/data/lexicon, with provenance).

- triggers.tsv: event-trigger lemmas (verbs and nominalizations) -> PLOVER type, mode, CAMEO code.
- <module>.yaml (events.yaml, mentions.yaml, actors.yaml, ...): a rule module's word classes, each with a
  `source` provenance line, parsed once into a typed `WordFile` and read with `words(module, name)` (a set)
  or `ordered(module, name)` (a tuple in file order). The same file may hold 'tables' (word -> value, read
  with `table(module, name)`) and 'rules' (ordered rule tables, read with `rules(module, name)`).
- cues.yaml: reporting verbs, hedges, future and negation cues, via (chain) phrases, evidence words.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

DATA = resources.files("khaldun") / "data" / "lexicon"


@dataclass(frozen=True)
class Trigger:
    lemma: str
    pos: str  # "V" or "N"
    type: str
    mode: str | None
    cameo: str | None
    flags: frozenset[str]

    @property
    def words(self) -> int:
        return self.lemma.count(" ") + 1


@dataclass(frozen=True)
class Triggers:
    verbs: dict[str, Trigger]
    nouns: dict[str, Trigger]  # single-word nouns
    phrases: dict[str, Trigger]  # multi-word nominal triggers ("air strike"), keyed by lower text
    phrase_firsts: frozenset[str] = frozenset()  # their first words: most tokens skip the two-word lookups


@lru_cache(maxsize=1)
def triggers() -> Triggers:
    verbs: dict[str, Trigger] = {}
    nouns: dict[str, Trigger] = {}
    phrases: dict[str, Trigger] = {}
    text = (DATA / "triggers.tsv").read_text(encoding="utf-8")
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 5:
            raise ValueError(f"triggers.tsv line {n}: expected 5-6 tab-separated columns, got {len(cols)}")
        lemma, pos, etype, mode, cameo = cols[:5]
        flags = frozenset(f for f in (cols[5] if len(cols) > 5 else "").split(",") if f)
        trig = Trigger(lemma, pos, etype, mode or None, cameo or None, flags)
        if " " in lemma:
            phrases[lemma] = trig
        elif pos == "V":
            verbs[lemma] = trig
        else:
            nouns[lemma] = trig
    return Triggers(verbs, nouns, phrases, frozenset(k.split()[0] for k in phrases))


@dataclass(frozen=True)
class WordFile:
    """One data/lexicon/<module>.yaml: its provenance line and its word classes, each kept both in file
    order (for suffix tuples and ordered scans) and as a set (for membership tests)."""

    module: str
    source: str
    ordered: dict[str, tuple[str, ...]]
    sets: dict[str, frozenset[str]]


def _yaml(text: str) -> Any:
    # libyaml when present: every rule module reads its word file at import, so parsing stays cheap
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def word_file(module: str) -> WordFile:
    """The parsed word file of a rule module, read once per process."""
    where = f"data/lexicon/{module}.yaml"
    doc = document(module)
    classes = doc.get("classes") if isinstance(doc, dict) else None
    if not isinstance(classes, dict):
        raise ValueError(f"{where}: no 'classes' mapping")
    source = doc.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ValueError(f"{where}: no 'source' (provenance) line")
    ordered: dict[str, tuple[str, ...]] = {}
    for name, ws in classes.items():
        if not isinstance(ws, list) or not all(isinstance(w, str) for w in ws):
            raise ValueError(f"{where}: class {name} must be a list of strings "
                             "(quote YAML booleans such as 'on', 'off', 'no')")
        ordered[name] = tuple(ws)
    return WordFile(module, source, ordered, {k: frozenset(v) for k, v in ordered.items()})


@lru_cache(maxsize=4096)  # the rule modules ask inside their per-token loops: one look-up, not two calls
def words(module: str, name: str) -> frozenset[str]:
    """A word class of a rule module, from data/lexicon/<module>.yaml (the lexicon layer: word lists live in
    data files with their provenance, never in code)."""
    sets = word_file(module).sets
    if name not in sets:
        raise ValueError(f"data/lexicon/{module}.yaml: no word class '{name}'")
    return sets[name]


def ordered(module: str, name: str) -> tuple[str, ...]:
    """A word class in file order, for code that tries the words in turn (suffixes, ranked titles)."""
    lists = word_file(module).ordered
    if name not in lists:
        raise ValueError(f"data/lexicon/{module}.yaml: no word class '{name}'")
    return lists[name]


@cache
def document(name: str) -> dict[str, Any]:
    """A structured lexicon file (data/lexicon/<name>.yaml: patterns, thresholds and word lists in sections),
    parsed once per process."""
    where = f"data/lexicon/{name}.yaml"
    try:
        doc = _yaml((DATA / f"{name}.yaml").read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise ValueError(f"{where}: not found") from e
    except yaml.YAMLError as e:
        raise ValueError(f"{where}: not valid YAML ({str(e).splitlines()[0]})") from e
    if not isinstance(doc, dict):
        raise ValueError(f"{where}: not a mapping")
    return doc


def _section(module: str, key: str) -> dict[str, Any]:
    sec = document(module).get(key)
    if not isinstance(sec, dict):
        raise ValueError(f"data/lexicon/{module}.yaml: no '{key}' mapping")
    return sec


def table(module: str, name: str) -> dict[str, Any]:
    """A word table of a rule module (word -> value: an irregular participle -> its verb, a modal -> the
    certainty it conveys, a month name -> its number), from the 'tables' mapping of data/lexicon/<module>.yaml,
    in the order written."""
    t = _section(module, "tables").get(name)
    if not isinstance(t, dict) or not all(isinstance(k, str) for k in t):
        raise ValueError(f"data/lexicon/{module}.yaml: table '{name}' missing or not a mapping of words "
                         "(quote YAML booleans such as 'on', 'no')")
    return dict(t)


def rules(module: str, name: str) -> list[dict[str, Any]]:
    """An ordered rule table of a rule module (a list of mappings: date-expression patterns with the
    resolver each calls), from the 'rules' mapping of data/lexicon/<module>.yaml."""
    rs = _section(module, "rules").get(name)
    if not isinstance(rs, list) or not all(isinstance(r, dict) for r in rs):
        raise ValueError(f"data/lexicon/{module}.yaml: rule table '{name}' missing or not a list of mappings")
    return [dict(r) for r in rs]


# the caches, under the names the tests empty them by
_doc = document
_word_file = word_file


@lru_cache(maxsize=1)
def cues() -> dict[str, Any]:
    # the cue lexicon is the largest YAML read at start-up (0.13 s in pure Python, hence libyaml)
    return _yaml((DATA / "cues.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def cue_sets() -> dict[str, frozenset[str]]:
    """Flat lower-case sets for the hot path."""
    c = cues()
    return {
        "reporting": frozenset(c["reporting_verbs"]),
        "reporting_nouns": frozenset(c["reporting_nouns"]),
        "denial": frozenset(c["denial_verbs"]),
        "evidence_verbs": frozenset(c["evidence_verbs"]),
        "evidence_nouns": frozenset(c["evidence_nouns"]),
        "hedge_possible": frozenset(w.lower() for w in c["hedges"]["possible"]),
        "hedge_probable": frozenset(w.lower() for w in c["hedges"]["probable"]),
        "future": frozenset(w.lower() for w in c["future"]),
        "negation": frozenset(c["negation"]),
        "non_assertive": frozenset(c["non_assertive_heads"]),
        "wrong_nouns": frozenset(c["wrongdoing"]["nouns"]),
        "wrong_verbs": frozenset(c["wrongdoing"]["verbs"]),
        "first_person": frozenset(c["first_person"]),
    }


@cache
def word_lines(name: str) -> frozenset[str]:
    """A plain word list, data/lexicon/<name> (one lower-case word a line; '#' lines are comments and one of
    them must be the '# source:' provenance line), for lists too long for a YAML class (person names)."""
    where = f"data/lexicon/{name}"
    text = (DATA / name).read_text(encoding="utf-8")
    if not any(line.startswith("# source:") for line in text.splitlines()[:5]):
        raise ValueError(f"{where}: no '# source:' (provenance) line")
    return frozenset(w for line in text.splitlines() if (w := line.strip()) and not w.startswith("#"))
