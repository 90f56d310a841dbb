"""Main-text extraction from HTML files with trafilatura, offline.

Only the file's own content is used (nothing is fetched). The extractor's name
and version and the metadata it found are kept, so an output row says how its
text was obtained.
"""

from __future__ import annotations

from dataclasses import dataclass


class ExtractionError(ValueError):
    """The HTML has no main text that the extractor can find."""


@dataclass(frozen=True)
class Extracted:
    text: str
    record: dict
    """extractor, version, and the title/date/url/sitename metadata found (or None)."""


def extract_html(data: bytes) -> Extracted:
    """The main text of an HTML document and a record of how it was extracted."""
    import trafilatura

    if b"\x00" in data[:8192]:
        raise ExtractionError("looks like a binary file (contains NUL bytes), expected HTML")
    try:
        doc = trafilatura.bare_extraction(
            data, with_metadata=True, include_comments=False, include_tables=True
        )
    except Exception as err:  # lxml and trafilatura raise many kinds on broken input
        raise ExtractionError(f"cannot parse the HTML ({type(err).__name__}: {err})") from None
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    if not text.strip():
        raise ExtractionError("no main text could be extracted from the HTML")
    record = {
        "extractor": "trafilatura",
        "version": trafilatura.__version__,
        "title": _meta(doc, "title"),
        "date": _meta(doc, "date"),
        "url": _meta(doc, "url"),
        "sitename": _meta(doc, "sitename"),
    }
    return Extracted(text=text, record=record)


def _meta(doc: object, name: str) -> str | None:
    value = getattr(doc, name, None)
    return str(value) if value else None
