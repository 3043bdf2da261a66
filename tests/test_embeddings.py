"""The embedding backends with the real model: the ONNX int8 default against torch fp32 on real corpus sentences,
the export made once under a lock and renamed into place, no torch at query time, a cache key and an index
record per backend, and one clear error for a backend that does not exist."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pdfplumber
import pytest

from core.errors import SettingsError
from core.records import Chunk, ChunkKind, DocumentInfo
from core.settings import EMBEDDING_BACKENDS, Settings
from store import codec
from store.embeddings import EmbeddingCache, PanelEmbeddings
from store.onnx_model import FP32_FILE, INT8_FILE, MANIFEST
from tests.conftest import REPO

MODEL = Settings().store.embedding_model
# Pages of two corpus papers whose sentences the backends embed (about 60 sentences of 8 to 45 words).
PAGES = (("kent-cpp-2018-09-19-agenda-pack.pdf", range(2, 8)),
         ("kent-county-council-2020-03-19-annual-report.pdf", range(1, 6)))
QUESTIONS = [
    "Who replaced Trudy Dean as Vice-Chairman?",
    "What did the film about activity days show?",
    "How could teachers avoid adding to the stigma of being in care?",
    "How will the progress of children in care be measured?",
    "What is the Lifelong Links project for?",
    "How many children in care is Kent a corporate parent to?",
    "When were Integrated Children's Services restructured?",
    "Which services make up corporate parenting?",
    "Who sent apologies for absence?",
    "Were the minutes of the meeting on 1 June 2018 agreed?",
]

# Embeds with an ONNX backend into an empty onnx_dir; prints whether torch was imported on the way.
EMBED = """
import sys
from store.embeddings import PanelEmbeddings
embeddings = PanelEmbeddings(sys.argv[1], backend="onnx-int8", onnx_dir=sys.argv[2])
assert len(embeddings.embed_query("fostering")) == 384
print("torch" in sys.modules)
"""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict:
    """Two processes embed at once with the same empty onnx_dir: one exports, the other waits for it. Meanwhile
    the folder is watched: it must never be seen without its export.json (it appears whole, by rename)."""
    folder = tmp_path_factory.mktemp("onnx") / "export"
    processes = [subprocess.Popen([sys.executable, "-c", EMBED, MODEL, str(folder)], cwd=REPO, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    half_seen, temporary_seen = False, False
    deadline = time.monotonic() + 300
    while any(p.poll() is None for p in processes) and time.monotonic() < deadline:
        temporary_seen |= any(folder.parent.glob(f".{folder.name}.tmp-*"))
        if folder.exists() and not (folder / MANIFEST).exists():
            half_seen = True
        time.sleep(0.05)
    results = [(*p.communicate(timeout=60), p.returncode) for p in processes]
    return {"folder": folder, "results": results, "half_seen": half_seen, "temporary_seen": temporary_seen}


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    found = []
    for name, pages in PAGES:
        with pdfplumber.open(REPO / "corpus" / name) as pdf:
            for number in pages:
                text = " ".join((pdf.pages[number].extract_text() or "").split())
                found += [s for s in re.split(r"(?<=[.!?])\s+", text) if 8 <= len(s.split()) <= 45]
    assert len(found) >= 50
    return found


@pytest.fixture(scope="module")
def vectors(exported, sentences) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each backend's vectors of the sentences (one batched call) and of the questions (one query at a time)."""
    out = {}
    for backend in ("torch", "onnx-fp32", "onnx-int8"):
        embeddings = PanelEmbeddings(MODEL, backend=backend, onnx_dir=exported["folder"])
        out[backend] = (np.asarray(embeddings.embed_documents(sentences), dtype=np.float32),
                        np.asarray([embeddings.embed_query(q) for q in QUESTIONS], dtype=np.float32))
    return out


def test_the_export_is_made_once_under_a_lock_and_appears_whole(exported):
    folder = exported["folder"]
    for _, stderr, code in exported["results"]:
        assert code == 0, stderr[-800:]
    announced = [line for _, stderr, _ in exported["results"] for line in stderr.splitlines()
                 if "exporting the embedding model" in line]
    assert len(announced) == 1, announced
    # The exporter needed torch; the other process waited on the lock, found the export and never imported it.
    assert sorted(stdout.strip() for stdout, _, _ in exported["results"]) == ["False", "True"]
    assert exported["temporary_seen"] and not exported["half_seen"]
    assert not list(folder.parent.glob(f".{folder.name}.tmp-*")), "the temporary folder was renamed, none is left"
    assert (folder.parent / f".{folder.name}.lock").exists()
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["model"] == MODEL and manifest["source_files"]["model.safetensors"]
    assert manifest["outputs"] == {name: _sha256(folder / name) for name in (FP32_FILE, INT8_FILE)}
    assert manifest["versions"]["onnxruntime"] and manifest["versions"]["torch"]


def test_int8_vectors_stay_close_to_torch_fp32_and_fp32_is_the_same_maths(vectors):
    torch_docs, torch_questions = vectors["torch"]
    fp32_docs, fp32_questions = vectors["onnx-fp32"]
    int8_docs, int8_questions = vectors["onnx-int8"]
    assert np.allclose(np.linalg.norm(int8_docs, axis=1), 1.0, atol=1e-5)
    # Same tokenizer, truncation, pooling and normalisation as sentence-transformers: only float rounding differs.
    assert ((fp32_docs * torch_docs).sum(axis=1) > 0.9999).all()
    assert ((fp32_questions * torch_questions).sum(axis=1) > 0.9999).all()
    cosines = np.concatenate([(int8_docs * torch_docs).sum(axis=1), (int8_questions * torch_questions).sum(axis=1)])
    assert cosines.min() >= 0.98, cosines.min()
    assert cosines.mean() >= 0.99, cosines.mean()


def test_int8_ranks_the_sentences_as_torch_does(vectors):
    torch_docs, torch_questions = vectors["torch"]
    int8_docs, int8_questions = vectors["onnx-int8"]
    torch_rank = np.argsort(-(torch_questions @ torch_docs.T), axis=1)
    int8_rank = np.argsort(-(int8_questions @ int8_docs.T), axis=1)
    agree = sum(int(a[0] == b[0]) for a, b in zip(torch_rank, int8_rank, strict=True))
    assert agree >= 8, f"top-1 agrees for {agree} of {len(QUESTIONS)} questions"
    assert all(b[0] in a[:3] for a, b in zip(torch_rank, int8_rank, strict=True))


NO_TORCH = """
import sys
from core.settings import Settings
from store.index import PanelIndex
index = PanelIndex(Settings.build(index_dir=sys.argv[1], onnx_dir=sys.argv[2]).store)
index.embeddings.embed_query("How many children are in care?")
index.embeddings.embed_documents(["The Panel noted the report.", "Foster carers were thanked."])
print([name for name in ("torch", "sentence_transformers", "transformers") if name in sys.modules])
"""


def test_an_onnx_backend_never_imports_torch(tmp_path, exported):
    done = subprocess.run([sys.executable, "-c", NO_TORCH, str(tmp_path / "index"), str(exported["folder"])],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-800:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_cache_keys_differ_per_backend_and_torch_keeps_its_old_key(tmp_path, exported):
    keys = {backend: PanelEmbeddings(MODEL, backend=backend)._key("text") for backend in EMBEDDING_BACKENDS}
    assert len(set(keys.values())) == len(EMBEDDING_BACKENDS)
    assert keys["torch"] == hashlib.sha256(f"{MODEL}\0text".encode()).hexdigest()  # caches made before stay valid
    assert PanelEmbeddings(MODEL).identity == f"{MODEL}/onnx-int8"
    # A vector cached by torch is not handed to the int8 backend, and the int8 one is then cached for it.
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    cache.put_many({keys["torch"]: [0.0] * 384})
    embeddings = PanelEmbeddings(MODEL, cache, onnx_dir=exported["folder"])
    first = embeddings.embed_documents(["text"])[0]
    assert embeddings.computed == 1 and abs(np.linalg.norm(first) - 1) < 1e-5
    assert embeddings.embed_documents(["text"])[0] == first and embeddings.computed == 1


def test_the_backend_settings_and_one_clear_error_for_an_unknown_backend(tmp_path):
    defaults = Settings.load(config_file="/nonexistent.toml", env={}).store
    assert (defaults.embedding_backend, defaults.embedding_threads, defaults.onnx_dir) == ("onnx-int8", 1, None)
    config = tmp_path / "panel.toml"
    config.write_text('[store]\nembedding_backend = "onnx-fp32"\nembedding_threads = 2\nonnx_dir = "/srv/onnx"\n')
    store = Settings.load(config_file=config, env={"PANEL_EMBEDDING_BACKEND": "torch"}).store
    assert (store.embedding_backend, store.embedding_threads, store.onnx_dir) == ("torch", 2, Path("/srv/onnx"))

    with pytest.raises(SettingsError) as raised:
        Settings.load(config_file="/nonexistent.toml", env={"PANEL_EMBEDDING_BACKEND": "onnx-int9"})
    message = str(raised.value)
    assert len(message.splitlines()) == 1
    assert "'embedding_backend'" in message and "'onnx-int9'" in message and "onnx-int8, onnx-fp32, torch" in message
    with pytest.raises(SettingsError, match="'gpu' is not one of"):
        Settings.build(embedding_backend="gpu")
    with pytest.raises(SettingsError, match="embedding_threads.*negative"):
        Settings.build(embedding_threads=-1)
    with pytest.raises(ValueError, match="unknown embedding backend 'gpu'"):
        PanelEmbeddings(MODEL, backend="gpu")

    built = PanelEmbeddings.from_settings(Settings.build(embedding_backend="onnx-fp32", embedding_threads=2,
                                                         onnx_dir=tmp_path / "onnx", embed_batch_size=8).store)
    assert (built.backend, built.threads, built.onnx_dir, built.batch_size) == ("onnx-fp32", 2, tmp_path / "onnx", 8)
    assert built.identity == f"{MODEL}/onnx-fp32" and built._model is None  # nothing loaded yet


def test_the_index_records_the_embedder_and_rewrites_papers_of_another(tmp_path, exported):
    from store.index import PanelIndex

    settings = Settings.build(index_dir=tmp_path / "index", onnx_dir=exported["folder"])
    index = PanelIndex(settings.store)
    info = DocumentInfo("a.pdf", "A paper", None, None, "report", "hash-a", 1)
    chunk = Chunk(document="a.pdf", text="The Panel noted the fostering report.", header="A paper",
                  kind=ChunkKind.NARRATIVE, page_start=1, page_end=1)
    index.write_document(info, [chunk], [])
    assert index.documents()["a.pdf"].embedder == f"{MODEL}/onnx-int8"
    assert index.is_current("a.pdf", "hash-a")
    other = PanelIndex(settings.store, PanelEmbeddings(MODEL, backend="onnx-fp32", onnx_dir=exported["folder"]))
    assert not other.is_current("a.pdf", "hash-a")
    # A registry record written before the index kept the embedder reads as "" (and is written again).
    old = codec.encode_document(info, status="complete", version="v1", schema=codec.SCHEMA)
    assert "embedder" not in old and codec.decode_document(old).embedder == ""
