"""Versioned migrations of the store schema, recorded in the ``schema_version`` table.

A store's version is the highest ``schema_version.version``. :func:`migrate` applies, in order
and inside one transaction (PostgreSQL and SQLite both have transactional DDL), every migration
newer than that, and refuses a store newer than this khaldun. On PostgreSQL a transaction-level
advisory lock serialises two processes that open a fresh database at the same moment.

Why not Alembic: the schema is small, both dialects are driven through SQLAlchemy Core, and a
list of ``(version, description, function)`` keeps migrations inside the package with no extra
configuration files to ship. Each migration is frozen once released: migration 1 spells out the
version-1 tables here rather than calling ``Base.metadata.create_all``, so a later change to
:mod:`khaldun.store.schema` is a new migration (an ``ALTER TABLE`` step), never an edit of an old
one. A test checks that a migrated database has exactly the tables, columns and indexes of the
models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from .schema import SCHEMA_VERSION, appearance_key, json_type

__all__ = ["MIGRATIONS", "Migration", "SchemaTooNew", "current_version", "migrate"]

_PG_LOCK_KEY = 0x6B68616C  # "khal": the advisory lock that serialises migrations on PostgreSQL


class SchemaTooNew(RuntimeError):
    """The store was written by a newer khaldun (its schema version is above this code's)."""


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[sa.Connection], None]


def _v1(conn: sa.Connection) -> None:
    """Version 1: runs, documents, claims, claim_actors, ingest_errors (frozen; see module doc)."""
    md = sa.MetaData()
    tz = sa.DateTime(timezone=True)
    s = sa.String
    sa.Table(
        "runs", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", tz, nullable=False),
        sa.Column("finished_at", tz, nullable=True),
        sa.Column("status", s(), nullable=False),
        sa.Column("pipeline_version", s(), nullable=False),
        sa.Column("command", sa.Text, nullable=True),
        sa.Column("documents_added", sa.Integer, nullable=False),
        sa.Column("documents_skipped", sa.Integer, nullable=False),
        sa.Column("claims_added", sa.Integer, nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
    )
    sa.Table(
        "documents", md,
        sa.Column("id", s(64), primary_key=True),
        sa.Column("path", sa.Text), sa.Column("url", sa.Text),
        sa.Column("outlet", sa.Text, index=True),
        sa.Column("published", s(), index=True),
        sa.Column("language", s()),
        sa.Column("title", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("n_claims", sa.Integer, nullable=False),
        sa.Column("data", json_type(), nullable=False),
        sa.Column("ingested_at", tz, nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), index=True),
        sa.Column("pipeline_version", s(), nullable=False),
    )
    indexed = ("event_type", "aid_type", "actor_id", "actor_country", "recipient_id", "recipient_country",
               "speaker_id", "date", "location_country", "embargo_status", "embargo_regime")
    sa.Table(
        "claims", md,
        sa.Column("document_id", s(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("ordinal", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("id", s(), nullable=False, index=True),
        *[sa.Column(c, s(), nullable=(c != "event_type"), index=True) for c in indexed],
        sa.Column("certainty", s(), nullable=False),
        sa.Column("polarity", s(), nullable=False),
        sa.Column("evidence_start", sa.Integer, nullable=False),
        sa.Column("evidence_end", sa.Integer, nullable=False),
        sa.Column("data", json_type(), nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), index=True),
        sa.Column("pipeline_version", s(), nullable=False),
    )
    sa.Table(
        "claim_actors", md,
        sa.Column("document_id", s(64), primary_key=True),
        sa.Column("ordinal", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("role", s(), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("claim_id", s(), nullable=False, index=True),
        sa.Column("actor_id", s(), index=True),
        sa.Column("country", s(), index=True),
        sa.Column("sector", s()), sa.Column("kind", s()), sa.Column("name", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(["document_id", "ordinal"], ["claims.document_id", "claims.ordinal"],
                                ondelete="CASCADE"),
    )
    sa.Table(
        "ingest_errors", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), index=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("line", sa.Integer),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", tz, nullable=False),
    )
    md.create_all(conn)


# Version 2: indexes shaped like the queries of Store.claims, which filter on one column and read
# the result in (document_id, ordinal) order, a page at a time. With (column, document_id, ordinal)
# the database walks the index in result order and stops after one page; with the version-1
# single-column index it had to read and sort every match (a whole country's claims) first, or
# scan the table in key order until the page was full (seconds for a rare value on 1M claims).
# The claim_actors pair also covers the correlated "this claim has actor X" probe. Each composite
# index replaces the single-column index it starts with (same lookups, one index less to write).
# (event_type, date) serves "event type in a date range". Frozen: a later change is version 3.
_V2_INDEXES: tuple[tuple[str, str, tuple[str, ...], str | None], ...] = (
    ("ix_claims_event_type_doc", "claims", ("event_type", "document_id", "ordinal"), "ix_claims_event_type"),
    ("ix_claims_event_type_date", "claims", ("event_type", "date"), None),
    ("ix_claims_speaker_id_doc", "claims", ("speaker_id", "document_id", "ordinal"), "ix_claims_speaker_id"),
    ("ix_claims_location_country_doc", "claims", ("location_country", "document_id", "ordinal"),
     "ix_claims_location_country"),
    ("ix_claims_embargo_status_doc", "claims", ("embargo_status", "document_id", "ordinal"),
     "ix_claims_embargo_status"),
    ("ix_claim_actors_actor_id_doc", "claim_actors", ("actor_id", "document_id", "ordinal"),
     "ix_claim_actors_actor_id"),
    ("ix_claim_actors_country_doc", "claim_actors", ("country", "document_id", "ordinal"),
     "ix_claim_actors_country"),
)


def _v2(conn: sa.Connection) -> None:
    """Version 2: composite indexes for filtered, ordered, paged claim queries (see ``_V2_INDEXES``)."""
    for name, table, columns, replaces in _V2_INDEXES:
        conn.execute(sa.text(f"CREATE INDEX {name} ON {table} ({', '.join(columns)})"))
        if replaces:
            conn.execute(sa.text(f"DROP INDEX IF EXISTS {replaces}"))


_V3_BATCH = 5000  # documents read and appearances written per round trip of the backfill


def _v3(conn: sa.Connection) -> None:
    """Version 3: ``document_appearances``, one row per place a text was published, backfilled.

    Documents are keyed by their text, so the same wire story from three outlets was one row with
    the first outlet only. Each existing document gets one appearance from its own row (outlet, URL,
    date, path, title, run, time), read and written in batches in key order so a large store is
    never held in memory; ``runs.appearances_added`` is backfilled with ``documents_added`` (one
    appearance per document a run added). The key (:func:`khaldun.store.schema.appearance_key`) is
    computed here rather than in SQL: SQLite has no sha256. Frozen: a later change is version 4.
    """
    md = sa.MetaData()
    tz = sa.DateTime(timezone=True)
    s = sa.String
    sa.Table("runs", md, sa.Column("id", sa.Integer, primary_key=True))  # what the foreign keys refer to
    docs = sa.Table("documents", md, sa.Column("id", s(64), primary_key=True), sa.Column("outlet", sa.Text),
                    sa.Column("url", sa.Text), sa.Column("published", s()), sa.Column("path", sa.Text),
                    sa.Column("title", sa.Text), sa.Column("run_id", sa.Integer), sa.Column("ingested_at", tz))
    ap = sa.Table(
        "document_appearances", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", s(64), sa.ForeignKey("documents.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("key", s(32), nullable=False),
        sa.Column("outlet", sa.Text), sa.Column("url", sa.Text),
        sa.Column("published", s(), index=True),
        sa.Column("path", sa.Text), sa.Column("title", sa.Text),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), index=True),
        sa.Column("ingested_at", tz, nullable=False),
        sa.UniqueConstraint("document_id", "key", name="uq_document_appearances_key"),
        sa.Index("ix_document_appearances_outlet_doc", "outlet", "document_id"),
    )
    ap.create(conn)
    conn.execute(sa.text("ALTER TABLE runs ADD COLUMN appearances_added INTEGER DEFAULT 0 NOT NULL"))
    conn.execute(sa.text("UPDATE runs SET appearances_added = documents_added"))
    cols = (docs.c.id, docs.c.outlet, docs.c.url, docs.c.published, docs.c.path, docs.c.title, docs.c.run_id,
            docs.c.ingested_at)
    last: str | None = None
    while True:
        q = sa.select(*cols).order_by(docs.c.id).limit(_V3_BATCH)
        if last is not None:
            q = q.where(docs.c.id > last)
        rows = conn.execute(q).all()
        if not rows:
            return
        conn.execute(ap.insert(), [dict(document_id=r.id, key=appearance_key(r.outlet, r.url), outlet=r.outlet,
                                        url=r.url, published=r.published, path=r.path, title=r.title,
                                        run_id=r.run_id, ingested_at=r.ingested_at) for r in rows])
        last = rows[-1].id


def _v4(conn: sa.Connection) -> None:
    """Version 4: stored clusters (``clusters``, ``cluster_claims``, ``cluster_terms``, ``cluster_keys``)
    and ``cluster_queue``, into which every claim already stored is queued: the next ingest (or
    `khaldun recluster`) clusters them. Frozen: a later change is version 5."""
    md = sa.MetaData()
    tz = sa.DateTime(timezone=True)
    s = sa.String
    cl = sa.Table(
        "clusters", md,
        sa.Column("id", s(64), primary_key=True),
        sa.Column("family", s(), nullable=False), sa.Column("event_type", s(), nullable=False),
        sa.Column("day_lo", s()), sa.Column("day_hi", s()), sa.Column("first_seen", s()),
        *[sa.Column(c, sa.Integer, nullable=False)
          for c in ("reports", "outlets", "independent_sources", "contradictions", "n_claims")],
        sa.Column("polarity", s(), nullable=False),
        sa.Column("embargo_status", s(), index=True), sa.Column("location_country", s(), index=True),
        sa.Column("location_name", sa.Text), sa.Column("names", sa.Text, nullable=False),
        sa.Column("search", sa.Text),
        sa.Column("state", json_type(), nullable=False), sa.Column("data", json_type(), nullable=False),
        sa.Column("updated_at", tz, nullable=False),
        sa.Index("ix_clusters_family_day", "family", "day_lo"),
        sa.Index("ix_clusters_event_type_day", "event_type", "day_lo"),
        sa.Index("ix_clusters_rank", "independent_sources", "reports", "day_lo", "id"),
        sa.Index("ix_clusters_day", "day_lo", "id"),
        sa.Index("ix_clusters_family_sources", "family", "independent_sources"),
    )
    fk = sa.ForeignKey(cl.c.id, ondelete="CASCADE")
    sa.Table(
        "cluster_claims", md,
        sa.Column("cluster_id", s(64), fk, primary_key=True),
        sa.Column("document_id", s(64), primary_key=True),
        sa.Column("ordinal", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("denial", sa.Boolean, nullable=False),
        sa.Index("ix_cluster_claims_claim", "document_id", "ordinal"),
    )
    sa.Table("cluster_terms", md, sa.Column("term", s(), primary_key=True),
             sa.Column("cluster_id", s(64), sa.ForeignKey(cl.c.id, ondelete="CASCADE"), primary_key=True),
             sa.Index("ix_cluster_terms_cluster", "cluster_id"))
    sa.Table(
        "cluster_keys", md,
        sa.Column("key", s(), primary_key=True),
        sa.Column("bucket", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("cluster_id", s(64), sa.ForeignKey(cl.c.id, ondelete="CASCADE"), primary_key=True),
        sa.Index("ix_cluster_keys_cluster", "cluster_id"),
    )
    sa.Table("cluster_queue", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
             sa.Column("document_id", s(64), nullable=False), sa.Column("ordinal", sa.Integer))
    md.create_all(conn)
    conn.execute(sa.text("INSERT INTO cluster_queue (document_id, ordinal) "
                         "SELECT document_id, ordinal FROM claims ORDER BY document_id, ordinal"))


# Version 5: a filtered page of clusters read as one index range. Each cluster term gets copies of its
# cluster's sort keys, and the term's rows are indexed in each order of the cluster queries
# (khaldun.store.queries.ORDERS): with only (term, cluster_id), PostgreSQL walked the clusters' rank index
# and probed every cluster's terms until a page was full (7 s for a regime with 14 clusters among 740,000).
# "Clusters at place P" likewise gets (location_country, rank...) in place of the single-column index.
# Frozen: a later change is version 6.
_V5_COLUMNS = (("independent_sources", "INTEGER"), ("reports", "INTEGER"), ("day_lo", "VARCHAR"))
_V5_INDEXES: tuple[tuple[str, str, tuple[str, ...], str | None], ...] = (
    ("ix_cluster_terms_rank", "cluster_terms", ("term", "independent_sources", "reports", "day_lo", "cluster_id"),
     None),
    ("ix_cluster_terms_day", "cluster_terms", ("term", "day_lo", "cluster_id"), None),
    ("ix_clusters_place_rank", "clusters", ("location_country", "independent_sources", "reports", "day_lo", "id"),
     "ix_clusters_location_country"),
)


def _v5(conn: sa.Connection) -> None:
    """Version 5: the clusters' sort keys on ``cluster_terms``, backfilled from ``clusters`` in one
    ``UPDATE ... FROM`` (both databases; SQLite since 3.33), then the order indexes (see ``_V5_INDEXES``),
    built once over the filled table rather than updated row by row."""
    for col, typ in _V5_COLUMNS:
        conn.execute(sa.text(f"ALTER TABLE cluster_terms ADD COLUMN {col} {typ}"))
    conn.execute(sa.text(
        "UPDATE cluster_terms SET " + ", ".join(f"{c} = cl.{c}" for c, _ in _V5_COLUMNS)
        + " FROM clusters AS cl WHERE cl.id = cluster_terms.cluster_id"))
    for name, table, columns, replaces in _V5_INDEXES:
        conn.execute(sa.text(f"CREATE INDEX {name} ON {table} ({', '.join(columns)})"))
        if replaces:
            conn.execute(sa.text(f"DROP INDEX IF EXISTS {replaces}"))
    if conn.dialect.name == "postgresql":  # the planner's statistics of the new columns (sampled: seconds)
        conn.execute(sa.text("ANALYZE cluster_terms"))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "documents, claims, claim_actors, runs, ingest_errors", _v1),
    Migration(2, "composite indexes for filtered claim queries in result order", _v2),
    Migration(3, "document_appearances: every outlet and URL of a text, backfilled from documents", _v3),
    Migration(4, "stored clusters, their filter terms and blocking keys, and the queue of claims to cluster", _v4),
    Migration(5, "cluster terms carry their cluster's sort keys: a filtered page is one index range", _v5),
)
assert MIGRATIONS[-1].version == SCHEMA_VERSION, "schema.SCHEMA_VERSION must name the last migration"

_VERSION_TABLE = sa.Table(
    "schema_version", sa.MetaData(),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)


def current_version(conn: sa.Connection) -> int | None:
    """The store's schema version; None when the database has no khaldun schema yet."""
    if not sa.inspect(conn).has_table("schema_version"):
        return None
    v = conn.execute(sa.select(sa.func.max(_VERSION_TABLE.c.version))).scalar()
    return int(v) if v is not None else 0


def migrate(engine: sa.Engine) -> tuple[int, list[int]]:
    """Bring the store to the latest schema; return ``(version, versions applied now)``."""
    applied: list[int] = []
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        version = current_version(conn)
        if version is None:
            _VERSION_TABLE.create(conn)
            version = 0
        if version > SCHEMA_VERSION:
            raise SchemaTooNew(f"the store has schema version {version}, this khaldun knows up to "
                               f"{SCHEMA_VERSION}: upgrade khaldun")
        for m in MIGRATIONS:
            if m.version <= version:
                continue
            m.apply(conn)
            conn.execute(_VERSION_TABLE.insert().values(version=m.version, description=m.description,
                                                        applied_at=datetime.now(UTC)))
            applied.append(m.version)
            version = m.version
    return version, applied
