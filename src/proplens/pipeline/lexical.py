"""A bag-of-words technique model: which words a span uses, whatever their context.

Some techniques are lexical at heart ("so-called", "patriots", "wake up",
"terrorist"): a linear model on the span's words and word pairs (TF-IDF,
sublinear counts) recognises them cheaply and makes different mistakes from
the encoder, so the technique classifier (``classifier``) gets both. Inference
is numpy only; the vocabulary ships as JSON and the weights in ``.npz``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

_WORD = re.compile(r"\w+(?:['’]\w+)*")


def terms(fragment: str) -> list[str]:
    """Lower-cased words and adjacent word pairs of ``fragment``.

    >>> terms("So-called EXPERTS")
    ['so', 'called', 'experts', 'so called', 'called experts']
    """
    words = [w.lower() for w in _WORD.findall(fragment)]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


class LexicalModel:
    """TF-IDF features of a span's terms, then a linear layer: log-probabilities of techniques."""

    def __init__(
        self, vocabulary: list[str], idf: np.ndarray, weights: np.ndarray, bias: np.ndarray
    ):
        self.vocabulary = vocabulary
        self.index = {term: i for i, term in enumerate(vocabulary)}
        self.idf = np.asarray(idf, dtype=np.float32)
        self.weights = np.asarray(weights, dtype=np.float32)  # (techniques, vocabulary)
        self.bias = np.asarray(bias, dtype=np.float32)

    def features(self, fragments: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Sparse TF-IDF rows as ``(indices, values)``, L2-normalised, as scikit-learn computes."""
        rows = []
        for fragment in fragments:
            counts: dict[int, int] = {}
            for term in terms(fragment):
                i = self.index.get(term)
                if i is not None:
                    counts[i] = counts.get(i, 0) + 1
            index = np.fromiter(counts, dtype=np.int64, count=len(counts))
            values = (
                1.0 + np.log(np.fromiter(counts.values(), np.float32, len(counts)))
            ) * self.idf[index]
            norm = float(np.sqrt((values**2).sum()))
            rows.append((index, values / norm if norm else values))
        return rows

    def log_probs(self, fragments: list[str]) -> np.ndarray:
        """``(len(fragments), techniques)`` log-probabilities."""
        logits = np.tile(self.bias, (len(fragments), 1))
        for row, (index, values) in enumerate(self.features(fragments)):
            logits[row] += self.weights[:, index] @ values
        logits -= logits.max(axis=1, keepdims=True)
        return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))

    def save(self, folder: Path, stem: str = "lexical") -> list[str]:
        (folder / f"{stem}.json").write_text(json.dumps(self.vocabulary, ensure_ascii=False) + "\n")
        np.savez(folder / f"{stem}.npz", idf=self.idf, weights=self.weights, bias=self.bias)
        return [f"{stem}.json", f"{stem}.npz"]

    @classmethod
    def load(cls, folder: Path, stem: str = "lexical") -> LexicalModel:
        vocabulary = json.loads((folder / f"{stem}.json").read_text())
        with np.load(folder / f"{stem}.npz", allow_pickle=False) as data:
            return cls(vocabulary, data["idf"], data["weights"], data["bias"])


def fit_lexical(
    fragments: list[str], labels: np.ndarray, n_classes: int, c: float = 1.0
) -> LexicalModel:
    """Fit on gold spans (needs scikit-learn, from the ``[train]`` extra)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=terms, min_df=2, sublinear_tf=True)
    x = vectorizer.fit_transform(fragments)
    model = LogisticRegression(C=c, max_iter=3000).fit(x, labels)
    weights = np.zeros((n_classes, x.shape[1]), dtype=np.float32)
    bias = np.full(n_classes, -30.0, dtype=np.float32)  # a class never seen stays improbable
    weights[model.classes_] = model.coef_
    bias[model.classes_] = model.intercept_
    vocabulary = [""] * x.shape[1]
    for term, i in vectorizer.vocabulary_.items():
        vocabulary[i] = term
    return LexicalModel(vocabulary, vectorizer.idf_, weights, bias)
