"""Does a sentence hold the kind of thing a question asks for? ``query.AnswerType`` names the kinds; each
has a pattern a council paper's sentence would show when it answers: a titled name for "who", a date for
"when", a number for "how many". A match is a bonus in the sentence's score, never a filter."""

from __future__ import annotations

import re

from core.dates import MONTH_NAME
from retrieval.query import AnswerType
from retrieval.terms import PLACE

TITLE_NAME = r"\b(?:Mr|Mrs|Ms|Miss|Dr|Cllr|Councillor|Professor|Sir|Dame)\.?\s+(?:[A-Z]\.?\s*)*[A-Z][a-z'-]+"
# (the first word no article's or preposition's, the second no place's or body's: "The Kent and Medway ...", "County
# Hall, Maidstone" and "Democratic Services," name no one)
FULL_NAME = (r"\b(?!(?:The|This|That|These|Those|Our|Its|Their|In|On|At|For|From|By|As|An|If|When|Where)\b)"
             r"[A-Z][a-z]+ (?:[A-Z]\. )?(?!(?:Hall|House|Centre|Councils?|Road|Street|Services?|Committees?|Panels?|"
             r"Boards?|Teams?|Programmes?|Plans?|Strateg(?:y|ies)|Reports?|Offices?|Groups?|Chamber|Room|Suite|"
             r"Building|Way|Lane|"
             r"Officers?|Managers?|Directors?|Advis[eo]rs?|Workers?|Assistants?|Members?|Carers?|Teachers?|Nurses?|"
             r"Doctors?|Chair(?:s|man|men)?|Heads?|Makers?|Units?|Schools?|Schemes?|Projects?|Agenc(?:y|ies)|Networks?|"
             r"Forums?|Partnerships?|Associations?|Authorit(?:y|ies)|Trusts?|Days?|"
             r"Consultants?|Apprentices?|Auditors?|Inspectors?)\b)"
             r"[A-Z][a-z'-]{2,}\b"
             r"(?= (?:be|was|were|had|has|is|and|\(|[-–—] )|\s?,)")
ROLE = (r"\b(?:Chair(?:man)?|Vice-Chair(?:man)?|Cabinet Member|Director|Head of|Head\s?[Tt]eacher|Headteacher|Leader|"
        r"Officer|Manager|Lead|Commissioner)\b")
# "Who advises ...?" is answered by a firm or a body as often as by a person ("... advice from Link Group").
ORGANISATION = (r"\b(?:[A-Z][\w&'’-]*\s+){1,4}(?:Group|Ltd|Limited|LLP|plc|PLC|Partners|Partnership|Associates|"
                r"Consulting|Consultants|Trust)\b")
PATTERNS: dict[AnswerType, re.Pattern[str]] = {
    AnswerType.PERSON: re.compile(f"{TITLE_NAME}|{FULL_NAME}|{ROLE}|{ORGANISATION}"),
    AnswerType.DATE: re.compile(r"\b(?:[0-3]?\d(?:st|nd|rd|th)?\s+)?" + MONTH_NAME + r"\b|\b(?:19|20)\d\d\b|"
                                r"\b\d{1,2}(?:[.:]\d\d)?\s*(?:am|pm)\b", re.I),
    AnswerType.PLACE: PLACE,
    AnswerType.FREQUENCY: re.compile(r"\b(?:\d+|one|two|three|four|five|six|twice|once)\s+times?\b|\b(?:weekly|"
                                     r"monthly|quarterly|annually|yearly|fortnightly|each (?:year|month|week|quarter)|"
                                     r"every \w+|per (?:year|annum|month))\b", re.I),
    AnswerType.NUMBER: re.compile(r"(?<![\w.])£?\d[\d,.]*%?"),
    AnswerType.DEFINITION: re.compile(r"\b(?:is|are) (?:a|an|the)\b|\bstands? for\b|\bmeans?\b|\brefers? to\b|"
                                      r"\b(?:is|are) responsible for\b|"
                                      r"\b(?:provides?|supports?|works? with|aims? to|acts? as)\b", re.I),
    # an inspectorate's grade, a RAG rating, a credit rating (the grades capitalised, as papers print them)
    AnswerType.RATING: re.compile(r"\b(?:Outstanding|Good|Requires [Ii]mprovement|Inadequate|Satisfactory)\b|"
                                  r"\b(?:rated|judged|graded|rating|grade|judgement)\s+(?:of\s+|as\s+)?['‘\"“]?(?i:"
                                  r"outstanding|good|requires improvement|inadequate|satisfactory|red|amber|green)\b|"
                                  r"\bRAG\b|\b(?:Red|Amber|Green)\b|\b(?:AAA|AA[+-]?|A[+-]|BBB[+-]?)(?![\w+-])"),
    AnswerType.LIST: re.compile(r":\s*$|:\s+(?:[-•▪●]|\(?[a-z0-9]{1,2}[).])\s"),
    AnswerType.REASON: re.compile(r"\b(?:because|due to|as a result|in order to|so that|owing to|reason)\b", re.I),
}


# "who acts as ...?", "who runs ...?": the question's verb, when it is no auxiliary ("who is", "who was asked").
DOER_ASKED = re.compile(r"\bwho\s+(?!(?:is|are|was|were|will|would|did|does|do|has|have|had|can|could|should|"
                        r"may|might|must|shall)\b)([a-z]{3,})\b", re.I)

# "Why did Trudy Dean leave ...?", "why did Ms Constantine abstain ...?": a person's own reason
# (a title and a name, or a first name and a surname: not "why did Kent fail ...?")
PERSONS_REASON_ASKED = re.compile(r"\bwhy\s+(?:did|was|were|is|has|had)\s+"
                                  r"(?P<who>(?-i:(?:Mr|Mrs|Ms|Miss|Dr|Cllr|Councillor)\.?\s+"
                                  r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?|[A-Z][a-z]+\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?)"
                                  # (typed in lower case: "why did mrs bell give apologies?")
                                  r"|(?-i:(?:mr|mrs|ms|miss|dr|cllr|councillor)\.?\s+[a-z]{2,}(?:-[a-z]+)?))"
                                  r"\s+(?-i:[a-z])", re.I)

# "who has to approve it ...?", "who needs to sign off ...?", "who must agree ...?": the one whose approval is needed
APPROVAL_VERB = r"(?:approv|agree|sign|authori[sz]|ratif|decid|endors)\w*"
APPROVER_ASKED = re.compile(r"\bwho\s+(?:has|have|had|needs?|must|would|will|is|are)\s+(?:to\s+|got\s+to\s+)?"
                            r"(?:be\s+)?" + APPROVAL_VERB, re.I)
APPROVED = APPROVAL_VERB + r"(?:\s+off)?"

# "who has the council given / awarded the contract to?", "who was the contract let to?": the one receiving it
RECIPIENT_ASKED = re.compile(r"\bwho\b[^?]*\b(?:give|given|gave|award|awarded|grant|granted|let)\b[^?]*\bto\b"
                             r"\s*(?:,|\?|$|and\b)", re.I)
# "who is the broker ...?", "who are KCC's auditors?": the role asked, after its article or owner.
ROLE_ASKED = re.compile(r"\bwho\s+(?:is|are|was|were)\s+(?:the\s+|its\s+|their\s+|our\s+|[A-Za-z]+['’]s\s+)?"
                        r"(?!(?:the|a|an|in|on|at|for|of|to|responsible)\b)([a-z]{4,})", re.I)


def names_doer(question: str, text: str) -> bool:
    """Whether the text names, by a capitalised subject, whoever does what a "who VERB ...?" question asks, or is the
    role a "who is the ROLE?" asks: "who acts as the broker?" and "who is the broker?" are answered by "King and
    Shaxson acts as the Council's broker ...", "who advises ...?" by "Arlingclose advises ...", names no title or
    pattern of a person's or a firm's name shows."""
    subject = r"(?<![\w.])[A-Z][\w&'’-]*(?:\s+(?:and|&|of)\s+[A-Z][\w&'’-]*|\s+[A-Z][\w&'’-]*){0,3}"
    if RECIPIENT_ASKED.search(question):
        # "who has KCC given the recycling contract to?": "... a new two-year contract with SAIT Recycling"
        return re.search(rf"\b(?:contract\w*|agreements?|awarded|given|granted|let)\b[^.;]{{0,60}}?\b(?:with|to)\s+"
                         rf"{subject}", text) is not None
    if (asked := DOER_ASKED.search(question)) is not None:
        return re.search(rf"{subject}\s+{re.escape(asked.group(1).lower())}\b", text) is not None
    if APPROVER_ASKED.search(question) is not None:
        # "who has to approve it?": "... will need to be approved by Cabinet", a body as much as a person; and
        # "who has to sign it off?" by it as well (one act in other words)
        return re.search(rf"\b{APPROVED}\s+by\s+(?:the\s+)?{subject}", text, re.I) is not None
    # "who is the broker?": "King and Shaxson acts as the Council's broker and custodian ..."
    if (role := ROLE_ASKED.search(question)) is not None:
        return re.search(rf"{subject}\s+(?:is|are|was|were|acts?\s+as|serves?\s+as)\s+(?:[\w'’]+\s+){{0,4}}?"
                         rf"{re.escape(role.group(1).lower())}", text) is not None
    return False


# A year ("in 2015", "2017-18", "25-26"), a run of ages ("18-25") or a day ("31st March", "20/07/2018") dates a
# sentence or names whom it is about; it is no figure of it. (A sum is no year: "£2000 setting up home grant".)
YEAR_OR_DAY = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.](?:19|20)?\d\d\b|"
                         r"(?<![£$€\d.,])\b(?:19|20)\d\d(?:\s*[-/–]\s*(?:19|20)?\d\d)?\b|\b\d\d[-/–]\d\d\b(?![-/–.]\d)|"
                         r"\b[0-3]?\d(?:st|nd|rd|th)?(?=\s+" + MONTH_NAME + r"\b)", re.I)
# A thing's place in a list or a series is no count of anything: "Recommendation 13:", "Appendix 2", "joint 5th"; nor
# is an age ("the 18+ service", "16+ accommodation", "over 18year olds", "aged 16", "the age of 21") or a quarter.
LABEL_NUMBER = re.compile(r"\b(?:Recommendations?|Items?|Appendix|Annex|Sections?|Paragraphs?|paras?|Pages?|Minutes?|"
                          r"Tables?|Figures?|Charts?|Stages?|Tiers?|Levels?|Phases?|Priorit(?:y|ies)|Objectives?|"
                          r"Outcomes?|Parts?|Chapters?|Steps?|Options?|Quarters?)\s+\d+(?:\.\d+)*[a-z]?\b|"
                          # a quarter of the year ("Q3", "Quarter 2 Performance Report") and an age ("up to the age of
                          # 21", "until age 25") say when or whom, not how many
                          r"\bQ[1-4]\b|\bage\s+(?:of\s+)?\d{1,2}\b(?!\s*%)|"
                          # a footnote's mark after a word's full stop and the note's own number ("... second only to
                          # Birmingham.2 2 Department for Education (2017)")
                          r"(?<=[a-z][.,])\d{1,2}\b(?:\s+\d{1,2}\s+(?=(?-i:[A-Z])))?|"
                          r"\b\d+(?:st|nd|rd|th)\b|(?<![\d.,])\b\d{1,2}\+(?![\d\w])|"
                          r"\b\d{1,2}\s*-?\s*years?[-\s]?olds?\b|\baged\s+\d{1,2}\b(?!\s*(?:-|to)\s*\d)|"
                          # a list's item number run into the text after a full stop ("... staff. 3 Responses to ...":
                          # the sentence splitter keeps a sentence that opens with its count apart)
                          r"(?<=[.:;] )\d{1,2}\s+(?=(?-i:[A-Z][a-z]))|"
                          # a page's foot run into the text ("... reducing risk of Page 44 P a g e | 5 exclusion")
                          r"\bP a g e\s*\|?\s*\d+\b", re.I)
# A paragraph's number before its first word ("2.4 The level of the general reserve ...") is no figure of it.
SECTION_NUMBER = re.compile(r"^\s*\(?\d{1,2}(?:\.\d{1,2}){0,2}\)?\s+(?=[A-Z])")
# What an answer line from minutes opens with (``compose.minute_prefix``): "*(Cabinet, 9 January 2025, minute 81)*";
# the minute's number and the meeting's day are no figure of the sentence.
MINUTE_PREFIX = re.compile(r"\*\([^)]*\bminute\b[^)]*\)\*")
# A decision line's heading ("**Cabinet, 30 January 2025, minute 92 (24/00096 - ... 2025-29):**"): its date, minute
# and paper numbers are no figure or date of what the line says either.
DECISION_HEADING = re.compile(r"^\W*\*\*[^*]+\*\*\s*")


def without_headings(line: str) -> str:
    """An answer line without its minute's heading or its decision's: the meeting's own day, minute and paper numbers
    say nothing of what the line says."""
    return MINUTE_PREFIX.sub(" ", DECISION_HEADING.sub(" ", line))
PERCENTAGE = re.compile(r"\d[\d,.]*\s*(?:%|per ?cent\b)", re.I)
# A count in words, of things named in the plural within two words or of a group ("Eight KPIs did not meet the
# floor standard", "twenty young people", "Eleven of the twenty"); "one" is left out, as in "one of the reports".
SPELLED_COUNT = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
                           r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
                           r"eighty|ninety|hundred)\s+(?:(?:[a-z-]+\s+){0,2}(?:[A-Za-z]+s|people|children|men|women)"
                           r"|of\s+(?:the|these|those|them))\b", re.I)


def has_answer_type(text: str, kind: AnswerType, count: bool = False) -> float:
    """1.0 when the text shows the kind of answer asked for, else 0.0 (always 0.0 for ``ANY``). A number is a
    figure, not a year or a day ("The influx of UASC in 2015 ..." states no number); for a count ("how many"),
    not a percentage either."""
    if kind == AnswerType.NUMBER:
        text = LABEL_NUMBER.sub(" ", YEAR_OR_DAY.sub(" ", SECTION_NUMBER.sub(" ", text)))
        return 1.0 if (PATTERNS[kind].search(PERCENTAGE.sub(" ", text) if count else text)
                       or SPELLED_COUNT.search(text)) else 0.0
    pattern = PATTERNS.get(kind)
    return 1.0 if pattern is not None and pattern.search(text) else 0.0


