"""Read a batch output table back, row by row, whatever its format.

Parquet is read one record batch at a time and JSONL one line at a time, so
a report over a corpus of any size needs memory for a batch, not the table.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

from proplens.batch.output import FORMATS
from proplens.batch.rows import COLUMNS
from proplens.errors import FormatError, InputError


def iter_rows(
    path: Path, columns: Sequence[str] | None = None, optional: Sequence[str] = ()
) -> Iterator[dict]:
    """The rows of a ``proplens batch`` output (.parquet or .jsonl), limited to ``columns``.

    ``optional`` columns are read when the table has them and are None otherwise
    (tables written before they existed).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            f"{path}: expected the output table of 'proplens batch', a .parquet or .jsonl file"
        )
    wanted = list(columns or COLUMNS)
    rows = (
        _parquet_rows(path, wanted, optional)
        if fmt == "parquet"
        else _jsonl_rows(path, wanted, optional)
    )
    yield from rows


def _parquet_rows(path: Path, columns: list[str], optional: Sequence[str]) -> Iterator[dict]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as err:
        raise FormatError(f"{path}: not a readable Parquet file ({err})") from None
    missing = [c for c in columns if c not in handle.schema_arrow.names]
    if missing:
        raise FormatError(f"{path}: not a proplens batch table (no column {missing[0]!r})")
    present = [c for c in optional if c in handle.schema_arrow.names and c not in columns]
    absent = dict.fromkeys(c for c in optional if c not in present and c not in columns)
    for batch in handle.iter_batches(batch_size=256, columns=columns + present):
        for row in batch.to_pylist():
            yield {**row, **absent}


def _jsonl_rows(path: Path, columns: list[str], optional: Sequence[str]) -> Iterator[dict]:
    try:
        yield from _jsonl_lines(path, columns, optional)
    except UnicodeDecodeError as err:
        raise FormatError(f"{path}: not valid UTF-8 (byte offset {err.start})") from None


def _jsonl_lines(path: Path, columns: list[str], optional: Sequence[str]) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise FormatError(f"{path}:{number}: not valid JSON ({err.msg})") from None
            if not isinstance(row, dict) or any(c not in row for c in columns):
                raise FormatError(f"{path}:{number}: not a row of a proplens batch table")
            yield {c: row[c] for c in columns} | {c: row.get(c) for c in optional}
