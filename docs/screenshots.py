"""Screenshots of the app for the README: the chat with a cited page, the decisions register, a figure chart.

    make screenshots        # or: python docs/screenshots.py  (uses the default index; run `make index` first)

Starts the app on a free loopback port and drives Debian's headless Chromium through Playwright.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from app.service import PanelService  # noqa: E402
from app.ui import launch  # noqa: E402
from core.settings import Settings  # noqa: E402

ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
INDICATOR = "% of Care Leavers in employment, education or training (of those we are in touch with)"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    service = PanelService(Settings.load())
    port = free_port()
    blocks = launch(service, "127.0.0.1", port, block=False)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1050})
            page.goto(f"http://127.0.0.1:{port}/", wait_until="load")
            page.wait_for_selector("#question textarea", timeout=60_000)
            page.fill("#question textarea", "What did the panel resolve about Mind Of My Own?")
            page.click("#ask")
            page.wait_for_selector("#page-image img", timeout=60_000)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(HERE / "chat.png"))

            page.get_by_role("tab", name="Decisions").click()
            page.wait_for_function("document.querySelector('#decisions').innerText.includes('RESOLVED')"
                                   " || document.querySelector('#decisions').innerText.includes('Resolved')",
                                   timeout=60_000)
            page.wait_for_timeout(800)
            page.screenshot(path=str(HERE / "decisions.png"))

            page.get_by_role("tab", name="Figures").click()
            box = page.locator("#indicator input")
            box.click()
            box.fill("employment, education or training (of those")
            page.wait_for_timeout(500)
            page.get_by_role("option", name=INDICATOR).first.click()
            page.wait_for_selector("#figure-chart img, #figure-chart svg", timeout=60_000)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(HERE / "figures.png"))
            browser.close()
    finally:
        blocks.close()
    print("wrote", ", ".join(str(HERE / n) for n in ("chat.png", "decisions.png", "figures.png")))


if __name__ == "__main__":
    main()
