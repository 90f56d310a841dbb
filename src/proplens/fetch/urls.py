"""Telling a URL from a file name, without the ``url`` extra installed."""

from __future__ import annotations

import re

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
EXTRA_MODULES = ("httpx", "trafilatura")
"""What fetching needs (the ``url`` extra)."""


def is_url(value: str) -> bool:
    """Whether an argument names a URL (``scheme://...``) rather than a file."""
    return bool(_SCHEME.match(value))
