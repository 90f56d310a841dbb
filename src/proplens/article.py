"""Articles and spans: character offsets into one exact text are the single truth.

An :class:`Article` holds the text exactly as it was read (``newline=''``, so
``\\r\\n`` stays two characters) and a list of :class:`Span` objects whose
``start``/``end`` are Python ``str`` indices into that text, as in the
SemEval-2020 Task 11 label files. Everything else (the fragment's text, the
sentence it sits in, which fragment another one nests in) is derived from the
offsets.

Spans may overlap and nest: a loaded word can be a span of its own inside a
longer sentence span of another technique, and one stretch of text can carry
two techniques as two spans with the same offsets. Nothing merges or drops
overlapping spans; :func:`enclosing` tells which span holds which.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from proplens.errors import InputError
from proplens.sources.results import Sources

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
"""Largest article file read by default (2 MB); larger ones are refused, not cut."""

_ARTICLE_ID = re.compile(r"^article(\d+)$")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, order=True)
class Span:
    """A fragment ``[start, end)`` of an article, with the technique it uses.

    ``technique`` is a corpus name from :mod:`proplens.techniques` (``None`` for
    span identification alone); ``score`` is the model's calibrated confidence
    in [0, 1] (``None`` for gold labels).
    """

    start: int
    end: int
    technique: str | None = None
    score: float | None = None

    def __post_init__(self) -> None:
        if not (0 <= self.start < self.end):
            raise ValueError(f"a span needs 0 <= start < end, got [{self.start}, {self.end})")

    def overlap(self, other: Span) -> int:
        """Number of characters shared with ``other`` (0 if disjoint)."""
        return max(0, min(self.end, other.end) - max(self.start, other.start))

    def __len__(self) -> int:
        return self.end - self.start


@dataclass
class Article:
    """One article: its exact text, a title, and the spans found in it.

    ``sources`` holds its attributions, claims and hedges when they were asked
    for (``analyze --sources``, :mod:`proplens.sources`), else None.
    """

    id: str
    text: str
    title: str = ""
    source: str | None = None
    url: str | None = None
    date: str | None = None
    spans: list[Span] = field(default_factory=list)
    sources: Sources | None = None

    def __post_init__(self) -> None:
        surrogate = _LONE_SURROGATE.search(self.text)
        if surrogate:  # no UTF-8 file holds one; only a program or a JSON escape can
            raise InputError(
                f"article {self.id!r}: the text holds a lone surrogate "
                f"(U+{ord(surrogate.group()):04X} at offset {surrogate.start()}), "
                "which is not valid Unicode text"
            )
        if not self.title:
            self.title = title_of(self.text)
        for span in self.spans:
            self._check(span)

    # -- construction -------------------------------------------------------
    @classmethod
    def from_text(cls, text: str, id: str = "article", **meta: str | None) -> Article:
        """An article from a string; refuses empty or whitespace-only text."""
        if not text.strip():
            raise InputError(f"article {id!r} is empty (no text besides whitespace)")
        return cls(id=id, text=text, **meta)

    @classmethod
    def from_file(cls, path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
        """Read ``article<ID>.txt`` (PTC layout: title, blank line, paragraphs)."""
        path = Path(path)
        text = read_text_file(path, max_bytes=max_bytes)
        if not text.strip():
            raise InputError(f"{path}: the file is empty (no text besides whitespace)")
        return cls.from_text(text, id=article_id(path))

    @classmethod
    def from_stdin(cls, id: str = "stdin", max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
        data = sys.stdin.buffer.read(max_bytes + 1)
        text = decode_text(data, "<stdin>", max_bytes)
        if not text.strip():
            raise InputError("<stdin>: the input is empty (no text besides whitespace)")
        return cls.from_text(text, id=id)

    # -- derived views --------------------------------------------------------
    def with_spans(self, spans: list[Span]) -> Article:
        """A copy of this article carrying ``spans`` (sorted by position)."""
        return replace(self, spans=sorted(spans, key=lambda s: (s.start, s.end, s.technique or "")))

    def span_text(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def sentences(self) -> list[tuple[int, int]]:
        """``(start, end)`` of each sentence, trimmed of surrounding whitespace."""
        return list(_trimmed_pieces(self.text, _SENTENCE_END))

    def paragraphs(self) -> list[tuple[int, int]]:
        """``(start, end)`` of each non-empty line (PTC articles put one paragraph per line)."""
        return list(_trimmed_pieces(self.text, re.compile(r"\n")))

    def _check(self, span: Span) -> None:
        if span.end > len(self.text):
            raise InputError(
                f"span [{span.start}, {span.end}) lies beyond the end of article {self.id!r} "
                f"({len(self.text)} characters)"
            )


def enclosing(spans: Sequence[Span]) -> list[int | None]:
    """For each span, the index of the shortest longer span that contains it, else None.

    Spans with the same offsets (one fragment with two techniques) do not contain
    each other; a span that only overlaps another is not inside it.

    >>> spans = [Span(0, 60, "Doubt"), Span(10, 18, "Loaded_Language"),
    ...          Span(10, 18, "Name_Calling,Labeling"), Span(50, 70, "Slogans")]
    >>> enclosing(spans)
    [None, 0, 0, None]
    """
    found: list[int | None] = []
    for span in spans:
        holders = [
            (len(other), index)
            for index, other in enumerate(spans)
            if other.start <= span.start and span.end <= other.end and len(other) > len(span)
        ]
        found.append(min(holders)[1] if holders else None)
    return found


def title_of(text: str) -> str:
    """The first non-empty line, stripped (PTC articles start with their title)."""
    for line in text.splitlines():
        if line.strip("\ufeff \t"):
            return line.strip("\ufeff \t")
    return ""


def article_id(path: Path) -> str:
    """``article123.txt`` -> ``"123"``; any other file -> its stem."""
    match = _ARTICLE_ID.match(path.stem)
    return match.group(1) if match else path.stem


def read_text_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a UTF-8 text file exactly (no newline translation), or raise InputError."""
    try:
        data = read_file_bytes(path, max_bytes)
    except FileProblem as err:
        if err.kind == "too_large":
            raise InputError(f"{err} (raise it with --max-bytes)") from None
        if err.kind == "not_regular":
            raise InputError(f"{err}; to read it, give - and redirect: - < {path}") from None
        raise
    return decode_text(data, str(path), max_bytes)


class FileProblem(InputError):
    """A file that cannot be read as an article: the path and the reason kept apart.

    ``kind`` is ``missing``, ``directory``, ``not_regular`` (a FIFO, a device...),
    ``too_large`` or ``unreadable``;
    ``reason`` is the message without the path (``batch`` reports it per record).
    """

    def __init__(self, path: Path, kind: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.kind = kind
        self.reason = reason


def read_file_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, read with that limit.

    ``st_size`` is not trusted alone (a file may grow while it is read), so at
    most ``max_bytes + 1`` bytes are ever read. Only regular files are read
    (:func:`open_regular`); standard input is read with ``-`` instead.
    """
    handle = open_regular(path)
    with handle:
        info = os.fstat(handle.fileno())
        if info.st_size > max_bytes:
            raise FileProblem(
                path,
                "too_large",
                f"file is {info.st_size:,} bytes, over the limit of {max_bytes:,} bytes",
            )
        try:
            data = _read_at_most(handle, max_bytes + 1)
        except OSError as err:
            raise FileProblem(path, "unreadable", f"cannot read ({err.strerror})") from None
    if len(data) > max_bytes:
        raise FileProblem(
            path, "too_large", f"file grew over the limit of {max_bytes:,} bytes while read"
        )
    return data


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for binary reading if it is a regular file, else :class:`FileProblem`.

    The open never blocks (``O_NONBLOCK``: a FIFO with no writer would hang a
    plain open) and the check is made on the opened file (``fstat``), so a
    symlink to ``/dev/zero`` or a FIFO is caught whatever its name.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise FileProblem(path, "missing", "no such file") from None
    except OSError as err:
        raise FileProblem(path, "unreadable", f"cannot read ({err.strerror})") from None
    mode = os.fstat(fd).st_mode
    if stat.S_ISREG(mode):
        return os.fdopen(fd, "rb")
    os.close(fd)
    if stat.S_ISDIR(mode):
        raise FileProblem(path, "directory", "is a directory, expected a .txt file")
    raise FileProblem(path, "not_regular", f"is {_file_type(mode)}, not a regular file")


def _read_at_most(handle, limit: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < limit:
        block = handle.read(min(1 << 20, limit - len(chunks)))
        if not block:
            break
        chunks += block
    return bytes(chunks)


def _file_type(mode: int) -> str:
    """``a FIFO (named pipe)``, ``a character device``, ... for a message."""
    for test, name in (
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def decode_text(data: bytes, where: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Decode UTF-8 bytes, refusing binary data and naming the first bad byte."""
    if len(data) > max_bytes:
        raise InputError(f"{where}: input is over the limit of {max_bytes:,} bytes")
    if b"\x00" in data[:8192]:
        raise InputError(f"{where}: looks like a binary file (contains NUL bytes), expected text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{where}: not valid UTF-8 (byte 0x{data[err.start]:02x} at byte offset {err.start})"
        ) from None
    # A leading BOM is kept: corpus offsets count it as one character.
    return text


def iter_article_paths(paths: list[str | Path]) -> Iterator[Path]:
    """Expand files and directories (their ``*.txt``, sorted) into article paths."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(path.glob("*.txt"))
            if not found:
                raise InputError(f"{path}: directory has no .txt files")
            yield from found
        elif not path.exists():
            raise InputError(f"{path}: no such file or directory")
        else:
            yield path


def _trimmed_pieces(text: str, boundary: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    start = 0
    for match in boundary.finditer(text):
        yield from _trim(text, start, match.end())
        start = match.end()
    yield from _trim(text, start, len(text))


def _trim(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield (start, end)
