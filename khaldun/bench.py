"""`khaldun bench`: khaldun against the bare spaCy pipeline on the same text, in one run.

Both sides process the same articles on one core: the bare side is the full en_core_web_sm pipeline
(`nlp.pipe`, batch 32) over whole paragraphs, khaldun is everything `analyze_many` does. Peak RSS is
measured per side in a fresh child process (so one side's memory does not hide the other's).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import resource
import time
from pathlib import Path
from typing import Any

from .nlp import paragraphs

# The example article ships with the package (written for khaldun); generated articles vary it
_SUBJECTS = ["Turkey", "Qatar", "The United Arab Emirates", "Russia", "Egypt", "Ankara", "Doha", "Moscow"]
_RECIPIENTS = ["armed groups in Tripoli", "the militants", "forces loyal to Khalifa Haftar",
               "the Government of National Accord", "fighters in Misrata"]
_MATERIEL = ["air defence systems", "armoured vehicles", "six drones", "ammunition and rifles",
             "two Pantsir batteries", "several ships laden with weapons"]


def example_text() -> str:
    return (Path(__file__).parent / "data" / "examples" / "example_article.txt").read_text(encoding="utf-8")


def generated_articles(n: int) -> list[str]:
    base = example_text()
    out = []
    for i in range(n):
        s = _SUBJECTS[i % len(_SUBJECTS)]
        r = _RECIPIENTS[(i // 2) % len(_RECIPIENTS)]
        m = _MATERIEL[(i // 3) % len(_MATERIEL)]
        extra = (f"{s} sent {m} to {r} last week, according to a United Nations panel of experts. "
                 f"Officials in the capital denied that any {m.split()[-1]} had arrived.\n\n")
        out.append(extra + base)
    return out


def _words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def _side(kind: str, texts: list[str], q: Any) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from .nlp import load_model

    if kind == "spacy":
        nlp = load_model((), table_ruler=False)  # spaCy's full pipeline, nothing excluded or replaced
        paras = [p.text for t in texts for p in paragraphs(t)]
        list(nlp.pipe(paras[:8], batch_size=32))  # warm-up
        t0 = time.perf_counter()
        for _ in nlp.pipe(paras, batch_size=32):
            pass
        dt = time.perf_counter() - t0
    else:
        from .pipeline import default_pipeline

        pipe = default_pipeline()
        list(pipe.analyze_many([{"text": t} for t in texts[:2]]))  # warm-up: loads registries
        t0 = time.perf_counter()
        n_claims = 0
        for d in pipe.analyze_many([{"text": t, "published": "2020-05-01"} for t in texts]):
            n_claims += len(d.claims)
        dt = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    q.put({"kind": kind, "seconds": dt, "rss_mb": rss_mb})


def _run_side(kind: str, texts: list[str]) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_side, args=(kind, texts, q))
    p.start()
    res = q.get()
    p.join()
    return res


def run_bench(n_docs: int = 64, path: Path | None = None) -> str:
    texts = [path.read_text(encoding="utf-8")] * n_docs if path else generated_articles(n_docs)
    words = _words(texts)
    results = {}
    for kind in ("spacy", "khaldun"):
        r = _run_side(kind, texts)
        r["docs_per_s"] = n_docs / r["seconds"]
        r["words_per_s"] = words / r["seconds"]
        results[kind] = r
    ratio = results["khaldun"]["words_per_s"] / results["spacy"]["words_per_s"]
    lines = [f"khaldun bench: {n_docs} docs, {words} words, one core each side",
             f"{'':10}{'docs/s':>10}{'words/s':>12}{'peak RSS MB':>14}"]
    for k in ("spacy", "khaldun"):
        r = results[k]
        lines.append(f"{k:10}{r['docs_per_s']:>10.1f}{r['words_per_s']:>12.0f}{r['rss_mb']:>14.0f}")
    lines.append(f"ratio khaldun/spacy words/s: {ratio:.2f}")
    lines.append(json.dumps({"ratio": round(ratio, 3), **{k: {kk: round(vv, 2) for kk, vv in v.items()
                                                               if isinstance(vv, float)}
                                                           for k, v in results.items()}}))
    return "\n".join(lines)
