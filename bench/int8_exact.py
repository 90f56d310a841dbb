"""Does an int8 encoder compute its exact integer products on this CPU, and how fast is it?

    python bench/int8_exact.py ENCODER.onnx [OTHER.onnx ...] [--model DIR] [--data DIR]
        [--windows 20] [--rounds 6]

For each encoder file: the largest difference of its hidden states from the
same graph with every integer product done exactly (``quantize.integer_reference``,
float64) on ``--windows`` windows of real articles (the first 254 word pieces
of each, the shipped tokenizer), relative to the largest state; then the
encoder's time on those windows, 8 per call, the files taking turns for
``--rounds`` rounds (the one going first alternating) so that this machine's
drift falls on all of them alike. Prints JSON; asserts nothing (docs/model.md,
"Why unsigned 8-bit weights").
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "news-unlabeled"
PER_CALL = 8


def windows(model, data: Path, count: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Calls of up to ``PER_CALL`` windows: [CLS] + first 254 pieces + [SEP], padded."""
    rows = []
    for path in sorted(data.glob("*.txt"))[:count]:
        ids = model.pieces.tokenize(path.read_text(encoding="utf-8")).ids[:254]
        rows.append(np.concatenate([[model.pieces.cls_id], ids, [model.pieces.sep_id]]))
    calls = []
    for first in range(0, len(rows), PER_CALL):
        part = rows[first : first + PER_CALL]
        width = max(len(r) for r in part)
        ids = np.zeros((len(part), width), np.int64)
        mask = np.zeros_like(ids)
        for i, row in enumerate(part):
            ids[i, : len(row)], mask[i, : len(row)] = row, 1
        calls.append((ids, mask))
    return calls


def session(model_bytes: bytes):
    import onnxruntime as ort

    from proplens.pipeline.runtime import session_options

    return ort.InferenceSession(
        model_bytes, session_options(ort), providers=["CPUExecutionProvider"]
    )


def states(sess, calls) -> list[np.ndarray]:
    return [
        sess.run(["hidden"], {"input_ids": ids, "attention_mask": mask})[0] for ids, mask in calls
    ]


def main() -> None:
    import onnx
    import onnxruntime as ort

    from proplens.pipeline.runtime import Model
    from proplens.training.quantize import integer_reference

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("encoders", nargs="+", type=Path)
    parser.add_argument("--model", type=Path, default=None, help="tokenizer from (default shipped)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--windows", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    missing = [str(p) for p in [*args.encoders, args.data] if not p.exists()]
    if missing:
        sys.exit(f"int8_exact: not found: {', '.join(missing)}")
    if args.windows < 1 or args.rounds < 1:
        parser.error("--windows and --rounds must be at least 1")
    model = Model.load(args.model)
    calls = windows(model, args.data, args.windows)
    if not calls:
        sys.exit(f"int8_exact: {args.data}: no .txt articles")
    report = {
        "onnxruntime": ort.__version__,
        "cpu": platform.processor() or platform.machine(),
        "windows": sum(len(ids) for ids, _ in calls),
        "encoders": {},
    }
    sessions = {}
    for path in args.encoders:
        graph = onnx.load(str(path))
        sessions[str(path)] = session(graph.SerializeToString())
        integer_reference(graph)
        got = states(sessions[str(path)], calls)
        want = states(session(graph.SerializeToString()), calls)
        scale = max(float(np.abs(w).max()) for w in want)
        worst = max(float(np.abs(g - w).max()) for g, w in zip(got, want, strict=True))
        report["encoders"][str(path)] = {
            "max_abs_difference_from_exact": worst,
            "relative_to_largest_state": worst / scale,
            "seconds": 0.0,
        }
    names = list(sessions)
    for name in names:
        states(sessions[name], calls[:1])  # warm-up
    for turn in range(args.rounds):
        for name in names if turn % 2 == 0 else names[::-1]:
            started = time.perf_counter()
            states(sessions[name], calls)
            report["encoders"][name]["seconds"] += time.perf_counter() - started
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
