"""Load check of ``proplens serve``: N concurrent clients posting articles for a while.

Reports requests/s, p50/p95 latency and errors for ``POST /v1/analyze``, and
the latency of ``/healthz`` probed during the load (it must stay low: analyses
run off the event loop). Prints one JSON object.

    python bench/load_server.py                       # starts a server with the real model
    python bench/load_server.py --duration 10 --clients 4
    python bench/load_server.py --url http://127.0.0.1:8000   # an already running server
    python bench/load_server.py --fake --duration 5   # server mechanics only, no model

Only loopback servers are accepted: this is a local check, not a load tool.
Articles come from --articles DIR (``*.txt``), else ../shared/data/news-unlabeled,
else a built-in synthetic article.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import re
import socket
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
DEFAULT_ARTICLES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news-unlabeled"
SYNTHETIC = (
    "Council plan draws fire\n\n"
    + "The so-called experts backed a disastrous plan that will ruin every family. " * 12
    + "\nResidents said: never again! Everyone already knows the truth.\n"
)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    articles = load_articles(args.articles, args.max_articles)
    server = None
    url = args.url
    if url is None:
        server, url = start_server(args.fake, args.model)
    try:
        result = run_load(url, articles, args.clients, args.duration, args.threshold)
    finally:
        if server is not None:
            server.terminate()
            server.join(timeout=10)
    result.update(
        server=args.url or ("self-started, fake analyzer" if args.fake else "self-started, model"),
        articles=len(articles),
        mean_chars=round(statistics.mean(len(a) for a in articles)),
    )
    print(json.dumps(result, indent=2))
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument("--url", help="a running server on loopback (default: start one)")
    parser.add_argument("--model", help="model directory for the self-started server")
    parser.add_argument(
        "--fake",
        action="store_true",
        help="self-started server with a keyword fake instead of the model",
    )
    parser.add_argument("--articles", type=Path, help="directory of *.txt articles to post")
    parser.add_argument("--max-articles", type=int, default=50)
    parser.add_argument("--threshold", type=float, default=None)
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 64:
        parser.error("--clients must be between 1 and 64")
    if not 0 < args.duration <= 600:
        parser.error("--duration must be in (0, 600] seconds")
    if args.url is not None and urlsplit(args.url).hostname not in LOOPBACK:
        parser.error(f"--url must point at this machine (one of {sorted(LOOPBACK)})")
    return args


def load_articles(directory: Path | None, limit: int) -> list[str]:
    directory = directory or (DEFAULT_ARTICLES if DEFAULT_ARTICLES.is_dir() else None)
    if directory is None:
        return [SYNTHETIC]
    paths = sorted(directory.glob("*.txt"))[:limit]
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    texts = [t for t in texts if t.strip()]
    if not texts:
        sys.exit(f"load_server: no non-empty *.txt articles in {directory}")
    return texts


# -- the server under test, in a child process --------------------------------------------


class _KeywordAnalyzer:
    """Stand-in for the model: marks a few loaded words (server mechanics only)."""

    threshold = 0.5
    card = {"name": "keyword-stand-in", "version": "0"}

    def analyze(self, article, threshold=None, progress=None):
        from proplens.article import Span

        spans = [
            Span(m.start(), m.end(), "Loaded_Language", 0.8)
            for m in re.finditer(r"(?i)\b(disastrous|ruin|so-called)\b", article.text)
        ]
        return article.with_spans(spans)


def _serve(port: int, fake: bool, model: str | None) -> None:
    import uvicorn

    from proplens.server import create_app

    analyzer = _KeywordAnalyzer() if fake else None
    app = create_app(analyzer=analyzer, model_dir=model)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def start_server(fake: bool, model: str | None) -> tuple[multiprocessing.Process, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = multiprocessing.get_context("spawn").Process(
        target=_serve, args=(port, fake, model), daemon=True
    )
    process.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if not process.is_alive():
            sys.exit("load_server: the server exited during start-up (see its error above)")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    sys.exit("load_server: the server did not answer /healthz within 180 s")


# -- the load ------------------------------------------------------------------------------


class Recorder:
    """Latencies of successful calls and a count of failed ones, shared by threads."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self.errors = 0
        self._lock = threading.Lock()

    def record(self, call) -> None:
        ok, took = _timed(call)
        with self._lock:
            if ok:
                self.samples.append(took)
            else:
                self.errors += 1


def run_load(
    url: str, articles: list[str], clients: int, duration: float, threshold: float | None
) -> dict:
    stop = time.monotonic() + duration
    analyze, health = Recorder(), Recorder()

    def client(worker: int) -> None:
        with httpx.Client(base_url=url, timeout=120) as http:
            for i in itertools.count(worker, clients):
                if time.monotonic() >= stop:
                    break
                body = {"text": articles[i % len(articles)], "threshold": threshold}
                analyze.record(lambda b=body: http.post("/v1/analyze", json=b))

    def prober() -> None:
        with httpx.Client(base_url=url, timeout=30) as http:
            while time.monotonic() < stop:
                health.record(lambda: http.get("/healthz"))
                time.sleep(0.2)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(w,)) for w in range(clients)]
    threads.append(threading.Thread(target=prober))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {
        "clients": clients,
        "duration_s": round(elapsed, 1),
        "analyze": {
            **_latency(analyze.samples),
            "errors": analyze.errors,
            "requests_per_s": round(len(analyze.samples) / elapsed, 2),
        },
        "healthz": {**_latency(health.samples), "errors": health.errors},
    }


def _timed(call) -> tuple[bool, float]:
    start = time.perf_counter()
    try:
        ok = call().status_code == 200
    except httpx.HTTPError:
        ok = False
    return ok, time.perf_counter() - start


def _latency(samples: list[float]) -> dict:
    if not samples:
        return {"requests": 0}
    ordered = sorted(samples)

    def pct(q: float) -> float:
        return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {
        "requests": len(samples),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "max_ms": round(1000 * ordered[-1], 1),
    }


if __name__ == "__main__":
    sys.exit(main())
