"""Does a speed change keep the detector's output the same? Dump both versions' output and diff.

    python bench/same_output.py --base REF [--limit N]     # this tree's src/ against git REF's
    python bench/same_output.py dump OUT.json [--limit N]  # the proplens on PYTHONPATH
    python bench/same_output.py diff A.json B.json

For the 400 unlabeled news articles and the 56 confirmation articles of the
training corpus, a dump holds every span the detector finds (all scores, not
only those above the default threshold) with its technique and its score as
the JSON shows it (4 decimals), the same scores unrounded (``repr`` of the
float64 the calibration returns, so a change in the last bit shows), and, for
the confirmation articles, what ``classify`` says of their gold spans (the TC
setting). ``--base`` extracts ``src/`` of REF (``git archive``) into a
temporary folder, dumps both versions in subprocesses and diffs them; the exit
status is 1 when anything differs. Not a test: it needs the licensed data.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
NEWS = SHARED / "news-unlabeled"
PTC = SHARED / "ptc-train"


def articles(limit: int | None) -> list[tuple[str, Path, Path | None]]:
    """``(key, text file, gold label file or None)`` of the news and confirmation articles."""
    from proplens.pipeline.runtime import SHIPPED_DIR

    card = json.loads((SHIPPED_DIR / "card.json").read_text())
    found = [(f"news/{p.stem}", p, None) for p in sorted(NEWS.glob("*.txt"))[:limit]]
    for article_id in sorted(card["training_data"]["confirmation_articles"])[:limit]:
        text = PTC / "articles" / f"article{article_id}.txt"
        labels = PTC / "labels-tc" / f"article{article_id}.task-flc-tc.labels"
        found.append((f"confirmation/{article_id}", text, labels))
    missing = [str(p) for _, p, _ in found if not p.exists()]
    if not found or missing:
        sys.exit(f"same_output: articles missing ({', '.join(missing[:3]) or NEWS})")
    return found


def gold_spans(labels: Path) -> list[tuple[int, int]]:
    rows = [line.split("\t") for line in labels.read_text().splitlines() if line.strip()]
    return [(int(r[2]), int(r[3])) for r in rows]


class _Recording:
    """A calibration keeping its last scores (detect's final call scores the spans it returns)."""

    def __init__(self, calibration, last: list) -> None:
        self.calibration, self.last = calibration, last

    def score(self, *args, **kwargs):
        result = self.calibration.score(*args, **kwargs)
        self.last[:] = [repr(float(x)) for x in result]
        return result

    def __getattr__(self, name):
        return getattr(self.calibration, name)


def dump(out: Path, limit: int | None) -> None:
    """Write this proplens's output on the articles to ``out``."""
    import proplens

    model = proplens.load().model
    last_scores: list = []
    model.calibration = _Recording(model.calibration, last_scores)
    result = {}
    for key, path, labels in articles(limit):
        text = proplens.Article.from_file(path).text
        last_scores.clear()
        spans = model.detect(text)
        entry = {
            "spans": [list(span) for span in spans],
            "exact": list(last_scores) if spans else [],
        }
        if labels is not None:
            entry["classify"] = [list(x) for x in model.classify(text, gold_spans(labels))]
        result[key] = entry
    out.write_text(json.dumps(result, indent=0, sort_keys=True) + "\n")


def diff(a: Path, b: Path) -> int:
    """Print the articles whose output differs; 1 if any does."""
    old, new = json.loads(a.read_text()), json.loads(b.read_text())
    if old.keys() != new.keys():
        print(f"different articles: {sorted(old.keys() ^ new.keys())[:5]}")
        return 1
    differing = [key for key in old if old[key] != new[key]]
    spans = sum(len(v["spans"]) for v in old.values())
    gold = sum(len(v.get("classify", [])) for v in old.values())
    for key in differing[:10]:
        for part in ("spans", "exact", "classify"):
            if old[key].get(part) != new[key].get(part):
                print(f"{key}: {part} differ")
    print(
        json.dumps(
            {
                "articles": len(old),
                "spans": spans,
                "classified_gold_spans": gold,
                "articles_differing": len(differing),
            }
        )
    )
    return 1 if differing else 0


def against(ref: str, limit: int | None) -> int:
    """Dump ``src/`` of ``ref`` and of this tree in subprocesses, then diff."""
    with tempfile.TemporaryDirectory(prefix="same-output-") as tmp:
        base = Path(tmp) / "base"
        base.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "src"],
            capture_output=True,
            check=False,
        )
        if archive.returncode != 0:
            sys.exit(f"same_output: git archive {ref}: {archive.stderr.decode().strip()}")
        archive_file = Path(tmp) / "base.tar"
        archive_file.write_bytes(archive.stdout)
        with tarfile.open(archive_file) as tar:
            tar.extractall(base, filter="data")
        dumps = []
        for name, src in (("base", base / "src"), ("this", ROOT / "src")):
            out = Path(tmp) / f"{name}.json"
            env = dict(os.environ, PYTHONPATH=str(src))
            command = [sys.executable, __file__, "dump", str(out)]
            if limit is not None:
                command += ["--limit", str(limit)]
            subprocess.run(command, env=env, check=True)
            dumps.append(out)
        return diff(*dumps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", nargs="?", choices=("dump", "diff"))
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--base", help="git ref whose src/ to compare this tree's with")
    parser.add_argument("--limit", type=int, default=None, help="first N of each set")
    args = parser.parse_args()
    if args.base:
        sys.exit(against(args.base, args.limit))
    if args.action == "dump" and len(args.files) == 1:
        dump(args.files[0], args.limit)
    elif args.action == "diff" and len(args.files) == 2:
        sys.exit(diff(*args.files))
    else:
        parser.error("give --base REF, or dump OUT.json, or diff A.json B.json")


if __name__ == "__main__":
    main()
