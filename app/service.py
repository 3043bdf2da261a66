"""What the app does, without the screen: answers, sources, decisions, figures, the library, uploads,
feedback. The Gradio layer (``app.ui``) only lays these out; tests can call them directly.

Every call that touches the index goes through ``_guard``: when the Chroma server is down the user reads
one plain sentence, and the next call reconnects, so the app recovers without a restart.
"""

from __future__ import annotations

import csv
import re
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app.feedback import FeedbackStore
from app.pages import PageRenderer
from ingest.dates import date_key
from ingest.index import IndexBusy, PanelIndex, is_damage
from ingest.pipeline import IngestReport, ingest_paths, keep_copy, papers_dir
from ingest.settings import Settings
from retrieval.assistant import Assistant, BadQuestion
from retrieval.compose import Answer
from retrieval.figures import Figure, FigureSeries

UNSAFE_NAME = re.compile(r"[^\w .,()\[\]&+'-]+", re.UNICODE)


class ServiceError(RuntimeError):
    """A failure the user should read as one sentence (``str()``), e.g. the index is unreachable."""


@dataclass
class Upload:
    path: Path  # where the web server put the upload (never trusted as a name or place)
    name: str  # the file name the user's browser sent


def safe_document_name(name: str) -> str:
    """The name an uploaded paper is known by: the last path part only (no ``../``), control characters
    and shell-unfriendly marks replaced, letters of any script kept, at most 120 characters."""
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = UNSAFE_NAME.sub("_", name).strip(" ._") or "upload"
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, "pdf"
    return f"{stem[:110]}.{suffix[:8]}".strip()


class PanelService:
    def __init__(self, settings: Settings, embeddings=None):
        """``embeddings``: an already loaded model to share (tests, several services in one process)."""
        self.settings = settings
        self.renderer = PageRenderer()
        self.feedback = FeedbackStore(Path(settings.index_dir) / "feedback.sqlite")
        self._assistant: Assistant | None = None
        self._embeddings = embeddings
        self._open_lock = threading.Lock()
        # One question at a time through the search structures (BM25 arrays are swapped on refresh);
        # an answer takes ~25 ms, so this costs little and keeps concurrent users from seeing half a refresh.
        self._ask_lock = threading.Lock()
        self._ingest_lock = threading.Lock()

    # -- the index, reconnecting when it comes back -------------------------------------------------
    def assistant(self) -> Assistant:
        with self._open_lock:
            if self._assistant is None:
                try:
                    index = PanelIndex(self.settings, embeddings=self._embeddings)
                    self._embeddings = index.embeddings
                    self._assistant = Assistant(self.settings, index)
                except Exception as exc:
                    raise ServiceError(self._unavailable(exc)) from exc
            return self._assistant

    def _unavailable(self, exc: Exception) -> str:
        if self.settings.uses_server:
            where = f"the Chroma server at {self.settings.chroma_host}:{self.settings.chroma_port}"
        else:
            where = f"the index in {self.settings.index_dir}"
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
        if is_damage(exc) and not self.settings.uses_server:
            return (f"The papers' index is damaged ({first_line}). Upload any paper in the Library tab, or run "
                    "`panel-papers ingest`, to rebuild it from its copies of the papers.")
        return f"The papers' index is not reachable ({where}): {first_line}. Try again when it is back."

    def _guard(self, work: Callable):
        """Run ``work(assistant)``; a broken connection drops the assistant so the next call reconnects."""
        assistant = self.assistant()
        try:
            return work(assistant)
        except IndexBusy as exc:
            raise ServiceError(f"{str(exc)[0].upper()}{str(exc)[1:]}.") from exc
        except (BadQuestion, ServiceError, ValueError) as exc:
            if isinstance(exc, BadQuestion | ServiceError) or not self.settings.uses_server:
                raise
            self._assistant = None
            raise ServiceError(self._unavailable(exc)) from exc
        except Exception as exc:
            with self._open_lock:
                self._assistant = None
            raise ServiceError(self._unavailable(exc)) from exc

    def status(self) -> str:
        try:
            stats, waiting = self._guard(lambda a: (a.index.stats(), a.index.to_rebuild()))
        except ServiceError as exc:
            return str(exc)
        line = (f"{stats['documents']} papers, {stats['pages']} pages, {stats['chunks']} passages, "
                f"{stats['decisions']} decisions indexed")
        if waiting:  # a damaged store was reset (ingest/index.py)
            line += (f"; {len(waiting)} papers await rebuilding after a damaged store was reset: upload any "
                     "paper or run `panel-papers ingest`")
        return line

    # -- chat ---------------------------------------------------------------------------------------
    def ask(self, question: str, history: list[tuple[str, str]] | None = None,
            filters: dict | None = None) -> Answer:
        def work(assistant: Assistant) -> Answer:
            with self._ask_lock:
                return assistant.ask(question, history=history, filters=filters)
        return self._guard(work)

    def filters(self, date_from: str = "", date_to: str = "", committee: str = "", document: str = "") -> dict:
        """The chat's filters, checked: a date that is not YYYY-MM-DD is one plain error, not a crash."""
        low, high = _date_bound(date_from), _date_bound(date_to)
        return {"date_from": low, "date_to": high, "committee": committee or None, "document": document or None}

    def documents(self) -> dict[str, dict]:
        return self._guard(lambda a: a.index.documents())

    def source_pdf(self, document: str, records: dict[str, dict] | None = None) -> Path | None:
        """The index's copy of a document's PDF (made now from the original if an older ingest kept none).
        ``records``: the registry, when the caller already read it (one read for a whole sources panel)."""
        record = (self.documents() if records is None else records).get(document) or {}
        content_hash = record.get("content_hash") or ""
        if not content_hash:
            return None
        for candidate in (record.get("source"), Path(self.settings.corpus_dir) / document):
            if candidate and Path(candidate).is_file():
                path = Path(candidate)
                return path if path.parent == papers_dir(self.settings) else keep_copy(path, content_hash,
                                                                                        self.settings)
        return None

    def page_image(self, document: str, page: int, quote: str = ""):
        path = self.source_pdf(document)
        if path is None:
            raise ServiceError(f"The PDF of {document} is no longer on disk, so its page cannot be shown.")
        return self.renderer.render(path, int(page), quote)

    # -- decisions ----------------------------------------------------------------------------------
    def decisions(self, search: str = "", date_from: str = "", date_to: str = "", committee: str = "") -> list[dict]:
        low, high = _date_bound(date_from), _date_bound(date_to)
        words = [w for w in re.findall(r"\w+", (search or "").lower()) if len(w) > 1]
        rows = []
        # Newest meeting first: a member looks for what was decided lately.
        for record in reversed(self._guard(lambda a: a.index.all_decisions())):
            key = int(record.get("meeting_key", 0) or 0)
            if (low and key < low) or (high and key > high):
                continue
            if committee and record.get("committee") != committee:
                continue
            haystack = f"{record.get('minute_title', '')} {record.get('text', '')} {record.get('minute', '')}".lower()
            if words and not all(w in haystack for w in words):
                continue
            rows.append({
                "meeting_date": record.get("meeting_date") or "",
                "committee": record.get("committee") or "",
                "minute": str(record.get("minute") or ""),
                "title": record.get("minute_title") or "",
                "decision": " ".join(str(record.get("text", "")).split()),
                "page": int(record.get("page", 0) or 0),
                "page_label": str(record.get("page_label") or ""),
                "document": record.get("document", ""),
            })
        return rows

    def decisions_csv(self, rows: list[dict], folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"decisions-{time.strftime('%Y%m%d-%H%M%S')}.csv"
        columns = ["meeting_date", "committee", "minute", "title", "decision", "document", "page", "page_label"]
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            for row in rows:
                # A cell starting with = + - @ would run as a formula in Excel: quote it as text.
                writer.writerow({k: ("'" + v if isinstance(v, str) and v[:1] in "=+-@" else v)
                                 for k, v in row.items()})
        return path

    # -- figures ------------------------------------------------------------------------------------
    def _figure_series(self, assistant: Assistant) -> FigureSeries:
        """Scorecard rows as of the live index (the searcher reloads when another process changed it)."""
        if assistant.searcher.is_stale():
            assistant.searcher.refresh()
        return FigureSeries(assistant.composer)

    def indicators(self) -> list[tuple[str, int]]:
        def work(assistant: Assistant) -> list[tuple[str, int]]:
            with self._ask_lock:
                return self._figure_series(assistant).indicators()
        return self._guard(work)

    def series(self, indicator: str) -> list[Figure]:
        def work(assistant: Assistant) -> list[Figure]:
            with self._ask_lock:
                return self._figure_series(assistant).series(indicator)
        return self._guard(work)

    # -- library ------------------------------------------------------------------------------------
    def library(self) -> list[dict]:
        rows = []
        for name, record in sorted(self.documents().items(), key=lambda kv: (-int(kv[1].get("meeting_key", 0)),
                                                                          kv[0])):
            rows.append({
                "title": record.get("title") or name, "meeting_date": record.get("meeting_date") or "",
                "committee": record.get("committee") or "", "pages": int(record.get("pages", 0)),
                "chunks": int(record.get("chunks", 0)), "decisions": int(record.get("decisions", 0)),
                "ingested_at": record.get("ingested_at", ""), "document": name,
            })
        return rows

    def upload(self, uploads: list[Upload], progress: bool = False, password: str = "") -> IngestReport:
        """Ingest uploaded files under their safe display names. The upload's own path is only read: the
        index keeps a copy named by content (``ingest.pipeline.keep_copy``). Wrong type or size is refused
        before anything is read. ``password`` opens encrypted uploads (and is not kept)."""
        report = IngestReport()
        accepted: dict[Path, str] = {}
        limit = self.settings.max_file_mb * 1024 * 1024
        for upload in uploads:
            name = safe_document_name(upload.name)
            source = Path(upload.path)
            if not name.lower().endswith(".pdf"):
                report.failed.append((name, f"not a PDF (a .{name.rpartition('.')[2]} file); only PDFs are taken"))
            elif not source.is_file():
                report.failed.append((name, "the upload did not arrive"))
            elif source.stat().st_size > limit:
                size = source.stat().st_size / 1e6
                report.failed.append((name, f"too large ({size:.0f} MB; the limit is {self.settings.max_file_mb} MB)"))
            else:
                accepted[source] = name
        if accepted:
            with self._ingest_lock:
                done = self._guard(lambda a: ingest_paths(list(accepted), self.settings, index=a.index,
                                                          progress=progress, names=accepted,
                                                          password=password))
            report.ingested, report.skipped, report.rebuilt = done.ingested, done.skipped, done.rebuilt
            report.failed += done.failed
            report.pages, report.chunks, report.decisions = done.pages, done.chunks, done.decisions
        return report

    def remove(self, document: str) -> bool:
        with self._ingest_lock:
            documents = self.documents()
            source = Path((documents.get(document) or {}).get("source") or "")
            removed = self._guard(lambda a: a.index.remove(document))
            still_used = any(r.get("source") == str(source) for name, r in documents.items() if name != document)
            if removed and not still_used and source.parent == papers_dir(self.settings) and source.is_file():
                source.unlink()  # the index's own copy; the original file is never touched
        return removed

    # -- feedback -----------------------------------------------------------------------------------
    def add_feedback(self, liked: bool, answer: dict, comment: str = "") -> int:
        return self.feedback.add(1 if liked else -1, answer, comment)


def _date_bound(value: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date_key(date.fromisoformat(value).isoformat())
    except ValueError:
        raise ServiceError(f"“{value[:40]}” is not a date; write it as YYYY-MM-DD.") from None
