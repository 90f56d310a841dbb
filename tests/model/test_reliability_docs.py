"""The calibration tables in README.md and docs/model.md are the ones bench/validate.py prints.

The README and docs/model.md show the cross-fitted reliability table of the
model card; ``python bench/validate.py`` prints it again, measured with the
shipped runtime, as ``reliability_cross_fitted`` (its other table,
``reliability_in_sample``, bins the scores of the shipped calibration, which was
fitted on these same articles, and is not the one the docs show).
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CARD = ROOT / "src" / "proplens" / "model" / "shipped" / "card.json"


def card_table() -> list[dict]:
    return json.loads(CARD.read_text(encoding="utf-8"))["validation"]["reliability"]


def readme_table() -> list[tuple[str, int, float]]:
    """(bin, spans, share right) from the README's score/spans/right table."""
    lines = ROOT.joinpath("README.md").read_text(encoding="utf-8").splitlines()
    rows = {}
    for line in lines:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] in ("score", "spans", "right") and len(cells) > 5:
            rows[cells[0]] = cells[1:]
    bins = [b.replace("–", "-") for b in rows["score"]]
    return [
        (b, int(n), float(r)) for b, n, r in zip(bins, rows["spans"], rows["right"], strict=True)
    ]


def model_doc_table() -> list[tuple[str, int, float, float]]:
    """(bin, spans, mean score, share right) from docs/model.md's calibration table."""
    text = ROOT.joinpath("docs", "model.md").read_text(encoding="utf-8")
    found = re.findall(r"^\| (\d\.\d-\d\.\d) \| (\d+) \| ([\d.]+) \| ([\d.]+) \|$", text, re.M)
    return [(b, int(n), float(m), float(r)) for b, n, m, r in found]


def test_readme_shows_the_cards_cross_fitted_table():
    shown = readme_table()
    card = {row["bin"]: row for row in card_table()}
    assert shown, "no calibration table found in README.md"
    for bin_, spans, right in shown:  # two decimals, rounded half up (0.625 -> 0.63)
        assert spans == card[bin_]["spans"], bin_
        assert abs(right - card[bin_]["right"]) <= 0.005 + 1e-9, bin_


def test_model_doc_shows_the_cards_cross_fitted_table():
    expected = [
        (r["bin"], r["spans"], round(r["mean_score"], 3), round(r["right"], 3))
        for r in card_table()
    ]
    assert model_doc_table() == expected


@pytest.mark.corpus
@pytest.mark.slow
def test_bench_validate_prints_the_cards_table(ptc_train):
    spec = importlib.util.spec_from_file_location("validate", ROOT / "bench" / "validate.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    import proplens

    val = bench.validation_examples(ptc_train)
    assert bench.cross_fitted_reliability(proplens.load(threshold=0.0), val) == card_table()
