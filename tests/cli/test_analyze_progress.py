"""Long articles show progress on stderr; ordinary ones show nothing; stdout stays clean."""

from __future__ import annotations

import io
from pathlib import Path

from proplens.cli import _progress, main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "harbour-deal.txt"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_long_article_reports_progress_on_stderr_only(capsys, monkeypatch):
    assert main(["analyze", str(EXAMPLE), "--format", "semeval"]) == 0
    quiet_out, quiet_err = capsys.readouterr()
    assert quiet_err == ""  # an ordinary article: no progress at all

    monkeypatch.setattr(_progress, "LONG_ARTICLE_CHARS", 100)  # the example counts as long
    assert main(["analyze", str(EXAMPLE), "--format", "semeval"]) == 0
    out, err = capsys.readouterr()
    assert out == quiet_out
    assert err.splitlines()[-1].startswith("proplens analyze: harbour-deal: 100% (")


def test_the_real_model_reports_every_window_batch():
    import proplens

    calls = []
    text = EXAMPLE.read_text(encoding="utf-8") * 6  # several windows
    with_progress = proplens.load().analyze(text, progress=lambda d, t: calls.append((d, t)))
    total = calls[-1][1]
    assert total > 1 and calls[-1] == (total, total)
    assert [d for d, _ in calls] == sorted({d for d, _ in calls})  # strictly increasing
    assert with_progress.spans == proplens.load().analyze(text).spans


def test_on_a_terminal_the_line_is_rewritten_in_place():
    stream = Terminal()
    report = _progress.ArticleProgress("big", stream)
    report(1, 4)  # within the first 0.2 s: not shown
    report(4, 4)  # the end always is
    assert stream.getvalue() == (
        "\r\x1b[Kproplens analyze: big: 100% (4 of 4 windows), 0 s so far, about 0 s left\n"
    )


def test_elsewhere_lines_come_at_most_every_interval():
    stream = io.StringIO()
    report = _progress.ArticleProgress("big", stream, interval=3600)
    for done in range(1, 11):
        report(done, 10)
    assert stream.getvalue().splitlines() == [
        "proplens analyze: big: 100% (10 of 10 windows), 0 s so far, about 0 s left"
    ]
