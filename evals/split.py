"""The dev/test split of a gold file (evals/gold.jsonl, evals/gold_real.jsonl): tune on ``dev``, never on
``test``.

The rule, deterministic and stratified by batch and kind. A question's batch is the leading letters of its
id (``q`` for q001, ``c`` for c001, ``r`` for r001: ``re.match(r"[A-Za-z]+", id)``; an id without them is
in the batch ``""``). Within each (batch, kind) group the ids are sorted by the hex SHA-256 of the id
(UTF-8), ties by the id itself; the first ``round_half_up(0.3 * n)`` of the group's ``n`` questions are
``test``, the rest ``dev``. Every kind of every batch therefore holds about 30% test questions (as near as
a small group allows), and so, summed over the batches, does every kind of a whole file.

A new batch of questions (new ids with new leading letters) forms groups of its own, so adding it never
moves an existing question between dev and test; only adding questions to an existing batch could (give a
new batch its own letters instead). The split of every line is written into the gold file
(``"split": "dev"|"test"``) and checked against this rule by tests/test_eval.py, so it cannot drift
silently.

    python -m evals.split [FILE]           # prints the counts per kind and split
    python -m evals.split [FILE] --write   # (re)writes the "split" field of every line, order kept
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from evals.check_gold import GOLD, KINDS, SPLITS, load_gold

TEST_SHARE = (3, 10)  # 30% test, as a fraction so the count is exact
_BATCH = re.compile(r"[A-Za-z]+")


def n_test(n: int) -> int:
    """How many of a kind's ``n`` questions are test: 30% of n, rounded half up."""
    num, den = TEST_SHARE
    return (2 * num * n + den) // (2 * den)


def batch(question_id: str) -> str:
    """The batch of a question: its id's leading letters ("q" for q001, "r" for r012; "" for none)."""
    match = _BATCH.match(question_id)
    return match.group() if match else ""


def _key(question_id: str) -> tuple[str, str]:
    return hashlib.sha256(question_id.encode("utf-8")).hexdigest(), question_id


def assign(questions: list[dict]) -> dict[str, str]:
    """The split the rule gives each question id (by batch and kind, on the questions given)."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for q in questions:
        groups[(batch(q["id"]), q["kind"])].append(q["id"])
    splits: dict[str, str] = {}
    for ids in groups.values():
        ranked = sorted(ids, key=_key)
        cut = n_test(len(ranked))
        for position, qid in enumerate(ranked):
            splits[qid] = "test" if position < cut else "dev"
    return splits


def select(questions: list[dict], split: str) -> list[dict]:
    """The questions of one split (``"all"``: every question), in file order.

    Raises ValueError when a question has no valid split, so nothing unsplit can slip into tuning.
    """
    if split == "all":
        return list(questions)
    if split not in SPLITS:
        raise ValueError(f"split {split!r} is not one of {', '.join(SPLITS)} or all")
    unsplit = [q.get("id") for q in questions if q.get("split") not in SPLITS]
    if unsplit:
        raise ValueError(f"{len(unsplit)} question(s) have no dev/test split (e.g. {unsplit[:3]})")
    return [q for q in questions if q["split"] == split]


def counts(questions: list[dict]) -> str:
    """dev/test counts per kind over the whole file, then per batch when the file holds several."""
    lines = _counts(questions, "kind")
    batches = sorted({batch(q["id"]) for q in questions if isinstance(q.get("id"), str)})
    if len(batches) > 1:
        for name in batches:
            lines += ["", *_counts([q for q in questions if batch(q.get("id") or "") == name], f"batch {name!r}")]
    return "\n".join(lines)


def _counts(questions: list[dict], title: str) -> list[str]:
    table = Counter((q.get("kind"), q.get("split")) for q in questions)
    lines = [f"{title:<14}{'dev':>5}{'test':>6}{'test %':>8}"]
    for kind in (*KINDS, None):
        dev, test = table[(kind, "dev")], table[(kind, "test")]
        if kind is None:
            dev, test = sum(v for (_, s), v in table.items() if s == "dev"), sum(
                v for (_, s), v in table.items() if s == "test")
        if dev + test:
            lines.append(f"{kind or 'all':<14}{dev:>5}{test:>6}{100 * test / (dev + test):>7.0f}%")
    return lines


def write(path: Path | str = GOLD) -> None:
    """Set every line's ``split`` to the rule's, keeping the other fields, their order and the line order
    (the field goes after ``kind`` when it is new)."""
    path = Path(path)
    questions = load_gold(path)
    splits = assign(questions)
    out = []
    for q in questions:
        if "split" in q:
            q["split"] = splits[q["id"]]
            out.append(q)
            continue
        item: dict = {}
        for key, value in q.items():
            item[key] = value
            if key == "kind":
                item["split"] = splits[q["id"]]
        out.append(item)
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in out), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", default=str(GOLD))
    parser.add_argument("--write", action="store_true", help="write the rule's split into every line")
    args = parser.parse_args(argv)
    if args.write:
        write(args.file)
    questions = load_gold(args.file)
    print(counts(questions))
    rule = assign(questions)
    wrong = [q["id"] for q in questions if q.get("split") != rule[q["id"]]]
    if wrong:
        print(f"{len(wrong)} question(s) differ from the rule (run with --write): {wrong[:10]}")
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
