"""Arabic lexicons (khaldun/data/arabic): loading, verb inflection, phrase tables. Errors name the file and line."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from ..lexicon import ordered as lexicon_ordered
from ..lexicon import words as lexicon_words
from .text import norm, norm_key, strip_article

PERFECT_SUFFIXES = lexicon_ordered("arabic", "perfect_suffixes")
IMPERFECT_PREFIXES = lexicon_ordered("arabic", "imperfect_prefixes")  # no 1st person singular: "أسلحة" is not "I arm it"
IMPERFECT_SUFFIXES = lexicon_ordered("arabic", "imperfect_suffixes")
OBJECTS = lexicon_ordered("arabic", "object_suffixes")
NOUN_SUFFIXES = lexicon_ordered("arabic", "noun_suffixes")
_DEFECTIVE_PERFECT = lexicon_ordered("arabic", "defective_perfect_suffixes")
_DEFECTIVE_IMPERFECT = lexicon_ordered("arabic", "defective_imperfect_suffixes")
_TA_MARBUTA_SUFFIXES = lexicon_ordered("arabic", "ta_marbuta_suffixes")
_TRIGGER_POS = lexicon_words("arabic", "trigger_pos")


@dataclass(frozen=True)
class Trigger:
    form: str
    pos: str
    type: str
    detail: str | None
    roles: str
    needs: str
    source: str
    words: int = 1


def _path(name: str) -> Any:
    return resources.files("khaldun") / "data" / "arabic" / name


def _rows(name: str, ncols: int) -> list[list[str]]:
    out = []
    for n, line in enumerate(_path(name).read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < ncols:
            raise ValueError(f"khaldun/data/arabic/{name}:{n}: expected {ncols} tab-separated columns, got {len(cols)}")
        out.append(cols)
    return out


@lru_cache(maxsize=1)
def cues() -> dict[str, Any]:
    data = yaml.safe_load(_path("cues.yaml").read_text("utf-8"))
    if not isinstance(data, dict):
        raise ValueError("khaldun/data/arabic/cues.yaml: not a mapping")
    return data


def verb_forms(perfect: str) -> set[str]:
    """Inflected forms (normalized) of a verb given as its perfect 3ms: perfect and imperfect, with object
    pronouns; the future sa- is split off by the tokenizer."""
    p = norm(perfect)
    out = {p + s + o for s in PERFECT_SUFFIXES for o in OBJECTS}
    if p.endswith("ي"):  # defective verbs (nafa -> nafat, nafaw)
        out |= {p[:-1] + s + o for s in _DEFECTIVE_PERFECT for o in OBJECTS}
    stem = p[1:] if p.startswith("ا") and len(p) > 3 else p
    out |= imperfect_forms(stem)
    return out


def imperfect_forms(stem: str) -> set[str]:
    out = {pre + stem + suf + o for pre in IMPERFECT_PREFIXES for suf in IMPERFECT_SUFFIXES for o in OBJECTS}
    if stem.endswith("ي"):
        out |= {pre + stem[:-1] + suf + o for pre in IMPERFECT_PREFIXES for suf in _DEFECTIVE_IMPERFECT for o in OBJECTS}
    return out


def noun_forms(noun: str) -> set[str]:
    n = norm_key(noun)
    base = n[:-1] if n.endswith("ه") else n
    words = n.split(" ")
    if len(words) > 1:
        return {n}
    if n.endswith("ه"):  # ta marbuta: "مصادرة" is not "مصادر"
        return {base + s for s in _TA_MARBUTA_SUFFIXES} | {n}
    return {base + s for s in NOUN_SUFFIXES} | {n}


@lru_cache(maxsize=1)
def triggers() -> tuple[dict[str, list[Trigger]], dict[str, list[tuple[tuple[str, ...], Trigger]]]]:
    """Single-word forms -> triggers, and first word -> multi-word phrases (normalized words) with their trigger."""
    single: dict[str, list[Trigger]] = {}
    multi: dict[str, list[tuple[tuple[str, ...], Trigger]]] = {}
    for cols in _rows("triggers.tsv", 7):
        form, pos, typ, detail, roles, needs, src = (c.strip() for c in cols[:7])
        if pos not in _TRIGGER_POS:
            raise ValueError(f"khaldun/data/arabic/triggers.tsv: bad pos {pos!r} for {form!r}")
        tr = Trigger(norm(form), pos, typ, None if detail == "-" else detail, roles, needs, src)
        if " " in form.strip():
            words = norm_key(form).split()
            firsts = verb_forms(words[0]) if pos == "v" else noun_forms(words[0])
            for f in firsts:
                multi.setdefault(f, []).append(((f, *words[1:]), tr))
            continue
        forms = verb_forms(form) if pos == "v" else imperfect_forms(norm(form)[1:]) if pos == "vi" else \
            noun_forms(form)
        for f in forms:
            single.setdefault(f, []).append(tr)
    for f, trs in single.items():  # the word itself before an inflection that spells it ("شحنة" not "shipped it")
        trs.sort(key=lambda t, f=f: (norm_key(t.form) != f, t.pos != "n"))
    return single, multi


@lru_cache(maxsize=1)
def cue_verbs() -> dict[str, str]:
    """Inflected form -> kind of a reporting verb: say, deny, allege, accuse."""
    c = cues()
    out: dict[str, str] = {}
    for kind, key in (("say", "speech_verbs"), ("deny", "denial_verbs"), ("allege", "allege_verbs"),
                      ("accuse", "accuse_verbs")):
        for w in c.get(key, []):
            forms = verb_forms(w) if not norm(w).startswith(("ي", "ت")) or kind == "say" and len(norm(w)) <= 3 \
                else imperfect_forms(norm(w)[1:])
            for f in forms:
                out.setdefault(f, kind)
    for w in c.get("irregular_speech", []):
        out.setdefault(norm(w), "say")
    return out


@lru_cache(maxsize=1)
def light_verbs() -> frozenset[str]:
    """Inflected forms of the light verbs that carry a noun event ("شارك في القتال", "نفذ هجوما")."""
    return frozenset(f for w in cues().get("light_verbs", []) for f in verb_forms(w))


@lru_cache(maxsize=1)
def undergo_verbs() -> frozenset[str]:
    """Inflected forms of verbs whose subject undergoes the noun event ("تلقت ضربات", "تعرض لهجوم")."""
    return frozenset(f for w in cues().get("undergo_verbs", []) for f in verb_forms(w))


@lru_cache(maxsize=1)
def actor_table() -> dict[tuple[str, ...], tuple[str, str]]:
    """Normalized article-less words -> (registry id or ISO3, how) from actors.tsv and states.tsv."""
    out: dict[tuple[str, ...], tuple[str, str]] = {}
    for cols in _rows("actors.tsv", 3):
        out[tuple(norm_key(cols[0]).split())] = (cols[1].strip(), cols[2].strip())
    for cols in _rows("states.tsv", 2):
        out.setdefault(tuple(cols[0].split()), (cols[1].strip(), "name"))
    return out


@lru_cache(maxsize=1)
def up_actor_table() -> dict[tuple[str, ...], tuple[str, str]]:
    out: dict[tuple[str, ...], tuple[str, str]] = {}
    for cols in _rows("up_actors.tsv", 2):
        out[tuple(cols[0].split())] = (cols[1].strip(), cols[2].strip() if len(cols) > 2 else "")
    return out


@lru_cache(maxsize=1)
def agent_table() -> dict[tuple[str, ...], tuple[str, str, str]]:
    """Normalized words -> (english agent word, sector, kind); curated rows win over UniversalPETRARCH's."""
    out: dict[tuple[str, ...], tuple[str, str, str]] = {}
    for cols in _rows("agents.tsv", 4):
        out[tuple(norm_key(cols[0]).split())] = (cols[1].strip(), cols[2].strip(), cols[3].strip())
    for cols in _rows("up_agents.tsv", 3):
        key = tuple(cols[0].split())
        if 2 <= len(key) <= 3:  # single words of that dictionary are too often adjectives ("انتحارية")
            out.setdefault(key, (cols[2].strip(), cols[1].strip(), "up"))
    return out


@cache
def word_set(key: str) -> frozenset[str]:
    return frozenset(norm_key(w) for w in cues().get(key, []))


@cache
def word_set_raw(key: str) -> frozenset[str]:
    """Normalized words of a cues.yaml list, articles and clitics kept."""
    return frozenset(norm(w) for w in cues().get(key, []))


@cache
def phrase_set(key: str) -> frozenset[tuple[str, ...]]:
    return frozenset({tuple(norm_key(w).split()) for w in cues().get(key, [])})


def bare(w: str) -> str:
    return strip_article(norm(w))
