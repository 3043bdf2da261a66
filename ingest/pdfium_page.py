"""A page's characters and ruling lines read by pdfium, laid out by pdfplumber's own text and table algorithms.

Reading a page with pdfplumber is pdfminer interpreting its content stream in pure Python (about three fifths
of the time) and pdfplumber turning every parsed object into a dict (a fifth); pdfium does the first in C,
several times faster. Here pdfium's text page gives each character (its text, its box) and pdfium's page
objects give the painted paths, in pdfplumber's coordinates and with pdfminer's rules for what a path is
(a line, a rectangle, or a curve through its points), so that pdfplumber's ``chars_to_textmap`` (the page's
text) and ``TableFinder`` (its ruled tables) run on them unchanged.

What pdfminer and pdfium agree on is measured, not assumed (``tests/test_pdf_reader.py``; the figures in
evals/BENCHMARKS.md): a character's left, right and bottom edges come out the same; its top is its bottom
plus the font size times the text matrix's vertical scale, as pdfminer computes it. Spaces pdfium marks as
generated (it also marks real space glyphs so) are kept, on the line of the character before them, so a
word break pdfminer read from a narrow gap is still one. Where the two would not agree, the page is left to
pdfplumber: a rotated or cropped page (``ingest.pdf_reader``), a character that is not upright or that pdfium
cannot map to Unicode (``NotFit``).
"""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass
from typing import Any

import pypdfium2.raw as pdfium_c
from pdfplumber.table import TableFinder, TableSettings
from pdfplumber.utils import chars_to_textmap, curve_to_edges, line_to_edge, outside_bbox, rect_to_edges
from pdfplumber.utils.geometry import get_bbox_overlap

# pdfium keeps process-wide state and is not thread-safe: every use of it in a process holds this lock (the app
# renders page images in its handler threads while an upload is read in another).
PDFIUM_LOCK = threading.RLock()
NOT_A_CHAR = {0x0D, 0x0A, 0xFFFE, 0}  # pdfium's line ends and its marks for no character
LINE_END_HYPHEN = 0x02  # pdfium's code for a hyphen that ends a line (pdfminer reads the '-' printed)
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class NotFit(Exception):
    """This page is read by pdfplumber instead (see the module's docstring)."""


@dataclass
class PdfiumPage:
    """What pdfplumber's text and table algorithms read of a page: ``chars``, ``edges`` and ``bbox`` (pdfplumber's
    own bounding box of the page)."""

    chars: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    bbox: tuple[float, float, float, float]
    images: int = 0
    draws: bool = False  # paths or pictures: a page without text that draws something may be a scan

    @property
    def width(self) -> float:
        return self.bbox[2] - self.bbox[0]

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]

    def extract_text(self) -> str:
        """As pdfplumber's ``Page.extract_text()`` with its defaults."""
        return chars_to_textmap(self.chars, layout_bbox=self.bbox, layout_width=self.width,
                                layout_height=self.height).as_string

    def find_tables(self) -> list:
        """As pdfplumber's ``Page.find_tables()`` with its defaults (ruling lines)."""
        return TableFinder(self, TableSettings.resolve(None)).tables

    def outside_bbox(self, bbox) -> PdfiumPage:
        """The page without what lies in ``bbox``, as pdfplumber's ``Page.outside_bbox`` (ValueError when
        ``bbox`` is not on the page)."""
        if get_bbox_overlap(tuple(bbox), self.bbox) is None:
            raise ValueError(f"bounding box {bbox} is not on the page")
        return PdfiumPage(outside_bbox(self.chars, bbox), outside_bbox(self.edges, bbox), self.bbox, self.images,
                          self.draws)


def _times(m: Matrix, n: Matrix) -> Matrix:
    """The matrix that applies ``m`` and then ``n`` (PDF's row-vector convention)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _object_matrix(obj) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def read_chars(textpage, height: float) -> list[dict[str, Any]]:
    """Every character of the text page, as pdfplumber's char dicts hold the keys its text and table
    algorithms read. Raises ``NotFit`` for a character pdfminer would read otherwise."""
    count = pdfium_c.FPDFText_CountChars(textpage)
    box = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    chars: list[dict[str, Any]] = []
    for index in range(count):
        code = pdfium_c.FPDFText_GetUnicode(textpage, index)
        if pdfium_c.FPDFText_IsGenerated(textpage, index):
            if code == 0x20 and chars:  # on the previous character's line, where pdfminer saw the gap
                before = chars[-1]
                chars.append({**before, "text": " ", "x0": before["x1"], "width": 0.0})
            continue
        if code in NOT_A_CHAR:
            continue
        if pdfium_c.FPDFText_HasUnicodeMapError(textpage, index):
            raise NotFit("a glyph without a Unicode mapping")
        pdfium_c.FPDFText_GetMatrix(textpage, index, matrix)
        if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
            raise NotFit("text that is not upright")
        pdfium_c.FPDFText_GetLooseCharBox(textpage, index, box)
        bottom = box.bottom
        top = bottom + pdfium_c.FPDFText_GetFontSize(textpage, index) * matrix.d
        x0, x1 = box.left, box.right
        chars.append({"text": "-" if code == LINE_END_HYPHEN else chr(code), "x0": x0, "x1": x1,
                      "top": height - top, "bottom": height - bottom, "doctop": height - top,
                      "width": x1 - x0, "height": top - bottom, "upright": True, "object_type": "char"})
    return chars


def _subpaths(obj, matrix: Matrix) -> list[tuple[str, list[tuple[float, float]]]]:
    """The path object's subpaths as pdfminer sees them: the operators ("m", "l", "c", "h") and each one's
    end point in page space (a Bézier's control points are not points of the shape)."""
    x, y = ctypes.c_float(), ctypes.c_float()
    a, b, c, d, e, f = matrix
    found: list[tuple[str, list[tuple[float, float]]]] = []
    shape, points = "", []
    bezier = 0
    for index in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            if shape:
                found.append((shape, points))
            shape, points, bezier = "m", [point], 0
        elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3 == 0:  # pdfium stores a curve's three points as three segments
                shape += "c"
                points.append(point)
        else:
            shape += "l"
            points.append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment) and shape:
            shape += "h"
            points.append(points[0])
    if shape:
        found.append((shape, points))
    return found


def _edges_of(shape: str, points: list[tuple[float, float]], height: float) -> list[dict[str, Any]]:
    """pdfplumber's edges of one subpath, classified as pdfminer's ``paint_path`` does."""
    if shape[:1] != "m":
        return []
    if len(shape) > 3 and shape[-2:] == "lh" and points[-2] == points[0]:
        shape = shape[:-2] + "h"  # a redundant "l" on a closed path
        points = points[:-2] + points[-1:]
    flipped = [(px, height - py) for px, py in points]

    def bounds(pts):
        xs, tops = [p[0] for p in pts], [p[1] for p in pts]
        x0, x1, top, bottom = min(xs), max(xs), min(tops), max(tops)
        return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "width": x1 - x0,
                "height": bottom - top, "y0": height - bottom, "y1": height - top}

    if shape in ("mlh", "ml"):
        return [line_to_edge({**bounds(flipped[:2]), "object_type": "line"})]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = points
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if points[0] == points[4] and square:
            return rect_to_edges({**bounds([flipped[0], flipped[2]]), "object_type": "rect"})
    return curve_to_edges({**bounds(flipped), "pts": flipped, "object_type": "curve"})


def read_objects(objects, matrix: Matrix, height: float, out: PdfiumPage, depth: int = 0) -> None:
    """Edges of every painted path, pictures counted, into ``out``; a form's objects in its space."""
    for obj in objects:
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            out.draws = True
            placed = _times(_object_matrix(obj), matrix)
            for shape, points in _subpaths(obj, placed):
                out.edges.extend(_edges_of(shape, points, height))
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            out.images += 1
            out.draws = True
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 8:
            count = pdfium_c.FPDFFormObj_CountObjects(obj)
            inner = [pdfium_c.FPDFFormObj_GetObject(obj, n) for n in range(max(0, count))]
            read_objects(inner, _times(_object_matrix(obj), matrix), height, out, depth + 1)


def read_page(pdfium_page, bbox: tuple[float, float, float, float]) -> PdfiumPage:
    """The page's characters, edges and pictures (``pdfium_page`` a pypdfium2 ``PdfPage`` of an unrotated,
    uncropped page; ``bbox`` pdfplumber's box of it: x is measured as the file does, top as the box's height
    less the file's y, as pdfplumber does); ``NotFit`` where pdfplumber must read it."""
    height = bbox[3] - bbox[1]
    textpage = pdfium_page.get_textpage()
    try:
        chars = read_chars(textpage.raw, height)
    finally:
        textpage.close()
    page = PdfiumPage(chars=chars, edges=[], bbox=bbox)
    raw = pdfium_page.raw
    count = pdfium_c.FPDFPage_CountObjects(raw)
    read_objects([pdfium_c.FPDFPage_GetObject(raw, n) for n in range(max(0, count))], IDENTITY, height, page)
    return page
