"""The extractive answer: the papers' own sentences, decisions and scorecard rows, each followed by its
citation. Nothing is generated, so nothing can be invented; ``guard`` numbers the citations, checks the
figures and refuses when the evidence is too weak.

Three shapes, by what the question asks (``retrieval.query.Intent``): a decision question lists each
decision with its committee, meeting, minute and title; a figure question gives the scorecard row's
value, period, target and previous value with the same indicator's trend across the scorecards; any
other question gets the best sentences of the passages, minute-stamped where they come from minutes.
"""

from __future__ import annotations

import numpy as np

from core.dates import DATE_WORD, find_month, human_date, month_label
from core.records import ChunkKind
from core.settings import AnswerSettings
from retrieval.answer.citations import REFUSAL, Answer, Unit
from retrieval.answer.figures import FigureSeries, same_indicator
from retrieval.answer.guard import finish, refuse
from retrieval.answer.units import row_unit, split_units
from retrieval.glossary import spell_out
from retrieval.hybrid import Candidate, HybridSearcher, tokenize
from retrieval.query import Intent, Query

Lines = list[tuple[str, list[Unit]]]
MEANING_WEIGHT = 0.3  # a scorecard row's score: 0.7 its words' coverage, 0.3 its meaning (tuned on the dev split)


class Composer:
    """Builds the answer from retrieved candidates; thresholds come from the answer settings (calibrated on
    the evaluation set, not per question)."""

    def __init__(self, searcher: HybridSearcher, settings: AnswerSettings | None = None, max_sentences: int = 4,
                 glossary: dict[str, str] | None = None):
        settings = settings or AnswerSettings()
        self.searcher = searcher
        self.glossary = glossary or {}
        self._row_matrix: np.ndarray | None = None
        self._row_signature: str | None = None
        self.figures = FigureSeries(searcher)
        self.min_coverage = settings.min_coverage
        self.min_dense = settings.min_dense
        self.max_sentences = max_sentences

    def coverage(self, query: Query, text: str) -> float:
        """Share of the question's content (idf-weighted) that the text holds; dates are judged by the
        search's boosts, not by words."""
        terms = {t for t in tokenize(query.expanded) if not DATE_WORD.fullmatch(t)}
        if not terms:
            return 0.0
        have = set(tokenize(text))
        total = sum(self.searcher.idf(t) for t in terms)
        return sum(self.searcher.idf(t) for t in terms if holds(have, t)) / total if total else 0.0

    def compose(self, question: str, query: Query, candidates: list[Candidate]) -> Answer:
        answer = Answer(question=question, text="", answered=False, query=query.text)
        if not candidates:
            answer.text = f"{REFUSAL} The index holds no papers that match (has anything been ingested?)."
            return answer
        units = [u for rank, c in enumerate(candidates) for u in split_units(c.chunk, rank)]
        for unit in units:
            labelled = unit.chunk.kind in (ChunkKind.DECISION, ChunkKind.TABLE)
            unit.coverage = self.coverage(query, unit.text + " " + (unit.chunk.header if labelled else ""))
        best_dense = max(c.dense for c in candidates[:3])
        best_coverage = max((u.coverage for u in units), default=0.0)
        strong = best_coverage >= self.min_coverage or best_dense >= self.min_dense + 0.15
        if not strong or best_dense < self.min_dense - 0.15:
            return refuse(answer, candidates, "nothing in them matches the question closely enough")

        lines: Lines = []
        if query.intent == Intent.FIGURE:
            lines = self._figure_lines(query, candidates)
            if query.month and not lines and not self._has_month(query, candidates):
                return refuse(answer, candidates, f"they hold no figure for {month_label(query.month)}")
        if query.intent == Intent.DECISION and not lines:
            lines = self._decision_lines(query, units)
        if not lines:
            lines = self._sentence_lines(query, units)
        if not lines:
            return refuse(answer, candidates, "no passage in them says it")
        return finish(answer, lines)

    @staticmethod
    def _has_month(query: Query, candidates: list[Candidate]) -> bool:
        for c in candidates:
            period = find_month(c.chunk.period or "")
            if period and period[0] * 100 + period[1] == query.month_key:
                return True
            if c.chunk.meeting_key // 100 == query.month_key:
                return True
        return False

    def _decision_lines(self, query: Query, units: list[Unit]) -> Lines:
        decisions = [u for u in units if u.chunk.kind == ChunkKind.DECISION and u.coverage >= self.min_coverage * 0.6]
        if query.month:
            in_month = [u for u in decisions if u.chunk.meeting_key // 100 == query.month_key]
            decisions = in_month or decisions
        if not decisions:
            return []
        best = max(u.coverage for u in decisions)
        decisions = [u for u in decisions if u.coverage >= best * 0.75]  # only decisions on the topic
        decisions.sort(key=lambda u: (-round(u.coverage, 1), u.rank))
        seen: set[str] = set()
        lines = []
        for unit in decisions[: self.max_sentences]:
            if unit.text in seen:
                continue
            seen.add(unit.text)
            chunk = unit.chunk
            when = human_date(chunk.meeting_date) or "an undated meeting"
            minute = f", minute {chunk.minute}" if chunk.minute else ""
            title = f" ({chunk.minute_title})" if chunk.minute_title else ""
            lines.append((f"**{chunk.committee or 'Meeting'}, {when}{minute}{title}:** {unit.text}", [unit]))
        return lines

    def row_meanings(self) -> np.ndarray:
        """Each scorecard row's indicator, acronyms spelt out ("CIC (children in care)"), as a unit vector
        (one row of the matrix per ``searcher.rows``); embedded once per index version, and the embedding
        cache makes a reopened index free."""
        if self._row_signature != self.searcher.signature:
            texts = [spell_out(row.indicator, self.glossary) for row in self.searcher.rows]
            vectors = self.searcher.index.embeddings.embed_documents(texts) if texts else []
            self._row_matrix = np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)
            self._row_signature = self.searcher.signature
        return self._row_matrix

    def _figure_lines(self, query: Query, candidates: list[Candidate]) -> Lines:
        """The scorecard row of the retrieved passages that best matches the question (the asked month's
        first), and the same indicator in the other scorecards as its trend. Rows are matched by words (the
        indicator and its passage's header) and by meaning (the indicator, acronyms spelt out, embedded and
        compared with the question's embedding): "average IRO caseload" finds "Ave Caseloads of IROs"."""
        pool = [(row, candidate.chunk, rank) for rank, candidate in enumerate(candidates)
                for row in self.searcher.rows_by_chunk.get(candidate.id, [])]
        similarity: dict[str, float] = {}
        if pool and query.vector is not None:
            sims = self.row_meanings() @ np.asarray(query.vector, dtype=np.float32)
            similarity = {row.id: float(sim) for row, sim in zip(self.searcher.rows, sims, strict=True)}
        scored = []
        for row, chunk, rank in pool:
            words = self.coverage(query, f"{row.indicator} {chunk.header}")
            score = (1 - MEANING_WEIGHT) * words + MEANING_WEIGHT * max(0.0, similarity.get(row.id, 0.0))
            scored.append((score, row_unit(row, chunk, rank)))
        if not scored:
            return []
        scored.sort(key=lambda r: (-round(r[0], 2), r[1].rank))
        top_score = scored[0][0]
        if top_score < self.min_coverage * 0.6:
            return []
        if query.month:  # the period asked for comes first, if its row is about as good a match
            scored = [r for r in scored if r[1].row.period_key == query.month_key and r[0] >= top_score - 0.2]
            if not scored:
                return []
        best = scored[0][1]
        row = best.row
        details = []
        if row.target:
            details.append(f"target {row.target}")
        if row.previous:
            details.append(f"previous period {row.previous}")
        if row.rag:
            details.append(f"RAG {row.rag}")
        extra = f" ({'; '.join(details)})" if details else ""
        lines = [(f"**{row.indicator}**: {row.value} in {row.period or 'the period reported'}{extra}.", [best])]
        trend = self.figures.trend(row.indicator)
        if len(trend) >= 2:
            points = "; ".join(f"{unit.row.period}: {unit.row.value}" for unit in trend)
            lines.append((f"Trend across the scorecards: {points}.", trend))
        return lines

    def _sentence_lines(self, query: Query, units: list[Unit]) -> Lines:
        usable = [u for u in units if u.coverage >= self.min_coverage * 0.6 and 6 <= len(u.text.split()) <= 80]
        usable.sort(key=lambda u: (-(u.coverage * 0.7 + 0.3 / (1 + u.rank))))
        chosen: list[Unit] = []
        for unit in usable:
            if any(unit.text == c.text for c in chosen):
                continue
            chosen.append(unit)
            if len(chosen) == self.max_sentences:
                break
        chosen.sort(key=lambda u: (u.rank, u.chunk.text.find(u.text[:30])))
        lines = []
        for n, unit in enumerate(chosen):
            text = unit.text
            if n == 0:  # the best sentence brings the one after it: answers often run on
                following = self._next_unit(unit, units)
                if following is not None and following not in chosen:
                    text = f"{text} {following.text}"
            lines.append((_minute_prefix(unit) + text, [unit]))
        return lines

    @staticmethod
    def _next_unit(unit: Unit, units: list[Unit]) -> Unit | None:
        same = [u for u in units if u.chunk is unit.chunk]
        position = next((i for i, u in enumerate(same) if u is unit), None)
        if position is None or position + 1 >= len(same):
            return None
        following = same[position + 1]
        return following if len(following.text.split()) <= 60 and following.page == unit.page else None


def holds(have: set[str], term: str) -> bool:
    """The text holds the term, or a word of the same stem: one word begins the other, and the shorter
    has at least five letters ("elect" / "elected", "chair" / "chairman", "adopt" / "adoption")."""
    if term in have:
        return True
    if len(term) < 5 or not term.isalpha():
        return False
    return any(len(word) >= 5 and (word.startswith(term) or term.startswith(word)) for word in have)


def _minute_prefix(unit: Unit) -> str:
    """A sentence from minutes says which meeting and minute it records, as a panel member wants."""
    chunk = unit.chunk
    if not chunk.minute:
        return ""
    when = human_date(chunk.meeting_date)
    return f"*(Minute {chunk.minute}{', ' + when if when else ''})* "


__all__ = ["Composer", "same_indicator"]
