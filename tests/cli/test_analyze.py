"""``proplens analyze`` and ``proplens classify`` end to end, and their error messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from proplens.cli import main
from proplens.formats import loads, parse_labels

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "harbour-deal.txt"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output_lists_fragments(capsys):
    code, out, err = run(capsys, "analyze", str(EXAMPLE))
    assert code == 0 and err == ""
    assert "Fragments:" in out and "⟦" in out


def test_json_output_round_trips_and_span_text_matches(capsys):
    code, out, _ = run(capsys, "analyze", str(EXAMPLE), "--format", "json")
    article = loads(out)  # validates that every span's text equals text[start:end]
    data = json.loads(out)
    assert code == 0 and data["schema_version"] == "1.1" and data["id"] == "harbour-deal"
    assert data["model"]["name"] and article.spans


def test_jsonl_and_semeval_agree(capsys, tmp_path):
    second = tmp_path / "article77.txt"
    second.write_text(
        "Vote\n\nThe shameless, reckless council betrayed us all.\n", encoding="utf-8"
    )
    _, jsonl, _ = run(capsys, "analyze", str(EXAMPLE), str(second), "--format", "jsonl")
    _, lines, _ = run(capsys, "analyze", str(EXAMPLE), str(second), "--format", "semeval")
    articles = [loads(line) for line in jsonl.splitlines()]
    assert [a.id for a in articles] == ["harbour-deal", "77"]
    rows = parse_labels(lines, "tc")
    expected = [(a.id, s.technique, s.start, s.end) for a in articles for s in a.spans]
    assert [(r.article_id, r.technique, r.start, r.end) for r in rows] == expected


def test_threshold_filters_and_output_file_is_written(capsys, tmp_path):
    out_file = tmp_path / "out.json"
    run(capsys, "analyze", str(EXAMPLE), "--format", "json", "--output", str(out_file))
    everything = loads(out_file.read_text(encoding="utf-8")).spans
    _, out, _ = run(capsys, "analyze", str(EXAMPLE), "--format", "json", "--threshold", "0.3")
    sure = loads(out).spans
    assert len(sure) < len(everything) and all(s.score >= 0.3 for s in sure)


def test_html_output_escapes_markup(capsys, tmp_path):
    article = tmp_path / "markup.txt"
    article.write_text(
        'Title <b>bold</b>\n\n<script>alert(1)</script> The shameless "><img src=x '
        "onerror=alert(2)> council betrayed every honest islander.\n",
        encoding="utf-8",
    )
    code, page, _ = run(capsys, "analyze", str(article), "--format", "html")
    assert code == 0
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page


def test_stdin_is_analyzed():
    done = subprocess.run(
        [sys.executable, "-m", "proplens", "analyze", "-", "--format", "json"],
        input=b"Title\n\nOnly a fool would trust the so-called experts.\n",
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["id"] == "stdin"


BAD_INPUTS = {
    "missing": (None, "no such file"),
    "empty": (b"   \n\t\n", "is empty"),
    "invalid_utf8": (b"Title\n\nbad \xff byte", "byte offset 11"),
    "binary": (b"\x00\x01\x02PK\x00", "binary"),
    "too_big": (b"a" * 3000, "over the limit of 2,048 bytes"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gives_one_line_and_exit_2_before_loading_the_model(capsys, tmp_path, case):
    content, message = BAD_INPUTS[case]
    path = tmp_path / f"{case}.txt"
    if content is not None:
        path.write_bytes(content)
    # A model folder that does not exist: the input error must come first.
    code, out, err = run(
        capsys, "analyze", str(path), "--max-bytes", "2048", "--model", str(tmp_path / "none")
    )
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err


def test_directory_without_articles_and_html_for_many(capsys, tmp_path):
    code, _, err = run(capsys, "analyze", str(tmp_path))
    assert code == 2 and "no .txt files" in err
    (tmp_path / "a.txt").write_text("A\n\nsome text\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("B\n\nmore text\n", encoding="utf-8")
    code, _, err = run(capsys, "analyze", str(tmp_path), "--format", "html")
    assert code == 2 and "one article" in err


def test_bad_threshold_and_missing_model(capsys, tmp_path):
    code, _, err = run(capsys, "analyze", str(EXAMPLE), "--threshold", "2")
    assert code == 2 and "between 0 and 1" in err
    code, _, err = run(capsys, "analyze", str(EXAMPLE), "--model", str(tmp_path))
    assert code == 3 and "not a proplens model folder" in err


def test_classify_fills_a_template(capsys, tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    (articles / "article5.txt").write_text(text, encoding="utf-8", newline="")
    start = text.index("Our harbour, our future!")
    fear = text.index("If this sale goes ahead")
    template = tmp_path / "template.labels"
    template.write_text(
        f"5\t?\t{start}\t{start + 24}\n5\t?\t{fear}\t{fear + 40}\n5\t?\t{fear}\t{fear + 40}\n"
    )
    code, out, err = run(capsys, "classify", str(articles), "--spans", str(template))
    rows = parse_labels(out, "tc")
    assert code == 0, err
    assert [(r.start, r.end) for r in rows] == [
        (start, start + 24),
        (fear, fear + 40),
        (fear, fear + 40),
    ]
    assert rows[1].technique != rows[2].technique


def test_classify_reports_a_missing_article_with_its_line(capsys, tmp_path):
    template = tmp_path / "template.labels"
    template.write_text("9\t?\t0\t5\n")
    code, _, err = run(capsys, "classify", str(tmp_path), "--spans", str(template))
    assert code == 2 and "template.labels:1" in err and "article9.txt" in err


def test_analyze_a_url_keeps_it_in_the_json(capsys):
    pytest.importorskip("httpx", reason="fetching needs the 'url' extra")
    from tests.fetch.pages import serving_pages

    with serving_pages() as site:
        url = f"{site}/article.html"
        code, out, err = run(capsys, "analyze", url, "--format", "json")
        assert code == 0 and err == ""
        data = json.loads(out)
        assert data["url"] == url and data["id"] == "article"
        assert data["title"] == "Harbour deal passes" and "town hall" in data["text"]
        code, out, err = run(capsys, "analyze", f"{site}/missing")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "the server answered 404" in err
