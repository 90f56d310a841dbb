"""One release number, shown with the shipped model's version wherever a user looks."""

from __future__ import annotations

import importlib.metadata
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

import proplens
from proplens import version

ROOT = Path(__file__).resolve().parents[1]
CARD = json.loads(version.SHIPPED_CARD.read_text(encoding="utf-8"))


def test_version_prints_the_release_and_the_shipped_models_card_version():
    done = subprocess.run(
        [sys.executable, "-m", "proplens", "--version"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        f"proplens {proplens.__version__} (model {CARD['name']} {CARD['version']})\n"
    )


def test_the_release_is_written_once_and_pyproject_reads_it():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    attr = project["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert attr == "proplens.version.__version__"
    assert proplens.__version__ is version.__version__


def test_the_changelog_describes_the_current_release_first():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", changelog, re.M)
    assert releases and releases[0] == proplens.__version__, releases
    assert "0.1.0" in releases


def test_installed_metadata_agrees_when_installed_from_this_tree():
    try:
        dist = importlib.metadata.distribution("proplens")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("proplens is not installed, only on the path")
    origin = json.loads(dist.read_text("direct_url.json") or "{}").get("url", "")
    if not origin or Path(unquote(urlparse(origin).path)).resolve() != ROOT:
        pytest.skip(f"the installed proplens comes from {origin or 'elsewhere'}, not this tree")
    assert dist.version == proplens.__version__


def test_a_damaged_card_gives_unknown_not_a_traceback(tmp_path, monkeypatch):
    card = tmp_path / "card.json"
    monkeypatch.setattr(version, "SHIPPED_CARD", card)
    assert version.shipped_model_version() == "unknown"  # missing
    card.write_text("{not json")
    assert version.shipped_model_version() == "unknown"
    card.write_text('{"name": "m", "version": "2026.01.02"}')
    assert version.shipped_model_version() == "m 2026.01.02"
