"""Cut a long article into encoder windows, keeping exact character offsets.

The tokenizer runs once over the whole text; each token keeps its ``(start, end)``
character offsets, so everything the model says about tokens maps back onto the
article's own offsets. Windows are slices of that token sequence wrapped in
``[CLS] ... [SEP]``.

Windows are *packed from whole paragraphs* (and, inside a paragraph too long
for one window, whole sentences): an edit in one paragraph then changes the
input of one window only, instead of shifting every window boundary after it.
The detector's verdict on a sentence should not move because a word changed
three paragraphs earlier (``bench/neutrality.py`` measures this).
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
        self.cls_id = self._special("[CLS]", "<s>")  # BERT's names, or RoBERTa/MPNet's
        self.sep_id = self._special("[SEP]", "</s>")
        self.pad_id = self._special("[PAD]", "<pad>") or 0

    def _special(self, *names: str) -> int | None:
        for name in names:
            found = self.tokenizer.token_to_id(name)
            if found is not None:
                return found
        return None

    def tokenize(self, text: str) -> Tokens:
        encoding = self.tokenizer.encode(text, add_special_tokens=False)
        ids = np.asarray(encoding.ids, dtype=np.int64)
        offsets = np.asarray(encoding.offsets, dtype=np.int64).reshape(-1, 2)
        return Tokens(ids, offsets)


def line_breaks(offsets: np.ndarray, text: str) -> np.ndarray:
    r"""Whether a line break lies between each token and the one before it.

    >>> line_breaks(np.array([[0, 3], [4, 7], [8, 11]]), "one two\nsix").tolist()
    [False, False, True]
    """
    codepoints = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    newlines = np.flatnonzero(codepoints == 10)  # str indices, as offsets are
    if len(offsets) == 0 or len(newlines) == 0:
        return np.zeros(len(offsets), dtype=bool)
    previous_end = np.concatenate([[0], offsets[:-1, 1]])
    # a newline n with previous_end <= n < start exists iff the counts below differ
    return np.searchsorted(newlines, offsets[:, 0]) > np.searchsorted(newlines, previous_end)


def sentence_starts(offsets: np.ndarray, text: str) -> np.ndarray:
    r"""Whether each token opens a sentence: after a line break, or after ``.!?`` and a space.

    >>> offsets = np.array([[0, 2], [2, 3], [4, 6], [6, 7], [7, 9]])
    >>> sentence_starts(offsets, "Hi. Go!Up").tolist()
    [True, False, True, False, False]
    """
    starts = line_breaks(offsets, text)
    if len(offsets) == 0:
        return starts
    starts[0] = True
    # Only a token after a space whose predecessor ends in .!?… or a closing mark can
    # open a sentence: those few are checked one by one, the rest never looked at.
    codepoints = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    ends = offsets[:-1, 1]
    last = np.where(ends > offsets[:-1, 0], codepoints[np.maximum(ends - 1, 0)], 0)
    spaced = offsets[1:, 0] > ends
    for i in 1 + np.flatnonzero(spaced & np.isin(last, _MAY_END)):
        previous = text[offsets[i - 1, 0] : offsets[i - 1, 1]]
        if previous.rstrip(_CLOSING)[-1:] in _ENDS:
            starts[i] = True
    return starts


_CLOSING = "\"'”’)]"
_ENDS = (".", "!", "?", "…")
_MAY_END = np.array([ord(c) for c in _CLOSING + "".join(_ENDS)], dtype=np.uint32)


def packed_windows(
    offsets: np.ndarray, text: str, size: int, first_size: int | None = None
) -> list[tuple[int, int]]:
    r"""``(first token, length)`` windows of at most ``size`` tokens, packed from whole units.

    A unit is a paragraph (a line); a paragraph longer than ``size`` is cut into
    sentences, and a sentence longer than ``size`` into pieces of ``size``. Units
    are packed greedily in order. ``first_size`` caps the first window (training
    varies it so that the same article is packed differently each epoch).

    >>> text = "One two.\nThree four five.\nSix."
    >>> offsets = np.array([[0, 3], [4, 7], [7, 8], [9, 14], [15, 19], [20, 24], [24, 25],
    ...                     [26, 29], [29, 30]])
    >>> packed_windows(offsets, text, size=7)
    [(0, 7), (7, 2)]
    >>> packed_windows(offsets, text, size=4)
    [(0, 3), (3, 4), (7, 2)]
    """
    units = _units(offsets, text, size)
    windows: list[tuple[int, int]] = []
    cap = size if first_size is None else max(1, min(first_size, size))
    start, length = 0, 0
    for unit_start, unit_length in units:
        if length and length + unit_length > cap:
            windows.append((start, length))
            start, length, cap = unit_start, 0, size
        length += unit_length
    if length:
        windows.append((start, length))
    return windows


def _units(offsets: np.ndarray, text: str, size: int) -> list[tuple[int, int]]:
    """Paragraphs, or the sentences (cut to ``size``) of paragraphs longer than ``size``."""
    n = len(offsets)
    paragraphs = _segments(np.flatnonzero(line_breaks(offsets, text)), n)
    sentences = np.flatnonzero(sentence_starts(offsets, text))
    units = []
    for start, stop in paragraphs:
        if stop - start <= size:
            units.append((start, stop - start))
            continue
        inner = sentences[(sentences > start) & (sentences < stop)]
        for s_start, s_stop in _segments(inner, stop, first=start):
            for piece in range(s_start, s_stop, size):
                units.append((piece, min(size, s_stop - piece)))
    return units


def _segments(breaks: np.ndarray, stop: int, first: int = 0) -> list[tuple[int, int]]:
    bounds = [first, *(int(b) for b in breaks if first < b < stop), stop]
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def make_batch(pieces: WordPieces, tokens: Tokens, windows: list[tuple[int, int]]) -> Batch:
    """Wrap each window ``(first token, length)`` in [CLS]/[SEP] and pad to one length."""
    starts = [start for start, _ in windows]
    lengths = [length for _, length in windows]
    width = max(lengths) + 2
    input_ids = np.full((len(windows), width), pieces.pad_id, dtype=np.int64)
    mask = np.zeros((len(windows), width), dtype=np.int64)
    for row, (start, n) in enumerate(windows):
        input_ids[row, 0] = pieces.cls_id
        input_ids[row, 1 : n + 1] = tokens.ids[start : start + n]
        input_ids[row, n + 1] = pieces.sep_id
        mask[row, : n + 2] = 1
    return Batch(input_ids, mask, starts, lengths)


CALL_FILL = 0.95
"""A window joins a call while at least this share of the call's longest (``call_groups``).

On the 400 news articles 0.8 padded 4.9% of the encoder's positions (768
calls) and 0.95 pads 1.1% (1,166 calls): the encoder ran 4% faster on 30
articles, taking turns (docs/model.md, "Speed and memory"), with the same states.
"""


def call_groups(
    windows: list[tuple[int, int]], per_call: int, fill: float = CALL_FILL
) -> list[list[int]]:
    """Indices of ``windows`` to send to the encoder together, longest first.

    A call pads its windows to the longest, so a window joins a call only
    while it is at least ``fill`` times as long as the call's first: a short
    last paragraph is sent alone instead of being padded to a full window.
    With per-token int8 a window's states do not depend on its companions.

    >>> call_groups([(0, 254), (254, 60), (314, 250), (564, 240)], per_call=8)
    [[0, 2], [3], [1]]
    >>> call_groups([(0, 254), (254, 60), (314, 250), (564, 240)], per_call=8, fill=0.8)
    [[0, 2, 3], [1]]
    >>> call_groups([(0, 254), (254, 254), (508, 254)], per_call=2)
    [[0, 1], [2]]
    """
    order = sorted(range(len(windows)), key=lambda i: -windows[i][1])
    groups: list[list[int]] = []
    for i in order:
        group = groups[-1] if groups else None
        if group and len(group) < per_call and windows[i][1] >= fill * windows[group[0]][1]:
            group.append(i)
        else:
            groups.append([i])
    return groups


NAMINGS = ("mirror", "ranked")  # how symmetric reading names the sides (pipeline.symmetry)


@dataclass(frozen=True)
class WindowPlan:
    """How an article is cut into windows at inference (stored in the model card).

    ``packed``: whole paragraphs/sentences per window. ``strided``: the 0.1.0
    plan, fixed token windows ``stride`` apart. Up to ``per_call`` windows of
    similar length go to the encoder in one call (``call_groups``): with
    per-token int8 the states are the same either way, and larger matrix
    products run faster (dynamic int8 let windows of one call influence each
    other, so older packed models read one window per call).
    ``symmetric``: an article naming a side is read as a canonical text in
    which the sides are named one way only (``pipeline.symmetry``; packed only);
    ``naming`` says which: ``"mirror"`` (the article or its side-swapped mirror,
    whichever sorts first) or ``"ranked"`` (sides renamed by order of first
    mention).
    """

    window: int = 256  # encoder positions, [CLS] and [SEP] included
    mode: str = "packed"
    stride: int = 254
    per_call: int = 1
    symmetric: bool = False
    naming: str = "mirror"

    def __post_init__(self) -> None:
        if self.mode not in ("packed", "strided"):
            raise ValueError(f"unknown window mode {self.mode!r}")
        if self.naming not in NAMINGS:
            raise ValueError(f"unknown naming {self.naming!r} (one of {', '.join(NAMINGS)})")
        if self.symmetric and self.mode != "packed":
            raise ValueError("symmetric reading needs packed windows")  # as trained

    @property
    def size(self) -> int:
        return self.window - 2

    def windows(self, tokens: Tokens, text: str) -> list[tuple[int, int]]:
        if self.mode == "packed":
            return packed_windows(tokens.offsets, text, self.size)
        n = len(tokens)
        return [(s, min(self.size, n - s)) for s in window_starts(n, self.size, self.stride)]


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
