"""Understanding a question before it is searched: its dates, its intent, its acronyms, follow-ups.

Rules any council paper would follow; none is written for one question.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from core.dates import MONTH_NAME as _MONTH_NAME
from core.dates import MONTH_YEAR, MONTHS, find_dates, month_key, month_number
from core.periods import canonical_period, financial_year_start
from retrieval.terms import term_asked

LAST_MONTH = re.compile(r"\blast\s+" + _MONTH_NAME + r"\b", re.I)
BARE_MONTH = re.compile(r"\b(?:in|for|during|of)\s+" + _MONTH_NAME + r"\b(?!\s+\d)", re.I)
# a year the question is of: "in 2019", "during 2019", "summer 2019"
YEAR = re.compile(r"\b(?:in|during|for|of|the|summer|spring|autumn|winter)\s+((?:19|20)\d\d)\b(?![-/]\d)", re.I)
DECISION_WORDS = re.compile(r"\b(resolv\w*|decid\w*|decision\w*|agree\w*|vot\w*|approv\w*|endors\w*|noted|happened to|"
                            # what only a decision gives: "who got delegated authority ...", "did Cabinet sign off ..."
                            # (not "adopted", which is also what happens to children; not "delegated budgets")
                            r"outcome|delegated (?:authority|powers?)|sign(?:ed|s)? (?:it )?off|ratif\w*|reject\w*)\b",
                            re.I)
# What a meeting asked for is in its resolution ("did the panel ask for anything going forward?": "... and that a
# regular update report be made to the Panel"); what one member asked is in the discussion.
BODY_ASKED_FOR = re.compile(r"\b(?:panel|committee|cabinet|council|we|members)\b[^?.]{0,30}?\b(?:ask(?:ed)?|"
                            r"request(?:ed)?)\s+(?:for|that|to|officers|an?\s+update|a\s+report)\b", re.I)
# A question that names a record of decision ("decision 24/00108", "its record of decision", "the PROD") and
# asks for another of the form's fields asks about the record's text, not about what was decided. The
# fields of modern.gov's record-of-decision form, as a question asks for one and as the form labels it
# (``retrieval.answer.votes`` quotes the field from the label on).
DECISION_RECORD = re.compile(r"\b(?:record of decision|decision\s*(?:no\.?\s*)?\(?\d{2,4}/\d{2,6}|PRO[Dd])\b", re.I)
RECORD_FIELDS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(asked, re.I), labels) for asked, labels in (
        (r"\bdata protection\b|\bDPIA\b", (r"data protection implications", r"\bDPIA\b")),
        (r"\balternatives?\b|\boptions?\b|\brejected\b", (r"(?:any\s+)?alternatives?\s+considered",)),
        # ("in consultation with whom?" asks who a delegation names, not the form's consultation field)
        (r"\bconsult\w*\b(?!\s+with\b)|\bcabinet committees?\b", (r"cabinet committee recommendations",
                                                                 r"\bconsultation\s*:")),
        (r"\bimpact ass?ess?\w*|\bEqIA\b|\bequalit", (r"equality (?:implications|impact)",)),
        (r"\binterests? declared|\bdispensation|\bconflicts? of interest",
         (r"(?:any\s+)?interests?\s+declared", r"dispensation")),
        (r"\bcosts?\b|\bfinanc\w*|\bfunding\b", (r"financial implications",)),
        (r"\blegal\b", (r"legal implications",)),
    ))


def asks_record_field(text: str) -> bool:
    """The question names a record of decision and asks for another field of its form."""
    return bool(DECISION_RECORD.search(text)) and any(asked.search(text) for asked, _ in RECORD_FIELDS)


FIGURE_WORDS = re.compile(
    r"(%|\bper ?cent\w*|\bhow many\b|\bnumber of\b|\bno\. of\b|\brate\b|\bfigure\w*|\bproportion\b|\baverage\b|"
    r"\btarget\b|\bperformance\b|\bscore\w*|\bpercentage\b|\bhow much\b)", re.I)
# A question with no question word at all ("care leavers in suitable accommodation, nov 2018?") that names a
# period is an officer's shorthand for the measure's figure in that period.
QUESTION_WORD = re.compile(r"\b(?:what|whats|who|whom|whose|which|when|where|why|how|did|does|do|is|was|were|are|"
                           r"can|could|has|have|had|should|will|would|tell|explain|describe|list)\b", re.I)
PERIOD_NAMED = re.compile(r"\b(?:Q[1-4]|quarter|(?:19|20)\d\d(?:[-/]\d\d)?)\b", re.I)
LATEST_WORDS = re.compile(r"\b(latest|most recent|newest|last meeting|current(?:ly)?)\b", re.I)
FOLLOW_UP_START = re.compile(r"^\s*(and|what about|how about|what of|and what about|same for|also)\b", re.I)
PRONOUN = re.compile(r"\b(it|they|them|that|this|those|these|he|she|her|him|his|their)\b", re.I)
DATE_PHRASE = re.compile(
    r"\b(?:in|for|during|of|on|at)?\s*(?:(?:[0-3]?\d(?:st|nd|rd|th)?\s+)?" + _MONTH_NAME
    + r"\.?,?\s*(?:(?:19|20)\d\d)?|(?:19|20)\d\d)\b", re.I)
ACRONYM_TOKEN = re.compile(r"\b[A-Za-z]{2,6}s?\b")
STOPWORDS = frozenset("""a an the of in on for to and or is are was were be been what which who whom whose how
did do does we our us you your i me my it its this that these those with by at from as about into than
there their they them please tell show give any all much many can could would should will has have had
ever also just so not no if when where why latest most recent month year papers paper panel""".split())
# Everyday words that papers also use as acronyms ("GET": Growth, Environment & Transport): typed in lower case,
# they are the word ("how many responses did the consultation get?").
EVERYDAY_WORDS = frozenset("get got art past pins vs".split())  # ("vs": versus, not the Virtual School)
NOT_ACRONYMS = STOPWORDS | EVERYDAY_WORDS  # in lower case


class AnswerType(StrEnum):
    """What kind of text answers the question: the composer prefers sentences that hold it."""

    PERSON = "person"  # who ...
    DATE = "date"  # when ..., what time, what date
    PLACE = "place"  # where ...
    FREQUENCY = "frequency"  # how often ...
    NUMBER = "number"  # how many, how much, what %
    RATING = "rating"  # what rating / grade / judgement, how was X rated
    DEFINITION = "definition"  # what is X, what does X do, what does X stand for
    LIST = "list"  # what are the duties / principles / priorities ...
    REASON = "reason"  # why ...
    ANY = "any"


# Nouns for people by what they do
PEOPLE_NOUN = (r"(?:manager|officer|director|head|chair(?:man)?|lead|member|councillor|worker|person|advis[eo]r|"
               r"assessor|inspector|teacher|nurse|chief|leader|secretary|apprentice|consultant|auditor)s?")
# "what's the name of the VSK manager who ...?": a person asked for by name, which the role alone does not give
NAME_ASKED = re.compile(r"\bname\s+of\s+(?:the\s+|our\s+|its\s+|their\s+|[\w-]+['’]s\s+)?(?:[\w&-]+\s+){0,5}?"
                        rf"{PEOPLE_NOUN}\b", re.I)

# "Where" asked as a question word, as "when" is: "where is ...", "where do most of them go", "when and where"; not
# "the paper on where children in care are housed"
WHERE_ASKED = re.compile(r"\bwhere\s+(?:is|was|are|were|will|would|did|does|do|can|could|should|has|have|had|must|"
                         r"might)\b|\bwhere['’]s\b|\bwhere\s*(?:[,?]|$|and\b|or\b)|^\W*where\b|"
                         # "which buildings does the service work out of?": a place asked in other words
                         r"\b(?:which|what)\s+(?:buildings?|offices?|venues?|premises)\b|\bwork(?:s|ing)?\s+out\s+of\b",
                         re.I)

ANSWER_TYPE_RULES: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    (AnswerType.FREQUENCY, re.compile(r"\bhow (?:often|frequently|regularly)\b", re.I)),
    # ("how quickly / how long / how soon": a length of time, answered with a number of days or weeks; a "when"
    # clause before it sets the scene and asks for no date: "When a child comes back, how quickly ...?")
    (AnswerType.NUMBER, re.compile(r"\bhow (?:many|much|long|quickly|soon|big|large)\b|%|\bper ?cent|\bpercentage\b|"
                                   r"\bnumber of\b|\brate\b|"
                                   # "roughly what proportion?", "the peak year and latest figure": a share or a
                                   # count asked for by name
                                   r"\b(?:what|which) (?:proportion|share|fraction|level|size)\b|"
                                   r"\b(?:latest|peak|current|total|overall) (?:figure|number|count)s?\b|"
                                   # "what's the forecast overspend for ASCH", "what is the total savings target",
                                   # "what is the pupil premium plus budget allocation", "what are the attendance
                                   # numbers": a sum or a count asked for by what it measures, up to four words of a
                                   # name before it (no "of", no "the": "what is the impact of the budget?" asks for
                                   # no sum)
                                   r"\bwhat(?:['’]?s| was| is| were| are) (?:the |our |its |their )?"
                                   # (an abbreviation in brackets is part of the name: "pupil premium plus (PP+)")
                                   r"(?:(?!(?:of|the|for|to|a|an|in|on|and|with|from)\b)[\w-]+ |\([^()]{1,12}\) ){0,5}?"
                                   r"(?:total|figures?|numbers|amount|value|budget|cost|overspend|underspend|"
                                   r"variance|forecast|deficit|surplus|shortfall|balance|precept|target|outturn|"
                                   r"allocation|allowance|fee|price|salary|payment)s?"
                                   r"(?=\s+(?:for|of|in|at|as|on|to|by|from|this|that|now|and|after|before|"
                                   r"expected|forecast|likely)\b|\s*[?,.;:)]|\s*$)", re.I)),
    # ("what rating did the CQC give ...", "what ofsted grade ...", "how was the service rated?": a rating's words)
    (AnswerType.RATING, re.compile(r"\b(?:what|which)\s+(?:[\w-]+\s+){0,2}?(?:rating|grade|judgement|judgment)s?\b|"
                                   r"\bhow\s+(?:was|were|is|are|did)\b[^?]{0,60}\b(?:rated|graded|judged)\b", re.I)),
    # ("who" asks where it opens the question or a clause of it; "... for children who go missing" is a relative
    # clause of another question)
    (AnswerType.PERSON, re.compile(r"^\W*(?:\w+\W+){0,2}?who(?:m|se)?\b|"
                                   r"(?:\b(?:and|or|but|me|us|know|out|tell|ask|asked|asking|say|says|said|see|check|"
                                   r"to|by|with|from|of|for|about)|[,;:(])\s+who(?:m|se)?\b|"
                                   # ("which assessors carried out ...?", "which two officers ..."; not "which lead
                                   # agency", "which head of service")
                                   r"\bwhich (?:\w+ )?(?:councillors?|members?|officers?|person|people|managers?|"
                                   r"directors?|workers?|advis[eo]rs?|assessors?|inspectors?|teachers?|nurses?)\b|"
                                   + NAME_ASKED.pattern,
                                   re.I)),
    # ("is there a go-live date for ...?", "the deadline for ...": a date asked for without "when")
    # ("when" asks only as a question word: "when is ...", "from when ...", "when and where ..."; "what do they
    # want when they move on" and "what did the panel resolve when it took X" ask for no date)
    (AnswerType.DATE, re.compile(r"\bwhen\s+(?:is|was|will|would|did|does|do|are|were|has|have|had|can|could|should|"
                                 r"must|might|shall)\b|\bwhen['’]s\b|\b(?:from|since|by|until|till)\s+when\b|"
                                 r"\bwhen\s*(?:[,?]|$|and\b|or\b)|\bwhat (?:date|time|day|year|month)\b|"
                                 r"\bwhich (?:date|day|year|month)\b|"
                                 r"\b(?:a|the|any|its|their|our)\s+(?:[\w-]+\s+){0,2}?(?:date|deadline)s?\b"
                                 r"(?<!up to date)", re.I)),
    (AnswerType.PLACE, WHERE_ASKED),
    (AnswerType.REASON, re.compile(r"\bwhy\b", re.I)),
    (AnswerType.LIST, re.compile(r"\bwhat (?:are|were) (?:the |my |our |its |their )?(?:main |key )?"
                                 r"(?:duties|principles|responsibilities|roles|priorities|aims|standards|"
                                 r"recommendations|risks|services|ways|steps|areas|functions)\b|"
                                 r"\b(?:duties|principles|responsibilities)\b", re.I)),
    (AnswerType.DEFINITION, re.compile(r"\bwhat(?:'s| is| are| does| do)\b|\bstand for\b|\bmean(?:s|ing)?\b|"
                                       r"\bjob\b|\bpurpose\b|\bfor\?", re.I)),
)


# A question someone else put, reported in the asker's own ("Trudy Dean asked in March whether KCC would ... monitor how
# much farmland is lost. What answer did she get?"): not what this question asks for.
REPORTED_QUESTION = re.compile(r"\b(?:asked|wondered|queried|enquired|inquired)\s+(?:\w+\s+){0,3}?(?:whether|if)\b"
                               r"[^.?]*\.\s+(?=\S[^.]*\?\s*$)", re.I)


def answer_type(question: str) -> AnswerType:
    """The first rule that matches, in the order above (a "how many" question is a number even when it
    also says "what is"); a question reported before the one asked is left out."""
    question = REPORTED_QUESTION.sub(" ", question)
    for kind, pattern in ANSWER_TYPE_RULES:
        if pattern.search(question):
            return kind
    return AnswerType.ANY


# "who presented the performance scorecard?" names a figure's paper but asks for a person: not a figure.
NOT_A_FIGURE = frozenset({AnswerType.PERSON, AnswerType.DATE, AnswerType.PLACE, AnswerType.REASON, AnswerType.RATING})

# Words council papers use for what people ask about in other words: searched beside the question's own.
RELATED_WORDS = {
    "duty": "responsibility principles", "duties": "responsibilities principles",
    "responsibilities": "duties principles", "role": "responsibilities", "job": "role responsible",
    "elect": "elected appointed", "chair": "chairman", "councillor": "members", "councillors": "members",
    "kids": "children", "cared": "care", "meet": "meeting meetings", "buildings": "bases offices",
    "offices": "bases based",
}
# ... and for what people say in everyday phrases: "who is in charge of the pupil premium plus money?" ("retain
# responsibility for the Pupil Premium+ Grant").
RELATED_PHRASES = ((re.compile(r"\bin\s+charge\s+of\b", re.I), "responsibility responsible"),
                   # "which buildings does the service work out of?" ("with bases at Worrall House, Kings Hill")
                   (re.compile(r"\bwork(?:s|ing)?\s+(?:out\s+of|from)\b|\boperat(?:es?|ing)\s+from\b", re.I),
                    "based bases"))
# What a sentence answering each kind of question tends to say.
TYPE_WORDS = {AnswerType.FREQUENCY: "(times per year annually monthly quarterly)"}


class Intent(StrEnum):
    DECISION = "decision"  # "what did we resolve ...": decisions first
    FIGURE = "figure"  # "what was the % of ...": scorecard rows first
    GENERAL = "general"


# Function words of the languages a council's residents most often write in besides English (Welsh, French,
# Spanish, German, Polish, Portuguese, Romanian). Two or more of them, and more than English ones, mark a
# question that the papers, which are in English, cannot be searched with.
FOREIGN_FUNCTION_WORDS = frozenset("""y yr mae beth yw ar gyfer sut pwy oedd ydy gan gyda hefyd oes fy ein
le la les des du et est que qui pour dans une sont mes quelles quel quels avec sur nous vous pas
el los las es para como por qué cuál cuáles mis con una del
der die das und ist wer wie welche meine mit nicht auf für
jest czy jak kto są moje dla nie oraz
o os um uma são meus minhas com não
și este sunt care pentru cu""".split())
ENGLISH_FUNCTION_WORDS = frozenset("""the a an of in on for to and or is are was were be been what which who how did
do does we our my i you your it its this that with by at from as about has have had not""".split())


def is_english(question: str) -> bool:
    """False only when the question is plainly in another language (see FOREIGN_FUNCTION_WORDS)."""
    words = re.findall(r"[^\W\d_]+", question.lower())
    foreign = sum(w in FOREIGN_FUNCTION_WORDS for w in words)
    english = sum(w in ENGLISH_FUNCTION_WORDS for w in words)
    return not (foreign >= 2 and foreign > english)


@dataclass
class Query:
    original: str
    text: str  # after follow-up rewriting
    expanded: str  # text plus acronym expansions: what is searched
    intent: Intent = Intent.GENERAL
    answer_type: AnswerType = AnswerType.ANY
    month: tuple[int, int] | None = None  # (year, month) the question asks about
    year: int | None = None
    financial_year: str | None = None  # the one financial year the question names, as "2017-18"
    day: int | None = None  # YYYYMMDD of a full date the question names: a meeting's date, most often
    latest: bool = False
    acronyms: dict[str, str] = field(default_factory=dict)
    vector: list[float] | None = None  # the embedding of ``expanded``, set once by the search
    # A question about two periods or two things ("june vs november 2018", "how often ... and who ...")
    # is also searched and answered part by part; each part is a Query of its own.
    parts: list[Query] = field(default_factory=list)
    parts_are_periods: bool = False  # the parts differ only in their period ("June vs November 2018")
    # The committee the question means (``retrieval.committees``), and how much its passages are favoured
    # (``AnswerSettings.committee_boost``: never a filter, so other committees' papers still count).
    committee: str | None = None
    committee_boost: float = 1.0
    # A body the question names that holds no papers in the index ("the Governance and Audit Committee").
    unheld_body: str | None = None
    # A later part's words taken from the first part ("..., and how many in 2019? (care leavers supported)"): what
    # it is about, searched with it, but weighing less than what the part itself asks (``QuestionTerms``).
    carried_topic: str = ""
    # Misspelt words put right before searching (``retrieval.spelling``): (as typed, as searched).
    corrections: list[tuple[str, str]] = field(default_factory=list)
    # The papers the answer is drawn from (set by the composer): a question word's weight is its rarity among
    # them (``HybridSearcher.idf_among``); none: among the whole index.
    answer_papers: tuple[str, ...] = ()
    # A part's own best passages (``retrieval.hybrid.Candidate``s, set by the search): a part the answer to the
    # whole leaves unsaid is answered from them.
    found: list = field(default_factory=list)

    @property
    def defined_terms(self) -> list[str]:
        """The term of "what is X?" (``retrieval.terms``), and its spelling out where it is an acronym ("VSK":
        "Virtual School Kent"); none where the question asks no definition."""
        term = term_asked(self.text) if self.answer_type == AnswerType.DEFINITION else None
        if term is None:
            return []
        return [term, *(full for name, full in self.acronyms.items() if name.lower() == term.lower())]

    @property
    def acronyms_lower(self) -> set[str]:
        return {key.lower() for key in self.acronyms}

    @property
    def written_acronyms(self) -> dict[str, str]:
        """The acronyms the question writes ("CYPE", "cicS"), with their spelling out; not those it spells out
        itself ("children in care" as "CIC"), which the expansion adds."""
        return {name: full for name, full in self.acronyms.items()
                if re.search(rf"\b{re.escape(name)}s?\b", self.text, re.I)}

    @property
    def month_key(self) -> int | None:
        return month_key(self.month) or None

    def terms(self) -> list[str]:
        """Content words of the question (and its expansions), for lexical scoring."""
        words = re.findall(r"[a-z0-9%]+", self.expanded.lower())
        return [w for w in words if w not in STOPWORDS and len(w) > 1]


# "between 01 April 2018 and 31 March 2019", "from April 2024 to March 2025": a span counted over.
_DAY = r"(?:[0-3]?\d(?:st|nd|rd|th)?\s+)?"
_SPAN_END = _MONTH_NAME.replace("month", "end")  # the second month of a span: its own group name
DATE_RANGE = re.compile(rf"\b(?:between|from)\s+{_DAY}{_MONTH_NAME}\.?\s+(?:19|20)\d\d\s+(?:and|to|until|-|–)\s+"
                        rf"{_DAY}{_SPAN_END}\.?\s+(?:19|20)\d\d\b", re.I)
COMPARING = re.compile(r"\b(?:vs\.?|versus|compared?|comparison|chang\w*|differ\w*|rise|rose|fall|fell|"
                       r"went (?:up|down)|increas\w*|decreas\w*|improv\w*|trend|movement|moved)\b", re.I)
MONTH_WORD = re.compile(r"\b" + _MONTH_NAME + r"\b\.?", re.I)
YEAR_WORD = re.compile(r"\b((?:19|20)\d\d)\b(?![-/]\d)")
FINANCIAL_YEAR = re.compile(r"\b(?:19|20)\d\d[-/](?:19|20)?\d\d\b")
# "..., and who ...", "... and how many of them ...": a second question inside the first.
# "Plus" with a capital is a name ("Pupil Premium Plus did ..."), not a join.
# (a preposition or a "roughly" may come first: "... and at what average rate?", "... and by how much has it gone
# up?", "... and about how many staff transfer?")
SECOND_QUESTION = re.compile(r"(?:,\s*|\?\s*|\s+)(?:and|also|(?-i:plus))\s+(?=(?:(?:at|by|from|in|on|to|until|for|"
                             r"about|roughly|approximately|around|exactly)\s+"
                             r"(?=(?:what|when|which|how|whom)\b))?(?:who|what|when|where|which|why|how|"
                             r"is|are|did|does|do)\b)|\?\s+(?=\w)", re.I)
MAX_PARTS = 3
# "2016/17 through 2018/19": a run of financial years, each of them asked (the years between too).
YEAR_RUN = re.compile(r"\b((?:19|20)\d\d[-/](?:19|20)?\d\d)\s*(?:through|thru|to|until|till)\s*"
                      r"((?:19|20)\d\d[-/](?:19|20)?\d\d)\b", re.I)
# "in 2018/19, and what was it the year before?": the year before the one named is asked too.
YEAR_BEFORE = re.compile(r"\b(?:the\s+(?:financial\s+)?year\s+(?:before|prior|earlier)|"
                         r"the\s+(?:previous|prior|preceding)\s+(?:financial\s+)?year|a\s+year\s+(?:earlier|before)|"
                         r"(?:the\s+)?year\s+before\s+that)\b", re.I)
ASKING = frozenset("often frequently many much long".split())  # how the first part asks, not what about
# What a later part may ask for without naming what of ("..., and what's the reason given?"): such a part is about
# the first part's topic, as one with a pronoun is.
ASKED_FOR = frozenset("""reason reasons given cause causes explanation why date dates figure figures number numbers
amount amounts total totals cost costs result results outcome outcomes happened happen decided decision agreed
said say says stated split difference change changed level rate whats hows whos wheres whens""".split())


def without_range(text: str) -> str:
    """The text without a span it counts over ("how many referrals between April 2018 and March 2019"): one
    period, not two months to compare, unless the question compares ("how did it change between ...")."""
    if COMPARING.search(text):
        return text
    return DATE_RANGE.sub(" ", text)


def asked_months(text: str) -> list[tuple[int, int]]:
    """Every month the question names, each with its year: "june to november 2018" gives June and
    November 2018 (a month takes the next year written after it, else the last one before it)."""
    years = [(m.start(), int(m.group(1))) for m in YEAR_WORD.finditer(text)]
    found: list[tuple[int, int]] = []
    for match in MONTH_WORD.finditer(text):
        word = match["month"]
        if word.lower() == "may" and not re.search(r"\bmay\s+(?:19|20)\d\d", text[match.start():], re.I):
            continue  # "may" is a verb far more often than a month
        after = [y for pos, y in years if pos > match.start()]
        before = [y for pos, y in years if pos < match.start()]
        year = after[0] if after else (before[-1] if before else None)
        if year is not None and (year, month_number(word)) not in found:
            found.append((year, month_number(word)))
    return found


def _shifted(span: str, years: int) -> str:
    """A financial year written like ``span`` ("2018/19", "2018-2019"), ``years`` later (earlier if < 0)."""
    first, mark, second = re.fullmatch(r"(\d{4})([-/])(\d+)", span).groups()
    start = int(first) + years
    return f"{start}{mark}{str(start + 1)[-len(second):]}"


def financial_years(text: str) -> list[str]:
    """The financial years a question asks about, in its order: those it names, the years inside a run
    it names ("2016/17 through 2018/19"), and the year before the only one named when it asks for that."""
    spans = list(dict.fromkeys(FINANCIAL_YEAR.findall(text)))
    if (run := YEAR_RUN.search(text)) and len(spans) == 2:
        gap = int(run[2][:4]) - int(run[1][:4])
        if 1 < gap < MAX_PARTS:
            spans = [_shifted(run[1], n) for n in range(gap + 1)]
    elif len(spans) == 1 and YEAR_BEFORE.search(text):
        spans = [_shifted(spans[0], -1), spans[0]]
    return spans


# What joins the years of a question of two ("in 2017/18 and then in 2018/19", "2017/18 vs 2018/19")
YEAR_JOINS = re.compile(r"\b(?:vs\.?|versus|compared (?:with|to)|and|then|to|in|for|during|of|the|also|or)\b", re.I)


def split_parts(text: str) -> list[str]:
    """The periods or sub-questions of a question, each as a question of its own ([] for one part)."""
    return period_parts(text) or compared_parts(text) or _question_parts(text)


# "how many care leavers did the 18+ service support in aug 2018 vs the 2019 annual report?", "... in summer 2018 and
# then by jan 2019?": one measure at two points, each named by its time or by the paper that gives it
_POINT = r"(?:\S+\s+){0,8}?(?:(?:19|20)\d\d|report|review|update|scorecard|minutes|meeting)\b[^,?]{0,40}?"
COMPARED = re.compile(rf"^(?P<base>.{{12,}}?)\s+(?P<first>(?:in|at|by|for|per|during|from|according to)\s+{_POINT})"
                      rf"\s*,?\s*(?:vs\.?|versus|compared (?:with|to)|and then(?: (?:by|in|at))?|then(?: by| in)?)\s+"
                      rf"(?P<second>(?:the\s+figure\s+|the\s+number\s+)?(?:in\s+|at\s+|by\s+|per\s+|for\s+)?"
                      rf"{_POINT})\s*\??\s*$", re.I)


def compared_parts(text: str) -> list[str]:
    """The question once per point of a comparison ("X in aug 2018 vs the 2019 annual report": "X in aug 2018",
    "X in the 2019 annual report"); [] for any other question."""
    found = COMPARED.match(text.strip())
    if found is None:
        return []
    second = re.sub(r"^(?:the\s+figure\s+|the\s+number\s+)", "", found["second"].strip(), flags=re.I)
    if not re.match(r"(?:in|at|by|per|for)\b", second, re.I):
        second = f"in {second}"
    return [f"{found['base']} {found['first'].strip()}", f"{found['base']} {second}"]


def period_parts(text: str) -> list[str]:
    """The question once per month or financial year it asks ("June vs November 2018"), [] when it asks one or
    its years belong to different questions ("the total for 2025-26, and how much is it up on 2024-25?")."""
    months = asked_months(without_range(text))
    if len(months) >= 2:
        base = YEAR_WORD.sub(" ", MONTH_WORD.sub(" ", text))
        base = re.sub(r"\b(?:vs\.?|versus|compared (?:with|to)|between|from|to|and|then|change[ds]?)\b", " ", base,
                      flags=re.I)
        base = " ".join(base.split()).strip(" ?,")
        return [f"{base} in {calendar.month_name[m]} {y}" for y, m in months[:MAX_PARTS]]
    spans = financial_years(text)
    if len(spans) < 2:
        return []
    # The question before its first year and after its last, the words that join the years left out:
    # "granted in 2017/18 and then in 2018/19" -> "granted in 2017/18", "granted in 2018/19".
    named = sorted(m.span() for pattern in (YEAR_RUN, YEAR_BEFORE, FINANCIAL_YEAR) for m in pattern.finditer(text))
    before = text[:named[0][0]].rstrip()
    after = text[max(end for _, end in named):].strip(" ?,.")
    between = " ".join(text[end:start] for (_, end), (start, _) in zip(named, named[1:], strict=False))
    if len(re.findall(r"[A-Za-z]{2,}", before)) >= 3:
        if not YEAR_JOINS.sub(" ", between).strip(" ,;"):
            return [" ".join(f"{before} {span} {after}".split()) for span in spans[:MAX_PARTS]]
        if (SECOND_QUESTION.search(between) and len(FINANCIAL_YEAR.findall(text)) >= 2
                and len(_question_parts(text)) >= 2):
            return []  # a year named in each of two questions: the questions are the parts
    # the years come first ("In 2017/18 and 2018/19, how many ..."): the rest of the question, for each
    base = " ".join(FINANCIAL_YEAR.sub(" ", YEAR_BEFORE.sub(" ", YEAR_RUN.sub(" ", text))).split()).strip(" ?,")
    base = re.sub(r"\s+(?:vs\.?|versus|compared (?:with|to)|and|to)\s*$", "", base, flags=re.I)
    return [f"{base} {span}" for span in spans[:MAX_PARTS]]


# A part with the first part's topic carried after it in brackets (``_question_parts``).
CARRIED = re.compile(r"^.*\S \((?P<topic>[^()]*)\)$")


def _question_parts(text: str) -> list[str]:
    """The sub-questions of "X, and who/what/when ... Y?", a later part that leans on the first given its words."""
    pieces = [p.strip(" ,?") for p in SECOND_QUESTION.split(text)]
    pieces = [p for p in pieces if len(re.findall(r"[A-Za-z]{2,}", p)) >= 3]
    if len(pieces) < 2:
        return []
    # "... and who is on it": a later part that leans on the first gets the first part's content words.
    def topic(part: str) -> str:
        # (the first part's year left out of a part that names its own: "..., and what was it in 2018/19?")
        first = pieces[0]
        if financial_years(part) or YEAR_WORD.search(part):
            first = without_period_words(first)  # (its month too: "... in August 2018, and ... in 2019?")
        # (a part that names only a period, "and how did 2018/19 compare?", asks as the first does: "how long")
        asking = set() if (_names_nothing(part) and without_period_words(part) != part
                           and not PRONOUN.search(part)) else ASKING
        words = re.findall(r"[A-Za-z0-9%]+", first)
        kept = [w for w in words
                if w.lower() not in STOPWORDS - {"panel", "paper", "papers"} and w.lower() not in asking]
        if not asking and len(words) > 1 and words[0].lower() == "how" and words[1].lower() in ASKING:
            kept = ["how", *kept]
        return " ".join(kept)

    return [pieces[0]] + [f"{p} ({topic(p)})" if PRONOUN.search(p) or _names_nothing(p) else p
                          for p in pieces[1:MAX_PARTS]]


def _names_nothing(part: str) -> bool:
    """The part asks for something with at most one word of what it is about ("what's the reason given", "whats
    the legal reason", "and the target?"): a word that qualifies what is asked, not a topic of its own."""
    # (a period is no topic: "and how many in 2018/19?")
    return len([w for w in re.findall(r"[A-Za-z0-9%]{2,}", without_period_words(part))
                if w.lower() not in STOPWORDS and w.lower() not in ASKED_FOR and w.lower() not in ASKING]) <= 1


def without_period_words(text: str) -> str:
    """The text without the years, financial years and months it names."""
    return YEAR_WORD.sub(" ", MONTH_WORD.sub(" ", FINANCIAL_YEAR.sub(" ", text)))


def find_asked_month(text: str, today: date) -> tuple[int, int] | None:
    match = MONTH_YEAR.search(text)
    if match:
        return int(match["year"]), MONTHS[match["month"].lower()]
    last = LAST_MONTH.search(text)
    if last:
        month = month_number(last["month"])
        # (the year the asker adds settles it: "by last January (2019)")
        if written := re.match(r"\W{0,3}((?:19|20)\d\d)\b", text[last.end():]):
            return int(written.group(1)), month
        year = today.year if month < today.month else today.year - 1
        return year, month
    return None


def rewrite_follow_up(question: str, history: list[tuple[str, str]] | list[str] | None) -> str:
    """"and in June 2018?" after "what was X in Nov 2018?" becomes "what was X in June 2018?"."""
    if not history:
        return question
    previous = [turn[0] if isinstance(turn, tuple | list) else turn for turn in history]
    previous = [p for p in previous if p]
    if not previous:
        return question
    last = previous[-1]
    words = [w for w in re.findall(r"[A-Za-z0-9%]+", question) if w.lower() not in STOPWORDS]
    # "and in September?", "who proposed it?": a follow-up leans on the turn before it.
    is_follow_up = bool(FOLLOW_UP_START.match(question)) or len(words) <= 1 or (
        bool(PRONOUN.search(question)) and len(words) <= 4)
    if not is_follow_up:
        return question
    new_dates = [m.group(0).strip() for m in DATE_PHRASE.finditer(question) if m.group(0).strip()]
    if new_dates and DATE_PHRASE.search(last):
        base = DATE_PHRASE.sub(" ", last).strip().rstrip("?")
        rest = FOLLOW_UP_START.sub("", DATE_PHRASE.sub(" ", question)).strip(" ?")
        return " ".join(" ".join(x for x in (base, rest, " ".join(new_dates)) if x).split()) + "?"
    tail = FOLLOW_UP_START.sub("", question).strip()
    return f"{last.rstrip('?')} — {tail}"


# A date written in figures, day first as in Britain: "10/12/24", "1.11.2018".
NUMERIC_DATE = re.compile(r"(?<![\w/.])([0-3]?\d)[/.]([01]?\d)[/.]((?:19|20)?\d\d)(?![\w/.]|\.\d)")


def spelled_dates(text: str) -> str:
    """Each date written in figures spelt out ("on 10/12/24" -> "on 10 December 2024"), so that the question's
    day, month and year are read as any other; a run of figures that is no date is left as it is."""
    def spell(match: re.Match) -> str:
        day, month, year = int(match[1]), int(match[2]), int(match[3])
        year += 2000 if year < 100 else 0
        try:
            return date(year, month, day).strftime("%-d %B %Y")
        except ValueError:
            return match[0]
    return NUMERIC_DATE.sub(spell, text)


# A financial year written short, as officers write it: "24-25", "24/25" (then "2024-25"). Not an age band ("16-17
# year olds", "aged 16-17"), a range of figures ("54-89"), a date or a sum: the second year must follow the first.
SHORT_FINANCIAL_YEAR = re.compile(r"(?<![\w/.£,-])([0-5]\d)([-/])(\d\d)(?![\w/%-]|[.,]\d|\s*(?:-\s*)?"
                                  r"(?:years?|yrs?|y\.?o|months?|weeks?|days?|hours?|mins?|minutes?)\b)", re.I)
# ... nor a run of ages, school years, pages or numbered parts ("aged 16-17", "Years 12-13", "pages 12-13")
RANGE_BEFORE = re.compile(r"\b(?:aged?|ages|between|years?|yrs?|pages?|pp\.?|paras?\.?|paragraphs?|items?|"
                          r"sections?|minutes?|clauses?|rows?|lines?|chapters?|nos?\.?|numbers?)\s*$", re.I)


def spelled_financial_years(text: str) -> str:
    """Each financial year written short spelt out ("the cost per pupil for 24-25" -> "... for 2024-25"), so that
    the question's period is read as any other."""
    def spell(match: re.Match) -> str:
        start = financial_year_start(match[1], match[3])  # None unless the second year follows the first
        if start is None or RANGE_BEFORE.search(text[:match.start()]):
            return match[0]
        return f"{start}{match[2]}{match[3]}"
    return SHORT_FINANCIAL_YEAR.sub(spell, text)


def understand(question: str, glossary: dict[str, str], history=None, today: date | None = None,
               with_parts: bool = True) -> Query:
    """Parse the question: follow-up rewriting, dates, intent, acronym expansion, and its parts."""
    today = today or date.today()
    text = rewrite_follow_up(spelled_financial_years(spelled_dates(" ".join(question.split()))), history)
    if with_parts:
        query = understand(text, glossary, today=today, with_parts=False)
        query.original = question
        query.parts = [understand(part, glossary, today=today, with_parts=False) for part in split_parts(text)]
        first_words = set(re.findall(r"[a-z0-9%]+", query.parts[0].text.lower())) if query.parts else set()
        for part in query.parts[1:]:
            if (carried := CARRIED.match(part.text)) and set(re.findall(r"[a-z0-9%]+", carried["topic"].lower())) \
                    <= first_words:
                part.carried_topic = carried["topic"]
        query.parts_are_periods = bool(period_parts(text))
        if not query.parts_are_periods and compared_parts(text):
            # one measure at two points: the whole question is of neither's month alone; each part of its own
            query.month = query.year = query.day = None
        two_periods = query.parts_are_periods or len(financial_years(text)) >= 2
        if two_periods and query.intent == Intent.GENERAL and query.answer_type not in NOT_A_FIGURE:
            query.intent = Intent.FIGURE  # "care leavers in EET: aug 2018 vs nov 2018?": a measure in two periods
        for part in query.parts:  # a part keeps the whole question's intent ("how did X change" is a figure)
            if part.intent == Intent.GENERAL:
                part.intent = query.intent
        return query
    query = Query(original=question, text=text, expanded=text)
    query.month = find_asked_month(without_range(text), today)
    if query.month is None:
        bare = BARE_MONTH.search(text)
        year_match = YEAR.search(text)
        if bare and year_match:
            query.month = int(year_match.group(1)), month_number(bare["month"])
    if (days := find_dates(text)):
        query.day = days[0].year * 10000 + days[0].month * 100 + days[0].day
    if query.month:
        query.year = query.month[0]
    elif (year_match := YEAR.search(text)):
        query.year = int(year_match.group(1))
    if len(named := financial_years(text)) == 1:
        query.financial_year = canonical_period(named[0])
    query.answer_type = answer_type(text)
    if (DECISION_WORDS.search(text) or BODY_ASKED_FOR.search(text)) and not asks_record_field(text):
        query.intent = Intent.DECISION
    elif FIGURE_WORDS.search(text) and query.answer_type not in NOT_A_FIGURE:
        query.intent = Intent.FIGURE
    elif (not QUESTION_WORD.search(text) and (query.month or PERIOD_NAMED.search(text))
          and query.answer_type not in NOT_A_FIGURE):
        query.intent = Intent.FIGURE
    query.latest = bool(LATEST_WORDS.search(text))
    upper_glossary = {k.upper(): v for k, v in glossary.items()}
    for token in ACRONYM_TOKEN.findall(text):
        key = token.upper()
        if key not in upper_glossary and key.endswith("S"):
            key = key[:-1]
        # Users type acronyms in lower case too ("eet"); a stop word or an everyday word is never one.
        if key in upper_glossary and (token.isupper() or token.lower() not in NOT_ACRONYMS):
            query.acronyms[key] = upper_glossary[key]
    # ... and the other way: "children in care" is also searched as the papers' "CIC".
    lowered = f" {' '.join(re.findall(r'[a-z0-9]+', text.lower()))} "
    for key, full in upper_glossary.items():
        phrase = " ".join(re.findall(r"[a-z0-9]+", full.lower()))
        if key not in query.acronyms and phrase.count(" ") >= 1 and f" {phrase} " in lowered:
            query.acronyms[key] = full
    if query.acronyms:
        query.expanded = text + " " + " ".join(f"({k}: {v})" for k, v in query.acronyms.items())
    related = [f"({word}: {RELATED_WORDS[word.lower()]})" for word in dict.fromkeys(re.findall(r"[A-Za-z]+", text))
               if word.lower() in RELATED_WORDS]
    related += [f"({words})" for pattern, words in RELATED_PHRASES if pattern.search(text)]
    related += [TYPE_WORDS[query.answer_type]] if query.answer_type in TYPE_WORDS else []
    if related:
        query.expanded += " " + " ".join(related)
    return query
