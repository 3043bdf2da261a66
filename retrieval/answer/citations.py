"""What an answer is made of: the answer, its citations, and the sentence-sized units it is built from."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from core.dates import human_date
from core.records import StoredChunk, StoredScorecardRow, printed_label
from retrieval.answer.refusal import Evidence

REFUSAL = "The papers I have do not answer this."
# A passage read from a page's picture by OCR may hold misread words or figures: the citation says so.
OCR_NOTE = "read by OCR; check the page image"


@dataclass
class Citation:
    n: int
    document: str
    title: str
    page: int  # 1-based PDF page
    page_label: str | None  # the printed page number, where the PDF has one
    meeting_date: str | None
    item: str | None  # "minute 118 (item 12)", "item 8", or None
    quote: str  # the supporting text, exactly as in the passage
    chunk_id: str = ""
    passage: str = ""  # the whole cited passage (header and text): what the figure guard checks
    committee: str | None = None  # whose meeting: in an archive of every committee, the answer says which
    ocr: bool = False  # the passage was read by OCR (a scanned page)

    @property
    def printed_page(self) -> str:
        """"page 27" where the page shows its number, else "PDF page 29"."""
        return f"page {self.page_label}" if self.page_label else f"PDF page {self.page}"

    def where(self) -> str:
        """Title, meeting, page and minute: how every screen names a cited page (and that OCR read it)."""
        meeting = f"meeting of {human_date(self.meeting_date)}" if self.meeting_date else ""
        if meeting and self.committee:
            meeting = f"{self.committee} {meeting}"
        parts = [self.title or self.document, meeting, self.printed_page, self.item or ""]
        where = ", ".join(p for p in parts if p)
        return f"{where} ({OCR_NOTE})" if self.ocr else where


@dataclass
class Answer:
    question: str
    text: str
    answered: bool
    citations: list[Citation] = field(default_factory=list)
    query: str = ""  # the question as searched (follow-ups rewritten)
    retrieved: list[dict] = field(default_factory=list)  # document/page of each retrieved passage
    dropped: list[str] = field(default_factory=list)  # sentences the gates removed
    seconds: float = 0.0
    confidence: float | None = None  # the refusal model's P(the papers answer it); None: not judged
    sure: bool = True  # False: answered, but only as the closest match ("check the page")
    evidence: Evidence | None = None  # the refusal model's features

    def to_dict(self) -> dict:
        """The answer as JSON for the CLI and the app's API (the one place it becomes a dict)."""
        return {
            "question": self.question, "query": self.query, "answered": self.answered, "text": self.text,
            "sure": self.sure, "confidence": None if self.confidence is None else round(self.confidence, 3),
            "citations": [{k: v for k, v in asdict(c).items() if k not in ("passage", "chunk_id")}
                          for c in self.citations],
            "retrieved": self.retrieved,
        }


@dataclass
class Unit:
    """A sentence or table row of a retrieved passage, with where it lies; ``row`` when it is a
    scorecard row recognised at ingest."""

    text: str
    chunk: StoredChunk
    rank: int
    page: int
    coverage: float = 0.0
    row: StoredScorecardRow | None = None
    score: float = 0.0  # how well it answers (``compose.selection_score``)
    meaning: float = 0.0  # its stored sentence vector's cosine similarity to the question
    context: float = 0.0  # the coverage of it with the sentence before it on its page (``Composer.units``)
    headed: float = 0.0  # the coverage of it with the heading it stands under, in a minute (``Composer.units``)


def item_label(minute: str | None, item: str | None) -> str | None:
    if minute:
        return f"minute {minute}" + (f" (item {item})" if item else "")
    return f"item {item}" if item else None


def make_citation(n: int, unit: Unit) -> Citation:
    chunk = unit.chunk
    return Citation(
        n=n, document=chunk.document, title=chunk.title, page=unit.page,
        # The chunk stores the printed label of its first page; other pages keep the same offset.
        page_label=printed_label(chunk.page_label, chunk.page_start, unit.page),
        meeting_date=chunk.meeting_date, item=item_label(chunk.minute, chunk.item), quote=unit.text,
        chunk_id=chunk.id, passage=f"{chunk.header}\n{chunk.text}", committee=chunk.committee, ocr=chunk.ocr,
    )
