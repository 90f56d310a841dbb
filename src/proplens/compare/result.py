"""What a comparison holds: aligned items, their word changes and flags, and a summary.

Every position is a ``(start, end)`` character offset into the text of side A
or side B (``Comparison.a.text`` / ``Comparison.b.text``), as everywhere in
proplens; texts shown to a reader are derived from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from proplens.article import Article
from proplens.compare.sentences import Sentence
from proplens.compare.words import Change

Offsets = tuple[int, int]

FLAG_TYPES = (
    "balance_dropped",
    "attribution_changed",
    "source_vaguer",
    "source_added",
    "allegation_as_fact",
    "speculation_added",
    "hedge_dropped",
    "hedge_added",
    "loaded_terms_added",
    "loaded_terms_removed",
    "technique_added",
    "technique_removed",
    "number_changed",
    "unsourced_claim_added",
)
KINDS = ("same", "reworded", "moved", "added", "dropped")


@dataclass(frozen=True)
class Flag:
    """One finding on an aligned item, with its evidence on each side (None: nothing there)."""

    type: str
    a: Offsets | None
    b: Offsets | None
    detail: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass
class Item:
    """One line of the side-by-side view: sentences of A and their counterpart in B."""

    kind: str  # "same" | "reworded" | "moved" | "added" | "dropped"
    a_sentences: tuple[int, ...]
    b_sentences: tuple[int, ...]
    a: Offsets | None
    b: Offsets | None
    similarity: float
    changes: list[Change] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)

    @property
    def shape(self) -> str:
        """ "split" (one A sentence, two in B), "merged" (two in A, one in B) or "one"."""
        if len(self.a_sentences) == 1 and len(self.b_sentences) > 1:
            return "split"
        if len(self.a_sentences) > 1 and len(self.b_sentences) == 1:
            return "merged"
        return "one"


@dataclass
class Comparison:
    """Two analysed versions of a story and how B differs from A."""

    a: Article
    b: Article
    a_sentences: list[Sentence]
    b_sentences: list[Sentence]
    items: list[Item]
    a_sources: Any = None  # proplens.sources.Sources, when the sources checks ran
    b_sources: Any = None
    skipped: str | None = None  # why the sources checks did not run, if they did not
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def flags(self) -> list[Flag]:
        return [flag for item in self.items for flag in item.flags]

    @property
    def identical(self) -> bool:
        return self.a.text == self.b.text
