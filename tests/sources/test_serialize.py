"""Sources JSON: derived text, round trip, and one clear error for each kind of bad input."""

from __future__ import annotations

import copy

import pytest

from proplens.errors import FormatError
from proplens.sources import (
    Attribution,
    Claim,
    Hedge,
    SourceRef,
    Sources,
    VerbRef,
    sources_from_dict,
    sources_to_dict,
)

TEXT = 'Critics claimed the pier cost 3 million euros. "It did," she said. Apparently so.'
SOURCES = Sources(
    attributions=(
        Attribution(0, 45, SourceRef(0, 7, "vague"), VerbRef(8, 15, "distancing"), 16, 45, False),
        Attribution(
            48, 65, SourceRef(57, 60, "vague", (0, 7)), VerbRef(61, 65, "neutral"), 48, 54, True
        ),
    ),
    claims=(Claim(0, 46, 0, 0.91, ((30, 45),)),),
    hedges=(Hedge(67, 77, "hedge"),),
)


def test_to_dict_follows_the_contract():
    data = sources_to_dict(SOURCES, TEXT)
    first = data["attributions"][0]
    assert first == {
        "start": 0,
        "end": 45,
        "text": "Critics claimed the pier cost 3 million euros",
        "source": {"start": 0, "end": 7, "text": "Critics", "kind": "vague"},
        "verb": {
            "start": 8,
            "end": 15,
            "text": "claimed",
            "stance": "distancing",
            "kind": "speech",
        },
        "content": {"start": 16, "end": 45, "text": "the pier cost 3 million euros"},
        "quote": False,
        "content_more": [],
        "source_referent": None,
    }
    # a pronoun source keeps its own span and names what it refers to
    second = data["attributions"][1]
    assert second["source"]["text"] == "she"
    assert second["source_referent"] == {"start": 0, "end": 7, "text": "Critics"}
    assert data["claims"] == [
        {
            "start": 0,
            "end": 46,
            "text": TEXT[:46],
            "attribution": 0,
            "check_worthy": 0.91,
            "quantities": [{"start": 30, "end": 45, "text": "3 million euros"}],
        }
    ]
    assert data["hedges"] == [{"start": 67, "end": 77, "text": "Apparently", "kind": "hedge"}]


def test_round_trip():
    assert sources_from_dict(sources_to_dict(SOURCES, TEXT), TEXT) == SOURCES


def test_documents_before_cue_kinds_and_referents_still_read():
    data = sources_to_dict(SOURCES, TEXT)
    for item in data["attributions"]:
        del item["verb"]["kind"], item["source_referent"], item["content_more"]
    read = sources_from_dict(data, TEXT)
    assert [a.verb.kind for a in read.attributions] == ["speech", "speech"]
    assert [a.source.referent for a in read.attributions] == [None, None]
    assert [a.content_more for a in read.attributions] == [(), ()]


SPLIT = '"It did," she said. "It cost more."'


def test_split_quote_content_more_round_trips():
    split = Sources(
        attributions=(
            Attribution(
                1,
                33,
                SourceRef(10, 13, "named"),
                VerbRef(14, 18, "neutral"),
                1,
                7,
                True,
                ((21, 33),),
            ),
        )
    )
    data = sources_to_dict(split, SPLIT)
    assert data["attributions"][0]["content_more"] == [
        {"start": 21, "end": 33, "text": "It cost more"}
    ]
    assert sources_from_dict(data, SPLIT) == split
    data["attributions"][0]["content_more"] = [{"start": 21, "end": 99}]
    with pytest.raises(FormatError, match=r"attributions\[0\]: content_more\[0\]: offsets"):
        sources_from_dict(data, SPLIT)
    data["attributions"][0]["content_more"] = {"start": 21}
    with pytest.raises(FormatError, match="'content_more' should be a list"):
        sources_from_dict(data, SPLIT)


def test_bad_cue_kind_and_referent_are_named():
    data = sources_to_dict(SOURCES, TEXT)
    data["attributions"][0]["verb"]["kind"] = "rumour"
    with pytest.raises(FormatError, match=r"attributions\[0\]: kind 'rumour' is not one of"):
        sources_from_dict(data, TEXT)
    data = sources_to_dict(SOURCES, TEXT)
    data["attributions"][1]["source_referent"]["text"] = "Others"
    with pytest.raises(FormatError, match=r"attributions\[1\]: source_referent: text 'Others'"):
        sources_from_dict(data, TEXT)


def test_missing_keys_read_as_empty():
    assert sources_from_dict({}, TEXT) == Sources()


def _broken(path: list, value) -> dict:
    data = copy.deepcopy(sources_to_dict(SOURCES, TEXT))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    "path, value, message",
    [
        (["attributions", 0, "source", "kind"], "secret", "kind 'secret' is not one of"),
        (["attributions", 0, "verb", "stance"], "sceptical", "stance 'sceptical'"),
        (["attributions", 0, "source", "text"], "Critic", "differs from text[0:7]"),
        (["attributions", 0, "end"], 999, "do not fit"),
        (["attributions", 0, "quote"], "no", "'quote' should be true or false"),
        (["claims", 0, "attribution"], 2, "'attribution' 2 is not null or an index below 2"),
        (["claims", 0, "check_worthy"], 1.5, "'check_worthy' 1.5 is not a number in [0, 1]"),
        (["hedges", 0, "kind"], "maybe", "kind 'maybe'"),
        (["claims"], {"start": 0}, "'claims' should be a list"),
    ],
)
def test_bad_documents_are_refused_naming_the_place(path, value, message):
    with pytest.raises(FormatError, match="doc.json: ") as err:
        sources_from_dict(_broken(path, value), TEXT, "doc.json")
    assert message in str(err.value)


NOBODY = "Nabisco is expected to cut 277 jobs."
SOURCELESS = Sources(
    attributions=(Attribution(8, 35, None, VerbRef(8, 19, "neutral"), 20, 35, False),),
    claims=(Claim(0, 36, None, 0.8),),
)


def test_an_attribution_without_a_source_writes_null_and_reads_back():
    data = sources_to_dict(SOURCELESS, NOBODY)
    assert data["attributions"][0]["source"] is None
    assert data["attributions"][0]["source_referent"] is None
    assert sources_from_dict(data, NOBODY) == SOURCELESS
    data["attributions"][0]["source_referent"] = {"start": 0, "end": 7}
    with pytest.raises(FormatError, match="'source_referent' needs a source"):
        sources_from_dict(data, NOBODY)
    del data["attributions"][0]["source"]
    with pytest.raises(FormatError, match="'source' should be an object"):
        sources_from_dict(data, NOBODY)
