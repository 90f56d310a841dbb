"""Span features: repetition and length cues the classifier relies on."""

from __future__ import annotations

import numpy as np

from proplens.model.features import ArticleText, normalise, span_extras, token_range


def test_repeated_phrase_is_counted_whole_words_any_case():
    text = "They lied to you. THEY LIED again! They lied-to everyone. Theyliedto."
    article = ArticleText(text)
    # "they lied to" twice ("lied-to" normalises the same); not "THEY LIED again", "Theyliedto"
    assert article.occurrences(0, 13) == 2
    assert not article.earlier(0, 13)
    assert article.earlier(text.index("They lied-to"), text.index("They lied-to") + 12)


def test_extras_flag_questions_and_quotes():
    text = "He said “who benefits?” and left."
    start = text.index("who")
    extras = span_extras(ArticleText(text), start, text.index("?") + 1)
    assert extras[4] == 1.0  # ends with a question mark
    assert extras[6] == 1.0  # opened by a quote
    assert normalise("Who  BENEFITS?") == " who benefits "


def test_token_range_covers_overlapping_tokens():
    offsets = np.array([[0, 4], [5, 9], [10, 14], [15, 20]])
    assert token_range(offsets, 6, 12) == (1, 3)
    assert token_range(offsets, 9, 10) == (2, 3)  # between tokens: the next one
