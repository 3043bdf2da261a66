"""PDF → pages: each page's text, ruled tables and printed page label, laid out by pdfplumber.

pdfplumber opens the file (its page tree, labels, title, and the reasons a file cannot be read); each page's
characters and lines are read by pdfium where it reads them as pdfminer would (``ingest.pdfium_page``: in about
two fifths of pdfplumber's time on real papers), else by pdfplumber, and pdfplumber's algorithms make the text
and the tables.

A page with no usable text layer (a scan, glyphs drawn as shapes, a garbage or invisible OCR layer) is
read by OCR (``ingest.ocr``) where OCR is on and Tesseract is installed. A PDF whose page tree pdfplumber
cannot list but pypdfium2 can is read through pypdfium2. Every way a file can be unfit (not a PDF,
corrupt, encrypted, empty, scanned with no OCR, garbage text) becomes an ``IngestError`` with a one-line
reason, raised before anything is indexed.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdfium2
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils import extract_text

from core.errors import IngestError
from core.hashing import file_hash
from core.records import Page, Table
from ingest.pdfium_page import PDFIUM_LOCK, NotFit, PdfiumPage, read_page
from ingest.quick_page import quicken

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
    ocr_seconds: float = 0.0  # time spent reading pages by OCR

    @property
    def ocr_pages(self) -> int:
        return sum(page.ocr for page in self.pages)


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


def cell_texts(table) -> list[list[str | None]]:
    """pdfplumber's ``Table.extract()`` (its defaults), for less: a character belongs to the row and the cell
    its centre falls in, tested the same way, but the page's characters are sorted by their centre's height
    once, so a row looks only at the characters of its band, not at every character of the page for every
    row (a third of a table page's reading went to that test). Characters keep the page's order."""
    chars = table.page.chars
    centres = sorted(((char["top"] + char["bottom"]) / 2, (char["x0"] + char["x1"]) / 2, n)
                     for n, char in enumerate(chars))
    heights = [centre[0] for centre in centres]
    rows: list[list[str | None]] = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        band = centres[bisect.bisect_left(heights, top) : bisect.bisect_left(heights, bottom)]
        in_row = sorted((n, h, v) for v, h, n in band if x0 <= h < x1)
        texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            left, cell_top, right, cell_bottom = cell
            picked = [chars[n] for n, h, v in in_row if left <= h < right and cell_top <= v < cell_bottom]
            texts.append(extract_text(picked) if picked else "")
        rows.append(texts)
    return rows


def merged_header(table) -> list[str] | None:
    """The header row that pdfplumber reads as one cell over the whole table ("MTFP Category Directorate Cabinet
    Member ... 2025-26 2026-27 ... £000's £000's ...", every other cell None, a budget template's ruling), its
    characters put in the columns they stand over, the columns' edges read from the rows below: ["MTFP Category",
    "Directorate", ..., "2025-26 £000's", ...]. None for any other first row, or where fewer than three columns
    (and most of them) get words: a caption over the table ("All figures in £m") stays a caption."""
    rows = table.rows
    first = rows[0].cells if rows else []
    if len(rows) < 3 or len(first) < 3 or first[0] is None or any(cell is not None for cell in first[1:]):
        return None
    edges = []
    for n in range(len(first)):
        spans = sorted((cell[0], cell[2]) for row in rows[1:] if n < len(row.cells) and (cell := row.cells[n]))
        if not spans:
            return None
        edges.append(spans[len(spans) // 2])  # the median cell's edges: a spanning cell of one row is no edge
    x0, top, x1, bottom = rows[0].bbox
    picked: list[list[dict]] = [[] for _ in edges]
    for char in table.page.chars:
        middle, height = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        if top <= height < bottom and x0 <= middle < x1:
            column = next((n for n, (left, right) in enumerate(edges) if left <= middle < right), None)
            if column is not None:
                picked[column].append(char)
    names = [" ".join(extract_text(chars).split()) if chars else "" for chars in picked]
    named = sum(bool(name) for name in names)
    return names if named >= 3 and named >= 0.6 * len(names) else None


NUMBER_LINE = re.compile(r"^\(?[-+−£$]?\d[\d,]*(?:\.\d+)?%?\)?[mkb]?$", re.I)
LABEL_CONTINUES = re.compile(r"(?:[-–]|\b(?:and|of|for|to|the|in|on|with|or))$", re.I)


def _merge_spanned(rows: list[list[str | None]]) -> list[list[str | None]]:
    """A row with one cell, under the row above's spanning cells (None), is the rest of the row above: pdfplumber
    splits a row of stacked values ("1,200.6" / "239.9" / "1,440.5") where one column's ruling differs."""
    merged: list[list[str | None]] = []
    for row in rows:
        # Only a row of one cell: under a label spanning sub-rows ("CYPE" over its services) the rows are rows.
        if merged and row and row[0] is None and len(row) == len(merged[-1]) and sum(c is not None for c in row) == 1:
            merged[-1] = ["\n".join(x for x in (above, cell) if x) if cell else above
                          for above, cell in zip(merged[-1], row, strict=True)]
        else:
            merged.append(list(row))
    return merged


def _label_lines(cell: str) -> list[str]:
    """A label cell's labels, one per stacked line: a line starting lower case, or following one that ends on a
    hyphen or a joining word, is the rest of the label above it."""
    labels: list[str] = []
    for line in (ln.strip() for ln in cell.splitlines()):
        if not line:
            continue
        if labels and (line[0].islower() or LABEL_CONTINUES.search(labels[-1])):
            # a word broken at its hyphen ("long-" / "term") is one word again
            labels[-1] = f"{labels[-1]}{line}" if labels[-1].endswith("-") else f"{labels[-1]} {line}"
        else:
            labels.append(line)
    return labels


def _unstack(row: list[str | None]) -> list[list[str | None]]:
    """A row whose label cell stacks k labels and whose every filled value cell stacks k figures, one per line,
    is k rows (a prudential-indicator table: three limits in one ruled cell)."""
    if not row or not row[0]:
        return [row]
    labels = _label_lines(row[0])
    values = [[ln.strip() for ln in cell.splitlines() if ln.strip()] if cell else [] for cell in row[1:]]
    filled = [v for v in values if v]
    if (len(labels) < 2 or not filled
            or any(len(v) != len(labels) or not all(NUMBER_LINE.match(x) for x in v) for v in filled)):
        return [row]
    return [[label] + [(v[n] if v else cell) for v, cell in zip(values, row[1:], strict=True)]
            for n, label in enumerate(labels)]


def _figures_only(cells: list[str]) -> bool:
    """Cells that hold figures and nothing else (some filled): a row of data, not of headings."""
    tokens = [token for cell in cells for token in cell.split()]
    return bool(tokens) and all(NUMBER_LINE.match(token) for token in tokens)


def _headed_by_caption(rows: list[list[str]], headings: list[str]) -> tuple[list[str], list[list[str]]]:
    """A table with no header row whose figures run together ("96.3 87.7 -8.6" in one cell, or split unevenly over
    two), as many in every row that has any, under a one-cell heading whose last words name them ("Directorate,
    Division & Key Service Budget Forecast Variance"; of the captions' last lines, the last that ends in as many
    capitalised words, below a page's title): the figures in columns of those names, a row without figures (a
    section's heading) kept as its label. Else a blank header over the rows as they are."""
    blank = [""] * len(rows[0])
    figures = [[token for cell in row[1:] for token in cell.split()] for row in rows]
    counts = {len(f) for f in figures if f}
    if len(counts) != 1 or not all(_figures_only([" ".join(f)]) for f in figures if f):
        return blank, rows
    count = counts.pop()
    naming = [words for words in (h.split() for h in headings)
              if len(words) > count and all(w.isalpha() and w[0].isupper() for w in words[-count:])]
    if count < 2 or not naming:
        return blank, rows
    words = naming[-1]
    return [" ".join(words[:-count])] + words[-count:], [[row[0]] + (f or [""] * count)
                                                         for row, f in zip(rows, figures, strict=True)]


COLUMN_NAME_WORDS = 4  # a column's own name under its group's ("Kent £'m", "Most Likely") is this short


def _two_level_header(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """A header of groups over a row of the columns' own names ("2025-26 Provisional" spanning "Kent £'m" and
    "England £'m"): one header of both ("2025-26 Provisional Kent £'m"), so each figure keeps its unit and what it
    counts. Else as it was. The groups' row leaves cells blank where a group spans; the names' row has a blank
    label cell, no figures and only short names."""
    if len(rows) < 2 or len(header) != len(rows[0]):
        return header, rows
    names = rows[0]
    spanned = any(not header[n] and any(header[1:n]) for n in range(2, len(header)))
    if (not spanned or names[0] or sum(1 for c in names[1:] if c) < 2
            or any(NUMBER_LINE.match(token) for c in names for token in c.split())
            or any(len(c.split()) > COLUMN_NAME_WORDS for c in names)):  # a row of text, not of names
        return header, rows
    merged, group = [header[0]], ""
    for head, name in zip(header[1:], names[1:], strict=True):
        group = head or group
        merged.append(" ".join(part for part in (group, name) if part))
    return merged, rows[1:]


def _read_tables(page: pdfplumber.page.Page | PdfiumPage) -> tuple[list[Table], str | None]:
    """Ruled tables as header + rows, and the page text outside them (None when no tables)."""
    found = page.find_tables()
    if not found:
        return [], None
    tables: list[Table] = []
    outside = page
    for table in found:
        stacked = [split for row in _merge_spanned(cell_texts(table)) for split in _unstack(row)]
        stacked = [row for row in stacked if any(cell and cell.strip() for cell in row)]
        rows = [[_clean(" ".join((cell or "").split())) for cell in row] for row in stacked]
        named = merged_header(table) if len(rows) >= 2 and sum(1 for c in rows[0] if c) == 1 else None
        if named and len(named) == len(rows[1]) and sum(bool(NUMBER_LINE.match(c)) for c in rows[1] if c) >= 2:
            # The header ruled as one cell over a table of figures (the row below holds them): its words, put
            # in their columns, are the header, where the data row below was taken for it.
            tables.append(Table(header=[_clean(name) for name in named], rows=rows[1:], caption=""))
            try:
                outside = outside.outside_bbox(table.bbox)
            except ValueError:
                pass
            continue
        # Leading rows with a single filled cell are captions ("All figures in £m"), not the header.
        caption, caption_lines = [], []
        while rows and sum(1 for c in rows[0] if c) < 2:
            caption.append(" ".join(c for c in rows.pop(0) if c))
            caption_lines.append(next((c for c in stacked.pop(0) if c and c.strip()), "").splitlines())
        if len(rows) < 2:
            continue
        if _figures_only(rows[0][1:]):
            # The first row of two filled cells is a row of figures ("Community Learning & Skills (CLS)", "-0.1 0.7
            # 0.8"), not the header: the table's headings were in the caption above it, in one cell.
            header, rows = _headed_by_caption(rows, [lines[-1] for lines in caption_lines if lines])
            tables.append(Table(header=header, rows=rows, caption=" ".join(caption)))
        else:
            header, rows = _two_level_header(rows[0], rows[1:])
            tables.append(Table(header=header, rows=rows, caption=" ".join(caption)))
        try:
            outside = outside.outside_bbox(table.bbox)
        except ValueError:
            pass
    if not tables:
        return [], None
    return tables, _clean(outside.extract_text() or "")


def page_contents(page: pdfplumber.page.Page | PdfiumPage) -> tuple[str, list[Table], str | None]:
    """A page's text, its ruled tables and its text outside them (None when it has no tables)."""
    text = _clean(page.extract_text() or "")
    tables, outside = _read_tables(page) if text.strip() else ([], None)
    return text, tables, outside


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


@dataclass
class PdfPart:
    """What one reader (a worker process, or this one) read of a PDF: pages ``first``..``last``, and,
    for the part that starts at page 1, what the whole file declares."""

    first: int
    pages: list[Page]
    images: int
    count: int  # the file's page count as pdfplumber lists it
    title: str | None = None
    declared: list[str] | None = None  # /PageLabels, read by the first part only
    password_used: str = ""
    ocr_used: bool = False  # OCR was on and Tesseract installed: pages without a usable layer were read
    ocr_seconds: float = 0.0


GARBAGE_RATIO = 0.5  # below this share of word-like tokens (of at least 20), a text layer is noise


def _is_garbage(text: str) -> bool:
    return len(TOKEN.findall(text)) >= 20 and word_ratio(text) < GARBAGE_RATIO


def _wordlike(text: str) -> float:
    return word_ratio(text) * len(TOKEN.findall(text))


def ocr_is_better(ocr_text: str, layer_text: str) -> bool:
    """OCR's reading replaces a text layer when it is at least as word-like and keeps most of its words,
    or finds many more words (a layer thin on the page) at about the same quality."""
    ours, theirs = word_ratio(ocr_text), word_ratio(layer_text)
    if ours >= theirs and _wordlike(ocr_text) >= 0.8 * _wordlike(layer_text):
        return True
    return ours >= theirs - 0.05 and _wordlike(ocr_text) >= 1.25 * _wordlike(layer_text)


def _ocr_page(page: Page, reader, draws: bool, pictured: bool) -> None:
    """Read ``page`` by OCR where its text layer cannot be used: none on a page that draws something (a scan,
    glyphs as shapes), mostly not words (a garbage layer), or a scanner's invisible OCR layer over the
    picture (ours is kept only where it reads better). A failed OCR leaves the page as it was."""
    text = page.text
    if not text.strip():
        if not draws:
            return  # a blank page
    elif not _is_garbage(text) and not (pictured and reader.invisible_layer(page.number)):
        return
    try:
        result = reader.read(page.number)
    except Exception:  # Tesseract failed on this page (a timeout, a crash): the layer's checks decide
        return
    if not result.text.strip() or (text.strip() and not ocr_is_better(result.text, text)):
        return
    page.text, page.tables, page.text_outside_tables, page.ocr = result.text, [], None, True


def read_part(path: Path | str, first: int = 1, last: int | None = None, password: str = "",
              max_pages: int = 3000, on_page: Callable[[int, int], None] | None = None,
              ocr: bool = True, page_reader: str = "pdfium") -> PdfPart:
    """Read pages ``first``..``last`` (1-based, inclusive; ``last`` None: to the end). A process pool
    runs this on page ranges of several files at once (``ingest.pipeline``); everything it returns
    pickles. ``ocr``: read pages without a usable text layer by OCR (where Tesseract is installed);
    ``page_reader``: the ``page_reader`` setting ("pdfium" or "pdfplumber")."""
    from ingest import ocr as ocr_engine  # here: ingest.ocr is a stage below this reader, loaded on use

    path = Path(path)
    pdf, password_used = _open(path, password)
    reader = ocr_engine.PageOcr(path, password_used) if ocr and ocr_engine.available() else None
    try:
        with pdf:
            try:
                count = len(pdf.pages)
            except Exception as exc:
                raise IngestError(f"corrupt PDF (page tree unreadable: {type(exc).__name__})") from exc
            if count == 0:
                # pdfminer lists no page where pdfium, more forgiving (a leaf without /Type), may find some
                part = _read_part_pdfium(path, first, last, password_used, max_pages, on_page, reader)
            else:
                fast = _open_pdfium(path, password_used) if page_reader == "pdfium" else None
                try:
                    part = _read_part_plumber(pdf, count, first, last, password_used, max_pages, on_page, reader, fast)
                finally:
                    if fast is not None:
                        with PDFIUM_LOCK:
                            fast.close()
        if reader is not None:
            part.ocr_used, part.ocr_seconds = True, reader.seconds
        return part
    finally:
        if reader is not None:
            reader.close()


def _new_part(first: int, count: int, max_pages: int, password_used: str) -> PdfPart:
    if count > max_pages:
        raise IngestError(f"too many pages ({count}; the limit is {max_pages})")
    return PdfPart(first=first, pages=[], images=0, count=count, password_used=password_used)


def _read_part_plumber(pdf: pdfplumber.PDF, count: int, first: int, last: int | None, password_used: str,
                       max_pages: int, on_page: Callable[[int, int], None] | None, reader,
                       fast: pypdfium2.PdfDocument | None = None) -> PdfPart:
    """The pages as pdfplumber lays them out; read through pdfium (``fast``, the same file) where it can."""
    part = _new_part(first, count, max_pages, password_used)
    last = count if last is None else min(last, count)
    if first == 1:
        title = (pdf.metadata or {}).get("Title")
        part.title = str(title) if title else None
        part.declared = _declared_labels(pdf, count)
    try:
        for number in range(first, last + 1):
            plumber_page = quicken(pdf.pages[number - 1])
            seen = _read_by_pdfium(fast, plumber_page) if fast is not None else None
            text, tables, outside = page_contents(seen if seen is not None else plumber_page)
            if seen is not None:
                part.images += seen.images
                draws, pictured = seen.draws, bool(seen.images)
            else:
                part.images += len(plumber_page.images)
                draws = bool(plumber_page.images or plumber_page.curves or plumber_page.rects or plumber_page.lines)
                pictured = bool(plumber_page.images)
            page = Page(number=number, text=text, tables=tables, text_outside_tables=outside)
            if reader is not None:
                _ocr_page(page, reader, draws, pictured)
            part.pages.append(page)
            plumber_page.flush_cache()  # keeps memory flat on long files
            if on_page:
                on_page(number, count)
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError(f"corrupt PDF (page {first + len(part.pages)}: {type(exc).__name__})") from exc
    return part


def _read_by_pdfium(fast: pypdfium2.PdfDocument, plumber_page: pdfplumber.page.Page) -> PdfiumPage | None:
    """The page read by pdfium, or None where pdfplumber must read it: a rotated or cropped page (pdfplumber
    turns or clips its coordinates), or one ``read_page`` declines."""
    if plumber_page.rotation or tuple(plumber_page.cropbox) != tuple(plumber_page.mediabox):
        return None
    try:
        with PDFIUM_LOCK:
            page = fast[plumber_page.page_number - 1]
            try:
                return read_page(page, tuple(float(v) for v in plumber_page.bbox))
            finally:
                page.close()
    except NotFit:
        return None
    except pypdfium2.PdfiumError:  # pdfium cannot load this page: pdfplumber may
        return None


def _open_pdfium(path: Path, password_used: str) -> pypdfium2.PdfDocument | None:
    try:
        with PDFIUM_LOCK:
            return pypdfium2.PdfDocument(str(path), password=password_used or None)
    except pypdfium2.PdfiumError:  # pdfplumber opened it: it reads every page then
        return None


def _read_part_pdfium(path: Path, first: int, last: int | None, password_used: str, max_pages: int,
                      on_page: Callable[[int, int], None] | None, reader) -> PdfPart:
    """The pages as pypdfium2 reads them (text only: pdfplumber's tables need its own page tree)."""
    import pypdfium2.raw as pdfium_c

    try:
        with PDFIUM_LOCK:
            pdf = pypdfium2.PdfDocument(str(path), password=password_used or None)
    except pypdfium2.PdfiumError as exc:
        raise IngestError("no pages (an empty or broken PDF)") from exc
    try:
        with PDFIUM_LOCK:
            count = len(pdf)
            title = pdf.get_metadata_value("Title") or None if first == 1 else None
        if count == 0:
            raise IngestError("no pages (an empty or broken PDF)")
        part = _new_part(first, count, max_pages, password_used)
        last = count if last is None else min(last, count)
        part.title = title
        for number in range(first, last + 1):
            with PDFIUM_LOCK:
                pdfium_page = pdf[number - 1]
                try:
                    textpage = pdfium_page.get_textpage()
                    text = _clean(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
                    textpage.close()
                    kinds = [obj.type for obj in pdfium_page.get_objects(max_depth=2)]
                finally:
                    pdfium_page.close()
            pictures = kinds.count(pdfium_c.FPDF_PAGEOBJ_IMAGE)
            part.images += pictures
            page = Page(number=number, text=text)
            if reader is not None:
                _ocr_page(page, reader, bool(kinds), bool(pictures))
            part.pages.append(page)
            if on_page:
                on_page(number, count)
        return part
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError(f"corrupt PDF ({type(exc).__name__})") from exc
    finally:
        with PDFIUM_LOCK:
            pdf.close()


def join_parts(path: Path | str, content_hash: str, parts: list[PdfPart]) -> PdfDocument:
    """The document from its parts (in any order; together they must cover every page once): the checks
    that need the whole text (scanned, garbage layer), page labels and split-word repair."""
    parts = sorted(parts, key=lambda part: part.first)
    head = parts[0]
    pages = [page for part in parts for page in part.pages]
    if [page.number for page in pages] != list(range(1, head.count + 1)):
        raise IngestError(f"internal: pages read out of order ({len(pages)} of {head.count})")
    all_text = "\n".join(p.text for p in pages)
    tried = all(part.ocr_used for part in parts)  # OCR read every page that needed it, and found no words
    if not all_text.strip():
        if sum(part.images for part in parts):
            raise IngestError("scanned: no text layer, and OCR read no words" if tried
                              else "scanned: no text layer, needs OCR")
        raise IngestError("no text layer (glyphs drawn as shapes?), and OCR read no words" if tried
                          else "no text layer (glyphs drawn as shapes?): needs OCR")
    if _is_garbage(all_text):
        reason = "text is mostly not words (a garbage OCR layer?)"
        raise IngestError(f"{reason}, and OCR read it no better" if tried else f"{reason}: needs OCR")
    declared = head.declared
    if declared and declared != [str(n) for n in range(1, head.count + 1)]:
        for page, label in zip(pages, declared, strict=True):
            page.label = label
    else:
        label_pages(pages)
    repair_split_words(pages)
    return PdfDocument(path=Path(path), content_hash=content_hash, pages=pages, metadata_title=head.title,
                       password_used=head.password_used, ocr_seconds=sum(part.ocr_seconds for part in parts))


def read_pdf(
    path: Path | str,
    max_file_mb: int = 200,
    max_pages: int = 3000,
    on_page: Callable[[int, int], None] | None = None,
    password: str = "",
    ocr: bool = True,
    page_reader: str = "pdfium",
) -> PdfDocument:
    """Read every page of a PDF in this process, or raise IngestError saying why the file cannot be used."""
    path = Path(path)
    check_file(path, max_file_mb)
    content_hash = file_hash(path)
    return join_parts(path, content_hash, [read_part(path, 1, None, password, max_pages, on_page, ocr, page_reader)])


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
