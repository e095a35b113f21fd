"""What an analysis worker (ingest's pool, a Dask worker) sends back: each document packed as one byte string.

Pickle as it is spends most of its time on pydantic's own ``__getstate__``/``__setstate__``, a Python call that
builds and reads a four-key dictionary for each of the ~150 model objects of an article (mentions, passages,
claims and their parts). Here each model of the contract (:mod:`khaldun.models`) is pickled by a reducer from a
dispatch table: its class, its field dictionary and its fields-set (one shared tuple per distinct set), and
rebuilt by one call that sets them back, as :mod:`khaldun.trusted` builds models. The copy is the same object
graph: the same field values, fields-set and (empty) extras and private state, so it compares equal, dumps the
same JSON and stores the same rows. Measured on the bench's 48 articles (7,295 model objects; CPU, best of 9,
`python scripts/pool_overheads.py payload`, two runs on a shared machine): each document packed 0.011-0.014 s
and rebuilt 0.012-0.016 s, against 0.015-0.023 s and 0.015-0.021 s for plain pickle of the list; 0.66 MB for 0.77.

A worker packs each document as the pipeline yields it (:func:`khaldun.store.runner.analyze_items`), so that a
chunk's documents are bytes, not objects the worker's garbage collector walks until the chunk is sent (CPU in
collections per pass over the 48 articles, `pool_overheads.py gc`, median of 10: 0.035 s with the chunk kept
whole, 0.011 s packed as they come, as the one process's `analyze_many`). The parent (the only writer) rebuilds a
chunk's documents with the collector paused (:func:`unpack_results`): every object unpickled lives on, so a
collection in between would find nothing.

Only this package's workers and its own parent read these bytes (never a file, never input from elsewhere).
"""

from __future__ import annotations

import copyreg
import gc
import io
import pickle
from typing import Any

from pydantic import BaseModel

__all__ = ["pack", "unpack", "unpack_results"]

_set = object.__setattr__
_FIELDS_SETS: dict[tuple[type, frozenset[str]], tuple[str, ...]] = {}
_TABLE: dict[type, Any] | None = None


def _rebuild(cls: type[BaseModel], fields: dict[str, Any], fields_set: tuple[str, ...]) -> BaseModel:
    m = cls.__new__(cls)
    _set(m, "__dict__", fields)
    _set(m, "__pydantic_fields_set__", set(fields_set))
    _set(m, "__pydantic_extra__", None)
    _set(m, "__pydantic_private__", None)
    return m


def _reduce(m: BaseModel) -> tuple[Any, tuple[Any, ...]]:
    if m.__pydantic_extra__ is not None or m.__pydantic_private__ is not None:  # not the contract's: pydantic's own
        return m.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
    cls = type(m)
    fs = m.__pydantic_fields_set__
    key = (cls, frozenset(fs))
    names = _FIELDS_SETS.get(key)
    if names is None:
        names = _FIELDS_SETS[key] = tuple(sorted(fs))
    return _rebuild, (cls, m.__dict__, names)


def _table() -> dict[type, Any]:
    """The reducers, one per model class of the contract (dispatch tables match a type exactly)."""
    global _TABLE
    if _TABLE is None:
        from .. import models

        table = copyreg.dispatch_table.copy()
        todo = [c for c in vars(models).values() if isinstance(c, type) and issubclass(c, BaseModel)]
        while todo:
            c = todo.pop()
            if c is not BaseModel and c not in table:
                table[c] = _reduce
                todo.extend(c.__subclasses__())
        _TABLE = table
    return _TABLE


def pack(results: Any) -> bytes:
    """``results`` (a chunk's ``(Document | None, error | None)`` pairs, or anything picklable) as bytes."""
    buf = io.BytesIO()
    p = pickle.Pickler(buf, pickle.HIGHEST_PROTOCOL)
    p.dispatch_table = _table()
    p.dump(results)
    return buf.getvalue()


def unpack(data: bytes) -> Any:
    """What :func:`pack` was given (an equal copy)."""
    return pickle.loads(data)  # noqa: S301  bytes from this package's own workers, never from outside


def unpack_results(results: list[tuple[bytes | None, str | None]]) -> list[tuple[Any, str | None]]:
    """A chunk's ``(packed document or None, error or None)`` pairs with the documents rebuilt, with the cyclic
    garbage collector paused (through its threshold, put back after)."""
    was = gc.get_threshold()
    gc.set_threshold(0)
    try:
        return [(None if data is None else unpack(data), err) for data, err in results]
    finally:
        gc.set_threshold(*was)
