"""The shipped cue tagger: checked files, clear errors, and logits that read cues in context."""

from __future__ import annotations

import doctest
import json
import shutil

import numpy as np
import pytest

import proplens.sources.tagger as tagger_module
from proplens.errors import ModelError
from proplens.sources.cues import load_model
from proplens.sources.tagger import TAGGER_DIR, CueTagger, load_tagger


def test_the_window_and_word_examples_hold():
    assert doctest.testmod(tagger_module).failed == 0


@pytest.fixture(scope="module")
def tagger() -> CueTagger:
    return CueTagger.load()


def test_the_shipped_cue_model_uses_the_shipped_tagger():
    assert load_model().tagger is True
    assert isinstance(load_tagger(), CueTagger)


def test_a_reporting_verb_scores_above_the_words_around_it(tagger):
    text = "The harbour master said on Monday that the pier would reopen in spring."
    words = [(0, 3), (4, 11), (12, 18), (19, 23), (24, 26), (27, 33), (34, 38), (39, 42)]
    logits = tagger.logits(text, np.array(words))
    said = logits[3]
    assert said > 0 and all(said > v for i, v in enumerate(logits) if i != 3)


def test_a_long_article_is_read_in_windows_without_losing_a_word(tagger):
    sentence = "The council said the budget was late. "
    text = sentence * 60  # far more pieces than one window
    offsets, logits = tagger.piece_logits(text)
    assert len(offsets) == len(logits) > 3 * tagger.window
    said = [i for i, (s, e) in enumerate(offsets) if text[s:e] == "said"]
    assert len(said) == 60 and min(logits[said]) > 0  # every "said", at any window edge


def test_no_words_no_pieces(tagger):
    offsets, logits = tagger.piece_logits("   ")
    assert len(offsets) == len(logits) == 0
    assert tagger.logits("   ", np.array([[0, 2]])).tolist() == [tagger_module.NO_PIECE]


def _copy(tmp_path):
    folder = tmp_path / "tagger"
    shutil.copytree(TAGGER_DIR, folder)
    return folder


def test_a_changed_file_is_refused(tmp_path):
    folder = _copy(tmp_path)
    head = json.loads((folder / "head.json").read_text())
    head["bias"] += 1.0
    (folder / "head.json").write_text(json.dumps(head))
    with pytest.raises(ModelError, match="checksum mismatch"):
        CueTagger.load(folder)


def test_a_head_of_another_format_is_refused_with_its_reason(tmp_path):
    from proplens.pipeline.runtime import sha256

    folder = _copy(tmp_path)
    head = json.loads((folder / "head.json").read_text())
    (folder / "head.json").write_text(json.dumps({**head, "stride": 0}))
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["sha256"]["head.json"] = sha256(folder / "head.json")
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="cannot load the cue tagger.*stride"):
        CueTagger.load(folder)


def test_an_install_without_the_folder_has_no_tagger(tmp_path):
    assert load_tagger(tmp_path / "absent") is None
    with pytest.raises(ModelError, match="no cue tagger folder"):
        CueTagger.load(tmp_path / "absent")
