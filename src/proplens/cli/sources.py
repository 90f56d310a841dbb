"""``proplens sources``: who says what in articles, which claims stand on no source.

Runs only the source finder (spaCy rules, no propaganda detector). ``proplens
analyze --sources`` gives the same next to the techniques.
"""

from __future__ import annotations

import argparse

from proplens.article import Article
from proplens.cli._common import add_max_bytes, output_stream
from proplens.cli.analyze import read_articles
from proplens.errors import InputError
from proplens.formats import jsonio

FORMATS = ("text", "json", "jsonl", "html")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sources",
        help="list sources, reporting verbs, claims and hedges (needs the sources extra)",
        description="Find attributions (source, its kind, the reporting verb and its stance, "
        "what is attributed), claims with their check-worthiness and whether a source covers "
        "them, and hedges and certainty markers, in articles (.txt files, folders of them, or - "
        "for stdin). Needs the sources extra: pip install -e '.[sources]'.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="article file, folder, or -")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument("--output", metavar="FILE", help="write here instead of stdout")
    add_max_bytes(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    articles = read_articles(args.paths, args.max_bytes)  # bad input fails before spaCy loads
    if args.format == "html" and len(articles) > 1:
        raise InputError("--format html writes one page: give one article per command")
    from proplens import sources

    finder = sources.load()
    results = list(finder.annotate(articles))
    with output_stream(args.output) as out:
        out.write(render(results, args.format))
    return 0


def render(results: list[Article], fmt: str) -> str:
    if fmt == "json":
        docs = [jsonio.dumps(a, spans=False) for a in results]
        return (docs[0] if len(docs) == 1 else "[\n" + ",\n".join(docs) + "\n]") + "\n"
    if fmt == "jsonl":
        return "".join(jsonio.dumps(a, indent=None, spans=False) + "\n" for a in results)
    from proplens.sources.render import render_sources_page, render_sources_text

    if fmt == "html":
        return render_sources_page(results[0])
    if len(results) == 1:
        return render_sources_text(results[0])
    return "\n".join(f"== {a.id}: {a.title}\n{render_sources_text(a)}" for a in results)
