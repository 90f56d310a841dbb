"""Two models' confirmation label files, paired: SI, TC and FLC differences with intervals.

    python bench/paired_labels.py A_DIR B_DIR [--resamples 2000]

``A_DIR`` and ``B_DIR`` are folders written by ``bench/validate.py --out`` for
two models on the same confirmation articles (gold and predicted label files),
or by ``bench/fold_labels.py`` for two sets of fold models on the same
out-of-fold articles.
Prints, as JSON, each measure of both and ``B - A`` with a 95% bootstrap
interval over the same resampled articles (``intervals.paired_difference``:
what the two share, hard articles, cancels, so the interval is narrower than
the two intervals side by side). Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from proplens.errors import ProplensError
from proplens.formats.semeval import read_label_file
from proplens.intervals import (
    flc_article_stats,
    flc_f1,
    paired_difference,
    si_article_stats,
    si_f1,
    tc_article_stats,
    tc_f1,
)

# measure: (gold file, predicted file, task, per-article statistics, F1 of summed rows)
MEASURES = {
    "si": ("gold-si.labels", "pred-si.labels", "si", si_article_stats, si_f1),
    "tc": ("gold-tc.labels", "pred-tc.labels", "tc", tc_article_stats, tc_f1),
    "flc": ("gold-tc.labels", "pred-flc.labels", "tc", flc_article_stats, flc_f1),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    parser.add_argument("--resamples", type=int, default=2000)
    args = parser.parse_args()
    if args.resamples < 1:
        parser.error("--resamples must be at least 1")
    report = {}
    try:
        for name, (gold_file, pred_file, task, stats_of, f1) in MEASURES.items():
            gold = read_label_file(args.a / gold_file, task)
            if gold != read_label_file(args.b / gold_file, task):
                sys.exit(f"paired_labels: {gold_file} differs: not the same articles")
            pred_a = read_label_file(args.a / pred_file, task)
            pred_b = read_label_file(args.b / pred_file, task)
            ids = sorted({row.article_id for row in [*gold, *pred_a, *pred_b]})
            a, b = stats_of(gold, pred_a, ids), stats_of(gold, pred_b, ids)
            report[name] = {
                "a": round(f1(a.sum(axis=0)), 4),
                "b": round(f1(b.sum(axis=0)), 4),
                "b_minus_a": paired_difference(a, b, f1, args.resamples).to_dict(),
            }
    except ProplensError as err:
        sys.exit(f"paired_labels: {err}")
    print(json.dumps({"articles": len(ids), **report}, indent=2))


if __name__ == "__main__":
    main()
