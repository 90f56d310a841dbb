"""The ``proplens`` command line: one module per command, each with ``register``.

A command module defines ``register(subparsers)``, which adds its parser and
sets ``run`` (a function of the parsed arguments returning an exit code).
:func:`main` turns every :class:`~proplens.errors.ProplensError` into one line
on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from proplens.errors import ProplensError
from proplens.version import version_text

COMMANDS = (
    "analyze",
    "classify",
    "evaluate",
    "techniques",
    "train",
    "export",
    "serve",
    "batch",
    "report",
    "labelstudio",
    "sources",
    "compare",
    "extension",
    "distill",
    "artifacts",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="proplens",
        description="Find and explain propaganda techniques in news articles.",
    )
    parser.add_argument("--version", action="version", version=version_text())
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in COMMANDS:
        module = __import__(f"proplens.cli.{name}", fromlist=["register"])
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except ProplensError as err:
        print(f"proplens: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("proplens: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
