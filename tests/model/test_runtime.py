"""The shipped model: its checksums are verified, and a damaged model is refused."""

from __future__ import annotations

import json

import pytest

import proplens
from proplens.cli import main
from proplens.errors import ModelError
from proplens.model.runtime import SHIPPED_DIR, Model, verify

SHIPPED_FILES = ("encoder.int8.onnx", "heads.npz", "tokenizer.json", "card.json")


def test_shipped_model_is_complete_and_small():
    manifest = verify(SHIPPED_DIR)
    assert sorted(manifest["sha256"]) == sorted(SHIPPED_FILES)
    total = sum((SHIPPED_DIR / name).stat().st_size for name in SHIPPED_FILES)
    assert total < 30 * 1024 * 1024


def test_card_reports_validation_and_provenance(analyzer):
    card = analyzer.card
    assert len(card["training_data"]["sha256"]) == 64
    assert len(card["training_data"]["validation_articles"]) == 56
    assert card["seed"] == card["config"]["seed"]
    assert 0 < card["validation"]["si"]["si_f1"] <= 1
    assert set(card["validation"]["tc_per_technique"]) == set(proplens.techniques.NAMES)


def test_tampered_file_is_refused(model_copy):
    heads = model_copy / "heads.npz"
    data = bytearray(heads.read_bytes())
    data[len(data) // 2] ^= 0xFF
    heads.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="checksum mismatch"):
        Model.load(model_copy)


def test_tampered_card_is_refused(model_copy):
    card = json.loads((model_copy / "card.json").read_text())
    card["decoding"]["threshold"] = 0.01
    (model_copy / "card.json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match="card.json: checksum mismatch"):
        Model.load(model_copy)


def test_missing_file_and_missing_manifest_are_refused(model_copy):
    (model_copy / "tokenizer.json").unlink()
    with pytest.raises(ModelError, match="tokenizer.json: model file is missing"):
        Model.load(model_copy)
    (model_copy / "manifest.json").unlink()
    with pytest.raises(ModelError, match="no manifest.json"):
        Model.load(model_copy)


def test_cli_reports_a_tampered_model_in_one_line(model_copy, tmp_path, capsys):
    encoder = model_copy / "encoder.int8.onnx"
    encoder.write_bytes(encoder.read_bytes()[:-10])
    article = tmp_path / "a.txt"
    article.write_text("Title\n\nThey lied to you again.\n", encoding="utf-8")
    code = main(["analyze", str(article), "--model", str(model_copy)])
    err = capsys.readouterr().err.strip()
    assert code == 3
    assert len(err.splitlines()) == 1
    assert "encoder.int8.onnx: checksum mismatch" in err
