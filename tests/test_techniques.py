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
