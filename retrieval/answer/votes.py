"""Questions about votes, answered from the vote records ingest made (``Decision`` of kind "vote").

"How many members voted for the amendment proposed by Mr Hood?", "how did Mr Hook vote on the devolution
amendment?", "was the amendment carried?", "who seconded Cllr Passmore's amendment?", "who abstained?": the
record says who proposed and seconded the motion, which paragraph sets it out, the counts and the members
named on each side, and the outcome. The answer gives them, citing the vote's own passage (its decision
chunk), so every number in the answer is on the cited page.

Which vote a question means: the members it names as proposer or seconder ("Mr Hood's amendment", "proposed by
..."), its words against the motion's words (idf-weighted, as the composer weighs sentences), what was put
("amendment", "substantive motion"), an outcome used to pick one ("the amendment that was carried"), a
paragraph ("paragraph 17"), the month or year, the committee, and where the search ranked the vote's
passage. Votes that match as well as the best are all given ("how did Mr Hook vote on the devolution
amendments": each of them). A member is matched however the question writes the name: "Mr Hook", "Hook",
"Antony Hook", "Cllr A J Hook"; a title tells "Mr Cole" from "Mrs Cole".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from core.dates import human_date
from core.records import ChunkKind, DecisionKind, Filters, StoredChunk, StoredDecision
from retrieval.answer.citations import Answer, Unit
from retrieval.answer.guard import finish, refuse
from retrieval.answer.selection import PERSONS_REASON_ASKED, has_answer_type, without_headings
from retrieval.committees import COUNCIL_MEETING
from retrieval.hybrid import Candidate, HybridSearcher, digest
from retrieval.query import RECORD_FIELDS, STOPWORDS, AnswerType, Query
from retrieval.words import tokenize

# Words of a vote itself: "proposed", "moved", "passed" or "lost" alone ask of anything ("what council tax rise
# is proposed for 2025-26?", "how many jobs were lost?"), not of a vote.
VOTE_QUESTION = re.compile(r"\bvot(?:e|ed|es|ing)\b|\babstain\w*|\babstention|\bcarried\b|\bamendments?\b|"
                           r"\bmotions?\b|\bseconded\b", re.I)
MOVERS_ASKED = re.compile(r"\b(?:propos|second|mov(?:ed|er|ing))\w*", re.I)  # "who proposed it?": the movers
TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lady", "lord", "cllr", "councillor", "professor",
          "prof", "rev")
GENDER = {"mr": "m", "sir": "m", "lord": "m", "mrs": "f", "ms": "f", "miss": "f", "dame": "f", "lady": "f"}
TITLE = r"(?i:mr|mrs|ms|miss|mx|dr|sir|dame|lady|lord|cllr|councillor|professor|prof|rev)\.?"
TITLED = re.compile(rf"\b{TITLE}\s+(?P<name>[A-Za-z][\w'’-]*(?:\s+[A-Z][\w'’-]*){{0,3}})")
POSSESSIVE = re.compile(r"\b(?P<name>[A-Za-z][\w-]+)['’]s\b")
CAPITALISED = re.compile(r"\b[A-Z][a-z][\w'’-]*\b")
# "how did Mr Hook vote", "did Hook vote for", "how Mr Hook voted", "which way did Hook vote".
MEMBER_SIDE = re.compile(r"\b(?:how|which\s+way|what\s+way)\s+did\s+(?P<a>.+?)\s+vote\b|\bdid\s+(?P<b>.+?)\s+"
                         r"(?:vote|abstain|support|back|oppose)\b|\bhow\s+(?P<c>.+?)\s+voted\b"
                         r"|\b(?P<d>[\w'’ .-]+?)['’]s\s+vote\b", re.I)
WHO_VOTED = re.compile(r"\b(?:who|which\s+(?:members|councillors|people))\s+(?:voted|abstained|were\s+(?:for|against))"
                       r"|\bnames?\b|\blist\b", re.I)
ASKED_SIDE = (("abstain", re.compile(r"\babstain\w*|\babstention", re.I)),
              ("against", re.compile(r"\bagainst\b", re.I)),
              ("for", re.compile(r"\b(?:voted|vote|votes)\s+for\b|\bin favour\b|\bsupport", re.I)))
PICKED_OUTCOME = re.compile(r"\b(?:that|which)\s+(?:was\s+|were\s+|got\s+|went\s+)?(?P<o>carried|lost|passed|agreed|"
                            r"defeated|rejected|approved|through|succeeded|failed|fell)\b", re.I)
PARAGRAPH = re.compile(r"\bparagraph\s+(?P<n>\d{1,3})\b", re.I)
SUBSTANTIVE_ASKED = re.compile(r"\bsubstantive\b|\bfinal\s+(?:vote|motion|decision)|\bmotion\s+as\s+amended\b", re.I)
VOTE_SECTION = re.compile(r"\b(?:put\s+(?:the\s+)?[\w ]{0,40}?to\s+(?:the\s+)?vote|(?:For|FOR|In favour)\s*[:(])")
OUTCOME_SAID = re.compile(r"\b(?:(?:the\s+)?(?:substantive\s+)?(?:motion|amendment|recommendations?)\s+"
                          r"(?:was\s+|were\s+)?(?:declared\s+)?(?:carried|lost|agreed|defeated|approved)|(?:agreed|carried)\s+unanimously)\b",
                          re.I)
# The words of any vote question: every vote holds them, so they never tell one vote from another.
VOTE_WORDS = ("vote voted votes voting against abstain abstained abstention abstentions carried lost passed pass "
              "result outcome councillors councillor members member many number count proposed seconded moved "
              "amendment amendments motion motions substantive go went")
# "Mr Hook, Leader of the Liberal Democrat Group", "The Leader of the Labour Group, Mr Brady".
GROUP_LEADER_AFTER = re.compile(rf"(?P<name>{TITLE}\s+[A-Z][\w'’-]+),\s+(?:the\s+)?Leader\s+of\s+the\s+"
                                r"(?P<group>[A-Z][\w&' ]{2,40}?)\s+Group\b")
GROUP_LEADER_BEFORE = re.compile(rf"Leader\s+of\s+the\s+(?P<group>[A-Z][\w&' ]{{2,40}}?)\s+Group,\s+"
                                 rf"(?P<name>{TITLE}\s+[A-Z][\w'’-]+)")
AMENDS = re.compile(r"amendment\s+to\s+the\s+(?:substantive\s+)?motion\s+(?:as\s+)?set\s+out\s+(?:in|at)\s+"
                    r"paragraph\s+(?P<n>\d{1,3})", re.I)
# The words of a part that asks for nothing but a vote's tally.
TALLY_WORDS = frozenset({"number", "numbers", "result", "count", "tally", "figure", "split", "margin", "against",
                         "outcome", "total"})
# How many voted, or which way ("how many members voted for ...", "the numbers for and against"): what only a
# recorded vote says.
TALLY_ASKED = re.compile(r"\bhow\s+many\b|\bnumbers?\s+(?:for|against|voting|of\s+votes)\b|\bcounts?\b", re.I)
CITED = re.compile(r"\[\d+\]")  # an answer line's citation marks
COUNT_ASKED = re.compile(r"\bhow\s+many\b|\bcounts?\b|\bnumbers?\b|\bhow\s+did\s+the\s+vote\b|\bresult\b", re.I)
RECORD_QUESTION = re.compile(r"\bPROD\b|\brecords?\s+of\s+decision|\bdecision\s+(?:no\b|number|maker|taker|ref)|"
                             r"\breasons?\s+(?:for|given\s+for)\s+(?:the\s+)?decision", re.I)
ASKED_NUMBER = re.compile(r"\b\d{2}/\d{4,6}\b")  # a decision number ("24/00108")
# What a question may ask of a record's paper that its decision must hold to answer: a date, a person, a figure.
SPECIFIC_ASKS = frozenset({AnswerType.DATE, AnswerType.PERSON, AnswerType.NUMBER, AnswerType.PLACE})
RECORD_WORDS = "decision record prod proposed number maker reasons reason taken cabinet"
RECORD_QUOTE = 80  # a record's decision or reasons are quoted to about this many words
FIELD_QUOTE = 70  # a field is quoted to about this many words
LABEL_END = 80  # a label runs to its colon, if one comes this soon ("Cabinet Committee recommendations and ...:")


def _next_label(labels: tuple[str, ...]) -> re.Pattern[str]:
    """Where a field's words end: the label of another field of the form."""
    others = [label for _, theirs in RECORD_FIELDS if theirs != labels for label in theirs]
    return re.compile("|".join([*others, r"reasons?\s*\(?s?\)?\s+for\s+(?:the\s+)?decision", r"\bsigned\b"]), re.I)
CLAUSE = re.compile(r"[,;]?\s+and\s+(?=(?:what|who|whom|how|when|why|which|where|did|does|was|were|is|are|has|have)\b)"
                    r"|[;?]\s+", re.I)
SIDE_WORDS = {"for": "For", "against": "Against", "abstain": "Abstain"}
QUOTE_WORDS = 45  # a motion's part quoted in an answer is cut to about this many words
PART_COVERAGE = 0.3  # ...and quoted only where it holds this share of the question
CARRIED = {"carried", "passed", "agreed", "approved", "through", "succeeded"}
SELECT_WEIGHT, WORD_WEIGHT, KIND_WEIGHT, OUTCOME_WEIGHT, PARAGRAPH_WEIGHT, RANK_WEIGHT = 1.0, 0.6, 0.3, 0.3, 0.5, 0.05
ADDED_WEIGHT = 0.6  # the words an amendment adds to the motion it changes (dev: 0.6 and 1.0 alike)
MEANING_WEIGHT = 0.5  # the question's meaning against what tells the vote apart (an amendment's new words)
PROPOSER_SHARE, SECONDER_SHARE = 1.0, 0.6  # "X's amendment" is the one X proposed, more than one X seconded
MIN_MEANING = 0.55  # ...or a meaning this close
TIE = 0.05  # votes scoring within this of the best are given too
MAX_VOTES = 5
MIN_WORDS = 0.5  # without a name or paragraph to go by, the question's words must cover this much of the vote's
MIN_MOTION_WORDS = 0.4  # ... and this much of them the motion's own words (dev: questions about a vote 0.46-0.91)


@dataclass(frozen=True)
class Name:
    """A member's name as written: title ("mr"), given names or initials, surname (all lower case)."""

    title: str | None
    given: tuple[str, ...]
    surname: str

    @classmethod
    def parse(cls, text: str) -> Name | None:
        words = [w.strip(".,;:()'’").lower() for w in re.sub(r"['’]s\b", "", text).split()]
        words = [w for w in words if w and w not in ("cbe", "mbe", "obe", "kbe", "dbe", "jp", "dl")]
        title = words.pop(0) if words and words[0] in TITLES else None
        if not words:
            return None
        return cls(title, tuple(words[:-1]), words[-1].replace("’", "'"))

    def same_person(self, other: Name) -> bool:
        """The same surname, titles of no different sex ("Mr" is not "Mrs"), and given names or initials
        that agree where both are written ("Antony" and "A J" agree; "R" and "A" do not)."""
        if self.surname != other.surname:
            return False
        mine, theirs = GENDER.get(self.title or ""), GENDER.get(other.title or "")
        if mine and theirs and mine != theirs:
            return False
        if self.given and other.given:
            return self.given[0][:1] == other.given[0][:1]
        return True


@dataclass
class VoteAsk:
    """What a vote question asks: the members it names, as voters or as movers of the motion it means."""

    voters: list[Name]  # "how did Mr Hook vote": whose side is asked
    movers: list[Name]  # "Mr Hood's amendment": which vote is meant
    sides: list[str]  # "who voted against": which sides' names to list
    list_names: bool
    outcome: str | None  # "the amendment that was carried": "carried" or "lost"
    paragraph: str | None
    motion: str | None  # "amendment", "substantive", "motion"


def is_vote_question(question: str) -> bool:
    return bool(VOTE_QUESTION.search(question))


def names_in_question(text: str, known: set[str]) -> list[Name]:
    """The members a text names: titled ("Mr Hook", "cllr passmore"), possessive ("Hood's"), or a capitalised
    word that is a member's surname in the votes (with the given names written before it: "Antony Hook")."""
    found: list[Name] = []
    spans: list[tuple[int, int]] = []
    for match in TITLED.finditer(text):
        words = match["name"].split()
        keep = [words[0]] + [w for w in words[1:] if w[:1].isupper()]
        # Only as far as the surname: "Mr Hood's amendment preferring ..." is Mr Hood.
        cut = next((i for i, w in enumerate(keep) if re.search(r"['’]s$", w)), None)
        keep = keep[: cut + 1] if cut is not None else keep
        while len(keep) > 1 and keep[-1].lower().strip("'’s") not in known:
            keep.pop()
        name = Name.parse(f"{match.group(0).split()[0]} {' '.join(keep)}")
        if name:
            found.append(name)
            spans.append(match.span())
    def taken(at: int) -> bool:
        return any(start <= at < end for start, end in spans)

    for match in POSSESSIVE.finditer(text):
        word = match["name"].lower()
        if not taken(match.start()) and word in known:
            found.append(Name(None, (), word))
            spans.append(match.span())
    words = list(CAPITALISED.finditer(text))
    for n, match in enumerate(words):
        word = match.group(0).lower().strip("'’")
        if taken(match.start()) or word not in known:
            continue
        given: list[str] = []  # "Antony Hook": capitalised words written directly before the surname
        end, k = match.start(), n - 1
        while k >= 0 and not text[words[k].end() : end].strip():
            before = words[k].group(0).lower()
            if before in known or before in TITLES or before in STOPWORDS:
                break
            given.insert(0, before)
            end, k = words[k].start(), k - 1
        found.append(Name(None, tuple(given), word))
        spans.append(match.span())
    unique: list[Name] = []
    for name in found:
        if name not in unique:
            unique.append(name)
    return unique


def read_vote_question(text: str, known: set[str]) -> VoteAsk:
    names = names_in_question(text, known)
    member = MEMBER_SIDE.search(text)
    voters: list[Name] = []
    if member:
        who = next(g for g in member.groups() if g)
        voters = [n for n in names if n.surname in who.lower()]
    movers = [n for n in names if n not in voters]
    sides = [side for side, pattern in ASKED_SIDE if pattern.search(text)]
    picked = PICKED_OUTCOME.search(text)
    outcome = None if picked is None else ("carried" if picked["o"].lower() in CARRIED else "lost")
    paragraph = PARAGRAPH.search(text)
    # ("the final vote", "the motion as amended": the substantive motion, the last put at the item)
    motion = ("substantive" if SUBSTANTIVE_ASKED.search(text) else
              "amendment" if re.search(r"\bamendments?\b", text, re.I) else
              "motion" if re.search(r"\bmotions?\b", text, re.I) else None)
    list_names = bool(WHO_VOTED.search(text) or (sides and re.search(r"\bwho\b", text, re.I)))
    return VoteAsk(voters=voters, movers=movers, sides=sides, list_names=list_names,
                   outcome=outcome, paragraph=paragraph["n"] if paragraph else None, motion=motion)


def motion_text(vote: StoredDecision) -> str:
    """The vote's words up to its counts or outcome: the motion, who moved it, what was put (not the lists of
    names, nor "Amendment carried", which would answer "was it carried?" for one vote only)."""
    ends = [m.start() for m in (VOTE_SECTION.search(vote.text), OUTCOME_SAID.search(vote.text)) if m]
    end = min(ends) if ends else len(vote.text)
    # ... from the start of the sentence that puts it ("Following the debate, the Chairman put ...").
    sentence = max(vote.text.rfind(mark, 0, end) for mark in (". ", "” ", "\" ", ": "))
    end = sentence + 1 if sentence > 0 else end
    return f"{vote.minute_title or ''} {vote.text[:end]}"


def vote_quote(vote: StoredDecision) -> str:
    """What a citation quotes: the vote itself, from what was put to the outcome (exactly as stored)."""
    cut = VOTE_SECTION.search(vote.text)
    return vote.text[cut.start():] if cut and vote.count_for is not None else vote.text


def side_of(vote: StoredDecision, member: Name) -> str | None:
    for side, names in (("for", vote.votes_for), ("against", vote.votes_against), ("abstain", vote.votes_abstain)):
        if any(member.same_person(listed) for listed in map(Name.parse, names) if listed):
            return side
    return None


def moved_by(vote: StoredDecision, member: Name) -> bool:
    return any(member.same_person(n) for n in map(Name.parse, filter(None, (vote.proposer, vote.seconder))) if n)


def _norm_part(part: str) -> str:
    """A motion's part without its markers and quotes, for telling an amendment's new words from the motion's."""
    text = re.sub(r"^(?:\s*(?:\(\w{1,4}\)|\w{1,4}[.)]))+\s*", "", part)
    return " ".join(re.sub(r"[“”\"'’.;,]", " ", text).lower().split())


@dataclass
class VoteBook:
    """The index's votes, with what answering reads of each (made once per index version)."""

    votes: list[StoredDecision]
    chunks: dict[tuple[str, str], StoredChunk]  # each vote's passage (its decision chunk)
    known: set[str]  # the surnames of every member the votes name
    added: dict[str, tuple[str, ...]]  # an amendment's parts that the motion it amends lacks
    meaning: dict[str, np.ndarray]  # a unit vector of what tells each vote apart (its new words, else its motion)
    proposals: dict[str, Unit]  # where a vote's proposal is printed, when that is another page than its counts
    leaders: dict[str, str]  # a political group's words ("labour", "green") -> its leader's surname, as minuted


def mover_share(vote: StoredDecision, member: Name) -> float:
    """How much naming ``member`` points to this vote: its proposer fully, its seconder less."""
    proposer = Name.parse(vote.proposer) if vote.proposer else None
    if proposer and member.same_person(proposer):
        return PROPOSER_SHARE
    seconder = Name.parse(vote.seconder) if vote.seconder else None
    return SECONDER_SHARE if seconder and member.same_person(seconder) else 0.0


class VoteAnswerer:
    """Answers vote questions from the vote records; ``answer`` returns None for any other question."""

    def __init__(self, searcher: HybridSearcher, composer):
        self.searcher = searcher
        self.composer = composer
        self._built: tuple[str, VoteBook] | None = None

    def book(self) -> VoteBook:
        """The index's votes and what answering reads of them; made again when the index changes."""
        self.searcher.ensure_fresh()
        signature = self.searcher.signature
        if self._built is None or self._built[0] != signature:
            # Kept with the index's snapshot: the votes' meanings are embedded, and a reopened index reads them.
            identity = getattr(self.searcher.index.embeddings, "identity", "")
            self._built = (signature, self.searcher.derived(f"votes-{digest(identity)}", self._make_book))
        return self._built[1]

    def _make_book(self) -> VoteBook:
        votes = [d for d in self.searcher.index.all_decisions() if d.kind == DecisionKind.VOTE]
        texts = {(v.document, v.text) for v in votes}
        chunks = {(c.document, c.text): c for c in self.searcher.chunks
                  if c.kind == ChunkKind.DECISION and (c.document, c.text) in texts}
        known = set()
        for vote in votes:
            for name in (vote.proposer, vote.seconder, *vote.votes_for, *vote.votes_against, *vote.votes_abstain):
                parsed = Name.parse(name) if name else None
                if parsed:
                    known.add(parsed.surname)
        added = {}
        for vote in votes:
            amends = AMENDS.search(vote.text)
            base = next((v for v in votes if amends and v.document == vote.document and v.minute == vote.minute
                         and v.paragraph == amends["n"] and v.parts), None)
            if base is not None:
                had = {_norm_part(p) for p in base.parts}
                added[vote.id] = tuple(p for p in vote.parts if _norm_part(p) not in had)
        telling = [" ".join(added.get(v.id) or v.parts) or motion_text(v) for v in votes]
        vectors = self.searcher.index.embeddings.embed_documents(telling) if telling else []
        meaning = {}
        for vote, vector in zip(votes, vectors, strict=True):
            array = np.asarray(vector, dtype=np.float32)
            meaning[vote.id] = array / (np.linalg.norm(array) or 1.0)
        proposals = {}
        prose = [c for c in self.searcher.chunks if c.kind != ChunkKind.DECISION and c.document in
                 {v.document for v in votes}]
        for vote in votes:
            opening = vote.text.split()[:10]
            pattern = re.compile(r"\s+".join(map(re.escape, opening)))
            for chunk in (c for c in prose if c.document == vote.document):
                found = pattern.search(chunk.text)
                if found and chunk.page_at(found.start()) != vote.page:
                    proposals[vote.id] = Unit(" ".join(found.group(0).split()), chunk, 0, chunk.page_at(found.start()))
                    break
        leaders: dict[str, str] = {}
        for chunk in prose:
            flat = " ".join(chunk.text.split())
            for match in (*GROUP_LEADER_AFTER.finditer(flat), *GROUP_LEADER_BEFORE.finditer(flat)):
                name = Name.parse(match["name"])
                for word in re.findall(r"[a-z]+", match["group"].lower()):
                    if name and word not in STOPWORDS and len(word) > 2:
                        leaders.setdefault(word, name.surname)
        return VoteBook(votes, chunks, known, added, meaning, proposals, leaders)

    def answer(self, question: str, query: Query, candidates: list[Candidate],
               filters: Filters | None = None) -> Answer | None:
        if not is_vote_question(query.text) or PERSONS_REASON_ASKED.search(query.text):
            return None  # (a vote's record says how each member voted, never why: "why did Mr X vote against ...?")
        book = self.book()
        if not book.votes:
            return None
        ask = read_vote_question(query.text, book.known)
        pool = [v for v in book.votes if (v.document, v.text) in book.chunks and (not filters or filters.admits(
            v.document, v.committee, str(ChunkKind.DECISION), v.meeting_key))]
        # "Labour's amendment", "the Green leader's amendment": the group's leader, as the minutes name them.
        for word in re.findall(r"[a-z]+", query.text.lower()):
            leader = book.leaders.get(word) or next((s for w, s in book.leaders.items() if len(word) == 3
                                                     and w.startswith(word)), None)  # "lib" for "liberal"
            if leader and not any(n.surname == leader for n in ask.movers + ask.voters):
                ask.movers.append(Name(None, (), leader))
        # A member named who moved none of these votes is asked about as a voter ("what did Mrs Bell do").
        idle = [n for n in ask.movers if not any(moved_by(v, n) for v in pool)]
        ask.movers = [n for n in ask.movers if n not in idle]
        ask.voters += [n for n in idle if any(side_of(v, n) for v in pool)]
        # The month or year asked is the meeting's where a vote was taken then; else it is the motion's own
        # subject ("elections in May 2025"), and only a vote named by its mover or paragraph will do.
        in_period = pool
        if query.month:
            in_period = [v for v in pool if v.meeting_key // 100 == query.month_key]
        elif query.year:
            in_period = [v for v in pool if v.meeting_key // 10000 == query.year]
        strict = not in_period
        pool = in_period or pool
        if query.unheld_body:
            return None  # a body whose papers are not held ("how did Medway Council vote"): not its votes
        # A committee the question names ("at cabinet", "full council"): its votes, or none.
        named = {v.committee for v in pool if v.committee and (v.committee.lower() in query.text.lower() or (
            v.committee.lower().endswith("council") and COUNCIL_MEETING.search(query.text)))}
        if named:
            pool = [v for v in pool if v.committee in named]
        elif any(c.lower() in query.text.lower() for c in {v.committee for v in book.votes if v.committee}):
            return None  # it names a committee none of whose votes fit the question
        if ask.voters or ask.list_names:
            pool = [v for v in pool if v.count_for is not None] or pool  # a side is asked: recorded votes
        if not pool:
            return None
        qvector = np.asarray(query.vector, dtype=np.float32) if query.vector is not None else None
        if qvector is not None:
            qvector = qvector / (np.linalg.norm(qvector) or 1.0)
        scored = [(*self.score(v, ask, query, candidates, book, qvector), v) for v in pool]
        scored.sort(key=lambda s: (-(s[0] + s[1]), -s[1]))  # the search's rank orders votes that match alike
        best, _, sure, meant, _ = scored[0]
        if not sure and ask.motion == "substantive" and query.day:
            # The meeting named by its day put one substantive motion to the vote: that is the one asked about,
            # whatever words its amendment happened to use.
            of_day = [s for s in scored if s[-1].meeting_key == query.day and "substantive" in (s[-1].motion or "")]
            if len({(s[-1].count_for, s[-1].count_against, s[-1].outcome) for s in of_day}) == 1:
                chosen_ids = {id(s) for s in of_day}
                scored = of_day + [s for s in scored if id(s) not in chosen_ids]
                best, _, _, meant, _ = scored[0]
                sure = True
        if not sure or (strict and not (ask.movers or ask.paragraph or meant >= MIN_MEANING)):
            return None
        chosen = [v for score, _, _, _, v in scored if score >= best - TIE]
        if not MOVERS_ASKED.search(query.text):
            # A motion the minutes record neither a count nor an outcome for ("Mrs Allen proposed, seconded by
            # Mrs Game, that Ida Linfield be elected") says nothing of a vote: the minute's own words answer.
            chosen = [v for v in chosen if v.count_for is not None or v.outcome]
            if not chosen:
                return None
        # (one meeting's minutes published twice, under two file names, record each vote twice: given once)
        once: dict[tuple, StoredDecision] = {}
        for vote in chosen:
            once.setdefault((vote.committee, vote.meeting_key, vote.paragraph, vote.motion, vote.count_for,
                             vote.count_against, vote.outcome), vote)
        chosen = list(once.values())[:MAX_VOTES]
        answer = Answer(question=question, text="", answered=False, query=query.text)
        if (TALLY_ASKED.search(query.text) or ask.voters or ask.list_names) and all(
                v.count_for is None and v.outcome for v in chosen):
            # How many voted, or who voted which way, where the minutes record only the outcome: they do not
            # say; the vote's own passage is the closest.
            vote = chosen[0]
            shown = Candidate(chunk=book.chunks[(vote.document, vote.text)])
            return refuse(answer, [shown, *[c for c in candidates if c.id != shown.id]],
                          f"the minutes record no count or names for it: the {vote.motion or 'motion'} was "
                          f"{vote.outcome} without a recorded vote")
        lines = [self.line(v, ask, query, book, quote=not self.other_parts(query)) for v in chosen]
        units = self.composer.units(query, candidates) if candidates else []
        # A part of the question that is not about the vote ("... and what did Cabinet then agree?") gets its
        # own sentence, as in any answer.
        others = self.other_parts(query)
        if others and units:
            lines += self.composer._part_lines(replace(query, parts=others), units, lines)
        answer.evidence = self.composer.evidence(query, candidates, units, lines, True) if candidates else None
        model = self.composer.refusal.confidence(answer.evidence) if answer.evidence else 0.0
        # A vote found by its mover, paragraph or voter is the one asked about, whatever the search ranked.
        answer.confidence = max(model, 0.9 if (ask.movers or ask.voters or ask.paragraph) else 0.7)
        answer.sure = answer.confidence >= self.composer.sure_confidence
        return finish(answer, lines)

    @staticmethod
    def no_count_said(query: Query, answer: Answer, candidates: list[Candidate]) -> Answer:
        """How many voted, asked where no vote record answers (Cabinet's minutes record decisions, not votes):
        an answer whose lead states no count ("RESOLVED that Cabinet ... endorsed the draft budget") is refused,
        saying so."""
        if not (answer.answered and is_vote_question(query.text) and TALLY_ASKED.search(query.text)):
            return answer
        lead = CITED.sub(" ", without_headings(answer.text.strip().split("\n", 1)[0]))
        if has_answer_type(lead, AnswerType.NUMBER, count=True):
            return answer
        refused = Answer(question=answer.question, text="", answered=False, query=query.text,
                         confidence=answer.confidence, evidence=answer.evidence)
        return refuse(refused, candidates, "the passages found record no vote count for it")

    @staticmethod
    def other_parts(query: Query) -> list[Query]:
        """The parts of the question that are not about the vote: the question's own parts, or its clauses
        ("..., and what did Cabinet then agree about the elections?"). A part that asks only for the tally
        ("... and what were the numbers?", "what was the result?") is about the vote."""
        def about_vote(text: str) -> bool:
            return is_vote_question(text) or set(tokenize(text)) <= TALLY_WORDS

        parts = [] if query.parts_are_periods else [p for p in query.parts if not about_vote(p.text)]
        clauses = [c.strip() for c in CLAUSE.split(query.text) if c and c.strip()]
        if not parts and len(clauses) > 1:
            parts = [replace(query, text=c, expanded=c, parts=[], parts_are_periods=False) for c in clauses[1:]
                     if not about_vote(c)]
        return parts

    def score(self, vote: StoredDecision, ask: VoteAsk, query: Query, candidates: list[Candidate], book: VoteBook,
              qvector: np.ndarray | None) -> tuple[float, float, bool, float]:
        """How well a vote matches the question, the search's rank of its passage (which orders votes that
        match alike), whether it is sure enough to answer from, and how close its meaning is."""
        score = 0.0
        if ask.movers:  # "Mr Hood's amendment" is the one he proposed; "Streatfeild's" not the one he seconded
            score += SELECT_WEIGHT * sum(mover_share(vote, n) for n in ask.movers) / len(ask.movers)
        movers = [n for n in ask.movers if moved_by(vote, n)]
        # The voters asked about, and the words every vote question uses, are held by every vote.
        held = f"{motion_text(vote)} {vote.committee or ''} {VOTE_WORDS} {' '.join(n.surname for n in ask.voters)}"
        asked = [query] + ([] if query.parts_are_periods else list(query.parts))
        words = max(self.composer.coverage(part, held) for part in asked)
        score += WORD_WEIGHT * words
        if book.added.get(vote.id):
            # An amendment's own new words tell it from the others, which quote the motion it changed as theirs
            # ("the amendment adding that the council expects as much transparency as possible": each later
            # amendment to the substantive motion quotes that line too).
            added = " ".join(book.added[vote.id])
            score += ADDED_WEIGHT * max(self.composer.coverage(part, added) for part in asked)
        meaning = float(book.meaning[vote.id] @ qvector) if qvector is not None and vote.id in book.meaning else 0.0
        score += MEANING_WEIGHT * max(0.0, meaning)
        kind = vote.motion or "motion"
        matches_kind = ("substantive" in kind if ask.motion == "substantive" else
                        "motion" in kind if ask.motion == "motion" else
                        ask.motion in kind if ask.motion else None)
        if matches_kind is not None:
            score += KIND_WEIGHT if matches_kind else -KIND_WEIGHT
        if ask.outcome:
            score += OUTCOME_WEIGHT if vote.outcome and vote.outcome.split()[0] == ask.outcome else -OUTCOME_WEIGHT
        if (ask.voters or COUNT_ASKED.search(query.text)) and vote.count_for is None:
            score -= KIND_WEIGHT  # counts or sides are asked: a vote that records them
        paragraph = ask.paragraph is not None and ask.paragraph == vote.paragraph
        score += PARAGRAPH_WEIGHT if paragraph else 0.0
        found = 0.0
        for rank, candidate in enumerate(candidates[:8]):
            chunk = candidate.chunk
            if chunk.document == vote.document and chunk.page_start <= vote.page <= chunk.page_end:
                found = RANK_WEIGHT / (1 + rank)
                break
        voters = [n for n in ask.voters if side_of(vote, n)]
        # Words alone make it sure only when the motion itself holds enough of them, not just the words every
        # vote holds: "how many young people voted in the Youth County Council elections" is no council vote.
        said = words >= MIN_WORDS and self.composer.coverage(query, f"{motion_text(vote)} {vote.committee or ''}") \
            >= MIN_MOTION_WORDS
        sure = bool(movers) or paragraph or bool(voters) or said or meaning >= MIN_MEANING
        return score, found, sure, meaning

    def line(self, vote: StoredDecision, ask: VoteAsk, query: Query, book: VoteBook,
             quote: bool = True) -> tuple[str, list[Unit]]:
        """One vote as a line of the answer: the meeting and minute, the motion, the outcome and counts, the
        sides of the members asked about, the names asked for, and what the amendment adds (or the motion's
        words that the question names)."""
        chunk = book.chunks[(vote.document, vote.text)]
        when = human_date(vote.meeting_date) or "an undated meeting"
        minute = f", minute {vote.minute}" if vote.minute else ""
        title = f" ({vote.minute_title})" if vote.minute_title else ""
        what = vote.motion or "motion"
        movers = " and ".join(x for x in (f"proposed by {vote.proposer}" if vote.proposer else "",
                                          f"seconded by {vote.seconder}" if vote.seconder else "") if x)
        where = f"set out in paragraph {vote.paragraph}" if vote.paragraph else ""
        about = ", ".join(x for x in (where, movers) if x)
        said = f"The {what}{f' ({about})' if about else ''}"
        if vote.count_for is not None:
            counts = [f"{SIDE_WORDS[s]} ({c})" for s, c in (("for", vote.count_for), ("against", vote.count_against),
                                                           ("abstain", vote.count_abstain)) if c is not None]
            said += f" was {vote.outcome or 'put to the vote'}: {', '.join(counts)}."
            printed = [m.group(0) for m in OUTCOME_SAID.finditer(vote.text)]
            if printed:  # the outcome in the minutes' own words, as the cited passage prints it: "Amendment lost."
                said += f" “{printed[-1][0].upper()}{printed[-1][1:]}.”"
        elif vote.outcome:
            said += f" was {vote.outcome} (no recorded vote)."
        else:
            said += ": the minutes record no vote on it as proposed."
        sentences = [said]
        for member in ask.voters:
            side = side_of(vote, member)
            shown = next((n for n in (*vote.votes_for, *vote.votes_against, *vote.votes_abstain)
                          if (p := Name.parse(n)) and member.same_person(p)), None)
            who = shown or " ".join(x for x in (member.title and member.title.capitalize(), member.surname.capitalize())
                                    if x)
            if side == "abstain":
                sentences.append(f"{who} abstained.")
            elif side:
                sentences.append(f"{who} voted {side} it.")
            elif vote.count_for is not None:
                sentences.append(f"{who} is not named among those voting.")
        if ask.list_names and vote.count_for is not None:
            for side in ask.sides or ["for", "against", "abstain"]:
                names = {"for": vote.votes_for, "against": vote.votes_against, "abstain": vote.votes_abstain}[side]
                count = {"for": vote.count_for, "against": vote.count_against, "abstain": vote.count_abstain}[side]
                if names:
                    sentences.append(f"{SIDE_WORDS[side]} ({count}): {', '.join(names)}.")
        new = book.added.get(vote.id, ())
        best_part = max(vote.parts, key=lambda p: self.composer.coverage(query, p), default=None)
        if quote and not ask.voters and new:
            shown = " ".join(f"“{_cut(part)}”" for part in new[:2])
            sentences.append(f"It {'adds' if len(new) < len(vote.parts) else 'reads'}: {shown}")
        elif quote and not ask.voters and best_part and self.composer.coverage(query, best_part) >= PART_COVERAGE:
            sentences.append(f"Its words include: “{_cut(best_part)}”")
        text = f"**{vote.committee or 'Meeting'}, {when}{minute}{title}:** " + " ".join(sentences)
        units = [Unit(vote_quote(vote), chunk, 0, vote.page)]
        if vote.id in book.proposals:  # the proposal's own page, where it is printed before the counts' page
            units.insert(0, book.proposals[vote.id])
        return text, units


class RecordAnswerer:
    """Questions about records of decision ("what reasons does the PROD for 24/00108 give?", "what's the decision
    number for adopting the ICS delivery plan, and who is the decision maker?"), answered from the records:
    number, maker, title, the decision (the part the question names, where one does), the reasons, and the
    minutes' resolution under the same number. None for any other question."""

    def __init__(self, searcher: HybridSearcher, composer):
        self.searcher = searcher
        self.composer = composer
        self._built: tuple[str, list[StoredDecision], dict[tuple[str, str], StoredChunk]] | None = None

    def book(self) -> tuple[list[StoredDecision], dict[tuple[str, str], StoredChunk]]:
        signature = self.searcher.signature
        if self._built is None or self._built[0] != signature:
            records = [d for d in self.searcher.index.all_decisions() if d.kind == DecisionKind.RECORD or d.number]
            texts = {(d.document, d.text) for d in records}
            chunks = {(c.document, c.text): c for c in self.searcher.chunks
                      if c.kind == ChunkKind.DECISION and (c.document, c.text) in texts}
            self._built = (signature, records, chunks)
        return self._built[1], self._built[2]

    def _printed(self, document: str, words: str) -> Unit | None:
        """The passage of ``document`` (not a decision's own) where ``words`` are printed, as a unit citing it."""
        opening = words.split()[:8]
        if not opening:
            return None
        pattern = re.compile(r"\s+".join(map(re.escape, opening)))
        for chunk in self.searcher.chunks:
            if chunk.document == document and chunk.kind != ChunkKind.DECISION:
                found = pattern.search(chunk.text)
                if found:
                    return Unit(" ".join(found.group(0).split()), chunk, 0, chunk.page_at(found.start()))
        return None

    def _field(self, document: str, labels: tuple[str, ...]) -> Unit | None:
        """The form field in ``document`` (not its decision) under the first of ``labels`` it prints, quoted
        from the label to the next field's label: from the passage that holds most of it (passages overlap,
        and one may end just after the label)."""
        chunks = sorted((c for c in self.searcher.chunks if c.document == document and c.kind != ChunkKind.DECISION),
                        key=lambda c: (c.page_start, c.id))
        ends = _next_label(labels)
        for label in labels:
            pattern = re.compile(label, re.I)
            best: tuple[int, Unit] | None = None
            for chunk in chunks:
                found = pattern.search(chunk.text)
                if not found:
                    continue
                rest = chunk.text[found.start():]
                colon = rest.find(":", 0, LABEL_END)
                after = ends.search(rest, max(found.end() - found.start(), colon + 1))
                words = rest[: after.start()] if after else rest
                held = len(words.split())
                if best is None or held > best[0]:
                    best = (held, Unit(_cut(words, FIELD_QUOTE, whole_sentence=True), chunk, 0,
                                       chunk.page_at(found.start())))
                if after or held >= FIELD_QUOTE:
                    break  # the whole field is in this passage
            if best is not None:
                return best[1]
        return None

    def answer(self, question: str, query: Query, candidates: list[Candidate],
               filters: Filters | None = None) -> Answer | None:
        numbers = set(ASKED_NUMBER.findall(query.text))
        if not numbers and not RECORD_QUESTION.search(query.text):
            return None
        records, chunks = self.book()
        pool = [d for d in records if (d.document, d.text) in chunks and (not filters or filters.admits(
            d.document, d.committee, str(ChunkKind.DECISION), d.meeting_key))]
        if numbers:
            chosen = [d for d in pool if d.number in numbers]
            chosen.sort(key=lambda d: d.kind != DecisionKind.RECORD)  # the record first, then the minutes
        else:
            forms = [d for d in pool if d.kind == DecisionKind.RECORD]
            scored = sorted(((self.composer.coverage(query, f"{d.minute_title or ''} {d.text} {d.reasons or ''} "
                                                     f"{RECORD_WORDS}"), n, d) for n, d in enumerate(forms)),
                            key=lambda s: (-s[0], s[1]))
            chosen = [d for score, _, d in scored[:1] if score >= MIN_WORDS]
        unique: dict[str, StoredDecision] = {}  # the same form printed in two papers is one record
        for record in chosen:
            unique.setdefault(f"{record.kind}:{record.number}", record)
        chosen = list(unique.values())[:3]
        if not chosen:
            return None
        lines = self._field_lines(query, chosen)
        if not lines and query.answer_type in SPECIFIC_ASKS and not any(
                has_answer_type(record.text, query.answer_type) for record in chosen):
            # "When did Cabinet first endorse the strategy, per the ICS PROD?": the record's decision holds no
            # date, so its quote does not answer; the passages found may ("... endorsed by Cabinet in July 2024").
            # Where the question names the decision, the record is quoted unless they do ("decision 24/00096: how
            # many Year 7 places?" is answered by the plan's own figures).
            if not numbers or (query.answer_type == AnswerType.NUMBER
                               and self.composer.compose(question, query, candidates).answered):
                return None
        for record in [] if lines else chosen:
            chunk = chunks[(record.document, record.text)]
            words = self.composer._decision_words(query, record.text, chunk.header)
            sources = [Unit(record.text, chunk, 0, record.page)]
            if record.kind == DecisionKind.RECORD:
                printed = self._printed(record.document, record.number or "")
                about = "; ".join(x for x in (record.minute_title, f"decision maker: {record.maker}"
                                              if record.maker else "") if x)
                head = " ".join(x for x in ("**Record of decision", record.number) if x) + "**"
                lines.append((f"{head} ({about}): {_cut(words, RECORD_QUOTE)}", ([printed] if printed else [])
                              + sources))
                reasons = self._printed(record.document, record.reasons) if record.reasons else None
                if reasons:
                    lines.append((f"Reasons for the decision: {_cut(record.reasons, RECORD_QUOTE)}", [reasons]))
            else:
                when = human_date(record.meeting_date) or "an undated meeting"
                minute = f", minute {record.minute}" if record.minute else ""
                title = f" ({record.minute_title})" if record.minute_title else ""
                lines.append((f"**{record.committee or 'Meeting'}, {when}{minute}{title}:** {words}", sources))
        answer = Answer(question=question, text="", answered=False, query=query.text)
        units = self.composer.units(query, candidates) if candidates else []
        answer.evidence = self.composer.evidence(query, candidates, units, lines, True) if candidates else None
        model = self.composer.refusal.confidence(answer.evidence) if answer.evidence else 0.0
        answer.confidence = max(model, 0.9 if numbers else 0.7)
        answer.sure = answer.confidence >= self.composer.sure_confidence
        return finish(answer, lines)

    def _field_lines(self, query: Query, records: list[StoredDecision]) -> list:
        """The asked field of each record form (the first field the question names), where its paper has it."""
        labels = next((labels for asked, labels in RECORD_FIELDS if asked.search(query.text)), None)
        lines = []
        for record in records if labels else []:
            unit = self._field(record.document, labels) if record.kind == DecisionKind.RECORD else None
            if unit is not None:
                printed = self._printed(record.document, record.number or "")  # where its number is printed
                head = " ".join(x for x in ("**Record of decision", record.number) if x) + "**"
                about = f" ({record.minute_title})" if record.minute_title else ""
                lines.append((f"{head}{about}: {unit.text}", [unit] + ([printed] if printed else [])))
        return lines


def _cut(part: str, limit: int = 0, whole_sentence: bool = False) -> str:
    """The first ``limit`` words; with ``whole_sentence``, on to the end of the sentence the limit falls in (where it
    ends within as many words again): a field's last option is not cut off mid-way."""
    limit = limit or QUOTE_WORDS
    words = part.split()
    if whole_sentence and len(words) > limit:
        end = next((n + 1 for n in range(limit - 1, min(len(words), 2 * limit)) if re.search(r"[.;]$", words[n])), None)
        limit = end or limit
    return " ".join(words[:limit]) + (" …" if len(words) > limit else "")


__all__ = ["Name", "RecordAnswerer", "VoteAnswerer", "is_vote_question", "names_in_question", "read_vote_question"]
