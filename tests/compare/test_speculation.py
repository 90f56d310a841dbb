"""speculation_added: possibilities, open questions and insinuations B raises and A did not."""

from __future__ import annotations

import pytest

from proplens.compare import Comparer
from proplens.compare.speculation import markers
from tests.compare.conftest import ScriptedFinder, Sources, attribution, hedge
from tests.compare.test_flags import flags, types

A = (
    "Troops in Kalen\n\n"
    "An MP said that 4,000 soldiers had crossed into Kalen.\n"
    "The ministry has not commented.\n"
)


def kinds(sentence: str) -> list[tuple[str, str, bool]]:
    found = markers(sentence, 0, len(sentence))
    return [(m.kind, sentence[m.start : m.end], m.strong) for m in found]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Whether they were sent for other goals cannot be known.",
         [("unknowable", "cannot be known", True)]),
        ("A wider war cannot be ruled out.", [("unknowable", "cannot be ruled out", True)]),
        ("It is likely that more troops will follow.", [("likelihood", "It is likely", True)]),
        ("It is highly unlikely that the talks succeed.",
         [("likelihood", "It is highly unlikely", True)]),
        ("The militias may well be behind the attack.",
         [("likelihood", "may well be behind", True)]),
        ("One wonders what else the ministry is hiding.",
         [("insinuation", "One wonders", True),
          ("insinuation", "what else the ministry is hiding", True)]),
        ("There is more to it than meets the eye.",
         [("insinuation", "more to it than meets the eye", True)]),
        ("The timing raises serious questions.",
         [("insinuation", "raises serious questions", True)]),
        ("Was the fire really an accident?",
         [("question", "Was the fire really an accident?", True)]),
        ("Only one country had both the means and the motive.",
         [("insinuation", "had both the means and the motive", True)]),
        ("The army could be preparing an offensive.", [("modal", "could", False)]),
        ("The minister reportedly met the contractor twice.",
         [("hearsay", "reportedly", False)]),
    ],
)  # fmt: skip
def test_markers_and_their_kinds(sentence, expected):
    assert kinds(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "It is possible to book tickets online.",  # "possible to": not a likelihood
        "The claim could not be independently verified.",  # a caveat, not speculation
        "The talks resume in May.",  # the month
        "The army could not reach the village.",
        '"Where is the money?" protesters chanted.',  # a quoted question
        'The mayor said it was "likely that more jobs will go".',  # quoted speculation
        "The union will strike on Monday.",
    ],
)
def test_no_marker(sentence):
    assert kinds(sentence) == []


def test_added_speculation_is_flagged_once_per_sentence(analyzer):
    b = (
        "Troops in Kalen\n\n"
        "An MP said that 4,000 soldiers had crossed into Kalen.\n"
        "Whether they were sent for other goals cannot be known, and it is likely that more "
        "will follow.\n"
        "The ministry has not commented.\n"
    )  # fmt: skip
    result = Comparer(analyzer).compare(A, b)  # a text check: no parser needed
    assert flags(result) == [("speculation_added", None, "cannot be known")]
    assert result.flags[0].detail == {"kind": "unknowable"}
    assert "adds 1 speculation (question left open 1)" in " ".join(result.summary["text"])


def test_a_possibility_added_as_a_new_sentence_counts_but_hedging_a_kept_one_does_not(analyzer):
    added = A + "The army could be preparing a wider offensive.\n"
    assert flags(Comparer(analyzer).compare(A, added)) == [("speculation_added", None, "could")]
    hedged = A.replace("had crossed", "may have crossed")
    assert "speculation_added" not in types(Comparer(analyzer).compare(A, hedged))


def test_strong_speculation_in_a_reworded_sentence_and_the_hedge_is_told_once(analyzer):
    b = A.replace("An MP said that 4,000 soldiers had", "4,000 soldiers may well have")
    comparer = Comparer(analyzer, ScriptedFinder({}))  # sources ran, found nothing
    result = comparer.compare(A, b)
    assert ("speculation_added", "An MP said that 4,000 soldiers had crossed into Kalen.",
            "may well") in flags(result)  # fmt: skip
    assert "hedge_added" not in types(result)  # "may" is inside "may well": told once


def test_a_rhetorical_question_headline(analyzer):
    b = A.replace("Troops in Kalen\n", "Are there really troops in Kalen?\n")
    assert flags(Comparer(analyzer).compare(A, b)) == [
        ("speculation_added", "Troops in Kalen", "Are there really troops in Kalen?")
    ]


def test_speculation_a_already_had_is_not_added(analyzer):
    a = A + "A wider war cannot be ruled out.\n"
    b = A + "A wider war in the region cannot be ruled out.\n"
    assert "speculation_added" not in types(Comparer(analyzer).compare(a, b))
    a = A + "Was the border ever secure?\n"
    b = A + "Was the border ever really secure?\n"
    assert "speculation_added" not in types(Comparer(analyzer).compare(a, b))


def test_speculation_reported_from_a_specific_source_is_not_the_writers(analyzer):
    b = A + "Hydrologist Lena Morris told reporters a wet autumn could refill the reservoirs.\n"
    # without the parser, a reporting verb makes it reported
    assert "speculation_added" not in types(Comparer(analyzer).compare(A, b))
    comparer = Comparer(
        analyzer,
        ScriptedFinder({b: Sources([attribution(
            b, "Hydrologist Lena Morris", "named", "told", "neutral",
            "a wet autumn could refill the reservoirs")])}),
    )  # fmt: skip
    assert "speculation_added" not in types(comparer.compare(A, b))


def test_speculation_from_a_vague_source_is_told_with_the_parser(analyzer):
    b = A + "Experts warn that hospitals could soon be overwhelmed.\n"
    comparer = Comparer(
        analyzer,
        ScriptedFinder({b: Sources(
            [attribution(b, "Experts", "vague", "warn", "neutral",
                         "hospitals could soon be overwhelmed")],
            hedges=[hedge(b, "could")],
        )}),
    )  # fmt: skip
    assert flags(comparer.compare(A, b)) == [("speculation_added", None, "could")]


def test_an_identical_or_innocently_edited_text_raises_none(analyzer):
    assert types(Comparer(analyzer).compare(A, A)) == []
    edited = A.replace("An MP said", "An opposition MP said")
    assert types(Comparer(analyzer).compare(A, edited)) == []


def test_every_output_tells_the_flag_with_its_kind(analyzer):
    from proplens.compare.html import render_html
    from proplens.compare.jsonio import comparison_to_dict
    from proplens.compare.text import render_text

    b = A + "Whether the soldiers were sent for other goals cannot be known.\n"
    result = Comparer(analyzer).compare(A, b)
    line = "speculation_added (unknowable): nothing in A → B “cannot be known”"
    assert f"    ! {line}" in render_text(result)
    assert line in render_html(result)
    doc = comparison_to_dict(result)
    told = [f for item in doc["alignment"] for f in item["flags"]]
    assert [(f["type"], f["kind"], f["b_text"], f["a_text"]) for f in told] == [
        ("speculation_added", "unknowable", "cannot be known", None)
    ]
    assert doc["summary"]["flags"]["speculation_added"] == 1
    assert doc["schema_version"] == "1.2"


def test_no_one_is_not_a_source_that_reports_the_speculation(analyzer):
    """The parser reads "no one can say what..." as an attribution with the source "no
    one"; the doubt is the writer's (issue 25, dev pair fukushima-water)."""
    b = A + "The troops will stay for years, and no one can say what they will do there.\n"
    comparer = Comparer(
        analyzer,
        ScriptedFinder({b: Sources([attribution(
            b, "no one", "role", "say", "neutral", "what they will do there")])}),
    )  # fmt: skip
    assert flags(comparer.compare(A, b)) == [("speculation_added", None, "no one can say")]
