"""The shared deployment path: the same ingest and search against a real `chroma run` server."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest
from servers import free_port, wait_for_port

from core.errors import IndexUnavailable
from core.settings import Settings, StoreSettings
from evals import pdf_factory as make
from ingest.pipeline import ingest_paths
from store.index import PanelIndex
from tests.conftest import dense_search


@pytest.fixture
def chroma_server(tmp_path):
    chroma = shutil.which("chroma") or str(Path(__import__("sys").executable).parent / "chroma")
    port = free_port()
    log = (tmp_path / "chroma.log").open("w")
    process = subprocess.Popen([chroma, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1",
                                "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    if not wait_for_port(port, 60):
        process.kill()
        pytest.fail("chroma run did not start: " + (tmp_path / "chroma.log").read_text()[-500:])
    yield port
    process.terminate()
    process.wait(timeout=20)


@pytest.mark.server
def test_ingest_and_search_through_a_chroma_server(tmp_path, chroma_server, embeddings):
    settings = Settings.build(index_dir=tmp_path / "local", chroma_host="127.0.0.1", chroma_port=chroma_server)
    index = PanelIndex(settings.store, embeddings)
    pdf = make.text_pdf(tmp_path / "minutes.pdf", [
        "CORPORATE PARENTING PANEL\nMINUTES of a meeting of the Corporate Parenting Panel held on "
        "Tuesday, 7 May 2019.\n12. Care Leavers Housing\n(Item 4)\n1. The Panel discussed supported lodgings "
        "for care leavers.\n2. It was RESOLVED that the housing offer for care leavers be extended.",
    ])
    report = ingest_paths([pdf], settings.ingest, index, progress=False)
    assert report.ingested == ["minutes.pdf"]
    assert not (tmp_path / "local" / "chroma").exists()  # nothing went to an embedded store

    # A second client (as a second app process would) sees the same index.
    other = PanelIndex(settings.store, embeddings)
    assert other.stats()["documents"] == 1
    passages = dense_search(other, "housing for care leavers", k=3)
    assert passages and passages[0].document == "minutes.pdf" and passages[0].page_start == 1
    assert other.all_decisions()[0].minute == "12"


@pytest.mark.server
def test_through_a_server_the_registry_is_read_again_only_when_a_writer_left_a_new_token(
        tmp_path, chroma_server, embeddings):
    """A server's registry is read whole once, then only its ``written`` record is fetched per read, until
    another client's write (here another process's ingest) leaves a new token."""
    import os
    import sys

    from tests.conftest import REPO

    settings = Settings.build(index_dir=tmp_path / "local", chroma_host="127.0.0.1", chroma_port=chroma_server)
    papers = [make.text_pdf(tmp_path / f"minutes-{n}.pdf", [
        f"CORPORATE PARENTING PANEL\nMINUTES of a meeting held on Tuesday, {n + 7} May 2019.\n12. Update {n}\n"
        f"(Item 4)\n1. It was RESOLVED that update {n} be noted."]) for n in range(2)]
    index = PanelIndex(settings.store, embeddings)
    ingest_paths([papers[0]], settings.ingest, index, progress=False)
    whole_reads = []
    registry = index.registry
    original_get = registry.get

    def counted(*args, **kwargs):
        if "where" in kwargs:
            whole_reads.append(1)
        return original_get(*args, **kwargs)

    registry.get = counted
    try:
        assert set(index.documents()) == {"minutes-0.pdf"}
        for _ in range(5):
            assert set(index.documents()) == {"minutes-0.pdf"}
        assert len(whole_reads) == 1
        env = {**os.environ, "PANEL_INDEX_DIR": str(tmp_path / "other"), "PANEL_CHROMA_HOST": "127.0.0.1",
               "PANEL_CHROMA_PORT": str(chroma_server)}
        done = subprocess.run([sys.executable, "-m", "app.cli", "ingest", "--quiet", str(papers[1])], env=env,
                              cwd=REPO, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-600:]
        assert set(index.documents()) == {"minutes-0.pdf", "minutes-1.pdf"}
        assert len(whole_reads) == 2
    finally:
        del registry.get


def test_unreachable_server_is_a_clear_error(tmp_path, embeddings):
    settings = Settings.build(index_dir=tmp_path / "x", chroma_host="127.0.0.1", chroma_port=free_port())
    with pytest.raises(IndexUnavailable, match="cannot reach the Chroma index at 127.0.0.1"):
        PanelIndex(settings.store, embeddings)


def _start_chroma(path: Path, port: int, log: Path) -> subprocess.Popen:
    chroma = shutil.which("chroma") or str(Path(__import__("sys").executable).parent / "chroma")
    process = subprocess.Popen([chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                               stdout=log.open("a"), stderr=subprocess.STDOUT)
    if not wait_for_port(port, 60):
        process.kill()
        pytest.fail("chroma run did not start: " + log.read_text()[-500:])
    return process


@pytest.mark.server
def test_app_says_plainly_when_chroma_is_down_and_recovers_without_restart(tmp_path, embeddings):
    from gradio_client import Client

    from app.service import PanelService, Upload
    from app.ui import launch

    port = free_port()
    server = _start_chroma(tmp_path / "data", port, tmp_path / "chroma.log")
    settings = Settings.build(index_dir=tmp_path / "local", chroma_host="127.0.0.1", chroma_port=port)
    service = PanelService(settings, embeddings=embeddings)
    pdf = make.text_pdf(tmp_path / "m.pdf", ["Corporate Parenting Panel\nMINUTES of a meeting held on 7 May 2019.\n"
                                             "12. Care Leavers Housing\n(Item 4)\nIt was RESOLVED that the housing "
                                             "offer for care leavers be extended."])
    assert service.upload([Upload(pdf, "housing.pdf")]).ingested == ["housing.pdf"]
    app_port = free_port()
    blocks = launch(service, "127.0.0.1", app_port, block=False)
    try:
        client = Client(f"http://127.0.0.1:{app_port}/", verbose=False)
        question = "What did the panel resolve about housing for care leavers?"
        first = client.predict(question, api_name="/ask")
        assert first["answered"] and first["citations"][0]["document"] == "housing.pdf"

        server.terminate()
        server.wait(timeout=30)
        # Answers come from the index version in memory; the registry is looked at again (and the server
        # found gone) at most the store's recheck_seconds after the last look.
        time.sleep(StoreSettings().recheck_seconds + 0.2)
        down = client.predict(question, api_name="/ask")
        assert down["error"].startswith("The papers' index is not reachable (the Chroma server at 127.0.0.1:")
        assert "Try again when it is back" in down["error"] and "\n" not in down["error"]
        assert service.status().startswith("The papers' index is not reachable")

        server = _start_chroma(tmp_path / "data", port, tmp_path / "chroma.log")  # same data, same port
        back = client.predict(question, api_name="/ask")
        assert back.get("text") == first["text"], back
    finally:
        blocks.close()
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.server
def test_two_app_processes_share_a_chroma_server_while_a_third_ingests(tmp_path):
    """Two `panel-papers serve` processes answer through one `chroma run` while `panel-papers ingest` writes
    to it: no errors during the ingest, and both apps see the new paper afterwards without a restart."""
    import os
    import sys

    from gradio_client import Client

    chroma_port = free_port()
    server = _start_chroma(tmp_path / "data", chroma_port, tmp_path / "chroma.log")
    env = {**os.environ, "PANEL_CHROMA_HOST": "127.0.0.1", "PANEL_CHROMA_PORT": str(chroma_port),
           "PANEL_INDEX_DIR": str(tmp_path / "local")}
    repo = Path(__file__).resolve().parent.parent
    first_paper = repo / "corpus" / "kent-cpp-2017-02-01-appendix.pdf"
    second_paper = repo / "corpus" / "kent-cpp-2019-01-29-agenda-pack.pdf"
    subprocess.run([sys.executable, "-m", "app.cli", "ingest", "--quiet", str(first_paper)], env=env, check=True,
                   capture_output=True)
    ports = [free_port(), free_port()]
    apps = [subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(p)], env=env,
                             stdout=subprocess.DEVNULL, stderr=(tmp_path / f"app-{p}.log").open("w")) for p in ports]
    try:
        for port in ports:
            assert wait_for_port(port, 120), "the app did not start"
        clients = [Client(f"http://127.0.0.1:{p}/", verbose=False) for p in ports]
        writer = subprocess.Popen([sys.executable, "-m", "app.cli", "ingest", "--quiet", str(second_paper)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        answers, errors = 0, []
        while writer.poll() is None:
            for client in clients:
                reply = client.predict("What are the duties of a corporate parent?", api_name="/ask")
                answers += 1
                if "error" in reply:
                    errors.append(reply["error"])
            time.sleep(0.2)
        assert writer.returncode == 0, writer.stderr.read()
        assert answers >= 4 and errors == []
        for client in clients:
            names = {row["document"] for row in client.predict(api_name="/library")}
            assert names == {first_paper.name, second_paper.name}
            reply = client.predict("What did the panel resolve about Mind Of My Own?", api_name="/ask")
            assert reply["answered"] and reply["citations"][0]["document"] == second_paper.name
    finally:
        for app in apps:
            app.terminate()
            app.wait(timeout=30)
        server.terminate()
        server.wait(timeout=30)
