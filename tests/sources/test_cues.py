"""The cue model: its file and checksum, and how its marked words become attributions."""

from __future__ import annotations

import pytest

from proplens.errors import ProplensError
from proplens.sources import sources_to_dict
from proplens.sources.cues import CueModel, load_model, save_model
from proplens.sources.finder import _sources, chunks


def test_weights_round_trip_and_a_changed_file_is_refused(tmp_path):
    path = tmp_path / "cues.json"
    model = CueModel({"b": -2.0, "w=suspect": 4.0}, 0.6)
    save_model(model, path)
    loaded = load_model(path)
    assert loaded.weights == model.weights and loaded.threshold == 0.6
    path.write_text(path.read_text().replace("4.0", "9.0"))
    load_model.cache_clear()
    with pytest.raises(ProplensError, match="does not match its checksum"):
        load_model(path)
    load_model.cache_clear()


def test_the_shipped_model_loads_with_a_threshold():
    model = load_model()
    assert model is not None and 0 < model.threshold < 1 and len(model.weights) > 1000


# A hand-made model that marks exactly these words, so the decoding is what is tested.
MARKS = CueModel({"b": -5.0, **{f"w={w}": 10.0 for w in "suspect statement declined".split()}}, 0.5)


def _found(finder, text):
    docs = [(finder.nlp(piece), base) for piece, base in chunks(text)]
    data = sources_to_dict(_sources(text, docs, MARKS), text)
    return [
        (a["source"]["text"], a["verb"]["text"], a["verb"]["kind"], a["content"]["text"])
        for a in data["attributions"]
    ]


def test_a_marked_word_becomes_an_attribution_with_source_and_content(finder):
    text = (
        "Farmers' unions suspect that the dam was never inspected. The senator declined to comment."
    )
    assert _found(finder, text) == [
        ("Farmers' unions", "suspect", "thought", "the dam was never inspected"),
        ("The senator", "declined", "speech", "to comment"),
    ]


def test_a_cue_that_only_adds_to_a_rule_verb_adds_no_attribution(finder):
    text = "The ministry said in a statement that talks would resume."
    assert _found(finder, text) == [("The ministry", "said", "speech", "talks would resume")]


def test_a_gerund_after_a_preposition_takes_the_subject_of_the_verb_it_hangs_on(finder):
    model = CueModel({"b": -5.0, "w=mentioning": 10.0}, 0.5)
    text = "The governor hinted at a rival by mentioning the border wall."
    docs = [(finder.nlp(piece), base) for piece, base in chunks(text)]
    assert [t.dep_ for t in docs[0][0] if t.text == "mentioning"] == ["pcomp"]
    (found,) = sources_to_dict(_sources(text, docs, model), text)["attributions"]
    assert (found["source"]["text"], found["verb"]["text"], found["content"]["text"]) == (
        "The governor",
        "mentioning",
        "the border wall",
    )


def test_without_a_model_only_the_rules_run(finder):
    text = "The senator declined to comment."
    docs = [(finder.nlp(piece), base) for piece, base in chunks(text)]
    assert _sources(text, docs, None).attributions == ()


def test_a_finder_can_run_the_rules_alone(finder):
    from proplens.sources.finder import SourceFinder

    assert finder.cues is not None
    rules = SourceFinder(finder.nlp, cues=False)
    assert rules.cues is None
    assert rules.find("The senator declined to comment.").attributions == ()


def test_a_cue_that_names_no_source_gives_a_null_source_and_no_claim(finder):
    marks = CueModel({"b": -5.0, "w=expected": 10.0}, 0.5)
    text = "Nabisco is expected to cut 277 jobs this week.\n"
    docs = [(finder.nlp(piece), base) for piece, base in chunks(text)]
    found = _sources(text, docs, marks)
    data = sources_to_dict(found, text)
    [a] = data["attributions"]
    assert a["source"] is None and a["verb"]["text"] == "expected"
    assert a["content"]["text"] == "to cut 277 jobs this week"
    assert all(c["attribution"] is None for c in data["claims"])


def test_views_batch_and_compare_take_a_null_source(finder):
    from dataclasses import replace

    from proplens.article import Article
    from proplens.batch.rows import source_counts
    from proplens.compare.sources_adapter import with_named_sources
    from proplens.sources.render import render_sources_section, render_sources_text, summary_line

    marks = CueModel({"b": -5.0, "w=expected": 10.0}, 0.5)
    text = (
        "Nabisco is expected to cut 277 jobs this week. "
        "Mayor Ana Ruiz said the plant had cost 14 million euros in 2019.\n"
    )
    docs = [(finder.nlp(piece), base) for piece, base in chunks(text)]
    found = _sources(text, docs, marks)
    assert [a.source is None for a in found.attributions] == [True, False]
    article = replace(Article.from_text(text, id="n"), sources=found)
    assert "(no source named) expected" in render_sources_text(article)
    assert "<td>none</td>" in render_sources_section(article)
    assert summary_line(found).startswith("2 attributions (named 1)")
    counts = source_counts(found)
    assert (
        counts["n_attributions"] == 2
        and sum(v for k, v in counts.items() if k.startswith("n_sources_")) == 1
    )
    named = with_named_sources(found)
    assert len(named.attributions) == 1
    assert [c.attribution for c in found.claims] == [None, 1]
    assert [c.attribution for c in named.claims] == [None, 0]


def test_a_tagged_model_adds_the_taggers_logit_read_over_the_whole_article(finder, monkeypatch):
    """With ``tagger``, a word is marked by the hand logit plus the tagger's: here only the
    tagger knows "declined", so without it nothing is found."""
    import numpy as np

    import proplens.sources.tagger as tagger_module

    text = "The senator declined to comment.\nThe mayor declined as well."
    calls = []

    class Tagger:
        def logits(self, whole, spans):
            calls.append(whole)
            return np.array([10.0 if whole[s:e] == "declined" else 0.0 for s, e in spans])

    monkeypatch.setattr(tagger_module, "load_tagger", lambda: Tagger())
    tagged = CueModel({"b": -5.0}, 0.5, tagger=True)
    docs = [(finder.nlp(piece), base) for piece, base in chunks(text)]
    found = sources_to_dict(_sources(text, docs, tagged), text)["attributions"]
    assert [(a["source"]["text"], a["verb"]["text"]) for a in found] == [
        ("The senator", "declined"),
        ("The mayor", "declined"),
    ]
    assert calls == [text]  # once per article, both lines in one read
    assert _sources(text, docs, CueModel({"b": -5.0}, 0.5)).attributions == ()


def test_a_tagged_model_without_its_tagger_is_a_clear_error(finder, monkeypatch):
    import proplens.sources.tagger as tagger_module

    monkeypatch.setattr(tagger_module, "load_tagger", lambda: None)
    docs = [(finder.nlp("The senator declined to comment."), 0)]
    with pytest.raises(ProplensError, match="needs the cue tagger"):
        _sources("The senator declined to comment.", docs, CueModel({"b": 0.0}, 0.5, tagger=True))


def test_the_tagger_flag_survives_the_file(tmp_path):
    path = tmp_path / "cues.json"
    save_model(CueModel({"b": -2.0}, 0.7, tagger=True), path)
    load_model.cache_clear()
    assert load_model(path).tagger is True
    save_model(CueModel({"b": -2.0}, 0.7), path)
    load_model.cache_clear()
    assert load_model(path).tagger is False
    load_model.cache_clear()
