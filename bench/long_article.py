"""Time to analyse one long article against its length: it should grow about linearly.

    python bench/long_article.py [--sizes 0.1,0.4,1.5,3] [--model DIR]

Each size (in MB) is one synthetic article of our own text (bench/synthetic.py's
sentences, one article per paragraph), analysed once by the shipped model in
this process after a warm-up. Prints one line per size: characters, wall and
CPU seconds, microseconds of CPU per character (flat when the time is linear)
and the peak RSS so far. Not a test: nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402

import proplens  # noqa: E402


def long_text(n_chars: int, seed: int = 11) -> str:
    rng = random.Random(seed)
    parts, size, i = ["A long synthetic report", ""], 0, 0
    while size < n_chars:
        paragraph = synthetic.article(i, rng)["text"]
        parts.append(paragraph)
        size += len(paragraph) + 1
        i += 1
    return "\n".join(parts)[:n_chars].rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.1,0.4,1.5,3", help="article sizes in MB")
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    analyzer = proplens.load(args.model)
    analyzer.analyze(long_text(5_000))  # warm-up
    print("chars       wall_s   cpu_s   cpu_us_per_char   spans   peak_rss_mb")
    for mb in (float(x) for x in args.sizes.split(",")):
        text = long_text(int(mb * 1_000_000))
        wall, cpu = time.perf_counter(), time.process_time()
        result = analyzer.analyze(text)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{len(text):>9,}  {wall:7.1f}  {cpu:6.1f}  {1e6 * cpu / len(text):16.1f}"
            f"  {len(result.spans):6,}  {rss:12.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
