"""Calibration: the fitted score tracks how often spans are right."""

from __future__ import annotations

import numpy as np

from proplens.pipeline.calibration import (
    Calibration,
    PhraseCalibration,
    fit,
    fit_phrases,
    is_right,
    reliability_table,
)


def test_fit_recovers_frequencies_of_rightness():
    rng = np.random.default_rng(0)
    p_span = rng.uniform(0.05, 0.95, 4000)
    p_tech = rng.uniform(0.05, 0.95, 4000)
    truth = Calibration(span_weight=1.5, technique_weight=0.5, bias=-1.0).score(p_span, p_tech)
    right = rng.uniform(size=4000) < truth
    fitted = fit(p_span, p_tech, right)
    assert abs(fitted.span_weight - 1.5) < 0.2
    assert abs(fitted.bias + 1.0) < 0.2
    for row in reliability_table(fitted.score(p_span, p_tech), right):
        if row["spans"] > 200:
            assert abs(row["mean_score"] - row["right"]) < 0.06


def test_right_means_same_technique_covering_half_of_the_shorter():
    gold = [(10, 20, "Doubt")]
    assert is_right(12, 18, "Doubt", gold)
    assert is_right(15, 40, "Doubt", gold)  # 5 of the shorter (gold, 10) characters
    assert not is_right(16, 40, "Doubt", gold)
    assert not is_right(10, 20, "Slogans", gold)


def test_calibration_examples_hold():
    import doctest

    import proplens.pipeline.calibration

    assert doctest.testmod(proplens.pipeline.calibration).failed == 0


def test_phrase_rescale_recovers_how_often_overconfident_scores_are_right():
    rng = np.random.default_rng(1)
    scores = rng.uniform(0.5, 0.9, 5000)  # phrases are shown from 0.5 up
    truth = PhraseCalibration(weight=1.4, bias=-1.3)
    right = rng.uniform(size=5000) < truth.score(scores)
    fitted = fit_phrases(scores, right)
    assert abs(fitted.weight - 1.4) < 0.35 and abs(fitted.bias + 1.3) < 0.25
    rescaled = fitted.score(scores)
    assert np.all(np.diff(rescaled[np.argsort(scores)]) >= 0)  # the order of phrases is kept
    for row in reliability_table(rescaled, right):
        if row["spans"] > 300:
            assert abs(row["mean_score"] - row["right"]) < 0.05


def test_phrase_calibration_reads_the_card_entry():
    assert PhraseCalibration.from_card(None) is None
    entry = {"weight": 2, "bias": -1.5, "fitted": {"articles": 56}}
    assert PhraseCalibration.from_card(entry) == PhraseCalibration(2.0, -1.5)
