"""The two page readers side by side: pdfplumber alone, and pdfium's characters and lines laid out by pdfplumber.

    python -m evals.bench_readers [PATHS]      (default: ../shared/real-archive)

Every page of every PDF is read both ways in this process, as ``ingest.pdf_reader`` reads it (text, ruled tables,
the text outside them; no OCR), and compared: pages whose text (tables) come out the same, those that differ only
in spaces, those that differ otherwise; which reader put more words on a page; and the CPU seconds of each reader
(each page's reading timed alone). A page the pdfium path leaves to pdfplumber (rotated, cropped, a glyph without
a Unicode mapping) is counted as such and not compared.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def _squeezed(text: str) -> str:
    return re.sub(r"\s", "", text)


def compare(paths: list[Path]) -> tuple[Counter, dict[str, float]]:
    import pdfplumber
    import pypdfium2

    from ingest.pdf_reader import _read_by_pdfium, page_contents
    from ingest.quick_page import quicken

    counts: Counter = Counter()
    seconds = {"pdfplumber": 0.0, "pdfium": 0.0}
    for path in paths:
        try:
            plumber, pdfium = pdfplumber.open(path), pypdfium2.PdfDocument(str(path))
        except Exception as exc:  # a file neither reader can open is no comparison
            print(f"skipped {path.name}: {type(exc).__name__}", file=sys.stderr)
            continue
        with plumber:
            for page in plumber.pages:
                counts["pages"] += 1
                started = time.process_time()
                fast = _read_by_pdfium(pdfium, page)
                if fast is not None:
                    ours = page_contents(fast)
                seconds["pdfium"] += time.process_time() - started
                started = time.process_time()
                theirs = page_contents(quicken(page))
                seconds["pdfplumber"] += time.process_time() - started
                page.flush_cache()
                if fast is None:
                    counts["left to pdfplumber"] += 1
                    continue
                counts["compared"] += 1
                (text, tables, _), (their_text, their_tables, _) = ours, theirs
                if text == their_text:
                    counts["text the same"] += 1
                else:
                    kind = "only in spaces" if _squeezed(text) == _squeezed(their_text) else "otherwise"
                    counts[f"text differs {kind}"] += 1
                    more = len(text.split()) - len(their_text.split())
                    counts["pdfium has more words" if more > 0 else "pdfium has fewer words" if more < 0
                           else "the same words"] += 1
                if their_tables:
                    counts["pages with tables"] += 1
                    if tables == their_tables:
                        counts["tables the same"] += 1
                    else:
                        spaces = [_squeezed(str(t.rows)) for t in tables] == [_squeezed(str(t.rows))
                                                                              for t in their_tables]
                        counts["tables differ only in spaces" if spaces else "tables differ otherwise"] += 1
        pdfium.close()
    return counts, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", default=[str(SHARED / "real-archive")], help="PDFs or folders")
    args = parser.parse_args(argv)
    from ingest.pipeline import collect_pdfs

    counts, seconds = compare(collect_pdfs(args.paths))
    keys = ("pages", "left to pdfplumber", "compared", "text the same", "text differs only in spaces",
            "text differs otherwise", "pdfium has more words", "pdfium has fewer words", "the same words",
            "pages with tables", "tables the same", "tables differ only in spaces", "tables differ otherwise")
    width = max(map(len, keys)) + 2
    for key in keys:
        print(f"{key:{width}s}{counts.get(key, 0)}")
    for name, spent in seconds.items():
        print(f"{name + '_cpu_s':{width}s}{spent:.1f}")
    if seconds["pdfplumber"]:
        print(f"{'ratio':{width}s}{seconds['pdfium'] / seconds['pdfplumber']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
