"""The JSON API with an injected fake analyzer: endpoints, errors, limits, headers."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

import proplens
from proplens.article import Article
from proplens.cli.analyze import render
from proplens.server import create_app
from proplens.techniques import NAMES

SCHEMA_KEYS = {"schema_version", "id", "title", "model", "text", "spans"}
SOURCES_KEYS = {"attributions", "claims", "hedges"}
SPAN_KEYS = {"start", "end", "technique", "score", "text"}


@pytest.fixture
def client(fake) -> TestClient:
    return TestClient(create_app(analyzer=fake))


def test_analyze_json_returns_the_cli_schema_with_exact_offsets(client, article_text):
    answer = client.post("/v1/analyze", json={"text": article_text})
    assert answer.status_code == 200
    doc = answer.json()
    assert set(doc) == SCHEMA_KEYS | SOURCES_KEYS
    assert doc["schema_version"] == "1.1"
    assert doc["model"] == {"name": "fake", "version": "0"}
    assert doc["text"] == article_text
    assert doc["title"] == "Council plan draws fire"
    found = {(s["text"], s["technique"]) for s in doc["spans"]}
    # default threshold 0.5 keeps 0.9, 0.7, 0.55 and drops the 0.3 and 0.15 ones
    assert found == {
        ("so-called experts", "Name_Calling,Labeling"),
        ("disastrous", "Loaded_Language"),
        ("never again", "Slogans"),
    }
    for span in doc["spans"]:
        assert set(span) == SPAN_KEYS
        assert article_text[span["start"] : span["end"]] == span["text"]


def test_analyze_json_equals_what_the_cli_prints(client, fake, article_text):
    doc = client.post("/v1/analyze", json={"text": article_text}).json()
    article = fake.analyze(Article.from_text(article_text, id="article"))
    found = client.app.state.sources.find(article_text)
    cli = render([replace(article, sources=found)], "json", fake.card)  # analyze --sources
    assert doc == json.loads(cli)
    without = client.post("/v1/analyze", json={"text": article_text, "sources": False}).json()
    assert without == json.loads(render([article], "json", fake.card))  # plain analyze


def test_analyze_threshold_and_title_are_honoured(client, article_text):
    doc = client.post(
        "/v1/analyze", json={"text": article_text, "title": "Mine", "threshold": 0.05}
    ).json()
    assert doc["title"] == "Mine"
    techniques = sorted(s["technique"] for s in doc["spans"])
    assert "Appeal_to_Authority" in techniques  # the 0.3 span, overlapping another
    assert len(doc["spans"]) == 4


def test_nested_spans_come_back_as_independent_spans(client, nested_text):
    doc = client.post("/v1/analyze", json={"text": nested_text}).json()
    assert [(s["text"], s["technique"]) for s in doc["spans"]] == [
        ("Critics warn that the reckless plan will ruin our town.", "Appeal_to_fear-prejudice"),
        ("reckless", "Loaded_Language"),
    ]
    outer, inner = doc["spans"]
    assert outer["start"] < inner["start"] < inner["end"] < outer["end"]


def test_offsets_count_code_points_not_utf16_units(client):
    text = "Cheers 🎉🎉 to this disastrous idea.\r\nBye."
    span = client.post("/v1/analyze", json={"text": text}).json()["spans"][0]
    assert text[span["start"] : span["end"]] == "disastrous" == span["text"]


def test_upload_txt_file(client, article_text):
    answer = client.post(
        "/v1/analyze",
        files={"file": ("article123.txt", article_text.encode(), "text/plain")},
        data={"threshold": "0.6"},
    )
    assert answer.status_code == 200, answer.text
    doc = answer.json()
    assert doc["id"] == "123"
    assert doc["text"] == article_text
    assert {s["technique"] for s in doc["spans"]} == {"Loaded_Language", "Name_Calling,Labeling"}


@pytest.mark.parametrize(
    ("name", "content_type", "status"),
    [("article.pdf", "application/pdf", 415), ("photo.txt", "image/png", 415)],
)
def test_upload_of_another_type_is_refused(client, name, content_type, status):
    answer = client.post("/v1/analyze", files={"file": (name, b"%PDF-1.4", content_type)})
    assert answer.status_code == status
    assert answer.json()["error"] == "unsupported_media_type"
    assert name in answer.json()["message"]


def test_upload_that_is_not_utf8_names_the_bad_byte(client):
    answer = client.post(
        "/v1/analyze", files={"file": ("latin1.txt", "café déjà".encode("latin-1"), "text/plain")}
    )
    assert answer.status_code == 422
    assert "not valid UTF-8" in answer.json()["message"]
    assert "0xe9" in answer.json()["message"]


def test_upload_without_a_file_field(client):
    answer = client.post("/v1/analyze", data={"title": "x"}, files={"other": ("a.txt", b"hi")})
    assert answer.status_code == 422
    assert "'file' field" in answer.json()["message"]


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_text_is_422_with_a_message(client, text):
    answer = client.post("/v1/analyze", json={"text": text})
    assert answer.status_code == 422
    assert "empty" in answer.json()["message"]


def test_empty_upload_is_422_with_a_message(client):
    answer = client.post("/v1/analyze", files={"file": ("blank.txt", b" \n\n", "text/plain")})
    assert answer.status_code == 422
    assert answer.json()["message"].startswith("the uploaded file is empty")


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"title": "no text"}, "give either 'text' or 'url'"),
        ({"text": "a", "threshold": 1.5}, "threshold"),
        ({"text": 5}, "text"),
    ],
)
def test_malformed_json_bodies_are_422_with_the_field_named(client, body, needle):
    answer = client.post("/v1/analyze", json=body)
    assert answer.status_code == 422
    assert needle in answer.json()["message"]


def test_invalid_json_is_422(client):
    answer = client.post(
        "/v1/analyze", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert answer.status_code == 422
    assert answer.json()["error"] == "invalid_input"


def test_other_content_type_is_415(client):
    answer = client.post("/v1/analyze", content=b"text", headers={"content-type": "text/plain"})
    assert answer.status_code == 415
    assert "multipart/form-data" in answer.json()["message"]


def test_body_over_the_limit_is_413_json_and_never_analysed(fake):
    client = TestClient(create_app(analyzer=fake, max_bytes=1000))
    answer = client.post("/v1/analyze", json={"text": "x" * 2000})
    assert answer.status_code == 413
    assert answer.json()["error"] == "too_large"
    assert "1,000 bytes" in answer.json()["message"]
    upload = client.post("/v1/analyze", files={"file": ("big.txt", b"y" * 5000, "text/plain")})
    assert upload.status_code == 413
    assert fake.calls == 0
    assert client.post("/v1/analyze", json={"text": "small disastrous"}).status_code == 200


def test_body_without_content_length_is_also_limited(fake):
    client = TestClient(create_app(analyzer=fake, max_bytes=1000))

    def chunks():
        for _ in range(10):
            yield b"z" * 200

    answer = client.post(
        "/v1/analyze", content=chunks(), headers={"content-type": "application/json"}
    )
    assert answer.status_code == 413
    assert answer.json()["message"].startswith("request body is over the limit of 1,000 bytes")
    assert fake.calls == 0


def test_techniques_lists_all_fourteen_with_colours(client):
    body = client.get("/v1/techniques").json()
    assert [t["name"] for t in body["techniques"]] == list(NAMES)
    assert body["default_threshold"] == 0.5
    for t in body["techniques"]:
        assert t["label"] and t["definition"] and t["example"]
        assert t["color"].startswith("#")


def test_healthz(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["version"] == proplens.__version__
    assert body["model_version"] == "fake 0"  # the served model's card, not the shipped one
    assert body["threshold"] == 0.5
    assert body["store"] is False


def test_no_store_means_no_analyses_endpoints(client, article_text):
    doc = client.post("/v1/analyze", json={"text": article_text}).json()
    assert doc["id"] == "article" and "analysis_id" not in doc
    for path in ("/v1/analyses", "/v1/analyses/article"):
        answer = client.get(path)
        assert answer.status_code == 404
        assert "--store" in answer.json()["message"]


def test_unknown_route_is_json_404(client):
    answer = client.get("/v1/nothing")
    assert answer.status_code == 404
    assert answer.json()["error"] == "not_found"


def test_analyzer_crash_is_a_json_500_without_traceback(article_text):
    class Broken:
        threshold = 0.5
        card = {"name": "broken", "version": "0"}

        def analyze(self, article, threshold=None, progress=None):
            raise RuntimeError("secret internals")

    client = TestClient(create_app(analyzer=Broken()), raise_server_exceptions=False)
    answer = client.post("/v1/analyze", json={"text": article_text})
    assert answer.status_code == 500
    assert answer.json() == {"error": "internal", "message": answer.json()["message"]}
    assert "secret" not in answer.text


def test_page_has_csp_nosniff_and_no_inline_script(client):
    page = client.get("/")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "object-src 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert '<script src="/static/app.js"' in page.text
    assert "<script>" not in page.text
    assert client.get("/a/abc123").text == page.text
    js = client.get("/static/app.js")
    assert js.status_code == 200
    assert "javascript" in js.headers["content-type"]
    assert "innerHTML" not in js.text


def test_api_answers_carry_the_security_headers_too(client):
    answer = client.post("/v1/analyze", json={"text": ""})
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" in answer.headers


def test_openapi_documents_both_request_bodies(client):
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/v1/analyze"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
    assert "AnalysisOut" in spec["components"]["schemas"]
    assert client.get("/docs").status_code == 200
