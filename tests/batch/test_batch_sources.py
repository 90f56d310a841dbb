"""``batch --sources``: per-article source columns in Parquet and JSONL, and the report's plots."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from batch_helpers import FAKE, make_articles, read_jsonl, run, write_jsonl

from proplens.batch.rows import COLUMNS, SOURCE_COLUMNS
from proplens.cli import main
from proplens.report.build import build_report

SOURCED = {
    "id": "s1",
    "source": "Harbour Gazette",
    "text": "The council voted 5-2 on Tuesday to sell the pier. Critics claimed the pier was "
    'worth 2 million euros more. "We had no choice," Mayor Ana Ruiz said. A source close to '
    "the council said the buyer was chosen in June. Clearly, the town is divided.",
}


def test_rows_carry_source_counts(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [SOURCED])
    run([src], tmp_path / "out.jsonl", sources=True)
    (row,) = read_jsonl(tmp_path / "out.jsonl")
    assert tuple(row) == COLUMNS
    assert row["n_attributions"] == 3
    kinds = {k: row[f"n_sources_{k}"] for k in ("named", "role", "vague", "anonymous")}
    assert kinds == {"named": 1, "role": 0, "vague": 1, "anonymous": 1}
    assert row["n_claims_unattributed"] == 1  # the vote
    assert row["share_unattributed"] == pytest.approx(1 / row["n_claims"])
    assert (row["n_hedges"], row["n_certainty"]) == (0, 1)


def test_without_sources_the_columns_are_null(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [SOURCED])
    run([src], tmp_path / "out.parquet")
    table = pq.read_table(tmp_path / "out.parquet")
    assert all(table.column(c).to_pylist() == [None] for c in SOURCE_COLUMNS)


def test_parquet_and_jsonl_agree_and_report_plots_sources_per_outlet(tmp_path: Path) -> None:
    articles = make_articles(18) + [SOURCED]
    src = write_jsonl(tmp_path / "in.jsonl", articles)
    run([src], tmp_path / "out.parquet", sources=True, chunk_size=5)
    run([src], tmp_path / "out.jsonl", sources=True, chunk_size=5)
    parquet = pq.read_table(tmp_path / "out.parquet").to_pylist()
    jsonl = read_jsonl(tmp_path / "out.jsonl")
    assert [[r[c] for c in SOURCE_COLUMNS] for r in parquet] == [
        [r[c] for c in SOURCE_COLUMNS] for r in jsonl
    ]
    result = build_report(tmp_path / "out.parquet", tmp_path / "report.html")
    document = result.html.read_text(encoding="utf-8")
    section = document[document.index("<h2>Sources and claims</h2>") :]
    section = section[: section.index("</section>")]
    assert len(re.findall(r'<img src="data:image/png;base64,', section)) == 2
    assert "Harbour Gazette" in section and "Valley Post" in section


def test_report_of_a_table_without_sources_has_no_sources_section(tmp_path: Path) -> None:
    run([write_jsonl(tmp_path / "in.jsonl", make_articles(6))], tmp_path / "out.jsonl")
    assert main(["report", str(tmp_path / "out.jsonl"), "--html", str(tmp_path / "r.html")]) == 0
    assert "Sources and claims" not in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_resuming_needs_the_same_sources_setting(tmp_path: Path) -> None:
    from proplens.batch.runner import BatchConfig, _signature

    plain = _signature(BatchConfig(inputs=["a"], output=tmp_path / "o.jsonl"))
    sourced = _signature(BatchConfig(inputs=["a"], output=tmp_path / "o.jsonl", sources=True))
    assert "sources" not in plain and sourced["sources"] is True and plain != sourced


def test_cli_flag(tmp_path: Path, capsys) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [SOURCED])
    out = tmp_path / "out.jsonl"
    argv = ["batch", str(src), "--output", str(out), "--sources", "--analyzer-factory", FAKE]
    assert main(argv) == 0
    assert read_jsonl(out)[0]["n_attributions"] == 3
