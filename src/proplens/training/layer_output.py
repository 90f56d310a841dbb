"""Expose an inner encoder layer's hidden states as a second output of the encoder's ONNX graph.

The source finder's cue tagger (issue 25, round 4; bench/polnear_tagger.py)
reads the detector's encoder after layer k instead of after its last layer, so
that ``analyze --sources`` would need no second encoder run. The change is to
the graph only: the tensor that ends layer k (its output LayerNorm) is named
as one more graph output, nothing is recomputed or requantized, and the
existing ``hidden`` output is the same to the bit (tests/test_layer_output.py).
It is a function, not an edited file, so that it can be re-applied to any
re-exported or re-quantized encoder of the same architecture.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from proplens.errors import ProplensError


def layer_output_name(layer: int) -> str:
    """The graph output's name for the states after encoder layer ``layer`` (1-based)."""
    return f"hidden_layer{layer}"


def layer_tensor(graph: Any, layer: int) -> str:
    """The name of the tensor that ends encoder layer ``layer`` (1-based) in ``graph``.

    A BERT-style export ends each layer with ``layer.{i}/output/LayerNorm``
    (0-based ``i``); both the torch exporter's node names and onnxruntime's
    quantizer keep them.
    """
    pattern = re.compile(rf"(^|/)layer\.{layer - 1}/output/LayerNorm(/|$)")
    found = [
        node.output[0]
        for node in graph.node
        if node.op_type in ("LayerNormalization", "SkipLayerNormalization")
        and pattern.search(node.name)
    ]
    if len(found) != 1:
        raise ProplensError(
            f"the encoder graph has {len(found)} nodes ending layer {layer} (expected one): "
            "not a BERT-style export, or no such layer"
        )
    return found[0]


def with_layer_output(model: Any, layer: int) -> Any:
    """A copy of the ONNX ``model`` with the states after ``layer`` as an extra output.

    The new output, :func:`layer_output_name`, is ``(windows, length, hidden)``
    float32 like ``hidden``; an Identity node gives it its own name so that
    the inner tensor keeps its.
    """
    import onnx

    copy = onnx.ModelProto()
    copy.CopyFrom(model)
    graph = copy.graph
    name = layer_output_name(layer)
    if any(o.name == name for o in graph.output):
        return copy
    inner = layer_tensor(graph, layer)
    graph.node.append(onnx.helper.make_node("Identity", [inner], [name], name=f"{name}/Identity"))
    hidden = next((o for o in graph.output if o.name == "hidden"), None)
    if hidden is None:
        raise ProplensError("the encoder graph has no output named 'hidden'")
    out = onnx.ValueInfoProto()
    out.CopyFrom(hidden)
    out.name = name
    graph.output.append(out)
    return copy


def layer_session(encoder_file: Path, layer: int) -> Any:
    """An onnxruntime session of ``encoder_file`` with the layer's output added (in memory),
    with the runtime's settings (``PROPLENS_THREADS``)."""
    import onnx
    import onnxruntime as ort

    from proplens.pipeline.runtime import session_options

    model = with_layer_output(onnx.load(str(encoder_file)), layer)
    return ort.InferenceSession(
        model.SerializeToString(), session_options(ort), providers=["CPUExecutionProvider"]
    )
