"""A batch run end to end: the table it writes, the errors file, engines, resuming."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from batch_helpers import FAKE, make_articles, read_jsonl, run, write_jsonl, write_txt_dir

from proplens.batch.parts import parts_dir
from proplens.batch.rows import COLUMNS, TECHNIQUE_COLUMNS
from proplens.cli import main
from proplens.errors import InputError, ModelError
from proplens.techniques import NAMES


def test_row_has_counts_density_and_spans(tmp_path: Path) -> None:
    text = "The so-called experts are traitors. Fine."
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "k", "text": text, "source": "S"}])
    run([src], tmp_path / "out.jsonl")
    (row,) = read_jsonl(tmp_path / "out.jsonl")
    assert tuple(row) == COLUMNS
    assert row["count_name_calling_labeling"] == 2
    assert row["count_appeal_to_authority"] == 0  # score 0.4 is under the threshold 0.5
    assert sum(row[c] for c in TECHNIQUE_COLUMNS.values()) == row["n_spans"] == 2
    # "so-called experts" [4, 21) and "traitors" [26, 34): 25 of 41 characters
    assert row["n_chars"] == len(text) == 41
    assert row["density"] == pytest.approx(25 / 41)
    assert [s["text"] for s in row["spans"]] == ["so-called experts", "traitors"]
    assert row["spans"][0] == {
        "start": 4,
        "end": 21,
        "technique": "Name_Calling,Labeling",
        "score": 0.8,
        "text": "so-called experts",
    }
    assert (row["source"], row["url"], row["date"], row["extraction"]) == ("S", None, None, None)


def test_overlapping_spans_count_once_in_density(tmp_path: Path) -> None:
    text = "so-called experts"
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "o", "text": text}])
    run([src], tmp_path / "out.jsonl", threshold=0.3)
    (row,) = read_jsonl(tmp_path / "out.jsonl")
    assert row["n_spans"] == 2  # the name-calling span and the "experts" span inside it
    assert row["density"] == 1.0


def test_technique_columns_are_stable_and_distinct() -> None:
    assert list(TECHNIQUE_COLUMNS) == list(NAMES)
    assert len(set(TECHNIQUE_COLUMNS.values())) == 14
    assert TECHNIQUE_COLUMNS["Name_Calling,Labeling"] == "count_name_calling_labeling"
    assert TECHNIQUE_COLUMNS["Appeal_to_fear-prejudice"] == "count_appeal_to_fear_prejudice"


def test_parquet_and_jsonl_hold_the_same_rows(corpus: Path, tmp_path: Path) -> None:
    run([corpus], tmp_path / "out.parquet", chunk_size=7)
    run([corpus], tmp_path / "out.jsonl", chunk_size=7)
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.schema.names == list(COLUMNS)
    assert table.to_pylist() == read_jsonl(tmp_path / "out.jsonl")
    assert [r["id"] for r in table.to_pylist()] == [f"a{i:04d}" for i in range(30)]
    assert pq.ParquetFile(tmp_path / "out.parquet").num_row_groups == 5  # one per chunk
    assert not parts_dir(tmp_path / "out.parquet").exists()


def test_bad_records_go_to_the_errors_file_and_the_rest_is_written(tmp_path: Path) -> None:
    articles = make_articles(6)
    articles[2]["text"] = ""
    articles[4]["text"] = "The fake model EXPLODEs on this one."
    src = write_jsonl(tmp_path / "in.jsonl", articles)
    with src.open("a", encoding="utf-8") as handle:
        handle.write("{broken\n")
        handle.write(json.dumps(articles[0]) + "\n")
    folder = write_txt_dir(tmp_path / "txt", [])
    (folder / "latin1.txt").write_bytes(b"caf\xe9")
    stats = run([src, folder], tmp_path / "out.parquet", errors=tmp_path / "problems.jsonl")
    ids = pq.read_table(tmp_path / "out.parquet", columns=["id"]).column("id").to_pylist()
    assert ids == ["a0000", "a0001", "a0003", "a0005"]
    errors = read_jsonl(tmp_path / "problems.jsonl")
    assert [(e["line"], e["id"]) for e in errors] == [
        (3, "a0002"),
        (5, "a0004"),
        (7, None),
        (8, "a0000"),
        (None, "latin1"),
    ]
    reasons = [e["reason"] for e in errors]
    assert reasons[0] == "empty text"
    assert reasons[1].startswith("analysis failed (RuntimeError: the fake model trips")
    assert reasons[2].startswith("not valid JSON")
    assert reasons[3].startswith("duplicate id 'a0000'")
    assert reasons[4].startswith("not valid UTF-8")
    assert errors[0]["file"] == str(src)
    assert (stats.rows, stats.errors) == (4, 5)


def test_errors_file_defaults_next_to_output(corpus: Path, tmp_path: Path) -> None:
    run([corpus], tmp_path / "out.jsonl")
    assert (tmp_path / "out.jsonl.errors.jsonl").read_text(encoding="utf-8") == ""


def test_two_local_workers_match_one_and_load_the_model_once_each(
    corpus: Path, tmp_path: Path, monkeypatch
) -> None:
    loads = tmp_path / "loads.txt"
    monkeypatch.setenv("PROPLENS_FAKE_LOADS", str(loads))
    run([corpus], tmp_path / "one.parquet", chunk_size=3)
    loads.unlink(missing_ok=True)  # this process may have loaded it in an earlier test
    run([corpus], tmp_path / "two.parquet", chunk_size=3, workers=2)
    assert (tmp_path / "one.parquet").read_bytes() == (tmp_path / "two.parquet").read_bytes()
    pids = loads.read_text().split()
    assert len(pids) == 2 and len(set(pids)) == 2  # 10 chunks, two loads


def test_resume_skips_committed_parts_and_equals_a_full_run(
    corpus: Path, tmp_path: Path, monkeypatch
) -> None:
    full = tmp_path / "full.parquet"
    run([corpus], full, chunk_size=4)
    out = tmp_path / "out.parquet"
    calls = tmp_path / "calls.txt"
    monkeypatch.setenv("PROPLENS_FAKE_CALLS", str(calls))
    _interrupt_after(corpus, out, chunks=3, monkeypatch=monkeypatch)  # 3 of 8 chunks done
    store_dir = parts_dir(out)
    assert len(list(store_dir.glob("part-*.json"))) == 3
    calls.unlink()
    stats = run([corpus], out, chunk_size=4)
    assert out.read_bytes() == full.read_bytes()
    assert calls.read_text().split() == [f"a{i:04d}" for i in range(12, 30)]
    assert stats.resumed_records == 12 and stats.analysed == 18 and stats.rows == 30
    assert not store_dir.exists()


def _interrupt_after(corpus: Path, out: Path, chunks: int, monkeypatch) -> None:
    """Run the batch and stop it (as Ctrl-C would) once ``chunks`` parts are committed."""
    from proplens.batch import parts

    commit = parts.PartStore.commit

    def commit_then_maybe_stop(self, index, *args):
        commit(self, index, *args)
        if index + 1 == chunks:
            raise KeyboardInterrupt

    monkeypatch.setattr(parts.PartStore, "commit", commit_then_maybe_stop)
    with pytest.raises(KeyboardInterrupt):
        run([corpus], out, chunk_size=4)
    monkeypatch.setattr(parts.PartStore, "commit", commit)
    assert not out.exists()


def test_a_different_command_does_not_reuse_parts(corpus: Path, tmp_path: Path, monkeypatch):
    out = tmp_path / "out.jsonl"
    _interrupt_after(corpus, out, chunks=2, monkeypatch=monkeypatch)
    with pytest.raises(InputError, match="differs in: threshold"):
        run([corpus], out, chunk_size=4, threshold=0.9)


def test_changed_inputs_are_detected_on_resume(corpus: Path, tmp_path: Path, monkeypatch):
    out = tmp_path / "out.jsonl"
    _interrupt_after(corpus, out, chunks=2, monkeypatch=monkeypatch)
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    corpus.write_text("".join(lines[1:]), encoding="utf-8")
    with pytest.raises(InputError, match="the inputs changed"):
        run([corpus], out, chunk_size=4)


def test_model_that_cannot_load_stops_the_run_with_its_message(corpus: Path, tmp_path: Path):
    with pytest.raises(ModelError, match="fake model directory is empty"):
        run([corpus], tmp_path / "out.jsonl", factory="batch_fakes:broken", workers=2)


def test_cli_reports_bad_options_in_one_line(corpus: Path, tmp_path: Path, capsys) -> None:
    out = str(tmp_path / "out.csv")
    assert main(["batch", str(corpus), "-o", out]) == 2
    assert "output must end in .parquet or .jsonl" in capsys.readouterr().err
    args = ["batch", str(corpus), "-o", str(tmp_path / "o.jsonl"), "--analyzer-factory", FAKE]
    assert main([*args, "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "--scheduler needs --engine dask" in capsys.readouterr().err
    assert main([*args, "--threshold", "1.5"]) == 2
    assert "--threshold must be a number between 0 and 1" in capsys.readouterr().err
    assert main([*args[:-1], "nowhere:make"]) == 2
    assert "cannot import analyzer factory module 'nowhere'" in capsys.readouterr().err


def test_cli_run_prints_a_summary(corpus: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "o.jsonl"
    assert main(["batch", str(corpus), "-o", str(out), "--analyzer-factory", FAKE]) == 0
    err = capsys.readouterr().err
    assert "proplens batch: 30 records to read" in err
    assert f"done: 30 articles written to {out}, 0 errors" in err
    assert len(read_jsonl(out)) == 30


def test_unwritable_output_is_one_line_not_a_traceback(corpus: Path, tmp_path: Path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    out = blocker / "out.parquet"  # a path under a regular file cannot be created
    assert main(["batch", str(corpus), "-o", str(out), "--analyzer-factory", FAKE]) == 2
    err = capsys.readouterr().err
    assert err.startswith("proplens: error: ") and "Not a directory" in err
    assert "Traceback" not in err
