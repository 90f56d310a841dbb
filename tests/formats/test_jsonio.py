"""JSON / JSON Lines output (schema 1.0): what is written, what is refused on reading."""

from __future__ import annotations

import io
import json

import pytest

from proplens.article import Article, Span
from proplens.errors import FormatError
from proplens.formats.jsonio import (
    article_from_dict,
    article_to_dict,
    dumps,
    iter_jsonl,
    loads,
    read_jsonl,
    write_jsonl,
)

TEXT = "Harbour deal\r\n\r\nOnly a fool would trust the so-called experts. Ça suffit!\r\n"


def _article(**meta) -> Article:
    article = Article.from_text(TEXT, id="42", **meta)
    fool = TEXT.index("a fool")
    experts = TEXT.index("so-called experts")
    return article.with_spans(
        [
            Span(fool, fool + 6, "Name_Calling,Labeling", 0.81),
            Span(experts, experts + 17, "Loaded_Language", 0.5),
            Span(experts, experts + 17, "Doubt", None),
        ]
    )


def test_dict_has_the_schema_keys_and_span_text():
    data = article_to_dict(_article())
    assert list(data) == ["schema_version", "id", "title", "text", "spans"]
    assert data["schema_version"] == "1.1"
    assert (data["id"], data["title"], data["text"]) == ("42", "Harbour deal", TEXT)
    assert data["spans"][0] == {
        "start": TEXT.index("a fool"),
        "end": TEXT.index("a fool") + 6,
        "technique": "Name_Calling,Labeling",
        "score": 0.81,
        "text": "a fool",
    }
    for span in data["spans"]:
        assert span["text"] == TEXT[span["start"] : span["end"]]


def test_optional_keys_appear_only_when_known():
    data = article_to_dict(
        _article(source="Gazette", url="https://example.org/a", date="2024-05-01"),
        model={"name": "proplens-minilm", "version": "1.2", "weights": "not copied"},
    )
    assert data["source"] == "Gazette"
    assert data["url"] == "https://example.org/a"
    assert data["date"] == "2024-05-01"
    assert data["model"] == {"name": "proplens-minilm", "version": "1.2"}


def test_round_trip_through_json_keeps_everything():
    article = _article(source="Gazette")
    document = dumps(article)
    assert "Ça suffit" in document  # characters kept, not \u-escaped
    assert loads(document) == article


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["spans"][0].update(text="a foo"), r"spans\[0\]: span text 'a foo' differs"),
        (lambda d: d["spans"][1].update(end=len(TEXT) + 1), r"spans\[1\]: offsets .* do not fit"),
        (lambda d: d["spans"][0].update(end=d["spans"][0]["start"]), r"spans\[0\]: offsets"),
        (lambda d: d["spans"][0].update(start=-1), r"spans\[0\]: offsets"),
        (lambda d: d["spans"][0].update(start=True), r"spans\[0\]: 'start' should be int"),
        (lambda d: d["spans"][0].update(start="3"), r"'start' should be int"),
        (lambda d: d["spans"][0].update(technique="Lies"), r"unknown technique 'Lies'"),
        (lambda d: d["spans"][0].update(score=1.5), r"score 1.5 is not a number in \[0, 1\]"),
        (lambda d: d["spans"][0].update(score="high"), r"score 'high' is not a number"),
        (lambda d: d.update(schema_version="2.0"), r"unsupported schema_version '2.0'"),
        (lambda d: d.pop("schema_version"), r"unsupported schema_version None"),
        (lambda d: d.pop("text"), r"missing key 'text'"),
        (lambda d: d.update(text="  \n"), r"'text' is empty"),
        (lambda d: d.update(spans={}), r"'spans' should be list"),
        (lambda d: d.update(url=5), r"'url' should be a string or null"),
        (lambda d: d.update(id=""), r"'id' is empty"),
        (lambda d: d["spans"].append([1, 2]), r"spans\[3\]: expected an object"),
    ],
)
def test_from_dict_refuses_inconsistent_input(change, message):
    data = article_to_dict(_article())
    change(data)
    with pytest.raises(FormatError, match=message):
        article_from_dict(data, "doc.json")


def test_from_dict_accepts_spans_without_text_and_missing_title():
    data = {
        "schema_version": "1.0",
        "id": "a",
        "text": "Hi there.",
        "spans": [{"start": 0, "end": 2}],
    }
    article = article_from_dict(data)
    assert article.spans == [Span(0, 2)]
    assert article.title == "Hi there."


def test_from_dict_refuses_non_objects():
    with pytest.raises(FormatError, match="doc.json: expected a JSON object, found list"):
        article_from_dict([], "doc.json")


def test_loads_reports_invalid_json():
    with pytest.raises(FormatError, match=r"x.json: invalid JSON \(Expecting value at line 2\)"):
        loads('{"id":\n', "x.json")


def test_jsonl_writes_one_object_per_line_and_reads_back(tmp_path):
    second = Article.from_text("Second\n\nAll is calm.\n", id="43")
    stream = io.StringIO()
    assert write_jsonl(stream, [_article(), second], model={"name": "m", "version": "1"}) == 2
    lines = stream.getvalue().split("\n")
    assert lines[-1] == "" and len(lines) == 3  # two lines, each ending in \n
    assert json.loads(lines[0])["model"] == {"name": "m", "version": "1"}
    path = tmp_path / "out.jsonl"
    path.write_text(stream.getvalue(), encoding="utf-8")
    assert read_jsonl(path) == [_article(), second]


def test_jsonl_errors_name_the_line():
    good = dumps(_article(), indent=None)
    bad = good.replace('"text": "a fool"', '"text": "a tool"')
    with pytest.raises(FormatError, match=r"^in.jsonl:3: spans\[0\]: span text 'a tool'"):
        list(iter_jsonl([good, "\n", bad], "in.jsonl"))


def test_read_jsonl_missing_file(tmp_path):
    with pytest.raises(FormatError, match="no such file"):
        read_jsonl(tmp_path / "absent.jsonl")


def test_read_jsonl_invalid_utf8(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"id": "\xff"}\n')
    with pytest.raises(FormatError, match="not valid UTF-8"):
        read_jsonl(path)


# -- schema 1.1: sources ----------------------------------------------------------------

SOURCED_TEXT = "Pier sold\n\nCritics claimed the pier cost 3 million euros."


def _sourced_article() -> Article:
    from proplens.sources import Attribution, Claim, Hedge, SourceRef, Sources, VerbRef

    start = SOURCED_TEXT.index("Critics")
    sources = Sources(
        attributions=(
            Attribution(
                start,
                start + 45,
                SourceRef(start, start + 7, "vague"),
                VerbRef(start + 8, start + 15, "distancing"),
                start + 16,
                start + 45,
                False,
            ),
        ),
        claims=(Claim(start, start + 46, 0, 0.9, ((start + 30, start + 45),)),),
        hedges=(Hedge(0, 4, "hedge"),),
    )
    return Article(id="p", text=SOURCED_TEXT, spans=[Span(0, 4, "Doubt", 0.2)], sources=sources)


def test_sources_keys_follow_spans_and_read_back():
    article = _sourced_article()
    data = article_to_dict(article)
    assert list(data)[-4:] == ["spans", "attributions", "claims", "hedges"]
    assert data["attributions"][0]["source"]["text"] == "Critics"
    assert data["claims"][0]["attribution"] == 0
    back = article_from_dict(json.loads(json.dumps(data)))
    assert back.sources == article.sources and back.spans == article.spans


def test_a_1_0_reader_still_reads_a_1_1_document():
    # What a schema-1.0 reader does: check the major version, read id/text/spans, ignore the rest.
    data = article_to_dict(_sourced_article())
    assert data["schema_version"].split(".")[0] == "1"
    spans = [(s["start"], s["end"], s["technique"]) for s in data["spans"]]
    assert spans == [(0, 4, "Doubt")]


def test_without_sources_no_sources_keys_and_sources_is_none():
    data = article_to_dict(_article())
    assert not {"attributions", "claims", "hedges"} & set(data)
    assert article_from_dict(data).sources is None


def test_sources_only_document_has_no_spans_key_and_reads_back():
    data = article_to_dict(_sourced_article(), spans=False)
    assert "spans" not in data
    article = article_from_dict(data)
    assert article.spans == [] and len(article.sources.attributions) == 1


def test_bad_sources_are_refused_naming_the_place():
    data = article_to_dict(_sourced_article())
    data["claims"][0]["attribution"] = 5
    with pytest.raises(FormatError, match=r"doc.json: claims\[0\]: 'attribution' 5"):
        article_from_dict(data, "doc.json")


def test_missing_spans_without_sources_is_still_refused():
    data = article_to_dict(_article())
    del data["spans"]
    with pytest.raises(FormatError, match="missing key 'spans'"):
        article_from_dict(data, "doc.json")
