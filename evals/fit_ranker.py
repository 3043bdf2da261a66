"""Fit the search's ranker (retrieval/ranker.py) on DEV questions only, and say what it gains.

Each dev question is searched once with the ranker off: the fused ranking's first ``RANKED_DEPTH`` passages,
each with the features the ranker reads (``RankFeatures``) and a label, 1 when the passage (header and text)
holds every fact of the answer. Questions no such passage answers are left out of the fit (nothing to learn
from them; a question of two parts often has its facts in two passages). Labelling instead every passage
that holds one fact was measured too (2026-12-05): the same cross-validated gain (0.855 against 0.856 of
questions with every fact in the first five), and on the dev answers two sample questions fewer and three
real ones more, with four more unanswerable questions answered; not kept.
The question sets, all dev: the gold set's dev split on the sample corpus's index and again on the wide
index (the panel's papers among every other committee's), the real set's dev split, and the questions
written blind in ``evals/blind_dev/`` (the last three on the wide index that ``python -m evals.run`` builds).

The gain is measured by 5-fold cross-validation grouped by question (a question asked of two indexes is in
one fold): for each set, the share of questions whose every fact is in the first 1, 3, 5 and 8 passages
together (``evals.run``'s candidate recall), in the fused order and in the ranker's order fitted without the
question's fold. The test splits are never read here; ``python -m evals.run`` measures them.

    python -m evals.fit_ranker            # prints the cross-validated gain
    python -m evals.fit_ranker --write    # also writes retrieval/ranker_model.json, fitted on every dev question
"""

from __future__ import annotations

import argparse
import hashlib
from dataclasses import dataclass
from pathlib import Path

from core.settings import Settings
from evals.check_gold import BLIND_DEV, GOLD, GOLD_REAL, SHARED, Shared, load_gold
from evals.run import WIDE_INDEX, _norm, expected_pages
from evals.split import select
from retrieval.answer import Assistant
from retrieval.ranker import MODEL_FILE, RANKED_DEPTH, Ranker, RankFeatures
from store.index import PanelIndex

FOLDS = 5
CUTS = (1, 3, 5, 8)


@dataclass
class Searched:
    """One question's fused ranking, as the ranker sees it."""

    set_name: str
    question_id: str
    features: list[RankFeatures]
    labels: list[int]  # the passage holds every fact of the answer
    holds: list[list[bool]]  # which of the answer's facts each passage holds

    @property
    def fold(self) -> int:
        # by the id alone, so the same question asked of two indexes is in one fold
        return int(hashlib.sha256(self.question_id.encode()).hexdigest(), 16) % FOLDS


def question_sets(settings: Settings, shared: Shared) -> list[tuple[str, Path, Path]]:
    """(name, question file, index) of every dev set that can be run here."""
    sets = [("sample", GOLD, Path(settings.store.index_dir))]
    if shared.available and WIDE_INDEX.is_dir():
        sets += [("sample among the archive", GOLD, WIDE_INDEX), ("real", GOLD_REAL, WIDE_INDEX),
                 *((f"blind {path.stem}", path, WIDE_INDEX) for path in BLIND_DEV)]
    else:
        print(f"only the sample set: the shared folder {shared.dir} or the wide index {WIDE_INDEX} is missing "
              f"(python -m evals.run builds it)")
    return sets


def search_all(settings: Settings, shared: Shared) -> list[Searched]:
    searched, assistants = [], {}
    for name, path, index_dir in question_sets(settings, shared):
        if index_dir not in assistants:
            opened = settings.override(index_dir=index_dir)
            assistants[index_dir] = Assistant.open(opened, PanelIndex(opened.store))
            assistants[index_dir].searcher.ranker = None  # the fused order, as the ranker receives it
        assistant = assistants[index_dir]
        questions = [q for q in expected_pages(select(load_gold(path), "dev"), shared) if q["kind"] != "unanswerable"]
        kept = 0
        for q in questions:
            _, candidates = assistant.retrieve(q["question"], k=RANKED_DEPTH)
            candidates = [c for c in candidates if c.features is not None]
            facts = [_norm(f) for f in q["answer_facts"]]
            holds = [[f in _norm(f"{c.chunk.header}\n{c.text}") for f in facts] for c in candidates]
            labels = [int(all(held)) for held in holds]
            if any(any(held) for held in holds):
                searched.append(Searched(name, q["id"], [c.features for c in candidates], labels, holds))
                kept += 1
        print(f"{name}: {len(questions)} answerable dev questions, {kept} with a passage holding a fact "
              f"in the first {RANKED_DEPTH}")
    return searched


def fit(rows: list[Searched]) -> Ranker:
    """Fitted on the questions some passage wholly answers."""
    rows = [r for r in rows if any(r.labels)]
    return Ranker.fit([f for r in rows for f in r.features], [y for r in rows for y in r.labels])


def found_within(rows: list[Searched], orders: dict[int, list[int]], cut: int) -> float:
    """The share of questions whose every fact is held by the first ``cut`` passages of its order together."""
    return sum(all(any(r.holds[n][fact] for n in orders[id(r)][:cut]) for fact in range(len(r.holds[0])))
               for r in rows) / max(1, len(rows))


def cross_validated(rows: list[Searched]) -> dict[int, list[int]]:
    """Each question's order by a ranker fitted without its fold."""
    orders = {}
    for fold in range(FOLDS):
        model = fit([r for r in rows if r.fold != fold])
        for r in rows:
            if r.fold == fold:
                orders[id(r)] = model.order(r.features)
    return orders


def gain_table(rows: list[Searched], orders: dict[int, list[int]]) -> list[str]:
    fused = {id(r): list(range(len(r.features))) for r in rows}
    lines = ["| set | questions | " + " | ".join(f"within {c}: fused -> ranked" for c in CUTS) + " |",
             "| --- | --- |" + " --- |" * len(CUTS)]
    names = list(dict.fromkeys(r.set_name for r in rows)) + ["all"]
    for name in names:
        subset = [r for r in rows if name in ("all", r.set_name)]
        cells = [f"{found_within(subset, fused, c):.3f} -> {found_within(subset, orders, c):.3f}" for c in CUTS]
        lines.append(f"| {name} | {len(subset)} | " + " | ".join(cells) + " |")
    return lines


def main(argv: list[str] | None = None) -> dict[int, list[int]]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="write retrieval/ranker_model.json")
    parser.add_argument("--shared", default=str(SHARED), help="the shared folder of real papers")
    args = parser.parse_args(argv)
    settings = Settings.load()
    rows = search_all(settings, Shared(args.shared, settings.ingest.corpus_dir))
    orders = cross_validated(rows)
    print(f"\ndev questions, {FOLDS}-fold cross-validated by question (test splits never read):")
    print("\n".join(gain_table(rows, orders)))
    if args.write:
        model = fit(rows)
        fitted = [r for r in rows if any(r.labels)]
        model.save(MODEL_FILE, note=f"python -m evals.fit_ranker --write: {len(fitted)} dev searches of "
                   f"{len({r.question_id for r in fitted})} questions, {sum(len(r.labels) for r in fitted)} passages")
        print(f"wrote {MODEL_FILE}")
    return orders


if __name__ == "__main__":
    main()
