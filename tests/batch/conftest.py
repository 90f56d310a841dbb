"""Fixtures for the batch tests (helpers live in batch_helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_helpers import make_articles, write_jsonl


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A JSONL corpus of 30 articles with source and date."""
    return write_jsonl(tmp_path / "corpus.jsonl", make_articles(30))
