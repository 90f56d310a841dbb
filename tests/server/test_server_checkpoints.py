"""/v1/compare and /v1/sources stop at checkpoints like /v1/analyze (a live uvicorn, in-process).

Their work used to run to its end inside the queue: a comparison or a sources
parse past ``--analysis-timeout`` or for a client that had left still ran. Now
both report checkpoints: compare inside each analysis and between its two
articles, sources after every parsed line. The fakes here take time in steps
and record what they started and finished.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from proplens.server import create_app
from proplens.server.sources import SourcesService
from proplens.sources.results import Sources

from .conftest import FakeAnalyzer

STEP_S = 0.1
"""Seconds per step; a step is 1,000 characters (analyzer) or one line (finder)."""


def long_text(size: int) -> str:
    return ("The so-called experts backed a disastrous plan. " * (size // 48 + 1))[:size]


class Recorder:
    def __init__(self) -> None:
        self.events: list[str] = []
        self.lock = threading.Lock()
        self.stopped = threading.Event()

    def note(self, event: str) -> None:
        with self.lock:
            self.events.append(event)

    def wait_stopped(self) -> None:
        assert self.stopped.wait(timeout=20), f"the work never stopped: {self.events}"


class SteppedAnalyzer(FakeAnalyzer):
    """The keyword fake, one step (and ``progress``) per 1,000 characters."""

    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self.recorder = recorder

    def analyze(self, article, threshold=None, progress=None):
        size = len(article.text)
        self.recorder.note(f"start {article.id} {size}")
        steps = max(1, -(-size // 1000))
        try:
            for step in range(1, steps + 1):
                time.sleep(STEP_S if size >= 1000 else 0)
                if progress is not None:
                    progress(step, steps)
        except Exception as err:
            self.recorder.note(f"stopped {type(err).__name__}")
            self.recorder.stopped.set()
            raise
        self.recorder.note(f"end {article.id} {size}")
        return super().analyze(article, threshold)


class SteppedFinder:
    """A sources finder taking one step per line, calling ``progress(pause=False)`` after each."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder
        self.pauses: list[bool] = []

    def find(self, text: str, progress=None) -> Sources:
        lines = text.splitlines()
        self.recorder.note(f"parse {len(lines)}")
        try:
            for _ in lines:
                time.sleep(STEP_S)
                if progress is not None:
                    progress(pause=False)
        except Exception as err:
            self.recorder.note(f"stopped {type(err).__name__}")
            self.recorder.stopped.set()
            raise
        self.recorder.note("found")
        return Sources()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def no_compare_sources(monkeypatch):
    pytest.importorskip("rapidfuzz", reason="compare needs the 'compare' extra (rapidfuzz)")
    from proplens.compare import sources_adapter

    monkeypatch.setattr(sources_adapter, "load_finder", lambda: (None, "off in this test"))


def _post(url: str, path: str, body: dict, timeout: float = 30) -> httpx.Response | str:
    try:
        return httpx.post(f"{url}{path}", json=body, timeout=timeout)
    except httpx.TimeoutException:
        return "gave up"


LONG_PAIR = {"a": long_text(20_000), "b": long_text(20_001)}
"""Two articles of 2 s each with the stepped analyzer."""


def test_a_comparison_past_the_time_limit_answers_504(recorder, no_compare_sources, serve):
    app = create_app(analyzer=SteppedAnalyzer(recorder), analysis_timeout=1, workers=1)
    with serve(app) as url:
        started = time.monotonic()
        answer = _post(url, "/v1/compare", LONG_PAIR)
        took = time.monotonic() - started
        recorder.wait_stopped()
    assert answer.status_code == 504 and answer.json()["error"] == "timeout"
    assert took < 3.5, f"answered after {took:.1f} s"  # the pair takes 4 s
    assert recorder.events == ["start a 20000", "stopped TimedOut"]  # B never started


def test_a_comparison_for_a_departed_client_is_dropped(recorder, no_compare_sources, serve):
    app = create_app(analyzer=SteppedAnalyzer(recorder), workers=1)
    with serve(app) as url:
        assert _post(url, "/v1/compare", LONG_PAIR, timeout=0.5) == "gave up"
        recorder.wait_stopped()
    assert recorder.events == ["start a 20000", "stopped Abandoned"]


def test_a_short_analysis_overtakes_a_running_comparison(recorder, no_compare_sources, serve):
    app = create_app(analyzer=SteppedAnalyzer(recorder), workers=1)
    with serve(app) as url, ThreadPoolExecutor(1) as clients:
        comparing = clients.submit(_post, url, "/v1/compare", LONG_PAIR)
        while "start a 20000" not in recorder.events:
            time.sleep(0.02)
        started = time.monotonic()
        short = httpx.post(f"{url}/v1/analyze", json={"text": "Never again!"}, timeout=30)
        took = time.monotonic() - started
        compared = comparing.result()
    assert short.status_code == 200 and took < 3.0, f"the short one waited {took:.1f} s"
    assert compared.status_code == 200 and compared.json()["type"] == "comparison"
    short_end = recorder.events.index("end article 12")
    assert short_end < recorder.events.index("end a 20000")  # it overtook A, mid-analysis


def test_the_comparison_reports_its_progress_over_both_articles(recorder, no_compare_sources):
    from proplens.compare import Comparer

    seen = []
    Comparer(SteppedAnalyzer(recorder), None, "off").compare(
        "A short one.", long_text(2_000), progress=lambda *done: seen.append(done)
    )
    assert seen == [(12, 2012), (), (1012, 2012), (2012, 2012), ()]


def _sources_app(recorder: Recorder, **limits):
    finder = SteppedFinder(recorder)
    sources = SourcesService(finder=finder)
    return create_app(analyzer=FakeAnalyzer(), sources=sources, **limits)


LINES = {"text": "\n".join(f"Line {n} of the story." for n in range(30))}
"""30 lines: 3 s with the stepped finder."""


def test_a_sources_parse_past_the_time_limit_answers_504(recorder, serve):
    with serve(_sources_app(recorder, analysis_timeout=1, workers=1)) as url:
        started = time.monotonic()
        answer = _post(url, "/v1/sources", LINES)
        took = time.monotonic() - started
        recorder.wait_stopped()
    assert answer.status_code == 504 and answer.json()["error"] == "timeout"
    assert took < 2.5, f"answered after {took:.1f} s"  # the parse takes 3 s
    assert recorder.events == ["parse 30", "stopped TimedOut"]


def test_a_sources_parse_for_a_departed_client_is_dropped(recorder, serve):
    with serve(_sources_app(recorder, workers=1)) as url:
        assert _post(url, "/v1/sources", LINES, timeout=0.5) == "gave up"
        recorder.wait_stopped()
    assert recorder.events == ["parse 30", "stopped Abandoned"]


@pytest.fixture
def real_sources() -> SourcesService:
    sources = SourcesService()
    if not sources.available:
        pytest.skip(f"no sources on this install: {sources.note}")
    return sources


MANY_LINES = "\n".join(
    f"Mayor Ana Ruiz said on day {n} that the pier was sold." for n in range(4000)
)
"""About 15 s of parsing for the real finder on the development machine."""


@pytest.mark.parametrize("path", ["/v1/sources", "/v1/analyze"])
def test_the_real_finder_stops_at_its_checkpoints(path, real_sources, recorder, serve):
    """The spaCy finder reports every parsed line, so the time limit really stops it.

    In /v1/analyze it runs beside the detector (here the stepped fake): it used to
    run on past the 504, keeping the one pipeline from every request after it.
    """
    app = create_app(analyzer=SteppedAnalyzer(recorder), sources=real_sources, analysis_timeout=1)
    with serve(app) as url:
        started = time.monotonic()
        answer = _post(url, path, {"text": MANY_LINES}, timeout=120)
        took = time.monotonic() - started
        started = time.monotonic()  # the pipeline is free again: not still parsing (~15 s)
        short = _post(url, "/v1/sources", {"text": "Mayor Ana Ruiz said the pier was sold."})
        waited = time.monotonic() - started
    assert answer.status_code == 504 and took < 8.0, f"{answer.status_code} after {took:.1f} s"
    assert short.status_code == 200 and waited < 8.0, f"the next one waited {waited:.1f} s"
