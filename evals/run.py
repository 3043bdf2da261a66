"""The evaluation runner: question files of the gold format through ``Assistant.ask``, scored, with the
naive LangChain baseline measured side by side in the same process on the same papers.

    python -m evals.run [FILE] [--split dev|test|all] [--no-baseline] [--check] [--sets sample,sample-wide,...]
                        [--shared DIR] [--wide-index DIR] [--report evals/REPORT.md] [--json PATH]

Without FILE it runs both question sets:

* the sample set, evals/gold.jsonl, on the index of the sample corpus (the settings' ``corpus_dir`` in the
  settings' ``index_dir``, as the app uses it);
* the real set, evals/gold_real.jsonl (real Kent papers, ``source_pdf`` questions), on the wide index: every
  PDF of corpus/ and of the shared folder's real-papers/ and real-archive/ (``--shared``, default
  ``../shared``), in an index of its own (``--wide-index``, default ``.panel-index-wide`` in the repository;
  the first ingest takes minutes, later runs skip unchanged papers). Its unanswerable questions are asked
  of the wide index too. Where the shared folder is missing, the real set is left out with a note;
* the scanned set, evals/gold_scanned.jsonl, on an index of the shared folder's scanned-papers/ (read by
  OCR; ``.panel-index-scanned``), where both exist;
* the sample set again on the wide index (no baseline): the report's "alone and among the archive" table
  gives, per split, how much hit@5 and fact recall fall when every other committee's papers share the
  index (issue 13 allows 0.03). The real set is also scored per source folder (real-archive/, real-papers/).

With FILE it runs that file alone: on the wide index when the file has ``source_pdf`` questions, else on
the sample corpus's. The baseline of a set is built over the same PDFs as its index.

Metrics, overall and per kind: page hit@1/@3/@5 and MRR (a citation or a retrieved passage on an
expected page: citations first, then the retrieved passages), fact recall (all facts present in the
answer), citation precision (cited pages that hold the answer), refusal accuracy on unanswerable
questions, false refusals on answerable ones, candidate recall (all facts present in the passages
retrieved, before any answer is composed: the project's top 5 candidates, header and text, as
``candidate_recall@5``; the baseline's top-4 chunks as ``candidate_recall@4``), p50/p95 latency; and
the failures with what was answered.

Every metric is also given for the ``dev`` split (what thresholds and rules are tuned on) and the
``test`` split (never tuned on) side by side, project and baseline (see evals/check_gold.py for the
split), for each set and for both sets together. ``--split`` runs one split only; the floors of
``--check`` (evals/thresholds.toml) are for the whole sample set, gold.jsonl: it needs ``--split all``
and is checked on the sample set only (a FILE with ``source_pdf`` questions cannot be checked). The JSON
goes to ``--json`` (default: ``report.json`` beside the ``--report`` file): the first set's figures at the
top level (as before), every set under ``sets`` and both together under ``combined``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from core.settings import REPO_ROOT, Settings
from evals.check_gold import GOLD, GOLD_REAL, SHARED, SHARED_FOLDERS, SPLITS, Shared, load_gold, locate, uses_shared
from evals.split import select

THRESHOLDS = Path(__file__).resolve().parent / "thresholds.toml"
CALIBRATION = Path(__file__).resolve().parent / "CALIBRATION.md"  # written by python -m evals.calibrate --write
WIDE_INDEX = REPO_ROOT / ".panel-index-wide"  # the index of corpus/ + the shared real papers
# The scanned ordinances (shared/scanned-papers/, read by OCR) and their questions, in an index of their own.
GOLD_SCANNED = Path(__file__).resolve().parent / "gold_scanned.jsonl"
SCANNED_FOLDER = "scanned-papers"
SCANNED_INDEX = REPO_ROOT / ".panel-index-scanned"
PROJECT_K, BASELINE_K = 5, 4  # candidates whose texts candidate recall reads
METRICS = ("hit@1", "hit@3", "hit@5", "mrr", "fact_recall", f"candidate_recall@{PROJECT_K}",
           f"candidate_recall@{BASELINE_K}", "citation_precision", "refusal_accuracy", "false_refusals")


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass
class Outcome:
    """One question's result for one system."""

    id: str
    kind: str
    answerable: bool
    refused: bool
    ranks: list[tuple[str, int, int]]  # (document, first page, last page), best first
    text: str
    cited_pages: list[tuple[str, int]] = field(default_factory=list)
    seconds: float = 0.0
    # whether every answer fact lies in the top ``candidates_k`` retrieved texts (None: not measured)
    candidates_hold_facts: bool | None = None
    candidates_k: int = 0


def holds_facts(facts: list[str], texts: list[str]) -> bool:
    """Every fact occurs (case-insensitive, whitespace collapsed) in one of the texts."""
    normed = [_norm(t) for t in texts]
    return all(any(_norm(f) in t for t in normed) for f in facts)


def first_hit(expected: list[dict], ranks: list[tuple[str, int, int]]) -> int | None:
    wanted = {(e["document"], int(e["page"])) for e in expected}
    for position, (document, first, last) in enumerate(ranks, start=1):
        if any((document, page) in wanted for page in range(first, last + 1)):
            return position
    return None


def score(questions: list[dict], outcomes: list[Outcome]) -> dict[str, dict[str, float]]:
    """Metrics overall and per kind."""
    groups: dict[str, list[tuple[dict, Outcome]]] = defaultdict(list)
    for question, outcome in zip(questions, outcomes, strict=True):
        groups["overall"].append((question, outcome))
        groups[question["kind"]].append((question, outcome))
    table: dict[str, dict[str, float]] = {}
    for name, pairs in groups.items():
        answerable = [(q, o) for q, o in pairs if o.answerable]
        unanswerable = [(q, o) for q, o in pairs if not o.answerable]
        row: dict[str, float] = {"questions": len(pairs), "answerable": len(answerable)}
        if answerable:
            hits = [first_hit(q["expected"], o.ranks) for q, o in answerable]
            for k in (1, 3, 5):
                row[f"hit@{k}"] = sum(1 for h in hits if h and h <= k) / len(hits)
            row["mrr"] = sum(1 / h for h in hits if h) / len(hits)
            row["fact_recall"] = sum(all(_norm(f) in _norm(o.text) for f in q["answer_facts"])
                                     for q, o in answerable) / len(answerable)
            cited = [(q, page) for q, o in answerable for page in o.cited_pages]
            if cited:
                wanted = {(q["id"], e["document"], int(e["page"])) for q, _ in answerable for e in q["expected"]}
                row["citation_precision"] = sum((q["id"], *page) in wanted for q, page in cited) / len(cited)
            row["false_refusals"] = sum(o.refused for _, o in answerable) / len(answerable)
            measured: dict[int, list[bool]] = defaultdict(list)
            for _, o in answerable:
                if o.candidates_hold_facts is not None:
                    measured[o.candidates_k].append(o.candidates_hold_facts)
            for k, held in measured.items():
                row[f"candidate_recall@{k}"] = sum(held) / len(held)
        if unanswerable:
            row["refusal_accuracy"] = sum(o.refused for _, o in unanswerable) / len(unanswerable)
        seconds = sorted(o.seconds for _, o in pairs)
        row["p50_s"] = statistics.median(seconds)
        row["p95_s"] = seconds[min(len(seconds) - 1, int(round(0.95 * (len(seconds) - 1))))]
        table[name] = row
    return table


def score_splits(questions: list[dict], outcomes: list[Outcome]) -> dict[str, dict[str, dict[str, float]]]:
    """``score`` for each split present (dev, test) and for all the questions (``overall``)."""
    result = {}
    for name in SPLITS:
        pairs = [(q, o) for q, o in zip(questions, outcomes, strict=True) if q.get("split") == name]
        if pairs:
            result[name] = score([q for q, _ in pairs], [o for _, o in pairs])
    result["overall"] = score(questions, outcomes)
    return result


def expected_pages(questions: list[dict], shared: Shared | None = None) -> list[dict]:
    """Fill in each question's expected pages by locating its quotes, where the file does not give them
    (``shared``: where source_pdf quotes are looked for)."""
    for question in questions:
        if question["kind"] != "unanswerable" and not question.get("expected"):
            question["expected"] = locate(question, shared=shared)
    return questions


def run_project(assistant, questions: list[dict], candidates_k: int = PROJECT_K) -> list[Outcome]:
    """``Assistant.ask`` on every question (timed), and, when ``candidates_k`` > 0, a separate untimed
    ``Assistant.retrieve(question, k=candidates_k)`` for the candidate recall of answerable questions."""
    outcomes = []
    for question in questions:
        started = time.perf_counter()
        answer = assistant.ask(question["question"])
        seconds = time.perf_counter() - started
        cited = [(c.document, c.page) for c in answer.citations] if answer.answered else []
        ranks = [(d, p, p) for d, p in cited] + [(r["document"], r["page"], r["page_end"]) for r in answer.retrieved]
        answerable = question["kind"] != "unanswerable"
        holds = None
        if answerable and candidates_k > 0:
            _, candidates = assistant.retrieve(question["question"], k=candidates_k)
            holds = holds_facts(question["answer_facts"],
                                [f"{c.chunk.header}\n{c.text}" for c in candidates[:candidates_k]])
        outcomes.append(Outcome(question["id"], question["kind"], answerable, not answer.answered, ranks,
                                answer.text, cited, seconds, holds, candidates_k if holds is not None else 0))
    return outcomes


class NaiveBaseline:
    """What a user would build from LangChain's tutorial: pdfplumber page texts,
    RecursiveCharacterTextSplitter(1000, 200), Chroma with the same embedding model, similarity top-4,
    and the "answer" is the top chunks themselves."""

    def __init__(self, pdfs: list[Path], embeddings, workdir: Path):
        import pdfplumber
        from langchain_chroma import Chroma
        from langchain_core.documents import Document
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        pages = []
        for pdf_path in pdfs:
            with pdfplumber.open(pdf_path) as pdf:
                for number, page in enumerate(pdf.pages, start=1):
                    pages.append(Document(page_content=page.extract_text() or "",
                                          metadata={"source": pdf_path.name, "page": number}))
        splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(pages)
        self.chunks = len(splits)
        self.store = Chroma(collection_name="baseline", embedding_function=embeddings,
                            persist_directory=str(workdir), collection_configuration={"hnsw": {"space": "cosine"}})
        self.store.add_documents(splits)

    def run(self, questions: list[dict]) -> list[Outcome]:
        outcomes = []
        for question in questions:
            started = time.perf_counter()
            docs = self.store.similarity_search(question["question"], k=BASELINE_K)
            seconds = time.perf_counter() - started
            ranks = [(d.metadata["source"], d.metadata["page"], d.metadata["page"]) for d in docs]
            answerable = question["kind"] != "unanswerable"
            holds = holds_facts(question["answer_facts"], [d.page_content for d in docs]) if answerable else None
            outcomes.append(Outcome(question["id"], question["kind"], answerable, False,
                                    ranks, "\n".join(d.page_content for d in docs),
                                    [(d, p) for d, p, _ in ranks], seconds, holds, BASELINE_K if answerable else 0))
        return outcomes


def failures(questions: list[dict], outcomes: list[Outcome], limit: int = 40) -> list[str]:
    lines = []
    for question, outcome in zip(questions, outcomes, strict=True):
        if outcome.answerable:
            missing = [f for f in question["answer_facts"] if _norm(f) not in _norm(outcome.text)]
            hit = first_hit(question["expected"], outcome.ranks)
            if not missing and hit and hit <= 5 and not outcome.refused:
                continue
            why = "refused" if outcome.refused else (f"missing {missing}" if missing else "page not in top 5")
        else:
            if outcome.refused:
                continue
            why = "answered an unanswerable question"
        snippet = " ".join(outcome.text.split())[:160].replace("|", "/")
        lines.append(f"| {question['id']} | {question['kind']} | {question['question'][:70]} | {why} | {snippet} |")
    return lines[:limit]


def _fmt(value) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def metrics_table(project: dict, baseline: dict | None) -> list[str]:
    kinds = [k for k in ("overall", "resolution", "figure", "duty", "fact", "multi", "unanswerable") if k in project]
    lines = []
    for name in kinds:
        lines.append(f"\n### {name} ({int(project[name]['questions'])} questions)\n")
        lines.append("| metric | project | naive baseline |")
        lines.append("| --- | --- | --- |")
        for metric in (*METRICS, "p50_s", "p95_s"):
            other = baseline.get(name, {}).get(metric, "—") if baseline else "—"
            if metric in project[name] or other != "—":
                lines.append(f"| {metric} | {_fmt(project[name].get(metric, '—'))} | {_fmt(other)} |")
    return lines


def split_table(project: dict, baseline: dict | None) -> list[str]:
    """Every metric (on all kinds together) for dev and test side by side, project and baseline."""
    names = [n for n in (*SPLITS, "overall") if n in project]
    if names == ["overall"]:
        return ["", "(no question of this file carries a dev/test split)"]
    systems = [("project", project)] + ([("baseline", baseline)] if baseline else [])
    header = [f"{system} {name}" for system, _ in systems for name in names]
    lines = ["", "| metric | " + " | ".join(header) + " |", "| --- |" + " --- |" * len(header)]
    lines.append("| questions | " + " | ".join(str(int(table[n]["overall"]["questions"]))
                                             for _, table in systems for n in names) + " |")
    for metric in (*METRICS, "p50_s", "p95_s"):
        cells = [table[n]["overall"].get(metric, "—") for _, table in systems for n in names]
        if any(c != "—" for c in cells):
            lines.append(f"| {metric} | " + " | ".join(_fmt(c) for c in cells) + " |")
    return lines


def candidate_table(project: dict, baseline: dict | None) -> list[str]:
    """Candidate recall per kind, dev and test (and overall): the project's top 5, the baseline's top 4."""
    return kind_table(project, baseline, f"candidate_recall@{PROJECT_K}", f"candidate_recall@{BASELINE_K}",
                      f" @{PROJECT_K}", f" @{BASELINE_K}")


def kind_table(project: dict, baseline: dict | None, metric: str, baseline_metric: str | None = None,
               project_label: str = "", baseline_label: str = "") -> list[str]:
    """One metric per kind of answerable question, dev and test (and overall), project and baseline side by side,
    each with its count (held/answerable)."""
    names = [n for n in (*SPLITS, "overall") if n in project]
    columns = [(f"project{project_label} {n}", project[n], metric) for n in names]
    if baseline:
        columns += [(f"baseline{baseline_label} {n}", baseline[n], baseline_metric or metric) for n in names]
    lines = ["", "| kind | " + " | ".join(c[0] for c in columns) + " |", "| --- |" + " --- |" * len(columns)]
    for kind in ("overall", "resolution", "figure", "duty", "fact", "multi"):
        cells = []
        for _, table, name in columns:
            row = table.get(kind, {})
            value, n = row.get(name), int(row.get("answerable", 0))
            cells.append("—" if value is None else f"{value:.3f} ({round(value * n)}/{n})")
        if any(c != "—" for c in cells):
            lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return lines


@dataclass
class SetResult:
    """One question set run: its questions, the project's outcomes and both systems' scores by split."""

    name: str  # "sample" or "real"
    file: str  # the question file's name
    index: str  # what the questions were asked of, in words
    questions: list[dict]
    outcomes: list[Outcome]
    project_splits: dict
    baseline_splits: dict | None = None
    baseline_outcomes: list[Outcome] | None = None

    @property
    def project(self) -> dict:
        return self.project_splits["overall"]

    @property
    def baseline(self) -> dict | None:
        return self.baseline_splits["overall"] if self.baseline_splits else None

    def fails(self) -> list[str]:
        return failures(self.questions, self.outcomes)

    def as_json(self) -> dict:
        return {"file": self.file, "index": self.index, "questions": len(self.questions), "project": self.project,
                "baseline": self.baseline,
                "splits": {"project": self.project_splits, "baseline": self.baseline_splits}}


AMONG_ARCHIVE = "sample-wide"
SET_TITLES = {"sample": "Sample set", "real": "Real set",
              AMONG_ARCHIVE: "Sample set among the archive", "scanned": "Scanned set"}
ARCHIVE_DROP_LIMIT = 0.03  # issue 13: hit@5 and fact recall of the sample questions may fall this much at most
DROP_METRICS = ("hit@5", "fact_recall")
SUBSET_FOLDERS = ("real-archive", "real-papers")  # the real set's questions by the folder of their source


def source_folder(question: dict) -> str:
    """The shared folder a real question's first source lies in ("" for a sample or unanswerable one)."""
    source = question.get("source_pdf") or next(
        (q.get("source_pdf") for q in question.get("source_quotes") or [] if q.get("source_pdf")), "")
    return source.split("/", 1)[0] if "/" in source else ""


def subset_splits(result: SetResult, folder: str) -> dict | None:
    """``score_splits`` of the answerable questions of ``result`` whose source lies in ``folder``."""
    pairs = [(q, o) for q, o in zip(result.questions, result.outcomes, strict=True) if source_folder(q) == folder]
    return score_splits([q for q, _ in pairs], [o for _, o in pairs]) if pairs else None


def archive_drop(results: list[SetResult]) -> dict | None:
    """Per split, the sample set's hit@5 and fact recall on its own index and among the archive, and the
    drop between them (None when the sample set was not also run among the archive)."""
    alone = next((r for r in results if r.name == "sample"), None)
    among = next((r for r in results if r.name == AMONG_ARCHIVE), None)
    if alone is None or among is None:
        return None
    table = {}
    for split in (*SPLITS, "overall"):
        if split in alone.project_splits and split in among.project_splits:
            a, b = alone.project_splits[split]["overall"], among.project_splits[split]["overall"]
            table[split] = {m: {"alone": a.get(m), "among": b.get(m),
                                "drop": round((a.get(m) or 0) - (b.get(m) or 0), 4)} for m in DROP_METRICS}
    return table


def drop_lines(drop: dict) -> list[str]:
    """The archive-drop table: per split and metric, alone, among the archive, drop, within the limit."""
    lines = ["", "| split | metric | sample index alone | among the archive | drop | within "
             f"{ARCHIVE_DROP_LIMIT} |", "| --- | --- | --- | --- | --- | --- |"]
    for split, metrics in drop.items():
        for metric, row in metrics.items():
            lines.append(f"| {split} | {metric} | {_fmt(row['alone'])} | {_fmt(row['among'])} | {row['drop']:+.3f} | "
                         f"{'yes' if row['drop'] <= ARCHIVE_DROP_LIMIT else 'NO'} |")
    return lines


def combined(results: list[SetResult]) -> tuple[dict, dict | None]:
    """``score_splits`` over the questions of every set together, project and (when every set has it)
    baseline."""
    results = [r for r in results if r.name != AMONG_ARCHIVE]  # its questions are the sample set's again
    questions = [q for r in results for q in r.questions]
    project = score_splits(questions, [o for r in results for o in r.outcomes])
    baseline = None
    if all(r.baseline_outcomes for r in results):
        baseline = score_splits(questions, [o for r in results for o in r.baseline_outcomes])
    return project, baseline


def set_sections(result: SetResult, prefix: str = "") -> list[str]:
    """A set's part of the report: dev/test table, candidate recall per kind, per-kind tables, failures.
    ``prefix`` names the set in the headings when the report holds several."""
    lines = ["", f"## {prefix}Dev and test splits", ""]
    if prefix:
        lines += [f"`{result.file}`, {len(result.questions)} questions, asked of {result.index}.", ""]
    lines += ["`dev` questions may be tuned on (`evals.calibrate` reads only them); `test` questions never are. "
              "The split is fixed by a rule, stratified by batch and kind (evals/check_gold.py)."]
    lines += split_table(result.project_splits, result.baseline_splits)
    lines += ["", f"### {prefix}Candidate recall per kind", "",
              f"All of a question's answer facts within the retrieved texts, before an answer is composed: the "
              f"project's top {PROJECT_K} candidates (`Assistant.retrieve`, header and text), the baseline's "
              f"top {BASELINE_K} chunks; answerable questions only (held/answerable)."]
    lines += candidate_table(result.project_splits, result.baseline_splits)
    lines += ["", f"### {prefix}Page hit@5 per kind", "",
              "An expected page among the first five cited or retrieved pages, per kind, dev and test (issue 11 asks "
              "the project to beat the baseline on every kind)."]
    lines += kind_table(result.project_splits, result.baseline_splits, "hit@5")
    for folder in SUBSET_FOLDERS:
        subset = subset_splits(result, folder)
        if subset and result.name != AMONG_ARCHIVE:
            lines += ["", f"### {prefix}Questions on {folder}/ only", ""]
            lines += split_table(subset, None)
    lines += ["", f"## {prefix}All questions of the run, per kind"]
    lines += metrics_table(result.project, result.baseline)
    lines += ["", f"## {prefix}Failures of the project (first 40)", "", "| id | kind | question | why | answered |",
              "| --- | --- | --- | --- | --- |", *result.fails()]
    return lines


def write_report(path: Path, results: list[SetResult], meta: dict) -> None:
    """The Markdown report of one set or several: each set's sections (today's layout), then, with
    several sets, one dev/test table over them all."""
    split = meta.get("split", "all")
    only = f", the {split} split only" if split != "all" else ""
    if len(results) == 1:
        result = results[0]
        opening = [f"Date {meta['date']}, commit `{meta['commit']}`, gold file `{result.file}` "
                   f"({len(result.questions)} questions{only}), asked of {result.index}."]
    else:
        sets = "; ".join(f"`{r.file}` ({len(r.questions)} questions, asked of {r.index})" for r in results)
        opening = [f"Date {meta['date']}, commit `{meta['commit']}`{only}; question sets: {sets}."]
    lines = ["# Evaluation report", "", *opening,
             "The project is `Assistant.ask` (extractive answers, hybrid retrieval); the naive baseline is LangChain's "
             "tutorial pipeline (pdfplumber pages, RecursiveCharacterTextSplitter(1000, 200), Chroma with the same "
             "embedding model, top-4 chunks as the answer), run in the same process on the same PDFs as the "
             "project's index.",
             "", "Reproduce: `.venv/bin/python -m evals.run` (writes this file and `report.json` beside it; the real "
             "set needs the shared folder of real papers, `../shared`)."]
    for result in results:
        lines += set_sections(result, f"{SET_TITLES.get(result.name, result.name)}: " if len(results) > 1 else "")
    drop = archive_drop(results)
    if drop:
        lines += ["", "## The sample set alone and among the archive", "",
                  "The sample questions asked of the sample corpus's index and of the wide index (the corpus with "
                  "every other committee's papers of the shared folder): what the archive costs the panel's own "
                  f"answers. Issue 13 allows a drop of at most {ARCHIVE_DROP_LIMIT}."]
        lines += drop_lines(drop)
    if len(results) > 1:
        project, baseline = combined(results)
        kept = [r for r in results if r.name != AMONG_ARCHIVE]
        lines += ["", "## Both sets together: dev and test", "",
                  "Every question of " + " and ".join(f"`{r.file}`" for r in kept) + ", each asked of its own "
                  "index (the sample set of the sample corpus's, the real set of the wide one)."]
        lines += split_table(project, baseline)
    lines += calibration_section()
    path.write_text("\n".join(lines) + "\n")


def calibration_section(curve: Path = CALIBRATION) -> list[str]:
    """The refusal model's precision/recall curve, as ``evals.calibrate --write`` last wrote it (dev only)."""
    if not curve.is_file():
        return []
    body = curve.read_text().split("\n", 1)[1].strip()  # its own title gives way to this report's heading
    return ["", "## Refusal: the calibration curve (dev split, out of fold)", "", body]


def check_floors(project: dict, thresholds: Path = THRESHOLDS) -> list[str]:
    floors = tomllib.loads(thresholds.read_text()).get("floors", {})
    overall = project["overall"]
    return [f"{name} {overall.get(name, 0):.3f} is below its floor {floor}"
            for name, floor in floors.items() if overall.get(name, 0) < floor]


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=REPO_ROOT, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


@dataclass
class SetPlan:
    """A question set to run: its questions (of the split asked for) and whether the wide index serves it."""

    name: str
    path: Path
    questions: list[dict]
    wide: bool
    baseline: bool = True  # the baseline of the sample set among the archive adds nothing the sample set lacks
    folder: str | None = None  # a shared folder asked in an index of its own (the scanned papers)


def plan_sets(file: str | None, split: str, shared: Shared) -> tuple[list[SetPlan], list[str]]:
    """The sets to run, and notes on what is left out. Without a file: the sample set, and the real set
    where the shared folder is. With a file: that file, on the wide index when it has source_pdf questions.
    ValueError when a file cannot be run (unsplit questions, none in the split, the shared folder missing)."""
    notes: list[str] = []
    if file is None:
        files = [("sample", GOLD)]
        if shared.available:
            files.append(("real", GOLD_REAL))
        else:
            notes.append(f"the real set ({GOLD_REAL.name}) is not run: the shared folder {shared.dir} "
                         f"(with {' and '.join(SHARED_FOLDERS)}) is missing")
    else:
        files = [("", Path(file))]
    plans = []
    for name, path in files:
        questions = load_gold(path)
        wide = uses_shared(questions)
        if wide and not shared.available:
            raise ValueError(f"{path} has source_pdf questions (real papers) but the shared folder {shared.dir} "
                             f"(with {' and '.join(SHARED_FOLDERS)}) is missing")
        chosen = select(questions, split)
        if not chosen:
            raise ValueError(f"no question in {path} for --split {split}")
        plans.append(SetPlan(name or ("real" if wide else "sample"), path, chosen, wide))
    if file is None and shared.available:
        # The sample set again, asked of the wide index: what a whole archive of other committees' papers
        # costs the panel's own answers (ARCHIVE_DROP_LIMIT says how much it may).
        plans.append(SetPlan(AMONG_ARCHIVE, GOLD, select(load_gold(GOLD), split), True, baseline=False))
    if file is None and GOLD_SCANNED.is_file():
        if (shared.dir / SCANNED_FOLDER).is_dir():
            # The baseline reads text layers only: of an image-only scan it reads nothing.
            plans.append(SetPlan("scanned", GOLD_SCANNED, select(load_gold(GOLD_SCANNED), split), False,
                                 baseline=False, folder=SCANNED_FOLDER))
        else:
            notes.append(f"the scanned set ({GOLD_SCANNED.name}) is not run: {shared.dir / SCANNED_FOLDER} is missing")
    return plans, notes


def _open_index(settings: Settings, paths: list[Path], progress: bool):
    """The index of ``settings``, brought up to date with the PDFs of ``paths`` (unchanged papers are skipped)."""
    from ingest.pipeline import ingest_paths
    from store.index import PanelIndex

    index = PanelIndex(settings.store)
    report = ingest_paths(paths, settings.ingest, index, progress=progress)
    if progress:
        print(f"{settings.store.location}: {report.summary()}", file=sys.stderr)
    if not report.ok:
        raise RuntimeError(f"ingest into {settings.store.location} failed: {report.failed}")
    return index


def run_set(plan: SetPlan, settings: Settings, shared: Shared, wide_index: Path, baseline: bool) -> SetResult:
    """One set through the project (on its index) and, unless ``baseline`` is false, the naive baseline
    (over the same PDFs)."""
    from retrieval.answer import Assistant

    corpus_dir = Path(settings.ingest.corpus_dir)
    if plan.folder:
        settings = settings.override(index_dir=SCANNED_INDEX)
        folder = shared.dir / plan.folder
        pdfs = sorted(folder.glob("*.pdf"))
        where = f"an index of {shared.dir.name}/{plan.folder} ({len(pdfs)} PDFs, read by OCR)"
        index = _open_index(settings, [folder], progress=True)
        wide = None
    elif plan.wide:
        settings = settings.override(index_dir=wide_index)
        wide = Shared(shared.dir, corpus_dir)
        folders, pdfs = wide.folders(), wide.pdfs()
        where = (f"the wide index ({len(pdfs)} PDFs: corpus/, "
                 + ", ".join(f"{shared.dir.name}/{f}" for f in SHARED_FOLDERS) + ")")
        index = _open_index(settings, folders, progress=True)
    else:
        wide = None
        pdfs = sorted(corpus_dir.glob("*.pdf"))
        where = f"the sample corpus's index ({len(pdfs)} PDFs of {corpus_dir.name}/)"
        index = _open_index(settings, [corpus_dir], progress=False)  # no-op when current
    assistant = Assistant.open(settings, index)
    questions = expected_pages(plan.questions, wide)
    run_project(assistant, questions[:3], candidates_k=0)  # warm-up: the latency figures are of a warm assistant
    outcomes = run_project(assistant, questions)
    result = SetResult(plan.name, plan.path.name, where, questions, outcomes, score_splits(questions, outcomes))
    if baseline:
        with tempfile.TemporaryDirectory() as tmp:
            naive = NaiveBaseline(pdfs, index.embeddings, Path(tmp))
            result.baseline_outcomes = naive.run(questions)
            result.baseline_splits = score_splits(questions, result.baseline_outcomes)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", default=None,
                        help="questions in the gold format (default: evals/gold.jsonl and evals/gold_real.jsonl)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a floor of evals/thresholds.toml is missed (on the sample set, gold.jsonl)")
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all",
                        help="run the dev or the test questions only (default: all, reported per split too)")
    parser.add_argument("--shared", default=str(SHARED),
                        help=f"the shared folder of real papers ({', '.join(SHARED_FOLDERS)}; default: {SHARED})")
    parser.add_argument("--wide-index", default=str(WIDE_INDEX),
                        help=f"the index of corpus/ and the shared real papers (default: {WIDE_INDEX})")
    parser.add_argument("--sets", default="",
                        help="without FILE: run only these sets, comma-separated (sample, real, sample-wide, scanned)")
    parser.add_argument("--report", default=str(Path(__file__).resolve().parent / "REPORT.md"))
    parser.add_argument("--json", default=None, help="where the JSON goes (default: report.json beside --report)")
    args = parser.parse_args(argv)
    if args.check and args.split != "all":
        parser.error("the floors of evals/thresholds.toml are for the whole set: --check needs --split all")
    settings = Settings.load()
    shared = Shared(args.shared, settings.ingest.corpus_dir)
    try:
        plans, notes = plan_sets(args.file, args.split, shared)
    except (OSError, ValueError) as exc:
        parser.error(str(exc))
    if args.sets:
        wanted = {name.strip() for name in args.sets.split(",") if name.strip()}
        unknown = wanted - {plan.name for plan in plans}
        if unknown:
            names = ", ".join(p.name for p in plans)
            parser.error(f"--sets: no set {', '.join(sorted(unknown))} in this run ({names})")
        plans = [plan for plan in plans if plan.name in wanted]
    if args.check and all(plan.wide for plan in plans):
        parser.error(f"--check is for the sample set (the floors are of {GOLD.name}); {args.file} is over real papers")
    for note in notes:
        print(f"NOTE: {note}", file=sys.stderr)

    results = []
    for plan in plans:
        try:
            results.append(run_set(plan, settings, shared, Path(args.wide_index),
                                   plan.baseline and not args.no_baseline))
        except RuntimeError as exc:
            print(str(exc), file=sys.stderr)
            return 2
    meta = {"date": date.today().isoformat(), "commit": _commit(), "gold": results[0].file,
            "questions": len(results[0].questions), "split": args.split,
            "sets": [{"name": r.name, "gold": r.file, "questions": len(r.questions), "index": r.index}
                     for r in results]}
    write_report(Path(args.report), results, meta)
    json_path = Path(args.json) if args.json else Path(args.report).with_name("report.json")
    first = results[0]
    data = {"meta": meta, "project": first.project, "baseline": first.baseline,
            "splits": {"project": first.project_splits, "baseline": first.baseline_splits},
            "sets": {r.name: r.as_json() for r in results}}
    if len(results) > 1:
        project, baseline = combined(results)
        data["combined"] = {"project": project, "baseline": baseline}
    drop = archive_drop(results)
    if drop:
        data["archive_drop"] = drop
    for result in results:
        subsets = {f: subset_splits(result, f) for f in SUBSET_FOLDERS}
        if any(subsets.values()) and result.name != AMONG_ARCHIVE:
            data["sets"][result.name]["subsets"] = {f: v for f, v in subsets.items() if v}
    json_path.write_text(json.dumps(data, indent=2))

    for result in results:
        if len(results) > 1:
            print(f"\n== {SET_TITLES.get(result.name, result.name)}: {result.file}, {len(result.questions)} "
                  f"questions, asked of {result.index} ==")
        print("\n".join(split_table(result.project_splits, result.baseline_splits)))
        print("\n".join(candidate_table(result.project_splits, result.baseline_splits)))
        print("\n".join(kind_table(result.project_splits, result.baseline_splits, "hit@5")))
        print("\n".join(metrics_table(result.project, result.baseline)))
        for folder in SUBSET_FOLDERS:
            subset = subset_splits(result, folder)
            if subset and result.name != AMONG_ARCHIVE:
                print(f"-- questions on {folder}/ only --")
                print("\n".join(split_table(subset, None)))
    if drop:
        print("\n== The sample set alone and among the archive ==")
        print("\n".join(drop_lines(drop)))
    if len(results) > 1:
        kept = [r for r in results if r.name != AMONG_ARCHIVE]
        print(f"\n== Both sets together ({sum(len(r.questions) for r in kept)} questions) ==")
        print("\n".join(split_table(*combined(results))))
    print(f"\n{sum(len(r.fails()) for r in results)} failures listed in {args.report}; JSON in {json_path}")
    if args.check:
        sample = next(r for r, plan in zip(results, plans, strict=True) if not plan.wide)
        missed = check_floors(sample.project)
        for line in missed:
            print(f"FLOOR: {line}", file=sys.stderr)
        return 1 if missed else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
