"""The contract others build on: ``Assistant.open().ask(question, history, filters) -> Answer``."""

from __future__ import annotations

import time
from datetime import date

from ingest.dates import date_key
from ingest.index import PanelIndex
from ingest.settings import Settings
from retrieval.compose import Answer, Composer
from retrieval.glossary import build_glossary
from retrieval.hybrid import Candidate, HybridSearcher
from retrieval.query import Query, understand
from retrieval.search import build_where

MAX_QUESTION_CHARS = 2000


class BadQuestion(ValueError):
    """A question that cannot be asked (empty, absurdly long); ``str()`` is the reason."""


def check_question(question: str) -> str:
    question = " ".join((question or "").split())
    if not question:
        raise BadQuestion("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise BadQuestion(f"the question is too long ({len(question)} characters; the limit is {MAX_QUESTION_CHARS})")
    if not any(ch.isalnum() for ch in question):
        raise BadQuestion("the question has no words in it")
    return question


def where_from_filters(filters: dict | None) -> dict | None:
    """User filters (document, committee, kind, date_from, date_to as ISO dates or YYYYMMDD) → Chroma where."""
    if not filters:
        return None

    def key(value) -> int | None:
        if value in (None, ""):
            return None
        return int(value) if str(value).isdigit() else date_key(str(value))

    return build_where(document=filters.get("document") or None, committee=filters.get("committee") or None,
                       kind=filters.get("kind") or None, date_from=key(filters.get("date_from")),
                       date_to=key(filters.get("date_to")))


class Assistant:
    def __init__(self, settings: Settings, index: PanelIndex, searcher: HybridSearcher | None = None):
        self.settings = settings
        self.index = index
        self.searcher = searcher or HybridSearcher(index)
        self.glossary = build_glossary(self.searcher.texts)
        self.composer = Composer(self.searcher, settings.min_coverage, settings.min_dense)
        self.llm = None
        if settings.llm_provider not in ("", "none"):
            from retrieval.llm import LlmAnswerer

            self.llm = LlmAnswerer.from_settings(settings, self.composer)

    @classmethod
    def open(cls, settings: Settings | None = None, index: PanelIndex | None = None) -> Assistant:
        settings = settings or Settings.load()
        return cls(settings, index or PanelIndex(settings))

    def reference_date(self) -> date:
        """"Last July" means the July before the newest paper in the index, not before today."""
        keys = [int(m.get("meeting_key", 0)) for m in self.index.documents().values()]
        newest = max(keys, default=0)
        if newest:
            return date(newest // 10000, newest // 100 % 100, newest % 100)
        return date.today()

    def understand(self, question: str, history=None) -> Query:
        return understand(question, self.glossary, history, today=self.reference_date())

    def retrieve(self, question: str, history=None, filters: dict | None = None,
                 k: int = 8) -> tuple[Query, list[Candidate]]:
        query = self.understand(check_question(question), history)
        return query, self.searcher.search(query, k=k, where=where_from_filters(filters))

    def ask(self, question: str, history=None, filters: dict | None = None) -> Answer:
        started = time.perf_counter()
        question = check_question(question)
        query, candidates = self.retrieve(question, history, filters)
        if self.llm is not None:
            answer = self.llm.answer(question, query, candidates)
        else:
            answer = self.composer.compose(question, query, candidates)
        answer.retrieved = [{"document": c.meta.get("document"), "page": int(c.meta.get("page_start", 0)),
                             "page_end": int(c.meta.get("page_end", 0)), "kind": c.meta.get("kind"),
                             "dense": round(c.dense, 4), "chunk_id": c.id} for c in candidates]
        answer.seconds = time.perf_counter() - started
        return answer
