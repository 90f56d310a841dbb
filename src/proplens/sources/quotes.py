"""Direct quotes: the character spans between paired quotation marks, one line at a time."""

from __future__ import annotations

import bisect
import re

_QUOTED = re.compile(r"“[^”\n]+”|\"[^\"\n]+\"|«[^»\n]+»|(?<!\w)(?:''|``)(?:(?!'')[^\n])+''")
"""Curly, straight and guillemet pairs, and the typewriter pair of news wires and
their archives (``''A,'' he said`` or ````A,'' he said``): two marks a side, the
first not right after a letter or digit (``a 12'' screen`` is inches)."""
_TRAILING = " \t,.;:!?"
_BETWEEN = re.compile(r"[\s,.;:!?\"“”«»'`—–-]*")


class Quotes:
    """The quotes of one text; ``spans`` exclude the marks and trailing punctuation."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: list[tuple[int, int]] = []
        for match in _QUOTED.finditer(text):
            wide = text.startswith("''", match.end() - 2)  # the typewriter pair: two marks a side
            start, end = match.start() + 1 + wide, match.end() - 1 - wide
            while end > start and text[end - 1] in _TRAILING:
                end -= 1
            if end > start:
                self.spans.append((start, end))
        self._starts = [start for start, _ in self.spans]

    def containing(self, position: int) -> tuple[int, int] | None:
        """The quote holding ``position``, if any."""
        index = bisect.bisect_right(self._starts, position) - 1
        if index >= 0 and position < self.spans[index][1]:
            return self.spans[index]
        return None

    def covering(self, start: int, end: int) -> tuple[int, int] | None:
        """The quote that covers at least half of ``[start, end)``, if any."""
        for quote_start, quote_end in self.spans:
            shared = min(end, quote_end) - max(start, quote_start)
            if shared > 0 and shared * 2 >= end - start:
                return (quote_start, quote_end)
        return None

    def adjacent(self, start: int, end: int) -> tuple[int, int] | None:
        """A quote separated from ``[start, end)`` by nothing but marks and punctuation."""
        index = bisect.bisect_right(self._starts, start) - 1
        for candidate in (index, index + 1):
            if not 0 <= candidate < len(self.spans):
                continue
            quote_start, quote_end = self.spans[candidate]
            if quote_end <= start and _only_marks(self.text, quote_end, start):
                return self.spans[candidate]
            if quote_start >= end and _only_marks(self.text, end, quote_start):
                return self.spans[candidate]
        return None


def _only_marks(text: str, start: int, end: int) -> bool:
    return end - start <= 4 and _BETWEEN.fullmatch(text, start, end) is not None
