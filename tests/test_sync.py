"""`panel-papers sync` against a local server answering in modern.gov's recorded shape (evals/modgov_site.py):
the corpus PDFs served as a committee's meetings, faults a real site shows, a kill mid-sync."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from core.records import Filters, Provenance
from evals import pdf_factory as make
from evals.modgov_site import FakeMeeting, FakeModernGovSite
from ingest.sync import sync_committee
from store.index import PanelIndex
from tests.conftest import REPO
from tests.test_index import _assert_whole

CPP = 693
PACK_2018 = REPO / "corpus" / "kent-cpp-2018-09-19-agenda-pack.pdf"
APPENDIX_2017 = REPO / "corpus" / "kent-cpp-2017-02-01-appendix.pdf"
ANNUAL_2020 = REPO / "corpus" / "kent-county-council-2020-03-19-annual-report.pdf"
QUICK = {"sync_interval_seconds": 0.0, "sync_timeout_seconds": 2.0, "sync_retries": 1, "sync_backoff_seconds": 0.05}


def _minutes(path: Path, day: date, subject: str) -> Path:
    """A small minutes PDF of the panel (a few chunks: quick to ingest in a subprocess)."""
    return make.text_pdf(path, [
        f"CORPORATE PARENTING PANEL\nMINUTES of a meeting of the Corporate Parenting Panel held on "
        f"{day:%A, %-d %B %Y}.\n12. {subject}\n(Item 4)\n1. The Panel received the report on {subject.lower()} "
        f"across the county, with the figures for the quarter.\n2. It was RESOLVED that the {subject.lower()} "
        f"be noted.\n"])


def _cli(args: list[str], index_dir: Path, **settings) -> subprocess.CompletedProcess:
    env = {**os.environ, "PANEL_INDEX_DIR": str(index_dir),
           **{f"PANEL_{key.upper()}": str(value) for key, value in settings.items()}}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], env=env, capture_output=True, text=True,
                          timeout=600)


def _stats(index_dir: Path) -> dict:
    done = _cli(["stats", "--json"], index_dir)
    assert done.returncode == 0, done.stderr
    return {d["document"]: d for d in json.loads(done.stdout)["documents_list"]}


def test_sync_indexes_a_committees_papers_with_the_sites_data_and_fetches_nothing_twice(tmp_path, settings,
                                                                                       embeddings):
    """Two of the panel's meetings (a public reports pack; item papers with a restricted item) and a
    cancelled one, beside another committee: every paper is indexed with the site's committee, meeting
    date, item and provenance; a second run downloads no PDF."""
    meetings = [
        FakeMeeting(7001, date(2017, 2, 1), items=[
            ("5", "Virtual School Kent annual report", {"Appendix 1 - VSK data": APPENDIX_2017}, False),
            ("9", "Exempt item: a placement", {"Placement details": ANNUAL_2020}, True)]),
        FakeMeeting(7960, date(2018, 9, 19), pdfs={"pack": PACK_2018}),
        FakeMeeting(7999, date(2018, 11, 20), pdfs={"pack": PACK_2018}, status="Cancelled"),
    ]
    settings = settings.override(**QUICK)
    with FakeModernGovSite({CPP: "Corporate Parenting Panel", 115: "Cabinet"},
                           {CPP: meetings, 115: [FakeMeeting(8100, date(2018, 9, 24), pdfs={"pack": ANNUAL_2020})]},
                           robots="User-agent: *\nDisallow: /mgCalendarMonthView.aspx\n") as site:
        index = PanelIndex(settings.store, embeddings)
        report = sync_committee(site.url, "corporate parenting panel", settings.sync, settings.ingest, index,
                                progress=False)
        assert report.ok, report.failed
        assert report.meetings == 2 and report.restricted == 1
        assert sorted(report.new) == ["2017-02-01-item-5-appendix-1-vsk-data-50000.pdf",
                                      "2018-09-19-public-reports-pack-19th-sep-2018-10-00-corporate-parenting-panel.pdf"]
        documents = index.documents()
        assert set(documents) == set(report.new)
        pack = documents[report.new[1]]
        assert (pack.committee, pack.meeting_date, pack.kind) == ("Corporate Parenting Panel", "2018-09-19",
                                                                  "agenda pack")
        assert isinstance(pack.provenance, Provenance)
        assert pack.provenance.url.startswith(f"{site.url}/documents/g7960/Public%20reports%20pack")
        assert (pack.provenance.site, pack.provenance.meeting_id, pack.provenance.committee_id) == (site.url, 7960, CPP)
        assert pack.provenance.sha256 == pack.content_hash
        item = documents[report.new[0]]
        assert (item.meeting_date, item.provenance.item) == ("2017-02-01", "5")
        assert item.provenance.url == f"{site.url}/mgConvert2PDF.aspx?ID=50000"
        # Its passages carry the site's committee too.
        assert {c.committee for c in index.all_chunks(Filters(document=report.new[1]))} == {"Corporate Parenting Panel"}
        fetched = site.pdf_requests()
        assert len(fetched) == 2 and not any("8100" in path or "Placement" in path for path in site.requests)
        assert all(agent.startswith("panel-papers/") for agent in site.user_agents)
        assert site.max_in_flight == 1

        reopened = PanelIndex(settings.store, embeddings)
        again = sync_committee(site.url, str(CPP), settings.sync, settings.ingest, reopened, progress=False)
        assert again.ok and again.new == [] and again.unchanged == 2
        assert site.pdf_requests() == fetched, "a second run downloads nothing"
        assert "2 unchanged" in again.summary() and "0 new" in again.summary()


def test_each_failed_paper_gets_one_line_and_the_rest_are_indexed(tmp_path):
    """A 500, a timeout, an HTML page sent as a PDF and a truncated PDF: four one-line errors naming the
    paper, exit code 1, the good paper indexed; once the site mends, a re-run fetches only those four."""
    days = [date(2019, month, 10) for month in (1, 3, 5, 7, 9)]
    meetings = [FakeMeeting(100 + n, day, pdfs={"minutes": _minutes(tmp_path / f"m{n}.pdf", day, subject)})
                for n, (day, subject) in enumerate(zip(days, ["Fostering Update", "Adoption Service", "Care Leavers",
                                                              "Virtual School", "Health Needs"], strict=True))]
    with FakeModernGovSite({CPP: "Corporate Parenting Panel"}, {CPP: meetings}) as site:
        site.faults = {"/documents/g100/": "500", "/documents/g101/": "timeout", "/documents/g102/": "html",
                       "/documents/g103/": "truncated"}
        site.stall_seconds = 3.0
        index_dir = tmp_path / "index"
        done = _cli(["sync", site.url, "--committee", "Corporate Parenting Panel", "--quiet"], index_dir, **QUICK)
        assert done.returncode == 1, done.stderr
        errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 4, done.stderr
        for meeting_id, reason in ((100, "HTTP 500"), (101, "time"), (102, "not a PDF"), (103, "")):
            (line,) = [e for e in errors if f"/documents/g{meeting_id}/" in e]
            assert reason.lower() in line.lower(), line
        assert any("truncat" in e.lower() or "cut" in e.lower() or "short" in e.lower() for e in errors), errors
        assert "1 new / 0 unchanged / 4 failed" in done.stdout
        good = "2019-09-10-printed-minutes-10th-sep-2019-10-00-corporate-parenting-panel.pdf"
        assert set(_stats(index_dir)) == {good}
        assert not list((index_dir / "synced").rglob("*.part")), "no half-written download is left"

        site.faults = {}
        before = len(site.pdf_requests())
        mended = _cli(["sync", site.url, "--committee", str(CPP), "--quiet"], index_dir, **QUICK)
        assert mended.returncode == 0, mended.stderr
        assert "4 new / 1 unchanged / 0 failed" in mended.stdout
        assert len(site.pdf_requests()) - before == 4
        listed = _stats(index_dir)
        assert len(listed) == 5 and {d["meeting_date"] for d in listed.values()} == {d.isoformat() for d in days}

    # The CLI's answers give each synced source's page on the council's site.
    asked = _cli(["ask", "--json", "What did the panel resolve about the fostering update?"], index_dir)
    assert asked.returncode == 0, asked.stderr
    citations = json.loads(asked.stdout)["citations"]
    assert citations and all(c["site_url"].startswith(f"{site.url}/documents/g") and
                             c["site_url"].endswith(f"#page={c['page']}") for c in citations), citations
    shown = _cli(["ask", "What did the panel resolve about the fostering update?"], index_dir)
    assert f"on the council's site: {site.url}/documents/g" in shown.stdout, shown.stdout


def test_site_failures_are_one_line_each(tmp_path):
    """No such committee (the nearest named), not a modern.gov site, a site that does not answer: exit 2."""
    with FakeModernGovSite({CPP: "Corporate Parenting Panel", 115: "Cabinet"}, {CPP: []}) as site:
        typo = _cli(["sync", site.url, "--committee", "Corporate Parenting Pannel"], tmp_path / "index", **QUICK)
        assert typo.returncode == 2
        assert typo.stderr.strip().count("\n") == 0 and "Corporate Parenting Panel" in typo.stderr, typo.stderr

    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "index.html").write_text("<html><body>A council's home page</body></html>")
    server = ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: SimpleHTTPRequestHandler(*a, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        plain = _cli(["sync", f"http://127.0.0.1:{server.server_address[1]}", "--committee", "693"],
                     tmp_path / "index", **QUICK)
    finally:
        server.shutdown()
        server.server_close()
    assert plain.returncode == 2 and plain.stderr.strip().count("\n") == 0
    assert "modern.gov" in plain.stderr, plain.stderr

    gone = _cli(["sync", f"http://127.0.0.1:{server.server_address[1]}", "--committee", "693"], tmp_path / "index",
                **QUICK)
    assert gone.returncode == 2 and gone.stderr.strip().count("\n") == 0
    assert "reach" in gone.stderr.lower(), gone.stderr
    assert not _stats(tmp_path / "index"), "nothing was indexed"


@pytest.mark.slow
def test_a_sync_killed_at_random_moments_leaves_the_index_whole_and_a_rerun_completes_it(tmp_path, settings,
                                                                                       embeddings):
    """Real `sync` processes killed mid-work (downloads slowed so kills land in them as well as in ingests):
    after every kill the index opens whole; a final run completes it, and no paper is fetched twice
    except one a kill cut mid-download."""
    days = [date(2020, month, 14) for month in range(1, 9)]
    meetings = [FakeMeeting(300 + n, day, pdfs={"minutes": _minutes(tmp_path / f"k{n}.pdf", day, f"Report {n}")})
                for n, day in enumerate(days)]
    index_dir = settings.store.index_dir
    command = [sys.executable, "-m", "app.cli", "sync", "--committee", str(CPP), "--quiet"]
    rng = random.Random(int(os.environ.get("PANEL_TEST_KILL_SEED", "16")))
    with FakeModernGovSite({CPP: "Corporate Parenting Panel"}, {CPP: meetings}) as site:
        site.faults = {"/documents/": "slow"}
        site.slow_seconds = 0.3
        env = {**os.environ, "PANEL_INDEX_DIR": str(index_dir), "PANEL_SYNC_INTERVAL_SECONDS": "0"}
        started = time.perf_counter()
        whole_run = subprocess.run([*command[:4], site.url, *command[4:]], env={**env, "PANEL_INDEX_DIR": str(
            tmp_path / "timing-index")}, capture_output=True, text=True)
        assert whole_run.returncode == 0, whole_run.stderr
        seconds = time.perf_counter() - started
        baseline = len(site.pdf_requests())  # the timing run's
        kills = attempts = 0
        remaining = len(days)
        while kills < 3 and attempts < 10 and remaining:
            attempts += 1
            process = subprocess.Popen([*command[:4], site.url, *command[4:]], env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            # A rerun skips what is held, so the kill comes within the share of the work still to do.
            time.sleep(rng.uniform(0.2, 0.9) * seconds * remaining / len(days))
            kills += process.poll() is None
            process.send_signal(signal.SIGKILL)
            process.wait()
            remaining = len(days) - len(_assert_whole(settings, embeddings).documents())
        assert kills >= 3, f"only {kills} of {attempts} kills landed mid-sync"
        final = subprocess.run([*command[:4], site.url, *command[4:]], env=env, capture_output=True, text=True)
        assert final.returncode == 0, final.stderr
        fetched = len(site.pdf_requests()) - baseline
    index = _assert_whole(settings, embeddings)
    documents = index.documents()
    assert len(documents) == len(days)
    assert {record.meeting_date for record in documents.values()} == {day.isoformat() for day in days}
    assert len(days) <= fetched <= len(days) + kills, "only a download a kill cut is fetched again"


def test_the_library_tab_syncs_and_the_sources_link_to_the_councils_site(tmp_path, embeddings):
    """In a real headless Chromium: the Library tab's button syncs the configured committee, with its summary;
    the table links each fetched paper on the council's site; an answer's source offers the same link (and
    the ``/ask`` API gives it); the page has no WCAG 2.2 AA violation."""
    from tests.test_browser import ARGS, CHROMIUM, answered, axe_violations, open_app, show_tab

    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    from app.service import PanelService
    from app.ui import launch
    from core.settings import Settings
    from tests.servers import free_port

    day = date(2019, 5, 7)
    meetings = [FakeMeeting(501, day, pdfs={"minutes": _minutes(tmp_path / "fostering.pdf", day, "Fostering Update")})]
    with FakeModernGovSite({CPP: "Corporate Parenting Panel"}, {CPP: meetings}) as site:
        settings = Settings.build(index_dir=tmp_path / "index", corpus_dir=REPO / "corpus", sync_site=site.url,
                                  sync_committee="Corporate Parenting Panel", **QUICK)
        service = PanelService(settings, embeddings=embeddings)
        port = free_port()
        blocks = launch(service, "127.0.0.1", port, block=False)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
                context, page = open_app(browser, f"http://127.0.0.1:{port}/", "desktop")
                show_tab(page, "Library")
                page.click("#sync")
                page.wait_for_function("document.querySelector('#sync-result').innerText.includes('synced')",
                                       timeout=120_000)
                result = page.inner_text("#sync-result")
                assert "1 new / 0 unchanged / 0 failed" in result, result
                # The table draws each cell twice (one copy hidden, for sizing): the visible link is the one.
                page.locator(f"#library a[href^='{site.url}/documents/g501/'] >> visible=true").first.wait_for(
                    timeout=30_000)
                violations = axe_violations(page)
                show_tab(page, "Chat")
                answered(page, "What did the panel resolve about the fostering update?")
                link = page.wait_for_selector("#sources a:text(\"on the council's site\")", timeout=30_000)
                assert link.get_attribute("href").startswith(f"{site.url}/documents/g501/")
                assert violations == []
                context.close()
                browser.close()
            from gradio_client import Client

            api = Client(f"http://127.0.0.1:{port}/", verbose=False).predict(
                "What did the panel resolve about the fostering update?", api_name="/ask")
            assert api["citations"] and all(c["site_url"].startswith(f"{site.url}/documents/g501/")
                                            for c in api["citations"])
        finally:
            blocks.close()


def test_sync_help_documents_the_command_and_its_polite_defaults():
    done = subprocess.run([sys.executable, "-m", "app.cli", "sync", "--help"], capture_output=True, text=True)
    assert done.returncode == 0
    text = " ".join(done.stdout.split())
    for expected in ("--committee", "--since", "--until", "--refresh", "modern.gov", "at most one a second",
                     "robots.txt", "democracy.kent.gov.uk", "Exit code"):
        assert expected in text, expected
