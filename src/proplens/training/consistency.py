"""The consistency stage: train each window to read like its twin with neutral words swapped.

After the averaged weights of the main epochs, ``TrainConfig.consistency_epochs``
more epochs run at a low learning rate. Every window is paired with its *twin*:
the same characters of the article with the control words swapped
(``counterfactual.control_pairs``: said/stated, Monday/Tuesday, city/town...).
Both take the usual task losses, and a symmetric KL divergence pulls their
readings together: the BIO probabilities of every word piece the swap left
alone (and of a swapped word that stayed one piece), and the technique
probabilities of the gold spans in the window and of three random stretches of it.

Why: a neutral word should not change how the rest of its window reads. What
the stage measurably does (to quality, and to verdicts under such swaps: nothing
beyond noise, so it is off in ``configs/default.json``) is in docs/model.md,
Neutrality, "Nor does a consistency stage".
Needs the ``[train]`` extra.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import torch

from proplens.counterfactual import OffsetMap, control_pairs, swap, swap_spans
from proplens.pipeline.features import ArticleText, span_extras, token_range
from proplens.pipeline.windowing import WordPieces
from proplens.training.batches import Prepared, collate, prepare, task_losses
from proplens.training.corpus import Example
from proplens.training.network import Detector, pool_spans

RANDOM_SPANS = 3
"""Random stretches per window whose technique reading must agree with the twin's."""
MAX_RANDOM_SPAN = 15
"""Longest random stretch, in word pieces."""


@dataclass
class Twin:
    """An article's control-swapped copy, ready for training; the offset map onto it; its text."""

    prepared: Prepared
    offsets: OffsetMap
    text: ArticleText


@dataclass
class Pair:
    """One window of a batch and the twin window over the same characters."""

    row: int  # the window's row in the batch
    article: int
    start: int  # first token of the window
    length: int
    twin_start: int
    twin_length: int


def make_twin(example: Example, pieces: WordPieces) -> Twin | None:
    """The twin of ``example`` (``None`` when it holds no control word)."""
    swapped = swap(example.text, control_pairs())
    if not swapped.changed:
        return None
    spans = swap_spans(example.spans, swapped.offsets)
    twin = Example(example.id, swapped.text, spans)
    return Twin(prepare(twin, pieces), swapped.offsets, ArticleText(swapped.text))


def twin_window(item: Prepared, twin: Twin | None, start: int, length: int, limit: int):
    """``(first token, length)`` of the twin window over the window's characters.

    ``None`` when no swapped word lies in the window: its twin would read the same.
    """
    if twin is None or length == 0:
        return None
    begin, end = int(item.tokens.offsets[start, 0]), int(item.tokens.offsets[start + length - 1, 1])
    if not twin.offsets.touches(begin, end):
        return None
    begin, end = twin.offsets.span(begin, end)
    starts = twin.prepared.tokens.offsets[:, 0]
    first = int(np.searchsorted(starts, begin, "left"))
    stop = int(np.searchsorted(starts, end, "left"))
    return (first, min(stop - first, limit)) if stop > first else None


def aligned_tokens(item: Prepared, twin: Twin, pair: Pair) -> list[tuple[int, int]]:
    """``(window position, twin window position)`` of the word pieces that match one to one.

    A piece matches when its characters map onto exactly one piece of the twin
    (every piece outside a swapped word, and a swapped word read as one piece).
    Positions count the ``[CLS]`` at 0.
    """
    starts = twin.prepared.tokens.offsets[:, 0]
    ends = twin.prepared.tokens.offsets[:, 1]
    found = []
    for i in range(pair.start, pair.start + pair.length):
        begin, end = twin.offsets.span(*(int(x) for x in item.tokens.offsets[i]))
        j = int(np.searchsorted(starts, begin, "left"))
        inside = pair.twin_start <= j < pair.twin_start + pair.twin_length
        if inside and j < len(starts) and int(ends[j]) == end:
            found.append((i - pair.start + 1, j - pair.twin_start + 1))
    return found


def compared_spans(
    item: Prepared, gold: list, pair: Pair, rng: random.Random
) -> list[tuple[int, int]]:
    """Character ranges whose technique reading is compared: gold spans and random stretches."""
    offsets = item.tokens.offsets
    begin = int(offsets[pair.start, 0])
    end = int(offsets[pair.start + pair.length - 1, 1])
    spans = [(s, e) for s, e, _ in gold if begin <= s and e <= end]
    for _ in range(RANDOM_SPANS):
        size = rng.randint(1, min(MAX_RANDOM_SPAN, pair.length))
        first = rng.randrange(pair.start, pair.start + pair.length - size + 1)
        spans.append((int(offsets[first, 0]), int(offsets[first + size - 1, 1])))
    return spans


def symmetric_kl(left: torch.Tensor, right: torch.Tensor) -> torch.Tensor:
    """Mean symmetric KL divergence between the softmax distributions of two logit rows.

    >>> a = torch.tensor([[2.0, 0.0, 0.0]])
    >>> float(symmetric_kl(a, a))
    0.0
    >>> round(float(symmetric_kl(a, torch.tensor([[0.0, 2.0, 0.0]]))), 3)
    1.361
    """
    lp, lq = torch.log_softmax(left.float(), -1), torch.log_softmax(right.float(), -1)
    forward = (lp.exp() * (lp - lq)).sum(-1)
    backward = (lq.exp() * (lq - lp)).sum(-1)
    return (0.5 * (forward + backward)).mean()


class Stage:
    """One epoch's articles, their twins and the loss of a batch of windows."""

    def __init__(self, data: list[Prepared], examples: list[Example], pieces, limit: int, seed):
        self.data, self.examples, self.pieces, self.limit = data, examples, pieces, limit
        self.twins = [make_twin(e, pieces) for e in examples]
        self.twin_data = [t.prepared if t is not None else None for t in self.twins]
        self.texts = [ArticleText(item.text) for item in data]
        self.rng = random.Random(seed)

    def pairs(self, chunk) -> list[Pair]:
        found = []
        for row, (article, start, length) in enumerate(chunk):
            twin = self.twins[article]
            window = twin_window(self.data[article], twin, start, length, self.limit)
            if window is not None and window[1] > 0:
                found.append(Pair(row, article, start, length, *window))
        return found

    def loss(self, model: Detector, chunk, class_weights, tc_weight: float, weight: float, device):
        """Task losses of the windows and their twins, plus ``weight`` x the divergence."""
        batch = collate(self.data, chunk, self.pieces, device)
        states, logits, loss, _ = task_losses(model, batch, class_weights, tc_weight)
        pairs = self.pairs(chunk)
        if not pairs:
            return loss, torch.zeros(())
        twin_chunk = [(p.article, p.twin_start, p.twin_length) for p in pairs]
        twin_batch = collate(self.twin_data, twin_chunk, self.pieces, device)
        twin_states, twin_logits, twin_loss, _ = task_losses(
            model, twin_batch, class_weights, tc_weight
        )
        loss = loss + twin_loss * len(pairs) / len(chunk)
        divergence = self._tags(logits, twin_logits, pairs) + self._techniques(
            model, states, twin_states, pairs, device
        )
        return loss + weight * divergence, divergence.detach()

    def _tags(self, logits, twin_logits, pairs: list[Pair]) -> torch.Tensor:
        rows, cols, twin_rows, twin_cols = [], [], [], []
        for k, pair in enumerate(pairs):
            twin = self.twins[pair.article]
            for position, twin_position in aligned_tokens(self.data[pair.article], twin, pair):
                rows.append(pair.row)
                cols.append(position)
                twin_rows.append(k)
                twin_cols.append(twin_position)
        if not rows:
            return torch.zeros(())
        return symmetric_kl(logits[rows, cols], twin_logits[twin_rows, twin_cols])

    def _techniques(self, model, states, twin_states, pairs: list[Pair], device) -> torch.Tensor:
        left, right, left_extras, right_extras = [], [], [], []
        for k, pair in enumerate(pairs):
            item, twin = self.data[pair.article], self.twins[pair.article]
            text = self.texts[pair.article]
            gold = self.examples[pair.article].spans
            for start, end in compared_spans(item, gold, pair, self.rng):
                twin_start, twin_end = twin.offsets.span(start, end)
                first, stop = token_range(item.tokens.offsets, start, end)
                twin_first, twin_stop = token_range(
                    twin.prepared.tokens.offsets, twin_start, twin_end
                )
                window_ok = pair.start <= first < stop <= pair.start + pair.length
                twin_ok = (
                    pair.twin_start <= twin_first < twin_stop <= pair.twin_start + pair.twin_length
                )
                if not (window_ok and twin_ok):
                    continue
                shift, twin_shift = pair.start - 1, pair.twin_start - 1  # [CLS] at 0
                left.append((pair.row, (first - shift, stop - shift)))
                right.append((k, (twin_first - twin_shift, twin_stop - twin_shift)))
                left_extras.append(span_extras(text, start, end))
                right_extras.append(span_extras(twin.text, twin_start, twin_end))
        if not left:
            return torch.zeros(())
        return symmetric_kl(
            _technique_logits(model, states, left, left_extras, device),
            _technique_logits(model, twin_states, right, right_extras, device),
        )


def _technique_logits(model: Detector, states, spans, extras, device) -> torch.Tensor:
    pooled = pool_spans(states.float(), [row for row, _ in spans], [rng for _, rng in spans])
    features = torch.tensor(np.array(extras), dtype=torch.float32, device=device)
    return model.classify(torch.cat([pooled, features], dim=1))
