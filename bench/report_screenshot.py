"""Make docs/img/report.png: a picture of `proplens report` on a synthetic corpus.

The corpus is our own synthetic text (the news corpus may not be redistributed,
not even as a picture of its phrases). Needs headless Chromium at
/usr/bin/chromium.

    python bench/report_screenshot.py [--output docs/img/report.png]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from synthetic import write_corpus
from watch import BENCH, env, proplens

CHROMIUM = "/usr/bin/chromium"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--hide-scrollbars")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=BENCH.parent / "docs" / "img" / "report.png")
    parser.add_argument("--articles", type=int, default=600)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="proplens-report-") as tmp:
        tmp = Path(tmp)
        corpus = write_corpus(tmp / "synthetic-news.jsonl", args.articles)
        table = tmp / "synthetic-news.parquet"
        factory = ("--analyzer-factory", "synthetic:make_analyzer")
        _run(proplens("batch", str(corpus), "-o", str(table), "--workers", "2", *factory))
        _run(proplens("report", str(table), "--html", str(tmp / "report.html")))
        shot = tmp / "shot.png"
        if shutil.which(CHROMIUM):
            _run([CHROMIUM, *FLAGS, "--window-size=1100,2150", f"--screenshot={shot}",
                  (tmp / "report.html").as_uri()])  # fmt: skip
        else:
            raise SystemExit(f"{CHROMIUM} not found; install chromium to make the picture")
        _shrink(shot, args.output)
    print(f"{args.output}: {args.output.stat().st_size // 1024} KB")


def _run(command: list[str]) -> None:
    subprocess.run(command, env=env(), check=True, capture_output=True)


def _shrink(source: Path, target: Path) -> None:
    """A 256-colour PNG: charts and text stay sharp at a fraction of the size."""
    from PIL import Image

    image = Image.open(source).convert("RGB")
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(target, optimize=True)


if __name__ == "__main__":
    main()
