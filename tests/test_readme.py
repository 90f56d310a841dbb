"""The README's commands: CI runs them as typed, extras compose with the editable install."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def code_lines(doc: Path = README) -> list[str]:
    """Every line of a page's bash code blocks (the README's unless told)."""
    blocks = re.findall(r"```bash\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_extras_are_added_to_the_editable_install():
    # A plain `pip install '.[serve]'` after `pip install -e '.[test]'` would silently
    # replace the editable install with a copy of the tree.
    installs = [line for line in code_lines() if "pip install" in line and ".[" in line]
    assert installs
    for line in installs:
        assert re.search(r"pip install -e '\.\[\w+\]'", line), line


def test_evaluation_scores_si_on_analyze_output_and_tc_on_classify_output():
    lines = code_lines(ROOT / "docs" / "evaluate.md")
    made_by: dict[str, str] = {}
    for line in lines:
        if line.startswith("proplens analyze") or line.startswith("proplens classify"):
            output = re.search(r"--output (\S+)", line)
            if output:
                made_by[output.group(1)] = line.split()[1]
        cut = re.match(r"cut .* (\S+) > (\S+)$", line)  # a column dropped: same producer
        if cut:
            made_by[cut.group(2)] = made_by.get(cut.group(1), "?")
    evaluations = [line for line in lines if line.startswith("proplens evaluate")]
    tasks = {re.search(r"--task (\w+)", line).group(1): line for line in evaluations}
    assert set(tasks) == {"si", "tc"}
    for task, producer in (("si", "analyze"), ("tc", "classify")):
        pred = re.search(r"--pred (\S+)", tasks[task]).group(1)
        assert made_by.get(pred) == producer, f"--task {task} scores {pred} ({made_by.get(pred)})"


def test_example_outputs_go_to_a_scratch_folder():
    for line in [*code_lines(), *code_lines(ROOT / "docs" / "evaluate.md")]:
        if line.startswith("proplens ") and "--output" in line and "analyze examples" not in line:
            target = re.search(r"--output (\S+)", line).group(1)
            if line.startswith(("proplens analyze", "proplens classify")):
                assert target.startswith('"$out/'), line


def test_ci_runs_the_readme_quickstart_and_test_command_as_typed():
    # .ci/run reads these two lines from README.md itself; here: that it finds exactly the
    # quickstart and the test command, whole, and that they need no newer pip than Python's.
    done = subprocess.run(
        ["bash", str(ROOT / ".ci" / "run"), "--print-readme-commands"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    quickstart, tests = done.stdout.splitlines()
    assert quickstart in code_lines() and tests in code_lines()
    assert quickstart.endswith("&& proplens analyze examples/harbour-deal.txt"), quickstart
    assert tests.endswith("&& python -m pytest -q"), tests
    assert "pip install -e '.[test]'" in tests
    for line in (quickstart, tests):
        assert line.startswith("python3 -m venv .venv && . .venv/bin/activate && ")
        assert "--upgrade pip" not in line and "pip install -U" not in line


def test_ci_never_upgrades_the_pip_of_the_environment_it_tests():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    upgrades = [line for line in script.splitlines() if "--upgrade pip" in line]
    assert upgrades and all("LABEL_STUDIO_VENV" in line for line in upgrades), upgrades


def test_install_commands_in_docs_and_messages_work_from_a_clone():
    # proplens is not on PyPI: `pip install 'proplens[x]'` finds nothing, and a plain
    # `pip install '.[x]'` replaces the editable install with a copy of the tree.
    wrong = re.compile(r"pip install (?:'proplens\[|\"proplens\[|proplens\[|'\.\[|\.\[)")
    files = [README, *ROOT.joinpath("docs").glob("*.md"), *ROOT.joinpath("src").rglob("*.py")]
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if wrong.search(line)
    ]
    assert not found, "\n".join(found)


def test_the_readme_is_a_short_page():
    # Issue 24: a newcomer's page; figures, protocol and history live in docs/.
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 200


def test_relative_links_in_readme_and_docs_lead_somewhere():
    pages = [README, *ROOT.joinpath("docs").glob("*.md")]
    broken = []
    for page in pages:
        text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = target.split("#")[0]
            if not (page.parent / path).exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert not broken, broken


def test_the_readme_quality_sentence_quotes_the_held_out_table():
    # The README's one sentence on quality and docs/quality.md's held-out table agree.
    readme = " ".join(README.read_text(encoding="utf-8").split())
    table = ROOT.joinpath("docs", "quality.md").read_text(encoding="utf-8")
    rows = re.findall(r"precision (0\.\d+), recall (0\.\d+)", table)
    assert len(rows) == 2, rows
    (p1, r1), (p2, r2) = rows
    assert f"precision {p1} and {p2}, recall {r1} and {r2}" in readme
    worst, best = sorted(float(p) for p in (p1, p2))
    shown = re.search(r"about (\d+) in 10 of the fragments it flags are right", readme)
    assert shown and round(10 * worst) <= int(shown.group(1)) <= round(10 * best)
    found = re.search(r"finds about (\d+) in 10 of the fragments", readme)
    assert found and abs(int(found.group(1)) - 10 * (float(r1) + float(r2)) / 2) <= 1


def test_the_readme_example_lists_what_analyze_prints():
    """The console block lists the fragments (technique, score, text) the model gives."""
    block = re.search(
        r"```console\n\$ proplens analyze examples/harbour-deal.txt\n(.*?)```",
        README.read_text(encoding="utf-8"),
        re.S,
    )
    assert block, "README has no console block of proplens analyze examples/harbour-deal.txt"
    shown = re.findall(r"^ +\d+\. (.+?) +(\d\.\d\d)  “(.+?)(?:”|…)", block.group(1), re.M)
    result = subprocess.run(
        [sys.executable, "-m", "proplens", "analyze", str(ROOT / "examples" / "harbour-deal.txt")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    printed = re.findall(r"^ +\d+\. (.+?) +(\d\.\d\d)  “(.+?)”", result.stdout, re.M)
    assert len(shown) == len(printed) > 0
    for (technique, score, text), (p_technique, p_score, p_text) in zip(
        shown, printed, strict=True
    ):
        assert technique == p_technique
        # one unit of the last digit: float kernels differ by CPU (tests/test_doc_outputs.py)
        assert abs(float(score) - float(p_score)) <= 0.015, (technique, score, p_score)
        assert p_text.startswith(text.rstrip(" …"))
