"""A run killed midway (kill -9, Ctrl-C) and started again gives the uninterrupted output."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from batch_helpers import FAKE, cli, make_articles, run, subprocess_env, write_jsonl, write_txt_dir

from proplens.batch.parts import parts_dir

N_ARTICLES = 48
CHUNK = 4
BAD = 22  # in the JSONL half, where a blank text stays blank


@pytest.fixture
def inputs(tmp_path: Path) -> list[Path]:
    articles = make_articles(N_ARTICLES)
    articles[BAD]["text"] = " "  # one bad record, so the errors file is checked too
    return [
        write_jsonl(tmp_path / "corpus.jsonl", articles[: N_ARTICLES // 2]),
        write_txt_dir(tmp_path / "txt", articles[N_ARTICLES // 2 :]),
    ]


def batch_args(inputs: list[Path], out: Path) -> list[str]:
    return cli(
        "batch", *map(str, inputs), "-o", str(out), "--workers", "2",
        "--analyzer-factory", FAKE, "--chunk-size", str(CHUNK),
    )  # fmt: skip


def start_and_stop_midway(inputs: list[Path], out: Path, how: signal.Signals) -> str:
    """Start the CLI with a slow fake model, send ``how`` after 3 committed parts."""
    log = out.with_name("first-run.log")
    env = subprocess_env(PROPLENS_FAKE_DELAY="0.05")
    with log.open("w") as stderr:
        child = subprocess.Popen(batch_args(inputs, out), env=env, stderr=stderr)
        try:
            wait_for(lambda: len(manifests(out)) >= 3, child)
            workers = psutil.Process(child.pid).children(recursive=True)
            child.send_signal(how)
            child.wait(timeout=30)
        finally:
            if child.poll() is None:
                child.kill()
    assert len(manifests(out)) < N_ARTICLES // CHUNK, "the run finished before it was stopped"
    assert not out.exists()
    _, alive = psutil.wait_procs(workers, timeout=15)
    assert not alive, "worker processes outlived the stopped run"
    return log.read_text()


def manifests(out: Path) -> list[Path]:
    return sorted(parts_dir(out).glob("part-*.json"))


def wait_for(condition, child: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert child.poll() is None, "the run ended before it could be stopped"
        assert time.monotonic() < deadline, "no part was committed in time"
        time.sleep(0.02)


def resume(inputs: list[Path], out: Path, calls: Path) -> str:
    env = subprocess_env(PROPLENS_FAKE_CALLS=str(calls))
    done = subprocess.run(batch_args(inputs, out), env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stderr


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_stopped_run_resumes_to_the_uninterrupted_output(
    inputs: list[Path], tmp_path: Path, how: signal.Signals
) -> None:
    reference = tmp_path / "reference.parquet"
    run(inputs, reference, chunk_size=CHUNK)
    out = tmp_path / "out.parquet"

    first_log = start_and_stop_midway(inputs, out, how)
    if how == signal.SIGINT:
        assert "rerun the same command to resume" in first_log
    done_ids = [i for m in manifests(out) for i in _ids(m)]

    calls = tmp_path / "calls.txt"
    log = resume(inputs, out, calls)
    assert f"resuming: {len(done_ids)} records already done" in log
    good = [f"a{i:04d}" for i in range(N_ARTICLES) if i != BAD]
    assert sorted(calls.read_text().split()) == [i for i in good if i not in done_ids]
    assert out.read_bytes() == reference.read_bytes()
    errors = Path(f"{out}.errors.jsonl").read_text()
    assert errors == Path(f"{reference}.errors.jsonl").read_text()
    assert '"reason": "empty text"' in errors
    assert not parts_dir(out).exists()


def _ids(manifest: Path) -> list[str]:
    import json

    return json.loads(manifest.read_text())["ids"]


@pytest.mark.slow
def test_ctrl_c_on_a_terminal_stops_a_dask_run_cleanly(inputs: list[Path], tmp_path: Path):
    """A terminal sends SIGINT to the whole process group: no worker may print a traceback."""
    out = tmp_path / "out.parquet"
    args = batch_args(inputs, out) + ["--engine", "dask"]
    env = subprocess_env(PROPLENS_FAKE_DELAY="0.05")
    child = subprocess.Popen(
        args, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        wait_for(lambda: len(manifests(out)) >= 2, child)
        workers = psutil.Process(child.pid).children(recursive=True)
        os.killpg(child.pid, signal.SIGINT)
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 130
    assert "Traceback" not in stderr and "rerun the same command to resume" in stderr
    _, alive = psutil.wait_procs(workers, timeout=15)
    assert not alive
    resume(inputs, out, tmp_path / "calls.txt")
    reference = tmp_path / "reference.parquet"
    run(inputs, reference, chunk_size=CHUNK)
    assert out.read_bytes() == reference.read_bytes()
