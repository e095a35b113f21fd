"""A disk cache for data structures that are slow to build at start-up (the language model, the actor
registry and its automaton).

An entry lives in ``$KHALDUN_CACHE_DIR`` or else ``$XDG_CACHE_HOME/khaldun`` (default ``~/.cache/khaldun``),
one pickle file per name. Its key is a hash of khaldun's version, the Python version, the cache format and
the bytes of every file the structure is built from (data files and the building code), so an entry is
never used across versions, and a changed data file means a rebuild. A missing, stale, corrupt or
unreadable entry is rebuilt; a cache folder that cannot be written means no cache (the built value is
still returned). ``KHALDUN_NO_CACHE=1`` turns the cache off.

Start-up cost (issue 16) shapes the format: an entry is a pickle (protocol 5) whose large NumPy arrays are
stored out of band after it and mapped from the file on load, not copied (the language model's 40 MB of
tables cost nothing until read); the cyclic garbage collector is paused while an entry is unpickled; and a
data file's hash is remembered with its size, times and inode (``file-hashes.pickle`` in the folder, git's
index in small), so an unchanged file is not read again at every start. A file changed less than
:data:`RACY_SECONDS` before it was hashed is always hashed again (its times cannot tell a later edit).

Only khaldun writes these files, in the user's own cache folder: unpickling them trusts that folder as
much as the user's home directory.
"""

from __future__ import annotations

import gc
import hashlib
import mmap
import os
import pickle
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from . import __version__

__all__ = ["LOADS", "cache_dir", "cached", "key_of"]

FORMAT = 2
MAGIC = b"khaldun-cache\n"
INDEX = "file-hashes"  # the folder's remembered file hashes (not a cache entry of its own)
RACY_SECONDS = 2.0
_ALIGN = 64
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


def _stat_key(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


class _Hashes:
    """Hashes of data files by path, trusted while the file's size, times and inode are unchanged."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.known: dict[str, tuple[tuple[int, int, int, int], bytes]] = {}
        self.dirty = False

    def load(self, folder: Path | None) -> None:
        if folder == self.folder:
            return
        self.folder, self.known, self.dirty = folder, {}, False
        if folder is not None:
            ok, value = _read(folder / f"{INDEX}.pickle", f"{INDEX} {FORMAT}")
            if ok and isinstance(value, dict):
                self.known = value

    def digest(self, name: str) -> bytes:
        try:
            st = os.stat(name)
        except OSError:
            return b"\0missing\0"
        sk = _stat_key(st)
        hit = self.known.get(name)
        if hit is not None and hit[0] == sk:
            return hit[1]
        hashed_at = time.time_ns()
        try:
            with open(name, "rb") as fh:
                d = hashlib.blake2b(fh.read(), digest_size=20).digest()
        except OSError:
            return b"\0missing\0"
        if hashed_at - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_SECONDS * 1e9:
            self.known[name] = (sk, d)
            self.dirty = True
        else:
            self.known.pop(name, None)
        return d

    def save(self) -> None:
        if self.dirty and self.folder is not None:
            _write(self.folder / f"{INDEX}.pickle", f"{INDEX} {FORMAT}", self.known)
            self.dirty = False


_HASHES = _Hashes()


def key_of(files: Iterable[Path | str], extra: str = "") -> str:
    """Hash of khaldun's version, the Python version, ``extra`` and the name and bytes of each file."""
    _HASHES.load(cache_dir())
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{__version__}\0{sys.version_info[:3]}\0{FORMAT}\0{extra}\0".encode())
    for f in sorted(str(p) for p in files):
        h.update(os.path.basename(f).encode() + b"\0")
        h.update(_HASHES.digest(os.path.abspath(f)))
    _HASHES.save()
    return h.hexdigest()


def _read(path: Path, key: str) -> tuple[bool, Any]:
    """The value of the entry at ``path`` when it holds ``key``: the pickle after the key line, its
    out-of-band buffers (``len`` line: their offsets and sizes) mapped from the file."""
    was = gc.get_threshold()
    gc.set_threshold(0)  # unpickling makes many containers that all live on: nothing for a collection to find
    try:
        with path.open("rb") as fh:
            if fh.read(len(MAGIC)) != MAGIC or fh.read(len(key) + 1) != (key + "\n").encode():
                return False, None
            head = fh.readline().split()
            if len(head) < 2 or len(head) % 2:
                return False, None
            start = fh.tell()
            size = os.fstat(fh.fileno()).st_size
            nums = [int(x) for x in head]
            plen, parts = nums[0], list(zip(nums[2::2], nums[3::2], strict=True))
            end = max([start + plen] + [start + o + n for o, n in parts])
            if end != size or nums[1] != len(parts):
                return False, None  # truncated (or padded): never half an entry
            if not parts:
                return True, pickle.loads(fh.read(plen))
            mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            view = memoryview(mm)
            return True, pickle.loads(view[start:start + plen],
                                      buffers=[view[start + o:start + o + n] for o, n in parts])
    except Exception:  # noqa: BLE001 - a corrupt or unreadable entry is only a miss
        return False, None
    finally:
        gc.set_threshold(*was)


def _write(path: Path, key: str, value: Any) -> None:
    tmp = None
    try:
        buffers: list[pickle.PickleBuffer] = []
        data = pickle.dumps(value, protocol=5, buffer_callback=buffers.append)
        raws = [b.raw() for b in buffers]
        offsets, at = [], len(data)
        for r in raws:
            at += -at % _ALIGN
            offsets.append(at)
            at += r.nbytes
        head = " ".join(str(x) for x in [len(data), len(raws)] + [v for o, r in zip(offsets, raws, strict=True)
                                                                   for v in (o, r.nbytes)])
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(MAGIC + (key + "\n").encode() + head.encode() + b"\n")
            fh.write(data)
            written = len(data)
            for o, r in zip(offsets, raws, strict=True):
                fh.write(b"\0" * (o - written))
                fh.write(r)
                written = o + r.nbytes
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
