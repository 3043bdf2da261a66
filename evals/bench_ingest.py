"""Ingest benchmark: a cold ingest against the bare work it cannot avoid, measured in one run.

    python -m evals.bench_ingest [PDF or folder ...] [--workers N] [--json FILE]

Each measurement runs in a fresh process, so each peak RSS is its own:

* ``bare``: pdfplumber ``extract_text`` of every page, one process (the reference the ratio divides by);
* ``encode``: the model alone embedding every text a cold ingest embeds (chunks, their sentences,
  decisions, scorecard indicators), batch as configured;
* ``cold``: ``ingest_paths`` into an empty index with an empty embedding cache, as ``panel-papers ingest``
  runs it (the page-reading pool included), with where its time went: waiting for pages (the main
  process blocked on the pool), structure and chunking, embedding, writing to Chroma; then an unchanged
  re-ingest (every file skipped) and a rebuild into a second index with the cache warm. Reading pages and
  writing overlap the embedding (the pool reads ahead; a paper is written on its own thread while the
  next is embedded), so the parts add up to more than the whole. The CPU seconds of the ingest process
  (embedding, structure, writing) and of its page-reading workers say what the run cost the cores.

Peak RSS: the ingest process's own, and the largest page-reading worker's (``RUSAGE_CHILDREN``).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from core.settings import Settings
from ingest.pipeline import collect_pdfs


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    """User plus system CPU seconds of this process (or of its waited-for children: the page-reading workers)."""
    used = resource.getrusage(who)
    return used.ru_utime + used.ru_stime


def _timed(owner, name: str, spent: dict[str, float]) -> None:
    """Add the seconds spent in ``owner.name`` to ``spent[name]``."""
    original: Callable = getattr(owner, name)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

    setattr(owner, name, wrapper)


def bare_pdfplumber(files: list[Path]) -> dict:
    import pdfplumber

    started = time.perf_counter()
    pages = 0
    for path in files:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.flush_cache()
                pages += 1
    return {"pages": pages, "seconds": time.perf_counter() - started, "peak_rss_mb": peak_rss_mb()}


def ingest_texts(files: list[Path], settings: Settings) -> list[str]:
    """Every text a cold ingest embeds, as ``PanelIndex.embed_document`` embeds them."""
    from core.catalogue import Catalogue
    from core.records import ChunkKind
    from core.sentences import sentences
    from ingest.chunker import make_chunks
    from ingest.kpi import figure_rows
    from ingest.pdf_reader import read_pdf
    from ingest.structure import analyse

    catalogue = Catalogue.load(settings.ingest.corpus_dir).papers
    texts: list[str] = []
    for path in files:
        try:
            doc = read_pdf(path)
        except Exception:  # a paper the ingest refuses embeds nothing
            continue
        structure = analyse(doc.pages, path.name, doc.content_hash, catalogue.get(path.name), doc.metadata_title)
        chunks = make_chunks(structure, settings.ingest.chunk_words, settings.ingest.chunk_overlap_words)
        units = [[text for _, text in sentences(c.text, c.kind)] for c in chunks]
        for chunk, rows in zip(chunks, units, strict=True):
            if chunk.kind != ChunkKind.TABLE or not rows:
                texts.append(chunk.embed_text)
            elif chunk.header:  # a table passage's vector is its rows' and its header's (store.index.passage_vectors)
                texts.append(chunk.header)
        texts += [text for rows in units for text in rows]
        texts += [f"{d.minute_title or ''}\n{d.text}".strip() for d in structure.decisions]
        texts += [row.indicator for row in figure_rows(chunks)]
    return list(dict.fromkeys(texts))  # the cache embeds each distinct text once


def bare_encode(files: list[Path], settings: Settings) -> dict:
    from store.embeddings import PanelEmbeddings

    texts = ingest_texts(files, settings)
    model = PanelEmbeddings.from_settings(settings.store, None).model  # loaded outside the timing
    model.encode(["warm up"], batch_size=settings.store.embed_batch_size, normalize_embeddings=True)
    started = time.perf_counter()
    model.encode(texts, batch_size=settings.store.embed_batch_size, normalize_embeddings=True)
    seconds = time.perf_counter() - started
    return {"texts": len(texts), "seconds": seconds, "peak_rss_mb": peak_rss_mb()}


def cold_ingest(files: list[Path], settings: Settings) -> dict:
    from ingest import parallel, pipeline
    from store.embeddings import EmbeddingCache, PanelEmbeddings
    from store.index import PanelIndex

    spent: dict[str, float] = {}
    _timed(parallel.ParallelReader, "take", spent)
    _timed(pipeline, "read_pdf", spent)
    _timed(pipeline, "analyse", spent)
    _timed(pipeline, "make_chunks", spent)
    _timed(PanelEmbeddings, "embed_documents", spent)
    _timed(PanelIndex, "write_document", spent)
    with tempfile.TemporaryDirectory() as tmp:
        settings = settings.override(index_dir=Path(tmp) / "index")
        embeddings = PanelEmbeddings.from_settings(settings.store, EmbeddingCache(Path(tmp) / "cache.sqlite"))
        embeddings.embed_query("warm up")  # the model loaded outside the timing, as in ``encode``
        index = PanelIndex(settings.store, embeddings)
        started, own_cpu, workers_cpu = time.perf_counter(), cpu_seconds(), cpu_seconds(resource.RUSAGE_CHILDREN)
        cold = pipeline.ingest_paths(files, settings.ingest, index, progress=True)
        seconds = time.perf_counter() - started
        own_cpu = cpu_seconds() - own_cpu
        workers_cpu = cpu_seconds(resource.RUSAGE_CHILDREN) - workers_cpu  # the pool is shut down: counted
        rss, worker_rss = peak_rss_mb(), peak_rss_mb(resource.RUSAGE_CHILDREN)
        spent = dict(spent)  # the cold ingest's split only: the runs below add to the wrappers' totals

        started = time.perf_counter()
        unchanged = pipeline.ingest_paths(files, settings.ingest, index, progress=False)
        skip_seconds = time.perf_counter() - started
        warm = settings.override(index_dir=Path(tmp) / "index2")
        started = time.perf_counter()
        pipeline.ingest_paths(files, warm.ingest, PanelIndex(warm.store, embeddings), progress=False)
        warm_seconds = time.perf_counter() - started
    embedding = spent.get("embed_documents", 0.0)
    return {"seconds": seconds, "documents": len(cold.ingested), "failed": len(cold.failed), "pages": cold.pages,
            "chunks": cold.chunks, "texts_embedded": embeddings.computed,
            "waiting_for_pages_s": spent.get("take", 0.0) + spent.get("read_pdf", 0.0),
            "structure_s": spent.get("analyse", 0.0) + spent.get("make_chunks", 0.0),
            "embedding_s": embedding, "writing_s": spent.get("write_document", 0.0),
            "peak_rss_mb": rss, "worker_peak_rss_mb": worker_rss,
            "ingest_process_cpu_s": own_cpu, "page_readers_cpu_s": workers_cpu,
            "unchanged_reingest_s": skip_seconds, "skipped": len(unchanged.skipped),
            "rebuild_with_warm_cache_s": warm_seconds}


def run_child(kind: str, paths: list[str], extra: list[str]) -> dict:
    """One measurement in a fresh process; its figures come back as JSON on the last line."""
    done = subprocess.run([sys.executable, "-m", "evals.bench_ingest", "--one", kind, *extra, *paths],
                          stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="PDFs or folders (default: corpus/)")
    parser.add_argument("--workers", type=int, help="page-reading processes (default: the settings', 0 = per core)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--one", choices=["bare", "encode", "cold"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    settings = Settings.load()
    if args.workers is not None:
        settings = settings.override(workers=args.workers)
    files = collect_pdfs(args.paths or [settings.ingest.corpus_dir])
    if args.one:
        measure = {"bare": lambda: bare_pdfplumber(files), "encode": lambda: bare_encode(files, settings),
                   "cold": lambda: cold_ingest(files, settings)}[args.one]
        print(json.dumps(measure()))
        return {}

    extra = [] if args.workers is None else ["--workers", str(args.workers)]
    paths = [str(f) for f in files]
    bare = run_child("bare", paths, extra)
    encode = run_child("encode", paths, extra)
    cold = run_child("cold", paths, extra)
    figures = {
        "documents": len(files), "pages": bare["pages"], "chunks": cold["chunks"],
        "texts_embedded": cold["texts_embedded"],
        "embedder": f"{settings.store.embedding_model}/{settings.store.embedding_backend}",
        "workers": settings.ingest.workers or "one per core",
        "bare_pdfplumber_s": round(bare["seconds"], 1),
        "bare_encode_s": round(encode["seconds"], 1),
        "cold_ingest_s": round(cold["seconds"], 1),
        "ratio_to_bare_pdfplumber": round(cold["seconds"] / bare["seconds"], 2),
        "ratio_to_bare_pdfplumber_plus_encode": round(cold["seconds"] / (bare["seconds"] + encode["seconds"]), 2),
        "  waiting_for_pages_s": round(cold["waiting_for_pages_s"], 1),
        "  structure_and_chunks_s": round(cold["structure_s"], 1),
        "  embedding_s": round(cold["embedding_s"], 1),
        "  writing_s": round(cold["writing_s"], 1),
        "ingest_process_cpu_s": round(cold["ingest_process_cpu_s"], 1),
        "page_readers_cpu_s": round(cold["page_readers_cpu_s"], 1),
        "pages_per_s": round(cold["pages"] / cold["seconds"], 2),
        "peak_rss_mb": round(cold["peak_rss_mb"]),
        "worker_peak_rss_mb": round(cold["worker_peak_rss_mb"]),
        "bare_pdfplumber_peak_rss_mb": round(bare["peak_rss_mb"]),
        "bare_encode_peak_rss_mb": round(encode["peak_rss_mb"]),
        "failed": cold["failed"],
        "unchanged_reingest_s": round(cold["unchanged_reingest_s"], 2),
        "rebuild_with_warm_cache_s": round(cold["rebuild_with_warm_cache_s"], 1),
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
