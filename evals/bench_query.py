"""Query benchmark: p50/p95 of retrieval alone and of ``ask`` end to end, warm, over the gold questions.

    python -m evals.bench_query [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time

from core.settings import Settings
from evals.check_gold import load_gold
from retrieval.answer import Assistant
from store.index import PanelIndex


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    settings = Settings.load()
    started = time.perf_counter()
    assistant = Assistant.open(settings, PanelIndex(settings.store))
    assistant.ask("warm up the model")
    open_seconds = time.perf_counter() - started
    questions = [q["question"] for q in load_gold()] * args.repeat
    retrieval, end_to_end = [], []
    for question in questions:
        t0 = time.perf_counter()
        assistant.retrieve(question)
        t1 = time.perf_counter()
        assistant.ask(question)
        end_to_end.append(time.perf_counter() - t1)
        retrieval.append(t1 - t0)
    figures = {"questions": len(questions), "chunks": len(assistant.searcher.ids),
               "open_and_first_answer_s": round(open_seconds, 2)}
    for name, values in (("retrieval", retrieval), ("ask", end_to_end)):
        p50, p95 = percentiles(values)
        figures[f"{name}_p50_ms"] = round(p50 * 1000, 1)
        figures[f"{name}_p95_ms"] = round(p95 * 1000, 1)
    for key, value in figures.items():
        print(f"{key:<26} {value}")
    return figures


if __name__ == "__main__":
    main()
