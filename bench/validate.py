"""A model on the confirmation split: SI, TC and FLC F1 with intervals, per technique, reliability.

    python bench/validate.py [--data ../shared/data/ptc-train] [--model DIR] [--out DIR]
                             [--resamples 2000]

The confirmation split is the 56 training articles that no model choice looks
at (``proplens.training.corpus.confirmation_ids``): neither training nor the
cross-validated choices of decoding, classifier, calibration and threshold. It
prints the same measurement ``proplens export --data`` writes into the card
(``card["confirmation"]``), made again with this runtime, as JSON: SI at the
default threshold and at others, TC micro-F1 on gold spans, FLC (the full
output: the spans shown at the default threshold with their techniques), each
with a 95% bootstrap interval over articles, TC and FLC per technique, the
median predicted and gold span lengths and the reliability table (all spans, then outer
spans and nested phrases apart, with intervals over articles). ``--summary``
prints the headline figures as lines of text after the JSON.

Measure a model here once; choosing anything on these figures would turn the
confirmation split into one more validation split (docs/model.md).

With ``--out``, it also writes gold and predicted label files so that the F1s
can be reproduced with ``proplens evaluate`` (the commands are printed).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import proplens
from proplens.formats.semeval import LabelRow, write_label_file
from proplens.training.corpus import load_training_data
from proplens.training.evaluation import measure, predictions

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ptc-train"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model", default=None, help="model folder (default: the shipped one)")
    parser.add_argument("--out", type=Path, default=None, help="write label files here")
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--summary", action="store_true", help="headline figures as text too")
    parser.add_argument(
        "--card",
        action="store_true",
        help="record the figures as the model card's confirmation (after a runtime or "
        "decoding change; proplens export writes them for a new model)",
    )
    args = parser.parse_args()
    if not (args.data / "articles").is_dir():
        sys.exit(f"no PTC-format data at {args.data}")
    model = proplens.load(args.model).model
    _, confirmation = load_training_data([args.data])
    expected = set(model.card.get("training_data", {}).get("confirmation_articles", []))
    if expected and expected != {e.id for e in confirmation}:
        sys.exit(f"{args.data}: its confirmation split is not the one this model held out")
    predicted = predictions(model, confirmation)
    report = measure(model, confirmation, args.resamples, predicted)
    if args.out:
        report["reproduce"] = write_labels(model, confirmation, predicted, args.out)
    print(json.dumps(report, indent=2))
    if args.summary:
        print(summary(report))
    if args.card:
        from proplens.pipeline.runtime import SHIPPED_DIR
        from proplens.training.export import record

        card = {key: value for key, value in report.items() if key != "reproduce"}
        record(Path(args.model) if args.model else SHIPPED_DIR, "confirmation", card)


def summary(report: dict) -> str:
    """The headline figures in four lines: SI, TC, FLC with intervals, median span lengths."""

    def figure(value: dict) -> str:
        return f"{value['value']:.3f} [{value['low']:.3f}, {value['high']:.3f}]"

    si, flc, lengths = report["si"], report["flc"], report["span_length"]
    return "\n".join(
        [
            f"{report['articles']} articles, default threshold {report['default_threshold']}",
            f"SI F1  {figure(si['si_f1'])}  P {si['si_precision']:.3f} R {si['si_recall']:.3f}",
            f"TC F1  {figure(report['tc_micro_f1'])}",
            f"FLC F1 {figure(flc['f1'])}  P {flc['precision']:.3f} R {flc['recall']:.3f}",
            f"median span length predicted / gold: {lengths['predicted_median']:.0f} / "
            f"{lengths['gold_median']:.0f} characters",
            *(
                f"share right by score, {kind} spans: "
                + ", ".join(
                    f"{r['bin']} {r['right']:.2f} [{r['low']:.2f}, {r['high']:.2f}] ({r['spans']})"
                    for r in rows
                )
                for kind, rows in report.get("reliability_by_kind", {}).items()
            ),
        ]
    )


def write_labels(model, examples: list, predicted, out: Path) -> list[str]:
    """Gold and predicted label files, and the `proplens evaluate` commands that score them."""
    out.mkdir(parents=True, exist_ok=True)
    detected, classified = predicted
    gold_tc = [LabelRow(e.id, s, end, t) for e in examples for s, end, t in e.spans]
    cut = model.default_threshold
    write_label_file(
        out / "gold-si.labels", [LabelRow(r.article_id, r.start, r.end) for r in gold_tc], "si"
    )
    write_label_file(out / "gold-tc.labels", gold_tc, "tc")
    write_label_file(
        out / "pred-si.labels",
        [LabelRow(e.id, s, end) for e, (s, end, _, score) in detected if score >= cut],
        "si",
    )
    write_label_file(out / "pred-tc.labels", classified, "tc")
    write_label_file(
        out / "pred-flc.labels",
        [LabelRow(e.id, s, end, t) for e, (s, end, t, score) in detected if score >= cut],
        "tc",
    )
    return [
        f"proplens evaluate --task si --gold {out}/gold-si.labels --pred {out}/pred-si.labels",
        f"proplens evaluate --task tc --gold {out}/gold-tc.labels "
        f"--pred {out}/pred-tc.labels --per-technique",
        f"proplens evaluate --task flc --gold {out}/gold-tc.labels "
        f"--pred {out}/pred-flc.labels --per-technique --interval",
    ]


if __name__ == "__main__":
    main()
