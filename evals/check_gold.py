"""Checker of the gold question sets: evals/gold.jsonl against the sample corpus, evals/gold_real.jsonl
against the real Kent papers of the shared folder (``../shared``, beside the repository).

Each line of a gold file is one question::

    {"id": "q001", "persona": "member|councillor|officer",
     "kind": "resolution|figure|duty|fact|multi|unanswerable", "split": "dev|test",
     "question": "...", "answer_facts": ["64.9%"],
     "source_file": "000_a8b9a554efa985b7.txt", "source_quote": "<verbatim passage>",
     "expected": [{"document": "<pdf file name>", "page": 27}]}

A ``multi`` question gives ``source_quotes`` (a list of ``{"source_file", "source_quote"}``) instead of
``source_file``/``source_quote``; an ``unanswerable`` one has empty ``answer_facts``, no source and no
``expected`` pages.

A question of the real set gives ``"source_pdf": "real-papers/<file>.pdf"`` (a PDF's path relative to the
shared folder) instead of ``source_file``, in ``source_quotes`` entries too. Its quote is looked for in the
page texts of that PDF, and its ``expected`` pages are every page where the quote lies in any PDF of the
wide index (corpus/ and the shared folder's real-papers/ and real-archive/): the same paper is published
several times under different file names, and each file is a document of its own in the index (named by
its file name). ``python -m evals.check_gold FILE --fill-expected`` writes them.

``split`` says which part of the set a question belongs to: ``dev`` questions may be tuned on (thresholds,
rules, prompts: ``evals.calibrate`` reads only these), ``test`` questions never are; ``evals.run`` reports
both. The split is deterministic and stratified by batch and kind (``evals/split.py``): a question's batch
is its id's leading letters (``q``, ``c``, ``r``); within each (batch, kind) group the ids are sorted by the
hex SHA-256 of the id (UTF-8; ties by id), and the first ``round_half_up(0.3 * n)`` of the group's ``n``
questions are ``test``, the rest ``dev`` (about 70% dev / 30% test in every kind). A new batch never moves
an existing question between dev and test. ``python -m evals.split [FILE] --write`` writes it; this checker
requires every line to carry a valid split, and tests/test_eval.py recomputes the rule.

For every quote the checker

* finds it in its source: the source text (corpus/source/, whitespace collapsed, exact), or for a
  ``source_pdf`` quote the page texts of that PDF (read like the sample PDFs, below);
* locates it in the PDF built from that text (corpus/papers.toml maps the text to its PDF), read
  with ``ingest.pdf_reader.read_pdf``: the whitespace-collapsed page texts are concatenated, so a
  quote that straddles a page break lies on both pages;
* checks every answer fact occurs (case-insensitive) within 400 characters of a quote in the
  source text (for a ``source_pdf`` quote: in the PDF's concatenated page texts);
* checks the question does not copy the quote (8 words in a row);
* checks the ``expected`` pages are the located pages (or some of them); for a ``source_pdf`` quote,
  every page of the wide index's PDFs where it lies must be listed.

``python -m evals.check_gold [FILE] [--corpus DIR] [--shared DIR] [--fill-expected]`` prints counts per
kind and persona and every problem, and exits 1 when there is any. A file with ``source_pdf`` questions
needs the shared folder (``--shared``, default ``../shared``); where it is missing the file is skipped with
a one-line note (exit 0). ``load_gold``, ``locate_quote``, ``locate`` and ``check`` are reused by the
evaluation runner.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import os
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
GOLD_REAL = Path(__file__).resolve().parent / "gold_real.jsonl"
# Questions written blind and tuned on (every one dev; evals/blind_dev/README.md), asked of the wide index.
BLIND_DEV = sorted((Path(__file__).resolve().parent / "blind_dev").glob("*.jsonl"))
SHARED = REPO.parent / "shared"  # the real papers, outside the repository
SHARED_FOLDERS = ("real-papers", "real-archive")  # the shared folders the wide index holds, beside corpus/

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


# A scanned paper of the shared folder has a hand-typed transcription beside it (``<name>.md``): its quotes
# are checked against that (an OCR text may hold the quote with a misread letter), and its expected pages are
# given by hand (checked to be pages of the PDF).
def transcription_of(pdf: Path) -> str | None:
    """The plain text of a scan's transcription (Markdown and marks dropped, what was filled in kept), None
    when it has none."""
    from evals.bench_ocr import transcription_text

    md = pdf.with_suffix(".md")
    return transcription_text(md.read_text(encoding="utf-8"), keep_filled=True) if md.is_file() else None


def _pdf_page_count(pdf: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return len(document)
    finally:
        document.close()


def _page_text(page) -> str:
    return page if isinstance(page, str) else page.text


def _page_number(page, index: int) -> int:
    return index + 1 if isinstance(page, str) else page.number


class PageText:
    """A PDF's pages folded and concatenated (joined by a space), for finding quotes in them."""

    def __init__(self, pages: Sequence):
        self.starts: list[int] = []
        self.numbers: list[int] = []
        self.parts: list[str] = []
        offset = 0
        for i, page in enumerate(pages):
            text = fold(_page_text(page))
            self.starts.append(offset)
            self.numbers.append(_page_number(page, i))
            self.parts.append(text)
            offset += len(text) + 1  # the joining space
        self.text = " ".join(self.parts)

    def spans(self, quote: str) -> list[int]:
        """Where the folded quote starts in the folded text, every occurrence."""
        needle = fold(quote)
        if not needle:
            return []
        found, pos = [], self.text.find(needle)
        while pos >= 0:
            found.append(pos)
            pos = self.text.find(needle, pos + 1)
        return found

    def pages(self, quote: str) -> list[int]:
        """The page numbers on which the quote lies, [] when it is on none."""
        length = len(fold(quote))
        found: set[int] = set()
        for pos in self.spans(quote):
            first = bisect.bisect_right(self.starts, pos) - 1
            last = bisect.bisect_right(self.starts, pos + length - 1) - 1
            for k in range(first, last + 1):
                if self.parts[k] or k in (first, last):
                    found.add(self.numbers[k])
        return sorted(found)


def locate_quote(quote: str, pages: Sequence) -> list[int]:
    """The 1-based page numbers on which ``quote`` lies, [] when it is on none.

    ``pages`` are ``core.records.Page`` objects (their ``.number`` is used) or plain page texts
    (numbered from 1).  Texts are compared whitespace-collapsed; the pages are searched as one
    concatenation, so a quote across a page break gives both pages.  Every occurrence counts.
    """
    return PageText(pages).pages(quote)


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


def _pdfs_in(folder: Path) -> list[Path]:
    """The PDFs of a folder and its subfolders, as ``ingest_paths`` collects them."""
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())


class Shared:
    """The shared folder of real papers, and the wide index's PDFs (corpus/ and the shared folders):
    each PDF read once, byte-identical copies once between them."""

    def __init__(self, shared_dir: Path | str = SHARED, corpus_dir: Path | str = CORPUS):
        self.dir = Path(shared_dir)
        self.corpus_dir = Path(corpus_dir)

    @property
    def available(self) -> bool:
        return all((self.dir / folder).is_dir() for folder in SHARED_FOLDERS)

    def folders(self) -> list[Path]:
        """The folders the wide index is ingested from: corpus/ and the shared folders."""
        return [self.corpus_dir, *(self.dir / folder for folder in SHARED_FOLDERS)]

    def pdfs(self) -> list[Path]:
        """Every PDF of the wide index."""
        return [pdf for folder in self.folders() for pdf in _pdfs_in(folder)]

    def path(self, source_pdf: str) -> Path | None:
        """The PDF a ``source_pdf`` names (relative to the shared folder), None when it is not one."""
        if not isinstance(source_pdf, str) or not source_pdf.lower().endswith(".pdf"):
            return None
        path = (self.dir / source_pdf).resolve()
        return path if path.is_file() and path.is_relative_to(self.dir.resolve()) else None

    def text(self, path: Path) -> PageText:
        return _page_text_of(str(path.resolve()))

    def name_clashes(self) -> list[str]:
        """File names held by two different PDFs of the wide index (one document name for two papers)."""
        by_name: dict[str, set[str]] = {}
        for pdf in self.pdfs():
            by_name.setdefault(pdf.name, set()).add(_digest(str(pdf.resolve())))
        return sorted(name for name, digests in by_name.items() if len(digests) > 1)

    def everywhere(self, quote: str) -> list[dict]:
        """Every page of every PDF of the wide index where the quote lies, as ``expected`` entries."""
        found: list[dict] = []
        for pdf in self.pdfs():
            for page in self.text(pdf).pages(quote):
                entry = {"document": pdf.name, "page": page}
                if entry not in found:
                    found.append(entry)
        return found


@cache
def _digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


_READ_BY_DIGEST: dict = {}  # content digest -> ingest.pdf_reader.PdfDocument


def read_once(path: Path | str):
    """``read_pdf`` of a PDF, once per content in this process (a byte-identical copy is not read again)."""
    from core.hashing import file_hash

    path = str(Path(path).resolve())
    digest = file_hash(Path(path))  # not _digest's memory: a test rewrites files
    if digest not in _READ_BY_DIGEST:
        from ingest.pdf_reader import read_pdf

        _READ_BY_DIGEST[digest] = read_pdf(path)
    return _READ_BY_DIGEST[digest]


def _pages_by_digest(digest: str, path: str) -> list:
    return _READ_BY_DIGEST[digest].pages if digest in _READ_BY_DIGEST else read_once(path).pages


def read_ahead(paths: list[Path]) -> None:
    """Read the PDFs not read yet on every core, with the ingest's own page-reading pool (the same pages as
    ``read_pdf``, tests/test_scale.py), so that the checks after it find them read. The 57 PDFs of the wide
    index take about 170 s in one process. A file the pool cannot read is left to be read, and its error
    reported, one at a time."""
    from core.errors import IngestError
    from ingest.parallel import ParallelReader
    from ingest.pipeline import count_pages

    workers = os.cpu_count() or 1
    todo: dict[str, Path] = {}
    for path in paths:
        todo.setdefault(_digest(str(path.resolve())), path.resolve())
    todo = {digest: path for digest, path in todo.items() if digest not in _READ_BY_DIGEST}
    if workers < 2 or len(todo) < 2:
        return
    with ParallelReader(workers, range_pages=16, lookahead_pages=10**6) as reader:
        for digest, path in todo.items():
            reader.plan(path, digest, count_pages(path))
        for digest, path in todo.items():
            try:
                _READ_BY_DIGEST[digest] = reader.take(path)
            except IngestError:
                pass


def _read_pages(path: str) -> list:
    """A PDF's pages by ``read_pdf``, read once per content (a byte-identical copy is not read again)."""
    return _pages_by_digest(_digest(path), path)


@cache
def _text_by_digest(digest: str, path: str) -> PageText:
    return PageText(_pages_by_digest(digest, path))


def _page_text_of(path: str) -> PageText:
    return _text_by_digest(_digest(path), path)


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


@dataclass(frozen=True)
class Quote:
    """One quote of a question: its source (a source text, or with ``pdf`` a PDF of the shared folder)."""

    source: str | None
    text: str | None
    pdf: bool = False


def _quote(item: dict) -> Quote:
    if "source_pdf" in item and "source_file" not in item:
        return Quote(item.get("source_pdf"), item.get("source_quote"), pdf=True)
    return Quote(item.get("source_file"), item.get("source_quote"))


def quote_list(question: dict) -> list[Quote]:
    """The quotes of a question: one, several (multi) or none."""
    if question.get("source_quotes"):
        return [_quote(q) for q in question["source_quotes"] if isinstance(q, dict)]
    if question.get("source_file") or question.get("source_pdf") or question.get("source_quote"):
        return [_quote(question)]
    return []


def quotes_of(question: dict) -> list[tuple[str, str]]:
    """(source, source_quote) pairs of a question (the source is a source_file or a source_pdf)."""
    return [(q.source, q.text) for q in quote_list(question)]


def uses_shared(questions: Iterable[dict]) -> bool:
    """Whether a question file is over the shared folder's real papers (it has ``source_pdf`` fields)."""
    return any("source_pdf" in q or any(isinstance(s, dict) and "source_pdf" in s for s in q.get("source_quotes") or [])
               for q in questions)


def locate(question: dict, corpus: Corpus | None = None, shared: Shared | None = None) -> list[dict]:
    """The pages every quote of a question lies on, as ``expected`` entries (document, page): for a
    source_file quote the pages of its PDF, for a source_pdf quote every page of the wide index's PDFs."""
    found = []
    for quote in quote_list(question):
        if not isinstance(quote.text, str):
            continue
        if quote.pdf:
            shared = shared or Shared()
            entries = shared.everywhere(quote.text) if shared.path(quote.source) else []
        else:
            corpus = corpus or Corpus()
            paper = corpus.by_source.get(quote.source)
            if paper is None:
                continue
            entries = [{"document": paper.file, "page": p} for p in locate_quote(quote.text, corpus.pages(paper.file))]
        found.extend(e for e in entries if e not in found)
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
        problems.append(f"{where}: source_quotes must be a list of {{source_file or source_pdf, source_quote}}")
    return problems


def check_question(q: dict, corpus: Corpus, where: str, shared: Shared | None = None) -> list[str]:
    """The problems of one question (fields already valid). ``shared`` is needed for source_pdf quotes."""
    problems = []
    kind, facts = q["kind"], q["answer_facts"]
    quotes = quote_list(q)
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
    elif not ((q.get("source_file") or q.get("source_pdf")) and q.get("source_quote")):
        problems.append(f"{where}: no source_file (or source_pdf)/source_quote")
    if not quotes:
        return problems

    fact_found = dict.fromkeys(facts, False)
    unfound = False  # a quote missing from its source: its facts cannot be placed, so they are not reported
    located: list[dict] = []
    for n, quote in enumerate(quotes, start=1):
        label = f"{where} quote {n}" if len(quotes) > 1 else f"{where} quote"
        source = quote.source
        if not isinstance(quote.text, str):
            problems.append(f"{label}: no quote text")
            unfound = True
            continue
        needle = collapse(quote.text)
        if quote.pdf:
            path = shared.path(source) if shared else None
            if path is None:
                problems.append(f"{label}: source_pdf {source!r} is not a PDF of the shared folder "
                                f"{shared.dir if shared else SHARED}")
                unfound = True
                continue
            transcribed = transcription_of(path)
            if transcribed is not None:
                text = PageText([transcribed])
                haystack, spans, length = text.text, text.spans(quote.text), len(fold(quote.text))
                count = _pdf_page_count(path)
                given = [e for e in expected if e.get("document") == path.name]
                if not given:
                    problems.append(f"{label}: a scan's expected pages are given by hand: none names {path.name}")
                for entry in given:
                    if not 1 <= int(entry["page"]) <= count:
                        problems.append(f"{label}: expected page {entry['page']} of {path.name} (it has {count})")
                located.extend(e for e in given if e not in located)
                transcribed_quote = True
            else:
                text = shared.text(path)
                haystack, spans, length = text.text, text.spans(quote.text), len(fold(quote.text))
                transcribed_quote = False
        else:
            paper = corpus.by_source.get(source)
            if paper is None:
                problems.append(f"{label}: source_file {source!r} is not in papers.toml")
                unfound = True
                continue
            haystack = corpus.text(source)
            spans = [m.start() for m in re.finditer(re.escape(needle), haystack)] if needle else []
            length = len(needle)
        if not QUOTE_MIN <= len(needle) <= QUOTE_MAX:
            problems.append(f"{label}: {len(needle)} characters ({QUOTE_MIN} to {QUOTE_MAX} wanted)")
        if not spans:
            problems.append(f"{label}: not found in {source}: {needle[:80]!r}")
            unfound = True
            continue
        for start in spans:
            window = haystack[max(0, start - FACT_WINDOW):start + length + FACT_WINDOW].lower()
            for fact in facts:
                if collapse(fact).lower() in window or fold(fact).lower() in window:
                    fact_found[fact] = True
        if copies_quote(q["question"], quote.text):
            problems.append(f"{label}: the question copies the quote ({COPY_RUN}+ words in a row)")
        if quote.pdf and transcribed_quote:
            continue
        if quote.pdf:
            quote_pages = shared.everywhere(quote.text)
            located.extend(e for e in quote_pages if e not in located)
            unlisted = [e for e in quote_pages if e not in expected]
            if unlisted:
                problems.append(f"{label}: lies on {_pages_str(unlisted)}, which expected does not list")
            continue
        pages = locate_quote(quote.text, corpus.pages(paper.file))
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


def check(path: Path | str = GOLD, corpus_dir: Path | str = CORPUS, shared_dir: Path | str = SHARED) -> list[str]:
    """Every problem of a gold file, as one line each ([] when it is sound). A file with source_pdf
    questions is checked against the shared folder ``shared_dir``; where that is missing, the one problem
    says so (``main`` skips such a file instead)."""
    try:
        questions = load_gold(path)
    except (OSError, ValueError) as exc:
        return [f"{path}: {exc}"]
    corpus = Corpus(corpus_dir)
    shared = None
    if uses_shared(questions):
        shared = Shared(shared_dir, corpus_dir)
        if not shared.available:
            return [f"{path}: the shared folder {shared.dir} (with {' and '.join(SHARED_FOLDERS)}) is missing"]
    read_ahead([corpus.dir / paper.file for paper in corpus.by_file.values()] + (shared.pdfs() if shared else []))
    problems = []
    if shared:
        problems.extend(f"{name}: the file name of two different PDFs of the wide index (one document name)"
                        for name in shared.name_clashes())
    seen: Counter[str] = Counter(q.get("id") for q in questions if isinstance(q.get("id"), str))
    for dup, count in sorted(seen.items()):
        if count > 1:
            problems.append(f"id {dup} is used {count} times")
    for n, q in enumerate(questions, start=1):
        where = f"{q.get('id') or f'line {n}'}"
        field_problems = _check_fields(q, where)
        problems.extend(field_problems)
        if not field_problems:
            problems.extend(check_question(q, corpus, where, shared))
    return problems


def fill_expected(path: Path | str, corpus_dir: Path | str = CORPUS, shared_dir: Path | str = SHARED) -> list[str]:
    """Set the ``expected`` pages of every answerable question with source_pdf quotes to every page of the
    wide index's PDFs where its quotes lie (the named PDF's pages first), keeping the other fields, their
    order and the line order. Returns one line per question changed."""
    path = Path(path)
    questions = load_gold(path)
    shared = Shared(shared_dir, corpus_dir)
    changed = []
    for q in questions:
        quotes = quote_list(q)
        if q.get("kind") == "unanswerable" or not any(quote.pdf for quote in quotes):
            continue
        own = [{"document": Path(quote.source).name, "page": p} for quote in quotes
               if quote.pdf and isinstance(quote.text, str) and shared.path(quote.source)
               for p in shared.text(shared.path(quote.source)).pages(quote.text)]
        found = locate(q, Corpus(corpus_dir), shared)
        entries = [e for e in own if e in found]
        entries += sorted((e for e in found if e not in entries), key=lambda e: (e["document"], e["page"]))
        if entries and entries != q.get("expected"):
            changed.append(f"{q['id']}: expected {_pages_str(q.get('expected') or [])} -> {_pages_str(entries)}")
            q["expected"] = entries
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions), encoding="utf-8")
    return changed


def _source_label(source: str) -> str:
    return Path(source).stem[:40] if source.lower().endswith(".pdf") else source[:3]


def summary(questions: list[dict]) -> str:
    kinds = Counter(q.get("kind") for q in questions)
    personas = Counter(q.get("persona") for q in questions)
    splits = Counter((q.get("kind"), q.get("split")) for q in questions)
    papers: Counter[str] = Counter()
    for q in questions:
        for source in {s for s, _ in quotes_of(q) if isinstance(s, str)}:
            papers[_source_label(source)] += 1
    lines = [f"{len(questions)} questions"]
    lines.append("  by kind:    " + ", ".join(f"{k} {kinds[k]}" for k in KINDS if kinds[k]))
    lines.append("  by split:   " + ", ".join(
        f"{k} {splits[(k, 'dev')]}/{splits[(k, 'test')]}" for k in KINDS if kinds[k]) + " (dev/test)")
    lines.append("  by persona: " + ", ".join(f"{p} {personas[p]}" for p in PERSONAS if personas[p]))
    lines.append("  by source:  " + ", ".join(f"{s} {c}" for s, c in sorted(papers.items())))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check a gold question set against the corpus (and the shared "
                                                 "folder's real papers for source_pdf questions).")
    parser.add_argument("file", nargs="?", default=str(GOLD),
                        help="gold JSONL file (default: evals/gold.jsonl; the real set is evals/gold_real.jsonl)")
    parser.add_argument("--corpus", default=str(CORPUS), help="corpus folder (papers.toml, source/, PDFs)")
    parser.add_argument("--shared", default=str(SHARED),
                        help=f"the shared folder of real papers ({', '.join(SHARED_FOLDERS)}; default: {SHARED})")
    parser.add_argument("--fill-expected", action="store_true",
                        help="first write into FILE the expected pages of its source_pdf questions: every page of "
                             "the wide index's PDFs where their quotes lie")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        questions = load_gold(args.file)
    except (OSError, ValueError):
        questions = None
    if questions is not None and uses_shared(questions) and not Shared(args.shared, args.corpus).available:
        print(f"NOTE: {args.file} is over the real papers of the shared folder {args.shared}, which is missing "
              f"(no {' or '.join(SHARED_FOLDERS)}): not checked")
        return 0
    if args.fill_expected and questions is not None:
        for line in fill_expected(args.file, args.corpus, args.shared):
            print("FILLED", line)
    problems = check(args.file, args.corpus, args.shared)
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
