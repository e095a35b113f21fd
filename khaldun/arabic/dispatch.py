"""Language dispatch for khaldun.pipeline: Arabic goes to the Arabic path; any other language khaldun cannot
analyze yields its Document with a warning (in `Document.warnings` and on stderr), never a silent empty result."""

from __future__ import annotations

import hashlib
import sys
from typing import Any

from ..models import Document, Source
from .text import is_arabic

ANALYZED = ("en", "ar")


def other_language(pr: dict[str, Any], registry: Any, gazetteer: Any) -> Document | None:
    """None for English (the caller's path); the Arabic Document; or an empty Document with a warning."""
    lang = pr["language"]
    if lang is None and is_arabic(pr["body"]):
        lang = pr["language"] = "ar"  # too short for the language identifier, but written in Arabic script
    if lang in (None, "en"):
        return None
    if lang == "ar":
        from .analyze import analyze_arabic

        return analyze_arabic(pr, registry, gazetteer)
    body: str = pr["body"]
    item = pr["item"]
    where = item.get("path") or item.get("url") or "<text>"
    warning = f"language {lang!r} is not analyzed (khaldun analyzes {', '.join(ANALYZED)}): no claims"
    print(f"khaldun: {where}: {warning}", file=sys.stderr)
    published = pr["published"]
    src = Source(path=item.get("path"), url=item.get("url"), outlet=item.get("outlet"),
                 published=published.isoformat() if published else None, language=lang)
    return Document(id=hashlib.sha256(body.encode("utf-8")).hexdigest(), source=src, title=pr["title"], text=body,
                    removed=pr["removed"], warnings=[warning])
