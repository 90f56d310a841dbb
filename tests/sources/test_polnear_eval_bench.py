"""bench/polnear_eval.py: the paired comparison of two runs' per-article rows (issue 25,
round 9), and its refusals of rows it cannot pair with."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

from tests.bench_scripts import load_bench


@pytest.fixture(scope="module")
def bench():
    return load_bench("polnear_eval")


def rows(found_per_article):
    """Articles with 10 predicted and 10 gold attributions each, ``found`` of them right."""
    return np.array([[f, 10, 10, f, f, 0.8 * f, f] for f in found_per_article], float)


def test_f1_of_sums_articles_before_dividing(bench):
    # 1 of 1 right, then 1 of 9: 2 found of 10 predicted and 10 gold, F1 0.2
    # (the mean of the articles' own F1s would be 0.56)
    two = np.array([[1, 1, 1, 1, 1, 1.0, 1], [1, 9, 9, 1, 1, 1.0, 1]], float)
    assert bench.f1_of(two) == pytest.approx(0.2)


def test_identical_runs_differ_by_nothing(bench):
    same = rows([3, 5, 8, 6])
    assert bench.paired_f1_interval(same, same) == (0.0, 0.0)


def test_a_run_better_on_every_article_has_an_interval_above_zero(bench):
    base = rows([3, 5, 8, 6, 4, 7])
    better = rows([4, 6, 9, 7, 5, 8])
    low, high = bench.paired_f1_interval(better, base)
    assert 0 < low <= high
    assert low <= bench.f1_of(better) - bench.f1_of(base) <= high


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "cannot read it"),
        (json.dumps({"split": "train", "rows": {}}), "not rows of PolNeAR dev"),
        (json.dumps([1, 2]), "not rows of PolNeAR dev"),
    ],
)
def test_paired_with_refuses_what_it_cannot_pair(bench, monkeypatch, capsys, tmp_path,
                                                 content, message):  # fmt: skip
    saved = tmp_path / "rows.json"
    saved.write_text(content, encoding="utf-8")
    argv = ["polnear_eval.py", "--split", "dev", "--root", str(tmp_path), "--paired-with",
            str(saved)]  # fmt: skip
    monkeypatch.setattr(sys, "argv", argv)
    assert bench.main() == 2
    assert message in capsys.readouterr().err


def test_a_missing_rows_file_is_a_message(bench, monkeypatch, capsys, tmp_path):
    argv = ["polnear_eval.py", "--paired-with", str(tmp_path / "absent.json")]
    monkeypatch.setattr(sys, "argv", argv)
    assert bench.main() == 2
    assert "cannot read it" in capsys.readouterr().err
