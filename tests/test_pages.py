"""Page pictures: readable size, a highlight on the cited passage's own lines (a scorecard row, not the rows
sharing its words; a whole minute paragraph), and a text alternative."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from PIL import ImageChops

from app.pages import PageRenderer, page_alt_text, page_words
from core.catalogue import Catalogue
from ingest.chunker import make_chunks
from ingest.scorecard import scorecard_rows
from ingest.structure import analyse
from tests.conftest import read_pdf_once

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
CATALOGUE = Catalogue.load(CORPUS).papers


def _read(name: str):
    doc = read_pdf_once(CORPUS / name)
    return analyse(doc.pages, name, doc.content_hash, CATALOGUE.get(name), doc.metadata_title)


@pytest.fixture(scope="module")
def packs():
    """The corpus packs with scorecards and minutes, read as ingest reads them."""
    names = sorted(n for n, p in CATALOGUE.items() if p.meeting_date in ("2018-09-19", "2019-01-29"))
    assert len(names) == 2
    return {name: _read(name) for name in names}


@pytest.fixture(scope="module")
def renderer():
    return PageRenderer()


def _grams(text: str, n: int = 3) -> set[tuple[str, ...]]:
    words = [w.lower() for w in text.split()]
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _row_tops(path: Path, page: int, rows) -> dict[str, float]:
    """Where each scorecard row starts on the page: the top of the printed line its text begins."""
    with pdfplumber.open(path, pages=[page]) as pdf:
        lines = pdf.pages[0].extract_text_lines()
    tops = {}
    for row in rows:
        start = " ".join(row.text.split()[:5])
        hits = [ln["top"] for ln in lines if " ".join(ln["text"].split()).startswith(start)]
        if len(hits) == 1:
            tops[row.text] = hits[0]
    return tops


def test_a_scorecard_row_is_highlighted_on_its_own_lines_not_on_rows_sharing_its_words(packs, renderer):
    checked = 0
    for name, structure in packs.items():
        rows = scorecard_rows(make_chunks(structure))
        for page in sorted({r.page for r in rows}):
            on_page = [r for r in rows if r.page == page]
            tops = _row_tops(CORPUS / name, page, on_page)
            starts = sorted(tops.values())
            for row in on_page:
                # The rows that would mislead: another row on this page shares a run of its words.
                if row.text not in tops or not any(_grams(row.text) & _grams(o.text) for o in on_page if o is not row):
                    continue
                top = tops[row.text]
                below = [s for s in starts if s > top + 1]
                band = (top - 1, below[0] - 1 if below else top + 40)  # from its line to the next row's
                boxes = renderer.boxes(CORPUS / name, page, row.text)
                assert boxes, (name, page, row.text)
                assert any(abs(b[1] - top) < 2 for b in boxes), ("its first line is marked", row.text)
                outside = [b for b in boxes if not band[0] <= b[1] < band[1]]
                assert not outside, (name, page, row.text, band, outside)
                words = [w for w in page_words(CORPUS / name, page) if band[0] <= w["top"] < band[1]]
                value = next(w for w in words if w["text"] == row.value)
                assert any(b[0] <= value["x0"] and value["x1"] <= b[2] and abs(b[1] - value["top"]) < 2
                           for b in boxes), ("its value is marked", row.text)
                checked += 1
    assert checked >= 8, "the scorecards have rows sharing words (\"% of Care Leavers\", \"H R12M\")"


def test_only_the_cited_rows_pixels_turn_yellow(packs, renderer):
    name = next(iter(packs))
    rows = [r for r in scorecard_rows(make_chunks(packs[name])) if "Care Leavers" in r.text]
    page = max({r.page for r in rows}, key=lambda p: sum(r.page == p for r in rows))
    on_page = [r for r in rows if r.page == page]
    assert len(on_page) >= 3, "several Care Leavers rows share a page"
    tops = _row_tops(CORPUS / name, page, on_page)
    cited = on_page[len(on_page) // 2]
    plain = renderer.render(CORPUS / name, page)
    marked = renderer.render(CORPUS / name, page, cited.text)
    assert plain.size == marked.size
    changed = ImageChops.difference(plain, marked).convert("L").point(lambda v: 255 if v > 24 else 0)
    box = changed.getbbox()
    assert box, "something is highlighted"
    with pdfplumber.open(CORPUS / name, pages=[page]) as pdf:
        scale = marked.size[0] / float(pdf.pages[0].width)
    top = tops[cited.text]
    later = [t for t in tops.values() if t > top + 1]
    earlier = [t for t in tops.values() if t < top - 1]
    # Every changed pixel lies between the row above's line and the row below's line.
    if earlier:
        assert box[1] > (max(earlier) + 8) * scale, (box, top, earlier)
    if later:
        assert box[3] < min(later) * scale, (box, top, later)
    # ...and what changed turned yellow: red and green high, blue low.
    def yellow(image):
        strip = image.crop((0, int(top * scale), image.size[0], int((top + 10) * scale)))
        return sum(1 for r, g, b in strip.get_flattened_data() if r > 200 and g > 180 and b < 170)

    assert yellow(marked) > yellow(plain) + 500


def test_a_multi_line_minute_paragraph_is_highlighted_whole(packs, renderer):
    checked = 0
    for name, structure in packs.items():
        for decision in structure.decisions:
            path = CORPUS / name
            with pdfplumber.open(path, pages=[decision.page]) as pdf:
                lines = pdf.pages[0].extract_text_lines()
            flat = [" ".join(ln["text"].split()) for ln in lines]
            # The printed lines the decision occupies: from the one holding its opening to the one
            # holding its end.
            head, tail = " ".join(decision.text.split()[:8]), " ".join(decision.text.split()[-3:])
            starts = [i for i, t in enumerate(flat) if " ".join(head.split()[:4]) in t]
            heads = [i for i in starts if head in " ".join(flat[i : i + 2])]
            if len(heads) != 1:
                continue
            first = heads[0]
            last = next((i for i in range(first, len(flat)) if flat[i].endswith(tail)), None)
            if last is None or last - first < 1:
                continue
            boxes = renderer.boxes(path, decision.page, decision.text)
            for line in lines[first : last + 1]:
                assert any(abs(b[1] - line["top"]) < 2 for b in boxes), (name, decision.text, line["text"])
            assert all(lines[first]["top"] - 2 < b[1] < lines[last]["bottom"] for b in boxes), (name, decision.text)
            checked += 1
    assert checked >= 5, "the packs' minutes hold decisions over several lines"


def test_a_quote_not_on_the_page_marks_nothing(packs, renderer):
    name = next(iter(packs))
    assert renderer.boxes(CORPUS / name, 5, "zebra unicorn quasar nebula lighthouse") == []


def test_pages_render_at_a_readable_size_and_are_cached(packs, renderer):
    name = next(iter(packs))
    with pdfplumber.open(CORPUS / name, pages=[5]) as pdf:
        width = float(pdf.pages[0].width)
    image = renderer.render(CORPUS / name, 5)
    assert width < 700 and image.size[0] >= 1200, "an A4 page at least 1,200 px wide"
    assert renderer.render(CORPUS / name, 5) is image


def test_alt_text_names_the_paper_the_page_and_the_passage():
    text = page_alt_text("kent-cpp-2019-01-29-agenda-pack.pdf", 34, "% of Care Leavers we are in contact with "
                         "(inc UASC) H R12M 87.2%", page_label="30")
    assert "kent-cpp-2019-01-29-agenda-pack.pdf" in text and "page 30" in text and "PDF page 34" in text
    assert "% of Care Leavers we are in contact with" in text
    long = page_alt_text("a.pdf", 2, "word " * 400)
    assert len(long) < 400 and long.endswith("…”")
    assert "Highlighted" not in page_alt_text("a.pdf", 2)
