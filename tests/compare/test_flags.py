"""Each flag fires on the change it names, with its evidence, and not on honest edits."""

from __future__ import annotations

from proplens.compare import Comparer
from tests.compare.conftest import ScriptedFinder, Sources, attribution, claim, hedge


def flags(result) -> list[tuple[str, str | None, str | None]]:
    """(type, A evidence, B evidence) of every flag, in item order."""
    a, b = result.a.text, result.b.text
    return [
        (f.type, a[f.a[0] : f.a[1]] if f.a else None, b[f.b[0] : f.b[1]] if f.b else None)
        for f in result.flags
    ]


def types(result) -> list[str]:
    return [f.type for f in result.flags]


def test_dropped_denial_and_caveat_are_flagged(analyzer):
    a = (
        "Troops in Kalen\n\nAn MP said 4,000 soldiers were in Kalen.\n"
        "The ministry denied that any soldiers were there. "
        "The claim could not be independently verified.\n"
    )
    b = "Troops in Kalen\n\nAn MP said 4,000 soldiers were in Kalen.\n"
    result = Comparer(analyzer).compare(a, b)
    assert flags(result) == [
        ("balance_dropped", "denied", None),
        ("balance_dropped", "could not be independently verified", None),
    ]
    assert [f.detail["cue"] for f in result.flags] == ["denial", "caveat"]
    assert "B drops 1 denial and 1 caveat" in " ".join(result.summary["text"])


def test_a_denial_rewritten_elsewhere_is_not_dropped(analyzer):
    a = "T\n\nThe minister resigned.\nThe ministry denied any wrongdoing by its staff.\n"
    b = "T\n\nOfficials rejected the allegations of corruption outright.\nThe minister resigned.\n"
    assert types(Comparer(analyzer).compare(a, b)) == []


def test_balance_cut_from_a_reworded_sentence(analyzer):
    a = "T\n\nResearchers said the results were encouraging but warned that the study was small.\n"
    b = "T\n\nResearchers said the results were encouraging and important.\n"
    assert flags(Comparer(analyzer).compare(a, b)) == [
        (
            "balance_dropped",
            "but warned",
            "Researchers said the results were encouraging and important.",
        ),
    ]


def test_changed_numbers_are_flagged_but_a_copy_edit_is_not(analyzer):
    a = "T\n\nThe bank will cut 600 jobs over two years, it said on Monday.\n"
    b = "T\n\nThe bank will cut 1,600 jobs over two years, it said on Monday.\n"
    assert flags(Comparer(analyzer).compare(a, b)) == [("number_changed", "600", "1,600")]
    edited = "T\n\nThe bank will cut six hundred jobs over 2 years, it said on Monday.\n"
    assert types(Comparer(analyzer).compare(a, edited)) == []


def test_loaded_terms_only_on_changed_words(analyzer):
    a = "T\n\nThe government sent soldiers to the border.\nThe regime has ruled since 1990.\n"
    b = "T\n\nThe brazen regime sent soldiers to the border.\nThe regime has ruled since 1990!\n"
    result = Comparer(analyzer).compare(a, b)
    # "regime" in the second sentence is on unchanged words: the detector agrees on both sides
    assert flags(result) == [
        ("loaded_terms_added", None, "brazen"),
        ("loaded_terms_added", None, "regime"),
    ]
    assert result.flags[0].detail == {"technique": "Loaded_Language"}


def test_loaded_terms_removed_and_added_sentence(analyzer):
    a = "T\n\nThe opposition called the cuts short-sighted and unfair to farmers.\n"
    b = "T\n\nThe opposition called the cuts unfair to farmers.\nA disastrous plan.\n"
    assert flags(Comparer(analyzer).compare(a, b)) == [
        ("loaded_terms_removed", "short-sighted", None),
        ("loaded_terms_added", None, "disastrous"),
    ]


def test_other_techniques_are_named_apart_and_told_once_per_span():
    from tests.compare.conftest import KeywordAnalyzer

    analyzer = KeywordAnalyzer(
        {
            "regime": ("Name_Calling,Labeling", 0.6),
            "who knows why. Our flag": ("Doubt", 0.5),  # one span over two sentences
            "proud nation": ("Flag-Waving", 0.4),
            "cannot be trusted": ("Doubt", 0.3),
        }
    )
    a = "T\n\nThe government sent soldiers.\nThe people waited.\n"
    b = (
        "T\n\nThe regime sent soldiers, who knows why. Our flag flies high.\n"
        "The people of a proud nation waited.\nThe regime cannot be trusted.\n"
    )
    result = Comparer(analyzer).compare(a, b)
    assert flags(result) == [
        ("loaded_terms_added", None, "regime"),
        ("technique_added", None, "who knows why. Our flag"),
        ("technique_added", None, "proud nation"),
        ("loaded_terms_added", None, "regime"),
        ("technique_added", None, "cannot be trusted"),
    ]
    said = " ".join(result.summary["text"])
    assert "adds 2 loaded terms and 3 other technique fragments (doubt 2, flag-waving 1)" in said
    assert "B 5 (doubt 2, name calling, labeling 2, flag-waving 1)" in said
    assert set(result.summary["flags"]) >= {"technique_added", "source_vaguer", "source_added"}


# -- flags that need proplens.sources (scripted here) -----------------------------------------

A = "Troops\n\nAn opposition MP said 4,000 soldiers were operating in Kalen province.\n"
B = "Troops\n\nReports confirmed that 4,000 soldiers were operating in Kalen province.\n"


def scripted(analyzer, answers: dict[str, Sources]) -> Comparer:
    return Comparer(analyzer, ScriptedFinder(answers))


def test_attribution_to_a_vaguer_source_with_an_endorsing_verb(analyzer):
    content = "4,000 soldiers were operating in Kalen province"
    comparer = scripted(
        analyzer,
        {
            A: Sources([attribution(A, "An opposition MP", "role", "said", "neutral", content)]),
            B: Sources([attribution(B, "Reports", "vague", "confirmed", "endorsing", content)]),
        },
    )
    result = comparer.compare(A, B)
    assert flags(result) == [
        ("source_vaguer", "An opposition MP", "Reports"),
        ("attribution_changed", "An opposition MP said", "Reports confirmed"),
    ]
    assert result.flags[0].detail == {"a_source_kind": "role", "b_source_kind": "vague"}
    detail = result.flags[1].detail
    assert detail["changes"] == ["stance"]
    assert (detail["a_stance"], detail["b_stance"]) == ("neutral", "endorsing")
    assert (detail["a_verb"], detail["b_verb"]) == ("said", "confirmed")
    said = " ".join(result.summary["text"])
    assert "turns 1 attribution into an endorsement (said → confirmed)" in said
    assert "makes 1 source vaguer (role → vague)" in said


def test_a_more_specific_source_with_the_same_stance_is_not_flagged(analyzer):
    b = "Troops\n\nMP Mara Tellen told reporters 4,000 soldiers were operating in Kalen province.\n"
    content = "4,000 soldiers were operating in Kalen province"
    comparer = scripted(
        analyzer,
        {
            A: Sources([attribution(A, "An opposition MP", "role", "said", "neutral", content)]),
            b: Sources([attribution(b, "MP Mara Tellen", "named", "told", "neutral", content)]),
        },
    )
    assert types(comparer.compare(A, b)) == []


def test_quote_to_paraphrase_and_removed_source(analyzer):
    a = (
        'T\n\n"We did our best," the mayor said of the flood response.\n'
        "Rivers rose by 2 metres overnight, the agency said.\n"
    )
    b = (
        "T\n\nThe mayor said they had done their best on the flood response.\n"
        "Rivers rose by 2 metres overnight.\n"
    )
    comparer = scripted(
        analyzer,
        {
            a: Sources([
                attribution(a, "the mayor", "named", "said of", "neutral", "We did our best",
                            quote=True),
                attribution(a, "the agency", "named", "said.", "neutral",
                            "Rivers rose by 2 metres overnight"),
            ]),
            b: Sources([
                attribution(b, "The mayor", "named", "said", "neutral",
                            "they had done their best"),
            ]),
        },
    )  # fmt: skip
    result = comparer.compare(a, b)
    assert [(f.type, f.detail["changes"]) for f in result.flags] == [
        ("attribution_changed", ["quote"]),
        ("attribution_changed", ["removed"]),
    ]
    assert result.flags[1].b is None


def test_hedges_dropped_and_added_but_a_dropped_caveat_is_told_once(analyzer):
    a = "T\n\nThe vaccine may reduce days off work; this could not be independently verified.\n"
    b = "T\n\nThe vaccine clearly reduces days off work.\n"
    comparer = scripted(
        analyzer,
        {
            a: Sources(hedges=[hedge(a, "may"), hedge(a, "could not be independently verified")]),
            b: Sources(hedges=[hedge(b, "clearly", "certainty")]),
        },
    )
    result = comparer.compare(a, b)
    assert flags(result) == [
        ("balance_dropped", "could not be independently verified",
         "The vaccine clearly reduces days off work."),
        ("hedge_dropped", "may", "The vaccine clearly reduces days off work."),
        ("hedge_added", "The vaccine may reduce days off work; this could not be independently "
         "verified.", "clearly"),
    ]  # fmt: skip
    assert [f.detail.get("kind") for f in result.flags[1:]] == ["hedge", "certainty"]


def test_unsourced_claims_added(analyzer):
    a = "T\n\nThe council approved the budget on Tuesday.\n"
    b = (
        "T\n\nThe council approved the budget on Tuesday.\n"
        "Thousands of jobs will be lost by the end of the year.\n"
        "The council approved the budget after a vote on Tuesday night.\n"
        "Police said two people were arrested.\n"
    )
    comparer = scripted(
        analyzer,
        {
            b: Sources(
                attributions=[attribution(b, "Police", "named", "said", "neutral",
                                          "two people were arrested")],
                claims=[
                    claim(b, "Thousands of jobs will be lost by the end of the year"),
                    claim(b, "The council approved the budget after a vote on Tuesday night"),
                    claim(b, "two people were arrested", attribution=0),
                ],
            ),
        },
    )  # fmt: skip
    result = comparer.compare(a, b)
    assert flags(result) == [
        ("unsourced_claim_added", None, "Thousands of jobs will be lost by the end of the year"),
    ]
    assert "adds 1 unattributed claim" in " ".join(result.summary["text"])


def test_without_sources_those_checks_are_skipped_and_said_so(analyzer):
    result = Comparer(analyzer, None, "no parser installed").compare(A, B)
    assert types(result) == []
    assert result.skipped == "no parser installed"
    assert result.summary["text"][-1].endswith("did not run: no parser installed.")


def test_a_modal_hedge_that_vanishes_is_dropped(analyzer):
    a = "T\n\nThe union said it might ballot members on strike action next month.\n"
    b = "T\n\nThe union said it will ballot members on strike action next month.\n"
    comparer = scripted(analyzer, {})  # sources lists no modal verbs: compare adds them
    assert flags(comparer.compare(a, b)) == [
        ("hedge_dropped", "might", "The union said it will ballot members on strike action "
         "next month."),
    ]  # fmt: skip
    assert types(comparer.compare(b, a)) == ["hedge_added"]


def test_a_verb_of_a_stance_the_sentence_already_used_is_not_a_reframing(analyzer):
    a = "T\n\nObservers said the vote was calm and noted that some polls opened late.\n"
    b = "T\n\nObservers described a calm vote, although they noted that some polls opened late.\n"
    comparer = scripted(
        analyzer,
        {
            a: Sources([
                attribution(a, "Observers", "vague", "said", "neutral", "the vote was calm"),
                attribution(a, "noted", "vague", "noted", "endorsing",
                            "some polls opened late"),
            ]),
            b: Sources([  # a parse that gave "noted" the main clause's content
                attribution(b, "they", "vague", "noted", "endorsing",
                            "Observers described a calm vote"),
            ]),
        },
    )  # fmt: skip
    assert types(comparer.compare(a, b)) == []


def test_a_correction_note_is_not_an_unsourced_claim(analyzer):
    a = "T\n\nAbout 200 passengers were affected, the operator said.\n"
    b = (
        "T\n\nAbout 250 passengers were affected, the operator said.\n"
        "This story was updated on 14 June with the operator's figures.\n"
    )
    note = "This story was updated on 14 June with the operator's figures"
    comparer = scripted(analyzer, {b: Sources(claims=[claim(b, note)])})
    assert types(comparer.compare(a, b)) == ["number_changed"]


# -- allegation made fact, source added (issue 25) --------------------------------------------


def test_an_allegation_restated_as_fact(analyzer):
    a = "T\n\nRights groups have accused the militias of abuses against civilians in Tal.\n"
    b = "T\n\nThe militias have been slaughtering civilians in Tal.\n"
    result = Comparer(analyzer).compare(a, b)  # a text check: no parser needed
    assert flags(result) == [("allegation_as_fact", "accused", b.strip().split("\n")[-1])]
    assert "turns 1 allegation into a statement of fact" in " ".join(result.summary["text"])


def test_an_allegation_kept_as_one_or_hedged_is_not_flagged(analyzer):
    a = "T\n\nRights groups have accused the militias of abuses against civilians in Tal.\n"
    for b in (
        "T\n\nThe militias are alleged to have abused civilians in Tal.\n",
        "T\n\nThe militias may have abused civilians in Tal, rights groups say.\n",
        "T\n\nRights groups accuse the militias of abusing civilians in Tal.\n",
    ):
        assert "allegation_as_fact" not in types(Comparer(analyzer).compare(a, b)), b


def test_a_rejected_accusation_is_a_denial_not_an_allegation(analyzer):
    a = "T\n\nMilitia leaders rejected the accusations against their fighters.\n"
    b = "T\n\nMilitia leaders defended their fighters.\n"
    assert types(Comparer(analyzer).compare(a, b)) == ["balance_dropped"]


def test_a_source_added_to_vouch_for_a_claim_a_gave_no_source_for(analyzer):
    a = "T\n\nThe militias abused civilians in Tal, rights groups said.\n"
    b = "T\n\nThe militias abused civilians in Tal, rights groups and US commanders said.\n"
    unsourced = "T\n\nThe militias abused civilians in Tal last year.\n"
    content = "The militias abused civilians in Tal"
    comparer = scripted(
        analyzer,
        {
            a: Sources([attribution(a, "rights groups", "vague", "said", "neutral", content)]),
            b: Sources([attribution(b, "rights groups and US commanders", "vague", "said",
                                    "neutral", content)]),
        },
    )  # fmt: skip
    assert flags(comparer.compare(a, b)) == [
        ("source_added", "rights groups", "rights groups and US commanders")
    ]
    assert flags(comparer.compare(unsourced, b)) == [
        ("source_added", None, "rights groups and US commanders")
    ]
    assert "adds 1 source that vouches" in " ".join(comparer.compare(a, b).summary["text"])


def test_the_same_source_named_more_fully_is_not_added(analyzer):
    a = "T\n\nTellen, who chairs the defence committee, said 40 troops had crossed.\n"
    b = "T\n\nThe head of the defence committee said 40 troops had crossed.\n"
    content = "40 troops had crossed"
    comparer = scripted(
        analyzer,
        {
            a: Sources([attribution(a, "Tellen", "named", "said", "neutral", content)]),
            b: Sources([attribution(b, "The head of the defence committee", "role", "said",
                                    "neutral", content)]),
        },
    )  # fmt: skip
    assert types(comparer.compare(a, b)) == ["source_vaguer"]


def test_a_source_put_in_place_of_another_is_not_told_as_added(analyzer):
    a = "T\n\nThe head of the IAEA said shelling near the plant was dangerous.\n"
    b = "T\n\nThe UN's nuclear chief said shelling near the plant was dangerous.\n"
    content = "shelling near the plant was dangerous"
    comparer = scripted(
        analyzer,
        {
            a: Sources([attribution(a, "The head of the IAEA", "role", "said", "neutral",
                                    content)]),
            b: Sources([attribution(b, "The UN's nuclear chief", "role", "said", "neutral",
                                    content)]),
        },
    )  # fmt: skip
    assert types(comparer.compare(a, b)) == []  # one man, described otherwise


def test_charges_restated_as_fact(analyzer):
    a = (
        "Prosecutors charge ex-chairman Kell over pay\n\n"
        "Prosecutors on Monday charged Ana Kell, the former chairman of Dunmore Bank, with "
        "hiding part of her pay.\n"
        "The charges say the pay was deferred until she retired.\n"
    )
    b = (
        "Greedy Kell hid her pay\n\n"
        "Ana Kell, the former chairman of Dunmore Bank, hid part of her pay, prosecutors said on "
        "Monday.\n"
        "She arranged for the pay to be deferred until she retired.\n"
    )
    result = Comparer(analyzer).compare(a, b)
    assert [(t, ev_a) for t, ev_a, _ in flags(result)] == [
        ("allegation_as_fact", "charge"),
        ("allegation_as_fact", "charged"),
        ("allegation_as_fact", "charges say"),
    ]
    kept = a.replace("The charges say the pay", "The charges say that the pay")
    assert types(Comparer(analyzer).compare(a, kept)) == []


def test_an_added_question_or_speculation_is_not_also_an_unsourced_claim(analyzer):
    a = "T\n\nThe bridge collapsed on Tuesday.\n"
    b = (
        "T\n\nThe bridge collapsed on Tuesday.\n"
        "It is likely that the owners knew about the cracks.\n"
        "Why did nobody inspect it?\n"
        "The owners had ignored three warnings.\n"
    )
    ideas = ("the owners knew about the cracks", "Why did nobody inspect it",
             "The owners had ignored three warnings")  # fmt: skip
    comparer = scripted(analyzer, {b: Sources(claims=[claim(b, text) for text in ideas])})
    assert flags(comparer.compare(a, b)) == [
        ("speculation_added", None, "It is likely"),
        ("speculation_added", None, "Why did nobody inspect it?"),
        ("unsourced_claim_added", None, "The owners had ignored three warnings"),
    ]


def test_a_quantifier_or_a_second_spelling_of_a_name_adds_no_source(analyzer):
    """Issue 25, the example pair: "several human rights groups" is not a source added to
    "human rights groups", nor "Shahkhawan Abdullah" another man than "Shakhawan Abdullah"."""
    a = "T\n\nRights groups and US commanders accused militias of abuses in Tal, Tellen said.\n"
    b = "T\n\nSeveral rights groups and some US commanders said militias abused people in Tal.\n"
    comparer = scripted(
        analyzer,
        {
            a: Sources([attribution(a, "Tellen", "named", "said", "neutral",
                                    "Rights groups and US commanders accused militias")]),
            b: Sources([attribution(b, "Several rights groups and some US commanders", "vague",
                                    "said", "neutral", "militias abused people in Tal")]),
        },
    )  # fmt: skip
    assert "source_added" not in types(comparer.compare(a, b))

    a = "T\n\nShakhawan Abdullah, who heads the security and defence committee, said X.\n"
    b = "T\n\nHead of the security and defence committee, Shahkhawan Abdullah, confirmed X.\n"
    two = "T\n\nShahkhawan Abdullah and Dilshad Hamid confirmed X.\n"
    answers = {a: Sources([attribution(a, "Shakhawan Abdullah", "named", "said", "neutral", "X")])}
    answers[b] = Sources([attribution(b, "Head of the security and defence committee, "
                                      "Shahkhawan Abdullah", "named", "confirmed", "endorsing",
                                      "X")])  # fmt: skip
    answers[two] = Sources([attribution(two, "Shahkhawan Abdullah and Dilshad Hamid", "named",
                                        "confirmed", "endorsing", "X")])  # fmt: skip
    comparer = scripted(analyzer, answers)
    assert types(comparer.compare(a, b)) == ["attribution_changed"]  # said -> confirmed only
    assert types(comparer.compare(a, two)) == ["attribution_changed", "source_added"]


def test_a_parenthetical_source_removed_while_its_statement_stays(analyzer):
    """The parser cuts "Some of them, he said, were fighting..." to the content "Some of
    them"; the statement is the whole sentence around the source."""
    a = "T\n\nSome of them, Tellen said, were fighting alongside the Popular Mobilization Forces.\n"
    b = "T\n\nIn truth, they were fighting alongside the Popular Mobilization Forces.\n"
    other = "T\n\nIn truth, they were training the army in Basra and Mosul.\n"
    attr = attribution(a, "Tellen", "named", "said", "neutral", "Some of them")
    comparer = scripted(analyzer, {a: Sources([attr])})
    assert flags(comparer.compare(a, b)) == [("attribution_changed", "Tellen said", None)]
    assert "attribution_changed" not in types(comparer.compare(a, other))  # another statement


def test_a_forecast_made_certain_is_a_dropped_hedge(analyzer):
    a = "T\n\nThe release is expected to take around 30 years.\n"
    b = "T\n\nThe release will take around 30 years.\n"
    assert flags(scripted(analyzer, {}).compare(a, b)) == [
        ("hedge_dropped", "is expected to", "The release will take around 30 years.")
    ]


def test_a_statement_cut_short_keeps_its_attribution_partner(analyzer):
    """A statement cut short: "said the water had been filtered ... and diluted" ->
    "claimed the water had been filtered and diluted": B's content is in A's."""
    a = (
        "T\n\nTepco said the water had been filtered to remove most radioactive material "
        "except tritium and diluted to a fortieth of the limit.\n"
    )
    b = "T\n\nTepco claimed the water had been filtered and diluted, but it holds tritium.\n"
    comparer = scripted(
        analyzer,
        {
            a: Sources([attribution(a, "Tepco", "named", "said", "neutral",
                                    "the water had been filtered to remove most radioactive "
                                    "material except tritium and diluted to a fortieth of "
                                    "the limit")]),
            b: Sources([attribution(b, "Tepco", "named", "claimed", "distancing",
                                    "the water had been filtered and diluted")]),
        },
    )  # fmt: skip
    result = comparer.compare(a, b)
    assert types(result) == ["attribution_changed"]
    assert result.flags[0].detail["changes"] == ["stance"]


def test_a_quotation_the_parser_left_unattributed_is_not_an_unsourced_claim(analyzer):
    """The first half of a quotation the splitter cut in two has no verb of its own."""
    a = "T\n\nThe plant began releasing water on Thursday.\n"
    b = (
        "T\n\nThe plant began releasing water on Thursday.\n"
        '"My family has fished here for three generations. Nobody buys our fish now," '
        "said Kenji Sato, a fisherman.\nThe company cut corners for years.\n"
    )
    comparer = scripted(
        analyzer,
        {b: Sources(claims=[claim(b, "My family has fished here for three generations."),
                            claim(b, "The company cut corners for years.")])},
    )  # fmt: skip
    assert flags(comparer.compare(a, b)) == [
        ("unsourced_claim_added", None, "The company cut corners for years.")
    ]
