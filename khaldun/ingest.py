"""The INGEST stage: read files and directories into raw articles, or say clearly why not.

:func:`read_paths` turns paths into a stream of :class:`RawArticle` (decoded text plus any
metadata the file carries) and :class:`IngestError` (one per unusable file, or per unusable
line of a JSON Lines file). It never raises for bad input and never prints a traceback: the
command line reports each error as ``PATH[:LINE]: reason`` and goes on with the other files.

Formats, chosen by extension and then by sniffing the content:

* plain text: ``.txt``, ``.text``, no extension or any other extension;
* HTML: ``.html``, ``.htm``, ``.xhtml``, ``.shtml``, or content starting with ``<!doctype html``
  or ``<html``; the article body and metadata come from trafilatura;
* JSON Lines: ``.jsonl``, ``.ndjson``: one article object a line (``text`` required; optional
  ``title``, ``url``, ``outlet``, ``published``, ``language``);
* JSON: ``.json``: one such object, a list of them, or an object whose ``articles``,
  ``documents`` or ``items`` member is such a list;
* feeds: ``.xml``, ``.rss``, ``.atom``, ``.rdf``, or XML content whose root is ``rss``, ``feed``
  or ``rdf:RDF``: RSS 2.0, RSS 1.0 and Atom items, parsed with the standard library.

Metadata for plain text and HTML files, which carry little of their own: a *sidecar* JSON object
next to the file, ``NAME.meta.json`` (or ``NAME.txt.meta.json``) for ``NAME.txt``, with any of
``outlet``, ``url``, ``published``, ``language``, ``title``; or a CSV file given to
``--meta`` (:func:`load_meta_csv`) with a ``file`` column (the file's name, or its path as given)
and those columns. The CSV row wins over the sidecar, and both over what the file says itself
(an HTML page's own metadata); command-line options win over all. Sidecars are never read as
articles. A sidecar that cannot be used is an error for its article (which is then not read, so
that a run after the fix picks it up).

Text is only decoded here (strict UTF-8, no silent replacement); it is normalized later by
:func:`khaldun.text.normalize`, which is the only place text changes.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .limits import date_problem, json_depth_problem, text_problem

__all__ = ["MAX_BYTES", "META_SUFFIX", "IngestError", "MetaError", "RawArticle", "capped", "guarded", "html_to_text",
           "iso_date", "load_meta_csv", "read_bytes", "read_paths"]

MAX_BYTES = 20 * 1024 * 1024
SNIFF_BYTES = 8192
MAX_NONTEXT_SHARE = 0.30

TEXT_EXTENSIONS = frozenset({".txt", ".text", ""})
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".shtml"})
JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson", ".jsonlines"})
JSON_EXTENSIONS = frozenset({".json"})
FEED_EXTENSIONS = frozenset({".xml", ".rss", ".atom", ".rdf"})
ARTICLE_FIELDS = ("title", "url", "outlet", "published", "language")
LIST_KEYS = ("articles", "documents", "items")
META_SUFFIX = ".meta.json"
META_FIELDS = ("outlet", "url", "published", "language", "title")
META_FILE_COLUMNS = ("file", "filename", "name", "path")
MAX_META_BYTES = 64 * 1024

Meta = dict[str, dict[str, str]]  # file name or path -> field -> value


class MetaError(ValueError):
    """A metadata file (sidecar or ``--meta`` CSV) that cannot be used; the message names it and why."""


@dataclass
class RawArticle:
    """One article as read from disk: decoded but not yet normalized text, and its metadata.

    ``published`` is ``YYYY-MM-DD`` or None; ``language`` an ISO 639-1 code declared by the
    source (JSON field, feed ``<language>``) or None; ``line`` the line of a JSON Lines file.
    """

    text: str
    path: str | None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    language: str | None = None
    line: int | None = None


@dataclass
class IngestError:
    """A file (or one line of a JSON Lines file) that could not be used, and why."""

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return " ".join(f"{where}: {self.reason}".splitlines())  # one line, whatever the data put in it


Item = RawArticle | IngestError


# --------------------------------------------------------------------------------------------
# walking paths
# --------------------------------------------------------------------------------------------


def read_paths(paths: Iterable[str | Path], max_bytes: int = MAX_BYTES, meta: Meta | None = None) -> Iterator[Item]:
    """Yield the articles in ``paths``, and an :class:`IngestError` for each unusable input.

    Directories are walked recursively in sorted order; hidden files and directories (names
    starting with ".") are skipped, and each directory is visited once even through symbolic
    links. A path named explicitly is read even when hidden. Files larger than ``max_bytes``
    are refused before anything is read. Sidecar metadata files (``*.meta.json``) are not articles:
    a directory walk passes over them. ``meta``: the rows of a ``--meta`` CSV (:func:`load_meta_csv`).
    """
    for p in paths:
        for it in _read_path(Path(p), max_bytes, set()):
            yield _with_meta(it, meta) if isinstance(it, RawArticle) and it.line is None else it


def guarded(name: str, items: Iterable[Item]) -> Iterator[Item]:
    """``items`` (the reading of one input), with an unexpected exception turned into one last
    :class:`IngestError` for ``name``: a reader's bug costs that input, never the run."""
    try:
        yield from items
    except Exception as exc:  # noqa: BLE001  the readers' own errors are IngestError; this is a bug
        from .safety import one_line

        yield IngestError(name, f"could not be read ({one_line(exc)})")


def capped(item: Item) -> Item:
    """``item``, or an :class:`IngestError` when the article breaks a cap of :mod:`khaldun.limits`."""
    if isinstance(item, RawArticle):
        problem = text_problem(item.text)
        if problem:
            return IngestError(item.path or "<text>", problem, item.line)
    return item


def _os_reason(err: OSError) -> str:
    if isinstance(err, FileNotFoundError):
        return "no such file or directory"
    if isinstance(err, PermissionError):
        return "permission denied"
    return (err.strerror or str(err)).lower()


def _read_path(path: Path, max_bytes: int, seen: set[str]) -> Iterator[Item]:
    try:
        st = path.stat()
    except OSError as err:
        reason = _os_reason(err)
        if isinstance(err, FileNotFoundError) and path.is_symlink():
            reason = "broken symbolic link"
        yield IngestError(str(path), reason)
        return
    if stat.S_ISDIR(st.st_mode):
        real = os.path.realpath(path)
        if real in seen:
            return
        seen.add(real)
        try:
            children = sorted(path.iterdir(), key=lambda c: c.name)
        except OSError as err:
            yield IngestError(str(path), _os_reason(err))
            return
        for child in children:
            if not child.name.startswith(".") and not child.name.endswith(META_SUFFIX):
                yield from _read_path(child, max_bytes, seen)
        return
    if not stat.S_ISREG(st.st_mode):
        yield IngestError(str(path), "not a regular file")
        return
    if st.st_size > max_bytes:
        yield IngestError(str(path), f"file is too large: {st.st_size} bytes, the limit is {max_bytes}")
        return
    yield from _read_file(path, max_bytes)


# --------------------------------------------------------------------------------------------
# bytes -> format -> articles
# --------------------------------------------------------------------------------------------

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (.docx, .odt, .epub or .zip)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# Bytes that never occur in text: C0 controls other than \t \n \v \f \r, backspace and escape.
_CONTROL = frozenset(range(0x20)) - {0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B}
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)
_XML_FEED = re.compile(rb"<(?:[\w-]+:)?(?:rss|feed|RDF)[\s>]")


def _read_file(path: Path, max_bytes: int) -> Iterator[Item]:
    name = str(path)
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as err:
        yield IngestError(name, _os_reason(err))
        return
    yield from read_bytes(name, data, max_bytes)


def read_bytes(name: str, data: bytes, max_bytes: int = MAX_BYTES) -> Iterator[Item]:
    """The articles in ``data``, read as the file ``name`` would be (its extension chooses the format,
    then the content is sniffed); the caps of :mod:`khaldun.limits` are applied. Never raises for bad
    input: this is the reading that fuzzing drives (``tests/test_fuzz.py``, ``scripts/fuzz_atheris.py``)."""
    for it in _read_data(name, data, max_bytes):
        yield capped(it)


def _read_data(name: str, data: bytes, max_bytes: int) -> Iterator[Item]:
    path = Path(name)
    if len(data) > max_bytes:  # the file grew after stat()
        yield IngestError(name, f"file is too large: more than {max_bytes} bytes")
        return
    if not data:
        yield IngestError(name, "empty file")
        return
    for magic, what in _MAGIC:
        if data.startswith(magic):
            yield IngestError(name, f"binary file ({what}); khaldun reads text, HTML, JSON and feeds")
            return

    for bom, codec in _BOMS:
        if data.startswith(bom):  # an explicit UTF-16/32 byte order mark: decode as declared
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as err:
                yield IngestError(name, f"invalid {codec.upper()} at byte offset {err.start}")
                return
            data = text.encode("utf-8")
            break
    else:
        reason = _binary_reason(data[:SNIFF_BYTES])
        if reason:
            yield IngestError(name, reason)
            return

    ext = path.suffix.lower()
    if ext in HTML_EXTENSIONS:
        yield from _read_html(name, data)
    elif ext in JSONL_EXTENSIONS:
        yield from _read_jsonl(name, data)
    elif ext in JSON_EXTENSIONS:
        yield from _read_json(name, data)
    elif ext in FEED_EXTENSIONS:
        yield from _read_feed(name, data)
    elif _HTML_START.match(data[:SNIFF_BYTES]):
        yield from _read_html(name, data)
    elif data.lstrip().startswith(b"<?xml") and _XML_FEED.search(data[:SNIFF_BYTES]):
        yield from _read_feed(name, data)
    else:
        yield from _read_text(name, data)


def _binary_reason(head: bytes) -> str | None:
    """Why the first bytes of a file look binary, or None when they may be text.

    A NUL byte is enough (8 KB of compressed or image data without one is vanishingly rare).
    Otherwise the share of non-text bytes - control bytes that text never contains - must stay
    at or below 30%. Bytes >= 0x80 do not count here: they are UTF-8 (Arabic or Russian text is
    mostly such bytes) or a legacy encoding, and the strict UTF-8 decoder then reports the
    exact offset of the first bad byte.
    """
    if b"\x00" in head:
        return "binary file (contains NUL bytes)"
    control = sum(1 for b in head if b in _CONTROL or b == 0x7F)
    share = control / len(head)
    if share > MAX_NONTEXT_SHARE:
        return f"binary file ({share:.0%} non-text bytes in the first {len(head)} bytes)"
    return None


def _decode_utf8(data: bytes) -> tuple[str | None, str | None, int | None]:
    """Strict UTF-8 (a leading BOM allowed): ``(text, None, None)`` or ``(None, reason, line)``."""
    offset = 3 if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[offset:].decode("utf-8"), None, None
    except UnicodeDecodeError as err:
        at = err.start + offset
        bad = data[at:at + 1].hex()
        line = data.count(b"\n", 0, at) + 1
        head = data[:SNIFF_BYTES]
        # bytes a lenient decode drops are the ill-formed ones
        ill_formed = (len(head) - len(head.decode("utf-8", "ignore").encode("utf-8"))) / len(head)
        hint = "convert the file to UTF-8"
        if ill_formed > MAX_NONTEXT_SHARE:
            hint = (f"{ill_formed:.0%} of the first {len(head)} bytes are not UTF-8: binary data or a "
                    "legacy encoding (windows-1256, latin-1...); convert the file to UTF-8")
        return None, f"invalid UTF-8 at byte offset {at} (byte 0x{bad}); {hint}", line


def _read_text(name: str, data: bytes) -> Iterator[Item]:
    text, reason, line = _decode_utf8(data)
    if text is None:
        yield IngestError(name, reason or "undecodable", line)
    elif not text.strip():
        yield IngestError(name, "file contains only whitespace")
    else:
        yield RawArticle(text=text, path=name)


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

_XML_DECL = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_SENTENCE_LINE = re.compile(r"(?:\S+\s+){3,}\S*[.!?\u061f\u2026][\"'\u201d\u2019\u00bb)]*\s*$", re.MULTILINE)


def _decode_html(data: bytes) -> tuple[str | None, str | None, int | None]:
    """UTF-8 first; otherwise the charset the page declares in a ``<meta>``, strictly."""
    text, reason, line = _decode_utf8(data)
    if text is not None:
        return text, None, None
    m = _META_CHARSET.search(data[:SNIFF_BYTES])
    if not m:
        return None, reason, line
    declared = m.group(1).decode("ascii").lower()
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        return None, f"{reason}; the declared charset {declared!r} is unknown", line
    if codec == "utf-8":
        return None, reason, line
    try:
        return data.decode(codec), None, None
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        return None, f"invalid {declared} (declared charset) at byte offset {err.start}", line


def _read_html(name: str, data: bytes) -> Iterator[Item]:
    html, reason, line = _decode_html(data)
    if html is None:
        yield IngestError(name, reason or "undecodable", line)
        return
    if not html.strip():
        yield IngestError(name, "file contains only whitespace")
        return
    # lxml refuses a str that carries an XML declaration (XHTML): drop it, the text is decoded
    yield _extract_html(_XML_DECL.sub("", html, count=1), name)


def _extract_html(html: str, name: str) -> Item:
    """Main text and metadata of one HTML page through trafilatura (imported on first use)."""
    import lxml_html_clean  # noqa: F401  (trafilatura needs it; importing it first fails clearly)
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html,
            fast=True,  # the trafilatura 2 name of no_fallback=True: no slower fallback extractors
            include_comments=False,
            include_images=False,
            include_links=False,
            with_metadata=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as err:  # noqa: BLE001  trafilatura/lxml raise many kinds on broken markup
        return IngestError(name, f"HTML could not be parsed: {type(err).__name__}: {err}")
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        return IngestError(name, "HTML page has no extractable article body")
    if not _SENTENCE_LINE.search(text):
        return IngestError(name, "HTML page has no extractable article body (no sentence, only short lines)")
    return RawArticle(
        text=text,
        path=name,
        title=_clean(getattr(doc, "title", None)),
        url=_clean(getattr(doc, "url", None)),
        outlet=_clean(getattr(doc, "sitename", None)),
        published=iso_date(getattr(doc, "date", None)),
    )


_WS = re.compile(r"\s+")
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
    "pre", "section", "table", "tr", "ul",
})


# characters XML (and so lxml's tree) cannot hold: C0 controls other than tab and line ends, surrogates, U+FFFE/FFFF;
# raw or written as a numeric character reference ("&#1;"), which lxml's HTML parser decodes into the tree
_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")


def _xml_char_ok(cp: int) -> bool:
    return cp in (0x9, 0xA, 0xD) or 0x20 <= cp <= 0xD7FF or 0xE000 <= cp <= 0xFFFD or 0x10000 <= cp <= 0x10FFFF


def _xml_safe(fragment: str) -> str:
    """The fragment with every character an XML tree cannot hold (raw, or as a character reference) made a space."""
    def ref(m: re.Match[str]) -> str:
        cp = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        return m.group(0) if _xml_char_ok(cp) else " "
    return _NOT_XML_CHARS.sub(" ", _CHAR_REF.sub(ref, fragment))


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed description): tags out, entities decoded.

    Block elements and ``<br>`` end a line, whitespace inside a line collapses as a browser
    would, and script/style content is dropped. Text without markup is only unescaped.
    """
    if "<" not in fragment:
        import html

        return "\n".join(_WS.sub(" ", ln).strip() for ln in html.unescape(fragment).splitlines()).strip()
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.fragment_fromstring(_xml_safe(fragment), create_parent="div")
    except (ParserError, ValueError):
        return ""
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for el in root.iter():
        if el.text:
            el.text = _WS.sub(" ", el.text)
        if el.tail:
            el.tail = _WS.sub(" ", el.tail)
        if isinstance(el.tag, str) and (el.tag in _BLOCK_TAGS or el.tag == "br") and el is not root:
            el.tail = "\n" + (el.tail or "")
    lines = (ln.strip() for ln in root.text_content().split("\n"))
    return "\n".join(ln for ln in lines if ln)


# --------------------------------------------------------------------------------------------
# JSON and JSON Lines
# --------------------------------------------------------------------------------------------


def _read_jsonl(name: str, data: bytes) -> Iterator[Item]:
    """One article a line; every bad line is its own error and the good lines still count."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    found = False
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        found = True
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            reason = f"invalid UTF-8 at byte {err.start} of the line (byte 0x{raw[err.start]:02x})"
            yield IngestError(name, reason, number)
            continue
        problem = json_depth_problem(line)
        if problem:
            yield IngestError(name, problem, number)
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            yield IngestError(name, f"not valid JSON: {err.msg} (column {err.colno})", number)
            continue
        except RecursionError:
            yield IngestError(name, "JSON nested too deeply", number)
            continue
        yield _article_from_obj(obj, name, number)
    if not found:
        yield IngestError(name, "file contains only whitespace")


def _read_json(name: str, data: bytes) -> Iterator[Item]:
    text, reason, line = _decode_utf8(data)
    if text is None:
        yield IngestError(name, reason or "undecodable", line)
        return
    if not text.strip():
        yield IngestError(name, "file contains only whitespace")
        return
    problem = json_depth_problem(text)
    if problem:
        yield IngestError(name, problem)
        return
    try:
        obj = json.loads(text)
    except RecursionError:
        yield IngestError(name, "JSON nested too deeply")
        return
    except json.JSONDecodeError as err:
        if err.msg == "Extra data" and err.lineno > 1:  # JSON Lines saved as .json
            yield from _read_jsonl(name, data)
        else:
            yield IngestError(name, f"not valid JSON: {err.msg} (line {err.lineno}, column {err.colno})",
                              err.lineno)
        return
    if isinstance(obj, dict) and "text" not in obj:
        for key in LIST_KEYS:
            if isinstance(obj.get(key), list):
                obj = obj[key]
                break
    if isinstance(obj, dict):
        result = _article_from_obj(obj, name, None)
        if isinstance(result, IngestError) and "text" not in obj:
            result.reason = f"no articles: {result.reason}; expected \"text\" or a list under " + \
                "/".join(f'"{k}"' for k in LIST_KEYS)
        yield result
    elif isinstance(obj, list):
        if not obj:
            yield IngestError(name, "no articles: the JSON list is empty")
        for k, item in enumerate(obj, start=1):
            result = _article_from_obj(item, name, None)
            if isinstance(result, IngestError):
                result.reason = f"item {k}: {result.reason}"
            yield result
    else:
        yield IngestError(name, f"no articles: expected a JSON object with \"text\" or a list of them, "
                                f"got {_json_type(obj)}")


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _article_from_obj(obj: Any, name: str, line: int | None) -> Item:
    """An article from one JSON object; optional fields of the wrong type are ignored."""
    if not isinstance(obj, dict):
        return IngestError(name, f"expected a JSON object, got {_json_type(obj)}", line)
    if "text" not in obj:
        keys = ", ".join(_SURROGATE.sub("\ufffd", json.dumps(k, ensure_ascii=False)[:40])
                         for k in sorted(map(str, obj))[:8]) or "none"
        return IngestError(name, f"no \"text\" field (keys: {keys})", line)
    text = obj["text"]
    if not isinstance(text, str):
        return IngestError(name, f"\"text\" must be a string, got {_json_type(text)}", line)
    if not text.strip():
        return IngestError(name, "\"text\" is empty", line)
    bad = _SURROGATE.search(text)
    if bad:  # JSON can escape half a UTF-16 pair ("\ud800"): not a character, no encoding can store it
        return IngestError(name, f"\"text\" is not valid Unicode: an unpaired surrogate \\u{ord(bad.group()):04x} "
                                 f"at character {bad.start()}", line)
    fields = {k: _clean(obj.get(k)) if isinstance(obj.get(k), str) else None for k in ARTICLE_FIELDS}
    fields = {k: _SURROGATE.sub("\ufffd", v) if v else v for k, v in fields.items()}
    problem = date_problem(fields["published"])
    if problem:
        return IngestError(name, f"\"published\": {problem}", line)
    return RawArticle(
        text=text,
        path=name,
        title=fields["title"],
        url=fields["url"],
        outlet=fields["outlet"],
        published=iso_date(fields["published"]),
        language=_language_code(fields["language"]),
        line=line,
    )


# --------------------------------------------------------------------------------------------
# feeds (RSS 2.0, RSS 1.0 / RDF, Atom)
# --------------------------------------------------------------------------------------------


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: Any, name: str) -> list[Any]:
    return [c for c in el if _local(c.tag) == name]


def _child_text(el: Any, *names: str) -> str | None:
    """Text of the first child with one of ``names`` (local names, any namespace), in that order."""
    for name in names:
        for child in _children(el, name):
            if _local(child.tag) == "content" and child.get("type") == "xhtml":
                from xml.etree import ElementTree as ET

                value = "".join(ET.tostring(c, encoding="unicode") for c in child)
            else:
                value = "".join(child.itertext())
            if value and value.strip():
                return value.strip()
    return None


def _atom_link(entry: Any) -> str | None:
    for link in _children(entry, "link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link.get("href")).strip()
    return None


_XML_ENCODING = re.compile(rb"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([\w.:-]+)[\"']")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _decode_feed(data: bytes) -> tuple[str | None, str | None, int | None]:
    """The feed as text: UTF-8 unless its XML declaration names another encoding, which is then decoded
    here, strictly, by Python's codecs (expat itself takes no multi-byte encoding: GB2312, Shift_JIS,
    Big5, UTF-7...). The declaration is dropped from the text, so the parser never re-reads it."""
    decl = _XML_ENCODING.match(data)
    declared = decl.group(1).decode("ascii").lower() if decl else "utf-8"
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        return None, f"the declared encoding {declared!r} is unknown", 1
    if codec in ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"):
        # UTF-16/32 files arrive here already transcoded to UTF-8 (their byte order mark, _read_file)
        text, reason, line = _decode_utf8(data)
    else:
        try:
            text, reason, line = data.decode(codec), None, None
        except UnicodeDecodeError as err:
            line = data.count(b"\n", 0, err.start) + 1
            return None, f"invalid {declared} (declared encoding) at byte offset {err.start}", line
    if text is None:
        return None, reason, line
    return _XML_DECLARATION.sub("", text.lstrip("\ufeff"), count=1), None, None


def _read_feed(name: str, data: bytes) -> Iterator[Item]:
    from xml.etree import ElementTree as ET

    if b"<!ENTITY" in data:
        yield IngestError(name, "XML with entity declarations is refused (entity expansion attacks)")
        return
    source, reason, line = _decode_feed(data)
    if source is None:
        yield IngestError(name, reason or "undecodable", line)
        return
    if "<!ENTITY" in source:  # again on the decoded text: UTF-7 can spell "<" as "+ADw-"
        yield IngestError(name, "XML with entity declarations is refused (entity expansion attacks)")
        return
    try:
        root = ET.fromstring(source)
    except ET.ParseError as err:
        yield IngestError(name, f"not well-formed XML: {err}", err.position[0])
        return
    except (ValueError, LookupError, RecursionError) as err:  # expat on what it cannot take
        yield IngestError(name, f"XML could not be parsed: {type(err).__name__}: {err}")
        return
    kind = _local(root.tag)
    if kind == "html":
        yield from _read_html(name, data)
        return
    if kind == "rss":
        channel = next(iter(_children(root, "channel")), root)
        items, container = _children(channel, "item"), channel
    elif kind == "RDF":
        items = _children(root, "item")
        container = next(iter(_children(root, "channel")), root)
    elif kind == "feed":
        items, container = _children(root, "entry"), root
    else:
        yield IngestError(name, f"XML file is not an RSS or Atom feed (root element <{kind}>)")
        return
    if not items:
        yield IngestError(name, "feed has no items")
        return
    outlet = _clean(_child_text(container, "title"))
    feed_lang = _language_code(
        _child_text(container, "language") or root.get("{http://www.w3.org/XML/1998/namespace}lang"))
    for k, item in enumerate(items, start=1):
        title = _clean(_child_text(item, "title"))
        body = _child_text(item, "encoded", "content", "description", "summary")
        text = html_to_text(body) if body else ""
        label = f"item {k}" + (f" ({title[:60]!r})" if title else "")
        if not text.strip():
            yield IngestError(name, f"{label}: no text (no content, description or summary)")
            continue
        url = _clean(_child_text(item, "link")) if kind != "feed" else _atom_link(item)
        published = _child_text(item, "pubDate", "date", "published", "issued", "updated", "modified")
        problem = date_problem(published)
        if problem:
            yield IngestError(name, f"{label}: publication date: {problem}")
            continue
        lang = _language_code(item.get("{http://www.w3.org/XML/1998/namespace}lang")) or feed_lang
        yield RawArticle(text=text, path=name, title=title, url=url or _clean(_child_text(item, "guid")),
                         outlet=outlet, published=iso_date(published), language=lang)


# --------------------------------------------------------------------------------------------
# metadata values
# --------------------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T ]|\s)")
_HAS_MONTH_NAME = re.compile(r"[^\W\d_]{3,}")


# --------------------------------------------------------------------------------------------
# metadata for plain files: sidecars and --meta CSV
# --------------------------------------------------------------------------------------------


def _meta_fields(raw: dict[str, Any], where: str) -> dict[str, str]:
    """The usable fields of one metadata record, normalized like the JSON Lines fields."""
    out: dict[str, str] = {}
    for k in META_FIELDS:
        v = raw.get(k)
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        if not isinstance(v, str):
            raise MetaError(f"{where}: '{k}' must be a string, not {_json_type(v)}")
        if k == "published":
            d = iso_date(v[:100])
            if d is None:
                raise MetaError(f"{where}: 'published' is not a date khaldun can read: {v[:40]!r}")
            out[k] = d
        elif k == "language":
            code = _language_code(v)
            if code is None:
                raise MetaError(f"{where}: 'language' must be an ISO 639-1 code such as 'en', not {v[:20]!r}")
            out[k] = code
        else:
            c = _clean(v)
            if c:
                out[k] = c
    return out


def sidecar_path(path: Path) -> Path | None:
    """The sidecar of ``path`` that exists: ``NAME.meta.json`` or ``NAME.EXT.meta.json``."""
    for cand in (path.with_name(path.stem + META_SUFFIX), path.with_name(path.name + META_SUFFIX)):
        if cand != path and cand.is_file():
            return cand
    return None


def read_sidecar(path: Path) -> dict[str, str]:
    """The metadata of a sidecar file (raises :class:`MetaError` naming it and the reason)."""
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_META_BYTES + 1)
    except OSError as err:
        raise MetaError(f"{path}: {_os_reason(err)}") from err
    if len(data) > MAX_META_BYTES:
        raise MetaError(f"{path}: a metadata file larger than {MAX_META_BYTES} bytes")
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise MetaError(f"{path}: not a JSON object ({str(err).splitlines()[0][:80]})") from err
    if not isinstance(obj, dict):
        raise MetaError(f"{path}: want a JSON object with outlet, url, published, language, title; "
                        f"got {_json_type(obj)}")
    return _meta_fields(obj, str(path))


def load_meta_csv(path: str | Path) -> Meta:
    """``file name -> metadata`` from a CSV with a header: a ``file`` column (or ``filename``, ``name``,
    ``path``) and any of outlet, url, published, language, title. Raises :class:`MetaError`."""
    import csv

    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise MetaError(f"{p}: {_os_reason(err)}") from err
    except UnicodeDecodeError as err:
        raise MetaError(f"{p}: not UTF-8 text (byte offset {err.start})") from err
    rows = csv.DictReader(text.splitlines())
    head = [h.strip().lower() for h in (rows.fieldnames or [])]
    key = next((h for h in META_FILE_COLUMNS if h in head), None)
    if key is None:
        raise MetaError(f"{p}: the header needs a 'file' column (the article's file name) and any of "
                        f"{', '.join(META_FIELDS)}")
    rows.fieldnames = head
    out: Meta = {}
    try:
        for n, row in enumerate(rows, 2):
            name = (row.get(key) or "").strip()
            if not name:
                continue
            out[name] = _meta_fields({k: v for k, v in row.items() if isinstance(v, str)}, f"{p}:{n}")
    except csv.Error as err:
        raise MetaError(f"{p}: not a CSV file ({err})") from err
    return out


def _with_meta(art: RawArticle, meta: Meta | None) -> Item:
    """The article with its sidecar's and the ``--meta`` CSV's metadata (an error if its sidecar is bad)."""
    if art.path is None:
        return art
    p = Path(art.path)
    if p.suffix.lower() in JSONL_EXTENSIONS | JSON_EXTENSIONS | FEED_EXTENSIONS:
        return art  # these carry their own metadata, per article
    fields: dict[str, str] = {}
    side = sidecar_path(p)
    if side is not None:
        try:
            fields.update(read_sidecar(side))
        except MetaError as exc:
            return IngestError(art.path, f"unusable metadata sidecar: {exc}")
    if meta:
        row = meta.get(art.path) or meta.get(p.name) or meta.get(str(p.resolve()))
        if row:
            fields.update(row)
    for k, v in fields.items():
        setattr(art, k, v)
    return art


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def iso_date(value: str | None) -> str | None:
    """``YYYY-MM-DD`` for a publication date as sources write it, or None when unsure.

    Accepts ISO 8601 (``2019-04-09``, ``2019-04-09T23:30:00-05:00``), RFC 822 feed dates
    (``Tue, 09 Apr 2019 23:30:00 GMT``) and dates with a month name (``April 9, 2019``). The
    date is the one written (no shift to UTC). Purely numeric forms other than ISO
    (``04/09/2019``) are ambiguous between day-month and month-day and give None.
    """
    if not value or not value.strip() or date_problem(value):
        return None
    m = _ISO_DATE.match(value)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            return None
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value.strip()).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):  # a year or hour too large for a datetime
        pass
    if _HAS_MONTH_NAME.search(value) and re.search(r"\d{4}", value):
        import dateparser

        settings = {"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]}
        parsed = dateparser.parse(value, settings=settings)
        if parsed is not None:
            return parsed.date().isoformat()
    return None


def _language_code(value: str | None) -> str | None:
    """``en`` from ``en``, ``EN``, ``en-US`` or ``en_GB``; None for anything else."""
    if not value:
        return None
    code = re.split(r"[-_]", value.strip(), maxsplit=1)[0].lower()
    return code if len(code) == 2 and code.isalpha() and code.isascii() else None
