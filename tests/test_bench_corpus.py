"""Tests for khaldun.bench_corpus (corpus figures of `khaldun bench`) and store migration 2 (its indexes).

Small sizes only, and no assertion on timings: the figures themselves are machine-dependent. What
is asserted is that the generators make distinct, registry-grounded data, that the query store
answers the benchmark's queries exactly as a plain Python filter would (the indexes change speed,
never results), and that a version-1 store migrates to the latest version with its data intact.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from khaldun.bench_corpus import (
    QUERY_KINDS,
    bench_ingest,
    bench_queries,
    build_query_store,
    generated_articles,
    query_plan,
    run_corpus_bench,
    synthetic_documents,
    world,
)
from khaldun.models import Claim, Document
from khaldun.store import SCHEMA_VERSION, Store, resolve_url
from khaldun.store import store as store_mod
from khaldun.store.migrations import _V2_INDEXES, _VERSION_TABLE, MIGRATIONS
from khaldun.store.runner import document_id

# --------------------------------------------------------------------------------------------
# generated articles
# --------------------------------------------------------------------------------------------


def _shingles(text: str, k: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + k]) for i in range(len(words) - k + 1)}


def test_generated_articles_are_distinct_stories_not_copies() -> None:
    arts = generated_articles(80)
    assert len(arts) == 80
    assert len({a["text"] for a in arts}) == 80
    assert len({document_id(a) for a in arts}) == 80  # ingest will not skip any as already stored
    for a in arts:
        assert set(a) == {"title", "text", "outlet", "published", "url", "language"}
        assert a["text"].startswith(a["title"]) and 60 < len(a["text"].split()) < 400
    sh = [_shingles(a["text"]) for a in arts]
    worst = max(len(sh[i] & sh[j]) / len(sh[i] | sh[j]) for i in range(len(sh)) for j in range(i))
    assert worst < 0.5  # far from near-duplicates (syndicated copies score above 0.8)
    assert generated_articles(5) == generated_articles(5)  # deterministic
    assert generated_articles(5, seed=1) != generated_articles(5)


def test_generated_articles_draw_on_the_registries() -> None:
    w = world()
    arts = generated_articles(60)
    text = "\n".join(a["text"] for a in arts)
    states = {f for e in w.states for f in e.forms}
    outlets = {e.name for e in w.media}
    assert sum(f in text for f in states) > 10
    assert {a["outlet"] for a in arts} <= outlets and len({a["outlet"] for a in arts}) > 10
    assert sum(c.name in text for c in w.cities[:300]) > 10
    assert any(d in text for d, _cat in w.systems)
    assert len({a["published"][:4] for a in arts}) > 5  # dates spread over the years


# --------------------------------------------------------------------------------------------
# synthetic claims and the query store
# --------------------------------------------------------------------------------------------


def test_synthetic_documents_are_valid_and_skewed() -> None:
    docs = list(synthetic_documents(3000))
    claims = [c for d in docs for c in d.claims]
    assert len(claims) == 3000
    assert len({d.id for d in docs}) == len(docs) and len({c.id for c in claims}) == 3000
    for d in docs[:50]:  # round-trips through the contract
        assert Document.model_validate(d.model_dump(mode="json")) == d
    ids = [c.actors[0].id for c in claims]
    top = max(set(ids), key=ids.count)
    assert ids.count(top) > 3000 / len(set(ids)) * 5  # a few actors dominate, as in real coverage
    assert {c.embargo[0].status for c in claims if c.embargo} == {"potential_violation", "possibly_exempt",
                                                                    "not_covered"}
    assert all(not c.recipients or c.recipients[0].id != c.actors[0].id for c in claims)
    assert 0.6 < sum(c.when.date is not None for c in claims) / 3000 < 0.95
    assert [d.id for d in synthetic_documents(50, start=7)] != [d.id for d in synthetic_documents(50)]


def _claim_id(docs: list[Document], key: tuple[str, int]) -> str:
    return next(d.claims[key[1]].id for d in docs if d.id == key[0])


def _matches(c: Claim, kw: dict[str, Any]) -> bool:
    """What ``Store.claims(**kw)`` must return, decided on the claim itself."""
    everyone = c.actors + c.recipients + c.funders + ([c.attribution.speaker] if c.attribution.speaker else [])
    status = None
    if c.embargo:
        status = max(c.embargo, key=lambda f: store_mod._STATUS_RANK[f.status]).status
    checks = {
        "actor": lambda v: any(a.id == v for a in everyone),
        "event_type": lambda v: c.event.type == v,
        "date_from": lambda v: c.when.date is not None and c.when.date >= v,
        "date_to": lambda v: c.when.date is not None and c.when.date <= v,
        "embargo_status": lambda v: status == v,
        "location_country": lambda v: c.location is not None and c.location.country == v,
        "speaker": lambda v: c.attribution.speaker is not None and c.attribution.speaker.id == v,
    }
    return all(checks[k](v) for k, v in kw.items())


def test_store_answers_the_benchmark_queries_exactly(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    info = build_query_store(store_url, 2500, batch_claims=700)
    monkeypatch.setattr(store_mod, "_CHUNK", 9)  # many pages: the keyset step is exercised on every kind
    assert info["built"] and info["claims"] == 2500
    assert build_query_store(store_url, 2000)["built"] is False  # big enough: reused as it is
    docs = list(synthetic_documents(2500))
    plan = query_plan(6)
    assert [k for k, _ in plan[:len(QUERY_KINDS)]] == list(QUERY_KINDS)
    found_any = 0
    with Store.open(store_url) as store:
        for _kind, kw in plan:
            want = [(d.id, i) for d in sorted(docs, key=lambda d: d.id) for i, c in enumerate(d.claims)
                    if _matches(c, kw)]
            got = [(s.document_id, s.claim.id) for s in store.claims(**kw)]
            assert [g[0] for g in got] == [w[0] for w in want], kw
            assert [g[1] for g in got] == [_claim_id(docs, w) for w in want], kw
            first = list(store.claims(**kw, limit=7))
            assert [(s.document_id, s.claim.id) for s in first] == got[:7]
            found_any += bool(got)
    assert found_any > len(plan) / 2  # the plan asks about values that are in the store


def test_bench_queries_reports_every_kind(tmp_path: Path) -> None:
    r = bench_queries(1500, per_kind=3, limit=20, directory=tmp_path)
    assert r["claims"] == 1500 and r["built"] and r["limit"] == 20
    assert set(r["kinds"]) == set(QUERY_KINDS)
    for v in r["kinds"].values():
        assert v["queries"] == 3 and 0 <= v["p50_ms"] <= v["p95_ms"] <= v["max_ms"]
        assert 0 <= v["mean_rows"] <= 20
    assert list(tmp_path.iterdir()) == []  # the temporary store is removed


# --------------------------------------------------------------------------------------------
# migration 2
# --------------------------------------------------------------------------------------------


def _indexes(engine: sa.Engine, table: str) -> dict[str, tuple[str, ...]]:
    return {i["name"]: tuple(i["column_names"]) for i in sa.inspect(engine).get_indexes(table)}


def test_version_1_store_migrates_to_the_latest_version_with_its_data(store_url: str) -> None:
    docs = list(synthetic_documents(40))
    eng = store_mod._engine(sa.make_url(resolve_url(store_url)))
    with eng.begin() as conn:  # a store as khaldun with schema 1 left it, with documents in it
        _VERSION_TABLE.create(conn)
        MIGRATIONS[0].apply(conn)
        conn.execute(_VERSION_TABLE.insert().values(version=1, description="v1", applied_at=sa.func.now()))
        md = sa.MetaData()
        md.reflect(conn, only=["documents", "claims", "claim_actors"])
        for d in docs:
            conn.execute(md.tables["documents"].insert(), store_mod._document_row(d, None, "old", datetime.now(UTC)))
            cs, as_ = store_mod._claim_rows(d, None, "old")
            conn.execute(md.tables["claims"].insert(), cs)
            conn.execute(md.tables["claim_actors"].insert(), as_)
    assert "ix_claims_speaker_id" in _indexes(eng, "claims")
    eng.dispose()

    with Store.open(store_url) as store:  # opening migrates
        assert store.schema_version() == SCHEMA_VERSION == 5
        for name, table, cols, replaced in _V2_INDEXES:
            idx = _indexes(store.engine, table)
            assert idx.get(name) == cols
            assert replaced is None or replaced not in idx
        assert store.counts()["claims"] == 40
        assert store.counts()["document_appearances"] == len(docs)  # migration 3: one per document
        assert store.counts()["cluster_queue"] == 40  # migration 4: every stored claim waits to be clustered
        a = docs[0].claims[0].actors[0].id
        want = [c.id for d in sorted(docs, key=lambda d: d.id) for c in d.claims
                if any(x.id == a for x in c.actors + c.recipients + c.funders
                       + ([c.attribution.speaker] if c.attribution.speaker else []))]
        assert [s.claim.id for s in store.claims(actor=a)] == want
        with store.engine.connect() as conn:
            versions = conn.execute(sa.text("SELECT version FROM schema_version ORDER BY version")).scalars()
            assert list(versions) == list(range(1, SCHEMA_VERSION + 1))
        assert store.recluster()["claims"] == 40 and store.counts()["cluster_queue"] == 0


def test_sqlite_plans_use_the_composite_indexes(tmp_path: Path) -> None:
    """The filtered, ordered first page reads its index in result order: no sort of every match."""
    url = str(tmp_path / "q.db")
    build_query_store(url, 300)
    with Store.open(url) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM sqlite_stat1").scalar()  # optimize() ran
    with Store.open(url) as store:
        stmts: list[tuple[str, Any]] = []
        sa.event.listen(store.engine, "before_cursor_execute",
                        lambda _c, _cur, st, params, _ctx, _many: stmts.append((st, params)))
        for kw, index in (({"speaker": "person/khalifa-haftar"}, "ix_claims_speaker_id_doc"),
                          ({"location_country": "LBY"}, "ix_claims_location_country_doc"),
                          ({"embargo_status": "not_covered"}, "ix_claims_embargo_status_doc"),
                          ({"event_type": "AID", "date_from": "2019-01-01", "date_to": "2019-03-31"},
                           "ix_claims_event_type_")):
            stmts.clear()
            list(store.claims(**kw, limit=10))
            # the first page (a short page is followed by a keyset query for the next one)
            st, params = next((st, p) for st, p in stmts if st.lstrip().upper().startswith("SELECT"))
            with store.engine.connect() as conn:
                plan = " | ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + st, params))
            assert index in plan, (kw, plan)
            if "date_from" not in kw:
                assert "TEMP B-TREE" not in plan, (kw, plan)


# --------------------------------------------------------------------------------------------
# the runs and the command
# --------------------------------------------------------------------------------------------


def test_bench_ingest_small(tmp_path: Path) -> None:
    r = bench_ingest(3, directory=tmp_path)
    assert r["articles"] == 3 and r["added"] == 3 and r["errors"] == 0
    assert r["claims"] > 3 and r["docs_per_s"] > 0 and r["claims_per_s"] > 0 and r["rss_mb"] > 0
    assert r["cluster_claims"] == r["claims"] and r["clusters"] >= 1
    assert list(tmp_path.iterdir()) == []


def test_run_corpus_bench_report(tmp_path: Path) -> None:
    emitted: list[str] = []
    out = run_corpus_bench(clusters=300, query_claims=800, per_kind=2, limit=10, directory=tmp_path,
                           in_child=False, emit=emitted.append)
    lines = out.splitlines()
    assert emitted == lines  # each line is also handed over as soon as it is known
    assert lines[0].startswith("khaldun bench (corpus)")
    assert any(ln.startswith("clustering 300 generated claims") for ln in lines)
    assert any(ln.strip().startswith("speaker") for ln in lines)
    figures = json.loads(lines[-1])
    assert figures["clusters"]["claims"] == 300
    assert figures["queries"]["claims"] == 800 and set(figures["queries"]["kinds"]) == set(QUERY_KINDS)


def test_bench_command_runs_corpus_parts_in_child_processes(tmp_path: Path) -> None:
    from khaldun.cli import app

    db = tmp_path / "q.db"
    res = CliRunner().invoke(app, ["bench", "--clusters", "200", "--query-claims", "500", "--query-db", str(db),
                                   "--queries-per-kind", "2", "--page", "5"])
    assert res.exit_code == 0, res.output
    figures = json.loads(res.output.strip().splitlines()[-1])
    assert figures["clusters"]["claims"] == 200 and figures["clusters"]["rss_mb"] > 0
    assert figures["queries"]["built"] is True and db.exists()  # --query-db keeps the store
    res = CliRunner().invoke(app, ["bench", "--query-claims", "500", "--query-db", str(db),
                                   "--queries-per-kind", "2"])
    assert res.exit_code == 0 and "already built" in res.output


def test_actor_filter_returns_each_claim_once_whatever_its_roles(store_url: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The actor filter joins claim_actors on SQLite: a claim naming the actor in several roles is one result."""
    docs = list(synthetic_documents(30))
    c = docs[0].claims[0]
    tur = c.actors[0].model_copy(update={"id": "TUR", "country": "TUR"})
    docs[0].claims[0] = c.model_copy(update={
        "actors": [tur, tur], "funders": [tur],
        "attribution": c.attribution.model_copy(update={"speaker": tur})})
    with Store.open(store_url) as store:
        store.add_documents(docs)
        ids = [s.claim.id for s in store.claims(actor="TUR")]
        assert len(ids) == len(set(ids)) and c.id in ids
        assert [s.claim.id for s in store.claims(actor="TUR", role="funder")].count(c.id) == 1
        assert [s.claim.id for s in store.claims(actor="TUR", country="TUR")].count(c.id) == 1
        monkeypatch.setattr(store_mod, "_CHUNK", 2)  # pages of two claims
        assert [s.claim.id for s in store.claims(actor="TUR")] == ids
        assert [s.claim.id for s in store.claims(actor="TUR", limit=3)] == ids[:3]


def test_finishing_an_ingest_run_refreshes_sqlite_planner_statistics(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "k.db")) as store:
        run = store.start_run("test")
        store.finish_run(run)  # nothing added: nothing to analyse
        with store.engine.connect() as conn:
            assert not sa.inspect(conn).has_table("sqlite_stat1")
        run = store.start_run("test")
        store.add_documents(synthetic_documents(50), run)
        assert store.finish_run(run)["claims_added"] == 50
        with store.engine.connect() as conn:
            stats = dict(conn.exec_driver_sql("SELECT idx, stat FROM sqlite_stat1").all())
        assert "ix_claim_actors_actor_id_doc" in stats and "ix_claims_event_type_date" in stats


def test_stored_clusters_bench_report(tmp_path: Path) -> None:
    emitted: list[str] = []
    out = run_corpus_bench(stored_clusters=400, per_kind=2, directory=tmp_path, in_child=False,
                           emit=emitted.append)
    figures = json.loads(out.splitlines()[-1])["stored_clusters"]
    assert figures["claims"] == 400 and figures["recluster"]["claims"] == 400
    q = figures["queries"]
    assert q["clusters"] == figures["recluster"]["clusters"] == q["stream_clusters"] > 0
    assert q["kinds"]["by_id"]["mean_rows"] == 1.0 and q["p95_ms"] > 0
    assert any(ln.startswith("stored clusters (sqlite)") for ln in emitted)
    assert list(tmp_path.iterdir()) == []  # the temporary store is gone
