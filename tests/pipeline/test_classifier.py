"""The technique classifier's parts: article cues, the word model, the stacked layer."""

from __future__ import annotations

import numpy as np
import pytest

from proplens.pipeline.classifier import (
    StackedClassifier,
    TechniqueClassifier,
    article_features,
    stack_features,
)
from proplens.pipeline.cues import CUE_NAMES, ArticleCues, span_cues
from proplens.pipeline.lexical import LexicalModel, terms

TEXT = (
    "Stop the steal!\n\n"
    "They want to stop the steal, and we say stop the steal. Who can trust them?\n"
    'The minister called it "a disgrace" in 2019.'
)


def cue(values: np.ndarray, name: str) -> float:
    return float(values[CUE_NAMES.index(name)])


def test_cues_see_repetition_title_questions_and_quotes():
    cues = ArticleCues(TEXT)
    first = TEXT.index("Stop the steal")
    later = TEXT.rindex("stop the steal")
    title, repeat = cues.cues(first, first + 14), cues.cues(later, later + 14)
    assert cue(title, "in_title") == 1.0 and cue(repeat, "in_title") == 0.0
    assert cue(title, "phrase_earlier") == 0.0 and cue(repeat, "phrase_earlier") == 1.0
    assert cue(repeat, "phrase_repeats") > 0 and cue(repeat, "content_words_elsewhere") == 1.0
    question = TEXT.index("Who can trust them?")
    assert cue(cues.cues(question, question + 19), "ends_question") == 1.0
    quoted = TEXT.index("a disgrace")
    assert cue(cues.cues(quoted, quoted + 10), "opens_quote") == 1.0
    assert cue(cues.cues(quoted, quoted + 10), "sentence_question") == 0.0
    assert span_cues(cues, []).shape == (0, len(CUE_NAMES))


def test_cues_are_bounded_and_finite_on_odd_spans():
    cues = ArticleCues(TEXT)
    for start, end in [(0, 1), (0, len(TEXT)), (len(TEXT) - 1, len(TEXT)), (16, 17)]:
        values = cues.cues(start, end)
        assert np.isfinite(values).all() and (values >= 0).all() and (values <= 1.5).all()


def test_word_model_matches_its_own_tfidf_definition():
    vocabulary = ["stop", "steal", "stop the", "trust"]
    idf = np.array([1.0, 2.0, 1.5, 3.0])
    weights = np.zeros((2, 4))
    weights[1, 1] = 5.0  # "steal" votes for class 1
    model = LexicalModel(vocabulary, idf, weights, np.zeros(2))
    ((index, values),) = model.features(["Stop the steal, STOP"])
    as_dict = dict(zip(index.tolist(), values.tolist(), strict=True))
    raw = {0: (1 + np.log(2)) * 1.0, 1: 1 * 2.0, 2: 1 * 1.5}
    norm = np.sqrt(sum(v * v for v in raw.values()))
    assert as_dict == pytest.approx({k: v / norm for k, v in raw.items()})
    probs = np.exp(model.log_probs(["the steal", "nothing known"]))
    assert probs[0, 1] > 0.9 and probs[1].tolist() == pytest.approx([0.5, 0.5])
    assert terms("a b c") == ["a", "b", "c", "a b", "b c"]


def test_stacked_classifier_round_trips_through_npz(tmp_path):
    rng = np.random.default_rng(0)
    model = StackedClassifier(
        rng.normal(size=4).astype(np.float32),
        np.ones(4, np.float32),
        rng.normal(size=(3, 4)).astype(np.float32),
        np.zeros(3, np.float32),
    )
    model.save(tmp_path / "c.npz")
    again = StackedClassifier.load(tmp_path / "c.npz")
    x = rng.normal(size=(5, 4)).astype(np.float32)
    assert np.allclose(model.probs(x), again.probs(x))
    assert np.allclose(model.probs(x).sum(axis=1), 1.0)


def test_a_model_folder_without_classifier_files_has_none(tmp_path):
    assert TechniqueClassifier.load(tmp_path) is None


def test_stack_features_clip_zero_probabilities():
    head = np.array([[1.0, 0.0]])
    features = stack_features(head, np.zeros((1, 2)), np.array([[-np.inf, 0.0]]))
    assert np.isfinite(features).all() and features.shape == (1, 6)


def test_features_from_cues_built_once_are_the_features_built_afresh():
    # the runtime builds an article's cues once and names decoded spans and nested
    # phrases with them in separate calls; each call used to build its own
    model = LexicalModel(["stop", "steal", "trust"], np.ones(3), np.eye(2, 3), np.zeros(2))
    spans = [(0, 14), (TEXT.rindex("stop the steal"), TEXT.rindex("stop the steal") + 14)]
    head = np.array([[0.7, 0.3], [0.4, 0.6]])
    shared = ArticleCues(TEXT)
    first = article_features(TEXT, spans[:1], head[:1], model, shared)
    second = article_features(TEXT, spans, head, model, shared)
    afresh = article_features(TEXT, spans, head, model)
    assert np.array_equal(second, afresh) and np.array_equal(first, afresh[:1])
    with pytest.raises(ValueError, match="another text"):
        article_features(TEXT + " More.", spans, head, model, shared)


def test_share_cues_are_the_means_of_their_words():
    cues = ArticleCues(TEXT)
    fragment = "we say stop the steal. Who can trust them"
    start = TEXT.index(fragment)
    values = cues.cues(start, start + len(fragment))
    # content words: say, stop, steal, trust; "stop" and "steal" occur elsewhere too
    assert cue(values, "content_words_elsewhere") == np.float32(np.mean([0, 1, 1, 0]))
    # the words after the first: say stop the steal Who can trust them
    assert cue(values, "capitalised_share") == np.float32(np.mean([0, 0, 0, 0, 1, 0, 0, 0]))
