"""`khaldun serve`: the analyst's workbench, a REST API (``/api/v1``) and a web UI (``/``) in one process.

- :mod:`.data`: every read and write of the store the server does, in one place (today it rebuilds
  clusters from the stored documents, cached until the store changes);
- :mod:`.api`: the JSON API (OpenAPI at ``/openapi.json``);
- :mod:`.web`: the server-rendered pages (Jinja2, autoescaped; scripts only from ``static/``);
- :mod:`.app`: the FastAPI application, its security headers and limits;
- :mod:`.bench`: `khaldun bench --serve`, read latency under a concurrent ingest.

FastAPI, Jinja2 and SQLAlchemy are imported only here, so other commands do not pay for them; the
spaCy pipeline is loaded on the first write only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
