"""Word pairs to swap, and the table of surface forms they expand to.

A pair ``("Iran", "America")`` swaps both ways at once. Each listed form also
matches in CAPITALS (headlines), and a lowercase form also matches Capitalised
(sentence starts); the replacement takes the same case. Both members of a pair
must be written alike (both lowercase, both Capitalised or both acronyms), so
that a swapped text swapped again gives back the original exactly.

The curated lists live in ``pairs.json`` beside this module: ``sides`` (who is
named), ``controls`` (words without propaganda meaning) and ``keep`` (phrases
such as "Latin America" that contain a listed word but name something else;
they are matched whole and left alone). Each group of ``sides`` is one pair of
entities, its i-th pair their forms for the i-th role of the category (for
countries: name, adjective, people, capital, short and dotted names); ``null``
marks a role the group lacks. Why these words: docs/model.md, section Neutrality.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PAIRS_FILE = Path(__file__).resolve().parent / "pairs.json"


@dataclass(frozen=True)
class Replacement:
    """What one surface form becomes; ``shouted`` marks the CAPITALS variant of a word."""

    text: str
    shouted: bool = False


class SwapTable:
    """Every surface form to replace, with its replacement, and one regex that finds them."""

    def __init__(self, pairs: Iterable[tuple[str, str]], keep: Iterable[str] = ()) -> None:
        self.pairs = tuple((a, b) for a, b in pairs)
        self.keep = tuple(keep)
        self.forms: dict[str, Replacement] = {}
        self.listed: dict[str, str] = {}  # each surface form -> the listed form it is a variant of
        for left, right in self.pairs:
            _check_pair(left, right)
            for listed, partner in ((left, right), (right, left)):
                for old, new in _variants(listed, partner):
                    self._add(old, new, f"{left!r} <-> {right!r}")
                    self.listed[old] = listed
        for phrase in self.keep:
            for old, _ in _variants(phrase, phrase):
                self._add(old, Replacement(old), f"keep {phrase!r}")
        self.pattern = _compile(self.forms)

    def _add(self, old: str, new: Replacement, origin: str) -> None:
        known = self.forms.get(old)
        if known is not None and known != new:
            raise ValueError(f"{old!r} ({origin}) is already swapped with {known.text!r}")
        self.forms[old] = new

    def __len__(self) -> int:
        return len(self.pairs)

    def renamed(self, mapping: dict[str, str]) -> Renaming:
        """A one-way renaming over the same forms: each form in ``mapping`` becomes its value.

        Case, CAPITALS and a/an follow as in a swap; forms not in ``mapping``
        stay. Unlike the table it need not be its own inverse (names may rotate),
        so it serves reading (``pipeline.symmetry``), not counterfactual copies.
        """
        forms = _Unchanged()
        for old, new in mapping.items():
            forms.update(_variants(old, new))
        return Renaming(forms, self.pattern)


class _Unchanged(dict):
    """Forms a renaming does not name stay as they are (built per article, so kept small)."""

    def __missing__(self, form: str) -> Replacement:
        return Replacement(form)


@dataclass(frozen=True)
class Renaming:
    """Surface forms and what each becomes, and the regex that finds them (as in a table)."""

    forms: dict[str, Replacement]
    pattern: re.Pattern[str]


def _check_pair(left: str, right: str) -> None:
    if not left.strip() or not right.strip() or left == right:
        raise ValueError(f"a pair needs two different non-empty forms, got {left!r}, {right!r}")
    if _case(left) != _case(right):
        raise ValueError(
            f"{left!r} and {right!r} must be written alike (lowercase, Capitalised or CAPITALS)"
        )


def _is_lower(form: str) -> bool:
    return form == form.lower()


def _case(form: str) -> str:
    return "lower" if _is_lower(form) else "upper" if form == form.upper() else "capitalised"


def _variants(old: str, new: str) -> list[tuple[str, Replacement]]:
    """``old`` as listed, in CAPITALS and (if lowercase) Capitalised, each with ``new`` alike."""
    found = [(old, Replacement(new))]
    if old.upper() != old:
        found.append((old.upper(), Replacement(new.upper(), shouted=True)))
    if _is_lower(old) and old[0].upper() != old[0]:
        found.append((old[0].upper() + old[1:], Replacement(new[0].upper() + new[1:])))
    return found


_ARTICLE = r"(?:(?P<article>[Aa]n?|AN)(?P<gap>[ \t]+))?"


def _compile(forms: dict[str, Replacement]) -> re.Pattern[str]:
    """Whole words only, longest form first, with the indefinite article before it if any."""
    if not forms:
        return re.compile(r"(?!)")
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=lambda f: (-len(f), f)))
    return re.compile(rf"(?<!\w){_ARTICLE}(?P<form>{alternatives})(?!\w)")


@cache
def _lists() -> dict:
    return json.loads(PAIRS_FILE.read_text(encoding="utf-8"))


def listed_pairs(kind: str) -> list[tuple[str, str]]:
    """All pairs of ``kind`` (``"sides"`` or ``"controls"``) in ``pairs.json``."""
    return [pair for pairs in categories(kind).values() for pair in pairs]


def categories(kind: str) -> dict[str, list[tuple[str, str]]]:
    """The pairs of ``kind`` by category ("countries", "politicians", ...)."""
    return {name: group_pairs(groups) for name, groups in _lists()[kind].items()}


def group_pairs(groups: list) -> list[tuple[str, str]]:
    """The pairs of a category's groups as a lists file writes them (``null`` roles skipped)."""
    return [(pair[0], pair[1]) for group in groups for pair in group if pair is not None]


@cache
def side_entities() -> dict[str, tuple[tuple[str | None, ...], ...]]:
    """Every listed side as its forms by role (``None``: no form), per category, in list order.

    Each group gives two entities, its left and its right column:
    ``[["Iran", "America"], ["Iranian", "American"]]`` gives
    ``("Iran", "Iranian")`` and ``("America", "American")``.
    """
    return {
        name: tuple(
            tuple(None if pair is None else pair[column] for pair in group)
            for group in groups
            for column in (0, 1)
        )
        for name, groups in _lists()["sides"].items()
    }


@cache
def side_pairs() -> SwapTable:
    """Who is named: countries, parties, politicians, religions, groups, movements, media."""
    return SwapTable(listed_pairs("sides"), _lists()["keep"])


@cache
def control_pairs() -> SwapTable:
    """Words that carry no propaganda meaning: days, months, said/stated, city/town..."""
    return SwapTable(listed_pairs("controls"), _lists()["keep"])
