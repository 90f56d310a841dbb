"""proplens tells OpenBLAS to let its idle threads sleep, before numpy loads OpenBLAS."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k != "OPENBLAS_THREAD_TIMEOUT"}
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        env={**clean, "PYTHONPATH": str(SRC), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def imported(stderr: str) -> list[str]:
    """Module names in the order ``-X importtime`` finished importing them."""
    return [line.rsplit("|", 1)[-1].strip() for line in stderr.splitlines() if "|" in line]


def test_the_timeout_is_set_before_numpy_is_first_imported():
    done = python(
        "import os, proplens.pipeline.runtime; print(os.environ['OPENBLAS_THREAD_TIMEOUT'])"
    )
    assert done.stdout.strip() == "4"
    order = imported(done.stderr)
    assert "proplens._blas" in order and "numpy" in order
    assert order.index("proplens._blas") < order.index("numpy")


def test_a_timeout_already_set_is_kept():
    done = python(
        "import os, proplens; print(os.environ['OPENBLAS_THREAD_TIMEOUT'])",
        OPENBLAS_THREAD_TIMEOUT="28",
    )
    assert done.stdout.strip() == "28"
