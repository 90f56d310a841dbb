"""Build the report: one pass for statistics, one for the densest articles' pages."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from proplens.batch.output import atomic_path
from proplens.batch.reader import iter_rows
from proplens.report.document import render_document
from proplens.report.pages import article_from_row, page_name, render_local, renderer
from proplens.report.stats import ROW_COLUMNS, SOURCE_COUNTS, gather

PAGE_COLUMNS = ("id", "title", "source", "url", "date", "spans", "text")


@dataclass(frozen=True)
class ReportResult:
    html: Path
    pages_dir: Path
    pages: int
    renderer: str
    articles: int


def build_report(table: Path, html_path: Path, top: int = 20, phrases: int = 10) -> ReportResult:
    """Write ``html_path`` and, next to it, ``<stem>_files/`` with the densest articles' pages."""
    table, html_path = Path(table), Path(html_path)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    stats = gather(iter_rows(table, ROW_COLUMNS, optional=SOURCE_COUNTS), top_size=top)
    pages_dir = html_path.with_name(f"{html_path.stem}_files")
    wanted = {article.id for article in stats.top()}
    links, render_name = _write_pages(table, wanted, pages_dir, back_link=f"../{html_path.name}")
    document = render_document(stats, table.name, links, phrases)
    with atomic_path(html_path) as tmp:
        tmp.write_text(document, encoding="utf-8")
    return ReportResult(html_path, pages_dir, len(links), render_name, stats.articles)


def _write_pages(
    table: Path, wanted: set[str], pages_dir: Path, back_link: str
) -> tuple[dict[str, str], str]:
    """Pages of the ``wanted`` articles; returns their links relative to the report."""
    render, name = renderer()
    links: dict[str, str] = {}
    if not wanted:
        return links, name
    pages_dir.mkdir(parents=True, exist_ok=True)
    for row in iter_rows(table, PAGE_COLUMNS):
        if row["id"] not in wanted:
            continue
        article = article_from_row(row)
        page = render_local(article, back_link) if name == "local" else render(article)
        file_name = page_name(row["id"])
        (pages_dir / file_name).write_text(page, encoding="utf-8")
        links[row["id"]] = f"{pages_dir.name}/{file_name}".replace(os.sep, "/")
    return links, name
