"""Every class of bad input: one clear line naming the file and reason, the run goes on, and
nothing indexed before is touched. Pages without a usable text layer keep their reason with OCR off
(``ingest --no-ocr``), and with OCR on (Tesseract installed) are read and marked as read by OCR."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from evals import pdf_factory as make
from ingest import ocr
from ingest.pipeline import ingest_paths

CASES = {
    "not-a-pdf.pdf": (lambda p, src: make.html_as_pdf(p), "not a PDF (the file is HTML)"),
    "empty.pdf": (lambda p, src: make.empty_file(p), "empty file (0 bytes)"),
    "truncated.pdf": (lambda p, src: make.truncated(src, p), "corrupt PDF (truncated: the end of the file is missing)"),
    "corrupt.pdf": (lambda p, src: make.corrupt(p), "corrupt PDF (No /Root object! - Is this really a PDF?)"),
    "encrypted.pdf": (lambda p, src: make.text_pdf(p, ["Panel minutes " * 20], "s3cret"),
                      "encrypted: the PDF needs a password"),
    "zero-pages.pdf": (lambda p, src: make.zero_pages(p), "no pages (an empty or broken PDF)"),
    "scanned.pdf": (lambda p, src: make.scanned(p), "scanned: no text layer, needs OCR"),
    "outlines.pdf": (lambda p, src: make.vector_outlines(p), "no text layer (glyphs drawn as shapes?): needs OCR"),
    "garbage-ocr.pdf": (lambda p, src: make.garbage_text(p),
                        "text is mostly not words (a garbage OCR layer?): needs OCR"),
    "notes.txt": (lambda p, src: (p.write_text("Minutes of the meeting"), p)[1], "not a PDF"),
}


@pytest.fixture
def good_pdf(tmp_path):
    return make.text_pdf(tmp_path / "good-minutes.pdf", [
        "CORPORATE PARENTING PANEL\nMINUTES of a meeting of the Corporate Parenting Panel held on "
        "Tuesday, 7 May 2019.\n12. Fostering Update\n(Item 4)\n1. The Panel received the report.\n"
        "2. It was RESOLVED that the fostering update be noted.",
    ])


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_is_rejected_with_its_reason_and_the_index_is_untouched(name, tmp_path, settings, index,
                                                                        good_pdf, capsys):
    """With OCR off, as ``ingest --no-ocr``: the scanned, outlined and garbage-layer files keep today's reasons."""
    ingest_settings = replace(settings.ingest, ocr=False)
    first = ingest_paths([good_pdf], ingest_settings, index, progress=False)
    assert first.ok and first.ingested == ["good-minutes.pdf"]
    before = index.stats()

    build, reason = CASES[name]
    bad = build(tmp_path / name, good_pdf)
    report = ingest_paths([bad, good_pdf], ingest_settings, index, progress=False)

    assert report.failed == [(name, reason)]
    assert report.skipped == ["good-minutes.pdf"]  # the run went on to the next file
    err = capsys.readouterr().err
    assert f"error: {bad}: {reason}" in err.splitlines()
    after = index.stats()
    assert {k: after[k] for k in ("documents", "chunks", "decisions")} == \
        {k: before[k] for k in ("documents", "chunks", "decisions")}
    assert after["stored_chunks"] == before["stored_chunks"]


def test_encrypted_pdf_opens_with_its_password(tmp_path):
    from ingest.pdf_reader import read_pdf

    path = make.text_pdf(tmp_path / "locked.pdf", ["Corporate Parenting Panel minutes"], "s3cret")
    assert "Corporate Parenting Panel" in read_pdf(path, password="s3cret").pages[0].text


def test_cli_ingests_an_encrypted_paper_with_its_known_password(tmp_path, good_pdf):
    """With the password (PANEL_PDF_PASSWORD, as `ingest --password` would prompt for): the encrypted paper
    is ingested beside one that needs none, and the index keeps a decrypted copy for its page pictures.
    With a wrong password: one line saying so, and nothing of it is stored."""
    import os

    import pypdfium2

    from core.settings import Settings
    from store.index import PanelIndex

    folder = tmp_path / "inbox"
    folder.mkdir()
    locked = make.text_pdf(folder / "locked-minutes.pdf", [
        "CORPORATE PARENTING PANEL\nMINUTES of a meeting held on Tuesday, 7 May 2019.\n"
        "3. Virtual School\n(Item 5)\nIt was RESOLVED that the virtual school report be noted."], "s3cret")
    good_pdf.rename(folder / good_pdf.name)
    env = {**os.environ, "PANEL_INDEX_DIR": str(tmp_path / "cli-index")}
    command = [sys.executable, "-m", "app.cli", "ingest", "--quiet", str(folder)]

    wrong = subprocess.run(command, capture_output=True, text=True, env={**env, "PANEL_PDF_PASSWORD": "guess"})
    assert wrong.returncode == 1
    assert f"error: {locked}: encrypted: the password given does not open this PDF" in wrong.stderr
    assert "1 documents ingested, 0 unchanged, 1 failed" in wrong.stdout  # the open paper went in

    right = subprocess.run(command, capture_output=True, text=True, env={**env, "PANEL_PDF_PASSWORD": "s3cret"})
    assert right.returncode == 0, right.stderr
    assert "1 documents ingested, 1 unchanged, 0 failed" in right.stdout
    index = PanelIndex(Settings.load(env=env).store)
    record = index.documents()["locked-minutes.pdf"]
    assert any("virtual school report be noted" in d.text for d in index.all_decisions())
    copy = pypdfium2.PdfDocument(record.source)  # opens with no password: the kept copy is decrypted
    assert "virtual school" in copy[0].get_textpage().get_text_range()
    copy.close()
    assert "s3cret" not in Path(record.source).read_bytes().decode("latin-1")


def test_cli_exits_non_zero_and_names_the_file(tmp_path, good_pdf):
    bad = make.html_as_pdf(tmp_path / "download.pdf")
    env_index = tmp_path / "cli-index"
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "ingest", "--quiet", str(bad)],
        capture_output=True, text=True, env={**__import__("os").environ, "PANEL_INDEX_DIR": str(env_index)},
    )
    assert result.returncode == 1
    assert f"error: {bad}: not a PDF (the file is HTML)" in result.stderr
    assert "0 documents ingested, 0 unchanged, 1 failed" in result.stdout


SCAN_TEXT = ("CORPORATE PARENTING PANEL\nMINUTES of a meeting of the Corporate Parenting Panel held on "
             "Tuesday, 7 May 2019.\n12. Fostering Update\n(Item 4)\n1. The Panel received the report on "
             "foster carers recruited this year.\n2. It was RESOLVED that the fostering update be noted.")
NEEDS_OCR = {
    "scanned.pdf": (lambda p: make.scanned_text(p, [SCAN_TEXT]), "scanned: no text layer, needs OCR"),
    "outlines.pdf": (lambda p: make.outlined_text(p, SCAN_TEXT), "no text layer (glyphs drawn as shapes?): needs OCR"),
    "garbage-ocr.pdf": (lambda p: make.garbage_layer_scan(p, [SCAN_TEXT]),
                        "text is mostly not words (a garbage OCR layer?): needs OCR"),
}


@pytest.mark.parametrize("name", sorted(NEEDS_OCR))
def test_pages_without_a_usable_text_layer_are_read_by_ocr(name, tmp_path, settings, index):
    """The same legible page refused with OCR off is read with OCR on: its pages and chunks are marked OCR."""
    build, reason = NEEDS_OCR[name]
    paper = build(tmp_path / name)
    off = ingest_paths([paper], replace(settings.ingest, ocr=False), index, progress=False)
    assert off.failed == [(name, reason)]
    if not ocr.available():
        pytest.skip("Tesseract is not installed (.ci/run installs it): OCR cannot be tried here")
    on = ingest_paths([paper], settings.ingest, index, progress=False)
    assert on.ok and on.ingested == [name], on.failed
    assert on.ocr_pages == 1
    chunks = index.all_chunks()
    assert chunks and all(chunk.ocr for chunk in chunks)
    assert any("fostering update be noted" in chunk.text for chunk in chunks)
    assert any("fostering update be noted" in d.text for d in index.all_decisions())


def test_illegible_scan_says_ocr_found_nothing(tmp_path):
    """A scan OCR can read no words from is refused in one line that says OCR was tried."""
    from core.errors import IngestError
    from ingest.pdf_reader import read_pdf

    if not ocr.available():
        pytest.skip("Tesseract is not installed (.ci/run installs it)")
    with pytest.raises(IngestError, match=r"^scanned: no text layer, and OCR read no words$"):
        read_pdf(make.scanned(tmp_path / "dots.pdf"))


def test_pages_pdfminer_cannot_list_are_read_through_pdfium(tmp_path, settings, index):
    """Page objects without /Type: pdfplumber lists no page, pypdfium2 three; the paper is read, not refused."""
    import pdfplumber

    paper = make.untyped_pages(tmp_path / "untyped.pdf", [SCAN_TEXT.replace("\n", " ")] * 3)
    with pdfplumber.open(paper) as pdf:
        assert len(pdf.pages) == 0
    report = ingest_paths([paper], replace(settings.ingest, ocr=False), index, progress=False)
    assert report.ok and report.pages == 3, report.failed
    assert any("fostering update be noted" in chunk.text for chunk in index.all_chunks())
