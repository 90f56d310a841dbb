"""What a new user trips over: exit codes, one-line messages, file modes, nothing left behind."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from proplens.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "harbour-deal.txt"
BATCH_TESTS = Path(__file__).resolve().parents[1] / "batch"
FAKE = "batch_fakes:make"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_python(code: str, *argv: str, cwd: Path) -> subprocess.CompletedProcess:
    """A fresh interpreter (so optional modules can be hidden before anything imports them)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(BATCH_TESTS), *sys.path])}
    return subprocess.run(
        [sys.executable, "-c", code, *argv], cwd=cwd, env=env, capture_output=True, text=True
    )


# -- optional dependencies ------------------------------------------------------------------

HIDE_AND_RUN = """
import sys
for name in sys.argv[1].split(","):
    sys.modules[name] = None  # 'import name' now raises ImportError, as when it is missing
from proplens.cli import main
sys.exit(main(sys.argv[2:]))
"""


def test_a_broken_optional_dependency_is_one_line_and_leaves_no_parts(tmp_path):
    # As on a fresh install where jusText's lxml.html.clean was split off upstream.
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><p>" + "Words here. " * 40 + "</p></article></body>")
    out = tmp_path / "out.jsonl"
    done = run_python(
        HIDE_AND_RUN, "lxml.html.clean", "batch", str(page), "--output", str(out), cwd=tmp_path
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "trafilatura" in lines[0] and "pip install -e '.[batch]'" in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]


@pytest.mark.parametrize(
    ("command", "extra"),
    [(["batch", "PAGE", "--output", "out.jsonl"], "batch"), (["analyze", "URL"], "url")],
)
def test_a_missing_lxml_html_clean_is_named_with_the_command_that_installs_it(
    tmp_path, command, extra
):
    # What pip 23.2 (Python 3.11's) left behind: lxml[html_clean] was not understood, so
    # lxml_html_clean never installed. The message names it, not the trafilatura above it.
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><p>" + "Words here. " * 40 + "</p></article></body>")
    argv = [{"PAGE": str(page), "URL": "http://127.0.0.1:9/x"}.get(a, a) for a in command]
    done = run_python(HIDE_AND_RUN, "lxml_html_clean", *argv, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert f"needs the {extra} extra (lxml_html_clean is missing)" in done.stderr
    assert done.stderr.rstrip().endswith(f"pip install -e '.[{extra}]'")


def test_serve_without_its_extra_is_one_line(tmp_path):
    done = run_python(HIDE_AND_RUN, "fastapi_offline", "serve", "--port", "0", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (
        "proplens: error: 'proplens serve' needs the serve extra (fastapi_offline is missing): "
        "pip install -e '.[serve]'\n"
    )


def test_a_missing_optional_dependency_is_named(capsys, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    code, _, err = run(capsys, "batch", str(EXAMPLE), "--output", str(tmp_path / "o.parquet"))
    assert code == 2 and err.count("\n") == 1
    assert "(pyarrow is missing): pip install -e '.[batch]'" in err
    code, _, err = run(capsys, "report", str(tmp_path / "o.parquet"), "--html", "r.html")
    assert code == 2 and "needs the batch extra (pyarrow is missing)" in err
    assert list(tmp_path.iterdir()) == []


# -- batch ----------------------------------------------------------------------------------


def batch(capsys, *argv: str) -> tuple[int, str, str]:
    sys.path.insert(0, str(BATCH_TESTS))
    try:
        return run(capsys, "batch", *argv, "--analyzer-factory", FAKE)
    finally:
        sys.path.remove(str(BATCH_TESTS))


def test_batch_where_every_record_fails_exits_2_with_the_first_reason(capsys, tmp_path):
    table = tmp_path / "no-text-column.csv"
    table.write_text("id,body\n1,Some words.\n2,More words.\n", encoding="utf-8")
    code, out, err = batch(capsys, str(table), "--output", str(tmp_path / "out.jsonl"))
    assert code == 2 and out == ""
    summary = err.strip().splitlines()[-1]
    assert summary.startswith("proplens batch: failed: none of the 1 records could be analysed")
    assert f"{table}:1: CSV header has no text column" in summary


def test_batch_with_some_bad_records_still_succeeds(capsys, tmp_path):
    corpus = tmp_path / "in.jsonl"
    corpus.write_text(
        json.dumps({"id": "a", "text": "The so-called experts spoke."})
        + "\n"
        + json.dumps({"id": "b"})
        + "\n",
        encoding="utf-8",
    )
    code, _, err = batch(capsys, str(corpus), "--output", str(tmp_path / "out.jsonl"))
    assert code == 0
    assert "done: 1 articles written" in err and "1 errors" in err


def test_a_batch_that_cannot_start_its_engine_leaves_nothing_behind(capsys, tmp_path):
    corpus = tmp_path / "in.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": "Some words."}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    pytest.importorskip("distributed", reason="--engine dask needs the batch extra")
    code, _, err = batch(
        capsys,
        str(corpus),
        "--output",
        str(out),
        "--engine",
        "dask",
        "--scheduler",
        "tcp://127.0.0.1:9",  # discard port: nothing listens
    )
    assert code == 2 and "cannot reach the Dask scheduler" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


# -- analyze and report ---------------------------------------------------------------------


def test_analyze_output_file_follows_the_umask(capsys, tmp_path):
    out = tmp_path / "result.json"
    previous = os.umask(0o022)
    try:
        code, _, _ = run(capsys, "analyze", str(EXAMPLE), "--format", "json", "--output", str(out))
    finally:
        os.umask(previous)
    assert code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]  # no temporary file left


@pytest.mark.parametrize("value", ["-5", "0"])
def test_analyze_refuses_a_max_bytes_that_is_not_positive(capsys, value):
    code, out, err = run(capsys, "analyze", str(EXAMPLE), "--max-bytes", value)
    assert code == 2 and out == ""
    assert err == f"proplens: error: --max-bytes must be a positive number of bytes, got {value}\n"


def test_empty_file_error_names_the_path(capsys, tmp_path):
    path = tmp_path / "article5.txt"
    path.write_text("  \n\n", encoding="utf-8")
    code, _, err = run(capsys, "analyze", str(path))
    assert code == 2
    assert err == f"proplens: error: {path}: the file is empty (no text besides whitespace)\n"


def test_report_on_a_file_that_is_no_batch_table_talks_about_the_input(capsys, tmp_path):
    pytest.importorskip("pyarrow", reason="report needs the batch extra")
    table = tmp_path / "good.csv"
    table.write_text("id,text\n1,Some words.\n", encoding="utf-8")
    code, _, err = run(capsys, "report", str(table), "--html", str(tmp_path / "r.html"))
    assert code == 2 and "output must" not in err
    assert f"{table}: expected the output table of 'proplens batch'" in err


def test_report_summary_names_no_internal_module(capsys, tmp_path):
    pytest.importorskip("pyarrow", reason="report needs the batch extra")
    corpus = tmp_path / "in.jsonl"
    corpus.write_text(
        json.dumps({"id": "a", "text": "Critics called the plan disastrous."}) + "\n",
        encoding="utf-8",
    )
    assert batch(capsys, str(corpus), "--output", str(tmp_path / "out.jsonl"))[0] == 0
    code, _, err = run(
        capsys, "report", str(tmp_path / "out.jsonl"), "--html", str(tmp_path / "r.html")
    )
    assert code == 0 and "proplens." not in err and "rendered by" not in err
