"""Acronyms and what they stand for: from the papers themselves ("Virtual School Kent (VSK)"), the
council's own list (the corpus catalogue's ``[glossary]``), and a short curated list of terms every
children's-services paper in England uses."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

CURATED = {
    "CIC": "children in care", "LAC": "looked after children", "CLA": "children looked after",
    "UASC": "unaccompanied asylum seeking children", "IRO": "independent reviewing officer",
    "EET": "education, employment or training", "NEET": "not in education, employment or training",
    "SGO": "special guardianship order", "IHA": "initial health assessment", "OLA": "other local authority",
    "MOMO": "Mind Of My Own", "SEN": "special educational needs", "PEP": "personal education plan",
    "BLA": "becoming looked after", "QSW": "qualified social worker", "YTD": "year to date",
    "R12M": "rolling 12 months", "SS": "snapshot", "RAG": "red amber green rating",
    "SDQ": "strengths and difficulties questionnaire", "CAMHS": "child and adolescent mental health services",
    "DfE": "Department for Education", "EHCP": "education health and care plan", "PA": "personal adviser",
}
SMALL_WORDS = {"of", "and", "the", "for", "in", "on", "to", "with", "&", "a"}
ACRONYM_IN_BRACKETS = re.compile(r"\(([A-Z][A-Za-z]{1,6})\)")


def _expansion(words: list[str], acronym: str) -> str | None:
    """The shortest run of words before "(ACRONYM)" whose initials spell it."""
    letters = acronym.upper()
    for start in range(len(words) - 1, -1, -1):
        run = words[start:]
        initials = "".join(w[0].upper() for w in run if w.lower() not in SMALL_WORDS)
        if initials == letters:
            return " ".join(run)
        if len(initials) > len(letters):
            return None
    return None


def build_glossary(texts: Iterable[str], council: dict[str, str] | None = None) -> dict[str, str]:
    """Acronym → expansion: the curated terms and the council's own (``council``) first, then what the
    papers define."""
    found: dict[str, Counter[str]] = {}
    # replicated or repeated passages teach nothing new; kept in the order given, so that a tie between two
    # spellings out ("ICS": "Integrated Care System" and "Integrated Care Strategy", each defined as often) goes to
    # the first met, the same in every process (a set's order changes with Python's hash seed)
    for text in dict.fromkeys(texts):
        for match in ACRONYM_IN_BRACKETS.finditer(text):
            acronym = match.group(1)
            # Only the words just before "(ACRONYM)" can spell it; looking back a little keeps this linear.
            before = re.findall(r"[A-Za-z][\w’'&-]*", text[max(0, match.start() - 120) : match.start()])
            expansion = _expansion(before[-10:], acronym)
            if expansion:
                found.setdefault(acronym.upper(), Counter())[expansion] += 1
    glossary = {k.upper(): v for k, v in {**CURATED, **(council or {})}.items()}
    for acronym, counts in found.items():
        glossary.setdefault(acronym, counts.most_common(1)[0][0])
    return glossary


ACRONYM = re.compile(r"\b[A-Z][A-Za-z]{1,5}\b")


def spell_out(text: str, glossary: dict[str, str]) -> str:
    """The text with each acronym the glossary knows followed by what it stands for: "Number of Kent CIC"
    → "Number of Kent CIC (children in care)", so its meaning can be compared with a question's words."""
    upper = {k.upper(): v for k, v in glossary.items()}
    found = []
    for token in dict.fromkeys(ACRONYM.findall(text)):
        single = token[:-1] if token.endswith("s") and token[:-1].isupper() else token  # "IROs" → "IRO"
        if single.upper() in upper and (single.isupper() or single in glossary):
            found.append(upper[single.upper()])
    return f"{text} ({'; '.join(found)})" if found else text
