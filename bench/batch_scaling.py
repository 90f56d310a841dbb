"""Articles per second of `proplens batch`: local 1 worker, local 2 workers, Dask 2 workers.

Runs the command on the unlabeled news corpus (../shared/data/news-unlabeled
next to the repository, 400 articles; not part of the repository) with the
shipped model, and prints JSON. Two rates per configuration: end to end (the
whole command: start-up, model loading, cluster start, merging) and steady
(articles committed after the first chunk, over the time from the first to
the last committed chunk).

    python bench/batch_scaling.py                 # all 400 articles
    python bench/batch_scaling.py --limit 64      # a quick run
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

from watch import proplens, run_watched

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news-unlabeled"
CONFIGS = (("local", 1), ("local", 2), ("dask", 2))
FACTORIES = {"real": "proplens:load", "synthetic": "synthetic:make_analyzer"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, default=None, help="use the first N articles")
    parser.add_argument("--analyzer", choices=FACTORIES, default="real")
    parser.add_argument("--chunk-size", type=int, default=32)
    args = parser.parse_args()
    if not args.data.is_dir():
        sys.exit(f"{args.data}: corpus not found (it is not part of the repository)")
    files = sorted(args.data.glob("*.txt"))[: args.limit]
    results = []
    with tempfile.TemporaryDirectory(prefix="proplens-bench-") as tmp:
        for engine, workers in CONFIGS:
            out = Path(tmp) / f"{engine}-{workers}.parquet"
            results.append(measure(files, out, engine, workers, args))
    print(json.dumps({
        "benchmark": "batch_scaling",
        "articles": len(files),
        "analyzer": args.analyzer,
        "chunk_size": args.chunk_size,
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} CPUs",
        "runs": results,
    }, indent=2))  # fmt: skip


def measure(files: list[Path], out: Path, engine: str, workers: int, args) -> dict:
    command = proplens(
        "batch", *map(str, files), "-o", str(out), "--engine", engine, "--workers", str(workers),
        "--analyzer-factory", FACTORIES[args.analyzer], "--chunk-size", str(args.chunk_size),
    )  # fmt: skip
    result = run_watched(command, parts=out.with_name(out.name + ".parts"))
    times = result["part_times"]
    after_first = len(files) - min(args.chunk_size, len(files))
    span = times[-1] - times[0] if times else 0.0
    steady = after_first / span if span > 0 else None  # None: too few chunks to tell
    return {
        "engine": engine,
        "workers": workers,
        "wall_s": round(result["wall_s"], 2),
        "articles_per_s_end_to_end": round(len(files) / result["wall_s"], 2),
        "first_chunk_s": round(times[0], 2) if times else None,
        "articles_per_s_steady": round(steady, 2) if steady else None,
        "peak_rss_mb": round(result["peak_rss_bytes"] / 2**20, 1),
    }


if __name__ == "__main__":
    main()
