"""One ``MultiHeadAttention`` node per self-attention block of the exported encoder.

The torch export spells attention out as about twenty small nodes per layer
(reshapes and transposes of query, key and value, two matrix products, the
mask added to the scores, softmax). onnxruntime's ``com.microsoft``
``MultiHeadAttention`` kernel does the same arithmetic without the copies:
the encoder's states come out bit for bit the same and the encoder runs 3–10%
faster on a 2-core CPU (docs/model.md, "Speed"). The matcher checks every
link of the pattern and leaves a block it does not recognise alone, so an
export from another transformers version is slower, never wrong.

Fuse the int8 graph, after ``quantize``: quantization infers the tensor shapes
with onnx, which cannot see through a ``com.microsoft`` node, and without
shapes onnxruntime skips its own bias-GELU and skip-layer-norm fusions, which
costs time and changes rounding.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from proplens.training.quantize import use_microsoft_domain

MASK_INT32 = "fusion_attention_mask_int32"
HEADS_FIRST = [0, 2, 1, 3]  # (batch, length, heads, size) <-> (batch, heads, length, size)
KEYS_FIRST = [0, 2, 3, 1]  # keys transposed for the score product


def attention_heads(encoder_dir: Path) -> int:
    """``num_attention_heads`` of a transformers encoder folder."""
    return int(json.loads((Path(encoder_dir) / "config.json").read_text())["num_attention_heads"])


def fuse_attention_file(path: Path, num_heads: int) -> int:
    """Rewrite the ONNX file at ``path`` in place; returns how many blocks were fused."""
    import onnx

    model = onnx.load(str(path))
    fused = fuse_attention(model, num_heads)
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return fused


def fuse_attention(model, num_heads: int, mask_input: str = "attention_mask") -> int:
    """Replace, in place, each recognised self-attention block; returns how many.

    The scores' additive mask is taken to be the key-padding mask of
    ``mask_input``, as in BERT-style encoders: the matcher does not follow the
    mask's own nodes (the tests compare fused and unfused outputs on padded
    batches, and the export's on the tiny trained encoder).
    """
    from onnx import TensorProto, helper

    graph = _Graph(model.graph)
    replacements = {}
    for softmax in graph.of_type("Softmax"):
        block = graph.attention_block(softmax)
        if block is not None:
            query, key, value, output, scale = block
            replacements[output] = helper.make_node(
                "MultiHeadAttention",
                [query, key, value, "", MASK_INT32],
                [output],
                domain="com.microsoft",
                num_heads=num_heads,
                scale=scale,
            )
    if not replacements:
        return 0
    cast = helper.make_node("Cast", [mask_input], [MASK_INT32], to=TensorProto.INT32)
    nodes = [cast] + [
        replacements.get(node.output[0], node) if node.output else node for node in model.graph.node
    ]
    _keep_needed(model.graph, nodes)
    use_microsoft_domain(model)
    return len(replacements)


class _Graph:
    """Producers, consumers and constants of a graph, for walking a pattern."""

    def __init__(self, graph) -> None:
        self.nodes = list(graph.node)
        self.producer = {out: node for node in self.nodes for out in node.output}
        self.consumers: dict[str, list] = {}
        for node in self.nodes:
            for name in node.input:
                self.consumers.setdefault(name, []).append(node)
        # tensors, not arrays: only the scores' scale is ever read, not the weights
        self.constants = {w.name: w for w in graph.initializer}
        for node in self.nodes:
            if node.op_type == "Constant" and node.attribute:
                value = node.attribute[0]
                if value.name == "value":
                    self.constants[node.output[0]] = value.t

    def scalar(self, name: str) -> float | None:
        """The value of a one-element constant, or None."""
        from onnx import numpy_helper

        tensor = self.constants.get(name)
        if tensor is None or int(np.prod(tensor.dims)) != 1:
            return None
        return float(numpy_helper.to_array(tensor).ravel()[0])

    def of_type(self, op_type: str) -> list:
        return [node for node in self.nodes if node.op_type == op_type]

    def made_by(self, name: str, op_type: str):
        node = self.producer.get(name)
        return node if node is not None and node.op_type == op_type else None

    def only_consumer(self, name: str, op_type: str):
        users = self.consumers.get(name, [])
        return users[0] if len(users) == 1 and users[0].op_type == op_type else None

    def attention_block(self, softmax) -> tuple[str, str, str, str, float] | None:
        """``(query, key, value, output, scale)`` of the block around ``softmax``, or None."""
        if _attribute(softmax, "axis", -1) not in (-1, 3):
            return None
        masked = self.made_by(softmax.input[0], "Add")
        if masked is None:
            return None
        scores = next((s for s in map(self._scaled_scores, masked.input) if s is not None), None)
        context = self.only_consumer(softmax.output[0], "MatMul")
        if scores is None or context is None or context.input[0] != softmax.output[0]:
            return None
        (query_t, key_t), scale = scores
        query = self._split_heads(query_t, HEADS_FIRST)
        key = self._split_heads(key_t, KEYS_FIRST)
        value = self._split_heads(context.input[1], HEADS_FIRST)
        back = self.only_consumer(context.output[0], "Transpose")
        merged = back and self.only_consumer(back.output[0], "Reshape")
        if None in (query, key, value) or not merged:
            return None
        if _attribute(back, "perm", None) != HEADS_FIRST:
            return None
        return query, key, value, merged.output[0], scale

    def _scaled_scores(self, name: str) -> tuple[tuple[str, str], float] | None:
        """``((query_t, key_t), scale)`` when ``name`` is ``(query_t @ key_t) * scale``."""
        node = self.producer.get(name)
        if node is None or node.op_type not in ("Mul", "Div"):
            return None
        if node.op_type == "Mul" and node.input[0] in self.constants:
            constant, product = node.input
        else:
            product, constant = node.input
        matmul = self.made_by(product, "MatMul")
        scale = self.scalar(constant)
        if matmul is None or scale is None:
            return None
        return (matmul.input[0], matmul.input[1]), scale if node.op_type == "Mul" else 1 / scale

    def _split_heads(self, name: str, perm: list[int]) -> str | None:
        """The (batch, length, hidden) tensor that ``name`` splits into heads with ``perm``."""
        transpose = self.made_by(name, "Transpose")
        if transpose is None or _attribute(transpose, "perm", None) != perm:
            return None
        reshape = self.made_by(transpose.input[0], "Reshape")
        return reshape.input[0] if reshape is not None else None


def _attribute(node, name: str, default):
    from onnx import helper

    for attribute in node.attribute:
        if attribute.name == name:
            value = helper.get_attribute_value(attribute)
            return list(value) if isinstance(value, (list, tuple)) else value
    return default


def _keep_needed(graph, nodes: list) -> None:
    """Set ``graph``'s nodes to those the outputs still need, and drop unused initializers."""
    needed = {output.name for output in graph.output}
    kept = []
    for node in reversed(nodes):
        if any(name in needed for name in node.output):
            kept.append(node)
            needed.update(name for name in node.input if name)
    kept.reverse()
    del graph.node[:]
    graph.node.extend(kept)
    initializers = [w for w in graph.initializer if w.name in needed]
    del graph.initializer[:]
    graph.initializer.extend(initializers)
