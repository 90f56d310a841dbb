"""Sources and claims: who says so, how the article frames it, what stands on no source.

>>> from proplens import sources
>>> finder = sources.load()                      # doctest: +SKIP  (needs the sources extra)
>>> found = finder.find('Critics claimed the plan would cost 2 billion euros.')  # doctest: +SKIP
>>> sources.sources_to_dict(found, text)["attributions"][0]["source"]["kind"]    # doctest: +SKIP
'vague'

Importing this package does not import spaCy; :func:`load` does. Module map:
``results`` (the dataclasses), ``lexicon`` (word lists), ``pipeline`` (loading
spaCy), ``quotes``, ``attributions``, ``claims``, ``hedges`` (the rules),
``finder`` (SourceFinder), ``serialize`` (JSON), ``evalset`` and ``scoring``
(the evaluation set and its measures), ``render`` (text and HTML views).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from proplens.sources.results import (
    CUE_KINDS,
    HEDGE_KINDS,
    SOURCE_KINDS,
    STANCES,
    Attribution,
    Claim,
    Hedge,
    SourceRef,
    Sources,
    VerbRef,
)
from proplens.sources.serialize import sources_from_dict, sources_to_dict

if TYPE_CHECKING:
    from proplens.sources.finder import SourceFinder

__all__ = [
    "CUE_KINDS",
    "HEDGE_KINDS",
    "SOURCE_KINDS",
    "STANCES",
    "Attribution",
    "Claim",
    "Hedge",
    "SourceFinder",
    "SourceRef",
    "Sources",
    "VerbRef",
    "load",
    "sources_from_dict",
    "sources_to_dict",
]


def load() -> SourceFinder:
    """Load the spaCy pipeline once and return a reusable :class:`SourceFinder`.

    Raises :class:`proplens.errors.ProplensError` naming the ``sources`` extra
    when spaCy or its English model is not installed.
    """
    from proplens.sources.finder import SourceFinder

    return SourceFinder.load()


def __getattr__(name: str):
    if name == "SourceFinder":
        from proplens.sources.finder import SourceFinder

        return SourceFinder
    raise AttributeError(f"module 'proplens.sources' has no attribute {name!r}")
