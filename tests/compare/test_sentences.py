"""Sentences are exact slices, and abbreviations do not end them."""

from __future__ import annotations

from proplens.compare.sentences import split_sentences


def test_offsets_are_exact_and_lines_are_paragraphs():
    text = "Title here\r\n\r\nFirst one. Second one!\r\nThird? Yes.\n"
    found = split_sentences(text)
    assert [s.text for s in found] == ["Title here", "First one.", "Second one!", "Third?", "Yes."]
    assert all(text[s.start : s.end] == s.text for s in found)
    assert [s.paragraph for s in found] == [0, 1, 1, 2, 2]
    assert [s.index for s in found] == [0, 1, 2, 3, 4]


def test_abbreviations_initials_and_lower_case_do_not_split():
    text = (
        "Mr. Smith met Dr. Jones in St. Paul at 2.15 p.m. on Monday. "
        "J. K. Rowling was not there. Prices rose 3.5 percent, e.g. for bread. "
        'She said "we will win." Then she left.'
    )
    assert [s.text for s in split_sentences(text)] == [
        "Mr. Smith met Dr. Jones in St. Paul at 2.15 p.m. on Monday.",
        "J. K. Rowling was not there.",
        "Prices rose 3.5 percent, e.g. for bread.",
        'She said "we will win."',
        "Then she left.",
    ]


def test_blank_text_has_no_sentences():
    assert split_sentences(" \n\n \n") == []
