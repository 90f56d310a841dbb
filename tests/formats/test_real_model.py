"""The formats on real detector output (skipped until a trained model ships)."""

from __future__ import annotations

import re

import pytest

import proplens
from proplens.errors import ModelError
from proplens.formats import (
    dumps,
    format_labels,
    loads,
    parse_labels,
    render_text,
    rows_from_articles,
)
from proplens.scoring import si_score

TEXT = (
    "Council votes on harbour deal\n\n"
    "Only a fool would trust the so-called experts at the ministry.\n"
    "Either we sign now or this town dies, and every true islander knows it.\n"
    "They lied about the budget. They lied about the roads. They lied to you.\n"
)


@pytest.fixture(scope="module")
def analyzed():
    try:
        analyzer = proplens.load()
    except ModelError as err:
        pytest.skip(f"no trained model available: {err}")
    return analyzer.analyze(proplens.Article.from_text(TEXT, id="1")), analyzer.card


def test_model_output_survives_json_and_label_files(analyzed):
    article, card = analyzed
    assert loads(dumps(article, model=card)) == article
    rows = rows_from_articles([article])
    if all(row.technique for row in rows):
        assert parse_labels(format_labels(rows, "tc"), "tc") == rows
    assert si_score(rows, rows).f1 == (1.0 if rows else 0.0)


def test_model_output_renders_with_every_fragment_listed(analyzed):
    article, _ = analyzed
    out = render_text(article)
    marks = re.compile(r"⟦[⁰¹²³⁴⁵⁶⁷⁸⁹]*|⟧[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
    tail = "\n\nFragments:" if article.spans else "\n\nNo propaganda"
    assert marks.sub("", out[: out.index(tail)]) == TEXT.rstrip("\n")
    assert out.count("⟧") == len(article.spans)
