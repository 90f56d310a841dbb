"""The standalone HTML export: escaped text, every span highlighted, legend, no scripts."""

from __future__ import annotations

from html.parser import HTMLParser

from proplens.article import Article, Span
from proplens.formats.html import render_html, segments
from proplens.techniques import BY_NAME

HOSTILE = (
    "<script>alert(1)</script> headline\n"
    "\n"
    'He said "><img src=x onerror="alert(2)"> it was a disastrous & shameful day.\r\n'
    "Never again, never again!\n"
)


def hostile_article() -> Article:
    start = HOSTILE.index("disastrous")
    again = HOSTILE.index("Never again")
    return Article(
        id="42",
        text=HOSTILE,
        spans=[
            Span(start, start + len("disastrous"), "Loaded_Language", 0.91),
            Span(start, start + len("disastrous & shameful"), "Exaggeration,Minimisation", 0.4),
            Span(again, again + len("Never again, never again"), "Slogans", 0.75),
            Span(again, again + len("Never again"), "Repetition", None),
        ],
    )


class Page(HTMLParser):
    """Collects tags, the text inside <mark>s and inside <article>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.marks: list[tuple[dict, str]] = []
        self.article_text = ""
        self._in_article = self._in_mark = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "article":
            self._in_article = True
        if tag == "mark":
            self._in_mark = True
            self.marks.append((dict(attrs), ""))

    def handle_endtag(self, tag):
        if tag == "article":
            self._in_article = False
        if tag == "mark":
            self._in_mark = False

    def handle_data(self, data):
        if self._in_article:
            self.article_text += data
        if self._in_mark:
            attrs, text = self.marks[-1]
            self.marks[-1] = (attrs, text + data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def test_markup_in_the_article_is_escaped_and_nothing_can_run():
    html = render_html(hostile_article())
    page = parse(html)
    assert "script" not in page.tags and "img" not in page.tags
    assert page.article_text == HOSTILE  # exact text, \r\n included, shown as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt; headline</h1>" in html
    assert "http://" not in html and "https://" not in html  # no external assets


def test_every_span_is_highlighted_and_explained():
    article = hostile_article()
    page = parse(render_html(article))
    highlighted = "".join(text for _, text in page.marks)
    for span in article.spans:
        assert article.span_text(span) in highlighted
    tips = [attrs["data-tip"] for attrs, _ in page.marks]
    disastrous = next(
        t for (a, text), t in zip(page.marks, tips, strict=True) if text == "disastrous"
    )
    assert "Loaded language – confidence 0.91" in disastrous
    assert "Exaggeration, minimisation – confidence 0.40" in disastrous
    assert "emotional charge" in disastrous  # the definition
    assert all(attrs.get("tabindex") == "0" for attrs, _ in page.marks)  # keyboard reachable


def test_overlaps_take_the_innermost_colour_and_stripe_the_others():
    page = parse(render_html(hostile_article()))
    by_text = {text: attrs for attrs, text in page.marks}
    assert by_text["disastrous"]["class"] == "multi"
    loaded, exaggeration = (
        BY_NAME[n].color for n in ("Loaded_Language", "Exaggeration,Minimisation")
    )
    assert by_text["disastrous"]["style"].startswith(f"--c:{loaded}")
    assert exaggeration in by_text["disastrous"]["style"]  # as a stripe
    assert by_text[" & shameful"]["class"] == "one"


def test_legend_counts_each_technique():
    html = render_html(hostile_article())
    assert "Loaded language<b>1</b>" in html
    assert "Slogans<b>1</b>" in html
    assert "4 fragments, 4 techniques" in html


def test_article_without_spans_says_so():
    html = render_html(Article(id="7", text="Calm title\n\nNothing to see."))
    assert "No propaganda technique was found." in html
    assert "<mark" not in html


def test_segments_cut_at_every_boundary_innermost_then_most_confident_first():
    spans = [Span(0, 10, "Doubt", 0.5), Span(5, 15, "Slogans", 0.9), Span(6, 8, "Repetition", 0.1)]
    pieces = [(a, b, [s.technique for s in cover]) for a, b, cover in segments(spans, 20)]
    assert pieces == [
        (0, 5, ["Doubt"]),
        (5, 6, ["Slogans", "Doubt"]),  # equal lengths: the higher score comes first
        (6, 8, ["Repetition", "Slogans", "Doubt"]),  # the shortest span wins despite its score
        (8, 10, ["Slogans", "Doubt"]),
        (10, 15, ["Slogans"]),
        (15, 20, []),
    ]
