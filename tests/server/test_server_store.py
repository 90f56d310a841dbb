"""The SQLite store of analyses: roundtrip, paging, many writers, bad files."""

from __future__ import annotations

import json
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from proplens.errors import InputError
from proplens.server import create_app
from proplens.server.store import AnalysisStore


def doc(n: int) -> dict:
    text = f"Article number {n}\n\nSome disastrous text {n}."
    return {
        "schema_version": "1.0",
        "id": "article",
        "title": f"Article number {n}",
        "text": text,
        "spans": [
            {
                "start": 21,
                "end": 31,
                "technique": "Loaded_Language",
                "score": 0.9,
                "text": "disastrous",
            }
        ],
    }


@pytest.fixture
def client(fake, tmp_path) -> TestClient:
    return TestClient(create_app(analyzer=fake, store_path=tmp_path / "store.db"))


def test_api_roundtrip_gives_back_the_same_document(client, article_text):
    posted = client.post("/v1/analyze", json={"text": article_text}).json()
    assert posted["id"] == "article"  # the article id stays, as in SemEval lines
    assert posted["analysis_id"] not in ("", "article")
    fetched = client.get(f"/v1/analyses/{posted['analysis_id']}")
    assert fetched.status_code == 200
    assert fetched.json() == posted
    assert client.get("/healthz").json()["store"] is True


def test_an_upload_keeps_its_article_id_beside_the_analysis_id(client, article_text):
    files = {"file": ("article123.txt", article_text.encode(), "text/plain")}
    posted = client.post("/v1/analyze", files=files).json()
    assert posted["id"] == "123"
    assert client.get(f"/v1/analyses/{posted['analysis_id']}").json()["id"] == "123"


def test_rows_stored_before_analysis_id_existed_still_open(tmp_path):
    store = AnalysisStore(tmp_path / "s.db")
    old = {**doc(1), "id": "OldId123"}  # the first store format put the analysis id in "id"
    with sqlite3.connect(tmp_path / "s.db") as conn:
        conn.execute(
            "INSERT INTO analyses (id, created, title, n_spans, n_chars, doc) "
            "VALUES ('OldId123', '2026-01-01T00:00:00+00:00', 't', 1, 10, ?)",
            (json.dumps(old),),
        )
    assert store.get("OldId123") == {**old, "analysis_id": "OldId123"}


def test_unknown_and_malformed_ids_are_404(client):
    for bad in ("doesnotexist", "x" * 65, "a'b", "%2e%2e"):
        answer = client.get(f"/v1/analyses/{bad}")
        assert answer.status_code == 404, bad
        assert answer.json()["error"] == "not_found"


def test_paging_lists_newest_first_without_gaps(client):
    ids = [
        client.post("/v1/analyze", json={"text": f"Title {i}\nbody"}).json()["analysis_id"]
        for i in range(7)
    ]
    seen, offset = [], 0
    while offset is not None:
        page = client.get(f"/v1/analyses?limit=3&offset={offset}").json()
        assert page["total"] == 7 and len(page["items"]) <= 3
        seen += [item["analysis_id"] for item in page["items"]]
        offset = page["next_offset"]
    assert seen == ids[::-1]
    first = client.get("/v1/analyses?limit=1").json()["items"][0]
    assert first["title"] == "Title 6" and first["n_chars"] == len("Title 6\nbody")


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "offset=-1", "limit=abc"])
def test_bad_paging_parameters_are_422(client, query):
    answer = client.get(f"/v1/analyses?{query}")
    assert answer.status_code == 422
    assert answer.json()["message"].startswith(query.split("=")[0])


def test_store_survives_reopening(tmp_path):
    store = AnalysisStore(tmp_path / "s.db")
    stored = store.add(doc(1))
    store.close()
    again = AnalysisStore(tmp_path / "s.db")
    assert again.get(stored["analysis_id"]) == stored
    assert again.page(10, 0)[1] == 1
    assert sqlite3.connect(tmp_path / "s.db").execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_many_threads_writing_at_once_lose_nothing(tmp_path):
    store = AnalysisStore(tmp_path / "s.db")
    threads, per_thread = 16, 25
    barrier = threading.Barrier(threads)

    def write(worker: int) -> list[dict]:
        barrier.wait()
        return [store.add(doc(worker * 1000 + i)) for i in range(per_thread)]

    with ThreadPoolExecutor(threads) as pool:
        written = [d for batch in pool.map(write, range(threads)) for d in batch]
    items, total = store.page(limit=1000, offset=0)
    assert total == len(written) == threads * per_thread
    assert len({d["analysis_id"] for d in written}) == total
    for d in written:
        assert store.get(d["analysis_id"]) == d  # every record whole, none mixed up
    assert {i.title for i in items} == {d["title"] for d in written}


def test_concurrent_api_posts_are_all_stored(client):
    texts = [f"Headline {i}\nA disastrous plan number {i}." for i in range(40)]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda t: client.post("/v1/analyze", json={"text": t}), texts))
    assert all(a.status_code == 200 for a in answers)
    for text, answer in zip(texts, answers, strict=True):
        assert client.get(f"/v1/analyses/{answer.json()['analysis_id']}").json()["text"] == text
    assert client.get("/v1/analyses").json()["total"] == 40


def test_store_path_that_cannot_be_a_store_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        AnalysisStore(tmp_path)
    with pytest.raises(InputError, match="no such directory"):
        AnalysisStore(tmp_path / "missing" / "s.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(InputError, match="not usable as a SQLite store"):
        AnalysisStore(junk)
