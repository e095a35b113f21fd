"""khaldun's Arabic analysis path: the same contract Document as the English pipeline, offsets into the Arabic text.

`analyze_arabic(prepared, registry, gazetteer)` is called by khaldun.pipeline for documents in Arabic;
`resolve_arabic(name)` gives the registry Actor an Arabic name stands for (the same id as its English name).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..models import Actor


def __getattr__(name: str) -> Any:
    # the Arabic path is imported on first use: every English analysis imports its language dispatch
    if name == "analyze_arabic":
        from .analyze import analyze_arabic

        return analyze_arabic
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def resolve_arabic(name: str, registry: Any = None, on: date | None = None) -> Actor | None:
    """The Actor of an Arabic name or agent phrase ("حفتر", "الجيش التركي", "قوات الدعم السريع"), or None."""
    from ..actors import ActorRegistry
    from .mentions import find
    from .text import tokenize

    registry = registry or ActorRegistry.default()
    ments = [m for m in find(name, tokenize(name), registry, on) if m.actor is not None]
    if not ments:
        return None
    m = max(ments, key=lambda x: x.end - x.start)
    return m.actor


__all__ = ["analyze_arabic", "resolve_arabic"]
