"""The ingest run: PDF → pages → structure → chunks → index, one document at a time.

A bad file gets one line naming it and the reason; the run goes on with the others and nothing
already indexed is touched. Unchanged files (same content hash) are skipped.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2
from tqdm import tqdm

from core.catalogue import Catalogue
from core.errors import IngestError
from core.settings import IngestSettings
from ingest.chunker import make_chunks
from ingest.pdf_reader import check_file, file_hash, read_pdf
from ingest.scorecard import scorecard_rows
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

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        rebuilt = (f" ({len(self.rebuilt)} rebuilt from the index's copies after a damaged store was reset)"
                   if self.rebuilt else "")
        return (f"{len(self.ingested)} documents ingested{rebuilt}, {len(self.skipped)} unchanged, "
                f"{len(self.failed)} failed; {self.pages} pages, {self.chunks} chunks, "
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
                 password: str = "") -> IngestReport:
    """Ingest PDFs or folders. ``names`` gives a stored file its document name (an upload is kept under
    a generated file name but known by the name it was uploaded with). ``password`` opens encrypted
    papers (files that need none open as before). Documents a damaged store lost (``PanelIndex``'s
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
    try:
        for number, (path, document, catalogued) in enumerate(work, start=1):
            bar.set_postfix_str(f"doc {number}/{len(work)} {document[:40]}")
            try:
                check_file(path, settings.max_file_mb)
                if index.is_current(document, file_hash(path)):
                    report.skipped.append(document)
                    bar.update(totals[path])
                    continue
                done = 0

                def on_page(n: int, total: int) -> None:
                    nonlocal done
                    bar.update(1)
                    done = n

                pdf = read_pdf(path, settings.max_file_mb, settings.max_pages, on_page=on_page,
                               password=password)
                bar.update(max(0, totals[path] - done))
                entry = catalogue.get(document) if catalogued else None
                structure = analyse(pdf.pages, document, pdf.content_hash, entry, pdf.metadata_title)
                chunks = make_chunks(structure, settings.chunk_words, settings.chunk_overlap_words)
                if not chunks:
                    raise IngestError("no text to index")
                rows = scorecard_rows(chunks)
                kept = keep_copy(path, pdf.content_hash, index.settings, pdf.password_used)
                index.write_document(structure.info, chunks, structure.decisions, rows, source=str(kept))
            except IngestError as exc:
                report.failed.append((document, str(exc)))
                bar.write(f"error: {path}: {exc}", file=err)
                continue
            (report.rebuilt if path in rebuild else report.ingested).append(document)
            report.pages += structure.info.pages
            report.chunks += len(chunks)
            report.decisions += len(structure.decisions)
            report.figures += len(rows)
    finally:
        bar.close()
    report.seconds = time.perf_counter() - started
    return report
