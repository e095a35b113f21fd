"""khaldun: a sourced, checkable record of claims about actions in conflict news.

    >>> import khaldun
    >>> doc = khaldun.analyze("...", published="2019-07-31")
    >>> doc.claims[0].event.type
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .models import Document


def analyze(text: str, published: str | date | None = None, outlet: str | None = None, url: str | None = None,
            language: str | None = None, title: str | None = None) -> Document:
    """Analyze one article's text and return its Document (contract v1)."""
    from .pipeline import default_pipeline

    return default_pipeline().analyze(text, published=published, outlet=outlet, url=url, language=language,
                                      title=title)


def analyze_many(items: Iterable[dict[str, Any]], batch_size: int = 32) -> Iterator[Document]:
    """Analyze many articles (dicts with `text` and optional `published`, `title`, `outlet`, `url`,
    `language`, `path`), batching the NLP work; yields Documents in input order."""
    from .pipeline import default_pipeline

    return default_pipeline().analyze_many(items, batch_size=batch_size)


__all__ = ["__version__", "analyze", "analyze_many"]
