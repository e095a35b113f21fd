"""The store's tables, as SQLAlchemy 2 declarative models: one schema for SQLite and PostgreSQL.

The full contract objects are kept as JSON (``documents.data`` without text and claims,
``claims.data`` the whole :class:`khaldun.models.Claim`), so a document read back is exactly the
document that was analysed. The plain columns beside the JSON are copies of the fields that
queries filter on (event type, first actor and recipient, speaker, date, place, embargo status),
indexed, so a filter never has to open JSON. ``claim_actors`` has one row per actor of a claim in
any role, so "every claim involving Turkey" is one indexed lookup whatever the role.

A document is one *text*; ``document_appearances`` has one row per place that text was published
(outlet and URL), so wire copy that three outlets ran word for word is one document with three
appearances: three outlets, still one text and one independent source (migration 3). The
``documents`` row keeps the source of the first appearance, as before.

Claims are keyed by ``(document_id, ordinal)`` (their position in the document), not by
``Claim.id`` alone: the id is a stable 16-hex digest that callers use, and it is indexed, but the
position is what makes the key unique by construction.

This module describes the *current* schema; :mod:`khaldun.store.migrations` builds it step by
step and a test checks that the migrated database and these models agree.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "SCHEMA_VERSION", "AppearanceRow", "Base", "ClaimActorRow", "ClaimRow", "ClusterClaimRow", "ClusterKeyRow",
    "ClusterQueueRow", "ClusterRow", "ClusterTermRow", "DocumentRow", "IngestErrorRow", "RunRow",
    "SchemaVersionRow", "appearance_key", "json_type",
]

SCHEMA_VERSION = 5


def json_type() -> sa.types.TypeEngine[Any]:
    """JSON: ``jsonb`` on PostgreSQL (indexable, compact), JSON text on SQLite."""
    return sa.JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    pass


class SchemaVersionRow(Base):
    """One row per migration applied; the store's version is the highest."""

    __tablename__ = "schema_version"
    version: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    description: Mapped[str] = mapped_column(sa.Text)
    applied_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class RunRow(Base):
    """One `khaldun ingest` run: when, with which pipeline, what it added, skipped and failed on.

    ``finished_at`` stays NULL for a run that was killed; the documents it committed keep its id.
    """

    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    status: Mapped[str] = mapped_column(sa.String())
    pipeline_version: Mapped[str] = mapped_column(sa.String())
    command: Mapped[str | None] = mapped_column(sa.Text)
    documents_added: Mapped[int] = mapped_column(sa.Integer, default=0)
    documents_skipped: Mapped[int] = mapped_column(sa.Integer, default=0)
    claims_added: Mapped[int] = mapped_column(sa.Integer, default=0)
    errors: Mapped[int] = mapped_column(sa.Integer, default=0)
    # appearances first recorded by the run: one per added document, plus new outlets/URLs of stored texts
    appearances_added: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")


class DocumentRow(Base):
    """An analysed article, keyed by the sha256 of its normalized body text (``Document.id``)."""

    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    path: Mapped[str | None] = mapped_column(sa.Text)
    url: Mapped[str | None] = mapped_column(sa.Text)
    outlet: Mapped[str | None] = mapped_column(sa.Text, index=True)
    published: Mapped[str | None] = mapped_column(sa.String(), index=True)
    language: Mapped[str | None] = mapped_column(sa.String())
    title: Mapped[str | None] = mapped_column(sa.Text)
    text: Mapped[str] = mapped_column(sa.Text)
    n_claims: Mapped[int] = mapped_column(sa.Integer)
    data: Mapped[Any] = mapped_column(json_type(), nullable=False)  # removed, mentions, quotes
    ingested_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("runs.id"), index=True)
    pipeline_version: Mapped[str] = mapped_column(sa.String())


def appearance_key(outlet: str | None, url: str | None) -> str:
    """What makes two appearances of one text the same: its outlet and its URL (stripped; None is "").

    The file an article was read from is not part of it, so ingesting a copied or moved file, or a
    WARC record of a page already ingested from its URL, adds nothing. Frozen: stored rows carry
    this key (migration 3 backfills it), so changing it would duplicate every appearance.
    """
    raw = f"{(outlet or '').strip()}\x1f{(url or '').strip()}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


class AppearanceRow(Base):
    """One place a document's text was published: outlet, URL, date, title, and the file it came from.

    Unique on ``(document_id, key)`` (:func:`appearance_key`), so re-ingesting adds nothing and two
    writers racing on one appearance cannot fail each other. ``run_id`` and ``ingested_at`` say when
    it was first seen. Deleting a document deletes its appearances.
    """

    __tablename__ = "document_appearances"
    __table_args__ = (
        sa.UniqueConstraint("document_id", "key", name="uq_document_appearances_key"),
        # "documents published by outlet X" and distinct outlets per document, from the index alone
        sa.Index("ix_document_appearances_outlet_doc", "outlet", "document_id"),
    )
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(32))
    outlet: Mapped[str | None] = mapped_column(sa.Text)
    url: Mapped[str | None] = mapped_column(sa.Text)
    published: Mapped[str | None] = mapped_column(sa.String(), index=True)
    path: Mapped[str | None] = mapped_column(sa.Text)
    title: Mapped[str | None] = mapped_column(sa.Text)
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("runs.id"), index=True)
    ingested_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class ClaimRow(Base):
    """One claim: its full JSON plus indexed copies of the fields queries filter on.

    The columns :meth:`khaldun.store.Store.claims` filters on most are indexed together with the
    key, ``(column, document_id, ordinal)``, so a filtered query reads its matches in result order
    and stops after one page (migration 2).
    """

    __tablename__ = "claims"
    __table_args__ = (
        sa.Index("ix_claims_event_type_doc", "event_type", "document_id", "ordinal"),
        sa.Index("ix_claims_event_type_date", "event_type", "date"),
        sa.Index("ix_claims_speaker_id_doc", "speaker_id", "document_id", "ordinal"),
        sa.Index("ix_claims_location_country_doc", "location_country", "document_id", "ordinal"),
        sa.Index("ix_claims_embargo_status_doc", "embargo_status", "document_id", "ordinal"),
    )
    document_id: Mapped[str] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"),
                                             primary_key=True)
    ordinal: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(sa.String(), index=True)
    event_type: Mapped[str] = mapped_column(sa.String())
    aid_type: Mapped[str | None] = mapped_column(sa.String(), index=True)
    actor_id: Mapped[str | None] = mapped_column(sa.String(), index=True)
    actor_country: Mapped[str | None] = mapped_column(sa.String(), index=True)
    recipient_id: Mapped[str | None] = mapped_column(sa.String(), index=True)
    recipient_country: Mapped[str | None] = mapped_column(sa.String(), index=True)
    speaker_id: Mapped[str | None] = mapped_column(sa.String())
    date: Mapped[str | None] = mapped_column(sa.String(), index=True)
    location_country: Mapped[str | None] = mapped_column(sa.String())
    embargo_status: Mapped[str | None] = mapped_column(sa.String())
    embargo_regime: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    certainty: Mapped[str] = mapped_column(sa.String())
    polarity: Mapped[str] = mapped_column(sa.String())
    evidence_start: Mapped[int] = mapped_column(sa.Integer)
    evidence_end: Mapped[int] = mapped_column(sa.Integer)
    data: Mapped[Any] = mapped_column(json_type(), nullable=False)
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("runs.id"), index=True)
    pipeline_version: Mapped[str] = mapped_column(sa.String())


class ClaimActorRow(Base):
    """One actor of one claim in one role (actor, recipient, funder, speaker)."""

    __tablename__ = "claim_actors"
    __table_args__ = (
        sa.ForeignKeyConstraint(["document_id", "ordinal"], ["claims.document_id", "claims.ordinal"],
                                ondelete="CASCADE"),
        # "claims involving X": matches in result order, and covers the per-claim probe (migration 2)
        sa.Index("ix_claim_actors_actor_id_doc", "actor_id", "document_id", "ordinal"),
        sa.Index("ix_claim_actors_country_doc", "country", "document_id", "ordinal"),
    )
    document_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    ordinal: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    role: Mapped[str] = mapped_column(sa.String(), primary_key=True)
    position: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    claim_id: Mapped[str] = mapped_column(sa.String(), index=True)
    actor_id: Mapped[str | None] = mapped_column(sa.String())
    country: Mapped[str | None] = mapped_column(sa.String())
    sector: Mapped[str | None] = mapped_column(sa.String())
    kind: Mapped[str | None] = mapped_column(sa.String())
    name: Mapped[str | None] = mapped_column(sa.Text)
    text: Mapped[str] = mapped_column(sa.Text)


class IngestErrorRow(Base):
    """An input that could not be used (unreadable file, bad JSON line, failed analysis) and why."""

    __tablename__ = "ingest_errors"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("runs.id"), index=True)
    path: Mapped[str] = mapped_column(sa.Text)
    line: Mapped[int | None] = mapped_column(sa.Integer)
    reason: Mapped[str] = mapped_column(sa.Text)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


# --------------------------------------------------------------------------------------------
# clusters (migration 4): stored, kept up to date at ingest, queried through their indexes
# --------------------------------------------------------------------------------------------


class ClusterRow(Base):
    """One cluster (:class:`khaldun.corpus.clusters.Cluster`): the full model as JSON (``data``), the
    greedy pass's aggregate of its claims (``state``: participants, dates, places) that a new claim is
    scored against, and indexed copies of what queries filter and sort on.

    ``day_lo``/``day_hi`` are the cluster's dates (else its first publication): a cluster never spans
    more than a year, so "overlaps [from, to]" is the index range ``day_lo`` in [from - 1 year, to].
    ``names`` holds the lower-cased names of its actors, recipients and funders (the actor filter's substring
    search); ``search`` adds its materiel, trigger, and its reports' titles and evidence (free text, ``q``).
    """

    __tablename__ = "clusters"
    __table_args__ = (
        sa.Index("ix_clusters_family_day", "family", "day_lo"),
        sa.Index("ix_clusters_event_type_day", "event_type", "day_lo"),
        sa.Index("ix_clusters_rank", "independent_sources", "reports", "day_lo", "id"),
        sa.Index("ix_clusters_day", "day_lo", "id"),
        sa.Index("ix_clusters_family_sources", "family", "independent_sources"),
        # "clusters at place P, most sources first": walked in page order (migration 5)
        sa.Index("ix_clusters_place_rank", "location_country", "independent_sources", "reports", "day_lo", "id"),
    )
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    family: Mapped[str] = mapped_column(sa.String())
    event_type: Mapped[str] = mapped_column(sa.String())
    day_lo: Mapped[str | None] = mapped_column(sa.String())
    day_hi: Mapped[str | None] = mapped_column(sa.String())
    first_seen: Mapped[str | None] = mapped_column(sa.String())
    reports: Mapped[int] = mapped_column(sa.Integer)
    outlets: Mapped[int] = mapped_column(sa.Integer)
    independent_sources: Mapped[int] = mapped_column(sa.Integer)
    contradictions: Mapped[int] = mapped_column(sa.Integer)
    n_claims: Mapped[int] = mapped_column(sa.Integer)
    polarity: Mapped[str] = mapped_column(sa.String())
    embargo_status: Mapped[str | None] = mapped_column(sa.String(), index=True)
    location_country: Mapped[str | None] = mapped_column(sa.String())
    location_name: Mapped[str | None] = mapped_column(sa.Text)
    names: Mapped[str] = mapped_column(sa.Text)
    search: Mapped[str | None] = mapped_column(sa.Text)
    state: Mapped[Any] = mapped_column(json_type(), nullable=False)
    data: Mapped[Any] = mapped_column(json_type(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class ClusterClaimRow(Base):
    """A claim of a cluster; ``denial``: a REJECT claim attached as the denial of the cluster's event
    (it is also a member of its own REJECT cluster)."""

    __tablename__ = "cluster_claims"
    __table_args__ = (sa.Index("ix_cluster_claims_claim", "document_id", "ordinal"),)
    cluster_id: Mapped[str] = mapped_column(sa.ForeignKey("clusters.id", ondelete="CASCADE"), primary_key=True)
    document_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    ordinal: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    denial: Mapped[bool] = mapped_column(sa.Boolean, default=False)


class ClusterTermRow(Base):
    """Exact-match filter terms of a cluster: ``a:<actor id, its last part, or a state's ISO3>`` (any
    side), ``r:<regime>`` and ``e:<finding status>`` of its embargo findings, ``s:<speaker id>``.

    Each row also carries copies of its cluster's sort keys (``independent_sources``, ``reports``,
    ``day_lo``: :data:`khaldun.store.queries.ORDERS`), indexed after the term, so "the clusters with term
    T, in page order" is one index range read from the top, whatever share of the clusters T has
    (migration 5; before, the database walked the clusters' order index and probed each cluster's terms,
    seconds for a rare term on a million clusters). Writers fill them with
    :func:`khaldun.corpus.stored.term_rows`; a cluster's terms are rewritten whenever its row is.
    """

    __tablename__ = "cluster_terms"
    __table_args__ = (
        sa.Index("ix_cluster_terms_cluster", "cluster_id"),
        sa.Index("ix_cluster_terms_rank", "term", "independent_sources", "reports", "day_lo", "cluster_id"),
        sa.Index("ix_cluster_terms_day", "term", "day_lo", "cluster_id"),
    )
    term: Mapped[str] = mapped_column(sa.String(), primary_key=True)
    cluster_id: Mapped[str] = mapped_column(sa.ForeignKey("clusters.id", ondelete="CASCADE"), primary_key=True)
    independent_sources: Mapped[int | None] = mapped_column(sa.Integer)
    reports: Mapped[int | None] = mapped_column(sa.Integer)
    day_lo: Mapped[str | None] = mapped_column(sa.String())


class ClusterKeyRow(Base):
    """The blocking index a new claim finds its candidate clusters through: ``FAMILY|participant or
    place`` x month (``bucket``: year * 12 + month - 1 of every month the cluster's dates touch; -1 for a
    cluster of claims with no date at all)."""

    __tablename__ = "cluster_keys"
    __table_args__ = (sa.Index("ix_cluster_keys_cluster", "cluster_id"),)
    key: Mapped[str] = mapped_column(sa.String(), primary_key=True)
    bucket: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    cluster_id: Mapped[str] = mapped_column(sa.ForeignKey("clusters.id", ondelete="CASCADE"), primary_key=True)


class ClusterQueueRow(Base):
    """Claims waiting to join clusters (written with the claims, in the same transaction, so a killed
    ingest leaves them queued, never lost); ``ordinal`` NULL: the document got a new appearance, so the
    clusters holding its claims are rebuilt (one more outlet)."""

    __tablename__ = "cluster_queue"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(sa.String(64))
    ordinal: Mapped[int | None] = mapped_column(sa.Integer)
