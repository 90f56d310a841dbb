"""``proplens report``: sections, omitted charts, escaping, article pages."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from batch_helpers import make_articles, run, write_jsonl

from proplens.cli import main
from proplens.report.build import build_report
from proplens.report.pages import page_name
from proplens.report.stats import gather, normalise_phrase


@pytest.fixture
def table(tmp_path: Path) -> Path:
    out = tmp_path / "out.parquet"
    run([write_jsonl(tmp_path / "in.jsonl", make_articles(30))], out)
    return out


def images(document: str) -> int:
    return len(re.findall(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+"', document))


def test_report_with_outlets_and_dates(table: Path, tmp_path: Path) -> None:
    result = build_report(table, tmp_path / "site" / "report.html", top=5)
    document = result.html.read_text(encoding="utf-8")
    for heading in ("Techniques", "Outlets", "Over time", "Flagged phrases", "Densest articles"):
        assert f"<h2>{heading}</h2>" in document
    assert images(document) == 4  # techniques, per outlet, density per outlet, over time
    assert not re.search(r'(src|href)="(https?:)?//', document)  # no external assets
    assert "<script" not in document and "<link" not in document
    assert "Valley Post" in document and "per day" in document
    links = re.findall(r'<a href="(report_files/[^"]+)">', document)
    assert len(links) == result.pages == 5
    for link in links:
        assert (result.html.parent / link).is_file()


def test_densest_articles_come_first(table: Path, tmp_path: Path) -> None:
    result = build_report(table, tmp_path / "report.html", top=3)
    document = result.html.read_text(encoding="utf-8")
    shown = re.findall(r"<td>([\d.]+)%</td><td>\d+</td>", document)
    densities = [float(value) for value in shown]
    assert len(densities) == 3 and densities == sorted(densities, reverse=True)
    highest = max(pq.read_table(table, columns=["density"]).column("density").to_pylist())
    assert densities[0] == pytest.approx(100 * highest, abs=0.06)


def test_report_without_source_or_date_omits_those_charts(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    run([write_jsonl(tmp_path / "in.jsonl", make_articles(12, with_meta=False))], out)
    assert main(["report", str(out), "--html", str(tmp_path / "report.html")]) == 0
    document = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "No article has a source: per-outlet charts omitted." in document
    assert "No article has a readable date" in document
    assert images(document) == 1  # only the techniques chart
    assert "<h2>Densest articles</h2>" in document


def test_all_text_is_escaped(tmp_path: Path) -> None:
    evil = {
        "id": "../<x>",
        "title": "<script>alert('title')</script>",
        "text": "The so-called experts <img src=x onerror=alert(1)> are traitors & worse.",
        "source": "<b>Evil & Co</b>",
        "date": "2021-01-01",
        "url": 'https://e.org/"><script>alert(2)</script>',
    }
    out = tmp_path / "out.parquet"
    run([write_jsonl(tmp_path / "in.jsonl", [evil])], out, threshold=0.3)
    result = build_report(out, tmp_path / "report.html")
    document = result.html.read_text(encoding="utf-8")
    (page,) = result.pages_dir.iterdir()
    for html in (document, page.read_text(encoding="utf-8")):
        assert "<script>" not in html and "<img src=x" not in html and "<b>Evil" not in html
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in document
    assert "&lt;b&gt;Evil &amp; Co&lt;/b&gt;" in document
    assert "/" not in page.name and not page.name.startswith(".")


def test_jsonl_and_parquet_tables_give_the_same_report(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", make_articles(20))
    run([src], tmp_path / "t.parquet")
    run([src], tmp_path / "t.jsonl")
    a = build_report(tmp_path / "t.parquet", tmp_path / "a.html").html.read_text()
    b = build_report(tmp_path / "t.jsonl", tmp_path / "b.html").html.read_text()
    assert a.replace("t.parquet", "T").replace("a_files", "F") == b.replace("t.jsonl", "T").replace(
        "b_files", "F"
    )


def _row(id_: str, source: str | None, day: str | None, density: float, spans=()) -> dict:
    return {
        "id": id_, "title": id_, "source": source, "date": day, "n_chars": 100,
        "n_spans": len(spans), "density": density,
        "spans": [{"technique": t, "text": x} for t, x in spans],
    }  # fmt: skip


def test_statistics_per_outlet_period_and_phrase() -> None:
    doubts = [("Doubt", "Can we trust them?"), ("Doubt", "can we  trust them")]
    rows = [
        _row("a", "P", "2021-01-04", 0.2, doubts),
        _row("b", "P", "2021-01-05T10:00:00Z", 0.4, [("Loaded_Language", "Reckless")]),
        _row("c", None, "March 2021", 0.0),
        _row("d", "Q", None, 0.6, [("Doubt", "who knows")]),
    ]  # fmt: skip
    stats = gather(rows, top_size=2)
    assert stats.by_source["P"].mean_density == pytest.approx(0.3)
    assert stats.by_source["(no source)"].articles == 1
    assert (stats.with_source, stats.with_date, stats.bad_dates) == (3, 2, 1)
    assert stats.period_unit() == "day" and len(stats.by_period()) == 2
    assert stats.top_phrases("Doubt", 5) == [("can we trust them", 2), ("who knows", 1)]
    assert [t.id for t in stats.top()] == ["d", "b"]
    assert stats.top()[0].main_technique == "Doubt"


def test_long_corpora_are_charted_per_week() -> None:
    rows = [_row(str(i), "P", f"2021-{1 + i // 28:02d}-{1 + i % 28:02d}", 0.1) for i in range(84)]
    stats = gather(rows)
    assert stats.period_unit() == "week"
    weeks = stats.by_period()
    assert all(week.weekday() == 0 for week in weeks)
    assert sum(g.articles for g in weeks.values()) == 84


def test_phrase_normalisation_and_page_names() -> None:
    assert normalise_phrase("  “Reckless,   DISASTROUS”! ") == "reckless, disastrous"
    assert page_name("a0001") == "a0001.html"
    assert page_name("a/b") != page_name("a_b")
    assert "/" not in page_name("../../etc/passwd")


def test_report_refuses_what_is_not_a_batch_table(tmp_path: Path, capsys) -> None:
    other = tmp_path / "other.jsonl"
    other.write_text('{"hello": 1}\n', encoding="utf-8")
    assert main(["report", str(other), "--html", str(tmp_path / "r.html")]) == 2
    assert "not a row of a proplens batch table" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "none.parquet"), "--html", "r.html"]) == 2
    assert "no such file" in capsys.readouterr().err
