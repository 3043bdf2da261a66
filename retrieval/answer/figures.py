"""Indicator trends: the scorecard rows ingest recognised, grouped by indicator, one point per period.

Each point keeps the citation of the page it was printed on, so a chart, a table or an answer's trend
sentence shows its proof. Rows come from the store through the searcher (loaded once per index version);
nothing here parses table text.

One indicator is often worded differently from one scorecard to the next ("Care leavers in employment,
education or training" in 2015, "% of Care Leavers in employment, education or training (of those we are
in touch with)" in 2018). Wordings are one line when

* the scorecards prove it: one period reports both with the same value, numerator and denominator; or
* their names mean nearly the same (cosine of the embedded names, acronyms spelt out, at least
  ``SAME_MEANING``), they measure the same kind of thing (a percentage, a rate, an average or a count),
  and no period reports them with different values (one indicator has one value per period).

Closest pairs are joined first, so "% with 3 or more placements" meets its own 2018 wording before the
2018 "% in same placement" (cosine 0.98 with it, but a different value in every period) can claim it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from core.periods import (
    SPELT_QUARTER,
    canonical_period,
    period_end,
    previous_period,
    quarter_number,
    without_period,
)
from core.records import StoredScorecardRow
from retrieval.answer.citations import Citation, Unit, make_citation
from retrieval.answer.units import numbers_in, row_unit
from retrieval.glossary import build_glossary, spell_out
from retrieval.hybrid import HybridSearcher, digest
from retrieval.words import tokenize

NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
# Wordings of one indicator (case, abbreviation, a qualifier in brackets: 0.92-1.0 on the corpus) score above
# this; distinct indicators that share most of their words score up to 0.98 too, and those the period check
# keeps apart.
SAME_MEANING = 0.9
# An abbreviation in a wording: capitals ("UASC", "IROs") or a short lower-case key the scorecards use ("bla").
ABBREVIATION = re.compile(r"\b[A-Za-z][A-Za-z&]{1,5}\b")
QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")  # a wording's last bracketed qualifier: "(North Kent)"
# Period types whose previous-period column is not the same measure one period earlier (an annual result).
NO_PREVIOUS_POINT = {"A"}


@dataclass
class Figure:
    """One indicator's value in one reporting period, with where it was printed."""

    indicator: str  # the wording of the scorecard that printed it
    period: str
    period_key: int  # YYYYMM, 0 when the period is not a month
    value: str  # as printed: "61.2%", "£1,234", "12"
    target: str | None
    previous: str | None
    rag: str | None
    polarity: str | None  # H: higher is better, L: lower is better, T: nearer target
    citation: Citation
    date: str | None = None  # ISO last day of the period, where the period names one
    from_previous: bool = False  # the "previous period" column of the next period's row
    period_type: str | None = None  # SS snapshot, YTD, R12M ...
    terms: list[tuple[str, str]] = field(default_factory=list)  # the wording's abbreviations explained

    @property
    def number(self) -> float | None:
        return as_number(self.value)

    @property
    def target_number(self) -> float | None:
        return as_number(self.target)


def as_number(printed: str | None) -> float | None:
    """'61.2%' → 61.2, '£1,234' → 1234.0; None when nothing numeric is printed."""
    if not printed:
        return None
    match = NUMBER.search(printed.replace(",", ""))
    return float(match.group()) if match else None


# A financial year or quarter a question names with its century ("2024/25", "Q3 2024-25"), not "16-17 year olds".
FINANCIAL_PERIOD = re.compile(r"\b(?:19|20)\d\d\s*[-/]\s*(?:19|20)?\d\d\b")


QUARTER_SPELT = re.compile(rf"\b(?:{SPELT_QUARTER})(?:\s+of)?\s+", re.I)


def asked_period(text: str) -> str | None:
    """The quarter or financial year a question asks about, named as the rows name it ("2024-25 Q3",
    "2023-24"); None for none (a month is the query's own ``month``)."""
    # "Quarter 1 2024-25", "the first quarter of 2024-25": the quarter as the rows write it ("Q1 2024-25").
    text = QUARTER_SPELT.sub(lambda m: f"Q{quarter_number(m)} ", text)
    period = canonical_period(text) if FINANCIAL_PERIOD.search(text) else None
    return period if period and re.match(r"^\d{4}-\d\d", period) else None


# A quarter or financial year as a question writes it: "Q3 2024/25", "2024-25 Q3", "2023/24".
PERIOD_PHRASE = re.compile(r"\bQ[1-4]\s*(?:19|20)?\d\d\s*[-/]\s*\d\d(?:\d\d)?\b|"
                           r"\b(?:19|20)\d\d\s*[-/]\s*\d\d(?:\d\d)?(?:\s*Q[1-4])?\b", re.I)


def period_words(text: str) -> set[str]:
    """The words of the quarters and financial years a question names ("q3", "2025", "26"): a period is
    judged by the rows' periods, not by words, as a month or a year is."""
    return {word for match in PERIOD_PHRASE.finditer(text) for word in tokenize(match.group())}


def of_period(row: StoredScorecardRow, asked: str) -> bool:
    """The row reports the asked quarter or financial year: named so, or it is the month a quarter ends in
    (a table of months reports the quarter's position in its last month's column)."""
    if canonical_period(row.period) == asked:
        return True
    return " Q" in asked and bool(row.period_key) and period_end(row.period) == period_end(asked)


def period_text(unit: Unit) -> str:
    """How an answer names a row's period: as the scorecards do ("Dec 2024") where the cited passage prints
    its numbers, else as the KPI table's column prints it ("Dec-24"), since every number of an answer must
    be on the page it cites; a column's other words follow ("2024-25", column "2024-25 Forecast")."""
    row = unit.row
    if row is None or not row.period:
        return "the period reported"
    if not row.column:
        return row.period
    column = re.sub(r"\s*([-/])\s*", r"\1", " ".join(row.column.split()))
    if not numbers_in(row.period) <= numbers_in(f"{unit.chunk.header}\n{unit.chunk.text}"):
        return column
    return f'{row.period} (column "{column}")' if without_period(column) != column and \
        re.search(r"[A-Za-z]", without_period(column)) else row.period


def same_indicator(a: str, b: str) -> bool:
    """Two scorecards name one indicator alike: nearly the same words (wording drifts a little)."""
    wanted, have = set(tokenize(a)), set(tokenize(b))
    return bool(wanted) and len(wanted & have) / len(wanted | have) >= 0.85


def unit_kind(row: StoredScorecardRow) -> str:
    """What an indicator measures: a percentage, a rate per population, an average, or a count."""
    name = row.indicator.lower()
    if "%" in row.value or name.startswith(("%", "percentage")):
        return "percent"
    if re.search(r"\bper\s+[\d,]+", name):
        return "rate"
    if re.search(r"\b(?:ave|average)\b", name) or "." in row.value:
        return "average"
    return "count"


def _same_reading(a: StoredScorecardRow, b: StoredScorecardRow) -> bool:
    """Two rows of one period that print the same value from the same numerator and denominator."""
    numbers = [as_number(x) for x in (a.value, a.numerator, a.denominator, b.value, b.numerator, b.denominator)]
    return None not in numbers and numbers[:3] == numbers[3:]


def abbreviations(text: str, glossary: dict[str, str]) -> list[tuple[str, str]]:
    """The abbreviations of a wording the glossary explains: "Ave. no of days between bla and ..." →
    [("bla", "becoming looked after")]. A lower-case word counts only when it is no word of its own."""
    upper = {k.upper(): v for k, v in glossary.items()}
    found: dict[str, str] = {}
    for token in ABBREVIATION.findall(text):
        single = token[:-1] if token.endswith("s") and token[:-1].isupper() else token  # "IROs" → "IRO"
        key = single.upper()
        if key not in upper or key.lower() == upper[key].lower():
            continue
        if single.isupper() or (single.islower() and len(upper[key].split()) >= len(single) >= 3):
            found.setdefault(single, upper[key])
    return sorted(found.items())


class FigureSeries:
    def __init__(self, searcher: HybridSearcher, glossary: dict[str, str] | None = None):
        self.searcher = searcher
        self._given_glossary = glossary
        # (index signature, units, glossary, groups), replaced whole so concurrent readers never mix versions
        self._built: tuple[str, list[Unit], dict[str, str], dict[str, set[str]]] | None = None
        self._trends: tuple[str, dict[str, list[Unit]]] = ("", {})  # (index signature, trend by indicator)

    def _current(self) -> tuple[str, list[Unit], dict[str, str], dict[str, set[str]]]:
        built = self._built
        signature = self.searcher.signature
        if built is None or built[0] != signature:
            built = self._built = (signature, *self.searcher.derived(
                f"figure-units-{digest(self._given_glossary)}", self._build))
        return built

    def _build(self) -> tuple[list[Unit], dict[str, str], dict[str, set[str]]]:
        state = self.searcher.state
        units = [row_unit(row, state.chunks[state.position[row.chunk_id]], rank=99) for row in state.rows
                 if row.period and row.chunk_id in state.position]
        glossary = self._given_glossary or build_glossary(state.texts)
        return units, glossary, self._group(units, glossary)

    @property
    def glossary(self) -> dict[str, str]:
        """The papers' own acronyms (and the curated ones): given by the assistant, or built from the index."""
        return self._current()[2]

    def units(self) -> list[Unit]:
        """Every scorecard row that names its period, as a unit of its chunk (once per index version)."""
        return self._current()[1]

    def trend(self, indicator: str) -> list[Unit]:
        """The indicator in every scorecard of the index (the first row per period), oldest first; remembered
        per index version (each figure answer asks it, and it compares the indicator with every row)."""
        signature, units = self._current()[:2]
        trends = self._trends
        if trends[0] != signature:
            trends = self._trends = (signature, {})
        found = trends[1].get(indicator)
        if found is None:
            first: dict[str, Unit] = {}
            for unit in units:
                if same_indicator(indicator, unit.row.indicator):
                    first.setdefault(unit.row.period, unit)
            found = sorted(first.values(), key=lambda unit: (period_end(unit.row.period) or _NO_DATE, unit.row.period))
            if len(trends[1]) > 5000:  # bounded: an index's indicators are a few thousand at most
                trends[1].clear()
            trends[1][indicator] = found
        return list(found)

    def _group(self, units: list[Unit], glossary: dict[str, str]) -> dict[str, set[str]]:
        """Wordings that name one indicator (see the module's docstring), under the wording most scorecards use
        (the latest, on a tie)."""
        first: dict[str, dict[str, StoredScorecardRow]] = {}  # wording → period → its first row
        for unit in units:
            first.setdefault(unit.row.indicator, {}).setdefault(unit.row.period, unit.row)
        names = sorted(first)
        if not names:
            return {}
        owner = list(range(len(names)))  # union-find over wordings

        def find(n: int) -> int:
            while owner[n] != n:
                owner[n] = owner[owner[n]]
                n = owner[n]
            return n

        kinds = [unit_kind(next(iter(first[n].values()))) for n in names]
        members: dict[int, dict[str, str]] = {n: {p: r.value for p, r in first[name].items()}
                                              for n, name in enumerate(names)}

        # A scorecard that prints one indicator for each part of the area ("... (North Kent)", "... (East Kent)")
        # in one period: those wordings are breakdowns, one line only with what their figures prove.
        variants: dict[tuple[str, str], set[str]] = {}
        for name in names:
            for period in first[name]:
                variants.setdefault((period, QUALIFIER.sub("", name)), set()).add(name)
        breakdown = {n for n, name in enumerate(names)
                     if any(len(variants[(p, QUALIFIER.sub("", name))]) >= 3 for p in first[name])}

        def join(a: int, b: int, proven: bool) -> None:
            if not proven and (a in breakdown or b in breakdown):
                return
            a, b = find(a), find(b)
            if a == b or kinds[a] != kinds[b]:
                return
            shared = members[a].keys() & members[b].keys()
            if not proven and any(as_number(members[a][p]) != as_number(members[b][p]) for p in shared):
                return  # one indicator has one value per period
            owner[b] = a
            for period, value in members.pop(b).items():
                members[a].setdefault(period, value)

        by_period: dict[str, list[int]] = {}
        for n, name in enumerate(names):
            for period in first[name]:
                by_period.setdefault(period, []).append(n)
        for period, ns in by_period.items():
            for i, a in enumerate(ns):
                for b in ns[i + 1:]:
                    if _same_reading(first[names[a]][period], first[names[b]][period]):
                        join(a, b, proven=True)
        texts = [spell_out(name, glossary) for name in names]
        vectors = np.asarray(self.searcher.index.embeddings.embed_documents(texts), dtype=np.float32)
        similarity = np.einsum("ik,jk->ij", vectors, vectors)  # einsum: no BLAS threads left spinning
        pairs = [(float(similarity[a, b]), a, b) for a in range(len(names)) for b in range(a + 1, len(names))
                 if similarity[a, b] >= SAME_MEANING]
        for _, a, b in sorted(pairs, reverse=True):
            join(a, b, proven=False)
        groups: dict[int, list[str]] = {}
        for n, name in enumerate(names):
            groups.setdefault(find(n), []).append(name)

        def standing(name: str) -> tuple:
            latest = max((period_end(p) or _NO_DATE for p in first[name]), default=_NO_DATE)
            return -len(first[name]), -latest.toordinal(), name.lower()

        return {min(group, key=standing): set(group) for group in groups.values()}

    def groups(self) -> dict[str, set[str]]:
        """Each indicator's name → the wordings the scorecards print it under."""
        return self._current()[3]

    def indicators(self) -> list[tuple[str, int]]:
        """Each indicator of the scorecards with how many periods its series shows: those reported in the
        most papers first (what a committee tracks meeting after meeting, not one paper's long table: in an
        archive, a treasury report's monthly rates outnumber any scorecard row's periods), then by periods."""
        self.searcher.ensure_fresh()  # the Figures tab asks between answers: the index may have changed
        counted = []
        for name, members in self.groups().items():
            points = self._points(members)
            papers = len({unit.chunk.document for unit, _ in points.values()})
            counted.append((papers, len(points), name))
        return [(name, periods) for _, periods, name in
                sorted(counted, key=lambda item: (-item[0], -item[1], item[2].lower()))]

    def _points(self, members: set[str]) -> dict[str, tuple[Unit, bool]]:
        """Period → the row that reports it (the first found), and whether the value is that row's own or its
        previous-period column. A period's own report wins over a later row's previous-period column."""
        own: dict[str, Unit] = {}
        for unit in self.units():
            if unit.row.indicator in members:
                own.setdefault(unit.row.period, unit)
        points = {period: (unit, False) for period, unit in own.items()}
        for period, unit in sorted(own.items(), key=lambda item: item[0]):
            row = unit.row
            before = previous_period(period)
            if (row.previous and before and before not in points and period_end(before)
                    and row.period_type not in NO_PREVIOUS_POINT and as_number(row.previous) is not None):
                points[before] = (unit, True)
        return points

    def series(self, indicator: str) -> list[Figure]:
        """The indicator's value in every period the scorecards report it, oldest first: one point per period
        (the first row found, as an answer's trend does), and the previous-period value of a row as a point
        of its own where no scorecard reports that period."""
        self.searcher.ensure_fresh()
        groups = self.groups()
        members = groups.get(indicator) or {name for name, wordings in groups.items() for w in wordings
                                            if same_indicator(indicator, w) for name in wordings}
        figures = []
        for period, (unit, from_previous) in self._points(members).items():
            row = unit.row
            when = period_end(period)
            figures.append(Figure(
                indicator=row.indicator, period=period, period_key=0 if from_previous else row.period_key,
                value=row.previous if from_previous else row.value, target=None if from_previous else row.target,
                previous=None if from_previous else row.previous, rag=None if from_previous else row.rag,
                polarity=row.polarity, citation=make_citation(1, unit), date=when.isoformat() if when else None,
                from_previous=from_previous, period_type=row.period_type,
                terms=abbreviations(row.indicator, self.glossary)))
        figures.sort(key=lambda f: (f.date or "9999", f.period))
        for n, figure in enumerate(figures, start=1):
            figure.citation.n = n
        return figures


_NO_DATE = period_end("Jan 1900")
