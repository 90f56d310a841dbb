"""A standalone HTML page of a comparison (``proplens compare --format html``).

One self-contained file (inline CSS, no scripts), like ``analyze --format
html``: the summary, then A and B side by side, one aligned item per row, so a
sentence and its counterpart sit on one line. Words only in A are struck
through, words only in B underlined; technique fragments take their
technique's colour, with technique, confidence and definition on hover or
focus (Tab). Flags follow each row with their evidence. Everything from the
articles goes through :func:`html.escape`.
"""

from __future__ import annotations

from html import escape

from proplens import __version__
from proplens.article import Article
from proplens.compare.result import Comparison, Item
from proplens.compare.text import describe_flag
from proplens.formats.html import mark_style, segments, tooltip

_CSS = """
:root { color: #1d1f23; background: #f4f5f7;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
body { margin: 0; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.4rem; margin: 0.5rem 0; }
.summary p { margin: 0.3rem 0; }
.chips { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem; }
.chips li { border: 1px solid #d9dce1; border-radius: 999px; background: #fff;
  padding: 0.1rem 0.6rem; font-size: 0.9rem; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1rem; position: relative; }
.grid > .head { font-weight: 600; padding: 0.4rem 0; border-bottom: 2px solid #d9dce1; }
.cell { padding: 0.5rem 0.6rem; border-bottom: 1px solid #e3e5e9; background: #fff;
  font-family: Georgia, "Times New Roman", serif; line-height: 1.7; overflow-wrap: anywhere; }
.cell.empty { background: repeating-linear-gradient(135deg, #f4f5f7 0 6px, #eceef1 6px 12px); }
.kind { font: 600 0.75rem system-ui, sans-serif; color: #5b616b; text-transform: uppercase;
  letter-spacing: 0.04em; margin-right: 0.4rem; }
.flags { grid-column: 1 / -1; margin: 0 0 0.6rem; padding: 0.3rem 0.6rem 0.3rem 1.6rem;
  background: #fff7e0; border-left: 3px solid #d08a00; font-size: 0.9rem; }
del.chg { background: #fde2e1; text-decoration: line-through; color: #8a1c1c; }
ins.chg { background: #dcf5e3; text-decoration: underline; color: #11522a; }
mark del.chg, mark ins.chg { background: transparent; color: inherit; }
mark { color: #111; border-radius: 3px; cursor: help; background-color: var(--c); }
mark:focus { outline: 2px solid #1a4fd6; outline-offset: 1px; }
mark:hover::after, mark:focus::after {
  content: attr(data-tip); position: absolute; left: 0.6rem; right: 0.6rem; z-index: 2;
  margin-top: 1.9em; padding: 0.5rem 0.7rem; background: #fff; color: #1d1f23;
  border: 1px solid #d9dce1; border-radius: 6px; box-shadow: 0 6px 20px rgba(0,0,0,.18);
  white-space: pre-line; font: 0.88rem/1.4 system-ui, sans-serif; }
footer { color: #5b616b; font-size: 0.85rem; margin-top: 1rem; }
@media (max-width: 640px) { .grid { grid-template-columns: 1fr; } }
"""


def render_html(comparison: Comparison) -> str:
    a, b = comparison.a, comparison.b
    title = escape(f"{a.title} → {b.title}")
    summary = comparison.summary
    chips = "".join(
        f"<li>{escape(name)} <b>{n}</b></li>" for name, n in summary["flags"].items() if n
    )
    rows = "".join(_row(item, comparison) for item in comparison.items)
    return "".join(
        [
            '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f"<title>{title} \N{EM DASH} proplens compare</title>\n<style>{_CSS}</style>\n",
            "</head>\n<body>\n<main>\n<h1>Two versions compared</h1>\n",
            '<section class="summary">',
            "".join(f"<p>{escape(line)}</p>" for line in summary["text"]),
            f'<ul class="chips">{chips}</ul>' if chips else "",
            "</section>\n",
            '<div class="grid">',
            f'<div class="head">A (reference): {escape(a.title)}</div>',
            f'<div class="head">B (checked): {escape(b.title)}</div>',
            rows,
            "</div>\n",
            "<footer><p>Struck words are only in A, underlined words only in B. Hover over "
            "or tab to a coloured fragment for its technique. Made by proplens "
            f"{escape(__version__)}; a model's guess is not a verdict.</p></footer>\n",
            "</main>\n</body>\n</html>\n",
        ]
    )


def _row(item: Item, comparison: Comparison) -> str:
    a_changed = [(c.a_start, c.a_end) for c in item.changes if c.a_end > c.a_start]
    b_changed = [(c.b_start, c.b_end) for c in item.changes if c.b_end > c.b_start]
    label = f'<span class="kind">{escape(item.kind)}</span>'
    left = _cell(comparison.a, item.a, a_changed, "del", label)
    right = _cell(comparison.b, item.b, b_changed, "ins", label)
    flags = ""
    if item.flags:
        lines = "".join(
            f"<li>{escape(describe_flag(f, comparison.a.text, comparison.b.text))}</li>"
            for f in item.flags
        )
        flags = f'<ul class="flags">{lines}</ul>'
    return left + right + flags


def _cell(article: Article, where, changed, tag: str, label: str) -> str:
    if where is None:
        return '<div class="cell empty"></div>'
    return f'<div class="cell">{label}{_marked(article, *where, changed, tag)}</div>'


def _marked(article: Article, start: int, end: int, changed, tag: str) -> str:
    """``text[start:end]`` with technique colours and changed words marked."""
    spans = [s for s in article.spans if s.start < end and s.end > start]
    cuts = {start, end}
    for lo, hi in changed:
        cuts |= {min(max(lo, start), end), min(max(hi, start), end)}
    out = []
    for lo, hi, covering in segments(spans, len(article.text)):
        lo, hi = max(lo, start), min(hi, end)
        if lo >= hi:
            continue
        inner = sorted(c for c in cuts if lo < c < hi)
        for a, b in zip([lo, *inner], [*inner, hi], strict=True):
            out.append(_piece(article.text[a:b], covering, _is_changed(a, b, changed), tag))
    return "".join(out)


def _is_changed(start: int, end: int, changed) -> bool:
    return any(lo <= start and end <= hi for lo, hi in changed)


def _piece(text: str, covering, changed: bool, tag: str) -> str:
    body = escape(text)
    if changed:
        body = f'<{tag} class="chg">{body}</{tag}>'
    if not covering:
        return body
    # nested spans: the innermost colour, the others as stripes, all of them in the tip
    style, tip = mark_style(covering), escape(tooltip(covering))
    return f'<mark tabindex="0" style="{style}" data-tip="{tip}">{body}</mark>'
