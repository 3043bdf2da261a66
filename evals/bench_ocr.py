"""OCR benchmark: the project's reading of each scanned paper against the transcription a person typed.

    python -m evals.bench_ocr [FOLDER]      # default ../shared/scanned-papers

For each PDF beside a Markdown transcription (``NAME.md``): character and word error rate of the text
ingest keeps (``read_pdf``: OCR where a page needs it), seconds per OCR'd page and the peak RSS of the
reading process (each paper read in a fresh process, so each peak is its own; Tesseract runs beside it,
one page at a time, as a subprocess whose own peak Linux's rusage cannot separate from its fork); and,
where the PDF has a text layer of its own (a scanner's OCR), that layer's error rates, for comparison.

Both texts are compared after the same normalisation: the transcription's ``{{filled:...}}`` and
``{{signature}}`` marks (handwriting) and Markdown syntax dropped, and a "Document Notes" section (notes
about the paper, not its text) left out; case folded, whitespace collapsed, and punctuation at a word's
ends stripped for the word rate. Error rate = edit distance / length of the transcription.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
SCANNED = REPO.parent / "shared" / "scanned-papers"
# Pages a transcription covers, where it is not the whole file. The 1978 ordinance's second page is an
# earlier, unexecuted version of it; the transcription's own notes say so and do not transcribe it.
TRANSCRIBED_PAGES = {"1978-ord-28-parks.pdf": (1,)}


def transcription_text(markdown: str, keep_filled: bool = False) -> str:
    """The words a person typed from the page, without handwriting marks or Markdown syntax. What was filled in
    by hand is dropped (OCR is not judged on handwriting) unless ``keep_filled`` (a quote may hold it)."""
    text = re.split(r"^#+\s*Document Notes\s*$", markdown, maxsplit=1, flags=re.M | re.I)[0]
    text = re.sub(r"\{\{filled:([^}]*)\}\}", r"\1" if keep_filled else " ", text)
    text = text.replace("{{signature}}", " ")
    text = re.sub(r"^\s*(?:#+|>|[-*+](?=\s)|-{3,}\s*$)", " ", text, flags=re.M)  # headings, quotes, bullets, rules
    text = re.sub(r"(\*\*|__|`)", "", text)
    return text.replace("|", " ")


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


def words(text: str) -> list[str]:
    stripped = (token.strip(".,;:()[]'\"‘’“”!?-–*_") for token in normalise(text).split())
    return [token for token in stripped if token]


def edit_distance(a: Sequence, b: Sequence) -> int:
    """Levenshtein distance, one row of the table at a time in numpy (a row's left-to-right insertions are
    a running minimum), so a 6,000-character page takes well under a second."""
    if not a or not b:
        return max(len(a), len(b))
    codes: dict = {}
    xs = np.array([codes.setdefault(x, len(codes)) for x in a])
    ys = np.array([codes.setdefault(y, len(codes)) for y in b])
    steps = np.arange(len(ys) + 1)
    row = steps.copy()
    for i, x in enumerate(xs, start=1):
        candidate = np.empty_like(row)
        candidate[0] = i
        candidate[1:] = np.minimum(row[1:] + 1, row[:-1] + (ys != x))
        row = np.minimum.accumulate(candidate - steps) + steps
    return int(row[-1])


def error_rates(hypothesis: str, truth: str) -> tuple[float, float]:
    """(character error rate, word error rate) of ``hypothesis`` against ``truth``."""
    hyp_chars, truth_chars = normalise(hypothesis), normalise(truth)
    hyp_words, truth_words = words(hypothesis), words(truth)
    return (edit_distance(hyp_chars, truth_chars) / max(1, len(truth_chars)),
            edit_distance(hyp_words, truth_words) / max(1, len(truth_words)))


def measure_one(pdf: Path) -> dict:
    """Read one paper as ingest does, in this process; its figures as a dict."""
    import pypdfium2

    from ingest import ocr
    from ingest.pdf_reader import read_pdf

    truth = transcription_text(pdf.with_suffix(".md").read_text(encoding="utf-8"))
    document = read_pdf(pdf)
    pages = TRANSCRIBED_PAGES.get(pdf.name) or tuple(range(1, len(document.pages) + 1))
    text = "\n".join(document.pages[n - 1].text for n in pages)
    cer, wer = error_rates(text, truth)
    layer = pypdfium2.PdfDocument(str(pdf))
    layer_text = "\n".join(layer[n - 1].get_textpage().get_text_range() for n in pages)
    layer.close()
    layer_rates = error_rates(layer_text, truth) if layer_text.strip() else None
    ocr_pages = document.ocr_pages
    return {
        "paper": pdf.name, "pages": len(document.pages), "compared": list(pages), "ocr_pages": ocr_pages,
        "cer": cer, "wer": wer, "engine": "tesseract" if ocr.available() else "none",
        "seconds_per_page": document.ocr_seconds / ocr_pages if ocr_pages else 0.0,
        "layer_cer": layer_rates[0] if layer_rates else None, "layer_wer": layer_rates[1] if layer_rates else None,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure(folder: Path) -> list[dict]:
    """Each paper in a fresh process, so each peak RSS is its own."""
    results = []
    for pdf in sorted(folder.glob("*.pdf")):
        if not pdf.with_suffix(".md").is_file():
            continue
        done = subprocess.run([sys.executable, "-m", "evals.bench_ocr", "--one", str(pdf)], capture_output=True,
                              text=True, cwd=REPO, check=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return results


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def table(results: list[dict]) -> str:
    lines = ["| paper | pages (compared) | OCR pages | CER | WER | scanner's layer CER | layer WER | s / OCR page "
             "| peak RSS MB |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        compared = "" if len(r["compared"]) == r["pages"] else f" ({', '.join(map(str, r['compared']))})"
        lines.append(f"| `{r['paper']}` | {r['pages']}{compared} | {r['ocr_pages']} | {_percent(r['cer'])} | "
                     f"{_percent(r['wer'])} | {_percent(r['layer_cer'])} | {_percent(r['layer_wer'])} | "
                     f"{r['seconds_per_page']:.1f} | {r['peak_rss_mb']:.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", default=str(SCANNED))
    parser.add_argument("--one", help=argparse.SUPPRESS)  # one paper, in the child process
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure_one(Path(args.one))))
        return 0
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"no scanned papers at {folder}: nothing to measure", file=sys.stderr)
        return 1
    results = measure(folder)
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
