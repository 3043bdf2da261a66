"""The embedding backends of ``store.embeddings`` side by side: speed, cold start, memory, closeness to torch.

    python -m evals.bench_backends [--chunks 500] [--rounds 2] [--threads 1,2] [--json FILE]

* chunks/s of ``PanelEmbeddings._encode`` (batch 32, no cache) on ``--chunks`` corpus chunk texts, for each
  backend ("torch", "onnx-fp32", "onnx-int8") with each thread count; every run interleaved with the others
  in ``--rounds`` rounds and the best kept (the machine is shared: interleaving gives each the same load);
* cosine of each backend's vectors with torch's, per chunk (mean and min);
* a cold process per backend: the seconds from its start to its first query vector (imports, model load and
  the query; the export already made), its peak RSS (VmHWM: ``resource.getrusage`` would also count this
  process's pages, which a forked child starts with) and whether it imported torch.

The ONNX export is made first (outside every timing) where the settings put it.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from core.settings import EMBEDDING_BACKENDS, Settings

COLD = """
import time, resource, sys
started = time.perf_counter()
from store.embeddings import PanelEmbeddings
embeddings = PanelEmbeddings(sys.argv[1], backend=sys.argv[2], threads=int(sys.argv[3]),
                             onnx_dir=sys.argv[4] or None)
vector = embeddings.embed_query("How many children in care does Kent look after?")
seconds = time.perf_counter() - started
import json
# VmHWM is this process's own peak; getrusage's ru_maxrss also counts the parent's pages at the fork.
status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines() if ":" in line)
peak = int(status["VmHWM"].split()[0]) if "VmHWM" in status else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"first_query_s": round(seconds, 3), "dimension": len(vector), "peak_rss_mb": round(peak / 1024, 1),
                  "torch_imported": "torch" in sys.modules}))
"""


def corpus_texts(settings: Settings) -> list[str]:
    """Every chunk text of the corpus, as the ingest embeds it."""
    from core.catalogue import Catalogue
    from ingest.chunker import make_chunks
    from ingest.pdf_reader import read_pdf
    from ingest.structure import analyse

    catalogue = Catalogue.load(settings.ingest.corpus_dir).papers
    texts: list[str] = []
    for path in sorted(Path(settings.ingest.corpus_dir).glob("*.pdf")):
        doc = read_pdf(path)
        structure = analyse(doc.pages, path.name, doc.content_hash, catalogue.get(path.name), doc.metadata_title)
        texts += [c.embed_text for c in make_chunks(structure, settings.ingest.chunk_words,
                                                    settings.ingest.chunk_overlap_words)]
    return texts


def cold_start(model: str, backend: str, threads: int, onnx_dir: str) -> dict:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", COLD, model, backend, str(threads), onnx_dir], capture_output=True,
                          text=True, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process_s"] = round(time.perf_counter() - started, 3)  # interpreter start included
    return figures


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chunks", type=int, default=500, help="corpus chunks to time (default 500)")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved timing rounds, the best kept (default 2)")
    parser.add_argument("--threads", default="1,2", help="thread counts to time (default 1,2)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    from store.embeddings import PanelEmbeddings
    from store.onnx_model import ensure_export

    store = Settings.load().store
    threads = [int(t) for t in args.threads.split(",")]
    export = ensure_export(store.embedding_model, store.onnx_dir)
    print(f"export in {export}", flush=True)
    # cold processes first, while this one is small and idle
    cold = {backend: cold_start(store.embedding_model, backend, 0, str(store.onnx_dir or "")) for backend in
            EMBEDDING_BACKENDS}
    texts = corpus_texts(Settings.load())
    sample = random.Random(0).sample(texts, min(args.chunks, len(texts)))
    print(f"{len(sample)} of {len(texts)} corpus chunks, batch {store.embed_batch_size}", flush=True)

    runs: dict[tuple[str, int], PanelEmbeddings] = {}
    for backend in ("torch", "onnx-fp32", "onnx-int8"):
        for count in threads:
            embeddings = PanelEmbeddings(store.embedding_model, None, store.embed_batch_size, backend=backend,
                                         threads=count, onnx_dir=store.onnx_dir)
            embeddings._encode(sample[:32])  # load and warm up, outside the timing
            runs[(backend, count)] = embeddings
    best = dict.fromkeys(runs, float("inf"))
    vectors: dict[str, np.ndarray] = {}
    for number in range(max(1, args.rounds)):
        for (backend, count), embeddings in runs.items():
            if backend == "torch":
                import torch

                torch.set_num_threads(count)  # process-wide, so set before each torch run
            gc.collect()
            started = time.perf_counter()
            got = embeddings._encode(sample)
            seconds = time.perf_counter() - started
            best[(backend, count)] = min(best[(backend, count)], seconds)
            vectors[backend] = np.asarray(got, dtype=np.float32)
            print(f"  round {number + 1}: {backend:<10} {count} thread(s) {len(sample) / seconds:6.1f} chunks/s",
                  flush=True)

    reference = vectors["torch"]
    rows = []
    for (backend, count), seconds in best.items():
        cosines = (vectors[backend] * reference).sum(axis=1)
        rows.append({"backend": backend, "threads": count, "chunks_per_s": round(len(sample) / seconds, 1),
                     "speedup_vs_torch": round(best[("torch", count)] / seconds, 2),
                     "mean_cosine_vs_torch": round(float(cosines.mean()), 4),
                     "min_cosine_vs_torch": round(float(cosines.min()), 4)})
    print(f"\n{'backend':<10} {'threads':>7} {'chunks/s':>9} {'vs torch':>8} {'cos mean':>9} {'cos min':>8}")
    for r in rows:
        print(f"{r['backend']:<10} {r['threads']:>7} {r['chunks_per_s']:>9} {r['speedup_vs_torch']:>7}x "
              f"{r['mean_cosine_vs_torch']:>9} {r['min_cosine_vs_torch']:>8}")
    print(f"\n{'cold process':<12} {'first query s':>13} {'process s':>9} {'peak RSS MB':>11}  torch imported")
    for backend, c in cold.items():
        print(f"{backend:<12} {c['first_query_s']:>13} {c['process_s']:>9} {c['peak_rss_mb']:>11}  "
              f"{c['torch_imported']}")
    figures = {"chunks": len(sample), "batch": store.embed_batch_size, "speed": rows, "cold": cold}
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()
