"""Bootstrap intervals over articles for the SemEval measures (SI, TC and FLC).

All three measures are ratios of sums over articles (see :mod:`proplens.scoring`),
so each article reduces to a few numbers and a resample of articles is a
resample of those rows. Articles, not spans, are resampled: spans of one
article are not independent (one annotator, one topic, one writer), and a
figure that holds only for a few articles should get a wide interval.

>>> from proplens.formats.semeval import LabelRow as R
>>> gold = [R("1", 0, 10), R("2", 0, 10)]
>>> stats = si_article_stats(gold, [R("1", 0, 10), R("2", 20, 30)])
>>> stats.tolist()
[[1.0, 1.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]]
>>> si_f1(stats.sum(axis=0))
0.5
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from proplens.scoring import Row, f1_score, merge_spans, merged_by_technique, overlap_sums


@dataclass(frozen=True)
class Interval:
    """A point estimate with its bootstrap interval (``level`` = 0.95 for 95%)."""

    value: float
    low: float
    high: float
    level: float = 0.95

    def __str__(self) -> str:
        return f"{self.value:.4f} [{self.low:.4f}, {self.high:.4f}]"

    def to_dict(self) -> dict:
        return {
            "value": round(self.value, 4),
            "low": round(self.low, 4),
            "high": round(self.high, 4),
        }


def si_article_stats(
    gold: Iterable[Row], pred: Iterable[Row], articles: list[str] | None = None
) -> np.ndarray:
    """Per article: precision sum, predicted spans, recall sum, gold spans, after merging
    overlapping spans as the SI measure does. Rows follow ``articles`` (default: the sorted
    ids of gold and prediction); pass it to pair two predictions of the same articles."""
    gold_spans, pred_spans = _by_article(gold), _by_article(pred)
    rows = []
    for article in articles or sorted(set(gold_spans) | set(pred_spans)):
        g, p = gold_spans.get(article, []), pred_spans.get(article, [])
        p_sum, r_sum = overlap_sums(p, g)
        rows.append((p_sum, len(p), r_sum, len(g)))
    return np.array(rows, dtype=np.float64).reshape(-1, 4)


def si_f1(totals: np.ndarray) -> float:
    """SI F1 from summed ``si_article_stats`` rows."""
    p_sum, n_pred, r_sum, n_gold = totals
    return float(f1_score(p_sum / n_pred if n_pred else 0.0, r_sum / n_gold if n_gold else 0.0))


def flc_article_stats(
    gold: Iterable[Row], pred: Iterable[Row], articles: list[str] | None = None
) -> np.ndarray:
    """Per article, summed over techniques: FLC's precision sum, predicted spans, recall
    sum, gold spans (merged within each technique, as :func:`proplens.scoring.flc_score`
    does); rows as for SI. The F1 of summed rows is :func:`flc_f1`.

    >>> from proplens.formats.semeval import LabelRow as R
    >>> gold = [R("1", 0, 10, "Doubt"), R("1", 2, 6, "Loaded_Language")]
    >>> flc_article_stats(gold, [R("1", 2, 6, "Doubt")]).tolist()
    [[1.0, 1.0, 0.4, 2.0]]
    """
    gold_spans, pred_spans = merged_by_technique(gold), merged_by_technique(pred)
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for (article, technique), spans in pred_spans.items():
        p_sum, r_sum = overlap_sums(spans, gold_spans.get((article, technique), []))
        row = totals[article]
        row[0] += p_sum
        row[1] += len(spans)
        row[2] += r_sum
    for (article, _), spans in gold_spans.items():
        totals[article][3] += len(spans)
    order = articles or sorted(totals)
    return np.array([totals.get(a, [0.0] * 4) for a in order], dtype=np.float64).reshape(-1, 4)


def flc_f1(totals: np.ndarray) -> float:
    """FLC F1 from summed ``flc_article_stats`` rows (the same ratio as SI's)."""
    return si_f1(totals)


def tc_article_stats(
    gold: Iterable[Row], pred: Iterable[Row], articles: list[str] | None = None
) -> np.ndarray:
    """Per article: matched rows, predicted rows, gold rows (multisets); rows as for SI."""
    gold_keys, pred_keys = _keys(gold), _keys(pred)
    rows = []
    for article in articles or sorted(set(gold_keys) | set(pred_keys)):
        g, p = gold_keys.get(article, Counter()), pred_keys.get(article, Counter())
        rows.append((sum((g & p).values()), sum(p.values()), sum(g.values())))
    return np.array(rows, dtype=np.float64).reshape(-1, 3)


def tc_f1(totals: np.ndarray) -> float:
    """TC micro-F1 from summed ``tc_article_stats`` rows."""
    matched, n_pred, n_gold = totals
    return float(f1_score(matched / n_pred if n_pred else 0.0, matched / n_gold if n_gold else 0.0))


def bootstrap(
    stats: np.ndarray,
    measure: Callable[[np.ndarray], float],
    resamples: int = 2000,
    level: float = 0.95,
    seed: int = 0,
) -> Interval:
    """Percentile interval of ``measure(summed rows)`` over resamples of the article rows.

    A resample where the measure is undefined (``measure`` returns NaN, e.g. a
    precision when the resample holds no prediction) is left out of the quantiles.

    >>> stats = np.array([[1.0, 1.0, 1.0], [0.0, 1.0, 1.0]] * 20)
    >>> interval = bootstrap(stats, tc_f1, resamples=500)
    >>> interval.value, interval.low < 0.5 < interval.high
    (0.5, True)
    """
    rng = np.random.default_rng(seed)
    value = measure(stats.sum(axis=0))
    picks = rng.integers(0, len(stats), size=(resamples, len(stats)))
    values = np.array([measure(stats[p].sum(axis=0)) for p in picks])
    tail = (1 - level) / 2
    low, high = np.nanquantile(values, [tail, 1 - tail])
    return Interval(value, float(low), float(high), level)


def wilson(successes: float, n: float, level: float = 0.95) -> Interval:
    """Wilson score interval of the proportion ``successes / n`` (n > 0).

    Unlike a percentile bootstrap, it does not collapse to one point when every
    case agrees: 3 of 3 gives about [0.44, 1.00], not [1.00, 1.00].

    >>> str(wilson(3, 3))
    '1.0000 [0.4385, 1.0000]'
    """
    from statistics import NormalDist

    z = NormalDist().inv_cdf(1 - (1 - level) / 2)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half), level)


def paired_difference(
    stats_a: np.ndarray,
    stats_b: np.ndarray,
    measure: Callable[[np.ndarray], float],
    resamples: int = 2000,
    level: float = 0.95,
    seed: int = 0,
) -> Interval:
    """Interval of ``measure(b) - measure(a)`` when both were measured on the same articles.

    Resampling the same articles for both keeps what the two share (hard
    articles are hard for both), so the interval of the difference is much
    narrower than the two intervals side by side suggest.
    """
    if len(stats_a) != len(stats_b):
        raise ValueError("paired statistics need the same articles in the same order")
    rng = np.random.default_rng(seed)
    value = measure(stats_b.sum(axis=0)) - measure(stats_a.sum(axis=0))
    picks = rng.integers(0, len(stats_a), size=(resamples, len(stats_a)))
    values = np.array(
        [measure(stats_b[p].sum(axis=0)) - measure(stats_a[p].sum(axis=0)) for p in picks]
    )
    tail = (1 - level) / 2
    low, high = np.quantile(values, [tail, 1 - tail])
    return Interval(value, float(low), float(high), level)


def _by_article(rows: Iterable[Row]) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for row in rows:
        spans[row.article_id].append((row.start, row.end))
    return {article: merge_spans(s) for article, s in spans.items()}


def _keys(rows: Iterable[Row]) -> dict[str, Counter]:
    keys: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        keys[row.article_id][(row.start, row.end, row.technique)] += 1
    return keys
