"""Follow-ups that name a meeting by its place ("the next meeting", "the meeting before", "that meeting"),
on the built corpus: the meetings the index knows of, which one a follow-up means, and answers that say
which meeting they took and cite its minutes, or say plainly that its minutes are not indexed."""

from __future__ import annotations

import pytest

from core.dates import human_date
from core.records import ChunkKind
from retrieval.answer import Answer, Assistant
from retrieval.meetings import MeetingCalendar, MeetingReference, find_reference, resolve_follow_up

PANEL = "Corporate Parenting Panel"


@pytest.fixture(scope="module")
def assistant(corpus_settings, corpus_index):
    return Assistant.open(corpus_settings, corpus_index)


@pytest.fixture(scope="module")
def calendar(assistant) -> MeetingCalendar:
    return assistant.meetings()


def converse(assistant: Assistant, *questions: str) -> list[Answer]:
    """Ask in turn, each question with the conversation so far as its history (as the chat keeps it)."""
    history: list[tuple[str, str]] = []
    answers = []
    for question in questions:
        answer = assistant.ask(question, history=history)
        history.append((question, answer.text))
        answers.append(answer)
    return answers


def test_minutes_are_placed_at_the_meeting_they_record_not_their_pack(corpus_index, calendar):
    """Every decision's meeting has minutes in the calendar, found on the decision's own pages, and a pack
    printing them is the pack of a later meeting (minutes of X are approved at the meeting after X)."""
    decisions = corpus_index.all_decisions()
    assert decisions
    documents = corpus_index.documents()
    for decision in decisions:
        meetings = [m for m in calendar.on(decision.meeting_date) if m.committee == decision.committee]
        assert len(meetings) == 1, decision
        pages = [m for m in meetings[0].minutes if m.document == decision.document]
        assert pages and pages[0].first_page <= decision.page <= pages[0].last_page, decision
        assert documents[decision.document].meeting_key > decision.meeting_key
    # and every meeting with minutes is one the minutes record, printed in a later meeting's pack (a pack's
    # own meeting has none in its pack). Minutes kept as an action log record no RESOLVED: the Kent
    # Corporate Parenting Group's of 23 November 2015 are minutes without a decision.
    recorded = {(d.committee, d.meeting_date) for d in decisions}
    with_minutes = [m for meetings in calendar.by_committee.values() for m in meetings if m.has_minutes]
    assert recorded <= {(m.committee, m.date) for m in with_minutes}
    for meeting in with_minutes:
        assert all(documents[pages.document].meeting_key > meeting.key for pages in meeting.minutes), meeting


def test_meetings_named_only_by_a_later_minute_are_known_and_other_bodies_are_not(calendar, corpus_index):
    panel = [m.date for m in calendar.meetings(PANEL)]
    assert panel == sorted(panel)
    # "the minutes of the meeting held on 1 June 2018 are correctly recorded" (minutes of 19 July 2018): a
    # meeting with no papers indexed, but the one before 19 July 2018.
    june = next(m for m in calendar.meetings(PANEL) if m.date == "2018-06-01")
    assert not june.papers and not june.has_minutes and june.shown_by
    july = next(m for m in calendar.meetings(PANEL) if m.date == "2018-07-19")
    assert calendar.before(july) is june
    # "Minutes of the meeting of the Kent Corporate Parenting Group held on 24 September 2015" is another body's.
    assert "2015-09-24" not in panel
    # Every meeting a document is for is in the calendar, under the document's committee.
    for record in corpus_index.documents().values():
        assert any(m.date == record.meeting_date and record.document in m.papers
                   for m in calendar.meetings(record.committee))


@pytest.mark.parametrize("question,reference", [
    ("and what happened at the next meeting?", MeetingReference.NEXT),
    ("what about the meeting after that?", MeetingReference.NEXT),
    ("and the meeting before?", MeetingReference.PREVIOUS),
    ("what was decided at the previous meeting?", MeetingReference.PREVIOUS),
    ("who chaired that meeting?", MeetingReference.SAME),
    ("and at the same meeting?", MeetingReference.SAME),
])
def test_references_are_read(question, reference):
    found = find_reference(question)
    assert found is not None and found[0] == reference


def test_a_question_without_a_conversation_is_left_alone(assistant, calendar):
    assert resolve_follow_up("what happened at the next meeting?", [], calendar) is None
    assert assistant.meeting_follow_up("what did the panel resolve about the mind of my own app?",
                                       [("what happened at the last meeting?", "")]) is None


@pytest.mark.parametrize("first", [
    "what did the panel resolve about the mind of my own app?",  # a decision: its answer names the meeting
    "What does the report on children in Cookham Wood Young Offenders Institute say?",  # a report in a pack
    "What was said about the Corporate Parenting Panel Regional Meeting?",
])
@pytest.mark.parametrize("follow_up,reference", [
    ("and what happened at the next meeting?", MeetingReference.NEXT),
    ("what happened at the meeting before?", MeetingReference.PREVIOUS),
])
def test_next_and_previous_meeting_are_named_and_answered_from_their_minutes(assistant, calendar, first, follow_up,
                                                                              reference):
    earlier, answer = converse(assistant, first, follow_up)
    assert earlier.answered and earlier.citations
    anchor = next(m for m in calendar.meetings(PANEL) if m.date == earlier.citations[0].meeting_date)
    meant = calendar.after(anchor) if reference == MeetingReference.NEXT else calendar.before(anchor)
    assert meant is not None
    which = "next" if reference == MeetingReference.NEXT else "previous"
    # The answer opens by saying which meeting it took, and after which.
    assert answer.text.startswith(f"The {which} meeting of the {PANEL} in the papers is {human_date(meant.date)}, "), \
        answer.text
    assert f"the meeting of {human_date(anchor.date)}" in answer.text.split("\n")[0]
    if meant.has_minutes:  # answered from that meeting's minutes, and only from them
        assert answer.answered, answer.text
        assert answer.citations and {c.meeting_date for c in answer.citations} == {meant.date}
        for citation in answer.citations:
            pages = [m for m in meant.minutes if m.document == citation.document]
            assert pages and pages[0].first_page <= citation.page <= pages[0].last_page
        kinds = {str(c["kind"]) for c in answer.retrieved}
        assert ChunkKind.DECISION.value in kinds
    else:  # said plainly, with the page that shows the meeting took place
        assert not answer.answered
        assert "its minutes are not among the papers indexed, so what happened there is not known" in answer.text
        assert answer.citations and answer.citations[0].chunk_id in meant.shown_by


def test_the_meeting_before_the_next_is_the_first_again_with_its_minutes(assistant):
    """A chain of follow-ups reads each answer's meeting: next, then the one before it, is the meeting the
    conversation began with, answered from its minutes."""
    first, after, back = converse(assistant, "what did the panel resolve about the mind of my own app?",
                                  "and what happened at the next meeting?",
                                  "and what happened at the meeting before that?")
    began = first.citations[0].meeting_date
    assert began == "2018-11-01"
    assert after.text.startswith(f"The next meeting of the {PANEL} in the papers is 29 January 2019")
    assert back.text.startswith(f"The previous meeting of the {PANEL} in the papers is {human_date(began)}")
    assert back.answered and back.citations
    assert all(c.meeting_date == began for c in back.citations)
    assert "minute" in back.text and "be noted" in back.text


def test_a_topic_follow_up_searches_the_topic_at_that_meeting(assistant):
    """"and the meeting before that?" carries the earlier question's topic to the meeting meant: the report
    searched in that meeting's own papers, saying its minutes are not indexed."""
    _, after, before = converse(assistant,
                                "What does the report on children in Cookham Wood Young Offenders Institute say?",
                                "and what happened at the next meeting?", "and the meeting before that?")
    assert after.answered and after.text.startswith(f"The next meeting of the {PANEL} in the papers is 1 November 2018")
    assert "Cookham Wood" in before.query and "19 September 2018" in before.query
    assert before.text.startswith(f"The previous meeting of the {PANEL} in the papers is 19 September 2018")
    assert "its minutes are not among the papers indexed, so this is from the papers put to it" in before.text
    assert before.answered and all(c.meeting_date == "2018-09-19" for c in before.citations)
    assert "Cookham Wood" in before.text


def test_that_meeting_is_the_one_the_conversation_was_about(assistant):
    first, same = converse(assistant, "Who was elected Vice-Chairman in November 2018?",
                           "and what was decided at the same meeting about the annual report?")
    assert first.citations[0].meeting_date == "2018-11-01"
    assert same.text.startswith(f"The meeting meant is that of the {PANEL} on 1 November 2018")
    assert same.answered and {c.meeting_date for c in same.citations} == {"2018-11-01"}
    assert "Annual Report" in same.text


def test_there_is_no_meeting_after_the_latest(assistant, calendar):
    latest = calendar.meetings(PANEL)[-1]
    first, after = converse(assistant, f"What was on the agenda of the {PANEL} on {human_date(latest.date)}?",
                            "and what happened at the next meeting?")
    assert not after.answered
    assert after.text.startswith(f"The papers hold no meeting of the {PANEL} after the meeting of "
                                 f"{human_date(latest.date)}")


def test_a_meeting_follow_up_streams_its_whole_text_opening_first(assistant):
    first = "what did the panel resolve about the mind of my own app?"
    earlier = assistant.ask(first)
    for follow_up in ("and what happened at the next meeting?", "what happened at the meeting before that?"):
        pieces: list[str] = []
        answer = assistant.ask(follow_up, history=[(first, earlier.text)], on_token=pieces.append)
        assert "".join(pieces) == answer.text
        assert pieces[0].startswith("The ") and "meeting of the Corporate Parenting Panel" in pieces[0]


def test_the_llm_is_asked_about_the_meeting_meant(corpus_settings, corpus_index):
    """In LLM mode the model gets the question with the meeting named by its date, and the answer still
    opens with which meeting it is."""
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    from retrieval.answer.llm import LlmAnswerer

    seen: list = []

    class Recording(GenericFakeChatModel):
        def _generate(self, messages, stop=None, run_manager=None, **kwargs):
            seen.append(messages)
            return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)

    llm_assistant = Assistant.open(corpus_settings, corpus_index)
    first = "What does the report on children in Cookham Wood Young Offenders Institute say?"
    earlier = llm_assistant.ask(first)
    llm_assistant.llm = LlmAnswerer(Recording(messages=iter([AIMessage(
        content="It was RESOLVED that the membership change be noted [1].")])))
    answer = llm_assistant.ask("and what happened at the next meeting?", history=[(first, earlier.text)])
    _, human = seen[-1]
    assert "meeting of 1 November 2018" in human.content.split("Question:")[-1]
    assert answer.question == "and what happened at the next meeting?"
    assert answer.text.startswith("The next meeting of the Corporate Parenting Panel in the papers is 1 November 2018")


def test_a_day_named_without_its_year_is_the_latest_meeting_held_on_it(calendar):
    """"What did the panel resolve on 1 nov?": the day of the meeting held on it; a day no meeting was held on
    names none."""
    from core.dates import find_days_of_year

    assert find_days_of_year("what did we resolve on 1st Nov, and on 19 july 2018, or 30 feb?") == [(11, 1)]
    assert calendar.latest_on_day_of_year(*find_days_of_year("at the 19 July meeting")[0]) == 20180719
    assert calendar.latest_on_day_of_year(11, 1) == 20181101
    assert calendar.latest_on_day_of_year(11, 2) is None


def test_last_month_is_the_latest_such_month_a_meeting_was_held_in(calendar, assistant):
    """"Last July", said of papers whose newest is March 2020, is July 2018, when the panel last met in a July;
    a month with a meeting is itself."""
    assert calendar.latest_month_held(2019, 7) == (2018, 7)
    assert calendar.latest_month_held(2018, 11) == (2018, 11)
    assert calendar.latest_month_held(2019, 8) == (2019, 8)  # (no August meeting in ten years: left as asked)
    query, _ = assistant.retrieve("what did the panel ask for after the fostering stocktake last July?")
    assert query.month == (2018, 7)
    query, _ = assistant.retrieve("what did the panel ask for last July (2019)?")
    assert query.month == (2019, 7)  # a year written is kept
