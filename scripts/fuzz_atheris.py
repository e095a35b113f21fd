"""Coverage-guided fuzzing of khaldun's input readers with atheris (libFuzzer for Python), by hand.

    pip install atheris                     # not a khaldun dependency; Linux, CPython 3.8-3.11
    python scripts/fuzz_atheris.py CORPUS_DIR -max_total_time=3600      # any libFuzzer flag
    python scripts/fuzz_atheris.py CORPUS_DIR --analyze                  # also the full pipeline (slow)
    python scripts/fuzz_atheris.py --replay crash-1a2b3c ...             # re-run saved inputs, no atheris

Each input's first byte picks the file name the bytes are read as (text, JSON Lines, JSON, feed, HTML,
no extension: see ``NAMES``); the rest is the file. What runs is what `khaldun ingest` runs on a file
(:func:`khaldun.ingest.read_bytes`, the caps of :mod:`khaldun.limits`, the runner's document id and
appearance) plus text normalization; with ``--analyze`` each article also goes through the pipeline.
An exception, or a result that breaks the reader's contract (an article beyond the caps, an error of
more than one line), is a crash: atheris saves the input, and ``--replay`` reproduces it. Every crash
found belongs in ``tests/test_robustness.py`` as a regular test.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

NAMES = ("fuzz.txt", "fuzz.jsonl", "fuzz.json", "fuzz.xml", "fuzz.atom", "fuzz.html", "fuzz")
_PIPE: list[Any] = []


def check_one(data: bytes, analyze: bool = False) -> int:
    """Read ``data`` as the file named by its first byte and check the reader's contract; returns the
    number of articles read. Raises AssertionError (or the reader's own exception) on a fault."""
    from khaldun import limits
    from khaldun.ingest import IngestError, RawArticle, read_bytes
    from khaldun.store.runner import IngestOptions, appearance, document_id, to_item
    from khaldun.text import normalize

    if not data:
        return 0
    name = NAMES[data[0] % len(NAMES)]
    articles = []
    for it in read_bytes(name, data[1:]):
        if isinstance(it, IngestError):
            assert len(str(it).splitlines()) == 1, str(it)
            continue
        assert isinstance(it, RawArticle)
        assert it.text.strip() and limits.text_problem(it.text) is None
        norm = normalize(it.text)
        assert normalize(norm) == norm
        item = to_item(it, IngestOptions())
        appearance(document_id(item), item)
        articles.append(item)
    if analyze and articles:
        if not _PIPE:
            from khaldun.pipeline import default_pipeline

            _PIPE.append(default_pipeline())
        pipe = _PIPE[0]
        docs = list(pipe.analyze_many(articles))
        assert len(docs) == len(articles) and not pipe.errors, pipe.errors
    return len(articles)


def main(argv: list[str]) -> int:
    analyze = "--analyze" in argv
    argv = [a for a in argv if a != "--analyze"]
    if len(argv) > 1 and argv[1] == "--replay":
        for p in argv[2:]:
            n = check_one(Path(p).read_bytes(), analyze)
            sys.stdout.write(f"{p}: ok ({n} article(s))\n")
        return 0
    try:
        import atheris
    except ImportError:
        sys.stderr.write("error: atheris is not installed (pip install atheris); --replay FILE... runs "
                         "saved inputs without it\n")
        return 2
    with atheris.instrument_imports():
        import khaldun.ingest  # noqa: F401
        import khaldun.limits  # noqa: F401
        import khaldun.store.runner  # noqa: F401
        import khaldun.text  # noqa: F401

    def test_one(data: bytes) -> None:
        check_one(data, analyze)

    atheris.Setup(argv, test_one)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
