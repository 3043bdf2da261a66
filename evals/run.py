"""The evaluation runner: any question file of the gold format through ``Assistant.ask``, scored, with the
naive LangChain baseline measured side by side in the same process on the same corpus.

    python -m evals.run [FILE] [--no-baseline] [--check] [--report evals/REPORT.md]

Metrics, overall and per kind: page hit@1/@3/@5 and MRR (a citation or a retrieved passage on an
expected page: citations first, then the retrieved passages), fact recall (all facts present in the
answer), citation precision (cited pages that hold the answer), refusal accuracy on unanswerable
questions, false refusals on answerable ones, p50/p95 latency; and the failures with what was answered.
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
from evals.check_gold import GOLD, load_gold, locate

THRESHOLDS = Path(__file__).resolve().parent / "thresholds.toml"
METRICS = ("hit@1", "hit@3", "hit@5", "mrr", "fact_recall", "citation_precision", "refusal_accuracy",
           "false_refusals")


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
        row: dict[str, float] = {"questions": len(pairs)}
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
        if unanswerable:
            row["refusal_accuracy"] = sum(o.refused for _, o in unanswerable) / len(unanswerable)
        seconds = sorted(o.seconds for _, o in pairs)
        row["p50_s"] = statistics.median(seconds)
        row["p95_s"] = seconds[min(len(seconds) - 1, int(round(0.95 * (len(seconds) - 1))))]
        table[name] = row
    return table


def expected_pages(questions: list[dict]) -> list[dict]:
    """Fill in each question's expected pages by locating its quotes, where the file does not give them."""
    for question in questions:
        if question["kind"] != "unanswerable" and not question.get("expected"):
            question["expected"] = locate(question)
    return questions


def run_project(assistant, questions: list[dict]) -> list[Outcome]:
    outcomes = []
    for question in questions:
        started = time.perf_counter()
        answer = assistant.ask(question["question"])
        seconds = time.perf_counter() - started
        cited = [(c.document, c.page) for c in answer.citations] if answer.answered else []
        ranks = [(d, p, p) for d, p in cited] + [(r["document"], r["page"], r["page_end"]) for r in answer.retrieved]
        outcomes.append(Outcome(question["id"], question["kind"], question["kind"] != "unanswerable",
                                not answer.answered, ranks, answer.text, cited, seconds))
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
            docs = self.store.similarity_search(question["question"], k=4)
            seconds = time.perf_counter() - started
            ranks = [(d.metadata["source"], d.metadata["page"], d.metadata["page"]) for d in docs]
            outcomes.append(Outcome(question["id"], question["kind"], question["kind"] != "unanswerable", False,
                                    ranks, "\n".join(d.page_content for d in docs),
                                    [(d, p) for d, p, _ in ranks], seconds))
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
            if metric in project[name]:
                other = baseline.get(name, {}).get(metric, "—") if baseline else "—"
                lines.append(f"| {metric} | {_fmt(project[name][metric])} | {_fmt(other)} |")
    return lines


def write_report(path: Path, project: dict, baseline: dict | None, fails: list[str], meta: dict) -> None:
    lines = [
        "# Evaluation report", "",
        f"Date {meta['date']}, commit `{meta['commit']}`, gold file `{meta['gold']}` ({meta['questions']} questions).",
        "The project is `Assistant.ask` (extractive answers, hybrid retrieval); the naive baseline is LangChain's "
        "tutorial pipeline (pdfplumber pages, RecursiveCharacterTextSplitter(1000, 200), Chroma with the same "
        "embedding model, top-4 chunks as the answer), run in the same process on the same corpus.",
        "", "Reproduce: `.venv/bin/python -m evals.run` (writes this file and `evals/report.json`).",
    ]
    lines += metrics_table(project, baseline)
    lines += ["", "## Failures of the project (first 40)", "", "| id | kind | question | why | answered |",
              "| --- | --- | --- | --- | --- |", *fails]
    path.write_text("\n".join(lines) + "\n")


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", default=str(GOLD), help="questions in the gold format")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--check", action="store_true", help="exit 1 if a floor of evals/thresholds.toml is missed")
    parser.add_argument("--report", default=str(Path(__file__).resolve().parent / "REPORT.md"))
    args = parser.parse_args(argv)

    from ingest.pipeline import ingest_paths
    from retrieval.answer import Assistant
    from store.index import PanelIndex

    settings = Settings.load()
    index = PanelIndex(settings.store)
    report = ingest_paths([settings.ingest.corpus_dir], settings.ingest, index, progress=False)  # no-op when current
    if not report.ok:
        print(f"ingest failed: {report.failed}", file=sys.stderr)
        return 2
    assistant = Assistant.open(settings, index)
    questions = expected_pages(load_gold(args.file))
    run_project(assistant, questions[:3])  # warm-up: the latency figures are of a warm assistant
    project_outcomes = run_project(assistant, questions)
    project = score(questions, project_outcomes)
    baseline = None
    if not args.no_baseline:
        with tempfile.TemporaryDirectory() as tmp:
            pdfs = sorted(Path(settings.ingest.corpus_dir).glob("*.pdf"))
            naive = NaiveBaseline(pdfs, index.embeddings, Path(tmp))
            baseline = score(questions, naive.run(questions))
    fails = failures(questions, project_outcomes)
    meta = {"date": date.today().isoformat(), "commit": _commit(), "gold": Path(args.file).name,
            "questions": len(questions)}
    write_report(Path(args.report), project, baseline, fails, meta)
    Path(args.report).with_name("report.json").write_text(
        json.dumps({"meta": meta, "project": project, "baseline": baseline}, indent=2))
    print("\n".join(metrics_table(project, baseline)))
    print(f"\n{len(fails)} failures listed in {args.report}")
    if args.check:
        missed = check_floors(project)
        for line in missed:
            print(f"FLOOR: {line}", file=sys.stderr)
        return 1 if missed else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
