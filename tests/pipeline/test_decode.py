"""Decoding token probabilities into character spans."""

from __future__ import annotations

import numpy as np
import pytest

from proplens.pipeline.decode import Decoding, decode, has_content, line_breaks, trim, whole_words

O_, B_, I_ = [0.9, 0.05, 0.05], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]


def offsets_of(text: str) -> np.ndarray:
    """Offsets of whitespace-separated words, standing in for tokens."""
    out, start = [], 0
    for word in text.split():
        start = text.index(word, start)
        out.append([start, start + len(word)])
        start += len(word)
    return np.array(out)


def spans(text, tags, **settings):
    probs = np.array(tags)
    return [
        (text[s:e], round(c, 2))
        for s, e, c in decode(probs, offsets_of(text), text, Decoding(**settings))
    ]


def test_inside_tokens_form_one_span_and_a_new_b_starts_another():
    text = "a very bad idea and a worse one"
    tags = [O_, B_, I_, O_, O_, O_, B_, I_]
    assert spans(text, tags, threshold=0.5, merge_gap=0) == [("very bad", 0.9), ("worse one", 0.9)]
    tags = [O_, B_, I_, B_, I_, O_, O_, O_]
    found = spans(text, tags, threshold=0.5, merge_gap=0, trim_dangling=False)
    assert [s for s, _ in found] == ["very bad", "idea and"]


def test_i_after_o_opens_a_span():
    text = "they lied to you"
    found = spans(text, [O_, I_, I_, O_], threshold=0.5, merge_gap=0, trim_dangling=False)
    assert [s for s, _ in found] == ["lied to"]


def test_close_runs_merge_but_not_across_a_line_break():
    text = "shameful and reckless plan"
    tags = [B_, O_, B_, O_]
    assert [s for s, _ in spans(text, tags, threshold=0.5, merge_gap=1)] == [
        "shameful and reckless"
    ]
    assert [s for s, _ in spans(text, tags, threshold=0.5, merge_gap=0)] == ["shameful", "reckless"]
    text = "shameful\nreckless plan"
    assert [s for s, _ in spans(text, [B_, I_, O_], threshold=0.5, merge_gap=3)] == [
        "shameful",
        "reckless",
    ]


def test_threshold_decides_what_is_inside():
    text = "a doubtful claim"
    weak = [0.6, 0.2, 0.2]  # inside probability 0.4
    assert spans(text, [O_, weak, O_], threshold=0.5, merge_gap=0) == []
    assert spans(text, [O_, weak, O_], threshold=0.3, merge_gap=0) == [("doubtful", 0.4)]


def test_spans_widen_to_whole_words_and_drop_trailing_punctuation():
    assert whole_words("undermining it", 5, 14) == (0, 14)
    assert whole_words("so-called experts", 3, 9) == (3, 9)
    assert trim(" loaded words, ", 0, 15) == (1, 13)
    assert trim("“quoted” words.", 0, 15) == (0, 14)


def test_line_breaks_count_code_points_not_bytes():
    text = "é🚢 one\ntwo"
    offsets = offsets_of(text)
    assert line_breaks(offsets, text).tolist() == [False, False, True]


def test_spans_of_function_words_only_are_dropped():
    text = "If the of they backed it"
    tags = [B_, I_, I_, O_, O_, O_]
    assert spans(text, tags, threshold=0.5, merge_gap=0) == []
    assert spans(text, [O_, O_, O_, O_, B_, I_], threshold=0.5, merge_gap=0) == [("backed it", 0.9)]
    assert not has_content("... , ;") and has_content("the regime")


@pytest.mark.parametrize("alone", ["perhaps", "once", "almost", "Indeed", "however"])
def test_an_adverb_of_degree_or_time_alone_is_not_a_span(alone):
    """Spans the news bench found with Detector II: "perhaps" as loaded language, "once"..."""
    assert not has_content(alone)
    assert has_content(f"{alone} disastrous")


def test_a_span_does_not_end_on_a_word_that_opens_a_phrase():
    text = "experts backed a disastrous plan of the council"
    tags = [O_, B_, I_, I_, I_, I_, I_, O_]
    assert [s for s, _ in spans(text, tags, threshold=0.5, merge_gap=0)] == [
        "backed a disastrous plan"
    ]
    found = spans(text, tags, threshold=0.5, merge_gap=0, trim_dangling=False)
    assert [s for s, _ in found] == ["backed a disastrous plan of the"]


def test_hysteresis_completes_a_phrase_where_the_probability_dips():
    text = "so-called experts backed a disastrous plan today"
    dip = [0.6, 0.1, 0.3]  # inside probability 0.4: below 0.5, above 0.3
    tags = [B_, I_, I_, dip, I_, dip, O_]
    plain = spans(text, tags, threshold=0.5, merge_gap=0)
    assert [s for s, _ in plain] == ["so-called experts backed", "disastrous"]
    grown = spans(text, tags, threshold=0.5, merge_gap=0, extend_threshold=0.3)
    assert [s for s, _ in grown] == ["so-called experts backed a disastrous plan"]


def test_a_span_never_starts_or_ends_inside_a_contraction():
    text = "Claire said we're No. 1 for Iran’s rulers."
    for word in ("we're", "Iran’s"):
        first = text.index(word)
        for start in range(first, first + len(word)):
            for end in range(start + 1, first + len(word) + 1):
                assert whole_words(text, start, end) == (first, first + len(word)), word
