"""The store: analysed documents and their claims in SQLite (default, zero set-up) or PostgreSQL.

    >>> from khaldun.store import Store
    >>> with Store.open() as store:             # ./khaldun.db, $KHALDUN_DB or the config file
    ...     for claim, doc_id, source in store.claims(event_type="AID", country="TUR"):
    ...         ...

`khaldun ingest` (:mod:`khaldun.store.cli`, :func:`khaldun.store.runner.run_ingest`) fills it.
Names are imported on first use, so registering the commands (``khaldun.store.cli``) does not
load SQLAlchemy and every other `khaldun` command starts as fast as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .schema import SCHEMA_VERSION
    from .store import Store, StoredClaim, StoreError, config_path, resolve_url

__all__ = ["SCHEMA_VERSION", "Store", "StoreError", "StoredClaim", "config_path", "resolve_url"]


def __getattr__(name: str) -> Any:
    if name == "SCHEMA_VERSION":
        from .schema import SCHEMA_VERSION

        return SCHEMA_VERSION
    if name in __all__:
        from . import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
