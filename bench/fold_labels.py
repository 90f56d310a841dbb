"""Label files of out-of-fold articles, each fold's articles read by that fold's model.

    python bench/fold_labels.py OUT_DIR --cv /work/runs/cv \
        --model 0=/work/fold0-model --model 1=/work/fold1-model [--data ../shared/data/ptc-train]
    python bench/paired_labels.py OUT_A OUT_B        # two such folders, paired

``bench/paired_labels.py`` pairs two models' label files on the same articles;
``bench/validate.py`` writes them for the confirmation split, which a choice
must not look at. This writes the same files (gold and predicted SI, TC on
gold spans, FLC at the model's default threshold) for the training articles
that cross-validation held out: for each ``FOLD=MODEL_DIR``, the articles of
that fold (``folds.json``) read by a model whose encoder and heads never saw
them (``bench/fold_model.py`` builds one; its card names its fold, which must
match). Two such folders, one per encoder variant, give a paired comparison
on out-of-fold articles without touching the confirmation split
(docs/model.md, "7-bit weights exported from fp32"). Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ptc-train"


def fold_models(specs: list[str]) -> dict[int, Path]:
    """``["0=DIR", ...]`` -> {fold: model folder}; exits with a message on a bad one."""
    models: dict[int, Path] = {}
    for spec in specs:
        fold, sep, folder = spec.partition("=")
        if not sep or not fold.isdigit() or not folder:
            sys.exit(f"fold_labels: --model {spec!r} is not FOLD=MODEL_DIR")
        if int(fold) in models:
            sys.exit(f"fold_labels: fold {fold} is given twice")
        models[int(fold)] = Path(folder)
    return models


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the label files")
    parser.add_argument("--cv", type=Path, required=True, help="cross-validation folder")
    parser.add_argument("--model", action="append", required=True, metavar="FOLD=DIR")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    models = fold_models(args.model)
    folds_file = args.cv / "folds.json"
    if not folds_file.exists():
        sys.exit(f"fold_labels: {args.cv}: not a cross-validation folder (no folds.json)")
    if not (args.data / "articles").is_dir():
        sys.exit(f"fold_labels: no PTC-format data at {args.data}")
    folds = json.loads(folds_file.read_text(encoding="utf-8"))["folds"]

    import proplens
    from proplens.formats.semeval import LabelRow, write_label_file
    from proplens.training.corpus import load_training_data
    from proplens.training.evaluation import predictions

    training, _ = load_training_data([args.data])  # the confirmation split is not read
    gold, pred_si, pred_tc, pred_flc, counts = [], [], [], [], {}
    for fold, folder in sorted(models.items()):
        model = proplens.load(folder).model
        named = (model.card.get("fold_model") or {}).get("fold")
        if named != fold:
            sys.exit(f"fold_labels: {folder}: its card names fold {named}, not {fold}")
        examples = [e for e in training if folds.get(e.id) == fold]
        if not examples:
            sys.exit(f"fold_labels: no training article is in fold {fold} of {args.cv}")
        detected, classified = predictions(model, examples)
        cut = model.default_threshold
        gold += [LabelRow(e.id, s, end, t) for e in examples for s, end, t in e.spans]
        shown = [(e, found) for e, found in detected if found[3] >= cut]
        pred_si += [LabelRow(e.id, s, end) for e, (s, end, _, _) in shown]
        pred_flc += [LabelRow(e.id, s, end, t) for e, (s, end, t, _) in shown]
        pred_tc += classified
        counts[fold] = {"model": str(folder), "articles": len(examples), "shown": len(shown)}
        print(f"fold {fold}: {len(examples)} articles, {len(shown)} spans shown", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    write_label_file(
        args.out / "gold-si.labels", [LabelRow(r.article_id, r.start, r.end) for r in gold], "si"
    )
    write_label_file(args.out / "gold-tc.labels", gold, "tc")
    write_label_file(args.out / "pred-si.labels", pred_si, "si")
    write_label_file(args.out / "pred-tc.labels", pred_tc, "tc")
    write_label_file(args.out / "pred-flc.labels", pred_flc, "tc")
    print(json.dumps({"out": str(args.out), "folds": counts}, indent=2))


if __name__ == "__main__":
    main()
