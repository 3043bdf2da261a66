"""Structure recovered from real papers and the built corpus: meetings, minutes, decisions, periods."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from core.catalogue import Catalogue, PaperEntry
from core.records import DecisionKind, Page, Table
from ingest.chunker import make_chunks
from ingest.scorecard import parse_scorecard_row
from ingest.structure import (
    SECTION,
    analyse,
    continues,
    file_title,
    find_committee,
    front_sheet_items,
    table_title_above,
)
from tests.conftest import read_pdf_once

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
CATALOGUE = Catalogue.load(CORPUS).papers


def structure_of(path: Path, entry: PaperEntry | None = None):
    doc = read_pdf_once(path)
    return analyse(doc.pages, path.name, doc.content_hash, entry, doc.metadata_title)


@pytest.fixture(scope="module")
def pack_2019():
    name = next(n for n, p in CATALOGUE.items() if p.meeting_date == "2019-01-29")
    return CORPUS / name, structure_of(CORPUS / name, CATALOGUE[name])


def _page_holding(path: Path, phrase: str) -> int:
    with pdfplumber.open(path) as pdf:
        hits = [i for i, page in enumerate(pdf.pages, 1) if phrase in " ".join((page.extract_text() or "").split())]
    assert len(hits) == 1, hits
    return hits[0]


def test_minute_118_resolved_to_note_mind_of_my_own(pack_2019):
    path, structure = pack_2019
    momo = [d for d in structure.decisions if "Mind Of My Own" in d.text]
    assert len(momo) == 1
    decision = momo[0]
    assert decision.text == "It was RESOLVED that the progress of the roll-out of Mind Of My Own (MOMO) be noted."
    assert (decision.minute, decision.item, decision.meeting_date) == ("118", "12", "2018-11-01")
    assert decision.minute_title.startswith("Update on Mind Of My Own App")
    assert decision.page == _page_holding(path, "roll-out of Mind Of My Own (MOMO) be noted")


def test_the_minutes_in_the_pack_record_their_own_meeting(pack_2019):
    _, structure = pack_2019
    assert structure.info.meeting_date == "2019-01-29"
    # The resolutions, in minute order (a vote of those minutes is a record of its own, listed after them).
    minutes_decisions = [d for d in structure.decisions
                         if d.meeting_date == "2018-11-01" and d.kind == DecisionKind.RESOLUTION]
    assert len(minutes_decisions) >= 12
    assert [int(d.minute) for d in minutes_decisions] == sorted(int(d.minute) for d in minutes_decisions)
    assert all(5 <= d.page <= 20 for d in minutes_decisions)  # the minutes are item 3, pages 5-20


def test_front_sheet_items_and_their_pages(pack_2019):
    _, structure = pack_2019
    assert structure.items["8"] == ("Performance Scorecard for Children in Care", 27, 36)
    assert structure.items["3"][1:] == (5, 20)
    wrapped = front_sheet_items("9 Virtual School Kent Overview Report 2017 (validated results) and 2018 (un-\n"
                                "validated results) (Pages 37 - 72)\n10 Young People missing (Pages 73 - 82)")
    assert wrapped["9"][1:] == (37, 72) and wrapped["10"] == ("Young People missing", 73, 82)


def test_scorecard_month_travels_with_its_figures(pack_2019):
    _, structure = pack_2019
    chunks = make_chunks(structure)
    rows = [c for c in chunks if c.kind == "table" and "% of Children who participated at CIC Reviews" in c.text]
    assert rows and all(c.period == "Nov 2018" for c in rows)
    assert all("Period Nov 2018" in c.header and "Item 8" in c.header for c in rows)
    assert all(27 <= c.page_start <= 36 for c in rows)
    # a row wrapped over two lines of the page is one row again
    assert any("% of Children who participated at CIC Reviews H R12M 96.6% G 4,001 4,140 95% 96.3% 95.8%"
               in " ".join(c.text.split()) for c in rows)


def test_numbered_sections_and_report_subjects(pack_2019):
    _, structure = pack_2019
    chunks = make_chunks(structure)
    eet = next(c for c in chunks if "just below the Target of 65.0%" in c.text)
    assert eet.section.startswith("3.5.9")
    assert "Performance Scorecard" in eet.header
    # The scorecard's figure pairs ("14.6 15.6") are rows, not sections 14.6 of the report.
    assert not [c.section for c in chunks if c.section and re.match(r"[\d.]+ [-+£]?\d[\d,.]*(?: |$)", c.section)]


@pytest.mark.parametrize(("line", "heading"), [
    ("3.8 3.1 -0.7 accommodation & section addition", False),  # budget, forecast, variance of a finance table
    ("22.1 23.2 +1.0", False),
    ("35.0 35.0 Reduction in Grant Income", False),
    ("3.4.2 % of Care Leavers in employment, education or training", True),
    ("2.05 77% of our Children In Care of compulsory school age", True),
    ("4.1 2024-25 budget monitoring", True),
    ("0.0 Demand & Cost Drivers - Demand 22,989.0 24,150.3 47,139.3", False),  # no section is numbered from 0
    ("10.2 The reserves", True),
])
def test_a_numbered_heading_does_not_start_with_a_figure(line, heading):
    assert bool(SECTION.match(line)) is heading


def test_scorecard_row_columns():
    row = parse_scorecard_row(
        "% of CIC placed within 20 miles from home (exc UASC) H SS 76.6% A 968 1,264 80% 77.1% 78.4%")
    assert row == {"indicator": "% of CIC placed within 20 miles from home (exc UASC)", "polarity": "H",
                   "period_type": "SS", "value": "76.6%", "rag": "A", "numerator": "968", "denominator": "1,264",
                   "target": "80%", "previous": "77.1%", "last_year": "78.4%"}
    assert parse_scorecard_row("The Panel noted the report.") is None


def test_older_minutes_use_numbered_paragraphs_and_noted(tmp_path):
    name = next(n for n, p in CATALOGUE.items() if p.meeting_date == "2015-12-08")
    structure = structure_of(CORPUS / name, CATALOGUE[name])
    noted = [d for d in structure.decisions if d.text.startswith("The verbal updates were NOTED")]
    assert noted and all(d.meeting_date == "2015-10-23" for d in noted)
    # the Kent Corporate Parenting Group minutes carry "23rd November" without a year
    assert any(ln.context.meeting_date == "2015-11-23" for ln in structure.lines)


def test_real_panel_minutes(real_papers):
    structure = structure_of(real_papers / "kent-corporate-parenting-panel-2024-12-10-minutes.pdf")
    info = structure.info
    assert (info.committee, info.meeting_date, info.kind) == ("Corporate Parenting Panel", "2024-12-10", "minutes")
    assert [d.item for d in structure.decisions] == ["3", "4", "5", "6", "7", "8", "10"]
    assert all(d.meeting_date == "2024-12-10" for d in structure.decisions)
    assert structure.decisions[1].minute_title == "Participation Team Update"
    assert structure.decisions[1].page == 2


def test_real_cabinet_decision_keeps_its_lettered_parts(real_papers):
    structure = structure_of(real_papers / "kent-cabinet-2025-01-30-printed-minutes.pdf")
    budget = next(d for d in structure.decisions if d.minute == "88")
    assert budget.item == "5" and budget.page == 10 and budget.meeting_date == "2025-01-30"
    assert budget.text.startswith("RESOLVED that Cabinet agree to: A) Note the forecast revenue overspend")
    assert "e) Agree the Capital budget changes." in budget.text
    assert "f) Note the Reserves, Treasury Management and Prudential Indicators Monitoring" in budget.text
    assert [d.minute for d in structure.decisions] == ["86", "88", "89", "90", "91", "92"]


def test_real_council_minutes_numbered_parts(real_papers):
    structure = structure_of(real_papers / "kent-county-council-2025-01-09-printed-minutes.pdf")
    devolution = next(d for d in structure.decisions if d.minute == "285")
    assert devolution.text.startswith("RESOLVED that the County Council: (1) Endorses")
    assert "(4)" in devolution.text


def test_questions_pack_pages_map_to_its_item(real_papers):
    structure = structure_of(real_papers / "kent-county-council-2025-03-13-questions-pack.pdf")
    cover = [ln for ln in structure.lines if ln.page == 1]
    body = [ln for ln in structure.lines if ln.page == 3]
    assert all(ln.context.item is None for ln in cover)  # the cover letter is before "Page 1"
    assert all(ln.context.item == "6" for ln in body)


@pytest.mark.parametrize(("cover", "period"), [
    ("Finance Monitoring Report\nAs at November 2024-25 - Quarter 3\nTo Cabinet - 30 January 2025", "Nov 2024"),
    ("Subject: Budget Monitoring\nSummary: the position as at\n30 September 2023 is set out below.", "Sep 2023"),
    ("Finance Monitoring Report\nTo Cabinet - 30 January 2025", None),  # no month stated on the cover
])
def test_a_report_as_at_a_month_on_its_cover_is_of_that_month_throughout(tmp_path, cover, period):
    from evals.pdf_factory import text_pdf

    body = "Older People - Residential Care Services 97.5 124.9 +27.4\nPressure from slippage in savings."
    later = "The reserves as at 31 March 2026 are forecast to fall."  # a date inside the report is not its period
    path = text_pdf(tmp_path / "monitoring.pdf", [cover, body, later])
    structure = structure_of(path)
    assert {line.context.period for line in structure.lines} == {period}
    # The month is the passages' period, not words of every passage's embedded header.
    assert not any("Period" in chunk.header for chunk in make_chunks(structure))


@pytest.mark.parametrize(("name", "title"), [
    ("cabinet_2025-01-30_Appendix_B_Capital_Investment_by_Directorate.pdf",
     "Appendix B Capital Investment by Directorate"),
    ("2025-01-30-item-5-revenue-and-capital-monitoring.pdf", "item 5 revenue and capital monitoring"),
    ("kent-cpp-2018-09-19-agenda-pack.pdf", None),  # names only the kind of paper: the meeting names it better
    ("cabinet_2025-01-30_Appendix_D_21.01.25.pdf", None),
])
def test_a_paper_without_its_own_title_is_named_by_its_file(name, title):
    assert file_title(name) == title


def test_an_untitled_report_takes_its_file_name_and_minutes_their_meeting():
    page = Page(number=1, text="Report to Cabinet\n30 January 2025\n1. Introduction\n1.1 The budget is set out below.")
    report = analyse([page], "cabinet_2025-01-30_Appendix_H_Assessment_of_Financial_Resilience.pdf", "h",
                     metadata_title="THE REPORT")
    assert report.info.title == "Appendix H Assessment of Financial Resilience"
    minutes = analyse([Page(number=1, text="MINUTES of a meeting of the Cabinet held on 30 January 2025")],
                      "cabinet_2025-01-30_Printed_minutes.pdf", "m")
    assert minutes.info.title.startswith("Cabinet minutes")


@pytest.mark.parametrize(("opening", "committee"), [
    ("To: All Members of the County Council", "County Council"),
    ("CORPORATE PARENTING PANEL\nSome text", "Corporate Parenting Panel"),
    ("Corporate Parenting Panel - 29 January 2019", "Corporate Parenting Panel"),
    ("Accounting Panel (LAAP) Bulletin No.99, Guidance Note on Local Authority Reserves", None),  # prose
    ("MTFP Category Directorate Cabinet Headline Description Brief Description 2025-26", None),  # a table header
    ("Group.", None),
])
def test_a_committee_is_named_on_a_line_of_its_own(opening, committee):
    assert find_committee(opening) == committee


def test_a_numbered_heading_set_off_by_a_bar_starts_a_section():
    text = ("FINANCE MONITORING REPORT\n2.6 Please refer to Section 7, 8, and Appendix 3\n"
            "3a | Adult Social Care & Health including Public Health\n"
            "12 | Older People | 97.5 | 124.9\n"  # a table's row read as text, bars between its cells: no heading
            "The directorate has a projected net overspend of +£35.4m of which £26.2m relates to savings.")
    structure = analyse([Page(1, text)], "finance-monitoring.pdf", "h1", None, "Finance Monitoring Report")
    line = next(ln for ln in structure.lines if "projected net overspend" in ln.text)
    assert line.context.section == "3a Adult Social Care & Health including Public Health"


def test_a_boards_notes_are_its_minutes_and_each_decision_line_a_decision():
    """A partnership board keeps "notes", items numbered "1.", "2." with sub-points, and records "DECISION:"
    lines, two in one item at times: the notes are minutes, each item a minute, each line a decision."""
    text = ("ELMSWORTH COUNTY COUNCIL\nCORPORATE PARENTING PARTNERSHIP BOARD\n\nNOTES OF MEETING\n"
            "Tuesday 28 January 2020, 2.00pm to 4.35pm\n\n"
            "1. Welcome and apologies\n1.1 ME (Chair) welcomed everyone.\n\n"
            "2. Housing protocol for care leavers\n2.1 KM presented the draft joint protocol.\n"
            "2.2 Board agreed the protocol means little until all four authorities have signed.\n"
            "DECISION: Board endorsed the draft joint protocol for consultation.\n"
            "DECISION: Progress reports on the protocol to come to the Board, the first to the July Board.\n"
            "ACTION: KM to share the housing protocol with Board members.\n\n"
            "3. Any other business\n3.1 None.\n")
    structure = analyse([Page(1, text)], "elmsworth-cppb-2020-01-28-minutes.pdf", "n1")
    assert structure.info.kind == "minutes"
    decisions = [d for d in structure.decisions if d.text.startswith("DECISION")]
    assert [d.minute for d in decisions] == ["2", "2"]
    assert {d.meeting_date for d in decisions} == {"2020-01-28"}
    assert decisions[1].text.startswith("DECISION: Progress reports on the protocol")


def test_an_item_headed_with_its_minute_reference_and_an_agreed_decision():
    """"Item 5: TITLE" over "Minute CPB/21/5" heads a minute; "The Board AGREED: (a) ...; (b) ..." is its
    decision; "MINUTES of the remote meeting" opens minutes as "MINUTES of the meeting" does."""
    text = ("LONDON BOROUGH OF BRACKENFIELD\n\nCORPORATE PARENTING BOARD\n\n"
            "MINUTES of the remote meeting of the Corporate Parenting Board held on Tuesday 9 March 2021 at "
            "6.30 pm.\n\n"
            "Item 5: VOICE OF THE CHILD: THE HIVE\nMinute CPB/21/5\n\n"
            "Kez and Amir presented the Hive's Top Tips leaflet for new foster carers.\n\n"
            "The Board AGREED:\n(a) to thank the Hive for their presentation; and\n"
            "(b) to receive a report on pocket money rates at the September Board.\n\n"
            "Item 6: PERFORMANCE DASHBOARD\nMinute CPB/21/6\n\nThe dashboard was presented.\n")
    structure = analyse([Page(1, text)], "brackenfield-cpb-2021-03-09-minutes.pdf", "n2")
    assert structure.info.kind == "minutes"
    line = next(ln for ln in structure.lines if "Top Tips leaflet" in ln.text)
    assert (line.context.minute, line.context.minute_title, line.context.meeting_date) == (
        "CPB/21/5", "VOICE OF THE CHILD: THE HIVE", "2021-03-09")
    [agreed] = [d for d in structure.decisions if "AGREED" in d.text]
    assert agreed.minute == "CPB/21/5" and "(b) to receive a report on pocket money" in agreed.text


@pytest.mark.parametrize(("heading", "minute"), [
    ("3   KEEPING THE PROMISE: PROGRESS WITH THE PROMISE PLAN", "3"),  # a Scottish minute, no stop
    ("CPB 4/23  VOICE OF THE CHILD", "CPB 4/23"),  # a reference with a space
    ("Item 6 Our new offer to care leavers", "6"),  # minutes that number only their items
    ("HWB 14  Health of children in care: annual report", "HWB 14"),  # a board's letters and number
])
def test_other_councils_minute_headings(heading, minute):
    text = ("GLENARLOW COUNCIL\nMINUTE of MEETING of the CORPORATE PARENTING SUB-COMMITTEE held on Tuesday 22 "
            "February 2022.\n\n" + heading + "\n\nThere was submitted a report by the Chief Social Work Officer.\n"
            "The Sub-Committee resolved:-\n(i) to note the report; and\n(ii) to request a further report in six "
            "months' time.\n")
    structure = analyse([Page(1, text)], "glenarlow-cpsc-2022-02-22-minutes.pdf", "g1")
    assert structure.info.kind == "minutes"
    line = next(ln for ln in structure.lines if "There was submitted" in ln.text)
    assert line.context.minute == minute
    [resolved] = [d for d in structure.decisions if "resolved" in d.text]
    assert resolved.minute == minute and "(ii) to request a further report" in resolved.text


@pytest.mark.parametrize(("declarations", "lodgings", "item"), [
    ("DECLARATIONS OF INTEREST", "SUPPORTED LODGINGS FOR CARE LEAVERS", None),  # titles in capitals
    ("Declarations of Interest", "Supported Lodgings for Care Leavers (Item 4)", "4"),  # title case, item number
])
def test_minutes_numbered_by_paragraph_under_unnumbered_titles(declarations, lodgings, item):
    """Many Welsh councils number their minutes' paragraphs on across items, each item under an unnumbered title: the
    item is a minute, numbered by its first paragraph, and its later paragraphs are no minutes."""
    text = ("TREFOR COUNTY BOROUGH COUNCIL\n\nMinutes of the meeting of the Corporate Parenting Committee held on "
            f"Tuesday 8 February 2022 at 10.00 a.m.\n\n{declarations}\n\n"
            "12. Councillor Rees declared a personal interest in the item on fostering, as a relative was a\n"
            f"foster carer with the Council.\n\n{lodgings}\n\n"
            "13. Consideration was given to a report of the Head of Children's Services on the supported\n"
            "lodgings scheme, which had twelve hosts at the end of December 2021.\n"
            "14. Members asked how the scheme was promoted, and it was explained that a campaign would\n"
            "run in the spring.\n"
            "15. AGREED: That a report on the spring campaign be presented to the next meeting.\n")
    title = lodgings.removesuffix(" (Item 4)")
    structure = analyse([Page(1, text)], "trefor-cpc-2022-02-08-minutes.pdf", "w1")
    assert structure.info.kind == "minutes"
    campaign = next(ln for ln in structure.lines if "campaign would" in ln.text)
    assert (campaign.context.minute, campaign.context.minute_title, campaign.context.item) == ("13", title, item)
    [agreed] = [d for d in structure.decisions if d.text.startswith("AGREED")]
    assert (agreed.minute, agreed.minute_title) == ("13", title)
    interest = next(ln for ln in structure.lines if "declared a personal interest" in ln.text)
    assert interest.context.minute == "12"


def test_a_groups_notes_numbered_by_item_under_a_list_of_apologies():
    """An officers' group's notes: "Apologies:" over a line of names, then "1. Introductions and apologies",
    "2. ...": the names are no minute's title, and the items are minutes numbered 1, 2, 3."""
    text = ("WEYHOLT CORPORATE PARENTING GROUP\n\nNotes of the meeting held on Tuesday 16 February 2016, "
            "Committee Room 2\n\nPresent:\nHelen Marsh (HM), Director (Chair)\nTom Radley (TR), Head of Service\n\n"
            "Apologies:\nDI Mark Tilley, Weyholt Police; Ryan, Speak Up Weyholt\n\n1. Introductions and apologies\n\n"
            "Helen welcomed everyone.\n\n2. Notes of the last meeting and matters arising\n\nThe notes were agreed.\n\n"
            "3. Health of Children in Care\n\nTom said he would bring the figures to the May meeting.\n\n"
            "4. Any other business\n\nThere was none.\n")
    structure = analyse([Page(1, text)], "weyholt-cpg-2016-02-16-minutes.pdf", "wy")
    figures = next(ln for ln in structure.lines if "bring the figures" in ln.text)
    assert (figures.context.minute, figures.context.minute_title) == ("3", "Health of Children in Care")


def test_the_line_above_a_numbered_heading_is_no_part_of_its_title():
    """Text appended to a minute ends on a line with no stop ("Jade and Connor, Our Voice"); the numbered heading
    below it, "18.  Foster Care Association Update (Item 7)", is a minute of its own."""
    text = ("HARTSDOWN COUNTY COUNCIL\n\nMINUTES of a meeting of the Corporate Parenting Panel held on Tuesday, 20 "
            "March 2018.\n\n17.  Our Voice - Children in Care Council Update (Item 6)\n\n(1) Jade gave an update.\n\n"
            "(2) RESOLVED that the update be noted.\n\nThank you for listening to us. Jade and Connor, Our Voice\n"
            "18.  Foster Care Association Update (Item 7)\n\n(1) Mrs Mulvey said that she would write to Members.\n\n"
            "(2) RESOLVED that the update be noted.\n")
    structure = analyse([Page(1, text)], "hartsdown-cpp-2018-03-20-minutes.pdf", "hx")
    mulvey = next(ln for ln in structure.lines if "write to Members" in ln.text)
    assert (mulvey.context.minute, mulvey.context.minute_title, mulvey.context.item) == (
        "18", "Foster Care Association Update", "7")


def test_a_title_over_a_paragraph_numbered_afresh_is_no_item_of_paragraphs_numbered_on():
    """A title in ordinary case heads an item of its own only where its first paragraph carries the minutes'
    numbering on: over "2." after paragraph 7, it is a line of the item's text (a subheading), not a new minute."""
    text = ("TREFOR COUNTY BOROUGH COUNCIL\n\nMinutes of the meeting of the Corporate Parenting Committee held on "
            "Tuesday 8 February 2022 at 10.00 a.m.\n\nSUPPORTED LODGINGS FOR CARE LEAVERS\n\n"
            "7. Consideration was given to a report of the Head of Children's Services on the supported\n"
            "lodgings scheme, which had twelve hosts at the end of December 2021.\n\nThe Hosts' Survey\n\n"
            "2. The survey of hosts had found that most of them would recommend the scheme to a friend.\n")
    structure = analyse([Page(1, text)], "trefor-cpc-2022-02-08-minutes.pdf", "w2")
    survey = next(ln for ln in structure.lines if "survey of hosts" in ln.text)
    assert (survey.context.minute, survey.context.minute_title) == ("7", "SUPPORTED LODGINGS FOR CARE LEAVERS")


def test_a_resolutions_parts_follow_an_opening_that_has_not_ended():
    """"RESOLVED: That the Board" then "(1) notes ...; (2) asks ...": the parts are the resolution's."""
    text = ("BRANTWOOD CITY COUNCIL\nHEALTH AND WELLBEING BOARD\n\nMinutes of the meeting of the Health and Wellbeing "
            "Board held on Tuesday 6 June 2023\n\nHWB 15  Care leavers' mental health\n\nKayleigh presented the "
            "survey.\n\nRESOLVED: That the Board\n(1) thanks Kayleigh for the survey;\n(2) asks the ICB to bring a "
            "costed proposal to the September meeting.\n")
    structure = analyse([Page(1, text)], "brantwood-hwb-2023-06-06-minutes.pdf", "b1")
    [resolved] = [d for d in structure.decisions if d.text.startswith("RESOLVED")]
    assert resolved.minute == "HWB 15" and "(2) asks the ICB to bring a costed proposal" in resolved.text


def test_a_table_carried_over_a_page_keeps_the_header_that_names_its_figures(real_papers):
    """The Q3 monitoring's table of the average cost per pupil breaks after its first row: the rows at the top of
    the next page are read as a table of their own whose first row (figures) would be its header."""
    from core.records import Table
    from ingest.pdf_reader import read_pdf

    doc = read_pdf(real_papers / "kent-cabinet-2025-01-30-finance-monitoring-q3-2024-25.pdf")
    structure = analyse(doc.pages, "finance-monitoring.pdf", doc.content_hash, None, doc.metadata_title)
    on_28 = [line for page, _, rows in structure.tables if page == 28 for line in rows]
    assert any(line.startswith("Independent Schools; 20-21: £43,734;") and "24-25: £50,018" in line for line in on_28)
    assert not any("£43,734: " in line for line in on_28)
    assert on_28[0] == "£s per pupil"  # and its caption, the unit of its figures
    # a table of its own under a header of words, or one whose header is years, is not carried on
    words = Table(header=["Service", "2023-24", "2024-25"], rows=[["A", "1", "2"]])
    assert not continues(words, Table(header=["Service", "2024", "2025"], rows=[["B", "3", "4"]]))
    assert not continues(words, Table(header=["Area", "Budget", "Spend"], rows=[["B", "3", "4"]]))
    assert not continues(words, Table(header=["Independent Schools", "£43,734"], rows=[["B", "3"]]))
    assert continues(words, Table(header=["Independent Schools", "£43,734", "-"], rows=[["B", "3", "4"]]))


def test_a_page_number_printed_alone_at_the_foot_is_no_words_of_the_paper(real_papers):
    """The Cabinet minutes print each page's number alone on its last line: a resolution at the foot of page 17
    ended "... in Kent 2025-29 17", a figure no one wrote."""
    from ingest.pdf_reader import read_pdf

    path = real_papers / "kent-cabinet-2025-01-30-printed-minutes.pdf"
    doc = read_pdf(path)
    assert doc.pages[16].text.splitlines()[-1].strip() == "17"  # the footer is there to drop
    structure = analyse(doc.pages, path.name, doc.content_hash, None, doc.metadata_title)
    plan = next(d for d in structure.decisions if "Commissioning Plan for Education Provision" in d.text)
    assert plan.page == 17 and plan.text.endswith("in Kent 2025-29")
    assert not any(line.text.strip() == str(line.page) for line in structure.lines)
    # a figure alone in the middle of a page stays
    middle = analyse([Page(number=3, text="Heading\n3\nThe total was 3 places.")], "x.pdf", "h")
    assert any(line.text.strip() == "3" for line in middle.lines)
    # a page of blank lines, or the number alone, leaves nothing and breaks nothing
    pages = [Page(number=1, text="  \n \n"), Page(number=2, text="2"), Page(number=3, text="Text.")]
    blank = analyse(pages, "y.pdf", "h")
    assert [line.text for line in blank.lines if line.text.strip()] == ["Text."]


def test_a_packs_own_page_footer_at_a_page_break_is_no_words_of_the_sentence_it_splits(real_papers):
    """A report inside an agenda supplement carries the pack's numbering: its sentence "As of January 2025, the
    18-25 section ... 925 young adults" breaks over a page whose last line is "Page 2" (the PDF's page 4), and read
    "As of January Page 2 2025"."""
    from ingest.pdf_reader import read_pdf

    path = real_papers.parent / "real-archive" / ("cabinet_2025-01-30_Item_7_-_Supplementary_-_2400109_-_Transfer_the_"
                                                  "18-25_section_of_the_Strengthening_Independence_Ser.pdf")
    doc = read_pdf(path)
    assert doc.pages[3].text.splitlines()[-1].strip() == "Page 2"  # the footer is there to drop
    structure = analyse(doc.pages, path.name, doc.content_hash, None, doc.metadata_title)
    text = "\n".join(line.text for line in structure.lines)
    assert "As of January\n2025, the 18-25 section" in text and "January\nPage 2" not in text
    # "Page 3 of 6" at a page's head goes too; the words "Page 3" inside a sentence stay
    pages = [Page(number=1, text="Page 3 of 6\nSee Page 3 of the report.")]
    assert [line.text for line in analyse(pages, "z.pdf", "h").lines] == ["See Page 3 of the report."]


def test_a_table_is_of_the_section_just_above_it_not_of_its_pages_first_line(real_papers):
    """The draft budget's page 17 opens in section 4.6 (growth); the Dedicated Schools Grant's table of blocks stands
    under section 5, and is filed there."""
    from ingest.pdf_reader import read_pdf

    path = real_papers.parent / "real-archive" / ("cabinet_2025-01-30_Draft_Revenue_Budget_2025-26_and_2025-28_MTFP_"
                                                  "and_Draft_Capital_Programme_2025-35.pdf")
    doc = read_pdf(path)
    structure = analyse(doc.pages, path.name, doc.content_hash, None, doc.metadata_title)
    first_on_17 = next(line for line in structure.lines if line.page == 17)
    blocks = next(ctx for page, ctx, rows in structure.tables if page == 17 and rows[0].startswith("Schools Block"))
    assert first_on_17.context.section.startswith("4.6") and blocks.section.startswith("5.")


def test_a_table_carries_its_numberedtable_title_above_it(real_papers):
    """The Q3 monitoring's page 27 holds three tables under one header of years ("2020-21 ... 2024-25"): each is
    found by its own first row and carries its own title ("Table 3: Total Spend on High Needs Block ..."), which
    names what its rows ("Total Spend") are of; a table carried on to the next page keeps its title."""
    from ingest.pdf_reader import read_pdf

    path = real_papers / "kent-cabinet-2025-01-30-finance-monitoring-q3-2024-25.pdf"
    doc = read_pdf(path)
    structure = analyse(doc.pages, path.name, doc.content_hash, None, doc.metadata_title)
    titles = [(page, (ctx.table_title or "").split(":")[0]) for page, ctx, _ in structure.tables if page in (27, 28)]
    assert titles == [(27, "Table 3"), (27, "Table 4"), (27, "Table 5"), (28, "Table 5")]
    spend = next(ctx for page, ctx, rows in structure.tables if page == 27 and any(r.startswith("Total Spend")
                                                                                   for r in rows))
    assert "High Needs Block" in spend.table_title
    chunks = [c for c in make_chunks(structure) if c.kind.value == "table" and "Total Spend; 2020-21: 264" in c.text]
    assert chunks and "Table 3: Total Spend on High Needs Block" in chunks[0].header
    # a numbered title wrapped on two lines is read whole; a page's text above a table is no title
    assert table_title_above(["Table 7: Authorised limit for external", "debt in £millions", "2024-25 2025-26",
                         "Borrowing 1.0 2.0"], 3, Table(header=["", "2024-25", "2025-26"], rows=[])) \
        == "Table 7: Authorised limit for external debt in £millions"
    assert table_title_above(["1.3 The table below sets out the grants.", "2024-25 2025-26", "Borrowing 1.0 2.0"], 2,
                        Table(header=["", "2024-25", "2025-26"], rows=[])) is None


def test_a_papers_running_head_and_foot_are_no_text_of_it(tmp_path):
    """A line printed at the same place at the top or foot of most pages ("Appendix Q"; a two-line foot whose first
    line carries the page's own "Page 2 of 4") is no text of the paper after its first page: a sentence carried over
    the page runs on without it, and a question about it meets no footer."""
    from evals.pdf_factory import text_pdf

    foot = "Numbers are rounded, so small differences occur and tables may appear not Page {n} of 4\nto add up."
    bodies = ["Government grants\nThis appendix sets out the grants in the provisional settlement for 2025-26. "
              "Each grant is described in turn below.",
              "A) Revenue Support Grant\nThe settlement rolls several former grants into the grant. "
              "The Council's provisional allocation of the grant for 2025-26 is",
              "£15.7m, which reflects rolled in grants of £3.7m and an inflationary increase of £0.2m.\n"
              "B) New Homes Bonus\nThe scheme rewards authorities that increase their housing stock.",
              "C) Services Grant\nThe Services Grant ends in 2025-26 and its funding is redistributed."]
    pages = [f"Appendix Q\n{body}\n\n{foot.format(n=n)}" for n, body in enumerate(bodies, start=1)]
    doc = read_pdf_once(text_pdf(tmp_path / "appendix-q.pdf", pages))
    structure = analyse(doc.pages, "appendix-q.pdf", doc.content_hash)
    text = " ".join(" ".join(c.text.split()) for c in make_chunks(structure))
    assert "provisional allocation of the grant for 2025-26 is £15.7m, which reflects" in text
    assert text.count("Appendix Q") == 1 and text.count("to add up") == 1  # the first page keeps its own


def test_the_minutes_read_tool_lists_each_minute_and_decision(tmp_path):
    """``python -m evals.minutes_read`` prints how ingest reads a paper's minutes, to compare paper by paper."""
    from evals.minutes_read import minute_lines
    from evals.pdf_factory import text_pdf

    pdf = text_pdf(tmp_path / "trefor-cpc-2022-02-08-minutes.pdf", [
        "TREFOR COUNTY BOROUGH COUNCIL\n\nMinutes of the meeting of the Corporate Parenting Committee held on "
        "Tuesday 8 February 2022 at 10.00 a.m.\n\nSUPPORTED LODGINGS FOR CARE LEAVERS\n\n"
        "13. Consideration was given to a report of the Head of Children's Services on the supported\n"
        "lodgings scheme, which had twelve hosts at the end of December 2021.\n"
        "14. AGREED: That a report on a spring campaign to recruit hosts be presented to the next meeting.\n"])
    lines = minute_lines(pdf)
    assert lines[0] == f"FILE {pdf.name}"
    assert any("minute='13'" in line and "SUPPORTED LODGINGS" in line for line in lines)
    assert any(line.startswith("  decision minute='13'") and "spring campaign" in line for line in lines)
