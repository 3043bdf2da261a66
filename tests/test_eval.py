"""The evaluation: scoring rules that can fail, and the gold set's floors held by the project."""

from __future__ import annotations

from evals.check_gold import load_gold
from evals.run import Outcome, check_floors, first_hit, run_project, score
from retrieval.answer import Assistant


def test_first_hit_counts_page_ranges():
    expected = [{"document": "a.pdf", "page": 7}]
    assert first_hit(expected, [("b.pdf", 7, 7), ("a.pdf", 5, 8)]) == 2
    assert first_hit(expected, [("a.pdf", 8, 9)]) is None


def test_score_rewards_facts_and_refusals():
    questions = [
        {"id": "1", "kind": "figure", "answer_facts": ["64.9%"], "expected": [{"document": "a.pdf", "page": 3}]},
        {"id": "2", "kind": "unanswerable", "answer_facts": [], "expected": []},
    ]
    good = [Outcome("1", "figure", True, False, [("a.pdf", 3, 3)], "It was 64.9% [1]", [("a.pdf", 3)]),
            Outcome("2", "unanswerable", False, True, [], "The papers I have do not answer this.")]
    bad = [Outcome("1", "figure", True, False, [("a.pdf", 9, 9)], "It was 65.7% [1]", [("a.pdf", 9)]),
           Outcome("2", "unanswerable", False, False, [], "Something")]
    high, low = score(questions, good)["overall"], score(questions, bad)["overall"]
    assert (high["hit@1"], high["fact_recall"], high["citation_precision"], high["refusal_accuracy"]) == (1, 1, 1, 1)
    assert (low["hit@5"], low["fact_recall"], low["citation_precision"], low["refusal_accuracy"]) == (0, 0, 0, 0)


def test_gold_set_floors_hold(corpus_settings, corpus_index):
    assistant = Assistant.open(corpus_settings, corpus_index)
    questions = load_gold()
    project = score(questions, run_project(assistant, questions))
    assert check_floors(project) == [], project["overall"]
