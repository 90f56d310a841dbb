"""Detector and source finder together: the parse runs in a second thread beside the model.

onnxruntime releases the GIL while the detector's encoder runs, so spaCy's
parse of the same articles overlaps with it instead of waiting its turn. The
detector's encoder states of each article are handed to the finder as soon as
they are computed, so that its contextual cue model reads them without a
second encoder run (docs/sources.md, "How it works").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from proplens.article import Article


def analyze_with_sources(
    analyzer: Any, finder: Any, articles: Sequence[Article], threshold: float | None = None
) -> list[Article]:
    """``analyzer.analyze`` of each article, each carrying ``finder``'s sources."""
    model = getattr(analyzer, "model", None)
    if not hasattr(model, "states"):  # an analyzer without encoder states to share
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sources") as pool:
            parsing = pool.submit(lambda: list(finder.find_many(a.text for a in articles)))
            results = [analyzer.analyze(article, threshold) for article in articles]
            found = parsing.result()
        return [replace(r, sources=s) for r, s in zip(results, found, strict=True)]
    shared: list[Future] = [Future() for _ in articles]

    def states() -> Iterator[Any]:
        for future in shared:
            yield future.result()

    encoder = getattr(model, "encoder_sha256", None)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sources") as pool:
        parsing = pool.submit(
            lambda: list(finder.find_many((a.text for a in articles), states(), encoder))
        )
        results = []
        try:
            for article, future in zip(articles, shared, strict=True):
                computed = model.states(article.text)
                future.set_result(computed)
                results.append(analyzer.analyze(article, threshold, states=computed))
        finally:
            for future in shared:  # the parsing thread must not wait for states never coming
                if not future.done():
                    future.set_result(None)
        found = parsing.result()
    return [replace(result, sources=s) for result, s in zip(results, found, strict=True)]
