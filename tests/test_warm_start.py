"""`panel-papers serve` warms up before it says "Ready": the first answer after that is measured against
the median of the next ten (the ratio is printed; evals/bench_first_answer.py reports it as a benchmark,
since timings are never asserted in tests)."""

from __future__ import annotations

from evals.bench_first_answer import gold_questions, measure


def test_serve_answers_its_first_question_once_ready(corpus_index, corpus_settings, capsys):
    result = measure(corpus_settings.store.index_dir, gold_questions(11))
    assert len(result.next_seconds) == 10
    # The first answer is a real one, made over the served index (not an error from a half-open app).
    assert "error" not in result.first_answer, result.first_answer
    assert result.first_answer["citations"], result.first_answer
    with capsys.disabled():
        print(f"\nserve ready in {result.ready_seconds:.1f} s; first answer {result.first_seconds * 1000:.0f} ms, "
              f"median of the next ten {result.next_median * 1000:.0f} ms, ratio {result.ratio:.2f}")
