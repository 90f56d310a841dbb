"""Convert a model folder's encoder to 7-bit weights and measure how far its states move.

    python bench/seven_bit.py OUT_DIR [--model DIR] [--data DIR] [--articles 40]
    python bench/seven_bit.py OTHER_DIR --compare [--model DIR] ...   # no conversion

Copies the model folder (default: the shipped one) to ``OUT_DIR``, rewrites
its encoder's 8-bit weights as 7-bit int8 (``quantize.seven_bit_weights``:
per column the 7-bit grid closest to the 8-bit values, so onnxruntime runs
its u8s8 kernel, exact on every CPU with |q| <= 63), re-signs the manifest
(``export.resign``) and loads it as proplens would. Then reads the windows
of the first ``--articles`` news articles, exactly as the detector cuts and
groups them, with both encoders and prints, as JSON, the mean and largest
absolute difference of their hidden states (real positions only) and the
weights' own error. ``bench/int8_exact.py OLD NEW`` checks exactness and
times the two encoders alone; ``bench/speed_interleaved.py`` and
``bench/validate.py --model OUT_DIR`` measure the rest (docs/model.md, "7-bit
weights for the shipped encoder": tried, not shipped). Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
ENCODER = "encoder.int8.onnx"
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "news-unlabeled"


def weight_error(before, after) -> dict:
    """Mean and largest |real weight difference| relative to each column's largest weight."""
    from onnx import numpy_helper

    def real(model) -> dict[str, np.ndarray]:
        values = {w.name: w for w in model.graph.initializer}
        out = {}
        for node in model.graph.node:
            if node.op_type != "MatMulIntegerToFloat":
                continue
            w = numpy_helper.to_array(values[node.input[1]]).astype(np.float64)
            zero = node.input[5] if len(node.input) > 5 else ""
            if zero:
                w -= numpy_helper.to_array(values[zero]).astype(np.float64)
            out[node.output[0]] = w * numpy_helper.to_array(values[node.input[3]])
        return out

    old, new = real(before), real(after)
    relative = [np.abs(new[k] - old[k]) / np.abs(old[k]).max(axis=0).clip(1e-12) for k in old]
    return {
        "mean_relative_to_column_max": float(np.mean([r.mean() for r in relative])),
        "max_relative_to_column_max": float(max(r.max() for r in relative)),
    }


def state_difference(old, new, paths: list[Path]) -> dict:
    """Mean and largest |difference| of two models' hidden states on the windows of ``paths``.

    The windows and calls are those ``old`` cuts (both models cut alike); only
    real positions count, not padding.
    """
    calls = []
    encode = old.encode

    def recording(input_ids, attention_mask):
        hidden = encode(input_ids, attention_mask)
        calls.append((input_ids, attention_mask, hidden))
        return hidden

    old.encode = recording
    try:
        for path in paths:
            old.states(path.read_text(encoding="utf-8"))
    finally:
        del old.encode
    sums, count, worst = 0.0, 0, 0.0
    for ids, mask, want in calls:
        got = new.encode(ids, mask)
        real = mask.astype(bool)
        difference = np.abs(got[real].astype(np.float64) - want[real])
        sums += float(difference.sum())
        count += difference.size
        worst = max(worst, float(difference.max()))
    return {
        "articles": len(paths),
        "calls": len(calls),
        "windows": sum(len(ids) for ids, _, _ in calls),
        "mean_abs_difference": sums / count,
        "max_abs_difference": worst,
        "largest_state": max(float(np.abs(h[m.astype(bool)]).max()) for _, m, h in calls),
    }


def main() -> None:
    import onnx

    from proplens.pipeline.runtime import SHIPPED_DIR, Model
    from proplens.training.export import resign
    from proplens.training.quantize import seven_bit_weights

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="new model folder (must not exist)")
    parser.add_argument(
        "--compare", action="store_true", help="OUT_DIR exists: only compare it with --model"
    )
    parser.add_argument("--model", type=Path, default=SHIPPED_DIR)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--articles", type=int, default=40)
    args = parser.parse_args()
    if args.out.exists() != args.compare:
        if args.compare:
            sys.exit(f"seven_bit: {args.out}: no such model folder")
        sys.exit(f"seven_bit: {args.out} exists; give a new folder")
    if args.articles < 0:
        parser.error("--articles must be at least 0")
    paths = sorted(args.data.glob("*.txt"))[: args.articles]
    if args.articles and not paths:
        sys.exit(f"seven_bit: no .txt articles in {args.data}")
    old = Model.load(args.model)
    if args.compare:
        before = onnx.load(str(args.model / old.card["runtime"].get("encoder", ENCODER)))
        graph = onnx.load(str(args.out / old.card["runtime"].get("encoder", ENCODER)))
        report = {"weights": weight_error(before, graph)}
        if paths:
            report["hidden_states"] = state_difference(old, Model.load(args.out), paths)
        print(json.dumps(report, indent=2))
        return
    shutil.copytree(args.model, args.out)
    encoder = args.out / old.card["runtime"].get("encoder", ENCODER)
    graph = onnx.load(str(encoder))
    before = onnx.load(str(encoder))
    converted = seven_bit_weights(graph)
    onnx.checker.check_model(graph)
    onnx.save(graph, str(encoder))
    resign(args.out)
    new = Model.load(args.out)
    report = {"weights_converted": converted, "weights": weight_error(before, graph)}
    if paths:
        report["hidden_states"] = state_difference(old, new, paths)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
