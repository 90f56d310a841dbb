"""Past analyses kept in SQLite, so that a link to one can be shared and reopened.

One connection per thread (the server runs analyses in a thread pool) over a
database in WAL mode with a busy timeout: concurrent writers queue up instead of
failing, and readers never block writers. Each analysis is stored whole, as the
JSON document the API returned, under a random URL-safe id that the document
carries as ``"analysis_id"`` (its ``"id"`` stays the article id).
"""

from __future__ import annotations

import errno
import json
import re
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from proplens.errors import InputError

SCHEMA_VERSION = 1
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
TITLE_CHARS = 200
"""Longest title kept in the list of analyses: a title is the first line, and a
one-line 2 MB post would otherwise make every listing (which the page loads on
each visit) megabytes long. The stored document keeps its whole title."""
_BUSY_TIMEOUT_MS = 30_000
_FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS analyses (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    id       TEXT NOT NULL UNIQUE,
    created  TEXT NOT NULL,
    title    TEXT NOT NULL,
    n_spans  INTEGER NOT NULL,
    n_chars  INTEGER NOT NULL,
    doc      TEXT NOT NULL
)
"""


class StoreWriteError(Exception):
    """An analysis could not be written; ``full`` when the disk (or quota) is full.

    The server still answers with the analysis (507 or 503), so the work is not lost.
    """

    def __init__(self, message: str, full: bool) -> None:
        super().__init__(message)
        self.full = full


@dataclass(frozen=True)
class Summary:
    """One row of the list of past analyses (the document itself is fetched by id)."""

    analysis_id: str
    created: str
    title: str
    n_spans: int
    n_chars: int


class AnalysisStore:
    """A SQLite file of analyses; safe to use from many threads at once."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise InputError(f"{self.path}: is a directory, expected a SQLite file for --store")
        if not self.path.parent.is_dir():
            raise InputError(f"{self.path.parent}: no such directory for the --store file")
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        self._init_schema()

    # -- connections ----------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open()
            self._local.conn = conn
            with self._all_lock:
                self._all.append(conn)
        return conn

    def _open(self) -> sqlite3.Connection:
        conn = None
        try:
            conn = sqlite3.connect(
                self.path, timeout=_BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
            conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as err:
            if conn is not None:
                conn.close()
            raise InputError(f"{self.path}: not usable as a SQLite store ({err})") from None
        return conn

    def _init_schema(self) -> None:
        conn = self._connection()
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                raise InputError(
                    f"{self.path}: store schema version {version} is not supported "
                    f"(this proplens writes version {SCHEMA_VERSION})"
                )
            with conn:
                conn.execute(_SCHEMA)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as err:
            raise InputError(f"{self.path}: not usable as a SQLite store ({err})") from None

    def close(self) -> None:
        """Close every thread's connection (call once, at shutdown)."""
        with self._all_lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()

    # -- records --------------------------------------------------------------
    def add(self, doc: dict) -> dict:
        """Store an analysis document under a fresh id; returns it with ``"analysis_id"`` added.

        Raises :class:`StoreWriteError` when the write fails (a full disk, a
        read-only file); the document given is then left as it was.
        """
        while True:
            analysis_id = secrets.token_urlsafe(9)
            stored = {**doc, "analysis_id": analysis_id}
            row = (
                analysis_id,
                datetime.now(UTC).isoformat(timespec="seconds"),
                short_title(stored.get("title") or ""),
                len(stored.get("spans") or ()),
                len(stored.get("text") or ""),
                json.dumps(stored, ensure_ascii=False),
            )
            try:
                self._insert(row)
                return stored
            except sqlite3.IntegrityError:  # pragma: no cover - a 72-bit id collided
                continue
            except (sqlite3.Error, OSError) as err:
                raise _write_error(err) from err

    def _insert(self, row: tuple) -> None:
        conn = self._connection()
        with conn:
            conn.execute(
                "INSERT INTO analyses (id, created, title, n_spans, n_chars, doc) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                row,
            )

    def get(self, analysis_id: str) -> dict | None:
        """The stored document, or ``None`` for an unknown (or malformed) id."""
        if not ID_PATTERN.match(analysis_id):
            return None
        row = (
            self._connection()
            .execute("SELECT doc FROM analyses WHERE id = ?", (analysis_id,))
            .fetchone()
        )
        if row is None:
            return None
        # rows written before "analysis_id" existed kept the analysis id in "id"
        return {"analysis_id": analysis_id, **json.loads(row[0])}

    def page(self, limit: int, offset: int) -> tuple[list[Summary], int]:
        """The ``limit`` most recent analyses after skipping ``offset``, and the total count."""
        conn = self._connection()
        rows = conn.execute(  # substr: rows stored before titles were capped stay small too
            "SELECT id, created, substr(title, 1, ?), n_spans, n_chars FROM analyses "
            "ORDER BY seq DESC LIMIT ? OFFSET ?",
            (TITLE_CHARS + 1, limit, offset),
        ).fetchall()
        total = conn.execute("SELECT COUNT(*) FROM analyses").fetchone()[0]
        return [
            Summary(id_, created, short_title(title), *rest) for id_, created, title, *rest in rows
        ], total


def short_title(title: str, limit: int = TITLE_CHARS) -> str:
    """``title`` if it has at most ``limit`` characters, else cut at a word and ending in "…"."""
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:  # a word boundary not too far back; else cut inside the word
        cut = cut[:space]
    return cut.rstrip() + "…"


def _write_error(err: Exception) -> StoreWriteError:
    if isinstance(err, sqlite3.Error):
        code = getattr(err, "sqlite_errorcode", None)
        full = code is not None and code & 0xFF == sqlite3.SQLITE_FULL
    else:
        full = getattr(err, "errno", None) in _FULL_ERRNOS
    if full:
        return StoreWriteError("the disk under the store is full", full=True)
    return StoreWriteError(f"the store cannot be written ({err})", full=False)
