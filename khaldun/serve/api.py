"""The JSON API, ``/api/v1`` (OpenAPI at ``/openapi.json``).

Shapes: a claim is the contract's Claim plus ``document`` (id, outlet, published, url, title of the
document it comes from) and ``cluster`` (the id of its cluster, or null); lists are
``{"items": [...], "total": N, "limit": L, "offset": O}``; a cluster is the contract's Cluster, a
document the contract's Document plus ``appearances`` (every outlet/URL/date the text ran under), a
dossier :class:`khaldun.corpus.dossier.Dossier`. Errors are ``{"detail": "one line"}``.

Reads are open; ``POST /api/v1/documents`` needs ``Authorization: Bearer <token>`` equal to
``$KHALDUN_API_TOKEN`` (or ``api_token`` in the config file): with no token configured writes are
refused (403), a missing or wrong token gets 401. A body larger than :data:`MAX_BODY` bytes gets 413,
more than :data:`MAX_ARTICLES` articles or malformed JSON 400, an article without text 422.
"""

from __future__ import annotations

import hmac
import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from ..models import PLOVER_TYPES
from .data import EMBARGO_STATUSES, Data, Filters

__all__ = ["router", "filters", "parse_date", "min_sources_param", "MAX_BODY", "MAX_ARTICLES", "MAX_LIMIT"]

MAX_BODY = 4 * 1024 * 1024
MAX_ARTICLES = 100
MAX_LIMIT = 500
router = APIRouter(prefix="/api/v1")

Text = Annotated[str | None, Query(max_length=200)]


def parse_date(value: str | None, name: str) -> date | None:
    if not value:
        return None  # an empty form field is no filter
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"{name}: want a date YYYY-MM-DD, got {value[:40]!r}") from None


def filters(
    actor: Text = None,
    type: Annotated[str | None, Query(max_length=20, description="PLOVER event type (AID, ASSAULT, ...)")] = None,
    start: Annotated[str | None, Query(alias="from", max_length=40,
                                       description="claim dates on or after YYYY-MM-DD")] = None,
    end: Annotated[str | None, Query(alias="to", max_length=40, description="claim dates on or before YYYY-MM-DD")] = None,
    place: Annotated[str | None, Query(max_length=200, description="ISO3 country or part of a place name")] = None,
    embargo_status: Annotated[str | None, Query(max_length=40, description=", ".join(EMBARGO_STATUSES))] = None,
    speaker: Annotated[str | None, Query(max_length=200, description="speaker id or part of a name")] = None,
    q: Annotated[str | None, Query(max_length=200, description="words in the claim or the headline")] = None,
) -> Filters:
    """The list filters; empty values (an HTML form's blank fields) mean no filter."""
    if type and type.upper() not in PLOVER_TYPES:
        raise HTTPException(422, f"type: unknown event type {type!r}; one of {', '.join(PLOVER_TYPES)}")
    if embargo_status and embargo_status not in EMBARGO_STATUSES:
        raise HTTPException(422, f"embargo_status: one of {', '.join(EMBARGO_STATUSES)}, not {embargo_status[:40]!r}")
    d0, d1 = parse_date(start, "from"), parse_date(end, "to")
    if d0 and d1 and d0 > d1:
        raise HTTPException(422, "from: after to")
    return Filters(actor=actor or None, type=(type or "").upper() or None, start=d0, end=d1, place=place or None,
                   embargo_status=embargo_status or None, speaker=speaker or None, q=q or None)


def min_sources_param(min_sources: Annotated[str | None, Query(max_length=10, description="at least this many "
                                                                "independent sources")] = None) -> int:
    if not min_sources:
        return 0
    if not min_sources.isdigit() or int(min_sources) > 1000:
        raise HTTPException(422, f"min_sources: a whole number 0..1000, not {min_sources!r}")
    return int(min_sources)


def data(request: Request) -> Data:
    return request.app.state.data


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


@router.get("/claims", summary="Claims matching every filter given, newest first")
def list_claims(f: Annotated[Filters, Depends(filters)], db: Annotated[Data, Depends(data)], limit: Limit = 50,
                offset: Offset = 0) -> dict[str, Any]:
    page = db.claims(f, limit, offset)
    return {"items": page.items, "total": page.total, "limit": limit, "offset": offset}


@router.get("/claims/{claim_id}", summary="One claim, with its document's source and its cluster")
def get_claim(claim_id: str, db: Annotated[Data, Depends(data)]) -> dict[str, Any]:
    item = db.claim(claim_id[:64])
    if item is None:
        raise HTTPException(404, f"no claim {claim_id[:64]!r}")
    return item


@router.get("/clusters", summary="Clusters (claims about one event across documents) matching the filters")
def list_clusters(f: Annotated[Filters, Depends(filters)], db: Annotated[Data, Depends(data)], limit: Limit = 50,
                  offset: Offset = 0, min_sources: Annotated[int, Depends(min_sources_param)] = 0) -> dict[str, Any]:
    page = db.clusters(Filters(**{**f.__dict__, "min_sources": min_sources}), limit, offset)
    return {"items": [c.model_dump(mode="json") for c in page.items], "total": page.total, "limit": limit,
            "offset": offset}


@router.get("/clusters/{cluster_id}", summary="One cluster: reports, sources, contradictions, embargo findings")
def get_cluster(cluster_id: str, db: Annotated[Data, Depends(data)]) -> dict[str, Any]:
    c = db.cluster(cluster_id[:64])
    if c is None:
        raise HTTPException(404, f"no cluster {cluster_id[:64]!r}")
    return c.model_dump(mode="json")


@router.get("/documents/{document_id}", summary="One stored document (contract JSON) and its appearances")
def get_document(document_id: str, db: Annotated[Data, Depends(data)]) -> dict[str, Any]:
    d = db.document(document_id[:64])
    if d is None:
        raise HTTPException(404, f"no document {document_id[:64]!r}")
    return d


@router.get("/dossiers/{regime}", summary="Every alleged transfer under one UN arms embargo")
def get_dossier(regime: str, db: Annotated[Data, Depends(data)],
                start: Annotated[str | None, Query(alias="from", max_length=40)] = None,
                end: Annotated[str | None, Query(alias="to", max_length=40)] = None) -> dict[str, Any]:
    try:
        d = db.dossier(regime[:100], parse_date(start, "from"), parse_date(end, "to"))
    except ValueError as exc:
        raise HTTPException(404, str(exc)) from exc
    return d.model_dump(mode="json")


# --------------------------------------------------------------------------- writes


class Article(BaseModel):
    """One article, with the fields of a JSON Lines input line."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_BODY)
    title: str | None = Field(None, max_length=2000)
    url: str | None = Field(None, max_length=4000)
    outlet: str | None = Field(None, max_length=500)
    published: str | None = Field(None, max_length=40)
    language: str | None = Field(None, max_length=10)
    path: str | None = Field(None, max_length=1000)


_ARTICLES = TypeAdapter(Article | list[Article])


def _authorize(request: Request) -> None:
    from .app import api_token

    token = api_token()
    if not token:
        raise HTTPException(403, "writes are disabled: set KHALDUN_API_TOKEN (or api_token in the config file)")
    got = request.headers.get("authorization", "")
    scheme, _, value = got.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
        raise HTTPException(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise HTTPException(413, f"request body too large (at most {MAX_BODY} bytes)")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise HTTPException(413, f"request body too large (at most {MAX_BODY} bytes)")
        chunks.append(chunk)
    return b"".join(chunks)


def _validate(raw: Any) -> list[dict[str, Any]]:
    if isinstance(raw, list) and len(raw) > MAX_ARTICLES:
        raise HTTPException(400, f"too many articles in one request ({len(raw)}; at most {MAX_ARTICLES})")
    if isinstance(raw, list) and not raw:
        raise HTTPException(400, "no article: send one article object or a non-empty list")
    try:
        got = _ARTICLES.validate_python(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()) if x not in ("Article", "list[Article]"))
        raise HTTPException(422, f"not an article ({where or 'body'}: {first.get('msg')}); "
                                 "fields: text, title, url, outlet, published, language") from exc
    arts = got if isinstance(got, list) else [got]
    return [a.model_dump(exclude_none=True) for a in arts]


@router.post("/documents", status_code=201, summary="Analyze and store one article or a list (needs the token)",
             responses={400: {}, 401: {}, 403: {}, 413: {}, 422: {}},
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": {"oneOf": [{"$ref": "#/components/schemas/Article"},
                                      {"type": "array", "items": {"$ref": "#/components/schemas/Article"}}]}}}}})
async def post_documents(request: Request, db: Annotated[Data, Depends(data)]) -> dict[str, Any]:
    _authorize(request)
    body = await _body(request)
    try:
        raw = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise HTTPException(400, f"the body is not JSON ({str(exc).splitlines()[0][:200]})") from exc
    articles = _validate(raw)
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(db.add_articles, articles)


def article_schema() -> dict[str, Any]:
    """The JSON schema of one article (for the OpenAPI components)."""
    return Article.model_json_schema()
