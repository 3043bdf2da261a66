"""When and how often a committee meets: the meetings the papers hold, and the dates a committee reserved.

"How often does the panel meet?", "when does the panel meet?", "when is the next meeting?": no sentence of
the papers says "six times a year", but the index knows every meeting of the committee (its own papers, its
minutes, later minutes naming it: ``retrieval.meetings``), and a pack's minutes may resolve the dates
reserved for the coming year. The answer lists the committee's meetings in the papers held, oldest to
newest, each date cited to the page that shows the meeting, after the best sentence that lists meeting dates,
where the retrieved passages hold one. Counting or averaging is left to the reader: every
date shown stands in the page it cites.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from core.dates import find_dates
from core.records import Filters
from retrieval.answer.citations import Answer, Unit
from retrieval.answer.compose import Composer, Lines
from retrieval.answer.guard import finish
from retrieval.answer.units import split_units
from retrieval.hybrid import Candidate, HybridSearcher
from retrieval.meetings import MeetingCalendar
from retrieval.query import Intent, Query

SCHEDULE_QUESTION = re.compile(
    r"\bhow\s+(?:often|frequently|many\s+times)\b.{0,60}?\bmeet|\bwhen\s+(?:does|do|will)\b.{0,60}?\bmeet\b|"
    r"\bmeeting\s+dates\b|\bdates?\s+of\s+(?:the\s+)?(?:next\s+|future\s+)?meetings?\b|"
    r"\bwhen\s+is\s+(?:the|its)\s+next\s+meeting\b", re.I)
DATES_SENTENCE = re.compile(r"\bmeetings?\b|\bdates\b", re.I)
SHOWN = 12  # the newest meetings listed, each with its citation


class ScheduleAnswerer:
    def __init__(self, searcher: HybridSearcher, composer: Composer, calendar: Callable[[], MeetingCalendar],
                 committee_meant: Callable[[Query, Filters | None], str | None]):
        self.searcher = searcher
        self.composer = composer
        self.calendar = calendar  # read only for a question about meetings
        self.committee_meant = committee_meant

    def answer(self, question: str, query: Query, candidates: list[Candidate],
               filters: Filters | None = None) -> Answer | None:
        if not SCHEDULE_QUESTION.search(query.text) or query.parts or query.intent == Intent.DECISION:
            return None  # "did the panel agree its meeting dates?" is a decision; a question of two parts is composed
        committee = self.committee_meant(query, filters)
        if not committee:
            return None
        meetings = [m for m in self.calendar().meetings(committee) if m.shown_by][-SHOWN:]
        # The dates a committee set for its meetings, where a passage found lists them, answer first.
        units = self.composer.units(query, candidates) if candidates else []
        listed = [u for u in units if len(find_dates(u.text)) >= 3 and DATES_SENTENCE.search(u.text)]
        lines: Lines = self.composer._sentence_lines(query, listed)[:1]
        shown: list[tuple[str, Unit]] = []  # each meeting's date, with the sentence of its page that prints it
        for meeting in meetings:
            dated = next((u for u in self._printing(meeting.shown_by, meeting.date)), None)
            if dated is not None:
                shown.append((meeting.label, dated))
        if len(shown) >= 2:
            dates = "; ".join(label for label, _ in shown)
            lines.append((f"**Meetings of the {committee} in the papers held** (oldest first): {dates}.",
                          [unit for _, unit in shown]))
        if not lines:
            return None
        answer = Answer(question=question, text="", answered=False, query=query.text)
        answer.confidence, answer.sure = 0.9, True
        return finish(answer, lines)

    def _printing(self, chunk_ids: list[str], day: str):
        """Sentences (else lines) of the passages that show a meeting took place which print its date."""
        for chunk in filter(None, map(self.searcher.chunk_by_id, chunk_ids)):
            for unit in split_units(chunk, 0):
                if any(d.isoformat() == day for d in find_dates(unit.text)):
                    yield unit
            offset = 0
            for line in chunk.text.split("\n"):  # a minutes' opening line is no sentence of its own
                if any(d.isoformat() == day for d in find_dates(line)):
                    yield Unit(line.strip(), chunk, 0, chunk.page_at(offset))
                offset += len(line) + 1
