"""Unknown query parameters are a 422 naming them, on every API route (server/query.py).

They used to be ignored: ``GET /v1/analyses?limt=5`` answered 20 analyses and
``POST /v1/analyze?threshold=0.9`` analysed at the default threshold.
"""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from proplens.server import create_app

ARTICLE = "Council plan\n\nThe so-called experts backed a disastrous plan."


@pytest.fixture
def app(fake, tmp_path):
    return create_app(analyzer=fake, store_path=tmp_path / "store.db")


@pytest.fixture
def client(app) -> TestClient:
    return TestClient(app)


def api_routes(app) -> list[tuple[str, str]]:
    """(method, path) of every route in the API schema, path parameters filled in."""
    found = []
    for route in app.routes:
        if isinstance(route, APIRoute) and route.include_in_schema:
            path = route.path.replace("{analysis_id}", "some-id")
            found.extend((method, path) for method in sorted(route.methods))
    return found


def test_every_api_route_refuses_an_unknown_parameter(app, client, fake):
    routes = api_routes(app)
    assert ("POST", "/v1/analyze") in routes and ("GET", "/healthz") in routes
    assert len(routes) >= 7  # healthz, techniques, analyze, analyses, one, sources, compare
    for method, path in routes:
        answer = client.request(method, f"{path}?bogus=1", json={"text": ARTICLE})
        assert answer.status_code == 422, (method, path, answer.text)
        assert answer.json()["error"] == "invalid_request"
        assert "'bogus'" in answer.json()["message"], (method, path)
    assert fake.calls == 0  # refused before any work
    assert client.get("/v1/analyses").json()["total"] == 0  # and nothing stored


def test_a_misspelt_paging_parameter_names_the_right_ones(client):
    answer = client.get("/v1/analyses?limt=5")
    assert answer.status_code == 422
    assert answer.json()["message"] == (
        "unknown query parameter 'limt' (the parameters are: limit, offset)"
    )


def test_a_body_field_sent_in_the_query_is_not_silently_ignored(client, fake):
    answer = client.post("/v1/analyze?threshold=0.9&title=x", json={"text": ARTICLE})
    assert answer.status_code == 422 and fake.calls == 0
    assert answer.json()["message"] == (
        "unknown query parameters 'threshold', 'title' (/v1/analyze takes none)"
    )


def test_known_parameters_still_work(client):
    for _ in range(2):
        client.post("/v1/analyze", json={"text": ARTICLE})
    page = client.get("/v1/analyses?limit=1&offset=1").json()
    assert (page["limit"], page["offset"], len(page["items"])) == (1, 1, 1)


def test_a_long_unknown_name_is_echoed_cut(client):
    message = client.get(f"/healthz?{'x' * 5000}=1").json()["message"]
    assert len(message) < 200 and "x" * 60 in message and "x" * 61 not in message


def test_pages_reached_by_links_keep_working_with_extra_parameters(client):
    """Browsers land on the page through shared links, which trackers extend."""
    assert client.get("/?utm_source=mail").status_code == 200
    assert client.get("/a/some-id?t=0.30&fbclid=abc").status_code == 200
    assert client.get("/docs?x=1").status_code == 200
