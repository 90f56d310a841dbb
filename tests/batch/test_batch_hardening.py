"""``proplens batch`` against hostile inputs and a full disk (issue 24, items 8, 9, 10).

Runs that could read forever or block run in a child process with a time limit and an
address-space limit, so that a regression fails the test instead of the machine.
"""

from __future__ import annotations

import errno
import io
import json
import os
import resource
import signal
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
from batch_helpers import FAKE, cli, make_articles, read_jsonl, subprocess_env, write_jsonl
from tests.fullfs import fill, grow, small_tmpfs

from proplens.batch.parts import parts_dir
from proplens.batch.progress import LogProgress
from proplens.cli import main

MEMORY_LIMIT = 3 * 1024**3  # bytes of address space for a child: /dev/zero must not fill it


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(*args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        cli(*args),
        env=subprocess_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limit_memory,
    )


# -- item 8: non-regular files ----------------------------------------------------------------


def test_dev_zero_and_fifo_inputs_are_reported_and_the_rest_analysed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Harbour story\n\nCritics called it disastrous.\n")
    (corpus / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(corpus / "pipe.txt")  # no writer, ever: opening it plainly would block
    (tmp_path / "lines.jsonl").symlink_to("/dev/zero")
    out = tmp_path / "out.jsonl"
    done = run_cli(
        "batch", str(corpus), str(tmp_path / "lines.jsonl"), "-o", str(out),
        "--analyzer-factory", FAKE, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert [row["id"] for row in read_jsonl(out)] == ["good"]
    errors = {Path(e["file"]).name: e["reason"] for e in read_jsonl(Path(f"{out}.errors.jsonl"))}
    assert errors == {
        "pipe.txt": "is a FIFO (named pipe), not a regular file",
        "zero.txt": "is a character device, not a regular file",
        "lines.jsonl": "is a character device, not a regular file",
    }


def test_a_text_file_over_the_limit_is_refused_without_trusting_its_size(tmp_path: Path) -> None:
    from proplens.batch.inputs import Source, read_records

    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 5000)
    [record] = read_records([Source("txt", big)], max_bytes=1000)
    assert record.reason == "file is 5,000 bytes, over the limit of 1,000 bytes"


# -- item 9: a full disk ------------------------------------------------------------------


def test_injected_disk_full_names_the_file_being_written(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", make_articles(5))
    out = tmp_path / "out.jsonl"

    def disk_full(objects, path):
        raise OSError(errno.ENOSPC, "No space left on device")  # as write() raises it: no name

    monkeypatch.setattr("proplens.batch.parts.write_jsonl", disk_full)
    code = main(["batch", str(corpus), "-o", str(out), "--analyzer-factory", FAKE])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    message = err[-1]
    assert message.startswith(f"proplens: error: {parts_dir(out)}/part-000000.")
    assert "No space left on device; free some space and rerun the same command" in message


def test_a_disk_that_fills_midway_stops_batch_in_one_line_and_the_rerun_resumes(
    tmp_path: Path,
) -> None:
    padding = "Critics called the plan disastrous. " * 100  # ~3.6 KB per article
    articles = [{"id": f"a{i:03d}", "text": f"{padding}{i}"} for i in range(200)]
    corpus = write_jsonl(tmp_path / "c.jsonl", articles)
    with small_tmpfs(tmp_path / "disk", size_kib=300) as disk:
        out = disk / "out.parquet"
        args = ("batch", str(corpus), "-o", str(out), "--analyzer-factory", FAKE)
        done = run_cli(*args)
        assert done.returncode == 2 and "Traceback" not in done.stderr
        last = done.stderr.strip().splitlines()[-1]
        assert last.startswith(f"proplens: error: {parts_dir(out)}/part-0"), last
        assert last.endswith(
            ": No space left on device; free some space and rerun the same command "
            f"(finished chunks are kept in {parts_dir(out)})"
        ), last
        kept = len(list(parts_dir(out).glob("part-*.json")))
        assert 0 < kept < 200 / 32

        grow(disk, size_kib=16384)  # space freed: the same command resumes
        again = run_cli(*args)
        assert again.returncode == 0, again.stderr
        assert f"resuming: {kept * 32} records already done" in again.stderr
        assert pq.read_table(out, columns=["id"]).column("id").to_pylist() == [
            a["id"] for a in articles
        ]


def test_a_full_disk_before_the_first_chunk_names_the_path(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", make_articles(40))
    with small_tmpfs(tmp_path / "disk", size_kib=256) as disk:
        fill(disk)
        out = disk / "out.jsonl"
        done = run_cli("batch", str(corpus), "-o", str(out), "--analyzer-factory", FAKE)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last == (
        f"proplens: error: {parts_dir(out)}/run.json: No space left on device; "
        "free some space and rerun the same command"
    )


# -- item 10: messages --------------------------------------------------------------------


def test_the_last_progress_line_is_printed_once() -> None:
    stream = io.StringIO()
    progress = LogProgress(stream, interval=0)  # every advance prints, as slow chunks do
    progress.start(8)
    progress.resumed(4)
    progress.advance(4, 4, 0)
    progress.close()
    lines = stream.getvalue().splitlines()
    assert sum("8/8 records" in line for line in lines) == 1, lines


def test_the_last_progress_line_comes_at_close_when_not_yet_shown() -> None:
    stream = io.StringIO()
    progress = LogProgress(stream, interval=3600)
    progress.start(8)
    progress.advance(8, 8, 1)
    progress.close()
    assert stream.getvalue().splitlines()[-1].startswith("proplens batch: 8/8 records")


def test_interrupted_before_any_chunk_does_not_claim_kept_chunks(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", make_articles(40))
    out = tmp_path / "out.jsonl"
    child = subprocess.Popen(
        cli("batch", str(corpus), "-o", str(out), "--analyzer-factory", FAKE),
        env=subprocess_env(PROPLENS_FAKE_DELAY="2"),  # a chunk of 32 takes a minute
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = child.stderr.readline()
        assert "records to read" in first
        child.send_signal(signal.SIGINT)
        rest = child.communicate(timeout=60)[1]
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 130
    assert "stopped before any chunk was finished; nothing was kept" in rest
    assert "finished chunks are kept" not in rest
    assert not parts_dir(out).exists()


def test_a_url_with_credentials_given_to_batch_is_echoed_without_them(tmp_path, capsys) -> None:
    url = "https://bob:hunter2@example.org/news/a.txt"
    code = main(["batch", url, "-o", str(tmp_path / "o.jsonl"), "--analyzer-factory", FAKE])
    err = capsys.readouterr().err
    assert code == 2 and "https://***@example.org/news/a.txt" in err
    assert "hunter2" not in err and "bob" not in err


def test_a_nan_threshold_is_not_a_number(tmp_path: Path, capsys) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", make_articles(2))
    args = ["batch", str(corpus), "-o", str(tmp_path / "o.jsonl"), "--analyzer-factory", FAKE]
    assert main([*args, "--threshold", "nan"]) == 2
    err = capsys.readouterr().err
    assert "--threshold must be a number between 0 and 1, got nan (not a number)" in err
    assert json.dumps(err).count("\\n") == 1  # one line
