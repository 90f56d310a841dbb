"""``proplens artifacts``: keep a run's small results in the repository, and check them."""

from __future__ import annotations

import argparse
import json

from proplens.errors import ProplensError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "artifacts",
        help="keep a cross-validation run's out-of-fold predictions or choices in artifacts/, "
        "or check them",
        description="Training artefacts that later sessions need (out-of-fold predictions, "
        "fold heads, the choices made on them, teacher soft labels) live under artifacts/, "
        "each file at most 30 MB, each listed with its sha256 in its folder's manifest.json "
        "(docs/model.md, 'Long runs across sessions'). No article text is ever written there.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    pack = actions.add_parser(
        "pack-oof", help="BIO probabilities (fp16) and heads of a 'proplens train --folds' folder"
    )
    pack.add_argument("cv", help="the cross-validation folder")
    pack.add_argument("--output", required=True, help="e.g. artifacts/oof/<run name>")
    keep = actions.add_parser(
        "pack-choices",
        help="the decoding, classifier, calibration and threshold chosen on a cross-validation "
        "run (kept in a model folder), for 'proplens export --choices-from'",
    )
    keep.add_argument("model", help="a model folder whose choices were made with --cv")
    keep.add_argument("--output", required=True, help="e.g. artifacts/choices/<run name>")
    keep.add_argument(
        "--add", nargs="+", default=[], metavar="FILE", help="small files to keep with them"
    )
    check = actions.add_parser("verify", help="check the files a manifest lists (sha256, size)")
    check.add_argument("folders", nargs="+", help="artefact folders with a manifest.json")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        from proplens.training import artifacts
    except ImportError as err:  # numpy only; kept for symmetry with the other training commands
        raise ProplensError(f"{err.name} is missing") from None
    if args.action == "pack-oof":
        manifest = artifacts.pack_oof(args.cv, args.output)
        print(json.dumps({"output": args.output, "files": len(manifest["sha256"])}))
        return 0
    if args.action == "pack-choices":
        from proplens.training import choices

        manifest = choices.pack(args.model, args.output, args.add)
        print(json.dumps({"output": args.output, "files": len(manifest["sha256"])}))
        return 0
    for folder in args.folders:
        manifest = artifacts.verify(folder)
        listed = manifest.get("sha256") or manifest.get("pieces", {})
        print(json.dumps({"folder": folder, "files": len(listed), "ok": True}))
    return 0
