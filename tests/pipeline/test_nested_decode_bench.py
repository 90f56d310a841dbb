"""bench/nested_decode.py: a bad --variant or argument is one line on stderr and exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "nested_decode.py"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["measure", "--variant", "{nesting:"], "not JSON"),
        (["measure", "--variant", '{"nesting": {"per_spam": 2}}'], "nesting: unknown keys"),
        (["measure", "--variant", '{"cut": {}}'], "expected an object"),
        (["measure", "--variant", '{"sentence_cut": {"techniques": ["Nope"]}}'], "unknown tech"),
        (["measure", "--per-span", "-1"], "per_span"),
        (["gold", "--rate", "0"], "--rate"),
        (["example", "--file", "/nonexistent/article.txt"], "no such file"),
    ],
)
def test_bad_arguments_are_refused_without_a_traceback(args, message):
    done = subprocess.run(
        [sys.executable, str(BENCH), *args], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
