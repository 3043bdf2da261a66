"""The term a "what is X?" question asks about, and whether a sentence says what that term is; whether a sentence
says where, for "where ...?".

The search favours a passage that defines the term, or says where (``retrieval.hybrid``); the composer prefers such a
sentence to lead, and notes an answer that never names it (``retrieval.answer.compose``).
"""

from __future__ import annotations

import re

from core.dates import CALENDAR_NAMES

# "what is X?", "what's X actually for?", "what does X do / mean / stand for?", "explain what X means": the X asked.
TERM_ASKED = (
    re.compile(r"\bwhat(?:'s|’s|s|\s+is|\s+are)\s+(?:a\s+|an\s+|the\s+)?['‘\"“]?(?P<term>[^?,;:'’\"”]+?)['’\"”]?"
               r"(?=\s*(?:\?|$|,|;|\band\b|\bactually\b|\bfor\b|\bmeant\b|\bexactly\b|\bin\s+plain\b))", re.I),
    re.compile(r"\bwhat\s+(?:does|do)\s+(?:a\s+|an\s+|the\s+)?['‘\"“]?(?P<term>[^?,;:'’\"”]+?)['’\"”]?\s+"
               r"(?:actually\s+)?(?:do|mean|stand\s+for|cover)\b", re.I),
    re.compile(r"\bwhat\s+['‘\"“]?(?P<term>[^?,;:'’\"”]+?)['’\"”]?\s+(?:means|is)\s*(?:\?|$|,|\band\b)", re.I),
)
TERM_WORDS = 6  # a longer "X" is a question, not a name
# What a sentence that says what its subject is says next: "X is a / the ...", "X acts as", "X stands for" ...
DEFINING = (r"(?:is|are)\s+(?:a|an|the|one|our|its|their|responsible|made\s+up|part)\b|acts?\s+as\b|means?\b|"
            r"refers?\s+to\b|stands?\s+for\b|exists?\s+to\b|aims?\s+to\b|provides?\b|has\s+(?:a|the)\s+duty\b|"
            r"(?:was|were)\s+(?:set\s+up|established|introduced|created)\b|"
            # "'Foster to Adopt' is used for babies and children who ...", "FfA is about those cases where ..."
            r"(?:is|are)\s+used\s+(?:for|when|where)\b|(?:is|are)\s+about\b|(?:is|are)\s+(?:when|where)\b")


def term_asked(question: str) -> str | None:
    """The X of "what is X?" (and of "what does X do?", "what X means"), when it is a name of a few words."""
    for pattern in TERM_ASKED:
        if (found := pattern.search(question)) is not None:
            term = " ".join(re.sub(r"\([^)]*\)", " ", found["term"]).split())  # "(appx M)": no part of the name
            term = re.sub(r"^(?:a|an|the)\s+", "", term, flags=re.I)
            if term and len(term.split()) <= TERM_WORDS and not re.match(r"(?:it|this|that|they|he|she)\b", term, re.I):
                return term
    return None


def defines(terms: list[str], text: str) -> bool:
    """Whether the sentence says what one of ``terms`` is, the term as its subject: "The Virtual School Kent acts as
    ...", "Foster to adopt is a ...", "The Local Offer (LO) is ...", "’Foster to Adopt’ is used for ..." (the name,
    in quotes or not, may run on by a capitalised word or two and its acronym in brackets)."""
    for term in terms:
        words = r"\s+".join(re.escape(w) for w in term.split())
        if re.search(rf"(?i:(?<![\w-]){words})[’'\"”]?(?:\s+[A-Z][\w'’-]*){{0,2}}(?:\s*\([^)]{{1,30}}\))?,?\s+"
                     rf"(?i:{DEFINING})",
                     text):
            return True
    return False


# A place: "based in West Malling", "held at Oakwood House", "the Darent Room" (a month or a day of the week is no
# place: "a conference in November 2019"; nor is a capitalised name after "in the": "as prescribed in the Children's
# (Leaving Care) Act")
PLACE = re.compile(rf"\b(?:at|in|based)\s+(?!(?:{'|'.join(CALENDAR_NAMES)})\b)[A-Z][a-z]+|"
                   r"\b(?:House|Hall|Centre|Office|Court|Road|Street|Room)\b")


# "Where does it go next?" asks what body or meeting a paper goes on to: "to be presented to County Council" says it.
GOES_WHERE = re.compile(r"\bwhere\s+(?:does|did|will|would|is|was)\s+(?:it|this|that|they|the\s+\w+)\s+"
                        r"(?:go|goes|going|gone|heading|sent|be\s+sent)\b|\bwhere\s+next\b", re.I)
DESTINATION = re.compile(r"\b(?:to|before)\s+(?:the\s+)?(?:full\s+)?[A-Z][a-z]+")


def says_where(text: str, question: str) -> bool:
    """Whether the text names a place, other than in the question's own words: "a conference ... on 'Growing up in
    Care'" does not say where the 'Growing up in Care' conference is, nor "in Kent" where in Kent. Of "where does
    it go next?", a body it goes to is the place."""
    if GOES_WHERE.search(question) and DESTINATION.search(text):
        return True
    asked = set(re.findall(r"[a-z]+", question.lower()))
    return any(not set(re.findall(r"[a-z]+", match[0].lower().split()[-1])) <= asked for match in PLACE.finditer(text))
