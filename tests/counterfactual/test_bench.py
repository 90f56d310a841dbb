"""bench/neutrality.py end to end with the shipped model, on two articles written for this test."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from proplens.article import Article

BENCH = Path(__file__).resolve().parents[2] / "bench" / "neutrality.py"
ARTICLES = {
    "article1.txt": (
        "Iran's corrupt regime lies again\n\n"
        "On Monday the regime in Tehran said the so-called experts in America were traitors.\n"
        "The city council met in the morning. Nobody believes these shameless liars anymore!\n"
    ),
    "article2.txt": (
        "A quiet week\n\n"
        "Nothing happened in the town. The weather was mild and the roads were empty.\n"
        "Democrats and Republicans agreed on a budget on Friday, a reporter noted.\n"
    ),
}


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def run_bench(corpus: Path, *options: str) -> dict:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--corpus", "news", "--news", str(corpus), "--json", *options],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize("options", [(), ("--windows-per-call", "1", "--threshold", "0.3")])
def test_bench_counts_every_sentence_once_per_swap(corpus, options):
    report = run_bench(corpus, *options)
    [result] = report["results"]
    sentences = sum(len(Article.from_text(text).sentences()) for text in ARTICLES.values())
    assert result["articles"] == 2 and result["sentences"] == sentences
    for swap in ("side", "control"):
        touched, other = result[swap]["touched"], result[swap]["other"]
        assert touched["sentences"] + other["sentences"] == sentences
        assert touched["sentences"] > 0  # both articles name sides and use control words
        for share in (touched, other):
            low, high = share["ci95"]
            assert 0 <= low <= share["share"] <= high <= 1
            assert 0 <= share["with_technique"] <= 1
    if options:
        assert report["windows_per_call"] == 1 and result["threshold"] == 0.3


def test_controls_option_swaps_the_pairs_of_another_list(corpus):
    held_out = BENCH.parent / "held-out-controls.json"
    report = run_bench(corpus, "--controls", str(held_out))
    lists = json.loads(held_out.read_text(encoding="utf-8"))["controls"]
    assert report["controls"] == str(held_out)
    assert report["pairs"]["control"] == sum(len(group) for g in lists.values() for group in g)
    [result] = report["results"]
    # only "the roads were empty" holds a held-out word (roads <-> streets)
    assert result["control"]["touched"]["sentences"] == 1


def run_failing(corpus: Path, *options: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(BENCH), "--corpus", "news", "--news", str(corpus), *options]
    return subprocess.run(command, capture_output=True, text=True)


@pytest.mark.parametrize(
    "lists, message",
    [
        ({"sides": {"x": [[["Iran", "Iraq"]]]}}, "no 'controls' lists"),
        ({"controls": {"x": [[["CNN", "Fox"]]]}}, "must be written alike"),
        (None, "cannot read the controls pairs"),
    ],
    ids=["no controls", "pair that cannot swap back", "missing file"],
)
def test_a_list_that_cannot_be_used_is_refused_with_a_message(corpus, tmp_path, lists, message):
    wrong = tmp_path / "list.json"
    if lists is not None:
        wrong.write_text(json.dumps(lists), encoding="utf-8")
    done = run_failing(corpus, "--controls", str(wrong))
    assert done.returncode != 0
    assert message in done.stderr and "Traceback" not in done.stderr


def test_naming_probe_reads_the_sides_named_that_way(corpus):
    assert run_bench(corpus, "--naming", "mirror")["naming"] == "mirror"
    assert run_bench(corpus, "--naming", "ranked")["naming"] == "ranked"


@pytest.fixture()
def model_copy(tmp_path: Path) -> Path:
    import shutil

    from proplens.pipeline.runtime import SHIPPED_DIR

    return Path(shutil.copytree(SHIPPED_DIR, tmp_path / "model"))


def test_card_option_records_the_figures_in_a_still_valid_model(corpus, model_copy):
    import proplens

    report = run_bench(corpus, "--model", str(model_copy), "--card")
    report_held_out = run_bench(
        corpus,
        "--model",
        str(model_copy),
        "--controls",
        str(BENCH.parent / "held-out-controls.json"),
        "--card",
    )
    card = proplens.load(str(model_copy)).card  # the loader checks the re-signed checksums
    assert card["neutrality"]["results"] == report["results"]
    assert card["neutrality"]["controls"] == "pairs.json"
    assert card["neutrality_held_out"]["results"] == report_held_out["results"]
    assert card["neutrality_held_out"]["controls"].endswith("held-out-controls.json")
    crossed = BENCH.parent / "crossed-sides.json"
    report_crossed = run_bench(
        corpus, "--model", str(model_copy), "--sides", str(crossed), "--card"
    )
    card = proplens.load(str(model_copy)).card
    assert card["neutrality_crossed_sides"]["results"] == report_crossed["results"]
    assert card["neutrality_held_out"]["results"] == report_held_out["results"]  # kept
