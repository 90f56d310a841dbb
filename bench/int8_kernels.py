"""Which of onnxruntime's int8 matrix kernels compute exact products on this CPU, and how fast.

    python bench/int8_kernels.py [--rows 1024] [--inner 384] [--cols 1536] [--repeats 10]

proplens' encoder multiplies uint8 activations by 8-bit weights stored as
uint8 around 128 (``MatMulIntegerToFloat`` with a weight zero point, u8u8;
``proplens.training.quantize``). The u8s8 kernel (int8 weights) is not exact
everywhere: on x86 CPUs without VNNI it adds two neighbouring products into a
saturating int16 (``vpmaddubsw``), so full-range weights (-127..127) give wrong
sums while 7-bit weights (-63..63) always fit. This prints, for each case,
whether onnxruntime's result equals the exact integer product and the time of
one product of the encoder's feed-forward size (8 windows of 128 tokens), so a
new CPU or onnxruntime release can be checked in seconds (docs/model.md, "Why
unsigned 8-bit weights"). ``bench/int8_exact.py`` checks a whole encoder.
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

# name, activation type, weight type, activation zero point, weight zero point, |weight| bound
CASES = [
    ("u8s8, weights -127..127", np.uint8, np.int8, 128, None, 127),
    ("u8s8, weights -63..63", np.uint8, np.int8, 128, None, 63),
    ("u8u8, weights 1..255 (proplens)", np.uint8, np.uint8, 128, 128, 127),
    ("s8s8, weights -127..127", np.int8, np.int8, 0, None, 127),
]
ONNX_TYPE = {np.uint8: TensorProto.UINT8, np.int8: TensorProto.INT8}


def product_model(a_type, b_type, a_zero, b_zero, weights: np.ndarray) -> bytes:
    """One MatMulIntegerToFloat with unit scales: its output is the integer product."""
    rows_cols = ["rows", weights.shape[1]]
    inits = [
        numpy_helper.from_array(weights, "B"),
        numpy_helper.from_array(np.float32(1), "a_scale"),
        numpy_helper.from_array(np.ones(weights.shape[1], np.float32), "b_scale"),
        numpy_helper.from_array(np.array(a_zero, a_type), "a_zero"),
    ]
    inputs = ["A", "B", "a_scale", "b_scale", "a_zero"]
    if b_zero is not None:
        inits.append(numpy_helper.from_array(np.array(b_zero, b_type), "b_zero"))
        inputs.append("b_zero")
    node = helper.make_node("MatMulIntegerToFloat", inputs, ["Y"], domain="com.microsoft")
    graph = helper.make_graph(
        [node],
        "product",
        [helper.make_tensor_value_info("A", ONNX_TYPE[a_type], ["rows", weights.shape[0]])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, rows_cols)],
        inits,
    )
    opsets = [helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
    model = helper.make_model(graph, opset_imports=opsets)
    model.ir_version = 8  # loadable by every onnxruntime the project allows
    return model.SerializeToString()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1024)
    parser.add_argument("--inner", type=int, default=384)
    parser.add_argument("--cols", type=int, default=1536)
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    if min(args.rows, args.inner, args.cols, args.repeats) < 1:
        parser.error("sizes and --repeats must be at least 1")
    print(f"onnxruntime {ort.__version__}, {platform.machine()}, {platform.processor() or '?'}")
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    rng = np.random.default_rng(0)
    for name, a_type, b_type, a_zero, b_zero, bound in CASES:
        centred = rng.integers(-bound, bound + 1, size=(args.inner, args.cols))
        weights = (centred + (b_zero or 0)).astype(b_type)
        low = 1 if a_type == np.uint8 else -127  # symmetric around the zero point
        acts = rng.integers(low, low + 255, size=(args.rows, args.inner)).astype(a_type)
        session = ort.InferenceSession(
            product_model(a_type, b_type, a_zero, b_zero, weights),
            options,
            providers=["CPUExecutionProvider"],
        )
        got = session.run(None, {"A": acts})[0]
        exact = (acts.astype(np.int64) - a_zero) @ centred
        error = float(np.abs(got - exact).max() / np.abs(exact).max())
        start = time.perf_counter()
        for _ in range(args.repeats):
            session.run(None, {"A": acts})
        ms = 1000 * (time.perf_counter() - start) / args.repeats
        verdict = "exact" if error == 0 else f"WRONG (max error {error:.3f} of the largest sum)"
        print(f"{name:34s} {ms:7.1f} ms  {verdict}")


if __name__ == "__main__":
    main()
