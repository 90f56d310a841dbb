"""The official SemEval-2020 Task 11 measures on hand-made cases, worked out by hand."""

from __future__ import annotations

import doctest

import pytest

import proplens.scoring
from proplens.formats.semeval import LabelRow as R
from proplens.scoring import flc_score, merge_spans, si_score, tc_score


def test_docstring_examples_hold():
    assert doctest.testmod(proplens.scoring).failed == 0


# -- merging ------------------------------------------------------------------------


def test_merge_joins_overlapping_and_nested_spans():
    assert merge_spans([(5, 15), (0, 10), (2, 3)]) == [(0, 15)]


def test_merge_keeps_touching_spans_apart():
    # [0, 5) and [5, 9) share no character, as in the official set-based scorer.
    assert merge_spans([(5, 9), (0, 5)]) == [(0, 5), (5, 9)]


# -- SI -------------------------------------------------------------------------------


def test_si_partial_overlap():
    # gold [10, 20), prediction [15, 25): 5 shared characters.
    # precision = 5/10 = 0.5, recall = 5/10 = 0.5, F1 = 0.5
    score = si_score([R("1", 10, 20)], [R("1", 15, 25)])
    assert (score.precision, score.recall, score.f1) == (0.5, 0.5, 0.5)


def test_si_unequal_lengths_give_different_precision_and_recall():
    # gold [0, 4), prediction [0, 16): overlap 4.
    # precision = 4/16 = 0.25, recall = 4/4 = 1, F1 = 2*0.25*1/1.25 = 0.4
    score = si_score([R("1", 0, 4)], [R("1", 0, 16)])
    assert score.precision == 0.25
    assert score.recall == 1.0
    assert score.f1 == pytest.approx(0.4)


def test_si_one_prediction_covering_two_gold_spans():
    # gold [0, 10) and [20, 30); prediction [0, 40) overlaps each by 10.
    # precision = (10/40 + 10/40) / 1 predicted = 0.5
    # recall = (10/10 + 10/10) / 2 gold = 1.0;  F1 = 2*0.5*1/1.5 = 2/3
    score = si_score([R("1", 0, 10), R("1", 20, 30)], [R("1", 0, 40)])
    assert score.precision == 0.5
    assert score.recall == 1.0
    assert score.f1 == pytest.approx(2 / 3)
    assert (score.predicted, score.gold) == (1, 2)


def test_si_overlapping_predictions_are_merged_first():
    # predictions [0, 10) and [5, 15) merge into [0, 15); gold [0, 20).
    # precision = 15/15 / 1 = 1.0, recall = 15/20 / 1 = 0.75, F1 = 1.5/1.75 = 6/7
    # (unmerged, recall would be (10/20 + 10/20) / 1 = 1.0: double counting.)
    score = si_score([R("1", 0, 20)], [R("1", 0, 10), R("1", 5, 15)])
    assert score.precision == 1.0
    assert score.recall == 0.75
    assert score.f1 == pytest.approx(6 / 7)
    assert score.predicted == 1


def test_si_overlapping_gold_spans_are_merged_too():
    # gold [0, 10) and [5, 15) become [0, 15), which the prediction matches exactly.
    score = si_score([R("1", 0, 10), R("1", 5, 15)], [R("1", 0, 15)])
    assert (score.precision, score.recall, score.f1, score.gold) == (1.0, 1.0, 1.0, 1)


def test_si_touching_predictions_are_scored_separately():
    # predictions [0, 2) and [2, 10) are not merged; gold [0, 2).
    # precision = (2/2 + 0/8) / 2 = 0.5 (merged it would be 2/10 = 0.2), recall = 2/2 = 1
    score = si_score([R("1", 0, 2)], [R("1", 0, 2), R("1", 2, 10)])
    assert score.precision == 0.5
    assert score.recall == 1.0


def test_si_spans_in_different_articles_do_not_match():
    # Same offsets, other article: no overlap at all.
    score = si_score([R("1", 0, 10)], [R("2", 0, 10)])
    assert (score.precision, score.recall, score.f1) == (0.0, 0.0, 0.0)


def test_si_sums_over_articles():
    # article 1: gold [0, 10), prediction [0, 10) -> 1 to precision and recall sums
    # article 2: gold [0, 10), prediction [5, 25) -> 5/20 precision, 5/10 recall
    # precision = (1 + 0.25) / 2 = 0.625, recall = (1 + 0.5) / 2 = 0.75
    gold = [R("1", 0, 10), R("2", 0, 10)]
    pred = [R("1", 0, 10), R("2", 5, 25)]
    score = si_score(gold, pred)
    assert score.precision == 0.625
    assert score.recall == 0.75
    assert score.f1 == pytest.approx(2 * 0.625 * 0.75 / 1.375)


def test_si_predictions_for_unknown_articles_lower_precision():
    # article 9 has no gold: its prediction counts in the denominator only.
    # precision = (1 + 0) / 2 = 0.5, recall = 1 / 1 = 1
    score = si_score([R("1", 0, 10)], [R("1", 0, 10), R("9", 0, 10)])
    assert (score.precision, score.recall) == (0.5, 1.0)


def test_si_ignores_the_technique_column():
    score = si_score([R("1", 0, 10, "Doubt")], [R("1", 0, 10, "Slogans")])
    assert score.f1 == 1.0


@pytest.mark.parametrize(
    ("gold", "pred"),
    [([R("1", 0, 10)], []), ([], [R("1", 0, 10)]), ([], [])],
    ids=["no-predictions", "no-gold", "both-empty"],
)
def test_si_empty_sides_score_zero_without_errors(gold, pred):
    score = si_score(gold, pred)
    assert (score.precision, score.recall, score.f1) == (0.0, 0.0, 0.0)


# -- TC -------------------------------------------------------------------------------


def test_tc_multi_label_identical_spans_match_in_any_order():
    # gold: [0, 5) is both Doubt and Repetition; prediction lists them the other way round.
    gold = [R("1", 0, 5, "Doubt"), R("1", 0, 5, "Repetition")]
    pred = [R("1", 0, 5, "Repetition"), R("1", 0, 5, "Doubt")]
    score = tc_score(gold, pred)
    assert (score.precision, score.recall, score.f1, score.matched) == (1.0, 1.0, 1.0, 2)


def test_tc_matches_as_multisets():
    # gold has Doubt on [0, 5) once; predicting it twice matches once.
    # precision = 1/2, recall = 1/1, F1 = 2*0.5*1/1.5 = 2/3
    score = tc_score([R("1", 0, 5, "Doubt")], [R("1", 0, 5, "Doubt"), R("1", 0, 5, "Doubt")])
    assert (score.precision, score.recall, score.matched) == (0.5, 1.0, 1)
    assert score.f1 == pytest.approx(2 / 3)


def test_tc_needs_identical_offsets_article_and_technique():
    gold = [R("1", 0, 5, "Doubt")]
    for wrong in (R("1", 0, 6, "Doubt"), R("2", 0, 5, "Doubt"), R("1", 0, 5, "Slogans")):
        assert tc_score(gold, [wrong]).f1 == 0.0


def test_tc_on_the_template_precision_equals_recall_equals_f1():
    # Three template spans, two labelled right: 2/3 for all three figures.
    gold = [R("1", 0, 5, "Doubt"), R("1", 7, 9, "Slogans"), R("2", 3, 8, "Repetition")]
    pred = [R("1", 0, 5, "Doubt"), R("1", 7, 9, "Doubt"), R("2", 3, 8, "Repetition")]
    score = tc_score(gold, pred)
    assert score.precision == score.recall == score.f1 == pytest.approx(2 / 3)


def test_tc_per_technique_scores():
    # gold: Doubt x2, Slogans x1.  prediction: Doubt on the first Doubt span (hit),
    # Doubt on the Slogans span (miss), Loaded_Language on the second Doubt span (miss).
    # Doubt: matched 1, predicted 2, gold 2 -> P = 1/2, R = 1/2, F1 = 1/2
    # Slogans: matched 0, predicted 0, gold 1 -> P = 0 (no predictions), R = 0
    # Loaded_Language: matched 0, predicted 1, gold 0 -> P = 0, R = 0
    # overall: matched 1 of 3 predicted and 3 gold -> P = R = F1 = 1/3
    gold = [R("1", 0, 5, "Doubt"), R("1", 10, 15, "Doubt"), R("1", 20, 25, "Slogans")]
    pred = [
        R("1", 0, 5, "Doubt"),
        R("1", 20, 25, "Doubt"),
        R("1", 10, 15, "Loaded_Language"),
    ]
    score = tc_score(gold, pred)
    doubt = score.per_technique["Doubt"]
    assert (doubt.precision, doubt.recall, doubt.f1) == (0.5, 0.5, 0.5)
    assert (doubt.predicted, doubt.gold, doubt.matched) == (2, 2, 1)
    slogans = score.per_technique["Slogans"]
    assert (slogans.precision, slogans.recall, slogans.gold) == (0.0, 0.0, 1)
    assert score.per_technique["Loaded_Language"].predicted == 1
    # Listed in the fixed technique order of proplens.techniques.NAMES.
    assert list(score.per_technique) == ["Loaded_Language", "Doubt", "Slogans"]
    assert score.f1 == pytest.approx(1 / 3)


def test_tc_empty_prediction_scores_zero():
    score = tc_score([R("1", 0, 5, "Doubt")], [])
    assert (score.precision, score.recall, score.f1) == (0.0, 0.0, 0.0)
    assert score.per_technique["Doubt"].recall == 0.0


def test_tc_refuses_rows_without_technique():
    with pytest.raises(ValueError, match="technique"):
        tc_score([R("1", 0, 5, "Doubt")], [R("1", 0, 5)])


# -- FLC (full output: span and technique) ------------------------------------------


def test_flc_gives_credit_only_where_the_technique_matches():
    # gold Doubt [0, 10); prediction [0, 10) as Doubt and again as Slogans.
    # Doubt: precision 1, recall 1; Slogans: no gold of its technique.
    # precision = (1 + 0) / 2 = 0.5, recall = 1 / 1, F1 = 2/3
    score = flc_score([R("1", 0, 10, "Doubt")], [R("1", 0, 10, "Doubt"), R("1", 0, 10, "Slogans")])
    assert (score.precision, score.recall) == (0.5, 1.0)
    assert score.f1 == pytest.approx(2 / 3)
    assert score.per_technique["Slogans"].precision == 0.0
    # SI ignores the technique: the two identical spans merge into one right span.
    assert si_score([R("1", 0, 10)], [R("1", 0, 10), R("1", 0, 10)]).f1 == 1.0


def test_flc_keeps_nested_spans_of_different_techniques_apart():
    # A loaded word [4, 9) inside a sentence of fear [0, 30), both predicted exactly:
    # FLC is perfect, where SI merges them into one span.
    gold = [R("1", 0, 30, "Appeal_to_fear-prejudice"), R("1", 4, 9, "Loaded_Language")]
    score = flc_score(gold, list(gold))
    assert (score.precision, score.recall, score.predicted, score.gold) == (1.0, 1.0, 2, 2)
    # Predicting only the sentence finds the loaded word's characters but not its technique.
    only_sentence = flc_score(gold, [gold[0]])
    assert (only_sentence.precision, only_sentence.recall) == (1.0, 0.5)


def test_flc_partial_overlap_and_merging_within_one_technique():
    # Two overlapping Loaded_Language predictions [0, 6) and [4, 10) merge into [0, 10);
    # gold Loaded_Language [5, 15): overlap 5 -> precision 5/10, recall 5/10.
    gold = [R("1", 5, 15, "Loaded_Language")]
    pred = [R("1", 0, 6, "Loaded_Language"), R("1", 4, 10, "Loaded_Language")]
    score = flc_score(gold, pred)
    assert (score.precision, score.recall, score.predicted) == (0.5, 0.5, 1)


def test_flc_micro_averages_over_techniques_and_articles():
    # Doubt right in article 1; Slogans predicted in article 2 where gold Slogans is in 1.
    gold = [R("1", 0, 10, "Doubt"), R("1", 20, 30, "Slogans")]
    pred = [R("1", 0, 10, "Doubt"), R("2", 20, 30, "Slogans")]
    score = flc_score(gold, pred)
    assert (score.precision, score.recall) == (0.5, 0.5)
    assert score.per_technique["Doubt"].f1 == 1.0 and score.per_technique["Slogans"].f1 == 0.0
    assert list(score.per_technique) == ["Doubt", "Slogans"]  # in NAMES order


def test_flc_refuses_rows_without_a_technique():
    with pytest.raises(ValueError, match="technique"):
        flc_score([R("1", 0, 5)], [R("1", 0, 5, "Doubt")])
