"""Passages cut into the units an answer quotes: sentences of prose, rows of tables, whole decisions."""

from __future__ import annotations

import re

from core.records import ChunkKind, StoredChunk, StoredScorecardRow
from core.sentences import sentences
from retrieval.answer.citations import Unit

NUMBER = re.compile(r"(?<![\w.])£?\d+(?:[.,]\d+)*%?")
MARKER = re.compile(r"\s*\[\d+\]")


def split_units(chunk: StoredChunk, rank: int) -> list[Unit]:
    """The passage's sentences (``core.sentences``: the same cut as the stored sentence vectors), each
    with its page."""
    return [Unit(text, chunk, rank, chunk.page_start if chunk.kind == ChunkKind.DECISION else chunk.page_at(offset))
            for offset, text in sentences(chunk.text, chunk.kind)]


def row_unit(row: StoredScorecardRow, chunk: StoredChunk, rank: int) -> Unit:
    """A scorecard row as a unit of the chunk it was read from."""
    return Unit(row.text, chunk, rank, row.page, row=row)


def numbers_in(text: str) -> set[str]:
    """The numbers a text states, as the figure guard compares them ("£1,234" and "1234" alike)."""
    return {n.replace(",", "").lstrip("£").rstrip("%") for n in NUMBER.findall(MARKER.sub(" ", text))}
