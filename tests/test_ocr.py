"""OCR of scanned papers (ingest/ocr.py): real scans read against their hand-typed transcriptions, a garbage
text layer caught page by page, ``--no-ocr``, and OCR'd passages indexed, found and cited as OCR text.

The real scans are ``../shared/scanned-papers/`` (skipped with the reason where the folder is absent); OCR
needs Debian's Tesseract, which ``.ci/run`` installs (skipped with the reason where it is missing)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from fpdf import FPDF
from fpdf.enums import TextMode

from core.settings import Settings
from evals import pdf_factory as make
from evals.bench_ocr import SCANNED, error_rates, transcription_text
from ingest import ocr
from ingest.pdf_reader import ocr_is_better, read_pdf, word_ratio
from ingest.pipeline import ingest_paths
from retrieval.answer.citations import OCR_NOTE
from store.index import PanelIndex

needs_tesseract = pytest.mark.skipif(not ocr.available(),
                                     reason="Tesseract is not installed (.ci/run and the README's setup install it)")


@pytest.fixture(scope="module")
def scans() -> Path:
    if not SCANNED.is_dir():
        pytest.skip(f"the scanned papers are not here ({SCANNED} is absent)")
    return SCANNED


@needs_tesseract
def test_an_image_only_scan_is_read_within_its_error_bound(scans):
    """The 1974 ordinance has no text layer: every word comes from OCR (measured 4.3% WER; bound 10%)."""
    pdf = scans / "1974-ord-16-parks.pdf"
    document = read_pdf(pdf)
    assert [page.ocr for page in document.pages] == [True]
    cer, wer = error_rates(document.pages[0].text, transcription_text(pdf.with_suffix(".md").read_text()))
    assert wer <= 0.10 and cer <= 0.06, (cer, wer)
    assert "Park Advisory Council shall consist of three" in " ".join(document.pages[0].text.split())


@needs_tesseract
def test_a_scanners_invisible_layer_is_replaced_only_by_a_better_reading(scans):
    """The 1993 ordinance carries the scanner's own OCR as invisible text: our reading replaces it page by
    page because it reads better, and the whole paper's word error rate is lower than the layer's."""
    import pypdfium2

    pdf = scans / "1993-ord-57-93-manufactured-homes.pdf"
    truth = transcription_text(pdf.with_suffix(".md").read_text())
    layer = pypdfium2.PdfDocument(str(pdf))
    layer_text = "\n".join(layer[n].get_textpage().get_text_range() for n in range(len(layer)))
    layer.close()
    document = read_pdf(pdf)
    assert all(page.ocr for page in document.pages)
    ours = error_rates("\n".join(page.text for page in document.pages), truth)[1]
    theirs = error_rates(layer_text, truth)[1]
    assert ours < theirs, (ours, theirs)


def _text_then_garbage_layer(path: Path, good: str, scanned: str) -> Path:
    """Page 1: a real text layer. Page 2: a legible scan under an invisible layer of noise."""
    import random

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=make._font_path())
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, good)
    picture = path.with_suffix(".png")
    make._page_picture(scanned).save(picture)
    pdf.add_page()
    pdf.image(str(picture), x=0, y=0, w=210, h=297)
    picture.unlink()
    rng = random.Random(11)
    noise = "".join(rng.choice("bcdfghjklmnpqrstvwxz#@%&*~|") for _ in range(280))
    pdf.text_mode = TextMode.INVISIBLE
    pdf.set_xy(20, 20)
    pdf.multi_cell(170, 5, " ".join(noise[i : i + 6] for i in range(0, len(noise), 7)))
    pdf.output(str(path))
    return path


GOOD = ("CORPORATE PARENTING PANEL\nMINUTES of a meeting of the Corporate Parenting Panel held on Tuesday, "
        "7 May 2019.\n12. Fostering Update\n(Item 4)\n1. The Panel received the report on foster carers.")
SCANNED_PAGE = ("13. Virtual School Kent\n(Item 5)\n1. The Panel received the annual report of the Virtual "
                "School.\n2. It was RESOLVED that the Virtual School annual report be noted.")


@needs_tesseract
def test_a_garbage_layer_is_caught_on_its_own_page(tmp_path):
    """The document as a whole is mostly words (page 1), so only a per-page check finds page 2's noise;
    page 2 is read again by OCR and page 1 keeps its text layer."""
    path = _text_then_garbage_layer(tmp_path / "mixed.pdf", GOOD + "\n" + GOOD, SCANNED_PAGE)
    layer = read_pdf(path, ocr=False)  # the whole text passes the document-level check
    assert len(layer.pages[1].text.split()) >= 20 and word_ratio(layer.pages[1].text) < 0.5
    document = read_pdf(path)
    first, second = document.pages
    assert not first.ocr and first.text == layer.pages[0].text
    assert second.ocr and "Virtual School annual report be noted" in " ".join(second.text.split())


def test_ocr_replaces_a_layer_only_when_it_reads_better():
    words = "The Panel received the annual report of the Virtual School and noted it with thanks. " * 3
    noise = "kx xdzb|tl kj%tw|wtq q#gk#gv &b@*dh* cm*b|l &q%~rq&~x xs jl " * 3
    assert ocr_is_better(words, noise)
    assert not ocr_is_better(noise, words)
    assert ocr_is_better(words, words)  # as good: ours is taken (the scanner's layer cannot be checked)
    assert not ocr_is_better(words[:60], words)  # a reading that lost most of the words is not better
    assert ocr_is_better(words * 2, words[: len(words) // 2])  # a layer thin on the page


def test_no_ocr_keeps_the_refusal(tmp_path):
    """``panel-papers ingest --no-ocr`` (and PANEL_OCR=0) refuse a scan with today's one line."""
    scan = make.scanned_text(tmp_path / "scan.pdf", [SCANNED_PAGE])
    env = {**os.environ, "PANEL_INDEX_DIR": str(tmp_path / "cli-index")}
    done = subprocess.run([sys.executable, "-m", "app.cli", "ingest", "--quiet", "--no-ocr", str(scan)],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 1
    assert f"error: {scan}: scanned: no text layer, needs OCR" in done.stderr.splitlines()
    assert "0 documents ingested, 0 unchanged, 1 failed" in done.stdout
    assert Settings.load(env={"PANEL_OCR": "0"}).ingest.ocr is False
    assert Settings.load(env={}).ingest.ocr is True


@needs_tesseract
def test_a_scanned_paper_is_indexed_found_and_cited_as_ocr(scans, tmp_path, embeddings):
    """The 1978 scan into a real index: a search finds its OCR'd passage (``StoredChunk.ocr``), and the
    answer's citation says it was read by OCR."""
    from retrieval.answer import Assistant

    settings = Settings.build(index_dir=tmp_path / "index")
    index = PanelIndex(settings.store, embeddings)
    report = ingest_paths([scans / "1978-ord-28-parks.pdf"], settings.ingest, index, progress=False)
    assert report.ok and report.ocr_pages == 2, report.failed
    assert "2 read by OCR" in report.summary()
    assert all(chunk.ocr for chunk in index.all_chunks())

    assistant = Assistant.open(settings, index)
    question = "How many members shall the Park Advisory Council consist of?"
    _, candidates = assistant.retrieve(question)
    best = candidates[0].chunk
    assert best.ocr and "Park Advisory Council" in best.text
    answer = assistant.ask(question)
    assert answer.citations
    cited = answer.citations[0]
    assert cited.ocr and cited.where().endswith(f"({OCR_NOTE})")
    assert OCR_NOTE == "read by OCR; check the page image"
    assert answer.to_dict()["citations"][0]["ocr"] is True


def test_ocr_off_marks_nothing(tmp_path, settings, index):
    """A paper with a text layer is never marked OCR, with OCR on or off."""
    paper = make.text_pdf(tmp_path / "minutes.pdf", [GOOD])
    report = ingest_paths([paper], settings.ingest, index, progress=False)
    assert report.ok and report.ocr_pages == 0
    assert not any(chunk.ocr for chunk in index.all_chunks())
    assert replace(settings.ingest, ocr=False).ocr is False
