"""Spans of phrase-level techniques cut at sentence starts (pipeline/sentence_cut.py)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from proplens.errors import ModelError
from proplens.pipeline.nesting import PHRASE_LEVEL, sentence_bounds
from proplens.pipeline.predict import Candidate
from proplens.pipeline.runtime import Model
from proplens.pipeline.sentence_cut import SHIPPED, SentenceCut, cut, sentence_pieces
from proplens.techniques import NAMES
from proplens.training.export import record

ROOT = Path(__file__).resolve().parents[2]
TEXT = "Militias have been slaughtering civilians. This made the rebels appealing. It"
LOADED, FEAR, DOUBT = (
    NAMES.index(n) for n in ("Loaded_Language", "Appeal_to_fear-prejudice", "Doubt")
)
PHRASE_LEVEL_CUT = SentenceCut(("Loaded_Language", "Name_Calling,Labeling"))


def offsets_of(text: str) -> np.ndarray:
    """Offsets of words and punctuation marks, standing in for word pieces."""
    return np.array([m.span() for m in re.finditer(r"\w+|[^\w\s]", text)])


def one_hot(index: int, p: float = 0.8) -> np.ndarray:
    probs = np.full(len(NAMES), (1 - p) / (len(NAMES) - 1))
    probs[index] = p
    return probs


def names(rules: dict[str, int]):
    """``probs_of``: the pieces named in ``rules`` get that technique, others Doubt."""
    asked: list[str] = []

    def probs_of(spans):
        asked.extend(TEXT[s:e] for s, e in spans)
        return np.array([one_hot(rules.get(TEXT[s:e], DOUBT)) for s, e in spans])

    return probs_of, asked


def run(found, probs_of, bio=None, settings=PHRASE_LEVEL_CUT):
    offsets = offsets_of(TEXT)
    if bio is None:
        bio = np.tile([0.2, 0.1, 0.7], (len(offsets), 1))
    return cut(TEXT, offsets, bio, found, probs_of, NAMES, settings)


def shown(found):
    return [(TEXT[c.start : c.end], NAMES[int(c.technique_probs.argmax())]) for c in found]


def test_a_phrase_level_span_across_sentences_is_cut_and_each_piece_named_again():
    span = Candidate(19, len(TEXT), 0.6, one_hot(LOADED))
    probs_of, asked = names(
        {"slaughtering civilians": LOADED, "This made the rebels appealing": FEAR}
    )
    out = run([span], probs_of)
    assert shown(out) == [
        ("slaughtering civilians", "Loaded_Language"),
        ("This made the rebels appealing", "Appeal_to_fear-prejudice"),
    ]
    assert asked == ["slaughtering civilians", "This made the rebels appealing"]  # not "It"


def test_a_piece_gets_the_mean_p_inside_of_its_own_tokens():
    offsets = offsets_of(TEXT)
    bio = np.tile([0.9, 0.05, 0.05], (len(offsets), 1))
    first_sentence = offsets[:, 1] <= TEXT.index(".")
    bio[first_sentence] = [0.2, 0.1, 0.7]
    probs_of, _ = names({})
    out = run([Candidate(0, len(TEXT), 0.5, one_hot(LOADED))], probs_of, bio=bio)
    assert [c.span_confidence for c in out] == pytest.approx([0.8, 0.1])


def test_argument_level_spans_and_spans_within_one_sentence_keep_their_extent():
    doubt = Candidate(0, len(TEXT), 0.6, one_hot(DOUBT))
    inside_one = Candidate(0, TEXT.index("."), 0.6, one_hot(LOADED))
    probs_of, asked = names({})
    out = run([doubt, inside_one], probs_of)
    assert out == [doubt, inside_one] and asked == []


def test_without_settings_old_cards_cut_nothing():
    assert SentenceCut.from_card(None) is None
    assert SentenceCut.from_card({}) is None
    assert SentenceCut.from_card({"techniques": []}) is None
    with pytest.raises(ValueError, match="unknown techniques"):
        SentenceCut.from_card({"techniques": ["Loaded_Langauge"]})


def test_pieces_are_trimmed_and_hold_a_content_word():
    text = "They lie. And so. Of the"
    assert [text[s:e] for s, e in sentence_pieces(text, 0, len(text), [0, 10, 18])] == ["They lie"]


def test_the_shipped_card_cuts_the_techniques_whose_gold_rarely_crosses(analyzer):
    assert analyzer.model.sentence_cut == SHIPPED
    assert set(SHIPPED.techniques) == PHRASE_LEVEL  # the training gold's rates under 10%


def test_a_card_that_cuts_every_technique_leaves_no_span_across_sentences(model_copy: Path):
    text = (ROOT / "examples" / "harbour-deal.txt").read_text(encoding="utf-8")
    record(model_copy, "sentence_cut", {})
    model = Model.load(model_copy)
    states = model.states(text)
    bounds = sentence_bounds(states.tokens.offsets, text)[1:]

    def crossing(spans):
        return [(s, e) for s, e, _, _ in spans if any(s < b < e for b in bounds)]

    assert crossing(model.spans(states))  # an appeal to fear over two sentences
    record(model_copy, "sentence_cut", {"techniques": list(NAMES)})
    assert crossing(Model.load(model_copy).spans(states)) == []


def test_the_card_setting_cuts_in_the_runtime_and_a_bad_one_is_refused(model_copy: Path):
    record(model_copy, "sentence_cut", {"techniques": ["Flag-Waving"]})
    assert Model.load(model_copy).sentence_cut == SentenceCut(("Flag-Waving",))
    record(model_copy, "sentence_cut", {"techniques": ["Nope"]})
    with pytest.raises(ModelError, match="sentence_cut"):
        Model.load(model_copy)


def test_the_modules_examples_hold():
    import doctest

    from proplens.pipeline import sentence_cut

    result = doctest.testmod(sentence_cut)
    assert result.attempted and result.failed == 0


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("Loaded_Language", "must be an object"),
        ({"techniques": "Loaded_Language"}, "list of technique names"),
        ({"techniques": ["Slogans"], "min_char": 3}, "unknown keys"),
        ({"techniques": ["Slogans"], "min_chars": "2"}, "min_chars"),
        ({"techniques": ["Slogans"], "min_chars": 0}, "min_chars"),
    ],
)
def test_a_malformed_card_entry_is_refused_with_what_is_wrong(entry, message):
    with pytest.raises(ValueError, match=message):
        SentenceCut.from_card(entry)


def test_a_malformed_sentence_cut_or_nesting_stops_the_load_with_a_model_error(model_copy: Path):
    record(model_copy, "sentence_cut", {"techniques": "Slogans"})
    with pytest.raises(ModelError, match="card.json sentence_cut: techniques must be a list"):
        Model.load(model_copy)
    record(model_copy, "sentence_cut", {"techniques": ["Slogans"]})
    record(model_copy, "nesting", {"per_spam": 2})
    with pytest.raises(ModelError, match=r"card.json nesting: unknown keys \['per_spam'\]"):
        Model.load(model_copy)
