"""``proplens analyze``: not built yet (see the open issues)."""

from __future__ import annotations

import argparse

from proplens.errors import ProplensError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("analyze", help="(not available yet)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    raise ProplensError("'proplens analyze' is not available yet in this version")
