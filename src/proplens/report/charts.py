"""The report's charts, drawn with matplotlib's Agg renderer into inline PNG data URIs.

Figures are built with :class:`matplotlib.figure.Figure` directly, so drawing a
report never touches pyplot's global state or needs a display.
"""

from __future__ import annotations

import base64
import io
from datetime import date

from proplens.report.stats import Group
from proplens.techniques import TECHNIQUES

MAX_OUTLETS = 15
MAX_OUTLET_LINES = 6


def png_data_uri(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def techniques_overall(group: Group) -> str:
    """Horizontal bars: spans per technique in the whole corpus."""
    figure, ax = _figure(7, 4.2)
    labels = [_plain(t.label) for t in TECHNIQUES][::-1]
    counts = [group.techniques.get(t.name, 0) for t in TECHNIQUES][::-1]
    ax.barh(labels, counts, color=[t.color for t in TECHNIQUES][::-1])
    ax.set_xlabel("spans in the corpus")
    return png_data_uri(figure)


def techniques_per_outlet(outlets: dict[str, Group]) -> str:
    """Stacked bars: spans per article of each technique, for the largest outlets."""
    names = list(outlets)[:MAX_OUTLETS][::-1]
    figure, ax = _figure(8, 0.9 + 0.38 * len(names))
    left = [0.0] * len(names)
    for technique in TECHNIQUES:
        widths = [outlets[n].techniques.get(technique.name, 0) / outlets[n].articles for n in names]
        ax.barh([_plain(n) for n in names], widths, left=left, color=technique.color,
                label=_plain(technique.label))  # fmt: skip
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_xlabel("spans per article")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
    return png_data_uri(figure)


def density_per_outlet(outlets: dict[str, Group]) -> str:
    names = list(outlets)[:MAX_OUTLETS][::-1]
    figure, ax = _figure(7, 0.9 + 0.32 * len(names))
    ax.barh([_plain(n) for n in names], [100 * outlets[n].mean_density for n in names],
            color="#e76f51")  # fmt: skip
    ax.set_xlabel("mean propaganda density (% of characters inside a span)")
    return png_data_uri(figure)


def density_over_time(
    periods: dict[date, Group], unit: str, outlets: dict[str, dict[date, Group]]
) -> str:
    """Mean density per period for the corpus, and one thin line per outlet if given."""
    figure, ax = _figure(8, 3.4)
    for name, series in outlets.items():
        days = list(series)
        ax.plot(days, [100 * series[d].mean_density for d in days], linewidth=1, alpha=0.6,
                label=_plain(name))  # fmt: skip
    days = list(periods)
    ax.plot(days, [100 * periods[d].mean_density for d in days], marker="o", color="#222",
            linewidth=2, label="all outlets")  # fmt: skip
    ax.set_ylabel("mean density (%)")
    ax.set_xlabel("week starting on" if unit == "week" else "day")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    if outlets:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
    figure.autofmt_xdate()
    return png_data_uri(figure)


SOURCE_KIND_COLORS = {
    "named": "#4c8ed9",
    "role": "#8e7cc3",
    "vague": "#f4a259",
    "anonymous": "#e05a5a",
}


def sources_per_outlet(outlets: dict[str, Group]) -> str:
    """Stacked bars: attributions per article of each source kind, for the largest outlets."""
    names = [n for n in outlets if outlets[n].sourced][:MAX_OUTLETS][::-1]
    figure, ax = _figure(8, 0.9 + 0.38 * len(names))
    left = [0.0] * len(names)
    for kind, color in SOURCE_KIND_COLORS.items():
        widths = [outlets[n].per_sourced_article(f"n_sources_{kind}") for n in names]
        ax.barh([_plain(n) for n in names], widths, left=left, color=color, label=kind)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_xlabel("attributions per article, by kind of source")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return png_data_uri(figure)


def unattributed_per_outlet(outlets: dict[str, Group]) -> str:
    """Bars: share of each outlet's claims that no attribution covers."""
    names = [n for n in outlets if outlets[n].sourced][:MAX_OUTLETS][::-1]
    figure, ax = _figure(7, 0.9 + 0.32 * len(names))
    ax.barh([_plain(n) for n in names], [100 * outlets[n].share_unattributed for n in names],
            color="#c0392b")  # fmt: skip
    ax.set_xlabel("claims with no source (% of the outlet's claims)")
    ax.set_xlim(0, 100)
    return png_data_uri(figure)


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height))
    ax = figure.subplots()
    ax.spines[["top", "right"]].set_visible(False)
    return figure, ax


def _plain(text: str) -> str:
    """Text shown literally: matplotlib would read ``$...$`` as mathematics."""
    return text.replace("$", r"\$")


def outlets_by_size(outlets: dict[str, Group]) -> dict[str, Group]:
    """Outlets from the most to the least articles (name breaks ties), for stable charts."""
    return dict(sorted(outlets.items(), key=lambda item: (-item[1].articles, item[0])))
