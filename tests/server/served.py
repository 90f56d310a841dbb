"""``served(...)``: a real ``proplens serve`` subprocess (keyword fake model) on a free port."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

FAKE_SERVE = Path(__file__).with_name("fake_serve.py")


@contextmanager
def served(*args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start ``proplens serve --port 0 ARGS`` with the fake; yield ``http://127.0.0.1:PORT``."""
    log = tempfile.TemporaryFile(mode="w+")  # uvicorn's log; a pipe nobody reads would fill
    server = subprocess.Popen(
        [sys.executable, str(FAKE_SERVE), "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )
    try:
        line = ""
        for _ in range(5):  # notes (sources switched off, ...) come first
            line = server.stdout.readline()
            if "serving on" in line or not line:
                break
        if "serving on http://127.0.0.1:" not in line:
            server.kill()
            server.wait(timeout=20)
            log.seek(0)
            raise RuntimeError(f"proplens serve did not start: {line}{log.read()}")
        url = "http://127.0.0.1:" + line.split("127.0.0.1:")[1].split("/")[0]
        # uvicorn's access log goes to stdout: keep reading it so the server never blocks
        threading.Thread(target=server.stdout.read, daemon=True).start()
        _wait_until_answering(url)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=20)
        server.stdout.close()
        log.close()


def _wait_until_answering(url: str) -> None:
    deadline = time.monotonic() + 20
    while True:
        try:
            httpx.get(f"{url}/healthz", timeout=5)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
