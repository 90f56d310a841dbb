"""Training data: PTC-format articles with their gold technique spans, and the validation split.

The validation split is fixed once (``VALIDATION_IDS`` below, 56 whole articles
drawn with seed 2020 from the 371 training articles) and never trained on;
models are chosen on it and the model card reports it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

VALIDATION_SEED = 2020
VALIDATION_SIZE = 56


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


def load_folders(data_dirs: list[str | Path]) -> tuple[list[Example], set[str]]:
    """Examples of one or more PTC folders, and the validation ids.

    The validation split is drawn from the first folder alone, so adding
    folders of corrections leaves it (and the figures measured on it) as it
    was; later folders only add training articles. An article id seen again in
    a later folder replaces the earlier article: a corrected corpus article
    wins over its original.
    """
    by_id: dict[str, Example] = {}
    val_ids: set[str] = set()
    for number, folder in enumerate(data_dirs):
        examples = load_examples(folder)
        if number == 0:
            val_ids = validation_ids([e.id for e in examples])
        by_id.update((e.id, e) for e in examples)
    return list(by_id.values()), val_ids


def validation_ids(
    all_ids: list[str], size: int = VALIDATION_SIZE, seed: int = VALIDATION_SEED
) -> set[str]:
    """The fixed validation split: ``size`` ids drawn with ``seed`` from the sorted ids."""
    ids = sorted(all_ids)
    size = min(size, max(1, len(ids) // 5)) if len(ids) < 5 * size else size
    return set(random.Random(seed).sample(ids, size))
