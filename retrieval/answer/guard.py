"""The gates every answer passes, extractive or written by an LLM: each sentence carries [n] citations
that exist, the figure guard drops a sentence holding a number its cited passages do not hold, and when
nothing survives (or the evidence is too weak) the answer is the refusal, with the closest passages."""

from __future__ import annotations

import re

from retrieval.answer.citations import REFUSAL, Answer, Citation, Unit, make_citation
from retrieval.answer.units import numbers_in, split_units
from retrieval.hybrid import Candidate

CITED = re.compile(r"\[(\d+)\]")


def cited_numbers(sentence: str) -> list[int]:
    return [int(n) for n in CITED.findall(sentence)]


def figures_hold(sentence: str, citations: list[Citation]) -> bool:
    """Every number in the sentence occurs in a passage it cites (and it cites one)."""
    by_n = {c.n: c for c in citations}
    cited = [by_n[n] for n in cited_numbers(sentence) if n in by_n]
    allowed: set[str] = set()
    for citation in cited:
        allowed |= numbers_in(citation.passage)
    return bool(cited) and numbers_in(sentence) <= allowed


def check_figures(sentences: list[str], citations: list[Citation]) -> list[str]:
    """The figure guard: keep a sentence only if every number in it occurs in a passage it cites."""
    return [s for s in sentences if figures_hold(s, citations)]


CLOSEST_LISTED = 3  # the closest passages a refusal lists for reading on ...
CLOSEST_READ = 6  # ... from this many of the best, each listed once


def refuse(answer: Answer, candidates: list[Candidate], why: str) -> Answer:
    """The refusal, saying why, with the closest passages for reading on (cited like an answer's)."""
    answer.answered = False
    answer.citations = []
    lines = [f"{REFUSAL} ({why}.) The closest passages are:"]
    listed: set[str] = set()
    for candidate in candidates[:CLOSEST_READ]:
        if len(answer.citations) == CLOSEST_LISTED:
            break
        n = len(answer.citations) + 1
        units = split_units(candidate.chunk, n) if candidate.text.strip() else []
        if not units:
            continue
        citation = make_citation(n, units[0])
        citation.quote = " ".join(candidate.text.split())[:300]
        page = citation.page_label or citation.page
        line = f"- {citation.title}, page {page}: “{citation.quote[:160]}…”"
        if line in listed:
            continue  # the same minutes filed twice (a pack and its printed minutes) are listed once
        listed.add(line)
        answer.citations.append(citation)
        lines.append(f"{line} [{n}]")
    answer.text = "\n".join(lines)
    return answer


# A table row's cell that repeats its column's header reads "ASCH: ASCH; Dan Watkins: Dan Watkins" (the header row
# of a budget template holds a first example): said once.
CELL_ECHO = re.compile(r"(?:(?<=^)|(?<=; )|(?<=: ))([^:;\n]{1,80}?): \1(?=;|$)")


def cells_once(text: str) -> str:
    """A quoted table row with each cell that repeats its header said once."""
    return CELL_ECHO.sub(r"\1", text)


def finish(answer: Answer, lines: list[tuple[str, list[Unit]]]) -> Answer:
    """Number the citations in order of first use, end each sentence with its [n], apply the figure guard,
    and keep only the citations a kept sentence uses."""
    numbering: dict[tuple[str, int], int] = {}
    texts = []
    for sentence, sources in lines:
        sentence = cells_once(sentence)
        markers = []
        for unit in sources:
            key = (unit.chunk.id, unit.page)
            if key not in numbering:
                numbering[key] = len(numbering) + 1
                answer.citations.append(make_citation(numbering[key], unit))
            markers.append(f"[{numbering[key]}]")
        texts.append(f"{sentence} {' '.join(dict.fromkeys(markers))}")
    kept = check_figures(texts, answer.citations)
    answer.dropped = [t for t in texts if t not in kept]
    if not kept:
        return refuse(answer, [], "the figures I found could not be checked against their pages")
    used = {n for t in kept for n in cited_numbers(t)}
    answer.citations = [c for c in answer.citations if c.n in used]
    # Several parallel lines (decisions, facts) read best as a list; an answer with a quoted block is prose.
    as_list = len(kept) >= 3 and not any(t.startswith("> ") for t in kept)
    answer.text = "\n".join(f"- {t}" for t in kept) if as_list else "\n\n".join(kept)
    answer.answered = True
    return answer
