"""Calibrate the refusal thresholds of the extractive answer on the DEV split of a question file (default:
the gold set). The test split is never read for tuning: ``tuning_questions`` keeps only ``split == "dev"``
questions and refuses a file whose questions carry no split (see evals/check_gold.py for the rule).

Retrieval runs once per question; the composer is then re-run on the same candidates for every pair
of thresholds on a grid. The pair kept maximises balanced accuracy (refusing the unanswerable and
answering the answerable), ties broken by fact recall. The thresholds are global settings
(``min_coverage``, ``min_dense``), never per question.

    python -m evals.calibrate [FILE]
"""

from __future__ import annotations

import argparse
import itertools

from core.settings import Settings
from evals.check_gold import GOLD, load_gold
from evals.split import select
from retrieval.answer import Assistant
from store.index import PanelIndex


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def tuning_questions(path=GOLD) -> list[dict]:
    """The questions the thresholds are tuned on: the dev split only (ValueError if any question is unsplit)."""
    return select(load_gold(path), "dev")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", nargs="?", default=str(GOLD))
    args = parser.parse_args(argv)
    settings = Settings.load()
    assistant = Assistant.open(settings, PanelIndex(settings.store))
    questions = tuning_questions(args.file)
    held_out = len(load_gold(args.file)) - len(questions)
    print(f"tuning on the dev split only: {len(questions)} questions "
          f"({sum(q['kind'] == 'unanswerable' for q in questions)} unanswerable); "
          f"{held_out} test questions held out (never tuned on)")
    retrieved = [(q, *assistant.retrieve(q["question"])) for q in questions]
    results = []
    for coverage, dense in itertools.product([0.3, 0.4, 0.5, 0.6, 0.7], [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]):
        assistant.composer.min_coverage, assistant.composer.min_dense = coverage, dense
        refused_ok = answered_ok = facts = answerable = unanswerable = 0
        for question, query, candidates in retrieved:
            answer = assistant.composer.compose(question["question"], query, candidates)
            if question["kind"] == "unanswerable":
                unanswerable += 1
                refused_ok += not answer.answered
            else:
                answerable += 1
                answered_ok += answer.answered
                facts += answer.answered and all(_norm(f) in _norm(answer.text) for f in question["answer_facts"])
        balanced = (refused_ok / unanswerable + answered_ok / answerable) / 2
        results.append((balanced, facts / answerable, coverage, dense, refused_ok / unanswerable,
                        1 - answered_ok / answerable))
    results.sort(reverse=True)
    print("balanced  fact_recall  min_coverage  min_dense  refusal_accuracy  false_refusals")
    for row in results[:10]:
        print("  ".join(f"{v:.3f}" for v in row))
    best = results[0]
    print(f"\nbest on dev: min_coverage = {best[2]}, min_dense = {best[3]} "
          "(measure, do not tune, on the test split: `python -m evals.run --split test`)")
    return {"min_coverage": best[2], "min_dense": best[3]}


if __name__ == "__main__":
    main()
