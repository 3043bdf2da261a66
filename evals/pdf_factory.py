"""Real files for the bad-input tests, made with fpdf2 (or by hand where a PDF must be broken)."""

from __future__ import annotations

import random
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
