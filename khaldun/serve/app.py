"""The FastAPI application of `khaldun serve`: the API under ``/api/v1``, the pages under ``/``.

Every response carries a strict Content-Security-Policy (scripts and styles only from this server's
``/static``, no inline script, no framing), ``X-Content-Type-Options: nosniff`` and
``Referrer-Policy: no-referrer``. A query string longer than :data:`MAX_QUERY` is refused with 414;
request bodies are bounded by the write endpoint itself (:data:`khaldun.serve.api.MAX_BODY`).
Validation errors are 422 with the offending parameter named; any unexpected error is logged and
answered as a JSON 500 without a traceback (there should be none: every input error is a 4xx).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from .data import Data

__all__ = ["create_app", "CSP", "MAX_QUERY", "api_token"]

HERE = Path(__file__).resolve().parent
MAX_QUERY = 4096
ENV_TOKEN = "KHALDUN_API_TOKEN"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
log = logging.getLogger("khaldun.serve")


def api_token() -> str | None:
    """The write token: ``$KHALDUN_API_TOKEN``, else ``api_token = "..."`` in the config file, else None."""
    tok = os.environ.get(ENV_TOKEN)
    if tok:
        return tok
    from ..config import ConfigError, load_config

    try:
        tok = load_config().get("api_token")
    except ConfigError as exc:
        log.error("%s", exc)
        return None
    return tok if isinstance(tok, str) and tok else None


def _has_nul(request: Request) -> bool:
    """NUL cannot be stored or compared by PostgreSQL: refuse it up front instead of failing in the query."""
    raw = request.scope.get("query_string", b"").lower()
    return b"%00" in raw or b"\x00" in raw or "\x00" in request.scope.get("path", "")


def _message(exc: RequestValidationError) -> str:
    parts = []
    for e in exc.errors()[:5]:
        where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {e.get('msg', 'invalid')}")
    return "; ".join(parts)


def _error(request: Request, status: int, msg: str, headers: dict[str, str] | None = None) -> Response:
    """A JSON error for the API, a small (escaped) page for a browser."""
    if request.url.path.startswith(("/api/", "/openapi", "/static/")):
        return JSONResponse({"detail": msg}, status_code=status, headers=headers)
    from .web import error_page

    return error_page(request, status, msg)


def create_app(db: str | None = None, data: Data | None = None) -> FastAPI:
    """The application over the store at ``db`` (see :func:`khaldun.store.resolve_url`), or over ``data``."""
    app = FastAPI(title="khaldun", version=__version__,
                  description="Claims about actions in conflict news, with who says so and how sure (contract 1).",
                  docs_url=None, redoc_url=None)
    app.state.data = data or Data(db)

    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Response:
        if len(request.url.query) > MAX_QUERY:
            resp: Response = PlainTextResponse(f"query string too long (at most {MAX_QUERY} characters)",
                                               status_code=414)
        elif _has_nul(request):
            resp = PlainTextResponse("a NUL character in the path or the query", status_code=400)
        else:
            resp = await call_next(request)
        resp.headers["Content-Security-Policy"] = CSP
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "no-referrer"
        resp.headers["X-Frame-Options"] = "DENY"
        return resp

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return _error(request, 422, _message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return JSONResponse({"detail": f"internal error ({type(exc).__name__})"}, status_code=500)

    from .api import router as api_router
    from .web import router as web_router

    app.include_router(api_router)
    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _openapi_article(app)
    return app


def _openapi_article(app: FastAPI) -> None:
    """Name the Article schema the write endpoint's body refers to (the body is read by hand, to bound it)."""
    from fastapi.openapi.utils import get_openapi

    from .api import article_schema

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description,
                                 routes=app.routes)
            schema.setdefault("components", {}).setdefault("schemas", {})["Article"] = article_schema()
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
