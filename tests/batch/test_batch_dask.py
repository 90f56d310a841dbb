"""The Dask engine (a LocalCluster of 2 worker processes) gives the local engine's output."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_helpers import make_articles, run, write_jsonl, write_txt_dir

pytest.importorskip("distributed", reason="the Dask engine needs dask[distributed]")


@pytest.mark.slow
def test_dask_and_local_engines_write_identical_outputs(tmp_path: Path, monkeypatch) -> None:
    articles = make_articles(40)
    articles[7]["text"] = "It all EXPLODEs in the fake model."
    inputs = [
        write_jsonl(tmp_path / "corpus.jsonl", articles[:25]),
        write_txt_dir(tmp_path / "txt", articles[25:]),
    ]
    loads = tmp_path / "loads.txt"
    monkeypatch.setenv("PROPLENS_FAKE_LOADS", str(loads))  # inherited by the Dask workers
    local = run(inputs, tmp_path / "local.parquet", workers=2, chunk_size=3)
    loads.unlink()
    dask = run(inputs, tmp_path / "dask.parquet", engine="dask", workers=2, chunk_size=3)

    assert (tmp_path / "dask.parquet").read_bytes() == (tmp_path / "local.parquet").read_bytes()
    dask_errors = Path(f"{tmp_path / 'dask.parquet'}.errors.jsonl").read_text()
    assert dask_errors == Path(f"{tmp_path / 'local.parquet'}.errors.jsonl").read_text()
    assert (dask.rows, dask.errors) == (local.rows, local.errors) == (39, 1)
    # 14 chunks over 2 worker processes: each loaded the model at most once.
    pids = loads.read_text().split()
    assert 1 <= len(pids) <= 2 and len(pids) == len(set(pids))


@pytest.mark.slow
def test_dask_engine_runs_on_a_cluster_given_by_address(tmp_path: Path) -> None:
    from distributed import LocalCluster

    src = write_jsonl(tmp_path / "in.jsonl", make_articles(12))
    run([src], tmp_path / "local.jsonl", chunk_size=5)
    with LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None) as cluster:
        stats = run(
            [src], tmp_path / "dask.jsonl", engine="dask", scheduler=cluster.scheduler_address,
            chunk_size=5,
        )  # fmt: skip
        assert len(cluster.scheduler.workers) == 1  # the run used it and left it running
    assert stats.rows == 12
    assert (tmp_path / "dask.jsonl").read_text() == (tmp_path / "local.jsonl").read_text()


@pytest.fixture
def teardown_levels():
    """Put the teardown loggers' levels back: the engine leaves them quiet for good."""
    import logging

    from proplens.batch.engines.dask import TEARDOWN_LOGGERS

    saved = {name: logging.getLogger(name).level for name in TEARDOWN_LOGGERS}
    yield
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize("stopped_by", [KeyboardInterrupt, ValueError, None])
def test_only_ctrl_c_silences_the_cluster_teardown_tracebacks(stopped_by, teardown_levels) -> None:
    """tornado logs a failed event-loop callback ("Exception in callback", a traceback) when
    the cluster closes mid-chunk; after Ctrl-C that is noise, after any other stop it may be
    the clue, so it stays."""
    import logging

    from proplens.batch.engines.dask import DaskEngine

    engine = DaskEngine(spec=None, workers=1, scheduler=None)  # never entered: nothing to close
    callback_log = logging.getLogger("tornado.application")  # where tornado's ioloop logs
    assert callback_log.isEnabledFor(logging.ERROR)
    error = stopped_by() if stopped_by else None
    engine.__exit__(stopped_by, error, None)
    assert callback_log.isEnabledFor(logging.ERROR) == (stopped_by is not KeyboardInterrupt)
