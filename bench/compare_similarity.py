"""How similar are sentences that say the same thing, and sentences that do not?

    python bench/compare_similarity.py [--split dev|held] [--pairs DIR]

For every story pair of the split (bench/compare-pairs/), every sentence of A
is scored against every sentence of B with the alignment's lexical similarity
(:func:`proplens.compare.similarity.similarity`). A pair of sentences is a
*true* alignment when the annotation links them (1:1, or one piece of a split
or merge); every other pair is *false*. Printed: the two distributions side by
side in bins of 0.05, then, for each candidate floor, how many true alignments
fall below it (they would show as dropped + added) and how many false ones
reach it. Only sentences at the same place (between the same two links) can be
linked below the global threshold, so the false pairs at the same place are
counted separately: they are the ones the floor must stop. Headline pairs are
listed on their own (a headline is rewritten more freely).

Use the dev split to choose (bench/compare-pairs/README.md); held is for reporting.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from proplens.compare.sentences import split_sentences
from proplens.compare.similarity import similarity, words
from proplens.compare.storypairs import load_pairs

PAIRS = Path(__file__).resolve().parent / "compare-pairs"
BINS = [round(0.05 * k, 2) for k in range(21)]
FLOORS = (0.25, 0.3, 0.35, 0.4)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", default=str(PAIRS))
    parser.add_argument("--split", choices=("dev", "held"), default="dev")
    parser.add_argument("--list", type=float, metavar="BELOW", help="list pairs scoring below this")
    args = parser.parse_args()
    skipped: list[str] = []
    pairs = [p for p in load_pairs(args.pairs, skipped=skipped) if p.split == args.split]
    for reason in skipped:
        print(reason)
    true, false, same_place, titles = [], [], [], []
    for pair in pairs:
        a, b = split_sentences(pair.a), split_sentences(pair.b)
        wa, wb = [words(s.text) for s in a], [words(s.text) for s in b]
        links = {(i, j) for item in pair.alignment for i in item.a for j in item.b}
        anchors = sorted((item.a[0], item.b[0]) for item in pair.alignment if item.a and item.b)
        for i in range(len(a)):
            for j in range(len(b)):
                score = similarity(wa[i], wb[j])
                entry = (score, pair.name, i, j, a[i].text, b[j].text)
                if i == j == 0 and a[0].paragraph == b[0].paragraph == 0:
                    titles.append((score, (i, j) in links, pair.name))
                    continue
                if (i, j) in links:
                    true.append(entry)
                    continue
                false.append(entry)
                if _same_place(i, j, anchors):
                    same_place.append(entry)
    print(
        f"{args.split}: {len(pairs)} story pairs; sentence pairs: {len(true)} true alignments, "
        f"{len(false)} false ({len(same_place)} of them at the same place), headlines apart"
    )
    print(f"\n{'similarity':>12s} {'true':>6s} {'false':>6s} {'false, same place':>18s}")
    for lo, hi in zip(BINS, BINS[1:], strict=False):
        n_true = sum(_in_bin(e[0], lo, hi) for e in true)
        n_false = sum(_in_bin(e[0], lo, hi) for e in false)
        n_place = sum(_in_bin(e[0], lo, hi) for e in same_place)
        if n_true or n_false:
            print(f"{lo:5.2f}-{hi:4.2f}  {n_true:6d} {n_false:6d} {n_place:18d}")
    print(f"\n{'floor':>6s} {'true below':>11s} {'false at or above':>18s} {'same place':>11s}")
    for floor in FLOORS:
        below = sum(e[0] < floor for e in true)
        above = sum(e[0] >= floor for e in false)
        place = sum(e[0] >= floor for e in same_place)
        print(f"{floor:6.2f} {below:11d} {above:18d} {place:11d}")
    print(
        f"\nheadlines: true {sorted(round(s, 2) for s, t, _ in titles if t)}, "
        f"false {sorted(round(s, 2) for s, t, _ in titles if not t)}"
    )
    highest_false = sorted(same_place, reverse=True)[:5]
    print("\nhighest false pairs at the same place:")
    for score, name, i, j, x, y in highest_false:
        print(f"  {score:.2f} {name} A{i + 1} / B{j + 1}: {x[:70]!r} / {y[:70]!r}")
    if args.list is not None:
        print(f"\ntrue alignments below {args.list}:")
        for score, name, i, j, x, y in sorted(true):
            if score < args.list:
                print(f"  {score:.2f} {name} A{i + 1} / B{j + 1}: {x[:70]!r} / {y[:70]!r}")
    return 0


def _in_bin(score: float, lo: float, hi: float) -> bool:
    """``lo <= score < hi``; the last bin holds 1.0 too."""
    return lo <= score < hi or (hi == 1.0 and score == 1.0)


def _same_place(i: int, j: int, anchors: list[tuple[int, int]]) -> bool:
    """No annotated link lies between ``i`` and ``j`` on one side but not the other."""
    for x, y in anchors:
        if (x < i) != (y < j) or (x > i) != (y > j):
            return False
    return True


if __name__ == "__main__":
    sys.exit(main())
