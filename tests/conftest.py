"""Session-wide test hooks: the count of fuzzing inputs (tests/test_fuzz.py) in the summary."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import pytest
from pg_support import PG_URL, empty_store_url


def pytest_terminal_summary(terminalreporter: Any) -> None:
    fuzz = sys.modules.get("test_fuzz")
    counts = dict(getattr(fuzz, "COUNTS", {}) or {})
    if not counts:
        return
    total = sum(counts.values())
    parts = ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items()))
    terminalreporter.write_line(f"fuzz: {total:,} generated inputs ({parts})")
    out = os.environ.get("KHALDUN_FUZZ_REPORT")
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            json.dump({"total": total, "counts": counts}, fh)


@pytest.fixture(scope="module")
def nlp() -> Any:
    """khaldun's spaCy model, loaded once per test module (modules that need another model define their own)."""
    from khaldun.nlp import load_model

    return load_model()


@pytest.fixture(scope="module")
def engine() -> Any:
    """The frame engine over the shipped frame data."""
    from khaldun.frames import FrameEngine

    return FrameEngine()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Any) -> Any:
    """An empty store, once on SQLite and once on PostgreSQL (skipped without KHALDUN_TEST_PG_URL)."""
    if request.param == "postgresql" and not PG_URL:
        pytest.skip("KHALDUN_TEST_PG_URL is not set (a PostgreSQL server for the store tests)")
    with empty_store_url(request.param, tmp_path) as url:
        yield url
