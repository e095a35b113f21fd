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

from .schema import SCHEMA_VERSION, json_type

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


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "documents, claims, claim_actors, runs, ingest_errors", _v1),
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
