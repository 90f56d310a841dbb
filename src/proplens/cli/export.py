"""``proplens export``: turn a training checkpoint into a shippable int8 ONNX model folder."""

from __future__ import annotations

import argparse
import json

from proplens.errors import ProplensError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export a checkpoint to the int8 ONNX model folder (needs [train])",
        description="Export the encoder of a 'proplens train' checkpoint to ONNX, quantize it "
        "to int8 (dynamic, per-channel), and write heads, tokenizer, card and checksums. "
        "With --data, decoding and calibration are chosen again on the validation split "
        "with the int8 model itself, so the card reports what ships.",
    )
    parser.add_argument("checkpoint", help="folder written by 'proplens train'")
    parser.add_argument("--output", required=True, help="model folder to write")
    parser.add_argument("--data", help="PTC-format training data, to retune on validation")
    parser.add_argument("--stride", type=int, help="tokens between window starts at inference")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        from proplens.model.export import export
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ProplensError(f"export needs the [train] extra ({err.name} is missing)") from None
    try:
        import torch  # noqa: F401
    except ImportError:
        raise ProplensError(
            "export needs the [train] extra: pip install 'proplens[train]'"
        ) from None
    manifest = export(args.checkpoint, args.output, args.data, args.stride)
    print(json.dumps({"output": args.output, **manifest}, indent=2))
    return 0
