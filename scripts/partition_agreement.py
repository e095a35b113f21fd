"""Agreement of the time-partitioned greedy pass (`khaldun recluster --dask`) with the whole pass.

Reads the claims of a store as `khaldun recluster` does, runs the whole pass and the partitioned one (its
worker tasks run here, one after another: the result does not depend on where they run), with and
without the stitching at the partition edges, and prints per variant: pairwise precision / recall / F1
of co-clustered claim pairs against the whole pass, the share of the whole pass's clusters found
identical, the claims run again at the edges, and the seconds of each.

    PYTHONPATH=. python scripts/partition_agreement.py STORE_URL [--size 2000 --size 20000] [--time local:2]
    PYTHONPATH=. python scripts/partition_agreement.py --generated 100000 [--size ...]

``--time local:2`` also runs `khaldun recluster` on two copies of the (SQLite) store, alone and with Dask, in
child processes: wall and CPU seconds, peak memory, and whether the two wrote the same rows.

A store of N generated claims: ``khaldun bench --stored-clusters N --cluster-db URL`` (or
:func:`khaldun.bench_corpus.build_query_store`).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from typing import Any

from khaldun.corpus import partitioned
from khaldun.corpus.clusters import WINDOW_DAYS, _Acc, _order_key
from khaldun.corpus.stored import _interned, _stream_items
from khaldun.store import Store


class _Done:
    def __init__(self, value: Any) -> None:
        self.value = value

    def result(self) -> Any:
        return self.value


def _labels(accs: list[_Acc]) -> tuple[dict[int, int], list[frozenset[int]]]:
    label: dict[int, int] = {}
    sets = []
    for k, acc in enumerate(accs):
        refs = frozenset(it.ref for it in acc.items)
        sets.append(refs)
        for r in refs:
            label[r] = k
    return label, sets


def _pairs(sets: list[frozenset[int]]) -> int:
    return sum(len(s) * (len(s) - 1) // 2 for s in sets)


def agreement(gold: list[_Acc], got: list[_Acc]) -> dict[str, Any]:
    """Pairwise precision/recall/F1 of ``got``'s co-clustered claim pairs against ``gold``'s, and the share
    of ``gold``'s clusters (and of its multi-claim ones) that ``got`` has identically."""
    gl, gs = _labels(gold)
    ol, os_ = _labels(got)
    both = Counter((gl[r], ol[r]) for r in gl)
    tp = sum(n * (n - 1) // 2 for n in both.values())
    pg, po = _pairs(gs), _pairs(os_)
    p = tp / po if po else 1.0
    r = tp / pg if pg else 1.0
    same = set(os_)
    multi = [s for s in gs if len(s) > 1]
    return {"precision": round(p, 5), "recall": round(r, 5), "f1": round(2 * p * r / (p + r), 5) if p + r else 0.0,
            "identical": round(sum(s in same for s in gs) / len(gs), 5),
            "identical_multi": round(sum(s in same for s in multi) / len(multi), 5) if multi else 1.0,
            "clusters": len(got), "gold_clusters": len(gold), "gold_multi": len(multi),
            # the very same clusters, with their claims in the same order (what the store's rows follow)
            "exact": sorted(tuple(it.ref for it in acc.items) for acc in gold)
            == sorted(tuple(it.ref for it in acc.items) for acc in got)}


def _rows_digest(url: str) -> str:
    """A digest of everything `recluster` writes but the time it wrote it."""
    import hashlib

    import sqlalchemy as sa

    h = hashlib.sha256()
    with Store.open(url, create=False) as s, s.engine.connect() as conn:
        for q in ("SELECT id, data, state, search, names FROM clusters ORDER BY id",
                  "SELECT cluster_id, document_id, ordinal, denial FROM cluster_claims "
                  "ORDER BY cluster_id, document_id, ordinal",
                  "SELECT key, bucket, cluster_id FROM cluster_keys ORDER BY key, bucket, cluster_id",
                  "SELECT term, cluster_id FROM cluster_terms ORDER BY term, cluster_id"):
            for r in conn.execute(sa.text(q)):
                h.update(json.dumps(list(r), sort_keys=True, default=str).encode())
    return h.hexdigest()[:16]


def _timed_child(url: str, dask: str | None) -> dict[str, Any]:
    """In a child process: `recluster` on ``url``: wall and CPU seconds (this process and its workers), peak
    RSS of this process and of it with its workers together (sampled every 0.1 s)."""
    import resource
    import threading

    import psutil

    me = psutil.Process()
    peak = {"tree": 0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            total = 0
            for p in [me, *me.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            peak["tree"] = max(peak["tree"], total)
            stop.wait(0.1)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    t0, c0 = time.perf_counter(), time.process_time()
    with Store.open(url, create=False) as s:
        got = s.recluster(dask=dask)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    stop.set()
    th.join()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {**got, "wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "workers_cpu_s": round(kids.ru_utime + kids.ru_stime, 1),
            "peak_mb": round(own / 1024), "peak_with_workers_mb": round(peak["tree"] / 2**20)}


def timed(url: str, dask: str) -> dict[str, Any]:
    """`recluster` on two copies of the SQLite store at ``url``, in one process and with ``dask``; whether
    the stored rows are the same."""
    import multiprocessing
    import shutil
    import tempfile
    from concurrent.futures import ProcessPoolExecutor
    from pathlib import Path

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="khaldun-part-") as tmp:
        digests = []
        for name, how in (("one process", None), (f"--dask {dask}", dask)):
            copy = str(Path(tmp) / "k.db")
            shutil.copy(url, copy)
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as ex:
                out[name] = ex.submit(_timed_child, copy, how).result()
            digests.append(_rows_digest(copy))
            Path(copy).unlink()
        out["same_rows"] = digests[0] == digests[1]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("url", nargs="?", help="a store (else --generated)")
    ap.add_argument("--generated", type=int, metavar="N", help="instead of a store: N claims of the denser "
                    "generator of `khaldun.corpus.bench_clusters` (40 states, 60 groups, 8 types, two years)")
    ap.add_argument("--size", type=int, action="append", help="claims per partition (repeatable)")
    ap.add_argument("--window", type=int, default=WINDOW_DAYS)
    ap.add_argument("--time", metavar="ADDRESS", help="also time recluster (a SQLite store's path) alone and with "
                    "--dask ADDRESS, each in a child process, and compare the rows they write")
    a = ap.parse_args()
    if a.time:
        print(json.dumps(timed(a.url, a.time), indent=1))
    if a.generated:
        from khaldun.corpus.clusters import _generated_documents, _items

        docs = _generated_documents(a.generated)
        items = _items(docs, {})
        for it in items:  # compact, as a store's items are
            it.doc_id, it.doc, it.claim = docs[it.doc_i].id, None, None
        del docs
    else:
        with Store.open(a.url, create=False) as store:
            items = list(_interned(_stream_items(store.engine)))
    items.sort(key=_order_key)
    t0 = time.process_time()
    gold = list(partitioned.sequential(list(items), a.window))
    out: dict[str, Any] = {"claims": len(items), "whole_s": round(time.process_time() - t0, 2)}

    def run(part: list[Any], start: int) -> _Done:
        return _Done(partitioned.assign_task(part, start, a.window))

    for size in a.size or [2000, partitioned.PART_CLAIMS]:
        for edges in (False, True):
            stats = partitioned.PassStats()
            t0 = time.process_time()
            got = list(partitioned.partitioned(list(items), a.window, run, size=size, edges=edges, stats=stats))
            row = agreement(gold, got)
            row.update(seconds=round(time.process_time() - t0, 2), partitions=stats.partitions, edges=stats.edges,
                       rerun_claims=stats.rerun, run_whole=stats.whole, met_days=stats.met_days)
            out[f"size={size} edges={'stitched' if edges else 'none'}"] = row
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
