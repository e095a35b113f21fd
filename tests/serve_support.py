"""Shared by the workbench tests (test_serve_api, test_serve_browser, test_serve_load).

The test corpus (tests/corpus, fictional) plus one hostile article of our own, analysed once per test
session, and stores filled with them on SQLite or on a fresh PostgreSQL schema (KHALDUN_TEST_PG_URL).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from pg_support import PG_URL, empty_store_url  # noqa: F401 - PG_URL is read by the serve tests

from khaldun.models import Document
from khaldun.store import Store

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus" / "articles.jsonl"
REGISTRY = HERE / "corpus" / "registry.yaml"

# A fictional article whose text, headline and outlet carry script payloads: they must render as text.
HOSTILE = dict(
    title='Convoy report <script>alert("xss-title")</script>',
    outlet="Injection <b>Weekly</b>",
    published="2020-06-03",
    url="javascript:alert('xss-url')",
    text=('Turkey shipped armoured vehicles <script>alert("xss-script")</script> to the Government of National '
          "Accord in Tripoli on Monday, the army spokesman said.\n\n"
          "A second convoy <img src=x onerror=\"alert('xss-img')\"> reached Misrata on Tuesday, officials said."),
)


def articles() -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    for r in rows:
        r.pop("id", None)  # the tests' story key, not an article field
    return rows


@lru_cache(maxsize=1)
def analyzed() -> tuple[Document, ...]:
    """The corpus and the hostile article, analysed (once per session)."""
    from khaldun.actors import ActorRegistry
    from khaldun.pipeline import Pipeline

    pipe = Pipeline(registry=ActorRegistry.default().with_file(REGISTRY))
    docs = tuple(pipe.analyze_many([*articles(), HOSTILE]))
    assert not pipe.errors, pipe.errors
    return docs


def hostile_document() -> Document:
    return next(d for d in analyzed() if "xss-script" in d.text)


def fill(url: str, docs: Any) -> None:
    with Store.open(url) as store:
        run = store.start_run("tests")
        store.add_documents(list(docs), run)
        store.finish_run(run)


@contextmanager
def store_url(kind: str, tmp: Path) -> Iterator[str]:
    """A URL of an empty store: an SQLite file under ``tmp``, or a fresh PostgreSQL schema (dropped after)."""
    with empty_store_url(kind, tmp) as url:
        yield url
