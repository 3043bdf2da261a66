"""The contract others build on: ``Assistant.open(settings).ask(question, history, filters) -> Answer``.

One question's path: ``ask`` → ``retrieval.query.understand`` (follow-ups, dates, intent, acronyms) →
``retrieval.hybrid.HybridSearcher.search`` (typed chunks from the store) → ``compose.Composer.compose``
(or the optional ``llm.LlmAnswerer``) → ``guard.finish`` (numbered citations, the figure guard) or
``guard.refuse``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import date

from core.catalogue import Catalogue
from core.dates import from_key
from core.errors import check_question
from core.records import Filters
from core.settings import AnswerSettings, LlmSettings, Settings
from retrieval.answer.citations import REFUSAL, Answer
from retrieval.answer.compose import Composer
from retrieval.answer.figures import FigureSeries
from retrieval.glossary import build_glossary
from retrieval.hybrid import Candidate, HybridSearcher
from retrieval.query import Query, is_english, understand
from store.index import PanelIndex

# The extractive answer is ready at once; it is handed to ``on_token`` a sentence or a list line at a time.
PIECE = re.compile(r"(?<=\n)|(?<=\. )")


def selected(answer: Answer, candidates: list[Candidate]) -> list[Candidate]:
    """The passages an extractive answer cites, in the order it cites them."""
    by_id = {c.id: c for c in candidates}
    chosen = dict.fromkeys(c.chunk_id for c in answer.citations if c.chunk_id in by_id)
    return [by_id[chunk_id] for chunk_id in chosen] or candidates[:1]


class Assistant:
    def __init__(self, index: PanelIndex, answer: AnswerSettings | None = None, llm: LlmSettings | None = None,
                 council_glossary: dict[str, str] | None = None, searcher: HybridSearcher | None = None):
        self.index = index
        self.searcher = searcher or HybridSearcher(index)
        self.glossary = build_glossary(self.searcher.texts, council_glossary)
        self.composer = Composer(self.searcher, answer, glossary=self.glossary)
        self.figures: FigureSeries = self.composer.figures
        self.llm = None
        if llm is not None and llm.enabled:
            from retrieval.answer.llm import LlmAnswerer

            self.llm = LlmAnswerer.from_settings(llm)

    @classmethod
    def open(cls, settings: Settings | None = None, index: PanelIndex | None = None) -> Assistant:
        """The assistant over the configured index, each part given its section of the settings."""
        settings = settings or Settings.load()
        return cls(index or PanelIndex(settings.store), settings.answer, settings.llm,
                   Catalogue.load(settings.ingest.corpus_dir).glossary)

    def reference_date(self) -> date:
        """"Last July" means the July before the newest paper in the index, not before today."""
        newest = max((record.meeting_key for record in self.index.documents().values()), default=0)
        return from_key(newest) or date.today()

    def understand(self, question: str, history=None) -> Query:
        return understand(question, self.glossary, history, today=self.reference_date())

    def retrieve(self, question: str, history=None, filters: Filters | None = None,
                 k: int = 8) -> tuple[Query, list[Candidate]]:
        query = self.understand(check_question(question), history)
        return query, self.searcher.search(query, k=k, filters=filters)

    def ask(self, question: str, history=None, filters: Filters | None = None,
            on_token: Callable[[str], None] | None = None) -> Answer:
        """Answer from the papers, or refuse. ``on_token`` receives the answer's checked text as it is made
        (see ``llm.py`` for what streams in LLM mode); the returned answer is the whole, final one."""
        started = time.perf_counter()
        question = check_question(question)
        if not is_english(question):
            return Answer(question=question, answered=False, query=question, seconds=time.perf_counter() - started,
                          text=f"{REFUSAL} They are written in English: please ask again in English.")
        query, candidates = self.retrieve(question, history, filters)
        answer = self.composer.compose(question, query, candidates)
        if self.llm is not None and answer.answered:
            # The LLM writes from the passages the extractive answer selected (it refused already where
            # the refusal model said no); its text then passes the same gates.
            extractive = answer
            answer = self.llm.answer(question, query, selected(extractive, candidates), on_token=on_token)
            answer.confidence, answer.evidence = extractive.confidence, extractive.evidence
            answer.sure = extractive.sure
        elif on_token:
            for piece in PIECE.split(answer.text):
                if piece:
                    on_token(piece)
        answer.retrieved = [{"document": c.chunk.document, "page": c.chunk.page_start, "page_end": c.chunk.page_end,
                             "kind": str(c.chunk.kind), "dense": round(c.dense, 4), "chunk_id": c.id}
                            for c in candidates]
        answer.seconds = time.perf_counter() - started
        return answer
