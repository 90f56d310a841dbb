"""The batch command with the real model (skipped only while no model is shipped)."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_helpers import make_articles, read_jsonl, run, write_jsonl

import proplens
from proplens.batch.rows import TECHNIQUE_COLUMNS
from proplens.errors import ModelError


@pytest.fixture(scope="module")
def real_model_available() -> None:
    try:
        proplens.load()
    except ModelError as err:
        pytest.skip(f"the real model cannot be loaded: {err}")


@pytest.mark.slow
def test_batch_with_the_real_model(real_model_available, tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", make_articles(6))
    stats = run([src], tmp_path / "out.jsonl", factory="proplens:load")
    rows = read_jsonl(tmp_path / "out.jsonl")
    assert stats.errors == 0 and [r["id"] for r in rows] == [f"a{i:04d}" for i in range(6)]
    for row in rows:
        assert 0.0 <= row["density"] <= 1.0
        assert sum(row[c] for c in TECHNIQUE_COLUMNS.values()) <= row["n_spans"]
        for span in row["spans"]:
            assert row["text"][span["start"] : span["end"]] == span["text"]
            assert span["technique"] in TECHNIQUE_COLUMNS
            assert 0.0 <= span["score"] <= 1.0
