"""Int8 encoder whose activations are quantized per token.

onnxruntime's dynamic quantization scales each MatMul input with one factor
for the whole tensor: every token of a window. Change one word and the
factor moves, so every other token of the window is rounded differently, and
spans far from the edit appear or vanish (docs/model.md, "Neutrality"). Here
each token gets its own factor, so a token's quantized activations depend on
that token alone; what still moves is what attention carries, as in fp32.

Weights are symmetric per output column in 8 bits (-127..127) and stored as
uint8 around a zero point of 128 (``unsigned_weights``); activations are
symmetric per row, stored as uint8 around 128 too. onnxruntime then runs its
u8u8 kernel (``MatMulIntegerToFloat`` with a weight zero point), which
computes the exact integer product on every CPU. The u8s8 kernel (int8
weights) is not exact everywhere: on x86 CPUs without VNNI (AVX2, AVX-512
before Cascade Lake, AMD before Zen 4) it multiplies with ``vpmaddubsw``,
which adds the products of two neighbouring bytes into a saturating int16;
255 * 127 * 2 = 64770 overflows it and the sum silently comes out wrong
(docs/model.md, "Why unsigned 8-bit weights", has the figures). The stored
uint8 ``w + 128`` with zero point 128 is the same real value
``scale * (w + 128 - 128)``, so ``unsigned_weights`` also turns an encoder
written with int8 weights into this form without changing what it computes
on a CPU that multiplied it exactly. Embedding tables are int8 with one scale
per table, as onnxruntime writes them (weight-only: a lookup has no activation
to scale, and no kernel multiplies it).

``weight_bits=7`` writes the weights straight from fp32 in 7 bits instead
(-63..63, per column the grid closest to the fp32 values, ``seven_bit_grid``),
stored as int8 with no zero point: onnxruntime then runs its faster u8s8
kernel, whose saturating int16 sums cannot overflow with 7-bit weights
(255 * 63 * 2 = 32130), so its products are exact on every CPU too. The
runtime needs nothing new for it: the graph has the same operators
(docs/model.md, "7-bit weights exported from fp32").
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

ZERO_POINT = 128
WEIGHT_LEVELS = 127  # |q| of a weight before it is stored as uint8 q + 128
SEVEN_BIT_LEVELS = 63  # 255 * 63 * 2 = 32130: two products always fit vpmaddubsw's int16
WEIGHT_BITS = (8, 7)  # what quantize_per_token writes; 8 is the default
SCALE_FLOOR = 1e-8  # an all-zero row would otherwise divide by zero


def quantize_per_token(fp32_file: Path, int8_file: Path, weight_bits: int = 8) -> None:
    """Write ``int8_file``: ``fp32_file`` with int8 embeddings and per-token int8 MatMuls.

    ``weight_bits`` 8: weights -127..127 stored as uint8 around 128 (u8u8
    kernel); 7: weights -63..63 from fp32, stored as int8 (u8s8 kernel). Both
    are exact on every CPU (module docstring).
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    if weight_bits not in WEIGHT_BITS:
        raise ValueError(f"weight_bits must be 8 or 7, not {weight_bits!r}")

    with tempfile.TemporaryDirectory() as tmp:
        embedded = Path(tmp) / "embeddings-int8.onnx"
        quantize_dynamic(
            str(fp32_file),
            str(embedded),
            weight_type=QuantType.QInt8,
            op_types_to_quantize=["Gather"],
        )
        model = onnx.load(str(embedded))
    rewrite_matmuls(model, weight_bits)
    if weight_bits == 8:
        unsigned_weights(model)
    onnx.checker.check_model(model)
    onnx.save(model, str(int8_file))


def quantize_weight(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric per output column in ``WEIGHT_LEVELS``: ``weight ≈ q * scale``.

    >>> q, scale = quantize_weight(np.array([[1.0, -0.5], [-2.0, 0.25]], dtype=np.float32))
    >>> q.tolist(), [round(float(v), 3) for v in (q * scale).ravel()]
    ([[64, -127], [-127, 64]], [1.008, -0.5, -2.0, 0.252])
    """
    levels = float(WEIGHT_LEVELS)
    scale = np.maximum(np.abs(weight).max(axis=0), 1e-12) / levels
    q = np.clip(np.round(weight / scale), -levels, levels).astype(np.int8)
    return q, scale.astype(np.float32)


def rewrite_matmuls(model, weight_bits: int = 8) -> int:
    """Rewrite, in place, each MatMul whose weight is a constant 2-D matrix; returns how many.

    Inputs shared by several MatMuls (query, key and value read the same
    states) are quantized once. MatMuls of two activations (attention) stay
    fp32. Weights are int8 with no zero point: 8 bits (``quantize_weight``,
    then stored unsigned by ``unsigned_weights``) or 7 (``seven_bit_grid``).
    """
    from onnx import numpy_helper

    if weight_bits not in WEIGHT_BITS:
        raise ValueError(f"weight_bits must be 8 or 7, not {weight_bits!r}")
    graph = model.graph
    weights = {w.name: w for w in graph.initializer if len(w.dims) == 2}
    builder = _Builder(weight_bits)
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

    def __init__(self, weight_bits: int = 8) -> None:
        from onnx import helper

        self.helper = helper
        self.weight_bits = weight_bits
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
        q, scale = quantize_weight(weight) if self.weight_bits == 8 else seven_bit_grid(weight)
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


def unsigned_weights(model) -> int:
    """Store, in place, each int8 weight of a ``MatMulIntegerToFloat`` as uint8; returns how many.

    A weight ``q`` (int8, no zero point, i.e. 0) becomes ``q + 128`` (uint8)
    with zero point 128: the same real values ``scale * (q - zero point)``,
    bit for bit, but onnxruntime now multiplies it with its u8u8 kernel, which
    is exact on every CPU (module docstring). Run on an encoder written before
    weights were unsigned, it makes that encoder compute on every CPU what a
    CPU with exact int8 products computed. A weight with a zero point of its
    own, or already uint8, is left as it is.
    """
    from onnx import TensorProto, numpy_helper

    graph = model.graph
    initializers = {w.name: w for w in graph.initializer}
    zero_point = "ptq_w_zp"
    converted: set[str] = set()
    for node in graph.node:
        if node.op_type != "MatMulIntegerToFloat" or len(node.input) < 5:
            continue
        name = node.input[1]
        if name not in converted:
            weight = initializers.get(name)
            has_zero_point = len(node.input) > 5 and node.input[5] != ""
            if weight is None or weight.data_type != TensorProto.INT8 or has_zero_point:
                continue
            q = numpy_helper.to_array(weight).astype(np.int16) + ZERO_POINT
            weight.CopyFrom(numpy_helper.from_array(q.astype(np.uint8), name))
            converted.add(name)
        inputs = list(node.input[:5]) + [zero_point] + list(node.input[6:])
        del node.input[:]
        node.input.extend(inputs)
    if converted and zero_point not in initializers:
        graph.initializer.append(numpy_helper.from_array(np.uint8(ZERO_POINT), zero_point))
    return len(converted)


def integer_reference(model) -> int:
    """Replace, in place, each ``MatMulIntegerToFloat`` by the exact product; returns how many.

    The integers, minus their zero points, are multiplied as float64 (every
    sum is exact: |sum| < 2**53), then scaled in fp32 as onnxruntime scales.
    This is what every CPU should compute, whatever kernel onnxruntime picks,
    so tests and ``bench/int8_exact.py`` compare an encoder against it.
    """
    from onnx import TensorProto, helper

    make, nodes, replaced = helper.make_node, [], 0
    for node in model.graph.node:
        if node.op_type != "MatMulIntegerToFloat":
            nodes.append(node)
            continue
        a, b, a_scale, b_scale, a_zero = node.input[:5]
        b_zero = node.input[5] if len(node.input) > 5 else ""
        if len(node.input) > 6 and node.input[6]:
            raise ValueError(f"{node.name or node.output[0]}: a bias input is not handled")
        p = node.output[0] + "_exact"
        nodes += _centred(make, a, a_zero, p + "_a") + _centred(make, b, b_zero, p + "_b")
        nodes += [
            make("MatMul", [p + "_a", p + "_b"], [p + "_sum64"]),
            make("Cast", [p + "_sum64"], [p + "_sum"], to=TensorProto.FLOAT),
            make("Mul", [a_scale, b_scale], [p + "_scale"]),
            make("Mul", [p + "_sum", p + "_scale"], [node.output[0]]),
        ]
        replaced += 1
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    return replaced


def _centred(make, x: str, zero: str, out: str) -> list:
    """Nodes computing ``float64(x) - float64(zero)`` (just the cast when there is no zero)."""
    from onnx import TensorProto

    if not zero:
        return [make("Cast", [x], [out], to=TensorProto.DOUBLE)]
    return [
        make("Cast", [x], [out + "_raw"], to=TensorProto.DOUBLE),
        make("Cast", [zero], [out + "_zero"], to=TensorProto.DOUBLE),
        make("Sub", [out + "_raw", out + "_zero"], [out]),
    ]


def use_microsoft_domain(model) -> None:
    """Declare the ``com.microsoft`` operator set (for onnxruntime's contrib ops)."""
    from onnx import helper

    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))


def seven_bit_grid(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per column, the 7-bit grid ``q * scale`` (``|q| <= 63``) closest to ``values``.

    ``values`` are fp32 weights (``proplens export --weight-bits 7``) or the
    real values of 8-bit ones (``seven_bit_weights``).

    Rounding 8-bit weights to 7 bits by halving them (scale doubled) puts every
    odd weight half a step off; a column's best grid is rarely the one whose
    largest weight sits exactly on 63. For each column this tries scales from
    0.70 to 1.0 times ``max|value| / 63``, each followed by the least-squares
    scale for the integers it rounds to (``sum(v q) / sum(q q)``), and keeps
    the pair with the smallest squared error in float32 as onnxruntime will
    use it. Returns int8 ``q`` (shape of ``values``) and float32 scales (one a
    column).

    >>> q, scale = seven_bit_grid(np.array([[2.0, 0.0], [-1.0, 0.0], [0.5, 0.0]]))
    >>> q[:, 0].tolist(), round(float(scale[0]), 4), q[:, 1].tolist()
    ([63, -32, 16], 0.0316, [0, 0, 0])
    """
    values = np.asarray(values, dtype=np.float64)
    levels = float(SEVEN_BIT_LEVELS)
    top = np.maximum(np.abs(values).max(axis=0), SCALE_FLOOR) / levels
    best_error = np.full(values.shape[1], np.inf)
    best_q = np.zeros(values.shape, dtype=np.int8)
    best_scale = top.astype(np.float32)
    for factor in np.linspace(0.70, 1.0, 31):
        q = np.clip(np.round(values / (top * factor)), -levels, levels)
        for scale in (top * factor, _least_squares_scale(values, q, top * factor)):
            scale32 = scale.astype(np.float32)
            error = ((values - q * scale32.astype(np.float64)) ** 2).sum(axis=0)
            better = error < best_error
            best_error[better] = error[better]
            best_q[:, better] = q[:, better].astype(np.int8)
            best_scale[better] = scale32[better]
    return best_q, best_scale


def _least_squares_scale(values: np.ndarray, q: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """Per column, the scale minimising ``|values - q * scale|²`` (``fallback`` where q is 0)."""
    qq = (q * q).sum(axis=0)
    vq = (values * q).sum(axis=0)
    return np.where(qq > 0, vq / np.maximum(qq, 1.0), fallback)


def seven_bit_weights(model) -> int:
    """Store, in place, each weight of a ``MatMulIntegerToFloat`` as 7-bit int8; returns how many.

    The u8s8 kernel (uint8 activations, int8 weights, no weight zero point) is
    onnxruntime's fastest integer product on x86, but without VNNI it adds two
    neighbouring products into a saturating int16; with ``|q| <= 63`` the sum
    of two (at most 255 * 63 * 2 = 32130) always fits, so its products are
    exact on every CPU. Each weight's real values (``scale * (w - zero
    point)``, 8-bit uint8 around 128 or int8) are rounded to their closest
    7-bit grid per column (``seven_bit_grid``); the scale is replaced, the
    zero point input dropped. A weight already within 7 bits with no zero
    point is left alone. Used by ``bench/seven_bit.py`` only: converted this
    way, the shipped encoder ran 1.10-1.17 times as fast end to end but moved
    confirmation SI by -0.0054, over the limit set in advance, so the shipped
    encoder does not use it (docs/model.md, "7-bit weights for the shipped
    encoder"). ``proplens export --weight-bits 7`` rounds the fp32 weights
    themselves (``seven_bit_grid`` in ``rewrite_matmuls``), not 8-bit ones.
    """
    from onnx import TensorProto, numpy_helper

    graph = model.graph
    initializers = {w.name: w for w in graph.initializer}
    readers: dict[str, int] = {}
    for node in graph.node:
        for name in node.input:
            readers[name] = readers.get(name, 0) + 1
    done: dict[str, str] = {}  # weight name -> its new scale's name
    first_scale: dict[str, str] = {}  # weight name -> the scale it was read with
    replaced: set[str] = set()  # scales and zero points that may no longer be read
    for node in graph.node:
        if node.op_type != "MatMulIntegerToFloat" or len(node.input) < 5:
            continue
        name, scale_name = node.input[1], node.input[3]
        zero_name = node.input[5] if len(node.input) > 5 else ""
        if len(node.input) > 6 and node.input[6]:
            raise ValueError(f"{node.name or node.output[0]}: a bias input is not handled")
        if first_scale.setdefault(name, scale_name) != scale_name:
            raise ValueError(f"{name}: one weight read with two scales is not handled")
        if name not in done:
            weight, scale = initializers.get(name), initializers.get(scale_name)
            integer = (TensorProto.UINT8, TensorProto.INT8)
            if weight is None or scale is None or weight.data_type not in integer:
                continue
            w = numpy_helper.to_array(weight).astype(np.int32)
            zero = 0
            if zero_name:
                if zero_name not in initializers:
                    continue
                zero = numpy_helper.to_array(initializers[zero_name]).astype(np.int32)
            centred = w - zero
            if weight.data_type == TensorProto.INT8 and not zero_name:
                if np.abs(centred).max() <= SEVEN_BIT_LEVELS:
                    continue
            real = centred * numpy_helper.to_array(scale).astype(np.float64)
            q, new_scale = seven_bit_grid(real)
            weight.CopyFrom(numpy_helper.from_array(q, name))
            new_scale_name = scale_name
            if readers.get(scale_name, 0) > 1:  # shared: give this weight its own
                new_scale_name = f"{name}_scale7"
            initializer = numpy_helper.from_array(new_scale.astype(np.float32), new_scale_name)
            if new_scale_name in initializers:
                initializers[new_scale_name].CopyFrom(initializer)
            else:
                graph.initializer.append(initializer)
                initializers[new_scale_name] = graph.initializer[-1]
            done[name] = new_scale_name
            replaced.update({scale_name, zero_name} - {""})
        inputs = list(node.input[:5])
        inputs[3] = done[name]
        del node.input[:]
        node.input.extend(inputs)
    still_read = {n for node in graph.node for n in node.input}
    kept = [w for w in graph.initializer if w.name in still_read or w.name not in replaced]
    if len(kept) != len(graph.initializer):
        del graph.initializer[:]
        graph.initializer.extend(kept)
    return len(done)
