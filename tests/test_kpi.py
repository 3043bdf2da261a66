"""KPI tables whose periods are columns (``ingest.kpi``): read from real council papers and from made PDFs
(ruled tables with month and quarter columns, a table that is only text), stored beside the scorecards'
rows, and answered through the real assistant with value, period, target, RAG and page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fpdf import FPDF

from core.catalogue import Catalogue
from core.periods import canonical_period, names_period, period_end, within_period
from evals.pdf_factory import _font_path
from ingest.chunker import make_chunks
from ingest.kpi import figure_rows, kpi_rows, read_column
from ingest.scorecard import parse_scorecard_row, scorecard_rows
from ingest.structure import analyse
from retrieval.answer.figures import asked_period
from tests.conftest import read_pdf_once

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SHARED = REPO.parent / "shared"
FINANCE = SHARED / "real-papers" / "kent-cabinet-2025-01-30-finance-monitoring-q3-2024-25.pdf"
TREASURY = SHARED / "real-archive" / "cabinet_2025-01-30_Appendix_L_-_Treasury_Management_Strategy_2025-26.pdf"
CAPITAL = SHARED / "real-archive" / "cabinet_2025-01-30_Appendix_B_Capital_Investment_by_Directorate.pdf"
CAPITAL_STRATEGY = SHARED / "real-archive" / "cabinet_2025-01-30_Appendix_N_-_Capital_Strategy.pdf"

MONTHS = [["Indicator", "Oct-24", "Nov-24", "Dec-24", "Target", "RAG", "Direction of travel"],
          ["Number of children in care", "1,402", "1,391", "1,384", "1,350", "A", "Improving"],
          ["% of care leavers in education, employment or training", "61.2%", "62.0%", "63.5%", "65.0%", "A",
           "Improving"],
          ["Average caseload of social workers", "18.2", "17.9", "17.5", "18.0", "G", "Same"]]
QUARTERS = [["Measure", "Q1 2024/25", "Q2 2024/25", "Q3 2024/25", "Target 2024/25", "RAG"],
            ["Initial health assessments within 20 working days", "48%", "52%", "57%", "90%", "R"],
            ["Children placed for adoption", "21", "19", "24", "80", "G"]]
TEXT_TABLE = ("Indicator 2021/22 2022/23 2023/24 Target RAG\n"
              "Care leavers in suitable accommodation 88% 90% 91% 92% A\n"
              "Missing episodes of children in care 1,210 1,105 987 1,000 G\n"
              "The panel noted the figures above.")


def kpi_pdf(path: Path) -> Path:
    """A performance report as a council prints one: a ruled table of months, one of quarters, and on the
    second page a table that is only lines of text."""
    pdf = FPDF(format="A4", orientation="L")
    pdf.add_font("DejaVu", fname=_font_path())
    pdf.add_font("DejaVu", style="B", fname=_font_path().replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))
    pdf.set_font("DejaVu", size=9)
    pdf.add_page()
    pdf.multi_cell(0, 6, "Corporate Parenting Panel\nPerformance report for the meeting held on 4 February 2025\n"
                         "Table 1: Children in care performance indicators, monthly")
    for widths, table_rows in (((90, 20, 20, 20, 20, 14, 40), MONTHS), ((90, 26, 26, 26, 30, 14), QUARTERS)):
        with pdf.table(col_widths=widths) as table:
            for cells in table_rows:
                row = table.row()
                for cell in cells:
                    row.cell(cell)
        pdf.ln(6)
    pdf.add_page()
    pdf.multi_cell(0, 6, "Annual indicators\n" + TEXT_TABLE)
    pdf.output(str(path))
    return path


def chunks_of(path: Path, entry=None):
    doc = read_pdf_once(path)
    structure = analyse(doc.pages, path.name, doc.content_hash, entry, doc.metadata_title)
    return make_chunks(structure)


def by_key(rows) -> dict[tuple[str, str], object]:
    return {(r.indicator, r.period): r for r in rows}


def need(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"the real Kent paper is not here ({path} is absent)")
    return path


def test_column_headings_name_their_periods_as_the_scorecards_do():
    assert [canonical_period(t) for t in ("Dec-24", "Dec -24", "Mar- 25", "December 2024", "Oct 14")] == \
        ["Dec 2024", "Dec 2024", "Mar 2025", "Dec 2024", "Oct 2014"]
    assert [canonical_period(t) for t in ("Q3 2024/25", "Q3 24/25", "2024-25 Q3", "2023/24", "2023-2024", "20-21")] \
        == ["2024-25 Q3", "2024-25 Q3", "2024-25 Q3", "2023-24", "2023-24", "2020-21"]
    assert canonical_period("2017/19") is None and canonical_period("16-18 year olds") is None
    assert period_end(canonical_period("Q3 2024/25")).isoformat() == "2024-12-31"  # Q1 is April-June
    assert read_column("31.3.24").period == "Mar 2024"  # a balance as at a date: that month's figure
    assert read_column("2024-25 Forecast").qualifier == "Forecast"
    headings = ("Target 2024/25", "RAG", "Latest", "Direction of travel", "2024-25 Variance", "Prior Years Spend")
    assert [read_column(h).kind for h in headings] == ["target", "rag", "latest", "other", "other", "other"]
    # an aside in brackets says what the period's value includes, not that it is a change
    assert read_column("2025-26 (incl. increase in ASCL) £p").period == "2025-26"
    assert read_column("Increase £p").kind == "other"


def test_a_passage_speaks_of_a_quarter_or_year_in_any_form_papers_write_it():
    assert names_period("the forecast position as at Quarter 3 of 2024-25", "2024-25 Q3")
    assert names_period("the third quarter of 2024/2025", "2024-25 Q3")
    assert names_period("Q1 2025/26 monitoring", "2025-26 Q1")
    assert not names_period("the forecast position as at Quarter 3 of 2024-25", "2025-26 Q1")
    assert not names_period("2024-25 Q2 figures", "2024-25 Q3")
    assert names_period("sickness absence in 2019/2020", "2019-20")
    assert not names_period("in 2019 and in 2020", "2019-20")  # two years are not a financial year
    # A year of reporting named by its months is the year people call 2018-19, though no financial year.
    assert names_period("Annual Report (September 2018 – September 2019)", "2018-19")
    assert names_period("in the period Sept 2018 to Aug 2019", "2018-19")
    assert not names_period("Annual Report (September 2018 – September 2019)", "2018-19", financial=True)
    assert not names_period("from May 2017 to June 2019", "2017-18")
    # A month's passage reports its quarter and year: a monitoring report as at November is Q3's.
    assert within_period("Nov 2024", "2024-25 Q3") and within_period("Dec 2024", "2024-25 Q3")
    assert not within_period("Sep 2024", "2024-25 Q3")
    assert within_period("Apr 2024", "2024-25") and within_period("Mar 2025", "2024-25")
    assert not within_period("Mar 2024", "2024-25") and not within_period(None, "2024-25")


def test_a_question_names_its_quarter_in_words_or_as_the_rows_do():
    asked = [asked_period(t) for t in ("the overspend at Quarter 1 2024-25?", "the third quarter of 2024/25",
                                       "Q3 2024-25", "in 2019-20", "in June 2019")]
    assert asked == ["2024-25 Q1", "2024-25 Q3", "2024-25 Q3", "2019-20", None]


def test_a_made_report_gives_a_row_per_indicator_and_period_column(tmp_path):
    chunks = chunks_of(kpi_pdf(tmp_path / "performance-report.pdf"))
    rows = kpi_rows(chunks)
    found = by_key(rows)
    assert len(rows) == 3 * 3 + 2 * 3 + 2 * 3  # no row from a Target, RAG or Direction of travel column
    dec = found[("Number of children in care", "Dec 2024")]
    assert (dec.value, dec.target, dec.rag, dec.period_key, dec.previous, dec.page) == \
        ("1,384", "1,350", "A", 202412, "1,391", 1)
    nov = found[("Number of children in care", "Nov 2024")]
    assert (nov.value, nov.target, nov.rag, nov.period_key) == ("1,391", None, None, 202411)  # rated: the latest only
    q3 = found[("Initial health assessments within 20 working days", "2024-25 Q3")]
    assert (q3.value, q3.target, q3.rag, q3.period_key, q3.column) == ("57%", "90%", "R", 0, "Q3 2024/25")
    assert found[("Children placed for adoption", "2024-25 Q1")].value == "21"
    text = found[("Missing episodes of children in care", "2023-24")]  # the table that is only text
    assert (text.value, text.target, text.rag, text.page) == ("987", "1,000", "G", 2)
    assert found[("Care leavers in suitable accommodation", "2021-22")].value == "88%"
    for row in rows:  # each row points at the chunk that prints it, so its citation holds the value
        assert row.text in chunks[row.chunk].text and row.value in chunks[row.chunk].text
        assert row.column.replace(" ", "") in chunks[row.chunk].text.replace(" ", "")


def test_real_finance_monitoring_tables_give_their_years(tmp_path):
    rows = kpi_rows(chunks_of(need(FINANCE)))
    found = by_key(rows)
    pupils = found[("Total Number of Pupils", "2024-25")]
    assert (pupils.value, pupils.page, pupils.previous) == ("17,176", 27, "16,163")
    assert found[("Total Spend (£m)", "2020-21")].value == "264"  # the caption's unit names the indicator
    assert found[("Rate of increase in spend", "2024-25")].value == "7%"  # a share is not in £m
    assert found[("High Needs Block (£m) (Forecast)", "2024-25")].value == "392.8"  # two columns of one year
    assert found[("High Needs Block (£m) (Budget)", "2024-25")].value == "337.9"
    assert not any("Variance" in r.indicator for r in rows)  # a change is no value of its period
    # the cost-per-pupil table breaks after its first row: the rows on page 28 keep page 27's header of years and its
    # caption, the unit that tells them from the count of pupils in the same schools
    assert found[("Independent Schools (£s per pupil)", "2024-25")].value == "£50,018"
    assert found[("Independent Schools (£s per pupil)", "2024-25")].page == 28
    assert found[("Independent Schools", "2024-25")].value == "1,623"
    assert {r.page for r in rows} == {24, 27, 28, 52}


def test_real_treasury_forecast_gives_months_and_a_capital_programme_gives_nothing():
    rows = kpi_rows(chunks_of(need(TREASURY)))
    bank = {r.period: r for r in rows if r.indicator == "Bank Rate"}
    assert len(bank) == 13 and bank["Dec 2024"].value == "4.75" and bank["Dec 2024"].period_key == 202412
    assert bank["Dec 2025"].value == "4.00" and bank["Dec 2024"].page == 4 and bank["Dec 2024"].column == "Dec -24"
    # the same page's balances as at 31 March of each year ("31.3.24"), in the units row's £m
    cfr = {r.period: r for r in rows if r.indicator == "Total CFR (£m)"}
    assert cfr["Mar 2024"].value == "1,268.3" and cfr["Mar 2024"].period_key == 202403 and len(cfr) == 5
    assert len([r for r in rows if r.page == 4]) == 5 * 13 + 8 * 5
    # one date heading twice, told apart by the sub-headings and units under it
    loans = by_key(r for r in rows if r.page == 19)
    assert loans[("Public Works Loan Board (£m) (Actual Portfolio)", "Nov 2024")].value == "432.40"
    assert loans[("Public Works Loan Board (Average Rate)", "Nov 2024")].value == "4.33%"  # its units row: "%"
    # a spending programme's future years are a plan, not performance
    assert kpi_rows(chunks_of(need(CAPITAL))) == []


def test_a_ruled_row_of_stacked_limits_gives_one_figure_per_limit():
    """The capital strategy's prudential indicators: three limits stacked in one ruled cell, their figures
    stacked under each year, and the 2025-26 column ruled apart (its figures in rows of their own)."""
    found = by_key(r for r in kpi_rows(chunks_of(need(CAPITAL_STRATEGY))) if r.page == 13)
    assert found[("Authorised limit – total external debt", "2025-26")].value == "1,440.5"
    assert found[("Authorised limit – borrowing", "2025-26")].value == "1,200.6"
    assert found[("Authorised limit – other long-term liabilities", "2026-27")].value == "228.6"
    assert found[("Operational boundary – other long-term liabilities", "2025-26")].value == "214.9"
    assert len(found) == 6 * 4


@pytest.mark.slow
def test_the_sample_corpus_keeps_its_scorecard_rows_and_adds_its_adoption_tables():
    catalogue = Catalogue.load(CORPUS).papers
    scorecards = {}
    added = {}
    for name, entry in sorted(catalogue.items()):
        chunks = chunks_of(CORPUS / name, entry)
        rows = figure_rows(chunks)
        scorecard = scorecard_rows(chunks)
        assert rows[: len(scorecard)] == scorecard  # the scorecard parser's rows first, unchanged
        kpi = rows[len(scorecard):]
        lines = {(r.chunk, r.text) for r in scorecard}
        assert not any((r.chunk, r.text) in lines or parse_scorecard_row(r.text) for r in kpi)
        scorecards[name] = len(scorecard)
        added[name] = by_key(kpi)
    assert scorecards == {"kent-county-council-2020-03-19-annual-report.pdf": 0,
                          "kent-cpp-2015-12-08-agenda-pack.pdf": 108, "kent-cpp-2017-02-01-appendix.pdf": 0,
                          "kent-cpp-2018-09-19-agenda-pack.pdf": 46, "kent-cpp-2019-01-29-agenda-pack.pdf": 47}
    assert added["kent-cpp-2018-09-19-agenda-pack.pdf"][("Adoption Orders Granted", "2017-18")].value == "104"
    assert added["kent-county-council-2020-03-19-annual-report.pdf"][("Placement Orders", "2018-19")].value == "81"
    assert not added["kent-cpp-2015-12-08-agenda-pack.pdf"]  # its month header heads unlabelled variances


def test_the_assistant_answers_a_month_and_a_quarter_from_kpi_tables(tmp_path, embeddings):
    from core.settings import Settings
    from ingest.pipeline import ingest_paths
    from retrieval.answer import Assistant
    from store.index import PanelIndex

    papers = tmp_path / "papers"
    papers.mkdir()
    kpi_pdf(papers / "performance-report.pdf")
    if TREASURY.is_file():
        shutil.copy(TREASURY, papers / TREASURY.name)
    settings = Settings.build(index_dir=tmp_path / "index", corpus_dir=CORPUS)
    index = PanelIndex(settings.store, embeddings)
    report = ingest_paths([papers], settings.ingest, index, progress=False)
    assert report.ok and report.figures >= 21
    assistant = Assistant.open(settings, index)

    answer = assistant.ask("How many children were in care in December 2024?")
    assert answer.answered and not answer.dropped, answer.text
    first = answer.text.split("\n")[0]
    assert "1,384" in first and "Dec-24" in first and "target 1,350" in first and "RAG A" in first
    assert (answer.citations[0].document, answer.citations[0].page) == ("performance-report.pdf", 1)

    answer = assistant.ask("What percentage of initial health assessments were within 20 working days in Q3 2024/25?")
    assert answer.answered and not answer.dropped, answer.text
    assert "57%" in answer.text.split("\n")[0] and "target 90%" in answer.text and "RAG R" in answer.text

    series = assistant.figures.series("Number of children in care")  # the Figures tab's chart
    assert [(f.period, f.value, f.date) for f in series] == [
        ("Oct 2024", "1,402", "2024-10-31"), ("Nov 2024", "1,391", "2024-11-30"), ("Dec 2024", "1,384", "2024-12-31")]
    assert series[-1].target == "1,350" and series[-1].rag == "A" and series[-1].citation.page == 1

    if TREASURY.is_file():
        answer = assistant.ask("What was Bank Rate in December 2024?")
        assert answer.answered and "4.75" in answer.text.split("\n")[0], answer.text
        assert (answer.citations[0].document, answer.citations[0].page) == (TREASURY.name, 4)


FINANCE_ROWS = [["", "2024-25 Budget", "2024-25 Forecast", "2024-25 Variance"],
                ["Schools Block", "1,260.5", "1,260.2", "-0.3"],
                ["High Needs Block", "337.9", "392.8", "54.9"],
                ["Total Dedicated Schools Grant", "1,769.2", "1,822.7", "53.5"]]


def report_with_table(path: Path, text: str, rows: list[list[str]], widths: tuple[int, ...]) -> Path:
    """A one-page report (in a folder of its own): its text, then a ruled table of ``rows``."""
    path.parent.mkdir()
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=_font_path())
    pdf.add_font("DejaVu", style="B", fname=_font_path().replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))
    pdf.set_font("DejaVu", size=10)
    pdf.add_page()
    pdf.multi_cell(0, 6, text)
    with pdf.table(col_widths=widths) as table:
        for cells in rows:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.output(str(path))
    return path


def ask_of_report(path: Path, embeddings, question: str, tmp_path: Path):
    """The real assistant's answer to ``question`` over an index of the one report at ``path`` (ingested)."""
    from core.settings import Settings
    from ingest.pipeline import ingest_paths
    from retrieval.answer import Assistant
    from store.index import PanelIndex

    settings = Settings.build(index_dir=tmp_path / "index", corpus_dir=CORPUS)
    index = PanelIndex(settings.store, embeddings)
    assert ingest_paths([path.parent], settings.ingest, index, progress=False).ok
    return Assistant.open(settings, index).ask(question)


def test_a_figure_question_gets_the_reports_own_sentence_beside_the_row(tmp_path, embeddings):
    """The row answers one column of the table ("(Forecast): 1,822.7"); the report's sentence that states the
    figures and holds as much of the question is given beside it, so the answer says what was asked."""
    from core.settings import Settings
    from ingest.pipeline import ingest_paths
    from retrieval.answer import Assistant
    from store.index import PanelIndex

    path = report_with_table(tmp_path / "papers" / "finance-monitoring.pdf",
                             "Cabinet\nFinance monitoring report for the meeting held on 30 January 2025\n"
                             "Schools' Delegated Budgets\nThe total Dedicated Schools Grant for 2024-25 is £1,769.6m "
                             "and is forecast to overspend by £53.5m. The balances of individual schools cannot be "
                             "used to offset the overspend on the central schools' reserve.\n"
                             "Table 1: Dedicated Schools Grant 2024-25 forecast summary (all figures in £m)",
                             FINANCE_ROWS, (70, 40, 40, 40))
    settings = Settings.build(index_dir=tmp_path / "index", corpus_dir=CORPUS)
    index = PanelIndex(settings.store, embeddings)
    report = ingest_paths([path.parent], settings.ingest, index, progress=False)
    assert report.ok and report.figures >= 6, report  # budget and forecast of each row
    assistant = Assistant.open(settings, index)

    answer = assistant.ask("What is the total dedicated schools grant for 2024-25 and how much is it forecast to "
                           "overspend by?")
    assert answer.answered and not answer.dropped, answer.text
    assert "Total Dedicated Schools Grant" in answer.text.split("\n")[0]  # the row still leads
    assert "£1,769.6m" in answer.text and "£53.5m" in answer.text, answer.text
    assert {c.page for c in answer.citations} == {1}


BANDS = [["Band", "Proportion of Band D", "2024-25 (incl. ASCL) £p", "2025-26 (incl. increase in ASCL) £p",
          "Increase £p"],
         ["Band A", "6/9", "1,073.88", "1,127.46", "53.58"], ["Band B", "7/9", "1,252.86", "1,315.37", "62.51"],
         ["Band C", "8/9", "1,431.84", "1,503.28", "71.44"], ["Band D", "9/9", "1,610.82", "1,691.19", "80.37"],
         ["Band E", "11/9", "1,968.78", "2,067.01", "98.23"]]


def test_a_band_asked_by_its_letter_is_answered_from_its_row_in_pounds(tmp_path, embeddings):
    """A council tax table by band: its column "2025-26 (incl. increase in ASCL) £p" is the year's value (the aside
    is no change column), and "£p" makes its figures sums of money for "how much": the Band D row answers."""
    path = report_with_table(tmp_path / "papers" / "budget.pdf",
                             "Cabinet\nDraft revenue budget for the meeting held on 30 January 2025\n"
                             "Council Tax\nThe draft budget includes a proposed increase in Council Tax of 4.99%. "
                             "The proposed charges by band are shown in the table below.\n"
                             "Table 6.1: County Council share of the Council Tax by band", BANDS, (30, 40, 40, 40, 30))
    answer = ask_of_report(path, embeddings, "how much will a band D home pay the county in 2025-26?", tmp_path)
    assert answer.answered, answer.text
    lead = answer.text.split("\n")[0]
    assert re.match(r"\W*Band D\b", lead) and "1,691.19" in lead, answer.text


GRANT_BLOCKS = [["Block", "2025-26", "2024-25", "Change"], ["", "£m", "£m", "£m"],
                ["Schools Block", "1,290.4", "1,201.6", "88.8"], ["High Needs Block", "311.2", "290.9", "20.3"],
                ["Early Years Block", "204.7", "150.1", "54.6"], ["Total", "1,806.3", "1,642.6", "163.7"]]


def test_a_tables_change_column_is_given_beside_the_latest_years_value(tmp_path, embeddings):
    """A table of two years and the change between them: the change is no period of its own, so it is kept with
    the latest year's row (not the earlier year's) and given in the answer to "how much has it gone up?"."""
    path = report_with_table(tmp_path / "papers" / "schools-funding.pdf",
                             "Cabinet\nSchools funding report for the meeting held on 30 January 2025\n"
                             "Schools' Funding\nThe grant is allocated through four blocks, set out below.\n"
                             "Table 2: Dedicated Schools Grant 2025-26 and 2024-25", GRANT_BLOCKS, (60, 35, 35, 35))
    rows = [r for r in kpi_rows(chunks_of(path)) if r.indicator.startswith("Early Years Block")]
    assert {(r.period, r.change) for r in rows} == {("2025-26", "54.6"), ("2024-25", None)}, rows
    answer = ask_of_report(path, embeddings, "by how much has the early years block gone up for 2025-26?", tmp_path)
    assert answer.answered, answer.text
    lead = answer.text.split("\n")[0]
    assert "204.7" in lead and "54.6" in lead, answer.text


def test_a_tables_rows_are_named_by_the_column_that_tells_them_apart(tmp_path):
    """A budget template's first column only groups its rows ("Income" heads most of them): each figure is named
    by the first column of words whose every row differs ("Library fees (£000s)"), not "Income" for every row."""
    from evals import pdf_factory as make

    header = [("Category", ""), ("Headline", "Description"), ("2030-31", "£000s"), ("2031-32", "£000s")]
    rows = [["Income", "Library fees", "-400.0", "0.0"], ["Income", "Parking charges", "-1,032.0", "-50.0"],
            ["Income", "Travel saver price", "-479.7", "-479.7"], ["Policy", "Trading standards staffing", "48.0",
                                                                     "0.0"]]
    path = make.drawn_pages(tmp_path / "budget-templates.pdf", [(make.template_table(header, rows), "")])
    found = by_key(kpi_rows(chunks_of(path)))
    assert found[("Parking charges (£000s)", "2030-31")].value == "-1,032.0"
    assert found[("Trading standards staffing (£000s)", "2031-32")].value == "0.0"
    assert not any(indicator.startswith("Income") for indicator, _ in found)


def test_a_bare_total_row_is_named_by_its_tables_title(tmp_path):
    """"Total; 2030-31 £m: 1,729.6" is the total of what the table's title says ("Table 5.1 - Dedicated Schools
    Grant 2030-31"): "what is the total Dedicated Schools Grant?" finds it by name; with two titles on the page,
    which one is the table's is a guess, and "Total" stays as printed."""
    from evals import pdf_factory as make

    rows = [["Block", "2030-31 £m", "2029-30 £m"], ["Schools Block", "1,384.1", "1,275.7"],
            ["High Needs Block", "345.5", "322.7"], ["Total", "1,729.6", "1,598.4"]]
    table = make.ruled_table(rows, widths=(200, 120, 120))
    titled = table.replace("(Table 1: children in care by month)", "(Table 5.1 - Dedicated Schools Grant 2030-31)")
    twice = titled + "\nBT /F1 11 Tf 60 300 Td (Table 5.2 - High needs places 2030-31) Tj ET"
    path = make.drawn_pages(tmp_path / "budget.pdf", [(titled, ""), (twice, "")])
    found = kpi_rows(chunks_of(path))
    first, second = ({r.indicator for r in found if r.page == page and "1,729.6" in r.value} for page in (1, 2))
    assert first == {"Total (Dedicated Schools Grant 2030-31) (£m)"}
    assert second == {"Total (£m)"}
