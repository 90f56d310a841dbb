"""The sidecar directory ``OUT.parts/`` that makes a batch run resumable.

Each chunk of input records is committed as three files: its rows
(``part-NNNNNN.parquet`` or ``.jsonl``), its bad records
(``part-NNNNNN.errors.jsonl``) and, written last, its manifest
(``part-NNNNNN.json``: the ids of its records). A part counts as done only
once its manifest exists, and every file is renamed into place whole, so a
killed run leaves complete parts or nothing. ``run.json`` records the command
that made the parts; a rerun of a different command is refused rather than
mixing outputs. The directory is created with the first commit, so a run that
fails before finishing any chunk (an unreachable Dask scheduler, a model that
does not load) leaves nothing behind. At the end the parts are merged into OUT
and the directory is removed.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

from proplens.batch.output import atomic_path, concat_files, merge_files, write_jsonl, write_rows
from proplens.batch.records import BadRecord
from proplens.errors import InputError

_SIGNATURE = "run.json"


def parts_dir(output: Path) -> Path:
    return output.with_name(output.name + ".parts")


class PartStore:
    """Committed chunks of one batch run, kept next to its output file."""

    def __init__(self, output: Path, fmt: str, signature: dict) -> None:
        self.output = output
        self.fmt = fmt
        self.signature = json.loads(json.dumps(signature))
        self.dir = parts_dir(output)

    def open(self) -> dict[int, dict]:
        """The manifests committed by an earlier run of this command (checked to be this one)."""
        if not self.dir.exists():
            _make_folder(self.dir.parent)  # an unusable OUT fails now, not after the first chunk
            return {}
        self._check_signature()
        manifests = {}
        for path in sorted(self.dir.glob("part-*.json")):
            manifest = _read_json(path)
            manifests[int(manifest["index"])] = manifest
        return manifests

    def commit(
        self, index: int, rows: list[dict], errors: list[BadRecord], ids: list[str | None]
    ) -> None:
        """Write one chunk's rows and errors, then its manifest, which marks it done."""
        self._create()
        write_rows(rows, self._path(index, self.fmt), self.fmt)
        with atomic_path(self._path(index, "errors.jsonl")) as tmp:
            write_jsonl((error.to_json() for error in errors), tmp)
        manifest = {"index": index, "ids": ids, "rows": len(rows), "errors": len(errors)}
        with atomic_path(self._path(index, "json")) as tmp:
            tmp.write_text(json.dumps(manifest), encoding="utf-8")

    def finish(self, n_parts: int, errors_path: Path) -> None:
        """Merge parts ``0..n_parts-1`` into the output and the errors file; remove the parts."""
        merge_files([self._path(i, self.fmt) for i in range(n_parts)], self.output, self.fmt)
        errors_path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(errors_path) as tmp:
            concat_files([self._path(i, "errors.jsonl") for i in range(n_parts)], tmp)
        shutil.rmtree(self.dir, ignore_errors=True)

    def _create(self) -> None:
        """The directory and its ``run.json``, once, before the first part is written."""
        if (self.dir / _SIGNATURE).exists():
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        with atomic_path(self.dir / _SIGNATURE) as tmp:
            tmp.write_text(json.dumps(self.signature, indent=1), encoding="utf-8")

    def _path(self, index: int, suffix: str) -> Path:
        return self.dir / f"part-{index:06d}.{suffix}"

    def _check_signature(self) -> None:
        found = _read_json(self.dir / _SIGNATURE)
        if found != self.signature:
            changed = sorted(
                k
                for k in self.signature.keys() | found.keys()
                if found.get(k) != self.signature.get(k)
            )
            raise InputError(
                f"{self.dir} holds an interrupted run of a different command (it differs in: "
                f"{', '.join(changed)}); rerun that command to finish it, or delete {self.dir} "
                "to start over"
            )


def _make_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: {os.strerror(errno.ENOTDIR)}")
    folder.mkdir(parents=True, exist_ok=True)


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InputError(
            f"{path}: cannot read this part of an interrupted run ({err}); delete "
            f"{path.parent} to start over"
        ) from None
