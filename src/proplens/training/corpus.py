"""Training data: PTC-format articles with their gold technique spans, and how they are split.

Two splits, both by whole articles:

* the **confirmation split** (56 articles of the first data folder, drawn once
  with seed 2020 — the 0.1.0 model's validation split) is never trained on and
  takes no part in any choice; it measures the finished model once;
* the **folds** (5, seed 2026) divide the other articles for cross-validation,
  on which every choice is made (``crossval``).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

CONFIRMATION_SEED = 2020
CONFIRMATION_SIZE = 56
FOLD_SEED = 2026
FOLDS = 5


@dataclass
class Example:
    """One article with its gold ``(start, end, technique)`` spans."""

    id: str
    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)


def load_examples(data_dir: str | Path) -> list[Example]:
    """Articles and TC labels from a PTC-layout folder (``articles/`` + label files)."""
    from proplens.formats.semeval import load_corpus

    return [
        Example(a.id, a.text, [(s.start, s.end, s.technique) for s in a.spans if s.technique])
        for a in load_corpus(Path(data_dir), task="tc")
    ]


def load_training_data(data_dirs: Sequence[str | Path]) -> tuple[list[Example], list[Example]]:
    """``(training, confirmation)`` articles of one or more PTC-layout folders.

    The confirmation split is drawn from the first folder (the corpus) alone, so
    adding folders of corrections leaves it (and the figures measured on it) as
    it was; later folders only add training articles. An article id seen again
    in a later folder replaces the earlier article: a corrected corpus article
    wins over its original (and stays out of training if it is a confirmation
    article).
    """
    by_id: dict[str, Example] = {}
    confirm: set[str] = set()
    for number, folder in enumerate(data_dirs):
        examples = load_examples(folder)
        if number == 0:
            confirm = confirmation_ids([e.id for e in examples])
        by_id.update((e.id, e) for e in examples)
    examples = list(by_id.values())
    return [e for e in examples if e.id not in confirm], [e for e in examples if e.id in confirm]


def confirmation_ids(
    all_ids: list[str], size: int = CONFIRMATION_SIZE, seed: int = CONFIRMATION_SEED
) -> set[str]:
    """The fixed confirmation split: ``size`` ids drawn with ``seed`` from the sorted ids."""
    ids = sorted(all_ids)
    size = min(size, max(1, len(ids) // 5)) if len(ids) < 5 * size else size
    return set(random.Random(seed).sample(ids, size))


def fold_of(ids: list[str], k: int = FOLDS, seed: int = FOLD_SEED) -> dict[str, int]:
    """Each id's fold in ``0..k-1``: a seeded shuffle of the sorted ids, dealt round-robin.

    >>> folds = fold_of([str(i) for i in range(10)], k=5)
    >>> sorted(list(folds.values()).count(f) for f in range(5))
    [2, 2, 2, 2, 2]
    """
    order = sorted(ids)
    random.Random(seed).shuffle(order)
    return {article: index % k for index, article in enumerate(order)}
