"""The follow-up register and a topic's history through the running app (``gradio_client``) over the sample
corpus: /register's requests with their status and pages, its filters and one-line errors, /timeline oldest
first, the CSV matching the endpoint, and the Follow-ups and history cards as HTML (escaped, status in
words, one page button a page)."""

from __future__ import annotations

import csv
import re
from dataclasses import replace
from datetime import date, datetime

import pdfplumber
import pytest
from gradio_client import Client

from app.service import PanelService, request_row
from app.ui.decisions import history_panel, topic_history
from app.ui.followups import OPEN_WORDS, count_line, followup_cards, followup_places
from tests.conftest import PLANTED


@pytest.fixture(scope="module")
def history_app(corpus_index, corpus_settings, embeddings):
    """The app over the whole sample corpus (read-only here)."""
    from app.ui import launch
    from tests.servers import free_port

    service = PanelService(corpus_settings, embeddings=embeddings)
    port = free_port()
    blocks = launch(service, "127.0.0.1", port, block=False)
    yield {"client": Client(f"http://127.0.0.1:{port}/", verbose=False), "service": service}
    blocks.close()


@pytest.fixture(scope="module")
def client(history_app) -> Client:
    return history_app["client"]


@pytest.fixture(scope="module")
def every_request(client) -> list[dict]:
    rows = client.predict(api_name="/register")
    assert isinstance(rows, list), rows
    return rows


def flat(text: str) -> str:
    """Page or paper text compared word for word: whitespace, quotes and dashes made plain."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').replace("–", "-")
    return " ".join(text.split())


def page_text(service: PanelService, document: str, page: int) -> str:
    with pdfplumber.open(service.source_pdf(document), pages=[page]) as pdf:
        return flat(pdf.pages[0].extract_text() or "")


def opening(words: str, n: int = 5) -> str:
    """The first words of a request after its "(5)" or "b)" paragraph mark, as the page prints them."""
    return " ".join(re.sub(r"^\(?[0-9a-z]{1,3}\)\s*", "", flat(words)).split()[:n])


def test_register_gives_each_request_its_status_page_and_answer(every_request, history_app):
    assert len(every_request) >= 3
    service = history_app["service"]
    statuses = {r["status"] for r in every_request}
    assert statuses <= {"open", "answered"} and statuses == {"open", "answered"}, statuses
    keys = [(r["meeting_date"], r["committee"]) for r in every_request]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys), "oldest meeting first"
    for row in every_request:
        assert row["document"].endswith(".pdf") and row["page"] >= 1 and row["request"].strip(), row
        assert row["source"] in ("resolution", "discussion") and (row["title"] or row["minute"]), row
        date.fromisoformat(row["meeting_date"])
        # The request's words are printed on the page it names (the page picture highlights them).
        assert opening(row["request"]) in page_text(service, row["document"], row["page"]), row
        answer = [row["answered_on"], row["answered_by"], row["answer_document"], row["answer_page"]]
        if row["status"] == "answered":
            assert all(answer), row
            assert row["answered_on"] > row["meeting_date"], "an answer comes at a later meeting"
            assert row["answer_document"].endswith(".pdf") and int(row["answer_page"]) >= 1
        else:
            assert not any(answer), row
        if row["due"]:
            assert date.fromisoformat(row["due"]) > date.fromisoformat(row["meeting_date"]), row


def test_register_filters_by_status_date_and_committee(client, every_request):
    def key(row):
        return row["meeting_date"], row["minute"], row["page"], row["request"]

    opened = client.predict("", "", "", "open", api_name="/register")
    answered = client.predict("", "", "", "answered", api_name="/register")
    assert opened and answered
    assert {r["status"] for r in opened} == {"open"} and {r["status"] for r in answered} == {"answered"}
    assert sorted(map(key, opened + answered)) == sorted(map(key, every_request))
    assert client.predict("", "", "", "all", api_name="/register") == every_request

    days = sorted({r["meeting_date"] for r in every_request})
    assert len(days) >= 2, days
    cut = days[len(days) // 2]
    since = client.predict("", cut, api_name="/register")
    until = client.predict("", "", cut, api_name="/register")
    assert since and all(r["meeting_date"] >= cut for r in since)
    assert until and all(r["meeting_date"] <= cut for r in until)
    assert len(since) == sum(r["meeting_date"] >= cut for r in every_request)
    assert len(until) == sum(r["meeting_date"] <= cut for r in every_request)
    # both bounds and a status together
    both = client.predict("", cut, cut, "open", api_name="/register")
    assert both == [r for r in every_request if r["meeting_date"] == cut and r["status"] == "open"]

    committee = every_request[0]["committee"]
    one = client.predict(committee, api_name="/register")
    assert one and {r["committee"] for r in one} == {committee}
    assert client.predict("A committee that never met", api_name="/register") == []


def test_register_and_timeline_errors_are_one_line(client):
    for args in (("", "last tuesday"), ("", "", "2018-13-45"), ("", "", "", "closed")):
        result = client.predict(*args, api_name="/register")
        assert isinstance(result, dict) and set(result) == {"error"}, result
        assert result["error"] and "\n" not in result["error"]
    assert "YYYY-MM-DD" in client.predict("", "last tuesday", api_name="/register")["error"]
    assert "open" in client.predict("", "", "", "closed", api_name="/register")["error"]
    for topic in ("   ", "x " * 200):
        result = client.predict(topic, api_name="/timeline")
        assert isinstance(result, dict) and result["error"] and "\n" not in result["error"], result


def test_timeline_is_oldest_first_and_each_entry_names_its_page(client, history_app):
    service = history_app["service"]
    links = client.predict("Lifelong Links", api_name="/timeline")
    assert links, "the papers hold a minute on Lifelong Links"
    assert any("lifelong links" in (r["title"] + " " + r["decision"]).lower() for r in links), links
    cards = client.predict("Challenge cards", api_name="/timeline")
    assert len(cards) >= 2, cards
    for rows in (links, cards):
        assert [r["meeting_date"] for r in rows] == sorted(r["meeting_date"] for r in rows), "oldest first"
        for row in rows:
            assert row["document"].endswith(".pdf") and row["page"] >= 1 and row["kind"] in ("minute", "item")
            assert row["minute"] or row["item"] or row["title"], row
            if row["decision"]:  # a decision's words are on the page the entry names
                assert opening(row["decision"], 4) in page_text(service, row["document"], row["page"]), row
            if row["updated_by"]:
                later = row["updated_by"].split()[0]
                assert later > row["meeting_date"] and later in {r["meeting_date"] for r in rows}, row
    # One committee's history is that committee's part of the whole.
    committee = cards[-1]["committee"]
    mine = client.predict("Challenge cards", committee, api_name="/timeline")
    assert mine == [r for r in cards if r["committee"] == committee]


def test_csv_export_holds_the_rows_the_register_shows(history_app, client, tmp_path):
    service = history_app["service"]
    requests = service.register(status="open")
    path = service.register_csv(requests, tmp_path / "export")
    assert path.parent == tmp_path / "export" and path.suffix == ".csv"
    with path.open(encoding="utf-8", newline="") as fh:
        read = list(csv.DictReader(fh))
    shown = client.predict("", "", "", "open", api_name="/register")
    assert len(read) == len(requests) == len(shown)
    assert read == [{k: str(v) for k, v in row.items()} for row in shown]
    assert read == [{k: str(v) for k, v in request_row(r).items()} for r in requests]
    # a request printed like a formula is written as text
    formula = replace(requests[0], words="=HYPERLINK(\"http://evil\")")
    with service.register_csv([formula], tmp_path / "formula").open(encoding="utf-8", newline="") as fh:
        assert next(csv.DictReader(fh))["request"] == "'=HYPERLINK(\"http://evil\")"


def test_followup_cards_say_the_status_in_words_and_escape_the_papers(history_app):
    requests = history_app["service"].register()
    answered = [r for r in requests if r.answered]
    page = followup_cards(requests)
    assert page.count('class="followup-card"') == len(requests)
    assert page.count("<strong>Answered:</strong> came back at the meeting") == len(answered)
    assert page.count(f"<strong>Open:</strong> {OPEN_WORDS}") == len(requests) - len(answered)
    # one button for the request's page, one more where something answered it, each naming its place
    places = followup_places(requests)
    numbers = [int(n) for n in re.findall(r'data-place="(\d+)"', page)]
    assert len(numbers) == len(requests) + len(answered)
    assert all(places[n] is not None for n in numbers) and len(places) == 2 * len(requests)
    assert page.count("Show the request&#x27;s page</button>") == len(requests)
    assert page.count("Show the answer&#x27;s page</button>") == len(answered)
    for request, card in zip(requests, page.split('class="followup-card"')[1:], strict=True):
        assert ("Due by" in card) == bool(request.due)
        if request.answered:
            answer_day = datetime.strptime(re.search(r"meeting(?: of the [^<]*?)? of (\d+ \w+ \d{4})", card)[1],
                                           "%d %B %Y").date()
            assert answer_day.isoformat() == request.answer.meeting_date
    counts = count_line(requests)
    assert counts == (f"{len(requests)} follow-ups: {len(requests) - len(answered)} open, {len(answered)} answered")
    assert count_line([]) == "No follow-ups match."

    planted = replace(requests[0], words=PLANTED.split("\n")[-1],
                      entry=replace(requests[0].entry, title="<b>Zebrafish</b> & co"))
    html = followup_cards([planted])
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;window.__pwned=2&lt;/script&gt;" in html and "&lt;b&gt;Zebrafish&lt;/b&gt; &amp; co" in html


def test_history_panel_lists_the_timeline_oldest_first_with_a_page_button_each(history_app):
    service = history_app["service"]
    panel, found = topic_history(service, "Challenge cards")
    assert len(found) >= 2 and "History: Challenge cards" in panel
    assert [int(n) for n in re.findall(r'data-entry="(\d+)"', panel)] == list(range(len(found)))
    days = [datetime.strptime(d, "%d %B %Y").date() for d in
            re.findall(r'class="history-meta">(\d{1,2} \w+ \d{4})', panel)]
    assert len(days) == len(found) and days == sorted(days)
    # a decision another replaced says so
    updated = [replace(found[0], updated_by=found[-1].entry), *found[1:]]
    assert "Updated by the decision of" in history_panel("Challenge cards", "", updated)
    assert "Updated by" not in history_panel("Challenge cards", "", found) or any(t.updated_by for t in found)
    # an empty topic is a one-line warning in the panel, and no entries
    warning, none = topic_history(service, "  ")
    assert none == [] and "<strong>Warning:</strong>" in warning
    planted, _ = topic_history(service, "<img src=x onerror=alert(1)>")
    assert "<img" not in planted and "&lt;img" in planted
