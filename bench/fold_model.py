"""A model folder whose encoder and heads are one cross-validation fold's, the rest shipped.

    python bench/fold_model.py --cv /work/runs/cv --fold 0 --out /work/fold0-model
    python bench/fold_model.py --cv /work/runs/cv --fold 0 --out /tmp/fold0-7bit --weight-bits 7
    python bench/fold_model.py --cv runs/cv --fold 0 --out fold0-model --model my-model
    python bench/fold_model.py --cv runs/cv-L4 --fold 0 --out L4-fold0 --weight-bits 7 \
        --choose ../shared/data/ptc-train

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

``--choose DATA`` makes the choices instead of keeping ``--model``'s:
decoding, classifier, calibration and threshold are chosen on ``--cv``'s
out-of-fold predictions (all its finished folds) exactly as ``proplens export
--cv`` chooses them, and the card takes ``--cv``'s recipe and drops the
measurements of the ``--model`` it was copied from. Why: the choices need the
folds' token states, which live only in ``--cv``; made here, they can be kept
(``proplens artifacts pack-choices``) before the final model is trained, and
that model exported later with ``--choices-from`` (docs/model.md, "Long runs
across sessions").
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
    parser.add_argument(
        "--choose",
        type=Path,
        metavar="DATA",
        help="choose decoding, classifier, calibration and threshold on --cv (the training "
        "data folder) instead of keeping --model's",
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
    if args.choose is not None:
        _choose(args, card)
    card["runtime"]["quantization"] = quantization(args.weight_bits)
    card["runtime"]["weight_bits"] = args.weight_bits
    card["fold_model"] = {
        "cv": str(args.cv),
        "fold": args.fold,
        "encoder_and_heads": f"fold{args.fold}-avg",
        "shipped_parts": "tokenizer, classifier, lexical model, calibration, decoding, threshold",
        "parts_from": "shipped" if args.model is None else str(args.model),
    }
    if args.choose is not None:
        card["fold_model"]["shipped_parts"] = "tokenizer"
        card["fold_model"]["choices"] = f"chosen on {args.cv} (--choose)"
    (args.out / "card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    resign(args.out)
    print(
        f"{args.out}: fold {args.fold} encoder ({args.weight_bits}-bit weights, "
        f"{fused} attention blocks fused) and heads"
    )


MEASURED = (
    "confirmation",
    "speed",
    "neutrality",
    "neutrality_held_out",
    "neutrality_crossed_sides",
    "span_rescore",
    "retrained",
    "history",
)
"""Card entries about the ``--model`` copied from, not about this fold model's choices."""


def _choose(args, card: dict) -> None:
    """The choices made on ``args.cv`` (as ``proplens export --cv``), written into the model."""
    from proplens.errors import ProplensError
    from proplens.training import choices
    from proplens.training.export import choose_on_run

    if not (args.choose / "articles").is_dir():
        shutil.rmtree(args.out)
        sys.exit(f"--choose {args.choose}: no PTC-format data there (no articles/)")
    card["config"] = json.loads((args.cv / "folds.json").read_text(encoding="utf-8"))["config"]
    for key in MEASURED:
        card.pop(key, None)
    try:
        chosen = choose_on_run(
            card, args.cv, [args.choose], log=lambda m: print(m, file=sys.stderr)
        )
    except ProplensError as err:
        shutil.rmtree(args.out)
        sys.exit(str(err))
    files = choices.write(args.out, card, chosen)
    listed = json.loads((args.out / "manifest.json").read_text(encoding="utf-8"))["sha256"]
    missing = [name for name in files if name not in listed]
    if missing:  # a --model without a classifier (0.1.0): its manifest must list them now
        from proplens.training.export import write_manifest

        write_manifest(args.out, [*listed, *missing])


if __name__ == "__main__":
    main()
