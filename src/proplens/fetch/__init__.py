"""Analyse a web page: fetch a URL safely and extract its main text, as ``batch`` does for HTML.

- ``urls``: telling a URL from a file name (no extra needed)
- ``addresses``: which IP addresses a server may fetch from (no loopback, private, ...)
- ``http``: the fetch itself (timeouts, size limit, bounded redirects, pinned addresses)
- ``page``: a fetched page -> an :class:`~proplens.article.Article` keeping its ``url``

``http`` and ``page`` need the ``url`` extra (httpx, trafilatura).
"""

from proplens.fetch.errors import FetchError
from proplens.fetch.urls import is_url

__all__ = ["FetchError", "is_url"]
