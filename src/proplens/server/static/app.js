// proplens page. Article text only ever reaches the page through textContent and
// DOM nodes, never as markup. Offsets from the API count Unicode code points (Python
// str indices); JavaScript strings count UTF-16 units, so offsets are mapped first.
"use strict";

const FLOOR = 0.05; // spans down to this are requested once; the slider filters locally

// The slider's lowest value: FLOOR, or the model's default threshold when that is lower,
// so that every fragment the slider can show has been asked for.
const requestFloor = () => Number($("threshold").min);

const state = {
  health: null,
  techniques: new Map(),
  doc: null,
  units: null, // code point offset -> UTF-16 offset
  threshold: 0.5,
  pinned: null,
  historyOffset: 0,
  done: false, // the status line reports a finished analysis (kept in step with the slider)
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

// -- talking to the API ---------------------------------------------------------------

async function api(path, options = {}) {
  let response;
  try {
    const headers = { ...(options.headers || {}), ...apiKey.headers() };
    response = await fetch(path, { ...options, headers });
  } catch (err) {
    throw new Error("cannot reach the proplens server");
  }
  let body = null;
  try {
    body = await response.json();
  } catch (err) {
    body = null;
  }
  if (!response.ok) {
    // Analysed but not stored (a full disk under the store): the answer is the analysis.
    if (body && body.error === "not_stored" && Array.isArray(body.spans)) return body;
    const message = body && body.message ? body.message : `HTTP ${response.status}`;
    throw new Error(message);
  }
  return body;
}

function setStatus(message, isError = false) {
  const status = $("status");
  status.textContent = message;
  status.classList.toggle("error", isError);
  status.setAttribute("role", isError ? "alert" : "status");
}

function setBusy(busy) {
  $("analyze").disabled = busy;
  $("file").disabled = busy;
  if ($("analyze-url")) $("analyze-url").disabled = busy;
}

async function analyzeText(text) {
  if (!text.trim()) {
    setStatus("Paste an article first: the text is empty.", true);
    return;
  }
  const size = new Blob([text]).size;
  if (state.health && size > state.health.max_bytes) {
    setStatus(`The article is ${size.toLocaleString()} bytes; this server accepts at most ` +
      `${state.health.max_bytes.toLocaleString()}.`, true);
    return;
  }
  await runAnalysis(() => api("/v1/analyze", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ text, threshold: requestFloor() }),
  }));
}

async function analyzeFile(file) {
  if (!/\.txt$/i.test(file.name)) {
    setStatus(`${file.name}: only .txt files can be analysed.`, true);
    return;
  }
  const form = new FormData();
  form.append("file", file, file.name);
  form.append("threshold", String(requestFloor()));
  await runAnalysis(() => api("/v1/analyze", { method: "POST", body: form }), file);
}

async function runAnalysis(request, file = null) {
  setBusy(true);
  setStatus("Analysing…");
  try {
    const doc = await request();
    if (file || doc.url) $("text").value = doc.text;
    show(doc);
    state.done = true;
    if (doc.error === "not_stored") setStatus(`${doneMessage()} ${doc.message}`, true);
    else setStatus(doneMessage());
    if (doc.analysis_id) {
      history.replaceState(null, "", `/a/${encodeURIComponent(doc.analysis_id)}`);
      loadHistory(true);
    }
  } catch (err) {
    state.done = false;
    setStatus(err.message, true);
  } finally {
    setBusy(false);
  }
}

// What the page shows, at the slider's threshold (the request asked for more, down to
// the slider's minimum, so that the slider needs no new request).
function doneMessage() {
  return `Done: ${visibleSpans().length} fragment(s) at confidence ≥ ${state.threshold.toFixed(2)}.`;
}

// -- offsets and segments ----------------------------------------------------------------

function unitOffsets(text) {
  const units = [0];
  let u = 0;
  for (const ch of text) {
    u += ch.length;
    units.push(u);
  }
  return units;
}

function visibleSpans() {
  const out = [];
  state.doc.spans.forEach((span, index) => {
    const score = span.score === null ? 1 : span.score;
    if (score >= state.threshold - 1e-9) out.push({ ...span, index, score });
  });
  return out;
}

// Cut the text at every span boundary; each piece knows which spans cover it.
function segments(spans, length) {
  const cuts = new Set([0, length]);
  for (const s of spans) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const pieces = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const covering = spans.filter((s) => s.start <= a && s.end >= b);
    // innermost first (shortest), then the most confident
    covering.sort((x, y) => (x.end - x.start) - (y.end - y.start) || y.score - x.score);
    pieces.push({ start: a, end: b, spans: covering });
  }
  return pieces;
}

function colorOf(technique) {
  const t = state.techniques.get(technique);
  return t ? t.color : "#ffe08a";
}

function labelOf(technique) {
  const t = state.techniques.get(technique);
  return t ? t.label : technique || "Propaganda";
}

// -- rendering -------------------------------------------------------------------------

function show(doc) {
  state.doc = doc;
  state.units = unitOffsets(doc.text);
  state.pinned = null;
  $("result").hidden = false;
  const share = $("share");
  if (doc.analysis_id) {
    share.hidden = false;
    share.href = shareLink();
  } else {
    share.hidden = true;
  }
  render();
  document.dispatchEvent(new CustomEvent("proplens:shown", { detail: doc })); // hook: url.js
  if (window.proplensSources) window.proplensSources.show(doc, state.units); // sources.js
}

function render() {
  hideTip();
  const doc = state.doc;
  const spans = visibleSpans();
  const article = $("article");
  const text = doc.text;
  const u = state.units;
  const nodes = [];
  for (const piece of segments(spans, u.length - 1)) {
    const part = text.slice(u[piece.start], u[piece.end]);
    if (!piece.spans.length) {
      nodes.push(document.createTextNode(part));
      continue;
    }
    const mark = el("mark", {
      class: "frag",
      tabindex: "0",
      "data-spans": piece.spans.map((s) => s.index).join(" "),
      "aria-label": `${part} (${piece.spans.map((s) => labelOf(s.technique)).join(", ")})`,
    });
    mark.textContent = part;
    mark.style.setProperty("--c", colorOf(piece.spans[0].technique));
    if (piece.spans.length > 1) {
      mark.classList.add("multi");
      mark.style.setProperty("--c2", colorOf(piece.spans[1].technique));
    }
    if (piece.spans.length > 2) {
      mark.classList.add("many");
      mark.style.setProperty("--c3", colorOf(piece.spans[2].technique));
    }
    nodes.push(mark);
  }
  article.replaceChildren(...nodes);
  const title = doc.title ? `“${doc.title}”: ` : "";
  $("summary").textContent =
    `${title}${spans.length} of ${doc.spans.length} fragment(s) shown`;
  renderLegend(spans);
  renderOverview(spans);
  $("threshold-value").textContent = state.threshold.toFixed(2);
  if (!$("share").hidden) $("share").href = shareLink();
}

function renderLegend(spans) {
  const counts = new Map();
  for (const s of spans) counts.set(s.technique, (counts.get(s.technique) || 0) + 1);
  const items = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([technique, n]) => {
    const swatch = el("span", { class: "swatch", "aria-hidden": "true" });
    swatch.style.background = colorOf(technique);
    const t = state.techniques.get(technique);
    const item = el("li", { title: t ? t.definition : "" }, swatch,
      el("span", { text: labelOf(technique) }), el("span", { class: "count", text: String(n) }));
    item.dataset.technique = technique;
    return item;
  });
  if (!items.length) items.push(el("li", { class: "empty", text: "No technique at this confidence." }));
  $("legend").replaceChildren(...items);
}

// Sentence ends as in proplens.article: . ! ? … (plus closing quotes) before a space, or a newline.
const SENTENCE_END = /[.!?…]+["'”’)\]]*(?=\s)|\n/g;

function sentences(text) {
  const out = [];
  let start = 0;
  const push = (a, b) => {
    while (a < b && /\s/.test(text[a])) a++;
    while (b > a && /\s/.test(text[b - 1])) b--;
    if (a < b) out.push([a, b]);
  };
  for (const m of text.matchAll(SENTENCE_END)) {
    push(start, m.index + m[0].length);
    start = m.index + m[0].length;
  }
  push(start, text.length);
  return out;
}

function renderOverview(spans) {
  const text = state.doc.text;
  const u = state.units;
  const all = sentences(text);
  let carrying = 0;
  const blocks = all.map(([a, b], i) => {
    const inside = spans.filter((s) => u[s.start] < b && u[s.end] > a);
    const excerpt = text.slice(a, Math.min(b, a + 80)) + (b - a > 80 ? "…" : "");
    if (!inside.length) {
      return el("span", { class: "sent", title: `Sentence ${i + 1}: no technique`,
        "aria-hidden": "true" });
    }
    carrying++;
    inside.sort((x, y) => y.score - x.score);
    const names = [...new Set(inside.map((s) => labelOf(s.technique)))].join(", ");
    const block = el("button", { type: "button", class: "sent",
      title: `Sentence ${i + 1}: ${names}\n${excerpt}`,
      "aria-label": `Sentence ${i + 1}: ${names}` });
    block.style.background = colorOf(inside[0].technique);
    block.addEventListener("click", () => focusFragment(inside[0].index));
    return block;
  });
  $("overview").replaceChildren(...blocks);
  $("overview-summary").textContent =
    `${carrying} of ${all.length} sentence(s) carry at least one technique. ` +
    "Select a coloured block to jump to it.";
}

function focusFragment(index) {
  const mark = $("article").querySelector(`mark[data-spans~="${index}"]`);
  if (mark) {
    mark.scrollIntoView({ block: "center" });
    mark.focus({ preventScroll: true });
  }
}

// -- the tooltip panel -----------------------------------------------------------------------

function showTip(mark) {
  const tip = $("tip");
  const indices = mark.dataset.spans.split(" ").map(Number);
  const entries = indices.map((i) => {
    const span = state.doc.spans[i];
    const t = state.techniques.get(span.technique);
    const swatch = el("span", { class: "swatch", "aria-hidden": "true" });
    swatch.style.background = colorOf(span.technique);
    const score = span.score === null ? "" : `confidence ${span.score.toFixed(2)}`;
    return el("div", { class: "entry" },
      el("div", { class: "name" }, swatch, el("span", { text: labelOf(span.technique) }),
        el("span", { class: "score", text: score })),
      el("p", { text: t ? t.definition : "" }),
      el("p", { class: "quote", text: `“${span.text}”` }));
  });
  tip.replaceChildren(...entries);
  tip.hidden = false;
  document.querySelectorAll("mark.frag.active").forEach((m) => m.classList.remove("active"));
  mark.classList.add("active");
  markRelated(indices);
  mark.setAttribute("aria-describedby", "tip");
  place(tip, mark);
}

// Nested spans are cut into pieces: underline every piece of the spans in the tooltip,
// so that the whole sentence around a loaded word shows, not only the word.
function markRelated(indices) {
  const article = $("article");
  article.querySelectorAll("mark.frag.related").forEach((m) => m.classList.remove("related"));
  for (const i of indices) {
    article.querySelectorAll(`mark[data-spans~="${i}"]`).forEach((m) => m.classList.add("related"));
  }
}

// Just below the fragment; on narrow screens the tip spans the width (CSS sets left/right).
function place(tip, mark) {
  const box = mark.getBoundingClientRect();
  tip.style.top = `${box.bottom + window.scrollY + 6}px`;
  if (!window.matchMedia("(min-width: 640px)").matches) {
    tip.style.removeProperty("left");
    return;
  }
  const width = tip.offsetWidth;
  const left = Math.max(8, Math.min(box.left, document.documentElement.clientWidth - width - 8));
  tip.style.left = `${left + window.scrollX}px`;
}

function hideTip() {
  const tip = $("tip");
  tip.hidden = true;
  document.querySelectorAll("mark.frag.active").forEach((m) => {
    m.classList.remove("active");
    m.removeAttribute("aria-describedby");
  });
  markRelated([]);
}

// Tooltips on the marks inside ``container``: hover shows, focus or click pins
// (``holder.pinned``), leaving hides. Shared by the article and the comparison.
function wireMarkTips(container, show, holder) {
  container.addEventListener("mouseover", (e) => {
    const mark = e.target.closest("mark.frag");
    if (mark && !holder.pinned) show(mark);
  });
  container.addEventListener("mouseout", (e) => {
    const mark = e.target.closest("mark.frag");
    if (mark && !holder.pinned && !mark.contains(e.relatedTarget)) hideTip();
  });
  container.addEventListener("focusin", (e) => {
    const mark = e.target.closest("mark.frag");
    if (mark) {
      holder.pinned = mark;
      show(mark);
    }
  });
  container.addEventListener("focusout", () => {
    holder.pinned = null;
    hideTip();
  });
  container.addEventListener("click", (e) => {
    const mark = e.target.closest("mark.frag");
    if (mark) {
      mark.focus();
      holder.pinned = mark;
      show(mark);
    }
  });
}

function wireTooltip() {
  wireMarkTips($("article"), showTip, state);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !$("tip").hidden) {
      hideTip();
      state.pinned = null;
    }
  });
}

// -- downloads and links -------------------------------------------------------------------

function filteredDoc() {
  const keep = new Set(visibleSpans().map((s) => s.index));
  return { ...state.doc, spans: state.doc.spans.filter((_, i) => keep.has(i)) };
}

function download(name, type, content) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function safeName(id) {
  return String(id).replace(/[^A-Za-z0-9_-]+/g, "_") || "article";
}

function semevalLines(doc) {
  return doc.spans.map((s) => `${doc.id}\t${s.technique}\t${s.start}\t${s.end}\n`).join("");
}

function shareLink() {
  const id = encodeURIComponent(state.doc.analysis_id);
  return `${location.origin}/a/${id}?t=${state.threshold.toFixed(2)}`;
}

// -- past analyses (with --store) ----------------------------------------------------------

async function loadHistory(reset) {
  if (reset) state.historyOffset = 0;
  let page;
  try {
    page = await api(`/v1/analyses?limit=10&offset=${state.historyOffset}`);
  } catch (err) {
    return;
  }
  const list = $("history-list");
  const items = page.items.map((item) => {
    const id = item.analysis_id;
    const link = el("a", { href: `/a/${encodeURIComponent(id)}`, text: item.title || id });
    return el("li", {}, link,
      el("span", { class: "meta", text: ` · ${item.n_spans} fragment(s) · ${when(item.created)}` }));
  });
  if (reset) list.replaceChildren(...items);
  else list.append(...items);
  state.historyOffset = page.next_offset === null ? state.historyOffset : page.next_offset;
  $("history").hidden = page.total === 0;
  $("history-more").hidden = page.next_offset === null;
}

// "2026-11-28T06:44:10+00:00" -> "2026-11-28 06:44 UTC" (the server stores UTC)
function when(iso) {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

async function openShared() {
  const params = new URLSearchParams(location.search);
  const match = location.pathname.match(/^\/a\/([^/]+)$/);
  const id = match ? decodeURIComponent(match[1]) : params.get("a");
  const t = parseFloat(params.get("t"));
  if (!Number.isNaN(t)) setThreshold(t);
  if (!id) return;
  setStatus("Opening the shared analysis…");
  try {
    const doc = await api(`/v1/analyses/${encodeURIComponent(id)}`);
    $("text").value = doc.text;
    show(doc);
    setStatus("");
  } catch (err) {
    setStatus(err.message, true);
  }
}

function setThreshold(value) {
  const slider = $("threshold");
  const clamped = Math.min(1, Math.max(Number(slider.min), value));
  slider.value = String(clamped);
  state.threshold = Number(slider.value);
  $("threshold-value").textContent = state.threshold.toFixed(2);
}

// -- start-up --------------------------------------------------------------------------------

function wireInput() {
  $("form").addEventListener("submit", (e) => {
    e.preventDefault();
    analyzeText($("text").value);
  });
  $("file").addEventListener("change", (e) => {
    const file = e.target.files[0];
    e.target.value = "";
    if (file) analyzeFile(file);
  });
  const area = $("text");
  area.addEventListener("dragover", (e) => {
    e.preventDefault();
    area.classList.add("dragging");
  });
  area.addEventListener("dragleave", () => area.classList.remove("dragging"));
  area.addEventListener("drop", (e) => {
    e.preventDefault();
    area.classList.remove("dragging");
    const file = e.dataTransfer.files[0];
    if (file) analyzeFile(file);
  });
  $("threshold").addEventListener("input", (e) => {
    state.threshold = Number(e.target.value);
    if (state.doc) render();
    if (state.done) setStatus(doneMessage());
    else $("threshold-value").textContent = state.threshold.toFixed(2);
  });
  $("download-json").addEventListener("click", () => {
    const doc = filteredDoc();
    download(`${safeName(doc.id)}.json`, "application/json",
      JSON.stringify(doc, null, 2) + "\n");
  });
  $("download-semeval").addEventListener("click", () => {
    const doc = filteredDoc();
    // PTC names label files after their article: article123.txt -> article123.labels
    const name = /^\d+$/.test(doc.id) ? `article${doc.id}` : safeName(doc.id);
    download(`${name}.labels`, "text/plain", semevalLines(doc));
  });
  $("history-more").addEventListener("click", () => loadHistory(false));
}

async function start() {
  wireInput();
  wireTooltip();
  try {
    const [health, techniques] = await Promise.all([api("/healthz"), api("/v1/techniques")]);
    state.health = health;
    for (const t of techniques.techniques) state.techniques.set(t.name, t);
    const slider = $("threshold");
    slider.min = String(Math.min(FLOOR, health.threshold));
    setThreshold(health.threshold);
    $("versions").textContent = `· proplens ${health.version}, model ${health.model_version}`;
    apiKey.setup(health);
  } catch (err) {
    setStatus(err.message, true);
    return;
  }
  if (state.health.store) loadHistory(true);
  await openShared();
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", start);
