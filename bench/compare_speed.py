"""Speed of `proplens compare` on two 1,000-word articles, both analyses included.

    python bench/compare_speed.py [--data ../shared/data/news-unlabeled] [--pairs 10]

A is a real news article of 900 to 1,100 words (from the unlabelled news corpus,
read where it lies, never copied); B is A rewritten the way the story pairs
are: two paragraphs swapped, every sixth sentence dropped, "said" turned into
"confirmed" in every third paragraph, a number changed, two sentences added.
Without the corpus, A and B are the story pairs' texts joined up to 1,000 words.
Prints the load time of the detector and of the sources finder (once per
process), the wall and CPU time per comparison (detector on A and B, sources on
A and B, alignment, flags, summary) and the machine's load average, since other
work on a shared machine slows the wall time. Target: under 2 s per
comparison. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

from proplens.compare import Comparer, build
from proplens.compare.storypairs import load_pairs

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news-unlabeled"
PAIRS = Path(__file__).resolve().parent / "compare-pairs"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--pairs", type=int, default=10)
    args = parser.parse_args()
    pairs = news_pairs(Path(args.data), args.pairs) or invented_pairs()
    started = time.perf_counter()
    comparer = Comparer.load()
    loaded = time.perf_counter() - started
    print(
        f"load: detector and sources finder {loaded:.2f} s"
        + (f" (sources skipped: {comparer.skipped})" if comparer.skipped else "")
    )
    comparer.compare(*pairs[0])  # warm-up: first-call costs are start-up, not comparison
    times, cpu, words, parts = [], [], [], []
    for a, b in pairs:
        started, started_cpu = time.perf_counter(), time.process_time()
        comparer.compare(a, b)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        words.append((len(a.split()), len(b.split())))
        parts.append(stages(comparer, a, b))
    print(
        f"{len(pairs)} comparisons, A {statistics.mean(w[0] for w in words):.0f} words and "
        f"B {statistics.mean(w[1] for w in words):.0f} words on average"
    )
    print(
        f"per comparison: median {statistics.median(times):.2f} s, max {max(times):.2f} s "
        f"(target < 2 s); CPU time median {statistics.median(cpu):.2f} s"
    )
    detector, parser, rest = (statistics.median(p[i] for p in parts) for i in range(3))
    print(
        f"of which (medians, timed again stage by stage): detector {detector:.2f} s, "
        f"parser {parser:.2f} s, alignment, flags and summary {rest:.3f} s"
    )
    print(
        f"load average (1 min) while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    return 0


def stages(comparer, a: str, b: str) -> tuple[float, float, float]:
    """The same comparison again, stage by stage: detector, parser, the rest."""
    t0 = time.perf_counter()
    a_doc, b_doc = comparer.analyzer.analyze(a), comparer.analyzer.analyze(b)
    t1 = time.perf_counter()
    found = [comparer.finder.find(a), comparer.finder.find(b)] if comparer.finder else [None, None]
    t2 = time.perf_counter()
    build(a_doc, b_doc, *found, comparer.skipped)
    return t1 - t0, t2 - t1, time.perf_counter() - t2


def news_pairs(folder: Path, count: int) -> list[tuple[str, str]]:
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if 900 <= len(text.split()) <= 1100:
            out.append((text, rewrite(text)))
        if len(out) == count:
            break
    return out


def rewrite(text: str) -> str:
    """A deterministic slanted rewrite: reorder, drop, upgrade verbs, change a number, add."""
    lines = [line for line in text.split("\n") if line.strip()]
    title, body = lines[0], lines[1:]
    if len(body) > 3:
        body[1], body[2] = body[2], body[1]
    out = []
    for number, paragraph in enumerate(body):
        sentences = re.split(r"(?<=[.!?])\s+", paragraph)
        kept = [s for i, s in enumerate(sentences) if (number * 7 + i) % 6 != 5]
        paragraph = " ".join(kept)
        if number % 3 == 0:
            paragraph = paragraph.replace(" said ", " confirmed ")
        out.append(paragraph)
    out[0] = re.sub(r"\d+", lambda m: str(int(m.group()) * 3), out[0], count=1)
    out.insert(2, "Sources say the real figure is far higher. Nobody has been held to account.")
    return "\n".join([title, "", *out]) + "\n"


def invented_pairs() -> list[tuple[str, str]]:
    pairs = load_pairs(PAIRS, skipped=[])  # a pair whose text is not here is left out
    a = "\n".join(p.a for p in pairs)
    b = "\n".join(p.b for p in pairs)
    return [(_cut(a), _cut(b))]


def _cut(text: str, words: int = 1000) -> str:
    lines, total = [], 0
    for line in text.split("\n"):
        if total >= words:
            break
        lines.append(line)
        total += len(line.split())
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
