"""Arabic analysis speed: words per second of khaldun's Arabic path on the texts of a JSON Lines file (one core).

    .venv/bin/python scripts/bench_arabic.py FILE.jsonl [--repeat N]

Each line needs "text"; the first pass warms the lexicons up and is not timed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    try:
        items = [json.loads(line) for line in a.file.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as exc:
        sys.exit(f"{a.file}: cannot read the articles ({exc})")
    from khaldun.pipeline import Pipeline

    pipe = Pipeline()
    docs = [{"text": it["text"], "language": "ar", "published": it.get("published")} for it in items]
    list(pipe.analyze_many(docs[:5]))
    words = sum(len(d["text"].split()) for d in docs) * a.repeat
    t = time.perf_counter()
    for _ in range(a.repeat):
        list(pipe.analyze_many(docs))
    dt = time.perf_counter() - t
    print(f"arabic: {len(docs) * a.repeat} docs, {words} words in {dt:.2f} s: {words / dt:.0f} words/s, "
          f"{len(docs) * a.repeat / dt:.1f} docs/s")


if __name__ == "__main__":
    main()
