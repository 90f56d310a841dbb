"""Sentence alignment: kept, reworded, moved, split, merged, added and dropped."""

from __future__ import annotations

from proplens.compare.align import align
from proplens.compare.sentences import split_sentences


def links(a: str, b: str) -> list[tuple[str, tuple[int, ...], tuple[int, ...]]]:
    return [(x.kind, x.a, x.b) for x in align(split_sentences(a), split_sentences(b))]


STORY = (
    "Harbour sale approved\n\n"
    "The council approved the sale of the old harbour on Tuesday by seven votes to four.\n"
    "The buyer, Marlow Developments, plans to build 200 flats and a marina on the site.\n"
    "Residents who opposed the sale said they would ask for a judicial review.\n"
    "The council said the money would pay for repairs to the sea wall.\n"
)


def test_identical_texts_are_all_same():
    assert links(STORY, STORY) == [("same", (i,), (i,)) for i in range(5)]


def test_reworded_added_and_dropped_in_reading_order():
    b = (
        "Harbour sale approved\n\n"
        "The council approved the sale of the old harbour on Tuesday by seven votes to four.\n"
        "The buyer, Marlow Developments, wants to build 200 flats and a new marina there.\n"
        "Critics called the vote a scandal.\n"
        "The council said the money would pay for repairs to the sea wall.\n"
    )
    assert links(STORY, b) == [
        ("same", (0,), (0,)),
        ("same", (1,), (1,)),
        ("reworded", (2,), (2,)),
        ("dropped", (3,), ()),  # where it stood in A, before B's next kept sentence
        ("added", (), (3,)),
        ("same", (4,), (4,)),
    ]


def test_a_moved_paragraph_is_moved_and_the_rest_stays_in_order():
    paragraphs = STORY.split("\n")
    b = "\n".join([paragraphs[0], paragraphs[1], paragraphs[5], *paragraphs[2:5], ""])
    assert links(STORY, b) == [
        ("same", (0,), (0,)),
        ("moved", (4,), (1,)),
        ("same", (1,), (2,)),
        ("same", (2,), (3,)),
        ("same", (3,), (4,)),
    ]


def test_split_and_merge():
    a = (
        "Title\n\nThe council approved the sale of the harbour on Tuesday, ending a long "
        "dispute over the future of the waterfront.\nThe buyer is Marlow Developments of Leeds. "
        "It plans to build flats.\n"
    )
    b = (
        "Title\n\nThe council approved the sale of the harbour on Tuesday. The vote ended a "
        "long dispute over the future of the waterfront.\nThe buyer, Marlow Developments of "
        "Leeds, plans to build flats.\n"
    )
    assert links(a, b) == [
        ("same", (0,), (0,)),
        ("reworded", (1,), (1, 2)),
        ("reworded", (2, 3), (3,)),
    ]


def test_unrelated_texts_share_nothing_but_the_title_slot():
    other = "Weather\n\nRain is expected across the north on Friday.\nWinds will ease later.\n"
    found = links(STORY, other)
    assert ("added", (), (1,)) in found and ("dropped", (1,), ()) in found
    assert all(kind in ("added", "dropped") for kind, a, b in found if 0 not in a)


def test_headlines_link_to_each_other_before_a_lead_that_repeats_one():
    # A's headline is B's new, shorter lead almost word for word; it must still go with
    # B's headline, and A's lead with B's lead (split in two), as a reader aligns them.
    a = (
        "Central library to reopen in May\n\n"
        "The central library in Brackwell will reopen in May after a two-year renovation "
        "costing 8.5 million euros.\n"
        "The new building has a children's floor and 40 public computers.\n"
    )
    b = (
        "Brackwell library opening date confirmed\n\n"
        "The central library will reopen in May.\n"
        "The two-year renovation cost 8.5 million euros, 1 million more than planned.\n"
        "The new building has a children's floor and 40 public computers.\n"
    )
    assert links(a, b) == [
        ("reworded", (0,), (0,)),
        ("reworded", (1,), (1, 2)),
        ("same", (2,), (3,)),
    ]


def test_headlines_sharing_no_word_are_not_forced_together():
    a = "Storm closes ferry port\n\nThe storm closed the ferry port at Dunmore on Monday.\n"
    b = "Weather chaos\n\nThe storm closed the ferry port at Dunmore on Monday.\n"
    assert links(a, b) == [("dropped", (0,), ()), ("added", (), (0,)), ("same", (1,), (1,))]


def test_unrelated_sentences_at_the_same_place_are_not_aligned():
    """Issue 25: a dropped denial was linked to an unrelated added sentence at 0.26."""
    from proplens.compare.align import GAP_THRESHOLD
    from proplens.compare.similarity import similarity, words

    denial = "Russia's defence ministry denied the accusation."
    added = "Russian forces have stored heavy weapons inside the plant's turbine halls."
    assert 0.25 <= similarity(words(denial), words(added)) < GAP_THRESHOLD
    a = f"Plant\n\nShelling hit the plant on Friday.\n{denial}\nThe agency called for calm.\n"
    b = f"Plant\n\nShelling hit the plant on Friday.\n{added}\nThe agency called for calm.\n"
    assert links(a, b) == [
        ("same", (0,), (0,)),
        ("same", (1,), (1,)),
        ("dropped", (2,), ()),
        ("added", (), (2,)),
        ("same", (3,), (3,)),
    ]


def test_a_sentence_split_in_two_that_neither_half_matches_alone():
    """Issue 25, the example pair: one wire sentence became two freer ones at the same
    place; read together they say what it said, each alone falls below the floor."""
    from proplens.compare.align import GAP_THRESHOLD, THRESHOLD
    from proplens.compare.similarity import similarity, words

    one = (
        "Some of them were fighting alongside the Popular Mobilization Forces, an umbrella "
        "group of mostly Shiite militias with about 100,000 fighters."
    )
    first = "In truth, they also operate under the banner of the Popular Mobilization Forces."
    second = (
        "The PMF, an umbrella alliance formed in 2014, counts roughly 100,000 militant Shiite "
        "fighters in its ranks."
    )
    alone = [similarity(words(one), words(x)) for x in (first, second)]
    assert max(alone) < GAP_THRESHOLD
    assert similarity(words(one), words(first) + words(second)) >= THRESHOLD
    a = f"Iraq\n\nIran sent troops to Iraq.\n{one}\nSoleimani visited the front.\n"
    b = f"Iraq\n\nIran sent troops to Iraq.\n{first} {second}\nSoleimani visited the front.\n"
    assert links(a, b) == [
        ("same", (0,), (0,)),
        ("same", (1,), (1,)),
        ("reworded", (2,), (2, 3)),
        ("same", (3,), (4,)),
    ]
    # two unrelated sentences at the same place are not read together
    c = f"Iraq\n\nIran sent troops to Iraq.\n{first} Schools shut.\nSoleimani visited the front.\n"
    assert ("dropped", (2,), ()) in links(a, c)


def test_a_quotation_cut_in_two_by_the_splitter_stays_one_item():
    a = (
        "Bridge\n\nA truck exploded on the bridge.\n"
        'An adviser called it "the beginning" in a post.\nTraffic resumed later.\n'
    )
    b = (
        "Bridge\n\nA truck exploded on the bridge.\n"
        '"We warned everyone. This was only the beginning," an adviser wrote in a post.\n'
        "Traffic resumed later.\n"
    )
    assert links(a, b) == [
        ("same", (0,), (0,)),
        ("same", (1,), (1,)),
        ("reworded", (2,), (2, 3)),
        ("same", (3,), (4,)),
    ]
