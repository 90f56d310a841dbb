"""The choices made on a cross-validation run, kept apart from the encoder they were made for.

Why: ``proplens export --cv`` chooses the decoding, the technique classifier,
the calibration and the default score threshold on a cross-validation run's
out-of-fold predictions. Those hold the fold encoders' token states (about
60 MB per fold), which are never committed, so a working session that ends
loses them, and five folds cost two CPU hours to train again. The choices
themselves depend on the run only, not on the final checkpoint: made once,
they are a few hundred KB.

- ``write`` puts a :class:`~proplens.training.selection.Chosen` into a model
  folder and its card (``proplens export --cv``, ``bench/fold_model.py --choose``);
- ``pack`` keeps a model folder's choices, and any later fits written into its
  card (the phrase rescale), in ``artifacts/choices/<run>/`` with a manifest;
- ``copy`` gives them to another checkpoint of the same recipe
  (``proplens export CHECKPOINT --choices-from FOLDER``), the same as if it had
  been exported with ``--cv`` on that run.

A packed folder holds the classifier's files (the stacked layer and the word
model the shipped model carries anyway) and numbers; never article text.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from pathlib import Path

from proplens.errors import InputError

FORMAT = "proplens-choices/1"
CARD_KEYS = (
    "decoding",
    "nesting",
    "sentence_cut",
    "calibration",
    "default_threshold",
    "cross_validation",
    "phrase_calibration",
    "span_rescore",
)
"""Card entries that are choices (or fits on out-of-fold articles), not the encoder's."""
IGNORED_SETTINGS = frozenset({"device", "max_steps"})
"""Settings that do not change what a run learns, so choices may cross them."""


def write(out: Path, card: dict, chosen) -> list[str]:
    """Write ``chosen``'s classifier into ``out``, its choices into ``card``; the files written."""
    from proplens.pipeline.nesting import SHIPPED as SHIPPED_NESTING
    from proplens.pipeline.sentence_cut import SHIPPED as SHIPPED_CUT

    files = chosen.classifier.save(Path(out))
    card["decoding"] = dict(chosen.decoding.__dict__)
    card["nesting"] = asdict(SHIPPED_NESTING)  # fixed, not chosen: docs/model.md
    card["sentence_cut"] = asdict(SHIPPED_CUT)
    card["calibration"] = chosen.calibration.to_dict()
    card["default_threshold"] = chosen.default_threshold
    card["cross_validation"] = chosen.report
    return files


def differing_settings(a: dict, b: dict) -> list[str]:
    """The training settings in which two configs differ, both with their defaults filled in."""
    from proplens.training.config import TrainConfig

    a, b = TrainConfig(**a).to_dict(), TrainConfig(**b).to_dict()
    return sorted(k for k in a if k not in IGNORED_SETTINGS and a[k] != b[k])


def _read_json(folder: Path, name: str) -> dict:
    try:
        return json.loads((folder / name).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise InputError(f"{folder}: no readable {name} ({err})") from None


def _classifier_files() -> tuple[str, ...]:
    from proplens.pipeline.classifier import TechniqueClassifier

    return tuple(TechniqueClassifier.FILES)


def _source(folder: Path) -> dict:
    """The card of a folder holding choices, checked: chosen on a run, classifier present."""
    card = _read_json(folder, "card.json")
    if not card.get("cross_validation"):
        raise InputError(f"{folder}: its choices were not made on a cross-validation run")
    missing = [name for name in _classifier_files() if not (folder / name).is_file()]
    if missing:
        raise InputError(f"{folder}: the technique classifier is incomplete ({', '.join(missing)})")
    return card


def check(source: str | Path, card: dict) -> dict:
    """``source``'s card, if its choices fit a checkpoint whose card is ``card``; else refused."""
    source = Path(source)
    if not source.is_dir():
        raise InputError(f"{source}: no such folder of choices")
    packed = (source / "manifest.json").is_file()
    if packed and _read_json(source, "manifest.json").get("format") == FORMAT:
        from proplens.training.artifacts import verify

        verify(source)
    given = _source(source)
    differ = differing_settings(given["config"], card["config"])
    if differ:
        raise InputError(
            f"{source}: its choices were made for other settings ({', '.join(differ)})"
        )
    return given


def copy(source: str | Path, out: str | Path, card: dict) -> list[str]:
    """Give ``card`` (of a model being exported into ``out``) the choices kept in ``source``.

    ``source`` is a model folder exported with ``--cv`` or a ``pack``ed folder.
    Refused when ``source``'s choices were made for another recipe: a choice is
    only as good as the out-of-fold predictions of the recipe it was made on.
    """
    source, out = Path(source), Path(out)
    given = check(source, card)
    files = list(_classifier_files())
    for name in files:
        shutil.copyfile(source / name, out / name)
    for key in CARD_KEYS:
        if given.get(key) is not None:
            card[key] = given[key]
    card["choices_from"] = {
        "folder": str(source),
        "card_sha256": _card_hash(source),
        "cross_validation_folds": given["cross_validation"].get("folds"),
    }
    return files


def _card_hash(folder: Path) -> str:
    from proplens.training.artifacts import sha256

    return sha256(folder / "card.json")


def pack(model_dir: str | Path, out: str | Path, extra: list[str | Path] = ()) -> dict:
    """Keep ``model_dir``'s choices (and ``extra`` small files: a span rescore's fit) in ``out``.

    The card kept holds the recipe (``config``), the confirmation split's ids,
    the choice entries and where the encoder they were made with came from; not
    the measurements of that encoder (speed, neutrality, confirmation), which
    belong to a model, not to its choices.
    """
    from proplens.training.artifacts import commit, sha256, verify

    model_dir, out = Path(model_dir), Path(out)
    card = _source(model_dir)
    kept = {
        "config": card["config"],
        "training_data": {
            "confirmation_articles": card.get("training_data", {}).get("confirmation_articles", [])
        },
        **{key: card[key] for key in CARD_KEYS if card.get(key) is not None},
    }
    if card.get("fold_model"):
        kept["made_with"] = card["fold_model"]
    out.mkdir(parents=True, exist_ok=True)
    files = ["card.json", *_classifier_files()]
    (out / "card.json").write_text(json.dumps(kept, indent=1) + "\n", encoding="utf-8")
    for name in _classifier_files():
        shutil.copyfile(model_dir / name, out / name)
    for path in map(Path, extra):
        if not path.is_file():
            raise InputError(f"{path}: no such file to keep with the choices")
        if path.name in files:
            raise InputError(f"{path}: its name is taken in a choices folder")
        shutil.copyfile(path, out / path.name)
        files.append(path.name)
    manifest = {
        "format": FORMAT,
        "from": str(model_dir),
        "commit": commit(),
        "config": card["config"],
        "sha256": {name: sha256(out / name) for name in files},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    verify(out)
    return manifest
