"""The packaged sentence-transformers model run by onnxruntime: exported once, then no torch at run time.

``OnnxEncoder`` is sentence-transformers' pipeline for this kind of model done by hand: the model folder's
own tokenizer (``tokenizer.json``, the ``tokenizers`` package; truncated to the model's max_seq_length and
padded to the longest text of each batch), the BERT body run by onnxruntime, mean pooling over the attention
mask and L2 normalisation. The folder's modules.json and pooling config are checked to be exactly that
(Transformer, mean Pooling, optionally Normalize); any other model is refused with a pointer to the torch
backend. Neither torch nor sentence-transformers is imported by it.

The export (``export_onnx``; ``python -m store.onnx_model export [--out DIR]``) loads the model with
sentence-transformers on torch, writes ``model.onnx`` (``torch.onnx.export`` of the BERT body, TorchScript
exporter, opset 17, dynamic batch and sequence axes) and ``model-int8.onnx`` (onnxruntime's
``quantize_dynamic``: int8 weights, per channel, symmetric; activations quantized per call), and an
``export.json`` naming the model, the sha256 of each source file, the library versions and the sha256 of
both outputs. Everything is written into a temporary folder beside the target and renamed into place under
a file lock, so two processes never see (or write) half an export.

The export is deterministic: two exports of the same model files with the same library versions are
byte-identical (both .onnx files and export.json; checked with ``python -m store.onnx_model export --out A``
and ``--out B`` and sha256 of the files). Which CPU runs the export does not matter; which CPU runs the int8
model can (onnxruntime's integer kernels differ between AVX2, AVX512 and VNNI), so int8 vectors may differ
slightly between machines. Activations are quantized per call, so the int8 model is run one text at a time
(``OnnxEncoder.per_text``): a text's vector never depends on what it was embedded beside.

Default location: ``~/.cache/panel-papers/onnx/<model>-<12 hex of the source files' hash>/`` (under
``$XDG_CACHE_HOME`` when set), or the ``onnx_dir`` setting. The source files' sha256 are remembered by size
and mtime in ``file-hashes.json`` beside the exports, so a process does not hash the 90 MB of weights at
every start.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from core.hashing import file_hash
from store.embeddings import load_sentence_transformer, resolve_model_path

FP32_FILE = "model.onnx"
INT8_FILE = "model-int8.onnx"
MANIFEST = "export.json"
OPSET = 17
# The files of a sentence-transformers model folder that decide its vectors (those present are hashed).
SOURCE_FILES = ("config.json", "model.safetensors", "pytorch_model.bin", "tokenizer.json", "tokenizer_config.json",
                "special_tokens_map.json", "vocab.txt", "modules.json", "sentence_bert_config.json",
                "config_sentence_transformers.json")
QUANTIZATION = {"weight_type": "QInt8", "per_channel": True, "reduce_range": False,
                "extra_options": {"WeightSymmetric": True, "ActivationSymmetric": False}}
SUPPORTED_MODULES = ("sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling",
                     "sentence_transformers.models.Normalize")


# -- the model folder's files ------------------------------------------------------------------------
def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "panel-papers"


_hash_memo: dict[tuple[str, int, int], str] = {}
_hash_lock = threading.Lock()


def _file_hashes(paths: list[Path]) -> dict[str, str]:
    """sha256 of each file, remembered by (path, size, mtime) in this process and on disk."""
    memo_file = cache_root() / "onnx" / "file-hashes.json"
    with _hash_lock:
        try:
            on_disk = json.loads(memo_file.read_text())
        except (OSError, ValueError):
            on_disk = {}
        found, changed = {}, False
        for path in paths:
            stat = path.stat()
            key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
            known = on_disk.get(key[0])
            if key in _hash_memo:
                found[str(path)] = _hash_memo[key]
                continue
            if known and known[:2] == [stat.st_size, stat.st_mtime_ns]:
                sha = known[2]
            else:
                sha, changed = file_hash(path), True
                on_disk[key[0]] = [stat.st_size, stat.st_mtime_ns, sha]
            _hash_memo[key] = found[str(path)] = sha
        if changed:  # best effort: a cache that cannot be written only costs hashing again
            with contextlib.suppress(OSError):
                memo_file.parent.mkdir(parents=True, exist_ok=True)
                temporary = memo_file.with_name(f".{memo_file.name}.{os.getpid()}.{threading.get_ident()}")
                temporary.write_text(json.dumps(on_disk, indent=1, sort_keys=True))
                os.replace(temporary, memo_file)
        return found


def _module_config_files(model_path: Path) -> list[str]:
    modules = json.loads((model_path / "modules.json").read_text()) if (model_path / "modules.json").is_file() else []
    return [f"{m['path']}/config.json" for m in modules
            if m.get("path") and (model_path / m["path"] / "config.json").is_file()]


def source_hashes(model_path: Path) -> dict[str, str]:
    """sha256 of each file of the model folder that decides its vectors, by its path in the folder."""
    names = [n for n in SOURCE_FILES if (model_path / n).is_file()] + _module_config_files(model_path)
    hashes = _file_hashes([model_path / n for n in names])
    return {n: hashes[str(model_path / n)] for n in names}


def source_digest(hashes: dict[str, str]) -> str:
    return hashlib.sha256("".join(f"{n}\0{h}\n" for n, h in sorted(hashes.items())).encode()).hexdigest()


def default_export_dir(model_name: str) -> Path:
    model_path = resolve_model_path(model_name)
    stem = Path(model_name).name if Path(model_name).expanduser().is_dir() else model_name
    return cache_root() / "onnx" / f"{stem}-{source_digest(source_hashes(model_path))[:12]}"


@dataclass(frozen=True)
class Pipeline:
    """What sentence-transformers would do with the folder: truncate to max_seq_length, mean-pool, normalise."""

    max_seq_length: int
    normalize: bool
    dimension: int


def read_pipeline(model_path: Path) -> Pipeline:
    def load(name: str) -> dict:
        path = model_path / name
        return json.loads(path.read_text()) if path.is_file() else {}

    modules = load("modules.json")
    refuse = f"the ONNX embedding backends handle a Transformer + mean Pooling model only; {model_path} has"
    kinds = [m.get("type", "") for m in modules]
    if not kinds or kinds[0] != SUPPORTED_MODULES[0] or any(k not in SUPPORTED_MODULES for k in kinds):
        raise ValueError(f"{refuse} modules {kinds}: use embedding_backend = \"torch\"")
    pooling = next((load(f"{m['path']}/config.json") for m in modules if m["type"].endswith(".Pooling")), {})
    modes = sorted(k for k, v in pooling.items() if k.startswith("pooling_mode") and v)
    if modes != ["pooling_mode_mean_tokens"]:
        raise ValueError(f"{refuse} pooling {modes}: use embedding_backend = \"torch\"")
    # sentence-transformers truncates to max_seq_length, itself at most the tokenizer's model_max_length.
    limits = [load("sentence_bert_config.json").get("max_seq_length"), load("tokenizer_config.json").get(
        "model_max_length"), load("config.json").get("max_position_embeddings")]
    return Pipeline(max_seq_length=int(min(x for x in limits if isinstance(x, int))),
                    normalize=any(k.endswith(".Normalize") for k in kinds),
                    dimension=int(pooling.get("word_embedding_dimension") or load("config.json")["hidden_size"]))


# -- running it --------------------------------------------------------------------------------------
class OnnxEncoder:
    """Texts → unit vectors with onnxruntime, the same maths as ``SentenceTransformer.encode`` for the folder.

    Safe to call from several threads: onnxruntime's ``InferenceSession.run`` is, and the tokenizer is only
    read after it is set up here (its truncation and padding are never changed per call)."""

    def __init__(self, model_path: Path, onnx_file: Path, threads: int = 0):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.model_path, self.onnx_file = Path(model_path), Path(onnx_file)
        # The int8 model quantizes activations with one scale per call: texts run together would change
        # each other's vectors (cosine down to 0.98 between a text alone and in a batch of 32), so a passage
        # stored at ingest and the same words asked as a question would not meet at 1.0. It runs each text
        # alone: the vector is the text's own, and, with no padding computed, no slower (measured:
        # ``python -m evals.bench_backends``).
        self.per_text = "int8" in self.onnx_file.name
        self.workers = os.cpu_count() or 1  # calls run at once when embedding many texts (``encode``)
        self._threads: ThreadPoolExecutor | None = None
        self._threads_lock = threading.Lock()
        self.pipeline = read_pipeline(self.model_path)
        tokenizer = Tokenizer.from_file(str(self.model_path / "tokenizer.json"))
        # tokenizer.json carries its own fixed padding and truncation (128 for all-MiniLM-L6-v2): both are
        # replaced by what sentence-transformers does, truncation to max_seq_length (special tokens included)
        # and padding to the longest text of the batch.
        padding = tokenizer.padding or {}
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=self.pipeline.max_seq_length)
        tokenizer.enable_padding(pad_id=padding.get("pad_id", 0), pad_type_id=padding.get("pad_type_id", 0),
                                 pad_token=padding.get("pad_token", "[PAD]"))
        self.tokenizer = tokenizer
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(0, int(threads))  # 0: onnxruntime's default, one per physical core
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # Idle pool threads that spin steal the cores of a shared machine (and of the other users' questions).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(self.onnx_file), options, providers=["CPUExecutionProvider"])
        self._inputs = [i.name for i in self.session.get_inputs()]

    def _pool(self) -> ThreadPoolExecutor:
        with self._threads_lock:
            if self._threads is None:
                self._threads = ThreadPoolExecutor(self.workers, thread_name_prefix="embed")
            return self._threads

    def _batch(self, texts: list[str]) -> np.ndarray:
        encoded = self.tokenizer.encode_batch(texts)
        ids = np.asarray([e.ids for e in encoded], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in encoded], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask,
                "token_type_ids": np.asarray([e.type_ids for e in encoded], dtype=np.int64)}
        hidden = self.session.run(None, {name: feed[name] for name in self._inputs})[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled.astype(np.float32)

    def encode(self, sentences: str | list[str], batch_size: int = 32, normalize_embeddings: bool = False,
               show_progress_bar: bool | None = None, convert_to_numpy: bool = True, **_ignored) -> np.ndarray:
        """As ``SentenceTransformer.encode``: texts longest first in batches (less padding), results in input
        order; unit vectors when the folder ends in Normalize or ``normalize_embeddings`` is set."""
        single = isinstance(sentences, str)
        texts = [str(t) for t in ([sentences] if single else sentences)]
        out = np.zeros((len(texts), self.pipeline.dimension), dtype=np.float32)
        order = np.argsort([-len(t) for t in texts], kind="stable")
        if self.per_text and len(texts) > 1 and self.workers > 1:
            # One text per call, a call per core at once (onnxruntime releases the GIL): an ingest's pages
            # are read by then (``ingest.parallel``), and one single-threaded call would leave a core idle.
            vectors = self._pool().map(lambda i: self._batch([texts[i]])[0], order)
            for n, vector in zip(order, vectors, strict=True):
                out[n] = vector
        else:
            size = 1 if self.per_text else max(1, batch_size)
            for start in range(0, len(texts), size):
                picked = order[start : start + size]
                out[picked] = self._batch([texts[i] for i in picked])
        if self.pipeline.normalize or normalize_embeddings:
            out /= np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-12, None)
        return out[0] if single else out


# -- the export --------------------------------------------------------------------------------------
@contextlib.contextmanager
def quiet():
    """torch.onnx's, the quantizer's and onnxruntime's chatter kept off the terminal."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        previous = logging.root.level
        logging.root.setLevel(logging.ERROR)
        try:
            yield
        finally:
            logging.root.setLevel(previous)


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return ""


def export_bert_body(model, path: Path) -> None:
    """torch.onnx.export (TorchScript exporter) of the BERT body: ids, mask, types → last hidden state."""
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
    with quiet(), torch.no_grad():
        torch.onnx.export(Body(model[0].model).eval(), tuple(sample[k] for k in inputs), str(path),
                          dynamo=False, input_names=list(inputs), output_names=["last_hidden_state"],
                          dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True)


def _write_export(model_name: str, folder: Path) -> None:
    """The two models and export.json, written into ``folder`` (an empty temporary folder)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model_path = resolve_model_path(model_name)
    sources = source_hashes(model_path)
    model = load_sentence_transformer(model_name)
    export_bert_body(model, folder / FP32_FILE)
    with quiet():
        quantize_dynamic(str(folder / FP32_FILE), str(folder / INT8_FILE), per_channel=QUANTIZATION["per_channel"],
                         reduce_range=QUANTIZATION["reduce_range"], weight_type=QuantType.QInt8,
                         extra_options=dict(QUANTIZATION["extra_options"]))
    manifest = {
        "model": model_name,
        "source_files": sources,
        "source_digest": source_digest(sources),
        "opset": OPSET,
        "quantization": QUANTIZATION,
        "versions": {p: _version(p) for p in ("torch", "onnx", "onnxruntime", "transformers",
                                              "sentence-transformers", "tokenizers")},
        "outputs": {name: file_hash(folder / name) for name in (FP32_FILE, INT8_FILE)},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def read_manifest(folder: Path) -> dict | None:
    try:
        return json.loads((Path(folder) / MANIFEST).read_text())
    except (OSError, ValueError):
        return None


def is_complete(folder: Path, model_name: str) -> bool:
    """An export of the model's current files is in ``folder`` (export.json is written last, and the folder
    only ever appears whole, by rename)."""
    manifest = read_manifest(folder)
    if not manifest or not all((Path(folder) / name).is_file() for name in (FP32_FILE, INT8_FILE)):
        return False
    return manifest.get("source_digest") == source_digest(source_hashes(resolve_model_path(model_name)))


def _lock(folder: Path):
    import filelock

    folder.parent.mkdir(parents=True, exist_ok=True)
    return filelock.FileLock(str(folder.parent / f".{folder.name}.lock"))


def _build(model_name: str, folder: Path) -> None:
    """Export into a temporary folder beside ``folder``, then rename it into place (the caller holds the lock)."""
    for stale in folder.parent.glob(f".{folder.name}.tmp-*"):  # left by a killed export (we hold the lock)
        shutil.rmtree(stale, ignore_errors=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{folder.name}.tmp-", dir=folder.parent))
    temporary.chmod(0o755)  # mkdtemp's 0700 would keep a shared onnx_dir from the other users of the index
    try:
        _write_export(model_name, temporary)
        if folder.exists():  # an old or broken export: moved aside, then removed
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.tmp-", dir=folder.parent))
            folder.rename(old / "old")
            temporary.rename(folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            temporary.rename(folder)
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)


def export_onnx(model_name: str, out_dir: Path | str) -> Path:
    """Export the model to ``out_dir`` (replacing what is there), under the folder's lock; returns ``out_dir``."""
    folder = Path(out_dir).expanduser().resolve()
    with _lock(folder):
        _build(model_name, folder)
    return folder


def ensure_export(model_name: str, onnx_dir: Path | str | None = None) -> Path:
    """The export folder of the model, exported first (once, whichever process gets there first) if missing."""
    folder = Path(onnx_dir).expanduser().resolve() if onnx_dir else default_export_dir(model_name)
    if is_complete(folder, model_name):
        return folder
    with _lock(folder):
        if not is_complete(folder, model_name):  # another process may have exported it while we waited
            print(f"panel-papers: exporting the embedding model {model_name} to ONNX in {folder} (once)",
                  file=sys.stderr, flush=True)
            _build(model_name, folder)
    return folder


def load_encoder(model_name: str, quantized: bool = True, threads: int = 0,
                 onnx_dir: Path | str | None = None) -> OnnxEncoder:
    folder = ensure_export(model_name, onnx_dir)
    return OnnxEncoder(resolve_model_path(model_name), folder / (INT8_FILE if quantized else FP32_FILE), threads)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m store.onnx_model", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="export the embedding model to ONNX (fp32 and int8)")
    export.add_argument("--out", type=Path, help="the folder to write (default: the onnx_dir setting, or the "
                                                 "per-user cache folder)")
    export.add_argument("--model", help="the model (default: the embedding_model setting)")
    args = parser.parse_args(argv)

    from core.settings import Settings

    store = Settings.load().store
    model_name = args.model or store.embedding_model
    out = args.out or store.onnx_dir or default_export_dir(model_name)
    folder = export_onnx(model_name, out)
    manifest = read_manifest(folder) or {}
    print(f"exported {model_name} to {folder}")
    for name, sha in manifest.get("outputs", {}).items():
        print(f"  {name}  {(folder / name).stat().st_size / 1e6:6.1f} MB  sha256 {sha}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
