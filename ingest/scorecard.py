"""Scorecard rows: a children-in-care performance scorecard's lines read as figures, once, at ingest.

A scorecard row, flattened by the PDF reader, is the indicator's label, its polarity (H/L/T), its
period type (SS, YTD, R12M ...), the value, an optional RAG letter, then further figures whose meaning
depends on how many there are. Each row becomes a ``ScorecardRow`` record the store keeps beside its
chunk, so answers and the Figures tab never re-parse table text at question time.
"""

from __future__ import annotations

import re

from core.dates import find_month, month_key
from core.records import Chunk, ChunkKind, ScorecardRow, printed_label

# A flattened scorecard row: indicator, polarity, period type, then the value and further figures.
SCORECARD_ROW = re.compile(
    r"^\s*(?P<label>\S.*?)\s+(?P<polarity>[HLT])\s+(?P<ptype>SS|R12M|YTD|AC YTD|M|Q|R12|A)\s+"
    r"(?P<figures>[£\d][\d.,%£]*(?:\s+\S+)*)\s*$"
)
# A context row (a count the scorecard shows for information: "Number of Kent CIC SS 1,620 1,582 1,759") has
# no polarity; without one only a multi-letter period type and figures alone to the line's end make a row.
CONTEXT_ROW = re.compile(
    r"^\s*(?P<label>\S.*?)\s+(?P<ptype>SS|R12M|YTD|AC YTD)\s+"
    r"(?P<figures>[£\d][\d.,%£]*(?:\s+(?:[£\d][\d.,%£]*|[GAR]|\*+))*)\s*$"
)
# A row wrapped onto a second line of bare figures, and a row head whose figures wrapped away.
FIGURES_ONLY = re.compile(r"^\s*(?=.*\d)(?:(?:[GAR]|[£\d*-][\d.,%£*]*)(?:\s+|$))+$")
ROW_HEAD = re.compile(r"\s[HLT]\s+(?:SS|R12M|YTD|AC YTD|M|Q|R12|A)\s*$")


def parse_scorecard_row(text: str) -> dict[str, str | None] | None:
    """A flattened scorecard row split into its named columns, or None when the line is not one."""
    match = SCORECARD_ROW.match(text) or CONTEXT_ROW.match(text)
    if not match or len(match["label"]) < 8:
        return None
    tokens = match["figures"].split()
    value, rest = tokens[0], tokens[1:]
    rag = None
    if rest and rest[0] in ("G", "A", "R"):
        rag, rest = rest[0], rest[1:]
    numbers = [t for t in rest if re.match(r"^[£\d]", t)]
    columns: dict[str, str] = {}
    if rag:
        names = ["numerator", "denominator", "target", "previous", "last_year", "national"]
    elif len(numbers) >= 4:
        names = ["numerator", "denominator", "previous", "last_year", "national"]
    else:
        names = ["previous", "last_year", "national"]
    columns.update(zip(names, numbers, strict=False))
    return {
        "indicator": " ".join(match["label"].split()),
        "polarity": match.groupdict().get("polarity"),
        "period_type": match["ptype"],
        "value": value,
        "rag": rag,
        **columns,
    }


def scorecard_rows(chunks: list[Chunk]) -> list[ScorecardRow]:
    """Every scorecard row in a document's table chunks (and passages of a scorecard's period whose table the
    reader did not see as one), in order, each tied to its chunk and page."""
    rows: list[ScorecardRow] = []
    for position, chunk in enumerate(chunks):
        if chunk.kind != ChunkKind.TABLE and not chunk.period:
            continue
        offset = 0
        for line in chunk.text.split("\n"):
            parsed = parse_scorecard_row(line.strip()) if line.strip() else None
            if parsed:
                page = chunk.page_at(offset)
                rows.append(ScorecardRow(
                    document=chunk.document, chunk=position, text=line.strip(), header=chunk.header, page=page,
                    page_label=printed_label(chunk.page_label, chunk.page_start, page),
                    meeting_date=chunk.meeting_date, item=chunk.item, minute=chunk.minute, period=chunk.period,
                    period_key=month_key(find_month(chunk.period or "")), **parsed))  # type: ignore[arg-type]
            offset += len(line) + 1
    return rows
