"""Sentence-by-sentence comparison of an article and its swapped copy, on a fake analyzer."""

from __future__ import annotations

import re

import pytest

from proplens.article import Article, Span
from proplens.counterfactual.neutrality import (
    bootstrap_share,
    compare_sentences,
    measure_article,
    techniques_in,
)
from proplens.counterfactual.pairs import SwapTable
from proplens.counterfactual.swaps import swap

TABLE = SwapTable([("Iran", "America"), ("Monday", "Tuesday")])


class WordAnalyzer:
    """Marks each listed word with a technique and score: a detector we can predict."""

    def __init__(self, marks: dict[str, tuple[str, float]]) -> None:
        self.marks = marks
        self.calls = 0

    def analyze(self, article: Article, threshold: float | None = None) -> Article:
        self.calls += 1
        spans = [
            Span(m.start(), m.end(), technique, score)
            for word, (technique, score) in self.marks.items()
            for m in re.finditer(rf"\b{word}\b", article.text)
            if score >= (threshold or 0.0)
        ]
        return article.with_spans(spans)


def outcomes_of(analyzer, text, thresholds=(0.1,)):
    return measure_article(analyzer, Article.from_text(text), {"side": TABLE}, thresholds)["side"]


def test_a_detector_that_reacts_to_a_name_changes_only_the_sentences_naming_it():
    analyzer = WordAnalyzer({"Iran": ("Name_Calling,Labeling", 0.9), "corrupt": ("Loaded", 0.9)})
    text = "Iran is corrupt. The weather was fine. America is corrupt too."
    [first, second, third] = outcomes_of(analyzer, text)[0.1]
    assert first.touched and first.changed  # lost the label with the name
    assert not second.touched and not second.changed
    assert third.touched and third.changed  # gained it
    assert [o.flagged for o in (first, second, third)] == [True, False, True]


def test_a_detector_blind_to_names_changes_nothing_although_lengths_change():
    # Each Iran -> America adds 3 characters: sentences are only compared right
    # if they are carried onto the copy by offsets.
    analyzer = WordAnalyzer({"Corrupt": ("Loaded", 0.9), "Fine": ("Doubt", 0.9)})
    text = "Iran, Iran, Iran, Iran. Corrupt. Fine. Iran"
    found = outcomes_of(analyzer, text)[0.1]
    assert [o.touched for o in found] == [True, False, False, True]
    assert not any(o.changed for o in found)


def test_spans_below_the_threshold_do_not_count():
    analyzer = WordAnalyzer({"Iran": ("Name_Calling,Labeling", 0.05)})
    by_cut = outcomes_of(analyzer, "Iran is here. So is Iran.", thresholds=(0.0, 0.1))
    assert any(o.changed for o in by_cut[0.0])
    assert not any(o.changed for o in by_cut[0.1])


def test_each_text_is_analysed_once():
    analyzer = WordAnalyzer({})
    measure_article(
        analyzer, Article.from_text("Iran met on Monday."), {"a": TABLE, "b": TABLE}, [0.1, 0.2]
    )
    assert analyzer.calls == 3  # the original and two copies, whatever the thresholds
    analyzer.calls = 0
    measure_article(analyzer, Article.from_text("Nothing to swap."), {"a": TABLE}, [0.1])
    assert analyzer.calls == 1


def test_compare_sentences_sees_a_technique_set_not_a_span_count():
    text = "Iran is bad, bad. Calm."
    swapped = swap(text, TABLE)
    original = Article.from_text(text).with_spans([Span(8, 11, "Loaded"), Span(13, 16, "Loaded")])
    copy = Article.from_text(swapped.text).with_spans([Span(11, 17, "Loaded")])
    assert [o.changed for o in compare_sentences(original, copy, swapped.offsets, 0.1)] == [
        False,
        False,
    ]


def test_techniques_in_takes_overlapping_spans_above_the_threshold():
    spans = [Span(0, 5, "A", 0.5), Span(4, 9, "B", 0.05), Span(9, 12, "C", 0.9), Span(3, 4, "D")]
    assert techniques_in(spans, 4, 9, 0.1) == {"A"}  # B is below it, C and D only touch
    assert techniques_in(spans, 3, 9, 0.0) == {"A", "B", "D"}


def test_bootstrap_interval_holds_the_share_and_narrows_with_agreement():
    same = bootstrap_share([1, 2, 3, 4], [10, 20, 30, 40])
    assert same.share == pytest.approx(0.1)
    assert same.low == pytest.approx(0.1) and same.high == pytest.approx(0.1)
    mixed = bootstrap_share([0, 10, 1, 5], [10, 10, 10, 10])
    assert mixed.low < mixed.share < mixed.high
    assert (mixed.changed, mixed.total) == (16, 40)
    assert bootstrap_share([0, 10, 1, 5], [10, 10, 10, 10]) == mixed  # seeded


def test_bootstrap_without_sentences_has_no_share():
    empty = bootstrap_share([0, 0], [0, 0])
    assert empty.share is None and empty.as_dict()["ci95"] == [None, None]
