"""Share the CPU cores between worker processes instead of oversubscribing them.

The model's onnxruntime session uses every core unless ``PROPLENS_THREADS``
sets its intra-op threads. N worker processes on one machine, each using every
core, fight over them and run slower than fewer threads each would. So every
worker process sets ``PROPLENS_THREADS`` to its share, ``max(1, cores // N)``,
before it loads the model, unless the user already chose a value.
"""

from __future__ import annotations

import os

from proplens.pipeline.runtime import THREADS as THREADS_VARIABLE


def available_cores() -> int:
    """Cores this process may run on (the affinity mask, not the machine's total)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def threads_per_worker(workers: int, cores: int | None = None) -> int:
    """Each worker's share of ``cores`` when ``workers`` processes run side by side."""
    cores = available_cores() if cores is None else cores
    return max(1, cores // max(1, workers))


def share_cores(workers: int) -> None:
    """Set this worker process's model threads to its share, unless the user set them."""
    if os.environ.get(THREADS_VARIABLE, "").strip():
        return
    os.environ[THREADS_VARIABLE] = str(threads_per_worker(workers))
