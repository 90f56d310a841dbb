import { test } from "node:test";
import assert from "node:assert/strict";
import { highlightSpans, MARK_CLASS } from "../src/highlight.js";
import { buildTextMap } from "../src/textmap.js";
import { attachTooltip, TIP_ID } from "../src/tooltip.js";
import { coveredText, page } from "./dom.js";

const COLORS = { A: "#ffa800", B: "#00ffc0", C: "#f03030" };
const style = (t) => ({ label: `Technique ${t}`, color: COLORS[t] || "#ccc", definition: `What ${t} is.` });
const HTML = `<article id="a"><h1>Harbour deal</h1>
  <p>The <b>so-called</b> <a href="/x">experts at the <i>ministry</i></a> backed a disastrous plan.</p>
  <p>Clean streets, <em>safe</em> streets!</p></article>`;

function spanAt(text, phrase, technique, score, index, nth = 0) {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = text.indexOf(phrase, start + 1);
  assert.ok(start >= 0, phrase);
  return { start, end: start + phrase.length, technique, score, index };
}

function marksOf(doc, index) {
  return [...doc.querySelectorAll(`mark.${MARK_CLASS}`)].filter((m) =>
    m.dataset.proplensSpans.split(" ").includes(String(index)),
  );
}

test("nested, overlapping and element-crossing spans sit at exactly their text", () => {
  const doc = page(HTML);
  const root = doc.getElementById("a");
  const map = buildTextMap([root]);
  const spans = [
    spanAt(map.text, "so-called experts at the ministry", "B", 0.7, 0), // crosses <b>, <a>, <i>
    spanAt(map.text, "experts", "A", 0.3, 1), // nested inside span 0
    spanAt(map.text, "ministry backed a disastrous", "C", 0.9, 2), // overlaps span 0's end
    spanAt(map.text, "disastrous plan.\n\nClean streets", "A", 0.6, 3), // crosses a paragraph
  ];
  const shown = highlightSpans(map, spans, style);
  for (const s of spans) {
    const marks = marksOf(doc, s.index);
    assert.ok(marks.length >= 1);
    assert.equal(coveredText(doc, marks), map.text.slice(s.start, s.end).replace(/\s+/g, " "));
  }
  assert.equal(doc.querySelectorAll("mark mark").length, 0, "marks never nest");
  // "experts" is inside two spans: coloured by the innermost, striped by the outer one
  const experts = marksOf(doc, 1)[0];
  assert.equal(experts.textContent, "experts");
  assert.equal(experts.dataset.proplensTechnique, "A");
  assert.equal(experts.dataset.proplensScore, "0.30");
  assert.deepEqual(experts.dataset.proplensSpans.split(" "), ["1", "0"]);
  assert.ok(experts.classList.contains("proplens-multi"));
  assert.match(experts.style.getPropertyValue("box-shadow"), /inset/);
  assert.equal(experts.tabIndex, 0);
  // the page's own elements are still where they were, holding their text
  assert.equal(doc.querySelector("a").textContent, "experts at the ministry");
  assert.equal(doc.querySelector("i").textContent, "ministry");
  assert.equal(shown.marks.length, doc.querySelectorAll("mark").length);
});

test("clear restores the DOM exactly, the same text nodes included", () => {
  const doc = page(HTML);
  const root = doc.getElementById("a");
  const before = root.innerHTML;
  const map = buildTextMap([root]);
  const nodes = map.pieces.map((p) => p.node);
  const spans = [spanAt(map.text, "so-called experts", "B", 0.7, 0), spanAt(map.text, "streets", "A", 0.5, 1, 1)];
  const shown = highlightSpans(map, spans, style);
  assert.notEqual(root.innerHTML, before);
  shown.clear();
  assert.equal(root.innerHTML, before);
  for (const node of nodes) assert.ok(root.contains(node), "the original node is back");
  assert.equal(root.querySelectorAll("mark").length, 0);
});

test("random overlapping spans: every span covered exactly, clear restores", () => {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let round = 0; round < 30; round++) {
    const doc = page(HTML);
    const root = doc.getElementById("a");
    const before = root.innerHTML;
    const map = buildTextMap([root]);
    const spans = [];
    for (let i = 0; i < 1 + Math.floor(random() * 6); i++) {
      let start = Math.floor(random() * (map.text.length - 1));
      let end = start + 1 + Math.floor(random() * 30);
      end = Math.min(end, map.text.length);
      while (/\s/.test(map.text[start]) && start + 1 < end) start++;
      while (/\s/.test(map.text[end - 1]) && end - 1 > start) end--;
      if (/\s/.test(map.text.slice(start, end))) continue;
      spans.push({ start, end, technique: "ABC"[i % 3], score: random(), index: spans.length });
    }
    const shown = highlightSpans(map, spans, style);
    for (const s of spans) {
      assert.equal(coveredText(doc, marksOf(doc, s.index)), map.text.slice(s.start, s.end));
    }
    shown.clear();
    assert.equal(root.innerHTML, before);
  }
});

test("the tooltip shows every span's technique, score and explanation on focus; Escape hides it", () => {
  const doc = page(HTML);
  const map = buildTextMap([doc.getElementById("a")]);
  const spans = [spanAt(map.text, "so-called experts", "B", 0.7, 0), spanAt(map.text, "experts", "A", 0.3, 1)];
  const shown = highlightSpans(map, spans, style);
  const detach = attachTooltip(doc, shown.marks, spans, style);
  const tip = doc.getElementById(TIP_ID);
  assert.equal(tip.hidden, true);
  const experts = marksOf(doc, 1)[0];
  experts.focus();
  assert.equal(tip.hidden, false);
  assert.equal(experts.getAttribute("aria-describedby"), TIP_ID);
  assert.match(tip.textContent, /Technique A score 0\.30What A is\./);
  assert.match(tip.textContent, /Technique B score 0\.70What B is\./);
  doc.dispatchEvent(new doc.defaultView.KeyboardEvent("keydown", { key: "Escape" }));
  assert.equal(tip.hidden, true);
  detach();
  shown.clear();
  assert.equal(doc.getElementById(TIP_ID), null);
});
