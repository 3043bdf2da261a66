"""The topic history and the follow-up register (retrieval/history.py), on the real sample corpus index: the
hand-made lists' floors, the records' consistency, the chat answers, and a rebuild when papers change."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from core.records import ChunkKind, StoredChunk
from core.settings import HistorySettings, Settings
from evals.history import THRESHOLDS, evaluate
from ingest.pipeline import ingest_paths
from retrieval.answer import Assistant
from retrieval.answer.history import HistoryAsk, read_history_question
from retrieval.history import (
    EntryKind,
    History,
    HistoryEntry,
    asks,
    decision_parts,
    is_request,
    request_words,
    to_another_body,
    topic_title,
    unit_vectors,
)

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def assistant(corpus_settings, corpus_index) -> Assistant:
    return Assistant.open(corpus_settings, corpus_index)


@pytest.fixture(scope="module")
def history(assistant):
    return assistant.history()


@pytest.fixture(scope="module")
def scores(history, corpus_settings):
    return evaluate(history, Path(corpus_settings.ingest.corpus_dir))


def test_register_and_timelines_hold_their_floors(scores):
    """The floors of evals/thresholds.toml [history], for the dev part and the whole list: a regression in
    finding requests, pairing them or tracing topics fails here."""
    floors = tomllib.loads(THRESHOLDS.read_text())["history"]
    failed = []
    for part in ("dev", "all"):
        register, timelines = scores[part]["register"], scores[part]["timelines"]
        measured = {"register_recall": register["recall"], "register_paired": register["paired"],
                    "timeline_recall": timelines["mean_recall"]}
        for name, value in measured.items():
            if value < floors[f"{part}_{name}"]:
                failed.append(f"{part} {name} {value:.3f} < {floors[f'{part}_{name}']}")
        if register["spurious"] > floors[f"{part}_register_spurious_max"]:
            failed.append(f"{part} spurious {register['spurious']:.3f} > {floors[f'{part}_register_spurious_max']}")
        if timelines["unrelated_per_topic"] > floors[f"{part}_timeline_unrelated_max"]:
            failed.append(f"{part} unrelated per topic {timelines['unrelated_per_topic']:.2f}")
        assert timelines["in_order"], f"{part}: a timeline out of date order"
    assert not failed, failed


def test_the_test_parts_failures_are_never_listed():
    """``python -m evals.history --split test`` prints the test part's scores, never which requests it missed."""
    from evals.history import lines_for

    register = {"requests": 2, "found": 1, "recall": 0.5, "spurious": 0.0, "answered": 0, "paired": 0.0,
                "wrongly_answered": 0, "open": 1, "missed": ["2018-07-19 minute 95: a test request"],
                "spurious_found": [], "mispaired": [], "wrongly_answered_list": []}
    timelines = {"topics": 1, "mean_recall": 1.0, "min_recall": 1.0, "topics_at_90": 1, "unrelated_per_topic": 0.0,
                 "in_order": True, "per_topic": [{"topic": "t", "missed": ["an entry"], "unrelated_found": []}]}
    scores = {"register": register, "timelines": timelines}
    assert not any("a test request" in line or "an entry" in line
                   for line in lines_for("Sample corpus index", {"test": scores}))
    assert any("a test request" in line for line in lines_for("Sample corpus index", {"dev": scores, "test": scores}))


def test_the_fictional_minutes_gold_quotes_its_minutes():
    """Every request, near miss and timeline decision of evals/minutes_dev and evals/minutes_heldout quotes its
    minutes once (line breaks and runs of spaces ignored), and every answer comes at a later meeting."""
    from evals.history import MINUTES_DEV, MINUTES_HELDOUT, load

    def flat(text: str) -> str:
        return " ".join(text.split())

    folders = sorted(p for source in (MINUTES_DEV, MINUTES_HELDOUT) for p in source.iterdir() if p.is_dir())
    assert folders
    for folder in folders:
        texts = {p.with_suffix(".pdf").name: flat(p.read_text(encoding="utf-8")) for p in folder.glob("*.txt")}
        by_date = {}
        for name, text in texts.items():
            by_date.setdefault(re.search(r"\d{4}-\d\d-\d\d", name).group(), []).append(text)
        for line in load(folder / "followups.jsonl"):
            assert texts[line["document"]].count(flat(line["request"])) == 1, line["id"]
            if line["answered_by"]:
                assert line["answered_by"]["meeting_date"] > line["meeting_date"], line["id"]
        for line in load(folder / "near_misses.jsonl"):
            assert sum(t.count(flat(line["text"])) for t in by_date[line["meeting_date"]]) == 1, line["text"]
        for topic in load(folder / "timelines.jsonl"):
            for entry in topic["entries"]:
                if entry.get("decision"):
                    assert texts[entry["document"]].count(flat(entry["decision"])) == 1, topic["id"]


def test_minutes_of_other_councils_hold_their_floors(tmp_path, embeddings):
    """Minutes of fictional councils written by hand, blind to the code (evals/minutes_dev): Kent's style and
    another ("CYP/24/4  Title", "RESOLVED: That (a) ...; (b) ..."), rendered to PDFs and read through the real
    ingest. The register finds their follow-ups, and the timelines their topics, as evals/thresholds.toml
    [history] requires."""
    from evals.history import MINUTES_DEV, minutes_dev_pdfs, score_minutes_dev
    from store.index import PanelIndex

    settings = Settings.build(index_dir=tmp_path / "index", corpus_dir=REPO / "corpus")
    pdfs = minutes_dev_pdfs(MINUTES_DEV, tmp_path / "pdfs")
    assert ingest_paths(pdfs, settings.ingest, PanelIndex(settings.store, embeddings), progress=False).ok
    history = Assistant.open(settings, PanelIndex(settings.store, embeddings)).history()
    register, timelines = score_minutes_dev(history, MINUTES_DEV, pdfs)
    floors = tomllib.loads(THRESHOLDS.read_text())["history"]
    assert register["recall"] >= floors["minutes_dev_register_recall"], register["missed"]
    assert register["spurious"] <= floors["minutes_dev_register_spurious_max"], register["spurious_found"]
    assert register["paired"] >= floors["minutes_dev_register_paired"], register["mispaired"]
    assert timelines["mean_recall"] >= floors["minutes_dev_timeline_recall"]
    assert timelines["unrelated_per_topic"] <= floors["minutes_dev_timeline_unrelated_max"]
    assert timelines["in_order"]


def test_a_request_in_minutes_numbered_by_paragraph_cites_its_paragraph(tmp_path, embeddings):
    """Minutes that number their paragraphs on across items (a Welsh council's style): each request is its item's,
    cited by the paragraph that holds it, as a clerk cites it ("minute 14, paragraph 16"), in the CSV too; and a
    paragraph after an item's RESOLVED ("Under matters arising, ...") is still that item's, not a paper appended."""
    from app.service import request_row
    from evals.pdf_factory import text_pdf
    from store.index import PanelIndex

    text = ("TREFOR COUNTY BOROUGH COUNCIL\n\nMinutes of the meeting of the Corporate Parenting Committee held on "
            "Tuesday 8 February 2022 at 10.00 a.m.\n\nDeclarations of Interest\n\n"
            "11. No declarations of interest were made at the meeting by any Member present.\n\n"
            "Minutes of the Previous Meeting\n\n"
            "12. RESOLVED that the minutes of the meeting held on 9 November 2021 be confirmed as a correct record.\n"
            "13. Under matters arising, the Head of Children's Services undertook to circulate the revised\n"
            "protocol on children missing from care to all Members of the Committee by the end of February.\n\n"
            "Supported Lodgings for Care Leavers\n\n"
            "14. Consideration was given to a report of the Head of Children's Services on the supported\n"
            "lodgings scheme, which had twelve hosts at the end of December 2021.\n"
            "15. Members asked how the scheme was promoted, and it was explained that the service relied\n"
            "on word of mouth among foster carers and their friends.\n"
            "16. AGREED: That a report on a spring campaign to recruit hosts be presented to the next meeting.\n")
    pdf = tmp_path / "trefor-cpc-2022-02-08-minutes.pdf"
    text_pdf(pdf, [text])
    settings = Settings.build(index_dir=tmp_path / "index", corpus_dir=REPO / "corpus")
    assert ingest_paths([pdf], settings.ingest, PanelIndex(settings.store, embeddings), progress=False).ok
    history = Assistant.open(settings, PanelIndex(settings.store, embeddings)).history()
    campaign = next(r for r in history.requests if "spring campaign" in r.words)
    assert (campaign.entry.minute, campaign.entry.title, campaign.paragraph) == (
        "14", "Supported Lodgings for Care Leavers", "16")
    assert campaign.label == "minute 14, paragraph 16" and request_row(campaign)["minute"] == "16"
    protocol = next(r for r in history.requests if "revised protocol" in r.words)
    assert (protocol.entry.minute, protocol.entry.title, protocol.paragraph) == (
        "12", "Minutes of the Previous Meeting", "13")
    assert len(history.requests) == 2


def test_minutes_in_the_scottish_style_are_read_with_their_decisions_and_references(tmp_path, embeddings):
    """Minutes headed only by the committee, the time and date and "Present" (as many Scottish councils print them)
    are minutes: each numbered item a minute, its "Decision" lines its decision. A decision approving a motion is the
    motion's words (its request is the committee's), and an amendment that lost asks nothing. A later minute whose
    references line names the earlier one ("10 October 2023 (item 6)"), or that names its meeting by date ("On 10
    October 2023, the Committee requested ..."), brings that request back; its telling of the earlier request is no
    request of its own."""
    from evals.pdf_factory import text_pdf
    from store.index import PanelIndex

    october = ("Children and Families Committee\n\n10.00 am, Tuesday 10 October 2023\n\nPresent\n\n"
               "Councillors Lindsay (Convener), Baird and Aitken.\n\n"
               "1. Minutes\n\nDecision\n\nTo approve the minute of the Children and Families Committee of 15 "
               "August 2023 as a correct record.\n\n(Reference – minute of 15 August 2023, submitted.)\n\n"
               "2. Corporate Parenting Action Plan – Progress Report\n\n"
               "Details were provided on the first six months of the Corporate Parenting Action Plan.\n\n"
               "Motion\n\n1) To note the progress made.\n\n2) To request a further report within two cycles on "
               "progress against the twelve priority actions.\n\n"
               "- moved by Councillor Lindsay, seconded by Councillor Baird\n\nAmendment\n\nTo add a new paragraph "
               "3:\n\n3) To request a report within one cycle on free leisure access for care leavers.\n\n"
               "- moved by Councillor Aitken, seconded by Councillor Baird\n\n"
               "Voting\n\nFor the motion – 2 votes\nFor the amendment – 1 vote\n\n"
               "Decision\n\nTo approve the motion by Councillor Lindsay.\n\n"
               "(References – report by the Executive Director, submitted.)\n\n"
               "3. Date of Next Meeting\n\nThe next meeting would be held on 5 December 2023.\n")
    march = ("Children and Families Committee\n\n10.00 am, Tuesday 12 March 2024\n\nPresent\n\n"
             "Councillors Lindsay (Convener), Baird and Aitken.\n\n"
             "1. Minutes\n\nDecision\n\nTo approve the minute of the Children and Families Committee of 10 "
             "October 2023 as a correct record.\n\n(Reference – minute of 10 October 2023, submitted.)\n\n"
             "2. Corporate Parenting Action Plan – Twelve-Month Report\n\n"
             "On 10 October 2023, the Committee requested a further report within two cycles on progress against "
             "the twelve priority actions. Nine of the twelve actions were now complete.\n\n"
             "Decision\n\n1) To note the report.\n\n"
             "(References – Children and Families Committee, 10 October 2023 (item 2); report by the Executive "
             "Director, submitted.)\n\n3. Date of Next Meeting\n\nThe next meeting would be held on 21 May 2024.\n")
    pdfs = [tmp_path / "kelso-cfc-2023-10-10-minutes.pdf", tmp_path / "kelso-cfc-2024-03-12-minutes.pdf"]
    for pdf, text in zip(pdfs, (october, march), strict=True):
        text_pdf(pdf, [text])
    settings = Settings.build(index_dir=tmp_path / "index", corpus_dir=REPO / "corpus")
    assert ingest_paths(pdfs, settings.ingest, PanelIndex(settings.store, embeddings), progress=False).ok
    history = Assistant.open(settings, PanelIndex(settings.store, embeddings)).history()
    plan = next(e for e in history.entries if e.meeting_date == "2023-10-10" and e.minute == "2")
    assert plan.committee == "Children and Families Committee" and plan.decision.startswith(
        "To approve the motion by Councillor Lindsay. 1) To note the progress made.")
    assert [(r.meeting_date, r.source) for r in history.requests] == [("2023-10-10", "resolution")]
    [progress] = history.requests
    assert "twelve priority actions" in progress.words and "leisure" not in progress.words
    assert progress.answer is not None
    assert progress.answer.title == "Corporate Parenting Action Plan – Twelve-Month Report"


def test_minutes_that_number_nothing_are_read_item_by_item_with_their_decisions(tmp_path, embeddings):
    """Minutes headed "MEETING OF THE ... COMMITTEE HELD IN ..." (as Northern Ireland's councils print them) number
    nothing: each plain title line heads an item, and "After discussion, the Committee agreed that ..." is its
    decision. A request there is the item's, and the later item that brings it back answers it, as does one that
    cites it by the day and month of its meeting; a section heading in capitals and a member leaving under a title are
    no items."""
    from evals.pdf_factory import text_pdf
    from store.index import PanelIndex

    def minutes(day: str, items: str) -> str:
        return ("CARNLEA DISTRICT COUNCIL\n\nLeisure and Communities Committee\n\n" + day + "\n\n"
                "MEETING OF THE LEISURE AND COMMUNITIES COMMITTEE HELD IN THE COUNCIL CHAMBER,\nCARNLEA HOUSE\n\n"
                "Members present:   Councillor Breen (Chairperson);\n                   Councillors Doyle, Hanna "
                "and Moore.\n\nApologies\n\nApologies for inability to attend were reported from Councillor "
                "Quinn.\n\n" + items)

    january = minutes("Tuesday, 14th January, 2025", (
        "COMMITTEE/STRATEGIC ISSUES\n\nPlay Park Accessibility\n\n(Councillor Hanna, having declared an "
        "interest, left the meeting at this point.)\n\nThe Parks Manager reported that four of the Council's "
        "thirty play parks had equipment that children using wheelchairs could use.\n\nAfter discussion, the "
        "Committee agreed that an audit of the accessibility of every play park be carried out and that a\n"
        "report on its findings be submitted to the March meeting.\n\nKilcrory Pitch – Floodlights\n\nThe Head of "
        "Leisure reported that the floodlit pitch at Kilcrory was fully booked by clubs on weekday evenings.\n\n"
        "After discussion, the Committee agreed that officers examine the booking pattern at the pitch and\n"
        "submit a report to a future meeting on options for setting aside floodlit hours for young people.\n\n"
        "Summer Schemes 2025\n\nThe Head of "
        "Leisure reported on the summer schemes planned for July and August 2025.\n\nThe Committee noted the "
        "report.\n"))
    march = minutes("Tuesday, 11th March, 2025", (
        "Inclusive Play – Audit Findings\n\nFurther to the Committee's request at its meeting on 14th January, "
        "the Parks Manager presented the findings of the audit of the accessibility of the Council's play parks. "
        "Eleven parks needed new surfacing.\n\nAfter discussion, the Committee approved the programme of "
        "works set out in the report.\n\nOutdoor Sports Bookings Framework 2025/26\n\nThe Parks Manager presented the "
        "framework for bookings at the Council's outdoor pitches. He reminded the Committee that, at its meeting on "
        "14th January, it had asked for options for the pitch at Kilcrory. Two hours on two evenings each week would "
        "be kept for free Open Pitch sessions.\n\nThe Committee approved the framework.\n"))
    pdfs = [tmp_path / "carnlea-lcc-2025-01-14-minutes.pdf", tmp_path / "carnlea-lcc-2025-03-11-minutes.pdf"]
    for pdf, text in zip(pdfs, (january, march), strict=True):
        text_pdf(pdf, [text])
    settings = Settings.build(index_dir=tmp_path / "index", corpus_dir=REPO / "corpus")
    assert ingest_paths(pdfs, settings.ingest, PanelIndex(settings.store, embeddings), progress=False).ok
    history = Assistant.open(settings, PanelIndex(settings.store, embeddings)).history()
    titles = [(e.meeting_date, e.title) for e in history.entries if e.kind == EntryKind.MINUTE]
    assert [title for day, title in titles if day == "2025-01-14"] == [
        "Apologies", "Play Park Accessibility", "Kilcrory Pitch – Floodlights", "Summer Schemes 2025"]  # as printed
    play = next(e for e in history.entries if e.title == "Play Park Accessibility")
    assert play.committee == "Leisure and Communities Committee" and play.label == "minutes"
    assert play.decision.startswith("After discussion, the Committee agreed that an audit")
    assert len(history.requests) == 2
    audit = next(r for r in history.requests if "audit" in r.words)
    floodlights = next(r for r in history.requests if "floodlit" in r.words)
    assert audit.entry is play and audit.source == "resolution" and audit.due == "2025-03-11"
    assert audit.answer is not None and audit.answer.title == "Inclusive Play – Audit Findings"
    # (a later item reminding the Committee what it asked "at its meeting on 14th January" answers it)
    assert floodlights.answer is not None and floodlights.answer.title == "Outdoor Sports Bookings Framework 2025/26"


def test_every_request_stands_in_its_minute_and_any_answer_comes_later(history, corpus_index):
    chunks = {c.id: c for c in corpus_index.all_chunks()}
    assert history.requests
    for request in history.requests:
        entry = request.entry
        assert entry.kind == EntryKind.MINUTE
        said = " ".join([entry.decision or "", *(s for _, s in entry.pages)])
        assert request.words in said, request.words
        assert chunks[entry.chunk_id].document == entry.document
        assert 1 <= request.page <= corpus_index.documents()[entry.document].pages
        if request.answer is not None:
            assert request.answer.meeting_date > request.meeting_date
            if request.due:
                assert request.due > request.meeting_date
    # The register is oldest meeting first, and filters by status and date.
    register = history.register()
    assert [r.meeting_date for r in register] == sorted(r.meeting_date for r in register)
    open_ones = history.register(status="open")
    assert open_ones and all(not r.answered for r in open_ones)
    assert all(r.meeting_date >= "2018-01-01" for r in history.register(date_from=20180101))


def test_minutes_kept_as_an_action_log_are_numbered_minutes(corpus_index):
    """The Kent Corporate Parenting Group's minutes ("1. Welcome ...", "2. UASC Service Update", ...) name
    no item: ingest numbers them from their own run of titled items."""
    group = [c for c in corpus_index.all_chunks() if c.committee == "Kent Corporate Parenting Group"]
    numbers = sorted({int(c.minute) for c in group if c.minute and c.minute.isdigit()})
    assert len(numbers) >= 8 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    assert all(c.minute_title for c in group if c.minute)
    # They end with "Next Meetings": the report printed on the pages after it is no part of that minute.
    last = max((c for c in group if c.minute), key=lambda c: int(c.minute))
    assert re.match(r"Next Meetings?", last.minute_title)
    last_pages = {c.page_start for c in group if c.minute == last.minute}
    assert max(last_pages) <= min(last_pages) + 1, sorted(last_pages)


def test_agenda_items_without_papers_come_from_the_front_sheet(history):
    """A verbal update has no pages of its own, but the front sheet lists it: it is on the agenda."""
    items = [e for e in history.entries if e.kind == EntryKind.ITEM]
    verbal = [e for e in items if "verbal update" in e.title.lower()]
    assert any(entry.page <= 2 for entry in verbal), "no verbal-update item read from a front sheet"
    assert all("(Pages" not in entry.title for entry in items)


@pytest.mark.parametrize("question, ask", [
    ("What has the panel decided about the scorecard over time?", HistoryAsk.TIMELINE),
    ("what's the history of fostering decisions", HistoryAsk.TIMELINE),
    ("What is the panel still waiting for?", HistoryAsk.WAITING),
    ("what are we waiting on?", HistoryAsk.WAITING),
    ("which actions are still outstanding?", HistoryAsk.WAITING),
    ("What has the panel decided so far about Lifelong Links?", HistoryAsk.TIMELINE),
    ("did the update on the LILAC assessment ever come back?", HistoryAsk.CAME_BACK),
    ("when did the LILAC update come back to the panel?", HistoryAsk.CAME_BACK),
    ("What is the panel's position on care leavers' accommodation?", HistoryAsk.POSITION),
])
def test_history_questions_are_read(question, ask):
    read = read_history_question(question)
    assert read is not None and read.ask == ask
    if ask != HistoryAsk.WAITING:
        assert read.topic and "panel" not in read.topic.lower()


@pytest.mark.parametrize("question", ["What did the panel resolve about Mind Of My Own?",
                                      "How many children were in care in November 2018?",
                                      "Who is the vice-chairman?",
                                      # waiting, outstanding, so far and came back in questions of figures and facts
                                      "how long were children waiting on average for a CAMHS assessment in 2016?",
                                      "How many UASC arrived so far in 2018?",
                                      "How many children's homes are rated outstanding?",
                                      "what follow-up support do care leavers get?",
                                      "how many missing children came back within 24 hours?",
                                      # "came back" as the time of a decision asked
                                      "what did the panel resolve when the Lifelong Links challenge card came back?"])
def test_other_questions_are_not_history_questions(question):
    assert read_history_question(question) is None


def test_a_timeline_answer_cites_each_entry_in_date_order(assistant):
    answer = assistant.ask("What has the panel decided about the children in care performance scorecard over time?")
    assert answer.answered and len(answer.citations) >= 2, answer.text
    dates = [citation.meeting_date for citation in answer.citations]
    assert dates == sorted(dates)
    for line in answer.text.splitlines()[1:]:
        assert re.search(r"\[\d+\]", line), line  # every entry cites its page
    for citation in answer.citations:
        assert citation.quote and citation.quote in " ".join(citation.passage.split())


def test_the_waiting_list_and_a_came_back_answer_cite_both_pages(assistant, history):
    waiting = assistant.ask("What is the panel still waiting for?")
    assert waiting.answered and waiting.citations
    assert "not yet seen in the papers indexed" in waiting.text
    answered = [r for r in history.requests if r.answered]
    assert answered, "the corpus has requests answered at a later meeting"
    request = max(answered, key=lambda r: len(r.words))
    reply = assistant.ask(f"Did this come back: {request.words}?")
    assert reply.answered and "came back" in reply.text, reply.text
    cited = {c.meeting_date for c in reply.citations}
    assert {request.meeting_date, request.answer.meeting_date} <= cited  # the request's page and the answer's


def test_a_kept_history_is_read_again_once_its_rules_change(assistant, monkeypatch):
    """The register kept with the index's snapshot was read by the rules of its day: an upgrade that changes them
    builds it afresh, and the same rules read it back."""
    import retrieval.answer.assistant as assistant_module

    built = []
    real_build = assistant.build_history
    monkeypatch.setattr(assistant, "build_history", lambda: built.append(1) or real_build())
    assistant.history()  # (built, or read back, and kept)
    assistant._built.clear()
    built.clear()
    assistant.history()
    assert not built  # the kept one, read back
    monkeypatch.setattr(assistant_module, "rules_digest", lambda: "changed-rules")
    assistant._built.clear()
    assistant.history()
    assert built == [1]


def test_the_history_is_rebuilt_when_a_paper_is_added_or_removed(settings, embeddings):
    """Records made at ingest, history re-made from them: removing the pack that holds the minutes
    removes its requests; adding it back brings them back."""
    from store.index import PanelIndex

    index = PanelIndex(settings.store, embeddings)
    pack = REPO / "corpus" / "kent-cpp-2019-01-29-agenda-pack.pdf"
    assert ingest_paths([pack], settings.ingest, index, progress=False).ok
    assistant = Assistant.open(settings, index)
    before = assistant.history()
    assert before.requests and all(r.entry.document == pack.name for r in before.requests)
    index.remove(pack.name)
    assert not assistant.history().requests and not assistant.history().entries
    assert ingest_paths([pack], settings.ingest, index, progress=False).ok
    assert len(assistant.history().requests) == len(before.requests)


@pytest.mark.parametrize("sentence", [
    "Mr Smith agreed to circulate the figures to Members after the meeting.",
    "RESOLVED that a further report be submitted to a future meeting of the Committee.",
    "Action – Jane Doe to amend the report and circulate.",
    "The Director undertook to look into the matter and report back.",
    "Officers were asked to provide a briefing note on the backlog.",
    # Forms the minutes of other councils use, in sentences written for the test: a future or obligation
    # marker with a verb of following up, or of delivery with someone to receive it or a time.
    "Ms Okafor said she would look into the delays and let the Panel know.",
    "The revised terms of reference would be emailed to Members.",
    "Details of the respite offer would be provided to Members after the meeting.",
    "He did not have the figure to hand but would obtain it.",
    "The young people are going to tell you about the residential weekend at the next Panel.",
    "The Committee would receive a further update in the autumn.",
    "Future reports would include a comparison with statistical neighbours.",
    "The Chairman asked that the Panel be kept informed of progress with the bid.",
    "Members requested sight of the action plan once it was finalised.",
    "ACTION: officers to circulate the revised timetable before the next meeting.",
    "RESOLVED that officers investigate the complaints and report to the next meeting.",
    "The matter would be revisited once the national guidance was published.",
    "Details of the revised rota to follow.",
    "Ms Reed offered a briefing session for new Members.",
    # a meeting named by its month; "the next Board"; hearing back; a second verb far from the first
    "Fiona will share what foster carers who left said in their exit interviews at the January meeting.",
    "Yes, this could be brought to the next Board, together with the revised Staying Put policy.",
    "Cllr Marsh asked that the Board hear back from the Hive in the autumn on whether young people had noticed.",
    "The Cabinet Member undertook to raise the cost of bus travel for looked after young people and care leavers in "
    "further education with the Cabinet Member for Highways and Transport, and to advise the Panel of the outcome.",
    # whoever a resolution asks, to do a thing and bring it back
    "RESOLVED that asks the ICB and partners to bring a joint review of winter 2023/24 to the June 2024 meeting",
    "RESOLVED that asks the PNA steering group to assess whether the changes have created a gap, and to report its "
    "conclusion to the September meeting",
    # showing it to the Panel; seeing that a later report carries it; "asked him to"; a result shared, its verb left
    # out; an officer suggesting he report; "let Members of the Panel know"
    "Callum said that the group would finish the pack and show the Panel the final version when it met in November.",
    "He would make sure that what carers had said in the interviews was set out in the report to the Panel in January.",
    "The Chairman asked him to look into the reasons and report them to the Panel at its next meeting.",
    "This would now be done, and the results shared with Members.",
    "He suggested that he report to the Panel on the take-up of Staying Put once the new allowance had been in place.",
    "He would let Members of the Panel know the outcome of the Staying Close bid as soon as it was announced.",
    # an officers' group's notes: a first name and "to", after a list's mark or a comma; initials and a thing to
    # deliver; "the group"
    "Tom to chase the CCG for the list of children placed out of county who are still waiting for an IHA.",
    "- Item 5 – dental registrations: still outstanding, Tom to report in February.",
    "(ii) SB to report at the May meeting how many of the January enquiries have gone on to assessment.",
    "ACTION: PS – prices for Pledge cards (August).",
    "Karen agreed that the Virtual School would write a guide to PEPs and bring it to the group when it was ready.",
    # a row of the actions agreed, read as text
    "Action 2 | CPB 6/23 | Find out how many care leavers were placed in bed and breakfast | Lead: KS | Due: 28 "
    "February",
    # A letter to government whose reply comes back to members.
    "To note that the Convener agreed to write to the Minister for Children on the funding gap, and to share "
    "the reply with members.",
    # A resolution that names what it asks for first, however long what it is about; a later agenda that is
    # to include something.
    "RESOLVED that a report on widening the membership of the Panel so that it includes a representative "
    "of the foster carers' association and a care leaver from each district be submitted to the Panel for "
    "consideration.",
    "RESOLVED that the agenda of the March meeting would include the findings of the sufficiency review.",
    # Asked of whoever, where what is to come is a thing to deliver.
    "The Chair asked if Priya could bring an update on the apprenticeships to the Panel in the spring.",
    "The Head of Service requested a written summary from the provider of the complaints it had received.",
    # Taking up the point raised; a follow-up verb second ("make the changes and circulate").
    "A Member queried the timing of the outturn report. The Chair would consider this.",
    "Staff agreed to make the requested changes and circulate the new draft to Members.",
    "Mr Hall undertook to write to the school about the transport issue and report back to the Panel.",
    # Information asked for without an article; reports said to be forthcoming.
    "The Chair requested information on how many children had moved school in the year.",
    "Further reports would be forthcoming on the short breaks review.",
    # A later meeting named by its month; a future item on the agenda.
    "An update on the pupil premium could be presented to the July meeting.",
    "It was suggested that a future item on the Virtual School would be welcome.",
    "The Chair reminded Members that the officer would circulate the revised figures.",
    "The Panel's comments would be passed on to the Cabinet Member.",
    "The question would be passed on to Kent Police.",
    "Officers hoped to share the results with the schools in the coming months.",
    # A second undertaking joined to the first; an item put on the agenda of a meeting named by its date; the
    # next of a series of reports.
    "She undertook to check the figure with the provider and to inform Members by the end of March.",
    "RESOLVED that the plan be agreed, subject to the draft strategy being scheduled for the meeting on 4 June.",
    "The officer said that the breakdown would be included in the next quarterly performance report.",
    # A resolution's own verb ("RESOLVED that the Committee: ... (b) request ..."); an action list under a heading;
    # later reports asked to show something; an item come back to a meeting named by its month; a point taken
    # up with someone; the work plan.
    "RESOLVED that request an update on the adoption backlog at the March meeting.",
    "RESOLVED that the Panel ask the Head of Service to circulate the revised leaflet.",
    "Actions arising: - Senior Finance Officer to send Members the costs by locality.",
    "Members asked that subsequent dashboards show the figures by district.",
    "Item 4 (Short Breaks) - outstanding; to come back to the July 2024 meeting.",
    "The Director will take this up with the housing team.",
    "RESOLVED that the concerns raised be added to the work plan for next year.",
    "that quarterly updates on the recruitment of adopters be reported to the Committee.",
    "Members asked that future reports of the Fostering Service show separately the placements made out of county.",
    "She would ask the Virtual School to provide a breakdown of the exclusions for the next scorecard.",
    # As other councils write them: an action line with its reference, or a name and its role; a board; a
    # scrutiny committee's outcome; a resolution's subject named in full.
    "Action CPB/21/4a – Head of Looked After Children to bring the full comparison to the June Board.",
    "ML (Head of Commissioning) to report the outcome of the tender to the January Board.",
    "The outcome of the Staying Close bid to be reported to the January Board.",
    "Board asked for an update on sign-up by the four authorities.",
    "Officers agreed to let Members have some case studies showing how the grant had been used.",
    "The Assistant Director said he would set out the contingency arrangements in a briefing note for Members.",
    "The Sub-Committee agreed to receive a further update on unregistered provision at its meeting in March.",
    "Information requested: an analysis of suspensions of children in care by key stage.",
    "that the final Strategy, amended to reflect the views of the young people, be presented to the Panel at its "
    "next meeting.",
    "that the Head of Children's Services report annually to the Panel on progress against the action plan.",
    # A panel writing its own minutes in plain English; a scrutiny committee's forms.
    "We want an update on dental checks and initial health assessments at the July meeting.",
    "The panel wants to see the reasons for placement moves in the next performance report.",
    "Can we see the numbers by ward next time? – Yes, Tom will send them round.",
    "The review of setting-up-home grants will come to us in July instead.",
    "Tom will include the 20-mile figure in the January performance report.",
    "that a briefing note would be issued to Members setting out the arrangements for health assessments.",
    "that the Head of Service attend the December meeting of the Committee to report on progress.",
    "RESOLVED: that the work programme be approved, with the addition of a report on the youth offer to the March "
    "meeting.",
    # a cabinet's and a partnership board's: someone named in full, a name then a role
    "Cabinet asked the Director of Children's Services to present an evaluation of the first year to Cabinet.",
    "She undertook to give Councillor Leng a written explanation of the movement.",
    "RESOLVED that asks the ICB and the Partnership Trust to bring a costed proposal to the September meeting.",
    # an English county's minutes of 2016: an officer to one member, a scorecard's change, a standing update,
    # young people writing to the panel
    "Mrs Tranter said she did not have the figure for those teams to hand but would let the Chairman have it after "
    "the meeting.",
    "At her request, Mr Ferris agreed that the indicators would be shown for each district, starting with the "
    "October scorecard.",
    "the Panel continue to receive an update on unaccompanied asylum-seeking children at each of its meetings",
    "We will bring what they said to your meeting in July.",
    "Cllr Rahman asked why the number of missing episodes went up. Tom did not know and will look into it.",
    # a thing reviewed and then reported, whatever it is; a reply to the member who asked; a suggestion for later
    # reports
    "(b) the operation of the new protocol be reviewed with the youth council and reported to the Panel in a year's "
    "time.",
    "Mr Lacey would examine the cases concerned and respond to Mrs Orme directly.",
    "Mrs Orme suggested that future scorecards show the figures for each district; Mr Lacey accepted the suggestion.",
])
def test_requests_are_recognised(sentence):
    assert is_request(sentence)


@pytest.mark.parametrize("sentence", [
    "RESOLVED that the report be noted.",
    "The verbal updates were NOTED.",
    "The report had been circulated to Members before the meeting.",
    "Improvements can be made where staff meet more young people.",
    "The report would be presented at the Full Council in December.",
    "The service would provide support to care leavers up to the age of 25.",
    "The strategy was due to be presented to the Audit Committee in January.",
    "Members were asked to send their comments to the clerk.",
    "The Leader stated his intention to submit a request to government to postpone the elections.",
    "Officers would continue to work with partners to improve outcomes.",
    "The Chairman thanked everyone and said he looked forward to the next meeting.",
    "RESOLVED that the Annual Report 2024 be noted.",
    "More detail would be covered in the report at item 9 on the agenda.",
    # A question about what a service could do is not a request to deliver something.
    "A Member asked whether the service could provide support to kinship carers.",
    "The school governors asked if they could share the attendance figures with parents.",
    "Officers would continue to work with schools and partners and check progress.",
    "The Panel would consider this report alongside the budget.",
    # A deadline before the next meeting is not a meeting the thing comes to.
    "The remaining audit actions would be completed prior to the next meeting.",
    "The strategy had been presented to the July meeting of the Board.",
    # What members are reminded to send is theirs to do.
    "The Chair reminded members that feedback on the training session should be sent to the Senior "
    "Partnerships Officer.",
    # Passed on to no one who is to act on it.
    "Officers confirmed that any debt would be passed on to the new local authority.",
    # "In the year" is no time a thing is due ("in six months", "in the coming months" are).
    "The Board noted that it was hoped to hold the event at Woodlands later in the year.",
    # What was asked before; what only could be done; what goes to government or another forum.
    "The Head of Service presented the report, which the Committee had asked to see in March.",
    "Mr Grey suggested that providers could be required to publish their vacancies.",
    "RESOLVED that the Chair write to the Secretary of State setting out the Panel's concerns.",
    "The revised protocol would be submitted to the Schools Forum for approval in June.",
    # A possessive is no one who acts ("the Chair's update"); a thanks after a noting; an invitation to an event
    # or a visit; young people asked to think of what to raise.
    "RESOLVED that the Director's update be noted.",
    "RESOLVED that the update be noted and the Committee's thanks be given to the volunteers.",
    "The Convener asked the Locality Reporter Manager to pass on the Committee's thanks to the staff team.",
    "The young people said they would like to invite Members to their awards evening in June.",
    "The Head of Service offered to arrange for Members to visit the new assessment centre.",
    "The Chair asked the young people to think about what they would raise at a future meeting.",
    # Attendance, an action within the meeting, a letter that only expresses a view, a later meeting's programme
    # announced, a courtesy.
    "Two care leavers offered to attend future panel meetings.",
    "The officer undertook to check the figure and to return to it before the end of the meeting.",
    "RESOLVED that the Chair write to the Chief Executive of the Trust to express the Panel's concern at the delays.",
    "The March meeting would consider the annual report of the fostering service.",
    "The Chair asked that the Panel's best wishes be sent to Mrs Jones.",
    # A report that will stop; what others had been asked; a paper on its timetable; a plan sent to government;
    # attendance only; members asked to spread the word; thanks passed on; another body's own plan; the next
    # item of the same meeting; the running of the meetings; comments sent to an officer.
    "The separate quarterly health dashboard would no longer be presented to the Panel.",
    "Social workers had been asked to contact every looked after child at least fortnightly.",
    "It was noted that the Quarter 3 report would be presented to the Panel in February in accordance with the "
    "work programme.",
    "The Council's final reduction plan would be submitted to the Welsh Government by 31 December.",
    "Members suggested that the police missing persons coordinator be invited to attend.",
    "Board members asked to share it through their own networks.",
    "RESOLVED that the Panel's thanks be passed to the Virtual School team.",
    "Redbourne District Council had said that it would consider the matter in the next financial year.",
    "She would come back to this point under the next item.",
    "ACTION: HC to send the Teams link for each meeting with the papers.",
    "ACTION: All partners to send comments on the draft strategy to SO by 30 October.",
    "Action 4 | Provide ward breakdown of care leavers in EET | Lead: MD | Due: January | Status: Complete – "
    "circulated 3 January",
    # a row of the log of earlier actions, whatever its status
    "Action 3 | Bring the revised Staying Put policy to the Board | Lead: SH | Due: January | Status: Open – deferred",
    # a resolution's verb, or a body, before "to"
    "RESOLVED that Cabinet: 1. Agree to submit a request to Government for Kent to be included in the programme.",
    "Government to provide funding for the scheme from April.",
    # a resolution asking someone to do a thing, with nothing to come back
    "RESOLVED that asks the Trust to improve its waiting times",
    # an earlier request pointed back to; an invitation; Members asked to help; an event announced; what young
    # people want for themselves
    "RESOLVED that the work programme be agreed, subject to the addition of the item agreed at paragraph (2).",
    "The report requested by the Panel (Minute 63(5)(b)/2016) would therefore come to the Panel in April.",
    "The new home would open on 19 July, and Members of the Panel would receive an invitation to the opening.",
    "The lunch would be held on 25 December, and Members who wished to help were asked to contact Ms Merriman.",
    "Mrs Anstey reminded Members that the Association's annual conference would be held on 18 March 2017.",
    "The thing that came out most was that we want to see our brothers and sisters more often.",
    "The Virtual School annual report will come to the October meeting, as it does every year.",
    # a report that comes every year, announced; a member's question; an earlier request spoken of; a
    # representation to a minister; a paper's own proposal; a point for a later item of the same meeting
    "Mrs Whitlock said that the Fostering Service's annual report would be presented in May.",
    "Mr Brown reminded Members that the annual report would come to the Panel in July in the usual way.",
    "Mrs Whitcombe asked how many young people had taken part and whether the results would be shared.",
    "Mrs Whitcombe asked when Members would see the findings of the inspection.",
    "The analysis of exit interviews requested at Minute 156 would now be presented in October.",
    "At the last meeting we said we would tell you what young people thought of the new leaflet.",
    "Mr Oakden said that he would raise the funding shortfall with the Minister for Immigration.",
    "It proposed that the weekly allowance be raised from £190 to £240 from April 2017.",
    "progress on the actions would be considered in more detail under Item B3.",
])
def test_other_sentences_are_not_requests(sentence):
    assert not is_request(sentence)


@pytest.mark.parametrize("words, elsewhere", [
    ("The strategy would be presented to the Safeguarding Partnership Board in May.", True),
    ("The Director would raise the waiting times with the regional Adoption Partnership.", True),
    ("The results would be reported to the Panel before the decision is taken by the Cabinet.", False),
    ("An update would be reported to this Committee in the autumn.", False),
    ("The plan would go to the Corporate Parenting Panel in March.", False),
    # (this Panel receiving it, before another body decides)
    ("RESOLVED that the Panel receive a report on the proposals before the business case is considered by the Cabinet.",
     False),
    # (a body's name with a comma in it)
    ("The annual report would also be presented to the Children, Young People and Education Cabinet Committee.",
     True),
])
def test_a_paper_sent_on_to_another_body_is_no_request_of_this_one(words, elsewhere):
    assert to_another_body(words, "Corporate Parenting Panel") is elsewhere


@pytest.mark.parametrize("title, bare", [
    ("Performance Scorecard: Quarter 4 2021/22", "Performance Scorecard"),
    ("QUARTERLY PERFORMANCE REPORT – QUARTER 1 2024/25", "QUARTERLY PERFORMANCE REPORT"),
    ("Annual Report 2017 to 2018 - Adoption Service", "Annual Report - Adoption Service"),
    ("Minutes of the meeting held on 7 December 2018", "Minutes of the meeting held on"),
    ("2019", "2019"),  # (a title that is all period keeps it)
])
def test_a_title_is_matched_to_a_topic_without_its_period(title, bare):
    assert topic_title(title) == bare


def test_a_paper_for_the_committee_by_its_full_name_is_its_request():
    sentence = "An update on the pilot would be presented to the Corporate Parenting Board in March."
    assert is_request(sentence, "Corporate Parenting Board") and not is_request(sentence, "Cabinet")


def test_numbered_parts_of_a_decision_are_its_parts():
    parts = decision_parts("RESOLVED – (1) that the plan be agreed; (2) that the annual report be scheduled for "
                           "the meeting on 4 March; (3) that the officer arrange a briefing for Members.")
    assert len(parts) == 3 and parts[1].startswith("that the annual report")


def test_a_request_is_read_in_its_own_clause():
    """An action log's run-on line: what was done already does not hide the action after it."""
    line = "The leaflet had been circulated to carers Action – Priya Shah to send the final version to all Members"
    assert asks(line) and request_words(line).startswith("Action – Priya Shah")


def test_a_name_after_a_word_that_wants_one_starts_no_clause():
    """"... undertook to provide Mrs Quayle with ...": the name is the verb's object, not a lost bullet's start."""
    sentence = ("In reply to a supplementary question, the Leader undertook to provide Mrs Quayle with a written "
                "answer setting out the savings.")
    assert request_words(sentence) == sentence
    # (a lost bullet: the name after a whole clause starts one)
    run_on = "The figures had been circulated in June Mr Dalby would send the revised plan to Members"
    assert request_words(run_on) == "Mr Dalby would send the revised plan to Members"


def test_a_passages_cut_does_not_cut_a_sentence_whatever_its_next_line_starts_with():
    """Passages overlap by whole lines: a sentence the first passage cuts, whose next line opens with a name, is
    read whole (it was read as two, and the request lost its object)."""
    from retrieval.history import _minute_text

    def chunk(n: int, text: str) -> StoredChunk:
        return StoredChunk(id=f"m:{n}", document="m.pdf", title="Minutes", text=text, kind=ChunkKind.NARRATIVE,
                           page_start=1, header="", page_end=1, version="v")

    first = ("(3) Mr Sowerby asked about the street lights. In reply to a supplementary question, the Leader "
             "undertook to provide\nMrs Quayle with a written answer setting out the carbon savings")
    second = ("Mrs Quayle with a written answer setting out the carbon savings\nachieved in each year since 2017. "
              "(4) Mrs Dean asked about the budget.")
    _, pages, _ = _minute_text([chunk(0, first), chunk(1, second)])
    said = [sentence for _, sentence in pages]
    assert ("In reply to a supplementary question, the Leader undertook to provide Mrs Quayle with a written answer "
            "setting out the carbon savings achieved in each year since 2017.") in said
    assert not any(s.startswith("Mrs Quayle") for s in said)
    # (and a passage opening inside a sentence the last one held whole adds no tail of it)
    whole = "It was suggested that the College present its full offer at a future meeting, which was agreed."
    _, pages, _ = _minute_text([chunk(0, "9.5 ME spoke. " + whole), chunk(1, whole[23:] + " 9.6 TG spoke.")])
    assert [s for _, s in pages].count(whole) == 1 and len(pages) == 3
    # (a lettered item after a sentence's end is a sentence of its own)
    _, pages, _ = _minute_text([chunk(0, "He would report any change to the Panel. b) Mr Brigstock asked what part "
                                         "the Panel would play.")])
    assert [s for _, s in pages] == ["He would report any change to the Panel.",
                                     "b) Mr Brigstock asked what part the Panel would play."]


def test_the_actions_agreed_are_each_a_request_and_a_row_repeating_a_resolution_is_not(embeddings):
    """A log of the actions agreed, read as text ("Action 1 | CPB 4/23 | ... | Lead: JT | Due: ..."): each row is a
    request of its own; a row repeating what its minute resolved is that resolution's, and one recording an
    undertaking in the discussion is the row's."""
    resolved = _entry("2023-01-17", "CPB 4/23", "Big Shout Survey",
                      "That the Service Director provide a written response to each of the five Big Shout "
                      "recommendations for the April meeting.")
    resolved.pages = [(2, resolved.decision)]
    discussed = _entry("2023-01-17", "CPB 6/23", "Care Leavers' Accommodation", "")
    discussed.pages = [(3, "She did not have the full year's figures but would find out how many care leavers were "
                           "placed in bed and breakfast and let Members know.")]
    log = ("The following actions were agreed at this meeting: Action 1 | CPB 4/23 | Written response to the five "
           "Big Shout recommendations | Lead: JT | Due: April Board Action 2 | CPB 6/23 | Find out how many care "
           "leavers were placed in bed and breakfast in 2022 | Lead: KS | Due: 28 February")
    actions = _entry("2023-01-17", "CPB 11/23", "Actions Agreed at this Meeting", log)
    actions.pages = [(4, log)]
    for entry in (resolved, discussed, actions):
        entry.text = " ".join(s for _, s in entry.pages)
    embed = lambda texts: unit_vectors(embeddings.embed_documents(texts))  # noqa: E731
    history = History([resolved, discussed, actions], embed=embed)
    found = sorted((r.entry.minute, r.words[:20]) for r in history.requests)
    assert found == [("CPB 11/23", "Action 2 | CPB 6/23 "), ("CPB 4/23", "That the Service Dir")]


def test_a_resolution_is_cut_into_its_asking_parts():
    decision = ("It was RESOLVED that: a) the progress be welcomed; b) the availability be noted; c) an update "
                "report on the project be submitted to a future meeting of the Panel.")
    parts = decision_parts(decision)
    assert len(parts) == 3 and [p for p in parts if is_request(p)] == [parts[2]]
    words = request_words("It was RESOLVED that the report be noted, and that a regular update report be made to "
                          "the Panel.")
    assert words.startswith("a regular update report") and "noted" not in words


def test_a_request_in_six_months_is_due_six_months_on(history):
    timed = [r for r in history.requests if "six months" in r.words]
    assert timed
    for request in timed:
        year, month = int(request.meeting_date[:4]), int(request.meeting_date[5:7]) + 6
        assert request.due[:7] == f"{year + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}"


def test_a_request_for_when_the_panel_meets_in_a_month_is_due_at_that_meeting(embeddings):
    """"... would finish the pack during the autumn half-term and show the Panel the final version when it met in
    November": due at the November meeting (not the autumn, when the work is done), and answered by its item."""
    asked = _entry("2016-09-13", "49", "Speak Up Stourmere - Children in Care Council Update", "")
    asked.pages = [(3, "Callum said that the group would finish the pack during the autumn half-term and show the "
                       "Panel the final version when it met in November.")]
    asked.text = asked.pages[0][1]
    update = _entry("2016-11-22", "61", "Speak Up Stourmere - Children in Care Council Update",
                    "RESOLVED that the update be noted.")
    embed = lambda texts: unit_vectors(embeddings.embed_documents(texts))  # noqa: E731
    [request] = History([asked, update], embed=embed).requests
    assert request.due == "2016-11-22" and request.due_at_meeting and request.answer is update


def _entry(day: str, minute: str, title: str, decision: str) -> HistoryEntry:
    return HistoryEntry(committee="Corporate Parenting Panel", meeting_date=day, kind=EntryKind.MINUTE,
                        minute=minute, item=None, title=title, decision=decision, document="pack.pdf", page=3,
                        page_label=None, chunk_id="c:1", quote=decision, text=decision, pages=[(3, decision)])


def _discussed(day: str, minute: str, title: str, *said: str, page: int = 2) -> HistoryEntry:
    """A minute with no RESOLVED: only what was said, on one page."""
    entry = _entry(day, minute, title, "")
    entry.decision = None
    entry.pages = [(page, sentence) for sentence in said]
    entry.text = " ".join(said)
    return entry


def test_a_later_decision_on_the_same_thing_updates_the_earlier(embeddings):
    """A strategy endorsed, then the revised strategy endorsed: the timeline marks the first as updated by
    the second, and a position answer would lead with the second; an unrelated decision is left alone."""
    entries = [
        _entry("2018-07-19", "91", "Sufficiency Strategy for Children in Care",
               "RESOLVED that the Sufficiency Strategy be endorsed."),
        _entry("2018-11-01", "115", "Performance Scorecard for Children in Care",
               "RESOLVED that the performance data be noted."),
        _entry("2019-07-25", "30", "Revised Sufficiency Strategy for Children in Care 2019-22",
               "RESOLVED that the revised Sufficiency Strategy be endorsed."),
    ]
    history = History(entries, embed=lambda texts: unit_vectors(embeddings.embed_documents(texts)))
    timeline = history.timeline("sufficiency strategy")
    titles = [t.entry.title for t in timeline]
    assert titles == [entries[0].title, entries[2].title]
    assert timeline[0].updated_by is entries[2] and timeline[1].updated_by is None


def test_a_paper_appended_to_the_minutes_joins_the_minute_that_announced_it(embeddings):
    """The young people's update printed after the last minute belongs to the minute that said its text would
    be attached to the minutes, though another minute's title is closer to its opening in meaning."""
    views = _entry("2018-07-19", "86", "The views of Young People in Care", "")
    announced = _entry("2018-07-19", "90", "Verbal Update from the Children in Care Council", "")
    announced.pages = [(6, "They gave a verbal update on the work of the Council."),
                       (6, "The text of the update will be attached to these minutes.")]
    last = _entry("2018-07-19", "95", "Accommodation for Care Leavers", "RESOLVED that the report be noted.")
    appended = [(13, "On behalf of the Children in Care Councils: the views of young people in care on stigma."),
                (16, "We will update you further on this at the next meeting.")]
    last.appended = list(appended)
    for entry in (views, announced):
        entry.decision = None
    history = History([views, announced, last],
                      embed=lambda texts: unit_vectors(embeddings.embed_documents(texts)))
    assert announced.pages[-2:] == appended
    assert all(sentence not in {s for _, s in appended} for _, sentence in views.pages + last.pages)
    assert [r.entry.minute for r in history.requests if "update you further" in r.words] == ["90"]
    # Where no minute announces it, the closest title takes it, as before.
    views.pages, announced.pages = [(5, "A film was shown.")], [(6, "They gave a verbal update.")]
    last.appended = list(appended)
    History([views, announced, last], embed=lambda texts: unit_vectors(embeddings.embed_documents(texts)))
    assert views.pages[-2:] == appended


def _item(day: str, item: str | None, title: str, paper_kind: str, has_paper: bool = True) -> HistoryEntry:
    return HistoryEntry(committee="Corporate Parenting Panel", meeting_date=day, kind=EntryKind.ITEM, minute=None,
                        item=item, title=title, decision=None, document=f"{day}-{paper_kind}.pdf", page=2,
                        page_label=None, chunk_id="c:2", quote=title, text=title, has_paper=has_paper,
                        paper_kind=paper_kind)


def test_a_request_for_the_next_meeting_is_answered_there_by_a_paper(embeddings):
    """"We will update you at the next meeting": due at the next meeting (a meeting has an agenda or minutes;
    a record of decision dated between is no meeting). An agenda line with no paper (a verbal update) does not
    show it answered, nor does the same standing item at the meeting after; a paper at the next meeting does."""
    title = "Verbal Update from the Children in Care Council"
    asked = _entry("2018-07-19", "90", title, "")
    asked.decision = None
    asked.pages = [(16, "We will update you further on the participation training at the next meeting.")]
    decided_alone = _item("2018-08-01", None, "Record of Decision: participation training", "record of decision")
    verbal = _item("2018-09-19", "6", title, "agenda front sheet", has_paper=False)
    after_next = _entry("2018-11-01", "113", title, "RESOLVED that the verbal updates be noted.")

    def embed(texts):
        return unit_vectors(embeddings.embed_documents(texts))

    [request] = History([asked, decided_alone, verbal, after_next], embed=embed).requests
    assert request.due == "2018-09-19" and request.due_at_meeting
    assert request.answer is None
    verbal.has_paper = True  # the same item with a paper of its own
    [request] = History([asked, decided_alone, verbal, after_next], embed=embed).requests
    assert request.answer is verbal


def test_a_request_in_cycles_is_due_at_that_many_meetings_on(embeddings):
    """A Scottish committee's "cycle" runs to its next meeting: "a report in one cycle" is due at the next
    meeting, "within two cycles" by the one after; none is set where the index holds no such meeting."""
    asked = _entry("2023-10-10", "6", "Kinship Care Allowances",
                   "1) To note the report. 2) To request a report in one cycle on the kinship care review. "
                   "3) To request a further report within two cycles on payments at the national allowance. "
                   "4) To request a report in three cycles on the recruitment of kinship carers.")
    later = [_entry(day, "3", "Rolling Actions Log", "To note the log.") for day in ("2023-12-05", "2024-03-12")]

    def embed(texts):
        return unit_vectors(embeddings.embed_documents(texts))

    requests = History([asked, *later], embed=embed).requests
    due = {r.words.split(" on ")[1][:10]: (r.due, r.due_at_meeting) for r in requests}
    assert due == {"the kinshi": ("2023-12-05", True), "payments a": ("2024-03-12", False),
                   "the recrui": (None, False)}


def test_each_part_of_a_decision_in_parts_is_read_as_a_clause_of_its_that(embeddings):
    """"RESOLVED that: (a) ...; (b) the Chair write to the Director ...": the part's marker cut it off from its
    "that", and a subjunctive part asks as it would in "that the Chair write to the Director"."""
    decision = ("RESOLVED that: (a) the report be noted; (b) the Chair write to the Director of Children's "
                "Services on the waiting times for assessments.")
    asked = _entry("2019-01-29", "7", "Waiting Times for Assessments", decision)

    def embed(texts):
        return unit_vectors(embeddings.embed_documents(texts))

    [request] = History([asked], embed=embed).requests
    assert request.words.startswith("the Chair write to the Director")


def test_a_request_for_a_named_month_is_answered_there_and_never_by_procedure(embeddings):
    """"to this Committee in January 2024" names the meeting a request is due at, where the item that brings it
    back answers it; the business of any meeting (the last minutes signed, the work programme) never does."""
    from retrieval.history import PROCEDURAL_TITLE

    asked = _entry("2023-07-04", "5", "Fostering Recruitment and Retention", "")
    asked.pages = [(3, "She undertook to bring the outcome of the review of fostering allowances to this Committee "
                       "in January 2024.")]
    asked.text = asked.pages[0][1]
    later = [_entry("2024-01-23", "25", "Minutes of the meeting held on 4 July 2023",
                    "RESOLVED that the minutes of the meeting held on 4 July 2023 be signed as a correct record."),
             _entry("2024-01-23", "28", "Fostering Allowances 2024/25 and Recruitment Campaign Update",
                    "RESOLVED that the new fostering allowances be noted.")]
    history = History([asked, *later], embed=lambda texts: unit_vectors(embeddings.embed_documents(texts)))
    request = next(r for r in history.requests if "January 2024" in r.words)
    assert request.due == "2024-01-23" and request.due_at_meeting
    assert request.answer is later[1]
    procedure = ("Minutes of the meeting held on 4 July 2023", "WORK PROGRAMME 2023/24", "Apologies for Absence",
                 "Dates of future meetings")
    assert all(PROCEDURAL_TITLE.match(t) for t in procedure)
    assert not any(PROCEDURAL_TITLE.match(t) for t in ("MATTERS ARISING / ACTION LOG", later[1].title))


def test_a_decision_part_in_the_infinitive_asks_as_a_resolution():
    """"The Board AGREED: (a) to note ...; (b) to receive a six-month report ...": the part asks as "RESOLVED that
    the Committee receive a six-month report" would; noting asks for nothing."""
    from retrieval.history import as_resolution, asks

    assert asks(as_resolution("to receive a six-month report on the fostering campaign at its September meeting"))
    assert asks(as_resolution("to ask the Head of Looked After Children and Care Leavers to review pocket money "
                              "rates and to report his proposals to the September Board"))
    assert asks(as_resolution("to seek a further update on the kinship care assessment backlog at the meeting of "
                              "the Sub-Committee in November"))
    assert not asks(as_resolution("to note the performance dashboard for Quarter 3"))


@pytest.mark.parametrize("discussion, action, kept", [
    # the same undertaking told twice: the action line's
    ("He would provide Members with a short written briefing on how the rota worked.",
     "Action CPB/21/28a – Head of Service to provide Members with a briefing note on the rota.", "action"),
    # an action that only points back to the discussion: the discussion's
    ("SO agreed to provide members with a short note on the effect of the court backlog on care proceedings.",
     "ACTION: SO to provide the court backlog note (see 3.7).", "discussion"),
    # an action line naming only who and what: the discussion's, which says what is to be done
    ("It was agreed that the scorecard would be amended before it went to the Panel in March, with trend arrows.",
     "Action: JP – Panel scorecard changes", "discussion"),
    # two people, two undertakings
    ("DW agreed to take this up with the district leaders' group and report back to the Board.",
     "ACTION: KM to share the housing protocol with Board members.", "both"),
])
def test_an_action_line_and_the_undertaking_it_records_are_one_request(embeddings, discussion, action, kept):
    minute = _entry("2021-09-21", "28", "Staffing", "")
    minute.pages = [(3, discussion), (3, action)]
    minute.text = f"{discussion} {action}"
    history = History([minute], embed=lambda texts: unit_vectors(embeddings.embed_documents(texts)))
    found = sorted(r.words for r in history.requests)
    expected = {"action": [action], "discussion": [discussion], "both": sorted([discussion, action])}[kept]
    assert found == expected


def test_a_request_comes_back_only_to_its_own_councils_committee(embeddings):
    """Two councils' papers in one index, each with a "Corporate Parenting Panel": a report to the other
    council's panel answers no request of this one's (the letterheads name the councils)."""
    from retrieval.history import letterhead_authority

    asked = _entry("2019-09-20", "29", "Fostering Recruitment", "")
    asked.pages = [(3, "The Head of Fostering would bring a report on the recruitment campaign to the Panel in "
                       "the new year.")]
    asked.text = asked.pages[0][1]
    other = _entry("2019-11-18", "16", "Fostering Recruitment Campaign: Report", "RESOLVED that the report be noted.")
    other.document = "coldharbour-minutes.pdf"
    own = _entry("2020-01-20", "3", "Fostering Recruitment Campaign: Report", "RESOLVED that the report be noted.")
    for entry in (other, own):
        entry.has_paper = True
    embed = lambda texts: unit_vectors(embeddings.embed_documents(texts))  # noqa: E731
    councils = {"pack.pdf": letterhead_authority("FENWICKSHIRE COUNTY COUNCIL\nCORPORATE PARENTING PANEL"),
                "coldharbour-minutes.pdf": letterhead_authority("COLDHARBOUR COUNTY COUNCIL\nCORPORATE PARENTING")}
    [request] = History([asked, other, own], embed=embed, authorities=councils).requests
    assert request.answer is own
    [request] = History([asked, other], embed=embed, authorities=councils).requests
    assert request.answer is None
    assert letterhead_authority("COUNTY COUNCIL MINUTES of a meeting") is None


def test_the_next_meeting_is_the_next_of_the_requests_own_council(embeddings):
    """Two councils' panels of one name meet on their own dates: "at the next meeting" of one council's panel is
    its own next meeting, not the other council's that falls between (letterheads read past the decisions that a
    paper's first page holds)."""
    from retrieval.history import letterhead_authority

    asked = _entry("2016-02-09", "26", "Fostering Recruitment", "")
    asked.pages = [(3, "Mrs Hale would bring the results of the recruitment campaign to the next meeting.")]
    asked.text = asked.pages[0][1]
    other = _entry("2016-03-04", "145", "Fostering Recruitment Campaign", "RESOLVED that the report be noted.")
    other.document = "downland-minutes.pdf"
    own = _entry("2016-05-17", "31", "Fostering Recruitment Campaign: results", "RESOLVED that the report be noted.")
    embed = lambda texts: unit_vectors(embeddings.embed_documents(texts))  # noqa: E731
    councils = {"pack.pdf": letterhead_authority("OAKHURST COUNCIL\nCORPORATE PARENTING PANEL"),
                "downland-minutes.pdf": letterhead_authority("DOWNLAND COUNTY COUNCIL\nCORPORATE PARENTING")}
    [request] = History([asked, other, own], embed=embed, authorities=councils).requests
    assert request.due == "2016-05-17" and request.answer is own


def test_a_request_due_at_a_meeting_is_matched_there_with_its_minutes_title(embeddings):
    """"... report them to the next meeting" says what is asked, not what about: at the meeting it is due, it is
    matched with its minute's title too, and the update on that subject answers it."""
    asked = _entry("2016-10-11", "57", "Health Assessments for Looked After Children", "")
    asked.pages = [(3, "Mr Ferris was asked to find out the reasons and report them to the next meeting.")]
    asked.text = asked.pages[0][1]
    allowances = _entry("2017-01-17", "7", "Staying Put: Review of Allowances", "RESOLVED that the report be noted.")
    update = _entry("2017-01-17", "9", "Health Assessments for Looked After Children: Update",
                    "RESOLVED that the update be noted.")
    embed = lambda texts: unit_vectors(embeddings.embed_documents(texts))  # noqa: E731
    [request] = History([asked, allowances, update], embed=embed).requests
    assert request.due == "2017-01-17" and request.answer is update


def test_a_papers_council_is_read_from_its_letterhead_not_its_decisions(embeddings):
    def chunk(n: int, kind: ChunkKind, text: str) -> StoredChunk:
        return StoredChunk(id=f"v:{n}", document="w.pdf", title="Minutes", text=text, kind=kind, page_start=1,
                           header="", page_end=1, version="v")

    chunks = [chunk(0, ChunkKind.DECISION, "RESOLVED that the changes to the membership be noted."),
              chunk(8, ChunkKind.NARRATIVE, "WEALDSHIRE COUNTY COUNCIL\nCORPORATE PARENTING PANEL\nMINUTES of a "
                                            "meeting of the Corporate Parenting Panel held on 12 July 2016.")]
    history = History.build({}, chunks, [], embed=lambda texts: unit_vectors(embeddings.embed_documents(texts)))
    assert history.authorities == {"w.pdf": "WEALDSHIRE COUNTY COUNCIL"}


def test_each_asking_item_of_a_list_of_what_members_were_told_is_a_request(embeddings):
    """"Members asked questions and were advised:- (a) that ... would come back to a future meeting ...; (b) that
    officers undertook to circulate ...": two undertakings in one "sentence", two requests."""
    minute = _entry("2022-02-22", "8", "Champions Board", "")
    told = ("Thereafter, Members asked questions and were advised:- (a) that the Champions Board was running a survey, "
            "and Ms Kerr said that the Champions Board would come back to a future meeting to present the findings; "
            "(b) that the Chief Social Work Officer agreed to look into the concerns about family time and to report "
            "back to Members; and (c) that 88% of children were registered with a dentist.")
    minute.pages, minute.text = [(3, told)], told
    history = History([minute], embed=lambda texts: unit_vectors(embeddings.embed_documents(texts)))
    assert len(history.requests) == 2


def test_each_asking_item_of_a_lettered_answer_is_a_request(embeddings):
    """"Mr Strickland said that: (a) he would let Members know ...; (b) ... Mrs Rudd would bring a short paper to a
    future meeting ...": the items need no "that" to be two undertakings."""
    minute = _entry("2018-03-20", "15", "Verbal Update by the Cabinet Member", "")
    told = ("(2) In response to questions from Members, Mr Strickland said that: (a) he would let Members of the "
            "Panel know the outcome of the Staying Close bid as soon as the Department announced it; (b) the "
            "stocktake's recommendations were of most interest to foster carers, and Mrs Rudd would bring a short "
            "paper to a future meeting; (c) the service had 412 foster households.")
    minute.pages, minute.text = [(3, told)], told
    history = History([minute], embed=lambda texts: unit_vectors(embeddings.embed_documents(texts)))
    assert sorted(r.words[:6] for r in history.requests) == ["(a) he", "(b) th"]


def test_a_request_for_the_autumn_is_not_answered_before_it(embeddings):
    """"a further report to the Sub-Committee in the autumn": due from September, so a May item on a related
    subject does not answer it, and the September report does."""
    asked = _entry("2022-02-22", "5", "Continuing Care and Staying Put", "")
    asked.pages = [(3, "Officers would bring a further report on the uptake of continuing care, including the "
                       "financial implications, to the Sub-Committee in the autumn.")]
    asked.text = asked.pages[0][1]
    may = _entry("2022-05-31", "8", "Continuing Care and Staying Put for Care Experienced Young People",
                 "RESOLVED that the report be noted.")
    september = _entry("2022-09-06", "4", "Continuing Care: Update", "RESOLVED that the update be noted.")
    history = History([asked, may, september], embed=lambda texts: unit_vectors(embeddings.embed_documents(texts)))
    [request] = history.requests
    assert request.due == "2022-09-01"
    assert request.answer is september


def test_a_request_in_six_months_is_matched_with_its_minutes_title_where_it_falls_due(embeddings):
    """"a further report ... in six months' time" under "Supported Lodgings: Recruiting Hosts": the first meeting
    from then has "Supported Lodgings: Six-Month Review", which its words alone are not close enough to; with its
    minute's title they are. A later meeting's item on the same subject is not matched so (it is that meeting's
    business), nor an item on another subject at the meeting it falls due."""
    def embed(texts):
        return unit_vectors(embeddings.embed_documents(texts))

    asked = _entry("2022-10-11", "12", "Supported Lodgings: Recruiting Hosts",
                   "RESOLVED that a further report on the numbers of hosts approved and the young people placed with "
                   "them be presented to the Committee in six months' time.")
    unrelated = _entry("2023-04-18", "31", "Health Assessments of Children in Care", "RESOLVED that it be noted.")
    review = _entry("2023-04-18", "34", "Supported Lodgings: Six-Month Review", "RESOLVED that the review be noted.")
    [request] = History([asked, unrelated, review], embed=embed).requests
    assert request.due == "2023-04-11" and request.answer is review
    # the same review at the meeting after the one it fell due at: no answer by its title alone
    late = _entry("2023-07-18", "44", "Supported Lodgings: Six-Month Review", "RESOLVED that the review be noted.")
    april = _entry("2023-04-18", "31", "Health Assessments of Children in Care", "RESOLVED that it be noted.")
    [request] = History([_entry(asked.meeting_date, "12", asked.title, asked.decision), april, late],
                        embed=embed).requests
    assert request.answer is None


def test_a_later_minute_naming_the_requests_minute_answers_it(embeddings):
    """"Further to Minute 14(2), the Head of Service reported ..." in a matters-arising minute brings back the
    request made at minute 14, though the minute's title ("Matters Arising") is about nothing in particular; the
    minute's other request is not answered by it, nor is a request whose later mention says it is still to come.
    "As requested by the Panel in March, ..." names the meeting instead, and answers the request of it that it is
    about; a member asking whether something promised then is ready answers nothing."""
    from retrieval.history import MINUTE_REFERENCE, refers_to

    asked = _entry("2019-03-08", "14", "Children Missing from Care", "RESOLVED that the report be noted.")
    asked.pages = [(4, "Mrs Dale undertook to find out how many return interviews were offered within 72 hours "
                       "and to report back to the Panel.")]
    asked.pages.append((4, "Mr Cole agreed to send Members the police liaison officer's contact details."))
    asked.text = " ".join(s for _, s in asked.pages)
    other = _entry("2019-03-08", "15", "Fostering Allowances", "RESOLVED that the report be noted.")
    other.pages = [(5, "Mr Pike agreed to circulate the revised allowance rates to Members.")]
    other.text = other.pages[0][1]
    scorecard = _entry("2019-03-08", "16", "Performance Scorecard for Children in Care", "")
    scorecard.decision = None
    scorecard.pages = [(6, "Mrs Dale agreed to show care leavers in education, employment or training by age group "
                           "in future scorecards."),
                       (6, "Mr Pike undertook to provide the latest dental check figures for children in care.")]
    scorecard.text = " ".join(s for _, s in scorecard.pages)
    arising = _entry("2019-06-14", "22", "Matters Arising", "")
    arising.decision = None
    arising.pages = [(2, "Further to Minute 14(2), Mrs Dale reported that 61% of return interviews had been offered "
                         "within 72 hours in the last quarter."),
                     (2, "The allowance rates requested at minute 15 would now be circulated in September."),
                     (2, "As requested by the Panel in March, the scorecard now shows care leavers in education, "
                         "employment or training in two age groups."),
                     (2, "Mr Hall asked whether the dental check figures promised in March were ready.")]
    arising.text = " ".join(s for _, s in arising.pages)

    def embed(texts):
        return unit_vectors(embeddings.embed_documents(texts))

    requests = History([asked, other, scorecard, arising], embed=embed).requests
    by_minute = {r.entry.minute: [x for x in requests if x.entry.minute == r.entry.minute] for r in requests}
    [interviews] = [r for r in by_minute["14"] if "return interviews" in r.words]
    [contacts] = [r for r in by_minute["14"] if "contact details" in r.words]
    assert interviews.answer is arising and contacts.answer is None  # the sentence is about one of them
    assert all(r.answer is None for r in by_minute["15"])
    # the meeting named ("in March"), not the minute: the request it is about, not the one only asked after
    [age_groups] = [r for r in by_minute["16"] if "age group" in r.words]
    [dental] = [r for r in by_minute["16"] if "dental" in r.words]
    assert age_groups.answer is arising and dental.answer is None
    assert [m["number"] or m["bracketed"] for m in MINUTE_REFERENCE.finditer(
        "in response to the Leader's request at minute CAB/24/52, and further to Minute LACC.9; the report asked "
        "for in June (minute 27/18) was presented.")] == ["CAB/24/52", "LACC.9", "27/18"]
    assert refers_to("3/23", "cpb3/23") and not refers_to("3", "13")


def test_a_later_minute_citing_a_request_answers_it_before_an_earlier_item_on_its_subject(embeddings):
    """The papers saying an item brings a request back outweigh closeness of titles: "As requested in November, the
    report included a breakdown of moves" in July answers the November request, though February's performance report
    came first and is on the same subject. Minutes numbered by paragraph are cited by paragraph ("As requested at
    paragraph 88", "Further to paragraph 34 of the minutes of the meeting held on ..."); a minute numbered afresh each
    year by minute and year ("Further to Minute 9/2019"). A minute saying the thing was circulated outside a meeting
    brings nothing back, nor does the tail of a sentence a page break cut from the words that said it had not come."""
    from retrieval.history import MINUTE_REFERENCE, PARAGRAPH_REFERENCE, minute_references

    def embed(texts):
        return unit_vectors(embeddings.embed_documents(texts))

    moves = _discussed("2019-11-18", "16", "Looked After Children Performance Report - Quarter 2",
                       "Officers agreed to provide a breakdown of the placement moves by age group and type of "
                       "placement, to be included in the next performance report.", page=3)
    february = _discussed("2020-02-24", "28", "Looked After Children Performance Report - Quarter 3",
                          "The Head of Service presented the performance report for the third quarter.")
    july = _discussed("2020-07-13", "6", "Looked After Children Performance Report - Quarter 4",
                      "As requested in November, the report included a breakdown of moves by age group and type of "
                      "placement.")
    # minutes numbered by paragraph: the item "Foster Carer Allowances" is minute 85, its request paragraph 88
    allowances = _discussed("2023-01-17", "85", "Foster Carer Allowances and Fees",
                            "The Service Manager presented the report.", "Members discussed the fees.",
                            "Councillor Evans asked about the national review.",
                            "It was agreed that the outcome of the Welsh Government's review of the national minimum "
                            "allowances be reported to the Board once it was known.", page=4)
    allowances.paragraphs = {sentence: str(85 + n) for n, (_, sentence) in enumerate(allowances.pages)}
    fostering = _discussed("2023-04-25", "113", "Foster Wales: Six-Month Update",
                           "As requested at paragraph 88, the Service Manager reported that the Welsh Government had "
                           "confirmed an increase in the national minimum allowances of 5 per cent.", page=3)
    # numbered afresh each year, cited with the year; one done outside a meeting; the tail of a cut sentence
    letters = _entry("2019-03-08", "9", "Care Leavers: Council Tax Exemption",
                     "RESOLVED that the Chairman write to the Leaders of the district councils asking them to exempt "
                     "care leavers from council tax, and report their replies to the Panel.")
    health = _discussed("2019-03-08", "6", "Health of Children in Care",
                        "Mr Hurst undertook to provide Members with the timeliness of initial health assessments "
                        "broken down by district.")
    tribunal = _discussed("2019-03-08", "7", "SEND Tribunals",
                          "The Portfolio Holder promised a breakdown of tribunal outcomes for the next meeting.")
    announcements = _discussed(
        "2019-06-14", "14", "Chairman's Announcements",
        "(2) Further to Minute 9/2019, the Chairman reported that she had written to the Leaders of the district "
        "councils about exempting care leavers from council tax, and two had replied.",
        "(3) Further to Minute 6/2019, Mr Hurst confirmed that the breakdown by district of the timeliness of "
        "initial health assessments had been circulated to Members on 2 April 2019.",
        "(4) Mr Bell said that the report did not include the breakdown of tribunal outcomes that the Portfolio "
        "Holder had promised in March (minute 7).")
    announcements.pages.append((3, "Portfolio Holder had promised in March (minute 7)."))
    # a date a target is to be met by is no time the request comes back
    target = _entry("2018-09-25", "36/18", "Children in Care: Placements Outside the County",
                    "RESOLVED that the Committee recommends to Cabinet that a target of 75 per cent of children in "
                    "care placed within 20 miles of home by April 2020 be adopted, and asks that Cabinet's response "
                    "be reported to the Committee.")
    response = _discussed("2018-12-11", "44/18", "Cabinet Response to the Committee's Recommendations",
                          "The Scrutiny Officer presented Cabinet's response to the Committee's recommendation of 25 "
                          "September 2018 on placements close to home (minute 36/18).")
    entries = [moves, february, july, allowances, fostering, letters, health, tribunal, announcements, target,
               response]
    requests = History(entries, embed=embed).requests
    answers = {r.entry.minute: r.answer for r in requests}
    assert answers["16"] is july
    [review] = [r for r in requests if r.entry is allowances]
    assert review.paragraph == "88" and review.answer is fostering
    assert answers["9"] is announcements
    assert answers["6"] is None and answers["7"] is None
    [placements] = [r for r in requests if r.entry is target]
    assert placements.due is None and placements.answer is response
    assert not MINUTE_REFERENCE.search("The Cabinet Member said that the Home to School Travel Policy 2025/26 (minute "
                                       "CAB/24/54) relied on independent travel training.")
    assert not minute_references(_entry("2017-01-17", "3", "Matters Arising", "Mr Crouch asked what had come of the "
                                        "examples Amira had raised in July (Minute 44(3))."))
    match = PARAGRAPH_REFERENCE.search("Further to paragraph 34 of the minutes of the meeting held on 20 September "
                                       "2022, the Head of Children's Services reported ...")
    assert match["number"] == "34" and (match["day"], match["month"], match["year"]) == ("20", "September", "2022")


def test_a_proposal_the_minutes_record_as_lost_asks_nothing():
    """"Moved by ..., Seconded by ..., That the Committee agrees ..." then "... it was declared lost": what it asked
    was not decided. An outcome naming the amendment is the amendment's; the original proposal, carried, still asks;
    so, in the subjunctive, does its last part ("...; and that officers report to the Committee within six months")."""
    from retrieval.history import asking_clauses, lost_proposals

    proposal = ("Moved by Councillor McCusker, Seconded by Councillor Gormley, That the Committee agrees to adopt the "
                "motion; and that officers report to the Committee within six months on the cost of free swimming.")
    amendment = ("Amendment Moved by Alderman Semple, Seconded by Councillor Ferris, That the Committee agrees to "
                 "defer the motion and that a report on free swimming be brought to the Committee in April.")
    sentences = [proposal, amendment,
                 "On a vote, five Members voted for the amendment and nine against and it was declared lost.",
                 "The original proposal was then put to the meeting and was declared carried."]
    assert lost_proposals(sentences) == {amendment}
    assert lost_proposals([proposal, "On a vote, six Members voted for the proposal and it was declared lost."]) == {
        proposal}
    assert lost_proposals([proposal]) == set()  # no outcome recorded: nothing is known lost
    assert asking_clauses(proposal) == ["officers report to the Committee within six months on the cost of free "
                                        "swimming."]


def _answered_by_citation(embeddings, entries: list[HistoryEntry]) -> dict[str, HistoryEntry | None]:
    """Each request's answer by its minute's number, with pairing by meaning switched off: only a citation answers."""
    def embed(texts):
        return unit_vectors(embeddings.embed_documents(texts))

    history = History(entries, embed=embed, settings=HistorySettings(answer_similarity=0.99))
    return {r.entry.minute: r.answer for r in history.requests}


def test_a_citation_naming_who_asked_brings_back_that_members_request(embeddings):
    """"As requested by Councillor Moore at the January meeting, ..." brings back Councillor Moore's request of that
    meeting, though another request of it is closer in meaning to the citing sentence."""
    moore = _discussed("2025-01-14", "5", "School Holiday Food Support",
                       "Councillor Moore asked that officers set out what the Council itself could do through its "
                       "community grants, and the Director agreed to report back.")
    swimming = _entry("2025-01-14", "6", "Motion: Free Swimming",
                      "RESOLVED that a report on free swimming for children during the school holidays be brought to "
                      "a future meeting.")
    march = _discussed("2025-03-11", "3", "Tackling Poverty: Community Support Programme",
                       "As requested by Councillor Moore at the January meeting, the report set out the ways of "
                       "supporting families during the school holidays, including free swimming for children.")
    answered = _answered_by_citation(embeddings, [moore, swimming, march])
    assert answered["5"] is march
    assert answered["6"] is None


def test_a_citing_sentence_telling_of_two_requests_answers_both(embeddings):
    """"... at its meeting on 14th January, it had asked for a report on the cost of free swimming, and the Director
    had undertaken to bring forward proposals for a leisure concession ...": both requests of that meeting come back,
    not only the closest; a third request of the meeting, on another subject, does not."""
    swimming = _entry("2025-01-14", "6", "Motion: Free Swimming",
                      "RESOLVED that officers bring back a report on the cost of free swimming for children in the "
                      "school holidays.")
    concession = _discussed("2025-01-14", "7", "Children and Young People's Partnership",
                            "The Director undertook to bring forward proposals for a leisure concession for "
                            "care-experienced young people.")
    car_park = _entry("2025-01-14", "8", "Car Park – Anti-Social Behaviour",
                      "RESOLVED that officers submit a report to a future meeting on CCTV and lighting at the car "
                      "park.")
    pricing = _discussed("2025-04-08", "4", "Leisure Pricing Review 2025/26",
                         "She reminded the Committee that, at its meeting on 14th January, it had asked officers to "
                         "bring back a report on the cost of free swimming for children in the school holidays, "
                         "and the Director had undertaken to bring forward proposals for a leisure concession for "
                         "care-experienced young people.")
    answered = _answered_by_citation(embeddings, [swimming, concession, car_park, pricing])
    assert answered == {"6": pricing, "7": pricing, "8": None}


def test_a_meeting_cited_by_its_month_alone_brings_its_request_back(embeddings):
    """"At its meeting in February the Panel had asked for ...", "At the April meeting Members had asked to see ...",
    "Following the Panel's discussion in February, ...": each cites the last meeting of that month before it, and
    brings back that meeting's request, though another item is closer in meaning to the request."""
    allowance = _discussed("2031-02-14", "36", "Verbal Update from the Children in Care Council",
                           "Members asked that the difference in pocket money between in-house and agency placements "
                           "be looked into, and Mrs Ross agreed to report back to the Panel.")
    survey = _discussed("2031-04-18", "46", "Young People's Survey",
                        "Members requested that the full survey findings be presented to the Panel in due course, "
                        "to which Mrs Ross agreed.")
    closer = _entry("2031-06-20", "7", "Pocket Money and Agency Placements: Update",
                    "RESOLVED that the update on pocket money in agency placements be noted.")
    guidance = _discussed("2031-06-20", "8", "Personal Allowances for Children in Care: Revised Guidance",
                          "At its meeting in February the Panel had asked for the arrangements to be reviewed, and "
                          "the revised guidance set common weekly amounts by age.")
    action_plan = _discussed("2031-09-19", "20", "Listening to Children in Care: Action Plan",
                             "At the April meeting Members had asked to see the full results, which the report set "
                             "out with the service's response.")
    answered = _answered_by_citation(embeddings, [allowance, survey, closer, guidance, action_plan])
    assert answered["36"] is guidance
    assert answered["46"] is action_plan
