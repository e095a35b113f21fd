"""`khaldun bench`: khaldun against the bare spaCy pipeline on the same text, timed honestly.

* **Text**: ``--docs N`` articles generated from the corpus generator's templates
  (:func:`khaldun.bench_corpus.generated_articles`: distinct stories, actors, places, dates, 31
  sentence templates), or every article of ``--corpus PATH`` (any format `khaldun analyze` reads).
* **Sides**: the bare side is spaCy's full en_core_web_sm pipeline, nothing excluded or replaced
  (``nlp.pipe`` over the same paragraphs khaldun parses, batched as khaldun batches them:
  :func:`khaldun.nlp.parse_paragraphs`); the khaldun side is everything ``analyze_many`` does. Each
  side lives in its own spawned process, loaded and warmed up once.
* **Timing**: CPU time of the side's own process (``time.process_time``), so another program on
  the machine slows the wall clock but not the figure; the sides run one after the other, in
  alternating order, for ``--rounds`` rounds; the median and the range over the rounds are printed.
  Peak RSS is each side's process's own.
* **Scaling** (``--workers N`` and/or ``--dask ADDRESS``): khaldun's wall-clock docs/s on N workers
  (ingest's process pool, or Dask tasks) against the one-process khaldun side's wall-clock docs/s in
  the same round (CPU time would hide the parallelism). The same docs in the same order, in chunks
  of ``--batch-size`` or, when larger, ``2N`` chunks (two per worker: each chunk is one spaCy batch,
  and tiny batches cost a worker CPU the one process does not spend) cut where they hold about the
  same number of words (until stop 16 they held the same number of docs: the docs are of uneven
  length, and the chunk of the longest kept one worker busy after the other had finished). Each
  worker sends every document back as it is made, packed (:mod:`khaldun.store.wire`), as ingest's
  workers do; the parent rebuilds the documents, as ingest's parent must before it stores them.
  Worker start-up is not timed: every worker is
  started (pipeline loaded, settled and warmed up on the packaged example), every worker analyses all
  the docs once (the one-process side, timed on the same docs round after round, has seen them all
  before its median rounds: spaCy's vocabulary and the memos keyed by words and names are warm; a
  worker handed docs new to it was timed on colder work), and one untimed pass is made. On a machine
  other programs share, the wall clock only shows the share of the cores the run got, so the CPU
  seconds of every worker process and of the parent (which unpickles the results) are read too: the
  one-process side's CPU seconds over the larger of the busiest worker's CPU seconds and the total
  over N is the scaling the run would have on N free cores ("x on free cores"). The parent's CPU
  time is the whole bench process's: with ``--dask local:N`` it holds the scheduler, so time
  ``--workers`` and ``--dask`` in separate runs for their CPU figures.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .nlp import paragraphs, parse_paragraphs

Item = dict[str, Any]


class BenchError(ValueError):
    """A corpus that cannot be benchmarked (unreadable, or no article in it)."""


def example_text() -> str:
    return (Path(__file__).parent / "data" / "examples" / "example_article.txt").read_text(encoding="utf-8")


def bench_items(n_docs: int = 64, corpus: Path | None = None, seed: int = 17) -> tuple[list[Item], list[str]]:
    """The articles to time (pipeline input dicts) and the reasons any input was skipped."""
    if corpus is None:
        from .bench_corpus import generated_articles

        return [{k: a[k] for k in ("text", "title", "published", "outlet")}
                for a in generated_articles(n_docs, seed=seed)], []
    from .ingest import IngestError, read_paths

    items: list[Item] = []
    skipped: list[str] = []
    if not corpus.exists():
        raise BenchError(f"{corpus}: no such file or directory")
    for art in read_paths([corpus]):
        if isinstance(art, IngestError):
            skipped.append(str(art))
        elif art.text.strip():
            items.append(dict(text=art.text, title=art.title, published=art.published, outlet=art.outlet))
    if not items:
        raise BenchError(f"{corpus}: no article to benchmark" + (f" ({skipped[0]})" if skipped else ""))
    return items, skipped


def _words(items: list[Item]) -> int:
    return sum(len(it["text"].split()) for it in items)


# --------------------------------------------------------------------------------------------
# one side, in its own process
# --------------------------------------------------------------------------------------------


def _side_main(kind: str, items: list[Item], conn: Any) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        if kind == "spacy":
            from .nlp import load_model

            nlp = load_model((), table_ruler=False)  # spaCy's full pipeline, nothing excluded or replaced
            paras = [p.text for it in items for p in paragraphs(it["text"])]

            def run() -> int:  # batched as khaldun batches its own parse (nlp.parse_paragraphs)
                n = 0
                for _ in parse_paragraphs(paras, nlp):
                    n += 1
                return n

            list(parse_paragraphs(paras[:16], nlp))  # warm-up
        else:
            from .pipeline import default_pipeline

            pipe = default_pipeline()

            def run() -> int:
                return sum(len(d.claims) for d in pipe.analyze_many(items))

            list(pipe.analyze_many(items[:2]))  # warm-up: registries, lexicons, first-use caches
        conn.send({"ready": True})
        while conn.recv() == "run":
            c0, w0 = time.process_time(), time.perf_counter()
            out = run()
            cpu, wall = time.process_time() - c0, time.perf_counter() - w0
            conn.send({"cpu": cpu, "wall": wall, "out": out,
                       "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
    except Exception as exc:  # noqa: BLE001  reported by the parent, one line
        conn.send({"error": f"{type(exc).__name__}: {exc}"})


class _Side:
    def __init__(self, kind: str, items: list[Item]) -> None:
        ctx = mp.get_context("spawn")
        self.kind = kind
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_side_main, args=(kind, items, child), daemon=True)
        self.proc.start()
        self._reply()

    def _reply(self) -> dict[str, Any]:
        r = self.conn.recv()
        if "error" in r:
            raise RuntimeError(f"{self.kind} side: {r['error']}")
        return r

    def run(self) -> dict[str, Any]:
        self.conn.send("run")
        return self._reply()

    def close(self) -> None:
        try:
            self.conn.send("stop")
        except OSError:
            pass
        self.proc.join(timeout=30)
        if self.proc.is_alive():
            self.proc.kill()


# --------------------------------------------------------------------------------------------
# parallel khaldun (scaling)
# --------------------------------------------------------------------------------------------


def _worker_cpu(analyser: Any) -> dict[str, float]:
    """CPU seconds used so far by each of the analyser's worker processes (empty when they cannot be read).

    Ingest's pool: its processes, read through psutil; Dask: each worker's own ``time.process_time()``."""
    client = getattr(analyser, "client", None)
    if client is not None:
        try:
            return {str(k): float(v) for k, v in client.run(time.process_time).items()}
        except Exception:  # noqa: BLE001  a figure we cannot read is left out, never a failed bench
            return {}
    pool = getattr(analyser, "pool", None)
    procs = getattr(pool, "_processes", None) or {}
    out: dict[str, float] = {}
    try:
        import psutil

        for pid in list(procs):
            t = psutil.Process(pid).cpu_times()
            out[str(pid)] = t.user + t.system
    except Exception:  # noqa: BLE001  as above
        return {}
    return out


def _chunks(items: list[Item], batch: int, workers: int) -> list[list[tuple[str, Item]]]:
    """The items in input order, in chunks of ``batch`` or, when larger, ``2 * workers`` chunks: two chunks per
    worker keep the load even when one is slowed, and each chunk is one spaCy batch in its worker, whose fixed
    cost per batch (~8 ms) makes chunks of a few articles cost up to a fifth more CPU. The ``2 * workers``
    chunks are cut where they hold about the same number of words (not of articles: the articles are of
    uneven length, and a chunk of long ones left one worker busy while the other had finished)."""
    size = max(1, batch, -(-len(items) // (2 * max(1, workers))))
    pairs = [(str(k), it) for k, it in enumerate(items)]
    n_chunks = -(-len(items) // size)
    if size == batch or n_chunks <= 1:
        return [pairs[i:i + size] for i in range(0, len(pairs), size)]
    return _cut_by_words(pairs, n_chunks)


def _cut_by_words(pairs: list[tuple[str, Item]], n_chunks: int) -> list[list[tuple[str, Item]]]:
    """``pairs`` in order, cut into ``n_chunks`` non-empty runs of about equal words: each cut falls on the
    article boundary nearest to its share of the words."""
    cum = [0]
    for _, it in pairs:
        cum.append(cum[-1] + len(it["text"].split()))
    cuts = [0]
    for j in range(1, n_chunks):
        target = cum[-1] * j / n_chunks
        lo, hi = cuts[-1] + 1, len(pairs) - (n_chunks - j)  # every chunk keeps at least one article
        cuts.append(min(range(lo, hi + 1), key=lambda i: (abs(cum[i] - target), i)))
    cuts.append(len(pairs))
    return [pairs[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


def _parallel_run(analyser: Any, items: list[Item], batch: int) -> dict[str, Any]:
    """Wall seconds for ``analyser`` (ingest's pool or Dask) to analyse every item, in chunks, and the CPU
    seconds each worker process and this process spent on it (``cpu_workers``, ``cpu_parent``)."""
    chunks = _chunks(items, batch, getattr(analyser, "workers", 0) or getattr(analyser, "threads", 1))
    before = _worker_cpu(analyser)
    c0, t0 = time.process_time(), time.perf_counter()
    for ch in chunks:
        analyser.submit(ch)
        while analyser.full:
            analyser.pop()
    while analyser.queue:
        analyser.pop()
    wall, parent = time.perf_counter() - t0, time.process_time() - c0
    after = _worker_cpu(analyser)
    workers = [after[k] - before[k] for k in after if k in before] if len(after) == len(before) else []
    return {"wall": wall, "cpu_parent": parent, "cpu_workers": workers}


def _open_parallel(how: str, workers: int) -> Any:
    from .store.runner import _Analyser

    if how == "dask":
        from .store.distributed import DaskAnalyser

        return DaskAnalyser(os.environ.get("KHALDUN_BENCH_DASK", f"local:{workers}"))
    return _Analyser(workers)


# --------------------------------------------------------------------------------------------
# the run
# --------------------------------------------------------------------------------------------


def _stats(xs: list[float]) -> dict[str, float]:
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs)}


def _fmt(s: dict[str, float], spec: str = ".0f") -> str:
    return f"{s['median']:{spec}} [{s['min']:{spec}}-{s['max']:{spec}}]"


def run_bench(n_docs: int = 64, corpus: Path | None = None, rounds: int = 5, workers: int = 1,
              dask: str | None = None, batch_size: int = 8, emit: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Run the bench, print (``emit``) its lines as they come, and return its figures."""
    say = emit or (lambda _s: None)
    items, skipped = bench_items(n_docs, corpus)
    words = _words(items)
    src = f"--corpus {corpus}" if corpus else "generated from the corpus templates"
    say(f"khaldun bench: {len(items)} docs, {words} words ({src}), {rounds} rounds, sides interleaved, "
        f"CPU time of each side's process")
    for s in skipped[:5]:
        say(f"  skipped {s}")
    sides = {k: _Side(k, items) for k in ("spacy", "khaldun")}
    parallel: list[tuple[str, Any]] = []
    try:
        from .store.runner import IngestFailed

        try:
            if workers > 1:
                parallel.append((f"--workers {workers}", _open_parallel("pool", workers).__enter__()))
            if dask:
                os.environ["KHALDUN_BENCH_DASK"] = dask
                parallel.append((f"--dask {dask}", _open_parallel("dask", workers).__enter__()))
        except IngestFailed as exc:
            raise BenchError(str(exc)) from exc
        for _, an in parallel:  # not timed: every worker started (pipeline loaded, warmed up) and has seen
            an.ready()          # every article once, as the one process has before its median rounds
            an.warm(items)
            _parallel_run(an, items, batch_size)
        res: dict[str, list[dict[str, Any]]] = {k: [] for k in sides}
        par: dict[str, list[Any]] = {name: [] for name, _ in parallel}
        for r in range(rounds):
            order = ("spacy", "khaldun") if r % 2 == 0 else ("khaldun", "spacy")
            for k in order:
                res[k].append(sides[k].run())
            for name, an in parallel:
                par[name].append(_parallel_run(an, items, batch_size))
        out = _report(items, words, res, par, say)
    finally:
        for s in sides.values():
            s.close()
        for _, an in parallel:
            an.__exit__(None, None, None)
    return out


def _report(items: list[Item], words: int, res: dict[str, list[dict[str, Any]]], par: dict[str, list[Any]],
            say: Callable[[str], None]) -> dict[str, Any]:
    n = len(items)
    out: dict[str, Any] = {"docs": n, "words": words, "rounds": len(res["spacy"])}
    say(f"{'':10}{'words/s (CPU) median [range]':>32}{'docs/s (CPU)':>16}{'peak RSS MB':>14}")
    for k in ("spacy", "khaldun"):
        wps = [words / r["cpu"] for r in res[k]]
        dps = [n / r["cpu"] for r in res[k]]
        rss = max(r["rss_mb"] for r in res[k])
        out[k] = {"words_per_s": _stats(wps), "docs_per_s": _stats(dps), "rss_mb": round(rss, 1),
                  "wall_docs_per_s": _stats([n / r["wall"] for r in res[k]])}
        say(f"{k:10}{_fmt(out[k]['words_per_s']):>32}{statistics.median(dps):>16.1f}{rss:>14.0f}")
    ratios = [s["cpu"] / k["cpu"] for s, k in zip(res["spacy"], res["khaldun"], strict=True)]
    out["ratio"] = _stats(ratios)
    say(f"ratio khaldun/spacy words/s (per round): {_fmt(out['ratio'], '.2f')}")
    if par:
        _report_scaling(n, res["khaldun"], par, out, say)
    say(json.dumps(_rounded(out)))
    return out


def _report_scaling(n: int, one_side: list[dict[str, Any]], par: dict[str, list[Any]], out: dict[str, Any],
                    say: Callable[[str], None]) -> None:
    """Scaling lines. Wall clock: parallel docs/s over the one-process side's, round by round (on a machine
    other programs share, this is whatever share of the cores the run was given). CPU: the one-process
    side's CPU seconds over the least wall time N free cores would need for the same work, the larger of
    the busiest worker's CPU seconds and all workers' plus this process's (results unpickled) over N."""
    one = [n / r["wall"] for r in one_side]
    say(f"scaling (wall clock docs/s; one process: {_fmt(_stats(one), '.1f')})")
    out["scaling"] = {}
    for name, runs in par.items():
        runs = [r if isinstance(r, dict) else {"wall": r} for r in runs]
        dps = [n / r["wall"] for r in runs]
        scale = [d / o for d, o in zip(dps, one, strict=True)]
        fig: dict[str, Any] = {"docs_per_s": _stats(dps), "vs_one_process": _stats(scale)}
        line = f"  {name:18} {_fmt(_stats(dps), '.1f')} docs/s, {_fmt(_stats(scale), '.2f')}x one process"
        if all(r.get("cpu_workers") for r in runs):
            ideal = []
            for r, side in zip(runs, one_side, strict=True):
                w = r["cpu_workers"]
                ideal.append(side["cpu"] / max(max(w), (sum(w) + r["cpu_parent"]) / len(w)))
            fig["cpu_bound"] = _stats(ideal)
            fig["cpu_workers_s"] = _stats([sum(r["cpu_workers"]) for r in runs])
            fig["cpu_parent_s"] = _stats([r["cpu_parent"] for r in runs])
            fig["cpu_busiest_worker_s"] = _stats([max(r["cpu_workers"]) for r in runs])  # the balance, in the JSON
            line += (f"; CPU: workers {_fmt(fig['cpu_workers_s'], '.2f')} s + parent {_fmt(fig['cpu_parent_s'], '.2f')} s"
                     f" vs one process {_fmt(_stats([r['cpu'] for r in one_side]), '.2f')} s ="
                     f" {_fmt(fig['cpu_bound'], '.2f')}x on free cores")
        out["scaling"][name] = fig
        say(line)


def _rounded(x: Any) -> Any:
    if isinstance(x, float):
        return round(x, 3)
    if isinstance(x, dict):
        return {k: _rounded(v) for k, v in x.items()}
    return x
