"""Attention fusion: the fused graph computes what the unfused one did, or is left alone."""

from __future__ import annotations

import numpy as np
import pytest

onnx = pytest.importorskip("onnx", reason="the [train] extra (onnx) is not installed")
ort = pytest.importorskip("onnxruntime")

from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from proplens.training import fusion  # noqa: E402

HEADS, SIZE = 2, 4
HIDDEN = HEADS * SIZE


def attention_graph(path, key_perm=(0, 2, 3, 1)) -> None:
    """x[B,T,H] -> one self-attention block spelled out as the torch export spells it."""
    rng = np.random.default_rng(0)
    constants = {
        "heads_shape": np.array([0, 0, HEADS, SIZE], np.int64),
        "merged_shape": np.array([0, 0, HIDDEN], np.int64),
        "scale": np.array(SIZE**-0.5, np.float32),
        "one": np.array(1.0, np.float32),
        "big": np.array(-1e4, np.float32),
        "axes": np.array([1, 2], np.int64),
    }
    for name in "qkv":
        constants[f"W{name}"] = rng.normal(size=(HIDDEN, HIDDEN)).astype(np.float32)
        constants[f"b{name}"] = rng.normal(size=HIDDEN).astype(np.float32)
    make = helper.make_node
    nodes = [
        make("Cast", ["attention_mask"], ["m"], to=TensorProto.FLOAT),
        make("Sub", ["one", "m"], ["m_off"]),
        make("Mul", ["m_off", "big"], ["m_add2"]),
        make("Unsqueeze", ["m_add2", "axes"], ["m_add"]),
    ]
    for name, perm in (("q", (0, 2, 1, 3)), ("k", key_perm), ("v", (0, 2, 1, 3))):
        nodes += [
            make("MatMul", ["x", f"W{name}"], [f"{name}_mm"]),
            make("Add", [f"b{name}", f"{name}_mm"], [name]),
            make("Reshape", [name, "heads_shape"], [f"{name}_heads"]),
            make("Transpose", [f"{name}_heads"], [f"{name}_t"], perm=list(perm)),
        ]
    nodes += [
        make("MatMul", ["q_t", "k_t"], ["scores"]),
        make("Mul", ["scores", "scale"], ["scaled"]),
        make("Add", ["scaled", "m_add"], ["masked"]),
        make("Softmax", ["masked"], ["probs"], axis=-1),
        make("MatMul", ["probs", "v_t"], ["context"]),
        make("Transpose", ["context"], ["context_t"], perm=[0, 2, 1, 3]),
        make("Reshape", ["context_t", "merged_shape"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes,
        "attention",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, ["b", "t", HIDDEN]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["b", "t"]),
        ],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["b", "t", HIDDEN])],
        [numpy_helper.from_array(v, k) for k, v in constants.items()],
    )
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))


def run(path, x, mask) -> np.ndarray:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(["y"], {"x": x, "attention_mask": mask})[0]


def inputs():
    x = np.random.default_rng(1).normal(size=(2, 5, HIDDEN)).astype(np.float32)
    mask = np.ones((2, 5), np.int64)
    mask[1, 3:] = 0  # the second window is two tokens shorter, padded
    return x, mask


def test_a_fused_block_gives_the_same_states_for_every_real_token(tmp_path):
    plain, fused = tmp_path / "plain.onnx", tmp_path / "fused.onnx"
    attention_graph(plain)
    attention_graph(fused)
    assert fusion.fuse_attention_file(fused, HEADS) == 1
    ops = [node.op_type for node in onnx.load(str(fused)).graph.node]
    assert "MultiHeadAttention" in ops and "Softmax" not in ops and "Transpose" not in ops
    x, mask = inputs()
    want, got = run(plain, x, mask), run(fused, x, mask)
    real = mask.astype(bool)
    np.testing.assert_allclose(got[real], want[real], rtol=1e-5, atol=1e-6)


def test_a_block_that_differs_from_the_pattern_is_left_alone(tmp_path):
    path = tmp_path / "other.onnx"
    attention_graph(path, key_perm=(0, 2, 1, 3))  # keys not transposed for the product
    before = onnx.load(str(path))
    assert fusion.fuse_attention(before, HEADS) == 0
    assert [n.op_type for n in before.graph.node].count("Softmax") == 1
