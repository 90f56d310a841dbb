"""Word-level changes between the two sides of a reworded item, as exact offsets.

Both sides are cut into tokens (words, numbers such as "3,000", punctuation marks) with their
offsets; Python's :class:`difflib.SequenceMatcher` finds the longest common
runs, and every run that differs becomes a :class:`Change`: ``delete`` (words
only in A), ``insert`` (only in B) or ``replace`` (A's words became B's).
Tokens are compared exactly, so a copy-edit ("european" → "European") shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+(?:['’]\w+)*|[^\w\s]")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Change:
    """One difference: ``[start, end)`` offsets into A and into B (empty: ``start == end``)."""

    op: str  # "delete" | "insert" | "replace"
    a_start: int
    a_end: int
    b_start: int
    b_end: int


def tokens(text: str, pieces: list[tuple[int, int]]) -> list[Token]:
    """Tokens of the given ``(start, end)`` pieces of ``text``, in order, with offsets."""
    return [
        Token(start + m.start(), start + m.end(), m.group())
        for start, end in pieces
        for m in _TOKEN.finditer(text[start:end])
    ]


def word_changes(a: list[Token], b: list[Token]) -> list[Change]:
    """The changes that turn token list ``a`` into ``b`` (equal runs left out)."""
    matcher = SequenceMatcher(None, [t.text for t in a], [t.text for t in b], autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        out.append(Change(op, *_extent(a, i1, i2), *_extent(b, j1, j2)))
    return out


def _extent(side: list[Token], first: int, stop: int) -> tuple[int, int]:
    """Offsets covering tokens ``[first, stop)``; an empty run sits where it would go."""
    if first < stop:
        return side[first].start, side[stop - 1].end
    if first < len(side):
        return side[first].start, side[first].start
    end = side[-1].end if side else 0
    return end, end
