"""Which committee a question means, so that its papers rank first among a whole archive's (never a filter:
the other committees' papers are still found when they answer better).

Read from the question's words, by rules any council's committee names follow:

- the name in full ("Corporate Parenting Panel", "County Council"), any case;
- its initials, as capitals ("CPP");
- the last two words of a longer name ("the Cabinet Committee", "the Parenting Panel");
- its head word with an article before it ("the panel", "the Cabinet"), or the bare head word of a body
  that is one word ("cabinet") or its usual abbreviation ("cab"): the committee of the index whose name
  ends in that word. Where several do, the one with the most passages (the panel of a panel's archive).
  "The council" is the authority, not its meeting: only "full council", "council meeting" or "meeting of
  the council" name the County Council that way;
- else the conversation: the committee an earlier question named, newest first;
- else the assistant's own committee (``AnswerSettings.home_committee``), when the index holds its papers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Words a body's name shares with any body's ("the CYPE cabinet committee": only "CYPE" is its own).
BODY_WORDS = frozenset("the of and council committee borough county city district cabinet panel board".split())
# Words that may stand before a body's head word ("the panel", "full council").
QUALIFIERS = r"(?:the|our|this|that|full|whole|a|its)"
# "The council" is the authority itself far more often than its meeting: only these name the meeting.
COUNCIL_MEETING = re.compile(r"\b(?:full|whole)\s+council\b|\bcouncil\s+meeting\b|\bmeeting\s+of\s+(?:the\s+)?"
                             r"(?:full\s+)?council\b", re.I)
# Everyday short forms of one-word bodies, as members write them.
ABBREVIATIONS = {"cab": "cabinet"}
GENERIC = frozenset({"committee", "sub-committee", "subcommittee", "board", "group", "forum"})


# A body named in capitals in a question: "the Governance and Audit Committee", "Member Remuneration Panel".
BODY_NAME = re.compile(r"\b((?:[A-Z][\w'’&-]*\s+(?:(?:and|of|for|&)\s+)?){1,6}"
                       r"(?:Committee|Sub-Committee|Panel|Board))\b")
# Words that start a question, or join a name, rather than name a body.
NOT_A_NAME = frozenset({"what", "did", "which", "who", "whom", "how", "when", "has", "have", "had", "was", "were",
                        "is", "are", "does", "do", "why", "where", "can", "could", "should", "will", "would",
                        "the", "and", "of", "for", "&"})
BODY_HEADS = frozenset({"committee", "sub-committee", "panel", "board"})
# One of a council's cabinet committees, named in any case with up to three words of its own before it.
CABINET_COMMITTEE = re.compile(r"\b(?:[\w'’&-]+\s+){0,3}?cabinet\s+committees?\b", re.I)
# Another authority: "Medway Council", "Surrey County Council".
AUTHORITY = re.compile(r"\b((?:[A-Z][a-z]+\s+){1,4})Council\b")
KINDS_OF_COUNCIL = frozenset({"county", "borough", "city", "district", "metropolitan", "unitary"})
# A place the index's papers name this often (a share of its passages) is the council's own ("Kent": 0.38 of the
# wide index's passages, 0.57 of the corpus's; "Medway", its neighbour, 0.07 and 0.03).
HOME_PLACE_SHARE = 0.25
# Words before "Council" that name no place: a body of young people, a council's own meeting.
NOT_A_PLACE = frozenset({"young", "adult", "adults", "children", "youth", "super", "people", "care", "school",
                         "parish", "town", "full", "whole", "our", "this", "that", "in", "pupil"})


# Another place as the doer, with no "Council": "how many adoption orders did Birmingham grant?" (a capitalised word
# after "did / does / has", a verb after it); only where the papers all but never name it (a person's surname, a
# body of its own, would be named more often than this).
BARE_PLACE_DOER = re.compile(r"\b(?:did|does|do|has|have|had)\s+([A-Z][a-z]{3,})(?:['’]s)?\s+(?=[a-z])")
BARE_PLACE_SHARE = 0.01


def other_authority(text: str, passages_naming: dict[str, int], passages: int) -> str | None:
    """Another council the question names by its place ("how did Medway Council vote ..."): its decisions
    are not in these papers. A place the papers name in a quarter of their passages or more is the council's
    own ("Kent Council"), and a body of young people ("Young Adult Council") or a council's meeting ("County
    Council") names no place."""
    for match in AUTHORITY.finditer(text):
        words = [w for w in match[1].split() if w.lower() not in NOT_A_NAME]
        while words and words[-1].lower() in KINDS_OF_COUNCIL:  # "Surrey County Council": the place is Surrey
            words.pop()
        if not words or any(w.lower() in NOT_A_PLACE for w in words):
            continue
        if all(passages_naming.get(w.lower(), 0) < HOME_PLACE_SHARE * passages for w in words):
            return match[0].strip()
    for match in BARE_PLACE_DOER.finditer(text):
        word = match[1]
        if word.lower() not in NOT_A_NAME and passages_naming.get(word.lower(), 0) < BARE_PLACE_SHARE * passages:
            return word
    return None


def _words(name: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z'’-]*", name)


@dataclass(frozen=True)
class Committee:
    name: str
    passages: int
    pattern: re.Pattern[str]  # the name in full
    initials: re.Pattern[str] | None
    head: str  # the last word, lower case: "panel", "cabinet", "council"
    single_word: bool
    tail: re.Pattern[str] | None  # the last two words of a longer name: "Cabinet Committee"


class CommitteeNames:
    """The committees of an index, and which one a question means."""

    def __init__(self, passages_by_committee: dict[str, int], home: str | None = None):
        self.committees: list[Committee] = []
        for name, passages in sorted(passages_by_committee.items(), key=lambda kv: (-len(kv[0]), kv[0])):
            words = _words(name)
            if not words:
                continue
            full = r"\s+".join(re.escape(w) for w in words)
            capitals = "".join(w[0] for w in words if w[0].isupper())
            initials = re.compile(rf"\b{capitals}s?\b") if len(capitals) >= 2 and len(words) >= 2 else None
            tail = re.compile(rf"\b{re.escape(words[-2])}\s+{re.escape(words[-1])}\b", re.I) if len(words) > 2 else None
            self.committees.append(Committee(name, passages, re.compile(rf"\b{full}\b", re.I), initials,
                                             words[-1].lower(), len(words) == 1, tail))
        self.home = home if home in passages_by_committee else None

    @classmethod
    def from_committees(cls, committees: Iterable[str | None], home: str | None = None) -> CommitteeNames:
        """From each passage's committee (None for a paper that names none)."""
        return cls(dict(Counter(c for c in committees if c)), home)

    def named(self, text: str) -> str | None:
        """The committee the text names, or None."""
        for committee in self.committees:  # longest names first: "County Council" before "Council"
            if not committee.single_word and committee.pattern.search(text):
                return committee.name
        # "the Cabinet Committee" is a body of its own, not the Cabinet.
        tails = [c for c in self.committees if c.tail is not None and c.tail.search(text)]
        if tails:
            return max(tails, key=lambda c: c.passages).name
        text = CABINET_COMMITTEE.sub(" ", text)  # ... and so is one whose papers are not held: it names no other
        for committee in self.committees:
            if committee.single_word and committee.pattern.search(text):
                return committee.name
        for committee in self.committees:
            if committee.initials is not None and committee.initials.search(text):
                return committee.name
        heads = {c.head for c in self.committees if c.head not in GENERIC}
        for word in re.findall(r"[A-Za-z]+", text.lower()):
            word = ABBREVIATIONS.get(word, word)
            if word not in heads:
                continue
            owners = [c for c in self.committees if c.head == word]
            bare_allowed = any(c.single_word for c in owners)
            if word == "council":
                named = COUNCIL_MEETING.search(text) is not None
            else:
                named = bare_allowed or re.search(rf"\b{QUALIFIERS}\s+{word}s?\b", text, re.I) is not None
            if named:
                return max(owners, key=lambda c: (c.single_word and c.head == word, c.passages)).name
        return None

    def unknown_named(self, text: str) -> str | None:
        """A body the text names in capitals that is none of the index's committees ("the Governance and
        Audit Committee" where no paper of it is held): its decisions cannot be in these papers. A name needs
        two words of its own besides "Committee" or "Panel" ("the Cabinet Committee" is not one)."""
        known = [{w.lower() for w in _words(c.name)} for c in self.committees]
        if (cabinet_committee := CABINET_COMMITTEE.search(text)) and not self.named(cabinet_committee[0]):
            # "the CYPE cabinet committee", "which cabinet committee": one of a council's cabinet committees, not
            # the Cabinet, and none of the index's
            words = [w for w in _words(cabinet_committee[0]) if w.lower() not in NOT_A_NAME]
            return " ".join(words)
        for match in BODY_NAME.finditer(text):
            words = _words(match[1])
            while words and words[0].lower() in NOT_A_NAME:
                words.pop(0)
            own = {w.lower() for w in words} - NOT_A_NAME
            if len(own - BODY_HEADS) < 2 or any(own <= name for name in known):
                continue
            return " ".join(words)
        return None

    def meant(self, question: str, earlier_questions: Sequence[str] = ()) -> str | None:
        """The committee the question means: named in it, else in an earlier question (newest first), else
        the home committee."""
        found = self.named(question)
        if found:
            return found
        for earlier in reversed(earlier_questions):
            found = self.named(earlier)
            if found:
                return found
        return self.home


def word_or_plural(word: str) -> str:
    """A pattern for the word in the singular or the plural ("committees" or "committee")."""
    stem = word[:-1] if word.lower().endswith("s") and len(word) > 3 else word
    return rf"{re.escape(stem)}s?"


def body_name_patterns(body: str) -> list[str]:
    """Patterns for the body by its whole name, and by its last two words as papers also call it ("the CYPE
    cabinet committee": "The Children's and Young People Cabinet Committee ..."), each word singular or plural."""
    words = tuple(body.split())
    ways = dict.fromkeys([words, words[-2:]] if len(words) > 2 else [words])
    return [r"\s+".join(map(word_or_plural, way)) for way in ways]


def own_words(body: str) -> list[str]:
    """The words of a body's name that not every body has ("Medway" of "Medway Council")."""
    return [w for w in body.split() if w.lower() not in BODY_WORDS and w.lower().rstrip("s") not in BODY_WORDS]


def names_body(body: str, text: str) -> bool:
    """The text names the body: by one of its ``body_name_patterns``, or by every word of its own."""
    if any(re.search(rf"\b{name}\b", text, re.I) for name in body_name_patterns(body)):
        return True
    own = own_words(body)
    return bool(own) and all(re.search(rf"\b{word_or_plural(w)}\b", text, re.I) for w in own)
