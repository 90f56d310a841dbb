"""Export a training checkpoint to the shipped form: int8 ONNX encoder, heads, classifier, card.

The encoder is exported to ONNX with plain ("eager") attention: the SDPA export
guards every softmax with IsNaN/Where nodes that cost 15% of the time and
change nothing here. It is then quantized to int8 with activations scaled per
token (``quantize``): onnxruntime's dynamic quantization scales a whole window
at once, so one changed word re-rounds every other word of the window and
doubles the sentences whose techniques change under neutral word swaps
(docs/model.md, "Neutrality"). Each attention block then becomes one
``MultiHeadAttention`` node (``fusion``): same states, less time. With ``cv``,
the decoding, the technique classifier, the calibration and the default score
threshold are chosen on the cross-validation run's out-of-fold predictions
(``selection``) and the card carries their cross-validated estimates; with
``choices_from`` they are taken from a folder where a run's choices were kept
(``choices``) instead. With
``data``, the exported model itself is then measured once on the confirmation
split. ``weight_bits=7`` (``proplens export --weight-bits 7``) writes the
weights in 7 bits straight from fp32, for onnxruntime's faster u8s8 kernel;
the card's ``runtime`` says which (docs/model.md, "7-bit weights exported
from fp32"). ``manifest.json`` lists the SHA-256 of every file; the runtime refuses
a model whose files do not match. Needs the ``[train]`` extra.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import numpy as np

from proplens.errors import InputError
from proplens.pipeline.runtime import sha256
from proplens.training import choices
from proplens.training.fusion import attention_heads, fuse_attention_file
from proplens.training.quantize import WEIGHT_BITS, quantize_per_token

ENCODER_FILE = "encoder.int8.onnx"
BASE_FILES = (ENCODER_FILE, "heads.npz", "tokenizer.json", "card.json")


def export_onnx(encoder_dir: Path, out_file: Path) -> None:
    """The fine-tuned encoder as an fp32 ONNX graph: ids and mask in, hidden states out."""
    import torch
    from transformers import AutoModel

    encoder = AutoModel.from_pretrained(
        encoder_dir,
        local_files_only=True,
        add_pooling_layer=False,
        dtype=torch.float32,
        attn_implementation="eager",
    ).eval()

    class Wrapped(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask):
            return self.encoder(
                input_ids=input_ids, attention_mask=attention_mask
            ).last_hidden_state

    ids = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(
        Wrapped(),
        (ids, torch.ones_like(ids)),
        str(out_file),
        input_names=["input_ids", "attention_mask"],
        output_names=["hidden"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "length"},
            "attention_mask": {0: "batch", 1: "length"},
            "hidden": {0: "batch", 1: "length"},
        },
        opset_version=17,
        dynamo=False,
    )


QUANTIZATION = "int8, activations per token, weights per channel stored as uint8 around 128"
QUANTIZATION_7 = "int8, activations per token, 7-bit weights (-63..63) per channel stored as int8"


def quantization(weight_bits: int) -> str:
    """The card's ``runtime.quantization`` for weights of ``weight_bits`` (8 or 7)."""
    return QUANTIZATION if weight_bits == 8 else QUANTIZATION_7


def check_weight_bits(weight_bits) -> int:
    """``weight_bits`` if export can write it (8 or 7), else a clear ``InputError``."""
    if isinstance(weight_bits, bool) or weight_bits not in WEIGHT_BITS:
        raise InputError(
            f"--weight-bits must be 8 (the default: u8u8 kernel) or 7 (-63..63: u8s8 "
            f"kernel, exact on every CPU), not {weight_bits!r}"
        )
    return weight_bits


def write_manifest(model_dir: Path, files: list[str]) -> dict:
    hashes = {name: sha256(model_dir / name) for name in files}
    manifest = {"format": "proplens-model/2", "encoder": ENCODER_FILE, "sha256": hashes}
    (model_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def export(
    checkpoint: Path,
    out: Path,
    cv: Path | None = None,
    data: list[Path] | None = None,
    log=print,
    weight_bits: int = 8,
    choices_from: Path | None = None,
) -> dict:
    """Write the shipped model folder from a ``proplens train`` checkpoint.

    ``choices_from``: instead of choosing on ``cv``, take the choices kept in
    that folder (``choices``), made on a run of the same recipe.
    """
    from proplens.training.config import TrainConfig
    from proplens.training.train import window_plan

    check_weight_bits(weight_bits)
    checkpoint, out = Path(checkpoint), Path(out)
    for needed in ("encoder", "heads.npz", "tokenizer.json", "card.json"):
        if not (checkpoint / needed).exists():
            raise InputError(f"{checkpoint}: not a training checkpoint ({needed} is missing)")
    card = json.loads((checkpoint / "card.json").read_text())
    config = TrainConfig(**card["config"])
    if cv is not None and choices_from is not None:
        raise InputError("give --cv or --choices-from, not both")
    if choices_from is not None:  # refused before the slow work, like other settings
        choices.check(choices_from, card)
    chosen = choose_on_run(card, Path(cv), data, log) if cv is not None else None
    out.mkdir(parents=True, exist_ok=True)
    fp32 = out / "encoder.fp32.onnx"
    export_onnx(checkpoint / "encoder", fp32)
    quantize_per_token(fp32, out / ENCODER_FILE, weight_bits)
    fp32.unlink()
    fused = fuse_attention_file(out / ENCODER_FILE, attention_heads(checkpoint / "encoder"))
    log(f"attention: {fused} blocks fused into MultiHeadAttention")
    for name in ("heads.npz", "tokenizer.json"):
        shutil.copyfile(checkpoint / name, out / name)
    plan = window_plan(config)
    card["version"] = time.strftime("%Y.%m.%d", time.gmtime())
    card["runtime"] = {
        "encoder": ENCODER_FILE,
        "quantization": quantization(weight_bits),
        "weight_bits": weight_bits,
        "windows": {
            "mode": plan.mode,
            "stride": plan.stride,
            "per_call": plan.per_call,
            "symmetric": plan.symmetric,
            "naming": plan.naming,
        },
    }
    files = list(BASE_FILES)
    card["decoding"], card["calibration"], card["default_threshold"] = {}, {}, 0.0
    if chosen is not None:
        files += choices.write(out, card, chosen)
    elif choices_from is not None:
        files += choices.copy(choices_from, out, card)
    _write_card(out, card)
    manifest = write_manifest(out, files)
    if data:
        card["confirmation"] = confirm(out, data)
        _write_card(out, card)
        manifest = write_manifest(out, files)
    return manifest


def choose_on_run(card: dict, cv: Path, data: list[Path] | None, log=print):
    """Choose the cheap parts on the cross-validation run made with ``card``'s recipe."""
    from proplens.training import crossval, selection
    from proplens.training.corpus import load_training_data

    folds_file = cv / "folds.json"
    if not folds_file.exists():
        raise InputError(f"{cv}: not a cross-validation folder (no folds.json)")
    # both with defaults filled in: a key newer than the run means its default behaviour
    differ = choices.differing_settings(
        json.loads(folds_file.read_text())["config"], card["config"]
    )
    if differ:
        raise InputError(f"{cv}: cross-validated with other settings ({', '.join(differ)})")
    if not data:
        raise InputError("choosing on a cross-validation run needs --data (the training articles)")
    train, _ = load_training_data(data)
    variant = "avg" if card["config"]["average_last"] > 1 else f"e{card['config']['epochs']}"
    k = json.loads(folds_file.read_text())["k"]
    done = crossval.finished(cv, variant)
    if len(done) < 2:
        raise InputError(f"{cv}: fewer than 2 folds are finished (rerun it to resume)")
    if len(done) < k:  # choices are cross-fitted over the folds there are; the card says which
        log(f"choosing on folds {', '.join(map(str, done))} of {k}")
    return selection.choose(cv, variant, train, log=log)


def _write_card(out: Path, card: dict) -> None:
    (out / "card.json").write_text(json.dumps(card, indent=2) + "\n")


def record(model_dir: Path, key: str, value: dict) -> None:
    """Put a measurement of the exported model (speed, neutrality) in its card, re-sign it.

    The benches that measure a model after export call this with ``--card``, so
    that the card carries the figures docs/quality.md quotes. Needs no extra.
    """
    model_dir = Path(model_dir)
    card = json.loads((model_dir / "card.json").read_text(encoding="utf-8"))
    card[key] = value
    _write_card(model_dir, card)
    resign(model_dir)


def resign(model_dir: Path) -> dict:
    """Write ``manifest.json`` again for the files it already lists, after one changed."""
    model_dir = Path(model_dir)
    manifest = json.loads((model_dir / "manifest.json").read_text(encoding="utf-8"))
    return write_manifest(model_dir, list(manifest["sha256"]))


def confirm(model_dir: Path, data: list[Path], resamples: int = 2000) -> dict:
    """The exported model measured on the confirmation split, with bootstrap intervals."""
    from proplens.pipeline.runtime import Model
    from proplens.training.corpus import load_training_data
    from proplens.training.evaluation import measure

    _, confirmation = load_training_data(data)
    model = Model.load(model_dir)
    expected = set(model.card["training_data"]["confirmation_articles"])
    if {e.id for e in confirmation} != expected:
        raise InputError(f"{data[0]}: not the data this model was trained on")
    return measure(model, confirmation, resamples)


def max_difference(checkpoint: Path, model_dir: Path, texts: list[str]) -> float:
    """Largest gap between torch fp32 and ONNX int8 BIO probabilities on ``texts``."""
    import torch
    from transformers import AutoModel

    from proplens.pipeline.heads import Heads
    from proplens.pipeline.runtime import Model

    model = Model.load(model_dir)
    heads = Heads.load(Path(checkpoint) / "heads.npz")
    encoder = AutoModel.from_pretrained(
        Path(checkpoint) / "encoder", add_pooling_layer=False
    ).eval()
    worst = 0.0
    for text in texts:
        ids = model.pieces.tokenize(text).ids[:254]
        row = np.concatenate([[model.pieces.cls_id], ids, [model.pieces.sep_id]])[None, :]
        mask = np.ones_like(row)
        with torch.no_grad():
            ref = encoder(input_ids=torch.from_numpy(row), attention_mask=torch.from_numpy(mask))
        a = heads.bio_probs(ref.last_hidden_state.numpy())
        b = heads.bio_probs(model.encode(row, mask))
        worst = max(worst, float(np.abs(a - b).max()))
    return worst
