"""The curated pair lists and the table of surface forms built from them."""

from __future__ import annotations

import pytest

from proplens.counterfactual.pairs import (
    SwapTable,
    categories,
    control_pairs,
    listed_pairs,
    side_entities,
    side_pairs,
)
from proplens.counterfactual.swaps import swap


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


def test_side_entities_hold_every_listed_side_form_once():
    forms = [f for entities in side_entities().values() for e in entities for f in e if f]
    assert len(forms) == len(set(forms))
    assert set(forms) == {form for pair in listed_pairs("sides") for form in pair}
    iran, america = side_entities()["countries"][:2]
    assert iran[:4] == ("Iran", "Iranian", "Iranians", "Tehran")
    assert america[:4] == ("America", "American", "Americans", "Washington")


def test_a_missing_role_is_none_on_both_sides_of_its_group():
    britain, france = (e for e in side_entities()["countries"] if e[0] in ("Britain", "France"))
    assert britain[2] is None and france[2] is None  # no word for the people of either
    assert britain[3] == "London" and france[3] == "Paris"


def test_a_renaming_may_rotate_names_and_keeps_the_case():
    table = SwapTable([("Iran", "America"), ("Russia", "Ukraine")])
    rotation = table.renamed({"Iran": "Russia", "Russia": "America", "America": "Iran"})
    assert swap("IRAN, Russia and America", rotation).text == "RUSSIA, America and Iran"
    assert swap("Ukraine", rotation).text == "Ukraine"
