"""What the technique classifier sees of a span besides the encoder's states.

The pooled states say what a span means; these few numbers say what the
encoder cannot see inside one window: how long the span is, and whether the
same phrase occurs elsewhere in the article (the strongest single cue for
Repetition). Training and inference both call these functions, so they agree.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from functools import cached_property

import numpy as np

_NON_WORD = re.compile(r"\W+")
_WORD = re.compile(r"\w+")
N_EXTRAS = 7


def normalise(text: str) -> str:
    """Lower-case words separated by single spaces, padded with one space each side.

    >>> normalise("The  'BIG' lie!")
    ' the big lie '
    """
    return " " + _NON_WORD.sub(" ", text.lower()).strip() + " "


class ArticleText:
    """An article's text with its normalised form, computed once for all its spans.

    ``occurrences`` and ``earlier`` mean ``normalise(text).count(phrase)`` and
    ``phrase in normalise(text[:start])``; done that way, each span costs time
    in proportion to the article, so a long article took quadratic time (a 3 MB
    one, minutes). Here the article's words are indexed once and a span's
    phrase is looked up where its rarest word occurs, with the same results.
    Texts whose lower-casing is not one character for one (a capital sigma,
    whose lower case depends on its neighbours; a dotted capital I) take the
    direct route.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        lowered = text.lower()
        self._words: _WordIndex | None = None
        if len(lowered) == len(text) and "\u03a3" not in text:
            self._words = _WordIndex(lowered)

    @cached_property
    def normalised(self) -> str:
        """``normalise(text)``: only the direct route needs it."""
        return normalise(self.text)

    def occurrences(self, start: int, end: int) -> int:
        """How many times the span's phrase occurs in the article (whole words, any case)."""
        phrase = normalise(self.text[start:end])
        if len(phrase) <= 3:
            return 1
        if self._words is None:
            return max(1, self.normalised.count(phrase))
        return max(1, self._words.count(_phrase_words(phrase)))

    def earlier(self, start: int, end: int) -> bool:
        """Whether the span's phrase already occurred before ``start``."""
        phrase = normalise(self.text[start:end])
        if len(phrase) <= 3:
            return False
        if self._words is None:
            return phrase in normalise(self.text[:start])
        return self._words.occurs_before(_phrase_words(phrase), start)


def _phrase_words(phrase: str) -> tuple[str, ...]:
    """``" the big lie "`` -> ``("the", "big", "lie")`` (a normalised phrase's words)."""
    return tuple(phrase[1:-1].split(" "))


class _WordIndex:
    """The words (``\\w+`` runs) of a lower-cased text, their offsets, and where each occurs.

    ``normalise`` joins exactly these words with single spaces, so a phrase occurs
    in the normalised text where its words occur here one after another.
    """

    def __init__(self, lowered: str) -> None:
        self.lowered = lowered
        matches = list(_WORD.finditer(lowered))
        self.words: list[str] = [match.group() for match in matches]
        self.starts: list[int] = [match.start() for match in matches]
        self.ends: list[int] = [match.end() for match in matches]
        self.where: dict[str, list[int]] = {}
        self._counts: dict[tuple[str, ...], int] = {}  # repetitive texts repeat phrases too
        self._firsts: dict[tuple[str, ...], int | None] = {}
        for index, word in enumerate(self.words):
            self.where.setdefault(word, []).append(index)

    def matches(self, phrase: tuple[str, ...]) -> Iterator[int]:
        """Index of the first word of each occurrence of ``phrase``, in text order."""
        rarest = min(range(len(phrase)), key=lambda i: len(self.where.get(phrase[i], ())))
        size = len(phrase)
        for index in self.where.get(phrase[rarest], ()):
            first = index - rarest
            if first >= 0 and tuple(self.words[first : first + size]) == phrase:
                yield first

    def count(self, phrase: tuple[str, ...]) -> int:
        """Occurrences as ``str.count`` finds them in the normalised text: not overlapping.

        Matches there include the space on each side, so one that starts right
        where the previous one ends (sharing that space) is not counted.
        """
        if phrase not in self._counts:
            found, next_free = 0, 0
            for first in self.matches(phrase):
                if first >= next_free:
                    found += 1
                    next_free = first + len(phrase) + 1
            self._counts[phrase] = found
        return self._counts[phrase]

    def occurs_before(self, phrase: tuple[str, ...], start: int) -> bool:
        """Whether ``phrase`` occurs in the words of ``lowered[:start]``.

        Those are the words ending by ``start`` and, if ``start`` cuts a word,
        that word's first part.
        """
        complete = bisect.bisect_right(self.ends, start)
        if phrase not in self._firsts:
            self._firsts[phrase] = next(self.matches(phrase), None)
        first = self._firsts[phrase]
        if first is not None and first + len(phrase) <= complete:
            return True
        if complete == len(self.words) or self.starts[complete] >= start:
            return False  # no word is cut at start
        head = complete - len(phrase) + 1
        cut = self.lowered[self.starts[complete] : start]
        return head >= 0 and (*self.words[head:complete], cut) == phrase


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
