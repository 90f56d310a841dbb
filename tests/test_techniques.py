"""The 14-technique taxonomy and the mappings from PTC-18 and SemEval-2023."""

from __future__ import annotations

import doctest

import pytest

import proplens.techniques
from proplens.formats.semeval import read_labels
from proplens.techniques import BY_NAME, NAMES, PTC_18, SEMEVAL_2023, TECHNIQUES, get, map_to_14

# Written out by hand from the SemEval-2020 Task 11 label files.
EXPECTED_NAMES = {
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
}


def test_docstring_examples_hold():
    assert doctest.testmod(proplens.techniques).failed == 0


def test_fourteen_corpus_names():
    assert len(NAMES) == 14
    assert set(NAMES) == EXPECTED_NAMES
    assert list(BY_NAME) == list(NAMES)


def test_every_technique_is_fully_described():
    for technique in TECHNIQUES:
        assert technique.label and technique.definition and technique.example
        assert technique.color.startswith("#") and len(technique.color) == 7
    assert len({t.label for t in TECHNIQUES}) == 14
    assert len({t.color for t in TECHNIQUES}) == 14


@pytest.mark.corpus
def test_names_match_the_corpus_labels(ptc_train):
    rows = read_labels(ptc_train / "train-tc.labels", "tc")
    assert {row.technique for row in rows} == set(NAMES)


@pytest.mark.parametrize("name", PTC_18 + SEMEVAL_2023)
def test_every_other_taxonomy_name_maps_to_one_of_14_or_none(name):
    mapped = map_to_14(name)
    assert mapped is None or mapped in NAMES


def test_taxonomy_sizes():
    assert len(set(PTC_18)) == 18
    assert len(set(SEMEVAL_2023)) == 23


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # PTC-18: merged classes and the one dropped class.
        ("Red_Herring", "Whataboutism,Straw_Men,Red_Herring"),
        ("Bandwagon", "Bandwagon,Reductio_ad_hitlerum"),
        ("Reductio_ad_hitlerum", "Bandwagon,Reductio_ad_hitlerum"),
        ("Obfuscation,Intentional_Vagueness,Confusion", None),
        ("Flag-Waving", "Flag-Waving"),
        # SemEval-2023: renamed, merged and absent classes.
        ("Name_Calling-Labeling", "Name_Calling,Labeling"),
        ("Appeal_to_Fear-Prejudice", "Appeal_to_fear-prejudice"),
        ("Conversation_Killer", "Thought-terminating_Cliches"),
        ("Appeal_to_Popularity", "Bandwagon,Reductio_ad_hitlerum"),
        ("Exaggeration-Minimisation", "Exaggeration,Minimisation"),
        ("Flag_Waving", "Flag-Waving"),
        ("Appeal_to_Time", None),
        ("Consequential_Oversimplification", None),
        # A SemEval-2020 name maps to itself.
        ("Whataboutism,Straw_Men,Red_Herring", "Whataboutism,Straw_Men,Red_Herring"),
    ],
)
def test_spot_checked_mappings(name, expected):
    assert map_to_14(name) == expected


def test_unknown_names_are_refused_clearly():
    with pytest.raises(KeyError, match="unknown technique name 'Lying'"):
        map_to_14("Lying")
    with pytest.raises(KeyError, match="unknown technique 'Straw_Men'; known: Loaded_Language"):
        get("Straw_Men")
    assert get("Doubt").label == "Doubt"


# -- colours: distinct for every reader, text readable on each ---------------------------

MIN_DIFFERENCE = 10.0
"""Smallest CIEDE2000 difference between two technique colours, in every vision below."""
MIN_CONTRAST = 4.5
"""WCAG 2.1 AA contrast for normal text: the page's dark text on each highlight."""
TEXT_ON_HIGHLIGHTS = "#111111"
VISIONS = (None, "protan", "deutan", "tritan")  # Machado et al. (2009), full severity


def as_seen(color: str, vision: str | None):
    from coloraide import Color

    return Color(color) if vision is None else Color(color).filter(vision, method="machado")


@pytest.mark.parametrize("vision", VISIONS, ids=lambda v: v or "normal")
def test_any_two_technique_colours_are_far_apart(vision):
    pytest.importorskip("coloraide", reason="the colour check needs the test extra")
    import itertools

    seen = {t.name: as_seen(t.color, vision) for t in TECHNIQUES}
    closest = min(
        (seen[a].delta_e(seen[b], method="2000"), a, b) for a, b in itertools.combinations(seen, 2)
    )
    assert closest[0] >= MIN_DIFFERENCE, f"{closest[1]} and {closest[2]}: {closest[0]:.1f}"


def test_dark_text_is_readable_on_every_technique_colour():
    pytest.importorskip("coloraide", reason="the colour check needs the test extra")
    from coloraide import Color

    for technique in TECHNIQUES:
        contrast = Color(TEXT_ON_HIGHLIGHTS).contrast(technique.color, method="wcag21")
        assert contrast >= MIN_CONTRAST, f"{technique.name}: {contrast:.2f}"


def test_the_colour_difference_is_the_standard_one():
    """coloraide's CIEDE2000 against Sharma, Wu and Dalal (2005), test pairs 1, 7 and 17."""
    from coloraide import Color

    pairs = [
        ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
        ((50, 0, 0), (50, -1, 2), 2.3669),
        ((50, 2.5, 0), (73, 25, -18), 27.1492),
    ]
    for lab1, lab2, expected in pairs:
        found = Color("lab-d65", lab1).delta_e(Color("lab-d65", lab2), method="2000")
        assert found == pytest.approx(expected, abs=1e-4)
