"""Articles and spans: reading files exactly, refusing bad input with one clear message."""

from __future__ import annotations

import doctest
import io
import sys

import pytest

import proplens.article
from proplens.article import (
    DEFAULT_MAX_BYTES,
    Article,
    Span,
    article_id,
    enclosing,
    iter_article_paths,
    read_text_file,
    title_of,
)
from proplens.errors import InputError

# -- bad input ------------------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"absent.txt: no such file$"):
        Article.from_file(tmp_path / "absent.txt")


def test_directory_given_as_file(tmp_path):
    with pytest.raises(InputError, match="is a directory, expected a .txt file"):
        Article.from_file(tmp_path)


def test_directory_without_txt_files(tmp_path):
    (tmp_path / "notes.md").write_text("# not an article")
    with pytest.raises(InputError, match="directory has no .txt files"):
        list(iter_article_paths([tmp_path]))


def test_missing_path_in_a_list(tmp_path):
    with pytest.raises(InputError, match="nope: no such file or directory"):
        list(iter_article_paths([tmp_path / "nope"]))


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  "], ids=["empty", "whitespace"])
def test_empty_or_whitespace_only_text(tmp_path, content):
    path = tmp_path / "article5.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        Article.from_file(path)
    assert str(caught.value) == f"{path}: the file is empty (no text besides whitespace)"


def test_invalid_utf8_names_the_byte_offset(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\u00e9 society".encode("latin-1"))  # é is byte 0xe9 at offset 3
    with pytest.raises(
        InputError, match=r"latin1.txt: not valid UTF-8 \(byte 0xe9 at byte offset 3\)"
    ):
        Article.from_file(path)


def test_binary_file(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="looks like a binary file"):
        Article.from_file(path)


def test_file_over_the_default_limit(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"a" * (DEFAULT_MAX_BYTES + 1))
    with pytest.raises(InputError, match=r"huge.txt: file is 2,097,153 bytes, over the limit"):
        Article.from_file(path)


def test_size_limit_is_configurable(tmp_path):
    path = tmp_path / "small.txt"
    path.write_bytes(b"Title\n\nTwenty bytes.\n")  # 21 bytes
    assert Article.from_file(path, max_bytes=21).text == "Title\n\nTwenty bytes.\n"
    with pytest.raises(InputError, match="over the limit of 20 bytes"):
        Article.from_file(path, max_bytes=20)


def test_stdin_is_read_as_bytes_with_the_same_checks(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("Hé\r\nthere".encode())))
    article = Article.from_stdin()
    assert (article.id, article.text) == ("stdin", "Hé\r\nthere")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 11)))
    with pytest.raises(InputError, match="<stdin>: input is over the limit of 10 bytes"):
        Article.from_stdin(max_bytes=10)


# -- identity and text ------------------------------------------------------------------


def test_article_id_from_file_name(tmp_path):
    assert article_id(tmp_path / "article123.txt") == "123"
    assert article_id(tmp_path / "harbour-deal.txt") == "harbour-deal"
    assert article_id(tmp_path / "article.txt") == "article"
    path = tmp_path / "article999.txt"
    path.write_text("A title\n\nBody.\n")
    assert Article.from_file(path).id == "999"


def test_title_is_the_first_non_empty_line():
    assert title_of("\ufeffNext outbreak could be stronger\n\nBody.") == (
        "Next outbreak could be stronger"
    )
    assert title_of("\n  \nSecond line\nThird") == "Second line"
    assert Article.from_text("Headline\r\n\r\nBody.", id="x").title == "Headline"
    assert Article.from_text("Body.", id="x", title="Given").title == "Given"


def test_crlf_text_keeps_exact_offsets(tmp_path):
    raw = b"Title\r\n\r\nThey lied.\r\nAgain.\r\n"
    path = tmp_path / "article7.txt"
    path.write_bytes(raw)
    article = Article.from_file(path)
    assert article.text == raw.decode()  # no newline translation
    start = article.text.index("Again")  # 5 + 2 + 2 + 10 + 2 = 21
    assert start == 21
    assert article.span_text(Span(start, start + 5)) == "Again"
    assert article.paragraphs() == [(0, 5), (9, 19), (21, 27)]


def test_sentences_and_paragraphs_of_a_small_text():
    text = "Rates rise\n\nPrices went up. Who is to blame? The mayor!\nIt is what it is."
    article = Article.from_text(text, id="t")
    pieces = [text[a:b] for a, b in article.sentences()]
    assert pieces == [
        "Rates rise",
        "Prices went up.",
        "Who is to blame?",
        "The mayor!",
        "It is what it is.",
    ]
    assert [text[a:b] for a, b in article.paragraphs()] == [
        "Rates rise",
        "Prices went up. Who is to blame? The mayor!",
        "It is what it is.",
    ]


def test_sentence_end_needs_following_space_and_keeps_closing_quotes():
    text = 'He said "stop." Then 3.5 percent left.'
    pieces = [text[a:b] for a, b in Article.from_text(text).sentences()]
    assert pieces == ['He said "stop."', "Then 3.5 percent left."]


# -- spans --------------------------------------------------------------------------------


def test_span_rejects_empty_or_negative_ranges():
    for start, end in [(5, 5), (6, 5), (-1, 3)]:
        with pytest.raises(ValueError, match="0 <= start < end"):
            Span(start, end)


def test_docstring_examples_hold():
    assert doctest.testmod(proplens.article).failed == 0


def test_enclosing_names_the_shortest_span_holding_each_one():
    spans = [
        Span(0, 100, "Appeal_to_fear-prejudice"),
        Span(20, 60, "Doubt"),
        Span(30, 38, "Loaded_Language"),
        Span(30, 38, "Name_Calling,Labeling"),  # the same fragment with a second technique
        Span(55, 120, "Slogans"),  # crosses the end of Doubt and of the first span
    ]
    assert enclosing(spans) == [None, 0, 1, 1, None]
    assert enclosing([]) == []


def test_overlapping_and_nested_spans_are_kept_as_they_are():
    text = "Critics warn that the reckless plan will ruin the town."
    spans = [Span(0, 55, "Appeal_to_fear-prejudice"), Span(22, 30, "Loaded_Language")]
    article = Article.from_text(text).with_spans(list(reversed(spans)))
    assert article.spans == spans  # sorted by position, none merged or dropped
    assert article.span_text(article.spans[1]) == "reckless"


def test_span_overlap_and_length():
    assert Span(0, 10).overlap(Span(5, 20)) == 5
    assert Span(0, 5).overlap(Span(5, 9)) == 0
    assert len(Span(3, 9)) == 6


def test_span_beyond_the_text_is_refused():
    with pytest.raises(InputError, match=r"span \[3, 99\) lies beyond the end of article 'a'"):
        Article(id="a", text="Short text.", spans=[Span(3, 99)])


def test_with_spans_sorts_and_copies():
    article = Article.from_text("Only a fool would trust them.", id="a")
    marked = article.with_spans([Span(7, 11, "Doubt"), Span(0, 4, "Slogans")])
    assert marked.spans == [Span(0, 4, "Slogans"), Span(7, 11, "Doubt")]
    assert article.spans == []


def test_read_text_file_keeps_a_leading_bom(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffTitle\n".encode())
    # The corpus counts the BOM as one character of the offsets.
    assert read_text_file(path) == "\ufeffTitle\n"
