"""Where a worker's CPU goes beyond the one process's (issue 16: `bench --workers 2` / `--dask local:2` >= 1.8x).

Counted in one process, so another program on the machine slows every part alike (best and median of
``--runs``, CPU time); all on the bench's generated articles (``--docs``, default 48):

* ``payload``: CPU to send the documents back and rebuild them: plain pickle of the pydantic models (what the
  workers sent until stop 16) against :mod:`khaldun.store.wire` (``pack`` in the worker, ``unpack`` in the
  parent), and the bytes of each.
* ``gc``: CPU seconds in cyclic garbage collections per pass over the articles (``gc.callbacks``), for the one
  process's call (``analyze_many``, batches of 32) and for a worker's (chunks as the bench cuts them for 2
  workers, each chunk kept whole until sent, or each document packed as it comes), at the young threshold
  the process runs with (``--young N`` to force another, e.g. 10000, the ``GC_YOUNG`` ``settle`` means to set).
* ``chunks``: CPU of one pass in chunks of 48, 24, 12, 8, 4 and 2 articles (one spaCy batch each), against
  the one process's call: the fixed cost per chunk.

    python scripts/pool_overheads.py payload|gc|chunks [--docs 48] [--runs 7] [--young N]
"""

from __future__ import annotations

import argparse
import gc
import os
import pickle
import statistics
import time
from collections.abc import Callable
from typing import Any


def _cpu(fn: Callable[[], Any], runs: int) -> str:
    ts = []
    for _ in range(runs):
        c = time.process_time()
        fn()
        ts.append(time.process_time() - c)
    return f"best {min(ts):.4f} s, median {statistics.median(ts):.4f} s"


def payload(pipe: Any, items: list[dict[str, Any]], runs: int) -> None:
    from khaldun.store.wire import pack, unpack, unpack_results

    docs = list(pipe.analyze_many(items))
    plain = pickle.dumps(docs, pickle.HIGHEST_PROTOCOL)
    whole = pack(docs)
    packed = [(pack(d), None) for d in docs]
    assert unpack(whole) == docs and [d for d, _ in unpack_results(packed)] == docs
    print(f"plain pickle of the list: {len(plain)} bytes; dumps {_cpu(lambda: pickle.dumps(docs, 5), runs)}; "
          f"loads {_cpu(lambda: pickle.loads(plain), runs)}")  # noqa: S301  our own bytes
    print(f"wire, the list at once: {len(whole)} bytes; pack {_cpu(lambda: pack(docs), runs)}; "
          f"unpack {_cpu(lambda: unpack(whole), runs)}")
    print(f"wire, each doc as a worker sends it: {sum(len(b) for b, _ in packed)} bytes; "
          f"pack {_cpu(lambda: [pack(d) for d in docs], runs)}; unpack_results {_cpu(lambda: unpack_results(packed), runs)}")


def gc_time(pipe: Any, items: list[dict[str, Any]], runs: int) -> None:
    from khaldun.bench import _chunks
    from khaldun.store.runner import analyze_items
    from khaldun.store.wire import pack

    chunks = [[it for _, it in ch] for ch in _chunks(items, 8, 2)]
    spent = {"s": 0.0, "t": 0.0}

    def cb(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            spent["t"] = time.process_time()
        else:
            spent["s"] += time.process_time() - spent["t"]

    ways: dict[str, Callable[[], Any]] = {
        "one process (analyze_many)": lambda: sum(len(d.claims) for d in pipe.analyze_many(items)),
        "worker, chunk kept whole": lambda: [pack(analyze_items(pipe, ch)) for ch in chunks],
        "worker, each doc packed": lambda: [analyze_items(pipe, ch, pack) for ch in chunks],
    }
    for name, fn in ways.items():  # each way alone: one's leftovers never trigger the other's collections
        fn()
        gc.collect()
        gc.callbacks.append(cb)
        per: list[float] = []
        for _ in range(runs):
            spent["s"] = 0.0
            fn()
            per.append(spent["s"])
        gc.callbacks.remove(cb)
        print(f"{name:30} gc per pass: mean {statistics.mean(per):.4f} s, median {statistics.median(per):.4f} s "
              f"(threshold {gc.get_threshold()})")


def chunk_cost(pipe: Any, items: list[dict[str, Any]], runs: int) -> None:
    from khaldun.store.runner import analyze_items

    sizes = [0, 48, 24, 12, 8, 4, 2]
    ts: dict[int, list[float]] = {k: [] for k in sizes}
    for _ in range(runs):  # interleaved, so a busy moment weighs on every size
        for k in sizes:
            c = time.process_time()
            if k == 0:
                list(pipe.analyze_many(items))
            else:
                for i in range(0, len(items), k):
                    analyze_items(pipe, items[i:i + k])
            ts[k].append(time.process_time() - c)
    for k in sizes:
        name = "one process (batches of 32)" if k == 0 else f"chunks of {k}"
        print(f"{name:28} best {min(ts[k]):.3f} s, median {statistics.median(ts[k]):.3f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["payload", "gc", "chunks"])
    ap.add_argument("--docs", type=int, default=48)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--young", type=int, default=0, help="young GC threshold to force (0: as the process runs)")
    a = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # as the bench's sides and ingest's workers
    from khaldun.bench import bench_items
    from khaldun.pipeline import default_pipeline

    items, _ = bench_items(a.docs)
    pipe = default_pipeline()
    if a.young:
        gc.set_threshold(a.young, *gc.get_threshold()[1:])
    list(pipe.analyze_many(items))  # warm: every article seen once
    {"payload": payload, "gc": gc_time, "chunks": chunk_cost}[a.what](pipe, items, a.runs)


if __name__ == "__main__":
    main()
