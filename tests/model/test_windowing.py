"""Windows cover every token, and per-window outputs average back onto tokens."""

from __future__ import annotations

import numpy as np
import pytest

from proplens.model.runtime import SHIPPED_DIR
from proplens.model.windowing import WordPieces, make_batch, merge_windows, window_starts


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
    batch = make_batch(pieces, tokens, [0, 2], size=4)
    assert batch.input_ids[0, 0] == pieces.cls_id and batch.input_ids[0, 5] == pieces.sep_id
    assert batch.attention_mask.sum(axis=1).tolist() == [6, 6]
    # window 0 says 1.0 for its tokens, window 1 says 3.0: overlapping tokens 2 and 3 get 2.0
    values = np.zeros((2, 6, 1), dtype=np.float32)
    values[0, 1:5] = 1.0
    values[1, 1:5] = 3.0
    merged = merge_windows(values, batch, len(tokens)).ravel().tolist()
    assert merged == [1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 0.0]
