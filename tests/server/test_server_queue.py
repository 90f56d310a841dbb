"""The analysis queue against a real ``proplens serve`` (keyword fake taking time in steps).

Abandoned work is dropped and not stored, a short article is not stuck behind
long ones, a full queue answers 503 with Retry-After, and an analysis past the
time limit answers 504. The fake takes ``PROPLENS_TEST_DELAY`` s per 1,000
characters and logs ``start N`` / ``end N`` (N: characters) to a file.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from .served import served

DELAY = "0.1"  # s per 1,000 characters: 30,000 characters take 3 s, in 30 steps


def long_text(size: int) -> str:
    return ("The so-called experts backed a disastrous plan. " * (size // 48 + 1))[:size]


def log_lines(log: Path) -> list[str]:
    return log.read_text().split() if log.exists() else []


def wait_for(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.02)


@pytest.fixture
def log(tmp_path) -> Path:
    return tmp_path / "analyses.log"


def env(log: Path) -> dict[str, str]:
    return {"PROPLENS_TEST_DELAY": DELAY, "PROPLENS_TEST_LOG": str(log)}


def post(url: str, size: int, timeout: float = 30) -> httpx.Response | str:
    """POST an article of ``size`` characters; the string "gave up" when the client timed out."""
    try:
        return httpx.post(f"{url}/v1/analyze", json={"text": long_text(size)}, timeout=timeout)
    except httpx.TimeoutException:
        return "gave up"


def test_abandoned_work_is_dropped_and_not_stored(tmp_path, log):
    store = tmp_path / "s.db"
    with served("--workers", "1", "--store", str(store), env=env(log)) as url:
        with ThreadPoolExecutor(3) as clients:
            running = clients.submit(post, url, 40_000, 1.5)
            wait_for(lambda: "40000" in log_lines(log))
            # these give up while the first still holds the only worker
            waiting = [clients.submit(post, url, size, 0.5) for size in (40_001, 40_002)]
            assert [w.result() for w in waiting] == ["gave up", "gave up"]
            assert running.result() == "gave up"
        started = time.monotonic()
        short = httpx.post(f"{url}/v1/analyze", json={"text": "A disastrous plan."}, timeout=30)
        took = time.monotonic() - started
        listed = httpx.get(f"{url}/v1/analyses").json()
    assert short.status_code == 200
    assert took < 2.5, f"the short article waited {took:.1f} s (12 s of abandoned work before)"
    lines = log_lines(log)
    assert lines.count("40000") == 1, lines  # the running one: started, then stopped
    assert "40001" not in lines and "40002" not in lines  # the waiting ones never started
    assert lines.count("end") == 1  # only the short article finished
    assert listed["total"] == 1 and listed["items"][0]["analysis_id"] == short.json()["analysis_id"]


def test_a_short_article_is_not_stuck_behind_long_ones(log):
    with served("--workers", "1", env=env(log)) as url, ThreadPoolExecutor(2) as clients:
        longs = [clients.submit(post, url, 30_000)]
        wait_for(lambda: "30000" in log_lines(log))
        longs.append(clients.submit(post, url, 30_001))
        time.sleep(0.3)
        started = time.monotonic()
        short = httpx.post(f"{url}/v1/analyze", json={"text": "Never again!"}, timeout=30)
        took = time.monotonic() - started
        answers = [f.result() for f in longs]
    assert short.status_code == 200 and short.json()["spans"]
    assert took < 2.0, f"the short article waited {took:.1f} s behind 6 s of long ones"
    assert [a.status_code for a in answers] == [200, 200]  # the long ones still finish


def test_a_full_queue_answers_503_with_retry_after(log):
    with served("--workers", "1", "--max-queue", "1", env=env(log)) as url:
        with ThreadPoolExecutor(3) as clients:
            first = clients.submit(post, url, 20_000)
            wait_for(lambda: "20000" in log_lines(log))
            # one worker busy, one waiting place: of these two, exactly one is refused
            more = [clients.submit(post, url, 20_001), clients.submit(post, url, 20_002)]
            answers = [f.result() for f in more]
            health = httpx.get(f"{url}/healthz", timeout=10)
            assert first.result().status_code == 200
        after = httpx.post(f"{url}/v1/analyze", json={"text": "Never again!"}, timeout=10)
    assert sorted(a.status_code for a in answers) == [200, 503]
    (refused,) = [a for a in answers if a.status_code == 503]
    assert refused.json()["error"] == "busy" and "--max-queue" in refused.json()["message"]
    assert int(refused.headers["retry-after"]) >= 1
    assert health.status_code == 200
    assert after.status_code == 200
    refused_size = ("20001", "20002")[answers.index(refused)]
    assert refused_size not in log_lines(log)  # the refused one never reached the model


def test_an_analysis_past_the_time_limit_answers_504(tmp_path, log):
    store = tmp_path / "s.db"
    with served("--analysis-timeout", "1", "--store", str(store), env=env(log)) as url:
        started = time.monotonic()
        answer = post(url, 30_000)
        took = time.monotonic() - started
        wait_for(lambda: httpx.get(f"{url}/healthz").status_code == 200)
        total = httpx.get(f"{url}/v1/analyses").json()["total"]
    assert answer.status_code == 504
    assert answer.json()["error"] == "timeout" and "--analysis-timeout" in answer.json()["message"]
    assert took < 2.5
    assert "end" not in log_lines(log)  # stopped at a checkpoint, not run to the end
    assert total == 0


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--max-queue", "-1"], "--max-queue"),
        (["--analysis-timeout", "0"], "--analysis-timeout"),
        (["--read-timeout", "nan"], "--read-timeout"),
        (["--max-connections", "1"], "--max-connections"),
    ],
)
def test_bad_limits_are_one_line(argv, needle, capsys, monkeypatch, fake):
    import proplens
    from proplens.cli import main

    monkeypatch.setattr(proplens, "load", lambda model_dir=None, threshold=None: fake)
    assert main(["serve", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err


def test_queue_is_thread_safe_under_many_short_requests(log):
    """40 concurrent short requests on 2 workers: all answered, none lost or duplicated."""
    with served("--workers", "2", "--max-queue", "64", env=env(log)) as url:
        barrier = threading.Barrier(8)

        def burst(i: int) -> list[int]:
            barrier.wait()
            with httpx.Client(base_url=url, timeout=30) as http:
                return [
                    http.post("/v1/analyze", json={"text": f"Never again {i}-{k}!"}).status_code
                    for k in range(5)
                ]

        with ThreadPoolExecutor(8) as clients:
            codes = [c for codes in clients.map(burst, range(8)) for c in codes]
    assert codes == [200] * 40
    assert log_lines(log).count("end") == 40


def test_limits_reach_the_server(capsys, monkeypatch, fake):
    import proplens
    from proplens.cli import main, serve
    from proplens.server.limits import ConnectionLimits

    calls = {}
    monkeypatch.setattr(proplens, "load", lambda model_dir=None, threshold=None: fake)
    monkeypatch.setattr(serve, "run_server", lambda uvicorn, app, sock, limits: calls.update(
        app=app, limits=limits))  # fmt: skip
    argv = ["--port", "0", "--max-queue", "3", "--analysis-timeout", "7", "--workers", "2"]
    assert main(["serve", *argv, "--read-timeout", "5", "--max-connections", "50"]) == 0
    jobs = calls["app"].state.jobs
    assert (jobs.workers, jobs.max_queue, jobs.timeout) == (2, 3, 7.0)
    assert calls["limits"] == ConnectionLimits(read_timeout=5.0, max_connections=50)


class Watched:
    """The real analyzer, recording the encoder calls it reports and how ``analyze`` ended."""

    def __init__(self, inner) -> None:
        self.inner, self.threshold, self.card = inner, inner.threshold, inner.card
        self.steps: list[tuple[int, int]] = []
        self.outcome: str | None = None
        self.ended = threading.Event()

    def analyze(self, article, threshold=None, progress=None):
        def seen(done: int, total: int) -> None:
            self.steps.append((done, total))
            progress(done, total)

        try:
            result = self.inner.analyze(article, threshold, progress=seen)
            self.outcome = "finished"
            return result
        except Exception as err:
            self.outcome = type(err).__name__
            raise
        finally:
            self.ended.set()


def test_the_real_model_stops_at_its_checkpoints(real_analyzer, serve):
    """The shipped analyzer reports each encoder call, so the time limit really stops it."""
    from proplens.server import create_app

    watched = Watched(real_analyzer)
    app = create_app(analyzer=watched, analysis_timeout=1, workers=1)
    with serve(app) as url:
        started = time.monotonic()
        answer = httpx.post(f"{url}/v1/analyze", json={"text": long_text(200_000)}, timeout=120)
        took = time.monotonic() - started
        assert watched.ended.wait(timeout=60), "the analysis never reached a checkpoint"
    assert answer.status_code == 504 and took < 3.0, f"{answer.status_code} after {took:.1f} s"
    assert watched.outcome == "TimedOut"
    done, total = watched.steps[-1]
    assert done < total, "the analysis ran to its end"


def test_comparisons_share_the_queue(gated, serve, monkeypatch):
    """/v1/compare runs two analyses: it waits in the same bounded queue as /v1/analyze."""
    pytest.importorskip("rapidfuzz", reason="compare needs the 'compare' extra (rapidfuzz)")
    from proplens.compare import sources_adapter
    from proplens.server import create_app

    monkeypatch.setattr(sources_adapter, "load_finder", lambda: (None, "off in this test"))
    with serve(create_app(analyzer=gated, workers=1, max_queue=0)) as url:
        with ThreadPoolExecutor(1) as clients:
            running = clients.submit(post, url, 100)
            assert gated.entered.wait(timeout=10)
            refused = httpx.post(f"{url}/v1/compare", json={"a": "One plan.", "b": "Two plans."})
            gated.release.set()
            assert running.result().status_code == 200
        accepted = httpx.post(f"{url}/v1/compare", json={"a": "One plan.", "b": "Two plans."})
    assert refused.status_code == 503 and refused.json()["error"] == "busy"
    assert "retry-after" in refused.headers
    assert accepted.status_code == 200
