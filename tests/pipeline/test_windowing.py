"""Windows cover every token, and per-window outputs average back onto tokens."""

from __future__ import annotations

import numpy as np
import pytest

from proplens.pipeline.runtime import SHIPPED_DIR
from proplens.pipeline.windowing import (
    CALL_FILL,
    WordPieces,
    call_groups,
    make_batch,
    merge_windows,
    packed_windows,
    sentence_starts,
    window_starts,
)


@pytest.mark.parametrize(
    "n,size,stride",
    [(1, 254, 254), (254, 254, 254), (255, 254, 192), (1000, 254, 254), (1000, 62, 40)],
)
def test_windows_cover_every_token_within_size(n, size, stride):
    starts = window_starts(n, size, stride)
    covered = np.zeros(n, dtype=int)
    for s in starts:
        assert 0 <= s and s + min(size, n) <= n
        covered[s : s + size] += 1
    assert covered.min() >= 1
    assert starts == sorted(set(starts))


def test_tokens_keep_character_offsets_of_the_exact_text():
    pieces = WordPieces(SHIPPED_DIR / "tokenizer.json")
    text = "Ünïcode 🚢 café\r\nnaïve Сделка"
    tokens = pieces.tokenize(text)
    for start, end in tokens.offsets:
        assert 0 <= start < end <= len(text)
        assert not text[start:end].isspace()


def test_batch_wraps_windows_and_merge_averages_overlaps():
    pieces = WordPieces(SHIPPED_DIR / "tokenizer.json")
    tokens = pieces.tokenize("one two three four five six seven")
    batch = make_batch(pieces, tokens, [(0, 4), (2, 4)])
    assert batch.input_ids[0, 0] == pieces.cls_id and batch.input_ids[0, 5] == pieces.sep_id
    assert batch.attention_mask.sum(axis=1).tolist() == [6, 6]
    # window 0 says 1.0 for its tokens, window 1 says 3.0: overlapping tokens 2 and 3 get 2.0
    values = np.zeros((2, 6, 1), dtype=np.float32)
    values[0, 1:5] = 1.0
    values[1, 1:5] = 3.0
    merged = merge_windows(values, batch, len(tokens)).ravel().tolist()
    assert merged == [1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 0.0]


def packed(text: str, size: int, first: int | None = None):
    pieces = WordPieces(SHIPPED_DIR / "tokenizer.json")
    tokens = pieces.tokenize(text)
    return tokens, packed_windows(tokens.offsets, text, size, first_size=first)


def test_packed_windows_cover_every_token_once_and_keep_paragraphs_whole():
    text = "Title of it\n\nOne short paragraph here.\nA second one, a bit longer than that.\nEnd."
    tokens, windows = packed(text, size=12)
    covered = [i for start, n in windows for i in range(start, start + n)]
    assert covered == list(range(len(tokens)))
    assert all(n <= 12 for _, n in windows)
    starts = {start for start, _ in windows}
    # every window starts where a line starts
    for start in starts:
        assert start == 0 or "\n" in text[tokens.offsets[start - 1, 1] : tokens.offsets[start, 0]]


def test_a_long_paragraph_is_cut_at_sentences_then_at_the_size():
    sentence = "This is one plain sentence. "
    text = sentence * 6 + "x " * 40
    tokens, windows = packed(text, size=14)
    assert [i for s, n in windows for i in range(s, s + n)] == list(range(len(tokens)))
    assert all(n <= 14 for _, n in windows)
    # the sentences (6 tokens each) are never cut: windows start on a sentence
    for start, _ in windows[:3]:
        assert text[tokens.offsets[start, 0] :].startswith("This")


def test_an_edit_in_one_paragraph_leaves_the_other_windows_alone():
    paragraphs = [f"Paragraph {i} says something about the town council." for i in range(12)]
    before = "\n".join(paragraphs)
    paragraphs[2] = "Paragraph 2 says something quite different about the same town council."
    after = "\n".join(paragraphs)
    pieces = WordPieces(SHIPPED_DIR / "tokenizer.json")
    windows = []
    for text in (before, after):
        tokens = pieces.tokenize(text)
        windows.append(
            [
                text[tokens.offsets[s, 0] : tokens.offsets[s + n - 1, 1]]
                for s, n in packed_windows(tokens.offsets, text, 40)
            ]
        )
    assert windows[0][0] != windows[1][0]
    assert windows[0][1:] == windows[1][1:]


def test_training_can_cut_the_first_window_short():
    text = "\n".join(f"Line {i} of the text." for i in range(8))
    _, full = packed(text, size=30)
    _, short = packed(text, size=30, first=8)
    assert short[0][1] <= 8 < full[0][1]


def test_call_groups_send_each_window_once_and_never_pad_a_short_one_to_a_long_one():
    windows = [(0, 254), (254, 31), (285, 250), (535, 254), (789, 190), (979, 200), (1179, 254)]
    groups = call_groups(windows, per_call=3)
    assert sorted(i for group in groups for i in group) == list(range(len(windows)))
    for group in groups:
        assert len(group) <= 3
        longest = max(windows[i][1] for i in group)
        assert all(windows[i][1] >= CALL_FILL * longest for i in group)
    assert [1] in groups  # the 31-token paragraph is not padded to 254


def test_windows_read_together_give_the_states_they_give_alone(analyzer, monkeypatch):
    """Per-token int8: a window's states do not depend on the windows of its call."""
    from dataclasses import replace
    from functools import partial

    from proplens.pipeline import predict
    from proplens.pipeline.predict import encode_article

    # windows as short as half the call's longest join it: much padding, many companions
    monkeypatch.setattr(predict, "call_groups", partial(call_groups, fill=0.5))
    model = analyzer.model
    text = "\n\n".join(
        f"Paragraph {i}: the council met on Monday and said the plan was a disaster. " * (i + 1)
        for i in range(12)
    )
    calls: list[int] = []

    def encode(ids, mask):
        calls.append(len(ids))
        return model.encode(ids, mask)

    alone = encode_article(encode, model.pieces, model.heads, text, replace(model.plan, per_call=1))
    assert set(calls) == {1} and len(calls) > 3
    calls.clear()
    together = encode_article(
        encode, model.pieces, model.heads, text, replace(model.plan, per_call=8)
    )
    assert max(calls) > 2
    assert np.array_equal(alone.states, together.states)


def sentence_starts_token_by_token(offsets: np.ndarray, text: str) -> list[bool]:
    """The rule of ``sentence_starts`` applied to every token, as it was first written."""
    starts = []
    for i, (start, _) in enumerate(offsets):
        if i == 0 or "\n" in text[offsets[i - 1, 1] : start]:
            starts.append(True)
            continue
        previous = text[offsets[i - 1, 0] : offsets[i - 1, 1]]
        spaced = start > offsets[i - 1, 1]
        starts.append(bool(spaced and previous.rstrip("\"'”’)]")[-1:] in (".", "!", "?", "…")))
    return starts


def test_sentence_starts_checks_only_likely_tokens_and_finds_every_start():
    pieces = WordPieces(SHIPPED_DIR / "tokenizer.json")
    rng = np.random.default_rng(7)
    parts = ["word", "U.S.", "end.", "Why?", "wow!", "so…", '"said."', "(aside.)", "x]", "’"]
    parts += ["“Quote”", "no.!", "a.b", "¿Qué?", "🚢.", "\n", "\n\n", ".", '."']
    for _ in range(200):
        chosen = rng.choice(parts, size=int(rng.integers(1, 30)))
        glue = rng.choice(["", " ", "  ", "\t"], size=len(chosen))
        text = "".join(g + c for g, c in zip(glue, chosen, strict=True))
        offsets = pieces.tokenize(text).offsets
        assert sentence_starts(offsets, text).tolist() == sentence_starts_token_by_token(
            offsets, text
        ), text
    # tokens of no characters (offsets a tokenizer may give) are never a sentence's end
    offsets = np.array([[0, 3], [3, 3], [4, 6]])
    assert sentence_starts(offsets, "Hi. Go").tolist() == [True, False, False]
    assert sentence_starts(np.zeros((0, 2), dtype=np.int64), "").tolist() == []


def test_docstring_examples():
    import doctest

    from proplens.pipeline import windowing

    assert doctest.testmod(windowing).failed == 0
