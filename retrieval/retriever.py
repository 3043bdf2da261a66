"""The hybrid search as a LangChain retriever, so others can compose it into their own chains."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from core.records import Filters


class PanelRetriever(BaseRetriever):
    """``PanelRetriever(assistant=Assistant.open(), k=5, filters=Filters(committee=...))``: anything with the
    assistant's ``retrieve(question, filters=, k=)`` will do, so this module needs nothing above it."""

    assistant: Any
    k: int = 5
    filters: Filters | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        _, candidates = self.assistant.retrieve(query, filters=self.filters, k=self.k)
        documents = []
        for c in candidates:
            chunk = c.chunk
            # LangChain's Document carries a metadata dict: the chunk's fields, made plain here at the edge.
            metadata = {"document": chunk.document, "title": chunk.title, "page_start": chunk.page_start,
                        "page_end": chunk.page_end, "page_label": chunk.page_label, "kind": str(chunk.kind),
                        "meeting_date": chunk.meeting_date, "committee": chunk.committee, "item": chunk.item,
                        "minute": chunk.minute, "section": chunk.section, "period": chunk.period,
                        "header": chunk.header, "score": c.fused, "dense_similarity": c.dense}
            documents.append(Document(page_content=c.text, id=c.id,
                                      metadata={k: v for k, v in metadata.items() if v is not None}))
        return documents
