"""``proplens evaluate``: score a prediction file against gold labels, as SemEval-2020 did."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from proplens.formats.semeval import LabelRow, file_article_id, label_files, read_labels
from proplens.scoring import SIScore, TCScore, si_score, tc_score


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="score predicted spans or techniques against gold labels",
        description=(
            "Score predictions with the official SemEval-2020 Task 11 measures. GOLD and "
            "PRED are label files (e.g. train-si.labels) or folders of per-article label "
            "files (e.g. labels-si/)."
        ),
    )
    parser.add_argument("--task", choices=("si", "tc"), required=True, help="which task")
    parser.add_argument("--gold", required=True, metavar="FILE", help="gold label file/folder")
    parser.add_argument("--pred", required=True, metavar="FILE", help="predicted labels")
    parser.add_argument(
        "--per-technique", action="store_true", help="TC: one line of scores per technique"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON object")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    gold = read_labels(args.gold, args.task)
    pred = read_labels(args.pred, args.task)
    _warn_unknown_articles(_gold_articles(Path(args.gold), args.task, gold), pred)
    score = si_score(gold, pred) if args.task == "si" else tc_score(gold, pred)
    if args.json:
        print(json.dumps({"task": args.task, **asdict(score)}, indent=2))
    else:
        print(_summary(args.task, score))
        if args.per_technique and isinstance(score, TCScore):
            print(_per_technique_table(score))
    return 0


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


def _summary(task: str, score: SIScore | TCScore) -> str:
    return (
        f"{task.upper()} precision={score.precision:.4f} recall={score.recall:.4f} "
        f"F1={score.f1:.4f}"
    )


def _per_technique_table(score: TCScore) -> str:
    if not score.per_technique:
        return "  (no rows)"
    width = max(len(name) for name in score.per_technique)
    return "\n".join(
        f"  {name:<{width}}  precision={s.precision:.4f} recall={s.recall:.4f} F1={s.f1:.4f}"
        f"  gold={s.gold:>5} predicted={s.predicted:>5}"
        for name, s in score.per_technique.items()
    )
