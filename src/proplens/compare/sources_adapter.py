"""The one place where compare meets :mod:`proplens.sources` (attributions, claims, hedges).

Sources need a parsing pipeline that is an optional extra; without it (or in a
build without :mod:`proplens.sources`) a comparison still aligns, diffs and
runs the checks that need only the text and the detector, and says which
checks it skipped and why.
"""

from __future__ import annotations

from typing import Any

from proplens.errors import ProplensError

NEEDS_SOURCES = (
    "attribution_changed",
    "source_vaguer",
    "source_added",
    "hedge_dropped",
    "hedge_added",
    "unsourced_claim_added",
)


def load_finder() -> tuple[Any, str | None]:
    """``(finder, None)``, or ``(None, why)`` when sources cannot be found on this install."""
    try:
        from proplens.sources import load
    except ImportError:
        return None, "this proplens has no sources module (proplens.sources)"
    try:
        return load(), None
    except ProplensError as err:
        return None, str(err)


def find(finder: Any, text: str) -> Any:
    """``Sources(attributions, claims, hedges)`` of ``text``; offsets into it."""
    return finder.find(text)
