"""The running app through gradio_client: answers with citations, decisions, figures, library, uploads,
feedback, page pictures, and the serve command's rules for binding and login."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from dataclasses import replace

import pdfplumber
import pytest
from gradio_client import Client
from PIL import Image

from app.pages import PageRenderer, find_passage_boxes
from app.service import PanelService, Upload, decision_row, safe_document_name
from core.settings import Settings
from evals.pdf_factory import html_as_pdf, text_pdf
from tests.conftest import REPO
from tests.servers import free_port, wait_for_port


@pytest.fixture(scope="module")
def client(app_server):
    return Client(app_server["url"], verbose=False)


def page_text(service: PanelService, document: str, page: int) -> str:
    with pdfplumber.open(service.source_pdf(document), pages=[page]) as pdf:
        return pdf.pages[0].extract_text() or ""


def test_ask_endpoint_answers_with_citations_whose_numbers_are_on_their_pages(client, app_server):
    answer = client.predict("What was the % of care leavers in EET in November 2018?", api_name="/ask")
    assert answer["answered"], answer["text"]
    assert answer["citations"], "an answer must cite"
    service = app_server["service"]
    for citation in answer["citations"]:
        assert citation["document"].endswith(".pdf") and citation["page"] >= 1
        text = " ".join(page_text(service, citation["document"], citation["page"]).split())
        # The cited quote's words are really on the cited page (the page picture highlights them).
        assert " ".join(citation["quote"].split()[:4]) in text


def test_ask_endpoint_refuses_what_the_papers_do_not_hold(client):
    answer = client.predict("What was the council's budget for road repairs in 2023?", api_name="/ask")
    assert not answer["answered"]
    assert "do not answer" in answer["text"]


def test_follow_up_resolves_against_the_history_it_is_given(client):
    first = "What was the % of care leavers in EET in November 2018?"
    follow = client.predict("and in June 2018?", [[first, ""]], api_name="/ask")
    assert "June 2018" in follow["query"] and "care leaver" in follow["query"].lower()
    alone = client.predict("and in June 2018?", api_name="/ask")
    assert "care leaver" not in alone["query"].lower()


def test_bad_question_and_bad_date_are_one_line_errors(client):
    assert "empty" in client.predict("   ", api_name="/ask")["error"]
    error = client.predict("care leavers", [], "last tuesday", api_name="/ask")["error"]
    assert "YYYY-MM-DD" in error and "\n" not in error


def test_decisions_endpoint_lists_decisions_with_pages_and_filters(client):
    rows = client.predict(api_name="/decisions")
    assert len(rows) >= 5
    assert all(r["page"] >= 1 and r["document"] and r["decision"] for r in rows)
    momo = client.predict("Mind Of My Own", api_name="/decisions")
    assert 1 <= len(momo) < len(rows)
    assert all("mind of my own" in (r["decision"] + r["title"]).lower() for r in momo)
    in_2021 = client.predict("", "2021-01-01", "2021-12-31", api_name="/decisions")
    assert in_2021 and all(r["meeting_date"].startswith("2021") for r in in_2021)
    bad = client.predict("", "2021-13-01", api_name="/decisions")  # a bad date: one readable line
    assert "YYYY-MM-DD" in bad["error"] and "\n" not in bad["error"]


def test_figures_endpoints_give_a_series_whose_values_are_on_their_pages(client, app_server):
    indicators = client.predict(api_name="/indicators")
    assert indicators and indicators[0][1] >= 2, "two scorecards: some indicator has two periods"
    name = indicators[0][0]
    series = client.predict(name, api_name="/series")
    assert len(series) == indicators[0][1]
    periods = [p["period"] for p in series]
    assert len(set(periods)) == len(periods)
    for point in series:
        assert point["value"] in page_text(app_server["service"], point["document"], point["page"])


def test_library_endpoint_lists_the_papers(client):
    rows = client.predict(api_name="/library")
    names = {r["document"] for r in rows}
    assert "planted-zebrafish-minutes.pdf" in names and len(rows) == 3
    assert all(r["pages"] >= 1 and r["chunks"] >= 1 for r in rows)


def test_safe_document_names():
    assert safe_document_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert safe_document_name("C:\\papers\\minutes 2021.pdf") == "minutes 2021.pdf"
    assert safe_document_name("réunion\x00\x07 du conseil.pdf") == "réunion du conseil.pdf"
    assert safe_document_name("<script>.pdf") == "script_.pdf"
    assert safe_document_name("...") == "upload.pdf"


def test_upload_keeps_a_copy_under_a_generated_name_and_rejects_bad_files(tmp_path, embeddings):
    settings = Settings.build(index_dir=tmp_path / "index", corpus_dir=REPO / "corpus")
    service = PanelService(settings, embeddings=embeddings)
    good = text_pdf(tmp_path / "incoming.pdf", ["Corporate Parenting Panel\nIt was RESOLVED that the "
                                                "Otter Project report be noted by the panel members."])
    report = service.upload([Upload(good, "../../secret/Otter minutes é.pdf")])
    assert report.ingested == ["Otter minutes é.pdf"], report
    record = service.documents()["Otter minutes é.pdf"]
    stored = service.source_pdf("Otter minutes é.pdf")
    assert stored.parent == settings.store.index_dir / "papers" and stored.name != "Otter minutes é.pdf"
    assert record.source == str(stored) and not (tmp_path / "secret").exists()

    before = service.library()
    html_file = html_as_pdf(tmp_path / "agenda.pdf")
    txt = tmp_path / "notes.txt"
    txt.write_text("hello")
    bad = service.upload([Upload(html_file, "agenda.pdf"), Upload(txt, "notes.txt")])
    reasons = dict(bad.failed)
    assert reasons["agenda.pdf"] == "not a PDF (the file is HTML)"
    assert reasons["notes.txt"].startswith("not a PDF (a .txt file)")
    assert service.library() == before, "a rejected upload changes nothing"

    assert service.remove("Otter minutes é.pdf") and not stored.exists()
    assert service.library() == []


def test_feedback_is_stored_with_question_answer_and_citations(app_server):
    service = app_server["service"]
    answer = service.ask("What did the panel resolve about Mind Of My Own?").to_dict()
    row_id = service.add_feedback(False, answer, "wanted the date")
    row = next(r for r in service.feedback.rows() if r["id"] == row_id)
    assert row["rating"] == -1 and row["question"] == answer["question"] and "Mind Of My Own" in row["answer"]
    assert '"page"' in row["citations"] and row["comment"] == "wanted the date"


def test_page_picture_highlights_the_cited_passage(app_server):
    service = app_server["service"]
    answer = service.ask("What did the panel resolve about Mind Of My Own?")
    citation = answer.citations[0]
    path = service.source_pdf(citation.document)
    with pdfplumber.open(path, pages=[citation.page]) as pdf:
        words = pdf.pages[0].extract_words(use_text_flow=True)
    boxes = find_passage_boxes(words, citation.quote)
    assert boxes, "the quote is found on its page"
    plain = PageRenderer().render(path, citation.page, "")
    marked = service.page_image(citation.document, citation.page, citation.quote)
    assert isinstance(marked, Image.Image) and marked.size == plain.size
    x0, top, x1, bottom = boxes[0]
    scale = marked.size[0] / float(pdfplumber.open(path).pages[0].width)
    spot = (int((x0 + x1) / 2 * scale), int((top + 1) * scale))
    r, g, b = marked.getpixel(spot)
    assert b < 200 and r > 180, "the passage is tinted yellow"
    assert not find_passage_boxes(words, "zebra unicorn quasar nebula lighthouse")


def test_decisions_csv_export_neutralises_formulas(app_server, tmp_path):
    service = app_server["service"]
    decisions = service.decisions()
    decisions.append(replace(decisions[0], minute_title="=HYPERLINK(\"http://evil\")"))
    path = service.decisions_csv(decisions, tmp_path)
    with path.open(encoding="utf-8") as fh:
        read = list(csv.DictReader(fh))
    assert len(read) == len(decisions) and read[-1]["title"].startswith("'=")
    assert read[0]["decision"] == decision_row(decisions[0])["decision"]


def _serve(args: list[str], env_extra: dict[str, str], settings: Settings):
    env = {**os.environ, "PANEL_INDEX_DIR": str(settings.store.index_dir), **env_extra}
    return subprocess.Popen([sys.executable, "-m", "app.cli", "serve", *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_serve_refuses_a_non_loopback_address_without_a_login(app_server):
    process = _serve(["--host", "0.0.0.0", "--port", str(free_port())], {"PANEL_APP_USERNAME": "",
                                                                        "PANEL_APP_PASSWORD": ""},
                     app_server["settings"])
    _out, err = process.communicate(timeout=120)
    assert process.returncode != 0
    assert "needs a login" in err and "PANEL_APP_PASSWORD" in err


@pytest.mark.slow
def test_serve_with_a_login_lets_in_only_who_knows_it(app_server):
    port = free_port()
    process = _serve(["--host", "0.0.0.0", "--port", str(port)],
                     {"PANEL_APP_USERNAME": "clerk", "PANEL_APP_PASSWORD": "s3cret-pass"}, app_server["settings"])
    try:
        assert wait_for_port(port, 120), process.stderr.read() if process.poll() is not None else "no answer"
        with pytest.raises(Exception):  # noqa: B017 (gradio_client raises a ValueError or an HTTP error)
            Client(f"http://127.0.0.1:{port}/", verbose=False).predict(api_name="/library")
        with pytest.raises(Exception):  # noqa: B017
            Client(f"http://127.0.0.1:{port}/", auth=("clerk", "wrong"), verbose=False)
        authed = Client(f"http://127.0.0.1:{port}/", auth=("clerk", "s3cret-pass"), verbose=False)
        assert len(authed.predict(api_name="/library")) == 3
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_encrypted_upload_needs_its_password_and_its_page_picture_renders(tmp_path, embeddings):
    """The Library's password box: without it the upload is refused with the CLI's reason; with it the
    paper is ingested and its page picture renders from the index's decrypted copy."""
    settings = Settings.build(index_dir=tmp_path / "index", corpus_dir=REPO / "corpus")
    service = PanelService(settings, embeddings=embeddings)
    locked = text_pdf(tmp_path / "upload.pdf", ["Corporate Parenting Panel\nIt was RESOLVED that the "
                                                "Kingfisher report be noted by the panel members."], "s3cret")
    refused = service.upload([Upload(locked, "locked.pdf")])
    assert refused.failed == [("locked.pdf", "encrypted: the PDF needs a password")]
    report = service.upload([Upload(locked, "locked.pdf")], password="s3cret")
    assert report.ingested == ["locked.pdf"], report
    picture = service.page_image("locked.pdf", 1)
    assert picture is not None and picture.size[0] > 500
    answer = service.ask("What was resolved about the Kingfisher report?")
    assert answer.answered and {c.document for c in answer.citations} == {"locked.pdf"}


def test_upload_over_the_size_limit_is_refused_before_reading(tmp_path, embeddings):
    settings = Settings.build(index_dir=tmp_path / "index", corpus_dir=REPO / "corpus", max_file_mb=1)
    service = PanelService(settings, embeddings=embeddings)
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024))
    report = service.upload([Upload(big, "big.pdf")])
    assert report.failed == [("big.pdf", "too large (2 MB; the limit is 1 MB)")]
    assert service.library() == [] and not (settings.store.index_dir / "papers").exists()
