"""Sources for people: a terminal listing and HTML (a section, or a standalone page).

The HTML marks, in the article text, each source (coloured by kind), each
reporting verb (underlined by stance), every claim that no attribution covers
(a red wavy underline) and hedges and certainty markers (boxed). All text goes
through :func:`html.escape`; the page has no scripts.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from proplens import __version__
from proplens.article import Article
from proplens.sources.results import SOURCE_KINDS, STANCES, Attribution, Sources

KIND_LABELS = {
    "named": "named source",
    "role": "unnamed, identified by role",
    "vague": "vague source",
    "anonymous": "anonymous source",
}
STANCE_LABELS = {
    "neutral": "neutral verb",
    "endorsing": "endorsing verb (presents it as true)",
    "distancing": "distancing verb (casts doubt)",
}


# -- text ------------------------------------------------------------------------------------


def render_sources_text(article: Article) -> str:
    """A listing of sources, claims and hedges, ending with a one-line summary."""
    sources = article.sources or Sources()
    text = article.text
    lines = ["Sources:"]
    for number, a in enumerate(sources.attributions, start=1):
        quote = "quote" if a.quote else "reported"
        thought = ", thought" if a.verb.kind == "thought" else ""
        lines.append(
            f"  {number:>2}. {_who(a, text)} {text[a.verb.start : a.verb.end]} "
            f"({a.verb.stance}, {quote}{thought}): "
            f"\N{LEFT DOUBLE QUOTATION MARK}{_cut(_content(a, text), 70)}"
            "\N{RIGHT DOUBLE QUOTATION MARK}"
        )
    if not sources.attributions:
        lines.append("  none found")
    lines.append("Claims (check-worthiness, then the source number or UNATTRIBUTED):")
    for claim in sources.claims:
        owner = "UNATTRIBUTED" if claim.attribution is None else f"source {claim.attribution + 1}"
        lines.append(
            f"  {claim.check_worthy:.2f}  {owner:<12}  {_cut(text[claim.start : claim.end], 80)}"
        )
    if not sources.claims:
        lines.append("  none found")
    if sources.hedges:
        lines.append(
            "Hedges and certainty markers: "
            + ", ".join(f"{text[h.start : h.end]} ({h.kind})" for h in sources.hedges)
        )
    lines.append(summary_line(sources))
    return "\n".join(lines) + "\n"


def summary_line(sources: Sources) -> str:
    """E.g. ``5 attributions (named 2, vague 2, anonymous 1); 9 claims, 3 unattributed; …``."""
    kinds = Counter(a.source.kind for a in sources.attributions if a.source)
    by_kind = ", ".join(f"{kind} {kinds[kind]}" for kind in SOURCE_KINDS if kinds[kind])
    hedges = Counter(h.kind for h in sources.hedges)
    return (
        f"{_count(len(sources.attributions), 'attribution')}"
        f"{f' ({by_kind})' if by_kind else ''}; "
        f"{_count(len(sources.claims), 'claim')}, {len(sources.unattributed())} unattributed; "
        f"{_count(hedges['hedge'], 'hedge')}, {_count(hedges['certainty'], 'certainty marker')}"
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _cut(words: str, width: int) -> str:
    words = " ".join(words.split())
    return words if len(words) <= width else words[: width - 1] + "\N{HORIZONTAL ELLIPSIS}"


# -- HTML ------------------------------------------------------------------------------------

SOURCES_CSS = """
.sources { margin-top: 1.5rem; }
.sources .text { background: #fff; border: 1px solid #d9dce1; border-radius: 8px;
  padding: 1rem 1.2rem; font-family: Georgia, "Times New Roman", serif; font-size: 1.05rem;
  line-height: 1.9; white-space: pre-wrap; overflow-wrap: anywhere; }
.sources table { border-collapse: collapse; width: 100%; font-size: 0.92rem; margin: 0.8rem 0; }
.sources th, .sources td { text-align: left; border-bottom: 1px solid #e3e5e9; padding: 0.3rem; }
.k-named { background: #d6ecff; } .k-role { background: #e4e0ff; }
.k-vague { background: #ffe3b8; } .k-anonymous { background: #ffd0d0; }
.s-neutral { text-decoration: underline 2px #7a808a; }
.s-endorsing { text-decoration: underline 2px #1e8a4c; }
.s-distancing { text-decoration: underline 2px #c0392b; }
.unattributed { text-decoration: underline wavy #c0392b; text-decoration-skip-ink: none; }
.hedge, .certainty { outline: 1px dashed #5b616b; outline-offset: 1px; }
.certainty { outline-style: solid; }
.sources .key span { margin-right: 0.8rem; white-space: nowrap; }
"""


def render_sources_section(article: Article) -> str:
    """An HTML ``<section>`` (classes from :data:`SOURCES_CSS`) for embedding in a page."""
    sources = article.sources or Sources()
    return "".join(
        [
            '<section class="sources">\n<h2>Sources and claims</h2>\n',
            f'<p class="meta">{escape(summary_line(sources))}</p>\n',
            _key(),
            f'<div class="text">{_marked(article.text, sources)}</div>\n',
            _table(article.text, sources),
            "</section>\n",
        ]
    )


def render_sources_page(article: Article) -> str:
    """A standalone page (``proplens sources --format html``): inline CSS, no scripts."""
    title = escape(article.title or article.id)
    return "".join(
        [
            '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f"<title>{title} \N{EM DASH} sources \N{EM DASH} proplens</title>\n",
            "<style>body { margin: 0; color: #1d1f23; background: #f4f5f7; font-family: "
            "system-ui, sans-serif; } main { max-width: 46rem; margin: 0 auto; padding: 1rem; }"
            f" .meta, footer {{ color: #5b616b; font-size: 0.9rem; }}{SOURCES_CSS}</style>\n",
            f"</head>\n<body>\n<main>\n<h1>{title}</h1>\n",
            render_sources_section(article),
            f"<footer><p>Made by proplens {escape(__version__)}: rules over a dependency "
            "parse, a reading aid, not a verdict.</p></footer>\n</main>\n</body>\n</html>\n",
        ]
    )


def _key() -> str:
    kinds = "".join(f'<span class="k-{k}">{escape(KIND_LABELS[k])}</span>' for k in SOURCE_KINDS)
    stances = "".join(f'<span class="s-{s}">{escape(STANCE_LABELS[s])}</span>' for s in STANCES)
    return (
        f'<p class="key meta">{kinds}<br>{stances}<br>'
        '<span class="unattributed">claim with no source</span>'
        '<span class="hedge">hedge</span><span class="certainty">certainty marker</span></p>\n'
    )


def _marked(text: str, sources: Sources) -> str:
    """The text cut at every boundary; each piece carries the classes of what covers it."""
    marks: list[tuple[int, int, str, str]] = []
    for a in sources.attributions:
        if a.source is not None:
            marks.append((a.source.start, a.source.end, f"k-{a.source.kind}", a.source.kind))
        marks.append((a.verb.start, a.verb.end, f"s-{a.verb.stance}", a.verb.stance))
    for claim in sources.unattributed():
        marks.append((claim.start, claim.end, "unattributed", "claim with no source"))
    for h in sources.hedges:
        marks.append((h.start, h.end, h.kind, h.kind))
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    out = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [m for m in marks if m[0] <= start and m[1] >= end]
        piece = escape(text[start:end])
        if not covering:
            out.append(piece)
            continue
        classes = " ".join(dict.fromkeys(m[2] for m in covering))
        tip = ", ".join(dict.fromkeys(m[3] for m in covering))
        out.append(f'<span class="{classes}" title="{escape(tip)}">{piece}</span>')
    return "".join(out)


def _table(text: str, sources: Sources) -> str:
    if not sources.attributions:
        return '<p class="meta">No attribution found.</p>\n'
    rows = []
    for number, a in enumerate(sources.attributions, start=1):
        who, kind = (
            (text[a.source.start : a.source.end], a.source.kind) if a.source else ("", "none")
        )
        rows.append(
            f"<tr><td>{number}</td>"
            f'<td class="k-{kind}">{escape(who)}</td>'
            f"<td>{escape(kind)}</td>"
            f'<td class="s-{a.verb.stance}">{escape(text[a.verb.start : a.verb.end])}</td>'
            f"<td>{escape(a.verb.stance)}</td><td>{'quote' if a.quote else 'reported'}</td>"
            f"<td>{escape(_cut(_content(a, text), 90))}</td></tr>"
        )
    return (
        "<table><thead><tr><th>#</th><th>source</th><th>kind</th><th>verb</th><th>stance</th>"
        "<th>form</th><th>content</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>\n"
    )


def _content(a: Attribution, text: str) -> str:
    """The content with its further parts (a split quote's second half) after " … "."""
    parts = [(a.content_start, a.content_end), *a.content_more]
    return " \N{HORIZONTAL ELLIPSIS} ".join(text[s:e] for s, e in parts)


def _who(a: Attribution, text: str) -> str:
    """ "Smith [named]", "He (= Smith) [named]", or "(no source named)"."""
    if a.source is None:
        return "(no source named)"
    referent = (
        f" (= {_cut(text[a.source.referent[0] : a.source.referent[1]], 40)})"
        if a.source.referent
        else ""
    )
    return f"{_cut(text[a.source.start : a.source.end], 40)}{referent} [{a.source.kind}]"
