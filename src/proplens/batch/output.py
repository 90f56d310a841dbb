"""Write rows as Parquet or JSONL files, atomically, and merge part files into one.

The format follows the output file's extension. Every file is written to a
temporary name and renamed into place, so a reader (or a resumed run) never
sees half a file. Merging streams one part at a time, so memory stays flat.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from proplens.batch.rows import arrow_schema
from proplens.errors import InputError

FORMATS = {".parquet": "parquet", ".jsonl": "jsonl"}


def output_format(path: Path) -> str:
    """``parquet`` or ``jsonl``, from the extension of ``path``."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise InputError(f"{path}: output must end in .parquet or .jsonl") from None


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path next to ``path``, renamed onto it only if the block succeeds."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, path)
    except OSError as err:  # name the file being written: a failed write() names none
        reason = os.strerror(err.errno) if err.errno else err.strerror or str(err)
        raise OSError(err.errno, reason, str(path)) from err  # pyarrow's text is longer
    finally:
        tmp.unlink(missing_ok=True)


def write_rows(rows: list[dict], path: Path, fmt: str) -> None:
    """Write ``rows`` to ``path`` (one Parquet row group, or JSON lines), atomically."""
    with atomic_path(path) as tmp:
        if fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema()), tmp)
        else:
            write_jsonl(rows, tmp)


def write_jsonl(objects: Iterable[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for obj in objects:
            handle.write(json.dumps(obj, ensure_ascii=False) + "\n")


def merge_files(parts: list[Path], path: Path, fmt: str) -> None:
    """Concatenate part files, in the given order, into ``path`` atomically."""
    with atomic_path(path) as tmp:
        if fmt == "parquet":
            _merge_parquet(parts, tmp)
        else:
            concat_files(parts, tmp)


def concat_files(parts: list[Path], path: Path) -> None:
    with path.open("wb") as out:
        for part in parts:
            with part.open("rb") as handle:
                while block := handle.read(1 << 20):
                    out.write(block)


def _merge_parquet(parts: list[Path], path: Path) -> None:
    import pyarrow.parquet as pq

    schema = arrow_schema()
    with pq.ParquetWriter(path, schema) as writer:
        for part in parts:
            table = pq.read_table(part, schema=schema)
            if table.num_rows:
                writer.write_table(table)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
