"""Sentences of one text as exact ``(start, end)`` offsets: the units that get aligned.

The detector's own splitter (:meth:`proplens.article.Article.sentences`) cuts
after every full stop before a space, which breaks news sentences at "Mr." or
"U.S.". Alignment needs the real sentence, so this splitter uses the same
boundary and then refuses the cuts that a reader would not make: after a title
or initial, and before a word in lower case (a sentence starts with a capital,
a quote or a digit). Each line (title, paragraph) also ends a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n")
_LAST_WORD = re.compile(r"(\w+)\.$")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st gen col lt sgt capt cmdr adm gov sen rep prof rev jr sr mt ft "
    "no nos vs approx dept est fig inc ltd co corp bros jan feb mar apr jun jul aug sep "
    "sept oct nov dec".split()
)


@dataclass(frozen=True)
class Sentence:
    """One sentence: ``text[start:end]``, its paragraph (line) number and its index."""

    index: int
    start: int
    end: int
    paragraph: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` in order, trimmed of surrounding whitespace."""
    out: list[Sentence] = []
    paragraph = 0
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group() == "\n":
            _add(out, text, start, match.start(), paragraph)
            start = match.end()
            if out and out[-1].paragraph == paragraph:
                paragraph += 1
            continue
        if _keeps_going(text, match):
            continue
        _add(out, text, start, match.end(), paragraph)
        start = match.end()
    _add(out, text, start, len(text), paragraph)
    return out


def _keeps_going(text: str, match: re.Match[str]) -> bool:
    """True when the full stop belongs to an abbreviation, not to the end of a sentence."""
    following = text[match.end() :].lstrip(" \t")
    if following[:1].islower():
        return True
    mark = match.group()
    if mark != ".":
        return False
    word = _LAST_WORD.search(text, max(0, match.start() - 12), match.end())
    if word is None:
        return False
    name = word.group(1)
    if name.lower() in _ABBREVIATIONS:
        return True
    # an initial ("J. Smith") or a dotted abbreviation ("U.S.", "a.m.")
    return len(name) == 1 and name.isalpha()


def _add(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        out.append(Sentence(len(out), start, end, paragraph, text[start:end]))
