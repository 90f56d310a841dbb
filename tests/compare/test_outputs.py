"""The comparison JSON keeps its contract; text and HTML show the same findings."""

from __future__ import annotations

import json

from proplens.compare import Comparer
from proplens.compare.html import render_html
from proplens.compare.jsonio import comparison_to_dict
from proplens.compare.text import render_text
from proplens.formats.jsonio import article_to_dict
from tests.compare.conftest import KeywordAnalyzer

A = (
    "Harbour sale\n\nThe council approved the sale of the harbour by 7 votes to 4.\n"
    "The mayor denied that the buyer was a friend of hers.\n"
)
B = (
    "Harbour sale\n\nThe regime approved the sale of the harbour by 9 votes to 4.\n"
    "<script>alert(1)</script> Nobody asked the islanders.\n"
)


def test_json_contract_and_offsets(analyzer):
    result = Comparer(analyzer).compare(A, B)
    doc = json.loads(json.dumps(comparison_to_dict(result, {"name": "m", "version": "1"})))
    assert doc["schema_version"] == "1.2" and doc["type"] == "comparison"
    assert doc["a"] == article_to_dict(result.a, {"name": "m", "version": "1"})
    assert doc["b"]["spans"][0]["text"] == "regime"
    a_text, b_text = doc["a"]["text"], doc["b"]["text"]
    kinds = [item["kind"] for item in doc["alignment"]]
    assert kinds == ["same", "reworded", "dropped", "added"]
    for item in doc["alignment"]:
        assert set(item) >= {"kind", "a", "b", "similarity", "flags", "changes", "shape"}
        for side, text in (("a", a_text), ("b", b_text)):
            if item[side] is not None:
                assert text[item[side]["start"] : item[side]["end"]] == item[side]["text"]
        for change in item["changes"]:
            assert a_text[change["a"]["start"] : change["a"]["end"]] == change["a"]["text"]
            assert b_text[change["b"]["start"] : change["b"]["end"]] == change["b"]["text"]
        for flag in item["flags"]:
            for side, text in (("a", a_text), ("b", b_text)):
                if flag[side] is not None:
                    assert text[flag[side]["start"] : flag[side]["end"]] == flag[f"{side}_text"]
    reworded = doc["alignment"][1]
    assert [(f["type"], f["a_text"], f["b_text"]) for f in reworded["flags"]] == [
        ("number_changed", "7", "9"),
        ("loaded_terms_added", None, "regime"),
    ]
    assert doc["alignment"][2]["b"] is None and doc["alignment"][3]["a"] is None
    summary = doc["summary"]
    assert summary["flags"]["balance_dropped"] == 1 and summary["flags"]["number_changed"] == 1
    assert summary["techniques"] == {"a": {}, "b": {"Name_Calling,Labeling": 1}}
    assert summary["alignment"]["dropped"] == 1 and summary["identical"] is False


def test_identical_texts(analyzer):
    result = Comparer(analyzer).compare(A, A)
    assert {item.kind for item in result.items} == {"same"} and result.flags == []
    assert result.summary["identical"] is True
    assert result.summary["text"] == [
        "A and B are identical: every sentence is the same, nothing was changed."
    ]
    assert "identical" in render_text(result)


def test_text_marks_changes_and_flags(analyzer):
    out = render_text(Comparer(analyzer).compare(A, B))
    assert "~ A2 B2  reworded" in out
    assert "The [-council-]{+regime+} approved" in out and "by [-7-]{+9+} votes" in out
    assert "! number_changed: A “7” → B “9”" in out
    assert "! balance_dropped (denial): A “denied” → nothing in B" in out
    assert "- A3  dropped" in out and "+ B3  added" in out


def test_html_is_standalone_and_escapes_the_articles(analyzer):
    page = render_html(Comparer(analyzer).compare(A, B))
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<link" not in page and "src=" not in page
    assert '<del class="chg">council</del>' in page and '<ins class="chg">9</ins>' in page
    assert 'data-tip="Name calling, labeling' in page
    assert page.count('class="cell empty"') == 2  # the dropped and the added row


def test_the_page_and_the_terminal_name_every_flag_type():
    import re
    from pathlib import Path

    from proplens.compare.result import FLAG_TYPES
    from proplens.compare.sources_adapter import NEEDS_SOURCES

    script = Path(__file__).resolve().parents[2] / "src/proplens/server/static/compare.js"
    labels = re.search(r"const FLAG_LABELS = \{(.*?)\};", script.read_text(), re.S).group(1)
    assert set(re.findall(r"^\s*(\w+):", labels, re.M)) == set(FLAG_TYPES)
    assert set(NEEDS_SOURCES) < set(FLAG_TYPES)


def test_html_shows_a_nested_span_and_its_sentence_in_one_tooltip():
    sentence = "The regime approved the sale of the harbour by 9 votes to 4."
    nested = KeywordAnalyzer(
        {sentence: ("Appeal_to_fear-prejudice", 0.3), "regime": ("Name_Calling,Labeling", 0.6)}
    )
    page = render_html(Comparer(nested).compare(A, B))
    word_at = page.index("regime</ins></mark>")
    word = page[page.rindex("<mark", 0, word_at) : word_at]
    assert word.index("Name calling, labeling") < word.index("Appeal to fear")
    assert "linear-gradient" in word  # the sentence's colour as a stripe under the word
    rest_at = page.index(" approved the sale of the harbour by ", word_at)
    rest = page[page.rindex("<mark", 0, rest_at) : rest_at]
    assert 'data-tip="Appeal to fear' in rest and "Name calling" not in rest
