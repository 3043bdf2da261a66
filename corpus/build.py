"""Typeset the seed texts in corpus/source/ as paged PDFs whose pages follow the original packs.

The extraction behind each seed text lost its page breaks.  ``paginate`` puts them back:

* anchors are exact: an agenda item listed as "(Pages X - Y)" on the front sheet starts page X,
  a contents entry "Section.....N" starts page N, a "Page N" footer line ends page N, and
  "This page is intentionally left blank" is a page of its own;
* between two anchors the lines are spread over exactly the pages in between, preferring the
  text's own clues for a new page (a line that starts with a single space, the first line after
  three or more blank lines, the line after a report's own "Page 2 of 6" footer) and otherwise
  keeping pages balanced (a small dynamic programme per stretch).

``build_pdf`` then sets one PDF page per page text with fpdf2 and DejaVu Sans (found inside an
installed package, never by an absolute path); crowded pages get a smaller font, never lose text.
Run ``python -m corpus.build`` to rebuild, ``--check`` to verify the committed PDFs.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import re
import sys
import tempfile
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import numpy as np
from fpdf import FPDF

CORPUS_DIR = Path(__file__).resolve().parent
SOURCE_DIR = CORPUS_DIR / "source"
PAPERS_TOML = CORPUS_DIR / "papers.toml"

# Packages known to ship DejaVu Sans, with the font's path inside the package.
FONT_CANDIDATES: tuple[tuple[str, str], ...] = (
    ("matplotlib", "mpl-data/fonts/ttf/DejaVuSans.ttf"),
    ("reportlab", "fonts/DejaVuSans.ttf"),
    ("fpdf", "font/DejaVuSans.ttf"),
)
FONT_NAME = "DejaVuSans"

# Page geometry, in points (A4).
PAGE_W, PAGE_H = 595.28, 841.89
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 42.0, 42.0, 42.0
TEXT_W = PAGE_W - 2 * MARGIN_X
TEXT_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
BASE_FONT = 10.0
MIN_FONT = 3.5  # leading 4.2 pt stays above pdfplumber's 3 pt line tolerance
LEADING = 1.2  # line pitch / font size
BLANK_ROW = 0.6  # an empty source line takes this fraction of a text row
CAPACITY_ROWS = TEXT_H / (BASE_FONT * LEADING)  # text rows a page holds at the base size

# Pagination works on text alone: a line's height is estimated from its length.
CHARS_PER_ROW = 92  # DejaVu Sans at 10 pt averages ~5.5 pt a character on a 511 pt measure

# Costs of the page-break programme.
BALANCE_COST = 8.0  # × squared relative deviation from the stretch's mean page height
OVERFLOW_COST = 4.0  # × rows beyond a page's capacity, relative to it
EMPTY_PAGE_COST = 1000.0  # a page with no text, only taken when forced
BLANK_START_COST = 0.3  # a page should start on text; blank lines end the previous page
HINT_SINGLE_SPACE = 1.0  # " Text": often the first line of an original page (or a stripped bullet)
HINT_AFTER_GAP = 1.5  # first text after >= 3 blank lines
HINT_AFTER_REPORT_FOOTER = 1.5  # after "Page 2 of 6", "P a g e | 5", ...
HINT_PARAGRAPH = 0.15  # after one blank line
# Pages of a stretch without anchors: as many as keep the mean within these rows.
FREE_MIN_ROWS, FREE_MAX_ROWS = 35.0, 50.0

PACK_FOOTER = re.compile(r"^\s*Page\s+(\d+)\s*$")
REPORT_FOOTER = re.compile(r"(Page\s+\d+\s+of\s+\d+\s*$)|(^\s*P\s*a\s*g\s*e\s*\|\s*\d+\s*$)")
# Lines an extractor emits after a page's footer that still belong to that page: a report's own
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
HEADER_LOOKBACK = 15  # lines from a "Subject:" back to its "By:"/"From:"
HEADING_LOOKBACK = 10  # lines of capitalised headings above a match that share its page

STOPWORDS = frozenset("a an and the of for on in to by at with from is are be its".split())
MIN_COVERAGE = 0.6  # share of a title's words a heading must show to be a match


@dataclass(frozen=True)
class Anchor:
    """A page of the original that is known to start at a given line."""

    page: int  # PDF page number (printed number + offset)
    line: int  # index of the page's first line
    source: str  # "item", "contents", "footer", "left blank"
    label: str  # what fixed it (an item title, a footer text)
    score: float = 1.0  # match quality for items and contents entries; 1.0 for footers


@dataclass
class Plan:
    """Where every page starts, and how that was decided."""

    lines: list[str]
    starts: list[int]  # first line index of each PDF page
    anchors: list[Anchor]
    offset: int = 0  # PDF pages before the printed page 1 (a cover letter)
    notes: list[str] = field(default_factory=list)  # fallbacks and dropped anchors

    def pages(self) -> list[str]:
        bounds = [*self.starts, len(self.lines)]
        return ["\n".join(self.lines[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]

    def page_of_line(self, index: int) -> int:
        """1-based PDF page holding line ``index``."""
        page = 0
        for number, start in enumerate(self.starts, 1):
            if start <= index:
                page = number
        return page


@dataclass(frozen=True)
class Listing:
    """An entry of a front sheet or contents list that names the page it starts on."""

    title: str
    first: int
    last: int | None
    line: int  # where the listing itself is


# ---------------------------------------------------------------- text measures and clues


def _blank(line: str) -> bool:
    return not line.strip()


def _rows(line: str) -> float:
    """Estimated height of a source line, in text rows at the base size."""
    text = line.replace("\t", " ").rstrip()
    if not text.strip():
        return BLANK_ROW
    return float(max(1, math.ceil(len(text) / CHARS_PER_ROW)))


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


MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)


def _weight(token: str) -> float:
    """Dates tell one meeting's minutes from another's: numbers and months count double."""
    return 2.0 if token.isdigit() or token in MONTHS else 1.0


DAY_MONTH = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(january|february|march|april|may|june|july|august|september|"
    r"october|november|december)\b",
    re.IGNORECASE,
)


def _dates(text: str) -> set[tuple[int, str]]:
    return {(int(d), m.lower()) for d, m in DAY_MONTH.findall(text)}


def _next_text_line(lines: Sequence[str], index: int) -> int | None:
    """First non-blank line at or after ``index``."""
    for i in range(index, len(lines)):
        if not _blank(lines[i]):
            return i
    return None


def _hints(lines: Sequence[str]) -> list[float]:
    """How strongly each line looks like the first line of an original page."""
    hints = [0.0] * len(lines)
    gap = 0
    for i, line in enumerate(lines):
        if _blank(line):
            gap += 1
            continue
        score = 0.0
        if re.match(r"^ \S", line):
            score = HINT_SINGLE_SPACE
        if gap >= 3:
            score = max(score, HINT_AFTER_GAP)
        elif gap >= 1:
            score = max(score, HINT_PARAGRAPH)
        hints[i] = max(hints[i], score)
        gap = 0
        if REPORT_FOOTER.search(line):
            nxt = _next_text_line(lines, i + 1)
            if nxt is not None:
                hints[nxt] = max(hints[nxt], HINT_AFTER_REPORT_FOOTER)
    return hints


# ---------------------------------------------------------------- listings: front sheet, contents


def _paragraphs(lines: Sequence[str], lo: int, hi: int) -> list[tuple[int, int]]:
    """Runs of non-blank lines in [lo, hi) as (first, end)."""
    out, start = [], None
    for i in range(lo, hi):
        if _blank(lines[i]):
            if start is not None:
                out.append((start, i))
                start = None
        elif start is None:
            start = i
    if start is not None:
        out.append((start, hi))
    return out


def _join(parts: Sequence[str]) -> str:
    """Join wrapped lines; a line ending in a hyphen continues the word ("un-" + "validated")."""
    text = ""
    for part in parts:
        part = part.strip()
        text = text + part if text.endswith("-") else f"{text} {part}".strip()
    return text


def front_sheet_items(lines: Sequence[str]) -> list[Listing]:
    """Items listed with "(Pages X - Y)": the first cluster of such listings in the text."""
    found: list[Listing] = []
    for first, end in _paragraphs(lines, 0, len(lines)):
        if found and first - found[-1].line > 60:
            break  # past the front sheet
        block = list(lines[first:end])
        text = _join(block)
        match = PAGES_REF.search(text)
        if not match:
            continue
        # The title is the text before "(Pages", from the last line that opens a numbered item.
        head = text[: match.start()]
        for k in range(len(block) - 1, -1, -1):
            if ITEM_NUMBER.match(block[k]):
                opening = block[k].strip()
                pos = head.rfind(opening[: min(len(opening), 20)])
                if pos >= 0:
                    head = head[pos:]
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
                    break
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


# ---------------------------------------------------------------- finding where an item starts


def _window_tokens(lines: Sequence[str], index: int, limit: int) -> list[str]:
    """Tokens of line ``index`` and up to two following text lines, at most ``limit`` of them."""
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
    """The first line of the page a matched heading is on: a report's "By:"/"From:" block above
    its "Subject:", and capitalised headings just above ("KENT COUNTY COUNCIL" over "MINUTES")."""
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


@dataclass(frozen=True)
class _Candidate:
    line: int  # first line of the page
    match: int  # line where the title was found
    coverage: float
    score: float


def locate_title(
    lines: Sequence[str],
    title: str,
    lo: int,
    hints: Sequence[float],
    *,
    skip: tuple[int, int] | None = None,
    feasible: callable | None = None,
) -> _Candidate | None:
    """First plausible start of the content titled ``title`` at or after line ``lo``.

    A candidate line holds some of the title's words and, with the next lines, at least
    MIN_COVERAGE of them (by weight: numbers and months count double), compactly.  Its score adds
    a little for being mostly title (a heading, not a sentence) and for a report's "Subject:"
    field.  The first candidate scoring within 0.05 of the best wins: the heading, not a later
    mention of the same words.
    """
    wanted = set(_tokens(title))
    if not wanted:
        return None
    limit = 2 * len(wanted) + 4
    found: list[_Candidate] = []
    for i in range(lo, len(lines)):
        if _blank(lines[i]) or (skip and skip[0] <= i < skip[1]):
            continue
        own_tokens = _tokens(lines[i])
        if not set(own_tokens) & wanted:
            continue
        if i > lo and not _blank(lines[i - 1]) and not re.match(r"^ \S", lines[i]):
            continue  # a heading opens a paragraph (or an original page); this line continues one
        shown = wanted & set(_window_tokens(lines, i, limit))
        coverage = sum(_weight(t) for t in shown) / sum(_weight(t) for t in wanted)
        if coverage < MIN_COVERAGE:
            continue
        title_dates = _dates(title)
        if title_dates:
            seen = _dates(" ".join(lines[max(lo, i - 1) : i + 4]))
            if seen and not seen & title_dates:
                continue  # the minutes of another meeting
        top = _page_top(lines, i, lo)
        if feasible is not None and not feasible(top):
            continue
        # A heading is mostly the title ("Subject:" and item numbers aside); a mention is not.
        label = REPORT_HEADER_FIELD.match(lines[i])
        heading = [t for t in own_tokens if not t.isdigit()] if label is None else \
            [t for t in _tokens(lines[i][label.end():]) if not t.isdigit()]
        precision = len([t for t in heading if t in wanted]) / max(len(heading), 1)
        score = coverage + 0.2 * precision + (0.25 if label else 0.0)
        found.append(_Candidate(top, i, coverage, score))
    if not found:
        return None
    best = max(c.score for c in found)
    return next(c for c in found if c.score >= best - 0.05)


# ---------------------------------------------------------------- page breaks between anchors


def _split(
    rows: np.ndarray,
    has_text: np.ndarray,
    start_bonus: np.ndarray,
    forced: set[int],
    a: int,
    b: int,
    k: int,
) -> tuple[float, list[int]] | None:
    """Best k page starts for lines [a, b) (the first is a); None when infeasible.

    Minimises Σ (balance + overflow + empty-page costs − page-start clues) with every forced
    start honoured: a dynamic programme over (page, end line), vectorised with numpy.
    """
    n = b - a
    if k <= 0 or k > n:
        return None
    cum = np.concatenate(([0.0], np.cumsum(rows[a:b])))
    text = np.concatenate(([0], np.cumsum(has_text[a:b])))
    bonus = np.append(start_bonus[a:b], 0.0)
    bonus[0] = 0.0  # the stretch's first page start is fixed
    mean = max(cum[-1] / k, 1.0)
    longest = min(n, max(80, 4 * n // k + 40))  # lines on one page beyond which no break is sensible
    # last_forced[e]: the latest forced start f with 0 < f < e; a page [s, e) may not straddle it.
    last_forced = np.zeros(n + 1, dtype=int)
    latest = 0
    for e in range(1, n + 1):
        last_forced[e] = latest
        if (a + e) in forced:
            latest = e
    # cost[e, d]: the page [e - d - 1, e), for every end e and length d + 1 (same for every page).
    ends = np.arange(n + 1)[:, None]
    s = ends - np.arange(1, longest + 1)[None, :]
    valid = (s >= 0) & (s >= last_forced[ends])
    s = np.clip(s, 0, n)
    height = cum[ends] - cum[s]
    cost = BALANCE_COST * ((height - mean) / mean) ** 2
    cost += OVERFLOW_COST * np.maximum(height - CAPACITY_ROWS, 0.0) / CAPACITY_ROWS
    cost += np.where(text[ends] - text[s] == 0, EMPTY_PAGE_COST, 0.0)
    cost -= bonus[s]
    cost = np.where(valid, cost, np.inf)
    best = np.full(n + 1, np.inf)
    best[0] = 0.0
    back = np.zeros((k + 1, n + 1), dtype=int)
    rows_idx = np.arange(n + 1)
    for j in range(1, k + 1):
        total = best[s] + cost
        pick = np.argmin(total, axis=1)
        best = total[rows_idx, pick]
        back[j] = s[rows_idx, pick]
    if not np.isfinite(best[n]):
        return None
    starts, e = [], n
    for j in range(k, 0, -1):
        e = int(back[j, e])
        starts.append(a + e)
    return float(best[n]), starts[::-1]


def _free_split(
    rows: np.ndarray, has_text: np.ndarray, bonus: np.ndarray, forced: set[int], a: int, b: int
) -> list[int]:
    """Page starts for a stretch whose page count is unknown: the count whose mean page height is
    closest to FREE_MIN_ROWS..FREE_MAX_ROWS, trading against the fit of the breaks."""
    total = float(rows[a:b].sum())
    lo = max(1, math.floor(total / (FREE_MAX_ROWS * 1.2)))
    hi = max(lo, math.ceil(total / (FREE_MIN_ROWS * 0.8)))
    best: tuple[float, list[int]] | None = None
    for k in range(lo, hi + 1):
        got = _split(rows, has_text, bonus, forced, a, b, k)
        if got is None:
            continue
        mean = total / k
        outside = max(FREE_MIN_ROWS - mean, 0.0, mean - FREE_MAX_ROWS) / FREE_MAX_ROWS
        cost = got[0] + k * BALANCE_COST * outside**2
        if best is None or cost < best[0]:
            best = (cost, got[1])
    return best[1] if best else [a]


# ---------------------------------------------------------------- the plan


def _forced_starts(lines: Sequence[str]) -> list[int]:
    """A "left blank" page is a page of its own: a start at it and at the text after it."""
    out: list[int] = []
    for i, line in enumerate(lines):
        if LEFT_BLANK.match(line):
            out.append(i)
            nxt = _next_text_line(lines, i + 1)
            if nxt is not None:
                out.append(nxt)
    return out


def _front_pages(rows: np.ndarray, forced: Sequence[int], end: int) -> int:
    """Pages the text before the first anchored page needs: one per forced chunk, more if long."""
    cuts = [0, *[f for f in forced if 0 < f < end], end]
    pages = 0
    for a, b in zip(cuts, cuts[1:], strict=False):
        if b > a:
            pages += max(1, math.ceil(float(rows[a:b].sum()) / CAPACITY_ROWS))
    return pages


def plan(text: str) -> Plan:
    """Decide every page break of one source text (see the module docstring)."""
    return _plan_cached(text)


@cache
def _plan_cached(text: str) -> Plan:
    lines = text.split("\n")
    n = len(lines)
    rows = np.array([_rows(x) for x in lines])
    has_text = np.array([0 if _blank(x) else 1 for x in lines])
    hints = _hints(lines)
    forced = _forced_starts(lines)
    notes: list[str] = []

    # 1. Anchors by title: front-sheet items, then the entries of a contents list inside an item.
    items = front_sheet_items(lines)
    text_lines = np.concatenate(([0], np.cumsum(has_text)))
    last_page = max((it.last or it.first for it in items), default=0)
    located: list[tuple[int, int, str, float]] = []  # (printed page, line, label, score)

    def feasible_after(prev_page: int, prev_line: int, page: int, final: int):
        def check(top: int) -> bool:
            # at least a text line for each page before it and after it
            before = text_lines[top] - text_lines[max(prev_line, 0)]
            after = text_lines[n] - text_lines[top]
            return top > prev_line and before >= page - prev_page and after >= final - page + 1
        return check

    search_from = items[-1].line + 1 if items else 0
    prev_page, prev_line = 0, -1
    for it in items:
        cand = locate_title(lines, it.title, search_from, hints,
                            feasible=feasible_after(prev_page, prev_line, it.first, last_page))
        if cand is None:
            notes.append(f"item {it.title!r} (page {it.first}): no heading found, pages balanced instead")
            continue
        if cand.coverage < 0.8:
            notes.append(f"item {it.title!r} (page {it.first}): weak match {cand.coverage:.0%} "
                         f"at line {cand.match + 1}")
        located.append((it.first, cand.line, f"item: {it.title}", cand.score))
        prev_page, prev_line, search_from = it.first, cand.line, cand.line + 1

    entries, span = contents_entries(lines)
    if entries and span:
        # Contents pages count from the start of the item the list sits in.
        host = max((x for x in located if x[1] <= span[0]), default=None, key=lambda x: x[1])
        base_page, base_line = (host[0], host[1]) if host else (1, 0)
        final = max(last_page, base_page + max(e.first for e in entries) - 1)
        prev_page, prev_line = base_page, base_line
        for entry in entries:
            page = base_page + entry.first - 1
            cand = locate_title(lines, entry.title, prev_line + 1, hints, skip=span,
                                feasible=feasible_after(prev_page, prev_line, page, final))
            if cand is None:
                notes.append(f"contents {entry.title!r} (page {entry.first}): no heading found")
                continue
            if cand.coverage < 0.8:
                notes.append(f"contents {entry.title!r}: weak match {cand.coverage:.0%}")
            located.append((page, cand.line, f"contents: {entry.title}", cand.score))
            prev_page, prev_line = page, cand.line
        last_page = max(last_page, final)

    # 2. Footers: "Page N" ends page N, so page N+1 starts at the next text line, except for page
    # furniture right after the footer ("P a g e | 5", "Agenda Item 10", a link's URL).
    footers: list[tuple[int, int, int | None, str]] = []
    for i, line in enumerate(lines):
        m = PACK_FOOTER.match(line)
        if m:
            nxt = _next_text_line(lines, i + 1)
            while nxt is not None and PAGE_FURNITURE.search(lines[nxt]):
                nxt = _next_text_line(lines, nxt + 1)
            footers.append((int(m.group(1)), i, nxt, line.strip()))
            last_page = max(last_page, int(m.group(1)) + (1 if nxt is not None else 0))

    # 3. A cover letter before printed page 1: PDF pages are the printed numbers + offset.
    first_anchor = min(located, key=lambda x: x[0], default=None)
    offset = 0
    if first_anchor is not None:
        need = _front_pages(rows, forced, first_anchor[1]) if first_anchor[1] > 0 else 0
        offset = max(0, need - (first_anchor[0] - 1))
        if offset:
            notes.append(f"{offset} page(s) before printed page 1 (cover letter): PDF page = "
                         f"printed page + {offset}")

    starts: dict[int, tuple[int, str, str, float]] = {1: (0, "start", "first line", 1.0)}
    for page, line, label, score in located:
        starts[page + offset] = (line, "item" if label.startswith("item") else "contents", label, score)
    for number, i, nxt, label in footers:
        if nxt is None:
            continue
        page = number + offset + 1
        if page in starts:
            if starts[page][0] <= i:
                notes.append(f"footer {label!r} (line {i + 1}) conflicts with {starts[page][2]}; "
                             "kept the item anchor")
            continue  # an item anchor after the footer: the lines between stay on page N
        starts[page] = (nxt, "footer", label, 1.0)

    # Keep anchors in order: drop any that would put pages and lines out of step.
    ordered = sorted(starts.items())
    kept: list[tuple[int, tuple[int, str, str, float]]] = []
    for page, info in ordered:
        if kept and (info[0] - kept[-1][1][0] < page - kept[-1][0] or info[0] <= kept[-1][1][0]):
            notes.append(f"dropped anchor page {page} at line {info[0] + 1} ({info[2]}): out of order")
            continue
        kept.append((page, info))

    # 4. Break every stretch between anchors into its pages.
    bonus = np.array(hints) - np.array([BLANK_START_COST if _blank(x) else 0.0 for x in lines])
    forced_set = set(forced)
    total_pages = (last_page + offset) if last_page else None
    reports = _report_footers(lines)
    page_starts: list[int] = []
    derived: list[Anchor] = []
    for idx, (page, info) in enumerate(kept):
        a = info[0]
        if idx + 1 < len(kept):
            b, k = kept[idx + 1][1][0], kept[idx + 1][0] - page
        else:
            b = n
            k = (total_pages - page + 1) if total_pages else 0
        if k <= 0:
            page_starts.extend(_free_split(rows, has_text, bonus, forced_set, a, b))
            continue
        split = None
        for forced_here in (forced_set, set()):  # forced breaks that cannot all fit are dropped
            split = _split_stretch(lines, rows, has_text, bonus, forced_here, reports, a, b, page, k)
            if split is not None:
                break
            notes.append(f"pages {page}-{page + k - 1}: forced breaks ignored")
        if split is None:
            raise ValueError(f"cannot fit lines {a + 1}-{b} on pages {page}-{page + k - 1}")
        page_starts.extend(split[0])
        derived.extend(split[1])

    anchors = [Anchor(page, info[0], info[1], info[2], info[3]) for page, info in kept if page > 1]
    anchors = sorted(anchors + derived, key=lambda x: x.page)
    return Plan(lines=lines, starts=page_starts, anchors=anchors, offset=offset, notes=notes)


@dataclass(frozen=True)
class _ReportFooter:
    line: int
    key: str  # the footer's text without its number: one embedded report
    page: int  # the report's own page number


def _report_footers(lines: Sequence[str]) -> list[_ReportFooter]:
    """An embedded report's own footers ("... Page 2 of 6", "P a g e | 5"): not pack page numbers,
    but two of them fix how many pages lie between, and each one ends a page."""
    out = []
    for i, line in enumerate(lines):
        if m := re.match(r"^(.*?)Page\s+(\d+)\s+of\s+(\d+)\s*$", line):
            out.append(_ReportFooter(i, f"{' '.join(m.group(1).split())} of {m.group(3)}", int(m.group(2))))
        elif m := re.match(r"^\s*P\s*a\s*g\s*e\s*\|\s*(\d+)\s*$", line):
            out.append(_ReportFooter(i, "P a g e |", int(m.group(1))))
    return out


def _split_stretch(
    lines: Sequence[str],
    rows: np.ndarray,
    has_text: np.ndarray,
    bonus: np.ndarray,
    forced: set[int],
    reports: Sequence[_ReportFooter],
    a: int,
    b: int,
    page: int,
    k: int,
) -> tuple[list[int], list[Anchor]] | None:
    """Page starts for lines [a, b) on pages page..page+k-1.

    The report footers inside the stretch, grouped by report, each pin the page after them once
    the report's offset (PDF page of its page 1, minus 1) is chosen; every offset that keeps the
    footers inside the stretch is tried, and the cheapest page breaking wins.
    """
    last = page + k - 1
    groups: dict[str, list[_ReportFooter]] = {}
    for footer in reports:
        if a <= footer.line < b:
            groups.setdefault(footer.key, []).append(footer)
    choices: list[list[tuple[int, int, str]]] = [[]]  # per option: (page, start line, label)
    for key, footers in groups.items():
        numbers = [f.page for f in footers]
        if numbers != sorted(set(numbers)):
            continue  # not one report's running numbers
        options = []
        for off in range(page - min(numbers), last - max(numbers) + 1):
            pins = []
            for f in footers:
                nxt = _next_text_line(lines, f.line + 1)
                while nxt is not None and nxt < b and PAGE_FURNITURE.search(lines[nxt]):
                    nxt = _next_text_line(lines, nxt + 1)
                if off + f.page < last and nxt is not None and nxt < b:
                    pins.append((off + f.page + 1, nxt, f"report footer: {lines[f.line].strip()}"))
            options.append(pins)
        if options:
            choices = [c + o for c in choices for o in options][:400]
    best: tuple[float, list[int], list[Anchor]] | None = None
    for pins in choices:
        cuts = sorted({(page, a), *((p, x) for p, x, _ in pins)})
        pages_ok = all(p2 > p1 and x2 - x1 >= p2 - p1 for (p1, x1), (p2, x2) in zip(cuts, cuts[1:]))
        if not pages_ok or len({x for _, x in cuts}) != len(cuts) or cuts[-1][1] >= b:
            continue
        total, starts = 0.0, []
        bounds = [*cuts, (last + 1, b)]
        for (p1, x1), (p2, x2) in zip(bounds, bounds[1:]):
            got = _split(rows, has_text, bonus, forced, x1, x2, p2 - p1)
            if got is None:
                break
            total += got[0]
            starts.extend(got[1])
        else:
            if best is None or total < best[0] - 1e-9:
                best = (total, starts, [Anchor(p, x, "report footer", label) for p, x, label in pins])
    return (best[1], best[2]) if best else None


def paginate(text: str) -> list[str]:
    """Split one source text into page texts: "\\n".join(paginate(t)) == t."""
    return plan(text).pages()


# ---------------------------------------------------------------- typesetting


def font_path() -> Path:
    """DejaVu Sans from an installed package (matplotlib ships it), located via importlib."""
    for package, relative in FONT_CANDIDATES:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        for root in spec.submodule_search_locations:
            candidate = Path(root) / relative
            if candidate.is_file():
                return candidate
    names = ", ".join(p for p, _ in FONT_CANDIDATES)
    raise FileNotFoundError(f"DejaVuSans.ttf not found in any of: {names}")


def _render_text(line: str) -> str:
    """What is drawn for a source line: tabs become spaces, trailing spaces go (both invisible)."""
    return line.replace("\t", " ").rstrip()


class _Measure:
    """Advance widths of DejaVu Sans at 1 pt (fpdf2 applies no kerning without text shaping)."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.cache: dict[str, float] = {}

    def width(self, text: str, size: float) -> float:
        total = 0.0
        for ch in text:
            w = self.cache.get(ch)
            if w is None:
                self.pdf.set_font_size(1)
                w = self.cache[ch] = self.pdf.get_string_width(ch)
            total += w
        return total * size


def _wrap(line: str, measure: _Measure, size: float) -> list[str]:
    """Rows of one source line at ``size``, broken at spaces only (a word is never split)."""
    text = _render_text(line)
    if not text.strip():
        return [""]
    rows: list[str] = []
    current = ""
    for part in re.findall(r"\s+|\S+", text):
        if part.isspace():
            current += part
            continue
        candidate = current + part
        if not current.strip():
            # first word of a row: indentation that pushes it over the edge is dropped
            current = candidate if measure.width(candidate, size) <= TEXT_W else part
        elif measure.width(candidate, size) <= TEXT_W:
            current = candidate
        else:
            rows.append(current.rstrip())
            current = part
    rows.append(current.rstrip())
    return rows


def _layout(lines: Sequence[str], measure: _Measure) -> tuple[float, list[list[str]]]:
    """Largest font size (≤ BASE_FONT) at which the page's wrapped lines fit its height."""
    widest = max((measure.width(w, 1.0) for x in lines for w in _render_text(x).split()), default=0.0)
    size = BASE_FONT
    if widest * size > TEXT_W:
        size = math.floor(TEXT_W / widest * 4) / 4
    while True:
        wrapped = [_wrap(x, measure, size) for x in lines]
        height = sum(BLANK_ROW if rows == [""] else len(rows) for rows in wrapped) * size * LEADING
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
    """Typeset ``pages`` (one PDF page each) into ``out_path``; the bytes depend on the inputs only.

    ``page_offset`` pages before printed page 1 get roman page labels (i, ii), the rest 1, 2, ...
    """
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
    measure = _Measure(pdf)
    for number, page_text in enumerate(pages, 1):
        pdf.add_page()
        if number == 1 and page_offset:
            pdf.set_page_label(label_style="r", label_start=1)
        elif number == page_offset + 1:
            pdf.set_page_label(label_style="D", label_start=1)
        size, wrapped = _layout(page_text.split("\n"), measure, )
        pdf.set_font(FONT_NAME, size=size)
        pitch = size * LEADING
        y = MARGIN_TOP
        for rows in wrapped:
            if rows == [""]:
                y += pitch * BLANK_ROW
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
    return (SOURCE_DIR / paper["source"]).read_text(encoding="utf-8")


def build_paper(paper: dict, out_dir: Path | str) -> Path:
    text = source_text(paper)
    layout = plan(text)
    expected = int(paper.get("page_offset", 0))
    if layout.offset != expected:
        raise ValueError(f"{paper['file']}: pagination found page offset {layout.offset}, "
                         f"papers.toml says {expected}")
    return build_pdf(
        layout.pages(),
        Path(out_dir) / paper["file"],
        paper["title"],
        subject=f"{paper['committee']}, {paper['meeting_date']}: {paper['kind']}",
        creation_date=date.fromisoformat(paper["meeting_date"]),
        page_offset=layout.offset,
    )


def build_all(out_dir: Path | str = CORPUS_DIR) -> list[Path]:
    """Build every paper of papers.toml into ``out_dir``."""
    return [build_paper(paper, out_dir) for paper in load_papers()]


def check(out_dir: Path | str = CORPUS_DIR) -> list[str]:
    """Names of the PDFs in ``out_dir`` that differ from a fresh build (or are missing)."""
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        for built in build_all(tmp):
            committed = Path(out_dir) / built.name
            if not committed.is_file() or committed.read_bytes() != built.read_bytes():
                stale.append(built.name)
    return stale


def report() -> str:
    """Per paper: pages, anchors matched by kind, and any fallback."""
    out = []
    for paper in load_papers():
        layout = plan(source_text(paper))
        kinds: dict[str, int] = {}
        for anchor in layout.anchors:
            kinds[anchor.source] = kinds.get(anchor.source, 0) + 1
        counts = ", ".join(f"{v} {k}" for k, v in sorted(kinds.items())) or "none"
        out.append(f"{paper['file']}: {len(layout.starts)} pages; anchors: {counts}")
        for anchor in layout.anchors:
            out.append(f"    page {anchor.page:>3} <- line {anchor.line + 1:>5} [{anchor.source}] "
                       f"{anchor.label[:70]}")
        out.extend(f"    note: {note}" for note in layout.notes)
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus.build", description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(CORPUS_DIR), help="output directory (default corpus/)")
    parser.add_argument("--check", action="store_true",
                        help="only verify that the PDFs in --out match a fresh build")
    parser.add_argument("--report", action="store_true", help="print the anchors found per paper")
    args = parser.parse_args(argv)
    if args.report:
        print(report())
        return 0
    if args.check:
        stale = check(args.out)
        for name in stale:
            print(f"out of date: {name}", file=sys.stderr)
        if not stale:
            print("corpus PDFs are up to date")
        return 1 if stale else 0
    for path in build_all(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
