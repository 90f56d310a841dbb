"""Score `proplens compare` on the story pairs: alignment accuracy, per-flag precision/recall.

    python bench/compare_eval.py [--split dev|held|all] [--misses] [--no-sources]
    python bench/compare_eval.py --show bench/compare-pairs/dev/border-troops.toml
    python bench/compare_eval.py --methods   # lexical similarity against encoder embeddings

The pairs (bench/compare-pairs/, format in its README) are invented stories in
two versions with the alignment and flags a careful reader expects. ``dev``
pairs were used while building; ``held`` pairs only to report, scored once
with the final settings. Intervals: 95% bootstrap over story pairs
(:mod:`proplens.intervals`). Targets:
alignment accuracy >= 0.90, each flag's precision >= 0.80, no balance_dropped
or attribution_changed flag on an innocent pair. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from proplens.compare import Comparer
from proplens.compare.evaluation import Score, flag_table, score_pair
from proplens.compare.sentences import split_sentences
from proplens.compare.storypairs import load_pair, load_pairs
from proplens.errors import FormatError

PAIRS = Path(__file__).resolve().parent / "compare-pairs"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", default=str(PAIRS), help="folder of story pairs")
    parser.add_argument("--split", choices=("dev", "held", "all"), default="all")
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument("--no-sources", action="store_true", help="skip the sources checks")
    parser.add_argument("--show", metavar="FILE", help="print one pair's numbered sentences")
    parser.add_argument(
        "--methods", action="store_true", help="how well each similarity separates links (dev)"
    )
    args = parser.parse_args()
    if args.show:
        show(Path(args.show))
        return 0
    skipped: list[str] = []
    pairs = load_pairs(args.pairs, skipped=skipped)
    for reason in skipped:
        print(reason)
    if args.methods:
        compare_methods([p for p in pairs if p.split == "dev"])
        return 0
    comparer = Comparer.load(sources=not args.no_sources)
    if comparer.skipped:
        print(f"sources checks skipped: {comparer.skipped}")
    splits = ("dev", "held") if args.split == "all" else (args.split,)
    for split in splits:
        chosen = [p for p in pairs if p.split == split]
        score, seconds = Score(), 0.0
        for pair in chosen:
            started = time.perf_counter()
            result = comparer.compare(pair.a, pair.b)
            seconds += time.perf_counter() - started
            score_pair(pair, result, score)
        report(split, chosen, score, seconds, args.misses)
    return 0


def report(split: str, pairs, score: Score, seconds: float, misses: bool) -> None:
    innocent = sum(1 for p in pairs if p.kind == "innocent")
    print(f"\n== {split}: {len(pairs)} pairs ({innocent} innocent), {seconds:.2f} s in all")
    print(
        f"alignment accuracy: {score.alignment_accuracy:.3f} "
        f"{_i(score.interval('alignment', 'accuracy'))} "
        f"({score.aligned_right}/{score.sentences} sentences)"
    )
    print("95% intervals: the wider of a bootstrap over story pairs and the Wilson interval")
    print(f"{'flag':22s} {'expected':>8s} {'found':>6s}  {'precision':<20s} {'recall':<20s}")
    for flag, expected, predicted, precision, recall in flag_table(score):
        p = f"{_f(precision)} {_i(score.interval(flag, 'precision'))}"
        r = f"{_f(recall)} {_i(score.interval(flag, 'recall'))}"
        print(f"{flag:22s} {expected:8d} {predicted:6d}  {p:<20s} {r:<20s}")
    alarms = {k: n for k, n in score.innocent_alarms.items() if n}
    print(f"flags on innocent pairs: {alarms or 'none'}")
    if misses:
        for line in score.misses:
            print("  " + line)


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _i(interval) -> str:
    return "" if interval is None else f"[{interval.low:.2f}, {interval.high:.2f}]"


def compare_methods(pairs) -> None:
    """Lexical similarity against mean-pooled states of the shipped encoder, on the dev pairs.

    Every sentence pair of every story pair is a true link (1:1 in the annotation) or
    not; for each measure, the best single threshold is found and its errors counted.
    """
    import numpy as np

    from proplens.compare.similarity import similarity, words
    from proplens.pipeline.runtime import Model

    model = Model.load()

    def embed(text: str):
        states = model.states(text).states.mean(axis=0)
        return states / np.linalg.norm(states)

    scores = []  # (is_link, lexical, embedding)
    for pair in pairs:
        a, b = split_sentences(pair.a), split_sentences(pair.b)
        ea, eb = [embed(s.text) for s in a], [embed(s.text) for s in b]
        links = {(i.a[0], i.b[0]) for i in pair.alignment if len(i.a) == len(i.b) == 1}
        for x in a:
            for y in b:
                lexical = similarity(words(x.text), words(y.text))
                scores.append(
                    ((x.index, y.index) in links, lexical, float(ea[x.index] @ eb[y.index]))
                )
    for column, name in (
        (1, "lexical (rapidfuzz Indel on stemmed words)"),
        (2, "shipped encoder, mean-pooled, cosine"),
    ):
        best = min(
            (sum((s[column] >= t) != s[0] for s in scores), t) for t in {s[column] for s in scores}
        )
        print(
            f"{name}: {best[0]} errors of {len(scores)} sentence pairs at threshold {best[1]:.2f}"
        )


def show(path: Path) -> None:
    pair = load_pair(path)
    for side, text in (("A", pair.a), ("B", pair.b)):
        for sentence in split_sentences(text):
            print(f"{side}{sentence.index + 1:<3d} {sentence.text}")
        print()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except FormatError as err:  # a bad or unreadable pair file: one line, not a traceback
        print(f"compare_eval: {err}", file=sys.stderr)
        sys.exit(2)
