"""Compare two versions of a story: analyse both, align their sentences, flag the changes.

A :class:`Comparer` holds the detector (and, when available, the sources
finder), loaded once and reused for any number of comparisons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from proplens.article import Article
from proplens.compare import sources_adapter
from proplens.compare.align import align
from proplens.compare.flags import Context, flag_item
from proplens.compare.result import Comparison, Item
from proplens.compare.sentences import Sentence, split_sentences
from proplens.compare.summary import summarize
from proplens.compare.words import tokens, word_changes


class Comparer:
    """Compares a reference version A with a version B under suspicion."""

    def __init__(self, analyzer: Any, finder: Any = None, skipped: str | None = None) -> None:
        self.analyzer = analyzer
        self.finder = finder
        self.skipped = skipped if finder is None else None
        if finder is None and skipped is None:
            self.skipped = "no sources finder was given"

    @classmethod
    def load(
        cls,
        model_dir: str | None = None,
        threshold: float | None = None,
        sources: bool = True,
    ) -> Comparer:
        """The shipped detector (or ``model_dir``) and, if ``sources``, the sources finder."""
        from proplens.analyzer import Analyzer

        analyzer = Analyzer.load(model_dir, threshold=threshold)
        if not sources:
            return cls(analyzer, None, "turned off")
        finder, why = sources_adapter.load_finder()
        return cls(analyzer, finder, why)

    @property
    def card(self) -> dict:
        return self.analyzer.card

    def compare(
        self,
        a: Article | str,
        b: Article | str,
        threshold: float | None = None,
        progress: Callable[..., None] | None = None,
    ) -> Comparison:
        """How ``b`` differs from ``a``; both are analysed with the detector first.

        ``threshold`` is the detector's (its default if None): the technique
        fragments shown, and the loaded-terms flags, are the spans scoring at least this.
        ``progress(done, total)``, if given, is called after every encoder call
        (characters of A and B analysed so far, of both together), and
        ``progress()`` between the two articles and before the alignment (and,
        through the sources finder, ``progress(pause=False)`` between parsed
        lines): the server's job queue stops or pauses a comparison there
        (server/jobs.py).
        """
        a, b = _article(a, "a"), _article(b, "b")
        if progress is None:
            a = self.analyzer.analyze(a, threshold)
            b = self.analyzer.analyze(b, threshold)
        else:
            total = len(a.text) + len(b.text)
            a = self.analyzer.analyze(
                a, threshold, progress=_share(progress, 0, len(a.text), total)
            )
            progress()
            b = self.analyzer.analyze(
                b, threshold, progress=_share(progress, len(a.text), len(b.text), total)
            )
        if self.finder is not None:
            a = replace(a, sources=sources_adapter.find(self.finder, a.text, progress))
            b = replace(b, sources=sources_adapter.find(self.finder, b.text, progress))
        if progress is not None:
            progress()  # the last chance to stop before aligning
        return build(a, b, a.sources, b.sources, self.skipped)


def build(
    a: Article,
    b: Article,
    a_sources: Any = None,
    b_sources: Any = None,
    skipped: str | None = None,
) -> Comparison:
    """The comparison of two already analysed articles (and their sources, if found)."""
    a_sentences, b_sentences = split_sentences(a.text), split_sentences(b.text)
    items = [
        _item(link, a, b, a_sentences, b_sentences) for link in align(a_sentences, b_sentences)
    ]
    comparison = Comparison(a, b, a_sentences, b_sentences, items, a_sources, b_sources, skipped)
    ctx = Context(a, b, items, a_sentences, a_sources, b_sources, b_sentences)
    for item in items:
        item.flags = flag_item(item, ctx)
    comparison.summary = summarize(comparison)
    return comparison


def _item(link, a: Article, b: Article, a_sentences, b_sentences) -> Item:
    a_pieces = [_offsets(a_sentences[i]) for i in link.a]
    b_pieces = [_offsets(b_sentences[j]) for j in link.b]
    item = Item(
        link.kind,
        link.a,
        link.b,
        _cover(a_pieces),
        _cover(b_pieces),
        1.0 if link.kind == "same" else link.similarity,
    )
    if a_pieces and b_pieces and link.kind != "same":
        item.changes = word_changes(tokens(a.text, a_pieces), tokens(b.text, b_pieces))
    return item


def _offsets(sentence: Sentence) -> tuple[int, int]:
    return sentence.start, sentence.end


def _cover(pieces: list[tuple[int, int]]) -> tuple[int, int] | None:
    return (pieces[0][0], pieces[-1][1]) if pieces else None


def _share(
    progress: Callable[..., None], before: int, size: int, total: int
) -> Callable[[int, int], None]:
    """One article's ``progress(done, total)`` as characters of the whole comparison."""

    def report(done: int, of: int) -> None:
        progress(before + (size * done // of if of else 0), total)

    return report


def _article(value: Article | str, side: str) -> Article:
    return Article.from_text(value, id=side) if isinstance(value, str) else value
