"""`khaldun bench` runs and prints its fields (tiny input; no figure is asserted: timings are not tests)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from khaldun.bench import _report, bench_items
from khaldun.cli import app


def test_generated_bench_texts_are_distinct_and_varied() -> None:
    items, skipped = bench_items(12)
    assert skipped == [] and len(items) == 12
    assert len({it["text"] for it in items}) == 12
    assert len({it["text"].split("\n\n")[1][:20] for it in items}) > 6  # not near-copies of one article


def test_bench_prints_median_range_ratio_and_scaling(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps({"text": t}) for t in [
        "Gunmen attacked a police post in the northern town of Velka on Tuesday, officials said.",
        "The ministry said two ships had delivered armoured vehicles to the port last week.",
        "Protesters marched in the capital on Friday to demand the release of detained students.",
    ]) + "\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["bench", "--corpus", str(corpus), "--rounds", "2"])
    assert res.exit_code == 0, res.output
    lines = res.output.strip().splitlines()
    assert lines[0].startswith("khaldun bench: 3 docs") and "2 rounds" in lines[0]
    assert any(ln.startswith("spacy ") for ln in lines) and any(ln.startswith("khaldun ") for ln in lines)
    assert any(ln.startswith("ratio khaldun/spacy words/s (per round): ") for ln in lines)
    figures = json.loads(lines[-1])
    assert figures["docs"] == 3 and figures["rounds"] == 2
    for side in ("spacy", "khaldun"):
        s = figures[side]["words_per_s"]
        assert 0 < s["min"] <= s["median"] <= s["max"]
    assert figures["ratio"]["min"] <= figures["ratio"]["median"] <= figures["ratio"]["max"]
    assert "scaling" not in figures


def test_scaling_is_parallel_wall_docs_per_s_over_the_one_process_side() -> None:
    """The scaling lines (--workers/--dask) from made-up timings: 4 docs in 2 s on one process, 1 s on two."""
    lines: list[str] = []
    res = {k: [{"cpu": 1.0, "wall": 2.0, "rss_mb": 100.0}, {"cpu": 2.0, "wall": 2.0, "rss_mb": 120.0}]
           for k in ("spacy", "khaldun")}
    out = _report([{"text": "a b"}] * 4, 8, res, {"--workers 2": [1.0, 0.5]}, lines.append)
    assert out["scaling"]["--workers 2"]["vs_one_process"] == {"median": 3.0, "min": 2.0, "max": 4.0}
    assert out["khaldun"]["words_per_s"] == {"median": 6.0, "min": 4.0, "max": 8.0}
    assert out["ratio"]["median"] == 1.0 and out["khaldun"]["rss_mb"] == 120.0
    assert any(ln.strip().startswith("--workers 2") and "3.00 [2.00-4.00]x one process" in ln for ln in lines)


def test_scaling_on_free_cores_is_one_process_cpu_over_the_busiest_worker_or_the_total_share() -> None:
    """4 docs: the one process spends 2 CPU s; two workers 1.0 s and 0.6 s, the parent 0.2 s -> 2 / max(1.0,
    (1.6 + 0.2) / 2) = 2.0x; in the second round the parent's unpickling dominates: 2 / ((1.6 + 1.4) / 2)."""
    lines: list[str] = []
    res = {k: [{"cpu": 2.0, "wall": 4.0, "rss_mb": 100.0}, {"cpu": 2.0, "wall": 4.0, "rss_mb": 100.0}]
           for k in ("spacy", "khaldun")}
    par = {"--dask local:2": [{"wall": 8.0, "cpu_parent": 0.2, "cpu_workers": [1.0, 0.6]},
                              {"wall": 2.0, "cpu_parent": 1.4, "cpu_workers": [1.0, 0.6]}]}
    out = _report([{"text": "a b"}] * 4, 8, res, par, lines.append)
    fig = out["scaling"]["--dask local:2"]
    assert fig["vs_one_process"] == {"median": 1.25, "min": 0.5, "max": 2.0}
    assert fig["cpu_bound"]["max"] == 2.0 and round(fig["cpu_bound"]["min"], 3) == round(2 / 1.5, 3)
    assert fig["cpu_workers_s"]["median"] == 1.6 and fig["cpu_busiest_worker_s"]["max"] == 1.0
    assert any("on free cores" in ln and ln.strip().startswith("--dask local:2") for ln in lines)


def test_bench_on_an_empty_corpus_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    res = CliRunner().invoke(app, ["bench", "--corpus", str(tmp_path / "empty.jsonl")])
    assert res.exit_code == 2 and "no article to benchmark" in " ".join(res.output.split())
    res = CliRunner().invoke(app, ["bench", "--corpus", str(tmp_path / "missing")])
    assert res.exit_code == 2 and "no such file" in " ".join(res.output.split())


def test_arabic_bench_reports_its_speed_on_generated_arabic() -> None:
    from khaldun.arabic.bench import arabic_items, run_arabic_bench

    items = arabic_items(6)
    assert len(items) == 6 and all(any("\u0600" <= ch <= "\u06ff" for ch in it["text"]) for it in items)
    lines: list[str] = []
    out = run_arabic_bench(6, rounds=1, emit=lines.append)
    assert out["words"] == sum(len(it["text"].split()) for it in items) and out["words_per_s"]["median"] > 0
    assert out["claims"] > 0  # the Arabic path codes the generated reports
    assert any(line.startswith("arabic words/s") for line in lines)


def test_parallel_chunks_are_the_same_docs_in_order_two_per_worker_or_the_batch() -> None:
    """Scaling runs feed the pool the same docs in input order; 48 docs on 2 workers are 4 chunks of 12 (each
    one spaCy batch in its worker), never chunks smaller than --batch-size."""
    from khaldun.bench import _chunks

    items = [{"text": f"doc {i}"} for i in range(48)]
    chunks = _chunks(items, 8, 2)
    assert [len(c) for c in chunks] == [12, 12, 12, 12]
    assert [it for c in chunks for _, it in c] == items and [k for c in chunks for k, _ in c] == [str(i) for i in range(48)]
    assert [len(c) for c in _chunks(items[:10], 8, 2)] == [8, 2]
    assert [len(c) for c in _chunks(items[:3], 1, 4)] == [1, 1, 1]
    assert _chunks([], 8, 2) == []


def test_parallel_chunks_of_uneven_articles_hold_about_the_same_words() -> None:
    """The 2N chunks are cut by words, in input order: long articles first no longer make one chunk twice the
    work of another (by count, the first chunk here would hold 6 long articles, 3x the words of the last)."""
    from khaldun.bench import _chunks

    items = [{"text": " ".join(["word"] * (300 if i < 12 else 100))} for i in range(48)]
    chunks = _chunks(items, 8, 2)
    words = [sum(len(it["text"].split()) for _, it in c) for c in chunks]
    assert len(chunks) == 4 and [it for c in chunks for _, it in c] == items
    assert max(words) - min(words) <= 300, words  # within one article of each other
    assert [len(c) for c in chunks] != [12, 12, 12, 12]
