"""Pieces that several commands share: model and threshold options, atomic output."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from proplens.errors import InputError, ProplensError


def add_model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", metavar="DIR", help="model folder (default: the shipped one)")
    parser.add_argument(
        "--threshold",
        type=float,
        metavar="T",
        help="keep spans whose calibrated score is at least T, in [0, 1] (default: the model's)",
    )


def load_analyzer(args: argparse.Namespace):
    from proplens.analyzer import Analyzer

    return Analyzer.load(args.model, threshold=args.threshold)


@contextmanager
def output_stream(path: str | None) -> Iterator[TextIO]:
    """stdout, or a file written whole or not at all (temporary file, then rename)."""
    if path is None or path == "-":
        yield sys.stdout
        return
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{target}: is a directory, expected a file for --output")
    if not target.parent.exists():
        raise InputError(f"{target.parent}: no such directory for --output")
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def require_extra(extra: str, command: str, modules: tuple[str, ...]) -> None:
    """Fail with one line naming the pip extra when an optional dependency is missing."""
    import importlib.util

    for name in modules:
        if importlib.util.find_spec(name) is None:
            raise ProplensError(
                f"'proplens {command}' needs the {extra} extra ({name} is missing): "
                f"pip install 'proplens[{extra}]'"
            )
