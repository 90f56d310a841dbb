"""``proplens classify``: name the technique of given spans (the SemEval TC setting)."""

from __future__ import annotations

import argparse
from pathlib import Path

from proplens.article import DEFAULT_MAX_BYTES, Article, Span
from proplens.cli._common import add_model_options, load_analyzer, output_stream
from proplens.errors import InputError
from proplens.formats import semeval


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "classify",
        help="name the technique of each span of a TC template",
        description="Read a TC template (ID<TAB>?<TAB>START<TAB>END) and the articles it "
        "refers to, and write the same rows with the predicted technique. A span listed k "
        "times gets its k most likely techniques.",
    )
    parser.add_argument("articles", metavar="ARTICLES_DIR", help="folder of article<ID>.txt")
    parser.add_argument("--spans", required=True, metavar="TEMPLATE", help="TC template file")
    parser.add_argument("--output", metavar="FILE", help="write here instead of stdout")
    add_model_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    rows = semeval.read_labels(args.spans, "template")
    articles = _articles(Path(args.articles), rows)
    analyzer = load_analyzer(args)
    named: dict[int, semeval.LabelRow] = {}
    for article_id, indices in _rows_by_article(rows).items():
        spans = [Span(rows[i].start, rows[i].end) for i in indices]
        for i, span in zip(indices, analyzer.classify(articles[article_id], spans), strict=True):
            named[i] = semeval.LabelRow(article_id, span.start, span.end, span.technique)
    with output_stream(args.output) as out:
        out.write(semeval.format_labels([named[i] for i in range(len(rows))], "tc"))
    return 0


def _rows_by_article(rows: list[semeval.LabelRow]) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        grouped.setdefault(row.article_id, []).append(index)
    return grouped


def _articles(folder: Path, rows: list[semeval.LabelRow]) -> dict[str, Article]:
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder of articles")
    articles = {}
    for row in rows:
        if row.article_id in articles:
            continue
        path = folder / f"article{row.article_id}.txt"
        if not path.exists():
            raise InputError(f"{row.where}: no article file {path}")
        articles[row.article_id] = Article.from_file(path, max_bytes=DEFAULT_MAX_BYTES)
    for row in rows:
        if row.end > len(articles[row.article_id].text):
            raise InputError(f"{row.where}: span ends beyond the article's text")
    return articles
