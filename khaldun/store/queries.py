"""Paged, filtered reads of stored clusters and claims: what the web API and the corpus commands call.

Every filter is answered from an index: clusters from their own columns (``family``/``event_type``
with ``day_lo``, ``location_country``, ``embargo_status``, ``independent_sources``) and from
``cluster_terms`` (exact terms: actor ids and their last part, state ISO3 codes, embargo regime
words and finding statuses, speaker ids). Only a free-text part of a name (``actor`` or ``place``
that is not a code, and ``q``) falls back to a substring match.

A page is read in its order from an index whatever share of the clusters match: each ``cluster_terms``
row carries its cluster's sort keys, indexed after the term (schema version 5), so a term filter reads
its page from the term's rows alone (:func:`_page_ids` says which path a query takes); clusters at a
place have ``(location_country, rank)``. A page of clusters is validated from the database's JSON text.

Each query returns ``(page, total)``: ``total`` is how many match in all, exact (``with_total=False``
skips counting, -1).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from ..models import Claim
from .schema import ClaimActorRow, ClaimRow, ClusterClaimRow, ClusterRow, ClusterTermRow, DocumentRow

__all__ = ["ORDERS", "TERM_ORDERS", "driver_terms", "query_clusters", "get_cluster", "clusters_of_claim", "query_claims"]

CL, CT, CC = ClusterRow.__table__, ClusterTermRow.__table__, ClusterClaimRow.__table__
C, D, A = ClaimRow.__table__, DocumentRow.__table__, ClaimActorRow.__table__
MAX_LIMIT = 1000
SPAN_DAYS = 366  # a cluster spans at most a year (khaldun.corpus.clusters.MAX_SPAN_DAYS): bounds the date scan
# each order is an index read backwards (ix_clusters_rank, ix_clusters_day): a page needs no sort of every match
SORT_MAX = 1000  # up to this many matches, sorting them is cheaper than walking an order's index
ORDERS = {
    "sources": (CL.c.independent_sources.desc(), CL.c.reports.desc(), CL.c.day_lo.desc(), CL.c.id.desc()),
    "date": (CL.c.day_lo.desc(), CL.c.id.desc()),
}
# a cluster's model as JSON text, validated by pydantic from the text: the top clusters of a page are the
# largest (tens of KiB each), and parsing ``jsonb`` into Python objects then validating those took twice as
# long as the database's own text and pydantic's JSON parser (0.33 s against 0.75 s for one page of 3 MiB)
DATA = sa.cast(CL.c.data, sa.Text).label("data")
# the same orders on a term's rows, which carry their cluster's sort keys (ix_cluster_terms_rank, _day)
TERM_ORDERS = {
    "sources": (CT.c.independent_sources.desc(), CT.c.reports.desc(), CT.c.day_lo.desc(), CT.c.cluster_id.desc()),
    "date": (CT.c.day_lo.desc(), CT.c.cluster_id.desc()),
}


def _like(s: str) -> str:
    """A LIKE pattern for "contains s" (its own % and _ taken literally)."""
    return "%" + s.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _is_code(s: str) -> bool:
    """A registry id or code ("TUR", "org/lna"): matched exactly, from the index alone."""
    return "/" in s or (s.isupper() and s.isalpha())


def _term(term: str, plain: bool = False) -> Any:
    return _c("id", plain).in_(sa.select(CT.c.cluster_id).where(CT.c.term == term))


def _c(name: str, plain: bool) -> Any:
    """A column of ``clusters``; ``plain``: wrapped so that SQLite uses no index for it (to walk the order's
    index instead)."""
    col = CL.c[name]
    if not plain:
        return col
    return col + 0 if isinstance(col.type, sa.Integer) else col.concat("")


def _iso(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError as exc:
        raise ValueError(f"{what}: want YYYY-MM-DD, got {value!r}") from exc


def cluster_conditions(actor: str | None = None, type: str | None = None, date_from: str | None = None,
                       date_to: str | None = None, place: str | None = None, embargo_status: str | None = None,
                       regime: str | None = None, min_sources: int = 0, speaker: str | None = None,
                       q: str | None = None, plain: bool = False, driver: str | None = None) -> list[Any]:
    """SQL conditions on ``clusters`` for the filters of :func:`khaldun.corpus.clusters.filter_clusters`
    (``plain``: on no index, see :func:`_c`; ``driver``: a term of :func:`driver_terms` left out, as the
    query reads it from ``cluster_terms`` itself)."""
    C_ = {n: _c(n, plain) for n in ("family", "event_type", "day_lo", "day_hi", "location_country",
                                     "embargo_status", "independent_sources")}

    def term(t: str) -> Any:
        return sa.true() if t == driver else _term(t, plain)

    conds: list[Any] = []
    if actor:
        a = actor.strip()
        hit = term("a:" + a.lower())
        conds.append(hit if _is_code(a) else sa.or_(hit, CL.c.names.like(_like(a), escape="\\")))
    if type:
        # a cluster's type is its family's, except an AID-family cluster of AGREE claims only (a deal about
        # materiel): on the (family, day_lo) index
        t = type.strip().upper()
        conds.append(sa.or_(C_["family"] == t, C_["event_type"] == t) if t == "AGREE" else C_["family"] == t)
    lo, hi = _iso(date_from, "from"), _iso(date_to, "to")
    if lo:
        floor = (date.fromisoformat(lo) - timedelta(days=SPAN_DAYS)).isoformat()
        conds += [C_["day_lo"] >= floor, C_["day_hi"] >= lo]
    if hi:
        conds.append(C_["day_lo"] <= hi)
    if place:
        p = place.strip()
        conds.append(C_["location_country"] == p if _is_code(p) else
                     sa.or_(C_["location_country"] == p.upper(), CL.c.location_name.like(_like(p), escape="\\")))
    reg = regime.strip().lower() if regime else None
    if embargo_status:
        e = embargo_status.strip().lower()
        if e == "none":
            conds.append(~term("r:" + reg) if reg else C_["embargo_status"].is_(None))
        elif e == "any":
            conds.append(term("r:" + reg) if reg else C_["embargo_status"].isnot(None))
        else:
            conds.append(term(f"er:{e}|{reg}") if reg else term("e:" + e))
    elif reg:
        conds.append(term("r:" + reg))
    if min_sources:
        conds.append(C_["independent_sources"] >= int(min_sources))
    if speaker:
        conds.append(term("s:" + speaker.strip().lower()))
    if q:
        pat = _like(q.strip())
        conds.append(sa.or_(CL.c.search.like(pat, escape="\\"), CL.c.location_name.like(pat, escape="\\")))
    return [c for c in conds if not isinstance(c, sa.sql.elements.True_)]  # the driver's own: read elsewhere


def driver_terms(actor: str | None = None, embargo_status: str | None = None, regime: str | None = None,
                 speaker: str | None = None, **_other: Any) -> list[str]:
    """The terms :func:`cluster_conditions` requires on their own (each a condition ``term T``, never
    negated nor one side of an OR): any of them can drive a query, which then reads the term's rows from
    ``cluster_terms`` in page order and checks the other conditions per row."""
    out: list[str] = []
    reg = regime.strip().lower() if regime else None
    if embargo_status:
        e = embargo_status.strip().lower()
        if e not in ("none", "any"):
            out.append(f"er:{e}|{reg}" if reg else "e:" + e)
        elif e == "any" and reg:
            out.append("r:" + reg)
    elif reg:
        out.append("r:" + reg)
    if speaker:
        out.append("s:" + speaker.strip().lower())
    if actor and _is_code(actor.strip()):
        out.append("a:" + actor.strip().lower())
    return out


def _single_term(filters: dict[str, Any]) -> str | None:
    """The one ``cluster_terms`` term that answers ``filters`` alone, if there is one (a count on its index)."""
    drivers = driver_terms(**filters)
    return drivers[0] if drivers and not cluster_conditions(**filters, driver=drivers[0]) else None


def _page_ids(conn: sa.Connection, filters: dict[str, Any], order: str, total: int) -> Any:
    """The query of the matching clusters' ids in ``order``, chosen by what is known of the matches.

    - One term of :func:`driver_terms` is the only filter: its rows in ``cluster_terms``, read in page
      order from its order index (ix_cluster_terms_rank, _day), never a cluster row.
    - Few matches (``0 <= total <= SORT_MAX``): read through the filters' indexes and sorted (on
      PostgreSQL with the order's columns wrapped so that no index offers the order: its estimate of a
      rare term could otherwise send it walking the whole order's index, hoping a match fills the page).
    - Many or unknown, with a driver term: the term's rows in page order, each joined to its cluster to
      check the other filters.
    - Otherwise the clusters' own order index with the filters (on SQLite as "plain" columns, so that it
      walks the order's index rather than fetch every match of a filter's index and sort them).
    """
    sqlite = conn.dialect.name == "sqlite"
    drivers = driver_terms(**filters)
    if drivers and _single_term(filters):
        return sa.select(CT.c.cluster_id.label("id")).where(CT.c.term == drivers[0]).order_by(*TERM_ORDERS[order])
    if 0 <= total <= SORT_MAX:
        if sqlite:  # SQLite takes the filter's index and sorts of itself (what it did before)
            return sa.select(CL.c.id).where(*cluster_conditions(**filters)).order_by(*ORDERS[order])
        return (sa.select(CL.c.id).where(*cluster_conditions(**filters))
                .order_by(*[_unindexed(o) for o in ORDERS[order]]))
    if drivers:
        rest = cluster_conditions(**filters, driver=drivers[0], plain=sqlite)
        return (sa.select(CT.c.cluster_id.label("id")).select_from(CT.join(CL, CL.c.id == CT.c.cluster_id))
                .where(CT.c.term == drivers[0], *rest).order_by(*TERM_ORDERS[order]))
    # a place code alone, most sources first, reads ix_clusters_place_rank in page order: no "plain" for it
    given = {k for k, v in filters.items() if v}
    place_only = given == {"place"} and _is_code(str(filters["place"]).strip()) and order == "sources"
    plain = sqlite and not place_only and bool(cluster_conditions(**filters))
    return sa.select(CL.c.id).where(*cluster_conditions(**filters, plain=plain)).order_by(*ORDERS[order])


def _unindexed(o: Any) -> Any:
    """An ORDER BY term on the same values that no index can serve (see :func:`_c`)."""
    col = o.element
    wrapped = col + 0 if isinstance(col.type, sa.Integer) else col.concat("")
    return wrapped.desc() if o.modifier is sa.sql.operators.desc_op else wrapped.asc()


def query_clusters(conn: sa.Connection, limit: int | None = 50, offset: int = 0, order: str = "sources",
                   with_total: bool = True, **filters: Any) -> tuple[list[Any], int]:
    """A page of the stored clusters matching ``filters`` (see :func:`cluster_conditions`), in ``order``
    (``sources``: most independent sources first, then most reports, then latest; ``date``: latest
    first), and the number matching in all (exact; -1 without ``with_total``)."""
    from ..corpus.clusters import Cluster

    if order not in ORDERS:
        raise ValueError(f"order: one of {', '.join(ORDERS)}, got {order!r}")
    conds = cluster_conditions(**filters)
    total = -1
    if with_total:
        one = _single_term(filters)
        cq = (sa.select(sa.func.count()).select_from(CT).where(CT.c.term == one) if one else
              sa.select(sa.func.count()).select_from(CL).where(*conds))
        total = int(conn.execute(cq).scalar() or 0)
    # the page's ids first (narrow columns, in index order), then their JSON: never read a match's model
    # only to sort it
    q = _page_ids(conn, filters, order, total if conds else -1).offset(max(0, offset))
    if limit is not None:
        q = q.limit(max(0, min(int(limit), MAX_LIMIT)))
    ids = list(conn.execute(q).scalars())
    data = {}
    for k in range(0, len(ids), 500):
        data.update(conn.execute(sa.select(CL.c.id, DATA).where(CL.c.id.in_(ids[k:k + 500]))).all())
    page = [Cluster.model_validate_json(data[i]) for i in ids if i in data]
    return page, total


def iter_clusters(conn: sa.Connection, order: str = "sources", **filters: Any) -> Any:
    """Every matching cluster in ``order``, from one streamed query (a server-side cursor on PostgreSQL):
    memory stays flat whatever the store holds (for `khaldun clusters`, dossiers and exports). With a term
    of :func:`driver_terms` among the filters, the term's rows are read in order from its index (no sort
    of every match, no walk of every cluster)."""
    from ..corpus.clusters import Cluster

    if order not in ORDERS:
        raise ValueError(f"order: one of {', '.join(ORDERS)}, got {order!r}")
    drivers = driver_terms(**filters)
    if drivers:
        q = (sa.select(DATA).select_from(CT.join(CL, CL.c.id == CT.c.cluster_id))
             .where(CT.c.term == drivers[0], *cluster_conditions(**filters, driver=drivers[0]))
             .order_by(*TERM_ORDERS[order]))
    else:
        q = sa.select(DATA).where(*cluster_conditions(**filters)).order_by(*ORDERS[order])
    for r in conn.execution_options(stream_results=True, yield_per=500).execute(q):
        yield Cluster.model_validate_json(r.data)


def get_cluster(conn: sa.Connection, cluster_id: str) -> Any:
    from ..corpus.clusters import Cluster

    r = conn.execute(sa.select(DATA).where(CL.c.id == cluster_id)).first()
    return Cluster.model_validate_json(r.data) if r else None


def clusters_of_claim(conn: sa.Connection, claim_id: str) -> list[str]:
    q = (sa.select(CC.c.cluster_id).select_from(CC.join(C, sa.and_(C.c.document_id == CC.c.document_id,
                                                                    C.c.ordinal == CC.c.ordinal)))
         .where(C.c.id == claim_id).order_by(CC.c.denial, CC.c.cluster_id))
    return list(dict.fromkeys(conn.execute(q).scalars()))


def query_claims(conn: sa.Connection, dialect: str, actor: str | None = None, type: str | None = None,
                 date_from: str | None = None, date_to: str | None = None, place: str | None = None,
                 embargo_status: str | None = None, speaker: str | None = None, q: str | None = None,
                 limit: int | None = 50, offset: int = 0, with_total: bool = True) -> tuple[list[Any], int]:
    """A page of stored claims (document order) and the number matching in all.

    ``actor``: a registry id in any role, or an ISO3 code (any actor of that country); ``type``: event
    type; ``date_from``/``date_to``: the claim's own date; ``place``: the ISO3 code of its place;
    ``embargo_status``: its gravest finding; ``speaker``: speaker id; ``q``: words in the claim (its
    evidence, names and cues: a substring match on its JSON)."""
    from .store import StoredClaim, _source

    conds: list[Any] = []
    key = sa.tuple_(C.c.document_id, C.c.ordinal)
    if actor:
        a = actor.strip()
        who = A.c.actor_id == a
        if len(a) == 3 and a.isalpha():
            who = sa.or_(who, A.c.country == a.upper())
        conds.append(key.in_(sa.select(A.c.document_id, A.c.ordinal).where(who)))
    if type:
        conds.append(C.c.event_type == type.strip().upper())
    lo, hi = _iso(date_from, "from"), _iso(date_to, "to")
    if lo:
        conds.append(C.c.date >= lo)
    if hi:
        conds.append(C.c.date <= hi + "\uffff")
    if place:
        conds.append(C.c.location_country == place.strip().upper())
    if embargo_status:
        conds.append(C.c.embargo_status == embargo_status.strip().lower())
    if speaker:
        conds.append(C.c.speaker_id == speaker.strip())
    if q:
        conds.append(sa.cast(C.c.data, sa.Text).ilike(_like(q.strip()), escape="\\"))
    src = C.join(D, C.c.document_id == D.c.id)
    sel = (sa.select(C.c.document_id, C.c.ordinal, C.c.data, D.c.path, D.c.url, D.c.outlet, D.c.published,
                     D.c.language).select_from(src).where(*conds).order_by(C.c.document_id, C.c.ordinal)
           .offset(max(0, offset)))
    if limit is not None:
        sel = sel.limit(max(0, min(int(limit), MAX_LIMIT)))
    page = [StoredClaim(Claim.model_validate(r.data), r.document_id, _source(r)) for r in conn.execute(sel)]
    total = -1
    if with_total:
        total = int(conn.execute(sa.select(sa.func.count()).select_from(C).where(*conds)).scalar() or 0)
    return page, total
