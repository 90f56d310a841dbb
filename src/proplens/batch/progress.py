"""Progress of a batch run: a rich bar on a terminal, plain log lines otherwise.

Both show articles done of the estimated total, articles per second (counting
only the articles analysed by this run, not those resumed from an earlier
one), the estimated time left and the number of errors.
"""

from __future__ import annotations

import sys
import time
from typing import Protocol, TextIO


class Progress(Protocol):
    def start(self, total: int) -> None: ...

    def resumed(self, n_records: int) -> None: ...

    def advance(self, n_records: int, n_articles: int, n_errors: int) -> None: ...

    def close(self) -> None: ...


def make_progress(stream: TextIO | None = None) -> Progress:
    stream = stream or sys.stderr
    if getattr(stream, "isatty", lambda: False)():
        return BarProgress(stream)
    return LogProgress(stream)


class _Counts:
    def __init__(self) -> None:
        self.total = 0
        self.records = 0
        self.articles = 0
        self.errors = 0
        self.resumed = 0
        self.started = time.monotonic()

    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.articles / elapsed if elapsed > 0 else 0.0

    def eta(self) -> float | None:
        """Seconds left, at this run's pace per record so far (None before any record)."""
        done_here = self.records - self.resumed
        if not done_here:
            return None
        per_record = (time.monotonic() - self.started) / done_here
        return max(0, self.total - self.records) * per_record


class LogProgress:
    """One line on the stream at most every ``interval`` seconds, and a last one at the end."""

    def __init__(self, stream: TextIO, interval: float = 5.0) -> None:
        self.stream = stream
        self.interval = interval
        self.counts = _Counts()
        self._last = 0.0
        self._shown: tuple[int, int, int] | None = None
        """The figures of the last status line printed."""

    def start(self, total: int) -> None:
        self.counts.total = total
        self._print(f"{total} records to read")

    def resumed(self, n_records: int) -> None:
        self.counts.records += n_records
        self.counts.resumed += n_records
        self._print(f"resuming: {n_records} records already done in an earlier run")

    def advance(self, n_records: int, n_articles: int, n_errors: int) -> None:
        counts = self.counts
        counts.records += n_records
        counts.articles += n_articles
        counts.errors += n_errors
        if time.monotonic() - self._last >= self.interval:
            self._status()

    def close(self) -> None:
        if self._shown != self._figures():  # the last line already said it: not twice
            self._status()

    def _figures(self) -> tuple[int, int, int]:
        return (self.counts.records, self.counts.articles, self.counts.errors)

    def _status(self) -> None:
        counts = self.counts
        eta = counts.eta()
        eta_text = f", ETA {_duration(eta)}" if eta is not None else ""
        self._print(
            f"{counts.records}/{counts.total} records, {counts.articles} articles analysed "
            f"({counts.rate():.1f} articles/s{eta_text}), {counts.errors} errors"
        )
        self._shown = self._figures()

    def _print(self, message: str) -> None:
        self._last = time.monotonic()
        print(f"proplens batch: {message}", file=self.stream, flush=True)


class BarProgress:
    """A rich progress bar with articles/s and time remaining."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RichProgress

        self.counts = _Counts()
        self._bar = RichProgress(
            TextColumn("[bold]batch"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} articles/s"),
            TextColumn("errors: {task.fields[errors]}"),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(file=stream),
        )
        self._task = None

    def start(self, total: int) -> None:
        self.counts.total = total
        self._bar.start()
        self._task = self._bar.add_task("batch", total=total, rate="0.0", errors=0)

    def resumed(self, n_records: int) -> None:
        self.counts.records += n_records
        self.counts.resumed += n_records
        self._bar.console.print(
            f"resuming: {n_records} records already done in an earlier run", highlight=False
        )
        # A fresh task, so that the resumed records do not count in the speed and ETA.
        self._bar.remove_task(self._task)
        self._task = self._bar.add_task(
            "batch", total=self.counts.total, completed=self.counts.records, rate="0.0", errors=0
        )

    def advance(self, n_records: int, n_articles: int, n_errors: int) -> None:
        counts = self.counts
        counts.records += n_records
        counts.articles += n_articles
        counts.errors += n_errors
        self._bar.update(
            self._task,
            advance=n_records,
            rate=f"{counts.rate():.1f}",
            errors=counts.errors,
        )

    def close(self) -> None:
        self._bar.stop()


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m{secs:02d}s" if hours else f"{minutes}m{secs:02d}s"
