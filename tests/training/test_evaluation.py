"""``measure``: SI, TC and FLC of a model on labelled articles, with a stand-in model."""

from __future__ import annotations

import pytest

from proplens.training.corpus import Example
from proplens.training.evaluation import measure

TEXT = "Critics warn that the reckless plan will ruin our town. Vote now."
SENTENCE = (0, TEXT.index(".") + 1)
WORD = (TEXT.index("reckless"), TEXT.index("reckless") + len("reckless"))


class StandIn:
    """Detects the sentence as fear and the word inside it twice, under and over the cut."""

    default_threshold = 0.3
    found = [
        (*SENTENCE, "Appeal_to_fear-prejudice", 0.5),
        (*WORD, "Loaded_Language", 0.9),
        (*WORD, "Doubt", 0.1),  # below the default threshold: not shown, not scored by FLC
    ]

    def detect(self, text, progress=None):
        return list(self.found)

    def classify(self, text, spans):
        return [("Loaded_Language", 0.8) for _ in spans]


def test_measure_scores_the_full_output_and_span_lengths():
    gold = [(*SENTENCE, "Appeal_to_fear-prejudice"), (*WORD, "Loaded_Language")]
    report = measure(StandIn(), [Example("1", TEXT, gold)], resamples=50)
    flc = report["flc"]
    # both shown spans match their gold exactly: FLC 1 (the Doubt span is under the cut)
    assert (flc["spans"], flc["precision"], flc["recall"], flc["f1"]["value"]) == (2, 1, 1, 1)
    assert set(flc["per_technique"]) == {"Loaded_Language", "Appeal_to_fear-prejudice"}
    # SI merges the word into the sentence: one span, perfect too
    assert report["si"]["si_f1"]["value"] == 1.0
    # TC on gold spans: the stand-in calls both loaded language, one of two right
    assert report["tc_micro_f1"]["value"] == pytest.approx(0.5)
    lengths = report["span_length"]
    assert lengths["predicted_median"] == lengths["gold_median"] == (55 + 8) / 2
    assert lengths["per_technique"]["Loaded_Language"] == {
        "predicted_median": 8.0,
        "gold_median": 8.0,
    }


def test_reliability_is_shown_apart_for_nested_phrases_with_article_intervals():
    gold = [(*SENTENCE, "Appeal_to_fear-prejudice"), (*WORD, "Loaded_Language")]
    examples = [Example("1", TEXT, gold), Example("2", TEXT, gold[:1])]
    kinds = measure(StandIn(), examples, resamples=50)["reliability_by_kind"]
    # the sentence holds both words: it is the only outer span of each article
    assert [(r["bin"], r["spans"], r["right"]) for r in kinds["outer"]] == [("0.5-0.6", 2, 1.0)]
    nested = {r["bin"]: r for r in kinds["nested"]}
    assert (nested["0.1-0.2"]["spans"], nested["0.1-0.2"]["right"]) == (2, 0.0)
    # "reckless" is loaded language in article 1's gold only: right in one article of two
    word = nested["0.9-1.0"]
    assert (word["spans"], word["right"], word["low"], word["high"]) == (2, 0.5, 0.0, 1.0)
