"""A real Label Studio server for the round-trip test: one per test session, on loopback.

Label Studio lives in its own virtual environment (its pins must not touch
proplens'); ``PROPLENS_LABEL_STUDIO`` names its ``label-studio`` executable
(``.ci/run`` makes it). ``PROPLENS_LABEL_STUDIO_DB``, if set, is a database
already migrated by that executable: copying it saves the first start's
migrations (about a minute on 2 cores).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

EXECUTABLE = "PROPLENS_LABEL_STUDIO"
TEMPLATE_DB = "PROPLENS_LABEL_STUDIO_DB"
START_TIMEOUT = 600


@dataclass(frozen=True)
class LabelStudio:
    url: str
    token: str
    log: Path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory) -> LabelStudio:
    executable = os.environ.get(EXECUTABLE)
    if not executable:
        reason = (
            f"{EXECUTABLE} is not set: point it at a label-studio executable in its own "
            "virtual environment (.ci/run makes one) to run the real-server round trip"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the Label Studio round trip, but {reason}")
        pytest.skip(reason)
    data = tmp_path_factory.mktemp("label-studio")
    database = data / "label_studio.sqlite3"
    template = os.environ.get(TEMPLATE_DB)
    if template and Path(template).is_file():
        shutil.copyfile(template, database)
    port, token = _free_port(), "proplens-test-token-0123456789"
    url = f"http://127.0.0.1:{port}"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(data),
        "LANG": "C.UTF-8",
        "LABEL_STUDIO_LATEST_VERSION_CHECK": "false",  # no look-up of new releases
    }
    command = [
        executable, "start", "--no-browser", "--data-dir", str(data), "--database", str(database),
        "--internal-host", "127.0.0.1", "--port", str(port),
        "--username", "annotator@proplens.test", "--password", "proplens-test-password",
        "--user-token", token, "--enable-legacy-api-token",
    ]  # fmt: skip
    log = data / "server.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _healthy(url):
            if server.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-2000:]
                pytest.fail(f"Label Studio did not start (exit {server.poll()}):\n{tail}")
            time.sleep(1)
        yield LabelStudio(url, token, log)
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server and the workers it started
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
