"""The web page in a real headless Chromium against a real uvicorn server.

Needs Debian's chromium at /usr/bin/chromium (CI installs it) and the Python
``playwright`` package; never runs ``playwright install``. Screenshots go to
test-artifacts/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import json
import re
import shutil
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import proplens
from proplens.server import create_app

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "harbour-deal.txt"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOSTILE = (
    "<script>window.__pwned=1</script> headline\n"
    "\n"
    'A quote "><img src=x onerror="window.__pwned=2"> from disastrous sources.\n'
    "<b>bold</b> & <i>never again</i>.\n"
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        shutil.which(CHROMIUM) is None,
        reason=f"{CHROMIUM} is missing (apt-get install chromium; CI installs it)",
    ),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is missing")


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(fake, serve, tmp_path):
    with serve(create_app(analyzer=fake, store_path=tmp_path / "store.db")) as url:
        yield url


def stored(url: str, analysis_id: str) -> dict:
    with urllib.request.urlopen(f"{url}/v1/analyses/{analysis_id}") as answer:
        return json.load(answer)


def analyze_on_page(page, text: str) -> None:
    page.fill("#text", text)
    page.click("#analyze")
    sync_api.expect(page.locator("#status")).to_have_text(re.compile(r"^Done"))


def shown(page) -> dict[int, str]:
    """Span index -> the text of all highlighted pieces carrying it, in page order."""
    return page.evaluate(
        """() => {
            const out = {};
            for (const m of document.querySelectorAll('#article mark.frag'))
                for (const i of m.dataset.spans.split(' '))
                    out[i] = (out[i] || '') + m.textContent;
            return out;
        }"""
    )


def set_slider(page, value: float) -> None:
    page.eval_on_selector(
        "#threshold",
        "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }",
        str(value),
    )


def test_page_highlights_filters_and_explains(browser, site, article_text):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    analyze_requests = []
    page.on("request", lambda r: "/v1/analyze" in r.url and analyze_requests.append(r.url))
    page.goto(site)
    page.wait_for_selector("body[data-ready='true']")
    assert page.input_value("#threshold") == "0.5"  # the model's default, from /healthz
    footer = page.inner_text("footer")
    assert f"proplens {proplens.__version__}, model fake 0" in footer

    analyze_on_page(page, article_text)
    analysis_id = page.evaluate("location.pathname").removeprefix("/a/")
    doc = stored(site, analysis_id)
    assert doc["text"] == article_text

    def expected(threshold: float) -> dict[str, str]:
        return {str(i): s["text"] for i, s in enumerate(doc["spans"]) if s["score"] >= threshold}

    assert shown(page) == expected(0.5) and len(expected(0.5)) == 3
    legend = page.inner_text("#legend")
    assert "Loaded language" in legend and "Slogans" in legend

    # keyboard: the first fragment takes focus and shows technique, definition, confidence
    page.focus("#text")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('mark.frag')"):
            break
    assert page.evaluate("document.activeElement.matches('mark.frag')")
    tip = page.inner_text("#tip")
    assert "Name calling, labeling" in tip and "confidence 0.70" in tip
    assert "label does the arguing" in tip
    page.screenshot(path=str(ARTIFACTS / "page-desktop.png"), full_page=True)

    set_slider(page, 0.8)
    assert shown(page) == expected(0.8) and len(expected(0.8)) == 1
    set_slider(page, 0.05)
    assert shown(page) == expected(0.05) and len(expected(0.05)) == 4
    overlapped = page.locator("#article mark.frag.multi")
    assert overlapped.count() >= 1 and "experts" in overlapped.first.inner_text()
    assert len(analyze_requests) == 1  # the slider filters on the page, no new request
    overview = page.inner_text("#overview-summary")
    assert overview.startswith("2 of 4 sentence(s)")

    page.set_viewport_size({"width": 390, "height": 844})
    page.click("#article mark.frag >> nth=1")
    assert page.is_visible("#tip")
    page.screenshot(path=str(ARTIFACTS / "page-phone-tip.png"))
    page.screenshot(path=str(ARTIFACTS / "page-phone.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways at phone width ({width}px)"


def mark_facts(page) -> list[dict]:
    """Each highlighted piece: text, span indices, background colour and stripe image."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#article mark.frag')].map((m) => {
            const style = getComputedStyle(m);
            return {text: m.textContent, spans: m.dataset.spans,
                    multi: m.classList.contains('multi'), color: style.backgroundColor,
                    stripes: style.backgroundImage, related: m.classList.contains('related')};
        })"""
    )


@pytest.mark.parametrize("width", [1200, 390])
def test_a_loaded_word_inside_a_sentence_shows_both_with_tooltips(
    browser, site, nested_text, width
):
    page = browser.new_page(viewport={"width": width, "height": 844})
    page.goto(site)
    page.wait_for_selector("body[data-ready='true']")
    analyze_on_page(page, nested_text)
    sentence = "Critics warn that the reckless plan will ruin our town."
    assert shown(page) == {"0": sentence, "1": "reckless"}  # each span whole, none merged
    before, word, after = mark_facts(page)
    assert (before["text"], word["text"], after["text"]) == (
        "Critics warn that the ",
        "reckless",
        " plan will ruin our town.",
    )
    assert (before["spans"], word["spans"], after["spans"]) == ("0", "1 0", "0")  # inner first
    # the word in its own colour, the sentence's colour as a stripe under it
    assert word["multi"] and not before["multi"]
    assert word["color"] != before["color"] == after["color"]
    assert before["color"].removeprefix("rgb(").rstrip(")") in word["stripes"].replace(
        "rgba", "rgb"
    )

    page.click("#article mark.frag >> nth=1")  # the word: both techniques, word first
    tip = page.inner_text("#tip")
    assert tip.index("Loaded language") < tip.index("Appeal to fear or prejudice")
    assert "“reckless”" in tip and f"“{sentence}”" in tip
    # the whole sentence is underlined as related, not only the word
    assert [m["related"] for m in mark_facts(page)] == [True, True, True]
    box = page.locator("#tip").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width  # the tip fits the screen
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"page-nested-{width}-tip.png"))

    page.click("#article mark.frag >> nth=2")  # the rest of the sentence: fear only
    tip = page.inner_text("#tip")
    assert "Appeal to fear or prejudice" in tip and "Loaded language" not in tip
    assert all(m["related"] for m in mark_facts(page))  # the word is part of the sentence
    page.keyboard.press("Escape")
    assert not any(m["related"] for m in mark_facts(page))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(ARTIFACTS / f"page-nested-{width}.png"), full_page=True)


def test_semeval_download_keeps_the_article_id(browser, site, article_text):
    page = browser.new_page()
    page.goto(site)
    page.wait_for_selector("body[data-ready='true']")
    analyze_on_page(page, article_text)
    with page.expect_download() as download:
        page.click("#download-semeval")
    lines = Path(download.value.path()).read_text().splitlines()
    assert download.value.suggested_filename == "article.labels"  # pasted text: id "article"
    assert len(lines) == 3 and {line.split("\t")[0] for line in lines} == {"article"}

    page.set_input_files(
        "#file",
        files=[{"name": "article123.txt", "mimeType": "text/plain", "buffer": b"T\n\ndisastrous"}],
    )
    sync_api.expect(page.locator("#status")).to_have_text(re.compile(r"^Done"))
    with page.expect_download() as download:
        page.click("#download-semeval")
    assert download.value.suggested_filename == "article123.labels"  # as PTC names them
    assert Path(download.value.path()).read_text().startswith("123\tLoaded_Language\t")


def test_status_line_counts_what_the_slider_shows(browser, site, article_text):
    page = browser.new_page()
    page.goto(site)
    page.wait_for_selector("body[data-ready='true']")
    analyze_on_page(page, article_text)
    assert page.input_value("#threshold") == "0.5"
    assert page.inner_text("#status") == "Done: 3 fragment(s) at confidence ≥ 0.50."
    set_slider(page, 0.8)
    assert page.inner_text("#status") == "Done: 1 fragment(s) at confidence ≥ 0.80."
    assert page.inner_text("#threshold-value") == "0.80"


def test_page_loads_without_a_failed_request_or_console_error(browser, site):
    page = browser.new_page()
    failures, errors = [], []
    page.on("response", lambda r: r.status >= 400 and failures.append(f"{r.status} {r.url}"))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(site)
    page.wait_for_selector("body[data-ready='true']")
    page.wait_for_timeout(500)  # the favicon request comes after the load
    assert failures == [] and errors == []
    favicon = urllib.request.urlopen(f"{site}/favicon.ico")
    assert favicon.status == 200 and favicon.headers["content-type"] == "image/svg+xml"


def block_the_network(page) -> list[str]:
    """Abort every request that leaves this machine (as without internet); return their URLs."""
    blocked: list[str] = []

    def route(r):
        host = urllib.parse.urlsplit(r.request.url).hostname or ""
        if host in ("127.0.0.1", "localhost", "::1") or r.request.url.startswith(
            ("data:", "blob:")
        ):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return blocked


def test_api_docs_render_without_internet(browser, site):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    blocked = block_the_network(page)
    page.goto(f"{site}/docs")
    sync_api.expect(page.locator(".swagger-ui .info .title")).to_contain_text("proplens")
    sync_api.expect(page.locator(".swagger-ui .opblock-summary-path").first).to_be_visible()
    assert page.locator(".swagger-ui .opblock").count() >= 5
    page.goto(f"{site}/redoc")
    sync_api.expect(page.locator("redoc h1, .api-info h1").first).to_contain_text("proplens")
    sync_api.expect(page.get_by_text("/v1/analyze").first).to_be_attached()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "redoc-offline.png"))
    assert blocked == []


def test_page_asks_for_the_api_key_when_the_server_needs_one(browser, fake, serve, article_text):
    with serve(create_app(analyzer=fake, api_key="k3y")) as url:
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector("body[data-ready='true']")
        assert page.is_visible("#api-key")
        page.fill("#text", article_text)
        page.click("#analyze")
        sync_api.expect(page.locator("#status")).to_contain_text("needs an API key")
        page.fill("#api-key", "k3y")
        page.dispatch_event("#api-key", "change")
        analyze_on_page(page, article_text)
        assert page.inner_text("#status").startswith("Done: 3 fragment(s)")
        page.reload()  # the key is kept for this tab
        page.wait_for_selector("body[data-ready='true']")
        assert page.input_value("#api-key") == "k3y"


def test_the_key_field_stays_hidden_on_an_open_server(browser, site):
    page = browser.new_page()
    page.goto(site)
    page.wait_for_selector("body[data-ready='true']")
    assert not page.is_visible("#api-key")


def test_real_model_on_the_example_article(browser, serve, real_analyzer, tmp_path):
    """The shipped model end to end in the page; screenshots for a person to look at."""
    text = EXAMPLE.read_text(encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    app = create_app(analyzer=real_analyzer, store_path=tmp_path / "store.db")
    with serve(app) as url:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        posted = []
        page.on("request", lambda r: "/v1/analyze" in r.url and posted.append(r.post_data))
        page.goto(url)
        page.wait_for_selector("body[data-ready='true']")
        assert float(page.input_value("#threshold")) == real_analyzer.threshold
        analyze_on_page(page, text)
        doc = stored(url, page.evaluate("location.pathname").removeprefix("/a/"))
        expected = {
            str(i): s["text"]
            for i, s in enumerate(doc["spans"])
            if s["score"] >= real_analyzer.threshold
        }
        assert expected and shown(page) == expected
        # the page asked for every fragment its slider can reach (down to the model's default)
        floor = min(0.05, real_analyzer.threshold)
        assert [json.loads(body)["threshold"] for body in posted] == [floor]
        direct = real_analyzer.analyze(text, threshold=floor).spans
        assert [(s["start"], s["end"]) for s in doc["spans"]] == [(s.start, s.end) for s in direct]
        page.screenshot(path=str(ARTIFACTS / "model-desktop.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.click("#article mark.frag >> nth=0")
        assert page.is_visible("#tip")
        page.screenshot(path=str(ARTIFACTS / "model-phone.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways at phone width ({width}px)"


def test_shared_link_reopens_the_analysis(browser, site, article_text):
    page = browser.new_page()
    page.goto(site)
    page.wait_for_selector("body[data-ready='true']")
    analyze_on_page(page, article_text)
    link = page.get_attribute("#share", "href")
    assert "/a/" in link and "t=0.50" in link

    other = browser.new_page()
    other.goto(link.replace("t=0.50", "t=0.80"))
    other.wait_for_selector("body[data-ready='true']")
    assert other.input_value("#threshold") == "0.8"
    assert list(shown(other).values()) == ["disastrous"]
    history = other.inner_text("#history-list")
    assert "Council plan draws fire" in history
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", history), history


def test_markup_in_the_article_is_shown_as_text_and_never_runs(browser, site):
    page = browser.new_page()
    page.goto(site)
    page.wait_for_selector("body[data-ready='true']")
    analyze_on_page(page, HOSTILE)
    set_slider(page, 0.05)
    assert page.text_content("#article") == HOSTILE
    assert page.locator("#article *:not(mark)").count() == 0  # no <script>, <img>, <b>
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert "disastrous" in shown(page).values()
    assert "<script>" in page.inner_text("#summary")
    page.screenshot(path=str(ARTIFACTS / "page-markup.png"), full_page=True)
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_choosing_a_txt_file_uploads_and_shows_it(browser, site, article_text):
    page = browser.new_page()
    page.goto(site)
    page.wait_for_selector("body[data-ready='true']")
    page.set_input_files(
        "#file",
        files=[
            {
                "name": "article77.txt",
                "mimeType": "text/plain",
                "buffer": article_text.encode(),
            }
        ],
    )
    sync_api.expect(page.locator("#status")).to_have_text(re.compile(r"^Done"))
    assert page.input_value("#text") == article_text
    assert sorted(shown(page).values()) == ["disastrous", "never again", "so-called experts"]
    page.click("#overview button.sent >> nth=0")  # the sentence strip jumps to a fragment
    assert page.evaluate("document.activeElement.matches('mark.frag')")

    page.set_input_files(
        "#file",
        files=[
            {
                "name": "latin1.txt",
                "mimeType": "text/plain",
                "buffer": "café".encode("latin-1"),
            }
        ],
    )
    sync_api.expect(page.locator("#status")).to_have_text(re.compile("not valid UTF-8"))


def test_the_url_field_fetches_a_page_and_shows_where_it_came_from(browser, fake, serve, tmp_path):
    from tests.fetch.pages import serving_pages

    app = create_app(analyzer=fake, store_path=tmp_path / "store.db", allow_private_urls=True)
    with serving_pages() as pages, serve(app) as url:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(url)
        page.wait_for_selector("body[data-ready='true']")
        address = f"{pages}/article.html"
        page.fill("#url", address)
        page.click("#analyze-url")
        sync_api.expect(page.locator("#status")).to_have_text(re.compile(r"^Done"))
        doc = stored(url, page.evaluate("location.pathname").removeprefix("/a/"))
        assert doc["url"] == address and "town hall" in doc["text"]
        assert page.input_value("#text") == doc["text"]
        assert page.get_attribute("#source-link", "href") == address
        assert page.is_visible("#source")
        assert sorted(shown(page).values()) == ["disastrous", "never again", "so-called experts"]
        page.screenshot(path=str(ARTIFACTS / "page-url.png"), full_page=True)

        page.fill("#url", f"{pages}/plain.txt")
        page.click("#analyze-url")
        sync_api.expect(page.locator("#status")).to_have_text(re.compile("not an HTML page"))
        page.fill("#url", "javascript:alert(1)")
        page.click("#analyze-url")
        sync_api.expect(page.locator("#status")).to_have_text(re.compile("http:// or https://"))

        analyze_on_page(page, "Pasted\n\nThe so-called experts again.\n")  # no address now
        assert page.is_hidden("#source")


def test_the_url_field_reports_a_refused_address(browser, fake, serve):
    from tests.fetch.pages import serving_pages

    with serving_pages() as pages, serve(create_app(analyzer=fake)) as url:
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector("body[data-ready='true']")
        page.fill("#url", f"{pages}/article.html")
        page.click("#analyze-url")
        status = page.locator("#status")
        sync_api.expect(status).to_have_text(re.compile("non-public address"))
        assert "error" in status.get_attribute("class") and fake.calls == 0


SOURCED = (
    "Pier sale approved\n"
    "\n"
    "The council voted 5-2 on Tuesday to sell the pier for 2 million euros.\n"
    "Critics claimed the pier was worth twice as much, according to sources close to the "
    'council. "We had no choice," Mayor Ana Ruiz said. The figures could not be verified.\n'
)


def test_sources_view_lists_sources_and_marks_unattributed_claims(browser, site):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(site)
    page.wait_for_selector("body[data-ready='true']")
    analyze_on_page(page, SOURCED)
    doc = stored(site, page.evaluate("location.pathname").removeprefix("/a/"))
    sync_api.expect(page.locator("#sources")).to_be_visible()
    items = page.locator("#sources-list li")
    assert items.count() == len(doc["attributions"]) == 3
    listed = [
        (item.get_attribute("data-kind"), item.get_attribute("data-stance"), item.inner_text())
        for item in items.all()
    ]
    assert listed[0][:2] == ("vague", "distancing") and "Critics" in listed[0][2]
    assert listed[1][:2] == ("anonymous", "neutral") and "sources close to" in listed[1][2]
    assert listed[2][:2] == ("named", "neutral") and "quote" in listed[2][2]
    unattributed = page.locator("#sources-text .unattributed").all_inner_texts()
    expected = [c["text"] for c in doc["claims"] if c["attribution"] is None]
    assert "".join(unattributed) == "".join(expected) and expected[0].startswith("The council")
    assert page.locator("#sources-text .hedge").inner_text() == "could not be verified"
    assert page.evaluate("document.getElementById('sources-text').textContent") == SOURCED
    assert page.inner_text("#sources-summary").startswith("3 source(s)")
    page.screenshot(path=str(ARTIFACTS / "page-sources.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"sources view scrolls sideways at phone width ({width}px)"


def test_sources_view_says_when_the_extra_is_missing(browser, fake, serve, monkeypatch):
    import importlib.util

    from proplens.server.sources import SourcesService

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "spacy" else real(name, *a)
    )
    with serve(create_app(analyzer=fake, sources=SourcesService())) as url:
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector("body[data-ready='true']")
        analyze_on_page(page, SOURCED)
        note = page.locator("#sources-note")
        sync_api.expect(note).to_be_visible()
        assert "pip install -e '.[sources]'" in note.inner_text()
        assert page.locator("#sources-list li").count() == 0


def test_an_analysis_the_full_store_could_not_keep_is_still_shown(
    browser, fake, serve, tmp_path, monkeypatch, article_text
):
    import errno

    from proplens.server.store import AnalysisStore

    def disk_full(self, row):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(AnalysisStore, "_insert", disk_full)
    with serve(create_app(analyzer=fake, store_path=tmp_path / "store.db")) as url:
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector("body[data-ready='true']")
        page.fill("#text", article_text)
        page.click("#analyze")
        status = page.locator("#status")
        sync_api.expect(status).to_have_text(
            re.compile(r"^Done: 3 fragment.* Not stored: the disk")
        )
        assert "error" in status.get_attribute("class")
        assert set(shown(page).values()) == {"so-called experts", "disastrous", "never again"}
        assert "/a/" not in page.url  # no link to an analysis that was not kept
