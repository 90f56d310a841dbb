"""Read the batch inputs, in a fixed order, as a lazy stream of records.

Accepted inputs: directories (their ``.txt``, ``.html`` and ``.htm`` files,
sorted by name), ``.txt`` files, HTML files, JSONL files (one object per line
with ``id``, ``text`` and optional ``title``, ``source``, ``url``, ``date``)
and CSV files with the same columns. A problem with one record becomes a
:class:`BadRecord`; only an input that does not exist at all stops the run.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from proplens.article import (
    DEFAULT_MAX_BYTES,
    FileProblem,
    article_id,
    decode_text,
    open_regular,
    read_file_bytes,
    title_of,
)
from proplens.batch.html_extract import ExtractionError, extract_html
from proplens.batch.records import BadRecord, Item, Location, Record
from proplens.errors import InputError
from proplens.fetch.urls import is_url, redact_url

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
META_FIELDS = ("title", "source", "url", "date")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_CSV_FIELD_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True)
class Source:
    """One input file and how to read it: ``txt``, ``html``, ``jsonl`` or ``csv``."""

    kind: str
    path: Path


def resolve_inputs(inputs: Iterable[str | Path]) -> list[Source]:
    """Expand the command-line inputs into files, refusing what cannot be read at all."""
    sources: list[Source] = []
    for raw in inputs:
        if is_url(str(raw)):  # echoed without its password, if it carries one
            raise InputError(
                f"{redact_url(str(raw))}: batch reads files and folders, not URLs "
                "(save the pages as .html files, or analyse one with proplens analyze URL)"
            )
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir() if p.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES
            )
            if not found:
                raise InputError(f"{path}: directory has no .txt, .html or .htm files")
            sources.extend(Source(_kind_of(p), p) for p in found)
        elif not path.exists():
            raise InputError(f"{path}: no such file or directory")
        else:
            sources.append(Source(_kind_of(path), path))
    return sources


def _kind_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "txt"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in (".jsonl", ".csv"):
        return suffix[1:]
    raise InputError(
        f"{path}: unknown input type; expected a directory or a .txt, .html, .htm, .jsonl "
        "or .csv file"
    )


def read_records(sources: Iterable[Source], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Record]:
    """All records of all sources in input order; later duplicates of an id become bad records."""
    first_seen: dict[str, str] = {}
    for source in sources:
        for record in _READERS[source.kind](source.path, max_bytes):
            if isinstance(record, Item):
                if record.id in first_seen:
                    record = BadRecord(
                        record.location,
                        record.id,
                        f"duplicate id {record.id!r} (first seen at {first_seen[record.id]})",
                    )
                else:
                    first_seen[record.id] = str(record.location)
            yield record


def count_records(sources: Iterable[Source], max_bytes: int = DEFAULT_MAX_BYTES) -> int:
    """A quick estimate of the number of records, for the progress bar."""
    total = 0
    for source in sources:
        if source.kind == "jsonl":
            try:
                with open_regular(source.path) as handle:
                    lines = _bounded_lines(handle, record_limit(max_bytes))
                    total += sum(1 for _, line in lines if line is None or line.strip())
            except FileProblem:
                total += 1  # reported as one bad record when read
        elif source.kind == "csv":
            total += sum(1 for _ in _csv_rows(source.path, max_bytes))
        else:
            total += 1
    return total


# -- one reader per input kind ------------------------------------------------------------


def _read_txt(path: Path, max_bytes: int) -> Iterator[Record]:
    location = Location(str(path))
    id_ = article_id(path)
    data, problem = _read_bytes(path, max_bytes)
    if problem:
        yield BadRecord(location, id_, problem)
        return
    try:
        text = decode_text(data, "text", max_bytes)
    except InputError as err:
        yield BadRecord(location, id_, str(err).removeprefix("text: "))
        return
    yield _item_or_bad(location, {"id": id_, "text": text})


def _read_html(path: Path, max_bytes: int) -> Iterator[Record]:
    location = Location(str(path))
    id_ = article_id(path)
    data, problem = _read_bytes(path, max_bytes)
    if problem:
        yield BadRecord(location, id_, problem)
        return
    try:
        extracted = extract_html(data)
    except ExtractionError as err:
        yield BadRecord(location, id_, str(err))
        return
    meta = extracted.record
    fields = {
        "id": id_,
        "text": extracted.text,
        "title": meta["title"],
        "source": meta["sitename"],
        "url": meta["url"],
        "date": meta["date"],
    }
    yield _item_or_bad(location, fields, extraction=meta)


def _read_jsonl(path: Path, max_bytes: int) -> Iterator[Record]:
    try:
        handle = open_regular(path)
    except FileProblem as err:
        yield BadRecord(Location(str(path)), None, err.reason)
        return
    limit = record_limit(max_bytes)
    with handle:
        for number, raw in _bounded_lines(handle, limit):
            location = Location(str(path), number)
            if raw is None:
                yield BadRecord(location, None, _too_long("line", limit, "bytes", "skipped"))
                continue
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                yield BadRecord(location, None, f"not valid UTF-8 (byte offset {err.start})")
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                yield BadRecord(location, None, f"not valid JSON ({err.msg} at column {err.colno})")
                continue
            if not isinstance(obj, dict):
                yield BadRecord(location, None, "not a JSON object")
                continue
            yield _item_or_bad(location, obj)


def _bounded_lines(handle: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """``(number, line)`` per line (1-based); ``(number, None)`` for one over ``limit`` bytes
    (its line break included).

    A plain ``for line in handle`` holds a whole line in memory, so a one-line
    file of gigabytes (or one with no line breaks at all) was read whole; here
    at most ``limit`` bytes are held, and the rest of a longer line is skipped
    in 64 KiB blocks.
    """
    number = 0
    while line := handle.readline(limit + 1):
        number += 1
        if len(line) > limit:
            while not line.endswith(b"\n") and (line := handle.readline(1 << 16)):
                pass  # the rest of the line, never held whole
            yield number, None
        else:
            yield number, line


def _read_csv(path: Path, max_bytes: int) -> Iterator[Record]:
    for location, row in _csv_rows(path, max_bytes):
        if isinstance(row, str):
            yield BadRecord(location, None, row)
        else:
            yield _item_or_bad(location, row)


def _csv_rows(
    path: Path, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[tuple[Location, dict | str]]:
    """``(location, row)`` per CSV record, or ``(location, problem)`` where reading fails."""
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    try:
        binary = open_regular(path)
    except FileProblem as err:
        yield Location(str(path)), err.reason
        return
    with io.TextIOWrapper(
        binary, encoding="utf-8-sig", errors="surrogateescape", newline=""
    ) as handle:
        lines = _RecordLines(handle, record_limit(max_bytes))
        reader = csv.DictReader(lines)
        line = 1
        try:
            header = reader.fieldnames or []
            missing = [name for name in ("id", "text") if name not in header]
            if missing:
                yield Location(str(path), 1), f"CSV header has no {' or '.join(missing)} column"
                return
            line = reader.line_num + 1
            lines.taken = 0
            for row in reader:
                yield Location(str(path), line), row
                line, lines.taken = reader.line_num + 1, 0
        except _TooLong:
            problem = _too_long("CSV record", lines.limit, "characters", "rest of file skipped")
            yield Location(str(path), line), problem
        except csv.Error as err:
            yield Location(str(path), line), f"CSV cannot be parsed ({err}); rest of file skipped"


class _TooLong(Exception):
    """A CSV record over its limit (raised through the csv reader, caught by ``_csv_rows``)."""


class _RecordLines:
    """The lines of a text file for :mod:`csv`, each read with a bound, the record's sum too.

    ``csv`` asks its file for whole lines, so a CSV without line breaks was read
    whole into memory. Here no line is read past ``limit`` characters, and the
    lines of one record (``taken``, reset by the caller after each row) may not
    add up to more: a record cannot be resumed after a cut (it may be inside
    quotes), so :class:`_TooLong` ends the file.
    """

    def __init__(self, handle: io.TextIOBase, limit: int) -> None:
        self.handle, self.limit, self.taken = handle, limit, 0

    def __iter__(self) -> _RecordLines:
        return self

    def __next__(self) -> str:
        line = self.handle.readline(self.limit + 1)
        if not line:
            raise StopIteration
        self.taken += len(line)
        if self.taken > self.limit:  # this line alone, or the record's lines together
            raise _TooLong()
        return line


def record_limit(max_bytes: int) -> int:
    """The most bytes (characters, for CSV) one JSONL line or CSV record may take.

    Room for an article of ``max_bytes`` written with JSON's six-byte escapes,
    plus its metadata: 16 MiB with the default 2 MB articles. Memory per record
    stays within this however large the file.
    """
    return 8 * max_bytes


def _too_long(what: str, limit: int, unit: str, then: str) -> str:
    return f"{what} over the limit of {limit:,} {unit} for one record; {then}"


_READERS = {"txt": _read_txt, "html": _read_html, "jsonl": _read_jsonl, "csv": _read_csv}


# -- shared checks ------------------------------------------------------------------------


def _read_bytes(path: Path, max_bytes: int) -> tuple[bytes, str | None]:
    """The file's bytes, or why it cannot be read (a FIFO, /dev/zero, too large, ...)."""
    try:
        return read_file_bytes(path, max_bytes), None
    except FileProblem as err:
        return b"", err.reason


def _item_or_bad(location: Location, fields: dict, extraction: dict | None = None) -> Record:
    """An :class:`Item` from a mapping of fields, or the reason it cannot be one."""
    raw_id = fields.get("id")
    id_ = _as_id(raw_id)
    if id_ is None:
        if raw_id in (None, ""):
            return BadRecord(location, None, "missing 'id' field")
        return BadRecord(location, None, "'id' must be a string or integer")
    text = fields.get("text")
    if text is None:
        return BadRecord(location, id_, "missing 'text' field")
    if not isinstance(text, str):
        return BadRecord(location, id_, "'text' must be a string")
    meta: dict[str, str | None] = {}
    for name in META_FIELDS:
        value = fields.get(name)
        if value is not None and not isinstance(value, str):
            return BadRecord(location, id_, f"'{name}' must be a string")
        meta[name] = value or None
    for name, value in [("text", text), ("id", id_), *meta.items()]:
        if value and _LONE_SURROGATE.search(value):
            return BadRecord(location, id_, f"'{name}' is not valid UTF-8 text")
    if not text.strip():
        return BadRecord(location, id_, "empty text")
    title = meta.pop("title") or title_of(text)
    return Item(location, id_, text, title=title, extraction=extraction, **meta)


def _as_id(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value
    return None
