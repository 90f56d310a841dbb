"""Sources in the API: in /v1/analyze, alone from /v1/sources, and a clear note without them."""

from __future__ import annotations

import importlib.util

import pytest
from fastapi.testclient import TestClient

from proplens.server import create_app
from proplens.server.sources import SourcesService

TEXT = (
    "Pier sale approved\n\n"
    "The council voted 5-2 on Tuesday to sell the pier for 2 million euros.\n"
    'Critics claimed the pier was worth twice as much. "We had no choice," Mayor Ana Ruiz said.\n'
)


@pytest.fixture
def client(fake) -> TestClient:
    return TestClient(create_app(analyzer=fake))


@pytest.fixture
def without_extra(monkeypatch, fake) -> TestClient:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "spacy" else real(name, *a)
    )
    return TestClient(create_app(analyzer=fake, sources=SourcesService()))


def _check_offsets(doc: dict) -> None:
    text = doc["text"]
    for a in doc["attributions"]:
        for piece in (a, a["source"], a["verb"], a["content"]):
            assert text[piece["start"] : piece["end"]] == piece["text"]
    for claim in doc["claims"]:
        assert text[claim["start"] : claim["end"]] == claim["text"]
        assert claim["attribution"] is None or 0 <= claim["attribution"] < len(doc["attributions"])


def test_analyze_carries_attributions_claims_and_hedges(client):
    doc = client.post("/v1/analyze", json={"text": TEXT}).json()
    _check_offsets(doc)
    sources = [
        (a["source"]["text"], a["source"]["kind"], a["verb"]["stance"]) for a in doc["attributions"]
    ]
    assert sources == [("Critics", "vague", "distancing"), ("Mayor Ana Ruiz", "named", "neutral")]
    assert doc["attributions"][1]["quote"] is True
    unattributed = [c["text"] for c in doc["claims"] if c["attribution"] is None]
    assert unattributed == [
        "The council voted 5-2 on Tuesday to sell the pier for 2 million euros."
    ]
    assert "sources_note" not in doc


def test_sources_endpoint_skips_the_detector(client, fake):
    doc = client.post("/v1/sources", json={"text": TEXT}).json()
    assert fake.calls == 0 and "spans" not in doc and doc["schema_version"] == "1.1"
    assert len(doc["attributions"]) == 2
    _check_offsets(doc)


def test_upload_can_switch_sources_off(client):
    files = {"file": ("article5.txt", TEXT.encode(), "text/plain")}
    doc = client.post("/v1/analyze", files=files, data={"sources": "false"}).json()
    assert doc["id"] == "5" and "attributions" not in doc and "sources_note" not in doc
    doc = client.post("/v1/analyze", files=files).json()
    assert len(doc["attributions"]) == 2


def test_healthz_says_sources_are_available(client):
    health = client.get("/healthz").json()
    assert health["sources"] is True and health["sources_note"] is None


def test_without_the_extra_answers_say_so(without_extra):
    health = without_extra.get("/healthz").json()
    assert health["sources"] is False
    assert "pip install -e '.[sources]'" in health["sources_note"]
    doc = without_extra.post("/v1/analyze", json={"text": TEXT}).json()
    assert "attributions" not in doc and "spans" in doc
    assert "need the sources extra" in doc["sources_note"] and "spacy" in doc["sources_note"]
    answer = without_extra.post("/v1/sources", json={"text": TEXT})
    assert answer.status_code == 503
    assert answer.json()["error"] == "unavailable"
    assert "pip install -e '.[sources]'" in answer.json()["message"]


def test_sources_endpoint_refuses_bad_input_like_analyze(client):
    answer = client.post("/v1/sources", json={"text": "   "})
    assert answer.status_code == 422 and answer.json()["error"] == "invalid_input"


def test_openapi_documents_the_sources_models(client):
    schema = client.get("/openapi.json").json()
    assert "/v1/sources" in schema["paths"]
    kinds = schema["components"]["schemas"]["SourceOut"]["properties"]["kind"]["enum"]
    assert kinds == ["named", "role", "vague", "anonymous"]


def test_the_api_model_takes_a_null_source_and_content_more():
    from proplens.server.models import AttributionOut
    from proplens.sources import Attribution, Sources, VerbRef, sources_to_dict

    text = 'Nabisco is expected to cut jobs. "It hurts," she said. "It is over."'
    found = Sources(
        attributions=(Attribution(8, 31, None, VerbRef(8, 19, "neutral"), 20, 31, False),)
    )
    out = AttributionOut.model_validate(sources_to_dict(found, text)["attributions"][0])
    assert out.source is None and out.content.text == "to cut jobs" and out.content_more == []
    data = sources_to_dict(found, text)["attributions"][0]
    data["content_more"] = [{"start": 56, "end": 66, "text": text[56:66]}]
    assert AttributionOut.model_validate(data).content_more[0].text == "It is over"
