"""How ingest reads the minutes of each paper: every change of minute (number, title, item) and every decision
with its minute, one line each, so that a change to the structure rules can be checked paper by paper.

    python -m evals.minutes_read PDF ... > after.txt     # then the same at the code before, and diff the two

Run over the Kent papers and the fictional councils' minutes (``evals/minutes_dev``, ``evals/minutes_heldout``,
rendered to PDFs in their indexes' ``pdfs/`` folders by ``python -m evals.history``): a rule for one style of
minutes should change only that style's papers.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ingest.pdf_reader import read_pdf
from ingest.structure import analyse


def minute_lines(path: Path) -> list[str]:
    document = read_pdf(path)
    structure = analyse(document.pages, path.name, document.content_hash, None, document.metadata_title)
    out, last = [f"FILE {path.name}"], None
    for line in structure.lines:
        ctx = line.context
        key = (ctx.minute, ctx.minute_title, ctx.item, ctx.in_minutes)
        if key != last:
            out.append(f"p{line.page} minute={ctx.minute!r} item={ctx.item!r} title={(ctx.minute_title or '')[:60]!r} "
                       f"in_minutes={ctx.in_minutes} | {line.text.strip()[:70]!r}")
            last = key
    out += [f"  decision minute={d.minute!r} title={(d.minute_title or '')[:40]!r} | {d.text[:80]!r}"
            for d in structure.decisions]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pdfs", nargs="+", type=Path)
    for path in parser.parse_args(argv).pdfs:
        print("\n".join(minute_lines(path)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
