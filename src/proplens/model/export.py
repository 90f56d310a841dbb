"""Export a training checkpoint to the shipped form: int8 ONNX encoder, heads, tokenizer, card.

The encoder is exported to ONNX and quantized to int8 with per-channel dynamic
quantization (per-tensor is too lossy for this model). ``manifest.json`` lists
the SHA-256 of every file; the runtime refuses a model whose files do not match.
Needs the ``[train]`` extra.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np

from proplens.errors import InputError

ENCODER_FILE = "encoder.int8.onnx"
SHIPPED_FILES = (ENCODER_FILE, "heads.npz", "tokenizer.json", "card.json")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def export_onnx(encoder_dir: Path, out_file: Path) -> None:
    """The fine-tuned encoder as an fp32 ONNX graph: ids and mask in, hidden states out."""
    import torch
    from transformers import AutoModel

    encoder = AutoModel.from_pretrained(
        encoder_dir, local_files_only=True, add_pooling_layer=False, torch_dtype=torch.float32
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


def quantize(fp32_file: Path, int8_file: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32_file), str(int8_file), per_channel=True, weight_type=QuantType.QInt8)


def write_manifest(model_dir: Path) -> dict:
    files = {name: sha256(model_dir / name) for name in SHIPPED_FILES}
    manifest = {"format": "proplens-model/1", "sha256": files}
    (model_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def export(checkpoint: Path, out: Path) -> dict:
    """Write the shipped model folder from a ``proplens train`` checkpoint."""
    checkpoint, out = Path(checkpoint), Path(out)
    for needed in ("encoder", "heads.npz", "tokenizer.json", "card.json"):
        if not (checkpoint / needed).exists():
            raise InputError(f"{checkpoint}: not a training checkpoint ({needed} is missing)")
    out.mkdir(parents=True, exist_ok=True)
    fp32 = out / "encoder.fp32.onnx"
    export_onnx(checkpoint / "encoder", fp32)
    quantize(fp32, out / ENCODER_FILE)
    fp32.unlink()
    for name in ("heads.npz", "tokenizer.json"):
        shutil.copy(checkpoint / name, out / name)
    card = json.loads((checkpoint / "card.json").read_text())
    card["runtime"] = {"encoder": ENCODER_FILE, "quantization": "int8 dynamic, per-channel"}
    (out / "card.json").write_text(json.dumps(card, indent=2) + "\n")
    return write_manifest(out)


def max_difference(checkpoint: Path, model_dir: Path, texts: list[str]) -> float:
    """Largest gap between torch fp32 and ONNX int8 BIO probabilities on ``texts``."""
    import torch
    from transformers import AutoModel

    from proplens.model.heads import Heads
    from proplens.model.runtime import Model

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
