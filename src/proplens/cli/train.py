"""``proplens train``: fine-tune the detector on PTC-format data (needs the ``[train]`` extra)."""

from __future__ import annotations

import argparse
import json

from proplens.errors import ProplensError, install_hint


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train",
        help="train a detector on PTC-format data (pip install -e '.[train]')",
        description="Fine-tune the encoder with the span and technique heads on every article "
        "except the confirmation split (56 whole articles of the first data folder, seed 2020). "
        "With --folds K, train K cross-validation models instead and write their out-of-fold "
        "predictions, from which 'proplens export --cv' chooses decoding, technique classifier "
        "and calibration. Then run 'proplens export'.",
    )
    parser.add_argument(
        "--data",
        required=True,
        nargs="+",
        action="extend",
        metavar="DIR",
        help="PTC-layout folder(s) with articles/ and TC labels: the corpus first, then e.g. "
        "corrections from 'proplens labelstudio import' (the confirmation split comes from the "
        "first; a later folder's article replaces one with the same id)",
    )
    parser.add_argument("--output", required=True, help="checkpoint (or cross-validation) folder")
    parser.add_argument("--config", help="JSON file of TrainConfig settings")
    parser.add_argument("--folds", type=int, help="cross-validate with this many folds")
    parser.add_argument(
        "--fold", type=int, help="with --folds: train this fold only (the others can follow later)"
    )
    parser.add_argument(
        "--init",
        metavar="DIR",
        help="start from the weights of a 'proplens train' checkpoint (with --folds: of a "
        "cross-validation folder, each fold from its own model) instead of the pretrained "
        "encoder; with --epochs 0 only the consistency stage runs",
    )
    parser.add_argument("--epochs", type=int, help="override the config's epochs")
    parser.add_argument("--seed", type=int, help="override the config's seed")
    parser.add_argument("--device", help="cpu, cuda or auto (default: the config's)")
    parser.add_argument("--max-steps", type=int, help="stop after this many steps (smoke tests)")
    parser.add_argument("--max-layers", type=int, help="keep only this many encoder layers")
    parser.add_argument("--encoder", help="local encoder folder (default: the MiniLM package)")
    parser.add_argument(
        "--checkpoint-every",
        type=float,
        default=300,
        metavar="SECONDS",
        help="save the run's state into --output this often (default 300; 0: after every step); "
        "the same command, run again, continues an interrupted run and skips finished folds",
    )
    parser.add_argument(
        "--no-checkpoints", action="store_true", help="never save or resume a run's state"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        from proplens.training import crossval
        from proplens.training.config import TrainConfig
        from proplens.training.progress import TrainLog
        from proplens.training.train import train
    except ImportError as err:
        raise ProplensError(
            f"training needs the [train] extra ({err.name} is missing): {install_hint('train')}"
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
    if config.epochs < 0 or config.consistency_epochs < 0:
        raise ProplensError("epochs cannot be negative")
    if config.epochs == 0 and (args.init is None or not config.consistency_epochs):
        raise ProplensError(
            "nothing to train: --epochs 0 needs --init and a config with consistency_epochs"
        )
    if args.checkpoint_every < 0:
        raise ProplensError(f"--checkpoint-every cannot be negative, got {args.checkpoint_every}")
    every = None if args.no_checkpoints else args.checkpoint_every
    log = TrainLog(quiet=args.quiet)
    if args.folds is not None:
        if args.folds < 2:
            raise ProplensError(f"--folds must be at least 2, got {args.folds}")
        if args.fold is not None and not 0 <= args.fold < args.folds:
            raise ProplensError(f"--fold must be between 0 and {args.folds - 1}, got {args.fold}")
        record = tuple(range(max(1, config.epochs - config.average_last + 1), config.epochs + 1))
        crossval.run(
            config,
            args.data,
            args.output,
            log,
            k=args.folds,
            record=record,
            only=args.fold,
            init=args.init,
            checkpoint_every=every,
        )
        print(json.dumps({"output": args.output, "folds": args.folds}))
        return 0
    card = train(config, args.data, args.output, log, init=args.init, checkpoint_every=every)
    print(json.dumps({"output": args.output, "trained_on": card["training_data"]["trained_on"]}))
    return 0
