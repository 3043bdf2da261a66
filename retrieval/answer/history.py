"""Chat answers from a topic's history and the follow-up register (``retrieval.history``).

Three questions are answered from the history rather than from passages:

- "What has the panel decided about X over time?": the timeline, oldest first, each entry cited; "what
  is the panel's position on X" leads with the latest decision;
- "What is the panel still waiting for?": the open requests;
- "Did the update on X come back?": the requests on X, each with the later item that answered it, or
  "not yet seen in the papers indexed".

Every line cites the page of the entry it names (the figure guard checks its dates and numbers, as for
any answer). A question with no topic left once its frame is removed is not one of these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from core.dates import human_date
from retrieval.answer.citations import Answer, Unit
from retrieval.answer.guard import finish
from retrieval.answer.units import split_units
from retrieval.history import FollowUpRequest, History, HistoryEntry, TimelineEntry
from retrieval.hybrid import HybridSearcher


class HistoryAsk(StrEnum):
    TIMELINE = "timeline"
    POSITION = "position"
    WAITING = "waiting"
    CAME_BACK = "came back"


TIMELINE = re.compile(r"\b(?:over\s+time|history|timeline|track\s+record|"
                      r"all\s+(?:the\s+|its\s+|our\s+)?decisions)\b", re.I)
# Words that make a timeline only of a question about decisions: "how many UASC arrived so far in 2018"
# asks for a figure, "what has the panel decided so far about X" for a history.
TIMELINE_LOOSE = re.compile(r"\b(?:so\s+far|over\s+the\s+(?:years|months|meetings)|each\s+time|every\s+time)\b",
                            re.I)
DECISION_WORDS = re.compile(r"\b(?:decided?|decisions?|resolved?|resolutions?|agreed|discussed|considered|done)\b",
                            re.I)
POSITION = re.compile(r"\b(?:position|stance|view|current\s+policy)\s+(?:on|about|regarding)\b", re.I)
# Waiting is the panel's only when it says so: "what is the panel still waiting for?", "which actions are
# outstanding?"; "how long were young people waiting on average for a CAMHS assessment?" asks a figure, and a
# home rated "outstanding" is no open request.
WAITING = re.compile(r"\b(?:we|us|panel|committee|members|cabinet|council)\b(?:\s+[\w'’]+){0,2}?\s+"
                     r"waiting\s+(?:for|on)\b|"
                     r"\bstill\s+(?:waiting|outstanding|open)\b|"
                     r"\boutstanding\s+(?:requests?|actions?|items?|reports?|updates?|follow[- ]?ups?|matters?)\b|"
                     r"\b(?:requests?|actions?|items?|reports?|updates?|follow[- ]?ups?|matters?)\s+(?:\w+\s+)?"
                     r"(?:are|is)\s+(?:still\s+)?outstanding\b|"
                     r"\bopen\s+(?:requests?|actions?|items?)|yet\s+to\s+(?:come|receive|see|hear)|not\s+(?:yet\s+)?come\s+back|"
                     r"\bfollow[- ]?ups?\s+(?:requested|asked|outstanding|open|still|the\s+panel|we)\b|"
                     r"\b(?:panel|committee|our)(?:'s|’s)?\s+follow[- ]?ups?\b|action\s+log|asked\s+for\s+but", re.I)
CAME_BACK = re.compile(r"\b(?:come|came|been\s+brought|brought|reported|get|got)\s+back\b|\bever\s+(?:came|come|arrived"
                       r"|received|presented)\b|\bwas\s+(?:it|the\s+\w+)\s+(?:ever\s+)?(?:received|presented|submitted)\b",
                       re.I)
# ... not as a time clause: "what did the panel resolve when the Lifelong Links challenge card came back to us?" asks
# a decision ("when did the update come back?" still asks the history)
BACK_AS_WHEN = re.compile(r"\bwhen\s+(?!(?:did|was|were|will|is|has|have|does|do|had)\b)[^?]{0,80}?\b"
                          r"(?:came|comes|come)\s+back\b", re.I)
# A question asking a quantity is a figure question, not a history ("how many missing children came back?").
FIGURE_ASK = re.compile(r"\b(?:how\s+(?:many|much|long)|what\s+(?:percentage|proportion|number)|number\s+of|"
                        r"average)\b", re.I)
# The frame of such a question, which is not its topic.
FRAME_WORDS = frozenset("""what whats what's has have had did does do is are was were the a an this that these panel
panels committee committees council members member we our us they decided decide decisions decision resolved resolve
resolutions agreed agree said say done do about on regarding over time history timeline so far years months meetings
each every all its track record position stance view current policy still waiting wait for outstanding open requests
request actions action items item yet to come came back brought been reported report get got ever arrived received
presented submitted follow follow-up follow-ups followup ups up asked ask requested log but of in at with any there
it which when how many anything please tell me show list give update updates""".split())
MAX_LINES = 12


@dataclass(frozen=True)
class HistoryQuestion:
    ask: HistoryAsk
    topic: str  # "" when the question names none ("what are we still waiting for?")


def read_history_question(question: str) -> HistoryQuestion | None:
    """Which history a question asks for, and its topic; None for any other question."""
    topic = " ".join(w for w in re.findall(r"[\w'’-]+", question)
                     if re.sub(r"['’]s$", "", w.lower()).strip("'’") not in FRAME_WORDS)
    if WAITING.search(question):
        return HistoryQuestion(HistoryAsk.WAITING, topic)
    if FIGURE_ASK.search(question):
        return None
    if CAME_BACK.search(question) and topic and not BACK_AS_WHEN.search(question):
        return HistoryQuestion(HistoryAsk.CAME_BACK, topic)
    if POSITION.search(question) and topic:
        return HistoryQuestion(HistoryAsk.POSITION, topic)
    timeline = TIMELINE.search(question) or (TIMELINE_LOOSE.search(question) and DECISION_WORDS.search(question))
    if timeline and topic:
        return HistoryQuestion(HistoryAsk.TIMELINE, topic)
    return None


class HistoryAnswerer:
    def __init__(self, searcher: HybridSearcher):
        self.searcher = searcher

    def _unit(self, entry: HistoryEntry) -> Unit | None:
        """The entry's cited words as a unit of its passage (a decision is its whole passage)."""
        chunk = self.searcher.chunk_by_id(entry.chunk_id)
        if chunk is None:
            return None
        units = split_units(chunk, 0)
        if entry.decision and units and len(units) == 1:
            return units[0]
        for unit in units:
            if unit.text == entry.quote:
                return unit
        for unit in units:  # the quote is the start of a long sentence (a report's cover block)
            if entry.quote and unit.text.startswith(entry.quote):
                return Unit(entry.quote, chunk, 0, unit.page)
        return units[0] if units else None

    @staticmethod
    def _place(entry: HistoryEntry) -> str:
        title = f" *{entry.title}*" if entry.title else ""
        return f"**{human_date(entry.meeting_date)}**, {entry.committee}, {entry.label}{title}"

    def _entry_line(self, timeline_entry: TimelineEntry) -> tuple[str, list[Unit]] | None:
        entry = timeline_entry.entry
        unit = self._unit(entry)
        if unit is None:
            return None
        if entry.decision:
            said = f": {unit.text}"
        elif entry.kind == "item":
            said = " (a paper on the agenda)"
        else:
            said = " (discussed; no decision recorded)"
        later = timeline_entry.updated_by
        note = f" (updated by the decision of {human_date(later.meeting_date)})" if later else ""
        return f"{self._place(entry)}{said}{note}", [unit]

    def answer(self, question: str, asked: HistoryQuestion, history: History, committee: str | None) -> Answer | None:
        """The answer, or None when the history holds nothing on the topic (the question is then asked as
        any other)."""
        answer = Answer(question=question, text="", answered=False, query=asked.topic or question)
        if asked.ask in (HistoryAsk.TIMELINE, HistoryAsk.POSITION):
            timeline = history.timeline(asked.topic, committee)
            if not timeline:
                return None
            lines = [line for line in map(self._entry_line, timeline[:MAX_LINES]) if line]
            intro = f"The history of {asked.topic} in the papers, oldest first"
            intro += " (the oldest shown here; the Decisions tab lists them all):" if len(timeline) > MAX_LINES else ":"
            if asked.ask == HistoryAsk.POSITION:
                decided = [t for t in timeline if t.entry.decision and t.updated_by is None]
                if decided and (latest := self._entry_line(decided[-1])):
                    intro = f"The latest decision first, then the history of {asked.topic}, oldest first:"
                    lines.insert(0, (f"Latest: {latest[0]}", latest[1]))
            return self._finish(answer, intro, lines)
        if asked.ask == HistoryAsk.WAITING:
            found = history.requests_about(asked.topic) if asked.topic else [(r, 1.0) for r in history.requests]
            requests = [r for r, _ in found if not r.answered and (committee is None or r.committee == committee)]
            if not requests:
                if not history.requests:
                    return None
                answer.text = "No request in the papers indexed is still open: each was answered at a later meeting."
                answer.answered = True
                return answer
            requests.sort(key=lambda r: (r.entry.sort_key, r.page))
            lines = [line for line in map(self._request_line, requests[:MAX_LINES]) if line]
            return self._finish(answer, "Requests the minutes record that the papers indexed do not yet show "
                                        "answered, oldest first:", lines)
        found = history.requests_about(asked.topic)
        if not found:
            return None
        lines = [line for line in map(self._request_line, [r for r, _ in found[:4]]) if line]
        return self._finish(answer, "", lines)

    @staticmethod
    def _finish(answer: Answer, intro: str, lines: list[tuple[str, list[Unit]]]) -> Answer | None:
        """The lines through the guard (citations numbered, figures checked), under an intro that states no
        figure of its own."""
        finished = finish(answer, lines)
        if not finished.answered:
            return None
        if intro:
            body = finished.text if finished.text.startswith("- ") else "\n".join(
                f"- {line}" for line in finished.text.split("\n\n"))
            finished.text = f"{intro}\n{body}"
        return finished

    def _request_line(self, request: FollowUpRequest) -> tuple[str, list[Unit]] | None:
        asked = self._request_unit(request)
        if asked is None:
            return None
        where = f"{human_date(request.meeting_date)}, {request.label}"
        if request.answer is None:
            return f"Asked on {where}: “{request.words}”; not yet seen in the papers indexed.", [asked]
        answered = self._unit(request.answer)
        sources = [asked, answered] if answered else [asked]
        return (f"Asked on {where}: “{request.words}”; it came back on "
                f"{self._place(request.answer)}.", sources)

    def _request_unit(self, request: FollowUpRequest) -> Unit | None:
        """The passage holding the request's words, on the page where they stand."""
        entry = request.entry
        for chunk_id in [entry.chunk_id, *entry.chunk_ids]:
            chunk = self.searcher.chunk_by_id(chunk_id)
            if chunk is None:
                continue
            for unit in split_units(chunk, 0):
                if request.words in unit.text or unit.text in request.words:
                    return unit
        return self._unit(entry)
