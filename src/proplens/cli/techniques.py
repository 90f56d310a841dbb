"""``proplens techniques``: list the 14 techniques with their definitions."""

from __future__ import annotations

import argparse
import json

from proplens.techniques import TECHNIQUES


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "techniques",
        help="list the propaganda techniques proplens detects",
        description="List the 14 SemEval-2020 techniques with definitions and examples.",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.json:
        rows = [t.__dict__ for t in TECHNIQUES]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for t in TECHNIQUES:
        print(f"{t.label}  [{t.name}]")
        print(f"  {t.definition}")
        print(f"  e.g. \u201c{t.example}\u201d")
        print()
    return 0
