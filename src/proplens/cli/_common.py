"""Pieces that several commands share: model and threshold options, atomic output."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from proplens.errors import InputError, ProplensError, install_hint


def add_model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", metavar="DIR", help="model folder (default: the shipped one)")
    parser.add_argument(
        "--threshold",
        type=float,
        metavar="T",
        help="keep spans whose calibrated score is at least T, in [0, 1] (default: the model's)",
    )


def add_max_bytes(parser: argparse.ArgumentParser, what: str = "article files") -> None:
    """``--max-bytes``: the size limit every command that reads articles enforces."""
    from proplens.article import DEFAULT_MAX_BYTES

    parser.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help=f"refuse {what} larger than N bytes (default {DEFAULT_MAX_BYTES:,})",
    )


def load_analyzer(args: argparse.Namespace):
    from proplens.analyzer import Analyzer

    return Analyzer.load(args.model, threshold=args.threshold)


@contextmanager
def output_stream(path: str | None) -> Iterator[TextIO]:
    """stdout, or a file written whole or not at all (temporary file, then rename)."""
    if path is None or path == "-":
        try:
            yield sys.stdout
            sys.stdout.flush()
        except BrokenPipeError:
            raise  # `| head`: not an error (main exits 0)
        except OSError as err:  # `> /dev/full`, a full disk under a redirect
            _discard_stdout()
            raise ProplensError(f"standard output: cannot write ({err.strerror or err})") from None
        return
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{target}: is a directory, expected a file for --output")
    if not target.parent.exists():
        raise InputError(f"{target.parent}: no such directory for --output")
    try:
        fd, tmp = _create_temporary(target)
    except OSError as err:
        raise ProplensError(f"{target}: cannot write ({err.strerror or err})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(tmp, target)
    except OSError as err:  # a full disk, a quota: one line naming the file, nothing half-written
        Path(tmp).unlink(missing_ok=True)
        raise ProplensError(
            f"{target}: cannot write ({err.strerror or err}); nothing was written"
        ) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush of what could not be
    written does not print a second error after ours."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real stdout (a test's capture): nothing to silence
        pass


def _create_temporary(target: Path) -> tuple[int, str]:
    """A new hidden file beside ``target`` with the user's normal permissions.

    ``tempfile.mkstemp`` would make it 0600 whatever the umask; the finished
    output should be like any file the user creates (0644 under umask 022).
    """
    while True:
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), str(tmp)
        except FileExistsError:
            continue


def require_extra(extra: str, command: str, modules: tuple[str, ...]) -> None:
    """Import each optional dependency now; a failure is one line naming the pip extra.

    The modules are really imported, not just looked up: a package that is
    installed but broken (say, one of its own dependencies was split off into a
    separate project upstream) must fail here, as one line, and not later as a
    traceback in the middle of a run.
    """
    import importlib

    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError as err:
            raise ProplensError(missing_extra_message(extra, command, name, err)) from None


def missing_extra_message(extra: str, command: str, module: str, err: ImportError) -> str:
    """``'proplens batch' needs the batch extra (trafilatura: ...): pip install ...``, one line."""
    if err.name == module:
        reason = f"{module} is missing"
    else:
        first_line = (str(err).strip().splitlines() or [type(err).__name__])[0]
        reason = f"{module} cannot be imported: {first_line}"
    install = install_hint(extra)
    return f"'proplens {command}' needs the {extra} extra ({reason}): {install}"
