"""Search the index: the passages that best match a query, each with its document, page and meeting."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.index import PanelIndex


@dataclass
class Passage:
    text: str
    score: float
    document: str
    title: str
    page: int
    page_end: int
    page_label: str | None
    meeting_date: str | None
    committee: str | None
    item: str | None
    minute: str | None
    kind: str
    header: str
    id: str = ""
    period: str | None = None
    section: str | None = None

    @classmethod
    def from_hit(cls, text: str, meta: dict, score: float, chunk_id: str = "") -> Passage:
        return cls(
            id=chunk_id, period=meta.get("period"), section=meta.get("section"),
            text=text, score=score, document=meta.get("document", ""), title=meta.get("title", ""),
            page=int(meta.get("page_start", 0)), page_end=int(meta.get("page_end", 0)),
            page_label=meta.get("page_label"), meeting_date=meta.get("meeting_date"),
            committee=meta.get("committee"), item=meta.get("item"), minute=meta.get("minute"),
            kind=meta.get("kind", "narrative"), header=meta.get("header", ""),
        )

    @property
    def printed_page(self) -> str:
        return self.page_label or str(self.page)


def build_where(document: str | None = None, committee: str | None = None, date_from: int | None = None,
                date_to: int | None = None, kind: str | None = None) -> dict | None:
    """A Chroma filter from the user's filters; dates as YYYYMMDD numbers."""
    clauses: list[dict] = []
    if document:
        clauses.append({"document": document})
    if committee:
        clauses.append({"committee": committee})
    if kind:
        clauses.append({"kind": kind})
    if date_from:
        clauses.append({"meeting_key": {"$gte": int(date_from)}})
    if date_to:
        clauses.append({"meeting_key": {"$lte": int(date_to)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def search(index: PanelIndex, query: str, k: int = 5, where: dict | None = None) -> list[Passage]:
    hits = index.search_chunks(query, k=k, where=where)
    # Chroma returns cosine distance; a similarity (higher is closer) reads better.
    return [Passage.from_hit(doc.page_content, doc.metadata, 1.0 - float(distance)) for doc, distance in hits]
