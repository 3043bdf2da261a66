"""Who sits on a committee: the membership list that every modern.gov agenda front sheet prints
("Membership (15) Conservative (5): Mrs A D Allen, MBE (Chairman), ... Co-opted Members (6): ...").

A question asking who is on a committee ("who sits on the panel?", "who are the members of the Cabinet?",
"what is the panel's membership?") is answered with the newest such list of the committee meant (the one
the question or the conversation names, else the home committee, else the one whose papers the index holds
most of), cited to its front sheet; the sentences of reports that mention "members of the panel" say
nothing of who they are. Where no front sheet of the committee is held, the question goes to the usual
answer.
"""

from __future__ import annotations

import re
from collections import Counter

from core.dates import human_date
from core.records import Filters, StoredChunk
from retrieval.answer.citations import Answer, Unit
from retrieval.answer.guard import finish
from retrieval.hybrid import HybridSearcher
from retrieval.query import Query

MEMBERSHIP_QUESTION = re.compile(
    r"\bwho(?:'s|\s+is|\s+are|\s+sits?|\s+serves?)\s+on\b|\bwho\s+(?:sits|serves)\b|\bmembership\b|"
    r"\bwho\s+(?:are|were)\s+(?:the\s+)?(?:members|councillors)\b|\bmembers\s+of\s+the\b|"
    r"\bwhich\s+(?:members|councillors)\s+(?:sit|are|serve)\s+on\b", re.I)
BODY_WORD = re.compile(r"\b(?:panel|committee|cabinet|council|board|it)\b", re.I)  # who sits on *what*
# A question about what members did or how many voted is not about who the members are.
NOT_MEMBERSHIP = re.compile(r"\bvot|\battend|\bapolog|\bpresent\b|\bsaid\b|\bask(?:ed)?\b|\bhow\s+many\b", re.I)
# The list as front sheets print it: from "Membership" to the first line that is not part of it.
MEMBERSHIP_BLOCK = re.compile(r"^Membership\b.*?(?=^(?:UNRESTRICTED|Item\b|AGENDA\b|EXEMPT|Webcasting|Tea/Coffee)|"
                              r"\Z)", re.M | re.S)
MAX_WORDS = 120
TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr)\b")  # a list of members names them so


class MembershipAnswerer:
    def __init__(self, searcher: HybridSearcher, home_committee: str | None = None):
        self.searcher = searcher
        self.home_committee = home_committee
        # Per index version: each committee's newest list, and the committee most passages are of (one scan).
        self._built: tuple[str, dict[str, tuple[int, StoredChunk, str]], str | None] | None = None

    def answer(self, question: str, query: Query, filters: Filters | None = None) -> Answer | None:
        if not MEMBERSHIP_QUESTION.search(query.text) or NOT_MEMBERSHIP.search(query.text) or query.parts \
                or not (query.committee or BODY_WORD.search(query.text)):
            return None  # a question of several parts ("how often does it meet, and who is on it?") is composed
        committee = self.committee_meant(query, filters)
        found = self.newest_list(committee) if committee else None
        if found is None:
            return None
        chunk, block = found
        when = human_date(chunk.meeting_date) if chunk.meeting_date else None
        counted = re.match(r"Membership\s*(\(\d+\))?\s*", block)
        heading = f"**Membership of the {committee}{' ' + counted.group(1) if counted.group(1) else ''}**" + (
            f" (agenda for its meeting of {when})" if when else "")
        listed = " ".join(block[counted.end():].split())
        unit = Unit(block.strip(), chunk, 0, chunk.page_at(chunk.text.find(block)))
        answer = Answer(question=question, text="", answered=False, query=query.text)
        answer.confidence, answer.sure = 0.9, True
        return finish(answer, [(f"{heading}: {listed}", [unit])])

    def committee_meant(self, query: Query, filters: Filters | None = None) -> str | None:
        """The committee filtered to, or named (by the question or the conversation), else the home committee,
        else the one the index holds most papers of."""
        return (filters.committee if filters and filters.committee else None) or query.committee \
            or self.home_committee or self._commonest()

    def newest_list(self, committee: str) -> tuple[StoredChunk, str] | None:
        """The newest front sheet's membership list of the committee, with its chunk."""
        found = self._lists()[1].get(committee)
        return None if found is None else (found[1], found[2])

    def _commonest(self) -> str | None:
        return self._lists()[2]

    def _lists(self) -> tuple[str, dict[str, tuple[int, StoredChunk, str]], str | None]:
        """Every committee's newest membership list and the commonest committee, made once per index version
        (a scan of every passage, not one per question)."""
        self.searcher.ensure_fresh()
        state = self.searcher.state
        if self._built is not None and self._built[0] == state.signature:
            return self._built
        newest: dict[str, tuple[int, StoredChunk, str]] = {}
        counts: Counter[str] = Counter()
        for chunk, key in zip(state.chunks, state.meeting_keys, strict=True):
            if not chunk.committee:
                continue
            counts[chunk.committee] += 1
            match = MEMBERSHIP_BLOCK.search(chunk.text) if "Membership" in chunk.text else None
            if match is None or len(match.group(0).split()) > MAX_WORDS or not TITLED.search(match.group(0)):
                continue
            if chunk.committee not in newest or key > newest[chunk.committee][0]:
                newest[chunk.committee] = (key, chunk, match.group(0))
        self._built = (state.signature, newest, counts.most_common(1)[0][0] if counts else None)
        return self._built
