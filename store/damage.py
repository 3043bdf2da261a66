"""Damage a SIGKILL can leave in an embedded Chroma store, found before Chroma loads it.

A SIGKILL while embedded Chroma persists a collection's vector index (hnswlib files, rewritten in place
every ``hnsw_sync_threshold`` writes) can leave those files disagreeing with each other: then every read
of the collection fails, or Chroma's native loader crashes the whole process (both seen in the kill
loop), or a call that never returns (seen once). So the files are checked from their sizes against their
header before Chroma loads them. A kill can also leave whole files that hold fewer
vectors than the collection has records, with Chroma's log already purged of them: then reading a lost
vector fails ("Error finding id"); that is found by counting. ``store.index`` resets what is found.
"""

from __future__ import annotations

import pickle
import sqlite3
import struct
from contextlib import closing
from pathlib import Path

from chromadb.errors import InternalError


def is_damage(exc: BaseException) -> bool:
    """Chroma's error for a vector index that cannot be loaded or replayed (every read of the collection
    fails alike); a busy or locked database is not damage."""
    return isinstance(exc, InternalError) and "hnsw" in str(exc).lower()


def _hnsw_files_state(folder: Path) -> str:
    """"fine" or "damaged", from hnswlib's persisted files (format 1, as Chroma 1.5 writes them): the
    header gives the element count, capacity and bytes per element; data_level0.bin and length.bin hold the
    same number of elements: the count, or the capacity while the files still have the size they were
    created with. Anything else is a kill mid-persist. Fewer than the header counts, or files that
    disagree, fails every read. More than it counts (newer data under an older header) was once checked by
    loading it in a throwaway process, but such files pass or fail by which part of the graph a call
    touches: a probe's count() and query passed, and the ingest after it then hung in Chroma's add for
    good, without using the CPU (seen in the kill loop on a clean clone). Every such shape built on
    purpose crashed the loader or failed (tests/test_index.py), so it is damage: the reset costs a
    rewrite from the index's copies, with every vector in the embedding cache."""
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
    if rest or length.stat().st_size != held * 4 or held not in (count, capacity):
        return "damaged"
    return "fine"


def _persisted_ids(folder: Path) -> int | None:
    """How many ids a persisted vector index maps (its ``index_metadata.pickle``, Chroma's own file, read
    only from the index's folder); None when it was never persisted or cannot be read."""
    path = folder / "index_metadata.pickle"
    if not path.is_file():
        return None
    try:
        with path.open("rb") as fh:
            meta = pickle.load(fh)  # noqa: S301 (Chroma's file in our own index folder)
        return len(meta["id_to_label"])
    except Exception:  # noqa: BLE001 (a format this check does not know: leave it to Chroma)
        return None


def _segments_short_of_ids(db: sqlite3.Connection, chroma_dir: Path) -> set[str]:
    """Vector segments that say they are up to date with Chroma's log but hold fewer ids than the
    collection's records: a kill between Chroma recording a vector segment's log position and persisting
    its files loses those vectors for good (the log is purged), and every read of a lost id's vector
    fails with "Error finding id" (seen in the kill loop). Only a segment with nothing left to replay is
    judged; one with log entries still to replay is left to Chroma."""
    short = set()
    rows = db.execute(
        "SELECT v.id, c.id, m.id FROM segments v JOIN collections c ON v.collection = c.id "
        "JOIN segments m ON m.collection = c.id AND m.scope = 'METADATA' WHERE v.scope = 'VECTOR'").fetchall()
    for vector, collection, metadata in rows:
        persisted = _persisted_ids(chroma_dir / vector)
        if persisted is None:
            continue
        position = db.execute("SELECT seq_id FROM max_seq_id WHERE segment_id = ?", (vector,)).fetchone()
        logged = db.execute("SELECT max(seq_id) FROM embeddings_queue WHERE topic LIKE ?",
                            (f"%/{collection}",)).fetchone()
        if position is None or not isinstance(position[0], int):
            continue
        if logged[0] is not None and logged[0] > position[0]:
            continue  # Chroma replays the rest when it loads the collection
        records = db.execute("SELECT count(*) FROM embeddings WHERE segment_id = ?", (metadata,)).fetchone()[0]
        if persisted < records:
            short.add(vector)
    return short


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
            short = _segments_short_of_ids(db, chroma_dir)
    except sqlite3.Error:
        return {}  # a catalogue this check cannot read: Chroma will say what is wrong
    damaged = {}
    for segment, name in rows:
        state = "damaged" if segment in short else _hnsw_files_state(chroma_dir / segment)
        if state == "damaged":
            damaged[name] = chroma_dir / segment
    return damaged


def metadata_records(chroma_dir: Path, name: str) -> dict[str, dict]:
    """A collection's records as its metadata segment holds them (id → metadata), read from Chroma's SQLite
    catalogue, read-only: what is left of a collection whose vector index is damaged (Chroma's own keys, such
    as the document text, are left out)."""
    catalogue = chroma_dir / "chroma.sqlite3"
    with closing(sqlite3.connect(f"file:{catalogue}?mode=ro", uri=True)) as db:
        rows = db.execute(
            "SELECT e.embedding_id, m.key, m.string_value, m.int_value, m.float_value, m.bool_value "
            "FROM segments s JOIN collections c ON s.collection = c.id JOIN embeddings e ON e.segment_id = s.id "
            "JOIN embedding_metadata m ON m.id = e.id WHERE c.name = ? AND s.scope = 'METADATA'", (name,)).fetchall()
    records: dict[str, dict] = {}
    for record_id, key, text, integer, number, flag in rows:
        if key.startswith("chroma:"):
            continue
        value = (text if text is not None else integer if integer is not None else number if number is not None
                 else bool(flag) if flag is not None else None)
        records.setdefault(record_id, {})[key] = value
    return records
