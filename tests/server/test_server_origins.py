"""Host and Origin checks (DNS rebinding, cross-site posts, CORS for trusted origins).

Exercised against a real ``proplens serve`` subprocess (keyword fake model);
the flag and environment parsing also in-process through ``main``.
"""

from __future__ import annotations

import httpx
import pytest

import proplens
from proplens.cli import main
from proplens.server.origins import HostRule, host_name, parse_allowed_host, split_env

from .conftest import ARTICLE
from .served import served

EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
FIREFOX = "moz-extension://0f4c2a1e-3b7d-4c55-9a1e-6f2b8d9c0e11"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store = tmp_path_factory.mktemp("origins") / "s.db"
    env = {"PROPLENS_TRUST_ORIGINS": f" {FIREFOX} ,", "PROPLENS_ALLOWED_HOSTS": "proplens.lan"}
    with served("--store", str(store), "--trust-origin", EXTENSION, env=env) as url:
        yield url


def stored(url: str) -> int:
    return httpx.get(f"{url}/v1/analyses").json()["total"]


def test_a_foreign_host_name_is_refused(server):
    answer = httpx.get(f"{server}/v1/analyses", headers={"Host": "attacker.example"})
    assert answer.status_code == 421
    assert answer.json()["error"] == "unknown_host"
    assert "--allowed-host" in answer.json()["message"]
    assert httpx.get(f"{server}/", headers={"Host": "attacker.example:8000"}).status_code == 421


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]", "LOCALHOST.", "proplens.lan"])
def test_loopback_names_and_configured_hosts_are_answered(server, host):
    port = server.rsplit(":", 1)[1]
    answer = httpx.get(f"{server}/v1/analyses", headers={"Host": f"{host}:{port}"})
    assert answer.status_code == 200, answer.text


def test_a_cross_origin_multipart_post_is_refused_and_not_stored(server):
    before = stored(server)
    answer = httpx.post(
        f"{server}/v1/analyze",
        files={"file": ("a.txt", ARTICLE.encode(), "text/plain")},
        headers={"Origin": "http://evil.example"},
    )
    assert answer.status_code == 403
    assert answer.json()["error"] == "cross_origin"
    assert "--trust-origin" in answer.json()["message"]
    assert "access-control-allow-origin" not in answer.headers
    assert stored(server) == before


def test_stored_analyses_are_not_read_by_other_origins(server):
    foreign = httpx.get(f"{server}/v1/analyses", headers={"Origin": "http://localhost:3000"})
    no_origin_but_cross_site = httpx.get(
        f"{server}/v1/analyses", headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert foreign.status_code == 403 and no_origin_but_cross_site.status_code == 403
    # harmless reads and the page itself stay open to links from anywhere
    assert httpx.get(f"{server}/healthz", headers={"Origin": "http://x.example"}).status_code == 200
    assert httpx.get(f"{server}/a/abc", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 200


def test_the_page_itself_and_curl_still_post(server):
    before = stored(server)
    same = httpx.post(
        f"{server}/v1/analyze",
        json={"text": ARTICLE},
        headers={"Origin": server, "Sec-Fetch-Site": "same-origin"},
    )
    plain = httpx.post(f"{server}/v1/analyze", json={"text": ARTICLE})
    assert same.status_code == 200 and plain.status_code == 200
    assert stored(server) == before + 2


@pytest.mark.parametrize("origin", [EXTENSION, FIREFOX])
def test_a_trusted_origin_gets_cors(server, origin):
    preflight = httpx.options(
        f"{server}/v1/analyze",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == origin
    assert "POST" in preflight.headers["access-control-allow-methods"]
    allowed = preflight.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed and "content-type" in allowed
    assert "origin" in preflight.headers["vary"].lower()
    answer = httpx.post(f"{server}/v1/analyze", json={"text": ARTICLE}, headers={"Origin": origin})
    assert answer.status_code == 200 and len(answer.json()["spans"]) == 3
    assert answer.headers["access-control-allow-origin"] == origin
    assert "origin" in answer.headers["vary"].lower()
    listed = httpx.get(f"{server}/v1/analyses", headers={"Origin": origin})
    assert listed.status_code == 200
    assert listed.headers["access-control-allow-origin"] == origin


def test_an_untrusted_preflight_is_refused(server):
    preflight = httpx.options(
        f"{server}/v1/analyze",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 403
    assert "access-control-allow-origin" not in preflight.headers


def test_a_server_off_loopback_takes_ip_literals_but_not_other_names():
    rule = HostRule.for_bind("0.0.0.0", ["proplens.lan"])
    assert rule.accepts("192.168.1.20") and rule.accepts("proplens.lan")
    assert rule.accepts("localhost") and not rule.accepts("attacker.example")
    loopback = HostRule.for_bind("127.0.0.1")
    assert not loopback.accepts("192.168.1.20") and loopback.accepts("127.0.0.2")
    assert HostRule.for_bind("127.0.0.1", ["*"]).accepts("anything.example")


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("localhost:8000", "localhost"),
        ("[::1]:8000", "::1"),
        ("Example.COM.", "example.com"),
        ("example.com:80x", None),
        ("[nonsense]:80", None),
        ("", None),
    ],
)
def test_host_header_names(header, name):
    assert host_name(header) == name


def test_environment_lists_are_comma_separated():
    assert split_env(" a, ,b ,") == ["a", "b"] and split_env(None) == []
    assert parse_allowed_host("[::1]") == "::1"


# -- bad values: one line, exit 2, no server -----------------------------------------------


@pytest.fixture
def started(monkeypatch, fake):
    from proplens.cli import serve

    calls = {}
    real_listen = serve.listen_socket
    monkeypatch.setattr(proplens, "load", lambda model_dir=None, threshold=None: fake)
    monkeypatch.setattr(
        serve, "run_server", lambda uvicorn, app, sock, limits: calls.update(app=app, limits=limits)
    )
    monkeypatch.setattr(serve, "listen_socket", lambda host, port: real_listen("127.0.0.1", 0))
    for name in ("PROPLENS_TRUST_ORIGINS", "PROPLENS_ALLOWED_HOSTS", "PROPLENS_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return calls


@pytest.mark.parametrize(
    ("argv", "env", "needle"),
    [
        (["--trust-origin", "chrome-extension://abc/popup.html"], {}, "is not an origin"),
        (["--trust-origin", "*"], {}, "is not an origin"),
        (["--trust-origin", "null"], {}, "is not an origin"),
        ([], {"PROPLENS_TRUST_ORIGINS": "example.com"}, "is not an origin"),
        (["--allowed-host", "http://example.com"], {}, "no scheme, port or path"),
        (["--allowed-host", "example.com:8000"], {}, "no scheme, port or path"),
        ([], {"PROPLENS_ALLOWED_HOSTS": "a b"}, "not a host name"),
    ],
)
def test_bad_values_are_one_line_and_exit_2(started, monkeypatch, capsys, argv, env, needle):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["serve", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err and "Traceback" not in err
    assert "app" not in started


def test_flags_and_environment_are_combined(started, monkeypatch):
    from fastapi.testclient import TestClient

    monkeypatch.setenv("PROPLENS_TRUST_ORIGINS", FIREFOX)
    assert main(["serve", "--trust-origin", EXTENSION + "/"]) == 0
    client = TestClient(started["app"], base_url="http://127.0.0.1:8000")
    for origin in (EXTENSION, FIREFOX):
        answer = client.post("/v1/analyze", json={"text": ARTICLE}, headers={"Origin": origin})
        assert answer.status_code == 200
        assert answer.headers["access-control-allow-origin"] == origin
    assert client.get("/healthz", headers={"Host": "evil.example"}).status_code == 421
