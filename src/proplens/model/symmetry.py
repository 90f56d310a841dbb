"""Side-symmetric reading: an article and its side-swapped mirror are read as one and the same text.

Training on side-swapped copies of articles (``augment="sides"``) barely moved
how often a sentence's techniques change when Iran and America trade places
(about 22% of the sentences naming a side, against 23% for 0.1.0; docs/model.md).
So the detector does not read an article that names a side of
``counterfactual.side_pairs`` as it comes: of the article and its mirror image
(Iran<->America, Democrats<->Republicans, ... all swapped at once, an involution),
it reads the one that sorts first, and carries the states back onto the
article's own word pieces. An article and its mirror thus get the very same
encoder pass, hence the same spans and techniques: the verdict on "X's corrupt
regime" cannot depend on whether X is Iran or America. The mirror is a
coherent article (both sides swap, so "Democrats blamed Republicans" becomes
"Republicans blamed Democrats"), like the swapped copies the model was trained
on half of the time, and reading it costs no extra encoder pass. This holds for
the listed sides only; the neutrality bench also measures pairs the list does
not hold (``bench/held-out-sides.json``).

Which of the two sorts first is decided at the first side the article names,
so swapping other words (a date, "said" for "stated") never flips the choice.
"""

from __future__ import annotations

import numpy as np

from proplens.counterfactual import Swapped, SwapTable, swap
from proplens.model.windowing import Tokens


def canonical(text: str, table: SwapTable) -> Swapped | None:
    """The mirror of ``text`` when it sorts before ``text``; ``None``: read ``text`` itself.

    ``canonical(a)`` and ``canonical(swap(a))`` name the same text, since the
    swap is its own inverse.
    """
    mirror = swap(text, table)
    if not mirror.changed or text <= mirror.text:
        return None
    return mirror


def aligned(tokens: Tokens, mirror: Tokens, offsets) -> list[range]:
    """For each token of the article, the mirror's tokens over the same characters.

    A token outside a swapped word has exactly one (the same piece); a piece of
    a swapped name maps to all pieces of the name that replaced it.
    """
    starts = mirror.offsets[:, 0]
    found = []
    for start, end in tokens.offsets:
        a, b = offsets.span(int(start), int(end))
        lo = int(np.searchsorted(starts, a, side="left"))
        hi = max(int(np.searchsorted(starts, b, side="left")), lo + 1)
        found.append(range(min(lo, len(mirror) - 1), min(hi, len(mirror))))
    return found


def states_back(tokens: Tokens, mirror: Tokens, offsets, mirror_states: np.ndarray) -> np.ndarray:
    """The mirror's token states carried onto the article's tokens (a name's pieces: mean)."""
    result = np.empty((len(tokens), mirror_states.shape[1]), dtype=np.float32)
    for i, where in enumerate(aligned(tokens, mirror, offsets)):
        result[i] = mirror_states[where.start] if len(where) == 1 else mirror_states[where].mean(0)
    return result
