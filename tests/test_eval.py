"""The evaluation: scoring rules that can fail, and the gold set's floors held by the project."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from types import SimpleNamespace

import pytest

from evals import calibrate
from evals.check_gold import GOLD, KINDS, SPLITS, load_gold
from evals.run import Outcome, check_floors, first_hit, holds_facts, run_project, score, score_splits
from evals.split import assign, select
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


def test_candidate_recall_needs_every_fact_in_the_retrieved_texts():
    assert holds_facts(["64.9 %", "County  Hall"], ["it was 64.9\n%", "at county hall, Maidstone"])
    assert not holds_facts(["64.9%", "County Hall"], ["it was 64.9%"])
    questions = [
        {"id": "1", "kind": "figure", "split": "dev", "answer_facts": ["a"], "expected": []},
        {"id": "2", "kind": "figure", "split": "test", "answer_facts": ["b"], "expected": []},
        {"id": "3", "kind": "fact", "split": "test", "answer_facts": ["c"], "expected": []},
        {"id": "4", "kind": "unanswerable", "split": "test", "answer_facts": [], "expected": []},
    ]
    outcomes = [Outcome("1", "figure", True, False, [], "", candidates_hold_facts=True, candidates_k=5),
                Outcome("2", "figure", True, False, [], "", candidates_hold_facts=False, candidates_k=5),
                Outcome("3", "fact", True, False, [], "", candidates_hold_facts=True, candidates_k=5),
                Outcome("4", "unanswerable", False, True, [], "")]
    table = score_splits(questions, outcomes)
    assert table["overall"]["overall"]["candidate_recall@5"] == pytest.approx(2 / 3)
    assert table["dev"]["overall"]["candidate_recall@5"] == 1.0
    assert table["test"]["overall"]["candidate_recall@5"] == 0.5
    assert table["test"]["figure"]["candidate_recall@5"] == 0.0
    assert table["test"]["overall"]["questions"] == 3 and table["dev"]["overall"]["questions"] == 1
    assert "candidate_recall@5" not in score(questions[:1], [Outcome("1", "figure", True, False, [], "")])["overall"]


def _rule_split(questions: list[dict]) -> dict[str, str]:
    """The split rule of evals/check_gold.py, recomputed here independently of evals/split.py."""
    splits = {}
    for kind in {q["kind"] for q in questions}:
        ids = sorted((q["id"] for q in questions if q["kind"] == kind),
                     key=lambda i: (hashlib.sha256(i.encode("utf-8")).hexdigest(), i))
        cut = int(len(ids) * 0.3 + 0.5)  # 30%, rounded half up
        splits.update({i: "test" if n < cut else "dev" for n, i in enumerate(ids)})
    return splits


def test_every_question_has_the_split_of_the_rule():
    gold = load_gold(GOLD)
    assert all(q.get("split") in SPLITS for q in gold)
    assert {q["id"]: q["split"] for q in gold} == _rule_split(gold) == assign(gold)
    counts = Counter((q["kind"], q["split"]) for q in gold)
    for kind in KINDS:
        dev, test = counts[(kind, "dev")], counts[(kind, "test")]
        assert dev and test, f"{kind}: {dev} dev, {test} test"
        assert 0.25 <= test / (dev + test) <= 0.35, kind


def test_calibration_cannot_see_a_test_question(tmp_path, monkeypatch):
    gold = load_gold(GOLD)
    dev_ids = {q["id"] for q in gold if q["split"] == "dev"}
    tuned = calibrate.tuning_questions()
    assert all(q["split"] == "dev" for q in tuned)
    assert [q["id"] for q in tuned] == [q["id"] for q in gold if q["id"] in dev_ids]

    # the whole calibration run asks the assistant about dev questions only
    asked: list[str] = []

    class FakeComposer:
        min_coverage = min_dense = 0.5

        def compose(self, question, query, candidates):
            return SimpleNamespace(answered=self.min_dense < 0.45, text="")

    class FakeAssistant:
        composer = FakeComposer()

        @classmethod
        def open(cls, settings, index):
            return cls()

        def retrieve(self, question, *args, **kwargs):
            asked.append(question)
            return question, []

    monkeypatch.setattr(calibrate, "Settings", SimpleNamespace(load=lambda: SimpleNamespace(store=None)))
    monkeypatch.setattr(calibrate, "PanelIndex", lambda store: None)
    monkeypatch.setattr(calibrate, "Assistant", FakeAssistant)
    calibrate.main([])
    assert sorted(asked) == sorted(q["question"] for q in gold if q["id"] in dev_ids)
    assert not {q["question"] for q in gold if q["split"] == "test"} & set(asked)

    # a file without splits is refused rather than tuned on whole
    unsplit = tmp_path / "unsplit.jsonl"
    unsplit.write_text("".join(json.dumps({k: v for k, v in q.items() if k != "split"}) + "\n" for q in gold))
    with pytest.raises(ValueError, match="no dev/test split"):
        calibrate.tuning_questions(unsplit)
    assert select(gold, "all") == gold and {q["split"] for q in select(gold, "test")} == {"test"}


def test_gold_set_floors_hold(corpus_settings, corpus_index):
    assistant = Assistant.open(corpus_settings, corpus_index)
    questions = load_gold()
    project = score(questions, run_project(assistant, questions))
    assert check_floors(project) == [], project["overall"]
    assert 0 < project["overall"]["candidate_recall@5"] <= 1
