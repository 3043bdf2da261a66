"""Reading real PDFs: printed page labels, tables under their headers, split headings."""

from __future__ import annotations

import pdfplumber

from ingest.pdf_reader import read_pdf, word_ratio
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
