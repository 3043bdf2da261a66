"""The scale benchmark's own parts, without the model and without timing anything: copies are built from
stored vectors alone (nothing embedded), and the table shows embedded and server rows side by side.
The benchmark itself is run by hand (``python -m evals.bench_scale``); its figures are in docs/scaling.md."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from core.records import Chunk, ChunkKind, Decision, DocumentInfo
from core.settings import Settings
from evals import bench_scale
from ingest.chunker import text_hash
from ingest.scorecard import scorecard_rows
from store.embeddings import EmbeddingCache, PanelEmbeddings
from store.index import PanelIndex

CORPUS_NAME = "kent-cpp-2017-02-01-appendix.pdf"  # a corpus/ file name: --source corpus takes it


class FakeEmbeddings(PanelEmbeddings):
    """Vectors from the text's hash: a base index written without loading the model."""

    def _encode(self, texts):
        self.computed += len(texts)
        vectors = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
            vector = np.random.default_rng(seed).normal(size=384).astype(np.float32)
            vectors.append((vector / np.linalg.norm(vector)).tolist())
        return vectors


def _base(folder) -> PanelIndex:
    settings = Settings.build(index_dir=folder, chroma_host="")
    embeddings = FakeEmbeddings(settings.store.embedding_model, EmbeddingCache(folder / "embedding-cache.sqlite"))
    index = PanelIndex(settings.store, embeddings)
    header = "Corporate Parenting Panel, 1 February 2017"
    common = dict(document=CORPUS_NAME, header=header, meeting_date="2017-02-01", committee="Corporate Parenting Panel")
    chunks = [
        Chunk(text="The Panel noted the report. Members asked about placements. The officer answered.",
              kind=ChunkKind.NARRATIVE, page_start=1, page_end=1, **common),
        Chunk(text="Indicator | Nov 2016 | Dec 2016\nNumber of children in care | 1,401 | 1,410",
              kind=ChunkKind.TABLE, page_start=2, page_end=2, period="Dec 2016", **common),
        Chunk(text="RESOLVED that the report be noted.", kind=ChunkKind.DECISION, page_start=3, page_end=3,
              minute="5", minute_title="Report", **common),
    ]
    for chunk in chunks:
        chunk.content_hash = text_hash(chunk.embed_text)  # as the chunker sets it
    decisions = [Decision(document=CORPUS_NAME, meeting_date="2017-02-01", committee="Corporate Parenting Panel",
                          minute="5", minute_title="Report", item="4", text="RESOLVED that the report be noted.",
                          page=3, page_label=None)]
    info = DocumentInfo(document=CORPUS_NAME, title=f"Appendix, {header}", committee="Corporate Parenting Panel",
                        meeting_date="2017-02-01", kind="appendix", content_hash="abc", pages=3)
    index.write_document(info, chunks, decisions, scorecard_rows(chunks))
    return index


def test_copies_are_built_from_stored_vectors_alone(tmp_path):
    base = _base(tmp_path / "base")
    written = base.stats()
    bench_scale.release_chroma()
    figures = bench_scale.build(tmp_path / "base", tmp_path / "copies", 2, "corpus", None)
    assert figures["embedded_while_building"] == 0  # build() also stops when anything was embedded
    assert (figures["documents"], figures["chunks"]) == (2, 2 * written["chunks"])
    assert figures["stored_sentences"] == 2 * written["stored_sentences"]
    copies = PanelIndex(bench_scale.index_settings(tmp_path / "copies").store).documents()
    assert copies[f"copy001-{CORPUS_NAME}"].meeting_date == "2016-12-01"  # moved back two months
    assert copies[f"copy000-{CORPUS_NAME}"].meeting_date == "2017-02-01"
    bench_scale.release_chroma()


def test_a_base_without_the_sources_papers_stops(tmp_path):
    _base(tmp_path / "base")
    bench_scale.release_chroma()
    if not bench_scale.ARCHIVE.is_dir():
        pytest.skip(f"the real archive ({bench_scale.ARCHIVE}) is not here")
    with pytest.raises(SystemExit, match="holds none of the papers"):
        bench_scale.build(tmp_path / "base", tmp_path / "copies", 1, "archive", None)
    bench_scale.release_chroma()


def _served(mode: str, scale: float) -> dict:
    figures = {key: 10.0 * scale for key in ("open_s", "ready_s", "restart_ready_s", "reopen_s", "reopen_bm25_s",
                                             "to_first_answer_s", "first_answer_ms", "tenth_answer_ms",
                                             "first_again_ms", "rss_after_open_mb", "rss_mb", "peak_rss_mb",
                                             "disk_mb", "disk_bm25_mb", "disk_embedding_cache_mb", "disk_chroma_mb")}
    for name in ("retrieve", "ask", "retrieve_noembed", "ask_noembed"):
        figures.update({f"{name}_p50_ms": 20.0 * scale, f"{name}_p95_ms": 40.0 * scale})
    figures.update(mode=mode, first_tenth_ratio=1.0, first_answers_ms=[10.0] * 10, answered=3, questions=4,
                   warm_derived_embedded=5, embedded_while_serving=5, torch_threads=1, open_all_chunks_s=1.0,
                   load_before={"loadavg_1m": 1.0}, load_after={"loadavg_1m": 1.0, "cpu_pressure_avg60": 5.0})
    if mode == "server":
        figures.update(server_up_s=1.0, server_rss_mb=300.0, server_peak_rss_mb=320.0)
    return figures


def test_the_table_puts_embedded_and_server_rows_side_by_side():
    factors = [{"factor": factor, "copies": factor, "chunks": 1000 * factor, "build_s": 1.0 * factor,
                "prefill_cache_s": 0.1, "write_s": 0.9 * factor, "embedded_while_building": 0,
                "serving": {"embedded": _served("embedded", factor), "server": _served("server", 1.5 * factor)}}
               for factor in (1, 10)]
    text = bench_scale.table(bench_scale.flat_rows(factors))
    rows = [line for line in text.splitlines() if line.startswith("| 1") and ("embedded" in line or "server" in line)]
    assert [row.split(" | ")[1] for row in rows] == ["embedded", "server", "embedded", "server"]
    assert "Growth against 1x (1,000 chunks), embedded" in text and "Growth against 1x (1,000 chunks), server" in text
    assert "| 10x | x10.0 |" in text  # the chunk ratio beside the time ratios
    assert "Server against embedded, same index" in text and "| 10x | 10,000 | x1.5 |" in text
    assert "+ server 300" in text  # the Chroma server's own memory beside the app's


def test_a_council_scale_factor_reaches_the_chunks_asked_for():
    assert bench_scale.copies_for(100, 100, 2847, 100_000) == 36
    assert bench_scale.copies_for(10, 100, 2847, 100_000) == 10
    assert bench_scale.shift_iso("2025-03-31", 1) == "2025-02-28"
    assert bench_scale.archive_only({"source_pdf": "real-archive/x.pdf"})
    assert bench_scale.archive_only({"source_pdf": None})
    assert not bench_scale.archive_only({"source_pdf": "real-papers/x.pdf"})
