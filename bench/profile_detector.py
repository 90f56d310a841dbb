"""Where the detector's time goes: cProfile over news articles, the top functions by total time.

    python bench/profile_detector.py [--limit 80] [--top 40] [--data DIR] [--model DIR]

Loads proplens, analyzes one article to warm up, then analyzes ``--limit``
news articles under cProfile and prints the seconds and the ``--top``
functions by cumulative time. Not a test: it prints figures; cProfile's own
overhead inflates the Python side (the encoder's share is larger without it).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news-unlabeled"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=80)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    paths = sorted(args.data.glob("*.txt"))[: args.limit]
    if not paths:
        sys.exit(f"profile_detector: no .txt articles in {args.data}")

    import proplens

    analyzer = proplens.load(args.model)
    articles = [proplens.Article.from_file(p) for p in paths]
    analyzer.analyze(articles[0])
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for article in articles:
        analyzer.analyze(article)
    profile.disable()
    print(f"{len(articles)} articles in {time.perf_counter() - started:.2f} s (under cProfile)")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
