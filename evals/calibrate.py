"""Calibrate the refusal decision on the DEV split of a question file (default: the gold set). The test
split is never read for tuning: ``tuning_questions`` keeps only ``split == "dev"`` questions and refuses a
file whose questions carry no split (see evals/split.py for the rule).

Each dev question is retrieved and composed once with refusal switched off, which gives the evidence
the refusal model reads (retrieval/answer/refusal.py). Questions with no answer to give at all (no
sentence or figure found, or a period no paper covers) are refused whatever the model says, so the
model is fitted on the others: label 1 for an answerable question, 0 for an unanswerable one. The
weights are fitted by 5-fold cross-validation first, and the out-of-fold confidences give the
precision/recall curve of refusing; the threshold kept (``min_confidence``) maximises balanced accuracy
while false refusals stay at or under ``MAX_FALSE_REFUSALS``; ``sure_confidence`` is the lowest threshold
above which at least ``SURE_RIGHT_SHARE`` of the out-of-fold answers held every answer fact (the "closest
match" banner shows below it). The final weights are fitted on every dev question.

With the default file, the real set's dev questions (evals/gold_real.jsonl) and the questions written
blind (evals/blind_dev/, all dev) are observed too, on the wide index that ``python -m evals.run`` builds,
where the shared folder and that index exist: the more unanswerable questions the fit sees, the less the
model moves from one fit to the next.

    python -m evals.calibrate [FILE]           # prints the curve and the thresholds it would choose
    python -m evals.calibrate [FILE] --write   # also writes retrieval/answer/refusal_model.json and
                                               # evals/CALIBRATION.md (the curve); copy the thresholds
                                               # into core/settings.py's AnswerSettings defaults
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.settings import Settings
from evals.check_gold import BLIND_DEV, GOLD, GOLD_REAL, SHARED, Shared, load_gold
from evals.run import WIDE_INDEX
from evals.split import select
from retrieval.answer import Assistant
from retrieval.answer.refusal import FEATURES, MODEL_FILE, Evidence, RefusalModel
from store.index import PanelIndex

FOLDS = 5
MAX_FALSE_REFUSALS = 0.10
SURE_RIGHT_SHARE = 0.7  # above sure_confidence, this share of dev answers (at least ten) held every fact
GRID = [round(t, 2) for t in np.arange(0.05, 0.96, 0.05)]
CURVE_FILE = Path(__file__).resolve().parent / "CALIBRATION.md"


@dataclass
class Observed:
    question_id: str
    answerable: bool
    has_answer: bool  # the composer found something to say (else refused whatever the model says)
    evidence: Evidence | None
    right: bool = False  # answerable, and the answer holds every answer fact


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def tuning_questions(path=GOLD) -> list[dict]:
    """The questions the thresholds are tuned on: the dev split only (ValueError if any question is unsplit)."""
    return select(load_gold(path), "dev")


def observe(assistant, questions: list[dict]) -> list[Observed]:
    """Each question retrieved and composed once, refusal by the model switched off."""
    composer = assistant.composer
    composer.min_confidence = 0.0
    observed = []
    for q in questions:
        query, candidates = assistant.retrieve(q["question"])
        answer = composer.compose(q["question"], query, candidates)
        right = q["kind"] != "unanswerable" and all(_norm(f) in _norm(answer.text) for f in q["answer_facts"])
        observed.append(Observed(q["id"], q["kind"] != "unanswerable", bool(answer.answered),
                                 getattr(answer, "evidence", None), right))
    return observed


def out_of_fold(rows: list[Observed], folds: int = FOLDS) -> np.ndarray:
    """Each row's confidence from a model fitted without its fold (folds dealt in file order)."""
    confidences = np.zeros(len(rows))
    for fold in range(folds):
        held = [i for i in range(len(rows)) if i % folds == fold]
        train = [r for i, r in enumerate(rows) if i % folds != fold]
        if not held or len({r.answerable for r in train}) < 2:
            confidences[held] = 1.0
            continue
        model = RefusalModel.fit([r.evidence for r in train], [int(r.answerable) for r in train])
        for i in held:
            confidences[i] = model.confidence(rows[i].evidence)
    return confidences


def curve(observed: list[Observed], confidences: dict[str, float]) -> list[dict]:
    """For each threshold: refusal accuracy, false refusals, and the precision/recall of refusing, over every
    dev question (those with nothing to say are refused at every threshold)."""
    points = []
    for t in GRID:
        refused = [not o.has_answer or confidences.get(o.question_id, 1.0) < t for o in observed]
        unanswerable = [r for r, o in zip(refused, observed, strict=True) if not o.answerable]
        answerable = [r for r, o in zip(refused, observed, strict=True) if o.answerable]
        true_refusals = sum(unanswerable)
        points.append({
            "threshold": t,
            "refusal_accuracy": true_refusals / max(1, len(unanswerable)),
            "false_refusals": sum(answerable) / max(1, len(answerable)),
            "refusal_precision": true_refusals / max(1, sum(refused)),
        })
    for p in points:
        p["balanced"] = (p["refusal_accuracy"] + 1 - p["false_refusals"]) / 2
    return points


def right_share(observed: list[Observed], confidences: dict[str, float], t: float) -> float:
    """The share of the answers at or above confidence ``t`` that held every answer fact (0 under ten answers)."""
    above = [o for o in observed if o.question_id in confidences and confidences[o.question_id] >= t]
    return sum(o.right for o in above) / len(above) if len(above) >= 10 else 0.0


def choose(points: list[dict], observed: list[Observed], confidences: dict[str, float]) -> tuple[float, float]:
    allowed = [p for p in points if p["false_refusals"] <= MAX_FALSE_REFUSALS] or points[:1]
    best = max(allowed, key=lambda p: (round(p["balanced"], 3), -p["threshold"]))["threshold"]
    sure = next((t for t in GRID if t >= best and right_share(observed, confidences, t) >= SURE_RIGHT_SHARE), best)
    return best, sure


def curve_table(points: list[dict], chosen: float, sure: float) -> list[str]:
    lines = ["| min_confidence | refusal accuracy | false refusals | refusal precision | balanced | answers above "
             "it holding every fact |", "| --- | --- | --- | --- | --- | --- |"]
    for p in points:
        mark = (" (chosen)" if p["threshold"] == chosen else "") + (" (sure)" if p["threshold"] == sure else "")
        lines.append(f"| {p['threshold']:.2f}{mark} | {p['refusal_accuracy']:.3f} | {p['false_refusals']:.3f} | "
                     f"{p['refusal_precision']:.3f} | {p['balanced']:.3f} | {p['right_above']:.3f} |")
    return lines


def real_questions(args) -> list[dict]:
    """The real set's dev questions and the blind dev questions, where the file is the default gold set, the
    shared folder exists and the wide index has been built (by ``python -m evals.run``)."""
    if args.no_real or Path(args.file).resolve() != GOLD.resolve() or not Shared(SHARED).available:
        return []
    if not (WIDE_INDEX / "chroma").is_dir():
        print(f"the real set is left out: build {WIDE_INDEX.name} first (python -m evals.run)")
        return []
    return tuning_questions(GOLD_REAL) + [q for path in BLIND_DEV if path.is_file() for q in tuning_questions(path)]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", default=str(GOLD))
    parser.add_argument("--write", action="store_true", help="write the model and evals/CALIBRATION.md")
    parser.add_argument("--no-real", action="store_true",
                        help="leave out the real set (evals/gold_real.jsonl on the wide index) even where it exists")
    args = parser.parse_args(argv)
    settings = Settings.load()
    try:
        RefusalModel.load()
    except ValueError:  # fitted on other features: refusal is off while observing anyway
        if not args.write:
            raise
        RefusalModel.neutral().save(MODEL_FILE, note="placeholder: python -m evals.calibrate --write replaces it")
    assistant = Assistant.open(settings, PanelIndex(settings.store))
    questions = tuning_questions(args.file)
    held_out = len(load_gold(args.file)) - len(questions)
    print(f"tuning on the dev split only: {len(questions)} questions "
          f"({sum(q['kind'] == 'unanswerable' for q in questions)} unanswerable); "
          f"{held_out} test questions held out (never tuned on)")
    observed = observe(assistant, questions)
    real_dev = real_questions(args)
    if real_dev:  # the real set's and the blind dev questions, on the index that holds their papers
        print(f"and the real set's dev split with the blind dev questions: {len(real_dev)} questions on "
              f"{WIDE_INDEX.name} "
              f"({sum(q['kind'] == 'unanswerable' for q in real_dev)} unanswerable)")
        wide = settings.override(index_dir=WIDE_INDEX)
        observed += observe(Assistant.open(wide, PanelIndex(wide.store)), real_dev)
        questions = questions + real_dev
    fitted = [o for o in observed if o.has_answer and o.evidence is not None]
    confidences = dict(zip([o.question_id for o in fitted], out_of_fold(fitted), strict=True))
    points = curve(observed, confidences)
    for p in points:
        p["right_above"] = right_share(observed, confidences, p["threshold"])
    chosen, sure = choose(points, observed, confidences)
    table = curve_table(points, chosen, sure)
    print("\n".join(table))
    print(f"\nchosen on dev (out of fold): min_confidence = {chosen}, sure_confidence = {sure} "
          f"(false refusals <= {MAX_FALSE_REFUSALS}); measure, never tune, on the test split")
    if args.write and fitted:
        model = RefusalModel.fit([o.evidence for o in fitted], [int(o.answerable) for o in fitted])
        model.save(MODEL_FILE, note=f"python -m evals.calibrate --write on the dev split of {Path(args.file).name}: "
                   f"{len(fitted)} questions with an answer to weigh, {sum(not o.answerable for o in fitted)} of them "
                   f"unanswerable; min_confidence {chosen}, sure_confidence {sure}")
        CURVE_FILE.write_text("\n".join([
            "# Refusal calibration (dev split only)", "",
            f"Written by `python -m evals.calibrate --write` on {Path(args.file).name}"
            + (f", {GOLD_REAL.name} and blind_dev/" if real_dev else "") + f": {len(questions)} dev "
            f"questions, {len(fitted)} with an answer to weigh. The model is a logistic regression over "
            f"{', '.join(FEATURES)} (retrieval/answer/refusal.py); the confidences below are out of fold "
            f"({FOLDS}-fold cross-validation). Refusing: refusal accuracy is the recall of refusals on "
            "unanswerable questions, refusal precision the share of refusals that were right.", "",
            *table, "",
            f"Chosen: `min_confidence = {chosen}` (best balanced accuracy with false refusals <= "
            f"{MAX_FALSE_REFUSALS}), `sure_confidence = {sure}`.", ""]))
        print(f"wrote {MODEL_FILE} and {CURVE_FILE}")
    return {"min_confidence": chosen, "sure_confidence": sure}


if __name__ == "__main__":
    main()
