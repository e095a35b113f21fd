"""Backfill on Dask: `khaldun ingest PATH... --dask ADDRESS` analyses on the workers of a Dask cluster.

The run is :func:`khaldun.store.runner.run_ingest` unchanged; only the analysis moves:

* The **client** (the `khaldun ingest` process) reads the inputs, computes each article's document id
  (sha256 of the normalized body) and drops what is stored or already seen, exactly as a local ingest
  does. What is left is cut into chunks of ``--batch-size`` articles (the partitions of the input).
* Each chunk is one Dask task: :func:`analyze_chunk` runs on a worker with that worker's own
  :class:`~khaldun.pipeline.Pipeline`, built once per worker process (:class:`PipelinePlugin`, or lazily by
  the first task a worker runs) and kept for every later task. Workers need the same khaldun install
  as the client; they never open the database and need no access to the input files.
* At most ``2 x`` the cluster's threads chunks are in flight, so the client's memory stays flat.
  The analysed documents come back to the client, which commits each chunk in one transaction,
  in input order, to the store (PostgreSQL or SQLite) or, with ``--parts DIR``, to a Parquet
  partition (:class:`PartsStore`) that `khaldun load DIR --db URL` bulk-loads later.

Resuming is the local ingest's: documents are keyed by their text's hash, so a run killed at any
moment (client, scheduler or a worker) leaves whole chunks or nothing, and the same command run
again skips what was committed and does the rest. A worker that dies mid-task has its task re-run
elsewhere by the scheduler; if the cluster cannot finish a task the run stops with
:class:`~khaldun.store.runner.IngestFailed` (what was committed stays).

``ADDRESS`` is ``tcp://HOST:8786`` (a running ``dask scheduler``) or ``local:N``: a LocalCluster of
``N`` worker processes with one thread each, started and stopped by the run.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
import uuid
from collections import deque
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin

from ..models import Document
from .schema import appearance_key
from .store import Appearance

__all__ = ["DaskAnalyser", "PartsStore", "PipelinePlugin", "analyze_chunk", "load_parts", "open_client",
           "parse_address", "roomy_malloc"]

_LOCAL = re.compile(r"local(?::(\d+))?$")
_PIPE: Any = None
_PIPE_LOCK = threading.Lock()


class DaskAddressError(ValueError):
    """An unusable ``--dask`` value."""


def parse_address(address: str) -> tuple[str, int | None]:
    """``("local", N)`` for ``local:N`` (``local`` alone: one worker per core), else ``(address, None)``."""
    a = address.strip()
    m = _LOCAL.match(a)
    if m:
        n = int(m.group(1)) if m.group(1) else (os.cpu_count() or 1)
        if n < 1:
            raise DaskAddressError(f"--dask {address}: a LocalCluster needs at least one worker")
        return "local", n
    if not re.match(r"^(tcp|tls|ucx|inproc)://[^\s/]+$", a) and not re.match(r"^[\w.\-\[\]:]+:\d+$", a):
        raise DaskAddressError(f"--dask {address}: expected tcp://HOST:PORT (a dask scheduler) or local:N")
    return a, None


# --------------------------------------------------------------------------------------------
# on the workers
# --------------------------------------------------------------------------------------------


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc mallopt parameters


def roomy_malloc(trim: int = 128 << 20, mmap_at: int = 32 << 20) -> bool:
    """Undo what Dask's nanny does to each worker's allocator (``MALLOC_TRIM_THRESHOLD_=65536`` in its
    environment): that fixes glibc's thresholds, so every array of more than 128 KiB spaCy allocates is a
    fresh mmap and every free a munmap, ~120,000 page faults and a tenth more CPU for 48 articles
    (measured). Large blocks come from the heap again, and it is trimmed past ``trim``. glibc only;
    returns whether it applied."""
    if not os.environ.get("MALLOC_TRIM_THRESHOLD_") or not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, mmap_at)) and bool(libc.mallopt(_M_TRIM_THRESHOLD, trim))
    except (OSError, AttributeError):
        return False


def _worker_pipeline() -> Any:
    """This worker process's pipeline, built on first use (threads of one worker share it under a lock)."""
    global _PIPE
    with _PIPE_LOCK:
        if _PIPE is None:
            from .runner import worker_pipeline

            roomy_malloc()

            _PIPE = worker_pipeline()  # built, settled and warmed up
        return _PIPE


class PipelinePlugin(WorkerPlugin):
    """A Dask WorkerPlugin: load the pipeline when a worker joins, not in its first task."""

    name = "khaldun-pipeline"

    def setup(self, worker: Any) -> None:
        _worker_pipeline()

    def teardown(self, worker: Any) -> None:  # pragma: no cover - nothing to release
        return None


def analyze_chunk(items: list[dict[str, Any]]) -> list[tuple[bytes | None, str | None]]:
    """One Dask task: analyse a chunk on this worker (see :func:`khaldun.store.runner.analyze_items`); each
    document comes back packed as it is made (:func:`khaldun.store.wire.pack`: cheaper than plain pickle on
    both sides). The client rebuilds them (:func:`khaldun.store.wire.unpack_results`)."""
    from .runner import analyze_items
    from .wire import pack

    pipe = _worker_pipeline()
    with _PIPE_LOCK:  # a Pipeline is not thread-safe; workers are meant to run one thread each
        return analyze_items(pipe, items, pack)  # type: ignore[return-value]


def _analyse_all(items: list[dict[str, Any]]) -> int:
    """Analyse ``items`` on this worker, results dropped (``DaskAnalyser.warm``)."""
    analyze_chunk(items)
    return os.getpid()


# --------------------------------------------------------------------------------------------
# on the client
# --------------------------------------------------------------------------------------------


def open_client(address: str) -> tuple[Any, Any]:
    """``(client, cluster)``; ``cluster`` is the LocalCluster this call started, else None."""
    import dask
    from distributed import Client, LocalCluster

    where, n = parse_address(address)
    # Dask logs a lost scheduler or worker as tracebacks; the run says it in one line (IngestFailed)
    for name in ("distributed", "distributed.client", "distributed.core", "distributed.comm"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    # a worker killed mid-task: its tasks go to another worker, up to three times. The workers' statistical
    # profiler (a stack sample every 10 ms, for the dashboard) costs about a tenth of the analysis' CPU:
    # off for the workers this run starts (a LocalCluster's nannies pass this config on); a separately
    # started worker reads its own (DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False, see the README).
    # Likewise the event loop's housekeeping: a tick every 20 ms, the memory monitor every 100 ms and the
    # system monitor every 500 ms wake a second thread in each worker that takes the GIL from the analysis
    # ~65 times a second: 0.11 s of CPU per idle worker per 5 s, and a tenth more CPU for the same chunks
    # (measured; 0.02 s and a hundredth at these intervals, which only bound how soon a blocked loop or a
    # worker near its memory limit is noticed)
    dask.config.set({"distributed.scheduler.allowed-failures": 3, "distributed.worker.profile.enabled": False,
                     "distributed.admin.tick.interval": "1s", "distributed.worker.memory.monitor-interval": "1s",
                     "distributed.admin.system-monitor.interval": "2s"})
    if where == "local":
        # ":0": the scheduler's HTTP endpoint on a free port of 127.0.0.1 (never a fixed, maybe taken, one)
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                               host="127.0.0.1", silence_logs=logging.CRITICAL)
        return Client(cluster), cluster
    try:
        return Client(where, timeout=30), None
    except (OSError, TimeoutError) as exc:
        raise DaskAddressError(f"--dask {address}: cannot reach the scheduler ({exc})") from exc


class DaskAnalyser:
    """The local ingest's analyser (``submit``/``full``/``pop``), with chunks as Dask tasks."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.client: Any = None
        self.cluster: Any = None
        self.queue: deque[tuple[list[tuple[str, dict[str, Any]]], Any]] = deque()
        self.threads = 1

    def __enter__(self) -> DaskAnalyser:
        from .runner import IngestFailed

        try:
            self.client, self.cluster = open_client(self.address)
            self.client.register_plugin(PipelinePlugin(), name=PipelinePlugin.name)
        except DaskAddressError as exc:
            raise IngestFailed(str(exc)) from exc
        except Exception as exc:  # noqa: BLE001  e.g. a worker that cannot import khaldun
            self.__exit__()
            raise IngestFailed(f"the Dask cluster cannot start the pipeline: {type(exc).__name__}: {exc}") from exc
        self.threads = max(1, sum(self.client.nthreads().values()))
        return self

    def __exit__(self, *exc: object) -> None:
        for f in (getattr(fut, "cancel", None) for _, fut in self.queue):
            if f is not None:
                f()
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    @property
    def full(self) -> bool:
        return len(self.queue) >= 2 * self.threads

    def ready(self, timeout: float = 600.0) -> None:
        """Wait until the LocalCluster's workers have all joined with their pipeline loaded and warmed up
        (the plugin does it as a worker joins); a running cluster is taken as it is."""
        if self.cluster is not None:
            self.client.wait_for_workers(len(self.cluster.workers), timeout=timeout)
            self.threads = max(1, sum(self.client.nthreads().values()))

    def warm(self, items: list[dict[str, Any]]) -> None:
        """Every worker analyses all of ``items`` once, results dropped (see `_Analyser.warm`)."""
        self.client.run(_analyse_all, items)

    def submit(self, chunk: list[tuple[str, dict[str, Any]]]) -> None:
        items = [it for _, it in chunk]
        self.queue.append((chunk, self.client.submit(analyze_chunk, items, pure=False)))

    def pop(self) -> tuple[list[tuple[str, dict[str, Any]]], list[tuple[Document | None, str | None]]]:
        from distributed import KilledWorker

        from .runner import _AGAIN, IngestFailed, _where
        from .wire import unpack_results

        chunk, fut = self.queue.popleft()
        try:
            res = unpack_results(fut.result())
        except KilledWorker as exc:
            raise IngestFailed(f"Dask workers kept dying on a chunk ({exc}); {_AGAIN}") from exc
        except (OSError, TimeoutError) as exc:
            raise IngestFailed(f"lost the Dask scheduler ({type(exc).__name__}: {exc}); {_AGAIN}") from exc
        except Exception as exc:  # noqa: BLE001  a task that raised: name every article of the chunk
            if self.client.status != "running" or type(exc).__name__ in ("CancelledError", "CommClosedError"):
                raise IngestFailed(f"lost the Dask cluster ({type(exc).__name__}: {exc}); {_AGAIN}") from exc
            res = [(None, f"{_where(it)}: analysis failed (dask: {type(exc).__name__}: {exc})") for _, it in chunk]
        self.threads = max(1, sum(self.client.nthreads().values()) or self.threads)
        return chunk, res


# --------------------------------------------------------------------------------------------
# Parquet partitions
# --------------------------------------------------------------------------------------------

_PART_SCHEMA_VERSION = 1


class PartsStore:
    """A directory of Parquet partitions standing in for a :class:`~khaldun.store.store.Store` in ingest.

    Each committed chunk is one file ``part-<run>-<n>.parquet`` (written to a temporary name, then
    renamed: a killed run leaves whole partitions or none), with one row per document: ``id``, ``kind``
    (``document`` or ``appearance``) and ``data`` (the document, or the appearance, as JSON). The ids
    of every partition in the directory count as stored, so a rerun into the same directory skips
    them. Errors and runs are not kept (they are printed by `khaldun ingest`).
    """

    def __init__(self, directory: str | Path) -> None:
        self.dir = Path(directory)
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            from .store import StoreError

            raise StoreError(f"cannot create the parts directory {self.dir}: {exc.strerror}") from exc
        self.ids: set[str] = set()
        self.seen: set[tuple[str, str]] = set()  # appearances written (text, outlet, URL)
        for p in sorted(self.dir.glob("part-*.parquet")):
            for i, k, outlet, url in _read_keys(p):
                self.seen.add((i, appearance_key(outlet, url)))
                if k == "document":
                    self.ids.add(i)
        self.seq = 0
        self.run_tag = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
        self.added = self.claims = self.appearances_added = 0

    url = property(lambda self: f"parquet partitions in {self.dir}")
    dialect = "parquet"

    def close(self) -> None:
        return None

    def start_run(self, command: str | None = None) -> int:
        return 0

    def finish_run(self, run_id: int, skipped: int = 0, status: str = "finished") -> dict[str, int]:
        return dict(documents_added=self.added, appearances_added=self.appearances_added,
                    claims_added=self.claims, errors=0, documents_skipped=skipped)

    def record_error(self, run_id: int | None, path: str, reason: str, line: int | None = None) -> None:
        return None

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        return {i for i in ids if i in self.ids}

    def _write(self, rows: list[tuple[str, str, Appearance, str]]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not rows:
            return
        self.seq += 1
        name = f"part-{self.run_tag}-{self.seq:06d}.parquet"
        for r in rows:
            self.seen.add((r[0], appearance_key(r[2].outlet, r[2].url)))
        table = pa.table({"id": [r[0] for r in rows], "kind": [r[1] for r in rows],
                          "outlet": [r[2].outlet for r in rows], "url": [r[2].url for r in rows],
                          "data": [r[3] for r in rows]}, metadata={"khaldun_parts": str(_PART_SCHEMA_VERSION)})
        tmp = self.dir / f".{name}.tmp"
        pq.write_table(table, tmp, compression="zstd")
        with tmp.open("rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, self.dir / name)

    def add_documents(self, docs: Iterable[Document], run_id: int | None = None) -> tuple[int, int]:
        rows: list[tuple[str, str, Appearance, str]] = []
        skipped = 0
        for d in docs:
            if d.id in self.ids:
                skipped += 1
                continue
            self.ids.add(d.id)
            rows.append((d.id, "document", Appearance.of(d), d.model_dump_json()))
            self.claims += len(d.claims)
        self._write(rows)
        self.added += len(rows)
        self.appearances_added += len(rows)
        return len(rows), skipped

    def add_appearances(self, appearances: Iterable[Appearance], run_id: int | None = None) -> list[Appearance]:
        aps = list(appearances)
        keep = list({(ap.document_id, appearance_key(ap.outlet, ap.url)): ap for ap in aps if ap.document_id in self.ids
                     and (ap.document_id, appearance_key(ap.outlet, ap.url)) not in self.seen}.values())
        self._write([(ap.document_id, "appearance", ap, json.dumps(ap._asdict(), ensure_ascii=False)) for ap in keep])
        self.appearances_added += len(keep)
        return [ap for ap in aps if ap.document_id not in self.ids]


def _read_keys(path: Path) -> list[tuple[str, str, str | None, str | None]]:
    import pyarrow.parquet as pq

    try:
        t = pq.read_table(path, columns=["id", "kind", "outlet", "url"])
    except Exception:  # noqa: BLE001  not a partition of ours: `khaldun load` reports it
        return []
    cols = [t.column(c).to_pylist() for c in ("id", "kind", "outlet", "url")]
    return list(zip(*cols, strict=True))


class LoadReport:
    def __init__(self) -> None:
        self.parts = self.documents = self.added = self.appearances = self.claims = 0
        self.errors: list[str] = []


def load_parts(directory: str | Path, store: Any, batch: int = 64, command: str | None = None) -> LoadReport:
    """Bulk-load every partition under ``directory`` into ``store`` (idempotent: stored ids are skipped).

    A partition that cannot be read is reported (``PATH: reason``) and the others are loaded."""
    import pyarrow.parquet as pq

    rep = LoadReport()
    run_id = store.start_run(command)
    status = "failed"
    try:
        for p in sorted(Path(directory).glob("part-*.parquet")):
            try:
                t = pq.read_table(p)
                rows = list(zip(t.column("id").to_pylist(), t.column("kind").to_pylist(),
                                t.column("data").to_pylist(), strict=True))
            except Exception as exc:  # noqa: BLE001  a damaged or foreign file
                rep.errors.append(f"{p}: not a khaldun partition ({type(exc).__name__}: {exc})")
                store.record_error(run_id, str(p), "not a khaldun partition")
                continue
            rep.parts += 1
            docs = [Document.model_validate_json(d) for _, k, d in rows if k == "document"]
            rep.documents += len(docs)
            known = store.existing_ids(d.id for d in docs)
            for k in range(0, len(docs), batch):
                part = [d for d in docs[k:k + batch] if d.id not in known]
                if part:
                    store.add_documents(part, run_id)
            aps = [Appearance(**json.loads(d)) for _, k, d in rows if k == "appearance"]
            if aps:
                store.add_appearances(aps, run_id)
        status = "finished"
    finally:
        counts = store.finish_run(run_id, status=status)
        rep.added, rep.claims, rep.appearances = (counts["documents_added"], counts["claims_added"],
                                                  counts["appearances_added"])
    return rep
