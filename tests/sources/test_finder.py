"""The source finder on short invented texts: attributions, kinds, stances, claims, hedges."""

from __future__ import annotations

import sys

import pytest

from proplens.sources import Sources, sources_to_dict

TEXT = (
    "Harbour sale approved\n\n"
    "The council voted 5-2 on Tuesday to sell the harbour for 14 million euros. "
    "Mayor Ana Ruiz said the money would repair the sea wall. "
    '"We had no other way to pay for it," Ruiz told reporters. '
    "Critics claimed the harbour was worth 3 million euros more. "
    "According to sources close to the council, the buyer was chosen in June. "
    "A senior official confirmed that staff were told on Monday. "
    "The figures could not be independently verified. Clearly, the town is divided.\n"
)


def _words(text: str, start: int, end: int) -> str:
    return text[start:end]


def test_attributions_have_source_kind_verb_stance_and_content(finder):
    found = finder.find(TEXT)
    rows = [
        (
            _words(TEXT, a.source.start, a.source.end),
            a.source.kind,
            _words(TEXT, a.verb.start, a.verb.end),
            a.verb.stance,
            a.quote,
        )
        for a in found.attributions
    ]
    assert rows == [
        ("Mayor Ana Ruiz", "named", "said", "neutral", False),
        ("Ruiz", "named", "told", "neutral", True),
        ("Critics", "vague", "claimed", "distancing", False),
        ("sources close to the council", "anonymous", "According to", "neutral", False),
        ("A senior official", "role", "confirmed", "endorsing", False),
    ]
    quoted = found.attributions[1]
    assert TEXT[quoted.content_start : quoted.content_end] == "We had no other way to pay for it"
    said = found.attributions[0]
    assert TEXT[said.content_start : said.content_end] == "the money would repair the sea wall"


def test_offsets_are_ordered_and_inside_the_text(finder):
    found = finder.find(TEXT)
    for a in found.attributions:
        assert a.start <= min(a.source.start, a.verb.start, a.content_start)
        assert a.end >= max(a.source.end, a.verb.end, a.content_end)
        assert 0 <= a.start < a.end <= len(TEXT)
    starts = [a.start for a in found.attributions]
    assert starts == sorted(starts)


def test_claims_are_tied_to_their_attribution_or_to_none(finder):
    found = finder.find(TEXT)
    by_sentence = {TEXT[c.start : c.end]: c for c in found.claims}
    vote = by_sentence["The council voted 5-2 on Tuesday to sell the harbour for 14 million euros."]
    assert vote.attribution is None
    assert [TEXT[s:e] for s, e in vote.quantities] == ["5-2", "14 million euros"]
    critics = by_sentence["Critics claimed the harbour was worth 3 million euros more."]
    owner = found.attributions[critics.attribution]
    assert TEXT[owner.source.start : owner.source.end] == "Critics"
    assert 0.5 <= critics.check_worthy <= 1.0
    assert all(claim in found.unattributed() for claim in found.claims if claim.attribution is None)


def test_opinion_and_questions_are_not_claims(finder):
    text = "What a disgrace this is? We must act now. Shame on them."
    assert finder.find(text).claims == ()


def test_hedges_and_certainty_markers(finder):
    found = finder.find(TEXT)
    assert [(TEXT[h.start : h.end], h.kind) for h in found.hedges] == [
        ("could not be independently verified", "hedge"),
        ("Clearly", "certainty"),
    ]


def test_pronoun_sources_take_the_kind_of_the_source_before(finder):
    text = (
        "A board spokesman said the clinic would close. He said 40 staff would move. "
        "Mayor Ana Ruiz said the town would object. She said it had 9,000 signatures."
    )
    kinds = [a.source.kind for a in finder.find(text).attributions]
    assert kinds == ["role", "role", "named", "named"]


@pytest.mark.parametrize(
    "sentence, kind",
    [
        ("Two people familiar with the talks said the deal was signed.", "anonymous"),
        ("A spokesman who asked not to be named said the deal was signed.", "anonymous"),
        ("Witnesses said the deal was signed.", "vague"),
        ("It is said that the deal was signed.", "vague"),
        ("The ministry said the deal was signed.", "role"),
        ("The Harbour Authority said the deal was signed.", "named"),
        ("The union, Kovo, said the deal was signed.", "named"),
    ],
)
def test_source_kinds(finder, sentence, kind):
    found = finder.find(sentence)
    assert [a.source.kind for a in found.attributions] == [kind]


def test_find_many_matches_find_and_keeps_order(finder):
    texts = [TEXT, "Nothing is reported here.", TEXT.replace("Ruiz", "Okafor")]
    assert list(finder.find_many(texts)) == [finder.find(t) for t in texts]


def test_long_text_is_parsed_in_chunks_with_exact_offsets(finder):
    line = "Critics claimed the harbour was worth 3 million euros more.\n"
    text = line * 500  # about 30,000 characters: two chunks
    found = finder.find(text)
    assert len(found.attributions) == 500
    assert {text[a.verb.start : a.verb.end] for a in found.attributions} == {"claimed"}


def test_empty_and_quote_only_texts(finder):
    assert finder.find("") == Sources()
    assert finder.find('"Yes."').attributions == ()


def test_sources_to_dict_derives_text_from_offsets(finder):
    found = finder.find(TEXT)
    data = sources_to_dict(found, TEXT)
    assert set(data) == {"attributions", "claims", "hedges"}
    first = data["attributions"][0]
    assert first["source"] == {
        "start": 40 + TEXT[40:].index("Mayor"),
        "end": first["source"]["end"],
        "text": "Mayor Ana Ruiz",
        "kind": "named",
    }
    for item in data["attributions"]:
        for key in ("source", "verb", "content"):
            assert item[key]["text"] == TEXT[item[key]["start"] : item[key]["end"]]
    for claim in data["claims"]:
        assert claim["text"] == TEXT[claim["start"] : claim["end"]]


def test_importing_the_package_does_not_import_spacy():
    import subprocess

    code = "import proplens.sources, sys; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_according_to_a_quote_is_a_quote(finder):
    text = (
        '"The plan will cost 3 million euros," according to the mayor. '
        "According to police, 12 were hurt."
    )
    found = finder.find(text)
    assert [(a.quote, text[a.content_start : a.content_end]) for a in found.attributions] == [
        (True, "The plan will cost 3 million euros"),
        (False, "12 were hurt"),
    ]


def test_reporting_verbs_inside_quotes_negated_or_first_person_are_skipped(finder):
    text = (
        '"Officials said it was safe," she said. The minister did not confirm the deal. '
        "I believe the vote was rigged. They found the house empty."
    )
    found = finder.find(text)
    assert [text[a.verb.start : a.verb.end] for a in found.attributions] == ["said"]
    assert text[found.attributions[0].source.start : found.attributions[0].source.end] == "she"


def _rows(found, text):
    return [
        (
            text[a.source.start : a.source.end],
            a.source.kind,
            text[a.verb.start : a.verb.end],
            a.verb.stance,
            text[a.content_start : a.content_end],
        )
        for a in found.attributions
    ]


def test_a_verb_coordinated_with_a_non_reporting_verb_shares_its_subject(finder):
    text = (
        "Opposition leader Tomas Varga called the road cuts short-sighted and said rural "
        "voters would pay the price."
    )
    rows = _rows(finder.find(text), text)
    assert (
        "Opposition leader Tomas Varga",
        "named",
        "said",
        "neutral",
        "rural voters would pay the price",
    ) in rows
    # "called X Y" attributes a judgement (PolNeAR counts it; the cue model finds it)
    assert rows[0][2] == "called" and len(rows) == 2


def test_a_subordinate_report_has_its_own_content_and_not_the_main_clause(finder):
    text = (
        "Council of Europe observers described the vote as well organised, although they "
        "noted the late opening of some polling stations."
    )
    found = finder.find(text)
    # "they" are the observers (plural, unnamed): vague, like its antecedent, which is
    # itself a source: "described the vote as …" casts it as something (issue 25)
    assert _rows(found, text) == [
        (
            "Council of Europe observers",
            "vague",
            "described",
            "neutral",
            "the vote as well organised",
        ),
        ("they", "vague", "noted", "endorsing", "the late opening of some polling stations"),
    ]
    assert text[slice(*found.attributions[1].source.referent)] == "Council of Europe observers"
    assert [c.attribution for c in found.claims] == [0]  # the main clause reports the observers


def test_find_reports_a_result_neutrally_and_prove_endorses_it(finder):
    text = (
        "A study of 900 patients found that the drug cut deaths by a third. "
        "A second study proved that the drug cut deaths by a third."
    )
    assert [(row[2], row[3]) for row in _rows(finder.find(text), text)] == [
        ("found", "neutral"),
        ("proved", "endorsing"),
    ]


def _contents(found, text):
    return [
        (text[a.content_start : a.content_end], [text[s:e] for s, e in a.content_more])
        for a in found.attributions
    ]


def test_a_quote_split_by_its_cue_is_one_content(finder):
    text = '"We will win this race," Smith said. "Nobody should doubt it."\n'
    found = finder.find(text)
    assert _contents(found, text) == [("We will win this race", ["Nobody should doubt it"])]
    assert found.attributions[0].end == text.index("it.") + 2


def test_a_quote_after_the_cue_with_a_cue_of_its_own_stays_apart(finder):
    text = '"We will win," Smith said. "Nobody doubts it," Jones added.\n'
    assert _contents(finder.find(text), text) == [
        ("We will win", []),
        ("Nobody doubts it", []),
    ]


def test_the_typewriter_pair_of_news_archives_is_a_quote(finder):
    text = "''We will win this race,'' Smith said. ''Nobody should doubt it.''\n"
    found = finder.find(text)
    assert _contents(found, text) == [("We will win this race", ["Nobody should doubt it"])]
    assert found.attributions[0].quote


def test_a_split_quote_may_go_on_in_the_next_sentence(finder):
    # the cue's sentence goes on after the verb; the quote then opens the next sentence
    text = (
        '"We will win this race," Smith said on Monday at a rally in Leeds. '
        '"Nobody should doubt it."\n'
    )
    found = finder.find(text)
    assert _contents(found, text)[0] == ("We will win this race", ["Nobody should doubt it"])
    assert found.attributions[0].end == text.index("it.") + 2


def test_a_quote_paragraph_with_no_cue_goes_on_with_the_speaker_before(finder):
    text = (
        'Smith said: "We will win this race."\n\n'
        '"Nobody should doubt it. Turnout rose by 12 percent in 2024."\n\n'
        '"They always are," Jones added.\n\n'
        '"Listen to the voters."\n'
    )
    found = finder.find(text)
    assert _contents(found, text) == [
        ("We will win this race", ["Nobody should doubt it. Turnout rose by 12 percent in 2024"]),
        ("They always are", ["Listen to the voters"]),
    ]
    # the claim of the continued paragraph is Smith's, not the writer's
    turnout = text.index("Turnout")
    assert [c.attribution for c in found.claims if c.start <= turnout < c.end] == [0]


def test_a_paragraph_of_the_writer_stops_the_quote(finder):
    text = 'Smith said: "We will win this race."\n\nThe polls disagree. "Nobody doubts it."\n'
    assert _contents(finder.find(text), text)[0] == ("We will win this race", [])


def test_a_report_set_off_by_commas_inside_its_clause(finder):
    text = "The plan, Mayor Ana Ruiz said, would cost 3 million euros.\n"
    found = finder.find(text)
    a = found.attributions[0]
    assert (text[a.source.start : a.source.end], text[a.verb.start : a.verb.end]) == (
        "Mayor Ana Ruiz",
        "said",
    )
    assert _contents(found, text) == [("The plan", ["would cost 3 million euros"])]


def test_a_report_that_ends_its_clause_keeps_one_content(finder):
    text = "The plan would cost 3 million euros, Mayor Ana Ruiz said.\n"
    assert _contents(finder.find(text), text) == [("The plan would cost 3 million euros", [])]


def test_text_and_html_views_show_both_parts_of_a_split_quote(finder):
    from dataclasses import replace

    from proplens.article import Article
    from proplens.sources.render import render_sources_section, render_sources_text

    text = '"We will win this race," Smith said. "Nobody should doubt it."\n'
    article = replace(Article.from_text(text, id="race"), sources=finder.find(text))
    both = "We will win this race \N{HORIZONTAL ELLIPSIS} Nobody should doubt it"
    assert both in render_sources_text(article)
    assert both in render_sources_section(article)


def test_progress_is_called_per_line_and_can_stop_the_work(finder):
    """The server's job queue stops a parse through ``progress`` (it must not pause)."""
    text = "Pier sale\n\nThe mayor said the pier was sold.\nCritics claimed it was worth more.\n"
    calls = []
    assert finder.find(text, progress=lambda **kw: calls.append(kw)) == finder.find(text)
    assert calls == [{"pause": False}] * 4  # three lines parsed, then before the finding

    class Stop(Exception):
        pass

    def stop(**kw):
        raise Stop

    with pytest.raises(Stop):
        finder.find(text, progress=stop)
    assert finder.find(text) == finder.find(text, progress=lambda **kw: None)  # lock released
