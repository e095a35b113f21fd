"""The greedy pass of `khaldun recluster`, whole or partitioned by time over Dask workers.

:func:`sequential` is the pass as one process runs it: claims in :func:`khaldun.corpus.clusters._order_key`
order (family by family, date order within a family) through one :class:`~khaldun.corpus.clusters.Assigner`;
every :data:`POP_EVERY` claims the clusters no later claim can join are handed out to be written.

:func:`partitioned` gives the same clusters with the assignment itself spread over workers:

1. **Partitions** (:func:`partitions`): each family's claims, in the pass's order, cut into contiguous
   date ranges of about :data:`PART_CLAIMS` claims (cut only where the day changes). A family's claims with
   neither a date nor a publication date come last in its order and are a partition of their own: they
   join only clusters like them, so they never meet the dated ones.
2. **On the workers** (:func:`assign_task`): each partition runs the same greedy pass from an empty state
   (same index keys, window, one-year limit, candidate caps, and the same :data:`POP_EVERY` points as the
   whole pass), and sends back the cluster each claim joined and its final state.
3. **At the edges** (:func:`_stitch`, in the command's process, partition after partition): the whole pass
   differs from a worker's only where clusters of the earlier partitions are still open. So the
   partition's first claims are run again through the true state carried over from the earlier
   partition (and the worker's choices replayed beside them, :meth:`Assigner.add` with ``forced``),
   until the two states are equivalent (:func:`_equivalent`): no cluster of an earlier partition can be a
   candidate again, the open clusters hold the same claims in the same order of creation, and every
   index list offers the same open clusters in the same order, within the candidate window too. From
   there every later choice is the same in both, so the worker's clusters are taken as they are. This
   edge zone is usually the window (14 days) after the cut plus the span of the clusters open across it.
   Where the claims are dense the greedy chains of clusters can stay out of step for good (a cluster
   that started a few days earlier closes earlier, and so on); after :data:`EDGE_DAYS` days without
   meeting, the rest of the partition is run here alone (correct, but not spread).

The result is the whole pass's, cluster for cluster and claim order within each, so the written store is
the same with or without Dask. Denials are linked afterwards, as before (:mod:`khaldun.corpus.stored`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from . import clusters
from .clusters import Assigner, _Acc, _Item

__all__ = ["PART_CLAIMS", "POP_EVERY", "Parcel", "PassStats", "assign_task", "partitioned", "partitions", "sequential"]

PART_CLAIMS = 20_000  # claims per time partition (about)
POP_EVERY = 5000  # the pass hands out finished clusters every this many claims
CHECK_EVERY = 16  # with a cluster of an earlier partition still open, test the edge every this many days
EDGE_DAYS = 120  # an edge whose states have not met after this many days is run on here alone (no replay)


def pop_point(asg: Assigner, it: _Item, n: int, window: int) -> list[_Acc]:
    """The clusters the pass hands out after its ``n``-th claim ``it`` (empty but every :data:`POP_EVERY`)."""
    if n % POP_EVERY != POP_EVERY - 1:
        return []
    horizon = it.lo - timedelta(days=window) if it.lo is not None else None
    return asg.pop_finished(it.family, horizon)


def sequential(items: list[_Item], window: int) -> Iterator[_Acc]:
    """The whole greedy pass over ``items`` (sorted), yielding each cluster once no claim can join it;
    empties ``items`` as it goes."""
    asg = Assigner(window)
    for n in range(len(items)):
        it = items[n]
        items[n] = None  # type: ignore[call-overload]  (the sorted list empties as the pass goes)
        if it.family != asg.family and asg.family is not None:
            yield from asg.pop_finished(it.family, None)
        asg.add(it)
        yield from pop_point(asg, it, n, window)
    yield from asg.pop_finished(None, None)


def partitions(items: list[_Item], size: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` ranges over the sorted ``items``: per family, the dated claims in contiguous date
    ranges of about ``size`` claims (cut where the day changes), then the undated ones as one range."""
    size = max(1, size or PART_CLAIMS)
    out: list[tuple[int, int]] = []
    n, a = len(items), 0
    while a < n:
        fam = items[a].family
        b = a
        while b < n and items[b].family == fam and items[b].lo is not None:
            b += 1
        c = b
        while c < n and items[c].family == fam:
            c += 1
        k = -(-(b - a) // size)
        cuts = [a]
        for i in range(1, k):
            x = max(a + (b - a) * i // k, cuts[-1] + 1)
            while x < b and items[x].lo == items[x - 1].lo:
                x += 1
            if x < b and x > cuts[-1]:
                cuts.append(x)
        out += [(x, y) for x, y in zip(cuts, cuts[1:] + [b], strict=True) if y > x]
        if c > b:
            out.append((b, c))
        a = c
    return out


class Parcel:
    """A value Dask sends as it is (a plain list or dict argument is walked item by item for futures)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def assign_task(part: list[_Item] | Parcel, start: int, window: int) -> tuple[list[int], Assigner]:
    """On a worker: the greedy pass over one partition (the claims at ``start`` onward of the whole pass)
    from an empty state: the cluster each claim joined, and the state at the end."""
    items: list[_Item] = part.value if isinstance(part, Parcel) else part
    asg = Assigner(window)
    labels: list[int] = []
    for i, it in enumerate(items):
        labels.append(asg.add(it))
        pop_point(asg, it, start + i, window)
    return labels, asg


@dataclass
class PassStats:
    partitions: int = 0
    edges: int = 0  # partitions that continue an earlier one of their family (dated)
    rerun: int = 0  # claims the command's process ran again at the edges
    whole: int = 0  # edges whose states never met (the partition was run whole here)
    met_days: int = 0  # the most days after a cut before the states met


def _open(asg: Assigner, ai: int, horizon: Any) -> bool:
    acc = asg.accs.get(ai)
    return acc is not None and (acc.shi is None or acc.shi >= horizon)


def _lists(asg: Assigner, horizon: Any) -> dict[str, tuple[list[int], list[int]]]:
    """Per index key: the open clusters of its list, and those of the candidate window the pass reads."""
    out: dict[str, tuple[list[int], list[int]]] = {}
    for k, lst in asg.index.items():
        whole = [ai for ai in lst if _open(asg, ai, horizon)]
        if whole:
            out[k] = (whole, [ai for ai in lst[-4 * clusters.CANDIDATES_PER_KEY:] if _open(asg, ai, horizon)])
    return out


def _equivalent(d: Assigner, r: Assigner, horizon: Any) -> dict[int, int] | None:
    """The map of ``d``'s open clusters onto ``r``'s when every later claim (dated, so its horizon is at
    least ``horizon``) will be placed alike in both, else None. A cluster that ended before the horizon is
    never a candidate again, and only open clusters in an index list can be one; so the states agree when
    those hold the same claims, were created in the same order (ties go to the older), and each index list
    offers them in the same order, in whole (what a pop keeps) and within the window a query reads."""
    dl, rl = _lists(d, horizon), _lists(r, horizon)
    if dl.keys() != rl.keys():
        return None
    dref = sorted({ai for whole, _ in dl.values() for ai in whole})
    rref = sorted({ai for whole, _ in rl.values() for ai in whole})
    if len(dref) != len(rref):
        return None
    rsig = {tuple(it.ref for it in r.accs[ai].items): ai for ai in rref}
    m: dict[int, int] = {}
    for ai, want in zip(dref, rref, strict=True):
        got = rsig.get(tuple(it.ref for it in d.accs[ai].items))
        if got != want:
            return None
        m[ai] = got
    for k, (whole, win) in dl.items():
        rw, rwin = rl[k]
        if [m[ai] for ai in whole] != rw or [m[ai] for ai in win] != rwin:
            return None
    return m


def _adopt(part: list[_Item], labels: list[int], end: Assigner, stale: set[int]) -> Iterator[_Acc]:
    """A worker's finished clusters (not those still open in ``end``, nor ``stale`` ones)."""
    groups: dict[int, list[_Item]] = {}
    for it, lab in zip(part, labels, strict=True):
        if lab not in stale and lab not in end.accs:
            groups.setdefault(lab, []).append(it)
    for its in groups.values():
        acc = _Acc(family=its[0].family)
        acc.items = its
        yield acc
    for ai in stale:
        end.accs.pop(ai, None)


def _stitch(d: Assigner, part: list[_Item], labels: list[int], end: Assigner, start: int, window: int,
            stats: PassStats) -> Iterator[_Acc]:
    """Continue the true state ``d`` over ``part`` until it is equivalent to the worker's, then take the
    worker's clusters; yields the finished clusters and returns the state to carry on (a generator's value)."""
    r = Assigner(window)
    carried = list(d.accs)  # the clusters of earlier partitions (later ones get greater ids)
    days, due, gap = 0, 0, 1
    for i, it in enumerate(part):
        if i and it.lo != part[i - 1].lo and days <= EDGE_DAYS:
            horizon = it.lo - timedelta(days=window)  # type: ignore[operator]
            days += 1
            carried = [ai for ai in carried if _open(d, ai, horizon)]
            m = None
            if (not carried and days >= due) or days % CHECK_EVERY == 0:
                m = _equivalent(d, r, horizon)
                due, gap = days + gap, min(2 * gap, CHECK_EVERY)  # a failed test: the next one later
            if m is not None:
                stats.rerun += i
                stats.met_days = max(stats.met_days, days)
                yield from [acc for ai, acc in d.accs.items() if ai not in m]
                mapped = set(m.values())
                yield from _adopt(part, labels, end, {ai for ai in range(r.next_id) if ai not in mapped})
                return end
        d.add(it)
        yield from pop_point(d, it, start + i, window)
        if days <= EDGE_DAYS:  # past that the greedy chains rarely fall back in step: no more replay here
            r.add(it, labels[i])
            pop_point(r, it, start + i, window)
    stats.rerun += len(part)
    stats.whole += 1
    return d


def partitioned(items: list[_Item], window: int, run: Callable[[list[_Item], int], Any], ahead: int = 2,
                size: int | None = None, edges: bool = True, stats: PassStats | None = None) -> Iterator[_Acc]:
    """The greedy pass over ``items`` (sorted) partitioned by time: ``run(part, start)`` starts
    :func:`assign_task` on a partition (a Dask future, or anything with ``result()``), at most ``ahead`` in
    flight; yields each cluster once finished, as :func:`sequential` does, and the same clusters.
    ``edges=False`` takes every partition as its worker built it (no stitching: for measuring what the
    edges change). Empties ``items`` as it goes."""
    stats = stats if stats is not None else PassStats()
    ranges = partitions(items, size)
    stats.partitions = len(ranges)
    futs: deque[Any] = deque()
    state: Assigner | None = None
    for k, (a, b) in enumerate(ranges):
        while len(futs) < max(1, ahead) and k + len(futs) < len(ranges):
            x, y = ranges[k + len(futs)]
            futs.append(run(items[x:y], x))
        labels, end = futs.popleft().result()
        part = items[a:b]
        if edges and state is not None and state.family == part[0].family and part[0].lo is not None:
            stats.edges += 1
            state = yield from _stitch(state, part, labels, end, a, window, stats)
        else:
            if state is not None:
                yield from state.pop_finished(None, None)
            yield from _adopt(part, labels, end, set())
            state = end
        for n in range(a, b):
            items[n] = None  # type: ignore[call-overload]
    if state is not None:
        yield from state.pop_finished(None, None)
