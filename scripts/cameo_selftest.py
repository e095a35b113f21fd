#!/usr/bin/env python3
"""A mechanism test of the frame compile + engine, NOT a corpus: sentences generated from the CAMEO 2.0
verb dictionary's own verbs, patterns and synsets, with actors from the Phoenix country and agent
dictionaries, in several syntactic alternations, each with the event the dictionary assigns (CAMEO root
-> PLOVER type through khaldun/data/frames/cameo_plover.tsv).

What it measures: whether a clause the dictionary codes is still coded when the same pattern is said in
another alternation, and whether its actors land in the right slots. What it does NOT measure: accuracy on
real text. The sentences are template English (some are stilted: "Chad's hastening of aid came as a
surprise."), every pattern is equally weighted whatever its frequency in news, and the actors are the ones
khaldun's registry resolves (a filter, so that actor resolution is not what is scored). Nobody tuned on
these sentences; they are regenerated (seeded) on each run and never stored in the repository.

Alternations (each pattern or bare verb of the dictionary yields those that apply to it):
- active        "S V-ed [T | pattern words, T where the pattern marks the target]."
- passive_by    "T was V-en by S." (bare verbs) / "OBJ was V-en by S [preps]." (patterns with an object)
- passive       the same without the 'by' phrase, where a party is left (the target): the source is unknown
- coord_subj    "S1 and S2 V-ed ...": two events, one per subject
- control       "S attempted to V ...": subject control (ATTEMPT codes nothing in CAMEO); the embedded event, with the controller as its source
                (not "agreed to V": khaldun codes a commitment as one PLOVER AGREE claim that takes the embedded
                act's parties, as the PLOVER codebook asks, so the dictionary's code of V is not the gold there)
- nominal       "S's V-ing of OBJ [preps] came as a surprise." where the pattern has an object noun

Scores (micro over sentences): type-set F1 (the set of PLOVER types per sentence), type+actors F1 (the set
of (type, source country, target country) per sentence, every actor x recipient country of a claim, None
for an empty side) and the no-code rate (sentences with no claim among those whose gold is not empty).
Gold with no event ('---' codes, CAMEO codes PLOVER does not map) is kept: any claim there is a false
positive. Setting 'raw' is the frame engine alone on the parse (every match, slots resolved by the registry,
none of the claim stage's policies); the others are the whole pipeline, the setting read by
events.EventExtractor from KHALDUN_FRAMES: rules (hand-written triggers only),
engine (the frame engine alone), fallback (today's default: rules, then the engine where they code nothing)
and first (the engine primary for the verb clauses it matches).

Usage: PYTHONPATH=. .venv/bin/python scripts/cameo_selftest.py [--shared ../shared] [--seed 13] [--n 400]
       [--settings rules,engine,fallback,first] [--by-alternation] [--misses KIND:N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from build_frames import _BLOCK, _CODE, _code, _elements, _words, parse_synsets  # noqa: E402

ALTERNATIONS = ("active", "passive_by", "passive", "coord_subj", "control", "nominal")
AGENTS = ("GOV", "MIL", "COP")
ANY = "*"  # a side the sentence does not name: any country (or none) matches it
PARTICLES = ("up", "down", "out", "off", "back", "away", "over", "in", "on", "through", "forward")  # Phoenix agent codes used as "the <demonym> <agent>"


# -- the dictionary -----------------------------------------------------------------------------------------
@dataclass
class Verb:
    lemma: str
    particle: str
    code: str  # own code or the block's
    forms: list[str] = field(default_factory=list)  # irregular forms of the dictionary's braces


@dataclass
class Pattern:
    pre: list[str]
    post: list[str]  # the elements after '*', raw
    code: str
    line: int


@dataclass
class Block:
    name: str
    code: str
    verbs: list[Verb] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)


def read_dictionary(path: Path) -> tuple[dict[str, list[str]], list[Block]]:
    lines = path.read_text(encoding="latin-1").splitlines()
    start = next(i for i, s in enumerate(lines) if "VERB PATTERNS" in s)
    syn = parse_synsets(lines[:start])
    blocks: list[Block] = []
    for n, line in enumerate(lines[start:], start + 1):
        s = line.split("#", 1)[0].rstrip()
        if not s.strip() or s.startswith("~"):
            continue
        bm = _BLOCK.match(s)
        if bm:
            blocks.append(Block(_words(bm.group(1)), _code(bm.group(2))))
            continue
        if not blocks:
            continue
        b = blocks[-1]
        if s.startswith("-"):
            m = _CODE.search(s)
            body = s[1:m.start()] if m else ""
            if m is None or "*" not in body:
                continue
            pre, post = body.split("*", 1)
            b.patterns.append(Pattern(_elements(pre), _elements(post), _code(m.group(1)), n))
            continue
        cm = _CODE.search(s)
        braces = re.findall(r"\{([^}]*)\}", s)
        head = re.sub(r"\{[^}]*\}", "", _CODE.sub("", s)).split()
        if not head or not head[0].lstrip("+").split("_")[0].isalpha() or "_+" in head[0]:
            continue
        parts = [p for p in head[0].lstrip("+").lower().split("_") if p]
        forms = [f.lstrip("+").lower().split("_")[0] for f in (braces[0].split() if braces else [])]
        b.verbs.append(Verb(parts[0], " ".join(parts[1:]), _code(cm.group(1)) if cm else b.code, forms))
    return syn, blocks


# -- English forms ------------------------------------------------------------------------------------------
_VOWELS = "aeiou"


def _cvc(w: str) -> bool:
    return len(w) <= 4 and len(w) >= 3 and w[-1] not in _VOWELS + "wxy" and w[-2] in _VOWELS and w[-3] not in _VOWELS


def inflect(v: Verb) -> dict[str, str]:
    w = v.lemma
    if w.endswith("e"):
        past, ing = w + "d", w[:-1] + "ing"
    elif w.endswith("y") and w[-2:-1] not in _VOWELS:
        past, ing = w[:-1] + "ied", w + "ing"
    elif _cvc(w):
        past, ing = w + w[-1] + "ed", w + w[-1] + "ing"
    else:
        past, ing = w + "ed", w + "ing"
    out = {"base": w, "past": past, "pastp": past, "ing": ing}
    other = [f for f in v.forms if not f.endswith("ing") and not (f.endswith("s") and f[:-1].startswith(w[:-1]))]
    for f in v.forms:
        if f.endswith("ing"):
            out["ing"] = f
    if other:
        out["past"] = other[0]
        out["pastp"] = other[1] if len(other) > 1 else other[0]
    return out


# -- actors -------------------------------------------------------------------------------------------------
def read_actors(shared: Path, registry: Any) -> list[tuple[str, str]]:
    """(text, ISO3) actor phrases: Phoenix country names and "the <demonym> <agent>", kept when khaldun's
    registry resolves the whole phrase's country to the Phoenix code (actor resolution is not under test)."""
    ref = shared / "refdata" / "cameo_phoenix"
    names: list[tuple[str, str]] = []
    demonyms: list[tuple[str, str]] = []
    cur = None
    for line in (ref / "Phoenix.Countries.actors.txt").read_text(encoding="latin-1").splitlines():
        s = line.split("#", 1)[0].strip()
        m = re.match(r"^([A-Z_]+)\s+\[([A-Z]{3})\]", s)
        if m:
            cur = m.group(2)
            names.append((m.group(1).strip("_").replace("_", " ").title(), cur))
            continue
        if s.startswith("+") and cur and "_" not in s.strip("+_ ") and s.strip("+_ ").isalpha():
            demonyms.append((s.strip("+_ ").title(), cur))
    agents: list[str] = []
    for line in (ref / "Phoenix.agents.txt").read_text(encoding="latin-1").splitlines():
        m = re.match(r"^([A-Z]+)\s*(?:\{\})?\s*\[~([A-Z]{3})\]", line)
        if m and m.group(2) in AGENTS:
            agents.append(m.group(1).lower())

    def resolves(text: str, iso: str) -> bool:
        found = registry.find(text)
        return len(found) == 1 and found[0].entry.country == iso

    from khaldun.mentions import ROLE_NOUNS, ROLE_SECTOR
    # (the agent words khaldun's mention stage knows as heads of an actor phrase: actor resolution is not
    # under test)
    agents = sorted(set(agents) & (set(ROLE_SECTOR) | set(ROLE_NOUNS)))
    out = [(n, iso) for n, iso in names if " " not in n and resolves(n, iso)]
    seen = {iso for _, iso in out}
    dem = {}
    for d, iso in demonyms:
        if iso in seen and iso not in dem and d.endswith(("an", "ese", "ish", "i", "ch")) \
                and registry.find(d) and registry.find(d)[0].entry.country == iso:
            dem[iso] = d
    for iso, d in sorted(dem.items()):
        for a in agents:
            phrase = f"the {d} {a}"
            if resolves(phrase, iso):
                out.append((phrase, iso))
    return out


# -- generation ---------------------------------------------------------------------------------------------
@dataclass
class Item:
    text: str
    gold: set[tuple[str, str | None, str | None]]
    alternation: str
    source: str  # the dictionary line
    ignore: frozenset[str] = frozenset()


def _noun(el: str, syn: dict[str, list[str]], rng: random.Random) -> str:
    out = []
    for w in el.strip("{}").split():
        if w.startswith("&"):
            members = [m for m in syn.get(w[1:].rstrip("_").lower(), []) if m]
            if not members:
                return ""
            out.append(rng.choice(sorted(members)))
        else:
            out.append(_words(w))
    return " ".join(x for x in out if x)


def realize_post(post: list[str], syn: dict[str, list[str]], rng: random.Random, target: str
                 ) -> tuple[str, str, str, bool] | None:
    """The object words and the prepositional words of a pattern, with the target where '+' marks it (or
    None). -> (particle, object phrase, rest, target placed)."""
    obj, rest, placed, prt = "", [], False, ""
    if post and post[0].isalpha() and post[0].lower() in PARTICLES:
        prt = " " + post[0].lower()  # "STEP * UP SAFEGUARD": a particle right after the verb
        post = post[1:]
    for el in post:
        if el in ("$", "^", "%"):
            continue
        if el == "+":
            (rest.append(target) if (obj or rest) else None)
            if not (obj or rest):
                obj = target
            placed = True
            continue
        if el.startswith("("):
            inner = [e for e in _elements(el[1:-1]) if e not in ("$", "^", "%")]
            if len(inner) == 1 and not placed:
                inner.append("+")  # "(TO)": the preposition's object is the pattern's open slot
            words = []
            for e in inner:
                if e == "+":
                    words.append(target)
                    placed = True
                else:
                    nw = _noun(e, syn, rng) if (e.startswith(("{", "&")) or words) else _words(e)
                    if not nw:
                        return None
                    words.append(f"the {nw}" if words else nw)
            rest.append(" ".join(words))
            continue
        nw = _noun(el, syn, rng)
        if not nw:
            return None
        if not obj and not rest:
            obj = f"the {nw}"
        else:
            rest.append(nw)
    return prt, obj, " ".join(rest), placed


class Generator:
    def __init__(self, syn: dict[str, list[str]], blocks: list[Block], actors: list[tuple[str, str]],
                 plover: dict[str, str], seed: int) -> None:
        self.syn, self.blocks, self.actors, self.plover = syn, blocks, actors, plover
        self.rng = random.Random(seed)

    def ptype(self, code: str) -> str | None:
        if code == "---":
            return None
        c = code
        while c and c not in self.plover:
            c = c[:-1]
        return self.plover.get(c) if c else None

    def two(self) -> tuple[tuple[str, str], tuple[str, str]]:
        a = self.rng.choice(self.actors)
        b = self.rng.choice([x for x in self.actors if x[1] != a[1]])
        return a, b

    def units(self) -> list[tuple[Verb, Pattern | None, str]]:
        """Every (verb, pattern) unit: each bare verb, and each pattern with one verb of its block."""
        out: list[tuple[Verb, Pattern | None, str]] = []
        for b in self.blocks:
            for v in b.verbs:
                out.append((v, None, f"{b.name}: {v.lemma}"))
            if b.verbs:
                for p in b.patterns:
                    out.append((self.rng.choice(b.verbs), p, f"CAMEO.2.0.txt:{p.line}"))
        return out

    def make(self, unit: tuple[Verb, Pattern | None, str], alt: str) -> Item | None:
        v, p, src = unit
        f = inflect(v)
        prt = f" {v.particle}" if v.particle else ""
        (s, siso), (t, tiso) = self.two()
        code = p.code if p else v.code
        typ = self.ptype(code)
        if p is None:
            return self._bare(f, prt, s, siso, t, tiso, typ, alt, src)
        if any(e in ("$",) for e in p.pre) or any(e.startswith("(") for e in p.pre):
            return None
        pre = " ".join(w for w in (_noun(e, self.syn, self.rng) for e in p.pre if e not in ("+", "^", "%")) if w)
        r = realize_post(p.post, self.syn, self.rng, t)
        if r is None:
            return None
        prt2, obj, rest, placed = r
        prt += prt2
        tgt = tiso if placed else ANY
        gold = {(typ, siso, tgt)} if typ else set()
        subj = f"{s}'s {pre}" if pre else s
        tail = " ".join(x for x in (obj, rest) if x)
        if alt == "active":
            return Item(_sent(f"{subj} {f['past']}{prt} {tail}"), gold, alt, src)
        if pre:
            return None
        if alt in ("passive_by", "passive"):
            if not obj or obj == t and not placed or (alt == "passive" and not placed):
                return None  # (a passive naming no party at all codes nothing between parties)
            by = f" by {s}" if alt == "passive_by" else ""
            g = gold if alt == "passive_by" else ({(typ, None if placed else ANY, tgt)} if typ else set())
            return Item(_sent(f"{_cap(obj)} was {f['pastp']}{prt}{by} {rest}"), g, alt, src)
        if alt == "coord_subj":
            (s2, iso2) = self.rng.choice([x for x in self.actors if x[1] not in (siso, tiso)])
            g = {(typ, siso, tgt), (typ, iso2, tgt)} if typ else set()
            return Item(_sent(f"{s} and {s2} {f['past']}{prt} {tail}"), g, alt, src)
        if alt == "control":
            return Item(_sent(f"{s} attempted to {f['base']}{prt} {tail}"), gold, alt, src)
        if alt == "nominal" and obj and obj != t:
            return Item(_sent(f"{s}'s {f['ing']}{prt} of {obj} {rest} came as a surprise"), gold, alt, src)
        return None

    @staticmethod
    def _bare(f: dict[str, str], prt: str, s: str, siso: str, t: str, tiso: str, typ: str | None, alt: str,
              src: str) -> Item | None:
        g = {(typ, siso, tiso)} if typ else set()
        if alt == "active":
            return Item(_sent(f"{s} {f['past']}{prt} {t}"), g, alt, src)
        if alt == "passive_by":
            return Item(_sent(f"{_cap(t)} was {f['pastp']}{prt} by {s}"), g, alt, src)
        if alt == "passive":
            return Item(_sent(f"{_cap(t)} was {f['pastp']}{prt}"), {(typ, None, tiso)} if typ else set(), alt, src)
        if alt == "control":
            return Item(_sent(f"{s} attempted to {f['base']}{prt} {t}"), g, alt, src)
        return None  # coordinated subjects and nominals are drawn from the patterns


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _sent(s: str) -> str:
    return _cap(" ".join(s.split())) + "."


def generate(shared: Path, seed: int, n: int, registry: Any, plover: dict[str, str]) -> list[Item]:
    syn, blocks = read_dictionary(shared / "refdata" / "cameo_phoenix" / "CAMEO.2.0.txt")
    actors = read_actors(shared, registry)
    gen = Generator(syn, blocks, actors, plover, seed)
    units = gen.units()
    items: list[Item] = []
    for alt in ALTERNATIONS:
        order = list(range(len(units)))
        gen.rng.shuffle(order)
        got = 0
        for i in order:
            if got >= n:
                break
            it = gen.make(units[i], alt)
            if it is not None:
                items.append(it)
                got += 1
    return items


# -- scoring ------------------------------------------------------------------------------------------------
def predicted(doc: Any, ignore: frozenset[str]) -> tuple[set[str], set[tuple[str, str | None, str | None]]]:
    types: set[str] = set()
    triples: set[tuple[str, str | None, str | None]] = set()
    for c in doc.claims:
        t = c.event.type
        if t in ignore:
            continue
        types.add(t)
        srcs = {a.country for a in c.actors if a.country} or {None}
        tgts = {a.country for a in c.recipients if a.country} or {None}
        triples.update((t, s, g) for s in srcs for g in tgts)
    return types, triples


@dataclass
class Score:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    n: Counter[str] = field(default_factory=Counter)
    nocode: Counter[str] = field(default_factory=Counter)
    misses: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, it: Item, doc: Any) -> None:
        ptypes, ptriples = predicted(doc, it.ignore)
        for g in it.gold:  # a gold side the sentence leaves unnamed takes whatever the claim has there
            for p in list(ptriples):
                if p[0] == g[0] and (g[1] in (ANY, p[1])) and (g[2] in (ANY, p[2])):
                    ptriples.discard(p)
                    ptriples.add(g)
        gtypes = {g[0] for g in it.gold}
        for key, gold, pred in (("type", gtypes, ptypes), ("actors", it.gold, ptriples)):
            for k in (key, f"{key}:{it.alternation}"):
                self.tp[k] += len(gold & pred)
                self.fp[k] += len(pred - gold)
                self.fn[k] += len(gold - pred)
        if it.gold:
            for k in ("all", it.alternation):
                self.n[k] += 1
                self.nocode[k] += not ptypes
            if not ptypes:
                self.misses[f"nocode:{it.alternation}"].append(f"{it.text}  [{sorted(gtypes)} {it.source}]")
            elif gtypes - ptypes:
                self.misses[f"type:{it.alternation}"].append(
                    f"{it.text}  [gold {sorted(gtypes)} got {sorted(ptypes)} {it.source}]")
            elif it.gold - ptriples:
                self.misses[f"actors:{it.alternation}"].append(
                    f"{it.text}  [gold {sorted(it.gold, key=str)} got {sorted(ptriples, key=str)}]")
        elif ptypes:
            self.misses[f"fp:{it.alternation}"].append(f"{it.text}  [got {sorted(ptypes)} {it.source}]")

    def f1(self, k: str) -> float:
        tp, fp, fn = self.tp[k], self.fp[k], self.fn[k]
        return round(2 * tp / (2 * tp + fp + fn), 3) if tp else 0.0

    def figures(self, alt: str | None = None) -> dict[str, float]:
        sfx = f":{alt}" if alt else ""
        key = alt or "all"
        return {"type_f1": self.f1("type" + sfx), "type_actors_f1": self.f1("actors" + sfx),
                "no_code": round(self.nocode[key] / self.n[key], 3) if self.n[key] else 0.0, "n": self.n[key]}


def raw_engine(items: list[Item], registry: Any) -> list[Any]:
    """The setting 'raw': the frame engine alone on the parse, every match with an event type, its actor and
    target slots resolved by the registry on the slot's phrase; none of the claim stage's policies (parties
    required, one clause a sentence). The mechanism itself: compile + engine."""
    from types import SimpleNamespace

    from khaldun.frames import FrameEngine
    from khaldun.nlp import load_model

    nlp, engine = load_model(), FrameEngine()

    def side(toks: list[Any]) -> list[Any]:
        out = []
        for t in toks:
            text = " ".join(x.text for x in t.subtree)
            out += [SimpleNamespace(country=m.entry.country) for m in registry.find(text)[:1]]
        return out

    docs = []
    for doc in nlp.pipe([it.text for it in items]):
        claims = []
        for m in engine.match_span(doc):
            if m.pattern.type:
                claims.append(SimpleNamespace(event=SimpleNamespace(type=m.pattern.type),
                                              actors=side(m.roles.get("actor", [])),
                                              recipients=side(m.roles.get("target", []) + m.roles.get("recipient", []))))
        docs.append(SimpleNamespace(claims=claims))
    return docs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--n", type=int, default=400, help="sentences per alternation")
    ap.add_argument("--settings", default="raw,rules,engine,fallback,first")
    ap.add_argument("--by-alternation", action="store_true")
    ap.add_argument("--misses", default="", help="print the first N misses of KIND (e.g. nocode:active:20)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    shared = Path(args.shared)
    if not (shared / "refdata" / "cameo_phoenix" / "CAMEO.2.0.txt").is_file():
        print(f"cameo_selftest: {shared}/refdata/cameo_phoenix/CAMEO.2.0.txt: not found (pass --shared)",
              file=sys.stderr)
        return 2
    from khaldun.actors import ActorRegistry
    from khaldun.frames.lexicon import _rows
    from khaldun.pipeline import default_pipeline

    plover = {r[0]: r[1] for r in _rows("cameo_plover.tsv")}
    registry = ActorRegistry.default()
    items = generate(shared, args.seed, args.n, registry, plover)
    pipe = default_pipeline()
    report: dict[str, Any] = {"sentences": len(items), "seed": args.seed}
    saved = os.environ.get("KHALDUN_FRAMES")
    for setting in args.settings.split(","):
        os.environ["KHALDUN_FRAMES"] = setting
        sc = Score()
        if setting == "raw":
            docs: Any = raw_engine(items, registry)
        else:
            docs = pipe.analyze_many([{"text": it.text, "language": "en", "published": "2020-01-01"}
                                      for it in items])
        for it, doc in zip(items, docs, strict=True):
            sc.add(it, doc)
        report[setting] = {"all": sc.figures()}
        if args.by_alternation:
            report[setting].update({alt: sc.figures(alt) for alt in ALTERNATIONS})
        if args.misses:
            kind, _, num = args.misses.rpartition(":")
            for line in sc.misses.get(kind, [])[: int(num or 20)]:
                print(f"[{setting}] {line}")
    if saved is None:
        os.environ.pop("KHALDUN_FRAMES", None)
    else:
        os.environ["KHALDUN_FRAMES"] = saved
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    print(f"cameo_selftest: {report['sentences']} generated sentences, seed {args.seed} (a mechanism test, not a corpus)")
    for setting in args.settings.split(","):
        for alt, fig in report[setting].items():
            print(f"  {setting:9} {alt:11} type-set F1 {fig['type_f1']:.3f}  type+actors F1 {fig['type_actors_f1']:.3f}"
                  f"  no-code {fig['no_code']:.3f}  (n={fig['n']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
