"""A real full disk for the disk-full tests: a small tmpfs, mounted where the machine allows.

Mounting needs root (or CAP_SYS_ADMIN); elsewhere the tests that use it skip with
the reason, and the tests that inject ``OSError(ENOSPC)`` cover the same code.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def small_tmpfs(where: Path, size_kib: int = 1024) -> Iterator[Path]:
    """A fresh tmpfs of ``size_kib`` KiB mounted at ``where`` for the block (or a skip)."""
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if not sys.platform.startswith("linux") or mount is None or umount is None:
        pytest.skip("a real full disk needs Linux tmpfs and mount(8)")
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [mount, "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip() or done.returncode}")
    try:
        yield where
    finally:
        subprocess.run([umount, "-l", str(where)], capture_output=True, timeout=30)


def grow(where: Path, size_kib: int) -> None:
    """Give the tmpfs at ``where`` more room (as a user would free space)."""
    done = subprocess.run(
        ["mount", "-o", f"remount,size={size_kib}k", str(where)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr


def fill(folder: Path) -> None:
    """Write a filler file into ``folder`` until the filesystem refuses more (ENOSPC)."""
    block = b"\0" * 4096
    with (folder / "filler").open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(block)
        except OSError as err:
            if err.errno != errno.ENOSPC:
                raise
    # the last partial page too, so that even a one-byte new file finds no room
    try:
        with (folder / "filler-tail").open("wb", buffering=0) as handle:
            while True:
                handle.write(b"\0")
    except OSError as err:
        if err.errno != errno.ENOSPC:
            raise
    assert os.statvfs(folder).f_bavail == 0, "the tmpfs still has free blocks"
