"""Offsets as JavaScript counts them (UTF-16 code units) and back to Python ``str`` indices.

Browser tools such as Label Studio index a text by UTF-16 code units, so every
character outside the Basic Multilingual Plane (most emoji) counts as two there
and as one in Python. ``\\r\\n`` is two in both.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate


class UnitOffsets:
    """Both directions for one text: Python index <-> UTF-16 unit offset."""

    def __init__(self, text: str) -> None:
        widths = (2 if ord(ch) > 0xFFFF else 1 for ch in text)
        self._units = [0, *accumulate(widths)]
        """``_units[i]`` is the UTF-16 offset of Python index ``i`` (one more entry than text)."""

    @property
    def length(self) -> int:
        """The text's length in UTF-16 units (JavaScript's ``text.length``)."""
        return self._units[-1]

    def to_units(self, index: int) -> int:
        return self._units[index]

    def to_index(self, units: int) -> int:
        """The Python index at UTF-16 offset ``units``; ValueError inside a surrogate pair."""
        if not 0 <= units <= self.length:
            raise ValueError(f"offset {units} is outside the text (0 to {self.length})")
        index = bisect_left(self._units, units)
        if self._units[index] != units:
            raise ValueError(f"offset {units} falls inside a character (half a surrogate pair)")
        return index
