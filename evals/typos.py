"""Questions as people type them: every answerable gold question asked again with typing slips, with the
spelling correction (``retrieval/spelling.py``) on and off, against the question as written.

Each question gets one slip (``--slips``, default 1) in a content word of at least six letters, chosen by a
seeded random generator from the question's own id: two neighbouring letters swapped, a letter dropped,
a letter doubled, or a letter replaced by its neighbour on the keyboard. Names (capitalised words inside
the question), acronyms and words with digits are left alone, as the correction leaves them alone. Nothing
here was tuned: the slips are made the same way for every question, and both splits are reported.

    python -m evals.typos [--sets sample,real] [--slips 1] [--seed 0]

Prints, per set and split: page hit@5 and fact recall as written (correction off), with slips and the correction off,
and with slips and the correction on; and how many slipped words the correction put back exactly.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

from core.settings import Settings
from evals.check_gold import GOLD, GOLD_REAL, SHARED, Shared, load_gold
from evals.run import WIDE_INDEX, expected_pages, first_hit, holds_facts
from retrieval.answer import Assistant
from retrieval.spelling import english_words
from retrieval.words import tokenize

WORD = re.compile(r"\b[a-z]{6,}\b")
KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


def neighbours(letter: str) -> str:
    for row in KEYBOARD:
        at = row.find(letter)
        if at >= 0:
            return row[max(0, at - 1): at] + row[at + 1: at + 2]
    return ""


def slip(word: str, rng: random.Random) -> str:
    """One typing slip inside the word (never its first letter, as people rarely miss that)."""
    for _ in range(20):
        at = rng.randrange(1, len(word) - 1)
        kind = rng.choice(("swap", "drop", "double", "near"))
        if kind == "swap":
            typed = word[:at] + word[at + 1] + word[at] + word[at + 2:]
        elif kind == "drop":
            typed = word[:at] + word[at + 1:]
        elif kind == "double":
            typed = word[:at] + word[at] + word[at:]
        else:
            near = neighbours(word[at])
            typed = word[:at] + rng.choice(near) + word[at + 1:] if near else word
        # A slip that makes another English word ("form" -> "from") is not a misspelling: no corrector can know.
        if typed != word and typed not in english_words():
            return typed
    return word


def with_slips(question: dict, slips: int, seed: int) -> tuple[str, list[tuple[str, str]]]:
    rng = random.Random(f"{seed}:{question['id']}")
    text = question["question"]
    words = [m for m in WORD.finditer(text)]
    made = []
    for match in sorted(rng.sample(words, min(slips, len(words))), key=lambda m: -m.start()):
        typed = slip(match.group(0), rng)
        if typed != match.group(0):
            text = text[: match.start()] + typed + text[match.end():]
            made.append((typed, match.group(0)))
    return text, made


def score(assistant: Assistant, questions: list[dict], texts: list[str]) -> tuple[float, float]:
    hits = facts = 0
    for question, text in zip(questions, texts, strict=True):
        answer = assistant.ask(text)
        cited = [(c.document, c.page, c.page) for c in answer.citations] if answer.answered else []
        ranks = cited + [(r["document"], r["page"], r["page_end"]) for r in answer.retrieved]
        position = first_hit(question["expected"], ranks)
        hits += position is not None and position <= 5
        facts += holds_facts(question["answer_facts"], [answer.text])
    return hits / len(questions), facts / len(questions)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="sample,real")
    parser.add_argument("--slips", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    settings = Settings.load()
    shared = Shared(Path(SHARED), Path(settings.ingest.corpus_dir))
    results: dict = {}
    print("| set | split | questions | slipped words | as written, correction off: hit@5 / facts "
          "| slips, correction off | slips, correction on | slips put back exactly |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name in args.sets.split(","):
        if name == "real" and not shared.available:
            print(f"(the real set needs {shared.dir}; skipped)")
            continue
        path, index_settings = (GOLD, settings) if name == "sample" else (GOLD_REAL, settings.override(
            index_dir=str(WIDE_INDEX)))
        if name == "real" and not WIDE_INDEX.exists():
            print(f"(the real set needs the wide index {WIDE_INDEX}: run python -m evals.run first; skipped)")
            continue
        on = Assistant.open(index_settings)
        off = Assistant.open(index_settings.override(correct_spelling=False))
        for split in ("dev", "test"):
            questions = [q for q in load_gold(path) if q["split"] == split and q["kind"] != "unanswerable"]
            expected_pages(questions, shared if name == "real" else None)
            slipped = [with_slips(q, args.slips, args.seed) for q in questions]
            texts = [text for text, _ in slipped]
            made = [pair for _, pairs in slipped for pair in pairs]
            # Put back: the correction's word is the one slipped (as the search folds it: "placement(s)").
            put_back = sum(tokenize(on.speller().correct(typed)[0]) == tokenize(word) for typed, word in made)
            written = score(off, questions, [q["question"] for q in questions])
            without = score(off, questions, texts)
            with_fix = score(on, questions, texts)
            row = {"questions": len(questions), "slips": len(made), "put_back": put_back, "as_written": written,
                   "slips_off": without, "slips_on": with_fix}
            results[f"{name}/{split}"] = row
            print(f"| {name} | {split} | {len(questions)} | {len(made)} | {written[0]:.3f} / {written[1]:.3f} "
                  f"| {without[0]:.3f} / {without[1]:.3f} | {with_fix[0]:.3f} / {with_fix[1]:.3f} "
                  f"| {put_back} of {len(made)} |", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    main()
