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
import re
import shutil
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
        popup = context.new_page()
        popup.goto(f"{ORIGIN}/popup.html?tab={tab_id}")
        popup.wait_for_selector("body[data-ready='true']")
        assert popup.inner_text("#count").startswith(f"{summary['shown']} fragments")
        sources = popup.inner_text("#sources")
        if summary["sources"]["available"]:  # the server has the sources extra
            claims = summary["sources"]["claims"]
            assert f"{claims} claim(s)" in sources and len(doc["claims"]) == claims
        else:
            assert sources == f"Sources and claims: {summary['sources']['note']}"
        popup.close()
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
        rows = popup.eval_on_selector_all(
            "#techniques li",
            "(rows) => rows.map((r) => [r.querySelector('.label').textContent,"
            " r.querySelector('.n').textContent])",
        )
        assert rows == [["Loaded language", "1"], ["Name calling, labeling", "1"], ["Slogans", "1"]]
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
        assert "draft note" not in doc["text"]  # hidden by the page's CSS: not sent
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


TIP_AND_MARK = """() => {
    const mark = document.activeElement.getBoundingClientRect();
    const tip = document.getElementById('proplens-tip').getBoundingClientRect();
    return {mark: [mark.left, mark.bottom], tip: [tip.left, tip.top], scrolled: scrollY};
}"""


def test_the_tooltip_sits_under_its_mark_on_a_page_with_a_positioned_body(browser, pages):
    """``body { position: relative }`` with margins: the tip used to be off by the body's offset."""
    context, worker = browser
    with served("--trust-origin", ORIGIN) as server:
        configure(worker, server)
        page, tab_id = open_tab(context, worker, f"{pages}/positioned.html")
        assert analyze(worker, tab_id)["shown"] == 3
        page.evaluate("window.scrollTo(0, 500)")
        page.focus("mark.proplens-frag")
        sync_api.expect(page.locator("#proplens-tip")).to_be_visible()
        at = page.evaluate(TIP_AND_MARK)
        page.close()
    assert at["scrolled"] > 100  # the scroll offsets count too (focus may scroll further)
    (mark_left, mark_bottom), (tip_left, tip_top) = at["mark"], at["tip"]
    assert abs(tip_left - mark_left) < 1 and abs(tip_top - (mark_bottom + 6)) < 1, at


def test_api_key_is_sent_and_errors_are_in_words(browser, pages, tmp_path):
    context, worker = browser
    page, tab_id = open_tab(context, worker, f"{pages}/news.html")
    with served("--trust-origin", ORIGIN, "--api-key", "s3cret-key") as server:
        configure(worker, server, "s3cret-key")
        assert analyze(worker, tab_id)["shown"] == 3  # the server needs the key: it was sent
        assert page.locator("mark.proplens-frag").count() > 0
        options = context.new_page()
        options.goto(f"{ORIGIN}/options.html")
        options.wait_for_selector("body[data-ready='true']")
        assert options.input_value("#server") == server
        assert options.inner_text("#command") == f"proplens serve --trust-origin {ORIGIN}"
        options.click("#test")
        sync_api.expect(options.locator("#result")).to_have_text(
            re.compile(rf"^Connected: proplens \S+ at {server}, API key accepted")
        )
        options.fill("#api-key", "not-the-key")
        options.click("#test")
        sync_api.expect(options.locator("#result")).to_contain_text("refused the API key (401)")
        options.close()
        configure(worker, server, "wrong")
        with pytest.raises(sync_api.Error, match=r"refused the API key \(401\)"):
            analyze(worker, tab_id)
        assert page.locator("mark.proplens-frag").count() == 0  # no stale highlights left
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
    options = context.new_page()
    options.goto(f"{ORIGIN}/options.html")
    options.wait_for_selector("body[data-ready='true']")
    options.click("#test")
    sync_api.expect(options.locator("#result")).to_have_text(
        f"no proplens server answers at {untrusting}. "
        f"Start it with: proplens serve --trust-origin {ORIGIN}"
    )
    options.close()
    # and the popup shows the same message for that tab
    popup = context.new_page()
    popup.goto(f"{ORIGIN}/popup.html?tab={tab_id}")
    popup.wait_for_selector("body[data-ready='true']")
    assert popup.inner_text("#status").startswith(f"no proplens server answers at {untrusting}")
    assert page.locator("mark.proplens-frag").count() == 0
    popup.close()
    page.close()


# Written for this test: an invented story, loaded on purpose, about 1,000 words in all.
LONG_STORY = [
    "The harbour sale has become the most bitter fight the island has seen in a generation. "
    "On one side stand the mayor and a developer from the mainland; on the other, the "
    "fishing families who have worked the old quay for a hundred years.",
    "Opponents call the deal a shameful betrayal of everything the island stands for. They say "
    "the so-called experts who wrote the council's report were paid to find the answer the "
    "mayor wanted, and that nobody asked the people who will lose their livelihoods.",
    "The mayor dismissed her critics as a noisy handful of troublemakers who would rather see "
    "the island die than change. Either we sell the harbour, she told the council, or we watch "
    "our young people leave on every ferry until nobody is left to turn out the lights.",
    "Every true islander knows what the harbour means to us, said the fishermen's "
    "association in a statement read outside the town hall. Our fathers built it with their own "
    "hands, and we will not let a reckless, greedy developer bulldoze their memory.",
    "The developer's spokesman said the company had been slandered by a campaign of lies. The "
    "new marina, he said, would bring hundreds of jobs, thousands of visitors and the best "
    "restaurants the island has ever had. It is simply the greatest opportunity in our history.",
    "Can we really trust a council that held its vote after midnight, when most residents were "
    "asleep? Councillor Ada Brandt asked the question three times during the debate and never "
    "received an answer. The minutes of the meeting were published a week late.",
    "Prices in the island shops have risen every month since the mainland company arrived, "
    "and some residents blame the developer for all of it. Economists at the regional "
    "university point to fuel costs, ferry fares and a poor tourist season instead.",
    "Clean harbour, free harbour! The slogan is painted on the sea wall, on banners across the "
    "main street and on the side of the old lifeboat station. Children chant it on the way to "
    "school. The mayor's office says the banners break the planning rules.",
]


def long_article(words: int = 1000) -> list[str]:
    paragraphs: list[str] = []
    i = 0
    while sum(len(p.split()) for p in paragraphs) < words:
        base = LONG_STORY[i % len(LONG_STORY)]
        paragraphs.append(base if i < len(LONG_STORY) else f"Later, in week {i // 8 + 1}: {base}")
        i += 1
    return paragraphs


@contextmanager
def real_served(*args: str):
    """``proplens serve`` with the shipped model on a free port; skips without a model."""
    log = tempfile.TemporaryFile(mode="w+")
    command = "import sys; from proplens.cli import main; sys.exit(main(sys.argv[1:]))"
    server = subprocess.Popen(
        [sys.executable, "-c", command, "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        line = ""
        for _ in range(5):
            line = server.stdout.readline()
            if "serving on" in line or not line:
                break
        if "serving on http://127.0.0.1:" not in line:
            server.wait(timeout=60)
            log.seek(0)
            pytest.skip(f"proplens serve with the shipped model did not start: {log.read()[-300:]}")
        url = "http://127.0.0.1:" + line.split("127.0.0.1:")[1].split("/")[0]
        _wait_until_answering(url)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
        server.stdout.close()
        log.close()


@pytest.mark.slow
def test_thousand_word_article_with_the_shipped_model(browser, tmp_path):
    """End to end with the real model: prints the time (target: under 2 s on this machine)."""
    context, worker = browser
    paragraphs = long_article()
    n_words = sum(len(p.split()) for p in paragraphs)
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    (tmp_path / "long.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<title>The harbour fight | The Island Courier</title>"
        "<style>body{font:17px/1.55 Georgia,serif;max-width:42rem;margin:2rem auto;color:#222}"
        "</style></head><body><header><a href='/'>The Island Courier</a></header>"
        f"<article><h1>The harbour fight</h1>{body}</article>"
        "<footer>Written for proplens's tests.</footer></body></html>",
        encoding="utf-8",
    )
    store = str(tmp_path / "s.db")
    with (
        real_served("--trust-origin", ORIGIN, "--store", store) as server,
        static_pages(tmp_path) as site,
    ):
        configure(worker, server)
        page, tab_id = open_tab(context, worker, f"{site}/long.html")
        analyze(worker, tab_id)  # once to warm up the model's first call
        worker.evaluate("(id) => proplens.clearTab(id)", tab_id)
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            summary = analyze(worker, tab_id)
            timings.append(time.perf_counter() - started)
            worker.evaluate("(id) => proplens.clearTab(id)", tab_id)
        summary = analyze(worker, tab_id)
        doc = stored(server, summary["analysisId"])
        assert len(doc["text"].split()) >= 1000 and n_words >= 1000
        for i, span in enumerate(doc["spans"]):
            if span["score"] >= summary["threshold"]:
                assert covered(page, i)["text"] == " ".join(span["text"].split())
        server_alone = []
        body = json.dumps({"text": doc["text"], "title": doc["title"], "threshold": 0.05})
        for _ in range(3):
            request = urllib.request.Request(
                f"{server}/v1/analyze",
                data=body.encode("utf-8"),
                headers={"Content-Type": "application/json"},
            )
            started = time.perf_counter()
            with urllib.request.urlopen(request) as answer:
                answer.read()
            server_alone.append(time.perf_counter() - started)
        print(
            f"\nthe server alone (same text, POST from Python): median "
            f"{sorted(server_alone)[1]:.2f} s"
        )
        print(
            f"extension end to end, {len(doc['text'].split())} words, shipped model, "
            f"{summary['shown']} fragments shown: "
            + ", ".join(f"{t:.2f} s" for t in timings)
            + f" (median {sorted(timings)[1]:.2f} s)"
        )
        assert sorted(timings)[1] < 30  # a sanity bound only; the target is 2 s
        popup = context.new_page()
        popup.goto(f"{ORIGIN}/popup.html?tab={tab_id}")
        popup.wait_for_selector("body[data-ready='true']")
        assert popup.inner_text("#count").startswith(f"{summary['shown']} fragments")
        sources = popup.inner_text("#sources")
        if summary["sources"]["available"]:  # the server has the sources extra
            claims = summary["sources"]["claims"]
            assert f"{claims} claim(s)" in sources and len(doc["claims"]) == claims
        else:
            assert sources == f"Sources and claims: {summary['sources']['note']}"
        popup.close()
        first = page.locator("mark.proplens-frag").first
        first.focus()
        page.evaluate("window.scrollTo(0, 0)")
        first.focus()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "extension-shipped-model.png"))
        page.close()
