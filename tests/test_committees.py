"""Which committee a question means: by name, initials, head word, the conversation, else the home committee."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval.committees import CommitteeNames

ARCHIVE = {"Corporate Parenting Panel": 900, "Cabinet": 2400, "County Council": 300,
           "Children's, Young People and Education Cabinet Committee": 200, "Police and Crime Panel": 40}


@pytest.fixture
def names() -> CommitteeNames:
    return CommitteeNames(ARCHIVE, home="Corporate Parenting Panel")


@pytest.mark.parametrize(("question", "committee"), [
    ("What did the Corporate Parenting Panel resolve on Lifelong Links?", "Corporate Parenting Panel"),
    ("what did the corporate parenting panel say about EET", "Corporate Parenting Panel"),
    ("CPP minutes of December: who chaired?", "Corporate Parenting Panel"),
    ("what did the panel agree about the challenge cards?", "Corporate Parenting Panel"),  # most passages
    ("What did Cabinet decide on the capital programme?", "Cabinet"),
    ("cab decision on the budget monitoring", "Cabinet"),
    ("how many members voted for the amendment at full council?", "County Council"),
    ("What did the County Council resolve about devolution?", "County Council"),
    ("did the Police and Crime Panel meet in July?", "Police and Crime Panel"),
    ("What did the Cabinet Committee say about SEND transport?",
     "Children's, Young People and Education Cabinet Committee"),
])
def test_the_committee_named_in_the_question(names, question, committee):
    assert names.named(question) == committee


def test_council_as_the_organisation_is_not_the_county_council_meeting(names):
    # "council" without an article or council word is the authority, not the body that meets.
    assert names.named("how much does council spend on care leavers") is None


def test_the_conversation_then_the_home_committee(names):
    assert names.meant("and what was decided on the budget?", ["What did Cabinet discuss on 30 January?"]) == "Cabinet"
    assert names.meant("what about the minutes?", ["hello", "what did full council vote on?"]) == "County Council"
    assert names.meant("what are my duties as a corporate parent?") == "Corporate Parenting Panel"  # home given
    assert CommitteeNames(ARCHIVE, home="Planning Committee").meant("what are my duties?") is None  # not indexed
    assert CommitteeNames(ARCHIVE).meant("what are my duties?") is None


def test_a_name_is_never_read_inside_another_word(names):
    assert names.named("the cabinetmaker's invoice") is None
    assert names.named("the panelling in the chamber") is None


@given(st.text(max_size=200))
def test_any_text_gives_an_indexed_committee_or_none(text):
    found = CommitteeNames(ARCHIVE, home="Corporate Parenting Panel").meant(text)
    assert found is None or found in ARCHIVE


@pytest.mark.parametrize(("header", "committee"), [
    ("From: Sue Chandler, Cabinet Member for Integrated Children's Services\nTo: Cabinet - 30 January 2025\n"
     "Subject: Transfer\nPast Pathway of report: Adult Social Care Cabinet Committee – 15 January\nCommittee – 16 "
     "January 2025", "Cabinet"),
    ("To: Corporate Parenting Panel – 10 December 2024\nSubject: Annual report", "Corporate Parenting Panel"),
    ("By: Director\nTo: Children's, Young People and Education Cabinet Committee - 16 January 2025",
     "Children's, Young People and Education Cabinet Committee"),
])
def test_a_report_belongs_to_the_body_it_goes_to(header, committee):
    from ingest.structure import find_committee

    assert find_committee(header) == committee


def test_the_council_is_the_authority_unless_its_meeting_is_meant(names):
    assert names.named("does the council need to be told about private fostering?") is None
    assert names.named("what did the council meeting decide on devolution?") == "County Council"
    assert names.named("at the meeting of the council in January, who chaired?") == "County Council"


def test_a_committee_boost_ranks_the_named_committees_passages_first(corpus_settings, corpus_index):
    """Over the sample corpus (the panel's packs and the annual report to the County Council): the question
    names the County Council; favoured, its passages come first, and the conversation carries it on."""
    from retrieval.answer import Assistant

    question = "what did the County Council hear about children in care?"
    plain = Assistant.open(corpus_settings, corpus_index)
    query, found = plain.retrieve(question)
    assert query.committee == "County Council"
    favoured = Assistant.open(corpus_settings.override(committee_boost=4.0), corpus_index)
    query, boosted = favoured.retrieve(question)
    assert query.committee_boost == 4.0 and all(c.chunk.committee == "County Council" for c in boosted[:5])
    assert [c.chunk.committee for c in found[:5]] != [c.chunk.committee for c in boosted[:5]]  # it moved something
    query, _ = favoured.retrieve("and what about care leavers?", history=[(question, "")])
    assert query.committee == "County Council"


@pytest.mark.parametrize(("question", "unheld"), [
    ("What did the Governance and Audit Committee decide about the risk register?", "Governance and Audit Committee"),
    ("Has the Member Remuneration Panel recommended an uplift?", "Member Remuneration Panel"),
    ("What did the Corporate Parenting Panel resolve on Lifelong Links?", None),  # held
    ("did the Police and Crime Panel meet in July?", None),  # held
    ("What did the Cabinet Committee say about SEND transport?", None),  # no name of its own
    ("what did the audit committee decide", None),  # not written as a name: never guessed
])
def test_a_body_the_index_holds_no_papers_of(names, question, unheld):
    assert names.unknown_named(question) == unheld


def test_a_cabinet_committee_is_not_the_cabinet():
    """A council's cabinet committees are bodies of their own: where none is held, "the CYPE cabinet committee"
    names no committee of the index (not the Cabinet), and is a body whose papers are not held."""
    without = CommitteeNames({k: v for k, v in ARCHIVE.items() if "Cabinet Committee" not in k})
    question = "When did the CYPE cabinet committee endorse the commissioning plan?"
    assert without.named(question) is None
    assert without.unknown_named(question) == "CYPE cabinet committee"
    assert without.unknown_named("Which cabinet committee endorsed the plan before Cabinet?") == "cabinet committee"
    assert without.named("When did Cabinet agree the commissioning plan?") == "Cabinet"
    held = CommitteeNames(ARCHIVE)
    assert held.named(question) == "Children's, Young People and Education Cabinet Committee"
    assert held.unknown_named(question) is None


def test_a_body_named_by_what_any_body_is_called_is_read_in_the_singular_or_plural():
    import re

    from retrieval.committees import word_or_plural

    committees = re.compile(rf"\b{word_or_plural('committees')}\b", re.I)
    assert committees.search("the Adult Social Care Cabinet Committee on 15 January")
    assert committees.search("both cabinet committees") and not committees.search("the committeeship")
    assert re.fullmatch(word_or_plural("CYPE"), "CYPE")  # a short word is left as it is


def test_a_text_names_a_body_by_its_name_its_last_two_words_or_its_own_words():
    from retrieval.committees import names_body

    endorsed = "The Children's and Young People Cabinet Committee endorsed the KCP on 21 November 2024."
    assert names_body("CYPE cabinet committee", endorsed)  # papers call it by its last two words
    assert names_body("Medway Council", "joint work between KCC and Medway on transport")
    assert not names_body("Medway Council", endorsed)
    assert not names_body("Governance and Audit Committee", "the Cabinet agreed the audit plan")


def test_a_decision_of_a_body_not_held_is_looked_for_below_the_first_passages(tmp_path, embeddings, real_papers):
    """The CYPE cabinet committee's papers are not held; only a passage naming it can say when it endorsed the
    plan, and the record of decision that says so ranks below the first passages: it is brought in."""
    from core.settings import Settings
    from ingest.pipeline import ingest_paths
    from retrieval.answer import Assistant
    from retrieval.committees import names_body
    from store.index import PanelIndex

    archive = real_papers.parent / "real-archive"
    papers = [archive / name for name in (
        "cabinet_2025-01-30_24-00096_-_Commissioning_Plan_for_Education_Provision_in_Kent_2025-29_-_Report.pdf",
        "cabinet_2025-01-30_24-00096_-_PRoD.pdf")]
    if not all(p.is_file() for p in papers):
        pytest.skip(f"the real archive is not here ({archive} is absent)")
    settings = Settings.build(index_dir=tmp_path / "index")
    index = PanelIndex(settings.store, embeddings)
    assert not ingest_paths(papers, settings.ingest, index, progress=False).failed
    assistant = Assistant.open(settings, index)
    question = "When did the CYPE cabinet committee endorse the Kent commissioning plan 2025-29?"
    query, candidates = assistant.retrieve(question, k=2)
    assert query.unheld_body == "CYPE cabinet committee"
    assert any("endorsed the KCP" in c.chunk.text for c in candidates)
    assert all(names_body(query.unheld_body, c.chunk.text) for c in candidates[1:])
    answer = assistant.ask(question)
    assert answer.answered and "21 November 2024" in answer.text.split("[1]")[0]


def test_a_decision_of_a_body_whose_papers_are_not_held_is_refused(corpus_settings, corpus_index):
    """Over the sample corpus: the panel's decisions are not another body's, so a question about a body with
    no papers held is refused rather than answered with the panel's resolution on the same topic."""
    from retrieval.answer import Assistant

    assistant = Assistant.open(corpus_settings, corpus_index)
    held = assistant.ask("What did the Corporate Parenting Panel resolve about the performance scorecard?")
    assert held.answered
    unheld = assistant.ask("What did the Governance and Audit Committee resolve about the performance scorecard?")
    assert not unheld.answered and "no paper of the Governance and Audit Committee is held" in unheld.text


def test_another_authority_is_named_by_a_place_the_papers_seldom_name():
    from retrieval.committees import other_authority

    naming = {"kent": 900, "medway": 12, "surrey": 0, "young": 40, "adult": 30}
    assert other_authority("how did Medway Council vote on devolution?", naming, 1000) == "Medway Council"
    assert other_authority("what did Surrey County Council decide?", naming, 1000) == "Surrey County Council"
    assert other_authority("did Kent County Council approve it?", naming, 1000) is None  # the papers' own
    assert other_authority("what did the Young Adult Council ask for?", naming, 1000) is None  # not a place
    assert other_authority("what did the full council decide?", naming, 1000) is None


def test_who_chaired_a_meeting_is_answered_by_the_sentence_naming_the_person(tmp_path, embeddings, real_papers,
                                                                            monkeypatch):
    """Over the County Council's minutes, the summons to that meeting and the Cabinet's minutes: "who chaired the
    meeting?" was led by the summons, which names no one (and so refused for want of a name), while the minute
    electing the chair names him."""
    from core.settings import Settings
    from ingest.pipeline import ingest_paths
    from retrieval.answer import Assistant, compose
    from store.index import PanelIndex

    summons = real_papers.parent / "real-archive" / \
        "full_council_2025-01-09_Agenda_frontsheet_09th-Jan-2025_10.00_County_Council.pdf"
    if not summons.is_file():
        pytest.skip(f"the real archive is not here ({summons.parent} is absent)")
    settings = Settings.build(index_dir=tmp_path / "index")
    index = PanelIndex(settings.store, embeddings)
    papers = [real_papers / "kent-county-council-2025-01-09-printed-minutes.pdf", summons,
              real_papers / "kent-cabinet-2025-01-30-printed-minutes.pdf"]
    assert not ingest_paths(papers, settings.ingest, index, progress=False).failed
    # Here the summons leads at a confidence of about 0.73; among the whole archive it led at 0.51, under the bar
    # below which an answer naming no one for "who" is refused: that bar raised puts this index in that place.
    monkeypatch.setattr(compose, "TYPE_MISSING_CONFIDENCE", 0.8)
    answer = Assistant.open(settings, index).ask("who chaired the extraordinary county council meeting on 9th jan?")
    assert answer.answered and "Mr G Cooke be elected to Chair" in answer.text.split("[1]")[0]


def test_a_body_not_held_is_found_deciding_in_the_passive(tmp_path, embeddings, real_papers):
    """"which cabinet committee looked at the plan before Cabinet, and when?": no cabinet committee's papers are
    held, and the record of decision says it in the passive ("The proposed decision was considered and endorsed at
    the Health Reform and Public Health Cabinet Committee on 21 January 2025"): that answers."""
    from core.settings import Settings
    from ingest.pipeline import ingest_paths
    from retrieval.answer import Assistant
    from store.index import PanelIndex

    archive = real_papers.parent / "real-archive"
    papers = [archive / f"cabinet_2025-01-30_24-00115_-_{name}.pdf"
              for name in ("PROD", "Adoption_of_Integrated_Care_Strategy_delivery_plan_-_Report")]
    if not all(p.is_file() for p in papers):
        pytest.skip(f"the real archive is not here ({archive} is absent)")
    settings = Settings.build(index_dir=tmp_path / "index")
    index = PanelIndex(settings.store, embeddings)
    assert not ingest_paths(papers, settings.ingest, index, progress=False).failed
    answer = Assistant.open(settings, index).ask(
        "which cabinet committee looked at the ICS delivery plan before Cabinet took the decision, and on what date?")
    assert answer.answered, answer.text
    lead = answer.text.split("[1]")[0]
    assert "Health Reform and Public Health Cabinet Committee" in lead and "21 January 2025" in lead
