"""What the technique classifier sees of a span besides the encoder's states.

The pooled states say what a span means; these few numbers say what the
encoder cannot see inside one window: how long the span is, and whether the
same phrase occurs elsewhere in the article (the strongest single cue for
Repetition). Training and inference both call these functions, so they agree.
"""

from __future__ import annotations

import re

import numpy as np

_NON_WORD = re.compile(r"\W+")
N_EXTRAS = 7


def normalise(text: str) -> str:
    """Lower-case words separated by single spaces, padded with one space each side.

    >>> normalise("The  'BIG' lie!")
    ' the big lie '
    """
    return " " + _NON_WORD.sub(" ", text.lower()).strip() + " "


class ArticleText:
    """An article's text with its normalised form, computed once for all its spans."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.normalised = normalise(text)

    def occurrences(self, start: int, end: int) -> int:
        """How many times the span's phrase occurs in the article (whole words, any case)."""
        phrase = normalise(self.text[start:end])
        if len(phrase) <= 3:
            return 1
        return max(1, self.normalised.count(phrase))

    def earlier(self, start: int, end: int) -> bool:
        """Whether the span's phrase already occurred before ``start``."""
        phrase = normalise(self.text[start:end])
        return len(phrase) > 3 and phrase in normalise(self.text[:start])


def span_extras(article: ArticleText, start: int, end: int) -> np.ndarray:
    """``N_EXTRAS`` numbers about the span, each roughly in [0, 1]."""
    fragment = article.text[start:end]
    n_words = len(fragment.split())
    repeats = article.occurrences(start, end) - 1
    before = article.text[start - 1] if start > 0 else ""
    return np.array(
        [
            np.log1p(len(fragment)) / 6.0,
            np.log1p(n_words) / 4.0,
            np.log1p(repeats) / 2.0,
            float(article.earlier(start, end)),
            float(fragment.rstrip().endswith("?")),
            float(fragment.rstrip().endswith("!")),
            float(before in "\"“'‘" and before != ""),
        ],
        dtype=np.float32,
    )


def token_range(offsets: np.ndarray, start: int, end: int) -> tuple[int, int]:
    """``[first, stop)`` of the tokens overlapping characters ``[start, end)``.

    >>> token_range(np.array([[0, 1], [2, 6], [7, 10], [11, 15]]), 3, 9)
    (1, 3)
    """
    first = int(np.searchsorted(offsets[:, 1], start, side="right"))
    stop = int(np.searchsorted(offsets[:, 0], end, side="left"))
    if stop <= first:  # a span inside one token, or between tokens
        first = min(first, len(offsets) - 1)
        stop = first + 1
    return first, stop


def pool(states: np.ndarray, first: int, stop: int) -> np.ndarray:
    """Mean and max of token states ``[first, stop)``, concatenated."""
    chunk = states[first:stop]
    return np.concatenate([chunk.mean(axis=0), chunk.max(axis=0)])
