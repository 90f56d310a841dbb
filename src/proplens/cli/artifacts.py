"""``proplens artifacts``: keep a run's small results in the repository, and check them."""

from __future__ import annotations

import argparse
import json

from proplens.errors import ProplensError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "artifacts",
        help="pack a cross-validation run's out-of-fold predictions for artifacts/, or check them",
        description="Training artefacts that later sessions need (out-of-fold predictions, "
        "fold heads, teacher soft labels) live under artifacts/, each file at most 30 MB, each "
        "listed with its sha256 in its folder's manifest.json (docs/model.md, 'Long runs "
        "across sessions'). No article text is ever written there.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    pack = actions.add_parser(
        "pack-oof", help="BIO probabilities (fp16) and heads of a 'proplens train --folds' folder"
    )
    pack.add_argument("cv", help="the cross-validation folder")
    pack.add_argument("--output", required=True, help="e.g. artifacts/oof/<run name>")
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
    for folder in args.folders:
        manifest = artifacts.verify(folder)
        listed = manifest.get("sha256") or manifest.get("pieces", {})
        print(json.dumps({"folder": folder, "files": len(listed), "ok": True}))
    return 0
