"""The contextual cue model: its file and checksum, word vectors from word pieces, and
encoder states handed to the finder (``analyze --sources`` runs the encoder once)."""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pytest

from proplens.article import Article
from proplens.errors import ProplensError
from proplens.sources.alongside import analyze_with_sources
from proplens.sources.cues import (
    ENCODER_MODEL_PATH,
    ContextualCueModel,
    load_model,
    save_model,
    token_vectors,
)
from proplens.sources.finder import SourceFinder


def test_a_word_vector_is_the_mean_of_the_pieces_overlapping_it():
    offsets = np.array([[0, 3], [3, 6], [7, 9], [12, 14]])  # "abcdef gh   ij"
    states = np.array([[1.0, 0.0], [3.0, 2.0], [5.0, 5.0], [7.0, 1.0]], dtype=np.float16)
    spans = np.array([[0, 6], [4, 5], [7, 9], [9, 12], [12, 13]])
    got = token_vectors(offsets, states, spans)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, [[2, 1], [3, 2], [5, 5], [0, 0], [7, 1]])


def _model(threshold=0.5, encoder="enc-a", hidden=2, dims=3):
    """Marks a word exactly when dimension 0 of its state is 1 (weights made by hand)."""
    w1 = np.zeros((dims, hidden), np.float32)
    w1[0, 0] = 10.0
    dense = {"w1": w1, "b1": np.zeros(hidden), "w2": np.array([1.0] + [0.0] * (hidden - 1)),
             "b2": 0.0}  # fmt: skip
    return ContextualCueModel({"b": -5.0}, dense, threshold, encoder)


def test_weights_round_trip_and_a_changed_or_malformed_file_is_refused(tmp_path):
    path = tmp_path / "cues.json"
    model = _model(threshold=0.7)
    save_model(model, path)
    load_model.cache_clear()
    loaded = load_model(path)
    assert isinstance(loaded, ContextualCueModel) and loaded.threshold == 0.7
    assert loaded.fits("enc-a") and not loaded.fits("enc-b") and not loaded.fits(None)
    vectors = np.array([[1.0, 0, 0], [0, 1.0, 0]], np.float32)
    np.testing.assert_allclose(
        loaded.probabilities([["b"], ["b"]], vectors), model.probabilities([["b"], ["b"]], vectors)
    )
    np.testing.assert_allclose(
        loaded.probabilities([["b"], ["b"]], vectors), [1 / (1 + np.exp(-5)), 1 / (1 + np.exp(5))]
    )
    path.write_text(path.read_text().replace('"threshold":0.7', '"threshold":0.1'))
    load_model.cache_clear()
    with pytest.raises(ProplensError, match="does not match its checksum"):
        load_model(path)
    data = model.to_dict()
    data["dense"]["w2"] = [1.0, 0.0, 0.0]  # three outputs for a hidden layer of two
    bad = ContextualCueModel.from_dict
    with pytest.raises(ValueError, match="mismatched"):
        bad(data)
    load_model.cache_clear()


def _states(text, marked, dims=3):
    """States of one word piece per word, dimension 0 set on the words in ``marked``."""
    words = list(re.finditer(r"\w+|[^\w\s]", text))
    offsets = np.array([(m.start(), m.end()) for m in words])
    states = np.zeros((len(words), dims), np.float32)
    states[[i for i, m in enumerate(words) if m.group() in marked], 0] = 1.0
    return SimpleNamespace(text=text, tokens=SimpleNamespace(offsets=offsets), states=states)


TEXT = "The senator declined to comment. The mayor waited for the vote."


def _verbs(found):
    return [TEXT[a.verb.start : a.verb.end] for a in found.attributions]


def test_states_of_the_fitted_encoder_let_the_contextual_model_mark_cues(finder):
    contextual = SourceFinder(finder.nlp, cues=False, contextual=_model())
    states = _states(TEXT, {"declined"})
    [found] = contextual.find_many([TEXT], [states], "enc-a")
    assert _verbs(found) == ["declined"]
    assert _verbs(contextual.find(TEXT, states, "enc-a")) == ["declined"]
    # another encoder's states, or none: the cue model over the parse (here: the rules alone)
    assert _verbs(contextual.find(TEXT, states, "enc-b")) == []
    assert _verbs(contextual.find(TEXT)) == []
    # states of another text are not used for this one
    assert _verbs(contextual.find(TEXT, _states(TEXT + " ", {"declined"}), "enc-a")) == []


class _Model:
    """An encoder stand-in that counts its runs."""

    encoder_sha256 = "enc-a"

    def __init__(self):
        self.runs = 0

    def states(self, text):
        self.runs += 1
        return _states(text, {"declined"})


class _Analyzer:
    def __init__(self):
        self.model = _Model()
        self.given = []

    def analyze(self, article, threshold=None, states=None):
        self.given.append(states)
        return article


def test_analyze_with_sources_hands_the_detectors_states_to_the_finder(finder):
    contextual = SourceFinder(finder.nlp, cues=False, contextual=_model())
    analyzer = _Analyzer()
    articles = [Article.from_text(TEXT, id="a"), Article.from_text("No one spoke.", id="b")]
    results = analyze_with_sources(analyzer, contextual, articles)
    assert analyzer.model.runs == 2  # one encoder run per article, shared by both sides
    assert [s.text for s in analyzer.given] == [TEXT, "No one spoke."]
    assert _verbs(results[0].sources) == ["declined"] and results[1].sources.attributions == ()


def test_a_failing_detector_does_not_leave_the_finder_waiting(finder):
    contextual = SourceFinder(finder.nlp, cues=False, contextual=_model())
    analyzer = _Analyzer()

    def broken(article, threshold=None, states=None):
        raise RuntimeError("detector failed")

    analyzer.analyze = broken
    with pytest.raises(RuntimeError, match="detector failed"):
        analyze_with_sources(analyzer, contextual, [Article.from_text(TEXT, id="a")] * 2)


def test_the_shipped_contextual_model_fits_the_shipped_encoder():
    from proplens.pipeline.runtime import Model

    model = load_model(ENCODER_MODEL_PATH)
    if model is None:
        pytest.skip("no contextual cue model shipped")
    assert 0 < model.threshold < 1 and len(model.weights) > 1000
    assert model.fits(Model.load().encoder_sha256)
