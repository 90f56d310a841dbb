"""SemEval-2020 Task 11 label files: parsing, exact re-writing, errors, corpus loading."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import proplens.formats.semeval
from proplens.article import Span
from proplens.errors import FormatError
from proplens.formats.semeval import (
    LabelRow,
    format_labels,
    group_spans,
    load_corpus,
    parse_labels,
    read_label_dir,
    read_label_file,
    read_labels,
    rows_from_articles,
    write_label_dir,
    write_label_file,
)
from proplens.techniques import NAMES

TC_TEXT = "7\tDoubt\t30\t41\n7\tLoaded_Language\t3\t9\n7\tRepetition\t3\t9\n"


def test_docstring_examples_hold():
    assert doctest.testmod(proplens.formats.semeval).failed == 0


# -- parsing and formatting -------------------------------------------------------------


def test_parse_tc_keeps_file_order():
    rows = parse_labels(TC_TEXT, "tc")
    assert rows == [
        LabelRow("7", 30, 41, "Doubt"),
        LabelRow("7", 3, 9, "Loaded_Language"),
        LabelRow("7", 3, 9, "Repetition"),
    ]


def test_parse_si_and_template_have_no_technique():
    assert parse_labels("7\t3\t9\n", "si") == [LabelRow("7", 3, 9, None)]
    assert parse_labels("7\t?\t3\t9\n", "template") == [LabelRow("7", 3, 9, None)]


@pytest.mark.parametrize("task", ["si", "tc", "template"])
def test_format_is_the_exact_inverse_of_parse(task):
    text = {
        "si": "12\t0\t5\n12\t3\t8\n",
        "tc": TC_TEXT,
        "template": "7\t?\t30\t41\n7\t?\t3\t9\n",
    }[task]
    assert format_labels(parse_labels(text, task), task) == text


def test_no_rows_make_an_empty_file():
    assert format_labels([], "si") == ""
    assert parse_labels("", "tc") == []


def test_parse_tolerates_crlf_blank_lines_and_a_missing_last_newline():
    rows = parse_labels("7\t3\t9\r\n\n7\t10\t12", "si")
    assert rows == [LabelRow("7", 3, 9), LabelRow("7", 10, 12)]


def test_parse_tolerates_a_leading_byte_order_mark():
    assert parse_labels("\ufeff7\t3\t9\n", "si") == [LabelRow("7", 3, 9)]


def test_rows_remember_where_they_came_from():
    row = parse_labels("\n7\t3\t9\n", "si", "x.labels")[0]
    assert row.where == "x.labels:2"
    assert row == LabelRow("7", 3, 9)  # 'where' takes no part in equality


def test_row_span_carries_offsets_and_technique():
    assert LabelRow("7", 3, 9, "Doubt").span == Span(3, 9, "Doubt")


@pytest.mark.parametrize(
    ("text", "task", "message"),
    [
        ("7\t3\n", "si", r"x\.labels:1: expected 3 tab-separated columns .* found 2"),
        ("7\tDoubt\t3\t9\n", "si", r"x\.labels:1: .*found 4 \(this looks like a TC file"),
        ("7\t3\t9\n", "tc", r"x\.labels:1: .*found 3 \(this looks like an SI file"),
        ("7\t3\t9\n7\t3\tnine\n", "si", r"x\.labels:2: offset 'nine' is not a non-negative"),
        ("7\t-3\t9\n", "si", r"x\.labels:1: offset '-3' is not a non-negative integer"),
        ("7\t3.5\t9\n", "si", r"x\.labels:1: offset '3\.5'"),
        ("7\t9\t9\n", "si", r"x\.labels:1: start offset 9 is not before end offset 9"),
        ("7\t10\t9\n", "si", r"x\.labels:1: start offset 10 is not before end offset 9"),
        ("7\tPropaganda\t3\t9\n", "tc", r"x\.labels:1: unknown technique 'Propaganda'"),
        ("7\t?\t3\t9\n", "tc", r"x\.labels:1: technique is '\?' \(a template row\)"),
        ("7\tDoubt\t3\t9\n", "template", r"x\.labels:1: a template row has '\?'"),
        ("\t3\t9\n", "si", r"x\.labels:1: bad article id ''"),
    ],
)
def test_malformed_lines_name_file_and_line(text, task, message):
    with pytest.raises(FormatError, match=message):
        parse_labels(text, task, "x.labels")


def test_unknown_technique_suggests_the_semeval_2020_name():
    with pytest.raises(FormatError, match="the SemEval-2020 name is 'Whataboutism,Straw_Men"):
        parse_labels("7\tStraw_Men\t3\t9\n", "tc")


# -- files --------------------------------------------------------------------------------


def test_write_then_read_a_split_file(tmp_path):
    rows = parse_labels(TC_TEXT, "tc")
    path = tmp_path / "dev-tc.labels"
    write_label_file(path, rows, "tc")
    assert path.read_bytes() == TC_TEXT.encode()
    assert read_label_file(path, "tc") == rows


def test_per_article_files_with_empty_ones(tmp_path):
    rows = [LabelRow("2", 0, 4), LabelRow("1", 5, 9), LabelRow("2", 6, 8)]
    paths = write_label_dir(tmp_path, rows, "si", article_ids=["1", "2", "3"])
    assert [p.name for p in paths] == [
        "article1.task-si.labels",
        "article2.task-si.labels",
        "article3.task-si.labels",
    ]
    assert (tmp_path / "article2.task-si.labels").read_bytes() == b"2\t0\t4\n2\t6\t8\n"
    assert (tmp_path / "article3.task-si.labels").read_bytes() == b""
    # Read back in file-name order, as the split file concatenates them.
    assert read_label_dir(tmp_path, "si") == [rows[1], rows[0], rows[2]]
    assert read_labels(tmp_path, "si") == read_label_dir(tmp_path, "si")


def test_per_article_file_must_hold_its_own_article(tmp_path):
    path = tmp_path / "article5.task-flc-tc.labels"
    path.write_text("6\tDoubt\t0\t3\n")
    with pytest.raises(
        FormatError, match=r"article5.*:1: row for article 6 in the file of article"
    ):
        read_label_file(path, "tc")


def test_directory_without_label_files(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(FormatError, match="directory has no \\*.task-si.labels label files"):
        read_labels(tmp_path, "si")


def test_missing_label_file(tmp_path):
    with pytest.raises(FormatError, match="no such file"):
        read_labels(tmp_path / "absent.labels", "si")


def test_label_file_with_invalid_utf8_names_the_byte(tmp_path):
    path = tmp_path / "bad.labels"
    path.write_bytes(b"7\tDoubt\t3\t9\n7\tDo\xffubt\t3\t9\n")
    with pytest.raises(FormatError, match="not valid UTF-8 \\(byte 0xff at byte offset 16\\)"):
        read_labels(path, "tc")


def test_group_spans_keeps_article_and_file_order():
    rows = parse_labels("2\t5\t9\n1\t0\t3\n2\t1\t4\n", "si")
    grouped = group_spans(rows)
    assert list(grouped) == ["2", "1"]
    assert grouped["2"] == [Span(5, 9), Span(1, 4)]


# -- corpus loading (a small hand-made PTC layout) --------------------------------------


def _tiny_corpus(root: Path, tc_labels: str = "1\tDoubt\t0\t5\n1\tSlogans\t7\t12\n") -> Path:
    (root / "articles").mkdir(parents=True)
    (root / "articles" / "article1.txt").write_text("Title\n\nWhy? Clean streets!\n")
    (root / "articles" / "article2.txt").write_text("Calm\n\nNothing to see.\n")
    (root / "train-tc.labels").write_text(tc_labels)
    (root / "train-si.labels").write_text("1\t0\t5\n")
    return root


def test_load_corpus_attaches_gold_spans(tmp_path):
    articles = load_corpus(_tiny_corpus(tmp_path))
    assert [a.id for a in articles] == ["1", "2"]
    first, second = articles
    assert first.spans == [Span(0, 5, "Doubt"), Span(7, 12, "Slogans")]
    assert [first.span_text(s) for s in first.spans] == ["Title", "Why? "]
    assert second.spans == []
    assert rows_from_articles(articles) == read_labels(tmp_path / "train-tc.labels", "tc")


def test_load_corpus_si_spans_have_no_technique(tmp_path):
    articles = load_corpus(_tiny_corpus(tmp_path), task="si")
    assert articles[0].spans == [Span(0, 5)]


def test_load_corpus_prefers_per_article_folder(tmp_path):
    _tiny_corpus(tmp_path)
    write_label_dir(tmp_path / "labels-tc", [LabelRow("2", 0, 4, "Doubt")], "tc")
    articles = load_corpus(tmp_path)
    assert articles[1].spans == [Span(0, 4, "Doubt")]


def test_load_corpus_refuses_labels_beyond_the_text(tmp_path):
    _tiny_corpus(tmp_path, "1\tDoubt\t0\t500\n")
    with pytest.raises(FormatError, match=r"train-tc.labels:1: span \[0, 500\) ends beyond"):
        load_corpus(tmp_path)


def test_load_corpus_refuses_labels_for_missing_articles(tmp_path):
    _tiny_corpus(tmp_path, "9\tDoubt\t0\t5\n")
    with pytest.raises(FormatError, match="no article file for article 9"):
        load_corpus(tmp_path)


def test_load_corpus_needs_the_layout(tmp_path):
    with pytest.raises(FormatError, match="no articles/ folder"):
        load_corpus(tmp_path)
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "article1.txt").write_text("Text\n")
    with pytest.raises(FormatError, match="expected labels-tc/ or one \\*-tc.labels file"):
        load_corpus(tmp_path)


# -- the real corpus --------------------------------------------------------------------


def _label_files(ptc: Path, task: str) -> list[Path]:
    folder = {"si": "labels-si", "tc": "labels-tc"}[task]
    return [*sorted((ptc / folder).iterdir()), ptc / f"train-{task}.labels"]


@pytest.mark.corpus
@pytest.mark.parametrize("task", ["si", "tc"])
def test_every_corpus_label_file_round_trips_byte_for_byte(ptc_train, task, tmp_path):
    files = _label_files(ptc_train, task)
    assert len(files) > 300
    for path in files:
        rows = read_label_file(path, task)
        copy = tmp_path / path.name
        write_label_file(copy, rows, task)
        assert copy.read_bytes() == path.read_bytes(), path.name


@pytest.mark.corpus
@pytest.mark.parametrize("task", ["si", "tc"])
def test_corpus_per_article_files_rewrite_to_identical_folder(ptc_train, task, tmp_path):
    folder = ptc_train / f"labels-{task}"
    ids = [re.match(r"article(\d+)\.", p.name).group(1) for p in sorted(folder.iterdir())]
    written = write_label_dir(tmp_path, read_labels(folder, task), task, article_ids=ids)
    assert len(written) == len(ids)
    for path in written:
        assert path.read_bytes() == (folder / path.name).read_bytes(), path.name


@pytest.mark.corpus
@pytest.mark.parametrize("task", ["si", "tc"])
def test_corpus_split_file_equals_per_article_files(ptc_train, task):
    split = read_labels(ptc_train / f"train-{task}.labels", task)
    assert split == read_labels(ptc_train / f"labels-{task}", task)


@pytest.mark.corpus
def test_corpus_tc_template_round_trips(ptc_train):
    tc_bytes = (ptc_train / "train-tc.labels").read_bytes()
    template = re.sub(rb"(?m)^(\d+)\t[^\t]+\t", rb"\1\t?\t", tc_bytes).decode()
    rows = parse_labels(template, "template")
    assert len(rows) == tc_bytes.count(b"\n")
    assert format_labels(rows, "template") == template


@pytest.mark.corpus
@pytest.mark.parametrize("task", ["si", "tc"])
def test_every_corpus_span_lies_in_its_article(ptc_train, task):
    articles = load_corpus(ptc_train, task=task)
    rows = read_labels(ptc_train / f"train-{task}.labels", task)
    assert sum(len(a.spans) for a in articles) == len(rows)
    by_id = {a.id: a for a in articles}
    for row in rows:
        article = by_id[row.article_id]
        assert 0 <= row.start < row.end <= len(article.text)
        # The corpus (version 2) trimmed every span of " \n.,:;" at both ends: a
        # fragment that starts or ends with one means the offsets were misread.
        fragment = article.span_text(row.span)
        assert fragment == article.text[row.start : row.end]
        assert fragment[0] not in " \n.,:;" and fragment[-1] not in " \n.,:;", row
    if task == "tc":
        assert {s.technique for a in articles for s in a.spans} == set(NAMES)
