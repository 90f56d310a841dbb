"""Limits on connections: how many, and how long a request may take to arrive.

uvicorn closes idle keep-alive connections, but a client that opens a
connection and sends its request head or body a byte at a time (or never) is
held forever, and a thousand of them hold the server. So:

* the request **body** must arrive within ``read_timeout`` seconds of its head
  (the ``BodyLimit`` middleware answers 408 and closes the connection);
* the request **head** must arrive within ``read_timeout`` seconds of the
  connection opening (or of the previous answer on a kept-alive connection):
  :func:`read_timeout_protocol` closes the connection otherwise;
* at most ``max_connections`` connections are served at once: past that,
  uvicorn answers every new request with ``503 Service Unavailable`` at once
  (its ``limit_concurrency``) until connections close.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

DEFAULT_READ_TIMEOUT = 30.0
DEFAULT_MAX_CONNECTIONS = 200
KEEP_ALIVE = 5  # seconds an idle kept-alive connection stays open (uvicorn's default)


@dataclass(frozen=True)
class ConnectionLimits:
    read_timeout: float = DEFAULT_READ_TIMEOUT
    max_connections: int = DEFAULT_MAX_CONNECTIONS


def uvicorn_config(uvicorn: Any, app: Any, limits: ConnectionLimits, **settings: Any) -> Any:
    """A ``uvicorn.Config`` for ``app`` that applies ``limits`` (``settings`` pass through)."""
    return uvicorn.Config(
        app,
        http=read_timeout_protocol(limits.read_timeout),
        limit_concurrency=limits.max_connections,
        timeout_keep_alive=KEEP_ALIVE,
        **settings,
    )


def read_timeout_protocol(seconds: float) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol, closing connections whose request head is slower than ``seconds``.

    The timer runs while no request is in progress: from the connection's start,
    and again after each answer (a client trickling bytes would otherwise defeat
    the keep-alive timeout, which any received byte resets).
    """
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class ReadTimeoutH11Protocol(H11Protocol):
        _head_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def handle_events(self) -> None:
            super().handle_events()
            if self._in_request():
                self._disarm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self._in_request():
                self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _in_request(self) -> bool:
            return self.cycle is not None and not self.cycle.response_complete

        def _arm(self) -> None:
            self._disarm()
            self._head_timer = self.loop.call_later(seconds, self._head_too_slow)

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_too_slow(self) -> None:
            self._head_timer = None
            if not self._in_request() and not self.transport.is_closing():
                self.transport.close()

    return ReadTimeoutH11Protocol
