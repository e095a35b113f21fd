"""Agreement of the time-partitioned greedy pass (`khaldun recluster --dask`) with the whole pass.

Reads the claims of a store as `khaldun recluster` does, runs the whole pass and the partitioned one (its
worker tasks run here, one after another: the result does not depend on where they run), with and
without the stitching at the partition edges, and prints per variant: pairwise precision / recall / F1
of co-clustered claim pairs against the whole pass, the share of the whole pass's clusters found
identical, the claims run again at the edges, and the seconds of each.

    PYTHONPATH=. python scripts/partition_agreement.py STORE_URL [--size 2000 --size 20000]

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("url")
    ap.add_argument("--size", type=int, action="append", help="claims per partition (repeatable)")
    ap.add_argument("--window", type=int, default=WINDOW_DAYS)
    a = ap.parse_args()
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
                       rerun_claims=stats.rerun, run_whole=stats.whole)
            out[f"size={size} edges={'stitched' if edges else 'none'}"] = row
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
