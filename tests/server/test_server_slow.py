"""Clients that never finish their request, against a real ``proplens serve``.

Unfinished bodies are answered 408 and closed within ``--read-timeout``,
unfinished heads are closed, the server keeps answering meanwhile, and past
``--max-connections`` new requests get 503 at once instead of waiting.
"""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

import httpx

from .served import served

READ_TIMEOUT = 2.0


def open_slow(url: str, count: int, partial: bytes) -> list[socket.socket]:
    host, port = urlsplit(url).hostname, urlsplit(url).port
    sockets = []
    for _ in range(count):
        sock = socket.create_connection((host, port), timeout=10)
        sock.sendall(partial)
        sockets.append(sock)
    return sockets


def closed_within(sockets: list[socket.socket], seconds: float) -> tuple[int, list[bytes]]:
    """How many of ``sockets`` the server closed within ``seconds``, and what it sent first."""
    deadline = time.monotonic() + seconds
    closed, answers = 0, []
    for sock in sockets:
        received = b""
        while True:
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = sock.recv(4096)
            except TimeoutError:
                break
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                closed += 1
                break
            received += chunk
        answers.append(received)
        sock.close()
    return closed, answers


def body_head(port: int) -> bytes:
    return (
        f"POST /v1/analyze HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/json\r\nContent-Length: 10000\r\n\r\n"
        '{"text": "never finis'
    ).encode()


def test_unfinished_bodies_are_closed_and_the_server_still_answers():
    with served("--read-timeout", str(READ_TIMEOUT)) as url:
        port = urlsplit(url).port
        started = time.monotonic()
        bodies = open_slow(url, 50, body_head(port))
        heads = open_slow(url, 10, f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())
        during = httpx.get(f"{url}/healthz", timeout=5)
        closed, answers = closed_within(bodies + heads, READ_TIMEOUT + 3)
        took = time.monotonic() - started
        after = httpx.get(f"{url}/healthz", timeout=5)
    assert during.status_code == 200 and after.status_code == 200
    assert closed == 60, f"only {closed} of 60 unfinished requests were closed in {took:.1f} s"
    assert all(a.startswith(b"HTTP/1.1 408 ") for a in answers[:50]), answers[0][:200]
    assert b'"error":"timeout"' in answers[0].replace(b" ", b"")
    assert all(a == b"" for a in answers[50:])  # a head never finished: closed, no answer


def test_past_max_connections_requests_get_503_at_once_and_are_closed():
    with served("--read-timeout", "3", "--max-connections", "20") as url:
        started = time.monotonic()
        held = open_slow(url, 30, body_head(urlsplit(url).port))
        quick, quick_answers = closed_within(held[:], 1.0)
        took = time.monotonic() - started
        wait_for_healthz = httpx.get(f"{url}/healthz", timeout=10)
    refused = [a for a in quick_answers if a.startswith(b"HTTP/1.1 503 ")]
    assert len(refused) >= 10, quick_answers[:3]  # past the limit: refused, not held
    assert quick == len(refused) and took < 2.0
    assert wait_for_healthz.status_code == 200
