"""Bootstrap intervals over articles agree with the official measures and behave like intervals."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

import proplens.intervals
from proplens.formats.semeval import LabelRow as R
from proplens.intervals import (
    bootstrap,
    flc_article_stats,
    flc_f1,
    paired_difference,
    si_article_stats,
    si_f1,
    tc_article_stats,
    tc_f1,
    wilson,
)
from proplens.scoring import flc_score, si_score, tc_score

GOLD = [
    R("1", 0, 10, "Doubt"),
    R("1", 20, 30, "Slogans"),
    R("2", 5, 15, "Doubt"),
    R("3", 0, 4, "Doubt"),
]
PRED = [
    R("1", 2, 12, "Doubt"),
    R("1", 20, 25, "Doubt"),
    R("2", 40, 50, "Doubt"),
    R("3", 0, 4, "Doubt"),
]


def test_docstring_examples_hold():
    assert doctest.testmod(proplens.intervals).failed == 0


def test_summed_article_rows_give_the_official_scores():
    si = si_score(GOLD, PRED)
    assert si_f1(si_article_stats(GOLD, PRED).sum(axis=0)) == pytest.approx(si.f1)
    assert tc_f1(tc_article_stats(GOLD, PRED).sum(axis=0)) == pytest.approx(tc_score(GOLD, PRED).f1)


def test_summed_flc_rows_give_the_flc_score_and_follow_the_given_articles():
    flc = flc_score(GOLD, PRED)
    stats = flc_article_stats(GOLD, PRED)
    assert flc_f1(stats.sum(axis=0)) == pytest.approx(flc.f1)
    assert stats.sum(axis=0)[[1, 3]].tolist() == [flc.predicted, flc.gold]
    # article 1 earns SI credit for its Doubt at [20, 25) but no FLC credit (gold: Slogans)
    assert flc.f1 < si_score(GOLD, PRED).f1
    assert flc_article_stats(GOLD, PRED, ["9", "3"]).tolist() == [[0, 0, 0, 0], [1, 1, 1, 1]]


def test_rows_follow_the_given_articles_even_without_spans():
    stats = si_article_stats(GOLD, PRED, ["3", "9", "1"])
    assert stats.shape == (3, 4)
    assert stats[1].tolist() == [0, 0, 0, 0]
    assert stats[0].tolist() == [1.0, 1.0, 1.0, 1.0]


def test_interval_contains_the_estimate_and_narrows_with_more_articles():
    rng = np.random.default_rng(1)
    rows = np.column_stack([rng.integers(0, 5, 400), np.full(400, 5), np.full(400, 5)]).astype(
        float
    )
    small = bootstrap(rows[:40], tc_f1, resamples=400)
    large = bootstrap(rows, tc_f1, resamples=400)
    for interval in (small, large):
        assert interval.low <= interval.value <= interval.high
    assert (large.high - large.low) < (small.high - small.low)


def test_paired_difference_of_identical_predictions_is_exactly_zero():
    stats = tc_article_stats(GOLD, PRED)
    diff = paired_difference(stats, stats, tc_f1, resamples=200)
    assert (diff.value, diff.low, diff.high) == (0.0, 0.0, 0.0)
    better = paired_difference(stats, tc_article_stats(GOLD, GOLD), tc_f1, resamples=200)
    assert better.value > 0 and better.low >= 0  # never worse on any resample of articles


def test_wilson_does_not_collapse_when_every_case_agrees_and_narrows_with_more():
    few, many = wilson(3, 3), wilson(300, 300)
    assert few.value == many.value == 1.0
    assert 0.4 < few.low < 0.5 and few.high == 1.0
    assert many.low > 0.98
    half = wilson(50, 100)
    assert half.low < 0.5 < half.high and half.high - 0.5 == pytest.approx(0.5 - half.low)


def test_bootstrap_leaves_out_resamples_where_the_measure_is_undefined():
    rows = np.array([[1.0, 1.0]] + [[0.0, 0.0]] * 3)  # one case in four rows

    def ratio(totals):
        return totals[0] / totals[1] if totals[1] else float("nan")

    interval = bootstrap(rows, ratio, resamples=300)
    assert (interval.value, interval.low, interval.high) == (1.0, 1.0, 1.0)
