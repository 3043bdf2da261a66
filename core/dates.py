"""Dates as council papers write them: "Thursday, 1 November 2018", "8th December, 2015", "13/03/2025"."""

from __future__ import annotations

import calendar
import re
from datetime import date

MONTHS = {
    m: i
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for m in names
}
# The months' and the weekdays' names in full: words of a calendar, never a place nor a body's name.
CALENDAR_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                  "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# A month's name or abbreviation, as the named group "month"; match it with re.IGNORECASE.
MONTH_NAME = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|" \
             r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
# A month written in full ("23rd November"): the form a heading uses when it drops the year.
FULL_MONTH_NAME = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)"
# A lower-case word of a question that names a date: a year, or a month ("nov", "november", "sept").
DATE_WORD = re.compile(r"(19|20)\d\d|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|"
                       r"nov\w*|dec\w*")
DAY_MONTH_YEAR = re.compile(
    r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+" + MONTH_NAME + r",?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE
)
NUMERIC = re.compile(r"\b(?P<day>[0-3]?\d)[/.](?P<month>[01]?\d)[/.](?P<year>(?:19|20)\d\d)\b")
MONTH_YEAR = re.compile(r"\b" + MONTH_NAME + r"\.?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)
# A day and month with no year after it, as a question names a meeting: "on 9 jan", "the 13th March council".
DAY_MONTH = re.compile(r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+" + MONTH_NAME + r"\b(?!\.?,?\s*(?:19|20)?\d\d\b)",
                       re.IGNORECASE)


def _make(year: str, month: int, day: str) -> date | None:
    try:
        return date(int(year), month, int(day))
    except ValueError:
        return None


def find_dates(text: str) -> list[date]:
    """Every full date in the text, in order of appearance."""
    found: list[tuple[int, date]] = []
    for match in DAY_MONTH_YEAR.finditer(text):
        made = _make(match["year"], MONTHS[match["month"].lower()], match["day"])
        if made:
            found.append((match.start(), made))
    for match in NUMERIC.finditer(text):
        made = _make(match["year"], int(match["month"]), match["day"])
        if made:
            found.append((match.start(), made))
    return [d for _, d in sorted(found, key=lambda pair: pair[0])]


def find_days_of_year(text: str) -> list[tuple[int, int]]:
    """Every day and month written with no year ("9 jan", "13th March"), as (month, day), in order."""
    found = []
    for match in DAY_MONTH.finditer(text):
        day, month = int(match["day"]), MONTHS[match["month"].lower()]
        if 1 <= day <= calendar.monthrange(2000, month)[1]:  # (a leap year: 29 February is a day)
            found.append((month, day))
    return found


def first_date(text: str) -> date | None:
    dates = find_dates(text)
    return dates[0] if dates else None


def find_month(text: str) -> tuple[int, int] | None:
    """The first "Nov 2018" / "November 2018" in the text, as (year, month)."""
    match = MONTH_YEAR.search(text)
    if not match:
        return None
    return int(match["year"]), MONTHS[match["month"].lower()]


def date_key(iso: str | None) -> int:
    """An ISO date as YYYYMMDD, the number Chroma's range filters need (0 when unknown)."""
    return int(iso.replace("-", "")) if iso else 0


def month_number(name: str) -> int:
    """"Sept" / "september" / "Sep" → 9."""
    return MONTHS[name.lower()[:3] if name.lower()[:4] != "sept" else "sep"]


def month_key(month: tuple[int, int] | None) -> int:
    """(year, month) as YYYYMM; 0 when unknown."""
    return month[0] * 100 + month[1] if month else 0


def month_label(month: tuple[int, int]) -> str:
    """(2018, 11) → "November 2018"."""
    return f"{calendar.month_name[month[1]]} {month[0]}"


def human_date(iso: str | None) -> str | None:
    """"2018-11-01" → "1 November 2018": the form papers use, so a cited date is in the passage."""
    if not iso:
        return None
    value = date.fromisoformat(iso)
    return f"{value.day} {value:%B %Y}"


def from_key(key: int) -> date | None:
    """YYYYMMDD → a date (None for 0 or a key that is no date)."""
    try:
        return date(key // 10000, key // 100 % 100, key % 100) if key else None
    except ValueError:
        return None
