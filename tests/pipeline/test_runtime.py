"""The shipped model: its checksums are verified, and a damaged model is refused."""

from __future__ import annotations

import json

import pytest

import proplens
from proplens.cli import main
from proplens.errors import ModelError
from proplens.pipeline.runtime import SHIPPED_DIR, Model, verify

SHIPPED_FILES = (
    "encoder.int8.onnx",
    "heads.npz",
    "tokenizer.json",
    "card.json",
    "classifier.npz",
    "lexical.json",
    "lexical.npz",
)


def test_shipped_model_is_complete_and_each_file_small():
    manifest = verify(SHIPPED_DIR)
    assert sorted(manifest["sha256"]) == sorted(SHIPPED_FILES)
    for name in SHIPPED_FILES:
        assert (SHIPPED_DIR / name).stat().st_size < 30 * 1024 * 1024, name


def test_card_reports_estimates_confirmation_and_provenance(analyzer):
    card = analyzer.card
    assert len(card["training_data"]["sha256"]) == 64
    assert len(card["training_data"]["confirmation_articles"]) == 56
    assert card["seed"] == card["config"]["seed"]
    for figure in (card["cross_validation"]["si_f1"], card["confirmation"]["si"]["si_f1"]):
        assert 0 < figure["low"] <= figure["value"] <= figure["high"] <= 1
    assert set(card["confirmation"]["tc_per_technique"]) == set(proplens.techniques.NAMES)
    assert card["runtime"]["windows"]["symmetric"] is True


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


SPIN_ENTRY = "session.intra_op.allow_spinning"


def test_encoder_threads_do_not_spin_unless_asked(monkeypatch):
    import onnxruntime as ort

    from proplens.pipeline.runtime import session_options

    monkeypatch.delenv("PROPLENS_SPIN", raising=False)
    monkeypatch.setenv("PROPLENS_THREADS", " 1 ")
    options = session_options(ort)
    assert options.get_session_config_entry(SPIN_ENTRY) == "0"
    assert options.intra_op_num_threads == 1
    monkeypatch.setenv("PROPLENS_SPIN", "1")
    assert session_options(ort).get_session_config_entry(SPIN_ENTRY) == "1"


@pytest.mark.parametrize(
    "variable,value",
    [("PROPLENS_SPIN", "yes"), ("PROPLENS_THREADS", "two"), ("PROPLENS_THREADS", "-1")],
)
def test_a_bad_thread_setting_is_refused_in_one_line(
    monkeypatch, capsys, tmp_path, variable, value
):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ModelError, match=variable):
        Model.load()
    article = tmp_path / "a.txt"
    article.write_text("The council met on Monday.", encoding="utf-8")
    assert main(["analyze", str(article)]) != 0
    err = capsys.readouterr().err
    assert variable in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
