"""The encoder's layer-k output is a pure graph change: the final states stay the same."""

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")

from proplens.errors import ProplensError  # noqa: E402
from proplens.pipeline.runtime import SHIPPED_DIR, Model  # noqa: E402
from proplens.training.layer_output import (  # noqa: E402
    layer_output_name,
    layer_session,
    with_layer_output,
)

TEXT = "The senator said on Tuesday that the plan would cost billions, aides told reporters."


@pytest.fixture(scope="module")
def model():
    return Model.load()


def test_final_states_unchanged_and_layer_states_differ(model):
    session = layer_session(SHIPPED_DIR / "encoder.int8.onnx", 4)
    batch = model.pieces.tokenize(TEXT)
    ids = np.array([[model.pieces.cls_id, *batch.ids, model.pieces.sep_id]], dtype=np.int64)
    mask = np.ones_like(ids)
    final, inner = session.run(
        ["hidden", layer_output_name(4)], {"input_ids": ids, "attention_mask": mask}
    )
    np.testing.assert_array_equal(final, model.encode(ids, mask))
    assert inner.shape == final.shape
    assert np.abs(inner - final).mean() > 0.01  # another layer's states, not a copy of the last


def test_no_such_layer_is_a_clear_error():
    graph = onnx.load(str(SHIPPED_DIR / "encoder.int8.onnx"))
    with pytest.raises(ProplensError, match="layer 9"):
        with_layer_output(graph, 9)
    once = with_layer_output(graph, 4)
    assert [o.name for o in with_layer_output(once, 4).graph.output] == [
        "hidden",
        layer_output_name(4),
    ]
