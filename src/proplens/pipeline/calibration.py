"""Calibrated span scores: turn raw model confidences into the probability of being right.

A detected span is *right* when a gold span of the same technique covers at
least half of the shorter of the two. On out-of-fold predictions, a logistic
regression on ``logit(span confidence)`` and ``logit(technique probability)``
learns how often that happens; its three numbers ship in the model card.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

_EPS = 1e-6


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=np.float64), _EPS, 1 - _EPS)
    return np.log(p / (1 - p))


@dataclass(frozen=True)
class Calibration:
    """``sigmoid(span_weight * logit(p_span) + technique_weight * logit(p_tech) + bias)``."""

    span_weight: float = 1.0
    technique_weight: float = 1.0
    bias: float = 0.0

    def score(self, p_span: np.ndarray, p_technique: np.ndarray) -> np.ndarray:
        z = self.span_weight * logit(p_span) + self.technique_weight * logit(p_technique)
        return 1.0 / (1.0 + np.exp(-(z + self.bias)))

    def to_dict(self) -> dict:
        return asdict(self)


def fit(
    p_span: np.ndarray, p_technique: np.ndarray, right: np.ndarray, l2: float = 1e-3
) -> Calibration:
    """Logistic regression by Newton's method (three parameters, no extra dependency)."""
    x = np.column_stack([logit(p_span), logit(p_technique), np.ones(len(p_span))])
    y = np.asarray(right, dtype=np.float64)
    w = np.zeros(3)
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + l2 * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(3)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return Calibration(float(w[0]), float(w[1]), float(w[2]))


def reliability_table(scores: np.ndarray, right: np.ndarray, bins: int = 10) -> list[dict]:
    """Per score bin: how many spans, their mean score, and the share that were right.

    >>> reliability_table(np.array([0.05, 0.15, 0.12]), np.array([0, 1, 0]), bins=10)[:2]
    [{'bin': '0.0-0.1', 'spans': 1, 'mean_score': 0.05, 'right': 0.0}, \
{'bin': '0.1-0.2', 'spans': 2, 'mean_score': 0.135, 'right': 0.5}]
    """
    scores = np.asarray(scores, dtype=np.float64)
    right = np.asarray(right, dtype=np.float64)
    index = np.minimum((scores * bins).astype(int), bins - 1)
    rows = []
    for b in range(bins):
        mask = index == b
        if not mask.any():
            continue
        rows.append(
            {
                "bin": f"{b / bins:.1f}-{(b + 1) / bins:.1f}",
                "spans": int(mask.sum()),
                "mean_score": round(float(scores[mask].mean()), 4),
                "right": round(float(right[mask].mean()), 4),
            }
        )
    return rows


def is_right(start: int, end: int, technique: str, gold: list[tuple[int, int, str]]) -> bool:
    """Whether a gold span of the same technique covers half of the shorter of the two."""
    for g_start, g_end, g_technique in gold:
        if g_technique != technique:
            continue
        overlap = min(end, g_end) - max(start, g_start)
        if overlap > 0 and overlap >= 0.5 * min(end - start, g_end - g_start):
            return True
    return False
