"""Date resolution: a date expression as written ("Tuesday evening", "last week", "in March 2011")
plus the publication date -> :class:`khaldun.models.When` (``date`` YYYY-MM-DD, ``precision``).

Conventions (news-reporting usage; each one is tested):

- Day parts ("evening", "morning", "night", "afternoon", "dawn") and leading prepositions ("on",
  "in", "at", "during", "since") are dropped: "on Tuesday evening" is "Tuesday".
- A bare weekday ("Tuesday", "on Tuesday") is the most recent such day on or before the
  publication date: a Wednesday 2019-07-31 article's "Tuesday" is 2019-07-30, and a Tuesday
  article's "Tuesday" is that same day (wire style: "said on Tuesday" = today). "last Tuesday" is
  strictly before publication; "next Tuesday" strictly after; "this Tuesday" is the Tuesday of
  the publication week.
- "last night", "overnight" -> the day before publication; "today", "tonight", "this morning" ->
  the publication day.
- Month or year precision dates are the first day of the period: "in March 2011" -> 2011-03-01
  (precision month), "2019" / "mid-2019" / "late 2019" -> 2019-01-01 (precision year), "early
  June" -> the most recent June not after publication (precision month).
- Spans shorter than a month that are no single day ("last week", "over the weekend", "three
  weeks ago", "4-5 April") get their first day as ``date`` and precision ``None``: approximate.
  (The contract has no "week" precision; a date with a null precision means "around".) Weeks
  start on Monday; a weekend is dated by its Saturday ("this weekend": the nearest one).
- Vague expressions ("recently", "the past years", "in recent days", "the 1990s", "that day")
  give date None and precision None; the text is kept.
- Never a date after publication unless the expression says so: "next week", "tomorrow",
  "in two weeks", "later this month", "next Tuesday", or a date written with its year
  ("24 December 2021"); a day or month without a year is resolved into the past.
- Without a publication date, anything relative ("yesterday", "Tuesday", "4 April", "June") gives
  date None; dates with a year ("4 April 2019", "2019") still resolve.
- All-numeric dates are read day first ("04/07/2019" = 4 July) unless that is impossible.

The rules are data: data/lexicon/dates.yaml holds the month, weekday and number words, the normalising
rewrites and the ordered table of date-expression patterns, each naming its resolver in this module
(`_RESOLVERS`); `_resolve_rules` tries them in order.

dateparser is used only for the expressions the rules above do not cover (other wordings, other
languages); it is imported on first use and its parser cached, since importing it and its first
call cost ~0.1 s each.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any

from .lexicon import rules, table
from .models import When

_MONTHS: dict[str, int] = table("dates", "months")
_WEEKDAYS: dict[str, int] = table("dates", "weekdays")
_NUMBERS: dict[str, int] = table("dates", "numbers")
_RELATIVE_DAYS: dict[str, int] = table("dates", "relative_days")
_STEPS: dict[str, int] = table("dates", "relative_steps")
_WEEKDAY_STEPS: dict[str, int] = table("dates", "weekday_relatives")
_P: dict[str, str] = table("dates", "patterns")


def _alternation(words: Any) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_MONTH_RE = r"(?P<month>" + _alternation(_MONTHS) + r")\.?"
_WEEKDAY_RE = r"(?P<wd>" + _alternation(_WEEKDAYS) + r")\.?"
_NUM_RE = r"(?P<n>\d{1,3}|" + _alternation(_NUMBERS) + r")"
_DAY_RE = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR_RE = r"(?P<year>(?:1[89]|20|21)\d\d)"
# the placeholders of the patterns in data/lexicon/dates.yaml
_SLOTS = {"YEAR": _YEAR_RE, "MONTH": _MONTH_RE, "DAY": _DAY_RE, "WEEKDAY": _WEEKDAY_RE, "NUM": _NUM_RE,
          "RELATIVE_DAY": "|".join(re.escape(w) for w in _RELATIVE_DAYS)} | {k.upper(): v for k, v in _P.items()}


def _expand(pattern: str) -> str:
    return re.sub(r"%([A-Z_]+)%", lambda m: _SLOTS[m[1]], pattern)


_DAYPART = re.compile(_P["daypart"])
_LEADING = re.compile(_P["leading"])
_OPEN_RANGE = re.compile(_P["open_range"])
_VAGUE = re.compile(_P["vague"])
_CLOCK = re.compile(_P["clock"])
_WEEKDAY_BEFORE_DATE = re.compile(
    rf"^{_WEEKDAY_RE}\s*,?\s+(?=(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\b|(?:{'|'.join(_MONTHS)})\b)")
_NORMALISE = tuple((re.compile(_expand(r["pattern"])), str(r["replace"])) for r in rules("dates", "normalise"))


def _parse_number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    return _NUMBERS.get(token)


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _shift_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    y = d.year + m // 12
    m = m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _normalise(text: str) -> str:
    e = text.strip().lower()
    for rx, replace in _NORMALISE:
        e = rx.sub(replace, e)
    e = re.sub(r"\s+", " ", e).strip(" ,.;:-")
    e = _WEEKDAY_BEFORE_DATE.sub("", e)  # "Monday, July 29" -> "July 29"
    return e


def _strip_leading(e: str) -> tuple[str, bool]:
    """Remove leading prepositions and part-of-period modifiers; report whether a modifier such as
    "early"/"late"/"mid" was there (it does not change the precision of months and years)."""
    m = _LEADING.match(e)
    if not m:
        return e, False
    return e[m.end():].strip(" ,-"), True


def _weekday_on_or_before(pub: date, wd: int) -> date:
    return pub - timedelta(days=(pub.weekday() - wd) % 7)


# -- resolvers of the date-expression rules (data/lexicon/dates.yaml, `expressions`) -------------------------
# Each takes the match and the publication date (never None for a rule marked relative) and returns
# (date, precision, explicitly_future); (None, None, False) when the rule applies but gives no date.

Resolution = tuple[date | None, str | None, bool]
_NONE: Resolution = (None, None, False)


def _year(m: re.Match[str], pub: date | None) -> Resolution:
    return date(int(m["year"]), 1, 1), "year", True


def _month_year(m: re.Match[str], pub: date | None) -> Resolution:
    return date(int(m["year"]), _MONTHS[m["month"]], 1), "month", True


def _day_month_year(m: re.Match[str], pub: date | None) -> Resolution:
    y, mo, d = int(m["year"]), _MONTHS[m["month"]], int(m["day"])
    if d > calendar.monthrange(y, mo)[1]:
        return _NONE
    return date(y, mo, d), "day", True


def _iso(m: re.Match[str], pub: date | None) -> Resolution:
    try:
        return date(int(m["a"]), int(m["b"]), int(m["c"])), "day", True
    except ValueError:
        return _NONE


def _numeric(m: re.Match[str], pub: date | None) -> Resolution:
    a, b, y = int(m["a"]), int(m["b"]), int(m["c"])
    day, month = (a, b) if b <= 12 else (b, a)  # day first unless impossible
    try:
        return date(y, month, day), "day", True
    except ValueError:
        return _NONE


def _relative_day(m: re.Match[str], pub: date) -> Resolution:
    step = _RELATIVE_DAYS[m[0]]
    return pub + timedelta(days=step), "day", step > 0


def _units(pub: date, n: int, unit: str, future: bool) -> Resolution:
    """n days, weeks, months or years after publication (before it with a negative n)."""
    if unit == "day":
        return pub + timedelta(days=n), "day", future
    if unit == "week":
        return pub + timedelta(days=7 * n), None, future
    if unit == "month":
        return _shift_months(pub, n).replace(day=1), "month", future
    return date(pub.year + n, 1, 1), "year", future


def _ago(m: re.Match[str], pub: date) -> Resolution:
    n = _parse_number(m["n"])
    return _NONE if n is None else _units(pub, -n, m["unit"], False)


def _within(m: re.Match[str], pub: date) -> Resolution:
    n = _parse_number(m["n"])
    return _NONE if n is None else _units(pub, n, m["unit"], True)


def _month_of_year(m: re.Match[str], pub: date) -> Resolution:
    step = _STEPS[m["rel"]]
    return date(pub.year + step, _MONTHS[m["month"]], 1), "month", step > 0


def _period(m: re.Match[str], pub: date) -> Resolution:
    if m.groupdict().get("span"):
        return _NONE  # "the past week": a span ending now; "the coming week": vague
    words = m["rel"].split()
    step = _STEPS[words[-1]]
    future = step > 0 or words[0] == "later"
    unit = m["unit"]
    if unit == "week":
        return _monday(pub) + timedelta(days=7 * step), None, future
    if unit == "weekend":  # its Saturday; "this weekend" is the nearest one, past or coming
        if step == 0:
            before = _weekday_on_or_before(pub, 5)
            after = before + timedelta(days=7)
            return (before if (pub - before) < (after - pub) else after), None, True
        return _monday(pub) + timedelta(days=5 + 7 * step), None, future
    if unit == "month":
        return _shift_months(pub.replace(day=1), step), "month", future
    return date(pub.year + step, 1, 1), "year", future


def _weekend(m: re.Match[str], pub: date) -> Resolution:
    return _weekday_on_or_before(pub, 5), None, False


def _weekday(m: re.Match[str], pub: date) -> Resolution:
    wd = _WEEKDAYS[m["wd"]]
    rel = m["rel"] or m["after"]
    step = _WEEKDAY_STEPS.get(rel) if rel else None
    if step == 1:
        return pub + timedelta(days=(wd - pub.weekday() - 1) % 7 + 1), "day", True
    if step == -1:
        return pub - timedelta(days=(pub.weekday() - wd - 1) % 7 + 1), "day", False
    if step == 0:
        return _monday(pub) + timedelta(days=wd), "day", True
    return _weekday_on_or_before(pub, wd), "day", False


def _month_relative(m: re.Match[str], pub: date) -> Resolution:
    mo = _MONTHS[m["month"]]
    step = _STEPS[m["rel"]]
    if step == 0:
        return date(pub.year, mo, 1), "month", True
    if step > 0:
        return date(pub.year + (mo <= pub.month), mo, 1), "month", True
    return date(pub.year - (mo >= pub.month), mo, 1), "month", False


def _day_month(m: re.Match[str], pub: date) -> Resolution:
    mo, d = _MONTHS[m["month"]], int(m["day"])
    for y in range(pub.year, pub.year - 5, -1):
        if d <= calendar.monthrange(y, mo)[1] and date(y, mo, d) <= pub:
            return date(y, mo, d), "day", False
    return _NONE


def _month(m: re.Match[str], pub: date) -> Resolution:
    mo = _MONTHS[m["month"]]
    return date(pub.year - (mo > pub.month), mo, 1), "month", False


def _ordinal_day(m: re.Match[str], pub: date) -> Resolution:
    d = int(m["day"])
    cand = pub.replace(day=1)
    for _ in range(3):
        if d <= calendar.monthrange(cand.year, cand.month)[1] and cand.replace(day=d) <= pub:
            return cand.replace(day=d), "day", False
        cand = _shift_months(cand, -1)
    return _NONE


def _day_range(m: re.Match[str], pub: date | None) -> Resolution:
    inner = f"{m['d1']} {m['month']}" + (f" {m['year']}" if m["year"] else "")
    res = _resolve_rules(inner, pub)
    if res and res[0]:
        return res[0], None, res[2]
    return _NONE


_RESOLVERS: dict[str, Callable[[re.Match[str], Any], Resolution]] = {
    "year": _year, "month_year": _month_year, "day_month_year": _day_month_year, "iso": _iso, "numeric": _numeric,
    "relative_day": _relative_day, "ago": _ago, "within": _within, "month_of_year": _month_of_year,
    "period": _period, "weekend": _weekend, "weekday": _weekday, "month_relative": _month_relative,
    "day_month": _day_month, "month": _month, "ordinal_day": _ordinal_day, "day_range": _day_range,
}


@dataclass(frozen=True)
class _Rule:
    patterns: tuple[re.Pattern[str], ...]
    resolve: Callable[[re.Match[str], Any], Resolution]
    relative: bool  # anchored on the publication date: no date without one


def _compile_rules() -> tuple[_Rule, ...]:
    out = []
    for n, r in enumerate(rules("dates", "expressions"), 1):
        if r.get("resolve") not in _RESOLVERS or not isinstance(r.get("patterns"), list) \
                or r.get("anchor") not in (None, "publication"):
            raise ValueError(f"data/lexicon/dates.yaml: expression rule {n} needs 'resolve' (one of "
                             f"{', '.join(_RESOLVERS)}), a list of 'patterns' and no 'anchor' but 'publication'")
        out.append(_Rule(tuple(re.compile(_expand(p)) for p in r["patterns"]), _RESOLVERS[r["resolve"]],
                         r.get("anchor") == "publication"))
    return tuple(out)


_RULES = _compile_rules()


@lru_cache(maxsize=8192)  # a document says "on Monday" again and again, against the one publication date
def _resolve_rules(e: str, pub: date | None) -> Resolution | None:
    """Rule-based resolution: the first rule of `_RULES` one of whose patterns matches the whole expression.
    Returns (date, precision, explicitly_future) or None when no rule applies; a rule that applies but
    cannot resolve (relative, no publication date) returns (None, None, False). (A pure function of its two
    arguments, cached: the answer is an immutable tuple.)"""
    for rule in _RULES:
        m = next((m for m in (rx.fullmatch(e) for rx in rule.patterns) if m), None)
        if m is not None:
            return _NONE if rule.relative and not pub else rule.resolve(m, pub)
    return None


def resolve_when(text: str | None, published: date | None) -> When:
    """Resolve a date expression as written to a :class:`When` (see the module docstring for the
    conventions). ``text`` is kept as given; unresolvable expressions give ``date=None``."""
    if text is None or not text.strip():
        return When(text=text or None)
    pub = published.date() if isinstance(published, datetime) else published
    e = _normalise(text)
    if _OPEN_RANGE.match(e):
        return When(text=text)  # "before March", "until 2019": a bound, not the event's date
    res = _resolve_rules(e, pub)  # "in two weeks" needs its "in"
    if res is None:
        e, _modified = _strip_leading(e)
        e = _normalise(e)
        if not e:
            return When(text=text)
        res = _resolve_rules(e, pub)
    if res is None:
        if _VAGUE.search(e):
            return When(text=text)
        res = _resolve_dateparser(e, pub)
    if res is None:
        return When(text=text)
    d, precision, future = res
    if d is None:
        return When(text=text)
    if pub is not None and d > pub and not future:
        return When(text=text)
    return When(text=text, date=d.isoformat(), precision=precision)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# dateparser fallback
# ---------------------------------------------------------------------------------------------

def _parser(languages: tuple[str, ...], base: datetime | None = None, strict: bool = False) -> Any:
    """A dateparser parser. Building one costs ~0.1 ms; dateparser's language data load once per
    process (~0.1 s on first use), which is why the module is imported here, not at the top."""
    from dateparser.date import DateDataParser

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "DMY",
                                "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = base
    if strict:
        settings["STRICT_PARSING"] = True
    return DateDataParser(languages=list(languages), settings=settings)


_HAS_DATE_WORD = re.compile(r"\d|" + "|".join(rf"\b{w}\b" for w in list(_MONTHS) + list(_WEEKDAYS))
                            + "|" + _P["date_words"])


def _resolve_dateparser(e: str, pub: date | None) -> tuple[date | None, str | None, bool] | None:
    arabic = bool(re.search(r"[\u0600-\u06ff]", e))
    if not arabic and not _HAS_DATE_WORD.search(e):
        return None
    has_year = bool(re.search(r"\b(?:1[89]|20|21)\d\d\b", e))
    if pub is None and not has_year:
        return None
    base = datetime.combine(pub, datetime.min.time()).replace(hour=12) if pub else None
    try:
        data = _parser(("ar", "en") if arabic else ("en",), base).get_date_data(e)
    except (ValueError, OverflowError):
        return None
    if data is None or data.date_obj is None:
        return None
    d = data.date_obj.date()
    period = data.period or "day"
    if period == "year":
        return date(d.year, 1, 1), "year", has_year
    if period == "month":
        return date(d.year, d.month, 1), "month", has_year
    if period == "week":
        return _monday(d), None, has_year
    return d, "day", has_year


# ---------------------------------------------------------------------------------------------
# publication dates
# ---------------------------------------------------------------------------------------------

_WRITTEN_FORMATS = (
    "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%A, %B %d, %Y", "%A %d %B %Y",
    "%A, %d %B %Y", "%a, %d %b %Y", "%a %d %b %Y", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d", "%Y.%m.%d",
    "%Y%m%d", "%d %B, %Y", "%B %Y",
)
_TIME_TAIL = re.compile(
    r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\.\d+)?\s*(?:[ap]\.?m\.?)?"
    r"\s*(?:[A-Z]{2,5}|[+-]\d{2}:?\d{2}|Z)?(?:\s*\([^)]*\))?)$", re.IGNORECASE)


def parse_published(value: str | date | None) -> date | None:
    """A publication date from metadata: ISO 8601 dates and datetimes ("2019-07-31",
    "2019-07-31T10:15:00+02:00", "2019-07-31T10:15:00Z"), RFC 2822 ("Wed, 31 Jul 2019 10:15:00
    GMT") and common written forms ("31 July 2019", "July 31, 2019", "31/07/2019" day first).
    The calendar date is taken as written (no time-zone conversion). ``None`` or an empty string
    give ``None``; anything else that is not a date raises ``ValueError``."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    s = str(value).strip()
    if not s:
        return None
    from .limits import date_problem

    problem = date_problem(s)
    if problem:
        raise ValueError(f"publication date refused: {problem}")
    d = _parse_published(s)
    if d is None:
        raise ValueError(
            f"unrecognised publication date {value!r}: expected an ISO 8601 date or datetime "
            "(2019-07-31, 2019-07-31T10:15:00Z), an RFC 2822 date (Wed, 31 Jul 2019 10:15:00 GMT) "
            "or a written date such as '31 July 2019'")
    if not 1900 <= d.year <= 2100:
        raise ValueError(f"publication date {value!r} is out of range (year {d.year})")
    return d


def _parse_published(s: str) -> date | None:
    for parse in (date.fromisoformat, lambda v: datetime.fromisoformat(v.replace("Z", "+00:00")).date()):
        try:
            return parse(s)
        except ValueError:
            pass
    try:
        return parsedate_to_datetime(s).date()
    except (TypeError, ValueError, IndexError, OverflowError):  # a year or hour too large for a datetime
        pass
    core = _TIME_TAIL.sub("", s).strip(" ,")
    core = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", core)
    core = re.sub(r"\bSept\b", "Sep", core)
    for fmt in _WRITTEN_FORMATS:
        try:
            return datetime.strptime(core, fmt).date()
        except ValueError:
            continue
    if not re.search(r"\d", s):
        return None
    try:
        data = _parser(("ar", "en") if re.search(r"[\u0600-\u06ff]", s) else ("en",), strict=True).get_date_data(s)
    except (ValueError, OverflowError):
        return None
    return data.date_obj.date() if data is not None and data.date_obj is not None else None
