"""``proplens evaluate`` through the CLI entry point, on hand-made files and on the corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from proplens.cli import main

GOLD_SI = "1\t10\t20\n1\t30\t40\n2\t0\t10\n"
GOLD_TC = "1\tDoubt\t10\t20\n1\tRepetition\t10\t20\n1\tSlogans\t30\t40\n2\tDoubt\t0\t10\n"


def _write(path: Path, text: str | bytes) -> str:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return str(path)


def _evaluate(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["evaluate", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_si_scores_line(tmp_path, capsys):
    gold = _write(tmp_path / "gold.labels", GOLD_SI)
    # article 1: [15, 35) overlaps [10, 20) by 5 and [30, 40) by 5; article 2: none predicted.
    # precision = (5/20 + 5/20) / 1 = 0.5
    # recall = (5/10 + 5/10) / 3 = 1/3;  F1 = 2 * 0.5 * (1/3) / (0.5 + 1/3) = 0.4
    pred = _write(tmp_path / "pred.labels", "1\t15\t35\n")
    code, out, err = _evaluate(capsys, "--task", "si", "--gold", gold, "--pred", pred)
    assert (code, err) == (0, "")
    assert out == "SI precision=0.5000 recall=0.3333 F1=0.4000\n"


def test_tc_scores_with_per_technique_lines(tmp_path, capsys):
    gold = _write(tmp_path / "gold.labels", GOLD_TC)
    # Hits: Doubt on 1:[10, 20) and Slogans on 1:[30, 40); miss: Doubt on 2:[0, 5).
    # precision = 2/3, recall = 2/4, F1 = 2 * (2/3) * (1/2) / (7/6) = 4/7 = 0.5714
    pred = _write(
        tmp_path / "pred.labels", "1\tDoubt\t10\t20\n1\tSlogans\t30\t40\n2\tDoubt\t0\t5\n"
    )
    code, out, _ = _evaluate(
        capsys, "--task", "tc", "--gold", gold, "--pred", pred, "--per-technique"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "TC precision=0.6667 recall=0.5000 F1=0.5714"
    # Repetition (gold 1, predicted 0); Doubt: 1 hit of 2 predicted, 2 gold;
    # Slogans: 1 of 1. Lines in NAMES order, names padded to one width.
    assert lines[1:] == [
        "  Repetition  precision=0.0000 recall=0.0000 F1=0.0000  gold=    1 predicted=    0",
        "  Doubt       precision=0.5000 recall=0.5000 F1=0.5000  gold=    2 predicted=    2",
        "  Slogans     precision=1.0000 recall=1.0000 F1=1.0000  gold=    1 predicted=    1",
    ]


def test_flc_scores_the_full_output_from_tc_files(tmp_path, capsys):
    gold = _write(tmp_path / "gold.labels", GOLD_TC)
    # Doubt [12, 20) inside gold Doubt [10, 20): precision credit 1, recall credit 0.8.
    # Loaded_Language [10, 20) matches no gold technique there: no credit (SI would give it).
    # Slogans [30, 40) exact: 1 and 1. precision = 2/3, recall = 1.8/4 = 0.45.
    pred = _write(
        tmp_path / "pred.labels",
        "1\tDoubt\t12\t20\n1\tLoaded_Language\t10\t20\n1\tSlogans\t30\t40\n",
    )
    code, out, err = _evaluate(
        capsys, "--task", "flc", "--gold", gold, "--pred", pred, "--per-technique"
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "FLC precision=0.6667 recall=0.4500 F1=0.5373"
    assert lines[1:] == [
        "  Loaded_Language  precision=0.0000 recall=0.0000 F1=0.0000  gold=    0 predicted=    1",
        "  Repetition       precision=0.0000 recall=0.0000 F1=0.0000  gold=    1 predicted=    0",
        "  Doubt            precision=1.0000 recall=0.4000 F1=0.5714  gold=    2 predicted=    1",
        "  Slogans          precision=1.0000 recall=1.0000 F1=1.0000  gold=    1 predicted=    1",
    ]


def test_interval_brackets_the_f1_in_text_and_json(tmp_path, capsys):
    gold = _write(tmp_path / "gold.labels", GOLD_TC)
    pred = _write(tmp_path / "pred.labels", "1\tDoubt\t10\t20\n2\tSlogans\t0\t10\n")
    code, out, _ = _evaluate(
        capsys, "--task", "flc", "--gold", gold, "--pred", pred, "--interval", "--json"
    )
    data = json.loads(out)
    low, high = data["f1_interval"]["low"], data["f1_interval"]["high"]
    assert code == 0 and low <= round(data["f1"], 4) <= high and low < high
    gold_si = _write(tmp_path / "gold-si.labels", GOLD_SI)
    code, out, _ = _evaluate(
        capsys, "--task", "si", "--gold", gold_si, "--pred", gold_si, "--interval"
    )
    # gold against itself is 1 on every resample of the articles
    assert out.startswith("SI precision=1.0000 recall=1.0000 F1=1.0000 [1.0000, 1.0000] ")


def test_json_output(tmp_path, capsys):
    gold = _write(tmp_path / "gold.labels", GOLD_TC)
    code, out, _ = _evaluate(capsys, "--task", "tc", "--gold", gold, "--pred", gold, "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["task"], data["precision"], data["recall"], data["f1"]) == ("tc", 1.0, 1.0, 1.0)
    assert data["per_technique"]["Doubt"]["gold"] == 2


def test_accepts_folders_of_per_article_files(tmp_path, capsys):
    gold = _write(tmp_path / "gold.labels", GOLD_SI)
    folder = tmp_path / "pred"
    folder.mkdir()
    _write(folder / "article1.task-si.labels", "1\t10\t20\n1\t30\t40\n")
    _write(folder / "article2.task-si.labels", "2\t0\t10\n")
    code, out, _ = _evaluate(capsys, "--task", "si", "--gold", gold, "--pred", str(folder))
    assert (code, out) == (0, "SI precision=1.0000 recall=1.0000 F1=1.0000\n")


def test_predictions_for_unknown_articles_count_and_warn(tmp_path, capsys):
    gold = _write(tmp_path / "gold.labels", "1\t0\t10\n")
    pred = _write(tmp_path / "pred.labels", "1\t0\t10\n77\t0\t10\n78\t5\t9\n")
    code, out, err = _evaluate(capsys, "--task", "si", "--gold", gold, "--pred", pred)
    assert code == 0
    # precision = 1 / 3 predicted spans, recall = 1 / 1
    assert out == "SI precision=0.3333 recall=1.0000 F1=0.5000\n"
    assert err.startswith("proplens: warning: 2 predicted rows are for 2 articles without gold")
    assert "(77, 78)" in err


def test_empty_per_article_gold_file_declares_an_article_without_propaganda(tmp_path, capsys):
    folder = tmp_path / "gold"
    folder.mkdir()
    _write(folder / "article1.task-si.labels", "1\t0\t10\n")
    _write(folder / "article2.task-si.labels", "")
    pred = _write(tmp_path / "pred.labels", "1\t0\t10\n2\t0\t10\n")
    code, out, err = _evaluate(capsys, "--task", "si", "--gold", str(folder), "--pred", pred)
    # Article 2 is known (no warning), but its prediction is still wrong: precision 1/2.
    assert (code, err) == (0, "")
    assert out == "SI precision=0.5000 recall=1.0000 F1=0.6667\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("1\t0\n", "pred.labels:1: expected 3 tab-separated columns"),
        ("1\t0\t10\n1\tDoubt\t0\t10\n", "pred.labels:2: expected 3 tab-separated columns"),
        ("1\tzero\t10\n", "pred.labels:1: offset 'zero' is not a non-negative integer"),
        ("1\t10\t3\n", "pred.labels:1: start offset 10 is not before end offset 3"),
        (b"1\t0\t10\n\xc3(\n", "pred.labels: not valid UTF-8 (byte 0xc3 at byte offset 7)"),
        (b"\x00\x01\x02binary", "pred.labels: looks like a binary file"),
    ],
)
def test_bad_prediction_file_gives_one_line_and_exit_2(tmp_path, capsys, content, message):
    gold = _write(tmp_path / "gold.labels", GOLD_SI)
    pred = _write(tmp_path / "pred.labels", content)
    code, out, err = _evaluate(capsys, "--task", "si", "--gold", gold, "--pred", pred)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("proplens: error: ")
    assert message in err


def test_unknown_technique_in_tc_prediction(tmp_path, capsys):
    gold = _write(tmp_path / "gold.labels", GOLD_TC)
    pred = _write(tmp_path / "pred.labels", "1\tStrawman\t10\t20\n")
    code, _, err = _evaluate(capsys, "--task", "tc", "--gold", gold, "--pred", pred)
    assert code == 2
    assert "pred.labels:1: unknown technique 'Strawman'" in err


def test_missing_file_and_empty_folder(tmp_path, capsys):
    gold = _write(tmp_path / "gold.labels", GOLD_SI)
    code, _, err = _evaluate(
        capsys, "--task", "si", "--gold", gold, "--pred", str(tmp_path / "nope")
    )
    assert code == 2 and "nope: no such file or directory" in err
    (tmp_path / "empty").mkdir()
    code, _, err = _evaluate(
        capsys, "--task", "si", "--gold", str(tmp_path / "empty"), "--pred", gold
    )
    assert code == 2 and "empty: directory has no *.task-si.labels label files" in err


def test_task_is_required(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["evaluate", "--gold", "a", "--pred", "b"])
    assert exit_info.value.code == 2
    assert "--task" in capsys.readouterr().err


# -- the real corpus --------------------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.parametrize("task", ["si", "tc", "flc"])
def test_corpus_gold_against_itself_scores_one(ptc_train, capsys, task):
    files = "si" if task == "si" else "tc"
    split = str(ptc_train / f"train-{files}.labels")
    folder = str(ptc_train / f"labels-{files}")
    code, out, err = _evaluate(capsys, "--task", task, "--gold", split, "--pred", folder)
    assert (code, err) == (0, "")
    assert out == f"{task.upper()} precision=1.0000 recall=1.0000 F1=1.0000\n"
    code, out, _ = _evaluate(capsys, "--task", task, "--gold", split, "--pred", split, "--json")
    assert json.loads(out)["f1"] == 1.0
