"""Reporting periods as scorecards name them, placed on the calendar.

A scorecard names its period as a month ("Nov 2018"), a quarter of a financial year ("2015-16 Q2") or a
financial year ("2017/18"). English councils' financial years run April to March, so Q1 is April-June and
"2017/18" ends on 31 March 2018. A period is placed at its last day: a figure is reported as at the end of
its period, and months, quarters and years then sit on one time axis by the time between them.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from core.dates import MONTH_NAME, month_number

# "Nov 2018", "November 2018", "Sept. 2018"
MONTH_PERIOD = re.compile(r"^\s*" + MONTH_NAME + r"\.?\s+(?P<year>(?:19|20)\d\d)\s*$", re.IGNORECASE)
# "2015-16 Q2", "2015/16 Q2", "Q2 2015-16", "Q2 2015/2016"
QUARTER_PERIOD = re.compile(
    r"^\s*(?:(?P<start>(?:19|20)\d\d)\s*(?P<sep>[-/])\s*(?P<end>\d{2}|\d{4})\s+Q(?P<q>[1-4])"
    r"|Q(?P<q2>[1-4])\s+(?P<start2>(?:19|20)\d\d)\s*(?P<sep2>[-/])\s*(?P<end2>\d{2}|\d{4}))\s*$",
    re.IGNORECASE,
)
# "2017/18", "2017-18", "2017/2018"
YEAR_PERIOD = re.compile(r"^\s*(?P<start>(?:19|20)\d\d)\s*(?P<sep>[-/])\s*(?P<end>\d{2}|\d{4})\s*$")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _financial_year(start: str, end: str) -> int | None:
    """The year a financial year starts in, when its two halves follow one another ("2015", "16")."""
    first = int(start)
    second = int(end) if len(end) == 4 else first // 100 * 100 + int(end)
    return first if second == first + 1 else None


def _quarter(match: re.Match) -> tuple[int, int, str, int] | None:
    """(start year, quarter, separator, width of the end year) of a quarter label."""
    start, sep, end = (match["start"], match["sep"], match["end"]) if match["start"] else \
        (match["start2"], match["sep2"], match["end2"])
    year = _financial_year(start, end)
    return None if year is None else (year, int(match["q"] or match["q2"]), sep, len(end))


def period_end(label: str | None) -> date | None:
    """The last day of a reporting period: "Nov 2018" → 2018-11-30, "2015-16 Q2" → 2015-09-30 (Q1 is
    April-June), "2017/18" → 2018-03-31. None for a label that names no period."""
    if not label:
        return None
    if match := MONTH_PERIOD.match(label):
        return _month_end(int(match["year"]), month_number(match["month"]))
    if match := QUARTER_PERIOD.match(label):
        quarter = _quarter(match)
        if quarter is None:
            return None
        year, number, _, _ = quarter
        month = 3 + 3 * number  # Q1 ends in June, Q4 in the March after
        return _month_end(year + (month - 1) // 12, (month - 1) % 12 + 1)
    if match := YEAR_PERIOD.match(label):
        year = _financial_year(match["start"], match["end"])
        return None if year is None else date(year + 1, 3, 31)
    return None


def _year_text(year: int, width: int) -> str:
    return str(year) if width == 4 else f"{year % 100:02d}"


def previous_period(label: str | None) -> str | None:
    """The period before, named as the label names its own: "Nov 2018" → "Oct 2018", "2015-16 Q1" →
    "2014-15 Q4", "2017/18" → "2016/17". None when the label names no period."""
    if not label:
        return None
    if match := MONTH_PERIOD.match(label):
        year, month = int(match["year"]), month_number(match["month"])
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        name = calendar.month_name[month] if len(match["month"]) > 4 else calendar.month_abbr[month]
        return f"{name} {year}"
    if match := QUARTER_PERIOD.match(label):
        quarter = _quarter(match)
        if quarter is None:
            return None
        year, number, sep, width = quarter
        year, number = (year - 1, 4) if number == 1 else (year, number - 1)
        years = f"{year}{sep}{_year_text(year + 1, width)}"
        return f"{years} Q{number}" if match["start"] else f"Q{number} {years}"
    if match := YEAR_PERIOD.match(label):
        year = _financial_year(match["start"], match["end"])
        if year is None:
            return None
        return f"{year - 1}{match['sep']}{_year_text(year, len(match['end']))}"
    return None


# How a table's column or a question names a period, with the forms tables print: "Dec-24", "Dec -24",
# "Mar- 25", "December 2024", "Oct 14"; "Q3 2024/25", "Q3 24/25", "2024-25 Q3"; "2023/24", "2023-2024", "20-21".
_YY = r"(?:19|20)?\d\d"
_FY = rf"(?P<a>{_YY})\s*[-/–]\s*(?P<b>{_YY})"
_FY2 = rf"(?P<a2>{_YY})\s*[-/–]\s*(?P<b2>{_YY})"
NAMED_QUARTER = re.compile(rf"\bQ(?P<q>[1-4])\s*{_FY}(?![\d/-])|(?<![\d/-]){_FY2}\s*Q(?P<q2>[1-4])\b", re.IGNORECASE)
NAMED_MONTH = re.compile(r"\b" + MONTH_NAME + rf"\.?\s*[-'’/]?\s*(?P<year>{_YY})(?![\d/-]?\d)", re.IGNORECASE)
NAMED_YEAR = re.compile(rf"(?<![\d/.-]){_FY}(?![\d/.-]?\d)")
# A year of reporting named by its months ("September 2018 – September 2019", "Sept 2018 to Aug 2019"): the year
# people call 2018-19 (not a financial year, which runs April to March and is named as one)
_SPAN_MONTH = MONTH_NAME.replace("(?P<month>", "(?:")
MONTH_SPAN = re.compile(rf"\b{_SPAN_MONTH}\w*\.?\s+((?:19|20)\d\d)\s*(?:[-–—]|to)\s*{_SPAN_MONTH}\w*\.?\s+"
                        r"((?:19|20)\d\d)\b", re.IGNORECASE)


def _full_year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)


def financial_year_start(start: str, end: str) -> int | None:
    """The first year of a financial year written "2023/24", "2023-2024" or "23-24" (its halves consecutive)."""
    first = _full_year(start)
    second = _full_year(end) if len(end) == 4 or len(start) == 2 else first // 100 * 100 + int(end)
    return first if second == first + 1 else None


def canonical_period(text: str | None) -> str | None:
    """A period as the scorecards' own labels write it, whatever form a table or a question uses: a month
    "Dec 2024", a quarter "2024-25 Q3", a financial year "2023-24". None when the text names none."""
    if not text:
        return None
    if match := NAMED_QUARTER.search(text):
        start, end = (match["a"], match["b"]) if match["q"] else (match["a2"], match["b2"])
        year = financial_year_start(start, end)
        if year is not None:
            return f"{year}-{(year + 1) % 100:02d} Q{match['q'] or match['q2']}"
    if match := NAMED_MONTH.search(text):
        return f"{calendar.month_abbr[month_number(match['month'])]} {_full_year(match['year'])}"
    if (match := NAMED_YEAR.search(text)) and (year := financial_year_start(match["a"], match["b"])) is not None:
        return f"{year}-{(year + 1) % 100:02d}"
    return None


# A quarter in words ("Quarter 3", "the third quarter"), and any quarter a text names ("Q3" too).
SPELT_QUARTER = r"Quarter\s+(?P<n>[1-4])|(?P<w>first|second|third|fourth)\s+quarter"
QUARTER_WORDS = re.compile(rf"\b(?:Q\s*(?P<q>[1-4])|{SPELT_QUARTER})\b", re.IGNORECASE)
ORDINALS = {"first": "1", "second": "2", "third": "3", "fourth": "4"}


def quarter_number(match: re.Match[str]) -> str:
    """The quarter ("1".."4") a match of ``SPELT_QUARTER`` or ``QUARTER_WORDS`` names."""
    found = match.groupdict()
    return found.get("q") or found.get("n") or ORDINALS[(found.get("w") or "").lower()]


# "the start of academic year 2025-26", "the 2025/26 academic year": a school year, not a financial year
ACADEMIC_BEFORE = re.compile(r"\bacademic\s+years?\s*(?:of\s+)?$", re.I)
ACADEMIC_AFTER = re.compile(r"^\s*academic\b", re.I)


FINANCIAL_YEAR_NAMED = re.compile(r"\b((?:19|20)\d\d)[-/]((?:19|20)?\d\d)\s+financial\s+year\b|"
                                  r"\bfinancial\s+year\s+(?:of\s+)?((?:19|20)\d\d)[-/]((?:19|20)?\d\d)\b", re.I)


def financial_years_named(text: str) -> set[str]:
    """The financial years a text names as such ("the 2024-25 financial year", "financial year 2024/25"), as
    "2024-25"."""
    found = set()
    for match in FINANCIAL_YEAR_NAMED.finditer(text):
        start, end = (match[1], match[2]) if match[1] else (match[3], match[4])
        if (year := financial_year_start(start, end)) is not None:
            found.add(f"{year}-{(year + 1) % 100:02d}")
    return found


def names_period(text: str, asked: str, financial: bool = False) -> bool:
    """The text speaks of the asked financial year ("2023-24") or quarter ("2024-25 Q3"), in any form papers
    write them ("2023/24", "2023-2024"; "Q3 2024/25", "Quarter 3 of 2024-25", "the third quarter ... 2024-25":
    a quarter and its year named anywhere in the text). With ``financial`` (the question says "financial year"),
    a school year named so is not it."""
    year = asked.split()[0]
    years = {f"{y}-{(y + 1) % 100:02d}" for m in NAMED_YEAR.finditer(text)
             if (y := financial_year_start(m["a"], m["b"])) is not None
             and not (financial and (ACADEMIC_BEFORE.search(text[max(0, m.start() - 30):m.start()])
                                     or ACADEMIC_AFTER.match(text[m.end():m.end() + 12])))}
    years |= {q.split()[0] for m in NAMED_QUARTER.finditer(text) if (q := canonical_period(m.group()))}
    if not financial and " Q" not in asked:
        years |= {f"{start}-{(int(start) + 1) % 100:02d}" for start, end in MONTH_SPAN.findall(text)
                  if int(end) == int(start) + 1}
    if year not in years:
        return False
    if " Q" not in asked:
        return True
    quarter = asked.rsplit("Q", 1)[1]
    return any(quarter_number(m) == quarter for m in QUARTER_WORDS.finditer(text))


def within_period(label: str | None, asked: str) -> bool:
    """A passage's period (a month, a quarter, a year: "Nov 2024") is, or falls within, the asked quarter or
    financial year: a monitoring report as at November 2024 reports Q3 2024-25."""
    if not label:
        return False
    if canonical_period(label) == asked:
        return True
    own, end = period_end(label), period_end(asked)
    if own is None or end is None or not MONTH_PERIOD.match(label):
        return False
    months_before = (end.year * 12 + end.month) - (own.year * 12 + own.month)
    return 0 <= months_before < (3 if " Q" in asked else 12)


def month_within(label: str | None, year: int, month: int) -> bool:
    """A quarter or financial year (a scorecard's "2015-16 Q2") holds the month: Q2 2015-16 runs July to
    September 2015."""
    canon = canonical_period(label) if label else None
    if canon is None or MONTH_PERIOD.match(canon):
        return False  # a month is no span
    return within_period(f"{calendar.month_abbr[month]} {year}", canon)


def names_month(text: str, year: int, month: int, as_date: bool = False) -> bool:
    """The text names the month and year ("June 2018", "Jun. 2018"), or with ``as_date`` a day of it ("as at
    17/06/18"): a figure's own sentence dates it so, where a passing date elsewhere ("31/03/2025" in a treasury
    table) says nothing of what a passage is about."""
    day = rf"|\b\d{{1,2}}([/.])0?{month}\1(?:{year}|{str(year)[2:]})\b" if as_date else ""
    return bool(re.search(rf"\b{calendar.month_name[month][:3]}\w*\.?,?\s+{year}\b{day}", text, re.I))


def without_period(text: str) -> str:
    """A column heading's words besides the period it names ("2024-25 forecast" → "forecast")."""
    for pattern in (NAMED_QUARTER, NAMED_MONTH, NAMED_YEAR):
        if pattern.search(text):
            return " ".join(pattern.sub(" ", text, count=1).split())
    return text
