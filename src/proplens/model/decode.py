"""Turn per-token BIO probabilities into character spans.

Decoding dominates span-identification quality (see the model card): tokens
whose probability of being inside a span passes a threshold form runs; a run
starts at a token tagged B, or at an I that follows O (the only valid repair of
an O -> I transition); runs a few tokens apart on the same line are merged; and
each span is trimmed of the whitespace and trailing punctuation that the v2
gold annotation leaves out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

O, B, I = 0, 1, 2  # noqa: E741  (the BIO tag indices used by the network)
_TRAILING = " \t\r\n\u00a0,;:."
_LEADING = " \t\r\n\u00a0,;:.)"


@dataclass(frozen=True)
class Decoding:
    """Decoding settings, chosen on the validation split and stored in the model card."""

    threshold: float = 0.3
    merge_gap: int = 3
    min_chars: int = 2


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
    begins = (probs[:, B] > probs[:, I]) | line_breaks(offsets, text)
    runs = _runs(inside >= settings.threshold, begins)
    runs = _merge_close(runs, offsets, text, settings.merge_gap)
    spans = []
    for first, last in runs:
        start, end = trim(text, *whole_words(text, int(offsets[first, 0]), int(offsets[last, 1])))
        if end - start >= settings.min_chars:
            confidence = float(np.round(inside[first : last + 1].mean(), 6))
            spans.append((start, end, confidence))
    return spans


def line_breaks(offsets: np.ndarray, text: str) -> np.ndarray:
    r"""Whether a line break lies between each token and the one before it.

    >>> line_breaks(np.array([[0, 3], [4, 7], [8, 11]]), "one two\nsix").tolist()
    [False, False, True]
    """
    codepoints = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    newlines = np.flatnonzero(codepoints == 10)  # str indices, as offsets are
    if len(offsets) == 0 or len(newlines) == 0:
        return np.zeros(len(offsets), dtype=bool)
    previous_end = np.concatenate([[0], offsets[:-1, 1]])
    # a newline n with previous_end <= n < start exists iff the counts below differ
    return np.searchsorted(newlines, offsets[:, 0]) > np.searchsorted(newlines, previous_end)


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


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` so that it neither starts nor ends inside a word.

    A run can begin on a word piece such as ``##mining``; the gold never cuts words.

    >>> whole_words("undermining it", 5, 14)
    (0, 14)
    """
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
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
