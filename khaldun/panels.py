"""UN Panels of Experts as a family resolved by context.

Each UN sanctions regime with an arms embargo has its own Panel (or Group) of Experts, and wires mostly name
it without saying which ("UN experts", "the Panel of Experts", "U.N. sanctions monitors"). Those generic names
resolve in the registry to one family id, igo/un-panel-of-experts; this stage, run on the finished document,
gives every actor with that id the panel of the regime the document is about:

1. a panel the document names with its country ("the Panel of Experts on Sudan", "the Yemen panel"), the one
   named most when there are several;
2. else the regime whose target country the document names most (places, states, armed groups and bodies of
   that country), the places and recipients of its claims counting once more;
3. else nothing: the generic id stays (better no panel than the wrong one).

The regimes and their panels are data (data/embargoes.yaml `panel`, data/actors/igos.yaml).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from .embargo import load_regimes
from .models import Actor, Document

GENERIC_PANEL = "igo/un-panel-of-experts"


@lru_cache(maxsize=1)
def _panel_of_country() -> dict[str, str]:
    """ISO3 target country -> the registry id of its regime's panel (regimes without a panel are left out)."""
    out: dict[str, str] = {}
    for r in load_regimes():
        if r.panel:
            for t in r.targets:
                out.setdefault(t, r.panel)
    return out


def _actors(obj: Any) -> Iterator[Actor]:
    """Every Actor held anywhere in a model (claims, speakers, quotes ...)."""
    if isinstance(obj, Actor):
        yield obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _actors(getattr(obj, name))
    elif isinstance(obj, list | tuple):
        for x in obj:
            yield from _actors(x)


def document_panel(doc: Document) -> tuple[str | None, str]:
    """(panel id, why) for the generic panel mentions of `doc`; (None, why) when no regime is evident."""
    panels = set(_panel_of_country().values())
    named = Counter(m.id for m in doc.mentions if m.id in panels)
    if named:
        pid = named.most_common(1)[0][0]
        return pid, "the document names this panel"
    by_country = _panel_of_country()
    counts: Counter[str] = Counter()
    for m in doc.mentions:
        if m.kind in ("actor", "place", "agent") and m.country in by_country and m.id not in panels:
            counts[m.country] += 1
    for c in doc.claims:
        for x in [c.location, *c.recipients]:
            country = getattr(x, "country", None)
            if country in by_country:
                counts[country] += 1
    if not counts:
        return None, "no embargo regime with a panel is evident in the document"
    ranked = counts.most_common(2)
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None, f"{ranked[0][0]} and {ranked[1][0]} are named as often"
    country = ranked[0][0]
    return by_country[country], f"the document is mostly about {country} ({ranked[0][1]} mentions)"


def resolve_panels(doc: Document, registry: Any) -> Document:
    """Give the generic panel mentions of `doc` the panel of its regime (see the module doc); returns `doc`."""
    if all(m.id != GENERIC_PANEL for m in doc.mentions):
        return doc  # (every actor of a claim or quote is one of the document's mentions)
    generic = list({id(a): a for a in _actors(doc) if a.id == GENERIC_PANEL}.values())  # (objects may be shared)
    pid, why = document_panel(doc)
    entry = registry.get(pid) if pid else None
    if entry is None:
        for a in generic:
            a.why = f"{a.why}; {why}: the panel stays generic" if a.why else why
        return doc
    for a in generic:
        a.id, a.name, a.wikidata = entry.id, entry.name, entry.wikidata
        a.why = f"{a.why}; {why} -> {entry.name}" if a.why else f"{why} -> {entry.name}"
    for m in doc.mentions:
        if m.id == GENERIC_PANEL:
            m.id = entry.id
    return doc
