"""Detector and source finder together: the parse runs in a second thread beside the model.

onnxruntime releases the GIL while the detector's encoder runs, so spaCy's
parse of the same articles overlaps with it instead of waiting its turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from proplens.article import Article


def analyze_with_sources(
    analyzer: Any, finder: Any, articles: Sequence[Article], threshold: float | None = None
) -> list[Article]:
    """``analyzer.analyze`` of each article, each carrying ``finder``'s sources."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sources") as pool:
        parsing = pool.submit(lambda: list(finder.find_many(a.text for a in articles)))
        results = [analyzer.analyze(article, threshold) for article in articles]
        found = parsing.result()
    return [replace(result, sources=s) for result, s in zip(results, found, strict=True)]
