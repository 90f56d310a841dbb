import { test } from "node:test";
import assert from "node:assert/strict";
import { attachTooltip, placeTip, TIP_ID } from "../src/tooltip.js";
import { page } from "./dom.js";

// jsdom lays nothing out, so these tests stand in for the layout engine: a mark's
// viewport rectangle is given, and the tip's follows CSS's rule for `position: absolute`:
// its `left`/`top` plus the viewport position of its containing block's origin.
const describe = (t) => ({ label: `Technique ${t}`, definition: `What ${t} is.` });

function laidOut(doc, origin, mark) {
  const tip = doc.getElementById(TIP_ID);
  tip.getBoundingClientRect = () => {
    const left = origin.left + parseFloat(tip.style.left);
    const top = origin.top + parseFloat(tip.style.top);
    return { left, top, right: left + 200, bottom: top + 60, width: 200, height: 60 };
  };
  mark.getBoundingClientRect = () => ({ ...mark.box, right: mark.box.left + 80, width: 80, height: 18 });
  return tip;
}

function setup(html) {
  const doc = page(html);
  const mark = doc.querySelector("mark");
  mark.dataset.proplensSpans = "0";
  mark.tabIndex = 0;
  const detach = attachTooltip(doc, [mark], [{ index: 0, technique: "A", score: 0.8 }], describe);
  return { doc, mark, detach };
}

function scrollTo(doc, x, y) {
  Object.defineProperty(doc.defaultView, "scrollX", { value: x, configurable: true });
  Object.defineProperty(doc.defaultView, "scrollY", { value: y, configurable: true });
}

test("on a page whose body is positioned and offset, the tip sits just under the mark", () => {
  // body { position: relative; margin: 40px auto; width: 800px } in a 1280 px window, scrolled
  // 600 px down: the tip's containing block is body, whose origin is at (240, 40 - 600)
  const { doc, mark, detach } = setup(`<p>The <mark>disastrous</mark> plan.</p>`);
  scrollTo(doc, 0, 600);
  const tip = laidOut(doc, { left: 240, top: -560 }, mark);
  mark.box = { left: 310, top: 300, bottom: 318 };
  mark.focus();
  assert.equal(tip.hidden, false);
  const at = tip.getBoundingClientRect();
  assert.deepEqual([at.left, at.top], [310, 324]);
  assert.deepEqual([tip.style.left, tip.style.top], ["70px", "884px"]);
  detach();
});

test("on a page with a static body, the document is the origin, scrolling included", () => {
  const { doc, mark, detach } = setup(`<p>The <mark>disastrous</mark> plan.</p>`);
  scrollTo(doc, 30, 900);
  const tip = laidOut(doc, { left: -30, top: -900 }, mark);
  mark.box = { left: 120, top: 182, bottom: 200 };
  mark.focus();
  const at = tip.getBoundingClientRect();
  assert.deepEqual([at.left, at.top], [120, 206]);
  assert.deepEqual([tip.style.left, tip.style.top], ["150px", "1106px"]);
  detach();
});

test("a mark at the page's left edge keeps the tip 4 px inside it", () => {
  const doc = page(`<div id="tip"></div>`);
  const tip = doc.getElementById("tip");
  const origin = { left: 15, top: 8 }; // body { position: relative; margin: 8px 15px }
  tip.getBoundingClientRect = () => ({
    left: origin.left + parseFloat(tip.style.left),
    top: origin.top + parseFloat(tip.style.top),
  });
  placeTip(tip, { left: -20, top: 0, bottom: 18 });
  assert.deepEqual([tip.getBoundingClientRect().left, tip.getBoundingClientRect().top], [4, 24]);
});
