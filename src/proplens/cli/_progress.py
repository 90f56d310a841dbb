"""Signs of life on stderr while ``analyze`` works through a long article.

An article of a few kilobytes takes a fraction of a second and gets no
progress at all. From ``LONG_ARTICLE_CHARS`` on (a few seconds of work), the
share done and the time left go to stderr: one line rewritten in place on a
terminal, a plain line every ``interval`` seconds otherwise. stdout stays clean.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

LONG_ARTICLE_CHARS = 100_000


class ArticleProgress:
    """A ``progress(done, total)`` callback for :meth:`proplens.analyzer.Analyzer.analyze`."""

    def __init__(self, name: str, stream: TextIO | None = None, interval: float = 5.0) -> None:
        self.name = name
        self.stream = stream or sys.stderr
        self.tty = getattr(self.stream, "isatty", lambda: False)()
        self.interval = 0.2 if self.tty else interval
        self.started = time.monotonic()
        self.shown_at = self.started
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.shown_at < self.interval:
            return
        self.shown_at = now
        elapsed = now - self.started
        left = elapsed / done * (total - done) if done else 0.0
        line = (
            f"proplens analyze: {self.name}: {100 * done // total}% "
            f"({done:,} of {total:,} windows), {elapsed:.0f} s so far, about {left:.0f} s left"
        )
        if self.tty:
            end = "\n" if done >= total else ""
            self.stream.write(f"\r\x1b[K{line}{end}")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
        self.shown = True


def progress_for(article, stream: TextIO | None = None) -> ArticleProgress | None:
    """A reporter for a long article, None for an ordinary one."""
    if len(article.text) < LONG_ARTICLE_CHARS:
        return None
    return ArticleProgress(article.id, stream)
