"""bench/speed.py --card: the speed figures the README quotes go into the model's card."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import proplens
from proplens.model.runtime import SHIPPED_DIR

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
