"""What the input readers produce: an article ready for analysis, or a bad record.

Both carry the :class:`Location` they came from, so every problem in the
errors file points at a file and, for JSONL and CSV, a line.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where a record was read: a file and, for line-based formats, a 1-based line."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Item:
    """One readable article waiting for analysis (plain data, cheap to send to a worker)."""

    location: Location
    id: str
    text: str
    title: str = ""
    source: str | None = None
    url: str | None = None
    date: str | None = None
    extraction: dict | None = None


@dataclass(frozen=True)
class BadRecord:
    """An input record that is skipped, with the reason reported in the errors file."""

    location: Location
    id: str | None
    reason: str

    def to_json(self) -> dict:
        return {
            "file": self.location.file,
            "line": self.location.line,
            "id": self.id,
            "reason": self.reason,
        }


Record = Item | BadRecord
