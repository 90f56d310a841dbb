"""bench/span_rescore.py: the threshold choice, the shipping rule, and bad row files refused.

The real rows need the licensed articles and the fold models; these checks use
a few articles written here, in the rows' own layout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from proplens.pipeline.rescore import FEATURES
from tests.bench_scripts import load_bench

BENCH = Path(__file__).resolve().parents[2] / "bench" / "span_rescore.py"


B = load_bench("span_rescore")


def span(start, end, score, right, technique="Doubt"):
    x = [0.0] * len(FEATURES)
    x[0] = float(np.log(score / (1 - score)))
    return {
        "start": start,
        "end": end,
        "technique": technique,
        "score": score,
        "right": right,
        "features": x,
    }


def article(name, group="0"):
    """One right span scored 0.4 and one wrong span scored 0.15, gold on the right one."""
    return {
        "id": name,
        "group": group,
        "chars": 100,
        "gold": [[0, 10, "Doubt"]],
        "spans": [span(0, 10, 0.4, True), span(50, 60, 0.15, False)],
    }


def test_the_threshold_chosen_drops_the_wrong_spans():
    rows = B.Rows([article("1"), article("2")])
    # at 0.15 or below both spans pass (precision 0.5); above it only the right one (F1 1)
    assert B.choose_threshold(rows, rows.score) == 0.16
    assert rows.objective(rows.score, 0.16) == pytest.approx(2.0)
    assert rows.objective(rows.score, 0.1) < 2.0


def test_the_rule_needs_both_measures_not_lower():
    def entry(si, si_low, flc):
        return {
            "si_minus_a": {"value": si, "low": si_low, "high": 1},
            "flc_minus_a": {"value": flc, "low": -1, "high": 1},
        }

    assert B.ships(entry(0.001, -0.004, 0.0))
    assert not B.ships(entry(0.001, -0.006, 0.01))  # SI's interval reaches too low
    assert not B.ships(entry(-0.001, 0.0, 0.01))
    assert not B.ships(entry(0.01, 0.0, -0.001))


def test_covered_characters_count_each_character_once():
    assert B._covered(10, 20, [(0, 12), (11, 15), (30, 40)]) == 5


def test_rows_of_other_inputs_are_refused(tmp_path, monkeypatch, capsys):
    rows = tmp_path / "rows.json"
    rows.write_text(json.dumps({"features": ["logit_score"], "articles": []}))
    monkeypatch.setattr(sys, "argv", [str(BENCH), "compare", "--rows", str(rows)])
    with pytest.raises(SystemExit) as stopped:
        B.main()
    assert stopped.value.code == 2
    assert "rows of other inputs" in capsys.readouterr().err


def test_auc_counts_right_spans_outscoring_wrong_ones():
    y = np.array([1.0, 0.0, 1.0, 0.0])
    assert B._auc(np.array([0.9, 0.1, 0.8, 0.2]), y) == 1.0
    assert B._auc(np.array([0.1, 0.9, 0.2, 0.8]), y) == 0.0
    assert B._auc(np.array([0.5, 0.5, 0.9, 0.1]), y) == 0.875


@pytest.mark.parametrize("options", [[], ["--confirmation", "--fold", "0=x"]])
def test_rows_needs_folds_or_the_confirmation_split(options, tmp_path, monkeypatch, capsys):
    argv = [str(BENCH), "rows", "--out", str(tmp_path / "rows.json"), *options]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as stopped:
        B.main()
    assert stopped.value.code == 2
    assert "--fold FOLD=DIR" in capsys.readouterr().err


def noisy_article(name, group):
    """The right span of ``article`` and a wrong one that scores above it: no cut removes it."""
    art = article(name, group)
    art["spans"].append(span(70, 95, 0.6, False))
    return art


def test_recipes_pairs_the_same_articles_and_finds_the_worse_recipe():
    clean = [article(str(n), str(n % 2)) for n in range(6)]
    noisy = [noisy_article(str(n), str(n % 2)) for n in range(6)]
    same = B.recipes_report(clean, list(reversed(clean)), resamples=200)
    assert same["b_minus_a"]["si_f1"]["value"] == pytest.approx(0.0)
    assert same["b_minus_a"]["flc_f1"]["value"] == pytest.approx(0.0)
    worse = B.recipes_report(clean, noisy, resamples=200)
    assert worse["a"]["si_f1"]["value"] == pytest.approx(1.0)
    assert worse["b_minus_a"]["si_f1"]["value"] < -0.1
    assert worse["b_minus_a"]["flc_f1"]["value"] < -0.1
    assert worse["a"]["median_span_chars"] == 10
    assert worse["b"]["median_span_chars"] == pytest.approx(17.5)


def test_recipes_refuses_rows_of_other_articles(tmp_path, monkeypatch):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps({"features": list(FEATURES), "articles": [article("1"), article("2")]}))
    b.write_text(json.dumps({"features": list(FEATURES), "articles": [article("1"), article("3")]}))
    argv = [str(BENCH), "recipes", "--rows", str(a), "--rows-b", str(b)]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as stopped:
        B.main()
    assert stopped.value.code == 2


def _rows_file(path: Path, articles: list[dict]) -> Path:
    path.write_text(json.dumps({"features": list(FEATURES), "articles": articles}))
    return path


def _run(monkeypatch, capsys, *argv: str) -> dict:
    monkeypatch.setattr(sys, "argv", [str(BENCH), *argv])
    B.main()
    return json.loads(capsys.readouterr().out)


def test_a_kept_choice_confirms_as_the_rows_it_was_made_on(tmp_path, monkeypatch, capsys):
    oof = [article(str(n), str(n % 2)) for n in range(8)]
    oof += [noisy_article(str(n), str(n % 2)) for n in range(8, 14)]
    confirmation = [article(f"c{n}", "confirmation") for n in range(3)]
    confirmation += [noisy_article(f"c{n}", "confirmation") for n in range(3, 6)]
    rows = _rows_file(tmp_path / "rows.json", oof)
    conf = _rows_file(tmp_path / "confirmation.json", confirmation)
    choice = tmp_path / "span-rescore.json"
    kept = _run(monkeypatch, capsys, "compare", "--rows", str(rows), "--resamples", "200")
    choice.write_text(json.dumps(kept))
    common = ["confirm", "--confirmation-rows", str(conf), "--resamples", "200"]
    from_rows = _run(monkeypatch, capsys, *common, "--rows", str(rows))
    from_choice = _run(monkeypatch, capsys, *common, "--choice", str(choice))
    assert from_choice == from_rows
    assert from_choice["out_of_fold"]["final"] == kept["final"]


@pytest.mark.parametrize("given", ["both", "neither", "not a report"])
def test_confirm_refuses_a_choice_it_cannot_read(given, tmp_path, monkeypatch, capsys):
    conf = _rows_file(tmp_path / "c.json", [article("c1", "confirmation")])
    rows = _rows_file(tmp_path / "rows.json", [article("1"), article("2", "1")])
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"final": {"b_threshold": 0.2}}))
    options = {
        "both": ["--rows", str(rows), "--choice", str(bad)],
        "neither": [],
        "not a report": ["--choice", str(bad)],
    }[given]
    monkeypatch.setattr(
        sys, "argv", [str(BENCH), "confirm", "--confirmation-rows", str(conf), *options]
    )
    with pytest.raises(SystemExit) as stopped:
        B.main()
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert ("not a report" in err) if given == "not a report" else ("--rows or --choice" in err)
