"""Does the verdict on a sentence move when only the words swapped in it change?

For one article the analyzer runs on the original and on a swapped copy. Each
sentence of the original (``Article.sentences()``) is carried onto the copy by
offsets, and the *set* of techniques of the spans overlapping it is compared.
A sentence is *touched* when a swapped word lies in it. Shares of changed
sentences get bootstrap intervals over articles (sentences of one article are
not independent). ``bench/neutrality.py`` prints them for whole corpora.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from proplens.article import Article, Span
from proplens.counterfactual.pairs import SwapTable
from proplens.counterfactual.swaps import OffsetMap, swap


class Analyzes(Protocol):
    def analyze(self, article: Article, threshold: float | None = None) -> Article: ...


@dataclass(frozen=True)
class SentenceOutcome:
    touched: bool  # a swapped word lies in the sentence
    changed: bool  # its set of techniques differs between original and copy
    flagged: bool = False  # the original sentence has at least one technique


def techniques_in(spans: Iterable[Span], start: int, end: int, threshold: float) -> frozenset:
    """Techniques of the spans scored at least ``threshold`` that overlap ``[start, end)``."""
    return frozenset(
        s.technique
        for s in spans
        if s.start < end and s.end > start and (s.score is None or s.score >= threshold)
    )


def compare_sentences(
    original: Article, copy: Article, offsets: OffsetMap, threshold: float
) -> list[SentenceOutcome]:
    """One outcome per sentence of ``original``; ``offsets`` map it onto ``copy``."""
    outcomes = []
    for start, end in original.sentences():
        new_start, new_end = offsets.span(start, end)
        before = techniques_in(original.spans, start, end, threshold)
        after = techniques_in(copy.spans, new_start, new_end, threshold)
        outcomes.append(SentenceOutcome(offsets.touches(start, end), before != after, bool(before)))
    return outcomes


def measure_article(
    analyzer: Analyzes,
    article: Article,
    tables: dict[str, SwapTable],
    thresholds: Sequence[float],
) -> dict[str, dict[float, list[SentenceOutcome]]]:
    """Outcomes per swap (by name in ``tables``) and threshold; each text is analysed once.

    A copy with nothing swapped is not analysed again: the detector is
    deterministic, so its sentences count as unchanged and untouched.
    """
    lowest = min(thresholds)
    found = analyzer.analyze(article, threshold=lowest)
    results = {}
    for name, table in tables.items():
        swapped = swap(article.text, table)
        copy = found
        if swapped.changed:
            copy = analyzer.analyze(Article.from_text(swapped.text, id=article.id), lowest)
        results[name] = {
            cut: compare_sentences(found, copy, swapped.offsets, cut) for cut in thresholds
        }
    return results


@dataclass(frozen=True)
class Share:
    """``changed`` of ``total`` sentences changed; ``low``/``high``: bootstrap interval."""

    changed: int
    total: int
    share: float | None
    low: float | None
    high: float | None

    def as_dict(self) -> dict:
        return {
            "changed": self.changed,
            "sentences": self.total,
            "share": _round(self.share),
            "ci95": [_round(self.low), _round(self.high)],
        }


def bootstrap_share(
    changed: Sequence[int],
    total: Sequence[int],
    rounds: int = 2000,
    seed: int = 0,
    level: float = 0.95,
) -> Share:
    """Share of changed sentences, pooled over articles, with a percentile bootstrap interval.

    Articles are resampled with replacement (one entry of ``changed``/``total``
    per article), since sentences of one article share its windows and topic.
    """
    changed_arr = np.asarray(changed, dtype=np.int64)
    total_arr = np.asarray(total, dtype=np.int64)
    n_changed, n_total = int(changed_arr.sum()), int(total_arr.sum())
    if n_total == 0:
        return Share(n_changed, 0, None, None, None)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(total_arr), size=(rounds, len(total_arr)))
    sums = total_arr[picks].sum(axis=1)
    ratios = changed_arr[picks].sum(axis=1)[sums > 0] / sums[sums > 0]
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(ratios, [tail, 100 - tail])
    return Share(n_changed, n_total, n_changed / n_total, float(low), float(high))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
