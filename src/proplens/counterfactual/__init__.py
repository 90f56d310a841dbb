"""Counterfactual copies of articles: the same text with who is named swapped.

- ``pairs``: the curated word pairs (``pairs.json``): sides, neutral controls, phrases to keep
- ``swaps``: swap both ways at once with case, possessives and a/an kept, and an
  offset map between the texts (to carry gold spans onto training copies)
- ``neutrality``: compare the techniques found per sentence in an article and its copy

Used by ``bench/neutrality.py`` and, for counterfactual training data, by the model.
"""

from proplens.counterfactual.pairs import SwapTable, control_pairs, side_pairs
from proplens.counterfactual.swaps import (
    OffsetMap,
    Swapped,
    swap,
    swap_article,
    swap_spans,
)

__all__ = [
    "OffsetMap",
    "SwapTable",
    "Swapped",
    "control_pairs",
    "side_pairs",
    "swap",
    "swap_article",
    "swap_spans",
]
