"""The local engine's worker processes: stopped at once on failure, death reported."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from batch_helpers import FAKE, cli, make_articles, run, subprocess_env, write_jsonl

from proplens.batch.engines.local import LocalEngine, WorkerDied
from proplens.batch.parts import parts_dir
from proplens.batch.records import Item, Location
from proplens.batch.worker import WorkerSpec


def test_leaving_on_an_error_stops_busy_workers(monkeypatch) -> None:
    monkeypatch.setenv("PROPLENS_FAKE_DELAY", "60")  # each article takes a minute
    item = Item(Location("x"), "slow", "The so-called experts.")
    engine = LocalEngine(WorkerSpec(FAKE), workers=2)
    with pytest.raises(KeyboardInterrupt), engine:
        engine.submit([item])
        engine.submit([item])
        workers = _spawned_workers(2)
        raise KeyboardInterrupt
    assert not [w for w in workers if w.is_running() and w.status() != psutil.STATUS_ZOMBIE]


def test_leaving_after_a_worker_died_waits_for_the_pool_to_close(monkeypatch) -> None:
    # The pool's manager thread must be done before the interpreter exits: in Python 3.11
    # its closing races the exit hook and prints an OSError traceback under our message.
    monkeypatch.setenv("PROPLENS_FAKE_DELAY", "60")
    item = Item(Location("x"), "slow", "The so-called experts.")
    engine = LocalEngine(WorkerSpec(FAKE), workers=2)
    with pytest.raises(WorkerDied), engine:
        first = engine.submit([item])
        engine.submit([item])
        workers = _spawned_workers(2)
        manager = engine._executor._executor_manager_thread
        workers[0].kill()
        first.result()
    assert not manager.is_alive()


def _spawned_workers(n: int, timeout: float = 30) -> list[psutil.Process]:
    """This process's ``n`` spawned workers, once each has started its interpreter."""
    deadline = time.monotonic() + timeout
    while True:
        workers = [p for p in psutil.Process().children() if "spawn_main" in _cmdline(p)]
        if len(workers) == n or time.monotonic() > deadline:
            assert len(workers) == n
            return workers
        time.sleep(0.02)


def _cmdline(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())
    except psutil.Error:
        return ""


def test_a_worker_killed_midway_stops_the_run_with_a_message(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", make_articles(40))
    out = tmp_path / "out.jsonl"
    args = cli("batch", str(src), "-o", str(out), "--workers", "2", "--chunk-size", "4",
               "--analyzer-factory", FAKE)  # fmt: skip
    env = subprocess_env(PROPLENS_FAKE_DELAY="0.05")
    child = subprocess.Popen(args, env=env, stderr=subprocess.PIPE, text=True)
    try:
        while len(list(parts_dir(out).glob("part-*.json"))) < 2:
            assert child.poll() is None, "the run ended before a worker could be killed"
            time.sleep(0.02)
        children = psutil.Process(child.pid).children()
        worker = next(p for p in children if "spawn_main" in _cmdline(p))
        os.kill(worker.pid, signal.SIGKILL)
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 2
    assert "a worker process died during the run" in stderr and "Traceback" not in stderr
    assert subprocess.run(args, env=subprocess_env(), capture_output=True).returncode == 0
    run([src], tmp_path / "reference.jsonl", chunk_size=4)
    assert out.read_text() == (tmp_path / "reference.jsonl").read_text()
