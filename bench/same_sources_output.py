"""Is the JSON of `proplens analyze --sources` byte for byte the same after a change?

    python bench/same_sources_output.py dump OUT.jsonl [--limit 200] [--sources-only]
    python bench/same_sources_output.py diff BEFORE.jsonl AFTER.jsonl

``dump`` runs the real command, ``proplens analyze --sources --format jsonl``
(or ``proplens sources --format jsonl`` with ``--sources-only``: the same
sources keys, no detector, a fifth of the time), in a subprocess of this
interpreter, over the example articles (``examples/*.txt`` and
``../shared/examples/*.txt``) and the first ``--limit`` news articles of
``../shared/data/news-unlabeled`` (sorted by name). Run it once with the code
before the change (e.g. ``PYTHONPATH=/path/to/old/src``) and once after;
``diff`` then says whether the two files are identical and, if not, which
articles differ and at which key. Speed work on the source finder must leave
them identical (docs/sources.md "Speed and memory").
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEFAULT_DATA = SHARED / "data" / "news-unlabeled"


def articles(data: Path, limit: int) -> list[Path]:
    examples = sorted((ROOT / "examples").glob("*.txt")) + sorted(
        (SHARED / "examples").glob("*.txt")
    )
    news = sorted(data.glob("*.txt"))[:limit] if limit else []
    if limit and not news:
        sys.exit(f"no .txt articles in {data}")
    return examples + news


def dump(out: Path, data: Path, limit: int, sources_only: bool) -> int:
    paths = articles(data, limit)
    command = ["sources"] if sources_only else ["analyze", "--sources"]
    done = subprocess.run(
        [sys.executable, "-m", "proplens", *command, "--format", "jsonl", "--output", str(out)]
        + [str(p) for p in paths],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        return done.returncode
    print(f"{out}: {len(paths)} articles ({' '.join(command)})")
    return 0


def diff(before: Path, after: Path) -> int:
    old, new = before.read_bytes(), after.read_bytes()
    if old == new:
        print(f"identical: {len(old.splitlines())} articles, {len(old)} bytes")
        return 0
    old_lines, new_lines = old.splitlines(), new.splitlines()
    if len(old_lines) != len(new_lines):
        print(f"DIFFERENT: {len(old_lines)} articles before, {len(new_lines)} after")
        return 1
    differing = 0
    for a, b in zip(old_lines, new_lines, strict=True):
        if a == b:
            continue
        differing += 1
        da, db = json.loads(a), json.loads(b)
        keys = sorted(k for k in set(da) | set(db) if da.get(k) != db.get(k))
        print(f"DIFFERENT: {da.get('id')}: {', '.join(keys)}")
    print(f"{differing} of {len(old_lines)} articles differ")
    return 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dumping = commands.add_parser("dump", help="write the JSONL of the current code")
    dumping.add_argument("out", type=Path)
    dumping.add_argument("--data", type=Path, default=DEFAULT_DATA)
    dumping.add_argument("--limit", type=int, default=200, help="news articles (0: examples only)")
    dumping.add_argument("--sources-only", action="store_true", help="proplens sources instead")
    diffing = commands.add_parser("diff", help="compare two dumps")
    diffing.add_argument("before", type=Path)
    diffing.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        return dump(args.out, args.data, args.limit, args.sources_only)
    return diff(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
