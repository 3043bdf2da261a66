"""Scanned pages → text: pypdfium2 renders one page at a time, Tesseract reads the picture.

A page is read by OCR when its text layer cannot be used: it has none but draws something (a scan, or
glyphs drawn as shapes), its text is mostly not words (a garbage layer), or its text is a scanner's
invisible OCR layer (kept only when our reading is no better). Tesseract is Debian's ``tesseract-ocr``
(installed by ``.ci/run`` and the README's setup); it is run as a subprocess, one thread per page, since
the process pool already reads pages on every core. Without it, ``available()`` is False and scans keep
their one-line refusal.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c

from ingest.pdfium_page import PDFIUM_LOCK

DPI = 300
# A poster-sized page at 300 dpi would be hundreds of MB of pixels: cap the picture, not the page count.
MAX_PIXELS = 40_000_000
# Tesseract's word confidence (0-100) below which a "word" is a signature, a stamp or a smudge.
MIN_CONFIDENCE = 40
# Below this mean word confidence a page is read a second time with its strokes thickened; the reading
# with more words of at least SURE confidence is kept.
DOUBTFUL = 92
SURE = 85
SECONDS_PER_PAGE_LIMIT = 180
# A text layer whose text objects are mostly invisible (render mode 3) over a picture is someone's OCR.
INVISIBLE = pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
HYPHENATED = re.compile(r"([A-Za-z]{2,})-\n([a-z]{2,})")
MARK = "read by OCR; check the page image"


@cache
def available() -> bool:
    """Tesseract and its English model are installed (asked once per process)."""
    if not shutil.which("tesseract"):
        return False
    try:
        listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return "eng" in listed.stdout.split()


@dataclass
class OcrPage:
    text: str
    words: int  # words kept (confident enough)
    seconds: float
    confidence: float = 0.0  # Tesseract's mean confidence over the words it read (0-100)
    sure_words: int = 0  # words read with at least SURE confidence


def _tesseract_tsv(image, psm: str = "3") -> str:
    """Tesseract's word table (TSV) for a PIL image, handed over stdin as PNM (no temp files)."""
    buffer = io.BytesIO()
    image.save(buffer, format="PPM")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one thread: the page-reading pool uses the other cores
    done = subprocess.run(["tesseract", "stdin", "stdout", "--psm", psm, "-l", "eng", "tsv"],
                          input=buffer.getvalue(), capture_output=True, env=env, timeout=SECONDS_PER_PAGE_LIMIT)
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(lines[-1] if lines else "tesseract failed")
    return done.stdout.decode("utf-8", "replace")


@dataclass
class _Block:
    top: int
    box: tuple[int, int, int, int]  # left, top, right, bottom in pixels
    lines: list[str]


def _rows(tsv: str) -> list[dict]:
    rows = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        try:
            rows.append({"level": int(row["level"]), "block": int(row["block_num"]), "par": int(row["par_num"]),
                         "line": int(row["line_num"]), "left": int(row["left"]), "top": int(row["top"]),
                         "width": int(row["width"]), "height": int(row["height"]),
                         "conf": float(row["conf"]), "text": (row.get("text") or "").strip()})
        except (KeyError, TypeError, ValueError):
            continue
    return rows


def _blocks(rows: list[dict], min_confidence: float, offset: tuple[int, int] = (0, 0)) -> list[_Block]:
    """Tesseract's blocks in its reading order, each as lines of confident words."""
    blocks: dict[int, _Block] = {}
    lines: dict[tuple[int, int, int], list[str]] = {}
    for row in rows:
        left, top = row["left"] + offset[0], row["top"] + offset[1]
        if row["level"] == 2:  # a block: where it is, even when Tesseract found no words in it
            blocks[row["block"]] = _Block(top, (left, top, left + row["width"], top + row["height"]), [])
        word = row["text"]
        if row["level"] != 5 or row["conf"] < min_confidence or not any(ch.isalnum() for ch in word):
            continue
        lines.setdefault((row["block"], row["par"], row["line"]), []).append(word)
    for (block, _, _), words in sorted(lines.items()):
        blocks[block].lines.append(" ".join(words))
    return list(blocks.values())


def _picture_blocks(blocks: list[_Block], size: tuple[int, int], limit: int = 4) -> list[_Block]:
    """Large blocks where Tesseract found no words: its layout analysis took them for pictures, as it does
    with typed lines that handwriting (a date filled in, a signature) runs across. Largest first."""
    width, height = size
    empty = [b for b in blocks if not b.lines and b.box[2] - b.box[0] > width * 0.2
             and b.box[3] - b.box[1] > height * 0.02]
    empty.sort(key=lambda b: (b.box[2] - b.box[0]) * (b.box[3] - b.box[1]), reverse=True)
    return empty[:limit]


def read_image(image, min_confidence: float = MIN_CONFIDENCE) -> OcrPage:
    """The page's text, read as it is and, where Tesseract is doubtful of that reading, again with the
    strokes thickened by a pixel (thin print, scanned at 200 dpi, breaks into "f" for "p" and "gf" for
    "of"): the reading with more words Tesseract is sure of is kept."""
    from PIL import ImageFilter

    started = time.perf_counter()
    reading = _read(image, min_confidence)
    if reading.confidence < DOUBTFUL:
        thicker = image.filter(ImageFilter.MinFilter(3))
        again = _read(thicker, min_confidence)
        thicker.close()
        if again.sure_words > reading.sure_words:
            reading = again
    reading.seconds = time.perf_counter() - started
    return reading


def _read(image, min_confidence: float) -> OcrPage:
    """The page's text in Tesseract's reading order; blocks it took for pictures read again as plain text
    blocks (the words it already read there whited out, so nothing is read twice)."""
    from PIL import ImageDraw

    rows = _rows(_tesseract_tsv(image))
    blocks = _blocks(rows, min_confidence)
    pictures = _picture_blocks(blocks, image.size)
    for picture in pictures:
        crop = image.crop(picture.box)
        draw = ImageDraw.Draw(crop)
        for row in rows:
            if row["level"] == 5 and row["text"]:
                x, y = row["left"] - picture.box[0], row["top"] - picture.box[1]
                draw.rectangle((x, y, x + row["width"], y + row["height"]), fill=255)
        found = _blocks(_rows(_tesseract_tsv(crop, psm="6")), min_confidence, picture.box[:2])
        picture.lines = [line for block in found for line in block.lines]
        crop.close()
    # A block read again goes before the first text block below it (Tesseract lists pictures last).
    text_blocks = [b for b in blocks if b.lines and b not in pictures]
    for picture in (p for p in pictures if p.lines):
        below = next((i for i, b in enumerate(text_blocks) if b.top > picture.top), len(text_blocks))
        text_blocks.insert(below, picture)
    text = "\n\n".join("\n".join(b.lines) for b in text_blocks)
    words = sum(len(line.split()) for b in text_blocks for line in b.lines)
    read = [row["conf"] for row in rows if row["level"] == 5 and any(ch.isalnum() for ch in row["text"])]
    return OcrPage(text=HYPHENATED.sub(r"\1\2\n", text), words=words, seconds=0.0,
                   confidence=sum(read) / len(read) if read else 0.0, sure_words=sum(c >= SURE for c in read))


def render(page: pypdfium2.PdfPage, dpi: int = DPI):
    """The page as a greyscale picture at ``dpi`` (less for a page so large it would pass MAX_PIXELS)."""
    width, height = page.get_size()
    scale = dpi / 72
    pixels = width * height * scale * scale
    if pixels > MAX_PIXELS:
        scale *= (MAX_PIXELS / pixels) ** 0.5
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        return bitmap.to_pil().copy()  # a copy: the bitmap's buffer is freed below
    finally:
        bitmap.close()


class PageOcr:
    """OCR for the pages of one PDF, opened lazily with pypdfium2 (only when a page needs it).
    Lives inside ``read_part``, in a worker process; nothing of it crosses a process boundary."""

    def __init__(self, path: Path | str, password: str = ""):
        self.path = Path(path)
        self.password = password
        self._pdf: pypdfium2.PdfDocument | None = None
        self.pages_read = 0
        self.seconds = 0.0

    def document(self) -> pypdfium2.PdfDocument:
        if self._pdf is None:
            with PDFIUM_LOCK:
                self._pdf = pypdfium2.PdfDocument(str(self.path), password=self.password or None)
        return self._pdf

    def invisible_layer(self, number: int) -> bool:
        """The page's text is mostly invisible text over a picture: a scanner's OCR layer."""
        document = self.document()
        with PDFIUM_LOCK:
            page = document[number - 1]
            try:
                modes, pictures = [], 0
                for obj in page.get_objects(max_depth=2):
                    if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
                        modes.append(pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw))
                    elif obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                        pictures += 1
                return pictures > 0 and bool(modes) and sum(m == INVISIBLE for m in modes) >= len(modes) / 2
            finally:
                page.close()

    def read(self, number: int) -> OcrPage:
        """Render page ``number`` (1-based) and read it; the picture is dropped before the next page. pdfium is
        held while it renders, not while Tesseract reads."""
        document = self.document()
        with PDFIUM_LOCK:
            page = document[number - 1]
            try:
                image = render(page)
            finally:
                page.close()
        result = read_image(image)
        image.close()
        self.pages_read += 1
        self.seconds += result.seconds
        return result

    def close(self) -> None:
        if self._pdf is not None:
            with PDFIUM_LOCK:
                self._pdf.close()
            self._pdf = None
