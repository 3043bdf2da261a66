"""Property-based tests (hypothesis): the structure parser and the query understanding take any text
without crashing or hanging, and what they return is sane."""

from __future__ import annotations

import string
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.dates import find_month
from core.records import Page
from ingest.scorecard import parse_scorecard_row
from ingest.structure import analyse
from retrieval.glossary import build_glossary
from retrieval.query import rewrite_follow_up, understand

# Text that looks like the papers: their words, numbers, dates, markers, and arbitrary unicode between.
PAPER_WORDS = ["RESOLVED", "It was RESOLVED that", "Minutes", "(Item 4)", "Page", "of", "Corporate", "Parenting",
               "Panel", "1.", "(a)", "a)", "12.", "November 2018", "23rd November", "2015-16 Q2", "H", "L", "SS",
               "R12M", "61.2%", "£1,234", "G", "A", "R", "By:", "To:", "Subject:", "held on", "Tuesday,",
               "7 May 2019", "\n", "\n\n", "NOTED", "Resolved:", "Performance Report - Nov 2018", "(EET)"]
paper_text = st.lists(st.one_of(st.sampled_from(PAPER_WORDS), st.text(max_size=12)), max_size=120).map(" ".join)
fast = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(st.lists(paper_text, min_size=1, max_size=5))
def test_structure_parser_takes_any_pages(texts):
    pages = [Page(number=n, text=t) for n, t in enumerate(texts, start=1)]
    structure = analyse(pages, "any.pdf", "0" * 64)
    assert structure.info.pages == len(pages)
    for decision in structure.decisions:
        assert 1 <= decision.page <= len(pages)
        assert decision.text.strip()
        if decision.meeting_date:
            date.fromisoformat(decision.meeting_date)
    if structure.info.meeting_date:
        date.fromisoformat(structure.info.meeting_date)


@fast
@given(paper_text)
def test_scorecard_row_parser_returns_named_columns_or_none(text):
    row = parse_scorecard_row(text)
    if row is not None:
        # A context row (a monthly count printed without polarity, schema 4) has none; any other has H, L or T.
        assert row["indicator"] and row["value"] and (row["polarity"] is None or row["polarity"] in "HLT")


@fast
@given(paper_text)
def test_month_finder_gives_real_months(text):
    found = find_month(text)
    if found:
        year, month = found
        assert 1 <= month <= 12 and 1900 <= year <= 2100


GLOSSARY = build_glossary(["Education, Employment or Training (EET)", "Children in Care (CIC)"])


@fast
@given(st.text(min_size=1, max_size=300), st.lists(st.text(max_size=80), max_size=3))
def test_query_understanding_takes_any_question(question, history):
    query = understand(question, GLOSSARY, history=[(h, "") for h in history], today=date(2019, 1, 29))
    assert isinstance(query.expanded, str)
    if query.month:
        assert 1 <= query.month[1] <= 12


@fast
@given(st.sampled_from(["and in", "what about", "and for"]),
       st.sampled_from(["January", "June", "November", "Sept"]), st.integers(2000, 2030))
def test_follow_up_keeps_the_topic_and_takes_the_new_date(lead, month, year):
    first = "What was the % of care leavers in EET in November 2018?"
    rewritten = rewrite_follow_up(f"{lead} {month} {year}?", [(first, "")])
    assert "care leavers" in rewritten and str(year) in rewritten


@fast
@given(st.text(alphabet=string.ascii_uppercase, min_size=2, max_size=6))
def test_acronyms_expand_only_to_what_the_papers_define(acronym):
    query = understand(f"what is the {acronym} figure?", GLOSSARY, today=date(2019, 1, 29))
    if acronym == "EET":
        assert "education" in query.expanded.lower()
    assert len(query.expanded) < 400


@fast
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)), st.sampled_from(["/", "."]),
       st.booleans())
def test_a_date_written_in_figures_day_first_is_the_asked_day(day, separator, short_year):
    """"where was the panel held on 10/12/24?": a date in figures, day first as in Britain, with a two- or four-
    figure year (two figures are read as 20xx), is the question's day, as "10 December 2024" is."""
    year = f"{day.year % 100:02d}" if short_year else str(day.year)
    question = f"what did the panel decide on {day.day}{separator}{day.month}{separator}{year}?"
    query = understand(question, GLOSSARY, today=date(2019, 1, 29))
    expected = date(2000 + day.year % 100, day.month, day.day) if short_year else day
    assert query.day == expected.year * 10000 + expected.month * 100 + expected.day
    assert query.month == (expected.year, expected.month)
    # Figures that are no date stay as they are: a decision number, a financial year, an impossible day.
    for kept in ("decision 24/00108", "in 2017/18", "on 31/02/2020", "version 1.2.3"):
        assert kept in understand(f"what about {kept}?", GLOSSARY, today=date(2019, 1, 29)).text
