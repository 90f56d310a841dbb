"""Article in, spans out: the detector behind ``proplens analyze`` and ``proplens.load()``.

An :class:`Analyzer` loads the model once (the shipped one by default) and is
then reused for any number of articles; ``analyze`` is safe to call from
several threads at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from proplens.article import Article, Span
from proplens.errors import ModelError


class Analyzer:
    """Finds propaganda spans and names their techniques."""

    def __init__(self, model, threshold: float | None = None) -> None:
        self.model = model
        self.threshold = model.default_threshold if threshold is None else threshold

    @classmethod
    def load(cls, model_dir: str | Path | None = None, threshold: float | None = None) -> Analyzer:
        raise ModelError("no trained model is shipped with this version of proplens yet")

    @property
    def card(self) -> dict:
        """The model card: training data hash, config, seed, validation metrics, date."""
        return self.model.card

    def analyze(self, article: Article | str, threshold: float | None = None) -> Article:
        """A copy of ``article`` whose spans are the detected fragments with score >= threshold."""
        raise NotImplementedError

    def analyze_many(self, articles: Iterable[Article | str]) -> Iterator[Article]:
        for article in articles:
            yield self.analyze(article)

    def classify(self, article: Article, spans: list[Span]) -> list[Span]:
        """Name the technique of each given span (the TC setting), keeping its offsets."""
        raise NotImplementedError
