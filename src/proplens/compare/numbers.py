"""Quantities in a sentence, with their values, to tell when a number was changed.

Digits ("4,000", "1.2 million", "30 percent"), number words up to ninety and
"a dozen", and vague magnitudes ("hundreds", "thousands of") each become a
:class:`Quantity` with the range of values it stands for. Two quantities agree
when their ranges meet, so "five" agrees with "5" and "thousands" with "3,000",
but "600" does not agree with "thousands" or "1,600".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}  # fmt: skip
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_VAGUE = {
    "dozens": (24, 99), "hundreds": (200, 999),
    "thousands": (2_000, 999_999), "millions": (2e6, 999e6), "billions": (2e9, 999e9),
}  # fmt: skip
_NUMBER = re.compile(
    r"(?<![\w.,])(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*(?P<dscale>hundred|thousand|million|billion|trillion|bn)\b)?"
    r"|\b(?:an?\s+)?(?P<word>" + "|".join(_UNITS) + r")\b"
    r"(?:[\s-]+(?P<wscale>hundred|thousand|million|billion))?"
    r"|\b(?P<vague>" + "|".join(_VAGUE) + r")\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    low: float
    high: float

    def agrees(self, other: Quantity) -> bool:
        return self.low <= other.high * 1.0001 and other.low <= self.high * 1.0001


def quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Quantities in ``text[start:end]``, offsets into ``text``."""
    end = len(text) if end is None else end
    out = []
    for m in _NUMBER.finditer(text, start, end):
        if _pronoun_one(text, m):
            continue
        low, high = _value(m)
        out.append(Quantity(m.start(), m.end(), low, high))
    return out


_NOT_A_COUNT = re.compile(r"(?:no|any|every|each|this|that|the|which)\s+$", re.IGNORECASE)


def _pronoun_one(text: str, m: re.Match[str]) -> bool:
    """ "no one", "one of them", "one another": the word, not the number."""
    if (m.group("word") or "").lower() != "one" or m.group("wscale"):
        return False
    after = text[m.end() : m.end() + 8].lower()
    return bool(_NOT_A_COUNT.search(text[max(0, m.start() - 8) : m.start()])) or after.startswith(
        (" of ", " another")
    )


def _value(m: re.Match[str]) -> tuple[float, float]:
    if m.group("vague"):
        return _VAGUE[m.group("vague").lower()]
    if m.group("digits"):
        value = float(m.group("digits").replace(",", ""))
        scale = (m.group("dscale") or "").lower()
        value *= 1e9 if scale == "bn" else _SCALES.get(scale, 1.0)
        return value, value
    value = float(_UNITS[m.group("word").lower()])
    value *= _SCALES.get((m.group("wscale") or "").lower(), 1.0)
    return value, value


def changed(a: list[Quantity], b: list[Quantity]) -> list[tuple[Quantity, Quantity]]:
    """Pairs (A's quantity, B's) where B has a different number in place of A's.

    Quantities that agree with one on the other side are set aside; what is left
    on both sides is paired in order. A number only removed, or only added, is
    not a change.
    """
    left_a = [q for q in a if not any(q.agrees(r) for r in b)]
    left_b = [r for r in b if not any(r.agrees(q) for q in a)]
    return list(zip(left_a, left_b, strict=False))
