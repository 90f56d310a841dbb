"""bench/polnear_cue_states.py (issue 25, round 3): word vectors from word pieces, the
jointly fitted scores, and precomputed scores driving the finder's learned cues."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from proplens.sources.finder import _NEVER_CUES, _sources, chunks
from tests.bench_scripts import load_bench

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def bench():
    return load_bench("polnear_cue_states")


def test_a_word_vector_is_the_mean_of_the_pieces_overlapping_it(bench):
    offsets = np.array([[0, 3], [3, 6], [7, 9], [12, 14]])  # "abcdef gh   ij"
    states = np.array([[1.0, 0.0], [3.0, 2.0], [5.0, 5.0], [7.0, 1.0]], dtype=np.float16)
    spans = np.array([[0, 6], [4, 5], [7, 9], [9, 12], [12, 13]])
    got = bench.token_vectors(offsets, states, spans)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, [[2, 1], [3, 2], [5, 5], [0, 0], [7, 1]])


def test_scores_add_the_sparse_weights_and_the_mlp(bench):
    w1 = np.array([[10.0, 0.0, 0.0], [0.0, 0.0, 0.0]])  # (hidden 2, dims 3), as torch keeps it
    dense = [w1, np.zeros(2), np.array([[1.0, 0.0]]), -1.0]
    vectors = np.array([[1.0, 0.0, 0.0], [-1.0, 0.0, 0.0]], np.float32)
    got = bench.probabilities([["b", "w=x"], ["b"]], vectors, {"b": -4.0, "w=x": 2.0}, dense)
    expected = 1 / (1 + np.exp(-np.array([-4 + 2 + 10 - 1, -4 + 0 - 1])))  # ReLU cuts -10
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    np.testing.assert_allclose(
        bench.probabilities([["w=x"]], vectors[:1], {"w=x": 2.0}, None), [1 / (1 + np.exp(-2))]
    )


def test_precomputed_scores_mark_the_finders_learned_cues(bench, finder):
    text = "The senator declined to comment. The mayor waited for the vote."
    docs = [(finder.nlp(piece), base) for piece, base in chunks(text)]
    scored = [t for doc, _ in docs for t in doc if t.tag_ not in _NEVER_CUES and not t.is_space]
    probs = {(id(t.doc), t.i): 0.9 if t.text == "declined" else 0.1 for t in scored}
    found = _sources(text, docs, bench.Precomputed(probs, 0.5))
    assert [text[a.verb.start : a.verb.end] for a in found.attributions] == ["declined"]
    assert _sources(text, docs, bench.Precomputed(probs, 0.95)).attributions == ()


def test_article_words_carry_their_labels_and_their_neighbours_states(bench, finder):
    from proplens.sources.polnear import GoldAttribution

    text = "Officials said the talks failed."
    docs = [(finder.nlp(piece), base) for piece, base in chunks(text)]
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+|\.", text)]
    states = np.arange(len(words) * 2, dtype=np.float32).reshape(-1, 2)  # word k: (2k, 2k+1)
    gold = [GoldAttribution(cue=((9, 13),), source=((0, 8),), content=((14, 31),))]
    tokens, _, vectors, labels = bench.article_tokens(text, docs, gold, words, states, True)
    said = [t.text for t in tokens].index("said")
    assert labels[said] == 1 and labels.sum() == 1
    assert vectors.shape == (len(tokens), 6)
    np.testing.assert_allclose(vectors[said], [2, 3, 0, 1, 4, 5])  # itself, before, after


def test_the_choice_is_the_shipped_models_rule(bench):
    """The best F1 at precision >= 0.86, else the most precise: one rule for both benches."""
    rows = [
        {"precision": 0.90, "f1": 0.60},
        {"precision": 0.87, "f1": 0.70},
        {"precision": 0.80, "f1": 0.80},
    ]
    assert bench.choose(rows) == rows[1]
    assert bench.choose(rows[2:] + [{"precision": 0.85, "f1": 0.1}]) == {
        "precision": 0.85,
        "f1": 0.1,
    }


@pytest.mark.parametrize(
    ("script", "args", "message"),
    [
        ("polnear_cue_states.py", ["--hidden", "0"], "--hidden"),
        ("polnear_cue_states.py", ["--thresholds", "0.5", "1.5"], "--thresholds"),
        ("polnear_cue_states.py", ["--root", "/nonexistent"], "no PolNeAR train split"),
        ("polnear_states.py", ["--root", "/nonexistent", "--split", "train"], "no PolNeAR split"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2_before_any_model_loads(script, args, message):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr
