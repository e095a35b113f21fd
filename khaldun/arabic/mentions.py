"""Arabic entity mentions over clitic-split tokens: registry actors (curated Arabic names, pycountry's Arabic state
names, UniversalPETRARCH's actor dictionary), agent phrases ("الجيش السوري", "المتحدث باسم ..."), demonyms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from ..lexicon import ordered as lexicon_ordered
from ..lexicon import words as lexicon_words
from ..models import Actor, Materiel, Place
from . import lexicon as L
from .text import Token, norm_key

MAX_WORDS = 5


@dataclass
class AMention:
    i: int  # first token
    j: int  # one past the last token
    start: int
    end: int
    text: str
    actor: Actor | None
    kind: str  # actor | adj | agent | media
    prefix: str  # clitics split off the first token ("ب", "ل", "و" ...)
    country: str | None = None


def _forms(t: Token, first: bool) -> dict[str, str]:
    """form -> prefix; with adjective endings dropped (feminine, dual, plural) as further readings."""
    out: dict[str, str] = {}
    for k in t.keys:
        if not first and k.prefix not in lexicon_words("arabic", "name_first_prefixes"):
            continue
        out.setdefault(k.form, k.prefix)
        f = k.form
        for suf in lexicon_ordered("arabic", "adjective_endings"):
            if f.endswith(suf) and len(f) - len(suf) >= 3:
                base = f[: -len(suf)] + ("ي" if suf == "يه" else "")
                out.setdefault(base, k.prefix)
    return out


def _trie(table: dict[tuple[str, ...], Any]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for words, val in table.items():
        node = root
        for w in words:
            node = node.setdefault(w, {})
        node["$"] = val
    return root


_TRIES: dict[str, dict[str, Any]] = {}


def trie(name: str) -> dict[str, Any]:
    if name not in _TRIES:
        table = {"actors": L.actor_table, "agents": L.agent_table, "up": L.up_actor_table,
                 "places": place_table}[name]()
        _TRIES[name] = _trie(table)
    return _TRIES[name]


def longest(toks: list[Token], i: int, root: dict[str, Any]) -> tuple[int, Any, str] | None:
    """The longest entry of `root` starting at token i: (end token, value, prefix of the first token)."""
    best: tuple[int, Any, str] | None = None
    stack: list[tuple[int, dict[str, Any], str]] = []
    for f, pre in _forms(toks[i], True).items():
        if f in root:
            stack.append((i + 1, root[f], pre))
    while stack:
        j, node, pre = stack.pop()
        if "$" in node and (best is None or j > best[0] or j == best[0] and len(pre) < len(best[2])):
            best = (j, node["$"], pre)
        if j < len(toks) and j - i < MAX_WORDS:
            for f in _forms(toks[j], False):
                if f in node:
                    stack.append((j + 1, node[f], pre))
    return best


@lru_cache(maxsize=1)
def place_table() -> dict[tuple[str, ...], tuple[str, str, str]]:
    out: dict[tuple[str, ...], tuple[str, str, str]] = {}
    for cols in L._rows("places.tsv", 3):
        out[tuple(norm_key(cols[0]).split())] = (cols[1].strip(), cols[2].strip(), cols[3].strip() if len(cols) > 3
                                                 else "")
    return out


def places(text: str, toks: list[Token], gazetteer: Any) -> list[Place]:
    """Gazetteer places, corrected and completed by khaldun/data/arabic/places.tsv."""
    root = _trie(place_table())
    extra: list[Place] = []
    drop: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        hit = longest(toks, i, root)
        if hit is None:
            i += 1
            continue
        j, (name, kind, country), pre = hit
        s, e, surf = _span(text, toks, i, j, pre)
        if name == "-":
            drop.append((s, e))
        else:
            extra.append(Place(text=surf, name=name, kind=kind, country=country or None, start=s, end=e))  # type: ignore
        i = j
    out = [p for p in gazetteer.find(text) if p.start is not None and not any(
        a <= p.start < b for a, b in drop) and not any(x.start <= p.start < x.end for x in extra)]  # type: ignore
    out += _after_place_words(text, toks, gazetteer, out + extra, drop)
    return sorted(out + extra, key=lambda p: p.start or 0)


def _after_place_words(text: str, toks: list[Token], gazetteer: Any, have: list[Place],
                       drop: list[tuple[int, int]]) -> list[Place]:
    """"مدينة X", "في X", "بX": a name after a place noun or a locative word is looked up in the gazetteer, clitics
    split, even where the gazetteer's own finder keeps quiet (short or ambiguous town names)."""
    heads = L.word_set("place_heads") | L.word_set_raw("locatives")
    out: list[Place] = []
    for k in range(1, len(toks)):
        t = toks[k]
        if any(p.start is not None and p.start < t.end and t.start < (p.end or 0) for p in have + out) or any(
                a <= t.start < b for a, b in drop):
            continue
        if not (toks[k - 1].norm in heads or toks[k - 1].forms() & heads):
            continue
        for key in t.keys:
            if key.prefix not in ("", "ال") or len(key.form) < 3:
                continue
            place = gazetteer.lookup(key.form if key.prefix == "" else "ال" + key.form)
            if place is not None and place.kind in lexicon_words("arabic", "event_place_kinds"):
                s = t.start
                out.append(place.model_copy(update=dict(text=text[s:t.end], start=s, end=t.end)))
                break
    return out


@lru_cache(maxsize=1)
def materiel_table() -> dict[tuple[str, ...], tuple[str, str | None]]:
    return {tuple(norm_key(c[0]).split()): (c[1].strip(), (c[2].strip() or None) if len(c) > 2 else None)
            for c in L._rows("materiel.tsv", 2)}


def extra_materiel(text: str, toks: list[Token]) -> list[Materiel]:
    """Materiel nouns of khaldun/data/arabic/materiel.tsv, with clitics split ("بالأسلحة")."""
    root = _trie(materiel_table())
    out: list[Materiel] = []
    i = 0
    while i < len(toks):
        hit = longest(toks, i, root)
        if hit is None:
            i += 1
            continue
        j, (cat, designation), pre = hit
        s, e, surf = _span(text, toks, i, j, pre)
        qty = int(toks[i - 1].norm) if i > 0 and toks[i - 1].norm.isdigit() and len(toks[i - 1].norm) < 6 else None
        if out and designation and out[-1].designation is None and out[-1].end is not None and \
                text[out[-1].end:s].strip() == "":
            qty = qty or out[-1].quantity  # "12 طائرة بيرقدار": one mention, the named system
            out.pop()
        out.append(Materiel(text=surf, category=cat, designation=designation, quantity=qty, start=s,  # type: ignore
                            end=e))
        i = j
    return out


def find(text: str, toks: list[Token], registry: Any, on: date | None) -> list[AMention]:
    out: list[AMention] = []
    i = 0
    while i < len(toks):
        m = _at(text, toks, i, registry, on)
        if m is None:
            i += 1
            continue
        prev = out[-1] if out else None
        if prev is not None and prev.kind == "agent" and prev.j + 1 == m.i and toks[prev.j].norm == "في" and \
                prev.actor is not None and prev.actor.kind == "person" and not prev.actor.id and m.actor is not None \
                and m.kind != "media":
            # "ضابط في قوات الدعم السريع": a person of that body, who speaks for it
            actor = prev.actor.model_copy(update=dict(text=text[prev.start:m.end], end=m.end, country=m.actor.country))
            merged = AMention(prev.i, m.j, prev.start, m.end, text[prev.start:m.end], actor, "agent", prev.prefix,
                              country=m.actor.country)
            merged.owner = m.actor  # type: ignore[attr-defined]
            out[-1] = merged
        elif prev is not None and prev.kind == "agent" and prev.j == m.i and m.kind == "actor" and \
                m.actor is not None and m.actor.kind == "person" and (prev.actor is None or prev.actor.id is None):
            # "المتحدث باسم الجيش أحمد المسماري": the title and the named person
            m.owner = getattr(prev, "owner", None)  # type: ignore[attr-defined]
            out[-1] = m
        elif prev is not None and prev.kind == "agent" and prev.j == m.i and m.actor is not None and m.kind != "media" \
                and (prev.actor is None or not prev.actor.country) \
                and not any(c in ".,،:;()«»\n" for c in text[prev.end:m.start]) and not m.prefix.strip("ال"):
            # "قوات خفر السواحل اليمنية", "قوات حفتر": a generic head noun and the named body it introduces
            actor = m.actor.model_copy(update=dict(text=text[prev.start:m.end], start=prev.start, end=m.end))
            out[-1] = AMention(prev.i, m.j, prev.start, m.end, text[prev.start:m.end], actor, m.kind, prev.prefix,
                               country=m.country)
        elif prev is not None and prev.kind == "agent" and prev.j + 1 == m.i and (
                toks[prev.j].norm == "من" or toks[prev.j].norm.lstrip("ال").startswith("تابع")) and \
                m.actor is not None and m.kind == "actor" and (prev.actor is None or prev.actor.id is None):
            # "مرتزقة من مجموعة فاغنر": a generic agent drawn from a named body is that body
            actor = m.actor.model_copy(update=dict(text=text[prev.start:m.end], start=prev.start, end=m.end))
            out[-1] = AMention(prev.i, m.j, prev.start, m.end, text[prev.start:m.end], actor, m.kind, prev.prefix,
                               country=m.country)
        else:
            out.append(m)
        i = m.j
    return out


def _span(text: str, toks: list[Token], i: int, j: int, pre: str) -> tuple[int, int, str]:
    s = toks[i].start
    strip = pre.replace("ال", "") if pre else ""
    s += len(strip)  # the written clitics (wa-, bi-, li-) are not part of the name
    e = toks[j - 1].end
    return s, e, text[s:e]


def _at(text: str, toks: list[Token], i: int, registry: Any, on: date | None) -> AMention | None:
    hit = longest(toks, i, trie("actors"))
    place = longest(toks, i, trie("places"))
    if place is not None and (hit is None or place[0] > hit[0]):
        return None  # "ولاية الجزيرة" is a place, not the channel
    agent = longest(toks, i, trie("agents"))
    if hit is not None and (agent is None or hit[0] >= agent[0]):
        j, (target, how), pre = hit
        s, e, surf = _span(text, toks, i, j, pre)
        if how == "adj":
            return AMention(i, j, s, e, surf, None, "adj", pre, country=target)
        entry = registry.get(target)
        if entry is None:
            return None
        actor = registry.to_actor(entry, surf, on=on, start=s, end=e)
        actor.why = f"Arabic name '{surf}' -> {target} (khaldun/data/arabic)"
        return AMention(i, j, s, e, surf, actor, "media" if entry.kind == "media" else "actor", pre,
                        country=actor.country)
    if agent is not None:
        return _agent(text, toks, i, agent, registry, on)
    up = longest(toks, i, trie("up"))
    if up is not None and up[0] - i >= 2:  # single UniversalPETRARCH words are too ambiguous on their own
        j, (country, sector), pre = up
        s, e, surf = _span(text, toks, i, j, pre)
        entry = registry.get(country)
        actor = registry.to_actor(entry, surf, on=on, start=s, end=e) if entry else Actor(text=surf, start=s, end=e)
        actor.sector = sector or actor.sector
        actor.why = f"UniversalPETRARCH Arabic actor dictionary: {country}{sector}"
        return AMention(i, j, s, e, surf, actor, "actor", pre, country=country)
    return None


def _agent(text: str, toks: list[Token], i: int, agent: tuple[int, Any, str], registry: Any,
           on: date | None) -> AMention:
    """An agent noun, with the state or actor that owns it: "الجيش التركي", "قوات حفتر", "المتحدث باسم الجيش"."""
    j, (english, sector, kind), pre = agent
    owner: Actor | None = None
    country = None
    if j + 1 < len(toks) and toks[j].norm == "باسم":
        inner = _at(text, toks, j + 1, registry, on)
        if inner is not None and inner.actor is not None:
            owner = inner.actor
            country = inner.actor.country
            j = inner.j
    elif j < len(toks):
        nxt = longest(toks, j, trie("actors"))
        if nxt is not None:
            target, how = nxt[1]
            entry = registry.get(target)
            if how == "adj":
                country = target
                j = nxt[0]
            elif entry is not None and nxt[2] in ("", "ال"):
                owner = registry.to_actor(entry, text[toks[j].start:toks[nxt[0] - 1].end], on=on)
                country = owner.country
                j = nxt[0]
    s, e, surf = _span(text, toks, i, j, pre)
    actor: Actor | None = None
    if country and kind == "state" and owner is None:
        entry = registry.get(country)
        if entry is not None:
            actor = registry.resolve(f"{entry.name} {english}", on=on) or registry.to_actor(entry, surf, on=on)
            actor = actor.model_copy(update=dict(text=surf, start=s, end=e))
            actor.sector = actor.sector or sector or None
    if actor is None and owner is not None and kind in ("state", "group"):
        actor = owner.model_copy(update=dict(text=surf, start=s, end=e))
    if actor is None:
        actor = Actor(text=surf, kind="person" if kind == "person" else "unknown", country=country,
                      sector=sector or None, start=s, end=e)
    actor.why = f"Arabic agent phrase '{surf}' ({english})"
    m = AMention(i, j, s, e, surf, actor, "agent", pre, country=actor.country)
    m.owner = owner  # type: ignore[attr-defined]
    return m
