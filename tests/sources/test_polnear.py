"""The PolNeAR reader and measures on a tiny brat file we wrote (tests/sources/fixtures)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from proplens.intervals import bootstrap
from proplens.sources.polnear import (
    GoldAttribution,
    Words,
    article_row,
    measure,
    measures,
    read_ann,
    score,
)
from proplens.sources.results import Attribution, SourceRef, Sources, VerbRef

FIXTURES = Path(__file__).parent / "fixtures"
TEXT = (FIXTURES / "polnear-mini.txt").read_text(encoding="utf-8")
GOLD = read_ann((FIXTURES / "polnear-mini_aaaa.ann").read_text(encoding="utf-8"))


def attribution(source, verb, content) -> Attribution:
    edges = (*source, *verb, *content)
    return Attribution(
        min(edges), max(edges), SourceRef(*source, "role"), VerbRef(*verb, "neutral"),
        content[0], content[1], False,
    )  # fmt: skip


def test_reader_keeps_discontinuous_content_extra_content_and_sourceless_events():
    assert GOLD == [
        GoldAttribution(((10, 14),), ((0, 9),), ((15, 25), (26, 43))),
        GoldAttribution(((53, 57),), ((45, 52),), ((58, 64),)),
        GoldAttribution(((75, 80),), (), ((45, 52), (58, 64))),
    ]


def test_reader_names_the_file_and_span_it_cannot_read():
    with pytest.raises(ValueError, match="x.ann: span T1 has offsets '3 x'"):
        read_ann("T1\tCue 3 x\tsaid\n", "x.ann")
    with pytest.raises(ValueError, match="names T9"):
        read_ann("T1\tCue 3 7\tsaid\nE1\tAttribution:T9 Cue:T1\n")


def test_found_means_the_verb_overlaps_a_gold_cue_one_to_one():
    found = Sources(
        (
            # the mayor: right cue, right source, content missing its last word
            attribution((0, 9), (10, 14), (15, 40)),
            # the critics' cue, but the source is wrong and the content is right
            attribution((66, 74), (53, 57), (58, 64)),
            # a second prediction on the same gold cue is not found twice
            attribution((0, 9), (10, 14), (15, 43)),
            # no gold cue here
            attribution((0, 3), (4, 9), (15, 25)),
        )
    )
    row = score(GOLD, found, Words(TEXT))
    found_, predicted, gold, source_hit, source_n, content_f1, content_n = row
    assert (found_, predicted, gold) == (2, 4, 3)
    assert (source_hit, source_n) == (1, 2)
    # mayor pair: both predictions overlap its cue equally, the first is taken: content
    # "the bridge will close in" has 5 of the 6 gold words -> F1 10/11; critics pair: F1 1
    assert content_n == 2
    assert content_f1 == pytest.approx(10 / 11 + 1)
    figures = measures(row)
    assert figures["precision"] == 0.5
    assert figures["recall"] == pytest.approx(2 / 3)
    assert figures["f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert figures["source_overlap"] == 0.5


def test_sourceless_gold_is_left_out_of_source_overlap():
    found = Sources((attribution((0, 9), (75, 80), (45, 64)),))
    row = score(GOLD, found, Words(TEXT))
    assert row[0] == 1 and row[4] == 0  # found, but no gold source to overlap
    # content: gold "Critics" + "delays" (2 words), predicted "Critics fear delays" (3)
    assert row[5] == pytest.approx(2 * 2 / 5)


def test_token_f1_counts_words_by_position_not_by_spelling():
    words = Words("said it and said it")
    assert words.f1(((0, 7),), ((12, 19),)) == 0.0
    assert words.f1(((0, 7),), ((0, 4),)) == pytest.approx(2 / 3)
    assert words.f1(((0, 7),), ((3, 3),)) == 0.0


def test_several_annotators_count_as_one_article_by_their_mean():
    only_mayor = [GOLD[0]]
    found = Sources((attribution((0, 9), (10, 14), (15, 43)),))
    row = article_row([GOLD, only_mayor], found, TEXT)
    assert row[:3].tolist() == [1.0, 1.0, 2.0]  # gold: mean of 3 and 1
    with pytest.raises(ValueError, match="without any annotation"):
        article_row([], found, TEXT)


def test_bootstrap_runs_over_article_rows():
    rows = np.array([[1, 1, 2, 1, 1, 1.0, 1], [0, 1, 2, 0, 0, 0.0, 0]] * 10, dtype=float)
    interval = bootstrap(rows, measure("recall"), resamples=200)
    assert interval.value == 0.25 and interval.low < 0.25 < interval.high
