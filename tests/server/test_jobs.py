"""The analysis queue in-process: order, yielding at checkpoints, the pause cap, the bound."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from proplens.server.jobs import Abandoned, JobQueue, Overloaded, TimedOut


class Works:
    """Work functions taking ``steps`` checkpoints of 10 ms; records starts and ends in order."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.started = {}
        self._lock = threading.Lock()

    def make(self, name: str, steps: int):
        self.started[name] = threading.Event()

        def work(checkpoint) -> str:
            self._note(f"start {name}")
            self.started[name].set()
            for step in range(steps):
                time.sleep(0.01)
                checkpoint(step + 1, steps)
            self._note(f"end {name}")
            return name

        return work

    def _note(self, event: str) -> None:
        with self._lock:
            self.events.append(event)


async def started(works: Works, name: str) -> None:
    while not works.started[name].is_set():
        await asyncio.sleep(0.005)


def test_a_short_job_overtakes_a_running_long_one():
    works = Works()

    async def scenario():
        queue = JobQueue(workers=1, max_queue=4)
        long = asyncio.ensure_future(queue.run(200_000, works.make("long", 100)))
        await started(works, "long")
        short = await queue.run(50, works.make("short", 1))
        assert not long.done()
        assert await long == "long"
        return short

    assert asyncio.run(scenario()) == "short"
    assert works.events == ["start long", "start short", "end short", "end long"]


def test_at_most_workers_jobs_are_paused():
    """With one worker, one job may pause: the shortest then waits for the medium one."""
    works = Works()

    async def scenario():
        queue = JobQueue(workers=1, max_queue=4)
        jobs = [asyncio.ensure_future(queue.run(400_000, works.make("long", 60)))]
        await started(works, "long")
        jobs.append(asyncio.ensure_future(queue.run(100_000, works.make("medium", 30))))
        await started(works, "medium")
        jobs.append(asyncio.ensure_future(queue.run(10, works.make("short", 1))))
        await asyncio.gather(*jobs)

    asyncio.run(scenario())
    ends = [e for e in works.events if e.startswith("end")]
    assert ends == ["end medium", "end short", "end long"]


def test_a_full_queue_refuses_at_once_and_frees_up_after():
    works = Works()

    async def scenario():
        queue = JobQueue(workers=1, max_queue=1)
        first = asyncio.ensure_future(queue.run(1000, works.make("first", 20)))
        second = asyncio.ensure_future(queue.run(1000, works.make("second", 1)))
        await started(works, "first")
        with pytest.raises(Overloaded) as refused:
            await queue.run(10, works.make("third", 1))
        assert refused.value.retry_after >= 1
        await asyncio.gather(first, second)
        return await queue.run(10, works.make("fourth", 1))

    assert asyncio.run(scenario()) == "fourth"
    assert "start third" not in works.events


def test_a_client_leaving_cancels_waiting_and_running_jobs():
    works = Works()

    async def scenario():
        queue = JobQueue(workers=1, max_queue=2)
        left = asyncio.Event()

        async def gone():
            await left.wait()

        running = asyncio.ensure_future(queue.run(1000, works.make("running", 200), gone))
        await started(works, "running")
        waiting = asyncio.ensure_future(queue.run(1000, works.make("waiting", 1), gone))
        await asyncio.sleep(0.05)
        left.set()
        for job in (running, waiting):
            with pytest.raises(Abandoned):
                await job
        await asyncio.sleep(0.1)  # the running one stops at its next checkpoint

    asyncio.run(scenario())
    assert works.events == ["start running"]


def test_the_time_limit_stops_a_job_at_a_checkpoint():
    works = Works()

    async def scenario():
        queue = JobQueue(workers=1, max_queue=1, timeout=0.2)
        with pytest.raises(TimedOut):
            await queue.run(1000, works.make("slow", 200))
        await asyncio.sleep(0.05)

    asyncio.run(scenario())
    assert works.events == ["start slow"]


def test_the_queue_learns_its_speed_from_long_jobs_only():
    from proplens.server.jobs import INITIAL_SPEED

    def slow(checkpoint) -> None:
        time.sleep(1.0)  # 10,000 characters in a second or more: at most 10,000 per second
        checkpoint(1, 1)

    async def scenario():
        queue = JobQueue(workers=1)
        await queue.run(100, slow)
        assert queue.speed == INITIAL_SPEED  # short jobs are mostly overhead: not learnt from
        await queue.run(10_000, slow)
        return queue.speed

    speed = asyncio.run(scenario())
    assert 0.7 * INITIAL_SPEED < speed <= 0.7 * INITIAL_SPEED + 0.3 * 10_000


def test_a_job_stopped_on_the_way_still_measures_the_speed():
    from proplens.server.jobs import INITIAL_SPEED

    def quarters(checkpoint) -> None:
        for quarter in (1, 2, 3, 4):
            time.sleep(0.5)
            checkpoint(quarter, 4)

    async def scenario():
        queue = JobQueue(workers=1, timeout=1.2)
        with pytest.raises(TimedOut):
            await queue.run(30_000, quarters)  # stopped after 22,500 characters in >= 1.5 s
        await asyncio.sleep(0.1)
        return queue.speed

    assert asyncio.run(scenario()) <= 0.7 * INITIAL_SPEED + 0.3 * 15_000


def test_a_stop_only_checkpoint_never_pauses_but_still_stops():
    """``checkpoint(pause=False)`` (the sources finder, holding its lock) keeps its slot."""
    works = Works()

    def locked(checkpoint) -> str:
        works.started["locked"].set()
        for step in range(30):
            time.sleep(0.01)
            checkpoint(step + 1, 30, pause=False)
        works._note("end locked")
        return "locked"

    async def scenario():
        queue = JobQueue(workers=1, max_queue=4, timeout=5)
        works.started["locked"] = threading.Event()
        holder = asyncio.ensure_future(queue.run(200_000, locked))
        await started(works, "locked")
        await queue.run(50, works.make("short", 1))
        await holder
        stopped = JobQueue(workers=1, max_queue=1, timeout=0.1)
        with pytest.raises(TimedOut):
            await stopped.run(1000, locked)

    asyncio.run(scenario())
    assert works.events[:3] == ["end locked", "start short", "end short"]
