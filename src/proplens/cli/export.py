"""``proplens export``: turn a training checkpoint into a shippable int8 ONNX model folder."""

from __future__ import annotations

import argparse
import json
import sys

from proplens.errors import ProplensError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export a checkpoint to the int8 ONNX model folder (needs [train])",
        description="Export the encoder of a 'proplens train' checkpoint to ONNX, quantize it "
        "to int8 (activations per token, weights per channel in 8 bits, or 7 with "
        "--weight-bits 7), and write heads, tokenizer, card and checksums. "
        "With --cv (a 'proplens train --folds' run of the same recipe, 2 or more folds "
        "finished) and --data, the decoding, the technique classifier, the calibration and "
        "the default score threshold are chosen on out-of-fold predictions, and the "
        "exported model is measured once on the confirmation split, so the card reports "
        "what ships. With --choices-from, those choices are taken from a folder where they "
        "were kept (artifacts/choices/<run>, or a model exported with --cv) instead: made "
        "on a run of the same recipe, they need not be made again.",
    )
    parser.add_argument("checkpoint", help="folder written by 'proplens train'")
    parser.add_argument("--output", required=True, help="model folder to write")
    parser.add_argument("--cv", help="cross-validation folder of the same recipe")
    parser.add_argument(
        "--choices-from",
        metavar="DIR",
        help="take decoding, classifier, calibration and threshold from this folder "
        "(artifacts/choices/<run>: 'proplens artifacts pack-choices') instead of --cv",
    )
    parser.add_argument(
        "--data", nargs="+", metavar="DIR", help="the training data folders (as for train)"
    )
    parser.add_argument(
        "--weight-bits",
        type=int,
        default=8,
        metavar="{8,7}",
        help="bits of the encoder's weights: 8 (default; onnxruntime's u8u8 kernel) or 7 "
        "(-63..63 from fp32; the faster u8s8 kernel, exact on every CPU)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from proplens.training.export import check_weight_bits

    try:
        import sklearn  # noqa: F401
        import torch  # noqa: F401

        from proplens.training.export import export
    except ImportError as err:
        raise ProplensError(
            f"export needs the [train] extra ({err.name} is missing): pip install -e '.[train]'"
        ) from None
    check_weight_bits(args.weight_bits)  # before the slow imports and any work
    manifest = export(
        args.checkpoint,
        args.output,
        args.cv,
        args.data,
        log=lambda m: print(m, file=sys.stderr),
        weight_bits=args.weight_bits,
        choices_from=args.choices_from,
    )
    print(json.dumps({"output": args.output, **manifest}, indent=2))
    return 0
