"""Sources as JSON (the ``attributions``, ``claims`` and ``hedges`` keys of schema 1.1).

Every object repeats its words as ``text`` (always ``text[start:end]``), so a
reader needs no offset arithmetic; :func:`sources_from_dict` checks that it
does, as :func:`proplens.formats.jsonio.article_from_dict` does for spans.
"""

from __future__ import annotations

from typing import Any

from proplens.errors import FormatError
from proplens.sources.results import (
    CUE_KINDS,
    HEDGE_KINDS,
    SOURCE_KINDS,
    STANCES,
    Attribution,
    Claim,
    Hedge,
    SourceRef,
    Sources,
    VerbRef,
)

KEYS = ("attributions", "claims", "hedges")


def sources_to_dict(sources: Sources, text: str) -> dict[str, Any]:
    """``{"attributions": [...], "claims": [...], "hedges": [...]}`` for ``text``."""
    return {
        "attributions": [_attribution(a, text) for a in sources.attributions],
        "claims": [_claim(c, text) for c in sources.claims],
        "hedges": [
            {"start": h.start, "end": h.end, "text": text[h.start : h.end], "kind": h.kind}
            for h in sources.hedges
        ],
    }


def _attribution(a: Attribution, text: str) -> dict[str, Any]:
    return {
        "start": a.start,
        "end": a.end,
        "text": text[a.start : a.end],
        "source": (
            {**_piece(a.source.start, a.source.end, text), "kind": a.source.kind}
            if a.source
            else None
        ),
        "verb": {
            **_piece(a.verb.start, a.verb.end, text),
            "stance": a.verb.stance,
            "kind": a.verb.kind,
        },
        "content": _piece(a.content_start, a.content_end, text),
        "quote": a.quote,
        "content_more": [_piece(start, end, text) for start, end in a.content_more],
        "source_referent": (
            _piece(*a.source.referent, text) if a.source and a.source.referent else None
        ),
    }


def _claim(c: Claim, text: str) -> dict[str, Any]:
    return {
        "start": c.start,
        "end": c.end,
        "text": text[c.start : c.end],
        "attribution": c.attribution,
        "check_worthy": c.check_worthy,
        "quantities": [_piece(start, end, text) for start, end in c.quantities],
    }


def _piece(start: int, end: int, text: str) -> dict[str, Any]:
    return {"start": start, "end": end, "text": text[start:end]}


# -- reading ------------------------------------------------------------------------------


def sources_from_dict(data: dict[str, Any], text: str, where: str = "<json>") -> Sources:
    """The :class:`Sources` held in a schema-1.1 object, checked against ``text``."""
    items = {}
    for key in KEYS:
        value = data.get(key, [])
        if not isinstance(value, list):
            raise FormatError(f"{where}: {key!r} should be a list, found {value!r:.60}")
        items[key] = value
    attributions = tuple(
        _read_attribution(item, text, f"{where}: attributions[{i}]")
        for i, item in enumerate(items["attributions"])
    )
    claims = tuple(
        _read_claim(item, text, len(attributions), f"{where}: claims[{i}]")
        for i, item in enumerate(items["claims"])
    )
    hedges = tuple(
        _read_hedge(item, text, f"{where}: hedges[{i}]") for i, item in enumerate(items["hedges"])
    )
    return Sources(attributions, claims, hedges)


def _read_attribution(item: Any, text: str, where: str) -> Attribution:
    start, end = _offsets(item, text, where)
    sourceless = isinstance(item, dict) and "source" in item and item["source"] is None
    source = None if sourceless else _object(item, "source", where)
    verb = _object(item, "verb", where)
    content = _object(item, "content", where)
    quote = item.get("quote")
    if not isinstance(quote, bool):
        raise FormatError(f"{where}: 'quote' should be true or false, found {quote!r:.60}")
    content_start, content_end = _offsets(content, text, f"{where}: content")
    more = item.get("content_more", [])
    if not isinstance(more, list):
        raise FormatError(f"{where}: 'content_more' should be a list, found {more!r:.60}")
    content_more = tuple(
        _offsets(piece, text, f"{where}: content_more[{n}]") for n, piece in enumerate(more)
    )
    referent = item.get("source_referent")
    if referent is not None and source is None:
        raise FormatError(f"{where}: 'source_referent' needs a source, and 'source' is null")
    if referent is not None:
        referent = _offsets(referent, text, f"{where}: source_referent")
    return Attribution(
        start,
        end,
        None
        if source is None
        else SourceRef(
            *_offsets(source, text, f"{where}: source"),
            _label(source, "kind", SOURCE_KINDS, where),
            referent,
        ),
        VerbRef(
            *_offsets(verb, text, f"{where}: verb"),
            _label(verb, "stance", STANCES, where),
            _label(verb, "kind", CUE_KINDS, where) if "kind" in verb else "speech",
        ),
        content_start,
        content_end,
        quote,
        content_more,
    )


def _read_claim(item: Any, text: str, count: int, where: str) -> Claim:
    start, end = _offsets(item, text, where)
    index = item.get("attribution")
    if index is not None and (not _is_int(index) or not 0 <= index < count):
        raise FormatError(
            f"{where}: 'attribution' {index!r:.60} is not null or an index below {count}"
        )
    score = item.get("check_worthy")
    if not isinstance(score, int | float) or isinstance(score, bool) or not 0 <= score <= 1:
        raise FormatError(f"{where}: 'check_worthy' {score!r:.60} is not a number in [0, 1]")
    quantities = item.get("quantities", [])
    if not isinstance(quantities, list):
        raise FormatError(f"{where}: 'quantities' should be a list")
    spans = tuple(_offsets(q, text, f"{where}: quantities[{i}]") for i, q in enumerate(quantities))
    return Claim(start, end, index, float(score), spans)


def _read_hedge(item: Any, text: str, where: str) -> Hedge:
    start, end = _offsets(item, text, where)
    return Hedge(start, end, _label(item, "kind", HEDGE_KINDS, where))


def _object(item: Any, key: str, where: str) -> dict[str, Any]:
    value = item.get(key) if isinstance(item, dict) else None
    if not isinstance(value, dict):
        raise FormatError(f"{where}: {key!r} should be an object, found {value!r:.60}")
    return value


def _offsets(item: Any, text: str, where: str) -> tuple[int, int]:
    if not isinstance(item, dict):
        raise FormatError(f"{where}: expected an object, found {type(item).__name__}")
    start, end = item.get("start"), item.get("end")
    if not (_is_int(start) and _is_int(end) and 0 <= start < end <= len(text)):
        raise FormatError(
            f"{where}: offsets [{start!r:.20}, {end!r:.20}) do not fit "
            f"0 <= start < end <= {len(text)}"
        )
    if "text" in item and item["text"] != text[start:end]:
        raise FormatError(
            f"{where}: text {item['text']!r:.60} differs from text[{start}:{end}] "
            f"= {text[start:end]!r:.60}"
        )
    return start, end


def _label(item: dict[str, Any], key: str, allowed: tuple[str, ...], where: str) -> str:
    value = item.get(key)
    if value not in allowed:
        raise FormatError(f"{where}: {key} {value!r:.60} is not one of {', '.join(allowed)}")
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
