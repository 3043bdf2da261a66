"""The hybrid search as a LangChain retriever, so others can compose it into their own chains."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever


class PanelRetriever(BaseRetriever):
    """``PanelRetriever(assistant=Assistant.open(), k=5, filters={"committee": ...})``."""

    assistant: Any
    k: int = 5
    filters: dict | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        _, candidates = self.assistant.retrieve(query, filters=self.filters, k=self.k)
        return [Document(page_content=c.text, id=c.id,
                         metadata={**c.meta, "score": c.fused, "dense_similarity": c.dense})
                for c in candidates]
