"""Performance tables whose periods are columns, read as figures once, at ingest.

Councils print their KPI tables with one indicator per row and one column per period: months ("Dec-24",
"Nov 2024"), quarters ("Q3 2024/25"), financial years ("2023/24", "2024-25 forecast"), often with
"Latest", "Target", "RAG" and "Direction of travel" columns. Each (indicator, period column) becomes a
``ScorecardRow`` like a scorecard's (``ingest.scorecard``): the value as printed, the period named as the
scorecards name theirs ("Dec 2024", "2024-25 Q3", "2023-24", ``core.periods.canonical_period``), its
YYYYMM key for a month (0 otherwise, as the scorecards' quarters), and the table's target and RAG rating
on the row of the latest period (a rating and a target are for the period reported, not the history).

Tables arrive in two forms, both read here from the chunks, so every row points at the chunk that
holds its text:

* a ruled table pdfplumber found, which the chunker writes a row per line under its header
  ("Bank Rate; Dec -24: 4.75; Mar- 25: 4.50"): each "column: value" whose column names a period is a row;
* a table the reader saw only as text: a header line of period columns ("Indicator 2013-14 2014-15 ...
  Target RAG", pipes allowed), then lines of a label and exactly one figure per column. A line whose count
  of figures differs is not aligned with certainty and gives nothing.

A table all of whose periods begin after the paper's meeting is a plan or a forecast (a capital
programme's future years), not a performance table, and gives nothing. A short caption or units row
("All figures in £m", "£s per pupil") qualifies the indicator, so one label in several tables of a
report ("Maintained Special School": spend, pupils, cost per pupil) names several indicators.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

from core.dates import MONTH_NAME, find_month, month_key, month_number
from core.periods import canonical_period, period_end, previous_period, without_period
from core.records import Chunk, ChunkKind, ScorecardRow, printed_label
from ingest.scorecard import scorecard_rows

# A figure as a KPI table prints it: "1,234", "65.7%", "£1,234", "-0.307", "(1.2)", "£20,629", "77*", "4.5m".
FIGURE = re.compile(r"^[+-]?\(?£?[+-]?\d[\d,]*(?:\.\d+)?(?:%|[mk]|bn)?\)?\**$")
RAG_CELL = re.compile(r"^(?:G|A|R|AG|AR|RA|GA|Green|Amber|Red|Amber/Green|Amber/Red|Red/Amber|Green/Amber)$", re.I)
EMPTY_CELL = re.compile(r"^(?:-|–|n/?a|N/?A|\*+|tbc|TBC|tbd)$")
# A column that is no period of its own: its cells are counted and not read.
OTHER_COLUMN = re.compile(r"\b(?:direction|dot|trend|variance|var|change|difference|average|ave|avg|total|"
                          r"increase|decrease|polarity|comparator|national|statistical neighbours?|england)\b", re.I)
# An "other" column whose figure is the row's movement ("Change £m", "Increase", "Variance"): given beside the
# latest period's value, as it answers "how much has it gone up?".
CHANGE_COLUMN = re.compile(r"\b(?:change|increase|decrease|difference|variance|var|movement)\b", re.I)
LATEST_COLUMN = re.compile(r"^(?:latest|latest (?:result|value|data|position|figure)|current|current position)$", re.I)
# A date column ("31.3.24", "30-Nov-24", "31/03/2025"): its figures are as at that month's end.
DATE_COLUMN = re.compile(r"^(?:as at\s+)?(?P<d>[0-3]?\d)[./-](?:(?P<m>[01]?\d)|" + MONTH_NAME +
                         r")[./-](?P<y>(?:19|20)?\d\d)$", re.I)
# A unit a caption or units row states: "All figures in £m", "£000s", "£s per pupil", "%".
UNIT = re.compile(r"£\s?(?:m|bn|k|000s?|s(?:\s+per\s+\w+)?)\b|\bper\s+[\d,]+(?:\s+\w+)?|^%$", re.I)
CAPTION_WORDS = 8  # a caption longer than this is a title, not the table's unit
# A multi-year spending programme's columns, and a column qualifier that makes its figures a plan's.
PROGRAMME_COLUMN = re.compile(r"\b(?:prior|previous|later|future)\s+years?\b|\btotal\s+cost\b", re.I)
PLAN_WORDS = re.compile(r"\b(?:plans?|planned|projected|projections?|by)\b", re.I)
MIN_PERIODS = 2  # columns naming periods that make a table of periods (one, with a target or RAG column)

# A text-only table's header: an optional label heading, then nothing but column names.
_YY = r"(?:19|20)?\d\d"
_HEADER_COLUMN = (
    rf"Q[1-4]\s*{_YY}\s*[-/]\s*{_YY}|{_YY}\s*[-/]\s*{_YY}\s*Q[1-4]|"  # quarters
    + MONTH_NAME + rf"\.?\s*[-'’/]?\s*{_YY}|"  # months
    + rf"(?:19|20)\d\d\s*[-/]\s*{_YY}|\d\d[-/]\d\d|"  # financial years
    r"Latest|Target(?:\s+for\s+\d\d(?:\d\d)?\s*[-/]\s*\d\d(?:\d\d)?)?|RAG(?:\s+(?:rating|status))?|"
    r"Direction\s+of\s+travel|DoT|Trend|Ave(?:rage)?|(?:Grand\s+)?Total|Change|Variance"
)
HEADER_COLUMN = re.compile(rf"(?<!\S)(?:{_HEADER_COLUMN})(?=\s|$)", re.I)
PIPES = re.compile(r"\s*\|\s*")
# "Table 5.1 - Dedicated Schools Grant 2025-26 and Latest DSG 2024-25": a table's title, above or over it.
TABLE_TITLE = re.compile(r"^Table\s+\d+(?:\.\d+)?\s*[-–—:]\s*(?P<title>[A-Za-z].{4,118})$")
BARE_TOTAL = re.compile(r"^(?:grand |net |overall )?totals?$", re.I)
SEPARATOR = re.compile(r"^[\s|:-]+$")


@dataclass
class Column:
    """What a table's column holds: a period's figures, the target, the RAG rating, or something else."""

    printed: str  # the header as printed
    kind: str  # "period", "latest", "target", "rag" or "other"
    period: str | None = None  # the canonical period of a period column
    qualifier: str = ""  # the header's words besides its period: "forecast", "Budget", "(incl. ASCL) £p"


@functools.lru_cache(maxsize=4096)  # a table's headings repeat on every row's line
def read_column(header: str) -> Column:
    """A table's header cell classified: "Dec -24" → Dec 2024; "Target 2024/25" → the target; "RAG" ..."""
    text = " ".join(header.split())
    if not text:
        return Column(text, "other")
    if re.search(r"\bRAG\b", text) or text.lower() in ("status", "rating", "rag rating"):
        return Column(text, "rag")
    if re.search(r"\btarget\b", text, re.I):
        return Column(text, "target")
    if LATEST_COLUMN.match(text):
        return Column(text, "latest")
    if match := DATE_COLUMN.match(text):
        month = int(match["m"]) if match["m"] else month_number(match["month"])
        year = int(match["y"]) if len(match["y"]) == 4 else 2000 + int(match["y"])
        if 1 <= month <= 12:
            return Column(text, "period", canonical_period(f"{date(year, month, 1):%b %Y}"))
    period = canonical_period(text)
    if period is None or OTHER_COLUMN.search(text) and not re.search(r"\d", OTHER_COLUMN.sub("", text)):
        return Column(text, "other")
    rest = re.sub(r"\s+", " ", without_period(text)).strip(" -–:,*")
    # "2024-25 Variance": a change over the period, not its value; "2025-26 (incl. increase in ASCL) £p" is the
    # period's value, its aside only says what the value includes.
    if OTHER_COLUMN.search(re.sub(r"\([^)]*\)", " ", rest)):
        return Column(text, "other")
    return Column(text, "period", period, rest)


def _period_start(period: str) -> date | None:
    """The first day of a canonical period (a month, a quarter, a financial year)."""
    end = period_end(period)
    if end is None:
        return None
    months = 1 if re.match(r"^[A-Z][a-z]{2} \d{4}$", period) else 3 if " Q" in period else 12
    month = end.month - months + 1
    year = end.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


def is_plan(columns: list[Column], meeting_date: str | None, programme_from: date | None = None) -> bool:
    """A plan, not performance: a spending programme (a "Prior years" or "Total cost" column beside its
    years), every period column a plan's ("2025-26 Plans"), or every period beginning after the meeting (or
    within a programme the paper already showed: its later years continue on the next pages)."""
    if is_programme(columns):
        return True
    periods = [c for c in columns if c.kind == "period"]
    if periods and all(PLAN_WORDS.search(c.qualifier) for c in periods):
        return True
    starts = [_period_start(c.period) for c in periods if c.period]
    after = [d for d in (date.fromisoformat(meeting_date) if meeting_date else None, programme_from) if d]
    return bool(starts and after) and all(start is not None and start >= min(after) for start in starts)


def is_programme(columns: list[Column]) -> bool:
    return any(PROGRAMME_COLUMN.search(c.printed) for c in columns if c.kind == "other")


def _first_start(columns: list[Column]) -> date | None:
    starts = [s for c in columns if c.kind == "period" and c.period and (s := _period_start(c.period))]
    return min(starts, default=None)


def is_table_of_periods(columns: list[Column]) -> bool:
    periods = [c for c in columns if c.kind in ("period", "latest")]
    return len(periods) >= MIN_PERIODS or (len(periods) == 1 and any(c.kind in ("target", "rag") for c in columns))


def _unit(text: str) -> str | None:
    """The unit a short caption or a units row states ("All figures in £m" → "£m")."""
    text = " ".join(text.split())
    if not text or len(text.split()) > CAPTION_WORDS:
        return None
    match = UNIT.search(text)
    return match.group().strip() if match else None


def _indicator(label: str, unit: str | None, qualifier: str) -> str:
    # "Post 16 institutions***", "Schools Block (*)": footnote marks
    name = " ".join(re.sub(r"\(\s*\)", " ", label.replace("*", " ")).split()).rstrip(":")
    if unit and qualifier and unit.lower() in qualifier.lower():
        unit = None  # the qualifier states it ("Precept @ £1,691.19 (incl. ASCL) £000s")
    for extra in (unit, qualifier):
        if extra and extra.lower() not in name.lower():
            name += f" ({extra})"
    return name


def _figure(cell: str) -> bool:
    return bool(FIGURE.match(cell)) and bool(re.search(r"\d", cell))


@dataclass
class _Cell:
    column: Column
    value: str
    unit: str | None = None  # the column's own unit, from a units row under the header ("£m", "%")


def _rows_of(label: str, cells: list[_Cell], unit: str | None) -> list[dict]:
    """One row per period cell holding a figure, the target and RAG on the latest period's row."""
    target = next((c.value for c in cells if c.column.kind == "target" and _figure(c.value)), None)
    rag = next((c.value for c in cells if c.column.kind == "rag" and RAG_CELL.match(c.value)), None)
    periods = [c for c in cells if c.column.kind in ("period", "latest")]
    seen: set[str | None] = set()
    # Where two columns share a period ("2024-25 Budget", "2024-25 Forecast"), every column's own words name
    # its indicator: "Dartford (Final Band D Equivalent Taxbase)" 2024-25 beside 2025-26's two columns.
    qualified = any(c.column.period in seen or seen.add(c.column.period) for c in periods)
    made = []
    for c in periods:
        if not _figure(c.value):
            continue
        qualifier = c.column.qualifier if qualified else ""
        # A share is no amount of the table's unit ("Rate of increase in spend" in a table "in £m").
        of_unit = None if "%" in c.value or c.unit == "%" else c.unit or unit or _unit(c.column.qualifier)
        # A figure of a column headed "%" is a percentage, and says so ("4.33%", as a scorecard prints it).
        value = f"{c.value}%" if c.unit == "%" and not c.value.rstrip().endswith("%") else c.value
        made.append({"indicator": _indicator(label, of_unit, qualifier), "value": value, "column": c.column,
                     "period": c.column.period})
    if not made:
        return []
    latest = next((m for m in made if m["column"].kind == "latest"), None) or max(
        made, key=lambda m: period_end(m["period"]) or date.min)
    if target and target != latest["value"]:
        latest["target"] = target
    if rag:
        latest["rag"] = rag[0].upper() if len(rag) > 2 else rag.upper()
    change = next((c for c in cells if c.column.kind == "other" and CHANGE_COLUMN.search(c.column.printed)
                   and _figure(c.value)), None)
    if change is not None:
        for m in made:  # every column of the latest period ("2024-25 Budget", "2024-25 Forecast", "Variance")
            if m["period"] == latest["period"]:
                m["change"] = change.value
                m["change_column"] = " ".join([" ".join(change.column.printed.split()), change.unit or ""]).strip()
    by_period = {m["period"]: m for m in made if m["period"]}
    for m in made:  # the previous period's value, where the table prints that very period
        before = _previous(m["period"])
        if before and before in by_period and m["indicator"] == by_period[before]["indicator"]:
            m["previous"] = by_period[before]["value"]
    return made


def _previous(period: str | None) -> str | None:
    return canonical_period(previous_period(period)) if period else None


def _table_line(line: str) -> tuple[str | None, list[tuple[str, str]]]:
    """A pdfplumber row as the chunker writes it ("Label; Column: value; ..."): its label (the first cell
    with letters that no column names) and its (column, value) pairs."""
    label = None
    pairs = []
    for piece in line.split("; "):
        head, sep, value = piece.rpartition(": ")
        if sep and head:
            pairs.append((head, value.strip()))
            if label is None and re.search(r"[A-Za-z]{2}", value) and not _figure(value) \
                    and read_column(head).kind == "other" and not RAG_CELL.match(value.strip()):
                label = value
        elif label is None and re.search(r"[A-Za-z]{2}", piece) and not _figure(piece):
            label = piece
    return label, pairs


def _text_header(line: str) -> list[Column] | None:
    """A text-only table's header line ("Indicator 2013-14 2014-15 ... Target RAG") as its columns."""
    text = PIPES.sub(" ", line).strip()
    found = list(HEADER_COLUMN.finditer(text))
    if len(found) < MIN_PERIODS or found[-1].end() != len(text):
        return None
    first = len(found) - 1  # the columns run to the line's end with nothing but spaces between them
    while first > 0 and not text[found[first - 1].end():found[first].start()].strip():
        first -= 1
    lead = text[:found[first].start()]
    if re.search(r"\d", lead) or len(lead.split()) > 6:
        return None
    columns = [read_column(m.group()) for m in found[first:]]
    return columns if is_table_of_periods(columns) else None


def _text_row(line: str, columns: list[Column]) -> tuple[str, list[_Cell]] | None:
    """A line of a text-only table: a label, then exactly one cell per column."""
    tokens = PIPES.sub(" ", line).split()
    if len(tokens) <= len(columns):
        return None
    label_tokens, values = tokens[: -len(columns)], tokens[-len(columns):]
    label = " ".join(label_tokens)
    if not re.search(r"[A-Za-z]{3}", label) or _figure(label_tokens[-1]) and len(label_tokens) == 1:
        return None
    cells = []
    for column, value in zip(columns, values, strict=True):
        ok = (_figure(value) or EMPTY_CELL.match(value)) if column.kind in ("period", "latest", "target") else \
            (RAG_CELL.match(value) or EMPTY_CELL.match(value)) if column.kind == "rag" else True
        if not ok:
            return None
        cells.append(_Cell(column, value))
    if not any(_figure(c.value) for c in cells if c.column.kind in ("period", "latest")):
        return None
    return label, cells


def kpi_rows(chunks: list[Chunk], known: list[ScorecardRow] = ()) -> list[ScorecardRow]:
    """Every figure of a table whose periods are columns, in the document's chunks, each tied to the chunk
    and page that print it; none that ``known`` (the scorecard parser's rows) already holds."""
    found: list[ScorecardRow] = []
    seen = {(r.chunk, r.indicator, r.period) for r in known}
    seen_lines = {(r.chunk, r.text) for r in known}
    printed: set[tuple] = set()  # a line in two overlapping chunks is one row

    def add(position: int, chunk: Chunk, offset: int, text: str, made: list[dict]) -> None:
        page = chunk.page_at(offset)
        for m in made:
            period = m["period"] or chunk.period
            key = (m["indicator"], period, m["column"].printed, m["value"], page)
            if key in printed or (position, m["indicator"], period) in seen:
                continue
            printed.add(key)
            found.append(ScorecardRow(
                document=chunk.document, chunk=position, text=text, header=chunk.header, page=page,
                page_label=printed_label(chunk.page_label, chunk.page_start, page),
                meeting_date=chunk.meeting_date, item=chunk.item, minute=chunk.minute, period=period,
                period_key=month_key(find_month(period or "")), indicator=m["indicator"], value=m["value"],
                rag=m.get("rag"), target=m.get("target"), previous=m.get("previous"),
                change=m.get("change"), change_column=m.get("change_column"),
                column=" ".join(m["column"].printed.split())))

    header: list[Column] | None = None
    programme_from: date | None = None  # the first year of a spending programme the paper showed
    titles = _table_titles(chunks)
    for position, chunk in enumerate(chunks):
        offset = 0
        unit: str | None = None
        # A sub-heading or units row under the header, per column ("30-Nov-24: Actual Portfolio; 30-Nov-24:
        # Average Rate", then "£m", "%"): keyed by heading and its occurrence, as one heading may repeat.
        sub_words: dict[tuple[str, int], list[str]] = {}
        sub_units: dict[tuple[str, int], str] = {}
        if chunk.kind == ChunkKind.TABLE:
            header = None
        naming = _naming_heading(chunk.text) if chunk.kind == ChunkKind.TABLE else None
        for line in chunk.text.split("\n"):
            stripped = line.strip()
            here = offset
            offset += len(line) + 1
            if not stripped or (position, stripped) in seen_lines:
                continue
            if chunk.kind == ChunkKind.TABLE and ": " in stripped:
                label, pairs = _table_line(stripped)
                if label is not None and naming:
                    label = dict(pairs).get(naming) or label
                if label is not None and BARE_TOTAL.match(label.strip(" *:")):
                    # "Total" is the total of what its table is titled: "Total (Dedicated Schools Grant ...)"
                    page = chunk.page_at(here)
                    title = _one(titles.get(page, [])) if page in titles else _one(titles.get(page - 1, [])[-1:])
                    label = f"{label.strip(' *:')} ({title})" if title else label
                columns = [read_column(head) for head, _ in pairs]
                if label is None:  # a units row ("Total Cost: £000s; 2025-26: £000s") or a sub-header
                    units = {_unit(v) for _, v in pairs}
                    if len(units) == 1 and None not in units:
                        unit = units.pop()  # one unit for the whole table
                    for key, (_, value) in zip(_keys(pairs), pairs, strict=True):
                        if _unit(value):
                            sub_units[key] = _unit(value)
                        elif re.search(r"[A-Za-z]", value):
                            sub_words.setdefault(key, []).append(value)
                    continue
                if is_programme(columns):
                    first = _first_start(columns)
                    programme_from = min(d for d in (first, programme_from) if d) if first or programme_from else None
                if not is_table_of_periods(columns) or is_plan(columns, chunk.meeting_date, programme_from):
                    continue
                cells = [_Cell(_with_words(c, sub_words.get(key, [])), v, sub_units.get(key))
                         for c, key, (_, v) in zip(columns, _keys(pairs), pairs, strict=True)]
                add(position, chunk, here, stripped, _rows_of(label, cells, unit))
                continue
            if chunk.kind == ChunkKind.TABLE and len(stripped.split()) <= CAPTION_WORDS:
                unit = _unit(stripped) or unit  # a caption line of the table ("All figures in £m")
            if SEPARATOR.match(stripped):
                continue
            columns = _text_header(stripped)
            if columns is not None:
                header = None if is_plan(columns, chunk.meeting_date, programme_from) else columns
                continue
            if header is None:
                continue
            row = _text_row(stripped, header)
            if row is None:
                header = None  # the table ended
                continue
            add(position, chunk, here, stripped, _rows_of(row[0], row[1], None))
    return found


def _table_titles(chunks: list[Chunk]) -> dict[int, list[str]]:
    """The tables' titles ("Table 5.1 - Dedicated Schools Grant 2025-26 ...") each page prints, in its order."""
    titles: dict[int, list[str]] = {}
    for chunk in chunks:
        offset = 0
        for line in chunk.text.split("\n"):
            if named := TABLE_TITLE.match(line.strip()):
                titles.setdefault(chunk.page_at(offset), []).append(named["title"].strip())
            offset += len(line) + 1
    return titles


def _one(titles: list[str]) -> str | None:
    """The title of a page that prints one (with several, which one a table has is a guess)."""
    return titles[0] if len(set(titles)) == 1 else None


def _naming_heading(text: str) -> str | None:
    """The column that names a table's rows where its first cell only groups them: a budget template's rows are
    "Income; Directorate: GET; ...; Headline Description: Waste - new EPR income; 2025-26 £000's: -13,288.0", and
    "Income" heads a dozen of them. The first column of words whose every row differs names them; None where the
    first cells differ already, or no column does."""
    lines = [_table_line(line.strip()) for line in text.split("\n") if ": " in line]
    labels = [label for label, _ in lines if label is not None]
    if len(labels) < 3 or len(set(labels)) > len(labels) / 2:
        return None
    values: dict[str, list[str]] = {}
    for label, pairs in lines:
        if label is not None:
            for head, value in pairs:
                values.setdefault(head, []).append(value)
    return next((head for head, seen in values.items()
                 if len(seen) == len(labels) and len(set(seen)) == len(seen) and read_column(head).kind == "other"
                 and all(re.search(r"[A-Za-z]{2}", v) and not _figure(v) for v in seen)), None)


def _keys(pairs: list[tuple[str, str]]) -> list[tuple[str, int]]:
    """Each cell's heading with its occurrence among the row's cells of that heading."""
    count: dict[str, int] = {}
    keys = []
    for head, _ in pairs:
        keys.append((head, count.get(head, 0)))
        count[head] = count.get(head, 0) + 1
    return keys


def _with_words(column: Column, words: list[str]) -> Column:
    """A period column with its sub-heading's words as part of its qualifier ("Average Rate")."""
    if not words or column.kind != "period":
        return column
    return Column(column.printed, column.kind, column.period, " ".join([column.qualifier, *words]).strip())


def figure_rows(chunks: list[Chunk]) -> list[ScorecardRow]:
    """A paper's figures: its scorecard rows (``ingest.scorecard``), then its KPI tables' rows."""
    rows = scorecard_rows(chunks)
    return rows + kpi_rows(chunks, rows)
