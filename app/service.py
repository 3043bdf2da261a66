"""What the app does, without the screen: answers, sources, decisions, figures, the library, uploads,
feedback. The Gradio layer (``app.ui``) only lays these out; tests can call them directly. Everything
it returns is a typed record (``core.records``, ``retrieval.answer``); dicts are made only at the API edge.

Every call that touches the index goes through ``_guard``: when the Chroma server is down the user reads
one plain sentence, and the next call reconnects, so the app recovers without a restart.
"""

from __future__ import annotations

import csv
import os
import re
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.answer_workers import Question
from app.feedback import FeedbackStore
from app.pages import PageRenderer
from core.errors import BadQuestion, IndexBusy, damaged_index_message, first_line
from core.records import DocumentRecord, Filters, StoredDecision, day_key
from core.settings import Settings
from ingest.modgov import SiteError
from ingest.pipeline import IngestReport, ingest_paths
from ingest.sync import SyncReport, sync_committee
from retrieval.answer import Answer, Assistant
from retrieval.answer.assistant import PIECE
from retrieval.answer.figures import Figure
from retrieval.history import FollowUpRequest, TimelineEntry
from store.copies import is_copy, keep_copy
from store.damage import is_damage
from store.index import PanelIndex

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
        self.feedback = FeedbackStore(Path(settings.store.index_dir) / "feedback.sqlite")
        self._assistant: Assistant | None = None
        self._embeddings = embeddings
        self._open_lock = threading.Lock()
        # No lock around answers: the searcher's state is read-only and swapped whole on a reload, and each
        # question's working state is its own (tests/test_load.py checks conversations never cross).
        self._ingest_lock = threading.Lock()
        self._workers = None  # ``start_answer_workers``: answers made in processes beside this one

    # -- the index, reconnecting when it comes back -------------------------------------------------
    def assistant(self) -> Assistant:
        opened = self._assistant
        if opened is not None:  # the common case takes no lock
            return opened
        with self._open_lock:
            if self._assistant is None:
                try:
                    index = PanelIndex(self.settings.store, embeddings=self._embeddings)
                    self._embeddings = index.embeddings
                    self._assistant = Assistant.open(self.settings, index)
                except Exception as exc:
                    raise ServiceError(self._unavailable(exc)) from exc
            return self._assistant

    def _unavailable(self, exc: Exception) -> str:
        store = self.settings.store
        if is_damage(exc) and not store.uses_server:
            message = damaged_index_message(exc)
            return f"{message[0].upper()}{message[1:]}."
        return f"The papers' index is not reachable ({store.location}): {first_line(exc)}. Try again when it is back."

    def _guard(self, work: Callable):
        """Run ``work(assistant)``; a broken connection drops the assistant so the next call reconnects."""
        assistant = self.assistant()
        try:
            return work(assistant)
        except IndexBusy as exc:
            raise ServiceError(f"{str(exc)[0].upper()}{str(exc)[1:]}.") from exc
        except (BadQuestion, ServiceError, ValueError) as exc:
            if isinstance(exc, BadQuestion | ServiceError) or not self.settings.store.uses_server:
                raise
            self._assistant = None
            raise ServiceError(self._unavailable(exc)) from exc
        except Exception as exc:
            with self._open_lock:
                self._assistant = None
            raise ServiceError(self._unavailable(exc)) from exc

    def warm(self, page: bool = True) -> float:
        """Make everything the first question needs before the app says it is ready: the model, the BM25
        index and the searcher loaded, the structures built on first use (the figure series and their
        grouping by meaning, the meeting calendar, the topic history and register), two throwaway answers
        made (a decision and a figure: the first torch forward pass is the slow one), one page rendered
        (``page``: an answer process renders none). Returns the seconds it took; an unreachable index is left
        for the first call to report, as ever."""
        started = time.perf_counter()
        try:
            assistant = self.assistant()
            assistant.index.embeddings.embed_query("warm up")  # the model, even for an empty index
            assistant.prepare()  # the calendar, the history, the figure series: read from the snapshot if there
            answer = assistant.ask("What did the panel resolve about the minutes of the last meeting?")
            assistant.ask("What was the number of children in care in the latest month?")
            for citation in answer.citations[:1 if page else 0]:
                self.page_image(citation.document, citation.page, citation.quote)
        except (ServiceError, BadQuestion, ValueError):
            pass
        return time.perf_counter() - started

    def status(self) -> str:
        try:
            stats, waiting = self._guard(lambda a: (a.index.stats(), a.index.to_rebuild()))
        except ServiceError as exc:
            return str(exc)
        line = (f"{stats['documents']} papers, {stats['pages']} pages, {stats['chunks']} passages, "
                f"{stats['decisions']} decisions indexed")
        if waiting:  # a damaged store was reset (store/index.py)
            line += (f"; {len(waiting)} papers await rebuilding after a damaged store was reset: upload any "
                     "paper or run `panel-papers ingest`")
        return line

    # -- chat ---------------------------------------------------------------------------------------
    def ask(self, question: str, history: list[tuple[str, str]] | None = None, filters: Filters | None = None,
            on_token: Callable[[str], None] | None = None) -> Answer:
        workers = self._workers
        if workers is not None:
            answer = workers.ask(Question(question, history, filters, self._written()))
            if answer is not None:  # None: no worker alive (starting, or started again after a crash)
                if on_token:  # the extractive answer streams as the assistant streams it: a piece at a time
                    for piece in PIECE.split(answer.text):
                        if piece:
                            on_token(piece)
                return answer

        def work(assistant: Assistant) -> Answer:
            return assistant.ask(question, history=history, filters=filters, on_token=on_token)
        return self._guard(work)

    def start_answer_workers(self) -> int:
        """From now on answer in worker processes (``app.answer_workers``): ``app_answer_processes`` of them (0:
        one per core; 1: none, this process answers). Not with an LLM, whose answer streams as it is written.
        Returns how many are starting; until one is ready, this process answers."""
        processes = self.answer_processes
        if not processes or self._workers is not None:
            return 0
        from app.answer_workers import AnswerWorkers

        self._workers = AnswerWorkers(self.settings, processes)
        return processes

    @property
    def answer_processes(self) -> int:
        """How many answer workers ``start_answer_workers`` starts (0: none)."""
        processes = self.settings.app.answer_processes or os.cpu_count() or 1
        return 0 if processes <= 1 or self.settings.llm.enabled else processes

    def wait_for_answer_workers(self, seconds: float) -> int:
        """Wait until every answer worker has started (or died starting), at most ``seconds``; how many are ready."""
        return 0 if self._workers is None else self._workers.wait_until_started(seconds)

    def answer_worker_pids(self) -> list[int]:
        return [] if self._workers is None else self._workers.pids()

    def stop_answer_workers(self) -> None:
        workers, self._workers = self._workers, None
        if workers is not None:
            workers.close()

    def look_again(self) -> None:
        """See every write to the index now (an answer worker told that the server wrote)."""
        self._guard(lambda a: a.searcher.ensure_fresh(force=True))

    def _written(self) -> tuple[int, int] | None:
        """Which of this process's writes an answer must see: changes with each write, and with a new index
        object (a reconnect)."""
        assistant = self._assistant
        return None if assistant is None else (id(assistant.index), assistant.index.generation)

    def filters(self, date_from: str = "", date_to: str = "", committee: str = "", document: str = "") -> Filters:
        """The chat's filters, checked: a date that is not YYYY-MM-DD is one plain error, not a crash."""
        return Filters(document=document or None, committee=committee or None, date_from=_date_bound(date_from),
                       date_to=_date_bound(date_to))

    def documents(self) -> dict[str, DocumentRecord]:
        return self._guard(lambda a: a.index.documents())

    def source_pdf(self, document: str, records: dict[str, DocumentRecord] | None = None) -> Path | None:
        """The index's copy of a document's PDF (made now from the original if an older ingest kept none).
        ``records``: the registry, when the caller already read it (one read for a whole sources panel)."""
        record = (self.documents() if records is None else records).get(document)
        if record is None or not record.content_hash:
            return None
        for candidate in (record.source, Path(self.settings.ingest.corpus_dir) / document):
            if candidate and Path(candidate).is_file():
                path = Path(candidate)
                store = self.settings.store
                return path if is_copy(path, store) else keep_copy(path, record.content_hash, store)
        return None

    def page_image(self, document: str, page: int, quote: str = ""):
        path = self.source_pdf(document)
        if path is None:
            raise ServiceError(f"The PDF of {document} is no longer on disk, so its page cannot be shown.")
        return self.renderer.render(path, int(page), quote)

    # -- decisions ----------------------------------------------------------------------------------
    def decisions(self, search: str = "", date_from: str = "", date_to: str = "",
                  committee: str = "") -> list[StoredDecision]:
        """The decisions matching the search words and filters, newest meeting first (a member looks for
        what was decided lately)."""
        low, high = _date_bound(date_from), _date_bound(date_to)
        words = [w for w in re.findall(r"\w+", (search or "").lower()) if len(w) > 1]
        found = []
        for decision in reversed(self._guard(lambda a: a.index.all_decisions())):
            key = decision.meeting_key
            if (low and key < low) or (high and key > high):
                continue
            if committee and decision.committee != committee:
                continue
            haystack = (f"{decision.minute_title or ''} {decision.text} {decision.minute or ''} "
                        f"{decision.number or ''} {decision.maker or ''} {decision.kind}").lower()
            if words and not all(w in haystack for w in words):
                continue
            found.append(decision)
        return found

    @staticmethod
    def decisions_csv(decisions: list[StoredDecision], folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"decisions-{time.strftime('%Y%m%d-%H%M%S')}.csv"
        _write_csv(path, DECISION_FIELDS, [decision_row(d) for d in decisions])
        return path

    # -- history and follow-ups ---------------------------------------------------------------------
    def timeline(self, topic: str, committee: str = "") -> list[TimelineEntry]:
        """Every minute and agenda paper on a topic, oldest first (``retrieval.history``)."""
        topic = " ".join((topic or "").split())
        if not topic:
            raise ServiceError("Name a topic to trace, e.g. “Lifelong Links”.")
        if len(topic) > 300:
            raise ServiceError("That topic is too long: name it in a few words.")

        def work(assistant: Assistant) -> list[TimelineEntry]:
            return assistant.history().timeline(topic, committee or None)
        return self._guard(work)

    def register(self, committee: str = "", date_from: str = "", date_to: str = "",
                 status: str = "") -> list[FollowUpRequest]:
        """The follow-ups the minutes record, oldest meeting first; ``status``: "open", "answered" or all."""
        low, high = _date_bound(date_from), _date_bound(date_to)
        if status not in ("", "all", "open", "answered"):
            raise ServiceError(f"“{status[:20]}” is not a status: choose open, answered or all.")

        def work(assistant: Assistant) -> list[FollowUpRequest]:
            return assistant.history().register(committee or None, low, high,
                                                None if status in ("", "all") else status)
        return self._guard(work)

    @staticmethod
    def register_csv(requests: list[FollowUpRequest], folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"follow-ups-{time.strftime('%Y%m%d-%H%M%S')}.csv"
        _write_csv(path, REQUEST_FIELDS, [request_row(r) for r in requests])
        return path

    # -- figures ------------------------------------------------------------------------------------
    def indicators(self) -> list[tuple[str, int]]:
        def work(assistant: Assistant) -> list[tuple[str, int]]:
            return assistant.figures.indicators()
        return self._guard(work)

    def series(self, indicator: str) -> list[Figure]:
        def work(assistant: Assistant) -> list[Figure]:
            return assistant.figures.series(indicator)
        return self._guard(work)

    # -- library ------------------------------------------------------------------------------------
    def library(self) -> list[DocumentRecord]:
        """The indexed papers, newest meeting first."""
        return sorted(self.documents().values(), key=lambda r: (-r.meeting_key, r.document))

    def upload(self, uploads: list[Upload], progress: bool = False, password: str = "") -> IngestReport:
        """Ingest uploaded files under their safe display names. The upload's own path is only read: the
        index keeps a copy named by content (``store.copies.keep_copy``). Wrong type or size is refused
        before anything is read. ``password`` opens encrypted uploads (and is not kept)."""
        started = time.perf_counter()
        report = IngestReport()
        accepted: dict[Path, str] = {}
        limit = self.settings.ingest.max_file_mb * 1024 * 1024
        for upload in uploads:
            name = safe_document_name(upload.name)
            source = Path(upload.path)
            if not name.lower().endswith(".pdf"):
                report.failed.append((name, f"not a PDF (a .{name.rpartition('.')[2]} file); only PDFs are taken"))
            elif not source.is_file():
                report.failed.append((name, "the upload did not arrive"))
            elif source.stat().st_size > limit:
                size = source.stat().st_size / 1e6
                limit_mb = self.settings.ingest.max_file_mb
                report.failed.append((name, f"too large ({size:.0f} MB; the limit is {limit_mb} MB)"))
            else:
                accepted[source] = name
        if accepted:
            with self._ingest_lock:
                done = self._guard(lambda a: ingest_paths(list(accepted), self.settings.ingest, a.index,
                                                          progress=progress, names=accepted,
                                                          password=password))
            report.ingested, report.skipped, report.rebuilt = done.ingested, done.skipped, done.rebuilt
            report.failed += done.failed
            report.pages, report.chunks, report.decisions = done.pages, done.chunks, done.decisions
            report.figures = done.figures
        # What the user waited: the checks, the wait for another ingest and opening the index too.
        report.seconds = time.perf_counter() - started
        return report

    def sync_configured(self) -> tuple[str, str] | None:
        """The site and committee the Library tab syncs (settings sync_site, sync_committee), if set."""
        sync = self.settings.sync
        return (sync.site, sync.committee) if sync.site and sync.committee else None

    def sync(self, progress: bool = False,
             on_progress: Callable[[int, int, str], None] | None = None) -> SyncReport:
        """Fetch the configured committee's new papers from the council's site and index them (``ingest.sync``);
        a site-wide failure is one sentence (``ServiceError``)."""
        configured = self.sync_configured()
        if configured is None:
            raise ServiceError("no site to sync from: set sync_site and sync_committee (e.g. in panel-papers.toml)")
        site, committee = configured

        def work(assistant: Assistant) -> SyncReport:
            try:
                return sync_committee(site, committee, self.settings.sync, self.settings.ingest, assistant.index,
                                      progress=progress, on_progress=on_progress)
            except SiteError as exc:  # the site's failure, not the index's: said as it is
                raise ServiceError(str(exc)) from exc

        with self._ingest_lock:
            return self._guard(work)

    def remove(self, document: str) -> bool:
        with self._ingest_lock:
            documents = self.documents()
            source = Path(documents[document].source) if document in documents else Path()
            removed = self._guard(lambda a: a.index.remove(document))
            still_used = any(r.source == str(source) for name, r in documents.items() if name != document)
            if removed and not still_used and is_copy(source, self.settings.store) and source.is_file():
                source.unlink()  # the index's own copy; the original file is never touched
        return removed

    # -- feedback -----------------------------------------------------------------------------------
    def add_feedback(self, liked: bool, answer: dict, comment: str = "") -> int:
        return self.feedback.add(1 if liked else -1, answer, comment)


DECISION_FIELDS = ["meeting_date", "committee", "minute", "title", "decision", "document", "page", "page_label",
                   "kind", "number", "maker", "outcome", "votes"]


def decision_row(decision: StoredDecision) -> dict[str, str | int]:
    """A decision as a row of the register (the table, its CSV and the API)."""
    return {"meeting_date": decision.meeting_date or "", "committee": decision.committee or "",
            "minute": decision.minute or "", "title": decision.minute_title or "",
            "decision": " ".join(decision.text.split()), "document": decision.document, "page": decision.page,
            "page_label": decision.page_label or "", "kind": decision.kind, "number": decision.number or "",
            "maker": decision.maker or "", "outcome": decision.outcome or "", "votes": vote_counts(decision)}


def vote_counts(decision: StoredDecision) -> str:
    """"For (14), Against (45), Abstain (4)" for a recorded vote; "" otherwise."""
    counts = (("For", decision.count_for), ("Against", decision.count_against), ("Abstain", decision.count_abstain))
    return ", ".join(f"{side} ({count})" for side, count in counts if count is not None)


REQUEST_FIELDS = ["status", "meeting_date", "committee", "minute", "title", "request", "source", "due",
                  "document", "page", "page_label", "answered_on", "answered_by", "answer_title", "answer_document",
                  "answer_page", "answer_page_label"]


def request_row(request: FollowUpRequest) -> dict[str, str | int]:
    """A follow-up as a row of the register (its CSV and the API): the request, and what answered it."""
    entry, answer = request.entry, request.answer
    return {"status": request.status, "meeting_date": request.meeting_date, "committee": request.committee,
            "minute": request.paragraph or entry.minute or entry.item or "", "title": entry.title,
            "request": request.words,
            "source": str(request.source), "due": request.due or "", "document": entry.document,
            "page": request.page, "page_label": request.page_label or "",
            "answered_on": answer.meeting_date if answer else "", "answered_by": answer.label if answer else "",
            "answer_title": answer.title if answer else "", "answer_document": answer.document if answer else "",
            "answer_page": answer.page if answer else "",
            "answer_page_label": (answer.page_label or "") if answer else ""}


def timeline_row(timeline_entry: TimelineEntry) -> dict[str, str | int | None]:
    entry, later = timeline_entry.entry, timeline_entry.updated_by
    return {"meeting_date": entry.meeting_date, "committee": entry.committee, "kind": str(entry.kind),
            "minute": entry.minute or "", "item": entry.item or "", "title": entry.title,
            "decision": entry.decision or "", "document": entry.document, "page": entry.page,
            "page_label": entry.page_label or "", "score": round(timeline_entry.score, 3),
            "updated_by": f"{later.meeting_date} {later.label}" if later else ""}


def _write_csv(path: Path, fields: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            # A cell starting with = + - @ (or a tab or carriage return before one) would run as a formula
            # in a spreadsheet: quote it as text. An empty cell stays empty.
            writer.writerow({k: ("'" + v if isinstance(v, str) and v and v[0] in "=+-@\t\r" else v)
                             for k, v in row.items()})


def _date_bound(value: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return day_key(value)
    except ValueError:
        raise ServiceError(f"“{value[:40]}” is not a date; write it as YYYY-MM-DD.") from None
