"""The workbench's pages: server-rendered Jinja2 templates (autoescaped), scripts only from ``static/``.

Pages: the claim list (``/``, filters and search), one claim (``/claims/{id}``), the article with its
evidence highlighted (``/documents/{id}``), clusters (``/clusters``, ``/clusters/{id}``), embargo
dossiers (``/dossiers``, ``/dossiers/{regime}``), a timeline, an offline map and the actor network.
Charts are SVG drawn here, so they need no script and no network.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from .. import __version__
from ..models import PLOVER_TYPES
from .api import data, filters, min_sources_param, parse_date
from .data import EMBARGO_STATUSES, Data, Filters, country_paths, network_layout

__all__ = ["router", "segments", "safe_url"]

HERE = Path(__file__).resolve().parent
router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(HERE / "templates"))
PAGE = 25


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) link, else None (a ``javascript:`` URL never becomes a link)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def actor_label(a: Any) -> str:
    if a is None:
        return ""
    get = a.get if isinstance(a, dict) else (lambda k, d=None: getattr(a, k, d))
    name = get("name") or get("text") or "?"
    ident = get("id")
    return f"{name} [{ident}]" if ident and ident != name else name


templates.env.filters["safe_url"] = safe_url
templates.env.filters["actor"] = actor_label
templates.env.globals.update(version=__version__, plover_types=PLOVER_TYPES, statuses=EMBARGO_STATUSES)


def _render(request: Request, name: str, **ctx: Any) -> Response:
    return templates.TemplateResponse(request, name, ctx)


def error_page(request: Request, status: int, msg: str) -> Response:
    titles = {404: "Not found", 422: "Bad request", 413: "Too large", 414: "Too long"}
    return templates.TemplateResponse(request, "error.html", dict(status=status, title=titles.get(status, "Error"),
                                                                  msg=msg, nav=None), status_code=status)


def _pager(request: Request, f: Filters, total: int, offset: int) -> dict[str, Any]:
    q = f.query()
    prev = urlencode({**q, "offset": max(0, offset - PAGE)}) if offset > 0 else None
    nxt = urlencode({**q, "offset": offset + PAGE}) if offset + PAGE < total else None
    return dict(total=total, first=offset + 1 if total else 0, last=min(total, offset + PAGE),
                prev=f"{request.url.path}?{prev}" if prev is not None else None,
                next=f"{request.url.path}?{nxt}" if nxt is not None else None)


Offset = Annotated[int, Query(ge=0, le=10_000_000)]
F = Annotated[Filters, Depends(filters)]
DB = Annotated[Data, Depends(data)]


@router.get("/", response_class=HTMLResponse)
def claims_page(request: Request, f: F, db: DB, offset: Offset = 0) -> Response:
    page = db.claims(f, PAGE, offset)
    return _render(request, "claims.html", f=f, claims=page.items, pager=_pager(request, f, page.total, offset),
                   nav="claims")


@router.get("/claims/{claim_id}", response_class=HTMLResponse)
def claim_page(request: Request, claim_id: str, db: DB) -> Response:
    c = db.claim(claim_id[:64])
    if c is None:
        raise HTTPException(404, "no such claim")
    return _render(request, "claim.html", c=c, nav="claims")


def segments(text: str, claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The text cut at every evidence boundary: ``{"text", "claims": [ids], "anchors": [ids]}`` per piece.

    A piece lies inside the evidence of the claims listed; ``anchors`` are the claims whose evidence
    starts there (the article view puts ``id="ev-<claim>"`` on them so links land on the passage)."""
    spans: list[tuple[int, int, str]] = []
    for c in claims:
        ev = c.get("evidence") or {}
        for p in [ev, *ev.get("more", [])]:
            s, e = int(p.get("start", 0)), int(p.get("end", 0))
            if 0 <= s < e <= len(text):
                spans.append((s, e, c["id"]))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    first = {}
    for s, _, cid in sorted(spans):
        first.setdefault(cid, s)
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        inside = [cid for s, e, cid in spans if s <= a and b <= e]
        out.append(dict(text=text[a:b], claims=list(dict.fromkeys(inside)),
                        anchors=[cid for cid, s in first.items() if s == a]))
    return out


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str, db: DB) -> Response:
    d = db.document(doc_id[:64])
    if d is None:
        raise HTTPException(404, "no such document")
    return _render(request, "document.html", d=d, segs=segments(d["text"], d["claims"]), nav="claims")


@router.get("/clusters", response_class=HTMLResponse)
def clusters_page(request: Request, f: F, db: DB, offset: Offset = 0,
                  min_sources: Annotated[int, Depends(min_sources_param)] = 0) -> Response:
    f = Filters(**{**f.__dict__, "min_sources": min_sources})
    page = db.clusters(f, PAGE, offset)
    return _render(request, "clusters.html", f=f, clusters=page.items,
                   pager=_pager(request, f, page.total, offset), nav="clusters")


def _reports_by_outlet(c: Any) -> list[dict[str, Any]]:
    rows = []
    for s in c.sources:
        for r in s.reports:
            rows.append(dict(r=r, source=s.label, supports=s.supports, independent=s.kind))
    rows.sort(key=lambda x: (x["r"].outlet.lower(), x["r"].published or "", x["r"].document))
    return rows


@router.get("/clusters/{cluster_id}", response_class=HTMLResponse)
def cluster_page(request: Request, cluster_id: str, db: DB) -> Response:
    c = db.cluster(cluster_id[:64])
    if c is None:
        raise HTTPException(404, "no such cluster")
    return _render(request, "cluster.html", c=c, rows=_reports_by_outlet(c), nav="clusters")


@router.get("/dossiers", response_class=HTMLResponse)
def dossiers_page(request: Request, db: DB) -> Response:
    return _render(request, "dossiers.html", regimes=db.regimes(), nav="dossiers")


@router.get("/dossiers/{regime}", response_class=HTMLResponse)
def dossier_page(request: Request, regime: str, db: DB,
                 start: Annotated[str | None, Query(alias="from", max_length=40)] = None,
                 end: Annotated[str | None, Query(alias="to", max_length=40)] = None) -> Response:
    try:
        d = db.dossier(regime[:100], parse_date(start, "from"), parse_date(end, "to"))
    except ValueError as exc:
        raise HTTPException(404, str(exc)) from exc
    return _render(request, "dossier.html", d=d, nav="dossiers")


# --------------------------------------------------------------------------- charts


def _day(s: str | None) -> date | None:
    if not s:
        return None
    try:
        parts = [int(x) for x in s[:10].split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def timeline(claims: list[dict[str, Any]], width: int = 900) -> dict[str, Any]:
    """Dots per claim date, one row per event type, with month ticks (coordinates for the SVG)."""
    dated = [(d, c) for c in claims if (d := _day((c.get("when") or {}).get("date")))]
    if not dated:
        return dict(dots=[], rows=[], ticks=[], width=width, height=60, undated=len(claims))
    lo = min(d for d, _ in dated).toordinal() - 3
    hi = max(d for d, _ in dated).toordinal() + 3
    left, right = 110, width - 40
    types = sorted({c["event"]["type"] for _, c in dated})
    row = {t: i for i, t in enumerate(types)}

    def x(o: int) -> float:
        return round(left + (right - left) * (o - lo) / max(1, hi - lo), 1)

    stack: Counter[tuple[str, int]] = Counter()
    dots = []
    for d, c in sorted(dated, key=lambda dc: dc[0]):
        t = c["event"]["type"]
        k = stack[(t, d.toordinal())]
        stack[(t, d.toordinal())] += 1
        dots.append(dict(x=x(d.toordinal()), y=40 + 34 * row[t] - min(k, 4) * 5, id=c["id"], type=t,
                         date=d.isoformat(), label=_dot_label(c)))
    ticks, seen = [], set()
    step = max(1, math.ceil((hi - lo) / 30 / 8))  # at most ~8 month ticks
    for o in range(lo, hi + 1):
        d = date.fromordinal(o)
        m = (d.year, d.month)
        if d.day == 1 and m not in seen and (d.year * 12 + d.month) % step == 0:
            seen.add(m)
            ticks.append(dict(x=x(o), label=d.strftime("%b %Y")))
    rows = [dict(type=t, y=40 + 34 * i) for i, t in enumerate(types)]
    return dict(dots=dots, rows=rows, ticks=ticks, width=width, height=40 + 34 * len(types) + 10,
                undated=len(claims) - len(dated))


def _dot_label(c: dict[str, Any]) -> str:
    who = ", ".join(actor_label(a) for a in c.get("actors", [])) or "?"
    whom = ", ".join(actor_label(a) for a in c.get("recipients", [])) or "?"
    return f"{c['event']['type']}: {who} -> {whom} ({(c.get('when') or {}).get('date') or 'undated'})"


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request, f: F, db: DB) -> Response:
    claims = db.claims_for_charts(f)
    return _render(request, "timeline.html", f=f, t=timeline(claims), n=len(claims), nav="timeline")


def map_view(places: dict[str, Any]) -> dict[str, Any]:
    """The map's countries (shaded by claims) and points, framed around the points (the world if none)."""
    counts = places["countries"]
    top = max(counts.values(), default=0)

    def shade(iso: str) -> int:
        n = counts.get(iso, 0)
        return 0 if not n else 1 + min(3, int(3 * n / max(1, top)))

    shapes = [dict(iso=iso, name=name, d=d, shade=shade(iso), n=counts.get(iso, 0)) for iso, name, d in country_paths()]
    pts = [dict(p, x=round(p["lon"] + 180, 2), y=round(90 - p["lat"], 2), r=round(0.6 + 0.5 * math.sqrt(len(p["claims"])), 2),
                n=len(p["claims"])) for p in places["points"]]
    if pts:
        x0, x1 = min(p["x"] for p in pts), max(p["x"] for p in pts)
        y0, y1 = min(p["y"] for p in pts), max(p["y"] for p in pts)
        w, h = max(40.0, (x1 - x0) * 1.6), max(24.0, (y1 - y0) * 1.6)
        w, h = max(w, h * 1.6), max(h, w / 1.6)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        box = f"{cx - w / 2:.1f} {cy - h / 2:.1f} {w:.1f} {h:.1f}"
        scale = w / 360
    else:
        box, scale = "0 0 360 180", 1.0
    for p in pts:
        p["r"] = round(p["r"] * max(scale, 0.12) * 2, 2)
    return dict(shapes=shapes, points=pts, box=box, stroke=round(max(scale, 0.1) * 0.5, 3),
                font=round(max(scale, 0.1) * 4, 2))


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, f: F, db: DB) -> Response:
    places = db.places(f)
    return _render(request, "map.html", f=f, m=map_view(places), places=places, nav="map")


def network_view(net: dict[str, Any], width: int = 900, height: int = 560) -> dict[str, Any]:
    nodes = net["nodes"][:40]
    pos = dict(zip([n["id"] for n in nodes], network_layout(len(nodes), width, height), strict=False))
    pair: defaultdict[tuple[str, str], int] = defaultdict(int)
    edges = []
    for e in net["edges"]:
        if e["source"] not in pos or e["target"] not in pos:
            continue
        (x1, y1), (x2, y2) = pos[e["source"]], pos[e["target"]]
        k = pair[(e["source"], e["target"])]
        pair[(e["source"], e["target"])] += 1
        dx, dy = x2 - x1, y2 - y1
        ln = math.hypot(dx, dy) or 1
        off = 6 * k  # parallel edges of several relations side by side
        ox, oy = -dy / ln * off, dx / ln * off
        shrink = 14 / ln
        edges.append(dict(e, x1=round(x1 + dx * shrink + ox, 1), y1=round(y1 + dy * shrink + oy, 1),
                          x2=round(x2 - dx * shrink + ox, 1), y2=round(y2 - dy * shrink + oy, 1),
                          w=round(min(6.0, 1 + math.log2(e["claims"])), 1)))
    nodes_out = [dict(n, x=pos[n["id"]][0], y=pos[n["id"]][1],
                      anchor="start" if pos[n["id"]][0] >= width / 2 else "end") for n in nodes]
    return dict(nodes=nodes_out, edges=edges, width=width, height=height)


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request, f: F, db: DB) -> Response:
    net = db.network(f)
    return _render(request, "network.html", f=f, g=network_view(net), net=net, nav="network")
