"""Date resolution: English expressions relative to a publication date, and publication dates."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from khaldun.dates import parse_published, resolve_when

PUB = date(2019, 7, 31)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        # weekdays: the most recent such day on or before publication
        ("Tuesday evening", "2019-07-30", "day"),
        ("on Tuesday", "2019-07-30", "day"),
        ("late Tuesday", "2019-07-30", "day"),
        ("Tuesday's", "2019-07-30", "day"),
        ("in the early hours of Monday", "2019-07-29", "day"),
        ("Thursday", "2019-07-25", "day"),
        ("Wednesday", "2019-07-31", "day"),  # published on a Wednesday: that same day
        ("last Wednesday", "2019-07-24", "day"),
        ("next Tuesday", "2019-08-06", "day"),
        ("Monday, July 29", "2019-07-29", "day"),
        # relative days
        ("yesterday", "2019-07-30", "day"),
        ("last night", "2019-07-30", "day"),
        ("overnight", "2019-07-30", "day"),
        ("this morning", "2019-07-31", "day"),
        ("today", "2019-07-31", "day"),
        ("two days ago", "2019-07-29", "day"),
        ("tomorrow", "2019-08-01", "day"),
        # months and years
        ("in March 2011", "2011-03-01", "month"),
        ("March of 2011", "2011-03-01", "month"),
        ("2019", "2019-01-01", "year"),
        ("in 2011", "2011-01-01", "year"),
        ("mid-2019", "2019-01-01", "year"),
        ("late 2018", "2018-01-01", "year"),
        ("early June", "2019-06-01", "month"),
        ("December", "2018-12-01", "month"),  # a month after publication's month -> last year's
        ("last month", "2019-06-01", "month"),
        ("earlier this month", "2019-07-01", "month"),
        ("three months ago", "2019-04-01", "month"),
        ("last year", "2018-01-01", "year"),
        ("late last year", "2018-01-01", "year"),
        ("this year", "2019-01-01", "year"),
        ("last March", "2019-03-01", "month"),
        ("summer 2018", "2018-01-01", "year"),
        ("April last year", "2018-04-01", "month"),
        ("March this year", "2019-03-01", "month"),
        ("since 2014", "2014-01-01", "year"),
        # days of a month
        ("on 4 April", "2019-04-04", "day"),
        ("April 4", "2019-04-04", "day"),
        ("the 4th of April", "2019-04-04", "day"),
        ("31 July", "2019-07-31", "day"),
        ("1 August", "2018-08-01", "day"),  # not after publication
        ("4 April 2019", "2019-04-04", "day"),
        ("April 4, 2019", "2019-04-04", "day"),
        ("the 4th", "2019-07-04", "day"),
        ("3rd of April at 10am", "2019-04-03", "day"),
        ("2019-07-04", "2019-07-04", "day"),
        ("04/07/2019", "2019-07-04", "day"),  # day first
        ("07/31/2019", "2019-07-31", "day"),  # ... unless impossible
        ("24 December 2021", "2021-12-24", "day"),  # written with its year: kept even if later
        # approximate spans: first day, no precision
        ("last week", "2019-07-22", None),
        ("a week ago", "2019-07-24", None),
        ("three weeks ago", "2019-07-10", None),
        ("over the weekend", "2019-07-27", None),
        ("this past weekend", "2019-07-27", None),
        ("earlier this week", "2019-07-29", None),
        ("4-5 April", "2019-04-04", None),
        # explicitly future
        ("next week", "2019-08-05", None),
        ("in two weeks", "2019-08-14", None),
        ("next month", "2019-08-01", "month"),
    ],
)
def test_resolve_when(text: str, expected: str, precision: str | None) -> None:
    when = resolve_when(text, PUB)
    assert (when.text, when.date, when.precision) == (text, expected, precision)


@pytest.mark.parametrize(
    "text",
    ["the past years", "recently", "in recent days", "the past week", "the 1990s", "that day",
     "the following day", "before March", "until 2019", "for years", "on 30 February", "soon", ""],
)
def test_vague_expressions_have_no_date(text: str) -> None:
    when = resolve_when(text, PUB)
    assert when.date is None and when.precision is None
    assert when.text == (text or None)


def test_never_after_publication_unless_explicit() -> None:
    for text in ["Tuesday", "on 4 December", "December", "the 31st", "Friday", "last week", "yesterday",
                 "4 August", "August"]:
        when = resolve_when(text, PUB)
        assert when.date is not None and date.fromisoformat(when.date) <= PUB, text
    for text in ["next week", "tomorrow", "next Friday", "in three days"]:
        when = resolve_when(text, PUB)
        assert when.date is not None and date.fromisoformat(when.date) > PUB, text


def test_same_weekday_as_publication() -> None:
    assert resolve_when("Tuesday", date(2019, 7, 30)).date == "2019-07-30"
    assert resolve_when("last Tuesday", date(2019, 7, 30)).date == "2019-07-23"


def test_without_publication_date_relative_expressions_give_none() -> None:
    for text in ["Tuesday", "yesterday", "last week", "on 4 April", "June", "two days ago"]:
        when = resolve_when(text, None)
        assert (when.text, when.date, when.precision) == (text, None, None), text
    assert resolve_when("in March 2011", None).date == "2011-03-01"
    assert resolve_when("4 April 2019", None).date == "2019-04-04"
    assert resolve_when("2019", None).precision == "year"


def test_accepts_a_datetime_as_publication() -> None:
    assert resolve_when("yesterday", datetime(2019, 7, 31, 23, 59)).date == "2019-07-30"  # type: ignore[arg-type]


def test_dateparser_fallback_and_arabic() -> None:
    assert resolve_when("Sept. 3", PUB).date == "2018-09-03"
    assert resolve_when("مساء الثلاثاء", PUB).date == "2019-07-30"
    assert resolve_when("أمس", PUB).date == "2019-07-30"


def test_speed() -> None:
    resolve_when("3rd April at 10 in the morning", PUB)  # warm dateparser up
    cases = ["Tuesday evening", "last week", "in March 2011", "on 4 April", "yesterday", "2019", "early June",
             "the past years"]
    # the rules answer the common wordings without dateparser (~0.03 ms against ~1.5 ms): count the
    # fallback's calls instead of timing them
    import khaldun.dates as dates_mod

    calls: list[str] = []
    real = dates_mod._resolve_dateparser

    def counting(e, pub):  # type: ignore[no-untyped-def]
        calls.append(e)
        return real(e, pub)

    dates_mod._resolve_dateparser = counting
    try:
        for text in cases:
            resolve_when(text, PUB)
    finally:
        dates_mod._resolve_dateparser = real
    assert calls == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-07-31", date(2019, 7, 31)),
        ("2019-07-31T10:15:00Z", date(2019, 7, 31)),
        ("2019-07-31T23:15:00+02:00", date(2019, 7, 31)),  # the date as written, no conversion
        ("2019-07-31 10:15", date(2019, 7, 31)),
        ("20190731", date(2019, 7, 31)),
        ("Wed, 31 Jul 2019 10:15:00 GMT", date(2019, 7, 31)),
        ("31 July 2019", date(2019, 7, 31)),
        ("July 31, 2019", date(2019, 7, 31)),
        ("July 31st, 2019 10:15 AM EDT", date(2019, 7, 31)),
        ("31/07/2019", date(2019, 7, 31)),
        ("31.07.2019", date(2019, 7, 31)),
        ("", None),
        (None, None),
    ],
)
def test_parse_published(value: str | None, expected: date | None) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["garbage", "Tuesday", "not a date 2019x", "31/31/2019"])
def test_parse_published_rejects_garbage(value: str) -> None:
    with pytest.raises(ValueError, match="publication date"):
        parse_published(value)


def test_rule_resolution_is_cached_and_the_same_as_uncached() -> None:
    from datetime import date

    from khaldun.dates import _resolve_rules

    pub = date(2021, 3, 10)
    for e in ("on monday", "last week", "in two weeks", "march 2020", "yesterday", "no date here"):
        first = _resolve_rules(e, pub)
        assert first == _resolve_rules.__wrapped__(e, pub)
        assert _resolve_rules(e, pub) is first  # the cached answer (an immutable tuple)
        assert _resolve_rules(e, None) == _resolve_rules.__wrapped__(e, None)
