"""Fit the nested phrases' own calibration, cross-fitted over the confirmation articles.

    python bench/phrase_calibration.py [--data ../shared/data/ptc-train] [--folds 5] [--card]
    python bench/phrase_calibration.py --fit-model /work/fold0-model --fit-fold 0 --cv runs/cv

Nested phrases (``pipeline.nesting``) are chosen by the span calibration's
score, which was fitted on the out-of-fold spans of a decoding without phrases;
on the 56 confirmation articles the phrases scored 0.5-0.9 were right far less
often than their scores said (docs/quality.md, "Calibration"). No out-of-fold
predictions of the shipped encoder exist for other training articles, so the
rescale (:class:`proplens.pipeline.calibration.PhraseCalibration`, two numbers)
is fitted on the confirmation articles' phrases. It changes no choice: phrases
are chosen before it, and every rescaled score must stay above the default
threshold (checked here), so SI, TC and FLC at the default threshold are the
same with and without it. To say how well a rescale fitted on 56 articles
holds on new ones, each fold of articles gets the rescale fitted on the other
folds (cross-fitting); the reliability of those scores, with 95% intervals
over articles, is printed beside the raw one, with the Brier scores. The
shipped rescale is then fitted on all the phrases. ``--card`` writes it (and
the cross-fitted table) into the shipped card's ``phrase_calibration``.

With ``--fit-model``, ``--fit-fold`` and ``--cv`` the rescale is fitted
elsewhere instead: a cross-validation fold's model (``bench/fold_model.py``)
detects on the training articles it never saw (that fold's, listed in the
run's ``folds.json``), and the rescale is fitted on its phrases. Then no
number is fitted on the confirmation articles; there the report puts the raw
phrase scores beside the fold-fitted rescale and the cross-fitted one (the
default mode's), with their Brier scores and the difference of the two with
a 95% interval over articles, and gives the fold's phrases' own raw
reliability. ``--card`` then writes the fold-fitted rescale.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

import proplens
from proplens.errors import ModelError
from proplens.pipeline.calibration import (
    fit_phrases,
    is_right,
    reliability_table,
)
from proplens.training.corpus import load_training_data
from proplens.training.evaluation import nested_flags

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ptc-train"
SAME_BRIER = 0.01  # fixed before the fold fit was measured: docs/model.md, "Calibration"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model", default=None, help="model folder (default: the shipped one)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--card", action="store_true", help="write the fit into the card")
    parser.add_argument("--fit-model", type=Path, help="fit on this model's phrases (a fold's)")
    parser.add_argument("--fit-fold", type=int, help="the fold whose articles it held out")
    parser.add_argument("--cv", type=Path, help="the cross-validation folder (its folds.json)")
    args = parser.parse_args()
    held_out = _fold_articles(parser, args)  # bad fit options fail before anything is loaded
    if not (args.data / "articles").is_dir():
        sys.exit(f"no PTC-format data at {args.data}")
    if args.folds < 2:
        sys.exit("--folds must be at least 2")
    model = proplens.load(args.model).model
    model.phrase_calibration = None  # the scores the phrases were chosen by
    fold_model = None if held_out is None else _load(parser, args.fit_model)
    train, confirmation = load_training_data([args.data])
    expected = set(model.card.get("training_data", {}).get("confirmation_articles", []))
    if expected and expected != {e.id for e in confirmation}:
        sys.exit(f"{args.data}: its confirmation split is not the one this model held out")
    scores, right, articles = _phrases(model, confirmation)

    names = sorted(set(articles.tolist()))
    order = np.random.default_rng(0).permutation(len(names))
    fold_of = {names[i]: k % args.folds for k, i in enumerate(order)}
    folds = np.array([fold_of[a] for a in articles])
    crossed = np.empty_like(scores)
    for k in range(args.folds):
        held = folds == k
        crossed[held] = fit_phrases(scores[~held], right[~held]).score(scores[held])

    def table(values: np.ndarray, truth=right, where=articles) -> list[dict]:
        return reliability_table(values, truth, articles=where, resamples=args.resamples)

    raw = {"brier": _brier(scores, right), "reliability": table(scores)}
    cross_fitted = {
        "folds": args.folds,
        "brier": _brier(crossed, right),
        "reliability": table(crossed),
    }
    if held_out is None:
        final = fit_phrases(scores, right)
        shipped = final.score(scores)
        report = {
            "articles": len(confirmation),
            "phrases": len(scores),
            "right": round(float(right.mean()), 4),
            "raw": raw,
            "cross_fitted": cross_fitted,
        }
        command = "python bench/phrase_calibration.py --card"
    else:
        fold_model.phrase_calibration = None
        by_id = {e.id: e for e in train}
        missing = sorted(held_out - set(by_id))
        if missing:
            parser.error(
                f"--cv: fold {args.fit_fold} lists articles not in {args.data}: {missing[:3]}"
            )
        fit_examples = [by_id[i] for i in sorted(held_out)]
        f_scores, f_right, f_articles = _phrases(fold_model, fit_examples)
        final = fit_phrases(f_scores, f_right)
        shipped = final.score(scores)
        rescaled = final.score(f_scores)
        difference = _brier_difference(shipped, crossed, right, articles, args.resamples)
        report = {
            "fit": {
                "model": str(args.fit_model),
                "cv": str(args.cv),
                "fold": args.fit_fold,
                "articles": len(fit_examples),
                "phrases": len(f_scores),
                "right": round(float(f_right.mean()), 4) if len(f_right) else None,
                "raw": {
                    "brier": _brier(f_scores, f_right),
                    "reliability": table(f_scores, f_right, f_articles),
                },
                "rescaled_in_sample": {
                    "brier": _brier(rescaled, f_right),
                    "reliability": table(rescaled, f_right, f_articles),
                },
            },
            "articles": len(confirmation),
            "phrases": len(scores),
            "right": round(float(right.mean()), 4),
            "raw": raw,
            "fold_fitted": {"brier": _brier(shipped, right), "reliability": table(shipped)},
            "cross_fitted": cross_fitted,
            "brier_fold_minus_cross_fitted": difference,
            "fold_fit_replaces": bool(difference["value"] <= SAME_BRIER),
        }
        command = (
            f"python bench/phrase_calibration.py --fit-model {args.fit_model} "
            f"--fit-fold {args.fit_fold} --cv {args.cv} --card"
        )
    report["weight"] = round(final.weight, 4)
    report["bias"] = round(final.bias, 4)
    report["lowest_rescaled"] = round(float(shipped.min()), 4) if len(shipped) else None
    report["default_threshold"] = model.default_threshold
    print(json.dumps(report, indent=2))
    if len(shipped) and shipped.min() < model.default_threshold:
        sys.exit("a rescaled phrase would fall under the default threshold: not written")
    if args.card:
        from proplens.pipeline.runtime import SHIPPED_DIR
        from proplens.training.export import record

        fitted = {k: v for k, v in report.items() if k not in ("weight", "bias")}
        fitted["command"] = command
        entry = {"weight": report["weight"], "bias": report["bias"], "fitted": fitted}
        record(Path(args.model) if args.model else SHIPPED_DIR, "phrase_calibration", entry)


def _fold_articles(parser: argparse.ArgumentParser, args) -> set[str] | None:
    """The fit fold's held-out article ids, or None without the fit options (exit 2 if bad)."""
    given = [args.fit_model is not None, args.fit_fold is not None, args.cv is not None]
    if not any(given):
        return None
    if not all(given):
        parser.error("--fit-model, --fit-fold and --cv go together")
    if not (args.fit_model / "manifest.json").is_file():
        parser.error(f"--fit-model {args.fit_model}: not a model folder (no manifest.json)")
    folds_file = args.cv / "folds.json"
    try:
        folds = json.loads(folds_file.read_text(encoding="utf-8"))["folds"]
        held_out = {str(a) for a, fold in folds.items() if fold == args.fit_fold}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        parser.error(f"--cv {args.cv}: not a cross-validation folder (no readable folds.json)")
    if not held_out:
        parser.error(f"--fit-fold {args.fit_fold}: {folds_file} lists no article in that fold")
    from proplens.pipeline.runtime import SHIPPED_DIR

    try:  # the articles the rescale is measured on: none may be fitted on
        card = json.loads(Path(args.model or SHIPPED_DIR, "card.json").read_text(encoding="utf-8"))
        confirmation = set(card["training_data"]["confirmation_articles"])
    except (OSError, ValueError, KeyError, TypeError):
        parser.error(f"--model {args.model}: its card lists no confirmation articles")
    shared = sorted(held_out & confirmation)
    if shared:
        parser.error(f"--fit-fold {args.fit_fold} holds confirmation articles: {shared[:3]}")
    card_file = args.fit_model / "card.json"
    try:
        made_from = json.loads(card_file.read_text(encoding="utf-8")).get("fold_model") or {}
    except (OSError, ValueError, AttributeError):
        parser.error(f"--fit-model {args.fit_model}: no readable card.json")
    if made_from.get("fold", args.fit_fold) != args.fit_fold:
        parser.error(
            f"--fit-model {args.fit_model} is fold {made_from['fold']}'s, "
            f"not fold {args.fit_fold}'s"
        )
    return held_out


def _load(parser: argparse.ArgumentParser, folder: Path):
    try:
        return proplens.load(folder).model
    except ModelError as err:
        parser.error(f"--fit-model: {err}")


def _phrases(model, examples) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each nested phrase the model finds in ``examples``: its score, whether right, its article."""
    detected = [(e, found) for e in examples for found in model.detect(e.text)]
    nested = nested_flags(detected)
    phrases = [d for d, n in zip(detected, nested, strict=True) if n]
    scores = np.array([found[3] for _, found in phrases], dtype=np.float64)
    right = np.array([is_right(s, end, t, e.spans) for e, (s, end, t, _) in phrases], dtype=float)
    return scores, right, np.array([e.id for e, _ in phrases])


def _brier(scores: np.ndarray, right: np.ndarray) -> float:
    return round(float(np.mean((scores - right) ** 2)), 4) if len(scores) else float("nan")


def _brier_difference(a, b, right, articles, resamples: int) -> dict:
    """Brier(a) - Brier(b) on the same phrases, with a 95% interval over articles."""
    from proplens.intervals import bootstrap

    names = sorted(set(articles.tolist()))
    stats = np.array(
        [
            [
                ((a - right) ** 2)[articles == n].sum(),
                ((b - right) ** 2)[articles == n].sum(),
                (articles == n).sum(),
            ]
            for n in names
        ]
    )
    interval = bootstrap(stats, lambda t: (t[0] - t[1]) / t[2], resamples)
    return {k: round(getattr(interval, k), 4) for k in ("value", "low", "high")}


if __name__ == "__main__":
    main()
