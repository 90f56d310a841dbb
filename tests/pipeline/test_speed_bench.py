"""bench/speed.py --card: the speed figures docs/quality.md quotes go into the model's card."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import proplens
from proplens.pipeline.runtime import SHIPPED_DIR
from tests.bench_scripts import load_bench

BENCH = Path(__file__).resolve().parents[2] / "bench" / "speed.py"
ARTICLES = {
    "one.txt": "The corrupt council lied again.\n\nNobody believes these shameless liars.\n",
    "two.txt": "A quiet week in the town.\n\nThe roads were empty and the weather mild.\n",
}


def test_card_option_records_speed_and_keeps_the_model_loadable(tmp_path):
    corpus = tmp_path / "news"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    model = Path(shutil.copytree(SHIPPED_DIR, tmp_path / "model"))
    done = subprocess.run(
        [sys.executable, str(BENCH), "--data", str(corpus), "--model", str(model), "--card"],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(done.stdout)
    speed = proplens.load(str(model)).card["speed"]  # checksums re-signed, or load fails
    assert speed["throughput"]["articles"] == 2 == report["throughput"]["articles"]
    assert speed["throughput"]["junk_spans"] == len(report["throughput"]["junk_spans"])
    assert speed["cold_start"] == report["cold_start"]
    assert "--card" in speed["command"]


INTERLEAVED = BENCH.with_name("speed_interleaved.py")


def test_interleaved_turns_alternate_and_every_article_is_read_once_per_model():
    bench = load_bench("speed_interleaved")
    calls: list[tuple[str, int]] = []

    class Recorder:
        def __init__(self, name: str) -> None:
            self.name = name

        def analyze(self, article: int) -> None:
            calls.append((self.name, article))

    seconds = bench.interleaved({"a": Recorder("a"), "b": Recorder("b")}, list(range(5)), 2)
    assert set(seconds) == {"a", "b"}
    timed = calls[2:]  # after one warm-up article each
    assert sorted(timed) == sorted((name, i) for name in "ab" for i in range(5))
    firsts = [timed[0][0], timed[4][0], timed[8][0]]  # who opens each turn of 2, 2, 1
    assert firsts == ["a", "b", "a"]


def test_interleaved_refuses_a_folder_that_is_not_a_model(tmp_path):
    corpus = tmp_path / "news"
    corpus.mkdir()
    (corpus / "one.txt").write_text(ARTICLES["one.txt"], encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(INTERLEAVED), str(tmp_path / "nowhere"), "--data", str(corpus)],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "no such model folder" in done.stderr and "Traceback" not in done.stderr


def test_interleaved_compares_two_model_folders(tmp_path):
    corpus = tmp_path / "news"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(INTERLEAVED), str(SHIPPED_DIR), "--data", str(corpus), "--chunk", "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(done.stdout)
    assert report["articles"] == 2 and set(report["models"]) == {"model", "other"}
    assert report["speedup"] > 0


SPEED_AB = BENCH.with_name("speed_ab.py")
SAME_OUTPUT = BENCH.with_name("same_output.py")
SRC = Path(proplens.__file__).resolve().parents[1]


def test_speed_ab_reads_every_article_once_in_each_process(tmp_path):
    corpus = tmp_path / "news"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(SPEED_AB), str(SRC), f"{SRC},PROPLENS_THREADS=1"]
        + ["--data", str(corpus), "--chunk", "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(done.stdout)
    a, b = report["sides"]["a"], report["sides"]["b"]
    assert a["articles_read"] == b["articles_read"] == 2 == report["articles"]
    assert a["env"] == {} and b["env"] == {"PROPLENS_THREADS": "1"}
    assert a["proplens"].startswith(str(SRC)) and report["speedup_b_over_a"] > 0


def test_speed_ab_refuses_a_folder_without_proplens(tmp_path):
    done = subprocess.run(
        [sys.executable, str(SPEED_AB), str(SRC), str(tmp_path)], capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "holds no proplens package" in done.stderr and "Traceback" not in done.stderr


def test_same_output_diff_fails_on_any_change_of_a_score(tmp_path):
    entry = {"spans": [[0, 5, "Doubt", 0.2]], "exact": ["0.2000001"], "classify": []}
    old, new, same = tmp_path / "old.json", tmp_path / "new.json", tmp_path / "same.json"
    old.write_text(json.dumps({"news/a": entry}))
    same.write_text(json.dumps({"news/a": entry}))
    new.write_text(json.dumps({"news/a": dict(entry, exact=["0.20000011"])}))

    def diff(a: Path, b: Path) -> subprocess.CompletedProcess:
        command = [sys.executable, str(SAME_OUTPUT), "diff", str(a), str(b)]
        return subprocess.run(command, capture_output=True, text=True)

    assert diff(old, same).returncode == 0
    changed = diff(old, new)
    assert changed.returncode == 1 and "news/a: exact differ" in changed.stdout
    assert json.loads(changed.stdout.splitlines()[-1])["articles_differing"] == 1
