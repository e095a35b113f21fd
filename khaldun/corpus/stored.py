"""Clusters kept in the store: claims join them at ingest, and `khaldun recluster` rebuilds them.

The rules are those of :mod:`khaldun.corpus.clusters`; this module runs them against the store so that
no command has to load every document and recompute every cluster:

- **At ingest** (:func:`update_clusters`, called when an ingest run finishes): claims wait in
  ``cluster_queue`` (written in the same transaction as the claims, so a killed run loses none). Each
  queued claim finds its candidate clusters through ``cluster_keys`` (event family x participant or
  place x month), is scored against their stored aggregate (``clusters.state``) and joins the best, or
  starts a cluster. A REJECT claim is also attached as the denial of the cluster it fits best. A
  document that got a new appearance (the same text from one more outlet) has its clusters rebuilt.
- **Rebuild** (:func:`recluster`): every claim is read once as a compact item (no text, no mentions
  or quotes: ~0.5 KiB), sorted in the greedy pass's order, and streamed through
  :class:`khaldun.corpus.clusters.Assigner`; a cluster no later claim can join is written out at once,
  so only the live clusters are held, and the time is linear in the number of claims (plus the sort).
  REJECT claims then find the cluster they deny in memory (:class:`_DenialIndex`, filled as clusters are
  written, only where a denial will look), and those clusters are rewritten. With ``dask`` both the
  greedy pass and the building of the clusters (read back, syndication, the model, its rows) run on Dask
  workers: the pass per time partition, stitched at the partition edges in this process
  (:mod:`khaldun.corpus.partitioned`), the clusters batch by batch; the writes stay in this process, and
  the result is the single process's, cluster for cluster.
- **Writing a cluster** (:func:`materialize`): its claims and their documents' text and appearances
  (never their mentions or quotes) are read back, and the cluster model is built exactly as the in-memory
  path builds it (syndication among its documents, primary sources, contradictions, embargo); the
  row keeps the model as JSON plus indexed copies of what :meth:`khaldun.store.Store.query_clusters`
  filters and sorts on.

The greedy pass depends on the order claims come in: a store clustered at ingest, batch by batch,
can differ at the margins from a rebuild, which takes every claim in date order. `khaldun recluster`
gives the canonical result (and applies changed rules).
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa

from khaldun.models import PLOVER_TYPES, Claim, Document, Source
from khaldun.store.schema import (
    AppearanceRow,
    ClaimRow,
    ClusterClaimRow,
    ClusterKeyRow,
    ClusterQueueRow,
    ClusterRow,
    ClusterTermRow,
    DocumentRow,
)

from . import partitioned
from .clusters import (
    _P,
    CANDIDATES_PER_KEY,
    DENIAL_DAYS,
    DENIAL_TYPES,
    WINDOW_DAYS,
    Cluster,
    _Acc,
    _cluster,
    _Item,
    _items,
    _order_key,
    _score,
    align_copies,
    claim_item,
    denial_keys,
    denial_rank,
    find_syndication,
    index_keys,
)

__all__ = ["materialize", "recluster", "update_clusters", "pending", "cluster_row_terms", "term_rows"]

CL, CC, CT, CK, CQ = (ClusterRow.__table__, ClusterClaimRow.__table__, ClusterTermRow.__table__,
                      ClusterKeyRow.__table__, ClusterQueueRow.__table__)
C, D, P = ClaimRow.__table__, DocumentRow.__table__, AppearanceRow.__table__
_CHUNK = 400
_PG_LOCK_KEY = 0x6B68636C  # "khcl": serialises cluster writers on PostgreSQL
QUEUE_BATCH = 2000  # queued claims per transaction at ingest
FLUSH_CLUSTERS = 1000  # finished clusters written per transaction by recluster

Key = tuple[str, int]  # (document id, ordinal)
Member = tuple[str, int, bool]  # (document id, ordinal, denial)


# --------------------------------------------------------------------------- the aggregate a claim is scored against


def _d(x: date | None) -> str | None:
    return x.isoformat() if x else None


def _u(x: str | None) -> date | None:
    return date.fromisoformat(x) if x else None


def acc_state(acc: _Acc) -> dict[str, Any]:
    """The cluster's aggregate (what :func:`khaldun.corpus.clusters._score` reads) as JSON."""
    return {
        "family": acc.family,
        "actors": sorted(([p.id, p.country, p.bare] for p in acc.actors), key=str),
        "recipients": sorted(([p.id, p.country, p.bare] for p in acc.recipients), key=str),
        "symmetric": acc.symmetric,
        "cats": sorted(acc.cats),
        "countries": sorted(acc.countries),
        "places": sorted(acc.places),
        "coords": [list(c) for c in acc.coords[:50]],
        **{k: _d(getattr(acc, k)) for k in ("dlo", "dhi", "ddlo", "ddhi", "slo", "shi", "alo", "ahi")},
        "n": len(acc.items),
    }


def acc_from_state(st: dict[str, Any]) -> _Acc:
    acc = _Acc(family=st["family"])
    acc.actors = {_P(*p) for p in st.get("actors", [])}
    acc.recipients = {_P(*p) for p in st.get("recipients", [])}
    acc.symmetric = bool(st.get("symmetric"))
    acc.cats = set(st.get("cats", []))
    acc.countries = set(st.get("countries", []))
    acc.places = set(st.get("places", []))
    acc.coords = [(float(a), float(b)) for a, b in st.get("coords", [])]
    for k in ("dlo", "dhi", "ddlo", "ddhi", "slo", "shi", "alo", "ahi"):
        setattr(acc, k, _u(st.get(k)))
    return acc


def _month(d: date) -> int:
    return d.year * 12 + d.month - 1


def buckets(lo: date | None, hi: date | None) -> list[int]:
    """The months a date range touches (-1: no date at all)."""
    if lo is None or hi is None:
        return [-1]
    return list(range(_month(lo), _month(max(lo, hi)) + 1))


def _cluster_id(family: str, doc_id: str, claim_id: str) -> str:
    return "cl-" + hashlib.sha256(f"{family}|{doc_id}|{claim_id}".encode()).hexdigest()[:16]


# --------------------------------------------------------------------------- reading claims and documents back


def _chunks(xs: Sequence[Any], n: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for k in range(0, len(xs), n):
        yield xs[k:k + n]


def _load_claims(conn: sa.Connection, keys: Iterable[Key]) -> dict[Key, Claim]:
    """The claims at these (document id, ordinal) keys, each read through the primary key (one
    ``ordinal = o AND document_id IN (...)`` term per position: both databases probe the key for each,
    where a row-value ``IN`` list made SQLite scan the whole table)."""
    out: dict[Key, Claim] = {}
    for part in _chunks(sorted(set(keys))):
        by_ord: dict[int, list[str]] = {}
        for d, o in part:
            by_ord.setdefault(o, []).append(d)
        cond = sa.or_(*[sa.and_(C.c.ordinal == o, C.c.document_id.in_(ds)) for o, ds in sorted(by_ord.items())])
        for r in conn.execute(sa.select(C.c.document_id, C.c.ordinal, C.c.data).where(cond)):
            out[(r.document_id, r.ordinal)] = Claim.model_validate(r.data)
    return out


def _load_documents(conn: sa.Connection, ids: Iterable[str]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Document rows (text and source, never mentions or quotes) and their appearances, first seen first."""
    ids = sorted(set(ids))
    rows: dict[str, Any] = {}
    aps: dict[str, list[Any]] = {}
    for part in _chunks(ids):
        q = sa.select(D.c.id, D.c.path, D.c.url, D.c.outlet, D.c.published, D.c.language, D.c.title,
                      D.c.text).where(D.c.id.in_(part))
        rows.update((r.id, r) for r in conn.execute(q))
        pq = (sa.select(P.c.document_id, P.c.outlet, P.c.url, P.c.published, P.c.path, P.c.title)
              .where(P.c.document_id.in_(part)).order_by(P.c.document_id, P.c.id))
        for r in conn.execute(pq):
            aps.setdefault(r.document_id, []).append(r)
    return rows, aps


def _published(conn: sa.Connection, ids: Iterable[str]) -> dict[str, date | None]:
    out: dict[str, date | None] = {}
    for part in _chunks(sorted(set(ids))):
        for r in conn.execute(sa.select(D.c.id, D.c.published).where(D.c.id.in_(part))):
            out[r.id] = _day(r.published)
    return out


def _day(s: str | None) -> date | None:
    try:
        return date.fromisoformat(s[:10]) if s else None
    except ValueError:
        return None


# --------------------------------------------------------------------------- building and writing clusters


def materialize(conn: sa.Connection, members: dict[str, list[Member]]) -> dict[str, tuple[Cluster, _Acc]]:
    """Build each cluster model from its member claims, as the in-memory path does (one document per
    appearance, so a text from two outlets counts two outlets and one source)."""
    keys = {(d, o) for ms in members.values() for d, o, _ in ms}
    claims = _load_claims(conn, keys)
    rows, aps = _load_documents(conn, {d for d, _ in keys})
    out: dict[str, tuple[Cluster, _Acc]] = {}
    for cid, ms in members.items():
        by_doc: dict[str, list[tuple[int, bool]]] = {}
        for d, o, den in ms:
            if (d, o) in claims and d in rows:
                by_doc.setdefault(d, []).append((o, den))
        docs: list[Document] = []
        denied: set[tuple[int, int]] = set()
        for d, lst in by_doc.items():
            lst.sort()
            r = rows[d]
            base = Document.model_construct(
                id=d, source=Source(path=r.path, url=r.url, outlet=r.outlet, published=r.published,
                                    language=r.language),
                title=r.title, text=r.text, claims=[claims[(d, o)] for o, _ in lst],
                removed=[], mentions=[], quotes=[], warnings=[], dropped=[])  # every field given: pydantic would inspect a default factory per call
            for a in aps.get(d) or [None]:
                doc = base if a is None else base.model_copy(update={"source": Source(
                    path=a.path, url=a.url, outlet=a.outlet, published=a.published, language=r.language),
                    "title": a.title or r.title})
                denied.update((len(docs), ci) for ci, (_, den) in enumerate(lst) if den)
                docs.append(doc)
        if not docs:
            continue
        synd = find_syndication(docs)
        items = _items(docs, align_copies(docs, synd))
        own = [it for it in items if (it.doc_i, it.claim_i) not in denied] or items
        own_refs = {it.ref for it in own}
        fam = Counter(it.family for it in own).most_common(1)[0][0]
        acc = _Acc(family=fam)
        for it in sorted(own, key=_order_key):
            acc.add(it)
        for it in items:
            if it.ref not in own_refs:
                acc.items.append(it)
                acc.denials.add(it.ref)
        out[cid] = (_cluster(acc, synd).model_copy(update={"id": cid}), acc)
    return out


def cluster_row_terms(c: Cluster) -> set[str]:
    """The exact-match filter terms of a cluster (see :class:`khaldun.store.schema.ClusterTermRow`)."""
    terms: set[str] = set()
    for a in c.actors + c.recipients + c.funders:
        if a.id:
            terms.add("a:" + a.id.lower())
            if "/" in a.id:
                terms.add("a:" + a.id.rsplit("/", 1)[-1].lower())
        if a.kind == "state" and a.country:
            terms.add("a:" + a.country.lower())
    for f in c.embargo:
        words = {w for w in f.regime.lower().replace("(", " ").replace(")", " ").split() if len(w) > 2}
        terms.add("e:" + f.status)
        for w in words | {f.regime.lower()}:
            terms.add("r:" + w)
            terms.add(f"er:{f.status}|{w}")
    for s in c.speakers:
        if s.id:
            terms.add("s:" + s.id.lower())
    return terms


NAMES_REPORTS = 20  # reports whose evidence the free-text search reads (a cluster row stays small)


def _row(c: Cluster, acc: _Acc, now: datetime) -> dict[str, Any]:
    names = {(a.name or "").lower() for a in c.actors + c.recipients + c.funders} | {
        a.text.lower() for a in c.actors + c.recipients + c.funders}
    # free text (`q`) also finds the materiel, the trigger and the reports' titles and evidence
    text = set(names) | {(m.designation or "").lower() for m in c.materiel} | {m.text.lower() for m in c.materiel}
    text.add((c.event.trigger or "").lower())
    reports = [r for s in c.sources for r in s.reports]
    text |= {(r.title or "").lower() for r in reports} | {r.evidence.lower() for r in reports[:NAMES_REPORTS]}
    loc = c.location
    return dict(
        id=c.id, family=c.family, event_type=c.event.type,
        day_lo=c.when.earliest or (c.first_seen[:10] if c.first_seen else None),
        day_hi=c.when.latest or (c.first_seen[:10] if c.first_seen else None),
        first_seen=c.first_seen, reports=c.reports, outlets=c.outlets,
        independent_sources=c.independent_sources, contradictions=len(c.contradictions), n_claims=len(c.claims),
        polarity=c.polarity,
        embargo_status=c.embargo[0].status if c.embargo else None,
        location_country=loc.country if loc else None,
        location_name=(loc.name or loc.text).lower() if loc else None,
        names="\x1f".join(sorted(n for n in names if n)),
        search="\x1f".join(sorted(t for t in text if t)),
        state=acc_state(acc), data=c.model_dump(mode="json"), updated_at=now)


def _keys_of(acc: _Acc) -> set[tuple[str, int]]:
    ks: set[str] = set()
    for it in acc.items:
        if it.ref not in acc.denials:
            ks |= index_keys(it, False)
    return {(k, b) for k in ks for b in buckets(acc.slo, acc.shi)}


def _upsert(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]], key: str) -> None:
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    for part in _chunks(rows, 200):
        ins = insert(table)
        cols = {c.name: ins.excluded[c.name] for c in table.columns if c.name != key}
        conn.execute(ins.on_conflict_do_update(index_elements=[key], set_=cols), list(part))


def _insert_ignore(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    for part in _chunks(rows, 2000):
        conn.execute(insert(table).on_conflict_do_nothing(), list(part))


class ClusterRows(NamedTuple):
    """The rows of built clusters: ``clusters``, ``cluster_terms``, ``cluster_keys``, ``cluster_claims``."""

    clusters: list[dict[str, Any]]
    terms: list[dict[str, Any]]
    keys: list[dict[str, Any]]
    members: list[dict[str, Any]]


TERM_SORT_KEYS = ("independent_sources", "reports", "day_lo")  # copied onto each term (schema version 5)


def term_rows(c: Cluster, row: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``cluster_terms`` rows of cluster ``c`` (its row ``row``, from :func:`_row`): each term with copies
    of the cluster's sort keys, so a filtered page reads in order from the term's index (see
    :class:`khaldun.store.schema.ClusterTermRow`)."""
    keys = {k: row[k] for k in TERM_SORT_KEYS}
    return [dict(term=t, cluster_id=row["id"], **keys) for t in sorted(cluster_row_terms(c))]


def cluster_rows(built: dict[str, tuple[Cluster, _Acc]], members: dict[str, list[Member]]) -> ClusterRows:
    """The rows that store the built clusters (plain values: a Dask worker builds them, the client writes)."""
    now = datetime.now(UTC)
    rows = [_row(c, acc, now) for c, acc in built.values()]
    return ClusterRows(
        rows,
        [t for (c, _), row in zip(built.values(), rows, strict=True) for t in term_rows(c, row)],
        [dict(key=k, bucket=b, cluster_id=cid) for cid, (_, acc) in built.items() for k, b in _keys_of(acc)],
        [dict(cluster_id=cid, document_id=d, ordinal=o, denial=den)
         for cid, ms in members.items() if cid in built for d, o, den in ms])


def write_rows(conn: sa.Connection, rows: ClusterRows, fresh: bool = False) -> None:
    """Write (insert or replace) the clusters, their terms and keys, and add their member rows (``fresh``:
    new clusters, nothing of theirs to replace)."""
    if not rows.clusters:
        return
    for part in _chunks([] if fresh else [r["id"] for r in rows.clusters]):
        conn.execute(CT.delete().where(CT.c.cluster_id.in_(part)))
        conn.execute(CK.delete().where(CK.c.cluster_id.in_(part)))
    _upsert(conn, CL, rows.clusters, "id")
    _insert_ignore(conn, CT, rows.terms)
    _insert_ignore(conn, CK, rows.keys)
    _insert_ignore(conn, CC, rows.members)


def write_clusters(conn: sa.Connection, built: dict[str, tuple[Cluster, _Acc]], members: dict[str, list[Member]],
                   fresh: bool = False) -> None:
    """Write the built clusters (see :func:`write_rows`)."""
    write_rows(conn, cluster_rows(built, members), fresh)


def _lock(conn: sa.Connection) -> None:
    """One cluster writer at a time: an advisory lock on PostgreSQL; on SQLite a first write takes the
    database's write lock before anything is read."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    else:
        conn.execute(CQ.delete().where(CQ.c.id < 0))


def _members(conn: sa.Connection, cids: Iterable[str]) -> dict[str, list[Member]]:
    out: dict[str, list[Member]] = {}
    for part in _chunks(sorted(set(cids))):
        q = sa.select(CC.c.cluster_id, CC.c.document_id, CC.c.ordinal, CC.c.denial).where(CC.c.cluster_id.in_(part))
        for r in conn.execute(q):
            out.setdefault(r.cluster_id, []).append((r.document_id, r.ordinal, bool(r.denial)))
    return out


# --------------------------------------------------------------------------- at ingest: the queue


class _Candidates:
    """Candidate clusters of a claim: stored ones through ``cluster_keys``, and those touched in this batch
    (their stored keys are stale until the batch is written) through a local index."""

    def __init__(self, conn: sa.Connection, window: int) -> None:
        self.conn, self.window = conn, window
        self.states: dict[str, _Acc] = {}
        self.local: dict[tuple[str, int], set[str]] = {}

    def ids(self, keys: Iterable[str], bks: list[int], most: int | None = None) -> set[str]:
        """Clusters filed under ``keys`` in months ``bks``, the latest months first: at most ``most``
        (default: :data:`CANDIDATES_PER_KEY` per key), so the cost per claim stays bounded."""
        keys = sorted(keys)
        found: set[str] = set()
        if keys and bks:
            # each key read backwards along the primary key (key, bucket, cluster_id), at most ``most`` rows,
            # so a query costs the same however many clusters a busy key holds (an IN list over keys and
            # months made SQLite read every month of each key, then sort: time grew with the store)
            most = most or CANDIDATES_PER_KEY * len(keys)
            arms = [sa.select(CK.c.bucket, CK.c.cluster_id)
                    .where(CK.c.key == k, CK.c.bucket.between(min(bks), max(bks)))  # bks: consecutive months
                    .order_by(CK.c.bucket.desc(), CK.c.cluster_id.desc()).limit(most).subquery() for k in keys]
            u = sa.union_all(*[sa.select(a.c.bucket, a.c.cluster_id) for a in arms]).subquery()
            q = sa.select(u.c.cluster_id).order_by(u.c.bucket.desc(), u.c.cluster_id.desc()).limit(most)
            found.update(self.conn.execute(q).scalars())
        for k in keys:
            for b in bks:
                found |= self.local.get((k, b), set())
        return found

    def load(self, ids: Iterable[str]) -> dict[str, _Acc]:
        need = sorted(set(ids) - set(self.states))
        for part in _chunks(need):
            for r in self.conn.execute(sa.select(CL.c.id, CL.c.state).where(CL.c.id.in_(part))):
                self.states[r.id] = acc_from_state(r.state)
        return {i: self.states[i] for i in ids if i in self.states}

    def add(self, cid: str, acc: _Acc, it: _Item) -> None:
        self.states[cid] = acc
        acc.add(it)
        for k in index_keys(it, False):
            for b in buckets(acc.slo, acc.shi):
                self.local.setdefault((k, b), set()).add(cid)


def _query_range(it: _Item, window: int) -> list[int]:
    if it.lo is None or it.hi is None:
        return [-1]
    return buckets(it.lo - timedelta(days=window), it.hi + timedelta(days=window))


def _denial_target(cands: _Candidates, it: _Item, window: int) -> str | None:
    a = it.anchor
    if a is None:
        return None
    keys = [f"{fam}|{k}" for fam in PLOVER_TYPES if fam not in DENIAL_TYPES for k in denial_keys(it)]
    # a party is the actor of many events: the latest few hundred of its clusters are the candidates
    ids = cands.ids(keys, buckets(a - timedelta(days=DENIAL_DAYS + 1), a + timedelta(days=window)),
                    most=4 * CANDIDATES_PER_KEY)
    ranked = [(r, cid) for cid, acc in cands.load(ids).items() if (r := denial_rank(it, acc, window)) is not None]
    return max(ranked)[1] if ranked else None


def _process(conn: sa.Connection, rows: list[Any], window: int) -> int:
    """Cluster one batch of queued rows; returns how many claims joined a cluster."""
    new_keys = sorted({(r.document_id, r.ordinal) for r in rows if r.ordinal is not None})
    refresh = {r.document_id for r in rows if r.ordinal is None}
    done: set[Key] = set()
    for part in _chunks(sorted({d for d, _ in new_keys})):
        q = sa.select(CC.c.document_id, CC.c.ordinal).where(CC.c.document_id.in_(part), CC.c.denial.is_(False))
        done.update((r.document_id, r.ordinal) for r in conn.execute(q))
    todo = [k for k in new_keys if k not in done]
    claims = _load_claims(conn, todo)
    pubs = _published(conn, {d for d, _ in claims})
    items = [claim_item(c, pubs.get(d), ref=i, keep=False, doc_id=d, key=(d, o))
             for i, ((d, o), c) in enumerate(sorted(claims.items()))]
    items.sort(key=_order_key)
    cands = _Candidates(conn, window)
    new: dict[str, list[Member]] = {}
    created: set[str] = set()
    for it in items:
        ids = cands.ids(index_keys(it, True), _query_range(it, window))
        best: tuple[int, str] | None = None
        for cid, acc in sorted(cands.load(ids).items()):
            if acc.family != it.family:
                continue
            s = _score(it, acc, window)
            if s is not None and (best is None or s > best[0]):
                best = (s, cid)
        if best is None:
            assert it.key is not None
            cid = _cluster_id(it.family, it.doc_id, it.claim_id)
            while cid in cands.states or cid in created or conn.execute(
                    sa.select(CL.c.id).where(CL.c.id == cid)).first() is not None:
                cid = _cluster_id(it.family, cid, it.claim_id)  # taken (a rebuilt store): derive another
            created.add(cid)
            acc = _Acc(family=it.family)
        else:
            cid = best[1]
            acc = cands.states[cid]
        cands.add(cid, acc, it)
        new.setdefault(cid, []).append((*it.key, False))  # type: ignore[arg-type]
    for it in items:
        if it.family in DENIAL_TYPES and (cid := _denial_target(cands, it, window)) is not None:
            new.setdefault(cid, []).append((*it.key, True))  # type: ignore[arg-type]
    touched = set(new)
    for part in _chunks(sorted(refresh)):
        touched.update(conn.execute(sa.select(CC.c.cluster_id).where(CC.c.document_id.in_(part))).scalars())
    members = _members(conn, touched)
    for cid, ms in new.items():
        members.setdefault(cid, []).extend(ms)
    built = materialize(conn, members)
    write_clusters(conn, built, members)
    return len(items)


def pending(conn_or_engine: sa.Engine | sa.Connection) -> int:
    """Queued rows not yet clustered."""
    q = sa.select(sa.func.count()).select_from(CQ)
    if isinstance(conn_or_engine, sa.Engine):
        with conn_or_engine.connect() as conn:
            return int(conn.execute(q).scalar() or 0)
    return int(conn_or_engine.execute(q).scalar() or 0)


def update_clusters(engine: sa.Engine, window: int = WINDOW_DAYS, batch: int = QUEUE_BATCH) -> int:
    """Cluster every queued claim, one transaction per batch (a killed run leaves the rest queued);
    returns how many claims joined clusters."""
    n = 0
    while True:
        with engine.begin() as conn:
            _lock(conn)
            rows = conn.execute(sa.select(CQ).order_by(CQ.c.id).limit(batch)).all()
            if not rows:
                return n
            n += _process(conn, rows, window)
            for part in _chunks([r.id for r in rows], 1000):
                conn.execute(CQ.delete().where(CQ.c.id.in_(part)))


# --------------------------------------------------------------------------- rebuilding


class _DenialAcc(NamedTuple):
    """What :func:`khaldun.corpus.clusters.denial_rank` reads of a finished cluster (as its stored state
    gives it: no items)."""

    family: str
    actors: frozenset[_P]
    cats: frozenset[str]
    alo: date | None
    ahi: date | None
    items: tuple[()] = ()


class _DenialIndex:
    """The clusters REJECT claims may deny, found in memory as :func:`_denial_target` finds them in
    ``cluster_keys`` (participant key x month, the latest months first, at most ``4 x``
    :data:`CANDIDATES_PER_KEY` rows), so a rebuild needs no query per denial, whose cost grew with the
    clusters filed under a busy key. Only the (key, month) pairs some denial asks for are kept, each with
    at most that many clusters (the greatest ids: a fixed choice among clusters of one month)."""

    def __init__(self, denials: Iterable[_Item], window: int, most: int = 4 * CANDIDATES_PER_KEY) -> None:
        self.window, self.most = window, most
        self.rows: dict[tuple[str, int], list[str]] = {}  # min-heaps of cluster ids
        self.accs: dict[str, _DenialAcc] = {}
        self.pool: dict[Any, Any] = {}  # equal actor and materiel sets shared (most repeat): memory per cluster
        for it in denials:
            for k, b in self._asks(it):
                self.rows.setdefault((k, b), [])

    def _asks(self, it: _Item) -> list[tuple[str, int]]:
        a = it.anchor
        if a is None:
            return []
        bks = buckets(a - timedelta(days=DENIAL_DAYS + 1), a + timedelta(days=self.window))
        return [(k, b) for k in sorted(denial_keys(it)) for b in bks]

    def add(self, rows: ClusterRows) -> None:
        """File written clusters (their stored aggregate and keys) where a denial will ask."""
        states = {r["id"]: r["state"] for r in rows.clusters if r["state"]["family"] not in DENIAL_TYPES}
        kept: set[str] = set()
        for r in rows.keys:
            cid = r["cluster_id"]
            heap = self.rows.get((r["key"].split("|", 1)[1], r["bucket"])) if cid in states else None
            if heap is None:
                continue
            if len(heap) < self.most:
                heapq.heappush(heap, cid)
                kept.add(cid)
            elif cid > heap[0]:
                heapq.heapreplace(heap, cid)
                kept.add(cid)
        for cid in kept:
            st, one = states[cid], self.pool.setdefault
            actors = frozenset(one(p, p) for p in (_P(*x) for x in st["actors"]))
            cats = frozenset(st["cats"])
            self.accs[cid] = _DenialAcc(one(st["family"], st["family"]), one(actors, actors), one(cats, cats),
                                        _u(st["alo"]), _u(st["ahi"]))

    def target(self, it: _Item) -> str | None:
        """The cluster ``it`` denies (as :func:`_denial_target`), or None."""
        by_bucket: dict[int, list[str]] = {}
        for k, b in self._asks(it):
            by_bucket.setdefault(b, []).extend(self.rows.get((k, b), ()))
        cand: set[str] = set()
        left = self.most
        for b in sorted(by_bucket, reverse=True):
            rows = sorted(by_bucket[b], reverse=True)[:left]
            cand.update(rows)
            left -= len(rows)
            if left <= 0:
                break
        ranked = [(r, cid) for cid in cand
                  if (r := denial_rank(it, self.accs[cid], self.window)) is not None]  # type: ignore[arg-type]
        return max(ranked)[1] if ranked else None


def _stream_items(engine: sa.Engine, page: int = 2000) -> Iterator[_Item]:
    """Every stored claim as a compact item (features only), page by page in key order."""
    last: Key | None = None
    ref = 0
    while True:
        q = (sa.select(C.c.document_id, C.c.ordinal, C.c.data, D.c.published)
             .select_from(C.join(D, C.c.document_id == D.c.id))
             .order_by(C.c.document_id, C.c.ordinal).limit(page))
        if last is not None:
            # the plain bound lets PostgreSQL start both index scans at the key (the row comparison alone
            # left it walking every document from the first, page after page: quadratic at 1M claims)
            q = q.where(C.c.document_id >= last[0], sa.tuple_(C.c.document_id, C.c.ordinal) > sa.tuple_(*last))
        with engine.connect() as conn:
            rows = conn.execute(q).all()
        if not rows:
            return
        for r in rows:
            c = Claim.model_validate(r.data)
            yield claim_item(c, _day(r.published), ref=ref, keep=False, doc_id=r.document_id,
                             key=(r.document_id, r.ordinal))
            ref += 1
        last = (rows[-1].document_id, rows[-1].ordinal)


def _interned(items: Iterator[_Item]) -> Iterator[_Item]:
    """Share equal participants, materiel sets and dates between items (most repeat): memory per claim."""
    pool: dict[Any, Any] = {}

    def one(x: Any) -> Any:
        return pool.setdefault(x, x)

    for it in items:
        it.actors = one(tuple(one(p) for p in it.actors))
        it.recipients = one(tuple(one(p) for p in it.recipients))
        it.cats = one(it.cats)
        it.lo, it.hi, it.published = one(it.lo), one(it.hi), one(it.published)
        it.family = one(it.family)
        yield it


_WORKER_STORES: dict[str, Any] = {}


def materialize_task(url: str, members: dict[str, list[Member]] | partitioned.Parcel) -> ClusterRows:
    """On a Dask worker: build these clusters from the store at ``url`` (read only) into rows."""
    from khaldun.store import Store

    if isinstance(members, partitioned.Parcel):
        members = members.value

    store = _WORKER_STORES.get(url)
    if store is None:
        store = _WORKER_STORES[url] = Store.open(url, create=False)
    with store.engine.connect() as conn:
        return cluster_rows(materialize(conn, members), members)


class _Builder:
    """Builds batches of clusters into rows: here, or as Dask tasks, at most two per worker thread in
    flight, their rows handed back in the order the batches came. Workers open the store themselves (its
    URL, password included, goes with each task): a PostgreSQL store they can reach, or a SQLite file at
    the same path (a LocalCluster)."""

    def __init__(self, engine: sa.Engine, address: str | None) -> None:
        self.engine, self.address = engine, address
        self.client: Any = None
        self.cluster: Any = None
        self.queue: deque[Any] = deque()
        self.threads = 1
        self.url = ""

    def __enter__(self) -> _Builder:
        if self.address:
            from khaldun.store.distributed import open_client

            self.client, self.cluster = open_client(self.address)
            self.threads = max(1, sum(self.client.nthreads().values()))
            self.url = self.engine.url.render_as_string(hide_password=False)
        return self

    def __exit__(self, *exc: object) -> None:
        for fut in self.queue:
            fut.cancel()
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def submit(self, members: dict[str, list[Member]]) -> list[ClusterRows]:
        """Start building ``members``; returns the batches whose rows are ready to be written."""
        if self.client is None:
            with self.engine.connect() as conn:
                return [cluster_rows(materialize(conn, members), members)]
        self.queue.append(self.client.submit(materialize_task, self.url, partitioned.Parcel(members), pure=False))
        return [self.queue.popleft().result() for _ in range(len(self.queue) - 2 * self.threads + 1)
                if self.queue]

    def drain(self) -> list[ClusterRows]:
        return [self.queue.popleft().result() for _ in range(len(self.queue))]

    def assign(self, window: int) -> Callable[[list[_Item], int], Any]:
        """Start the greedy pass over one time partition on a worker (:func:`partitioned.assign_task`)."""
        def run(part: list[_Item], start: int) -> Any:
            return self.client.submit(partitioned.assign_task, partitioned.Parcel(part), start, window, pure=False)
        return run


def _write_denials(engine: sa.Engine, targets: _DenialIndex, denials: list[_Item], builder: _Builder | None = None,
                   write: Callable[[list[ClusterRows]], None] | None = None) -> int:
    """Attach every REJECT claim to the cluster it denies and rewrite those clusters, each once.

    The targets depend only on the written clusters (never on other denials), so all are found first and
    grouped by cluster: a busy cluster denied in many batches was rebuilt (every member read back) once
    per batch, a cost that grew with the number of denials times the size of the clusters they hit.
    Members keep the order the batch-by-batch rewrite gave them (the model's lists follow it): the stored
    members and the denials of earlier batches of :data:`QUEUE_BATCH` denials in key order, then those of
    the cluster's last batch as they came. With a Dask ``builder`` the clusters are rebuilt on its workers
    and their rows written by ``write``."""
    new: dict[str, list[tuple[int, Member]]] = {}
    for k, it in enumerate(denials):
        if (cid := targets.target(it)) is not None:
            new.setdefault(cid, []).append((k // QUEUE_BATCH, (*it.key, True)))  # type: ignore[arg-type]
    cids = sorted(new)

    def with_denials(conn: sa.Connection, part: list[str]) -> dict[str, list[Member]]:
        members = _members(conn, part)
        for cid in part:
            last = new[cid][-1][0]
            early = [m for b, m in new[cid] if b < last]
            ms = members.get(cid, [])
            members[cid] = (sorted(ms + early) if early else ms) + [m for b, m in new[cid] if b == last]
        return members

    for k in range(0, len(cids), QUEUE_BATCH):
        part = cids[k:k + QUEUE_BATCH]
        if builder is not None and builder.client is not None and write is not None:  # rebuilt on the workers
            with engine.connect() as conn:
                members = with_denials(conn, part)
            write(builder.submit(members))
            continue
        with engine.begin() as conn:
            _lock(conn)
            members = with_denials(conn, part)
            write_clusters(conn, materialize(conn, members), members)
    if builder is not None and write is not None:
        write(builder.drain())
    return sum(len(v) for v in new.values())


def recluster(engine: sa.Engine, window: int = WINDOW_DAYS,
              progress: Callable[[str, int], None] | None = None, dask: str | None = None) -> dict[str, int]:
    """Rebuild every stored cluster from the stored claims (see the module doc); returns counts.

    ``dask``: a Dask scheduler address or ``local:N``. The greedy pass then runs on its workers, one task
    per time partition (:func:`khaldun.corpus.partitioned.partitioned`: a family's claims in date ranges of
    about :data:`~khaldun.corpus.partitioned.PART_CLAIMS`), and this process re-runs each partition's first
    claims through the state carried over from the partition before until the worker's state is provably
    equivalent (which cluster a claim joins depends on every earlier claim), then takes the worker's
    clusters; the clusters are built on the workers too, a batch per task, each worker reading their claims
    and documents from the store itself. This process reads the claims' features, sorts them and writes, so
    the result is the single process's, cluster for cluster. Progress ticks ``partitions`` and ``rerun``
    (claims run again at the edges)."""
    tick = progress or (lambda _stage, _n: None)
    with engine.begin() as conn:
        _lock(conn)
        for t in (CK, CT, CC, CQ):
            conn.execute(t.delete())
        conn.execute(CL.delete())
        # if this run is killed, the next ingest clusters what it did not write
        conn.execute(sa.text("INSERT INTO cluster_queue (document_id, ordinal) "
                             "SELECT document_id, ordinal FROM claims ORDER BY document_id, ordinal"))
        top = conn.execute(sa.select(sa.func.max(CQ.c.id))).scalar() or 0
    items = list(_interned(_stream_items(engine)))
    tick("read", len(items))
    items.sort(key=_order_key)
    finished: list[_Acc] = []
    denials = [it for it in items if it.family in DENIAL_TYPES]
    targets = _DenialIndex(denials, window)
    written = 0

    def write(ready: list[ClusterRows]) -> None:
        nonlocal written
        for rows in ready:
            with engine.begin() as conn:
                _lock(conn)
                write_rows(conn, rows, fresh=True)
            targets.add(rows)
            written += len(rows.clusters)
            tick("clusters", written)

    def rewrite(ready: list[ClusterRows]) -> None:  # denied clusters, written again with their denials
        for rows in ready:
            with engine.begin() as conn:
                _lock(conn)
                write_rows(conn, rows)

    def flush() -> None:
        if not finished:
            return
        members: dict[str, list[Member]] = {}
        for acc in finished:
            seed = min(acc.items, key=_order_key)
            members[_cluster_id(acc.family, seed.doc_id, seed.claim_id)] = [
                (*it.key, False) for it in acc.items]  # type: ignore[misc]
        finished.clear()
        write(builder.submit(members))

    n_claims = len(items)
    stats = partitioned.PassStats()
    with _Builder(engine, dask) as builder:
        if builder.client is None:
            done = partitioned.sequential(items, window)
        else:  # the greedy pass per time partition on the workers, stitched here at the edges: the same clusters
            done = partitioned.partitioned(items, window, builder.assign(window), ahead=2 * builder.threads,
                                           stats=stats)
        for acc in done:
            finished.append(acc)
            if len(finished) >= FLUSH_CLUSTERS:
                flush()
        flush()
        write(builder.drain())
        tick("partitions", stats.partitions)
        tick("rerun", stats.rerun)
        del items
        linked = _write_denials(engine, targets, denials, builder, rewrite)
    tick("denials", linked)
    with engine.begin() as conn:
        conn.execute(CQ.delete().where(CQ.c.id <= top))
        if conn.dialect.name == "sqlite":  # planner statistics for the rebuilt tables (sampled: milliseconds)
            conn.exec_driver_sql("PRAGMA analysis_limit=1000")
            conn.exec_driver_sql("ANALYZE")
    if engine.dialect.name == "postgresql":  # statistics and visibility map (index-only counts), as autovacuum would
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for t in ("clusters", "cluster_terms", "cluster_keys", "cluster_claims"):
                conn.exec_driver_sql(f"VACUUM (ANALYZE) {t}")
    return {"claims": n_claims, "clusters": written, "denials_linked": linked}
