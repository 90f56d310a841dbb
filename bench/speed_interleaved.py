"""Two model folders' speed on the same news articles, taking turns, as JSON.

    python bench/speed_interleaved.py OTHER_MODEL [--model DIR] [--data DIR] [--chunk 10]

This project's 2-core machine drifts by 30% and more within minutes, so two
``bench/speed.py`` runs one after the other compare the hours as much as the
models. Here the models take turns on chunks of ``--chunk`` articles, the one
that goes first alternating, and each model's time is summed over its turns:
drift then falls on both alike. ``--model`` defaults to the shipped model.
Not a test: it prints figures; nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news-unlabeled"


def interleaved(analyzers: dict, articles: list, chunk: int) -> dict[str, float]:
    """Seconds each analyzer spent on all ``articles``, turns alternating chunk by chunk."""
    for analyzer in analyzers.values():
        analyzer.analyze(articles[0])  # warm-up
    seconds = dict.fromkeys(analyzers, 0.0)
    names = list(analyzers)
    for turn, first in enumerate(range(0, len(articles), chunk)):
        part = articles[first : first + chunk]
        order = names if turn % 2 == 0 else names[::-1]
        for name in order:
            started = time.perf_counter()
            for article in part:
                analyzers[name].analyze(article)
            seconds[name] += time.perf_counter() - started
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", help="the model folder to compare with")
    parser.add_argument("--model", default=None, help="default: the shipped model")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--chunk", type=int, default=10)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    paths = sorted(args.data.glob("*.txt"))[: args.limit]
    if not paths:
        sys.exit(f"speed_interleaved: no .txt articles in {args.data}")
    if args.chunk < 1:
        sys.exit("speed_interleaved: --chunk must be at least 1")

    import proplens
    from proplens.errors import ModelError

    try:
        analyzers = {"model": proplens.load(args.model), "other": proplens.load(args.other)}
    except ModelError as err:
        sys.exit(f"speed_interleaved: {err}")
    articles = [proplens.Article.from_file(p) for p in paths]
    seconds = interleaved(analyzers, articles, args.chunk)
    report = {
        "cpus": os.cpu_count(),
        "articles": len(articles),
        "chunk": args.chunk,
        "models": {
            name: {
                "folder": str(analyzers[name].model.model_dir),
                "seconds": round(seconds[name], 2),
                "articles_per_s": round(len(articles) / seconds[name], 2),
            }
            for name in analyzers
        },
    }
    report["speedup"] = round(seconds["other"] / seconds["model"], 3)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
