"""Attribution as journalism uses it, on sentences we wrote after the patterns of issue 25.

Each sentence reproduces one pattern that a fact-checker missed in the example
article: a source that points out and accuses, a source that "paints" someone as
something, coordinated and apposed sources, vague "certain reports", a pronoun
source and its referent, and cues of wish or fear that own no claim.
"""

from __future__ import annotations

from proplens.sources import sources_to_dict

TEXT = (
    "The port is busier than it looks, as customs officers in Varna have noted lately, "
    "accusing the operator of quietly moving 4,000 containers at night. "
    "Chair of the regional transport committee, Mila Dorn, confirmed on Friday the arrival "
    "of two new cranes at the northern quay. "
    "She further revealed that the cranes were bought without a tender. "
    "The operator's advertising has painted the mayor as the saviour of the harbour. "
    "According to several dock unions and some shipping agents, wages fell by 8 percent. "
    "Certain reports concerning the sale of the eastern pier have deepened the distrust. "
    "The operator wants a second terminal by 2030.\n"
)


def _rows(finder):
    data = sources_to_dict(finder.find(TEXT), TEXT)
    return data, {a["verb"]["text"]: a for a in data["attributions"]}


def test_pointed_out_with_an_accusation_is_an_attribution_owning_its_claim(finder):
    data, by_verb = _rows(finder)
    noted = by_verb["noted"]
    assert noted["source"]["text"] == "customs officers in Varna"
    assert noted["source"]["kind"] == "vague"
    assert noted["content"]["text"].startswith("accusing the operator of quietly moving")
    index = data["attributions"].index(noted)
    claim = next(c for c in data["claims"] if "4,000 containers" in c["text"])
    assert claim["attribution"] == index


def test_apposed_name_and_coordination_stay_in_the_source(finder):
    _, by_verb = _rows(finder)
    confirmed = by_verb["confirmed"]
    assert confirmed["source"]["text"] == "Chair of the regional transport committee, Mila Dorn"
    assert confirmed["source"]["kind"] == "named"
    according = by_verb["According to"]
    assert according["source"]["text"] == "several dock unions and some shipping agents"
    assert according["source"]["kind"] == "vague"


def test_a_pronoun_source_names_its_referent(finder):
    _, by_verb = _rows(finder)
    revealed = by_verb["revealed"]
    assert revealed["source"]["text"] == "She"
    assert revealed["source_referent"]["text"] == (
        "Chair of the regional transport committee, Mila Dorn"
    )
    assert revealed["source"]["kind"] == "named"
    assert by_verb["confirmed"]["source_referent"] is None


def test_painting_someone_as_something_is_a_distancing_attribution(finder):
    _, by_verb = _rows(finder)
    painted = by_verb["painted"]
    assert painted["source"]["text"] == "The operator's advertising"
    assert painted["verb"]["stance"] == "distancing"
    assert painted["content"]["text"] == "the mayor as the saviour of the harbour"


def test_certain_reports_are_a_vague_source_of_their_own(finder):
    _, by_verb = _rows(finder)
    reports = by_verb["reports"]
    assert reports["source"]["text"] == "Certain reports"
    assert reports["source"]["kind"] == "vague"
    assert reports["content"]["text"] == "the sale of the eastern pier"


def test_a_wish_is_a_thought_cue_and_its_claim_stays_the_writers(finder):
    data, by_verb = _rows(finder)
    wants = by_verb["wants"]
    assert wants["verb"]["kind"] == "thought"
    assert by_verb["said" if "said" in by_verb else "confirmed"]["verb"]["kind"] == "speech"
    claim = next(c for c in data["claims"] if c["text"].startswith("The operator wants"))
    assert claim["attribution"] is None


def test_the_text_view_shows_the_referent_and_the_thought_kind(finder):
    from dataclasses import replace

    from proplens.article import Article
    from proplens.sources.render import render_sources_text

    article = replace(Article.from_text(TEXT, id="port"), sources=finder.find(TEXT))
    out = render_sources_text(article)
    assert "She (= Chair of the regional transport committ…) [named] revealed" in out
    assert "wants (neutral, reported, thought)" in out


def _attributions(finder, text):
    data = sources_to_dict(finder.find(text), text)
    return [
        (a["source"]["text"], a["source"]["kind"], a["verb"]["text"], a["content"]["text"])
        for a in data["attributions"]
    ], data


def test_a_headline_colon_gives_the_rest_of_the_line_to_the_name_before_it(finder):
    text = (
        "Mila Dorn: Harbour Sale Was Rushed Through Council\n"
        "Report: Half of the port's cranes stand idle at night\n"
        "The council met again on Friday.\n"
    )
    found, data = _attributions(finder, text)
    assert found[:2] == [
        ("Mila Dorn", "named", ":", "Harbour Sale Was Rushed Through Council"),
        ("Report", "vague", ":", "Half of the port's cranes stand idle at night"),
    ]
    by_text = {c["text"].split(":")[0]: c["attribution"] for c in data["claims"]}
    assert (by_text["Mila Dorn"], by_text["Report"]) == (0, 1)  # the headline's claims are theirs


def test_a_dateline_or_a_label_before_a_colon_is_no_source(finder):
    text = (
        "VARNA: The council voted on Tuesday to sell the eastern pier.\n"
        "Update: The vote was moved to Friday after a complaint.\n"
        "Note: this article was corrected on Monday.\n"
    )
    found, _ = _attributions(finder, text)
    assert [f for f in found if f[2] == ":"] == []
