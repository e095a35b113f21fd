"""Arabic date expressions over tokens: "12 مارس 2020", "في أكتوبر 2018", "عام 2019", "يوم الأحد", "أمس"."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from ..models import When
from . import lexicon as L
from .text import Token, norm, norm_key


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[tuple[str, ...], int], dict[str, int], dict[str, int], frozenset[str]]:
    c = L.cues()
    months = {tuple(norm_key(w).split()): int(m) for m, ws in c["months"].items() for w in ws}
    weekdays = {norm(w): int(d) for d, ws in c["weekdays"].items() for w in ws}  # with their article
    rel = {norm(w): int(d) for d, ws in c["relative_days"].items() for w in ws}
    return months, weekdays, rel, L.word_set("year_words")


def _month_at(toks: list[Token], k: int) -> tuple[int, int] | None:
    months = _tables()[0]
    for n in (2, 1):
        if k + n > len(toks):
            continue
        for key in toks[k].keys:
            words = (key.form,) + tuple(t.keys[0].form if not t.norm.startswith("ال") else t.norm[2:]
                                        for t in toks[k + 1:k + n])
            if words in months:
                return months[words], k + n
    return None


def _year(t: Token) -> int | None:
    d = "".join(ch for ch in t.norm if ch.isdigit())
    if len(d) == 4 and d == t.norm.lstrip("وبفل") and 1950 <= int(d) <= 2100:
        return int(d)
    return None


def find_dates(text: str, toks: list[Token], published: date | None) -> list[tuple[int, int, When]]:
    out: list[tuple[int, int, When]] = []
    _, weekdays, rel, year_words = _tables()
    k = 0
    while k < len(toks):
        t = toks[k]
        day = int(t.norm) if t.norm.isdigit() and 1 <= int(t.norm) <= 31 else None
        mk = _month_at(toks, k + 1) if day is not None else None
        if day is not None and mk is not None:
            month, j = mk
            year = _year(toks[j]) if j < len(toks) else None
            end = j + 1 if year else j
            year = year or (published.year if published else None)
            out.append(_when(text, t.start, toks[end - 1].end, year, month, day, published))
            k = end
            continue
        mk = _month_at(toks, k)
        if mk is not None and mk[1] < len(toks) and _year(toks[mk[1]]):
            out.append(_when(text, t.start, toks[mk[1]].end, _year(toks[mk[1]]), mk[0], None, published))
            k = mk[1] + 1
            continue
        forms = t.forms()
        if forms & year_words and k + 1 < len(toks) and _year(toks[k + 1]):
            y = _year(toks[k + 1])
            out.append((t.start, toks[k + 1].end, When(text=text[t.start:toks[k + 1].end], date=str(y),
                                                      precision="year")))
            k += 2
            continue
        full = {k.form for k in t.keys if "ال" not in k.prefix}
        wd = next((weekdays[f] for f in full if f in weekdays), None)
        if wd is not None:
            w = When(text=t.text)
            if published is not None:
                back = (published.weekday() - wd) % 7
                w = When(text=t.text, date=(published - timedelta(days=back)).isoformat(), precision="day")
            out.append((t.start, t.end, w))
        rd = next((rel[f] for f in full if f in rel), None)
        if rd is not None and published is not None:
            out.append((t.start, t.end, When(text=t.text, date=(published + timedelta(days=rd)).isoformat(),
                                            precision="day")))
        k += 1
    return out


def _when(text: str, s: int, e: int, year: int | None, month: int, day: int | None,
          published: date | None) -> tuple[int, int, When]:
    if year is None:
        return s, e, When(text=text[s:e])
    if published is not None and day is not None and year == published.year and month > published.month:
        year -= 1  # "on 3 December" in a January article: last year
    try:
        if day is not None:
            return s, e, When(text=text[s:e], date=date(year, month, day).isoformat(), precision="day")
    except ValueError:
        return s, e, When(text=text[s:e])
    return s, e, When(text=text[s:e], date=f"{year:04d}-{month:02d}", precision="month")
