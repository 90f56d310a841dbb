"""``POST /v1/analyze`` with ``{"url": ...}``: the server fetches the page, guarded."""

from __future__ import annotations

import sys

import pytest
from fastapi.testclient import TestClient

from proplens.server import create_app
from tests.fetch.pages import serving_pages

pytest.importorskip("httpx", reason="fetching needs the 'url' extra (httpx)")
pytest.importorskip("trafilatura", reason="fetching needs the 'url' extra (trafilatura)")


@pytest.fixture(scope="module")
def site():
    with serving_pages() as url:
        yield url


def test_a_url_is_fetched_and_analysed_keeping_the_url(fake, site, tmp_path):
    app = create_app(analyzer=fake, allow_private_urls=True, store_path=tmp_path / "s.db")
    with TestClient(app) as client:
        url = f"{site}/article.html"
        answer = client.post("/v1/analyze", json={"url": url, "threshold": 0.05})
        assert answer.status_code == 200, answer.text
        doc = answer.json()
        assert doc["url"] == url and doc["title"] == "Harbour deal passes"
        assert "so-called experts at the town hall" in doc["text"]
        assert {s["text"] for s in doc["spans"]} >= {"so-called experts", "disastrous"}
        assert all(doc["text"][s["start"] : s["end"]] == s["text"] for s in doc["spans"])
        stored = client.get(f"/v1/analyses/{doc['analysis_id']}").json()
        assert stored["url"] == url and stored["text"] == doc["text"]


def test_a_given_title_replaces_the_page_title(fake, site):
    with TestClient(create_app(analyzer=fake, allow_private_urls=True)) as client:
        answer = client.post("/v1/analyze", json={"url": f"{site}/article.html", "title": "Mine"})
    assert answer.json()["title"] == "Mine"


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/missing", "url_http_status"),
        ("/plain.txt", "url_not_html"),
        ("/loop", "url_redirects"),
        ("/empty.html", "url_no_text"),
    ],
)
def test_fetch_failures_are_422_with_their_kind(fake, site, path, kind):
    with TestClient(create_app(analyzer=fake, allow_private_urls=True)) as client:
        answer = client.post("/v1/analyze", json={"url": f"{site}{path}"})
    assert answer.status_code == 422
    assert answer.json()["error"] == kind and answer.json()["message"]
    assert fake.calls == 0


@pytest.mark.parametrize(
    "url",
    ["{site}/article.html", "http://localhost:{port}/article.html", "http://169.254.169.254/"],
)
def test_without_the_flag_private_addresses_are_refused(fake, site, url):
    port = site.rsplit(":", 1)[1]
    with TestClient(create_app(analyzer=fake)) as client:
        answer = client.post("/v1/analyze", json={"url": url.format(site=site, port=port)})
    assert answer.status_code == 422
    assert answer.json()["error"] == "url_refused_address"
    assert "non-public address" in answer.json()["message"]


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"url": "ftp://example.org/x"}, "only http:// and https://"),
        ({"text": "Some text.", "url": "http://example.org/"}, "exactly one of them"),
    ],
)
def test_bad_url_requests_are_422(fake, body, needle):
    with TestClient(create_app(analyzer=fake)) as client:
        answer = client.post("/v1/analyze", json=body)
    assert answer.status_code == 422 and needle in answer.json()["message"]


def test_a_missing_fetch_dependency_is_503_naming_it(fake, site, monkeypatch):
    # pip 23 (Python 3.11's) skipped lxml[html_clean], leaving trafilatura unimportable:
    # the answer names the missing package and the command that installs it, not a 500.
    monkeypatch.setitem(sys.modules, "lxml_html_clean", None)
    with TestClient(create_app(analyzer=fake, allow_private_urls=True)) as client:
        answer = client.post("/v1/analyze", json={"url": f"{site}/article.html"})
    assert answer.status_code == 503, answer.text
    message = answer.json()["message"]
    assert "lxml_html_clean" in message and "pip install -e '.[url]'" in message
