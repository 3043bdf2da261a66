"""Hostile and broken files, generated, each ingested next to a good paper that is already indexed.

    python -m evals.hostile          # prints a table: file, outcome, the message, seconds, RSS growth

For each file: the outcome (ingested / rejected with its one-line message), the time it took, how much the
process's peak memory grew, the pages read by OCR and the seconds per OCR'd page, and whether the good paper
is still whole. ``tests/test_hostile.py`` asserts the outcomes; time and memory are printed here, never
asserted.

Scans, glyphs drawn as outlines and garbage text layers are read by OCR where Tesseract is installed, and
keep their one-line refusal where it is not, and with OCR off (``ingest --no-ocr``: the "no-ocr" cases).
"""

from __future__ import annotations

import random
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from fpdf import FPDF

from core.records import Filters
from core.settings import Settings
from evals import pdf_factory as make
from ingest import ocr
from ingest.pipeline import ingest_paths
from store.index import PanelIndex


def _text_page_objects(content: bytes, extra_page: bytes = b"") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R " + extra_page + b">>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
    ]


MINUTES = ("Corporate Parenting Panel minutes. The panel received the report on fostering and care leavers. "
           "It was RESOLVED that the report be noted. ")


def cyclic_page_tree(path: Path) -> Path:
    """The page tree lists itself among its own kids: a loop for any naive walker."""
    content = b"BT /F1 12 Tf 72 720 Td (" + MINUTES.encode() + b") Tj ET"
    objects = _text_page_objects(content)
    objects[1] = b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>"
    return make.raw_pdf(path, objects)


def cyclic_parent(path: Path) -> Path:
    """A page whose /Parent chain loops and whose resources refer back to the page itself."""
    content = b"BT /F1 12 Tf 72 720 Td (" + MINUTES.encode() + b") Tj ET"
    objects = _text_page_objects(content, extra_page=b"/Self 3 0 R /Annots [3 0 R] ")
    objects.append(b"<< /Type /Pages /Parent 6 0 R /Kids [] /Count 0 >>")
    return make.raw_pdf(path, objects)


def deep_nesting(path: Path, depth: int = 50_000) -> Path:
    """A page carrying an array nested 50,000 levels deep."""
    content = b"BT /F1 12 Tf 72 720 Td (" + MINUTES.encode() + b") Tj ET"
    nested = b"[" * depth + b"1" + b"]" * depth
    return make.raw_pdf(path, _text_page_objects(content, extra_page=b"/Deep " + nested + b" "))


def control_characters(path: Path) -> Path:
    """Text strings holding NUL, BEL, ESC and DEL bytes between the words."""
    text = b"Corporate Parenting Panel\x00 minutes\x07 of the meeting\x1b held on 7 May 2019.\x7f " \
           b"It was RESOLVED that the\x00\x00 fostering report be noted by the panel."
    escaped = text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return make.raw_pdf(path, _text_page_objects(b"BT /F1 11 Tf 40 720 Td (" + escaped + b") Tj ET"))


def huge_page(path: Path, characters: int = 100_000) -> Path:
    """One poster-sized page (2000 x 2400 pt, a printed spreadsheet) holding 100,000 characters of words."""
    rng = random.Random(5)
    words = MINUTES.split()
    pdf = FPDF(unit="pt", format=(2000, 2400))
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", fname=make._font_path())
    pdf.set_font("DejaVu", size=6)
    pdf.add_page()
    written, y = 0, 10.0
    while written < characters:
        line = " ".join(rng.choice(words) for _ in range(110))
        pdf.text(10, y, line)
        written += len(line)
        y += 7
    pdf.output(str(path))
    return path


def many_pages(path: Path, pages: int = 2000) -> Path:
    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=11)
    for n in range(pages):
        pdf.add_page()
        pdf.text(20, 20, f"Page {n + 1}: the panel noted the report.")
    pdf.output(str(path))
    return path


NON_LATIN = ("Corporate Parenting Panel\n"
             "Ελληνικά: Η επιτροπή ενέκρινε την έκθεση για την αναδοχή.\n"
             "Русский: Комиссия утвердила доклад о приёмных семьях.\n"
             "עברית: הוועדה אישרה את הדוח על משפחות אומנה.\n"
             "العربية: وافقت اللجنة على التقرير الخاص بالأسر الحاضنة.\n")


def non_latin(path: Path) -> Path:
    return make.text_pdf(path, [NON_LATIN])


def owner_password_only(path: Path) -> Path:
    """Encrypted with an owner password but an empty user password: opens without asking."""
    pdf = FPDF(format="A4")
    pdf.set_encryption(owner_password="owner-only", user_password="")
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, MINUTES * 3)
    pdf.output(str(path))
    return path


@dataclass
class Case:
    file_name: str
    build: Callable[[Path], Path]
    expect: str  # "ingested", or the exact one-line message of the rejection
    check: str = ""  # for an ingested file: text its chunks must hold
    password: str = ""  # the password given at ingest (as `ingest --password` would)
    ocr: bool = True  # False: ingested as `ingest --no-ocr` would


SCAN = ("Rivergrove City Council\nMINUTES of a meeting of the Parks Committee held on 12 August 1974.\n"
        "14. Park Advisory Council\nIt was RESOLVED that a Park Advisory Council of three members be "
        "established, appointed by the Mayor with the approval of the City Council.")


def with_ocr(reason_without: str) -> str:
    """What a file OCR can read comes to: ingested where Tesseract is installed, else its one-line reason."""
    return "ingested" if ocr.available() else reason_without


def with_ocr_tried(reason_tried: str, reason_without: str) -> str:
    """A file OCR cannot read either: its reason says OCR was tried, where it could be."""
    return reason_tried if ocr.available() else reason_without


NO_TEXT = "scanned: no text layer, needs OCR"
OUTLINES = "no text layer (glyphs drawn as shapes?): needs OCR"
GARBAGE = "text is mostly not words (a garbage OCR layer?): needs OCR"


CASES = [
    Case("html-saved-as.pdf", make.html_as_pdf, "not a PDF (the file is HTML)"),
    Case("zero-bytes.pdf", make.empty_file, "empty file (0 bytes)"),
    Case("truncated.pdf", lambda p: make.truncated(non_latin(p.with_name("src.pdf")), p),
         "corrupt PDF (truncated: the end of the file is missing)"),
    Case("corrupt.pdf", make.corrupt, "corrupt PDF (No /Root object! - Is this really a PDF?)"),
    Case("encrypted-user-password.pdf", lambda p: make.text_pdf(p, [MINUTES], "s3cret"),
         "encrypted: the PDF needs a password"),
    Case("encrypted-known-password.pdf", lambda p: make.text_pdf(p, [MINUTES], "s3cret"), "ingested",
         "fostering", password="s3cret"),
    Case("encrypted-wrong-password.pdf", lambda p: make.text_pdf(p, [MINUTES], "s3cret"),
         "encrypted: the password given does not open this PDF", password="guess"),
    Case("encrypted-owner-password-only.pdf", owner_password_only, "ingested", "fostering"),
    Case("zero-pages.pdf", make.zero_pages, "no pages (an empty or broken PDF)"),
    Case("scanned.pdf", lambda p: make.scanned_text(p, [SCAN, SCAN]), with_ocr(NO_TEXT), "Park Advisory Council"),
    Case("scanned-no-ocr.pdf", lambda p: make.scanned_text(p, [SCAN]), NO_TEXT, ocr=False),
    Case("scanned-dots.pdf", make.scanned, with_ocr_tried("scanned: no text layer, and OCR read no words", NO_TEXT)),
    Case("vector-outlines.pdf", lambda p: make.outlined_text(p, SCAN), with_ocr(OUTLINES), "Park Advisory Council"),
    Case("vector-shapes.pdf", make.vector_outlines,
         with_ocr_tried("no text layer (glyphs drawn as shapes?), and OCR read no words", OUTLINES)),
    Case("vector-outlines-no-ocr.pdf", lambda p: make.outlined_text(p, SCAN), OUTLINES, ocr=False),
    Case("garbage-ocr.pdf", lambda p: make.garbage_layer_scan(p, [SCAN]), with_ocr(GARBAGE), "Park Advisory Council"),
    Case("garbage-ocr-no-ocr.pdf", lambda p: make.garbage_layer_scan(p, [SCAN]), GARBAGE, ocr=False),
    Case("garbage-text-printed.pdf", make.garbage_text,
         with_ocr_tried("text is mostly not words (a garbage OCR layer?), and OCR read it no better", GARBAGE)),
    Case("pages-pdfminer-cannot-list.pdf", lambda p: make.untyped_pages(p, [MINUTES] * 3), "ingested", "fostering"),
    Case("2000-pages.pdf", many_pages, "too many pages (2000; the limit is 1000)"),
    Case("100k-characters-page.pdf", huge_page, "ingested", "fostering"),
    Case("cyclic-page-tree.pdf", cyclic_page_tree, "ingested", "RESOLVED"),
    Case("cyclic-parent.pdf", cyclic_parent, "ingested", "RESOLVED"),
    Case("deeply-nested.pdf", deep_nesting, "ingested", "RESOLVED"),
    Case("nul-and-control-characters.pdf", control_characters, "ingested", "fostering report"),
    Case("right-to-left-and-non-latin.pdf", non_latin, "ingested", "הוועדה אישרה"),
    Case("../ spaced name é.pdf", lambda p: make.text_pdf(p, [MINUTES]), "ingested", "fostering"),
]
GOOD = ("Corporate Parenting Panel\nMINUTES of a meeting held on Tuesday, 7 May 2019.\n12. Fostering Update\n"
        "(Item 4)\n1. The Panel received the report.\n2. It was RESOLVED that the fostering update be noted.")


@dataclass
class Outcome:
    case: Case
    got: str
    seconds: float
    rss_growth_mb: float
    good_whole: bool
    text_found: bool
    ocr_pages: int = 0
    ocr_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.got == self.case.expect and self.good_whole and (self.text_found or not self.case.check)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_case(case: Case, folder: Path, settings: Settings, index: PanelIndex) -> Outcome:
    folder.mkdir(parents=True, exist_ok=True)
    good = make.text_pdf(folder / "good-minutes.pdf", [GOOD])
    ingest_paths([good], settings.ingest, index, progress=False)
    before = index.stats()
    # "../ spaced name é.pdf": the path's last part is the name; the "../" stays a folder hop inside ours.
    target = folder / "inner" / case.file_name
    target.parent.mkdir(parents=True, exist_ok=True)
    path = case.build(target)
    rss = _peak_rss_mb()
    started = time.perf_counter()
    ingest_settings = settings.ingest if case.ocr else replace(settings.ingest, ocr=False)
    report = ingest_paths([path], ingest_settings, index, progress=False, password=case.password)
    seconds = time.perf_counter() - started
    growth = _peak_rss_mb() - rss
    got = "ingested" if report.ingested else (report.failed[0][1] if report.failed else "skipped")
    after = index.stats()
    good_whole = "good-minutes.pdf" in index.documents() and after["documents"] == before["documents"] + (
        1 if report.ingested else 0)
    found = False
    if report.ingested and case.check:
        found = any(case.check in chunk.text for chunk in index.all_chunks(Filters(document=report.ingested[0])))
        index.remove(report.ingested[0])
    return Outcome(case, got, seconds, growth, good_whole, found, report.ocr_pages, report.ocr_seconds)


def run_all(folder: Path, settings: Settings, index: PanelIndex) -> list[Outcome]:
    return [run_case(case, folder / f"case-{n}", settings, index) for n, case in enumerate(CASES)]


def main() -> None:
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    settings = Settings.build(index_dir=folder / "index", max_pages=1000)
    index = PanelIndex(settings.store)
    outcomes = run_all(folder, settings, index)
    print(f"OCR: {'Tesseract' if ocr.available() else 'not installed (scans keep their refusal)'}")
    print("| file | expected | got | s | OCR pages | s / OCR page | peak RSS growth MB | good paper whole |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | --- |")
    for o in outcomes:
        mark = "✓" if o.ok else "✗"
        per_page = f"{o.ocr_seconds / o.ocr_pages:.2f}" if o.ocr_pages else "–"
        print(f"| `{o.case.file_name}`{'' if o.case.ocr else ' (--no-ocr)'} | {o.case.expect} | {mark} {o.got} | "
              f"{o.seconds:.2f} | {o.ocr_pages} | {per_page} | {o.rss_growth_mb:.0f} | "
              f"{'yes' if o.good_whole else 'NO'} |")
    print(f"{sum(o.ok for o in outcomes)}/{len(outcomes)} as expected")


if __name__ == "__main__":
    main()
