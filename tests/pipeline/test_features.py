"""Span features: repetition and length cues the classifier relies on."""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from proplens.pipeline import features
from proplens.pipeline.features import ArticleText, normalise, span_extras, token_range


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


# -- the word index gives the direct definitions' answers, in linear time -----------------


def direct_occurrences(text: str, start: int, end: int) -> int:
    """The definition, as the model was trained with it (time in proportion to the text)."""
    phrase = normalise(text[start:end])
    return 1 if len(phrase) <= 3 else max(1, normalise(text).count(phrase))


def direct_earlier(text: str, start: int, end: int) -> bool:
    phrase = normalise(text[start:end])
    return len(phrase) > 3 and phrase in normalise(text[:start])


# Few letters, so phrases repeat; case pairs, a combining mark, digits, underscore,
# apostrophes and several kinds of space and punctuation. Now and then a capital sigma
# or a dotted capital I, whose lower case is not one character for one (the direct route).
ALPHABET = "abAB xy XY_1'’.,-\n\t\u00a0\u03c3\u0301é"
TEXTS = st.one_of(
    st.text(alphabet=ALPHABET, min_size=1, max_size=60),
    st.text(alphabet=ALPHABET + "\u03a3\u0130", min_size=1, max_size=20),
)


@settings(max_examples=300, deadline=None)
@given(text=TEXTS, data=st.data())
@example(text="a b a b a b", data=None)
@example(text="x y x y", data=None)
@example(text="abab xy", data=None)  # a span starting inside a word
@example(text="ab ΣA ab σa", data=None)
def test_word_index_agrees_with_the_direct_definitions(text, data):
    """Every span of a short text, or 30 drawn spans of a longer one."""
    article = ArticleText(text)
    pairs = [(s, e) for s in range(len(text)) for e in range(s + 1, len(text) + 1)]
    if data is not None and len(text) > 16:
        pairs = data.draw(st.lists(st.sampled_from(pairs), min_size=30, max_size=30))
    for start, end in pairs:
        assert article.occurrences(start, end) == direct_occurrences(text, start, end)
        assert article.earlier(start, end) == direct_earlier(text, start, end)


def test_repetition_features_cost_time_in_proportion_to_the_article(monkeypatch):
    """No span makes the whole article be normalised again (that was quadratic)."""
    sentence = "The so-called experts said the plan was a disastrous betrayal of us all. "
    text = sentence * 2000  # 146,000 characters
    spans = [(i * len(sentence) + 4, i * len(sentence) + 21) for i in range(0, 2000, 4)]
    normalised = []
    real = features.normalise
    monkeypatch.setattr(features, "normalise", lambda t: normalised.append(len(t)) or real(t))
    article = ArticleText(text)
    extras = [span_extras(article, start, end) for start, end in spans]
    assert sum(normalised) < 2 * len(text)
    assert all(row[2] > 0 and row[3] == (i > 0) for i, row in enumerate(extras))
