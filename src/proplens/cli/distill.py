"""``proplens distill``: a trained teacher's soft labels for the student (needs ``[train]``)."""

from __future__ import annotations

import argparse
import json

from proplens.errors import ProplensError, install_hint


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "distill",
        help="write a trained teacher's soft labels (pip install -e '.[train]')",
        description="Run a teacher (a 'proplens train' checkpoint, e.g. trained with --encoder "
        "mpnet) over the training articles and unlabeled ones and write, per article, its "
        "probabilities on the student's word pieces: no text, fp16, in pieces with a manifest. "
        "Run again, it goes on where it stopped. Train the student with the folder as the "
        "config's distill_labels (docs/model.md, 'Long runs across sessions').",
    )
    parser.add_argument("--teacher", required=True, metavar="DIR", help="teacher checkpoint")
    parser.add_argument(
        "--data",
        nargs="+",
        action="extend",
        default=[],
        metavar="DIR",
        help="PTC-layout folder(s): soft labels for their training articles (not the "
        "confirmation split), with the gold spans' technique distributions",
    )
    parser.add_argument(
        "--unlabeled",
        nargs="+",
        action="extend",
        default=[],
        metavar="DIR",
        help="folders of .txt articles (e.g. ../shared/data/news-unlabeled, "
        "../shared/data/polnear/train/text)",
    )
    parser.add_argument("--output", required=True, help="soft-label folder (artifacts/...)")
    parser.add_argument(
        "--student-encoder",
        default="minilm",
        help="the student's encoder, whose word pieces the labels are put on (default minilm)",
    )
    parser.add_argument("--device", default="auto", help="cpu, cuda or auto")
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        from proplens.training.corpus import load_training_data
        from proplens.training.distill import read_unlabeled, write_soft_labels
        from proplens.training.progress import TrainLog
        from proplens.training.train import encoder_path
    except ImportError as err:
        raise ProplensError(
            f"distillation needs the [train] extra ({err.name} is missing): {install_hint('train')}"
        ) from None
    if not args.data and not args.unlabeled:
        raise ProplensError("nothing to label: give --data and/or --unlabeled")
    labeled = load_training_data(args.data)[0] if args.data else []
    unlabeled = read_unlabeled(args.unlabeled)
    manifest = write_soft_labels(
        args.teacher,
        labeled,
        unlabeled,
        args.output,
        encoder_path(args.student_encoder) / "tokenizer.json",
        TrainLog(quiet=args.quiet),
        device=args.device,
    )
    articles = sum(len(p["articles"]) for p in manifest["pieces"].values())
    print(json.dumps({"output": args.output, "articles": articles}))
    return 0
