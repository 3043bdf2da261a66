"""A resolution's parts: "RESOLVED that the Council: (1) ... (2) ...", "agree to: a) ... b) ...", "(i) ... (x)".

One rule that ingest (``Decision.parts``) and the answer (quoting the part that holds the asked figure) share.
A part marker counts only where it continues one sequence (1, 2, 3 / a, b, c / i, ii, iii), so a "(2)" quoted
inside a part, or "Mr A. Smith", does not cut the decision.
"""

from __future__ import annotations

import re

ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv")
# "(1)", "1)", "1.", "(a)", "a)", "A.", "(iv)", "iv." at the start of the text or after a space.
MARKER = re.compile(r"(?:(?<=\s)|^)(?P<mark>\((?P<a>\d{1,2}|[a-zA-Z]|[ivx]{1,5})\)"
                    r"|(?P<b>\d{1,2}|[a-zA-Z]|[ivx]{1,5})[.)])(?=\s+\S)")


def _position(token: str, style: str) -> int | None:
    """The place of a marker in its sequence (1-based) under a style: "number", "letter" or "roman"."""
    if style == "number":
        return int(token) if token.isdigit() else None
    if style == "roman":
        return ROMAN.index(token) + 1 if token in ROMAN else None
    return ord(token.lower()) - ord("a") + 1 if len(token) == 1 and token.isalpha() else None


def _styles(token: str) -> list[str]:
    if token.isdigit():
        return ["number"]
    found = []
    if token.lower() in ROMAN and token.islower():
        found.append("roman")
    if len(token) == 1 and token.isalpha():
        found.append("letter")
    return found


def split_parts(text: str) -> tuple[str, ...]:
    """(lead-in, part, part, ...) of a decision with at least two parts in sequence; () when it has none."""
    marks = [(m.start(), m["a"] or m["b"]) for m in MARKER.finditer(text)]
    best: list[int] = []
    for first, (_, token) in enumerate(marks):
        for style in _styles(token):
            if _position(token, style) != 1:
                continue
            chosen, expected = [first], 2
            for later in range(first + 1, len(marks)):
                if _position(marks[later][1], style) == expected and style in _styles(marks[later][1]):
                    chosen.append(later)
                    expected += 1
            if len(chosen) > len(best):
                best = chosen
        if best:
            break  # the first sequence that starts is the decision's own
    if len(best) < 2:
        return ()
    starts = [marks[n][0] for n in best]
    lead = text[: starts[0]].strip()
    parts = [text[start:end].strip() for start, end in zip(starts, starts[1:] + [len(text)], strict=True)]
    return (lead, *parts)


__all__ = ["split_parts"]
