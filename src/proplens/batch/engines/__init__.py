"""Engines run :func:`proplens.batch.worker.analyze_chunk` on chunks, somewhere.

An engine is a context manager with ``submit(items) -> handle`` (``handle.result()``
gives the chunk's results) and a ``window``: how many chunks to keep in flight.
:func:`in_order` feeds it and hands results back in input order, holding at most
``window`` chunks in memory, so output order never depends on worker timing.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from proplens.batch.records import Item
from proplens.batch.worker import WorkerSpec
from proplens.errors import InputError

ENGINES = ("local", "dask")


class Handle(Protocol):
    def result(self) -> Any: ...


class Engine(Protocol):
    window: int

    def submit(self, items: list[Item]) -> Handle: ...

    def __enter__(self) -> Engine: ...

    def __exit__(self, *exc: object) -> None: ...


class Done:
    """A handle for a result computed right away."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def result(self) -> Any:
        return self.value


def make_engine(name: str, spec: WorkerSpec, workers: int, scheduler: str | None) -> Engine:
    if workers < 1:
        raise InputError(f"--workers must be at least 1, got {workers}")
    if name == "local":
        if scheduler:
            raise InputError("--scheduler needs --engine dask")
        from proplens.batch.engines.local import LocalEngine

        return LocalEngine(spec, workers)
    if name == "dask":
        try:
            from proplens.batch.engines.dask import DaskEngine
        except ImportError as err:
            raise InputError(
                f"--engine dask needs dask[distributed] ({err}); "
                "install it with: pip install -e '.[batch]'"
            ) from None

        return DaskEngine(spec, workers, scheduler)
    raise InputError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")


def in_order(engine: Engine, tasks: Iterable[tuple[Any, list[Item]]]) -> Iterator[tuple[Any, Any]]:
    """``(context, results)`` for each ``(context, items)`` task, in task order.

    Chunks without items are not sent anywhere; their (empty) result still comes
    back in its place.
    """
    pending: deque[tuple[Any, Handle]] = deque()
    for context, items in tasks:
        pending.append((context, engine.submit(items) if items else Done([])))
        while len(pending) > engine.window:
            context_done, handle = pending.popleft()
            yield context_done, handle.result()
    while pending:
        context_done, handle = pending.popleft()
        yield context_done, handle.result()
