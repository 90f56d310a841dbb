"""``proplens extension``: the shipped build, its writing, and that it equals a fresh build."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from proplens.cli import main
from proplens.extension import chromium_id, manifest, shipped_files

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "extension"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.skipif(
    shutil.which("node") is None or not (SOURCE / "node_modules").is_dir(),
    reason="needs node and extension/node_modules (cd extension && npm ci)",
)
def test_shipped_build_equals_a_fresh_build(tmp_path):
    out = tmp_path / "fresh"
    subprocess.run(
        ["npm", "run", "--silent", "build", "--", str(out)],
        cwd=SOURCE,
        check=True,
        timeout=120,
    )
    fresh = tree(out)
    shipped = shipped_files()
    assert sorted(fresh) == sorted(shipped), "run: cd extension && npm run ship"
    for name in fresh:
        assert fresh[name] == shipped[name], f"{name} differs: run cd extension && npm run ship"


def test_output_writes_the_unpacked_extension_and_names_its_origin(tmp_path, capsys):
    out = tmp_path / "ext"
    assert main(["extension", "--output", str(out)]) == 0
    assert tree(out) == shipped_files()
    printed = capsys.readouterr().out
    ext_id = chromium_id(manifest())
    assert f"proplens serve --trust-origin chrome-extension://{ext_id}" in printed
    assert f"chrome-extension://{ext_id}" in (ROOT / "docs" / "extension.md").read_text()
    # writing again over our own copy is an update, not an error
    assert main(["extension", "--output", str(out)]) == 0


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("x"), "exists and is not a folder"),
        (lambda p: (p.mkdir(), (p / "notes.txt").write_text("mine")), "is not empty"),
    ],
)
def test_output_refuses_paths_it_would_spoil(tmp_path, capsys, make, message):
    target = tmp_path / "target"
    make(target)
    assert main(["extension", "--output", str(target)]) == 2
    assert message in capsys.readouterr().err
    if target.is_dir():
        assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_zip_is_the_store_archive_without_the_key(tmp_path, capsys):
    archive = tmp_path / "proplens.zip"
    assert main(["extension", "--zip", str(archive)]) == 0
    with zipfile.ZipFile(archive) as z:
        names = set(z.namelist())
        store_manifest = json.loads(z.read("manifest.json"))
        assert z.read("content.js") == shipped_files()["content.js"]
    assert names == set(shipped_files())
    assert "key" not in store_manifest
    assert store_manifest == {k: v for k, v in manifest().items() if k != "key"}
    first = archive.read_bytes()
    assert main(["extension", "--zip", str(archive)]) == 2
    assert "pass --force" in capsys.readouterr().err
    assert main(["extension", "--zip", str(archive), "--force"]) == 0
    assert archive.read_bytes() == first  # no timestamps: the same bytes every time


def test_bad_zip_paths_and_no_option(tmp_path, capsys):
    assert main(["extension", "--zip", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main(["extension", "--zip", str(tmp_path / "missing" / "x.zip")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["extension"]) == 2
    assert "give --output DIR, --zip FILE or both" in capsys.readouterr().err
