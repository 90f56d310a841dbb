"""Terminal rendering: marked text, numbered fragments, summary line."""

from __future__ import annotations

import copy
import re

from proplens.article import Article, Span
from proplens.formats.text import render_text, summary_line

TEXT = "Only a fool would trust them.\n\nThey lied. They lied again.\n"
_MARK = re.compile(r"⟦[⁰¹²³⁴⁵⁶⁷⁸⁹]*|⟧[⁰¹²³⁴⁵⁶⁷⁸⁹]+")


def _render(*spans: Span) -> str:
    return render_text(Article.from_text(TEXT, id="1").with_spans(list(spans)))


def _marked_part(rendered: str) -> str:
    return rendered.split("\n\nFragments:")[0]


def test_marks_fragment_and_lists_it():
    out = _render(Span(5, 11, "Name_Calling,Labeling", 0.87))
    assert out.startswith("Only ⟦a fool⟧¹ would trust them.\n\nThey lied.")
    assert "   1. Name calling, labeling   0.87  “a fool”" in out
    assert out.endswith("1 fragment: Name calling, labeling 1\n")


def test_numbers_follow_text_order_and_summary_counts_per_technique():
    out = _render(
        Span(42, 57, "Repetition", 0.6),
        Span(31, 40, "Repetition", 0.7),
        Span(12, 17, "Loaded_Language", 0.9),
    )
    assert "fool ⟦would⟧¹ trust" in out
    assert "⟦They lied⟧². ⟦They lied again⟧³." in out
    assert "   2. Repetition        0.70  “They lied”" in out
    assert out.endswith("3 fragments: Repetition 2, Loaded language 1\n")


def test_nested_spans_nest_their_brackets():
    out = _render(Span(0, 29, "Doubt", 0.5), Span(5, 11, "Loaded_Language", 0.9))
    assert out.startswith("⟦¹Only ⟦²a fool⟧² would trust them.⟧¹")


def test_fragment_list_says_which_fragment_a_nested_one_sits_in():
    out = _render(
        Span(0, 29, "Doubt", 0.5), Span(5, 11, "Loaded_Language", 0.9), Span(5, 17, "Slogans", 0.3)
    )
    assert "   1. Doubt             0.50  “Only a fool would trust them.”\n" in out
    # "a fool" sits in "a fool would" (the shortest span holding it), which sits in the sentence
    assert "   2. Slogans           0.30  “a fool would”  inside 1\n" in out
    assert "   3. Loaded language   0.90  “a fool”  inside 2\n" in out


def test_crossing_spans_label_both_brackets():
    out = _render(Span(0, 11, "Doubt", 0.5), Span(5, 17, "Loaded_Language", 0.9))
    assert out.startswith("⟦¹Only ⟦²a fool⟧¹ would⟧² trust")


def test_one_span_with_two_techniques_is_listed_twice():
    out = _render(Span(5, 11, "Doubt", 0.4), Span(5, 11, "Loaded_Language", 0.9))
    # Fixed technique order: Loaded_Language (first in NAMES) before Doubt.
    assert out.startswith("Only ⟦¹⟦²a fool⟧²⟧¹ would")
    assert "1. Loaded language   0.90  “a fool”" in out
    assert "2. Doubt             0.40  “a fool”\n" in out  # same offsets: neither is inside


def test_removing_the_marks_gives_back_the_exact_text():
    spans = [Span(0, 29, "Doubt", 0.5), Span(5, 11), Span(5, 17, "Slogans"), Span(31, 57)]
    assert _MARK.sub("", _marked_part(_render(*spans))) == TEXT.rstrip("\n")


def test_gold_spans_and_multi_line_fragments():
    out = _render(Span(24, 40))  # "them.\n\nThey lied" crosses a paragraph break
    assert "1. Propaganda   gold  “them. They lied”" in out


def test_no_spans():
    out = _render()
    assert out == TEXT.rstrip("\n") + "\n\nNo propaganda techniques found.\n"
    assert summary_line([]) == "No propaganda techniques found."


def test_rendering_leaves_the_article_untouched():
    article = Article.from_text(TEXT, id="1").with_spans([Span(0, 4, "Doubt", 0.2)])
    before = copy.deepcopy(article)
    render_text(article)
    assert article == before
