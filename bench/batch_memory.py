"""Peak memory of `proplens batch` for a small and a 10x larger corpus: it must stay flat.

Generates a synthetic corpus (our own text, see synthetic.py), runs the batch
command on its first 2,000 and on all 20,000 articles (2 local workers, Parquet
output), samples the resident memory of the whole process tree, and prints JSON.

    python bench/batch_memory.py                      # 2,000 vs 20,000 articles
    python bench/batch_memory.py --sizes 200 2000     # a quick run
    python bench/batch_memory.py --analyzer real      # with the shipped model (slow)
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
from pathlib import Path

from synthetic import write_corpus
from watch import proplens, run_watched

FACTORIES = {"synthetic": "synthetic:make_analyzer", "real": "proplens:load"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[2000, 20000], metavar="N")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--analyzer", choices=FACTORIES, default="synthetic")
    args = parser.parse_args()
    small, large = sorted(args.sizes)
    with tempfile.TemporaryDirectory(prefix="proplens-bench-") as tmp:
        corpus = write_corpus(Path(tmp) / "corpus.jsonl", large)
        lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
        runs = []
        for size in (small, large):
            part = Path(tmp) / f"corpus-{size}.jsonl"
            part.write_text("".join(lines[:size]), encoding="utf-8")
            runs.append(measure(part, size, Path(tmp) / f"out-{size}.parquet", args))
    ratio = runs[1]["peak_rss_mb"] / runs[0]["peak_rss_mb"]
    print(json.dumps({
        "benchmark": "batch_memory",
        "analyzer": args.analyzer,
        "engine": "local",
        "workers": args.workers,
        "machine": f"{platform.machine()}, {_cpus()} CPUs",
        "runs": runs,
        "peak_rss_ratio_large_to_small": round(ratio, 3),
        "within_20_percent": abs(ratio - 1) < 0.2,
    }, indent=2))  # fmt: skip


def measure(corpus: Path, size: int, out: Path, args: argparse.Namespace) -> dict:
    command = proplens(
        "batch", str(corpus), "-o", str(out), "--workers", str(args.workers),
        "--analyzer-factory", FACTORIES[args.analyzer],
    )  # fmt: skip
    result = run_watched(command)
    return {
        "articles": size,
        "peak_rss_mb": round(result["peak_rss_bytes"] / 2**20, 1),
        "wall_s": round(result["wall_s"], 2),
        "articles_per_s": round(size / result["wall_s"], 1),
        "output_mb": round(out.stat().st_size / 2**20, 2),
    }


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


if __name__ == "__main__":
    main()
