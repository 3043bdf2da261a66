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

Speed is measured on every ``--stride``-th chunk (the whole corpus with ``--stride 1``), twice, the
better run kept: the machine is shared. Nothing is downloaded (the hub is switched off) and every
export goes to a temporary folder. Run: ``python -m evals.bench_embed [--json FILE]``.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import logging
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ingest.chunker import make_chunks
from ingest.embeddings import EmbeddingCache, PanelEmbeddings, load_sentence_transformer, resolve_model_path
from ingest.pdf_reader import read_pdf
from ingest.pipeline import collect_pdfs, ingest_paths, load_catalogue
from ingest.settings import Settings
from ingest.structure import analyse

MIN_SPEEDUP = 1.15  # below this a "faster" variant is within the noise of a shared 2-core machine
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


def offline() -> None:
    """Before the first Hugging Face import: the hub is never asked, and an export fetches nothing."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:160]}"


@contextlib.contextmanager
def _quiet():
    """Deprecation chatter of torch.onnx / torch.ao.quantization / onnxruntime kept off the table."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        previous = logging.root.level
        logging.root.setLevel(logging.ERROR)
        try:
            yield
        finally:
            logging.root.setLevel(previous)


def best_of_two(run: Callable[[], object]) -> tuple[float, object]:
    """Seconds of the better of two runs, and the last run's result."""
    best, result = float("inf"), None
    for _ in range(2):
        gc.collect()
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def corpus_chunk_texts(settings: Settings) -> list[str]:
    catalogue = load_catalogue(settings.corpus_dir)
    texts: list[str] = []
    for path in collect_pdfs([settings.corpus_dir]):
        doc = read_pdf(path)
        structure = analyse(doc.pages, path.name, doc.content_hash, catalogue.get(path.name), doc.metadata_title)
        texts += [c.embed_text for c in make_chunks(structure, settings.chunk_words, settings.chunk_overlap_words)]
    return texts


# -- the variants ------------------------------------------------------------------------------------
def torch_int8_dynamic(model_name: str, workdir: Path, per_channel: bool = False):
    """torch's dynamic int8 quantization of every Linear layer (per tensor by default, as documented)."""
    import torch
    from torch.ao import quantization

    model = load_sentence_transformer(model_name)
    spec = {torch.nn.Linear: quantization.per_channel_dynamic_qconfig} if per_channel else {torch.nn.Linear}
    with _quiet():
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

    with _quiet():
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
    with _quiet():
        onnx_model.save(str(folder))  # writes folder/onnx/model.onnx, which the quantizer reads back
        export_dynamic_quantized_onnx_model(onnx_model, flavour, str(folder))
        name = next(p.name for p in (folder / "onnx").glob(f"model_*{flavour}*.onnx"))
        return SentenceTransformer(str(folder), device="cpu", local_files_only=True, backend="onnx",
                                   model_kwargs={"file_name": f"onnx/{name}"})


def _export_bert_onnx(model, path: Path) -> None:
    """torch.onnx.export (TorchScript exporter, dynamic batch and length) of the BERT body."""
    import torch

    inputs = ("input_ids", "attention_mask", "token_type_ids")

    class Body(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    sample = model.tokenizer(["a short one", "a longer sentence, padded less than the first one"],
                             padding=True, return_tensors="pt")
    axes = {name: {0: "batch", 1: "tokens"} for name in (*inputs, "last_hidden_state")}
    with _quiet(), torch.no_grad():
        torch.onnx.export(Body(model[0].model).eval(), tuple(sample[k] for k in inputs), str(path), dynamo=False,
                          input_names=list(inputs), output_names=["last_hidden_state"], dynamic_axes=axes,
                          opset_version=17)


def _with_onnxruntime(model, onnx_path: Path):
    """The sentence-transformers model with its BERT body replaced by an onnxruntime session."""
    import onnxruntime as ort
    import torch

    options = ort.SessionOptions()
    options.intra_op_num_threads = torch.get_num_threads()  # the same threads torch gets
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
        _export_bert_onnx(model, path)
    return _with_onnxruntime(model, path)


def ort_int8(model_name: str, workdir: Path):
    model = load_sentence_transformer(model_name)
    source, path = workdir / "bert.onnx", workdir / "bert-int8.onnx"
    if not source.exists():
        _export_bert_onnx(model, source)
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # optimum's AutoQuantizationConfig for this CPU, dynamic: per channel, symmetric weights;
    # uint8 weights unless the CPU has VNNI (AVX2 without it saturates on int8 x uint8).
    weights = QuantType.QInt8 if _quant_flavour() == "avx512_vnni" else QuantType.QUInt8
    with _quiet():
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


def page_hit_at_5(model, base: Settings, workdir: Path, questions: list[dict]) -> tuple[float, PanelEmbeddings]:
    """Gold page hit@5 of the assistant over a temporary index built and queried with ``model``."""
    from evals.run import run_project, score
    from ingest.index import PanelIndex
    from retrieval import Assistant

    settings = base.override(index_dir=workdir / "index")
    embeddings = PanelEmbeddings(settings.embedding_model, EmbeddingCache(workdir / "cache.sqlite"),
                                 settings.embed_batch_size)
    embeddings._model = model
    index = PanelIndex(settings, embeddings)
    report = ingest_paths([settings.corpus_dir], settings, index, progress=False)
    if not report.ok:
        raise RuntimeError(f"ingest failed: {report.failed}")
    assistant = Assistant(settings, index)
    return score(questions, run_project(assistant, questions))["overall"]["hit@5"], embeddings


def cached_vectors(embeddings: PanelEmbeddings, texts: list[str]) -> np.ndarray:
    """The vectors the index was built with, read back from its cache, in the order of ``texts``."""
    keys = [embeddings._key(t) for t in texts]
    found = embeddings.cache.get_many(list(set(keys)))
    missing = [t for k, t in zip(keys, texts, strict=True) if k not in found]
    if missing:  # a chunk the pipeline did not embed (should not happen): embed it with the variant
        found.update(zip((embeddings._key(t) for t in missing), embeddings._encode(missing), strict=True))
    return np.asarray([found[k] for k in keys], dtype=np.float32)


def _fmt(value, pattern: str) -> str:
    return "—" if value is None else format(value, pattern)


def print_table(rows: list[Row]) -> None:
    header = ("variant", "loads", "chunks/s", "speed-up", "cos vs fp32", "hit@5")
    lines = [header]
    for r in rows:
        loads = f"yes ({r.reason})" if r.loads else f"no: {r.reason}"
        lines.append((r.variant, loads, _fmt(r.chunks_per_s, ".1f"), _fmt(r.speedup, ".2f") + ("×" * bool(r.speedup)),
                      _fmt(r.mean_cosine, ".4f"), _fmt(r.hit_at_5, ".3f")))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for n, line in enumerate(lines):
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def verdict(rows: list[Row]) -> str:
    fp32 = rows[0]
    good = [r for r in rows[1:] if r.loads and r.speedup and r.speedup >= MIN_SPEEDUP and r.hit_at_5 is not None
            and fp32.hit_at_5 is not None and r.hit_at_5 >= fp32.hit_at_5]
    if not good:
        faster = [r for r in rows[1:] if r.loads and r.speedup and r.speedup >= MIN_SPEEDUP]
        why = ("no variant is faster by at least " f"{MIN_SPEEDUP}×" if not faster else
               "every faster variant loses page hit@5 ("
               + ", ".join(f"{r.variant} {r.hit_at_5:.3f}" for r in faster if r.hit_at_5 is not None)
               + f" < {fp32.hit_at_5:.3f})")
        return f"verdict: keep torch fp32 — {why}."
    best = max(good, key=lambda r: r.speedup or 0)
    return (f"verdict: switch to {best.variant} — {best.speedup:.2f}× the chunks/s of fp32 with page hit@5 "
            f"{best.hit_at_5:.3f} (fp32 {fp32.hit_at_5:.3f}), mean cosine {best.mean_cosine:.4f}.")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--stride", type=int, default=4,
                        help="time every N-th corpus chunk (default 4; 1 = all chunks, about 4x longer)")
    parser.add_argument("--variants", default=",".join(DEFAULT_VARIANTS),
                        help=f"comma-separated, of {', '.join(VARIANTS)} (default: all but torch-int8-perchannel; "
                             "torch-fp32 always runs)")
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
    started = time.perf_counter()
    texts = corpus_chunk_texts(base)
    read_s = time.perf_counter() - started
    sample = texts[:: max(1, args.stride)]
    batch = base.embed_batch_size
    print(f"{len(texts)} corpus chunks read in {read_s:.1f} s; timing {len(sample)} of them (every "
          f"{max(1, args.stride)}th), best of two runs, batch {batch}, torch threads {torch.get_num_threads()}",
          flush=True)

    # 1. the ingest path (empty cache each run) against bare encode, on the same texts
    fp32 = load_sentence_transformer(base.embedding_model)  # loaded once, outside every timing
    encoder(fp32, sample[:batch], batch)()  # warm-up
    bare_s, _ = best_of_two(encoder(fp32, sample, batch))
    with tempfile.TemporaryDirectory(prefix="bench-embed-") as tmp:
        runs = iter(range(2))

        def ingest_path() -> list[list[float]]:
            cache = EmbeddingCache(Path(tmp) / f"cache-{next(runs)}.sqlite")
            embeddings = PanelEmbeddings(base.embedding_model, cache, batch)
            embeddings._model = fp32
            try:
                return embeddings.embed_documents(sample)
            finally:
                cache.close()

        path_s, _ = best_of_two(ingest_path)
    bare_rate, path_rate = len(sample) / bare_s, len(sample) / path_s
    ingest_figures = {"chunks": len(texts), "timed_chunks": len(sample),
                      "bare_encode_chunks_per_s": round(bare_rate, 2),
                      "embed_documents_chunks_per_s": round(path_rate, 2),
                      "embed_documents_over_bare_ratio": round(path_rate / bare_rate, 3)}
    print("\n1. ingest path vs bare encode (same texts, same loaded model)")
    print(f"   bare SentenceTransformer.encode            {bare_rate:8.1f} chunks/s")
    print(f"   PanelEmbeddings.embed_documents (cold)     {path_rate:8.1f} chunks/s")
    print(f"   ratio embed_documents / encode             {path_rate / bare_rate:8.3f}", flush=True)

    # 2. the variants
    questions = expected_pages(load_gold())
    rows: list[Row] = []
    reference: np.ndarray | None = None
    st_onnx_loaded = False
    with tempfile.TemporaryDirectory(prefix="bench-embed-") as tmp:
        exports = Path(tmp) / "exports"
        exports.mkdir()
        for name in chosen:
            if name.startswith("ort-") and st_onnx_loaded and not args.all:
                rows.append(Row(name, reason="skipped: sentence-transformers' own ONNX backend loaded (--all runs it)"))
                continue
            row = Row(name)
            print(f"\n[{time.perf_counter() - started_all:6.0f} s] {name}: ", end="", flush=True)
            started = time.perf_counter()
            try:
                model = fp32 if name == "torch-fp32" else BUILDERS[name](base.embedding_model, exports)
                encoder(model, sample[:batch], batch)()  # warm-up, and proof that it runs
            except Exception as exc:  # noqa: BLE001 - any failure to load is a result to report
                row.reason = _short(exc)
                print(f"does not load: {row.reason}", flush=True)
                rows.append(row)
                continue
            row.loads, row.load_s = True, round(time.perf_counter() - started, 1)
            row.reason = "shipped" if name == "torch-fp32" else f"built in {row.load_s:.0f} s"
            st_onnx_loaded |= name.startswith("st-onnx")
            if name == "torch-fp32":
                seconds = bare_s  # the bare encode of part 1: same model, same texts
            else:
                seconds, _ = best_of_two(encoder(model, sample, batch))
            row.chunks_per_s = round(len(sample) / seconds, 2)
            row.speedup = round(row.chunks_per_s / rows[0].chunks_per_s, 3) if rows and rows[0].chunks_per_s else 1.0
            print(f"{row.chunks_per_s:.1f} chunks/s; building the index and asking {len(questions)} questions",
                  end="", flush=True)
            workdir = Path(tmp) / name
            try:
                row.hit_at_5, embeddings = page_hit_at_5(model, base, workdir, questions)
                vectors = cached_vectors(embeddings, texts)
                embeddings.cache.close()
                if reference is None:
                    reference = vectors
                cosines = (vectors * reference).sum(axis=1) / (
                    np.linalg.norm(vectors, axis=1) * np.linalg.norm(reference, axis=1))
                row.mean_cosine, row.min_cosine = round(float(cosines.mean()), 5), round(float(cosines.min()), 5)
                print(f"; hit@5 {row.hit_at_5:.3f}, mean cosine {row.mean_cosine:.4f}", flush=True)
            except Exception as exc:  # noqa: BLE001
                row.reason += f"; evaluation failed: {_short(exc)}"
                print(f"; evaluation failed: {_short(exc)}", flush=True)
            rows.append(row)
            shutil.rmtree(workdir, ignore_errors=True)
            if model is not fp32:
                del model
            gc.collect()

    total = time.perf_counter() - started_all
    print(f"\n2. variants of all-MiniLM-L6-v2 ({len(sample)} chunks timed; cosine over all {len(texts)} chunks; "
          f"hit@5 over {len(questions)} gold questions; {total:.0f} s in all)\n")
    print_table(rows)
    line = verdict(rows)
    print("\n" + line)
    figures = {"ingest_path": ingest_figures, "variants": [asdict(r) for r in rows], "verdict": line,
               "seconds": round(total, 1), "torch_threads": torch.get_num_threads()}
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    return figures


if __name__ == "__main__":
    main()
