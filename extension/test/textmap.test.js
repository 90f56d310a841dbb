import { test } from "node:test";
import assert from "node:assert/strict";
import { Readability } from "@mozilla/readability";
import { buildTextMap, codePointToUtf16, extractArticle } from "../src/textmap.js";
import { page } from "./dom.js";

/** Every character of the text comes from its node at raw[k], or is a separator. */
function assertMapped(map) {
  let covered = 0;
  for (const p of map.pieces) {
    assert.equal(p.end - p.start, p.raw.length);
    for (let k = 0; k < p.raw.length; k++) {
      const fromNode = p.node.data[p.raw[k]];
      const inText = map.text[p.start + k];
      if (inText === " ") assert.match(fromNode, /\s/);
      else assert.equal(fromNode, inText);
    }
    covered += p.raw.length;
  }
  return covered;
}

test("inline formatting joins, blocks become blank lines, whitespace collapses", () => {
  const doc = page(`<div id="a">
      <h1>Harbour   deal</h1>
      <p>The <b>so-called</b> <a href="/x">experts</a>
         backed a <i>disastrous</i> plan.</p>
      <p>Second<br>line &nbsp; here.</p>
      <script>var hidden = "never";</script>
    </div>`);
  const map = buildTextMap([doc.getElementById("a")]);
  assert.equal(
    map.text,
    "Harbour deal\n\nThe so-called experts backed a disastrous plan.\n\nSecond\n\nline here.",
  );
  assert.equal(assertMapped(map) + 2 * 3 + 5, map.text.length); // 3 blank lines + 5 spaces between nodes
});

test("accept() leaves text nodes out without leaving separators behind", () => {
  const doc = page(`<p id="p">One <span class="ad">BUY NOW</span> two.</p>`);
  const map = buildTextMap([doc.getElementById("p")], (n) => n.parentElement.className !== "ad");
  assert.equal(map.text, "One two.");
  assertMapped(map);
});

test("code points (the server's offsets) map to UTF-16 offsets (JavaScript's)", () => {
  const text = "a😀b 🇫🇷 c";
  const toUtf16 = codePointToUtf16(text);
  const points = [...text];
  for (let i = 0; i <= points.length; i++) {
    assert.equal(text.slice(toUtf16(i)), points.slice(i).join(""));
  }
  assert.throws(() => toUtf16(points.length + 1), RangeError);
  assert.throws(() => toUtf16(-1), RangeError);
});

test("Readability's article, mapped to the live nodes; sidebar and menu left out; page untouched", () => {
  const paragraphs = Array.from(
    { length: 6 },
    (_, i) =>
      `<p>Paragraph ${i}: the council met on Tuesday and discussed the harbour plan at length, ` +
      `with <a href="/p${i}">residents</a> and <em>officials</em> giving their views on the costs.</p>`,
  ).join("\n");
  const doc = page(`
    <nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
    <main><article><h1>Harbour plan</h1>${paragraphs}
      <blockquote><p>We will not be silenced, said one resident of the harbour district.</p></blockquote>
    </article></main>
    <aside class="sidebar"><h2>Most read</h2><p>Celebrity gossip you will not believe today.</p></aside>`);
  const before = doc.body.innerHTML;
  const found = extractArticle(doc, Readability);
  assert.equal(found.source, "readability");
  assert.match(found.text, /^Harbour plan\n\nParagraph 0: the council met/);
  assert.match(found.text, /We will not be silenced/);
  assert.doesNotMatch(found.text, /Celebrity|Most read|World/);
  assert.equal(doc.body.innerHTML, before);
  for (const p of found.pieces) assert.ok(doc.contains(p.node), "pieces are the live page's nodes");
  assertMapped(found);
});

test("a short page still gives its text", () => {
  const doc = page(`<p>Short <b>note</b>.</p>`);
  const found = extractArticle(doc, Readability);
  assert.equal(found.text, "Short note.");
  assertMapped(found);
});

test("text the page hides with its CSS is not sent", () => {
  const doc = page(`<article><p>Shown text here. <span class="menu">Hidden menu.</span> More shown text.</p></article>`);
  const proto = doc.defaultView.Element.prototype;
  proto.checkVisibility = function () {
    return !this.classList.contains("menu"); // what a browser says for display: none
  };
  try {
    const found = extractArticle(doc, Readability);
    assert.equal(found.text, "Shown text here. More shown text.");
    assertMapped(found);
  } finally {
    delete proto.checkVisibility;
  }
});
