"""Tests for khaldun.store: schema and migrations, idempotent writes, round trips, claim filters.

Every test that takes ``store_url`` runs twice: on an SQLite file and on a real PostgreSQL server
(``KHALDUN_TEST_PG_URL``, set by .ci/run; skipped when unset). Each PostgreSQL test gets its own
schema (via ``search_path``), dropped afterwards. Documents are built by hand: no NLP here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from khaldun import __version__
from khaldun.models import (
    Actor,
    Attribution,
    Claim,
    Document,
    Event,
    Evidence,
    Finding,
    Materiel,
    Mention,
    Passage,
    Place,
    Quote,
    Source,
    When,
)
from khaldun.store import SCHEMA_VERSION, Store, StoreError, resolve_url
from khaldun.store import migrations as migrations_mod
from khaldun.store import store as store_mod
from khaldun.store.migrations import MIGRATIONS, migrate
from khaldun.store.schema import Base, appearance_key
from khaldun.store.store import Appearance


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store.open(store_url)
    try:
        yield s
    finally:
        s.close()


# --------------------------------------------------------------------------------------------
# documents built by hand
# --------------------------------------------------------------------------------------------

TUR = Actor(text="Turkey", id="TUR", name="Turkey", kind="state", country="TUR", sector="GOV", start=0, end=6)
GNA = Actor(text="the GNA", id="LBY_GNA", name="Government of National Accord", kind="armed_group",
            country="LBY", sector="GOV")
QAT = Actor(text="Qatar", id="QAT", kind="state", country="QAT", sector="GOV")
RUS = Actor(text="Russia", id="RUS", kind="state", country="RUS", sector="GOV")
LNA = Actor(text="Haftar's forces", id="LBY_LNA", kind="armed_group", country="LBY", sector="REB")
PANEL = Actor(text="the UN panel", id="UN_POE", kind="igo", sector="IGO")


def claim(cid: str, etype: str, text: str, start: int, actors: list[Actor], recipients: list[Actor],
          date: str | None = None, funders: list[Actor] | None = None, speaker: Actor | None = None,
          status: str | None = None, place_country: str | None = None) -> Claim:
    emb = [] if status is None else [
        Finding(regime="Libya", instrument="UNSCR 1970 (2011)", in_force=True, status="not_covered", reason="x"),
        Finding(regime="Libya 2", instrument="UNSCR 2292 (2016)", in_force=True, status=status, reason="y"),
    ]
    return Claim(
        id=cid,
        event=Event(type=etype, trigger="sent", trigger_start=start + 7,  # type: ignore[arg-type]
                    trigger_end=start + 11, aid_type="military" if etype == "AID" else None),
        actors=actors, recipients=recipients, funders=funders or [],
        materiel=[Materiel(text="drones", category="uav", quantity=6)],
        location=Place(text="Tripoli", name="Tripoli", kind="city", country=place_country, lat=32.9, lon=13.2)
        if place_country else None,
        when=When(text="last week", date=date, precision="day" if date else None),
        attribution=Attribution(speaker=speaker, quote="indirect" if speaker else "none"),
        evidence=Evidence(text=text, start=start, end=start + len(text), sentence=0,
                          more=[Passage(text="again", start=200, end=205, sentence=3)]),
        embargo=emb, why={"funders": "test"},
    )


def make_doc(n: int, text: str | None = None, claims: list[Claim] | None = None, outlet: str = "Wire",
             published: str = "2020-05-01") -> Document:
    text = text or f"Turkey sent drones to the GNA, the UN panel said in report number {n}."
    import hashlib

    return Document(
        id=hashlib.sha256(text.encode()).hexdigest(),
        source=Source(path=f"/corpus/{n}.txt", url=f"https://example.org/{n}", outlet=outlet, published=published,
                      language="en"),
        title=f"Article {n}", text=text, claims=claims or [],
        removed=[Passage(text="Share this", start=0, end=10, sentence=-1)],
        mentions=[Mention(text="Turkey", start=0, end=6, kind="actor", label="state", id="TUR", country="TUR")],
        quotes=[Quote(speaker=PANEL, content=Passage(text="Turkey sent drones", start=0, end=18, sentence=0))],
    )


ARABIC = "مصدر: تركيا أرسلت طائرات مسيرة إلى طرابلس."


def sample_docs() -> list[Document]:
    d1 = make_doc(1, claims=[
        claim("c1a", "AID", "Turkey sent drones to the GNA", 0, [TUR], [GNA], date="2020-05-01",
              funders=[QAT], speaker=PANEL, status="potential_violation", place_country="LBY"),
        claim("c1b", "ASSAULT", "Haftar's forces shelled Tripoli", 40, [LNA], [GNA], date="2020-04-10"),
    ], outlet="Wire", published="2020-05-02")
    d2 = make_doc(2, claims=[
        claim("c2a", "AID", "Russia sent jets to Haftar's forces", 0, [RUS], [LNA], date="2020-06-01",
              status="possibly_exempt"),
    ], outlet="Courier", published="2020-06-03")
    d3 = make_doc(3, text=ARABIC, claims=[], outlet="Arabic Daily")
    return [d1, d2, d3]


# --------------------------------------------------------------------------------------------
# schema and migrations
# --------------------------------------------------------------------------------------------


def test_open_creates_schema_then_reopens_without_migrating(store_url: str) -> None:
    with Store.open(store_url) as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert s.counts() == dict(documents=0, document_appearances=0, claims=0, claim_actors=0, runs=0,
                                  ingest_errors=0, clusters=0, cluster_queue=0)
        version, applied = migrate(s.engine)
    assert version == SCHEMA_VERSION and applied == []  # already at the latest version


def test_migrated_database_matches_the_models(store: Store) -> None:
    assert_schema_matches_models(store)


def assert_schema_matches_models(store: Store) -> None:
    """Tables, columns (nullability, types), primary keys, indexes and foreign keys are the models'."""
    insp = sa.inspect(store.engine)
    tables = set(insp.get_table_names())
    assert tables == set(Base.metadata.tables)
    for name, table in Base.metadata.tables.items():
        cols = {c["name"]: c for c in insp.get_columns(name)}
        assert set(cols) == {c.name for c in table.columns}, name
        for c in table.columns:
            assert cols[c.name]["nullable"] == (c.nullable and not c.primary_key), (name, c.name)
            assert cols[c.name]["type"]._type_affinity is c.type._type_affinity or store.dialect == "postgresql" \
                and c.type._type_affinity is sa.JSON, (name, c.name)
        assert set(insp.get_pk_constraint(name)["constrained_columns"]) == {c.name for c in table.primary_key}
        want = {tuple(i.columns.keys()) for i in table.indexes}
        got = {tuple(i["column_names"]) for i in insp.get_indexes(name)}
        assert want <= got, (name, want - got)
        fks = {(tuple(f["constrained_columns"]), f["referred_table"]) for f in insp.get_foreign_keys(name)}
        assert fks == {(tuple(f.parent.name for f in fk.elements), fk.referred_table.name)
                       for fk in table.foreign_key_constraints}, name


def test_newer_schema_is_refused(store_url: str) -> None:
    with Store.open(store_url) as s, s.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO schema_version (version, description, applied_at) "
                             "VALUES (99, 'from the future', CURRENT_TIMESTAMP)"))
    with pytest.raises(StoreError, match="schema version 99"):
        Store.open(store_url)


def test_sqlite_store_is_in_wal_mode_and_created_on_open(tmp_path: Path) -> None:
    p = tmp_path / "k.db"
    with pytest.raises(StoreError, match="no store at"):
        Store.open(str(p), create=False)
    assert not p.exists()  # a read-only open never leaves an empty store behind
    with Store.open(str(p)) as s, s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert p.exists()
    with Store.open(str(p), create=False) as s:
        assert s.schema_version() == SCHEMA_VERSION


def test_unusable_urls_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no directory"):
        Store.open(str(tmp_path / "missing" / "k.db"))
    with pytest.raises(StoreError, match="unsupported database 'mysql'"):
        Store.open("mysql://u:p@localhost/db")
    with pytest.raises(StoreError, match="not a database URL"):
        Store.open("::://")


def test_resolve_url_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KHALDUN_DB", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert resolve_url() == "sqlite:///khaldun.db"  # the default: ./khaldun.db
    cfg = tmp_path / "cfg" / "khaldun" / "config.toml"
    cfg.parent.mkdir(parents=True)
    cfg.write_text('db = "postgres://team@db.internal/khaldun"\n', encoding="utf-8")
    assert resolve_url() == "postgresql+psycopg://team@db.internal/khaldun"
    monkeypatch.setenv("KHALDUN_DB", str(tmp_path / "env.db"))
    assert resolve_url() == f"sqlite:///{tmp_path / 'env.db'}"
    assert resolve_url("postgresql://a@b/c") == "postgresql+psycopg://a@b/c"
    assert resolve_url("sqlite:////abs/k.db") == "sqlite:////abs/k.db"
    cfg.write_text("db = 3\n", encoding="utf-8")
    monkeypatch.delenv("KHALDUN_DB")
    with pytest.raises(StoreError, match="must be a string"):
        resolve_url()


def test_password_is_hidden_in_the_url() -> None:
    s = Store(sa.create_engine("postgresql+psycopg://u:secret@localhost/db"))
    assert "secret" not in s.url and "***" in s.url


# --------------------------------------------------------------------------------------------
# writing and reading
# --------------------------------------------------------------------------------------------


def test_add_documents_is_idempotent_by_content_hash(store: Store) -> None:
    docs = sample_docs()
    run = store.start_run("test")
    assert store.add_documents(docs, run) == (3, 0)
    assert store.add_documents(docs, run) == (0, 3)
    assert store.add_documents([docs[0], docs[0]], run) == (0, 2)
    fresh = make_doc(9)
    assert store.add_documents([fresh, fresh], run) == (1, 1)  # repeated inside one call: stored once
    assert store.counts()["documents"] == 4
    assert store.counts()["claims"] == 3
    assert store.has_document(docs[2].id) and not store.has_document("0" * 64)
    assert store.existing_ids([docs[0].id, "f" * 64, docs[1].id]) == {docs[0].id, docs[1].id}


def test_documents_round_trip_exactly(store: Store) -> None:
    docs = sample_docs()
    store.add_documents(docs, store.start_run())
    back = {d.id: d for d in store.documents()}
    assert set(back) == {d.id for d in docs}
    for d in docs:
        assert back[d.id].model_dump() == d.model_dump()  # claims, offsets, mentions, quotes, source, Arabic
    assert store.document(docs[2].id).text == ARABIC  # type: ignore[union-attr]
    assert store.document("0" * 64) is None
    assert [d.id for d in store.documents(outlet="Courier")] == [docs[1].id]
    assert {d.id for d in store.documents(published_from="2020-05-02", published_to="2020-05-31")} == {docs[0].id}
    assert len(list(store.documents(limit=2))) == 2
    assert list(store.documents(ids=[])) == []


def test_every_claim_keeps_document_offsets_version_and_run(store: Store) -> None:
    docs = sample_docs()
    run = store.start_run()
    store.add_documents(docs, run)
    C = store_mod.C
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(C).order_by(C.c.document_id, C.c.ordinal)).all()
    by_id = {r.id: r for r in rows}
    r = by_id["c1a"]
    assert r.document_id == docs[0].id and r.ordinal == 0
    assert (r.evidence_start, r.evidence_end) == (0, len("Turkey sent drones to the GNA"))
    assert r.run_id == run and r.pipeline_version == __version__
    assert (r.event_type, r.aid_type, r.actor_id, r.actor_country, r.recipient_id, r.recipient_country) == \
        ("AID", "military", "TUR", "TUR", "LBY_GNA", "LBY")
    assert (r.speaker_id, r.date, r.location_country) == ("UN_POE", "2020-05-01", "LBY")
    assert (r.embargo_status, r.embargo_regime) == ("potential_violation", "Libya 2")  # the worst finding
    assert by_id["c1b"].embargo_status is None and by_id["c1b"].location_country is None
    A = store_mod.A
    with store.engine.connect() as conn:
        roles = conn.execute(sa.select(A.c.role, A.c.actor_id, A.c.country, A.c.sector, A.c.text)
                             .where(A.c.claim_id == "c1a").order_by(A.c.role, A.c.position)).all()
    assert [tuple(x) for x in roles] == [("actor", "TUR", "TUR", "GOV", "Turkey"),
                                         ("funder", "QAT", "QAT", "GOV", "Qatar"),
                                         ("recipient", "LBY_GNA", "LBY", "GOV", "the GNA"),
                                         ("speaker", "UN_POE", None, "IGO", "the UN panel")]


def test_claim_filters(store: Store) -> None:
    docs = sample_docs()
    store.add_documents(docs, store.start_run())

    def ids(**kw: object) -> list[str]:
        return [sc.claim.id for sc in store.claims(**kw)]  # type: ignore[arg-type]

    assert sorted(ids()) == ["c1a", "c1b", "c2a"]
    assert sorted(ids(event_type="AID")) == ["c1a", "c2a"]
    assert sorted(ids(event_type=["AID", "ASSAULT"])) == ["c1a", "c1b", "c2a"]
    assert ids(actor="QAT") == ["c1a"]  # a funder counts as an actor of the claim
    assert ids(actor="QAT", role="actor") == []
    assert ids(actor="QAT", role="funder") == ["c1a"]
    assert sorted(ids(actor="LBY_LNA")) == ["c1b", "c2a"]
    assert ids(country="LBY", role="actor") == ["c1b"]
    assert ids(country="RUS") == ["c2a"]
    assert ids(speaker="UN_POE") == ["c1a"]
    assert ids(embargo_status="possibly_exempt") == ["c2a"]
    assert ids(embargo_regime="Libya 2", embargo_status="potential_violation") == ["c1a"]
    assert ids(aid_type="military", date_from="2020-05-15") == ["c2a"]
    assert ids(date_from="2020-04-01", date_to="2020-04-30") == ["c1b"]
    assert ids(location_country="LBY") == ["c1a"]
    assert ids(outlet="Courier") == ["c2a"]
    assert sorted(ids(published_to="2020-05-31")) == ["c1a", "c1b"]
    assert ids(document_id=docs[1].id) == ["c2a"]
    assert len(ids(limit=2)) == 2
    sc = next(store.claims(actor="RUS"))
    assert sc.document_id == docs[1].id
    assert sc.source.outlet == "Courier" and sc.source.url == "https://example.org/2"
    assert sc.claim == docs[1].claims[0]


def test_paging_through_many_rows(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_mod, "_CHUNK", 3)  # pages of 3 rows, IN lists of 3 ids
    docs = [make_doc(i, claims=[claim(f"k{i}-{j}", "AID", "Turkey sent drones", j * 30, [TUR], [GNA])
                                for j in range(2)]) for i in range(8)]
    store.add_documents(docs, store.start_run())
    assert [d.id for d in store.documents()] == sorted(d.id for d in docs)
    assert len({sc.claim.id for sc in store.claims()}) == 16
    assert len(list(store.claims(limit=7))) == 7
    assert len(list(store.documents(ids=[d.id for d in docs], limit=5))) == 5
    assert store.existing_ids([d.id for d in docs] + ["0" * 64]) == {d.id for d in docs}
    store.add_documents([copy_of(docs[i], "Other", i) for i in range(0, 8, 2)])  # 4 texts in 2 outlets
    assert len(list(store.documents(per_appearance=True))) == 12
    five = list(store.documents(ids=[d.id for d in docs], limit=5, per_appearance=True))
    assert len({d.id for d in five}) == 5 and len(five) > 5
    assert len(list(store.documents(outlet="Other"))) == 4


def test_a_failing_batch_stores_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    good, bad = make_doc(1, claims=[claim("g", "AID", "x", 0, [TUR], [GNA])]), make_doc(2, claims=[
        claim("b", "AID", "y", 0, [RUS], [LNA])])
    real = store_mod._claim_rows

    def broken(doc: Document, run_id: int | None, version: str) -> tuple[list[dict], list[dict]]:
        cs, acts = real(doc, run_id, version)
        if doc.id == bad.id:
            cs[0]["event_type"] = None  # NOT NULL: the insert of the whole batch fails
        return cs, acts

    monkeypatch.setattr(store_mod, "_claim_rows", broken)
    with pytest.raises(sa.exc.IntegrityError):
        store.add_documents([good, bad], store.start_run())
    assert store.counts()["documents"] == 0 and store.counts()["claims"] == 0  # all or nothing
    monkeypatch.setattr(store_mod, "_claim_rows", real)
    assert store.add_documents([good, bad]) == (2, 0)


def test_runs_and_errors(store: Store) -> None:
    run = store.start_run("khaldun ingest corpus/")
    store.add_documents(sample_docs()[:2], run)
    store.record_error(run, "corpus/bad.jsonl", "not valid JSON", line=3)
    store.record_error(run, "corpus/x.pdf", "binary file")
    counts = store.finish_run(run, skipped=5)
    assert counts == dict(documents_added=2, appearances_added=2, claims_added=3, errors=2, documents_skipped=5)
    r = store.runs()[0]
    assert (r["id"], r["status"], r["command"], r["pipeline_version"]) == \
        (run, "finished", "khaldun ingest corpus/", __version__)
    assert r["finished_at"] is not None and r["documents_added"] == 2 and r["errors"] == 2
    assert store.errors(run) == [dict(run_id=run, path="corpus/bad.jsonl", line=3, reason="not valid JSON"),
                                 dict(run_id=run, path="corpus/x.pdf", line=None, reason="binary file")]
    run2 = store.start_run()
    assert store.runs()[0]["id"] == run2 and store.runs()[0]["finished_at"] is None
    assert store.errors(run2) == []


def test_nul_bytes_in_metadata_are_dropped(store: Store) -> None:
    d = make_doc(1)
    d.title = "Title\x00with NUL"
    d.source.outlet = "Out\x00let"
    store.add_documents([d])
    back = store.document(d.id)
    assert back is not None and back.title == "Titlewith NUL" and back.source.outlet == "Outlet"


# --------------------------------------------------------------------------------------------
# appearances: one text, every outlet and URL that published it
# --------------------------------------------------------------------------------------------


def copy_of(doc: Document, outlet: str, n: int, published: str = "2020-05-03",
            title: str | None = None) -> Document:
    """The same text (same id, same claims) as another outlet published it."""
    src = Source(path=f"/other/{n}.html", url=f"https://copy{n}.example/story", outlet=outlet,
                 published=published, language="en")
    return doc.model_copy(update={"source": src, "title": title or doc.title})


def test_same_text_from_two_outlets_is_one_document_two_appearances(store: Store) -> None:
    docs = sample_docs()
    wire = docs[0]
    harbor = copy_of(wire, "Harbor Times", 1, title="Drones for Tripoli")
    run = store.start_run()
    assert store.add_documents(docs, run) == (3, 0)
    assert store.add_documents([harbor], run) == (0, 1)  # no new text: skipped, but its outlet is recorded
    assert store.add_documents([harbor, wire], run) == (0, 2)  # already recorded: nothing new
    c = store.counts()
    assert (c["documents"], c["document_appearances"], c["claims"]) == (3, 4, 3)
    assert store.appearances([wire.id]) == {wire.id: [
        Appearance(wire.id, "Wire", "https://example.org/1", "2020-05-02", "/corpus/1.txt", "Article 1"),
        Appearance(wire.id, "Harbor Times", "https://copy1.example/story", "2020-05-03", "/other/1.html",
                   "Drones for Tripoli")]}
    assert sorted(len(v) for v in store.appearances().values()) == [1, 1, 2]
    # the text once, or once per appearance with that outlet's source and title, same claims
    assert [d.id for d in store.documents(ids=[wire.id])] == [wire.id]
    per = list(store.documents(ids=[wire.id], per_appearance=True))
    assert [(d.source.outlet, d.source.url, d.source.published, d.title) for d in per] == [
        ("Wire", "https://example.org/1", "2020-05-02", "Article 1"),
        ("Harbor Times", "https://copy1.example/story", "2020-05-03", "Drones for Tripoli")]
    assert per[1].model_dump(exclude={"source", "title"}) == wire.model_dump(exclude={"source", "title"})
    assert per[0].model_dump() == wire.model_dump()
    assert len(list(store.documents(per_appearance=True))) == 4
    assert len(list(store.documents(ids=[wire.id], per_appearance=True, limit=1))) == 2  # limit counts texts
    assert len(list(store.documents(per_appearance=True, limit=3))) == 4
    # outlet filters match every outlet that carried the text
    assert [d.id for d in store.documents(outlet="Harbor Times")] == [wire.id]
    assert sorted(sc.claim.id for sc in store.claims(outlet="Harbor Times")) == ["c1a", "c1b"]
    assert [sc.claim.id for sc in store.claims(outlet="Harbor Times", event_type="AID")] == ["c1a"]
    # publication-date filters match the date of any appearance (the copy ran a day after the wire)
    day2 = dict(published_from="2020-05-03", published_to="2020-05-03")
    assert [d.id for d in store.documents(**day2)] == [wire.id]
    assert [d.source.outlet for d in store.documents(per_appearance=True, **day2)] == ["Harbor Times"]
    assert sorted(sc.claim.id for sc in store.claims(**day2)) == ["c1a", "c1b"]
    assert [d.id for d in store.documents(published_from="2020-05-04", published_to="2020-05-31")] == \
        [d.id for d in docs if d.source.published and "2020-05-04" <= d.source.published <= "2020-05-31"]
    assert store.finish_run(run)["appearances_added"] == 4
    assert store.runs()[0]["appearances_added"] == 4


def test_add_appearances_is_idempotent_and_needs_the_document(store: Store) -> None:
    d = make_doc(1)
    store.add_documents([d])
    ghost = Appearance("0" * 64, "Nowhere", "https://nowhere.example/x")
    new = Appearance(d.id, " Desert Courier ", "https://courier.example/a", "2020-05-04", "feed.rss:2")
    assert store.add_appearances([new, ghost, new]) == [ghost]  # nothing written for an unknown text
    assert store.add_appearances([new._replace(path="elsewhere.html", published="2020-05-05")]) == []
    aps = store.appearances()[d.id]
    assert [(a.outlet, a.path, a.published) for a in aps] == [
        ("Wire", "/corpus/1.txt", "2020-05-01"), (" Desert Courier ", "feed.rss:2", "2020-05-04")]  # first seen
    # the key is the stripped outlet and URL: a moved file, or stray spaces, is the same appearance
    assert appearance_key(" Desert Courier ", "https://courier.example/a ") == \
        appearance_key("Desert Courier", "https://courier.example/a")
    assert appearance_key("Wire", None) != appearance_key(None, "Wire")
    assert store.add_appearances([]) == []
    assert store.counts()["document_appearances"] == 2
    with store.engine.begin() as conn:  # deleting a text deletes where it appeared
        conn.execute(store_mod.D.delete().where(store_mod.D.c.id == d.id))
    assert store.counts()["document_appearances"] == 0


def test_v2_store_migrates_to_v3_with_backfill(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = store_mod._engine(sa.make_url(resolve_url(store_url)))
    with monkeypatch.context() as m:  # a store as khaldun with schema version 2 left it
        m.setattr(migrations_mod, "MIGRATIONS", MIGRATIONS[:2])
        m.setattr(migrations_mod, "SCHEMA_VERSION", 2)
        assert migrate(engine) == (2, [1, 2])
    docs = sample_docs()
    now = store_mod.datetime.now(store_mod.UTC)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO runs (started_at, finished_at, status, pipeline_version, command, "
                             "documents_added, documents_skipped, claims_added, errors) VALUES "
                             "(:t, :t, 'finished', 'old', 'khaldun ingest old/', 3, 1, 3, 0)"), {"t": now})
        run = conn.execute(sa.text("SELECT max(id) FROM runs")).scalar()
        conn.execute(store_mod.D.insert(), [store_mod._document_row(d, run, "old", now) for d in docs])
        assert not sa.inspect(conn).has_table("document_appearances")
    engine.dispose()
    monkeypatch.setattr(migrations_mod, "_V3_BATCH", 2)  # the backfill pages through the documents
    with Store.open(store_url) as s:
        assert s.schema_version() == SCHEMA_VERSION  # v3, then v4 (stored clusters) and later ones
        assert_schema_matches_models(s)
        assert s.counts()["document_appearances"] == 3
        aps = s.appearances()
        for d in docs:  # one appearance per document, from its own row
            assert aps[d.id] == [Appearance(d.id, d.source.outlet, d.source.url, d.source.published,
                                            d.source.path, d.title)]
        P = store_mod.P
        with s.engine.connect() as conn:
            assert set(conn.execute(sa.select(P.c.run_id)).scalars()) == {run}
        assert s.runs()[0]["appearances_added"] == 3  # one per document the run added
        # the backfilled key is the one writes use: re-adding adds nothing, another outlet adds one
        assert s.add_documents(docs) == (0, 3)
        assert s.counts()["document_appearances"] == 3
        s.add_documents([copy_of(docs[1], "Harbor Times", 2)])
        assert [a.outlet for a in s.appearances([docs[1].id])[docs[1].id]] == ["Courier", "Harbor Times"]
        assert migrate(s.engine) == (SCHEMA_VERSION, [])
