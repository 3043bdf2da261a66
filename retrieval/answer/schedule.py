"""When, how often and where a committee meets: the meetings the papers hold, the dates a committee reserved,
the room a meeting was held in, and the hours it sits (``ScheduleAnswerer.hours``).

"How often does the panel meet?", "when does the panel meet?", "when is the next meeting?": no sentence of
the papers says "six times a year", but the index knows every meeting of the committee (its own papers, its
minutes, later minutes naming it: ``retrieval.meetings``), and a pack's minutes may resolve the dates
reserved for the coming year. The answer lists the committee's meetings in the papers held, oldest to
newest, each date cited to the page that shows the meeting, after the best sentence that lists meeting dates,
where the retrieved passages hold one. Counting or averaging is left to the reader: every
date shown stands in the page it cites.

"Where was the 23 Oct 2015 panel meeting held?", "which room is the 29 January 2019 meeting in?": the sentence
of any paper that says where that meeting (of the committee meant) was or will be held ("MINUTES of a meeting of
the Corporate Parenting Panel held in Swale 1, Sessions House, ... on Friday, 23 October 2015"); where the
meeting is known but no paper says where, the answer says so, rather than give another meeting's room.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from core.dates import find_dates, human_date
from core.records import Filters, StoredChunk
from retrieval.answer.citations import Answer, Unit
from retrieval.answer.compose import Composer, Lines, minute_prefix
from retrieval.answer.guard import finish, refuse
from retrieval.answer.units import split_units
from retrieval.hybrid import Candidate, HybridSearcher
from retrieval.meetings import MeetingCalendar, meeting_day
from retrieval.query import WHERE_ASKED, Intent, Query

SCHEDULE_QUESTION = re.compile(
    r"\bhow\s+(?:often|frequently|many\s+times)\b.{0,60}?\bmeet|\bwhen\s+(?:does|do|will)\b.{0,60}?\bmeet\b|"
    r"\bmeeting\s+dates\b|\bdates?\s+of\s+(?:the\s+)?(?:next\s+|future\s+)?meetings?\b|"
    r"\bwhen\s+is\s+(?:the|its)\s+next\s+meeting\b|"
    # "when and where was the first KCPG meeting of 2016 booked for?", "when's the last panel meeting this year?"
    r"\bwhen\b[^?]{0,40}?\b(?:first|next|last|final)\s+(?:[\w-]+\s+){0,5}?meeting\b", re.I)
DATES_SENTENCE = re.compile(r"\bmeetings?\b|\bdates\b", re.I)
VENUE_QUESTION = re.compile(rf"{WHERE_ASKED.pattern}|\b(?:which|what)\s+(?:room|venue|building)\b", re.I)
# "... held in Swale 1, Sessions House ... on Friday, 23 October 2015", "will be held in the Council Chamber":
# a place named with a capital after "held in / at".
HELD_AT = re.compile(r"\b(?:held|take place|took place)\s+(?:in|at)\s+(?:the\s+)?(?P<venue>(?-i:[A-Z0-9])[^.;]{1,100}?)"
                     r"\s+on\s+(?P<date>(?:[A-Za-z]+day,?\s+)?\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]+,?\s+\d{4})", re.I)
# An agenda's front sheet names its room under the meeting's date ("Tuesday, 8th December, 2015, at 1.00 pm" then
# "Darent Room, Sessions House, County Hall,"): a line with a place's word, capitalised.
VENUE_WORD = re.compile(r"\b(?:Room|Chamber|House|Hall|Centre|Center|Suite|Offices)\b")
VENUE_LINES = 3  # how far below the date line the front sheet's room may be
# "what time does the 13 March 2025 full council start, and when is it due to finish?": a meeting's hours
TIME_QUESTION = re.compile(r"\bwhat\s+time\b|\b(?:start|finish|end)\s+time\b|\bwhen\b[^?]{0,60}?\b(?:start|begin|"
                           r"commence|finish|end|close)s?\b", re.I)
CLOCK_TIME = re.compile(r"\b\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)(?!\w)|\bnoon\b|\bmidday\b", re.I)
FRONT_PAGES = 3  # the pages of a meeting's own papers that say when it sits (the summons, the front sheet)
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
        if not lines and listed:
            # a list of dates shares few of the question's words ("Next Meetings 29th February 2016 at Oakwood House
            # ..." for "when was the first meeting of 2016 booked for?"): the best found of those lists leads
            best = min(listed, key=lambda u: (u.rank, -u.meaning))
            lines = [(minute_prefix(best) + best.text, [best])]
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

    def venue(self, question: str, query: Query, candidates: list[Candidate],
              filters: Filters | None = None) -> Answer | None:
        """Where a meeting named by its date was held (None for any other question, or a day no meeting of the
        committee meant is known on: the usual answer, and its refusal, stand)."""
        day = meeting_day(query.text)
        if day is None or query.parts or not VENUE_QUESTION.search(query.text):
            return None
        committee = self.committee_meant(query, filters)
        held = [m for m in self.calendar().on(day.isoformat()) if not committee or m.committee == committee]
        if not held:
            return None
        names = {m.committee.lower() for m in held}
        said = next((unit for chunk in self.searcher.chunks if HELD_AT.search(chunk.text)
                     for unit in split_units(chunk, 0) if _held_on(unit.text, day)
                     and (chunk.committee or "").lower() in names | {""}
                     and any(name in unit.text.lower() for name in names)), None)
        papers = {paper for m in held for paper in m.papers}
        said = said or next((unit for chunk in self.searcher.chunks if chunk.document in papers
                             and chunk.page_start == 1 for unit in _front_sheet_venue(chunk, day)), None)
        answer = Answer(question=question, text="", answered=False, query=query.text)
        if said is None:
            when = human_date(day.isoformat())
            return refuse(answer, candidates, f"no paper found says where the meeting of {when} was held")
        answer.confidence, answer.sure = 0.9, True
        return finish(answer, [(said.text, [said])])

    def hours(self, question: str, query: Query, candidates: list[Candidate],
              filters: Filters | None = None) -> Answer | None:
        """When a meeting named by its date starts and is due to end, from the first pages of its own papers (the
        summons: "... on Thursday, 13th March, 2025 at 10.00 am ... The meeting is scheduled to end by 4.30 pm."),
        else from its minutes' lines naming the day and a time; where the meeting is known but no paper says, the
        answer says so. None for any other question, or a day no meeting is known on."""
        if not TIME_QUESTION.search(query.text) or query.intent == Intent.DECISION:
            return None
        days = find_dates(query.text)
        if not days:
            return None
        day = days[0]
        committee = self.committee_meant(query, filters)
        held = [m for m in self.calendar().on(day.isoformat()) if not committee or m.committee == committee]
        if not held:
            return None
        papers = {paper for m in held for paper in m.papers}
        timed = [unit for chunk in self.searcher.chunks if chunk.document in papers and chunk.page_start <= FRONT_PAGES
                 for unit in split_units(chunk, 0) if CLOCK_TIME.search(unit.text)]
        # the sentence naming the day (when it starts), then one naming no date at all (when it is due to end): never
        # the same sentence twice
        starts = [u for u in timed if day in find_dates(u.text)]
        chosen = [*starts[:1], *[u for u in timed if not find_dates(u.text)][:1]]
        if not chosen:
            minutes = {(pages.document, page) for m in held for pages in m.minutes
                       for page in range(pages.first_page, pages.last_page + 1)}
            chosen = [unit for chunk in self.searcher.chunks if (chunk.document, chunk.page_start) in minutes
                      for unit in split_units(chunk, 0) if CLOCK_TIME.search(unit.text) and day in find_dates(unit.text)
                      ][:1]
        answer = Answer(question=question, text="", answered=False, query=query.text)
        if not chosen:
            return refuse(answer, candidates, f"no paper found says what time the meeting of "
                                              f"{human_date(day.isoformat())} sits")
        answer.confidence, answer.sure = 0.9, True
        # (quoted whole where the question asks where too: a front sheet's room follows its time)
        shown = (lambda text: text) if VENUE_QUESTION.search(query.text) else _up_to_time
        return finish(answer, [(shown(unit.text), [unit]) for unit in chosen])

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


def _up_to_time(text: str, least: int = 200) -> str:
    """A long unit of a front sheet ("AGENDA CORPORATE PARENTING PANEL Tuesday, 8th December, 2015, at 1.00 pm Ask
    for: ... Membership (15) ...") quoted up to its first time of day; a sentence as it is."""
    found = CLOCK_TIME.search(text)
    return text if len(text) <= least or found is None else text[: found.end()] + " …"


def _held_on(text: str, day: date) -> bool:
    """The text says where the meeting of ``day`` was held: "held in <a place> on <that day>" (not "held in
    November 2015", a month named where the place would be)."""
    return any(day in find_dates(m["date"]) and not find_dates(m["venue"]) for m in HELD_AT.finditer(text))


def _front_sheet_venue(chunk: StoredChunk, day: date) -> list[Unit]:
    """The meeting's date line of an agenda's first page with the room printed under it, as one unit ("Tuesday,
    8th December, 2015, at 1.00 pm Ask for: ... Darent Room, Sessions House, County Hall,")."""
    lines = chunk.text.split("\n")
    offset = 0
    for n, line in enumerate(lines):
        if day in find_dates(line):
            below = lines[n + 1 : n + 1 + VENUE_LINES]
            room = next((text for text in below if VENUE_WORD.search(text)), None)
            if room is not None:
                shown = " ".join(lines[n : n + 1 + below.index(room) + 1])
                return [Unit(" ".join(shown.split()), chunk, 0, chunk.page_at(offset))]
        offset += len(line) + 1
    return []
