"""``proplens evaluate``: score a prediction file against gold labels, as SemEval did.

SI and TC are SemEval-2020's measures; FLC (SemEval-2019's fragment-level
classification) scores the full output, spans with their techniques, from the
same 4-column files as TC. ``--interval`` adds a bootstrap interval over
articles to the F1.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from proplens.formats.semeval import LabelRow, file_article_id, label_files, read_labels
from proplens.intervals import (
    Interval,
    bootstrap,
    flc_article_stats,
    flc_f1,
    si_article_stats,
    si_f1,
    tc_article_stats,
    tc_f1,
)
from proplens.scoring import FLCScore, SIScore, TCScore, flc_score, si_score, tc_score

SCORES = {"si": si_score, "tc": tc_score, "flc": flc_score}
INTERVALS = {
    "si": (si_article_stats, si_f1),
    "tc": (tc_article_stats, tc_f1),
    "flc": (flc_article_stats, flc_f1),
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="score predicted spans or techniques against gold labels",
        description=(
            "Score predictions with the official SemEval-2020 Task 11 measures (si, tc) or "
            "SemEval-2019's fragment-level classification (flc: spans with their "
            "techniques, partial credit only where the technique matches). GOLD and PRED "
            "are label files (e.g. train-si.labels) or folders of per-article label "
            "files (e.g. labels-si/); flc reads TC files."
        ),
    )
    parser.add_argument(
        "--task",
        choices=("si", "tc", "flc"),
        required=True,
        help="which measure: si (spans), tc (techniques of given spans), flc (full output)",
    )
    parser.add_argument("--gold", required=True, metavar="FILE", help="gold label file/folder")
    parser.add_argument("--pred", required=True, metavar="FILE", help="predicted labels")
    parser.add_argument(
        "--per-technique", action="store_true", help="TC, FLC: one line of scores per technique"
    )
    parser.add_argument(
        "--interval",
        action="store_true",
        help="add a 95%% bootstrap interval of F1 over articles (2000 resamples)",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON object")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    file_task = "si" if args.task == "si" else "tc"  # FLC rows are TC rows
    gold = read_labels(args.gold, file_task)
    pred = read_labels(args.pred, file_task)
    known = _gold_articles(Path(args.gold), file_task, gold)
    _warn_unknown_articles(known, pred)
    score = SCORES[args.task](gold, pred)
    interval = _interval(args.task, gold, pred, known) if args.interval else None
    if args.json:
        extra = {"f1_interval": interval.to_dict()} if interval else {}
        print(json.dumps({"task": args.task, **asdict(score), **extra}, indent=2))
    else:
        print(_summary(args.task, score, interval))
        if args.per_technique and isinstance(score, TCScore | FLCScore):
            print(_per_technique_table(score))
    return 0


def _interval(task: str, gold: list[LabelRow], pred: list[LabelRow], known: set[str]) -> Interval:
    """F1's bootstrap interval, resampling every article the gold or the prediction names."""
    stats, measure = INTERVALS[task]
    articles = sorted(known | {row.article_id for row in pred})
    return bootstrap(stats(gold, pred, articles), measure)


def _gold_articles(path: Path, task: str, gold: list[LabelRow]) -> set[str]:
    """Articles the gold knows: those with rows, and in a folder those with an empty file."""
    known = {row.article_id for row in gold}
    if path.is_dir():
        known.update(filter(None, (file_article_id(p) for p in label_files(path, task))))
    return known


def _warn_unknown_articles(known: set[str], pred: list[LabelRow]) -> None:
    """Rows for articles without gold rows count against precision: say so."""
    stray = [row for row in pred if row.article_id not in known]
    if stray:
        ids = sorted({row.article_id for row in stray})
        shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
        print(
            f"proplens: warning: {len(stray)} predicted rows are for {len(ids)} articles "
            f"without gold rows ({shown}); they count as wrong predictions",
            file=sys.stderr,
        )


def _summary(task: str, score: SIScore | TCScore | FLCScore, interval: Interval | None) -> str:
    line = (
        f"{task.upper()} precision={score.precision:.4f} recall={score.recall:.4f} "
        f"F1={score.f1:.4f}"
    )
    if interval:
        line += f" [{interval.low:.4f}, {interval.high:.4f}] (95% bootstrap over articles)"
    return line


def _per_technique_table(score: TCScore | FLCScore) -> str:
    if not score.per_technique:
        return "  (no rows)"
    width = max(len(name) for name in score.per_technique)
    return "\n".join(
        f"  {name:<{width}}  precision={s.precision:.4f} recall={s.recall:.4f} F1={s.f1:.4f}"
        f"  gold={s.gold:>5} predicted={s.predicted:>5}"
        for name, s in score.per_technique.items()
    )
