"""A standardised logistic regression, fitted by gradient descent with numpy alone: the refusal model
(``retrieval.answer.refusal``) and the search's ranker (``retrieval.ranker``) are both one."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass
class LogisticModel:
    weights: list[float]
    bias: float
    mean: list[float]
    scale: list[float]

    def logit(self, x: np.ndarray) -> np.ndarray | float:
        """The log-odds of one feature vector (a float) or of each row of a matrix."""
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        # einsum, not BLAS: see retrieval.hybrid.similarities on BLAS threads
        if z.ndim == 1:
            return float(np.einsum("i,i->", z, np.asarray(self.weights)) + self.bias)
        return np.einsum("ni,i->n", z, np.asarray(self.weights)) + self.bias

    def probability(self, x: np.ndarray) -> float:
        logit = float(self.logit(x))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))

    @staticmethod
    def fitted(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 3000) -> dict:
        """The fields of the model fitted to rows ``x`` and 0/1 labels ``y``: gradient descent on the
        L2-regularised log loss, the two classes weighted to balance (answers the papers hold are most
        questions; the passage that answers is one of forty)."""
        mean, scale = x.mean(axis=0), x.std(axis=0)
        scale[scale < 1e-6] = 1.0
        z = (x - mean) / scale
        positives = max(1.0, y.sum())
        negatives = max(1.0, len(y) - y.sum())
        sample = np.where(y == 1, len(y) / (2 * positives), len(y) / (2 * negatives))
        w, b = np.zeros(z.shape[1]), 0.0
        for _ in range(steps):
            p = 1 / (1 + np.exp(-(z @ w + b)))
            g = sample * (p - y)
            w -= 0.1 * (z.T @ g / len(y) + l2 * w / len(y))
            b -= 0.1 * g.mean()
        return dict(weights=w.round(4).tolist(), bias=round(float(b), 4), mean=mean.round(4).tolist(),
                    scale=scale.round(4).tolist())
