"""Ingest benchmark: pages/s, chunks/s, peak RSS, and the overhead our own code adds.

The overhead ratio compares a full cold ingest (empty index, empty embedding cache) with the bare
work it cannot avoid: pdfplumber text extraction of every page plus SentenceTransformer.encode of
the same chunks with the same model. Run: `python -m evals.bench_ingest [PDF or folder ...]`.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

import pdfplumber

from core.catalogue import Catalogue
from core.sentences import sentences
from core.settings import Settings
from ingest.chunker import make_chunks
from ingest.pdf_reader import read_pdf
from ingest.pipeline import collect_pdfs, ingest_paths
from ingest.scorecard import scorecard_rows
from ingest.structure import analyse
from store.embeddings import EmbeddingCache, PanelEmbeddings
from store.index import PanelIndex


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="*", help="PDFs or folders (default: corpus/)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    base = Settings.load()
    files = collect_pdfs(args.paths or [base.ingest.corpus_dir])
    catalogue = Catalogue.load(base.ingest.corpus_dir).papers

    # 1. bare pdfplumber text extraction
    started = time.perf_counter()
    pages = 0
    for path in files:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    bare_pdf = time.perf_counter() - started

    # the chunks our pipeline makes, to embed them bare with the same model
    texts: list[str] = []
    for path in files:
        doc = read_pdf(path)
        structure = analyse(doc.pages, path.name, doc.content_hash, catalogue.get(path.name), doc.metadata_title)
        chunks = make_chunks(structure, base.ingest.chunk_words, base.ingest.chunk_overlap_words)
        texts += [c.embed_text for c in chunks]
        texts += [f"{d.minute_title or ''}\n{d.text}".strip() for d in structure.decisions]
        texts += [row.indicator for row in scorecard_rows(chunks)]  # as PanelIndex.write_document embeds them
        texts += [text for c in chunks for _, text in sentences(c.text, c.kind)]  # and each chunk's sentences
    model = PanelEmbeddings(base.store.embedding_model).model  # loaded once, outside every timing
    started = time.perf_counter()
    model.encode(texts, batch_size=base.store.embed_batch_size, normalize_embeddings=True)
    bare_embed = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as tmp:
        settings = base.override(index_dir=Path(tmp) / "index")
        embeddings = PanelEmbeddings(settings.store.embedding_model, EmbeddingCache(Path(tmp) / "cache.sqlite"))
        embeddings._model = model
        index = PanelIndex(settings.store, embeddings)
        started = time.perf_counter()
        cold = ingest_paths(files, settings.ingest, index, progress=False)
        full = time.perf_counter() - started

        started = time.perf_counter()
        unchanged = ingest_paths(files, settings.ingest, index, progress=False)
        skip_time = time.perf_counter() - started

        warm_settings = base.override(index_dir=Path(tmp) / "index2")
        started = time.perf_counter()
        ingest_paths(files, warm_settings.ingest, PanelIndex(warm_settings.store, embeddings), progress=False)
        warm = time.perf_counter() - started

    figures = {
        "documents": len(files), "pages": pages, "chunks_embedded": len(texts),
        "bare_pdfplumber_s": round(bare_pdf, 2), "bare_encode_s": round(bare_embed, 2),
        "full_cold_ingest_s": round(full, 2),
        "overhead_ratio": round(full / (bare_pdf + bare_embed), 2),
        "pages_per_s": round(pages / full, 2), "chunks_per_s": round(cold.chunks / full, 2),
        "bare_encode_chunks_per_s": round(len(texts) / bare_embed, 2),
        "unchanged_reingest_s": round(skip_time, 2), "skipped": len(unchanged.skipped),
        "rebuild_with_warm_cache_s": round(warm, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    width = max(len(k) for k in figures)
    print(f"{'figure':<{width}}  value")
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()
