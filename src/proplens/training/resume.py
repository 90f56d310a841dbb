"""Resumable training: the whole state of a run, saved every few minutes in one file.

Why: a fold trains for 25-30 minutes and the final model for ~40 on two CPU
cores, and a working session can end at any moment. After every optimizer step
``train.fit`` asks its ``Checkpoints`` whether a save is ``due``; at most every
``every`` seconds the state is written, atomically (a temporary file, then
``os.replace``), to ``<stem>.resume.safetensors``. Rerunning the same command
finds the file and continues from it, to the same final weights as an
uninterrupted run (bit-identical on the same machine and device: the state
holds the weights, the optimizer and its schedule, every random generator, the
epoch and the number of batches done in it; the epoch's data order is rebuilt
from the generator's state at the start of the epoch).

The file is safetensors for every tensor and JSON (in the safetensors
metadata) for everything else: no pickle, so a checkpoint from elsewhere cannot
run code when it is loaded. It records the settings and the data it was made
with; a run with other settings or other data refuses to continue from it.
It is deleted when the run it belongs to has finished.
"""

from __future__ import annotations

import json
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from proplens.errors import InputError, ProplensError

SUFFIX = ".resume.safetensors"
FORMAT = "proplens-resume/1"
STOP_ENV = "PROPLENS_STOP_AFTER_STEP"
"""Test hook: stop a run right after this optimizer step (counted over the whole run)
without saving it, as a killed process would; the next run resumes from the last checkpoint."""
IGNORED = ("device",)
"""Settings that may differ between a run and its resumption (a run begun on a CPU may go on
on a GPU: it then ends with other, equally valid, weights)."""


class TrainingStopped(ProplensError):
    """The run stopped before its end (the ``STOP_ENV`` hook); its last checkpoint is kept."""

    exit_code = 75  # EX_TEMPFAIL: try again (the same command resumes)


@dataclass
class Position:
    """Where a run stands: the stage, its epoch and the batches of that epoch already done.

    ``epoch_rng`` is the state of the stage's data generator at the start of
    ``epoch``: replaying it rebuilds the epoch's augmentation and window order.
    ``sums`` are the epoch's running loss sums (for its history row), ``kept``
    the weights kept for averaging, ``extra_rng`` a generator the stage owns
    (the consistency stage's span sampler).
    """

    stage: str
    epoch: int
    done: int
    step: int
    epoch_rng: tuple
    sums: dict = field(default_factory=dict)
    history: list = field(default_factory=list)
    kept: list = field(default_factory=list)
    extra_rng: tuple | None = None
    before: list = field(default_factory=list)  # history of the stages before this one


@dataclass
class Saved:
    """A checkpoint read back: the position and the states to load."""

    position: Position
    model: dict
    optimizer: dict
    scheduler: dict
    torch_rng: torch.Tensor
    cuda_rng: list
    numpy_rng: tuple
    python_rng: tuple


class Checkpoints:
    """Saves a run's state to ``<stem>.resume.safetensors`` every ``every`` seconds.

    ``identity``: what the state depends on (settings, data, fold); a saved
    state with another identity is refused with a message that names what differs.
    ``every``: seconds between saves (0: after every step); ``None`` never saves.
    """

    def __init__(self, stem: Path, identity: dict, every: float | None = 300) -> None:
        self.path = Path(f"{stem}{SUFFIX}")
        self.identity = identity
        self.every = every
        self.last = time.monotonic()
        self.total_steps = 0
        stop = os.environ.get(STOP_ENV)
        self.stop_after = int(stop) if stop else None

    def load(self) -> Saved | None:
        """The saved state, or ``None`` where there is none; refuses one of another run."""
        if self.every is None or not self.path.exists():
            return None
        from safetensors import SafetensorError, safe_open

        try:
            with safe_open(str(self.path), framework="pt") as f:
                meta = f.metadata() or {}
                tensors = {name: f.get_tensor(name) for name in f.keys()}
            state = json.loads(meta["state"])
            if meta.get("format") != FORMAT:
                raise ValueError(f"format {meta.get('format')!r}, expected {FORMAT}")
        except (OSError, KeyError, ValueError, SafetensorError) as err:
            raise InputError(
                f"{self.path}: cannot resume from it ({err}); delete it to start again"
            ) from None
        _check_identity(self.path, state["identity"], self.identity)
        state = _unpack(state["state"], tensors)
        self.total_steps = state["position"]["step"]
        return Saved(
            position=Position(**state["position"]),
            model=state["model"],
            optimizer=state["optimizer"],
            scheduler=state["scheduler"],
            torch_rng=state["torch_rng"],
            cuda_rng=state["cuda_rng"],
            numpy_rng=state["numpy_rng"],
            python_rng=state["python_rng"],
        )

    def due(self) -> bool:
        """Called after each optimizer step: whether to save now (honours the stop hook)."""
        self.total_steps += 1
        if self.stop_after is not None and self.total_steps >= self.stop_after:
            raise TrainingStopped(
                f"stopped after step {self.total_steps} ({STOP_ENV}); "
                "run the same command again to resume"
            )
        return self.every is not None and time.monotonic() - self.last >= self.every

    def save(self, state: dict) -> None:
        from safetensors.torch import save_file

        tensors: dict[str, torch.Tensor] = {}
        packed = _pack(state, tensors)
        meta = {
            "format": FORMAT,
            "state": json.dumps({"identity": self.identity, "state": packed}),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".partial")
        save_file(tensors, str(partial), metadata=meta)
        with open(partial, "rb") as f:
            os.fsync(f.fileno())
        os.replace(partial, self.path)
        self.last = time.monotonic()

    def finished(self) -> None:
        """The run is complete: its resume state is no longer needed."""
        self.path.unlink(missing_ok=True)


def identity(config, examples, **more) -> dict:
    """What a run's state depends on: its settings (less ``IGNORED``), its articles, ``more``."""
    from proplens.training.train import data_hash

    settings = {k: v for k, v in config.to_dict().items() if k not in IGNORED}
    return {"config": settings, "data": data_hash(examples), **more}


def snapshot(model, optimizer, scheduler, position: Position) -> dict:
    """Everything a resumed run needs, copied (the run goes on changing its own)."""
    return {
        "position": position.__dict__,
        "model": {k: v.detach().cpu().clone() for k, v in model.state_dict().items()},
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
        "torch_rng": torch.get_rng_state(),
        "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
        "numpy_rng": np.random.get_state(),
        "python_rng": random.getstate(),
    }


def restore(saved: Saved, model, optimizer, scheduler) -> None:
    """Load the saved weights, optimizer, schedule and global generators into the run."""
    model.load_state_dict(saved.model)
    optimizer.load_state_dict(saved.optimizer)
    scheduler.load_state_dict(saved.scheduler)
    restore_generators(saved)


def restore_generators(saved: Saved) -> None:
    torch.set_rng_state(saved.torch_rng)
    if saved.cuda_rng and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(saved.cuda_rng)
    np.random.set_state(saved.numpy_rng)
    random.setstate(saved.python_rng)


def _check_identity(path: Path, saved: dict, now: dict) -> None:
    differ = []
    for key in sorted(set(saved) | set(now)):
        if saved.get(key) == now.get(key):
            continue
        differ += _config_differences(saved, now) if key == "config" else [key]
    if differ:
        raise InputError(
            f"{path}: made by a run with other settings or data ({', '.join(differ)}); "
            "rerun the same command with the same config, or delete the file to start again"
        )


def _config_differences(saved: dict, now: dict) -> list[str]:
    a, b = saved.get("config", {}), now.get("config", {})
    return [f"config.{k}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]


# JSON with tensors set aside: dict keys keep their type (the optimizer's are ints),
# tuples stay tuples (the generators' states), numpy arrays come back as numpy.


def _pack(value, tensors: dict):
    if isinstance(value, torch.Tensor):
        name = f"t{len(tensors)}"
        tensors[name] = value.detach().cpu().contiguous()
        return {"$tensor": name}
    if isinstance(value, np.ndarray):
        name = f"t{len(tensors)}"
        wide = value.astype(np.int64) if value.dtype.kind == "u" else value  # torch lacks uint32
        tensors[name] = torch.from_numpy(np.ascontiguousarray(wide))
        return {"$numpy": name, "dtype": value.dtype.str}
    if isinstance(value, dict):
        return {"$dict": [[_pack(k, tensors), _pack(v, tensors)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {"$tuple": [_pack(v, tensors) for v in value]}
    if isinstance(value, list):
        return [_pack(v, tensors) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot save a {type(value).__name__} in a resume checkpoint")


def _unpack(value, tensors: dict):
    if isinstance(value, list):
        return [_unpack(v, tensors) for v in value]
    if isinstance(value, dict):
        if "$tensor" in value:
            return tensors[value["$tensor"]]
        if "$numpy" in value:
            return tensors[value["$numpy"]].numpy().astype(value["dtype"])
        if "$tuple" in value:
            return tuple(_unpack(v, tensors) for v in value["$tuple"])
        return {_unpack(k, tensors): _unpack(v, tensors) for k, v in value["$dict"]}
    return value
