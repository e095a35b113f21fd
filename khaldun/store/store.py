"""The store API: analysed documents and their claims in SQLite (default) or PostgreSQL.

``Store.open()`` picks the database from, in order: the ``url`` argument (``--db``), the
``KHALDUN_DB`` environment variable, ``db = "..."`` in ``$XDG_CONFIG_HOME/khaldun/config.toml``
(default ``~/.config/khaldun/config.toml``), and finally ``./khaldun.db``. A bare path means an
SQLite file; ``postgresql://`` and ``postgres://`` URLs use the psycopg 3 driver. The schema is
created or migrated on open (:mod:`khaldun.store.migrations`), so an SQLite store needs no set-up.

SQLite runs in WAL mode (readers never block the writer) with ``synchronous=NORMAL``: a committed
batch survives the process being killed, which is what resumable ingest needs. pysqlite's own
transaction handling is switched off and SQLAlchemy emits ``BEGIN`` itself, so DDL is
transactional and each :meth:`Store.add_documents` call is one atomic commit.

Documents are keyed by their content hash (``Document.id``): adding a document whose id is
already stored is counted as skipped and does not touch its claims, and inserts use ``ON CONFLICT DO
NOTHING`` so two writers racing on the same document cannot fail each other. Where the text was
published is kept apart, in ``document_appearances``: the same text from another outlet or URL is
recorded as a new appearance of the stored document (:meth:`Store.add_appearances`), so outlets are
counted from appearances (``documents(per_appearance=True)``, the ``outlet`` filters) while the text
is analysed and stored once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy import event

from .. import __version__
from ..config import ConfigError, config_path, load_config
from ..models import Claim, Document, Source
from .migrations import SchemaTooNew, current_version, migrate
from .schema import (
    AppearanceRow,
    ClaimActorRow,
    ClaimRow,
    ClusterQueueRow,
    DocumentRow,
    IngestErrorRow,
    RunRow,
    appearance_key,
)

__all__ = ["DEFAULT_SQLITE", "Appearance", "Store", "StoreError", "StoredClaim", "config_path", "resolve_url"]

DEFAULT_SQLITE = "khaldun.db"
ENV_VAR = "KHALDUN_DB"
_CHUNK = 400  # ids per IN (...) query and rows per page when streaming
_STATUS_RANK = {"potential_violation": 3, "possibly_exempt": 2, "not_covered": 1}

D, C, A, R, E, P = (DocumentRow.__table__, ClaimRow.__table__, ClaimActorRow.__table__, RunRow.__table__,
                    IngestErrorRow.__table__, AppearanceRow.__table__)
Q = ClusterQueueRow.__table__


class StoreError(RuntimeError):
    """The store cannot be opened or used (bad URL, unreachable server, missing file, newer schema)."""


class StoredClaim(NamedTuple):
    """A claim read back from the store, with the document it comes from and that document's source."""

    claim: Claim
    document_id: str
    source: Source


class Appearance(NamedTuple):
    """One place a stored text was published: its outlet, URL and date, and the file it was read from.

    ``title`` is the headline there (outlets retitle wire copy); None means the document's own.
    """

    document_id: str
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    path: str | None = None
    title: str | None = None

    @classmethod
    def of(cls, doc: Document) -> Appearance:
        """The appearance a document's own source describes."""
        s = doc.source
        return cls(doc.id, s.outlet, s.url, s.published, s.path, doc.title)


# --------------------------------------------------------------------------------------------
# choosing the database
# --------------------------------------------------------------------------------------------


def _config_db() -> str | None:
    p = config_path()
    try:
        data = load_config()
    except ConfigError as exc:
        raise StoreError(str(exc)) from exc
    db = data.get("db")
    if db is not None and not isinstance(db, str):
        raise StoreError(f"{p}: 'db' must be a string (a database URL or an SQLite file path)")
    return db or None


def resolve_url(url: str | None = None) -> str:
    """The SQLAlchemy URL of the store: argument, then $KHALDUN_DB, then config file, then ./khaldun.db."""
    raw = url or os.environ.get(ENV_VAR) or _config_db() or DEFAULT_SQLITE
    raw = raw.strip()
    if "://" not in raw:  # a file path: SQLite
        return f"sqlite:///{Path(raw).expanduser()}"
    for plain in ("postgresql://", "postgres://"):
        if raw.startswith(plain):
            return "postgresql+psycopg://" + raw[len(plain):]
    return raw


def _mask(url: sa.URL) -> str:
    return url.render_as_string(hide_password=True)


def _reason(exc: sa.exc.DBAPIError) -> str:
    """The driver's message on one line, with a hint for the SQLite cases a user can fix."""
    raw = str(exc.orig) if exc.orig is not None else str(exc)
    reason = " ".join(part.strip() for part in raw.splitlines() if part.strip())
    if "readonly database" in reason:
        reason += " (the file, or its directory, is read-only for this user)"
    elif "file is not a database" in reason:
        reason += " (not an SQLite store, or a corrupted one)"
    return reason


def _sqlite_read_only_mode(p: Path) -> str | None:
    """How a read-only command opens an SQLite store it cannot write: None when it can write;
    ``mode=ro`` when only the file is read-only; ``mode=ro&immutable=1`` in a read-only directory with
    no write-ahead log (SQLite cannot create its shared-memory file there, and no writer is active)."""
    if not os.access(p.parent, os.W_OK):
        wal = Path(f"{p}-wal")
        return "mode=ro" if wal.exists() and wal.stat().st_size else "mode=ro&immutable=1"
    if not os.access(p, os.W_OK):
        return "mode=ro"
    return None


def _migrate(engine: sa.Engine) -> None:
    """Create or migrate the schema; for SQLite, also check that the file can be written.

    Two processes creating one new SQLite file at once can meet in SQLite's lock upgrade, where it
    answers "database is locked" at once instead of waiting: the loser retries (a bounded number of
    times), then finds the schema made."""
    import time

    for attempt in range(40):
        try:
            migrate(engine.execution_options(khaldun_write=True))
            break
        except sa.exc.OperationalError as exc:
            if engine.dialect.name != "sqlite" or "locked" not in str(exc.orig) or attempt == 39:
                raise
            time.sleep(0.05 * (1 + attempt % 8))
    if engine.dialect.name == "sqlite" and (engine.url.database or ":memory:") != ":memory:":
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            try:
                cur.execute("BEGIN IMMEDIATE")
                try:  # a write, undone: refused at once on a read-only file
                    cur.execute("CREATE TABLE khaldun_write_probe (x INTEGER)")
                finally:
                    cur.execute("ROLLBACK")
            except Exception as exc:
                raise sa.exc.OperationalError("BEGIN IMMEDIATE", None, exc) from exc
        finally:
            raw.close()


# --------------------------------------------------------------------------------------------
# rows from models and models from rows
# --------------------------------------------------------------------------------------------


def _nul(s: str | None) -> str | None:
    """PostgreSQL text cannot hold NUL; normalized text never has one, metadata might."""
    return s.replace("\x00", "") if s and "\x00" in s else s


def _worst_finding(c: Claim) -> tuple[str | None, str | None]:
    if not c.embargo:
        return None, None
    f = max(c.embargo, key=lambda f: _STATUS_RANK.get(f.status, 0))
    return f.status, f.regime


def _claim_rows(doc: Document, run_id: int | None, now_version: str) -> tuple[list[dict], list[dict]]:
    claims, actors = [], []
    for i, c in enumerate(doc.claims):
        status, regime = _worst_finding(c)
        a0 = c.actors[0] if c.actors else None
        r0 = c.recipients[0] if c.recipients else None
        sp = c.attribution.speaker
        claims.append(dict(
            document_id=doc.id, ordinal=i, id=c.id, event_type=c.event.type, aid_type=c.event.aid_type,
            actor_id=a0.id if a0 else None, actor_country=a0.country if a0 else None,
            recipient_id=r0.id if r0 else None, recipient_country=r0.country if r0 else None,
            speaker_id=sp.id if sp else None, date=c.when.date,
            location_country=c.location.country if c.location else None,
            embargo_status=status, embargo_regime=regime,
            certainty=c.factuality.certainty, polarity=c.factuality.polarity,
            evidence_start=c.evidence.start, evidence_end=c.evidence.end,
            data=c.model_dump(mode="json"), run_id=run_id, pipeline_version=now_version,
        ))
        roles = (("actor", c.actors), ("recipient", c.recipients), ("funder", c.funders),
                 ("speaker", [sp] if sp else []))
        for role, xs in roles:
            for k, x in enumerate(xs):
                actors.append(dict(document_id=doc.id, ordinal=i, role=role, position=k, claim_id=c.id,
                                   actor_id=x.id, country=x.country, sector=x.sector, kind=x.kind,
                                   name=_nul(x.name), text=_nul(x.text) or ""))
    return claims, actors


def _document_row(doc: Document, run_id: int | None, version: str, now: datetime) -> dict:
    s = doc.source
    data = doc.model_dump(mode="json", include={"removed", "mentions", "quotes", "warnings"})
    return dict(id=doc.id, path=_nul(s.path), url=_nul(s.url), outlet=_nul(s.outlet), published=s.published,
                language=s.language, title=_nul(doc.title), text=doc.text, n_claims=len(doc.claims),
                data=data, ingested_at=now, run_id=run_id, pipeline_version=version)


def _appearance_row(ap: Appearance, run_id: int | None, now: datetime) -> dict:
    outlet, url = _nul(ap.outlet), _nul(ap.url)
    return dict(document_id=ap.document_id, key=appearance_key(outlet, url), outlet=outlet, url=url,
                published=ap.published, path=_nul(ap.path), title=_nul(ap.title), run_id=run_id, ingested_at=now)


def _appearance_rows(aps: Iterable[Appearance], run_id: int | None, now: datetime) -> list[dict]:
    """Rows to insert, one per (document, key): a batch that names one appearance twice writes it once."""
    rows: dict[tuple[str, str], dict] = {}
    for ap in aps:
        r = _appearance_row(ap, run_id, now)
        rows.setdefault((r["document_id"], r["key"]), r)
    return list(rows.values())


def _source(row: Any) -> Source:
    return Source(path=row.path, url=row.url, outlet=row.outlet, published=row.published,
                  language=row.language)


# --------------------------------------------------------------------------------------------
# the store
# --------------------------------------------------------------------------------------------


class Store:
    """Documents, claims, runs and ingest errors in one SQL database (see the module doc)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    # -- opening --------------------------------------------------------------------------------
    @classmethod
    def open(cls, url: str | None = None, create: bool = True) -> Store:
        """Open (and with ``create``, create or migrate) the store at ``url`` (see :func:`resolve_url`).

        With ``create=False`` a missing SQLite file or a database without the khaldun schema is
        an error instead of being set up: read-only commands must not leave empty stores behind.
        """
        resolved = resolve_url(url)
        try:
            u = sa.make_url(resolved)
        except sa.exc.ArgumentError as exc:
            raise StoreError(f"not a database URL: {resolved!r}") from exc
        backend = u.get_backend_name()
        read_only: str | None = None
        if backend == "sqlite":
            path = u.database or ""
            if path and path != ":memory:":
                p = Path(path)
                if not create and not p.exists():
                    raise StoreError(f"no store at {p} (run `khaldun ingest` first)")
                if not p.parent.is_dir():
                    raise StoreError(f"cannot create the store {p}: no directory {p.parent}")
                if not create:
                    read_only = _sqlite_read_only_mode(p)
        elif backend != "postgresql":
            raise StoreError(f"unsupported database {backend!r}: use SQLite (a file path) or postgresql://")
        engine = _engine(u, read_only)
        try:
            if create:
                _migrate(engine)
            else:
                with engine.connect() as conn:
                    if current_version(conn) is None:
                        raise StoreError(f"{_mask(u)} has no khaldun store (run `khaldun ingest` first)")
        except SchemaTooNew as exc:
            engine.dispose()
            raise StoreError(str(exc)) from exc
        except sa.exc.DBAPIError as exc:  # unreachable, not a database, corrupted, read-only, foreign tables
            engine.dispose()
            raise StoreError(f"cannot open the store {_mask(u)}: {_reason(exc)}") from exc
        except StoreError:
            engine.dispose()
            raise
        return cls(engine)

    def _begin_write(self) -> Any:
        """A write transaction; on SQLite ``BEGIN IMMEDIATE``, so that two writers wait for each other
        (busy timeout) instead of one failing with "database is locked" when its read turns into a write."""
        return self.engine.execution_options(khaldun_write=True).begin()

    @property
    def url(self) -> str:
        """The database URL with any password hidden."""
        return _mask(self.engine.url)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return current_version(conn) or 0

    # -- runs and errors ------------------------------------------------------------------------
    def start_run(self, command: str | None = None) -> int:
        """Record the start of an ingest run; its id tags every document, claim and error it adds."""
        with self._begin_write() as conn:
            res = conn.execute(R.insert().values(
                started_at=datetime.now(UTC), status="running", pipeline_version=__version__, command=command,
                documents_added=0, documents_skipped=0, claims_added=0, errors=0, appearances_added=0))
            return int(res.inserted_primary_key[0])

    def finish_run(self, run_id: int, skipped: int = 0, status: str = "finished") -> dict[str, int]:
        """Close a run. Added documents, appearances, claims and errors are counted from the tables (so
        they are right even for what a killed earlier attempt committed under another run);
        ``skipped`` is what the caller saw. Returns the counts."""
        with self._begin_write() as conn:
            def n(table: sa.Table) -> int:
                return int(conn.execute(sa.select(sa.func.count()).select_from(table)
                                        .where(table.c.run_id == run_id)).scalar() or 0)

            counts = dict(documents_added=n(D), appearances_added=n(P), claims_added=n(C), errors=n(E),
                          documents_skipped=skipped)
            conn.execute(R.update().where(R.c.id == run_id)
                         .values(finished_at=datetime.now(UTC), status=status, **counts))
        if counts["documents_added"]:
            self.optimize()
        self.update_clusters()  # the run's claims (and any a killed run left queued) join their clusters
        return counts

    def optimize(self) -> None:
        """Refresh the query planner's statistics on SQLite (PostgreSQL's autovacuum does it itself).

        Without statistics SQLite guesses how selective each index is, and for "actor X, event type
        T, in these dates" it may walk every claim of a frequent actor instead of the few in the
        date range (a third of a second instead of milliseconds on a million claims).
        ``analysis_limit`` makes ANALYZE sample each index, so this takes milliseconds on any size;
        :meth:`finish_run` calls it after every ingest run that added documents.
        """
        if self.dialect != "sqlite":
            return
        with self._begin_write() as conn:
            conn.exec_driver_sql("PRAGMA analysis_limit=1000")
            conn.exec_driver_sql("ANALYZE")

    def record_error(self, run_id: int | None, path: str, reason: str, line: int | None = None) -> None:
        """Store one unusable input (file, JSON line, WARC record, failed analysis) and why."""
        with self._begin_write() as conn:
            conn.execute(E.insert().values(run_id=run_id, path=_nul(path) or "", line=line,
                                           reason=_nul(reason) or "", at=datetime.now(UTC)))

    def errors(self, run_id: int | None = None) -> list[dict[str, Any]]:
        """Stored ingest errors (of one run, or all), oldest first."""
        q = sa.select(E.c.run_id, E.c.path, E.c.line, E.c.reason).order_by(E.c.id)
        if run_id is not None:
            q = q.where(E.c.run_id == run_id)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    def runs(self, last: int | None = None) -> list[dict[str, Any]]:
        """Ingest runs, newest first."""
        q = sa.select(R).order_by(R.c.id.desc())
        if last:
            q = q.limit(last)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    # -- documents ------------------------------------------------------------------------------
    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` already stored."""
        ids = list(dict.fromkeys(ids))
        found: set[str] = set()
        with self.engine.connect() as conn:
            for k in range(0, len(ids), _CHUNK):
                part = ids[k:k + _CHUNK]
                found.update(conn.execute(sa.select(D.c.id).where(D.c.id.in_(part))).scalars())
        return found

    def has_document(self, doc_id: str) -> bool:
        return bool(self.existing_ids([doc_id]))

    def add_documents(self, docs: Iterable[Document], run_id: int | None = None, *,
                      cluster: bool = True) -> tuple[int, int]:
        """Store documents with their claims in one transaction; return ``(added, skipped)``.

        The new claims are queued for clustering in the same transaction and, with ``cluster`` (the
        default), join their clusters right after (:meth:`update_clusters`); a bulk load passes False
        and calls :meth:`update_clusters` or :meth:`recluster` once at the end.

        A document whose id is already stored (or repeated in ``docs``) is skipped: its claims are
        not touched, but its source is recorded as an appearance of the stored text when that
        outlet/URL is new (so the same wire copy from two outlets is one document, two
        appearances). Either every new document and appearance of the call is committed, with all
        claims and claim actors, or none is.
        """
        docs = list(docs)
        batch: dict[str, Document] = {}
        skipped = 0
        for d in docs:
            if d.id in batch:
                skipped += 1
            else:
                batch[d.id] = d
        known = self.existing_ids(batch)
        new = [d for i, d in batch.items() if i not in known]
        skipped += len(known)
        now = datetime.now(UTC)
        drows, crows, arows = [], [], []
        for d in new:
            drows.append(_document_row(d, run_id, __version__, now))
            cs, as_ = _claim_rows(d, run_id, __version__)
            crows.extend(cs)
            arows.extend(as_)
        prows = _appearance_rows((Appearance.of(d) for d in docs), run_id, now)
        with self._begin_write() as conn:
            ins = _insert_ignore(conn)
            if drows:
                conn.execute(ins(D), drows)
            if crows:
                conn.execute(ins(C), crows)
            if arows:
                conn.execute(ins(A), arows)
            if prows:
                conn.execute(ins(P), prows)
            # claims to cluster, and stored texts seen again (maybe from a new outlet: their clusters count it)
            queue = [dict(document_id=r["document_id"], ordinal=r["ordinal"]) for r in crows]
            queue += [dict(document_id=i, ordinal=None) for i in batch if i in known]
            if queue:
                conn.execute(Q.insert(), queue)
        if cluster and (new or known):
            self.update_clusters()
        return len(new), skipped

    def add_appearances(self, appearances: Iterable[Appearance], run_id: int | None = None) -> list[Appearance]:
        """Record where stored texts were (also) published, in one transaction; idempotent.

        An appearance already recorded (same document, outlet and URL: see
        :func:`khaldun.store.schema.appearance_key`) is left as it is. Returns the appearances
        whose document is not stored (nothing is written for them): the caller may retry them once
        the document is.
        """
        aps = list(appearances)
        if not aps:
            return []
        stored = self.existing_ids(ap.document_id for ap in aps)
        rows = _appearance_rows((ap for ap in aps if ap.document_id in stored), run_id, datetime.now(UTC))
        if rows:
            with self._begin_write() as conn:
                conn.execute(_insert_ignore(conn)(P), rows)
                conn.execute(Q.insert(), [dict(document_id=i, ordinal=None)
                                          for i in dict.fromkeys(r["document_id"] for r in rows)])
        return [ap for ap in aps if ap.document_id not in stored]

    def appearances(self, ids: Iterable[str] | None = None) -> dict[str, list[Appearance]]:
        """Where each stored text was published (of ``ids``, or of every document), first seen first."""
        q = sa.select(P.c.document_id, P.c.outlet, P.c.url, P.c.published, P.c.path, P.c.title)
        out: dict[str, list[Appearance]] = {}
        with self.engine.connect() as conn:
            if ids is None:
                parts: list[Any] = [q.order_by(P.c.document_id, P.c.id)]
            else:
                idl = list(dict.fromkeys(ids))
                parts = [q.where(P.c.document_id.in_(idl[k:k + _CHUNK])).order_by(P.c.document_id, P.c.id)
                         for k in range(0, len(idl), _CHUNK)]
            for part in parts:
                for r in conn.execute(part):
                    out.setdefault(r.document_id, []).append(Appearance(*r))
        return out

    def document(self, doc_id: str) -> Document | None:
        return next(self.documents(ids=[doc_id]), None)

    def documents(self, ids: Sequence[str] | None = None, outlet: str | None = None,
                  run_id: int | None = None, published_from: str | None = None,
                  published_to: str | None = None, limit: int | None = None,
                  per_appearance: bool = False) -> Iterator[Document]:
        """Stored documents, rebuilt as :class:`Document` with their claims, in id order.

        ``outlet`` matches any appearance of the text (wire copy carried by that outlet counts).
        With ``per_appearance`` each document comes once per appearance, first seen first, with that
        appearance's source and title (the claims are shared, not copied): the shape the corpus
        commands count outlets and syndicated copies from, and the same as the documents of
        `khaldun analyze --format jsonl` run on every copy. ``limit`` counts texts either way.

        Streams page by page (one short read per page), so it is safe on large stores and does
        not hold a transaction open while the caller works.
        """
        conds: list[Any] = []
        if ids is not None:
            ids = list(ids)
            if not ids:
                return
            if len(ids) > _CHUNK:  # many ids: page through them in chunks
                left = limit
                for k in range(0, len(ids), _CHUNK):
                    part = ids[k:k + _CHUNK]
                    got: set[str] = set()
                    for d in self.documents(part, outlet, run_id, published_from, published_to, left,
                                            per_appearance):
                        yield d
                        if left is not None and d.id not in got:
                            got.add(d.id)
                            left -= 1
                    if left is not None and left <= 0:
                        return
                return
            conds.append(D.c.id.in_(ids))
        if outlet is not None:
            conds.append(_published_by(outlet))
        if run_id is not None:
            conds.append(D.c.run_id == run_id)
        if published_from or published_to:
            conds.append(_published_between(published_from, published_to))
        last: str | None = None
        n = 0
        while True:
            page = _CHUNK if limit is None else min(_CHUNK, limit - n)
            if page <= 0:
                return
            q = sa.select(D).where(*conds).order_by(D.c.id).limit(page)
            if last is not None:
                q = q.where(D.c.id > last)
            with self.engine.connect() as conn:
                rows = conn.execute(q).all()
                if not rows:
                    return
                claims: dict[str, list[Claim]] = {r.id: [] for r in rows}
                cq = (sa.select(C.c.document_id, C.c.data).where(C.c.document_id.in_(list(claims)))
                      .order_by(C.c.document_id, C.c.ordinal))
                for cr in conn.execute(cq):
                    claims[cr.document_id].append(Claim.model_validate(cr.data))
                seen: dict[str, list[Any]] = {}
                if per_appearance:
                    pq = (sa.select(P.c.document_id, P.c.outlet, P.c.url, P.c.published, P.c.path, P.c.title)
                          .where(P.c.document_id.in_(list(claims)), *_in_range(P.c.published, published_from,
                                                                               published_to))
                          .order_by(P.c.document_id, P.c.id))
                    for pr in conn.execute(pq):
                        seen.setdefault(pr.document_id, []).append(pr)
            for r in rows:
                doc = Document.model_validate(dict(
                    id=r.id, source=_source(r).model_dump(), title=r.title, text=r.text,
                    claims=claims[r.id], **(r.data or {})))
                if not seen.get(r.id):
                    yield doc
                    continue
                for a in seen[r.id]:
                    src = Source(path=a.path, url=a.url, outlet=a.outlet, published=a.published, language=r.language)
                    yield doc.model_copy(update={"source": src, "title": a.title or r.title})
            n += len(rows)
            last = rows[-1].id

    # -- claims ---------------------------------------------------------------------------------
    def claims(self, event_type: str | Sequence[str] | None = None, actor: str | None = None,
               role: str | None = None, country: str | None = None, aid_type: str | None = None,
               speaker: str | None = None, date_from: str | None = None, date_to: str | None = None,
               location_country: str | None = None, embargo_status: str | None = None,
               embargo_regime: str | None = None, document_id: str | None = None, run_id: int | None = None,
               outlet: str | None = None, published_from: str | None = None, published_to: str | None = None,
               limit: int | None = None) -> Iterator[StoredClaim]:
        """Stored claims matching every filter given, as ``(claim, document_id, source)``.

        ``actor`` is an actor id and ``country`` a country code matched against every actor of
        the claim in any role (or only in ``role``: actor, recipient, funder, speaker).
        ``date_from``/``date_to`` bound the claim's own date (ISO strings, inclusive);
        ``published_*`` bound the publication date of any appearance of the document (a syndicated
        text counts on each date it was carried). Ordered by document and position.
        """
        conds: list[Any] = []
        if event_type is not None:
            types = [event_type] if isinstance(event_type, str) else list(event_type)
            conds.append(C.c.event_type.in_(types))
        for col, val in ((C.c.aid_type, aid_type), (C.c.speaker_id, speaker),
                         (C.c.location_country, location_country), (C.c.embargo_status, embargo_status),
                         (C.c.embargo_regime, embargo_regime),
                         (C.c.document_id, document_id), (C.c.run_id, run_id)):
            if val is not None:
                conds.append(col == val)
        if outlet is not None:
            conds.append(_published_by(outlet, C.c.document_id))
        if date_from:
            conds.append(C.c.date >= date_from)
        if date_to:
            conds.append(C.c.date <= date_to)
        if published_from or published_to:
            conds.append(_published_between(published_from, published_to, C.c.document_id))
        source = C.join(D, C.c.document_id == D.c.id)
        key: tuple[Any, Any] = (C.c.document_id, C.c.ordinal)  # result order and page boundary
        joined = False
        for name, val in (("actor_id", actor), ("country", country)):
            if val is None:
                continue
            if self.dialect == "sqlite":
                # SQLite runs a correlated EXISTS on two columns row by row in key order: a full scan
                # of the claims for a rare actor. Joined, it reads the (actor_id, document_id, ordinal)
                # index in result order and stops after one page; GROUP BY on that key keeps one row
                # per claim when the actor holds several roles in it.
                ca = A.alias(f"ca_{name}")
                source = source.join(ca, sa.and_(ca.c.document_id == C.c.document_id,
                                                 ca.c.ordinal == C.c.ordinal))
                conds.append(ca.c[name] == val)
                if role is not None:
                    conds.append(ca.c.role == role)
                if not joined:
                    key, joined = (ca.c.document_id, ca.c.ordinal), True
            else:  # PostgreSQL plans EXISTS as a semi-join itself
                sub = sa.select(sa.literal(1)).select_from(A).where(
                    A.c.document_id == C.c.document_id, A.c.ordinal == C.c.ordinal, A.c[name] == val)
                if role is not None:
                    sub = sub.where(A.c.role == role)
                conds.append(sa.exists(sub))
        base = (sa.select(C.c.document_id, C.c.ordinal, C.c.data, D.c.path, D.c.url, D.c.outlet,
                          D.c.published, D.c.language)
                .select_from(source).where(*conds).order_by(*key))
        if joined:
            base = base.group_by(*key)
        last: tuple[str, int] | None = None
        n = 0
        while True:
            page = _CHUNK if limit is None else min(_CHUNK, limit - n)
            if page <= 0:
                return
            q = base.limit(page)
            if last is not None:
                q = q.where(key[0] >= last[0], sa.tuple_(*key) > sa.tuple_(*last))  # see corpus/stored.py
            with self.engine.connect() as conn:
                rows = conn.execute(q).all()
            if not rows:
                return
            for r in rows:
                yield StoredClaim(Claim.model_validate(r.data), r.document_id, _source(r))
            n += len(rows)
            last = (rows[-1].document_id, rows[-1].ordinal)

    # -- clusters (stored: khaldun.corpus.stored keeps them, khaldun.store.queries reads them) ---------
    def update_clusters(self, window: int | None = None) -> int:
        """Cluster every queued claim (new claims, texts with new appearances); returns how many joined."""
        from ..corpus.stored import WINDOW_DAYS, update_clusters

        return update_clusters(self.engine, window or WINDOW_DAYS)

    def recluster(self, window: int | None = None, progress: Any = None, dask: str | None = None) -> dict[str, int]:
        """Rebuild every cluster from the stored claims (after a change of the clustering rules); ``dask``:
        build the clusters on the workers of that Dask cluster (``tcp://HOST:PORT`` or ``local:N``)."""
        from ..corpus.stored import WINDOW_DAYS, recluster

        return recluster(self.engine, window or WINDOW_DAYS, progress, dask=dask)

    def query_clusters(self, actor: str | None = None, type: str | None = None, date_from: str | None = None,
                       date_to: str | None = None, place: str | None = None, embargo_status: str | None = None,
                       regime: str | None = None, min_sources: int = 0, speaker: str | None = None,
                       q: str | None = None, limit: int | None = 50, offset: int = 0, order: str = "sources",
                       with_total: bool = True) -> tuple[list[Any], int]:
        """Stored clusters matching every filter, a page of them and how many match in all (see
        :func:`khaldun.store.queries.query_clusters` for the filters and orders)."""
        from .queries import query_clusters

        with self.engine.connect() as conn:
            return query_clusters(conn, actor=actor, type=type, date_from=date_from, date_to=date_to,
                                  place=place, embargo_status=embargo_status, regime=regime,
                                  min_sources=min_sources, speaker=speaker, q=q, limit=limit, offset=offset,
                                  order=order, with_total=with_total)

    def get_cluster(self, cluster_id: str) -> Any:
        """One stored cluster (a :class:`khaldun.corpus.clusters.Cluster`), or None."""
        from .queries import get_cluster

        with self.engine.connect() as conn:
            return get_cluster(conn, cluster_id)

    def clusters_of_claim(self, claim_id: str) -> list[str]:
        """The ids of the clusters holding a claim (its own, and the one it denies if it is a denial)."""
        from .queries import clusters_of_claim

        with self.engine.connect() as conn:
            return clusters_of_claim(conn, claim_id)

    def query_claims(self, actor: str | None = None, type: str | None = None, date_from: str | None = None,
                     date_to: str | None = None, place: str | None = None, embargo_status: str | None = None,
                     speaker: str | None = None, q: str | None = None, limit: int | None = 50, offset: int = 0,
                     with_total: bool = True) -> tuple[list[StoredClaim], int]:
        """Stored claims matching every filter, a page of them and how many match in all (see
        :func:`khaldun.store.queries.query_claims`)."""
        from .queries import query_claims

        with self.engine.connect() as conn:
            return query_claims(conn, self.dialect, actor=actor, type=type, date_from=date_from,
                                date_to=date_to, place=place, embargo_status=embargo_status, speaker=speaker,
                                q=q, limit=limit, offset=offset, with_total=with_total)

    # -- summary --------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Rows per table: documents, document_appearances, claims, claim_actors, runs, ingest_errors, clusters,
        cluster_queue (claims waiting to join clusters)."""
        out: dict[str, int] = {}
        with self.engine.connect() as conn:
            for name, t in (("documents", D), ("document_appearances", P), ("claims", C), ("claim_actors", A),
                            ("runs", R), ("ingest_errors", E), ("clusters", _clusters_table()),
                            ("cluster_queue", Q)):
                out[name] = int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() or 0)
        return out


def _clusters_table() -> sa.Table:
    from .schema import ClusterRow

    return ClusterRow.__table__  # type: ignore[return-value]


def _in_range(col: Any, lo: str | None, hi: str | None) -> list[Any]:
    return ([col >= lo] if lo else []) + ([col <= hi] if hi else [])


def _published_between(lo: str | None, hi: str | None, doc_id: Any = D.c.id) -> Any:
    """``doc_id`` is a text published in the range by any outlet that carried it (a wire story picked up
    a week later counts for that week), answered from the appearances' date index."""
    return doc_id.in_(sa.select(P.c.document_id).where(*_in_range(P.c.published, lo, hi)))


def _published_by(outlet: str, doc_id: Any = D.c.id) -> Any:
    """``doc_id`` is a text that ``outlet`` published (any of its appearances): an uncorrelated IN that
    both databases answer from the (outlet, document_id) index."""
    return doc_id.in_(sa.select(P.c.document_id).where(P.c.outlet == outlet))


# --------------------------------------------------------------------------------------------
# engine set-up
# --------------------------------------------------------------------------------------------


def _engine(u: sa.URL, read_only: str | None = None) -> sa.Engine:
    dumps = partial(json.dumps, ensure_ascii=False, separators=(",", ":"))
    if u.get_backend_name() == "sqlite":
        if read_only:  # a read-only SQLite URI (see _sqlite_read_only_mode)
            import sqlite3
            from urllib.parse import quote

            uri = f"file:{quote(str(Path(u.database or '').absolute()))}?{read_only}"
            engine = sa.create_engine(u, json_serializer=dumps,
                                      creator=lambda: sqlite3.connect(uri, uri=True, timeout=60,
                                                                      check_same_thread=False))
        else:
            engine = sa.create_engine(u, json_serializer=dumps, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # SQLAlchemy, not pysqlite, decides where transactions begin
            cur = dbapi_conn.cursor()
            if (u.database or ":memory:") != ":memory:" and not read_only:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=60000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: sa.Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("khaldun_write") else "BEGIN")

        return engine
    from .. import limits

    # libpq waits forever for a server that accepts the connection and never answers
    connect_args = {} if "connect_timeout" in u.query else {"connect_timeout": limits.PG_CONNECT_TIMEOUT}
    return sa.create_engine(u, json_serializer=dumps, pool_pre_ping=True, connect_args=connect_args)


def _insert_ignore(conn: sa.Connection) -> Any:
    """``INSERT ... ON CONFLICT DO NOTHING`` for the connection's dialect."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert

    return lambda table: insert(table).on_conflict_do_nothing()

