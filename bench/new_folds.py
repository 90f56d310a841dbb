"""Check a model's choices on cross-validation folds trained after they were made.

    python bench/new_folds.py CV_DIR --model MODEL_DIR --folds 3 4
                              [--data ../shared/data/ptc-train] [--resamples 2000]

``MODEL_DIR`` is an exported model whose decoding and technique classifier were
chosen on some folds of ``CV_DIR``; ``--folds`` names folds trained afterwards,
whose articles none of those choices saw. On those articles it prints, paired
(the same resampled articles for both sides):

* SI F1 of the model's decoding, and of the decoding chosen on all other folds;
* TC micro-F1 of the fold's technique head alone, of the model's classifier, and
  of a classifier fitted on all other folds (cross-fitted as ``proplens export``
  fits it).

This is how Detector II's three-fold choices were checked on folds 3 and 4 (the
model before that check is commit d375d27's ``src/proplens/pipeline/shipped``;
docs/model.md, "Three folds, then five"). Nothing here reads the confirmation split.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from proplens.intervals import bootstrap, paired_difference, si_f1, tc_f1
from proplens.pipeline.classifier import TechniqueClassifier, stack_features
from proplens.pipeline.decode import Decoding
from proplens.training import crossval, selection
from proplens.training.corpus import load_training_data

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ptc-train"


def si_rows(oof, model_decoding: Decoding, new: np.ndarray, resamples: int) -> list[str]:
    grid = selection.grid_stats(oof, selection.decoding_grid())
    if model_decoding not in grid.settings:
        sys.exit(f"the model's decoding {model_decoding} is not in the selection grid")
    model_stats = grid.stats[grid.settings.index(model_decoding)][new]
    refit_stats, per_fold = selection.cross_fitted(grid)
    refit_stats = refit_stats[new]
    return [
        f"SI, the model's decoding        {bootstrap(model_stats, si_f1, resamples)}",
        f"SI, chosen on the other folds   {bootstrap(refit_stats, si_f1, resamples)}"
        f"   difference {paired_difference(model_stats, refit_stats, si_f1, resamples)}",
    ]


def tc_rows(oof, heads, classifier: TechniqueClassifier, folds, resamples: int) -> list[str]:
    table = selection.span_table(oof, heads)
    features = stack_features(table.head, table.cues, selection.lexical_out_of_fold(table))
    refit, _ = selection.stacked_out_of_fold(table, features, selection.STACK_SETTINGS)
    words = classifier.lexical.log_probs(table.fragments)
    model = classifier.stacked.probs(stack_features(table.head, table.cues, words))
    keep = np.isin(table.folds, folds)
    sub = table.subset(keep)
    head = selection.tc_stats(sub, table.head[keep])
    mine = selection.tc_stats(sub, model[keep])
    other = selection.tc_stats(sub, refit[keep])
    return [
        f"TC, technique head alone        {bootstrap(head, tc_f1, resamples)}",
        f"TC, the model's classifier      {bootstrap(mine, tc_f1, resamples)}"
        f"   vs the head {paired_difference(head, mine, tc_f1, resamples)}",
        f"TC, fitted on the other folds   {bootstrap(other, tc_f1, resamples)}"
        f"   difference {paired_difference(mine, other, tc_f1, resamples)}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cv", type=Path, help="cross-validation folder (proplens train --folds)")
    parser.add_argument("--model", type=Path, required=True, help="exported model folder")
    parser.add_argument("--folds", type=int, nargs="+", required=True)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--resamples", type=int, default=2000)
    args = parser.parse_args()
    card_file = args.model / "card.json"
    if not card_file.exists():
        sys.exit(f"{args.model}: not a model folder (no card.json)")
    card = json.loads(card_file.read_text(encoding="utf-8"))
    classifier = TechniqueClassifier.load(args.model)
    if classifier is None:
        sys.exit(f"{args.model}: the model has no technique classifier to check")
    train, _ = load_training_data([args.data])
    oof = crossval.load(args.cv, "avg", train)
    heads = crossval.fold_heads(args.cv, "avg")
    missing = sorted(set(args.folds) - {item.fold for item in oof})
    if missing:
        sys.exit(f"{args.cv}: fold(s) {missing} are not finished")
    new = np.array([item.fold in args.folds for item in oof])
    print(f"{int(new.sum())} articles of folds {args.folds}; {len(oof)} out-of-fold in all")
    for line in si_rows(oof, Decoding(**card["decoding"]), new, args.resamples):
        print(line)
    for line in tc_rows(oof, heads, classifier, args.folds, args.resamples):
        print(line)


if __name__ == "__main__":
    main()
