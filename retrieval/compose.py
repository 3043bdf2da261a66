"""The extractive answer: the papers' own sentences and table rows, each followed by its citation.

compose → cite → check: sentences are chosen from the retrieved passages, every sentence carries
[n] markers, and the figure guard drops any sentence holding a number that its cited passage
does not. Nothing is generated, so nothing can be invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.chunker import human_date
from ingest.dates import find_month
from ingest.records import page_at
from ingest.structure import parse_scorecard_row
from retrieval.hybrid import Candidate, HybridSearcher, tokenize
from retrieval.query import Query

NUMBER = re.compile(r"(?<![\w.])£?\d+(?:[.,]\d+)*%?")
MARKER = re.compile(r"\s*\[\d+\]")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(“\"'‘•-])|(?<=[.!?])\s+(?=\d+\.\d*\s)")
HEADING_ONLY = re.compile(r"\(Item [A-Z]?\d+\)\s*(?:\d+\.|\(\d+\))?\s*$")
REFUSAL = "The papers I have do not answer this."


@dataclass
class Citation:
    n: int
    document: str
    title: str
    page: int  # 1-based PDF page
    page_label: str | None  # the printed page number, where the PDF has one
    meeting_date: str | None
    item: str | None  # "minute 118 (item 12)", "item 8", or None
    quote: str  # the supporting text, exactly as in the passage
    chunk_id: str = ""
    passage: str = ""  # the whole cited passage (header and text): what the figure guard checks


@dataclass
class Answer:
    question: str
    text: str
    answered: bool
    citations: list[Citation] = field(default_factory=list)
    query: str = ""  # the question as searched (follow-ups rewritten)
    retrieved: list[dict] = field(default_factory=list)  # document/page of each retrieved passage
    dropped: list[str] = field(default_factory=list)  # sentences the figure guard removed
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {
            "question": self.question, "query": self.query, "answered": self.answered, "text": self.text,
            "citations": [{k: v for k, v in c.__dict__.items() if k not in ("passage", "chunk_id")}
                          for c in self.citations],
            "retrieved": self.retrieved,
        }


@dataclass
class Unit:
    """A sentence or table row of a passage, with where it lies."""

    text: str
    candidate: Candidate
    rank: int
    page: int
    coverage: float = 0.0


def split_units(candidate: Candidate, rank: int) -> list[Unit]:
    text = candidate.text
    meta = candidate.meta
    breaks = meta.get("page_breaks", "")
    start_page = int(meta.get("page_start", 0))
    kind = meta.get("kind")
    units: list[Unit] = []
    if kind == "decision":
        return [Unit(" ".join(text.split()), candidate, rank, start_page)]
    if kind == "table":
        offset = 0
        for line in text.split("\n"):
            if line.strip():
                units.append(Unit(line.strip(), candidate, rank, page_at(breaks, offset, start_page)))
            offset += len(line) + 1
        return units
    flat = text.replace("\n", " ")  # same length: offsets still point into the chunk's text
    start = 0
    for match in list(SENTENCE_END.finditer(flat)) + [None]:
        end = match.start() if match else len(flat)
        piece = " ".join(flat[start:end].split())
        # "Election of Vice-Chairman (Item 3) 1. Mrs Allen proposed..." : the heading is not the sentence.
        heading = re.search(r"\(Item [A-Z]?\d+[a-z]?\)\s*(?:\d+\.|\(\d+\))?\s*", piece)
        if heading and heading.end() < len(piece):
            piece = piece[heading.end():]
        if len(piece) > 2 and not HEADING_ONLY.search(piece):
            units.append(Unit(piece, candidate, rank, page_at(breaks, start, start_page)))
        start = match.end() if match else end
    return units


def numbers_in(text: str) -> set[str]:
    return {n.replace(",", "").lstrip("£").rstrip("%") for n in NUMBER.findall(MARKER.sub(" ", text))}


class Composer:
    """Builds the answer from retrieved candidates; thresholds come from settings (calibrated on
    the evaluation set, not per question)."""

    def __init__(self, searcher: HybridSearcher, min_coverage: float = 0.6, min_dense: float = 0.3,
                 max_sentences: int = 4):
        self.searcher = searcher
        self.min_coverage = min_coverage
        self.min_dense = min_dense
        self.max_sentences = max_sentences
        self._rows: list[tuple[str, dict, Unit]] = []
        self._rows_signature: str | None = None

    # -- scoring ---------------------------------------------------------------------------------
    def coverage(self, query: Query, text: str) -> float:
        """Share of the question's content (idf-weighted) that the text holds."""
        terms = set(tokenize(query.expanded))
        if query.month:
            terms -= {str(query.month[0])}  # the date is judged by the boosts, not the words
        terms = {t for t in terms if not re.fullmatch(r"(19|20)\d\d|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|"
                                                       r"jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*", t)}
        if not terms:
            return 0.0
        have = set(tokenize(text))
        total = sum(self.searcher.idf(t) for t in terms)
        return sum(self.searcher.idf(t) for t in terms if t in have) / total if total else 0.0

    # -- the answer ------------------------------------------------------------------------------
    def compose(self, question: str, query: Query, candidates: list[Candidate]) -> Answer:
        answer = Answer(question=question, text="", answered=False, query=query.text)
        if not candidates:
            answer.text = f"{REFUSAL} The index holds no papers that match (has anything been ingested?)."
            return answer
        units = [u for rank, c in enumerate(candidates) for u in split_units(c, rank)]
        for unit in units:
            header = unit.candidate.meta.get("header", "")
            unit.coverage = self.coverage(query, unit.text + " " + (header if unit.candidate.meta.get("kind")
                                                                      in ("decision", "table") else ""))
        best_dense = max(c.dense for c in candidates[:3])
        best_coverage = max((u.coverage for u in units), default=0.0)
        strong = best_coverage >= self.min_coverage or best_dense >= self.min_dense + 0.15
        if not strong or best_dense < self.min_dense - 0.15:
            return self._refuse(answer, candidates, "the evidence found is too weak")

        lines: list[tuple[str, list[Unit]]] = []
        if query.intent == "figure":
            lines = self._figure_lines(query, units)
            if query.month and not lines and not self._has_month(query, candidates):
                when = f"{_month_name(query.month)}"
                return self._refuse(answer, candidates, f"no figure for {when} was found")
        if query.intent == "decision" and not lines:
            lines = self._decision_lines(query, units)
        if not lines:
            lines = self._sentence_lines(query, units)
        if not lines:
            return self._refuse(answer, candidates, "no sentence of the papers answers it")
        return self._finish(answer, lines)

    def _has_month(self, query: Query, candidates: list[Candidate]) -> bool:
        key = query.month_key
        for c in candidates:
            period = find_month(str(c.meta.get("period") or ""))
            if period and period[0] * 100 + period[1] == key:
                return True
            if int(c.meta.get("meeting_key", 0)) // 100 == key:
                return True
        return False

    def _decision_lines(self, query: Query, units: list[Unit]) -> list[tuple[str, list[Unit]]]:
        decisions = [u for u in units if u.candidate.meta.get("kind") == "decision"
                     and u.coverage >= self.min_coverage * 0.6]
        if query.month:
            in_month = [u for u in decisions if int(u.candidate.meta.get("meeting_key", 0)) // 100 == query.month_key]
            decisions = in_month or decisions
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
            meta = unit.candidate.meta
            when = human_date(meta.get("meeting_date")) or "an undated meeting"
            minute = f", minute {meta['minute']}" if meta.get("minute") else ""
            title = _minute_title(meta)
            lines.append((f"**{meta.get('committee') or 'Meeting'}, {when}{minute}{title}:** {unit.text}", [unit]))
        return lines

    def _figure_lines(self, query: Query, units: list[Unit]) -> list[tuple[str, list[Unit]]]:
        rows = []
        for unit in units:
            if unit.candidate.meta.get("kind") != "table":
                continue
            parsed = parse_scorecard_row(unit.text)
            if parsed:
                score = self.coverage(query, parsed["indicator"] + " " + unit.candidate.meta.get("header", ""))
                rows.append((score, unit, parsed))
        if not rows:
            return []
        rows.sort(key=lambda r: (-round(r[0], 2), r[1].rank))
        top_score = rows[0][0]
        if top_score < self.min_coverage * 0.6:
            return []
        if query.month:  # the period asked for comes first, if its row is about as good a match
            in_month = [r for r in rows if period_key(r[1]) == query.month_key and r[0] >= top_score - 0.2]
            if not in_month:
                return []
            rows = in_month
        score, best, parsed = rows[0]
        period = best.candidate.meta.get("period") or "the period reported"
        details = []
        if parsed.get("target"):
            details.append(f"target {parsed['target']}")
        if parsed.get("previous"):
            details.append(f"previous period {parsed['previous']}")
        if parsed.get("rag"):
            details.append(f"RAG {parsed['rag']}")
        extra = f" ({'; '.join(details)})" if details else ""
        lines = [(f"**{parsed['indicator']}**: {parsed['value']} in {period}{extra}.", [best])]
        trend = self._trend(parsed["indicator"], best)
        if trend:
            points = "; ".join(f"{p}: {v}" for p, v, _ in trend)
            lines.append((f"Trend across the scorecards: {points}.", [u for _, _, u in trend]))
        return lines

    def scorecard_rows(self) -> list[tuple[str, dict, Unit]]:
        """Every scorecard row of the index as (period, parsed row, unit); parsed once per index version,
        not on every figure question."""
        if self._rows_signature != self.searcher.signature:
            rows = []
            for n, meta in enumerate(self.searcher.metas):
                if meta.get("kind") != "table" or not meta.get("period"):
                    continue
                candidate = Candidate(id=self.searcher.ids[n], text=self.searcher.texts[n], meta=meta)
                for unit in split_units(candidate, rank=99):
                    parsed = parse_scorecard_row(unit.text)
                    if parsed:
                        rows.append((meta["period"], parsed, unit))
            self._rows, self._rows_signature = rows, self.searcher.signature
        return self._rows

    def _trend(self, indicator: str, best: Unit) -> list[tuple[str, str, Unit]]:
        """The same indicator in the other scorecards of the index, oldest first."""
        found: dict[str, tuple[str, str, Unit]] = {}
        for period, parsed, unit in self.scorecard_rows():
            if same_indicator(indicator, parsed["indicator"]):
                found.setdefault(period, (period, parsed["value"], unit))
        if len(found) < 2:
            return []
        return sorted(found.values(), key=lambda item: period_key(item[2]))

    def _sentence_lines(self, query: Query, units: list[Unit]) -> list[tuple[str, list[Unit]]]:
        usable = [u for u in units if u.coverage >= self.min_coverage * 0.6 and 6 <= len(u.text.split()) <= 80]
        usable.sort(key=lambda u: (-(u.coverage * 0.7 + 0.3 / (1 + u.rank))))
        chosen: list[Unit] = []
        for unit in usable:
            if any(unit.text == c.text for c in chosen):
                continue
            chosen.append(unit)
            if len(chosen) == self.max_sentences:
                break
        chosen.sort(key=lambda u: (u.rank, u.candidate.text.find(u.text[:30])))
        lines = []
        for n, unit in enumerate(chosen):
            text = unit.text
            if n == 0:  # the best sentence brings the one after it: answers often run on
                following = self._next_unit(unit, units)
                if following is not None and following not in chosen:
                    text = f"{text} {following.text}"
            lines.append((_minute_prefix(unit) + text, [unit]))
        return lines

    @staticmethod
    def _next_unit(unit: Unit, units: list[Unit]) -> Unit | None:
        same = [u for u in units if u.candidate is unit.candidate]
        position = next((i for i, u in enumerate(same) if u is unit), None)
        if position is None or position + 1 >= len(same):
            return None
        following = same[position + 1]
        return following if len(following.text.split()) <= 60 and following.page == unit.page else None

    # -- citations and the figure guard ---------------------------------------------------------------
    def _finish(self, answer: Answer, lines: list[tuple[str, list[Unit]]]) -> Answer:
        numbering: dict[tuple[str, int], int] = {}
        texts = []
        for sentence, sources in lines:
            markers = []
            for unit in sources:
                key = (unit.candidate.id, unit.page)
                if key not in numbering:
                    numbering[key] = len(numbering) + 1
                    answer.citations.append(make_citation(numbering[key], unit))
                markers.append(f"[{numbering[key]}]")
            texts.append(f"{sentence} {' '.join(dict.fromkeys(markers))}")
        kept = check_figures(texts, answer.citations)
        answer.dropped = [t for t in texts if t not in kept]
        if not kept:
            return self._refuse(answer, [], "its figures could not be checked against the papers")
        used = {int(n) for t in kept for n in re.findall(r"\[(\d+)\]", t)}
        answer.citations = [c for c in answer.citations if c.n in used]
        answer.text = "\n\n".join(kept) if len(kept) < 3 else "\n".join(f"- {t}" for t in kept)
        answer.answered = True
        return answer

    def _refuse(self, answer: Answer, candidates: list[Candidate], why: str) -> Answer:
        answer.answered = False
        answer.citations = []
        lines = [f"{REFUSAL} ({why}.) The closest passages are:"]
        for n, candidate in enumerate(candidates[:3], start=1):
            unit = split_units(candidate, n)[0] if candidate.text.strip() else None
            if unit is None:
                continue
            citation = make_citation(n, unit)
            citation.quote = " ".join(candidate.text.split())[:300]
            answer.citations.append(citation)
            where = f"{citation.title}, page {citation.page_label or citation.page}"
            lines.append(f"- {where}: “{citation.quote[:160]}…” [{n}]")
        answer.text = "\n".join(lines)
        return answer


def same_indicator(a: str, b: str) -> bool:
    """Two scorecards name one indicator alike: nearly the same words (wording drifts a little)."""
    wanted, have = set(tokenize(a)), set(tokenize(b))
    return bool(wanted) and len(wanted & have) / len(wanted | have) >= 0.85


def check_figures(sentences: list[str], citations: list[Citation]) -> list[str]:
    """The figure guard: keep a sentence only if every number in it occurs in a passage it cites."""
    by_n = {c.n: c for c in citations}
    kept = []
    for sentence in sentences:
        cited = [by_n[int(n)] for n in re.findall(r"\[(\d+)\]", sentence) if int(n) in by_n]
        allowed: set[str] = set()
        for citation in cited:
            allowed |= numbers_in(citation.passage)
        if cited and numbers_in(sentence) <= allowed:
            kept.append(sentence)
    return kept


def make_citation(n: int, unit: Unit) -> Citation:
    meta = unit.candidate.meta
    labels = meta.get("page_label")
    # The chunk stores the printed label of its first page; other pages keep the same offset.
    label = None
    if labels and str(labels).isdigit():
        label = str(int(labels) + unit.page - int(meta.get("page_start", unit.page)))
    elif labels and unit.page == int(meta.get("page_start", 0)):
        label = str(labels)
    item = None
    if meta.get("minute"):
        item = f"minute {meta['minute']}" + (f" (item {meta['item']})" if meta.get("item") else "")
    elif meta.get("item"):
        item = f"item {meta['item']}"
    return Citation(
        n=n, document=meta.get("document", ""), title=meta.get("title", ""), page=unit.page, page_label=label,
        meeting_date=meta.get("meeting_date"), item=item, quote=unit.text, chunk_id=unit.candidate.id,
        passage=f"{meta.get('header', '')}\n{unit.candidate.text}",
    )


def _minute_prefix(unit: Unit) -> str:
    """A sentence from minutes says which meeting and minute it records, as a panel member wants."""
    meta = unit.candidate.meta
    if not meta.get("minute"):
        return ""
    when = human_date(meta.get("meeting_date"))
    return f"*(Minute {meta['minute']}{', ' + when if when else ''})* "


def _minute_title(meta: dict) -> str:
    header = meta.get("header", "")
    match = re.search(r"Minute (?:\d+ )?([^|]+)", header)
    return f" ({match.group(1).strip()})" if match else ""


def period_key(unit: Unit) -> int:
    found = find_month(str(unit.candidate.meta.get("period") or ""))
    return found[0] * 100 + found[1] if found else 0


def _month_name(month: tuple[int, int]) -> str:
    import calendar

    return f"{calendar.month_name[month[1]]} {month[0]}"
