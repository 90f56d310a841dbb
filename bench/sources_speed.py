"""Speed and memory of `proplens analyze --sources` on real news, as JSON.

    python bench/sources_speed.py [--data ../shared/data/news-unlabeled] [--limit N]

Runs, in one process, what `proplens analyze --sources` runs
(proplens.sources.alongside: the detector on each article while spaCy parses
them in a second thread), and prints articles/s and CPU milliseconds per
article for the detector alone, for the two together and for the source finder
alone (with its cue model, and with the rules alone), peak RSS (ru_maxrss), the
machine's load average, and the cold start of both (import, load, first
article) in a fresh interpreter. On a shared machine, compare the rows with
each other: they ran under the same load.
Limits from issue 10: at least 5 articles/s together, peak RSS under 600 MB.
Not a test: nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news-unlabeled"

COLD_START = """
import sys, time
t0 = time.perf_counter()
import proplens
from proplens import sources
analyzer, finder = proplens.load(), sources.load()
t1 = time.perf_counter()
from proplens.sources.alongside import analyze_with_sources
analyze_with_sources(analyzer, finder, [proplens.Article.from_file(sys.argv[1])])
print(t1 - t0, time.perf_counter() - t1)
"""


def cold_start(first: Path, repeats: int = 3) -> dict:
    runs = []
    for _ in range(repeats):
        done = subprocess.run(
            [sys.executable, "-c", COLD_START, str(first)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append([float(x) for x in done.stdout.split()])
    best = min(runs, key=sum)
    return {"import_and_load_s": round(best[0], 3), "first_article_s": round(best[1], 3)}


def throughput(paths: list[Path]) -> dict:
    import proplens
    from proplens import sources
    from proplens.sources.alongside import analyze_with_sources

    analyzer, finder = proplens.load(), sources.load()
    articles = [proplens.Article.from_file(p) for p in paths]
    analyze_with_sources(analyzer, finder, articles[:2])  # warm-up
    wall, cpu = time.perf_counter(), time.process_time()
    detected = [analyzer.analyze(a) for a in articles]
    detector = (time.perf_counter() - wall, time.process_time() - cpu)
    wall, cpu = time.perf_counter(), time.process_time()
    found = analyze_with_sources(analyzer, finder, articles)
    both = (time.perf_counter() - wall, time.process_time() - cpu)
    wall, cpu = time.perf_counter(), time.process_time()
    alone = list(finder.find_many(a.text for a in articles))
    sources_only = (time.perf_counter() - wall, time.process_time() - cpu)
    rules = sources.SourceFinder(finder.nlp, cues=False)  # the same parse, no cue model
    wall, cpu = time.perf_counter(), time.process_time()
    list(rules.find_many(a.text for a in articles))
    rules_only = (time.perf_counter() - wall, time.process_time() - cpu)
    n = len(articles)
    return {
        "articles": n,
        "mean_chars": round(sum(len(a.text) for a in articles) / n),
        "detector_alone": _rate(n, detector),
        "analyze_with_sources": _rate(n, both),
        "sources_alone": _rate(n, sources_only),
        "sources_alone_rules_only": _rate(n, rules_only),
        "same_spans": [a.spans for a in detected] == [a.spans for a in found],
        "found": {
            "attributions": sum(len(a.sources.attributions) for a in found),
            "claims": sum(len(a.sources.claims) for a in found),
            "unattributed_claims": sum(len(s.unattributed()) for s in alone),
            "hedges": sum(len(s.hedges) for s in alone),
        },
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def sources_throughput(paths: list[Path]) -> dict:
    """The source finder alone (parse, rules and cue model), then with the rules alone: to
    compare two versions of it run one after the other in separate processes
    (docs/sources.md)."""
    import proplens
    from proplens import sources

    finder = sources.load()
    articles = [proplens.Article.from_file(p) for p in paths]
    list(finder.find_many(a.text for a in articles[:2]))  # warm-up
    wall, cpu = time.perf_counter(), time.process_time()
    alone = list(finder.find_many(a.text for a in articles))
    timing = (time.perf_counter() - wall, time.process_time() - cpu)
    rules = sources.SourceFinder(finder.nlp, cues=False)  # the same parse, no cue model
    wall, cpu = time.perf_counter(), time.process_time()
    list(rules.find_many(a.text for a in articles))
    rules_only = (time.perf_counter() - wall, time.process_time() - cpu)
    return {
        "articles": len(articles),
        "sources_alone": _rate(len(articles), timing),
        "sources_alone_rules_only": _rate(len(articles), rules_only),
        "attributions": sum(len(s.attributions) for s in alone),
    }


def _rate(n: int, timing: tuple[float, float]) -> dict:
    wall, cpu = timing
    return {
        "seconds": round(wall, 2),
        "articles_per_s": round(n / wall, 2),
        "cpu_ms_per_article": round(1000 * cpu / n, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--no-cold-start", action="store_true")
    parser.add_argument(
        "--sources-only", action="store_true", help="only the source finder alone (no detector)"
    )
    args = parser.parse_args()
    paths = sorted(args.data.glob("*.txt"))[: args.limit]
    if not paths:
        sys.exit(f"no .txt articles in {args.data}")
    report = {"cpus": os.cpu_count(), "load_average": os.getloadavg()[0]}
    if args.sources_only:
        report["throughput"] = sources_throughput(paths)
        print(json.dumps(report, indent=2))
        return
    if not args.no_cold_start:
        report["cold_start"] = cold_start(paths[0])
    report["throughput"] = throughput(paths)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
