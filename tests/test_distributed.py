"""Tests for the Dask backfill (`khaldun ingest --dask`, `--parts`, `khaldun load`).

Small generated corpora; clusters on 127.0.0.1 only: a LocalCluster started by the run, and a
scheduler and a worker started here as separate processes with the `dask` command line.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from khaldun.store import Store
from khaldun.store.cli import register
from khaldun.store.distributed import DaskAddressError, PartsStore, load_parts, parse_address
from khaldun.store.runner import IngestOptions, document_id, run_ingest

sys.path.insert(0, str(Path(__file__).parent))
from pg_support import PG_URL, drop_pg_schema, pg_schema_url  # noqa: E402
from test_ingest_store import article, write_corpus  # noqa: E402

ROOT = Path(__file__).parent.parent
DASK = Path(sys.executable).parent / "dask"


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def _want(corpus: Path) -> set[str]:
    return {document_id(dict(text=p.read_text(encoding="utf-8"))) for p in sorted(corpus.glob("*.txt"))}


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1")


def test_parse_address() -> None:
    assert parse_address("local:3") == ("local", 3)
    assert parse_address("tcp://10.1.2.3:8786") == ("tcp://10.1.2.3:8786", None)
    assert parse_address("scheduler.lan:8786") == ("scheduler.lan:8786", None)
    for bad in ("local:0", "local:x", "tcp://", "8786", "http://a b:1"):
        with pytest.raises(DaskAddressError):
            parse_address(bad)


def _worker_callbacks(dask_worker: object) -> list[str]:
    return sorted(getattr(dask_worker, "periodic_callbacks", {}))


def test_local_cluster_workers_run_without_the_statistical_profiler() -> None:
    """The workers' stack sampler costs about a tenth of the analysis' CPU: a LocalCluster the run starts
    has it off (its periodic callbacks "profile" and "profile-cycle" are never registered)."""
    import dask

    from khaldun.store.distributed import open_client

    with dask.config.set({"distributed.worker.profile.enabled": True}):
        client, cluster = open_client("local:1")
        try:
            cbs = list(client.run(_worker_callbacks).values())
        finally:
            client.close()
            cluster.close()
    assert len(cbs) == 1 and "heartbeat" in cbs[0]
    assert "profile" not in cbs[0] and "profile-cycle" not in cbs[0]


def _callback_ms(dask_worker: object) -> dict[str, float]:
    return {k: v.callback_time for k, v in getattr(dask_worker, "periodic_callbacks", {}).items()}


def test_local_cluster_workers_wake_their_event_loop_rarely() -> None:
    """Each wake-up of a worker's event loop takes the GIL from the analysis thread: a LocalCluster the run
    starts ticks once a second (not every 20 ms), checks memory once a second (not every 100 ms) and samples
    the system every 2 s (not every 500 ms)."""
    from khaldun.store.distributed import open_client

    client, cluster = open_client("local:1")
    try:
        (ms,) = client.run(_callback_ms).values()
    finally:
        client.close()
        cluster.close()
    assert ms["tick"] >= 1000 and ms["memory_monitor"] >= 1000 and ms["monitor"] >= 2000


def test_bad_dask_address_is_a_one_line_usage_error(tmp_path: Path) -> None:
    write_corpus(tmp_path / "c", 1)
    res = CliRunner().invoke(_app(), ["ingest", str(tmp_path / "c"), "--db", str(tmp_path / "x.db"),
                                      "--dask", "nowhere", "--no-progress"])
    assert res.exit_code == 2
    assert "tcp://HOST:PORT" in res.output and "Traceback" not in res.output


@pytest.fixture
def url(tmp_path: Path) -> Iterator[str]:
    """PostgreSQL when the test server is there (the backfill's store), else SQLite (written by the client)."""
    if not PG_URL:
        yield str(tmp_path / "d.db")
        return
    u, schema = pg_schema_url(PG_URL)
    try:
        yield u
    finally:
        drop_pg_schema(PG_URL, schema)


def test_local_cluster_gives_the_local_ingests_store_and_resumes(tmp_path: Path, url: str) -> None:
    corpus = tmp_path / "c"
    files = write_corpus(corpus, 10)
    with Store.open(url) as s:
        # a first run on part of the input (in this process) stands for a run stopped half way
        r0 = run_ingest(files[:4], s, IngestOptions(batch_size=2))
        assert (r0.added, r0.errors) == (4, [])
        r = run_ingest([corpus], s, IngestOptions(dask="local:2", batch_size=2))
        assert (r.added, r.skipped, r.analysed, r.errors) == (6, 4, 6, [])
        assert {d.id for d in s.documents()} == _want(corpus)
        dask_docs = sorted((d.model_dump() for d in s.documents()), key=lambda d: d["id"])
    with Store.open(str(tmp_path / "ref.db")) as ref:
        run_ingest([corpus], ref, IngestOptions(batch_size=2))
        want_docs = sorted((d.model_dump() for d in ref.documents()), key=lambda d: d["id"])
    for d in dask_docs + want_docs:
        d.pop("source", None)  # paths and outlets are the same; the run ids are not
    assert [d["claims"] for d in dask_docs] == [d["claims"] for d in want_docs]
    assert dask_docs == want_docs


def test_parts_then_load_is_idempotent(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    write_corpus(corpus, 5)
    # the same text published by another outlet: a second appearance of one document
    (corpus / "copy.jsonl").write_text(json.dumps({"text": article(0), "outlet": "Another Wire"}) + "\n",
                                       encoding="utf-8")
    parts = tmp_path / "parts"
    res = CliRunner().invoke(_app(), ["ingest", str(corpus), "--parts", str(parts), "--dask", "local:1",
                                      "--batch-size", "2", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "5 documents added" in res.output
    names = sorted(p.name for p in parts.iterdir())
    assert names and all(n.startswith("part-") and n.endswith(".parquet") for n in names)
    # rerun into the same directory: everything is known, nothing new is written
    again = CliRunner().invoke(_app(), ["ingest", str(corpus), "--parts", str(parts), "--no-progress"])
    assert again.exit_code == 0 and "0 documents added" in again.output, again.output
    assert sorted(p.name for p in parts.iterdir()) == names
    assert len(PartsStore(parts).ids) == 5

    dbp = tmp_path / "l.db"
    res = CliRunner().invoke(_app(), ["load", str(parts), "--db", str(dbp)])
    assert res.exit_code == 0, res.output
    assert "5 documents added" in res.output
    with Store.open(str(dbp)) as s:
        assert {d.id for d in s.documents()} == _want(corpus)
        n = s.counts()
        assert n["documents"] == 5 and n["document_appearances"] == 6
        rep = load_parts(parts, s)
        assert (rep.documents, rep.added) == (5, 0)
        after = s.counts()
        assert after.pop("runs") == n.pop("runs") + 1 and after == n


def test_load_reports_a_damaged_partition_and_loads_the_others(tmp_path: Path) -> None:
    write_corpus(tmp_path / "c", 2)
    parts = tmp_path / "parts"
    r = run_ingest([tmp_path / "c"], PartsStore(parts), IngestOptions(batch_size=1))
    assert (r.added, r.errors) == (2, [])
    (parts / "part-zzz.parquet").write_bytes(b"not parquet at all")
    res = CliRunner().invoke(_app(), ["load", str(parts), "--db", str(tmp_path / "l.db")])
    assert res.exit_code == 1
    assert "part-zzz.parquet: not a khaldun partition" in res.output and "Traceback" not in res.output
    assert "2 documents added" in res.output
    res = CliRunner().invoke(_app(), ["load", str(tmp_path / "nothing"), "--db", str(tmp_path / "l.db")])
    assert res.exit_code == 2 and "not a directory" in " ".join(res.output.split())


def _wait_for(path: Path, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline:
        assert proc.poll() is None, "the dask process exited"
        time.sleep(0.1)
    assert path.exists()


def test_separate_scheduler_and_worker_processes_then_a_killed_client_resumes(tmp_path: Path) -> None:
    """A scheduler and a worker as their own processes (as on other machines); the ingest client is
    killed with SIGKILL mid-run and started again: every document once, none lost."""
    sched_file = tmp_path / "scheduler.json"
    procs: list[subprocess.Popen] = []
    log = (tmp_path / "dask.log").open("wb")
    try:
        procs.append(subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0",
                                       "--no-dashboard", "--scheduler-file", str(sched_file)],
                                      env=_env(), stdout=log, stderr=log))
        _wait_for(sched_file, procs[0])
        address = json.loads(sched_file.read_text())["address"]
        procs.append(subprocess.Popen([str(DASK), "worker", address, "--nthreads", "1", "--nworkers", "1",
                                       "--no-dashboard", "--host", "127.0.0.1"], env=_env(), stdout=log, stderr=log))
        corpus = tmp_path / "c"
        n = 24
        write_corpus(corpus, n)
        dbp = tmp_path / "k.db"
        cmd = [sys.executable, "-m", "khaldun.store.cli", "ingest", str(corpus), "--db", str(dbp),
               "--batch-size", "2", "--no-progress", "--dask", address]
        client = subprocess.Popen(cmd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        import sqlite3

        def stored() -> int:
            if not dbp.exists():
                return 0
            con = sqlite3.connect(f"file:{dbp}?mode=ro", uri=True, timeout=10)
            try:
                return con.execute("SELECT count(*) FROM documents").fetchone()[0]
            except sqlite3.OperationalError:
                return 0
            finally:
                con.close()

        deadline = time.monotonic() + 180
        while stored() < 4 and time.monotonic() < deadline and client.poll() is None:
            time.sleep(0.05)
        client.send_signal(signal.SIGKILL)
        client.wait(timeout=30)
        before = stored()
        assert client.returncode == -signal.SIGKILL, client.stderr.read() if client.stderr else ""
        assert 4 <= before < n
        done = subprocess.run(cmd, env=_env(), capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert f"{n - before} documents added" in done.stdout and f"{before} skipped" in done.stdout
        with Store.open(str(dbp)) as s:
            assert {d.id for d in s.documents()} == _want(corpus)
            assert s.counts()["documents"] == n and s.counts()["document_appearances"] == n
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        log.close()


_FAULTS = """
import os, sys
import numpy as np
from khaldun.store.distributed import roomy_malloc
applied = roomy_malloc() if sys.argv[1] == "roomy" else False
def faults():
    with open(f"/proc/{os.getpid()}/stat") as fh:
        return int(fh.read().split(")")[-1].split()[7])
for _ in range(5):
    np.ones(1 << 18).sum()
before = faults()
for _ in range(200):
    np.ones(1 << 18).sum()  # 2 MiB, allocated and freed as spaCy's layers do their arrays
print(applied, faults() - before)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator and /proc")
def test_dask_workers_allocator_is_given_back_its_room() -> None:
    """Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536, which makes every large array a fresh
    mmap (page faults at each allocation); `roomy_malloc`, run by each worker before its pipeline, undoes it."""
    env = {**os.environ, "MALLOC_TRIM_THRESHOLD_": "65536"}
    out = {}
    for how in ("plain", "roomy"):
        res = subprocess.run([sys.executable, "-c", _FAULTS, how], env=env, capture_output=True, text=True, check=True)
        applied, faults = res.stdout.split()
        out[how] = (applied, int(faults))
    assert out["roomy"][0] == "True" and out["plain"][0] == "False"
    assert out["plain"][1] > 20_000  # ~512 pages touched anew per array
    assert out["roomy"][1] < out["plain"][1] / 10
