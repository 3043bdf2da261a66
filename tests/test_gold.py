"""The gold question set is sound, and the checker catches a broken one."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from evals.check_gold import (
    GOLD,
    GOLD_REAL,
    KINDS,
    SHARED,
    Corpus,
    Shared,
    check,
    load_gold,
    locate_quote,
    main,
    quote_list,
    uses_shared,
)

pytestmark = pytest.mark.slow  # reads the five PDFs once (~20 s), then every check is quick


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    return load_gold(GOLD)


def test_gold_file_has_no_problem():
    assert check(GOLD) == []


def test_gold_set_size_and_spread(gold):
    kinds = Counter(q["kind"] for q in gold)
    assert len(gold) >= 100
    assert kinds["unanswerable"] >= 10
    assert set(KINDS) <= set(kinds), f"kinds missing: {set(KINDS) - set(kinds)}"
    ids = [q["id"] for q in gold]
    assert len(ids) == len(set(ids))
    assert {q["persona"] for q in gold} == {"member", "councillor", "officer"}
    sources = {s["source_file"] for q in gold for s in q.get("source_quotes", [])} | {
        q["source_file"] for q in gold if q.get("source_file")}
    assert len(sources) == 5, "every paper has questions"


def test_unanswerable_questions_have_no_answer(gold):
    for q in gold:
        if q["kind"] == "unanswerable":
            assert q["answer_facts"] == [] and q["expected"] == [] and not q.get("source_quote")


def _find(questions, predicate):
    return next(q for q in questions if predicate(q))


def test_broken_copy_is_reported(gold, tmp_path):
    questions = json.loads(json.dumps(gold))  # deep copy
    corpus = Corpus()
    singles = [q for q in questions if q["kind"] not in ("multi", "unanswerable")]

    # 1. a quote that is not in its source text
    bad_quote = singles[0]
    bad_quote["source_quote"] = "The Panel resolved to abolish all scorecards with immediate effect from 2019."
    # 2. an answer fact that is in the same paper but far from the quote
    far_fact = _find(singles, lambda q: q["source_file"].startswith("000") and q is not bad_quote
                     and q["kind"] == "resolution")
    assert "Birmingham" in corpus.text(far_fact["source_file"])  # once, in the adoption section, not the minutes
    far_fact["answer_facts"] = ["Birmingham"]
    # 3. an expected page where the quote does not lie
    wrong_page = _find(singles, lambda q: q not in (bad_quote, far_fact) and len(q["expected"]) == 1)
    chosen = [bad_quote, far_fact, wrong_page]
    wrong_page["expected"] = [{"document": wrong_page["expected"][0]["document"],
                               "page": wrong_page["expected"][0]["page"] + 3}]
    # 4. a duplicate id, an unknown kind, and an unanswerable question given a fact
    dup = _find(questions, lambda q: q["kind"] == "unanswerable")
    dup["id"] = far_fact["id"]
    unknown_kind = _find(singles, lambda q: q not in chosen)
    unknown_kind["kind"] = "opinion"
    with_fact = _find(questions, lambda q: q["kind"] == "unanswerable" and q is not dup)
    with_fact["answer_facts"] = ["42"]

    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(json.dumps(q) for q in questions) + "\n", encoding="utf-8")
    problems = check(path)

    def about(qid: str) -> list[str]:
        return [p for p in problems if p.startswith(qid + ":") or p.startswith(qid + " ")]

    assert any("not found in" in p for p in about(bad_quote["id"])), problems
    assert any("'Birmingham' is not within 400 characters" in p for p in about(far_fact["id"])), problems
    assert any(f"p.{wrong_page['expected'][0]['page']} is not where the quote lies" in p
               for p in about(wrong_page["id"])), problems
    assert any("none of its pages" in p for p in about(wrong_page["id"])), problems
    assert f"id {far_fact['id']} is used 2 times" in problems
    assert any("kind 'opinion'" in p for p in about(unknown_kind["id"])), problems
    assert any("unanswerable question with answer_facts" in p for p in about(with_fact["id"])), problems
    touched = {bad_quote["id"], far_fact["id"], wrong_page["id"], unknown_kind["id"], with_fact["id"]}
    assert all(any(p.startswith(t) for t in touched) or p.startswith("id ") for p in problems), problems

    assert main([str(path)]) == 1
    assert main([str(GOLD)]) == 0


def test_a_multi_question_needs_two_passages(gold, tmp_path):
    multi = json.loads(json.dumps(_find(gold, lambda q: q["kind"] == "multi")))
    multi["source_quotes"] = multi["source_quotes"][:1]
    path = tmp_path / "multi.jsonl"
    path.write_text(json.dumps(multi) + "\n", encoding="utf-8")
    problems = check(path)
    assert any("two passages" in p for p in problems), problems


def test_locate_quote_collapses_whitespace_and_straddles_page_breaks():
    pages = ["Minutes of the meeting\nIt was RESOLVED that the\nreport", "be  noted, with\tthanks.\n", "",
             "Page 4 text"]
    assert locate_quote("RESOLVED that the report be noted", pages) == [1, 2]
    assert locate_quote("with thanks.", pages) == [2]
    assert locate_quote("Page 4", pages) == [4]
    assert locate_quote("not there at all", pages) == []
    assert locate_quote("the", pages) == [1]


def test_locate_quote_on_real_pages_finds_a_straddling_quote():
    corpus = Corpus()
    pages = corpus.pages("kent-cpp-2019-01-29-agenda-pack.pdf")
    quote = "This academic year did see the lowest figure recorded for KCC CIC aged 16-18 years of age at 13.8%."
    located = locate_quote(quote, pages)
    assert len(located) == 2 and located[1] == located[0] + 1


def test_load_gold_names_a_bad_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "q1"}\n\nnot json\n', encoding="utf-8")
    with pytest.raises(ValueError, match="line 3"):
        load_gold(path)
    assert check(path)[0].endswith("line 3: not JSON (Expecting value)")


def test_every_question_needs_a_dev_or_test_split(gold, tmp_path):
    first, second = json.loads(json.dumps(gold[:2]))
    del first["split"]
    second["split"] = "train"
    path = tmp_path / "unsplit.jsonl"
    path.write_text(json.dumps(first) + "\n" + json.dumps(second) + "\n", encoding="utf-8")
    problems = check(path)
    assert f"{first['id']}: split None is not one of dev, test" in problems, problems
    assert f"{second['id']}: split 'train' is not one of dev, test" in problems, problems


def test_the_councillor_batch_is_in_the_gold_set(gold):
    ids = [q["id"] for q in gold]
    assert [i for i in ids if i.startswith("c")] == [f"c{n:03d}" for n in range(1, 30)]
    assert [i for i in ids if i.startswith("q")] == [f"q{n:03d}" for n in range(1, 146)]
    batch = [q for q in gold if q["id"].startswith("c")]
    assert {q["persona"] for q in batch} == {"councillor"}
    assert not uses_shared(gold)


@pytest.fixture(scope="module")
def shared() -> Shared:
    shared = Shared(SHARED)
    if not shared.available:
        pytest.skip(f"the real Kent PDFs are not here ({SHARED}/real-papers and real-archive are absent): "
                    "gold_real.jsonl cannot be checked")
    return shared


def test_the_real_gold_file_has_no_problem(shared):
    """Every quote of gold_real.jsonl in its PDF, every fact near it, and every page of the wide index's
    PDFs where a quote lies listed (~80 s: reads the 57 PDFs once)."""
    assert check(GOLD_REAL, shared_dir=shared.dir) == []


def test_the_real_gold_set_spread():
    real = load_gold(GOLD_REAL)
    assert [q["id"] for q in real if q["id"][0] == "r"] == [f"r{n:03d}" for n in range(1, 82)]
    # Issue 13's batch: at least 40 questions on the real archive (votes, records of decision, budget and
    # indicator figures), with both splits.
    archive = [q for q in real if q["id"][0] == "a"]
    assert [q["id"] for q in archive] == [f"a{n:03d}" for n in range(1, len(archive) + 1)]
    on_archive = [q for q in archive if any(quote.source.startswith("real-archive/") for quote in quote_list(q))]
    assert len(on_archive) >= 40 and {q["split"] for q in on_archive} == {"dev", "test"}
    assert uses_shared(real)
    assert all(quote.pdf for q in real for quote in quote_list(q))
    assert sum(q["kind"] == "unanswerable" for q in real) >= 10
    # a paper published twice is expected under both names
    duplicated = [q for q in real if len({e["document"] for e in q["expected"]}) > len(quote_list(q))]
    assert len(duplicated) >= 30


def test_a_broken_real_question_is_reported(shared, tmp_path):
    real = {q["id"]: q for q in json.loads(json.dumps(load_gold(GOLD_REAL)))}
    # 1. a copy of the paper left out of expected (r004's minutes are also in the archive)
    left_out = real["r004"]
    assert len(left_out["expected"]) == 2
    dropped = left_out["expected"].pop()
    # 2. an expected page where the quote does not lie
    wrong = real["r001"]
    wrong["expected"].append({"document": wrong["expected"][0]["document"], "page": 6})
    # 3. a quote not in its PDF, 4. a PDF not in the shared folder
    not_there = real["r002"]
    not_there["source_quote"] = "RESOLVED that the Panel abolishes every scorecard with immediate effect from 2019."
    no_pdf = real["r003"]
    no_pdf["source_pdf"] = "real-papers/no-such-paper.pdf"
    path = tmp_path / "broken_real.jsonl"
    path.write_text("".join(json.dumps(q) + "\n" for q in (left_out, wrong, not_there, no_pdf)), encoding="utf-8")
    problems = check(path, shared_dir=shared.dir)
    assert problems == [
        f"r004 quote: lies on {dropped['document']} p.{dropped['page']}, which expected does not list",
        f"r001: expected {wrong['expected'][0]['document']} p.6 is not where the quote lies "
        f"(located: {wrong['expected'][0]['document']} p.3)",
        f"r002 quote: not found in {not_there['source_pdf']}: {not_there['source_quote'][:80]!r}",
        f"r002: expected {not_there['expected'][0]['document']} p.1 is not where the quote lies (located: nowhere)",
        f"r003 quote: source_pdf 'real-papers/no-such-paper.pdf' is not a PDF of the shared folder {shared.dir}",
        f"r003: expected {no_pdf['expected'][0]['document']} p.5 is not where the quote lies (located: nowhere)",
    ], problems


def test_the_real_set_is_skipped_without_the_shared_folder(tmp_path, capsys):
    missing = tmp_path / "no-shared"
    assert main([str(GOLD_REAL), "--shared", str(missing)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("NOTE:") and str(missing) in out[0] and "not checked" in out[0]
    assert check(GOLD_REAL, shared_dir=missing) == [
        f"{GOLD_REAL}: the shared folder {missing} (with real-papers and real-archive) is missing"]


def test_the_scanned_gold_file_is_checked_against_the_transcriptions(tmp_path):
    """Quotes of the scanned ordinances are in their hand-typed transcriptions; their pages, given by hand,
    are pages of the PDFs; a wrong page or a quote not in the transcription is reported."""
    from evals.run import GOLD_SCANNED

    shared = Shared(SHARED)
    if not (shared.available and (SHARED / "scanned-papers").is_dir()):
        pytest.skip(f"{SHARED}/scanned-papers (and the real papers) are absent: gold_scanned.jsonl cannot be checked")
    scanned = load_gold(GOLD_SCANNED)
    assert len(scanned) >= 10 and {q["split"] for q in scanned} == {"dev", "test"}
    assert check(GOLD_SCANNED, shared_dir=shared.dir) == []
    broken = json.loads(json.dumps(scanned))
    answerable = [q for q in broken if q["kind"] != "unanswerable"]
    answerable[0]["expected"][0]["page"] = 9
    answerable[1]["source_quote"] = "The Park Advisory Council shall consist of eleven members appointed for life."
    path = tmp_path / "gold_scanned.jsonl"
    path.write_text("".join(json.dumps(q) + "\n" for q in broken))
    problems = check(path, shared_dir=shared.dir)
    assert any(answerable[0]["id"] in p and "expected page 9" in p for p in problems), problems
    assert any(answerable[1]["id"] in p and "not found" in p for p in problems), problems
