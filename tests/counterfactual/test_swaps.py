"""Swapping words both ways, and the offset map between the two texts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from proplens.article import Article, Span
from proplens.counterfactual.pairs import SwapTable, control_pairs, side_pairs
from proplens.counterfactual.swaps import indefinite_article, swap, swap_article, swap_spans
from proplens.sources.results import Sources

SIDES = side_pairs()
CONTROLS = control_pairs()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Iranian forces left Iran.", "American forces left America."),
        ("Iranians and Americans", "Americans and Iranians"),
        ("Iran's regime and Iran’s allies", "America's regime and America’s allies"),
        ("the Democrats' plan", "the Republicans' plan"),
        ("IRAN THREATENS AMERICA", "AMERICA THREATENS IRAN"),
        ("Russian troops in Ukraine", "Ukrainian troops in Russia"),
        ("North Korea tested, North Koreans said", "South Korea tested, South Koreans said"),
        ("an anti-Trump rally", "an anti-Obama rally"),
        ("Muslims and Christians", "Christians and Muslims"),
    ],
)
def test_side_swaps(text, expected):
    assert swap(text, SIDES).text == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("On Monday the city said", "On Tuesday the town stated"),
        ("City officials", "Town officials"),
        ("THE CITY", "THE TOWN"),
        ("Said the mayor", "Stated the mayor"),
    ],
)
def test_control_swaps_keep_case(text, expected):
    assert swap(text, CONTROLS).text == expected


@pytest.mark.parametrize(
    "text",
    ["Irania", "Trumpet and trumped", "citywide towns-", "Obamacare", "Latin America", "us"],
)
def test_only_whole_listed_words_are_swapped(text):
    both = SwapTable(SIDES.pairs + CONTROLS.pairs, SIDES.keep)
    assert swap(text, both).text == text.replace("towns", "cities")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("an Obama aide and a Trump aide", "a Trump aide and an Obama aide"),
        ("An Obama aide", "A Trump aide"),
        ("AN OBAMA AIDE", "A TRUMP AIDE"),
        ("a Obama aide", "an Trump aide"),  # a wrong article stays wrong
        ("an Israeli, a Palestinian", "a Palestinian, an Israeli"),
        ("an Iranian", "an American"),
    ],
)
def test_indefinite_article_follows_the_new_word(text, expected):
    swapped = swap(text, SIDES)
    assert swapped.text == expected
    assert swap(swapped.text, SIDES).text == text


def test_indefinite_article_by_first_sound():
    words = ["Obama", "Trump", "Ukrainian", "European", "NRA", "UK", "Iraqi", "Hindu"]
    assert [indefinite_article(w) for w in words] == ["an", "a", "a", "a", "an", "a", "an", "a"]


def test_offsets_outside_swaps_keep_their_text():
    text = "Iran's regime said Tehran is calm."
    swapped = swap(text, SIDES)
    for word in ("regime", "said", "is calm."):
        start = text.index(word)
        new = swapped.offsets.forward(start)
        assert swapped.text[new : new + len(word)] == word


def test_span_inside_a_swapped_word_widens_to_the_new_word():
    text = "He met Iranian envoys."
    swapped = swap(text, SIDES)
    start = text.index("Iranian")
    new_start, new_end = swapped.offsets.span(start + 2, start + 4)  # "an" inside "Iranian"
    assert swapped.text[new_start:new_end] == "American"


def test_swap_spans_carries_gold_spans_exactly():
    text = "Iran’s terrorist Qods Force and the Trump administration"
    swapped = swap(text, SIDES)
    label = text.index("Iran"), text.index(" and")
    mid_word = text.index("errorist"), text.index(" Qods")  # a span that starts mid-word
    tail = text.index("Trump"), len(text)
    spans = [Span(*label, "Name_Calling,Labeling", 0.8), Span(*mid_word), (*tail, "Doubt")]
    carried = swap_spans(spans, swapped.offsets)
    assert swapped.text[carried[0].start : carried[0].end] == "America’s terrorist Qods Force"
    assert carried[0].technique == "Name_Calling,Labeling" and carried[0].score == 0.8
    assert swapped.text[carried[1].start : carried[1].end] == "errorist"
    assert swapped.text[carried[2][0] : carried[2][1]] == "Obama administration"
    assert carried[2][2] == "Doubt"


def test_swap_article_swaps_title_text_and_spans():
    text = "Trump slams Iran\n\nThe Iranian regime lies."
    spans = [Span(text.index("regime"), text.index(" lies"), "X")]
    article = Article("1", text, spans=spans, sources=Sources())
    copy, swapped = swap_article(article, SIDES)
    assert copy.sources is None  # its offsets belong to the original text
    assert copy.title == "Obama slams America"
    assert copy.text == swapped.text
    assert copy.span_text(copy.spans[0]) == "regime"
    assert article.text == text  # the original is unchanged


# -- properties ---------------------------------------------------------------

TOY = SwapTable(
    [
        ("Iran", "America"),
        ("Iranian", "American"),
        ("city", "town"),
        ("U.S.", "U.K."),
        ("North Korea", "South Korea"),
        ("Obama", "Trump"),
    ],
    keep=["Latin America"],
)
WORDS = [*TOY.forms, "Irania", "cityx", "North", "Korea", "the", "a", "An"]
ARTICLES = ["", "a ", "an ", "A ", "An ", "AN ", "a\t"]
SEPARATORS = [" ", "  ", "\n", "'s ", "’s ", "s' ", "-", ".", ", ", ""]


@st.composite
def texts(draw, table: SwapTable) -> str:
    """Words of ``table`` and others, some after an article, with separators in between."""
    vocabulary = WORDS + sorted(table.forms)[:: max(1, len(table.forms) // 60)]
    word = st.one_of(st.sampled_from(vocabulary), st.text(alphabet="aAnNxé’' .\n", max_size=4))
    pieces = draw(
        st.lists(
            st.tuples(st.sampled_from(ARTICLES), word, st.sampled_from(SEPARATORS)), max_size=12
        )
    )
    return "".join("".join(piece) for piece in pieces)


@pytest.mark.parametrize("table", [TOY, SIDES, CONTROLS], ids=["toy", "sides", "controls"])
@given(data=st.data())
def test_swapping_twice_gives_back_the_original(table, data):
    text = data.draw(texts(table))
    once = swap(text, table)
    twice = swap(once.text, table)
    assert twice.text == text
    assert twice.offsets == once.offsets.inverse()


@given(text=texts(TOY))
def test_offsets_map_monotonically_and_end_to_end(text):
    swapped = swap(text, TOY)
    for snap in ("left", "right"):
        image = [swapped.offsets.forward(i, snap) for i in range(len(text) + 1)]
        assert image == sorted(image)
        assert image[0] == 0 and image[-1] == len(swapped.text)


@given(text=texts(TOY))
def test_unswapped_characters_map_onto_themselves_and_back(text):
    swapped = swap(text, TOY)
    inside = {i for e in swapped.offsets.edits for i in range(e.start, e.end)}
    back = swapped.offsets.inverse()
    for i, char in enumerate(text):
        if i not in inside:
            new = swapped.offsets.forward(i)
            assert swapped.text[new] == char
            assert back.forward(new) == i


@given(text=texts(TOY), bounds=st.tuples(st.integers(0, 200), st.integers(0, 200)))
def test_carried_spans_stay_inside_the_text_and_keep_their_order(text, bounds):
    start, end = sorted(bounds)
    start, end = min(start, len(text)), min(end, len(text))
    if start == end:
        return
    swapped = swap(text, TOY)
    new_start, new_end = swapped.offsets.span(start, end)
    assert 0 <= new_start < new_end <= len(swapped.text)
    overlapping = [e for e in swapped.offsets.edits if e.start < end and e.end > start]
    assert swapped.offsets.touches(start, end) == bool(overlapping)


@given(text=texts(TOY), offsets=st.lists(st.integers(0, 250), max_size=30))
def test_offsets_map_the_same_one_by_one_and_all_at_once(text, offsets):
    mapped = swap(text, TOY).offsets
    offsets = [o for o in offsets if o <= len(text)]
    for snap in ("left", "right"):
        expected = [mapped.forward(o, snap) for o in offsets]
        assert mapped.forward_many(np.array(offsets, dtype=np.int64), snap).tolist() == expected
