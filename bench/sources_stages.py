"""Where the source finder's CPU time goes, stage by stage, in milliseconds per article.

    python bench/sources_stages.py [--data ../shared/data/news-unlabeled] [--limit 100]

Runs the stages of ``SourceFinder.find_many`` one after the other over the
same articles and prints the CPU time of each: spaCy's tokenizer, each
pipeline component (``nlp.pipe_names``), the rules (attributions, claims and
hedges; claims also on their own) and what the cue model adds. Which stage to
make faster is read from here (docs/sources.md "Speed and memory"). Not a
test: nothing here asserts a timing. On a shared machine the figures grow
with the load; compare stages of one run with each other.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news-unlabeled"


def stages(texts: list[str]) -> dict:
    from proplens import sources
    from proplens.sources import finder as finding
    from proplens.sources.hedges import find_hedges

    finder = sources.load()
    nlp = finder.nlp
    list(finder.find_many(texts[:2]))  # warm-up
    jobs = [
        (chunk, n, base) for n, text in enumerate(texts) for chunk, base in finding.chunks(text)
    ]
    cpu = {}
    start = time.process_time()
    docs = [nlp.make_doc(chunk) for chunk, _, _ in jobs]
    cpu["tokenizer"] = time.process_time() - start
    for name, component in nlp.pipeline:
        start = time.process_time()
        docs = list(component.pipe(docs, batch_size=finding.PIPE_BATCH))
        cpu[name] = time.process_time() - start
    parsed: dict[int, list] = {}
    for (_, n, base), doc in zip(jobs, docs, strict=True):
        parsed.setdefault(n, []).append((doc, base))
    claims_cpu = [0.0]
    find_claims = finding.find_claims

    def timed_claims(*args):
        begin = time.process_time()
        try:
            return find_claims(*args)
        finally:
            claims_cpu[0] += time.process_time() - begin

    finding.find_claims = timed_claims
    try:
        start = time.process_time()
        for n, lines in parsed.items():
            finding._sources(texts[n], lines, None)
        cpu["rules (attributions, claims, hedges)"] = time.process_time() - start
        cpu["  of which claims"] = claims_cpu[0]
    finally:
        finding.find_claims = find_claims
    start = time.process_time()
    for text in texts:
        find_hedges(text)
    cpu["  of which hedges"] = time.process_time() - start
    start = time.process_time()
    for n, lines in parsed.items():
        finding._sources(texts[n], lines, finder.cues)
    cpu["cue model (added to the rules)"] = (
        time.process_time() - start - cpu["rules (attributions, claims, hedges)"]
    )
    return {name: round(1000 * seconds / len(texts), 1) for name, seconds in cpu.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=100)
    args = parser.parse_args()
    paths = sorted(args.data.glob("*.txt"))[: args.limit]
    if not paths:
        sys.exit(f"no .txt articles in {args.data}")
    from proplens.article import Article

    texts = [Article.from_file(p).text for p in paths]
    report = {"articles": len(texts), "load_average": os.getloadavg()[0]}
    report["cpu_ms_per_article"] = stages(texts)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
