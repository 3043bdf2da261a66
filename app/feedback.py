"""Thumbs up / down on answers, kept in a local SQLite file so the council can see where the
assistant falls short (any SQLite tool reads it: ``sqlite3 <index>/feedback.sqlite "SELECT * FROM feedback"``)."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    rating INTEGER NOT NULL,           -- 1 thumbs up, -1 thumbs down
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    answered INTEGER NOT NULL,         -- 0 when the assistant refused
    citations TEXT NOT NULL,           -- JSON: document, page, page_label, quote of each [n]
    comment TEXT NOT NULL DEFAULT ''
)
"""


class FeedbackStore:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def add(self, rating: int, answer: dict, comment: str = "") -> int:
        citations = [{key: c.get(key) for key in ("n", "document", "page", "page_label", "quote")}
                     for c in answer.get("citations", [])]
        with self._lock, self._connect() as db:
            cursor = db.execute(
                "INSERT INTO feedback (at, rating, question, answer, answered, citations, comment) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (time.strftime("%Y-%m-%dT%H:%M:%S"), 1 if rating > 0 else -1, answer.get("question", ""),
                 answer.get("text", ""), int(bool(answer.get("answered"))), json.dumps(citations), comment))
            return int(cursor.lastrowid)

    def rows(self) -> list[dict]:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            return [dict(r) for r in db.execute("SELECT * FROM feedback ORDER BY id")]
