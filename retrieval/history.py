"""A topic's history of decisions, and the register of follow-ups: what a committee asked to come back, and
whether it came.

Built from the records ingest made (passages and decisions), rebuilt when the index changes; nothing is
written for one paper. Three steps:

- **Entries.** Each minute of a meeting (its title, discussion and any RESOLVED) and each paper on a
  meeting's agenda (an item of a pack, a report written for a meeting) is one ``HistoryEntry``, placed by
  committee and meeting date. The same minute printed in two papers (the minutes, and the next pack) is one
  entry.
- **Timeline.** A topic in the user's words is matched by meaning to the entries' titles (and decisions):
  MiniLM vectors, with the topic's own words (and their acronyms) as a second signal; oldest first. A
  later decision that endorses a revised version of the same thing marks the earlier one as updated.
- **Register.** The requests a minute records: in its RESOLVED ("an update report be submitted to a future
  meeting", "... be requested to provide an update to the panel in six months") and in its discussion
  ("Mr Nunn agreed to circulate a revised report"). Each is paired with the first later item of the same
  committee on the same subject (a report, an update, a minute that considered it), or left open: "not
  yet seen in the papers indexed". A request that names a time ("in six months", "to the next meeting")
  gets its due date.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from core.dates import date_key, find_month, month_number
from core.records import ChunkKind, DecisionKind, DocumentRecord, StoredChunk, StoredDecision, printed_label
from core.sentences import overlap_start, sentences
from core.settings import HistorySettings
from retrieval.query import STOPWORDS

Embed = Callable[[list[str]], np.ndarray]  # texts -> unit vectors, one row each


@cache
def rules_digest() -> str:
    """This module's own text, hashed: a history kept with an index's snapshot was read by these rules, and is
    read again once they change (an index built before an upgrade keeps its chunks, not its register)."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


class EntryKind(StrEnum):
    MINUTE = "minute"  # recorded at the meeting: discussion, and the decision if one was taken
    ITEM = "item"  # a paper on the meeting's agenda


class RequestSource(StrEnum):
    RESOLUTION = "resolution"
    DISCUSSION = "discussion"


@dataclass
class HistoryEntry:
    committee: str
    meeting_date: str  # ISO
    kind: EntryKind
    minute: str | None
    item: str | None
    title: str
    decision: str | None  # the RESOLVED words, where the minute records one
    document: str
    page: int
    page_label: str | None
    chunk_id: str  # the passage a citation quotes (the decision's, else the first)
    quote: str  # the words a citation shows, exactly as in that passage
    text: str = ""  # the minute's discussion (sentences, each once) or the paper's opening
    pages: list[tuple[int, str]] = field(default_factory=list)  # (page, sentence) of ``text``
    chunk_ids: list[str] = field(default_factory=list)  # every passage of the minute, in reading order
    # Text printed after the minute's RESOLVED in the same minutes (a paper appended to them): it belongs
    # to the minute it is about, which ``History`` finds by meaning.
    appended: list[tuple[int, str]] = field(default_factory=list)
    # False for an agenda line with no paper of its own (a verbal update: no pages on the front sheet). It
    # says the subject came up, not what was said: the papers cannot show that it answered a request.
    has_paper: bool = True
    paper_kind: str = ""  # the kind of paper it is read from ("agenda pack", "minutes", "record of decision")
    # The printed number of the numbered paragraph a sentence of ``pages`` stands in, where its passage shows one.
    paragraphs: dict[str, str] = field(default_factory=dict)

    @property
    def meeting_key(self) -> int:
        return date_key(self.meeting_date)

    @property
    def key(self) -> tuple[str, str, str]:
        place = f"minute {self.minute}" if self.minute else f"{self.kind} {self.item or self.title.lower()}"
        return self.committee, self.meeting_date, place

    @property
    def label(self) -> str:
        """"minute 91 (item 6)", "item 9"; where the paper numbers neither, "minutes" (an item of minutes that
        number nothing, known by its title) or "paper"."""
        if self.minute:
            return f"minute {self.minute}" + (f" (item {self.item})" if self.item else "")
        return f"item {self.item}" if self.item else ("minutes" if self.kind == EntryKind.MINUTE else "paper")

    @property
    def sort_key(self) -> tuple:
        # (the minute's own number: its last, for a reference such as "CYP/24/4"; minutes that number nothing in the
        # order they are printed)
        number = re.search(r"\d+(?=\D*$)", self.minute or self.item or "")
        first = (self.chunk_ids or [self.chunk_id])[0].rpartition(":")[2]
        return (self.meeting_date, int(number.group()) if number else 10**6, self.minute or self.item or "",
                self.document, self.page, int(first) if first.isdigit() else 0, self.title)


@dataclass
class TimelineEntry:
    entry: HistoryEntry
    score: float
    updated_by: HistoryEntry | None = None  # a later decision that replaces this one


@dataclass
class FollowUpRequest:
    entry: HistoryEntry  # the minute that records the request
    words: str  # the request as printed
    page: int
    source: RequestSource
    due: str | None = None  # ISO, where the request names a time
    # The due date is the meeting the request names ("at the next meeting"): it comes back there, or it is
    # overdue; a later meeting's item on the same standing subject is that meeting's business, not the answer.
    due_at_meeting: bool = False
    answer: HistoryEntry | None = None  # the later item that brought it back
    # The printed number of the paragraph the request stands in, where the minutes number their paragraphs on
    # across items ("61. Consideration was given ..." to "65. AGREED: That ..."): the minute a clerk cites.
    paragraph: str | None = None

    @property
    def label(self) -> str:
        """"minute 91 (item 6)", or "minute 61, paragraph 65" where the minutes number paragraphs."""
        return f"{self.entry.label}, paragraph {self.paragraph}" if self.paragraph else self.entry.label

    @property
    def page_label(self) -> str | None:
        """The printed number of the request's page (its minute's page label, at the same offset)."""
        return printed_label(self.entry.page_label, self.entry.page, self.page)

    @property
    def answered(self) -> bool:
        return self.answer is not None

    @property
    def status(self) -> str:
        return "answered" if self.answered else "open"

    @property
    def committee(self) -> str:
        return self.entry.committee

    @property
    def meeting_date(self) -> str:
        return self.entry.meeting_date


# -- reading requests -----------------------------------------------------------------------------------
# A request, or an undertaking, is a clause that puts something off to later: a future or obligation marker
# ("would", "will", "to be", "agreed to", "asked that", "Action –") with a verb of delivery or follow-up
# ("circulate", "report back", "look into"). A verb that only ever follows something up needs nothing more; a
# verb that may as well describe the service's own work ("provide", "present", "review") needs someone to
# receive it or a time too ("to Members", "at the next meeting"): "the scheme would provide support to
# families" asks for nothing.

# What is asked for: a thing that can come back.
DELIVERABLE = (r"(?:updates?|report|reports|results|findings|paper|information|data|figures?|details?|clarification|"
               r"briefing|breakdown|presentation|analysis|response|feedback|summary|note|review|list|statistics|numbers|"
               r"progress|item|plan|proposals?|options?|letter|copy|copies|survey|consultation|audit|research|"
               r"answer|slides|dashboard|scorecard|visit|session|workshop|seminar|submission|comparison|deep\s+dive|"
               r"case\s+stud(?:y|ies)|evaluation|outcome|timeline|benchmarking|version|guide)")
# (base form, past participle): verbs of following up, which say a request on their own...
FOLLOW_UP_VERBS = (
    (r"circulate", r"circulated"), (r"re-?circulate", r"re-?circulated"), (r"forward", r"forwarded"),
    (r"e-?mail", r"e-?mailed"), (r"follow\s+(?:it\s+|this\s+|that\s+)?up", r"followed\s+up"),
    (r"feed\s*back", r"fed\s*back"), (r"report\s+back", r"reported\s+back"), (r"look\s+into", r"looked\s+into"),
    (r"find\s+out", r"found\s+out"), (r"investigate", r"investigated"), (r"clarify", r"clarified"),
    (r"check", r"checked"), (r"revisit", r"revisited"),
    (r"bring\s+(?:\w+\s+){0,3}back", r"brought\s+back"), (r"come\s+back", r"come\s+back"),
    (r"hear\s+back", r"heard\s+back"),
    # (showing it to them: "... and show the Panel the final version when it met in November")
    (r"show\s+(?:the\s+|all\s+)?(?:Panel|Committee|Board|Group|Members|councillors)", r"shown\s+to\s+(?:the\s+)?"
     r"(?:Panel|Committee|Board|Group|Members|councillors)"),
    (r"take\s+(?:(?:this|it|that|these|them|the\s+\w+(?:\s+\w+)?)\s+)?(?:back|away)", r"taken\s+(?:back|away)"),
    (r"chase", r"chased(?:\s+up)?"), (r"get\s+back\s+to", r"got\s+back\s+to"), (r"revert\s+to", r"reverted\s+to"),
    (r"action", r"actioned"),
    (r"write\s+to", r"written\s+to"), (r"let\s+(?:\w+\s+){0,5}know", r"let\s+know"),
    (r"send\s+(?:\w+\s+){0,3}(?:round|around)", r"sent\s+(?:round|around)"),
    # ("agreed to let Members have some case studies")
    (r"let\s+(?:the\s+)?(?:Members?|councillors?|Panel|Committee|Board|Chair(?:man|woman)?|"
     r"(?-i:(?:Mr|Mrs|Ms|Miss|Dr|Cllr)\.?\s+[A-Z][\w’'-]+))\s+(?:have|see)", r"(?!)"),
    (r"(?:speak|talk)\s+(?:to|with)", r"spoken\s+(?:to|with)"),
    (r"raise\s+(?:[\w-]+\s+){0,14}?with", r"raised\s+with"),
    # (taking the point up with someone: "JB will pick this up with the health team"; not "HR will pick these
    # up", which is their own work)
    (r"(?:pick|take)\s+(?:this|it|that|these|them|the\s+(?:issue|matter|point|concern)s?)\s+up\s+with",
     r"(?:picked|taken)\s+up\s+with"),
    (r"pass\s+(?:on\s+)?(?:this|it|that|these|them|(?:the\s+|their\s+|its\s+)?(?:\w+(?:’|')s\s+)?(?:comments|views|"
     r"concerns|feedback|questions))\s+(?:on\s+)?to",
     # (passed to someone who will act on it, not "any debt would be passed on to the new authority")
     r"passed\s+(?:on\s+)?to\s+(?:the\s+)?(?:relevant\s+|appropriate\s+)?(?:officers?|Cabinet\s+Member|Director|"
     r"Chair(?:man)?|Panel|Committee|Group|Board|team|service|Members|Head|(?-i:[A-Z])[\w’'-]*)"),
    (r"(?:look|looked)\s+(?:at|into)\s+(?:this|that|it|these|those|the\s+(?:issue|matter|point|concern|question)s?)",
     r"looked\s+at"),
    (r"keep\s+(?:\w+\s+){0,3}(?:informed|updated|up\s+to\s+date|posted|abreast|sighted)",
     r"kept\s+(?:informed|updated|up\s+to\s+date|posted|abreast|sighted)"),
    # Taking up the point just raised: "the Chair will consider this", "officers would review the matter"
    # (not "would consider this report": only the point itself; and "would be considered" alone is anyone's
    # timetable, so there is no passive form)
    (r"(?:re-?)?(?:consider|review|explore|examine)\s+(?:(?:this|that|it)(?=\s*(?:[.;,)]|$|\s+(?:further|and|"
     r"with|before|after|outside|for)\b))|(?:the|these|those|this|that)\s+(?:matter|issue|point|suggestion|request|"
     r"concern|question|proposal|idea|comment)s?\b)", r"(?!)"),
)
# ...and verbs of delivery, which say one only with a recipient or a time.
DELIVERY_VERBS = (
    (r"provide", r"provided"), (r"share", r"shared"), (r"send", r"sent"), (r"present", r"presented"),
    (r"bring", r"brought"), (r"report", r"reported"), (r"update", r"updated"), (r"confirm", r"confirmed"),
    (r"give\s+(?:(?-i:[A-Z])[\w’'-]*\s+){0,3}(?:a|an|the|further|more|some)", r"given"),
    (r"make\s+(?:\w+\s+)?available", r"made\s+available"),
    (r"arrange", r"arranged"), (r"review", r"reviewed"), (r"explore", r"explored"), (r"consider", r"considered"),
    (r"re-?consider", r"re-?considered"), (r"discuss", r"discussed"), (r"submit", r"submitted"),
    (r"prepare", r"prepared"), (r"produce", r"produced"), (r"supply", r"supplied"), (r"schedule", r"scheduled"),
    (r"return", r"returned"), (r"amend", r"amended"), (r"revise", r"revised"), (r"generate", r"generated"),
    (r"invite", r"invited"), (r"distribute", r"distributed"), (r"seek", r"sought"),
    (r"look\s+at", r"looked\s+at"), (r"liaise", r"liaised"),
    (r"take\s+(?:\w+\s+){0,3}forward", r"taken\s+forward"), (r"defer", r"deferred"), (r"respond", r"responded"),
    (r"answer", r"answered"), (r"obtain", r"obtained"), (r"compile", r"compiled"), (r"collate", r"collated"),
    (r"pass\s+(?:\w+\s+)?on", r"passed\s+on"), (r"inform", r"informed"), (r"contact", r"contacted"),
    (r"advise", r"advised"), (r"notify", r"notified"), (r"brief", r"briefed"), (r"tell", r"told"),
    (r"ensure", r"ensured"), (r"meet(?:\s+with)?", r"met(?:\s+with)?"), (r"organi[sz]e", r"organi[sz]ed"),
    (r"set\s+up", r"set\s+up"), (r"hold", r"held"),
    (r"explain", r"explained"), (r"find", r"found"), (r"set\s+out", r"set\s+out"), (r"issue", r"issued"),
)


def _either(forms: Iterable[str]) -> str:
    return "(?:" + "|".join(forms) + ")"


FOLLOW_UP = _either(base for base, _ in FOLLOW_UP_VERBS)
FOLLOWED_UP = _either(done for _, done in FOLLOW_UP_VERBS)
DELIVER = _either(base for base, _ in DELIVERY_VERBS)
DELIVERED = _either(done for _, done in DELIVERY_VERBS)
MONTH_NAME = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
# Who receives it, or when it comes: looked for after the verb, in the same clause.
RECIPIENT_OR_TIME = (r"(?:(?![.;]).){0,160}?\b(?:Members?|Panel|Committee|Cabinet|councillors?|Chair(?:man)?|you|us|"
                     # (a member named: "... and respond to Miss Faraday directly")
                     r"to\s+(?-i:(?:Mr|Mrs|Ms|Miss|Dr|Cllr|Councillor)\.?\s+[A-Z][\w’'-]+)|"
                     r"(?-i:CPP|the\s+(?:(?:next|" + MONTH_NAME + r")\s+)?(?:Group|Board|Forum))|"
                     # (a group's notes call it "the group": "would bring it to the group when it was ready")
                     r"(?-i:the\s+group)(?!\s+of\b)|"
                     r"(?:the|our|its|their)\s+(?:results|findings|outcomes?)|"
                     r"(?:next|future|later|subsequent|following)\s+(?:meeting|Panel|Committee|Board|Forum|report|update)s?|"
                     r"your\s+(?:(?:next|" + MONTH_NAME + r")\s+)?meeting|"
                     # ("... at the January meeting", "to the June 2024 Board")
                     r"(?:the|its|our)\s+" + MONTH_NAME
                     + r"(?:\s+\d{4})?\s+(?:meeting|Panel|Committee|Board|Forum|Group)|"
                     r"at\s+a\s+later\s+date|in\s+due\s+course|(?:after|outside(?:\s+of)?|following)\s+the\s+meeting|"
                     # ("in six months", "in the coming weeks"; not "later in the year", which is anyone's)
                     r"in\s+(?:the\s+(?:coming|next|following)\s+|(?!the\b)\w+\s+)?(?:weeks?|months?|years?)(?:’|')?"
                     r"(?:\s+time)?|in\s+the\s+(?:new\s+year|spring|"
                     r"summer|autumn|winter)|next\s+(?:year|month|quarter|time)|work\s+programme|going\s+forward|"
                     r"in\s+future|in\s+writing|the\s+minutes|(?:annual|quarterly|progress|update)\s+report|"
                     r"written\s+(?:response|answer|reply|update|briefing|note)|further\s+(?:consideration|discussion|"
                     r"work|information|details?))\b")
# ("would be explored further", "would be discussed further")
FURTHER = r"\s+(?:further|again|in\s+more\s+detail)\b"
# Any character of the clause, up to its first "be".
UNTIL_BE = r"(?:(?![.;]|\bbe\b).)"
# The markers of something still to come.
WILL = (r"\b(?:would|will|shall|’ll|'ll|(?:am|is|are|’re|'re)\s+going\s+to)\s+(?:also\s+|then\s+|now\s+|further\s+|"
        r"personally\s+|first\s+|be\s+(?:happy|pleased|glad|able)\s+to\s+|like\s+to\s+)?")
# ("due to be presented to ..." is a timetable, not an undertaking)
TO_BE = (r"\b(?:would|will|shall|should|is\s+to|are\s+to|was\s+to|were\s+to|needs?\s+to|(?<!due\s)(?<!set\s)"
         r"(?<!expected\s)(?<!scheduled\s)to)\s+(?:also\s+|then\s+|"
         r"now\s+|further\s+|therefore\s+|first\s+|duly\s+|all\s+|each\s+)?be\s+")
MEANS_TO = (r"\b(?:hope[sd]?|hoping|intends?|intended|intention|plans?|planned|aims?|aimed|expects?|expected|"
            r"undertaking|commitment|offer(?:ed)?|happy|willing|keen|agreement)\s+to\s+")
# "we will be presenting our work at the next meeting"
DELIVERING = (r"be\s+(?:sharing|presenting|sending|reporting|updating|bringing|circulating|providing|writing|arranging|"
              r"feeding\s+back|coming\s+back|looking\s+into|following\s+up|getting\s+back|contacting|meeting)")
# "we look forward to sharing ... with you next time"
LOOKING_FORWARD = (r"\blook(?:s|ing)?\s+forward\s+to\s+(?:sharing|presenting|updating|reporting|telling|showing|"
                   r"bringing|feeding\s+back|letting)\b")
# Whom a request is put to, between "asked" and "to": "asked officers to", "requested Mr Smith to".
ASKED_WHOM = (r"(?:(?:him|her|them)\s+|(?:the\s+|its\s+|an\s+|relevant\s+)?(?:officers?|staff|team|service|directorate|"
              r"department|"
              r"Democratic\s+Services|Clerk|Head\s+of\s+[\w’'-]+(?:\s+(?:and\s+)?[\w’'-]+){0,2}|"
              # (a title of capitalised words: "the Head of Looked After Children and Care Leavers")
              r"(?-i:Head\s+of\s+[A-Z][\w’'-]*(?:\s+(?:and\s+)?[A-Z][\w’'-]*){0,6})|"
              # (a name of capitalised words and numbers, joined by "of", "and", "the": "the Director of Children's
              # Services", "the Section 151 Officer", "the ICB and the Partnership Trust")
              r"(?-i:[A-Z][\w’'-]*(?:\s+(?:(?:of|and|for|the|&)\s+){0,2}(?:[A-Z][\w’'-]*|\d{1,4})){0,6}))\s+)?")
REQUEST_PATTERNS = (
    # "a report on research into permanency planning be submitted to a future meeting"
    # (Not "improvements can be made": a modal before "be" says what is possible, not what is asked.)
    # (the first "be" after it is its verb: not "the update be noted and the Panel's thanks be given")
    re.compile(r"\b" + DELIVERABLE + r"\b" + UNTIL_BE + r"{0,100}?"
               r"(?<!can\s)(?<!may\s)(?<!might\s)(?<!could\s)(?<!must\s)"
               r"\b(?:be|is\s+to\s+be|are\s+to\s+be|to\s+be|would\s+be|will\s+be|should\s+be)\s+(?:submitted|made|"
               r"brought|presented|provided|circulated|reported|given|shared|sent|produced|prepared|scheduled|"
               r"added|supplied|forwarded|returned|conducted|carried\s+out|undertaken|shown|arranged|organi[sz]ed|"
               r"forthcoming)\b", re.I),
    # A thing to be done and then reported: "the operation of the revised guidance be reviewed with the Children in
    # Care Council and reported to the Panel in a year's time" (whatever is reviewed, its report comes back).
    re.compile(r"(?<!can\s)(?<!may\s)(?<!could\s)\bbe\s+\w+ed\b(?:(?![.;]).){0,120}?\band\s+(?:then\s+)?(?:be\s+)?"
               r"(?:reported|brought|presented|submitted)\s+(?:back\s+)?to\s+(?:the|this|its|a\s+future)\s+"
               r"(?:[\w’'-]+\s+){0,3}?(?:Panel|Committee|Board|Cabinet|Group|Forum|Sub-Committee|meeting)\b", re.I),
    # Still to come, and of following up: "would be circulated", "will look into", "would check and confirm".
    re.compile(TO_BE + FOLLOWED_UP + r"\b|" + WILL + FOLLOW_UP + r"\b", re.I),
    # Still to come, with a verb of following up as its second verb: "would make the revisions and circulate
    # the draft", "agreed to amend the plan and report back".
    # (Not "would continue to work with schools and check progress": ongoing work; and only the verbs that
    # send something back.)
    re.compile(r"\b(?:would|will|(?:agreed|undertook|offered|promised)\s+to)\s+(?!(?:continue|need|have|be|not|"
               r"also\s+continue)\b)\w+(?:(?![.;]).){0,200}?\s+and\s+(?:then\s+)?(?:to\s+)?(?:re-?circulate|circulate|"
               r"report\s+back|feed\s*back|follow\s+(?:it\s+|this\s+|that\s+)?up|e-?mail|bring\s+(?:\w+\s+){0,3}back|"
               r"come\s+back|let\s+(?:\w+\s+){0,5}know|look\s+into|get\s+back\s+to|revert\s+to|"
               r"show\s+(?:the\s+|all\s+)?(?:Panel|Committee|Board|Group|Members|councillors)|"
               # (or a verb of delivery, to someone or at a time: "... and to inform Members by the end of July")
               r"(?:" + DELIVER + r")\b" + RECIPIENT_OR_TIME + r")\b", re.I),
    # Still to come, and of delivery, to someone or at a time: "would be provided to Members", "will update
    # you at the next meeting", "hope to share the results with you in the new year".
    re.compile(r"(?:" + TO_BE + r"(?:\w+ed\s+and\s+)?" + DELIVERED + r"|(?:" + WILL + r"|" + MEANS_TO + r")"
               + r"(?:" + DELIVER + r"|" + DELIVERING + r")|" + LOOKING_FORWARD + r")\b(?:" + RECIPIENT_OR_TIME + r"|"
               + FURTHER + r")", re.I),
    # An officer undertaking it: "he would obtain the figures", "Mrs Smith will arrange it", "... not to hand but
    # would get it" (not "she will bring a fresh voice to the team": only the verbs of getting something to
    # someone).
    re.compile(r"\b(?:he|she|but|officers?|(?-i:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][\w’'-]+)|the\s+(?:officer|Director|"
               r"Corporate\s+Director|Head\s+of\s+\w+|Cabinet\s+Member|Chair(?:man)?|Service\s+Manager))\s+"
               r"(?:would|will|’ll|'ll)\s+(?:also\s+|then\s+|personally\s+|be\s+(?:happy|pleased|glad)\s+to\s+)?(?:"
               + FOLLOW_UP + r"|provide|send|share|supply|obtain|get|arrange|confirm|do\s+(?:this|that|so))\b", re.I),
    # Someone agreed, or was asked, to do it: "Mr Nunn agreed to circulate ...", "VSK be requested to provide
    # an update ...", "asked officers to look at ...", "Officers were asked to review ..."
    # (and one saying he would ask another: "he would ask the Leaving Care Service to provide a commentary")
    re.compile(r"\b(?:agreed|undertook|offered|promised|volunteered|asked|requested|invited|tasked|instructed|"
               r"commissioned|directed|(?:would|will)\s+ask)\s+" + ASKED_WHOM + r"to\s+(?:\w+ly\s+)?(?:" + FOLLOW_UP
               + r"|" + DELIVER
               + r"|generate|create|develop|produce|identify|research|add|include|show)\b", re.I),
    # An action log: "Action – Maureen Robinson to amend the scorecard for CPP and circulate.", "ACTION: officers
    # to send ...", and its shorthand, a name and "to": "Officers to provide an update at the next meeting".
    re.compile(r"^\W*Action\s+(?-i:[A-Z0-9][\w/.]*)\s*\|(?:[^|]*\|){1,3}\s*(?:Lead|Owner|Officer|By|Who)\s*:|"
               r"\bactions?(?:\s+arising|\s+(?-i:[A-Z0-9][\w/.]*\d[a-z]?))?\s*[-–:]\s*(?:(?![.;]).){0,60}?\b(?:to|will)\s+"
               r"(?:" + FOLLOW_UP + r"|"
               + DELIVER + r"|take\s+away|ask|draft|write|put\s+together|add|include)\b"
               # (the paragraph's own number before it: "5.5 PA to provide an analysis ...")
               # (or a list's mark, or a comma: "(ii) SB to report at the May meeting ...", "still outstanding, Tom to
               # report in February"; a first name alone: "Tom to chase the CCG for the list ...")
               r"|(?:^|[.;:,]\s+|\(?(?:i|ii|iii|iv|v|vi|vii|viii|[a-h])\)\s+)(?:\d{1,2}(?:\.\d{1,2}){1,2}\s+)?(?:Officers?|"
               r"The\s+(?:officer|team|service)|"
               r"(?-i:[A-Z][a-z’'-]+\s+[A-Z][\w’'-]+|[A-Z]{2,4}(?:\s*/\s*[A-Z]{2,4})*|"
               r"(?!(?:The|This|It|Government|Council|Cabinet|Schools?|Members|Partners|Kent|Ofsted|Health|Police|"
               # (nor a resolution's verb: "1. Agree to submit a request to Government")
               r"Agree[sd]?|Ask(?:s|ed)?|Decide[sd]?|Resolve[sd]?|Request(?:s|ed)?|Approve[sd]?|Note[sd]?|Delegate[sd]?|"
               r"Continue[sd]?|Need(?:s|ed)?|Want(?:s|ed)?|Wish(?:es|ed)?|Plan(?:s|ned)?|Aim(?:s|ed)?|Propose[sd]?|"
               r"Undert(?:ake|akes|ook)|Commit(?:s|ted)?|Instruct(?:s|ed)?|Authori[sz]e[sd]?|Endorse[sd]?)\b)"
               r"[A-Z][a-z’'-]+)(?:\s+\([^()]{1,60}\))?)\s+to\s+(?:"
               + FOLLOW_UP + r"|" + DELIVER + r")\b"
               # an action line giving initials a thing to deliver: "ACTION: PS – prices for Pledge cards (August)",
               # "Action: TR/PE – analysis of the fall in long-term stability to the August meeting"
               r"|\bACTION\s*:\s*(?-i:[A-Z]{2,4}(?:\s*/\s*[A-Z]{2,4})*)\s*[–-]\s+\w", re.I),
    # Asked for in the resolution or the discussion: "requested that a copy ... be shared with the minutes",
    # "a suggestion was made that ... the film be shown", "asked that the Panel be kept informed", "asked for
    # this to be added to the work programme", "requested sight of the plan", "asked to be provided with ..."
    re.compile(r"(?:\b(?:suggest(?:s|ed|ion\s+was\s+made)|propos(?:es|ed|al\s+was\s+made)|recommend(?:s|ed)|"
               r"request(?:s|ed)|ask(?:s|ed))\s+that\b|\basked\s+for\b)(?:(?![.;]).){0,200}?(?<!could\s)(?<!might\s)"
               r"(?<!may\s)(?<!can\s)\b(?:be|should\s+be|to\s+be)\s+(?:\w+ed\s+and\s+)?(?:" + FOLLOWED_UP + r"|"
               + DELIVERED + r"|\w+(?:ed|en|wn))\b"
               # ("agreed that the minutes be signed" agrees a record: only a thing to deliver counts)
               r"|\bagreed\s+that\b" + UNTIL_BE + r"{0,200}?\b(?:be|should\s+be)\s+(?:" + FOLLOWED_UP + r"|"
               + DELIVERED + r")\b"
               r"|\bneeds?\s+to\s+be\s+(?:fed\s*back|feedback|reported|circulated|shared|brought\s+back)\b"
               # (what later papers are to show: "asked that future reports of the Virtual School show ...")
               r"|\b(?:request(?:s|ed)|ask(?:s|ed)|suggest(?:s|ed))\s+that\s+(?:the\s+)?(?:future|next|later|subsequent)\s+"
               r"(?:reports?|scorecards?|updates?|papers?)\b(?:(?![.;]).){0,80}?\b(?:show|include|set\s+out|give|"
               r"provide|contain|report|break\s+down)\b"
               r"|\b(?:request(?:s|ed)?|asked\s+for|sought|wished\s+to\s+have)\s+sight\s+of\b"
               r"|\b(?:asked|requested|wished|wanted)\s+to\s+(?:be\s+(?:provided|sent|given|kept|updated|informed|"
               r"shown|briefed|told|advised)|see|receive|have\s+sight)\b", re.I),
    # Said in the discussion, towards the members or a later meeting.
    re.compile(r"\b(?:would|will|should)\s+be\s+made\s+available\s+(?:to|with|at|for|in)\s+"
               r"(?:the\s+|all\s+)?(?:Members?|Panel|Committee|Board|councillors|next|a\s+future|future)\b"
               r"|\b(?:asked|requested)\s+for\s+(?:a|an|the|further|more|some)?\s*(?:[\w-]+\s+){0,2}"
               + DELIVERABLE + r"\b"
               r"|\bit\s+was\s+agreed\s+that\b"
               # "asked whether the figures could be circulated"
               r"|\basked\s+(?:whether|if)\b(?:(?![.;]).){0,120}\b(?:could|would|might)\s+be\s+(?:" + FOLLOWED_UP
               + r"|" + DELIVERED + r")\b"
               # "Members would like to see more detail", "the Panel would welcome an update", "it would be helpful
               # for the Panel to receive ..."
               r"|\b(?:Members?|Panel|Committee|Board|councillors|Chair(?:man)?)\s+(?:would|’d|'d)\s+(?:like|welcome|"
               r"appreciate|value)\s+(?:to\s+(?:see|receive|have|hear)\s+)?"
               r"(?:a|an|the|further|more|regular|sight|some|updates?|information|details?)\b"
               r"|\b(?:useful|helpful|beneficial|valuable)\s+(?:for|if)\s+(?:the\s+)?(?:Panel|Members?|Committee|"
               r"councillors)\s+(?:to\s+)?(?:receive|see|have|be\s+(?:given|sent|provided|updated))\b"
               # "asked whether officers could confirm the date": put to a person, any verb of delivery
               r"|\basked\s+(?:whether|if)\s+(?:the\s+)?(?:officers?|Director|(?-i:(?:Mr|Mrs|Ms|Dr)\.?\s+"
               r"[A-Z][\w’'-]+))\s+(?:could|would|might)\s+(?:" + FOLLOW_UP + r"|" + DELIVER + r")\b"
               # "asked if Sam could provide an update for the Panel", whoever is asked: a verb of following
               # up, or of delivery with a thing to deliver or someone to receive it
               # ("asked whether the service could provide support to families" asks about the service, and
               # "commissioners asked if they could share the scorecard" asks leave to do it themselves)
               r"|\basked\s+(?:whether|if)\s+(?!(?:they|he|she|we|I|it)\b)(?:(?![.;,]).){1,60}?\s"
               r"(?:could|would|might)\s+(?:" + FOLLOW_UP
               + r"|(?:" + DELIVER + r")(?:\s+(?:(?:a|an|the|further|more|some)\s+)?(?:[\w-]+\s+){0,2}" + DELIVERABLE
               + r"\b|" + RECIPIENT_OR_TIME + r"))\b"
               # "the Director requested a written submission", whoever asks (not "requested the Panel to")
               r"|\brequested\s+(?:(?:a|an|further|more|some)\s+(?:[\w-]+\s+){0,2}" + DELIVERABLE
               + r"|(?:information|data|figures|details|statistics|feedback|clarification)\s+(?:on|about|as\s+to|"
               r"regarding|of|from|whether|to\s+show))\b"
               # "an update would follow", "details to follow", "she offered a briefing for Members"
               r"|\b" + DELIVERABLE + r"\b(?:(?![.;]).){0,40}?\s(?:would|will|to)\s+follow\b"
               r"|\b(?:offered|promised|proposed)\s+(?:a|an|to\s+(?:hold|run|give)\s+(?:a|an))\s+(?:[\w-]+\s+)?"
               r"(?:briefing|visit|session|workshop|seminar|tour|presentation|note|update)\b"
               # "The Sub-Committee agreed to receive a further update", "Members asked to receive ..."
               r"|\b(?:Members?|Panel|Committee|Board|Forum|Group|Cabinet|councillors)\s+(?:also\s+)?(?:agreed|asked|"
               r"wished|requested)(?:,[^,;.]{1,80},)?\s+to\s+(?:receive|see|be\s+(?:given|sent|provided|updated|briefed))\b"
               # a resolution's part "(2) asks for quarterly reports on ...", "asks the ICB to bring ..."
               r"|^\W*(?:RESOLVED\s+that\s+)?asks\s+for\s+(?:[\w-]+\s+){0,2}" + DELIVERABLE + r"\b"
               # a scrutiny outcome's "Information requested: ...", and "a report to the November meeting on ..."
               r"|\binformation\s+requested\s*:"
               r"|\b(?:a|an|the|further)\s+(?:[\w-]+\s+){0,2}" + DELIVERABLE + r"\s+(?:to|for|at)\s+(?:the|a|its)\s+"
               r"(?:next|future|later|" + MONTH_NAME + r")\s+meeting\b"
               r"|\baddition\s+of\s+(?:an?\s+)?(?:[\w-]+\s+)?(?:item|report|update|paper)\b"
               # "that the Head of Service attend the December meeting to report on progress"
               r"|\battend\s+(?:the|a|its)\s+(?:(?:next|future|later|" + MONTH_NAME + r")\s+)?meeting\b"
               r"(?:(?![.;]).){0,60}?\bto\s+(?:report|present|update|explain|give|brief|answer)\b"
               # a panel writing its own minutes: "We want an update on ...", "The panel wants to see ...", "Can
               # we see the numbers by ward next time?", "this will come to us in July", "Tom will include the
               # figure in the January performance report"
               r"|\b(?:We|The\s+(?:panel|committee|board)|Members)\s+(?:want|wants|would\s+like|need|needs)\s+(?:"
               # (not what young people want for themselves: "we want to see our brothers and sisters more often")
               r"to\s+(?:see|hear|know|have|get|receive)\b(?!\s+(?:our|my|their|his|her|your)\b)|"
               r"(?:an?|the|more|some|regular)\s+(?:[\w-]+\s+){0,2}" + DELIVERABLE + r"\b)"
               r"|\bCan\s+(?:we|the\s+(?:panel|committee|board)|Members)\s+(?:see|have|get|hear)\b"
               r"|\b(?:come|go|come\s+back)\s+to\s+us\b"
               r"|\b(?:will|would)\s+(?:include|add)\b(?:(?![.;]).){0,80}?\b(?:in|to)\s+(?:the|our|its|next\s+year(?:’|')s)\s+"
               r"(?:(?:next|" + MONTH_NAME + r"|future|annual|quarterly)\s+)?(?:[\w-]+\s+)?(?:report|update|dashboard|"
               r"scorecard|agenda)\b"
               # "Members requested an update on ..."
               r"|\b(?:Members?|(?:the\s+)?(?:Panel|Committee|Board|Forum)|Councillors?|the\s+Chair(?:man)?)\s+(?:also\s+)?"
               r"(?:requested|asked\s+for|sought)\s+(?:a|an|the|further|more|some|that|to\s+(?:see|receive))\b"
               # "the Committee would receive a further update in the spring", "future reports would include ..."
               r"|\b(?:Panel|Committee|Sub-Committee|Board|Members)\s+continue\s+to\s+receive\s+(?:a|an|the|further|"
               r"regular)\b"
               # "agreed that the split would be shown in future scorecards" (not "the film would be shown at ...")
               r"|\bshown\s+(?:(?![.;]).){0,100}?\b(?:in|from|starting\s+with)\s+(?:the\s+)?(?:future|next|subsequent|"
               r"following|later|each|every|" + MONTH_NAME + r")\s+(?:[\w-]+\s+)?(?:scorecards?|reports?|updates?|"
               r"dashboards?)\b"
               r"|\b(?:Members?|Panel|Committee|Board|Cabinet|councillors)\s+(?:would|will|should|to)\s+(?:receive|"
               r"be\s+given|be\s+sent|be\s+provided\s+with|see|get)\s+(?:a|an|the|further|more|regular|an?\s+"
               r"\w+)\b"
               r"|\b(?:Members?|Panel|Committee|Board|councillors)\s+(?:would|will|should|to)\s+(?:also\s+|then\s+)?be\s+"
               r"(?:updated|informed|advised|told|briefed|sent|given|provided|kept|notified|consulted)\b"
               # "there was a request for more detailed figures" (not "in response to a request for ...", answered)
               r"|(?<!to\sa\s)(?<!to\sthe\s)\brequests?\s+(?:was\s+made\s+)?for\s+(?:a|an|the|further|more|some)?\s*"
               r"(?:[\w-]+\s+){0,2}" + DELIVERABLE + r"\b"
               r"|\b(?:future|subsequent|next|later|further)\s+(?:[\w-]+\s+)?(?:reports?|updates?|papers?|scorecards?|"
               r"dashboards?|versions?)\s+"
               r"(?:would|will|should|to)\s+(?:also\s+)?(?:include|show|contain|cover|set\s+out|provide|"
               r"incorporate|reflect)\b"
               # "officers would ... create a programme of work" (not "officers would continue to ...")
               r"|\bofficers\s+would\b(?!\s+(?:continue|need|be\s+able|have|not|normally|usually|always))"
               r"|\b(?:would|will)\s+(?:therefore\s+|also\s+)?be\s+reported\b"
               r"|\b(?:would|will|should)\s+(?:first\s+)?be\s+(?:re)?(?:considered|discussed|reviewed|revisited|"
               r"brought)\s+(?:by|at|to)\s+(?:the|a)\s+(?:next|future|later|subsequent)\s+meeting\b", re.I),
    # A resolution's subjunctive: "RESOLVED that officers investigate the complaints", "that the Panel receive a
    # further report", "that the comments be passed to the Cabinet Member"; and an item put on a later agenda.
    re.compile(r"\bthat\s+(?:the\s+)?(?:officers?|Director|Corporate\s+Director|"
               r"Head\s+of\s+[\w’']+(?:\s+(?-i:[A-Z])[\w’']*){0,4}|Cabinet\s+Member|"
               r"Chair(?:man)?|(?!(?:Cabinet|Council|County|Government|Minister|Secretary)\b)"
               # (not a possessive: "the Chair's update be noted")
               r"(?-i:[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3}))(?<!’s)(?<!'s)\s+(?-i:" + FOLLOW_UP + r"|provide|send|"
               r"share|report|present|bring|arrange|supply|prepare|produce|review|explore|update|obtain|submit|give|write)"
               r"s?\b"
               # (receiving, in a resolution: in the discussion, "a suggestion that the Panel receive the information
               # regularly" is where a resolution starts, and the resolution is the request)
               r"|\b(?:RESOLVED|AGREED|decided)\b(?:(?![.;]).){0,120}?\bthat\s+(?:the\s+)?(?:Panel|Committee|Board|Members|"
               r"Cabinet|councillors)\s+(?:receives?|be\s+(?:given|sent|provided|updated|informed|kept|briefed))\b"
               r"|\bthat\b(?:(?![.;]).){0,160}?\bbe\s+(?:" + FOLLOWED_UP + r")\b"
               # "RESOLVED that the Committee: ... (b) request a progress report at the December meeting", "(c) ask
               # the Chair to write to ...": the committee's own request, its verb in the resolution's subjunctive
               # ("That the Committee requests a progress report ...", "asks for a further report", "agrees to
               # receive an update", "instructs the Strategic Director to bring ...")
               r"|\bRESOLVED\s+that\s+(?:that\s+)?(?:the\s+(?:Committee|Panel|Board|Group|Sub-Committee)\s*:?\s+)?"
               r"(?:(?:request|ask|require|instruct|commission|seek)s?\s+(?:for\s+)?|agrees?\s+to\s+receive\s+)"
               r"(?:that\b|(?:a|an|the|further|regular|[\w-]+ly)\s+(?:[\w-]+\s+){0,3}" + DELIVERABLE + r"\b|"
               + ASKED_WHOM + r"to\s+(?:" + FOLLOW_UP + r"|" + DELIVER + r")\b)"
               r"|\bRESOLVED\b(?:(?![.;]).){0,200}?\b(?:requests?|asks?|instructs?|requires?)\s+" + ASKED_WHOM
               + r"to\s+(?:" + FOLLOW_UP + r"|" + DELIVER + r")\b"
               # (whoever is asked, by a resolution, to do something and then bring it back: "asks the ICB and
               # partners to bring a joint review ... to the June meeting", "asks the PNA steering group to assess
               # ..., and to report its conclusion to the September meeting")
               r"|\bRESOLVED\b(?:(?![.;]).){0,200}?\b(?:requests?|asks?|instructs?)\s+(?:the\s+)?(?-i:[A-Z])"
               r"(?:(?![.;]).){0,80}?\bto\s+(?:(?:" + FOLLOW_UP + r"|" + DELIVER + r")\b|(?:(?![.;]).){0,160}?\band\s+"
               r"(?:then\s+)?to\s+(?:" + FOLLOW_UP + r"|report|bring|present|submit)\b)"
               r"(?:(?![.;]).){0,200}?(?:" + RECIPIENT_OR_TIME + r")"
               # "asked that the Board hear back from the Hive in the autumn"
               r"|\b(?:asked|requested)\s+that\s+(?:(?![.;]).){1,80}?\s(?:" + FOLLOW_UP + r")\b"
               # "RESOLVED that the Headteacher's annual report for 2018/19 include an analysis of exclusions"
               r"|\bRESOLVED\s+that\s+(?:that\s+)?(?:the\s+)?(?:[\w’'/-]+\s+){0,6}?(?:reports?|scorecards?|updates?|"
               r"dashboards?)\s+(?:for\s+[\w/-]+\s+)?(?:include|show|contain|cover|set\s+out)\b"
               # "proposed that a working group ... report its views to the January meeting", "asked that the April
               # meeting receive a report on ..."
               r"|\b(?:proposed|suggested|requested|asked|recommended)\s+that\b(?:(?![.;]).){0,200}?\b(?:" + DELIVER
               + r"|" + FOLLOW_UP + r")\b(?:(?![.;]).){0,80}?\b(?:to|at|for)\s+(?:the|a|its)\s+(?:next|future|later|"
               + MONTH_NAME + r"(?:\s+\d{4})?)\s+meeting\b"
               r"|\b(?:proposed|suggested|requested|asked)\s+that\s+(?:the|its)\s+(?:next|" + MONTH_NAME
               + r")\s+meeting\s+(?:should\s+)?(?:receive|consider|include)\b"
               # "asked that future scorecards show the figure by age band", "request that next year's annual
               # report include ..."
               r"|\b(?:ask|asks|asked|request|requests|requested|recommend|recommends|recommended)\s+that\s+(?:the\s+)?"
               r"(?:future|subsequent|next|later|further|next\s+year(?:’|')s)\s+(?:[\w-]+\s+){0,2}(?:reports?|updates?|"
               r"scorecards?|dashboards?|papers?|versions?|plans?)\s+(?:should\s+|would\s+)?(?:include|show|contain|"
               r"cover|set\s+out|provide|incorporate|reflect|break)"
               # "RESOLVED that the Group complete its work and submit its final report to the Committee"
               r"|\bRESOLVED\b(?:(?![.;]).){0,200}?\b(?-i:submit|present|bring|provide|send|circulate|share|report)\s+"
               r"(?:its|their|the|a|an|further)\s+(?:[\w-]+\s+){0,2}" + DELIVERABLE + r"\b" + RECIPIENT_OR_TIME +
               r"|\b(?:added|put|placed|included)\s+(?:on|to|in)\s+(?:the|a|its|this)\s+(?:[\w’'-]+\s+){0,2}"
               r"(?:agenda|forward\s+plan)\b"
               # "RESOLVED that a report on <a long subject> be submitted to the Committee": what is asked for
               # comes first, however long what it is about
               r"|\bthat\s+(?:a|an|the|further|regular)\s+(?:[\w-]+\s+){0,2}" + DELIVERABLE
               + r"\b" + UNTIL_BE + r"{0,240}?\b(?:be|are|is)\s+(?:re-?)?(?:submitted|presented|brought|circulated|"
               r"provided|reported|made|shared|sent|produced|prepared|given|supplied|forwarded|returned)\b"
               # "that the final Strategy, amended to reflect ..., be presented to the Panel at its next meeting"
               r"|\bthat\b" + UNTIL_BE + r"{0,240}?\bbe\s+(?:re-?)?(?:presented|submitted|brought(?:\s+back)?|reported|"
               r"circulated|provided|returned)\s+to\s+(?:the|this)\s+(?:Panel|Committee|Sub-Committee|Board|Group|Forum)\b"
               # "that the January agenda would include ...", "the work programme should include ..."
               r"|\b(?:agenda|work\s+programme|forward\s+plan)(?:\s+(?:of|for)\s+(?:the|its)\s+(?:[\w-]+\s+){0,2}"
               r"meeting)?\s+(?:would|will|should|to)\s+(?:also\s+)?include\b", re.I),
    # "to report back", "come back to the Panel", "a further report would come to the Committee", "to a future
    # meeting", "a standing item", "would be picked up in the next report", "added to the work programme"
    re.compile(r"\breport(?:ed|ing)?\s+back\b|\b(?:come|came|coming|go|going|return|returning)\s+(?:back\s+)?to\s+"
               r"(?:the|a|this|its)\s+(?:next\s+|future\s+|later\s+|" + MONTH_NAME + r"(?:\s+\d{4})?\s+)?"
               r"(?:Panel|Committee|Board|Forum|(?-i:CPP)|Group|meeting)\b"
               r"|\b(?:go|come|return)\s+(?:back\s+)?to\s+(?-i:CPP)\b|\bstanding\s+(?:agenda\s+)?item\b"
               # ("would be completed prior to the next meeting" is a deadline, not a meeting it comes to)
               r"|\b(?<!prior\s)(?:to|at|for|until|till)\s+(?:a|the)\s+(?:future|later|subsequent|next)\s+(?:meeting|"
               r"Panel|Committee|Board|Forum|Group)\b"
               r"|\bat\s+a\s+later\s+date\b"
               # "an update could be presented to the July meeting" (something still to come, to a meeting named
               # by its month: "had been presented to the July meeting" is not), "a future item on ..."
               r"|\b(?:would|will|could|should|shall|be)\s(?:(?![.;]).){0,60}?\b(?:to|at|for)\s+(?:the|its)\s+"
               + MONTH_NAME + r"(?:\s+\d{4})?\s+(?:meeting|Panel|Committee|Board)\b"
               r"|\b(?:an?|the)\s+(?:upcoming|future|further)\s+(?:agenda\s+)?item\s+on\b"
               # an item put on the agenda of a meeting named by its date: "the draft plan being scheduled for the
               # meeting on 10 April 2024", "the annual report added for the meeting on 3 July"
               r"|\b(?:scheduled|added|listed|programmed|timetabled|included|brought|presented|submitted)\s+(?:for|to|at)"
               r"\s+(?:the|its)\s+meeting\s+(?:on|of|in)\s+(?:\w+,?\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:January|"
               r"February|March|April|May|June|July|August|September|October|November|December)\b"
               r"|\bbe\s+(?:included|picked\s+up|covered)\s+in\s+(?:the|a|its|each|future|next)\s+(?:[\w-]+\s+){0,3}"
               r"(?:reports?|updates?|papers?|scorecard|dashboard|minutes)\b"
               r"|\b(?:added|add|adding)\s+to\s+(?:the|its|this)\s+(?:\w+(?:’s|'s)?\s+)?(?:forward\s+)?work\s+"
               r"(?:programme|plan)\b", re.I),
    # Seeing to it that a later report carries it: "He would make sure that what carers had said ... was set out in the
    # report to the Panel in January".
    re.compile(r"\b(?:would|will)\s+(?:make\s+sure|ensure|see\s+to\s+it)\s+that\b(?:(?![.;]).){0,160}?\b(?:in|to|at)\s+"
               r"(?:the|a|its|their)\s+(?:next\s+|future\s+|further\s+|annual\s+|following\s+)?(?:[\w-]+\s+)?(?:report|update|"
               r"scorecard|paper|meeting)\b(?:(?![.;]).){0,60}?(?:" + RECIPIENT_OR_TIME + r")"
               # what is done then shared, its verb left out: "this would now be done, and the results shared with
               # Members"
               r"|\band\s+(?:the\s+|its\s+|their\s+)?(?:results?|findings|figures|outcomes?|details|analysis|information|"
               r"conclusions?)\s+(?:then\s+)?(?:shared|circulated|reported|sent|provided|given|fed\s+back)\s+(?:to|with)\s+"
               r"(?:all\s+)?(?:the\s+)?(?:Members|councillors|Panel|Committee|Board|Group)\b"
               # one offering to bring it himself: "He suggested that he report to the Panel on the take-up ..."
               r"|\b(?:suggested|proposed|offered)\s+that\s+(?:he|she|they|officers|the\s+service)\s+(?:" + DELIVER
               + r"|" + FOLLOW_UP + r")\b" + RECIPIENT_OR_TIME, re.I),
)
# Not a request of this committee: what happened already ("had been circulated") and meeting dates (a paper
# going on to another body, "the report would be presented at the Full Council in December", is
# ``to_another_body``).
NOT_A_REQUEST = re.compile(r"\b(?:had\s+been\s+(?:submitted|provided|circulated|added|requested)|"
                           # (what was asked before: "the report, which the Committee had asked to see")
                           r"had\s+(?:asked|requested)|"
                           r"next\s+meetings?\s+(?:will|would)\s+be\s+held|dates?\s+(?:of|for)\s+(?:the\s+)?next)\b"
                           # ...nor thanks sent on, which ask for nothing back ("the Panel's thanks be passed to ...")
                           r"|\bthanks\s+(?:be|were|was|would\s+be|to\s+be)\s+(?:passed|conveyed|given|sent|recorded|"
                           r"extended|forwarded)\b"
                           # ...nor an action a log reports done ("| Status: Complete – circulated 3 January")
                           r"|\bStatus\s*:\s*(?:Complete|Completed|Closed|Done|Superseded|Withdrawn)\b"
                           # ...nor a row of the log of earlier actions, which has a status ("Action 3 | Bring ... |
                           # Lead: SH | Due: January | Status: Open – deferred")
                           r"|\bAction\s+\S+\s*\|(?:[^|]*\|){1,5}\s*Status\s*:"
                           # ...nor a report that will stop ("the health dashboard would no longer be presented"),
                           # what others were asked before ("Social workers had been asked to contact ..."), a paper
                           # on its timetable ("... presented in February in accordance with the work programme";
                           # "the Chair reminded Members that the annual report would be presented in March")
                           r"|\bno\s+longer\s+(?:be\s+)?(?:presented|reported|included|provided|produced|brought|sent|"
                           r"circulated|come|go)\b"
                           r"|\bhad\s+(?:not\s+)?been\s+(?:asked|requested|tasked|instructed)\b"
                           r"|\b(?:in\s+(?:accordance|line)\s+with|as\s+(?:set\s+out\s+in|per))\s+the\s+(?:[\w-]+\s+)?"
                           r"(?:work\s+programme|forward\s+plan|timetable|schedule)\b|\bas\s+(?:planned|scheduled|usual)\b"
                           r"|\bas\s+(?:it|they)\s+(?:does|do)\s+every\s+year\b|\bas\s+in\s+(?:previous|other|past)\s+years\b"
                           r"|\breminded\s+(?:the\s+)?(?:Members|councillors|Panel|Committee|Board|Sub-Committee)\s+that\s+"
                           r"(?:the|a|an|its)\s+(?:[\w’'()-]+\s+){0,10}?(?:report|session|training|meeting|event|review|"
                           r"seminar|workshop|conference|awards|lunch|celebration|ceremony|festival)\b(?:(?![.;]).){0,80}?"
                           r"\bwould\s+be\s+(?:presented|held|considered|taken|delivered|run|received)\b"
                           # ...nor someone invited only to attend, or to send representatives
                           r"|\bbe\s+invited\s+to\s+attend\b(?![^.;]{0,80}\b(?:present|provide|report|update|give|"
                           r"explain|talk|speak|brief)\w*\b)"
                           r"|\b(?:send|nominate)\s+(?:a\s+)?representatives?\b"
                           # ...nor another body's own plan ("Redbourne District Council had said that it would
                           # consider the matter"), a point taken at the next item of the same meeting, the running
                           # of the meetings themselves (the Teams link, the distribution list, the Board's file), and
                           # members' or partners' comments sent to an officer
                           r"|\bhad\s+(?:said|indicated|confirmed|agreed)\s+that\s+it\s+would\b"
                           r"|\b(?:under|at|in)\s+the\s+next\s+item\b"
                           r"|\b(?:distribution\s+lists?|(?:Teams|Zoom|meeting)\s+links?|(?:Board|Panel|Committee)(?:’s|'s)?\s+"
                           r"files?|membership\s+lists?|calendar\s+invit\w+)\b"
                           r"|\b(?:all\s+)?(?:partners|members|councillors)\s+to\s+(?:send|submit|provide|forward|e-?mail)\s+"
                           r"(?:any\s+|their\s+)?(?:comments|feedback|views|nominations|suggestions)\b"
                           # ...nor members asked to spread the word ("Board members asked to share it through their
                           # networks")
                           r"|\b(?:Board\s+|Panel\s+|Committee\s+)?members\s+(?:were\s+)?(?:asked|encouraged|invited|urged)"
                           r"\s+to\s+(?:share|promote|publici[sz]e|spread|encourage|support|attend|contribute|nominate|"
                           r"sign\s+up|complete|take\s+part|volunteer)\b"
                           # ...or to government, a regulator or a forum: a representation or a submission, nothing
                           # that comes back ("the Chair write to the Secretary of State", "the response would be
                           # submitted to the Department for Education", "... to the Schools Forum for approval")
                           r"|\b(?:(?:write|wrote|written|writing|submitted|sent|send|sending|made|presented|respond)\s+to|"
                           r"raise[sd]?\s+(?:[\w-]+\s+){0,14}?with)\s+"
                           r"(?:the\s+)?(?:Secretary\s+of\s+State|(?:Government\s+)?Ministers?|"
                           r"(?:(?:Welsh|Scottish|UK|HM|national|central)\s+)?Government|Department\s+"
                           r"(?:for|of)|DfE|DHSC|Home\s+Office|Treasury|(?:local\s+)?MPs?|Schools\s+Forum|Ofsted)\b"
                           # (unless the reply comes back: "... and to share the reply with members")
                           r"(?![^.;]*\b(?:share|circulate|report|provide|forward|copy)\b[^.;]{0,30}\b(?:reply|replies|"
                           r"response|responses|answer)\b[^.;]{0,20}\b(?:with|to)\s+(?:all\s+)?(?:Members|councillors|the\s+"
                           r"(?:Panel|Committee|Board))\b)"
                           # ...and an invitation to an event or a visit, and young people asked to think of issues
                           # for a later meeting
                           r"|\b(?:invite|invited|inviting)\s+(?:all\s+)?(?:the\s+)?(?:Members|councillors|Panel|Committee|"
                           r"you)\b(?:(?![.;]).){0,40}?\bto\s+(?:(?:our|the|a|an|their|its)\s+(?:[\w’'-]+\s+){0,4}"
                           r"(?:evening|event|celebration|party|ceremony|awards?|launch|reception|lunch|dinner|open\s+day|"
                           r"conference|festival)|visit)\b"
                           r"|\barrange\s+for\s+(?:the\s+)?(?:Members|councillors|Panel|Committee)\s+to\s+visit\b"
                           # ("Members of the Panel would receive an invitation to the opening", "Members who wished to
                           # help on the day were asked to contact Ms Merriman")
                           r"|\b(?:receive|be\s+sent|get)\s+an?\s+invitation\b"
                           r"|\bMembers\b(?:(?![.;]).){0,40}?\b(?:were|are|would\s+be)\s+(?:asked|invited|encouraged|welcome)\s+"
                           r"to\s+(?:contact|attend|join|help|come|take\s+part)\b"
                           r"|\basked\s+(?:them|the\s+young\s+people|young\s+people|the\s+children)\s+to\s+think\b"
                           # ...and when a product is expected to be ready ("He expected the scorecard to be produced
                           # from the new system from the autumn")
                           r"|\b(?:expect|expects|expected|anticipated|hoped)\s+(?:that\s+)?(?:the|this|it|its)\s+"
                           r"(?:[\w’'-]+\s+){0,3}(?:to\s+be|would\s+be|will\s+be)\s+(?:produced|completed|ready|available|"
                           r"generated|published|finished|implemented|in\s+place)\b"
                           # ...and a courtesy ("he looked forward to the next meeting")
                           r"|\blook(?:s|ed|ing)?\s+forward\s+to\s+(?:the|a|its|this)\b"
                           # ...and what members themselves are asked to do ("requested the panel to share ...")
                           r"|\b(?:requested|asked|encouraged|invited|urged|reminded)\s+(?:the\s+|all\s+)?(?:panel|"
                           r"members|councillors|committee)\s+(?:members\s+)?to\b"
                           r"|\b(?:members|councillors|the\s+panel|the\s+committee)\s+(?:were|was)\s+(?:asked|"
                           r"requested|encouraged|invited|urged|reminded)\s+to\b"
                           # ...as is what they are reminded to send ("the Chair reminded members that feedback on
                           # the training should be sent to the officer"; not "reminded Members that the officer would
                           # circulate ...")
                           r"|\b(?:reminded|urged|encouraged)\s+(?:the\s+|all\s+)?(?:panel|members|councillors|"
                           r"committee)\s+(?:members\s+)?(?:that|of)\s+(?:(?:their|any|all|the)\s+)?(?:feedback|"
                           r"comments|questions|views|nominations|responses|suggestions|contributions)\b"
                           # ...and a pointer to a later item of the same meeting ("would be covered in the report at
                           # item 10 on the agenda (see minute 95 below)")
                           r"|\b(?:item\s+\w+\s+(?:on|of)\s+(?:the|this|today(?:’|')s)\s+agenda|later\s+(?:on\s+)?"
                           r"(?:in\s+)?(?:the|this)\s+(?:meeting|agenda)|minute\s+\d+\s+below|(?:before|by)\s+the\s+end\s+of\s+"
                           r"the\s+meeting|(?:taken|discussed|considered)\s+under\s+item\s+\w+)\b"
                           # ...and young people invited to attend the meetings: attendance, nothing that comes back
                           r"|\b(?:invited\s+to\s+)?attend\s+(?:each|every|all|future|later|subsequent|the\s+next)\s+"
                           r"(?:[\w-]+\s+)?meetings?\b"
                           # ...and a letter to an outside party that only expresses the committee's view ("the Chair
                           # write to the Chief Executive of the Trust to express the Panel's concern ...")
                           # (one that brings a reply back is a request: "... and to report their responses")
                           r"|\b(?:write|writes|wrote)\s+(?:on\s+behalf\s+of\s+the\s+\w+\s+)?to\s+(?:the\s+)?(?!Members\b|"
                           r"councillors\b|all\s+Members\b)(?![^.;]*\b(?:report|reply|replies|responses?|back|inform|"
                           r"let\s+\w+\s+know)\b)(?:(?![.;]).){0,120}?\b(?:to\s+(?:express|urge|press|lobby|ask\s+that|"
                           r"request\s+that|seek)|expressing|encouraging|urging|congratulating|thanking|about\s+the)\b"
                           # ...and the programme of a later meeting announced ("The January meeting would consider
                           # ..."), and a courtesy ("asked that the Panel's good wishes be sent to ...")
                           r"|^\W*(?:The|Its)\s+(?:(?:next|" + MONTH_NAME + r")(?:\s+\d{4})?\s+)?meeting"
                           r"(?:\s+(?:on|in)\s+[\w\s]{1,25}?)?\s+(?:would|will)\s+(?:consider|receive|include|cover|take)\b"
                           r"|\b(?:good|best)\s+wishes|\bcondolences\b|\bcongratulations\s+be\b"
                           r"|\bpass\s+on\s+(?:the\s+[\w-]+(?:’|')s\s+|its\s+|their\s+|our\s+|his\s+|her\s+)?"
                           r"(?:thanks|gratitude|appreciation)\b"
                           # ...and the yearly reports announced, which come whether or not anyone asks ("the
                           # Fostering Service's annual report would be presented in May"), unless something is
                           # asked of them ("asked that the annual report include ...")
                           r"|^(?!.*\b(?:asked|requested|agreed|undertook|offered|include|show|cover)\b)"
                           r"(?=.*\bannual\s+reports?\b).*\b(?:would|will)\s+(?:be\s+)?(?:presented|present|come|"
                           r"considered|taken|received|submitted)\b"
                           r"|\bin\s+the\s+usual\s+way\b|\bas\s+(?:it|they)\s+(?:did|does|do)\s+(?:each|every)\s+year\b"
                           # ...and a member's question, which the answer after it may or may not make a request of
                           # ("Mrs X asked how many had taken part and whether the results would be shared"; not one
                           # that the answer in the same sentence undertakes: "... asked why; Tom will look into it")
                           r"|^(?!.*\b(?:(?:asked|requested)\s+(?:that|for)|(?:agreed|undertook|offered|promised)\s+to|"
                           r"said|replied|responded|explained|confirmed|did\s+not\s+(?:know|have)|will)\b)"
                           r"(?=.*\b(?:asked|enquired|queried)\s+(?:how|what|when|where|why|who|which)\b)"
                           # ...and an earlier request spoken of ("the analysis requested at Minute 156 would now be
                           # presented in October"; "At the last meeting we said we would tell you ...")
                           r"|\b(?:requested|asked\s+for)\s+(?:at|under|in)\s+(?:minute\s+\d+|(?:the\s+)?(?:last|previous|"
                           + MONTH_NAME + r")\s+meeting)\b"
                           # ...or pointed back to ("subject to the addition of the item agreed at paragraph (2)", "the
                           # report requested by the Panel (Minute 63(5)(b)/2016)"): the request is where it was made
                           r"|\b(?:item|report|update|paper|briefing)s?\s+(?:agreed|requested)\s+(?:by\s+(?:the\s+)?(?:Panel|"
                           r"Committee|Board|Members)\s+)?(?:at|under|in|\()\s*(?:paragraph|para\.?|minute)\s*\(?\d"
                           r"|\brequested\s+by\s+(?:(?:Mr|Mrs|Ms|Miss|Dr|Cllr|Councillor)\.?\s+)?[A-Z][\w’'-]+\s+(?:in|at)\s+"
                           r"(?:" + MONTH_NAME + r"|the\s+(?:last|previous)\s+meeting)\b"
                           r"|\b(?:told|promised)\s+(?:you|us|the\s+(?:Panel|Committee|Board))\s+(?:that\s+)?(?:we|they|he|she)"
                           r"\s+would\b|\bwe\s+said\s+(?:that\s+)?we\s+would\b"
                           # ...and a point taken later in the same meeting ("would be considered in more detail under
                           # Item B3"), what a survey found people asked for, a paper's own proposal, and what will
                           # not be asked
                           r"|\b(?:taken|discussed|considered|covered|picked\s+up)\b(?:\s+\w+){0,4}\s+under\s+item\s+\w+"
                           r"|\basked\s+for\s+(?:was|were|is|are)\b|\b(?:It|The\s+(?:report|paper))\s+propos(?:ed|es)\s+that\b"
                           r"|\bnot\s+be\s+(?:asked|required)\s+to\b", re.I)
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18}
IN_MONTHS = re.compile(r"\b(?:in|within|after)\s+(?P<n>\d+|" + "|".join(NUMBER_WORDS) + r")\s+months?(?:'|’)?"
                       r"(?:\s+time)?\b", re.I)
IN_YEAR = re.compile(r"\b(?:in|within|after)\s+(?:a|one)\s+year\b|\bin\s+a\s+year(?:'|’)s\s+time\b", re.I)
NEXT_MEETING = re.compile(r"\b(?:the|its)\s+next\s+meeting\b", re.I)
# A Scottish committee's "cycle" is the run to its next meeting: "a report in one cycle", "within two cycles".
IN_CYCLES = re.compile(r"\b(?P<within>in|within)\s+(?P<n>\d|a|one|two|three|four)\s+(?:committee\s+)?cycles?\b", re.I)
# A meeting named by its month or its date: "to the December meeting", "for the meeting on 25 March 2025",
# "to this Committee in January 2024".
NAMED_MEETING = re.compile(r"\b(?:the|its)\s+(?P<month>" + MONTH_NAME + r")(?:\s+(?P<year>(?:19|20)\d\d))?\s+"
                           r"(?:meeting|Panel|Committee|Board)\b|\bmeeting\s+(?:on|of|in)\s+(?:\w+day,?\s+)?(?:(?P<day>\d{1,2})"
                           r"(?:st|nd|rd|th)?\s+)?(?P<month2>" + MONTH_NAME + r")(?:\s+(?P<year2>(?:19|20)\d\d))?\b|"
                           r"\b(?:to|before)\s+(?:this|the|its)\s+(?:Committee|Panel|Board|Sub-Committee)\s+in\s+"
                           r"(?P<month3>" + MONTH_NAME + r")(?:\s+(?P<year3>(?:19|20)\d\d))?\b|"
                           # ("... and show the Panel the final version when it met in November")
                           r"\b(?:it|the\s+(?:Panel|Committee|Board|Group)|Members)\s+(?:next\s+)?(?:met|meets|meet)\s+in\s+"
                           r"(?P<month4>" + MONTH_NAME + r")(?:\s+(?P<year4>(?:19|20)\d\d))?\b", re.I)
IN_SEASON = re.compile(r"\b(?:in|during|by)\s+the\s+(?P<season>spring|summer|autumn|winter|new\s+year)\b", re.I)
SEASON_MONTH = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12, "newyear": 1}
# ("by March 2025" as the time a report comes, not the date a target is to be met by: "a target of 75 per cent of
# children placed within 20 miles of home by April 2020")
BY_MONTH = re.compile(r"\b(?:report\w*|brought|submitted|presented|provided|circulated|back|updat\w*|received|"
                      r"considered|come|given|shared|sent)\b[^.;]{0,60}?\bby\s+(?:the\s+end\s+of\s+)?"
                      r"(?P<when>\w+\s+(?:19|20)\d\d)\b", re.I)
# A decision's lettered or numbered parts: "a) ...; b) ...", "(i) ...".
PART = re.compile(r"(?:^|[\s;:])(?:\(?[a-z]\)|\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\)|\(?\d+\))\s+", re.I)
# Decisions that set a position (a later one of these on the same thing replaces the earlier).
POSITION = re.compile(r"\b(?:endorse[sd]?|approve[sd]?|agree[sd]?|adopt(?:s|ed)?|ratif(?:y|ied)|support(?:s|ed)?)\b",
                      re.I)
REVISED = re.compile(r"\b(?:revised|updated|refreshed|new|amended|replacement)\b", re.I)
# A minute saying that what was given at it is printed with the minutes: "The text of the update will be
# attached to these minutes", "a copy of the presentation is appended to the minutes".
ATTACHED_TO_MINUTES = re.compile(r"\b(?:attached|appended|annexed)\s+(?:to|with|as\s+an?\s+(?:appendix|annex)\s+to)\s+"
                                 r"(?:these|the|this)\s+minutes?\b", re.I)
# A minute's action line: "ACTION: Head of Service to ...", "Action CPB/21/14a – ...", "Actions: Action 2 - ...".
ACTION_LINE = re.compile(r"^\W*(?:Actions?\s*(?:arising\s*)?:\s*)?(?:(?-i:ACTION)\b|"
                         r"Action\b(?:\s+(?-i:[A-Z0-9][\w/.]*\d[a-z]?))?\s*[-–:|])", re.I)
# The minute an action-log row was agreed at, in its second cell: "Action 1 | CPB 4/23 | ...".
LOGGED_FROM = re.compile(r"^\W*Action\s+\S+\s*\|\s*(?P<minute>[^|]{1,20}?\d[^|]{0,10}?)\s*\|")
# A row of an action log read as text, its cells kept apart by bars: "Action 2 | CPB 6/23 | Find out how many ...
# | Lead: KS | Due: 28 February". Every row with someone to lead it is an action agreed.
ACTION_ROW = re.compile(r"\bAction\s+(?-i:[A-Z0-9][\w/.]*)\s*\|(?:[^|]*\|){1,3}\s*(?:Lead|Owner|Officer|By|Who)\s*:",
                        re.I)
# ...pointing back to the discussion that says what is to be done: "(see 3.7)", "as discussed above".
POINTS_BACK = re.compile(r"\(\s*(?:see|cf\.?|as\s+at)\s+(?:para(?:graph)?\.?\s*|minute\s+|item\s+)?\d|"
                         r"\b(?:as\s+(?:discussed|set\s+out|noted)|see)\s+above\b", re.I)
# ...or naming only who and what, no verb ("Action: JP – Panel scorecard changes", "ACTION: LQ/TR – IHA audit
# (summer)"): the discussion says what is to be done.
VERBLESS_ACTION = re.compile(r"^\W*ACTION\s*:\s*(?-i:[A-Z]{2,4}(?:\s*/\s*[A-Z]{2,4})*)\s*[–-]\s+(?!(?:to|will)\s)",
                             re.I)
ACTIONS_HEADING = re.compile(r"\s*(?:actions?(?:\s+(?:arising|agreed|points?|log))?|action\s+points?)\s*[:–-]",
                             re.I)
# A later minute or paper that names the minute a request was made at brings that request back: "Further to Minute
# 145(2)(b), Mrs Whitlock reported ...", "the analysis requested at minute 8/25 ...", "As requested at minute LACC.9".
MINUTE_REFERENCE = re.compile(
    r"\b(?:further\s+to|arising\s+from|following(?:\s+on\s+from)?|(?:as\s+)?(?:requested|asked\s+for|agreed)\s+"
    r"(?:at|in|under)|in\s+response\s+to)\s+(?:the\s+\w+['’]s\s+)?(?:request\s+(?:at|in|under)\s+)?"
    r"minute\s+(?P<number>[A-Za-z]*[ ./]?\d[\w/.]*?)(?=[\s,;:'’)(]|\.(?:\s|$)|$)"
    # ...or by the meeting, with the minute in brackets: "asked for in March (minute CPB/21/9)", "requested by the
    # Panel in December 2018 (Minute 36/2018)", "at the Committee's request (minute 29/18)", "the response of Cabinet
    # ... to the Committee's recommendation of 25 September 2018 on placements close to home (minute 36/18)" (a
    # bracket alone only names where a thing was decided: "the Home to School Travel Policy (minute CAB/24/54)")
    r"|\b(?:requested|request|asked(?:\s+for)?|agreed|promised|recommendations?|response)\b[^.;()]{0,80}"
    r"\(\s*(?:see\s+)?minute\s+"
    r"(?P<bracketed>[A-Za-z]*[ ./]?\d[\w/.]*?)(?=[\s,;:'’)(]|\.(?:\s|$)|$)", re.I)
# ...or names its printed paragraph, where the minutes number their paragraphs on ("As requested at paragraph 88, the
# Service Manager reported ...", "Further to paragraph 34 of the minutes of the meeting held on 20 September 2022").
PARAGRAPH_REFERENCE = re.compile(
    r"\b(?:further\s+to|arising\s+from|following(?:\s+on\s+from)?|(?:as\s+)?(?:requested|asked\s+for|agreed|promised)\s+"
    r"(?:at|in|under)|in\s+response\s+to)\s+(?:the\s+\w+['’]s\s+)?(?:request\s+(?:at|in|under)\s+)?"
    r"para(?:graph)?\.?\s*(?P<number>\d+)(?:\s*\([a-z0-9]+\))*(?:\s+of\s+the\s+minutes\s+of\s+the\s+(?:meeting\s+)?"
    r"(?:held\s+)?on\s+(?P<day>\d{1,2})\s+(?P<month>" + MONTH_NAME + r")\s+(?P<year>(?:19|20)\d\d))?"
    # ...or in brackets after the request's meeting: "as requested at the meeting on 23 November 2021 (paragraph 60
    # refers)"
    r"|\b(?:requested|asked(?:\s+for)?|agreed|promised)\b[^.;()]{0,80}\(\s*(?:see\s+)?para(?:graph)?\.?\s*"
    r"(?P<bracketed>\d+)(?:\s*\([a-z0-9]+\))*(?:\s+refers)?\s*\)", re.I)
# ...or names the meeting it was asked at: "the figures requested at the last meeting had been circulated", "As
# requested by Members in March, ...", "requested at the April meeting" (that meeting's requests, any minute).
MEETING_REFERENCE = re.compile(
    r"\b(?:requested|asked\s+for|promised)\s+(?:(?:by\s+)?(?:the\s+)?(?:Members|Panel|Committee|Board|Cabinet|"
    r"Group|Council|Chair(?:man)?|(?:Councillor|Alderman|Cllr|Mr|Mrs|Ms|Dr)\.?\s+[A-Z][\w’'-]+)\s+)?"
    r"(?:at|in)\s+(?:the\s+|its\s+)?(?:(?P<last>last|previous)\s+meeting|"
    r"(?P<month>" + MONTH_NAME + r")(?:\s+(?P<year>(?:19|20)\d\d))?(?:\s+meeting)?)\b"
    # ...or opens with the meeting, the asking after it: "At its meeting in February the Panel had asked for ...",
    # "At the April meeting Members had asked to see ...", "Following the Panel's discussion in February, ..."
    r"|\b(?i:at)\s+(?:its|the|their)\s+(?:meeting\s+in\s+(?P<month2>" + MONTH_NAME + r")|(?P<month3>" + MONTH_NAME
    + r")\s+meeting|(?P<last2>last|previous)\s+meeting),?\s+(?:the\s+)?(?:Members|Panel|Committee|Board|Cabinet|Group|"
    r"Council|Sub-Committee)\s+had\s+(?:requested|asked|agreed|called\s+for|resolved)\b"
    r"|\b(?i:following|further\s+to|arising\s+from)\s+(?:the\s+(?:\w+['’]s\s+)?)(?:discussion|request|debate)\s+"
    r"(?:in|at)\s+(?:the\s+|its\s+)?(?P<month4>" + MONTH_NAME + r")(?:\s+meeting)?\b")
# ...or names the meeting by its date: "On 10 October 2023, the Committee requested a further report ...", "As agreed at
# the meeting of 10 October 2023, ...", "requested at its meeting on 6 February 2024".
DATE_WORDS = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>" + MONTH_NAME + r")\s+(?P<year>(?:19|20)\d\d)"
DATED_REFERENCE = re.compile(
    r"\b(?:On|At\s+(?:its|the|their)\s+meeting\s+(?:on|of|held\s+on))\s+" + DATE_WORDS
    + r",?\s+(?:the\s+)?(?:Members|Panel|Committee|Board|Cabinet|Group|Council|Sub-Committee)\s+(?:had\s+)?"
    r"(?:requested|asked|agreed|called\s+for|resolved)\b"
    r"|\b(?:requested|asked\s+for|agreed|promised|called\s+for)\s+(?:by\s+(?:the\s+)?\w+\s+)?at\s+"
    r"(?:the|its|their)\s+meeting\s+(?:on|of|held\s+on)\s+"
    + re.sub(r"\(\?P<(day|month|year)>", r"(?P<\g<1>2>", DATE_WORDS), re.I)
# ...or by its day and month alone, as many minutes write a date of the same year: "Further to the Committee's request
# at its meeting of 11th February, ...", "at its meeting on 11th February, it had agreed that ...", "further to the
# Committee's decision of 11th February" (a meeting of its committee held that day, the last before the citing one).
DAY_MONTH_REFERENCE = re.compile(
    r"\b(?:further\s+to|request\w*|asked|agreed|decided|decision|adopted|resolved|recall)\b[^.;]{0,60}?"
    r"\b(?:meeting\s+(?:on|of|held\s+on)|decision\s+of|request\s+of|on)\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+"
    r"(?P<month>" + MONTH_NAME + r")\b(?!,?\s+(?:19|20)\d\d)"
    r"|\b(?:on|at\s+(?:its|the|their)\s+meeting\s+(?:on|of))\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month2>"
    + MONTH_NAME + r")\b(?!,?\s+(?:19|20)\d\d),?\s+(?:it|the\s+(?:Committee|Panel|Board))\s+had\s+"
    r"(?:requested|asked|agreed|decided|adopted|resolved|called\s+for)\b", re.I)
# ...or, closing a Scottish minute, the papers and earlier minutes it was read with: "(References – Education, Children
# and Families Committee, 10 October 2023 (item 6); report by the Executive Director, submitted.)"
REFERENCES_SENTENCE = re.compile(r"^\W*References?\s*[–—-]")
REFERENCES_ITEM = re.compile(r"\b" + DATE_WORDS + r"\s*\(\s*item\s+(?P<item>\d{1,3})\s*\)", re.I)
# ...unless it says the answer is still to come ("the analysis requested at Minute 156 would now be presented in
# October").
STILL_TO_COME = re.compile(r"\b(?:would|will)\s+(?:now\s+)?(?:be\s+)?(?:presented|brought|come|submitted|considered|"
                           r"reported|taken|circulated)\b|\b(?:deferred|postponed|delayed)\b|"
                           r"\bnot\s+(?:yet|finished|ready|available|included|in)\b|"
                           r"\bstill\s+(?:to\s+come|awaited|being)\b|"
                           # (not a reminder of what was asked: "He reminded the Committee that, at its meeting on
                           # 11th February, it had asked for options ...")
                           r"\breminded\b(?!\s+(?:the\s+)?(?:Committee|Panel|Board|Members)\s+that,?\s+(?:at\s+its\s+"
                           r"meeting|on)\b)|"
                           # (a member asking whether it came, an apology for it: it has not)
                           r"\b(?:still|could|had|did|has|have)\s+not\b|\b(?:asked|enquired)\s+(?:whether|about|when|what|why)\b|"
                           r"\bapologi[sz]ed\b",
                           re.I)
# ...or that it was done outside a meeting ("the breakdown had been circulated to Members on 2 April"): no item of a
# meeting brought it back.
DONE_OUTSIDE = re.compile(r"\b(?:had\s+been|has\s+been|was|were|been)\s+(?:circulated|sent|e-?mailed|distributed|"
                          r"shared|forwarded)\b", re.I)
# What was moved: "- moved by Councillor Lindsay, seconded by Councillor Baird", "Amendment To add a new paragraph".
PROPOSAL_WORDS = re.compile(r"\b(?:moved|proposed)\s+by\b[^.;]{0,80}\bseconded\s+by\b|"
                            r"^\W*(?:Motion|Amendment|Addendum)\s+(?:\d+\)|To\s+(?:add|delete|insert|replace)\b)")
# A member named (the surname): "Councillor Gormley", "Cllr Baird", "Mrs Chandler"; and named as the one who asked, in
# a later minute: "As requested by Councillor Gormley", "at the request of Mrs Chandler", "Councillor Baird's request".
_MEMBER = r"\b(?:Councillor|Alderman|Cllr|Mr|Mrs|Ms|Miss|Dr)\.?\s+(?:[A-Z]\.?\s+)?([A-Z][\w’'-]+)"
ASKER = re.compile(_MEMBER)
ASKED_BY = re.compile(r"\b(?:(?:requested|asked\s+for|raised|sought)\s+by|(?:at\s+)?the\s+request\s+of)\s+"
                      + _MEMBER.removeprefix(r"\b") + r"|" + _MEMBER + r"(?:’|')s\s+request\b")
# A proposal put to the vote in the minutes' prose ("Moved by Councillor Rooney, Seconded by Councillor Wilkinson, That
# the Committee agrees ...") and its outcome after it ("On a vote, six Members voted for the proposal and eight
# against and it was declared lost", "The proposal was put to the meeting and agreed").
MOVED_SECONDED = re.compile(r"\b(?:moved|proposed)\s+by\b[^.;]{0,80}?\bseconded\s+by\b", re.I)
VOTE_OUTCOME = re.compile(r"\bdeclared\s+(?P<declared>lost|carried|defeated)\b|"
                          r"\bput\s+to\s+the\s+(?:meeting|vote)\s+and\s+(?:was\s+)?(?P<put>agreed|carried|lost|defeated)\b|"
                          r"\b(?:motion|amendment|proposal)\s+(?:was\s+)?(?P<fell>fell|lost|defeated|falls)\b", re.I)
UPDATE_WORDS = re.compile(r"\b(?:update|progress|report|review|feedback|response|annual)\b", re.I)
# The business of any meeting, which brings no report back: the last minutes signed, a work programme listing
# what is to come, apologies, dates. ("Matters arising" and an action log can report back, so they stay.)
PROCEDURAL_TITLE = re.compile(r"^\W*(?:(?:the\s+)?minutes\s+of\b|apologies\b|declarations?\s+of\b|"
                              r"(?:committee\s+|panel\s+|forward\s+)?work\s+programme\b|forward\s+plan\b|"
                              r"dates?\s+of\s+(?:future\s+|next\s+)?meetings?\b)"
                              # (unless the title holds them too: "Minutes of the previous meeting and matters arising")
                              r"(?!.*\b(?:matters\s+arising|action\s+(?:log|tracker|list)|actions?\s+arising)\b)", re.I)
ITEM_HEADER = re.compile(r"\|\s*Item\s+([A-Z]?\d+[a-z]?)\s*:\s*(?P<title>[^|]+?)\s*(?:\||$)")


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, last)
        except ValueError:
            continue
    return date(year, month, 28)


def is_request(sentence: str, committee: str | None = None) -> bool:
    """Whether the sentence asks for something to come back to ``committee`` (the minutes' own committee: a paper
    sent on to it by its full name is no paper sent elsewhere)."""
    return (not NOT_A_REQUEST.search(sentence) and any(p.search(sentence) for p in REQUEST_PATTERNS)
            and not to_another_body(sentence, committee))


# Where a clause starts inside text whose bullets were lost in extraction ("... in staff appraisals Once the
# final report has been received ..."): a lower-case word followed by a word that starts a sentence.
# (A name after a word that wants one starts nothing: "... undertook to provide Mrs Quayle with ...", "... and Mr
# Dalby".)
WANTS_A_NAME = ("to", "with", "and", "or", "of", "for", "by", "from", "that", "provide", "give", "send", "tell", "told",
                "ask", "asked", "thank", "thanked", "inform", "invite", "invited", "let", "contact", "meet", "whom",
                "supply", "email", "e-mail")
CLAUSE_START = re.compile(r"(?<=[A-Za-z,)])\s+(?=(?:Once|The|This|These|It|There|A|An|In|As|We|They|When|If|Action|"
                          r"Following)\b)|(?<=:)\s+(?=Action\s+\S+\s*\|)|(?<=[A-Za-z,)])"
                          + "".join(rf"(?<!\b{word})" for word in WANTS_A_NAME) + r"\s+(?=(?:Mr|Mrs|Ms|Dr)\b)")
MATTER_ARISING = re.compile(r"\s+(?=Page\s+\d+\s*[-–])")


def asking_clauses(sentence: str, committee: str | None = None) -> list[str]:
    """The clauses of a sentence that ask for something. Each clause is judged alone, so that what one says
    ("the report had been circulated") does not hide a request in the next (an action log's run-on line:
    "... had been circulated Action – Jo Bloggs to send ..."), nor one clause's request lend the whole sentence
    its standing."""
    # Cut at semicolons, lettered parts, and "..., and that ..." / "... and a report ..." in a RESOLVED.
    # (a clause keeps its "that" while it is judged: "...; and that officers report to the Committee within six
    # months" asks, in the subjunctive, where "officers report to the Committee" alone would not)
    cuts = r";|\s(?=\(?[a-z]\)\s)|,?\s+and\s+(?=that\s)|,?\s+and\s+(?=an?\s)"
    clauses = [c.strip(" ;,") for c in re.split(cuts, sentence) if c.strip(" ;,")]
    joined = {n for n, c in enumerate(clauses) if n and re.match(r"(?:and\s+)?that\s", c)
              and re.search(r"\band\s+$", sentence[: sentence.find(c)])}
    clauses = [re.sub(r"^and\s+(?=that\s)", "", c) for c in clauses]
    # (and at "Page 2 – ...": matters arising, listed by the page of the last minutes)
    pieces = [(n, piece.strip(" ,")) for n, clause in enumerate(clauses) for part in CLAUSE_START.split(clause)
              for piece in MATTER_ARISING.split(part) if piece.strip(" ,")]
    asking = ([(n, p) for n, p in pieces if is_request(p, committee)]
              or [(n, c) for n, c in enumerate(clauses) if is_request(c, committee)])
    return [re.sub(r"^that\s+", "", c) if n in joined else c for n, c in asking]


LIST_ITEM_MARK = re.compile(r"(?:^|[\s;:-])\(?[a-h]\)\s+\S")


def asks(sentence: str, committee: str | None = None) -> bool:
    return is_request(sentence, committee) or bool(asking_clauses(sentence, committee))


def request_words(sentence: str, committee: str | None = None) -> str:
    """The clauses of a sentence that ask for something ("...; d) asked what control ..." is cut off)."""
    asking = asking_clauses(sentence, committee)
    return "; ".join(asking) if asking else sentence


# Who is to do it, where a request opens by naming them: "KM to share ...", "ACTION: DW agreed to ...", "Ms Ng said".
OWNER = re.compile(r"^\W*(?:ACTION\s*:?\s*|Action\s+\S+\s*[-–:]\s*)?(?P<who>(?-i:[A-Z]{2,4})|"
                   r"(?:Mr|Mrs|Ms|Miss|Dr|Cllr|Councillor)\.?\s+[A-Z][\w’'-]+)\b")


def _other_owners(request: str, action: str) -> bool:
    """Both name who is to do it, and not the same person: two undertakings, however alike."""
    one, other = OWNER.match(request), OWNER.match(action)
    return bool(one and other and one["who"] != other["who"])


# A council named at the head of a paper: "COLDHARBOUR COUNTY COUNCIL", "LONDON BOROUGH OF BRACKENFIELD",
# "1 KENT COUNTY COUNCIL CABINET MINUTES", "Harbridge City Council".
LETTERHEAD = re.compile(r"^\W*(?:\d{1,3}\s+)?(?P<name>(?:LONDON|ROYAL)\s+BOROUGH\s+OF\s+[A-Z][A-Z'’-]+|"
                        r"(?:London|Royal)\s+Borough\s+of\s+[A-Z][a-z'’-]+|"
                        r"(?:[A-Z][A-Z'’-]+\s+){1,3}COUNCIL\b|(?:[A-Z][a-z'’-]+\s+){1,3}Council\b)")


def letterhead_authority(text: str) -> str | None:
    """The council a paper's opening names, upper case; None when it opens with anything else."""
    match = LETTERHEAD.match(text[:200])
    name = " ".join(match["name"].upper().split()) if match else ""
    # ("COUNTY COUNCIL MINUTES" heads a meeting of the council, and names none)
    return name if set(name.split()) - {"COUNTY", "CITY", "BOROUGH", "DISTRICT", "TOWN", "PARISH", "METROPOLITAN",
                                        "COUNCIL", "THE"} else None


def as_resolution(part: str) -> str:
    """A decision's part read as a whole resolution: "to receive a further report ..." (after "The Board
    AGREED:") is "RESOLVED that the Committee receive a further report ..."."""
    infinitive = re.match(r"^\W*to\s+(?!be\b)(.+)$", part, re.I | re.S)
    return f"RESOLVED that the Committee {infinitive[1]}" if infinitive else f"RESOLVED that {part}"


def decision_parts(text: str) -> list[str]:
    """A decision's parts ("a) ...; b) ..."), or the whole decision when it has none."""
    flat = " ".join(text.split())
    cuts = [m.end() for m in PART.finditer(flat)]
    if not cuts:
        return [flat]
    parts = [flat[start:(cuts[i + 1] if i + 1 < len(cuts) else len(flat))] for i, start in enumerate(cuts)]
    return [PART.sub(" ", p).strip(" ;,") for p in parts if p.strip(" ;,")]


def _minute_key(number: str | None) -> str:
    """A minute's number as references write it, spaces and stops aside ("LACC.9" and "LACC 9": "lacc9")."""
    return re.sub(r"[\s.]", "", (number or "").lower())


class Citation(NamedTuple):
    """A sentence of a later entry that names the minute, paragraph or meeting a request was made at, so brings
    that request back ("Further to Minute 145 ...", "As requested at paragraph 88 ...", "As requested in March")."""
    entry: int  # the citing entry's row in ``History.entries``
    sentence: str
    minute: str = ""  # the minute it names (``_minute_key``)
    paragraph: str = ""  # the printed paragraph it names
    meeting: str = ""  # the date of the meeting it names (ISO)


def _citing_sentences(entry: HistoryEntry) -> list[str]:
    """The entry's sentences that may cite an earlier request: not one saying its answer is still to come."""
    return [sentence for sentence in [s for _, s in entry.pages] or [entry.text] if not STILL_TO_COME.search(sentence)]


def minute_references(entry: HistoryEntry) -> list[tuple[str, str]]:
    """The earlier minutes an entry says it follows up (``MINUTE_REFERENCE``), as (``_minute_key``, the sentence
    that says so)."""
    sentences = [sentence for _, sentence in entry.pages] or [entry.text]
    return [(_minute_key(match["number"] or match["bracketed"]), sentence)
            for sentence in [entry.title, *sentences, entry.decision or ""]
            if not STILL_TO_COME.search(sentence) for match in MINUTE_REFERENCE.finditer(sentence)]


def paragraph_references(entry: HistoryEntry) -> list[tuple[str, str, str]]:
    """The earlier paragraphs an entry says it follows up (``PARAGRAPH_REFERENCE``), as (the paragraph's number,
    the date of the meeting named with it or "", the sentence that says so)."""
    found = []
    for sentence in _citing_sentences(entry):
        for match in PARAGRAPH_REFERENCE.finditer(sentence):
            dated = DATED_REFERENCE.search(sentence)
            meeting = (_iso_date(match) if match["year"] else
                       _iso_date(dated, "" if dated["day"] else "2") if dated and match["bracketed"] else "")
            found.append((match["number"] or match["bracketed"], meeting, sentence))
    return found


def _iso_date(match: re.Match, suffix: str = "") -> str:
    return (f"{match['year' + suffix]}-{month_number(match['month' + suffix]):02d}-"
            f"{int(match['day' + suffix]):02d}")


def dated_references(entry: HistoryEntry) -> list[tuple[str, str, str]]:
    """The earlier meetings an entry names by their date as ones it follows up (``DATED_REFERENCE``), and the minutes
    a Scottish minute's references line names (``REFERENCES_ITEM``): (the meeting's date, the minute or "", the
    sentence)."""
    found = []
    for sentence in _citing_sentences(entry):
        for match in DATED_REFERENCE.finditer(sentence):
            found.append((_iso_date(match, "" if match["day"] else "2"), "", sentence))
        if REFERENCES_SENTENCE.match(sentence):
            # (a list of papers says nothing of what came back: the minute's title does)
            found += [(_iso_date(match), match["item"], f"{entry.title}. {sentence}")
                      for match in REFERENCES_ITEM.finditer(sentence)]
    return [(day, minute, sentence) for day, minute, sentence in found if day < entry.meeting_date]


def lost_proposals(sentences: Sequence[str]) -> set[str]:
    """The proposals a minute's prose records as moved and then lost: an outcome that names the amendment is the
    last amendment's, any other the last proposal's that was not one. What they asked was not decided."""
    lost: set[str] = set()
    moved: list[tuple[str, bool]] = []  # (the proposal, whether it is an amendment), in order
    for sentence in sentences:
        if mover := MOVED_SECONDED.search(sentence):
            moved.append((sentence, bool(re.search(r"\bamendment\b", sentence[: mover.start()], re.I))))
            continue
        outcome = VOTE_OUTCOME.search(sentence)
        if not outcome or not moved:
            continue
        amendment = bool(re.search(r"\bamendment\b", sentence, re.I))
        which = next((m for m in reversed(moved) if m[1] == amendment), None)
        word = (outcome["declared"] or outcome["put"] or outcome["fell"]).lower()
        if which is not None:
            moved.remove(which)
            if word in ("lost", "defeated", "fell", "falls"):
                lost.add(which[0])
    return lost


def refers_to(reference: str, minute: str, year: str = "") -> bool:
    """A reference names the minute: in full, or without the prefix the minute's number carries ("3/23" for
    "CPB 3/23"), or with the year a minute numbered afresh each year does not print ("9/2019" for minute 9 of a
    2019 meeting, given its ``year``)."""
    if not reference:
        return False
    if reference == minute or (minute.endswith(reference) and minute[-len(reference) - 1].isalpha()
                               and not reference[0].isalpha()):
        return True
    number, _, of = reference.partition("/")
    return bool(year and of and "/" not in minute and number == minute and year.endswith(of) and len(of) in (2, 4))


def _names(text: str, committee: str) -> bool:
    """Whether the text names the committee, in full or by its initials ("CPP")."""
    initials = "".join(w[0] for w in committee.split() if w[0].isupper())
    return committee.lower() in text.lower() or (len(initials) >= 2 and re.search(rf"\b{initials}\b", text) is not None)


# A paper going on to another body ("the annual report would be presented to the Corporate Parenting Board",
# "the Director would raise the shortfall with the regional Strategic Migration Partnership"): no request of
# this committee, unless the words also bring something back to it.
# (a decision "taken by Cabinet" is that body's, and a condition of the request, not its destination; a name may hold
# commas: "the Children, Young People and Education Cabinet Committee")
OTHER_BODY = re.compile(r"\b(?:(?:presented|submitted|reported|taken|referred|sent|forwarded|go|goes|going)\s+"
                        r"(?:also\s+|then\s+|"
                        r"first\s+)?(?:to|at)|(?:considered|decided)\s+(?:also\s+|then\s+|first\s+)?(?:by|at)|raise\s+"
                        r"(?:[\w-]+\s+){0,4}with)\s+(?:the\s+|its\s+|this\s+)?"
                        r"(?P<body>(?:[\w’'&()-]+,?\s+){0,7}?(?:Board|Committee|Partnership|Group|Forum|Council|Cabinet|"
                        r"Executive)(?:\s+(?:Board|Committee|Group|Executive))?)\b", re.I)
# ("the January Board", "the summer Panel", "its next Committee": a meeting of it)
MEETING_OF_IT = r"(?:(?:next|following|" + MONTH_NAME + r"|spring|summer|autumn|winter)\s+)?"
# (brought back here: "to the Panel", "with Members", "report back", "the next meeting"; not "informed the Panel
# that the report would be presented at the Full Council")
TO_THIS_COMMITTEE = re.compile(r"\b(?:to|with|at|before|for)\s+(?:all\s+)?(?:Members|councillors|(?:the|this)\s+"
                               + MEETING_OF_IT + r"(?:Panel|Committee|Board|Group))\b|"
                               r"\b(?:report(?:ed)?\s+back|come\s+back|the\s+next\s+"
                               r"meeting|a\s+future\s+meeting)\b|"
                               # ("that the Panel receive a report on the proposals before ... considered by Cabinet")
                               r"\b(?:(?:the|this)\s+(?:Panel|Committee|Board|Group)|Members)\s+(?:receives?|sees?|be\s+(?:given|"
                               r"sent|shown|provided\s+with|updated|briefed))\b", re.I)


# "the Committee", "a future meeting of the Panel": the minutes' own committee, named by no more than its kind.
THIS_BODY = re.compile(r"(?:^|\b(?:the|this|its|our)\s+)" + MEETING_OF_IT + r"(?:committee|panel|board|group|forum|"
                       r"partnership|executive|sub-committee)$", re.I)


def to_another_body(words: str, committee: str | None = None) -> bool:
    """Whether a request only sends something on to a body other than ``committee`` (or, with none given,
    other than the one the minutes call "the Committee", "the Panel")."""
    others = []
    for match in OTHER_BODY.finditer(words):
        body = match["body"]
        if THIS_BODY.search(body) or (committee and _names(body, committee)):  # ("to the Committee": this one)
            return False
        others.append(match)
    if not others:
        return False
    rest = words
    for match in reversed(others):
        rest = rest[: match.start()] + rest[match.end():]
    return not TO_THIS_COMMITTEE.search(rest) and not (committee and _names(rest, committee))


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z'-]+", text.lower()) if w not in STOPWORDS and len(w) > 2}


def _stem(word: str) -> str:
    word = re.sub(r"(?:'s|’s|s')$", "", word)
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")) else word


def _stems(text: str) -> set[str]:
    """Content words without a plural or possessive ending ("reports" and "report" are one word of a topic)."""
    return {_stem(word) for word in _words(text)}


def _pairs(text: str) -> set[tuple[str, str]]:
    """Two content words in a row, stemmed ("quarterly performance", "performance report")."""
    words = [_stem(w) for w in re.findall(r"[a-z][a-z'-]+", text.lower()) if w not in STOPWORDS and len(w) > 2]
    return set(zip(words, words[1:], strict=False))


def _overlap(a: str, b: str) -> float:
    """The share of ``a``'s content words that ``b`` holds."""
    mine = _words(a)
    return len(mine & _words(b)) / len(mine) if mine else 0.0


# -- entries --------------------------------------------------------------------------------------------
# A numbered paragraph's opening at a line's start ("8. Cai told the Committee ..."; not "1.1", not "(1)").
PARAGRAPH_OPENING = re.compile(r"(?m)^[ \t]*(?P<num>\d{1,3})\.[ \t]+(?=\S)")


def paragraph_numbers(entry: HistoryEntry) -> list[str | None]:
    """The printed paragraph each of the minute's sentences (``entry.pages``) stands in, where the minutes number
    their paragraphs on from the minute's own number (the minute is its first paragraph's: "48.", "49.", ...);
    None for each where they do not (a minute's own "1.", "2." restart, "(1)" parts, no numbers)."""
    none: list[str | None] = [None] * len(entry.pages)
    if not (entry.minute or "").isdigit():
        return none
    current, numbers, chained = int(entry.minute), [], False
    for _, sentence in entry.pages:
        mark = entry.paragraphs.get(sentence)
        if mark is not None and int(mark) != current:
            if int(mark) != current + 1:
                return none  # numbered otherwise: not paragraphs that carry the minute's number on
            current, chained = current + 1, True
        numbers.append(str(current))
    return numbers if chained else none


def _numbered_on(kept: list[tuple[int, str]], after: list[tuple[int, str]], paragraphs: dict[str, str]) -> bool:
    """Whether what follows a minute's RESOLVED opens the paragraph numbered next after the RESOLVED's own: the
    minutes number their paragraphs on, and the item goes on (a paper appended to them would not)."""
    own = next((paragraphs[s] for _, s in reversed(kept) if s in paragraphs), None)
    following = next((paragraphs[s] for _, s in after if s in paragraphs), None)
    return own is not None and following is not None and int(following) == int(own) + 1


def _order(chunk: StoredChunk) -> tuple[int, int, str]:
    """Passages in reading order: by page, then by their position in the paper (the id's suffix)."""
    position = chunk.id.rpartition(":")[2]
    return chunk.page_start, int(position) if position.isdigit() else 0, chunk.id


# A lettered item after a sentence's end starts a sentence of its own ("... to the Panel. b) Mr Brigstock asked
# ..."): the answer to one member is not the next one's question.
LETTERED_ITEM = re.compile(r"(?<=[.!?])\s+(?=\(?[a-z]\)\s)")


def _minute_sentences(text: str, kind: str) -> list[tuple[int, str]]:
    """``sentences``, cut again before a lettered item."""
    found = []
    for offset, sentence in sentences(text, kind):
        start = 0
        for piece in LETTERED_ITEM.split(sentence):
            start = sentence.find(piece, start)
            found.append((offset + max(start, 0), piece))
    return found


def _minute_text(chunks: list[StoredChunk]) -> tuple[str, list[tuple[int, str]], dict[str, str]]:
    """A minute's discussion, each sentence once (passages overlap), with its page; and the printed number of the
    numbered paragraph each sentence stands in, where its passage shows it ("8. Cai told the Committee ...")."""
    pages: list[tuple[int, str]] = []
    marks: dict[str, str] = {}

    def keep_mark(old: str, new: str) -> None:
        if old in marks and new not in marks:
            marks[new] = marks[old]

    for chunk in sorted(chunks, key=_order):
        openings = [(m.start(), m["num"]) for m in PARAGRAPH_OPENING.finditer(chunk.text)]
        for n, (offset, sentence) in enumerate(_minute_sentences(chunk.text, chunk.kind)):
            mark = next((number for start, number in reversed(openings) if start <= offset), None)
            # A sentence cut at a passage's end comes again whole at the next passage's start.
            # (and a passage opening inside a sentence the last one held whole comes again as its tail)
            recent = [i for i in range(max(0, len(pages) - 8), len(pages))
                      if sentence.startswith(pages[i][1]) or pages[i][1].startswith(sentence)
                      or (n == 0 and len(sentence) >= 20 and pages[i][1].endswith(sentence))]
            if recent:
                if len(sentence) > len(pages[recent[-1]][1]):
                    keep_mark(pages[recent[-1]][1], sentence)
                    pages[recent[-1]] = (pages[recent[-1]][0], sentence)
                continue
            # Passages overlap by whole lines, so the next may start inside the sentence the last one cut:
            # the two cuttings are joined where they overlap ("... and report its views" + "with Ashcombe
            # Voices ... report its views to the January meeting."), whatever the line starts with ("... the
            # Leader undertook to provide" + "Mrs Quayle with a written answer ..."): where a passage ends
            # must not cut a sentence the paper's text runs on in.
            start = overlap_start(pages[-1][1], sentence) if n == 0 and pages else None
            if start is not None:
                keep_mark(pages[-1][1], pages[-1][1][:start] + sentence)
                pages[-1] = (pages[-1][0], pages[-1][1][:start] + sentence)
                continue
            if mark is not None:
                marks.setdefault(sentence, mark)
            pages.append((chunk.page_at(offset), sentence))
    kept = [(p, s) for p, s in pages if s]
    return " ".join(s for _, s in kept), kept, {s: marks[s] for _, s in kept if s in marks}


# The papers of a meeting (its agenda, its minutes), not papers dated on their own (a record of decision).
MEETING_PAPERS = frozenset({"agenda pack", "agenda front sheet", "minutes"})


def _kind(documents: dict[str, DocumentRecord], document: str) -> str:
    record = documents.get(document)
    return (record.kind or "") if record is not None else ""


def build_entries(documents: dict[str, DocumentRecord], chunks: Sequence[StoredChunk],
                  decisions: Iterable[StoredDecision]) -> list[HistoryEntry]:
    """Every minute and every agenda paper the index holds, each once."""
    minutes: dict[tuple, list[StoredChunk]] = {}
    items: dict[tuple, list[StoredChunk]] = {}
    for chunk in chunks:
        if not chunk.committee or not chunk.meeting_date or chunk.kind == ChunkKind.DECISION:
            continue
        record = documents.get(chunk.document)
        if chunk.minute or chunk.minute_title:  # (a title alone: minutes that number only their items)
            minutes.setdefault((chunk.committee, chunk.meeting_date, chunk.minute or chunk.minute_title,
                                chunk.document), []).append(chunk)
        elif record is not None and chunk.meeting_date == record.meeting_date:
            title_match = ITEM_HEADER.search(chunk.header)
            if chunk.item and title_match:
                items.setdefault((chunk.committee, chunk.meeting_date, "item " + chunk.item, chunk.document),
                                 []).append(chunk)
            elif not chunk.item and record.kind not in ("agenda pack", "agenda front sheet", "minutes"):
                # A report or appendix for a meeting, not split into items: the paper is the item.
                items.setdefault((chunk.committee, chunk.meeting_date, "paper " + chunk.document,
                                  chunk.document), []).append(chunk)
    decided: dict[tuple, StoredDecision] = {}
    later_parts: dict[tuple, list[str]] = {}  # a minute's further decisions ("DECISION: ..." twice), in order
    for decision in sorted(decisions, key=lambda d: (d.page, d.id)):
        # A minute's entry holds its RESOLVED; its votes and the records of decision are records of their own.
        if decision.committee and decision.meeting_date and decision.kind == DecisionKind.RESOLUTION:
            key = (decision.committee, decision.meeting_date, decision.minute or decision.minute_title,
                   decision.document)
            if key in decided:
                later_parts.setdefault(key, []).append(decision.text)
            else:
                decided[key] = decision
    resolved = {d.text for d in decided.values()}
    decision_chunks = {(c.document, c.meeting_date, c.minute or c.minute_title): c for c in chunks
                       if c.kind == ChunkKind.DECISION and c.text in resolved}

    entries: dict[tuple, HistoryEntry] = {}
    for (committee, day, minute, document), group in minutes.items():
        group.sort(key=_order)
        first = group[0]
        text, pages, paragraphs = _minute_text(group)
        decision = decided.pop((committee, day, minute, document), None)
        more = later_parts.get((committee, day, minute, document), [])
        if decision is not None:
            # A minute ends with its RESOLVED: what follows in the same passage (a paper appended to the
            # minutes) is not its discussion.
            last_text = more[-1] if more else decision.text
            # (or the sentence it opens, joined to what stands above it: "... Tennant.) Decision To approve the motion
            # by Councillor Lindsay.", whose motion the decision's text goes on to quote)
            opening = " ".join(last_text.split())[:40]
            ends = [i for i, (p, s) in enumerate(pages) if p <= decision.page
                    and (_overlap(s, last_text) >= 0.5 or (len(opening) == 40 and opening in " ".join(s.split())))]
            last = ends[-1] + 1 if ends else len([p for p, _ in pages if p <= decision.page])
            pages, appended = pages[:last], pages[last:]
            # (the papers it was read with, printed under a Scottish minute's decision, are the minute's own)
            while appended and REFERENCES_SENTENCE.match(appended[0][1]):
                pages, appended = pages + appended[:1], appended[1:]
            if appended and (ACTIONS_HEADING.match(appended[0][1]) or _numbered_on(pages, appended, paragraphs)):
                # (an action list under the RESOLVED is the minute's own: "Actions arising: - Finance Business
                # Partner to send Members a breakdown ..."; so is the next numbered paragraph of minutes that number
                # theirs on, "65. RESOLVED that the minutes ..." then "66. Under matters arising, ...")
                pages, appended = pages + appended, []
            text = " ".join(s for _, s in pages)
        else:
            appended = []
        decision_chunk = decision_chunks.get((document, day, minute)) if decision else None
        cited = decision_chunk or first
        quote = " ".join(decision.text.split()) if decision and decision_chunk else (pages[0][1] if pages else "")
        entry = HistoryEntry(
            committee=committee, meeting_date=day, kind=EntryKind.MINUTE, minute=first.minute,
            item=first.item, title=first.minute_title or "",
            decision=" ".join(" ".join([decision.text, *more]).split()) if decision else None,
            document=document, page=decision.page if decision and decision_chunk else first.page_start,
            page_label=(decision.page_label if decision and decision_chunk else first.page_label),
            chunk_id=cited.id, quote=quote, text=text, pages=pages, appended=appended,
            chunk_ids=[c.id for c in group], paper_kind=_kind(documents, document), paragraphs=paragraphs)
        entries.setdefault(entry.key, entry)
    for (committee, day, minute, document), decision in decided.items():  # a decision whose minute has no prose
        decision_chunk = decision_chunks.get((document, day, minute))
        if decision_chunk is None:
            continue
        text = " ".join(decision.text.split())
        entry = HistoryEntry(committee=committee, meeting_date=day, kind=EntryKind.MINUTE, minute=decision.minute,
                             item=decision.item, title=decision.minute_title or "", decision=text, document=document,
                             page=decision.page, page_label=decision.page_label, chunk_id=decision_chunk.id,
                             quote=text, text=text, pages=[(decision.page, text)],
                             paper_kind=_kind(documents, document))
        entries.setdefault(entry.key, entry)
    for (committee, day, _, document), group in items.items():
        group.sort(key=_order)
        first = group[0]
        title_match = ITEM_HEADER.search(first.header)
        record = documents[document]
        title = PAGES.sub("", title_match.group("title")) if title_match else record.title
        opening = sentences(first.text, first.kind)
        text = " ".join(s for _, s in opening[:6])
        entry = HistoryEntry(committee=committee, meeting_date=day, kind=EntryKind.ITEM, minute=None,
                             item=first.item, title=" ".join(title.split()), decision=None, document=document,
                             page=first.page_start, page_label=first.page_label, chunk_id=first.id,
                             # (a report's first "sentence" can be its whole cover block: quote its start)
                             quote=" ".join(opening[0][1].split()[:25]) if opening else "", text=text,
                             pages=[(first.page_at(o), s) for o, s in opening[:6]], paper_kind=record.kind or "")
        entries.setdefault(entry.key, entry)
    for entry in agenda_items(documents, chunks):  # items with no papers of their own (verbal updates)
        entries.setdefault(entry.key, entry)
    return sorted(entries.values(), key=lambda e: (e.sort_key, e.kind))


AGENDA_LINE = re.compile(r"^\s*(?P<item>[A-Z]?\d{1,2}[a-z]?)\.?\s+(?P<title>[A-Z][^\n]{2,160}?)\s*$")
PAGES = re.compile(r"\s*\(Pages?\s+\d+(?:\s*[-–]\s*\d*)?\s*\)?\s*$")


def agenda_items(documents: dict[str, DocumentRecord], chunks: Sequence[StoredChunk]) -> list[HistoryEntry]:
    """The items an agenda front sheet lists ("B4 Update on UASC Issues", "A5 Verbal Update from ..."), with
    or without papers: read from the first pages of a paper whose front sheet gives items' pages."""
    fronts: dict[str, list[StoredChunk]] = {}
    for chunk in chunks:
        record = documents.get(chunk.document)
        if (record is not None and record.meeting_date and record.committee and chunk.page_start <= 2
                and chunk.meeting_date == record.meeting_date and not chunk.minute):
            fronts.setdefault(chunk.document, []).append(chunk)
    found: list[HistoryEntry] = []
    for document, group in fronts.items():
        group.sort(key=_order)
        if not any("(Pages" in c.text or "(Page " in c.text for c in group):
            continue  # not a front sheet
        record = documents[document]
        for chunk in group:
            lines = chunk.text.split("\n")
            units = sentences(chunk.text, chunk.kind)
            for i, line in enumerate(lines):
                match = AGENDA_LINE.match(line)
                if not match or match["title"].isupper():
                    continue
                title = match["title"].strip()
                following = lines[i + 1].strip() if i + 1 < len(lines) else ""
                # A title wrapped onto the next line, which ends in its pages ("... Institute (YOI) ...
                # (Pages 29 - 34)"), or a page range broken over the line ("(Pages 47" / "- 68)").
                if following and not AGENDA_LINE.match(following) and ("(Page" in following or "(Page" in title):
                    title = f"{title} {following}"
                has_paper = "(Page" in title  # (the front sheet gives the pages of an item's papers)
                title = " ".join(PAGES.sub("", title).split())
                if len(title) < 4:
                    continue
                offset = chunk.text.find(line)
                quote = next((u for o, u in units if match["title"][:30] in u), units[0][1] if units else title)
                found.append(HistoryEntry(
                    committee=record.committee or "", meeting_date=record.meeting_date or "", kind=EntryKind.ITEM,
                    minute=None, item=match["item"], title=title, decision=None, document=document,
                    page=chunk.page_at(max(offset, 0)), page_label=chunk.page_label, chunk_id=chunk.id, quote=quote,
                    text=title, pages=[], has_paper=has_paper, paper_kind=record.kind or ""))
    return found


# -- the history ----------------------------------------------------------------------------------------
# The period a title covers ("Quarter 4 2021/22", "2017 to 2018", "November 2018", "and Year End"): when the
# report came, not what it is about, and in a short title enough to pull its meaning off its subject.
TITLE_PERIOD = re.compile(r"(?:\s*[-–:,(]\s*|\s+)(?:(?:and\s+)?(?:Quarter|Qtr|Q)\s*\d(?:\s+and\s+Year[\s-]+End)?|"
                          r"(?:and\s+)?Year[\s-]+End|Mid[\s-]+Year(?:\s+Position)?|"
                          r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)?" + MONTH_NAME
                          + r"|(?:19|20)\d\d(?:\s*(?:/|-|–|to)\s*(?:19|20)?\d\d)?)\b\)?", re.I)


def topic_title(title: str) -> str:
    """A title without the period it covers: "Performance Scorecard: Quarter 4 2021/22" -> "Performance
    Scorecard"."""
    bare = " ".join(TITLE_PERIOD.sub(" ", title).split()).strip(" -–:,")
    return bare or title


def _topic_text(entry: HistoryEntry) -> str:
    """What a topic is matched against: the title, and the decision where there is one."""
    title = topic_title(entry.title)
    return f"{title}. {entry.decision}" if entry.decision else title


# Words of any request, which say what is asked for but not what about.
GENERIC_REQUEST_WORDS = frozenset("""update updates report reports project submitted future meeting meetings panel
committee information progress regular made provided brought back come further resolved noted requested members
circulated circulate agreed paper item this that final received minutes once version draft following later next
time soon possible opportunity earliest date given response comments questions thanks set out""".split())


# A member asking for something (which the next sentence may record someone undertaking).
MEMBER_ASKED = re.compile(r"\b(?:asked|requested|sought|suggested)\b", re.I)
# A sentence that accepts what was just asked: "The Chair agreed and ...", "Mr Smith undertook to ...".
ACCEPTED = re.compile(r"\W*(?:The\s+[\w’'()-]+(?:\s+[\w’'()-]+){0,4}|(?-i:[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2})|"
                      r"He|She|They|Officers?)\s+(?:agreed|undertook|accepted|confirmed\s+(?:that\s+)?(?:he|she|they)\s+would)\b",
                      re.I)
# A sentence that holds its own undertaking ("... asked to see it, and the Head of SEND agreed to circulate it")
# is a whole request, whatever follows it.
UNDERTOOK = re.compile(r"\b(?:agreed|undertook|offered|promised)\s+to\b", re.I)
# A request that comes back in the next of a series ("would be picked up in the next quarterly report",
# "future performance reports would include ...").
IN_NEXT_REPORT = re.compile(r"\b(?:next|future|subsequent|following)\s+(?:[\w-]+\s+){0,2}(?:reports?|scorecards?|"
                            r"dashboards?)\b", re.I)


def _subject(request_words: str, entry: HistoryEntry, titled: bool = False) -> str:
    """What a request is about: its own words, or, where they name no topic ("an update report on the
    project be submitted to a future meeting") or send it to the next report of a series (the minute's own
    report, most often: "the reasons for the fall would be picked up in the next quarterly report"), its
    minute's title too; and with ``titled``, for a request due at one meeting, where only that meeting's items
    compete ("Mr Ferris was asked to find out the reasons and report them to the next meeting", under
    "Health Assessments")."""
    if titled or len(_words(request_words) - GENERIC_REQUEST_WORDS) < 3 or IN_NEXT_REPORT.search(request_words):
        return f"{entry.title}. {request_words}"
    return request_words


class History:
    def __init__(self, entries: list[HistoryEntry], embed: Embed, settings: HistorySettings | None = None,
                 expand: Callable[[str], str] | None = None, authorities: dict[str, str] | None = None):
        self.entries = entries
        # The council each paper is of, where its first page names it (``letterhead_authority``): an index may
        # hold two councils' papers, and their committees may share a name.
        self.authorities = authorities or {}
        self.embed = embed
        self.settings = settings or HistorySettings()
        self.expand = expand or (lambda text: text)  # acronyms spelt out ("MOMO" -> "Mind Of My Own")
        # Titles with their acronyms spelt out ("CIC Performance Scorecard (children in care)").
        texts = ([self.expand(topic_title(e.title) if e.title else e.quote) for e in entries]
                 + [self.expand(_topic_text(e)) for e in entries])
        vectors = embed(texts) if entries else np.zeros((0, 384), dtype=np.float32)
        self.title_vectors = vectors[: len(entries)]
        self.topic_vectors = vectors[len(entries):]
        self._position = {id(e): i for i, e in enumerate(entries)}  # an entry's row in the vectors
        self._title_words = [_stems(self.expand(e.title)) for e in entries]
        # (a pair of words is telling only where few titles hold it: "performance report", not "children care")
        pair_counts = Counter(p for e in entries for p in _pairs(topic_title(e.title)))
        common = max(3, len(entries) // 20)
        self._title_pairs = [{p for p in _pairs(topic_title(e.title)) if pair_counts[p] <= common} for e in entries]
        # How telling a word of a title is: rare across the titles ("assessments"), or common to many
        # ("children", "care", "update"), so that a topic's telling words weigh most in the word bonus.
        counts = Counter(w for words in self._title_words for w in words)
        self._word_weight = {w: math.log((len(entries) + 1) / (n + 1)) + 1.0 for w, n in counts.items()}
        self._place_appended()
        # The dates each committee met, by council: two councils' panels of one name meet on their own dates.
        self._meetings: dict[tuple[str, str | None], set[str]] = {}
        for entry in entries:
            if entry.kind == EntryKind.MINUTE or entry.paper_kind in MEETING_PAPERS:
                key = (entry.committee, self.authorities.get(entry.document))
                self._meetings.setdefault(key, set()).add(entry.meeting_date)
        self.requests = self._find_requests()

    def __getstate__(self) -> dict:
        """Kept in the index's snapshot without the functions it was given (``attach`` gives them back)."""
        state = dict(self.__dict__)
        for name in ("embed", "expand", "_position"):
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._position = {id(e): i for i, e in enumerate(self.entries)}
        self.embed = self.expand = None

    def attach(self, embed: Embed, expand: Callable[[str], str] | None = None) -> History:
        """A history read back from the snapshot, given its embedding and acronym functions again."""
        self.embed = embed
        self.expand = expand or (lambda text: text)
        return self

    @classmethod
    def build(cls, documents: dict[str, DocumentRecord], chunks: Sequence[StoredChunk],
              decisions: Iterable[StoredDecision], embed: Embed, settings: HistorySettings | None = None,
              expand: Callable[[str], str] | None = None) -> History:
        first: dict[str, StoredChunk] = {}
        for chunk in chunks:
            # (a paper's decisions are passages of their own, numbered before its text: not its opening)
            if chunk.kind == ChunkKind.DECISION:
                continue
            if chunk.document not in first or _order(chunk) < _order(first[chunk.document]):
                first[chunk.document] = chunk
        authorities = {document: name for document, chunk in first.items()
                       if (name := letterhead_authority(chunk.text))}
        return cls(build_entries(documents, chunks, decisions), embed, settings, expand, authorities)

    def _place_appended(self) -> None:
        """A paper appended to the minutes (the young people's update printed after the last minute) joins
        the discussion of the minute of the same meeting and paper that says its text is attached to the
        minutes ("The text of the update will be attached to these minutes"); where none says so, or several
        do, the one of those whose title is closest to the paper's opening."""
        for entry in self.entries:
            if not entry.appended:
                continue
            siblings = [e for e in self.entries if e.kind == EntryKind.MINUTE and e.document == entry.document
                        and e.meeting_date == entry.meeting_date and e.committee == entry.committee]
            # (a title may be closer in meaning, "The views of Young People in Care", but the minute that
            # announces the attachment is the one the paper was given at)
            announcing = [e for e in siblings if any(ATTACHED_TO_MINUTES.search(s) for _, s in e.pages)]
            siblings = announcing or siblings
            opening = " ".join(s for _, s in entry.appended[:10])
            vector = self.embed([opening])[0]
            scores = [float(self.title_vectors[self._position[id(e)]] @ vector) for e in siblings]
            best = max(range(len(siblings)), key=scores.__getitem__)
            if scores[best] >= self.settings.appended_similarity:
                target = siblings[best]
                target.pages = target.pages + entry.appended
            entry.appended = []

    # -- timeline -------------------------------------------------------------------------------------
    def topic_scores(self, topic: str) -> np.ndarray:
        """How well each entry is about ``topic``: the better of its title's and its title-and-decision's
        cosine to the topic, raised where the entry's title holds every word of the topic."""
        if not self.entries:
            return np.zeros(0)
        expanded = self.expand(topic)
        query = self.embed([expanded])[0]
        scores = np.maximum(self.title_vectors @ query, self.topic_vectors @ query)
        words = _stems(topic) | (_stems(expanded) if expanded != topic else set())
        if words:
            weight = self._word_weight
            rare = max(weight.values(), default=1.0)  # a topic's word no title holds is as telling as the rarest
            whole = sum(weight.get(w, rare) for w in (_stems(topic) or words))
            own = np.array([sum(weight.get(w, rare) for w in title & words) / whole for title in self._title_words])
            scores = scores + self.settings.topic_word_bonus * np.minimum(own, 1.0)
        if pairs := _pairs(topic):
            scores = scores + self.settings.topic_phrase_bonus * np.array(
                [bool(pairs & title) for title in self._title_pairs], dtype=float)
        return scores

    def timeline(self, topic: str, committee: str | None = None) -> list[TimelineEntry]:
        """Every minute and paper on ``topic``, oldest first; a decision a later one replaced says so."""
        scores = self.topic_scores(topic)
        if not len(scores):
            return []
        # Within the margin of the best entry of the same council: in an index of several councils' papers,
        # one council's titles matching a topic better do not hide another's entries on it.
        councils = set(self.authorities.values())
        council_of = [self.authorities.get(e.document) if len(councils) > 1 else None for e in self.entries]
        best: dict[str | None, float] = {}
        for council, score in zip(council_of, scores, strict=True):
            best[council] = max(best.get(council, -1.0), float(score))
        found = [TimelineEntry(e, float(s)) for e, s, council in zip(self.entries, scores, council_of, strict=True)
                 if s >= max(self.settings.topic_similarity, best[council] - self.settings.topic_margin)
                 and (committee is None or e.committee == committee)]
        found.sort(key=lambda t: t.entry.sort_key)
        self._mark_updates(found)
        return found

    def _mark_updates(self, found: list[TimelineEntry]) -> None:
        """An earlier decision setting a position is updated by a later one setting a position on the same
        thing (a strategy endorsed, then the revised strategy endorsed)."""
        positions = [t for t in found if t.entry.decision and POSITION.search(t.entry.decision)]
        if len(positions) < 2:
            return
        row = self._position
        for i, earlier in enumerate(positions):
            for later in positions[i + 1:]:
                if later.entry.meeting_date <= earlier.entry.meeting_date:
                    continue
                same = float(self.title_vectors[row[id(earlier.entry)]] @ self.title_vectors[row[id(later.entry)]])
                if same >= self.settings.same_thing_similarity or (
                        REVISED.search(later.entry.title) and _overlap(earlier.entry.title, later.entry.title) >= 0.5):
                    earlier.updated_by = later.entry
                    break

    # -- the register -----------------------------------------------------------------------------------
    def _find_requests(self) -> list[FollowUpRequest]:
        found: list[FollowUpRequest] = []
        for entry in self.entries:
            if entry.kind != EntryKind.MINUTE:
                continue
            parts = decision_parts(entry.decision) if entry.decision else []
            # Each part of a decision in parts ("RESOLVED that: (a) ...; (b) the Chair write to ...") is a
            # clause of its "RESOLVED that", which its marker cut off.
            committee = entry.committee
            asking = [part for part in parts
                      if asks(part, committee) or (len(parts) > 1 and asks(as_resolution(part), committee))]
            paragraphs = paragraph_numbers(entry)
            # (the resolution's paragraph: the sentence holding most of the decision's words)
            holding = [_overlap(entry.decision, sentence) if entry.decision else 0.0 for _, sentence in entry.pages]
            resolution_paragraph = paragraphs[holding.index(max(holding))] if holding and max(holding) >= 0.5 else None
            # (an action log's rows, "Action 1 | ... | Lead: JT", each a request of its own)
            resolved = [FollowUpRequest(entry, words, entry.page, RequestSource.RESOLUTION,
                                        paragraph=resolution_paragraph) for part in asking
                        for words in ((asking_clauses(part, committee) if len(ACTION_ROW.findall(part)) >= 2 else [])
                                      or [request_words(part, committee)])]
            # (the RESOLVED again, inside the minute's prose, is not discussion; nor what an earlier meeting asked, told
            # again, "On 10 October 2023, the Committee requested ..."; nor what was moved, which asks only where the
            # decision adopts it, and then is the decision's)
            recalled = {sentence for _, sentence in self._meeting_references(entry)
                        if DAY_MONTH_REFERENCE.search(sentence)} | lost_proposals([s for _, s in entry.pages])
            said = [(n, page, sentence) for n, (page, sentence) in enumerate(entry.pages)
                    if asks(sentence, committee) and not (entry.decision and _overlap(sentence, entry.decision) >= 0.8)
                    and not DATED_REFERENCE.search(sentence) and not PROPOSAL_WORDS.search(sentence)
                    and sentence not in recalled]
            said = self._one_per_undertaking(said)
            # (a list of what Members were told, "(a) that ...; (b) that officers undertook to ...", is one
            # "sentence" of several undertakings: each asking item is a request of its own)
            discussed = [FollowUpRequest(entry, words, page, RequestSource.DISCUSSION, paragraph=paragraphs[n])
                         for n, page, sentence in said
                         for words in (asking_clauses(sentence, committee)
                                       if len(LIST_ITEM_MARK.findall(sentence)) >= 2
                                       or len(ACTION_ROW.findall(sentence)) >= 2 else [])
                         or [request_words(sentence, committee)]]
            for request in resolved + discussed:
                request.due = self._due(request)
            # The same request in the discussion and the RESOLVED is one request (the RESOLVED's); so is one
            # in the discussion and in the minute's action lines ("ACTION: Head of Service to ...": the
            # action's).
            actions = [d for d in discussed if ACTION_LINE.match(d.words)]
            discussed = self._one_per_action([d for d in discussed if d not in actions], actions)
            discussed = self._not_repeated(discussed, resolved, asking)
            # A sentence cut in two by a page break comes once: the longer cutting.
            discussed = [d for d in discussed if not any(
                d.words != o.words and (d.words in o.words or len(d.words) < len(o.words)
                                        and _overlap(d.words, o.words) >= 0.8) for o in discussed)]
            found.extend(resolved + discussed)
        found = self._not_logged_twice(found)
        # What each request is about (as words and as a vector): for pairing here, and for "did X come back?".
        subjects = [self.expand(_subject(r.words, r.entry, titled=r.due_at_meeting)) for r in found]
        self._subject_words = [_words(subject) for subject in subjects]
        self.subject_vectors = self.embed(subjects) if found else np.zeros((0, 384), dtype=np.float32)
        # ...and, of a request that names a time ("in six months"), with its minute's title too: at the first meeting
        # it may come back to, an item on its minute's subject answers it ("Foster Wales: Six-Month Update" for "a
        # further report on the recruitment ... in six months' time", under "Foster Wales: Recruitment ...").
        timed = [n for n, r in enumerate(found) if r.due and not r.due_at_meeting]
        titled_vectors = dict(zip(timed, self.embed([self.expand(_subject(found[n].words, found[n].entry, titled=True))
                                                     for n in timed]), strict=True)) if timed else {}
        # The items that may answer a request, by committee: a meeting's procedure never does (read once here,
        # not once per request).
        by_committee: dict[str, list[int]] = {}
        for i, entry in enumerate(self.entries):
            if not PROCEDURAL_TITLE.match(entry.title):
                by_committee.setdefault(entry.committee, []).append(i)
        citing = self._citing(found)
        for n, (request, subject) in enumerate(zip(found, self.subject_vectors, strict=True)):
            self._pair(request, subject, by_committee, citing[n], titled_vectors.get(n))
        return found

    def _citing(self, found: list[FollowUpRequest]) -> list[dict[int, float]]:
        """Per request, the later entries that cite it (``Citation``), with how close the citing sentence is to it.
        A sentence that names a meeting or a minute names several requests: it brings back the closest of them
        (a minute may ask for a briefing and a report; "the report requested in June (minute 27/18)" is the
        report's answer), where that one is at least ``citation_similarity`` close, and any other at least
        ``citation_also_similarity`` close (a sentence telling of two)."""
        citations = [Citation(i, sentence, minute=key) for i, entry in enumerate(self.entries)
                     for key, sentence in minute_references(entry)]
        citations += [Citation(i, sentence, paragraph=number, meeting=meeting) for i, entry in enumerate(self.entries)
                      for number, meeting, sentence in paragraph_references(entry)]
        # (a sentence that names the minute too, "requested in June (minute 26/18)", names that minute's requests only)
        by_minute = {(c.entry, c.sentence) for c in citations}
        citations += [Citation(i, sentence, minute=minute, meeting=day) for i, entry in enumerate(self.entries)
                      for day, minute, sentence in dated_references(entry)
                      if minute or (i, sentence) not in by_minute]
        citations += [Citation(i, sentence, meeting=meeting) for i, entry in enumerate(self.entries)
                      for meeting, sentence in self._meeting_references(entry) if (i, sentence) not in by_minute]
        citing: list[dict[int, float]] = [{} for _ in found]
        if not citations or not found:
            return citing
        # (the sentence against each request's own words, without the minute's title a request due at a meeting is
        # matched with: the sentence tells two requests of one minute apart, the title does not)
        said = self.embed([self.expand(c.sentence) for c in citations])
        titled = [n for n, r in enumerate(found) if r.due_at_meeting]
        asked = self.subject_vectors.copy()
        if titled:
            asked[titled] = self.embed([self.expand(_subject(found[n].words, found[n].entry)) for n in titled])
        closeness = said @ asked.T  # citation x request
        for c, citation in enumerate(citations):
            # A sentence saying it was done outside a meeting brings nothing back (``DONE_OUTSIDE``); nor does the tail
            # of a sentence cut by a page break, read again without the words that said it had not come ("... did not
            # include the breakdown that the | Portfolio Holder had promised in June (minute 26/18).").
            if DONE_OUTSIDE.search(citation.sentence) or any(
                    other != citation.sentence and other.endswith(citation.sentence)
                    for _, other in self.entries[citation.entry].pages):
                continue
            named = [n for n, request in enumerate(found) if self._cites(citation, request)]
            if not named:
                continue
            # (a sentence naming who asked, "As requested by Councillor Gormley at the February meeting", brings back
            # that member's request, where the minutes name the member with it)
            askers = {m.group(1) or m.group(2) for m in ASKED_BY.finditer(citation.sentence)}
            named = [n for n in named if askers & {m.group(1) for m in ASKER.finditer(found[n].words)}] or named
            closest = max(named, key=lambda n: closeness[c, n])
            for n in named:
                score = float(closeness[c, n])
                if score >= self.settings.citation_similarity and (
                        n == closest or score >= self.settings.citation_also_similarity):
                    citing[n][citation.entry] = max(citing[n].get(citation.entry, -1.0), score)
        return citing

    def _cites(self, citation: Citation, request: FollowUpRequest) -> bool:
        """Whether the citation names the minute, paragraph or meeting the request was made at: an earlier one of the
        citing entry's committee (or of one the request names)."""
        entry = self.entries[citation.entry]
        council = self.authorities.get(request.entry.document)
        # (not before a time the request names: "report back in March 2025" is not what November's item cites)
        earliest = (date.fromisoformat(request.due) - timedelta(days=45)).isoformat() if request.due else ""
        if request.meeting_date >= entry.meeting_date or entry.meeting_date <= earliest or not (
                entry.committee == request.committee or _names(request.words, entry.committee)) or (
                council and self.authorities.get(entry.document, council) != council):
            return False
        if citation.minute:
            return (refers_to(citation.minute, _minute_key(request.entry.minute), request.meeting_date[:4])
                    and citation.meeting in ("", request.meeting_date))
        if citation.paragraph:
            return (citation.paragraph == (request.paragraph or request.entry.minute)
                    and citation.meeting in ("", request.meeting_date))
        return citation.meeting == request.meeting_date

    def _meeting_references(self, entry: HistoryEntry) -> list[tuple[str, str]]:
        """The earlier meetings of its committee an entry says it follows up (``MEETING_REFERENCE``), as (the
        meeting's date, the sentence that says so): the last before it, or the last in the month named."""
        council = self.authorities.get(entry.document)
        held = sorted(day for (committee, of), days in self._meetings.items() if committee == entry.committee
                      and (council is None or of in (council, None)) for day in days if day < entry.meeting_date)
        found = []
        for sentence in _citing_sentences(entry):
            for match in MEETING_REFERENCE.finditer(sentence):
                if match["last"] or match["last2"]:
                    meeting = held[-1] if held else None
                else:
                    month = month_number(match["month"] or match["month2"] or match["month3"] or match["month4"])
                    meeting = next((day for day in reversed(held) if int(day[5:7]) == month
                                    and (not match["year"] or day[:4] == match["year"])), None)
                if meeting:
                    found.append((meeting, sentence))
            for match in DAY_MONTH_REFERENCE.finditer(sentence):
                day, month = match["day"] or match["day2"], match["month"] or match["month2"]
                held_on = f"-{month_number(month):02d}-{int(day):02d}"
                meeting = next((d for d in reversed(held) if d.endswith(held_on)), None)
                if meeting:
                    found.append((meeting, sentence))
        return found

    def _one_per_action(self, discussed: list[FollowUpRequest],
                        actions: list[FollowUpRequest]) -> list[FollowUpRequest]:
        """A minute's action lines and the requests of its discussion, each undertaking once. A clerk writes an
        action for an undertaking in other words ("He would provide Members with a short written briefing on
        the rota" / "Action 28a - Head of Service to provide Members with a note on the rota"): an action line
        and the discussion's request closest to it, each the other's closest, are one request: the action's,
        unless the action only points back to the discussion ("SO to provide the court backlog note (see
        3.7)") or names only who and what ("ACTION: JP – Panel scorecard changes"). The rest are kept unless the
        action lines repeat them (``_not_repeated``)."""
        dropped: set[int] = set()  # positions in discussed + actions
        for i, j in self._closest_pairs([d.words for d in discussed], [a.words for a in actions]):
            if not _other_owners(discussed[i].words, actions[j].words):
                dropped.add(len(discussed) + j if POINTS_BACK.search(actions[j].words)
                            or VERBLESS_ACTION.match(actions[j].words) else i)
        kept = [d for n, d in enumerate(discussed) if n not in dropped]
        kept_actions = [a for n, a in enumerate(actions) if len(discussed) + n not in dropped]
        return self._not_repeated(kept, kept_actions, [a.words for a in kept_actions]) + kept_actions

    def _not_logged_twice(self, found: list[FollowUpRequest]) -> list[FollowUpRequest]:
        """The minutes' action log repeats what earlier items of the same meeting asked for, each row naming the
        minute it came from ("Action 1 | CPB 4/23 | Written response to the five Big Shout recommendations"): a
        row and that minute's request, each the other's closest (``_closest_pairs``), are one request. It is the
        resolution's, where the minute resolved it; else the row's, as an action line and the discussion it
        records are (``_one_per_action``)."""
        rows: dict[tuple[str, str, str], list[int]] = {}
        for n, request in enumerate(found):
            match = LOGGED_FROM.match(request.words)
            if match and _minute_key(match["minute"]) != _minute_key(request.entry.minute):
                rows.setdefault((request.entry.document, request.meeting_date, _minute_key(match["minute"])),
                                []).append(n)
        dropped: set[int] = set()
        for (document, meeting, minute), logged in rows.items():
            own = [m for m, r in enumerate(found) if r.entry.document == document and r.meeting_date == meeting
                   and _minute_key(r.entry.minute) == minute]
            for i, j in self._closest_pairs([found[n].words for n in logged], [found[m].words for m in own]):
                resolved = found[own[j]].source == RequestSource.RESOLUTION
                dropped.add(logged[i] if resolved else own[j])
        return [r for n, r in enumerate(found) if n not in dropped]

    def _closest_pairs(self, texts: list[str], others: list[str]) -> list[tuple[int, int]]:
        """(i, j) where ``texts[i]`` and ``others[j]`` are each the other's closest, and close enough to be one
        request told twice (``action_line_similarity``)."""
        if not texts or not others:
            return []
        vectors = self.embed(others + texts)
        same = vectors[len(others):] @ vectors[: len(others)].T
        closest_other, closest_text = same.argmax(axis=1), same.argmax(axis=0)
        return [(i, int(closest_other[i])) for i in range(len(texts))
                if closest_text[closest_other[i]] == i
                and same[i, closest_other[i]] >= self.settings.action_line_similarity]

    def _not_repeated(self, discussed: list[FollowUpRequest], recorded: list[FollowUpRequest],
                      recorded_words: list[str]) -> list[FollowUpRequest]:
        """The requests of the discussion that the minute's record (its resolution's parts, its action lines)
        does not repeat: in the same words, or the same meaning ("undertook to clarify" / "clarification ...
        be provided")."""
        if not recorded or not discussed:
            return discussed
        vectors = self.embed(recorded_words + [d.words for d in discussed])
        same = vectors[len(recorded_words):] @ vectors[: len(recorded_words)].T
        # (or something asked for at the same named meeting, in some of the same words: "would look to bring
        # a costed proposal to the December meeting" / "request that a costed proposal ... be brought to the
        # December meeting")
        dues = {r.due for r in recorded} - {None}
        return [d for d, row in zip(discussed, same, strict=True)
                if not any(_overlap(d.words, part) >= 0.5 for part in recorded_words)
                and float(row.max()) < self.settings.same_request_similarity
                and not (d.due in dues and any(_overlap(d.words, part) >= 0.2 for part in recorded_words))]

    def _one_per_undertaking(self, said: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """A member's asking, answered within the next two sentences by someone undertaking it ("... and asked
        for the figures." / "Officers to investigate and report back on ..."), is one request: the
        undertaking's."""
        asked = [i for i in range(len(said) - 1) if said[i + 1][0] - said[i][0] <= 2
                 and MEMBER_ASKED.search(said[i][2]) and not UNDERTOOK.search(said[i][2])
                 and not MEMBER_ASKED.search(said[i + 1][2])]
        if not asked:
            return said
        vectors = self.embed([said[i][2] for i in asked] + [said[i + 1][2] for i in asked])
        same = (vectors[: len(asked)] * vectors[len(asked):]).sum(axis=1)
        # (the very next sentence accepting it, "The Chair agreed and said she would report the reply", is its
        # undertaking whatever its words)
        dropped = {i for i, score in zip(asked, same, strict=True)
                   if score >= self.settings.asked_then_undertaken_similarity
                   or (said[i + 1][0] - said[i][0] == 1 and ACCEPTED.match(said[i + 1][2]))}
        return [s for i, s in enumerate(said) if i not in dropped]

    def _pair(self, request: FollowUpRequest, subject: np.ndarray, by_committee: dict[str, list[int]],
              citing: dict[int, float] | None = None, titled: np.ndarray | None = None) -> None:
        """The later entry that brings the request back. One that cites it (``citing``: "Further to Minute 145, ...",
        "As requested at paragraph 88", "As requested in March", matters arising too) does, the first of them, where
        its paper came within the year (or by the time the request names): the papers say so. Else the first later
        item of the committee close in meaning to the request's subject (its minute's title and its words), and a
        report, update or minute on it."""
        citing = citing or {}
        best: tuple[tuple, int] | None = None
        start = date.fromisoformat(request.meeting_date)
        latest = max(request.due or "", (start + timedelta(days=self.settings.answer_within_days)).isoformat())
        cited = [i for i in citing if self.entries[i].has_paper and self.entries[i].meeting_date <= latest]
        if cited:
            request.answer = self.entries[min(cited, key=lambda i: (self.entries[i].meeting_date,
                                                                   self.entries[i].kind != EntryKind.MINUTE,
                                                                   -citing[i]))]
            return
        # A request comes back to its own committee, or to one it names ("reported ... to the Corporate
        # Parenting Panel"); one that names a time ("in six months") is not answered well before it.
        committees = [request.committee] + [c for c in by_committee if c != request.committee
                                            and _names(request.words, c)]
        earliest = request.meeting_date
        if request.due:
            earliest = max(earliest, (date.fromisoformat(request.due) - timedelta(days=45)).isoformat())
        # "To a future meeting" means within the year, unless the request names a later time; "at the next
        # meeting" means that meeting (its papers may be dated a few days off it).
        start = date.fromisoformat(request.due or request.meeting_date)
        within = self.settings.due_meeting_grace_days if request.due_at_meeting else self.settings.answer_within_days
        latest = (start + timedelta(days=within)).isoformat()
        council = self.authorities.get(request.entry.document)
        # (a request that names a time: the first meeting of its committee from then, where it is matched with its
        # minute's title too, ``titled``)
        due_meeting = None
        if titled is not None:
            due_meeting = min((d for d in self._meeting_dates(request) if earliest < d <= latest), default=None)
        for i in [i for c in committees for i in by_committee.get(c, [])]:
            entry = self.entries[i]
            if council and self.authorities.get(entry.document, council) != council:
                continue  # another council's committee of the same name
            # (a verbal item at the meeting a request is due competes too: when it is the closest, the
            # request came back by word of mouth, and no paper shows it answered)
            if (entry.meeting_date <= earliest or entry.meeting_date > latest
                    or not (entry.has_paper or request.due_at_meeting)):
                continue
            score = float(np.maximum(self.title_vectors[i] @ subject, self.topic_vectors[i] @ subject))
            if titled is not None and entry.meeting_date == due_meeting:
                score = max(score, float(np.maximum(self.title_vectors[i] @ titled, self.topic_vectors[i] @ titled)))
            if UPDATE_WORDS.search(entry.title):
                score += self.settings.update_word_bonus
            # (a request due at the meeting it names is looked for there alone, so a looser match will do)
            if score < (self.settings.due_meeting_answer_similarity if request.due_at_meeting
                        else self.settings.answer_similarity):
                continue
            # The first meeting that took it up; at that meeting its minute (which records that it came)
            # before its agenda line, then the closest. At the one meeting it is due, the closest.
            rank = ((-score, entry.kind != EntryKind.MINUTE) if request.due_at_meeting
                    else (entry.meeting_date, entry.kind != EntryKind.MINUTE, -score))
            if best is None or rank < best[0]:
                best = (rank, i)
        if best is not None and self.entries[best[1]].has_paper:
            request.answer = self.entries[best[1]]

    def _due(self, request: FollowUpRequest) -> str | None:
        day = date.fromisoformat(request.meeting_date)
        words = request.words
        if match := IN_MONTHS.search(words):
            n = match["n"].lower()
            return _add_months(day, int(n) if n.isdigit() else NUMBER_WORDS[n]).isoformat()
        if IN_YEAR.search(words):
            return _add_months(day, 12).isoformat()
        if match := NAMED_MEETING.search(words):
            # That month's meeting, the first after the request (within the year): it comes back there.
            month = month_number(match["month"] or match["month2"] or match["month3"] or match["month4"])
            year = match["year"] or match["year2"] or match["year3"] or match["year4"]
            within = (day + timedelta(days=self.settings.answer_within_days)).isoformat()
            later = sorted(d for d in self._meeting_dates(request) if request.meeting_date < d <= within
                           and int(d[5:7]) == month and (not year or d[:4] == year))
            if later:
                request.due_at_meeting = True
                return later[0]
            first = date(int(year) if year else day.year + (month <= day.month), month, 1)
            return first.isoformat() if first > day else None
        if match := IN_CYCLES.search(words):
            # The n-th meeting after the request, where the index holds it; "within" any meeting up to it.
            n = match["n"].lower()
            n = int(n) if n.isdigit() else NUMBER_WORDS.get(n, 1)
            later = sorted(d for d in self._meeting_dates(request) if d > request.meeting_date)
            if len(later) >= n:
                request.due_at_meeting = n == 1 or match["within"].lower() == "in"
                return later[n - 1]
            return None
        if NEXT_MEETING.search(words):
            # A meeting is a date with minutes or an agenda: a paper alone (a record of a decision a Cabinet
            # Member took on the 21st) is dated by itself, not by a meeting.
            # (within the year a request is looked for at all: a later one is no "next" meeting, its papers
            # are only missing from the index)
            within = (day + timedelta(days=self.settings.answer_within_days)).isoformat()
            later = sorted(d for d in self._meeting_dates(request) if request.meeting_date < d <= within)
            request.due_at_meeting = bool(later)
            return later[0] if later else None
        if match := IN_SEASON.search(words):
            # "in the autumn", "in the new year": from the season's first month, the first after the request
            month = SEASON_MONTH[match["season"].lower().replace(" ", "")]
            first = date(day.year, month, 1)
            if first <= day:
                first = date(day.year + 1, month, 1)
            return first.isoformat()
        if (match := BY_MONTH.search(words)) and (month := find_month(match["when"])):
            year, number = month
            return _add_months(date(year, number, 1), 1).replace(day=1).isoformat()
        return None

    def _meeting_dates(self, request: FollowUpRequest) -> set[str]:
        """The dates the request's committee met: with minutes or an agenda (a paper alone is dated by itself);
        of the request's own council where its letterhead names it (with the papers whose letterhead names none),
        else of every council."""
        council = self.authorities.get(request.entry.document)
        return {day for (committee, of), days in self._meetings.items() if committee == request.committee
                and (council is None or of in (council, None)) for day in days}

    def register(self, committee: str | None = None, date_from: int | None = None, date_to: int | None = None,
                 status: str | None = None) -> list[FollowUpRequest]:
        """The requests, oldest meeting first, narrowed by committee, meeting date (YYYYMMDD) and status."""
        found = []
        for request in self.requests:
            key = request.entry.meeting_key
            if committee and request.committee != committee:
                continue
            if (date_from and key < date_from) or (date_to and key > date_to):
                continue
            if status and request.status != status:
                continue
            found.append(request)
        return sorted(found, key=lambda r: (r.entry.sort_key, r.page))

    def requests_about(self, topic: str) -> list[tuple[FollowUpRequest, float]]:
        """The requests on a topic ("did the update on X come back?"), best first."""
        if not self.requests:
            return []
        query = self.embed([self.expand(topic)])[0]
        words = _words(topic)
        ranked = []
        for request, score, subject in zip(self.requests, self.subject_vectors @ query, self._subject_words,
                                           strict=True):
            own = len(words & subject) / len(words) if words else 0
            ranked.append((request, float(score) + self.settings.topic_word_bonus * own))
        ranked.sort(key=lambda pair: -pair[1])
        return [(r, s) for r, s in ranked if s >= self.settings.topic_similarity]


def unit_vectors(vectors: Sequence[Sequence[float]]) -> np.ndarray:
    matrix = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)
