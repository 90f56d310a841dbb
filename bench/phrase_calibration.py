"""Fit the nested phrases' own calibration, cross-fitted over the confirmation articles.

    python bench/phrase_calibration.py [--data ../shared/data/ptc-train] [--folds 5] [--card]

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
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

import proplens
from proplens.pipeline.calibration import fit_phrases, is_right, reliability_table
from proplens.training.corpus import load_training_data
from proplens.training.evaluation import nested_flags

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ptc-train"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model", default=None, help="model folder (default: the shipped one)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--card", action="store_true", help="write the fit into the card")
    args = parser.parse_args()
    if not (args.data / "articles").is_dir():
        sys.exit(f"no PTC-format data at {args.data}")
    if args.folds < 2:
        sys.exit("--folds must be at least 2")
    model = proplens.load(args.model).model
    model.phrase_calibration = None  # the scores the phrases were chosen by
    _, confirmation = load_training_data([args.data])
    expected = set(model.card.get("training_data", {}).get("confirmation_articles", []))
    if expected and expected != {e.id for e in confirmation}:
        sys.exit(f"{args.data}: its confirmation split is not the one this model held out")
    detected = [(e, found) for e in confirmation for found in model.detect(e.text)]
    nested = nested_flags(detected)
    phrases = [d for d, n in zip(detected, nested, strict=True) if n]
    scores = np.array([found[3] for _, found in phrases])
    right = np.array([is_right(s, end, t, e.spans) for e, (s, end, t, _) in phrases], dtype=float)
    articles = np.array([e.id for e, _ in phrases])

    names = sorted(set(articles.tolist()))
    order = np.random.default_rng(0).permutation(len(names))
    fold_of = {names[i]: k % args.folds for k, i in enumerate(order)}
    folds = np.array([fold_of[a] for a in articles])
    crossed = np.empty_like(scores)
    for k in range(args.folds):
        held = folds == k
        crossed[held] = fit_phrases(scores[~held], right[~held]).score(scores[held])
    final = fit_phrases(scores, right)
    shipped = final.score(scores)

    def table(values: np.ndarray) -> list[dict]:
        return reliability_table(values, right, articles=articles, resamples=args.resamples)

    report = {
        "articles": len(confirmation),
        "phrases": len(phrases),
        "right": round(float(right.mean()), 4),
        "raw": {"brier": _brier(scores, right), "reliability": table(scores)},
        "cross_fitted": {
            "folds": args.folds,
            "brier": _brier(crossed, right),
            "reliability": table(crossed),
        },
        "weight": round(final.weight, 4),
        "bias": round(final.bias, 4),
        "lowest_rescaled": round(float(shipped.min()), 4) if len(shipped) else None,
        "default_threshold": model.default_threshold,
    }
    print(json.dumps(report, indent=2))
    if len(shipped) and shipped.min() < model.default_threshold:
        sys.exit("a rescaled phrase would fall under the default threshold: not written")
    if args.card:
        from proplens.pipeline.runtime import SHIPPED_DIR
        from proplens.training.export import record

        fitted = {k: v for k, v in report.items() if k not in ("weight", "bias")}
        fitted["command"] = "python bench/phrase_calibration.py --card"
        entry = {"weight": report["weight"], "bias": report["bias"], "fitted": fitted}
        record(Path(args.model) if args.model else SHIPPED_DIR, "phrase_calibration", entry)


def _brier(scores: np.ndarray, right: np.ndarray) -> float:
    return round(float(np.mean((scores - right) ** 2)), 4) if len(scores) else float("nan")


if __name__ == "__main__":
    main()
