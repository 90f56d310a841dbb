"""The local engine: N worker processes on this machine, or the calling process for N=1.

Workers are started with the ``spawn`` method: fresh interpreters that never
inherit the parent's threads or locks, and that see the environment of the
moment (a ``forkserver`` would keep the one of its first use). Each loads the
model once, in the pool initializer, with its share of the cores (see
:mod:`proplens.batch.threads`); with N=1 the model in the calling process uses
them all. A process pool executor is used rather than ``multiprocessing.Pool``
because it reports a worker that dies (killed, out of memory) instead of
waiting for its result forever.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from proplens.batch.engines import Done, Handle
from proplens.batch.records import Item
from proplens.batch.worker import WorkerSpec, analyze_chunk, init_pool_process
from proplens.errors import ProplensError


class WorkerDied(ProplensError):
    """A worker process ended in the middle of the run."""


class LocalEngine:
    def __init__(self, spec: WorkerSpec, workers: int) -> None:
        self.spec = spec
        self.workers = workers
        self.window = 0 if workers == 1 else 2 * workers
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalEngine:
        if self.workers > 1:
            self._executor = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=init_pool_process,
                initargs=(self.spec, self.workers),
            )
        return self

    def submit(self, items: list[Item]) -> Handle:
        if self._executor is None:
            return Done(analyze_chunk(self.spec, items))
        try:
            return _FutureHandle(self._executor.submit(analyze_chunk, self.spec, items))
        except BrokenProcessPool:  # Python 3.12+ may already know when the next chunk goes in
            raise _worker_died() from None

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._executor is None:
            return
        if exc_type is None:
            self._executor.shutdown(wait=True)
            return
        # Interrupted or failed: stop the workers now, nobody will write their chunks.
        processes = _processes(self._executor)
        manager = getattr(self._executor, "_executor_manager_thread", None)
        for process in processes:
            process.terminate()
        self._executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.join(timeout=10)
        # The pool's manager thread closes its wake-up pipe when it sees the dead worker;
        # the interpreter's exit hook writes to that pipe, and in Python 3.11 nothing
        # orders the two (an OSError traceback at exit). Let the thread finish first.
        if manager is not None:
            manager.join(timeout=10)


def _processes(executor: ProcessPoolExecutor) -> list:
    # Python 3.14 has executor.terminate_workers(); before it, the processes are private
    # (and forgotten by shutdown(), so they must be taken first).
    return list((getattr(executor, "_processes", None) or {}).values())


class _FutureHandle:
    def __init__(self, future: Future) -> None:
        self._future = future

    def result(self):
        try:
            return self._future.result()
        except BrokenProcessPool:
            raise _worker_died() from None


def _worker_died() -> WorkerDied:
    return WorkerDied(
        "a worker process died during the run (killed, or out of memory?); "
        "finished chunks are kept: rerun the same command to resume"
    )
