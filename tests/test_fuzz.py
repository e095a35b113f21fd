"""Fuzzing in CI: Hypothesis-generated articles, JSON Lines, JSON, feeds (RSS/Atom/RDF) and HTML through
the readers of `khaldun ingest` (:func:`khaldun.ingest.read_bytes`, the runner's document id and
appearance), text normalization, date parsing, and a smaller number through the full `analyze` pipeline.

Bounded in time: every test has a fixed ``max_examples`` and no deadline; each example carries a batch
of inputs, so that well over 100,000 generated inputs run per CI run in a few minutes of CPU (the count
is printed at the end of the test session, see ``tests/conftest.py``). ``KHALDUN_FUZZ_SCALE`` scales
every budget (``0.1`` for a quick local run, ``10`` for a long one).

The properties: nothing raises; every reader result is an article or a one-line error; an article
keeps to the caps of :mod:`khaldun.limits`; normalization is idempotent; a document's offsets point
into its text. Every crash found here became a regular test (see ``tests/test_robustness.py``).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from khaldun import limits
from khaldun.ingest import IngestError, RawArticle, iso_date, read_bytes
from khaldun.text import normalize, strip_furniture

SCALE = float(os.environ.get("KHALDUN_FUZZ_SCALE", "1"))
SAMPLE = "The ministry said on Monday that the convoy had reached the border town."
COUNTS: Counter[str] = Counter()  # generated inputs per format, printed by conftest.py


def _settings(examples: int, shrink: bool = True) -> Any:
    phases = list(Phase) if shrink else [Phase.explicit, Phase.reuse, Phase.generate]
    # in CI the same inputs every run (a red build is about the change, not the draw); elsewhere a new draw
    # each run, and what it finds becomes a regular test
    return settings(max_examples=max(1, int(examples * SCALE)), deadline=None, database=None,
                    suppress_health_check=list(HealthCheck), phases=phases,
                    derandomize=os.environ.get("CI", "").lower() == "true")


# ------------------------------------------------------------------------------------------ strategies

# General words of news prose (written for these tests), and the characters that break readers:
# controls, escapes, bidi and zero-width marks, odd spaces and newlines, markup, combining marks.
WORDS = ("the", "army", "said", "on", "Monday", "that", "it", "sent", "troops", "to", "border", "town",
         "ministry", "spokesman", "denied", "weapons", "were", "delivered", "by", "sea", "rebels", "attacked",
         "a", "convoy", "near", "capital", "officials", "told", "reporters", "drones", "government", "police",
         "Turkey", "Libya", "Egypt", "United", "Nations", "Reuters", "according", "report", "will", "may")
HOSTILE = ("\x00", "\x1b[31m", "\x1b]0;t\x07", "\x9b", "\r\n", "\r", "\u2028", "\u2029", "\x0b", "\x0c",
           "\u200b", "\u200f", "\u202e", "\ufeff", "\u00a0", "\u3000", "\t", "[/red]", "[bold]", "<", ">",
           "&", "&amp;", "&#0;", "]]>", "\"", "'", "\\", "{", "}", "\u0301", "\U0001f600", "\ud800",
           "\u0627\u0644\u062c\u064a\u0634", "\u519b\u961f", "....", "?!", "\n\n\n", " ")
DATES = ("2019-04-09", "2019-04-09T23:30:00-05:00", "Tue, 09 Apr 2019 23:30:00 GMT", "April 9, 2019",
         "9 April 2019", "04/09/2019", "2019-13-45", "0000-00-00", "yesterday", "Tuesday")

word = st.sampled_from(WORDS)
hostile = st.sampled_from(HOSTILE)
token = st.one_of(word, word, word, hostile, st.text(max_size=6))
sentence = st.lists(token, min_size=1, max_size=14).map(lambda ws: " ".join(ws) + ".")
paragraph = st.lists(sentence, min_size=1, max_size=4).map(" ".join)
separator = st.sampled_from(["\n\n", "\n", "\r\n\r\n", "\n \n", "\u2029"])
article = st.tuples(st.lists(paragraph, min_size=1, max_size=5), separator).map(lambda t: t[1].join(t[0]))
short = st.one_of(st.text(max_size=20), sentence, st.sampled_from(DATES), hostile)
date_text = st.one_of(st.sampled_from(DATES), st.text(max_size=40),
                      st.tuples(st.sampled_from(DATES), st.text(max_size=8)).map("".join))
json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), short)
json_value = st.recursive(json_scalar, lambda kids: st.one_of(st.lists(kids, max_size=3),
                                                              st.dictionaries(short, kids, max_size=3)),
                          max_leaves=8)
field = st.sampled_from(["title", "url", "outlet", "published", "language"])
article_obj = st.fixed_dictionaries(
    {}, optional={"text": st.one_of(article, json_value), "title": st.one_of(short, json_value),
                  "url": short, "outlet": short, "published": st.one_of(date_text, json_value),
                  "language": st.sampled_from(["en", "ar", "EN-us", "xx", "", "en_GB"]),
                  "extra": json_value})


def _encode(s: str) -> bytes:
    return s.encode("utf-8", "surrogatepass")  # lone surrogates make invalid UTF-8 on purpose


@st.composite
def jsonl_file(draw: st.DrawFn) -> bytes:
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            lines.append(draw(st.binary(max_size=40)))
        elif kind == 1:
            depth = draw(st.integers(1, 120))
            lines.append(b'{"text": "a b c.", "x": ' + b"[" * depth + b"]" * draw(st.integers(0, depth)) + b"}")
        else:
            text = json.dumps(draw(article_obj), ensure_ascii=draw(st.booleans()))
            cut = draw(st.integers(0, len(text))) if kind == 2 else len(text)
            lines.append(_encode(text[:cut]))
    return b"\n".join(lines) + draw(st.sampled_from([b"", b"\n", b"\r\n"]))


@st.composite
def json_file(draw: st.DrawFn) -> bytes:
    objs = draw(st.lists(article_obj, max_size=3))
    shape = draw(st.integers(0, 4))
    value: Any = objs[0] if shape == 0 and objs else {"articles": objs} if shape == 1 else (
        draw(json_value) if shape == 2 else objs)
    return _encode(json.dumps(value, ensure_ascii=draw(st.booleans())))


def _xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


ENCODINGS = ("utf-8", "UTF-8", "GB2312", "Shift_JIS", "Big5", "UTF-7", "ISO-8859-1", "windows-1256", "utf-16",
             "no-such-enc", "ascii")


@st.composite
def feed_file(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["rss", "atom", "rdf"]))
    esc = draw(st.booleans())
    f = (lambda s: _xml_escape(s)) if esc else (lambda s: s)
    items = []
    for _ in range(draw(st.integers(0, 3))):
        title, body, date = f(draw(short)), draw(st.one_of(article, short)), f(draw(date_text))
        body = draw(st.sampled_from([f"<![CDATA[<p>{body}</p>]]>", _xml_escape(f"<p>{body}</p>"), f(body)]))
        if kind == "atom":
            items.append(f"<entry><title>{title}</title><link href=\"{f(draw(short))}\"/><updated>{date}"
                         f"</updated><content type=\"html\">{body}</content></entry>")
        else:
            items.append(f"<item><title>{title}</title><link>{f(draw(short))}</link><pubDate>{date}</pubDate>"
                         f"<description>{body}</description></item>")
    inner = "".join(items)
    doc = {"rss": f'<rss version="2.0"><channel><title>{f(draw(short))}</title><language>en</language>'
                  f"{inner}</channel></rss>",
           "atom": f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>x</title>{inner}</feed>',
           "rdf": '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                  f'xmlns="http://purl.org/rss/1.0/"><channel><title>x</title></channel>{inner}</rdf:RDF>'}[kind]
    enc = draw(st.sampled_from(ENCODINGS))
    text = f'<?xml version="1.0" encoding="{enc}"?>\n{doc}' if draw(st.booleans()) else doc
    try:
        data = text.encode(enc, "xmlcharrefreplace") if enc not in ("utf-16",) else _encode(text)
    except (LookupError, UnicodeError):
        data = _encode(text)
    if draw(st.integers(0, 9)) == 0:  # a damaged file
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.binary(max_size=8))
    return data


@st.composite
def html_file(draw: st.DrawFn) -> bytes:
    paras = draw(st.lists(st.one_of(paragraph, short), min_size=1, max_size=5))
    esc = draw(st.booleans())
    f = _xml_escape if esc else (lambda s: s)
    charset = draw(st.sampled_from(["utf-8", "windows-1256", "iso-8859-1", "bogus", "shift_jis"]))
    body = "".join(f"<p>{f(p)}</p>" for p in paras)
    page = (f'<!doctype html><html><head><meta charset="{charset}"><title>{f(draw(short))}</title>'
            f'<meta property="article:published_time" content="{f(draw(date_text))}"></head>'
            f"<body><article><h1>{f(draw(short))}</h1>{body}</article>"
            f"{draw(st.sampled_from(['', '<script>x()</script>', '<div><div><div>', '</p></p>']))}</body></html>")
    try:
        return page.encode(charset, "xmlcharrefreplace")
    except (LookupError, UnicodeError):
        return _encode(page)


# ------------------------------------------------------------------------------------------ properties


def _check_items(name: str, data: bytes) -> None:
    """Read ``data`` as the file ``name``; every result must be an article within the caps or a
    one-line error naming the file; articles then go through the runner's id and appearance."""
    from khaldun.store.runner import IngestOptions, appearance, document_id, to_item

    for it in read_bytes(name, data):
        if isinstance(it, IngestError):
            assert it.path == name
            assert it.reason and "\n" not in str(it), repr(str(it))
            str(it).encode("utf-8")  # errors are stored (ingest_errors) and printed
            continue
        assert isinstance(it, RawArticle), it
        assert it.text.strip() and limits.text_problem(it.text) is None
        assert it.published is None or len(it.published) == 10
        item = to_item(it, IngestOptions())
        appearance(document_id(item), item)


def _check_text(text: str) -> None:
    norm = normalize(text)
    assert normalize(norm) == norm
    fur = strip_furniture(norm)
    assert 0 <= fur.body_start <= fur.body_end <= len(norm)


HOSTILE_BYTES = tuple(_encode(h) for h in HOSTILE) + (b"\xff", b"\xc3", b"\x00", b"[" * 80, b"<!ENTITY",
                                                   b"<?xml version='1.0' encoding='UTF-7'?>", b"+ADw-", b"\\ud800")


def _variants(data: bytes, rng: Any, k: int) -> list[bytes]:
    """``data`` and ``k - 1`` mutations of it (mutation fuzzing, cheap next to drawing a new input):
    cut, bytes inserted, flipped, deleted or repeated, a hostile token spliced in."""
    out = [data]
    for _ in range(k - 1):
        d = out[rng.randrange(len(out))]
        n = len(d)
        op = rng.randrange(6)
        at = rng.randrange(n + 1)
        if op == 0:
            d = d[:at]
        elif op == 1:
            d = d[:at] + rng.choice(HOSTILE_BYTES) + d[at:]
        elif op == 2 and n:
            d = d[:at - 1] + bytes([rng.randrange(256)]) + d[at:] if at else bytes([rng.randrange(256)]) + d[1:]
        elif op == 3:
            d = d[:at] + d[at + rng.randrange(1, 16):]
        elif op == 4:
            d = d[:at] + d[at:at + rng.randrange(1, 40)] * rng.randrange(2, 6) + d[at:]
        else:
            d = d[:at] + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 6))) + d[at:]
        out.append(d)
    return out


RANDOM = st.randoms(use_true_random=False)


@_settings(400)
@given(st.lists(article, min_size=2, max_size=2), RANDOM)
def test_fuzz_plain_text_articles(texts: list[str], rng: Any) -> None:
    for text in texts:
        _check_text(text)
        for data in _variants(_encode(text), rng, 40):
            COUNTS["text"] += 1
            _check_items("fuzz.txt", data)
            _check_text(data.decode("utf-8", "replace"))


@_settings(400)
@given(jsonl_file(), RANDOM)
def test_fuzz_json_lines(data: bytes, rng: Any) -> None:
    for d in _variants(data, rng, 50):
        COUNTS["jsonl"] += 1
        _check_items("fuzz.jsonl", d)


@_settings(300)
@given(json_file(), RANDOM)
def test_fuzz_json(data: bytes, rng: Any) -> None:
    for d in _variants(data, rng, 40):
        COUNTS["json"] += 1
        _check_items("fuzz.json", d)


@_settings(450)
@given(feed_file(), RANDOM)
def test_fuzz_feeds(data: bytes, rng: Any) -> None:
    for d in _variants(data, rng, 50):
        COUNTS["feed"] += 1
        _check_items("fuzz.xml", d)


@_settings(200)
@given(st.binary(max_size=300), RANDOM,
       st.sampled_from(["fuzz.txt", "fuzz.jsonl", "fuzz.json", "fuzz.xml", "fuzz.rss", "fuzz", "fuzz.html"]))
def test_fuzz_raw_bytes_under_any_extension(data: bytes, rng: Any, name: str) -> None:
    for d in _variants(data, rng, 50 if not name.endswith(".html") else 3):  # trafilatura is slow
        COUNTS["bytes"] += 1
        _check_items(name, d)


@_settings(200)  # dateparser costs ~2 ms a string: 10,000 strings
@given(st.lists(date_text, min_size=5, max_size=5), RANDOM)
def test_fuzz_dates(seeds: list[str], rng: Any) -> None:
    from khaldun.dates import parse_published

    for v in (d.decode("utf-8", "replace") for s in seeds for d in _variants(_encode(s), rng, 10)):
        COUNTS["date"] += 1
        got = iso_date(v)
        assert got is None or len(got) == 10
        try:
            parse_published(v)
        except ValueError:
            pass


@_settings(150)
@given(html_file(), RANDOM)
def test_fuzz_html(page: bytes, rng: Any) -> None:
    for data in _variants(page, rng, 4):
        COUNTS["html"] += 1
        _check_items("fuzz.html", data)


@pytest.fixture(scope="module")
def pipe() -> Any:
    from khaldun.pipeline import default_pipeline

    return default_pipeline()


@_settings(50, shrink=False)  # a failing document is printed whole; shrinking through spaCy takes minutes
@given(st.lists(st.tuples(article, st.one_of(st.none(), short), st.one_of(st.none(), date_text)),
                min_size=4, max_size=4))
def test_fuzz_analyze(pipe: Any, docs: list[tuple[str, str | None, str | None]]) -> None:
    items = [dict(text=t, title=title, published=iso_date(pub), path=f"fuzz{k}") for k, (t, title, pub)
             in enumerate(docs)]
    before = len(pipe.errors)
    out = list(pipe.analyze_many(items))
    COUNTS["analyze"] += len(items)
    failed = pipe.errors[before:]
    del pipe.errors[before:]
    assert len(out) == len(items)
    refused = {f"{it['path']}: {problem}" for it in items if (problem := limits.item_problem(it))}
    assert set(failed) == refused, failed  # only the documented caps refuse a document; nothing crashes
    for d in out:
        for c in d.claims:
            assert 0 <= c.evidence.start <= c.evidence.end <= len(d.text)
        for q in d.quotes:
            assert 0 <= q.content.start <= q.content.end <= len(d.text)
        type(d).model_validate_json(d.model_dump_json())


def test_fuzz_ran_at_least_100k_inputs() -> None:
    """The CI target: >= 100,000 generated inputs a run across the formats (when the whole file runs)."""
    formats = {"text", "jsonl", "json", "feed", "bytes", "date", "html", "analyze"}
    if set(COUNTS) != formats:
        pytest.skip("only part of the fuzzing ran")
    assert sum(COUNTS.values()) >= 100_000 * SCALE, dict(COUNTS)


def test_atheris_target_replays_inputs_without_atheris(tmp_path: Path) -> None:
    """scripts/fuzz_atheris.py runs by hand under atheris; its --replay mode (no atheris) is checked here."""
    import subprocess
    import sys

    inputs = []
    for k, data in enumerate([b"\x00" + SAMPLE.encode(), b"\x01" + json.dumps({"text": SAMPLE}).encode(),
                              b"\x03<rss><channel><item><description>x y z.</description></item></channel></rss>"]):
        p = tmp_path / f"in{k}"
        p.write_bytes(data)
        inputs.append(str(p))
    script = Path(__file__).resolve().parents[1] / "scripts" / "fuzz_atheris.py"
    env = dict(os.environ, PYTHONPATH=str(script.parents[1]))
    res = subprocess.run([sys.executable, str(script), "--replay", *inputs], capture_output=True, text=True,
                         env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.count(": ok (1 article(s))") == 3, res.stdout
    no = subprocess.run([sys.executable, "-c", "import atheris"], capture_output=True)
    if no.returncode != 0:  # without atheris the fuzzing mode says so in one line
        res = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True,
                             env=env, timeout=120)
        assert res.returncode == 2 and "atheris is not installed" in res.stderr
