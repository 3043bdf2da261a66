"""What Cabinet and Council papers hold beyond a panel's minutes: recorded votes, the outcome of motions and
amendments, records of decision, and the parts of a long resolution.

Rules every modern.gov council's papers follow, never one file's:

- **Recorded votes.** A minute records "X proposed and Y seconded the following amendment ... “...”", then "the
  Chairman put the amendment set out in paragraph 17 to the vote and the voting was as follows:", then the
  sides, each a count and the members named ("For (14)" / "FOR: Councillors A, B and C (3)" / "For: 14,
  Against: 45"), then the outcome ("Amendment lost.", "The motion was CARRIED"). A vote is a block of at least
  two sides (For and Against) within a few lines of the word "vote" (or "division"). It becomes one
  ``Decision`` of kind "vote": the motion (who proposed and seconded it, the paragraph that sets it out, its
  words as printed), the counts and names on each side, and the outcome.
- **Outcomes without a recorded vote.** "Amendment carried.", "Agreed unanimously.", "... put the amendment
  set out at paragraph 15 to the vote and it was agreed": a "vote" with its outcome, and no counts.
- **Records of decision.** A form headed "RECORD OF DECISION" ("PROPOSED RECORD OF DECISION", "DECISION
  NOTICE") whose fields are "DECISION NO:" / "DECISION TO BE TAKEN BY:" / "Title of Decision" / "Decision:" /
  "Reason(s) for decision:". One ``Decision`` of kind "record of decision" each.
- **Resolutions with parts.** "RESOLVED that ...: (1) ... (5)" keeps every part (``core.parts``), and a minute
  whose title opens with a decision number ("88. 24/00108 - Revenue ...") gives its resolution that number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from core.dates import first_date
from core.parts import MARKER, split_parts
from core.records import ChunkKind, Decision, DecisionKind

if TYPE_CHECKING:  # structure imports this module; the lines it hands over are its ``Line`` records
    from ingest.structure import Line

TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Lady|Lord|Cllr|Councillor|Professor|Prof|Rev)"
NAME = rf"(?:{TITLE}\.?\s+)?(?:[A-Z][\w'’-]*\.?\s+){{0,3}}[A-Z][\w'’-]+"
APPOSITION = r"(?:\s*,[^.;]{0,120}?,)?"  # "Mr Oakford, Deputy Leader and Cabinet Member for Finance, ..., seconded"
PROPOSED_SECONDED = re.compile(
    rf"(?P<proposer>{NAME}){APPOSITION}\s*,?\s+(?:proposed|moved)\s*,?\s+and\s+(?P<seconder>{NAME}){APPOSITION}"
    rf"\s*,?\s+seconded\b"
    rf"|(?:proposed|moved)\s+by\s+(?P<proposer2>{NAME})\s*,?\s+(?:and\s+)?seconded\s+by\s+(?P<seconder2>{NAME})"
    rf"|(?P<proposer3>{NAME})(?:\s*\([^)]{{1,40}}\))?{APPOSITION}\s*,?\s+(?:proposed|moved)\s*,?\s+(?:and\s+)?"
    rf"seconded\s+by\s+(?P<seconder3>{NAME})")
WHAT = r"(?P<what>(?:substantive\s+)?(?:motion|amendment|recommendations?|proposals?|nomination))"
PUT_TO_VOTE = re.compile(WHAT + r"(?:\s+(?:as\s+)?set\s+out\s+(?:in|at)\s+paragraph\s+(?P<para>\d{1,3}))?(?:\s+above)?"
                         r"\s+to\s+(?:the\s+)?(?:a\s+)?(?:recorded\s+)?vote", re.I)
VOTE_WORD = re.compile(r"\bvot(?:e|ed|ing)\b|\bdivision\b", re.I)
SIDE = r"(?P<side>For|Against|In favour|Abstain(?:ed|ing|s)?|Abstentions?)"
# A side's heading: "For (14)", "Against (45)", "FOR: Councillors ...", "Abstentions: 2", "For".
SIDE_HEAD = re.compile(rf"^\s*{SIDE}\s*(?:\((?P<count>\d{{1,3}})\)|[:\-–]\s*(?P<count2>\d{{1,3}})\b|(?P<colon>[:\-–]))?"
                       r"\s*(?P<rest>.*)$", re.I)
TALLY = re.compile(rf"{SIDE}\s*(?:\(|[:\-–]\s*)?(?P<count>\d{{1,3}})\)?", re.I)
TRAILING_COUNT = re.compile(r"\(\s*(\d{1,3})\s*\)\s*\.?\s*$")
OUTCOME_WORD = (r"(?P<outcome>carried|lost|agreed|approved|defeated|fell|rejected|not\s+carried|withdrawn)"
                r"(?P<unanimous>\s+unanimously)?")
OUTCOME_LINE = re.compile(rf"^\s*(?:(?:The\s+)?{WHAT}\s+(?:was\s+|were\s+|is\s+)?(?:therefore\s+)?(?:declared\s+)?)?"
                          rf"{OUTCOME_WORD}\s*\.?\s*$", re.I)
OUTCOME_AFTER_VOTE = re.compile(rf"\bto\s+the\s+vote\s+and\s+(?:it|the\s+\w+)\s+was\s+(?:declared\s+)?{OUTCOME_WORD}\b",
                                re.I)
OUTCOME_OF_MOTION = re.compile(rf"\b{WHAT}\s+(?:was|were)\s+(?:therefore\s+)?(?:declared\s+)?{OUTCOME_WORD}\b", re.I)
MINUTE_PARAGRAPH = re.compile(r"^\s*(?P<num>\d{1,3})[.)]\s+\S")
FOOTER = re.compile(r"^\s*(?:Page\s+)?\d{1,4}\s*$")
HONOURS = re.compile(r",?\s*\b(?:CBE|MBE|OBE|KBE|DBE|JP|DL)\b\.?")
NO_ONE = re.compile(r"^(?:none|nil|no\s+one|-|–)$", re.I)

RECORD_HEADING = re.compile(r"\bRECORD\s+OF\s+(?:[A-Z]+\s+)?DECISION\b|\bDECISION\s+(?:NOTICE|RECORD)\b", re.I)
DECISION_FIELD = re.compile(r"^\s*Decisions?\s*(?:\(s\))?\s*:\s*(?P<rest>.*)$", re.I)
NUMBER_FIELD = re.compile(r"\bDECISION\s+(?:NO|NUMBER|REF(?:ERENCE)?)\b\.?\s*:?", re.I)
MAKER_FIELD = re.compile(r"\b(?:DECISION\s+TO\s+BE\s+TAKEN\s+BY|DECISION\s+TAKEN\s+BY|DECISION[- ]MAKER)\s*:?", re.I)
TITLE_FIELD = re.compile(r"^\s*(?:Subject\s+Matter\s*/\s*)?(?:Title\s+of\s+(?:the\s+)?Decision|Subject(?:\s+Matter)?)"
                         r"\s*:?\s*(?P<rest>.*)$", re.I)
REASONS_FIELD = re.compile(r"^\s*Reasons?\s*(?:\(s\))?\s+for\s+(?:the\s+)?decisions?\s*:?\s*(?P<rest>.*)$", re.I)
DATE_FIELD = re.compile(r"^\s*Date\s+of\s+(?:the\s+)?decision\s*:?\s*(?P<rest>.*)$", re.I)
# The form's other fields: where the decision's words or its reasons end.
FORM_FIELD = re.compile(
    r"^\s*(?=[A-Z.])(?i:For\s+publication|Key\s+decision|Cabinet\s+Committee\s+recommendations|Any\s+alternatives|"
    r"Alternative\s+options|Options\s+considered|Any\s+interest\s+declared|Financial\s+Implications|"
    r"Legal\s+Implications|Equalit(?:y|ies)\s+Implications|Data\s+Protection|Background\b|Consultation\b|"
    r"Reasons?\s*(?:\(s\))?\s+for|Signed\b|\.{10,})")
DECISION_NUMBER = re.compile(r"\b(?:[A-Z]{1,6}[/-])?\d{2,4}[/-]\d{2,6}\b")
# A minute titled by its decision number: "88. 24/00108 - Revenue and Capital Budget Monitoring Report".
TITLE_NUMBER = re.compile(r"^\s*(?P<number>(?:[A-Z]{1,6}[/-])?\d{2,4}/\d{2,6})\s*[-–:]\s*\S")
MADE_ON = re.compile(r"\b(?:decision\s+by|presented\s+to|taken\s+by|considered\s+by|taken\s+at)\s+(?:the\s+)?"
                     r"(?P<maker>[A-Z][\w ,&'’-]{2,80}?)\s+on\s+"
                     r"(?P<date>[0-3]?\d(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4})")
COMMITTEE_MAKER = re.compile(r"(?:Cabinet|Committee|Council|Panel|Board|Executive)$")
REASON_WORDS = 150  # a reasons field runs to its next field, or to about this many words at a sentence end


@dataclass
class Paragraph:
    """One numbered paragraph of a minute ("17) Mr Hood proposed ..."), or a whole minute printed unnumbered."""

    number: str | None
    start: int  # index of its first line
    end: int  # index of its last line

    def text(self, lines: list[Line], upto: int | None = None) -> str:
        return flat(ln.text for ln in lines[self.start : (self.end if upto is None else upto) + 1]
                    if not FOOTER.match(ln.text))


def flat(texts) -> str:
    return " ".join(" ".join(texts).split())


def _minute_key(line: Line) -> tuple:
    c = line.context
    return (c.meeting_date, c.committee, c.minute, c.minute_title, c.in_minutes)


def paragraphs(lines: list[Line]) -> list[Paragraph]:
    """The minutes' paragraphs, each within one minute: a new one at each paragraph number that is not inside
    a quoted motion (a motion quoted “...” keeps its own numbered points)."""
    found: list[Paragraph] = []
    open_quote = False
    for index, line in enumerate(lines):
        new_minute = not found or _minute_key(lines[found[-1].start]) != _minute_key(line)
        numbered = MINUTE_PARAGRAPH.match(line.text)
        if new_minute or (numbered and not open_quote):
            found.append(Paragraph(numbered["num"] if numbered else None, index, index))
            open_quote = False
        else:
            found[-1].end = index
        open_quote = (open_quote or "“" in line.text) and "”" not in line.text.split("“")[-1]
    return found


def outcome_in_text(text: str) -> re.Match | None:
    """"... to the vote and it was agreed", "the motion was carried"."""
    return OUTCOME_AFTER_VOTE.search(text) or OUTCOME_OF_MOTION.search(text)


def _outcome(match: re.Match) -> str:
    word = re.sub(r"\s+", " ", match["outcome"].lower())
    outcome = {"agreed": "carried", "approved": "carried", "defeated": "lost", "fell": "lost", "rejected": "lost",
               "not carried": "lost"}.get(word, word)
    return outcome + (" unanimously" if match["unanimous"] else "")


def _motion_kind(text: str, default: str = "motion") -> str:
    found = re.search(r"\b(?:following|an?|the)\s+" + WHAT, text, re.I)
    return " ".join(found["what"].lower().split()) if found else default


def _motion_words(text: str, proposal: re.Match | None) -> str:
    """The words of the motion as printed: the quotation after the proposal, else its "that ..." clause."""
    after = text[proposal.end():] if proposal else text
    quoted = re.search(r"[“\"](.+?)(?:[”\"]|$)", after)
    if quoted:
        return quoted[1].strip()
    clause = re.search(r"\bthat\s+(.+?[.;])(?:\s|$)", after)
    return clause[1].strip() if clause else ""


def movers(proposal: re.Match) -> tuple[str, str]:
    """(proposer, seconder) of a proposal, whichever way the minutes write it."""
    proposer = proposal["proposer"] or proposal["proposer2"] or proposal["proposer3"]
    seconder = proposal["seconder"] or proposal["seconder2"] or proposal["seconder3"]
    return clean_name(proposer), clean_name(seconder)


def clean_name(name: str) -> str:
    name = HONOURS.sub("", name)
    name = re.sub(r"^(?:and\s+)", "", name.strip(" .;:"))
    return " ".join(name.split())


def names_in(text: str) -> list[str]:
    """The members a side lists: "Mr Baldock, Mr Brady, ..." or "Councillors Adams, Brown and Clark"."""
    text = TRAILING_COUNT.sub("", text).strip(" .:")
    text = re.sub(r"^(?:Councillors|Cllrs\.?)\s+", "", text)
    pieces = re.split(r",|;|\s+and\s+|\s+&\s+", text)
    names = [clean_name(p) for p in pieces]
    return [n for n in names if n and not NO_ONE.match(n)]


def _names_like(text: str) -> bool:
    """A line of a side's list: comma-separated names, each a few capitalised words."""
    text = TRAILING_COUNT.sub("", text).strip()
    if not text:
        return False
    if NO_ONE.match(text.strip(" .")):
        return True
    pieces = [p.strip() for p in re.split(r",|;|\s+and\s+", text) if p.strip()]
    return bool(pieces) and all(len(p.split()) <= 6 and (p[:1].isupper() or p.startswith(("van ", "de "))) and
                                not p.rstrip().endswith((".", ":")) or p in ("Mr", "Mrs", "Ms", "Dr", "Miss")
                                for p in pieces)


@dataclass
class Side:
    side: str  # "for", "against", "abstain"
    count: int | None
    listed: str = ""  # the list as printed, its lines joined (a name may wrap: "Mr" / "Hook")

    @property
    def names(self) -> list[str]:
        return names_in(self.listed) if self.listed else []


def _side_name(word: str) -> str:
    word = word.lower()
    return "for" if word in ("for", "in favour") else "against" if word == "against" else "abstain"


def _vote_block(lines: list[Line], index: int) -> tuple[list[Side], int] | None:
    """The sides of a recorded vote starting at line ``index``, and the index of its last line."""
    head = SIDE_HEAD.match(lines[index].text)
    if not head:
        return None
    tallies = list(TALLY.finditer(lines[index].text))
    if len(tallies) >= 2:  # "For: 30, Against: 20, Abstentions: 2" on one line
        sides = [Side(_side_name(t["side"]), int(t["count"])) for t in tallies]
        return (sides, index) if {s.side for s in sides} >= {"for", "against"} else None
    window = flat(ln.text for ln in lines[max(0, index - 6) : index + 1])
    if not VOTE_WORD.search(window):
        return None
    sides: list[Side] = []
    at = index
    last = index
    while at < len(lines) and at - index < 60:
        text = lines[at].text
        head = SIDE_HEAD.match(text)
        counted = head and (head["count"] or head["count2"] or head["colon"] or not head["rest"].strip())
        if head and counted and (not sides or _side_name(head["side"]) not in {s.side for s in sides}):
            count = head["count"] or head["count2"]
            rest = head["rest"].strip()
            trailing = TRAILING_COUNT.search(rest)
            if count is None and trailing:
                count = trailing[1]
            sides.append(Side(_side_name(head["side"]), int(count) if count else None, rest))
            last = at
        elif FOOTER.match(text) or not text.strip():
            pass  # a page break inside the lists
        elif sides and _names_like(text) and not OUTCOME_LINE.match(text) and not MINUTE_PARAGRAPH.match(text):
            trailing = TRAILING_COUNT.search(text)
            sides[-1].listed = f"{sides[-1].listed} {text.strip()}".strip()
            if trailing and sides[-1].count is None:
                sides[-1].count = int(trailing[1])
            last = at
        else:
            break
        at += 1
    if not {s.side for s in sides} >= {"for", "against"}:
        return None
    for side in sides:
        if side.count is None:
            side.count = len(side.names)
    return sides, last


def _context_fields(line: Line) -> dict:
    c = line.context
    return {"meeting_date": c.meeting_date, "committee": c.committee, "minute": c.minute,
            "minute_title": c.minute_title, "item": c.item}


def votes(lines: list[Line], document: str, page_labels: dict[int, str | None]) -> list[Decision]:
    """Every motion or amendment put to the vote in the minutes, recorded or not."""
    found: list[Decision] = []
    paras = paragraphs(lines)
    para_of = {i: p for p in paras for i in range(p.start, p.end + 1)}
    decided: set[tuple] = set()  # each recorded vote's line; each outcome's motion (minute, paragraph)
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.context.in_minutes:
            index += 1
            continue
        block = _vote_block(lines, index)
        outcome_line = None
        sides: list[Side] = []
        end = index
        if block:
            sides, end = block
            for ahead in range(end + 1, min(len(lines), end + 4)):
                if OUTCOME_LINE.match(lines[ahead].text):
                    outcome_line, end = ahead, ahead
                    break
                if lines[ahead].text.strip() and not FOOTER.match(lines[ahead].text):
                    break
        elif OUTCOME_LINE.match(line.text):
            outcome_line = index
        elif outcome_in_text(line.text) or (index + 1 < len(lines) and outcome_in_text(
                f"{line.text} {lines[index + 1].text}") and not outcome_in_text(lines[index + 1].text)):
            outcome_line = index
        if not block and outcome_line is None:
            index += 1
            continue
        record = _vote_record(lines, paras, para_of, index, end, sides, outcome_line, document, page_labels)
        if record is not None:
            key, decision, used = record
            key = ("vote", index) if sides else key
            if key not in decided:
                decided.add(key)
                found.append(decision)
                for n in range(used, end + 1):
                    lines[n].kind = ChunkKind.DECISION
        index = end + 1
    # A motion or amendment proposed and never put as such (the original motion, amended before the vote):
    # a record of who moved what, without an outcome.
    for paragraph in paras:
        if not lines[paragraph.start].context.in_minutes or (_minute_key(lines[paragraph.start]),
                                                               paragraph.start) in decided:
            continue
        text = paragraph.text(lines)
        proposal = PROPOSED_SECONDED.search(text)
        if proposal is None or any(d.text.startswith(text) or text in d.text for d in found):
            continue
        line = lines[paragraph.start]
        words = _motion_words(text, proposal)
        found.append(Decision(
            document=document, text=text, page=line.page, page_label=page_labels.get(line.page),
            kind=DecisionKind.VOTE.value, motion=_motion_kind(text[proposal.end():]), paragraph=paragraph.number,
            proposer=movers(proposal)[0], seconder=movers(proposal)[1],
            parts=tuple(split_parts(words)[1:]) if words else (), **_context_fields(line)))
    return found


def _vote_record(lines: list[Line], paras: list[Paragraph], para_of: dict[int, Paragraph], index: int, end: int,
                 sides: list[Side], outcome_line: int | None, document: str,
                 page_labels: dict[int, str | None]) -> tuple[tuple, Decision, int] | None:
    """The vote (or outcome) found at lines ``index``-``end`` as a record: (its key, it, its first line)."""
    here = para_of[index]
    said = here.text(lines, end)
    put = PUT_TO_VOTE.search(said)
    outcome_text = flat([lines[outcome_line].text, lines[outcome_line + 1].text if outcome_line + 1 < len(lines)
                         else ""]) if outcome_line is not None else ""
    in_text = (outcome_in_text(outcome_text) or OUTCOME_LINE.match(lines[outcome_line].text)
               if outcome_line is not None else None)
    if put is None and in_text is not None and in_text.groupdict().get("what"):
        put = in_text  # "the motion was carried" names what it was
    # The motion: the paragraph the vote names ("set out in paragraph 17"), else the nearest proposal.
    minute = _minute_key(lines[index])
    same_minute = [p for p in paras if _minute_key(lines[p.start]) == minute and p.start <= here.start]
    source = None
    if put is not None and put.groupdict().get("para"):
        source = next((p for p in reversed(same_minute) if p.number == put["para"]), None)
    if source is None:
        # An outcome alone ("Agreed unanimously.") belongs to the proposal of its own or the paragraph before.
        nearby = same_minute if sides else same_minute[-2:]
        for paragraph in reversed(nearby):
            if PROPOSED_SECONDED.search(paragraph.text(lines)):
                source = paragraph
                break
            if paragraph is not here and (PUT_TO_VOTE.search(paragraph.text(lines)) or
                                          SIDE_HEAD.match(lines[paragraph.start].text)):
                break  # an earlier vote's paragraph: its proposal is not this one's
    if source is None and put is None:
        return None  # an outcome with neither a proposal nor a motion put: not a vote the minutes record
    proposal_text = source.text(lines) if source else ""
    proposal = PROPOSED_SECONDED.search(proposal_text)
    first = source.start if source else here.start
    if source is None or source is here:
        text = here.text(lines, end)
    else:
        text = flat([proposal_text, here.text(lines, end)])
    by_side = {s.side: s for s in sides}
    motion = " ".join(put["what"].lower().split()) if put is not None and put["what"] else \
        _motion_kind(proposal_text[proposal.end():] if proposal else proposal_text)
    paragraph = source.number if source else (put["para"] if put is not None and put.groupdict().get("para") else None)
    outcome = _outcome(in_text) if in_text is not None and in_text["outcome"] else None
    page_line = lines[index] if sides else lines[outcome_line if outcome_line is not None else index]
    decision = Decision(
        document=document, text=text, page=page_line.page, page_label=page_labels.get(page_line.page),
        kind=DecisionKind.VOTE.value, motion=motion, paragraph=paragraph,
        proposer=movers(proposal)[0] if proposal else None,
        seconder=movers(proposal)[1] if proposal else None,
        outcome=outcome,
        count_for=by_side["for"].count if "for" in by_side else None,
        count_against=by_side["against"].count if "against" in by_side else None,
        count_abstain=by_side["abstain"].count if "abstain" in by_side else None,
        votes_for=tuple(by_side["for"].names) if "for" in by_side else (),
        votes_against=tuple(by_side["against"].names) if "against" in by_side else (),
        votes_abstain=tuple(by_side["abstain"].names) if "abstain" in by_side else (),
        **_context_fields(page_line))
    words = _motion_words(proposal_text, proposal) if proposal else ""
    if words:
        decision.parts = tuple(split_parts(words)[1:])
    return (minute, first if source else index), decision, first


# -- records of decision ------------------------------------------------------------------------------
def _field_value(lines: list[Line], start: int, first: str, stop) -> tuple[str, int]:
    """A form field's words: ``first`` (the rest of its label's line) and the lines after, up to a line that
    ``stop`` accepts; (the words, the index of the last line taken)."""
    taken = [first] if first.strip() else []
    at = start
    while at + 1 < len(lines) and not stop(lines[at + 1].text):
        at += 1
        if not FOOTER.match(lines[at].text):
            taken.append(lines[at].text)
    return flat(taken), at


def records_of_decision(lines: list[Line], document: str, page_labels: dict[int, str | None],
                        paper_date: str | None) -> list[Decision]:
    """Each record-of-decision form in the paper: number, maker, title, the decision, its reasons and date."""
    found: list[Decision] = []
    heads = [i for i, ln in enumerate(lines) if RECORD_HEADING.search(ln.text) and len(ln.text.split()) <= 12
             and not ln.text.strip().endswith(".")]
    for n, head in enumerate(heads):
        stop_at = heads[n + 1] if n + 1 < len(heads) else len(lines)
        form = lines[head:stop_at]
        decision_at = next((i for i, ln in enumerate(form[:40]) if DECISION_FIELD.match(ln.text)), None)
        if decision_at is None:
            continue
        number = maker = title = reasons = None
        for i, line in enumerate(form[:decision_at]):
            text = line.text
            if NUMBER_FIELD.search(text) or MAKER_FIELD.search(text):
                window = flat([NUMBER_FIELD.sub(" ", MAKER_FIELD.sub(" ", text))]
                              + [ln.text for ln in form[i + 1 : i + 4]])
                found_number = DECISION_NUMBER.search(window)
                number = number or (found_number[0] if found_number else None)
            if MAKER_FIELD.search(text) and maker is None:
                maker = _maker(form, i)
            title_match = TITLE_FIELD.match(text)
            if title_match and title is None:
                title, _ = _field_value(form[: decision_at + 1], i, title_match["rest"],
                                        lambda t: bool(DECISION_FIELD.match(t) or FORM_FIELD.match(t)))
        first = DECISION_FIELD.match(form[decision_at].text)["rest"]
        words, last = _field_value(form, decision_at, first, lambda t: bool(FORM_FIELD.match(t)))
        for i in range(last + 1, len(form)):
            reason = REASONS_FIELD.match(form[i].text)
            if reason:
                reasons = _reasons(form, i, reason["rest"])
                break
        whole = flat(ln.text for ln in form)
        date_field = next((DATE_FIELD.match(ln.text) for ln in form if DATE_FIELD.match(ln.text)), None)
        when = first_date(date_field["rest"]) if date_field else None
        if when is None:
            made = MADE_ON.search(whole)
            when = first_date(made["date"]) if made else None
        line = form[decision_at]
        fields = _context_fields(line)
        body = maker if maker and COMMITTEE_MAKER.search(maker) else None  # "Cabinet", not "Cabinet Member for"
        fields.update(minute=None, minute_title=title or fields["minute_title"],
                      meeting_date=when.isoformat() if when else (fields["meeting_date"] or paper_date),
                      committee=body or fields["committee"])
        decision = Decision(document=document, text=words, page=line.page, page_label=page_labels.get(line.page),
                            kind=DecisionKind.RECORD.value, number=number, maker=maker, reasons=reasons,
                            parts=tuple(split_parts(words)[1:]), **fields)
        found.append(decision)
        for i in range(decision_at, last + 1):
            form[i].kind = ChunkKind.DECISION
    return found


def _maker(form: list[Line], at: int) -> str | None:
    """The decision maker under "DECISION TO BE TAKEN BY:": the words of the next lines (or the rest of the
    label's line) that are neither the number nor another field."""
    candidates = [MAKER_FIELD.split(form[at].text, maxsplit=1)[-1]] + [ln.text for ln in form[at + 1 : at + 4]]
    words = []
    for text in candidates:
        text = NUMBER_FIELD.split(text)[0] if NUMBER_FIELD.search(text) and not text.strip().startswith(
            tuple("0123456789")) else text
        text = DECISION_NUMBER.sub(" ", text)
        text = " ".join(text.split()).strip(" :")
        if not text:
            continue
        if FORM_FIELD.match(text) or TITLE_FIELD.match(text) or DECISION_FIELD.match(text) or "[" in text:
            break
        words.append(text)
        if len(words) >= 2:
            break
    return " ".join(words) or None


def _reasons(form: list[Line], at: int, first: str) -> str | None:
    taken = [first] if first.strip() else []
    for line in form[at + 1 :]:
        text = line.text.strip()
        if FOOTER.match(text):
            continue
        if FORM_FIELD.match(text) and (taken or not re.match(r"^\s*Background\b", text)):
            break
        taken.append(text)
        if len(flat(taken).split()) >= REASON_WORDS and text.endswith("."):
            break
    return flat(taken) or None


# -- the paper itself -------------------------------------------------------------------------------------
APPENDIX_HEAD = re.compile(r"^\s*(?:\S+\s+)?(?:APPENDIX|Appendix|ANNEX|Annex)\s+(?P<label>[A-Z]{1,2}|\d{1,2})\b\s*"
                           r"(?:[:\-–]\s*(?P<title>\S.*))?$")


def paper_identity(opening: list[str], kind: str, front_sheet: bool) -> tuple[str, str | None, str | None]:
    """(kind, decision number, appendix) of a paper from its opening lines: the number its own "Decision No:"
    field gives; "Appendix A" when an appendix heading opens it (a guessed "report" is then an "appendix");
    an agenda that is only a front sheet (its items' papers published apart) an "agenda front sheet"."""
    number = None
    for i, text in enumerate(opening):
        if NUMBER_FIELD.search(text):
            found = DECISION_NUMBER.search(flat([NUMBER_FIELD.split(text, maxsplit=1)[-1], *opening[i + 1 : i + 4]]))
            if found:
                number = found[0]
                break
    heading = next((APPENDIX_HEAD.match(t) for t in [t for t in opening if t.strip()][:3] if APPENDIX_HEAD.match(t)),
                   None)
    appendix = f"Appendix {heading['label']}" if heading else None
    if kind == "report" and appendix:
        kind = "appendix"
    elif kind == "agenda pack" and front_sheet:
        kind = "agenda front sheet"
    return kind, number, appendix


# -- resolutions ----------------------------------------------------------------------------------------
def continues_parts(so_far: str, line: str) -> bool:
    """Whether ``line`` opens the next part of the decision ``so_far`` ("1. Agree ..." after "RESOLVED that
    Cabinet:", "(vii) ..." after "(vi) ...")."""
    text = line.strip()
    mark = MARKER.match(text)
    if not mark:
        return False
    if so_far.rstrip().endswith(":"):
        return (mark["a"] or mark["b"]) in ("1", "a", "A", "i")
    parts = split_parts(f"{so_far} {text}")
    return bool(parts) and parts[-1] == text


def with_parts(decision: Decision, title_number: bool = True) -> Decision:
    """A resolution with its parts, and the decision number its minute's title opens with."""
    parts = tuple(split_parts(decision.text)[1:])
    number = decision.number
    if title_number and number is None and decision.minute_title:
        titled = TITLE_NUMBER.match(decision.minute_title)
        number = titled["number"] if titled else None
    maker = decision.maker or (decision.committee if number else None)
    return replace(decision, parts=parts or decision.parts, number=number, maker=maker)


def understand(lines: list[Line], decisions: list[Decision], document: str, page_labels: dict[int, str | None],
               paper_date: str | None) -> list[Decision]:
    """The paper's decisions with their parts, plus its votes and records of decision, in the paper's order."""
    resolutions = [with_parts(d) for d in decisions]
    found = votes(lines, document, page_labels) + records_of_decision(lines, document, page_labels, paper_date)
    # Resolutions keep their place first (readers that take one decision per minute take the RESOLVED).
    return resolutions + sorted(found, key=lambda d: d.page)


__all__ = ["continues_parts", "names_in", "paper_identity", "records_of_decision", "understand", "votes",
           "with_parts"]
