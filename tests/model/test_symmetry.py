"""Side-symmetric reading: an article and its mirror image get the same states."""

from __future__ import annotations

import numpy as np
import pytest

from proplens.counterfactual import side_pairs, swap
from proplens.model.runtime import SHIPPED_DIR
from proplens.model.symmetry import aligned, symmetric_states
from proplens.model.windowing import WindowPlan, WordPieces, make_batch

HIDDEN = 8


@pytest.fixture(scope="module")
def pieces():
    return WordPieces(SHIPPED_DIR / "tokenizer.json")


class ContextEncoder:
    """A stand-in encoder whose states depend on the token and on its whole window.

    Like a transformer, a word's state changes when another word of its window
    does, which is exactly what makes verdicts depend on the side named.
    """

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        self.calls += 1
        own = np.sin(input_ids[..., None] * np.arange(1, HIDDEN + 1) * 0.37)
        weights = attention_mask[..., None]
        context = (own * weights).sum(axis=1, keepdims=True) / weights.sum(axis=1)[..., None]
        return (own + context).astype(np.float32)


def read(pieces, text, symmetric=True, window=24):
    """Tokens and (symmetric) states of ``text`` under a packed plan of small windows."""
    encoder = ContextEncoder()
    plan = WindowPlan(window=window, mode="packed")
    tokens = pieces.tokenize(text)
    windows = plan.windows(tokens, text)
    states = np.zeros((len(tokens), HIDDEN), np.float32)
    for first, n in windows:
        batch = make_batch(pieces, tokens, [(first, n)])
        states[first : first + n] = encoder(batch.input_ids, batch.attention_mask)[0, 1 : n + 1]
    calls = encoder.calls
    if symmetric:
        states, extra = symmetric_states(
            encoder, pieces, text, tokens, states, windows, side_pairs()
        )
        assert encoder.calls == calls + extra
    return tokens, states, encoder.calls - calls


TEXT = (
    "Iran's regime is sending weapons, officials said on Monday.\n\n"
    "The weather in the capital was mild.\n\n"
    "Critics in America called the deal a disgrace."
)


def test_an_article_and_its_mirror_get_the_same_states(pieces):
    mirrored = swap(TEXT, side_pairs())
    assert mirrored.changed and "America's regime" in mirrored.text
    tokens, states, _ = read(pieces, TEXT)
    mirror_tokens, mirror_states, _ = read(pieces, mirrored.text)
    for i, where in enumerate(aligned(tokens, mirror_tokens, mirrored.offsets, 0, len(tokens))):
        if len(where) == 1 and tokens.ids[i] == mirror_tokens.ids[where.start]:
            np.testing.assert_allclose(states[i], mirror_states[where.start], atol=1e-5)


def test_without_symmetry_the_mirror_reads_differently(pieces):
    """The check above can fail: plain reading depends on the name in the window."""
    mirrored = swap(TEXT, side_pairs())
    tokens, states, _ = read(pieces, TEXT, symmetric=False)
    mirror_tokens, mirror_states, _ = read(pieces, mirrored.text, symmetric=False)
    regime = [i for i, (s, e) in enumerate(tokens.offsets) if TEXT[s:e] == "regime"][0]
    (where,) = [
        w
        for i, w in enumerate(aligned(tokens, mirror_tokens, mirrored.offsets, 0, len(tokens)))
        if i == regime
    ]
    assert not np.allclose(states[regime], mirror_states[where.start], atol=1e-3)


def test_only_windows_naming_a_side_are_read_twice(pieces):
    tokens, states, extra = read(pieces, TEXT, window=16)
    _, plain, _ = read(pieces, TEXT, symmetric=False, window=16)
    windows = WindowPlan(window=16, mode="packed").windows(tokens, TEXT)
    edits = swap(TEXT, side_pairs()).offsets
    naming = [
        edits.touches(int(tokens.offsets[f, 0]), int(tokens.offsets[f + n - 1, 1]))
        for f, n in windows
    ]
    assert extra == sum(naming) and 0 < extra < len(windows)
    for (first, n), names in zip(windows, naming, strict=True):
        same = np.array_equal(states[first : first + n], plain[first : first + n])
        assert same != names


def test_an_article_naming_no_side_is_read_once(pieces):
    text = "The council met on Tuesday and approved the budget."
    _, states, extra = read(pieces, text)
    _, plain, _ = read(pieces, text, symmetric=False)
    assert extra == 0
    np.testing.assert_array_equal(states, plain)


def test_symmetric_reading_needs_packed_windows():
    with pytest.raises(ValueError, match="packed"):
        WindowPlan(mode="strided", symmetric=True)
