"""The local engine's worker processes: stopped at once on failure, death reported."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import psutil
import pytest
from conftest import FAKE, cli, make_articles, run, subprocess_env, write_jsonl

from proplens.batch.engines.local import LocalEngine
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
        workers = [p for p in psutil.Process().children() if "spawn_main" in " ".join(p.cmdline())]
        raise KeyboardInterrupt
    assert len(workers) == 2
    assert not [w for w in workers if w.is_running() and w.status() != psutil.STATUS_ZOMBIE]


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
        os.kill(psutil.Process(child.pid).children()[-1].pid, signal.SIGKILL)
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 2
    assert "a worker process died during the run" in stderr and "Traceback" not in stderr
    assert subprocess.run(args, env=subprocess_env(), capture_output=True).returncode == 0
    run([src], tmp_path / "reference.jsonl", chunk_size=4)
    assert out.read_text() == (tmp_path / "reference.jsonl").read_text()
