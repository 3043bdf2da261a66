"""The ingest run: PDF → pages → structure → chunks → index, one document at a time, while a process
pool reads the next papers' pages (``ingest.parallel``) on the other cores.

A bad file gets one line naming it and the reason; the run goes on with the others and nothing
already indexed is touched. Unchanged files (same content hash) are skipped.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2
from tqdm import tqdm

from core.catalogue import Catalogue, PaperEntry
from core.errors import IngestError
from core.hashing import file_hash
from core.settings import IngestSettings
from ingest.chunker import make_chunks
from ingest.kpi import figure_rows
from ingest.parallel import ParallelReader
from ingest.pdf_reader import check_file, read_pdf
from ingest.structure import analyse
from store.copies import keep_copy
from store.index import PanelIndex


@dataclass
class IngestReport:
    ingested: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)  # written again from the index's copies after damage
    pages: int = 0
    chunks: int = 0
    decisions: int = 0
    figures: int = 0  # scorecard rows
    seconds: float = 0.0
    ocr_pages: int = 0  # pages read by OCR (scans, garbage layers), and the time it took
    ocr_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        rebuilt = (f" ({len(self.rebuilt)} rebuilt from the index's copies after a damaged store was reset)"
                   if self.rebuilt else "")
        ocr = f" ({self.ocr_pages} read by OCR)" if self.ocr_pages else ""
        return (f"{len(self.ingested)} documents ingested{rebuilt}, {len(self.skipped)} unchanged, "
                f"{len(self.failed)} failed; {self.pages} pages{ocr}, {self.chunks} chunks, "
                f"{self.decisions} decisions in {self.seconds:.1f} s")


def collect_pdfs(paths: Iterable[Path | str]) -> list[Path]:
    """Folders are searched for *.pdf; files are taken as given (a wrong type is reported later)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file()))
        else:
            found.append(path)
    return found


def count_pages(path: Path, password: str = "") -> int:
    """A quick page count for the progress bar (pypdfium2 reads ~700 pages/s); 0 when unreadable."""
    try:
        try:
            pdf = pypdfium2.PdfDocument(str(path))
        except pypdfium2.PdfiumError:
            pdf = pypdfium2.PdfDocument(str(path), password=password or None)
        try:
            return len(pdf)
        finally:
            pdf.close()
    except Exception:
        return 0


def ingest_paths(paths: Iterable[Path | str], settings: IngestSettings, index: PanelIndex, *,
                 progress: bool = True, err=None, names: dict[Path, str] | None = None,
                 password: str = "", entries: dict[Path, PaperEntry] | None = None) -> IngestReport:
    """Ingest PDFs or folders. ``names`` gives a stored file its document name (an upload is kept under
    a generated file name but known by the name it was uploaded with). ``password`` opens encrypted
    papers (files that need none open as before). ``entries`` says what a file is, as a catalogue entry
    would (a sync gives the site's committee, meeting date and the paper's provenance); they win over
    corpus/papers.toml. Documents a damaged store lost (``PanelIndex``'s
    "rebuild" mark) and not among ``paths`` are written again from the index's own copies."""
    started = time.perf_counter()
    err = err or sys.stderr
    report = IngestReport()
    index.repair()
    files = collect_pdfs(paths)
    documents = {f: (names or {}).get(f, f.name) for f in files}
    rebuild: dict[Path, str] = {}
    for name, record in index.to_rebuild().items():
        copy = Path(record.source or "")
        if name in documents.values():
            continue
        if copy.is_file():
            rebuild[copy] = name
        else:
            reason = "lost with a damaged store and its copy is gone: ingest the PDF again"
            report.failed.append((name, reason))
            print(f"error: {name}: {reason}", file=err)
    catalogue = Catalogue.load(settings.corpus_dir).papers
    corpus_dir = Path(settings.corpus_dir).resolve()
    work = [(f, documents[f], f.resolve().parent == corpus_dir) for f in files]
    work += [(copy, name, True) for copy, name in rebuild.items()]  # a copy keeps its catalogue entry
    totals = {path: count_pages(path, password) for path, _, _ in work}
    bar = tqdm(total=sum(totals.values()), unit="page", disable=not progress, file=err,
               desc="ingest", dynamic_ncols=True)
    bar_lock = threading.Lock()

    def pages_read(n: int) -> None:
        with bar_lock:
            bar.update(n)

    def fail(path: Path, document: str, exc: IngestError) -> None:
        report.failed.append((document, str(exc)))
        with bar_lock:
            bar.write(f"error: {path}: {exc}", file=err)

    # Cheap checks first, for every file: what is unchanged is skipped before any page is read.
    to_read: list[tuple[Path, str, bool, str]] = []
    registered = index.documents()  # read once: listing the registry per file is quadratic in an archive
    for path, document, catalogued in work:
        try:
            check_file(path, settings.max_file_mb)
            content_hash = file_hash(path)
            if index.is_current(document, content_hash, registered):
                report.skipped.append(document)
                pages_read(totals[path])
                continue
        except IngestError as exc:
            fail(path, document, exc)
            pages_read(totals[path])
            continue
        to_read.append((path, document, catalogued, content_hash))
    workers = settings.workers or os.cpu_count() or 1
    pages_to_read = sum(totals[path] for path, *_ in to_read)
    reader = None
    if workers > 1 and pages_to_read >= settings.parallel_min_pages:
        reader = ParallelReader(workers, settings.range_pages, settings.lookahead_pages, password,
                                settings.max_pages, on_pages=pages_read, ocr=settings.ocr,
                                page_reader=settings.page_reader)
        for path, _, _, content_hash in to_read:
            reader.plan(path, content_hash, totals[path])
    # Three stages overlap: this thread reads and analyses a paper while the one before is embedded on the
    # "embed" thread (whose calls use every core) and the one before that is written on the "write" thread.
    # The embedder, the slowest stage, so always has the next paper waiting. Papers are written in order,
    # at most one write in flight.
    embedder = ThreadPoolExecutor(1, thread_name_prefix="embed")
    writer = ThreadPoolExecutor(1, thread_name_prefix="write")
    writing: Future | None = None
    embedding: tuple | None = None  # a paper's vectors being made (a Future), then what its write needs

    def written(path: Path, document: str, structure, chunks, rows) -> None:
        (report.rebuilt if path in rebuild else report.ingested).append(document)
        report.pages += structure.info.pages
        report.chunks += len(chunks)
        report.decisions += len(structure.decisions)
        report.figures += len(rows)

    def write_when_embedded(vectors: Future, path: Path, document: str, structure, chunks, rows, kept) -> None:
        nonlocal writing
        try:
            made = vectors.result()
        except IngestError as exc:
            fail(path, document, exc)
            return
        if writing is not None:
            writing.result()  # the paper before is whole in the index (or its error is raised here)
        writing = writer.submit(index.write_document, structure.info, chunks, structure.decisions, rows,
                                source=str(kept), vectors=made)
        writing.add_done_callback(
            lambda done, args=(path, document, structure, chunks, rows): done.exception() or written(*args))

    try:
        for number, (path, document, catalogued, _) in enumerate(to_read, start=1):
            with bar_lock:
                ocr_note = f" · ocr {report.ocr_pages} pages" if report.ocr_pages else ""
                bar.set_postfix_str(f"paper {number}/{len(to_read)} {document[:40]}{ocr_note}")
            try:
                if reader is not None:
                    pdf = reader.take(path)
                else:
                    pdf = read_pdf(path, settings.max_file_mb, settings.max_pages,
                                   on_page=lambda n, total: pages_read(1), password=password, ocr=settings.ocr,
                                   page_reader=settings.page_reader)
                    pages_read(max(0, totals[path] - len(pdf.pages)))
                if pdf.ocr_pages:  # the bar shows how many pages OCR has read
                    report.ocr_pages += pdf.ocr_pages
                    report.ocr_seconds += pdf.ocr_seconds
                    with bar_lock:
                        bar.set_postfix_str(f"paper {number}/{len(to_read)} {document[:40]} · ocr "
                                            f"{report.ocr_pages} pages")
                entry = (entries or {}).get(path) or (catalogue.get(document) if catalogued else None)
                structure = analyse(pdf.pages, document, pdf.content_hash, entry, pdf.metadata_title)
                chunks = make_chunks(structure, settings.chunk_words, settings.chunk_overlap_words,
                                     ocr_pages={page.number for page in pdf.pages if page.ocr})
                if not chunks:
                    raise IngestError("no text to index")
                rows = figure_rows(chunks)  # scorecard rows and KPI tables' rows
                kept = keep_copy(path, pdf.content_hash, index.settings, pdf.password_used)
            except IngestError as exc:
                fail(path, document, exc)
                continue
            vectors = embedder.submit(index.embed_document, chunks, structure.decisions, rows)
            if embedding is not None:
                write_when_embedded(*embedding)
            embedding = (vectors, path, document, structure, chunks, rows, kept)
        if embedding is not None:
            write_when_embedded(*embedding)
        if writing is not None:
            writing.result()
    finally:
        embedder.shutdown(wait=True, cancel_futures=True)
        writer.shutdown(wait=True)  # never leave a paper half written behind an error
        if reader is not None:
            reader.close()
        bar.close()
    report.seconds = time.perf_counter() - started
    return report
