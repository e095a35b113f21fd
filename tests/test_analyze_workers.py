"""`khaldun analyze --workers N`: the same documents, in the same order, as one process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from khaldun.cli import app


def test_analyze_on_two_processes_gives_one_process_output(tmp_path: Path) -> None:
    texts = ["Gunmen attacked a police post in the northern town of Velka on Tuesday, officials said.",
             "The ministry said two ships had delivered armoured vehicles to the port last week.",
             "Protesters marched in the capital on Friday to demand the release of detained students.",
             "Artillery shelled villages near the border overnight, a local council member told reporters.",
             "The foreign minister met his counterpart in the capital to discuss a ceasefire."]
    f = tmp_path / "a.jsonl"
    f.write_text("\n".join(json.dumps({"text": t, "published": "2021-03-04"}) for t in texts) + "\n",
                 encoding="utf-8")
    one = CliRunner().invoke(app, ["analyze", str(f), "-f", "jsonl"])
    two = CliRunner().invoke(app, ["analyze", str(f), "-f", "jsonl", "--workers", "2"])
    assert one.exit_code == 0 and two.exit_code == 0, two.output
    docs = [json.loads(ln) for ln in two.stdout.splitlines()]
    assert [d["text"] for d in docs] == texts
    assert any(d["claims"] for d in docs)
    assert two.stdout == one.stdout


def test_a_small_input_is_spread_over_every_worker_and_a_large_one_goes_in_batches(monkeypatch: Any) -> None:
    """`analyze --workers N`: an input that fits in 2N chunks is cut into 2N even ones (every worker gets a
    share); a longer one goes in chunks of the batch size (one spaCy batch each), all in input order."""
    from khaldun import cli
    from khaldun.store import runner

    sizes: list[int] = []

    class Fake:
        def __init__(self, workers: int) -> None:
            self.queue: list[Any] = []
            self.full = False

        def __enter__(self) -> Any:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def submit(self, chunk: list[Any]) -> None:
            sizes.append(len(chunk))
            self.queue.append(chunk)

        def pop(self) -> Any:
            chunk = self.queue.pop(0)
            return chunk, [(it, None) for _, it in chunk]

    monkeypatch.setattr(runner, "_Analyser", Fake)
    assert list(cli._pooled(iter(range(10)), 2, [], batch=16)) == list(range(10))
    assert sizes == [3, 3, 3, 1]
    sizes.clear()
    assert list(cli._pooled(iter(range(100)), 2, [], batch=16)) == list(range(100))
    assert sizes == [16] * 6 + [4]


def test_warm_up_leaves_no_trace_in_what_a_pipeline_returns() -> None:
    """A worker analyses the packaged example once before its first chunk; the documents it returns after
    that are those of a pipeline that never saw the example, and no error is left behind."""
    from khaldun.pipeline import Pipeline
    from khaldun.store.runner import analyze_items, warm_up

    item = dict(text="Rebel fighters shelled an army base near the river on Sunday, a military source said.",
                published="2021-05-02", path="a.txt")
    cold = Pipeline()
    before = analyze_items(cold, [item])
    warm = Pipeline()
    warm_up(warm)
    assert warm.errors == []
    after = analyze_items(warm, [item])
    assert after[0][1] is None and after[0][0] is not None and after[0][0].claims
    assert after[0][0].model_dump() == before[0][0].model_dump()  # type: ignore[union-attr]


def test_pool_ready_means_every_worker_started() -> None:
    """`_Analyser.ready()` (what `khaldun bench` calls before timing) returns once every worker process has
    built and warmed up its pipeline; the pool then analyses as one process does."""
    from khaldun.pipeline import default_pipeline
    from khaldun.store.runner import _Analyser, analyze_items

    item = dict(text="Gunmen attacked a police post in the northern town of Velka on Tuesday, officials said.",
                published="2021-03-04", path="b.txt")
    with _Analyser(2) as an:
        an.ready()
        procs = dict(an.pool._processes)
        assert len(procs) == 2 and all(p.is_alive() for p in procs.values())
        # what `khaldun bench` does: every worker analyses all the docs once; each worker that did says so with
        # its process id (counted, not timed: a CPU-time threshold failed on a loaded machine)
        assert an.warm([item] * 6) == set(procs)  # both did the work, not one of them twice
        an.submit([("x", item)])
        (_, ((doc, err),)) = an.pop()
    assert err is None and doc is not None
    assert doc.model_dump() == analyze_items(default_pipeline(), [item])[0][0].model_dump()  # type: ignore[union-attr]
