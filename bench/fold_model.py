"""A model folder whose encoder and heads are one cross-validation fold's, the rest shipped.

    python bench/fold_model.py --cv /work/runs/cv --fold 0 --out /work/fold0-model
    python bench/fold_model.py --cv /work/runs/cv --fold 0 --out /tmp/fold0-7bit --weight-bits 7
    python bench/fold_model.py --cv runs/cv --fold 0 --out fold0-model --model my-model

Out-of-fold phrase scores need the fold model run as the shipped model runs:
the fold's fp32 encoder (``fold<F>-avg.encoder/``) goes through the same
export as ``proplens export`` (``export_onnx``, per-token int8 ``quantize``,
attention ``fusion``) and its heads (``fold<F>-avg.heads.npz``) replace the
shipped ones. Tokenizer, technique classifier, lexical model, calibration,
decoding and threshold stay those of ``--model`` (default: the shipped model;
give the model exported from the same cross-validation folder when it is not
the shipped one, so that its fold models read as it does); note that the classifier and
the lexical model were fitted on all training articles, the fold's held-out
ones included. The card's ``phrase_calibration`` is dropped (the phrase scores
are then the ones phrases are chosen by), the card says where the encoder came
from, and the manifest is signed again. Needs the ``[train]`` extra.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from proplens.pipeline.runtime import SHIPPED_DIR


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", type=Path, required=True, help="cross-validation folder")
    parser.add_argument("--fold", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True, help="new model folder (must not exist)")
    parser.add_argument(
        "--weight-bits",
        type=int,
        choices=(8, 7),
        default=8,
        help="the encoder's weights, as proplens export --weight-bits (default 8)",
    )
    parser.add_argument(
        "--model",
        type=Path,
        default=None,
        help="model folder whose other parts the fold model keeps (default: the shipped one)",
    )
    args = parser.parse_args()
    parts = SHIPPED_DIR if args.model is None else args.model
    if not (parts / "card.json").exists():
        sys.exit(f"--model {parts}: not a model folder (no card.json)")
    encoder_dir = args.cv / f"fold{args.fold}-avg.encoder"
    heads = args.cv / f"fold{args.fold}-avg.heads.npz"
    for needed in (args.cv / "folds.json", encoder_dir / "config.json", heads):
        if not needed.exists():
            sys.exit(f"{args.cv}: fold {args.fold} is not finished there (no {needed.name})")
    if args.out.exists():
        sys.exit(f"{args.out} exists: give a new folder")

    from proplens.training.export import ENCODER_FILE, export_onnx, quantization, resign
    from proplens.training.fusion import attention_heads, fuse_attention_file
    from proplens.training.quantize import quantize_per_token

    shutil.copytree(parts, args.out)
    fp32 = args.out / "encoder.fp32.onnx"
    export_onnx(encoder_dir, fp32)
    quantize_per_token(fp32, args.out / ENCODER_FILE, args.weight_bits)
    fp32.unlink()
    fused = fuse_attention_file(args.out / ENCODER_FILE, attention_heads(encoder_dir))
    shutil.copyfile(heads, args.out / "heads.npz")
    card = json.loads((args.out / "card.json").read_text(encoding="utf-8"))
    card["phrase_calibration"] = None
    card["runtime"]["quantization"] = quantization(args.weight_bits)
    card["runtime"]["weight_bits"] = args.weight_bits
    card["fold_model"] = {
        "cv": str(args.cv),
        "fold": args.fold,
        "encoder_and_heads": f"fold{args.fold}-avg",
        "shipped_parts": "tokenizer, classifier, lexical model, calibration, decoding, threshold",
        "parts_from": "shipped" if args.model is None else str(args.model),
    }
    (args.out / "card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    resign(args.out)
    print(
        f"{args.out}: fold {args.fold} encoder ({args.weight_bits}-bit weights, "
        f"{fused} attention blocks fused) and heads"
    )


if __name__ == "__main__":
    main()
