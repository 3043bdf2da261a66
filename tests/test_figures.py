"""The Figures tab's data: periods on the calendar, scorecard rows read whole and every one reachable, one
indicator across its wordings, and the chart in the page (through ``gradio_client`` and over HTTP)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import httpx
import pdfplumber
import pytest
from gradio_client import Client

from core.catalogue import Catalogue
from core.periods import period_end, previous_period
from ingest.chunker import make_chunks
from ingest.scorecard import parse_scorecard_row, scorecard_rows
from ingest.structure import analyse
from tests.conftest import read_pdf_once

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_period_labels_become_the_last_day_of_their_period():
    assert period_end("Nov 2018") == date(2018, 11, 30)
    assert period_end("February 2020") == date(2020, 2, 29)
    assert period_end("2015-16 Q2") == date(2015, 9, 30)  # financial quarters: Q1 is April-June
    assert period_end("2015-16 Q4") == date(2016, 3, 31)
    assert period_end("Q3 2017/18") == date(2017, 12, 31)
    assert period_end("2017/18") == date(2018, 3, 31)
    assert period_end("2017/2018") == date(2018, 3, 31)
    assert period_end("2017/19") is None and period_end("the period") is None and period_end(None) is None


def test_the_previous_period_is_named_as_the_label_names_its_own():
    assert previous_period("Nov 2018") == "Oct 2018"
    assert previous_period("Jan 2019") == "Dec 2018"
    assert previous_period("November 2018") == "October 2018"
    assert previous_period("2015-16 Q2") == "2015-16 Q1"
    assert previous_period("2015-16 Q1") == "2014-15 Q4"
    assert previous_period("2017/18") == "2016/17"
    for label in ("Nov 2018", "2015-16 Q1", "Q1 2015/16", "2017/18"):
        assert period_end(previous_period(label)) < period_end(label)


def test_a_quarter_or_a_financial_year_holds_its_months():
    from core.periods import month_within

    assert month_within("2015-16 Q2", 2015, 9) and month_within("2015-16 Q2", 2015, 7)
    assert not month_within("2015-16 Q2", 2015, 6) and not month_within("2015-16 Q2", 2015, 10)
    assert month_within("2018-19", 2019, 3) and not month_within("2018-19", 2019, 4)
    assert not month_within("Nov 2018", 2018, 11) and not month_within(None, 2018, 11)  # a month is no span


def test_a_column_that_is_not_the_previous_period_is_not_stored_as_previous():
    # The 2015 "Impact of UASC" scorecard: including UASC (value, RAG, num, denom), target, then the same
    # measure EXCLUDING UASC with its own numerator and denominator, then the variance.
    row = parse_scorecard_row("% of Care Leavers in Education, Employment or Training H YTD 38.0% A 266 700 "
                              "45.0% 39.9% A 178 446 +1.9%")
    assert row["numerator"] == "266" and row["denominator"] == "700" and row["target"] == "45.0%"
    assert row.get("previous") is None and row.get("last_year") is None
    assert "39.9%" not in row.values()
    # numerator and denominator are recognised by their ratio, not by how many figures follow
    pep = parse_scorecard_row("% of PEP's within 6 month timescale H SS 46.4% 680 1,467")
    assert (pep["numerator"], pep["denominator"], pep.get("previous")) == ("680", "1,467", None)
    counts = parse_scorecard_row("Number of Kent CIC SS 1,620 1,582 1,759")
    assert (counts.get("numerator"), counts["previous"], counts["last_year"]) == (None, "1,582", "1,759")
    national = parse_scorecard_row("Care Leavers in employment, education or training (of those we are in touch "
                                   "with) H R12M 65.7% G 965 1,469 65% 66.1% G - - 58.6%****")
    assert (national["previous"], national.get("last_year"), national["national"]) == ("66.1%", None, "58.6%****")
    monthly = parse_scorecard_row("Number of CIC missing episodes started in the month lasting longer than 48 "
                                  "hours M 27 18 16")
    assert monthly and monthly["value"] == "27" and monthly["previous"] == "18"


FIGURE = r"(?:[£\d+-][\d.,%£*]*|[GAR]|\*+)"
ROW_TAIL = re.compile(r"\S\s+(?:[HLT]\s+)?(?:SS|R12M|R12|YTD|AC YTD|M|Q|A)\s+[£\d][\d.,%£]*(?:\s+" + FIGURE + r")*$")
FIGURES_LINE = re.compile(FIGURE + r"(?:\s+" + FIGURE + r")*")
TEXT_TABLES = {"vertical_strategy": "text", "horizontal_strategy": "text"}


def pdf_table_rows(path: Path) -> dict[int, int]:
    """Page → scorecard rows on it, counted from pdfplumber's table finder alone: each table's lines (across
    the page's width, so no figure is cut off), a wrapped line of bare figures joined to its row, and a row is
    a line that ends in a period type followed by figures only."""
    counts: dict[int, int] = {}
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            if not any(ROW_TAIL.search(line) for line in (page.extract_text() or "").splitlines()):
                continue
            for table in page.find_tables(TEXT_TABLES):
                band = page.crop((0, table.bbox[1], page.width, table.bbox[3]))
                lines: list[str] = []
                for line in (band.extract_text() or "").splitlines():
                    line = " ".join(line.split())
                    if lines and FIGURES_LINE.fullmatch(line):
                        lines[-1] += " " + line
                    elif line:
                        lines.append(line)
                found = sum(1 for line in lines if ROW_TAIL.search(line))
                if found:
                    counts[page.page_number] = counts.get(page.page_number, 0) + found
    return counts


@pytest.mark.slow
def test_every_scorecard_row_of_the_pdfs_tables_is_parsed():
    catalogue = Catalogue.load(CORPUS).papers
    total = 0
    for name, entry in sorted(catalogue.items()):
        expected = pdf_table_rows(CORPUS / name)
        document = read_pdf_once(CORPUS / name)
        structure = analyse(document.pages, name, document.content_hash, entry, document.metadata_title)
        parsed: dict[int, int] = {}
        for row in scorecard_rows(make_chunks(structure)):
            parsed[row.page] = parsed.get(row.page, 0) + 1
        assert parsed == expected, name
        total += sum(expected.values())
    assert total > 150  # three scorecards: 2015-16 Q2, Jun 2018, Nov 2018


def test_every_stored_row_is_reachable_from_an_indicator(corpus_index):
    """Each row is a point of some indicator's series: cited itself, or the same reading (one period, one
    value) printed twice in one scorecard and cited at its other place."""
    from retrieval.answer.figures import FigureSeries
    from retrieval.hybrid import HybridSearcher

    series = FigureSeries(HybridSearcher(corpus_index))
    cited, shown = set(), set()
    for name, wordings in series.groups().items():
        for figure in series.series(name):
            cited.add((figure.citation.document, figure.citation.page, figure.citation.quote))
            if not figure.from_previous:
                shown.update((wording, figure.period, figure.value) for wording in wordings)
    rows = corpus_index.all_rows()
    assert rows and all((r.document, r.page, r.text) in cited or (r.indicator, r.period, r.value) in shown
                        for r in rows)
    # A KPI table reprints past years that an earlier paper printed (``row.column``): that reading is cited once.
    scorecard = [r for r in rows if r.column is None]
    assert sum((r.document, r.page, r.text) in cited for r in scorecard) > 0.9 * len(scorecard)
    names = {name for name, _ in series.indicators()}
    assert "Number of Kent CIC" in names
    assert any(n.startswith("CIC Per 10,000 population") for n in names)


def test_the_tab_opens_on_what_the_panel_tracks_not_one_reports_long_table(tmp_path, embeddings):
    """Beside the panel's scorecards, a Cabinet appendix's table of monthly treasury rates has more periods
    than any scorecard row; the first indicator (the Figures tab's default) is still one reported in several
    papers."""
    from core.settings import Settings
    from ingest.pipeline import ingest_paths
    from retrieval.answer.figures import FigureSeries
    from retrieval.hybrid import HybridSearcher
    from store.index import PanelIndex
    from tests.conftest import REPO

    treasury = REPO.parent / "shared" / "real-archive" / \
        "cabinet_2025-01-30_Appendix_L_-_Treasury_Management_Strategy_2025-26.pdf"
    if not treasury.is_file():
        pytest.skip(f"the real archive is not here ({treasury.parent} is absent)")
    settings = Settings.build(index_dir=tmp_path / "index", corpus_dir=CORPUS)
    index = PanelIndex(settings.store, embeddings)
    assert ingest_paths([CORPUS, treasury], settings.ingest, index, progress=False).ok
    series = FigureSeries(HybridSearcher(index))
    listed = series.indicators()
    papers = {name: len({f.citation.document for f in series.series(name)}) for name, _ in listed}
    assert any(papers[name] == 1 and periods > listed[0][1] for name, periods in listed), \
        "one paper's table has more periods than the first indicator"
    assert papers[listed[0][0]] >= 2, listed[:3]


def test_the_eet_indicator_is_one_line_from_2015_to_2018(corpus_index):
    from retrieval.answer.figures import FigureSeries
    from retrieval.hybrid import HybridSearcher

    series = FigureSeries(HybridSearcher(corpus_index))
    groups = series.groups()
    eet = [name for name, wordings in groups.items() if "% of Care Leavers in Education, Employment or Training"
           in wordings]
    assert len(eet) == 1
    wordings = groups[eet[0]]
    assert "Care Leavers in employment, education or training (of those we are in touch with)" in wordings
    # different indicators of one scorecard stay apart however alike their names
    assert not any("suitable accommodation" in w.lower() or "contact" in w.lower() for w in wordings)
    points = series.series(eet[0])
    dates = [p.date for p in points]
    assert dates == sorted(dates) and dates[0].startswith("2015") and dates[-1].startswith("2018")
    assert all(p.target for p in points if not p.from_previous)
    # the previous-period column is a point of its own, a quarter earlier for the quarterly scorecard
    assert any(p.from_previous and p.period == "2015-16 Q1" and p.date == "2015-06-30" for p in points)


def test_abbreviations_are_explained_from_the_glossary(corpus_index):
    from retrieval.answer.figures import FigureSeries
    from retrieval.hybrid import HybridSearcher

    series = FigureSeries(HybridSearcher(corpus_index))
    name = next(n for n, _ in series.indicators() if " bla " in n)
    terms = dict(series.series(name)[0].terms)
    assert "bla" in terms and "looked after" in terms["bla"].lower()


def test_series_endpoint_gives_dates_and_the_eet_trend_spans_2015_to_2018(tmp_path_factory, embeddings):
    """The app over the three scorecards (2015, Jun 2018, Nov 2018): /series returns ISO dates, and the EET
    indicator's merged series spans 2015 to 2018 with its targets."""
    from app.service import PanelService
    from app.ui import launch
    from core.settings import Settings
    from ingest.pipeline import ingest_paths
    from store.index import PanelIndex
    from tests.servers import free_port

    folder = tmp_path_factory.mktemp("figures-app")
    settings = Settings.build(index_dir=folder / "index", corpus_dir=CORPUS)
    papers = [CORPUS / n for n in ("kent-cpp-2015-12-08-agenda-pack.pdf", "kent-cpp-2018-09-19-agenda-pack.pdf",
                                   "kent-cpp-2019-01-29-agenda-pack.pdf")]
    assert ingest_paths(papers, settings.ingest, PanelIndex(settings.store, embeddings), progress=False).ok
    port = free_port()
    blocks = launch(PanelService(settings, embeddings=embeddings), "127.0.0.1", port, block=False)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        names = [name for name, _ in client.predict(api_name="/indicators")]
        eet = [n for n in names if "employment, education or training" in n.lower()]
        assert len(eet) == 1, eet
        points = client.predict(eet[0], api_name="/series")
        dates = [date.fromisoformat(p["date"]) for p in points]
        assert dates == sorted(dates) and dates[0].year == 2015 and dates[-1].year == 2018
        assert {p["indicator"] for p in points} >= {"Care leavers in employment, education or training"}
        assert all(p["target"] for p in points if not p["from_previous"])
        # the page holds the chart: the tab opens on an indicator, drawn by Plotly
        page = httpx.get(f"http://127.0.0.1:{port}/config", timeout=30).json()
        chart = next(c for c in page["components"] if c.get("props", {}).get("elem_id") == "figure-chart")
        assert chart["type"] == "plot" and chart["props"]["value"]["type"] == "plotly"
    finally:
        blocks.close()


def test_the_rows_word_index_finds_exactly_the_rows_whose_words_hold_a_term(corpus_index):
    """``_RowWords.holding`` (an inverted index, used for every figure question) must judge a word as
    ``WordSet.holds`` does row by row: the same word, or one of the same stem ("leaver" / "leavers")."""
    from retrieval.answer.compose import _RowWords
    from retrieval.glossary import spell_out
    from retrieval.hybrid import HybridSearcher
    from retrieval.words import WordSet, tokenize

    state = HybridSearcher(corpus_index).state
    glossary = {"CIC": "children in care", "EET": "education, employment or training"}
    indexed = _RowWords(state, glossary)
    words = {row.id: WordSet(tokenize(f"{spell_out(row.indicator, glossary)} {chunk.header}"))
             for row, chunk in indexed.rows}
    assert len(words) > 100
    vocabulary = sorted({w for ws in words.values() for w in ws.words})
    # every word of the rows, their stems and longer forms, and words no row holds
    terms = vocabulary + [w[:5] for w in vocabulary if len(w) > 6] + [f"{w}ness" for w in vocabulary[::7]]
    terms += ["zzzzz", "care", "leaver", "accommodated", "2018", "eet"]
    for term in terms:
        expected = {row_id for row_id, ws in words.items() if ws.holds(term)}
        assert indexed.holding(term) == expected, term
