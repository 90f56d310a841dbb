"""Parse PolNeAR's articles once with the source finder's spaCy pipeline and keep the parses.

    python bench/polnear_parse.py [--split train dev] [--cache /work/cache-sources]

Each article becomes ``CACHE/SPLIT/NAME.spacy`` (a spaCy DocBin holding the
article's lines, parsed exactly as :class:`proplens.sources.SourceFinder`
parses them: same lines, same pipeline). Resumable: an article whose file
exists is skipped, so an interrupted run goes on where it stopped. The cache
lives outside the repository (the corpus is not ours to commit) and is keyed by
the pipeline's version: a different model writes to a different folder.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from proplens.sources.finder import chunks
from proplens.sources.pipeline import load_pipeline
from proplens.sources.polnear import POLNEAR_DIR, article_names

DEFAULT_CACHE = Path("/work/cache-sources")


def cache_dir(cache: Path, split: str, nlp) -> Path:
    return cache / f"en_core_web_sm-{nlp.meta.get('version', '')}" / split


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", nargs="+", default=["dev", "train"])
    parser.add_argument("--root", type=Path, default=POLNEAR_DIR)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = parser.parse_args()
    from spacy.tokens import DocBin

    nlp = load_pipeline()
    for split in args.split:
        out = cache_dir(args.cache, split, nlp)
        out.mkdir(parents=True, exist_ok=True)
        names = [n for n in article_names(args.root, split) if not (out / f"{n}.spacy").exists()]
        started = time.perf_counter()
        for done, name in enumerate(names, 1):
            text = (args.root / split / "text" / f"{name}.txt").read_text(encoding="utf-8")
            docs = nlp.pipe((piece for piece, _ in chunks(text)), batch_size=32)
            binary = DocBin(docs=docs).to_bytes()
            partial = out / f"{name}.spacy.part"
            partial.write_bytes(binary)
            partial.rename(out / f"{name}.spacy")
            if done % 50 == 0:
                rate = done / (time.perf_counter() - started)
                print(f"{split}: {done}/{len(names)} parsed, {rate:.1f} articles/s", flush=True)
        print(f"{split}: {len(names)} parsed into {out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
