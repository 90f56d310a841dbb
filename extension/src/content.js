/**
 * The content script: injected into the tab being analysed (only when the user asks, via
 * activeTab), it extracts the article text, and later highlights the server's spans.
 * It never talks to the server itself; the service worker does.
 */

import { Readability } from "@mozilla/readability";
import { highlightSpans } from "./highlight.js";
import { codePointToUtf16, extractArticle } from "./textmap.js";
import { attachTooltip } from "./tooltip.js";

const state = { map: null, answer: null, spans: [], about: {}, shown: null };

function extract() {
  clear();
  const found = extractArticle(document, Readability);
  state.map = found;
  state.snapshot = found.pieces.map((p) => p.node.data);
  return { title: found.title, text: found.text, source: found.source, url: location.href };
}

function pageUnchanged() {
  return state.map.pieces.every((p, i) => p.node.isConnected && p.node.data === state.snapshot[i]);
}

/** Keep the server's answer and highlight its spans at or above `threshold`. */
function show(answer, techniques, threshold) {
  if (!state.map) throw new Error("nothing was extracted from this page yet; analyse it again");
  if (answer.text !== state.map.text) {
    throw new Error("the server answered for another text than the one sent; analyse it again");
  }
  if (!pageUnchanged()) {
    throw new Error("the page changed while it was being analysed; analyse it again");
  }
  const toUtf16 = codePointToUtf16(answer.text);
  state.spans = answer.spans.map((s, index) => ({
    index,
    technique: s.technique,
    score: s.score,
    start: toUtf16(s.start),
    end: toUtf16(s.end),
  }));
  state.about = Object.fromEntries(techniques.map((t) => [t.name, t]));
  state.answer = answer;
  return render(threshold);
}

function describe(name) {
  return state.about[name] || { label: name.replaceAll("_", " "), definition: "", color: "#ffd54f" };
}

function render(threshold) {
  if (state.shown) {
    state.shown.detach();
    state.shown.handle.clear();
    state.shown = null;
  }
  const visible = state.spans.filter((s) => s.score >= threshold);
  const handle = highlightSpans(state.map, visible, describe);
  const detach = attachTooltip(document, handle.marks, state.spans, describe);
  state.shown = { handle, detach };
  const perTechnique = {};
  for (const s of visible) perTechnique[s.technique] = (perTechnique[s.technique] || 0) + 1;
  return { shown: visible.length, marks: handle.marks.length, threshold, perTechnique };
}

function clear() {
  const had = Boolean(state.shown);
  if (state.shown) {
    state.shown.detach();
    state.shown.handle.clear();
  }
  state.shown = null;
  return { cleared: had };
}

function handle(message) {
  switch (message && message.type) {
    case "proplens:extract":
      return extract();
    case "proplens:show":
      return show(message.answer, message.techniques, message.threshold);
    case "proplens:threshold":
      if (!state.answer) throw new Error("this page has no analysis to filter");
      return render(message.threshold);
    case "proplens:clear":
      return clear();
    default:
      return undefined;
  }
}

if (!globalThis.__proplensContent) {
  globalThis.__proplensContent = true;
  chrome.runtime.onMessage.addListener((message, _sender, sendResponse) => {
    if (!message || typeof message.type !== "string" || !message.type.startsWith("proplens:")) {
      return false;
    }
    try {
      sendResponse({ ok: true, value: handle(message) });
    } catch (err) {
      sendResponse({ ok: false, error: String(err && err.message ? err.message : err) });
    }
    return false;
  });
}
