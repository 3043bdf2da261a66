"""The index: chunk, decision and scorecard-row collections in Chroma, and a registry of documents.

Writing a document is made all-or-nothing for readers with three steps:
1. a *pending* marker names the document before any of its new records is written;
2. its chunks, decisions and scorecard rows are added under a new version (the file's content hash);
3. the registry record flips to the new version, old versions are deleted, the marker goes.
Readers only see records whose (document, version) the registry holds (``_live``), and ``repair()``
finishes or undoes whatever a crash left behind, so a killed ingest never shows half a document.

Writers (ingest, removal, repair) take an inter-process lock file in the index folder: embedded
Chroma is not safe for two writers at once, and repair must never undo a write still under way.
A process that keeps the store open (the app) opens it again from disk once another process has written
(``refresh``: a token every writer leaves in the folder), since embedded Chroma's memory of a vector index
never learns what another process persisted. A Chroma client that stays open beside a writer that was
killed may not see that writer's last logged batch, so each writer first brings its view up to date
(``catch_up``), and deletions are read back and repeated until nothing is left.

Vector-index files a kill left damaged are found before Chroma loads them (``store.damage``); whoever
finds damage empties the damaged collection under the writer lock and marks every document "rebuild"
(so readers see each wholly absent, never half); ``ingest.pipeline`` writes them again from the
index's own copies of the papers (``store.copies``).

Chroma is used directly (no LangChain layer): collections are opened with ``embedding_function=None``
and always given vectors, so Chroma's own ONNX model is never loaded or downloaded.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import chromadb
import filelock
import numpy as np
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import InternalError

from core.errors import IndexBusy, IndexUnavailable
from core.records import (
    Chunk,
    ChunkKind,
    Decision,
    DocumentInfo,
    DocumentRecord,
    DocumentStatus,
    Filters,
    ScorecardRow,
    StoredChunk,
    StoredDecision,
    StoredScorecardRow,
)
from core.sentences import sentences
from core.settings import StoreSettings
from store import codec
from store.damage import damaged_segment_files, is_damage, metadata_records
from store.embeddings import EmbeddingCache, PanelEmbeddings

BATCH = 256


# -- one embedded store per folder per process, reopened when another process has written ------------------
# Embedded Chroma keeps each collection's vector index in memory, shared by every client of one folder in a
# process (chromadb's own system cache). Another process's writes reach that memory through Chroma's log
# (``catch_up``) only until that process persists its vector files and purges the log; after that, this
# process's view lacks those vectors for good (reading one fails "Error finding id"), and its own next
# persist would write them away on disk (both seen in the kill loop: a long-lived process beside CLI writers).
# So every writer leaves a new token in the folder's ``written`` file, and a process that finds a token it
# has not seen drops its store and opens it again from disk.
WRITTEN = "written"
# Through a Chroma server the same token is a record of the registry (status "written"), upserted at the end
# of each hold of the lock that changed the store: a reader fetches that one record, not the whole registry
# (1,785 documents' records over HTTP took 148 ms; ``_registry``). A writer killed before its token is left
# is seen at the next write, or when the remembered registry is older than REGISTRY_MAX_AGE. (An embedded
# store needs no such age: a process holding it open sees another's writes only by reopening on a new token.)
WRITTEN_RECORD = "written"
REGISTRY_MAX_AGE = 60.0


class _ReadWriteLock:
    """Many readers or one writer; a waiting writer goes before readers that come after it, so a stream of
    questions never starves an ingest. Re-entrant for the writing thread only (a Chroma call never nests)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._readers = 0
        self._writer: int | None = None
        self._depth = 0
        self._writers_waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        if self._writer == threading.get_ident():
            yield
            return
        with self._changed:
            while self._writer is not None or self._writers_waiting:
                self._changed.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._changed:
                self._readers -= 1
                if not self._readers:
                    self._changed.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        me = threading.get_ident()
        with self._changed:
            if self._writer == me:
                self._depth += 1
            else:
                self._writers_waiting += 1
                while self._writer is not None or self._readers:
                    self._changed.wait()
                self._writers_waiting -= 1
                self._writer, self._depth = me, 1
        try:
            yield
        finally:
            with self._changed:
                self._depth -= 1
                if not self._depth:
                    self._writer = None
                    self._changed.notify_all()


class _GuardedCollection:
    """One collection of an open store, as every ``PanelIndex`` of the folder uses it. Each call goes to the
    store's current client (so a reopened store is used at once), and:

    - never overlaps a write from another thread of this process: embedded Chroma read beside a delete in
      the same process can find an id in its records whose vector is already gone ("Error finding id", seen
      in the load test while papers were uploaded and removed);
    - a read that meets another process's write (it persisted its vector files and purged Chroma's log
      before its ``written`` token, which comes at the end of its hold of the lock) opens the store again
      from disk and is tried again."""

    WRITES = frozenset({"add", "upsert", "update", "delete", "modify"})
    READ_TRIES = 4

    def __init__(self, opened: _OpenStore, name: str) -> None:
        self._opened = opened
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        found = getattr(self._opened.raw(self._name), attribute)
        if not callable(found):
            return found
        if attribute in self.WRITES:
            def written(*args, **kwargs):
                with self._opened.calls.writing():
                    self._opened.writes += 1  # before and after: a read spanning the write caches nothing
                    try:
                        return getattr(self._opened.raw(self._name), attribute)(*args, **kwargs)
                    finally:
                        self._opened.writes += 1
            return written

        def read(*args, **kwargs):
            for attempt in range(self.READ_TRIES):
                client = self._opened.client
                try:
                    with self._opened.calls.reading():
                        return getattr(self._opened.raw(self._name), attribute)(*args, **kwargs)
                except Exception as exc:
                    if (self._opened.store.uses_server or "Error finding id" not in str(exc)
                            or attempt == self.READ_TRIES - 1):
                        raise
                    self._opened.reopen(client)
                    time.sleep(0.05 * attempt)  # the other process may still be writing
            raise AssertionError("unreachable")

        return read


@dataclass
class _OpenStore:
    """A client and its collections, shared by every ``PanelIndex`` of one embedded folder in this process;
    opened again in place, so every index object sharing it moves to the new one."""

    store: StoreSettings
    client: Any = None
    token: str = ""
    collections: dict[str, Any] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    calls: _ReadWriteLock = field(default_factory=_ReadWriteLock)  # kept across reopening: see _GuardedCollection
    guarded: dict[str, _GuardedCollection] = field(default_factory=dict)
    opened: int = 0  # times opened (a reopened store's registry is read afresh)
    writes: int = 0  # this process's writes through ``_GuardedCollection``: a registry read remembered is stale
    # by status: (when, read at, records)
    registry_seen: dict[str, tuple[tuple, float, dict]] = field(default_factory=dict)

    def open(self) -> None:
        with self.lock:
            token = _written_token(self.store)  # read before opening: a write after it is seen next time
            self.client = make_client(self.store)
            self.collections = {}  # a new dict: a reader holding the old one finishes on the old store
            self.token = token
            self.opened += 1

    def collection(self, name: str) -> _GuardedCollection:
        """A collection by its full name: the one object every sharer uses, across reopening."""
        found = self.guarded.get(name)
        if found is None:
            with self.lock:
                found = self.guarded.setdefault(name, _GuardedCollection(self, name))
        return found

    def raw(self, name: str):
        """The Chroma collection of the current client, opened on first use."""
        found = self.collections.get(name)
        if found is None:
            with self.lock:  # never file a collection of the old client in the new store's dict
                found = self.collections.get(name)
                if found is None:
                    found = self.collections[name] = _open_collection(self.client, name, self.store)
        return found

    def reopen(self, client_seen: Any) -> None:
        """Open the store again from disk, unless another thread already did since ``client_seen``."""
        with _EMBEDDED_LOCK:
            if self.client is client_seen:
                self.retire()
                self.open()

    def retire(self) -> None:
        """Let go of the client's store: its memory is older than the files, and no new read or write may
        use it. Chromadb keeps one system per folder per process: it is taken out of that cache, so the next
        client opens the files afresh, but stopped only later (``_RETIRED``): a serving thread may be
        mid-read on it, and a stopped system fails every call."""
        from chromadb.api.shared_system_client import SharedSystemClient

        identifier = getattr(self.client, "_identifier", None)
        with SharedSystemClient._refcount_lock:
            system = SharedSystemClient._identifier_to_system.pop(identifier, None)
            SharedSystemClient._identifier_to_refcount.pop(identifier, None)
        now = time.monotonic()
        for retired_at, old in [r for r in _RETIRED if now - r[0] > RETIRED_GRACE_SECONDS]:
            _RETIRED.remove((retired_at, old))
            old.stop()
        if system is not None:
            _RETIRED.append((now, system))


# Retired systems are stopped at a later reopen, once no read that began before theirs can still be running.
RETIRED_GRACE_SECONDS = 120.0
_RETIRED: list[tuple[float, Any]] = []


def _open_collection(client, name: str, store: StoreSettings):
    if name == f"{store.collection_prefix}-documents":
        # The registry holds no text to search; a constant vector keeps Chroma from embedding anything.
        # Its few records are replayed from Chroma's log at open rather than persisted as a vector index,
        # so no kill can leave its index files half written.
        hnsw = {"sync_threshold": 1_000_000, "batch_size": 100}
    else:
        threshold = store.hnsw_sync_threshold
        hnsw = {"space": "cosine", "sync_threshold": threshold, "batch_size": min(100, threshold)}
    # We always pass vectors; embedding_function=None means Chroma never loads (or downloads) its own.
    return client.get_or_create_collection(name, embedding_function=None, configuration={"hnsw": hnsw})


_EMBEDDED: dict[str, _OpenStore] = {}  # by folder: process-wide by nature, as chromadb's system cache is
_EMBEDDED_LOCK = threading.Lock()


def _written_token(store: StoreSettings) -> str:
    try:
        return (Path(store.index_dir) / WRITTEN).read_text(encoding="utf-8")
    except OSError:
        return ""


def _open_store(store: StoreSettings) -> _OpenStore:
    """This process's open store for ``store``, opened again from disk when another process has written
    since (a server's client is never shared: a server holds the one truth)."""
    if store.uses_server:
        opened = _OpenStore(store)
        opened.open()
        return opened
    key = str((Path(store.index_dir) / "chroma").resolve())
    with _EMBEDDED_LOCK:
        opened = _EMBEDDED.get(key)
        if opened is None:
            opened = _EMBEDDED[key] = _OpenStore(store)
            opened.open()
        elif opened.token != _written_token(store):
            opened.retire()
            opened.open()
        return opened


def release_stores() -> None:
    """Forget every embedded store this process opened, so the next index opened here reads its folder
    afresh (a benchmark hands folders to other processes); index objects already open keep working."""
    with _EMBEDDED_LOCK:
        _EMBEDDED.clear()


def make_client(store: StoreSettings):
    telemetry_off = ChromaSettings(anonymized_telemetry=False)
    try:
        if store.uses_server:
            return chromadb.HttpClient(host=store.chroma_host, port=store.chroma_port, settings=telemetry_off)
        path = Path(store.index_dir) / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=telemetry_off)
    except Exception as exc:  # chromadb raises ValueError / ConnectionError / httpx errors
        where = f"{store.chroma_host}:{store.chroma_port}" if store.uses_server else store.index_dir
        raise IndexUnavailable(f"cannot reach the Chroma index at {where}: {exc}") from exc


def _live(meta: dict, live: dict[str, str]) -> bool:
    """Whether a stored record belongs to its document's registered version: the one rule that hides
    half-written and left-over records from readers."""
    return live.get(meta.get("document")) == meta.get("version")


@dataclass
class SentenceVectors:
    """The sentence vectors of the live chunks: row n is sentence ``positions[n]`` (``core.sentences``)
    of chunk ``chunk_ids[n]``; rows are unit vectors."""

    chunk_ids: list[str]
    positions: list[int]
    vectors: np.ndarray


@dataclass
class DocumentVectors:
    """A document's vectors, in the order of its chunks, their sentences, decisions and scorecard rows."""

    chunks: list[list[float]]
    sentences: list[list[float]]
    decisions: list[list[float]]
    rows: list[list[float]]


def passage_vectors(chunks: list[Chunk], units: list[list[str]], sentence_vectors: list[list[float]],
                    embed: Callable[[list[str]], list[list[float]]]) -> list[list[float]]:
    """Each passage's vector: its text (header first) embedded, except a table's, which is the mean of its
    rows' vectors (made anyway: a row is a table passage's sentence) and its header's, made unit length. A
    table passage is rows side by side: the mean keeps every row, where the model reads only the first 256 word
    pieces, and it spares embedding the rows twice (a fifth of the real archive's word pieces)."""
    own = [n for n, chunk in enumerate(chunks) if chunk.kind != ChunkKind.TABLE or not units[n]]
    vectors: list[list[float] | None] = [None] * len(chunks)
    for n, vector in zip(own, embed([chunks[n].embed_text for n in own]) if own else [], strict=True):
        vectors[n] = vector
    headed = [n for n, chunk in enumerate(chunks) if vectors[n] is None and chunk.header]
    headers = dict(zip(headed, embed([chunks[n].header for n in headed]) if headed else [], strict=True))
    start = 0
    for n, texts in enumerate(units):
        rows = sentence_vectors[start : start + len(texts)]
        start += len(texts)
        if vectors[n] is None:
            stacked = np.asarray([*rows, headers[n]] if n in headers else rows, dtype=np.float32)
            mean = stacked.mean(axis=0)
            vectors[n] = (mean / max(float(np.linalg.norm(mean)), 1e-12)).tolist()
    return vectors  # type: ignore[return-value]  (every slot is filled above)


def document_version(document: str, content_hash: str) -> str:
    """A document's version: its content and its name. Record ids start with it, so the same file kept
    under two names (a pack uploaded twice) is two sets of records, never one set both names claim."""
    return hashlib.sha256(f"{content_hash}\0{document}".encode()).hexdigest()[:16]


class PanelIndex:
    """The index: content collections (chunks, decisions, scorecard rows) plus the document registry."""

    def __init__(self, store: StoreSettings, embeddings: PanelEmbeddings | None = None):
        self.settings = store
        self.generation = 0  # counts this object's writes: readers in this process look again after one
        self._changed = False  # this hold of the writer lock wrote something (``_wrote``)
        if embeddings is None:
            cache = EmbeddingCache(Path(store.index_dir) / "embedding-cache.sqlite")
            embeddings = PanelEmbeddings.from_settings(store, cache)
        self.embeddings = embeddings
        chroma_dir = Path(store.index_dir) / "chroma"
        # (a damaged registry is rebuilt too: its records are read back from Chroma's catalogue, ``_reset_damaged``)
        self._damaged_files = {} if store.uses_server else damaged_segment_files(chroma_dir)
        self._open = _open_store(store)
        lock_dir = Path(store.index_dir)
        lock_dir.mkdir(parents=True, exist_ok=True)
        self._writer_lock = filelock.FileLock(str(lock_dir / "writer.lock"))
        if self._damaged_files:  # reset now: Chroma must never load those files (it can crash the process)
            with self.writing():
                pass

    def refresh(self) -> None:
        """Open the store again from disk if another process has written since this process opened it."""
        if not self.settings.uses_server and self._open.token != _written_token(self.settings):
            self._open = _open_store(self.settings)

    def _wrote(self) -> None:
        """Leave a new token for other processes (see ``WRITTEN``) when this hold of the lock changed the
        store; this process's store is current. The file and this process's token change together under the
        store lock, or a reader between the two would take this process's own write for another's."""
        changed, self._changed = self._changed, False
        if not changed:
            return
        token = f"{os.getpid()}-{time.time_ns()}"
        if self.settings.uses_server:
            self.registry.upsert(ids=[WRITTEN_RECORD], metadatas=[{"status": WRITTEN_RECORD, "token": token}],
                                 embeddings=[[1.0, 0.0]])
            return
        path = Path(self.settings.index_dir) / WRITTEN
        temporary = path.with_name(f"{WRITTEN}.{os.getpid()}.tmp")
        temporary.write_text(token, encoding="utf-8")
        with _EMBEDDED_LOCK:
            os.replace(temporary, path)
            self._open.token = token

    @property
    def client(self):
        return self._open.client

    def _named(self, kind: str):
        return self._open.collection(f"{self.settings.collection_prefix}-{kind}")

    @property
    def registry(self):
        return self._named("documents")

    @property
    def chunks(self):
        return self._named("chunks")

    @property
    def decisions(self):
        return self._named("decisions")

    @property
    def rows(self):
        return self._named("figures")

    @property
    def sentences(self):
        return self._named("sentences")

    @property
    def content(self) -> tuple:
        return (self.chunks, self.decisions, self.rows, self.sentences)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the writer lock (re-entrant within this object; released by the OS if the process dies)."""
        try:
            self._writer_lock.acquire(timeout=self.settings.writer_wait_seconds)
        except filelock.Timeout as exc:
            raise IndexBusy(f"the index is busy: another ingest or removal has held it for over "
                            f"{self.settings.writer_wait_seconds:.0f} s; try again when it has finished") from exc
        outermost = self._writer_lock.lock_counter == 1
        try:
            if outermost:  # see other processes' writes first
                self.refresh()
                self._reset_damaged()
                self.catch_up()
            yield
        finally:
            self.generation += 1
            try:
                if outermost:
                    self._wrote()
            finally:
                self._writer_lock.release()

    def catch_up(self) -> None:
        """Bring this client's view of the store up to date with what other processes wrote. An embedded
        Chroma client kept open beside a writer that was killed may not see that writer's last logged
        batch until it writes to the collection itself; a delete of an id that does not exist is a
        write that changes nothing (measured: ``pytest -s -k killed_writer tests/test_index.py``)."""
        for collection in (self.registry, *self.content):
            collection.delete(ids=["-catch-up-"])

    # -- damage ---------------------------------------------------------------------------------------
    def damaged(self) -> list[str]:
        """The content collections that cannot be read (``store.damage``). Embedded mode only: a Chroma
        server's internal error may be passing, and is never a reason to empty a store."""
        if self.settings.uses_server:
            return []
        if self._damaged_files:  # look again under the lock: files a live process was writing settle
            again = damaged_segment_files(Path(self.settings.index_dir) / "chroma")
            self._damaged_files = {name: folder for name, folder in again.items() if name in self._damaged_files}
        broken = list(self._damaged_files)
        for collection in self.content:
            if collection.name in broken:
                continue  # never probed: loading those files can crash the process
            try:
                collection.count()
            except InternalError as exc:
                if is_damage(exc):
                    broken.append(collection.name)
        return broken

    def _reset_damaged(self) -> list[str]:
        """Empty each damaged collection and mark every document for rebuilding (under the lock). A damaged
        registry (its vectors are a constant; a kill can still leave its vector index short) is made again from
        the records Chroma's catalogue holds for it, with every collection emptied: no content is trusted
        against a registry read back that way, and every paper is rebuilt from the index's own copy."""
        broken = self.damaged()
        if not broken:
            return []
        self._changed = True
        registry = f"{self.settings.collection_prefix}-documents"
        recovered: dict[str, dict] | None = None
        if registry in broken:
            chroma_dir = Path(self.settings.index_dir) / "chroma"
            try:
                recovered = metadata_records(chroma_dir, registry)
            except sqlite3.Error as exc:
                raise IndexUnavailable(f"the index's document registry is damaged and cannot be read back ({exc}): "
                                       f"move {chroma_dir} aside and ingest the papers again") from exc
            broken = list(dict.fromkeys([*broken, *(c.name for c in self.content)]))
        for name in broken:
            self.client.delete_collection(name)
            self._open.collections.pop(name, None)  # made again, empty, on next use
            folder = self._damaged_files.pop(name, None)
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)  # no segment names these files any more
        self._open.registry_seen.clear()  # what this process remembered of the registry is gone with it
        if recovered is not None:
            records = [codec.decode_document(meta) for record_id, meta in recovered.items()
                       if record_id.startswith("doc:")]  # (a pending mark's paper was never whole: none is kept)
        else:
            records = list(self.documents().values())
        for record in records:
            self._put_registry(f"doc:{record.document}",
                               codec.encode_document(record, status=str(DocumentStatus.REBUILD)))
        # The undamaged collections' records now belong to no live version; repair's sweep clears them.
        return broken

    # -- the registry ---------------------------------------------------------------------------
    def _registry(self, status: DocumentStatus) -> dict[str, DocumentRecord]:
        """The registry's records of one status, remembered until the store changes: a write here, or another
        process's token (the ``written`` file beside an embedded store, the ``written`` record of a server's
        registry). The app reads them for every answer's sources; a Chroma read of them is milliseconds of a
        serving thread's time embedded (py-spy under ``evals.load``), and 148 ms through a server at 1,785
        documents."""
        self.refresh()  # every reader asks the registry first: a store another process wrote is seen whole
        opened = self._open
        token = opened.token
        if self.settings.uses_server:
            mark = self.registry.get(ids=[WRITTEN_RECORD], include=["metadatas"])["metadatas"]
            token = str(mark[0].get("token", "")) if mark else ""
        when = (opened.opened, token, opened.writes)  # taken before the read: a write meanwhile misses
        seen = opened.registry_seen.get(status)
        if seen is not None and seen[0] == when and (not self.settings.uses_server
                                                      or time.monotonic() - seen[1] < REGISTRY_MAX_AGE):
            return dict(seen[2])
        read_at = time.monotonic()
        got = self.registry.get(where={"status": str(status)}, include=["metadatas"])
        records = {m["document"]: codec.decode_document(m) for m in got["metadatas"]}
        opened.registry_seen[status] = (when, read_at, records)
        return dict(records)

    def documents(self) -> dict[str, DocumentRecord]:
        """Every wholly indexed document, by file name."""
        return self._registry(DocumentStatus.COMPLETE)

    def to_rebuild(self) -> dict[str, DocumentRecord]:
        """Documents whose records were lost with a damaged collection, by file name."""
        return self._registry(DocumentStatus.REBUILD)

    def _put_registry(self, record_id: str, meta: dict, known: bool = True) -> None:
        """``known``: False when the registry is known to hold no record of this id (nothing to replace)."""
        self._changed = True
        # Chroma's upsert merges metadata into the record there: a key the new record lacks (a committee no longer
        # read from the paper, left out as None) would keep the old value. The record is replaced whole (a crash
        # between the two leaves the paper's pending mark, so it is written again, as after any interrupted write).
        if known:
            self.registry.delete(ids=[record_id])
        self.registry.add(ids=[record_id], metadatas=[meta], embeddings=[[1.0, 0.0]])

    def is_current(self, document: str, content_hash: str,
                   records: dict[str, DocumentRecord] | None = None) -> bool:
        """Indexed from this very file, in this index format, by this embedder (an older format, or vectors of
        another model or backend, are written again). ``records``: ``documents()`` read once by a caller
        that asks of many files."""
        record = (self.documents() if records is None else records).get(document)
        return (bool(record) and record.content_hash == content_hash and record.schema == codec.SCHEMA
                and record.embedder == self.embeddings.identity)

    def live_versions(self) -> dict[str, str]:
        return {name: record.version for name, record in self.documents().items()}

    # -- writing --------------------------------------------------------------------------------
    def _delete_versions(self, document: str, keep: str | None = None, only: str | None = None) -> None:
        """Delete a document's records: all of them, all but version ``keep``, or ``only`` one version."""
        where: dict = {"document": document}
        if keep or only:
            version = {"$ne": keep} if keep else only
            where = {"$and": [{"document": document}, {"version": version}]}
        for collection in self.content:
            self._delete_where(collection, where)

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
        """Finish or undo what an interrupted write or removal left, then sweep out any record no
        registered version owns; returns how many documents had something to repair."""
        with self.writing():
            pending = self.registry.get(where={"status": str(DocumentStatus.PENDING)}, include=["metadatas"])
            current = self.live_versions()
            repaired = {marker["document"] for marker in pending["metadatas"]}
            for document in repaired:
                self._delete_versions(document, current.get(document))
                self.registry.delete(ids=[f"pending:{document}"])
            # Under the lock no write is under way, so anything not live is left over from a crash.
            for collection in self.content:
                repaired |= self._sweep(collection, current)
            self._changed |= bool(repaired)
            return len(repaired)

    def _sweep(self, collection, live: dict[str, str], passes: int = 5) -> set[str]:
        """Delete every record whose (document, version) is not live; look again after deleting, for the
        same reason as ``_delete_where``. Returns the documents that had strays."""
        documents: set[str] = set()
        for _ in range(passes):
            got = self.get_all(collection, include=["metadatas"])
            stray = [(i, m.get("document")) for i, m in zip(got["ids"], got["metadatas"], strict=True)
                     if not _live(m, live)]
            if not stray:
                break
            for start in range(0, len(stray), BATCH):
                collection.delete(ids=[i for i, _ in stray[start : start + BATCH]])
            documents |= {document for _, document in stray}
        return documents

    def embed_document(self, chunks: list[Chunk], decisions: list[Decision],
                       rows: list[ScorecardRow] = ()) -> DocumentVectors:
        """Every vector a document's records need. Separate from ``write_document`` so that an ingest can
        embed the next paper while this one is written (``ingest.pipeline``)."""
        # Each chunk's sentences get vectors too: a question that matches one sentence of a long passage
        # finds it although the passage's own vector is diluted (``retrieval.hybrid``).
        units = [[text for _, text in sentences(chunk.text, chunk.kind)] for chunk in chunks]
        embed = self.embeddings.embed_documents
        sentence_vectors = embed([text for texts in units for text in texts])
        return DocumentVectors(
            chunks=passage_vectors(chunks, units, sentence_vectors, embed), sentences=sentence_vectors,
            decisions=embed([f"{d.minute_title or ''}\n{d.text}".strip() for d in decisions]) if decisions else [],
            rows=embed([r.indicator for r in rows]) if rows else [])

    def write_document(self, info: DocumentInfo, chunks: list[Chunk], decisions: list[Decision],
                       rows: list[ScorecardRow] = (), source: str = "",
                       on_batch: Callable[[int], None] | None = None, vectors: DocumentVectors | None = None) -> None:
        """Write one document whole (see the module's three steps); ``on_batch`` counts chunks written;
        ``vectors``: what ``embed_document`` made (made here when not given)."""
        rows = list(rows)
        if vectors is None:
            vectors = self.embed_document(chunks, decisions, rows)
        with self.writing():
            self._changed = True
            document = info.document
            version = document_version(document, info.content_hash)
            # Records of a document exist only while the registry holds its record or its pending mark (each
            # write and removal puts the mark first and takes it away last): a paper new to the index has none
            # to delete, and those deletes were a quarter of a cold ingest's writing (a filtered delete scans).
            known = bool(self.registry.get(ids=[f"doc:{document}", f"pending:{document}"], include=[])["ids"])
            self._put_registry(f"pending:{document}", {"document": document, "status": str(DocumentStatus.PENDING),
                                                        "version": version}, known=known)
            if known:
                self._delete_versions(document, only=version)  # a crashed earlier attempt at this version
            owned = [(codec.chunk_id(version, n), position, text) for n, chunk in enumerate(chunks)
                     for position, (_, text) in enumerate(sentences(chunk.text, chunk.kind))]
            sentence_vectors = vectors.sentences
            for start in range(0, len(chunks), BATCH):
                part = chunks[start : start + BATCH]
                self.chunks.add(ids=[codec.chunk_id(version, start + i) for i in range(len(part))],
                                documents=[c.text for c in part], embeddings=vectors.chunks[start : start + BATCH],
                                metadatas=[codec.encode_chunk(c, version, info.title) for c in part])
                if on_batch:
                    on_batch(len(part))
            for start in range(0, len(owned), BATCH):
                part = owned[start : start + BATCH]
                self.sentences.add(ids=[f"{chunk_id}:s{position}" for chunk_id, position, _ in part],
                                   embeddings=sentence_vectors[start : start + BATCH],
                                   metadatas=[{"document": document, "version": version, "chunk_id": chunk_id,
                                               "position": position} for chunk_id, position, _ in part])
            if decisions:
                self.decisions.add(ids=[f"{version}:d{i}" for i in range(len(decisions))],
                                   documents=[d.text for d in decisions], embeddings=vectors.decisions,
                                   metadatas=[codec.encode_decision(d, version, info.title) for d in decisions])
            for start in range(0, len(rows), BATCH):
                part = rows[start : start + BATCH]
                self.rows.add(ids=[f"{version}:r{start + i}" for i in range(len(part))],
                              documents=[r.text for r in part], embeddings=vectors.rows[start : start + BATCH],
                              metadatas=[codec.encode_row(r, version, info.title) for r in part])
            self._put_registry(f"doc:{document}", codec.encode_document(
                info, status=str(DocumentStatus.COMPLETE), version=version, chunks=len(chunks),
                decisions=len(decisions), figures=len(rows), ingested_at=time.strftime("%Y-%m-%dT%H:%M:%S"),
                source=source, schema=codec.SCHEMA, embedder=self.embeddings.identity), known=known)
            if known:
                self._delete_versions(document, keep=version)
            self.registry.delete(ids=[f"pending:{document}"])

    def remove(self, document: str) -> bool:
        with self.writing():
            if document not in self.documents() and document not in self.to_rebuild():
                return False
            self._changed = True
            self._put_registry(f"pending:{document}", {"document": document, "status": str(DocumentStatus.PENDING)})
            self.registry.delete(ids=[f"doc:{document}"])
            self._delete_versions(document, keep=None)
            self.registry.delete(ids=[f"pending:{document}"])
            return True

    # -- reading: typed records of live versions only ---------------------------------------------------
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

    def _live_records(self, collection, decode: Callable[[str, str, dict], Any],
                      filters: Filters | None = None) -> list:
        live = self.live_versions()
        got = self.get_all(collection, codec.where(filters))
        return [decode(i, text, meta) for i, text, meta in zip(got["ids"], got["documents"], got["metadatas"],
                                                              strict=True) if _live(meta, live)]

    def all_chunks(self, filters: Filters | None = None) -> list[StoredChunk]:
        """Every live chunk, in id order (for BM25 and evaluation)."""
        return sorted(self._live_records(self.chunks, codec.decode_chunk, filters), key=lambda c: c.id)

    def all_decisions(self, filters: Filters | None = None) -> list[StoredDecision]:
        """Every live decision, oldest meeting first."""
        rows = self._live_records(self.decisions, codec.decode_decision, filters)
        return sorted(rows, key=lambda d: (d.meeting_key, d.document, d.page))

    def all_rows(self) -> list[StoredScorecardRow]:
        """Every live scorecard row, in the order ingest found them."""
        rows = self._live_records(self.rows, codec.decode_row)
        return sorted(rows, key=lambda r: (r.chunk_id, int(r.id.rpartition(":r")[2] or 0)))

    def sentence_vectors(self) -> SentenceVectors:
        """Every live chunk's sentence vectors, in (chunk id, position) order."""
        live = self.live_versions()
        got = self.get_all(self.sentences, include=["metadatas", "embeddings"])
        kept = sorted((m["chunk_id"], int(m["position"]), n) for n, m in enumerate(got["metadatas"]) if _live(m, live))
        matrix = (np.asarray([got["embeddings"][n] for _, _, n in kept], dtype=np.float32) if kept
                  else np.zeros((0, 0), dtype=np.float32))  # an empty index
        return SentenceVectors(chunk_ids=[c for c, _, _ in kept], positions=[p for _, p, _ in kept], vectors=matrix)

    def chunk_vectors(self, chunk_ids: list[str]) -> np.ndarray:
        """The stored vectors of these chunks, one row each in the order given (zeros for an id not found)."""
        rows = {chunk_id: n for n, chunk_id in enumerate(chunk_ids)}
        matrix = np.zeros((len(chunk_ids), 0), dtype=np.float32)
        for start in range(0, len(chunk_ids), 5000):
            got = self.chunks.get(ids=chunk_ids[start : start + 5000], include=["embeddings"])
            for chunk_id, vector in zip(got["ids"], got["embeddings"], strict=True):
                if matrix.shape[1] == 0:
                    matrix = np.zeros((len(chunk_ids), len(vector)), dtype=np.float32)
                matrix[rows[chunk_id]] = vector
        return matrix

    def dense_search(self, vector: list[float], k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """The ``k`` nearest chunks to a query vector as (chunk id, cosine similarity), nearest first. Ids of
        versions that are not live may be among them: callers keep only the ids they loaded. (Chroma 1.5
        returns what it has when ``k`` exceeds the collection, so no count is asked first.)"""
        hits = self.chunks.query(query_embeddings=[vector], n_results=max(1, k), where=codec.where(filters),
                                 include=["distances"])
        return [(chunk_id, 1.0 - float(distance))
                for chunk_id, distance in zip(hits["ids"][0], hits["distances"][0], strict=True)]

    def sentence_search(self, vector: list[float], k: int) -> list[tuple[str, float]]:
        """The ``k`` nearest sentences to a query vector as (their chunk's id, cosine similarity), nearest
        first; as with ``dense_search``, callers keep only the chunks they loaded."""
        # A sentence's id is "<chunk id>:s<position>": its chunk is read from the id, no metadata fetched.
        hits = self.sentences.query(query_embeddings=[vector], n_results=max(1, k), include=["distances"])
        return [(sentence_id.rsplit(":s", 1)[0], 1.0 - float(distance))
                for sentence_id, distance in zip(hits["ids"][0], hits["distances"][0], strict=True)]

    def stats(self) -> dict:
        docs = self.documents().values()
        return {
            "documents": len(docs),
            "pages": sum(r.pages for r in docs),
            "chunks": sum(r.chunks for r in docs),
            "decisions": sum(r.decisions for r in docs),
            "figures": sum(r.figures for r in docs),
            "last_ingest": max((r.ingested_at for r in docs), default=None),
            "stored_chunks": self.chunks.count(),
            "stored_sentences": self.sentences.count(),
        }
