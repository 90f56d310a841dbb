"""One highlighted HTML page per article, written next to the report.

The pages use ``proplens.formats.html.render_html(article)`` when that module
exists (it is the project's article view); otherwise a minimal local renderer
that escapes every piece of text and marks spans with ``<mark>``.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable

from proplens.article import Article, Span
from proplens.techniques import BY_NAME

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def page_name(article_id: str) -> str:
    """A safe, unique file name for an article id (ids may hold ``/`` or other characters)."""
    safe = _UNSAFE.sub("_", article_id)[:80]
    if safe != article_id or safe.startswith("."):
        digest = hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:10]
        safe = f"{safe.lstrip('.')}-{digest}"
    return f"{safe}.html"


def article_from_row(row: dict) -> Article:
    spans = [Span(s["start"], s["end"], s["technique"], s["score"]) for s in row["spans"]]
    return Article(
        id=row["id"], text=row["text"], title=row["title"] or "",
        source=row["source"], url=row["url"], date=row["date"], spans=spans,
    )  # fmt: skip


def renderer() -> tuple[Callable[[Article], str], str]:
    """The page renderer and its name: the project's article view if present, else local."""
    try:
        from proplens.formats.html import render_html
    except ImportError:
        return render_local, "local"
    return render_html, "proplens.formats.html"


def render_local(article: Article, back_link: str | None = None) -> str:
    """A standalone page: the escaped text with every span highlighted and explained on hover."""
    e = html.escape
    meta = "".join(f" · {e(v)}" for v in (article.source, article.date) if v)
    url = f'<p><a href="{e(article.url)}">{e(article.url)}</a></p>' if article.url else ""
    back = f'<p><a href="{e(back_link)}">&larr; back to the report</a></p>' if back_link else ""
    used = sorted({s.technique for s in article.spans if s.technique in BY_NAME})
    legend = "".join(
        f'<span class="key" style="background:{BY_NAME[t].color}">{e(BY_NAME[t].label)}</span>'
        for t in used
    )
    return _PAGE.format(
        title=e(article.title or article.id), id=e(article.id), meta=meta, url=url, back=back,
        legend=legend, body=_highlight(article),
    )  # fmt: skip


def _highlight(article: Article) -> str:
    """The text cut at every span boundary; each piece inside spans becomes a ``<mark>``."""
    text = article.text
    cuts = sorted({0, len(text), *(b for s in article.spans for b in (s.start, s.end))})
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        inside = [s for s in article.spans if s.start <= start and end <= s.end]
        piece = html.escape(text[start:end])
        if not inside:
            pieces.append(piece)
            continue
        best = max(inside, key=lambda s: (s.score or 0.0, s.technique or ""))
        color = BY_NAME[best.technique].color if best.technique in BY_NAME else "#dddddd"
        hint = "; ".join(_describe(s) for s in inside)
        pieces.append(
            f'<mark style="background:{color}" title="{html.escape(hint)}">{piece}</mark>'
        )
    return "".join(pieces)


def _describe(span: Span) -> str:
    label = BY_NAME[span.technique].label if span.technique in BY_NAME else span.technique
    score = "" if span.score is None else f" ({span.score:.2f})"
    return f"{label or 'propaganda'}{score}"


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: Georgia, serif; max-width: 46em; margin: 2em auto; padding: 0 1em;
       line-height: 1.6; color: #222; }}
.meta {{ color: #666; font-family: sans-serif; font-size: 0.9em; }}
.key {{ display: inline-block; padding: 0 0.4em; margin: 0 0.3em 0.3em 0; border-radius: 3px;
        font-family: sans-serif; font-size: 0.8em; }}
.text {{ white-space: pre-wrap; }}
mark {{ border-radius: 2px; padding: 0 1px; }}
</style></head>
<body>
{back}
<h1>{title}</h1>
<p class="meta">id {id}{meta}</p>
{url}
<p>{legend}</p>
<div class="text">{body}</div>
</body></html>
"""
