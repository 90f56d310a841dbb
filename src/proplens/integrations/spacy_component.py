"""proplens as a spaCy pipeline component: ``nlp.add_pipe("proplens")`` in any pipeline.

The factory is registered through spaCy's ``spacy_factories`` entry point, so it
works in a fresh process and in ``spacy.blank("en")``, with nothing imported by
hand. The component analyses ``doc.text`` and sets ``doc.spans["propaganda"]``:
one span per fragment, labelled with the technique's corpus name; the group's
``attrs`` hold each span's ``scores`` and exact character ``offsets``.

Fragments are mapped onto tokens with ``alignment_mode="expand"``: a fragment
that starts or ends inside a token grows to that token's edge, so no character
of the fragment is lost; the exact offsets stay in ``attrs["offsets"]``. A
fragment made only of whitespace between tokens has no token to hold it and is
left out (proplens' spans never are: they start and end on word pieces).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, SpanGroup
from spacy.util import minibatch

from proplens.article import Article
from proplens.techniques import TECHNIQUES

SPANS_KEY = "propaganda"
DISPLACY_COLORS: dict[str, str] = {t.name: t.color for t in TECHNIQUES}
"""Technique name -> proplens' colour; registered as ``spacy_displacy_colors`` so that
``displacy.render(doc, style="span", options={"spans_key": "propaganda"})`` uses them."""


@Language.factory(
    "proplens",
    default_config={"model": None, "threshold": None, "spans_key": SPANS_KEY, "batch_size": 16},
)
def make_proplens(
    nlp: Language,
    name: str,
    model: str | None,
    threshold: float | None,
    spans_key: str,
    batch_size: int,
) -> ProplensComponent:
    """``model``: a model folder (default: the shipped one); ``threshold``: the model's if None."""
    import proplens

    return ProplensComponent(proplens.load(model, threshold=threshold), spans_key, batch_size)


class ProplensComponent:
    """Sets ``doc.spans[spans_key]`` from one shared :class:`proplens.Analyzer`."""

    def __init__(self, analyzer, spans_key: str = SPANS_KEY, batch_size: int = 16) -> None:
        self.analyzer = analyzer
        self.spans_key = spans_key
        self.batch_size = batch_size

    def __call__(self, doc: Doc) -> Doc:
        self._set_spans(doc, self._analyze(doc))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        """Used by ``nlp.pipe``: docs in batches, in order, the model loaded once."""
        for batch in minibatch(docs, size=batch_size or self.batch_size):
            articles = [self._analyze(doc) for doc in batch]
            for doc, article in zip(batch, articles, strict=True):
                self._set_spans(doc, article)
                yield doc

    def _analyze(self, doc: Doc) -> Article | None:
        if not doc.text.strip():
            return None  # nothing to analyse; the doc still gets an (empty) group
        return self.analyzer.analyze(Article(id="doc", text=doc.text))

    def _set_spans(self, doc: Doc, article: Article | None) -> None:
        spans, scores, offsets = [], [], []
        for fragment in article.spans if article else []:
            span = doc.char_span(
                fragment.start, fragment.end, label=fragment.technique, alignment_mode="expand"
            )
            if span is None:  # only whitespace between tokens: no token to hold it
                continue
            spans.append(span)
            scores.append(fragment.score)
            offsets.append((fragment.start, fragment.end))
        doc.spans[self.spans_key] = SpanGroup(
            doc, name=self.spans_key, spans=spans, attrs={"scores": scores, "offsets": offsets}
        )
