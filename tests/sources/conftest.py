"""One spaCy pipeline for all source tests (loading it takes a second or two)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def finder():
    from proplens import sources

    return sources.load()
