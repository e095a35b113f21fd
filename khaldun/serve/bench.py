"""Read latency of the workbench under load: 8 API readers while an ingest writes (`khaldun bench --serve`).

:func:`run_load` starts the server (uvicorn, in a thread, on a free 127.0.0.1 port) over a store,
runs ``readers`` threads that cycle through the read endpoints while one writer thread adds
documents to the same store through its own :class:`~khaldun.store.Store` (as a concurrent
`khaldun ingest` would), and returns every request's endpoint, status and latency, and every
error. :func:`run_serve_bench` does that on a temporary SQLite store of generated documents and
reports p50/p95 per endpoint. The load test (tests/test_serve_load.py) runs :func:`run_load` on
SQLite and PostgreSQL and asserts zero errors (no timing assertions).
"""

from __future__ import annotations

import random
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..models import Actor, Claim, Document, Event, Evidence, Factuality, Materiel, Place, Source, When

__all__ = ["ServerThread", "free_port", "generated_documents", "run_load", "run_serve_bench", "percentile"]

READERS = 8


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerThread:
    """uvicorn serving ``app`` on 127.0.0.1 in a daemon thread; a context manager (stops on exit)."""

    def __init__(self, app: Any, port: int | None = None) -> None:
        import uvicorn

        self.port = port or free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="error",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the test server did not start on port {self.port}")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def generated_documents(n: int, seed: int = 11, start: int = 0) -> list[Document]:
    """``n`` small documents with 3 claims each over a fictional world (states S00..S19, groups g0..g29)."""
    rng = random.Random(seed + start)
    states = [f"S{i:02d}" for i in range(20)]
    types = ["AID", "ASSAULT", "ACCUSE", "MOBILIZE", "COERCE"]
    docs = []
    for i in range(start, start + n):
        pub = date(2020, 1, 1) + timedelta(days=rng.randrange(365))
        text = f"Report {i}. " + " ".join(f"{rng.choice(states)} acted." for _ in range(12))
        claims = []
        for k in range(3):
            a, r = rng.sample(states, 2)
            claims.append(Claim(
                id=f"g{i:07d}{k}", event=Event(type=rng.choice(types), trigger="acted"),
                actors=[Actor(text=a, id=a, kind="state", country=a)],
                recipients=[Actor(text=r, id=r, kind="state", country=r)],
                materiel=[Materiel(text="rifles", category="small_arms")] if k == 0 else [],
                location=Place(text=r, kind="country", country=r),
                when=When(date=(pub - timedelta(days=rng.randrange(5))).isoformat(), precision="day"),
                factuality=Factuality(), evidence=Evidence(text=text[:9], start=0, end=9, sentence=0)))
        docs.append(Document(id=f"{i:064x}", source=Source(outlet=f"Outlet {i % 7}", published=pub.isoformat()),
                             title=f"Report {i}", text=text, claims=claims))
    return docs


def percentile(xs: Sequence[float], p: float) -> float:
    ys = sorted(xs)
    if not ys:
        return float("nan")
    k = min(len(ys) - 1, max(0, round(p / 100 * (len(ys) - 1))))
    return ys[k]


def _endpoints(docs: Sequence[Document]) -> list[tuple[str, str]]:
    d = docs[0]
    c = d.claims[0] if d.claims else None
    out = [("claims", "/api/v1/claims?limit=50"), ("claims?type", "/api/v1/claims?type=AID&limit=20"),
           ("claims?q", "/api/v1/claims?q=rifles&limit=20"), ("clusters", "/api/v1/clusters?limit=20"),
           ("document", f"/api/v1/documents/{d.id}")]
    if c is not None:
        out.append(("claim", f"/api/v1/claims/{c.id}"))
    return out


def _reader(base: str, endpoints: list[tuple[str, str]], stop: threading.Event, rounds: int,
            out: list[tuple[str, int, float]], errors: list[str], seed: int) -> None:
    import httpx

    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=120) as client:
        done = 0
        while done < rounds or not stop.is_set():
            name, path = rng.choice(endpoints)
            t0 = time.perf_counter()
            try:
                r = client.get(path)
                dt = time.perf_counter() - t0
                out.append((name, r.status_code, dt))
                if r.status_code != 200:
                    errors.append(f"{path}: HTTP {r.status_code} {r.text[:200]}")
            except httpx.HTTPError as exc:
                errors.append(f"{path}: {type(exc).__name__}: {exc}")
            done += 1


def _writer(url: str, docs: Sequence[Document], batch: int, errors: list[str]) -> None:
    from ..store import Store

    try:
        with Store.open(url) as store:
            run = store.start_run("khaldun serve load: writer")
            for k in range(0, len(docs), batch):
                store.add_documents(docs[k:k + batch], run)
            store.finish_run(run)
    except Exception as exc:  # reported as a load error, with its cause
        errors.append(f"writer: {type(exc).__name__}: {exc}")


def run_load(url: str, written: Sequence[Document], readers: int = READERS, rounds: int = 20, batch: int = 4,
             endpoints: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    """Serve the store at ``url`` and read it with ``readers`` threads while ``written`` is ingested.

    Each reader makes at least ``rounds`` requests and goes on until the writer is done; the clusters they
    read are the stored ones, which the writer's commits update."""
    from ..store import Store
    from .app import create_app
    from .data import Data

    with Store.open(url) as store:
        first = next(store.documents(limit=1), None)
    eps = endpoints or _endpoints([first] if first else list(written))
    data = Data(url)
    data.warm()
    app = create_app(data=data)
    results: list[tuple[str, int, float]] = []
    errors: list[str] = []
    stop = threading.Event()
    t0 = time.perf_counter()
    try:
        with ServerThread(app) as srv:
            threads = [threading.Thread(target=_reader, args=(srv.url, eps, stop, rounds, results, errors, i))
                       for i in range(readers)]
            for t in threads:
                t.start()
            _writer(url, written, batch, errors)
            stop.set()
            for t in threads:
                t.join()
    finally:
        data.close()
    return dict(requests=results, errors=errors, seconds=time.perf_counter() - t0, written=len(written),
                readers=readers)


def summarize(res: dict[str, Any]) -> dict[str, dict[str, float]]:
    by: dict[str, list[float]] = {}
    for name, _, dt in res["requests"]:
        by.setdefault(name, []).append(dt)
    by["all"] = [dt for _, _, dt in res["requests"]]
    return {k: dict(n=len(v), p50_ms=round(percentile(v, 50) * 1000, 1), p95_ms=round(percentile(v, 95) * 1000, 1))
            for k, v in by.items()}


def run_serve_bench(stored: int = 500, written: int = 200, readers: int = READERS, rounds: int = 50,
                    directory: Path | None = None, emit: Callable[[str], None] | None = None) -> str:
    """p50/p95 of the read endpoints on a temporary SQLite store of ``stored`` generated documents
    (3 claims each), under ``readers`` concurrent readers while ``written`` more are ingested."""
    import json

    from ..store import Store

    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        url = f"sqlite:///{Path(tmp) / 'serve-bench.db'}"
        with Store.open(url) as store:
            run = store.start_run("khaldun bench --serve")
            store.add_documents(generated_documents(stored), run)
            store.finish_run(run)
        res = run_load(url, generated_documents(written, start=stored), readers=readers, rounds=rounds)
    stats = summarize(res)
    lines = [f"khaldun bench --serve: {readers} readers over HTTP while {written} documents are ingested into an "
             f"SQLite store of {stored} ({3 * stored} claims); {len(res['requests'])} requests in "
             f"{res['seconds']:.1f} s, {len(res['errors'])} error(s)",
             f"{'endpoint':14}{'requests':>10}{'p50 ms':>10}{'p95 ms':>10}"]
    for k, v in stats.items():
        lines.append(f"{k:14}{v['n']:>10}{v['p50_ms']:>10}{v['p95_ms']:>10}")
    lines += [f"error: {e}" for e in res["errors"][:5]]
    lines.append(json.dumps({"errors": len(res["errors"]), "requests": len(res["requests"]), **{
        k: v["p95_ms"] for k, v in stats.items()}}))
    return "\n".join(lines)
