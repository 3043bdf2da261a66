"""A picture of a cited PDF page with the cited passage highlighted, and a text alternative for it.

pypdfium2 renders the page (fast, already brought by pdfplumber); pdfplumber's word boxes say where the
quoted words are. Pages are rendered on demand and kept in a small cache: an officer clicking between the
sources of one answer should not wait for the same page twice.

Where the quote is: the quote's words are aligned, in order, against the page's words (a local sequence
alignment, Smith-Waterman), and only the page words of the best aligned stretch are marked. Words the quote
shares with other places on the page (a scorecard's "% of Care Leavers ... H R12M" begins several rows) do
not light up those places: they are not in the stretch.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2
from PIL import Image, ImageDraw

from ingest.pdfium_page import PDFIUM_LOCK  # pdfium is not thread-safe: ingest and OCR hold the same lock

WORD = re.compile(r"[A-Za-z0-9£%]+")

# Alignment scores: a word matched in order earns more than a stray or missing word costs, so a page
# footer or a hyphenation inside the passage does not cut the stretch, but a jump to another row
# (a dozen words skipped) costs more than the few words it would gain.
MATCH, MISMATCH, GAP = 2, -1, -1
# The readable size: an A4 page (595 pt wide) becomes 1,310 px wide; the UI fits it to its frame.
RENDER_SCALE = 2.2
# The cache is bounded by pixels, not pages: at this scale one page is about 3-7 MB.
CACHE_BYTES = 160 * 1024 * 1024

Box = tuple[float, float, float, float]


def _normal(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def align_in_order(wanted: list[str], tokens: list[str]) -> list[int]:
    """The positions in ``tokens`` of the best local alignment of ``wanted`` (its words in their order,
    a few strays or misses allowed): matched and substituted positions, not the page words skipped."""
    n, m = len(wanted), len(tokens)
    if not n or not m:
        return []
    vocabulary = {t: i for i, t in enumerate(dict.fromkeys(tokens + wanted))}
    page_ids = np.array([vocabulary[t] for t in tokens])
    offsets = GAP * np.arange(m + 1)  # a run of page words skipped costs GAP each
    score = np.zeros((n + 1, m + 1), dtype=np.int32)
    for i in range(1, n + 1):
        substitution = np.where(page_ids == vocabulary[wanted[i - 1]], MATCH, MISMATCH)
        best = np.zeros(m + 1, dtype=np.int32)
        best[1:] = np.maximum(score[i - 1, :-1] + substitution, score[i - 1, 1:] + GAP)
        np.maximum(best, 0, out=best)
        # A skip along the page row: H[j] = max over k <= j of best[k] + GAP * (j - k).
        score[i] = np.maximum.accumulate(best - offsets) + offsets
    i, j = np.unravel_index(int(np.argmax(score)), score.shape)
    positions: list[int] = []
    while i > 0 and j > 0 and score[i, j] > 0:
        same = wanted[i - 1] == tokens[j - 1]
        if score[i, j] == score[i - 1, j - 1] + (MATCH if same else MISMATCH):
            positions.append(j - 1)
            i, j = i - 1, j - 1
        elif score[i, j] == score[i - 1, j] + GAP:
            i -= 1
        else:
            j -= 1
    positions.reverse()
    # A substitution at either end adds nothing; the stretch starts and ends on words really matched.
    matched = [p for p in positions if tokens[p] in wanted]
    if not matched:
        return []
    return [p for p in positions if matched[0] <= p <= matched[-1]]


def find_passage_boxes(words: list[dict], quote: str) -> list[Box]:
    """Boxes (x0, top, x1, bottom, in PDF points) of the page's words that spell out the quote, one box
    per stretch of a line.

    ``words`` are pdfplumber's words in reading order. The quote's tokens are aligned against the page's
    tokens in order (``align_in_order``); the stretch counts only when enough of the quote is in it (all of
    a short quote; a third of a longer one, up to 12 words, as a long passage may run on to the next page),
    so a few common words found elsewhere mark nothing."""
    page_tokens: list[tuple[str, int]] = []  # (normalised token, index of its pdfplumber word)
    for index, word in enumerate(words):
        for token in _normal(word["text"]):
            page_tokens.append((token, index))
    wanted = _normal(quote)
    if not wanted or not page_tokens:
        return []
    tokens = [t for t, _ in page_tokens]
    positions = align_in_order(wanted, tokens)
    found = sum(1 for p in positions if tokens[p] in wanted)
    if found < min(len(wanted), max(4, min(12, len(wanted) // 3))):
        return []
    marked = sorted({page_tokens[p][1] for p in positions})
    boxes = [(float(words[k]["x0"]), float(words[k]["top"]), float(words[k]["x1"]), float(words[k]["bottom"]))
             for k in marked]
    return _merge_lines(boxes)


def _merge_lines(boxes: list[Box]) -> list[Box]:
    """Neighbouring word boxes on one line become one box: a highlighter stroke, not confetti."""
    merged: list[list[float]] = []
    for x0, top, x1, bottom in boxes:
        last = merged[-1] if merged else None
        if last and abs(last[1] - top) < 2 and 0 <= x0 - last[2] < 12:
            last[2], last[3] = max(last[2], x1), max(last[3], bottom)
        else:
            merged.append([x0, top, x1, bottom])
    return [tuple(b) for b in merged]  # type: ignore[misc]


def page_words(path: Path | str, page: int) -> list[dict]:
    """The page's words in the order its text was read at ingest (lines top to bottom, left to right),
    so the quote's order and the page's agree."""
    with pdfplumber.open(str(path), pages=[page]) as doc:
        return doc.pages[0].extract_words(keep_blank_chars=False)


def page_alt_text(document: str, page: int, quote: str = "", page_label: str | None = None,
                  limit: int = 240) -> str:
    """A short text alternative for a page picture: which paper, which page, and the passage marked on it
    (shortened to ``limit`` characters at a word)."""
    where = f"page {page_label}" if page_label and page_label != str(page) else f"page {page}"
    if page_label and page_label != str(page):
        where += f" (PDF page {page})"
    text = f"Page picture: {document}, {where}."
    passage = " ".join(quote.split())
    if passage:
        if len(passage) > limit:
            passage = passage[:limit].rsplit(" ", 1)[0] + "…"
        text += f" Highlighted passage: “{passage}”"
    return text


class PageRenderer:
    def __init__(self, scale: float = RENDER_SCALE, cache_bytes: int = CACHE_BYTES):
        self.scale = scale
        self.cache_bytes = cache_bytes
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
            while len(self._cache) > 1 and sum(_bytes(i) for i in self._cache.values()) > self.cache_bytes:
                self._cache.popitem(last=False)
        return image

    def boxes(self, pdf_path: Path | str, page: int, quote: str) -> list[Box]:
        """Where the quote is highlighted on the page, in PDF points."""
        return find_passage_boxes(page_words(pdf_path, page), quote) if quote.strip() else []

    def _render(self, path: Path, page: int, quote: str) -> Image.Image:
        with PDFIUM_LOCK:
            pdf = pypdfium2.PdfDocument(str(path))
            try:
                if not 1 <= page <= len(pdf):
                    raise ValueError(f"page {page} is not in {path.name} ({len(pdf)} pages)")
                image = pdf[page - 1].render(scale=self.scale).to_pil().convert("RGB")
            finally:
                pdf.close()
        boxes = self.boxes(path, page, quote)
        if boxes:
            overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
            draw = ImageDraw.Draw(overlay)
            s, pad = self.scale, 1.5 * self.scale
            for x0, top, x1, bottom in boxes:
                draw.rectangle([x0 * s - pad, top * s - pad, x1 * s + pad, bottom * s + pad],
                               fill=(255, 221, 0, 110), outline=(214, 160, 0, 255), width=max(1, round(s / 1.5)))
            image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
        return image


def _bytes(image: Image.Image) -> int:
    return image.width * image.height * len(image.getbands())
