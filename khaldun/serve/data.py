"""Every read and write of the store that `khaldun serve` does, in one module.

The API and the pages call only :class:`Data`; nothing else in :mod:`khaldun.serve` touches SQL, the
store or the corpus builders. Claims are read with indexed SQL on the store's tables (filters,
a total and a page). Clusters are stored rows (:mod:`khaldun.corpus.stored`: claims join them as they are
written, by this process or an ingest), read through the store's indexes (:meth:`Store.query_clusters`,
:meth:`Store.get_cluster`); a dossier is built from the stored transfer clusters of its regime. Nothing
is cached in the process, so what another process writes shows at the next request.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ..models import Claim, Document
from ..store import Store
from ..store.schema import AppearanceRow, ClaimActorRow, ClaimRow, DocumentRow, RunRow

log = logging.getLogger("khaldun.serve")

__all__ = ["Data", "Filters", "Page", "EMBARGO_STATUSES", "country_paths"]

D, C, A, P, R = (DocumentRow.__table__, ClaimRow.__table__, ClaimActorRow.__table__, AppearanceRow.__table__,
                 RunRow.__table__)
EMBARGO_STATUSES = ("potential_violation", "possibly_exempt", "not_covered", "any", "none")
# who supplies, funds, attacks whom: the relations the actor network draws
SUPPLY_TYPES = frozenset({"AID"})
ATTACK_TYPES = frozenset({"ASSAULT", "COERCE"})
GEO = Path(__file__).resolve().parent.parent / "data" / "geo" / "countries_110m.tsv"


@dataclass(frozen=True)
class Filters:
    """The filters of the claim and cluster lists (API query parameters and the UI's form)."""

    actor: str | None = None
    type: str | None = None
    start: date | None = None
    end: date | None = None
    place: str | None = None
    embargo_status: str | None = None
    speaker: str | None = None
    q: str | None = None
    min_sources: int = 0

    def query(self) -> dict[str, str]:
        """The filters as URL query parameters (for links to the next page)."""
        raw = dict(actor=self.actor, type=self.type, place=self.place, embargo_status=self.embargo_status,
                   speaker=self.speaker, q=self.q)
        out = {k: v for k, v in raw.items() if v}
        if self.start:
            out["from"] = self.start.isoformat()
        if self.end:
            out["to"] = self.end.isoformat()
        if self.min_sources:
            out["min_sources"] = str(self.min_sources)
        return out


@dataclass
class Page:
    items: list[Any]
    total: int
    limit: int
    offset: int


def _like(col: Any, text: str) -> Any:
    return sa.func.lower(col).contains(text.lower(), autoescape=True)


def _claim_actor_match(value: str, roles: Sequence[str]) -> Any:
    """The claim has an actor in one of ``roles`` with this registry id or country, or a name containing it."""
    cond = sa.or_(A.c.actor_id == value, A.c.country == value.upper(), _like(A.c.name, value), _like(A.c.text, value))
    return sa.exists(sa.select(sa.literal(1)).select_from(A).where(
        A.c.document_id == C.c.document_id, A.c.ordinal == C.c.ordinal, A.c.role.in_(list(roles)), cond))


def _claim_conditions(f: Filters) -> list[Any]:
    conds: list[Any] = []
    if f.actor:
        conds.append(_claim_actor_match(f.actor, ("actor", "recipient", "funder")))
    if f.type:
        conds.append(C.c.event_type == f.type.upper())
    if f.start:
        conds.append(C.c.date >= f.start.isoformat())
    if f.end:
        conds.append(C.c.date <= f.end.isoformat() + "\uffff")
    if f.place:
        name = C.c.data[("location", "name")].as_string()
        text = C.c.data[("location", "text")].as_string()
        conds.append(sa.or_(C.c.location_country == f.place.upper(), _like(name, f.place), _like(text, f.place)))
    if f.embargo_status == "any":
        conds.append(C.c.embargo_status.is_not(None))
    elif f.embargo_status == "none":
        conds.append(C.c.embargo_status.is_(None))
    elif f.embargo_status:
        conds.append(C.c.embargo_status == f.embargo_status)
    if f.speaker:
        conds.append(sa.or_(C.c.speaker_id == f.speaker, _claim_actor_match(f.speaker, ("speaker",))))
    if f.q:
        conds.append(sa.or_(_like(sa.cast(C.c.data, sa.Text), f.q), _like(D.c.title, f.q)))
    return conds


def _claim_item(row: Any) -> dict[str, Any]:
    """A claim as the API and the pages show it: the contract claim plus where it was published."""
    claim = Claim.model_validate(row.data).model_dump(mode="json")
    claim["document"] = dict(id=row.document_id, outlet=row.outlet, published=row.published, url=row.url,
                             title=row.title)
    return claim


def _actor_hit(a: Any, q: str) -> bool:
    ql = q.lower()
    return ql in {(a.id or "").lower(), (a.country or "").lower()} or ql in (a.name or a.text or "").lower()


@lru_cache(maxsize=1)
def country_paths() -> tuple[tuple[str, str, str], ...]:
    """``(ISO3, name, SVG path)`` of every country, in a 360 x 180 equirectangular frame (x = lon + 180,
    y = 90 - lat): Natural Earth 1:110m admin-0, public domain (khaldun/data/geo/README.md)."""
    out = []
    for line in GEO.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            iso, name, path = line.split("\t")
            out.append((iso, name, path))
    return tuple(out)


class Data:
    """The server's view of one store (see the module doc). Thread-safe: one instance serves every request."""

    def __init__(self, url: str | None = None) -> None:
        self.store = Store.open(url)
        self._write_lock = threading.Lock()
        self._pipeline: Any = None

    def close(self) -> None:
        self.store.close()

    def warm(self) -> None:
        """Cluster the claims a killed ingest left queued, before the first request needs them."""
        self._catch_up()

    # -- claims -----------------------------------------------------------------------------------
    def claims(self, f: Filters, limit: int = 50, offset: int = 0) -> Page:
        """Claims matching every filter, newest claim date first, with the total count."""
        conds = _claim_conditions(f)
        src = C.join(D, C.c.document_id == D.c.id)
        q = (sa.select(C.c.document_id, C.c.ordinal, C.c.data, D.c.outlet, D.c.published, D.c.url, D.c.title)
             .select_from(src).where(*conds)
             .order_by(sa.nulls_last(C.c.date.desc()), C.c.document_id, C.c.ordinal).limit(limit).offset(offset))
        n = sa.select(sa.func.count()).select_from(src).where(*conds)
        with self.store.engine.connect() as conn:
            total = int(conn.execute(n).scalar() or 0)
            rows = conn.execute(q).all()
        items = [_claim_item(r) for r in rows]
        for it in items:
            it["cluster"] = self._cluster_of(it["id"])
        return Page(items, total, limit, offset)

    def claim(self, claim_id: str) -> dict[str, Any] | None:
        q = (sa.select(C.c.document_id, C.c.ordinal, C.c.data, D.c.outlet, D.c.published, D.c.url, D.c.title)
             .select_from(C.join(D, C.c.document_id == D.c.id)).where(C.c.id == claim_id)
             .order_by(C.c.document_id, C.c.ordinal).limit(1))
        with self.store.engine.connect() as conn:
            row = conn.execute(q).first()
        if row is None:
            return None
        item = _claim_item(row)
        item["cluster"] = self._cluster_of(claim_id)
        return item

    def claims_for_charts(self, f: Filters, limit: int = 5000) -> list[dict[str, Any]]:
        """Up to ``limit`` matching claims for the timeline, map and network."""
        return self.claims(f, limit=limit).items

    # -- documents --------------------------------------------------------------------------------
    def document(self, doc_id: str) -> dict[str, Any] | None:
        """A stored document (contract JSON) with every place it was published (``appearances``)."""
        doc = self.store.document(doc_id)
        if doc is None:
            return None
        out = doc.model_dump(mode="json")
        out["appearances"] = [ap._asdict() for ap in self.store.appearances([doc_id]).get(doc_id, [])]
        for c in out["claims"]:
            c["cluster"] = self._cluster_of(c["id"])
        return out

    # -- clusters and dossiers ----------------------------------------------------------------------
    # Clusters are stored data (khaldun.corpus.stored): claims join them when they are written, and the
    # server reads them through the store's indexes (Store.query_clusters, Store.get_cluster), never by
    # reloading documents. Claims a killed ingest left queued are clustered when the server opens the store.
    def _cluster_of(self, claim_id: str) -> str | None:
        ids = self.store.clusters_of_claim(claim_id)
        return ids[0] if ids else None

    def _catch_up(self) -> None:
        from ..corpus.stored import pending

        if pending(self.store.engine):
            try:
                self.store.update_clusters()
            except Exception as exc:  # noqa: BLE001  a read-only store still answers with what it has
                log.warning("claims wait to join clusters and the store cannot be written: %s",
                            str(exc).splitlines()[0])

    def clusters(self, f: Filters, limit: int = 50, offset: int = 0) -> Page:
        items, total = self.store.query_clusters(
            actor=f.actor, type=f.type, date_from=f.start.isoformat() if f.start else None,
            date_to=f.end.isoformat() if f.end else None, place=f.place, embargo_status=f.embargo_status,
            min_sources=f.min_sources, speaker=f.speaker, q=f.q, limit=limit, offset=offset)
        return Page(list(items), total, limit, offset)

    def cluster(self, cluster_id: str) -> Any:
        return self.store.get_cluster(cluster_id)

    def corpus_counts(self) -> dict[str, int]:
        from ..corpus.cli import _store_counts

        return _store_counts(self.store)

    def dossier(self, regime: str, start: date | None = None, end: date | None = None) -> Any:
        """The dossier of one embargo regime (ValueError naming the known ids when none matches), from the
        stored transfer clusters with a finding for it."""
        from ..corpus.dossier import build_dossier, resolve_regime
        from ..store.queries import iter_clusters

        name = resolve_regime(regime).name
        with self.store.engine.connect() as conn:
            pool = list(iter_clusters(conn, regime=name, type="AID",
                                      date_from=start.isoformat() if start else None,
                                      date_to=end.isoformat() if end else None))
        d = build_dossier(pool, regime, start, end, documents=self.store.counts()["document_appearances"])
        d.clusters_considered = self.store.query_clusters(limit=0, type="AID")[1]
        return d

    @staticmethod
    def regimes() -> list[Any]:
        from ..embargo import load_regimes

        return list(load_regimes())

    # -- the charts -------------------------------------------------------------------------------
    def places(self, f: Filters) -> dict[str, Any]:
        """Claim places with coordinates (grouped), and claims per country, for the map."""
        pts: dict[tuple[float, float, str], dict[str, Any]] = {}
        per_country: Counter[str] = Counter()
        for c in self.claims_for_charts(f):
            loc = c.get("location") or {}
            if loc.get("country"):
                per_country[loc["country"]] += 1
            if loc.get("lat") is None or loc.get("lon") is None:
                continue
            key = (round(loc["lat"], 2), round(loc["lon"], 2), loc.get("name") or loc.get("text") or "")
            p = pts.setdefault(key, dict(lat=key[0], lon=key[1], name=key[2], country=loc.get("country"),
                                         claims=[], types=Counter()))
            p["claims"].append(c["id"])
            p["types"][c["event"]["type"]] += 1
        points = sorted(pts.values(), key=lambda p: -len(p["claims"]))
        return dict(points=points, countries=dict(per_country))

    def network(self, f: Filters) -> dict[str, Any]:
        """Who supplies, funds and attacks whom: nodes (actors) and weighted, typed edges."""
        edges: Counter[tuple[str, str, str]] = Counter()
        names: dict[str, str] = {}

        def keys(xs: list[dict[str, Any]]) -> list[str]:
            """Resolved actors only (a registry id or a known kind): "thousands of homes" is no node."""
            out = []
            for a in xs:
                if not a.get("id") and a.get("kind", "unknown") == "unknown":
                    continue
                k = a.get("id") or (a.get("name") or a.get("text") or "?").lower()
                names.setdefault(k, a.get("name") or a.get("text") or k)
                out.append(k)
            return out

        for c in self.claims_for_charts(f):
            if c["factuality"]["polarity"] == "negative":
                continue
            t = c["event"]["type"]
            rel = "supplies" if t in SUPPLY_TYPES else "attacks" if t in ATTACK_TYPES else None
            targets = keys(c.get("recipients", []))
            if rel:
                for a in keys(c.get("actors", [])):
                    for r in targets:
                        edges[(a, r, rel)] += 1
            for fu in keys(c.get("funders", [])):
                for r in targets or keys(c.get("actors", [])):
                    edges[(fu, r, "funds")] += 1
        edges = Counter({k: v for k, v in edges.items() if k[0] != k[1]})
        nodes = sorted({k for e in edges for k in e[:2]}, key=lambda k: -sum(v for e, v in edges.items() if k in e[:2]))
        return dict(nodes=[dict(id=k, name=names[k]) for k in nodes],
                    edges=[dict(source=s, target=t, relation=r, claims=n) for (s, t, r), n in edges.most_common()])

    # -- writes -----------------------------------------------------------------------------------
    def pipeline(self) -> Any:
        """The analysis pipeline, loaded on the first write (spaCy is never loaded by a read-only server)."""
        with self._write_lock:
            if self._pipeline is None:
                from ..config import registry_with_user_files, user_registries
                from ..pipeline import Pipeline, default_pipeline

                self._pipeline = (Pipeline(registry=registry_with_user_files()) if user_registries()
                                  else default_pipeline())
            return self._pipeline

    def add_articles(self, articles: Iterable[dict[str, Any]]) -> dict[str, Any]:
        """Analyze and store articles (JSON Lines fields); one ingest run, one transaction."""
        pipe = self.pipeline()
        with self._write_lock:
            before = len(getattr(pipe, "errors", []))
            docs: list[Document] = list(pipe.analyze_many(list(articles)))
            failed = list(getattr(pipe, "errors", [])[before:])
            run = self.store.start_run("khaldun serve: POST /api/v1/documents")
            try:
                added, skipped = self.store.add_documents(docs, run)
                for e in failed:
                    self.store.record_error(run, "<POST /api/v1/documents>", e)
            finally:
                self.store.finish_run(run, skipped=0)
        return dict(run=run, added=added, skipped=skipped, errors=failed,
                    documents=[dict(id=d.id, claims=len(d.claims), warnings=list(d.warnings)) for d in docs])


def network_layout(n: int, width: float = 900, height: float = 560) -> list[tuple[float, float]]:
    """Node positions on a circle (the most connected first, at the top)."""
    cx, cy = width / 2, height / 2
    rx, ry = width / 2 - 240, height / 2 - 40  # room for the labels left and right
    if n == 1:
        return [(cx, cy)]
    return [(round(cx + rx * math.sin(2 * math.pi * i / n), 1), round(cy - ry * math.cos(2 * math.pi * i / n), 1))
            for i in range(n)]
