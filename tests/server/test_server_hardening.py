"""The API under abuse (issue 24, items 6, 7, 10): paging overflow, a full disk under the
store, huge titles, strict request models, NaN thresholds, URLs with credentials."""

from __future__ import annotations

import errno
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

import proplens
from proplens.server import create_app
from proplens.server.store import AnalysisStore
from tests.fullfs import fill, small_tmpfs

ARTICLE = "Council plan\n\nThe so-called experts backed a disastrous plan."


@pytest.fixture
def client(fake, tmp_path) -> TestClient:
    return TestClient(
        create_app(analyzer=fake, store_path=tmp_path / "store.db", max_bytes=3_000_000)
    )


# -- item 6: paging ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["offset=9223372036854775808", "limit=9223372036854775808", "offset=1e3"]
)
def test_paging_numbers_sqlite_cannot_hold_are_422_not_500(client, query):
    answer = client.get(f"/v1/analyses?{query}")
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "invalid_request"
    assert answer.json()["message"].startswith(query.split("=")[0])


def test_the_largest_offset_sqlite_holds_is_an_empty_last_page(client):
    client.post("/v1/analyze", json={"text": ARTICLE})
    page = client.get("/v1/analyses?offset=9223372036854775807").json()
    assert page["items"] == [] and page["total"] == 1 and page["next_offset"] is None


# -- item 6: a full disk under the store -----------------------------------------------------


def _refuse_writes(monkeypatch, error: Exception) -> None:
    def refuse(self, row):
        raise error

    monkeypatch.setattr(AnalysisStore, "_insert", refuse)


@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        sqlite3.OperationalError("database or disk is full"),
    ],
    ids=["ENOSPC", "SQLITE_FULL"],
)
def test_full_disk_under_the_store_answers_507_with_the_analysis(
    fake, tmp_path, monkeypatch, error
):
    if isinstance(error, sqlite3.Error):
        error.sqlite_errorcode = sqlite3.SQLITE_FULL  # as sqlite3 sets it on a real full disk
    client = TestClient(create_app(analyzer=fake, store_path=tmp_path / "store.db"))
    without_store = TestClient(create_app(analyzer=fake)).post(
        "/v1/analyze", json={"text": ARTICLE}
    )
    _refuse_writes(monkeypatch, error)
    answer = client.post("/v1/analyze", json={"text": ARTICLE})
    assert answer.status_code == 507
    body = answer.json()
    assert body["error"] == "not_stored" and "disk" in body["message"] and "full" in body["message"]
    analysis = {k: v for k, v in body.items() if k not in ("error", "message")}
    assert analysis == without_store.json()  # the whole analysis, just not stored
    assert "analysis_id" not in body
    monkeypatch.undo()
    assert client.get("/v1/analyses").json()["total"] == 0


def test_other_store_write_failures_answer_503_with_the_analysis(fake, tmp_path, monkeypatch):
    client = TestClient(create_app(analyzer=fake, store_path=tmp_path / "store.db"))
    _refuse_writes(monkeypatch, sqlite3.OperationalError("attempt to write a readonly database"))
    answer = client.post("/v1/analyze", json={"text": ARTICLE})
    assert answer.status_code == 503
    assert answer.json()["error"] == "not_stored" and answer.json()["spans"]
    assert "readonly" in answer.json()["message"]


def test_a_really_full_tmpfs_under_the_store_answers_507(fake, tmp_path, serve):
    with small_tmpfs(tmp_path / "disk", size_kib=4096) as disk:
        app = create_app(analyzer=fake, store_path=disk / "store.db")
        with serve(app) as url:
            first = httpx.post(f"{url}/v1/analyze", json={"text": ARTICLE}, timeout=30)
            assert first.status_code == 200 and first.json()["analysis_id"]
            fill(disk)
            big = ARTICLE + " Residents said the disastrous plan failed." * 20_000  # ~900 KB
            body = {"text": big, "sources": False}  # a larger WAL than the first write left
            answer = httpx.post(f"{url}/v1/analyze", json=body, timeout=60)
            assert answer.status_code == 507, answer.text[:300]
            body = answer.json()
            assert body["error"] == "not_stored" and body["text"] == big
            assert len(body["spans"]) > 20_000
            listing = httpx.get(f"{url}/v1/analyses", timeout=30)
            assert listing.status_code == 200 and listing.json()["total"] == 1


# -- item 6: titles ---------------------------------------------------------------------

TITLE_CHARS = 200


def test_listing_of_huge_one_line_posts_stays_small(client):
    line = " ".join(f"word{i}" for i in range(200_000))[:2_000_000]  # one 2 MB line: the title
    for _ in range(3):
        body = {"text": line, "sources": False}
        assert client.post("/v1/analyze", json=body).status_code == 200
    listing = client.get("/v1/analyses?limit=10")
    assert len(listing.content) < 3 * TITLE_CHARS * 4 + 2_000
    for item in listing.json()["items"]:
        assert len(item["title"]) <= TITLE_CHARS and item["title"].endswith("…")
        assert line.startswith(item["title"][:-1])
        assert not item["title"][:-1].endswith("wor")  # cut between words, not inside one


def test_titles_stored_before_the_cap_are_listed_short(tmp_path):
    store = AnalysisStore(tmp_path / "s.db")
    with sqlite3.connect(tmp_path / "s.db") as conn:
        conn.execute(
            "INSERT INTO analyses (id, created, title, n_spans, n_chars, doc) "
            "VALUES ('old', '2026-01-01T00:00:00+00:00', ?, 0, 1, '{}')",
            ("y" * 50_000,),
        )
    [item], _ = store.page(10, 0)
    assert item.title == "y" * (TITLE_CHARS - 1) + "…"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Short title", "Short title"),
        ("a" * TITLE_CHARS, "a" * TITLE_CHARS),
        ("word " * 100, ("word " * 39).rstrip() + "…"),
        ("x" * 150 + " " + "y" * 100, "x" * 150 + "…"),
        ("z" * 300, "z" * (TITLE_CHARS - 1) + "…"),
    ],
)
def test_short_title_cuts_at_a_word_with_an_ellipsis(title, expected):
    from proplens.server.store import short_title

    assert short_title(title) == expected


# -- item 7: strict request models ------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/analyze", {"text": ARTICLE, "threshhold": 0.9}, "threshhold"),
        ("/v1/analyze", {"url": "https://example.org/", "verbose": True}, "verbose"),
        ("/v1/sources", {"text": ARTICLE, "extra": 1}, "extra"),
        ("/v1/compare", {"a": ARTICLE, "b": ARTICLE, "treshold": 0.2}, "treshold"),
    ],
)
def test_unknown_fields_are_422_naming_the_field(fake, path, body, field):
    client = TestClient(create_app(analyzer=fake))
    answer = client.post(path, json=body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["message"].startswith(f"{field}: unknown field")
    assert fake.calls == 0


@pytest.mark.parametrize(
    ("path", "files", "field"),
    [
        ("/v1/analyze", {"file": ("a.txt", ARTICLE.encode(), "text/plain")}, "threshhold"),
        (
            "/v1/compare",
            {
                "a": ("a.txt", ARTICLE.encode(), "text/plain"),
                "b": ("b.txt", ARTICLE.encode(), "text/plain"),
            },
            "threshhold",
        ),
    ],
)
def test_unknown_form_fields_are_422_too(fake, path, files, field):
    client = TestClient(create_app(analyzer=fake))
    answer = client.post(path, files=files, data={field: "0.9"})
    assert answer.status_code == 422
    assert answer.json()["message"].startswith(f"{field}: unknown field")


@pytest.mark.parametrize(
    "body",
    [
        {"text": ARTICLE, "threshold": True},
        {"text": ARTICLE, "threshold": "0.5"},
        {"text": ARTICLE, "sources": "yes"},
        {"text": ARTICLE, "title": 7},
    ],
)
def test_no_coercion_in_request_fields(fake, body):
    answer = TestClient(create_app(analyzer=fake)).post("/v1/analyze", json=body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["message"].split(":")[0] in body
    assert fake.calls == 0


def test_a_boolean_threshold_is_refused_by_compare_too(fake):
    body = {"a": ARTICLE, "b": ARTICLE, "threshold": True}
    answer = TestClient(create_app(analyzer=fake)).post("/v1/compare", json=body)
    assert answer.status_code == 422 and answer.json()["message"].startswith("threshold")


def test_an_integer_threshold_is_still_a_number(fake):
    answer = TestClient(create_app(analyzer=fake)).post(
        "/v1/analyze", json={"text": ARTICLE, "threshold": 1}
    )
    assert answer.status_code == 200 and answer.json()["spans"] == []


# -- items 7 and 10: NaN and infinite thresholds ---------------------------------------------


@pytest.mark.parametrize(
    ("raw", "why"), [("NaN", "not a number"), ("Infinity", "infinite"), ("-Infinity", "infinite")]
)
@pytest.mark.parametrize("path", ["/v1/analyze", "/v1/compare"])
def test_nan_and_infinite_json_thresholds_are_422_saying_so(fake, path, raw, why):
    text = '"text": "Some disastrous text."' if path == "/v1/analyze" else '"a": "x", "b": "y"'
    answer = TestClient(create_app(analyzer=fake)).post(
        path,
        content=f'{{{text}, "threshold": {raw}}}'.encode(),
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 422
    message = answer.json()["message"]
    assert message.startswith("threshold: must be a number between 0 and 1")
    assert why in message and "less than or equal" not in message


@pytest.mark.parametrize("path", ["/v1/analyze", "/v1/compare"])
def test_a_nan_form_threshold_is_not_a_number(fake, path):
    names = ("file",) if path == "/v1/analyze" else ("a", "b")
    files = {name: (f"{name}.txt", ARTICLE.encode(), "text/plain") for name in names}
    answer = TestClient(create_app(analyzer=fake)).post(
        path, files=files, data={"threshold": "nan"}
    )
    assert answer.status_code == 422
    message = answer.json()["message"]
    assert message == "threshold: must be a number between 0 and 1, got nan (not a number)"


def test_openapi_still_documents_the_threshold_range(fake):
    schema = TestClient(create_app(analyzer=fake)).get("/openapi.json").json()
    body = schema["paths"]["/v1/analyze"]["post"]["requestBody"]["content"]["application/json"]
    threshold = body["schema"]["properties"]["threshold"]
    assert threshold["minimum"] == 0 and threshold["maximum"] == 1
    assert body["schema"]["additionalProperties"] is False


# -- item 10: URL refusals ----------------------------------------------------------------


def test_refused_url_with_credentials_is_echoed_without_them(fake):
    client = TestClient(create_app(analyzer=fake))
    answer = client.post("/v1/analyze", json={"url": "http://alice:s3cret@example.org/news"})
    assert answer.status_code == 422
    message = answer.json()["message"]
    assert "http://***@example.org/news" in message
    assert "s3cret" not in answer.text and "alice" not in answer.text


def test_private_address_refusal_names_the_flag_that_allows_it(fake):
    pytest.importorskip("httpx", reason="fetching needs the 'url' extra")
    client = TestClient(create_app(analyzer=fake))
    answer = client.post("/v1/analyze", json={"url": "http://127.0.0.1:9/x.html"})
    assert answer.json()["error"] == "url_refused_address"
    assert "--allow-private-urls" in answer.json()["message"]


# -- the same against a real `proplens serve` process ----------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, child: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert child.poll() is None, child.stdout.read()
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.3)
    raise AssertionError("proplens serve did not start in time")


@pytest.mark.slow
def test_a_real_proplens_serve_refuses_bad_requests_and_keeps_analyses_on_a_full_disk(
    tmp_path, article_text
):
    src = str(Path(proplens.__file__).resolve().parents[1])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]))
    with small_tmpfs(tmp_path / "disk", size_kib=8192) as disk:
        port = _free_port()
        args = ["serve", "--port", str(port), "--store", str(disk / "store.db"), "--no-sources"]
        child = subprocess.Popen(
            [sys.executable, "-m", "proplens", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(url, child)
            first = httpx.post(f"{url}/v1/analyze", json={"text": article_text}, timeout=120)
            assert first.status_code == 200 and first.json()["analysis_id"]
            typo = {"text": article_text, "threshhold": 0.9}
            answer = httpx.post(f"{url}/v1/analyze", json=typo, timeout=60)
            assert answer.status_code == 422
            assert answer.json()["message"].startswith("threshhold: unknown field")
            answer = httpx.get(f"{url}/v1/analyses?offset=9223372036854775808", timeout=30)
            assert answer.status_code == 422 and answer.json()["message"].startswith("offset")

            fill(disk)
            answer = httpx.post(f"{url}/v1/analyze", json={"text": article_text}, timeout=120)
            assert answer.status_code == 507, answer.text[:300]
            body = answer.json()
            assert body["error"] == "not_stored" and "full" in body["message"]
            assert body["spans"] == first.json()["spans"] and body["text"] == article_text
            listing = httpx.get(f"{url}/v1/analyses", timeout=30).json()
            assert listing["total"] == 1
        finally:
            child.terminate()
            child.wait(timeout=30)
