"""Empty stores for the tests: an SQLite file, or a fresh schema on the PostgreSQL test server
(``KHALDUN_TEST_PG_URL``), defined once for every test module (the ``store_url`` fixture in conftest.py)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from khaldun.store import resolve_url

PG_URL = os.environ.get("KHALDUN_TEST_PG_URL")


def pg_schema_url(base: str) -> tuple[str, str]:
    """A fresh schema on the test server and a URL whose search_path is that schema."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    eng = sa.create_engine(resolve_url(base))
    with eng.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    eng.dispose()
    url = sa.make_url(resolve_url(base)).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def drop_pg_schema(base: str, schema: str) -> None:
    eng = sa.create_engine(resolve_url(base))
    with eng.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    eng.dispose()


@contextmanager
def empty_store_url(kind: str, tmp: Path, name: str = "khaldun.db") -> Iterator[str]:
    """The URL of an empty store of ``kind`` ("sqlite" under ``tmp``, or "postgresql": a schema dropped after)."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp / name}"
        return
    if not PG_URL:
        raise RuntimeError("KHALDUN_TEST_PG_URL is not set (a PostgreSQL server for the store tests)")
    url, schema = pg_schema_url(PG_URL)
    try:
        yield url
    finally:
        drop_pg_schema(PG_URL, schema)
