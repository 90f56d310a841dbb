"""Worker processes share the cores: each sets PROPLENS_THREADS before loading the model."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_helpers import make_articles, run, write_jsonl

from proplens.batch import worker
from proplens.batch.threads import THREADS_VARIABLE, threads_per_worker


@pytest.fixture
def threads_log(tmp_path: Path, monkeypatch) -> Path:
    """File where each load of the fake model notes the PROPLENS_THREADS it sees."""
    log = tmp_path / "threads.txt"
    monkeypatch.setenv("PROPLENS_FAKE_THREADS", str(log))  # inherited by worker processes
    monkeypatch.delenv(THREADS_VARIABLE, raising=False)
    monkeypatch.setattr(worker, "_analyzers", {})  # this process loads afresh too
    return log


def _run(tmp_path: Path, **options) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", make_articles(12))
    stats = run([src], tmp_path / "out.jsonl", chunk_size=3, **options)
    assert stats.rows == 12


def _seen(log: Path) -> set[str]:
    values = log.read_text().split()
    assert values, "no worker loaded the model"
    return set(values)


def test_each_worker_gets_its_share_of_the_cores() -> None:
    assert threads_per_worker(2, cores=16) == 8
    assert threads_per_worker(3, cores=16) == 5
    assert threads_per_worker(4, cores=2) == 1
    assert threads_per_worker(1, cores=2) == 2


def test_local_workers_load_the_model_with_their_share(tmp_path: Path, threads_log) -> None:
    _run(tmp_path, workers=2)
    assert _seen(threads_log) == {str(threads_per_worker(2))}


def test_a_value_set_by_the_user_reaches_the_workers(tmp_path: Path, threads_log, monkeypatch):
    monkeypatch.setenv(THREADS_VARIABLE, "3")
    _run(tmp_path, workers=2)
    assert _seen(threads_log) == {"3"}


def test_one_worker_runs_in_this_process_and_uses_all_cores(tmp_path: Path, threads_log) -> None:
    _run(tmp_path, workers=1)
    assert _seen(threads_log) == {"unset"}  # onnxruntime's default: every core


@pytest.mark.slow
def test_dask_local_cluster_workers_get_their_share(tmp_path: Path, threads_log) -> None:
    pytest.importorskip("distributed", reason="the Dask engine needs dask[distributed]")
    _run(tmp_path, engine="dask", workers=2)
    assert _seen(threads_log) == {str(threads_per_worker(2))}


@pytest.mark.slow
def test_dask_cluster_workers_share_by_task_threads_per_host(tmp_path: Path, threads_log) -> None:
    distributed = pytest.importorskip("distributed", reason="needs dask[distributed]")
    # One worker process running two tasks at a time: two models may run at once.
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, dashboard_address=None
    ) as cluster:
        _run(tmp_path, engine="dask", scheduler=cluster.scheduler_address)
    assert _seen(threads_log) == {str(threads_per_worker(2))}


def test_task_threads_are_counted_per_host() -> None:
    pytest.importorskip("distributed", reason="needs dask[distributed]")
    from proplens.batch.engines.dask import _threads_per_host

    nthreads = {"tcp://10.0.0.1:4001": 1, "tcp://10.0.0.1:4002": 2, "tcp://10.0.0.2:4001": 4}
    assert _threads_per_host(nthreads) == {"10.0.0.1": 3, "10.0.0.2": 4}
