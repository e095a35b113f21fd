"""Tests for khaldun.ingest: every input format, and every kind of bad input as an IngestError."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from khaldun.ingest import IngestError, RawArticle, html_to_text, iso_date, read_paths

FIX = Path(__file__).parent / "fixtures" / "ingest"


def read(*paths: str | Path, **kw: int) -> list[RawArticle | IngestError]:
    return list(read_paths([p if isinstance(p, Path) else FIX / p for p in paths], **kw))


def only_article(path: str | Path) -> RawArticle:
    items = read(path)
    assert len(items) == 1, items
    assert isinstance(items[0], RawArticle), str(items[0])
    return items[0]


def only_error(path: str | Path, **kw: int) -> IngestError:
    items = read(path, **kw)
    assert len(items) == 1, items
    assert isinstance(items[0], IngestError), items[0]
    return items[0]


# ------------------------------------------------------------------ good inputs


def test_plain_text_kept_verbatim() -> None:
    art = only_article("plain.txt")
    assert art.path == str(FIX / "plain.txt")
    assert art.text.startswith("Drone strike hits depot outside Misrata\n\nA drone struck")
    assert "Related articles" in art.text  # furniture is the text stage's job, not ingest's
    assert art.title is None and art.published is None and art.line is None


def test_bom_stripped_but_text_not_normalized() -> None:
    art = only_article("bom.txt")
    assert art.text.startswith("A file saved")
    assert "\r\n" in art.text  # decoding only: normalize() handles line ends later


def test_utf16_with_bom(tmp_path: Path) -> None:
    p = tmp_path / "wide.txt"
    p.write_bytes("Forces advanced on the town of Gharyan on Thursday.".encode("utf-16"))
    assert only_article(p).text == "Forces advanced on the town of Gharyan on Thursday."


def test_html_body_and_metadata() -> None:
    art = only_article("article.html")
    assert art.title == "Shelling closes Mitiga airport"
    assert art.outlet == "Coastal Courier"
    assert art.url == "https://courier.example/2019/04/mitiga-shelling"
    assert art.published == "2019-04-08"
    assert "Rockets landed near the runway of Mitiga airport" in art.text
    assert "spare civilian infrastructure" in art.text
    for junk in ("Football results", "All rights reserved", "Sport"):
        assert junk not in art.text


def test_html_sniffed_without_extension() -> None:
    art = only_article("sniffed_page")
    assert art.text.startswith("Militia fighters took control")
    assert "<p>" not in art.text


def test_xhtml_with_xml_declaration(tmp_path: Path) -> None:
    p = tmp_path / "page.xml"
    p.write_text('<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
                 "<p>Forces entered the town on Monday, residents said in phone calls.</p></body></html>")
    assert only_article(p).text == "Forces entered the town on Monday, residents said in phone calls."


def test_html_declared_charset(tmp_path: Path) -> None:
    body = "قال مسؤول في المطار إن الرحلات علقت بعد سقوط قذائف قرب المدرج يوم الاثنين."
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
        f"</head><body><article><p>{body}</p><p>{body}</p></article></body></html>"
    )
    p = tmp_path / "arabic.html"
    p.write_bytes(page.encode("cp1256"))
    assert body in only_article(p).text


def test_jsonl_good_and_bad_lines() -> None:
    items = read("articles.jsonl")
    good = [i for i in items if isinstance(i, RawArticle)]
    bad = [i for i in items if isinstance(i, IngestError)]
    assert [g.line for g in good] == [1, 7]
    first, arabic = good
    assert first.title == "Clashes near Sirte port"
    assert first.url == "https://wire.example/1"
    assert first.outlet == "Example Wire"
    assert first.published == "2020-01-10"
    assert first.language == "en"
    assert arabic.language == "ar"  # "ar-LY" -> ISO 639-1
    assert arabic.published == "2020-01-12"  # RFC 822 date
    assert [(b.line, b.reason.split(":")[0]) for b in bad] == [
        (2, "not valid JSON"),
        (3, "expected a JSON object, got a list"),
        (4, 'no "text" field (keys'),
        (5, '"text" is empty'),
    ]
    assert str(bad[0]).startswith(f"{FIX / 'articles.jsonl'}:2: not valid JSON")


def test_jsonl_invalid_utf8_line_is_isolated(tmp_path: Path) -> None:
    p = tmp_path / "x.jsonl"
    p.write_bytes(b'{"text": "good one, said the official."}\n{"text": "bad \xff"}\n{"text": "good two."}\n')
    items = read(p)
    assert [type(i).__name__ for i in items] == ["RawArticle", "IngestError", "RawArticle"]
    assert items[1].line == 2 and "invalid UTF-8" in items[1].reason


def test_jsonl_wrong_typed_optional_fields_dropped(tmp_path: Path) -> None:
    p = tmp_path / "x.ndjson"
    p.write_text('{"text": "Body text here.", "title": 5, "published": "04/09/2019", '
                 '"language": "English"}\n')
    art = only_article(p)
    assert art.title is None and art.published is None and art.language is None


def test_json_object_and_list() -> None:
    one = only_article("one.json")
    assert one.title == "Vessel intercepted"
    assert one.published == "2020-03-03"
    items = read("list.json")
    assert [type(i).__name__ for i in items] == ["RawArticle", "IngestError", "RawArticle"]
    assert items[1].reason.startswith("item 2: ")
    assert items[2].outlet == "Desert Monitor"


def test_json_list_under_articles_key(tmp_path: Path) -> None:
    p = tmp_path / "wrapped.json"
    p.write_text('{"articles": [{"text": "First."}, {"text": "Second."}]}')
    assert [a.text for a in read(p)] == ["First.", "Second."]


def test_json_that_is_really_jsonl(tmp_path: Path) -> None:
    p = tmp_path / "lines.json"
    p.write_text('{"text": "One."}\n{"text": "Two."}\n')
    assert [a.text for a in read(p)] == ["One.", "Two."]


def test_rss_feed() -> None:
    items = read("feed.rss")
    assert [type(i).__name__ for i in items] == ["RawArticle", "IngestError", "RawArticle"]
    port, empty, arms = items
    assert port.title == "Port reopens after week of fighting"
    assert port.text == ("The main port reopened on Wednesday after a week of fighting.\n"
                         "Dock workers returned at dawn.")
    assert port.outlet == "Harbour Gazette"
    assert port.url == "https://gazette.example/port-reopens"
    assert port.published == "2020-01-15"
    assert port.language == "en"
    assert "Empty item" in empty.reason
    assert arms.text.startswith("A cargo ship unloaded armoured vehicles")  # content:encoded preferred
    assert "Short summary" not in arms.text


def test_atom_feed() -> None:
    entry = only_article("feed.atom")
    assert entry.title == "Accrochages près de la frontière"
    assert entry.url == "https://bulletin.example/accrochages"
    assert entry.published == "2021-06-01"  # <published> preferred over <updated>
    assert entry.outlet == "Bulletin du Sahel"
    assert entry.language == "fr"
    assert entry.text.startswith("Des accrochages")


def test_mixed_directory_walk() -> None:
    items = read("mixed")
    good = [i for i in items if isinstance(i, RawArticle)]
    bad = [i for i in items if isinstance(i, IngestError)]
    assert [Path(g.path).name for g in good] == ["a_good.txt", "b_good.txt"]  # sorted, recursive
    assert sorted(Path(b.path).name for b in bad) == ["c_empty.txt", "d_bad.txt"]
    assert all(".hidden" not in str(i) and ".dotfile" not in str(i) for i in items)


def test_symlink_loop_visited_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Only once, the walk said.")
    (tmp_path / "loop").symlink_to(tmp_path)
    assert [a.text for a in read(tmp_path)] == ["Only once, the walk said."]


def test_html_to_text() -> None:
    assert html_to_text("<p>One <b>bold</b>\n  word.</p><p>Two&amp;three<br>four</p>") == \
        "One bold word.\nTwo&three\nfour"
    assert html_to_text("plain &amp; simple") == "plain & simple"
    assert html_to_text("<div><script>x()</script>kept</div>") == "kept"


@pytest.mark.parametrize(("value", "expected"), [
    ("2019-04-09", "2019-04-09"),
    ("2019-04-09T23:30:00-05:00", "2019-04-09"),
    ("Tue, 09 Apr 2019 23:30:00 GMT", "2019-04-09"),
    ("April 9, 2019", "2019-04-09"),
    ("9 April 2019", "2019-04-09"),
    ("04/09/2019", None),
    ("2019-02-30", None),
    ("soon", None),
    ("", None),
    (None, None),
])
def test_iso_date(value: str | None, expected: str | None) -> None:
    assert iso_date(value) == expected


# ------------------------------------------------------------------ bad inputs


def test_missing_path() -> None:
    err = only_error("does-not-exist.txt")
    assert err.reason == "no such file or directory"
    assert str(err) == f"{FIX / 'does-not-exist.txt'}: no such file or directory"


def test_broken_symlink(tmp_path: Path) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    assert only_error(tmp_path / "dangling.txt").reason == "broken symbolic link"


def test_permission_denied_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "locked.txt"
    p.write_text("secret")
    real_open = Path.open

    def fake_open(self: Path, *a: object, **k: object):  # type: ignore[no-untyped-def]
        if self == p:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", fake_open)
    assert only_error(p).reason == "permission denied"


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads any file")
def test_permission_denied_real(tmp_path: Path) -> None:
    p = tmp_path / "locked.txt"
    p.write_text("secret")
    p.chmod(0)
    try:
        assert only_error(p).reason == "permission denied"
    finally:
        p.chmod(0o644)


def test_empty_and_whitespace_files() -> None:
    assert only_error("empty.txt").reason == "empty file"
    assert only_error("whitespace.txt").reason == "file contains only whitespace"


def test_binary_nul_bytes(tmp_path: Path) -> None:
    p = tmp_path / "blob.txt"
    p.write_bytes(b"some text\x00\x00\x01\x02 and more")
    assert "binary file" in only_error(p).reason


def test_binary_control_bytes_without_nul(tmp_path: Path) -> None:
    p = tmp_path / "noise"
    p.write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 14, 15, 16, 65, 66, 67]) * 200)
    reason = only_error(p).reason
    assert reason.startswith("binary file (") and "non-text bytes" in reason


def test_binary_by_magic(tmp_path: Path) -> None:
    p = tmp_path / "report.pdf"
    p.write_bytes(b"%PDF-1.7\n" + b"stream text " * 50)
    assert "PDF" in only_error(p).reason


def test_utf8_arabic_is_not_binary(tmp_path: Path) -> None:
    p = tmp_path / "ar.txt"
    p.write_text("قصفت قوات موالية المطار الوحيد في العاصمة. " * 200, encoding="utf-8")
    assert isinstance(read(p)[0], RawArticle)


def test_too_large_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "huge.txt"
    with p.open("wb") as fh:  # sparse 50 MB file: no disk used, and it must never be read
        fh.truncate(50 * 1024 * 1024)

    def no_open(self: Path, *a: object, **k: object):  # type: ignore[no-untyped-def]
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_open)
    err = only_error(p)
    assert err.reason.startswith("file is too large: 52428800 bytes")


def test_max_bytes_is_configurable(tmp_path: Path) -> None:
    p = tmp_path / "small.txt"
    p.write_text("x" * 200)
    assert "too large" in only_error(p, max_bytes=100).reason
    assert isinstance(read(p, max_bytes=1000)[0], RawArticle)


def test_invalid_utf8_reports_offset() -> None:
    err = only_error("latin1.txt")
    assert err.reason.startswith("invalid UTF-8 at byte offset 3 (byte 0xe9)")
    assert err.line == 1


def test_invalid_utf8_html_without_charset(tmp_path: Path) -> None:
    p = tmp_path / "bad.html"
    p.write_bytes(b"<html><body><p>Caf\xe9 text.</p></body></html>")
    assert only_error(p).reason.startswith("invalid UTF-8 at byte offset 18")


def test_html_without_article_body() -> None:
    assert "no extractable article body" in only_error("navigation_only.html").reason


def test_json_without_articles() -> None:
    assert only_error("empty_list.json").reason.startswith("no articles")
    assert only_error("no_articles.json").reason.startswith("no articles")


def test_json_syntax_error(tmp_path: Path) -> None:
    p = tmp_path / "bad.json"
    p.write_text('{"text": "unterminated')
    err = only_error(p)
    assert err.reason.startswith("not valid JSON") and err.line == 1


def test_feeds_that_are_not_usable() -> None:
    assert only_error("empty_feed.rss").reason == "feed has no items"
    assert "not an RSS or Atom feed" in only_error("not_a_feed.xml").reason
    broken = only_error("broken.xml")
    assert broken.reason.startswith("not well-formed XML") and broken.line == 3


def test_xml_entities_refused(tmp_path: Path) -> None:
    p = tmp_path / "bomb.xml"
    p.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss><channel><item>'
                 "<description>&a;</description></item></channel></rss>")
    assert "entity" in only_error(p).reason


def test_fifo_is_not_read(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    p = tmp_path / "pipe"
    os.mkfifo(p)
    assert only_error(p).reason == "not a regular file"


def test_errors_never_raise(tmp_path: Path) -> None:
    """A grab-bag directory: every item is an article or an error, nothing raises."""
    (tmp_path / "a.html").write_text("<html><body>" + "<div>" * 5000 + "</body></html>")
    (tmp_path / "b.rss").write_text("<rss><channel><item><title>t</title></item>")
    (tmp_path / "c.jsonl").write_text("{}\n")
    (tmp_path / "d.json").write_text("42")
    (tmp_path / "e.xml").write_bytes(b"\xef\xbb\xbf")
    items = read(tmp_path)
    assert len(items) == 5
    assert all(isinstance(i, IngestError) for i in items), items


# ------------------------------------------------------------------ metadata for plain files


def test_sidecar_and_meta_csv_give_plain_files_their_metadata(tmp_path: Path) -> None:
    from khaldun.ingest import load_meta_csv

    (tmp_path / "a.txt").write_text("Soldiers crossed the river at dawn, the mayor said.\n", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text('{"outlet": "Valley Courier", "published": "March 9, 2021", '
                                          '"url": "https://valley.example/a", "language": "en-GB"}', encoding="utf-8")
    (tmp_path / "b.html").write_text("<html><body><p>The council met on Friday to discuss the bridge repairs "
                                      "and agreed to fund them.</p></body></html>", encoding="utf-8")
    (tmp_path / "b.html.meta.json").write_text('{"outlet": "Side Gazette", "title": "Bridge"}', encoding="utf-8")
    (tmp_path / "meta.csv").write_text("file,outlet,published\nb.html,Row Gazette,2021-03-10\n", encoding="utf-8")
    rows = load_meta_csv(tmp_path / "meta.csv")
    got = {Path(a.path).name: a for a in read_paths([tmp_path / "a.txt", tmp_path / "b.html"], meta=rows)}
    a, b = got["a.txt"], got["b.html"]
    assert (a.outlet, a.published, a.url, a.language) == ("Valley Courier", "2021-03-09", "https://valley.example/a",
                                                          "en")
    assert (b.outlet, b.published, b.title) == ("Row Gazette", "2021-03-10", "Bridge")  # the CSV row wins
    # a directory walk never reads a sidecar as an article
    names = sorted(Path(x.path).name for x in read_paths([tmp_path]) if isinstance(x, RawArticle))
    assert names == ["a.txt", "b.html", "meta.csv"]


@pytest.mark.parametrize("content, reason", [
    ('{"published": 5}', "'published' must be a string"),
    ('{"published": "soon"}', "'published' is not a date"),
    ('{"language": "English"}', "ISO 639-1"),
    ("[1, 2]", "want a JSON object"),
    ("{not json", "not a JSON object"),
])
def test_a_bad_sidecar_is_an_error_for_its_article(tmp_path: Path, content: str, reason: str) -> None:
    (tmp_path / "a.txt").write_text("Soldiers crossed the river at dawn.\n", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(content, encoding="utf-8")
    (e,) = read_paths([tmp_path])
    assert isinstance(e, IngestError) and e.path == str(tmp_path / "a.txt")
    assert "a.meta.json" in e.reason and reason in e.reason and "\n" not in str(e)


def test_a_bad_meta_csv_is_one_line_naming_it(tmp_path: Path) -> None:
    from khaldun.ingest import MetaError, load_meta_csv

    p = tmp_path / "m.csv"
    p.write_text("name_of_thing,outlet\nx.txt,A\n", encoding="utf-8")
    with pytest.raises(MetaError, match="m.csv: the header needs a 'file' column"):
        load_meta_csv(p)
    p.write_text("file,published\nx.txt,someday\n", encoding="utf-8")
    with pytest.raises(MetaError, match=r"m.csv:2: 'published' is not a date"):
        load_meta_csv(p)
    with pytest.raises(MetaError, match="no such file"):
        load_meta_csv(tmp_path / "none.csv")


def test_html_to_text_with_characters_xml_cannot_hold() -> None:
    # control characters, raw or as references, and non-characters: a space, never lxml's ValueError
    assert html_to_text("<p>&#1;convoy &#x1b;left</p>") == "convoy left"
    assert html_to_text("<p>a\x01b &#xfffe;c &#99999999999;d</p>") == "a b c d"
    assert html_to_text("<p>&#128;5 &#65;</p>") == "\u20ac5 A"  # (HTML reads &#128; as the euro sign)
