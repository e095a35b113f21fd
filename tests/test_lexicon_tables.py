"""The lexicon layer's tables and rule tables (khaldun.lexicon.table / rules / document) and the engines that
read them: factuality's cue tables, the date-expression rule table, materiel's count words. Sentences are
made up for the tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from khaldun import dates, lexicon
from khaldun.dates import resolve_when
from khaldun.factuality import assess_spans


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """An empty lexicon folder in place of khaldun's, with the readers' caches emptied before and after."""
    monkeypatch.setattr(lexicon, "DATA", tmp_path)
    lexicon._doc.cache_clear()
    lexicon._word_file.cache_clear()
    lexicon.words.cache_clear()
    yield tmp_path
    lexicon._doc.cache_clear()
    lexicon._word_file.cache_clear()
    lexicon.words.cache_clear()


def test_table_keeps_the_written_order_and_values(data_dir: Path) -> None:
    (data_dir / "m.yaml").write_text("source: test\ntables:\n  t: {zeta: 1, alpha: 2, 'no': 3}\n", encoding="utf-8")
    assert list(lexicon.table("m", "t").items()) == [("zeta", 1), ("alpha", 2), ("no", 3)]


@pytest.mark.parametrize("text, call, message", [
    ("source: x\n", lambda: lexicon.table("m", "t"), "m.yaml: no 'tables' mapping"),
    ("tables: {t: [a, b]}\n", lambda: lexicon.table("m", "t"), "table 't' missing or not a mapping"),
    ("tables: {t: {no: 1}}\n", lambda: lexicon.table("m", "t"), "quote YAML booleans"),
    ("tables: {u: {a: 1}}\n", lambda: lexicon.table("m", "t"), "table 't' missing"),
    ("rules: {r: {a: 1}}\n", lambda: lexicon.rules("m", "r"), "rule table 'r' missing or not a list of mappings"),
    ("[a, b]\n", lambda: lexicon.words("m", "c"), "m.yaml: not a mapping"),
    ("tables: {t: [\n", lambda: lexicon.table("m", "t"), "m.yaml: not valid YAML"),
])
def test_bad_lexicon_files_give_one_line_errors(data_dir: Path, text: str, call, message: str) -> None:  # type: ignore[no-untyped-def]
    (data_dir / "m.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        call()


def test_missing_lexicon_file_is_named(data_dir: Path) -> None:
    with pytest.raises(ValueError, match="data/lexicon/nothing.yaml: not found"):
        lexicon.table("nothing", "t")


# -- factuality: the cue tables ----------------------------------------------------------------------------

def _fact(text: str, word: str):  # type: ignore[no-untyped-def]
    start = text.index(word)
    got = assess_spans(text, [(start, start + len(word))])[0]
    assert got is not None
    return got


def test_a_future_auxiliary_outranks_a_perfect_one() -> None:
    f = _fact("By June the brigade will have withdrawn its artillery.", "withdrawn")
    assert (f.tense, f.cues) == ("future", ["will"])


def test_no_longer_negates_and_whether_leaves_unasserted() -> None:
    f = _fact("The ferry no longer carries trucks across the strait.", "carries")
    assert (f.polarity, f.tense) == ("negative", "present")
    f = _fact("Nobody knows whether the convoy crossed the border.", "crossed")
    assert (f.certainty, f.asserted, f.cues) == ("possible", False, ["whether"])
    f = _fact("The ferry will sail if the convoy arrives.", "arrives")
    assert (f.certainty, f.asserted, f.cues) == ("possible", True, ["if"])  # conditional, still asserted


def test_adjective_and_unlikely_cues_come_from_their_tables() -> None:
    assert _fact("Officials inspected the alleged shipment at the port.", "shipment").certainty == "possible"
    f = _fact("The council is unlikely to send observers.", "send")
    assert (f.certainty, f.polarity) == ("probable", "negative")


# -- dates: the rule table ---------------------------------------------------------------------------------

def test_every_resolver_has_a_rule_and_every_rule_a_resolver() -> None:
    named = {r["resolve"] for r in lexicon.rules("dates", "expressions")}
    assert named == set(dates._RESOLVERS)


def test_a_rule_naming_an_unknown_resolver_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates, "rules", lambda module, name: [{"resolve": "fortnight", "patterns": ["x"]}])
    with pytest.raises(ValueError, match="dates.yaml: expression rule 1 needs 'resolve'"):
        dates._compile_rules()


@pytest.mark.parametrize("text, published, want", [
    ("three days ago", date(2021, 3, 10), ("2021-03-07", "day")),
    ("three days ago", None, (None, None)),  # anchored on publication: no date without one
    ("in two weeks", date(2021, 3, 10), ("2021-03-24", None)),
    ("the past month", date(2021, 3, 10), (None, None)),  # a span ending now
    ("later this month", date(2021, 3, 10), ("2021-03-01", "month")),
    ("Friday last", date(2021, 3, 10), ("2021-03-05", "day")),
    ("8-9 February 2020", None, ("2020-02-08", None)),  # a range with its year resolves without publication
    ("the day before yesterday", date(2021, 3, 10), ("2021-03-08", "day")),
])
def test_rule_table_resolutions(text: str, published: date | None, want: tuple[str | None, str | None]) -> None:
    w = resolve_when(text, published)
    assert (w.date, w.precision) == want


# -- materiel: count words ---------------------------------------------------------------------------------

def test_count_words_come_from_the_tables() -> None:
    from khaldun.materiel import _quantity

    for text, want in [("they bought a dozen ", 12), ("they bought dozen ", None), ("two hundred and fifty ", 250),
                       ("in 2019 ", None), ("seven locally-built ", 7)]:
        assert _quantity(text, len(text)) == want, text
