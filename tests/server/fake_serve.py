"""Run the real ``proplens serve`` command with the keyword fake instead of the model.

The server tests start this script as a subprocess (see ``served`` in
``tests/server/served.py``) so that Host/Origin checks, the queue and the socket
limits are exercised through the real CLI, uvicorn and sockets, in seconds.

``PROPLENS_TEST_DELAY`` (seconds per 1,000 characters) makes the fake take time
the way the model does: in steps, reporting each to ``progress`` like the
encoder's windows. ``PROPLENS_TEST_LOG`` names a file that hears ``start N`` and
``end N`` (N: characters) for every analysis, so tests can tell which ran.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import proplens  # noqa: E402
from conftest import FakeAnalyzer  # noqa: E402
from proplens.cli import main  # noqa: E402

STEP = 1000


class SteppedFake(FakeAnalyzer):
    """The keyword fake, taking ``delay`` seconds per 1,000 characters, in steps."""

    def __init__(self, delay: float, log: str | None) -> None:
        super().__init__()
        self.delay = delay
        self.log = log

    def analyze(self, article, threshold=None, progress=None):
        size = len(article.text)
        self._note(f"start {size}")
        steps = max(1, -(-size // STEP))
        for step in range(1, steps + 1):
            time.sleep(self.delay * min(STEP, size) / STEP)
            if progress is not None:
                progress(step, steps)
        self._note(f"end {size}")
        return super().analyze(article, threshold)

    def _note(self, line: str) -> None:
        if self.log:
            with open(self.log, "a", encoding="utf-8") as out:
                out.write(line + "\n")


if __name__ == "__main__":
    fake = SteppedFake(
        float(os.environ.get("PROPLENS_TEST_DELAY", "0")), os.environ.get("PROPLENS_TEST_LOG")
    )
    proplens.load = lambda model_dir=None, threshold=None: fake
    sys.exit(main(["serve", "--no-sources", *sys.argv[1:]]))
