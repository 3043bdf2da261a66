"""Checker of the gold question set (evals/gold.jsonl) against the sample corpus.

Each line of the gold file is one question::

    {"id": "q001", "persona": "member|councillor|officer",
     "kind": "resolution|figure|duty|fact|multi|unanswerable", "split": "dev|test",
     "question": "...", "answer_facts": ["64.9%"],
     "source_file": "000_a8b9a554efa985b7.txt", "source_quote": "<verbatim passage>",
     "expected": [{"document": "<pdf file name>", "page": 27}]}

A ``multi`` question gives ``source_quotes`` (a list of ``{"source_file", "source_quote"}``) instead of
``source_file``/``source_quote``; an ``unanswerable`` one has empty ``answer_facts``, no source and no
``expected`` pages.

``split`` says which part of the set a question belongs to: ``dev`` questions may be tuned on (thresholds,
rules, prompts: ``evals.calibrate`` reads only these), ``test`` questions never are; ``evals.run`` reports
both. The split is deterministic and stratified by kind (``evals/split.py``): within each kind the ids are
sorted by the hex SHA-256 of the id (UTF-8; ties by id), and the first ``round_half_up(0.3 * n)`` of the
kind's ``n`` questions are ``test``, the rest ``dev`` (about 70% dev / 30% test in every kind).
``python -m evals.split --write`` writes it; this checker requires every line to carry a valid split,
and tests/test_eval.py recomputes the rule.

For every quote the checker

* finds it in its source text (corpus/source/, whitespace collapsed, exact);
* locates it in the PDF built from that text (corpus/papers.toml maps the text to its PDF), read
  with ``ingest.pdf_reader.read_pdf``: the whitespace-collapsed page texts are concatenated, so a
  quote that straddles a page break lies on both pages;
* checks every answer fact occurs (case-insensitive) within 400 characters of a quote in the
  source text;
* checks the ``expected`` pages are the located pages (or some of them).

``python -m evals.check_gold [FILE]`` prints counts per kind and persona and every problem, and exits
1 when there is any.  ``load_gold``, ``locate_quote``, ``locate`` and ``check`` are reused by the
evaluation runner.
"""

from __future__ import annotations

import argparse
import bisect
import json
import re
import sys
import time
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
GOLD = Path(__file__).resolve().parent / "gold.jsonl"

KINDS = ("resolution", "figure", "duty", "fact", "multi", "unanswerable")
SPLITS = ("dev", "test")
PERSONAS = ("member", "councillor", "officer")
FACT_WINDOW = 400  # characters either side of the quote (whitespace collapsed)
QUOTE_MIN, QUOTE_MAX = 40, 300
MAX_FACTS = 3
COPY_RUN = 8  # a question sharing this many consecutive words with its quote copies it

# read_pdf joins letter-spaced headings ("C orporate" -> "Corporate") where the document uses the
# joined word; the source texts keep them split.  Both sides are folded the same way before matching.
_SPLIT_WORD = re.compile(r"\b([A-Z]) (?=[a-z]{2,}\b)")
_WORD = re.compile(r"[a-z0-9%£.]+")


def collapse(text: str) -> str:
    """Whitespace collapsed to single spaces."""
    return " ".join(text.split())


def fold(text: str) -> str:
    """Whitespace collapsed and letter-spaced words joined: the form quotes are matched in."""
    return _SPLIT_WORD.sub(r"\1", collapse(text))


def _page_text(page) -> str:
    return page if isinstance(page, str) else page.text


def _page_number(page, index: int) -> int:
    return index + 1 if isinstance(page, str) else page.number


def locate_quote(quote: str, pages: Sequence) -> list[int]:
    """The 1-based page numbers on which ``quote`` lies, [] when it is on none.

    ``pages`` are ``core.records.Page`` objects (their ``.number`` is used) or plain page texts
    (numbered from 1).  Texts are compared whitespace-collapsed; the pages are searched as one
    concatenation, so a quote across a page break gives both pages.  Every occurrence counts.
    """
    needle = fold(quote)
    if not needle:
        return []
    starts: list[int] = []
    numbers: list[int] = []
    parts: list[str] = []
    offset = 0
    for i, page in enumerate(pages):
        text = fold(_page_text(page))
        starts.append(offset)
        numbers.append(_page_number(page, i))
        parts.append(text)
        offset += len(text) + 1  # the joining space
    haystack = " ".join(parts)
    found: set[int] = set()
    pos = haystack.find(needle)
    while pos >= 0:
        first = bisect.bisect_right(starts, pos) - 1
        last = bisect.bisect_right(starts, pos + len(needle) - 1) - 1
        for k in range(first, last + 1):
            if parts[k] or k in (first, last):
                found.add(numbers[k])
        pos = haystack.find(needle, pos + 1)
    return sorted(found)


@dataclass(frozen=True)
class Paper:
    file: str  # the PDF file name
    source: str  # the source text's file name


class Corpus:
    """corpus/papers.toml, the source texts and the PDFs' pages, each read once."""

    def __init__(self, corpus_dir: Path | str = CORPUS):
        self.dir = Path(corpus_dir)
        with (self.dir / "papers.toml").open("rb") as fh:
            papers = tomllib.load(fh).get("paper", [])
        self.by_source = {p["source"]: Paper(p["file"], p["source"]) for p in papers}
        self.by_file = {p.file: p for p in self.by_source.values()}
        self._texts: dict[str, str] = {}

    def text(self, source: str) -> str:
        """The source text, whitespace collapsed."""
        if source not in self._texts:
            self._texts[source] = collapse((self.dir / "source" / source).read_text(encoding="utf-8"))
        return self._texts[source]

    def pages(self, pdf_file: str) -> list:
        return _read_pages(str((self.dir / pdf_file).resolve()))


@cache
def _read_pages(path: str) -> list:
    from ingest.pdf_reader import read_pdf

    return read_pdf(path).pages


def load_gold(path: Path | str = GOLD) -> list[dict]:
    """The questions of a gold file, one JSON object a line (blank lines skipped).

    A line that is not a JSON object raises ValueError naming the line.
    """
    questions = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"line {n}: not JSON ({exc.msg})") from exc
        if not isinstance(item, dict):
            raise ValueError(f"line {n}: not a JSON object")
        questions.append(item)
    return questions


def quotes_of(question: dict) -> list[tuple[str, str]]:
    """(source_file, source_quote) pairs of a question: one, several (multi) or none."""
    if question.get("source_quotes"):
        return [(q.get("source_file"), q.get("source_quote")) for q in question["source_quotes"]
                if isinstance(q, dict)]
    if question.get("source_file") or question.get("source_quote"):
        return [(question.get("source_file"), question.get("source_quote"))]
    return []


def locate(question: dict, corpus: Corpus | None = None) -> list[dict]:
    """The pages every quote of a question lies on, as ``expected`` entries (document, page)."""
    corpus = corpus or Corpus()
    found = []
    for source, quote in quotes_of(question):
        paper = corpus.by_source.get(source)
        if paper is None or not isinstance(quote, str):
            continue
        for page in locate_quote(quote, corpus.pages(paper.file)):
            entry = {"document": paper.file, "page": page}
            if entry not in found:
                found.append(entry)
    return found


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def copies_quote(question: str, quote: str, run: int = COPY_RUN) -> bool:
    """True when the question shares ``run`` consecutive words with the quote."""
    q, s = _words(question), " " + " ".join(_words(quote)) + " "
    return any(" " + " ".join(q[i:i + run]) + " " in s for i in range(len(q) - run + 1))


def _check_fields(q: dict, where: str) -> list[str]:
    problems = []
    if not isinstance(q.get("id"), str) or not q.get("id"):
        problems.append(f"{where}: no id")
    if q.get("persona") not in PERSONAS:
        problems.append(f"{where}: persona {q.get('persona')!r} is not one of {', '.join(PERSONAS)}")
    if q.get("kind") not in KINDS:
        problems.append(f"{where}: kind {q.get('kind')!r} is not one of {', '.join(KINDS)}")
    if q.get("split") not in SPLITS:
        problems.append(f"{where}: split {q.get('split')!r} is not one of {', '.join(SPLITS)}")
    if not isinstance(q.get("question"), str) or not q["question"].strip():
        problems.append(f"{where}: no question text")
    facts = q.get("answer_facts")
    if not isinstance(facts, list) or not all(isinstance(f, str) and f.strip() for f in facts):
        problems.append(f"{where}: answer_facts must be a list of non-empty strings")
    expected = q.get("expected", [])
    if not isinstance(expected, list) or not all(
            isinstance(e, dict) and isinstance(e.get("document"), str) and isinstance(e.get("page"), int)
            for e in expected):
        problems.append(f"{where}: expected must be a list of {{document, page}}")
    if "source_quotes" in q and (not isinstance(q["source_quotes"], list) or not all(
            isinstance(s, dict) for s in q["source_quotes"])):
        problems.append(f"{where}: source_quotes must be a list of {{source_file, source_quote}}")
    return problems


def check_question(q: dict, corpus: Corpus, where: str) -> list[str]:
    """The problems of one question (fields already valid)."""
    problems = []
    kind, facts = q["kind"], q["answer_facts"]
    quotes = quotes_of(q)
    expected = q.get("expected") or []
    if kind == "unanswerable":
        if facts:
            problems.append(f"{where}: unanswerable question with answer_facts")
        if quotes or expected:
            problems.append(f"{where}: unanswerable question with a source or expected pages")
        return problems
    if not 1 <= len(facts) <= MAX_FACTS:
        problems.append(f"{where}: {len(facts)} answer_facts (1 to {MAX_FACTS} wanted)")
    if kind == "multi":
        if not q.get("source_quotes") or len(quotes) < 2:
            problems.append(f"{where}: a multi question needs source_quotes with two passages or more")
    elif not (q.get("source_file") and q.get("source_quote")):
        problems.append(f"{where}: no source_file/source_quote")
    if not quotes:
        return problems

    fact_found = dict.fromkeys(facts, False)
    unfound = False  # a quote missing from its source: its facts cannot be placed, so they are not reported
    located: list[dict] = []
    for n, (source, quote) in enumerate(quotes, start=1):
        label = f"{where} quote {n}" if len(quotes) > 1 else f"{where} quote"
        paper = corpus.by_source.get(source)
        if paper is None:
            problems.append(f"{label}: source_file {source!r} is not in papers.toml")
            unfound = True
            continue
        if not isinstance(quote, str):
            problems.append(f"{label}: no quote text")
            unfound = True
            continue
        needle = collapse(quote)
        if not QUOTE_MIN <= len(needle) <= QUOTE_MAX:
            problems.append(f"{label}: {len(needle)} characters ({QUOTE_MIN} to {QUOTE_MAX} wanted)")
        text = corpus.text(source)
        spans = [m.start() for m in re.finditer(re.escape(needle), text)] if needle else []
        if not spans:
            problems.append(f"{label}: not found in {source}: {needle[:80]!r}")
            unfound = True
            continue
        for start in spans:
            window = text[max(0, start - FACT_WINDOW):start + len(needle) + FACT_WINDOW].lower()
            for fact in facts:
                if collapse(fact).lower() in window:
                    fact_found[fact] = True
        if copies_quote(q["question"], quote):
            problems.append(f"{label}: the question copies the quote ({COPY_RUN}+ words in a row)")
        pages = locate_quote(quote, corpus.pages(paper.file))
        if not pages:
            problems.append(f"{label}: found in {source} but on no page of {paper.file}")
            continue
        quote_pages = [{"document": paper.file, "page": p} for p in pages]
        located.extend(e for e in quote_pages if e not in located)
        if not any(e in expected for e in quote_pages):
            problems.append(f"{label}: expected pages list none of its pages {pages} of {paper.file}")
    for fact, ok in fact_found.items():
        if not ok and not unfound:
            problems.append(f"{where}: answer fact {fact!r} is not within {FACT_WINDOW} characters of its quote")
    if not expected:
        problems.append(f"{where}: no expected pages (located: {_pages_str(located)})")
    for entry in expected:
        if entry not in located:
            problems.append(f"{where}: expected {entry['document']} p.{entry['page']} is not where the quote lies "
                            f"(located: {_pages_str(located)})")
    return problems


def _pages_str(entries: Iterable[dict]) -> str:
    return ", ".join(f"{e['document']} p.{e['page']}" for e in entries) or "nowhere"


def check(path: Path | str = GOLD, corpus_dir: Path | str = CORPUS) -> list[str]:
    """Every problem of a gold file, as one line each ([] when it is sound)."""
    try:
        questions = load_gold(path)
    except (OSError, ValueError) as exc:
        return [f"{path}: {exc}"]
    corpus = Corpus(corpus_dir)
    problems = []
    seen: Counter[str] = Counter(q.get("id") for q in questions if isinstance(q.get("id"), str))
    for dup, count in sorted(seen.items()):
        if count > 1:
            problems.append(f"id {dup} is used {count} times")
    for n, q in enumerate(questions, start=1):
        where = f"{q.get('id') or f'line {n}'}"
        field_problems = _check_fields(q, where)
        problems.extend(field_problems)
        if not field_problems:
            problems.extend(check_question(q, corpus, where))
    return problems


def summary(questions: list[dict]) -> str:
    kinds = Counter(q.get("kind") for q in questions)
    personas = Counter(q.get("persona") for q in questions)
    splits = Counter((q.get("kind"), q.get("split")) for q in questions)
    papers: Counter[str] = Counter()
    for q in questions:
        for source in {s for s, _ in quotes_of(q)}:
            papers[source] += 1
    lines = [f"{len(questions)} questions"]
    lines.append("  by kind:    " + ", ".join(f"{k} {kinds[k]}" for k in KINDS if kinds[k]))
    lines.append("  by split:   " + ", ".join(
        f"{k} {splits[(k, 'dev')]}/{splits[(k, 'test')]}" for k in KINDS if kinds[k]) + " (dev/test)")
    lines.append("  by persona: " + ", ".join(f"{p} {personas[p]}" for p in PERSONAS if personas[p]))
    lines.append("  by source:  " + ", ".join(f"{s[:3]} {c}" for s, c in sorted(papers.items())))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check the gold question set against the corpus.")
    parser.add_argument("file", nargs="?", default=str(GOLD), help="gold JSONL file (default: evals/gold.jsonl)")
    parser.add_argument("--corpus", default=str(CORPUS), help="corpus folder (papers.toml, source/, PDFs)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    problems = check(args.file, args.corpus)
    try:
        print(summary(load_gold(args.file)))
    except (OSError, ValueError):
        pass
    for problem in problems:
        print("PROBLEM", problem)
    print(f"{len(problems)} problem(s); {time.perf_counter() - started:.1f} s")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
