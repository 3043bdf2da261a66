"""A passage cut into sentences: the one rule the store (sentence vectors) and the answer (quoted units)
share, so that the n-th stored sentence vector is the n-th sentence an answer can quote.

Prose is cut at sentence ends; a table passage at its lines (one row a line); a decision is one whole unit.
"""

from __future__ import annotations

import re

from core.records import ChunkKind

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(“\"'‘•-])|(?<=[.!?])\s+(?=\d+\.\d*\s)")
HEADING_ONLY = re.compile(r"\(Item [A-Z]?\d+\)\s*(?:\d+\.|\(\d+\))?\s*$")
# "Election of Vice-Chairman (Item 3) 1. Mrs Allen proposed...": the heading is not the sentence.
LEADING_HEADING = re.compile(r"\(Item [A-Z]?\d+[a-z]?\)\s*(?:\d+\.|\(\d+\))?\s*")


# A list of clauses, one a line, each ending in a semicolon ("he said: There had been a slight reduction ...;\n
# There were now 963 UASC being looked after ...;\n The impact had been considerable ..."): each is a sentence.
# Not a list of bulleted or lettered items ("principles: • to act ...;\n • to ..."), which an answer quotes whole.
CLAUSE_END = re.compile(r"(?<=;)[ \t]*\n\s*(?=[A-Z“\"'‘])")


def sentences(text: str, kind: ChunkKind | str) -> list[tuple[int, str]]:
    """(offset in ``text``, sentence) for each unit of a passage, whitespace collapsed, in order."""
    if kind == ChunkKind.DECISION:
        return [(0, " ".join(text.split()))]
    found: list[tuple[int, str]] = []
    if kind == ChunkKind.TABLE:
        offset = 0
        for line in text.split("\n"):
            if line.strip():
                found.append((offset, line.strip()))
            offset += len(line) + 1
        return found
    flat = text.replace("\n", " ")  # same length: offsets still point into the text
    cuts = sorted([m.span() for m in SENTENCE_END.finditer(flat)] + [m.span() for m in CLAUSE_END.finditer(text)])
    start = 0
    for cut_start, cut_end in cuts + [(len(flat), len(flat))]:
        piece = " ".join(flat[start:cut_start].split())
        heading = LEADING_HEADING.search(piece)
        if heading and heading.end() < len(piece):
            piece = piece[heading.end():]
        if len(piece) > 2 and not HEADING_ONLY.search(piece):
            found.append((start, piece))
        start = cut_end
    return found


def overlap_start(before: str, after: str, least: int = 20) -> int | None:
    """Where in ``before`` its end starts to be the start of ``after`` (at least ``least`` characters of it):
    a paper's passages overlap by whole lines, so the next passage opens with the last lines of this one."""
    if len(after) < least:
        return None
    head = after[:least]
    start = before.find(head)
    while start > 0:
        if after.startswith(before[start:]):
            return start
        start = before.find(head, start + 1)
    return None
