"""Misspelt question words put right against the papers' own words.

People type "seperately", "accomodation", "comittee", "assesment". Such a word matches nothing: BM25 finds no
passage with it, a sentence never "holds" it, and the refusal model counts it as a word the papers never use,
which pushes towards refusing. A word is put right only when all of these hold:

- it is not a word of the papers (after the search's own plural fold) and not an English word (the
  pyspellchecker package's frequency list, in its wheel), so "chairing" is never turned into "Charing", nor one
  with its apostrophe left out ("shouldnt");
- it is lower case or opens the question (a capitalised word inside it is a name or a body: left alone),
  at least five letters, and holds no digit;
- a word of the papers lies within one edit (two for words of eight letters or more; a swap of two
  neighbouring letters is one edit): the nearest wins, then the one more passages use.
"""

from __future__ import annotations

import functools
import re

from spellchecker import SpellChecker

from retrieval.words import tokenize

WORD = re.compile(r"[A-Za-z]+")
SHORTEST = 5  # shorter words have too many neighbours to guess between
LONG = 8  # from this length two edits are allowed


@functools.lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """About 160,000 English words (loaded once per process, 0.3 s)."""
    return frozenset(SpellChecker().word_frequency.dictionary)


def _deletes(word: str) -> set[str]:
    return {word[:n] + word[n + 1:] for n in range(len(word))}


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (insert, delete, substitute, swap neighbours); ``limit + 1`` when
    it is larger than ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, row = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (ca != cb))
            if before is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
        if min(row) > limit:
            return limit + 1
    return row[-1]


def _contraction(word: str) -> bool:
    """A contraction typed without its apostrophe ("didnt", "shouldnt", "theyre"): no misspelling of a word of the
    papers (the search's tokens had made "didn't" "didn", and "didnt" was read as that)."""
    return any(f"{word[:-n]}'{word[-n:]}" in english_words() for n in (1, 2, 3))


class Speller:
    """Corrects a question's misspelt words to the index's words (``vocabulary``: word -> how many passages
    hold it). The lookup is by single deletions of both sides (SymSpell's idea), so it never scans the
    vocabulary."""

    def __init__(self, vocabulary: dict[str, int]):
        self.frequency = {w: n for w, n in vocabulary.items() if w.isalpha() and len(w) >= SHORTEST - 1}
        self.by_delete: dict[str, list[str]] = {}
        for word in self.frequency:
            for key in _deletes(word) | {word}:
                self.by_delete.setdefault(key, []).append(word)

    def nearest(self, word: str) -> str | None:
        """The vocabulary word ``word`` is most likely a misspelling of, or None."""
        limit = 2 if len(word) >= LONG else 1
        found = {near for key in _deletes(word) | {word} for near in self.by_delete.get(key, ())}
        scored = [(edit_distance(word, near, limit), -self.frequency[near], near) for near in found]
        scored = [s for s in scored if s[0] <= limit]
        return min(scored)[2] if scored else None

    def correct(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        """The text with misspelt words replaced, and the (word, replacement) pairs made."""
        made: list[tuple[str, str]] = []

        def fix(match: re.Match) -> str:
            word = match.group(0)
            lower = word.lower()
            opening = not text[: match.start()].strip()
            if len(word) < SHORTEST or (word[0].isupper() and not opening) or word.isupper():
                return word
            folded = tokenize(lower)
            if (not folded or folded[0] in self.frequency or lower in self.frequency or lower in english_words()
                    or _contraction(lower)):
                return word
            near = self.nearest(lower) or (self.nearest(folded[0]) if folded[0] != lower else None)
            if near is None:
                return word
            made.append((word, near))
            return near

        corrected = WORD.sub(fix, text)
        return corrected, made
