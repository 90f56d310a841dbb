"""Nested spans in batch tables and reports: every span counted, listed and shown."""

from __future__ import annotations

from proplens.article import Span
from proplens.batch.records import Item, Location
from proplens.batch.rows import TECHNIQUE_COLUMNS, make_row
from proplens.report.pages import article_from_row, render_local, renderer
from proplens.report.stats import gather

TEXT = "Critics warn that the reckless plan will ruin our town. Nothing else."
SENTENCE = (0, TEXT.index(".") + 1)
WORD = (TEXT.index("reckless"), TEXT.index("reckless") + len("reckless"))
SPANS = [
    Span(*WORD, "Loaded_Language", 0.8),
    Span(*SENTENCE, "Appeal_to_fear-prejudice", 0.4),
    Span(*WORD, "Name_Calling,Labeling", 0.3),
]


def nested_row() -> dict:
    item = Item(Location("in.jsonl", 1), "n1", TEXT, title="Plan", source="Gazette")
    return make_row(item, SPANS)


def test_row_counts_and_lists_every_nested_span_and_density_counts_characters_once():
    row = nested_row()
    assert row["n_spans"] == 3
    for technique in ("Loaded_Language", "Appeal_to_fear-prejudice", "Name_Calling,Labeling"):
        assert row[TECHNIQUE_COLUMNS[technique]] == 1
    assert [(s["start"], s["end"], s["technique"]) for s in row["spans"]] == [
        (*SENTENCE, "Appeal_to_fear-prejudice"),
        (*WORD, "Loaded_Language"),
        (*WORD, "Name_Calling,Labeling"),
    ]
    assert row["density"] == SENTENCE[1] / len(TEXT)  # the word lies inside the sentence


def test_report_counts_nested_spans_and_its_page_shows_both_layers():
    row = nested_row()
    stats = gather([row])
    assert stats.overall.techniques["Loaded_Language"] == 1
    assert stats.overall.techniques["Appeal_to_fear-prejudice"] == 1
    assert stats.top_phrases("Loaded_Language", 1) == [("reckless", 1)]
    article = article_from_row(row)
    assert [(s.start, s.end) for s in article.spans] == [
        (s["start"], s["end"]) for s in row["spans"]
    ]
    render, _ = renderer()
    for page in (render(article), render_local(article)):
        word_mark = page[: page.index(">reckless</mark>")]
        word_mark = word_mark[word_mark.rindex("<mark") :]
        assert "Loaded language" in word_mark and "Appeal to fear or prejudice" in word_mark
        assert ">Critics warn that the </mark>" in page  # the sentence around it is marked too
