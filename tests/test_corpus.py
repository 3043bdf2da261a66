"""The sample corpus: a PDF per paper whose pages follow the original packs and read back as built.

These tests read the committed PDFs in corpus/ with the real pdfplumber.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pdfplumber
import pytest

from corpus import build

REPO = Path(__file__).resolve().parent.parent
PAPERS = build.load_papers()
KINDS = {"agenda pack", "annual report", "appendix"}
PACK_FOOTER = re.compile(r"^\s*Page\s+(\d+)\s*$")


def _norm(text: str) -> str:
    return " ".join(text.split())


def _paper(file: str) -> dict:
    return next(p for p in PAPERS if p["file"] == file)


def _items() -> list[tuple[str, build.Listing]]:
    return [(p["file"], item) for p in PAPERS
            for item in build.front_sheet_items(build.source_text(p).split("\n"))]


def _contents() -> list[tuple[str, build.Listing]]:
    return [(p["file"], entry) for p in PAPERS
            for entry in build.contents_entries(build.source_text(p).split("\n"))[0]]


def _footers() -> list[tuple[str, int, int]]:
    """(paper, line index, N) for every "Page N" footer line of every source text."""
    return [(p["file"], i, int(m.group(1))) for p in PAPERS
            for i, line in enumerate(build.source_text(p).split("\n")) if (m := PACK_FOOTER.match(line))]


@pytest.fixture(scope="module")
def pdf_text() -> Callable[[str], list[str]]:
    """The text pdfplumber extracts from each page of a corpus PDF (each PDF read once)."""
    seen: dict[str, list[str]] = {}

    def read(file: str) -> list[str]:
        if file not in seen:
            with pdfplumber.open(build.CORPUS_DIR / file) as pdf:
                seen[file] = [page.extract_text() or "" for page in pdf.pages]
        return seen[file]

    return read


def _lines(page_text: str) -> list[str]:
    """A page's non-blank lines, whitespace normalised."""
    return [_norm(line) for line in page_text.split("\n") if line.strip()]


# ---------------------------------------------------------------- the catalogue


@pytest.mark.parametrize("paper", PAPERS, ids=[p["file"] for p in PAPERS])
def test_paper_has_its_pdf_source_and_fields(paper: dict) -> None:
    assert (build.CORPUS_DIR / paper["file"]).is_file()
    assert (build.SOURCE_DIR / paper["source"]).is_file()
    assert paper["kind"] in KINDS
    assert paper["title"] and paper["committee"]
    meeting = date.fromisoformat(paper["meeting_date"]).isoformat()
    slug = paper["kind"].replace(" ", "-")
    assert re.fullmatch(rf"kent-[a-z0-9-]+-{meeting}-{slug}\.pdf", paper["file"])


def test_every_source_text_is_catalogued_once() -> None:
    assert sorted(p["source"] for p in PAPERS) == sorted(f.name for f in build.SOURCE_DIR.glob("*.txt"))
    assert len({p["file"] for p in PAPERS}) == len(PAPERS)


def test_pdf_metadata_title() -> None:
    for paper in PAPERS:
        with pdfplumber.open(build.CORPUS_DIR / paper["file"]) as pdf:
            assert pdf.metadata.get("Title") == paper["title"]
            assert {(round(p.width), round(p.height)) for p in pdf.pages} == {(595, 842)}  # A4


# ---------------------------------------------------------------- pagination


@pytest.mark.parametrize("paper", PAPERS, ids=[p["file"] for p in PAPERS])
def test_paginate_loses_and_adds_no_line(paper: dict) -> None:
    text = build.source_text(paper)
    pages = build.paginate(text)
    assert "\n".join(pages) == text
    assert [line for page in pages for line in page.split("\n")] == text.split("\n")
    assert all(page.strip() for page in pages), "a page without text"


def test_paginate_small_texts() -> None:
    assert build.paginate("") == [""]
    assert build.paginate("one line\n") == ["one line\n"]
    text = "\n".join(f"line {i}" for i in range(200))
    pages = build.paginate(text)
    assert "\n".join(pages) == text and 4 <= len(pages) <= 6


@pytest.mark.parametrize("paper", PAPERS, ids=[p["file"] for p in PAPERS])
def test_pdf_has_a_page_per_page_text(paper: dict, pdf_text) -> None:
    assert len(pdf_text(paper["file"])) == len(build.paginate(build.source_text(paper)))


def test_known_anchors_of_the_29_january_2019_pack(pdf_text) -> None:
    pages = pdf_text("kent-cpp-2019-01-29-agenda-pack.pdf")
    assert len(pages) == 106  # the last item runs to page 106
    # Item 3, the minutes of 1 November 2018 (Pages 5 - 20), starts page 5.
    assert _lines(pages[4])[:2] == ["KENT COUNTY COUNCIL", "CORPORATE PARENTING PANEL"]
    assert _lines(pages[4])[2].startswith("MINUTES of a meeting of the Corporate Parenting Panel")
    assert "Thursday, 1 November 2018" in pages[4]
    assert "MINUTES of a meeting" not in pages[3]
    # Item 8, the scorecard report (Pages 27 - 36), starts page 27.
    assert _lines(pages[26])[0].startswith("By: Roger Gough")
    assert "Subject: PERFORMANCE SCORECARD FOR CHILDREN IN CARE" in pages[26]
    assert "PERFORMANCE SCORECARD" not in pages[25]
    # The text before "Page 29" ends on page 29.
    assert _lines(pages[28])[-1] == "Page 29"
    assert "NOTE and COMMENT on the performance data in the Children in Care scorecard." in pages[28]
    assert [n for n, page in enumerate(pages, 1) if "Page 29" in _lines(page)] == [29]


@pytest.mark.parametrize(("file", "item"), _items(), ids=[f"{f[:24]}-p{i.first}" for f, i in _items()])
def test_front_sheet_item_starts_its_page(file: str, item: build.Listing, pdf_text) -> None:
    """Every "(Pages X - Y)" item: its content's first line opens PDF page X (+ any cover pages)."""
    layout = build.plan(build.source_text(_paper(file)))
    anchor = next((a for a in layout.anchors if a.source == "item" and a.label == item.title), None)
    assert anchor is not None, f"no start found for {item.title!r}"
    page = item.first + layout.offset
    assert anchor.page == page and layout.page_of_line(anchor.line) == page
    assert _lines(pdf_text(file)[page - 1])[0] == _norm(layout.lines[anchor.line])
    # and the page's opening shows the item's title (words that are not the date, mostly)
    opening = " ".join(_lines(pdf_text(file)[page - 1])[:12])
    wanted = set(build._tokens(item.title))
    assert len(wanted & set(build._tokens(opening))) >= 0.6 * len(wanted)
    if item.last is not None:
        assert len(pdf_text(file)) >= item.last + layout.offset


@pytest.mark.parametrize(("file", "entry"), _contents(), ids=[f"{f[:24]}-p{e.first}" for f, e in _contents()])
def test_contents_entry_starts_its_page(file: str, entry: build.Listing, pdf_text) -> None:
    layout = build.plan(build.source_text(_paper(file)))
    anchor = next(a for a in layout.anchors if a.source == "contents" and a.label == entry.title)
    assert anchor.page == entry.first + layout.offset  # the annual report's pages count from 1
    assert _lines(pdf_text(file)[anchor.page - 1])[0] == _norm(layout.lines[anchor.line])


def test_cover_letter_precedes_printed_page_one(pdf_text) -> None:
    paper = next(p for p in PAPERS if p.get("page_offset"))
    pages = pdf_text(paper["file"])
    assert "Dear Member" in pages[0]
    assert _lines(pages[1]) == ["This page is intentionally left blank"]
    assert _lines(pages[2])[0] == "CORPORATE PARENTING ANNUAL REPORT 2019"  # printed page 1
    assert len(pages) == 26 + paper["page_offset"]  # "(Pages 1 – 26)"


@pytest.mark.parametrize(("file", "line", "number"), _footers(),
                         ids=[f"{f[:24]}-Page{n}" for f, _, n in _footers()])
def test_page_footer_ends_its_page(file: str, line: int, number: int, pdf_text) -> None:
    """Every "Page N" footer line is among the last lines of PDF page N and on no other page."""
    layout = build.plan(build.source_text(_paper(file)))
    page = number + layout.offset
    assert layout.page_of_line(line) == page
    footer = f"Page {number}"
    assert footer in _lines(pdf_text(file)[page - 1])[-4:]
    assert [n for n, text in enumerate(pdf_text(file), 1) if footer in _lines(text)] == [page]


# ---------------------------------------------------------------- the text reads back


@pytest.mark.parametrize("paper", PAPERS, ids=[p["file"] for p in PAPERS])
def test_every_page_reads_back_as_built(paper: dict, pdf_text) -> None:
    pages = build.paginate(build.source_text(paper))
    extracted = pdf_text(paper["file"])
    wrong = [n for n, (built, read) in enumerate(zip(pages, extracted, strict=True), 1)
             if _norm(read) != _norm(built)]
    assert not wrong, f"pages whose extracted text differs from the page text: {wrong}"


def test_committed_pdfs_are_up_to_date() -> None:
    try:
        build.font_path()
    except FileNotFoundError as exc:
        pytest.skip(f"cannot rebuild here: {exc}")
    done = subprocess.run([sys.executable, "-m", "corpus.build", "--check"], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
