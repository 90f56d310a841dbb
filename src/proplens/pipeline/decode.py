"""Turn per-token BIO probabilities into character spans.

Decoding dominates span-identification quality (see the model card): tokens
whose probability of being inside a span passes a threshold form runs; a run
starts at a token tagged B, or at an I that follows O (the only valid repair of
an O -> I transition); a run grows into neighbouring tokens that are still
fairly likely (``extend_threshold``: hysteresis, so that a phrase is not cut
where the probability dips for one word); runs a few tokens apart on the same
line are merged; each span is trimmed of the whitespace and trailing
punctuation that the v2 gold annotation leaves out, and of the function words a
gold span practically never ends with ("of", "the", "and"); and a span with no
content word at all ("the", "If", "of") is dropped: it tells a reader nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from proplens.pipeline.windowing import line_breaks

O, B, I = 0, 1, 2  # noqa: E741  (the BIO tag indices used by the network)
_TRAILING = " \t\r\n\u00a0,;:."
_LEADING = " \t\r\n\u00a0,;:.)"
_WORD = re.compile(r"\w+(?:['’]\w+)*")

FUNCTION_WORDS = frozenset(
    """a an the this that these those some any each every no
    i me my we us our you your he him his she her it its they them their
    one ones who whom whose which what where when why how there here
    and or but nor so yet if then than as because while whether though although
    of to in on at by for with from into onto over under about after before
    between through during without within against among upon via per
    is are was were be been being am do does did have has had will would shall
    should can could may might must not also just only very too
    all both either neither none more most less least other others another such same
    anyone anybody anything everyone everybody everything someone somebody something
    nobody nothing whatever whoever mine yours ours theirs hers myself yourself himself
    herself itself ourselves themselves never ever even still already again else first last
    once always often sometimes almost perhaps rather quite somewhat indeed however thus
    hence therefore otherwise nevertheless
    made make makes seem seems seemed done top bottom full
    up down out off away back
    's ’s""".split()
)
"""Words that cannot carry a technique on their own: a span made only of these is noise.

Pronouns, determiners, quantifiers, auxiliaries, the adverbs of degree and
time that common stopword lists share, and verb particles ("up", "out": nested
phrases of one word proposed them alone on the news bench); "never" or "all" alone is not a
fragment a reader can judge, "never again" with a content word would be.
"""

DANGLING = frozenset(
    """a an the this that these those some any each every no my our your his her its their
    and or but nor if than as because whether though although
    of to in on at by for with from into onto over under about after before
    between through during without within against among upon via per""".split()
)
"""Words a gold span practically never ends with (they open a phrase the span would cut)."""


@dataclass(frozen=True)
class Decoding:
    """Decoding settings, chosen on out-of-fold predictions and stored in the model card."""

    threshold: float = 0.3
    merge_gap: int = 3
    min_chars: int = 2
    extend_threshold: float | None = None  # grow runs into tokens at least this likely
    trim_dangling: bool = True  # drop trailing DANGLING words
    content_only: bool = True  # drop spans without a content word (0.1.0 kept them)


def decode(
    probs: np.ndarray, offsets: np.ndarray, text: str, settings: Decoding
) -> list[tuple[int, int, float]]:
    """``(start, end, confidence)`` spans from token probabilities ``probs`` of shape ``(n, 3)``.

    >>> text = "a very bad idea"
    >>> offsets = np.array([[0, 1], [2, 6], [7, 10], [11, 15]])
    >>> probs = np.array([[.9, .05, .05], [.2, .7, .1], [.1, .1, .8], [.9, 0, .1]])
    >>> decode(probs, offsets, text, Decoding(threshold=0.5, merge_gap=0))
    [(2, 10, 0.85)]
    """
    inside = 1.0 - probs[:, O]
    breaks = line_breaks(offsets, text)
    begins = (probs[:, B] > probs[:, I]) | breaks
    runs = _runs(inside >= settings.threshold, begins)
    if settings.extend_threshold is not None:
        runs = _extend(runs, inside >= settings.extend_threshold, breaks)
    runs = _merge_close(runs, offsets, text, settings.merge_gap)
    spans = []
    for first, last in runs:
        start, end = trim(text, *whole_words(text, int(offsets[first, 0]), int(offsets[last, 1])))
        if settings.trim_dangling:
            end = trim_dangling(text, start, end)
        if end - start < settings.min_chars:
            continue
        if not settings.content_only or has_content(text[start:end]):
            confidence = float(np.round(inside[first : last + 1].mean(), 6))
            spans.append((start, end, confidence))
    return spans


def has_content(fragment: str) -> bool:
    """Whether ``fragment`` holds at least one word that is not a function word.

    >>> has_content("If the"), has_content("of ..."), has_content("the regime")
    (False, False, True)
    """
    return any(w.lower() not in FUNCTION_WORDS for w in _WORD.findall(fragment))


def trim_dangling(text: str, start: int, end: int) -> int:
    """The end of ``[start, end)`` without trailing DANGLING words (keeping at least one word).

    >>> text = "experts backed a disastrous plan of the"
    >>> text[:trim_dangling(text, 0, len(text))]
    'experts backed a disastrous plan'
    """
    words = list(_WORD.finditer(text, start, end))
    while len(words) > 1 and words[-1].group().lower() in DANGLING:
        words.pop()
        end = trim(text, start, words[-1].end())[1]
    return end


def _extend(
    runs: list[tuple[int, int]], likely: np.ndarray, breaks: np.ndarray
) -> list[tuple[int, int]]:
    """Grow each run over neighbouring ``likely`` tokens on the same line (hysteresis)."""
    grown = []
    for first, last in runs:
        while first > 0 and likely[first - 1] and not breaks[first]:
            first -= 1
        while last + 1 < len(likely) and likely[last + 1] and not breaks[last + 1]:
            last += 1
        if grown and first <= grown[-1][1]:
            first = grown[-1][1] + 1
            if first > last:
                continue
        grown.append((first, last))
    return grown


def _runs(inside: np.ndarray, begins: np.ndarray) -> list[tuple[int, int]]:
    """Inclusive token ranges ``(first, last)``: a new run at each B (or line break) or after O."""
    runs: list[tuple[int, int]] = []
    first = None
    for i, is_inside in enumerate(inside):
        if is_inside and first is not None and begins[i]:
            runs.append((first, i - 1))
            first = i
        elif is_inside and first is None:
            first = i
        elif not is_inside and first is not None:
            runs.append((first, i - 1))
            first = None
    if first is not None:
        runs.append((first, len(inside) - 1))
    return runs


def _merge_close(
    runs: list[tuple[int, int]], offsets: np.ndarray, text: str, gap: int
) -> list[tuple[int, int]]:
    """Join runs 1 to ``gap`` tokens apart when no line break lies between them."""
    merged: list[tuple[int, int]] = []
    for run in runs:
        if merged and 0 < run[0] - merged[-1][1] - 1 <= gap:  # adjacent runs were split by a B
            between = text[offsets[merged[-1][1], 1] : offsets[run[0], 0]]
            if "\n" not in between:
                merged[-1] = (merged[-1][0], run[1])
                continue
        merged.append(run)
    return merged


JOINERS = "'’"
"""Apostrophes join two word parts into one word ("we're", "Iran’s"). A hyphen does
not: a run may keep "called experts" of "so-called experts" (tests/pipeline/test_decode.py)."""


def inside_word(text: str, i: int) -> bool:
    """Whether the boundary before ``text[i]`` lies inside a word.

    It does between two letters or digits, and on either side of an apostrophe
    that joins two of them (the tokenizer splits "we're" into "we",
    "'", "re", and a run may begin on "re").

    >>> [i for i in range(1, 10) if inside_word("we're up!", i)]
    [1, 2, 3, 4, 7]
    """
    if i <= 0 or i >= len(text):
        return False
    before, at = text[i - 1], text[i]
    if before.isalnum() and at.isalnum():
        return True
    if at in JOINERS and before.isalnum():
        return i + 1 < len(text) and text[i + 1].isalnum()
    return before in JOINERS and at.isalnum() and i >= 2 and text[i - 2].isalnum()


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` so that it neither starts nor ends inside a word.

    A run can begin on a word piece such as ``##mining``, or on the "re" of
    "we're"; the gold never cuts words.

    >>> whole_words("undermining it", 5, 14)
    (0, 14)
    >>> text = "we're Iran’s"
    >>> text[slice(*whole_words(text, 3, 5))], text[slice(*whole_words(text, 6, 10))]
    ("we're", 'Iran’s')
    """
    while start > 0 and inside_word(text, start):
        start -= 1
    while end < len(text) and inside_word(text, end):
        end += 1
    return start, end


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` past surrounding whitespace and stray punctuation.

    >>> trim(" loaded words, ", 0, 15)
    (1, 13)
    """
    while start < end and text[start] in _LEADING:
        start += 1
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    return start, end
