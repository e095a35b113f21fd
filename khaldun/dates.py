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

dateparser is used only for the expressions the rules above do not cover (other wordings, other
languages); it is imported on first use and its parser cached, since importing it and its first
call cost ~0.1 s each.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Literal

from .models import When

Precision = Literal["day", "month", "year"]

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2, "weds": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
}
_MONTH_RE = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY_RE = r"(?P<wd>" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")\.?"
_NUM_RE = r"(?P<n>\d{1,3}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")"
_DAY_RE = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR_RE = r"(?P<year>(?:1[89]|20|21)\d\d)"

_DAYPART = re.compile(
    r"\b(?:in\s+the\s+|during\s+the\s+|on\s+the\s+)?(?:early|late)?\s*(?:hours\s+of\s+)?"
    r"(?:evening|morning|night|afternoon|noon|midday|midnight|dawn|dusk|daybreak|nighttime|night-time)s?\b"
    r"(?:\s+hours)?|\b(?:early|late)\s+hours\s+of\b|\bthe\s+early\s+hours\s+of\b")
_LEADING = re.compile(
    r"^(?:(?:on|in|at|during|since|from|of|as\s+of|around|about|circa|ca|sometime\s+in|some\s+time\s+in|"
    r"sometime|throughout|over|the|early|earlier|late|mid|middle\s+of|the\s+middle\s+of|beginning\s+of|"
    r"start\s+of|end\s+of|close\s+of|until|till|up\s+to|by)\b[\s,-]*)+")
_OPEN_RANGE = re.compile(r"^(?:before|after|prior\s+to|following|until|till|by)\b")
_VAGUE = re.compile(
    r"\b(?:recent(?:ly)?|lately|past|previous(?:ly)?|coming|upcoming|few|several|many|some|decades?|"
    r"centur(?:y|ies)|once|ever|nowadays|currently|now|soon|same|that|those|these|following|prior|"
    r"meantime|meanwhile|era|period|times)\b|\b(?:\d\d)?\d0'?s\b|'\d0s\b|\bthe\s+(?:day|week|month|year)\s+(?:before|after)\b")
_CLOCK = re.compile(
    r"\b(?:at\s+)?(?:around\s+|about\s+)?\d{1,2}(?:[:.]\d{2})?\s*(?:a\.?m\b\.?|p\.?m\b\.?)"
    r"(?:\s*(?:gmt|utc|local\s+time))?|\b(?:at\s+)?\d{1,2}:\d{2}\b(?:\s*(?:gmt|utc|local\s+time))?")
_WEEKDAY_BEFORE_DATE = re.compile(
    rf"^{_WEEKDAY_RE}\s*,?\s+(?=(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\b|(?:{'|'.join(_MONTHS)})\b)")
_AR_DAYPART = re.compile(r"(?:يوم|مساء|صباح|ليلة|ظهر|فجر|عصر|منتصف\s+ليل)\s*")


def _today_like(e: str) -> bool:
    return e in ("today", "tonight", "this morning", "this evening", "this afternoon", "this", "now")


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
    e = re.sub(r"[\u2010-\u2015]", "-", e)
    e = e.replace("’", "'").replace("`", "'")
    e = re.sub(r"[\"“”()\[\]]", " ", e)
    e = _AR_DAYPART.sub("", e)
    e = re.sub(r"'s\b", "", e)  # "Tuesday's attack" was cut to "Tuesday's"
    e = re.sub(r"\bthis\s+past\b", "last", e)
    e = re.sub(r"\blast\s+night\b", "yesterday", e)
    e = re.sub(r"\b(?:over\s*night|overnight)\b", "yesterday", e)
    e = re.sub(r"\b(?:this|tomorrow|yesterday)\s+(?:morning|evening|afternoon|night)\b",
               lambda m: m.group(0).split()[0], e)
    e = _DAYPART.sub(" ", e)
    e = _CLOCK.sub(" ", e)
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


def _resolve_rules(e: str, pub: date | None) -> tuple[date | None, str | None, bool] | None:
    """Rule-based resolution. Returns (date, precision, explicitly_future) or None when no rule
    applies; a rule that applies but cannot resolve (relative, no publication date) returns
    (None, None, False)."""
    none: tuple[date | None, str | None, bool] = (None, None, False)
    # --- explicit dates with a year ----------------------------------------------------------
    m = re.fullmatch(_YEAR_RE, e)
    if m:
        return date(int(m["year"]), 1, 1), "year", True
    m = re.fullmatch(rf"{_MONTH_RE},?\s+(?:of\s+)?{_YEAR_RE}", e)
    if m:
        return date(int(m["year"]), _MONTHS[m["month"]], 1), "month", True
    m = (re.fullmatch(rf"(?:the\s+)?{_DAY_RE}\s+(?:of\s+)?{_MONTH_RE},?\s+{_YEAR_RE}", e)
         or re.fullmatch(rf"{_MONTH_RE}\s+(?:the\s+)?{_DAY_RE},?\s+{_YEAR_RE}", e))
    if m:
        y, mo, d = int(m["year"]), _MONTHS[m["month"]], int(m["day"])
        if d > calendar.monthrange(y, mo)[1]:
            return none
        return date(y, mo, d), "day", True
    m = re.fullmatch(r"(?P<a>\d{4})-(?P<b>\d{1,2})-(?P<c>\d{1,2})", e)
    if m:
        try:
            return date(int(m["a"]), int(m["b"]), int(m["c"])), "day", True
        except ValueError:
            return none
    m = re.fullmatch(r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<c>\d{4})", e)
    if m:
        a, b, y = int(m["a"]), int(m["b"]), int(m["c"])
        day, month = (a, b) if b <= 12 else (b, a)  # day first unless impossible
        try:
            return date(y, month, day), "day", True
        except ValueError:
            return none
    # --- seasons and ranges with a year ------------------------------------------------------
    m = re.fullmatch(rf"(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?{_YEAR_RE}", e)
    if m:
        return date(int(m["year"]), 1, 1), "year", True
    # --- relative to publication -------------------------------------------------------------
    if _today_like(e):
        return (pub, "day", False) if pub else none
    if e in ("yesterday",):
        return (pub - timedelta(days=1), "day", False) if pub else none
    if e in ("the day before yesterday", "day before yesterday"):
        return (pub - timedelta(days=2), "day", False) if pub else none
    if e == "tomorrow":
        return (pub + timedelta(days=1), "day", True) if pub else none
    if e in ("the day after tomorrow", "day after tomorrow"):
        return (pub + timedelta(days=2), "day", True) if pub else none
    m = re.fullmatch(rf"{_NUM_RE}\s+(?P<unit>day|week|month|year)s?\s+(?:ago|earlier|before)", e)
    if m:
        n = _parse_number(m["n"])
        if n is None or not pub:
            return none
        unit = m["unit"]
        if unit == "day":
            return pub - timedelta(days=n), "day", False
        if unit == "week":
            return pub - timedelta(days=7 * n), None, False
        if unit == "month":
            return _shift_months(pub, -n).replace(day=1), "month", False
        return date(pub.year - n, 1, 1), "year", False
    m = re.fullmatch(rf"(?:in|within\s+the\s+next)\s+{_NUM_RE}\s+(?P<unit>day|week|month|year)s?(?:'\s*time)?", e)
    if m:
        n = _parse_number(m["n"])
        if n is None or not pub:
            return none
        unit = m["unit"]
        if unit == "day":
            return pub + timedelta(days=n), "day", True
        if unit == "week":
            return pub + timedelta(days=7 * n), None, True
        if unit == "month":
            return _shift_months(pub, n).replace(day=1), "month", True
        return date(pub.year + n, 1, 1), "year", True
    m = re.fullmatch(rf"{_MONTH_RE}\s+(?:of\s+)?(?P<rel>last|this|next)\s+year", e)
    if m:  # "April last year"
        if not pub:
            return none
        step = {"last": -1, "this": 0, "next": 1}[m["rel"]]
        return date(pub.year + step, _MONTHS[m["month"]], 1), "month", step > 0
    m = re.fullmatch(r"(?P<rel>this|last|next|the\s+previous|the\s+past|the\s+coming|the\s+next|previous|past|"
                     r"earlier\s+this|later\s+this|early\s+this|late\s+this|earlier\s+last|late\s+last|early\s+last|"
                     r"end\s+of\s+last|end\s+of\s+this|the\s+end\s+of\s+last|the\s+end\s+of\s+this)\s+"
                     r"(?P<unit>week|weekend|month|year)", e)
    if m:
        rel = m["rel"].split()[-1]
        unit = m["unit"]
        if m["rel"] in ("the past", "past", "the coming", "the next"):
            return none  # "the past week": a span ending now; "the coming week": vague
        if not pub:
            return none
        step = {"this": 0, "last": -1, "previous": -1, "next": 1}[rel]
        future = step > 0 or m["rel"].startswith("later")
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
    if e in ("the weekend", "weekend"):
        return (_weekday_on_or_before(pub, 5), None, False) if pub else none
    m = re.fullmatch(rf"(?P<rel>last|this|next|coming|past)?\s*{_WEEKDAY_RE}(?:\s+last|\s+next)?", e)
    if m:
        if not pub:
            return none
        wd = _WEEKDAYS[m["wd"]]
        rel = m["rel"] or ("last" if e.endswith(" last") else "next" if e.endswith(" next") else None)
        if rel in ("next", "coming"):
            return pub + timedelta(days=(wd - pub.weekday() - 1) % 7 + 1), "day", True
        if rel in ("last", "past"):
            return pub - timedelta(days=(pub.weekday() - wd - 1) % 7 + 1), "day", False
        if rel == "this":
            return _monday(pub) + timedelta(days=wd), "day", True
        return _weekday_on_or_before(pub, wd), "day", False
    m = re.fullmatch(rf"(?P<rel>last|this|next)\s+{_MONTH_RE}", e)
    if m:
        if not pub:
            return none
        mo = _MONTHS[m["month"]]
        if m["rel"] == "this":
            return date(pub.year, mo, 1), "month", True
        if m["rel"] == "next":
            return date(pub.year + (mo <= pub.month), mo, 1), "month", True
        return date(pub.year - (mo >= pub.month), mo, 1), "month", False
    # --- day and/or month without a year: the most recent one not after publication ----------
    m = (re.fullmatch(rf"(?:the\s+)?{_DAY_RE}\s+(?:of\s+)?{_MONTH_RE}", e)
         or re.fullmatch(rf"{_MONTH_RE}\s+(?:the\s+)?{_DAY_RE}", e))
    if m:
        if not pub:
            return none
        mo, d = _MONTHS[m["month"]], int(m["day"])
        for y in (pub.year, pub.year - 1, pub.year - 2, pub.year - 3, pub.year - 4):
            if d <= calendar.monthrange(y, mo)[1] and date(y, mo, d) <= pub:
                return date(y, mo, d), "day", False
        return none
    m = re.fullmatch(_MONTH_RE, e)
    if m:
        if not pub:
            return none
        mo = _MONTHS[m["month"]]
        return date(pub.year - (mo > pub.month), mo, 1), "month", False
    m = re.fullmatch(r"(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)(?:\s+of\s+(?:the|this)\s+month)?", e)
    if m:
        if not pub:
            return none
        d = int(m["day"])
        cand = pub.replace(day=1)
        for _ in range(3):
            if d <= calendar.monthrange(cand.year, cand.month)[1] and cand.replace(day=d) <= pub:
                return cand.replace(day=d), "day", False
            cand = _shift_months(cand, -1)
        return none
    # --- ranges: first day, approximate ----------------------------------------------------------
    m = (re.fullmatch(rf"(?:between\s+)?(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|to|and)\s*{_DAY_RE}\s+"
                      rf"(?:of\s+)?{_MONTH_RE}(?:,?\s+{_YEAR_RE})?", e)
         or re.fullmatch(rf"(?:between\s+)?{_MONTH_RE}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|to|and)\s*"
                         rf"{_DAY_RE}(?:,?\s+{_YEAR_RE})?", e))
    if m:
        inner = f"{m['d1']} {m['month']}" + (f" {m['year']}" if m["year"] else "")
        res = _resolve_rules(inner, pub)
        if res and res[0]:
            return res[0], None, res[2]
        return none
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
                            + r"|yesterday|today|tomorrow|ago")


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
