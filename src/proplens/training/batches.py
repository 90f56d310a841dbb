"""Training batches and losses: BIO-tagged word pieces, windows and the spans inside them.

Each epoch cuts every article into windows as inference does (whole
paragraphs packed together, or fixed token windows for the 0.1.0 plan), with a
random first window, so the encoder sees each span with different context from
one epoch to the next. ``collate`` keeps the spans that lie (mostly) inside a window, with their
token ranges in that window, for the technique loss. Needs the ``[train]`` extra.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

import numpy as np
import torch

from proplens.pipeline.decode import B, I, O
from proplens.pipeline.features import N_EXTRAS, ArticleText, span_extras, token_range
from proplens.pipeline.windowing import Tokens, WordPieces, packed_windows
from proplens.scoring import merge_spans
from proplens.techniques import NAMES
from proplens.training.corpus import Example
from proplens.training.network import Detector, pool_spans


@dataclass
class Prepared:
    """An article ready for training: tokens, BIO tags and span examples."""

    text: str
    tokens: Tokens
    tags: np.ndarray  # (n_tokens,) O/B/I
    spans: list[tuple[int, int, int, np.ndarray]]  # first token, stop token, technique, extras
    weight: float = 1.0


def prepare(example: Example, pieces: WordPieces, weight: float = 1.0) -> Prepared:
    tokens = pieces.tokenize(example.text)
    tags = np.full(len(tokens), O, dtype=np.int64)
    for start, end in merge_spans((s, e) for s, e, _ in example.spans):
        first, stop = token_range(tokens.offsets, start, end)
        tags[first:stop] = I
        tags[first] = B
    text = ArticleText(example.text)
    spans = []
    for start, end, technique in example.spans:
        if technique in NAMES and len(tokens):
            first, stop = token_range(tokens.offsets, start, end)
            spans.append((first, stop, NAMES.index(technique), span_extras(text, start, end)))
    return Prepared(example.text, tokens, tags, spans, weight)


def epoch_windows(
    data: list[Prepared], size: int, rng: random.Random, mode: str = "packed"
) -> list[tuple[int, int, int]]:
    """Windows ``(article, first token, length)`` of one epoch, shuffled.

    ``packed``: whole paragraphs per window as at inference, the first window of
    each article cut short at random. ``strided``: non-overlapping fixed windows
    at a random offset per article (the 0.1.0 recipe).
    """
    windows = []
    for index, item in enumerate(data):
        n = len(item.tokens)
        if mode == "packed":
            first = rng.randint(size // 4, size)
            spans = packed_windows(item.tokens.offsets, item.text, size, first_size=first)
        else:
            offset = rng.randrange(size) if n > size else 0
            starts = (
                [0] + list(range(offset, n, size)) if offset else list(range(0, max(n, 1), size))
            )
            bounds = sorted(set(starts)) + [n]
            spans = [(a, b - a) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]
        windows += [(index, start, length) for start, length in spans]
    rng.shuffle(windows)
    return windows


def collate(data: list[Prepared], windows, pieces: WordPieces, device: torch.device):
    """Tensors for one batch of windows, plus the spans that fall inside them."""
    width = max(n for _, _, n in windows) + 2
    ids = torch.full((len(windows), width), pieces.pad_id, dtype=torch.long)
    mask = torch.zeros((len(windows), width), dtype=torch.long)
    tags = torch.full((len(windows), width), -100, dtype=torch.long)
    token_weight = torch.zeros((len(windows), width))
    rows, ranges, targets, extras, span_weight = [], [], [], [], []
    for row, (index, start, n) in enumerate(windows):
        item = data[index]
        ids[row, 0], ids[row, n + 1] = pieces.cls_id, pieces.sep_id
        ids[row, 1 : n + 1] = torch.from_numpy(item.tokens.ids[start : start + n])
        mask[row, : n + 2] = 1
        tags[row, 1 : n + 1] = torch.from_numpy(item.tags[start : start + n])
        token_weight[row, 1 : n + 1] = item.weight
        for first, stop, technique, extra in item.spans:
            a, b = max(first, start), min(stop, start + n)
            if b > a and (b - a) * 2 >= (stop - first):
                rows.append(row)
                ranges.append((a - start + 1, b - start + 1))
                targets.append(technique)
                extras.append(extra)
                span_weight.append(item.weight)
    batch = {
        "ids": ids.to(device),
        "mask": mask.to(device),
        "tags": tags.to(device),
        "token_weight": token_weight.to(device),
        "rows": rows,
        "ranges": ranges,
        "targets": torch.tensor(targets, dtype=torch.long, device=device),
        "extras": torch.tensor(np.array(extras), dtype=torch.float32, device=device).reshape(
            -1, N_EXTRAS
        ),
        "span_weight": torch.tensor(span_weight, dtype=torch.float32, device=device),
    }
    return batch


def technique_weights(data: list[Prepared], power: float) -> torch.Tensor:
    counts = Counter(t for item in data for _, _, t, _ in item.spans)
    freq = np.array([max(counts.get(i, 0), 1) for i in range(len(NAMES))], dtype=np.float64)
    weights = (freq.sum() / freq) ** power
    return torch.tensor(weights / weights.mean(), dtype=torch.float32)


def losses(model: Detector, batch: dict, class_weights: torch.Tensor, tc_weight: float):
    """The training loss of a batch (SI + ``tc_weight`` x TC) and its TC part, detached."""
    _, _, loss, tc_loss = task_losses(model, batch, class_weights, tc_weight)
    return loss, tc_loss


def task_losses(model: Detector, batch: dict, class_weights: torch.Tensor, tc_weight: float):
    """``(states, BIO logits, loss, detached TC loss)``: the states serve the consistency stage."""
    states = model.encode(batch["ids"], batch["mask"])
    logits = model.tag(states)
    per_token = torch.nn.functional.cross_entropy(
        logits.float().reshape(-1, 3),
        batch["tags"].reshape(-1),
        ignore_index=-100,
        reduction="none",
    )
    tw = batch["token_weight"].reshape(-1)
    si_loss = (per_token * tw).sum() / tw.sum().clamp(min=1)
    if not batch["rows"]:
        return states, logits, si_loss, si_loss.detach() * 0
    pooled = pool_spans(states.float(), batch["rows"], batch["ranges"])
    tc_logits = model.classify(torch.cat([pooled, batch["extras"]], dim=1))
    per_span = torch.nn.functional.cross_entropy(
        tc_logits.float(),
        batch["targets"],
        weight=class_weights.to(tc_logits.device),
        reduction="none",
    )
    tc_loss = (per_span * batch["span_weight"]).sum() / batch["span_weight"].sum()
    return states, logits, si_loss + tc_weight * tc_loss, tc_loss.detach()
