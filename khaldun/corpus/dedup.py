"""Syndication, near-duplicates and primary sources: what counts as one source across a corpus.

Two rules make corroboration honest:

1. **Copies of one wire story are one source.** Documents whose texts share most of their 5-word
   shingles (MinHash LSH candidates, then an exact Jaccard check >= ``threshold``, 0.5 by default:
   a lightly edited copy with a paragraph dropped or a credit line added still scores 0.6-0.9) form a
   syndication group. The group's *origin* is its earliest member; on a tie, the outlet that the
   members' texts name most (the "(Mediterranean Wire)" credit), then the name. Within a group, the
   claims that copy one another (same event type, evidence sentences sharing >= half their words)
   are *aligned*: they are one claim, whatever the analyzer made of each copy.
2. **Quotations of one primary source collapse to it.** A claim's primary source is its speaker when
   the speaker is named (a registry id, or a proper name), else the far end of its ``via`` chain
   when that is a named outlet or channel, else the outlet that first carried the text (the origin
   of its syndication group: an anonymous "diplomats said" is only as independent as the story that
   carries it). Keys then merge within a cluster (:func:`merge_sources`) when one person's name
   contains another's ("Bukhamada", "Idris Bukhamada"), when aligned copies got different keys, when
   a spokesman speaks for an organization (needs the speaker's affiliation on the claim; an unresolved body,
   "coalition spokesman X", meets the one speaker named as that body, "the Saudi-led coalition said"), and
   when a state is quoted alongside exactly one of its own organs ("the United States" and AFRICOM).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlparse

from khaldun.lexicon import words as lexicon_words
from khaldun.models import Actor, Claim, Document

__all__ = [
    "Syndication",
    "PrimarySource",
    "UnionFind",
    "shingles",
    "jaccard",
    "find_syndication",
    "align_copies",
    "outlet_name",
    "outlet_key",
    "primary_source",
    "chain_text",
    "merge_sources",
    "published_date",
]

SHINGLE_WORDS = 5
THRESHOLD = 0.5
NUM_PERM = 128
ALIGN_THRESHOLD = 0.5
EXACT_MAX = 24  # up to this many documents, every pair is compared exactly instead of through MinHash LSH

_WORD = re.compile(r"\w+", re.UNICODE)
# kinds of `via` that name where the speaker spoke, nearer the speaker than a relaying outlet
_VENUE_KINDS = ("interview", "broadcast", "social_media")
# generic via names that identify no one ("a statement", "news conference")
_GENERIC_VIA = re.compile(
    r"^(statement|news conference|press conference|televised \w+|social media post|"
    r"communiqu[eé]|release|report|document)s?$",
    re.IGNORECASE,
)
_TITLES = frozenset(
    """mr mrs ms dr prof sir sheikh shaikh general gen brigadier brig colonel col major maj
captain capt lieutenant lt commander cmdr admiral adm marshal field president minister prime sergeant
spokesman spokeswoman spokesperson ambassador envoy king prince emir sultan""".split()
)
_PARTICLES = frozenset({"al", "el", "bin", "ben", "ibn", "abu", "abd", "de", "van", "von", "der", "la", "le"})
_SPOKES = re.compile(
    r"spokes|press secretary|press officer|official|representative|envoy|minister", re.IGNORECASE
)
_ORGAN_SECTORS = lexicon_words("actors", "state_organ_sectors")  # organs of a state, one class with actors.py
# nouns of bodies a speaker speaks for ("coalition spokesman"), one class with attribution.py
_BODIES = lexicon_words("attribution", "speaker_bodies")


# --------------------------------------------------------------------------- text similarity


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def words(text: str) -> list[str]:
    """Lower-cased, accent-folded word tokens."""
    return _WORD.findall(_fold(text))


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[str]:
    """The set of k-word shingles of a text (the whole text as one shingle when it is shorter)."""
    ws = words(text)
    if not ws:
        return set()
    if len(ws) < k:
        return {" ".join(ws)}
    return {" ".join(ws[i : i + k]) for i in range(len(ws) - k + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


class UnionFind:
    """Disjoint sets over hashable items (path halving, union by insertion order: first item is root)."""

    def __init__(self) -> None:
        self.parent: dict[object, object] = {}

    def find(self, x: object) -> object:
        p = self.parent.setdefault(x, x)
        while p != x:
            gp = self.parent.setdefault(p, p)
            self.parent[x] = gp
            x, p = p, gp
        return x

    def union(self, a: object, b: object) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra

    def groups(self) -> dict[object, list[object]]:
        out: dict[object, list[object]] = {}
        for x in list(self.parent):
            out.setdefault(self.find(x), []).append(x)
        return out


# --------------------------------------------------------------------------- outlets


def outlet_name(doc: Document) -> str:
    """The outlet that published a document: its ``source.outlet``, else the URL's host, else its id."""
    if doc.source.outlet:
        return doc.source.outlet.strip()
    if doc.source.url:
        host = urlparse(doc.source.url).netloc.lower()
        if host:
            return host.removeprefix("www.")
    return f"document {doc.id[:12]}"


def outlet_key(name: str) -> str:
    """A comparison key for an outlet or channel name: "The Nour TV" and "nour tv" agree."""
    ws = words(name)
    if ws and ws[0] == "the":
        ws = ws[1:]
    return " ".join(ws)


def published_date(doc: Document) -> date | None:
    p = doc.source.published
    if not p:
        return None
    try:
        return date.fromisoformat(p[:10])
    except ValueError:
        return None


# --------------------------------------------------------------------------- syndication


@dataclass
class Syndication:
    """Syndication groups over a list of documents (indices into that list)."""

    docs: Sequence[Document]
    groups: list[list[int]]
    group_of: list[int]
    origin: list[int]  # group index -> index of its origin document
    similarity: dict[tuple[int, int], float] = field(default_factory=dict)  # verified pairs (i < j)

    def origin_doc(self, doc_index: int) -> Document:
        return self.docs[self.origin[self.group_of[doc_index]]]

    def origin_outlet(self, doc_index: int) -> str:
        return outlet_name(self.origin_doc(doc_index))

    def copies(self, doc_index: int) -> list[int]:
        """Every document of the same syndication group (itself included)."""
        return self.groups[self.group_of[doc_index]]

    def syndicated(self) -> list[list[int]]:
        """The groups with more than one document."""
        return [g for g in self.groups if len(g) > 1]


def _choose_origin(docs: Sequence[Document], members: list[int]) -> int:
    """Earliest published; tie: the outlet most named in the members' texts; then name, then index."""
    if len(members) == 1:
        return members[0]
    far = date.max

    def named(i: int) -> int:
        key = outlet_name(docs[i]).lower()
        return sum(1 for j in members if key and key in docs[j].text.lower())

    return min(members, key=lambda i: (published_date(docs[i]) or far, -named(i), outlet_name(docs[i]), i))


def _union_translations(docs: Sequence[Document], idx: list[int], uf: UnionFind,
                        sims: dict[tuple[int, int], float]) -> None:
    """Join documents in different languages of which one translates the other (:mod:`.translation`:
    sentence by sentence, in order, with the multilingual encoder). Only texts in two or more languages
    are embedded, so a one-language cluster costs nothing."""
    if len({docs[i].source.language for i in idx if docs[i].source.language}) < 2:
        return
    from .translation import COVER, translation_pairs

    for a, b in translation_pairs([docs[i] for i in idx]):
        i, j = idx[a], idx[b]
        if (i, j) not in sims:
            sims[(i, j)] = COVER  # a translation: at least the share of sentences matched
            uf.union(i, j)


def find_syndication(
    docs: Sequence[Document], threshold: float = THRESHOLD, k: int = SHINGLE_WORDS, num_perm: int = NUM_PERM
) -> Syndication:
    """Group copies of one story: MinHash LSH (a lower LSH threshold, for recall) proposes candidate
    pairs and an exact Jaccard over k-word shingles >= ``threshold`` confirms them; groups are the
    connected components. Identical texts always group; only the first document of each text is
    shingled, and nothing is when there is one text (one cluster's documents, often). Among a few
    documents (up to ``EXACT_MAX``) in two or more languages, a translation of another is a copy too."""
    firsts: dict[str, int] = {}
    for i, d in enumerate(docs):
        firsts.setdefault(d.id, i)
    if len(firsts) > 1:
        sh = [shingles(d.text, k) if firsts[d.id] == i else set() for i, d in enumerate(docs)]
    else:
        sh = [set() for _ in docs]
    uf = UnionFind()
    for i in range(len(docs)):
        uf.find(i)
    sims: dict[tuple[int, int], float] = {}
    by_id: dict[str, int] = {}
    for i, d in enumerate(docs):  # identical texts (same document id) are copies whatever their size
        if d.id in by_id:
            uf.union(by_id[d.id], i)
            sims[(by_id[d.id], i)] = 1.0
        else:
            by_id[d.id] = i
    idx = [i for i, s in enumerate(sh) if s]
    if 1 < len(idx) <= EXACT_MAX:  # a few documents (one cluster's): every pair, exactly
        for x, a in enumerate(idx):
            for b in idx[x + 1:]:
                if (a, b) not in sims and (sim := jaccard(sh[a], sh[b])) >= threshold:
                    sims[(a, b)] = sim
                    uf.union(a, b)
    elif len(idx) > 1:
        from datasketch import MinHash, MinHashLSH

        lsh = MinHashLSH(threshold=max(0.1, threshold - 0.15), num_perm=num_perm)
        hashes = MinHash.bulk([[s.encode("utf-8") for s in sh[i]] for i in idx], num_perm=num_perm)
        for i, m in zip(idx, hashes, strict=True):
            for j in lsh.query(m):
                a, b = (j, i) if j < i else (i, j)
                if (a, b) in sims:
                    continue
                sim = jaccard(sh[a], sh[b])
                if sim >= threshold:
                    sims[(a, b)] = sim
                    uf.union(a, b)
            lsh.insert(i, m)
    if 1 < len(idx) <= EXACT_MAX:  # one cluster's few documents: a translation is a copy too
        _union_translations(docs, idx, uf, sims)
    comps = sorted((sorted(g) for g in uf.groups().values()), key=lambda g: g[0])
    group_of = [0] * len(docs)
    for gi, g in enumerate(comps):
        for i in g:
            group_of[i] = gi
    origin = [_choose_origin(docs, g) for g in comps]
    return Syndication(
        docs=docs, groups=[list(g) for g in comps], group_of=group_of, origin=origin, similarity=sims
    )


def align_copies(
    docs: Sequence[Document], synd: Syndication, threshold: float = ALIGN_THRESHOLD
) -> dict[tuple[int, int], tuple[int, int]]:
    """(doc index, claim index) -> the first claim it copies, within syndication groups.

    Two claims of copies of one story are one claim when they have the same event type and their
    evidence sentences share at least ``threshold`` of their words (Jaccard over word sets)."""
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for g in synd.syndicated():
        uf = UnionFind()
        refs = [(di, ci) for di in g for ci in range(len(docs[di].claims))]
        wsets = {r: set(words(docs[r[0]].claims[r[1]].evidence.text)) for r in refs}
        for a_i, a in enumerate(refs):
            uf.find(a)
            ca = docs[a[0]].claims[a[1]]
            for b in refs[a_i + 1 :]:
                if b[0] == a[0]:
                    continue
                cb = docs[b[0]].claims[b[1]]
                if ca.event.type == cb.event.type and jaccard(wsets[a], wsets[b]) >= threshold:
                    uf.union(a, b)
        for r in refs:
            out[r] = uf.find(r)  # type: ignore[assignment]
    return out


# --------------------------------------------------------------------------- primary sources


@dataclass(frozen=True)
class PrimarySource:
    """Who a claim finally rests on: ``key`` compares across documents, ``label`` is for people."""

    key: str
    kind: str  # speaker | venue | outlet
    label: str
    anonymous: str | None = None  # the unnamed speaker's words ("diplomats", "a military officer")


def _name_tokens(name: str) -> list[str]:
    toks = [t for t in re.split(r"[\s\-–'’]+", name.strip()) if t]
    out = []
    for t in toks:
        lo = _fold(t).strip(".,")
        if lo in _TITLES or lo in _PARTICLES or not lo:
            continue
        out.append(t.strip(".,"))
    return out


def _proper(name: str) -> bool:
    """A proper name: every remaining token (titles, particles and 'the' removed) is capitalised."""
    toks = [t for t in _name_tokens(name) if _fold(t) != "the"]
    return bool(toks) and all(t[:1].isupper() for t in toks)


def name_key(name: str) -> str:
    return " ".join(_fold(t) for t in _name_tokens(name))


def speaker_key(actor: Actor | None) -> str | None:
    """A key for a named speaker: an outlet's name for media (so it meets that outlet's own reporting),
    else the registry id, else a proper name (persons and organizations)."""
    if actor is None:
        return None
    if actor.kind == "media":  # "Al Jazeera reported": the outlet's own reporting, keyed like it
        return f"outlet:{outlet_key(actor.name or actor.text)}"
    if actor.id:
        return f"actor:{actor.id}"
    name = actor.name or actor.text
    if actor.kind in ("person", "organization", "armed_group", "igo", "media") and _proper(name):
        return f"{'person' if actor.kind == 'person' else 'org'}:{name_key(name)}"
    return None


def _named_via(claim: Claim) -> tuple[str, str] | None:
    """(kind, name) of the via nearest the speaker that names an outlet or channel, else None.

    The contract orders ``via`` nearest the article first, so the far end is the last entry; a
    venue (interview, broadcast, social media) outranks a relaying outlet whatever the order."""
    named = [
        v
        for v in claim.attribution.via
        if v.name and not _GENERIC_VIA.match(v.name.strip()) and v.kind not in ("statement", "document")
    ]
    if not named:
        return None
    venues = [v for v in named if v.kind in _VENUE_KINDS]
    v = (venues or named)[-1]
    return v.kind, v.name


def primary_source(claim: Claim, doc_index: int, synd: Syndication) -> PrimarySource:
    """The primary source of one claim (see the module docstring for the order of the rules)."""
    att = claim.attribution
    sp = att.speaker
    key = speaker_key(sp)
    if key is not None and sp is not None:
        label = sp.name or sp.text
        if att.speaker_role and att.speaker_role.lower() not in label.lower():
            label = f"{label} ({att.speaker_role})"
        return PrimarySource(key=key, kind="speaker", label=label)
    anon = (sp.text if sp is not None else None) or att.speaker_role
    via = _named_via(claim)
    if via is not None:
        kind, name = via
        return PrimarySource(
            key=f"outlet:{outlet_key(name)}",
            kind="venue" if kind in _VENUE_KINDS else "outlet",
            label=name,
            anonymous=anon,
        )
    origin = synd.origin_outlet(doc_index)
    return PrimarySource(key=f"outlet:{outlet_key(origin)}", kind="outlet", label=origin, anonymous=anon)


def chain_text(claim: Claim, doc: Document) -> str:
    """The chain of transmission as a person reads it: outlet <- via ... <- speaker."""
    parts = [outlet_name(doc)]
    for v in claim.attribution.via:
        if outlet_key(v.name) != outlet_key(parts[0]):
            parts.append(f"{v.name} ({v.kind})")
    att = claim.attribution
    if att.speaker is not None:
        who = att.speaker.name or att.speaker.text
        if att.speaker_role and att.speaker_role.lower() not in who.lower():
            who = f"{who}, {att.speaker_role}"
        parts.append(who)
    elif att.speaker_role:
        parts.append(f"unnamed {att.speaker_role}")
    else:
        parts.append("own reporting")
    return " \u2190 ".join(parts)


def merge_sources(items: Iterable[tuple[str, Claim, tuple[int, int] | None]]) -> UnionFind:
    """Union-find over the primary-source keys of one cluster's claims.

    ``items``: (key, claim, aligned-copy id or None). Keys merge when aligned copies of one claim got
    different keys; when one person's name tokens contain another's with the same last token; when
    a claim's speaker has a spokesman-like role and an ``affiliation`` (a later contract addition,
    read when present); and when a state speaker stands beside exactly one organ of that state."""
    uf = UnionFind()
    items = list(items)
    by_align: dict[tuple[int, int], str] = {}
    persons: dict[str, list[str]] = {}
    states: set[str] = set()
    organs: dict[str, set[str]] = {}
    for key, claim, align in items:
        uf.find(key)
        if align is not None:
            if align in by_align:
                uf.union(by_align[align], key)
            else:
                by_align[align] = key
        if key.startswith("person:"):
            persons.setdefault(key, key[7:].split())
        sp = claim.attribution.speaker
        if sp is not None and sp.id:
            if sp.kind == "state":
                states.add(sp.id)
            elif sp.kind in ("organization", "igo") and sp.country and (sp.sector in _ORGAN_SECTORS):
                organs.setdefault(sp.country, set()).add(key)
        aff = getattr(claim.attribution, "speaker_affiliation", None)
        role = claim.attribution.speaker_role or ""
        if isinstance(aff, Actor) and aff.id and _SPOKES.search(role):
            uf.union(f"actor:{aff.id}", key)
    for kb, tb in persons.items():  # a shorter name joins the one longer name that extends it, if unique
        longer = [
            ka
            for ka, ta in persons.items()
            if ka != kb and tb and ta and len(ta) > len(tb) and ta[-1] == tb[-1] and set(tb) <= set(ta)
        ]
        if len(longer) == 1:
            uf.union(longer[0], kb)
    for st in states:
        own = organs.get(st, set())
        if len(own) == 1:
            uf.union(next(iter(own)), f"actor:{st}")
    _merge_bodies(items, uf)
    return uf


def _body_head(text: str | None) -> str | None:
    """The body noun that ends a phrase ("the Saudi-led coalition" -> coalition), or None."""
    ws = words(text or "")
    return ws[-1] if ws and ws[-1] in _BODIES else None


def _merge_bodies(items: list[tuple[str, Claim, tuple[int, int] | None]], uf: UnionFind) -> None:
    """Speakers tied to one body no registry resolves for them are one source within a cluster: a spokesman
    whose affiliation is an unresolved body ("coalition spokesman X") joins the one speaker named as that body
    ("the Saudi-led coalition said"), and the body's spokesmen join one another. Two different speakers named
    as bodies with one head noun (two coalitions) join nothing: which one a spokesman speaks for is unknown."""
    bodies: dict[str, set[str]] = {}
    spokes: dict[str, set[str]] = {}
    for key, claim, _ in items:
        att = claim.attribution
        if key.startswith("outlet:"):
            continue  # an unnamed source rests on its outlet, which carries other sources too
        if att.speaker is not None and (head := _body_head(att.speaker.text)):
            bodies.setdefault(head, set()).add(key)
        aff = att.speaker_affiliation
        if aff is not None and not aff.id and _SPOKES.search(att.speaker_role or "") and (
                head := _body_head(aff.text)):
            spokes.setdefault(head, set()).add(key)
    for head, keys in spokes.items():
        named = bodies.get(head, set()) - keys
        if len(named) > 1:
            continue
        for k in sorted(keys | named):
            uf.union(min(keys | named), k)


def most_common(values: Iterable[str]) -> str | None:
    c = Counter(v for v in values if v)
    return c.most_common(1)[0][0] if c else None
