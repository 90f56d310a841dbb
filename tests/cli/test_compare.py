"""``proplens compare`` end to end with the shipped model, and its error messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from proplens.cli import main
from proplens.formats import loads

pytest.importorskip("rapidfuzz", reason="compare needs the 'compare' extra (rapidfuzz)")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
A = EXAMPLES / "compare-wire.txt"
B = EXAMPLES / "compare-rewrite.txt"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output_summarises_and_aligns(capsys):
    code, out, _ = run(capsys, "compare", str(A), str(B), "--no-sources")
    assert code == 0
    assert out.startswith("A: ") and "Of A's" in out
    assert "balance_dropped" in out and "number_changed" in out
    assert "~ A2 B2  reworded" in out


def test_json_output_holds_both_analyses(capsys, tmp_path):
    target = tmp_path / "cmp.json"
    code, out, _ = run(
        capsys, "compare", str(A), str(B), "--format", "json", "--output", str(target),
        "--no-sources",
    )  # fmt: skip
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert code == 0 and out == ""
    assert loads(json.dumps(doc["a"])).text == A.read_text(encoding="utf-8")
    assert doc["a"]["id"] == "compare-wire" and doc["b"]["id"] == "compare-rewrite"
    assert doc["a"]["model"]["name"] and doc["summary"]["flags"]["balance_dropped"] >= 1
    assert {item["kind"] for item in doc["alignment"]} >= {"same", "reworded", "dropped"}


def test_html_output_is_one_page(capsys):
    code, out, _ = run(capsys, "compare", str(A), str(B), "--format", "html", "--no-sources")
    assert code == 0 and out.startswith("<!doctype html>") and out.count("<html") == 1


def test_identical_files_say_so(capsys):
    code, out, _ = run(capsys, "compare", str(A), str(A), "--no-sources")
    assert code == 0
    assert "A and B are identical: every sentence is the same, nothing was changed." in out
    assert "~" not in out.split("\n\n", 1)[1].replace("→", "")


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        (b"  \n\n ", (), "is empty"),
        (b"PK\x03\x04\x00\x00binary", (), "binary file"),
        (b"caf\xe9", (), "not valid UTF-8"),
        (b"x" * 300, ("--max-bytes", "100"), "over the limit of 100 bytes"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path, content, extra, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    code, out, err = run(capsys, "compare", str(A), str(bad), "--no-sources", *extra)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("proplens: error: ") and message in err


def test_missing_file_and_double_stdin(capsys, tmp_path):
    code, _, err = run(capsys, "compare", str(A), str(tmp_path / "nope.txt"))
    assert code == 2 and "no such file" in err
    code, _, err = run(capsys, "compare", "-", "-")
    assert code == 2 and "not both" in err


def test_with_sources_the_demonstration_pair_shows_every_kind_of_change(capsys):
    from proplens.compare import sources_adapter

    finder, why = sources_adapter.load_finder()
    if finder is None:
        pytest.skip(f"sources are not installed here: {why}")
    code, out, err = run(capsys, "compare", str(A), str(B), "--format", "json")
    doc = json.loads(out)
    assert code == 0 and err == ""
    assert doc["a"]["attributions"] and doc["b"]["claims"] is not None
    counts = doc["summary"]["flags"]
    for flag in ("balance_dropped", "attribution_changed", "hedge_dropped", "number_changed",
                 "unsourced_claim_added"):  # fmt: skip
        assert counts[flag] >= 1, flag
    assert "into endorsements" in doc["summary"]["text"][1]
