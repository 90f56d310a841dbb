"""Hedges ("apparently", "could not be verified") and certainty markers ("clearly", "in fact").

Plain phrase matching on the text, whole words, case-insensitive: these are
fixed expressions, so the parse adds nothing. Where two phrases overlap the
longer one wins.
"""

from __future__ import annotations

import re

from proplens.sources import lexicon
from proplens.sources.results import Hedge


def _pattern(phrases: tuple[str, ...]) -> str:
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(phrase).replace(r"\ ", r"\s+") for phrase in ordered)


_MARKERS = re.compile(
    rf"\b(?:(?P<hedge>{_pattern(lexicon.HEDGES)})|(?P<certainty>{_pattern(lexicon.CERTAINTY_MARKERS)}))\b",
    re.IGNORECASE,
)


def find_hedges(text: str) -> tuple[Hedge, ...]:
    """Every hedge and certainty marker in ``text``, in order."""
    found = []
    for match in _MARKERS.finditer(text):
        kind = "hedge" if match.group("hedge") else "certainty"
        found.append(Hedge(match.start(), match.end(), kind))
    return tuple(found)
