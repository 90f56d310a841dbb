"""Cross-validation over whole training articles: out-of-fold predictions for every choice.

A training recipe (a ``TrainConfig``) is trained once per fold on the other
folds' articles; after chosen epochs (and for the weight-averaged model) it
predicts the articles of its own fold, which it never saw. Those out-of-fold
predictions (token states and BIO probabilities, plus the fold's heads) are
stored, so the cheap parts of the detector (decoding, the technique
classifier, calibration, thresholds) can be chosen and measured on all
training articles without training again (``selection``), and every figure
gets an interval (``bootstrap``).

Files in the output folder: ``folds.json`` (the assignment and the config),
``fold<F>-<variant>.npz`` (states, BIO probabilities, offsets per article of
fold F) and ``fold<F>-<variant>.heads.npz``; ``fold<F>-avg.encoder/`` keeps the fold's
final encoder, to predict again with other inference settings. Variants are ``e<N>`` (after
epoch N) and ``avg`` (the weights averaged over the last epochs). A fold whose
``fold<F>-avg.npz`` exists (written last, whole) is not trained again, and a fold
interrupted midway continues from its ``fold<F>.resume.safetensors`` (``resume``),
so the same command, run again, resumes where it stopped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from proplens.errors import InputError
from proplens.pipeline import predict
from proplens.pipeline.heads import Heads
from proplens.pipeline.windowing import Tokens, WordPieces
from proplens.training.config import TrainConfig
from proplens.training.corpus import FOLDS, Example, fold_of, load_training_data


@dataclass
class OutOfFold:
    """One article's out-of-fold prediction: its fold, states and BIO probabilities."""

    example: Example
    fold: int
    states: predict.ArticleStates


def run(
    config: TrainConfig,
    data_dirs: list[str | Path],
    output: str | Path,
    log,
    k: int = FOLDS,
    record: tuple[int, ...] = (4, 5, 6),
    only: int | None = None,
    init: str | Path | None = None,
    checkpoint_every: float | None = 300,
) -> Path:
    """Train ``k`` fold models of ``config`` (or fold ``only``); write out-of-fold predictions.

    ``init``: an earlier cross-validation folder with the same folds; each fold
    model starts from that folder's model of the same fold. ``checkpoint_every``:
    seconds between saves of a fold's training state (``None``: never).
    """
    from proplens.training.resume import IGNORED, Checkpoints, identity
    from proplens.training.train import (
        Init,
        encoder_path,
        fit,
        pick_device,
        started_from,
        window_plan,
    )

    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    train_ex, _ = load_training_data(data_dirs)
    if len(train_ex) < 2 * k:
        raise InputError(f"{len(train_ex)} training articles are too few for {k} folds")
    folds = fold_of([e.id for e in train_ex], k)
    assignment = {"k": k, "folds": folds, "config": config.to_dict()}
    if init is not None:
        assignment["init"] = started_from(Path(init) / "folds.json", init)
        if json.loads((Path(init) / "folds.json").read_text())["folds"] != folds:
            raise InputError(f"{init}: its folds differ from these ({k} folds of these articles)")
    _check_same_run(output / "folds.json", assignment, IGNORED)
    (output / "folds.json").write_text(json.dumps(assignment, indent=1) + "\n")
    device = pick_device(config.device)
    pieces = WordPieces(encoder_path(config.encoder) / "tokenizer.json")
    plan = window_plan(config)
    for fold in range(k) if only is None else [only]:
        if (output / f"fold{fold}-avg.npz").exists():
            log.info(f"fold {fold}: done already")
            continue
        train = [e for e in train_ex if folds[e.id] != fold]
        held = [e for e in train_ex if folds[e.id] == fold]
        log.info(f"fold {fold}: training on {len(train)} articles, predicting {len(held)}")

        recorder = _Recorder(output / f"fold{fold}", held, pieces, plan, device, config, record)
        start = None if init is None else Init.fold(init, fold)
        what = identity(config, train, fold=fold, k=k, init=None if init is None else str(init))
        checkpoints = (
            None
            if checkpoint_every is None
            else Checkpoints(output / f"fold{fold}", what, checkpoint_every)
        )
        model, _ = fit(
            config,
            train,
            pieces,
            device,
            log,
            on_epoch=recorder.on_epoch,
            init=start,
            checkpoints=checkpoints,
        )
        model.encoder.save_pretrained(output / f"fold{fold}-avg.encoder", safe_serialization=True)
        recorder.save("avg", model)  # last: its .npz says that the fold is finished
        if checkpoints is not None:
            checkpoints.finished()
    return output


def _check_same_run(folds_file: Path, assignment: dict, ignored) -> None:
    """Refuse to go on in a folder whose folds or settings are another run's."""
    if not folds_file.exists():
        return
    try:
        before = json.loads(folds_file.read_text())
        same_folds = before["k"] == assignment["k"] and before["folds"] == assignment["folds"]
        was = TrainConfig(**before["config"]).to_dict()
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as err:
        raise InputError(f"{folds_file}: cannot read it ({err})") from None
    now = assignment["config"]
    differ = sorted(k for k in now if k not in ignored and was.get(k) != now[k])
    if not same_folds:
        differ.insert(0, "folds")
    if differ:
        raise InputError(
            f"{folds_file.parent}: made by a run with other settings ({', '.join(differ)}); "
            "choose another --output, or rerun with the config that made it"
        )


READING = ("symmetric", "naming")  # inference-only settings that repredict may change


def repredict(folder: str | Path, data_dirs: list[str | Path], config: TrainConfig, log) -> None:
    """Predict each fold's articles again with its saved ``avg`` encoder under ``config``'s plan.

    For inference settings that need no training (``symmetric``, ``naming``): the
    ``avg`` predictions are rewritten as if the run had been made with
    ``config``, and ``folds.json`` records it; the old ones are kept as
    ``fold<F>-avg-before.npz``.
    """
    from types import SimpleNamespace

    from proplens.training.network import load_encoder
    from proplens.training.train import encoder_path, pick_device, torch_encoder, window_plan

    folder = Path(folder)
    assignment = json.loads((folder / "folds.json").read_text())
    trained = TrainConfig(**assignment["config"]).to_dict()
    differ = [k for k, v in config.to_dict().items() if k not in READING and trained.get(k) != v]
    if differ:
        raise InputError(f"{folder}: trained with other settings ({', '.join(sorted(differ))})")
    train_ex, _ = load_training_data(data_dirs)
    device = pick_device(config.device)
    pieces = WordPieces(encoder_path(config.encoder) / "tokenizer.json")
    plan = window_plan(config)
    for fold in finished(folder, "avg"):
        held = [e for e in train_ex if assignment["folds"][e.id] == fold]
        log.info(f"fold {fold}: predicting {len(held)} articles again")
        encoder, _ = load_encoder(str(folder / f"fold{fold}-avg.encoder"))
        encoder = encoder.to(device).eval()
        heads = Heads.load(folder / f"fold{fold}-avg.heads.npz")
        model = SimpleNamespace(  # the encoder half of a Detector, as the recorder reads it
            encode=lambda ids, mask, e=encoder: (
                e(input_ids=ids, attention_mask=mask).last_hidden_state
            )
        )
        encode = torch_encoder(model, device, config.bf16)
        states = [predict.encode_article(encode, pieces, heads, e.text, plan) for e in held]
        stem = folder / f"fold{fold}-avg"
        Path(f"{stem}.npz").rename(f"{stem}-before.npz")
        write(stem, held, states, heads)
    assignment["config"] = config.to_dict()
    (folder / "folds.json").write_text(json.dumps(assignment, indent=1) + "\n")


class _Recorder:
    """Writes a fold model's predictions on its held-out articles after chosen epochs."""

    def __init__(self, stem, held, pieces, plan, device, config, record) -> None:
        self.stem, self.held, self.pieces, self.plan = stem, held, pieces, plan
        self.device, self.config, self.record = device, config, record

    def on_epoch(self, epoch: int, model) -> None:
        if epoch in self.record:
            self.save(f"e{epoch}", model)

    def save(self, variant: str, model) -> None:
        import torch

        from proplens.training.train import heads_from_torch, torch_encoder

        heads = heads_from_torch(model)
        encode = torch_encoder(model, self.device, self.config.bf16)
        with torch.no_grad():
            states = [
                predict.encode_article(encode, self.pieces, heads, e.text, self.plan)
                for e in self.held
            ]
        write(Path(f"{self.stem}-{variant}"), self.held, states, heads)


def write(stem: Path, examples: list[Example], states: list[predict.ArticleStates], heads) -> None:
    """One fold's predictions: concatenated per-token arrays, split by ``n_tokens``.

    The heads first, then the arrays, whole (a temporary file renamed): a fold's
    ``.npz`` is there only once everything of it is.
    """
    heads.save(Path(f"{stem}.heads.npz"))
    partial = Path(f"{stem}.partial.npz")
    np.savez(
        partial,
        ids=np.array([e.id for e in examples]),
        n_tokens=np.array([len(s.tokens) for s in states], dtype=np.int64),
        token_ids=_cat([s.tokens.ids for s in states], np.int32, 1),
        offsets=_cat([s.tokens.offsets for s in states], np.int32, 2),
        states=_cat([s.states for s in states], np.float16, heads.w["si_w"].shape[1]),
        bio=_cat([s.bio for s in states], np.float32, 3),
    )
    partial.replace(f"{stem}.npz")


def _cat(arrays: list[np.ndarray], dtype, width: int) -> np.ndarray:
    shape = (0,) if width == 1 else (0, width)
    parts = [np.asarray(a, dtype=dtype).reshape((-1,) + shape[1:]) for a in arrays]
    return np.concatenate(parts) if parts else np.zeros(shape, dtype=dtype)


def finished(folder: str | Path, variant: str) -> list[int]:
    """The folds whose predictions of ``variant`` are written (a run may be partial)."""
    folder = Path(folder)
    k = json.loads((folder / "folds.json").read_text())["k"]
    return [f for f in range(k) if (folder / f"fold{f}-{variant}.npz").exists()]


def load(folder: str | Path, variant: str, examples: list[Example]) -> list[OutOfFold]:
    """The out-of-fold predictions of ``variant`` of every finished fold, matched by id."""
    folder = Path(folder)
    by_id = {e.id: e for e in examples}
    found = []
    for fold in finished(folder, variant):
        stem = folder / f"fold{fold}-{variant}"
        with np.load(f"{stem}.npz", allow_pickle=False) as data:
            bounds = np.concatenate([[0], np.cumsum(data["n_tokens"])])
            for i, article in enumerate(data["ids"]):
                a, b = bounds[i], bounds[i + 1]
                example = by_id[str(article)]
                tokens = Tokens(data["token_ids"][a:b].astype(np.int64), data["offsets"][a:b])
                states = data["states"][a:b].astype(np.float32)
                found.append(
                    OutOfFold(
                        example,
                        fold,
                        predict.ArticleStates(example.text, tokens, states, data["bio"][a:b]),
                    )
                )
    return found


def fold_heads(folder: str | Path, variant: str) -> dict[int, Heads]:
    """The heads of each finished fold model of ``variant``."""
    folder = Path(folder)
    return {
        f: Heads.load(folder / f"fold{f}-{variant}.heads.npz") for f in finished(folder, variant)
    }
