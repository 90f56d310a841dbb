"""The browser extension in Debian's Chromium against a real ``proplens serve``.

The unpacked extension shipped in the package (``proplens extension --output``'s files)
is loaded into a headless Chromium; news pages written for these tests are served from
loopback; the analysis is started through the service worker's automation API
(``proplens.analyzeTab``), as docs/extension.md documents. The keyword fake model
(tests/server/fake_serve.py) makes the spans known in advance; the last test runs the
shipped model on a 1,000-word article and prints the time. Screenshots go to
test-artifacts/.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from proplens.extension import chromium_id, manifest

from .served import _wait_until_answering, served

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
PAGES = ROOT / "tests" / "fixtures" / "extension"
EXTENSION = Path(__import__("proplens").__file__).parent / "extension_build"
ORIGIN = f"chrome-extension://{chromium_id(manifest())}"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        shutil.which(CHROMIUM) is None,
        reason=f"{CHROMIUM} is missing (apt-get install chromium; CI installs it)",
    ),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is missing")

# (index -> covered text, pieces, parent elements) of the highlights carrying span `index`
COVERED = """(index) => {
    const marks = [...document.querySelectorAll('mark.proplens-frag')]
        .filter((m) => m.dataset.proplensSpans.split(' ').includes(String(index)));
    if (!marks.length) return null;
    const range = document.createRange();
    range.setStartBefore(marks[0]);
    range.setEndAfter(marks[marks.length - 1]);
    return {text: range.toString().replace(/\\s+/g, ' '), pieces: marks.length,
            parents: new Set(marks.map((m) => m.parentElement)).size};
}"""


@contextmanager
def static_pages(folder: Path):
    """Serve ``folder`` on a free loopback port; yield its URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def pages():
    with static_pages(PAGES) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """A persistent Chromium profile with the extension; yields (context, service worker)."""
    profile = tmp_path_factory.mktemp("profile")
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            viewport={"width": 1100, "height": 850},
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--disable-extensions-except={EXTENSION}",
                f"--load-extension={EXTENSION}",
            ],
        )
        worker = (
            context.service_workers[0]
            if context.service_workers
            else context.wait_for_event("serviceworker", timeout=20000)
        )
        assert worker.url == f"{ORIGIN}/background.js"
        yield context, worker
        context.close()


def configure(worker, server: str, api_key: str = "") -> None:
    worker.evaluate(
        "([server, apiKey]) => chrome.storage.local.set({server, apiKey})", [server, api_key]
    )


def open_tab(context, worker, url: str):
    page = context.new_page()
    page.goto(url)
    tab_id = worker.evaluate(
        "async (url) => (await chrome.tabs.query({url}))[0].id", page.url.split("#")[0]
    )
    return page, tab_id


def analyze(worker, tab_id: int) -> dict:
    return worker.evaluate("(id) => proplens.analyzeTab(id)", tab_id)


def stored(server: str, analysis_id: str) -> dict:
    with urllib.request.urlopen(f"{server}/v1/analyses/{analysis_id}") as answer:
        return json.load(answer)


def covered(page, index: int) -> dict | None:
    return page.evaluate(COVERED, index)


def test_news_page_highlights_explains_summarises_and_clears(browser, pages, tmp_path):
    context, worker = browser
    with served("--trust-origin", ORIGIN, "--store", str(tmp_path / "store.db")) as server:
        configure(worker, server)
        page, tab_id = open_tab(context, worker, f"{pages}/news.html")
        before = page.evaluate("document.documentElement.outerHTML")

        summary = analyze(worker, tab_id)
        doc = stored(server, summary["analysisId"])
        # Readability's article: the story's paragraphs; its headline becomes the title
        assert doc["title"] == "Harbour plan splits the council"
        assert doc["text"].startswith("The council voted on Tuesday to sell the old harbour")
        assert doc["text"].endswith("comments to the board until 15 January.")
        assert "Island Courier" not in doc["text"]  # header and footer are not the article
        shown = {i: s for i, s in enumerate(doc["spans"]) if s["score"] >= 0.5}
        hidden = {i: s for i, s in enumerate(doc["spans"]) if s["score"] < 0.5}
        assert {s["text"] for s in shown.values()} == {
            "disastrous",
            "so-called experts",
            "never again",
        }
        for i, span in shown.items():
            found = covered(page, i)
            assert found is not None and found["text"] == span["text"], (i, span, found)
        for i in hidden:
            assert covered(page, i) is None
        # "so-called experts" crosses the end of a link: two pieces in two elements
        crossing = next(i for i, s in shown.items() if s["text"] == "so-called experts")
        assert covered(page, crossing)["parents"] == 2
        assert page.evaluate(
            "document.querySelector('a[href=\"/people/hendry\"]').textContent"
        ) == ("so-called")
        first = page.locator("mark.proplens-frag").first
        assert first.get_attribute("data-proplens-technique") == "Loaded_Language"
        assert first.get_attribute("data-proplens-score") == "0.90"
        assert summary["shown"] == 3 and summary["threshold"] == 0.5

        # keyboard: Tab reaches a highlight, and the tooltip explains it
        page.focus("a[href='/people/hendry']")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.matches('mark.proplens-frag')")
        tip = page.locator("#proplens-tip")
        sync_api.expect(tip).to_be_visible()
        assert "Name calling, labeling" in tip.inner_text()
        assert "score 0.70" in tip.inner_text()
        assert "label does the arguing" in tip.inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "extension-news.png"))

        # the popup, opened for that tab
        popup = context.new_page()
        popup.goto(f"{ORIGIN}/popup.html?tab={tab_id}")
        popup.wait_for_selector("body[data-ready='true']")
        assert popup.inner_text("#count").startswith("3 fragments at confidence ≥ 0.50")
        rows = popup.locator("#techniques li")
        assert rows.all_inner_texts() == [
            "Loaded language\n1",
            "Name calling, labeling\n1",
            "Slogans\n1",
        ] or [r.replace("\t", "\n") for r in rows.all_inner_texts()] == [
            "Loaded language\n1",
            "Name calling, labeling\n1",
            "Slogans\n1",
        ]
        link = popup.get_attribute("#link", "href")
        assert link == f"{server}/a/{summary['analysisId']}?t=0.5"
        assert "sources" in popup.inner_text("#sources").lower()  # the server's note (none here)

        # the slider shows the low-scoring spans without a new analysis
        popup.eval_on_selector(
            "#threshold",
            "(el) => { el.value = '0.1'; el.dispatchEvent(new Event('input', {bubbles: true})); }",
        )
        sync_api.expect(popup.locator("#count")).to_contain_text(
            f"{len(doc['spans'])} fragments at confidence ≥ 0.10"
        )
        assert len(hidden) == 2
        for i, span in hidden.items():
            assert covered(page, i)["text"] == span["text"]

        # clear: the page's DOM exactly as before
        popup.click("#clear")
        sync_api.expect(popup.locator("#status")).to_have_text("Highlights removed.")
        assert page.evaluate("document.documentElement.outerHTML") == before
        assert worker.evaluate("(id) => proplens.clearTab(id)", tab_id) == {"cleared": False}
        popup.close()
        page.close()


def test_other_layout_is_highlighted_only_in_the_article(browser, pages, tmp_path):
    context, worker = browser
    with served("--trust-origin", ORIGIN, "--store", str(tmp_path / "store.db")) as server:
        configure(worker, server)
        page, tab_id = open_tab(context, worker, f"{pages}/layout.html")
        before = page.evaluate("document.body.innerHTML")
        summary = analyze(worker, tab_id)
        doc = stored(server, summary["analysisId"])
        assert "Most read" not in doc["text"] and "newsletter" not in doc["text"]
        where = page.evaluate(
            """() => [...document.querySelectorAll('mark.proplens-frag')].map((m) =>
                m.closest('aside') ? 'aside' : m.closest('li') ? 'list'
                : m.closest('blockquote') ? 'quote' : 'text')"""
        )
        assert "aside" not in where
        assert where.count("list") == 2 and where.count("quote") == 1
        for i, span in enumerate(doc["spans"]):
            if span["score"] >= 0.5:
                assert covered(page, i)["text"] == span["text"]
        assert worker.evaluate("(id) => proplens.clearTab(id)", tab_id) == {"cleared": True}
        assert page.evaluate("document.body.innerHTML") == before
        page.close()


def test_api_key_is_sent_and_errors_are_in_words(browser, pages, tmp_path):
    context, worker = browser
    page, tab_id = open_tab(context, worker, f"{pages}/news.html")
    with served("--trust-origin", ORIGIN, "--api-key", "s3cret-key") as server:
        configure(worker, server, "s3cret-key")
        assert analyze(worker, tab_id)["shown"] == 3  # the server needs the key: it was sent
        worker.evaluate("(id) => proplens.clearTab(id)", tab_id)
        configure(worker, server, "wrong")
        with pytest.raises(sync_api.Error, match=r"refused the API key \(401\)"):
            analyze(worker, tab_id)
        configure(worker, server, "")
        with pytest.raises(sync_api.Error, match=r"needs an API key \(401\)"):
            analyze(worker, tab_id)
    with served() as untrusting:  # started without --trust-origin
        configure(worker, untrusting)
        with pytest.raises(
            sync_api.Error, match=rf"refused this extension \(403.*--trust-origin {ORIGIN}"
        ):
            analyze(worker, tab_id)
    # the server above is stopped now: nothing answers on its port
    with pytest.raises(sync_api.Error) as stopped:
        analyze(worker, tab_id)
    assert (
        f"no proplens server answers at {untrusting}. "
        f"Start it with: proplens serve --trust-origin {ORIGIN}"
    ) in str(stopped.value)
    # and the popup shows the same message for that tab
    popup = context.new_page()
    popup.goto(f"{ORIGIN}/popup.html?tab={tab_id}")
    popup.wait_for_selector("body[data-ready='true']")
    assert popup.inner_text("#status").startswith(f"no proplens server answers at {untrusting}")
    assert page.locator("mark.proplens-frag").count() == 0
    popup.close()
    page.close()
