"""A span score from more than two inputs: what the runtime already knows about each span.

The shipped score is ``Calibration`` (``logit(p_span)``, ``logit(p_technique)``)
plus the nested phrases' rescale. Here a logistic regression (no new encoder
pass) reads those and a few more numbers the pipeline has anyway: the
technique, the span's length, whether it is a whole sentence or crosses one,
the encoder's P(inside) over its tokens, and how busy its article is. Nothing
about which side, country or party a span names is an input (neutrality).

It was measured on out-of-fold articles and the confirmation split
(docs/model.md, "More inputs to the span score"); :func:`span_features` is the
one place those inputs are computed, for the bench that fits it and for the
runtime alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from proplens.pipeline.calibration import logit
from proplens.pipeline.cues import ArticleCues
from proplens.pipeline.decode import O
from proplens.pipeline.features import token_range
from proplens.techniques import NAMES

BASE = (
    "logit_score",
    "logit_span",
    "logit_technique",
    "phrase",
    "log_chars",
    "log_words",
    "whole_sentence",
    "crosses_sentence",
    "inside_mean",
    "inside_max",
    "article_inside_share",
    "article_spans_per_1000_chars",
    "article_log_chars",
)
FEATURES = BASE + tuple(f"technique={name}" for name in NAMES)
"""The inputs, in the order of :func:`span_features`' columns and of the card's weights."""


def span_features(
    text: str,
    offsets: np.ndarray,
    bio: np.ndarray,
    spans: list[tuple[int, int, str, float]],
    p_span: np.ndarray,
    p_technique: np.ndarray,
    phrase: np.ndarray,
    cues: ArticleCues | None = None,
) -> np.ndarray:
    """``(len(spans), len(FEATURES))``: each span's inputs, ``spans`` as ``scored_spans`` gives.

    ``offsets`` and ``bio`` are the article's tokens and BIO probabilities;
    ``p_span``, ``p_technique`` and ``phrase`` are each span's confidence, the
    probability of its technique and whether it is a nested phrase.
    """
    cues = cues or ArticleCues(text)
    inside = 1.0 - np.asarray(bio, dtype=np.float64)[:, O] if len(bio) else np.zeros(0)
    share = float((inside > 0.5).mean()) if len(inside) else 0.0
    per_1000 = 1000.0 * len(spans) / max(1, len(text))
    log_article = math.log1p(len(text))
    index = {name: i for i, name in enumerate(NAMES)}
    rows = np.zeros((len(spans), len(FEATURES)))
    for row, (start, end, technique, score) in enumerate(spans):
        first, stop = token_range(offsets, start, end)
        chunk = inside[first:stop] if stop > first else np.zeros(1)
        s_start, s_end = cues.sentence(start, end)
        fragment = text[start:end]
        ends = cues.sentence_ends[(cues.sentence_ends > start) & (cues.sentence_ends < end)]
        rows[row, : len(BASE)] = (
            logit(np.array([score]))[0],
            logit(np.array([p_span[row]]))[0],
            logit(np.array([p_technique[row]]))[0],
            float(phrase[row]),
            math.log(max(1, end - start)),
            math.log(max(1, len(fragment.split()))),
            float(fragment.strip() == text[s_start:s_end].strip()),
            float(any(text[int(e) : end].strip() for e in ends)),
            float(chunk.mean()),
            float(chunk.max()),
            share,
            per_1000,
            log_article,
        )
        rows[row, len(BASE) + index[technique]] = 1.0
    return rows


@dataclass(frozen=True)
class SpanRescore:
    """``sigmoid(weights · features + bias)``: the score shown, from :data:`FEATURES`."""

    weights: tuple[float, ...]
    bias: float

    def score(self, features: np.ndarray) -> np.ndarray:
        z = np.asarray(features, dtype=np.float64) @ np.asarray(self.weights) + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def to_dict(self) -> dict:
        return {
            "features": list(FEATURES),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
        }

    @classmethod
    def from_card(cls, entry: dict | None) -> SpanRescore | None:
        """The card's ``span_rescore`` (``features``, ``weights``, ``bias``, ``fitted``), or None.

        The feature names must be :data:`FEATURES` in that order (a card
        written for other inputs would silently mix them up); anything else
        wrong raises ValueError.
        """
        if entry is None:
            return None
        if not isinstance(entry, dict):
            raise ValueError(f"must be an object, got {type(entry).__name__}")
        unknown = set(entry) - {"features", "weights", "bias", "fitted"}
        if unknown:
            raise ValueError(
                f"unknown keys {sorted(unknown)} (the keys are: features, weights, bias, fitted)"
            )
        if entry.get("features") != list(FEATURES):
            raise ValueError(f"features must be this runtime's inputs, in order: {list(FEATURES)}")
        weights = entry.get("weights")
        if not isinstance(weights, list) or len(weights) != len(FEATURES):
            raise ValueError(f"weights must be a list of {len(FEATURES)} numbers")
        values = [*weights, entry.get("bias")]
        for value in values:
            if not _finite(value):
                raise ValueError(f"weights and bias must be finite numbers, got {value!r}")
        return cls(tuple(float(w) for w in weights), float(entry["bias"]))


def _finite(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def fit(features: np.ndarray, right: np.ndarray, l2: float = 1.0) -> SpanRescore:
    """Logistic regression by Newton's method, L2 on the weights (not the bias).

    Like :func:`proplens.pipeline.calibration.fit`, with no extra dependency;
    the penalty keeps the technique indicators and the collinear score inputs
    finite.
    """
    x = np.column_stack([np.asarray(features, dtype=np.float64), np.ones(len(features))])
    y = np.asarray(right, dtype=np.float64)
    penalty = np.full(x.shape[1], float(l2))
    penalty[-1] = 0.0
    w = np.zeros(x.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return SpanRescore(tuple(float(v) for v in w[:-1]), float(w[-1]))
