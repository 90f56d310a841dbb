"""Make docs/img/page.png: `proplens serve`'s page analysing examples/harbour-deal.txt.

A real server (this checkout, the shipped model, no store) in a subprocess, the page
driven by Playwright in Debian's headless Chromium (/usr/bin/chromium): the example
article pasted, "Analyse" pressed, the top of the page photographed once the
analysis is shown, then cut down to 256 colours so the picture stays small.

    python bench/page_screenshot.py [--output docs/img/page.png]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from watch import BENCH, env, proplens

CHROMIUM = "/usr/bin/chromium"
EXAMPLE = BENCH.parent / "examples" / "harbour-deal.txt"
SERVING = re.compile(r"serving on (http://\S+/)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=BENCH.parent / "docs" / "img" / "page.png")
    parser.add_argument("--width", type=int, default=1100)
    parser.add_argument("--height", type=int, default=1300)
    args = parser.parse_args()
    if shutil.which(CHROMIUM) is None:
        raise SystemExit(f"{CHROMIUM} not found; install chromium to make the picture")
    from playwright.sync_api import expect, sync_playwright

    server = subprocess.Popen(
        proplens("serve", "--port", "0"),
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = _wait_for_url(server)
        with tempfile.TemporaryDirectory(prefix="proplens-page-") as tmp:
            shot = Path(tmp) / "shot.png"
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": args.width, "height": args.height})
                page.goto(url)
                page.wait_for_selector("body[data-ready='true']")
                page.fill("#text", EXAMPLE.read_text(encoding="utf-8"))
                page.click("#analyze")
                expect(page.locator("#status")).to_have_text(re.compile(r"^Done"), timeout=60_000)
                page.evaluate("document.querySelector('#text').scrollTop = 0")
                page.screenshot(path=str(shot))
                browser.close()
            _shrink(shot, args.output)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"{args.output}: {args.output.stat().st_size // 1024} KB")


def _wait_for_url(server: subprocess.Popen) -> str:
    """The address the server prints once its port is bound and the model loaded."""
    lines = []
    for line in server.stdout:
        lines.append(line)
        found = SERVING.search(line)
        if found:
            return found.group(1)
    raise SystemExit("proplens serve stopped before serving:\n" + "".join(lines))


def _shrink(source: Path, target: Path) -> None:
    """A 256-colour PNG: text and highlights stay sharp at a fraction of the size."""
    from PIL import Image

    image = Image.open(source).convert("RGB")
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(target, optimize=True)


if __name__ == "__main__":
    main()
