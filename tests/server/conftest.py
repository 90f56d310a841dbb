"""Shared pieces for the server tests: a deterministic fake analyzer and a live server."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest

from proplens.article import Article, Span

pytest.importorskip("fastapi", reason="the server needs the 'serve' extra (fastapi)")

# Keyword -> (technique, score). Scores straddle the default threshold 0.5 on purpose.
KEYWORDS = {
    "disastrous": ("Loaded_Language", 0.9),
    "so-called experts": ("Name_Calling,Labeling", 0.7),
    "experts": ("Appeal_to_Authority", 0.3),
    "never again": ("Slogans", 0.55),
    "traitors": ("Name_Calling,Labeling", 0.15),
    # NESTED: a loaded word inside a sentence of fear (the word is no separate keyword above)
    "Critics warn that the reckless plan will ruin our town.": ("Appeal_to_fear-prejudice", 0.6),
    "reckless": ("Loaded_Language", 0.8),
}


class FakeAnalyzer:
    """Marks every case-insensitive occurrence of KEYWORDS; overlapping matches are kept."""

    threshold = 0.5
    card = {"name": "fake", "version": "0"}

    def __init__(self) -> None:
        self.calls = 0

    def analyze(
        self, article: Article | str, threshold: float | None = None, progress=None
    ) -> Article:
        self.calls += 1
        if isinstance(article, str):
            article = Article.from_text(article)
        floor = self.threshold if threshold is None else threshold
        spans = [
            Span(m.start(), m.end(), technique, score)
            for keyword, (technique, score) in KEYWORDS.items()
            for m in re.finditer(re.escape(keyword), article.text, flags=re.IGNORECASE)
            if score >= floor
        ]
        return replace(article).with_spans(spans)


class GatedAnalyzer(FakeAnalyzer):
    """Blocks inside ``analyze`` until released, to show the server stays responsive."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self.release = threading.Event()

    def analyze(self, article, threshold=None, progress=None):
        self.entered.set()
        if not self.release.wait(timeout=30):
            raise RuntimeError("test never released the gated analyzer")
        return super().analyze(article, threshold, progress)


ARTICLE = (
    "Council plan draws fire\n"
    "\n"
    "The so-called experts backed a disastrous plan. Residents said: never again!\n"
    "Nobody else commented.\n"
)


NESTED = (
    "Harbour plan\n"
    "\n"
    "Critics warn that the reckless plan will ruin our town. The vote is on Monday.\n"
)
"""An article where the fake finds a loaded word inside a sentence of another technique."""


@pytest.fixture
def fake() -> FakeAnalyzer:
    return FakeAnalyzer()


@contextmanager
def live_server(app) -> Iterator[str]:
    """Run ``app`` under a real uvicorn on 127.0.0.1 (a free port) in a thread; yield its URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()


@pytest.fixture
def gated() -> GatedAnalyzer:
    return GatedAnalyzer()


@pytest.fixture
def article_text() -> str:
    return ARTICLE


@pytest.fixture
def nested_text() -> str:
    return NESTED


@pytest.fixture
def serve():
    """``with serve(app) as url:`` runs the app under a real uvicorn for the block."""
    return live_server


@pytest.fixture(scope="session")
def real_analyzer():
    """The shipped model via ``proplens.load()``, loaded once for the whole test session."""
    import proplens
    from proplens.errors import ModelError

    try:
        return proplens.load()
    except ModelError as err:
        pytest.skip(f"no trained model available: {err}")
