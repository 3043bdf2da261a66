"""The extractive answer: the papers' own sentences, decisions and scorecard rows, each followed by its
citation. Nothing is generated, so nothing can be invented; the refusal model (``refusal``) decides
whether the evidence is good enough, and ``guard`` numbers the citations and checks the figures.

Three shapes, by what the question asks (``retrieval.query.Intent``): a decision question lists each
decision with its committee, meeting, minute and title; a figure question gives the scorecard row's
value, period, target and previous value with the same indicator's trend across the scorecards (each
asked period's row); any other question leads with the best sentence (scored by words, meaning, rank and
answer type), then quotes the paragraph it stands in, then adds nearly-as-good sentences of other pages.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Callable
from dataclasses import replace
from functools import partial

import numpy as np

from core.dates import (
    CALENDAR_NAMES,
    DATE_WORD,
    find_dates,
    find_month,
    from_key,
    human_date,
    month_label,
    month_number,
)
from core.parts import split_parts
from core.periods import financial_years_named, month_within, names_month, names_period, within_period
from core.records import ChunkKind, StoredChunk, StoredScorecardRow
from core.sentences import overlap_start, sentences
from core.settings import AnswerSettings
from retrieval.answer.citations import REFUSAL, Answer, Unit
from retrieval.answer.figures import FigureSeries, asked_period, of_period, period_text, period_words
from retrieval.answer.figures import same_indicator as same_indicator
from retrieval.answer.guard import finish, refuse
from retrieval.answer.refusal import Evidence, RefusalModel, squash
from retrieval.answer.selection import (
    FULL_NAME,
    LABEL_NUMBER,
    MINUTE_PREFIX,
    ORGANISATION,
    PERCENTAGE,
    PERSONS_REASON_ASKED,
    TITLE_NAME,
    YEAR_OR_DAY,
    has_answer_type,
    names_doer,
    without_headings,
)
from retrieval.answer.units import numbers_in, row_unit, split_units
from retrieval.committees import body_name_patterns, names_body, own_words, word_or_plural
from retrieval.glossary import spell_out
from retrieval.hybrid import Candidate, HybridSearcher, SearchState, digest, similarities
from retrieval.meetings import names_meeting_month
from retrieval.query import DATE_RANGE, NAME_ASKED, AnswerType, Intent, Query
from retrieval.terms import defines, says_where, term_asked
from retrieval.words import QuestionTerms, WordSet, holds, tokenize

Lines = list[tuple[str, list[Unit]]]
# A capitalised name a question narrows to: a place or body after "in / for / at / from" ("... in East Kent?",
# "for Swale children"), or one word owning what is asked ("Devon's scheme"), not a person's ("Tony Doran's report")
NAME = r"[A-Z][a-z]+(?:[ -](?:of |upon |on )?[A-Z][a-z]+)*"
PLACED_NAME = re.compile(rf"\b(?:in|for|at|from|within|across)\s+(?:the\s+)?({NAME})\b")
# (a part of a county wherever the question names it: "what % of West Kent children ...")
REGION_NAME = re.compile(r"\b((?:North|South|East|West|Mid)(?:[ -](?:East|West))?[ -](?!East\b|West\b)[A-Z][a-z]+)\b")
OWNER_NAME = re.compile(r"(?:^|[^\w\s]\s*|\b(?!(?:[A-Z][a-z]*)\b)\w+\s+)([A-Z][a-z]+)['’]s\b")
# "who is the Youth Justice apprentice ...?", "who are Kent's independent chairs of ...": the role's noun
# (the role a lower-case noun after up to three words, not an acronym: "the childrens minister KCC wrote to" asks none)
ROLE_NOUN_ASKED = re.compile(r"\bwho\s+(?:is|are|was|were)\s+(?:the|its|their|our|[A-Za-z]+['’]s)\s+"
                             r"(?:(?-i:[A-Za-z][a-z-]*)\s+){0,3}?(?P<role>(?-i:[a-z]{3,}?))(?<!ed)(?<!ing)s?\s*"
                             r"(?=\b(?:of|for|in|at|on|that|who|which|to)\b|[,?]|$)", re.I)
# "who was Cabinet's response delegated to?", "who was it chaired by?": asks who received or did it, not who holds
# the noun asked about (a response is no role)
PASSIVE_ASKED = re.compile(r"\b[a-z]{3,}ed\s+(?:to|by)\s*\??\s*$", re.I)
# "Of the 1,600 care leavers, how many are aged 21 to 25?": a part of a whole, asked after it
SUBSET_ASKED = re.compile(r"^\W*of\s+(?:the|these|those|our|its|[\w-]+['’]s|~?\d[\d,.]*)\b[^?]*?,\s*how many\b"
                          r"(?P<part>[^?]*)", re.I)
SUBSET_VERBS = frozenset({"are", "were", "is", "was", "have", "has", "had", "also", "did", "do", "does", "been", "be",
                          "will", "would", "there"})
# "How many foster carer households resigned ...?", "how many came to the event?": a count of those who did something,
# which a count of all there are ("Kent had 670 approved foster carer households") is not; the lead must say it
# happened, in one of the words for it.
EVENT_WORDS = {
    "leaving": ("resign", "left", "leav", "stop", "quit", "deregist", "ceas", "gave up", "give up", "retir"),
    "joining": ("join", "start", "enrol", "sign", "began", "begin", "new"),
    "attending": ("attend", "came", "come", "went", "took part", "take part", "turn", "visit", "participat",
                  "involved", "present"),
    "responding": ("respon", "repl", "answer", "completed", "took part", "participat"),
    "agreeing": ("support", "agree", "favour", "favor", "back", "oppos", "disagree", "satisf", "happy", "in favour"),
}
EVENT_VERBS = {"resign": "leaving", "left": "leaving", "leave": "leaving", "stopp": "leaving", "stop": "leaving",
               "quit": "leaving", "deregist": "leaving", "ceas": "leaving", "gave up": "leaving", "give up": "leaving",
               "join": "joining", "start": "joining", "enrol": "joining", "sign up": "joining",
               "signed up": "joining", "came": "attending", "come": "attending", "attend": "attending",
               "took part": "attending", "take part": "attending", "turn up": "attending", "turned up": "attending",
               "respond": "responding", "repl": "responding", "support": "agreeing", "agree": "agreeing",
               "oppos": "agreeing", "backed": "agreeing", "favour": "agreeing", "satisfied": "agreeing"}
# (or the share who did it: "what percentage of those who answered supported the increase?")
EVENT_ASKED = re.compile(r"^\W*(?:how many|what\s+(?:percentage|%|proportion|share)\s+of)\s+(?:[\w'’-]+\s+){1,6}?"
                         r"(?:(?:have|had|were|was|did|do|does|actually|who\s+\w+(?:\s+the\s+[\w-]+(?:\s+[\w-]+){0,3})?)\s+)*"
                         r"(?P<event>(?P<verb>" + "|".join(sorted(EVENT_VERBS, key=len, reverse=True))
                         + r")(?:e|s|es|ed|d|ing|ered|ering|ped|ping|led|ling|ied|y)?\b[^?]*)", re.I)
SUBSET_SHARE = 0.5  # the share of the part asked (idf-weighted) the lead and its paragraph must hold
# "How many of the home educated children (the 4,798) have an EHCP?": the part asked after the whole's last verb
SUBSET_AFTER = re.compile(r"^\W*how many of\s+(?:the|these|those|our|its|them)\b[^?]*\b(?P<part>(?:have|has|had|are|"
                          r"were|is|was|got|get|received?|went)\s+[^?]+)", re.I)
# "care leavers aged 22 to 25", "16-18 year olds": an age band, which the answer must name with both its ends
AGE_BAND_ASKED = re.compile(r"\baged\s+(?:between\s+)?(?P<a>\d{1,2})\s*(?:-|–|to|and)\s*(?P<b>\d{1,2})\b|"
                            r"\b(?P<c>\d{1,2})\s*(?:-|–|to)\s*(?P<d>\d{1,2})\s*(?:years?|yrs?)[- ]?olds?\b", re.I)
# "the breakdown by district", "how many in each area", "per school": what the figure is to be divided by
BREAKDOWN_ASKED = re.compile(r"\b(?:break\s*-?\s*down|broken\s+down|split)\s+(?:[^?]{0,40}?\s)?(?:by|per|across)\s+"
                             r"(?:each\s+|the\s+)?(?P<by>[a-z]{3,})|\b(?:in|for|per)\s+each\s+(?P<each>[a-z]{3,})|"
                             r"\b(?:by|per)\s+(?P<dim>district|area|locality|region|borough|ward|age|gender|sex|ethnicity|"
                             r"school)\b", re.I)
# A sentence that speaks of its own time: "last month", "this year", "currently", "to date"
RELATIVE_TIME = re.compile(r"\b(?:last|this|current)\s+(?:month|year|quarter)\b|\bcurrently\b|\bto\s+date\b|"
                           r"\bat\s+present\b|\bso\s+far\s+this\b", re.I)
# "on what date ...?", "which day ...?": a day asked, which a month and year alone do not give
DAY_ASKED = re.compile(r"\b(?:what|which)\s+(?:date|day)\b|\bexact\s+date\b", re.I)
# (a month's name or its short form, "Sept", "Aug.")
_MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
DAY_SAID = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_WORD}|\b{_MONTH_WORD},?\s+\d{{1,2}}(?:st|nd|rd|th)?\b|"
                      r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b", re.I)
# "Which month ...?": a year alone does not answer it (a month's name does, written in full or shortened before a day
# or year: "may be introduced" names none).
MONTH_ASKED = re.compile(r"\b(?:which|what)\s+month\b", re.I)
MONTH_SAID = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
                        r"December)\b|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?(?=\s*\d)")
# "between Sept 2019 and Aug 2020", "In the period September 2018 - August 2019", "01 April 2018 and 31 March 2019"
_SPAN_MONTH = rf"({_MONTH_WORD}),?"
SPAN_WRITTEN = re.compile(rf"(?:\b\d{{1,2}}(?:st|nd|rd|th)?\s+)?\b{_SPAN_MONTH}\s+((?:19|20)\d\d)\s*"
                          rf"(?:-|–|to|until|and)\s*(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_SPAN_MONTH}\s+((?:19|20)\d\d)\b",
                          re.I)
# "the fostering service", "the Adoption Service", "our participation team": a body of a kind, by its own word
BODY_NAMED = re.compile(r"\b(?P<own>(?-i:[A-Za-z][a-z]{3,}))\s+(?P<kind>service|team|panel|board|unit|committee)s?"
                        r"['’]?\b", re.I)  # (an acronym's body, "the UASC team", is named by its spelling out too)
# ... where the question asks of it (not "panel meetings", where the body's word describes another thing)
BODY_ASKED = re.compile(BODY_NAMED.pattern + r"(?=\s*(?:[?,.;:)]|$|(?:receive|received|get|got|have|had|has|is|"
                                              r"was|were|are|do|did|does|in|for|of|at|on|to|and|or|about|s)\b))", re.I)
NOT_BODY_NAMES = frozenset({"this", "that", "their", "these", "those", "kent", "county", "council", "whole", "same",
                            "other", "each", "every", "which", "what", "care", "local", "new", "current", "former",
                            "many", "general", "main", "mainstream", "wider", "overall"})
PHRASE_WORDS = frozenset({"of", "a", "an", "the", "in", "on", "for", "to", "by", "with", "at", "from"})
COMMON_NAME_SHARE = 0.1  # a name in more passages than this share is no narrowing (dev: 0.02-0.2 refuse alike)
NOT_NAMES = frozenset({"i", "of", "upon", "on", "january", "february", "march", "april", "may", "june", "july",
                       "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
                       "jul", "aug", "sep", "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday",
                       "thursday", "friday", "saturday", "sunday", "mr", "mrs", "ms", "miss", "dr", "cllr",
                       "what", "who", "where", "when", "how", "why", "which", "that", "there", "here", "it", "let",
                       "today", "this", "year"})
MEANING_WEIGHT = 0.3  # a scorecard row's score: 0.7 its words' coverage, 0.3 its meaning (tuned on the dev split)
# A sentence's score (weights tuned on the dev split): the question's words it holds, its own vector's
# similarity to the question, its passage's rank, and whether it holds the kind of answer asked for.
COVERAGE_WEIGHT, SENTENCE_MEANING_WEIGHT, RANK_WEIGHT, TYPE_WEIGHT = 0.3, 0.6, 0.15, 0.15
# A sentence this close to the question in meaning may answer however few of its words it shares ("KCC
# currently monitors 4,798 pupils ..." for "how many home educated children is KCC monitoring at the moment").
MEANING_ENOUGH = 0.7  # (dev: 0.6 and 0.65 lost sample questions, 0.7 none)
NEAREST_TYPED_MARGIN = 0.05  # the nearest sentence holding what is asked may lead from this far below the nearest
# Text between two sentences that no unit holds (a minute's or section's heading, cut off the sentence after it)
# is read with that sentence when it is this long.
HEADING_LEAST, HEADING_CHARS = 10, 200
CONTEXT_SHARE = 0.9  # a sentence's words counted with the sentence before it weigh this much of its own
UNIT_BONUS = 0.1  # a scorecard row whose unit (count or %) is the one asked for
SPECIFIC_WEIGHT = 0.15  # the share of a row's own words that the question holds
PROSE_MARGIN = -0.1  # a sentence stating a figure answers instead of a weakly matched row unless the row matches
# clearly better (tuned on the dev splits: 0.1 → -0.1 raised real dev fact recall 0.733 → 0.756, sample 0.574 → 0.583)
PROSE_BESIDE = 0.0  # ... and one holding at least as much of the question as the row is given beside it
PROSE_LEAD = 0.25  # ... and a sentence holding this much more of the question than any row answers whatever the rows
BACKGROUND_LIST = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?\s+)?Background (?:Documents|Papers|Information)\b:?\s*"
                             r"(?:\d|[-•]|None)", re.I)
SECTION_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+(?=\D)")  # a heading's own number, no figure of it
# A heading's words: each starts with a capital or a figure, or is one of the small words titles keep lower-case.
TITLED_WORD = re.compile(r"^[(\[\"“‘']?[A-Z0-9]")
HEADING_SMALL_WORDS = frozenset("a an and at by for from in into of on or the to with & - – vs".split())
LETTERS = re.compile(r"[A-Za-z]")
# A word said twice running: headings of a table's columns, read line by line across the columns.
STUTTER = re.compile(r"\b([A-Za-z][a-z]{2,})\s+\1\b", re.I)
AMOUNT = re.compile(r"\d[.,]\d|\d%")  # a figure with decimals, thousands or a percent sign
COUNT_WORDS = re.compile(r"\bhow many\b|\bnumber of\b|\bno\. of\b", re.I)
# What is counted: the words after "how many" ("how many FTE staff go across ...?": FTE, staff); not in "how many of
# the X ...?", which counts some of the X
COUNTED_THING = re.compile(r"\b(?:how\s+many|number\s+of)\s+(?!of\b)(?:the\s+|our\s+|kcc'?s?\s+|kent'?s?\s+)?"
                           r"(?P<thing>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2})", re.I)
# "Which (other) councils / local authorities / firms ...?": bodies asked for by name, which a sentence naming two or
# more the question does not holds
BODIES_ASKED = re.compile(r"\bwhich\s+(?:other\s+|two\s+|three\s+)?(?:[\w-]+\s+)?(?:councils|authorities|LAs|"
                          r"organisations|organizations|agencies|charities|partners|companies|firms|boroughs|"
                          r"districts)\b", re.I)
# "which consultancy firm ...?", "which company runs ...?": a firm asked for by what it is, answered by its name
FIRM_ASKED = re.compile(r"\b(?:which|what)\s+(?:[\w-]+\s+){0,2}?(?P<noun>(?:consultancy|consultants?|firms?|"
                        r"compan(?:y|ies)|contractors?|suppliers?|providers?|brokers?|auditors?)"
                        r"(?:\s+(?:firms?|compan(?:y|ies)))?)\b", re.I)
NAMED_BODIES_BONUS = 0.15  # (dev: 0.3 the same)
CALENDAR_WORDS = frozenset(name.lower() for name in CALENDAR_NAMES)
COUNTED_BONUS = 0.1  # a sentence with a figure of what a "how many" question counts (dev: 0.05, 0.15 each one less)
PERCENT_WORDS = r"%|\bper ?cent|\bpercentage\b|\bproportion\b"
SHARE_WORDS = re.compile(PERCENT_WORDS + r"|\brate\b|\bshare\b", re.I)
PERCENT_ASKED = re.compile(PERCENT_WORDS, re.I)  # a share asked as a percentage: only a percentage states it
# (a percentage the question states, "the proposed 4.99% increase", asks for none)
RATE_ASKED = re.compile(r"(?<![\d.\s])\s*%|\bwhat\s+%|\bper ?cent\b(?<!\d per cent)|\bpercentage\b|"
                        r"\binterest rates?\b", re.I)
SENTENCE_WORDS, LIST_WORDS = 90, 200  # longer is a run-on extraction, unless it is a list with its lead-in
SHORT_CELL_WORDS = 12  # a wide table row's cells of at most this many words are its figures and ratings
LIST_INTRO = re.compile(r":\s+(?:[-•▪●]|\(?[a-z0-9]{1,2}[).])\s")
LIST_INTRO_SPLIT = re.compile(r"(?<=[:;])\s+[-•▪●]\s+")  # a flattened list's items, back on their own lines
# An item of a list: "1." or "(1)", "a)" or "(a)"; a bullet.
LIST_MARK = re.compile(r"^\(?(?:(\d{1,2})[.)]|([a-z])\))\s")
BULLET = re.compile(r"^[-•▪●]\s")
# A sentence a passage's end cut short: it stops on a lower-case word or a comma ("... as part of the Budget at"),
# where a heading or a label ends on a capital or a number ("Please refer to Section 6"); or a long one stops on a
# capitalised word ("... agree to delegate finalising any response to the settlement to the Corporate Director").
SENTENCE_CUT = re.compile(r"(?:\b[a-z]+|,)\s*$|^(?:\S+\s+){11,}(?:the|to|of|and|for|by|with)\s+(?:[A-Z][\w’'-]*\s+)*"
                          r"[A-Z][\w’'-]*\s*$")
# A form's run-on too long for a sentence is answered by the window of this many words holding most of the question
# (stepped this many words at a time).
WINDOW_WORDS, WINDOW_STEP = 40, 8
SHOWN_WORDS = 100  # the quoted paragraph shown around the lead (dev: 100 +2 facts, 130 +3; no refusal moved)
PASSAGE_WORDS = 70  # the quoted paragraph around the best sentence stays about this short
CUT_AT_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|cf|approx|incl|no)\.$", re.I)  # "... events (e.g." is no end
SECTION_WORDS = 160  # an explanation read on into its section's next passage stays this short (dev: 120 +0, 160 +4)
EXPLAIN_WORDS = 120  # ... and for what something is, does or must do, or any question of no one type asked of no
# figure or decision (a councillor reads on: dev +1, none lost; the untyped: dev +7, none lost)
EXPLAINED = frozenset({AnswerType.DEFINITION, AnswerType.LIST, AnswerType.REASON})
# "how can councillors get involved?", "how does the scheme work?": a way of doing something, explained at length too
MANNER_ASKED = re.compile(r"^\W*(?:\w+\W+){0,3}?how\s+(?:can|could|should|do|does|did|will|would|is|are)\b", re.I)
# A term the question puts in quotes, as people do the words they ask about: the sentences that hold it are
# preferred by this much of a sentence's score (about a type match's and a half).
QUOTED = re.compile(r"(?:(?<=\s)|^)['‘\"“]([^'’\"”]{3,60})['’\"”](?=[\s?.,!]|$)")
QUOTED_BONUS = 0.2
# A sentence that says what the asked X is, X its subject ("what is the virtual school?": "The Virtual School Kent
# acts as the Council's champion to promote ..."), over one that only speaks of it ("The work of the Virtual ...").
DEFINES_BONUS = 0.2  # a sentence saying what the asked term is, as its subject (dev: 0.1 -> 0.2 +1 fact, 0.3 the same)
# An answer whose lead lacks what the question asks for ("when ...?" and no date in it) is refused below this
# confidence; always for a date, which a month or a year always shows, where a person may be "foster carers".
TYPE_MISSING_CONFIDENCE = 0.6
# A lead that names no one for "who" gives way to the best sentence that names a person, scoring at least this
# share of it. (Measured for dates too: it answered four more unanswerable "when" questions; a date missing
# stays a reason to refuse.)
NAMED_LEAD_SHARE = 0.75
RUN_ON_LEAD_MARGIN = 0.05  # how much less a sentence whose paragraph runs on to what is asked may score and lead
RUN_ON_COVERAGE = 0.15  # the share of the question the sentence it runs on to must hold
# "Who chairs the Integrated Care Partnership?", "who chaired the County Council meeting on 9 January?": a body's or
# a meeting's chair, a person (the chairing of reviews may be a team's: "senior practitioners ... have taken on the
# chairing of our foster carers' annual reviews").
CHAIR_OF_BODY = re.compile(r"\b(?:who|which\s+(?:young\s+)?(?:person|councillor|member|officer|child))\s+"
                           r"(?:chairs|chaired|is\s+(?:the\s+)?chair(?:man|person)?\s+of|was\s+(?:the\s+)?"
                           r"chair(?:man|person)?\s+of)\s+(?:the\s+)?(?:[\w&'’-]+\s+){0,8}?(?:committee|partnership|"
                           r"board|panel|council|group|forum|sub-committee|meeting)\b", re.I)
NAMED_PERSON = re.compile(f"{TITLE_NAME}|{FULL_NAME}")  # "Mr G Cooke", "Cllr Leng", "led by Mark Thorn, ...": a name
ROLE_NAME_SPAN = 80  # characters either side of the role's word where its holder's name is looked for
PLACED_LEAD_SHARE = 0.65  # ... and a sentence saying where, for "where ...?"
ROLE_LEAD_SHARE = 0.65  # a sentence naming the role asked and a holder leads at this share of the lead (dev 0.58-0.74)
NAMED_OR_FIRM = re.compile(f"{TITLE_NAME}|{FULL_NAME}|{ORGANISATION}")  # who holds a role: a person or a firm
# "how much do we pay ...?" asks for a sum of money (not "how much longer", "how much progress").
MONEY_ASKED = re.compile(r"\bhow much\b(?![^?]*\b(?:time|longer|more|less|progress)\b)[^?]*\b(?:pay|paid|"
                         r"cost(?:s|ing)?|"
                         r"spend|spent|budget|allowances?|funding|funded|grant|fees?|money|worth|owe|"
                         r"rais(?:e|ed|es|ing)|sav(?:e|ed|es|ing))\b"
                         # "what's the weekly fostering allowance?": a sum of money named by what it pays
                         r"|\bwhat(?:['’]?s| is| was| are| were) (?:the|[\w-]+['’]s) (?:[\w'’()+-]+ ){0,4}?"
                         r"(?:allowances?|fees?|prices?|salary|salaries|costs?|budget|budget allocation)\b"
                         r"(?!\s+for\s*\?)"
                         # "what salary does the pay policy set for ...?"
                         r"|\bwhat (?:salary|salaries|fee|fees|price|allowance)\b"
                         r"|\bwhat (?:did|does|do|will|would)\b[^?]*\bcost\b", re.I)  # "what did the day cost?"
# A question asking how long something takes, and a row that measures a time (its name or column says so).
TIME_ASKED = re.compile(r"\bhow\s+long\b|\bhow\s+many\s+(?:days|weeks|months)\b|\baverage\s+(?:number\s+of\s+)?"
                        r"(?:days|weeks|months|time)\b|\b(?:waiting|wait)\s+times?\b|\btimescales?\b", re.I)
TIME_MEASURE = re.compile(r"\b(?:days?|weeks?|months?|years?|time|times|timescales?|timeliness|duration|waits?|waiting|"
                          r"length|long)\b", re.I)
# A season of a year asked ("in summer 2019"), and the month it starts.
SEASON_ASKED = re.compile(r"\b(?P<season>spring|summer|autumn|fall)\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b", re.I)
SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9}
# A question of what happened on a day: "what did full council decide on 13 March 2025?", "how did the vote go ...".
HAPPENED_ASKED = re.compile(r"\b(?:did|was|were)\b[^?]{0,60}?\b(?:decid|resolv|agree|vot|approv|reject|happen|go\b|"
                            r"conclu|end\b)\w*|\bhappened\b|\boutcome\b", re.I)
# ... not what a meeting was asked to decide or had before it, which its agenda says ("what was the panel asked to
# agree?", "which minutes were up for approval?")
PROPOSED_ASKED = re.compile(r"\basked\s+to\b|\brecommend|\bup\s+for\b|\bon\s+the\s+agenda\b|\bdue\s+to\s+be\b", re.I)
MONEY = re.compile(r"£\s?\d|\d\s?(?:m|bn|k|p)\b|\bpounds\b|\d\s?%", re.I)
SUM = re.compile(r"£\s?\d|\d\s?(?:m|bn|k|p)\b|\bpounds\b", re.I)
# "how much is the contract worth?", "how much does it cost?": a price, which no percentage gives
PRICE_ASKED = re.compile(r"\bhow much\b[^?]*\b(?:worth|costs?|costing|fees?|price[sd]?|charged?)\b", re.I)
# A table's statement of the unit its sums are in: "£000s", "£'000", "£m", "(£)", "£ million".
MONEY_UNIT = re.compile(r"£\s?(?:'?000s?|m|k|bn|million|thousands?|p)?(?![\w\d])|\bpounds\b", re.I)
# A row's cell named as a sum of money by its column ("Total Cost of Scheme: 243,017", "Budget 2025-26: 1,500").
MONEY_COLUMN = re.compile(r"\b(?:costs?|spend|spent|budgets?|income|expenditure|funding|grants?|savings?|prices?)\b"
                          r"[^:;\n]{0,40}:\s*[-–]?£?\d", re.I)
# A year's actual result asked for ("the actual outturn", "the final outturn once the year closed"), and the words
# of a figure foreseen.
OUTTURN_ASKED = re.compile(r"\b(?:actual|final)\b[^?]{0,40}\boutturn\b|\boutturn\b[^?]{0,60}\b(?:year\s+"
                           r"(?:was\s+|had\s+)?closed|year[- ]end|accounts\s+(?:were\s+)?closed|closed\s+down)\b", re.I)
# A yes-or-no question about a decision ("did the panel agree to ...?", "did we vote to ...?"), and the words of
# a passage that records one ("It was RESOLVED", "agreed", "endorsed", "Cabinet propose to ...", "carried")
DECISION_ASKED = re.compile(r"^\s*(?:and\s+)?(?:did|has|have)\b[^?]{0,40}?\b(?:agree|decide|resolve|vote|approve|"
                            r"endorse|accept|adopt)\w*\b|"
                            # "what did the panel resolve about ...?": what a meeting resolved, which only a record
                            # of a decision says
                            r"^\s*(?:and\s+)?what\s+(?:did|was|were|has|have)\b[^?]{0,40}?\bresol\w*\b", re.I)
DECIDED = re.compile(r"\bRESOLVED\b|\bagree[ds]?\b|\bapprov\w*|\bdecid\w*|\bdecisions?\b|\bvot\w*|\bendors\w*|"
                     r"\bcarried\b|\bnoted\b|\baccept\w*|\badopt\w*|\bpropose\b|\bdelegate\b", re.I)
# A decision of the government's asked ("did the government accept ...?", "did the minister agree ..."), and a
# sentence reporting one ("the Government confirmed ...", "the Minister agreed ...")
GOVERNMENT = r"(?:government|minister|secretary\s+of\s+state|dfe|department\s+for\s+\w+)"
# (the verb right after its subject, or after "actually", "end up": "did the minister want councils to ask by ...?"
# asks what the minister wanted, which the papers say)
GOVERNMENT_DECIDING = re.compile(rf"\b(?:did|has|have)\s+(?:the\s+)?(?P<who>{GOVERNMENT})\s+(?:\w+\s+){{0,2}}?"
                                 r"(?:accept|agree|approve|decide|confirm|grant|reject|refuse|postpone|allow|"
                                 r"announce)\w*", re.I)
GOVERNMENT_DECIDED = re.compile(rf"\b{GOVERNMENT}\b[^.;]{{0,80}}?\b(?:accepted|agreed|approved|decided|confirmed|"
                                r"granted|rejected|refused|declined|postponed|allowed|announced|has\s+(?:now\s+)?"
                                r"(?:accepted|agreed|approved|confirmed))\b", re.I)
OUTTURN_WORD = re.compile(r"\boutturn", re.I)
FINANCIAL_YEAR_ASKED = re.compile(r"\bfinancial\s+year\b", re.I)  # a school year of that name is not it
FORECAST_WORDS = re.compile(r"\b(?:forecast\w*|projected|projections?|expected|estimated?)\b", re.I)
# (a target the question measures against asks for no target: "how much has it raised towards its target?")
TARGET_ASKED = re.compile(r"\b(?<!towards its )(?<!towards the )(?<!against its )(?<!against the )"
                          r"(?:targets?|aim(?:ed|ing|s)?|goal|budget(?:ed)?|forecast|expect\w*|plann?\w*)\b", re.I)
# A target the question states with its sum ("raised so far towards its £25k target") is not asked.
TARGET_STATED = re.compile(r"£\s?[\d,.]+\s*(?:k|m|bn|million|billion)?\s+(?:targets?|aim|goal)\b", re.I)
MONEY_AIMED = re.compile(r"\b(?:targets?|aim|goal)\s+(?:of|is|was|:)?\s*£\s?[\d,.]+\s*(?:m|bn|k|million|billion)?",
                         re.I)
ASKED_AS = {AnswerType.DATE: "when", AnswerType.PERSON: "who", AnswerType.NUMBER: "how many or how much",
            AnswerType.PLACE: "where", AnswerType.FREQUENCY: "how often", AnswerType.RATING: "what rating or grade"}
# What no other words stand for: an answer that gives no date to "when", no grade to "what rating", no figure to "how
# many" is no answer. (Made strict for figures 2026-12-07: four more near misses refused on the dev sets, no answerable
# question lost. Not for "who", which "foster carers" may answer: three answered questions were lost.)
STRICT_TYPES = frozenset({AnswerType.DATE, AnswerType.RATING, AnswerType.NUMBER})
MEETING_BONUS = 0.2  # a sentence minuted at the meeting the question names by its full date
MONTH_NAMED_BONUS = 0.1  # a sentence naming the month a question (not a figure's) names
# "How many UASC were looked after in October 2015?": a sentence of a later meeting that states only another
# year's figures ("so far in 2018 there had been 123 new arrivals") answers it less well than its score says.
OTHER_YEAR_PENALTY = 0.1
# A measure's span or distance the question names ("IHAs within 20 working days", "placed 20+ miles away", "3+
# placements in 12 months"), which a sentence or row naming the same kind with another number is not of ("IHA
# referrals within 5 working days")
SPAN_NAMED = re.compile(r"\b(\d+)\s*\+?\s*(?:or\s+more\s+)?(?:working\s+)?(days?|weeks?|months?|years?|miles?|moves?|"
                        r"placements?|hours?)\b", re.I)
OTHER_SPAN_PENALTY = 0.1
# A sentence naming the asked financial year takes the place of a lead that does not name it only when it scores this
# share of it: in a paper all of one year (the draft budget 2025-26), a sentence naming the year is not thereby its
# answer.
DATED_LEAD_SHARE = 0.6
# What a body does when it decides, said of it after its name.
BODY_DECIDED = r"(?:resolved|decided|agreed|voted|approved|endorsed|rejected|refused|declined|considered)\b"
OPENING_CHARS = 60  # two sentences that open with this many characters alike are one sentence (``_sentence_key``)
ALSO_SHARE = 0.6  # another page's sentence is added when it scores this share of the best one's score
SAME_PAGE_EXTRA = 1  # ... and at most this many more of a page already cited, at that share too
NEIGHBOUR_SHARE = 0.8  # the sentence before the lead opens its quoted paragraph when it scores this share of it
PART_LINES = 2  # a part answered alone: its lead, else (the lead said already) its next line of that page
# A part that asks of what an earlier part counted: "..., and how many of those / of them / of these ...?"
REFERS_BACK = re.compile(r"\bof\s+(?:those|them|these|which|whom)\b", re.I)
TYPED_PARTS = frozenset({AnswerType.PERSON, AnswerType.DATE, AnswerType.NUMBER})  # ``_part_said``
PART_MARGIN = 0.15  # a resolution's part is quoted alone when it holds this much more of the question than the next
# "It was RESOLVED that the IRO Annual Report be noted.": a record that a report came, which says nothing of
# what it said; it answers only a question about what was decided.
BARE_NOTING = re.compile(r"^(?:\(?[a-z0-9]{1,3}[.)]\s*)?(?:It was\s+)?RESOLVED\s+that\s+(?:the\s+)?"
                         r"[^.;:]{0,150}?\s+be\s+noted\.?$", re.I)
COVER_CONTENT = re.compile(r"\b(?:Summary|Recommendations?)\s*:")  # ``without_cover``
COVER_FIELD = re.compile(r"^(?:By|From|To|Subject|Classification|Electoral Division\(s\)|Decision No|Key decision)"
                         r"\s*:", re.I)
RUN_ON_END = re.compile(r"[a-z)][.!?](?=\s)")  # a sentence's end within a run-on: a word, then its stop
# A sentence that introduces a list: it ends with a colon, or names "the following ..." at its end ("... based on the
# following assessed levels." before "• Below 3% considered dangerous • ...").
INTRODUCES_LIST = re.compile(r":\s*$|\b(?:the following|as follows)\b[^.:;]{0,40}[.:]?\s*$", re.I)
LEANS_BACK = re.compile(r"^(?:This|These|They|It|Its|Their|He|She|Such|However|Also|In addition|As a result|"
                        # what is done about, or follows from, what the sentence before says: "To address this, the
                        # proposal is to transfer ...", after the sentence that gives the reason
                        r"To (?:address|tackle|resolve|remedy|meet|achieve|support|mitigate) (?:this|these|that|it)|"
                        r"In response|For (?:this|these) reasons?|Therefore|Consequently|Because of this|As such|"
                        r"Thus|Hence)\b")


# A form's question row (a DPIA's or an equality screening tool's): "Question Number 1; Question: What is ...?"
FORM_QUESTION = re.compile(r"\bQuestion\b[^?:]{0,40}:\s*[^?]+\?\s*$")
# A sentence that ends in a question of the paper's own, a heading ("How can our elected members get involved?").
ASKED_HEADING = re.compile(r"\b(?:how|what|why|who|when|where|which|can|should|do|does|is|are)\b[^.?!]{3,100}\?\s*$",
                           re.I)


class Composer:
    """Builds the answer from retrieved candidates; thresholds come from the answer settings (calibrated on
    the evaluation set, not per question)."""

    def __init__(self, searcher: HybridSearcher, settings: AnswerSettings | None = None, max_sentences: int = 4,
                 glossary: dict[str, str] | None = None, refusal: RefusalModel | None = None):
        settings = settings or AnswerSettings()
        self.searcher = searcher
        self.glossary = glossary or {}
        self._row_meanings: tuple[str, np.ndarray] | None = None  # (index signature, matrix), replaced whole
        self._terms: dict[tuple, QuestionTerms] = {}  # ``_question_terms``
        self._rows: _RowWords | None = None  # the scorecard rows' words, per index version (``_row_words``)
        self.figures = FigureSeries(searcher, glossary=self.glossary)
        self.min_coverage = settings.min_coverage
        self.min_confidence = settings.min_confidence
        self.sure_confidence = settings.sure_confidence
        self.refusal = refusal or RefusalModel.load()
        self.max_sentences = max_sentences

    def coverage(self, query: Query, text: str) -> float:
        """Share of the question's content (idf-weighted) that the text holds; dates are judged by the
        search's boosts, not by words."""
        return self._question_terms(query).coverage(text)

    def _row_shares(self, query: Query, row_words: _RowWords, ids: set[str]) -> dict[str, float]:
        """``QuestionTerms.share`` of each of the rows ``ids`` (those it is not given are 0.0), all at once: per
        question word, the rows that hold it, instead of per row, every word (the words of a figure question
        are weighed against hundreds of rows). Each row adds its words' weights in ``share``'s order, so the
        shares are the same floats."""
        asked = self._question_terms(query)
        terms, weight, total, spellings = asked.terms, asked.weight, asked.total, asked.spellings
        if not terms or not total or not ids:
            return {}
        holders: dict[str, set[str]] = {}

        def holding(word: str) -> set[str]:
            if word not in holders:
                holders[word] = row_words.holding(word) & ids
            return holders[word]

        spelt: dict[str, set[str]] = {}  # an acronym of the question: the rows that spell out all its words
        for key, words in spellings:
            rows = set(ids)
            for word in words:
                rows &= holding(word)
            spelt[key] = spelt.get(key, set()) | rows
        sums: dict[str, float] = {}
        for term in terms:
            for row_id in holding(term) | spelt.get(term, set()):
                sums[row_id] = sums.get(row_id, 0) + weight[term]
        return {row_id: held / total for row_id, held in sums.items()}

    def _question_terms(self, query: Query) -> QuestionTerms:
        """What ``coverage`` weighs of a question, made once per question and index version (a figure
        question weighs every row of a scorecard against it); a period's words are the search's to judge."""
        key = (query.expanded, query.carried_topic, tuple(query.acronyms.items()), query.answer_papers,
               self.searcher.signature)
        found = self._terms.get(key)
        if found is None:
            idf = self.searcher.idf_among(query.answer_papers) if query.answer_papers else self.searcher.idf
            found = QuestionTerms.of(query, idf, leave_out=period_words(query.expanded))
            if len(self._terms) > 1000:  # a bounded memory of recent questions
                self._terms.clear()
            self._terms[key] = found
        return found

    def compose(self, question: str, query: Query, candidates: list[Candidate]) -> Answer:
        answer, lines = self._compose(question, query, candidates)
        if lines is None:
            return answer
        lines += self._parts_alone(query, candidates, lines)
        return finish(answer, lines)

    def _compose(self, question: str, query: Query, candidates: list[Candidate]) -> tuple[Answer, Lines | None]:
        """The answer's lines for the question, or the refusal (and None)."""
        answer = Answer(question=question, text="", answered=False, query=query.text)
        if not candidates:
            answer.text = f"{REFUSAL} The index holds no papers that match (has anything been ingested?)."
            return answer, None
        papers = tuple(sorted({c.chunk.document for c in candidates}))
        for asked in (query, *query.parts):
            asked.answer_papers = papers
        units = self.units(query, candidates)

        lines: Lines = []
        period_found = True
        if query.intent == Intent.FIGURE:
            periods = query.parts if query.parts_are_periods else [query]
            for part in periods:  # "June vs November": each period's figure
                lines += [line for line in self._figure_lines(part, candidates, units)
                          if line[0] not in {t for t, _ in lines}]
            period_found = bool(lines) or not query.month or self._has_month(query, candidates, in_text=False)
            if lines and query.parts_are_periods:
                # a period no row of the scorecards found is given by a sentence naming it ("... improved from 16.6 in
                # August to 14.3 in November", for "the Aug and Nov 2018 scorecards")
                lines += self._period_lines(query, units, lines)
            if lines and query.parts and not query.parts_are_periods:
                # "how many X, and how many of them Y?", "the overspend, and what % of the budget is it?": a part
                # the figures found do not answer gets its own best sentence.
                lines += self._part_lines(query, units, lines)
        elif query.month:  # a question about a month needs a passage of that month, whatever it asks
            asked = [part for part in query.parts if part.month] if query.parts_are_periods else [query]
            period_found = any(self._has_month(part, candidates) for part in asked)
        if query.year and not query.month and not self._has_year(query.year, candidates):
            period_found = False
        financial = asked_period(query.text) if not query.month else None
        if financial and period_found and not any(_of_period(c.chunk, f"{c.chunk.header} {c.text}", financial)
                                                  for c in candidates):
            period_found = False  # "Q1 2025-26", "2019-20": no passage found speaks of that quarter or year
        unheld = None
        if query.intent == Intent.DECISION and not lines and query.unheld_body:
            # No paper of the body asked about is held, so no decision found is its own: only a passage that
            # names the body deciding ("Medway Council's Cabinet had agreed ...") may say what it decided, not one
            # of another body's decisions that names it ("... joint work between KCC, Medway Council and ...").
            lines = []
            # the body by its whole name, else by its last two words as papers also call it ("the CYPE cabinet
            # committee": "The Children's and Young People Cabinet Committee endorsed ...")
            # (or in the passive: "considered and endorsed at the Health Reform ... Cabinet Committee on 21 January")
            for name in body_name_patterns(query.unheld_body):
                deciding = re.compile(rf"\b{name}\b[^.;:()]{{0,40}}?\b{BODY_DECIDED}|"
                                      rf"\b{BODY_DECIDED}\s+(?:at|by)\s+(?:the\s+)?[^.;:()]{{0,60}}?\b{name}\b", re.I)
                lines = lines or self._sentence_lines(query, [u for u in units if deciding.search(u.text)])
            unheld = None if lines else f"{_not_held(query.unheld_body)}, and no passage found says what it decided"
        elif query.intent == Intent.DECISION and not lines:
            lines = self._decision_lines(query, units)
        elif query.unheld_body:
            # Any other question about a body whose papers are not held ("when did Medway Council launch its
            # scheme?") is answered only from passages that name it: this council's own figures and schemes are
            # not that body's.
            # (a body named by what any body is called, "which cabinet committee", by those words)
            named = own_words(query.unheld_body) or query.unheld_body.split()
            lines = self._sentence_lines(query, [u for u in units if all(
                re.search(rf"\b{word_or_plural(w)}\b", u.text, re.I) for w in named)])
            unheld = None if lines else f"{_not_held(query.unheld_body)}, and no passage found names it"
        if not lines and not unheld:
            lines = self._sentence_lines(query, units, nearest_typed=True)
            if lines and query.parts:
                lines += self._part_lines(query, units, lines)
            if lines and not period_found and query.intent == Intent.FIGURE and query.month:
                # No scorecard row of the month, but the sentence that answers states the month's figure
                # ("At the end of June 2018 ... had responsibility for 1807 Children in Care").
                # Else a sentence that names the month answers, where one scores at all ("... improved from
                # 59.3% in January 2017 to the current position of 66%").
                asked = [part for part in query.parts if part.month] if query.parts_are_periods else [query]
                # The lead's own page may set its month as the time its figures run to ("Over the last 12
                # months (to the end of October 2018) ..." above "2.3 ... the number ... that went missing has
                # reduced from 380 to 367"); a month a figure of the page is of ("59.3% in January 2017") does not.
                # Where several months are asked, each is named by a line of the answer ("As of October 2024, ...
                # 894 young adults" and "As of January 2025, ... 925" for "the Oct 2024 figure, and Jan 2025's?");
                # one month asked is named by the lead, which answers it.
                lead = lines[0][1][0]
                page = [u for u in units if u.chunk.document == lead.chunk.document and u.page == lead.page]
                said = [sources[0] for _, sources in lines if sources] if query.parts_are_periods else [lead]
                period_found = all(any(_names_month(part, _titled(unit), as_date=True) for unit in said)
                                   or any(_frames_month(part, u.text) for u in page) for part in asked)
                dated = [] if period_found else self._sentence_lines(query, [
                    u for u in units if all(_names_month(part, _titled(u), as_date=True) for part in asked)])
                if not period_found and not dated and len(asked) > 1:
                    # no one sentence names every month asked: each month's own best sentence, where each has one
                    # ("... in October 2016 this had increased to 1,294" and a June 2018 scorecard row)
                    each = [self._sentence_lines(part, [u for u in units if _names_month(part, _titled(u), as_date=True)
                                                        or _of_month(part, u)])[:1] for part in asked]
                    if all(each):
                        dated = [line for found in each for line in found]
                if dated:
                    lines, period_found = dated, True
        lead_text, lead_sources = lines[0] if lines else ("", [])
        if (financial and period_found and lines and not query.parts_are_periods
                and (not query.parts or asked_period(query.parts[0].text) == financial)  # the lead's part names it
                and not names_period(lead_text, financial, financial=bool(FINANCIAL_YEAR_ASKED.search(query.text)))
                and not any(_of_period(u.chunk, u.chunk.header, financial) for u in lead_sources)):
            # What leads is of another year ("61.4 in 2015-16 Q2", "... in 2017/18 was 215 days" for "in
            # 2018/19?"): a sentence of the asked year answers instead ("... in 2018/19 was 204 days.").
            # (of a body whose papers are not held, only a sentence naming it may answer, as above)
            dated = self._sentence_lines(query, [u for u in units if speaks_of_period(u, financial) and (
                not query.unheld_body or names_body(query.unheld_body, u.text))])
            if dated and _lead_score(dated) >= DATED_LEAD_SHARE * _lead_score(lines):
                # (the question's other parts answered again beside the new lead)
                lines = dated + (self._part_lines(query, units, dated) if query.parts and not query.parts_are_periods
                                 else [])
        answer.evidence = self.evidence(query, candidates, units, lines, period_found)
        answer.confidence = self.refusal.confidence(answer.evidence)
        if (lines and query.answer_type == AnswerType.PERSON and answer.confidence < TYPE_MISSING_CONFIDENCE
                and self._missing_type(query, lines) == AnswerType.PERSON):
            # "who chaired ...?" led by the meeting's summons, which names no one, and so to be refused, while a
            # sentence nearly as good names a person ("... that Mr G Cooke be elected to Chair the meeting"): that
            # one leads. (A role is no name here: "signed by the Chair" names no one.)
            named = self._sentence_lines(query, [u for u in units if NAMED_PERSON.search(u.text)])
            if named and _lead_score(named) >= NAMED_LEAD_SHARE * _lead_score(lines):
                lines = named
                answer.evidence = self.evidence(query, candidates, units, lines, period_found)
                answer.confidence = self.refusal.confidence(answer.evidence)
        if lines and (by := _breakdown_unsaid(query, lines)) is not None:
            # "the breakdown by district of ...?" led by the total, while a sentence nearly as good divides it by
            # district ("By district, Ashford had 96, Dover 120 ..."): that one leads, as a sentence of the asked
            # period does.
            divided = self._sentence_lines(query, [u for u in units if WordSet(tokenize(u.text)).holds(by)])
            if divided and _lead_score(divided) >= DATED_LEAD_SHARE * _lead_score(lines):
                lines = divided
                answer.evidence = self.evidence(query, candidates, units, lines, period_found)
                answer.confidence = self.refusal.confidence(answer.evidence)
        if (lines and query.parts and not query.parts_are_periods and not query.unheld_body
                # (of a body whose papers are not held, only a sentence naming it may lead, as above)
                and self._missing_type(query, lines) is not None
                and (led := self._led_by_first_part(query, candidates, lines)) is not None
                and self._missing_type(query, led) is None):
            lines = led
            answer.evidence = self.evidence(query, candidates, units, lines, period_found)
            answer.confidence = self.refusal.confidence(answer.evidence)
        if unheld:
            return refuse(answer, candidates, unheld), None
        if not period_found:
            when = month_label(query.month) if query.month else (financial or str(query.year))
            return refuse(answer, candidates, f"none of the passages found is about {when}"), None
        if lines and DECISION_ASKED.match(query.text) and not DECIDED.search(lines[0][0]):
            # "did the panel agree to give care leavers free bus passes?" led by a sentence that records no decision
            # (what a young person said at the meeting): the papers record none on it
            return refuse(answer, candidates, "no passage found records a decision on it"), None
        if (lines and (government := GOVERNMENT_DECIDING.search(query.text))
                and not any(GOVERNMENT_DECIDED.search(text) for text, _ in lines)):
            # "did the government accept Kent onto the programme in the end?" led by the council's own resolution
            # ("Note that acceptance onto the Devolution Priority Programme will commit ...", "request that the
            # Minister ... consider"): a council's papers record its decisions; another's only where they report it
            return refuse(answer, candidates, f"no passage found says what the {government['who'].lower()} "
                                              f"decided"), None
        if self._gives_only_forecasts(query, lines):
            return refuse(answer, candidates, "the passages found give a forecast, not the year's actual outturn"), None
        if (lines and financial and FINANCIAL_YEAR_ASKED.search(query.text) and not query.parts_are_periods
                and (other := financial_years_named(lines[0][0]) - {financial.split()[0]})
                and not names_period(lines[0][0], financial, financial=True)):
            # "... allocated for the 2025-26 financial year?" led by "The allocations for the 2024-25 financial year
            # ... (the start of academic year 2025/26); Kent has been allocated £5,046,624": another year's figure
            return refuse(answer, candidates, f"the passages found speak of the {min(other)} financial year, "
                                              f"not {financial}"), None
        if (lines and query.year and not query.month and not financial and query.intent != Intent.DECISION
                and not query.parts and _of_other_years(lines[0][0], query.year)
                and not any(query.year in years_named(text) for text, _ in lines)):
            # "How many UASC arrived in 2019?" answered by "so far in 2018 there had been 123 new arrivals": a
            # count is of the year its sentence names.
            return refuse(answer, candidates, f"none of the passages found gives it for {query.year}"), None
        if (lines and query.year and not query.month and not financial and query.intent != Intent.DECISION
                and not query.parts and not years_named(lines[0][0]) and RELATIVE_TIME.search(lines[0][0])
                and lines[0][1] and lines[0][1][0].chunk.meeting_key // 10000 not in (0, query.year)
                and not any(query.year in years_named(u.chunk.header) for u in lines[0][1])):
            # "What % of EHCPs were issued within 20 weeks in 2023?" led by "last month, we delivered 90% ..." in a
            # paper of 2025: a sentence speaking of its own time ("last month", "currently") is of its paper's year
            # (unless the paper's heading names the year asked: an annual report of "September 2018 – September
            # 2019" presented in 2020)
            return refuse(answer, candidates, f"none of the passages found gives it for {query.year}"), None
        if (lines and financial and not query.parts
                # (a count is of its period, in "how many did we approve ...?" too)
                and (query.intent != Intent.DECISION or query.answer_type == AnswerType.NUMBER)
                and years_named(lines[0][0]) and not _years_within(lines[0][0], financial)
                and not names_period(lines[0][0], financial)
                and not any(_of_period(u.chunk, u.chunk.header, financial) for u in lines[0][1])):
            # "... waiting time during 2017/18?" led by "... is 8.6 weeks (Sept 2016)": a figure is of the years
            # its sentence names, and none of them is the asked year's
            return refuse(answer, candidates, f"none of the passages found gives it for {financial}"), None
        if not lines:
            return refuse(answer, candidates, "no passage in them says it"), None
        if (query.day and query.answer_type != AnswerType.DATE and HAPPENED_ASKED.search(query.text)
                and not FORECAST_WORDS.search(query.text) and not PROPOSED_ASKED.search(query.text)
                and not any(_reports_day(unit.chunk, query.day) for _, cited in lines for unit in cited)):
            # "what did full council decide on 13 March 2025?" led by a Cabinet paper of January 2025 that says the
            # decision goes there, and by its agenda: papers written before the day cannot say what happened on it
            # (what is projected for it, or what a meeting is asked to decide, they can)
            day = human_date(from_key(query.day).isoformat())
            return refuse(answer, candidates, f"the passages found were written before {day}"), None
        if (financial and OUTTURN_ASKED.search(query.text) and not FORECAST_WORDS.search(query.text)
                and (dated := [u.chunk.meeting_key for _, cited in lines for u in cited if u.chunk.meeting_key])
                and max(dated) <= _year_end(financial)):
            # "what was the final revenue outturn for 2024-25?" led by the Q3 monitoring of January 2025: a year's
            # outturn is known after it closes, and every dated passage the answer cites was written before 2024-25
            # ended (an appendix filed with no date goes with them)
            return refuse(answer, candidates, f"the passages found were written before {financial} ended"), None
        if ((season := SEASON_ASKED.search(query.text)) and not query.month and lines[0][1]
                and query.answer_type != AnswerType.DATE  # (the dates of meetings planned for it are set before)
                and 0 < lines[0][1][0].chunk.meeting_key < int(season["year"]) * 10000
                + SEASON_START[season["season"].lower()] * 100):
            # "what were the KS2 results in summer 2019?" led by a paper of January 2019: written before the season
            # asked, it reports an earlier one's
            return refuse(answer, candidates, f"the passages found were written before {season[0]}"), None
        if answer.confidence < self.min_confidence:
            return refuse(answer, candidates, "nothing in them matches the question closely enough"), None
        unnamed = self._name_unsaid(query, lines)
        if unnamed:
            return refuse(answer, candidates, f"none of the passages found speaks of {unnamed}"), None
        if (term := self._term_unnamed(query, lines)) is not None:
            return refuse(answer, candidates, f"none of the passages found says what {term} is or does"), None
        if (other := self._other_body(query, lines)) is not None:
            return refuse(answer, candidates, other), None
        if ((firm := FIRM_ASKED.search(query.text)) and not query.parts
                and not any(_names_not_asked(text, query.text) or _acronyms_not_asked(text, query.text)
                            for text in [text for text, _ in lines if not text.startswith("> ")][:2])):
            # "Which consultancy firm is KCC paying to help deliver the Oracle Cloud programme?" led by what the
            # programme costs: a firm is answered by its name, which no line gives
            return refuse(answer, candidates, f"none of the passages found names the {firm['noun'].lower()}"), None
        if (TOTAL_COST_ASKED.search(query.text) and not query.parts
                and not TOTAL_SAID.search(MINUTE_PREFIX.sub(" ", said_first(lines)))):
            # "what's the total cost of the Oracle Cloud programme over its whole life?" led by "£8m of capital receipts
            # ... for 2025-26": one year's funding, no total
            return refuse(answer, candidates, "none of the passages found gives its total cost"), None
        if _outcome_pending(query, lines):
            return refuse(answer, candidates, "the passages found say its findings are still to come"), None
        if (other := _comparator_unsaid(query, lines)) is not None:
            return refuse(answer, candidates, f"none of the passages found gives the figure for {other}"), None
        if (count := _stated_count_unsaid(query, lines)) is not None:
            return refuse(answer, candidates, f"none of the passages found speaks of {count}"), None
        if (thing := _thing_name_unsaid(query, lines)) is not None:
            return refuse(answer, candidates, f"none of the passages found gives the name of the {thing}"), None
        if (event := _event_unsaid(query, lines)) is not None:
            return refuse(answer, candidates, f"none of the passages found says how many {event}"), None
        if (subset := self._subset_unsaid(query, lines)) is not None:
            return refuse(answer, candidates, f"none of the passages found says how many {subset}"), None
        if (band := _age_band_unsaid(query, lines)) is not None:
            return refuse(answer, candidates, f"none of the passages found gives it for those aged {band}"), None
        if (by := _breakdown_unsaid(query, lines)) is not None:
            return refuse(answer, candidates, f"none of the passages found breaks it down by {by}"), None
        if (span := _other_span(query, lines)) is not None:
            return refuse(answer, candidates, span), None
        if (who := PERSONS_REASON_ASKED.search(query.text)) and not has_answer_type(said_first(lines),
                                                                                   AnswerType.REASON):
            # "Why did Trudy Dean leave the Panel?" led by "... as Trudy Dean has left the Panel": that she left,
            # not why
            return refuse(answer, candidates, f"none of the passages found says why {who['who']} did"), None
        if (query.answer_type == AnswerType.PERSON and (role := ROLE_NOUN_ASKED.search(query.text))
                and not PASSIVE_ASKED.search(query.text)):
            named = self._role_named(query, role["role"], lines, units)
            if named is None:
                return refuse(answer, candidates, f"none of the passages found names the {role['role']}"), None
            lines = named
        if (query.answer_type == AnswerType.PERSON and CHAIR_OF_BODY.search(query.text)
                and (not query.parts or query.parts_are_periods)):
            # "who chairs the Care Partnership?", "who chaired the county council meeting on 13 March?" led by "Mr
            # Hood asked ...": a body's or a meeting's chair is a person, named near the chair's word; the lead's
            # other names (a questioner, "Takeover Day") are not the chair's
            named = self._role_named(query, "chair", lines, units, holder=NAMED_PERSON)
            if named is None:
                return refuse(answer, candidates, "none of the passages found names the chair"), None
            lines = named
        if query.answer_type == AnswerType.PLACE and not query.parts and not says_where(said_first(lines), query.text):
            # "where is the 18+ service based?" led by what the service does: a sentence nearly as good that says
            # where ("... is based in West Malling and Dover") leads; where none does, the papers do not say where
            placed = self._sentence_lines(query, [u for u in units if says_where(u.text, query.text)])
            if not placed or _lead_score(placed) < PLACED_LEAD_SHARE * _lead_score(lines):
                return refuse(answer, candidates, "none of the passages found says where"), None
            lines = placed
        missing = self._missing_type(query, lines)
        if missing and query.parts and not query.parts_are_periods:
            # (the lead answers a later part, "330 had an active EHCP", and the first part's own search holds what
            # the lead lacks, "approximately £59m": the answer says each part)
            missing = self._missing_type(query, lines + self._parts_alone(query, candidates, lines))
        if missing and (missing in STRICT_TYPES or answer.confidence < TYPE_MISSING_CONFIDENCE
                        or (missing == AnswerType.PERSON and (NAME_ASKED.search(query.text)
                                                              or CHAIR_OF_BODY.search(query.text)))):
            return refuse(answer, candidates, f"none of the passages found says {ASKED_AS[missing]}"), None
        if DAY_ASKED.search(query.text) and not any(DAY_SAID.search(without_headings(text)) for text, _ in lines):
            # "On what date did the government confirm ...?" led by a sentence naming only "May 2026" (and the
            # meeting's own day in its minute's heading): no day is given (where no date at all is, the
            # question is refused as not saying when, above)
            return refuse(answer, candidates, "none of the passages found gives the date"), None
        if (MONTH_ASKED.search(query.text) and not query.parts
                and not MONTH_SAID.search(without_headings(said_first(lines)))):
            # "which month in 2019 did the payment for skills scheme start?" led by "... will be introduced in 2019":
            # a year is no month (the lead and its paragraph only: a line below speaks of something else)
            return refuse(answer, candidates, "none of the passages found gives the month"), None
        answer.sure = answer.confidence >= self.sure_confidence
        return answer, _without_repeats(self._quote_widened(lines, units))

    @staticmethod
    def _quote_widened(lines: Lines, units: list[Unit]) -> Lines:
        """The lead's quoted paragraph, shown to about ``SHOWN_WORDS``: the answer was judged (and its refusal
        decided) on the shorter quote; a reader gets more of the paragraph around the lead."""
        if len(lines) < 2 or not lines[0][1] or not lines[1][0].startswith("> ") or len(lines[1][1]) != 1:
            return lines
        lead = lines[0][1][0]
        if lead.row is not None or lines[1][1][0].chunk is not lead.chunk:
            return lines
        block = paragraph_around(lead, units, SHOWN_WORDS)
        quoted = " ".join(f"**{u.text}**" if u is lead else u.text for u in block)
        if len(block) < 2 or len(quoted) <= len(lines[1][0]) - 2 or lines[1][0][2:] not in quoted:
            return lines  # (no longer, or not the same paragraph read on: a continued or run-on quote is kept)
        return [lines[0], (f"> {quoted}", block[:1]), *lines[2:]]

    @staticmethod
    def _term_unnamed(query: Query, lines: Lines) -> str | None:
        """The term of "what is / what does X do?" where the answer's lead and its paragraph never name X (by its
        words, each held in a form of the same stem, or by its acronym): "what does the Strategic Commissioning
        Board do?" led by a sentence on the needs assessment says nothing of the board. None where named."""
        if query.answer_type != AnswerType.DEFINITION or (term := term_asked(query.text)) is None:
            return None
        # the name's own words: its capitalised ones ("the MOMO app": MOMO), the generic ones being any name's
        # (a phrase, "the population of a Kent and Medway authority", is no name)
        named = [w for w in term.split() if w[:1].isupper()]
        if not named or any(w.lower() in PHRASE_WORDS for w in term.split()):
            return None
        said = said_first(lines)
        words = WordSet(tokenize(said))
        for word in named:
            own = tokenize(word)  # (none for a word searches pass over: "Panel" in "the Fostering Panel")
            spelt = next((full for name, full in query.acronyms.items() if name.lower() == word.lower()), None)
            if own and not (all(words.holds(w) for w in own)
                            or (spelt and all(words.holds(w) for w in tokenize(spelt)))):
                return term
        return None

    @staticmethod
    def _other_body(query: Query, lines: Lines) -> str | None:
        """The question asks of one service, team or panel ("the fostering service's complaints") and the answer's lead
        and its paragraph speak of another of the kind ("During 2017-18 the Adoption Service received two formal
        complaints"), never of the one asked: why it is refused, else None."""
        said = said_first(lines)
        words = WordSet(tokenize(said))
        named = {m["own"].lower() for m in BODY_NAMED.finditer(query.text)}  # every body the question names
        for asked in BODY_ASKED.finditer(query.text):
            kind, own = asked["kind"].lower(), asked["own"].lower()
            if own in NOT_BODY_NAMES or words.holds(own):
                continue
            others = {m["own"].lower() for m in BODY_NAMED.finditer(said)
                      if m["kind"].lower() == kind and m["own"].lower() not in NOT_BODY_NAMES | named}
            if others:
                return f"the passages found speak of the {sorted(others)[0]} {kind}, not the {own} {kind}"
        return None

    def _subset_unsaid(self, query: Query, lines: Lines) -> str | None:
        """"Of the 70 staff moving across, how many are qualified social workers?": the part of the whole asked
        for, where the answer's lead and its paragraph hold too little of it (idf-weighted): the lead gives the
        whole, or another count ("Of the 20 sentenced to custody, how many went to Cookham Wood?" led by "there
        were twenty young people ... sentenced to custody"). None where it is said, or nothing such is asked."""
        asked = SUBSET_ASKED.search(query.text) or (None if query.parts else SUBSET_AFTER.search(query.text))
        if asked is None:
            return None
        words = [w for w in tokenize(asked["part"]) if w not in SUBSET_VERBS]
        total = sum(self.searcher.idf(w) for w in words)
        if not total:
            return None
        said = WordSet(tokenize(said_first(lines)))
        share = sum(self.searcher.idf(w) for w in words if said.holds(w)) / total
        return None if share >= SUBSET_SHARE else " ".join(asked["part"].split()).rstrip(" ?.")

    def _role_named(self, query: Query, role: str, lines: Lines, units: list[Unit],
                    holder: re.Pattern[str] = NAMED_OR_FIRM) -> Lines | None:
        """The answer to "who is / are the ROLE ...?": its lead (and quote) where they say the role and a name;
        else a line below, or a sentence of the passages found scoring nearly as well, that does ("Two trained
        Assessors took part in this Assessment: Ahmed Mahmud and Jade Aitken."), leading; else None, to refuse: a
        lead naming someone else ("Ms Hammond added that ... no longer served on Adoption Panels" for "who are the
        adoption panels' chairs?") or no one ("... are in the process of appointing a Youth Justice Apprentice")
        does not answer."""
        says_role = re.compile(rf"\b{re.escape(role)}", re.I)

        def names_holder(text: str) -> bool:  # the role, and a name close by it ("Assessors ...: Ahmed Mahmud")
            # (or a firm named as its subject: "Ashgrove and Pellow acts as the Council's broker and custodian")
            return names_doer(query.text, text) or any(
                holder.search(text, max(0, m.start() - ROLE_NAME_SPAN), m.end() + ROLE_NAME_SPAN)
                for m in says_role.finditer(text))

        if names_holder(said_first(lines)):
            return lines
        naming = next((line for line in lines[1:] if not line[0].startswith("> ") and names_holder(line[0])), None)
        if naming is not None:
            return [(naming[0].removeprefix("Also: "), naming[1]),
                    *((text if text.startswith(("Also: ", "> ")) else f"Also: {text}", sources)
                      for text, sources in lines if text is not naming[0])]
        named = self._sentence_lines(query, [u for u in units if names_holder(u.text)])
        return named if named and _lead_score(named) >= ROLE_LEAD_SHARE * _lead_score(lines) else None

    def _name_unsaid(self, query: Query, lines: Lines) -> str | None:
        """A proper name the question narrows to (a district, a school, a team: "how many were in East Kent?")
        that no passage the answer quotes names, where the name is rare among the papers: the answer is another
        place's or body's, a near miss."""
        passages = " ".join(f"{u.chunk.header} {u.chunk.text}" for _, sources in lines for u in sources)
        passages = " ".join(passages.split())
        n = len(self.searcher.state.ids) or 1
        for match in [*PLACED_NAME.finditer(query.text), *OWNER_NAME.finditer(query.text),
                      *REGION_NAME.finditer(query.text)]:
            name = match.group(1)
            words = [w for w in name.split() if w.lower() not in NOT_NAMES]
            if not words:
                continue
            rarest = max(self.searcher.idf(w.lower()) for w in words)
            if rarest < float(np.log(1 + n / (1 + n * COMMON_NAME_SHARE))):
                continue  # a name many passages say: the council's own, its county's
            initials = "".join(w[0] for w in name.split() if w[0].isupper())
            if not re.search(rf"\b{re.escape(name)}\b", passages, re.I) and not (
                    len(initials) > 1 and re.search(rf"\b{initials}\b", passages)):
                return name
        return None

    def units(self, query: Query, candidates: list[Candidate]) -> list[Unit]:
        """The candidates' sentences, rows and decisions, each with its share of the question and its meaning."""
        units = [u for rank, c in enumerate(candidates) for u in with_meanings(split_units(c.chunk, rank), c)]
        for unit in units:
            unit.coverage = self.coverage(query, unit.text + " " + (unit.chunk.header if is_record(unit) else ""))
        self._weigh_contexts(query, units)
        return units

    def _weigh_contexts(self, query: Query, units: list[Unit]) -> None:
        """A sentence often states the figure of what the one before it names ("... elaborated on the young
        adults' cohort." "Out of the total cohort of 920 individuals, 330 had ..."): each sentence's coverage
        of the question together with the sentence before it on its page (0 for the first, and for records).
        A minute's sentence under a heading ("112. Independent Reviewing Officer Service Annual Report 2014/15
        (Item B2) (1) Mrs Skinner introduced the report.") is also read with the heading, which is no unit."""
        before = None
        flat, searched_to = "", 0
        for unit in units:
            unit.context = 0.0
            if is_record(unit):
                before = unit
                continue
            if before is None or before.chunk is not unit.chunk:
                flat, searched_to = " ".join(unit.chunk.text.split()), 0
            at = flat.find(unit.text[:40], searched_to)
            heading = flat[searched_to:at].strip() if at >= 0 else ""
            if at >= 0:
                searched_to = at + len(unit.text[:40])
            if before is not None and before.chunk is unit.chunk and before.page == unit.page:
                unit.context = self.coverage(query, f"{before.text} {unit.text}")
            unit.headed = 0.0
            if unit.chunk.minute and HEADING_LEAST < len(heading) <= HEADING_CHARS:
                unit.headed = self.coverage(query, f"{heading} {unit.text}")
                unit.context = max(unit.context, unit.headed)
            before = unit

    def evidence(self, query: Query, candidates: list[Candidate], units: list[Unit], lines: Lines,
                 period_found: bool) -> Evidence:
        """The refusal model's features for this question and answer."""
        # The passages' similarities best first, whatever order the ranker put them in: the evidence is what was
        # found, not where the ranker placed it.
        dense = sorted((c.dense for c in candidates), reverse=True)
        dense_best = max(dense[:3], default=0.0)
        terms = [t for t in dict.fromkeys(tokenize(query.text)) if not DATE_WORD.fullmatch(t)]
        weights = [self.searcher.idf(t) for t in terms]
        unseen = sum(w for t, w in zip(terms, weights, strict=True) if t not in self.searcher.document_frequency)
        said = " ".join(text for text, _ in lines)
        return Evidence(
            dense_best=dense_best,
            dense_margin=dense_best - (dense[4] if len(dense) > 4 else min(dense, default=0.0)),
            lexical_best=squash(max((c.lexical for c in candidates), default=0.0)
                                / max(1e-6, self.searcher.lexical_ceiling(tokenize(query.expanded))), 1.0),
            coverage_best=max((in_context(u) for u in units), default=0.0),
            meaning_best=max((u.meaning for u in units if u.rank < 5), default=0.0),
            meaning_answer=max((u.meaning for _, sources in lines[:1] for u in sources), default=0.0),
            coverage_answer=self.coverage(query, said) if said else 0.0,
            type_match=0.5 if query.answer_type == AnswerType.ANY else has_answer_type(said, query.answer_type),
            unseen=unseen / sum(weights) if weights else 0.0,
            period_found=1.0 if period_found else 0.0,
        )

    @staticmethod
    def _gives_only_forecasts(query: Query, lines: Lines) -> bool:
        """"What was the actual outturn once the year closed?" and papers written before it closed: their forecast
        outturn is no answer, nor a lead that names no outturn above lines that give only forecasts (a list of
        background documents, then "the forecast revenue outturn position is ...")."""
        if not lines or not OUTTURN_ASKED.search(query.text) or FORECAST_WORDS.search(query.text):
            return False
        outturns = [text for text, _ in lines if OUTTURN_WORD.search(text)]
        return bool(FORECAST_WORDS.search(lines[0][0]) or (
            outturns and not OUTTURN_WORD.search(lines[0][0]) and all(FORECAST_WORDS.search(t) for t in outturns)))

    @staticmethod
    def _missing_type(query: Query, lines: Lines) -> AnswerType | None:
        """What the question asks for (a date for "when", a name for "who", ...) if the answer's lead line does
        not hold it. Of a question in parts, what its first part asks: the lead answers that one ("what did
        Cabinet resolve on X, and where does it go next?" is answered by a resolution, not a place), and a later
        part ("... and who is on it?") may be answered by any line, in words no pattern knows ("foster
        carers"); a "when" anywhere in it still wants a date. Where the lead answers a later part ("when did the
        consultation run, and how many responded?" led by "2,389 people responded"), a line below may hold it."""
        kinds = [query.answer_type]
        in_parts = bool(query.parts) and not query.parts_are_periods
        if in_parts:
            kinds = [query.parts[0].answer_type] + ([AnswerType.DATE] if query.answer_type == AnswerType.DATE else [])
        # A figure the question itself states is no answer to it: "of the 1,600 care leavers, how many are aged
        # 21 to 25?" is not answered by a sentence about the 1,600, nor "how much of the £500k went on X?" by £500k.
        lead = lines[0][0]
        if kinds == [AnswerType.NUMBER] and len(lines) > 1 and lines[1][0].startswith("> "):
            # a figure the lead's own paragraph, quoted below it, states ("... will transfer from CYPE to ASCH.
            # ... will be approximately £59m"); a date or a name only the lead itself gives
            lead += " " + lines[1][0]
        # (the minute's number and meeting day an answer from minutes opens with are no figure of it; the day is
        # a date, where "when" is asked)
        figures = without_numbers(MINUTE_PREFIX.sub(" ", lead), ASKED_NUMBER.findall(query.text))
        # (what a thing costs or is worth is a sum: a share of something, "100% of textile waste", is not one)
        money = SUM if PRICE_ASKED.search(query.text) else MONEY
        for kind in kinds:
            if (kind in (AnswerType.NUMBER, AnswerType.ANY, AnswerType.DEFINITION) and MONEY_ASKED.search(query.text)
                    and not money.search(figures if TARGET_ASKED.search(TARGET_STATED.sub(" ", query.text))
                                         else MONEY_AIMED.sub(" ", figures))
                    and not _in_money_table(lines[0][1])):
                # "how much do we pay ...?" and no sum of money in the answer, or only the sum aimed at: "to get
                # the campaign to the target of £25,000" does not say how much "has it raised"
                if (in_parts and (not MONEY_ASKED.search(query.parts[0].text) or any(
                        not MONEY_ASKED.search(p.text) and has_answer_type(figures, p.answer_type)
                        for p in query.parts[1:]))
                        and any(SUM.search(text) for text, _ in lines[1:] if not text.startswith("> "))):
                    # the sum is a later part's ("how big is the cohort, and roughly how much budget goes across?"),
                    # or the lead answers a later part ("... and how many have an EHCP?"): a line below says it
                    continue
                return AnswerType.NUMBER
            if (kind == AnswerType.NUMBER and RATE_ASKED.search(query.text) and not query.parts
                    and not any(PERCENTAGE.search(text) for text, _ in lines)):
                return kind  # "what % / what interest rate ...?" and no percentage in the answer says none
            if kind == AnswerType.PERSON and NAME_ASKED.search(query.text) and not NAMED_PERSON.search(lead):
                return kind  # "what's the name of the manager who ...?" and the lead names only the role
            if kind in ASKED_AS and not has_answer_type(counted(figures, query) if kind == AnswerType.NUMBER else lead,
                                                        kind, count=kind == AnswerType.NUMBER and asks_count(query)):
                if kind == AnswerType.PERSON and names_doer(query.text, lead):
                    continue
                if kind == AnswerType.PLACE and says_where(lead, query.text):
                    continue  # "where does it go next?": "... to be presented to County Council on 13th February"
                if kind == AnswerType.DATE and has_answer_type(_said_of_lead(lines), kind):
                    continue  # "... has invested in a solar park. **This came into operation in October 2023"
                if (in_parts and kind == AnswerType.DATE and query.parts[0].answer_type != AnswerType.DATE
                        and any(has_answer_type(text, kind) and _speaks_of(text, part.text)
                                for text, _ in lines[1:] for part in query.parts if part.answer_type == kind)):
                    # "up to what age ..., and from when did that change?": the lead answers the age, a line below on
                    # the change the when ("From 01 April 2018, the service extended its duty ... to 25")
                    continue
                if (in_parts and any(p.answer_type not in (kind, AnswerType.ANY) and p.answer_type in ASKED_AS
                                     and has_answer_type(figures if p.answer_type == AnswerType.NUMBER else lead,
                                                         p.answer_type) for p in query.parts[1:])
                        and any(has_answer_type(text, kind) for text, _ in lines[1:])):
                    continue  # the lead answers a later part ("... and how many responded?"), a line below this one
                return kind
        return None

    @staticmethod
    def _has_year(year: int, candidates: list[Candidate]) -> bool:
        """Some passage found is of that year: its meeting, its period, or its text names it."""
        for c in candidates:
            if c.chunk.meeting_key // 10000 == year or str(year) in f"{c.chunk.period or ''} {c.chunk.header} {c.text}":
                return True
        return False

    @staticmethod
    def _has_month(query: Query, candidates: list[Candidate], in_text: bool = True) -> bool:
        """Some passage found is of the asked month: its period, its meeting (where it has no period of its own: a
        January pack's November scorecard is November's), or (``in_text``) its text names the month. A figure must
        be of the month; a text that mentions it is not enough."""
        for c in candidates:
            period = find_month(c.chunk.period or "")
            if period and period[0] * 100 + period[1] == query.month_key or month_within(c.chunk.period, *query.month):
                return True  # of the month, or of the quarter that holds it ("2015-16 Q2" for September 2015)
            if (c.chunk.meeting_key // 100 == query.month_key and not period) or (in_text and _names_month(
                    query, c.text, as_date=asks_day(query.text, query.month))):
                return True
        return False

    def _decision_lines(self, query: Query, units: list[Unit]) -> Lines:
        decisions = [u for u in units if u.chunk.kind == ChunkKind.DECISION and u.coverage >= self.min_coverage * 0.6]
        if query.month:
            in_month = [u for u in decisions if u.chunk.meeting_key // 100 == query.month_key]
            # "at its March 2025 meeting": another meeting's decision is not that meeting's (a month alone may be a
            # report's, "the November 2024-25 monitoring report", decided on later)
            decisions = in_month if in_month or names_meeting_month(query.text) else decisions
        if not decisions:
            return []
        best = max(u.coverage for u in decisions)
        decisions = [u for u in decisions if u.coverage >= best * 0.75]  # only decisions on the topic
        decisions.sort(key=lambda u: (-round(u.coverage, 1), u.rank))
        seen: set[str] = set()
        lines = []
        for unit in decisions[: self.max_sentences]:
            if unit.text in seen:
                continue
            seen.add(unit.text)
            chunk = unit.chunk
            when = human_date(chunk.meeting_date) or "an undated meeting"
            minute = f", minute {chunk.minute}" if chunk.minute else ""
            title = f" ({chunk.minute_title})" if chunk.minute_title else ""
            words = self._decision_words(query, unit.text, chunk.header)
            lines.append((f"**{chunk.committee or 'Meeting'}, {when}{minute}{title}:** {words}", [unit]))
        return lines

    def _decision_words(self, query: Query, text: str, header: str = "") -> str:
        """A resolution of parts is quoted whole, unless one part holds the question clearly better than the
        others and than the minute's title alone (the part with the asked figure: "(x) the council tax precept be
        ..."): then its lead-in and that part."""
        split = split_parts(text)
        if len(split) < 3:
            return text
        lead, parts = split[0], split[1:]
        titled = self.coverage(query, f"{header} {lead}")
        scores = sorted(((self.coverage(query, f"{header} {lead} {part}"), n) for n, part in enumerate(parts)),
                        reverse=True)
        (top, n), (second, _) = scores[0], scores[1]
        if top >= self.min_coverage * 0.5 and top - max(second, titled) >= PART_MARGIN:
            return f"{lead} … {parts[n]}"
        return text

    def row_meanings(self, state: SearchState | None = None) -> np.ndarray:
        """Each scorecard row's indicator, acronyms spelt out ("CIC (children in care)"), as a unit vector
        (one row of the matrix per ``state.rows``); embedded once per index version and kept with its
        snapshot."""
        state = state or self.searcher.state
        built = self._row_meanings
        if built is None or built[0] != state.signature:
            def embed() -> np.ndarray:
                texts = [spell_out(row.indicator, self.glossary) for row in state.rows]
                if not texts:  # an index without scorecards
                    return np.zeros((0, 0), dtype=np.float32)
                return np.asarray(self.searcher.index.embeddings.embed_documents(texts), dtype=np.float32)

            identity = getattr(self.searcher.index.embeddings, "identity", "")
            name = f"row-meanings-{digest([identity, self.glossary])}"
            matrix = self.searcher.snapshot.derived(state.signature, name, embed)
            built = self._row_meanings = (state.signature, matrix)
        return built[1]

    def _row_words(self, state: SearchState) -> _RowWords:
        """The rows' words for ``state``, made once per index version and replaced whole."""
        rows = self._rows
        if rows is None or rows.signature != state.signature:
            rows = self._rows = _RowWords(state, self.glossary)
        return rows

    def _figure_lines(self, query: Query, candidates: list[Candidate], units: list[Unit]) -> Lines:
        """The scorecard row of the retrieved passages that best matches the question (the asked month's
        first), and the same indicator in the other scorecards as its trend. Rows are matched by words (the
        indicator and its passage's header) and by meaning (the indicator, acronyms spelt out, embedded and
        compared with the question's embedding): "average IRO caseload" finds "Ave Caseloads of IROs"."""
        pool = [(row, candidate.chunk, rank) for rank, candidate in enumerate(candidates)
                for row in self.searcher.rows_by_chunk.get(candidate.id, [])]
        # The asked row may sit in the same scorecard but another passage than the ones retrieved: every row
        # of the retrieved papers' scorecards is weighed too (behind the retrieved ones, and never a row of
        # a paper the search, with its filters, did not return).
        seen = {row.id for row, _, _ in pool}
        state = self.searcher.state  # one index version throughout, though another thread may reload
        row_words = self._row_words(state)
        extra = sorted(n for document in {c.chunk.document for c in candidates}
                       for n in row_words.by_document.get(document, ()))
        pool += [(row, chunk, len(candidates)) for row, chunk in (row_words.rows[n] for n in extra)
                 if row.id not in seen]
        sims = (similarities(self.row_meanings(state), query.vector) if pool and query.vector is not None
                else None)  # one per row of ``state.rows``
        scored = []
        wants_count = asks_count(query)
        spans_asked = spans(query.text)
        wants_share = bool(SHARE_WORDS.search(query.text)) and not COUNT_WORDS.search(query.text)
        wants_time = bool(TIME_ASKED.search(query.text))
        asked = WordSet(tokenize(query.expanded))
        asked_holds: dict[str, bool] = {}  # the rows' own words recur: each is looked up in the question once
        # ``coverage`` of each row's indicator (acronyms spelt out) and its passage's header, from the sets of
        # rows that hold each question word: the rows' words are indexed once per index version.
        shares = self._row_shares(query, row_words, {row.id for row, _, _ in pool})
        left_out = {word.lower() for word in LEAVES_OUT.findall(query.text)}  # "... excluding UASC"
        for row, chunk, rank in pool:
            if _leaves_out_asked(row.indicator, asked, query.acronyms_lower, left_out):
                continue
            own = row_words.own.get(row.id)
            if own is None:  # a row of the version before a reload swapped the state in: weighed as it comes
                own = tuple(set(tokenize(row.indicator)))
                words = self.coverage(query, f"{spell_out(row.indicator, self.glossary)} {chunk.header}")
            else:
                words = shares.get(row.id, 0.0)
            position = row_words.position.get(row.id)
            meaning = 0.0 if sims is None or position is None else float(sims[position])
            score = (1 - MEANING_WEIGHT) * words + MEANING_WEIGHT * max(0.0, meaning)
            # A row that is about nothing else wins over one that adds a qualifier the question lacks
            # ("Number of Kent CIC" over "Number of OLA CIC placed in Kent").
            for t in own:
                if t not in asked_holds:
                    asked_holds[t] = holds(asked, t) or t in query.acronyms_lower
            score += SPECIFIC_WEIGHT * (sum(asked_holds[t] for t in own) / len(own) if own else 0.0)
            is_share = "%" in row.value or "%" in row.indicator
            if wants_count or wants_share:  # "how many" is a count, "what %" a share: the row's unit must agree
                score += UNIT_BONUS if is_share == wants_share else -UNIT_BONUS
            if spans_asked and names_other_span(spans_asked, row.indicator):
                score -= UNIT_BONUS
            if wants_time:  # "how long ...?" asks a time: a row that counts ("Adoption orders granted") gives none
                score += UNIT_BONUS if TIME_MEASURE.search(f"{row.indicator} {row.column or ''}") else -UNIT_BONUS
            scored.append((score, rank, row, chunk, words))  # a unit is made for the chosen row only
        if not scored:
            return []
        scored.sort(key=lambda r: (-round(r[0], 2), r[1]))
        top_score = scored[0][0]
        if top_score < self.min_coverage * 0.6:
            return []
        # Where no row matches well, a sentence that states a figure and matches the question better answers
        # instead ("Ms Hammond said the adoption rate was 16.6%, above the target of 15%").
        best_words = max(r[4] for r in scored[:3])
        stated = [(max(self.coverage(query, u.text), CONTEXT_SHARE * u.context), u) for u in units
                  if u.chunk.kind != ChunkKind.TABLE and has_answer_type(u.text, AnswerType.NUMBER, wants_count)]
        prose, prose_unit = max(stated, key=lambda s: s[0], default=(0.0, None))
        top_row = scored[0][2]
        # a best row of the other unit ("% of CIC placed within 20 miles" for "how many were placed 20 miles or
        # more away"; a count for "what %") matches no better than a weak one (a "rate" may be per 10,000: no %)
        top_share = "%" in top_row.value or "%" in top_row.indicator
        other_unit = (wants_count and top_share) or (bool(PERCENT_ASKED.search(query.text)) and not top_share)
        weak = best_words < self.min_coverage or other_unit
        if stated and (prose > best_words + (PROSE_MARGIN if weak else PROSE_LEAD)):
            return []
        if query.month:  # the period asked for comes first, if its row is about as good a match
            scored = [r for r in scored if r[2].period_key == query.month_key and r[0] >= top_score - 0.2]
            if not scored:
                return []
        elif asked := asked_period(query.text):  # a quarter or financial year: its row first, if about as good
            scored = [r for r in scored if of_period(r[2], asked) and r[0] >= top_score - 0.2]
            if not scored:  # as for a month: a row of another year is no answer (a sentence may be)
                return []
        _, rank, row, chunk, _ = scored[0]
        best = row_unit(row, chunk, rank)
        details = []
        if row.target:
            details.append(f"target {row.target}")
        if row.previous:
            details.append(f"previous period {row.previous}")
        if row.change:
            details.append(f"{row.change_column or 'change'}: {row.change}")
        if row.national and row.national.endswith("*"):
            # The footnoted comparator (the scorecards' footnotes say it is the national figure), which
            # officers ask for beside Kent's; an unmarked column is left out, its meaning being a guess.
            details.append(f"national {row.national.rstrip('*')}")
        if row.rag:
            details.append(f"RAG {row.rag}")
        extra = f" ({'; '.join(details)})" if details else ""
        lines = [(f"**{row.indicator}**: {row.value} in {period_text(best)}{extra}.", [best])]
        trend = self.figures.trend(row.indicator)
        if len(trend) >= 2:
            points = "; ".join(f"{period_text(unit)}: {unit.row.value}" for unit in trend)
            lines.append((f"Trend across the scorecards: {points}.", trend))
        if prose_unit is not None and prose >= best_words + PROSE_BESIDE and not is_fragment(prose_unit.text):
            # A report's own sentence that states figures and holds at least as much of the question as the
            # row does is given beside it: the row answers one column ("Total DSG (Forecast): 1,822.7"), the
            # sentence what was asked ("The total DSG for 2024-25 is £1,769.6m and is forecast to overspend by
            # £53.5m"); or the question asks two things ("how much LOBO debt, and at what rate?").
            lines.append(("Also: " + minute_prefix(prose_unit) + prose_unit.text, [prose_unit]))
        return lines

    def _sentence_lines(self, query: Query, units: list[Unit], nearest_typed: bool = False) -> Lines:
        """The answer's shape for any other question: the best sentence first (the direct answer), then its
        paragraph quoted as one block, then up to two more sentences from other pages that score nearly as
        well. Sentences are scored by ``selection_score``: the question's words they hold, their meaning, the
        passage's rank, and whether they hold what the question asks for (a name for "who", a date for
        "when", ...)."""
        # Every whole sentence may lead; whether the best is good enough is the refusal model's call.
        bared = [without_cover(u) for u in units]
        for unit, was in zip(bared, units, strict=True):
            if unit is not was:  # the cover's fields held the committee's name: weigh what is left
                unit.coverage = self.coverage(query, unit.text)
        # The sentence nearest the question in meaning, where it holds what the question asks for (a figure for
        # "what is the target for loneliness": "people who feel lonely ... from 7.3% ... to no more than 5%"), is
        # weighed too, though it shares few of the question's words (but some): only in the search of all the
        # passages found for the whole question, where meaning is compared across them (``nearest_typed``), not in
        # a narrowed search (a part's, the sentences naming the asked year), where a loosely near one is noise.
        best_typed = None
        if nearest_typed:
            nearest = max((u.meaning for u in bared), default=1.0)
            typed = [u for u in bared if has_answer_type(u.text, query.answer_type, asks_count(query))]
            best_typed = max(typed, key=lambda u: u.meaning, default=None)
            if best_typed is not None and best_typed.meaning < nearest - NEAREST_TYPED_MARGIN:
                best_typed = None
        # (a sentence leaning on the one before, "It also has a duty, which came into effect in September 2018,
        # ...", is let in by its share read with that one, which names its subject)
        usable = [u for u in (within_length(u) or self._form_window(query, u) for u in bared
                              if max(u.coverage, u.headed, in_context(u) if LEANS_BACK.match(u.text) else 0.0)
                              >= self.min_coverage * 0.25
                              or u.meaning >= MEANING_ENOUGH or (u is best_typed and u.coverage > 0))
                  if u is not None and not is_fragment(u.text)
                  and (query.intent == Intent.DECISION or not BARE_NOTING.search(u.text))]
        if not usable:
            return []
        terms = [q.lower() for q in QUOTED.findall(query.text)]
        asked, count = ASKED_NUMBER.findall(query.text), asks_count(query)
        share = bool(PERCENT_ASKED.search(query.text))
        kind = query.answer_type

        def holds_asked(text: str) -> bool:  # what the question asks for: a figure (not its own), a date, a name
            return bool(has_answer_type(without_numbers(text, asked) if kind == AnswerType.NUMBER else text, kind,
                                        count))

        money = kind == AnswerType.NUMBER and bool(MONEY_ASKED.search(query.text))
        defined = query.defined_terms  # as written, and spelt out where an acronym ("VSK": "Virtual School Kent")
        spans_asked = spans(query.text)

        def holds_figure(text: str) -> bool:  # "how much budget ...?" asks a sum, not any figure ("4) For ...")
            return bool(MONEY.search(without_numbers(text, asked))) if money else holds_asked(text)

        counted_words = _counted_words(query.text) if count else set()
        bodies_asked = bool(BODIES_ASKED.search(query.text))
        # the papers minuting the day asked (their lines before the first numbered minute are of that meeting too)
        minuted = {u.chunk.document for u in usable if query.day and u.chunk.minute
                   and u.chunk.meeting_key == query.day}
        for unit in usable:
            unit.score = selection_score(unit, query.answer_type, count=count, asked=asked, share=share)
            if terms and all(term in unit.text.lower() for term in terms):
                unit.score += QUOTED_BONUS  # the term the asker quoted ("what does 'connected person' mean?")
            if counted_words and _counts_thing(without_numbers(unit.text, asked), counted_words):
                unit.score += COUNTED_BONUS  # "how many FTE staff ...?": "... made up of circa. 70 FTE"
            if bodies_asked and len(_names_not_asked(unit.text, query.text)) >= 2:
                unit.score += NAMED_BODIES_BONUS  # "which other councils came?": "(West Sussex, East Sussex, ...)"
            in_minutes = unit.chunk.minute or unit.chunk.document in minuted
            if query.day and (unit.chunk.meeting_key == query.day if in_minutes else
                              query.day in {d.year * 10000 + d.month * 100 + d.day for d in find_dates(unit.text)}):
                # minuted at the meeting the question names by its date (in its minutes, numbered or not: the chair's
                # election comes before the first numbered minute), or a paper's sentence naming that date ("A
                # meeting of the County Council will be held ... on Thursday, 13th March, 2025 at 10.00 am"); a
                # minute naming it ("the minutes of the meeting on 9 January 2025 ...") is of another meeting
                unit.score += MEETING_BONUS
            if (query.month and not query.day and query.intent != Intent.FIGURE and not unit.chunk.minute
                    and _names_month(query, unit.text) and (kind not in ASKED_AS or holds_asked(unit.text))):
                # "what extra duty did the Virtual School pick up from Sept 2018?": a paper's sentence naming the
                # month ("It also has a duty, which came into effect in September 2018, to promote ..."; a minute
                # naming a month is of its own meeting, and a full date asked has its own bonus; where a grade, a
                # name or a figure is asked, one that gives it: "which grade did Ofsted give after the March 2017
                # inspection?" is not answered by a sentence that only dates the inspection)
                unit.score += MONTH_NAMED_BONUS
            if of_another_year(query, unit):
                unit.score -= OTHER_YEAR_PENALTY
            if spans_asked and names_other_span(spans_asked, unit.text):
                unit.score -= OTHER_SPAN_PENALTY
            if defined and defines(defined, unit.text):
                unit.score += DEFINES_BONUS
        usable.sort(key=lambda u: -u.score)
        lead = usable[0]

        answers = (lambda u: holds_asked(u.text)) if kind in TYPED_PARTS else None
        words = EXPLAIN_WORDS if (kind in EXPLAINED or MANNER_ASKED.search(query.text)
                                  or (kind == AnswerType.ANY and query.intent == Intent.GENERAL)) else PASSAGE_WORDS
        if kind == AnswerType.NUMBER and not holds_figure(lead.text):
            # The lead lacks what is asked (a figure, a sum); a sentence scoring about as well whose paragraph
            # runs on to it leads instead ("Financial Implications The budget ... will transfer from CYPE to ASCH."
            # ... "... will be approximately £59m").
            lead = next((u for u in usable[1:] if u.score >= lead.score - RUN_ON_LEAD_MARGIN
                         and self._runs_on_to_asked(query, u, units, words, answers, holds_figure)), lead)
        if ASKED_HEADING.search(lead.text):
            # The lead ends in a heading the paper asks ("... Children's Celebration Events How can our elected
            # members get involved?"): what follows it answers the question, and leads.
            following = _next_in_passage(lead, units)
            lead = following if following is not None and not is_fragment(following.text) else lead
        block = paragraph_around(lead, units, words, answers=answers)
        lead_text = LIST_INTRO_SPLIT.sub("\n    - ", lead.text) if LIST_INTRO.search(lead.text) else lead.text
        # A lead that opens its passage in the middle of a sentence ("not involve Independent Fostering Agencies
        # ...") is quoted from the sentence's start, in the paper's passage before ("... Ms Smith advised that
        # private fostering did"), cited to its own page.
        begun = self._sentence_begun(lead) if lead.text[:1].islower() else None
        if begun is not None:
            lead_text = f"{begun.text} {lead_text}"
        lines: Lines = [(minute_prefix(lead) + lead_text, [begun, lead] if begun is not None else [lead])]
        if LIST_INTRO.search(lead.text) and (carried := self._list_carried_on(lead)) is not None:
            # A list the passage's end cut ("... by following these key principles: - To act ...;" ... its last
            # items in the next passage) is quoted whole, its last items cited to their own passage.
            lines[0] = (lines[0][0] + carried[0], [lead, carried[1]])
        extra = [u for u in block if u is not lead]
        if extra:  # the paragraph it stands in, the direct answer in bold
            quoted = " ".join(f"**{lead_text if begun is not None else u.text}**" if u is lead else u.text
                              for u in block)
            lines.append((f"> {quoted}", block[:1]))
        if INTRODUCES_LIST.search(block[-1].text.rstrip()):
            continued = self._list_continued(block[-1])
            if continued:
                lines.append(continued)
        elif (words == EXPLAIN_WORDS and extra and (said_words := sum(len(u.text.split()) for u in block)) < words
              and (rest := self._passage_continued(block[-1], said_words, SECTION_WORDS)) is not None):
            # An explanation whose paragraph ends its passage goes on in the paper's next passage while the block
            # stays short: a section cut in two ("How can our elected members get involved?" ... "Members are
            # essential in being champions ...") is quoted as one.
            text, sources = lines[-1]
            lines[-1] = (f"{text} {rest.text}", [*sources, rest])
        elif SENTENCE_CUT.search(block[-1].text):
            # The paragraph's last sentence is cut by the end of its passage ("... agreed as part of the Budget
            # at"): it is finished from the paper's next passage, with what follows while the block stays short.
            wanting = holds_asked if answers is not None and not any(answers(u) for u in block) else None
            rest = self._sentence_continued(block[-1], sum(len(u.text.split()) for u in block), wanting)
            if rest is not None:
                text, sources = lines[-1]  # the quoted block, or the lead alone
                lines[-1] = (f"{text} {rest.text}", [*sources, rest])
        said = {_sentence_key(u.text) for u in [*block, lead]}
        places = {(lead.chunk.id, lead.page)}
        same = 0  # sentences of a page already cited: they do not take another page's place
        for unit in usable[1:]:
            if unit.score < lead.score * ALSO_SHARE:
                break
            if len(lines) - same >= self.max_sentences:
                break
            if _sentence_key(unit.text) in said or _sentence_key(unit.text) in " ".join(
                    " ".join(text.split()) for text, _ in lines):
                continue  # said already (a cut sentence's rest, quoted from the next passage, too), or the same
                # sentence from a copy of the paper, cut or whole
            if (unit.chunk.id, unit.page) in places:
                # One more sentence of a page already cited, beside the others: the answer often stands a few
                # sentences on from the best-scoring one, beyond its quoted paragraph ("Majority of looked
                # after children are in Kent." ... "Noting that 20% of Kent children ... were placed in
                # Medway."). Dev: fact recall +1 question on each set, no page or refusal lost.
                if same >= SAME_PAGE_EXTRA:
                    continue
                same += 1
            said.add(_sentence_key(unit.text))
            places.add((unit.chunk.id, unit.page))
            sources = [unit]
            if answers is not None and not answers(unit):
                # It lacks what is asked, and the next sentence of its paragraph holds it ("The budget to be
                # transferred will include ..." then "The indicative total budget ... will be approximately
                # £59m"): both are quoted, as the lead's paragraph runs on to it.
                following = _next_in_passage(unit, units, same_page=True)
                if following is not None and answers(following):
                    sources.append(following)
                    said.add(_sentence_key(following.text))
            lines.append(("Also: " + minute_prefix(unit) + " ".join(u.text for u in sources), sources))
        return lines

    def _runs_on_to_asked(self, query: Query, unit: Unit, units: list[Unit], words: int,
                          answers: Callable[[Unit], bool], holds: Callable[[str], bool]) -> bool:
        """Whether the unit's quoted paragraph, run on as the lead's would be (``answers``), has a sentence about
        the question that ``holds`` what is asked (a sum in the paragraph's last line about something else answers
        nothing)."""
        block = paragraph_around(unit, units, words, answers=answers)
        if any(holds(u.text) and self.coverage(query, u.text) >= RUN_ON_COVERAGE for u in block if u is not unit):
            return True
        if not SENTENCE_CUT.search(block[-1].text):
            return False
        rest = self._sentence_continued(block[-1], sum(len(u.text.split()) for u in block), holds)
        return rest is not None and holds(rest.text) and self.coverage(query, rest.text) >= RUN_ON_COVERAGE

    def _form_window(self, query: Query, unit: Unit) -> Unit | None:
        """A run-on of a form's labels and values, too long for a sentence and with no sentence end to cut it at
        (an EqIA's "... EQIA Title Commissioning Plan ... Responsible Officer Paul Wilson - CY EPA Approved by
        ..."): the run of ``WINDOW_WORDS`` of it that holds most of the question's words, where that run holds half
        of the share a sentence needs."""
        words = unit.text.split()
        if len(words) <= SENTENCE_WORDS:
            return None
        best, best_share = None, 0.0
        for start in range(0, len(words) - WINDOW_WORDS + WINDOW_STEP, WINDOW_STEP):
            text = " ".join(words[start:start + WINDOW_WORDS])
            share = self.coverage(query, text)
            if share > best_share:
                best, best_share = text, share
        if best is None or best_share < self.min_coverage * 0.5:
            return None
        return replace(unit, text=best, coverage=best_share)

    def _next_passage(self, last: Unit) -> tuple[StoredChunk, int] | None:
        """The paper's next passage and where its new text starts, when ``last`` is the last unit of its own
        passage (passages overlap by whole lines, so the lines both hold are skipped)."""
        own = split_units(last.chunk, last.rank)
        if not own or own[-1].text != last.text:
            return None  # the passage goes on, and ``paragraph_around`` quotes what it needs of it
        following = self.searcher.state.following(last.chunk)
        if following is None or following.document != last.chunk.document:
            return None
        start = overlap_start(last.chunk.text, following.text)
        return following, (len(last.chunk.text) - start if start is not None else 0)

    def _sentence_begun(self, first: Unit) -> Unit | None:
        """The start of a sentence that ``first``, the first unit of its passage, carries on: the paper's passage
        before holds it (passages overlap by whole lines, and a line may start mid-sentence), from its sentence's
        start to where the overlap begins. None where ``first`` opens no passage or no such start is found."""
        own = split_units(first.chunk, first.rank)
        if not own or own[0].text != first.text:
            return None
        before = self.searcher.state.preceding(first.chunk)
        if before is None or before.document != first.chunk.document:
            return None
        start = overlap_start(before.text, first.chunk.text)
        if start is None:
            return None
        begin = max((offset for offset, _ in sentences(before.text, before.kind) if offset < start), default=None)
        if begin is not None:  # a lettered item of a clause list starts it ("...; d) asked what control ...")
            items = [m.end() for m in re.finditer(r";\s+(?=\(?[a-z]\)\s)", before.text[begin:start])]
            begin += items[-1] if items else 0
        text = " ".join(before.text[begin:start].split()) if begin is not None else ""
        if not text or len(text.split()) > SENTENCE_WORDS or re.search(r"[.!?]$", text):
            return None  # (the passage before ends a sentence where the overlap starts: nothing is begun there)
        return Unit(text, before, first.rank, before.page_at(begin))

    def _passage_continued(self, last: Unit, words: int, limit: int) -> Unit | None:
        """The sentences of the paper's next passage after ``last`` (the last of its own passage) while the quoted
        block, ``words`` so far, stays within ``limit`` words."""
        found = self._next_passage(last)
        if found is None:
            return None
        following, skip = found
        if (following.item, following.minute, following.section) != (last.chunk.item, last.chunk.minute,
                                                                      last.chunk.section):
            return None  # the next passage is of another paper, minute or section of the pack
        kept: list[str] = []
        for _, text in sentences(following.text[skip:], ChunkKind.NARRATIVE):
            words += len(text.split())
            if words > limit or is_fragment(text) or SENTENCE_CUT.search(text) or CUT_AT_ABBREVIATION.search(text):
                break  # (whole sentences only: one the passage's end, or an "e.g." read as an end, cuts is left out)
            kept.append(text)
        return Unit(" ".join(kept), following, last.rank, following.page_at(skip)) if kept else None

    def _sentence_continued(self, cut: Unit, words: int, wanting: Callable[[str], bool] | None = None
                            ) -> Unit | None:
        """The rest of a sentence cut by the end of its passage, from the next, with the sentences after it
        while the quoted block (``words`` so far) stays about ``PASSAGE_WORDS`` long; or, where the block lacks
        what the question asks for (``wanting`` says whether a text holds it), up to twice as long, to the first
        sentence holding it, as ``paragraph_around`` runs on."""
        found = self._next_passage(cut)
        if found is None:
            return None
        following, skip = found
        kept: list[str] = []
        reach = max(2 * PASSAGE_WORDS, words + PASSAGE_WORDS)  # how far a run-on to what is asked may go
        for _, text in sentences(following.text[skip:], ChunkKind.NARRATIVE):
            words += len(text.split())
            # a list the sentence before introduces is quoted with it, as ``paragraph_around`` does
            limit = (2 * PASSAGE_WORDS if kept and INTRODUCES_LIST.search(kept[-1].rstrip())
                     else reach if wanting is not None else PASSAGE_WORDS)
            if kept and words > limit:
                break
            kept.append(text)
            if wanting is not None and wanting(text):
                wanting = None
                if words > PASSAGE_WORDS:
                    break
        return Unit(" ".join(kept), following, cut.rank, following.page_at(skip)) if kept else None

    def _list_continued(self, lead_in: Unit) -> tuple[str, list[Unit]] | None:
        """A lead-in that ends its passage ("Mr Love suggested ... the following amendment ...:") has its list in
        the paper's next passage: that list's opening lines (up to twice the quoted paragraph's length), quoted
        and cited to their own page."""
        found = self._next_list(lead_in)
        if found is None:
            return None
        following, skip, items = found
        unit = Unit(" ".join(items), following, lead_in.rank, following.page_at(skip))
        return ("> " + "\n> ".join(items), [unit])

    def _next_list(self, last: Unit) -> tuple[StoredChunk, int, list[str]] | None:
        """The paper's next passage after ``last`` (the last unit of its own), where its new text opens with a list:
        that passage, where its new text starts, and the list's lines (up to twice a quoted paragraph's length)."""
        found = self._next_passage(last)
        if found is None:
            return None
        following, skip = found
        lines = list_lines(following.text[skip:].split("\n"), 2 * PASSAGE_WORDS)
        return (following, skip, lines) if lines else None

    def _list_carried_on(self, lead: Unit) -> tuple[str, Unit] | None:
        """The items a list ending its passage carries on with in the paper's next passage (up to twice a quoted
        paragraph's length), each on its own line, as the lead's own items are set out."""
        found = self._next_list(lead)
        if found is None or not BULLET.match(found[2][0].strip()):
            return None  # the next passage opens with no item: the list ended with the passage
        following, skip, lines = found
        items: list[str] = []
        for line in lines:
            if BULLET.match(line):
                items.append(BULLET.sub("", line).strip())
            elif items[-1].endswith((".", ";", ":")):
                break  # the last item ended: what follows is the paper's next paragraph, not a wrapped item
            else:
                items[-1] += " " + line.strip()
        unit = Unit(" ".join(f"- {item}" for item in items), following, lead.rank, following.page_at(skip))
        return "".join(f"\n    - {item}" for item in items), unit

    def _period_lines(self, query: Query, units: list[Unit], lines: Lines) -> Lines:
        """"in 2018/19, and the year before?", "aug 2018 vs nov 2018": each period asked that the answer does not
        name yet gets the best sentence that names it."""
        said = " ".join(text for text, _ in lines)
        extra: Lines = []
        for part in query.parts:
            if part.month:
                names = partial(_names_month, part)
            elif period := asked_period(part.text):
                def names(text: str, period: str = period) -> bool:
                    return names_period(text, period)
            else:
                continue
            if names(said):
                continue
            pool = [u for u in units if names(u.text) or _names_bare_month(part, u)]
            kept = [u.coverage for u in pool]
            for unit in pool:  # its section's title says what a sentence's figures are of ("3.4.3 % of CIC team posts")
                unit.coverage = max(unit.coverage, self.coverage(part, f"{unit.chunk.section or ''} {unit.text}"))
            found = self._sentence_lines(part, pool)
            for unit, coverage in zip(pool, kept, strict=True):
                unit.coverage = coverage
            if found and found[0][0] not in said:
                extra.append(found[0])
                said += " " + found[0][0]
        return extra

    def _part_lines(self, query: Query, units: list[Unit], lines: Lines) -> Lines:
        """A part of the question ("... and who is on it?") that the answer so far does not cover gets its
        own best sentence."""
        said = " ".join(text for text, _ in lines)
        extra: Lines = []
        if query.parts_are_periods:
            extra += self._period_lines(query, units, lines)
            said += " " + " ".join(text for text, _ in extra)
        # put back after: the refusal model reads the whole question's
        whole = [(unit.coverage, unit.context) for unit in units]
        for part in query.parts:
            # (a part asking of what the first counted is said only by a line with two counts, "30 FTE IRO's ... of
            # which 13 are currently locum staff", not by the first's count alone: "..., and how many of those
            # requests resulted in support?" after "294 families requested post adoption support")
            texts = [text for text, _ in [*lines, *extra]
                     if not REFERS_BACK.search(part.text) or len(_counts(text)) >= 2]
            if self._part_said(part, texts) and not (
                    PERCENT_ASKED.search(part.text) and not PERCENTAGE.search(said)):
                # A part's words said already answer it, unless it asks for a share and none is said ("... and
                # what % of the revenue budget is that?" after the overspend's sum).
                continue
            for unit in units:
                unit.coverage = self.coverage(part, unit.text)
            self._weigh_contexts(part, units)
            # The part's own best sentence among those not quoted yet: one already quoted did not answer it
            # ("..., and what time was the meeting due to finish?" after the summons that leads).
            quoted = {id(u) for _, sources in [*lines, *extra] for u in sources}
            if REFERS_BACK.search(part.text) and (after := self._said_next(part, units, lines, quoted, said)):
                # "... and how many of those were LAC?": the sentence after one said answers it, where it holds
                # what is asked ("twenty-four young people ... remanded" / "Fourteen of these young people were
                # Kent Looked After Children"); it stands right after that one
                at = next(n for n, (_, sources) in enumerate(lines)
                          if sources and _next_in_passage(sources[0], units) is after)
                lines.insert(at + 1, (after.text, [after]))
                said += " " + after.text
                continue
            found = self._sentence_lines(part, [u for u in units if id(u) not in quoted and u.text not in said])
            if found and found[0][0] not in said:
                extra.append(found[0])
                said += " " + found[0][0]
        for unit, (coverage, context) in zip(units, whole, strict=True):
            unit.coverage, unit.context = coverage, context
        return extra

    def _said_next(self, part: Query, units: list[Unit], lines: Lines, quoted: set[int], said: str) -> Unit | None:
        """The sentence right after a sentence the answer says, in its passage, that holds what ``part`` asks for and
        enough of its words, and that the answer does not say already (in a quoted paragraph); None where none
        does."""
        following = [n for _, sources in lines for u in sources[:1]
                     if (n := _next_in_passage(u, units)) is not None and id(n) not in quoted and n.text not in said]
        if part.answer_type in TYPED_PARTS:
            following = [n for n in following if has_answer_type(n.text, part.answer_type, asks_count(part))]
        best = max(following, key=lambda u: self.coverage(part, u.text), default=None)
        return best if best is not None and self.coverage(part, best.text) >= self.min_coverage * 0.5 else None

    def _parts_alone(self, query: Query, candidates: list[Candidate], lines: Lines) -> Lines:
        """A part of the question the answer still leaves unsaid ("the capital forecast for the year, and how much
        had been spent by November?"), answered as a question of its own from its own search's passages: its lead
        line, where that answer is not refused. (The whole question's passages and lead often miss a part: one scorecard
        row answers the whole, and the part's own row or figure is ranked below it, or on a page of its own.)"""
        if not query.parts or query.parts_are_periods:
            return []
        extra: Lines = []
        for part in query.parts:
            texts = [text for text, _ in [*lines, *extra]]
            _, found = self._compose(part.text, part, part.found or candidates)
            if found is None and part.answer_type in TYPED_PARTS:
                found = self._typed_part_lines(part, part.found or candidates)
            # its lead, or where the answer says that already, the part's next line ("... at full capacity?" led by
            # the whole question's own sentence, the capacity's in the line below it)
            lead_pages = {(u.chunk.id, u.page) for u in found[0][1]} if found else set()
            fresh = [line for n, line in enumerate((found or [])[:PART_LINES])
                     if not any(line[0] in text for text in texts)
                     and (n == 0 or all((u.chunk.id, u.page) in lead_pages for u in line[1]))]
            if not fresh:
                continue
            figures = numbers_in(fresh[0][0])
            if any(unit.row for unit in fresh[0][1]) and figures <= numbers_in(" ".join(texts)):
                continue  # a row's figures said already, in another form ("High Needs Block (£m): 345.5 ...")
            extra.append(fresh[0])
        return extra

    def _led_by_first_part(self, query: Query, candidates: list[Candidate], lines: Lines) -> Lines | None:
        """The answer led by its first part's own answer, where the whole question's lead lacks what that part asks
        ("When was Medway STC last inspected, and which bodies did the inspection?" led by where young people are
        placed; asked alone, the first part is led by "Medway STC was inspected in May 2018 by Ofsted, ..."): the
        part's lead and its quoted paragraph, then the answer's other lines. None where the part alone is refused
        or lacks it too."""
        first = query.parts[0]
        _, found = self._compose(first.text, first, first.found or candidates)
        if not found or self._missing_type(first, found) is not None:
            return None
        head = found[:2] if len(found) > 1 and found[1][0].startswith("> ") else found[:1]
        said = {text for text, _ in head}
        return head + [line for line in lines if line[0] not in said]

    def _typed_part_lines(self, part: Query, candidates: list[Candidate]) -> Lines | None:
        """A part refused alone because its best sentence lacks what it asks ("..., and roughly how many FTE staff are
        transferring?" led by a sentence on the staff's consultation), where a sentence nearly as good holds it
        ("About 70 FTE staff will move across with the service"): that one, the whole question being answered
        already. None where no such sentence scores near the best."""
        units = self.units(part, candidates)
        best = self._sentence_lines(part, units)
        count = asks_count(part)
        # (a part asking "how much budget ...?" wants a sum, not any figure: "925 young adults" is none)
        money = SUM if MONEY_ASKED.search(part.text) and part.answer_type == AnswerType.NUMBER else None
        typed = self._sentence_lines(part, [u for u in units if has_answer_type(u.text, part.answer_type, count)
                                            and (money is None or money.search(u.text))])
        if not best or not typed or _lead_score(typed) < NAMED_LEAD_SHARE * _lead_score(best):
            return None
        return typed

    def _part_said(self, part: Query, texts: list[str]) -> bool:
        """A part is answered by what is said when one line holds enough of its words and, where the part asks for
        a name, a date or a figure, holds one ("..., and who on the EqIA for the delivery plan?" is not answered by
        a line on the plan that names no one)."""
        typed = part.answer_type in TYPED_PARTS
        return any(self.coverage(part, text) >= self.min_coverage
                   and (not typed or has_answer_type(text, part.answer_type, asks_count(part))) for text in texts)


def _without_repeats(lines: Lines) -> Lines:
    """The lines without an "Also:" line that only runs on around a sentence said above (a list's lines run into it:
    "- 285 requests ... - 314 cases open to the team 18+ Care Leavers Service ... based in West Malling and Dover."
    below "- 314 cases open to the team ... based in West Malling and Dover."): the reader is shown it once."""
    kept: Lines = []
    for text, sources in lines:
        if text.startswith("Also: ") and any(
                len(said := " ".join(earlier.split())) >= OPENING_CHARS and said.removeprefix("- ") in " ".join(
                    text.split()) for earlier, _ in kept):
            continue
        kept.append((text, sources))
    return kept


def _counts(text: str) -> set[str]:
    """The figures a text states, its years and days of months left out."""
    return numbers_in(YEAR_OR_DAY.sub(" ", text))


def _age_band_unsaid(query: Query, lines: Lines) -> str | None:
    """"How many care leavers aged 22 to 25 ...?" led by "... housing options for young people aged 16 to 21": the
    band asked, where the lead and its paragraph do not name it with both its ends; else None."""
    asked = AGE_BAND_ASKED.search(query.text)
    if asked is None or not lines or (query.answer_type != AnswerType.NUMBER and query.intent != Intent.FIGURE):
        return None  # (a figure's band: "why are 18-25 year olds moving to adult services?" asks of them all)
    low, high = (asked["a"], asked["b"]) if asked["a"] else (asked["c"], asked["d"])
    said = said_first(lines)
    if re.search(rf"\b{low}\s*(?:-|–|to|and)\s*{high}\b", said):
        return None
    return f"{low} to {high}"


def _breakdown_unsaid(query: Query, lines: Lines) -> str | None:
    """"What's the breakdown by district of the new foster carers approved ...?" led by the total ("... approved
    78 new foster carers"): what the figure was to be divided by, where the lead and its paragraph never name it;
    else None."""
    asked = BREAKDOWN_ASKED.search(query.text)
    if asked is None or not lines:
        return None
    by = (asked["by"] or asked["each"] or asked["dim"]).lower()
    said = WordSet(tokenize(said_first(lines)))
    return None if said.holds(by) else by


def _other_span(query: Query, lines: Lines) -> str | None:
    """"How many foster carers were approved between Sept 2019 and Aug 2020?" led by "In the period September 2018 -
    August 2019 Kent County Council approved 78 new foster carers": a count over a span the question names, where
    the lead counts over another and no line of the answer over the one asked. Why it is refused, else None."""
    asked = DATE_RANGE.search(query.text)
    if asked is None or not lines:
        return None
    wanted = _spans(asked.group())
    led = _spans(lines[0][0])
    if not wanted or not led or wanted & led or any(wanted & _spans(text) for text, _ in lines[1:]):
        return None
    shown = SPAN_WRITTEN.search(lines[0][0])
    return f"the passages found count over {' '.join(shown.group().split())}, not the period asked"


def _spans(text: str) -> set[tuple[int, int, int, int]]:
    """The month-to-month spans a text names, as (first year, month, last year, month)."""
    return {(int(m[2]), month_number(m[1]), int(m[4]), month_number(m[3])) for m in SPAN_WRITTEN.finditer(text)}


QUESTION_WORDS = frozenset("when what who where why how which did does do".split())
SPEAKS_OF_SHARE = 0.3  # a line speaks of a part when it holds this share of the part's own words


def _speaks_of(text: str, part: str) -> bool:
    """The text holds at least ``SPEAKS_OF_SHARE`` of the part's words (its carried topic's too)."""
    words = [w for w in dict.fromkeys(tokenize(part)) if w not in QUESTION_WORDS]
    held = WordSet(tokenize(text))
    return bool(words) and sum(held.holds(w) for w in words) >= SPEAKS_OF_SHARE * len(words)


# A sentence going on about what the one before it was about: "This came into operation in October 2023 ...".
GOES_ON = re.compile(r"^\W*(?:This|It|These|They|The\s+(?:scheme|project|service|site|park|facility))\b")


def _said_of_lead(lines: Lines) -> str:
    """The sentence after the lead in the paragraph quoted under it, where it goes on about the lead's subject
    (``GOES_ON``); else ""."""
    if len(lines) < 2 or not lines[1][0].startswith("> "):
        return ""
    pieces = lines[1][0].split("**")
    after = pieces[2].strip() if len(pieces) >= 3 else ""
    following = re.split(r"(?<=[.!?])\s+", after, maxsplit=1)[0]
    return following if GOES_ON.match(following) else ""


def said_first(lines: Lines) -> str:
    """The answer's lead with the paragraph quoted under it, where it has one: what the answer says first."""
    quoted = 2 if len(lines) > 1 and lines[1][0].startswith("> ") else 1
    return " ".join(text for text, _ in lines[:quoted])


def _next_in_passage(unit: Unit, units: list[Unit], same_page: bool = False) -> Unit | None:
    """The sentence after ``unit`` in its passage, or on its page of it (None where it is the last). The unit scored
    may be a cover-less or shortened copy of the passage's own: it is found by its text's end."""
    kept = [u for u in units if u.chunk.id == unit.chunk.id and (not same_page or u.page == unit.page)]
    at = next((n for n, u in enumerate(kept) if u is unit or u.text.endswith(unit.text)), None)
    return kept[at + 1] if at is not None and at + 1 < len(kept) else None


def list_lines(lines: list[str], max_words: int) -> list[str]:
    """The lines of the list that opens ``lines``: its items numbered in order ("1.", "2.", ...; "(a)", "(b)",
    ...) or bulleted, with the lines that carry them on; it ends at an item out of order ("6. Following the
    debate ..." after "3.") or at the length limit."""
    kept: list[str] = []
    expected: str | None = None  # the next item's mark
    bulleted = False
    words = 0
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        mark = LIST_MARK.match(line)
        if mark:
            label = mark.group(1) or mark.group(2)
            if bulleted or (expected is not None and label != expected):
                break
            expected = _next_mark(label)
        elif BULLET.match(line):
            if expected is not None:
                break  # a bullet after numbered items starts something else
            bulleted = True
        words += len(line.split())
        if kept and words > max_words:
            break
        kept.append(line)
    return kept


def _next_mark(label: str | None) -> str | None:
    if label is None:
        return None
    if label.isdigit():
        return str(int(label) + 1)
    return chr(ord(label) + 1) if len(label) == 1 and label < "z" else None


def with_meanings(units: list[Unit], candidate: Candidate) -> list[Unit]:
    """Each unit gets its stored sentence vector's similarity to the question (same cut, same order)."""
    if len(candidate.sentence_meanings) == len(units):
        for unit, meaning in zip(units, candidate.sentence_meanings, strict=True):
            unit.meaning = meaning
    return units


def is_record(unit: Unit) -> bool:
    """A decision or a table row: weighed with its passage's header (its label), never with a sentence."""
    return unit.chunk.kind in (ChunkKind.DECISION, ChunkKind.TABLE)


def in_context(unit: Unit) -> float:
    """A unit's share of the question, alone or (at ``CONTEXT_SHARE``) with the sentence before it."""
    return max(unit.coverage, CONTEXT_SHARE * unit.context)


ASKED_NUMBER = re.compile(r"(?<![\w.,])\d[\d,]*(?:\.\d+)?(?![\d,]*\d)")


def without_numbers(text: str, numbers: list[str]) -> str:
    """The text with each of the numbers (as a whole number, not part of a longer one nor of a range: "25" of
    "25-26" stays, which ``has_answer_type`` reads as a year) taken out."""
    for number in sorted(set(numbers), key=len, reverse=True):
        text = re.sub(rf"(?<![\w.,])(?<!\d[-/–]){re.escape(number)}(?![\d]|[.,]\d|[-/–]\d)", " ", text)
    return text


# A span of time ("repaid if they leave within 2 years"), which counts no people or things.
SPAN_OF_TIME = re.compile(r"\b(?:within|for|after|over|under|than|every|in|next|last|past)\s+(?:the\s+)?\d+(?:\.\d+)?"
                          r"\s*-?\s*(?:years?|months?|weeks?|days?|hours?|minutes?)\b", re.I)
# (a question naming a unit of time may count in it: "the average number of days", "how long", "nights of respite")
TIME_COUNTED = re.compile(r"\bhow\s+long\b|\b(?:years?|months?|weeks?|days?|hours?|minutes?|times?|sessions?|"
                          r"nights?)\b", re.I)
MONEY_AMOUNT = re.compile(r"£\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:m|bn|k|million|billion)\b)?|"
                          r"(?<![\w.,])\d[\d,.]*\s?(?:m|bn|k)\b", re.I)


def counted(figures: str, query: Query) -> str:
    """Of a count asked for ("how many social workers got the golden hello?"), the figures that may count it: not a
    sum of money ("a £3,000.00 payment") nor a span of time ("within 2 years"), unless those are what is counted."""
    if not asks_count(query) or MONEY_ASKED.search(query.text):
        return figures
    figures = MONEY_AMOUNT.sub(" ", figures)
    return figures if TIME_COUNTED.search(query.text) else SPAN_OF_TIME.sub(" ", figures)


# "... i need the actual number not a percentage": a share refused, not asked
NOT_A_SHARE = re.compile(r"\b(?:not|rather\s+than|instead\s+of)\s+(?:as\s+|in\s+)?(?:an?\s+|the\s+)?"
                         r"(?:percentages?|per\s?cent|%|rates?|shares?)(?!\w)", re.I)


def asks_count(query: Query) -> bool:
    """"How many ...", not "what % ...": a count is asked for, and a percentage does not answer it."""
    return bool(COUNT_WORDS.search(query.text)) and not SHARE_WORDS.search(NOT_A_SHARE.sub(" ", query.text))


def selection_score(unit: Unit, kind: AnswerType, count: bool = False, asked: list[str] = (),
                    share: bool = False) -> float:
    """How well a sentence answers: its share of the question's words, its meaning's closeness to the
    question's, its passage's rank, and whether it holds the kind of thing asked for (weights tuned on the
    dev split). ``asked``: the numbers the question states, no figure of the answer ("how much moves with the
    18-25 service's transfer?" is not answered by a sentence whose only number is the "18-25" of the name).
    ``share``: the question asks for a percentage, which only a sentence stating one holds."""
    said = without_numbers(unit.text, asked) if asked and kind == AnswerType.NUMBER else unit.text
    held = (1.0 if PERCENTAGE.search(said) else 0.0) if share and kind == AnswerType.NUMBER \
        else has_answer_type(said, kind, count)
    return (COVERAGE_WEIGHT * in_context(unit) + SENTENCE_MEANING_WEIGHT * max(0.0, unit.meaning)
            + RANK_WEIGHT / (1 + unit.rank) + TYPE_WEIGHT * held)


def within_length(unit: Unit) -> Unit | None:
    """The unit if it is one sentence's length; a run-on extraction (a sentence the cut did not end, running
    into the next agenda heading: "... have joined the Panel. 2 Apologies and substitutes 3 ...") cut back to
    its last sentence end within the length; else None."""
    words = unit.text.split()
    limit = LIST_WORDS if LIST_INTRO.search(unit.text) else SENTENCE_WORDS
    if len(words) <= limit:
        return unit if len(words) >= 5 else None
    if unit.chunk.kind == ChunkKind.TABLE and (short := _short_cells(unit.text)) and 5 <= len(short.split()) <= limit:
        return replace(unit, text=short)
    head = " ".join(words[:limit])
    ends = [m.end() for m in RUN_ON_END.finditer(head)]
    if not ends or len(head[: ends[-1]].split()) < 5:
        return None
    return replace(unit, text=head[: ends[-1]].strip())


def _short_cells(row: str) -> str:
    """A wide table row (a risk register's: title, cause, event, consequence ... then its scores and sums) as its
    label and its short cells, the figures and ratings a question asks for, without the paragraphs of prose
    that no sentence cut ends ("" when nothing is left out)."""
    cells = row.split("; ")
    kept = cells[:1]
    for cell in cells[1:]:
        if len(cell.split()) <= SHORT_CELL_WORDS:
            kept.append(cell)
        elif said := [s for s in re.split(r"(?<=[.!?])\s+", cell) if MONEY.search(s)]:
            kept.append(" ".join(said))  # its sentences that state a sum ("Each 1% is estimated to cost £14m.")
    return "; ".join(kept) if kept != cells else ""


def without_cover(unit: Unit) -> Unit:
    """A report's cover sheet ("By: ... To: Corporate Parenting Panel – 8 December 2015 Subject: ...") cut to
    its summary or recommendation, the part that says what the paper is about; a cover with neither is
    returned empty (it says who sent what to whom, and holds the committee's name, so it matched any question
    about the panel)."""
    if not COVER_FIELD.match(unit.text):
        return unit
    said = COVER_CONTENT.search(unit.text)
    return replace(unit, text=unit.text[said.start():] if said else "")


def _sentence_key(text: str) -> str:
    """A sentence's first words, enough to know it again in another copy of its paper where a passage's end cut
    it short ("... £17.5m has been identified as")."""
    return " ".join(text.split())[:OPENING_CHARS]


def is_fragment(text: str) -> bool:
    """A heading, a dangling lead-in or a list fragment is no answer on its own."""
    words = text.split()
    if len(words) < 8 and not re.search(r"[.!?]$", text):
        return True
    if len(words) < 8 and text[:1].islower():
        return True  # the tail of a sentence cut at a page or column: "at Full Council on 13th February."
    if FORM_QUESTION.search(text):
        return True  # a screening form's own question ("Question Number 1; Question: What is your project aim?")
    numbered = SECTION_NUMBER.sub("", text, count=1)  # "1.1 The KCC Integrated Care Strategy (ICS) Delivery Plan"
    if (len(words) < 16 and not re.search(r"[.!?]$", text) and not AMOUNT.search(numbered)
            and all(TITLED_WORD.match(w) or w.lower() in HEADING_SMALL_WORDS for w in words if LETTERS.search(w))):
        return True  # a heading in title case: "Children in Care Pupil Premium Grant (PP+) Pupil Premium Plus"
    if len(STUTTER.findall(text)) >= 2 and not AMOUNT.search(text):
        # A table's column headings read across ("Forecast Forecast against against ..."), with no figure under
        # them (a flattened table that holds its figures is kept).
        return True
    if BACKGROUND_LIST.match(text):
        return True  # a report's list of the papers behind it ("Background Documents 1 KCC's Budget webpage 2 ...")
    return bool(re.match(r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:Appendix|Annex|Table|Figure|Contents)\b", text)
                and len(words) < 15)


def paragraph_around(lead: Unit, units: list[Unit], max_words: int = PASSAGE_WORDS,
                     answers: Callable[[Unit], bool] | None = None) -> list[Unit]:
    """The lead sentence with its neighbours on the same page of the same passage: the sentence before when
    the lead leans on it ("This ...", "They ..."), the sentences after while the block stays short, and a
    whole list when the lead introduces one (ends with a colon). Where the lead lacks what the question asks
    for (``answers``: a figure for "how much"), the block runs on, up to twice as long, to the first sentence
    holding it ("The budget ... will transfer from CYPE to ASCH. ... The indicative total budget to be
    transferred ... will be approximately £59m")."""
    same = [u for u in units if u.chunk is lead.chunk and u.page == lead.page]
    at = next((i for i, u in enumerate(same) if u is lead), None)
    if at is None:
        return [lead]
    if answers is not None and not any(answers(u) for u in same[max(0, at - 1):]):
        # what is asked may stand over the page's end, in the passage's next page
        same += [u for u in units if u.chunk is lead.chunk and u.page == lead.page + 1]
    start = at
    if at > 0 and (LEANS_BACK.match(lead.text) or same[at - 1].score >= lead.score * NEIGHBOUR_SHARE):
        start = at - 1
    end = at + 1
    words = sum(len(u.text.split()) for u in same[start:end])
    wanting = answers is not None and not any(answers(u) for u in same[start:end])
    while end < len(same):
        following = len(same[end].text.split())
        introduces_list = bool(INTRODUCES_LIST.search(same[end - 1].text.rstrip()))
        if words + following > max_words and not ((introduces_list or wanting) and words + following <= 2 * max_words):
            break
        words += following
        end += 1
        if wanting and answers(same[end - 1]):
            wanting = False
            if words > max_words:
                break  # ran on to the sentence that answers: no further
    return same[start:end]


# "CIC Per 10,000 population aged under 18 (exc UASC)": what an indicator leaves out.
LEAVES_OUT = re.compile(r"\b(?:exc|excl|excluding|exclusive of|not including)\.?\s+(?:the\s+)?([A-Za-z][\w&'-]*)", re.I)


def _leaves_out_asked(indicator: str, asked: WordSet, acronyms: set[str], left_out: set[str]) -> bool:
    """The indicator leaves out what the question (its words ``asked``) asks about ("how many UASC ...?" and "...
    (exc UASC)"), unless the question leaves it out too (``left_out``: "excluding UASC")."""
    return any((holds(asked, word.lower()) or word.lower() in acronyms) and word.lower() not in left_out
               for word in LEAVES_OUT.findall(indicator))


class _RowWords:
    """The scorecard rows of one index version, indexed for ``Composer._figure_lines``: each row with its
    passage by document, its indicator's own words, and an inverted index of the words of its indicator
    (acronyms spelt out) and passage header, which says which rows hold a question's word in a few lookups
    whatever the number of rows. Weighing every row of the retrieved scorecards word by word was half of a
    figure answer's time (cProfile)."""

    def __init__(self, state: SearchState, glossary: dict[str, str]):
        self.signature = state.signature
        self.rows: list[tuple[StoredScorecardRow, StoredChunk]] = []  # in the state's order
        self.by_document: dict[str, list[int]] = {}  # positions in ``rows``
        self.own: dict[str, tuple[str, ...]] = {}
        self.position = {row.id: n for n, row in enumerate(state.rows)}  # its row of ``row_meanings``
        self._rows_with: dict[str, set[str]] = {}  # word → ids of the rows whose words include it
        for row in state.rows:
            n = state.position.get(row.chunk_id)
            if n is None:
                continue
            chunk = state.chunks[n]
            self.by_document.setdefault(chunk.document, []).append(len(self.rows))
            self.rows.append((row, chunk))
            self.own[row.id] = tuple(set(tokenize(row.indicator)))
            for word in set(tokenize(f"{spell_out(row.indicator, glossary)} {chunk.header}")):
                self._rows_with.setdefault(word, set()).add(row.id)
        self._vocabulary = sorted(self._rows_with)

    def holding(self, term: str) -> set[str]:
        """The ids of the rows whose words hold ``term`` as ``WordSet.holds`` judges it: the word itself, or,
        for a word of five letters or more, a word of the same stem (one begins the other, the shorter has at
        least five letters), and a short word's plural or singular ("male" / "males")."""
        found = set(self._rows_with.get(term, ()))
        found |= self._rows_with.get(term + "s", set())
        if term.endswith("s") and len(term) > 3:
            found |= self._rows_with.get(term[:-1], set())
        if len(term) < 5 or not term.isalpha():
            return found
        for n in range(5, len(term)):  # a shorter word that begins the term
            found |= self._rows_with.get(term[:n], set())
        at = bisect.bisect_right(self._vocabulary, term)  # longer words that the term begins
        while at < len(self._vocabulary) and self._vocabulary[at].startswith(term):
            found |= self._rows_with[self._vocabulary[at]]
            at += 1
        return found


def _in_money_table(sources: list[Unit]) -> bool:
    """The line is a table's row whose figures are sums of money by their column's name ("Total Cost of Scheme:
    243,017") or by the unit the table states ("£000s")."""
    return any(u.chunk.kind == ChunkKind.TABLE and (MONEY_COLUMN.search(u.text) or (
        MONEY_UNIT.search(f"{u.chunk.header}\n{u.chunk.text}") and re.search(r"\d", u.text))) for u in sources)


def _lead_score(lines: Lines) -> float:
    """The selection score of the sentence that leads the lines (0 for a line no sentence scored)."""
    return max((getattr(u, "score", 0.0) for u in lines[0][1]), default=0.0)


def _not_held(body: str) -> str:
    """ "no paper of Medway Council is held", "no paper of the Governance and Audit Committee is held"."""
    return f"no paper of {'' if body.endswith('Council') else 'the '}{body} is held"


def speaks_of_period(unit: Unit, asked: str) -> bool:
    """The sentence names the asked financial year or quarter, or stands in a minute whose title does ("Eight KPIs
    did not meet the floor standard (Red)" under "81. Quarterly Performance Report, Q2 2024-2025")."""
    return names_period(unit.text, asked) or bool(unit.chunk.minute and names_period(unit.chunk.header, asked))


def _of_period(chunk: StoredChunk, text: str, asked: str) -> bool:
    """A passage speaks of the asked financial year or quarter: its period is, or falls within, it (a monitoring
    report as at November 2024 is Q3 2024-25's), or the text given names it."""
    return within_period(chunk.period, asked) or names_period(text, asked)


def _of_month(query: Query, unit: Unit) -> bool:
    """The unit's passage is of the asked month by its period (a scorecard of June 2018)."""
    period = find_month(unit.chunk.period or "")
    return bool(period and period == query.month or month_within(unit.chunk.period, *query.month))


def _names_month(query: Query, text: str, as_date: bool = False) -> bool:
    """The text names the question's month (``core.periods.names_month``)."""
    return names_month(text, *query.month, as_date=as_date)


def asks_day(question: str, month: tuple[int, int]) -> bool:
    """The question asks of a day of its month ("at 31 March 2025", "at 31/3/25"): a balance at that day, which
    a table gives by its column's date ("Projected Balance 31/03/25"), so a passage dated so is of it."""
    year, number = month
    name = calendar.month_name[number][:3]
    return bool(re.search(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{name}\w*\.?,?\s+{year}\b|"
                          rf"\b\d{{1,2}}[/.]0?{number}[/.](?:{year}|{str(year)[2:]})\b", question, re.I))


def years_named(text: str) -> set[int]:
    """The calendar years a text names, a financial year's both ("2018-19": 2018 and 2019)."""
    years = {int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", text)}
    for start, end in re.findall(r"\b((?:19|20)\d\d)\s?[-/–]\s?(\d\d)\b", text):
        years.add(int(start[:2] + end))
    return years


def lone_years(text: str) -> set[int]:
    """The calendar years a text names outside its financial years ("in 2024-25 Budget: ..., in 2025-26 ...": none,
    so that a question of 2026-27 is not taken as answered by the "26" of 2025-26)."""
    return years_named(re.sub(r"\b(?:19|20)\d\d\s?[-/–]\s?(?:19|20)?\d\d\b", " ", text))


# A month of a year, "September 2018", "Aug 2019".
MONTH_OF_YEAR = re.compile(r"\b(" + "|".join(CALENDAR_NAMES[:12])
                           + r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+"
                           r"((?:19|20)\d\d)\b(?!\s?[-/–]\s?\d\d\b)")


def _years_within(text: str, financial: str) -> bool:
    """The text names a time within the asked financial year: one of its two calendar years standing alone, or a
    month of it ("In the period September 2018 - August 2019 ..." names no month of 2017-18, though 2018 is one of
    its years)."""
    start = int(financial.split()[0][:4])
    months = [(month_number(m[:3]), int(y)) for m, y in MONTH_OF_YEAR.findall(text)]
    if any((y == start and m >= 4) or (y == start + 1 and m <= 3) for m, y in months):
        return True
    return bool(lone_years(MONTH_OF_YEAR.sub(" ", text)) & {start, start + 1})


# "What's the total cost of the programme over its whole life?": a total, which a year's sum is not
TOTAL_COST_ASKED = re.compile(r"\b(?:total|whole[- ]life|lifetime|overall|full)\s+(?:[\w-]+\s+){0,3}?cost\b"
                              r"|\bcost\b[^?]*\b(?:over\s+(?:its|the)\s+(?:whole\s+)?life|from\s+start\s+to\s+finish|in\s+total|"
                              r"altogether)\b", re.I)
TOTAL_SAID = re.compile(r"\b(?:total|whole[- ]life|lifetime|overall|in\s+all|altogether|full\s+cost)\b", re.I)
# "What did the consultant's review conclude?", "what was the outcome of the court case?", "what did the survey find?":
# what came of something, which a passage saying it is still to come ("The findings of this review will be shared with
# the Panel once completed") does not give.
OUTCOME_ASKED = re.compile(r"\bwhat\s+(?:did|has|have|had)\b[^?]*\b(?:conclude|concluded|find|found|recommend|"
                           r"recommended)\b|\bwhat\s+(?:were|was|are|is)\s+the\s+(?:\w+\s+){0,3}?(?:findings|conclusions?|outcomes?|"
                           r"recommendations?)\b", re.I)
PENDING = re.compile(r"\b(?:will\s+be\s+(?:shared|reported|presented|published|brought|made\s+available|known)|"
                     r"once\s+(?:it\s+is\s+|they\s+are\s+)?(?:completed?|finished|concluded|published)|"
                     r"(?:is|are)\s+(?:yet\s+to|still\s+to|awaited|expected)\b|not\s+yet\s+(?:been\s+)?"
                     r"(?:completed|concluded|published|reported|known|decided))", re.I)
CONCLUDED = re.compile(r"\b(?:concluded|found\s+that|findings\s+(?:were|showed|show|included)|recommended\s+that|"
                       r"showed\s+that|the\s+outcome\s+was|ruled|dismissed|upheld)\b", re.I)


def _outcome_pending(query: Query, lines: Lines) -> bool:
    """What came of something is asked (``OUTCOME_ASKED``), and the lead or its paragraph says it is still to come
    (``PENDING``) and reports no outcome (``CONCLUDED``)."""
    if not OUTCOME_ASKED.search(query.text) or query.parts:
        return False
    said = said_first(lines)
    return bool(PENDING.search(said)) and not CONCLUDED.search(said)


# "How does Kent's turnover compare with Essex's?", "... vs the national average?", "is it lower than Essex's?": the
# other place or body a figure is set beside, which the answer must give too (a period compared, "vs the year
# before", is the periods' check's).
COMPARED_WITH = re.compile(r"\bcompar\w*\s+(?:with|to|against)\s+(?P<other>[^?,;]+)"
                           r"|\b(?:versus|vs\.?)\s+(?P<other2>[^?,;]+)"
                           r"|\b(?:lower|higher|better|worse|greater|smaller|bigger|fewer|more|less)\s+than\s+"
                           r"(?P<other3>[^?,;]+)", re.I)
COMPARATOR_WORDS = frozenset("national nationally england english regional region south east west london neighbours "
                             "neighbour average".split())
OWN_BODY = frozenset("kent kcc kent's our ours us we".split())
STOP_NAMES = frozenset("the a an this that these those quarter year i".split())
NATIONAL = frozenset("national nationally england english".split())


def _comparator_unsaid(query: Query, lines: Lines) -> str | None:
    """The other place or body the question compares with (``COMPARED_WITH``: a capitalised name other than Kent's,
    or the nation, region or neighbours), where no line of the answer names it; else None."""
    asked = COMPARED_WITH.search(query.text)
    if asked is None:
        return None
    other = asked["other"] or asked["other2"] or asked["other3"]
    names = [w for w in re.findall(r"[A-Za-z][\w'’-]*", other)
             if w.lower().removesuffix("'s").removesuffix("’s") not in OWN_BODY
             and (w.lower() in COMPARATOR_WORDS or (w[0].isupper() and not w.isupper()  # (an acronym: its team)
                                                     and not DATE_WORD.fullmatch(w.lower())
                                                     and not find_month(w) and w.lower() not in STOP_NAMES))]
    if not names:
        return None
    said = WordSet(tokenize(" ".join(text for text, _ in lines)))
    wanted = {t for w in names for t in tokenize(w.replace("’s", "").replace("'s", ""))}
    if wanted & NATIONAL:  # (England's figure is the national one)
        wanted |= NATIONAL
    if any(said.holds(t) for t in wanted):
        return None
    return " ".join(other.split()).rstrip(" ?.")


# "What percentage got five GCSEs?", "how many had 3 or more placements?": a count the question states as part of what
# it asks about, which the answer must state too ("4 or above in English GCSE" is another measure). No such
# condition: counts of time ("in the last 12 months"), "one" (of ...), an age ("18+ care leavers", "aged 22 to 25"),
# things already known ("who were the two assessors?", "the Service's two bases", answered by their names) and the
# question's own framing ("Two numbers pls: ...").
SPELLED_NUMBERS = {"two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
                   "nine": "9", "ten": "10", "eleven": "11", "twelve": "12"}
STATED_COUNT = re.compile(
    r"(?<!\bthe )(?<!\bits )(?<!\btheir )(?<!\bthese )(?<!\bthose )(?<!\bboth )(?<!^)"
    r"(?<!\bto )(?<!\baged )(?<!\bage )(?<!\bunder )(?<!\bover )(?<!['’]s )(?<![\w.,£$/-])"
    r"(?P<count>\d{1,3}|" + "|".join(SPELLED_NUMBERS) + r")(?!\s*\+|\s+plus\b)"
    r"(?:\s+or\s+more|\s+or\s+above)?\s+(?:[a-z]+\s+)?"
    r"(?P<noun>(?!(?:years?|months?|weeks?|days?|hours?|minutes?|per|percent|times?|or|and|to|of|in|at|on|out|"
    r"does|has|was|is|this|thus|less|plus|its|across|unless|whereas)\b)[A-Za-z][a-z]{2,}s)\b", re.I)


def _stated_count_unsaid(query: Query, lines: Lines) -> str | None:
    """The count the question states of a thing it asks about (``STATED_COUNT``: "five GCSEs", "3 or more
    placements"), where the answer's lead and its paragraph give neither that number nor its word; else None."""
    said = f" {said_first(lines).lower()} "
    for match in STATED_COUNT.finditer(query.text):
        count = match["count"].lower()
        forms = {count, SPELLED_NUMBERS.get(count, count)} | {w for w, n in SPELLED_NUMBERS.items() if n == count}
        if not any(re.search(rf"(?<![\w.,£$]){re.escape(form)}(?![\w,.]\d|\d)", said) for form in forms):
            return " ".join(match.group(0).split())
    return None


# "What's the name of the new care home ...?", "what new name did the panel choose for the service?", "what's the
# agency called?": a thing asked for by its name (a person's is ``NAME_ASKED``'s), which its description does not give.
THING_NAME_ASKED = re.compile(
    r"\bwhat(?:['’]?s|\s+is|\s+was|\s+were|\s+are)?\s+(?:the\s+|its\s+|their\s+)?(?P<new>new\s+)?names?\s+(?:of|for)\s+"
    r"(?:the\s+|our\s+|its\s+|their\s+|an?\s+)?(?P<thing>[^?]+)"
    r"|\bwhat\s+(?P<new2>new\s+)?name\s+(?:did|does|do|was|is|has|have|will)\b[^?]*?\bfor\s+(?:the\s+|our\s+|its\s+)?"
    r"(?P<thing2>[^?]+)"
    r"|\bwhat(?:['’]?s|\s+is|\s+was)\s+(?:the\s+)?(?P<thing3>[^?]+?)\s+called\b", re.I)
# Where the thing's description ends: "the care home [on the Isle of Sheppey that opened ...]".
THING_ENDS = re.compile(r"\s+(?:that|which|who|whose|on|in|at|with|where|when|and|by|from|to|opened|set|run)\b|,", re.I)
# A name given as one: "called Hillside", "known as 'Kent Cares'", "renamed the Care Leavers Service".
NAMED_AS = re.compile(r"\b(?:called|named|renamed|re-named|known\s+as|titled|branded)\s+(?:the\s+)?[\"'‘“]?[A-Z0-9]")


def _thing_name_unsaid(query: Query, lines: Lines) -> str | None:
    """The thing a question asks the name of (``THING_NAME_ASKED``), where the lead and its paragraph give it none:
    no name given as one ("called ...", "known as ..."), and, unless a new name is asked, no capitalised name
    beside the thing's own word ("the Staying Put scheme", "the home, Hillside House"). Else None."""
    asked = THING_NAME_ASKED.search(query.text)
    if asked is None or NAME_ASKED.search(query.text) or query.answer_type == AnswerType.PERSON:
        return None
    thing = THING_ENDS.split(asked["thing"] or asked["thing2"] or asked["thing3"], maxsplit=1)[0].strip()
    words = re.findall(r"[A-Za-z][\w'’-]*", thing)
    if not words:
        return None
    said = said_first(lines)
    if NAMED_AS.search(said):
        return None
    head = re.escape(words[-1].lower().removesuffix("s"))
    own = set(tokenize(query.text))
    if not (asked["new"] or asked["new2"]):
        before = rf"((?:[A-Z][\w'’&-]*\s+(?:of\s+|and\s+|&\s+)?){{1,4}})(?:[a-z][\w-]*\s+){{0,2}}(?i:{head}s?)\b"
        after = rf"(?i:{head}s?)\s*[,(–-]\s*[\"'‘“]?([A-Z][a-z][\w'’-]*)"  # (not its acronym, "Agency (RAA)")
        if any(set(tokenize(match[1])) - own for pattern in (before, after) for match in re.finditer(pattern, said)):
            return None
    return " ".join(thing.split())


def _event_unsaid(query: Query, lines: Lines) -> str | None:
    """What was done, of "how many X resigned / came to ...?" (``EVENT_ASKED``), where the lead and its paragraph say
    nothing of anyone doing it; else None."""
    asked = EVENT_ASKED.search(query.text)
    if asked is None or query.parts or re.match(r"(?:came|come)\s+in\b", asked["event"], re.I):
        return None  # (complaints that "came in" were received: no one did anything)
    said = said_first(lines).lower()
    kind = EVENT_VERBS[asked["verb"].lower()]
    if any(re.search(rf"\b{re.escape(word)}", said) for word in EVENT_WORDS[kind]):
        return None
    return " ".join(asked["event"].split()).rstrip(" ?.")


def _names_bare_month(part: Query, unit: Unit) -> bool:
    """A paper's sentence names the part's month without its year ("from 16.6 in August to 14.3 in November"), the
    paper being of that month or of the twelve after it: a report's "August" is the last one before it."""
    if not part.month:
        return False
    year, month = part.month
    met = unit.chunk.meeting_key // 100
    if not met or not 0 <= (met // 100 * 12 + met % 100) - (year * 12 + month) <= 12:
        return False
    name = calendar.month_name[month]
    return bool(re.search(rf"\b(?:{name}|{name[:3]})\b(?!\.?,?\s+(?:19|20)\d\d)", unit.text))


def of_another_year(query: Query, unit: Unit) -> bool:
    """A figure question of one part naming a year ("in October 2015"), and a sentence of a meeting of another year
    that names only other years ("so far in 2018 there had been 123 new arrivals")."""
    return bool(query.year and query.answer_type == AnswerType.NUMBER and not query.parts
                and unit.chunk.meeting_key // 10000 != query.year and _of_other_years(unit.text, query.year))


def spans(text: str) -> dict[str, set[int]]:
    """The spans and distances a text names, by their kind: "within 20 working days" -> {"day": {20}}."""
    found: dict[str, set[int]] = {}
    for match in SPAN_NAMED.finditer(text):
        found.setdefault(match[2].lower().rstrip("s"), set()).add(int(match[1]))
    return found


def names_other_span(asked: dict[str, set[int]], text: str) -> bool:
    """The text names a span of a kind asked, never with the asked number: "IHA referrals within 5 working days"
    for "IHAs done within 20 working days"."""
    said = spans(text)
    return any(kind in said and not said[kind] & numbers for kind, numbers in asked.items())


def _of_other_years(text: str, year: int) -> bool:
    """The text names years, and not this one."""
    named = years_named(text)
    return bool(named) and year not in named


def _frames_month(query: Query, text: str) -> bool:
    """The text sets the question's month as the time its figures run to: "to the end of October 2018", "as at
    June 2018", "up to March 2019", "At the time of writing this report (August 2018)"."""
    year, month = query.month
    return bool(re.search(rf"\b(?:(?:to|at|by|as at|as of|up to)\s+|"
                          rf"time of writing(?: this report| the report)?\s*\(?\s*)(?:the\s+end\s+of\s+)?"
                          rf"{calendar.month_name[month][:3]}\w*\.?,?\s+{year}\b", text, re.I))


def _titled(unit: Unit) -> str:
    """A sentence with the title of the minute it sits in: a minute on "Performance Scorecards, August 2015"
    speaks of August 2015 in every sentence, though it met in December."""
    return f"{unit.text} {unit.chunk.minute_title}" if unit.chunk.minute_title else unit.text


def minute_prefix(unit: Unit) -> str:
    """A sentence from minutes says which body, meeting and minute it records, as a panel member wants (an
    archive holds many committees' minutes: "Cabinet, 30 January 2025, minute 90")."""
    chunk = unit.chunk
    if not chunk.minute:
        return ""
    when = human_date(chunk.meeting_date)
    said = ", ".join(part for part in (chunk.committee, when, f"minute {chunk.minute}") if part)
    return f"*({said[0].upper()}{said[1:]})* "


# "What was the final revenue outturn for 2024-25?": a year's result, known once it has closed
OUTTURN_ASKED = re.compile(r"\b(?:out-?turn|actual\s+(?:spend|spending|position|overspend|underspend))\b", re.I)


def _year_end(financial: str) -> int:
    """The last day of a financial year ("2024-25": 31 March 2025) as YYYYMMDD."""
    return (int(financial.split()[0][:4]) + 1) * 10000 + 331


def _reports_day(chunk: StoredChunk, day: int) -> bool:
    """Whether a passage can say what happened on a day: a paper of a later meeting, or the day's own minutes or
    record of decision (not its agenda, written before it). A passage of no known date might."""
    return (not chunk.meeting_key or chunk.meeting_key > day
            or (chunk.meeting_key == day and bool(chunk.minute or chunk.kind == ChunkKind.DECISION)))


def _counted_words(question: str) -> set[str]:
    """The words naming what a "how many" question counts, as tokens ("FTE staff": fte, staff)."""
    found = COUNTED_THING.search(question)
    return set(tokenize(found["thing"])) if found else set()


def _counts_thing(text: str, words: set[str]) -> bool:
    """Whether a figure of the text is followed (within two words) by a word of what is counted: "70 FTE", "25
    young people"."""
    text = LABEL_NUMBER.sub(" ", YEAR_OR_DAY.sub(" ", SECTION_NUMBER.sub(" ", text)))  # "Section 6 Social Worker ..."
    for match in re.finditer(r"(?<![\w.,£])\d[\d,]*(?:\.\d+)?\s+((?:[\w-]+\s+){0,2}[\w-]+)", text):
        if set(tokenize(match[1])) & words:
            return True
    return False


def _acronyms_not_asked(text: str, question: str) -> set[str]:
    """Names written in capitals ("SAIT Recycling") that the question does not write."""
    asked = set(re.findall(r"[a-z]+", question.lower()))
    return {name for name in re.findall(r"\b[A-Z]{3,}\b", text) if name.lower() not in asked}


def _names_not_asked(text: str, question: str) -> set[str]:
    """The capitalised names of the text (a run of capitalised words, not its first word) that the question does
    not hold, mostly: "West Sussex", "East Sussex", "Isle of White"; not "the Corporate Parenting Panel Regional
    Meeting" of a question about the regional corporate parenting meeting, nor a month or a day."""
    asked = set(re.findall(r"[a-z]+", question.lower()))
    names = set()
    for match in re.finditer(r"(?<=[\s(,;])(?:[A-Z][a-z]+)(?:\s+(?:of\s+|and\s+)?[A-Z][a-z]+)*", text):
        words = set(re.findall(r"[a-z]+", match[0].lower())) - {"of", "and", "the"}
        if words and len(words & asked) < len(words) / 2 and not words & CALENDAR_WORDS:
            names.add(match[0])
    return names


__all__ = ["Composer", "minute_prefix", "same_indicator"]
