"""Side-symmetric reading: an article and its mirror image get the same states."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proplens.counterfactual import control_pairs, side_pairs, swap
from proplens.counterfactual.pairs import side_entities
from proplens.counterfactual.swaps import indefinite_article
from proplens.pipeline.predict import encode_article
from proplens.pipeline.runtime import SHIPPED_DIR
from proplens.pipeline.symmetry import aligned, canonical, ranked
from proplens.pipeline.windowing import WindowPlan, WordPieces

HIDDEN = 8


@pytest.fixture(scope="module")
def pieces():
    return WordPieces(SHIPPED_DIR / "tokenizer.json")


class BioHead:
    """The BIO part of ``Heads``: a linear map and a softmax."""

    def __init__(self) -> None:
        self.w = {"si_w": np.random.default_rng(0).normal(size=(3, HIDDEN)).astype(np.float32)}

    def bio_probs(self, states: np.ndarray) -> np.ndarray:
        logits = states @ self.w["si_w"].T
        e = np.exp(logits - logits.max(-1, keepdims=True))
        return e / e.sum(-1, keepdims=True)


@pytest.fixture(scope="module")
def heads():
    return BioHead()


class ContextEncoder:
    """A stand-in encoder whose states depend on the token and on its whole window.

    Like a transformer, a word's state changes when another word of its window
    does, which is exactly what makes verdicts depend on the side named.
    """

    def __init__(self) -> None:
        self.windows = 0

    def __call__(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        self.windows += len(input_ids)
        own = np.sin(input_ids[..., None] * np.arange(1, HIDDEN + 1) * 0.37)
        weights = attention_mask[..., None]
        context = (own * weights).sum(axis=1, keepdims=True) / weights.sum(axis=1)[..., None]
        return (own + context).astype(np.float32)


def read(pieces, heads, text, symmetric=True, naming="mirror"):
    encoder = ContextEncoder()
    plan = WindowPlan(window=24, mode="packed", symmetric=symmetric, naming=naming)
    return encode_article(encoder, pieces, heads, text, plan), encoder.windows


TEXT = (
    "Iran's regime is sending weapons, officials said on Monday.\n\n"
    "The weather in the capital was mild.\n\n"
    "Critics in America called the deal a disgrace."
)


def same_token_pairs(article, mirrored):
    """(i, j): token i of the article and token j of its mirror, the same word piece."""
    swapped = swap(article.text, side_pairs())
    first, stop = aligned(article.tokens, mirrored.tokens, swapped.offsets)
    for i, (j, end) in enumerate(zip(first, stop, strict=True)):
        if end - j == 1 and article.tokens.ids[i] == mirrored.tokens.ids[j]:
            yield i, j


def test_an_article_and_its_mirror_get_the_same_states(pieces, heads):
    mirrored_text = swap(TEXT, side_pairs()).text
    assert "America's regime" in mirrored_text
    article, _ = read(pieces, heads, TEXT)
    mirrored, _ = read(pieces, heads, mirrored_text)
    pairs = list(same_token_pairs(article, mirrored))
    assert len(pairs) > 20
    for i, j in pairs:
        np.testing.assert_array_equal(article.states[i], mirrored.states[j])
        np.testing.assert_array_equal(article.bio[i], mirrored.bio[j])


def test_without_symmetry_the_mirror_reads_differently(pieces, heads):
    """The check above can fail: a plain reading depends on the name in the window."""
    article, _ = read(pieces, heads, TEXT, symmetric=False)
    mirrored, _ = read(pieces, heads, swap(TEXT, side_pairs()).text, symmetric=False)
    differ = [
        i
        for i, j in same_token_pairs(article, mirrored)
        if not np.allclose(article.states[i], mirrored.states[j], atol=1e-4)
    ]
    assert differ


def test_one_of_the_two_is_read_as_it_is_and_costs_no_extra_pass(pieces, heads):
    mirrored_text = swap(TEXT, side_pairs()).text
    assert (canonical(TEXT, side_pairs()) is None) != (
        canonical(mirrored_text, side_pairs()) is None
    )
    for text in (TEXT, mirrored_text):
        _, symmetric_windows = read(pieces, heads, text)
        _, plain_windows = read(pieces, heads, text, symmetric=False)
        assert symmetric_windows == plain_windows


def test_the_choice_does_not_flip_when_other_words_change():
    """Control swaps (dates, reporting verbs) leave which text is read unchanged."""
    mirrored_text = swap(TEXT, side_pairs()).text
    for text in (TEXT, mirrored_text):
        edited = swap(text, control_pairs()).text
        assert edited != text
        assert (canonical(text, side_pairs()) is None) == (canonical(edited, side_pairs()) is None)


def test_an_article_naming_no_side_is_read_as_it_is(pieces, heads):
    text = "The council met on Tuesday and approved the budget."
    assert canonical(text, side_pairs()) is None
    article, _ = read(pieces, heads, text)
    plain, _ = read(pieces, heads, text, symmetric=False)
    np.testing.assert_array_equal(article.states, plain.states)


def test_symmetric_reading_needs_packed_windows():
    with pytest.raises(ValueError, match="packed"):
        WindowPlan(mode="strided", symmetric=True)


def test_an_unknown_naming_is_refused():
    with pytest.raises(ValueError, match="unknown naming"):
        WindowPlan(symmetric=True, naming="alphabetical")


# Ranked naming: listed sides renamed by order of first mention within their category.

COUNTRIES = side_entities()["countries"]
FULL = [i for i, e in enumerate(COUNTRIES) if len(e) >= 4 and None not in e[:4]]


def country_text(first: tuple, second: tuple) -> str:
    """An article naming two countries by name, demonym, people and capital."""
    return (
        f"{first[0]}'s regime accused {second[0]} of lying, {first[1]} officials said.\n\n"
        f"{second[2]} protested in {second[3]}; {first[3]} called it"
        f" {indefinite_article(second[1])} {second[1]} plot.\n\n"
        f"Sources in {first[3]} said {first[2]} would not back down."
    )


@settings(max_examples=60, deadline=None)
@given(st.permutations(FULL))
def test_renaming_the_countries_of_an_article_does_not_change_what_is_read(order):
    """Iran and America may become any two listed countries: the text read stays the same."""
    original = country_text(COUNTRIES[FULL[0]], COUNTRIES[FULL[1]])
    renamed = country_text(COUNTRIES[order[0]], COUNTRIES[order[1]])
    assert ranked_text(renamed) == ranked_text(original)


def ranked_text(text: str) -> str:
    reading = ranked(text)
    return text if reading is None else reading.text


def test_people_are_renamed_with_their_first_names_and_the_mirror_reads_the_same():
    text = "Donald Trump told Hillary Clinton that Biden and Putin were wrong."
    other = "Hillary Clinton told Donald Trump that Putin and Pelosi were wrong."
    assert ranked_text(text) == "Donald Trump told Barack Obama that Clinton and Romney were wrong."
    assert ranked_text(other) == ranked_text(text)
    assert ranked_text(swap(text, side_pairs()).text) == ranked_text(text)


def test_ranked_reading_leaves_other_words_and_kept_phrases_alone():
    text = "In Latin America, Russia's envoy said on Monday that Iran was isolated."
    reading = ranked(text)
    assert reading.text == (
        "In Latin America, Iran's envoy said on Monday that America was isolated."
    )
    edited = swap(text, control_pairs()).text
    assert ranked_text(edited) == swap(reading.text, control_pairs()).text
    assert ranked("The council met on Tuesday.") is None
    assert ranked("Iran's envoy met America's envoy.") is None  # already in the list's order


def test_a_newspaper_named_after_a_city_is_not_renamed_with_the_city():
    text = "The Washington Post and the Moscow Times said America and Russia met in Moscow."
    assert ranked_text(text) == (
        "The Washington Post and the Moscow Times said Iran and America met in Washington."
    )


def test_a_role_the_canonical_side_lacks_falls_back_to_its_name():
    """The U.S. entity has a dotted short name that no country in front of it has."""
    assert ranked_text("Officials in Tehran and U.S. diplomats met.") == (
        "Officials in Tehran and America diplomats met."
    )


def test_ranked_renaming_carries_states_back_like_the_mirror(pieces, heads):
    template = (
        "{}'s regime is sending weapons, officials said.\n\nCritics in {} called it a disgrace."
    )
    text, other = template.format("Russia", "Iran"), template.format("Syria", "Israel")
    first, _ = read(pieces, heads, text, naming="ranked")
    second, _ = read(pieces, heads, other, naming="ranked")
    assert len(first.tokens) == len(second.tokens)
    assert (first.tokens.ids != second.tokens.ids).any()  # the articles differ in their names
    np.testing.assert_array_equal(first.states, second.states)
    plain, _ = read(pieces, heads, text, symmetric=False)
    assert not np.allclose(plain.states, first.states)


def test_the_modules_worked_examples_hold():
    import doctest

    from proplens.pipeline import symmetry

    assert doctest.testmod(symmetry).attempted >= 2
    assert doctest.testmod(symmetry).failed == 0
