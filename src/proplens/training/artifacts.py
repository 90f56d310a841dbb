"""Small training artefacts kept in the repository, so that nothing already paid for is lost.

Why: sessions end, and only committed files outlive them. A fold costs 25-30
CPU minutes; its out-of-fold predictions and heads are a few MB. The folder
``artifacts/`` (tracked by git; see ``artifacts/README.md``) keeps such files,
each at most ``LIMIT`` bytes, each listed with its sha256 in its folder's
``manifest.json`` with the config and the commit that made it:

- ``artifacts/oof/<run>/``: ``pack_oof`` of a ``proplens train --folds`` folder:
  per fold and variant the BIO probabilities (fp16) of its held-out articles,
  split per article by ``n_tokens``, with a hash of each article's word-piece
  ids (checked against the text when used), and the fold's heads;
- ``artifacts/choices/<run>/``: what is chosen on such a run (``choices.pack``);
- ``artifacts/soft-labels/<name>/``: teacher soft labels (``distill``).

Never text: article ids, hashes and probabilities only (the corpus is licensed).
The encoder states that the technique classifier is chosen on are not kept:
fp16 they take ~60 MB per fold (315 articles, 383k pieces x 384), too big;
the choices made on them are (``choices``).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np

from proplens.errors import InputError

LIMIT = 30 * 1024 * 1024
OOF_FORMAT = "proplens-oof/1"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def commit() -> str | None:
    """The commit the code that made an artefact was at (``None`` outside a git checkout)."""
    try:
        found = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return found.stdout.strip() or None


def token_hash(ids: np.ndarray) -> str:
    """A short hash of an article's word-piece ids: identifies the tokens without holding them."""
    return hashlib.sha256(np.asarray(ids, dtype=np.int64).tobytes()).hexdigest()[:16]


def pack_oof(cv: str | Path, out: str | Path) -> dict:
    """The out-of-fold BIO probabilities and heads of every finished fold and variant of ``cv``."""
    cv, out = Path(cv), Path(out)
    try:
        assignment = json.loads((cv / "folds.json").read_text())
    except (OSError, json.JSONDecodeError) as err:
        raise InputError(f"{cv}: not a cross-validation folder ({err})") from None
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for source in sorted(cv.glob("fold*-*.npz")):
        if source.name.endswith((".heads.npz", "-before.npz", ".partial.npz")):
            continue
        stem = source.name[: -len(".npz")]
        with np.load(source, allow_pickle=False) as data:
            bounds = np.concatenate([[0], np.cumsum(data["n_tokens"])])
            hashes = [
                token_hash(data["token_ids"][a:b]) for a, b in zip(bounds, bounds[1:], strict=False)
            ]
            np.savez_compressed(
                out / f"{stem}.oof.npz",
                ids=data["ids"],
                n_tokens=data["n_tokens"],
                token_hash=np.array(hashes),
                bio=data["bio"].astype(np.float16),
            )
        shutil.copyfile(cv / f"{stem}.heads.npz", out / f"{stem}.heads.npz")
        files += [f"{stem}.oof.npz", f"{stem}.heads.npz"]
    if not files:
        raise InputError(f"{cv}: no finished fold to pack")
    manifest = {
        "format": OOF_FORMAT,
        "k": assignment["k"],
        "folds": assignment["folds"],
        "config": assignment["config"],
        "from": str(cv),
        "commit": commit(),
        "sha256": {name: sha256(out / name) for name in files},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    verify(out)
    return manifest


def verify(folder: str | Path) -> dict:
    """Check every file a manifest lists: present, its sha256, at most ``LIMIT`` bytes."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, json.JSONDecodeError) as err:
        raise InputError(f"{folder}: no readable manifest.json ({err})") from None
    listed = manifest.get("sha256") or {
        name: entry["sha256"] for name, entry in manifest.get("pieces", {}).items()
    }
    for name, expected in listed.items():
        path = folder / name
        if not path.exists():
            raise InputError(f"{path}: listed in the manifest but missing")
        if path.stat().st_size > LIMIT:
            raise InputError(f"{path}: {path.stat().st_size} bytes, over the {LIMIT} limit")
        if sha256(path) != expected:
            raise InputError(f"{path}: not the file the manifest lists (sha256 differs)")
    return manifest


def load_oof_bio(folder: str | Path, variant: str, texts: dict[str, str], pieces) -> dict:
    """``{article id: (fold, bio float32)}`` from a packed run, each checked against its text."""
    folder = Path(folder)
    manifest = verify(folder)
    found = {}
    for fold in range(manifest["k"]):
        path = folder / f"fold{fold}-{variant}.oof.npz"
        if not path.exists():
            continue
        with np.load(path, allow_pickle=False) as data:
            bounds = np.concatenate([[0], np.cumsum(data["n_tokens"])])
            for i, article in enumerate(data["ids"]):
                article = str(article)
                if article not in texts:
                    raise InputError(f"{path}: article {article} is not in the data given")
                if token_hash(pieces.tokenize(texts[article]).ids) != str(data["token_hash"][i]):
                    raise InputError(f"{path}: article {article} is not the text it was made on")
                found[article] = (fold, data["bio"][bounds[i] : bounds[i + 1]].astype(np.float32))
    return found


def split_fp16(weights: str | Path, out: str | Path, limit: int = 64 * 1024 * 1024) -> dict:
    """A safetensors file's tensors in fp16, packed into files of at most ``limit`` bytes.

    For moving a teacher's weights out of a short GPU session whose returned
    files are size-limited; ``join_fp16`` reads them back. Float tensors become
    fp16 (half the size; enough for a teacher that only predicts), others stay.
    """
    import torch
    from safetensors.torch import load_file, save_file

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tensors = load_file(str(weights))
    pieces, current, size = [], {}, 0
    for name, tensor in tensors.items():
        if tensor.is_floating_point():
            tensor = tensor.to(torch.float16)
        nbytes = tensor.numel() * tensor.element_size()
        if nbytes > limit - 1024 * 1024:
            raise InputError(f"{weights}: tensor {name} alone is over the {limit}-byte limit")
        if current and size + nbytes > limit - 1024 * 1024:  # room for the header
            pieces.append(current)
            current, size = {}, 0
        current[name], size = tensor.contiguous(), size + nbytes
    if current:
        pieces.append(current)
    names = []
    for i, piece in enumerate(pieces):
        names.append(f"weights-{i:03d}.fp16.safetensors")
        save_file(piece, str(out / names[-1]))
    manifest = {"format": "proplens-fp16-pieces/1", "from": str(weights), "commit": commit()}
    manifest["sha256"] = {name: sha256(out / name) for name in names}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def join_fp16(folder: str | Path) -> dict:
    """The tensors of ``split_fp16``'s pieces (checked against their manifest), in fp32."""
    import torch
    from safetensors.torch import load_file

    manifest = json.loads((Path(folder) / "manifest.json").read_text())
    tensors = {}
    for name, expected in manifest["sha256"].items():
        if sha256(Path(folder) / name) != expected:
            raise InputError(f"{Path(folder) / name}: not the file the manifest lists")
        for key, tensor in load_file(str(Path(folder) / name)).items():
            tensors[key] = tensor.float() if tensor.dtype == torch.float16 else tensor
    return tensors
