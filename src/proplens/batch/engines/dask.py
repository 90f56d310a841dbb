"""The Dask engine: the same chunks on a Dask distributed cluster.

Without a scheduler address it starts a ``LocalCluster`` of N single-threaded
worker processes (so it can be tried on one machine); with ``--scheduler`` it
connects to a running cluster, whose workers need proplens installed and the
model available (see docs/batch.md). Each worker process loads the model once,
through the module-level cache in :mod:`proplens.batch.worker`, with its share
of its machine's cores (see :mod:`proplens.batch.threads`), set by a worker plugin.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections import Counter
from contextlib import contextmanager

from distributed import WorkerPlugin
from distributed.comm import get_address_host

from proplens.batch.engines import Handle
from proplens.batch.records import Item
from proplens.batch.threads import share_cores
from proplens.batch.worker import WorkerSpec, analyze_chunk
from proplens.errors import InputError, ProplensError


class DaskEngine:
    def __init__(self, spec: WorkerSpec, workers: int, scheduler: str | None) -> None:
        self.spec = spec
        self.workers = workers
        self.scheduler = scheduler
        self.window = 2 * workers
        self._client = None
        self._cluster = None

    def __enter__(self) -> DaskEngine:
        from distributed import Client, LocalCluster

        if self.scheduler:
            try:
                self._client = Client(self.scheduler, timeout="20s")
            except (OSError, TimeoutError, ValueError) as err:
                raise InputError(
                    f"cannot reach the Dask scheduler at {self.scheduler} ({err})"
                ) from None
            nthreads = self._client.nthreads()
            self.window = 2 * max(self.workers, len(nthreads))
            self._client.register_plugin(ShareCores(_threads_per_host(nthreads)))
        else:
            with _workers_ignore_ctrl_c():
                self._cluster = LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            self._client = Client(self._cluster)
            self._client.register_plugin(ShareCores({}, default=self.workers))
        return self

    def submit(self, items: list[Item]) -> Handle:
        return _DaskHandle(self._client.submit(analyze_chunk, self.spec, items, pure=False))

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None and issubclass(exc_type, KeyboardInterrupt):
            _quiet_teardown_logs()
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()


class ShareCores(WorkerPlugin):
    """Give each worker process its share of its machine's cores before it loads the model.

    ``per_host`` counts the task threads on each host (each may run the model at
    the same time); hosts not in it count ``default``. A value the user set in a
    worker's environment is kept. A worker that already loaded the model in an
    earlier run keeps the threads it loaded it with.
    """

    name = "proplens-share-cores"

    def __init__(self, per_host: dict[str, int], default: int = 1) -> None:
        self.per_host = per_host
        self.default = default

    def setup(self, worker) -> None:
        share_cores(self.per_host.get(get_address_host(worker.address), self.default))


def _threads_per_host(nthreads: dict[str, int]) -> dict[str, int]:
    per_host: Counter[str] = Counter()
    for address, threads in nthreads.items():
        per_host[get_address_host(address)] += threads
    return dict(per_host)


class _DaskHandle:
    def __init__(self, future) -> None:
        self._future = future

    def result(self):
        from distributed import KilledWorker

        try:
            return self._future.result()
        except KilledWorker as err:
            raise ProplensError(
                f"Dask workers kept dying on a chunk ({err}); finished chunks are kept: "
                "rerun the same command to resume"
            ) from None


TEARDOWN_LOGGERS = ("tornado", "tornado.application", "asyncio", "distributed")


def _quiet_teardown_logs() -> None:
    """After Ctrl-C, drop what the cluster's teardown logs: the run is over, its parts kept.

    Closing the client and cluster while a chunk is in flight can make a
    callback on Dask's event-loop thread fail; tornado logs that at ERROR with
    a traceback ("Exception in callback ..."), once in several interrupts. The
    user asked to stop and is told how to resume; a traceback would read as a
    crash. Left quiet for the rest of the process, which is about to exit
    (the callbacks can fire after ``close`` returns).
    """
    for name in TEARDOWN_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


@contextmanager
def _workers_ignore_ctrl_c():
    """Start worker processes with SIGINT ignored (inherited), so Ctrl-C reaches only us.

    On a terminal Ctrl-C goes to every process of the group; Dask workers would
    print tracebacks. This process then stops the cluster itself.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
