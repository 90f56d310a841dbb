"""``POST /v1/analyze`` with ``{"url": ...}``: fetch the page on the user's behalf, guarded.

The server refuses loopback, private, link-local and other non-public
addresses unless started with ``--allow-private-urls`` (see proplens.fetch).
"""

from __future__ import annotations

import importlib

from proplens.article import Article
from proplens.errors import install_hint
from proplens.fetch.errors import FetchError
from proplens.fetch.urls import EXTRA_MODULES


def url_article(url: str, title: str | None, allow_private: bool) -> Article:
    """The page's main text as an article (blocking: run it off the event loop)."""
    for name in EXTRA_MODULES:
        # Imported, not just looked up: an installed trafilatura whose own
        # dependency is missing must be a 503 naming it, not a 500 later.
        try:
            importlib.import_module(name)
        except ImportError:
            raise FetchError(
                "unavailable",
                f"this server cannot fetch URLs ({name} is missing or broken): "
                f"{install_hint('url')}",
            ) from None
    from proplens.fetch.http import FetchLimits
    from proplens.fetch.page import article_from_url

    article = article_from_url(url, FetchLimits(allow_private=allow_private))
    if title:
        article.title = title
    return article
