"""Article in, spans out: the detector behind ``proplens analyze`` and ``proplens.load()``.

An :class:`Analyzer` loads the model once (the shipped one by default) and is
then reused for any number of articles; ``analyze`` is safe to call from
several threads at once (onnxruntime sessions are thread-safe).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from proplens.article import Article, Span
from proplens.errors import InputError
from proplens.thresholds import check_threshold


class Analyzer:
    """Finds propaganda spans and names their techniques."""

    def __init__(self, model, threshold: float | None = None) -> None:
        self.model = model
        self.threshold = model.default_threshold if threshold is None else _check(threshold)

    @classmethod
    def load(cls, model_dir: str | Path | None = None, threshold: float | None = None) -> Analyzer:
        from proplens.pipeline.runtime import Model

        if threshold is not None:
            _check(threshold)  # before the model loads: a typo should not cost seconds
        return cls(Model.load(model_dir), threshold)

    @property
    def card(self) -> dict:
        """The model card: training data hash, config, seed, validation metrics, date."""
        return self.model.card

    def analyze(
        self,
        article: Article | str,
        threshold: float | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Article:
        """A copy of ``article`` whose spans are the fragments found with score >= threshold.

        Each span carries its technique and a calibrated score: on the validation
        split, spans scored about 0.4 were right (same technique, overlapping the
        gold) about 40% of the time. ``progress(done, total)``, if given, is called
        as the model works through the article (in encoder windows), for long ones.
        """
        article = _as_article(article)
        cut = self.threshold if threshold is None else _check(threshold)
        found = self.model.detect(article.text, progress)
        spans = [
            Span(start, end, technique, score)
            for start, end, technique, score in found
            if score >= cut
        ]
        return article.with_spans(spans)

    def classify(self, article: Article, spans: list[Span]) -> list[Span]:
        """Name the technique of each given span (the TC setting), keeping its offsets.

        The score is the technique's probability. A span given k times gets its k
        most likely distinct techniques, as the corpus lists multi-label spans.
        """
        for span in spans:
            if span.end > len(article.text):
                raise InputError(
                    f"span [{span.start}, {span.end}) lies beyond the end of article "
                    f"{article.id!r} ({len(article.text)} characters)"
                )
        named = self.model.classify(article.text, [(s.start, s.end) for s in spans])
        return [Span(s.start, s.end, t, p) for s, (t, p) in zip(spans, named, strict=True)]


def _as_article(article: Article | str) -> Article:
    return Article.from_text(article) if isinstance(article, str) else article


def _check(threshold: float) -> float:
    return check_threshold(threshold)
