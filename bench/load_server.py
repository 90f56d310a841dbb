"""Load check of ``proplens serve``: clients posting articles for a while, some giving up.

Two scenarios, one JSON object printed:

* ``steady`` (default): N concurrent clients post articles; reports requests/s,
  p50/p95 latency and errors for ``POST /v1/analyze`` and the latency of
  ``/healthz`` probed during the load (it must stay low: analyses run off the
  event loop).
* ``abandon``: ``--clients`` clients post *short* articles while ``--abandoners``
  clients post *long* ones and give up after ``--give-up`` seconds, again and
  again (as a browser tab closed on a long article). Reports throughput and
  p50/p95 of the short requests, how many long ones were abandoned, how long a
  short request waits right after the load (work left behind by clients that
  left), and the server's peak memory.

``--before REF`` runs the scenario twice, first against the server of git
revision REF (its ``src/`` exported with ``git archive`` into a temporary
directory; the repository is not touched), then against this tree, and prints
both. Examples::

    python bench/load_server.py                       # steady, real model, 60 s
    python bench/load_server.py --fake --duration 5   # server mechanics only
    python bench/load_server.py --scenario abandon --before 4d0e42f --duration 30
    python bench/load_server.py --url http://127.0.0.1:8000   # a running server

Only loopback servers are accepted and every loop is bounded by ``--duration``:
this is a local check, not a load tool. Articles come from --articles DIR
(``*.txt``), else ../shared/data/news-unlabeled, else a built-in synthetic one.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx

REPO = Path(__file__).resolve().parents[1]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
DEFAULT_ARTICLES = REPO.parent / "shared" / "data" / "news-unlabeled"
SYNTHETIC = (
    "Council plan draws fire\n\n"
    + "The so-called experts backed a disastrous plan that will ruin every family. " * 12
    + "\nResidents said: never again! Everyone already knows the truth.\n"
)

# Run in the server's own interpreter (its tree's src/ first on the path): `proplens serve`
# as a user starts it, with the model swapped for a keyword stand-in under --fake. The
# stand-in takes DELAY s per 1,000 characters in steps, reporting each step to `progress`
# when the server passes one (servers before the queue did not).
_SERVE = r"""
import re, sys, time
import proplens
from proplens.article import Span
from proplens.cli import main

class KeywordStandIn:
    threshold = 0.5
    card = {"name": "keyword-stand-in", "version": "0"}

    def __init__(self, delay):
        self.delay = delay

    def analyze(self, article, threshold=None, progress=None):
        steps = max(1, -(-len(article.text) // 1000))
        for step in range(1, steps + 1):
            time.sleep(self.delay)
            if progress is not None:
                progress(step, steps)
        spans = [Span(m.start(), m.end(), "Loaded_Language", 0.8)
                 for m in re.finditer(r"(?i)\b(disastrous|ruin|so-called)\b", article.text)]
        return article.with_spans(spans)

delay = float(sys.argv[1])
if delay >= 0:
    stand_in = KeywordStandIn(delay)
    proplens.load = lambda model_dir=None, threshold=None: stand_in
sys.exit(main(["serve", *sys.argv[2:]]))
"""


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    articles = load_articles(args.articles, args.max_articles)
    if args.url is not None:
        result = {"server": args.url, **run_scenario(args, args.url, articles)}
    elif args.before is None:
        result = measure(args, REPO / "src", "this tree", articles)
    else:
        with exported(args.before) as old_src:
            before = measure(args, old_src, f"git {args.before}", articles)
        result = {"before": before, "after": measure(args, REPO / "src", "this tree", articles)}
    result.update(articles=len(articles), mean_chars=round(statistics.mean(map(len, articles))))
    print(json.dumps(result, indent=2))
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", choices=("steady", "abandon"), default="steady")
    parser.add_argument("--clients", type=int, default=8, help="clients posting (default 8)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument("--url", help="a running server on loopback (default: start one)")
    parser.add_argument("--before", metavar="REF", help="also measure the server of this git ref")
    parser.add_argument("--model", help="model directory for the self-started server")
    parser.add_argument(
        "--fake",
        action="store_true",
        help="self-started server with a keyword stand-in instead of the model",
    )
    parser.add_argument(
        "--fake-delay",
        type=float,
        default=0.0,
        metavar="S",
        help="seconds the stand-in takes per 1,000 characters (default 0)",
    )
    parser.add_argument("--workers", type=int, help="the self-started server's --workers")
    parser.add_argument("--articles", type=Path, help="directory of *.txt articles to post")
    parser.add_argument("--max-articles", type=int, default=50)
    parser.add_argument("--threshold", type=float, default=None)
    abandon = parser.add_argument_group("the abandon scenario")
    abandon.add_argument("--abandoners", type=int, default=2, help="clients giving up (default 2)")
    abandon.add_argument("--give-up", type=float, default=2.0, help="their patience, s (default 2)")
    abandon.add_argument("--short-chars", type=int, default=2000, help="short articles' cap")
    abandon.add_argument("--long-chars", type=int, default=200_000, help="long article's length")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 64 or not 0 <= args.abandoners <= 16:
        parser.error("--clients must be in [1, 64] and --abandoners in [0, 16]")
    if not 0 < args.duration <= 600 or not 0 < args.give_up <= 60:
        parser.error("--duration must be in (0, 600] s and --give-up in (0, 60] s")
    if not 1 <= args.long_chars <= 2_000_000 or args.short_chars < 1 or args.fake_delay < 0:
        parser.error("--long-chars must be in [1, 2,000,000], --short-chars and --fake-delay >= 0")
    if args.url is not None and urlsplit(args.url).hostname not in LOOPBACK:
        parser.error(f"--url must point at this machine (one of {sorted(LOOPBACK)})")
    if args.url is not None and args.before is not None:
        parser.error("--before starts its own servers: leave out --url")
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


@contextmanager
def exported(ref: str):
    """``src/`` of git revision ``ref`` in a temporary directory (``git archive``)."""
    with tempfile.TemporaryDirectory(prefix="proplens-before-") as tmp:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", "--format=tar", ref, "src"],
            capture_output=True,
            check=False,
        )
        if archive.returncode != 0:
            sys.exit(f"load_server: cannot export {ref!r}: {archive.stderr.decode().strip()}")
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        yield Path(tmp) / "src"


def measure(args: argparse.Namespace, src: Path, label: str, articles: list[str]) -> dict:
    with serving(src, args) as (url, pid):
        result = run_scenario(args, url, articles)
        result["server_peak_rss_mb"] = peak_rss_mb(pid)
    what = "keyword stand-in" if args.fake else "model"
    return {"server": f"{label}, self-started, {what}", **result}


@contextmanager
def serving(src: Path, args: argparse.Namespace):
    """``proplens serve --port 0`` from ``src``; yields its URL and process id."""
    delay = args.fake_delay if args.fake else -1.0
    argv = [sys.executable, "-c", _SERVE, str(delay), "--port", "0", "--no-sources"]
    if args.model:
        argv += ["--model", args.model]
    if args.workers:
        argv += ["--workers", str(args.workers)]
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONUNBUFFERED": "1"}
    env.pop("PROPLENS_API_KEY", None)
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=log, text=True, env=env)
        try:
            url = _serving_url(server, log)
            # uvicorn's access log goes to stdout: keep reading it so the server never blocks
            threading.Thread(target=server.stdout.read, daemon=True).start()
            _wait_until_answering(url, server)
            yield url, server.pid
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=30)
            server.stdout.close()


def _serving_url(server: subprocess.Popen, log) -> str:
    for line in server.stdout:  # notes come first; the model loads before "serving on"
        found = re.search(r"serving on (http://\S+?)/? ", line)
        if found:
            return found.group(1).rstrip("/")
    server.wait(timeout=30)
    log.seek(0)
    sys.exit(f"load_server: the server exited during start-up:\n{log.read().decode()[-2000:]}")


def _wait_until_answering(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    sys.exit("load_server: the server did not answer /healthz within 60 s")


def peak_rss_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return round(int(found.group(1)) / 1024, 1) if found else None


# -- the load ------------------------------------------------------------------------------


class Recorder:
    """Latencies of successful calls and counts of failed ones by status, shared by threads."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self.failures: dict[str, int] = {}
        self._lock = threading.Lock()

    def record(self, call) -> None:
        outcome, took = _timed(call)
        with self._lock:
            if outcome == "200":
                self.samples.append(took)
            else:
                self.failures[outcome] = self.failures.get(outcome, 0) + 1

    def summary(self, elapsed: float) -> dict:
        return {
            **_latency(self.samples),
            "requests_per_s": round(len(self.samples) / elapsed, 2),
            "failures": dict(sorted(self.failures.items())),
        }


def run_scenario(args: argparse.Namespace, url: str, articles: list[str]) -> dict:
    if args.scenario == "steady":
        return run_load(url, articles, args.clients, args.duration, args.threshold)
    shorts = [a[: args.short_chars] for a in articles]
    long_article = ("\n\n".join(articles) * (args.long_chars // sum(map(len, articles)) + 1))[
        : args.long_chars
    ]
    return run_abandon(url, shorts, long_article, args)


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

    elapsed = _run_threads([client] * clients, prober(url, stop, health))
    return {
        "scenario": "steady",
        "clients": clients,
        "duration_s": round(elapsed, 1),
        "analyze": analyze.summary(elapsed),
        "healthz": health.summary(elapsed),
    }


def run_abandon(url: str, shorts: list[str], long_article: str, args) -> dict:
    stop = time.monotonic() + args.duration
    short, health = Recorder(), Recorder()
    abandoned = {"sent": 0, "abandoned": 0, "answered": 0, "refused": 0}
    lock = threading.Lock()

    def short_client(worker: int) -> None:
        with httpx.Client(base_url=url, timeout=300) as http:
            for i in itertools.count(worker, args.clients):
                if time.monotonic() >= stop:
                    break
                body = {"text": shorts[i % len(shorts)], "threshold": args.threshold}
                short.record(lambda b=body: http.post("/v1/analyze", json=b))

    def abandoner(worker: int) -> None:
        while time.monotonic() < stop:
            outcome, _ = _timed(
                lambda: httpx.post(
                    f"{url}/v1/analyze", json={"text": long_article}, timeout=args.give_up
                )
            )
            kind = {"timeout": "abandoned", "200": "answered"}.get(outcome, "refused")
            with lock:
                abandoned["sent"] += 1
                abandoned[kind] += 1
            if kind == "refused":
                time.sleep(0.5)  # a full queue says so at once: do not spin

    workers = [short_client] * args.clients + [abandoner] * args.abandoners
    elapsed = _run_threads(workers, prober(url, stop, health))
    return {
        "scenario": "abandon",
        "short_clients": args.clients,
        "short_chars_mean": round(statistics.mean(map(len, shorts))),
        "abandoners": args.abandoners,
        "long_chars": len(long_article),
        "give_up_s": args.give_up,
        "duration_s": round(elapsed, 1),
        "short": short.summary(elapsed),
        "long": abandoned,
        "healthz": health.summary(elapsed),
        "short_right_after_s": _short_after(url, shorts[0]),
    }


def _short_after(url: str, text: str) -> float | str:
    """Seconds a short request takes once the load stops (abandoned work still queued?)."""
    started = time.perf_counter()
    outcome, _ = _timed(lambda: httpx.post(f"{url}/v1/analyze", json={"text": text}, timeout=600))
    took = round(time.perf_counter() - started, 2)
    return took if outcome == "200" else f"{outcome} after {took} s"


def prober(url: str, stop: float, health: Recorder):
    def probe(_worker: int) -> None:
        with httpx.Client(base_url=url, timeout=30) as http:
            while time.monotonic() < stop:
                health.record(lambda: http.get("/healthz"))
                time.sleep(0.2)

    return probe


def _run_threads(targets, probe) -> float:
    started = time.monotonic()
    threads = [threading.Thread(target=t, args=(i,)) for i, t in enumerate(targets)]
    threads.append(threading.Thread(target=probe, args=(0,)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - started


def _timed(call) -> tuple[str, float]:
    """("200" or the status code or "timeout" or "error", seconds)."""
    start = time.perf_counter()
    try:
        outcome = str(call().status_code)
    except httpx.TimeoutException:
        outcome = "timeout"
    except httpx.HTTPError:
        outcome = "error"
    return outcome, time.perf_counter() - start


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
