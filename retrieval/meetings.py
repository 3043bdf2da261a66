"""Meetings in the papers, and follow-ups that name one by its place in the conversation: "the next
meeting", "the meeting before", "that meeting".

A meeting is a committee and a date. The index knows of one in three ways, all read from typed records:

- papers written for it: a document's meeting date (an agenda pack, a report);
- its minutes: passages recorded at it (a minute number, or a decision), in whatever paper prints them.
  Minutes are usually printed in the pack of the meeting after (the 29 January 2019 pack holds the
  minutes of 1 November 2018), which is why a passage carries the meeting it records, not its pack's;
- a later paper of the same committee that names it: "the minutes of the meeting held on 1 June 2018
  are correctly recorded", "Minutes of the meeting of the Panel held on 19 July 2018 (Pages 5 - 16)".

A follow-up is resolved against the meeting the conversation was about: the meeting an earlier answer
names (decisions and minutes lead with their meeting's date), else one its question names, else the
meeting of the passages it cited (the caller finds those, as only the answer layer can).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from core.dates import DAY_MONTH_YEAR, MONTH_NAME, find_dates, find_month, human_date
from core.records import ChunkKind, DocumentRecord, Filters, StoredChunk
from retrieval.query import DATE_PHRASE, DECISION_WORDS, FOLLOW_UP_START, STOPWORDS

Turn = tuple[str, str]  # (question, the answer's text) of an earlier turn
# The committees and meeting dates of the passages an earlier turn's answer cited (found by the caller).
CitedMeetings = Callable[[int], list[tuple[str | None, str | None]]]


class MeetingReference(StrEnum):
    NEXT = "next"
    PREVIOUS = "previous"
    SAME = "same"


# "The last meeting" in a follow-up is the one before the meeting talked about (a question on its own
# keeps meaning the latest: no conversation, no reference).
REFERENCES: tuple[tuple[MeetingReference, re.Pattern[str]], ...] = (
    (MeetingReference.NEXT, re.compile(
        r"\b(?:the\s+)?(?:next|following|subsequent)\s+meeting\b|\bthe\s+meeting\s+after(?:\s+(?:that|this|it))?\b",
        re.I)),
    (MeetingReference.PREVIOUS, re.compile(
        r"\b(?:the\s+)?(?:previous|preceding|prior|last|earlier)\s+meeting\b"
        r"|\bthe\s+meeting\s+before(?:\s+(?:that|this|it))?\b", re.I)),
    (MeetingReference.SAME, re.compile(r"\b(?:the\s+)?same\s+meeting\b|\b(?:that|this)\s+meeting\b", re.I)),
)
# Words that ask what a meeting did, rather than about a topic: such a question gets the meeting's decisions.
BUSINESS_WORDS = frozenset("""happen happens happened happening discuss discussed discussion decide decided decision
decisions resolve resolved resolution agree agreed take took place done say said occur occurred there then
meeting""".split())
# A later paper naming a meeting of its own committee: "the minutes of the [Panel] meeting [of this Panel] held on
# <date>". The words between must be the committee's own ("the Panel"), not another body's.
NAMED_MEETING = re.compile(r"\bminutes\s+of\s+the\s+(?P<before>(?:[\w'-]+\s+){0,5}?)meeting\s+"
                           r"(?:of\s+(?P<of>(?:[\w'-]+\s+){0,6}?))?held\s+on\s+(?:\w+day,?\s+)?(?P<date>"
                           + DAY_MONTH_YEAR.pattern + ")", re.I)
GENERIC_BODY = frozenset({"the", "this", "our", "its", "committee"})


@dataclass(frozen=True)
class MinutesPages:
    """Where a meeting's minutes are printed: a document and its PDF pages."""

    document: str
    title: str
    first_page: int
    last_page: int


@dataclass
class Meeting:
    committee: str
    date: str  # ISO
    papers: list[str] = field(default_factory=list)  # documents written for it
    minutes: list[MinutesPages] = field(default_factory=list)
    # Passages that show it took place (its pack's front page, a minute naming it): what a reply cites.
    shown_by: list[str] = field(default_factory=list)

    @property
    def key(self) -> int:
        return int(self.date.replace("-", ""))

    @property
    def label(self) -> str:
        return human_date(self.date) or self.date

    @property
    def has_minutes(self) -> bool:
        return bool(self.minutes)


MONTH_YEARS_BACK = 10  # how many years back "last July" may reach for a July with a meeting


class MeetingCalendar:
    """Every meeting the index knows of, by committee and in date order."""

    def __init__(self, meetings: Iterable[Meeting]):
        self.by_committee: dict[str, list[Meeting]] = {}
        for meeting in sorted(meetings, key=lambda m: m.key):
            self.by_committee.setdefault(meeting.committee, []).append(meeting)

    @classmethod
    def from_records(cls, documents: Iterable[DocumentRecord], chunks: Sequence[StoredChunk]) -> MeetingCalendar:
        found: dict[tuple[str, str], Meeting] = {}

        def meeting(committee: str, day: str) -> Meeting:
            return found.setdefault((committee, day), Meeting(committee, day))

        titles = {}
        for record in documents:
            titles[record.document] = record.title
            if record.committee and record.meeting_date:
                meeting(record.committee, record.meeting_date).papers.append(record.document)
        pages: dict[tuple[str, str, str], list[int]] = {}
        # What shows a meeting took place, best first: its own papers' front page, its minutes, a later mention.
        own_papers: dict[tuple[str, str], list[StoredChunk]] = {}
        in_minutes: dict[tuple[str, str], list[StoredChunk]] = {}
        named_in: dict[tuple[str, str], list[StoredChunk]] = {}
        for chunk in chunks:
            if not (chunk.committee and chunk.meeting_date):
                continue
            key = (chunk.committee, chunk.meeting_date)
            if chunk.minute or chunk.kind == ChunkKind.DECISION:
                pages.setdefault((*key, chunk.document), []).extend((chunk.page_start, chunk.page_end))
                in_minutes.setdefault(key, []).append(chunk)
            elif key in found and chunk.document in found[key].papers:
                own_papers.setdefault(key, []).append(chunk)
            for named in named_meetings(chunk):
                meeting(chunk.committee, named)
                named_in.setdefault((chunk.committee, named), []).append(chunk)
        for (committee, day, document), numbers in pages.items():
            meeting(committee, day).minutes.append(
                MinutesPages(document, titles.get(document, document), min(numbers), max(numbers)))
        for key, item in found.items():
            front = sorted(own_papers.get(key, []), key=lambda c: (c.page_start, c.id))[:3]
            dated = [c for c in front if any(d.isoformat() == item.date for d in find_dates(c.text))]
            first_minute = sorted(in_minutes.get(key, []), key=lambda c: (c.page_start, c.id))[:1]
            shown = (dated or front)[:1] + first_minute + named_in.get(key, [])[:1]
            item.shown_by = list(dict.fromkeys(c.id for c in shown))
        return cls(found.values())

    def meetings(self, committee: str) -> list[Meeting]:
        return self.by_committee.get(committee, [])

    def on(self, day: str) -> list[Meeting]:
        """The meetings held on that day (of any committee)."""
        return [m for meetings in self.by_committee.values() for m in meetings if m.date == day]

    def in_month(self, year: int, month: int) -> list[Meeting]:
        prefix = f"{year:04d}-{month:02d}-"
        return [m for meetings in self.by_committee.values() for m in meetings if m.date.startswith(prefix)]

    def latest_month_held(self, year: int, month: int) -> tuple[int, int]:
        """(year, month) itself where a meeting was held in it, else the latest such month of an earlier year (the
        same month where none was)."""
        held = [y for y in range(year, year - MONTH_YEARS_BACK, -1) if self.in_month(y, month)]
        return (held[0], month) if held else (year, month)

    def latest_on_day_of_year(self, month: int, day: int) -> int | None:
        """The date (YYYYMMDD) of the latest meeting held on that day and month of any year: a question's "on 9
        jan" names it."""
        keys = [m.key for meetings in self.by_committee.values() for m in meetings
                if m.key // 100 % 100 == month and m.key % 100 == day]
        return max(keys, default=None)

    def after(self, meeting: Meeting) -> Meeting | None:
        meetings = self.meetings(meeting.committee)
        at = bisect_right([m.key for m in meetings], meeting.key)
        return meetings[at] if at < len(meetings) else None

    def before(self, meeting: Meeting) -> Meeting | None:
        meetings = self.meetings(meeting.committee)
        at = bisect_left([m.key for m in meetings], meeting.key)
        return meetings[at - 1] if at > 0 else None


def named_meetings(chunk: StoredChunk) -> list[str]:
    """The dates of meetings of the chunk's own committee that its text names as having had minutes."""
    committee_words = set(re.findall(r"[a-z]+", (chunk.committee or "").lower()))
    named = []
    for text in (chunk.text, chunk.minute_title or ""):
        for match in NAMED_MEETING.finditer(text):
            body = set(re.findall(r"[a-z]+", f"{match['before']} {match['of'] or ''}".lower())) - GENERIC_BODY
            if not body <= committee_words:
                continue  # "the Kent Corporate Parenting Group": another body's meeting
            found = find_dates(match["date"])
            if found and found[0].isoformat() not in named:
                named.append(found[0].isoformat())
    return named


# "at its meeting on 23 January 2025", "at full council on 13 February 2025", "the panel of 1 Nov 2018"
MEETING_ON = re.compile(r"\b(?:meeting|council|cabinet|panel|committee|board)\b[^.?!]{0,30}?\b"
                        r"(?:on|of|held\s+on|dated)\s+(?:the\s+)?(?P<date>[^.?!]{6,30})", re.I)


# ... and the date before the meeting's word: "at the 29 jan 2019 meeting", "the 1 November 2018 panel"
DATED_MEETING = re.compile(r"\b(?P<date>\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4})\s+"
                           r"(?:meeting|council|cabinet|panel|committee|board)\b", re.I)


# ... or the day a body decided something: "what did Cabinet decide when it reconsidered the decision on 4 March
# 2025?"
DECIDED_ON = re.compile(r"\b(?:cabinet|council|panel|committee|board)\b[^.?!]{0,20}?\b(?:decide|decided|resolve|"
                        r"resolved|agree|agreed|reconsider|reconsidered)\b[^.?!]{0,80}?\bon\s+(?:the\s+)?"
                        r"(?P<date>[^.?!]{6,30})", re.I)


# ... or by its month: "at its March 2025 meeting", "at the nov 2018 panel", "at the meeting in January 2019"
MONTH_MEETING = re.compile(rf"\b{MONTH_NAME}[a-z]*\.?,?\s+(?:\d{{4}}\s+|'?\d{{2}}\s+)?(?:meeting|panel|cabinet)\b",
                           re.I)
MEETING_IN_MONTH = re.compile(rf"\bmeeting\s+(?:held\s+)?(?:in|of|during)\s+(?:the\s+)?{MONTH_NAME}\b", re.I)
# ... or a body deciding in a month: "what did County Council decide in March 2025 on ...?" (not "... resolve on 9
# january about the elections due in may")
DECIDED_IN_MONTH = re.compile(rf"\b(?:cabinet|council|panel|committee|board)\b[^?.]{{0,30}}?\b(?:decide|resolve|agree|"
                              rf"approve|vote)d?\s+(?:(?!about|due|for|of|on|the)\w+\s+){{0,3}}?in\s+{MONTH_NAME}\b",
                              re.I)


def names_meeting_month(question: str) -> bool:
    """The question asks about a meeting by its month ("what did Council decide at its March 2025 meeting?")."""
    return bool(MONTH_MEETING.search(question) or MEETING_IN_MONTH.search(question)
                or DECIDED_IN_MONTH.search(question))


def meeting_day(question: str) -> date | None:
    """The day of the meeting a question asks about by its date ("at its meeting on 23 January 2025", "at the
    29 jan 2019 meeting", "what did Cabinet decide when it reconsidered it on 4 March 2025?")."""
    for match in [*MEETING_ON.finditer(question), *DATED_MEETING.finditer(question), *DECIDED_ON.finditer(question)]:
        if found := find_dates(match["date"]):
            return found[0]
    return None


def find_reference(question: str) -> tuple[MeetingReference, re.Match[str]] | None:
    """The first meeting reference in the question ("the next meeting"), and where it is."""
    found = [(kind, match) for kind, pattern in REFERENCES if (match := pattern.search(question))]
    return min(found, key=lambda pair: pair[1].start()) if found else None


@dataclass
class MeetingFollowUp:
    """A question that names a meeting by its place, resolved: the meeting it means and the question to search."""

    reference: MeetingReference
    anchor: Meeting  # the meeting the conversation was about
    meeting: Meeting | None  # the meeting meant; None when the papers hold none there
    question: str  # what to search: the meeting named by its date
    asks_business: bool  # "what happened at ...": the meeting's decisions, not a topic

    @property
    def asks_decisions(self) -> bool:
        """What a meeting decided is known only from its minutes."""
        return self.asks_business or bool(DECISION_WORDS.search(self.question))

    def heading(self) -> str:
        """Which meeting is meant, in words; its date comes first, so a further follow-up reading this answer
        finds this meeting."""
        committee = self.anchor.committee
        if self.meeting is None:
            where, edge = ("after", "latest") if self.reference == MeetingReference.NEXT else ("before", "earliest")
            return (f"The papers hold no meeting of the {committee} {where} the meeting of {self.anchor.label} "
                    f"(the {edge} of its meetings in the papers), so what happened {where} it is not known.")
        if self.reference == MeetingReference.SAME:
            return f"The meeting meant is that of the {committee} on {self.meeting.label}"
        which, how = ("next", "after") if self.reference == MeetingReference.NEXT else ("previous", "before")
        return f"The {which} meeting of the {committee} in the papers is {self.meeting.label}, {how} the meeting " \
               f"of {self.anchor.label}"

    @property
    def searchable(self) -> bool:
        """Whether the papers can say: the meeting's minutes, or for a question that is not about what was
        decided, the papers put to it."""
        if self.meeting is None:
            return False
        return self.meeting.has_minutes or (bool(self.meeting.papers) and not self.asks_decisions)

    def statement(self, answered: bool) -> str:
        """The sentence the answer opens with: the meeting meant, and whether its minutes are in the papers."""
        heading = self.heading()
        if self.meeting is None:
            return heading
        if self.meeting.has_minutes:
            where = "; ".join(f"{m.title}, PDF pages {m.first_page}-{m.last_page}" for m in self.meeting.minutes)
            return f"{heading}. Its minutes are in the papers ({where}){':' if answered else '.'}"
        if not self.searchable:
            return f"{heading}; its minutes are not among the papers indexed, so what happened there is not known."
        return f"{heading}; its minutes are not among the papers indexed" + (
            ", so this is from the papers put to it:" if answered else ".")

    def filters(self, given: Filters | None) -> Filters:
        """The search narrowed to the meeting: its committee and date (a document filter is kept only where
        that document holds the meeting's papers or minutes)."""
        assert self.meeting is not None
        given = given or Filters()
        holders = set(self.meeting.papers) | {m.document for m in self.meeting.minutes}
        document = given.document if given.document in holders else None
        return replace(given, document=document, committee=self.meeting.committee,
                       date_from=self.meeting.key, date_to=self.meeting.key)


def _turns(history) -> list[Turn]:
    """History as (question, answer) pairs; a bare string is a question whose answer is not known."""
    turns = []
    for turn in history or []:
        if isinstance(turn, str):
            turns.append((turn, ""))
        else:
            turns.append((str(turn[0] or ""), str(turn[1] or "") if len(turn) > 1 else ""))
    return turns


def _pick(candidates: list[Meeting], text: str) -> Meeting | None:
    """Of meetings held on one day, the one whose committee the text names, else the one with minutes."""
    if not candidates:
        return None
    named = [m for m in candidates if m.committee.lower() in text.lower()]
    return (named or sorted(candidates, key=lambda m: (not m.has_minutes, not m.papers)))[0]


def meeting_named(text: str, calendar: MeetingCalendar) -> Meeting | None:
    """The first meeting the text names by its full date."""
    for day in find_dates(text):
        found = _pick(calendar.on(day.isoformat()), text)
        if found is not None:
            return found
    return None


def anchor_meeting(history, calendar: MeetingCalendar, cited: CitedMeetings | None = None,
                   turns_back: int = 3) -> Meeting | None:
    """The meeting the conversation was about, latest turn first: a meeting its answer's first line names (a
    decision or a minute leads with its meeting's date), one its question names (a date, or a month with one
    meeting), or the meeting of the passages its answer cited."""
    turns = _turns(history)
    for position in range(len(turns) - 1, max(-1, len(turns) - 1 - turns_back), -1):
        question, answer = turns[position]
        # The answer's first line (after a note of spellings read): its "Also:" lines may quote another meeting.
        lead = next((line for line in (answer or "").splitlines() if line.strip()
                     and not line.startswith("(Read ")), "")
        found = meeting_named(lead, calendar) or meeting_named(question, calendar)
        if found is None and (month := find_month(question)):  # "in July 2018": the one meeting that month
            in_month = calendar.in_month(*month)
            found = _pick(in_month, question) if len({m.date for m in in_month}) == 1 else None
        if found is None and answer and cited is not None:
            for committee, day in cited(position):
                meetings = [m for m in calendar.on(day or "") if m.committee == committee]
                if meetings:
                    found = meetings[0]
                    break
        if found is not None:
            return found
    return None


def topic_of(history, reference_free: Callable[[str], bool]) -> str | None:
    """The nearest earlier question that has a topic of its own, its dates removed."""
    for question, _ in reversed(_turns(history)):
        if reference_free(question):
            text = DATE_PHRASE.sub(" ", question)
            text = " ".join(text.split()).strip(" ?")
            if content_words(text):
                return text
    return None


def content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9%]+", text.lower()) if w not in STOPWORDS and len(w) > 1]


def _own_words(question: str, match: re.Match[str]) -> tuple[str, list[str]]:
    """The question without its meeting reference and follow-up opening, and its content words."""
    rest = f"{question[:match.start()]} {question[match.end():]}"
    rest = " ".join(FOLLOW_UP_START.sub("", rest.strip()).split())
    return rest, content_words(rest)


def resolve_follow_up(question: str, history, calendar: MeetingCalendar,
                      cited: CitedMeetings | None = None) -> MeetingFollowUp | None:
    """The meeting a follow-up means and the question to search for it; None when the question names no
    meeting by its place, or the conversation is about no meeting the papers hold."""
    if not history:
        return None
    found = find_reference(question)
    if found is None:
        return None
    reference, match = found
    anchor = anchor_meeting(history, calendar, cited)
    if anchor is None:
        return None
    if reference == MeetingReference.NEXT:
        meeting = calendar.after(anchor)
    elif reference == MeetingReference.PREVIOUS:
        meeting = calendar.before(anchor)
    else:
        meeting = anchor
    rest, words = _own_words(question, match)
    asks_business = all(w in BUSINESS_WORDS for w in words) and bool(words)
    search = question
    if meeting is not None:
        when = f"the meeting of {meeting.label}"
        if asks_business:  # the record of what happened at a meeting is its decisions
            search = f"What did the {meeting.committee} resolve at its meeting of {meeting.label}?"
        elif not words:  # "and at the next meeting?": the earlier question's topic, at that meeting
            topic = topic_of(history, lambda q: find_reference(q) is None)
            search = (f"{topic} at {when}?" if topic
                      else f"What did the {meeting.committee} resolve at its meeting of {meeting.label}?")
            asks_business = topic is None
        else:  # "who chaired that meeting?": the question, the meeting named by its date
            search = f"{question[:match.start()]}{when}{question[match.end():]}"
            search = " ".join(FOLLOW_UP_START.sub("", search.strip()).split())
    return MeetingFollowUp(reference=reference, anchor=anchor, meeting=meeting, question=search,
                           asks_business=asks_business)
