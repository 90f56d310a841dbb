"""Side-symmetric reading: a window that names a side is read twice, as written and mirrored.

Training on side-swapped copies of articles (``augment="sides"``) barely moved
how often a sentence's techniques change when Iran and America trade places
(about 22% of the sentences naming a side, against 23% for 0.1.0; docs/model.md).
So the detector reads every window that names a side of
``counterfactual.side_pairs`` twice, as written and with the sides swapped
(Iran<->America, Democrats<->Republicans, ...), and averages the two readings
token by token. An article and its mirror image then get the same states (up to
the word pieces inside a swapped name), hence the same spans and techniques: the
verdict on "X's corrupt regime" cannot depend on whether X is Iran or America.
This holds exactly for the listed sides only; the neutrality bench also
measures pairs the list does not hold (``bench/held-out-sides.json``).

Windows naming no side are read once, so the cost is the share of windows that
name one. Needs whole windows that do not overlap (``WindowPlan.mode == "packed"``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from proplens.counterfactual import SwapTable, swap
from proplens.model.windowing import Tokens, WordPieces, add_windows, make_batch

MAX_TOKENS = 510  # encoder positions (512) less [CLS] and [SEP]


def mirror_windows(
    tokens: Tokens, mirror: Tokens, windows: list[tuple[int, int]], offsets
) -> list[tuple[int, tuple[int, int]]]:
    """``(window index, mirror window)`` for each window whose text has a swapped word.

    A mirror window covers the mirror tokens of the same characters, so the
    two readings see the same context; names of other lengths may change its
    token count a little.
    """
    starts = mirror.offsets[:, 0]
    found = []
    for index, (first, n) in enumerate(windows):
        begin, end = int(tokens.offsets[first, 0]), int(tokens.offsets[first + n - 1, 1])
        if not offsets.touches(begin, end):
            continue
        a, b = offsets.span(begin, end)
        lo = int(np.searchsorted(starts, a, side="left"))
        hi = int(np.searchsorted(starts, b, side="left"))
        if hi > lo:
            found.append((index, (lo, min(hi - lo, MAX_TOKENS))))
    return found


def aligned(tokens: Tokens, mirror: Tokens, offsets, first: int, stop: int) -> list[range]:
    """For each token ``first..stop-1``, the mirror tokens over the same characters.

    A token outside a swapped word has exactly one (the same piece); a piece of
    a swapped name maps to all pieces of the name that replaced it.
    """
    starts = mirror.offsets[:, 0]
    found = []
    for start, end in tokens.offsets[first:stop]:
        a, b = offsets.span(int(start), int(end))
        lo = int(np.searchsorted(starts, a, side="left"))
        hi = max(int(np.searchsorted(starts, b, side="left")), lo + 1)
        found.append(range(min(lo, len(mirror) - 1), min(hi, len(mirror))))
    return found


def symmetric_states(
    encode: Callable[[np.ndarray, np.ndarray], np.ndarray],
    pieces: WordPieces,
    text: str,
    tokens: Tokens,
    states: np.ndarray,
    windows: list[tuple[int, int]],
    table: SwapTable,
) -> tuple[np.ndarray, int]:
    """``states`` averaged with the mirrored reading where a window names a side.

    Returns the new states and the number of extra windows encoded.
    """
    swapped = swap(text, table)
    if not swapped.changed or len(tokens) == 0:
        return states, 0
    mirror = pieces.tokenize(swapped.text)
    todo = mirror_windows(tokens, mirror, windows, swapped.offsets)
    if not todo or len(mirror) == 0:
        return states, 0
    mirror_states = np.zeros((len(mirror), states.shape[1]), dtype=np.float32)
    seen = np.zeros(len(mirror), dtype=np.float32)
    for _, window in todo:  # one window per call, as the plan reads them
        batch = make_batch(pieces, mirror, [window])
        add_windows(encode(batch.input_ids, batch.attention_mask), batch, mirror_states, seen)
    mirror_states /= np.maximum(seen, 1)[:, None]
    result = states.copy()
    for index, _ in todo:
        first, n = windows[index]
        for i, where in enumerate(aligned(tokens, mirror, swapped.offsets, first, first + n)):
            if seen[where.start] > 0:
                result[first + i] = 0.5 * (states[first + i] + mirror_states[where].mean(axis=0))
    return result, len(todo)
