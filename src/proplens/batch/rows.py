"""One output row per analysed article, and the fixed table schema it follows.

Columns, in order: ``id``, ``title``, ``source``, ``url``, ``date``,
``n_chars``, ``n_spans``, ``density`` (share of characters inside any span),
one ``count_<technique>`` integer column per technique (stable names, in the
order of :data:`proplens.techniques.NAMES`), the :data:`SOURCE_COLUMNS` (counts
of sources by kind, claims and hedges; null unless ``batch --sources``), ``spans`` (a list of
``{start, end, technique, score, text}``), ``extraction`` (how the text was
taken out of HTML, else null) and ``text`` (the analysed text, so the report
can show an article with its spans highlighted).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from proplens.article import Span
from proplens.batch.records import Item
from proplens.sources.results import SOURCE_KINDS, Sources
from proplens.techniques import NAMES


def technique_column(name: str) -> str:
    """``"Name_Calling,Labeling"`` -> ``"count_name_calling_labeling"``."""
    return "count_" + re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


TECHNIQUE_COLUMNS: dict[str, str] = {name: technique_column(name) for name in NAMES}
"""Technique corpus name -> its count column, in the fixed technique order."""

SOURCE_COLUMNS = (
    "n_attributions",
    *(f"n_sources_{kind}" for kind in SOURCE_KINDS),
    "n_claims",
    "n_claims_unattributed",
    "share_unattributed",
    "n_hedges",
    "n_certainty",
)
"""Per-article counts from :mod:`proplens.sources` (``share_unattributed`` is
unattributed claims / claims, null without claims)."""

META_COLUMNS = ("id", "title", "source", "url", "date")
EXTRACTION_FIELDS = ("extractor", "version", "title", "date", "url", "sitename")
COLUMNS: tuple[str, ...] = (
    *META_COLUMNS,
    "n_chars",
    "n_spans",
    "density",
    *TECHNIQUE_COLUMNS.values(),
    *SOURCE_COLUMNS,
    "spans",
    "extraction",
    "text",
)


def make_row(item: Item, spans: Iterable[Span], sources: Sources | None = None) -> dict:
    """The output row of ``item`` analysed into ``spans`` (and ``sources``, if found)."""
    spans = sorted(spans, key=lambda s: (s.start, s.end, s.technique or ""))
    counts = dict.fromkeys(TECHNIQUE_COLUMNS.values(), 0)
    for span in spans:
        column = TECHNIQUE_COLUMNS.get(span.technique or "")
        if column:
            counts[column] += 1
    n_chars = len(item.text)
    row = {
        "id": item.id,
        "title": item.title,
        "source": item.source,
        "url": item.url,
        "date": item.date,
        "n_chars": n_chars,
        "n_spans": len(spans),
        "density": covered_chars(spans) / n_chars if n_chars else 0.0,
        **counts,
        **source_counts(sources),
        "spans": [_span_dict(item.text, s) for s in spans],
        "extraction": _extraction(item.extraction),
        "text": item.text,
    }
    return row


def source_counts(sources: Sources | None) -> dict:
    """The :data:`SOURCE_COLUMNS` of one article; all null when sources were not found."""
    if sources is None:
        return dict.fromkeys(SOURCE_COLUMNS)
    kinds = {kind: 0 for kind in SOURCE_KINDS}
    for attribution in sources.attributions:
        if attribution.source is not None:  # one without a source counts in n_attributions only
            kinds[attribution.source.kind] += 1
    claims, unattributed = len(sources.claims), len(sources.unattributed())
    return {
        "n_attributions": len(sources.attributions),
        **{f"n_sources_{kind}": n for kind, n in kinds.items()},
        "n_claims": claims,
        "n_claims_unattributed": unattributed,
        "share_unattributed": unattributed / claims if claims else None,
        "n_hedges": sum(h.kind == "hedge" for h in sources.hedges),
        "n_certainty": sum(h.kind == "certainty" for h in sources.hedges),
    }


def covered_chars(spans: Iterable[Span]) -> int:
    """Number of characters inside at least one span (overlaps counted once)."""
    covered = 0
    reach = 0
    for span in sorted(spans, key=lambda s: s.start):
        start = max(span.start, reach)
        if span.end > start:
            covered += span.end - start
        reach = max(reach, span.end)
    return covered


def _span_dict(text: str, span: Span) -> dict:
    return {
        "start": span.start,
        "end": span.end,
        "technique": span.technique,
        "score": None if span.score is None else float(span.score),
        "text": text[span.start : span.end],
    }


def _extraction(record: dict | None) -> dict | None:
    if record is None:
        return None
    return {name: record.get(name) for name in EXTRACTION_FIELDS}


def arrow_schema():
    """The Parquet schema of the output table (pyarrow is imported only when needed)."""
    import pyarrow as pa

    span = pa.struct(
        [
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("technique", pa.string()),
            ("score", pa.float64()),
            ("text", pa.string()),
        ]
    )
    extraction = pa.struct([(name, pa.string()) for name in EXTRACTION_FIELDS])
    fields = [(name, pa.string()) for name in META_COLUMNS]
    fields += [("n_chars", pa.int64()), ("n_spans", pa.int64()), ("density", pa.float64())]
    fields += [(column, pa.int64()) for column in TECHNIQUE_COLUMNS.values()]
    fields += [
        (column, pa.float64() if column == "share_unattributed" else pa.int64())
        for column in SOURCE_COLUMNS
    ]
    fields += [("spans", pa.list_(span)), ("extraction", extraction), ("text", pa.string())]
    schema = pa.schema(fields)
    assert tuple(schema.names) == COLUMNS
    return schema
