"""``proplens report``: a standalone HTML report on a ``proplens batch`` table."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from proplens.cli._common import require_extra
from proplens.errors import InputError, ProplensError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write an HTML report on a batch output table",
        description="Write a standalone HTML report (techniques and propaganda density per "
        "outlet and over time, frequent flagged phrases, the densest articles with their "
        "spans highlighted) on the output of 'proplens batch' (.parquet or .jsonl).",
    )
    parser.add_argument("table", metavar="TABLE", help="output of 'proplens batch'")
    parser.add_argument("--html", required=True, metavar="FILE", help="report file to write")
    parser.add_argument(
        "--top",
        type=int,
        default=20,
        metavar="N",
        help="densest articles to list and render (default 20)",
    )
    parser.add_argument(
        "--phrases",
        type=int,
        default=10,
        metavar="N",
        help="flagged phrases to list per technique (default 10)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    require_extra("batch", "report", ("pyarrow", "matplotlib"))
    from proplens.report.build import build_report

    if args.top < 0 or args.phrases < 1:
        raise InputError("--top must be 0 or more and --phrases 1 or more")
    try:
        result = build_report(Path(args.table), Path(args.html), top=args.top, phrases=args.phrases)
    except OSError as err:  # disk full, permission denied, ...: one line, no traceback
        raise ProplensError(f"{err.filename or 'report'}: {err.strerror or err}") from None
    print(
        f"proplens report: {result.html} ({result.articles} articles); "
        f"{result.pages} article pages in {result.pages_dir}",
        file=sys.stderr,
    )
    return 0
