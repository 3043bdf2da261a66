"""Typeset the seed texts in corpus/source/ as paged PDFs whose pages follow the original packs.

The text extraction behind each seed lost its page breaks; ``paginate`` puts them back.

* Anchors are exact.  An agenda item listed on the front sheet as "(Pages X - Y)" starts page X
  (its heading is found by a fuzzy title match); an entry "Section.....N" of a contents list
  starts page N of its report; a "Page N" footer line ends page N; "This page is intentionally
  left blank" is a page of its own.  Text before printed page 1 (a cover letter) gets pages of
  its own and shifts the PDF page numbers by that many (``Plan.offset``).
* An embedded report's own footers ("Page 2 of 6", "P a g e | 5") are not pack page numbers, but
  each ends a page and two of them fix the number of pages in between; the report's placement
  is chosen among those that fit.
* Between anchors the lines are spread over exactly the pages in between by a small dynamic
  programme: pages balanced in height, preferring the text's own clues for an original page's
  first line (a line starting with a single space, the first text after three or more blank
  lines, the line after a report footer).  A stretch with no anchor at all gets as many pages as
  keep them 35-50 rows high.

``build_pdf`` then sets one A4 page per page text with fpdf2 and DejaVu Sans, taken from an
installed package (located with importlib).  A crowded page gets a smaller font; no text is ever
dropped, and long lines wrap at spaces only, so pdfplumber reads back each page's words in order.

    python -m corpus.build            # rebuild corpus/*.pdf
    python -m corpus.build --check    # exit 1 if a committed PDF differs from a fresh build
    python -m corpus.build --report   # the anchors found in each paper
"""

from __future__ import annotations

import argparse
import bisect
import importlib.util
import itertools
import math
import re
import sys
import tempfile
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache, cached_property
from pathlib import Path

import numpy as np
from fpdf import FPDF

CORPUS_DIR = Path(__file__).resolve().parent
SOURCE_DIR = CORPUS_DIR / "source"
PAPERS_TOML = CORPUS_DIR / "papers.toml"

# Packages known to ship DejaVu Sans, and the font's path inside each.
FONT_CANDIDATES: tuple[tuple[str, str], ...] = (
    ("matplotlib", "mpl-data/fonts/ttf/DejaVuSans.ttf"),
    ("reportlab", "fonts/DejaVuSans.ttf"),
)
FONT_NAME = "DejaVuSans"

# Page geometry, in points (A4).
PAGE_W, PAGE_H = 595.28, 841.89
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 42.0, 42.0, 42.0
TEXT_W = PAGE_W - 2 * MARGIN_X
TEXT_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
BASE_FONT = 10.0
MIN_FONT = 3.5  # its 4.2 pt line pitch stays above pdfplumber's 3 pt line tolerance
LEADING = 1.2  # line pitch / font size
BLANK_ROW = 0.6  # an empty source line takes this fraction of a text row
CAPACITY_ROWS = TEXT_H / (BASE_FONT * LEADING)  # text rows on a page at the base size (~63)
# Pagination works on the text alone: a line's height is estimated from its length.
CHARS_PER_ROW = 92  # DejaVu Sans at 10 pt averages ~5.5 pt a character on the 511 pt measure

# Costs of the page-break programme.
BALANCE_COST = 4.0  # × squared relative deviation from the stretch's mean page height
OVERFLOW_COST = 4.0  # × rows beyond a page's capacity, relative to it
EMPTY_PAGE_COST = 1000.0  # a page without text: only where there are more pages than lines
BLANK_START_COST = 0.3  # a page starts on text; blank lines end the page before
HINT_SINGLE_SPACE = 1.0  # " Text": often an original page's first line (or a stripped bullet)
HINT_AFTER_GAP = 1.5  # the first text after three or more blank lines
HINT_AFTER_REPORT_FOOTER = 1.5  # the text after "... Page 2 of 6"
HINT_PARAGRAPH = 0.15  # the text after one blank line
FREE_MIN_ROWS, FREE_MAX_ROWS = 35.0, 50.0  # page height sought where no anchor fixes the count

# Title matching.
MIN_COVERAGE = 0.6  # weighted share of a title's words a heading must show
WEAK_COVERAGE = 0.8  # below this a match is reported as weak
HEADER_LOOKBACK = 15  # lines from a report's "Subject:" back to its "By:"/"From:"
HEADING_LOOKBACK = 10  # lines above a match searched for capitalised headings on its page
STOPWORDS = frozenset("a an and the of for on in to by at with from is are be its".split())
MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)

PACK_FOOTER = re.compile(r"^\s*Page\s+(\d+)\s*$")
REPORT_PAGE_OF = re.compile(r"^(.*?)Page\s+(\d+)\s+of\s+(\d+)\s*$")
REPORT_PAGE_BAR = re.compile(r"^\s*P\s*a\s*g\s*e\s*\|\s*(\d+)\s*$")
# Lines an extractor puts after a page's footer that still belong to that page: a report's own
# footer, the "Agenda Item 10" stamp, the target of a link on the page.
PAGE_FURNITURE = re.compile(
    r"(Page\s+\d+\s+of\s+\d+\s*$)|(^\s*P\s*a\s*g\s*e\s*\|\s*\d+\s*$)|(^\s*Agenda Item \d+\s*$)"
    r"|(^\s*(mailto:|https?://)\S+\s*$)",
    re.IGNORECASE,
)
LEFT_BLANK = re.compile(r"^\s*This page is intentionally left blank\s*$", re.IGNORECASE)
PAGES_REF = re.compile(r"\(\s*Pages?\s+(\d+)\s*(?:[-–]\s*(\d+)\s*)?\)")
ITEM_NUMBER = re.compile(r"^\s*[A-Z]?\d{1,2}\.?\s+(?=\S)")
CONTENTS_HEADING = re.compile(r"^\s*(table of\s+)?contents\s*$", re.IGNORECASE)
CONTENTS_ENTRY = re.compile(r"^\s*[-•*]?\s*(?P<title>.*?[^\d\s.])\s*\.*\s*(?P<page>\d{1,3})\s*$")
REPORT_HEADER_FIELD = re.compile(r"^\s*(Subject|Title)\b\s*:?", re.IGNORECASE)
REPORT_AUTHOR_FIELD = re.compile(r"^\s*(By|From)\s*:")
DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(MONTHS) + r")\b", re.IGNORECASE)
SINGLE_SPACE = re.compile(r"^ \S")


@dataclass(frozen=True)
class Anchor:
    """A page known to start at a given line."""

    page: int  # PDF page number (printed number + Plan.offset)
    line: int  # index of the page's first line
    source: str  # "item", "contents", "footer" (a "Page N" line) or "report footer"
    label: str  # what fixed it: an item title, a footer's text
    match: int | None = None  # for items and contents entries: the line holding the title
    coverage: float = 1.0  # weighted share of the title's words found there


@dataclass
class Plan:
    """Where every page of one source text starts, and why."""

    lines: list[str]
    starts: list[int]  # index of each PDF page's first line; starts[0] == 0
    anchors: list[Anchor]
    offset: int = 0  # PDF pages before printed page 1 (a cover letter)
    notes: list[str] = field(default_factory=list)  # fallbacks and dropped anchors

    def pages(self) -> list[str]:
        bounds = [*self.starts, len(self.lines)]
        return ["\n".join(self.lines[a:b]) for a, b in itertools.pairwise(bounds)]

    def page_of_line(self, index: int) -> int:
        """The 1-based PDF page holding line ``index``."""
        return bisect.bisect_right(self.starts, index)


@dataclass(frozen=True)
class Listing:
    """An entry of a front sheet or contents list naming the page its content starts on."""

    title: str
    first: int
    last: int | None
    line: int  # where the listing itself is


# ---------------------------------------------------------------- lines and their clues


def _blank(line: str) -> bool:
    return not line.strip()


def _rows(line: str) -> float:
    """Estimated height of a source line, in text rows at the base size."""
    text = _render_text(line)
    if not text.strip():
        return BLANK_ROW
    return float(max(1, math.ceil(len(text) / CHARS_PER_ROW)))


def _next_text_line(lines: Sequence[str], index: int) -> int | None:
    """The first non-blank line at or after ``index``."""
    return next((i for i in range(index, len(lines)) if not _blank(lines[i])), None)


def _after_furniture(lines: Sequence[str], footer: int) -> int | None:
    """The first text line after a footer that is not page furniture of the footer's page."""
    nxt = _next_text_line(lines, footer + 1)
    while nxt is not None and PAGE_FURNITURE.search(lines[nxt]):
        nxt = _next_text_line(lines, nxt + 1)
    return nxt


class _Text:
    """One source text with what pagination needs to know about each line."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.n = len(self.lines)
        self.rows = np.array([_rows(x) for x in self.lines])
        self.has_text = np.array([0 if _blank(x) else 1 for x in self.lines])
        self.text_before = np.concatenate(([0], np.cumsum(self.has_text)))  # text lines before i

    @cached_property
    def hints(self) -> np.ndarray:
        """How much each line looks like the first line of an original page."""
        hints = np.zeros(self.n)
        gap = 0
        for i, line in enumerate(self.lines):
            if _blank(line):
                gap += 1
                continue
            score = HINT_SINGLE_SPACE if SINGLE_SPACE.match(line) else 0.0
            if gap >= 3:
                score = max(score, HINT_AFTER_GAP)
            elif gap:
                score = max(score, HINT_PARAGRAPH)
            hints[i] = max(hints[i], score)
            gap = 0
            if REPORT_PAGE_OF.match(line) or REPORT_PAGE_BAR.match(line):
                nxt = _next_text_line(self.lines, i + 1)
                if nxt is not None:
                    hints[nxt] = max(hints[nxt], HINT_AFTER_REPORT_FOOTER)
        return hints

    @cached_property
    def start_bonus(self) -> np.ndarray:
        """What starting a page at each line is worth to the page-break programme."""
        blank = np.array([BLANK_START_COST if _blank(x) else 0.0 for x in self.lines])
        return self.hints - blank

    @cached_property
    def forced(self) -> frozenset[int]:
        """Starts forced by "left blank" pages: one at the line, one at the text after it."""
        out: set[int] = set()
        for i, line in enumerate(self.lines):
            if LEFT_BLANK.match(line):
                out.add(i)
                nxt = _next_text_line(self.lines, i + 1)
                if nxt is not None:
                    out.add(nxt)
        return frozenset(out)

    def text_lines(self, a: int, b: int) -> int:
        return int(self.text_before[b] - self.text_before[a])


# ---------------------------------------------------------------- listings: front sheet, contents


def _paragraphs(lines: Sequence[str]) -> list[tuple[int, int]]:
    """Runs of non-blank lines as (first, end)."""
    out, start = [], None
    for i, line in enumerate([*lines, ""]):
        if _blank(line):
            if start is not None:
                out.append((start, i))
            start = None
        elif start is None:
            start = i
    return out


def _join(parts: Sequence[str]) -> str:
    """Join wrapped lines; a line ending in a hyphen continues its word ("un-" + "validated")."""
    text = ""
    for part in parts:
        part = part.strip()
        text = text + part if text.endswith("-") else f"{text} {part}".strip()
    return text


def front_sheet_items(lines: Sequence[str]) -> list[Listing]:
    """Items listed with "(Pages X - Y)", possibly wrapped: the first cluster of such listings."""
    found: list[Listing] = []
    for first, end in _paragraphs(lines):
        if found and first - found[-1].line > 60:
            break  # past the front sheet
        block = list(lines[first:end])
        text = _join(block)
        match = PAGES_REF.search(text)
        if not match:
            continue
        # The title: the text before "(Pages", from the last line opening a numbered item.
        head = text[: match.start()]
        for line in reversed(block):
            if ITEM_NUMBER.match(line):
                pos = head.rfind(line.strip()[:20])
                head = head[pos:] if pos >= 0 else head
                break
        title = ITEM_NUMBER.sub("", head).strip()
        last = int(match.group(2)) if match.group(2) else None
        found.append(Listing(title, int(match.group(1)), last, end - 1))
    return found


def contents_entries(lines: Sequence[str]) -> tuple[list[Listing], tuple[int, int] | None]:
    """Entries of a "Contents" list ("Kent Fostering Service.....6") and the list's line span."""
    for i, line in enumerate(lines):
        if not CONTENTS_HEADING.match(line):
            continue
        entries: list[Listing] = []
        j = i + 1
        while j < len(lines):
            if _blank(lines[j]):
                if entries and j + 1 < len(lines) and _blank(lines[j + 1]):
                    break  # two blank lines end the list
                j += 1
                continue
            match = CONTENTS_ENTRY.match(lines[j])
            if not match:
                break
            entries.append(Listing(match["title"].strip(), int(match["page"]), None, j))
            j += 1
        pages = [e.first for e in entries]
        if len(entries) >= 2 and pages == sorted(pages):
            return entries, (i, j)
    return [], None


# ---------------------------------------------------------------- where a titled item starts


@cache
def _tokens(text: str) -> tuple[str, ...]:
    """Words for fuzzy title matching: lower case, no stopwords, "23rd" → "23", crude plural."""
    out = []
    for tok in re.findall(r"[a-z0-9]+", text.lower().replace("&", " and ")):
        tok = re.sub(r"^(\d+)(?:st|nd|rd|th)$", r"\1", tok)
        if tok in STOPWORDS:
            continue
        if len(tok) > 3 and tok.endswith("s") and not tok.endswith("ss"):
            tok = tok[:-1]
        out.append(tok)
    return tuple(out)


def _weight(token: str) -> float:
    """Dates tell one meeting's minutes from another's: numbers and months count double."""
    return 2.0 if token.isdigit() or token in MONTHS else 1.0


def _dates(text: str) -> set[tuple[int, str]]:
    return {(int(d), m.lower()) for d, m in DAY_MONTH.findall(text)}


def _window_tokens(lines: Sequence[str], index: int, limit: int) -> list[str]:
    """Tokens of line ``index`` and the next two text lines, at most ``limit`` of them."""
    toks: list[str] = []
    taken = 0
    for i in range(index, min(len(lines), index + 8)):
        if _blank(lines[i]):
            continue
        toks.extend(_tokens(lines[i]))
        taken += 1
        if taken == 3 or len(toks) >= limit:
            break
    return toks[:limit]


def _heading_like(line: str) -> bool:
    """A short line without lower-case letters ("KENT COUNTY COUNCIL", "**FOSTER", "1")."""
    text = line.strip()
    return bool(text) and not re.search(r"[a-z]", text) and len(text.split()) <= 8 and len(text) <= 60


def _page_top(lines: Sequence[str], match: int, lo: int) -> int:
    """The first line of the page a matched title is on: a report's "By:"/"From:" above its
    "Subject:", then any capitalised headings just above ("KENT COUNTY COUNCIL" over "MINUTES")."""
    top = match
    if REPORT_HEADER_FIELD.match(lines[match]):
        for j in range(match - 1, max(lo, match - HEADER_LOOKBACK) - 1, -1):
            if REPORT_AUTHOR_FIELD.match(lines[j]):
                top = j
                break
    j = top - 1
    while j >= max(lo, top - HEADING_LOOKBACK):
        if _blank(lines[j]):
            j -= 1
        elif _heading_like(lines[j]):
            top = j
            j -= 1
        else:
            break
    return top


def _content_words(line: str) -> tuple[str, ...]:
    """A line's words without a "Subject:" label or item and paragraph numbers."""
    label = REPORT_HEADER_FIELD.match(line)
    return tuple(t for t in _tokens(line[label.end():] if label else line) if not t.isdigit())


def _precision(line: str, wanted: set[str]) -> float:
    words = _content_words(line)
    return sum(t in wanted for t in words) / max(len(words), 1)


def _opens_with(line: str, wanted: set[str]) -> bool:
    words = _content_words(line)
    return bool(words) and words[0] in wanted


@dataclass(frozen=True)
class TitleMatch:
    """Where a title was found."""

    top: int  # the first line of its page
    line: int  # the line holding the title
    coverage: float  # weighted share of the title's words shown
    precision: float  # share of that line's words that are the title's
    heading: bool  # a heading-like line (mostly title, or opening with it) is among the next three
    score: float


def locate_title(
    lines: Sequence[str],
    title: str,
    lo: int,
    *,
    skip: tuple[int, int] | None = None,
    feasible: Callable[[int], bool] | None = None,
) -> TitleMatch | None:
    """The first plausible start, at or after line ``lo``, of the content titled ``title``.

    A candidate line opens a paragraph (or starts with a single space), holds some of the title's
    words and, with the next two lines, at least MIN_COVERAGE of them by weight (numbers and
    months count double); a title naming a date rejects text naming another date.  Its score adds
    a little for a line that is mostly title (a heading rather than a sentence) and for a report's
    "Subject:" field.  The first candidate within 0.05 of the best score wins, so the heading is
    preferred to the minutes' later mention of the same item.  ``feasible`` vets the page top.
    """
    wanted = set(_tokens(title))
    if not wanted:
        return None
    title_weight = sum(_weight(t) for t in wanted)
    title_dates = _dates(title)
    limit = 2 * len(wanted) + 4
    found: list[TitleMatch] = []
    for i in range(lo, len(lines)):
        if _blank(lines[i]) or (skip and skip[0] <= i < skip[1]):
            continue
        own = _tokens(lines[i])
        if not wanted.intersection(own):
            continue
        if i > lo and not _blank(lines[i - 1]) and not SINGLE_SPACE.match(lines[i]):
            continue  # a heading opens a paragraph or a page; this line continues one
        shown = wanted.intersection(_window_tokens(lines, i, limit))
        coverage = sum(_weight(t) for t in shown) / title_weight
        if coverage < MIN_COVERAGE:
            continue
        if title_dates:
            seen = _dates(" ".join(lines[max(lo, i - 1) : i + 4]))
            if seen and not seen & title_dates:
                continue  # the minutes of another meeting
        top = _page_top(lines, i, lo)
        if feasible is not None and not feasible(top):
            continue
        label = REPORT_HEADER_FIELD.match(lines[i])
        precision = _precision(lines[i], wanted)
        heading = any(_precision(lines[j], wanted) >= 0.5 or _opens_with(lines[j], wanted)
                      for j in range(i, min(i + 3, len(lines))))
        score = coverage + 0.2 * precision + (0.25 if label else 0.0)
        found.append(TitleMatch(top, i, coverage, precision, heading, score))
    if not found:
        return None
    best = max(c.score for c in found)
    return next(c for c in found if c.score >= best - 0.05)


# ---------------------------------------------------------------- page breaks between anchors


def _split(doc: _Text, forced: frozenset[int], a: int, b: int, k: int) -> tuple[float, list[int]] | None:
    """The best k page starts for lines [a, b) (the first is a), with their cost; None if none fit.

    Minimises Σ over pages of balance + overflow + empty-page costs − the page-start clue of its
    first line, honouring every forced start: a dynamic programme over (page, end line) whose
    page-cost matrix is shared by all pages.
    """
    n = b - a
    if k <= 0 or k > n:
        return None
    cum = np.concatenate(([0.0], np.cumsum(doc.rows[a:b])))
    text = doc.text_before[a : b + 1] - doc.text_before[a]
    bonus = np.append(doc.start_bonus[a:b], 0.0)
    bonus[0] = 0.0  # the stretch's first page start is given
    mean = max(cum[-1] / k, 1.0)
    longest = min(n, max(80, 4 * n // k + 40))  # lines on one page beyond which no break is sane
    # last_forced[e]: the latest forced start f with 0 < f < e; a page [s, e) may not straddle it.
    last_forced = np.zeros(n + 1, dtype=int)
    latest = 0
    for e in range(1, n + 1):
        last_forced[e] = latest
        if a + e in forced:
            latest = e
    ends = np.arange(n + 1)[:, None]
    starts = ends - np.arange(1, longest + 1)[None, :]  # page [starts[e, d], e), d + 1 lines long
    valid = (starts >= 0) & (starts >= last_forced[ends])
    starts = np.clip(starts, 0, n)
    height = cum[ends] - cum[starts]
    cost = BALANCE_COST * ((height - mean) / mean) ** 2
    cost += OVERFLOW_COST * np.maximum(height - CAPACITY_ROWS, 0.0) / CAPACITY_ROWS
    cost += np.where(text[ends] == text[starts], EMPTY_PAGE_COST, 0.0)
    cost = np.where(valid, cost - bonus[starts], np.inf)
    best = np.full(n + 1, np.inf)
    best[0] = 0.0
    back = np.zeros((k + 1, n + 1), dtype=int)
    every = np.arange(n + 1)
    for j in range(1, k + 1):
        total = best[starts] + cost
        pick = np.argmin(total, axis=1)
        best = total[every, pick]
        back[j] = starts[every, pick]
    if not np.isfinite(best[n]):
        return None
    out, e = [], n
    for j in range(k, 0, -1):
        e = int(back[j, e])
        out.append(a + e)
    return float(best[n]), out[::-1]


def _free_split(doc: _Text, a: int, b: int) -> list[int]:
    """Page starts for a stretch whose page count no anchor gives: the count whose pages come
    closest to FREE_MIN_ROWS..FREE_MAX_ROWS high, traded against how well the breaks fit."""
    total = float(doc.rows[a:b].sum())
    lo = max(1, math.floor(total / (FREE_MAX_ROWS * 1.2)))
    hi = max(lo, math.ceil(total / (FREE_MIN_ROWS * 0.8)))
    best: tuple[float, list[int]] | None = None
    for k in range(lo, hi + 1):
        got = _split(doc, doc.forced, a, b, k) or _split(doc, frozenset(), a, b, k)
        if got is None:
            continue
        mean = total / k
        outside = max(FREE_MIN_ROWS - mean, 0.0, mean - FREE_MAX_ROWS) / FREE_MAX_ROWS
        cost = got[0] + k * BALANCE_COST * outside**2
        if best is None or cost < best[0]:
            best = (cost, got[1])
    return best[1] if best else [a]


@dataclass(frozen=True)
class _ReportFooter:
    line: int
    key: str  # the footer's text without its number: one embedded report
    page: int  # the report's own page number
    total: int | None  # its page count, when the footer says "of N"


def _report_footers(lines: Sequence[str]) -> list[_ReportFooter]:
    out = []
    for i, line in enumerate(lines):
        if m := REPORT_PAGE_OF.match(line):
            key = f"{' '.join(m.group(1).split())} of {m.group(3)}"
            out.append(_ReportFooter(i, key, int(m.group(2)), int(m.group(3))))
        elif m := REPORT_PAGE_BAR.match(line):
            out.append(_ReportFooter(i, "P a g e |", int(m.group(1)), None))
    return out


def _report_options(
    doc: _Text, footers: Sequence[_ReportFooter], a: int, b: int, page: int, last: int, limit: int
) -> list[list[tuple[int, int, str]]]:
    """Every placement of one report's footers on pages page..last: for each, the pages they pin
    as (page, first line, label).  The report must end by ``limit`` when its length is known."""
    numbers = [f.page for f in footers]
    if numbers != sorted(set(numbers)):
        return []  # not one report's running numbers
    total = footers[0].total
    options = []
    for off in range(page - min(numbers), last - max(numbers) + 1):
        if total is not None and off + total > limit:
            continue
        pins = []
        for f in footers:
            nxt = _after_furniture(doc.lines, f.line)
            if nxt is None or nxt >= b:
                continue
            if off + f.page >= last:
                break  # text after the footer, but no page left for it
            pins.append((off + f.page + 1, nxt, f"report footer: {doc.lines[f.line].strip()}"))
        else:
            options.append(pins)
    return options


def _split_stretch(
    doc: _Text, forced: frozenset[int], a: int, b: int, page: int, k: int, limit: int
) -> tuple[list[int], list[Anchor]] | None:
    """Page starts for lines [a, b) on pages page..page+k-1, and the report-footer anchors used.

    Every combination of the placements of the embedded reports' footers in the stretch is tried
    (``limit``: the last page before the next item, where such a report must have ended); the
    cheapest page breaking wins.
    """
    last = page + k - 1
    groups: dict[str, list[_ReportFooter]] = {}
    for footer in _report_footers(doc.lines):
        if a <= footer.line < b:
            groups.setdefault(footer.key, []).append(footer)
    choices: list[list[tuple[int, int, str]]] = [[]]
    for footers in groups.values():
        options = _report_options(doc, footers, a, b, page, last, limit)
        if options:
            choices = [c + o for c in choices for o in options][:400]
    best: tuple[float, list[int], list[Anchor]] | None = None
    for pins in choices:
        cuts = sorted({(page, a), *((p, x) for p, x, _ in pins)})
        if len({x for _, x in cuts}) != len(cuts) or any(
            p2 <= p1 or x2 <= x1 for (p1, x1), (p2, x2) in itertools.pairwise(cuts)
        ):
            continue
        total, starts = 0.0, []
        for (p1, x1), (p2, x2) in itertools.pairwise([*cuts, (last + 1, b)]):
            got = _split(doc, forced, x1, x2, p2 - p1)
            if got is None:
                break
            total += got[0]
            starts.extend(got[1])
        else:
            if best is None or total < best[0] - 1e-9:
                anchors = [Anchor(p, x, "report footer", label) for p, x, label in pins]
                best = (total, starts, anchors)
    return (best[1], best[2]) if best else None


# ---------------------------------------------------------------- the plan


def _front_pages(doc: _Text, end: int) -> int:
    """Pages the text before the first anchored page needs: one per "left blank" chunk at least."""
    cuts = sorted({0, *(f for f in doc.forced if 0 < f < end), end})
    return sum(
        max(1, math.ceil(float(doc.rows[x:y].sum()) / CAPACITY_ROWS))
        for x, y in itertools.pairwise(cuts)
        if y > x
    )


def _locate_listings(doc: _Text, notes: list[str]) -> list[Anchor]:
    """Anchors for the front sheet's items and, inside an item, a contents list's entries; pages
    are printed page numbers here."""
    lines = doc.lines
    items = front_sheet_items(lines)
    entries, span = contents_entries(lines)
    final = max((it.last or it.first for it in items), default=0)

    def feasible(prev_page: int, prev_line: int, page: int, last: int) -> Callable[[int], bool]:
        def check(top: int) -> bool:
            # a text line at least for each page before the match and for each page from it on
            before = doc.text_lines(max(prev_line, 0), top)
            return top > prev_line and before >= page - prev_page and doc.text_lines(top, doc.n) > last - page

        return check

    def place(listing: Listing, page: int, source: str, lo: int, check: Callable[[int], bool],
              skip: tuple[int, int] | None = None) -> Anchor | None:
        found = locate_title(lines, listing.title, lo, skip=skip, feasible=check)
        what = f"{source} {listing.title!r} (printed page {listing.first})"
        if found is None:
            notes.append(f"{what}: no heading found; its pages are balanced instead")
            return None
        if found.coverage < WEAK_COVERAGE:
            notes.append(f"{what}: weak match ({found.coverage:.0%} of the title) at line {found.line + 1}")
        if not found.heading:
            notes.append(f"{what}: no heading of that name; matched running text at line {found.line + 1}")
        return Anchor(page, found.top, source, listing.title, found.line, found.coverage)

    anchors: list[Anchor] = []
    lo, prev_page, prev_line = (items[-1].line + 1 if items else 0), 0, -1
    for item in items:
        anchor = place(item, item.first, "item", lo, feasible(prev_page, prev_line, item.first, final))
        if anchor:
            anchors.append(anchor)
            lo, prev_page, prev_line = anchor.line + 1, anchor.page, anchor.line
    if entries and span:
        # A contents list numbers the pages of the item it sits in.
        host = max((x for x in anchors if x.line <= span[0]), default=None, key=lambda x: x.line)
        base_page, base_line = (host.page, host.line) if host else (1, 0)
        last = max(final, base_page + max(e.first for e in entries) - 1)
        prev_page, prev_line = base_page, base_line
        for entry in entries:
            page = base_page + entry.first - 1
            anchor = place(entry, page, "contents", prev_line + 1,
                           feasible(prev_page, prev_line, page, last), skip=span)
            if anchor:
                anchors.append(anchor)
                prev_page, prev_line = page, anchor.line
    return anchors


def plan(text: str) -> Plan:
    """Decide every page break of one source text (see the module docstring)."""
    return _plan(text)


@cache
def _plan(text: str) -> Plan:
    doc = _Text(text)
    lines, n = doc.lines, doc.n
    notes: list[str] = []

    # 1. Items and contents entries, by title.
    located = _locate_listings(doc, notes)
    items = front_sheet_items(lines)
    last_page = max([it.last or it.first for it in items] + [a.page for a in located] + [0])

    # 2. "Page N" footers: page N+1 starts at the next text line that is not furniture of page N.
    footers = []
    for i, line in enumerate(lines):
        if m := PACK_FOOTER.match(line):
            nxt = _after_furniture(lines, i)
            after = nxt if nxt is not None else n
            footers.append(Anchor(int(m.group(1)) + 1, after, "footer", line.strip(), match=i))
            last_page = max(last_page, int(m.group(1)) + (nxt is not None))

    # 3. A cover letter before printed page 1 gets pages of its own: PDF page = printed + offset.
    offset = 0
    if located:
        first = min(located, key=lambda x: x.page)
        offset = max(0, (_front_pages(doc, first.line) if first.line else 0) - (first.page - 1))
        if offset:
            notes.append(f"{offset} page(s) before printed page 1 (a cover letter): "
                         f"PDF page = printed page + {offset}")

    # 4. The anchors, in PDF pages; an item anchor wins over a footer for the same page, and an
    #    anchor out of step with the one before (fewer lines than pages between) is dropped.
    by_page: dict[int, Anchor] = {1: Anchor(1, 0, "start", "first line")}
    for anchor in located:
        by_page[anchor.page + offset] = Anchor(anchor.page + offset, anchor.line, anchor.source,
                                               anchor.label, anchor.match, anchor.coverage)
    for footer in footers:
        page = footer.page + offset
        if footer.line >= n:
            continue  # the text ends with the footer
        if page in by_page:
            if by_page[page].line <= (footer.match or 0):
                notes.append(f"footer {footer.label!r} at line {footer.match + 1} conflicts with "
                             f"{by_page[page].source} {by_page[page].label!r}: kept the latter")
            continue  # an item starting after the footer: the lines between stay on page N
        by_page[page] = Anchor(page, footer.line, "footer", footer.label, footer.match)
    kept: list[Anchor] = []
    for page in sorted(by_page):
        anchor = by_page[page]
        if kept and anchor.line - kept[-1].line < page - kept[-1].page:  # a line per page at least
            notes.append(f"dropped {anchor.source} anchor {anchor.label!r} for page {page}: out of step")
            continue
        kept.append(anchor)

    # 5. Break every stretch between anchors into its pages.
    total_pages = last_page + offset if last_page else None
    item_pages = [x.page for x in kept if x.source in ("item", "contents")]
    starts: list[int] = []
    derived: list[Anchor] = []
    for anchor, nxt in itertools.zip_longest(kept, kept[1:]):
        a = anchor.line
        b, k = (nxt.line, nxt.page - anchor.page) if nxt else (n, (total_pages or 0) - anchor.page + 1)
        if k <= 0:
            starts.extend(_free_split(doc, a, b))
            continue
        limit = next((p - 1 for p in item_pages if p > anchor.page), total_pages or anchor.page + k - 1)
        split = _split_stretch(doc, doc.forced, a, b, anchor.page, k, limit)
        if split is None:  # "left blank" pages that cannot all fit are let go
            notes.append(f"pages {anchor.page}-{anchor.page + k - 1}: forced breaks ignored")
            split = _split_stretch(doc, frozenset(), a, b, anchor.page, k, limit)
        if split is None:
            raise ValueError(f"cannot fit lines {a + 1}-{b} on pages {anchor.page}-{anchor.page + k - 1}")
        starts.extend(split[0])
        derived.extend(split[1])

    anchors = sorted([x for x in kept if x.page > 1] + derived, key=lambda x: x.page)
    return Plan(lines=lines, starts=starts, anchors=anchors, offset=offset, notes=notes)


def paginate(text: str) -> list[str]:
    """Split one source text into page texts, one per page of the original:
    ``"\\n".join(paginate(text)) == text``."""
    return plan(text).pages()


# ---------------------------------------------------------------- typesetting


def font_path() -> Path:
    """DejaVu Sans inside an installed package (matplotlib ships it), found through importlib."""
    for package, relative in FONT_CANDIDATES:
        spec = importlib.util.find_spec(package)
        for root in (spec.submodule_search_locations or []) if spec else []:
            if (Path(root) / relative).is_file():
                return Path(root) / relative
    raise FileNotFoundError("DejaVuSans.ttf not found in: " + ", ".join(p for p, _ in FONT_CANDIDATES))


def _render_text(line: str) -> str:
    """What is drawn of a source line: tabs become spaces and trailing spaces go (whitespace
    either way, so the words a reader extracts are the source's words)."""
    return line.replace("\t", " ").rstrip()


class _Widths:
    """Advance widths of the font at 1 pt (fpdf2 applies no kerning without text shaping)."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.cache: dict[str, float] = {}

    def __call__(self, text: str, size: float) -> float:
        total = 0.0
        for ch in text:
            if ch not in self.cache:
                self.pdf.set_font_size(1)
                self.cache[ch] = self.pdf.get_string_width(ch)
            total += self.cache[ch]
        return total * size


def _wrap(line: str, width: _Widths, size: float) -> list[str]:
    """The rows of one source line at ``size``, broken at spaces only (never inside a word)."""
    text = _render_text(line)
    if not text.strip():
        return [""]
    rows: list[str] = []
    current = ""
    for part in re.findall(r"\s+|\S+", text):
        if part.isspace():
            current += part
        elif not current.strip():
            # a row's first word: indentation that would push it over the edge is dropped
            current = current + part if width(current + part, size) <= TEXT_W else part
        elif width(current + part, size) <= TEXT_W:
            current += part
        else:
            rows.append(current.rstrip())
            current = part
    rows.append(current.rstrip())
    return rows


def _layout(lines: Sequence[str], width: _Widths) -> tuple[float, list[list[str]]]:
    """The largest font size (≤ BASE_FONT) at which a page's wrapped lines fit, and the rows."""
    widest = max((width(w, 1.0) for x in lines for w in _render_text(x).split()), default=0.0)
    size = BASE_FONT
    if widest * size > TEXT_W:  # a word longer than the measure: shrink rather than split it
        size = math.floor(TEXT_W / widest * 4) / 4
    while True:
        wrapped = [_wrap(x, width, size) for x in lines]
        height = sum(BLANK_ROW if r == [""] else len(r) for r in wrapped) * size * LEADING
        if height <= TEXT_H or size <= MIN_FONT:
            return size, wrapped
        size = max(MIN_FONT, size - 0.25)


def build_pdf(
    pages: Sequence[str],
    out_path: Path | str,
    title: str,
    *,
    subject: str = "",
    author: str = "Kent County Council",
    creation_date: date | None = None,
    page_offset: int = 0,
) -> Path:
    """Typeset ``pages``, one A4 page each, into ``out_path``.  The bytes depend on the arguments
    only (the creation date is fixed).  The ``page_offset`` pages before printed page 1 get the
    page labels i, ii, ...; the others 1, 2, ..."""
    out_path = Path(out_path)
    pdf = FPDF(orientation="portrait", unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN_X, MARGIN_TOP, MARGIN_X)
    pdf.add_font(FONT_NAME, "", str(font_path()))
    pdf.set_font(FONT_NAME, size=BASE_FONT)
    pdf.set_title(title)
    pdf.set_author(author)
    if subject:
        pdf.set_subject(subject)
    pdf.set_creator("corpus/build.py")
    pdf.set_lang("en-GB")
    when = creation_date or date(2000, 1, 1)
    pdf.set_creation_date(datetime(when.year, when.month, when.day, tzinfo=UTC))
    width = _Widths(pdf)
    for number, page_text in enumerate(pages, 1):
        pdf.add_page()
        if number == 1 and page_offset:
            pdf.set_page_label(label_style="r", label_start=1)
        elif number == page_offset + 1:
            pdf.set_page_label(label_style="D", label_start=1)
        size, wrapped = _layout(page_text.split("\n"), width)
        pdf.set_font(FONT_NAME, size=size)
        pitch = size * LEADING
        y = MARGIN_TOP
        for rows in wrapped:
            if rows == [""]:
                y += pitch * BLANK_ROW  # an empty line: space, never a character
                continue
            for row in rows:
                if row.strip():
                    pdf.text(MARGIN_X, y + size * 0.8, row)
                y += pitch
    out_path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out_path))
    return out_path


# ---------------------------------------------------------------- the corpus


def load_papers(path: Path | str = PAPERS_TOML) -> list[dict]:
    """The [[paper]] tables of corpus/papers.toml."""
    with Path(path).open("rb") as fh:
        return list(tomllib.load(fh)["paper"])


def source_text(paper: dict) -> str:
    """The seed text a paper is built from."""
    return (SOURCE_DIR / paper["source"]).read_text(encoding="utf-8")


def build_paper(paper: dict, out_dir: Path | str) -> Path:
    layout = plan(source_text(paper))
    expected = int(paper.get("page_offset", 0))
    if layout.offset != expected:
        raise ValueError(f"{paper['file']}: pagination puts {layout.offset} page(s) before printed "
                         f"page 1, papers.toml says page_offset = {expected}")
    return build_pdf(
        layout.pages(),
        Path(out_dir) / paper["file"],
        paper["title"],
        subject=f"{paper['committee']}, {paper['meeting_date']}: {paper['kind']}",
        creation_date=date.fromisoformat(paper["meeting_date"]),
        page_offset=layout.offset,
    )


def build_all(out_dir: Path | str = CORPUS_DIR) -> list[Path]:
    """Build every paper of papers.toml into ``out_dir``; the paths written."""
    return [build_paper(paper, out_dir) for paper in load_papers()]


def stale_pdfs(out_dir: Path | str = CORPUS_DIR) -> list[str]:
    """Names of the PDFs in ``out_dir`` that are missing or differ from a fresh build."""
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        for built in build_all(tmp):
            committed = Path(out_dir) / built.name
            if not committed.is_file() or committed.read_bytes() != built.read_bytes():
                stale.append(built.name)
    return stale


def report() -> str:
    """Per paper: its pages, the anchors found and any fallback."""
    out = []
    for paper in load_papers():
        layout = plan(source_text(paper))
        counts: dict[str, int] = {}
        for anchor in layout.anchors:
            counts[anchor.source] = counts.get(anchor.source, 0) + 1
        summary = ", ".join(f"{v} {k}" for k, v in sorted(counts.items())) or "none"
        out.append(f"{paper['file']}: {len(layout.starts)} pages; anchors: {summary}")
        for a in layout.anchors:
            out.append(f"  page {a.page:>3} starts at line {a.line + 1:>5}  [{a.source}] {a.label[:64]}")
        out.extend(f"  note: {note}" for note in layout.notes)
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus.build",
                                     description="Build the corpus PDFs from corpus/source/*.txt.")
    parser.add_argument("--out", default=str(CORPUS_DIR), help="output directory (default: corpus/)")
    parser.add_argument("--check", action="store_true",
                        help="only verify that the PDFs in --out match a fresh build")
    parser.add_argument("--report", action="store_true", help="print the anchors found per paper")
    args = parser.parse_args(argv)
    if args.report:
        print(report())
        return 0
    if args.check:
        stale = stale_pdfs(args.out)
        for name in stale:
            print(f"out of date: {name} (run python -m corpus.build)", file=sys.stderr)
        if not stale:
            print("corpus PDFs are up to date")
        return 1 if stale else 0
    for path in build_all(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
