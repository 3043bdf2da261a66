"""Misspelt question words put right against the papers' own words (retrieval/spelling.py), on a small
vocabulary and on the real sample corpus."""

from __future__ import annotations

import pytest

from retrieval.answer import Assistant
from retrieval.spelling import Speller, edit_distance

VOCABULARY = {"didn": 5, "shouldn": 2, "committee": 40, "accommodation": 12, "separately": 3, "assessment": 9,
              "charing": 2, "placement": 30, "performance": 25, "scorecard": 14, "children": 90, "hammock": 1}


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller(VOCABULARY)


@pytest.mark.parametrize("typed, meant", [
    ("comittee", "committee"),  # a letter dropped
    ("accomodation", "accommodation"),
    ("seperately", "separately"),  # a letter replaced
    ("assesment", "assessment"),
    ("chidlren", "children"),  # two letters swapped: one edit
    ("perfomance", "performance"),
    ("placments", "placement"),  # the plural folded as the search folds it
])
def test_a_misspelt_word_is_put_right(speller, typed, meant):
    text, made = speller.correct(f"what did the panel say about {typed} in 2018?")
    assert made == [(typed, meant)]
    assert text == f"what did the panel say about {meant} in 2018?"


@pytest.mark.parametrize("question", [
    "how much do you get for chairing the panel?",  # an English word the papers lack is no misspelling of "Charing"
    "what did Mr Hammond say?",  # a name inside the question is left alone
    "what does UASCC stand for?",  # capitals: an acronym
    "what is in the scorecard?",  # a word of the papers
    "what is a comitee?",  # too far: two edits in a word under eight letters
    "tell me about the chidl",  # under five letters
    "what was the figure in 2019x?",  # digits
    "didnt members ask for an update?",  # a contraction without its apostrophe is no misspelling of "didn"
    "why shouldnt we use reserves?",
])
def test_what_is_not_a_misspelling_is_left_alone(speller, question):
    assert speller.correct(question) == (question, [])


def test_the_opening_word_is_corrected_though_capitalised(speller):
    assert speller.correct("Accomodation for care leavers")[1] == [("Accomodation", "accommodation")]


def test_edit_distance_counts_a_swap_as_one_and_stops_past_the_limit():
    assert edit_distance("chidlren", "children", 2) == 1
    assert edit_distance("comittee", "committee", 1) == 1
    assert edit_distance("kitten", "sitting", 2) == 3  # limit + 1 once past the limit
    assert edit_distance("same", "same", 0) == 0


def test_a_typed_question_finds_what_the_spelled_one_finds_and_says_what_it_read(corpus_settings, corpus_index):
    assistant = Assistant.open(corpus_settings, corpus_index)
    spelled = "what did the panel resolve about the performance scorecards?"
    typed = "what did the panel resolve about the perfomance scorcards?"
    _, wanted = assistant.retrieve(spelled)
    query, found = assistant.retrieve(typed)
    assert query.corrections == [("perfomance", "performance"), ("scorcards", "scorecard")]
    assert [c.id for c in found[:3]] == [c.id for c in wanted[:3]]
    answer = assistant.ask(typed)
    assert answer.text.startswith("(Read “perfomance” as “performance”, “scorcards” as “scorecard”.)")

    plain = Assistant.open(corpus_settings.override(correct_spelling=False), corpus_index)
    query, _ = plain.retrieve(typed)
    assert query.corrections == [] and "perfomance" in query.text
    assert not plain.ask(typed).text.startswith("(Read")


def test_the_typing_slips_of_the_evaluation_are_fixed_by_the_seed_and_never_real_words():
    from evals.typos import with_slips

    question = {"id": "x1", "question": "what did the panel resolve about placement stability in november?"}
    first, made = with_slips(question, 1, 0)
    assert with_slips(question, 1, 0) == (first, made)  # the same slip every run
    assert len(made) == 1 and first != question["question"]
    typed, word = made[0]
    assert typed in first and word in question["question"] and edit_distance(typed, word, 2) <= 2
    from retrieval.spelling import english_words
    assert typed not in english_words()


def test_words_spelt_two_ways_are_one_word_to_the_search():
    """"advisers" finds "advisors" and "organization" finds "organisation": papers and people spell both ways."""
    from retrieval.words import tokenize

    assert tokenize("treasury advisers") == tokenize("treasury advisor")
    assert tokenize("the organization prioritized it") == tokenize("the organisation prioritised it")
    assert tokenize("size citizens") == ["size", "citizen"]  # "-ize" ending a short word is no spelling
