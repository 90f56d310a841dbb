"""One analyzer for the whole session: loading is the slow part, analysing is not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import proplens
from proplens.pipeline.runtime import SHIPPED_DIR


@pytest.fixture(scope="session")
def analyzer():
    return proplens.load()


@pytest.fixture()
def model_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped model folder, to tamper with."""
    target = tmp_path / "model"
    shutil.copytree(SHIPPED_DIR, target)
    return target
