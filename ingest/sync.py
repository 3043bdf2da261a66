"""Keep the archive current from a council's modern.gov site (``panel-papers sync``).

A committee's meetings are listed by the site's web service (``ingest.modgov``); each meeting's papers
are fetched (the public reports pack and printed minutes where the meeting's page has them, else the item
papers) and ingested with the site's own committee, meeting date and agenda item, and with where each came
from (``core.records.Provenance``).

Incremental and safe:
- a paper whose address the ledger holds, and whose document the index holds, is not fetched again;
- a download goes to a ``.part`` file and is checked to be a whole PDF before it takes its name;
- the ledger (``ledger.json`` in the sync folder) is rewritten whole (temporary file, then rename) after each
  paper, so a killed sync leaves it either before or after that paper;
- the index is written by ``ingest_paths``, whose guarantees hold (a paper is wholly in or wholly out).
A re-run after a kill therefore fetches only what it had not finished, and ingests what it had fetched.

Fetching runs on a thread of its own, ahead of indexing: at one request a second a sync is mostly waiting,
and the papers already fetched are indexed meanwhile (``evals/bench_sync.py`` measures the overlap).
"""

from __future__ import annotations

import json
import os
import queue
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from tqdm import tqdm

from core.catalogue import PaperEntry
from core.records import Provenance
from core.settings import IngestSettings, SyncSettings
from ingest.modgov import (
    Committee,
    FetchFailed,
    Meeting,
    MeetingPapers,
    ModernGovSite,
    Paper,
    PoliteFetcher,
    SiteError,
)
from ingest.pipeline import ingest_paths
from store.index import PanelIndex

# What the site calls a paper, as the kind the index knows (an item paper's kind is read from its text).
KIND_OF_PAPER = {"pack": "agenda pack", "minutes": "minutes", "frontsheet": "agenda front sheet"}
LEDGER = "ledger.json"


@dataclass
class SyncReport:
    site: str
    committee: Committee | None = None
    meetings: int = 0
    new: list[str] = field(default_factory=list)  # documents fetched (or found fetched) and indexed
    unchanged: int = 0  # papers the index already holds: nothing fetched
    failed: list[tuple[str, str]] = field(default_factory=list)  # (a paper's or meeting's address, why)
    restricted: int = 0  # restricted items the site lists and we never ask for
    pages: int = 0
    requests: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        name = self.committee.title if self.committee else "?"
        restricted = f", {self.restricted} restricted items skipped" if self.restricted else ""
        return (f"synced {name} from {self.site}: {self.meetings} meetings, papers {len(self.new)} new / "
                f"{self.unchanged} unchanged / {len(self.failed)} failed{restricted}, {self.pages} pages, "
                f"{self.requests} requests, {self.seconds:.1f} s")


@dataclass(frozen=True)
class Fetched:
    """A paper the ledger holds: the document it was fetched as, its hash and when."""

    document: str
    sha256: str
    fetched_at: str


@dataclass
class Ledger:
    """What this sync folder has fetched, by the paper's address."""

    path: Path
    papers: dict[str, Fetched] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Ledger:
        path = folder / LEDGER
        try:
            papers = {url: Fetched(**entry) for url, entry in
                      json.loads(path.read_text(encoding="utf-8"))["papers"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            papers = {}  # absent, or damaged: that costs downloads, never the index
        return cls(path, papers)

    def record(self, url: str, fetched: Fetched) -> None:
        self.papers[url] = fetched
        temporary = self.path.with_suffix(".json.tmp")
        shown = {url: asdict(entry) for url, entry in self.papers.items()}
        temporary.write_text(json.dumps({"papers": shown}, indent=1, sort_keys=True), encoding="utf-8")
        with temporary.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(temporary, self.path)


def document_name(meeting: Meeting, paper: Paper) -> str:
    """A paper's file and document name: the meeting's date, then its title (an item paper's agenda item
    and the site's attachment id keep two "Appendix 1"s of one meeting apart)."""
    words = re.sub(r"[^a-z0-9]+", "-", paper.title.lower()).strip("-")[:90].rstrip("-") or paper.kind
    if paper.kind == "item":
        item = f"item-{re.sub(r'[^a-z0-9]+', '', paper.item_number.lower())}-" if paper.item_number else ""
        attachment = f"-{paper.attachment_id}" if paper.attachment_id is not None else ""
        return f"{meeting.date.isoformat()}-{item}{words}{attachment}.pdf"
    return f"{meeting.date.isoformat()}-{words}.pdf"


def sync_folder(sync: SyncSettings, index_dir: Path, site: str, committee_id: int) -> Path:
    host = urlsplit(site).netloc.replace(":", "_") or "site"
    return Path(sync.folder or Path(index_dir) / "synced") / host / str(committee_id)


def sync_committee(site_url: str, committee: str, sync: SyncSettings, ingest: IngestSettings, index: PanelIndex, *,
                   since: date | None = None, until: date | None = None, refresh: bool = False,
                   progress: bool = True, err=None,
                   on_progress: Callable[[int, int, str], None] | None = None) -> SyncReport:
    """Fetch one committee's papers from a modern.gov site and ingest what is new. A site-wide failure (not
    modern.gov, unreachable, no such committee) raises ``SiteError``; a failed meeting or paper is reported
    and the rest go on. ``refresh``: fetch papers the index holds again (a changed file is re-ingested).
    ``on_progress(meetings done, meetings, what)`` follows the work (the app's progress bar).

    Fetching and indexing overlap: a thread fetches (mostly waiting, politely, between requests) while this
    one indexes what has arrived, a batch at a time."""
    started = time.perf_counter()
    err = err or sys.stderr
    fetcher = PoliteFetcher(sync)
    site = ModernGovSite(site_url, fetcher)
    report = SyncReport(site=site.base_url)
    try:
        report.committee = site.find_committee(committee)
        meetings = site.meetings(report.committee, since, until)
    finally:
        report.requests = fetcher.requests
    folder = sync_folder(sync, index.settings.index_dir, site.base_url, report.committee.id)
    folder.mkdir(parents=True, exist_ok=True)
    bar = tqdm(total=len(meetings), unit="meeting", disable=not progress, file=err, desc="sync",
               dynamic_ncols=True)
    lock = threading.Lock()

    def say(message: str) -> None:
        with lock:
            bar.write(message, file=err)

    fetching = _Fetching(site, meetings, folder, Ledger.load(folder), index.documents(), refresh, report, lock, say)
    worker = threading.Thread(target=fetching.run, name="sync-fetch", daemon=True)
    worker.start()
    done = 0
    try:
        while True:
            batch = [fetching.queue.get()]
            while not fetching.queue.empty():
                batch.append(fetching.queue.get_nowait())
            papers = {item[1]: item[2] for item in batch if item[0] == "paper"}
            if papers:
                _index_papers(papers, ingest, index, report, lock, say)
            for item in batch:
                if item[0] == "failure":
                    raise item[1]  # the fetching thread's own failure (a full disk): the sync stops
                if item[0] == "meeting":
                    done += 1
                    report.meetings = done
                    bar.update(1)
                    if on_progress:
                        on_progress(done, len(meetings), f"meeting of {item[1].date:%-d %B %Y}")
            bar.set_postfix_str(f"papers {len(report.new)} new / {report.unchanged} unchanged / "
                                f"{len(report.failed)} failed")
            if any(item[0] == "end" for item in batch):
                break
    finally:
        fetching.stop.set()
        bar.close()
        report.requests = fetcher.requests
        report.seconds = time.perf_counter() - started
    return report


class _Fetching:
    """The fetching thread: each meeting's listing and papers, downloaded (or found downloaded before a kill)
    and put on ``queue`` as ("paper", path, entry); then ("meeting", meeting); at the end ("end",)."""

    def __init__(self, site: ModernGovSite, meetings: list[Meeting], folder: Path, ledger: Ledger,
                 held: dict, refresh: bool, report: SyncReport, lock: threading.Lock, say: Callable[[str], None]):
        self.site, self.meetings, self.folder, self.ledger = site, meetings, folder, ledger
        self.held = held  # the index's documents when the sync began
        self.hashes = {record.content_hash for record in held.values()}  # and every file fetched since
        self.refresh, self.report, self.lock, self.say = refresh, report, lock, say
        self.queue: queue.Queue = queue.Queue()
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            for meeting in self.meetings:
                if self.stop.is_set():
                    return
                self._meeting(meeting)
                self.queue.put(("meeting", meeting))
        except Exception as exc:  # noqa: BLE001 (handed to the indexing thread, which raises it)
            self.queue.put(("failure", exc))
        finally:
            self.queue.put(("end",))

    def _failed(self, where: str, reason: str, line: str) -> None:
        with self.lock:
            self.report.failed.append((where, reason))
        self.say(line)

    def _meeting(self, meeting: Meeting) -> None:
        try:
            listing: MeetingPapers = self.site.meeting_papers(meeting)
        except SiteError as exc:
            self._failed(f"meeting {meeting.id} ({meeting.date.isoformat()})", str(exc),
                         f"error: meeting of {meeting.date.isoformat()}: {exc}")
            return
        with self.lock:
            self.report.restricted += listing.restricted_skipped
        for paper in listing.papers:
            if self.stop.is_set():
                return
            found = self._paper(meeting, paper)
            if found is not None:
                self.queue.put(("paper", *found))

    def _unchanged(self) -> None:
        with self.lock:
            self.report.unchanged += 1

    def _paper(self, meeting: Meeting, paper: Paper) -> tuple[Path, PaperEntry] | None:
        known = self.ledger.papers.get(paper.url)
        if known and not self.refresh and (known.document in self.held or known.sha256 in self.hashes):
            self._unchanged()  # held under its own name, or the same file under another
            return None
        document = known.document if known else document_name(meeting, paper)
        path = self.folder / document
        if known and not self.refresh and path.is_file():
            sha256, fetched_at = known.sha256, known.fetched_at  # fetched before a kill, not yet indexed
        else:
            try:
                download = self.site.fetcher.download(paper.url, path)
            except SiteError as exc:
                reason = exc.reason if isinstance(exc, FetchFailed) else str(exc)
                self._failed(paper.url, reason, f"error: {paper.url}: {reason}")
                return None
            sha256, fetched_at = download.sha256, datetime.now(UTC).isoformat(timespec="seconds")
            self.ledger.record(paper.url, Fetched(document, sha256, fetched_at))
            if sha256 in self.hashes and document not in self.held:
                self._unchanged()  # the index holds this very file under another name
                path.unlink(missing_ok=True)
                return None
        self.hashes.add(sha256)
        provenance = Provenance(site=self.site.base_url, url=paper.url, fetched_at=fetched_at,
                                committee_id=meeting.committee_id, meeting_id=meeting.id,
                                item=paper.item_number or None, sha256=sha256)
        return path, PaperEntry(file=document, title=paper.title or None, committee=meeting.committee,
                                meeting_date=meeting.date.isoformat(), kind=KIND_OF_PAPER.get(paper.kind),
                                provenance=provenance)


def _index_papers(papers: dict[Path, PaperEntry], ingest: IngestSettings, index: PanelIndex, report: SyncReport,
                  lock: threading.Lock, say: Callable[[str], None]) -> None:
    ingested = ingest_paths(list(papers), ingest, index, progress=False, err=_Quiet(say),
                            names={path: path.name for path in papers}, entries=papers)
    by_name = {path.name: entry for path, entry in papers.items()}
    with lock:
        report.new += ingested.ingested
        report.unchanged += len([name for name in ingested.skipped if name in by_name])
        report.pages += ingested.pages
        for document, reason in ingested.failed:
            entry = by_name.get(document)
            report.failed.append((entry.provenance.url if entry and entry.provenance else document, reason))


class _Quiet:
    """Ingest's error lines, passed on through the sync's own bar."""

    def __init__(self, say: Callable[[str], None]):
        self.say = say

    def write(self, text: str) -> int:
        if text.strip():
            self.say(text.rstrip("\n"))
        return len(text)

    def flush(self) -> None:
        pass
