"""The analysis queue: bounded, shortest-deadline first, with a time limit and cancellation.

Before this, every request went straight into a thread pool: work for clients
that had left still ran and was stored, a 50-character article waited behind
three 1 MB ones for minutes, and the queue grew without bound. Now:

* **Bounded.** At most ``workers`` analyses run and ``max_queue`` more wait; a
  request beyond that is refused at once with :class:`Overloaded` (503 with
  ``Retry-After``), before any work is done.
* **Short requests go first.** Each job gets a *virtual deadline*: its arrival
  time plus the time it is expected to run (its size divided by the speed of
  recent long analyses, :attr:`JobQueue.speed`, which starts at
  :data:`INITIAL_SPEED`). A free slot goes to the waiting job with the earliest
  one, so a 50-character article is due at once and a long one only after about
  its own running time. A running job passes a *checkpoint* after every encoder
  call (the analyzer's ``progress`` callback, a fraction of a second to a few
  seconds apart); there it gives its slot to a waiting job due earlier and waits
  for its turn again, so a short article is answered within about one encoder
  call even when long ones fill every slot. A long job is overtaken only by jobs
  that arrive before its own virtual deadline, so shorter ones can at most about
  double its time; it is never starved. At most ``workers`` jobs are paused at
  once: each paused job keeps its encoder states in memory. ``/v1/compare``
  passes checkpoints inside both analyses and between its two articles;
  the sources parse (``/v1/sources``, and inside ``/v1/compare`` and
  ``/v1/analyze``) after every parsed line, where it may be stopped but never
  pauses (it holds the spaCy pipeline's lock).
* **Time limit.** A job not finished ``timeout`` seconds after it was admitted
  (waiting included) is stopped at its next checkpoint and answered with
  :class:`TimedOut` (504).
* **Abandoned work is dropped.** When the client disconnects, its job is
  cancelled: never started if it was still waiting, stopped at the next
  checkpoint if it was running, and its result is not stored.

Jobs run on threads (onnxruntime releases the GIL); cancellation is cooperative
because a thread cannot be killed: work between two checkpoints always finishes.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

INITIAL_SPEED = 20_000.0
"""Characters per second one worker is assumed to analyse until it has measured
itself (about the shipped model's speed on one idle core)."""
LEARN_FROM_CHARS = 5_000
"""Only analyses at least this long measure the speed (short ones are mostly overhead)."""
DEFAULT_TIMEOUT = 300.0
DEFAULT_MAX_QUEUE = 16


class Overloaded(Exception):
    """The queue is full; ``retry_after`` is a rough estimate, in whole seconds."""

    def __init__(self, retry_after: int, waiting: int) -> None:
        super().__init__(
            f"the server is busy ({waiting} analyses waiting, the most its --max-queue allows); "
            f"try again in about {retry_after} s"
        )
        self.retry_after = retry_after


class TimedOut(Exception):
    """The job ran past the server's time limit (it is stopped at its next checkpoint)."""

    def __init__(self, limit: float) -> None:
        super().__init__(
            f"the analysis did not finish within this server's limit of {limit:g} s "
            "(--analysis-timeout); send a shorter text, or try again when the server is less busy"
        )


class Abandoned(Exception):
    """The client went away; the job was dropped and its result must not be kept."""


@dataclass(eq=False)
class _Job:
    size: int
    due: float
    """Virtual deadline: arrival + size / speed (earlier runs first)."""
    deadline: float
    seq: int
    cancelled: type[Exception] | None = None
    started: bool = False
    resumed: float = 0.0
    ran: float = 0.0
    """Seconds on a slot so far (pauses excluded), to measure the speed."""
    done: float = 0.0
    """Fraction of the work done, from the checkpoints' ``progress(done, total)``."""

    def order(self) -> tuple[float, int]:
        return (self.due, self.seq)


class JobQueue:
    """Runs analyses on ``workers`` slots, ``max_queue`` waiting (see the module docstring)."""

    def __init__(
        self,
        workers: int,
        max_queue: int = DEFAULT_MAX_QUEUE,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if workers < 1 or max_queue < 0 or not timeout > 0:
            raise ValueError("workers >= 1, max_queue >= 0 and timeout > 0 are required")
        self.workers = workers
        self.max_queue = max_queue
        self.timeout = timeout
        self.speed = INITIAL_SPEED
        """Characters per second of one worker: a moving average over recent long jobs."""
        self._clock = clock
        self._lock = threading.Condition()
        self._admitted: set[_Job] = set()
        self._waiting: set[_Job] = set()
        self._running = 0
        self._seq = itertools.count()
        # one thread per admitted job: a paused or waiting job holds its thread, not a slot
        self._threads = ThreadPoolExecutor(workers + max_queue, thread_name_prefix="analyze")

    # -- the event-loop side ---------------------------------------------------------------

    async def run(
        self,
        size: int,
        work: Callable[[Callable[..., None]], T],
        client_gone: Callable[[], Awaitable[None]] | None = None,
    ) -> T:
        """``work(checkpoint)`` on a slot; ``checkpoint`` goes to the analyzer as ``progress``.

        Raises :class:`Overloaded` at once when full, :class:`TimedOut` past the
        limit, :class:`Abandoned` when ``client_gone()`` returns first.
        """
        job = self._admit(size)
        running = asyncio.get_running_loop().run_in_executor(
            self._threads, self._execute, job, work
        )
        watching = asyncio.ensure_future(client_gone()) if client_gone is not None else None
        try:
            waited = {running} if watching is None else {running, watching}
            done, _ = await asyncio.wait(
                waited,
                timeout=max(0.0, job.deadline - self._clock()) + 1.0,
                return_when=asyncio.FIRST_COMPLETED,
            )
            if running not in done:
                running.add_done_callback(_retrieve)  # it ends at a checkpoint; nobody awaits it
                self._cancel(job, Abandoned if watching in done else TimedOut)
                if watching in done:
                    raise Abandoned()
                raise TimedOut(self.timeout)
            if watching is not None and watching.done():
                raise Abandoned()  # finished, but nobody is left to answer: keep nothing
            return running.result()
        except asyncio.CancelledError:
            running.add_done_callback(_retrieve)
            self._cancel(job, Abandoned)
            raise
        finally:
            if watching is not None:
                watching.cancel()

    def shutdown(self) -> None:
        with self._lock:
            for job in self._admitted:
                job.cancelled = Abandoned
            self._lock.notify_all()
        self._threads.shutdown(wait=False, cancel_futures=True)

    def _admit(self, size: int) -> _Job:
        now = self._clock()
        with self._lock:
            if len(self._admitted) >= self.workers + self.max_queue:
                raise Overloaded(self._retry_after(), len(self._admitted) - self._running)
            job = _Job(size, now + size / self.speed, now + self.timeout, next(self._seq))
            self._admitted.add(job)
            return job

    def _retry_after(self) -> int:
        chars = sum(j.size for j in self._admitted)
        return max(1, min(60, math.ceil(chars / self.speed / self.workers)))

    def _cancel(self, job: _Job, reason: type[Exception]) -> None:
        with self._lock:
            if job.cancelled is None:
                job.cancelled = reason
            self._lock.notify_all()

    # -- the worker-thread side ------------------------------------------------------------

    def _execute(self, job: _Job, work: Callable[[Callable[..., None]], T]) -> T:
        try:
            with self._lock:
                self._wait_for_slot(job)
                job.started = True

            def checkpoint(done: int = 0, total: int = 0, pause: bool = True) -> None:
                if total > 0:
                    job.done = done / total
                self._checkpoint(job, pause)

            try:
                result = work(checkpoint)
                job.done = 1.0
                return result
            finally:
                with self._lock:
                    self._running -= 1
                    job.ran += self._clock() - job.resumed
                    self._learn(job)  # abandoned and late jobs measure the speed too
                    self._lock.notify_all()
        finally:
            with self._lock:
                self._admitted.discard(job)
                self._waiting.discard(job)

    def _wait_for_slot(self, job: _Job) -> None:
        """Block (lock held) until ``job`` may run: a free slot and no one due earlier."""
        self._waiting.add(job)
        try:
            while True:
                self._raise_if_stopped(job)
                if self._running < self.workers and job is min(self._waiting, key=_Job.order):
                    self._running += 1
                    job.resumed = self._clock()
                    return
                self._lock.wait(timeout=max(0.01, job.deadline - self._clock()))
        finally:
            self._waiting.discard(job)

    def _checkpoint(self, job: _Job, pause: bool = True) -> None:
        """Between encoder calls: stop if cancelled or late; yield to a job due earlier.

        ``pause=False``: stop only, never wait (the caller holds a lock, e.g. the
        sources pipeline's, that the job it would yield to may need).
        """
        with self._lock:
            self._raise_if_stopped(job)
            if not pause or not self._should_yield(job):
                return
            job.ran += self._clock() - job.resumed
            self._running -= 1
            self._lock.notify_all()
            try:
                self._wait_for_slot(job)
            except BaseException:
                self._running += 1  # the caller's finally gives the slot back once
                raise

    def _should_yield(self, job: _Job) -> bool:
        if self._running < self.workers or not self._waiting:
            return False
        paused = sum(1 for j in self._waiting if j.started)
        return paused < self.workers and min(self._waiting, key=_Job.order).order() < job.order()

    def _learn(self, job: _Job) -> None:
        analysed = job.size * job.done
        if analysed >= LEARN_FROM_CHARS and job.ran > 0:
            sample = min(10_000_000.0, max(100.0, analysed / job.ran))
            self.speed = 0.7 * self.speed + 0.3 * sample

    def _raise_if_stopped(self, job: _Job) -> None:
        if job.cancelled is Abandoned:
            raise Abandoned()
        if job.cancelled is TimedOut or self._clock() >= job.deadline:
            job.cancelled = TimedOut
            raise TimedOut(self.timeout)


def client_gone(receive: Callable[[], Awaitable[dict]]) -> Callable[[], Awaitable[None]]:
    """For :meth:`JobQueue.run`: a waiter that returns when the ASGI client disconnects.

    Call it once the request body has been read: ``receive()`` then only ever
    says ``http.disconnect``.
    """

    async def gone() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    return gone


def _retrieve(future: asyncio.Future) -> None:
    """Mark a job's outcome as seen (it was answered already), so asyncio logs no error."""
    if not future.cancelled():
        future.exception()
