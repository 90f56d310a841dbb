"""What is a claim: checkable statements in, evaluations, generalisations and orders out.

Each case pairs a sentence that is not a claim with a close one that is, so a rule
that drops everything (or keeps everything) fails.
"""

from __future__ import annotations

import pytest

from proplens.sources import claims


def _claim_texts(finder, text: str) -> list[str]:
    return [text[c.start : c.end] for c in finder.find(text).claims]


@pytest.mark.parametrize(
    ("judgement", "statement"),
    [
        # a copula with a judging word: an evaluation
        ("The decision is short-sighted and unfair.", "The decision cut 400 jobs in March."),
        (
            "Such barbaric acts are an insult to every citizen of this country.",
            "Such attacks have cut gas supplies to 200,000 homes.",
        ),
        ("The men behind them are criminals and cowards.", "The men behind them were arrested."),
        ("Harlan has always been a great British company.", "Harlan has closed 30 stores."),
        # a present copula with a generic subject: a generalisation
        ("No child is safe on these roads.", "No child was hurt in the crash on Monday."),
        (
            "Rural communities are always the first to pay the price.",
            "Rural communities lost 12 clinics in 2023.",
        ),
        # an order asserts nothing
        ("Write to your councillor before Thursday's vote.", "Residents wrote to the council."),
        # a prediction without checkable detail, against one with a number and a date
        ("Prices will rise.", "Thousands of jobs will be lost by the end of the year."),
    ],
)
def test_judgements_are_not_claims_and_statements_are(finder, judgement, statement):
    assert _claim_texts(finder, judgement) == []
    assert _claim_texts(finder, statement) == [statement]


def test_a_judgement_with_a_checkable_core_stays_a_claim(finder):
    text = "That is simply wrong: a monthly pass here costs 86 euros, more than in Dunmore."
    assert _claim_texts(finder, text) == [text]


def test_any_more_is_no_comparison(finder):
    def comparison(text: str) -> bool:
        doc = finder.nlp(text)
        sentence = claims.Sentence(0, len(text), list(doc), 0)
        return claims._cues(list(doc), sentence)["comparison"]

    assert not comparison("Nobody can trust this board any more.")
    assert comparison("The board spent more than the council.")


def test_a_present_passive_is_a_state_and_a_past_one_an_event(finder):
    def events(text: str) -> list[str]:
        return [t.text for t in finder.nlp(text) if claims._past_event(t)]

    assert events("The road is closed.") == []
    assert events("The road was closed.") == ["closed"]
    assert events("The road will be closed.") == ["closed"]
    assert events("Harlan has always been a great company.") == []


def test_amounts_in_words_and_named_time_units_are_numbers_and_dates(finder):
    def cues(text: str) -> dict[str, bool]:
        doc = finder.nlp(text)
        return claims._cues(list(doc), claims.Sentence(0, len(text), list(doc), 0))

    found = cues("Thousands of jobs will be lost by the end of the year.")
    assert found["number"] and found["date"]
    found = cues("Jobs will be lost.")
    assert not found["number"] and not found["date"]
