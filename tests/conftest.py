"""Shared fixtures: where the licensed research data lives (never in the repo)."""

from __future__ import annotations

from pathlib import Path

import pytest

try:  # property tests: no per-example time limits (CI and shared machines are often busy)
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "proplens", deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    settings.load_profile("proplens")
except ImportError:  # hypothesis comes with the test extra
    pass

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
PTC_TRAIN = SHARED_DATA / "ptc-train"


@pytest.fixture(scope="session")
def ptc_train() -> Path:
    """The PTC training split; tests that need it skip where it is absent."""
    if not (PTC_TRAIN / "articles").is_dir():
        pytest.skip(f"PTC training corpus not found at {PTC_TRAIN} (licensed, not in the repo)")
    return PTC_TRAIN
