"""Pages → structure: what a council paper is made of, recovered from its own text.

The rules here are those every modern.gov pack follows (a front sheet listing items with their
pages, minutes headed "MINUTES of a meeting of ... held on ...", numbered minutes with "(Item N)",
"It was RESOLVED that ..." decisions, reports headed By/To/Subject, numbered sections, scorecard
footers naming the report month), never rules for one file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from core.catalogue import PaperEntry
from core.dates import FULL_MONTH_NAME, MONTHS, find_dates, first_date
from core.records import ChunkKind, Decision, DecisionKind, DocumentInfo, Page, Table
from ingest.council import continues_parts, paper_identity, understand
from ingest.scorecard import FIGURES_ONLY, ROW_HEAD, SCORECARD_ROW, parse_scorecard_row

# The council's own letterhead ("KENT COUNTY COUNCIL"), which names no committee; "COUNTY COUNCIL" alone does.
COUNCIL_LETTERHEAD = r"(?!THE )[A-Z][A-Z'-]*(?: [A-Z][A-Z'-]*)* (?:COUNTY|BOROUGH|DISTRICT|CITY) COUNCIL"
COMMITTEE_WORD = r"(?:Panel|(?:Sub-)?Committee|Cabinet|Council|Group|Board)"
# A table cell that is a figure: a sum, a count, a share, or a dash for none; not a year, which heads a column.
FIGURE_CELL = re.compile(r"(?!(?:19|20)\d\d$)[-–(]?£?\d[\d,.]*(?:%|m|k|bn)?\)?|[-–—]|n/?a", re.I)
YEAR_CELL = re.compile(r"(?:19|20)?\d\d(?:[-/](?:19|20)?\d\d)?")  # a header's year: "2024-25", "24-25", "2025"
COMMITTEE_LINE = re.compile(
    r"^\s*(?:" + COUNCIL_LETTERHEAD + r"\s*[-–]\s*)?(?P<name>(?:[A-Z][A-Za-z'&]*\s){0,5}"
    # ("Children and Families Committee", "Education, Children and Families Committee": the remit's words)
    r"(?:(?:[A-Z][A-Za-z'&]*,\s)*(?:[A-Z][A-Za-z'&]*\s)+and\s(?:[A-Z][A-Za-z'&]*\s){1,3})?"
    r"(?:PANEL|SUB-COMMITTEE|COMMITTEE|CABINET|COUNCIL|GROUP|BOARD|Panel|Sub-Committee|Committee|Cabinet|Group|"
    r"Board))\b"
)
# A modern.gov report's header names the body it goes to: "To: Cabinet - 30 January 2025", "To: Corporate
# Parenting Panel – 10 December 2024".
REPORT_TO = re.compile(r"^\s*To:\s*(?P<name>[A-Z][\w'&,]*(?:\s+[A-Za-z][\w'&,]*){0,8}?)\s*(?:[-–—:]\s*\d|$)")
# ("the Looked After Children and Care Leavers Committee": a name's "and", "of", "for" join its words)
# ("MINUTE of MEETING of the CORPORATE PARENTING SUB-COMMITTEE of GLENARLOW COUNCIL", as Scottish minutes open)
MEETING_OF = re.compile(r"(?:meeting|MEETING|Meeting) of (?:the |this |THE )?"
                        r"(?P<name>[A-Z][\w'&-]*(?: (?:(?:and|of|for|&|AND|OF|FOR) )?[A-Z][\w'&-]*){0,8})")
# ...whose name is the committee's, not "... of Glenarlow Council" after it
OF_THE_COUNCIL = re.compile(r"^(?P<committee>.*?\b(?:Panel|Sub-Committee|Committee|Board|Group))\s+of\s+.*\bCouncil$",
                            re.I)
_TITLE_PART = r"(?:(?!\(Pages?\s)[^\n])+?"
FRONT_SHEET_ITEM = re.compile(
    r"(?m)^\s*(?P<item>[A-Z]?\d{1,2}[a-z]?)\.?\s+(?P<title>" + _TITLE_PART
    + r"(?:\n(?![A-Z]?\d{1,2}[a-z]?\.?\s)" + _TITLE_PART + r")?)\s*"
    r"\(Pages?\s+(?P<first>\d+)(?:\s*\n?\s*[-–]\s*\n?\s*(?P<last>\d+))?\s*\)"
)
# ("MINUTES of the remote meeting of ...", "MINUTES of an extraordinary meeting ...", a Scottish "MINUTE of
# MEETING of ...", "Minutes of our meeting on ...")
MINUTES_HEADING = re.compile(r"^\s*MINUTES? of (?:(?:a|an|the|our|its)\s+)?(?:(?!(?:previous|last|preceding|"
                             r"former|earlier|next|same)\b)[\w-]+\s+)?meeting\s+(?:of|held|on)\b", re.I)
# A partnership board's record is often "notes", not "minutes": "NOTES OF MEETING", "Notes of the meeting of
# the Board held on ...", "NOTES of the meeting held on ...", "ACTION NOTES OF THE MEETING". (In capitals, or
# opening "Notes of the meeting of/held": a sentence about "notes of the meeting" in a paragraph is neither.)
NOTES_HEADING = re.compile(r"^\s*(?:(?-i:(?:ACTION\s+)?NOTES\s+OF\s+(?:A\s+|THE\s+)?(?:[A-Z]+\s+){0,5}?MEETING)\b|"
                           r"(?:Action\s+|ACTION\s+)?(?:Notes|NOTES)\s+of\s+(?:a|the)\s+meeting\s+(?:of|held)\b)")


# Minutes headed only by the committee and the meeting's time and date, then the members present, as many Scottish
# councils print them ("Education, Children and Families Committee" / "10.00 am, Tuesday 10 October 2023" /
# "Present"): "Present" on a line of its own, a date just above it.
PRESENT_LINE = re.compile(r"^\s*(?:Present|PRESENT)\s*:?\s*$")


def present_under_date(lines: list[str], index: int) -> bool:
    """Line ``index`` is a "Present" line (``PRESENT_LINE``) with the meeting's date within the four lines above."""
    return bool(PRESENT_LINE.match(lines[index]) and find_dates(" ".join(lines[max(0, index - 4):index])))


# Minutes headed "MEETING OF THE PEOPLE AND COMMUNITIES COMMITTEE HELD IN THE COUNCIL CHAMBER ...", as Northern
# Ireland's councils print them: each item under a plain title line, nothing numbered (``_plain_heading``).
MEETING_HELD = re.compile(r"^\s*(?-i:MEETING\s+OF\s+(?:THE\s+)?[A-Z][A-Z ,&'’/-]*?\b(?:COMMITTEE|SUB-COMMITTEE|"
                          r"PANEL|BOARD|COUNCIL|GROUP|FORUM|PARTNERSHIP))\s+HELD\b")


def opens_minutes(line: str) -> bool:
    """The line heads a record of a meeting: its minutes, or its notes."""
    return bool(MINUTES_HEADING.match(line) or NOTES_HEADING.match(line) or MEETING_HELD.match(line))


MINUTE_NUMBER = re.compile(r"^\s*(?P<num>\d{1,4})\.\s+(?P<title>[A-Z0-9\"'‘“(].*)$")
# A minute numbered by the committee's own reference, or by its number in the year, as many councils print
# it: "CYP/24/4  SEND: Timeliness of EHCPs", "CAB.23/45 Budget", "LACC.12  FOSTERING", "12/25  PERFORMANCE
# DASHBOARD". Its form makes it a minute heading on its own (a paragraph is never so numbered; "2024/25" and a
# decision number "24/00108" are not of it), when what follows is a title, not a sentence running on to the
# next line.
MINUTE_REFERENCE = re.compile(r"^\s*(?P<num>[A-Z]{1,8}[./]\s?\d{1,4}/\d{1,4}|[A-Z]{1,8}/\d{1,4}|[A-Z]{2,8}\.\d{1,4}|"
                              r"[A-Z]{2,8}\s\d{1,3}/\d{2}|(?-i:[A-Z]{2,6})\s\d{1,3}(?=\s)|"
                              r"\d{1,3}/\d{2})\.?\s+(?P<title>[A-Z0-9\"'‘“(].*)$")
ITEM_REF = re.compile(r"\((?:Agenda\s+)?Item\s+(?P<item>[A-Z]?\d{1,2}[a-z]?)\)\s*$")
# An item headed by its number and title, its minute's reference on the line below: "Item 5: FOSTERING
# SUFFICIENCY" then "Minute CPB/21/14".
# (or with no reference at all: "Item 6  Our new offer to care leavers", a title, not "Item 4 was deferred.")
ITEM_TITLE = re.compile(r"^\s*(?:Agenda\s+)?Item\s+(?P<item>[A-Z]?\d{1,2}[a-z]?)(?:\s*[:.–-]\s+|\s+)"
                        r"(?P<title>[A-Z0-9\"'‘“(].*)$")
# A minute numbered without a stop, its title in capitals, as Scottish councils print them: "3   KEEPING THE PROMISE".
BARE_NUMBER_CAPITALS = re.compile(r"^\s*(?P<num>\d{1,3})\s+(?P<title>[A-Z][A-Z0-9 ,:;&'’()/?!.–-]{2,}[A-Z0-9)])\s*$")
MINUTE_LINE = re.compile(r"^\s*Minute\s+(?:No\.?\s*|Number\s+)?"
                         r"(?P<num>[A-Z]{0,8}[./]?\s?\d{1,4}(?:[./]\d{1,4}){0,2})\s*$")
REPORT_FIELD = re.compile(r"^\s*(?P<field>By|To|Subject)\s*:\s*(?P<value>.*)$")
# A numbered heading's title does not start with a figure: "3.8 3.1 -0.7 accommodation ..." is a row of a finance
# table whose first figure looks like a section number (budget 3.8, forecast 3.1, variance -0.7), and "13.0 13.4"
# a scorecard's; "3.4.2 % of Care Leavers in EET" and "2.05 77% of our children ..." are headings still. Nor is a
# number from 0 one: "0.0 Demand & Cost Drivers - Demand 22,989.0 ..." is a row of a budget plan.
SECTION = re.compile(r"^\s*(?P<num>(?!0\.)\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(?P<title>(?![-+£]?\d[\d,.]*(?:\s|$))\S.*)$")
TOP_SECTION = re.compile(r"^\s*(?P<num>\d{1,2})\.\s+(?P<title>[A-Z][A-Za-z ,&'’()-]{2,60})$")
# A numbered heading set off by a bar, as finance reports print theirs: "3 | Revenue Budget Forecast",
# "3a | Adult Social Care & Health including Public Health".
BAR_SECTION = re.compile(r"^\s*(?P<num>\d{1,2}[a-z]?)\s+\|\s+(?P<title>[A-Z][^|]{2,80})$")
PARAGRAPH_START = re.compile(r"^\s*(?:\d{1,2}\.|\(\d{1,2}\)|\d{1,2}\))\s")
LETTERED_PART = re.compile(r"^\s*(?:\(?[a-hA-H]\)|[a-h]\.|\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)\)"
                           r"|\(?\d{1,2}\))\s")
# The last minute of many minutes: "Next Meetings", "Date of next meeting", "Date and time of the next meeting".
NEXT_MEETING_MINUTE = re.compile(r"^(?:dates?\s+(?:and\s+times?\s+)?of\s+(?:the\s+)?)?next\s+meetings?\b", re.I)
RESOLUTION_LINES = 150  # at most, for a resolution listing its parts
BARE_PAGE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")
PAGE_FOOTER = re.compile(r"^\s*Page\s+\d{1,4}(?:\s+of\s+\d{1,4})?\s*$")
# A running head or foot: a line within this many lines of a page's top or foot that is printed there on at least
# RUNNING_SHARE of the paper's pages (and RUNNING_LEAST of them): "Numbers rounded for clarity ... may appear not" /
# "to add up." under every page of a budget report, "DRAFT", "Appendix J". No words of the page's own text.
RUNNING_EDGE = 3
RUNNING_SHARE = 0.5
RUNNING_LEAST = 3
# A table's numbered title above it ("Table 3: Total Spend on High Needs Block by main spend type", "Chart 2 - ...").
TABLE_TITLE = re.compile(r"^\s*(?:Table|Figure|Chart|Graph)\s+\d{1,3}[a-z]?\b\s*(?:[:.\-–—]\s*)?[A-Za-z(]")
TITLE_REACH = 6  # the lines above a table's first row where its title may stand (its header, read as text, between)
TITLE_WORDS = 25  # a title longer than this is cut: it names the table, it does not describe it
# The labels of a minute's parts, as Scottish councils print them on lines of their own: "Decision" over what was
# decided ("1) To note the report. 2) To request a further report within two cycles ..."), "Motion" and
# "Amendment" over what was moved, "Voting" over the count. Parts of the minute, not minutes.
PART_LABEL = re.compile(r"^\s*(?:Decisions?|Motion|Amendment(?:\s+\d+)?|Addendum|Voting)\s*$")
DECISION_LABEL = re.compile(r"^\s*Decisions?\s*$")
# The papers a Scottish minute was read from, closing it: "(References – report by the Executive Director, submitted.)"
REFERENCES_LINE = re.compile(r"^\s*\(\s*References?\s*[–—-]")
# "It was RESOLVED that", "RESOLVED: That (a) ...", "RESOLVED – that ...", "Resolved that", "... were NOTED";
# and as other councils record theirs: "AGREED: That ...", "The Board AGREED to ...", "DECIDED:", "DECISION: Board
# endorsed ...", a scrutiny committee's "Outcome:" (in capitals, or a line's label: "agreed" in a sentence is
# no decision).
DECISION_TRIGGER = re.compile(
    r"\b(?:It was RESOLVED\b|(?:RESOLVED|Resolved)(?:\s+that\b|\s*[:–—-])|(?:were|was|be|been|is|are) NOTED\b|"
    r"(?:AGREED|DECIDED)\b|DECISION\s*:)|^\s*Outcome\s*:"
    # ("The Sub-Committee resolved:-", as Scottish councils write it)
    r"|\b(?:Sub-Committee|Committee|Panel|Board|Council|Cabinet)\s+(?:resolved|agreed|decided)\s*(?::-?|–|—)"
)
RESOLVED_START = re.compile(r"\b(?:It was RESOLVED|RESOLVED|Resolved|"
                            r"(?:The\s+[A-Z][\w-]*\s+|It\s+was\s+)?(?:AGREED|DECIDED)\b|DECISION\s*:)|^\s*Outcome\s*:|"
                            r"\b(?:The\s+)?(?:Sub-Committee|Committee|Panel|Board|Council|Cabinet)\s+(?:resolved|agreed|decided)"
                            r"(?=\s*(?::-?|–|—))")
REPORT_PERIOD = re.compile(
    r"(?:Performance|Indicator) Report\s*[-–]\s*(?P<period>[A-Z][a-z]{2,8} \d{4}|\d{4}-\d{2} Q\d)"
)
# A report that states its position at one month on its first page ("As at November 2024-25 – Quarter 3",
# "the budget monitoring position as at 30 November 2024"): every figure in it is of that month.
AS_AT_MONTH = re.compile(r"\b[Aa]s at\s+(?:the end of\s+)?(?:[0-3]?\d(?:st|nd|rd|th)?\s+)?" + FULL_MONTH_NAME
                         + r"\s+(?P<year>(?:19|20)\d\d)\b")
AS_AT_WINDOW = 1500  # characters of the first page: a cover's statement, not a date deep in its prose
AGENDA_HEADING = re.compile(r"^\s*A\s?G\s?E\s?N\s?D\s?A\s*$", re.M)  # "AGENDA", or letter-spaced "A G E N D A"
MARKDOWN_ROW = re.compile(r"^\s*\|.*\|\s*$")
DAY_MONTH = re.compile(r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+" + FULL_MONTH_NAME + r"\b")


@dataclass(frozen=True)
class Context:
    """Where a line stands in the paper: which meeting, item, minute, report and section."""

    meeting_date: str | None = None
    committee: str | None = None
    item: str | None = None
    item_title: str | None = None
    minute: str | None = None
    minute_title: str | None = None
    in_minutes: bool = False
    report: str | None = None
    section: str | None = None
    period: str | None = None
    table_title: str | None = None  # a table's own numbered title ("Table 3: Total Spend on High Needs Block")
    # The period is the whole report's, from its cover ("As at November 2024-25"): it says which month its
    # figures are of, but is not written into every passage's embedded header (it would outweigh the words).
    period_from_cover: bool = False


@dataclass
class Line:
    text: str
    page: int
    context: Context
    kind: ChunkKind = ChunkKind.NARRATIVE


@dataclass
class PaperStructure:
    info: DocumentInfo
    lines: list[Line]
    decisions: list[Decision]
    page_labels: dict[int, str | None]
    tables: list[tuple[int, Context, list[str]]] = field(default_factory=list)
    items: dict[str, tuple[str, int, int | None]] = field(default_factory=dict)


def title_case(name: str) -> str:
    small = {"and", "of", "the", "for", "in"}
    words = name.split()
    if name.isupper():
        # ("SUB-COMMITTEE" is "Sub-Committee")
        words = [w.lower() if w.lower() in small and i else "-".join(p.capitalize() for p in w.split("-"))
                 for i, w in enumerate(words)]
    return " ".join(words)


# Titles a PDF's properties carry from a template, not the paper's own.
GENERIC_TITLES = frozenset({"minutes", "agenda", "agenda template", "report", "the report", "untitled",
                            "powerpoint presentation", "presentation", "document", "slide 1"})
KIND_WORDS = frozenset({"agenda", "pack", "minutes", "printed", "report", "frontsheet", "front", "sheet", "supplement"})
# What modern.gov puts before a pack's title ("(Public Pack)Item 7 - Supplementary ...").
PUBLIC_PACK = re.compile(r"^\(Public Pack\)\s*", re.I)
# A file name's leading body and meeting date ("cabinet_2025-01-30_", "2025-01-30-"): said elsewhere in a header.
DATED_PREFIX = re.compile(r"^(?:[A-Za-z]+(?:[ _-][A-Za-z]+)*[ _-]+)?\d{4}-\d{2}-\d{2}[ _-]+")


def _own_title(title: str | None) -> str | None:
    title = PUBLIC_PACK.sub("", " ".join((title or "").split()))
    return None if title.lower() in GENERIC_TITLES else title or None


def file_title(document: str) -> str | None:
    """The title a file's name gives ("cabinet_2025-01-30_Appendix_B_Capital_Investment_by_Directorate.pdf" →
    "Appendix B Capital Investment by Directorate"), or None when it holds fewer than two words."""
    stem = document.rsplit("/", 1)[-1]
    stem = stem[:-4] if stem.lower().endswith(".pdf") else stem
    name = DATED_PREFIX.sub("", stem)
    if not re.search(r"[ _]", name):  # "finance-monitoring-q3-2024-25": hyphens between words are spaces
        name = re.sub(r"(?<=[A-Za-z])-|-(?=[A-Za-z])", " ", name)
    name = " ".join(name.replace("_", " ").split())
    words = re.findall(r"[A-Za-z]{3,}", name)
    if len(words) < 2 or all(w.lower() in KIND_WORDS for w in words):  # "agenda pack" names no paper
        return None
    return name


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# ...or a council named by its place alone ("GLENARLOW COUNCIL", "DUNMERE COUNCIL"), not a meeting of one
PLACE_COUNCIL = r"(?!(?:THE|COUNTY|CITY|TOWN|PARISH|FULL|DISTRICT|BOROUGH) )[A-Z][A-Z'-]+ COUNCIL"


def meeting_of(text: str) -> str | None:
    """The committee "a meeting of the ..." names, where its name ends in a committee's word."""
    match = MEETING_OF.search(text)
    if not match or not re.search(COMMITTEE_WORD + "$", match["name"], re.I):
        return None
    own = OF_THE_COUNCIL.match(match["name"])
    return title_case(own["committee"] if own else match["name"])


def is_letterhead(line: str) -> bool:
    return bool(re.fullmatch(COUNCIL_LETTERHEAD, line.strip().upper())
                or re.fullmatch(PLACE_COUNCIL, line.strip()))


ALL_MEMBERS_OF = re.compile(r"^All\s+Members\s+of\s+(?:the\s+)?", re.I)


def _names_alone(match: re.Match[str], line: str) -> bool:
    """A committee's name stands on its own line (a date may follow): "Accounting Panel (LAAP) Bulletin ...",
    "MTFP Category Directorate Cabinet Headline Description ..." or "Group." start other text. One word names a
    body only as "Cabinet" or "Council"."""
    rest = line[match.end():].strip(" ,.:;-–")
    if rest and not (len(rest) <= 40 and first_date(rest)):
        return False
    return len(match["name"].split()) > 1 or bool(re.fullmatch(r"(?i)cabinet|council", match["name"]))


def find_committee(text: str) -> str | None:
    """The committee a paper belongs to, from its opening lines."""
    for line in text.splitlines()[:40]:
        match = REPORT_TO.match(line)
        if match and re.search(COMMITTEE_WORD + "$", match["name"].strip(" ,")):
            # "To: All Members of the County Council" is a paper for the County Council
            return title_case(ALL_MEMBERS_OF.sub("", match["name"].strip(" ,")))
    for line in text.splitlines()[:60]:
        if name := meeting_of(line):
            return name
    for line in text.splitlines()[:60]:
        stripped = line.strip()
        if is_letterhead(stripped):
            continue
        match = COMMITTEE_LINE.match(stripped)
        if match and _names_alone(match, stripped) and len(match["name"].split()) <= 6:
            words = match["name"].split()
            while words and words[0].lower() in ("to", "by", "from", "report", "the"):
                words = words[1:]
            if words:
                return title_case(" ".join(words))
    return None


def guess_kind(text: str) -> str:
    head = text[:4000]
    if re.search(r"\(Pages?\s+\d", head) or AGENDA_HEADING.search(head):
        return "agenda pack"
    lines = head.splitlines()
    opening = [line for line in lines if line.strip()][:30]
    if re.search(r"^\s*MINUTES\b", head, re.M) or any(opens_minutes(line) for line in lines) or any(
            present_under_date(opening, i) for i in range(len(opening))):
        return "minutes"
    return "report"


def front_sheet_items(text: str) -> dict[str, tuple[str, int, int | None]]:
    """Agenda items listed with "(Pages X - Y)" on the front sheet: item → (title, first, last)."""
    items: dict[str, tuple[str, int, int | None]] = {}
    for match in FRONT_SHEET_ITEM.finditer(text):
        title = " ".join(match["title"].split())
        last = int(match["last"]) if match["last"] else None
        items.setdefault(match["item"], (title, int(match["first"]), last))
    return items


def _infer_year(day: int, month: int, before: date | None) -> date | None:
    """A date written without its year ("23rd November") is the latest such day not after the pack."""
    year = before.year if before else None
    if year is None:
        return None
    for candidate_year in (year, year - 1):
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:
            continue
        if before is None or candidate <= before:
            return candidate
    return None


def _meeting_date_near(lines: list[str], index: int, pack_date: date | None) -> date | None:
    window = " ".join(lines[max(0, index - 2) : index + 4])
    heading = " ".join(lines[index : index + 4])
    dates = find_dates(heading) or find_dates(window)
    if dates:
        return dates[0]
    match = DAY_MONTH.search(heading)
    if match:
        return _infer_year(int(match["day"]), MONTHS[match["month"].lower()], pack_date)
    return None


def _committee_near(lines: list[str], index: int, default: str | None) -> str | None:
    heading = " ".join(lines[index : index + 3])
    if name := meeting_of(heading):
        return name
    for line in reversed(lines[max(0, index - 4) : index]):
        found = find_committee(line)
        if found and not is_letterhead(found.upper()):
            return found
    return default


def _minute_heading(lines: list[str], index: int) -> tuple[str | None, str, str, int] | None:
    """(minute number, title, item, lines it spans) when a minute heading starts at ``index``."""
    line = lines[index]
    titled = ITEM_TITLE.match(line)
    if titled and _title_line(titled["title"]):
        minute = MINUTE_LINE.match(lines[index + 1]) if index + 1 < len(lines) else None
        if minute:
            return "".join(minute["num"].split()), " ".join(titled["title"].split()), titled["item"], 1
        # (minutes that number only their items: the item's number is the minute's, inside minutes only)
        return None, " ".join(titled["title"].split()), titled["item"], 0
    number = MINUTE_NUMBER.match(line)
    for span in range(0, 4):
        if index + span >= len(lines):
            break
        ref = ITEM_REF.search(lines[index + span])
        if not ref:
            continue
        parts = [lines[j] for j in range(index, index + span + 1)]
        # (a numbered heading below starts there: the line above it is the end of what went before, "Thank you for
        # listening to us. Jade and Connor, Our Voice" over "18.  Foster Care Association Update (Item 7)")
        if any(MINUTE_NUMBER.match(p) for p in parts[1:]):
            return None
        # A heading is a title, not a sentence: paragraph "3. RESOLVED that ... noted." is no minute.
        if any(p.rstrip().endswith((".", ";", ":")) or "RESOLVED" in p for p in parts[:span] + [line]):
            return None
        title = ITEM_REF.sub("", " ".join(p.strip() for p in parts)).strip()
        if number:
            title = MINUTE_NUMBER.match(title)["title"] if MINUTE_NUMBER.match(title) else title
            return number["num"], " ".join(title.split()), ref["item"], span
        # Newer minutes carry no number: a short title line directly above "(Item N)".
        if span == 1 and line.strip() and not line.rstrip().endswith((".", ",", ";")) and len(line) < 120:
            return None, " ".join(line.split()), ref["item"], span
        return None
    return None


def _title_line(text: str) -> bool:
    """A heading's words, not a sentence or a decision: short, no closing stop."""
    text = text.strip()
    return bool(text) and len(text) <= 120 and not text.endswith((".", ",", ";", ":")) and "RESOLVED" not in text


# A line that runs on into the next: it ends on a word no title ends on.
RUNS_ON = re.compile(r"\b(?:the|that|and|or|of|to|a|an|for|with|which|who|in|on|by|at|from|was|were|had|has)\s*$")


def _unreferenced_minute(lines: list[str], index: int, current: str | None,
                         current_title: str | None = None) -> tuple[str, str, int] | None:
    """(minute number, title, lines it spans) for a numbered minute printed without "(Item N)" (the motion
    to exclude the press and public, "Apologies and Substitutes"). What tells it from a numbered paragraph
    is the minutes' own numbering: its number follows the minute before it, or leads, through any other
    such minutes, to the next minute that names its item."""
    reference = MINUTE_REFERENCE.match(lines[index])
    if reference and _title_line(reference["title"]) and not RUNS_ON.search(reference["title"]):
        return reference["num"], " ".join(reference["title"].split()), 0
    capitals = BARE_NUMBER_CAPITALS.match(lines[index])
    if capitals and len(capitals["title"].split()) >= 2 and not RUNS_ON.search(capitals["title"].lower()):
        return capitals["num"], " ".join(capitals["title"].split()), 0
    match = MINUTE_NUMBER.match(lines[index])
    if not match or not _title_line(match["title"]):
        return None
    number = int(match["num"])
    title, span = " ".join(match["title"].split()), 0
    following = lines[index + 1].strip() if index + 1 < len(lines) else ""
    # A title wrapped onto a second line continues in lower case ("... for exempt" / "business").
    if following[:1].islower() and _title_line(following) and len(following) < 60:
        title, span = f"{title} {following}", 1
    if current and current.isdigit() and number == int(current) + 1:
        return match["num"], title, span
    # A numbered title in capitals ("34. APOLOGIES AND SUBSTITUTIONS") is a minute heading: a paragraph is
    # never so written.
    if title.isupper() and len(title) >= 3 and not RUNS_ON.search(title.lower()):
        return match["num"], title, span
    expected = number + 1
    for ahead in range(index + 1, min(len(lines), index + 150)):
        if opens_minutes(lines[ahead]):
            return None
        heading = _minute_heading(lines, ahead)
        if heading and heading[0]:
            return (match["num"], title, span) if heading[0].isdigit() and int(heading[0]) == expected else None
        later = MINUTE_NUMBER.match(lines[ahead])
        if later and int(later["num"]) == expected and _title_line(later["title"]):
            expected += 1
            # Minutes kept as an action log ("1. Welcome", "2. UASC Service Update", ...) name no item
            # at all: a run of titled items numbered on from a first one that opens the minutes (not
            # the numbered paragraphs inside a minute, numbered or titled) is the minutes' numbering.
            if number == 1 and current is None and current_title is None and expected > number + 2:
                return match["num"], title, span
    return None


def _untitled_heading(lines: list[str], index: int) -> str | None:
    """The title of a minute printed with neither number nor "(Item N)" ("Election of Chair"): a short title
    line in sentence or title case, directly above the minute's first numbered paragraph ("1. ...");
    minutes restart their paragraph numbers at each minute."""
    line = lines[index].strip()
    following = next((ln for ln in lines[index + 1 : index + 3] if ln.strip()), "")
    before = next((ln.strip() for ln in reversed(lines[max(0, index - 2) : index]) if ln.strip()), "")
    if (not _title_line(line) or line.isupper() or not line[:1].isupper() or len(line.split()) > 10
            or line.count("(") != line.count(")") or PARAGRAPH_START.match(line) or MINUTE_NUMBER.match(line)
            or PART_LABEL.match(line)):
        return None
    # ...and not the last line of a wrapped sentence: what stands above it has ended; nor the meeting's date and
    # time under the minutes' heading ("Tuesday 28 January 2020, 2.00pm to 4.35pm").
    if before and not (before.endswith((".", ":")) or before.isupper() or ITEM_REF.search(before)):
        return None
    # ...nor a list of names under "Apologies:" or "Present:" ("DI Mark Tilley, Weyholt Police; Ryan, Speak Up").
    if find_dates(line) or ";" in line or ATTENDANCE_LABEL.match(before):
        return None
    return " ".join(line.split()) if re.match(r"^\s*(?:1\.|\(1\)|1\))\s", following) else None


ATTENDANCE_LABEL = re.compile(r"^\s*(?:Present|Apologies(?:\s+for\s+absence)?|(?:Also|Others?)\s+(?:present|in\s+"
                              r"attendance)|In\s+attendance|Officers(?:\s+present)?|Members(?:\s+present)?)\s*:\s*$",
                              re.I)


# A decision in running text, as minutes with plain titles record theirs: "After discussion, the Committee agreed
# that ...", "The Committee noted the report", "Accordingly, the Committee adopted the recommendations".
PLAIN_DECISION = re.compile(r"^\s*(?:(?:After|Following)\s+(?:further\s+)?discussion,?\s+|Accordingly,?\s+|"
                            r"(?:On\s+a\s+vote|Thereafter),?\s+)?(?:the|The)\s+(?:Sub-Committee|Committee|Panel|Board)\s+"
                            r"(?:agreed|noted|approved|endorsed|adopted|granted|resolved)\b")


def _plain_heading(lines: list[str], index: int) -> str | None:
    """The title of an item in minutes that number nothing (``MEETING_HELD``): a short line in title case with no
    closing stop, after a line that ended a sentence (or a heading in capitals), before a sentence
    ("Summer Intervention Programme 2025" over "The Good Relations Manager reported that ...")."""
    line = lines[index].strip()
    if (not _title_line(line) or line.isupper() or not line[:1].isupper() or len(line.split()) > 14
            or RUNS_ON.search(line) or PART_LABEL.match(line) or PARAGRAPH_START.match(line) or find_dates(line)):
        return None
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", line) if len(w) > 3]
    if not words or sum(w[0].isupper() for w in words) < 0.6 * len(words):
        return None  # a sentence's words, not a title's
    before = next((ln.strip() for ln in reversed(lines[max(0, index - 2) : index]) if ln.strip()), "")
    if before and not (before.endswith((".", ":", ";", ")")) or before.isupper()):
        return None  # the end of a wrapped sentence, or a title's first line
    # (a member leaving under the title is in brackets: "(Councillor Toner, having declared an interest, left ...")
    following = next((ln.strip().lstrip("(") for ln in lines[index + 1 : index + 3] if ln.strip()), "")
    if not following[:1].isupper() or len(following.split()) < 6 or _title_line(following) and len(following) < 60:
        return None
    return " ".join(line.split())


# A numbered paragraph's opening ("38. Apologies for absence were received from ..."): a sentence, not a title.
NUMBERED_PARAGRAPH = re.compile(r"^\s*(?P<num>\d{1,3})\.\s+(?P<text>[A-Z\"'‘“(].*)$")


def _unnumbered_heading(lines: list[str], index: int, last_paragraph: int | None) -> tuple[str, str, str | None] | None:
    """(minute number, title, item) of an item headed by an unnumbered title whose paragraphs are numbered on across
    the whole minutes, as many Welsh and some English district councils print them ("BASIC INCOME PILOT FOR CARE
    LEAVERS" over "61. Consideration was given to ..."; "Foster Carer Allowances and Fees (Item 8)" over "75. ..."):
    each paragraph is a minute, cited by its number; the item is the minute of its first paragraph. A title in
    capitals tells itself; one in ordinary case only where its first paragraph carries the minutes' numbering on
    (``last_paragraph``, the last numbered paragraph of these minutes, + 1), never where each item's paragraphs start
    again at 1 (``_untitled_heading``'s minutes)."""
    line = lines[index].strip()
    item = ITEM_REF.search(line)
    title = ITEM_REF.sub("", line).strip() if item else line
    if not _title_line(title) or sum(ch.isalpha() for ch in title) < 4 or not title[:1].isupper():
        return None
    before = next((ln.strip() for ln in reversed(lines[max(0, index - 2) : index]) if ln.strip()), "")
    if before and not (before.endswith((".", ":", ";")) or before.isupper()):
        return None  # the end of a wrapped sentence
    following = next((ln for ln in lines[index + 1 : index + 3] if ln.strip()), "")
    paragraph = NUMBERED_PARAGRAPH.match(following)
    if paragraph is None or ITEM_REF.search(following) or paragraph["text"].isupper():
        return None
    # A paragraph's opening runs on as a sentence; a minute heading ("88. Membership") is a short title.
    text = paragraph["text"].strip()
    if len(text.split()) < 8 and not text.endswith((".", ":")):
        return None
    number = int(paragraph["num"])
    if not title.isupper() and (len(title.split()) > 12 or PARAGRAPH_START.match(line) or number <= 1
                                or (last_paragraph is not None and number != last_paragraph + 1)):
        return None
    return paragraph["num"], " ".join(title.split()), item["item"] if item else None


def _labelled_decision(lines: list[str], index: int) -> tuple[int, int, str] | None:
    """The decision under a "Decision" label (``DECISION_LABEL``): its lines up to the minute's references line, the
    next label or the next minute's heading."""
    end, parts = index, []
    while end + 1 < len(lines):
        nxt = lines[end + 1]
        if REFERENCES_LINE.match(nxt) or PART_LABEL.match(nxt) or MINUTE_NUMBER.match(nxt) or ITEM_REF.search(nxt):
            break
        if not nxt.strip() or PAGE_FOOTER.match(nxt) or BARE_PAGE_NUMBER.match(nxt):
            end += 1
            continue
        # (a decision's numbered parts go on; after its last sentence, what follows is the minutes' again)
        if parts and parts[-1].endswith(".") and not LETTERED_PART.match(nxt):
            break
        end += 1
        parts.append(nxt.strip())
    return (index, end, " ".join(" ".join(parts).split())) if parts else None


# What was moved, over its mover: a "Motion" or "Amendment" label's lines, or "The following motion by Councillor X was
# submitted ..." and the motion quoted under it, down to "- moved by Councillor X, seconded by Councillor Y".
PROPOSAL_LABEL = re.compile(r"^\s*(?P<what>Motion|Amendment|Addendum)(?:\s+\d+)?\s*$")
PROPOSAL_SUBMITTED = re.compile(r"^\s*The\s+following\s+(?P<what>motion|amendment)\s+by\b.*\bsubmitted\b", re.I)
MOVED_BY = re.compile(r"^\W*moved\s+by\b", re.I)
# A decision to approve what was moved: "To approve the motion by Councillor Lindsay, as adjusted by the addendum by
# Councillor Fairbairn", "To approve the amendment by Councillor Baird".
ADJUSTED = re.compile(r"\b(?:adjusted|amended)\s+by\s+the\s+(?:addendum|amendment)\b", re.I)
APPROVES_PROPOSAL = re.compile(r"^\s*To\s+approve\s+the\s+(?P<what>motion|amendment)\b(?P<rest>[^.]*)", re.I)


def _proposal(lines: list[str], index: int) -> tuple[str, int, str] | None:
    """(what was moved, its last line, its words) for a motion or amendment that starts at ``index``."""
    start = PROPOSAL_LABEL.match(lines[index]) or PROPOSAL_SUBMITTED.match(lines[index])
    if not start:
        return None
    end, parts = index, []
    while end + 1 < len(lines) and end - index < 60:
        nxt = lines[end + 1]
        if MOVED_BY.match(nxt):
            return start["what"].lower(), end + 1, " ".join(" ".join(parts).strip('"“” ').split())
        if REFERENCES_LINE.match(nxt) or PART_LABEL.match(nxt) or MINUTE_NUMBER.match(nxt):
            break
        end += 1
        if nxt.strip() and not PAGE_FOOTER.match(nxt) and not BARE_PAGE_NUMBER.match(nxt):
            parts.append(nxt.strip())
    return None  # no mover: not a motion put to the committee


def _decision_span(lines: list[str], index: int, plain: bool = False) -> tuple[int, int, str] | None:
    """The decision that the trigger on line ``index`` belongs to: (first line, last line, text). ``plain``: minutes
    that number nothing, whose decisions are sentences (``PLAIN_DECISION``)."""
    line = lines[index]
    if DECISION_LABEL.match(line):
        return _labelled_decision(lines, index)
    if not DECISION_TRIGGER.search(line) and not (plain and PLAIN_DECISION.match(line)):
        return None
    start = index
    resolved = RESOLVED_START.search(line)
    if resolved:
        first_text = line[resolved.start() :]
    else:
        # "(3) The verbal updates were NOTED": the decision is the whole paragraph.
        while (start > max(0, index - 4) and not PARAGRAPH_START.match(lines[start])
               and lines[start - 1].strip() and not lines[start - 1].rstrip().endswith((".", ":"))):
            start -= 1
        first_text = PARAGRAPH_START.sub("", lines[start], count=1)
    parts = [first_text.strip()] + [ln.strip() for ln in lines[start + 1 : index + 1]]
    end = index
    listing = False  # after "RESOLVED that Cabinet agree to:" come its parts a), b), (1), (2)...
    # A resolution of many parts ("(i)" to "(x)": a budget and its council tax) runs long, and is kept whole.
    while end + 1 < len(lines) and end - start < (RESOLUTION_LINES if listing else 25):
        nxt = lines[end + 1]
        if not nxt.strip() or PAGE_FOOTER.match(nxt) or BARE_PAGE_NUMBER.match(nxt):
            end += 1  # a page break inside a decision does not end it
            continue
        # (parts follow a colon, or straight after an opening that has not ended: "RESOLVED: That the Board" /
        # "(1) notes ...; (2) asks ...")
        listing = listing or parts[-1].endswith(":") or (
            len(parts) == 1 and not parts[0].rstrip().endswith((".", ";")) and bool(LETTERED_PART.match(nxt)))
        is_part = listing and (LETTERED_PART.match(nxt) or continues_parts(" ".join(parts), nxt))
        if not is_part and (PARAGRAPH_START.match(nxt) or MINUTE_NUMBER.match(nxt) or ITEM_REF.search(nxt)
                            or REPORT_FIELD.match(nxt) or _minute_heading(lines, end + 1)):
            break
        # Lines wrap mid-sentence; a full stop ends the decision unless lettered parts a)-c) follow.
        if parts[-1].endswith(".") and not (LETTERED_PART.match(nxt) or is_part):
            break
        end += 1
        parts.append(nxt.strip())
    return start, end, " ".join(" ".join(parts).split())


def _running_key(line: str) -> str:
    # "... may appear not Page 3 of 44": the page's own number is no part of what runs from page to page
    return re.sub(r"\bPage\s+\d+(?:\s+of\s+\d+)?", "Page #", " ".join(line.split()))


def _edge_places(filled: list[int]) -> list[tuple[str, int, int]]:
    """(edge, place, line number) of a page's first and last few filled lines: ("head", 0, n) for its top line,
    ("foot", 0, m) for its last."""
    head = [("head", place, n) for place, n in enumerate(filled[:RUNNING_EDGE])]
    foot = [("foot", place, n) for place, n in enumerate(reversed(filled[-RUNNING_EDGE:]))]
    return head + foot


def running_lines(pages: list[Page]) -> set[tuple[str, int, str]]:
    """The lines printed at the same place near the top or foot of most of the paper's pages: its running heads
    and feet. A line of figures (a table's header of periods carried to each page) is never one, nor a bare page
    number (dropped where it stands at the very edge)."""
    if len(pages) < RUNNING_LEAST:
        return set()
    seen: dict[tuple[str, int, str], int] = {}
    for page in pages:
        body = page.body.splitlines()
        filled = [n for n, raw in enumerate(body) if raw.strip()]
        for margin in {(edge, place, _running_key(body[n])) for edge, place, n in _edge_places(filled)}:
            seen[margin] = seen.get(margin, 0) + 1
    least = max(RUNNING_LEAST, RUNNING_SHARE * len(pages))
    return {margin for margin, count in seen.items() if count >= least and re.search(r"[A-Za-z]{2}", margin[2])
            and len(re.findall(r"\d+", margin[2])) < 3}


def analyse(pages: list[Page], document: str, content_hash: str, entry: PaperEntry | None = None,
            metadata_title: str | None = None) -> PaperStructure:
    """Recover the structure of one paper: its identity, its meetings, items, minutes, decisions.
    ``entry``: what the corpus catalogue says of this paper (it wins over what the text suggests)."""
    entry = entry or PaperEntry(file=document)
    full_text = "\n".join(p.text for p in pages)
    opening = "\n".join(p.text for p in pages[:3])
    committee = entry.committee or find_committee(opening)
    pack_date_value = date.fromisoformat(entry.meeting_date) if entry.meeting_date else first_date(opening)
    kind = entry.kind or guess_kind(full_text)
    metadata_title = _own_title(metadata_title)
    when = f", {pack_date_value:%-d %B %Y}" if pack_date_value else ""
    composed = f"{committee or 'Council'} {kind}{when}"
    # Minutes and agenda packs are named by their meeting; a report or appendix the PDF leaves untitled (or
    # calls "THE REPORT") by the name it was filed under, which says what it is ("Appendix B - Capital
    # Investment by Directorate"), rather than "Council report".
    named = None if committee and kind != "report" else file_title(document)
    title = entry.title or metadata_title or named or composed
    info = DocumentInfo(document=document, title=title, committee=committee,
                        meeting_date=_iso(pack_date_value), kind=kind, content_hash=content_hash,
                        pages=len(pages), provenance=entry.provenance)

    items = front_sheet_items(opening)
    page_labels = {p.number: p.label for p in pages}

    has_labels = any(p.label for p in pages)
    # A front sheet published alone lists items on pages it does not contain: map nothing then.
    front_sheet = not items and len(pages) <= 4 and bool(AGENDA_HEADING.search(full_text))
    if items and not has_labels and len(pages) < max(last or first for _, first, last in items.values()):
        items = {}
        front_sheet = True
    if not entry.kind:
        opening_lines = "\n".join(p.text for p in pages[:2]).splitlines()
        info.kind, info.decision_number, info.appendix = paper_identity(opening_lines, info.kind, front_sheet)

    def item_for_page(page: Page) -> tuple[str, str] | None:
        if page.label and page.label.isdigit():
            printed = int(page.label)
        elif has_labels:
            return None  # a cover letter before "Page 1" belongs to no item
        else:
            printed = page.number
        for item, (item_title, first, last) in items.items():
            if first <= printed <= (last if last is not None else first):
                return item, item_title
        return None

    flat: list[tuple[str, int]] = []
    running = running_lines(pages)
    for page in pages:
        body = page.body.splitlines()
        filled = [n for n, raw in enumerate(body) if raw.strip()]
        edges = (filled[0], filled[-1]) if filled else ()
        printed_number = {str(page.number), page.label or str(page.number)}
        # the page's running head and foot (kept on the paper's first page, where such a line is its title)
        margin = set() if not running or page is pages[0] else {
            n for edge, place, n in _edge_places(filled) if (edge, place, _running_key(body[n])) in running}
        for n, raw in enumerate(body):
            if n in edges and (raw.strip() in printed_number or PAGE_FOOTER.match(raw)):
                # the page's number printed alone at its foot or head ("17", "Page 2", a pack's own numbering
                # of an embedded report): no words of the paper's ("As of January Page 2 2025, the 18-25 ...")
                continue
            if n in margin:
                continue
            # A table row wrapped onto a second line of bare figures is one row again.
            if flat and FIGURES_ONLY.match(raw) and (SCORECARD_ROW.match(flat[-1][0]) or ROW_HEAD.search(flat[-1][0])):
                flat[-1] = (f"{flat[-1][0].rstrip()} {raw.strip()}", flat[-1][1])
                continue
            # ...and so is a row whose indicator label wrapped: "(of those we are in touch" + "with) H R12M ..."
            row = SCORECARD_ROW.match(raw)
            if flat and row and not SCORECARD_ROW.match(flat[-1][0]) and flat[-1][1] == page.number:
                label = row["label"].strip()
                if label[:1].islower() or label[:1] in ")(" or len(label.split()) <= 2:
                    merged = f"{flat[-1][0].rstrip()} {raw.strip()}"
                    if parse_scorecard_row(merged):
                        flat[-1] = (merged, flat[-1][1])
                        continue
            flat.append((raw, page.number))
    texts = [t for t, _ in flat]
    page_period = _page_periods(pages, item_for_page if items else None)
    from_cover = not _report_periods(pages) and _cover_period(pages) is not None

    ctx = Context(meeting_date=info.meeting_date, committee=committee)
    lines: list[Line] = []
    decisions: list[Decision] = []
    decided_until = heading_until = -1
    # Minutes whose paragraphs are numbered on across items under unnumbered titles (``_unnumbered_heading``): a
    # numbered paragraph there is no minute heading of its own.
    numbered_paragraphs = False
    # Minutes that number nothing (``MEETING_HELD``): items under plain titles, decisions in running text.
    plain_minutes = False
    # The motions and amendments moved under the current minute (``_proposal``), for a decision that approves one.
    proposals: dict[str, str] = {}
    proposals_of: str | None = None
    last_paragraph: int | None = None  # the number of the minutes' last numbered paragraph ("75. ...")
    current_page_item: tuple[str, str] | None = None
    page_of_lines = {p.number: p for p in pages}
    previous_page = None
    for index, (text, page_number) in enumerate(flat):
        page = page_of_lines[page_number]
        if (ctx.in_minutes and previous_page is not None and page_number != previous_page and ctx.minute_title
                and NEXT_MEETING_MINUTE.match(ctx.minute_title)):
            # Minutes end with the date of the next meeting: a new page after it is a paper appended to them
            # (an action log's indicator report), not more of that minute.
            ctx = replace(ctx, in_minutes=False, minute=None, minute_title=None, section=None)
        previous_page = page_number
        page_item = item_for_page(page) if items else None
        if page_item != current_page_item:
            current_page_item = page_item
            if page_item:
                ctx = replace(ctx, item=page_item[0], item_title=page_item[1], minute=None,
                              minute_title=None, in_minutes=False, report=page_item[1], section=None,
                              meeting_date=info.meeting_date, committee=committee)
        ctx = replace(ctx, period=page_period.get(page_number), period_from_cover=from_cover)
        stripped = text.strip()
        heading = _minute_heading(texts, index) if index > heading_until else None
        if heading and (ctx.in_minutes or heading[0]):
            number, minute_title, item, span = heading
            if number is None and ITEM_TITLE.match(text):
                number = item  # "Item 6  Title": minutes numbered by their items
            heading_until = index + span
            ctx = replace(ctx, in_minutes=True, minute=number, minute_title=minute_title, item=item,
                          section=None)
        elif (ctx.in_minutes and index > heading_until
              and (bare := _unreferenced_minute(texts, index, None if numbered_paragraphs else ctx.minute,
                                                ctx.minute_title))):
            number, minute_title, span = bare
            heading_until = index + span
            # No "(Item N)": the page's agenda item is the pack's, not this minute's.
            ctx = replace(ctx, minute=number, minute_title=minute_title, item=None, section=None)
        elif ctx.in_minutes and index > heading_until and (unnumbered := _unnumbered_heading(texts, index,
                                                                                              last_paragraph)):
            numbered_paragraphs = True
            ctx = replace(ctx, minute=unnumbered[0], minute_title=unnumbered[1], item=unnumbered[2], section=None)
        elif ctx.in_minutes and index > heading_until and (untitled := _untitled_heading(texts, index)):
            ctx = replace(ctx, minute=None, minute_title=untitled, item=None, section=None)
        elif ctx.in_minutes and plain_minutes and index > heading_until and (plain := _plain_heading(texts, index)):
            ctx = replace(ctx, minute=None, minute_title=plain, item=None, section=None)
        elif (opens_minutes(stripped) and "(Pages" not in stripped) or (not ctx.in_minutes
                                                                     and present_under_date(texts, index)):
            numbered_paragraphs, last_paragraph = False, None
            plain_minutes = bool(MEETING_HELD.match(stripped))
            met = _meeting_date_near(texts, index, pack_date_value)
            ctx = replace(ctx, in_minutes=True, meeting_date=_iso(met) or ctx.meeting_date,
                          committee=_committee_near(texts, index, committee), minute=None,
                          minute_title=None, section=None, report=None)
        elif (field_match := REPORT_FIELD.match(stripped)) and field_match["field"] in ("By", "Subject"):
            ctx = replace(ctx, in_minutes=False, minute=None, minute_title=None, section=None)
            if field_match["field"] == "Subject":
                subject = field_match["value"].strip()
                following = texts[index + 1].strip() if index + 1 < len(texts) else ""
                if subject.isupper() and following.isupper():
                    subject += " " + following
                ctx = replace(ctx, report=title_case(subject) if subject else ctx.report)
        elif not ctx.in_minutes and ((sec := SECTION.match(text)) or (sec := TOP_SECTION.match(text))
                                     or (sec := BAR_SECTION.match(text))):
            ctx = replace(ctx, section=f"{sec['num']} {' '.join(sec['title'].split()[:8])}")

        if ctx.in_minutes and (opening := NUMBERED_PARAGRAPH.match(text)):
            last_paragraph = int(opening["num"])
        kind_of_line = ChunkKind.NARRATIVE
        if SCORECARD_ROW.match(text) and parse_scorecard_row(text) or MARKDOWN_ROW.match(text):
            kind_of_line = ChunkKind.TABLE
        if ctx.minute != proposals_of:
            proposals, proposals_of = {}, ctx.minute
        if ctx.in_minutes and index > decided_until and (moved := _proposal(texts, index)):
            # (what was moved is the decision only where the decision approves it: a lost amendment asks nothing)
            proposals[moved[0]] = moved[2]
            decided_until = moved[1]
        elif ctx.in_minutes and index > decided_until and (DECISION_TRIGGER.search(text) or DECISION_LABEL.match(text)
                                                           or plain_minutes and PLAIN_DECISION.match(text)):
            span = _decision_span(texts, index, plain=plain_minutes)
            if span:
                start, end, decision_text = span
                if (approved := APPROVES_PROPOSAL.match(decision_text)) and approved["what"].lower() in proposals:
                    # (an amendment accepted as an addendum: "as adjusted by the addendum by Councillor Fairbairn")
                    adjusted = approved["what"].lower() == "motion" and ADJUSTED.search(approved["rest"])
                    added = [proposals[what] for what in ("amendment", "addendum") if adjusted and what in proposals]
                    decision_text = " ".join([decision_text, proposals[approved["what"].lower()], *added])
                decided_until = end
                decisions.append(Decision(
                    document=document, meeting_date=ctx.meeting_date, committee=ctx.committee,
                    minute=ctx.minute, minute_title=ctx.minute_title, item=ctx.item, text=decision_text,
                    page=page_number, page_label=page.label,
                ))
                for earlier in lines[start:]:
                    earlier.kind = ChunkKind.DECISION
        if index <= decided_until:
            kind_of_line = ChunkKind.DECISION
        lines.append(Line(text=text, page=page_number, context=ctx, kind=kind_of_line))

    tables = []
    before: tuple[int, Table] | None = None  # the last table of the page before, as read
    lines_of: dict[int, list[Line]] = {}  # each page's lines, in order, gathered once
    for line in lines:
        lines_of.setdefault(line.page, []).append(line)
    before_ctx: Context | None = None
    for page in pages:
        if not page.tables:
            continue
        on_page = lines_of.get(page.number, [])
        page_ctx = on_page[0].context if on_page else ctx
        for position, table in enumerate(page.tables):
            table_ctx = _context_above(page.text, on_page, table, page_ctx)
            if position == 0 and before and before[0] == page.number - 1 and continues(before[1], table):
                carried = [table.header, *table.rows] if any(table.header) else table.rows
                table = Table(header=before[1].header, rows=carried, caption=table.caption or before[1].caption)
                if before_ctx is not None and before_ctx.table_title and not table_ctx.table_title:
                    table_ctx = replace(table_ctx, table_title=before_ctx.table_title)  # the title of its start
            tables.append((page.number, table_ctx, table.row_lines()))
            before_ctx = table_ctx
        before = page.number, table
    # Votes, records of decision and the parts of each resolution (``ingest.council``).
    decisions = understand(lines, decisions, document, page_labels, info.meeting_date)
    record = next((d for d in decisions if d.kind == DecisionKind.RECORD and d.page == 1), None)
    if info.kind == "report" and record is not None:
        info.kind = "record of decision"  # the paper is the form itself, not a report that appends one
        if record.committee and record.committee != info.committee:  # its maker, not the letterhead's council
            for line in lines:
                if line.context.committee == info.committee:
                    line.context = replace(line.context, committee=record.committee)
            info.committee = record.committee
    return PaperStructure(info=info, lines=lines, decisions=decisions, page_labels=page_labels,
                          tables=tables, items=items)


def _context_above(page_text: str, on_page: list[Line], table: Table, first: Context) -> Context:
    """The context (section, minute) of the text just above the table on its page: a table under "5.2 The DSG is
    allocated through four blocks" is section 5.2's, though its page opens in section 4.6. The table is found in the
    page's whole text by its first row (``_table_start``); the page's own lines, in order, by their first words.
    Where either cannot be found, the context of the page's first line (``first``). The table's numbered title above
    it, where it has one, goes with the context (``table_title_above``)."""
    full = [" ".join(line.split()) for line in page_text.splitlines()]
    start = _table_start(full, table)
    if start is None:
        return first
    title = table_title_above(full, start, table)
    context, cursor = first, 0
    for line in on_page:
        head = " ".join(line.text.split())[:20]
        found = next((n for n in range(cursor, len(full)) if head and full[n].startswith(head)), None)
        if found is None:
            continue
        if found >= start:
            break
        context, cursor = line.context, found + 1
    return replace(context, table_title=title) if title else context


def _table_start(full: list[str], table: Table) -> int | None:
    """The line of the page's text where the table starts: its first row, where a line holds that row's label and
    first figure (a page's tables may share a header: "2020-21 2021-22 ..." over three tables), else the first line
    holding any of its first cells."""
    first_row = [c for c in (table.rows[0] if table.rows else []) if c]
    if len(first_row) >= 2 and len(first_row[0]) >= 3:
        value = first_row[1].splitlines()[0][:20]
        label = first_row[0].splitlines()[0]
        # the label whole, else its first two words: a long label wraps in its cell ("Other Long-term" / "Liabilities")
        for key in dict.fromkeys([label[:20], " ".join(label.split()[:2])]):
            found = next((n for n, line in enumerate(full) if key in line and value in line[line.find(key):]), None)
            if found is not None:
                return found
    cells = [c for row in (table.header, *table.rows[:1]) for c in row if c and len(c) >= 4]
    return next((n for n, line in enumerate(full) if any(c[:20] in line for c in cells[:3])), None)


def table_title_above(full: list[str], start: int, table: Table) -> str | None:
    """The table's numbered title just above it ("Table 7: Prudential Indicator: Authorised limit and operational
    boundary for external" / "debt in £millions"), past its header and caption read as text; None where the lines
    above are the paper's text, not a title."""
    own_words = {w.lower() for cell in (*table.header, table.caption) for w in (cell or "").split()}
    wrapped: list[str] = []  # the title's lines below its first, bottom up
    for n in range(start - 1, max(-1, start - 1 - TITLE_REACH), -1):
        line = full[n]
        if not line:
            continue
        if TABLE_TITLE.match(line):
            return " ".join(" ".join([line, *reversed(wrapped)]).split()[:TITLE_WORDS])
        if all(w.lower() in own_words or FIGURE_CELL.fullmatch(w) or YEAR_CELL.fullmatch(w) for w in line.split()):
            continue  # the table's header or caption, read as the page's text
        wrapped.append(line)
        if len(wrapped) > 2:
            return None
    return None


def continues(before: Table, table: Table) -> bool:
    """A table at the top of a page carries on the last table of the page before: as many columns, and what was
    read as its header is a row of figures ("Independent Schools | £43,734 | £44,799 ...") under a header of
    words. Its rows then keep the header that names their figures, not figures as the names of figures."""
    if len(before.header) != len(table.header) or len(table.header) < 2:
        return False
    if not any(table.header):  # the reader found figures where its header would be (``ingest.pdf_reader``)
        return any(before.header) and not _figure_row(before.header)
    return _figure_row(table.header) and not _figure_row(before.header)


def _figure_row(cells: list[str]) -> bool:
    """Most of the row's filled cells after its label are figures ("£43,734", "7%", "-", "1,623")."""
    values = [c for c in cells[1:] if c]
    return bool(values) and sum(bool(FIGURE_CELL.fullmatch(c)) for c in values) * 2 > len(values)


def _report_periods(pages: list[Page]) -> dict[int, str]:
    return {p.number: m["period"] for p in pages if (m := REPORT_PERIOD.search(p.text))}


def _cover_period(pages: list[Page]) -> str | None:
    as_at = AS_AT_MONTH.search(pages[0].text[:AS_AT_WINDOW]) if pages else None
    return f"{as_at['month'][:3]} {as_at['year']}" if as_at else None


def _page_periods(pages: list[Page], item_for_page) -> dict[int, str]:
    """The reporting month of each page's figures. A scorecard names its month in a footer that
    not every page keeps, so pages of the same agenda item share the month found nearest to them; a
    report whose first page says it is "as at" a month is of that month throughout."""
    found = _report_periods(pages)
    if not found and (whole := _cover_period(pages)):
        return {p.number: whole for p in pages}
    if not found or item_for_page is None:
        return found
    item_of = {p.number: item_for_page(p) for p in pages}
    periods = dict(found)
    for page in pages:
        if page.number in periods or item_of[page.number] is None:
            continue
        same_item = [n for n in found if item_of[n] == item_of[page.number]]
        if same_item:
            nearest = min(same_item, key=lambda n: (abs(n - page.number), n > page.number))
            periods[page.number] = found[nearest]
    return periods


__all__ = ["Context", "Line", "PaperStructure", "analyse"]
