"""Fetching article URLs for `khaldun ingest --fetch-urls`: off by default, allow-listed, bounded.

khaldun never touches the network unless asked. When asked, a URL is fetched only if:

* its scheme is ``http`` or ``https``;
* its host is on the allow-list (``--allow-host``): an entry ``example.org`` admits that host and
  its subdomains (``www.example.org``), never ``badexample.org``; an empty list admits nothing;
* every redirect also lands on an allowed host (checked before it is followed);
* the answer arrives within the timeout (connect and each read), the whole exchange ends within
  the deadline (``--fetch-deadline``, :data:`khaldun.limits.FETCH_DEADLINE`: a server sending a
  byte a second is cut off), and it is at most ``max_bytes`` long (checked against
  ``Content-Length`` and again while reading);
* the content type is HTML, XML (a feed) or plain text.

The page is then read exactly as a local file of that type (:func:`khaldun.ingest.read_paths`),
with the URL as the article's path and, when the page names none, as its URL.
"""

from __future__ import annotations

import http.client
import socket
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from ..ingest import IngestError, RawArticle, read_paths
from ..limits import FETCH_DEADLINE

__all__ = ["FetchError", "fetch", "fetch_articles", "host_allowed", "is_url"]

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
_EXT = {"text/html": ".html", "application/xhtml+xml": ".html", "application/rss+xml": ".rss",
        "application/atom+xml": ".atom", "application/rdf+xml": ".rdf", "application/xml": ".xml",
        "text/xml": ".xml", "text/plain": ".txt"}


class FetchError(Exception):
    """A URL that was not fetched, and why (refused by policy, or failed)."""


def is_url(s: str) -> bool:
    """True for an ``http://`` or ``https://`` address (any other string is a path)."""
    return s.lower().startswith(("http://", "https://"))


def host_allowed(host: str | None, allow: Sequence[str]) -> bool:
    """Whether ``host`` is on the allow-list: equal to an entry, or a subdomain of one."""
    if not host:
        return False
    host = host.lower().rstrip(".")
    for entry in allow:
        e = entry.lower().strip().lstrip("*").lstrip(".").rstrip(".")
        if e and (host == e or host.endswith("." + e)):
            return True
    return False


def _check(url: str, allow: Sequence[str]) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        scheme = parts.scheme or "no scheme"
        raise FetchError(f"refused: only http and https URLs are fetched, not {scheme!r}")
    if not allow:
        raise FetchError("refused: no host is allowed; name the sites to fetch with --allow-host HOST")
    if not host_allowed(parts.hostname, allow):
        raise FetchError(f"refused: host {parts.hostname!r} is not on the allow-list ({', '.join(allow)})")


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to an allowed host (and at most 5 times, urllib's own limit is 10)."""

    max_redirections = 5

    def __init__(self, allow: Sequence[str]) -> None:
        self.allow = allow

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        try:
            _check(newurl, self.allow)
        except FetchError as exc:
            raise FetchError(f"redirect to {newurl}: {exc}") from None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _Deadline:
    """Cuts every socket of one fetch (redirects included) when the total deadline passes: a blocked
    read then returns at once, whatever the per-read timeout."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._socks: list[Any] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def watch(self, sock: Any) -> None:
        with self._lock:
            self._socks.append(sock)
            if self.expired:
                _cut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._socks:
                _cut(sock)


def _cut(sock: Any) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _handlers(deadline: _Deadline) -> list[Any]:
    """HTTP and HTTPS handlers whose connections report their socket to ``deadline``."""

    class Conn(http.client.HTTPConnection):
        def connect(self) -> None:
            super().connect()
            deadline.watch(self.sock)

    class SConn(http.client.HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            deadline.watch(self.sock)

    class Plain(urllib.request.HTTPHandler):
        def http_open(self, req: Any) -> Any:
            return self.do_open(Conn, req)

    class Secure(urllib.request.HTTPSHandler):
        def https_open(self, req: Any) -> Any:
            return self.do_open(SConn, req, context=self._context,  # type: ignore[attr-defined]
                                check_hostname=self._check_hostname)  # type: ignore[attr-defined]

    return [Plain(), Secure()]


def fetch(url: str, allow: Sequence[str], timeout: float = DEFAULT_TIMEOUT,
          max_bytes: int = DEFAULT_MAX_BYTES, deadline: float = FETCH_DEADLINE) -> tuple[bytes, str, str]:
    """Fetch ``url`` under the policy of the module doc; return ``(body, content type, final URL)``.

    Raises :class:`FetchError` with a one-line reason for every refusal or failure.
    """
    _check(url, allow)
    with _Deadline(deadline) as cut:
        try:
            result = _fetch(url, allow, timeout, max_bytes, cut)
        except FetchError:
            if cut.expired:
                raise FetchError(f"took longer than the total deadline of {deadline:g} s") from None
            raise
        if cut.expired:
            raise FetchError(f"took longer than the total deadline of {deadline:g} s")
        return result


def _fetch(url: str, allow: Sequence[str], timeout: float, max_bytes: int,
           cut: _Deadline) -> tuple[bytes, str, str]:
    opener = urllib.request.build_opener(_Redirects(allow), *_handlers(cut))
    req = urllib.request.Request(url, headers={"User-Agent": f"khaldun/{__version__} (+ingest --fetch-urls)",
                                               "Accept": "text/html,application/xhtml+xml,application/xml,"
                                                         "text/xml,text/plain;q=0.5"})
    try:
        with opener.open(req, timeout=timeout) as resp:
            ctype = (resp.headers.get_content_type() or "").lower()
            if ctype not in _EXT:
                raise FetchError(f"not an article: content type {ctype or 'unknown'!r}")
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"too large: {length} bytes, the limit is {max_bytes}")
            body = resp.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise FetchError(f"too large: more than {max_bytes} bytes")
            return body, ctype, resp.geturl()
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise FetchError(f"timed out after {timeout:g} s") from None
        raise FetchError(f"unreachable: {reason}") from None
    except TimeoutError:
        raise FetchError(f"timed out after {timeout:g} s") from None
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(f"network error: {exc}") from None


def fetch_articles(url: str, allow: Sequence[str], timeout: float = DEFAULT_TIMEOUT,
                   max_bytes: int = DEFAULT_MAX_BYTES,
                   deadline: float = FETCH_DEADLINE) -> Iterator[RawArticle | IngestError]:
    """The articles at ``url`` (one page, or the items of a feed), or one error saying why not."""
    try:
        body, ctype, final = fetch(url, allow, timeout, max_bytes, deadline)
    except FetchError as exc:
        yield IngestError(url, str(exc))
        return
    with tempfile.TemporaryDirectory(prefix="khaldun-fetch-") as tmp:
        p = Path(tmp) / f"page{_EXT[ctype]}"
        p.write_bytes(body)
        for it in read_paths([p], max_bytes=max_bytes):
            it.path = url
            if isinstance(it, RawArticle):
                it.url = it.url or final
            yield it
