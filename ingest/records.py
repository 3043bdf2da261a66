"""The small typed records that flow from PDF to index: Page, Table, Decision, Chunk, DocumentInfo."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


def page_at(page_breaks: str, offset: int, default: int) -> int:
    """The page on which character ``offset`` of a chunk's text lies."""
    page = default
    for part in filter(None, page_breaks.split(",")):
        start, number = part.split(":")
        if int(start) <= offset:
            page = int(number)
    return page


class IngestError(Exception):
    """A file that cannot be ingested. ``str(err)`` is the one-line reason shown to the user."""


@dataclass
class Table:
    """A table read by pdfplumber: the header row and the data rows, cells as text."""

    header: list[str]
    rows: list[list[str]]
    caption: str = ""

    def row_lines(self) -> list[str]:
        """Each row written under its header ("Header: value; ..."), so a figure keeps its labels."""
        lines = [self.caption] if self.caption else []
        for row in self.rows:
            cells = [c for c in row if c]
            if not cells:
                continue
            if len(self.header) == len(row) and any(self.header):
                # The first cell is usually the row's label; the header names the rest.
                pairs = [f"{h}: {c}" if h and i else c
                         for i, (h, c) in enumerate(zip(self.header, row, strict=True)) if c]
                lines.append("; ".join(pairs))
            else:
                lines.append(" | ".join(cells))
        return lines


@dataclass
class Page:
    number: int  # 1-based index in the PDF
    text: str
    label: str | None = None  # the printed page number, where the page shows one
    tables: list[Table] = field(default_factory=list)
    # The text outside the ruled tables, so table cells are not indexed twice (None: no tables).
    text_outside_tables: str | None = None

    @property
    def body(self) -> str:
        return self.text if self.text_outside_tables is None else self.text_outside_tables


@dataclass
class DocumentInfo:
    """What a whole paper is: recovered from its text, or given by corpus/papers.toml."""

    document: str  # the PDF file name: the document's identity in the index
    title: str
    committee: str | None
    meeting_date: str | None  # ISO date of the meeting the pack is for
    kind: str  # agenda pack, minutes, report, annual report, appendix
    content_hash: str
    pages: int


@dataclass
class Decision:
    document: str
    meeting_date: str | None  # the meeting that took the decision (not the pack's date)
    committee: str | None
    minute: str | None  # e.g. "118"
    minute_title: str | None
    item: str | None  # agenda item number, e.g. "10"
    text: str
    page: int
    page_label: str | None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Chunk:
    document: str
    text: str  # the passage itself, as printed
    header: str  # document / meeting / item / section, embedded with the text
    kind: str  # decision, table, narrative
    page_start: int
    page_end: int
    page_label: str | None = None
    meeting_date: str | None = None  # the meeting this passage records or is for
    committee: str | None = None
    item: str | None = None
    minute: str | None = None
    section: str | None = None
    period: str | None = None  # reporting period of figures, e.g. "Nov 2018"
    content_hash: str = ""
    # Where each page's text starts inside ``text``: "0:27,812:28" (offset:page), so a quote
    # taken from a chunk that spans a page break cites the right page.
    page_breaks: str = ""

    def page_at(self, offset: int) -> int:
        return page_at(self.page_breaks, offset, self.page_start)

    @property
    def embed_text(self) -> str:
        return f"{self.header}\n{self.text}" if self.header else self.text
