"""JSON and JSON Lines output of an analysis (schema version 1.1, see docs/formats.md).

One article becomes one object::

    {"schema_version": "1.1", "id": "123", "title": "...",
     "source": ..., "url": ..., "date": ..., "model": {"name": ..., "version": ...},
     "text": "...", "spans": [{"start": 0, "end": 4, "technique": "Doubt",
                              "score": 0.91, "text": "..."}],
     "attributions": [...], "claims": [...], "hedges": [...]}

``source``/``url``/``date``/``model`` appear only when known; ``attributions``,
``claims`` and ``hedges`` (added in 1.1, see :mod:`proplens.sources.serialize`)
only when sources were asked for, and ``spans`` is left out when no detector
ran (``proplens sources``). Each span's ``text`` repeats ``text[start:end]`` so
that a reader needs no offset arithmetic; :func:`article_from_dict` checks that
it does. Readers of 1.0 read 1.1 documents (they ignore the new keys), and
:func:`article_from_dict` reads both.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

from proplens.article import Article, Span
from proplens.errors import FormatError
from proplens.sources.serialize import KEYS as SOURCE_KEYS
from proplens.sources.serialize import sources_from_dict, sources_to_dict
from proplens.techniques import BY_NAME

SCHEMA_VERSION = "1.1"
_META = ("source", "url", "date")


def article_to_dict(
    article: Article, model: Mapping[str, Any] | None = None, *, spans: bool = True
) -> dict[str, Any]:
    """The schema-1.1 object for ``article``; ``model`` contributes its name and version.

    ``spans=False`` leaves out the ``spans`` key (no detector ran); the sources
    keys are there when ``article.sources`` is set.
    """
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "id": article.id,
        "title": article.title,
    }
    for key in _META:
        if getattr(article, key) is not None:
            out[key] = getattr(article, key)
    if model is not None:
        out["model"] = {key: model[key] for key in ("name", "version") if key in model}
    out["text"] = article.text
    if spans:
        out["spans"] = [_span_to_dict(article, span) for span in article.spans]
    if article.sources is not None:
        out.update(sources_to_dict(article.sources, article.text))
    return out


def _span_to_dict(article: Article, span: Span) -> dict[str, Any]:
    return {
        "start": span.start,
        "end": span.end,
        "technique": span.technique,
        "score": span.score,
        "text": article.span_text(span),
    }


def article_from_dict(data: Any, where: str = "<json>") -> Article:
    """Rebuild an :class:`Article` from a schema-1.x object (1.0 or 1.1), or raise FormatError.

    Checks the schema version, the types, that each span lies inside the text,
    that its technique is one of the 14 (or null) and that its ``text`` (when
    present) equals ``text[start:end]``; the same for attributions, claims
    and hedges when present. ``spans`` may be missing only from a document
    that carries sources. Unknown keys are ignored.
    """
    if not isinstance(data, dict):
        raise FormatError(f"{where}: expected a JSON object, found {type(data).__name__}")
    version = data.get("schema_version")
    if not isinstance(version, str) or version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise FormatError(f"{where}: unsupported schema_version {version!r} (expected 1.x)")
    text = _field(data, "text", str, where)
    if not text.strip():
        raise FormatError(f"{where}: 'text' is empty")
    has_sources = any(key in data for key in SOURCE_KEYS)
    spans_data = _field(data, "spans", list, where) if "spans" in data or not has_sources else []
    spans = [
        _span_from_dict(item, text, f"{where}: spans[{i}]") for i, item in enumerate(spans_data)
    ]
    meta = {key: _optional_str(data, key, where) for key in ("title", *_META)}
    article_id = _field(data, "id", str, where)
    if not article_id:
        raise FormatError(f"{where}: 'id' is empty")
    return Article(
        id=article_id,
        text=text,
        title=meta["title"] or "",
        source=meta["source"],
        url=meta["url"],
        date=meta["date"],
        spans=spans,
        sources=sources_from_dict(data, text, where) if has_sources else None,
    )


def _span_from_dict(item: Any, text: str, where: str) -> Span:
    if not isinstance(item, dict):
        raise FormatError(f"{where}: expected an object, found {type(item).__name__}")
    start, end = (_field(item, key, int, where) for key in ("start", "end"))
    if not 0 <= start < end <= len(text):
        raise FormatError(
            f"{where}: offsets [{start}, {end}) do not fit 0 <= start < end <= {len(text)}"
        )
    technique = item.get("technique")
    if technique is not None and technique not in BY_NAME:
        raise FormatError(f"{where}: unknown technique {technique!r}")
    score = item.get("score")
    if score is not None and not _is_probability(score):
        raise FormatError(f"{where}: score {score!r} is not a number in [0, 1]")
    if "text" in item and item["text"] != text[start:end]:
        raise FormatError(
            f"{where}: span text {item['text']!r} differs from text[{start}:{end}] "
            f"= {text[start:end]!r}"
        )
    return Span(start, end, technique, None if score is None else float(score))


def _field(data: dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in data:
        raise FormatError(f"{where}: missing key {key!r}")
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise FormatError(f"{where}: {key!r} should be {kind.__name__}, found {value!r:.60}")
    return value


def _optional_str(data: dict[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise FormatError(f"{where}: {key!r} should be a string or null, found {value!r:.60}")
    return value


def _is_probability(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0.0 <= value <= 1.0
    )


# -- JSON text ------------------------------------------------------------------------


def dumps(
    article: Article,
    model: Mapping[str, Any] | None = None,
    indent: int | None = 2,
    *,
    spans: bool = True,
) -> str:
    """The article as a JSON document (UTF-8 characters kept, not escaped)."""
    data = article_to_dict(article, model, spans=spans)
    return json.dumps(data, ensure_ascii=False, indent=indent)


def loads(document: str, where: str = "<json>") -> Article:
    """Parse one JSON document into an Article, or raise FormatError."""
    try:
        data = json.loads(document)
    except json.JSONDecodeError as err:
        raise FormatError(f"{where}: invalid JSON ({err.msg} at line {err.lineno})") from None
    return article_from_dict(data, where)


def write_jsonl(
    stream: TextIO, articles: Iterable[Article], model: Mapping[str, Any] | None = None
) -> int:
    """Write one compact JSON object per line; returns the number of articles written."""
    count = 0
    for article in articles:
        stream.write(dumps(article, model, indent=None) + "\n")
        count += 1
    return count


def iter_jsonl(lines: Iterable[str], source: str = "<jsonl>") -> Iterator[Article]:
    """Articles from JSON Lines; blank lines are skipped, errors name ``source:line``."""
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield loads(line, f"{source}:{number}")


def read_jsonl(path: str | Path) -> list[Article]:
    """All articles of a JSON Lines file."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            return list(iter_jsonl(stream, str(path)))
    except FileNotFoundError:
        raise FormatError(f"{path}: no such file") from None
    except UnicodeDecodeError as err:
        raise FormatError(f"{path}: not valid UTF-8 ({err.reason})") from None
    except OSError as err:
        raise FormatError(f"{path}: cannot read ({err.strerror})") from None
