"""Article in, spans out: offsets are exact on any text, thresholds filter, threads agree."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from proplens import Article, Span
from proplens.errors import InputError
from proplens.formats import article_from_dict, article_to_dict
from proplens.techniques import NAMES

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "harbour-deal.txt"

AWKWARD_TEXTS = {
    "crlf": "Harbour deal\r\n\r\nThe reckless, shameful council betrayed us.\r\n"
    "Can we really trust a mayor who hides the contract?\r\n",
    "emoji": "Deal 🚢🔥\n\nThe 😡 shameful council betrayed every honest islander 🏝️!\n"
    "Only a fool 🤡 would trust them.\n",
    "non_latin": "Сделка\n\nЭтот позорный совет предал нас. 這是一個可恥的決定。\n"
    "The disgraceful council betrayed every honest islander.\n",
    "no_newline": "the shameless so-called experts lied and lied and lied",
    "punctuation": "!!! ??? ... ---",
}


@pytest.mark.parametrize("name", sorted(AWKWARD_TEXTS))
def test_spans_are_exact_offsets_on_awkward_text(analyzer, name):
    text = AWKWARD_TEXTS[name]
    result = analyzer.analyze(Article.from_text(text, id=name), threshold=0.0)
    assert result.text == text
    for span in result.spans:
        assert 0 <= span.start < span.end <= len(text)
        assert span.technique in NAMES
        assert 0.0 <= span.score <= 1.0
        fragment = text[span.start : span.end]
        assert fragment == fragment.strip(), "spans are trimmed of surrounding whitespace"
        assert "\n" not in fragment, "a detected span never crosses a line break"
    document = json.loads(json.dumps(article_to_dict(result), ensure_ascii=False))
    for item in document["spans"]:
        assert item["text"] == text[item["start"] : item["end"]]
    assert article_from_dict(document).spans == result.spans


def test_example_article_shows_several_techniques(analyzer):
    result = analyzer.analyze(Article.from_file(EXAMPLE))
    techniques = {span.technique for span in result.spans}
    assert len(result.spans) >= 4
    assert len(techniques) >= 3
    assert techniques & {"Loaded_Language", "Name_Calling,Labeling", "Flag-Waving"}


def test_higher_threshold_keeps_a_subset(analyzer):
    article = Article.from_file(EXAMPLE)
    everything = analyzer.analyze(article, threshold=0.0).spans
    sure = analyzer.analyze(article, threshold=0.25).spans
    assert set(sure) <= set(everything)
    assert all(span.score >= 0.25 for span in sure)
    assert len(sure) < len(everything)


def test_threshold_outside_unit_interval_is_refused(analyzer):
    with pytest.raises(InputError, match="between 0 and 1"):
        analyzer.analyze("Some text.", threshold=1.5)


def test_concurrent_analyses_agree(analyzer):
    texts = [Article.from_file(EXAMPLE).text] + [AWKWARD_TEXTS[k] for k in sorted(AWKWARD_TEXTS)]
    alone = [analyzer.analyze(t).spans for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda t: analyzer.analyze(t).spans, texts * 2))
    assert together == alone * 2


def test_classify_names_each_span_and_splits_repeated_spans(analyzer):
    article = Article.from_file(EXAMPLE)
    start = article.text.index("Every true islander")
    span = Span(start, start + len("Every true islander knows that the harbour belongs to us"))
    named = analyzer.classify(article, [span, span])
    assert [(s.start, s.end) for s in named] == [(span.start, span.end)] * 2
    assert named[0].technique != named[1].technique, "a repeated span gets its top-2"
    assert named[0].score >= named[1].score


def test_classify_refuses_a_span_beyond_the_text(analyzer):
    article = Article.from_text("Short text here.")
    with pytest.raises(InputError, match="beyond the end"):
        analyzer.classify(article, [Span(0, 999)])
