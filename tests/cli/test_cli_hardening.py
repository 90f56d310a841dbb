"""``proplens analyze`` against hostile inputs and a full disk (issue 24, items 8, 9, 10).

Reads that could run forever or block run in a child process with a time limit and an
address-space limit, so that a regression fails the test instead of the machine.
"""

from __future__ import annotations

import errno
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

import proplens
from proplens.cli import main
from tests.fullfs import fill, small_tmpfs

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "harbour-deal.txt"
MEMORY_LIMIT = 3 * 1024**3  # bytes of address space for a child: /dev/zero must not fill it


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def proplens_env() -> dict:
    """The environment of a child ``python -m proplens`` that imports this checkout."""
    src = str(Path(proplens.__file__).resolve().parents[1])
    return dict(os.environ, PYTHONPATH=os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]))


def proplens_cli_args(*args: str) -> list[str]:
    return [sys.executable, "-m", "proplens", *args]


def proplens_cli(*args: str, stdin=None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        proplens_cli_args(*args),
        env=proplens_env(),
        stdin=stdin if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limit_memory,
    )


def one_error_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# -- item 8: non-regular files ----------------------------------------------------------------


def test_dev_zero_is_refused_at_once() -> None:
    line = one_error_line(proplens_cli("analyze", "/dev/zero"))
    assert line == (
        "proplens: error: /dev/zero: is a character device, not a regular file; "
        "to read it, give - and redirect: - < /dev/zero"
    )


def test_a_fifo_without_writer_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    line = one_error_line(proplens_cli("analyze", str(fifo), timeout=30))
    assert f"{fifo}: is a FIFO (named pipe), not a regular file" in line


def test_a_txt_symlink_to_dev_zero_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "article.txt"
    link.symlink_to("/dev/zero")
    line = one_error_line(proplens_cli("analyze", str(link)))
    assert f"{link}: is a character device, not a regular file" in line


def test_dev_zero_as_stdin_is_read_with_the_limit() -> None:
    with open("/dev/zero", "rb") as zero:
        line = one_error_line(proplens_cli("analyze", "-", "--max-bytes", "1000", stdin=zero))
    assert line == "proplens: error: <stdin>: input is over the limit of 1,000 bytes"


def test_a_file_in_a_folder_that_is_a_fifo_is_refused_too(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title\n\nSome text.\n", encoding="utf-8")
    os.mkfifo(tmp_path / "b.txt")
    line = one_error_line(proplens_cli("analyze", str(tmp_path), timeout=30))
    assert "b.txt: is a FIFO (named pipe)" in line


# -- item 9: a full disk under --output ---------------------------------------------------


class _FullDisk:
    """A text stream whose writes fail as they do on a full disk."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.stream.close()


def test_injected_disk_full_under_output_is_one_line_naming_the_path(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    import proplens.cli._common as common

    real_fdopen = os.fdopen

    def fdopen(fd, mode="r", *args, **kwargs):  # only the output fails (os is one module)
        stream = real_fdopen(fd, mode, *args, **kwargs)
        return _FullDisk(stream) if "w" in mode else stream

    monkeypatch.setattr(common.os, "fdopen", fdopen)
    out = tmp_path / "out.json"
    out.write_text("earlier output\n", encoding="utf-8")
    code = main(["analyze", str(EXAMPLE), "--format", "json", "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        f"proplens: error: {out}: cannot write (No space left on device); nothing was written\n"
    )
    assert out.read_text(encoding="utf-8") == "earlier output\n"  # left as it was
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # no temporary left


def test_a_really_full_disk_under_output_is_one_line_naming_the_path(tmp_path: Path) -> None:
    with small_tmpfs(tmp_path / "disk", size_kib=256) as disk:
        out = disk / "out.html"
        fill(disk)
        done = proplens_cli("analyze", str(EXAMPLE), "--format", "html", "--output", str(out))
        left = sorted(p.name for p in disk.iterdir())
    line = one_error_line(done)
    assert line == f"proplens: error: {out}: cannot write (No space left on device); " + (
        "nothing was written"
    )
    assert left == ["filler", "filler-tail"]


# -- item 10: messages --------------------------------------------------------------------


def test_a_nan_threshold_is_not_a_number_and_fails_before_the_model_loads(
    capsys, monkeypatch
) -> None:
    from proplens.pipeline import runtime

    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded for a bad threshold")

    monkeypatch.setattr(runtime.Model, "load", no_model)
    assert main(["analyze", str(EXAMPLE), "--threshold", "nan"]) == 2
    assert capsys.readouterr().err == (
        "proplens: error: threshold must be a number between 0 and 1, got nan (not a number)\n"
    )


def test_serve_says_a_nan_threshold_is_not_a_number(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--threshold", "nan"])
    assert exit_info.value.code == 2
    assert "must be a number between 0 and 1, got nan (not a number)" in capsys.readouterr().err


def test_a_url_with_credentials_is_refused_without_echoing_them(capsys) -> None:
    pytest.importorskip("httpx", reason="fetching needs the 'url' extra")
    pytest.importorskip("trafilatura", reason="fetching needs the 'url' extra")
    assert main(["analyze", "http://alice:pa:ss@word@example.org/news/1.html"]) == 2
    err = capsys.readouterr().err
    assert "'http://***@example.org/news/1.html'" in err
    assert "URLs with a user name or password are refused" in err
    assert "alice" not in err and "word@" not in err and "pa:ss" not in err


def test_stdout_on_a_full_device_is_one_line_too() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("/dev/full is Linux only")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            proplens_cli_args("analyze", str(EXAMPLE), "--format", "json"),
            env=proplens_env(),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert done.returncode == 2
    assert (
        done.stderr == "proplens: error: standard output: cannot write (No space left on device)\n"
    )
