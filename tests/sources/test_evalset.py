"""The evaluation set's markup: every shipped file parses, and the parser refuses bad tags."""

from __future__ import annotations

import pytest

from proplens.errors import FormatError
from proplens.sources.evalset import load_split, parse_markup


def test_markup_becomes_offsets_into_the_plain_text():
    marked = (
        '<k1>"<q1>We won.</k> <k1>We won twice</q1>," '
        "<s1 named>Ruiz</s1> <v1 neutral>said</v1>.</k> <h>Apparently</h> <k>so.</k>"
    )
    text, gold = parse_markup(marked)
    assert text == '"We won. We won twice," Ruiz said. Apparently so.'
    (attribution,) = gold.attributions
    assert text[attribution.source.start : attribution.source.end] == "Ruiz"
    assert attribution.source.kind == "named" and attribution.quote
    assert text[attribution.content_start : attribution.content_end] == "We won. We won twice"
    assert [(text[c.start : c.end], c.attribution) for c in gold.claims] == [
        ('"We won.', 0),
        ('We won twice," Ruiz said.', 0),
        ("so.", None),
    ]
    assert [(text[h.start : h.end], h.kind) for h in gold.hedges] == [("Apparently", "hedge")]


@pytest.mark.parametrize(
    "marked, message",
    [
        ("<s1 named>Ruiz</s1> <v1 neutral>said</v1> so.", "attribution 1 lacks <c1>"),
        ("<s1 famous>Ruiz</s1> <v1 neutral>said</v1> <c1>so</c1>.", "kind 'famous'"),
        ("<s1 named>Ruiz</s1> <v1 doubtful>said</v1> <c1>so</c1>.", "stance 'doubtful'"),
        ("<k2>Ruiz spoke.</k>", "unknown attribution 2"),
        ("<k>Open claim.", "never closed"),
        ("A </s1> stray.", "closes no open tag"),
        ("<k>One <k>two</k> three</k>", "overlap"),
        ("A <b>bold</b> tag.", "malformed tag"),
    ],
)
def test_bad_markup_is_refused(marked, message):
    with pytest.raises(FormatError, match=message):
        parse_markup(marked, "x.txt")


@pytest.mark.parametrize("split", ["dev", "test"])
def test_shipped_evaluation_set_loads(split):
    articles = load_split(split)
    assert len(articles) >= 10
    attributions = sum(len(a.gold.attributions) for a in articles)
    claims = sum(len(a.gold.claims) for a in articles)
    assert attributions >= 75 and claims >= 75
    for article in articles:
        assert "<" not in article.text
        for a in article.gold.attributions:
            assert article.text[a.source.start : a.source.end].strip()
