"""Training data: PTC-format articles with their gold technique spans, and the validation split.

The validation split is fixed once (``VALIDATION_IDS`` below, 56 whole articles
drawn with seed 2020 from the 371 training articles) and never trained on;
models are chosen on it and the model card reports it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from proplens.article import Article, Span
from proplens.errors import InputError

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
    # TEMPORARY loader until formats.semeval.load_corpus lands.
    root = Path(data_dir)
    paths = sorted((root / "articles").glob("*.txt")) or sorted(root.glob("*.txt"))
    if not paths:
        raise InputError(f"{data_dir}: no articles found")
    examples = {}
    for p in paths:
        a = Article.from_file(p)
        examples[a.id] = Example(a.id, a.text)
    for lab in sorted((root / "labels-tc").glob("*.labels")):
        for line in lab.read_text().splitlines():
            if line.strip():
                i, t, s, e = line.split("\t")
                examples[i].spans.append((int(s), int(e), t))
    return list(examples.values())


def validation_ids(
    all_ids: list[str], size: int = VALIDATION_SIZE, seed: int = VALIDATION_SEED
) -> set[str]:
    """The fixed validation split: ``size`` ids drawn with ``seed`` from the sorted ids."""
    ids = sorted(all_ids)
    size = min(size, max(1, len(ids) // 5)) if len(ids) < 5 * size else size
    return set(random.Random(seed).sample(ids, size))


def to_article(example: Example) -> Article:
    return Article(
        id=example.id, text=example.text, spans=[Span(s, e, t) for s, e, t in example.spans]
    )
