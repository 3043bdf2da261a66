"""Reading real PDFs: printed page labels, tables under their headers, split headings."""

from __future__ import annotations

import pdfplumber
import pytest

from ingest.pdf_reader import _headed_by_caption, _merge_spanned, _unstack, read_pdf, word_ratio
from tests.conftest import REPO


def test_printed_page_labels_start_after_the_cover_letter(real_papers):
    doc = read_pdf(real_papers / "kent-county-council-2025-03-13-questions-pack.pdf")
    labels = [p.label for p in doc.pages]
    assert labels[:2] == [None, None]  # cover letter and a blank page carry no printed number
    assert labels[2:5] == ["1", "2", "3"]
    assert all(p.label == str(p.number - 2) for p in doc.pages[2:])


def test_page_n_of_m_footers_number_a_standalone_report(real_papers):
    doc = read_pdf(real_papers / "kent-cabinet-2025-01-30-finance-monitoring-q3-2024-25.pdf")
    assert [p.label for p in doc.pages] == [str(n) for n in range(1, 55)]


def test_tables_keep_rows_under_their_header(real_papers):
    doc = read_pdf(real_papers / "kent-cabinet-2025-01-30-finance-monitoring-q3-2024-25.pdf")
    rows = [line for p in doc.pages for t in p.tables for line in t.row_lines()]
    assert len(rows) > 30
    special = next(r for r in rows if r.startswith("Maintained Special School; 2020-21"))
    # the figure travels with its row label and its year column
    assert "2024-25: 163" in special
    page = next(p for p in doc.pages for t in p.tables if any(r[0] == "Maintained Special School" for r in t.rows))
    assert page.text_outside_tables is not None and "Maintained Special School 106" not in page.body


def test_a_row_labelled_by_a_bare_code_is_named_with_its_column(real_papers):
    """The draft budget's council tax bands: the label column "Band" holds "A" ... "H", and a question asks for
    "band D"; a label of words stays as it is."""
    from core.records import Table

    table = Table(header=["Band", "Increase £p"], rows=[["D", "80.37"], ["Total", "1.0"]])
    assert table.row_lines() == ["Band D; Increase £p: 80.37", "Total; Increase £p: 1.0"]
    assert Table(header=["", "2024-25"], rows=[["D", "1"]]).row_lines() == ["D; 2024-25: 1"]  # no column name
    budget = real_papers.parent / "real-archive" / \
        "cabinet_2025-01-30_Draft_Revenue_Budget_2025-26_and_2025-28_MTFP_and_Draft_Capital_Programme_2025-35.pdf"
    if not budget.is_file():
        pytest.skip(f"the real archive is not here ({budget.parent} is absent)")
    rows = [line for p in read_pdf(budget).pages if p.number == 20 for t in p.tables for line in t.row_lines()]
    assert any(r.startswith("Band D; ") and "1,691.19" in r for r in rows)


def test_stacked_rows_are_unstacked_and_spanned_rows_rejoined():
    header = ["", "2024-25", "2025-26"]
    rows = _merge_spanned([header, [None, None, "limit"],
                           ["Borrowing of\nOther long-\nterm liabilities\nTotal", "1,260.6\n168.0\n1,428.6", "1,200.6"],
                           [None, None, "239.9"], [None, None, ""], [None, None, "1,440.5"]])
    assert rows[0] == ["", "2024-25", "2025-26\nlimit"] and len(rows) == 2
    # "Borrowing of" ends on a joining word, so the next line is its rest: two labels for three figures, left alone
    assert _unstack(rows[1]) == [rows[1]]
    rows[1][0] = "Borrowing\nOther long-\nterm liabilities\nTotal"
    assert [r[0] for r in _unstack(rows[1])] == ["Borrowing", "Other long-term liabilities", "Total"]
    assert _unstack(rows[1])[2] == ["Total", "1,428.6", "1,440.5"]
    # a label over sub-rows keeps its rows, and a wrapped label with a figure and a note is one row
    spanned = [["CYPE", "Schools", "1.0"], [None, "Transport", "2.0"]]
    assert _merge_spanned(spanned) == spanned
    assert _unstack(["Children in care\nScorecard", "12\n(see note)"]) == [["Children in care\nScorecard",
                                                                            "12\n(see note)"]]


def test_figures_run_together_under_a_one_cell_heading_are_columns_named_by_its_last_words(real_papers):
    """The November monitoring's appendix: no ruled header row, a one-cell heading "£m / Working / Directorate,
    Division & Key Service Budget Forecast Variance" and each row's three figures in one cell. Its first row is no
    header, and the figures are in columns named by the heading's last three words."""
    archive = real_papers.parent / "real-archive"
    doc = read_pdf(archive / "cabinet_2025-01-30_24-00108_-_Appendix_-_NOV_2024-25.pdf")
    table = doc.pages[2].tables[0]
    assert table.header == ["Directorate, Division & Key Service", "Budget", "Forecast", "Variance"]
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["Home to School & College Transport"] == ["96.3", "87.7", "-8.6"]
    assert rows["Education & Special Educational Needs Community Learning & Skills (CLS)"] == ["-0.1", "0.7", "0.8"]
    first = doc.pages[0].tables[0]  # under the page's title "Appendix 1 - Key Service Statement"
    assert first.header[1:] == ["Budget", "Forecast", "Variance"]
    # figures of uneven count, or a heading that does not end in as many names, leave the rows as they are
    uneven = [["Early Years", "", "1.0 2.0"], ["Transport", "", "3.0 4.0 5.0"]]
    assert _headed_by_caption(uneven, ["Service Budget Forecast Variance"]) == (["", "", ""], uneven)
    even = [["Early Years", "", "1.0 2.0"], ["Transport", "", "3.0 4.0"]]
    assert _headed_by_caption(even, ["all figures in £m"]) == (["", "", ""], even)
    # the last caption that names them, below the page's title; a row of no figures (a section's heading) stays
    headed = [["Early Years", "", "1.0 2.0"], ["Schools", "", ""], ["Transport", "3.0", "4.0"]]
    assert _headed_by_caption(headed, ["Appendix 1 Key Statement", "Service Budget Forecast", "Children & Young"]) \
        == (["Service", "Budget", "Forecast"], [["Early Years", "1.0", "2.0"], ["Schools", "", ""],
                                                 ["Transport", "3.0", "4.0"]])


def test_letter_spaced_heading_is_joined(real_papers):
    path = real_papers / "kent-county-council-2025-03-13-questions-pack.pdf"
    with pdfplumber.open(path) as pdf:
        raw = pdf.pages[0].extract_text()
    assert "A genda Item" in raw  # what pdfplumber itself gives
    doc = read_pdf(path)
    assert "Agenda Item" in doc.pages[0].text and "A genda" not in doc.pages[0].text


def test_every_real_paper_reads_with_text_on_its_pages(real_papers):
    for path in sorted(real_papers.glob("*.pdf")):
        doc = read_pdf(path)
        with_text = [p for p in doc.pages if p.text.strip()]
        assert len(with_text) >= len(doc.pages) - 1, path.name  # at most a blank page
        assert word_ratio("\n".join(p.text for p in doc.pages)) > 0.7, path.name


def _objects(page) -> dict:
    # A PDF stream object has no equality of its own: two opens of one file compare by what they print.
    return {kind: [{k: (repr(v) if k == "stream" else v) for k, v in obj.items()} for obj in found]
            for kind, found in page.objects.items()}


def test_quick_pages_read_every_object_as_pdfplumber_does(real_papers):
    """``ingest.quick_page`` converts pdfplumber's objects without its generic resolver: on real papers (a
    finance report of tables and pictures, a minutes pack, a sample pack) every object and every page's
    text comes out equal to the library's own."""
    from ingest.quick_page import QuickPage, quicken

    paths = [real_papers / "kent-cabinet-2025-01-30-finance-monitoring-q3-2024-25.pdf",
             real_papers / "kent-corporate-parenting-panel-2024-12-10-minutes.pdf",
             *sorted((REPO / "corpus").glob("*.pdf"))[:1]]
    compared = 0
    for path in paths:
        with pdfplumber.open(path) as theirs, pdfplumber.open(path) as ours:
            for plain, quick in list(zip(theirs.pages, ours.pages, strict=True))[:30]:
                assert type(quicken(quick)) is QuickPage
                assert _objects(quick) == _objects(plain), (path.name, plain.page_number)
                assert quick.extract_text() == plain.extract_text()
                assert [t.extract() for t in quick.find_tables()] == [t.extract() for t in plain.find_tables()]
                compared += 1
    assert compared >= 60


def _read_both(path):
    from ingest.pdf_reader import read_part

    return (read_part(path, page_reader="pdfium", ocr=False).pages,
            read_part(path, page_reader="pdfplumber", ocr=False).pages)


def test_pdfium_reads_real_pages_as_pdfplumber_lays_them_out(real_papers):
    """``page_reader = "pdfium"``: pdfium's characters and lines laid out by pdfplumber's algorithms. On the
    sample packs and three real papers (364 pages) the tables are the same on every page and the text
    is the same on all but a few, where a space differs (pdfium keeps a space glyph pdfminer's reading loses:
    "fromschools" is "from schools")."""
    paths = [*sorted((REPO / "corpus").glob("*.pdf")),
             real_papers / "kent-cabinet-2025-01-30-finance-monitoring-q3-2024-25.pdf",
             real_papers / "kent-corporate-parenting-panel-2024-12-10-minutes.pdf",
             real_papers / "kent-county-council-2025-03-13-questions-pack.pdf"]
    pages = same = 0
    tables = 0
    for path in paths:
        fast, plain = _read_both(path)
        assert len(fast) == len(plain)
        for ours, theirs in zip(fast, plain, strict=True):
            pages += 1
            same += ours.text == theirs.text
            assert ours.tables == theirs.tables, (path.name, ours.number)
            tables += len(ours.tables)
            assert "".join(ours.text.split()) == "".join(theirs.text.split()), (path.name, ours.number)
    assert pages >= 300 and tables >= 8
    assert same >= 0.97 * pages


def test_table_cells_are_read_as_pdfplumber_extracts_them(real_papers):
    from ingest.pdf_reader import cell_texts

    found = 0
    with pdfplumber.open(real_papers / "kent-cabinet-2025-01-30-finance-monitoring-q3-2024-25.pdf") as pdf:
        for page in pdf.pages[:30]:
            for table in page.find_tables():
                assert cell_texts(table) == table.extract()
                found += 1
    assert found >= 10


def test_rotated_and_cropped_pages_are_left_to_pdfplumber(tmp_path):
    from evals import pdf_factory as make
    from ingest.pdf_reader import _read_by_pdfium

    text = "BT /F1 11 Tf 60 700 Td (The Panel noted the report on care leavers.) Tj ET"
    path = make.drawn_pages(tmp_path / "geometry.pdf", [
        (text, ""), (text, "/Rotate 90"),
        (text.replace("60 700", "160 800"), "/MediaBox [100 100 695 942]"),  # a media box off the origin
        (text, "/MediaBox [0 0 595 842] /CropBox [0 400 595 842]"),
    ])
    fast, plain = _read_both(path)
    assert [p.text for p in fast] == [p.text for p in plain]
    assert all("leavers" in p.text for p in fast)  # a rotated page: one word a line, as pdfplumber reads it
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    with pdfplumber.open(path) as pdf:
        assert [_read_by_pdfium(document, page) is not None for page in pdf.pages] == [True, False, True, False]
    document.close()


def test_tables_ruled_in_lines_or_in_cell_boxes_are_found_by_both_readers(tmp_path):
    from evals import pdf_factory as make

    rows = [["Month", "Children in care"], ["October 2024", "1,958"], ["November 2024", "1,962"]]
    path = make.drawn_pages(tmp_path / "ruled.pdf", [(make.ruled_table(rows, rectangles=True), ""),
                                                    (make.ruled_table(rows, rectangles=False), "")])
    fast, plain = _read_both(path)
    for ours, theirs in zip(fast, plain, strict=True):
        assert [(t.header, t.rows) for t in ours.tables] == [(rows[0], rows[1:])]
        assert ours.tables == theirs.tables and ours.text == theirs.text
        assert ours.text_outside_tables == theirs.text_outside_tables
        assert "Table 1" in ours.text_outside_tables and "1,962" not in ours.text_outside_tables


def test_the_page_reader_setting_and_one_clear_error_for_an_unknown_one():
    import pytest

    from core.errors import SettingsError
    from core.settings import Settings

    assert Settings.load(config_file="/nonexistent.toml", env={}).ingest.page_reader == "pdfium"
    chosen = Settings.load(config_file="/nonexistent.toml", env={"PANEL_PAGE_READER": "pdfplumber"})
    assert chosen.ingest.page_reader == "pdfplumber"
    with pytest.raises(SettingsError) as raised:
        Settings.load(config_file="/nonexistent.toml", env={"PANEL_PAGE_READER": "pdfminer"})
    assert len(str(raised.value).splitlines()) == 1 and "pdfium, pdfplumber" in str(raised.value)


def test_papers_read_in_threads_beside_page_renders_read_as_alone(real_papers):
    """pdfium is not thread-safe: the reader, OCR and the app's page pictures share one lock, so an upload read
    in one thread beside pictures drawn in others reads as it does alone."""
    from concurrent.futures import ThreadPoolExecutor

    from app.pages import PageRenderer
    from ingest.pdf_reader import read_part

    path = real_papers / "kent-corporate-parenting-panel-2024-12-10-minutes.pdf"
    alone = [p.text for p in read_part(path, ocr=False).pages]
    images = PageRenderer()
    with ThreadPoolExecutor(4) as pool:
        reads = [pool.submit(lambda: [p.text for p in read_part(path, ocr=False).pages]) for _ in range(3)]
        pictures = [pool.submit(images._render, path, n, "") for n in (1, 2, 3, 1, 2, 3)]
        assert all(read.result() == alone for read in reads)
        assert all(picture.result().size[0] > 100 for picture in pictures)


def test_a_header_ruled_as_one_box_over_the_columns_is_split_into_them(tmp_path):
    """A budget template rules its header as one box over the table: pdfplumber reads it as one cell, and the
    first row of figures was taken for the header ("Income; Rory Love: Neil Baker; -108.4: -1,032.0"). Its words
    are put in the columns they stand over, by both readers; a caption over a table stays a caption."""
    from evals import pdf_factory as make

    header = [("Category", ""), ("Headline", "Description"), ("2030-31", "£000s"), ("2031-32", "£000s")]
    rows = [["Income", "Library fees", "-400.0", "0.0"], ["Income", "Parking charges", "-1,032.0", "-50.0"],
            ["Policy", "Trading standards staffing", "48.0", "0.0"]]
    path = make.drawn_pages(tmp_path / "templates.pdf", [(make.template_table(header, rows), "")])
    fast, plain = _read_both(path)
    for pages in (fast, plain):
        [table] = pages[0].tables
        assert table.header == ["Category", "Headline Description", "2030-31 £000s", "2031-32 £000s"]
        assert table.rows == rows
    # one box of words over a table whose next row is its header: a caption, as before
    captioned = [["Month", "Children in care"], ["October 2024", "1,958"], ["November 2024", "1,962"]]
    stream = make.template_table([("All figures as at month end", "")], [], widths=(320,))
    stream += "\n" + make.ruled_table(captioned, left=40, top=728, widths=(200, 120))
    path = make.drawn_pages(tmp_path / "captioned.pdf", [(stream, "")])
    [table] = _read_both(path)[0][0].tables
    assert (table.header, table.rows) == (captioned[0], captioned[1:])


def test_a_header_of_groups_over_the_columns_own_names_is_one_header_of_both(tmp_path):
    """A finance table heads its columns twice: a group ("2030-31 Provisional") over two columns, and under it each
    column's own name ("Kent £m", "England £m"). Each figure is written under both, so it keeps its unit and what it
    counts ("Council Tax; 2030-31 Provisional Kent £m: 993.9; ..."), by both readers. A second row of text is data."""
    from evals import pdf_factory as make

    rows = [["", "2030-31 Provisional", "", "2029-30 Final", ""],
            ["", "Kent £m", "England £m", "Kent £m", "England £m"],
            ["Council Tax", "993.9", "38,311.8", "935.7", "36,153.5"],
            ["Social Care Grant", "137.1", "5,924.0", "117.0", "5,044.0"]]
    path = make.drawn_pages(tmp_path / "grouped.pdf", [(make.ruled_table(rows, left=30, widths=(100, 105)), "")])
    for pages in _read_both(path):
        [table] = pages[0].tables
        assert table.header == ["", "2030-31 Provisional Kent £m", "2030-31 Provisional England £m",
                                "2029-30 Final Kent £m", "2029-30 Final England £m"]
        assert table.rows == rows[2:]
        assert "Social Care Grant; 2030-31 Provisional Kent £m: 137.1; 2030-31 Provisional England £m: 5,924.0" in (
            table.row_lines())[1]
    # a group over a row of sentences: that row is the table's first row of data
    texts = [["", "What we have committed to", "", "Plan in place"],
             ["", "Support people to live and age well", "and be independent", "Care plan"],
             ["Health", "Live well for longer", "and stay independent", "Health plan"]]
    path = make.drawn_pages(tmp_path / "texts.pdf", [(make.ruled_table(texts, left=30, widths=(60, 200, 120, 100)),
                                                      "")])
    [table] = _read_both(path)[0][0].tables
    assert table.header == texts[0] and table.rows == texts[1:]
