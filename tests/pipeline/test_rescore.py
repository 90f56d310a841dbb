"""The span rescore: its inputs, its fit, and its card entry."""

from __future__ import annotations

import math

import numpy as np
import pytest

from proplens.errors import ModelError
from proplens.pipeline.calibration import Calibration
from proplens.pipeline.features import token_range
from proplens.pipeline.predict import Candidate, scored_spans
from proplens.pipeline.rescore import BASE, FEATURES, SpanRescore, fit, span_features
from proplens.pipeline.runtime import Model
from proplens.techniques import NAMES
from proplens.training.export import record

TEXT = "A total disaster. They lied and lied again to us."
#       0123456789012345678901234567890123456789012345678
OFFSETS = np.array([[0, 1], [2, 7], [8, 16], [16, 17], [18, 22], [23, 27], [28, 31], [32, 36]])
# P(O), P(B), P(I) per token: "total disaster" and "lied and" inside
BIO = np.array(
    [
        [0.9, 0.05, 0.05],
        [0.2, 0.7, 0.1],
        [0.4, 0.1, 0.5],
        [0.9, 0.0, 0.1],
        [0.8, 0.1, 0.1],
        [0.3, 0.6, 0.1],
        [0.1, 0.1, 0.8],
        [0.9, 0.05, 0.05],
    ]
)


def column(name: str) -> int:
    return FEATURES.index(name)


def features(spans, phrase=(False, False)):
    n = len(spans)
    return span_features(
        TEXT,
        OFFSETS,
        BIO,
        spans,
        np.full(n, 0.6),
        np.full(n, 0.8),
        np.array(phrase[:n]),
    )


def test_span_inputs_follow_the_text():
    spans = [(0, 17, "Doubt", 0.3), (23, 31, "Loaded_Language", 0.5)]
    x = features(spans, phrase=(False, True))
    assert x.shape == (2, len(FEATURES))
    assert x[0, column("whole_sentence")] == 1.0 and x[1, column("whole_sentence")] == 0.0
    assert x[0, column("crosses_sentence")] == 0.0
    assert x[0, column("log_chars")] == pytest.approx(math.log(17))
    assert x[1, column("log_words")] == pytest.approx(math.log(2))
    assert x[1, column("phrase")] == 1.0 and x[0, column("phrase")] == 0.0
    assert x[1, column("logit_score")] == pytest.approx(0.0, abs=1e-9)
    # "lied and": P(inside) 0.7 and 0.9
    assert x[1, column("inside_mean")] == pytest.approx(0.8)
    assert x[1, column("inside_max")] == pytest.approx(0.9)
    # tokens with P(inside) > 0.5: total, disaster, lied, and (4 of 8)
    assert x[0, column("article_inside_share")] == pytest.approx(0.5)
    assert x[0, column("article_spans_per_1000_chars")] == pytest.approx(2000 / len(TEXT))
    assert x[0, column(f"technique={NAMES[NAMES.index('Doubt')]}")] == 1.0
    assert x[0, len(BASE) :].sum() == 1.0


def test_a_span_across_a_sentence_end_is_marked():
    x = features([(2, 22, "Doubt", 0.3)])
    assert x[0, column("crosses_sentence")] == 1.0
    assert x[0, column("whole_sentence")] == 0.0


def test_each_weight_moves_the_score():
    x = features([(0, 17, "Doubt", 0.3), (23, 31, "Loaded_Language", 0.5)])
    base = SpanRescore(tuple([0.1] * len(FEATURES)), -0.5)
    for i, name in enumerate(FEATURES):
        if not x[:, i].any():
            continue
        weights = list(base.weights)
        weights[i] += 0.5
        changed = SpanRescore(tuple(weights), base.bias).score(x)
        assert not np.allclose(changed, base.score(x)), name


def test_fit_finds_the_input_that_tells_right_from_wrong():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(600, len(FEATURES)))
    truth = 1.0 / (1.0 + np.exp(-(2.0 * x[:, 4] - 0.5)))
    y = (rng.random(600) < truth).astype(float)
    fitted = fit(x, y, l2=1.0)
    assert abs(fitted.weights[4]) == max(abs(w) for w in fitted.weights)
    assert 1.4 < fitted.weights[4] < 2.6


def test_card_entry_round_trips():
    rescore = SpanRescore(tuple(float(i) / 10 for i in range(len(FEATURES))), -1.25)
    again = SpanRescore.from_card({**rescore.to_dict(), "fitted": {"how": "test"}})
    assert again == rescore
    assert SpanRescore.from_card(None) is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e: e.update(features=list(reversed(FEATURES))), "features must be"),
        (lambda e: e.update(weights=e["weights"][:-1]), "weights must be a list"),
        (lambda e: e.update(bias="1"), "finite numbers"),
        (lambda e: e["weights"].__setitem__(0, float("nan")), "finite numbers"),
        (lambda e: e["weights"].__setitem__(0, True), "finite numbers"),
        (lambda e: e.update(extra=1), "unknown keys"),
    ],
)
def test_a_bad_card_entry_is_refused(change, message):
    entry = SpanRescore(tuple([0.0] * len(FEATURES)), 0.0).to_dict()
    change(entry)
    with pytest.raises(ValueError, match=message):
        SpanRescore.from_card(entry)


def test_a_card_entry_that_is_not_an_object_is_refused():
    with pytest.raises(ValueError, match="must be an object"):
        SpanRescore.from_card([1, 2])


# ---------------------------------------------------------------- in the runtime

ARTICLE = (
    "Critics doubt the plan. They say the corrupt regime keeps slaughtering civilians, "
    "and that only a fool would trust its lies. Officials deny it.\n"
)


def identity() -> dict:
    """Weights that give back the score as it was: 1 on its logit, 0 elsewhere."""
    weights = [0.0] * len(FEATURES)
    weights[FEATURES.index("logit_score")] = 1.0
    return {"features": list(FEATURES), "weights": weights, "bias": 0.0}


def test_the_runtime_scores_with_the_card_rescore_after_every_choice(model_copy):

    record(model_copy, "span_rescore", None)
    plain = Model.load(model_copy).detect(ARTICLE)
    assert plain, "the example finds no span"
    record(model_copy, "span_rescore", identity())
    same = Model.load(model_copy).detect(ARTICLE)
    assert [f[:3] for f in same] == [f[:3] for f in plain]
    assert [f[3] for f in same] == pytest.approx([f[3] for f in plain], abs=1e-4)

    entry = identity()
    entry["weights"][FEATURES.index("inside_max")] = 2.0
    entry["bias"] = -1.0
    record(model_copy, "span_rescore", entry)
    model = Model.load(model_copy)
    moved = model.detect(ARTICLE)
    assert [f[:3] for f in moved] == [f[:3] for f in plain]  # which spans: unchanged
    states = model.states(ARTICLE)
    inside = 1.0 - states.bio[:, 0]

    for (start, end, _, before), (_, _, _, after) in zip(plain, moved, strict=True):
        first, stop = token_range(states.tokens.offsets, start, end)
        z = math.log(before / (1 - before)) + 2.0 * float(inside[first:stop].max()) - 1.0
        assert after == pytest.approx(1.0 / (1.0 + math.exp(-z)), abs=2e-4)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"features": ["logit_score"], "weights": [1.0], "bias": 0.0}, "features must be"),
        ("0.5", "must be an object"),
    ],
)
def test_a_bad_rescore_in_the_card_is_refused_on_load(model_copy, entry, message):

    record(model_copy, "span_rescore", entry)
    with pytest.raises(ModelError, match="span_rescore: " + message):
        Model.load(model_copy)


def test_scored_spans_refuses_a_rescore_without_its_article():

    found = [Candidate(0, 5, 0.6, np.eye(len(NAMES))[0] * 0.7)]
    rescore = SpanRescore.from_card(identity())
    with pytest.raises(ValueError, match="needs the article"):
        scored_spans(found, Calibration(), NAMES, rescore=rescore)
