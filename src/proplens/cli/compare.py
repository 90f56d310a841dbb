"""``proplens compare A B``: how version B of a story reframes version A."""

from __future__ import annotations

import argparse
import sys

from proplens.article import Article
from proplens.cli._common import add_max_bytes, add_model_options, output_stream, require_extra
from proplens.errors import InputError

FORMATS = ("text", "json", "html")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "compare",
        help="compare two versions of a story: what B changed, dropped and added",
        description="Align the sentences of A (the reference, e.g. the wire report) and B "
        "(the version under suspicion), show the word changes, and flag dropped denials "
        "and caveats, changed attributions and hedges, changed numbers, added loaded "
        "terms and unsourced claims.",
    )
    parser.add_argument("a", metavar="A", help="the reference version (.txt, or - for stdin)")
    parser.add_argument("b", metavar="B", help="the version to check (.txt, or - for stdin)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument("--output", metavar="FILE", help="write here instead of stdout")
    add_max_bytes(parser, "files")
    parser.add_argument(
        "--no-sources",
        action="store_true",
        help="skip the attribution, hedge and unsourced-claim checks (no parser needed)",
    )
    add_model_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    require_extra("compare", "compare", ("rapidfuzz",))
    a, b = read_pair(args.a, args.b, args.max_bytes)  # bad input fails before the model loads
    from proplens.compare import Comparer

    comparer = Comparer.load(args.model, args.threshold, sources=not args.no_sources)
    if comparer.skipped and not args.no_sources:
        print(f"proplens: note: sources checks skipped: {comparer.skipped}", file=sys.stderr)
    result = comparer.compare(a, b)
    with output_stream(args.output) as out:
        out.write(render(result, args.format, comparer.card))
    return 0


def read_pair(path_a: str, path_b: str, max_bytes: int) -> tuple[Article, Article]:
    if path_a == "-" and path_b == "-":
        raise InputError("stdin (-) can stand for A or for B, not both")
    return _read(path_a, "a", max_bytes), _read(path_b, "b", max_bytes)


def _read(path: str, side: str, max_bytes: int) -> Article:
    if path == "-":
        return Article.from_stdin(id=side, max_bytes=max_bytes)
    return Article.from_file(path, max_bytes=max_bytes)


def render(result, fmt: str, card: dict) -> str:
    model = {"name": card.get("name", "proplens"), "version": card.get("version", "")}
    if fmt == "json":
        from proplens.compare.jsonio import dumps

        return dumps(result, model) + "\n"
    if fmt == "html":
        from proplens.compare.html import render_html

        return render_html(result)
    from proplens.compare.text import render_text

    return render_text(result)
