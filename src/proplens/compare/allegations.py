"""Words that present a statement as an allegation rather than as a fact.

A fair report keeps an accusation an accusation: "rights groups accused the
militias of abuses", "the alleged bribe", "police charged him with fraud", "the
charges say". A
slanted retelling states the same thing as fact: "the militias have been
slaughtering civilians". :mod:`proplens.compare.flags` raises
``allegation_as_fact`` when a sentence of A holds one of these markers and its
counterpart in B holds none (nor a distancing verb or hedge, which would keep
the doubt). Like :mod:`.balance`, this is a short list of news wording, not
learned from data; mutual accusations ("accused each other") are a balancing
counter-claim and are left to :mod:`.balance`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PATTERNS = (
    r"\b(?:accuse[ds]?|accusing)\b(?!\s+(?:each\s+other|one\s+another|the\s+other))",
    r"\baccusations?\b",
    r"\b(?:allege[ds]?|alleging|allegedly|allegations?)\b",
    r"\b(?:charged|charges?)\s+(?:\w+\s+){0,3}with\b",
    r"\bcharged\b(?=\s+(?:[\w'’,-]+\s+){0,15}?with\b)",  # "charged X, the founder of Y, with"
    r"\bcharge[ds]?\b(?=\s+(?:[\w'’-]+\s+){0,6}?over\b)",  # a headline's "charge X over Y"
    r"\b(?:charges?|indictment|charge\s+sheet|complaint|lawsuit)\s+(?:says?|said|states?|stated"
    r"|alleges?|alleged)\b",
    r"\baccording\s+to\s+(?:the\s+)?(?:charges?|indictment|charge\s+sheet|complaint|lawsuit)\b",
    r"\b(?:blamed|blames|blaming)\b(?!\s+(?:each\s+other|one\s+another|the\s+other))",
    r"\b(?:claimed|claims|claiming)\b",
    r"\b(?:suspected|suspects?)\s+(?:of|that)\b",
    r"\bpurported(?:ly)?\b",
)
_COMPILED = [re.compile(p, re.IGNORECASE) for p in _PATTERNS]


@dataclass(frozen=True)
class Marker:
    """An allegation marker ``text[start:end]``."""

    start: int
    end: int


def markers(text: str, start: int = 0, end: int | None = None) -> list[Marker]:
    """Allegation markers in ``text[start:end]`` (offsets into ``text``), in order."""
    end = len(text) if end is None else end
    found = sorted(
        (m.start(), m.end()) for pattern in _COMPILED for m in pattern.finditer(text, start, end)
    )
    kept: list[Marker] = []
    for lo, hi in found:  # overlapping matches of one phrase count once
        if not kept or lo >= kept[-1].end:
            kept.append(Marker(lo, hi))
    return kept
