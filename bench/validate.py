"""The shipped model on the fixed validation split: SI and TC F1 (overall and per technique),
the calibration tables, and precision/recall at several score thresholds, as JSON.

    python bench/validate.py [--data ../shared/data/ptc-train] [--model DIR] [--out DIR]

With ``--out``, it also writes gold and predicted label files so that the same
figures can be reproduced with ``proplens evaluate`` (the commands are printed).

Two reliability tables: ``reliability_cross_fitted`` is the one the README,
docs/model.md and the model card show (each half of the validation articles
scored by a calibration fitted on the other half, as ``proplens export`` does);
``reliability_in_sample`` bins the scores users see, from the shipped
calibration, which was fitted on all of these articles and so looks better
than it will on new ones.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

import proplens
from proplens.formats.semeval import LabelRow, write_label_file
from proplens.model import validation
from proplens.model.calibration import is_right, reliability_table
from proplens.model.corpus import load_examples, validation_ids
from proplens.scoring import si_score, tc_score

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ptc-train"
THRESHOLDS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model", default=None)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if not (args.data / "articles").is_dir():
        sys.exit(f"no PTC-format data at {args.data}")
    print(json.dumps(build_report(args.data, args.model, args.out), indent=2))


def validation_examples(data: Path) -> list:
    examples = load_examples(data)
    val_ids = validation_ids([e.id for e in examples])
    return [e for e in examples if e.id in val_ids]


def cross_fitted_reliability(analyzer, val: list) -> list[dict]:
    """The reliability table of the model card, measured again with this runtime."""
    states = [analyzer.model.states(e.text) for e in val]
    _, table, _ = validation.calibrate(
        analyzer.model.heads, val, states, analyzer.model.card["decoding"]
    )
    return table


def build_report(data: Path, model: str | None = None, out: Path | None = None) -> dict:
    analyzer = proplens.load(model, threshold=0.0)
    default = analyzer.model.default_threshold
    val = validation_examples(data)

    gold_tc = [LabelRow(e.id, s, t_end, t) for e in val for s, t_end, t in e.spans]
    gold_si = [LabelRow(r.article_id, r.start, r.end) for r in gold_tc]
    detected, classified = [], []
    for e in val:
        article = proplens.Article.from_text(e.text, id=e.id)
        detected += [(e, s) for s in analyzer.analyze(article).spans]
        spans = [proplens.Span(s, end) for s, end, _ in e.spans]
        classified += [
            LabelRow(e.id, s.start, s.end, s.technique)
            for s in (analyzer.classify(article, spans) if spans else [])
        ]

    by_threshold = []
    for cut in THRESHOLDS:
        rows = [LabelRow(e.id, s.start, s.end) for e, s in detected if s.score >= cut]
        si = si_score(gold_si, rows)
        by_threshold.append(
            {
                "threshold": cut,
                "spans": len(rows),
                "si_precision": round(si.precision, 4),
                "si_recall": round(si.recall, 4),
                "si_f1": round(si.f1, 4),
            }
        )
    scores = np.array([s.score for _, s in detected])
    right = np.array([is_right(s.start, s.end, s.technique, e.spans) for e, s in detected])
    tc = tc_score(gold_tc, classified)
    report = {
        "validation_articles": len(val),
        "gold_spans": len(gold_tc),
        "default_threshold": default,
        "si": next(row for row in by_threshold if row["threshold"] == default),
        "tc": {
            "micro_f1": round(tc.f1, 4),
            "per_technique": {
                name: {
                    "precision": round(t.precision, 4),
                    "recall": round(t.recall, 4),
                    "f1": round(t.f1, 4),
                    "gold": t.gold,
                }
                for name, t in tc.per_technique.items()
            },
        },
        "si_by_threshold": by_threshold,
        "reliability_cross_fitted": cross_fitted_reliability(analyzer, val),
        "reliability_in_sample": reliability_table(scores, right),
    }
    if out:
        _write_labels(report, out, gold_si, gold_tc, detected, classified, default)
    return report


def _write_labels(report, out, gold_si, gold_tc, detected, classified, default) -> None:
    """Label files for `proplens evaluate`, and the commands that reproduce the F1s with them."""
    out.mkdir(parents=True, exist_ok=True)
    write_label_file(out / "gold-si.labels", gold_si, "si")
    write_label_file(out / "gold-tc.labels", gold_tc, "tc")
    write_label_file(
        out / "pred-si.labels",
        [LabelRow(e.id, s.start, s.end) for e, s in detected if s.score >= default],
        "si",
    )
    write_label_file(out / "pred-tc.labels", classified, "tc")
    report["reproduce"] = [
        f"proplens evaluate --task si --gold {out}/gold-si.labels --pred {out}/pred-si.labels",
        f"proplens evaluate --task tc --gold {out}/gold-tc.labels "
        f"--pred {out}/pred-tc.labels --per-technique",
    ]


if __name__ == "__main__":
    main()
