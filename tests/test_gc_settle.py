"""`settle`: the long-lived objects frozen out of the collector, the youngest generation collected less often."""

from __future__ import annotations

import gc

from khaldun.pipeline import GC_YOUNG, settle


def test_settle_raises_the_young_threshold_and_keeps_a_higher_one() -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        settle()
        assert gc.get_threshold() == (GC_YOUNG, 10, 10)
        assert gc.get_freeze_count() > 0
        gc.set_threshold(GC_YOUNG * 2, 5, 5)  # a process that asked for more keeps it
        settle()
        assert gc.get_threshold() == (GC_YOUNG * 2, 5, 5)
        gc.set_threshold(0)  # a process that turned the young collections off is left alone
        settle()
        assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def test_settled_pipeline_keeps_the_young_threshold(monkeypatch) -> None:
    """The pause around the build puts the thresholds back when it ends: the young one must be raised after
    it, or it never takes effect in the CLI's, ingest's and Dask's processes."""
    import khaldun.pipeline as kp

    built = []
    monkeypatch.setattr(kp, "Pipeline", lambda: built.append(gc.get_threshold()) or "pipe")
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        assert kp.settled_pipeline() == "pipe"
        assert built == [(0, 10, 10)]  # built with the collector paused
        assert gc.get_threshold() == (GC_YOUNG, 10, 10)
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
