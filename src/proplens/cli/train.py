"""``proplens train``: fine-tune the detector on PTC-format data (needs the ``[train]`` extra)."""

from __future__ import annotations

import argparse
import json

from proplens.errors import ProplensError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train",
        help="train a detector on PTC-format data (pip install 'proplens[train]')",
        description="Fine-tune the encoder with the span and technique heads. The validation "
        "split (56 whole articles, seed 2020) is held out and used to choose the epoch, the "
        "decoding settings and the score calibration. Then run 'proplens export'.",
    )
    parser.add_argument(
        "--data",
        required=True,
        nargs="+",
        action="extend",
        metavar="DIR",
        help="PTC-layout folder(s) with articles/ and labels-tc/: the corpus first, then "
        "e.g. corrections from 'proplens labelstudio import' (validation comes from the "
        "first; a later folder's article replaces one with the same id)",
    )
    parser.add_argument("--output", required=True, help="checkpoint folder to write")
    parser.add_argument("--config", help="JSON file of TrainConfig settings")
    parser.add_argument("--epochs", type=int, help="override the config's epochs")
    parser.add_argument("--seed", type=int, help="override the config's seed")
    parser.add_argument("--device", help="cpu, cuda or auto (default: the config's)")
    parser.add_argument("--max-steps", type=int, help="stop after this many steps (smoke tests)")
    parser.add_argument("--max-layers", type=int, help="keep only this many encoder layers")
    parser.add_argument("--encoder", help="local encoder folder (default: the MiniLM package)")
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        from proplens.model.config import TrainConfig
        from proplens.model.progress import TrainLog
        from proplens.model.train import train
    except ImportError as err:
        raise ProplensError(
            f"training needs the [train] extra ({err.name} is missing): "
            "pip install 'proplens[train]'"
        ) from None
    config = TrainConfig.from_file(
        args.config,
        epochs=args.epochs,
        seed=args.seed,
        device=args.device,
        max_steps=args.max_steps,
        max_layers=args.max_layers,
        encoder=args.encoder,
    )
    card = train(config, args.data, args.output, TrainLog(quiet=args.quiet))
    print(
        json.dumps(
            {
                "output": args.output,
                "validation": {
                    "si": card["validation"]["si"],
                    "tc_micro_f1": card["validation"]["tc_micro_f1"],
                },
            },
            indent=2,
        )
    )
    return 0
