"""Calibrated span scores: turn raw model confidences into the probability of being right.

A detected span is *right* when a gold span of the same technique covers at
least half of the shorter of the two. On out-of-fold predictions, a logistic
regression on ``logit(span confidence)`` and ``logit(technique probability)``
learns how often that happens; its three numbers ship in the model card.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from proplens.intervals import bootstrap

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


@dataclass(frozen=True)
class PhraseCalibration:
    """``sigmoid(weight * logit(score) + bias)``: the score of a nested phrase, made honest.

    Nested phrases (``pipeline.nesting``) are chosen by the span calibration's
    score, fitted on the out-of-fold spans of the decoding before nesting
    existed; on the confirmation articles phrases scored 0.5-0.9 were right only
    21-59% of the time (docs/model.md, "Calibration"). This rescales a
    phrase's score after the choice, so which phrases are shown does not change,
    only the number a reader sees (and a higher ``--threshold`` filters on it).
    The identity (weight 1, bias 0) is a card without ``phrase_calibration``.

    >>> PhraseCalibration(weight=1.0, bias=0.0).score(np.array([0.7]))
    array([0.7])
    >>> np.round(PhraseCalibration(weight=2.0, bias=-1.5).score(np.array([0.5, 0.8])), 3)
    array([0.182, 0.781])
    """

    weight: float = 1.0
    bias: float = 0.0

    def score(self, scores: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.weight * logit(scores) + self.bias)))

    @classmethod
    def from_card(cls, entry: dict | None) -> PhraseCalibration | None:
        """The card's ``phrase_calibration`` (``weight``, ``bias``, and ``fitted``: how), or None.

        A missing or non-numeric weight or bias, or a weight that is not
        positive (it would reverse the order of the scores), raises ValueError.
        """
        if entry is None:
            return None
        if not isinstance(entry, dict):
            raise ValueError(f"must be an object, got {type(entry).__name__}")
        unknown = set(entry) - {"weight", "bias", "fitted"}
        if unknown:
            raise ValueError(f"unknown keys {sorted(unknown)} (the keys are: weight, bias, fitted)")
        values = {}
        for key in ("weight", "bias"):
            value = entry.get(key)
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise ValueError(f"{key} must be a number, got {value!r}")
            values[key] = float(value)
        if values["weight"] <= 0:
            raise ValueError(f"weight must be above 0, got {values['weight']!r}")
        return cls(**values)


def fit_phrases(scores: np.ndarray, right: np.ndarray, l2: float = 1e-3) -> PhraseCalibration:
    """Logistic regression of ``right`` on ``logit(scores)`` (Platt scaling), by :func:`fit`."""
    half = np.full(len(scores), 0.5)  # logit 0: the technique term drops out
    fitted = fit(np.asarray(scores), half, right, l2)
    return PhraseCalibration(weight=fitted.span_weight, bias=fitted.bias)


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


def reliability_table(
    scores: np.ndarray,
    right: np.ndarray,
    bins: int = 10,
    articles: np.ndarray | None = None,
    resamples: int = 2000,
) -> list[dict]:
    """Per score bin: how many spans, their mean score, and the share that were right.

    >>> reliability_table(np.array([0.05, 0.15, 0.12]), np.array([0, 1, 0]), bins=10)[:2]
    [{'bin': '0.0-0.1', 'spans': 1, 'mean_score': 0.05, 'right': 0.0}, \
{'bin': '0.1-0.2', 'spans': 2, 'mean_score': 0.135, 'right': 0.5}]

    With ``articles`` (the article of each span), each row also gets the 95%
    bootstrap interval of its share right over articles (``low``, ``high``):
    spans of one article are right or wrong together more often than spans of
    different articles, and the share moves from one set of articles to the
    next (a reader should see that spread, not one curve). Here two articles
    disagree completely, so the interval spans both of them:

    >>> row = reliability_table(np.array([0.35, 0.31, 0.38]), np.array([1, 1, 0]),
    ...                         articles=np.array(["a", "a", "b"]), resamples=500)[0]
    >>> row["right"], row["low"], row["high"]
    (0.6667, 0.0, 1.0)
    """
    scores = np.asarray(scores, dtype=np.float64)
    right = np.asarray(right, dtype=np.float64)
    index = np.minimum((scores * bins).astype(int), bins - 1)
    rows = []
    for b in range(bins):
        mask = index == b
        if not mask.any():
            continue
        row = {
            "bin": f"{b / bins:.1f}-{(b + 1) / bins:.1f}",
            "spans": int(mask.sum()),
            "mean_score": round(float(scores[mask].mean()), 4),
            "right": round(float(right[mask].mean()), 4),
        }
        if articles is not None:
            interval = _share_interval(right[mask], np.asarray(articles)[mask], resamples)
            row["low"], row["high"] = round(interval[0], 4), round(interval[1], 4)
        rows.append(row)
    return rows


def _share_interval(right: np.ndarray, articles: np.ndarray, resamples: int) -> tuple[float, float]:
    """95% percentile interval of ``right.mean()`` when articles are resampled."""
    names = sorted(set(articles.tolist()))
    stats = np.array([[right[articles == a].sum(), (articles == a).sum()] for a in names])
    interval = bootstrap(stats, lambda t: t[0] / t[1] if t[1] else float("nan"), resamples)
    return interval.low, interval.high


def is_right(start: int, end: int, technique: str, gold: list[tuple[int, int, str]]) -> bool:
    """Whether a gold span of the same technique covers half of the shorter of the two."""
    for g_start, g_end, g_technique in gold:
        if g_technique != technique:
            continue
        overlap = min(end, g_end) - max(start, g_start)
        if overlap > 0 and overlap >= 0.5 * min(end - start, g_end - g_start):
            return True
    return False
