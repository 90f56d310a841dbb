"""Fetching a page: extraction, limits, and the refusals that guard a server.

Every request goes to a site on 127.0.0.1 started by the test; names that must
not resolve or must resolve elsewhere are answered by a patched resolver, so
nothing leaves this machine.
"""

from __future__ import annotations

import ipaddress
import shutil
import socket
import ssl
import subprocess

import pytest

pytest.importorskip("httpx", reason="fetching needs the 'url' extra (httpx)")
pytest.importorskip("trafilatura", reason="fetching needs the 'url' extra (trafilatura)")

from proplens.fetch import http as fetch_http  # noqa: E402
from proplens.fetch.addresses import is_public  # noqa: E402
from proplens.fetch.errors import FetchError  # noqa: E402
from proplens.fetch.http import FetchLimits, fetch_page  # noqa: E402
from proplens.fetch.page import article_from_url, url_id  # noqa: E402
from tests.fetch import pages  # noqa: E402
from tests.fetch.pages import serving_pages  # noqa: E402

LOCAL = FetchLimits(allow_private=True, timeout=2, total_timeout=10)


@pytest.fixture(scope="module")
def site():
    with serving_pages() as url:
        yield url


def kind_of(url: str, limits: FetchLimits = LOCAL) -> str:
    with pytest.raises(FetchError) as caught:
        article_from_url(url, limits)
    assert str(caught.value)  # every failure says what went wrong
    return caught.value.kind


def test_article_from_a_page_keeps_the_url_and_extracts_the_main_text(site):
    url = f"{site}/article.html"
    article = article_from_url(url, LOCAL)
    assert article.url == url
    assert article.id == "article"
    assert article.title == "Harbour deal passes"
    assert "so-called experts at the town hall" in article.text
    assert "four thousand names" in article.text
    assert "Sport" not in article.text and "All rights reserved" not in article.text


def test_redirects_are_followed_and_the_url_asked_for_is_kept(site):
    article = article_from_url(f"{site}/redirect", LOCAL)
    assert article.url == f"{site}/redirect"
    assert "disastrous plan" in article.text
    assert fetch_page(f"{site}/redirect", LOCAL).final_url == f"{site}/article.html"


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/missing", "http_status"),
        ("/plain.txt", "not_html"),
        ("/big.html", "too_large"),
        ("/chunked-big.html", "too_large"),
        ("/loop", "redirects"),
        ("/empty.html", "no_text"),
    ],
)
def test_each_failure_has_its_own_kind(site, path, kind):
    small = FetchLimits(allow_private=True, timeout=2, total_timeout=10, max_bytes=100_000)
    assert kind_of(f"{site}{path}", small) == kind


def test_a_page_that_does_not_answer_in_time_is_a_timeout(site):
    quick = FetchLimits(allow_private=True, timeout=0.5, total_timeout=5)
    assert kind_of(f"{site}/slow.html", quick) == "timeout"


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/a.html", "file:///etc/passwd", "http://", "http://user:pw@example.org/"],
)
def test_only_plain_http_and_https_urls(url):
    assert kind_of(url) == "bad_url"


def test_a_name_that_does_not_resolve_is_a_dns_error(monkeypatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    assert kind_of("http://no-such-host.invalid/") == "dns"


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.100.100.200",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fd00:ec2::254",
        "::ffff:127.0.0.1",
        "2002:7f00:1::",
        "ff02::1",
    ],
)
def test_non_public_addresses_are_not_public(address):
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::6810:85e5", "8.8.8.8"])
def test_public_addresses_are(address):
    assert is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",
        "http://localhost:9/",
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:9/",
        "http://[::ffff:127.0.0.1]:9/",
    ],
)
def test_the_guard_refuses_private_targets_before_connecting(url, monkeypatch):
    def no_connection(*args, **kwargs):
        raise AssertionError("a refused address must not be connected to")

    monkeypatch.setattr(fetch_http.httpx.Client, "send", no_connection)
    assert kind_of(url, FetchLimits()) == "refused_address"


def test_the_guard_refuses_a_name_with_any_private_address(monkeypatch):
    real = socket.getaddrinfo

    def two_answers(host, port, *args, **kwargs):
        if host == "mixed.test":
            return [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", two_answers)
    monkeypatch.setattr(fetch_http.httpx.Client, "send", lambda *a, **k: pytest.fail("sent"))
    assert kind_of("http://mixed.test/", FetchLimits()) == "refused_address"


@pytest.fixture
def public_test_host(monkeypatch):
    """``public.test`` resolves to the loopback site and counts as public; all else is real.

    This stands in for a public web site without leaving the machine, so the
    guard's checks after redirects can be exercised.
    """
    real_resolve, real_check = fetch_http.resolve, fetch_http.check_public

    def resolve(host, port):
        if host in ("public.test", "alias.test"):
            return [ipaddress.ip_address("127.0.0.1")]
        if host == "rebind.test":
            return [ipaddress.ip_address("10.0.0.9")]
        return real_resolve(host, port)

    def check_public(host, addresses):
        if host not in ("public.test", "alias.test"):
            real_check(host, addresses)

    monkeypatch.setattr(fetch_http, "resolve", resolve)
    monkeypatch.setattr(fetch_http, "check_public", check_public)


def test_connections_are_pinned_to_the_checked_address_and_keep_the_host_name(
    site, public_test_host
):
    port = site.rsplit(":", 1)[1]
    pages.seen_hosts.clear()
    article = article_from_url(f"http://public.test:{port}/article.html", FetchLimits())
    assert "disastrous plan" in article.text
    assert pages.seen_hosts == [f"public.test:{port}"]


@pytest.mark.parametrize(
    "target", ["http://127.0.0.1:{port}/article.html", "http://rebind.test:{port}/article.html"]
)
def test_every_redirect_is_checked_again(site, public_test_host, target):
    port = site.rsplit(":", 1)[1]
    start = f"http://public.test:{port}/to/{target.format(port=port)}"
    assert kind_of(start, FetchLimits()) == "refused_address"


def test_url_ids_are_readable():
    assert url_id("https://news.example/2026/11/harbour-deal.html?x=1#top") == "harbour-deal"
    assert url_id("https://news.example/") == "news-example"
    assert url_id("http://[::1]:8000/") == "1-8000"


@pytest.fixture(scope="module")
def https_site(tmp_path_factory):
    """The site over HTTPS with a self-signed certificate for ``public.test`` only."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is missing: cannot make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=public.test",
         "-addext", "subjectAltName=DNS:public.test"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with serving_pages(tls=context) as url:
        yield url, str(cert)


def test_https_connects_to_the_checked_address_and_verifies_the_host_name(
    https_site, public_test_host
):
    url, cert = https_site
    port = url.rsplit(":", 1)[1]
    limits = FetchLimits(ca_file=cert)
    article = article_from_url(f"https://public.test:{port}/article.html", limits)
    assert "disastrous plan" in article.text  # the certificate names public.test, not 127.0.0.1
    # the same address under another name: the certificate does not match, so no page
    assert kind_of(f"https://alias.test:{port}/article.html", limits) == "connect"
    assert kind_of(f"https://public.test:{port}/article.html", FetchLimits()) == "connect"
