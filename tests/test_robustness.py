"""Hostile input: each fault found by the robustness review (issue 16) reproduced, then held fixed.

Every test names the fault it reproduces. Waits on other processes or sockets are bounded (a thread
join or a poll with a generous limit), never timed assertions on speed.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from khaldun import limits
from khaldun.ingest import IngestError, RawArticle, read_paths

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = "The army said on Monday that it had moved two hundred soldiers to the northern border town."


def _read(path: Path) -> list[RawArticle | IngestError]:
    return list(read_paths([path]))


def _feed(encoding: str, title: str = "Harbour news", body: str = SENTENCE) -> str:
    return (f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel><title>Wire</title>'
            f"<item><title>{title}</title><description>{body}</description></item></channel></rss>\n")


def _cli() -> object:
    from khaldun.cli import app

    return app


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


# ------------------------------------------------------------------ 1. feed encodings poison a store


@pytest.mark.parametrize("encoding, body", [
    ("GB2312", "\u519b\u961f\u5468\u4e00\u8bf4\u3002 " + SENTENCE),
    ("Shift_JIS", "\u8ecd\u306f\u6708\u66dc\u65e5\u3002 " + SENTENCE),
    ("Big5", "\u8ecd\u968a\u8aaa\u3002 " + SENTENCE),
    ("UTF-7", "A+- " + SENTENCE),
])
def test_feed_in_a_multibyte_encoding_is_decoded(tmp_path: Path, encoding: str, body: str) -> None:
    p = tmp_path / "feed.xml"
    p.write_bytes(_feed(encoding, body=body).encode(encoding.replace("_", "-").lower()))
    (art,) = _read(p)
    assert isinstance(art, RawArticle), art
    assert art.text == body and art.outlet == "Wire"


def test_feed_declaring_an_unknown_encoding_is_one_error(tmp_path: Path) -> None:
    p = tmp_path / "feed.rss"
    p.write_bytes(_feed("no-such-charset").encode("ascii"))
    (err,) = _read(p)
    assert isinstance(err, IngestError) and "no-such-charset" in err.reason and "unknown" in err.reason


def test_utf7_cannot_smuggle_an_entity_declaration(tmp_path: Path) -> None:
    p = tmp_path / "feed.xml"
    p.write_bytes(b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE r +AFs-+ADw-!ENTITY a "aaaa"+AD4-+AF0-+AD4-'
                  + _feed("UTF-7").split("?>", 1)[1].encode("ascii"))
    (err,) = _read(p)
    assert isinstance(err, IngestError) and "entity" in err.reason


def test_bad_feed_encodings_do_not_poison_a_store(tmp_path: Path) -> None:
    from khaldun.store import Store
    from khaldun.store.runner import run_ingest

    d = tmp_path / "in"
    d.mkdir()
    (d / "a.xml").write_bytes(_feed("bogus-8").encode("ascii"))
    (d / "b.xml").write_bytes(_feed("GB2312", body="\u4e00" * 3).encode("gb2312")[:-30])  # cut mid-way
    with Store.open(str(tmp_path / "k.db")) as store:
        for _ in range(2):  # the rerun meets the same files and still finishes
            rep = run_ingest([d], store)
            assert len(rep.errors) == 2 and rep.added == 0


# ------------------------------------------------------------------ 2. JSON nested too deeply


def test_json_nested_too_deeply_is_one_error(tmp_path: Path) -> None:
    deep = "[" * 3000 + "]" * 3000
    p = tmp_path / "deep.json"
    p.write_text(deep, encoding="utf-8")
    (err,) = _read(p)
    assert isinstance(err, IngestError) and "nested too deeply" in err.reason
    q = tmp_path / "deep.jsonl"
    q.write_text(json.dumps({"text": SENTENCE}) + "\n" + '{"text": "x", "more": ' + deep + "}\n"
                 + json.dumps({"text": SENTENCE + " Again."}) + "\n", encoding="utf-8")
    got = _read(q)
    assert [type(x).__name__ for x in got] == ["RawArticle", "IngestError", "RawArticle"]
    assert got[1].line == 2 and "nested too deeply" in got[1].reason
    # strings holding brackets are not nesting
    r = tmp_path / "ok.json"
    r.write_text(json.dumps({"text": SENTENCE, "note": "[" * 500}), encoding="utf-8")
    assert isinstance(_read(r)[0], RawArticle)


# ------------------------------------------------------------------ 3. a paragraph over 1M characters


def _huge_paragraph() -> str:
    return ("word " * 220_000).strip() + "."


def test_paragraph_over_a_million_characters_loses_no_other_input(tmp_path: Path) -> None:
    (tmp_path / "a_huge.txt").write_text(_huge_paragraph(), encoding="utf-8")
    (tmp_path / "b_good.txt").write_text(SENTENCE, encoding="utf-8")
    for command in ("analyze", "quotes"):
        res = CliRunner().invoke(_cli(), [command, str(tmp_path / "a_huge.txt"), str(tmp_path / "b_good.txt")])
        assert res.exit_code == 1, res.output
        assert res.exception is None or isinstance(res.exception, SystemExit)
        docs = json.loads(res.stdout)["documents"]
        assert len(docs) == 1 and docs[0]["text"] == SENTENCE
        assert "a_huge.txt" in res.stderr and "too long" in res.stderr


def test_pipeline_batch_survives_a_document_over_the_caps() -> None:
    from khaldun.pipeline import default_pipeline

    pipe = default_pipeline()
    before = len(pipe.errors)
    docs = list(pipe.analyze_many([dict(text=_huge_paragraph(), path="huge.txt"), dict(text=SENTENCE, path="ok.txt")]))
    assert len(docs) == 2 and docs[1].text == SENTENCE and docs[1].quotes
    new = pipe.errors[before:]
    del pipe.errors[before:]
    assert len(new) == 1 and new[0].startswith("huge.txt: ") and "too long" in new[0]


def test_paragraph_cap_applies_below_the_text_cap(tmp_path: Path) -> None:
    p = tmp_path / "long_para.txt"
    p.write_text("Short opening line.\n\n" + ("word " * (limits.MAX_PARAGRAPH_CHARS // 5 + 10)), encoding="utf-8")
    (err,) = _read(p)
    assert isinstance(err, IngestError) and "paragraph too long" in err.reason


# ------------------------------------------------------------------ 4. Rich markup in data


def test_rich_markup_in_a_title_or_key_is_printed_as_text(tmp_path: Path) -> None:
    (tmp_path / "f.xml").write_text(_feed("utf-8", title="[/red] and [bold]", body=""), encoding="utf-8")
    (tmp_path / "g.jsonl").write_text('{"[/red]": 1}\n', encoding="utf-8")
    res = CliRunner().invoke(_cli(), ["analyze", str(tmp_path / "f.xml"), str(tmp_path / "g.jsonl")])
    assert res.exit_code == 1, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert res.stderr.count("[/red]") == 2, res.stderr


# ------------------------------------------------------------------ 5. dateparser on a huge date


def test_huge_published_string_is_refused_before_parsing(tmp_path: Path) -> None:
    from khaldun.dates import parse_published
    from khaldun.ingest import iso_date

    huge = "Tuesday April " * 3000 + "2019"
    p = tmp_path / "d.jsonl"
    p.write_text(json.dumps({"text": SENTENCE, "published": huge}) + "\n", encoding="utf-8")
    (err,) = _read(p)
    assert isinstance(err, IngestError) and "date string too long" in err.reason
    assert iso_date(huge) is None
    with pytest.raises(ValueError, match="too long"):
        parse_published(huge)


# ------------------------------------------------------------------ 6. memory: total text cap


def test_text_over_the_total_cap_is_refused(tmp_path: Path) -> None:
    para = "The convoy reached the depot before dawn and the guards counted the crates twice. "
    text = "\n\n".join([para * 5] * (limits.MAX_TEXT_CHARS // (len(para) * 5) + 2))
    p = tmp_path / "big.txt"
    p.write_text(text, encoding="utf-8")
    (err,) = _read(p)
    assert isinstance(err, IngestError) and "text too long" in err.reason and err.path.endswith("big.txt")


# ------------------------------------------------------------------ 7. a total deadline per fetched URL


class _Trickle:
    """A local HTTP server that sends its headers, then one body byte every 0.1 s for up to 60 s."""

    def __init__(self, headers_slowly: bool = False) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.headers_slowly = headers_slowly
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.sock.settimeout(1.0)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n"
        try:
            conn.recv(4096)
            if self.headers_slowly:
                for b in head:
                    if self.stop.wait(0.1):
                        return
                    conn.sendall(bytes([b]))
            else:
                conn.sendall(head)
            for _ in range(600):
                if self.stop.wait(0.1):
                    return
                conn.sendall(b"a")
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.mark.parametrize("headers_slowly", [False, True])
def test_fetch_has_a_total_deadline_per_url(headers_slowly: bool) -> None:
    from khaldun.store.fetch import FetchError, fetch

    server = _Trickle(headers_slowly)
    box: dict[str, object] = {}

    def go() -> None:
        try:
            box["body"] = fetch(f"http://127.0.0.1:{server.port}/a", ["127.0.0.1"], timeout=2.0, deadline=1.5)
        except FetchError as exc:
            box["error"] = str(exc)

    t = threading.Thread(target=go, daemon=True)
    t.start()
    t.join(30)  # the server trickles for 60 s: only a deadline ends the fetch before
    server.close()
    assert not t.is_alive(), "fetch still running: no total deadline"
    assert "deadline" in str(box.get("error")), box


# ------------------------------------------------------------------ 8. PostgreSQL host that never answers


def test_postgres_host_that_never_answers_fails_within_the_connect_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    from khaldun.store import Store, StoreError

    monkeypatch.setattr(limits, "PG_CONNECT_TIMEOUT", 1)
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        srv.settimeout(0.5)
        while not stop.is_set():
            try:
                held.append(srv.accept()[0])  # accepted, never answered
            except OSError:
                continue

    threading.Thread(target=accept, daemon=True).start()
    box: dict[str, object] = {}

    def go() -> None:
        try:
            Store.open(f"postgresql://someone:hunter2secret@127.0.0.1:{srv.getsockname()[1]}/db", create=False)
        except StoreError as exc:
            box["error"] = str(exc)

    t = threading.Thread(target=go, daemon=True)
    t.start()
    t.join(60)
    stop.set()
    for c in held:
        c.close()
    srv.close()
    assert not t.is_alive(), "still connecting: no connect timeout"
    assert "error" in box and "hunter2secret" not in str(box["error"])


# ------------------------------------------------------------------ 9, 10. CSV formulas and dossier XSS


def _hostile_corpus(url: str, name: str) -> object:
    from datetime import date

    from khaldun.corpus.clusters import analyze_corpus
    from khaldun.embargo import check_claim
    from khaldun.models import Actor, Attribution, Claim, Document, Event, Evidence, Factuality, Source, When

    sup = Actor(text=name, name=name, id="TUR", kind="state", country="TUR")
    rec = Actor(text="LNA", id="org/lna", kind="armed_group", country="LBY", sector="MIL")
    claim = Claim(id="c1", event=Event(type="AID", trigger="sent", aid_type="military"), actors=[sup],
                  recipients=[rec], when=When(date="2020-05-15", precision="day", text="+15 May"),
                  factuality=Factuality(), attribution=Attribution(),
                  evidence=Evidence(text="@SUM(A1) it sent the goods", start=0, end=5, sentence=0))
    claim.embargo = check_claim(claim, date(2020, 5, 16))
    doc = Document(id="d1", source=Source(outlet="-Outlet", published="2020-05-16", url=url), claims=[claim],
                   title="=HYPERLINK(\"http://example.invalid\")", text="a story about a shipment today")
    return analyze_corpus([doc])


def test_acled_export_defuses_spreadsheet_formulas(tmp_path: Path) -> None:
    from khaldun.corpus.exports import write_export

    write_export(_hostile_corpus("https://example.org/a", "=cmd|' /C calc'!A0"), tmp_path, ["acled"])
    with (tmp_path / "acled.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    cells = [v for r in rows for v in r.values() if v]
    assert any("cmd|" in v for v in cells)
    bad = [v for v in cells if v[0] in "=+@\t\r" or (v[0] == "-" and not v.lstrip("-").replace(".", "").isdigit())]
    assert not bad, bad


def test_markdown_dossier_escapes_urls() -> None:
    from khaldun.corpus.dossier import build_dossier, dossier_markdown

    url = 'https://example.org/a"><script>alert(1)</script><img src=x onerror=alert(2)>(x)'
    corpus = _hostile_corpus(url, "Turkey")
    d = build_dossier(corpus.clusters, "LBY")
    md = dossier_markdown(d)
    assert "example.org/a" in md
    assert "<script" not in md and "<img" not in md and '"' not in md.split("example.org/a", 1)[1].split(")", 1)[0]


# ------------------------------------------------------------------ 11. passwords in errors


@pytest.mark.parametrize("command", [["clusters"], ["dossier", "--embargo", "libya"], ["export", "--out", "OUT"]])
def test_database_password_is_never_printed(tmp_path: Path, command: list[str]) -> None:
    port = socket.socket()
    port.bind(("127.0.0.1", 0))
    free = port.getsockname()[1]
    port.close()  # nothing listens there: refused at once
    args = [a.replace("OUT", str(tmp_path / "out")) for a in command]
    res = CliRunner().invoke(_cli(), [*args, "--db", f"postgresql://someone:hunter2secret@127.0.0.1:{free}/x"])
    assert res.exit_code == 2, res.output
    assert "hunter2secret" not in res.output and "someone" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1, res.stderr


# ------------------------------------------------------------------ 12. workers die with their parent


def _children(pid: int) -> set[int]:
    out = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.add(int(d.name))
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_ingest_with_workers_leaves_no_orphan(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    for i in range(40):
        (corpus / f"{i:03}.txt").write_text(f"Story {i}. " + SENTENCE, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "khaldun.store.cli", "ingest", str(corpus), "--db",
                             str(tmp_path / "k.db"), "--workers", "2", "--no-progress"], env=_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    for _ in range(600):  # wait (at most 60 s) until both analysis workers run
        time.sleep(0.1)
        workers = {c for c in _children(proc.pid) if "spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()
                   .decode(errors="replace") and "resource_tracker" not in Path(f"/proc/{c}/cmdline")
                   .read_bytes().decode(errors="replace")}
        if len(workers) >= 2 or proc.poll() is not None:
            break
    assert len(workers) >= 2, "the workers did not start"
    time.sleep(1.0)  # let them reach their initializer
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    for _ in range(300):  # at most 30 s for them to notice
        if not any(_alive(w) for w in workers):
            break
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:
        os.kill(w, signal.SIGKILL)
    assert not left, f"orphaned workers: {left}"


# ------------------------------------------------------------------ 13. corrupted, foreign or read-only store


def test_corrupted_or_foreign_store_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "garbage.db"
    bad.write_bytes(b"this is not a database at all\n" * 200)
    foreign = tmp_path / "other.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE documents (x)")  # someone else's SQLite file, with a clashing table
    con.commit()
    con.close()
    (tmp_path / "a.txt").write_text(SENTENCE, encoding="utf-8")
    for store in (bad, foreign):
        for args in (["store-info", "--db", str(store)], ["ingest", str(tmp_path / "a.txt"), "--db", str(store),
                                                           "--no-progress"]):
            res = CliRunner().invoke(_cli(), args)
            assert res.exit_code == 2, (args, res.output, res.exception)
            assert "Traceback" not in res.output and len(res.stderr.strip().splitlines()) == 1, res.stderr
            assert store.name in res.stderr


def _khaldun_without_override(args: list[str]) -> subprocess.CompletedProcess[str]:
    """`khaldun ARGS` in a process that file modes bind (as root: without CAP_DAC_OVERRIDE)."""
    cmd = [sys.executable, "-c", "from khaldun.cli import main; main()", *args]
    if os.geteuid() == 0:
        caps = "-dac_override,-dac_read_search"
        cmd = ["setpriv", "--bounding-set", caps, "--inh-caps", caps, *cmd]
    return subprocess.run(cmd, env=_env(), capture_output=True, text=True, timeout=300)


def test_read_only_database_file_is_a_one_line_error(tmp_path: Path) -> None:
    from khaldun.store import Store

    db = tmp_path / "k.db"
    Store.open(str(db)).close()
    os.chmod(db, 0o444)
    (tmp_path / "a.txt").write_text(SENTENCE, encoding="utf-8")
    res = _khaldun_without_override(["ingest", str(tmp_path / "a.txt"), "--db", str(db), "--no-progress"])
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert "k.db" in res.stderr and "read-only" in res.stderr


# ------------------------------------------------------------------ 14. two first-time ingests


def _open_and_run(path: str, barrier: object, q: object) -> None:
    from khaldun.store import Store, StoreError

    try:
        barrier.wait()  # type: ignore[attr-defined]
        with Store.open(path) as s:
            s.finish_run(s.start_run("test"))
        q.put("ok")  # type: ignore[attr-defined]
    except (StoreError, Exception) as exc:  # noqa: BLE001
        q.put(f"{type(exc).__name__}: {exc}")  # type: ignore[attr-defined]


def test_first_time_ingests_racing_on_a_new_sqlite_file(tmp_path: Path) -> None:
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    for round_ in range(3):
        path = str(tmp_path / f"new{round_}.db")
        barrier, q = ctx.Barrier(4), ctx.Queue()
        procs = [ctx.Process(target=_open_and_run, args=(path, barrier, q)) for _ in range(4)]
        for p in procs:
            p.start()
        got = [q.get(timeout=120) for _ in procs]
        for p in procs:
            p.join(30)
        assert got == ["ok"] * 4, got


# ------------------------------------------------------------------ 15. read-only directory


def test_read_only_commands_open_a_store_in_a_read_only_directory(tmp_path: Path) -> None:
    from khaldun.store import Store

    d = tmp_path / "ro"
    d.mkdir()
    db = d / "k.db"
    with Store.open(str(db)) as s:
        s.finish_run(s.start_run("test"))
    assert not Path(str(db) + "-wal").exists()
    os.chmod(d, 0o555)
    try:
        res = _khaldun_without_override(["store-info", "--db", str(db), "--json"])
    finally:
        os.chmod(d, 0o755)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["counts"]["runs"] == 1


# ------------------------------------------------------------------ 16. terminal escapes


def test_terminal_escape_sequences_are_not_printed(tmp_path: Path) -> None:
    esc_title = "\x1b]0;owned\x07\x1b[2J Headline\x9b31m"
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": SENTENCE, "title": esc_title}) + "\n"
                                      + json.dumps({"title": esc_title}) + "\n", encoding="utf-8")
    res = CliRunner().invoke(_cli(), ["analyze", str(tmp_path / "a.jsonl"), "--format", "text"])
    assert res.exit_code == 1
    assert "Headline" in res.stdout
    for stream in (res.stdout, res.stderr):
        assert "\x1b" not in stream and "\x9b" not in stream and "\x07" not in stream


# ------------------------------------------------------------------ 17. a huge registry alias


def test_registry_alias_over_the_cap_is_a_clear_error(tmp_path: Path) -> None:
    from khaldun.actors import ActorRegistry

    reg = tmp_path / "mine.yaml"
    reg.write_text("source: test\nentries:\n  - id: x/one\n    name: One Group\n    kind: armed_group\n"
                   f"    aliases: [\"{'a' * 1_000_000}\"]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="too long") as info:
        ActorRegistry.default().with_file(reg)
    assert str(reg) in str(info.value)
    res = CliRunner().invoke(_cli(), ["analyze", str(reg), "--registry", str(reg)])
    assert res.exit_code == 2 and "too long" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    csvp = tmp_path / "mine.csv"
    csvp.write_text("id,name,aliases\nx/two,Two Group," + "b" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="too long"):
        ActorRegistry.default().with_file(csvp)


# ------------------------------------------------------------------ --debug and one-line errors


def test_unexpected_errors_are_one_line_unless_debug(tmp_path: Path) -> None:
    code = ("import khaldun.cli as c, sys\n"
            "def boom(*a, **k):\n    raise RuntimeError('synthetic failure')\n"
            "import khaldun.pipeline as p\np.default_pipeline = boom\n"
            "sys.argv = ['khaldun'] + sys.argv[1:]\nc.main()\n")
    (tmp_path / "a.txt").write_text(SENTENCE, encoding="utf-8")
    plain = subprocess.run([sys.executable, "-c", code, "analyze", str(tmp_path / "a.txt")], env=_env(),
                           capture_output=True, text=True, timeout=120)
    assert plain.returncode == 1 and "Traceback" not in plain.stderr
    assert plain.stderr.strip().splitlines() == ["error: RuntimeError: synthetic failure (run with --debug for "
                                                 "the traceback)"]
    debug = subprocess.run([sys.executable, "-c", code, "--debug", "analyze", str(tmp_path / "a.txt")],
                           env=_env(), capture_output=True, text=True, timeout=120)
    assert debug.returncode == 1 and "Traceback" in debug.stderr and "synthetic failure" in debug.stderr


# ------------------------------------------------------------------ found by fuzzing (tests/test_fuzz.py)


def test_json_text_with_an_unpaired_surrogate_is_one_error(tmp_path: Path) -> None:
    """Found by test_fuzz_json_lines: '"\\ud800"' decoded to half a UTF-16 pair, which crashed the
    document id (UnicodeEncodeError) and so every ingest of the file."""
    from khaldun.store.runner import IngestOptions, document_id, to_item

    p = tmp_path / "s.jsonl"
    p.write_text('{"text": "\\ud800."}\n{"text": "Fine text.", "title": "half \\udc00 pair"}\n', encoding="utf-8")
    err, art = _read(p)
    assert isinstance(err, IngestError) and "surrogate" in err.reason and err.line == 1
    assert isinstance(art, RawArticle) and art.title == "half \ufffd pair"
    document_id(to_item(art, IngestOptions()))


def test_pipeline_refuses_an_unpaired_surrogate_and_keeps_the_batch() -> None:
    """Found by test_fuzz_analyze: half a surrogate pair in a text crashed spaCy's tokenizer
    (UnicodeEncodeError) and with it every document of the batch."""
    from khaldun.pipeline import default_pipeline

    pipe = default_pipeline()
    before = len(pipe.errors)
    docs = list(pipe.analyze_many([dict(text="The army said \ud800 on Monday.", path="s.txt"),
                                   dict(text=SENTENCE, path="ok.txt")]))
    new = pipe.errors[before:]
    del pipe.errors[before:]
    assert len(docs) == 2 and docs[1].text == SENTENCE
    assert len(new) == 1 and new[0].startswith("s.txt: ") and "surrogate" in new[0]


def test_reader_errors_are_one_line_whatever_the_data(tmp_path: Path) -> None:
    """Found by test_fuzz_json: a JSON key holding a newline was printed inside the error."""
    p = tmp_path / "k.json"
    p.write_text('{"a\\nb": null, "c\\u2028d": 1}', encoding="utf-8")
    (err,) = _read(p)
    assert isinstance(err, IngestError) and len(str(err).splitlines()) == 1 and "a\\nb" in str(err)
    q = tmp_path / "k.jsonl"  # a key that is half a surrogate pair: the error must still be storable text
    q.write_text('{"\\ud800": 1}\n', encoding="utf-8")
    (err,) = _read(q)
    str(err).encode("utf-8")


def test_pipeline_refuses_metadata_that_is_not_valid_unicode() -> None:
    """Found by test_fuzz_analyze: a title holding half a surrogate pair made a Document that could not
    be written out as JSON (PydanticSerializationError in `analyze`, a failed insert in `ingest`)."""
    from khaldun.pipeline import default_pipeline

    pipe = default_pipeline()
    before = len(pipe.errors)
    docs = list(pipe.analyze_many([dict(text=SENTENCE, title="\ud800", path="t.txt")]))
    new = pipe.errors[before:]
    del pipe.errors[before:]
    assert len(new) == 1 and "'title' is not valid Unicode" in new[0]
    docs[0].model_dump_json()


# ------------------------------------------------------------------ one bad input never stops a batch


def test_a_reader_bug_costs_one_input_not_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import khaldun.ingest as ingest_mod
    from khaldun.store import Store
    from khaldun.store.runner import run_ingest

    real = ingest_mod._read_text

    def boom(name: str, data: bytes) -> Iterator[object]:
        if "boom" in name:
            raise RuntimeError("synthetic reader bug")
        return real(name, data)

    monkeypatch.setattr(ingest_mod, "_read_text", boom)
    (tmp_path / "a_boom.txt").write_text(SENTENCE, encoding="utf-8")
    (tmp_path / "b_ok.txt").write_text(SENTENCE, encoding="utf-8")
    (tmp_path / "c.xml").write_bytes(_feed("bogus-8").encode("ascii"))
    res = CliRunner().invoke(_cli(), ["analyze", str(tmp_path / "a_boom.txt"), str(tmp_path / "b_ok.txt")])
    assert res.exit_code == 1 and len(json.loads(res.stdout)["documents"]) == 1
    assert "a_boom.txt" in res.stderr and "synthetic reader bug" in res.stderr
    with Store.open(str(tmp_path / "k.db")) as store:
        rep = run_ingest([tmp_path / "a_boom.txt", tmp_path / "c.xml"], store)
    assert len(rep.errors) == 2 and "synthetic reader bug" in rep.errors[0]


@pytest.mark.parametrize("value", ["Tue, 09 Apr 99999999999 23:30:00 GMT", "Tue, 09 Apr 2019 99999999999:30:00 GMT"])
def test_feed_date_too_large_for_a_datetime_is_no_date(value: str) -> None:
    """Found by tests/test_fuzz.py: an RFC 2822 date whose year or hour overflows crashed both date readers."""
    from khaldun.dates import parse_published
    from khaldun.ingest import iso_date

    assert iso_date(value) is None
    with pytest.raises(ValueError):
        parse_published(value)
