"""Helpers for the batch tests: a synthetic corpus and ways to run the command.

A module with a unique name (not conftest), so that ``from batch_helpers import``
never picks up another directory's conftest.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import proplens
from proplens.batch import BatchConfig, run_batch

HERE = Path(__file__).resolve().parent
FAKE = "batch_fakes:make"

_SENTENCES = (
    "The council met on Tuesday to discuss the harbour budget.",
    "Critics called the plan disastrous for the fishing families.",
    "The so-called experts at the ministry defended the numbers.",
    "Residents say the ferry is always late in winter.",
    "Everyone knows the old bridge needs repairs.",
    "A spokesperson said the figures would be published next week.",
    "Some speakers described their opponents as traitors to the town.",
)


def make_articles(n: int, with_meta: bool = True) -> list[dict]:
    """``n`` short articles of our own, different from each other, some with no keyword."""
    articles = []
    for i in range(n):
        picks = [_SENTENCES[(i * 3 + k) % len(_SENTENCES)] for k in range(1 + i % 4)]
        article = {"id": f"a{i:04d}", "title": f"Harbour story {i}", "text": " ".join(picks)}
        if with_meta:
            article["source"] = ("Harbour Gazette", "Valley Post", "The Islander")[i % 3]
            article["date"] = f"2021-03-{1 + i % 28:02d}"
        articles.append(article)
    return articles


def write_jsonl(path: Path, articles: list[dict]) -> Path:
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    return path


def write_txt_dir(path: Path, articles: list[dict]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for a in articles:
        (path / f"{a['id']}.txt").write_text(f"{a['title']}\n\n{a['text']}\n", encoding="utf-8")
    return path


def run(inputs, output: Path, **options) -> proplens.batch.BatchStats:
    """Run the batch in this process with the fake analyzer and quiet progress."""
    options.setdefault("factory", FAKE)
    config = BatchConfig(inputs=[str(p) for p in inputs], output=output, **options)
    return run_batch(config, progress=_Quiet())


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def subprocess_env(**extra: str) -> dict:
    """Environment for a ``python -m proplens`` child that imports this proplens and the fake."""
    src = Path(proplens.__file__).resolve().parents[1]
    env = dict(os.environ, **extra)
    env["PYTHONPATH"] = os.pathsep.join([str(src), str(HERE), env.get("PYTHONPATH", "")])
    return env


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "proplens", *args]


class _Quiet:
    def start(self, total): ...

    def resumed(self, n_records): ...

    def advance(self, n_records, n_articles, n_errors): ...

    def close(self): ...
