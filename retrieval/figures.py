"""Indicator trends: every scorecard row of the index, grouped by indicator, one point per reporting period.

The same rows the composer answers figure questions from (parsed once per index version); each point
keeps the citation of the page it was read from, so a chart or table can show its proof.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.compose import Citation, Composer, make_citation, period_key, same_indicator

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


class FigureSeries:
    def __init__(self, composer: Composer):
        self.composer = composer

    def _periods(self) -> dict[str, set[str]]:
        """Each indicator wording in the scorecards → the periods that report it."""
        periods: dict[str, set[str]] = {}
        for period, parsed, _unit in self.composer.scorecard_rows():
            periods.setdefault(parsed["indicator"], set()).add(period)
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
        periods = self._periods()
        counted = [(name, len(set().union(*(periods[m] for m in members))))
                   for name, members in self.groups(periods).items()]
        return sorted(counted, key=lambda item: (-item[1], item[0].lower()))

    def series(self, indicator: str) -> list[Figure]:
        """The indicator's value in every period the scorecards report it, oldest first; one point per
        period (the first row found, as the composer's trend does)."""
        members = self.groups().get(indicator)
        found: dict[str, Figure] = {}
        for period, parsed, unit in self.composer.scorecard_rows():
            wanted = parsed["indicator"] in members if members else same_indicator(indicator, parsed["indicator"])
            if period in found or not wanted:
                continue
            found[period] = Figure(
                indicator=parsed["indicator"], period=period, period_key=period_key(unit), value=parsed["value"],
                target=parsed.get("target"), previous=parsed.get("previous"), rag=parsed.get("rag"),
                polarity=parsed.get("polarity"), citation=make_citation(len(found) + 1, unit))
        return sorted(found.values(), key=lambda f: (f.period_key, f.period))
