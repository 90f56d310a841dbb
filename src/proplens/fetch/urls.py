"""Telling a URL from a file name, without the ``url`` extra installed."""

from __future__ import annotations

import re

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_USERINFO = re.compile(r"^(\s*[A-Za-z][A-Za-z0-9+.-]*://)[^/?#\\]*@")
"""The user name and password of a URL: up to the last ``@`` before the path."""
EXTRA_MODULES = ("httpx", "lxml_html_clean", "trafilatura")
"""What fetching needs (the ``url`` extra). lxml_html_clean comes before trafilatura,
which needs it, so that its absence is named as such (pip before 24 skipped it)."""


def is_url(value: str) -> bool:
    """Whether an argument names a URL (``scheme://...``) rather than a file."""
    return bool(_SCHEME.match(value))


def redact_url(url: str) -> str:
    """``url`` with any user name and password replaced by ``***``, for messages.

    A URL given with credentials is refused, and the refusal must not echo the
    password back into terminals, logs or API answers: ``http://***@host/path``.
    """
    return _USERINFO.sub(r"\1***@", url)
