"""The frame engine's data: patterns compiled from the CAMEO 2.0 verb dictionary
(khaldun/data/frames/cameo_*.tsv, built by scripts/build_frames.py), khaldun's own trigger lexicon
(data/lexicon/triggers.tsv) and families (data/frames/families.tsv), role slots (roles.yaml) and the word
classes of the alternations (syntax.yaml). Loaded once, read-only."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ..lexicon import triggers

DATA = resources.files("khaldun") / "data" / "frames"


@dataclass(frozen=True)
class FramePattern:
    """One event pattern: its trigger (lemma, part of speech, particle), what the pattern requires of the
    clause (words before the trigger, the object's head and modifiers, prepositional phrases), its codes
    (PLOVER type and mode, CAMEO), where the target sits, the role set, and where it came from."""
    lemma: str
    pos: str  # "V" or "N"
    type: str | None  # None: the pattern says this reading codes no event
    mode: str | None
    cameo: str | None
    particle: str = ""
    subj: tuple[str, ...] = ()  # head last, like obj
    pre: tuple[str, ...] = ()
    obj: tuple[str, ...] = ()  # head last; "@name" is a synset
    preps: tuple[tuple[str, tuple[str, ...]], ...] = ()
    target: str = ""  # "obj" or "prep:X" when the dictionary marked the target
    roleset: str = ""
    source: str = ""

    @property
    def specificity(self) -> int:
        return 2 * len(self.obj) + 2 * len(self.subj) + sum(1 + 2 * len(n) for _, n in self.preps) + len(self.pre) + bool(self.particle)


@dataclass(frozen=True)
class FrameLexicon:
    patterns: dict[tuple[str, str], list[FramePattern]]  # (lemma, pos) -> most specific first
    synsets: dict[str, frozenset[str]]
    roles: dict[str, Any]
    syntax: dict[str, frozenset[str]]
    families: dict[tuple[str, str], str] = field(default_factory=dict)

    def role_spec(self, roleset: str, ptype: str) -> dict[str, list[str]]:
        if roleset and roleset in self.roles:
            return self.roles[roleset]
        return self.roles.get("types", {}).get(ptype) or self.roles["default"]


# what a transfer verb moves -> the CAMEO code of the transfer (07x: military, economic, general aid)
AID_CLASSES = (("materiel", "072"), ("personnel", "072"), ("money", "071"), ("aid", "070"))


def _materiel_words() -> frozenset[str]:
    """The head nouns of khaldun's generic materiel lexicon (the entries that need no arms context)."""
    doc = yaml.safe_load((resources.files("khaldun") / "data" / "materiel" / "generic.yaml").read_text(
        encoding="utf-8"))
    out: set[str] = set()
    for entries in doc.get("categories", {}).values():
        for e in entries:
            term = e if isinstance(e, str) else (None if e.get("context") else e.get("term"))
            if term and not any(ch.isupper() for ch in term):
                out.add(singular(term.split()[-1].lower()))
    return frozenset(out)


def _rows(name: str) -> list[list[str]]:
    text = (DATA / name).read_text(encoding="utf-8")
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2:
            raise ValueError(f"data/frames/{name} line {n}: expected tab-separated columns")
        out.append(cols)
    return out


def singular(w: str) -> str:
    """A plain-English singular of a dictionary noun ('shipments' -> 'shipment', 'casualties' -> 'casualty')."""
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "ches", "shes", "xes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _words(field_: str) -> tuple[str, ...]:
    return tuple(singular(w) if not w.startswith("@") else w for w in field_.split())


def _preps(field_: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out = []
    for part in field_.split(";"):
        if not part:
            continue
        prep, _, noun = part.partition(":")
        out.append((prep, _words(noun)))
    return tuple(out)


@lru_cache(maxsize=1)
def frame_lexicon() -> FrameLexicon:
    plover = {r[0]: (r[1], r[2] or None) for r in _rows("cameo_plover.tsv")}

    def codes(cameo: str) -> tuple[str | None, str | None, str | None]:
        if cameo == "---":
            return None, None, None
        c = cameo
        while c and c not in plover:
            c = c[:-1]
        if not c:
            return None, None, cameo
        return plover[c][0], plover[c][1], cameo

    families = {(r[0], r[1]): r[2] for r in _rows("families.tsv")}
    block_patterns: dict[str, list[list[str]]] = {}
    for r in _rows("cameo_patterns.tsv"):
        block_patterns.setdefault(r[0], []).append(r)
    pats: dict[tuple[str, str], list[FramePattern]] = {}
    seen_blocks: set[tuple[str, str]] = set()
    for lemma, particle, block, code, source in _rows("cameo_verbs.tsv"):
        key = (lemma, "V")
        rs = families.get(key, "")
        lst = pats.setdefault(key, [])
        t, m, c = codes(code)
        lst.append(FramePattern(lemma, "V", t, m, c, particle=particle, roleset=rs, source=source))
        if (lemma, block) in seen_blocks:
            continue
        seen_blocks.add((lemma, block))
        for _, pre, obj, preps, target, pcode, psource in block_patterns.get(block, []):
            t, m, c = codes(pcode)
            lst.append(FramePattern(lemma, "V", t, m, c, particle=particle, pre=_words(pre), obj=_words(obj),
                                    preps=_preps(preps), target=target, roleset=rs, source=psource))
    trig = triggers()
    for table, pos in ((trig.verbs, "V"), (trig.nouns, "N")):
        for lemma, tr in table.items():
            if "aidobj" in tr.flags and tr.type == "AID":
                # a transfer verb that codes only with what is transferred: one pattern per class of goods
                rs = families.get((lemma, pos), "")
                for cls, cameo in AID_CLASSES:
                    pats.setdefault((lemma, pos), []).append(FramePattern(
                        lemma, pos, "AID", None, cameo, obj=("@" + cls,), roleset=rs,
                        source=f"data/lexicon/triggers.tsv (aidobj) x @{cls}"))
                continue
            if pos == "V" and tr.flags:
                continue  # verbs the rule coder only takes with a given object: CAMEO's patterns decide
            key = (lemma, pos)
            fp = FramePattern(lemma, pos, tr.type, tr.mode, tr.cameo, roleset=families.get(key, ""),
                              source="data/lexicon/triggers.tsv")
            pats.setdefault(key, []).append(fp)
    for lemma, pos, subj, obj, preps, ptype, mode, cameo, *rest in _rows("khaldun_patterns.tsv"):
        pats.setdefault((lemma, pos), []).append(FramePattern(
            lemma, pos, ptype, mode or None, cameo or None, subj=_words(subj), obj=_words(obj), preps=_preps(preps),
            roleset=(rest[0] if rest else "") or families.get((lemma, pos), ""), target=rest[1] if len(rest) > 1 else "",
            source="data/frames/khaldun_patterns.tsv"))
    for lst in pats.values():
        # most specific first; among equals khaldun's own lexicon before a dictionary default; a transfer of
        # goods named by its object class outranks a dictionary pattern that adds only a bare preposition
        lst.sort(key=lambda p: (-p.specificity - ("(aidobj)" in p.source),
                                p.source.startswith("CAMEO")))
    syn: dict[str, set[str]] = {}
    for name, word in _rows("cameo_synsets.tsv") + _rows("synsets.tsv"):
        syn.setdefault(name, set()).add(singular(word))
    syn["materiel"] = _materiel_words()
    roles = yaml.safe_load((DATA / "roles.yaml").read_text(encoding="utf-8"))
    for spec in [roles["default"], roles["receive"], roles["with_theme"], *roles["types"].values()]:
        for role, args in spec.items():
            if not all(isinstance(x, str) for x in args):
                raise ValueError(f"data/frames/roles.yaml: role {role}: {args} (quote YAML booleans such as 'on')")
    sx = yaml.safe_load((DATA / "syntax.yaml").read_text(encoding="utf-8"))
    syntax = {k: frozenset(v) for k, v in sx.items() if isinstance(v, list)}
    return FrameLexicon(pats, {k: frozenset(v) for k, v in syn.items()}, roles, syntax, families)
