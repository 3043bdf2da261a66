"""A picture of a cited PDF page with the cited passage highlighted.

pypdfium2 renders the page (fast, already brought by pdfplumber); pdfplumber's word boxes say where the
quoted words are. Pages are rendered on demand and kept in a small cache: an officer clicking between the
sources of one answer should not wait for the same page twice.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from pathlib import Path

import pdfplumber
import pypdfium2
from PIL import Image, ImageDraw

WORD = re.compile(r"[A-Za-z0-9£%]+")
# PDFium keeps process-wide state and is not thread-safe; every render goes through this lock.
PDFIUM_LOCK = threading.Lock()


def _normal(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def find_passage_boxes(words: list[dict], quote: str, min_run: int = 4) -> list[tuple[float, float, float, float]]:
    """Boxes (x0, top, x1, bottom, in PDF points) of the page's words that spell out the quote.

    The quote is matched as runs of consecutive words (the page's hyphenation and line breaks differ
    from the chunk's text), so each page word belongs to the highlight when it starts or continues a run
    of at least ``min_run`` words that also occurs in the quote."""
    page_tokens: list[tuple[str, int]] = []  # (normalised token, index of its pdfplumber word)
    for index, word in enumerate(words):
        for token in _normal(word["text"]):
            page_tokens.append((token, index))
    wanted = _normal(quote)
    if not wanted or not page_tokens:
        return []
    run = min(min_run, len(wanted))
    grams = {tuple(wanted[i : i + run]) for i in range(len(wanted) - run + 1)}
    tokens = [t for t, _ in page_tokens]
    marked: set[int] = set()
    for start in range(len(tokens) - run + 1):
        if tuple(tokens[start : start + run]) in grams:
            marked.update(page_tokens[i][1] for i in range(start, start + run))
    boxes = []
    for index in sorted(marked):
        w = words[index]
        boxes.append((float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"])))
    return _merge_lines(boxes)


def _merge_lines(boxes: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
    """Neighbouring word boxes on one line become one box: a highlighter stroke, not confetti."""
    merged: list[list[float]] = []
    for x0, top, x1, bottom in boxes:
        last = merged[-1] if merged else None
        if last and abs(last[1] - top) < 2 and x0 - last[2] < 12:
            last[2], last[3] = max(last[2], x1), max(last[3], bottom)
        else:
            merged.append([x0, top, x1, bottom])
    return [tuple(b) for b in merged]  # type: ignore[misc]


class PageRenderer:
    def __init__(self, scale: float = 1.4, cache_size: int = 48):
        self.scale = scale
        self.cache_size = cache_size
        self._cache: OrderedDict[tuple, Image.Image] = OrderedDict()
        self._cache_lock = threading.Lock()

    def render(self, pdf_path: Path | str, page: int, quote: str = "") -> Image.Image:
        """The 1-based ``page`` of the PDF as an image, the quote's words highlighted in yellow."""
        key = (str(pdf_path), page, quote)
        with self._cache_lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        image = self._render(Path(pdf_path), page, quote)
        with self._cache_lock:
            self._cache[key] = image
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return image

    def _render(self, path: Path, page: int, quote: str) -> Image.Image:
        with PDFIUM_LOCK:
            pdf = pypdfium2.PdfDocument(str(path))
            try:
                if not 1 <= page <= len(pdf):
                    raise ValueError(f"page {page} is not in {path.name} ({len(pdf)} pages)")
                image = pdf[page - 1].render(scale=self.scale).to_pil().convert("RGB")
            finally:
                pdf.close()
        boxes: list[tuple[float, float, float, float]] = []
        if quote.strip():
            with pdfplumber.open(str(path), pages=[page]) as doc:
                words = doc.pages[0].extract_words(keep_blank_chars=False, use_text_flow=True)
            boxes = find_passage_boxes(words, quote)
        if boxes:
            overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
            draw = ImageDraw.Draw(overlay)
            s = self.scale
            for x0, top, x1, bottom in boxes:
                draw.rectangle([x0 * s - 2, top * s - 2, x1 * s + 2, bottom * s + 2], fill=(255, 221, 0, 110),
                               outline=(214, 160, 0, 255))
            image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
        return image
