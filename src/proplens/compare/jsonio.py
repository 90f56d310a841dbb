"""The JSON of a comparison (``proplens compare --format json``, ``POST /v1/compare``).

See docs/formats.md ("Comparison JSON"). ``a`` and ``b`` are each exactly what
``proplens analyze --format json`` gives for that text (with ``--sources``
when those checks ran: the schema-1.1 ``attributions``, ``claims`` and
``hedges``); every other offset points into ``a.text`` or ``b.text``
and every ``text`` next to offsets repeats that slice.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from proplens.compare.result import Comparison, Flag, Item
from proplens.formats.jsonio import article_to_dict

SCHEMA_VERSION = "1.2"


def comparison_to_dict(
    comparison: Comparison, model: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    a_text, b_text = comparison.a.text, comparison.b.text
    return {
        "schema_version": SCHEMA_VERSION,
        "type": "comparison",
        "a": article_to_dict(comparison.a, model),
        "b": article_to_dict(comparison.b, model),
        "alignment": [_item(item, a_text, b_text) for item in comparison.items],
        "summary": comparison.summary,
    }


def dumps(comparison: Comparison, model: Mapping[str, Any] | None = None, indent=2) -> str:
    return json.dumps(comparison_to_dict(comparison, model), ensure_ascii=False, indent=indent)


def _item(item: Item, a_text: str, b_text: str) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "shape": item.shape,
        "a": _piece(item.a, a_text, item.a_sentences),
        "b": _piece(item.b, b_text, item.b_sentences),
        "similarity": round(item.similarity, 4),
        "changes": [
            {
                "op": change.op,
                "a": _offsets(change.a_start, change.a_end, a_text),
                "b": _offsets(change.b_start, change.b_end, b_text),
            }
            for change in item.changes
        ],
        "flags": [_flag(flag, a_text, b_text) for flag in item.flags],
    }


def _piece(where, text: str, sentences: tuple[int, ...]) -> dict[str, Any] | None:
    if where is None:
        return None
    return {**_offsets(*where, text), "sentences": list(sentences)}


def _offsets(start: int, end: int, text: str) -> dict[str, Any]:
    return {"start": start, "end": end, "text": text[start:end]}


def _flag(flag: Flag, a_text: str, b_text: str) -> dict[str, Any]:
    return {
        "type": flag.type,
        "a_text": None if flag.a is None else a_text[flag.a[0] : flag.a[1]],
        "b_text": None if flag.b is None else b_text[flag.b[0] : flag.b[1]],
        "a": None if flag.a is None else {"start": flag.a[0], "end": flag.a[1]},
        "b": None if flag.b is None else {"start": flag.b[0], "end": flag.b[1]},
        **flag.detail,
    }
