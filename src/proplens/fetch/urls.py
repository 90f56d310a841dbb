"""Telling a URL from a file name, without the ``url`` extra installed."""

from __future__ import annotations

import re

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
EXTRA_MODULES = ("httpx", "lxml_html_clean", "trafilatura")
"""What fetching needs (the ``url`` extra). lxml_html_clean comes before trafilatura,
which needs it, so that its absence is named as such (pip before 24 skipped it)."""


def is_url(value: str) -> bool:
    """Whether an argument names a URL (``scheme://...``) rather than a file."""
    return bool(_SCHEME.match(value))
