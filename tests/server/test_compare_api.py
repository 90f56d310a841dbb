"""``POST /v1/compare`` with the fake analyzer: the CLI's JSON, uploads, errors, limits."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from proplens.server import create_app

pytest.importorskip("rapidfuzz", reason="compare needs the 'compare' extra (rapidfuzz)")

from proplens.cli.compare import render  # noqa: E402
from proplens.compare import Comparer, sources_adapter  # noqa: E402

A = (
    "Council plan\n\nThe experts backed the plan on Monday by 7 votes to 2.\n"
    "The mayor denied any conflict of interest.\n"
)
B = "Council plan\n\nThe so-called experts backed a disastrous plan on Monday by 9 votes to 2.\n"


@pytest.fixture
def client(fake, monkeypatch) -> TestClient:
    """A server whose comparisons skip the sources checks (one test below runs them)."""
    monkeypatch.setattr(sources_adapter, "load_finder", lambda: (None, "off in this test"))
    return TestClient(create_app(analyzer=fake))


def test_compare_json_is_what_the_cli_prints(client, fake):
    answer = client.post("/v1/compare", json={"a": A, "b": B})
    assert answer.status_code == 200
    doc = answer.json()
    cli = Comparer(fake, None, "off in this test").compare(A, B)
    assert doc == json.loads(render(cli, "json", fake.card))
    assert doc["a"]["text"] == A and doc["b"]["model"] == {"name": "fake", "version": "0"}
    assert [item["kind"] for item in doc["alignment"]] == ["same", "reworded", "dropped"]
    flagged = {(f["type"], f["b_text"]) for item in doc["alignment"] for f in item["flags"]}
    assert ("number_changed", "9") in flagged and ("loaded_terms_added", "disastrous") in flagged
    assert doc["summary"]["flags"]["balance_dropped"] == 1


def test_threshold_reaches_the_detector(client):
    low = client.post("/v1/compare", json={"a": A, "b": B, "threshold": 0.05}).json()
    high = client.post("/v1/compare", json={"a": A, "b": B}).json()
    assert len(low["b"]["spans"]) > len(high["b"]["spans"])


def test_two_uploaded_files(client):
    files = {
        "a": ("wire.txt", A.encode(), "text/plain"),
        "b": ("rewrite.txt", B.encode(), "text/plain"),
    }
    doc = client.post("/v1/compare", files=files, data={"threshold": "0.5"}).json()
    assert doc["a"]["text"] == A and doc["b"]["text"] == B


def test_identical_texts_answer_all_same(client):
    doc = client.post("/v1/compare", json={"a": A, "b": A}).json()
    assert {item["kind"] for item in doc["alignment"]} == {"same"}
    assert doc["summary"]["identical"] is True and "identical" in doc["summary"]["text"][0]


@pytest.mark.parametrize(
    ("kwargs", "status", "error", "message"),
    [
        ({"json": {"a": A, "b": " \n"}}, 422, "invalid_input", "side B is empty"),
        ({"json": {"a": A}}, 422, "invalid_input", "b: Field required"),
        ({"json": {"a": A, "b": B, "threshold": 2}}, 422, "invalid_input", "threshold"),
        ({"content": b"a=1", "headers": {"content-type": "text/plain"}}, 415,
         "unsupported_media_type", "application/json"),
        ({"files": {"a": ("a.txt", b"\x00\x01\x02", "text/plain"),
                    "b": ("b.txt", B.encode(), "text/plain")}},
         422, "invalid_input", "side A (a.txt): looks like a binary file"),
        ({"files": {"a": ("a.pdf", b"%PDF", "application/pdf"),
                    "b": ("b.txt", B.encode(), "text/plain")}},
         415, "unsupported_media_type", "only .txt"),
        ({"files": {"a": ("a.txt", A.encode(), "text/plain")}}, 422, "invalid_input",
         "field 'b'"),
    ],
)  # fmt: skip
def test_bad_requests_get_a_clear_4xx(client, kwargs, status, error, message):
    answer = client.post("/v1/compare", **kwargs)
    assert answer.status_code == status
    body = answer.json()
    assert body["error"] == error and message in body["message"]


def test_body_over_the_limit_is_413(fake):
    client = TestClient(create_app(analyzer=fake, max_bytes=1000))
    answer = client.post("/v1/compare", json={"a": A * 10, "b": B * 10})
    assert answer.status_code == 413 and answer.json()["error"] == "too_large"
    assert fake.calls == 0


def test_the_server_runs_the_sources_checks_when_they_are_installed(fake):
    finder, why = sources_adapter.load_finder()
    if finder is None:
        pytest.skip(f"sources are not installed here: {why}")
    a = "Plan\n\nThe mayor said the plan would cost 2 million pounds.\n"
    b = "Plan\n\nThe mayor admitted the plan would cost 2 million pounds.\n"
    doc = TestClient(create_app(analyzer=fake)).post("/v1/compare", json={"a": a, "b": b}).json()
    assert doc["summary"]["skipped"] is None
    assert [a["verb"]["text"] for a in doc["a"]["attributions"]] == ["said"]
    flags = [f for item in doc["alignment"] for f in item["flags"]]
    assert [(f["type"], f["a_stance"], f["b_stance"]) for f in flags] == [
        ("attribution_changed", "neutral", "endorsing")
    ]
