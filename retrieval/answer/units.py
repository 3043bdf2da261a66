"""Passages cut into the units an answer quotes: sentences of prose, rows of tables, whole decisions."""

from __future__ import annotations

import re

from core.records import ChunkKind, StoredChunk, StoredScorecardRow
from retrieval.answer.citations import Unit

NUMBER = re.compile(r"(?<![\w.])£?\d+(?:[.,]\d+)*%?")
MARKER = re.compile(r"\s*\[\d+\]")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(“\"'‘•-])|(?<=[.!?])\s+(?=\d+\.\d*\s)")
HEADING_ONLY = re.compile(r"\(Item [A-Z]?\d+\)\s*(?:\d+\.|\(\d+\))?\s*$")
# "Election of Vice-Chairman (Item 3) 1. Mrs Allen proposed...": the heading is not the sentence.
LEADING_HEADING = re.compile(r"\(Item [A-Z]?\d+[a-z]?\)\s*(?:\d+\.|\(\d+\))?\s*")


def split_units(chunk: StoredChunk, rank: int) -> list[Unit]:
    text = chunk.text
    if chunk.kind == ChunkKind.DECISION:
        return [Unit(" ".join(text.split()), chunk, rank, chunk.page_start)]
    units: list[Unit] = []
    if chunk.kind == ChunkKind.TABLE:
        offset = 0
        for line in text.split("\n"):
            if line.strip():
                units.append(Unit(line.strip(), chunk, rank, chunk.page_at(offset)))
            offset += len(line) + 1
        return units
    flat = text.replace("\n", " ")  # same length: offsets still point into the chunk's text
    start = 0
    for match in list(SENTENCE_END.finditer(flat)) + [None]:
        end = match.start() if match else len(flat)
        piece = " ".join(flat[start:end].split())
        heading = LEADING_HEADING.search(piece)
        if heading and heading.end() < len(piece):
            piece = piece[heading.end():]
        if len(piece) > 2 and not HEADING_ONLY.search(piece):
            units.append(Unit(piece, chunk, rank, chunk.page_at(start)))
        start = match.end() if match else end
    return units


def row_unit(row: StoredScorecardRow, chunk: StoredChunk, rank: int) -> Unit:
    """A scorecard row as a unit of the chunk it was read from."""
    return Unit(row.text, chunk, rank, row.page, row=row)


def numbers_in(text: str) -> set[str]:
    """The numbers a text states, as the figure guard compares them ("£1,234" and "1234" alike)."""
    return {n.replace(",", "").lstrip("£").rstrip("%") for n in NUMBER.findall(MARKER.sub(" ", text))}
