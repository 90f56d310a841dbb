"""Training copies: sides and neutral words swapped at random, gold spans carried along."""

from __future__ import annotations

import random

import pytest

pytest.importorskip("torch", reason="training needs the [train] extra")

from proplens.training.config import TrainConfig  # noqa: E402
from proplens.training.corpus import Example  # noqa: E402
from proplens.training.train import augmenter  # noqa: E402

TEXT = "On Monday the regime in Tehran said Iran's corrupt leaders lied to the city."
LOADED, NAMING = "corrupt leaders", "Iran's corrupt leaders"


def example() -> Example:
    spans = []
    for fragment, technique in ((LOADED, "Loaded_Language"), (NAMING, "Name_Calling,Labeling")):
        start = TEXT.index(fragment)
        spans.append((start, start + len(fragment), technique))
    return Example("1", TEXT, spans)


def augmented(kind: str, rate: float = 1.0) -> Example:
    augment = augmenter(TrainConfig(augment=kind, augment_rate=rate))
    return augment(example(), random.Random(0))


def fragments(e: Example) -> list[tuple[str, str]]:
    return [(e.text[start:end], technique) for start, end, technique in e.spans]


def test_controls_swap_neutral_words_and_leave_sides_alone():
    copy = augmented("controls")
    assert "Tuesday" in copy.text and "stated" in copy.text and "town" in copy.text
    assert "Iran's" in copy.text
    assert fragments(copy) == fragments(example())


def test_sides_and_controls_swap_both_and_carry_the_spans():
    copy = augmented("sides+controls")
    assert "Tuesday" in copy.text and "Iran's" not in copy.text
    [(loaded, _), (naming, technique)] = fragments(copy)
    assert loaded == LOADED and naming.endswith(" corrupt leaders") and naming != NAMING
    assert technique == "Name_Calling,Labeling"


def test_rate_zero_keeps_the_gold_article():
    assert augmented("sides+controls", rate=0.0) == example()


@pytest.mark.parametrize("kind", ["colours", "sides+", "sides+colours"])
def test_an_unknown_augmentation_is_refused(kind):
    with pytest.raises(ValueError, match="unknown augmentation"):
        augmenter(TrainConfig(augment=kind))
