"""Articles with proplens' spans -> Label Studio tasks whose predictions are pre-annotations.

One task per article: ``data`` holds the exact text, the article id and title;
``predictions`` holds one prediction (the model's name and version, an overall
score, and one ``labels`` region per span with its own score). Region offsets
are UTF-16 code units, as Label Studio counts them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from proplens.article import Article
from proplens.integrations.labelstudio.config import FROM_NAME, TO_NAME
from proplens.integrations.utf16 import UnitOffsets


def articles_to_tasks(
    articles: Iterable[Article], model: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Tasks for ``articles`` (already analysed), ready for Label Studio's JSON import."""
    return [article_task(article, model) for article in articles]


def article_task(article: Article, model: Mapping[str, str] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"id": article.id, "title": article.title, "text": article.text}
    data.update({k: v for k, v in _meta(article).items() if v})
    units = UnitOffsets(article.text)
    regions = [
        _region(article, span, units, f"p{number}")
        for number, span in enumerate(article.spans, start=1)
        if span.technique
    ]
    scores = [r["score"] for r in regions if r.get("score") is not None]
    prediction = {
        "model_version": _model_version(model),
        # the mean region score: Label Studio can sort tasks by it (least sure first)
        "score": round(sum(scores) / len(scores), 4) if scores else 0.0,
        "result": regions,
    }
    return {"data": data, "predictions": [prediction]}


def _region(article: Article, span, units: UnitOffsets, region_id: str) -> dict[str, Any]:
    region: dict[str, Any] = {
        "id": region_id,
        "from_name": FROM_NAME,
        "to_name": TO_NAME,
        "type": "labels",
        "origin": "prediction",
        "value": {
            "start": units.to_units(span.start),
            "end": units.to_units(span.end),
            "text": article.span_text(span),
            "labels": [span.technique],
        },
    }
    if span.score is not None:
        region["score"] = round(float(span.score), 4)
    return region


def _meta(article: Article) -> dict[str, str | None]:
    return {"source": article.source, "url": article.url, "date": article.date}


def _model_version(model: Mapping[str, str] | None) -> str:
    if not model:
        return "proplens"
    return " ".join(part for part in (model.get("name"), model.get("version")) if part)
