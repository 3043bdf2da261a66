"""Real files for the bad-input tests, made with fpdf2 (or by hand where a PDF must be broken)."""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

from fpdf import FPDF
from PIL import Image


def _font_path() -> str:
    import matplotlib

    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")


def text_pdf(path: Path, pages: list[str], encrypt_password: str | None = None) -> Path:
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=_font_path())
    pdf.set_font("DejaVu", size=11)
    if encrypt_password is not None:
        pdf.set_encryption(owner_password="owner-" + encrypt_password, user_password=encrypt_password)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path


def html_as_pdf(path: Path) -> Path:
    path.write_text("<!DOCTYPE html><html><body><h1>Agenda</h1></body></html>")
    return path


def empty_file(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def truncated(source: Path, path: Path, keep: float = 0.4) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def corrupt(path: Path, seed: int = 7) -> Path:
    rng = random.Random(seed)
    path.write_bytes(b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(20_000)))
    return path


def raw_pdf(path: Path, objects: list[bytes], root: int = 1) -> Path:
    """A PDF written object by object (for structures no PDF library will write)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def zero_pages(path: Path) -> Path:
    """A well-formed PDF whose page tree is empty."""
    return raw_pdf(path, [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def scanned(path: Path, pages: int = 2) -> Path:
    """Pages that are only a picture of text: no text layer."""
    image_path = path.with_suffix(".png")
    image = Image.new("L", (800, 1100), 255)
    for y in range(100, 1000, 40):
        for x in range(80, 720, 9):
            image.putpixel((x, y), 0)
    image.save(image_path)
    pdf = FPDF(format="A4")
    for _ in range(pages):
        pdf.add_page()
        pdf.image(str(image_path), x=10, y=10, w=190)
    pdf.output(str(path))
    image_path.unlink()
    return path


def vector_outlines(path: Path) -> Path:
    """Glyph-like shapes drawn as paths: no text and no images."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    for row in range(30):
        for col in range(25):
            pdf.rect(10 + col * 7.5, 15 + row * 8, 5, 6, style="F")
    pdf.output(str(path))
    return path


def garbage_text(path: Path, seed: int = 3) -> Path:
    """A text layer of OCR noise: tokens that are not words."""
    rng = random.Random(seed)
    noise = "".join(rng.choice("bcdfghjklmnpqrstvwxz#@%&*~|") for _ in range(6000))
    tokens = " ".join(noise[i : i + rng.randint(2, 9)] for i in range(0, len(noise), 8))
    return text_pdf(path, [tokens])


# -- pages OCR can read (issue 13): the words are there to see, but not as a usable text layer ----------
def _page_picture(text: str, width: int = 1240, height: int = 1754) -> Image.Image:
    """A white A4 page at 150 dpi with ``text`` typed on it in 12 pt DejaVu, wrapped: a clean scan."""
    from PIL import ImageDraw, ImageFont

    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(_font_path(), 25)
    y = 120
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            if line and draw.textlength(f"{line} {word}", font=font) > width - 240:
                draw.text((120, y), line, fill=0, font=font)
                y, line = y + 38, word
            else:
                line = f"{line} {word}".strip()
        draw.text((120, y), line, fill=0, font=font)
        y += 56
    return image


def _add_picture_page(pdf: FPDF, path: Path, n: int, text: str) -> None:
    """A page that is one whole-page picture of typed ``text`` (the picture file is only passed through)."""
    picture = path.with_name(f"{path.stem}-{n}.png")
    _page_picture(text).save(picture)
    pdf.add_page()
    pdf.image(str(picture), x=0, y=0, w=210, h=297)
    picture.unlink()


def scanned_text(path: Path, pages: list[str]) -> Path:
    """A scan of typed pages: each page one picture of its text, and no text layer."""
    pdf = FPDF(format="A4")
    for n, text in enumerate(pages):
        _add_picture_page(pdf, path, n, text)
    pdf.output(str(path))
    return path


def garbage_layer_scan(path: Path, pages: list[str], seed: int = 3) -> Path:
    """A scan whose invisible text layer (a bad scanner's OCR) is noise, while the picture is legible."""
    from fpdf.enums import TextMode

    rng = random.Random(seed)
    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=10)
    for n, text in enumerate(pages):
        _add_picture_page(pdf, path, n, text)
        noise = "".join(rng.choice("bcdfghjklmnpqrstvwxz#@%&*~|") for _ in range(len(text)))
        pdf.text_mode = TextMode.INVISIBLE
        pdf.set_xy(20, 20)
        pdf.multi_cell(170, 5, " ".join(noise[i : i + rng.randint(2, 9)] for i in range(0, len(noise), 8)))
        pdf.text_mode = TextMode.FILL
    pdf.output(str(path))
    return path


def outlined_text(path: Path, text: str) -> Path:
    """A page whose glyphs are drawn as filled outlines (as some print drivers write): no text, no images."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.patches import PathPatch
    from matplotlib.textpath import TextPath

    figure = Figure(figsize=(8.27, 11.69))
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, 595)
    axes.set_ylim(0, 842)
    axes.axis("off")
    font = FontProperties(fname=_font_path())
    y = 780
    for paragraph in text.split("\n"):
        words = paragraph.split()
        while words:
            line = []
            while words and len(" ".join(line + words[:1])) <= 70:
                line.append(words.pop(0))
            axes.add_patch(PathPatch(TextPath((50, y), " ".join(line), size=12, prop=font), color="black", lw=0))
            y -= 20
        y -= 10
    figure.savefig(str(path), format="pdf")
    return path


def untyped_pages(path: Path, pages: list[str]) -> Path:
    """Pages whose objects lack ``/Type /Page``, as some writers leave them: pdfminer lists no page,
    pdfium (more forgiving) lists them all."""
    count = len(pages)
    kids = " ".join(f"{3 + 2 * n} 0 R" for n in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode()]
    font = 3 + 2 * count
    for n, text in enumerate(pages):
        lines = textwrap.wrap(text, 80)
        body = " ".join(f"({ln.replace('(', '[').replace(')', ']')}) Tj 0 -16 Td" for ln in lines)
        content = f"BT /F1 11 Tf 50 780 Td {body} ET".encode("latin-1")
        objects.append(f"<< /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 {font} 0 R >> >> "
                       f"/Contents {4 + 2 * n} 0 R >>".encode())
        objects.append(b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return raw_pdf(path, objects)


def drawn_pages(path: Path, pages: list[tuple[str, str]]) -> Path:
    """Pages written as raw content streams (Helvetica as /F1), each with extra entries for its page dict
    (``"/Rotate 90"``, another ``/MediaBox``): for page geometry and ruling no PDF library writes on request."""
    count = len(pages)
    kids = " ".join(f"{3 + 2 * n} 0 R" for n in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode()]
    font = 3 + 2 * count
    for n, (content, extra) in enumerate(pages):
        stream = content.encode("latin-1")
        box = "" if "/MediaBox" in extra else "/MediaBox [0 0 595 842] "
        objects.append(f"<< /Type /Page /Parent 2 0 R {box}{extra} /Resources << /Font << /F1 {font} 0 R >> >> "
                       f"/Contents {4 + 2 * n} 0 R >>".encode())
        objects.append(b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return raw_pdf(path, objects)


def ruled_table(rows: list[list[str]], left: float = 60, top: float = 700, widths: tuple[float, ...] = (200, 120),
                height: float = 22, rectangles: bool = True) -> str:
    """A content stream of a table ruled in lines ("m ... l S") or in cell rectangles ("re S"), with text
    above it."""
    edges = [left]  # the columns' left edges, then the table's right edge
    for c in range(len(rows[0])):
        edges.append(edges[-1] + widths[c % len(widths)])
    bottom = top - len(rows) * height
    ops = ["BT /F1 11 Tf 60 780 Td (Table 1: children in care by month) Tj ET", "0.5 w"]
    for r, row in enumerate(rows):
        y = top - r * height
        for c, cell in enumerate(row):
            if rectangles:
                ops.append(f"{edges[c]} {y - height} {edges[c + 1] - edges[c]} {height} re S")
            ops.append(f"BT /F1 10 Tf {edges[c] + 4} {y - 15} Td ({cell}) Tj ET")
    if not rectangles:
        ops += [f"{left} {top - r * height} m {edges[-1]} {top - r * height} l S" for r in range(len(rows) + 1)]
        ops += [f"{x} {top} m {x} {bottom} l S" for x in edges]
    return "\n".join(ops)


def template_table(header: list[tuple[str, str]], rows: list[list[str]], left: float = 40, top: float = 760,
                   widths: tuple[float, ...] = (90, 150, 80, 80)) -> str:
    """A content stream of a budget template's table: the header ruled as one box over every column (pdfplumber
    reads it as one cell), each heading in two lines over its column ("2030-31" above "£000s"), and under it the
    rows, each cell ruled in its own box."""
    edges = [left]
    for width in widths[: len(header)]:
        edges.append(edges[-1] + width)
    ops = ["0.5 w", f"{left} {top - 32} {edges[-1] - left} 32 re S"]
    for c, (first, second) in enumerate(header):
        ops.append(f"BT /F1 9 Tf {edges[c] + 4} {top - 13} Td ({first}) Tj ET")
        if second:
            ops.append(f"BT /F1 9 Tf {edges[c] + 4} {top - 26} Td ({second}) Tj ET")
    for r, row in enumerate(rows):
        y = top - 32 - r * 20
        for c, cell in enumerate(row):
            ops.append(f"{edges[c]} {y - 20} {edges[c + 1] - edges[c]} 20 re S")
            ops.append(f"BT /F1 9 Tf {edges[c] + 4} {y - 14} Td ({cell}) Tj ET")
    return "\n".join(ops)
