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


def find(finder: Any, text: str, progress: Any = None) -> Any:
    """``Sources(attributions, claims, hedges)`` of ``text``; offsets into it.

    ``progress``, if given, goes to the finder, which calls ``progress(pause=False)``
    between parsed lines and before the finding (the server stops abandoned work there).

    Attributions that name no source ("is expected to") are left out: every
    check here is about who vouches for what, and a claim that stood on one is
    unattributed, as it is for a reader.
    """
    found = finder.find(text) if progress is None else finder.find(text, progress=progress)
    return with_named_sources(found)


def with_named_sources(sources: Any) -> Any:
    """``sources`` without its source-less attributions, claims' indices following."""
    from dataclasses import replace

    kept = [i for i, a in enumerate(sources.attributions) if a.source is not None]
    if len(kept) == len(sources.attributions):
        return sources
    index = {old: new for new, old in enumerate(kept)}
    claims = tuple(replace(c, attribution=index.get(c.attribution)) for c in sources.claims)
    return replace(
        sources, attributions=tuple(sources.attributions[i] for i in kept), claims=claims
    )
