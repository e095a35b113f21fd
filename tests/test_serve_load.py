"""Load: 8 concurrent API readers over HTTP while an ingest writes to the same store (SQLite, PostgreSQL).

Every request must answer 200 and the writer must finish: 0 errors. No timing is asserted (the p95
latency is what `khaldun bench --serve` reports).
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from serve_support import PG_URL, analyzed, fill, store_url

from khaldun.serve.bench import READERS, ServerThread, run_load, summarize


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_readers_while_ingest_writes(kind: str, tmp_path: Path) -> None:
    if kind == "postgresql" and not PG_URL:
        pytest.skip("KHALDUN_TEST_PG_URL is not set (a PostgreSQL server for the store tests)")
    docs = list(analyzed())
    first, rest = docs[:12], docs[12:]
    with store_url(kind, tmp_path) as url:
        fill(url, first)
        res = run_load(url, rest, readers=READERS, rounds=12, batch=3)
        assert res["errors"] == []
        assert len(res["requests"]) >= READERS * 12
        assert all(status == 200 for _, status, _ in res["requests"])
        stats = summarize(res)
        assert {"claims", "clusters", "document", "claim"} <= set(stats)
        # after the load, the server sees everything the writer committed
        from khaldun.serve.app import create_app

        app = create_app(url)
        with ServerThread(app) as srv:
            got = httpx.get(f"{srv.url}/api/v1/claims", params={"limit": 1}, timeout=60).json()
        app.state.data.close()
        assert got["total"] == sum(len(d.claims) for d in docs)
