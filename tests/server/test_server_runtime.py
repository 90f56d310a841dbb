"""The server as it runs: a real uvicorn, the `proplens serve` command, the real model."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

import proplens
from proplens.cli import main
from proplens.errors import ModelError
from proplens.server import create_app


def test_healthz_answers_while_a_long_analysis_runs(gated, serve, article_text):
    with serve(create_app(analyzer=gated)) as url, ThreadPoolExecutor(1) as pool:
        pending = pool.submit(
            httpx.post, f"{url}/v1/analyze", json={"text": article_text}, timeout=30
        )
        assert gated.entered.wait(timeout=10), "the analysis never started"
        health = httpx.get(f"{url}/healthz", timeout=10)
        page = httpx.get(f"{url}/", timeout=10)
        still_running = not pending.done()
        gated.release.set()
        answer = pending.result(timeout=30)
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert page.status_code == 200
    assert still_running
    assert answer.status_code == 200 and len(answer.json()["spans"]) == 3


def test_oversized_body_over_a_real_socket_is_413(fake, serve):
    with serve(create_app(analyzer=fake, max_bytes=10_000)) as url:
        answer = httpx.post(f"{url}/v1/analyze", json={"text": "a" * 50_000}, timeout=10)
    assert answer.status_code == 413
    assert answer.json()["error"] == "too_large"
    assert fake.calls == 0


@pytest.fixture
def captured(monkeypatch, fake):
    """Run `proplens serve` with the fake model, on a free port, without serving requests."""
    from proplens.cli import serve

    calls = {}
    real_listen = serve.listen_socket

    def listen(host, port):
        calls.update(host=host, port=port)
        return real_listen("127.0.0.1", 0)

    monkeypatch.setattr(proplens, "load", lambda model_dir=None, threshold=None: fake)
    monkeypatch.setattr(serve, "listen_socket", listen)
    monkeypatch.setattr(
        serve, "run_server", lambda uvicorn, app, sock, limits: calls.update(app=app, limits=limits)
    )
    return calls


def test_serve_binds_loopback_by_default(captured, capsys):
    assert main(["serve"]) == 0
    assert captured["host"] == "127.0.0.1" and captured["port"] == 8000
    assert captured["app"].state.store is None
    assert "proplens: serving on http://127.0.0.1:" in capsys.readouterr().out


def test_serve_options_reach_the_app(captured, tmp_path):
    assert (
        main(
            ["serve", "--host", "0.0.0.0", "--port", "9001", "--store", str(tmp_path / "a.db")]
            + ["--api-key", "k"]
        )
        == 0
    )
    assert captured["host"] == "0.0.0.0" and captured["port"] == 9001
    assert captured["app"].state.store.path == tmp_path / "a.db"


def test_serve_reports_a_missing_model_in_one_line(monkeypatch, capsys):
    def no_model(model_dir=None, threshold=None):
        raise ModelError("no model in /nowhere")

    monkeypatch.setattr(proplens, "load", no_model)
    assert main(["serve", "--model", "/nowhere"]) == 3
    err = capsys.readouterr().err
    assert err.strip() == "proplens: error: no model in /nowhere"


def test_serve_refuses_a_threshold_outside_0_1(captured, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--threshold", "1.5"])
    assert exit_info.value.code == 2
    assert "must be a number between 0 and 1, got 1.5" in capsys.readouterr().err
    assert "app" not in captured


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--port", "70000"], "not a valid port"),
        (["--store", "/no/such/dir/x.db"], "no such directory"),
        (["--max-bytes", "0"], "must be positive"),
    ],
)
def test_serve_refuses_bad_options(captured, capsys, argv, needle):
    assert main(["serve", *argv]) == 2
    assert needle in capsys.readouterr().err
    assert "app" not in captured


def test_real_model_through_the_api(real_analyzer, article_text):
    from fastapi.testclient import TestClient

    client = TestClient(create_app(analyzer=real_analyzer))
    doc = client.post("/v1/analyze", json={"text": article_text, "threshold": 0.0}).json()
    assert doc["text"] == article_text
    assert doc["model"] == {k: real_analyzer.card[k] for k in ("name", "version")}
    for span in doc["spans"]:
        assert article_text[span["start"] : span["end"]] == span["text"]
        assert 0.0 <= span["score"] <= 1.0
    direct = real_analyzer.analyze(article_text, threshold=0.0).spans
    assert [(s["start"], s["end"]) for s in doc["spans"]] == [(s.start, s.end) for s in direct]
    health = client.get("/healthz").json()
    assert health["threshold"] == real_analyzer.threshold
    card = real_analyzer.card
    assert health["model_version"] == f"{card['name']} {card['version']}"
