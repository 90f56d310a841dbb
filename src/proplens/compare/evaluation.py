"""Score comparisons against the story pairs: alignment accuracy, per-flag precision/recall.

- **Alignment accuracy**: every sentence of A and of B counts once; it is right
  when the predicted item holding it has exactly the expected sentences on both
  sides and the expected kind.
- **Flags**: a predicted flag counts once per (type, item), however many pieces
  of evidence it has, as the pairs are annotated. It matches an expected flag
  of the same type that names a sentence of its item; each expected flag is
  matched at most once.
- **Intervals**: 95%, the wider of two (:mod:`proplens.intervals`): a bootstrap
  over story pairs (the flags of one pair were written by one hand about one
  story and are not independent, so pairs, not flags, are resampled) and the
  Wilson interval of the counts (which does not collapse to a point when every
  case agrees, as a percentile bootstrap does: 3 of 3 is not [1.00, 1.00]).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from proplens.compare.result import FLAG_TYPES, Comparison
from proplens.compare.storypairs import ExpectedFlag, StoryPair
from proplens.intervals import Interval, bootstrap, wilson


@dataclass
class Score:
    """Running totals over any number of pairs."""

    sentences: int = 0
    aligned_right: int = 0
    predicted: Counter = field(default_factory=Counter)
    expected: Counter = field(default_factory=Counter)
    matched_predicted: Counter = field(default_factory=Counter)
    matched_expected: Counter = field(default_factory=Counter)
    innocent_alarms: Counter = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    pair_rows: list[dict[str, tuple[int, int, int, int]]] = field(default_factory=list)
    """Per pair: flag -> (matched predicted, predicted, matched expected, expected);
    ``"alignment"`` -> (sentences right, sentences, 0, 0)."""

    @property
    def alignment_accuracy(self) -> float:
        return self.aligned_right / self.sentences if self.sentences else 0.0

    def precision(self, flag: str) -> float | None:
        n = self.predicted[flag]
        return self.matched_predicted[flag] / n if n else None

    def recall(self, flag: str) -> float | None:
        n = self.expected[flag]
        return self.matched_expected[flag] / n if n else None

    def interval(self, flag: str, measure: str) -> Interval | None:
        """95% interval of ``measure`` ("precision", "recall" or, with flag
        "alignment", "accuracy") over resampled story pairs; None when undefined."""
        rows = np.array([row.get(flag, (0, 0, 0, 0)) for row in self.pair_rows], dtype=float)
        if not len(rows):
            return None
        cols = (2, 3) if measure == "recall" else (0, 1)
        hits, n = rows[:, cols[0]].sum(), rows[:, cols[1]].sum()
        if n == 0:
            return None
        pairs = bootstrap(rows, lambda t: t[cols[0]] / t[cols[1]] if t[cols[1]] else np.nan)
        counts = wilson(hits, n)
        return Interval(hits / n, min(pairs.low, counts.low), max(pairs.high, counts.high))


def score_pair(pair: StoryPair, result: Comparison, total: Score) -> None:
    """Add one pair's comparison to ``total``; misses are described in ``total.misses``."""
    before = (
        total.aligned_right,
        total.sentences,
        Counter(total.matched_predicted),
        Counter(total.predicted),
        Counter(total.matched_expected),
        Counter(total.expected),
    )
    _score_alignment(pair, result, total)
    _score_flags(pair, result, total)
    row = {"alignment": (total.aligned_right - before[0], total.sentences - before[1], 0, 0)}
    for flag in FLAG_TYPES:
        row[flag] = (
            total.matched_predicted[flag] - before[2][flag],
            total.predicted[flag] - before[3][flag],
            total.matched_expected[flag] - before[4][flag],
            total.expected[flag] - before[5][flag],
        )
    total.pair_rows.append(row)


def _score_alignment(pair: StoryPair, result: Comparison, total: Score) -> None:
    expected, predicted = {}, {}
    for item in pair.alignment:
        entry = (item.kind, item.a, item.b)
        expected.update({("A", i): entry for i in item.a} | {("B", j): entry for j in item.b})
    for item in result.items:
        entry = (item.kind, item.a_sentences, item.b_sentences)
        predicted.update(
            {("A", i): entry for i in item.a_sentences}
            | {("B", j): entry for j in item.b_sentences}
        )
    for key, entry in expected.items():
        total.sentences += 1
        if predicted.get(key) == entry:
            total.aligned_right += 1
        else:
            total.misses.append(
                f"{pair.name}: {key[0]}{key[1] + 1} expected {_item(entry)}, "
                f"got {_item(predicted.get(key))}"
            )


def _score_flags(pair: StoryPair, result: Comparison, total: Score) -> None:
    units = sorted(
        {
            (flag.type, item.a_sentences, item.b_sentences)
            for item in result.items
            for flag in item.flags
        }
    )
    open_expected = list(pair.flags)
    for flag in pair.flags:
        total.expected[flag.type] += 1
    for kind, a, b in units:
        total.predicted[kind] += 1
        if pair.kind == "innocent":
            total.innocent_alarms[kind] += 1
        hit = next((e for e in open_expected if _matches(e, kind, a, b)), None)
        if hit is None:
            total.misses.append(f"{pair.name}: unexpected {kind} on {_item(('', a, b))}")
            continue
        open_expected.remove(hit)
        total.matched_predicted[kind] += 1
        total.matched_expected[kind] += 1
    for flag in open_expected:
        total.misses.append(f"{pair.name}: missed {flag.type} on {_item(('', flag.a, flag.b))}")


def _matches(expected: ExpectedFlag, kind: str, a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return expected.type == kind and bool(set(expected.a) & set(a) or set(expected.b) & set(b))


def _item(entry) -> str:
    if entry is None:
        return "nothing"
    kind, a, b = entry
    sides = " ".join([*(f"A{i + 1}" for i in a), *(f"B{j + 1}" for j in b)])
    return f"{kind} {sides}".strip()


def flag_table(score: Score) -> list[tuple[str, int, int, float | None, float | None]]:
    """``(flag, expected, predicted, precision, recall)`` for every flag type."""
    return [
        (
            flag,
            score.expected[flag],
            score.predicted[flag],
            score.precision(flag),
            score.recall(flag),
        )
        for flag in FLAG_TYPES
    ]
