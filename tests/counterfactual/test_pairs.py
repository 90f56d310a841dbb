"""The curated pair lists and the table of surface forms built from them."""

from __future__ import annotations

import pytest

from proplens.counterfactual.pairs import (
    SwapTable,
    categories,
    control_pairs,
    listed_pairs,
    side_pairs,
)


@pytest.mark.parametrize("table", [side_pairs(), control_pairs()], ids=["sides", "controls"])
def test_every_form_swaps_back_to_itself(table):
    for form, replacement in table.forms.items():
        assert table.forms[replacement.text].text == form


def test_sides_and_controls_share_no_word():
    sides = {f for f, r in side_pairs().forms.items() if r.text != f}
    controls = {f for f, r in control_pairs().forms.items() if r.text != f}
    assert not sides & controls


def test_lists_cover_the_categories_the_issue_names():
    names = set(categories("sides"))
    assert {"countries", "politicians", "religions"} <= names
    sides = dict(listed_pairs("sides"))
    assert sides["Iran"] == "America" and sides["Iranian"] == "American"
    assert sides["Democrats"] == "Republicans" and sides["Trump"] == "Obama"
    assert dict(listed_pairs("controls"))["Monday"] == "Tuesday"


def test_variants_follow_the_case_of_the_listed_form():
    table = SwapTable([("city", "town"), ("Iran", "America")])
    assert table.forms["City"].text == "Town"
    assert table.forms["CITY"].text == "TOWN"
    assert table.forms["IRAN"].text == "AMERICA"
    assert "iran" not in table.forms  # a proper noun is matched as written or in capitals


def test_a_form_in_two_pairs_is_refused():
    with pytest.raises(ValueError, match="already swapped"):
        SwapTable([("Iran", "America"), ("Iran", "Iraq")])


def test_a_keep_phrase_that_is_also_swapped_is_refused():
    with pytest.raises(ValueError, match="already swapped"):
        SwapTable([("Latin America", "Asia")], keep=["Latin America"])


@pytest.mark.parametrize(
    "pair",
    [("antifa", "Proud Boys"), ("ISIS", "Hezbollah"), ("Iran", "Iran"), ("", "x")],
    ids=str,
)
def test_pairs_that_cannot_swap_back_are_refused(pair):
    with pytest.raises(ValueError):
        SwapTable([pair])
