"""Chunks and decisions → Chroma, through langchain-chroma; a registry of documents beside them.

Writing a document is made all-or-nothing for readers with three steps:
1. a *pending* marker names the document before any of its new chunks is written;
2. the chunks and decisions are added under a new version (the file's content hash);
3. the registry record flips to the new version, old versions are deleted, the marker goes.
Readers only trust chunks whose (document, version) the registry holds, and ``repair()`` finishes
or undoes whatever a crash left behind, so a killed ingest never shows half a document.

Writers (ingest, removal, repair) take an inter-process lock file in the index folder: embedded
Chroma is not safe for two writers at once, and repair must never undo a write still under way.
A Chroma client that stays open beside a writer that was killed may not see that writer's last
logged batch, so each writer first brings its view up to date (``catch_up``), and deletions are read
back and repeated until nothing is left.

A SIGKILL while embedded Chroma persists its vector index can leave that index's files disagreeing
with each other: then every read of the collection fails, or Chroma's native loader crashes the whole
process (both seen in the kill loop). So the files are checked before Chroma loads them
(``damaged_segment_files``; a doubtful case is loaded in a throwaway process first), and whoever
finds damage empties the damaged collection under the writer lock, marks every document "rebuild"
(so readers see each wholly absent, never half) and ``ingest.pipeline`` writes them again from the
index's own copies of the papers.
"""

from __future__ import annotations

import shutil
import sqlite3
import struct
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import chromadb
import filelock
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import InternalError
from langchain_chroma import Chroma
from langchain_core.documents import Document

from ingest.dates import date_key
from ingest.embeddings import EmbeddingCache, PanelEmbeddings
from ingest.records import Chunk, Decision, DocumentInfo
from ingest.settings import Settings

BATCH = 256


class IndexUnavailable(RuntimeError):
    """The Chroma server cannot be reached (or the embedded store cannot be opened)."""


def is_damage(exc: BaseException) -> bool:
    """Chroma's error for a vector index that cannot be loaded or replayed (every read of the collection
    fails alike); a busy or locked database is not damage."""
    return isinstance(exc, InternalError) and "hnsw" in str(exc).lower()


HNSW_PROBE = """
import sys, chromadb
from chromadb.config import Settings
client = chromadb.PersistentClient(path=sys.argv[1], settings=Settings(anonymized_telemetry=False))
try:
    collection = client.get_collection(sys.argv[2])
    if collection.count():  # a search loads the vector index itself
        vector = collection.get(limit=1, include=["embeddings"])["embeddings"][0]
        collection.query(query_embeddings=[vector], n_results=1)
except Exception as exc:
    sys.exit(3 if "hnsw" in str(exc).lower() else 0)
"""


def _hnsw_files_state(folder: Path) -> str:
    """"fine", "damaged" or "unsure", from hnswlib's persisted files (format 1, as Chroma 1.5 writes
    them): the header gives the element count, capacity and bytes per element; data_level0.bin and
    length.bin hold the same number of elements: the count, or the capacity while the files still have
    the size they were created with. Fewer than the header counts, or files that disagree, is a kill
    mid-persist; more than it counts is what another kill left (its load crashed the process), so that
    is checked by loading it in a throwaway process."""
    header = folder / "header.bin"
    if not header.is_file():
        return "fine"  # never persisted: Chroma builds it from its log
    raw = header.read_bytes()
    if len(raw) < 36:
        return "damaged"
    version, _offset, capacity, count, bytes_per_element = struct.unpack_from("<i4Q", raw, 0)
    if version != 1 or not bytes_per_element:
        return "fine"  # a format this check does not know: leave it to Chroma
    data, length = folder / "data_level0.bin", folder / "length.bin"
    if not (data.is_file() and length.is_file()):
        return "damaged"
    held, rest = divmod(data.stat().st_size, bytes_per_element)
    if rest or length.stat().st_size != held * 4 or held < count:
        return "damaged"
    return "fine" if held in (count, capacity) else "unsure"


def damaged_segment_files(chroma_dir: Path) -> dict[str, Path]:
    """Collections of an embedded store whose persisted vector-index files are damaged: name → folder.
    Read from Chroma's own SQLite catalogue, read-only, before this process lets Chroma load anything."""
    catalogue = chroma_dir / "chroma.sqlite3"
    if not catalogue.is_file():
        return {}
    try:
        with sqlite3.connect(f"file:{catalogue}?mode=ro", uri=True) as db:
            rows = db.execute("SELECT s.id, c.name FROM segments s JOIN collections c ON s.collection = c.id "
                              "WHERE s.scope = 'VECTOR'").fetchall()
    except sqlite3.Error:
        return {}  # a catalogue this check cannot read: Chroma will say what is wrong
    damaged = {}
    for segment, name in rows:
        state = _hnsw_files_state(chroma_dir / segment)
        if state == "unsure":
            try:
                probe = subprocess.run([sys.executable, "-c", HNSW_PROBE, str(chroma_dir), name],
                                       capture_output=True, timeout=300)
                state = "damaged" if probe.returncode < 0 or probe.returncode == 3 else "fine"
            except subprocess.TimeoutExpired:
                state = "fine"  # slow is not damaged
        if state == "damaged":
            damaged[name] = chroma_dir / segment
    return damaged


class IndexBusy(RuntimeError):
    """Another process holds the index's writer lock for longer than we wait."""


def _clean_metadata(values: dict) -> dict:
    """Chroma takes str, int, float and bool only: drop the Nones."""
    return {k: v for k, v in values.items() if v is not None and not isinstance(v, list | dict)}


def chunk_metadata(chunk: Chunk, version: str, title: str) -> dict:
    meta = asdict(chunk)
    meta.pop("text")
    meta.update(version=version, title=title, meeting_key=date_key(chunk.meeting_date))
    return _clean_metadata(meta)


def make_client(settings: Settings):
    telemetry_off = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.uses_server:
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port,
                                       settings=telemetry_off)
        path = settings.index_dir / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=telemetry_off)
    except Exception as exc:  # chromadb raises ValueError / ConnectionError / httpx errors
        where = f"{settings.chroma_host}:{settings.chroma_port}" if settings.uses_server else settings.index_dir
        raise IndexUnavailable(f"cannot reach the Chroma index at {where}: {exc}") from exc


class PanelIndex:
    """The index: chunk and decision vector stores plus the document registry."""

    def __init__(self, settings: Settings, embeddings: PanelEmbeddings | None = None):
        self.settings = settings
        if embeddings is None:
            cache = EmbeddingCache(Path(settings.index_dir) / "embedding-cache.sqlite")
            embeddings = PanelEmbeddings(settings.embedding_model, cache, settings.embed_batch_size)
        self.embeddings = embeddings
        chroma_dir = Path(settings.index_dir) / "chroma"
        self._damaged_files = {} if settings.uses_server else damaged_segment_files(chroma_dir)
        self.client = make_client(settings)
        prefix = settings.collection_prefix
        self.chunks = self._vector_store(f"{prefix}-chunks")
        self.decisions = self._vector_store(f"{prefix}-decisions")
        # The registry holds no text to search; a constant vector keeps Chroma from embedding anything.
        # Its few records are replayed from Chroma's log at open rather than persisted as a vector index,
        # so no kill can leave its index files half written.
        registry = f"{prefix}-documents"
        if registry in self._damaged_files:
            raise IndexUnavailable(f"the index's document registry is damaged ({self._damaged_files[registry]}): "
                                   f"move {chroma_dir} aside and ingest the papers again")
        self.registry = self.client.get_or_create_collection(
            registry, embedding_function=None,
            configuration={"hnsw": {"sync_threshold": 1_000_000, "batch_size": 100}})
        lock_dir = Path(settings.index_dir)
        lock_dir.mkdir(parents=True, exist_ok=True)
        self._writer_lock = filelock.FileLock(str(lock_dir / "writer.lock"))
        if self._damaged_files:  # reset now: Chroma must never load those files (it can crash the process)
            with self.writing():
                pass

    def _vector_store(self, name: str) -> Chroma:
        hnsw = {"space": "cosine", "sync_threshold": self.settings.hnsw_sync_threshold,
                "batch_size": min(100, self.settings.hnsw_sync_threshold)}
        return Chroma(client=self.client, collection_name=name, embedding_function=self.embeddings,
                      collection_configuration={"hnsw": hnsw})

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the writer lock (re-entrant within this object; released by the OS if the process dies)."""
        try:
            self._writer_lock.acquire(timeout=self.settings.writer_wait_seconds)
        except filelock.Timeout as exc:
            raise IndexBusy(f"the index is busy: another ingest or removal has held it for over "
                            f"{self.settings.writer_wait_seconds:.0f} s; try again when it has finished") from exc
        try:
            if self._writer_lock.lock_counter == 1:  # the outermost hold: see other processes' writes first
                self._reset_damaged()
                self.catch_up()
            yield
        finally:
            self._writer_lock.release()

    def catch_up(self) -> None:
        """Bring this client's view of the store up to date with what other processes wrote. An embedded
        Chroma client kept open beside a writer that was killed may not see that writer's last logged
        batch until it writes to the collection itself; a delete of an id that does not exist is a
        write that changes nothing (measured: ``pytest -s -k killed_writer tests/test_index.py``)."""
        for collection in (self.registry, self.chunks._collection, self.decisions._collection):
            collection.delete(ids=["-catch-up-"])

    # -- damage ---------------------------------------------------------------------------------------
    def damaged(self) -> list[str]:
        """The content collections that cannot be read (see the module's last paragraph). Embedded mode
        only: a Chroma server's internal error may be passing, and is never a reason to empty a store."""
        if self.settings.uses_server:
            return []
        if self._damaged_files:  # look again under the lock: files a live process was writing settle
            again = damaged_segment_files(Path(self.settings.index_dir) / "chroma")
            self._damaged_files = {name: folder for name, folder in again.items() if name in self._damaged_files}
        broken = list(self._damaged_files)
        for store in (self.chunks, self.decisions):
            if store._collection.name in broken:
                continue  # never probed: loading those files can crash the process
            try:
                store._collection.count()
            except InternalError as exc:
                if is_damage(exc):
                    broken.append(store._collection.name)
        return broken

    def _reset_damaged(self) -> list[str]:
        """Empty each damaged collection and mark every document for rebuilding (under the lock)."""
        broken = self.damaged()
        if not broken:
            return []
        for name in broken:
            self.client.delete_collection(name)
            folder = self._damaged_files.pop(name, None)
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)  # no segment names these files any more
        prefix = self.settings.collection_prefix
        self.chunks = self._vector_store(f"{prefix}-chunks")
        self.decisions = self._vector_store(f"{prefix}-decisions")
        for name, record in self.documents().items():
            self._put_registry(f"doc:{name}", {**record, "status": "rebuild"})
        # The undamaged collection's records now belong to no live version; repair's sweep clears them.
        return broken

    def to_rebuild(self) -> dict[str, dict]:
        """Documents whose passages were lost with a damaged collection: name → registry record."""
        got = self.registry.get(where={"status": "rebuild"}, include=["metadatas"])
        return {m["document"]: m for m in got["metadatas"]}

    # -- the registry ---------------------------------------------------------------------------
    def documents(self) -> dict[str, dict]:
        """Every wholly indexed document: name → its registry record."""
        got = self.registry.get(where={"status": "complete"}, include=["metadatas"])
        return {m["document"]: m for m in got["metadatas"]}

    def _pending(self) -> list[dict]:
        return self.registry.get(where={"status": "pending"}, include=["metadatas"])["metadatas"]

    def _put_registry(self, record_id: str, meta: dict) -> None:
        self.registry.upsert(ids=[record_id], metadatas=[_clean_metadata(meta)], embeddings=[[1.0, 0.0]])

    def is_current(self, document: str, content_hash: str) -> bool:
        record = self.documents().get(document)
        return bool(record) and record.get("content_hash") == content_hash

    # -- writing --------------------------------------------------------------------------------
    def _delete_versions(self, document: str, keep: str | None = None, only: str | None = None) -> None:
        """Delete a document's chunks and decisions: all of them, all but version ``keep``, or ``only`` one."""
        where: dict = {"document": document}
        if keep or only:
            version = {"$ne": keep} if keep else only
            where = {"$and": [{"document": document}, {"version": version}]}
        for store in (self.chunks, self.decisions):
            self._delete_where(store._collection, where)

    @staticmethod
    def _delete_where(collection, where: dict, passes: int = 5) -> None:
        """Delete, then look again: records a killed writer logged but Chroma had not yet applied can
        surface only after the first delete (seen with a client kept open across another process's
        SIGKILL), so the delete repeats until a read finds none."""
        for _ in range(passes):
            collection.delete(where=where)
            left = collection.get(where=where, include=[], limit=BATCH)["ids"]
            if not left:
                return
            collection.delete(ids=left)

    def repair(self) -> int:
        """Finish or undo what an interrupted write or removal left, then sweep out any chunk or decision
        no registered version owns; returns how many documents had something to repair."""
        with self.writing():
            pending = self._pending()
            current = self.documents()
            repaired = {marker["document"] for marker in pending}
            for marker in pending:
                document = marker["document"]
                keep = current.get(document, {}).get("version")
                self._delete_versions(document, keep)
                self.registry.delete(ids=[f"pending:{document}"])
            # Under the lock no write is under way, so anything not live is left over from a crash.
            live = {name: record.get("version") for name, record in current.items()}
            for store in (self.chunks, self.decisions):
                repaired |= self._sweep(store._collection, live)
            return len(repaired)

    def _sweep(self, collection, live: dict[str, str], passes: int = 5) -> set[str]:
        """Delete every record whose (document, version) is not live; look again after deleting, for the
        same reason as ``_delete_where``. Returns the documents that had strays."""
        documents: set[str] = set()
        for _ in range(passes):
            got = self.get_all(collection, include=["metadatas"])
            stray = [(i, m.get("document")) for i, m in zip(got["ids"], got["metadatas"], strict=True)
                     if live.get(m.get("document")) != m.get("version")]
            if not stray:
                break
            for start in range(0, len(stray), BATCH):
                collection.delete(ids=[i for i, _ in stray[start : start + BATCH]])
            documents |= {document for _, document in stray}
        return documents

    def write_document(self, info: DocumentInfo, chunks: list[Chunk], decisions: list[Decision],
                       source: str = "", on_batch=None) -> None:
        with self.writing():
            self._write_document(info, chunks, decisions, source, on_batch)

    def _write_document(self, info: DocumentInfo, chunks: list[Chunk], decisions: list[Decision],
                        source: str, on_batch) -> None:
        version = info.content_hash[:16]
        document = info.document
        self._put_registry(f"pending:{document}", {"document": document, "status": "pending",
                                                    "version": version})
        self._delete_versions(document, only=version)  # a crashed earlier attempt at this version
        texts = [c.embed_text for c in chunks]
        vectors = self.embeddings.embed_documents(texts)
        for start in range(0, len(chunks), BATCH):
            part = chunks[start : start + BATCH]
            self.chunks._collection.add(
                ids=[f"{version}:{start + i}" for i in range(len(part))],
                documents=[c.text for c in part],
                embeddings=vectors[start : start + BATCH],
                metadatas=[chunk_metadata(c, version, info.title) for c in part],
            )
            if on_batch:
                on_batch(len(part))
        if decisions:
            decision_texts = [f"{d.minute_title or ''}\n{d.text}".strip() for d in decisions]
            decision_vectors = self.embeddings.embed_documents(decision_texts)
            self.decisions._collection.add(
                ids=[f"{version}:d{i}" for i in range(len(decisions))],
                documents=[d.text for d in decisions],
                embeddings=decision_vectors,
                metadatas=[_clean_metadata({**d.to_dict(), "version": version, "title": info.title,
                                            "meeting_key": date_key(d.meeting_date)}) for d in decisions],
            )
        self._put_registry(f"doc:{document}", {
            **asdict(info), "status": "complete", "version": version, "chunks": len(chunks),
            "decisions": len(decisions), "ingested_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "meeting_key": date_key(info.meeting_date), "source": source,
        })
        self._delete_versions(document, keep=version)
        self.registry.delete(ids=[f"pending:{document}"])

    def remove(self, document: str) -> bool:
        with self.writing():
            if document not in self.documents() and document not in self.to_rebuild():
                return False
            self._put_registry(f"pending:{document}", {"document": document, "status": "pending"})
            self.registry.delete(ids=[f"doc:{document}"])
            self._delete_versions(document, keep=None)
            self.registry.delete(ids=[f"pending:{document}"])
            return True

    # -- reading --------------------------------------------------------------------------------
    def live_versions(self) -> dict[str, str]:
        return {name: rec.get("version", "") for name, rec in self.documents().items()}

    def search_chunks(self, query: str, k: int = 8, where: dict | None = None) -> list[tuple[Document, float]]:
        """Dense search; only chunks of wholly indexed documents are returned."""
        live = self.live_versions()
        if not live:
            return []
        vector = self.embeddings.embed_query(query)
        hits = self.chunks.similarity_search_by_vector_with_relevance_scores(vector, k=k * 2, filter=where)
        kept = [(doc, score) for doc, score in hits
                if live.get(doc.metadata.get("document")) == doc.metadata.get("version")]
        return kept[:k]

    @staticmethod
    def get_all(collection, where: dict | None = None, include: list[str] | None = None,
                page: int = 5000) -> dict[str, list]:
        """A collection's records in pages: one unpaged get of 100,000 records exceeds SQLite's
        limit of bound variables inside Chroma."""
        include = include or ["metadatas", "documents"]
        merged: dict[str, list] = {"ids": [], **{key: [] for key in include}}
        offset = 0
        while True:
            got = collection.get(where=where, include=include, limit=page, offset=offset)
            for key in merged:
                merged[key].extend(got[key])
            if len(got["ids"]) < page:
                return merged
            offset += page

    def all_decisions(self, where: dict | None = None) -> list[dict]:
        live = self.live_versions()
        got = self.get_all(self.decisions._collection, where)
        rows = []
        for text, meta in zip(got["documents"], got["metadatas"], strict=True):
            if live.get(meta.get("document")) == meta.get("version"):
                rows.append({**meta, "text": text})
        rows.sort(key=lambda r: (r.get("meeting_key", 0), r.get("document", ""), r.get("page", 0)))
        return rows

    def iter_chunks(self, where: dict | None = None) -> Iterable[tuple[str, dict]]:
        """Every live chunk's text and metadata (for BM25 and evaluation)."""
        live = self.live_versions()
        got = self.get_all(self.chunks._collection, where)
        for text, meta in zip(got["documents"], got["metadatas"], strict=True):
            if live.get(meta.get("document")) == meta.get("version"):
                yield text, meta

    def stats(self) -> dict:
        docs = self.documents()
        return {
            "documents": len(docs),
            "pages": sum(int(r.get("pages", 0)) for r in docs.values()),
            "chunks": sum(int(r.get("chunks", 0)) for r in docs.values()),
            "decisions": sum(int(r.get("decisions", 0)) for r in docs.values()),
            "last_ingest": max((r.get("ingested_at", "") for r in docs.values()), default=None),
            "stored_chunks": self.chunks._collection.count(),
        }
