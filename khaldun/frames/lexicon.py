"""The frame engine's data: patterns compiled from the CAMEO 2.0 verb dictionary
(khaldun/data/frames/cameo_*.tsv, built by scripts/build_frames.py, with the inflected forms its verb lines
list), khaldun's own trigger lexicon
(data/lexicon/triggers.tsv) and families (data/frames/families.tsv), role slots (roles.yaml) and the word
classes of the alternations (syntax.yaml). Loaded once, read-only."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ..lexicon import ordered, triggers

DATA = resources.files("khaldun") / "data" / "frames"
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it: the same documents


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
    patterns: Mapping[tuple[str, str], list[FramePattern]]  # (lemma, pos) -> most specific first
    synsets: dict[str, frozenset[str]]
    roles: dict[str, Any]
    syntax: dict[str, frozenset[str]]
    families: dict[tuple[str, str], str] = field(default_factory=dict)
    forms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # an inflected form -> the verbs it is of

    def role_spec(self, roleset: str, ptype: str) -> dict[str, list[str]]:
        if roleset and roleset in self.roles:
            return self.roles[roleset]
        return self.roles.get("types", {}).get(ptype) or self.roles["default"]


# what a transfer verb moves -> the CAMEO code of the transfer (07x: military, economic, general aid)
AID_CLASSES = (("materiel", "072"), ("personnel", "072"), ("money", "071"), ("aid", "070"))


def _materiel_words() -> frozenset[str]:
    """The head nouns of khaldun's generic materiel lexicon (the entries that need no arms context)."""
    doc = yaml.load((resources.files("khaldun") / "data" / "materiel" / "generic.yaml").read_text(
        encoding="utf-8"), Loader=_YAML_LOADER)
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


_SIBILANT_PLURALS = ordered("english", "sibilant_plural_endings")
_SINGULAR_S = ordered("english", "singular_s_endings")


@lru_cache(maxsize=16384)
def singular(w: str) -> str:
    """A plain-English singular of a dictionary noun ('shipments' -> 'shipment', 'casualties' -> 'casualty')."""
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(_SIBILANT_PLURALS):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(_SINGULAR_S):
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


class _Patterns(Mapping[tuple[str, str], list[FramePattern]]):
    """(lemma, pos) -> its patterns, most specific first, each list built on first use.

    The CAMEO dictionary crosses 1,800 verbs with their synonym blocks' 4,700 patterns: some 50,000
    patterns, of which an article reads a few dozen lists. Building them all took a third of a second at
    start-up; a key's list is the same built alone (its rows are read in the same file order)."""

    def __init__(self, src: _Sources) -> None:
        self._src = src
        self._built: dict[tuple[str, str], list[FramePattern]] = {}
        self._keys = src.keys()

    def __getitem__(self, key: tuple[str, str]) -> list[FramePattern]:
        lst = self._built.get(key)
        if lst is None:
            if key not in self._keys:
                raise KeyError(key)
            lst = self._built[key] = self._src.build(key)
        return lst

    def get(self, key: tuple[str, str], default: Any = None) -> Any:  # type: ignore[override]
        lst = self._built.get(key)
        if lst is not None:
            return lst
        return self[key] if key in self._keys else default

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


class _Sources:
    """The rows the patterns are built from, indexed by (lemma, pos)."""

    def __init__(self) -> None:
        self.plover = {r[0]: (r[1], r[2] or None) for r in _rows("cameo_plover.tsv")}
        self.families = {(r[0], r[1]): r[2] for r in _rows("families.tsv")}
        self.blocks: dict[str, list[list[str]]] = {}
        for r in _rows("cameo_patterns.tsv"):
            self.blocks.setdefault(r[0], []).append(r)
        self.verbs: dict[tuple[str, str], list[list[str]]] = {}
        for r in _rows("cameo_verbs.tsv"):
            self.verbs.setdefault((r[0], "V"), []).append(r)
        self.own: dict[tuple[str, str], list[list[str]]] = {}
        for r in _rows("khaldun_patterns.tsv"):
            self.own.setdefault((r[0], r[1]), []).append(r)
        trig = triggers()
        self.triggers = {"V": trig.verbs, "N": trig.nouns}

    def keys(self) -> frozenset[tuple[str, str]]:
        out = set(self.verbs) | set(self.own)
        for pos, table in self.triggers.items():
            for lemma, tr in table.items():
                if not (pos == "V" and tr.flags and not ("aidobj" in tr.flags and tr.type == "AID")):
                    out.add((lemma, pos))
        return frozenset(out)

    def codes(self, cameo: str) -> tuple[str | None, str | None, str | None]:
        if cameo == "---":
            return None, None, None
        c = cameo
        while c and c not in self.plover:
            c = c[:-1]
        if not c:
            return None, None, cameo
        return self.plover[c][0], self.plover[c][1], cameo

    def build(self, key: tuple[str, str]) -> list[FramePattern]:
        lemma, pos = key
        rs = self.families.get(key, "")
        lst: list[FramePattern] = []
        seen_blocks: set[str] = set()
        for _, particle, block, code, source in self.verbs.get(key, ()):
            t, m, c = self.codes(code)
            lst.append(FramePattern(lemma, "V", t, m, c, particle=particle, roleset=rs, source=source))
            if block in seen_blocks:
                continue
            seen_blocks.add(block)
            for _, pre, obj, preps, target, pcode, psource in self.blocks.get(block, []):
                t, m, c = self.codes(pcode)
                lst.append(FramePattern(lemma, "V", t, m, c, particle=particle, pre=_words(pre), obj=_words(obj),
                                        preps=_preps(preps), target=target, roleset=rs, source=psource))
        tr = self.triggers[pos].get(lemma) if pos in self.triggers else None
        if tr is not None:
            if "aidobj" in tr.flags and tr.type == "AID":
                # a transfer verb that codes only with what is transferred: one pattern per class of goods
                for cls, cameo in AID_CLASSES:
                    lst.append(FramePattern(lemma, pos, "AID", None, cameo, obj=("@" + cls,), roleset=rs,
                                            source=f"data/lexicon/triggers.tsv (aidobj) x @{cls}"))
            elif not (pos == "V" and tr.flags):  # verbs the rule coder only takes with a given object: CAMEO's
                lst.append(FramePattern(lemma, pos, tr.type, tr.mode, tr.cameo, roleset=rs,
                                        source="data/lexicon/triggers.tsv"))
        for _, _, subj, obj, preps, ptype, mode, cameo, *rest in self.own.get(key, ()):
            lst.append(FramePattern(
                lemma, pos, ptype, mode or None, cameo or None, subj=_words(subj), obj=_words(obj),
                preps=_preps(preps), roleset=(rest[0] if rest else "") or rs, target=rest[1] if len(rest) > 1 else "",
                source="data/frames/khaldun_patterns.tsv"))
        # most specific first; among equals khaldun's own lexicon before a dictionary default; a transfer of
        # goods named by its object class outranks a dictionary pattern that adds only a bare preposition
        lst.sort(key=lambda p: (-p.specificity - ("(aidobj)" in p.source), p.source.startswith("CAMEO")))
        return lst


@lru_cache(maxsize=1)
def frame_lexicon() -> FrameLexicon:
    src = _Sources()
    syn: dict[str, set[str]] = {}
    for name, word in _rows("cameo_synsets.tsv") + _rows("synsets.tsv"):
        syn.setdefault(name, set()).add(singular(word))
    syn["materiel"] = _materiel_words()
    roles = yaml.load((DATA / "roles.yaml").read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    for spec in [roles["default"], roles["receive"], roles["with_theme"], *roles["types"].values()]:
        for role, args in spec.items():
            if not all(isinstance(x, str) for x in args):
                raise ValueError(f"data/frames/roles.yaml: role {role}: {args} (quote YAML booleans such as 'on')")
    sx = yaml.load((DATA / "syntax.yaml").read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    syntax = {k: frozenset(v) for k, v in sx.items() if isinstance(v, list)}
    forms: dict[str, tuple[str, ...]] = {}
    for form, lemma, *_ in _rows("cameo_forms.tsv"):
        if lemma not in forms.get(form, ()):
            forms[form] = forms.get(form, ()) + (lemma,)
    return FrameLexicon(_Patterns(src), {k: frozenset(v) for k, v in syn.items()}, roles, syntax, src.families, forms)
