"""Property-based tests (Hypothesis) of the invariants everything else rests on.

Offsets are Python str indices into one exact text: whatever the text (CRLF,
a BOM, emoji, combining marks, right-to-left script), every span the shipped
model finds lies inside it and its ``text`` is exactly ``text[start:end]``; a
lone surrogate is refused with an InputError. The label-file and JSON writers
and readers give back what they were given, and the scorer is symmetric and
stays within [0, 1].
"""

from __future__ import annotations

import functools
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import proplens
from proplens.article import Article, Span
from proplens.errors import InputError, ModelError, ProplensError
from proplens.formats import (
    LabelRow,
    article_to_dict,
    dumps,
    format_labels,
    iter_jsonl,
    loads,
    parse_labels,
    read_label_file,
    write_jsonl,
    write_label_file,
)
from proplens.scoring import si_score, tc_score
from proplens.techniques import NAMES

# -- text of every kind -----------------------------------------------------------------

WORDS = ("the", "so-called", "experts", "disastrous", "betrayal", "never", "again", "Can we",
         "really", "trust", "them?", "Our", "harbour,", "our", "future!", "everyone")  # fmt: skip
SPECIALS = (
    "\r\n", "\n", "\n\n", "\ufeff", "\t", " ", "\u00a0", "\u2028",  # line ends, BOM, spaces
    "😀", "👩‍👩‍👧", "🇫🇷", "e\u0301", "\u0301", "ﬁ", "İ", "ß", "Σ",  # emoji, combining, casing
    "שלום עולם", "مرحبا", "\u200f", "\u202e", "中文", "…", "“quoted”", "\x00", "\x1b",
)  # fmt: skip
PIECES = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(SPECIALS),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=6),
)
TEXTS = st.lists(PIECES, min_size=1, max_size=60).map(" ".join).filter(lambda t: t.strip())


@functools.cache
def shipped():
    try:
        return proplens.load(threshold=0.0)
    except ModelError as err:  # pragma: no cover - the model ships inside the package
        pytest.skip(f"no trained model available: {err}")


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS)
@example(text="\ufeffThe so-called experts\r\nare a disastrous betrayal 😀 e\u0301 שלום!\r\n")
def test_every_span_of_the_shipped_model_lies_in_the_text(text):
    result = shipped().analyze(text)
    assert result.text == text
    for span in result.spans:
        assert 0 <= span.start < span.end <= len(text)
        assert 0.0 <= span.score <= 1.0 and span.technique in NAMES
    doc = article_to_dict(result)
    assert all(s["text"] == text[s["start"] : s["end"]] for s in doc["spans"])
    assert loads(dumps(result)) == result


@given(text=TEXTS, where=st.data(), surrogate=st.integers(0xD800, 0xDFFF))
def test_a_lone_surrogate_is_refused_with_an_input_error(text, where, surrogate):
    at = where.draw(st.integers(0, len(text)))
    bad = text[:at] + chr(surrogate) + text[at:]
    with pytest.raises(
        InputError, match=f"lone surrogate \\(U\\+{surrogate:04X} at offset {at}\\)"
    ):
        Article.from_text(bad)
    with pytest.raises(InputError):
        shipped().analyze(bad)


def test_a_lone_surrogate_escaped_in_json_is_refused():
    with pytest.raises(ProplensError, match="lone surrogate"):
        loads('{"schema_version": "1.0", "id": "a", "text": "x\\ud800", "spans": []}')


# -- writers and readers give back what they were given ----------------------------------

IDS = st.text(st.characters(exclude_categories=("Cs", "Zs", "Zl", "Zp", "Cc")), min_size=1,
              max_size=12).filter(lambda s: not any(c.isspace() for c in s))  # fmt: skip


@st.composite
def label_rows(draw, task: str) -> list[LabelRow]:
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        start = draw(st.integers(0, 10**7))
        end = draw(st.integers(start + 1, start + 10**5))
        technique = draw(st.sampled_from(NAMES)) if task == "tc" else None
        rows.append(LabelRow(draw(IDS), start, end, technique))
    return rows


@pytest.mark.parametrize("task", ["si", "tc", "template"])
def test_label_files_round_trip(task):
    @settings(max_examples=60, deadline=None)
    @given(rows=label_rows("tc" if task == "tc" else "si"))
    def check(rows):
        text = format_labels(rows, task)
        assert parse_labels(text, task) == rows
        assert format_labels(parse_labels(text, task), task) == text
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"split-{task}.labels"
            write_label_file(path, rows, task)
            assert path.read_bytes() == text.encode("utf-8")
            assert read_label_file(path, task) == rows

    check()


@st.composite
def articles(draw) -> Article:
    text = draw(TEXTS)
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        technique = draw(st.none() | st.sampled_from(NAMES))
        score = draw(st.none() | st.floats(0.0, 1.0))
        spans.append(Span(start, end, technique, score))
    meta = st.none() | st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
    return Article(
        id=draw(IDS),
        text=text,
        title=draw(st.text(st.characters(exclude_categories=("Cs",)), max_size=20)),
        source=draw(meta),
        url=draw(meta),
        date=draw(meta),
        spans=spans,
    )


@settings(max_examples=100, deadline=None)
@given(article=articles())
def test_json_round_trips(article):
    assert loads(dumps(article)) == article
    assert loads(dumps(article, {"name": "m", "version": "1"}, indent=None)) == article


@settings(max_examples=50, deadline=None)
@given(batch=st.lists(articles(), max_size=5))
def test_jsonl_round_trips_through_a_file(batch):
    stream = io.StringIO(newline="")
    assert write_jsonl(stream, batch) == len(batch)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out.jsonl"
        path.write_text(stream.getvalue(), encoding="utf-8", newline="")
        with path.open(encoding="utf-8", newline="") as lines:
            assert list(iter_jsonl(lines)) == batch


# -- the scorer -------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(gold=label_rows("tc"), pred=label_rows("tc"))
def test_scores_are_symmetric_and_within_0_1(gold, pred):
    for score in (si_score, tc_score):
        forward, backward = score(gold, pred), score(pred, gold)
        assert 0.0 <= forward.precision <= 1.0 and 0.0 <= forward.recall <= 1.0
        assert 0.0 <= forward.f1 <= 1.0
        assert forward.precision == pytest.approx(backward.recall)
        assert forward.recall == pytest.approx(backward.precision)
        assert forward.f1 == pytest.approx(backward.f1)


@settings(max_examples=100, deadline=None)
@given(rows=label_rows("tc"))
def test_a_prediction_equal_to_the_gold_scores_1(rows):
    assume(rows)
    assert si_score(rows, rows).f1 == pytest.approx(1.0)
    assert tc_score(rows, rows).f1 == 1.0
    assert si_score(rows, []).f1 == 0.0 and tc_score([], rows).f1 == 0.0
