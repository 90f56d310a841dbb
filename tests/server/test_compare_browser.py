"""The "Compare two versions" mode of the page, in a real headless Chromium.

Same set-up as test_server_browser.py (Debian's chromium, playwright, a real
uvicorn). Screenshots go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from proplens.server import create_app
from tests.server.test_server_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

pytest.importorskip("rapidfuzz", reason="compare needs the 'compare' extra (rapidfuzz)")
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is missing")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing"),
]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
A = (
    "Council plan\n\n"
    "The experts backed the harbour plan on Monday by 7 votes to 2.\n"
    "The mayor denied any conflict of interest.\n"
    "Work will start in May.\n"
)
B = (
    "Council plan\n\n"
    "Work will start in May.\n"
    "The so-called experts backed a disastrous harbour plan on Monday by 9 votes to 2.\n"
    '<img src=x onerror="window.__pwned=1"> Never again!\n'
)


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(fake, serve):
    with serve(create_app(analyzer=fake)) as url:
        yield url


def open_compare(browser, url, width=1200):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{url}/#compare")
    page.wait_for_selector("body[data-ready='true']")
    assert page.is_visible("#text-a") and not page.is_visible("#text")
    return page


def compare_on_page(page, a: str, b: str) -> None:
    page.fill("#text-a", a)
    page.fill("#text-b", b)
    page.click("#compare")
    sync_api.expect(page.locator("#compare-status")).to_have_text(re.compile(r"^Done"))


def rows(page) -> list[dict]:
    """Each aligned row: its kind, both cells' text and top edges, and its flags."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#compare-grid .crow:not(.chead)')].map(r => {
            const [a, b] = r.querySelectorAll('.ccell');
            return {kind: r.dataset.kind, a: a.textContent, b: b.textContent,
                    top: [a.getBoundingClientRect().top, b.getBoundingClientRect().top],
                    flags: [...r.querySelectorAll('.cflags li')].map(li => li.textContent)};
        })"""
    )


def test_side_by_side_rows_marks_and_flags(browser, site):
    ARTIFACTS.mkdir(exist_ok=True)
    page = open_compare(browser, site)
    compare_on_page(page, A, B)
    found = rows(page)
    assert [r["kind"] for r in found] == ["same", "moved", "reworded", "dropped", "added"]
    for row in found:  # a sentence and its counterpart start on one line
        assert row["top"][0] == row["top"][1]
    moved, reworded, dropped, added = found[1:]
    assert moved["a"].endswith("Work will start in May.") and moved["b"] == moved["a"]
    assert dropped["b"] == "" and added["a"] == "" and "<img" in added["b"]
    assert any(f.startswith("Number changed") and "“7” → B “9”" in f for f in reworded["flags"])
    assert any("Loaded terms added" in f and "disastrous" in f for f in reworded["flags"])
    assert any("Balance dropped (denial)" in f for f in dropped["flags"])
    # word changes: struck in A, underlined in B; techniques in their colours
    struck = page.eval_on_selector_all(
        "#compare-grid .ccell.a del.chg", "n => n.map(x => x.textContent)"
    )
    inserted = page.eval_on_selector_all(
        "#compare-grid .ccell.b ins.chg", "n => n.map(x => x.textContent)"
    )
    assert "7" in struck and "9" in inserted and "disastrous" in " ".join(inserted)
    marks = page.locator("#compare-grid .ccell.b mark.frag")
    assert "disastrous" in marks.all_inner_texts()
    color = page.eval_on_selector(
        "#compare-grid .ccell.b mark.frag[aria-label^='disastrous']",
        "m => getComputedStyle(m).backgroundColor",
    )
    assert color not in ("rgba(0, 0, 0, 0)", "transparent")
    # the summary in plain words, the counts, the techniques of each side
    summary = page.inner_text("#compare-summary")
    assert "Of A's 4 sentences" in summary and "drops 1 denial" in summary
    assert "Number changed" in page.inner_text("#compare-counts")
    assert "Loaded language" in page.inner_text("#compare-legend-b")
    assert "No technique" in page.inner_text("#compare-legend-a")
    # keyboard: a technique fragment takes focus and explains itself
    page.focus("#compare-grid")
    page.locator("#compare-grid mark.frag").first.focus()
    assert "(B)" in page.inner_text("#tip") and "confidence" in page.inner_text("#tip")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    page.screenshot(path=str(ARTIFACTS / "compare-desktop.png"), full_page=True)
    page.keyboard.press("Escape")
    assert not page.is_visible("#tip")

    page.set_viewport_size({"width": 390, "height": 844})
    for row in rows(page):
        assert row["top"][0] == row["top"][1]
    page.screenshot(path=str(ARTIFACTS / "compare-phone.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways at phone width ({width}px)"


def test_identical_texts_and_errors(browser, site):
    page = open_compare(browser, site)
    compare_on_page(page, A, A)
    assert {r["kind"] for r in rows(page)} == {"same"}
    assert "A and B are identical" in page.inner_text("#compare-summary")
    page.fill("#text-b", "   ")
    page.click("#compare")
    sync_api.expect(page.locator("#compare-status")).to_have_text(re.compile("B is empty"))


def test_files_for_both_sides_and_a_bad_upload(browser, site):
    page = open_compare(browser, site)
    page.set_input_files(
        "#file-a", files=[{"name": "a.txt", "mimeType": "text/plain", "buffer": A.encode()}]
    )
    page.set_input_files(
        "#file-b", files=[{"name": "b.txt", "mimeType": "text/plain", "buffer": B.encode()}]
    )
    sync_api.expect(page.locator("#text-b")).to_have_value(B)
    uploads = []
    page.on("request", lambda r: "/v1/compare" in r.url and uploads.append(r.headers))
    page.click("#compare")
    sync_api.expect(page.locator("#compare-status")).to_have_text(re.compile(r"^Done"))
    assert "multipart/form-data" in uploads[0]["content-type"]
    assert len(rows(page)) == 5

    page.set_input_files(
        "#file-a",
        files=[
            {"name": "latin1.txt", "mimeType": "text/plain", "buffer": "café".encode("latin-1")}
        ],
    )
    page.click("#compare")
    sync_api.expect(page.locator("#compare-status")).to_have_text(
        re.compile(r"side A \(latin1.txt\): not valid UTF-8")
    )


def test_mode_switch_keeps_the_analysis_page(browser, site, article_text):
    page = browser.new_page()
    page.goto(site)
    page.wait_for_selector("body[data-ready='true']")
    assert page.is_visible("#text") and not page.is_visible("#text-a")
    page.click("#mode-compare")
    assert page.is_visible("#text-a") and page.evaluate("location.hash") == "#compare"
    page.click("#mode-analyze")
    page.fill("#text", article_text)
    page.click("#analyze")
    sync_api.expect(page.locator("#status")).to_have_text(re.compile(r"^Done"))


def test_real_model_on_the_example_pair(browser, serve, real_analyzer):
    """The demonstration pair with the shipped model; screenshots for a person to look at."""
    a = (EXAMPLES / "compare-wire.txt").read_text(encoding="utf-8")
    b = (EXAMPLES / "compare-rewrite.txt").read_text(encoding="utf-8")
    with serve(create_app(analyzer=real_analyzer)) as url:
        page = open_compare(browser, url)
        compare_on_page(page, a, b)
        found = rows(page)
        assert {"same", "reworded", "dropped", "added"} <= {r["kind"] for r in found}
        assert all(r["top"][0] == r["top"][1] for r in found)
        flags = " ".join(f for r in found for f in r["flags"])
        assert "Balance dropped (caveat)" in flags and "Number changed" in flags
        page.screenshot(path=str(ARTIFACTS / "compare-model-desktop.png"), full_page=True)
