"""Export a training checkpoint to the shipped form: int8 ONNX encoder, heads, tokenizer, card.

The encoder is exported to ONNX and quantized to int8 with per-channel dynamic
quantization (per-tensor is too lossy for this model). ``manifest.json`` lists
the SHA-256 of every file; the runtime refuses a model whose files do not match.
Needs the ``[train]`` extra.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import numpy as np

from proplens.errors import InputError
from proplens.model.runtime import sha256

ENCODER_FILE = "encoder.int8.onnx"
SHIPPED_FILES = (ENCODER_FILE, "heads.npz", "tokenizer.json", "card.json")


def export_onnx(encoder_dir: Path, out_file: Path) -> None:
    """The fine-tuned encoder as an fp32 ONNX graph: ids and mask in, hidden states out."""
    import torch
    from transformers import AutoModel

    encoder = AutoModel.from_pretrained(
        encoder_dir, local_files_only=True, add_pooling_layer=False, dtype=torch.float32
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


def export(
    checkpoint: Path, out: Path, data_dir: Path | None = None, stride: int | None = None
) -> dict:
    """Write the shipped model folder from a ``proplens train`` checkpoint.

    With ``data_dir``, decoding and calibration are chosen again on the
    validation split with the int8 encoder itself, and the card reports the
    metrics of exactly what ships.
    """
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
        shutil.copyfile(checkpoint / name, out / name)
    card = json.loads((checkpoint / "card.json").read_text())
    card["version"] = time.strftime("%Y.%m.%d", time.gmtime())
    card["runtime"] = {
        "encoder": ENCODER_FILE,
        "quantization": "int8 dynamic, per-channel",
        "stride": stride or card["config"]["stride"],
    }
    (out / "card.json").write_text(json.dumps(card, indent=2) + "\n")
    manifest = write_manifest(out)
    if data_dir is not None:
        retune(out, Path(data_dir))
        manifest = write_manifest(out)
    return manifest


def retune(model_dir: Path, data_dir: Path) -> dict:
    """Choose decoding and calibration on validation with the exported runtime; update the card."""
    from proplens.model import validation
    from proplens.model.corpus import load_examples, validation_ids
    from proplens.model.runtime import Model

    model = Model.load(model_dir)
    examples = load_examples(data_dir)
    expected = set(model.card["training_data"]["validation_articles"])
    if validation_ids([e.id for e in examples]) != expected:
        raise InputError(
            f"{data_dir}: not the data this model was trained on (validation ids differ)"
        )
    val = [e for e in examples if e.id in expected]
    states = [model.states(e.text) for e in val]
    found = validation.measure(val, states, model.heads, full_grid=True)
    cal, table, summary = validation.calibrate(model.heads, val, states, found["decoding"])
    card = model.card
    card["default_threshold"], at_default = default_threshold(
        model, val, states, found["decoding"], cal
    )
    card["decoding"] = found["decoding"]
    card["calibration"] = cal.to_dict()
    card["validation"] = {
        "measured_with": "the exported int8 ONNX encoder (proplens export --data)",
        "si": {k: round(found[k], 4) for k in ("si_precision", "si_recall", "si_f1")},
        "tc_micro_f1": round(found["tc_micro_f1"], 4),
        "tc_per_technique": found["tc_per_technique"],
        "reliability": table,
        "calibration_summary": summary,
        "si_f1_at_default_threshold": round(at_default, 4),
        "during_training": card.get("validation", {}).get("si"),
    }
    (model_dir / "card.json").write_text(json.dumps(card, indent=2) + "\n")
    return card


def default_threshold(
    model, val, states, decoding: dict, cal, tolerance: float = 0.005
) -> tuple[float, float]:
    """The highest score threshold whose validation SI F1 stays within ``tolerance`` of the best.

    It drops the weakest spans for free: people reading the output see fewer
    doubtful fragments, and span identification loses (almost) nothing.
    """
    from proplens.model import predict, validation
    from proplens.model.decode import Decoding
    from proplens.techniques import NAMES

    scored = [
        predict.scored_spans(predict.candidates(st, model.heads, Decoding(**decoding)), cal, NAMES)
        for st in states
    ]
    gold = {e.id: [(s, end) for s, end, _ in e.spans] for e in val}
    results = []
    for cut in np.arange(0.0, 0.5, 0.05):
        pred = {
            e.id: [(s, end) for s, end, _, sc in spans if sc >= cut]
            for e, spans in zip(val, scored, strict=True)
        }
        results.append((round(float(cut), 2), validation.si_prf(gold, pred)[2]))
    best = max(f for _, f in results)
    return max((cut, f) for cut, f in results if f >= best - tolerance)


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
