"""The shared deployment path: the same ingest and search against a real `chroma run` server."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pdf_factory as make
import pytest
from servers import free_port, wait_for_port

from ingest.index import IndexUnavailable, PanelIndex
from ingest.pipeline import ingest_paths
from ingest.settings import Settings
from retrieval.search import search


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
    settings = Settings(index_dir=tmp_path / "local", chroma_host="127.0.0.1", chroma_port=chroma_server)
    index = PanelIndex(settings, embeddings)
    pdf = make.text_pdf(tmp_path / "minutes.pdf", [
        "CORPORATE PARENTING PANEL\nMINUTES of a meeting of the Corporate Parenting Panel held on "
        "Tuesday, 7 May 2019.\n12. Care Leavers Housing\n(Item 4)\n1. The Panel discussed supported lodgings "
        "for care leavers.\n2. It was RESOLVED that the housing offer for care leavers be extended.",
    ])
    report = ingest_paths([pdf], settings, index, progress=False)
    assert report.ingested == ["minutes.pdf"]
    assert not (tmp_path / "local" / "chroma").exists()  # nothing went to an embedded store

    # A second client (as a second app process would) sees the same index.
    other = PanelIndex(settings, embeddings)
    assert other.stats()["documents"] == 1
    passages = search(other, "housing for care leavers", k=3)
    assert passages and passages[0].document == "minutes.pdf" and passages[0].page == 1
    assert other.all_decisions()[0]["minute"] == "12"


def test_unreachable_server_is_a_clear_error(tmp_path, embeddings):
    settings = Settings(index_dir=tmp_path / "x", chroma_host="127.0.0.1", chroma_port=free_port())
    with pytest.raises(IndexUnavailable, match="cannot reach the Chroma index at 127.0.0.1"):
        PanelIndex(settings, embeddings)
