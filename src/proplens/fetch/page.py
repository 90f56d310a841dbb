"""A fetched page -> an Article: the main text as ``batch`` extracts it from HTML files."""

from __future__ import annotations

import re

from proplens.article import Article
from proplens.batch.html_extract import ExtractionError, extract_html
from proplens.fetch.errors import FetchError
from proplens.fetch.http import FetchLimits, fetch_page


def article_from_url(url: str, limits: FetchLimits | None = None, id: str | None = None) -> Article:
    """Fetch ``url`` and extract its main text; the article keeps ``url`` as its ``url``."""
    page = fetch_page(url, limits or FetchLimits())
    try:
        extracted = extract_html(page.body)
    except ExtractionError as err:
        raise FetchError("no_text", f"{url}: {err}") from None
    meta = extracted.record
    return Article.from_text(
        extracted.text,
        id=id or url_id(page.final_url),
        title=meta["title"] or "",
        source=meta["sitename"],
        date=meta["date"],
        url=url,
    )


def url_id(url: str) -> str:
    """A readable article id: the last path segment without its extension, else the host."""
    path = url.split("://", 1)[-1].split("?", 1)[0].split("#", 1)[0]
    host, _, rest = path.partition("/")
    segments = [s for s in rest.split("/") if s]
    stem = segments[-1].rsplit(".", 1)[0] if segments else host
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")
    return slug or "article"
