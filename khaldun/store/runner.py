"""`khaldun ingest` as a function: read inputs, skip what is stored, analyse the rest, commit in batches.

The flow, and why it is shaped so:

1. **Inputs** are expanded to a list of files (directories walked in sorted order, hidden names
   skipped, as :func:`khaldun.ingest.read_paths` does) and URLs. WARC files go through
   :mod:`khaldun.store.warc`, URLs through :mod:`khaldun.store.fetch` (refused unless
   ``fetch_urls``), everything else through :func:`khaldun.ingest.read_paths`.
2. **Before any analysis** each article's document id is computed exactly as the pipeline does
   (sha256 of the normalized, furniture-stripped body), and articles already stored, or already
   seen in this run, are not analysed again. Their outlet and URL are still recorded, as an
   appearance of the stored text (:meth:`Store.add_appearances`; an appearance already recorded
   adds nothing), so wire copy that several outlets ran word for word counts every outlet.
   Re-running an ingest therefore costs a read and a hash per article, not an analysis.
3. **Analysis** runs on chunks of ``batch_size`` new articles: in this process with
   ``workers=1``, otherwise in ``workers`` processes, each with its own :class:`Pipeline`
   (spawned, not forked, so no child ever shares the parent's database connections). At most
   ``2 * workers`` chunks are in flight, so memory stays flat on any corpus size.
4. **Only this process writes**: each analysed chunk is one transaction
   (:meth:`Store.add_documents`), committed in input order. A process killed at any moment
   leaves whole chunks or nothing; the next run skips what was committed (step 2) and does the
   rest. No duplicate can appear: the document id is the primary key, and an appearance is unique
   per document, outlet and URL. An appearance of a text still in analysis waits until the text is
   committed; if its analysis fails, the next run records it with the text.

Errors never stop the run: an unreadable file, a bad JSON line, a refused URL, a damaged WARC
record or a failed analysis is stored in ``ingest_errors`` with the run id and listed in the
report; the analysed documents around it are kept.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..ingest import IngestError, RawArticle, capped, guarded, read_paths
from ..limits import FETCH_DEADLINE
from ..models import NO_CLAIM_WARNING, UNDATED_WARNING, Document
from ..text import normalize, strip_furniture
from .fetch import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, fetch_articles, is_url
from .store import Appearance, Store
from .warc import NotArticle, is_warc, read_warc

__all__ = ["IngestFailed", "IngestOptions", "IngestReport", "analyze_items", "appearance", "document_id",
           "expand_paths", "read_input", "run_ingest", "warm_up", "worker_pipeline"]

Item = dict[str, Any]
Result = tuple[Document | None, str | None]


@dataclass
class IngestOptions:
    """What `khaldun ingest` was asked to do beyond the paths.

    ``published`` (ISO date) and ``outlet`` override what the files say, as in `khaldun analyze`.
    """

    workers: int = 1
    published: str | None = None
    outlet: str | None = None
    fetch_urls: bool = False
    allow_hosts: tuple[str, ...] = ()
    fetch_timeout: float = DEFAULT_TIMEOUT
    fetch_max_bytes: int = DEFAULT_MAX_BYTES
    batch_size: int = 8
    fetch_deadline: float = FETCH_DEADLINE
    dask: str | None = None  # analyse on a Dask cluster: tcp://HOST:PORT or local:N (khaldun.store.distributed)
    meta: dict[str, dict[str, str]] | None = None  # --meta CSV rows (khaldun.ingest.load_meta_csv)


COUNTED_WARNINGS = frozenset({UNDATED_WARNING, NO_CLAIM_WARNING})


@dataclass
class IngestReport:
    """What a run did. ``errors`` are ``PATH[:LINE]: reason`` lines, in the order met.

    ``added``: new texts (documents); ``appearances``: new (text, outlet, URL) records, one per added
    document plus each new outlet or URL of a text already stored; ``skipped``: articles not analysed
    because their text was stored or seen before (new appearances among them included).
    """

    run_id: int
    inputs: int = 0
    inputs_done: int = 0
    added: int = 0
    appearances: int = 0
    skipped: int = 0
    analysed: int = 0
    claims: int = 0
    not_articles: int = 0
    undated: int = 0  # documents added without a publication date (their Document.warnings say so)
    no_claims: int = 0  # documents added with no claim
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # documents stored with a warning of their analysis ("language 'fa' is not analyzed: no claims"): "PATH: warning"
    warnings: list[str] = field(default_factory=list)


Progress = Callable[[IngestReport], None]


class IngestFailed(RuntimeError):
    """The run cannot go on (the pipeline cannot be built, an analysis worker died). What was committed
    stays; running the same command again resumes."""


# --------------------------------------------------------------------------------------------
# inputs
# --------------------------------------------------------------------------------------------


def expand_paths(paths: Sequence[str | Path]) -> list[str]:
    """Files and URLs to read, in order: directories walked (sorted, hidden names skipped, each real
    directory once); a path that cannot be examined is kept so that reading it reports why."""
    out: list[str] = []
    seen: set[str] = set()

    def walk(p: Path) -> None:
        try:
            st = p.stat()
        except OSError:
            out.append(str(p))
            return
        if not stat.S_ISDIR(st.st_mode):
            out.append(str(p))
            return
        real = os.path.realpath(p)
        if real in seen:
            return
        seen.add(real)
        try:
            children = sorted(p.iterdir(), key=lambda c: c.name)
        except OSError:
            out.append(str(p))
            return
        for c in children:
            if not c.name.startswith("."):
                walk(c)

    for p in paths:
        if isinstance(p, str) and is_url(p):
            out.append(p)
        else:
            walk(Path(p))
    return out


def read_input(name: str, options: IngestOptions) -> Iterator[RawArticle | IngestError | NotArticle]:
    """The articles of one input (file, WARC archive or URL), errors included."""
    if is_url(name):
        if not options.fetch_urls:
            yield IngestError(name, "a URL, and khaldun does not use the network unless asked: "
                                    "pass --fetch-urls and --allow-host HOST")
            return
        yield from fetch_articles(name, options.allow_hosts, options.fetch_timeout, options.fetch_max_bytes,
                                  deadline=options.fetch_deadline)
    elif is_warc(name):
        for it in read_warc(name):
            yield capped(it) if isinstance(it, RawArticle) else it
    else:
        yield from read_paths([name], meta=options.meta)


def to_item(art: RawArticle, options: IngestOptions) -> Item:
    """The pipeline's input dict for one article (command-line metadata wins, as in `khaldun analyze`)."""
    path = art.path if art.line is None else f"{art.path}:{art.line}"
    return dict(text=art.text, title=art.title, path=path, url=art.url, outlet=options.outlet or art.outlet,
                published=options.published or art.published, language=art.language)


def appearance(doc_id: str, item: Item) -> Appearance:
    """Where this article was published, as an appearance of the text ``doc_id`` (dates as the pipeline
    writes them: an unreadable date is left out rather than failing the run)."""
    pub = item.get("published")
    if pub:
        from ..dates import parse_published

        try:
            d = parse_published(pub)
        except (ValueError, TypeError):
            d = None
        pub = d.isoformat() if d else None
    return Appearance(doc_id, item.get("outlet"), item.get("url"), pub, item.get("path"), item.get("title"))


def document_id(item: Item) -> str:
    """The id the pipeline will give this article (sha256 of the normalized body), without analysing it."""
    norm = normalize(item.get("text") or "")
    fur = strip_furniture(norm, title=item.get("title"))
    return hashlib.sha256(norm[fur.body_start:fur.body_end].encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------
# analysis (in this process or in a worker)
# --------------------------------------------------------------------------------------------


def analyze_items(pipe: Any, items: list[Item], each: Callable[[Document], Any] | None = None) -> list[Result]:
    """One ``(document, None)`` or ``(None, "PATH: reason")`` per item, in order; never raises.

    The pipeline reports a document whose analysis failed in ``pipe.errors`` (and still yields a
    bare document, which is not stored: a later run retries it). If a whole batch fails, each item
    is retried alone so one bad article cannot sink its neighbours.

    ``each``, when given, turns every document into what is kept instead, as it comes: a worker packs it
    for the way back (:func:`khaldun.store.wire.pack`), so the chunk's documents do not stay alive as
    thousands of objects the garbage collector walks again at every collection until the chunk ends.
    """
    try:
        out: list[Result] = []
        before = len(pipe.errors)
        for doc in pipe.analyze_many(items, batch_size=max(len(items), 1)):
            if len(pipe.errors) > before:
                out.append((None, pipe.errors[-1]))
                before = len(pipe.errors)
            else:
                out.append((doc if each is None else each(doc), None))
        del pipe.errors[:]
        if len(out) != len(items):
            raise RuntimeError(f"the pipeline returned {len(out)} documents for {len(items)} articles")
        return out
    except Exception as exc:  # noqa: BLE001  never lose a batch to one article
        del pipe.errors[:]
        if len(items) == 1:
            return [(None, f"{_where(items[0])}: analysis failed ({type(exc).__name__}: {exc})")]
        return [r for it in items for r in analyze_items(pipe, [it], each)]


_WORKER_PIPE: Any = None
_AGAIN = "run the same command again to resume"


def _where(item: Item) -> str:
    return item.get("path") or "<text>"


def _single_threaded() -> None:
    """One thread per analysis process: the workers are the parallelism; a BLAS or OpenMP pool in each
    of N workers on N cores only competes with the others. Set before NumPy (spaCy) is imported."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def warm_up(pipe: Any) -> None:
    """Analyse the packaged example article once and forget it, so that what the pipeline builds on first
    use (frame engine, lexicons, language model, automata) is built when a worker starts, not inside its
    first chunk: a worker's start-up is then all in its start, and its chunks cost what they cost in a
    process that has run for a while."""
    from importlib import resources

    text = (resources.files("khaldun") / "data" / "examples" / "example_article.txt").read_text(encoding="utf-8")
    analyze_items(pipe, [dict(text=text, published="2020-01-15", path="<warm-up>")])


def worker_pipeline() -> Any:
    """A worker process's pipeline: built, settled and warmed up (ingest's pool and Dask's workers)."""
    _single_threaded()
    from ..pipeline import settled_pipeline

    pipe = settled_pipeline()
    warm_up(pipe)
    return pipe


def _init_worker(parent: int | None = None) -> None:
    from ..safety import die_with_parent

    die_with_parent(parent)  # killing ingest (even with kill -9) must not leave workers behind
    global _WORKER_PIPE
    _WORKER_PIPE = worker_pipeline()


def _work(items: list[Item]) -> list[tuple[bytes | None, str | None]]:
    """A chunk's results, each document packed for the way back as it comes (:mod:`khaldun.store.wire`)."""
    from .wire import pack

    return analyze_items(_WORKER_PIPE, items, pack)  # type: ignore[return-value]


def _analyse_all(items: list[Item]) -> int:
    """Analyse ``items`` here, drop the results, and say which worker did (``_Analyser.warm``)."""
    analyze_items(_WORKER_PIPE, items)
    return os.getpid()


def _ready(pause: float) -> int:
    """A no-op task: which worker ran it (its initializer, pipeline and warm-up done)."""
    time.sleep(pause)
    return os.getpid()


class _Analyser:
    """Runs chunks in order: inline (one worker) or on a pool of spawned processes."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self.pipe: Any = None
        self.pool: Any = None
        self.queue: deque[tuple[list[tuple[str, Item]], Any]] = deque()

    def __enter__(self) -> _Analyser:
        if self.workers > 1:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(self.workers, mp_context=mp.get_context("spawn"),
                                            initializer=_init_worker, initargs=(os.getpid(),))
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    @property
    def full(self) -> bool:
        return len(self.queue) >= 2 * self.workers

    def ready(self, timeout: float = 600.0) -> None:
        """Wait until every worker process has started (built and warmed up its pipeline). The pool starts
        its processes as chunks come; a caller that times the work (`khaldun bench`) must not time them."""
        if self.pool is None:
            return
        from concurrent.futures.process import BrokenProcessPool

        deadline = time.monotonic() + timeout
        seen: set[int] = set()
        try:
            while len(seen) < self.workers and time.monotonic() < deadline:
                futs = [self.pool.submit(_ready, 0.05) for _ in range(2 * self.workers)]
                seen.update(f.result() for f in futs)
        except BrokenProcessPool as exc:
            raise IngestFailed(f"an analysis worker could not start ({exc}); {_AGAIN}") from exc

    def warm(self, items: list[Item], tries: int = 8) -> set[int]:
        """Have every worker analyse all of ``items`` once, results dropped. `khaldun bench` times its one
        process on the same articles round after round, so that side has seen every article (spaCy's
        vocabulary, the memos keyed by words and names) before its median rounds; the workers must have
        too, or they are timed on articles new to them. A long task each is taken by a different idle
        worker; the ones that did are checked, and the others asked again. Returns the process ids of the
        workers that did (every worker's, unless one kept failing to take a task)."""
        if self.pool is None:
            return set()
        from concurrent.futures.process import BrokenProcessPool

        done: set[int] = set()
        try:
            for _ in range(tries):
                if len(done) >= self.workers:
                    return done
                futs = [self.pool.submit(_analyse_all, items) for _ in range(self.workers - len(done))]
                done.update(f.result() for f in futs)
        except BrokenProcessPool as exc:
            raise IngestFailed(f"an analysis worker stopped ({exc}); {_AGAIN}") from exc
        return done

    def submit(self, chunk: list[tuple[str, Item]]) -> None:
        from concurrent.futures.process import BrokenProcessPool

        items = [it for _, it in chunk]
        if self.pool is not None:
            try:
                self.queue.append((chunk, self.pool.submit(_work, items)))
            except BrokenProcessPool as exc:
                raise IngestFailed(f"the analysis workers stopped ({exc}); {_AGAIN}") from exc
            return
        if self.pipe is None:
            from ..pipeline import Pipeline

            try:
                self.pipe = Pipeline()
            except Exception as exc:
                raise IngestFailed(f"the pipeline cannot start: {type(exc).__name__}: {exc}") from exc
        self.queue.append((chunk, analyze_items(self.pipe, items)))

    def pop(self) -> tuple[list[tuple[str, Item]], list[Result]]:
        from concurrent.futures.process import BrokenProcessPool

        chunk, res = self.queue.popleft()
        if self.pool is not None:
            from .wire import unpack_results

            try:
                res = unpack_results(res.result())
            except BrokenProcessPool as exc:  # a worker could not start, or died (out of memory, killed)
                raise IngestFailed(f"an analysis worker stopped ({exc}); {_AGAIN}") from exc
            except Exception as exc:  # noqa: BLE001  e.g. a result that could not be sent back
                res = [(None, f"{_where(it)}: analysis failed (worker: {type(exc).__name__}: {exc})")
                       for _, it in chunk]
        return chunk, res


def _analyser(options: IngestOptions) -> Any:
    if options.dask:
        from .distributed import DaskAnalyser

        return DaskAnalyser(options.dask)
    return _Analyser(options.workers)


# --------------------------------------------------------------------------------------------
# the run
# --------------------------------------------------------------------------------------------


def run_ingest(paths: Sequence[str | Path], store: Store, options: IngestOptions | None = None,
               progress: Progress | None = None, command: str | None = None) -> IngestReport:
    """Ingest ``paths`` into ``store`` (see the module doc); returns the run's report."""
    options = options or IngestOptions()
    t0 = time.perf_counter()
    inputs = expand_paths(paths)
    report = IngestReport(run_id=store.start_run(command), inputs=len(inputs))
    tick = progress or (lambda _r: None)
    status = "failed"
    # appearances of texts already stored, or seen earlier in this run and maybe still in analysis
    pending: list[Appearance] = []

    def record_appearances() -> None:
        if pending:
            pending[:] = store.add_appearances(pending, report.run_id)  # keeps those whose text is not stored yet

    def error(path: str, reason: str, line: int | None = None) -> None:
        store.record_error(report.run_id, path, reason, line)
        report.errors.append(f"{path}:{line}: {reason}" if line is not None else f"{path}: {reason}")
        tick(report)

    def new_chunks() -> Iterator[list[tuple[str, Item]]]:
        seen: set[bytes] = set()
        buf: list[tuple[str, Item]] = []

        def flush() -> list[tuple[str, Item]]:
            known = store.existing_ids(i for i, _ in buf)
            report.skipped += len(known)
            new = [(i, it) for i, it in buf if i not in known]
            pending.extend(appearance(i, it) for i, it in buf if i in known)
            buf.clear()
            record_appearances()
            if known:
                tick(report)
            return new

        for name in inputs:
            for art in guarded(name, read_input(name, options)):
                if isinstance(art, NotArticle):
                    report.not_articles += 1
                elif isinstance(art, IngestError):
                    error(art.path, art.reason, art.line)
                else:
                    item = to_item(art, options)
                    try:
                        did = document_id(item)
                    except Exception as exc:  # noqa: BLE001  one bad article never stops the run
                        from ..safety import one_line

                        error(art.path or name, f"could not be read ({one_line(exc)})", art.line)
                        continue
                    key = bytes.fromhex(did)
                    if key in seen:
                        report.skipped += 1
                        pending.append(appearance(did, item))
                        continue
                    seen.add(key)
                    buf.append((did, item))
                    if len(buf) >= options.batch_size and (new := flush()):
                        yield new
            report.inputs_done += 1
            tick(report)
        if buf and (new := flush()):
            yield new

    def write(chunk: list[tuple[str, Item]], results: list[Result]) -> None:
        docs = []
        for (_, item), (doc, err) in zip(chunk, results, strict=True):
            if doc is None:
                path = _where(item)
                reason = err or "analysis failed"
                error(path, reason[len(path) + 2:] if reason.startswith(f"{path}: ") else reason)
            else:
                docs.append(doc)
                # the undated and claimless are counted below, not listed: a backfill has millions of them
                report.warnings.extend(f"{_where(item)}: {w}" for w in doc.warnings if w not in COUNTED_WARNINGS)
        added, skipped = store.add_documents(docs, report.run_id)
        record_appearances()
        report.analysed += len(chunk)
        report.added += added
        report.skipped += skipped
        report.claims += sum(len(d.claims) for d in docs)  # exact figure from the tables at the end
        report.undated += sum(1 for d in docs if not d.source.published)
        report.no_claims += sum(1 for d in docs if not d.claims)
        tick(report)

    try:
        with _analyser(options) as analyser:
            for chunk in new_chunks():
                analyser.submit(chunk)
                while analyser.full:
                    write(*analyser.pop())
            while analyser.queue:
                write(*analyser.pop())
        record_appearances()  # what is left belongs to texts whose analysis failed: the next run retries
        status = "finished"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    except IngestFailed as exc:
        exc.report = report  # type: ignore[attr-defined]  (what was done before the stop, for the caller)
        raise
    finally:
        counts = store.finish_run(report.run_id, skipped=report.skipped, status=status)
        report.added, report.claims = counts["documents_added"], counts["claims_added"]
        report.appearances = counts["appearances_added"]
        report.seconds = time.perf_counter() - t0
    return report
