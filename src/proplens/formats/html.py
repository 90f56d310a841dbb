"""A standalone HTML page of one analysed article (``proplens analyze --format html``).

The page is one self-contained file: inline CSS, no scripts, no external
assets, so it opens anywhere and can be mailed or archived. Fragments are
highlighted in their technique's colour; hovering or focusing one (Tab) shows
its technique, confidence and definition in a pure-CSS tooltip. Where spans
overlap, the text is cut at every span boundary: each piece takes the colour of
its innermost span and shows the others as stripes underneath; its tooltip lists
every span covering it, innermost first (a loaded word, then its sentence). Every piece of
article text and metadata goes through :func:`html.escape`.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from proplens import __version__
from proplens.article import Article, Span
from proplens.techniques import BY_NAME

_FALLBACK_COLOR = "#ffe08a"

_CSS = """
:root { color: #1d1f23; background: #f4f5f7;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
body { margin: 0; }
main { max-width: 46rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: 0.5rem 0; }
.meta, footer { color: #5b616b; font-size: 0.9rem; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem; }
.legend li { border: 1px solid #d9dce1; border-radius: 999px; background: #fff;
  padding: 0.15rem 0.6rem 0.15rem 0.3rem; font-size: 0.9rem; cursor: help; }
.sw { display: inline-block; width: 0.9rem; height: 0.9rem; border-radius: 50%;
  vertical-align: -0.1rem; margin-right: 0.3rem; border: 1px solid rgba(0,0,0,.25); }
.legend b { margin-left: 0.3rem; }
article { position: relative; background: #fff; border: 1px solid #d9dce1; border-radius: 8px;
  padding: 1rem 1.2rem;
  font-family: Georgia, "Times New Roman", serif; font-size: 1.08rem; line-height: 1.8;
  white-space: pre-wrap; overflow-wrap: anywhere; }
mark { color: #111; border-radius: 3px; cursor: help;
  background-color: var(--c); -webkit-box-decoration-break: clone; box-decoration-break: clone; }
mark.multi { border-bottom: 1px solid rgba(0,0,0,.45); }
mark:focus { outline: 2px solid #1a4fd6; outline-offset: 1px; }
mark:hover::after, mark:focus::after {
  content: attr(data-tip); position: absolute; left: 0.6rem; right: 0.6rem; z-index: 2;
  margin-top: 1.9em; padding: 0.5rem 0.7rem;
  background: #fff; color: #1d1f23; border: 1px solid #d9dce1; border-radius: 6px;
  box-shadow: 0 6px 20px rgba(0,0,0,.18); white-space: pre-line;
  font: 0.88rem/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
"""


def render_html(article: Article) -> str:
    """The whole page for ``article`` and its spans, as one string."""
    title = escape(article.title or article.id)
    counts = Counter(span.technique for span in article.spans)
    return "".join(
        [
            '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f"<title>{title} \N{EM DASH} proplens</title>\n<style>{_CSS}{_sources_css(article)}"
            "</style>\n</head>\n",
            "<body>\n<main>\n",
            f"<h1>{title}</h1>\n",
            f'<p class="meta">{_summary(article, counts)}</p>\n',
            _legend(counts),
            f'<article id="{escape(article.id)}">{_highlighted(article)}</article>\n',
            _sources_section(article),
            "<footer><p>Hover over or tab to a highlighted fragment for its technique, "
            "confidence and definition. Made by proplens "
            f"{escape(__version__)}; a model's guess is not a verdict.</p></footer>\n",
            "</main>\n</body>\n</html>\n",
        ]
    )


def _sources_css(article: Article) -> str:
    if article.sources is None:
        return ""
    from proplens.sources.render import SOURCES_CSS

    return SOURCES_CSS


def _sources_section(article: Article) -> str:
    """Sources and claims below the article, when they were asked for (analyze --sources)."""
    if article.sources is None:
        return ""
    from proplens.sources.render import render_sources_section

    return render_sources_section(article)


def _summary(article: Article, counts: Counter) -> str:
    n = len(article.spans)
    return escape(
        f"{n} fragment{'s' * (n != 1)}, {len(counts)} technique{'s' * (len(counts) != 1)}, "
        f"article {article.id}"
    )


def _legend(counts: Counter) -> str:
    if not counts:
        return '<p class="meta">No propaganda technique was found.</p>\n'
    items = []
    for technique, n in counts.most_common():
        known = BY_NAME.get(technique or "")
        label = known.label if known else (technique or "Propaganda")
        definition = known.definition if known else ""
        items.append(
            f'<li title="{escape(definition)}"><span class="sw" '
            f'style="background:{_color(technique)}"></span>{escape(label)}<b>{n}</b></li>'
        )
    return '<ul class="legend">' + "".join(items) + "</ul>\n"


def _highlighted(article: Article) -> str:
    text = article.text
    out = []
    for start, end, covering in segments(article.spans, len(text)):
        piece = escape(text[start:end])
        if not covering:
            out.append(piece)
            continue
        out.append(
            f'<mark tabindex="0" class="{"multi" if len(covering) > 1 else "one"}" '
            f'style="{mark_style(covering)}" data-tip="{escape(tooltip(covering))}">'
            f"{piece}</mark>"
        )
    return "".join(out)


def segments(spans: list[Span], length: int) -> list[tuple[int, int, list[Span]]]:
    """Cut ``[0, length)`` at every span boundary; each piece lists the spans covering it.

    Covering spans come innermost first (shortest, then highest score), so the
    first one gives the piece its colour.
    """
    cuts = sorted({0, length, *(s.start for s in spans), *(s.end for s in spans)})
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in spans if s.start <= start and s.end >= end]
        covering.sort(key=lambda s: (len(s), -(s.score if s.score is not None else 1.0)))
        pieces.append((start, end, covering))
    return pieces


def mark_style(covering: list[Span]) -> str:
    """Inline style of a piece: the innermost span's colour, up to two others as stripes."""
    style = f"--c:{_color(covering[0].technique)}"
    if len(covering) > 1:
        stripes, step = [], 0.22
        for i, span in enumerate(covering[1:3]):
            stripes.append(f"{_color(span.technique)} {i * step:.2f}em {(i + 1) * step:.2f}em")
        top = step * len(stripes)
        style += (
            f";background-image:linear-gradient(to top,{','.join(stripes)},transparent {top:.2f}em)"
        )
    return escape(style)


def tooltip(covering: list[Span]) -> str:
    """Every covering span's technique, confidence and definition, in the order given
    (:func:`segments`: innermost first, so a loaded word comes before its sentence)."""
    lines = []
    for span in covering:
        known = BY_NAME.get(span.technique or "")
        label = known.label if known else (span.technique or "Propaganda")
        score = "" if span.score is None else f" \N{EN DASH} confidence {span.score:.2f}"
        definition = f"\n{known.definition}" if known else ""
        lines.append(f"{label}{score}{definition}")
    return "\n\n".join(lines)


def _color(technique: str | None) -> str:
    known = BY_NAME.get(technique or "")
    return escape(known.color if known else _FALLBACK_COLOR)
