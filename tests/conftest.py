"""Shared fixtures: a scratch environment, the real embedding model loaded once, real indexes."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
REAL_PAPERS = REPO.parent / "shared" / "real-papers"

# Everything a library might write or fetch stays in a scratch folder, and nothing calls home.
_SCRATCH = Path(os.environ.get("PANEL_TEST_SCRATCH") or tempfile.mkdtemp(prefix="panel-tests-"))
for _name, _sub in (("HOME", "home"), ("XDG_CACHE_HOME", "cache"), ("HF_HOME", "hf"), ("TMPDIR", "tmp"),
                    ("GRADIO_TEMP_DIR", "gradio")):
    os.environ.setdefault(_name, str(_SCRATCH / _sub))
    Path(os.environ[_name]).mkdir(parents=True, exist_ok=True)
for _name, _value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"),
                      ("GRADIO_ANALYTICS_ENABLED", "False"), ("ANONYMIZED_TELEMETRY", "False")):
    os.environ[_name] = _value

from core.settings import Settings  # noqa: E402
from store.embeddings import EmbeddingCache, PanelEmbeddings  # noqa: E402
from store.index import PanelIndex  # noqa: E402


def read_pdf_once(path: Path | str):
    """``read_pdf`` of a paper, once per test run (per content): several modules read the same corpus and
    real papers as ingest reads them (the five corpus papers alone take about 50 s), and the gold checks
    (tests/test_gold.py) read them through the same memory."""
    from evals.check_gold import read_once

    return read_once(path)


def dense_search(index: PanelIndex, text: str, k: int = 5, filters=None) -> list:
    """The k nearest live chunks to ``text`` by the store's dense search alone (no BM25, no boosts)."""
    chunks = {chunk.id: chunk for chunk in index.all_chunks()}
    hits = index.dense_search(index.embeddings.embed_query(text), k * 2, filters)
    return [chunks[chunk_id] for chunk_id, _ in hits if chunk_id in chunks][:k]


@pytest.fixture(scope="session")
def scratch() -> Path:
    return _SCRATCH


@pytest.fixture(scope="session")
def embeddings(tmp_path_factory) -> PanelEmbeddings:
    """The real packaged model, loaded once; its cache makes repeated ingests of the same text cheap."""
    cache = EmbeddingCache(tmp_path_factory.mktemp("embed-cache") / "cache.sqlite")
    return PanelEmbeddings(Settings().store.embedding_model, cache)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings.build(index_dir=tmp_path / "index", corpus_dir=REPO / "corpus")


@pytest.fixture
def index(settings, embeddings) -> PanelIndex:
    return PanelIndex(settings.store, embeddings)


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory) -> Settings:
    return Settings.build(index_dir=tmp_path_factory.mktemp("corpus-index"), corpus_dir=REPO / "corpus")


@pytest.fixture(scope="session")
def corpus_index(corpus_settings, embeddings) -> PanelIndex:
    """The built sample corpus, ingested once for the whole session (read-only in tests)."""
    from ingest.pipeline import ingest_paths

    settings = corpus_settings
    idx = PanelIndex(settings.store, embeddings)
    report = ingest_paths([settings.ingest.corpus_dir], settings.ingest, idx, progress=False)
    assert report.ok, report.failed
    return idx


@pytest.fixture(scope="session")
def real_papers() -> Path:
    if not REAL_PAPERS.is_dir():
        pytest.skip(f"the real Kent PDFs are not here ({REAL_PAPERS} is absent)")
    return REAL_PAPERS


@pytest.fixture
def small_pdf(tmp_path, real_papers) -> Path:
    """A small real paper, copied so a test may change or rename it."""
    target = tmp_path / "cpp-minutes.pdf"
    shutil.copy(real_papers / "kent-corporate-parenting-panel-2024-12-10-minutes.pdf", target)
    return target


# A paper planted with markup, to prove the app shows PDF text as text.
PLANTED = (
    "Corporate Parenting Panel\nMinutes of the meeting held on 3 March 2021\n\n"
    "12. Zebrafish Fostering Pilot (Item 5)\n"
    "The panel discussed the Zebrafish Fostering Pilot for children in care.\n"
    "It was RESOLVED that the Zebrafish Fostering Pilot <img src=x onerror=\"window.__pwned=1\"> "
    "<script>window.__pwned=2</script> be extended to 40 families."
)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory, embeddings):
    """The real app on a free loopback port, over a fresh index of two corpus packs and the planted paper."""
    from app.service import PanelService
    from app.ui import launch
    from evals.pdf_factory import text_pdf
    from ingest.pipeline import ingest_paths
    from tests.servers import free_port

    folder = tmp_path_factory.mktemp("app")
    settings = Settings.build(index_dir=folder / "index", corpus_dir=REPO / "corpus", app_concurrency=8)
    planted = text_pdf(folder / "planted-zebrafish-minutes.pdf", [PLANTED])
    papers = [REPO / "corpus" / "kent-cpp-2018-09-19-agenda-pack.pdf",
              REPO / "corpus" / "kent-cpp-2019-01-29-agenda-pack.pdf", planted]
    report = ingest_paths(papers, settings.ingest, PanelIndex(settings.store, embeddings), progress=False)
    assert report.ok, report.failed
    service = PanelService(settings, embeddings=embeddings)  # the model is loaded once per test session
    port = free_port()
    blocks = launch(service, "127.0.0.1", port, block=False)
    yield {"url": f"http://127.0.0.1:{port}/", "service": service, "settings": settings, "port": port}
    blocks.close()
