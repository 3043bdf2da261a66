"""Answers made in worker processes (``app.answer_workers``, started by ``panel-papers serve``): the same
answers as the server process makes, a paper the server adds seen by the very next answer, errors raised in the
server as the user's one line, and a killed worker replaced while the server answers meanwhile."""

from __future__ import annotations

import os
import signal
import time

import pytest

from app.service import PanelService, Upload
from core.errors import BadQuestion
from core.settings import Settings
from evals.pdf_factory import text_pdf
from ingest.pipeline import ingest_paths
from store.index import PanelIndex
from tests.conftest import REPO

QUESTIONS = ["What did the panel resolve about Mind Of My Own?",
             "What was the % of care leavers in EET in November 2018?"]
START_SECONDS = 180  # two spawned processes loading the model and the index on a busy two-core machine
HUNG_SECONDS = 10  # an answer takes milliseconds: a worker silent this long is hung


def _cited(answer) -> list[tuple[str, int]]:
    return [(c.document, c.page) for c in answer.citations]


def _wait_for(condition, seconds: float = START_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the answer workers did not get ready in time"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def served(tmp_path_factory, embeddings):
    """A service over one corpus pack with two answer workers, and the same index answered in process."""
    folder = tmp_path_factory.mktemp("workers")
    # Readers look for other processes' writes only every ten minutes here: the workers see the server's writes
    # at once only because each question tells them.
    settings = Settings.build(index_dir=folder / "index", corpus_dir=REPO / "corpus", app_answer_processes=2,
                              recheck_seconds=600, app_answer_timeout_seconds=HUNG_SECONDS)
    paper = REPO / "corpus" / "kent-cpp-2018-09-19-agenda-pack.pdf"
    report = ingest_paths([paper], settings.ingest, PanelIndex(settings.store, embeddings), progress=False)
    assert report.ok, report.failed
    alone = PanelService(settings, embeddings=embeddings)
    expected = {q: alone.ask(q) for q in QUESTIONS}  # before any worker exists
    service = PanelService(settings, embeddings=embeddings)
    assert service.start_answer_workers() == 2
    _wait_for(lambda: service._workers.ready == 2)
    yield {"service": service, "alone": alone, "expected": expected, "folder": folder}
    service.stop_answer_workers()


def test_a_worker_answers_as_the_server_process_does(served):
    service, workers = served["service"], served["service"]._workers
    answered_before = workers.answered
    for question, expected in served["expected"].items():
        answer = service.ask(question)
        assert answer.text == expected.text
        assert _cited(answer) == _cited(expected) and answer.citations
    assert workers.answered == answered_before + len(QUESTIONS)  # made by the workers, not in this process


def test_the_streamed_pieces_make_the_workers_answer(served):
    pieces: list[str] = []
    answer = served["service"].ask(QUESTIONS[0], on_token=pieces.append)
    assert "".join(pieces) == answer.text and len(pieces) > 1


def test_a_paper_the_server_adds_is_in_the_very_next_answer(served):
    service = served["service"]
    paper = text_pdf(served["folder"] / "heron.pdf", [
        "Corporate Parenting Panel\nMinutes of the meeting held on 3 March 2021\n\n"
        "12. Heron Mentoring Scheme (Item 5)\nIt was RESOLVED that the Heron Mentoring Scheme report be noted and "
        "that the scheme be extended to 48 care leavers."])
    question = "What did the panel resolve about the Heron Mentoring Scheme?"
    for _ in range(2):  # each worker has just looked at the index: only being told makes it look again
        service.ask(question)
    report = service.upload([Upload(paper, "heron minutes.pdf")])
    assert report.ingested == ["heron minutes.pdf"], report.failed
    try:
        answer = service.ask(question)  # no wait: the worker must look again before answering
        assert "heron minutes.pdf" in [c.document for c in answer.citations], answer.text
    finally:
        assert service.remove("heron minutes.pdf")
    answer = service.ask(question)
    assert "heron minutes.pdf" not in [c.document for c in answer.citations]


def test_a_bad_question_is_the_users_one_line_from_a_worker(served):
    workers = served["service"]._workers
    with pytest.raises(BadQuestion) as raised:
        served["service"].ask("  ?!  ")
    assert "\n" not in str(raised.value) and str(raised.value)
    assert workers.ready == 2  # the worker lives on


def test_a_killed_worker_is_replaced_and_no_question_is_lost(served):
    service, workers = served["service"], served["service"]._workers
    restarts = workers.restarts
    victim = service.answer_worker_pids()[0]
    os.kill(victim, signal.SIGKILL)
    answers = [service.ask(QUESTIONS[0]) for _ in range(4)]  # one of these meets the dead worker
    expected = served["expected"][QUESTIONS[0]]
    assert all(a.text == expected.text for a in answers)
    _wait_for(lambda: workers.restarts == restarts + 1 and workers.ready == 2)
    assert victim not in service.answer_worker_pids()
    assert service.ask(QUESTIONS[1]).text == served["expected"][QUESTIONS[1]].text


def test_a_hung_worker_is_replaced_and_its_question_answered(served):
    service, workers = served["service"], served["service"]._workers
    restarts = workers.restarts
    victim = service.answer_worker_pids()[0]
    os.kill(victim, signal.SIGSTOP)  # alive, but never answers
    started = time.monotonic()
    answers = [service.ask(QUESTIONS[1]) for _ in range(4)]
    assert all(a.text == served["expected"][QUESTIONS[1]].text for a in answers)
    assert time.monotonic() - started >= HUNG_SECONDS  # one question waited for the hung worker, then went on
    _wait_for(lambda: workers.restarts == restarts + 1 and workers.ready == 2)
    assert victim not in service.answer_worker_pids()
    with pytest.raises(ProcessLookupError):
        os.kill(victim, 0)  # stopped for good, not left behind
