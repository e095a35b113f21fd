"""A disk cache for data structures that are slow to build at start-up (the language model, the actor
registry and its automaton).

An entry lives in ``$KHALDUN_CACHE_DIR`` or else ``$XDG_CACHE_HOME/khaldun`` (default ``~/.cache/khaldun``),
one pickle file per name. Its key is a hash of khaldun's version, the Python version, the cache format and
the bytes of every file the structure is built from (data files and the building code), so an entry is
never used across versions, and a changed data file means a rebuild. A missing, stale, corrupt or
unreadable entry is rebuilt; a cache folder that cannot be written means no cache (the built value is
still returned). ``KHALDUN_NO_CACHE=1`` turns the cache off.

Only khaldun writes these files, in the user's own cache folder: unpickling them trusts that folder as
much as the user's home directory.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from . import __version__

__all__ = ["LOADS", "cache_dir", "cached", "key_of"]

FORMAT = 1
MAGIC = b"khaldun-cache\n"
ENV_DIR = "KHALDUN_CACHE_DIR"
ENV_OFF = "KHALDUN_NO_CACHE"

#: how each named structure was obtained in this process: LOADS[(name, "cache")], LOADS[(name, "built")]
LOADS: Counter[tuple[str, str]] = Counter()

T = TypeVar("T")


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    if os.environ.get(ENV_OFF, "").strip() not in ("", "0"):
        return None
    own = os.environ.get(ENV_DIR)
    if own:
        return Path(own)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "khaldun"


def key_of(files: Iterable[Path | str], extra: str = "") -> str:
    """Hash of khaldun's version, the Python version, ``extra`` and the name and bytes of each file."""
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{__version__}\0{sys.version_info[:3]}\0{FORMAT}\0{extra}\0".encode())
    for f in sorted(str(p) for p in files):
        h.update(os.path.basename(f).encode() + b"\0")
        try:
            with open(f, "rb") as fh:
                h.update(fh.read())
        except OSError:
            h.update(b"\0missing\0")
    return h.hexdigest()


def _read(path: Path, key: str) -> tuple[bool, Any]:
    try:
        with path.open("rb") as fh:
            if fh.read(len(MAGIC)) != MAGIC or fh.read(len(key) + 1) != (key + "\n").encode():
                return False, None
            return True, pickle.load(fh)
    except Exception:  # noqa: BLE001 - a corrupt or unreadable entry is only a miss
        return False, None


def _write(path: Path, key: str, value: Any) -> None:
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(MAGIC + (key + "\n").encode())
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a reader sees the old entry or the whole new one
        tmp = None
    except Exception:  # noqa: BLE001 - an unwritable cache folder just means no cache
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def cached(name: str, files: Iterable[Path | str], build: Callable[[], T], extra: str = "") -> T:
    """The value ``build()`` returns, read from the cache entry ``name`` when its key still matches
    ``files`` (and ``extra``), else built and stored."""
    folder = cache_dir()
    if folder is None:
        LOADS[(name, "built")] += 1
        return build()
    key = key_of(files, extra)
    path = folder / f"{name}.pickle"
    ok, value = _read(path, key)
    if ok:
        LOADS[(name, "cache")] += 1
        return value  # type: ignore[no-any-return]
    value = build()
    LOADS[(name, "built")] += 1
    _write(path, key, value)
    return value
