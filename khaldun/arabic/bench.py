"""Arabic speed for `khaldun bench --arabic`: words per CPU second of khaldun's Arabic path.

Articles are generated from the sentence templates of ``data/arabic/bench_templates.yaml`` (or read from a
JSON Lines corpus); the first pass warms the lexicons and is not timed; each round is timed in CPU time
and the median and range are printed. There is no bare-spaCy side: spaCy has no Arabic pipeline here.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

_SLOT = re.compile(r"\{(\w+)\}")


def arabic_items(n_docs: int = 48, corpus: Path | None = None, seed: int = 17) -> list[dict[str, Any]]:
    """``n_docs`` generated Arabic articles (4-8 sentences each), or the articles of a JSON Lines corpus."""
    if corpus is not None:
        lines = corpus.read_text(encoding="utf-8").splitlines()
        return [{"text": json.loads(x)["text"], "language": "ar"} for x in lines if x.strip()][:n_docs]
    data = yaml.safe_load((resources.files("khaldun") / "data" / "arabic" / "bench_templates.yaml")
                          .read_text("utf-8"))
    rng = random.Random(seed)

    def fill(t: str) -> str:
        return _SLOT.sub(lambda m: rng.choice(data["slots"][m.group(1)]), t)

    return [{"text": " ".join(fill(rng.choice(data["templates"])) for _ in range(rng.randint(4, 8))),
             "language": "ar", "published": f"2020-05-0{rng.randint(1, 9)}"} for _ in range(n_docs)]


def run_arabic_bench(n_docs: int = 48, corpus: Path | None = None, rounds: int = 3,
                     emit: Callable[[str], None] = print) -> dict[str, Any]:
    from ..pipeline import default_pipeline

    items = arabic_items(n_docs, corpus)
    pipe = default_pipeline()
    list(pipe.analyze_many(items[:5]))  # warm-up
    words = sum(len(it["text"].split()) for it in items)
    rates, claims = [], 0
    for _ in range(rounds):
        t = time.process_time()
        docs = list(pipe.analyze_many(items))
        rates.append(words / max(time.process_time() - t, 1e-9))
        claims = sum(len(d.claims) for d in docs)
    out = {"docs": len(items), "words": words, "rounds": rounds, "claims": claims,
           "words_per_s": {"median": statistics.median(rates), "min": min(rates), "max": max(rates)}}
    w = out["words_per_s"]
    emit(f"khaldun bench --arabic: {len(items)} docs, {words} words, {claims} claims, {rounds} rounds, CPU time")
    emit(f"arabic words/s (CPU) median [range]: {w['median']:.0f} [{w['min']:.0f}-{w['max']:.0f}]")
    emit(json.dumps(out))
    return out
