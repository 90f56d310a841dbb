"""``proplens labelstudio config|export|import``: correct proplens' spans in Label Studio.

The loop: ``export`` articles with proplens' spans as pre-annotations, correct
them in Label Studio, export its JSON, ``import`` it as a PTC-layout folder and
``proplens train --data CORPUS CORRECTIONS``.
"""

from __future__ import annotations

import argparse
import json
import sys

from proplens.cli._common import add_max_bytes, add_model_options, load_analyzer, output_stream


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "labelstudio",
        help="correct proplens' spans in Label Studio and import the corrections",
        description="Label Studio round trip: 'config' prints the labeling config, 'export' "
        "writes tasks with proplens' spans as pre-annotations, 'import' turns Label Studio's "
        "JSON export into a PTC-layout folder for 'proplens train' and 'proplens evaluate'.",
    )
    commands = parser.add_subparsers(dest="labelstudio_command", metavar="SUBCOMMAND")
    commands.required = True
    _register_config(commands)
    _register_export(commands)
    _register_import(commands)


def _register_config(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "config",
        help="print the labeling config (XML)",
        description="Print the labeling config to paste into a Label Studio project "
        "(Settings > Labeling Interface > Code).",
    )
    parser.add_argument(
        "--taxonomy",
        choices=("14", "18", "23"),
        default="14",
        help="14 SemEval-2020 techniques (default), the 18 PTC or the 23 SemEval-2023 ones",
    )
    parser.add_argument("--output", metavar="FILE", help="write here instead of stdout")
    parser.set_defaults(run=run_config)


def _register_export(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "export",
        help="analyse articles and write Label Studio tasks with pre-annotations",
        description="Analyse .txt articles (files, folders, or - for stdin) and write one "
        "Label Studio task per article, proplens' spans as predictions (pre-annotations).",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="article file, folder, or -")
    parser.add_argument("--output", required=True, metavar="FILE", help="tasks JSON to write")
    add_max_bytes(parser)
    add_model_options(parser)
    parser.set_defaults(run=run_export)


def _register_import(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "import",
        help="turn Label Studio's JSON export into a PTC-layout folder",
        description="Read Label Studio's JSON export (Export > JSON) and write articles/, "
        "labels-tc/, labels-si/ and corrections-{tc,si}.labels into a new folder. Per task, "
        "a ground-truth annotation wins, else the most recently updated one; cancelled "
        "annotations are ignored and tasks without a finished annotation are left out.",
    )
    parser.add_argument("export", metavar="EXPORT.json", help="Label Studio JSON export")
    parser.add_argument("--output", required=True, metavar="DIR", help="new folder to write")
    parser.set_defaults(run=run_import)


def run_config(args: argparse.Namespace) -> int:
    from proplens.integrations.labelstudio import labeling_config

    with output_stream(args.output) as out:
        out.write(labeling_config(args.taxonomy))
    return 0


def run_export(args: argparse.Namespace) -> int:
    from proplens.cli.analyze import read_articles
    from proplens.integrations.labelstudio import articles_to_tasks

    articles = read_articles(args.paths, args.max_bytes)  # bad input fails before the model loads
    analyzer = load_analyzer(args)
    card = analyzer.card
    model = {"name": card.get("name", "proplens"), "version": card.get("version", "")}
    tasks = articles_to_tasks((analyzer.analyze(a) for a in articles), model)
    with output_stream(args.output) as out:
        json.dump(tasks, out, ensure_ascii=False, indent=1)
        out.write("\n")
    spans = sum(len(t["predictions"][0]["result"]) for t in tasks)
    print(
        f"proplens: wrote {len(tasks)} task(s) with {spans} pre-annotated span(s) to {args.output}",
        file=sys.stderr,
    )
    return 0


def run_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from proplens.integrations.labelstudio import import_export

    summary = import_export(args.export, args.output)
    print(f"proplens: {summary.describe(Path(args.output))}", file=sys.stderr)
    return 0
