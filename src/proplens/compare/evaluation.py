"""Score comparisons against the story pairs: alignment accuracy, per-flag precision/recall.

- **Alignment accuracy**: every sentence of A and of B counts once; it is right
  when the predicted item holding it has exactly the expected sentences on both
  sides and the expected kind.
- **Flags**: a predicted flag counts once per (type, item), however many pieces
  of evidence it has, as the pairs are annotated. It matches an expected flag
  of the same type that names a sentence of its item; each expected flag is
  matched at most once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from proplens.compare.result import FLAG_TYPES, Comparison
from proplens.compare.storypairs import ExpectedFlag, StoryPair


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

    @property
    def alignment_accuracy(self) -> float:
        return self.aligned_right / self.sentences if self.sentences else 0.0

    def precision(self, flag: str) -> float | None:
        n = self.predicted[flag]
        return self.matched_predicted[flag] / n if n else None

    def recall(self, flag: str) -> float | None:
        n = self.expected[flag]
        return self.matched_expected[flag] / n if n else None


def score_pair(pair: StoryPair, result: Comparison, total: Score) -> None:
    """Add one pair's comparison to ``total``; misses are described in ``total.misses``."""
    _score_alignment(pair, result, total)
    _score_flags(pair, result, total)


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
