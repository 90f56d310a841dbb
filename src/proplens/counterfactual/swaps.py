"""Swap words in a text both ways at once, and carry character offsets across.

``swap("Iran's regime and an Obama aide", side_pairs())`` gives
``"America's regime and a Trump aide"``: whole words only, case kept
(Title, CAPITALS, lower), possessives and plurals kept because only the word
itself is replaced, and an ``a``/``an`` right before a swapped word flips when
the new word needs the other one. Lengths change, so the result carries an :class:`OffsetMap`
between the two texts: spans and sentences found on one text can be read on the
other (gold spans for counterfactual training copies, sentences for the
neutrality bench).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TypeVar

import numpy as np

from proplens.article import Article, Span
from proplens.counterfactual.pairs import Renaming, SwapTable


@dataclass(frozen=True)
class Edit:
    """``old[start:end]`` became ``new[new_start:new_end]``; text between edits is unchanged."""

    start: int
    end: int
    new_start: int
    new_end: int

    def inverse(self) -> Edit:
        return Edit(self.new_start, self.new_end, self.start, self.end)


@dataclass(frozen=True)
class OffsetMap:
    """Character offsets of one text mapped onto the other, given the edits between them.

    Offsets outside edits move by the length change before them, so a span
    boundary keeps its exact place, even one in the middle of a word. An offset
    strictly inside an edited word has no exact image: ``snap="left"`` gives the
    start of the new word, ``"right"`` its end. :meth:`span` snaps outwards, so a
    span never cuts a word that was swapped.
    """

    edits: tuple[Edit, ...]
    _starts: list[int] = field(init=False, repr=False, compare=False)
    _columns: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", [e.start for e in self.edits])
        columns = [(e.start, e.end, e.new_start, e.new_end) for e in self.edits]
        object.__setattr__(self, "_columns", np.array(columns, dtype=np.int64).reshape(-1, 4).T)

    def forward(self, offset: int, snap: str = "left") -> int:
        """Where ``offset`` of the original text lies in the new one (monotonic in ``offset``)."""
        if snap not in ("left", "right"):
            raise ValueError(f"snap must be 'left' or 'right', got {snap!r}")
        index = bisect_right(self._starts, offset) - 1
        if index < 0:
            return offset
        edit = self.edits[index]
        if offset >= edit.end:
            return offset + edit.new_end - edit.end
        if offset == edit.start or snap == "left":
            return edit.new_start
        return edit.new_end

    def forward_many(self, offsets: np.ndarray, snap: str = "left") -> np.ndarray:
        """:meth:`forward` for a whole array of offsets at once (every token of an article)."""
        if snap not in ("left", "right"):
            raise ValueError(f"snap must be 'left' or 'right', got {snap!r}")
        offsets = np.asarray(offsets, dtype=np.int64)
        if not self.edits:
            return offsets.copy()
        starts, ends, new_starts, new_ends = self._columns
        index = np.searchsorted(starts, offsets, side="right") - 1
        edit = np.maximum(index, 0)
        inside = np.where(
            (offsets == starts[edit]) | (snap == "left"), new_starts[edit], new_ends[edit]
        )
        moved = np.where(offsets >= ends[edit], offsets + new_ends[edit] - ends[edit], inside)
        return np.where(index < 0, offsets, moved)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The image of ``[start, end)``, widened to whole words where it cuts a swapped one."""
        return self.forward(start, "left"), self.forward(end, "right")

    def inverse(self) -> OffsetMap:
        """The map from the new text back onto the original."""
        return OffsetMap(tuple(e.inverse() for e in self.edits))

    def touches(self, start: int, end: int) -> bool:
        """Whether any edit overlaps ``[start, end)`` of the original text."""
        index = bisect_right(self._starts, end - 1) - 1
        return index >= 0 and self.edits[index].end > start


@dataclass(frozen=True)
class Swapped:
    """A text with its words swapped, and the offset map from the original to it."""

    original: str
    text: str
    offsets: OffsetMap

    @property
    def changed(self) -> bool:
        return bool(self.offsets.edits)


def swap(text: str, table: SwapTable | Renaming) -> Swapped:
    """Replace every form of ``table`` in ``text`` by its partner, in one pass."""
    pieces: list[str] = []
    edits: list[Edit] = []
    done = 0  # characters of ``text`` already copied or replaced
    shift = 0  # len(new) - len(old) so far
    for match in table.pattern.finditer(text):
        for start, end, new in _replacements(match, table):
            pieces.append(text[done:start])
            pieces.append(new)
            edits.append(Edit(start, end, start + shift, start + shift + len(new)))
            shift += len(new) - (end - start)
            done = end
    pieces.append(text[done:])
    return Swapped(text, "".join(pieces), OffsetMap(tuple(edits)))


def _replacements(match: re.Match[str], table: SwapTable | Renaming) -> list[tuple[int, int, str]]:
    """``(start, end, new text)`` for the article (if it must change) and the word itself."""
    form = match.group("form")
    replacement = table.forms[form]
    if replacement.text == form:  # a phrase to keep
        return []
    found = []
    if match.group("article"):
        article = _new_article(match.group("article"), form, replacement.text, replacement.shouted)
        if article is not None:
            found.append((match.start("article"), match.end("article"), article))
    found.append((match.start("form"), match.end("form"), replacement.text))
    return found


def indefinite_article(word: str) -> str:
    """``"an"`` or ``"a"`` by the first sound of ``word``, as far as spelling tells it.

    >>> [indefinite_article(w) for w in ("Obama", "Trump", "Ukrainian", "European", "NRA", "UK")]
    ['an', 'a', 'a', 'a', 'an', 'a']
    """
    letters = re.sub(r"[^A-Za-z]", "", word)
    if not letters:
        return "a"
    if letters.isupper() and len(letters) > 1:  # an acronym read letter by letter
        return "an" if letters[0] in "AEFHILMNORSX" else "a"
    lower = letters.lower()
    if lower.startswith(("eu", "one")):
        return "a"
    return "an" if lower[0] in "aeio" else "a"


def _new_article(article: str, old: str, new: str, shouted: bool) -> str | None:
    """The article to write before ``new``, or None to leave ``article`` as it is.

    The article flips (a <-> an) when the two words take different ones, so a
    right article stays right and a wrong one stays wrong: swapping twice gives
    back the original text. Only cases that can be told back are flipped:
    a/an/A/An before ordinary words, A/AN before CAPITALS.
    """
    if article not in (("A", "AN") if shouted else ("a", "an", "A", "An")):
        return None
    if indefinite_article(old) == indefinite_article(new):
        return None
    flipped = "a" if article.lower() == "an" else "an"
    if shouted:
        return flipped.upper()
    return flipped.capitalize() if article[0].isupper() else flipped


SpanLike = TypeVar("SpanLike", Span, tuple)


def swap_spans(spans: Iterable[SpanLike], offsets: OffsetMap) -> list[SpanLike]:
    """Carry spans onto the swapped text: :class:`Span` objects or ``(start, end, ...)`` tuples.

    Boundaries outside swapped words keep their exact place (a gold span that
    starts mid-word still does); a boundary inside a swapped word widens to
    the whole new word.
    """
    carried = []
    for span in spans:
        if isinstance(span, Span):
            start, end = offsets.span(span.start, span.end)
            carried.append(replace(span, start=start, end=end))
        else:
            start, end = offsets.span(span[0], span[1])
            carried.append((start, end, *span[2:]))
    return carried


def swap_article(article: Article, table: SwapTable) -> tuple[Article, Swapped]:
    """A copy of ``article`` with its words swapped and its spans carried along.

    Its ``sources`` (attributions, claims) are dropped: their offsets belong to
    the original text; run the source finder on the copy if they are needed.
    """
    swapped = swap(article.text, table)
    copy = replace(
        article,
        text=swapped.text,
        title=swap(article.title, table).text,
        spans=swap_spans(article.spans, swapped.offsets),
        sources=None,
    )
    return copy, swapped
