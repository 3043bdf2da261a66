"""Understanding a question before it is searched: its dates, its intent, its acronyms, follow-ups.

Rules any council paper would follow; none is written for one question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from core.dates import MONTH_NAME as _MONTH_NAME
from core.dates import MONTH_YEAR, MONTHS, month_key, month_number

LAST_MONTH = re.compile(r"\blast\s+" + _MONTH_NAME + r"\b", re.I)
BARE_MONTH = re.compile(r"\b(?:in|for|during|of)\s+" + _MONTH_NAME + r"\b(?!\s+\d)", re.I)
YEAR = re.compile(r"\b(?:in|during|for|of)\s+((?:19|20)\d\d)\b(?![-/]\d)")
DECISION_WORDS = re.compile(r"\b(resolv\w*|decid\w*|decision\w*|agree\w*|vot\w*|approv\w*|endors\w*|noted)\b", re.I)
FIGURE_WORDS = re.compile(
    r"(%|\bper ?cent\w*|\bhow many\b|\bnumber of\b|\bno\. of\b|\brate\b|\bfigure\w*|\bproportion\b|\baverage\b|"
    r"\btarget\b|\bperformance\b|\bscore\w*|\bpercentage\b|\bhow much\b)", re.I)
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
    month: tuple[int, int] | None = None  # (year, month) the question asks about
    year: int | None = None
    latest: bool = False
    acronyms: dict[str, str] = field(default_factory=dict)
    vector: list[float] | None = None  # the embedding of ``expanded``, set once by the search

    @property
    def month_key(self) -> int | None:
        return month_key(self.month) or None

    def terms(self) -> list[str]:
        """Content words of the question (and its expansions), for lexical scoring."""
        words = re.findall(r"[a-z0-9%]+", self.expanded.lower())
        return [w for w in words if w not in STOPWORDS and len(w) > 1]


def find_asked_month(text: str, today: date) -> tuple[int, int] | None:
    match = MONTH_YEAR.search(text)
    if match:
        return int(match["year"]), MONTHS[match["month"].lower()]
    last = LAST_MONTH.search(text)
    if last:
        month = month_number(last["month"])
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


def understand(question: str, glossary: dict[str, str], history=None, today: date | None = None) -> Query:
    """Parse the question: follow-up rewriting, dates, intent, acronym expansion."""
    today = today or date.today()
    text = rewrite_follow_up(" ".join(question.split()), history)
    query = Query(original=question, text=text, expanded=text)
    query.month = find_asked_month(text, today)
    if query.month is None:
        bare = BARE_MONTH.search(text)
        year_match = YEAR.search(text)
        if bare and year_match:
            query.month = int(year_match.group(1)), month_number(bare["month"])
    if query.month:
        query.year = query.month[0]
    elif (year_match := YEAR.search(text)):
        query.year = int(year_match.group(1))
    if DECISION_WORDS.search(text):
        query.intent = Intent.DECISION
    elif FIGURE_WORDS.search(text):
        query.intent = Intent.FIGURE
    query.latest = bool(LATEST_WORDS.search(text))
    upper_glossary = {k.upper(): v for k, v in glossary.items()}
    for token in ACRONYM_TOKEN.findall(text):
        key = token.upper()
        if key not in upper_glossary and key.endswith("S"):
            key = key[:-1]
        # Users type acronyms in lower case too ("eet"); a stop word is never one.
        if key in upper_glossary and (token.isupper() or token.lower() not in STOPWORDS):
            query.acronyms[key] = upper_glossary[key]
    if query.acronyms:
        query.expanded = text + " " + " ".join(f"({k}: {v})" for k, v in query.acronyms.items())
    return query
