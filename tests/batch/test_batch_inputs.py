"""Each input kind is read into the right records, and bad records get clear reasons."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_helpers import make_articles, write_jsonl, write_txt_dir

from proplens.batch.inputs import count_records, read_records, resolve_inputs
from proplens.batch.records import BadRecord, Item
from proplens.errors import InputError


def records(*paths: Path) -> list:
    return list(read_records(resolve_inputs(paths)))


def test_txt_directory_gives_one_item_per_file_in_name_order(tmp_path: Path) -> None:
    folder = write_txt_dir(tmp_path / "articles", make_articles(3)[::-1])
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    found = records(folder)
    assert [r.id for r in found] == ["a0000", "a0001", "a0002"]
    assert found[0].title == "Harbour story 0"
    assert found[0].text == (folder / "a0000.txt").read_text(encoding="utf-8")
    assert found[0].location.file == str(folder / "a0000.txt")


def test_ptc_file_names_give_numeric_ids(tmp_path: Path) -> None:
    (tmp_path / "article111.txt").write_text("A title\n\nSome text.", encoding="utf-8")
    assert [r.id for r in records(tmp_path)] == ["111"]


def test_jsonl_fields_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        b'{"id": "x1", "text": "Body one.", "title": "T1", "source": "S", '
        b'"url": "https://e.org/1", "date": "2020-01-02"}\n'
        b"\n"
        b"this is not json\n"
        b'{"id": "x2"}\n'
        b'{"id": "x3", "text": "   "}\n'
        b'{"id": "x4", "text": "caf\xff"}\n'
        b'["a", "list"]\n'
        b'{"text": "no id"}\n'
        b'{"id": 7, "text": "integer id"}\n'
        b'{"id": "x1", "text": "again"}\n'
        b'{"id": "x5", "text": "ok", "date": 2020}\n'
    )
    found = records(path)
    good = [r for r in found if isinstance(r, Item)]
    assert [(g.id, g.title, g.source, g.url, g.date) for g in good] == [
        ("x1", "T1", "S", "https://e.org/1", "2020-01-02"),
        ("7", "integer id", None, None, None),
    ]
    bad = {r.location.line: (r.id, r.reason) for r in found if isinstance(r, BadRecord)}
    assert bad[3][1].startswith("not valid JSON")
    assert bad[4] == ("x2", "missing 'text' field")
    assert bad[5] == ("x3", "empty text")
    assert bad[6][1].startswith("not valid UTF-8")
    assert bad[7] == (None, "not a JSON object")
    assert bad[8] == (None, "missing 'id' field")
    assert bad[10][0] == "x1" and bad[10][1].startswith("duplicate id 'x1' (first seen at")
    assert bad[11] == ("x5", "'date' must be a string")
    assert 2 not in bad  # a blank line is no record


def test_csv_rows_with_quoted_newlines_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(
        b"id,title,text,source,date,url\n"
        b'c1,First,"Line one,\nline two.",Valley Post,2021-05-01,\n'
        b"c2,Empty,,Valley Post,2021-05-02,\n"
        b"c3,Bad,caf\xe9 latin-1,Valley Post,,\n"
        b"c4,,Last one.,,,\n"
    )
    found = records(path)
    assert isinstance(found[0], Item)
    assert (found[0].id, found[0].text, found[0].source, found[0].url) == (
        "c1",
        "Line one,\nline two.",
        "Valley Post",
        None,
    )
    assert [(r.location.line, r.reason) for r in found[1:3]] == [
        (4, "empty text"),
        (5, "'text' is not valid UTF-8 text"),
    ]
    assert (found[3].id, found[3].title, found[3].location.line) == ("c4", "Last one.", 6)
    assert count_records(resolve_inputs([path])) == 4


def test_csv_without_text_column_is_one_bad_record(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("id,body\n1,hello\n", encoding="utf-8")
    (bad,) = records(path)
    assert bad.reason == "CSV header has no text column"


HTML = """<!DOCTYPE html><html><head><title>Ignored &lt;tab&gt; title</title>
<meta property="og:site_name" content="Harbour Gazette">
<meta property="og:title" content="Ferry fares &amp; the council">
<meta name="date" content="2021-04-05">
<link rel="canonical" href="https://gazette.example/ferry-fares">
</head><body><nav><a href="/">Home</a> MENU-LINK-TEXT</nav>
<article><h1>Ferry fares &amp; the council</h1>
<p>The council's disastrous decision on ferry fares was defended today by the so-called
experts of the transport office, who said the increase was unavoidable.</p>
<p>Everyone knows the ferry is the only link to the mainland, said a resident of the
harbour district, who has taken it every day for twenty years.</p></article>
<footer>FOOTER-TEXT copyright</footer></body></html>"""


def test_html_main_text_and_extraction_record(tmp_path: Path) -> None:
    (tmp_path / "ferry.html").write_text(HTML, encoding="utf-8")
    (item,) = records(tmp_path)
    assert item.id == "ferry"
    assert "disastrous decision on ferry fares" in item.text
    assert "Everyone knows the ferry" in item.text
    assert "MENU-LINK-TEXT" not in item.text and "FOOTER-TEXT" not in item.text
    assert item.title == "Ferry fares & the council"
    assert (item.source, item.date, item.url) == (
        "Harbour Gazette",
        "2021-04-05",
        "https://gazette.example/ferry-fares",
    )
    assert item.extraction["extractor"] == "trafilatura"
    assert item.extraction["version"]
    assert item.extraction["date"] == "2021-04-05"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<html><body></body></html>", "no main text could be extracted from the HTML"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a binary file"),
    ],
)
def test_html_without_main_text_is_a_bad_record(tmp_path: Path, content, reason) -> None:
    (tmp_path / "page.htm").write_bytes(content)
    (bad,) = records(tmp_path)
    assert isinstance(bad, BadRecord) and bad.reason.startswith(reason)


def test_inputs_mix_in_command_line_order(tmp_path: Path) -> None:
    articles = make_articles(4)
    jsonl = write_jsonl(tmp_path / "b.jsonl", articles[2:])
    folder = write_txt_dir(tmp_path / "dir", articles[:2])
    assert [r.id for r in records(jsonl, folder)] == ["a0002", "a0003", "a0000", "a0001"]


@pytest.mark.parametrize(
    ("name", "message"),
    [("missing.jsonl", "no such file or directory"), ("data.xml", "unknown input type")],
)
def test_unusable_inputs_stop_before_any_work(tmp_path: Path, name: str, message: str) -> None:
    if name.endswith(".xml"):
        (tmp_path / name).write_text("<x/>", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        resolve_inputs([tmp_path / name])


def test_directory_without_articles_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no .txt, .html or .htm files"):
        resolve_inputs([tmp_path])


NEWS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "news-unlabeled"


@pytest.mark.corpus
@pytest.mark.skipif(not NEWS.is_dir(), reason=f"unlabeled news corpus not found at {NEWS}")
def test_the_unlabeled_news_corpus_reads_without_errors() -> None:
    found = records(NEWS)
    assert len(found) == len(list(NEWS.glob("*.txt")))
    assert all(isinstance(r, Item) for r in found)
    assert len({r.id for r in found}) == len(found)
    assert all(r.id.isdigit() for r in found)  # article<ID>.txt names
