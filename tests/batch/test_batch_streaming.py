"""JSONL and CSV inputs are streamed: memory per record is bounded, however long a line.

Both used to hold a whole line in memory (``for line in handle``; ``csv`` asks
its file for whole lines), so a one-line file of gigabytes, or one with no line
breaks at all, was read whole. Now a line or record over
:func:`~proplens.batch.inputs.record_limit` is a bad record naming its line,
and the reading goes on (JSONL) or stops with that said (CSV).
"""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

from proplens.batch import inputs
from proplens.batch.inputs import count_records, read_records, record_limit, resolve_inputs
from proplens.batch.records import BadRecord, Item

MAX_BYTES = 1_000
"""A small article limit, so the record limit (8,000) is crossed by small files."""
HUGE = 3_000_000
"""Characters of the over-long line: far beyond the limit, small enough for a test."""


def read(path: Path) -> list:
    return list(read_records(resolve_inputs([path]), max_bytes=MAX_BYTES))


def article(n: int) -> dict:
    return {"id": f"a{n}", "text": f"Story {n}.\n\nThe plan was approved."}


def peak_while(consume) -> int:
    """Peak bytes Python allocated while ``consume()`` ran."""
    tracemalloc.start()
    try:
        consume()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_jsonl_line_over_the_limit_is_a_bad_record_and_reading_goes_on(tmp_path):
    path = tmp_path / "in.jsonl"
    huge = json.dumps({"id": "big", "text": "x" * HUGE})
    lines = [json.dumps(article(0)), huge, json.dumps(article(2))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = []
    peak = peak_while(lambda: found.extend(read(path)))
    assert [type(r).__name__ for r in found] == ["Item", "BadRecord", "Item"]
    bad = found[1]
    assert (bad.location.line, bad.id) == (2, None)
    assert bad.reason == "line over the limit of 8,000 bytes for one record; skipped"
    assert found[2].id == "a2" and found[2].location.line == 3
    assert peak < HUGE / 4, f"{peak:,} bytes held for a {HUGE:,}-byte line"


def test_a_jsonl_file_without_line_breaks_is_one_bad_record(tmp_path):
    path = tmp_path / "one-line.jsonl"
    path.write_text(json.dumps({"id": "x", "text": "y" * HUGE}), encoding="utf-8")  # no "\n"
    found = []
    peak = peak_while(lambda: found.extend(read(path)))
    assert [(r.location.line, type(r)) for r in found] == [(1, BadRecord)]
    assert peak < HUGE / 4
    assert count_records(resolve_inputs([path]), max_bytes=MAX_BYTES) == 1


def test_a_line_just_within_the_limit_is_read(tmp_path):
    path = tmp_path / "edge.jsonl"
    prefix = '{"id": "e", "text": "'
    body = "z" * (record_limit(MAX_BYTES) - len(prefix) - len('"}\n'))
    path.write_text(prefix + body + '"}\n', encoding="utf-8")
    assert len(path.read_bytes()) == record_limit(MAX_BYTES)
    (item,) = read(path)
    assert isinstance(item, Item) and item.text == body
    path.write_text(prefix + body + 'z"}\n', encoding="utf-8")  # one byte more
    assert isinstance(read(path)[0], BadRecord)


def test_a_csv_record_over_the_limit_stops_the_file_with_its_line(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(
        'id,text\na0,"Story 0."\nbig,' + "w" * HUGE + '\na2,"Story 2."\n', encoding="utf-8"
    )
    found = []
    peak = peak_while(lambda: found.extend(read(path)))
    assert [type(r).__name__ for r in found] == ["Item", "BadRecord"]
    assert found[1].location.line == 3
    assert found[1].reason == (
        "CSV record over the limit of 8,000 characters for one record; rest of file skipped"
    )
    assert peak < HUGE / 4


def test_a_csv_record_of_many_short_lines_counts_them_together(tmp_path):
    """A quoted field may span lines: the record's lines add up to its size."""
    path = tmp_path / "quoted.csv"
    many = "\n".join(["a short line of the story"] * 1_000)  # 26,000 characters
    path.write_text(f'id,text\na0,"ok"\nq1,"{many}"\n', encoding="utf-8")
    found = read(path)
    assert isinstance(found[0], Item) and isinstance(found[1], BadRecord)
    assert found[1].location.line == 3


def test_csv_records_within_the_limit_are_all_read(tmp_path):
    path = tmp_path / "ok.csv"
    rows = "".join(f'a{n},"Story {n}.\n\nSecond line, ""quoted""."\n' for n in range(50))
    path.write_text("id,text\n" + rows, encoding="utf-8")
    found = read(path)
    assert [r.id for r in found] == [f"a{n}" for n in range(50)]
    assert all(isinstance(r, Item) for r in found) and found[1].location.line == 5
    assert count_records(resolve_inputs([path]), max_bytes=MAX_BYTES) == 50


def test_records_are_read_lazily_one_at_a_time(tmp_path, monkeypatch):
    """Taking the first record reads only the first lines, not the file."""
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps(article(n)) + "\n" for n in range(20_000)))
    opened = []
    real_open = inputs.open_regular

    def watched(p):
        handle = real_open(p)
        opened.append(handle)
        return handle

    monkeypatch.setattr(inputs, "open_regular", watched)
    stream = read_records(resolve_inputs([path]), max_bytes=MAX_BYTES)
    first = next(stream)
    assert first.id == "a0"
    position = opened[0].tell()
    assert position < 64 * 1024 < path.stat().st_size, position  # one buffer, not 1 MB
    assert next(stream).id == "a1"
    stream.close()
    assert opened[0].closed
