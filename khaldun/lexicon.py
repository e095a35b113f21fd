"""Loaders for khaldun's own lexicons (data files under khaldun/data/lexicon, with provenance).

- triggers.tsv: event-trigger lemmas (verbs and nominalizations) -> PLOVER type, mode, CAMEO code.
- <module>.yaml (events.yaml, mentions.yaml): a rule module's word classes, read with `words(module, name)`.
- cues.yaml: reporting verbs, hedges, future and negation cues, via (chain) phrases, evidence words.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
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


@lru_cache(maxsize=16)
def _word_file(module: str) -> dict[str, frozenset[str]]:
    path = DATA / f"{module}.yaml"
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError as e:
        raise ValueError(f"data/lexicon/{module}.yaml: not found") from e
    classes = doc.get("classes") if isinstance(doc, dict) else None
    if not isinstance(classes, dict):
        raise ValueError(f"data/lexicon/{module}.yaml: no 'classes' mapping")
    out: dict[str, frozenset[str]] = {}
    for name, ws in classes.items():
        if not isinstance(ws, list) or not all(isinstance(w, str) for w in ws):
            raise ValueError(f"data/lexicon/{module}.yaml: class {name} must be a list of strings "
                             "(quote YAML booleans such as 'on', 'off', 'no')")
        out[name] = frozenset(ws)
    return out


@lru_cache(maxsize=4096)  # the rule modules ask inside their per-token loops: one look-up, not two calls
def words(module: str, name: str) -> frozenset[str]:
    """A word class of a rule module, from data/lexicon/<module>.yaml (the lexicon layer: word lists live in
    data files with their provenance, never in code)."""
    classes = _word_file(module)
    if name not in classes:
        raise ValueError(f"data/lexicon/{module}.yaml: no word class '{name}'")
    return classes[name]


@lru_cache(maxsize=1)
def cues() -> dict[str, Any]:
    # libyaml when present: the cue lexicon is the largest YAML read at start-up (0.13 s in pure Python)
    return yaml.load((DATA / "cues.yaml").read_text(encoding="utf-8"),
                     Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


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
