"""The app in a real headless Chromium (Debian's package, driven by Playwright): ask, see the answer and
its [n], open the source, see the page picture; a planted <img onerror> / <script> never runs; nothing is
fetched from the internet."""

from __future__ import annotations

import shutil

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
    marker = page.wait_for_selector("#chat a[href='#source-1']", timeout=60_000)
    assert "RESOLVED" in page.inner_text("#chat")
    assert "[1]" in page.inner_text("#sources") and "page" in page.inner_text("#sources")
    page.wait_for_selector("#page-image img", timeout=60_000)
    # Clicking [1] picks source 1 (and so shows its page).
    page.evaluate("document.querySelectorAll('#source-pick input[type=radio]').forEach(r => r.checked = false)")
    marker.click()
    page.wait_for_function("document.querySelector('#source-pick input[type=radio]').checked", timeout=10_000)
    image = page.wait_for_selector("#page-image img", timeout=60_000)
    assert image.evaluate("img => img.naturalWidth") > 500
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
