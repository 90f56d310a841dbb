"""The trainable network: a pretrained encoder with a BIO tagging head and a technique head.

One encoder serves both tasks so that the shipped model stays one ~23 MB file.
The heads are small enough to run in numpy at inference (see ``heads``), so
only the encoder is exported to ONNX. Needs the ``[train]`` extra.
"""

from __future__ import annotations

import torch
from torch import nn


class Detector(nn.Module):
    """Encoder states -> BIO logits per token; pooled span states + extras -> technique logits."""

    def __init__(
        self,
        encoder: nn.Module,
        hidden: int,
        n_extras: int,
        n_techniques: int,
        tc_hidden: int = 256,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        self.encoder = encoder
        self.si_head = nn.Linear(hidden, 3)
        self.tc_hidden = nn.Linear(2 * hidden + n_extras, tc_hidden)
        self.tc_out = nn.Linear(tc_hidden, n_techniques)
        self.dropout = nn.Dropout(dropout)

    def encode(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    def tag(self, states: torch.Tensor) -> torch.Tensor:
        return self.si_head(self.dropout(states))

    def classify(self, pooled: torch.Tensor) -> torch.Tensor:
        # tanh-GELU so that the numpy copy in ``heads`` computes exactly the same function.
        hidden = nn.functional.gelu(self.tc_hidden(self.dropout(pooled)), approximate="tanh")
        return self.tc_out(self.dropout(hidden))


def pool_spans(
    states: torch.Tensor, rows: list[int], ranges: list[tuple[int, int]]
) -> torch.Tensor:
    """Mean and max of ``states[row, first:stop]`` for each span, as in ``features.pool``."""
    pooled = []
    for row, (first, stop) in zip(rows, ranges, strict=True):
        chunk = states[row, first:stop]
        pooled.append(torch.cat([chunk.mean(dim=0), chunk.max(dim=0).values]))
    return torch.stack(pooled)


def load_encoder(path: str, max_layers: int | None = None) -> tuple[nn.Module, int]:
    """A transformers encoder from a local folder (never a hub), optionally truncated."""
    from transformers import AutoConfig, AutoModel
    from transformers.utils import logging

    logging.set_verbosity_error()  # the load report lists the unused pooler: expected, not news
    config = AutoConfig.from_pretrained(path, local_files_only=True)
    if max_layers is not None:
        config.num_hidden_layers = min(max_layers, config.num_hidden_layers)
    encoder = AutoModel.from_pretrained(
        path,
        config=config,
        local_files_only=True,
        add_pooling_layer=False,
        dtype=torch.float32,
    )
    return encoder, config.hidden_size
