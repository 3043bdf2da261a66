"""Question understanding and answer selection without an index: answer types, question parts, the
paragraph around a sentence, the refusal model's fit."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from core.records import ChunkKind, StoredChunk
from core.sentences import sentences
from retrieval.answer.compose import SENTENCE_WORDS, _names_month, is_fragment, paragraph_around, within_length
from retrieval.answer.figures import asked_period
from retrieval.answer.refusal import FEATURES, MODEL_FILE, Evidence, RefusalModel
from retrieval.answer.selection import has_answer_type
from retrieval.answer.units import split_units
from retrieval.query import AnswerType, Intent, answer_type, asked_months, financial_years, split_parts, understand
from retrieval.words import QuestionTerms


@pytest.mark.parametrize("question, kind", [
    ("who did we elect as vice chair in november 2018", AnswerType.PERSON),
    ("when is the first meeting of 2019/20?", AnswerType.DATE),
    ("is there a start date for the new fostering portal?", AnswerType.DATE),
    ("when a child comes back after going missing, how quickly should they be offered a return interview?",
     AnswerType.NUMBER),
    ("what are the up to date figures for adoption?", AnswerType.DEFINITION),  # "up to date" is no date
    ("where is the 18+ service based", AnswerType.PLACE),
    ("how often does the panel meet?", AnswerType.FREQUENCY),
    ("how many children were in care in Nov 2018, and who reported it?", AnswerType.NUMBER),
    ("a lot of what drives health sits outside the NHS - roughly what proportion?", AnswerType.NUMBER),
    ("Kent births - peak year and latest figure?", AnswerType.NUMBER),
    ("How big is the proposed ten year capital programme?", AnswerType.NUMBER),
    ("what are my duties as a corporate parent?", AnswerType.LIST),
    ("what does LILAC stand for", AnswerType.DEFINITION),
    ("why did the adoption figures fall", AnswerType.REASON),
    ("tell me about the MOMO app", AnswerType.ANY),
    # a sum asked for by what it measures ...
    ("What's the forecast overspend for ASCH for 2024-25 as at Q3?", AnswerType.NUMBER),
    ("whats the dsg deficit at 31/3/25", AnswerType.NUMBER),
    ("what is the total savings target", AnswerType.NUMBER),
    ("what was the final pupil premium plus (PP+) allocation for 2017/18?", AnswerType.NUMBER),  # (its abbreviation)
    # ... but not a word of one that names something else
    ("what are the budget pressures?", AnswerType.DEFINITION),
    ("what is the target group of the service?", AnswerType.DEFINITION),
    ("what's the impact of the budget?", AnswerType.DEFINITION),
    # a sum or a count asked for by up to four words of its name
    ("What is the pupil premium plus budget allocation for 2018/19?", AnswerType.NUMBER),
    ("what are the attendance numbers at the drop-ins?", AnswerType.NUMBER),
    # a person asked for by name
    ("What's the name of the VSK Participation and Engagement Manager who won the award?", AnswerType.PERSON),
    ("what is the name of the new scheme?", AnswerType.DEFINITION),
    ("which assessors carried out the re-assessment?", AnswerType.PERSON),
    ("whats the name of the youth justice apprentice who came to the panel?", AnswerType.PERSON),
    ("which lead agency runs the scheme?", AnswerType.ANY),
    # "when" as a question word asks for a date; as a conjunction it sets the scene
    ("when and where are the consultation events being held?", AnswerType.DATE),
    ("from when are care leavers exempt from council tax?", AnswerType.DATE),
    ("what do young people want the council to give them when they move on from foster care?",
     AnswerType.DEFINITION),
])
def test_answer_type_of_a_question(question, kind):
    assert answer_type(question) == kind


@pytest.mark.parametrize("question, intent", [
    ("What did Cabinet decide in decision 23/00412?", Intent.DECISION),
    ("what was resolved about the consultation on the fostering offer?", Intent.DECISION),  # no record named
    ("Which options were rejected as alternatives in record of decision 23/00412?", Intent.GENERAL),
    ("who was consulted before decision 23/00412 was taken", Intent.GENERAL),
    ("did the PROD for the waste contract declare any conflicts of interest?", Intent.GENERAL),
    ("is an equality impact assesment needed for decision no. 22/00051?", Intent.GENERAL),  # a typo too
    # what only a decision gives, in other words than "decide" or "resolve"
    ("Who got delegated authority to implement the move of the service?", Intent.DECISION),
    ("Did Cabinet sign off the draft budget on 30th Jan?", Intent.DECISION),
    ("was the revised strategy ratified by the council?", Intent.DECISION),
    ("how many children were adopted in 2018?", Intent.FIGURE),
    ("what's the forecast overspend on schools' delegated budgets?", Intent.GENERAL),
    # what a meeting asked for is in its resolution; what one member asked, in the discussion
    ("did the committee ask for an update on the fostering report?", Intent.DECISION),
    ("what did members ask to come back to a later meeting?", Intent.DECISION),
    ("what did Mrs Allen ask about the fostering report?", Intent.GENERAL),
])
def test_a_question_about_another_field_of_a_record_of_decision_is_not_about_what_was_decided(question, intent):
    assert understand(question, {}).intent == intent


@pytest.mark.parametrize("text, kind, expected", [
    ("Ida Linfield be elected Vice-Chairman of this Panel.", AnswerType.PERSON, 1.0),
    ("Mrs Allen proposed the motion.", AnswerType.PERSON, 1.0),
    ("the panel noted the report.", AnswerType.PERSON, 0.0),
    ("to be held in the Council Chamber, County Hall, Maidstone, Kent", AnswerType.PERSON, 0.0),  # a place
    ("Edward Timpson was the Minister for Children.", AnswerType.PERSON, 1.0),
    ("The meeting was held at Sessions House and in the Council Chamber.", AnswerType.PERSON, 0.0),
    ("The Council secures external specialist treasury management advice from Link Group.", AnswerType.PERSON, 1.0),
    ("the service is run by Kent Community Health NHS Foundation Trust", AnswerType.PERSON, 1.0),
    ("Kent County Council agreed the plan.", AnswerType.PERSON, 0.0),
    ("The Kent and Medway Shared Delivery Plan is a key catalyst", AnswerType.PERSON, 0.0),  # "The" is no name
    ("In Kent and Medway the plan is shared", AnswerType.PERSON, 0.0),
    ("presented by Tony Doran, Head Teacher of the Virtual School", AnswerType.PERSON, 1.0),  # a name, then a comma
    ("The first meeting is on Wednesday 29 May 2019 at 10.00 am.", AnswerType.DATE, 1.0),
    ("The panel meets 6 times per year.", AnswerType.FREQUENCY, 1.0),
    ("The panel meets at County Hall.", AnswerType.FREQUENCY, 0.0),
    ("by following these key principles: - To act in the best interest", AnswerType.LIST, 1.0),
    ("anything at all", AnswerType.ANY, 0.0),
])
def test_a_sentence_holds_the_answer_type(text, kind, expected):
    assert has_answer_type(text, kind) == expected


def test_months_take_the_year_written_after_them():
    assert asked_months("how did EET change from june to november 2018?") == [(2018, 6), (2018, 11)]
    assert asked_months("april vs october 2016") == [(2016, 4), (2016, 10)]
    assert asked_months("what may 2019 bring, and what may we do?") == [(2019, 5)]  # "may" the verb is no month


def test_a_question_splits_into_its_periods_or_its_questions():
    periods = split_parts("how did the % of care leavers in EET change from june to november 2018?")
    assert [p.endswith(m) for p, m in zip(periods, ("June 2018", "November 2018"), strict=True)] == [True, True]
    assert all("june" not in p.lower().split()[:-2] for p in periods)
    years = split_parts("adoption orders granted: 2017/18 vs 2018/19?")
    assert years == ["adoption orders granted: 2017/18", "adoption orders granted: 2018/19"]
    # the words that joined the years go with them ("and then in"), each part keeps one "in"
    joined = split_parts("how many foster carers did we approve in 2019/20 and then in 2020/21?")
    assert joined == [f"how many foster carers did we approve in {year}" for year in ("2019/20", "2020/21")]
    clauses = split_parts("how often does the panel meet and who is on it?")
    assert clauses[0] == "how often does the panel meet"
    assert clauses[1].startswith("who is on it") and "panel" in clauses[1]  # the pronoun gets its topic
    assert split_parts("who did we elect as vice chair in november 2018") == []
    # a part that names nothing it asks about ("what's the reason given") is about the first part's topic
    reason = split_parts("How far under budget is home to school transport at Q3 2024-25, and what's the reason given?")
    assert reason[1].startswith("what's the reason given") and "transport" in reason[1]
    legal = split_parts("why is the 18-25 service being moved out of childrens services? whats the legal reason")
    assert "service" in legal[1]  # one word ("legal") qualifies what is asked: the topic is the first part's
    own = split_parts("how many children are in care, and what is the placement stability rate?")
    assert own[1] == "what is the placement stability rate"  # its own topic: left as it is
    # "Plus" with a capital is part of a name, not a join: the split falls at ", and how much".
    named = split_parts("How much Pupil Premium Plus did VSK spend in 2017/18, and how much came from reserves?")
    assert named[0] == "How much Pupil Premium Plus did VSK spend in 2017/18" and len(named) == 2
    assert len(split_parts("what did the panel note plus who presented it?")) == 2
    # one measure at two points, each named by its time or by the paper giving it: a part each, and the whole is of
    # neither's month
    compared = "how many care leavers did the 18+ service support in aug 2018 vs the 2019 annual report?"
    assert split_parts(compared) == ["how many care leavers did the 18+ service support in aug 2018",
                                     "how many care leavers did the 18+ service support in the 2019 annual report"]
    assert understand(compared, {}).month is None and understand(compared, {}).parts[0].month == (2018, 8)
    then = split_parts("how many care leavers had kcc as rent guarantor in summer 2018 and then by jan 2019?")
    assert then[1] == "how many care leavers had kcc as rent guarantor in jan 2019"
    assert split_parts("what did the panel resolve in July 2018 about the report?") == []
    # a part that names only its period ("and how many in 2018/19?") is about the first part's topic
    then_year = split_parts("how many adoption orders were granted in 2017/18 and how many in 2018/19?")
    assert then_year[1].startswith("how many in 2018/19") and "adoption" in then_year[1]
    # ... and one that asks nothing but of its period asks as the first part does: "how long", not any figure
    compare = split_parts("How long on average did it take from placement to adoption order in 2017/18, and how did "
                          "2018/19 compare?")
    assert compare[1].startswith("how did 2018/19 compare (how long") and "adoption" in compare[1]
    assert "long" not in then_year[1].split("(")[1] and "long" not in reason[1].split("(")[1]
    # "vs" typed is "versus", never the Virtual School's acronym
    assert "VS" not in understand(compared, {"VS": "Virtual School"}).acronyms
    # a span counted over is one period: the split falls at the second question, not at its two months
    spanned = split_parts("how many referrals did the team get between April 2018 and March 2019, and what % of "
                          "the completed cases stayed with their foster carers?")
    assert spanned[0] == "how many referrals did the team get between April 2018 and March 2019"
    assert spanned[1].startswith("what % of the completed cases") and len(spanned) == 2
    assert understand("how many children went missing from 1st April 2017 to 31 March 2018?", {}).month is None
    # a second question may open with a preposition: "and at what rate?", "and by how much?"
    rate = split_parts("how much do we owe on the PWLB loans and at what average interest rate?")
    assert rate[0] == "how much do we owe on the PWLB loans" and rate[1].startswith("at what average interest rate")
    assert split_parts("how big is the reserve and by how much did it fall?")[1].startswith("by how much did it fall")
    staff = split_parts("for the library move, roughly what does it cost, and about how many staff move with it?")
    assert len(staff) == 2 and staff[1].startswith("about how many staff move")
    assert split_parts("what did the panel agree at its meeting in march?") == []


def test_a_parts_words_carried_from_the_first_part_weigh_less_than_its_own():
    """"..., and how many care leavers was it supporting in 2019?": what the part asks (care leavers supported) weighs
    more in choosing its sentence than the first part's topic carried to it (open cases), and the first part's month is
    not carried to a part naming its own period."""
    from retrieval.words import CARRIED_WEIGHT, QuestionTerms

    query = understand("How many open cases did the 18+ service have in August 2018, and how many care leavers "
                       "was it supporting in 2019?", {})
    part = query.parts[1]
    assert part.carried_topic and "August" not in part.carried_topic and "open" in part.carried_topic
    assert query.parts[0].carried_topic == ""
    terms = QuestionTerms.of(part, lambda word: 2.0)
    assert terms.weight["open"] == 2.0 * CARRIED_WEIGHT and terms.weight["supporting"] == 2.0
    assert terms.weight["leaver"] == 2.0  # asked by the part itself, though the first part names it too
    # brackets of the question's own are no carried topic
    assert understand("what is the investment strategy (appx M) for?", {}).carried_topic == ""


def test_the_askers_framing_is_no_part_of_what_a_sentence_must_hold():
    """"Can someone explain what challenge cards are and why they matter?": the sentence saying what they are holds
    the whole question; "someone", "explain" and "matter" are how it was asked."""
    terms = QuestionTerms.of(understand("Can someone explain what challenge cards are and why they matter?", {}),
                             lambda word: 2.0)
    assert terms.coverage("The challenge Cards are a formal way of making sure that all children feel they have a "
                          "voice.") == 1.0
    assert "matter" not in terms.terms and "challenge" in terms.terms


def test_a_span_asked_is_not_answered_by_a_measure_of_another_span():
    from retrieval.answer.compose import names_other_span, spans

    asked = spans("IHAs done within 20 working days - what was the june 2018 result?")
    assert asked == {"day": {20}}
    assert names_other_span(asked, "% of IHA referrals within 5 working days of becoming looked after")
    assert not names_other_span(asked, "% of Initial Health Assessments taking place within 20 working days")
    assert not names_other_span(asked, "% of Initial Health Assessments taking place")  # no span: no clash
    # "3+ placements" and "3 or more placements" are one span; "2 years" is of another kind
    assert not names_other_span(spans("CIC with 3+ placements in 12 months"), "3 or more placements in the last year")
    assert not names_other_span(spans("placed 20+ miles from home"), "in the same placement for 2 years")


def test_a_firm_asked_for_is_answered_by_a_name_the_question_lacks():
    from retrieval.answer.compose import FIRM_ASKED, _acronyms_not_asked, _names_not_asked

    question = "Which consultancy firm is KCC paying to help deliver the Oracle Cloud programme?"
    assert FIRM_ASKED.search(question)["noun"] == "consultancy firm"
    assert not FIRM_ASKED.search("which service does the firm run?")
    # what the programme costs names no firm; a contract's holder does, in capitals or not
    lead = "The proposal for 2025-26 is to use £8m of capital receipts funding to support the Oracle Cloud project."
    assert not _names_not_asked(lead, question) and not _acronyms_not_asked(lead, question)
    asked = "which company has KCC given the new textiles recycling contract to?"
    assert _acronyms_not_asked("The contract was awarded to SAIT Recycling from April.", asked) == {"SAIT"}
    assert _names_not_asked("Post adoption support is run with Coram.", "which agency runs post adoption support?")


def test_a_run_of_financial_years_and_the_year_before_are_periods_asked():
    # the years inside a run are asked too, written as the question writes them
    assert financial_years("placement to adoption order, 2016/17 through 2018/19?") == ["2016/17", "2017/18", "2018/19"]
    assert financial_years("spend from 2023-2024 to 2025-2026") == ["2023-2024", "2024-2025", "2025-2026"]
    # two years joined by "and" or "vs" are the two compared, nothing between; a run too long is left as named
    assert financial_years("orders in 2016/17 and 2018/19") == ["2016/17", "2018/19"]
    assert financial_years("orders 2012/13 to 2018/19") == ["2012/13", "2018/19"]
    # "the year before" the only year named
    assert financial_years("days to adoption order in 2018/19, and what was it the year before?") == ["2017/18",
                                                                                                      "2018/19"]
    assert financial_years("the budget for 2024-25 and the previous year") == ["2023-24", "2024-25"]
    assert financial_years("the budget for 2024-25") == ["2024-25"]
    query = understand("average days to adoption order in 2018/19 and the year before?", {})
    assert query.parts_are_periods and len(query.parts) == 2


@pytest.mark.parametrize("question, spelt", [
    ("average cost per pupil in independent schools for 24-25?", "for 2024-25?"),
    ("what's in the 25/26 budget risk register", "the 2025/26 budget"),
    ("24-25 monitoring: what is the forecast?", "2024-25 monitoring"),
    # an age band, a school year, a run of numbers or pages, a sum: as written
    ("how many 16-17 year olds are in care?", "16-17 year olds"),
    ("children aged 16-17 in care", "aged 16-17"),
    ("pupils in Years 12-13", "Years 12-13"),
    ("the 18-25 section of the SIS", "the 18-25 section"),
    ("see pages 12-13", "pages 12-13"),
    ("ordinances 54-89", "ordinances 54-89"),
])
def test_a_financial_year_written_short_is_read_as_one(question, spelt):
    """Officers write "24-25" for 2024-25: read so, the question's period is the rows' ("2024-25")."""
    query = understand(question, {})
    assert spelt in query.text
    assert (asked_period(query.text) is not None) == spelt.startswith(("for 20", "the 20", "20"))


def test_a_measure_asked_in_two_periods_is_a_figure_question():
    query = understand("care leavers in EET: aug 2018 vs nov 2018?", {})
    assert query.parts_are_periods and query.intent == Intent.FIGURE
    assert all(part.intent == Intent.FIGURE for part in query.parts)


def test_parts_are_queries_that_keep_the_whole_questions_intent():
    query = understand("did the number of kent CIC go up between the june and nov 2018 scorecards?", {})
    assert query.parts_are_periods and [p.month for p in query.parts] == [(2018, 6), (2018, 11)]
    assert {p.intent for p in query.parts} == {query.intent}


def _chunk(text: str) -> StoredChunk:
    return StoredChunk(id="c1", document="d.pdf", title="A paper", text=text, kind=ChunkKind.NARRATIVE,
                       page_start=3, page_end=3, version="v1", header="A paper")


def test_the_paragraph_around_a_sentence_takes_what_it_leans_on_and_stays_short():
    text = ("The service has two bases. They are in West Malling and Dover. Staff work across the county. "
            "A long sentence follows that " + "goes on and on " * 30 + "to the end.")
    units = split_units(_chunk(text), 0)
    lead = units[1]  # "They are in ...": it leans on the sentence before
    block = paragraph_around(lead, units, max_words=20)
    assert [u.text for u in block][:3] == [units[0].text, units[1].text, units[2].text]
    assert units[3] not in block


def test_a_sentence_naming_the_following_levels_is_quoted_with_its_list():
    text = ("We aim to hold general reserves of between 5% and 10% of the net revenue budget, based on the following "
            "assessed levels. " + "• Below 3% considered dangerous • 3% to 5% considered too risky "
            + "Other matters follow here.")
    units = split_units(_chunk(text), 0)
    block = paragraph_around(units[0], units, max_words=20)
    assert "Below 3% considered dangerous" in " ".join(u.text for u in block)
    plain = split_units(_chunk(text.replace("based on the following assessed levels", "as assessed")), 0)
    assert len(paragraph_around(plain[0], plain, max_words=20)) == 1


def test_the_sentence_before_opens_the_paragraph_when_it_answers_nearly_as_well():
    text = ("On 29th May 2019 we held our first Takeover Day. The day was run by our young people. "
            "Staff supported them. Lunch was served.")
    units = split_units(_chunk(text), 0)
    lead = units[1]
    lead.score, units[0].score = 0.9, 0.2
    assert paragraph_around(lead, units)[0] is lead  # a weak sentence before stays out
    units[0].score = 0.85
    assert paragraph_around(lead, units)[0] is units[0]


def test_a_run_on_extraction_is_cut_back_to_its_last_sentence_end():
    run_on = ("Julianne Bayford and Justin Dumigan have joined the Panel as Foster Carer representatives. "
              "2 Apologies and substitutes 3 Election of Vice-Chairman " + "item heading words " * 40)
    unit = split_units(_chunk(run_on), 0)[0]
    assert len(unit.text.split()) > SENTENCE_WORDS  # the cut did not end the sentence
    cut = within_length(unit)
    assert cut is not None and cut.text.endswith("Foster Carer representatives.")
    assert cut.chunk is unit.chunk and cut.page == unit.page
    endless = split_units(_chunk("words without a stop " * 40), 0)[0]
    assert within_length(endless) is None
    short = split_units(_chunk("The panel meets six times a year."), 0)[0]
    assert within_length(short) is short


def test_fragments_are_not_answers():
    assert is_fragment("4.1 Appendix 1 - Virtual School Kent Overview Report")
    assert is_fragment("four significant ones being:")
    assert not is_fragment("The panel meets six times a year at County Hall in Maidstone.")
    # a report's heading, in title case and with no stop, where a sentence would be
    assert is_fragment("Children in Care Pupil Premium Grant (PP+) Pupil Premium Plus 2017/18: Overview")
    assert not is_fragment("The Virtual School Head Teacher continues to retain responsibility for the Grant")
    # a report's list of the papers behind it
    assert is_fragment("Background Documents 1 KCC’s Budget webpage 2 KCC’s Corporate Risk Register (Governance and "
                       "Audit Committee 16th May 2024) 3 KCC’s Risk Management Strategy")
    assert not is_fragment("The background documents to the report were published on the council's website.")
    # a numbered heading: its section number is no figure of it
    assert is_fragment("1.1 The KCC Integrated Care Strategy (ICS) Delivery Plan")
    assert not is_fragment("4.2 Alternatively, the possibility of a matrix management approach was considered")
    # a table's column headings read across the columns, line by line (Cabinet's savings appendix)
    headings = ("Appendix 2 - Savings £000s Forecast Forecast against against Forecast alternative alternative "
                "2024-25 against original saving saving (one- To be achieved Saving Savings Target")
    assert is_fragment(headings)
    # ... but a flattened table that holds its figures is kept, as is a sentence that says a word twice once
    assert not is_fragment("Financing costs Actual Actual Estimate Estimate as a % of net revenue 8.17% 6.95%")
    assert not is_fragment("The Chair said that that report would come back to the panel in the spring.")


def test_the_refusal_model_learns_which_evidence_answers():
    def evidence(strength: float) -> Evidence:
        return Evidence(dense_best=0.3 + 0.4 * strength, dense_margin=0.1, lexical_best=strength,
                        coverage_best=strength, meaning_best=strength, meaning_answer=strength,
                        coverage_answer=strength, type_match=0.5,
                        unseen=1 - strength, period_found=1.0)

    rows = [evidence(s / 10) for s in range(11)]
    labels = [int(s >= 5) for s in range(11)]
    model = RefusalModel.fit(rows, labels)
    assert model.confidence(evidence(0.9)) > 0.7 > 0.3 > model.confidence(evidence(0.1))


def test_the_shipped_refusal_model_was_fitted_on_these_features():
    data = json.loads(MODEL_FILE.read_text())
    assert data["features"] == FEATURES and "dev split" in data["note"]
    assert RefusalModel.load().weights == data["weights"]


def test_a_list_is_quoted_to_its_last_item_in_order():
    from retrieval.answer.compose import list_lines

    lines = ["1. Agree to submit a request to Government", "for Kent to be included", "2. Note that acceptance",
             "3. Agree to request a postponement", "6. Following the debate, the Leader proposed", "1. Agree again"]
    assert list_lines(lines, 200) == lines[:4]
    lettered = ["(a) note the report;", "(b) ask for an update", "in six months;", "(d) something else"]
    assert list_lines(lettered, 200) == lettered[:3]
    assert list_lines(["- one point", "- another point", "(1) a numbered paragraph"], 200) == ["- one point",
                                                                                                  "- another point"]
    long = [f"{n}. " + "word " * 30 for n in range(1, 9)]
    assert len(list_lines(long, 70)) == 2  # the length limit ends a long list


def test_a_term_the_question_quotes_is_read_as_the_term_asked_about():
    from retrieval.answer.compose import QUOTED

    assert QUOTED.findall("what does 'connected person' foster carer mean? it's in the fostering numbers") == [
        "connected person"]
    assert QUOTED.findall("what's the ‘no bin bags’ thing?") == ["no bin bags"]
    assert QUOTED.findall('is "staying put" still offered') == ["staying put"]
    assert QUOTED.findall("the council's children's homes and the young people's council") == []  # apostrophes


def test_a_full_date_in_a_question_is_kept_to_the_day():
    assert understand("who introduced the report at the panel on 1 November 2018?", {}).day == 20181101
    assert understand("what happened at the meeting of 23/10/2015", {}).day == 20151023
    assert understand("how many children were in care in November 2018?", {}).day is None


@pytest.mark.parametrize("question, intent", [
    ("who presented the performance scorecard at the last meeting?", Intent.GENERAL),
    ("when will the next quarterly performance report come to the panel?", Intent.GENERAL),
    ("what % of care leavers were in education, employment or training in Nov 2018?", Intent.FIGURE),
])
def test_a_question_naming_a_figures_paper_but_asking_who_or_when_is_not_a_figure_question(question, intent):
    assert understand(question, {}).intent == intent


@pytest.mark.parametrize("question, intent", [
    ("care leavers in suitable accommodation, nov 2018?", Intent.FIGURE),
    ("total cash balances held by the council at end of Nov 2024", Intent.FIGURE),
    ("initial health assessments - Q2 2015/16?", Intent.FIGURE),
    ("care leavers in suitable accommodation?", Intent.GENERAL),  # no period: no more than its words
    ("who chaired the panel in nov 2018?", Intent.GENERAL),
    ("Lifelong Links, what was decided in 2018", Intent.DECISION),
])
def test_an_officers_shorthand_naming_a_measure_and_a_period_asks_its_figure(question, intent):
    assert understand(question, {}).intent == intent


def test_a_list_of_clauses_one_a_line_ending_in_semicolons_is_cut_at_each():
    text = ("(2) In relation to unaccompanied asylum seeking children (UASC) he said:\nThere had been a slight "
            "reduction in the number of children arriving;\nThere were now 963 UASC being looked after (having "
            "increased from 386\nin March 2015);\nThe impact had been considerable. Foster care agencies; not a cut.")
    cut = [piece for _, piece in sentences(text, ChunkKind.NARRATIVE)]
    assert "There were now 963 UASC being looked after (having increased from 386 in March 2015);" in cut
    assert cut[-1] == "Foster care agencies; not a cut."  # a semicolon inside a line does not end a sentence
    assert all(text.replace("\n", " ")[offset:].startswith(piece[:10]) for offset, piece in
               sentences(text, ChunkKind.NARRATIVE))


def test_a_bulleted_list_of_semicolon_items_stays_one_sentence():
    text = "by following these key principles:\n• to act in the best interest;\n• to express their views;\n• to help."
    assert len(sentences(text, ChunkKind.NARRATIVE)) == 1


def test_a_figures_own_sentence_may_date_it_by_the_day_a_passage_only_by_the_month():
    query = understand("how many care leavers were supported in August 2018?", {})
    table = "Total number of young people supported as at 17/08/18 UASC Citizen Total 884 645 1529"
    assert not _names_month(query, table)  # a passing day says nothing of what a passage is about
    assert _names_month(query, table, as_date=True) and _names_month(query, "in August 2018 the service had")
    assert not _names_month(query, "as at 17/09/18", as_date=True)
    assert not _names_month(query, "as at 17/08/19", as_date=True)


def test_a_minutes_sentence_is_dated_by_its_minutes_title():
    from retrieval.answer.compose import _titled
    from retrieval.answer.units import split_units

    query = understand("what was the average caseload for fostering social workers in August 2015?", {})
    chunk = _chunk("(3) He said that the average caseload for fostering social workers was 18.8.")
    unit = split_units(chunk, 0)[0]
    assert not _names_month(query, _titled(unit), as_date=True)
    chunk.minute_title = "Performance Management Scorecards, August 2015"
    assert _names_month(query, _titled(split_units(chunk, 0)[0]), as_date=True)


def test_a_question_in_parts_wants_what_its_first_part_asks_and_a_date_if_it_asks_when():
    from retrieval.answer.compose import Composer

    lead = [("It was RESOLVED that the draft budget be endorsed and recommended to County Council.", [])]
    missing = Composer._missing_type
    assert missing(understand("What did Cabinet resolve on the draft budget, and where does it go next?", {}), lead) \
        is None
    assert missing(understand("what was resolved on the draft budget and when did it start?", {}), lead) \
        == AnswerType.DATE
    assert missing(understand("where is the draft budget kept?", {}), lead) == AnswerType.PLACE


def test_a_quoted_row_says_a_cell_that_repeats_its_header_once():
    from retrieval.answer.guard import cells_once

    row = "Efficiency; ASCH: ASCH; Dan Watkins: Dan Watkins; Adult social care: Adult Social Care; -14,526.6: 280.0"
    assert cells_once(row) == "Efficiency; ASCH; Dan Watkins; Adult social care: Adult Social Care; -14,526.6: 280.0"
    assert cells_once("High Needs Block; 2025-26 £m: 345.5") == "High Needs Block; 2025-26 £m: 345.5"


def test_a_wide_table_row_is_quoted_by_its_label_its_short_cells_and_the_sums_its_prose_states():
    from retrieval.answer.compose import within_length

    prose = "The Dedicated Schools Grant does not meet the cost of demand for placements in schools. " * 6
    row = (f"CYPE; Risk Title: High Needs Spending; Source/Cause of Risk: {prose}; Risk Event: {prose} Each 1% is "
           f"estimated to cost £14m.; Current Likelihood (1-5): 4; Estimated Lifetime Financial Exposure: 165.0")
    table = StoredChunk(id="t1", document="d.pdf", title="Risk Register", text=row, kind=ChunkKind.TABLE,
                        page_start=1, page_end=1, version="v1", header="Risk Register")
    quoted = within_length(split_units(table, 0)[0])
    assert quoted.text == ("CYPE; Risk Title: High Needs Spending; Each 1% is estimated to cost £14m.; "
                           "Current Likelihood (1-5): 4; Estimated Lifetime Financial Exposure: 165.0")
    # prose of the same length is still cut at a sentence end
    said = within_length(split_units(replace(table, kind=ChunkKind.NARRATIVE), 0)[0])
    assert said is None or "165.0" not in said.text


def test_a_lead_that_answers_a_later_part_leaves_the_first_parts_date_to_a_line_below():
    from retrieval.answer.compose import Composer

    asked = understand("When did the budget consultation run, and how many people responded to it?", {})
    counted = ("In total, 2,389 people responded to the questionnaire.", [])
    dated = ("The budget consultation ran from 13th June to 7th August 2024.", [])
    assert Composer._missing_type(asked, [counted, dated]) is None
    assert Composer._missing_type(asked, [counted]) == AnswerType.DATE  # no date anywhere: still wanted
    # a lead that answers no part of its own kind does not hand the date to a line below
    named = understand("what's the regional adoption agency called and when did it go live?", {})
    assert Composer._missing_type(named, [("Kent is developing a Regional Adoption Agency model.", []),
                                          ("The panel met on 19 September 2018.", [])]) == AnswerType.DATE


def test_a_share_or_rate_asked_is_not_answered_by_a_sentence_stating_none():
    from retrieval.answer.compose import Composer

    rate = understand("What interest rate is KCC charging Visit Kent on its loan?", {})
    loan = [("During 2020-21 KCC gave a loan to Visit Kent and the balance as at 31.03.24 was £0.15m.", [])]
    assert Composer._missing_type(rate, loan) == AnswerType.NUMBER
    assert Composer._missing_type(rate, [("The loan bears interest at 4.5% a year.", [])]) is None
    # a percentage the question states asks for none
    band = understand("If the proposed 4.99% increase goes through, how much will a band D household pay?", {})
    assert Composer._missing_type(band, [("The band D charge will be £1,704.33 in 2025-26.", [])]) is None


def test_a_sum_aimed_at_does_not_say_how_much_was_raised():
    from retrieval.answer.compose import Composer

    lead = [("Members were asked to help get the Christmas Campaign to the target of £25,000.", [])]
    raised = understand("how much has the christmas campaign actually raised so far?", {})
    assert Composer._missing_type(raised, lead) == AnswerType.NUMBER
    target = understand("how much is the christmas campaign's target?", {})
    assert Composer._missing_type(target, lead) is None
    said = [("The campaign raised £18,240 by the end of December.", [])]
    assert Composer._missing_type(raised, said) is None
    cost = understand("what did the takeover day cost the council?", {})  # "what did ... cost": a sum of money
    assert Composer._missing_type(cost, [("The takeover day was held on 29 May 2019.", [])]) == AnswerType.NUMBER


def test_a_row_of_a_table_of_sums_says_how_much_without_a_pound_sign():
    from retrieval.answer.compose import Composer

    cost = understand("What is the estimated total cost of the Bluebell Hill interchange upgrade?", {})
    row = ("GET; Potential Forthcoming Projects: A229 Bluebell Hill Interchange Upgrades; Total Cost of Scheme: "
           "243,017; 2025-26: 1,500")
    table = StoredChunk(id="t1", document="d.pdf", title="Potential Capital Projects", text=row,
                        kind=ChunkKind.TABLE, page_start=1, page_end=1, version="v1", header="Capital Projects")
    as_row = [(row, split_units(table, 0))]
    assert Composer._missing_type(cost, as_row) is None  # its column names a sum of money
    # the same words as prose, or a row of counts, say no sum
    assert Composer._missing_type(cost, [(row, split_units(replace(table, kind=ChunkKind.NARRATIVE), 0))]) \
        == AnswerType.NUMBER
    pupils = "Independent Schools; 2023-24: 1,620; 2024-25: 1,623"
    assert Composer._missing_type(cost, [(pupils, split_units(replace(table, text=pupils), 0))]) == AnswerType.NUMBER
    # ... unless the table says its figures are in pounds
    priced = replace(table, text="All figures in £000s\n" + pupils)
    assert Composer._missing_type(cost, [(pupils, split_units(priced, 0)[1:])]) is None


@pytest.mark.parametrize(("text", "number", "count"), [
    ("The influx of UASC in 2015 had a significant impact on the number of looked after children", 0.0, 0.0),
    ("The 2017/18 figure is in the appendix", 0.0, 0.0),
    ("2.4 The level of the general reserve is a matter for the Council to determine.", 0.0, 0.0),  # its paragraph
    ("2.4 The Council aims to hold general reserves of between 5% and 10%.", 1.0, 0.0),
    ("Between November 2017 and October 2018, 85% of looked after children had no missing episodes", 1.0, 0.0),
    ("a rate of 45 per cent", 1.0, 0.0),
    ("45 per cent of 1,200 children", 1.0, 1.0),
    ("There were 2,470 children waiting to be placed on 31st March 2017", 1.0, 1.0),
    ("the number reduced from 380 to 367", 1.0, 1.0),
    ("Eight KPIs did not meet the floor standard (Red).", 1.0, 1.0),
    ("there were twenty young people from Kent who were sentenced to custody", 1.0, 1.0),
    ("Eleven of the twenty were Kent Looked After Children.", 1.0, 1.0),
    ("one of the reports was deferred", 0.0, 0.0),
    ("deposit and agent fees paid plus £2000 towards setting up home", 1.0, 1.0),  # a sum, not a year
    # a place in a list or a series, or an age, is no figure either
    ("Recommendation 13: KCC should explore apprenticeships (see Appendix 2, Table 3.1)", 0.0, 0.0),
    ("In 2016/17, Kent was joint 5th of all authorities in England", 0.0, 0.0),
    ("a new 18+ Employment officer works with NEET over 18year olds aged 19", 0.0, 0.0),
    ("18 young people were placed", 1.0, 1.0),
    ("interviews with members of staff. 3 Responses to online questionnaires", 0.0, 0.0),  # a list's item number
])
def test_a_year_or_a_day_is_no_figure_and_a_percentage_no_count(text, number, count):
    """A sentence dated by a year or a day states no figure; for "how many", a percentage is no count; a sum of
    money that looks like a year is a figure."""
    assert has_answer_type(text, AnswerType.NUMBER) == number
    assert has_answer_type(text, AnswerType.NUMBER, count=True) == count


def test_a_figure_the_question_states_is_taken_out_before_looking_for_one():
    """"Of the 1,600 care leavers, how many are aged 21 to 25?" is not answered by a sentence about the 1,600."""
    from retrieval.answer.compose import ASKED_NUMBER, without_numbers

    question = "of the 1,600 or so care leavers, how many are aged 21-25? and how much of the £500k went on it?"
    asked = ASKED_NUMBER.findall(question)
    assert set(asked) == {"1,600", "21", "25", "500"}
    left = without_numbers("Kent supports 1,600 care leavers with £500k; 16,000 in all, 1.600 kg", asked)
    assert not has_answer_type(without_numbers("Kent supports 1,600 care leavers with £500k", asked),
                               AnswerType.NUMBER)
    assert "16,000" in left and "1.600" in left  # a longer number that holds an asked one stays


def test_a_number_the_question_states_earns_a_sentence_no_figure_bonus():
    """"How much budget moves with the service's 500 staff?": a sentence whose only number is the 500 the question
    states holds no figure, so it does not outscore the sentence that states the sum."""
    from types import SimpleNamespace

    from retrieval.answer.compose import ASKED_NUMBER, selection_score

    asked = ASKED_NUMBER.findall("how much budget moves with the service's 500 staff?")
    named = SimpleNamespace(text="The service's 500 staff will transfer to the adult directorate.", coverage=0.5,
                            context=0.0, meaning=0.5, rank=0)
    summed = SimpleNamespace(text="The budget to be transferred will be approximately £59m.", coverage=0.5,
                             context=0.0, meaning=0.5, rank=0)
    assert selection_score(named, AnswerType.NUMBER) == selection_score(summed, AnswerType.NUMBER)
    assert selection_score(named, AnswerType.NUMBER, asked=asked) < selection_score(summed, AnswerType.NUMBER,
                                                                                      asked=asked)
    # (a run of ages, "the 18-25 service", is no figure whether asked or not)
    ages = SimpleNamespace(text="The 18-25 service will transfer to the adult directorate.", coverage=0.5,
                           context=0.0, meaning=0.5, rank=0)
    assert selection_score(ages, AnswerType.NUMBER) < selection_score(summed, AnswerType.NUMBER)


def test_a_question_asking_for_a_share_gives_the_figure_bonus_to_a_percentage_only():
    """"... and what % of the revenue budget is that?": the sentence stating 1.6% holds what is asked, not the one
    stating the overspend's sum again."""
    from types import SimpleNamespace

    from retrieval.answer.compose import PERCENT_ASKED, selection_score

    assert PERCENT_ASKED.search("and what % of the revenue budget is that?")
    assert PERCENT_ASKED.search("what percentage of care leavers are in EET?")
    assert not PERCENT_ASKED.search("how much is the forecast overspend?")
    summed = SimpleNamespace(text="a revenue overspend of +£23.3m and a capital underspend of -£111.6m",
                             coverage=0.5, context=0.0, meaning=0.5, rank=0)
    shared = SimpleNamespace(text="The forecast outturn of +£23.3m represents 1.6% of the revenue budget.",
                             coverage=0.5, context=0.0, meaning=0.5, rank=0)
    assert selection_score(summed, AnswerType.NUMBER) == selection_score(shared, AnswerType.NUMBER)
    assert selection_score(summed, AnswerType.NUMBER, share=True) < selection_score(shared, AnswerType.NUMBER,
                                                                                     share=True)


@pytest.mark.parametrize(("question", "title", "named"), [
    ("new cllr here - what is the Reserves Policy (appendix G of the budget papers) actually for?",
     "Appendix I Reserves Policy", True),
    ("whats the investment strategy (appx M) meant to cover?", "Investment Strategy", True),
    ("What is the Kent Commissioning Plan (KCP) for education provision meant to do?",
     "24-00096 - Commissioning Plan for Education Provision in Kent 2025-29 - Report", True),
    ("what is the treasury management strategy for?", "Investment Strategy", False),  # one word of two
    ("what are my duties as a corporate parent?", "Corporate Parenting Panel annual report 2020", False),
    ("what is the cabinet report for?", "Cabinet Report", False),  # words any paper's title holds
])
def test_a_question_names_a_paper_by_most_of_its_titles_own_words(question, title, named):
    """"What is the Reserves Policy for?": the opening pages of the paper so titled are nudged up the search."""
    from retrieval.hybrid import names_paper

    assert names_paper(question, title) is named


@pytest.mark.parametrize(("text", "cut"), [
    ("The budget to be transferred will include the 25-26 budget agreed as part of the Budget at", True),
    ("RESOLVED that Cabinet note the provisional settlement including the additional grants; and agree to delegate "
     "finalising any response to the settlement to the Corporate Director", True),  # a long one, on a title
    ("Please refer to Section 6", False),  # a label ends on a number
    ("Financial Implications", False),  # a heading on a capital
    ("Report of the Director of Children's Services", False),  # a short title
])
def test_a_sentence_cut_by_its_passages_end(text, cut):
    from retrieval.answer.compose import SENTENCE_CUT

    assert bool(SENTENCE_CUT.search(text)) == cut


def test_in_consultation_with_whom_asks_a_delegation_not_the_forms_consultation_field():
    from retrieval.query import asks_record_field

    assert asks_record_field("what consultation was there on decision 24/00115?")
    assert asks_record_field("which cabinet committee considered decision 24/00115?")
    assert not asks_record_field("under decision 24/00115, who may revise the plan, and in consultation with whom?")


def test_a_row_that_leaves_out_what_is_asked_does_not_answer_it():
    from retrieval.answer.compose import LEAVES_OUT, _leaves_out_asked
    from retrieval.words import WordSet, tokenize

    def leaves_out(indicator: str, question: str) -> bool:
        left_out = {word.lower() for word in LEAVES_OUT.findall(question)}
        return _leaves_out_asked(indicator, WordSet(tokenize(question)), set(), left_out)

    assert leaves_out("CIC Per 10,000 population aged under 18 (exc UASC)", "how many UASC were looked after?")
    assert leaves_out("Spend excluding Schools", "what did schools spend?")
    assert not leaves_out("CIC Per 10,000 population aged under 18 (exc UASC)", "how many children in care per 10,000?")
    assert not leaves_out("CIC placed 20+ miles from home (exc UASC)", "how many CIC placed 20+ miles away, exc UASC?")
    assert not leaves_out("% of Care Leavers in touch (inc UASC)", "how many UASC care leavers are we in touch with?")



def test_an_everyday_word_typed_in_lower_case_is_no_acronym():
    """"GET" is the Growth, Environment & Transport directorate; "did the consultation get" asks nothing of it."""
    glossary = {"GET": "Growth, Environment & Transport", "CIC": "Children in Care"}
    assert "GET" not in understand("how many responses did the budget consultation get?", glossary).acronyms
    assert "GET" in understand("what is the GET forecast overspend?", glossary).acronyms
    assert "CIC" in understand("how many cic in november 2018?", glossary).acronyms


def test_a_sentence_of_another_years_meeting_stating_another_years_figure_is_of_another_year():
    """"How many UASC were looked after in October 2015?": "so far in 2018 there had been 123 new arrivals", minuted
    in 2018, is of another year; a 2015 meeting's "963 UASC ... (from 386 in March 2015)" is not, nor a sentence of
    no year, nor any sentence for a question of parts (the year is one part's)."""
    from dataclasses import replace as with_fields

    from retrieval.answer.compose import of_another_year

    query = understand("how many unaccompanied asylum seeking children were looked after in October 2015?", {})
    of_2018 = with_fields(_chunk("So far in 2018 there had been 123 new arrivals."), meeting_date="2018-11-01")
    of_2015 = with_fields(_chunk("There were now 963 UASC being looked after (from 386 in March 2015)."),
                          meeting_date="2015-10-23")
    undated = with_fields(_chunk("There were 241 UASC looked after."), meeting_date="2018-11-01")
    assert [of_another_year(query, split_units(c, 0)[0]) for c in (of_2018, of_2015, undated)] == [True, False, False]
    parts = understand("how many UASC were looked after in October 2015, and who reported it?", {})
    assert parts.parts and not of_another_year(parts, split_units(of_2018, 0)[0])


def test_an_acronym_the_question_writes_is_one_term_held_by_it_or_by_its_whole_spelling_out():
    """A passage writing "CYPE" and one spelling it out hold the question's "CYPE" alike; the spelling's words are
    not terms besides it, so the passage spelling it out does not hold four terms more."""
    glossary = {"CYPE": "Children Young People and Education", "ASCH": "Adult Social Care and Health"}
    query = understand("how much budget moves from CYPE to ASCH with the transfer?", glossary)
    terms = QuestionTerms.of(query, lambda word: 1.0)
    assert "children" not in terms.terms and "cype" in terms.terms
    written = terms.coverage("The budget to be transferred from CYPE to ASCH is £59m.")
    spelt = terms.coverage("Children Young People and Education and Adult Social Care and Health services transfer")
    assert written > spelt
    assert terms.coverage("from Children Young People and Education to Adult Social Care and Health") == \
        terms.coverage("from CYPE to ASCH")
    # words the question writes itself stay terms
    asked_in_full = understand("how much moves to Adult Social Care and Health?", glossary)
    assert "adult" in QuestionTerms.of(asked_in_full, lambda word: 1.0).terms


def test_bm25_reads_an_acronym_the_question_writes_as_written_and_spelt_out_apart():
    """The question's text for BM25, once with the acronyms as written and once spelt out (a passage scores the
    better): searched with both at once, "CYPE" counted twice (as written and in its expansion) and the spelling's
    words besides, so a passage holding both forms outscored one answering in either."""
    from retrieval.hybrid import acronym_renderings

    glossary = {"CYPE": "Children Young People and Education", "ASCH": "Adult Social Care and Health"}
    query = understand("how much budget moves from CYPE to ASCH with the transfer?", glossary)
    plain, spelt = acronym_renderings(query)
    assert "CYPE" in plain and "ASCH" in plain and "Children Young People" not in plain
    assert "CYPE" not in spelt and "Children Young People and Education" in spelt and "budget" in spelt
    unabbreviated = understand("how much is the budget?", glossary)
    assert acronym_renderings(unabbreviated) == (unabbreviated.expanded,)


def test_a_run_of_years_or_ages_is_no_figure_and_an_asked_number_is_not_cut_out_of_one():
    from retrieval.answer.compose import without_numbers

    assert not has_answer_type("The budget will include the 25-26 budget for 18-25 services.", AnswerType.NUMBER)
    assert has_answer_type("It will be approximately £59m.", AnswerType.NUMBER)
    assert has_answer_type("In 2024-25 it was 45.", AnswerType.NUMBER)
    # "18" and "25", asked ("the 18-25 SIS"), leave the year "25-26" whole: no "-26" is left to read as a figure
    assert "25-26" in without_numbers("the 25-26 budget for 18-25 services", ["18", "25"])
    assert "25" not in without_numbers("there were 25 of them", ["25"])


def test_the_paragraph_runs_on_to_the_sentence_holding_what_is_asked():
    text = ("The budget for the service will transfer to the adult directorate. The budget to be transferred will "
            "include the budgets for both placements and related staffing costs agreed at County Council. "
            "The indicative total budget to be transferred will be approximately £59m in all. Other matters follow.")
    units = split_units(_chunk(text), 0)

    def answers(unit):
        return bool(has_answer_type(unit.text, AnswerType.NUMBER))

    assert len(paragraph_around(units[0], units, max_words=25)) == 1
    block = paragraph_around(units[0], units, max_words=25, answers=answers)
    assert [u.text for u in block] == [u.text for u in units[:3]]  # up to the figure, and no further


@pytest.mark.parametrize(("question", "term"), [
    ("what is VSK and what's its job?", "VSK"), ("What is the virtual school? is it a building?", "virtual school"),
    ("Can someone explain what 'Foster to Adopt' means?", "Foster to Adopt"),
    ("whats the investment strategy (appx M) meant to cover?", "investment strategy"),
    ("what does the 18+ service do?", "18+ service"), ("what did the panel resolve on 3 May?", None),
    ("what is it for?", None)])
def test_the_term_a_what_is_question_asks_about(question, term):
    from retrieval.terms import term_asked
    assert term_asked(question) == term


@pytest.mark.parametrize(("text", "expected"), [
    ("The Virtual School Kent acts as the Council's champion to promote the progress of its children.", True),
    ("The Local Offer (LO) is the information the council publishes on support for families.", True),
    ("The work of the Virtual School falls into three categories.", False),
    ("The Virtual School is looking to increase its digital footprint.", False),
    ("Our Virtual School Kent ensures our children receive high-quality education.", False),
    # the name in quotes, and what it is used for or about
    ("’Virtual School’ is used for every child in care of school age, wherever they live.", True),
    ("The local offer is about the support that families of children with SEND can expect.", True),
    ("Pupils of the Virtual School are used to moving schools more often than others.", False)])
def test_a_sentence_defines_the_term_it_has_as_subject(text, expected):
    from retrieval.terms import defines
    assert defines(["virtual school", "local offer"], text) is expected


def test_the_glossary_is_the_same_in_every_process():
    """Where the papers spell an acronym out two ways as often ("ICS": Integrated Care System / Strategy), every
    process picks the same one: the one met first. A choice that followed Python's hash seed (a set's order) gave
    one question two answers on two days."""
    import os
    import subprocess
    import sys

    script = ("import json; from retrieval.glossary import build_glossary; "
              "letters = 'BDFGHJKLMNPRTVWXYZ'; "
              "texts = [f'The {c}ortland Care Strategy ({c}CS) met.' for c in letters]; "
              "texts += [f'The {c}ortland Care System ({c}CS) met.' for c in letters]; "
              "print(json.dumps({k: v for k, v in build_glossary(texts).items() if k.endswith('CS')}))")
    made = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in (1, 2, 3)}
    assert len(made) == 1, made
    assert json.loads(made.pop())["BCS"] == "Bortland Care Strategy"  # the first met


def test_who_a_contract_was_given_to_is_answered_by_the_firm_it_is_with():
    """"Who has the council given the contract to?" asks for whoever receives it, a firm as often as a person: a
    sentence naming the contract's other party answers, one that names none does not."""
    from retrieval.answer.selection import names_doer

    asked = "who did the council award the school meals contract to, and for how long?"
    assert names_doer(asked, "The council has signed a new three-year school meals contract with Brakes Catering Ltd.")
    assert names_doer(asked, "The school meals contract was awarded to Caterlink Limited in June.")
    assert not names_doer(asked, "The school meals contract will be reviewed at the end of the year.")


def test_years_named_in_two_questions_split_the_questions_not_the_years():
    """"the total for 2025-26, and how much is it up on 2024-25?" asks two things, each of its own year: the parts
    are the two questions (split by the years, each part was a garbled mix of both)."""
    from retrieval.query import period_parts

    asked = "What is the total grant for 2030-31, and by how much has the schools block gone up on 2029-30?"
    assert period_parts(asked) == []
    assert split_parts(asked) == ["What is the total grant for 2030-31",
                                  "by how much has the schools block gone up on 2029-30"]
    leaning = split_parts("what was the spend in 2030/31, and what was it in 2031/32?")
    assert leaning[1].startswith("what was it in 2031/32") and "2030" not in leaning[1]  # its own year only
    assert understand(asked, {}).intent == Intent.FIGURE  # a measure in two years, as before
    # the years of one question still split it by year, as does a second "question" too short to stand alone
    assert len(period_parts("how many foster carers did we approve in 2030/31 and then in 2031/32?")) == 2
    assert len(period_parts("what is the budget for 2030-31, and what for 2031-32?")) == 2


def test_an_also_line_that_only_runs_on_around_a_sentence_said_above_is_shown_once():
    """Two passages overlap, and a list's lines run into the sentence after them: the "Also:" line holding the lead's
    sentence inside more text is not shown again; a line of its own is."""
    from retrieval.answer.compose import _without_repeats

    lead = "- 314 cases open to the team 18+ Care Leavers Service Kent Care Leavers 18+ service is based in Dover."
    lines = [(lead, []),
             ("Also: - 285 requests for assessment were received - 90 training days were held " + lead, []),
             ("Also: The service includes Personal Advisers who support care leavers until they are 25.", []),
             ("Also: Short.", [])]
    assert [text for text, _ in _without_repeats(lines)] == [lead, lines[2][0], lines[3][0]]
    assert _without_repeats(lines[:1]) == lines[:1]


def test_a_place_is_named_in_words_other_than_the_questions():
    from retrieval.terms import says_where

    question = "where is the 'Growing up in Care' conference in November being held?"
    assert says_where("The conference will be held at Oakwood House, Maidstone.", question)
    assert says_where("The service is based in West Malling and Dover.", question)
    assert not says_where("A conference in November 2019 delivered by young people on Growing up in Care.", question)
    assert not says_where("The service provides all duties, as prescribed in the Children's Act 2000.", question)
    # "where" asks only as a question word
    assert answer_type("when and where is the first meeting of 2019/20?") != AnswerType.PLACE  # (when leads)
    assert answer_type("where do most of those children end up?") == AnswerType.PLACE
    assert answer_type("what was agreed about the paper on where children in care are housed?") != AnswerType.PLACE
