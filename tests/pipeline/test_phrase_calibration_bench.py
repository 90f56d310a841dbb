"""bench/phrase_calibration.py's options to fit on a fold model: bad input is refused, exit 2.

The fit itself needs the licensed articles and minutes of detection; these
checks run before any model or article is loaded, so a wrong path fails at once with a message
that names the option (argparse's usage error: exit 2, no traceback).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from proplens.pipeline.runtime import SHIPPED_DIR
from tests.bench_scripts import load_bench

BENCH = Path(__file__).resolve().parents[2] / "bench" / "phrase_calibration.py"


BENCH_MODULE = load_bench("phrase_calibration")


def run_bench(*options: str, capsys, monkeypatch) -> tuple[int, str]:
    """The bench's exit status and the last line it wrote to stderr."""
    monkeypatch.setattr(sys, "argv", [str(BENCH), *options])
    with pytest.raises(SystemExit) as stopped:
        BENCH_MODULE.main()
    return stopped.value.code, capsys.readouterr().err.strip().splitlines()[-1]


def run_fit(model, fold: str, cv, capsys, monkeypatch) -> tuple[int, str]:
    """``run_bench`` with the three options that fit on a fold model's held-out articles."""
    options = ("--fit-model", str(model), "--fit-fold", fold, "--cv", str(cv))
    return run_bench(*options, capsys=capsys, monkeypatch=monkeypatch)


def write_cv(folder: Path, folds: dict[str, int]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "folds.json").write_text(json.dumps({"k": 5, "folds": folds}), encoding="utf-8")
    return folder


def fold_model(folder: Path, fold: int) -> Path:
    """A folder that looks like bench/fold_model.py's output to the argument checks."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_text("{}", encoding="utf-8")
    (folder / "card.json").write_text(json.dumps({"fold_model": {"fold": fold}}), encoding="utf-8")
    return folder


def assert_refused(done: tuple[int, str], *words: str) -> None:
    code, message = done
    assert code == 2, message
    for word in words:
        assert word in message, message


@pytest.mark.parametrize(
    "given",
    [("--fit-model",), ("--cv",), ("--fit-fold",), ("--fit-model", "--fit-fold")],
)
def test_the_fit_options_go_together(tmp_path: Path, given, capsys, monkeypatch):
    values = {
        "--fit-model": str(SHIPPED_DIR),
        "--cv": str(write_cv(tmp_path / "cv", {"a": 0})),
        "--fit-fold": "0",
    }
    options = [part for option in given for part in (option, values[option])]
    assert_refused(run_bench(*options, capsys=capsys, monkeypatch=monkeypatch), "go together")


def test_a_fit_model_that_is_no_model_folder_is_refused(tmp_path: Path, capsys, monkeypatch):
    cv = write_cv(tmp_path / "cv", {"a": 0})
    missing = tmp_path / "no-such-model"
    done = run_fit(str(missing), "0", str(cv), capsys, monkeypatch)
    assert_refused(done, "--fit-model", str(missing), "not a model folder")


@pytest.mark.parametrize("content", [None, "not json", json.dumps({"k": 5})])
def test_a_cv_folder_without_a_readable_folds_file_is_refused(
    tmp_path: Path, content, capsys, monkeypatch
):
    cv = tmp_path / "cv"
    cv.mkdir()
    if content is not None:
        (cv / "folds.json").write_text(content, encoding="utf-8")
    done = run_fit(str(SHIPPED_DIR), "0", str(cv), capsys, monkeypatch)
    assert_refused(done, "--cv", str(cv), "not a cross-validation folder")


def test_a_fold_with_no_articles_is_refused(tmp_path: Path, capsys, monkeypatch):
    cv = write_cv(tmp_path / "cv", {"a": 0, "b": 1})
    done = run_fit(str(SHIPPED_DIR), "3", str(cv), capsys, monkeypatch)
    assert_refused(done, "--fit-fold 3", "no article in that fold")


def test_another_folds_model_is_refused(tmp_path: Path, capsys, monkeypatch):
    cv = write_cv(tmp_path / "cv", {"a": 0, "b": 1})
    model = fold_model(tmp_path / "fold1-model", fold=1)
    done = run_fit(str(model), "0", str(cv), capsys, monkeypatch)
    assert_refused(done, "fold 1's, not fold 0's")


def test_a_fold_holding_confirmation_articles_is_refused(tmp_path: Path, capsys, monkeypatch):
    card = json.loads((SHIPPED_DIR / "card.json").read_text(encoding="utf-8"))
    confirmation = card["training_data"]["confirmation_articles"][0]
    cv = write_cv(tmp_path / "cv", {confirmation: 0})
    done = run_fit(str(SHIPPED_DIR), "0", str(cv), capsys, monkeypatch)
    assert_refused(done, "--fit-fold 0 holds confirmation articles", confirmation)
