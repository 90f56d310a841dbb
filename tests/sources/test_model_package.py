"""The spaCy model package is the one checked in docs/sources.md: Explosion's en_core_web_sm 3.8.0.

Several uploads of "en_core_web_sm" exist on PyPI. This pins what was verified:
the meta fields and evaluation figures equal those Explosion published for
en_core_web_sm 3.8.0 (explosion/spacy-models, meta/en_core_web_sm-3.8.0.json),
and the weight files are the ones inspected (sha256 below).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

import pytest

from proplens.sources.pipeline import MODEL_PACKAGE

PUBLISHED = {
    "lang": "en",
    "version": "3.8.0",
    "author": "Explosion",
    "email": "contact@explosion.ai",
    "url": "https://explosion.ai",
    "license": "MIT",
    "spacy_git_version": "5010fcbd3",
    "pipeline": ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"],
}
PUBLISHED_PERFORMANCE = {
    "token_acc": 0.9986194413,
    "tag_acc": 0.972937262,
    "sents_f": 0.9068156724,
    "dep_uas": 0.9176955214,
    "dep_las": 0.8991533598,
    "ents_f": 0.8433119744,
    "speed": 9426.1029865937,
}
WEIGHTS_SHA256 = {
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
}


@pytest.fixture(scope="module")
def package() -> Path:
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    assert spec is not None, f"{MODEL_PACKAGE} is not installed (pip install -e '.[sources]')"
    return Path(spec.origin).parent


def test_meta_matches_explosions_published_model(package):
    meta = json.loads((package / "meta.json").read_text(encoding="utf-8"))
    assert {key: meta[key] for key in PUBLISHED} == PUBLISHED
    assert {key: meta["performance"][key] for key in PUBLISHED_PERFORMANCE} == PUBLISHED_PERFORMANCE
    assert [source["name"] for source in meta["sources"]] == [
        "OntoNotes 5",
        "ClearNLP Constituent-to-Dependency Conversion",
        "WordNet 3.0",
    ]


def test_weights_are_the_files_that_were_checked(package):
    data = package / f"{MODEL_PACKAGE}-3.8.0"
    for name, digest in WEIGHTS_SHA256.items():
        assert hashlib.sha256((data / name).read_bytes()).hexdigest() == digest, name
