"""WARC archives (web crawls, ``.warc`` and ``.warc.gz``) as a source of articles, through warcio.

Every ``response`` record with a 2xx HTTP status and an HTML content type, and every
``resource`` record with an HTML content type, is one page: its payload (transfer and content
encodings removed by warcio) goes through the same HTML reading as a ``.html`` file
(:mod:`khaldun.ingest`: charset, trafilatura body and metadata). The record's
``WARC-Target-URI`` is the article's URL when the page does not name a canonical one.

Request, metadata and warcinfo records, redirects, error pages and non-HTML payloads (images,
scripts) are not articles and are passed over silently. A crawl is full of HTML pages without an
article body (index pages, tag pages): those come out as :class:`NotArticle`, which the caller
counts but does not report as an error. A record that cannot be decoded, a record shorter than
its declared length (a truncated archive) or a damaged archive is an
:class:`~khaldun.ingest.IngestError` naming the record number (1-based) as its line; the records
before it are kept. (A ``.warc.gz`` cut inside the *header* of its last record cannot be told
from a clean end by warcio: that last record is then silently missing.)
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..ingest import MAX_BYTES, IngestError, RawArticle

__all__ = ["NotArticle", "WarcItem", "is_warc", "read_warc"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_NO_BODY = "HTML page has no extractable article body"
_TRUNCATED = "WARC record truncated: the archive ends inside it (an interrupted download or crawl?)"


@dataclass
class NotArticle:
    """An HTML page in a crawl that has no article body (an index or tag page): skipped, not an error."""

    path: str
    line: int
    url: str | None
    reason: str


def _head(fh: BinaryIO) -> bytes:
    """The first bytes of the archive, decompressed when it is gzipped; the file is rewound."""
    raw = fh.read(2)
    fh.seek(0)
    if raw == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=fh) as gz:
                head = gz.read(8)
        except (OSError, EOFError):
            head = b"?"
        fh.seek(0)
        return head
    head = fh.read(8)
    fh.seek(0)
    return head


def _short(rec: object) -> bool:
    """True when the record's block ended before its declared Content-Length (a truncated archive)."""
    return (getattr(getattr(rec, "raw_stream", None), "limit", 0) or 0) > 0


def is_warc(path: str | Path) -> bool:
    """True for ``.warc`` and ``.warc.gz`` files (by name)."""
    name = str(path).lower()
    return name.endswith((".warc", ".warc.gz"))


def _is_html(content_type: str) -> bool:
    return bool(content_type) and content_type.split(";")[0].strip().lower() in _HTML_TYPES


WarcItem = RawArticle | IngestError | NotArticle


def read_warc(path: str | Path, max_bytes: int = MAX_BYTES) -> Iterator[WarcItem]:
    """Yield the articles of one WARC file, an error per unusable record, and the non-article pages."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    from ..ingest import _read_html  # the .html reader: decoding by declared charset, then trafilatura

    name = str(path)
    n = 0
    rec = None
    try:
        with open(path, "rb") as fh:
            head = _head(fh)
            if not head:
                yield IngestError(name, "empty file")
                return
            if not head.startswith(b"WARC/"):
                yield IngestError(name, "not a readable WARC archive: it does not start with a WARC record")
                return
            for n, rec in enumerate(ArchiveIterator(fh), 1):  # noqa: B007  (n names the record in errors)
                if rec.length is None and rec.rec_type != "warcinfo":
                    yield IngestError(name, _TRUNCATED, n)
                    continue
                if rec.rec_type == "response":
                    if rec.http_headers is None:
                        continue
                    status = rec.http_headers.get_statuscode() or ""
                    ctype = rec.http_headers.get_header("Content-Type") or ""
                    if not status.startswith("2") or not _is_html(ctype):
                        continue
                elif rec.rec_type == "resource":
                    if not _is_html(rec.rec_headers.get_header("Content-Type") or ""):
                        continue
                else:
                    continue
                target = rec.rec_headers.get_header("WARC-Target-URI")
                try:
                    data = rec.content_stream().read(max_bytes + 1)
                except Exception as exc:  # noqa: BLE001  broken chunking/gzip inside a record
                    yield IngestError(name, f"WARC record payload unreadable: {type(exc).__name__}: {exc}", n)
                    continue
                if len(data) > max_bytes:
                    yield IngestError(name, f"WARC record payload is larger than {max_bytes} bytes", n)
                    continue
                if _short(rec):
                    yield IngestError(name, _TRUNCATED, n)
                    rec = None
                    continue
                if not data.strip():
                    continue
                for item in _read_html(name, data):
                    if isinstance(item, IngestError):
                        if item.reason.startswith(_NO_BODY):
                            yield NotArticle(name, n, target, item.reason)
                        else:
                            item.line = n
                            yield item
                    else:
                        item.line = n
                        item.url = item.url or target
                        yield item
                rec = None  # read and checked
        if rec is not None and _short(rec):  # the last record, passed over, ends early
            yield IngestError(name, _TRUNCATED, n)
    except FileNotFoundError:
        yield IngestError(name, "no such file or directory")
    except PermissionError:
        yield IngestError(name, "permission denied")
    except ArchiveLoadFailed as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "not a WARC archive"
        yield IngestError(name, f"not a readable WARC archive: {reason}", n + 1 if n else None)
    except (OSError, EOFError, ValueError) as exc:  # truncated gzip member, bad header line
        yield IngestError(name, f"damaged WARC archive after record {n}: {type(exc).__name__}: {exc}",
                          n + 1 if n else None)
