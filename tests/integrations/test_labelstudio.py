"""Label Studio tasks out, corrections back in: offsets, annotation choice, labels, files."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from proplens.article import Article, Span
from proplens.cli import main
from proplens.errors import FormatError, InputError
from proplens.formats.semeval import load_corpus, read_labels
from proplens.integrations.labelstudio import (
    articles_to_tasks,
    import_export,
    labeling_config,
)
from proplens.integrations.labelstudio.corrections import corrected_articles
from proplens.integrations.utf16 import UnitOffsets
from proplens.techniques import BY_NAME, NAMES, PTC_18, SEMEVAL_2023

# Astral characters (two UTF-16 units each) and CRLF line ends before the spans.
TEXT = (
    "Harbour 🚢 deal\r\n\r\nThe 😀 so-called experts backed a 𝒹isastrous plan.\r\nNever again!\r\n"
)


def js_slice(text: str, start: int, end: int) -> str:
    """``text.slice(start, end)`` as JavaScript computes it (UTF-16 code units)."""
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def span_of(fragment: str, technique: str, score: float | None = 0.5) -> Span:
    start = TEXT.index(fragment)
    return Span(start, start + len(fragment), technique, score)


ARTICLE = Article(id="harbour", text=TEXT).with_spans(
    [
        span_of("so-called experts", "Name_Calling,Labeling", 0.7),
        span_of("𝒹isastrous", "Loaded_Language", 0.9),
        span_of("Never again!", "Slogans", 0.2),
    ]
)


def region(start: int, end: int, labels: list[str], text: str | None = None, rid="r1") -> dict:
    value = {"start": start, "end": end, "labels": labels}
    if text is not None:
        value["text"] = text
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels", "value": value}


def task(task_id: int, annotations: list[dict], text: str = TEXT, article_id="harbour") -> dict:
    return {"id": task_id, "data": {"id": article_id, "text": text}, "annotations": annotations}


def annotation(aid: int, result: list[dict], updated: str, **extra) -> dict:
    return {"id": aid, "result": result, "updated_at": updated, "was_cancelled": False, **extra}


def test_utf16_offsets_both_ways():
    units = UnitOffsets(TEXT)
    assert units.length == len(TEXT.encode("utf-16-le")) // 2 == len(TEXT) + 3
    for index in range(len(TEXT) + 1):
        assert units.to_index(units.to_units(index)) == index
    inside_ship = units.to_units(TEXT.index("🚢")) + 1
    with pytest.raises(ValueError, match="inside a character"):
        units.to_index(inside_ship)
    with pytest.raises(ValueError, match="outside"):
        units.to_index(units.length + 1)


@pytest.mark.parametrize("taxonomy", ["14", "18", "23"])
def test_config_lists_every_label_once_with_colours_and_distinct_hotkeys(taxonomy):
    root = ET.fromstring(labeling_config(taxonomy))
    labels = root.find("Labels")
    assert labels.get("name") == "label" and labels.get("toName") == "text"
    assert root.find("Text").get("name") == "text" and root.find("Text").get("value") == "$text"
    values = [label.get("value") for label in labels]
    expected = {"14": NAMES, "18": PTC_18, "23": SEMEVAL_2023}[taxonomy]
    assert values == list(expected)
    hotkeys = [label.get("hotkey") for label in labels if label.get("hotkey")]
    assert len(hotkeys) == len(set(hotkeys)) >= min(len(values), 28)
    if taxonomy == "14":
        colours = {label.get("value"): label.get("background") for label in labels}
        assert colours == {name: BY_NAME[name].color for name in NAMES}


def test_export_regions_count_utf16_units_and_quote_the_text():
    (exported,) = articles_to_tasks([ARTICLE], {"name": "proplens-minilm", "version": "1"})
    assert exported["data"] == {"id": "harbour", "title": "Harbour 🚢 deal", "text": TEXT}
    (prediction,) = exported["predictions"]
    assert prediction["model_version"] == "proplens-minilm 1"
    assert prediction["score"] == pytest.approx((0.7 + 0.9 + 0.2) / 3, abs=1e-4)
    regions = prediction["result"]
    assert [r["value"]["labels"] for r in regions] == [[s.technique] for s in ARTICLE.spans]
    assert [r["score"] for r in regions] == [s.score for s in ARTICLE.spans]
    for r, span in zip(regions, ARTICLE.spans, strict=True):
        value = r["value"]
        assert js_slice(TEXT, value["start"], value["end"]) == ARTICLE.span_text(span)
        assert value["text"] == ARTICLE.span_text(span)
        assert value["start"] > span.start  # the astral characters before it count twice
    # one JSON round trip, as Label Studio receives it
    assert json.loads(json.dumps(exported)) == exported


def test_exported_predictions_import_back_to_the_same_spans():
    (exported,) = articles_to_tasks([ARTICLE])
    as_annotation = annotation(1, exported["predictions"][0]["result"], "2026-01-01T00:00:00Z")
    ls_task = {"id": 7, "data": exported["data"], "annotations": [as_annotation]}
    (article,), summary = corrected_articles([ls_task])
    assert article.text == TEXT and article.id == "harbour"
    assert [(s.start, s.end, s.technique) for s in article.spans] == [
        (s.start, s.end, s.technique) for s in ARTICLE.spans
    ]
    assert all(s.score is None for s in article.spans)  # gold now
    assert summary.spans == 3 and summary.articles == 1


def test_nested_spans_export_as_overlapping_regions_and_import_back(tmp_path):
    # a sentence of fear holding a loaded word that is also name calling (same offsets)
    nested = ARTICLE.with_spans(
        [
            span_of(
                "The 😀 so-called experts backed a 𝒹isastrous plan.", "Appeal_to_fear-prejudice"
            ),
            span_of("𝒹isastrous", "Loaded_Language", 0.9),
            span_of("𝒹isastrous", "Name_Calling,Labeling", 0.3),
        ]
    )
    (exported,) = articles_to_tasks([nested])
    regions = exported["predictions"][0]["result"]
    assert [r["value"]["text"] for r in regions] == [nested.span_text(s) for s in nested.spans]
    assert len({r["id"] for r in regions}) == 3  # three regions, none merged
    done = annotation(1, regions, "2026-01-01T00:00:00Z")
    out = tmp_path / "corrections"
    export = write_export(tmp_path / "export.json", [task(1, [done])])
    summary = import_export(export, out)
    assert summary.spans == 3
    (article,) = load_corpus(out)
    assert [(s.start, s.end, s.technique) for s in article.spans] == [
        (s.start, s.end, s.technique) for s in nested.spans
    ]
    si = read_labels(out / "corrections-si.labels", "si")
    assert len(si) == 2  # the sentence and the word; the word's two techniques are one SI span


def test_the_newest_finished_annotation_wins_and_cancelled_ones_never_count():
    units = UnitOffsets(TEXT)
    fool = span_of("so-called experts", "Doubt")
    at = (units.to_units(fool.start), units.to_units(fool.end))
    older = annotation(1, [region(*at, ["Doubt"])], "2026-01-01T10:00:00Z")
    newer = annotation(2, [region(*at, ["Loaded_Language"])], "2026-01-02T10:00:00+00:00")
    cancelled = annotation(3, [region(*at, ["Slogans"])], "2026-01-03T10:00:00Z")
    cancelled["was_cancelled"] = True
    (article,), summary = corrected_articles([task(1, [older, newer, cancelled])])
    assert [s.technique for s in article.spans] == ["Loaded_Language"]
    assert summary.cancelled == 1

    truth = annotation(4, [region(*at, ["Doubt"])], "2025-12-01T00:00:00Z", ground_truth=True)
    (article,), _ = corrected_articles([task(1, [older, newer, truth])])
    assert [s.technique for s in article.spans] == ["Doubt"]  # ground truth beats newer


def test_tasks_without_a_finished_annotation_are_left_out_and_reported():
    cancelled = annotation(1, [], "2026-01-01T00:00:00Z", was_cancelled=True)
    kept = annotation(2, [], "2026-01-01T00:00:00Z")  # finished, no propaganda: kept, no spans
    tasks = [
        task(1, []),
        task(2, [cancelled], article_id="b"),
        task(3, [kept], article_id="c"),
    ]
    articles, summary = corrected_articles(tasks)
    assert [(a.id, a.spans) for a in articles] == [("c", [])]
    assert summary.unannotated == [1, 2]
    assert "skipped 2 task(s) with no finished annotation (task ids 1, 2)" in summary.describe(
        Path("out")
    )


def test_ptc18_and_semeval2023_labels_map_onto_the_14_and_unmapped_ones_are_counted():
    units = UnitOffsets(TEXT)
    experts = span_of("so-called experts", "x")
    at = (units.to_units(experts.start), units.to_units(experts.end))
    result = [
        region(*at, ["Straw_Men", "Red_Herring"], rid="a"),  # both -> the same merged class
        region(*at, ["False_Dilemma-No_Choice"], rid="b"),
        region(*at, ["Appeal_to_Values"], rid="c"),  # no equivalent among the 14
        {"id": "d", "type": "choices", "value": {"choices": ["x"]}},
    ]
    (article,), summary = corrected_articles([task(5, [annotation(1, result, "2026-01-01")])])
    assert sorted(s.technique for s in article.spans) == [
        "Black-and-White_Fallacy",
        "Whataboutism,Straw_Men,Red_Herring",
    ]
    assert summary.dropped == {"Appeal_to_Values": 1} and summary.other_results == 1


@pytest.mark.parametrize(
    ("bad_region", "message"),
    [
        (region(0, 7, ["Propaganda"]), "task 9, annotation 1: unknown label 'Propaganda'"),
        (region(9, 12, ["Doubt"]), "task 9, annotation 1, region r1: offset 9 falls inside"),
        (region(0, 7, ["Doubt"], text="Harbour!"), "its text 'Harbour!' differs"),
        (region(5, 5, ["Doubt"]), "empty region"),
        (region(0, 999, ["Doubt"]), "outside the text"),
        (region("/p[1]", "/p[2]", ["Doubt"]), "not character offsets"),
    ],
)
def test_bad_regions_are_refused_naming_the_task(bad_region, message):
    with pytest.raises(FormatError, match=message.replace("(", r"\(").replace("[", r"\[")):
        corrected_articles([task(9, [annotation(1, [bad_region], "2026-01-01")])])


def test_article_ids_must_name_files_and_be_unique():
    done = annotation(1, [], "2026-01-01")
    with pytest.raises(FormatError, match="task 1: article id '../x' cannot name a file"):
        corrected_articles([task(1, [done], article_id="../x")])
    with pytest.raises(FormatError, match="tasks 1 and 2 both hold article 'a'"):
        corrected_articles([task(1, [done], article_id="a"), task(2, [done], article_id="a")])
    (article,), _ = corrected_articles([task(12, [done], article_id=None)])
    assert article.id == "ls12"  # tasks made in Label Studio itself: named after the task


def write_export(path: Path, tasks: list[dict]) -> Path:
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def test_import_writes_a_ptc_folder_that_the_corpus_loader_reads_exactly(tmp_path):
    units = UnitOffsets(TEXT)
    result = [
        region(units.to_units(s.start), units.to_units(s.end), [s.technique], ARTICLE.span_text(s))
        for s in ARTICLE.spans
    ]
    second = "Short one\n\nAll of them are traitors.\n"
    at = second.index("traitors")
    traitors = region(at, at + 8, ["Name_Calling,Labeling"])
    tasks = [
        task(1, [annotation(1, result, "2026-01-01")]),
        task(2, [annotation(2, [traitors], "2026-01-01")], text=second, article_id="1001"),
    ]
    out = tmp_path / "corrections"
    summary = import_export(write_export(tmp_path / "export.json", tasks), out)
    assert summary.articles == 2 and summary.spans == 4
    assert sorted(p.name for p in (out / "articles").iterdir()) == [
        "article1001.txt",
        "harbour.txt",
    ]
    assert (out / "articles" / "harbour.txt").read_bytes() == TEXT.encode("utf-8")  # CRLF kept
    corpus = {a.id: a for a in load_corpus(out)}
    assert [(s.start, s.end, s.technique) for s in corpus["harbour"].spans] == [
        (s.start, s.end, s.technique) for s in ARTICLE.spans
    ]
    assert corpus["1001"].span_text(corpus["1001"].spans[0]) == "traitors"
    split = (out / "corrections-tc.labels").read_text()
    per_article = "".join(p.read_text() for p in sorted((out / "labels-tc").iterdir()))
    assert split == per_article and split.startswith(
        f"1001\tName_Calling,Labeling\t{at}\t{at + 8}\n"
    )
    assert len(read_labels(out / "corrections-si.labels", "si")) == 4


def test_import_refuses_to_write_into_a_folder_with_files(tmp_path):
    done = annotation(1, [], "2026-01-01")
    export = write_export(tmp_path / "export.json", [task(1, [done])])
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "keep.txt").write_text("mine")
    with pytest.raises(InputError, match="exists and is not an empty folder"):
        import_export(export, tmp_path / "busy")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["busy", "export.json"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a Label Studio JSON export"),
        ('{"id": 1}', "expected a JSON array of tasks"),
        ('[{"id": 1, "text": "x", "label": []}]', "export as 'JSON', not 'JSON-MIN'"),
        ("[]", "no task has a finished annotation"),
    ],
)
def test_cli_import_gives_one_line_for_a_bad_export(tmp_path, capsys, content, message):
    export = tmp_path / "export.json"
    export.write_text(content)
    assert main(["labelstudio", "import", str(export), "--output", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_cli_config_export_and_import(tmp_path, capsys):
    assert main(["labelstudio", "config", "--taxonomy", "18"]) == 0
    assert 'value="Straw_Men"' in capsys.readouterr().out

    article = tmp_path / "article1001.txt"
    article.write_bytes(TEXT.encode("utf-8"))
    tasks_path = tmp_path / "tasks.json"
    code = main(
        ["labelstudio", "export", str(article), "--output", str(tasks_path), "--threshold", "0"]
    )
    assert code == 0
    assert "wrote 1 task(s)" in capsys.readouterr().err
    (exported,) = json.loads(tasks_path.read_text(encoding="utf-8"))
    assert exported["data"]["id"] == "1001" and exported["data"]["text"] == TEXT
    regions = exported["predictions"][0]["result"]
    for r in regions:
        assert js_slice(TEXT, r["value"]["start"], r["value"]["end"]) == r["value"]["text"]

    exported["annotations"] = [annotation(1, regions, "2026-01-01")]
    exported["id"] = 1
    export = write_export(tmp_path / "export.json", [exported])
    assert main(["labelstudio", "import", str(export), "--output", str(tmp_path / "c")]) == 0
    assert f"with {len(regions)} span(s)" in capsys.readouterr().err
    (back,) = load_corpus(tmp_path / "c")
    assert back.text == TEXT and len(back.spans) == len(
        {(r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]) for r in regions}
    )
