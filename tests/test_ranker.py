"""The search's ranker (retrieval/ranker.py): a logistic model that puts the fused ranking's first passages
in order of how likely each is to hold the answer. Fitted on dev questions by ``python -m evals.fit_ranker``;
here: that it learns, that the shipped model loads, and that on the real corpus index it finds the passage
that holds the answer within the first five at least as often as the fused order does."""

from __future__ import annotations

import json
import random

import pytest

from evals.check_gold import GOLD, load_gold
from evals.run import _norm
from evals.split import select
from retrieval.answer import Assistant
from retrieval.ranker import FEATURES, MODEL_FILE, RANKED_DEPTH, Ranker, RankFeatures


def features(place: int, strength: float) -> RankFeatures:
    return RankFeatures(fused_rank=RankFeatures.place(place), lexical=strength, dense=0.5, sentence_best=0.5,
                        coverage=strength)


def test_the_ranker_learns_to_put_the_passage_that_holds_the_words_first():
    chance = random.Random(7)
    rows, labels = [], []
    for _ in range(60):  # forty passages a question; the one that answers holds more of its words
        answer_at = chance.randrange(40)
        for place in range(40):
            rows.append(features(place, 0.9 if place == answer_at else chance.uniform(0.0, 0.6)))
            labels.append(int(place == answer_at))
    model = Ranker.fit(rows, labels)
    question = [features(place, 0.3) for place in range(40)]
    question[25] = features(25, 0.95)
    assert model.order(question)[0] == 25
    assert model.order([]) == []


def test_ties_keep_the_fused_order():
    flat = Ranker(weights=[0.0] * len(FEATURES), bias=0.0, mean=[0.0] * len(FEATURES), scale=[1.0] * len(FEATURES))
    assert flat.order([features(place, 0.5) for place in range(6)]) == list(range(6))


def test_the_shipped_ranker_was_fitted_on_these_features(tmp_path):
    data = json.loads(MODEL_FILE.read_text())
    assert data["features"] == FEATURES and "evals.fit_ranker" in data["note"]
    assert Ranker.load().weights == data["weights"]
    stale = tmp_path / "ranker_model.json"
    stale.write_text(json.dumps({**data, "features": FEATURES[:-1]}))
    with pytest.raises(ValueError, match="fit_ranker"):
        Ranker.load(stale)
    assert Ranker.load(tmp_path / "absent.json") is None  # no model: the fused order stands


@pytest.mark.slow
def test_the_ranker_finds_the_answering_passage_in_the_first_five_more_often(corpus_settings, corpus_index):
    """On the gold set's dev split (what it was fitted on, among other sets) over the real corpus index:
    the passage holding every fact is within the first five for more questions than in the fused order,
    and every candidate the search returns within the ranked depth carries the features the ranker read."""
    assistant = Assistant.open(corpus_settings, corpus_index)
    questions = [q for q in select(load_gold(GOLD), "dev") if q["kind"] != "unanswerable"]

    def found(ranker) -> int:
        assistant.searcher.ranker = ranker
        held = 0
        for q in questions:
            _, candidates = assistant.retrieve(q["question"], k=5)
            assert all(c.features is not None for c in candidates)
            texts = [_norm(f"{c.chunk.header}\n{c.text}") for c in candidates]
            held += any(all(_norm(f) in t for f in q["answer_facts"]) for t in texts)
        return held

    ranked, fused = found(Ranker.load()), found(None)
    assert ranked > fused, (ranked, fused)
    assert RANKED_DEPTH >= 8  # the composer's eight candidates are all ranked


def test_a_paper_held_twice_takes_one_place_among_the_candidates(tmp_path, settings, embeddings, small_pdf):
    """An archive holds one report several times (in the agenda pack, as its own PDF, republished): each
    passage's text is among a question's candidates once, so its copies do not crowd out other passages."""
    import shutil

    from ingest.pipeline import ingest_paths
    from store.index import PanelIndex

    copy = tmp_path / "copy" / "cpp-minutes-republished.pdf"
    copy.parent.mkdir()
    shutil.copy(small_pdf, copy)
    index = PanelIndex(settings.store, embeddings)
    report = ingest_paths([small_pdf, copy], settings.ingest, index, progress=False)
    assert not report.failed
    chunks = index.all_chunks()
    assert {c.document for c in chunks} == {small_pdf.name, copy.name}  # both held, each passage twice
    assistant = Assistant.open(settings, index)
    _, candidates = assistant.retrieve("who chaired the corporate parenting panel meeting?", k=8)
    texts = [" ".join(c.chunk.text.split()) for c in candidates]
    assert len(candidates) == 8 and len(set(texts)) == len(texts)


def test_a_near_copy_adds_nothing_but_a_passage_holding_more_stays():
    """A report republished with its lines wrapped or cut at other places is a near copy of a passage ranked above
    it: dropped. A passage that holds a better one's words and more of its own is kept, and so are near copies
    within one paper (a council's amendments each quote the whole motion: the words one changes are asked)."""
    from dataclasses import replace

    from core.records import ChunkKind, StoredChunk
    from retrieval.hybrid import _distinct

    report = ("The indicative total budget to be transferred, at the time of writing this report, will be "
              "approximately £59m, comprising £56m for package costs and £3m for staffing based on budgets.")
    rewrapped = report.replace(", ", ",\n")
    trimmed = report.rsplit(" ", 1)[0]  # cut a word short at a page break
    longer = report + " The Director of Adult Social Services is accountable for assessing local needs and " \
        "delivering a full range of adult social services to people aged eighteen or over in the county."
    other = "The panel noted the annual report of the Virtual School Kent and thanked the head teacher."
    amended = report.replace("approximately", "no more than")  # the same paper: another amendment's words
    texts = [report, rewrapped, trimmed, longer, other, amended]
    papers = ["report.pdf", "supplement.pdf", "pack.pdf", "record.pdf", "minutes.pdf", "report.pdf"]
    chunks = [StoredChunk(document=paper, text=text, kind=ChunkKind.NARRATIVE, page_start=1, page_end=1, header="")
              for paper, text in zip(papers, texts, strict=True)]
    assert _distinct(list(range(len(texts))), chunks, {}) == [0, 3, 4, 5]
    assert _distinct([3, 0, 4], chunks, {}) == [3, 4]  # a passage wholly held by a better one adds nothing
    assert _distinct([0, 1], [chunks[0], replace(chunks[0], document="other.pdf")], {}) == [0]  # the same text twice


def test_a_passage_of_the_month_or_financial_year_asked_is_favoured_by_its_words():
    """The period asked for favours a passage whose words name it, where the passage has no period of its own: a
    report's table "as at 17/08/18" in the pack of a September meeting, a paragraph on "2018/19" in an annual
    report. A financial year favours passages only for a figure: every budget paper names its year."""
    from core.records import ChunkKind
    from core.records import StoredChunk as Chunk
    from retrieval.hybrid import FINANCIAL_YEAR_BOOST, TEXT_MONTH_BOOST, HybridSearcher
    from retrieval.query import understand

    def boost(question: str, text: str) -> float:
        chunk = Chunk(document="pack.pdf", text=text, kind=ChunkKind.NARRATIVE, page_start=1, page_end=1, header="")
        query = understand(question, {})
        return HybridSearcher._boost(query, chunk, 20180919, query.defined_terms)

    month = "how many care leavers did the 18+ service support in Aug 2018?"
    assert boost(month, "Supported by the 18+ Care Leaving Service as at 17/08/18: 1529") == TEXT_MONTH_BOOST
    assert boost(month, "At the time of writing this report (August 2018) the service had 1529 open cases") > 1.0
    assert boost(month, "as at 17/08/19 the service had 1600 open cases") == 1.0  # a day of another year
    # a day asked is a meeting's: another meeting's passage naming it is not of it
    assert boost("how did the vote go at the council on 13 March 2025?", "referred to full Council on 13 March 2025") \
        == 1.0
    year = "how many adoption orders were granted in 2018/19?"
    assert understand(year, {}).financial_year == "2018-19"
    assert boost(year, "In 2018-19, 96 adoption orders were granted.") == FINANCIAL_YEAR_BOOST
    assert boost(year, "In 2017/18, 104 adoption orders were granted.") == 1.0
    assert boost("what did the panel say about the 2018/19 plan?", "In 2018-19 the plan was agreed.") == 1.0


def test_a_passage_saying_what_the_asked_term_is_is_favoured():
    """"what is VSK for?": a passage whose sentence has the term, or its spelling out, as the subject of "acts as",
    "is a", "means" ... is nudged up; one that only mentions it is not, nor is any passage for another question."""
    from core.records import ChunkKind
    from core.records import StoredChunk as Chunk
    from retrieval.hybrid import DEFINES_BOOST, HybridSearcher
    from retrieval.query import understand

    def boost(question: str, text: str) -> float:
        chunk = Chunk(document="pack.pdf", text=text, kind=ChunkKind.NARRATIVE, page_start=1, page_end=1, header="")
        query = understand(question, {"VSK": "Virtual School Kent"})
        return HybridSearcher._boost(query, chunk, 20180919, query.defined_terms)

    defining = "2.1 The Virtual School Kent acts as the Council's champion to promote the progress of its children."
    assert boost("what is VSK actually for?", defining) == DEFINES_BOOST
    assert boost("what is VSK actually for?", "The Virtual School Kent held its awards day in July.") == 1.0
    assert boost("who chaired the panel in July 2018?", defining) == 1.0
