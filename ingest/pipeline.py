"""The ingest run: PDF → pages → structure → chunks → index, one document at a time.

A bad file gets one line naming it and the reason; the run goes on with the others and nothing
already indexed is touched. Unchanged files (same content hash) are skipped.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2
from tqdm import tqdm

from ingest.chunker import make_chunks
from ingest.index import PanelIndex
from ingest.pdf_reader import check_file, file_hash, read_pdf
from ingest.records import IngestError
from ingest.settings import Settings
from ingest.structure import analyse


@dataclass
class IngestReport:
    ingested: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)  # written again from the index's copies after damage
    pages: int = 0
    chunks: int = 0
    decisions: int = 0
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


def load_catalogue(corpus_dir: Path) -> dict[str, dict]:
    """corpus/papers.toml, by PDF file name: title, committee, meeting date and kind of each paper."""
    path = Path(corpus_dir) / "papers.toml"
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        papers = tomllib.load(fh).get("paper", [])
    return {p["file"]: p for p in papers}


def papers_dir(settings: Settings) -> Path:
    return Path(settings.index_dir) / "papers"


def keep_copy(path: Path, content_hash: str, settings: Settings, password: str = "") -> Path:
    """The index keeps its own copy of every paper, named by content: pages can be shown after the
    original moves, an upload's name never becomes a path, and the app serves only this folder.
    A paper opened with a password is kept decrypted: the index already holds its text, and the
    password is never stored."""
    folder = papers_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{content_hash[:24]}.pdf"
    if not target.is_file():
        partial = target.with_suffix(".part")
        if password:
            pdf = pypdfium2.PdfDocument(str(path), password=password)
            try:
                pdf.save(partial, flags=pypdfium2.raw.FPDF_REMOVE_SECURITY)
            finally:
                pdf.close()
        else:
            shutil.copyfile(path, partial)
        os.replace(partial, target)  # never a half-copied paper under the final name
    return target


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


def ingest_paths(paths: Iterable[Path | str], settings: Settings, index: PanelIndex | None = None,
                 progress: bool = True, err=None, names: dict[Path, str] | None = None,
                 password: str = "") -> IngestReport:
    """Ingest PDFs or folders. ``names`` gives a stored file its document name (an upload is kept under
    a generated file name but known by the name it was uploaded with). ``password`` opens encrypted
    papers (files that need none open as before). Documents a damaged store lost (``PanelIndex``'s
    "rebuild" mark) and not among ``paths`` are written again from the index's own copies."""
    started = time.perf_counter()
    err = err or sys.stderr
    report = IngestReport()
    index = index or PanelIndex(settings)
    index.repair()
    files = collect_pdfs(paths)
    documents = {f: (names or {}).get(f, f.name) for f in files}
    rebuild: dict[Path, str] = {}
    for name, record in index.to_rebuild().items():
        copy = Path(record.get("source") or "")
        if name in documents.values():
            continue
        if copy.is_file():
            rebuild[copy] = name
        else:
            reason = "lost with a damaged store and its copy is gone: ingest the PDF again"
            report.failed.append((name, reason))
            print(f"error: {name}: {reason}", file=err)
    catalogue = load_catalogue(settings.corpus_dir)
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
                kept = keep_copy(path, pdf.content_hash, settings, pdf.password_used)
                index.write_document(structure.info, chunks, structure.decisions, source=str(kept))
            except IngestError as exc:
                report.failed.append((document, str(exc)))
                bar.write(f"error: {path}: {exc}", file=err)
                continue
            (report.rebuilt if path in rebuild else report.ingested).append(document)
            report.pages += structure.info.pages
            report.chunks += len(chunks)
            report.decisions += len(structure.decisions)
    finally:
        bar.close()
    report.seconds = time.perf_counter() - started
    return report
