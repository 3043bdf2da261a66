"""Scorecard rows: a children-in-care performance scorecard's lines read as figures, once, at ingest.

A scorecard row, flattened by the PDF reader, is the indicator's label, its polarity (H/L/T), its
period type (SS, YTD, R12M ...), the value, an optional RAG letter, then further figures. Which figure is
which is read from the figures themselves, not from how many there are:

* two plain numbers whose ratio is the value (``966 / 1,469`` = 65.7%, ``2,206 / 29`` = 76.1 a caseload,
  ``1,354 / 333,045`` = 40.7 per 10,000) are its numerator and denominator;
* a rated row (one with a RAG letter) has a target next: RAG is rated against it;
* a figure followed by its own numerator and denominator is a second measurement of the same period
  (the "excluding UASC" half of a scorecard that shows both), never the previous period's value;
* a figure carrying a footnote star is the national comparator (the scorecards' footnotes say so);
* the rest, in order, are the previous period's value and last year's.

Each row becomes a ``ScorecardRow`` record the store keeps beside its chunk, so answers and the Figures
tab never re-parse table text at question time.
"""

from __future__ import annotations

import re
from collections import Counter

from core.dates import find_month, month_key
from core.records import Chunk, ChunkKind, ScorecardRow, printed_label

# A flattened scorecard row: indicator, polarity, period type, then the value and further figures.
SCORECARD_ROW = re.compile(
    r"^\s*(?P<label>\S.*?)\s+(?P<polarity>[HLT])\s+(?P<ptype>SS|R12M|YTD|AC YTD|M|Q|R12|A)\s+"
    r"(?P<figures>[£\d][\d.,%£]*(?:\s+\S+)*)\s*$"
)
# A context row (a count the scorecard shows for information: "Number of Kent CIC SS 1,620 1,582 1,759") has
# no polarity; without one only a period type and figures alone to the line's end make a row, and a one-letter
# period type ("M", monthly) needs two figures at least, so prose ending "... Appendix A 2" is no row.
CONTEXT_FIGURE = r"(?:[£\d][\d.,%£]*|[GAR]|\*+|-)"
CONTEXT_ROW = re.compile(
    r"^\s*(?P<label>\S.*?)\s+(?:(?P<ptype>SS|R12M|YTD|AC YTD)\s+(?P<figures>[£\d][\d.,%£]*(?:\s+"
    + CONTEXT_FIGURE + r")*)|(?P<ptype_m>M)\s+(?P<figures_m>[£\d][\d.,%£]*(?:\s+" + CONTEXT_FIGURE + r")+))\s*$"
)
# A row wrapped onto a second line of bare figures (a variance "+2.1%" among them), and a row head whose
# figures wrapped away.
FIGURES_ONLY = re.compile(r"^\s*(?=.*\d)(?:(?:[GAR]|[£\d*+-][\d.,%£*]*)(?:\s+|$))+$")
ROW_HEAD = re.compile(r"\s[HLT]\s+(?:SS|R12M|YTD|AC YTD|M|Q|R12|A)\s*$")
# A figure as printed: "65.7%", "1,469", "£1,234", "593****" (a footnoted national figure), "+2.1%".
FIGURE = re.compile(r"^[+-]?£?\d[\d,]*(?:\.\d+)?%?\**$")
RAG_LETTERS = ("G", "A", "R")
# The scales a value is its numerator / denominator at: a share, a percentage, a rate per 1,000 or 10,000.
RATIO_SCALES = (1, 100, 1000, 10000)
# A scorecard's section heading that names the part of the area its rows are for: "CHILDREN IN CARE - NORTH KENT".
AREA_HEADING = re.compile(r"^\s*(?P<theme>[A-Z][A-Z &']+?)\s+[-–]\s+(?P<area>[A-Z][A-Z &']+?)\s*$")
HEADING = re.compile(r"^\s*[A-Z][A-Z &']+(?:\s+[-–]\s+[A-Z][A-Z &']+)?\s*$")


def _number(figure: str) -> float | None:
    cleaned = figure.rstrip("*").replace(",", "").replace("£", "").rstrip("%")
    try:
        return float(cleaned)
    except ValueError:
        return None


def _decimals(figure: str) -> int:
    digits = figure.rstrip("*").rstrip("%")
    return len(digits.split(".")[1]) if "." in digits else 0


def is_ratio(value: str, numerator: str, denominator: str) -> bool:
    """``numerator / denominator`` is ``value`` at some scale (share, %, per 1,000, per 10,000), to the
    value's printed precision: the two figures are the value's own numerator and denominator."""
    if "%" in numerator or "%" in denominator or numerator.startswith(("+", "-")):
        return False
    top, bottom, shown = _number(numerator), _number(denominator), _number(value)
    if top is None or bottom is None or shown is None or bottom <= 0:
        return False
    tolerance = 0.5 * 10 ** -_decimals(value) + 1e-9  # the value is the ratio rounded to its printed places
    return any(abs(top / bottom * scale - shown) <= tolerance for scale in RATIO_SCALES)


def _columns(value: str, rated: bool, tokens: list[str]) -> dict[str, str]:
    """The named figures after a row's value (and RAG letter): see the module's docstring."""
    cells: list[str | None] = []  # figures in order; None for an empty cell ("-")
    for token in tokens:
        if token in RAG_LETTERS:
            continue  # a rating (or direction of travel) of the figure before it
        if re.fullmatch(r"\*+", token):
            if cells and cells[-1] is not None and not cells[-1].endswith("*"):
                cells[-1] += token  # a footnote marker set apart from its figure
        elif token == "-":
            cells.append(None)
        elif FIGURE.match(token):
            cells.append(token)
    columns: dict[str, str] = {}
    if len(cells) >= 2 and cells[0] and cells[1] and is_ratio(value, cells[0], cells[1]):
        columns["numerator"], columns["denominator"] = cells[0], cells[1]
        cells = cells[2:]
    if rated and cells and cells[0] and not cells[0].endswith("*"):
        columns["target"] = cells[0]
        cells = cells[1:]
    starred = [c for c in cells if c and c.endswith("*")]
    if starred:
        columns["national"] = starred[0]
        cells = [c for c in cells if c is not starred[0]]
    if len(cells) >= 3 and cells[0] and cells[1] and cells[2] and is_ratio(cells[0], cells[1], cells[2]):
        return columns  # a second measurement of this period with its own numerator and denominator
    for name, cell in zip(("previous", "last_year", "national"), cells, strict=False):
        if cell is not None and name not in columns and not cell.startswith("+"):
            columns[name] = cell
    return columns


def parse_scorecard_row(text: str) -> dict[str, str | None] | None:
    """A flattened scorecard row split into its named columns, or None when the line is not one."""
    match = SCORECARD_ROW.match(text)
    context = None if match else CONTEXT_ROW.match(text)
    if context:
        ptype, figures, polarity = context["ptype"] or context["ptype_m"], context["figures"] or \
            context["figures_m"], None
        label = context["label"]
    elif match:
        ptype, figures, polarity, label = match["ptype"], match["figures"], match["polarity"], match["label"]
    else:
        return None
    if len(label) < 8:
        return None
    tokens = figures.split()
    value, rest = tokens[0], tokens[1:]
    rag = None
    if rest and rest[0] in RAG_LETTERS:
        rag, rest = rest[0], rest[1:]
    return {
        "indicator": " ".join(label.split()),
        "polarity": polarity,
        "period_type": ptype,
        "value": value,
        "rag": rag,
        **_columns(value, rag is not None, rest),
    }


def _area(heading: str | None) -> str | None:
    """"CHILDREN IN CARE - NORTH KENT" → "North Kent"."""
    match = AREA_HEADING.match(heading or "")
    return " ".join(w.capitalize() for w in match["area"].split()) if match else None


def scorecard_rows(chunks: list[Chunk]) -> list[ScorecardRow]:
    """Every scorecard row in a document's table chunks (and passages of a scorecard's period whose table the
    reader did not see as one), in order, each tied to its chunk and page.

    A scorecard that repeats its indicators for each part of the area ("CHILDREN IN CARE - NORTH KENT", then
    "- EAST KENT" ...) names each repeated row after its part, so every row is an indicator of its own."""
    found: list[tuple[ScorecardRow, str | None]] = []
    heading: str | None = None
    period: str | None = None
    for position, chunk in enumerate(chunks):
        if chunk.kind != ChunkKind.TABLE and not chunk.period:
            continue
        if chunk.period != period:
            heading, period = None, chunk.period
        offset = 0
        for line in chunk.text.split("\n"):
            stripped = line.strip()
            parsed = parse_scorecard_row(stripped) if stripped else None
            if parsed:
                page = chunk.page_at(offset)
                row = ScorecardRow(
                    document=chunk.document, chunk=position, text=stripped, header=chunk.header, page=page,
                    page_label=printed_label(chunk.page_label, chunk.page_start, page),
                    meeting_date=chunk.meeting_date, item=chunk.item, minute=chunk.minute, period=chunk.period,
                    period_key=month_key(find_month(chunk.period or "")), **parsed)  # type: ignore[arg-type]
                found.append((row, _area(heading)))
            elif stripped and HEADING.match(stripped) and len(stripped.split()) >= 2:
                heading = stripped
            offset += len(line) + 1
    repeated = Counter((row.period, row.indicator) for row, _ in found)
    for row, area in found:
        if area and repeated[(row.period, row.indicator)] > 1:
            row.indicator = f"{row.indicator} ({area})"
    return [row for row, _ in found]
