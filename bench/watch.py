"""Run a command and watch it: wall time, peak RSS of its process tree, part commit times."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil

BENCH = Path(__file__).resolve().parent
SRC = BENCH.parent / "src"


def env() -> dict:
    """This checkout's proplens and the bench helpers first on the children's path."""
    paths = [str(SRC), str(BENCH), os.environ.get("PYTHONPATH", "")]
    return dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in paths if p))


def proplens(*args: str) -> list[str]:
    return [sys.executable, "-m", "proplens", *args]


def tree_rss(process: psutil.Process) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    total = 0
    for proc in [process, *process.children(recursive=True)]:
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_watched(command: list[str], parts: Path | None = None, interval: float = 0.05) -> dict:
    """Run ``command``; sample its tree's RSS and, if given, when part manifests appear."""
    start = time.monotonic()
    child = subprocess.Popen(command, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True)  # fmt: skip
    process = psutil.Process(child.pid)
    peak = 0
    seen: dict[str, float] = {}
    while child.poll() is None:
        peak = max(peak, tree_rss(process))
        if parts is not None and parts.is_dir():
            now = time.monotonic() - start
            for manifest in parts.glob("part-*.json"):
                seen.setdefault(manifest.name, now)
        time.sleep(interval)
    stderr = child.stderr.read()
    wall = time.monotonic() - start
    if child.returncode != 0:
        raise SystemExit(f"command failed ({child.returncode}): {' '.join(command)}\n{stderr}")
    return {"wall_s": wall, "peak_rss_bytes": peak, "part_times": sorted(seen.values()),
            "stderr": stderr}  # fmt: skip
