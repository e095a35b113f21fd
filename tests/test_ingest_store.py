"""Tests for `khaldun ingest`: formats (WARC included), idempotence, crash-resume, workers, errors, fetching.

Articles are short generated texts so the real pipeline stays fast. Network tests only talk to an
http.server on 127.0.0.1 started here; nothing leaves the machine.
"""

from __future__ import annotations

import gzip
import http.server
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from khaldun.models import UNDATED_WARNING
from khaldun.store import SCHEMA_VERSION, Store
from khaldun.store.cli import register
from khaldun.store.fetch import FetchError, fetch, host_allowed
from khaldun.store.runner import IngestOptions, document_id, run_ingest, to_item
from khaldun.store.warc import NotArticle, read_warc

sys.path.insert(0, str(Path(__file__).parent))
from pg_support import PG_URL, drop_pg_schema, pg_schema_url  # noqa: E402

FIX = Path(__file__).parent / "fixtures" / "ingest"

SUBJ = ["Turkey", "Qatar", "Russia", "Egypt", "Sudan", "France"]
REC = ["the Government of National Accord", "forces loyal to Khalifa Haftar", "fighters in Misrata"]
MAT = ["six drones", "armoured vehicles", "ammunition and rifles"]
PLACE = ["Sirte", "Tripoli", "Benghazi", "Misrata"]


def article(i: int) -> str:
    """A short, distinct conflict-news article (one transfer, one strike, one denial)."""
    s, r, m, p = SUBJ[i % 6], REC[(i // 6) % 3], MAT[(i // 18) % 3], PLACE[i % 4]
    return (f"{s} sent {m} to {r} last week, according to a United Nations panel of experts (report {i}).\n\n"
            f"Witnesses in {p} said aircraft struck positions near the airport. "
            f"A spokesman for {r} denied that any weapons had arrived.\n")


def write_corpus(d: Path, n: int, start: int = 0) -> list[Path]:
    d.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(start, start + n):
        p = d / f"a{i:04d}.txt"
        p.write_text(article(i), encoding="utf-8")
        out.append(p)
    return out


def html_page(title: str, paras: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article></body></html>").encode()


ARTICLE_HTML = html_page("Drones land at Mitiga", [
    "Turkey delivered six armed drones to the Government of National Accord at Mitiga airport on Monday, "
    "two officials said.",
    "The aircraft were unloaded at night and moved to a hangar near the runway, according to photographs.",
])
NAV_HTML = (b"<!DOCTYPE html><html><head><title>Index</title></head>"
            b"<body><ul><li><a href='/a'>A</a></li></ul></body></html>")


def write_warc(path: Path, gz: bool = True) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gz)

        def response(uri: str, status: str, ctype: str, payload: bytes) -> None:
            hh = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=hh))

        req = StatusAndHeaders("GET /a HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        w.write_record(w.create_warc_record("https://news.example/a", "request", payload=io.BytesIO(b""),
                                            http_headers=req))
        response("https://news.example/a", "200 OK", "text/html; charset=utf-8", ARTICLE_HTML)  # record 2
        response("https://news.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n....")
        response("https://news.example/gone", "404 Not Found", "text/html", html_page("Gone", ["Not here."]))
        response("https://news.example/", "200 OK", "text/html", NAV_HTML)  # record 5: no article body
        w.write_record(w.create_warc_record(
            "https://news.example/b", "resource", payload=io.BytesIO(html_page("Ship unloads vehicles", [
                "A cargo ship unloaded armoured vehicles at the port of Benghazi on Thursday, dock workers said.",
                "The shipping company declined to comment on the cargo when reached by telephone."])),
            warc_content_type="text/html"))  # record 6


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(str(tmp_path / "khaldun.db"))
    try:
        yield s
    finally:
        s.close()


# --------------------------------------------------------------------------------------------
# ids before analysis
# --------------------------------------------------------------------------------------------


def test_document_id_before_analysis_is_the_pipelines_id() -> None:
    from khaldun.pipeline import Pipeline

    pipe = Pipeline()
    items = [
        dict(text=article(1), title=None),
        dict(text="Share | Tweet\r\n\r\nDrones strike Sirte\r\n\r\n"
                  "Drones struck Sirte on Monday, residents said.\n\nRelated articles\nFootball results\nWeather",
             title="Drones strike Sirte"),
        dict(text="\ufeffA  drone\u00a0struck the port of Misrata overnight, officials said.", title=None),
    ]
    for it in items:
        assert document_id(it) == pipe.analyze(**it).id


# --------------------------------------------------------------------------------------------
# WARC
# --------------------------------------------------------------------------------------------


def test_warc_reader(tmp_path: Path) -> None:
    p = tmp_path / "crawl.warc.gz"
    write_warc(p)
    items = list(read_warc(p))
    arts = [x for x in items if not isinstance(x, NotArticle)]
    skipped = [x for x in items if isinstance(x, NotArticle)]
    assert [(a.line, a.url, a.title) for a in arts] == [  # type: ignore[union-attr]
        (2, "https://news.example/a", "Drones land at Mitiga"),
        (6, "https://news.example/b", "Ship unloads vehicles")]
    assert "six armed drones" in arts[0].text  # type: ignore[union-attr]
    assert [(s.line, s.url) for s in skipped] == [(5, "https://news.example/")]
    plain = tmp_path / "crawl.warc"
    write_warc(plain, gz=False)
    assert [getattr(x, "line", None) for x in read_warc(plain)] == [2, 5, 6]


def test_damaged_warc_keeps_the_records_before_the_damage(tmp_path: Path) -> None:
    from warcio.archiveiterator import ArchiveIterator

    for name, gz in (("crawl.warc.gz", True), ("crawl.warc", False)):
        p = tmp_path / name
        write_warc(p, gz=gz)
        with open(p, "rb") as fh:
            it = ArchiveIterator(fh)
            last = [it.get_record_offset() for _ in it][-1]
        data = p.read_bytes()
        cut = tmp_path / f"cut-{name}"
        cut.write_bytes(data[:(last + len(data)) // 2])  # an interrupted download: the last record is cut
        items = list(read_warc(cut))
        assert [(type(x).__name__, getattr(x, "line", None)) for x in items] == [
            ("RawArticle", 2), ("NotArticle", 5), ("IngestError", 6)], name
        assert "truncated" in items[-1].reason  # type: ignore[union-attr]
    junk = tmp_path / "junk.warc"
    junk.write_text("this is not an archive\n" * 5, encoding="utf-8")
    (e,) = list(read_warc(junk))
    assert "not a readable WARC archive" in e.reason  # type: ignore[union-attr]
    (e,) = list(read_warc(tmp_path / "missing.warc.gz"))
    assert e.reason == "no such file or directory"  # type: ignore[union-attr]


# --------------------------------------------------------------------------------------------
# ingest runs
# --------------------------------------------------------------------------------------------


def test_ingest_mixed_corpus_then_rerun_analyses_nothing(tmp_path: Path, db: Store) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 3)
    (corpus / "copy.txt").write_text(article(0), encoding="utf-8")  # same text twice: one document
    (corpus / "page.html").write_bytes((FIX / "article.html").read_bytes())
    (corpus / "feed.rss").write_bytes((FIX / "feed.rss").read_bytes())
    line = json.dumps({"text": article(7), "outlet": "Wire", "published": "2020-01-02"})
    (corpus / "lines.jsonl").write_text(line + "\n{broken\n", encoding="utf-8")
    write_warc(corpus / "crawl.warc.gz")
    (corpus / "scan.pdf").write_bytes(b"%PDF-1.4 binary")
    (corpus / ".hidden.txt").write_text(article(9), encoding="utf-8")

    r = run_ingest([corpus, tmp_path / "nope.txt"], db)
    # 3 txt + html + 2 feed items + 1 jsonl line + 2 WARC pages (the copy is skipped)
    assert (r.added, r.skipped, r.analysed, r.not_articles) == (9, 1, 9, 1)
    assert r.errors == [f"{corpus / 'feed.rss'}: item 2 ('Empty item'): no text (no content, description or "
                        "summary)",
                        f"{corpus / 'lines.jsonl'}:2: not valid JSON: Expecting property name enclosed in double "
                        "quotes (column 2)",
                        f"{corpus / 'scan.pdf'}: binary file (a PDF document); khaldun reads text, HTML, JSON "
                        "and feeds",
                        f"{tmp_path / 'nope.txt'}: no such file or directory"]
    assert r.inputs == r.inputs_done == 10
    assert db.counts()["documents"] == 9 and db.counts()["claims"] == r.claims > 0
    assert [(e["path"], e["line"]) for e in db.errors(r.run_id)] == [
        (str(corpus / "feed.rss"), None), (str(corpus / "lines.jsonl"), 2), (str(corpus / "scan.pdf"), None),
        (str(tmp_path / "nope.txt"), None)]
    run = db.runs()[0]
    assert (run["status"], run["documents_added"], run["documents_skipped"], run["errors"]) == \
        ("finished", 9, 1, 4)
    docs = {d.source.path: d for d in db.documents()}
    assert docs[f"{corpus / 'lines.jsonl'}:1"].source.outlet == "Wire"
    assert docs[f"{corpus / 'crawl.warc.gz'}:2"].source.url == "https://news.example/a"
    assert docs[str(corpus / "page.html")].source.outlet == "Coastal Courier"
    for d in docs.values():  # every claim can be traced back to its text
        for c in d.claims:
            assert d.text[c.evidence.start:c.evidence.end] == c.evidence.text

    r2 = run_ingest([corpus], db)
    assert (r2.added, r2.skipped, r2.analysed) == (0, 10, 0)  # nothing analysed again
    assert db.counts()["documents"] == 9


def test_same_text_from_several_outlets_is_one_document_with_an_appearance_each(tmp_path: Path,
                                                                              db: Store) -> None:
    wire = article(4)
    lines = [
        {"text": wire, "title": "Drones reach Tripoli", "outlet": "Mediterranean Wire",
         "url": "https://wire.example/a", "published": "2020-05-08"},
        {"text": wire, "title": "Turkish drones in Libya", "outlet": "Harbor Times",  # syndicated copy
         "url": "https://harbor.example/b", "published": "2020-05-09"},
        {"text": article(5), "outlet": "Harbor Times", "url": "https://harbor.example/c"},
        {"text": wire, "outlet": "Mediterranean Wire", "url": "https://wire.example/a"},  # the same page again
    ]
    src = tmp_path / "feed.jsonl"
    src.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    # one article per chunk: the copy is met while the original is still waiting to be written
    r = run_ingest([src], db, IngestOptions(batch_size=1))
    assert (r.added, r.appearances, r.skipped, r.analysed, r.errors) == (2, 3, 2, 2, [])
    c = db.counts()
    assert (c["documents"], c["document_appearances"]) == (2, 3)
    wid = document_id(dict(text=wire))
    assert [(a.outlet, a.url, a.published, a.title, a.path) for a in db.appearances([wid])[wid]] == [
        ("Mediterranean Wire", "https://wire.example/a", "2020-05-08", "Drones reach Tripoli", f"{src}:1"),
        ("Harbor Times", "https://harbor.example/b", "2020-05-09", "Turkish drones in Libya", f"{src}:2")]
    assert db.runs()[0]["appearances_added"] == 3 and db.runs()[0]["documents_added"] == 2

    r2 = run_ingest([src], db)  # the same file again: nothing new at all
    assert (r2.added, r2.appearances, r2.skipped, r2.analysed) == (0, 0, 4, 0)
    assert db.counts()["document_appearances"] == 3

    more = tmp_path / "courier"  # a third outlet ran the story later, as a plain text file
    more.mkdir()
    (more / "story.txt").write_text(wire, encoding="utf-8")
    r3 = run_ingest([more], db, IngestOptions(outlet="Desert Courier", published="2020-05-11"))
    assert (r3.added, r3.appearances, r3.skipped, r3.analysed) == (0, 1, 1, 0)  # recorded, not analysed
    assert [a.outlet for a in db.appearances([wid])[wid]] == ["Mediterranean Wire", "Harbor Times",
                                                              "Desert Courier"]
    assert run_ingest([more], db, IngestOptions(outlet="Desert Courier")).appearances == 0
    assert [d.id for d in db.documents(outlet="Desert Courier")] == [wid]
    assert db.counts()["documents"] == 2


def test_command_line_metadata_overrides_the_files(tmp_path: Path, db: Store) -> None:
    write_corpus(tmp_path / "c", 2)
    run_ingest([tmp_path / "c"], db, IngestOptions(published="2020-03-04", outlet="Desk"))
    assert {(d.source.outlet, d.source.published) for d in db.documents()} == {("Desk", "2020-03-04")}
    assert to_item(next(iter([_raw("x")])), IngestOptions(outlet="O"))["outlet"] == "O"


def _raw(text: str) -> object:
    from khaldun.ingest import RawArticle

    return RawArticle(text=text, path="p", outlet="file", line=3)


def test_failed_analysis_is_an_error_and_is_retried_next_run(tmp_path: Path, db: Store,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from khaldun.pipeline import Pipeline

    corpus = tmp_path / "c"
    write_corpus(corpus, 3)
    (corpus / "boom.txt").write_text("BOOM. Turkey sent drones to Tripoli on Monday, officials said.\n",
                                     encoding="utf-8")
    real = Pipeline._document

    def exploding(self: Pipeline, pr: dict, parsed: list) -> object:
        if "BOOM" in pr["body"]:
            raise RuntimeError("boom")
        return real(self, pr, parsed)

    monkeypatch.setattr(Pipeline, "_document", exploding)
    r = run_ingest([corpus], db, IngestOptions(batch_size=4))
    assert r.added == 3  # its neighbours in the same chunk are kept
    assert r.errors == [f"{corpus / 'boom.txt'}: analysis failed (RuntimeError: boom)"]
    assert db.errors(r.run_id)[0]["reason"] == "analysis failed (RuntimeError: boom)"
    monkeypatch.setattr(Pipeline, "_document", real)
    r2 = run_ingest([corpus], db)
    assert (r2.added, r2.skipped, r2.errors) == (1, 3, [])


def test_kill_9_mid_run_then_resume_loses_nothing_and_duplicates_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    n = 60
    write_corpus(corpus, n)
    dbp = tmp_path / "k.db"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parent.parent))
    proc = subprocess.Popen([sys.executable, "-m", "khaldun.store.cli", "ingest", str(corpus), "--db", str(dbp),
                             "--batch-size", "2", "--no-progress"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)

    def stored() -> int:
        if not dbp.exists():
            return 0
        con = sqlite3.connect(f"file:{dbp}?mode=ro", uri=True, timeout=10)
        try:
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
        except sqlite3.OperationalError:  # schema not created yet
            return 0
        finally:
            con.close()

    deadline = time.monotonic() + 120
    while stored() < 4 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    before = stored()
    assert 4 <= before < n, before

    with Store.open(str(dbp)) as s:
        assert s.runs()[0]["status"] == "running" and s.runs()[0]["finished_at"] is None  # the killed run
        r = run_ingest([corpus], s)
        assert (r.added, r.skipped, r.errors) == (n - before, before, [])
        want = {document_id(dict(text=p.read_text(encoding="utf-8"))) for p in sorted(corpus.iterdir())}
        assert {d.id for d in s.documents()} == want  # nothing lost
        from khaldun.store.store import A, C, D

        with s.engine.connect() as conn:
            import sqlalchemy as sa

            # every document is whole: its claim rows match its claim count, and each claim has its actors
            n_rows = sa.select(sa.func.count()).where(C.c.document_id == D.c.id).scalar_subquery()
            bad = conn.execute(sa.select(D.c.id).where(D.c.n_claims != n_rows)).all()
            assert bad == []
            orphan = conn.execute(sa.select(sa.func.count()).select_from(A).where(~sa.exists().where(
                C.c.document_id == A.c.document_id, C.c.ordinal == A.c.ordinal))).scalar()
            assert orphan == 0
            # every claim joined a cluster, once, whatever the kill interrupted (the queue is written with them)
            from khaldun.store.schema import ClusterClaimRow

            cc = ClusterClaimRow.__table__
            own = sa.select(cc.c.document_id, cc.c.ordinal).where(cc.c.denial.is_(False))
            assert conn.execute(sa.select(sa.func.count()).select_from(own.subquery())).scalar() == \
                conn.execute(sa.select(sa.func.count()).select_from(own.distinct().subquery())).scalar() == \
                s.counts()["claims"]
        assert s.counts()["documents"] == n and s.counts()["cluster_queue"] == 0


def test_ingest_reads_sidecars_and_counts_documents_without_a_date_or_a_claim(tmp_path: Path, db: Store) -> None:
    c = tmp_path / "c"
    a, b = write_corpus(c, 2)
    (c / "a0000.meta.json").write_text('{"outlet": "Valley Courier", "published": "2020-04-02"}', encoding="utf-8")
    (c / "quiet.txt").write_text("The weather was mild and the market stayed open all afternoon.\n", encoding="utf-8")
    (c / "meta.csv").write_text("file,published\nquiet.txt,2020-04-03\n", encoding="utf-8")
    from khaldun.ingest import load_meta_csv

    r = run_ingest([a, b, c / "quiet.txt"], db, IngestOptions(meta=load_meta_csv(c / "meta.csv")))
    assert (r.added, r.errors, r.undated, r.no_claims) == (3, [], 1, 1)
    docs = {Path(d.source.path or "").name: d for d in db.documents()}
    assert (docs["a0000.txt"].source.outlet, docs["a0000.txt"].source.published) == ("Valley Courier", "2020-04-02")
    assert docs["a0001.txt"].warnings == [UNDATED_WARNING]
    assert docs["quiet.txt"].warnings == ["no claim found"] and docs["quiet.txt"].source.published == "2020-04-03"
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """test app"""

    register(app)
    res = CliRunner().invoke(app, ["ingest", str(c), "--db", str(tmp_path / "cli.db"), "--no-progress",
                                   "--meta", str(c / "meta.csv")])
    # meta.csv in the folder is read as an article too (a text file): the warning counts it
    assert "have no publication date" in res.output and "gave no claim" in res.output
    bad = CliRunner().invoke(app, ["ingest", str(c), "--db", str(tmp_path / "x.db"), "--meta", str(a)])
    assert bad.exit_code == 2 and "--meta" in bad.output and "'file' column" in bad.output


def test_workers_give_the_same_store_as_one_process(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    write_corpus(corpus, 6)
    with Store.open(str(tmp_path / "one.db")) as one, Store.open(str(tmp_path / "two.db")) as two:
        r1 = run_ingest([corpus], one, IngestOptions(workers=1, batch_size=2))
        r2 = run_ingest([corpus], two, IngestOptions(workers=2, batch_size=2))
        assert r1.added == r2.added == 6 and r2.errors == []
        a = [d.model_dump() for d in one.documents()]
        b = [d.model_dump() for d in two.documents()]
        assert a == b


# --------------------------------------------------------------------------------------------
# the command line
# --------------------------------------------------------------------------------------------


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_cli_ingest_and_store_info(tmp_path: Path) -> None:
    write_corpus(tmp_path / "c", 2)
    (tmp_path / "c" / "bad.json").write_text("[1, 2", encoding="utf-8")
    dbp = tmp_path / "cli.db"
    runner = CliRunner()
    res = runner.invoke(_app(), ["store-info", "--db", str(dbp)])
    assert res.exit_code == 2 and "no store at" in res.output
    res = runner.invoke(_app(), ["ingest", str(tmp_path / "c"), "--db", str(dbp)])
    assert res.exit_code == 1, res.output  # one input could not be used
    assert "run 1: 2 documents added" in res.output
    assert "bad.json:1: not valid JSON" in res.output
    assert "2 appearances added (0 new outlet/URL of a stored text)" in res.output
    res = runner.invoke(_app(), ["ingest", str(tmp_path / "c" / "a0000.txt"), "--db", str(dbp), "--no-progress"])
    assert res.exit_code == 0 and "0 documents added" in res.output and "1 skipped" in res.output
    assert "0 appearances added" in res.output
    res = runner.invoke(_app(), ["ingest", str(tmp_path / "c" / "a0000.txt"), "--db", str(dbp), "--no-progress",
                                 "--outlet", "Harbor Times"])  # the same text from another outlet
    assert res.exit_code == 0 and "0 documents added" in res.output, res.output
    assert "1 appearances added (1 new outlet/URL of a stored text)" in res.output
    res = runner.invoke(_app(), ["store-info", "--db", str(dbp)])
    assert "document_appearances: 3" in res.stdout and "0 documents added, 1 appearances added" in res.stdout
    res = runner.invoke(_app(), ["store-info", "--db", str(dbp), "--json"])
    info = json.loads(res.stdout)
    assert info["counts"]["documents"] == 2 and info["counts"]["ingest_errors"] == 1
    assert info["counts"]["document_appearances"] == 3
    assert info["schema_version"] == SCHEMA_VERSION
    assert [r["status"] for r in info["runs"]] == ["finished", "finished", "finished"]
    assert [r["appearances_added"] for r in info["runs"]] == [1, 0, 2]
    res = runner.invoke(_app(), ["ingest", "x.txt", "--db", str(dbp), "--published", "not a date"])
    assert res.exit_code == 2 and "--published" in res.output


def test_cli_default_store_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_corpus(tmp_path / "c", 1)
    monkeypatch.setenv("KHALDUN_DB", str(tmp_path / "env.db"))
    res = CliRunner().invoke(_app(), ["ingest", str(tmp_path / "c"), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "env.db").exists()


# --------------------------------------------------------------------------------------------
# the same ingest on SQLite and PostgreSQL
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_ingest_on_both_backends(backend: str, tmp_path: Path) -> None:
    if backend == "sqlite":
        url, schema = f"sqlite:///{tmp_path / 'k.db'}", None
    else:
        if not PG_URL:
            pytest.skip("KHALDUN_TEST_PG_URL is not set (a PostgreSQL server for the store tests)")
        url, schema = pg_schema_url(PG_URL)
    try:
        write_corpus(tmp_path / "c", 3)
        write_warc(tmp_path / "c" / "crawl.warc.gz")
        with Store.open(url) as s:
            r = run_ingest([tmp_path / "c"], s, IngestOptions(batch_size=2))
            assert (r.added, r.errors) == (5, [])
            assert run_ingest([tmp_path / "c"], s).skipped == 5
            assert s.counts()["documents"] == 5
            r3 = run_ingest([tmp_path / "c"], s, IngestOptions(outlet="Harbor Times"))  # every text, again
            assert (r3.added, r3.appearances) == (0, 5)  # each text now also appears under that outlet
            assert run_ingest([tmp_path / "c"], s, IngestOptions(outlet="Harbor Times")).appearances == 0
            assert s.counts()["document_appearances"] == 10
            aid = list(s.claims(event_type="AID"))
            assert aid and all(sc.source.path for sc in aid)
    finally:
        if schema:
            drop_pg_schema(PG_URL, schema)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# --fetch-urls: refusals, and a local server on 127.0.0.1
# --------------------------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def _send(self, code: int, ctype: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        port = self.server.server_address[1]
        if self.path == "/article.html":
            self._send(200, "text/html; charset=utf-8", ARTICLE_HTML)
        elif self.path == "/feed.rss":
            self._send(200, "application/rss+xml", (FIX / "feed.rss").read_bytes())
        elif self.path == "/big.html":
            self._send(200, "text/html", b"<p>" + b"x" * 5000 + b"</p>")
        elif self.path == "/chunked-big":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"y" * 5000)
        elif self.path == "/slow":
            time.sleep(1.5)
            self._send(200, "text/html", ARTICLE_HTML)
        elif self.path == "/image.png":
            self._send(200, "image/png", b"\x89PNG")
        elif self.path == "/redirect-in":
            self._send(302, "text/plain", b"", {"Location": "/article.html"})
        elif self.path == "/redirect-out":
            self._send(302, "text/plain", b"", {"Location": f"http://localhost:{port}/article.html"})
        else:
            self._send(404, "text/plain", b"not found")


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the client hung up on /slow on purpose


@pytest.fixture
def server() -> Iterator[str]:
    srv = _Server(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


def test_host_allow_list() -> None:
    allow = ["example.org", "127.0.0.1"]
    assert host_allowed("example.org", allow) and host_allowed("www.Example.org.", allow)
    assert not host_allowed("badexample.org", allow) and not host_allowed("example.org.evil.com", allow)
    assert host_allowed("127.0.0.1", allow) and not host_allowed("localhost", allow)
    assert not host_allowed(None, allow) and not host_allowed("example.org", [])


def test_fetch_refusals_need_no_network() -> None:
    with pytest.raises(FetchError, match="no host is allowed"):
        fetch("https://example.org/a", [])
    with pytest.raises(FetchError, match="not on the allow-list"):
        fetch("https://example.com/a", ["example.org"])
    with pytest.raises(FetchError, match="only http and https"):
        fetch("file:///etc/passwd", ["example.org"])
    with pytest.raises(FetchError, match="only http and https"):
        fetch("ftp://example.org/a", ["example.org"])


def test_fetch_from_a_local_server(server: str) -> None:
    allow = ["127.0.0.1"]
    body, ctype, final = fetch(f"{server}/article.html", allow)
    assert body == ARTICLE_HTML and ctype == "text/html" and final == f"{server}/article.html"
    assert fetch(f"{server}/redirect-in", allow)[2] == f"{server}/article.html"
    with pytest.raises(FetchError, match="redirect to http://localhost:.*not on the allow-list"):
        fetch(f"{server}/redirect-out", allow)
    with pytest.raises(FetchError, match="too large: 5007 bytes"):
        fetch(f"{server}/big.html", allow, max_bytes=1000)
    with pytest.raises(FetchError, match="too large: more than 1000 bytes"):
        fetch(f"{server}/chunked-big", allow, max_bytes=1000)
    with pytest.raises(FetchError, match="timed out after 0.3 s"):
        fetch(f"{server}/slow", allow, timeout=0.3)
    with pytest.raises(FetchError, match="content type 'image/png'"):
        fetch(f"{server}/image.png", allow)
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(f"{server}/missing", allow)


def test_ingest_urls_only_when_asked(server: str, tmp_path: Path, db: Store) -> None:
    url = f"{server}/article.html"
    r = run_ingest([url], db)
    assert r.added == 0 and len(r.errors) == 1 and "does not use the network unless asked" in r.errors[0]
    r = run_ingest([url], db, IngestOptions(fetch_urls=True))
    assert r.added == 0 and "no host is allowed" in r.errors[0]
    r = run_ingest([url, f"{server}/feed.rss"], db, IngestOptions(fetch_urls=True, allow_hosts=("127.0.0.1",)))
    assert r.errors == [f"{server}/feed.rss: item 2 ('Empty item'): no text (no content, description or summary)"]
    assert r.added == 3  # the page and two feed items
    doc = next(d for d in db.documents() if d.source.path == url)
    assert doc.source.url == url and "six armed drones" in doc.text
    res = CliRunner().invoke(_app(), ["ingest", url, "--db", str(tmp_path / "khaldun.db"), "--fetch-urls",
                                      "--allow-host", "127.0.0.1", "--no-progress"])
    assert res.exit_code == 0 and "1 skipped" in res.output


def test_gzip_payloads_are_not_mistaken_for_warc(tmp_path: Path, db: Store) -> None:
    p = tmp_path / "notes.txt.gz"
    p.write_bytes(gzip.compress(article(1).encode()))
    r = run_ingest([p], db)
    assert r.added == 0 and "gzip-compressed data" in r.errors[0]


def test_ingest_reports_documents_in_a_language_it_cannot_analyze(tmp_path: Path, db: Store) -> None:
    src = tmp_path / "mixed.jsonl"
    rows = [{"id": "de", "text": "Der Konvoi erreichte am Dienstag die Stadt und brachte Waffen für die Miliz "
                                 "im Süden des Landes, sagten Anwohner.", "language": "de"},
            {"id": "en", "text": "Turkish drones struck a militia convoy near the city on Tuesday, officials said.",
             "language": "en"}]
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    r = run_ingest([src], db)
    assert r.added == 2
    assert len(r.warnings) == 1 and "'de'" in r.warnings[0] and "not analyzed" in r.warnings[0]
