"""The API key for a server reachable from the network, and how `proplens serve` starts."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest
from fastapi.testclient import TestClient

import proplens
from proplens.cli import main
from proplens.server import auth, create_app

KEY = "s3cret-key"
GUARDED = [
    ("post", "/v1/analyze", {"json": {"text": "A disastrous plan."}}),
    ("get", "/v1/analyses", {}),
    ("get", "/v1/analyses/abc", {}),
]
OPEN = ["/", "/a/abc", "/static/app.js", "/healthz", "/v1/techniques", "/favicon.ico", "/docs",
        "/redoc", "/openapi.json"]  # fmt: skip


@pytest.fixture
def keyed(fake, tmp_path) -> TestClient:
    return TestClient(create_app(analyzer=fake, store_path=tmp_path / "s.db", api_key=KEY))


@pytest.mark.parametrize(("method", "path", "body"), GUARDED)
@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic czNjcmV0LWtleQ==", "Bearer"])
def test_guarded_routes_answer_401_json_without_the_right_key(keyed, method, path, body, header):
    headers = {"Authorization": header} if header else {}
    answer = getattr(keyed, method)(path, headers=headers, **body)
    assert answer.status_code == 401
    assert answer.json()["error"] == "unauthorized"
    assert "API key" in answer.json()["message"]
    assert answer.headers["www-authenticate"] == "Bearer"


def test_the_right_key_opens_them(keyed, fake):
    headers = {"Authorization": f"Bearer {KEY}"}
    doc = keyed.post("/v1/analyze", json={"text": "A disastrous plan."}, headers=headers).json()
    assert doc["spans"] and fake.calls == 1
    listed = keyed.get("/v1/analyses", headers=headers).json()
    assert listed["items"][0]["analysis_id"] == doc["analysis_id"]
    again = keyed.get(f"/v1/analyses/{doc['analysis_id']}", headers=headers)
    assert again.status_code == 200 and again.json()["text"] == "A disastrous plan."


@pytest.mark.parametrize("path", OPEN)
def test_page_assets_health_and_docs_stay_open(keyed, path):
    assert keyed.get(path).status_code == 200


def test_health_tells_the_page_that_a_key_is_needed(fake, keyed):
    assert keyed.get("/healthz").json()["auth"] is True
    assert TestClient(create_app(analyzer=fake)).get("/healthz").json()["auth"] is False


def test_without_a_key_nothing_is_guarded(fake):
    client = TestClient(create_app(analyzer=fake))
    assert client.post("/v1/analyze", json={"text": "A disastrous plan."}).status_code == 200


def test_the_key_is_compared_in_constant_time(keyed, monkeypatch):
    seen = []
    real = auth.hmac.compare_digest
    monkeypatch.setattr(auth.hmac, "compare_digest", lambda a, b: seen.append((a, b)) or real(a, b))
    keyed.get("/v1/analyses", headers={"Authorization": "Bearer nope"})
    assert seen == [(b"nope", KEY.encode())]


def test_openapi_documents_the_bearer_scheme(keyed):
    spec = keyed.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert spec["paths"]["/v1/analyze"]["post"]["security"] == [{"HTTPBearer": []}]


# -- proplens serve ---------------------------------------------------------------------


@pytest.fixture
def started(monkeypatch, fake):
    """`proplens serve` with the fake model on a free port; records the app instead of serving."""
    from proplens.cli import serve

    calls = {}
    real_listen = serve.listen_socket
    monkeypatch.setattr(proplens, "load", lambda model_dir=None, threshold=None: fake)
    monkeypatch.setattr(serve, "listen_socket", lambda host, port: real_listen("127.0.0.1", 0))
    monkeypatch.setattr(
        serve, "run_server", lambda uvicorn, app, sock, limits: calls.update(app=app, limits=limits)
    )
    monkeypatch.delenv("PROPLENS_API_KEY", raising=False)
    return calls


def test_a_store_off_loopback_needs_a_key_or_insecure(started, capsys, tmp_path):
    store = str(tmp_path / "s.db")
    assert main(["serve", "--host", "0.0.0.0", "--store", store]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--api-key" in err and "--insecure" in err
    assert "app" not in started
    assert main(["serve", "--host", "0.0.0.0", "--store", store, "--insecure"]) == 0
    assert started["app"].state.store is not None


def test_the_key_can_come_from_the_environment(started, monkeypatch, tmp_path):
    monkeypatch.setenv("PROPLENS_API_KEY", KEY)
    assert main(["serve", "--host", "0.0.0.0", "--store", str(tmp_path / "s.db")]) == 0
    client = TestClient(started["app"], base_url="http://127.0.0.1:8000")  # Host rule
    assert client.get("/v1/analyses").status_code == 401
    assert client.get("/v1/analyses", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200


def test_loopback_with_a_store_needs_no_key(started, tmp_path):
    assert main(["serve", "--host", "localhost", "--store", str(tmp_path / "s.db")]) == 0


def test_an_empty_key_is_refused(started, capsys):
    assert main(["serve", "--api-key", " "]) == 2
    assert "API key is empty" in capsys.readouterr().err


def test_a_port_in_use_is_one_line_and_exit_2(monkeypatch, fake, capsys):
    monkeypatch.setattr(proplens, "load", lambda model_dir=None, threshold=None: fake)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["serve", "--port", str(port)])
    out, err = capsys.readouterr()
    assert code == 2 and "serving on" not in out
    assert err == f"proplens: error: port {port} is in use; choose another with --port\n"
    assert fake.calls == 0


def test_serving_on_is_printed_once_the_socket_accepts_connections(tmp_path):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "proplens", "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
    )  # fmt: skip
    try:
        line = server.stdout.readline()
        assert line.startswith("proplens: serving on http://127.0.0.1:"), line
        port = int(line.split("127.0.0.1:")[1].split("/")[0])
        assert port > 0
        deadline = time.monotonic() + 20
        while True:  # the socket accepts at once; uvicorn answers once its loop runs
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except httpx.ReadError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert answer.status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=20)
