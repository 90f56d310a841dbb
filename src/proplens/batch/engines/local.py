"""The local engine: N worker processes on this machine, or the calling process for N=1.

Workers are started with the ``spawn`` method: fresh interpreters that never
inherit the parent's threads or locks, and that see the environment of the
moment (a ``forkserver`` would keep the one of its first use). Each loads the
model once, in the pool initializer.
"""

from __future__ import annotations

import multiprocessing

from proplens.batch.engines import Done, Handle
from proplens.batch.records import Item
from proplens.batch.worker import WorkerSpec, analyze_chunk, init_pool_process


class LocalEngine:
    def __init__(self, spec: WorkerSpec, workers: int) -> None:
        self.spec = spec
        self.workers = workers
        self.window = 0 if workers == 1 else 2 * workers
        self._pool = None

    def __enter__(self) -> LocalEngine:
        if self.workers > 1:
            context = multiprocessing.get_context("spawn")
            self._pool = context.Pool(
                self.workers, initializer=init_pool_process, initargs=(self.spec,)
            )
        return self

    def submit(self, items: list[Item]) -> Handle:
        if self._pool is None:
            return Done(analyze_chunk(self.spec, items))
        return _AsyncHandle(self._pool.apply_async(analyze_chunk, (self.spec, items)))

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._pool is None:
            return
        if exc_type is None:
            self._pool.close()
        else:  # interrupted or failed: do not wait for chunks nobody will write
            self._pool.terminate()
        self._pool.join()


class _AsyncHandle:
    def __init__(self, async_result) -> None:
        self._async_result = async_result

    def result(self):
        return self._async_result.get()
