"""Two versions of the code (or settings) taking turns on the same news articles, as JSON.

    python bench/speed_ab.py A B [--limit N] [--chunk 10] [--data DIR]

``bench/speed_interleaved.py`` alternates two *model folders* in one process;
a change to the code itself needs two processes. Each of ``A`` and ``B`` is a
``src`` folder to import proplens from (another worktree's, or a commit's
extracted with ``git archive REF src | tar -x -C /tmp/base``), optionally
followed by environment settings for that process only, comma-separated:
``src,OPENBLAS_NUM_THREADS=1``. Both processes load the model and analyze a
first article; then they take turns on chunks of ``--chunk`` articles, the
one going first alternating, and each one's time is summed, so the machine's
drift falls on both alike. Not a test: it prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news-unlabeled"


def worker(paths: list[str]) -> None:
    """Load proplens, then analyze ``paths[first:stop]`` for each ``first stop`` line read.

    Answers each line with the seconds it took and the number of articles read.
    """
    import proplens

    analyzer = proplens.load()
    articles = [proplens.Article.from_file(p) for p in paths]
    analyzer.analyze(articles[0])  # warm-up, as in bench/speed.py
    print(f"ready {proplens.__file__}", flush=True)
    for line in sys.stdin:
        first, stop = (int(x) for x in line.split())
        started = time.perf_counter()
        for article in articles[first:stop]:
            analyzer.analyze(article)
        print(time.perf_counter() - started, len(articles[first:stop]), flush=True)


def side(spec: str) -> tuple[str, dict[str, str]]:
    """``"src,KEY=VALUE"`` -> (absolute src folder, environment additions)."""
    folder, *settings = spec.split(",")
    env = {}
    for setting in settings:
        key, sep, value = setting.partition("=")
        if not sep or not key:
            sys.exit(f"speed_ab: {setting!r} is not KEY=VALUE")
        env[key] = value
    if not (Path(folder) / "proplens" / "__init__.py").exists():
        sys.exit(f"speed_ab: {folder} holds no proplens package")
    return str(Path(folder).resolve()), env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", help="src folder[,KEY=VALUE...]")
    parser.add_argument("b", help="src folder[,KEY=VALUE...]")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--chunk", type=int, default=10)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.worker:  # the arguments first: they need no data
        if args.chunk < 1:
            sys.exit("speed_ab: --chunk must be at least 1")
        sides = {"a": side(args.a), "b": side(args.b)}
    paths = [str(p) for p in sorted(args.data.glob("*.txt"))[: args.limit]]
    if not paths:
        sys.exit(f"speed_ab: no .txt articles in {args.data}")
    if args.worker:
        worker(paths)
        return
    procs = {}
    for name, (folder, env) in sides.items():
        command = [sys.executable, __file__, args.a, args.b, "--worker", "--data", str(args.data)]
        if args.limit is not None:
            command += ["--limit", str(args.limit)]
        procs[name] = subprocess.Popen(
            command,
            env=dict(os.environ, PYTHONPATH=folder, **env),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
    loaded = {name: p.stdout.readline().split(" ", 1)[-1].strip() for name, p in procs.items()}
    load_before = [round(x, 2) for x in os.getloadavg()]
    seconds = dict.fromkeys(procs, 0.0)
    read = dict.fromkeys(procs, 0)
    for turn, first in enumerate(range(0, len(paths), args.chunk)):
        order = ["a", "b"] if turn % 2 == 0 else ["b", "a"]
        for name in order:
            procs[name].stdin.write(f"{first} {first + args.chunk}\n")
            procs[name].stdin.flush()
            took, count = procs[name].stdout.readline().split()
            seconds[name] += float(took)
            read[name] += int(count)
    for proc in procs.values():
        proc.stdin.close()
        proc.wait()
    report = {
        "cpus": os.cpu_count(),
        "load_average": {"before": load_before, "after": [round(x, 2) for x in os.getloadavg()]},
        "articles": len(paths),
        "chunk": args.chunk,
        "sides": {
            name: {
                "proplens": loaded[name],
                "env": sides[name][1],
                "articles_read": read[name],
                "seconds": round(seconds[name], 2),
                "articles_per_s": round(len(paths) / seconds[name], 2),
            }
            for name in procs
        },
        "speedup_b_over_a": round(seconds["a"] / seconds["b"], 3),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
