"""The app in a real headless Chromium (Debian's package, driven by Playwright): ask, see the answer and
its [n], open the source, see the page picture; a planted <img onerror> / <script> never runs; nothing is
fetched from the internet."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")

# Flags for a locked-down machine: no sandbox as root, no calls home (they would fail and slow every start).
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, app_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.outside = []  # every request that leaves loopback
    page.on("request", lambda r: page.outside.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    page.goto(app_server["url"], wait_until="load")
    page.wait_for_selector("#question textarea", timeout=60_000)
    yield page
    context.close()


def ask(page, question: str) -> None:
    page.fill("#question textarea", question)
    page.click("#ask")


def test_question_answer_source_and_page_picture(page):
    ask(page, "What did the panel resolve about Mind Of My Own?")
    page.wait_for_selector("#chat a[href='#source-1']", timeout=60_000)
    # The [1] streams in before the answer is done; the sources panel is filled when it is.
    page.wait_for_selector("#sources .source", timeout=60_000)
    assert "RESOLVED" in page.inner_text("#chat")
    assert "[1]" in page.inner_text("#sources") and "page" in page.inner_text("#sources")
    page.wait_for_selector("#page-image img", timeout=60_000)
    # Clicking [1] picks source 1 (and so shows its page).
    page.evaluate("document.querySelectorAll('#source-pick input[type=radio]').forEach(r => r.checked = false)")
    # Found again now: the [1] seen while the answer streamed may have been re-rendered (detached) since.
    page.click("#chat a[href='#source-1']")
    page.wait_for_function("document.querySelector('#source-pick input[type=radio]').checked", timeout=10_000)
    page.wait_for_selector("#page-image img", timeout=60_000)
    # The picture loads after its element appears: wait for its pixels, not only the tag.
    page.wait_for_function("(document.querySelector('#page-image img') || {}).naturalWidth > 500", timeout=30_000)
    link = page.get_attribute("#sources a[target=_blank]", "href")
    assert link.startswith("/gradio_api/file=") and "#page=" in link
    response = page.request.get(page.url.rstrip("/") + link.split("#")[0])
    assert response.ok and response.body()[:5] == b"%PDF-"
    assert page.outside == [], f"the page reached outside: {page.outside}"


def test_refusal_looks_different(page):
    ask(page, "What was the council's budget for road repairs in 2023?")
    page.wait_for_selector("#sources .refused", timeout=60_000)
    assert "Not in the papers" in page.inner_text("#chat")


def test_planted_markup_is_shown_as_text_and_never_runs(page):
    ask(page, "What did the panel resolve about the Zebrafish Fostering Pilot?")
    page.wait_for_selector("#chat a[href^='#source-']", timeout=60_000)
    page.wait_for_timeout(1500)
    chat = page.inner_text("#chat")
    assert "<img src=x onerror" in chat, chat  # visible as the paper printed it
    assert page.evaluate("window.__pwned") is None
    assert page.query_selector("#chat img[src='x']") is None and page.query_selector("#sources img") is None
    page.get_by_role("tab", name="Decisions").click()
    page.get_by_label("Search the decisions").fill("Zebrafish")
    page.get_by_role("button", name="Show decisions").click()
    page.wait_for_function("document.querySelector('#decisions').innerText.includes('Zebrafish')", timeout=60_000)
    assert page.evaluate("window.__pwned") is None
    assert page.outside == []


# --- Every tab at a desktop and a phone size; WCAG 2.2 AA by axe-core; keyboard only ----------------------

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"  # `make setup` installs it (package.json)
VIEWPORTS = {"desktop": (1400, 1000), "phone": (390, 844)}
TABS = ("Chat", "Decisions", "Follow-ups", "Figures", "Library")
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def corpus_app(corpus_index, corpus_settings, embeddings):
    """The app over the whole sample corpus (read-only here): what the README's screenshots show."""
    from app.service import PanelService
    from app.ui import launch
    from tests.servers import free_port

    port = free_port()
    blocks = launch(PanelService(corpus_settings, embeddings=embeddings), "127.0.0.1", port, block=False)
    yield f"http://127.0.0.1:{port}/"
    blocks.close()


def open_app(browser, url: str, size: str):
    width, height = VIEWPORTS[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_selector("#question textarea", timeout=60_000)
    return context, page


def answered(page, question: str) -> None:
    ask(page, question)
    page.wait_for_selector("#page-image img", timeout=60_000)
    page.wait_for_timeout(800)


def show_tab(page, tab: str) -> None:
    page.get_by_role("tab", name=tab).click()
    page.wait_for_timeout(1200)  # the tab's contents load on first show
    if tab == "Decisions":
        page.wait_for_function("document.querySelector('#decisions').innerText.includes('RESOLVED')",
                               timeout=60_000)
    if tab == "Follow-ups":
        page.wait_for_selector("#followups .followup-card, #followups .followup-none", timeout=60_000)
    if tab == "Figures":
        page.wait_for_selector("#figure-chart .js-plotly-plot, #figure-chart svg", timeout=60_000)
        page.wait_for_timeout(800)


def show_indicator(page, words: str) -> None:
    """Pick the first indicator whose name holds ``words`` in the Figures tab, and wait for its chart."""
    box = page.locator("#indicator input")
    box.click()
    box.fill(words)
    page.wait_for_timeout(500)
    page.get_by_role("option", name=re.compile(re.escape(words), re.I)).first.click()
    page.wait_for_function(f"document.querySelector('#indicator input').value.toLowerCase().includes({words!r})",
                           timeout=30_000)
    page.wait_for_timeout(1500)


def overflow(page) -> int:
    """How far the page reaches past the viewport's right edge (0: nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


# Gradio's status tracker pulses a pending output between opacity 1 and 0.5 and fades it out over 0.1 s;
# axe blends opacity into its contrast figures, so a page caught mid-pulse fails colour contrast on text
# that is fine at rest (seen once in CI on a link). Check the page at rest.
QUIET = ("![...document.querySelectorAll('[data-testid=status-tracker]')]"
         ".some(t => !t.classList.contains('hide') && t.getBoundingClientRect().height > 0)")


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found: list[str] = []
    for _ in range(2):  # a violation must hold on a second look at the quiet page, not just one frame
        page.wait_for_function(QUIET, timeout=60_000)
        page.wait_for_timeout(400)  # past the tracker's fade
        result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                               WCAG_22_AA)
        found = [f"{v['id']} ({v['impact']}): {[(n['target'], n['html'][:120]) for n in v['nodes']][:3]}"
                 for v in result["violations"]]
        if not found:
            break
    return found


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_every_tab_fits_the_screen_and_is_photographed(browser, corpus_app, size):
    context, page = open_app(browser, corpus_app, size)
    answered(page, "What did the panel resolve about Mind Of My Own?")
    for tab in TABS:
        show_tab(page, tab)
        assert overflow(page) <= 0, f"{tab} at {size} scrolls sideways by {overflow(page)} px"
        if tab == "Decisions":
            # The decision's own words are on screen and readable, not a column squeezed to letters.
            text = page.locator("#decisions").get_by_text("RESOLVED", exact=False).first
            text.scroll_into_view_if_needed()
            box = text.bounding_box()
            assert text.is_visible() and box and box["width"] >= 200, box  # a squeezed column is ~20 px
            assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS[size][0], box
        if tab == "Follow-ups":
            # The request's words are readable, its status is in words, and its answer's page opens.
            words = page.locator("#followups .followup-words").first
            words.scroll_into_view_if_needed()
            box = words.bounding_box()
            assert words.is_visible() and box and box["width"] >= 200, box
            assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS[size][0], box
            assert re.match(r"\d+ follow-ups?: \d+ open, \d+ answered", page.inner_text("#followups-count"))
            page.locator("#followups .followup-show", has_text="Show the answer's page").first.click()
            page.wait_for_function("(document.querySelector('#followup-page .page-picture img') || {}).naturalWidth"
                                   " > 500", timeout=60_000)
            assert overflow(page) <= 0
            if size == "desktop":
                page.evaluate("window.scrollTo(0, 0)")
        if tab == "Figures":
            # The officer's indicator, care leavers in education, employment or training: one line from
            # 2015 to 2018 on a time axis, with its target line.
            show_indicator(page, "employment, education or training")
            traces = page.evaluate("[...document.querySelector('#figure-chart .js-plotly-plot').data]"
                                   ".map(t => ({name: t.name, x: [...t.x]}))")
            years = sorted(int(x[:4]) for x in traces[0]["x"])
            assert traces[0]["name"] == "value" and years[0] == 2015 and years[-1] == 2018, traces
            assert page.evaluate("document.querySelector('#figure-chart .js-plotly-plot').layout.xaxis.type") == "date"
            assert "target" in [t["name"] for t in traces], traces
            assert page.locator("#figure-chart .scatterlayer .trace").count() >= 2  # both are drawn
        page.screenshot(path=str(DOCS / f"{tab.lower().replace('-', '')}-{size}.png"), full_page=size == "phone")
    context.close()


def test_topic_timeline_is_traced_and_photographed(browser, corpus_app):
    """Type a topic and trace it; then a decision card's own history: every minute and paper on it, oldest
    first, each opening its page. Photographed for the README."""
    context, page = open_app(browser, corpus_app, "desktop")
    show_tab(page, "Decisions")
    page.fill("#trace-topic textarea", "Lifelong Links")
    page.click("#trace")
    heading = page.wait_for_selector("#topic-history .history-heading", timeout=60_000)
    assert heading.inner_text() == "History: Lifelong Links"
    assert page.locator("#topic-history .history-card").count() >= 1
    assert "Lifelong Links" in page.inner_text("#topic-history .history-cards")

    # The decision card on Lifelong Links traces its own minute's topic.
    card = page.locator("#decisions .decision-card", has_text="Lifelong Links").first
    title = card.locator(".decision-title").inner_text()
    card.locator(".decision-history").click()
    page.wait_for_function("(title) => (document.querySelector('#topic-history .history-heading') || {})"
                           ".innerText === 'History: ' + title", arg=title, timeout=60_000)
    entries = page.locator("#topic-history .history-card")
    assert entries.count() >= 2
    days = [datetime.strptime(meta.split(" · ")[0], "%d %B %Y").date()
            for meta in page.locator("#topic-history .history-meta").all_inner_texts()]
    assert len(days) == entries.count() and days == sorted(days), days
    assert page.evaluate("document.activeElement.matches('#topic-history .history-heading')")

    # Each entry opens its page beside the history.
    href = "(document.querySelector('#decision-page a[target=_blank]') || {}).href"
    entries.nth(1).locator(".history-open").click()
    page.wait_for_function("(document.querySelector('#decision-page .page-picture img') || {}).naturalWidth > 500",
                           timeout=60_000)
    page.wait_for_function(f"() => ({href} || '').includes('#page=')", timeout=30_000)
    assert overflow(page) <= 0
    if AXE.is_file():
        assert axe_violations(page) == []
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(500)
    page.screenshot(path=str(DOCS / "timeline-desktop.png"))

    page.get_by_role("button", name="Close the history").click()
    page.wait_for_function("!document.querySelector('#topic-history .history')", timeout=30_000)
    context.close()


def test_one_click_narrows_the_answers_to_a_committee(browser, corpus_app):
    """The committee picker is on the chat's face: one click, and every source is that committee's, each
    naming its committee and meeting."""
    context, page = open_app(browser, corpus_app, "desktop")
    page.locator("#committee-pick").get_by_text("County Council", exact=True).click()
    answered(page, "What are the responsibilities of a corporate parent?")
    places = page.locator("#sources .source").all_inner_texts()
    assert places and all("County Council meeting of" in p for p in places), places
    page.locator("#committee-pick").get_by_text("All committees", exact=True).click()
    answered(page, "What did the panel resolve about Mind Of My Own?")
    assert "Corporate Parenting Panel meeting of" in page.inner_text("#sources")
    context.close()


def test_phone_shows_the_sources_right_under_the_answer(browser, corpus_app):
    context, page = open_app(browser, corpus_app, "phone")
    answered(page, "What did the panel resolve about Mind Of My Own?")
    top = {sel: page.locator(sel).first.bounding_box()["y"] for sel in ("#chat", "#sources", "#examples")}
    assert top["#chat"] < top["#sources"] < top["#examples"], top
    context.close()


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed: run `make setup` (npm ci)")
def test_no_wcag_violations_on_any_tab_after_a_question_and_an_upload(browser, app_server, small_pdf):
    for size in VIEWPORTS:
        context, page = open_app(browser, app_server["url"], size)
        answered(page, "What did the panel resolve about Mind Of My Own?")
        found = {"Chat": axe_violations(page)}
        show_tab(page, "Library")
        page.set_input_files("#upload input[type=file]", str(small_pdf))
        page.click("#ingest")
        page.wait_for_function("!document.querySelector('#ingest-result').innerText.includes('No papers uploaded')",
                               timeout=120_000)
        page.wait_for_timeout(1000)
        found["Library"] = axe_violations(page)
        for tab in ("Decisions", "Follow-ups", "Figures"):
            show_tab(page, tab)
            found[tab] = axe_violations(page)
        assert not any(found.values()), f"{size}: {found}"
        context.close()


def test_keyboard_alone_asks_and_opens_a_cited_page(browser, app_server):
    context, page = open_app(browser, app_server["url"], "desktop")

    def tab_until(test: str, limit: int = 80) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(test):
                return
        raise AssertionError(f"Tab never reached: {test}")

    tab_until("document.activeElement.matches('#question textarea')")
    page.keyboard.type("What did the panel resolve about Mind Of My Own?")
    page.keyboard.press("Enter")
    page.wait_for_selector("#chat a[href^='#source-']", timeout=60_000)
    page.wait_for_selector("#page-image img", timeout=60_000)
    # Forget the page shown with the answer, then open source 1 from its [1] with Tab and Enter.
    page.evaluate("document.querySelectorAll('#source-pick input[type=radio]').forEach(r => r.checked = false)")
    tab_until("document.activeElement.matches(\"#chat a[href^='#source-']\")")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "the focused [n] shows no focus outline"
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#source-pick input[type=radio]').checked", timeout=10_000)
    alt = page.get_attribute("#page-image img", "alt")
    assert alt and alt.startswith("Page picture") and "Highlighted passage" in alt, alt
    context.close()
