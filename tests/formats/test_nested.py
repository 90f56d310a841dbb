"""Nested and overlapping spans in every file format: nothing merged, dropped or reordered.

The article is built directly (no model): a sentence of fear holding a loaded
word, the same loaded word named a second time as name calling (one fragment,
two techniques), and a slogan that crosses the sentence's end.
"""

from __future__ import annotations

import io
from html.parser import HTMLParser

from proplens.article import Article, Span
from proplens.formats import jsonio, semeval
from proplens.formats.html import render_html
from proplens.formats.text import render_text

TEXT = (
    "Harbour plan\n\nCritics warn that the reckless plan will ruin our town. Vote now, vote no.\n"
)


def nested_article() -> Article:
    sentence = TEXT.index("Critics")
    word = TEXT.index("reckless")
    town = TEXT.index("town")
    spans = [
        Span(sentence, TEXT.index(".", sentence) + 1, "Appeal_to_fear-prejudice", 0.92),
        Span(word, word + len("reckless"), "Loaded_Language", 0.81),
        Span(word, word + len("reckless"), "Name_Calling,Labeling", 0.2),
        Span(town, TEXT.index("vote no"), "Slogans", 0.3),  # crosses the sentence's end
    ]
    return Article.from_text(TEXT, id="nest").with_spans(spans)


def offsets(article: Article) -> list[tuple[int, int, str | None, float | None]]:
    return [(s.start, s.end, s.technique, s.score) for s in article.spans]


def test_json_keeps_every_nested_span_as_an_independent_span():
    article = nested_article()
    data = jsonio.article_to_dict(article)
    assert [(s["start"], s["end"], s["technique"]) for s in data["spans"]] == [
        (s.start, s.end, s.technique) for s in article.spans
    ]
    assert [s["text"] for s in data["spans"]][:3] == [
        "Critics warn that the reckless plan will ruin our town.",
        "reckless",
        "reckless",
    ]
    assert offsets(jsonio.loads(jsonio.dumps(article))) == offsets(article)


def test_jsonl_round_trips_nested_spans():
    stream = io.StringIO()
    jsonio.write_jsonl(stream, [nested_article()])
    (back,) = jsonio.iter_jsonl(stream.getvalue().splitlines())
    assert offsets(back) == offsets(nested_article())


def test_semeval_rows_keep_nested_and_same_offset_spans(tmp_path):
    article = nested_article()
    path = tmp_path / "pred.labels"
    semeval.write_label_file(path, semeval.rows_from_articles([article]), "tc")
    rows = semeval.read_labels(path, "tc")
    assert [(r.start, r.end, r.technique) for r in rows] == [
        (s.start, s.end, s.technique) for s in article.spans
    ]
    # SI rows: the two techniques of "reckless" are still two rows (the scorer merges them)
    si = semeval.format_labels(semeval.rows_from_articles([article]), "si").splitlines()
    assert len(si) == 4


def test_terminal_brackets_nest_and_the_list_names_the_holder():
    out = render_text(nested_article())
    assert (
        "⟦¹Critics warn that the ⟦²⟦³reckless⟧³⟧² plan will ruin our ⟦⁴town.⟧¹ Vote now, ⟧⁴" in out
    )
    assert "“reckless”  inside 1" in out


class Marks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.marks: list[tuple[str, str]] = []  # (text, tooltip)
        self._tip: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "mark":
            self._tip = dict(attrs)["data-tip"]
            self.marks.append(("", self._tip))

    def handle_endtag(self, tag):
        if tag == "mark":
            self._tip = None

    def handle_data(self, data):
        if self._tip is not None:
            text, tip = self.marks[-1]
            self.marks[-1] = (text + data, tip)


def test_html_export_highlights_the_word_inside_the_sentence_with_both_tooltips():
    parser = Marks()
    parser.feed(render_html(nested_article()))
    tips = dict(parser.marks)
    assert tips["Critics warn that the "].startswith("Appeal to fear or prejudice")
    assert "Loaded language" not in tips["Critics warn that the "]
    word = tips[
        "reckless"
    ]  # the loaded word's techniques first, then its (more confident) sentence
    assert word.index("Loaded language") < word.index("Appeal to fear or prejudice")
    assert "Name calling, labeling" in word
    assert " plan will ruin our " in tips  # the sentence goes on after the word
