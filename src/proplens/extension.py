"""The browser extension shipped inside the Python package, so a user without npm can load it.

``extension/`` at the repository root holds its source; ``npm run ship`` there writes the
built, unpacked extension into ``extension_build/`` beside this module (package data), and a
test checks that the committed copy equals a fresh build, so the two cannot drift.
:func:`write_unpacked` copies it to a folder to load in the browser; :func:`write_zip` writes
the archive an extension store takes (without the manifest's ``key``, which stores refuse:
a store gives the extension its own id).
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from importlib import resources
from pathlib import Path

from proplens.errors import ProplensError

BUILD = "extension_build"
_FIXED_TIME = (2026, 1, 1, 0, 0, 0)  # zip entries carry no build time: same input, same bytes


def shipped_files() -> dict[str, bytes]:
    """Relative path -> content of every file of the shipped build."""
    root = resources.files("proplens").joinpath(BUILD)
    out: dict[str, bytes] = {}

    def walk(node, prefix: str) -> None:
        for child in node.iterdir():
            name = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, f"{name}/")
            elif child.name not in ("__init__.py",) and not name.startswith("__pycache__"):
                out[name] = child.read_bytes()

    if not root.is_dir():
        raise ProplensError("this proplens was installed without its browser extension build")
    walk(root, "")
    if "manifest.json" not in out:
        raise ProplensError("the shipped browser extension has no manifest.json (broken install)")
    return out


def chromium_id(manifest: dict) -> str:
    """The id Chromium gives an unpacked extension with this manifest's ``key``."""
    digest = hashlib.sha256(base64.b64decode(manifest["key"])).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def manifest() -> dict:
    return json.loads(shipped_files()["manifest.json"])


def write_unpacked(output: str | Path) -> Path:
    """Write the unpacked extension into ``output`` (new, empty, or an earlier copy of it)."""
    out = Path(output)
    if out.exists() and not out.is_dir():
        raise ProplensError(f"{out} exists and is not a folder; give a new or empty folder")
    if out.is_dir() and any(out.iterdir()) and not _is_our_copy(out):
        raise ProplensError(
            f"{out} is not empty and holds no proplens extension; give a new or empty folder"
        )
    files = shipped_files()
    try:
        for name, data in files.items():
            target = out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    except OSError as err:
        raise ProplensError(f"cannot write the extension to {out}: {err.strerror}") from None
    return out


def write_zip(path: str | Path, force: bool = False) -> Path:
    """Write the store archive (manifest without ``key``) to ``path``."""
    target = Path(path)
    if target.is_dir():
        raise ProplensError(f"{target} is a folder; give a file name such as proplens.zip")
    if target.exists() and not force:
        raise ProplensError(f"{target} exists; pass --force to replace it")
    if not target.parent.is_dir():
        raise ProplensError(f"the folder {target.parent} does not exist")
    files = shipped_files()
    store_manifest = json.loads(files["manifest.json"])
    store_manifest.pop("key", None)
    files["manifest.json"] = (json.dumps(store_manifest, indent=2) + "\n").encode("utf-8")
    try:
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(files):
                info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, files[name])
    except OSError as err:
        raise ProplensError(f"cannot write {target}: {err.strerror}") from None
    return target


def _is_our_copy(folder: Path) -> bool:
    try:
        found = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(found, dict) and found.get("name") == "proplens"
