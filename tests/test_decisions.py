"""The decisions register: minutes numbered without "(Item N)" and minutes with neither number nor item
keep their number and title; the CSV leaves empty cells empty and quotes formulas; the register's cards
escape the papers' text, say when a minute has no number, and open their page (also by keyboard) at phone
width."""

from __future__ import annotations

import csv
import re
import shutil
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from app.service import PanelService
from app.ui.decisions import NO_MINUTE, NO_TITLE, decision_cards
from core.catalogue import Catalogue
from core.records import StoredDecision
from evals.pdf_factory import text_pdf
from ingest.structure import analyse
from tests.conftest import PLANTED, read_pdf_once

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
CATALOGUE = Catalogue.load(CORPUS).papers
NUMBERED_LINE = re.compile(r"^\s*(\d{1,4})\.\s+[A-Z]")


def structure_of(path: Path, entry=None):
    doc = read_pdf_once(path)
    return analyse(doc.pages, path.name, doc.content_hash, entry, doc.metadata_title)


@pytest.fixture(scope="module")
def packs():
    """Every corpus paper that records decisions, read as ingest reads it."""
    read = {name: structure_of(CORPUS / name, entry) for name, entry in CATALOGUE.items()}
    return {name: s for name, s in read.items() if s.decisions}


def test_every_corpus_decision_names_its_minute(packs):
    decisions = [d for s in packs.values() for d in s.decisions]
    assert len(decisions) >= 20
    blank = [(d.document, d.meeting_date, d.text[:60]) for d in decisions if not d.minute or not d.minute_title]
    assert not blank, blank
    # The motion to exclude the press and public is a minute printed without "(Item N)".
    exclusions = [d for d in decisions if "Section 100A" in d.text]
    assert len(exclusions) >= 2 and len({d.meeting_date for d in exclusions}) == len(exclusions)
    assert all("press and public" in d.minute_title.lower() for d in exclusions), exclusions


def test_each_meetings_minutes_are_numbered_without_gaps_and_paragraphs_are_not_minutes(packs):
    checked = 0
    for structure in packs.values():
        by_meeting: dict[str, list[int]] = {}
        for line in structure.lines:
            if line.context.in_minutes and line.context.minute:
                seen = by_meeting.setdefault(line.context.meeting_date, [])
                if not seen or seen[-1] != int(line.context.minute):
                    seen.append(int(line.context.minute))
        for meeting, numbers in by_meeting.items():
            # modern.gov numbers minutes consecutively; a paragraph "1." or "2." inside one is no minute.
            assert numbers == list(range(numbers[0], numbers[0] + len(numbers))), (meeting, numbers)
            checked += 1
        for line in structure.lines:  # a printed "87. Apologies and Substitutes" heads its own minute
            match = NUMBERED_LINE.match(line.text)
            numbers = by_meeting.get(line.context.meeting_date, [])
            if line.context.in_minutes and match and numbers and numbers[0] <= int(match[1]) <= numbers[-1]:
                assert line.context.minute == match[1], (line.text, line.context.minute)
    assert checked >= 3


MINUTES = """AUDIT COMMITTEE
MINUTES of a meeting of the Audit Committee held on Tuesday, 2 March 2021.
PRESENT: Mr A Smith (Chairman), Mrs B Jones and Mr D Green
41. Apologies for absence
Apologies were received from Mr C Brown.
42. Minutes of the meeting held on 1 December 2020
(Item 3)
1. It was RESOLVED that the minutes be signed as a correct record.
43. Internal Audit Progress Report
(Item 4)
1. The Head of Internal Audit introduced the report, and the Committee
(Mr A Smith, Mrs B Jones and Mr D Green, Members for
Tonbridge) were in attendance for this item
2. Members asked about the audit plan for schools.
3. It was RESOLVED that the report be noted.
44. Exclusion of the press and public
RESOLVED that under Section 100A of the Local Government Act 1972 the public be excluded.
Risk Management Strategy
1. The Committee discussed the strategy for the coming year.
2. RESOLVED that the strategy be approved.
"""


def test_unnumbered_and_unreferenced_minutes_in_any_committees_minutes(tmp_path):
    structure = structure_of(text_pdf(tmp_path / "audit-minutes.pdf", [MINUTES]))
    got = [(d.minute, d.minute_title, d.meeting_date) for d in structure.decisions]
    assert got == [("42", "Minutes of the meeting held on 1 December 2020", "2021-03-02"),
                   ("43", "Internal Audit Progress Report", "2021-03-02"),
                   ("44", "Exclusion of the press and public", "2021-03-02"),
                   (None, "Risk Management Strategy", "2021-03-02")]
    apologies = next(ln for ln in structure.lines if ln.text.startswith("Apologies were"))
    assert (apologies.context.minute, apologies.context.minute_title) == ("41", "Apologies for absence")
    # The last line of a wrapped sentence is not a minute's title.
    wrapped = next(ln for ln in structure.lines if ln.text.startswith("2. Members asked"))
    assert wrapped.context.minute_title == "Internal Audit Progress Report"


def test_real_council_minutes_title_their_unnumbered_first_minute(real_papers):
    structure = structure_of(real_papers / "kent-county-council-2025-01-09-printed-minutes.pdf")
    assert all(d.minute or d.minute_title for d in structure.decisions)
    first = structure.decisions[0]
    assert first.minute is None and first.minute_title
    # The title is the printed line right above the minute's first numbered paragraph.
    printed = [ln.text.strip() for ln in structure.lines if ln.page == first.page]
    assert printed[printed.index(first.minute_title) + 1].startswith("1. ")


def stored(packs) -> list[StoredDecision]:
    return [StoredDecision(**asdict(d)) for s in packs.values() for d in s.decisions]


def test_csv_leaves_empty_cells_empty_and_quotes_formulas(packs, tmp_path):
    decisions = stored(packs)
    blanks = replace(decisions[0], minute=None, minute_title=None, committee=None, page_label=None)
    formulas = replace(decisions[1], minute_title="=HYPERLINK(\"http://evil\")", committee="@SUM(A1)",
                       minute="-1+2", text="+cmd")
    path = PanelService.decisions_csv([*decisions, blanks, formulas], tmp_path)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(decisions) + 2
    assert (rows[-2]["minute"], rows[-2]["title"], rows[-2]["committee"], rows[-2]["page_label"]) == ("", "", "", "")
    assert [rows[-1][k] for k in ("title", "committee", "minute", "decision")] == \
        ["'=HYPERLINK(\"http://evil\")", "'@SUM(A1)", "'-1+2", "'+cmd"]
    assert not any(v == "'" for row in rows for v in row.values()), "no cell is a lone apostrophe"
    assert rows[0]["decision"] == " ".join(decisions[0].text.split())


def test_cards_escape_the_papers_text_and_name_missing_minutes(packs):
    decisions = stored(packs)
    planted = replace(decisions[0], text=PLANTED.split("\n")[-1], minute_title="<b>Zebrafish</b> & co",
                      minute=None)
    untitled = replace(decisions[1], minute_title=None)
    page = decision_cards([*decisions, planted, untitled])
    assert page.count('class="decision-card"') == len(decisions) + 2
    assert [int(i) for i in re.findall(r'data-card="(\d+)"', page)] == list(range(len(decisions) + 2))
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;window.__pwned=2&lt;/script&gt;" in page and "&lt;b&gt;Zebrafish&lt;/b&gt; &amp; co" in page
    cards = page.split('class="decision-card"')[1:]
    assert NO_MINUTE in cards[-2] and NO_TITLE in cards[-1] and NO_MINUTE not in cards[0]
    assert decisions[0].minute_title in cards[0].replace("&#x27;", "'")
    assert "No decisions match" in decision_cards([])


# --- In Chromium at phone width: readable cards, each opening its page by mouse or keyboard ---------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_decision_cards_at_phone_width_open_their_page_by_click_and_by_keyboard(app_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(app_server["url"], wait_until="load")
        page.get_by_role("tab", name="Decisions").click()
        page.wait_for_selector("#decisions .decision-card", timeout=60_000)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        text = page.locator("#decisions .decision-text").first
        box = text.bounding_box()
        assert text.is_visible() and box["width"] >= 250 and box["x"] + box["width"] <= 390, box
        assert "RESOLVED" in text.inner_text()

        page.locator("#decisions .decision-open").first.click()
        picture = page.wait_for_selector("#decision-page .page-picture img", state="attached", timeout=60_000)
        link = page.locator("#decision-page a[target=_blank]")
        link.wait_for(timeout=30_000)
        first_href = link.get_attribute("href")
        assert "#page=" in first_href and "Open the PDF" in link.inner_text()
        picture.scroll_into_view_if_needed()
        page.wait_for_function("(img) => img.complete && img.naturalWidth >= 1200", arg=picture, timeout=30_000)

        # By keyboard: Enter on another card's button opens that card's page.
        href = "document.querySelector('#decision-page a[target=_blank]').href"
        before = page.evaluate(f"() => {href}")
        page.locator("#decisions .decision-open").nth(1).focus()
        page.keyboard.press("Enter")
        page.wait_for_function(f"(old) => {href} !== old", arg=before, timeout=30_000)

        page.get_by_label("Search the decisions").fill("Zebrafish")
        page.get_by_role("button", name="Show decisions").click()
        page.wait_for_function("document.querySelector('#decisions').innerText.includes('<script>')",
                               timeout=60_000)
        assert page.evaluate("window.__pwned") is None
        browser.close()
