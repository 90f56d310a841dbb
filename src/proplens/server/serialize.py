"""The analysis JSON that ``proplens analyze --format json`` prints, for the server.

A stand-in until ``proplens.formats.jsonio.article_to_dict`` (another branch)
is merged; the keys and their meaning must stay identical to it.
"""

from __future__ import annotations

from proplens.article import Article

SCHEMA_VERSION = "1.0"


def article_to_dict(article: Article) -> dict:
    """``{"schema_version", "id", "title", "text", "spans": [...]}``; span text is derived."""
    return {
        "schema_version": SCHEMA_VERSION,
        "id": article.id,
        "title": article.title,
        "text": article.text,
        "spans": [
            {
                "start": span.start,
                "end": span.end,
                "technique": span.technique,
                "score": span.score,
                "text": article.span_text(span),
            }
            for span in article.spans
        ],
    }
