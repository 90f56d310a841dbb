"""The report page itself: sections of charts and tables, every piece of text escaped."""

from __future__ import annotations

import html
from collections.abc import Iterable

from proplens.report import charts
from proplens.report.stats import UNKNOWN_SOURCE, CorpusStats, TopArticle
from proplens.techniques import TECHNIQUES

e = html.escape


def render_document(
    stats: CorpusStats, table_name: str, links: dict[str, str], phrases: int
) -> str:
    """The whole report as one HTML string; ``links`` maps article ids to their page."""
    sections = [
        _summary(stats, table_name),
        _techniques(stats),
        _outlets(stats),
        _sources(stats),
        _time(stats),
        _phrases(stats, phrases),
        _top_articles(stats.top(), links),
    ]
    return _DOCUMENT.format(title=e(f"proplens report: {table_name}"), body="\n".join(sections))


def _summary(stats: CorpusStats, table_name: str) -> str:
    spans = sum(stats.overall.techniques.values())
    return (
        f"<h1>Propaganda techniques in {e(table_name)}</h1>"
        f"<p class=lead>{stats.articles:,} articles, {stats.chars:,} characters, "
        f"{spans:,} technique spans; mean propaganda density "
        f"{100 * stats.overall.mean_density:.1f}% (share of an article's characters "
        "inside any span).</p>"
    )


def _techniques(stats: CorpusStats) -> str:
    if not stats.articles:
        return _section("Techniques", _note("The table has no articles."))
    rows = [
        (t.label, stats.overall.techniques.get(t.name, 0),
         f"{stats.overall.techniques.get(t.name, 0) / stats.articles:.2f}")
        for t in TECHNIQUES
    ]  # fmt: skip
    body = _image(charts.techniques_overall(stats.overall), "spans per technique")
    return _section("Techniques", body + _table(("technique", "spans", "per article"), rows))


def _outlets(stats: CorpusStats) -> str:
    if not stats.with_source:
        return _section("Outlets", _note("No article has a source: per-outlet charts omitted."))
    outlets = charts.outlets_by_size(stats.by_source)
    shown = (
        f"the {charts.MAX_OUTLETS} largest of {len(outlets)} outlets"
        if len(outlets) > charts.MAX_OUTLETS
        else f"{len(outlets)} outlets"
    )
    body = [
        f"<p>Techniques per outlet ({e(shown)}), as spans per article.</p>",
        _image(charts.techniques_per_outlet(outlets), "techniques per outlet"),
        "<p>Propaganda density per outlet (mean over its articles).</p>",
        _image(charts.density_per_outlet(outlets), "density per outlet"),
        _table(
            ("outlet", "articles", "mean density", "spans per article"),
            [
                (
                    name,
                    group.articles,
                    f"{100 * group.mean_density:.1f}%",
                    f"{sum(group.techniques.values()) / group.articles:.2f}",
                )
                for name, group in outlets.items()
            ],
        ),  # fmt: skip
    ]
    if UNKNOWN_SOURCE in outlets:
        body.append(_note(f"{UNKNOWN_SOURCE} groups the articles without a source."))
    return _section("Outlets", "".join(body))


def _sources(stats: CorpusStats) -> str:
    """Sources and claims per outlet; only for tables written with ``batch --sources``."""
    overall = stats.overall
    if not overall.sourced:
        return ""
    lead = (
        f"<p>{overall.sourced:,} articles with sources found: "
        f"{overall.per_sourced_article('n_attributions'):.1f} attributions and "
        f"{overall.per_sourced_article('n_claims'):.1f} claims per article; "
        f"{100 * overall.share_unattributed:.0f}% of claims have no source in the text. "
        "Source kinds: named (a named person or body), role (unnamed, identified by role), "
        "vague (critics, reports, it is said), anonymous (a source, people familiar with).</p>"
    )
    if not stats.with_source:
        return _section("Sources and claims", lead + _note("No article has a source (outlet)."))
    outlets = charts.outlets_by_size(stats.by_source)
    rows = [
        (
            name,
            group.sourced,
            *(_per_article(group, f"n_sources_{kind}") for kind in charts.SOURCE_KIND_COLORS),
            f"{group.per_sourced_article('n_claims'):.1f}",
            f"{100 * group.share_unattributed:.0f}%",
            f"{group.per_sourced_article('n_hedges'):.2f}",
        )
        for name, group in outlets.items()
        if group.sourced
    ]
    body = [
        lead,
        "<p>Sources per article, by kind, per outlet.</p>",
        _image(charts.sources_per_outlet(outlets), "sources per article by kind, per outlet"),
        "<p>Share of claims with no source, per outlet.</p>",
        _image(charts.unattributed_per_outlet(outlets), "unattributed claims per outlet"),
        _table(
            ("outlet", "articles", *charts.SOURCE_KIND_COLORS, "claims", "unattributed", "hedges"),
            rows,
        ),
    ]
    return _section("Sources and claims", "".join(body))


def _per_article(group, column: str) -> str:
    return f"{group.per_sourced_article(column):.2f}"


def _time(stats: CorpusStats) -> str:
    if not stats.with_date:
        note = "No article has a readable date: the density-over-time chart is omitted."
        return _section("Over time", _note(note))
    unit = stats.period_unit()
    names = list(charts.outlets_by_size(stats.by_source)) if stats.with_source else []
    lines = {n: stats.by_source_period(n) for n in names} if len(names) > 1 else {}
    shown = (
        ""
        if len(lines) <= charts.MAX_OUTLET_LINES
        else (f"; lines for the {charts.MAX_OUTLET_LINES} largest outlets")
    )
    lines = dict(list(lines.items())[: charts.MAX_OUTLET_LINES])
    body = [
        f"<p>Mean propaganda density per {unit} ({stats.with_date:,} dated articles"
        f"{e(shown)}).</p>",
        _image(charts.density_over_time(stats.by_period(), unit, lines), "density over time"),
    ]
    undated = stats.articles - stats.with_date
    if undated:
        body.append(
            _note(f"{undated:,} articles without a date ({stats.bad_dates:,} unreadable) "
                  "are left out of this chart.")
        )  # fmt: skip
    return _section("Over time", "".join(body))


def _phrases(stats: CorpusStats, n: int) -> str:
    blocks = []
    for technique in TECHNIQUES:
        top = stats.top_phrases(technique.name, n)
        if top:
            blocks.append(
                f'<div class=phrases><h3><span class=swatch style="background:{technique.color}">'
                f"</span>{e(technique.label)}</h3>" + _table(("phrase", "times"), top) + "</div>"
            )
    if not blocks:
        return _section("Flagged phrases", _note("No span was found in the corpus."))
    intro = f"<p>The {n} most frequent flagged phrases per technique (case and punctuation "
    intro += "around them ignored).</p>"
    return _section("Flagged phrases", intro + "<div class=grid>" + "".join(blocks) + "</div>")


def _top_articles(top: list[TopArticle], links: dict[str, str]) -> str:
    if not top:
        return ""
    rows = []
    for rank, article in enumerate(top, start=1):
        title = e(article.title or article.id)
        link = f'<a href="{e(links[article.id])}">{title}</a>' if article.id in links else title
        rows.append(
            f"<tr><td>{rank}</td><td>{link}</td><td>{e(article.id)}</td>"
            f"<td>{e(article.source or '')}</td><td>{e(article.date or '')}</td>"
            f"<td>{100 * article.density:.1f}%</td><td>{article.n_spans}</td>"
            f"<td>{e(_label(article.main_technique))}</td></tr>"
        )
    head = "".join(
        f"<th>{h}</th>"
        for h in ("#", "title", "id", "source", "date", "density", "spans", "main technique")
    )
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    intro = "<p>The articles with the highest propaganda density; open one to see its spans.</p>"
    return _section("Densest articles", intro + table)


def _label(name: str | None) -> str:
    from proplens.techniques import BY_NAME

    return BY_NAME[name].label if name in BY_NAME else (name or "")


def _section(title: str, body: str) -> str:
    return f"<section><h2>{e(title)}</h2>{body}</section>"


def _note(text: str) -> str:
    return f"<p class=note>{e(text)}</p>"


def _image(data_uri: str, alt: str) -> str:
    return f'<img src="{data_uri}" alt="{e(alt)}">'


def _table(head: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    header = "".join(f"<th>{e(str(h))}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{e(str(cell))}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


_DOCUMENT = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 70em; margin: 2em auto; padding: 0 1em;
       color: #222; }}
h1 {{ font-size: 1.6em; }} h2 {{ border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }}
.lead {{ font-size: 1.1em; }} .note {{ color: #777; font-style: italic; }}
img {{ max-width: 100%; display: block; margin: 0.5em 0; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.9em; }}
th, td {{ border-bottom: 1px solid #eee; padding: 0.25em 0.7em; text-align: left;
          vertical-align: top; }}
.grid {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(20em, 1fr));
         gap: 0 1.5em; }}
.swatch {{ display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.4em;
           border-radius: 2px; }}
</style></head>
<body>
{body}
<footer><p class=note>Made by proplens report. Scores come from an automatic detector and
can be wrong; read the highlighted articles before drawing conclusions.</p></footer>
</body></html>
"""
