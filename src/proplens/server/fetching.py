"""``POST /v1/analyze`` with ``{"url": ...}``: fetch the page on the user's behalf, guarded.

The server refuses loopback, private, link-local and other non-public
addresses unless started with ``--allow-private-urls`` (see proplens.fetch).
"""

from __future__ import annotations

import importlib.util

from proplens.article import Article
from proplens.fetch.errors import FetchError
from proplens.fetch.urls import EXTRA_MODULES


def url_article(url: str, title: str | None, allow_private: bool) -> Article:
    """The page's main text as an article (blocking: run it off the event loop)."""
    missing = [name for name in EXTRA_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise FetchError(
            "unavailable",
            f"this server cannot fetch URLs ({missing[0]} is missing): pip install 'proplens[url]'",
        )
    from proplens.fetch.http import FetchLimits
    from proplens.fetch.page import article_from_url

    article = article_from_url(url, FetchLimits(allow_private=allow_private))
    if title:
        article.title = title
    return article
