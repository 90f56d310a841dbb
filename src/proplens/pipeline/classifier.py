"""The technique classifier: the encoder's head, article-level cues and a word model, combined.

Three views of a span go into one multinomial logistic regression:

* the technique head's log-probabilities (pooled encoder states: what the span
  means in its window);
* the article-level cues (``cues``: repetition across the article, title,
  question or exclamation, quotes, position, length);
* the bag-of-words model's log-probabilities (``lexical``).

It is fitted on *out-of-fold* predictions (every span's head probabilities come
from a fold model that never saw its article), with classes weighted so that
rare techniques are not starved, and its settings are chosen by
cross-validation (``selection``). Inference is numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from proplens.pipeline.cues import ArticleCues, span_cues
from proplens.pipeline.lexical import LexicalModel

_EPS = 1e-6


@dataclass
class StackedClassifier:
    """Standardised features -> linear layer -> softmax over the techniques."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # (techniques, features)
    bias: np.ndarray

    def probs(self, features: np.ndarray) -> np.ndarray:
        logits = ((features - self.mean) / self.scale) @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, path: Path) -> None:
        np.savez(path, mean=self.mean, scale=self.scale, weights=self.weights, bias=self.bias)

    @classmethod
    def load(cls, path: Path) -> StackedClassifier:
        with np.load(path, allow_pickle=False) as data:
            return cls(
                *(
                    np.asarray(data[k], dtype=np.float32)
                    for k in ("mean", "scale", "weights", "bias")
                )
            )


def stack_features(
    head_probs: np.ndarray, cues: np.ndarray, lexical_log_probs: np.ndarray
) -> np.ndarray:
    """The classifier's input: ``[log head probabilities, cues, lexical log-probabilities]``."""
    return np.concatenate(
        [np.log(np.clip(head_probs, _EPS, 1.0)), cues, np.maximum(lexical_log_probs, np.log(_EPS))],
        axis=1,
    ).astype(np.float32)


def article_features(
    text: str,
    spans: list[tuple[int, int]],
    head_probs: np.ndarray,
    lexical: LexicalModel,
    cues: ArticleCues | None = None,
) -> np.ndarray:
    """Classifier features of ``spans`` of one article (``cues``: ``ArticleCues(text)``, if built).

    Pass ``cues`` when the article's spans are named in several calls: building them
    (a word index of the whole article) costs as much as the cues of dozens of spans.
    """
    if cues is None:
        cues = ArticleCues(text)
    elif cues.text.text != text:  # the same string object: no comparison of characters
        raise ValueError("the cues were built for another text")
    words = lexical.log_probs([text[s:e] for s, e in spans])
    return stack_features(head_probs, span_cues(cues, spans), words)


def fit_stacked(
    features: np.ndarray, labels: np.ndarray, n_classes: int, c: float, class_power: float
) -> StackedClassifier:
    """Multinomial logistic regression, classes weighted by (1 / frequency) ** ``class_power``.

    Needs scikit-learn (the ``[train]`` extra).
    """
    from sklearn.linear_model import LogisticRegression

    mean = features.mean(axis=0)
    scale = features.std(axis=0) + 1e-3
    counts = np.bincount(labels, minlength=n_classes).astype(np.float64)
    class_weight = {
        k: float((counts.sum() / counts[k]) ** class_power) for k in range(n_classes) if counts[k]
    }
    total = sum(class_weight[k] * counts[k] for k in class_weight)
    class_weight = {k: w * counts.sum() / total for k, w in class_weight.items()}
    model = LogisticRegression(C=c, max_iter=5000, class_weight=class_weight)
    model.fit((features - mean) / scale, labels)
    weights = np.zeros((n_classes, features.shape[1]), dtype=np.float32)
    bias = np.full(n_classes, -30.0, dtype=np.float32)
    weights[model.classes_] = model.coef_
    bias[model.classes_] = model.intercept_
    return StackedClassifier(mean.astype(np.float32), scale.astype(np.float32), weights, bias)


@dataclass
class TechniqueClassifier:
    """The shipped classifier: the word model and the stacked layer over the head's output."""

    lexical: LexicalModel
    stacked: StackedClassifier

    FILES = ("lexical.json", "lexical.npz", "classifier.npz")

    def probs(
        self,
        text: str,
        spans: list[tuple[int, int]],
        head_probs: np.ndarray,
        cues: ArticleCues | None = None,
    ) -> np.ndarray:
        """``(len(spans), techniques)`` probabilities (``cues``: see ``article_features``)."""
        if not spans:
            return head_probs
        features = article_features(text, spans, head_probs, self.lexical, cues)
        return self.stacked.probs(features)

    def save(self, folder: Path) -> list[str]:
        self.lexical.save(folder)
        self.stacked.save(folder / "classifier.npz")
        return list(self.FILES)

    @classmethod
    def load(cls, folder: Path) -> TechniqueClassifier | None:
        """The classifier of a model folder, or None for a model without one (0.1.0)."""
        if not all((folder / name).exists() for name in cls.FILES):
            return None
        return cls(LexicalModel.load(folder), StackedClassifier.load(folder / "classifier.npz"))
