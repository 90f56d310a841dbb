"""Word changes, quantities and balancing phrases: the pieces the flags stand on."""

from __future__ import annotations

import pytest

from proplens.compare import balance, numbers
from proplens.compare.words import tokens, word_changes


def test_word_changes_are_offsets_into_each_side():
    a = "The council said the plan was approved."
    b = "The council confirmed that the plan was approved!"
    changes = word_changes(tokens(a, [(0, len(a))]), tokens(b, [(0, len(b))]))
    seen = [(c.op, a[c.a_start : c.a_end], b[c.b_start : c.b_end]) for c in changes]
    assert seen == [("replace", "said", "confirmed that"), ("replace", ".", "!")]


def test_a_copy_edit_of_one_capital_is_a_change():
    a, b = "orders from european retailers", "orders from European retailers"
    (change,) = word_changes(tokens(a, [(0, len(a))]), tokens(b, [(0, len(b))]))
    assert (a[change.a_start : change.a_end], b[change.b_start : change.b_end]) == (
        "european",
        "European",
    )


@pytest.mark.parametrize(
    ("a", "b", "changed"),
    [
        ("4,000 soldiers", "10,000 soldiers", [("4,000", "10,000")]),
        ("five civilians", "5 civilians", []),
        ("five civilians", "at least a dozen civilians", [("five", "a dozen")]),
        ("600 jobs", "thousands of jobs", [("600", "thousands")]),
        ("3,000 jobs", "thousands of jobs", []),
        ("1.2 million pounds", "1,200,000 pounds", []),
        ("two supports and 12 March", "three supports", [("two", "three")]),
        ("No one was hurt", "Two people were hurt", []),
        ("in ten years", "in a decade", []),
    ],
)
def test_changed_quantities(a, b, changed):
    pairs = numbers.changed(numbers.quantities(a), numbers.quantities(b))
    assert [(a[x.start : x.end], b[y.start : y.end]) for x, y in pairs] == changed


@pytest.mark.parametrize(
    ("sentence", "kind", "phrase"),
    [
        ("The ministry denied that its troops were there.", "denial", "denied"),
        ("He has done nothing wrong, his lawyer said.", "denial", "done nothing wrong"),
        ("The army rejected the claim.", "denial", "rejected the claim"),
        ("The company did not respond to a request for comment.", "response", "did not respond"),
        ("A spokesman declined to comment.", "response", "declined to comment"),
        ("Both sides accused each other of breaking the truce.", "counter", "accused each other"),
        ("The figures could not be independently verified.", "caveat", None),
        ("The study has not been peer-reviewed.", "caveat", None),
        ("Officials did not say who was responsible.", "caveat", "did not say who"),
        ("The cause of the fire has not been determined.", "caveat", "has not been determined"),
        ("Radiation levels at the site remained normal.", "caveat", "remained normal"),
        ("Monitors had not detected contaminants at levels of concern.", "caveat", None),
        ("The firm said it was cooperating with investigators.", "response", None),
        # issue 25, second round: reassurances and answers chosen on the new dev pairs
        ("The company said it was cooperating fully with the authorities.", "response", None),
        ("His lawyer said he was reviewing the charges.", "response", "was reviewing the charges"),
        (
            "The governor said there was no credible evidence of an attack.",
            "caveat",
            "no credible evidence of",
        ),
        ("The FBI said there was no indication that it was deliberate.", "caveat", None),
        (
            "The cause is under investigation by the safety board.",
            "caveat",
            "is under investigation",
        ),
        ("She said no one on board had been seriously injured.", "caveat", None),
        ("The operator said there had been no pollution.", "caveat", None),
        # issue 25, third round: caveats and reassurances chosen on the new dev pairs
        ("Ukraine did not claim responsibility for the blast.", "caveat", None),
        ("No group has claimed responsibility.", "caveat", None),
        ("An aide called it a warning but did not say Kyiv was behind it.", "caveat", None),
        ("The water was diluted to well below regulatory limits.", "caveat", None),
        ("The plan is consistent with international safety standards.", "caveat", None),
        ("The release would have a negligible radiological impact.", "caveat", None),
    ],
)
def test_balancing_phrases_are_found(sentence, kind, phrase):
    found = balance.cues(sentence)
    assert [c.kind for c in found] == [kind]
    if phrase:
        assert sentence[found[0].start : found[0].end] == phrase


@pytest.mark.parametrize(
    "sentence",
    [
        "The council approved the plan on Tuesday.",
        "Mediators urged both sides to respect the ceasefire.",
        "The company said it would keep its office open.",
        "Prices were normal for the season.",
        "Police did not find the car.",
        "The company will cooperate with a university on the study.",
        "The investigation began on Monday.",
        "Three people were injured in the crash.",
        "The rebels claimed responsibility for the attack.",
        "Prices stayed below last year's levels.",
    ],
)
def test_plain_sentences_have_no_balancing_phrase(sentence):
    assert balance.cues(sentence) == []
