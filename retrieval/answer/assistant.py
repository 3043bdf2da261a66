"""The contract others build on: ``Assistant.open(settings).ask(question, history, filters) -> Answer``.

One question's path: ``ask`` → ``retrieval.query.understand`` (follow-ups, dates, intent, acronyms) →
``retrieval.hybrid.HybridSearcher.search`` (typed chunks from the store) → ``compose.Composer.compose``
(or the optional ``llm.LlmAnswerer``) → ``guard.finish`` (numbered citations, the figure guard) or
``guard.refuse``. A follow-up naming a meeting by its place ("the next meeting") is first resolved against
the meetings in the index (``retrieval.meetings``) and searched within that meeting's papers.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from core.catalogue import Catalogue
from core.dates import find_dates, find_days_of_year, from_key, human_date, month_label
from core.errors import BadQuestion, check_question
from core.records import Filters
from core.settings import AnswerSettings, HistorySettings, LlmSettings, Settings
from retrieval.answer.citations import REFUSAL, Answer, make_citation
from retrieval.answer.compose import PROPOSED_ASKED, Composer
from retrieval.answer.figures import FigureSeries
from retrieval.answer.guard import refuse
from retrieval.answer.history import HistoryAnswerer, read_history_question
from retrieval.answer.membership import MembershipAnswerer
from retrieval.answer.schedule import ScheduleAnswerer
from retrieval.answer.units import split_units
from retrieval.answer.votes import RecordAnswerer, VoteAnswerer
from retrieval.committees import CommitteeNames, names_body, other_authority
from retrieval.glossary import build_glossary, spell_out
from retrieval.history import History, rules_digest, unit_vectors
from retrieval.hybrid import Candidate, HybridSearcher, digest
from retrieval.meetings import (
    Meeting,
    MeetingCalendar,
    MeetingFollowUp,
    find_reference,
    meeting_day,
    names_meeting_month,
    resolve_follow_up,
)
from retrieval.query import LAST_MONTH, Intent, Query, is_english, understand
from retrieval.spelling import Speller, english_words
from store.index import PanelIndex

# The extractive answer is ready at once; it is handed to ``on_token`` a sentence or a list line at a time.
PIECE = re.compile(r"(?<=\n)|(?<=\. )")
# A question about a body whose papers are not held: how deep in the ranking passages naming it are looked for,
# and how many of them join the candidates.
UNHELD_REACH = 24
UNHELD_NAMING = 2
YEAR_WRITTEN = re.compile(r"\b(?:19|20)\d\d\b")  # "last July (2019)": a year the asker wrote


def selected(answer: Answer, candidates: list[Candidate]) -> list[Candidate]:
    """The passages an extractive answer cites, in the order it cites them."""
    by_id = {c.id: c for c in candidates}
    chosen = dict.fromkeys(c.chunk_id for c in answer.citations if c.chunk_id in by_id)
    return [by_id[chunk_id] for chunk_id in chosen] or candidates[:1]


class Assistant:
    def __init__(self, index: PanelIndex, answer: AnswerSettings | None = None, llm: LlmSettings | None = None,
                 council_glossary: dict[str, str] | None = None, searcher: HybridSearcher | None = None,
                 history: HistorySettings | None = None):
        self.index = index
        self.home_committee = (answer or AnswerSettings()).home_committee or None
        self.committee_boost = (answer or AnswerSettings()).committee_boost
        self.correct_spelling = (answer or AnswerSettings()).correct_spelling
        self.history_settings = history or HistorySettings()
        self.searcher = searcher or HybridSearcher(index)
        self.glossary = self.searcher.derived(f"glossary-{digest(council_glossary)}",
                                              lambda: build_glossary(self.searcher.texts, council_glossary))
        self.composer = Composer(self.searcher, answer, glossary=self.glossary)
        self.figures: FigureSeries = self.composer.figures
        # What is built from the whole index (the meeting calendar, the history): name -> (index signature, it).
        self._built: dict[str, tuple[str, Any]] = {}
        self.history_answerer = HistoryAnswerer(self.searcher)
        self.votes = VoteAnswerer(self.searcher, self.composer)
        self.records = RecordAnswerer(self.searcher, self.composer)
        self.membership = MembershipAnswerer(self.searcher, self.home_committee)
        self.schedule = ScheduleAnswerer(self.searcher, self.composer, self.meetings, self.membership.committee_meant)
        self.llm = None
        if llm is not None and llm.enabled:
            from retrieval.answer.llm import LlmAnswerer

            self.llm = LlmAnswerer.from_settings(llm)

    @classmethod
    def open(cls, settings: Settings | None = None, index: PanelIndex | None = None) -> Assistant:
        """The assistant over the configured index, each part given its section of the settings."""
        settings = settings or Settings.load()
        return cls(index or PanelIndex(settings.store), settings.answer, settings.llm,
                   Catalogue.load(settings.ingest.corpus_dir).glossary, history=settings.history)

    def prepare(self) -> None:
        """Build what answering reads from the whole index (the search state, the meeting calendar, the
        topic history, the figure series, the rows' meanings and the vote book), so that it is in this index version's
        snapshot: ``panel-papers ingest`` calls this, and the next ``serve`` opens by reading files."""
        self.meetings()
        self.committees()
        self.speller()
        english_words()
        self.history()
        self.figures.indicators()
        self.composer.row_meanings()
        self.votes.book()

    def reference_date(self) -> date:
        """"Last July" means the July before the newest paper in the index, not before today."""
        newest = self._for_this_index("newest-meeting", lambda: max(
            (record.meeting_key for record in self.index.documents().values()), default=0))
        return from_key(newest) or date.today()

    def understand(self, question: str, history=None) -> Query:
        return understand(question, self.glossary, history, today=self.reference_date())

    def committees(self) -> CommitteeNames:
        """The committees of the index, to read which one a question means."""
        return self._for_this_index(f"committees-{digest(self.home_committee)}", lambda: CommitteeNames.from_committees(
            (chunk.committee for chunk in self.searcher.chunks), self.home_committee))

    @staticmethod
    def _unminuted(answer: Answer, question: str, query: Query, candidates: list[Candidate], held: list[Meeting],
                   date_prefix: str, meeting: str) -> Answer:
        """The answer, or a refusal where no minutes of the meetings ``held`` then are indexed and no minute of
        a meeting dated so (``date_prefix``: a day, or a month's "2025-03-") is cited: its papers say what was to
        be decided, only its minutes what was."""
        minuted = any((c.meeting_date or "").startswith(date_prefix) and (c.item or "").startswith("minute")
                      for c in answer.citations)
        if any(m.minutes for m in held) or minuted:
            return answer
        papers = any(m.papers for m in held)
        return refuse(Answer(question=question, text="", answered=False, query=query.text,
                             confidence=answer.confidence, evidence=answer.evidence), candidates,
                      f"they hold {'the papers for' if papers else 'no minutes of'} {meeting}"
                      f"{' but not its minutes' if papers else ''}, which record what it decided")

    def retrieve(self, question: str, history=None, filters: Filters | None = None,
                 k: int = 8) -> tuple[Query, list[Candidate]]:
        corrected, corrections = check_question(question), []
        if self.correct_spelling:
            corrected, corrections = self.speller().correct(corrected)
        query = self.understand(corrected, history)
        query.corrections = corrections
        earlier = [t if isinstance(t, str) else t[0] for t in history or []]
        query.committee = self.committees().meant(query.text, earlier)
        state = self.searcher.state
        query.unheld_body = (self.committees().unknown_named(query.text)
                             or other_authority(query.text, state.document_frequency, len(state.ids)))
        query.committee_boost = self.committee_boost
        for part in query.parts:
            part.committee, part.committee_boost = query.committee, query.committee_boost
        for asked in (query, *query.parts):
            if not asked.day and (days := find_days_of_year(asked.text)):
                # "what did cabinet resolve on 9 jan?": the day of the latest meeting held on it
                asked.day = self.meetings().latest_on_day_of_year(*days[0])
            if asked.month and LAST_MONTH.search(asked.text) and not YEAR_WRITTEN.search(asked.text):
                # "after we discussed the stocktake last July": the latest July the papers have a meeting in, where
                # the July before the newest paper has none
                asked.month = self.meetings().latest_month_held(*asked.month)
                asked.year = asked.month[0]
        candidates = self.searcher.search(query, k=k, filters=filters)
        if query.unheld_body and query.intent == Intent.DECISION:
            # No paper of the body asked about is held, so only a passage naming it can say what it decided ("The
            # Children's and Young People Cabinet Committee endorsed the KCP on 21 November 2024"): the best such
            # passages ranked below the k are brought in, in place of the last. (Not for other questions about
            # it: a passage that only mentions Medway Council would answer "what is Medway's band D tax?")
            found = {c.id for c in candidates}
            naming = [c for c in self.searcher.search(query, k=UNHELD_REACH, filters=filters)
                      if c.id not in found and names_body(query.unheld_body, c.chunk.text)][:UNHELD_NAMING]
            if naming:
                candidates = candidates[: max(1, k - len(naming))] + naming
        return query, candidates

    def _for_this_index(self, name: str, build: Callable[[], Any]) -> Any:
        """What ``build`` makes from the index's records, made again only when the index changes, and kept
        with the index's snapshot so a reopened index reads it (``name`` says what else it depends on)."""
        self.searcher.ensure_fresh()
        signature = self.searcher.signature
        built = self._built.get(name)
        if built is None or built[0] != signature:
            built = self._built[name] = (signature, self.searcher.derived(name, build))
        return built[1]

    def speller(self) -> Speller:
        """Puts misspelt question words right against this index's words."""
        return self._for_this_index("speller", lambda: Speller(self.searcher.state.document_frequency))

    def meetings(self) -> MeetingCalendar:
        """The meetings the index knows of."""
        return self._for_this_index("meetings", lambda: MeetingCalendar.from_records(
            self.index.documents().values(), self.searcher.chunks))

    def history(self) -> History:
        """Every minute and agenda paper as a history, with the follow-up register (titles are embedded
        through the embedding cache, so a reopened index is quick), kept with the index's snapshot."""
        embeddings = self.index.embeddings
        name = (f"history-{digest([self.history_settings, getattr(embeddings, 'identity', ''), self.glossary])}"
                f"-{rules_digest()}")
        history = self._for_this_index(name, self.build_history)
        if history.embed is None:  # read back from the snapshot
            history.attach(self._embed_units, self._spell_out)
        return history

    def build_history(self) -> History:
        """The history made afresh from the index's records (``history`` keeps it; ``evals.history`` times it)."""
        return History.build(self.index.documents(), self.searcher.chunks, self.index.all_decisions(),
                             embed=self._embed_units, settings=self.history_settings, expand=self._spell_out)

    def _embed_units(self, texts: list[str]):
        return unit_vectors(self.index.embeddings.embed_documents(texts))

    def _spell_out(self, text: str) -> str:
        return spell_out(text, self.glossary)

    def meeting_follow_up(self, question: str, history=None, filters: Filters | None = None) -> MeetingFollowUp | None:
        """"And what happened at the next meeting?": the meeting meant, found from the conversation; None for
        any other question."""
        if not history or find_reference(question) is None:
            return None
        turns = [(t, "") if isinstance(t, str) else (t[0], t[1] if len(t) > 1 else "") for t in history]
        # A refusal is about no meeting; its list of closest passages would name their packs' dates.
        readable = [(q, "" if (a or "").startswith(REFUSAL) else a or "") for q, a in turns]

        def cited(position: int) -> list[tuple[str | None, str | None]]:
            """The meetings of the passages that turn's answer cites (its answer is made again)."""
            if not readable[position][1]:
                return []
            try:
                query, candidates = self.retrieve(turns[position][0], turns[:position], filters)
            except BadQuestion:  # an earlier turn that could not be asked is about no meeting
                return []
            answer = self.composer.compose(turns[position][0], query, candidates)
            chunks = [self.searcher.chunk_by_id(c.chunk_id) for c in answer.citations] if answer.answered else []
            return [(c.committee, c.meeting_date) for c in chunks if c is not None]

        return resolve_follow_up(question, readable, self.meetings(), cited)

    def _meeting_answer(self, question: str, follow_up: MeetingFollowUp, filters: Filters | None
                        ) -> tuple[Answer, Query | None, list[Candidate]]:
        """The answer from the meeting's own papers (its minutes first), opened by which meeting it is; or, where
        the papers cannot say, which meeting it is and that its minutes are not indexed, citing the page that
        shows the meeting took place."""
        if follow_up.searchable:
            query = understand(follow_up.question, self.glossary, today=self.reference_date())
            candidates = self.searcher.search(query, k=8, filters=follow_up.filters(filters))
            return self.composer.compose(question, query, candidates), query, candidates
        answer = Answer(question=question, text=follow_up.statement(False), answered=False, query=follow_up.question)
        meeting = follow_up.meeting or follow_up.anchor
        shown = [c for c in (self.searcher.chunk_by_id(i) for i in meeting.shown_by) if c is not None]
        if shown:
            units = split_units(shown[0], 0)
            naming = [u for u in units if any(d.isoformat() == meeting.date for d in find_dates(u.text))]
            if naming or units:
                answer.citations = [make_citation(1, (naming or units)[0])]
                answer.text += " [1]"
        return answer, None, []

    def ask(self, question: str, history=None, filters: Filters | None = None,
            on_token: Callable[[str], None] | None = None) -> Answer:
        """Answer from the papers, or refuse. ``on_token`` receives the answer's checked text as it is made
        (see ``llm.py`` for what streams in LLM mode); the returned answer is the whole, final one."""
        started = time.perf_counter()
        question = check_question(question)
        if not is_english(question):
            return Answer(question=question, answered=False, query=question, seconds=time.perf_counter() - started,
                          text=f"{REFUSAL} They are written in English: please ask again in English.")
        follow_up = self.meeting_follow_up(question, history, filters)
        history_question = read_history_question(question) if follow_up is None else None
        from_records = None
        if history_question is not None:
            from_records = self.history_answerer.answer(question, history_question, self.history(),
                                                        filters.committee if filters else None)
        if from_records is not None:
            answer, query, candidates = from_records, None, []
        elif follow_up is not None:
            answer, query, candidates = self._meeting_answer(question, follow_up, filters)
        else:
            query, candidates = self.retrieve(question, history, filters)
            # A question about a vote or a record of decision is answered from those records (counts, outcome,
            # each member's side; number, maker, decision, reasons), one about who sits on a committee from its
            # newest front sheet's membership list;
            # like a history answer, a list of records the LLM does not rewrite.
            from_records = (self.votes.answer(question, query, candidates, filters)
                            or self.records.answer(question, query, candidates, filters)
                            or self.membership.answer(question, query, filters)
                            or self.schedule.answer(question, query, candidates, filters)
                            or self.schedule.venue(question, query, candidates, filters)
                            or self.schedule.hours(question, query, candidates, filters))
            answer = from_records or self.votes.no_count_said(query, self.composer.compose(question, query, candidates),
                                                              candidates)
            day = meeting_day(question)
            if answer.answered and day and not any(m.papers or m.minutes for m in self.meetings().on(day.isoformat())) \
                    and day not in find_dates(answer.text):
                # "at its meeting on 23 January 2025": neither papers nor minutes of that day's meeting are held,
                # and the answer does not name the day; another meeting's business is no answer.
                answer = refuse(Answer(question=question, text="", answered=False, query=query.text,
                                       confidence=answer.confidence, evidence=answer.evidence), candidates,
                                f"they hold no papers of a meeting on {human_date(day.isoformat())}")
            elif from_records is None and query.intent == Intent.DECISION and not PROPOSED_ASKED.search(question):
                # "What did full council decide at its meeting on 13 March 2025?": its agenda is held but not its
                # minutes, and no minute of that day is cited; the agenda's item says what was to be decided, not
                # what was. (Where the answer was refused already, this says why more plainly.) The same for a
                # meeting named by its month ("did the County Council adopt the plan at its March 2025 meeting?").
                # (also where a paper only names the day ahead: "for approval by full Council on 13th February
                # 2025" says what was to be decided there, not what was)
                if day:
                    answer = self._unminuted(answer, question, query, candidates, self.meetings().on(day.isoformat()),
                                             day.isoformat(), f"the meeting on {human_date(day.isoformat())}")
                elif query.month and names_meeting_month(question):
                    year, month = query.month
                    answer = self._unminuted(answer, question, query, candidates, self.meetings().in_month(year, month),
                                             f"{year:04d}-{month:02d}-", f"a meeting in {month_label(query.month)}")
        opening = ""
        if follow_up is not None and query is not None:  # the meeting meant comes first, whatever follows
            opening = follow_up.statement(answer.answered) + "\n\n"
        if query is not None and query.corrections:  # say what was searched for, so a wrong guess shows
            read = ", ".join(f"“{typed}” as “{searched}”" for typed, searched in query.corrections)
            opening += f"(Read {read}.)\n\n"
        if self.llm is not None and answer.answered and from_records is None:
            # A history or register answer is a list of records, kept as it is.
            # The LLM writes from the passages the extractive answer selected (it refused already where
            # the refusal model said no); its text then passes the same gates.
            extractive = answer
            if opening and on_token:
                on_token(opening)
            # A meeting follow-up is put to the model with the meeting named ("... at its meeting of 1 November 2018").
            asked = follow_up.question if follow_up is not None else question
            answer = self.llm.answer(asked, query, selected(extractive, candidates), on_token=on_token)
            answer.question = question
            answer.confidence, answer.evidence = extractive.confidence, extractive.evidence
            answer.sure = extractive.sure
            answer.text = opening + answer.text
        else:
            answer.text = opening + answer.text
            if on_token:
                for piece in PIECE.split(answer.text):
                    if piece:
                        on_token(piece)
        answer.retrieved = [{"document": c.chunk.document, "page": c.chunk.page_start, "page_end": c.chunk.page_end,
                             "kind": str(c.chunk.kind), "dense": round(c.dense, 4), "chunk_id": c.id}
                            for c in candidates]
        answer.seconds = time.perf_counter() - started
        return answer
