"""Words: a text's search tokens (``tokenize``: BM25's, and every comparison of words), and how much of a
question a text holds (``QuestionTerms.coverage``: the question's content words weighed by rarity, each held
by the text's own word or a word of the same stem, an acronym by its spelling out). The search's ranker and
the composer's choice of sentence both read it."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from core.dates import DATE_WORD
from retrieval.query import STOPWORDS, Query

TOKEN = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*%?")

# Scorecards abbreviate what people write in full.
SYNONYMS = {"ave": "average", "avg": "average", "nos": "number", "percentage": "percent", "caseloads": "caseload",
            # (people ask of "young men", papers count "males")
            "men": "male", "women": "female", "boys": "male", "girls": "female"}

# The asker's framing, never what a paper's sentence answers with ("can someone explain in plain terms what challenge
# cards are and why they matter?"): rare in the papers, these words would weigh heavily in a question's coverage.
CHAT_WORDS = frozenset("someone somebody anyone explain plain simply basically wondering curious matter "
                       "roughly".split())

SPELLINGS = {"adviser": "advisor", "judgement": "judgment", "enrol": "enroll", "enrolment": "enrollment"}
AMERICAN_Z = re.compile(r"(?<=[a-z]{3})iz(e|ed|er|ing|ation)$")  # "prioritize", "organization": "-is-"


def tokenize(text: str) -> list[str]:
    return list(_tokens(text))


@functools.lru_cache(maxsize=1 << 14)
def _tokens(text: str) -> tuple[str, ...]:
    """Answering a question tokenizes the same passages and headers again and again: remembered."""
    tokens = []
    for token in TOKEN.findall(text.lower()):
        if token in STOPWORDS:
            continue
        token = SYNONYMS.get(token, token)
        # A light plural fold: "leavers" finds "leaver", "placements" finds "placement".
        if len(token) > 4 and token.endswith("s") and not token.endswith("ss") and token.isalpha():
            token = token[:-1]
        # Spellings papers and people write both ways: "advisers" finds "advisors", "organization" finds
        # "organisation".
        token = SPELLINGS.get(token) or AMERICAN_Z.sub(r"is\1", token)
        tokens.append(token)
    return tuple(tokens)


class WordSet:
    """A text's words, asked many times whether it holds a term (``holds``): set lookups, and a binary
    search of the words in order (made once, when first needed) for a longer word that begins with it."""

    __slots__ = ("words", "_ordered")

    def __init__(self, words):
        self.words = words if isinstance(words, set) else set(words)
        self._ordered: list[str] | None = None

    def holds(self, term: str) -> bool:
        """The text holds the term, or a word of the same stem: one word begins the other, and the shorter
        has at least five letters ("elect" / "elected", "chair" / "chairman", "adopt" / "adoption"); a short word
        is held in its plural or singular too ("male" / "males", "votes" / "vote")."""
        if term in self.words:
            return True
        if term + "s" in self.words or (term.endswith("s") and len(term) > 3 and term[:-1] in self.words):
            return True
        if len(term) < 5 or not term.isalpha():
            return False
        if any(term[:n] in self.words for n in range(5, len(term))):  # a shorter word begins the term
            return True
        if self._ordered is None:
            self._ordered = sorted(self.words)
        at = bisect.bisect_right(self._ordered, term)  # the words after the term in order: a longer one begins so
        return at < len(self._ordered) and self._ordered[at].startswith(term)


def holds(have: set[str] | WordSet, term: str) -> bool:
    """``WordSet.holds`` for a set of words."""
    return (have if isinstance(have, WordSet) else WordSet(have)).holds(term)


CARRIED_WEIGHT = 0.5  # a part's word taken from the first part weighs this much of its own (dev: 0.3 +0 facts, 0.5 +2)


@dataclass(frozen=True)
class QuestionTerms:
    """What a question's coverage weighs: its content words (dates left out: the search's boosts judge
    those, not words) with their idf weights, and its acronyms' spellings."""

    terms: frozenset[str]
    weight: dict[str, float]
    total: float
    spellings: tuple[tuple[str, tuple[str, ...]], ...]

    @classmethod
    def of(cls, query: Query, idf: Callable[[str], float], leave_out: Iterable[str] = ()) -> QuestionTerms:
        # An acronym the question writes is one term, held by the acronym or by its whole spelling out: its
        # spelling's words are no terms of their own, or a passage spelling it out would hold four terms to one
        # of another writing the acronym ("CYPE": "Children Young People and Education").
        own = set(tokenize(query.text))
        spelt_out = {w for full in query.written_acronyms.values() for w in tokenize(full)} - own
        terms = (frozenset(t for t in tokenize(query.expanded) if not DATE_WORD.fullmatch(t))
                 - {*leave_out, *spelt_out, *CHAT_WORDS})
        asked = query.text.removesuffix(f"({query.carried_topic})")  # the part's own words
        carried = set(tokenize(query.carried_topic)) - set(tokenize(asked))
        weight = {t: idf(t) * (CARRIED_WEIGHT if t in carried else 1.0) for t in terms}
        spellings = tuple((name.lower(), tuple(tokenize(full))) for name, full in query.acronyms.items())
        return cls(terms, weight, sum(weight.values()), spellings)

    def share(self, holds: Callable[[str], bool]) -> float:
        """The idf-weighted share of the terms that ``holds`` says are held (a text's words, a table row's)."""
        if not self.terms or not self.total:
            return 0.0
        # An acronym of the question is held by a text that spells it out ("IHA": "Initial Health Assessment").
        spelt = {key for key, words in self.spellings if all(holds(word) for word in words)}
        return sum(self.weight[t] for t in self.terms if t in spelt or holds(t)) / self.total

    def coverage(self, text: str) -> float:
        """The share of the question the text holds."""
        return self.share(WordSet(tokenize(text)).holds)
