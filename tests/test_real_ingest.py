"""The six real Kent PDFs, ingested whole: pages, printed labels, decisions, tables, filters."""

from __future__ import annotations

import pytest

from core.records import ChunkKind, Filters
from ingest.pipeline import ingest_paths
from store.index import PanelIndex
from tests.conftest import dense_search


@pytest.fixture(scope="module")
def real_index(tmp_path_factory, real_papers, embeddings):
    from core.settings import Settings

    settings = Settings.build(index_dir=tmp_path_factory.mktemp("real-index"))
    index = PanelIndex(settings.store, embeddings)
    report = ingest_paths([real_papers], settings.ingest, index, progress=False)
    assert report.ok, report.failed
    return index


def test_every_real_paper_is_indexed_whole(real_index):
    stats = real_index.stats()
    assert stats["documents"] == 6 and stats["pages"] == 111
    assert stats["stored_chunks"] == stats["chunks"]
    assert stats["decisions"] >= 15
    kinds = {chunk.kind for chunk in real_index.all_chunks()}
    assert kinds == {"decision", "table", "narrative"}


def test_search_cites_the_printed_page_after_a_cover_letter(real_index):
    only = Filters(document="kent-county-council-2025-03-13-questions-pack.pdf")
    top = dense_search(real_index, "home-schooled children safeguarding register", k=3, filters=only)[0]
    assert top.page_start >= 3 and top.page_label == str(top.page_start - 2)


def test_table_rows_are_searchable_with_their_headers(real_index):
    passages = dense_search(real_index, "independent schools cost per pupil 2024-25", k=5,
                            filters=Filters(kind=ChunkKind.TABLE))
    assert passages and all(p.kind == ChunkKind.TABLE for p in passages)
    assert any("Independent Schools" in p.text and "2024-25:" in p.text for p in passages)


def test_meeting_date_range_filter(real_index):
    december = Filters(date_from=20241201, date_to=20241231)
    passages = dense_search(real_index, "resolved that the update be noted", k=5, filters=december)
    assert passages and {p.meeting_date for p in passages} == {"2024-12-10"}
    decisions = real_index.all_decisions(Filters.parse(date_from="2025-01-01"))
    assert decisions and all(d.meeting_date >= "2025-01-01" for d in decisions)


def test_chroma_default_embedding_never_runs(tmp_path, embeddings, monkeypatch, small_pdf):
    """Chroma's own ONNX embedder would download a model: it must never be called."""
    from chromadb.utils import embedding_functions

    def refuse(*args, **kwargs):
        raise AssertionError("Chroma's default embedding function ran")

    for name in ("DefaultEmbeddingFunction", "ONNXMiniLM_L6_V2"):
        if hasattr(embedding_functions, name):
            monkeypatch.setattr(getattr(embedding_functions, name), "__call__", refuse)
    from core.settings import Settings

    settings = Settings.build(index_dir=tmp_path / "idx")
    index = PanelIndex(settings.store, embeddings)
    assert ingest_paths([small_pdf], settings.ingest, index, progress=False).ok
    assert dense_search(index, "challenge cards", k=2)


@pytest.fixture(scope="module")
def real_assistant(real_index):
    from core.settings import Settings
    from retrieval.answer import Assistant

    return Assistant.open(Settings.build(index_dir=real_index.settings.index_dir), real_index)


def test_the_rows_of_a_table_carried_over_a_page_keep_its_unit_and_answer(real_assistant):
    """The average cost per pupil's table breaks after its first row; the rows on the next page keep its title and
    its unit ("£s per pupil"), so the independent schools' row answers (asked with the year written short, as
    officers write it; ``tests/test_selection.py`` holds how "24-25" is read)."""
    answer = real_assistant.ask("what was the average cost per pupil at independent schools from the high needs "
                                "block in 24-25?")
    assert answer.answered and "£50,018" in answer.text, answer.text


def test_each_part_of_a_question_keeps_its_own_answer_when_one_part_names_a_year(real_assistant):
    """The year named by the last part ("in 24/25") does not make a sentence naming it lead the whole answer: the
    first part's figures ("57 Sheppey residents ... 37 (74%)") stay."""
    answer = real_assistant.ask("After Blackburn Lodge closed, how many Sheppey residents moved into residential "
                                "care and how many stayed on the island? And what did the closure save in 24/25?")
    assert answer.answered and "57" in answer.text and "37 (74%)" in answer.text, answer.text
