"""Compare training recipes and decoding/classifier choices on out-of-fold predictions.

    python bench/crossval_report.py CV_DIR[:VARIANT] [CV_DIR[:VARIANT] ...]
                                    [--data ../shared/data/ptc-train] [--folds 0,1]
                                    [--resamples 2000] [--json FILE]

Each argument is a cross-validation folder written by ``proplens train --folds``
and the variant of its predictions (``avg``, or ``e4``/``e5``/``e6`` after that
epoch; default ``avg``). For each it prints, over the same out-of-fold articles:

* SI F1, cross-fitted (the decoding chosen on the other folds), for decoding
  families: the 0.1.0 rule (threshold and merge gap only), + dropping spans
  without a content word, + trimming dangling words, + hysteresis;
* TC micro-F1 of the technique head alone and of the stacked classifier (head +
  article cues + word model), its settings chosen by inner cross-validation;

each with a 95% bootstrap interval over articles, and the paired difference
from the first recipe given (same articles resampled for both). ``--folds``
restricts all recipes to the folds they share. This is the model-selection log
of docs/model.md; nothing here looks at the confirmation split.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from proplens.intervals import bootstrap, paired_difference, si_f1, tc_f1
from proplens.pipeline.classifier import stack_features
from proplens.training import crossval, selection
from proplens.training.corpus import load_training_data

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ptc-train"

FAMILIES = {
    "0.1.0 rule": lambda d: (
        not d.content_only and not d.trim_dangling and d.extend_threshold is None
    ),
    "+ content words": lambda d: (
        d.content_only and not d.trim_dangling and d.extend_threshold is None
    ),
    "+ dangling trimmed": lambda d: (
        d.content_only and d.trim_dangling and d.extend_threshold is None
    ),
    "+ hysteresis": lambda d: d.content_only and d.trim_dangling,
}


def grid() -> list:
    found = []
    for trim in (False, True):
        for decoding in selection.decoding_grid(trim_dangling=(trim,)):
            found.append(decoding)
            if not trim and decoding.extend_threshold is None:
                from dataclasses import replace

                found.append(replace(decoding, content_only=False))
    return found


def measure(folder: Path, variant: str, train, folds, resamples: int) -> dict:
    oof = [o for o in crossval.load(folder, variant, train) if folds is None or o.fold in folds]
    oof.sort(key=lambda o: o.example.id)
    stats = selection.grid_stats(oof, grid())
    si = {}
    for name, keep in FAMILIES.items():
        family = selection.restrict(stats, keep)
        per_article, chosen = selection.cross_fitted(family)
        si[name] = (per_article, family.settings[selection.best_setting(family)])
    heads = crossval.fold_heads(folder, variant)
    table = selection.span_table(oof, heads)
    tc = {"head only": selection.tc_stats(table, table.head)}
    if len({o.fold for o in oof}) > 1:  # the stacker is fitted on the other folds
        lexical = selection.lexical_out_of_fold(table)
        features = stack_features(table.head, table.cues, lexical)
        probs, _ = selection.stacked_out_of_fold(table, features, selection.STACK_SETTINGS)
        tc["stacked"] = selection.tc_stats(table, probs)
    return {"si": si, "tc": tc, "articles": len(oof)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", help="CV_DIR[:VARIANT]")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--folds", help="comma-separated folds to use (default: all)")
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    if not (args.data / "articles").is_dir():
        sys.exit(f"no PTC-format data at {args.data}")
    train, _ = load_training_data([args.data])
    folds = None if args.folds is None else {int(f) for f in args.folds.split(",")}
    results, out = {}, {}
    for run in args.runs:
        folder, _, variant = run.partition(":")
        results[run] = measure(Path(folder), variant or "avg", train, folds, args.resamples)
    first = args.runs[0]
    for run, result in results.items():
        print(f"\n{run}  ({result['articles']} out-of-fold articles)")
        out[run] = {"articles": result["articles"], "si": {}, "tc": {}}
        for name, (stats, setting) in result["si"].items():
            interval = bootstrap(stats, si_f1, args.resamples)
            line = f"  SI {name:20s} {interval}"
            row = {"f1": interval.to_dict(), "setting_on_all_folds": setting.__dict__}
            if run != first:
                diff = paired_difference(
                    results[first]["si"][name][0], stats, si_f1, args.resamples
                )
                line += f"   vs {first}: {diff.value:+.4f} [{diff.low:+.4f}, {diff.high:+.4f}]"
                row["difference"] = diff.to_dict()
            print(line)
            out[run]["si"][name] = row
        base = result["si"]["0.1.0 rule"][0]
        for name in list(FAMILIES)[1:]:
            diff = paired_difference(base, result["si"][name][0], si_f1, args.resamples)
            print(
                f"  SI {name:20s} vs 0.1.0 rule: "
                f"{diff.value:+.4f} [{diff.low:+.4f}, {diff.high:+.4f}]"
            )
        for name, stats in result["tc"].items():
            interval = bootstrap(stats, tc_f1, args.resamples)
            line = f"  TC {name:20s} {interval}"
            row = {"f1": interval.to_dict()}
            if run != first and name in results[first]["tc"]:
                diff = paired_difference(results[first]["tc"][name], stats, tc_f1, args.resamples)
                line += f"   vs {first}: {diff.value:+.4f} [{diff.low:+.4f}, {diff.high:+.4f}]"
                row["difference"] = diff.to_dict()
            print(line)
            out[run]["tc"][name] = row
        if "stacked" in result["tc"]:
            diff = paired_difference(
                result["tc"]["head only"], result["tc"]["stacked"], tc_f1, args.resamples
            )
            print(
                f"  TC stacked vs head only: {diff.value:+.4f} [{diff.low:+.4f}, {diff.high:+.4f}]"
            )
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, default=float) + "\n")


if __name__ == "__main__":
    main()
