"""Int8 encoder whose activations are quantized per token.

onnxruntime's dynamic quantization scales each MatMul input with one factor
for the whole tensor: every token of a window. Change one word and the
factor moves, so every other token of the window is rounded differently, and
spans far from the edit appear or vanish (docs/model.md, "Neutrality"). Here
each token gets its own factor, so a token's quantized activations depend on
that token alone; what still moves is what attention carries, as in fp32.

Weights are symmetric per output column in 7 bits (-63..63, stored as int8);
activations symmetric per row, stored as uint8 around a zero point of 128 so
that onnxruntime runs its fast u8s8 kernel (``MatMulIntegerToFloat``). The
seventh bit is not thrift: on x86 CPUs without VNNI (AVX2, AVX-512 before
Cascade Lake, AMD before Zen 4) that kernel multiplies with ``vpmaddubsw``,
which adds the products of two neighbouring bytes into a saturating int16.
With full-range weights, 255 * 127 * 2 = 64770 overflows it and the product
silently comes out wrong (hidden states off by up to 1.0, and CPUs with and
without VNNI disagree); with 7-bit weights 255 * 63 * 2 = 32130 always fits,
so every CPU computes the exact integer product. onnxruntime's own
``reduce_range`` does the same for the same reason (docs/model.md, "Why 7-bit
weights", has the cost: small). Embedding tables are int8 with one scale per
table, as onnxruntime writes them (weight-only: a lookup has no activation to
scale). The file is as small as dynamic int8 and about as fast
on x86 CPUs.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

ZERO_POINT = 128
WEIGHT_LEVELS = 63  # |q| of a weight: two uint8 * int8 products must fit an int16 (see above)
SCALE_FLOOR = 1e-8  # an all-zero row would otherwise divide by zero


def quantize_per_token(fp32_file: Path, int8_file: Path) -> None:
    """Write ``int8_file``: ``fp32_file`` with int8 embeddings and per-token int8 MatMuls."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory() as tmp:
        embedded = Path(tmp) / "embeddings-int8.onnx"
        quantize_dynamic(
            str(fp32_file),
            str(embedded),
            weight_type=QuantType.QInt8,
            op_types_to_quantize=["Gather"],
        )
        model = onnx.load(str(embedded))
    rewrite_matmuls(model)
    onnx.checker.check_model(model)
    onnx.save(model, str(int8_file))


def quantize_weight(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric per output column in ``WEIGHT_LEVELS``: ``weight ≈ q * scale``.

    >>> q, scale = quantize_weight(np.array([[1.0, -0.5], [-2.0, 0.25]], dtype=np.float32))
    >>> q.tolist(), [round(float(v), 3) for v in (q * scale).ravel()]
    ([[31, -63], [-63, 31]], [0.984, -0.5, -2.0, 0.246])
    """
    levels = float(WEIGHT_LEVELS)
    scale = np.maximum(np.abs(weight).max(axis=0), 1e-12) / levels
    q = np.clip(np.round(weight / scale), -levels, levels).astype(np.int8)
    return q, scale.astype(np.float32)


def rewrite_matmuls(model) -> int:
    """Rewrite, in place, each MatMul whose weight is a constant 2-D matrix; returns how many.

    Inputs shared by several MatMuls (query, key and value read the same
    states) are quantized once. MatMuls of two activations (attention) stay fp32.
    """
    from onnx import numpy_helper

    graph = model.graph
    weights = {w.name: w for w in graph.initializer if len(w.dims) == 2}
    builder = _Builder()
    nodes, replaced, used = [], 0, set()
    for node in graph.node:
        if node.op_type != "MatMul" or node.input[1] not in weights:
            nodes.append(node)
            continue
        weight = numpy_helper.to_array(weights[node.input[1]]).astype(np.float32)
        nodes += builder.matmul(node.input[0], weight, node.output[0])
        used.add(node.input[1])
        replaced += 1
    still_read = {name for node in nodes for name in node.input}
    kept = [w for w in graph.initializer if w.name not in used or w.name in still_read]
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.initializer[:]
    graph.initializer.extend(kept + builder.initializers)
    use_microsoft_domain(model)
    return replaced


class _Builder:
    """Makes the nodes and constants of the rewritten MatMuls, naming them ``ptq*``."""

    def __init__(self) -> None:
        from onnx import helper

        self.helper = helper
        self.initializers: list = []
        self.rows: dict[str, str] = {}  # input name -> prefix of its quantized rows
        self._constant("ptq_inv127", np.float32(1 / 127))
        self._constant("ptq_floor", np.float32(SCALE_FLOOR))
        self._constant("ptq_zero", np.float32(0))
        self._constant("ptq_zp_f", np.float32(ZERO_POINT))
        self._constant("ptq_zp", np.uint8(ZERO_POINT))
        self._constant("ptq_one", np.float32(1))
        self._constant("ptq_axis1", np.array([1], np.int64))
        self._constant("ptq_from0", np.array([0], np.int64))
        self._constant("ptq_to_last", np.array([-1], np.int64))

    def matmul(self, x: str, weight: np.ndarray, y: str) -> list:
        """Nodes computing ``y = x @ weight`` from per-token int8 ``x`` and int8 ``weight``."""
        nodes = [] if x in self.rows else self._quantize_rows(x, weight.shape[0])
        rows = self.rows[x]
        q, scale = quantize_weight(weight)
        w = f"ptq_w{len(self.initializers)}"
        self._constant(w + "_q", q)
        self._constant(w + "_scale", scale)
        self._constant(w + "_cols", np.array([weight.shape[1]], np.int64))
        make = self.helper.make_node
        return nodes + [
            make(
                "MatMulIntegerToFloat",
                [rows + "_q", w + "_q", "ptq_one", w + "_scale", "ptq_zp"],
                [y + "_ptq_unscaled"],
                domain="com.microsoft",
            ),
            make("Mul", [y + "_ptq_unscaled", rows + "_scale_col"], [y + "_ptq_flat"]),
            make("Concat", [rows + "_lead", w + "_cols"], [y + "_ptq_shape"], axis=0),
            make("Reshape", [y + "_ptq_flat", y + "_ptq_shape"], [y]),
        ]

    def _quantize_rows(self, x: str, width: int) -> list:
        """Flatten ``x`` to rows of ``width`` and quantize each row with its own scale."""
        from onnx import TensorProto

        p = f"ptq_x{len(self.rows)}"
        self.rows[x] = p
        self._constant(p + "_flat_shape", np.array([-1, width], np.int64))
        make = self.helper.make_node
        return [
            make("Reshape", [x, p + "_flat_shape"], [p + "_flat"]),
            make("Abs", [p + "_flat"], [p + "_abs"]),
            make("ReduceMax", [p + "_abs"], [p + "_max"], axes=[1], keepdims=0),
            make("Mul", [p + "_max", "ptq_inv127"], [p + "_raw_scale"]),
            make("Max", [p + "_raw_scale", "ptq_floor"], [p + "_scale"]),
            # one zero point per row, as QuantizeLinear's axis form needs
            make("Mul", [p + "_scale", "ptq_zero"], [p + "_zeros"]),
            make("Add", [p + "_zeros", "ptq_zp_f"], [p + "_zp_f"]),
            make("Cast", [p + "_zp_f"], [p + "_zp"], to=TensorProto.UINT8),
            make("QuantizeLinear", [p + "_flat", p + "_scale", p + "_zp"], [p + "_q"], axis=0),
            make("Unsqueeze", [p + "_scale", "ptq_axis1"], [p + "_scale_col"]),
            make("Shape", [x], [p + "_shape"]),
            make("Slice", [p + "_shape", "ptq_from0", "ptq_to_last"], [p + "_lead"]),
        ]

    def _constant(self, name: str, value) -> None:
        from onnx import numpy_helper

        self.initializers.append(numpy_helper.from_array(np.asarray(value), name))


def use_microsoft_domain(model) -> None:
    """Declare the ``com.microsoft`` operator set (for onnxruntime's contrib ops)."""
    from onnx import helper

    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
