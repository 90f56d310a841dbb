"""Phrases proposed inside decoded spans and nested there (pipeline/nesting.py)."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

from proplens.article import Span, enclosing
from proplens.errors import ModelError
from proplens.pipeline.calibration import Calibration, PhraseCalibration
from proplens.pipeline.decode import FUNCTION_WORDS
from proplens.pipeline.nesting import (
    PHRASE_LEVEL,
    SHIPPED,
    Nesting,
    nest,
    phrases,
    sentence_bounds,
)
from proplens.pipeline.predict import Candidate
from proplens.pipeline.runtime import Model
from proplens.techniques import NAMES
from proplens.training.export import record

TEXT = "Critics doubt the plan. They say the corrupt regime keeps slaughtering civilians."
DOUBT, LOADED, REPETITION = (NAMES.index(n) for n in ("Doubt", "Loaded_Language", "Repetition"))
EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "examples" / "iran-iraq-article.txt"
IDENTITY = Calibration(1.0, 1.0, 0.0)  # score = odds product: easy to reason about


def offsets_of(text: str) -> np.ndarray:
    """Offsets of words and punctuation marks, standing in for word pieces."""
    return np.array([m.span() for m in re.finditer(r"\w+|[^\w\s]", text)])


def bio_inside(n: int, p_inside: float = 0.9) -> np.ndarray:
    return np.tile([1 - p_inside, 0.1, p_inside - 0.1], (n, 1))


def one_hot(index: int, p: float) -> np.ndarray:
    probs = np.full(len(NAMES), (1 - p) / (len(NAMES) - 1))
    probs[index] = p
    return probs


def doubt_span(start: int, end: int, p: float = 0.6, confidence: float = 0.6) -> Candidate:
    return Candidate(start, end, confidence, one_hot(DOUBT, p))


def classify(rules: dict[str, tuple[int, float]]):
    """``probs_of``: the phrases named in ``rules`` get that technique, the rest a flat Doubt."""
    asked: list[str] = []

    def probs_of(spans):
        asked.extend(TEXT[s:e] for s, e in spans)
        rows = [one_hot(*rules.get(TEXT[s:e], (DOUBT, 0.3))) for s, e in spans]
        return np.array(rows)

    return probs_of, asked


def run(found, probs_of, settings=None, bio=None):
    settings = Nesting() if settings is None else settings
    offsets = offsets_of(TEXT)
    bio = bio_inside(len(offsets)) if bio is None else bio
    return nest(TEXT, offsets, bio, found, probs_of, IDENTITY, NAMES, settings, 0.35)


def texts(found):
    return [(TEXT[c.start : c.end], NAMES[int(c.technique_probs.argmax())]) for c in found]


def test_phrases_stay_in_one_sentence_and_neither_start_nor_end_on_glue_words():
    bounds = sentence_bounds(offsets_of(TEXT), TEXT)
    assert bounds == [0, TEXT.index("They")]
    found = [TEXT[s:e] for s, e in phrases(TEXT, 0, len(TEXT), bounds, 4)]
    assert "corrupt regime" in found and "the corrupt regime" in found
    assert "plan. They" not in found and not any("." in f for f in found)
    assert all(len(f.split()) <= 4 for f in found)
    for fragment in found:
        assert fragment.split()[-1].lower() not in FUNCTION_WORDS, fragment
    assert not [f for f in found if f.split()[0] in ("and", "of", "to")]


def test_a_loaded_phrase_is_nested_inside_the_argument_level_span_that_stays_whole():
    span = doubt_span(0, len(TEXT) - 1)
    probs_of, _ = classify({"slaughtering": (LOADED, 0.95), "corrupt regime": (LOADED, 0.9)})
    out = run([span], probs_of)
    assert texts(out) == [(TEXT[:-1], "Doubt"), ("slaughtering", "Loaded_Language")]
    assert out[0] is span


def test_more_phrases_per_span_do_not_overlap_and_come_best_first():
    probs_of, _ = classify(
        {
            "slaughtering": (LOADED, 0.95),
            "keeps slaughtering": (LOADED, 0.9),
            "corrupt regime": (LOADED, 0.9),
        }
    )
    out = run([doubt_span(0, len(TEXT) - 1)], probs_of, Nesting(per_span=0))
    assert [t for t, _ in texts(out)[1:]] == ["corrupt regime", "slaughtering"]


def test_a_phrase_must_beat_one_half_and_the_span_it_sits_in():
    probs_of, _ = classify({"slaughtering": (LOADED, 0.6)})  # score 0.9 odds x 0.6 odds > 0.5
    assert len(run([doubt_span(0, len(TEXT) - 1)], probs_of)) == 2
    strong_span = doubt_span(0, len(TEXT) - 1, p=0.99, confidence=0.99)
    assert len(run([strong_span], probs_of)) == 1
    assert len(run([doubt_span(0, len(TEXT) - 1)], probs_of, Nesting(min_score=0.99))) == 1


def test_argument_level_and_repetition_phrases_are_not_emitted():
    probs_of, _ = classify({"slaughtering": (REPETITION, 0.99), "civilians": (DOUBT, 0.99)})
    assert texts(run([doubt_span(0, len(TEXT) - 1)], probs_of)) == [(TEXT[:-1], "Doubt")]


def test_phrase_level_spans_are_left_alone_unless_tightening_is_asked():
    start = TEXT.index("corrupt")
    loaded = Candidate(start, len(TEXT) - 1, 0.6, one_hot(LOADED, 0.6))
    probs_of, asked = classify({"slaughtering": (LOADED, 0.95)})
    assert texts(run([loaded], probs_of)) == [(TEXT[start:-1], "Loaded_Language")]
    assert asked == []  # no classifier call at all
    tightened = run([loaded], probs_of, Nesting(tighten=True, nest_inside=False))
    assert texts(tightened) == [("slaughtering", "Loaded_Language")]


def test_phrases_where_the_encoder_sees_no_span_are_not_even_classified():
    bio = bio_inside(len(offsets_of(TEXT)))
    bio[-3] = [0.9, 0.05, 0.05]  # "slaughtering" is outside by the encoder
    probs_of, asked = classify({"slaughtering": (LOADED, 0.99)})
    out = run([doubt_span(0, len(TEXT) - 1)], probs_of, bio=bio)
    assert "slaughtering" not in asked and len(out) == 1
    probs_of, asked = classify({"slaughtering": (LOADED, 0.99)})
    out = run([doubt_span(0, len(TEXT) - 1)], probs_of, Nesting(confident=False), bio=bio)
    assert "slaughtering" in asked


def test_the_shipped_model_nests_with_the_measured_settings(analyzer):
    assert analyzer.card["nesting"] == asdict(SHIPPED)
    assert analyzer.model.nesting == SHIPPED


def test_a_card_from_round_one_nests_as_it_did():
    round_one = {"max_words": 4, "per_span": 1, "tighten": False, "nest_inside": True}
    round_one |= {"confident": True, "min_score": 0.5}
    assert Nesting.from_card(round_one) == Nesting()  # as the loader reads it
    assert (Nesting().long_words, Nesting().orphans, Nesting().inside_floor) == (0, 0.0, None)


def test_nesting_adds_nested_phrases_only(model_copy: Path):
    if not EXAMPLE.exists():
        pytest.skip(f"{EXAMPLE} is not here (the shared examples folder)")
    text = EXAMPLE.read_text(encoding="utf-8")
    record(model_copy, "phrase_calibration", None)  # phrases keep the score they were chosen by
    # the span rescore reads how many spans an article holds, so nested phrases would move
    # the outer spans' shown scores: without it, the scores are the ones spans are chosen by
    record(model_copy, "span_rescore", None)
    record(model_copy, "nesting", {})  # an empty or absent key: no phrases proposed
    plain = Model.load(model_copy).detect(text)
    record(model_copy, "nesting", asdict(SHIPPED))
    assert json.loads((model_copy / "card.json").read_text())["nesting"]["min_score"] == 0.5
    nested = Model.load(model_copy).detect(text)
    assert set(plain) < set(nested)  # this article holds loaded words inside arguments
    for start, end, technique, score in set(nested) - set(plain):
        assert technique in PHRASE_LEVEL - {"Repetition"} and score > 0.5
        holders = [
            t
            for s, e, t, _ in plain
            if s <= start
            and end <= e
            and t != technique
            and (t not in PHRASE_LEVEL or len(text[s:e].split()) > SHIPPED.long_words)
        ]
        assert holders, text[start:end]


def test_a_verb_particle_alone_is_never_a_phrase():
    # The news bench found "up" and "out" shown alone as loaded language.
    text = "They wiped out the village and gave up."
    found = [text[s:e] for s, e in phrases(text, 0, len(text), [0], 3)]
    assert "wiped" in found
    assert not {"up", "out", "gave up"} & set(found)


NAME_CALLING = NAMES.index("Name_Calling,Labeling")


def test_a_long_phrase_level_span_gets_phrases_of_other_techniques_only():
    start = TEXT.index("They")
    loaded = Candidate(start, len(TEXT) - 1, 0.6, one_hot(LOADED, 0.6))  # 8 words
    rules = {"slaughtering": (LOADED, 0.99), "corrupt regime": (NAME_CALLING, 0.95)}
    probs_of, _ = classify(rules)
    out = run([loaded], probs_of, Nesting(long_words=6))
    assert texts(out) == [
        (TEXT[start:-1], "Loaded_Language"),
        ("corrupt regime", NAMES[NAME_CALLING]),
    ]
    probs_of, asked = classify(rules)
    assert run([loaded], probs_of, Nesting(long_words=8)) == [loaded] and asked == []


def test_a_sentence_without_a_span_gets_phrases_where_the_encoder_leans_inside():
    plan = doubt_span(0, TEXT.index("."))
    probs_of, _ = classify({"slaughtering": (LOADED, 0.95)})
    assert run([plan], probs_of, Nesting(nest_inside=False)) == [plan]  # orphans off
    out = run([plan], probs_of, Nesting(nest_inside=False, orphans=0.5))
    assert texts(out) == [(TEXT[: TEXT.index(".")], "Doubt"), ("slaughtering", "Loaded_Language")]
    bio = bio_inside(len(offsets_of(TEXT)), 0.4)  # below the orphans' level everywhere
    probs_of, asked = classify({"slaughtering": (LOADED, 0.95)})
    assert run([plan], probs_of, Nesting(nest_inside=False, orphans=0.5), bio=bio) == [plan]
    assert asked == []
    assert texts(run([], probs_of, Nesting(orphans=0.5))) == [("slaughtering", "Loaded_Language")]


def test_the_p_inside_filter_can_ask_less_than_the_decoding_threshold():
    bio = bio_inside(len(offsets_of(TEXT)), 0.3)
    probs_of, asked = classify({"slaughtering": (LOADED, 0.99)})
    run([doubt_span(0, len(TEXT) - 1)], probs_of, bio=bio)
    assert asked == []  # 0.3 < the decoding threshold 0.35
    run([doubt_span(0, len(TEXT) - 1)], probs_of, Nesting(inside_floor=0.25), bio=bio)
    assert "slaughtering" in asked


def test_the_modules_examples_hold():
    import doctest

    from proplens.pipeline import nesting

    result = doctest.testmod(nesting)
    assert result.attempted and result.failed == 0


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ([2], "must be an object"),
        ({"per_spam": 2}, "unknown keys"),
        ({"per_span": "2"}, "per_span"),
        ({"per_span": -1}, "per_span"),
        ({"tighten": 1}, "tighten"),
        ({"min_score": 1.5}, "min_score"),
        ({"orphans": None}, "orphans"),
    ],
)
def test_a_malformed_card_nesting_is_refused_with_what_is_wrong(entry, message):
    with pytest.raises(ValueError, match=message):
        Nesting.from_card(entry)


def test_the_card_reader_gives_the_settings_written_and_none_when_absent():
    assert Nesting.from_card(None) is None and Nesting.from_card({}) is None
    assert Nesting.from_card(asdict(SHIPPED)) == SHIPPED
    assert Nesting.from_card({"per_span": 0, "inside_floor": 0.25}) == Nesting(
        per_span=0, inside_floor=0.25
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_phrase_confidence_is_the_rounded_mean_to_the_bit(dtype):
    from proplens.pipeline.nesting import _confidence

    rng = np.random.default_rng(3)
    inside = (1.0 - rng.random(3000)).astype(dtype)
    offsets = np.array([[2 * i, 2 * i + 1] for i in range(len(inside))])
    for _ in range(3000):
        first = int(rng.integers(0, len(inside) - 1))
        stop = min(len(inside), first + int(rng.choice([1, 3, 9, 40, 200, 1500])))
        expected = float(np.round(inside[first:stop].mean(), 6))
        assert _confidence(offsets, inside, 2 * first, 2 * stop - 1) == expected


def test_no_phrase_starts_or_ends_inside_a_hyphenated_word():
    text = "It must be the wake-up call for the so-called experts."
    found = {text[s:e] for s, e in phrases(text, 0, len(text) - 1, [0], 3)}
    assert {"wake-up call", "so-called experts"} <= found
    assert not {"up call", "called experts", "wake", "so"} & found


def test_phrases_are_marked_as_such_and_decoded_spans_are_not():
    span = doubt_span(0, len(TEXT) - 1)
    probs_of, _ = classify({"slaughtering": (LOADED, 0.95)})
    out = run([span], probs_of)
    assert [(TEXT[c.start : c.end], c.phrase) for c in out] == [
        (TEXT[:-1], False),
        ("slaughtering", True),
    ]


def test_the_phrase_calibration_changes_phrase_scores_only(model_copy: Path):
    if not EXAMPLE.exists():
        pytest.skip(f"{EXAMPLE} is not here (the shared examples folder)")
    text = EXAMPLE.read_text(encoding="utf-8")
    record(model_copy, "span_rescore", None)  # it would rescore after the phrase rescale
    record(model_copy, "phrase_calibration", None)
    raw = Model.load(model_copy).detect(text)
    rescale = {"weight": 1.3, "bias": -1.2, "fitted": {"note": "a test's own numbers"}}
    record(model_copy, "phrase_calibration", rescale)
    honest = Model.load(model_copy).detect(text)
    # the same fragments with the same techniques: the rescale comes after every choice
    assert [f[:3] for f in honest] == [f[:3] for f in raw]
    holders = enclosing([Span(*f[:3]) for f in raw])
    assert any(h is not None for h in holders)  # the example holds nested phrases
    expected = PhraseCalibration(1.3, -1.2)
    for (_, _, _, before), (_, _, _, after), holder in zip(raw, honest, holders, strict=True):
        if holder is None:
            assert after == before
        else:
            assert after == pytest.approx(float(expected.score(np.array([before]))[0]), abs=2e-4)
            assert after < before


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"weight": 1.0}, "bias must be a number"),
        ({"weight": -1.0, "bias": 0.0}, "weight must be above 0"),
        ({"weight": 1.0, "bias": 0.0, "slope": 2}, "unknown keys ['slope']"),
        ([1.0, 0.0], "must be an object"),
    ],
)
def test_a_malformed_phrase_calibration_is_refused_on_load(model_copy: Path, entry, message):
    record(model_copy, "phrase_calibration", entry)
    with pytest.raises(ModelError, match=re.escape(message)):
        Model.load(model_copy)
