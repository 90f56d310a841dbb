"""Cut a long article into overlapping encoder windows, keeping exact character offsets.

The tokenizer runs once over the whole text; each token keeps its ``(start, end)``
character offsets, so everything the model says about tokens maps back onto the
article's own offsets. Windows are slices of that token sequence wrapped in
``[CLS] ... [SEP]``; a token seen by several windows gets the mean of their outputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer


@dataclass(frozen=True)
class Tokens:
    """The article's word pieces: ids and character offsets, shape ``(n,)`` and ``(n, 2)``."""

    ids: np.ndarray
    offsets: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class Batch:
    """Encoder input for a list of windows, padded to the longest one."""

    input_ids: np.ndarray  # (windows, length) int64
    attention_mask: np.ndarray  # (windows, length) int64
    starts: list[int]  # first article token of each window
    lengths: list[int]  # article tokens in each window (without [CLS]/[SEP])


class WordPieces:
    """The encoder's tokenizer, with truncation and padding off (we window ourselves)."""

    def __init__(self, tokenizer_file: str | Path) -> None:
        self.tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.cls_id = self.tokenizer.token_to_id("[CLS]")
        self.sep_id = self.tokenizer.token_to_id("[SEP]")
        self.pad_id = self.tokenizer.token_to_id("[PAD]") or 0

    def tokenize(self, text: str) -> Tokens:
        encoding = self.tokenizer.encode(text, add_special_tokens=False)
        ids = np.asarray(encoding.ids, dtype=np.int64)
        offsets = np.asarray(encoding.offsets, dtype=np.int64).reshape(-1, 2)
        return Tokens(ids, offsets)


def window_starts(n_tokens: int, size: int, stride: int) -> list[int]:
    """Start positions of windows of ``size`` tokens, ``stride`` apart, covering all tokens.

    >>> window_starts(10, 4, 3)
    [0, 3, 6]
    >>> window_starts(3, 4, 3)
    [0]
    """
    if n_tokens <= size:
        return [0]
    starts = list(range(0, n_tokens - size, stride))
    starts.append(n_tokens - size)
    return sorted(set(starts))


def make_batch(pieces: WordPieces, tokens: Tokens, starts: list[int], size: int) -> Batch:
    """Wrap each window ``tokens[s : s + size]`` in [CLS]/[SEP] and pad to one length."""
    lengths = [min(size, len(tokens) - s) for s in starts]
    width = max(lengths) + 2
    input_ids = np.full((len(starts), width), pieces.pad_id, dtype=np.int64)
    mask = np.zeros((len(starts), width), dtype=np.int64)
    for row, (start, n) in enumerate(zip(starts, lengths, strict=True)):
        input_ids[row, 0] = pieces.cls_id
        input_ids[row, 1 : n + 1] = tokens.ids[start : start + n]
        input_ids[row, n + 1] = pieces.sep_id
        mask[row, : n + 2] = 1
    return Batch(input_ids, mask, list(starts), lengths)


def add_windows(values: np.ndarray, batch: Batch, total: np.ndarray, seen: np.ndarray) -> None:
    """Add per-window token outputs ``(windows, width, ...)`` into article-level sums."""
    for row, (start, n) in enumerate(zip(batch.starts, batch.lengths, strict=True)):
        total[start : start + n] += values[row, 1 : n + 1]
        seen[start : start + n] += 1


def merge_windows(values: np.ndarray, batch: Batch, n_tokens: int) -> np.ndarray:
    """Average per-window token outputs ``(windows, width, ...)`` back onto article tokens."""
    total = np.zeros((n_tokens, *values.shape[2:]), dtype=np.float32)
    seen = np.zeros(n_tokens, dtype=np.float32)
    add_windows(values, batch, total, seen)
    seen = np.maximum(seen, 1).reshape((-1,) + (1,) * (values.ndim - 2))
    return total / seen
