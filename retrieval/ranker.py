"""The search's last step: the first ``RANKED_DEPTH`` passages of the fused ranking put in order by a
small logistic model of how likely each is to hold the answer. Reciprocal-rank fusion weighs the three
rankings by rank alone, so a passage that holds most of the question's rare words but is only middling in
each ranking stays below passages that are near the question's topic without its facts; the model weighs
the scores themselves. Fitted by ``python -m evals.fit_ranker --write`` on the dev questions (label: the
passage holds every fact of the answer), cross-validated by question."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import numpy as np

from retrieval.logistic import LogisticModel

MODEL_FILE = Path(__file__).resolve().parent / "ranker_model.json"
RANKED_DEPTH = 40  # how many of the fused ranking's passages the model puts in order


@dataclass
class RankFeatures:
    """What the ranker reads of one passage found for one question."""

    fused_rank: float  # log(1 + its place in the fused ranking, 0 first)
    lexical: float  # its BM25 score over the best BM25 score of the question
    dense: float  # its vector's cosine similarity to the question's
    sentence_best: float  # its best sentence's cosine similarity to the question
    coverage: float  # the idf-weighted share of the question's words it holds, header and text

    def vector(self) -> np.ndarray:
        return np.array([getattr(self, f.name) for f in fields(self)], dtype=np.float64)

    @staticmethod
    def place(rank: int) -> float:
        return math.log1p(rank)


FEATURES = [f.name for f in fields(RankFeatures)]


@dataclass
class Ranker(LogisticModel):
    """Standardised logistic regression: the log-odds that a passage holds the answer."""

    def order(self, features: list[RankFeatures], nudges: list[float] | None = None) -> list[int]:
        """The positions of ``features`` best first (ties keep the fused order); ``nudges`` multiply each
        passage's probability (a committee the user favours, ``PANEL_COMMITTEE_BOOST``)."""
        if not features:
            return []
        logits = np.clip(self.logit(np.array([f.vector() for f in features])), -30.0, 30.0)
        scores = 1.0 / (1.0 + np.exp(-logits)) * (np.asarray(nudges) if nudges is not None else 1.0)
        return sorted(range(len(features)), key=lambda n: -scores[n])

    @classmethod
    def fit(cls, rows: list[RankFeatures], labels: list[int], l2: float = 1.0, steps: int = 3000) -> Ranker:
        x = np.array([r.vector() for r in rows])
        return cls(**cls.fitted(x, np.asarray(labels, dtype=np.float64), l2, steps))

    def save(self, path: Path = MODEL_FILE, note: str = "") -> None:
        path.write_text(json.dumps({"features": FEATURES, "note": note, **asdict(self)}, indent=1) + "\n")

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> Ranker | None:
        """The fitted ranker, or None (the fused order stands) where none has been fitted."""
        if not path.is_file():
            return None
        data = json.loads(path.read_text())
        if data.get("features") != FEATURES:
            raise ValueError(f"{path.name} was fitted on other features: re-run python -m evals.fit_ranker --write")
        return cls(weights=data["weights"], bias=data["bias"], mean=data["mean"], scale=data["scale"])
