"""Detector speed on real news: articles/s, words/s, peak RSS and cold start, as JSON.

    python bench/speed.py [--data ../shared/data/news-unlabeled] [--limit N] [--model DIR]

Targets on a 2-core laptop-class CPU: at least 6 articles/s in one process,
peak RSS under 500 MB, cold start (import, load, first article) under 1.5 s.
Not a test: it prints figures; nothing here asserts a timing.

It also counts the spans users would call junk: spans whose words are all
stopwords (scikit-learn's English list, which the decoder does not use, joined
with the decoder's own function words) or that hold no letter or digit at all,
and one-word spans (not junk in themselves: "terrorist" is one word).
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import resource
import subprocess
import sys
import time
from functools import cache
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news-unlabeled"

COLD_START = """
import time, sys
t0 = time.perf_counter()
import proplens
t1 = time.perf_counter()
analyzer = proplens.load({model!r})
t2 = time.perf_counter()
analyzer.analyze(proplens.Article.from_file(sys.argv[1]))
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def cold_start(first: Path, model: str | None, repeats: int = 3) -> dict:
    """Fresh interpreter each time; the best of ``repeats`` (the OS file cache is warm)."""
    runs = []
    for _ in range(repeats):
        done = subprocess.run(
            [sys.executable, "-c", COLD_START.format(model=model), str(first)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append([float(x) for x in done.stdout.split()])
    best = min(runs, key=sum)
    return {
        "import_s": round(best[0], 3),
        "load_s": round(best[1], 3),
        "first_article_s": round(best[2], 3),
        "total_s": round(sum(best), 3),
    }


def throughput(paths: list[Path], model: str | None) -> dict:
    import proplens

    analyzer = proplens.load(model)
    articles = [proplens.Article.from_file(p) for p in paths]
    analyzer.analyze(articles[0])  # warm-up, as a server or batch worker would be
    started = time.perf_counter()
    found = [(a.text, analyzer.analyze(a).spans) for a in articles]
    seconds = time.perf_counter() - started
    spans = [text[s.start : s.end] for text, article_spans in found for s in article_spans]
    words = sum(len(a.text.split()) for a in articles)
    return {
        "articles": len(articles),
        "seconds": round(seconds, 2),
        "articles_per_s": round(len(articles) / seconds, 2),
        "words_per_s": round(words / seconds),
        "mean_chars": round(sum(len(a.text) for a in articles) / len(articles)),
        "spans": len(spans),
        "one_word_spans": sum(1 for s in spans if len(s.split()) == 1),
        "junk_spans": [s for s in spans if is_junk(s)],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


@cache
def stopwords() -> frozenset[str]:
    """scikit-learn's English list where installed, joined with the decoder's function words."""
    words: set[str] = set()
    try:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        words |= ENGLISH_STOP_WORDS
    except ImportError:  # the [train] extra is not installed
        pass
    try:
        from proplens.pipeline.decode import FUNCTION_WORDS

        words |= FUNCTION_WORDS
    except ImportError:  # a proplens before 0.2 (to measure the old model with this bench)
        pass
    return frozenset(words)


def is_junk(fragment: str) -> bool:
    """Only stopwords, or no letter or digit at all."""
    words = re.findall(r"[^\W_]+(?:['’][^\W_]+)*", fragment.lower())
    return not words or all(w in stopwords() for w in words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--model", default=None)
    parser.add_argument(
        "--card", action="store_true", help="also record the figures in the model's card"
    )
    args = parser.parse_args()
    paths = sorted(args.data.glob("*.txt"))[: args.limit]
    if not paths:
        sys.exit(f"no .txt articles in {args.data}")
    report = {
        "machine": {
            "cpus": __import__("os").cpu_count(),
            "processor": platform.machine(),
            "python": platform.python_version(),
        },
        "cold_start": cold_start(paths[0], args.model),
        "throughput": throughput(paths, args.model),
    }
    print(json.dumps(report, indent=2))
    if args.card:
        record_in_card(args.model, report)


def record_in_card(model: str | None, report: dict) -> None:
    """The card's ``speed``: this report, junk spans counted rather than listed."""
    from proplens.pipeline.runtime import SHIPPED_DIR
    from proplens.training.export import record

    throughput = dict(report["throughput"], junk_spans=len(report["throughput"]["junk_spans"]))
    value = {
        "command": " ".join(["python", *sys.argv]),
        **report,
        "throughput": throughput,
    }
    record(Path(model) if model is not None else SHIPPED_DIR, "speed", value)


if __name__ == "__main__":
    main()
