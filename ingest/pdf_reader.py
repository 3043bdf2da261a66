"""PDF → pages: pdfplumber reads each page's text, tables and printed page label.

Every way a file can be unfit (not a PDF, corrupt, encrypted, empty, scanned, garbage text)
becomes an ``IngestError`` with a one-line reason, raised before anything is indexed.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError

from core.errors import IngestError
from core.records import Page, Table

# pdfminer logs a warning for every odd object in real-world PDFs; the reader reports what matters.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

PAGE_FOOTER = re.compile(r"^\s*Page\s+(\d{1,4})\s*$")
PAGE_OF_FOOTER = re.compile(r"^\s*Page\s+(\d{1,4})\s+of\s+(\d{1,4})\s*$")
# Latin words as printed, numbers, and runs of letters of any other script (Greek, Cyrillic, Hebrew,
# Arabic...): a paper in another language is text, not OCR noise.
WORD = re.compile(r"[A-Za-z][a-z]+|[A-Z]{2,}|\d[\d,.%£]*|[^\W\d_A-Za-z]{2,}")
TOKEN = re.compile(r"\S+")
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class PdfDocument:
    path: Path
    content_hash: str
    pages: list[Page]
    metadata_title: str | None
    password_used: str = ""  # the password that opened it ("" when it needed none)


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_file(path: Path, max_file_mb: int) -> None:
    """Cheap checks that need no parser: exists, non-empty, not too large, starts like a PDF."""
    if not path.is_file():
        raise IngestError("no such file")
    size = path.stat().st_size
    if size == 0:
        raise IngestError("empty file (0 bytes)")
    if size > max_file_mb * 1024 * 1024:
        raise IngestError(f"too large ({size / 1e6:.0f} MB; the limit is {max_file_mb} MB)")
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        kind = "HTML" if b"<html" in head.lower() or b"<!doctype" in head.lower() else "not a PDF"
        raise IngestError(f"not a PDF (the file is {kind})" if kind == "HTML" else "not a PDF")


def word_ratio(text: str) -> float:
    """Share of tokens that look like words or numbers; low for a garbage OCR layer."""
    tokens = TOKEN.findall(text)
    if not tokens:
        return 0.0
    wordlike = sum(1 for t in tokens if WORD.fullmatch(t.strip(".,;:()[]'\"‘’“”!?-–")))
    return wordlike / len(tokens)


def _clean(text: str) -> str:
    return CONTROL_CHARS.sub(" ", text.replace("\x00", ""))


def _read_tables(page: pdfplumber.page.Page) -> tuple[list[Table], str | None]:
    """Ruled tables as header + rows, and the page text outside them (None when no tables)."""
    found = page.find_tables()
    if not found:
        return [], None
    tables: list[Table] = []
    outside = page
    for table in found:
        rows = [[_clean(" ".join((cell or "").split())) for cell in row] for row in table.extract()]
        rows = [r for r in rows if any(r)]
        # Leading rows with a single filled cell are captions ("All figures in £m"), not the header.
        caption = []
        while rows and sum(1 for c in rows[0] if c) < 2:
            caption.append(" ".join(c for c in rows.pop(0) if c))
        if len(rows) < 2:
            continue
        tables.append(Table(header=rows[0], rows=rows[1:], caption=" ".join(caption)))
        try:
            outside = outside.outside_bbox(table.bbox)
        except ValueError:
            pass
    if not tables:
        return [], None
    return tables, _clean(outside.extract_text() or "")


def _declared_labels(pdf: pdfplumber.PDF, count: int) -> list[str] | None:
    """The PDF's own /PageLabels (e.g. "i", "ii", "1", ...), where it declares them."""
    try:
        labels = list(itertools.islice(pdf.doc.get_page_labels(), count))
    except Exception:  # PDFNoPageLabels, or a broken label tree: fall back to the footers
        return None
    return labels if len(labels) == count else None


def label_pages(pages: list[Page]) -> None:
    """Printed page numbers: from "Page N" footers, then carried to the pages without one.

    A modern.gov pack may number its pages from the first report ("Page 1" on the PDF's third page);
    the cover letter before it has no printed number. The offset most footers agree on wins.
    """
    offsets: Counter[int] = Counter()
    for page in pages:
        lines = [ln for ln in page.text.splitlines() if ln.strip()]
        for line in lines[-2:] + lines[:1]:
            match = PAGE_FOOTER.match(line)
            # "Page 2 of 6" inside a pack numbers an embedded report; it is the paper's own
            # numbering only when it counts the whole file.
            of_match = PAGE_OF_FOOTER.match(line)
            if of_match and int(of_match.group(2)) == len(pages):
                match = of_match
            if match:
                page.label = match.group(1)
                offsets[page.number - int(match.group(1))] += 1
                break
    if not offsets:
        return
    offset = offsets.most_common(1)[0][0]
    for page in pages:
        if page.label is None and page.number - offset >= 1:
            page.label = str(page.number - offset)


def _cause(exc: Exception) -> Exception:
    """pdfplumber wraps pdfminer's exception as its first argument."""
    return exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc


def describe_open_error(exc: Exception, password: str = "") -> str:
    """One line for the user from whatever pdfminer raised."""
    cause = _cause(exc)
    if _needs_password(exc):
        if password:
            return "encrypted: the password given does not open this PDF"
        return "encrypted: the PDF needs a password"
    message = str(cause).strip()
    if "EOF" in message or "startxref" in message.lower():
        return "corrupt PDF (truncated: the end of the file is missing)"
    if isinstance(cause, PDFSyntaxError) or "Root" in message:
        return f"corrupt PDF ({message or 'syntax error'})"
    return f"corrupt PDF ({type(cause).__name__}{': ' + message[:80] if message else ''})"


def _needs_password(exc: Exception) -> bool:
    return isinstance(_cause(exc), PDFPasswordIncorrect | PDFEncryptionError)


def _open(path: Path, password: str) -> tuple[pdfplumber.PDF, str]:
    """Open without a password first (most papers, and owner-password-only ones, need none), and try
    the given password only on a paper that asks for one: one password can serve a mixed folder."""
    try:
        return pdfplumber.open(path), ""
    except Exception as exc:  # pdfminer raises many types for broken files
        if not (password and _needs_password(exc)):
            raise IngestError(describe_open_error(exc)) from exc
    try:
        return pdfplumber.open(path, password=password), password
    except Exception as exc:
        raise IngestError(describe_open_error(exc, password)) from exc


def read_pdf(
    path: Path | str,
    max_file_mb: int = 200,
    max_pages: int = 3000,
    on_page: Callable[[int, int], None] | None = None,
    password: str = "",
) -> PdfDocument:
    """Read every page of a PDF, or raise IngestError saying why the file cannot be used."""
    path = Path(path)
    check_file(path, max_file_mb)
    content_hash = file_hash(path)
    pdf, password_used = _open(path, password)
    with pdf:
        try:
            count = len(pdf.pages)
        except Exception as exc:
            raise IngestError(f"corrupt PDF (page tree unreadable: {type(exc).__name__})") from exc
        if count == 0:
            raise IngestError("no pages (an empty or broken PDF)")
        if count > max_pages:
            raise IngestError(f"too many pages ({count}; the limit is {max_pages})")
        title = (pdf.metadata or {}).get("Title")
        declared = _declared_labels(pdf, count)
        pages: list[Page] = []
        images = 0
        try:
            for number, plumber_page in enumerate(pdf.pages, start=1):
                text = _clean(plumber_page.extract_text() or "")
                tables, outside = _read_tables(plumber_page) if text.strip() else ([], None)
                images += len(plumber_page.images)
                pages.append(Page(number=number, text=text, tables=tables, text_outside_tables=outside))
                plumber_page.flush_cache()  # keeps memory flat on long files
                if on_page:
                    on_page(number, count)
        except IngestError:
            raise
        except Exception as exc:
            raise IngestError(f"corrupt PDF (page {len(pages) + 1}: {type(exc).__name__})") from exc
    all_text = "\n".join(p.text for p in pages)
    if not all_text.strip():
        if images:
            raise IngestError("scanned: no text layer, needs OCR")
        raise IngestError("no text layer (glyphs drawn as shapes?): needs OCR")
    if len(TOKEN.findall(all_text)) >= 20 and word_ratio(all_text) < 0.5:
        raise IngestError("text is mostly not words (a garbage OCR layer?): needs OCR")
    if declared and declared != [str(n) for n in range(1, count + 1)]:
        for page, label in zip(pages, declared, strict=True):
            page.label = label
    else:
        label_pages(pages)
    repair_split_words(pages)
    return PdfDocument(path=path, content_hash=content_hash, pages=pages,
                       metadata_title=str(title) if title else None, password_used=password_used)


SPLIT_WORD = re.compile(r"\b([A-Z]) ([a-z]{2,})\b")


def repair_split_words(pages: list[Page]) -> None:
    """Join letter-spaced headings ("C orporate" → "Corporate") where the document itself
    uses the joined word elsewhere and never the broken tail on its own."""
    vocabulary = Counter(w.lower() for p in pages for w in re.findall(r"[A-Za-z]+", p.text))

    def join(match: re.Match[str]) -> str:
        joined = match.group(1) + match.group(2)
        if vocabulary[joined.lower()] > 0 and vocabulary[match.group(2).lower()] <= 1:
            return joined
        return match.group(0)

    for page in pages:
        page.text = SPLIT_WORD.sub(join, page.text)
        if page.text_outside_tables is not None:
            page.text_outside_tables = SPLIT_WORD.sub(join, page.text_outside_tables)
