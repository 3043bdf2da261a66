"""Indicator trends: the scorecard rows ingest recognised, grouped by indicator, one point per period.

Each point keeps the citation of the page it was printed on, so a chart, a table or an answer's trend
sentence shows its proof. Rows come from the store through the searcher (loaded once per index version);
nothing here parses table text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.answer.citations import Citation, Unit, make_citation
from retrieval.answer.units import row_unit
from retrieval.hybrid import HybridSearcher, tokenize

NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass
class Figure:
    """One indicator's value in one reporting period, with where it was printed."""

    indicator: str
    period: str
    period_key: int  # YYYYMM, 0 when the period is not a month
    value: str  # as printed: "61.2%", "£1,234", "12"
    target: str | None
    previous: str | None
    rag: str | None
    polarity: str | None  # H: higher is better, L: lower is better, T: nearer target
    citation: Citation

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


def same_indicator(a: str, b: str) -> bool:
    """Two scorecards name one indicator alike: nearly the same words (wording drifts a little)."""
    wanted, have = set(tokenize(a)), set(tokenize(b))
    return bool(wanted) and len(wanted & have) / len(wanted | have) >= 0.85


class FigureSeries:
    def __init__(self, searcher: HybridSearcher):
        self.searcher = searcher
        self._units: list[Unit] = []
        self._signature: str | None = None

    def units(self) -> list[Unit]:
        """Every scorecard row that names its period, as a unit of its chunk (once per index version)."""
        if self._signature != self.searcher.signature:
            chunks = {chunk.id: chunk for chunk in self.searcher.chunks}
            self._units = [row_unit(row, chunks[row.chunk_id], rank=99) for row in self.searcher.rows
                           if row.period and row.chunk_id in chunks]
            self._signature = self.searcher.signature
        return self._units

    def trend(self, indicator: str) -> list[Unit]:
        """The indicator in every scorecard of the index (the first row per period), oldest first."""
        found: dict[str, Unit] = {}
        for unit in self.units():
            if same_indicator(indicator, unit.row.indicator):
                found.setdefault(unit.row.period, unit)
        return sorted(found.values(), key=lambda unit: unit.row.period_key)

    def _periods(self) -> dict[str, set[str]]:
        """Each indicator wording in the scorecards → the periods that report it."""
        periods: dict[str, set[str]] = {}
        for unit in self.units():
            periods.setdefault(unit.row.indicator, set()).add(unit.row.period)
        return periods

    def groups(self, periods: dict[str, set[str]] | None = None) -> dict[str, set[str]]:
        """Indicator wordings that name one indicator (``same_indicator``), under the wording most
        scorecards use: "% of Care Leavers in Education, Employment or Training" and "Care leavers in
        employment, education or training" are one line on a chart."""
        periods = self._periods() if periods is None else periods
        groups: list[list[str]] = []
        for name in sorted(periods, key=lambda n: (-len(periods[n]), n.lower())):
            home = next((g for g in groups if same_indicator(g[0], name)), None)
            if home is None:
                groups.append([name])
            else:
                home.append(name)
        return {group[0]: set(group) for group in groups}

    def indicators(self) -> list[tuple[str, int]]:
        """Each indicator of the scorecards with how many periods report it, most reported first."""
        self.searcher.ensure_fresh()  # the Figures tab asks between answers: the index may have changed
        periods = self._periods()
        counted = [(name, len(set().union(*(periods[m] for m in members))))
                   for name, members in self.groups(periods).items()]
        return sorted(counted, key=lambda item: (-item[1], item[0].lower()))

    def series(self, indicator: str) -> list[Figure]:
        """The indicator's value in every period the scorecards report it, oldest first; one point per
        period (the first row found, as an answer's trend does)."""
        self.searcher.ensure_fresh()
        members = self.groups().get(indicator)
        found: dict[str, Figure] = {}
        for unit in self.units():
            row = unit.row
            wanted = row.indicator in members if members else same_indicator(indicator, row.indicator)
            if row.period in found or not wanted:
                continue
            found[row.period] = Figure(
                indicator=row.indicator, period=row.period, period_key=row.period_key, value=row.value,
                target=row.target, previous=row.previous, rag=row.rag, polarity=row.polarity,
                citation=make_citation(len(found) + 1, unit))
        return sorted(found.values(), key=lambda f: (f.period_key, f.period))
