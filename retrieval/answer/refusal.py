"""Whether to answer: a small logistic model over the evidence, not a word-overlap gate.

The features say how well the best passages match (dense similarity and its margin over the rest, BM25,
the share of the question the best sentences hold), whether the answer holds the kind of thing asked for,
and how much of the question the whole index has never seen. The weights are fitted by
``python -m evals.calibrate --write`` on the gold set's dev split (cross-validated), which also prints the
precision/recall curve; the thresholds (refuse below ``min_confidence``, "closest match" below
``sure_confidence``) are answer settings.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import numpy as np

from retrieval.logistic import LogisticModel

MODEL_FILE = Path(__file__).resolve().parent / "refusal_model.json"


@dataclass
class Evidence:
    """What the answer stands on, each in 0..1 (or close): the refusal model's features."""

    dense_best: float  # the best cosine similarity of the passages found
    dense_margin: float  # the best's lead over the fifth best
    lexical_best: float  # best BM25 score over the score of a passage holding each question word once, squashed
    coverage_best: float  # the largest share of the question (idf-weighted) one sentence holds
    meaning_best: float  # the best cosine similarity of one sentence of the top passages to the question
    meaning_answer: float  # the answer's lead sentence's cosine similarity to the question
    coverage_answer: float  # the share of the question the answer's text holds
    type_match: float  # 1 when the answer holds what is asked for (a name for "who"...), 0.5 when nothing is
    unseen: float  # the share of the question (idf-weighted) no paper in the index holds
    period_found: float  # 0 when the question names a period no passage is of, else 1

    def vector(self) -> np.ndarray:
        return np.array([getattr(self, f.name) for f in fields(self)], dtype=np.float64)


FEATURES = [f.name for f in fields(Evidence)]


@dataclass
class RefusalModel(LogisticModel):
    """Standardised logistic regression: P(the papers answer the question | evidence)."""

    def confidence(self, evidence: Evidence) -> float:
        return self.probability(evidence.vector())

    @classmethod
    def fit(cls, rows: list[Evidence], labels: list[int], l2: float = 1.0, steps: int = 3000) -> RefusalModel:
        """Fitted to the evidence of questions and whether each is answerable (``LogisticModel.fitted``)."""
        x = np.array([r.vector() for r in rows])
        return cls(**cls.fitted(x, np.asarray(labels, dtype=np.float64), l2, steps))

    @classmethod
    def neutral(cls) -> RefusalModel:
        """A model that answers everything (confidence 0.5 whatever the evidence): the calibration's start."""
        return cls(weights=[0.0] * len(FEATURES), bias=0.0, mean=[0.0] * len(FEATURES), scale=[1.0] * len(FEATURES))

    def save(self, path: Path = MODEL_FILE, note: str = "") -> None:
        path.write_text(json.dumps({"features": FEATURES, "note": note, **asdict(self)}, indent=1) + "\n")

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> RefusalModel:
        data = json.loads(path.read_text())
        if data.get("features") != FEATURES:
            raise ValueError(f"{path.name} was fitted on other features: re-run python -m evals.calibrate --write")
        return cls(weights=data["weights"], bias=data["bias"], mean=data["mean"], scale=data["scale"])


def squash(value: float, half: float) -> float:
    """0..inf onto 0..1, reaching 0.5 at ``half``."""
    return value / (value + half) if value > 0 else 0.0
