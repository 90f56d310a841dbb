"""Progress: plain log lines when stderr is not a terminal."""

from __future__ import annotations

import io

from proplens.batch.progress import BarProgress, LogProgress, make_progress


def test_log_lines_count_records_articles_and_errors() -> None:
    stream = io.StringIO()
    progress = LogProgress(stream, interval=3600)
    progress.start(10)
    progress.resumed(4)
    progress.advance(3, 2, 1)  # within the interval: no line yet
    progress.advance(3, 3, 0)
    progress.close()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "proplens batch: 10 records to read"
    assert lines[1] == "proplens batch: resuming: 4 records already done in an earlier run"
    assert len(lines) == 3
    assert lines[2].startswith("proplens batch: 10/10 records, 5 articles analysed (")
    assert "articles/s, ETA 0m00s), 1 errors" in lines[2]


def test_terminal_gets_a_bar_and_a_pipe_gets_lines() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert isinstance(make_progress(Terminal()), BarProgress)
    assert isinstance(make_progress(io.StringIO()), LogProgress)


def test_bar_shows_resumed_and_done_records() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    bar = BarProgress(stream)
    bar.start(10)
    bar.resumed(4)
    bar.advance(6, 5, 1)
    bar.close()
    shown = stream.getvalue()
    assert "resuming: 4 records already done" in shown
    assert "10/10" in shown and "errors: 1" in shown
