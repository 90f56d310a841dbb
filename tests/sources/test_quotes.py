"""Quotes: which spans of a text are direct quotes, marks and trailing punctuation left out."""

from __future__ import annotations

from proplens.sources.quotes import Quotes


def quoted(text: str) -> list[str]:
    return [text[s:e] for s, e in Quotes(text).spans]


def test_curly_straight_and_guillemet_pairs():
    text = '“One,” he said. "Two." «Three»'
    assert quoted(text) == ["One", "Two", "Three"]


def test_the_typewriter_pair_keeps_apostrophes_inside():
    text = "''That's what she understands,'' he said. ``It's done.''"
    assert quoted(text) == ["That's what she understands", "It's done"]


def test_apostrophes_alone_are_no_quote():
    assert quoted("The 1990's and the Smiths' house, don't you think?") == []


def test_inch_marks_are_no_quote():
    assert quoted("It has a 12'' screen, and the old one a 15'' screen.") == []


def test_a_quote_never_runs_over_a_line_break():
    assert quoted("''Open\nstill open'' and \"one\nline\"") == []
